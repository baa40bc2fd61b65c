//! Who asks: the collector's coordinators or one campaign's, by the admin token they
//! present (a bearer token from scripts, or HTTP Basic from the browser's login prompt),
//! and what a coordinators' page answers: its reply headers, or the login prompt.
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::Markup;

use crate::auth::AdminToken;
use crate::error::{ApiError, LOGIN_CHALLENGE};
use crate::state::AppState;

/// Who asks: the collector's coordinators (every campaign), or one campaign's (its own
/// admin token, from `storypoint campaign create`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// The collector's admin token.
    All,
    /// A campaign's admin token: only that campaign's stories.
    Campaign(String),
}

impl Access {
    /// The campaign this access is limited to.
    pub fn campaign(&self) -> Option<&str> {
        match self {
            Access::All => None,
            Access::Campaign(slug) => Some(slug),
        }
    }
}

/// The access the request's `Authorization` header gives (a store read: call off the async
/// threads); 401 without a valid token.
pub fn access(state: &AppState, headers: &HeaderMap) -> Result<Access, ApiError> {
    let header = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if state.admin.verify_header(header) {
        return Ok(Access::All);
    }
    let Some(token) = crate::auth::presented(header) else { return Err(ApiError::Unauthorized) };
    for campaign in state.store.campaigns()? {
        let Some(hash) = campaign.admin_hash.as_deref().and_then(AdminToken::from_hash_hex) else { continue };
        if hash.verify(&token) {
            return Ok(Access::Campaign(campaign.slug));
        }
    }
    Err(ApiError::Unauthorized)
}

/// The access of the request's token (`None`: no valid token), off the async threads.
pub async fn who(state: &AppState, headers: HeaderMap) -> Result<Option<Access>, ApiError> {
    let state = state.clone();
    match tokio::task::spawn_blocking(move || access(&state, &headers)).await.map_err(|_| ApiError::Internal)? {
        Ok(access) => Ok(Some(access)),
        Err(ApiError::Unauthorized) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The Content-Security-Policy of the coordinators' pages: no script at all, our own styles,
/// images and recordings; they may submit their own filter forms (GET).
pub const PAGE_CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A coordinators' page as a reply with `status`, under [`PAGE_CSP`].
pub fn page_reply(status: StatusCode, page: Markup) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, PAGE_CSP)], page.into_string()).into_response()
}

/// 401 with the browser's login prompt (HTTP Basic, any user name, the admin token as
/// password) and, behind it, a page that says so and links back to `retry`.
pub fn login_page(retry: &str) -> Response {
    let mut response = page_reply(StatusCode::UNAUTHORIZED, crate::pages::admin::login(retry));
    response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(LOGIN_CHALLENGE));
    response
}
