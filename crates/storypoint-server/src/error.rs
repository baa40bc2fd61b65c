//! Every way a request can fail ([`ApiError`]), each with its status code and a JSON body
//! that names the field; internal faults say nothing internal (the details go to the log).
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use storypoint_core::{Lang, ValidationError};

use crate::audio::AudioError;
use crate::store::StoreError;

/// Every way a request can fail, each with its status code and a JSON body.
#[derive(Debug)]
pub enum ApiError {
    /// 400: not JSON, or not the wire format; names the field when it can.
    Malformed {
        /// What is wrong.
        message: String,
        /// The JSON path of the field, if known.
        field: Option<String>,
    },
    /// 413: the body is over the limit.
    TooLarge(usize),
    /// 408: the body paused too long.
    SlowBody,
    /// 415: not `application/json`.
    UnsupportedMediaType,
    /// 422: the story does not pass validation; every problem, in the teller's language.
    Invalid(Vec<ValidationError>, Lang),
    /// 410: the campaign does not take stories (closed, or not open yet).
    Closed(crate::store::Window),
    /// 404.
    NotFound(&'static str),
    /// 401: the admin token is missing or wrong.
    Unauthorized,
    /// 403: a form that changes something came from another site, or without the session's
    /// form token.
    Forbidden,
    /// 401 for what a browser opens itself (a page, a download, a recording): also asks it to
    /// show its login prompt (HTTP Basic, the token as password).
    LoginRequired,
    /// 503: storage cannot take it now (disk full, busy); try again. Fixed, public wording
    /// only: what the database said goes to the log, never into a reply.
    Unavailable(&'static str),
    /// 429: too many stories from one address at once; try again in a minute.
    TooMany,
    /// 429: too many wrong tokens from one address; try again after this many seconds.
    TooManyTries(u64),
    /// A recording or a part of it refused (413, 409, 415; 503 when the disk fails).
    Audio(AudioError),
    /// 409: the story names a recording that has not (all) arrived: upload it first.
    AudioIncomplete(u64),
    /// 500: something broke inside; details are logged, not shown.
    Internal,
}

impl ApiError {
    /// For what a browser opens itself (a download, a recording): a missing or wrong token
    /// asks for the browser's login prompt ([`ApiError::LoginRequired`]).
    pub fn asking_browser(self) -> ApiError {
        match self {
            ApiError::Unauthorized => ApiError::LoginRequired,
            other => other,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::DiskFull => ApiError::Unavailable("the collector's storage is full; the story was not stored, please try again later"),
            StoreError::Busy => ApiError::Unavailable("the database is busy; please try again"),
            StoreError::Stopped => ApiError::Unavailable("the collector is shutting down; please try again"),
            // The database's own words (host, user, database) stay in the collector's log.
            StoreError::Unreachable(_) | StoreError::Tls(_) => {
                eprintln!("storypoint: {error}");
                ApiError::Unavailable("the database cannot be reached at the moment; please try again")
            }
            StoreError::Database(message) => {
                eprintln!("storypoint: internal error: {message}");
                ApiError::Internal
            }
        }
    }
}

/// A store fault while reading the kept questionnaires is answered as any store fault; a
/// kept version this collector cannot use is an internal fault (logged, not shown).
impl From<crate::versions::VersionsError> for ApiError {
    fn from(error: crate::versions::VersionsError) -> ApiError {
        match error {
            crate::versions::VersionsError::Store(error) => error.into(),
            other => {
                eprintln!("storypoint: internal error: {other}");
                ApiError::Internal
            }
        }
    }
}

/// The login prompt the browser shows for the coordinators' pages.
pub const LOGIN_CHALLENGE: &str = "Basic realm=\"Storypoint beheer\", charset=\"UTF-8\"";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // A refused form was sent by a browser: it gets a page, in its words, with a way back.
        if matches!(self, ApiError::Forbidden) {
            return forbidden_page();
        }
        let login = matches!(self, ApiError::LoginRequired);
        let retry_after = match self {
            ApiError::TooManyTries(seconds) => Some(seconds),
            _ => None,
        };
        let (status, body) = match self {
            ApiError::Malformed { message, field } => (StatusCode::BAD_REQUEST, json!({"error": "malformed", "message": message, "field": field})),
            ApiError::TooLarge(limit) => {
                (StatusCode::PAYLOAD_TOO_LARGE, json!({"error": "too_large", "message": format!("the request body is larger than {limit} bytes")}))
            }
            ApiError::SlowBody => (
                StatusCode::REQUEST_TIMEOUT,
                json!({"error": "timeout", "message": "the request body came too slowly; the story is kept, please send it again"}),
            ),
            ApiError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, json!({"error": "unsupported_media_type", "message": "send the story as Content-Type: application/json"}))
            }
            ApiError::Invalid(errors, lang) => {
                let errors: Vec<_> = errors.iter().map(|e| json!({"question": e.question, "code": e.code.as_str(), "message": e.message(lang)})).collect();
                (StatusCode::UNPROCESSABLE_ENTITY, json!({"errors": errors}))
            }
            ApiError::Closed(window) => {
                let (title, text) = crate::landing::notice(&window, Lang::NL).unwrap_or_default();
                (StatusCode::GONE, json!({"error": "closed", "message": format!("{title}. {text}")}))
            }
            ApiError::NotFound(what) => (StatusCode::NOT_FOUND, json!({"error": "not_found", "message": what})),
            ApiError::Unauthorized | ApiError::LoginRequired => {
                (StatusCode::UNAUTHORIZED, json!({"error": "unauthorized", "message": "send the admin token as Authorization: Bearer TOKEN"}))
            }
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                json!({"error": "forbidden", "message": "Dit formulier kwam niet van deze beheerpagina. Open de pagina opnieuw en probeer het nog eens."}),
            ),
            ApiError::Unavailable(message) => (StatusCode::SERVICE_UNAVAILABLE, json!({"error": "unavailable", "message": message})),
            ApiError::TooMany => (
                StatusCode::TOO_MANY_REQUESTS,
                json!({"error": "too_many", "message": "many stories at once from here; the story is kept, please try again in a minute"}),
            ),
            ApiError::TooManyTries(seconds) => (
                StatusCode::TOO_MANY_REQUESTS,
                json!({"error": "too_many_tries", "message": format!(
                    "Te vaak een verkeerde beheercode geprobeerd. Probeer het over {} opnieuw.",
                    if seconds > 90 { format!("{} minuten", seconds.div_ceil(60)) } else { format!("{seconds} seconden") }
                )}),
            ),
            ApiError::Audio(error) => {
                let (status, received) = match &error {
                    AudioError::TooLarge(_) | AudioError::TooLong(_) => (StatusCode::PAYLOAD_TOO_LARGE, None),
                    AudioError::Gap { received, .. } | AudioError::Mismatch { received, .. } | AudioError::Different { received } => {
                        (StatusCode::CONFLICT, Some(*received))
                    }
                    AudioError::NotAudio | AudioError::NoDuration => (StatusCode::UNSUPPORTED_MEDIA_TYPE, None),
                    AudioError::Unfinished { .. } => (StatusCode::TOO_MANY_REQUESTS, None),
                    AudioError::Full | AudioError::Io(_) => (StatusCode::SERVICE_UNAVAILABLE, None),
                };
                // The disk's own words (paths, errno) stay in the collector's log.
                let message = match &error {
                    AudioError::Io(detail) => {
                        eprintln!("storypoint: a recording could not be saved: {detail}");
                        "the recording could not be saved now; it is kept on the device, try again later".to_string()
                    }
                    other => other.to_string(),
                };
                (status, json!({"error": "audio", "code": error.code(), "message": message, "received": received}))
            }
            ApiError::AudioIncomplete(received) => (
                StatusCode::CONFLICT,
                json!({"error": "audio_incomplete", "message": "upload the whole recording and complete it before sending the story", "received": received}),
            ),
            ApiError::Internal => {
                (StatusCode::INTERNAL_SERVER_ERROR, json!({"error": "internal", "message": "something went wrong on our side; please try again"}))
            }
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        if login {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(LOGIN_CHALLENGE));
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            let seconds = retry_after.unwrap_or(60);
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// The page for a form that came from another site, or without the session's form token.
fn forbidden_page() -> Response {
    use crate::words::{t, t_around};
    let (title, (before, after)) = (t("forbidden.title"), t_around("forbidden.again"));
    let page = crate::pages::document(
        crate::pages::Head { lang: crate::words::language().code(), ..crate::pages::Head::new(&format!("{title} — Storypoint"), &["/admin/inzicht.css"]) },
        maud::html! {
            main #main {
                h1 { (title) }
                p { (t("forbidden.text")) }
                p { (before) a href="/admin" { (t("forbidden.open_again")) } (after) }
            }
        },
    );
    (
        StatusCode::FORBIDDEN,
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8"), (axum::http::header::CONTENT_SECURITY_POLICY, crate::pages::PAGE_CSP)],
        page.into_string(),
    )
        .into_response()
}
