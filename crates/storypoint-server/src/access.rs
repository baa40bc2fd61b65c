//! Who asks: the collector's coordinators or one campaign's, by the admin token they
//! present (a bearer token from scripts, HTTP Basic, or the session cookie of the login
//! page), and what a coordinators' page answers: its reply headers, or the way to log in.
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::Markup;

use crate::auth::AdminToken;
use crate::error::ApiError;
use crate::state::AppState;

pub use crate::rights::Access;

/// The access the request's `Authorization` header or session cookie gives (a store read:
/// call off the async threads); 401 without a valid token or session.
pub fn access(state: &AppState, headers: &HeaderMap) -> Result<Access, ApiError> {
    let header = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if let Some(token) = crate::auth::presented(header) {
        return token_access(state, &token)?.ok_or(ApiError::Unauthorized);
    }
    let Some(cookie) = crate::session::cookie(headers) else { return Err(ApiError::Unauthorized) };
    let Some((access, fingerprint)) = state.sessions.read(&cookie, std::time::SystemTime::now()) else {
        return Err(ApiError::Unauthorized);
    };
    // The session ends when the token it was opened with is replaced.
    let current = match &access {
        Access::All => Some(state.admin.hash_hex()),
        Access::Campaign(slug) => state.store.find_campaign(slug)?.and_then(|c| c.admin_hash),
    };
    match current {
        Some(hash) if crate::session::fingerprint(&hash) == fingerprint => Ok(access),
        _ => Err(ApiError::Unauthorized),
    }
}

/// The access a token gives, and nothing when it is no token of this collector.
pub fn token_access(state: &AppState, token: &str) -> Result<Option<Access>, ApiError> {
    if state.admin.verify(token) {
        return Ok(Some(Access::All));
    }
    for campaign in state.store.campaigns()? {
        let Some(hash) = campaign.admin_hash.as_deref().and_then(AdminToken::from_hash_hex) else { continue };
        if hash.verify(token) {
            return Ok(Some(Access::Campaign(campaign.slug)));
        }
    }
    Ok(None)
}

/// The access of a form that changes something (a POST): only from our own pages, in a
/// session, with the session's form token (`csrf`); 403 otherwise. A script with a bearer
/// token needs no form token: a browser never sends one by itself.
pub fn form_access(state: &AppState, headers: &HeaderMap, csrf: &str) -> Result<Access, ApiError> {
    if !crate::session::same_site(headers) {
        return Err(ApiError::Forbidden);
    }
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("Bearer "));
    if !bearer {
        let cookie = crate::session::cookie(headers).ok_or(ApiError::Unauthorized)?;
        if !state.sessions.csrf_matches(&cookie, csrf) {
            return Err(ApiError::Forbidden);
        }
    }
    access(state, headers)
}

/// The form token of the request's session, for the forms a page shows (none without one).
pub fn csrf_of(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let cookie = crate::session::cookie(headers)?;
    // Only a session of ours that has not expired has forms to fill in.
    state.sessions.read(&cookie, std::time::SystemTime::now())?;
    Some(state.sessions.csrf(&cookie))
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

/// The access of a page opened in a session (or with a token), or the reply that sends the
/// coordinator to the login page, which comes back to `back`.
pub async fn signed_in(state: &AppState, headers: &HeaderMap, back: &str) -> Result<Access, Response> {
    match who(state, headers.clone()).await {
        Ok(Some(access)) => Ok(access),
        Ok(None) => Err(login_page(back)),
        Err(error) => Err(error.into_response()),
    }
}

pub use crate::pages::PAGE_CSP;

/// A coordinators' page as a reply with `status`, under [`PAGE_CSP`].
pub fn page_reply(status: StatusCode, page: Markup) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, PAGE_CSP)], page.into_string()).into_response()
}

/// The way to log in for a page opened without a session: to the login page, which comes
/// back to `retry` afterwards.
pub fn login_page(retry: &str) -> Response {
    let target = format!("/admin/login?terug={}", form_urlencoded::byte_serialize(retry.as_bytes()).collect::<String>());
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(&target) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Whether the request reached us over TLS, as the trusted proxy in front says (the
/// session cookie is then `Secure`).
pub fn over_tls(state: &AppState, extensions: &axum::http::Extensions, headers: &HeaderMap) -> bool {
    let peer = extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0.ip());
    peer.is_some_and(|peer| state.proxies.trusts(peer))
        && headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}
