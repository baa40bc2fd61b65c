//! The HTTP API (see "HTTP API" in architecture.md) as one function, [`app`], so tests can
//! run it in-process or behind a real socket.
//!
//! Client mistakes get a 4xx with a JSON body that names the field; internal faults say
//! nothing internal. Nothing about the client (address, user agent, headers) is stored or
//! logged.
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use storypoint_core::diff::History;
use storypoint_core::{Lang, LinkCode, Prefill, Submission, SubmissionId, ValidationError, validate_submission};
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::audio::{AudioError, AudioStore, Progress};
use crate::auth::AdminToken;
use crate::export;
use crate::store::{Inserted, NewStory, Store, StoreError};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Where stories, links and settings live.
    pub store: Arc<dyn Store>,
    /// The questionnaire new stories are told in, and the older versions the collector
    /// served: a story is validated against the version it was told in.
    pub history: Arc<History>,
    /// The admin token's hash.
    pub admin: AdminToken,
    /// The largest story body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The campaign this collector serves.
    pub campaign: String,
    /// The widget bundle served at `/storypoint/`.
    pub bundle: Arc<crate::bundle::Bundle>,
    /// Stories per address per minute (keyed without identifying anyone).
    pub limiter: Arc<crate::limits::RateLimiter>,
    /// The stories as facts for the patterns, and the suppression rules.
    pub insight: Arc<crate::insight::Insight>,
    /// Recordings of spoken stories.
    pub audio: Arc<AudioStore>,
    /// The reverse proxies whose `X-Forwarded-For` names the client.
    pub proxies: Arc<crate::client::TrustedProxies>,
    /// Wrong admin tokens per client: guessing is slowed to a few tries a minute.
    pub logins: Arc<crate::limits::RateLimiter>,
    /// `/.well-known/security.txt`, when the operator named a contact.
    pub security_txt: Option<Arc<str>>,
}

/// Wrong tokens a client may try at once; then one more per [`LOGIN_REFILL`].
pub const LOGIN_TRIES: u32 = 10;

/// The time in which [`LOGIN_TRIES`] wrong tokens are forgiven again.
pub const LOGIN_REFILL: std::time::Duration = std::time::Duration::from_secs(600);

impl AppState {
    /// Who a request comes from, for the limits only (never stored): its connection's
    /// peer, or the client a trusted proxy names. `None` in-process, without a connection.
    pub fn client(&self, extensions: &axum::http::Extensions, headers: &HeaderMap) -> Option<crate::limits::ClientKey> {
        let peer = extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?.0.ip();
        let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        Some(crate::limits::ClientKey::of(self.proxies.client(peer, &forwarded)))
    }
}

/// The largest part of a recording accepted in one `PUT` (the widget sends 256 KB).
pub const MAX_AUDIO_PART_BYTES: usize = 1024 * 1024;

/// The default body limit: 64 KB, far above the longest story (5,000 characters).
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

/// The Content-Security-Policy of every reply: only our own scripts (and WebAssembly),
/// styles and connections; no frames, no third parties.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
                   media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    // Partner sites on any origin embed the widget: the public API answers them.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(std::time::Duration::from_secs(86_400));
    let public = Router::new()
        .route("/api/v1/stories", post(submit))
        .route("/api/v1/stories/{submission_id}/audio", get(audio_progress).put(audio_part).delete(audio_discard))
        .route("/api/v1/stories/{submission_id}/audio/complete", post(audio_complete))
        // A region's campaign: the same API under /api/v1/c/{slug}/ (the widget derives the
        // links and recordings paths from its `endpoint`).
        .route("/api/v1/c/{slug}/stories", post(submit_to_campaign))
        .route("/api/v1/c/{slug}/questionnaire", get(campaign_questionnaire))
        .route("/api/v1/c/{slug}/campaign", get(|state, Path(slug): Path<String>, query| campaign_info(state, Some(slug), query)))
        .route("/api/v1/campaign", get(|state, query| campaign_info(state, None, query)))
        .route("/api/v1/c/{slug}/links/{code}", get(|state: State<AppState>, Path((slug, code)): Path<(String, String)>| lookup_link(state, slug, code)))
        .route(
            "/api/v1/c/{slug}/stories/{submission_id}/audio",
            get(|state: State<AppState>, Path((_, id)): Path<(String, String)>| audio_progress(state, Path(id)))
                .put(|state: State<AppState>, Path((slug, id)): Path<(String, String)>, query, request| receive_part(state, Some(slug), id, query, request))
                .delete(|state: State<AppState>, Path((_, id)): Path<(String, String)>| audio_discard(state, Path(id))),
        )
        .route(
            "/api/v1/c/{slug}/stories/{submission_id}/audio/complete",
            post(|state: State<AppState>, Path((_, id)): Path<(String, String)>, body| audio_complete(state, Path(id), body)),
        )
        .route("/api/v1/links/{code}", get(link))
        .route("/api/v1/questionnaire", get(questionnaire))
        .route("/api/v1/health", get(|| async { axum::Json(json!({"status": "ok"})) }))
        .route("/storypoint/{file}", get(bundle_file))
        .route("/storypoint/lang/{file}", get(|state, Path(file): Path<String>, headers| bundle_file(state, Path(format!("lang/{file}")), headers)))
        .layer(cors);
    let pages = Router::new()
        .route("/", get(|| async { page("text/html; charset=utf-8", DEMO_HTML) }))
        .route("/vertel", get(landing_page))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/.well-known/security.txt", get(security_txt))
        .route("/assets/demo.css", get(|| async { page("text/css; charset=utf-8", DEMO_CSS) }))
        .route("/assets/vertel.css", get(|| async { page("text/css; charset=utf-8", VERTEL_CSS) }));
    // What coordinators see is never kept in a cache (a shared computer, a proxy).
    let admin = Router::new()
        .route("/api/v1/stats", get(stats))
        .route("/api/v1/campaigns", get(campaigns))
        .route("/api/v1/export.json", get(export_json))
        .route("/api/v1/export.csv", get(export_csv))
        .route("/admin", get(|| async { page("text/html; charset=utf-8", ADMIN_HTML) }))
        .route("/admin/admin.js", get(|| async { page("text/javascript; charset=utf-8", ADMIN_JS) }))
        .route("/admin/admin.css", get(|| async { page("text/css; charset=utf-8", ADMIN_CSS) }))
        .route("/admin/audio/{story}", get(audio_file))
        .route("/admin/inzicht", get(crate::insight::page))
        .route("/admin/inzicht.css", get(|| async { page("text/css; charset=utf-8", INZICHT_CSS) }))
        .route("/api/v1/patterns", get(crate::insight::patterns))
        .layer(axum::middleware::from_fn_with_state(state.clone(), slow_down_guessing))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        // Coordinators' replies are never embedded or loaded by another site.
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ));
    public
        .merge(pages)
        .merge(admin)
        .fallback(|| async { ApiError::NotFound("no such page") })
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS),
        ))
}

/// Slows token guessing: a client that sent [`LOGIN_TRIES`] wrong tokens gets 429 (with
/// `Retry-After`) until its bucket refills, whatever it sends; everyone else is not
/// affected, so the right token holder elsewhere still gets in. A request without any
/// token (the browser's first visit, before its login prompt) is not a wrong try.
async fn slow_down_guessing(State(state): State<AppState>, request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let client = state.client(request.extensions(), request.headers());
    if let Some(wait) = client.and_then(|client| state.logins.wait(client)) {
        return ApiError::TooManyTries(wait.as_secs().max(1)).into_response();
    }
    let tried = request.headers().contains_key(header::AUTHORIZATION);
    let response = next.run(request).await;
    if tried && response.status() == StatusCode::UNAUTHORIZED {
        if let Some(client) = client {
            state.logins.allow(client);
        }
    }
    response
}

/// No powerful feature is used but the microphone, on our own pages only, for a teller who
/// chooses to speak the story in.
const PERMISSIONS: &str = "camera=(), microphone=(self), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()";

const ADMIN_HTML: &str = include_str!("../../../www/admin.html");
const DEMO_HTML: &str = include_str!("../../../www/index.html");
const DEMO_CSS: &str = include_str!("../../../www/demo.css");
const VERTEL_CSS: &str = include_str!("../../../www/vertel.css");
const ADMIN_JS: &str = include_str!("../../../www/admin.js");
const ADMIN_CSS: &str = include_str!("../../../www/admin.css");
const INZICHT_CSS: &str = include_str!("../../../www/inzicht.css");

/// `GET /vertel?sp=CODE`: the landing page of the campaign the code belongs to (the
/// collector's own without a code, or for a code no campaign has: the widget then asks).
async fn landing_page(State(state): State<AppState>, query: axum::extract::RawQuery) -> Result<Response, ApiError> {
    blocking(move || {
        let code = url_param(&query, "sp").and_then(|code| LinkCode::parse(code.trim()).ok());
        let slug = match code {
            Some(code) => state.store.find_link(&code)?.map(|(slug, _)| slug),
            None => None,
        };
        let campaign = state.store.campaign(slug.as_deref().unwrap_or(&state.campaign))?;
        let page = crate::landing::page(&campaign, state.history.current(), state.bundle.prerender(), &today());
        Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], page).into_response())
    })
    .await
}

/// The (decoded) value of `name` in a request's query string, if it has one.
fn url_param(query: &axum::extract::RawQuery, name: &str) -> Option<String> {
    let query = query.0.as_deref()?;
    form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

/// `GET /api/v1/campaign?lang=nl` (or `/api/v1/c/{slug}/campaign`): whether the campaign
/// takes stories now (with the notice for the teller when not) and the prompts it offers.
async fn campaign_info(State(state): State<AppState>, slug: Option<String>, query: axum::extract::RawQuery) -> Result<Response, ApiError> {
    blocking(move || {
        let campaign = campaign_of(&state, slug.as_deref())?;
        let lang = url_param(&query, "lang").as_deref().and_then(Lang::parse).unwrap_or(Lang::NL);
        let body = crate::landing::info(&campaign, state.history.current(), &today(), lang);
        Ok(([(header::CACHE_CONTROL, "no-cache")], axum::Json(body)).into_response())
    })
    .await
}

/// `GET /.well-known/security.txt`: whom to tell about a vulnerability (404 when the
/// operator named nobody).
async fn security_txt(State(state): State<AppState>) -> Result<Response, ApiError> {
    let text = state.security_txt.clone().ok_or(ApiError::NotFound("no security contact is configured (serve --security-contact)"))?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text.to_string()).into_response())
}

fn page(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

/// `GET /storypoint/{file}`: the widget bundle, precompressed, cached for a week.
async fn bundle_file(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    let Some(served) = state.bundle.get(&file, accept) else {
        return Err(ApiError::NotFound("no such file in the widget bundle (build it with `cargo xtask dist`)"));
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, served.content_type),
            (header::CACHE_CONTROL, "public, max-age=604800"),
            (header::VARY, "Accept-Encoding"),
        ],
        served.bytes.to_vec(),
    )
        .into_response();
    if let Some(encoding) = served.encoding {
        response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    Ok(response)
}

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
        let login = matches!(self, ApiError::LoginRequired);
        let retry_after = match self {
            ApiError::TooManyTries(seconds) => Some(seconds),
            _ => None,
        };
        let (status, body) = match self {
            ApiError::Malformed { message, field } => {
                (StatusCode::BAD_REQUEST, json!({"error": "malformed", "message": message, "field": field}))
            }
            ApiError::TooLarge(limit) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({"error": "too_large", "message": format!("the request body is larger than {limit} bytes")}),
            ),
            ApiError::SlowBody => (
                StatusCode::REQUEST_TIMEOUT,
                json!({"error": "timeout", "message": "the request body came too slowly; the story is kept, please send it again"}),
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                json!({"error": "unsupported_media_type", "message": "send the story as Content-Type: application/json"}),
            ),
            ApiError::Invalid(errors, lang) => {
                let errors: Vec<_> = errors
                    .iter()
                    .map(|e| json!({"question": e.question, "code": e.code.as_str(), "message": e.message(lang)}))
                    .collect();
                (StatusCode::UNPROCESSABLE_ENTITY, json!({"errors": errors}))
            }
            ApiError::Closed(window) => {
                let (title, text) = crate::landing::notice(&window, Lang::NL).unwrap_or_default();
                (StatusCode::GONE, json!({"error": "closed", "message": format!("{title}. {text}")}))
            }
            ApiError::NotFound(what) => (StatusCode::NOT_FOUND, json!({"error": "not_found", "message": what})),
            ApiError::Unauthorized | ApiError::LoginRequired => (
                StatusCode::UNAUTHORIZED,
                json!({"error": "unauthorized", "message": "send the admin token as Authorization: Bearer TOKEN"}),
            ),
            ApiError::Unavailable(message) => {
                (StatusCode::SERVICE_UNAVAILABLE, json!({"error": "unavailable", "message": message}))
            }
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

/// Today as `YYYY-MM-DD` (UTC): the only time a story keeps.
pub fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// Runs blocking storage work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.unwrap_or(Err(ApiError::Internal))
}

/// `POST /api/v1/stories`: a story for the collector's default campaign.
async fn submit(state: State<AppState>, request: axum::extract::Request) -> Result<Response, ApiError> {
    receive(state, None, request).await
}

/// `POST /api/v1/c/{slug}/stories`: a story for a region's campaign.
async fn submit_to_campaign(state: State<AppState>, Path(slug): Path<String>, request: axum::extract::Request) -> Result<Response, ApiError> {
    receive(state, Some(slug), request).await
}

/// `GET /api/v1/c/{slug}/questionnaire`: the questionnaire as this campaign offers it (only
/// its prompts), for a partner page's `questionnaire` attribute.
async fn campaign_questionnaire(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, ApiError> {
    blocking(move || {
        let campaign = campaign_of(&state, Some(&slug))?;
        let questionnaire = crate::landing::questionnaire_of(state.history.current(), &campaign);
        Ok(([(header::CONTENT_TYPE, "application/json")], questionnaire.to_json()).into_response())
    })
    .await
}

async fn receive(State(state): State<AppState>, campaign: Option<String>, request: axum::extract::Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
    // The peer address is used for the limit only: hashed with a daily salt, never kept.
    if let Some(client) = state.client(&parts.extensions, &headers) {
        if !state.limiter.allow(client) {
            return Err(ApiError::TooMany);
        }
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let limit = state.max_body_bytes;
    // Fails when the body is over the limit (or the client left mid-body: then nobody
    // reads the reply).
    let bytes = read_body(body, limit).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::Malformed { message: "the body is not UTF-8 text".into(), field: None })?;
    let submission = Submission::from_json(text).map_err(|e| ApiError::Malformed {
        message: e.to_string(),
        field: if e.path.is_empty() { None } else { Some(e.path.clone()) },
    })?;
    blocking(move || intake(&state, campaign, submission)).await
}

/// A request body of at most `limit` bytes: 413 over it, 408 when the client paused too
/// long (the door's body timer; see `listen`), 400 when it left mid-body.
async fn read_body(body: axum::body::Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        while let Some(error) = cause {
            if error.is::<tower_http::timeout::TimeoutError>() {
                return ApiError::SlowBody;
            }
            if error.is::<http_body_util::LengthLimitError>() {
                return ApiError::TooLarge(limit);
            }
            cause = error.source();
        }
        ApiError::Malformed { message: "the body was cut off".into(), field: None }
    })
}

/// The campaign a public path is for: the collector's own, or `/api/v1/c/{slug}/`'s (404
/// when there is no such campaign).
fn campaign_of(state: &AppState, slug: Option<&str>) -> Result<crate::store::Campaign, ApiError> {
    match slug {
        None => Ok(state.store.campaign(&state.campaign)?),
        Some(slug) => crate::store::Campaign::is_slug(slug)
            .then(|| state.store.find_campaign(slug))
            .transpose()?
            .flatten()
            .ok_or(ApiError::NotFound("no such campaign (see `storypoint campaign list`)")),
    }
}

fn intake(state: &AppState, slug: Option<String>, submission: Submission) -> Result<Response, ApiError> {
    let store = &state.store;
    let submission_id = submission.submission_id.to_hyphenated();
    let today = today();
    let campaign = campaign_of(state, slug.as_deref())?;
    if !campaign.accepts_on(&today) {
        // A retry of a story stored before closing still hears that it arrived.
        return match store.story_id(&submission_id)? {
            Some(id) => Ok(duplicate(id)),
            None => Err(ApiError::Closed(campaign.window(&today))),
        };
    }
    // The link's prefill comes from our own table, never from the request.
    let entry = match submission.link.as_deref().map(|code| LinkCode::parse(code.trim())) {
        Some(Ok(code)) => store.link(&campaign.slug, &code)?,
        _ => None,
    };
    // A story keeps the version it was told in (a draft from before an update, a partner
    // page with an older widget, a version another collector on the database serves since);
    // a version never served gets a 422.
    let kept_since;
    let told_in = match state.history.get(&submission.questionnaire, submission.version) {
        Some(known) => known,
        None => match crate::versions::find(store.as_ref(), &submission.questionnaire, submission.version)? {
            Some(found) => {
                kept_since = found;
                &kept_since
            }
            None => state.history.current(),
        },
    };
    let prefill = match &entry {
        Some(entry) => entry.prefill(told_in).prefill,
        None => Prefill::new(),
    };
    // A campaign offers some of the prompts: another one is not an option there.
    let questionnaire = crate::landing::questionnaire_of(told_in, &campaign);
    let story = validate_submission(&questionnaire, &prefill, &submission)
        .map_err(|errors| ApiError::Invalid(errors, submission.lang))?;
    // A spoken story is stored only with its whole recording, exactly as the widget made it.
    let audio = match &submission.audio {
        None => None,
        Some(expected) => match state.audio.progress(&submission.submission_id).map_err(|e| ApiError::Audio(e.into()))? {
            Progress::Complete(info) if info.length == expected.length && info.sha256 == expected.sha256 => Some(info.file),
            Progress::Complete(info) => return Err(ApiError::Audio(AudioError::Different { received: info.length })),
            Progress::Receiving(received) => return Err(ApiError::AudioIncomplete(received)),
        },
    };
    let new = NewStory {
        submission_id,
        story,
        lang: submission.lang.code().into(),
        link: entry.map(|e| e.code.as_str().to_string()),
        received_on: today,
        audio,
        campaign: campaign.slug,
    };
    match store.insert_story(new)? {
        Inserted::Created(id) => Ok((StatusCode::CREATED, axum::Json(json!({"id": id}))).into_response()),
        Inserted::Duplicate(id) => Ok(duplicate(id)),
    }
}

fn duplicate(id: i64) -> Response {
    (StatusCode::OK, axum::Json(json!({"id": id, "duplicate": true}))).into_response()
}

/// `GET /api/v1/links/{code}`: one link of the default campaign for the widget; 404 when
/// unknown or malformed.
async fn link(state: State<AppState>, Path(code): Path<String>) -> Result<Response, ApiError> {
    let slug = state.campaign.clone();
    lookup_link(state, slug, code).await
}

/// One link of campaign `slug` (`GET /api/v1/c/{slug}/links/{code}`).
async fn lookup_link(State(state): State<AppState>, slug: String, code: String) -> Result<Response, ApiError> {
    let Ok(code) = LinkCode::parse(&code) else {
        return Err(ApiError::NotFound("no such link"));
    };
    blocking(move || {
        let entry = crate::store::Campaign::is_slug(&slug)
            .then(|| state.store.link(&slug, &code))
            .transpose()?
            .flatten()
            .ok_or(ApiError::NotFound("no such link"))?;
        let prefill: serde_json::Map<String, serde_json::Value> = entry
            .prefill(state.history.current())
            .prefill
            .iter()
            .map(|(id, answer)| (id.to_string(), serde_json::to_value(answer).unwrap_or_default()))
            .collect();
        Ok(axum::Json(json!({"code": entry.code.as_str(), "organisation": entry.organisation, "prefill": prefill})).into_response())
    })
    .await
}

/// `GET /api/v1/questionnaire`.
async fn questionnaire(State(state): State<AppState>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], state.history.current().to_json()).into_response()
}

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

/// `GET /api/v1/stats` (admin): totals, per link, per perspective, per age group, per day.
/// `?campaign=SLUG` chooses one campaign (the collector's token; a campaign's token always
/// sees its own); without it, every campaign together.
async fn stats(State(state): State<AppState>, headers: HeaderMap, query: axum::extract::RawQuery) -> Result<Response, ApiError> {
    blocking(move || {
        let access = access(&state, &headers)?;
        let asked = url_param(&query, "campaign").filter(|slug| !slug.is_empty() && slug != "all");
        let chosen = match (access.campaign(), asked) {
            (Some(own), _) => Some(state.store.campaign(own)?),
            (None, Some(slug)) => Some(campaign_of(&state, Some(&slug))?),
            (None, None) => None,
        };
        let counts = state.store.counts(chosen.as_ref().map(|c| c.slug.as_str()))?;
        let q = &state.history.current();
        let per_option = |question: &str, counted: &[(Option<String>, i64)]| {
            let mut rows: Vec<serde_json::Value> = Vec::new();
            let count = |value: Option<&str>| {
                counted.iter().find(|(v, _)| v.as_deref() == value).map_or(0, |(_, n)| *n)
            };
            if let Some(values) = q.question(question).and_then(|q| q.kind.option_values()) {
                for value in values {
                    let label = q.question(question).and_then(|q| q.kind.option_label(value)).map(|t| t.nl.clone()).unwrap_or_default();
                    rows.push(json!({"value": value, "label": label, "stories": count(Some(value))}));
                }
            }
            rows.push(json!({"value": null, "label": "niet ingevuld", "stories": count(None)}));
            rows
        };
        let body = json!({
            "total": counts.total,
            "without_link": counts.without_link,
            "per_link": counts.per_link,
            "per_perspective": per_option("perspective", &counts.per_perspective),
            "per_age_group": per_option("age_group", &counts.per_age_group),
            "per_day": counts.per_day.iter().map(|(day, n)| json!({"day": day, "stories": n})).collect::<Vec<_>>(),
            "bursts": crate::insight::bursts(&state, chosen.as_ref().map(|c| c.slug.as_str()), &counts.per_link)?,
            "campaign": chosen.map(|c| campaign_json(&c, None)),
        });
        Ok(axum::Json(body).into_response())
    })
    .await
}

/// A campaign for the coordinators' pages.
fn campaign_json(campaign: &crate::store::Campaign, stories: Option<i64>) -> serde_json::Value {
    let today = today();
    json!({
        "slug": campaign.slug,
        "name": campaign.name,
        "open": campaign.window(&today) == crate::store::Window::Open,
        "opens_on": campaign.opens_on,
        "closes_at": campaign.closes_at,
        "stories": stories,
    })
}

/// `GET /api/v1/campaigns` (admin): the campaigns this token sees, with their stories.
async fn campaigns(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    blocking(move || {
        let access = access(&state, &headers)?;
        let mut listed = Vec::new();
        for campaign in state.store.campaigns()? {
            if access.campaign().is_none_or(|own| own == campaign.slug) {
                let stories = state.store.counts(Some(&campaign.slug))?.total;
                listed.push(campaign_json(&campaign, Some(stories)));
            }
        }
        Ok(axum::Json(serde_json::Value::Array(listed)).into_response())
    })
    .await
}

fn submission_id(text: &str) -> Result<SubmissionId, ApiError> {
    SubmissionId::parse(text).map_err(|e| ApiError::Malformed { message: e.to_string(), field: Some("submission_id".into()) })
}

/// `GET /api/v1/stories/{submission_id}/audio`: how much of a recording is here, so an
/// interrupted upload resumes where it stopped.
async fn audio_progress(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = submission_id(&id)?;
    blocking(move || {
        let (max_bytes, max_seconds) = state.audio.limits();
        Ok(match state.audio.progress(&id).map_err(|e| ApiError::Audio(e.into()))? {
            Progress::Receiving(received) => {
                axum::Json(json!({"received": received, "complete": false, "max_bytes": max_bytes, "max_seconds": max_seconds}))
            }
            Progress::Complete(info) => axum::Json(json!({"received": info.length, "complete": true, "sha256": info.sha256,
                "max_bytes": max_bytes, "max_seconds": max_seconds})),
        }
        .into_response())
    })
    .await
}

/// `DELETE /api/v1/stories/{submission_id}/audio`: the teller started over; what was
/// uploaded of the old recording goes. Refused (409) once a story names the recording.
async fn audio_discard(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = submission_id(&id)?;
    blocking(move || {
        if state.store.story_id(&id.to_hyphenated())?.is_some() {
            return Err(ApiError::Audio(AudioError::Different { received: 0 }));
        }
        state.audio.delete(&id).map_err(|e| ApiError::Audio(e.into()))?;
        Ok(StatusCode::NO_CONTENT.into_response())
    })
    .await
}

#[derive(serde::Deserialize)]
struct PartQuery {
    offset: u64,
}

/// `PUT /api/v1/stories/{submission_id}/audio?offset=N`: one part of a recording. Repeating
/// a part is harmless; a gap gets a 409 with the bytes received so far.
async fn audio_part(state: State<AppState>, Path(id): Path<String>, query: PartQueryResult, request: axum::extract::Request) -> Result<Response, ApiError> {
    receive_part(state, None, id, query, request).await
}

type PartQueryResult = Result<axum::extract::Query<PartQuery>, axum::extract::rejection::QueryRejection>;

/// One part of a recording for the collector's own campaign (`slug` none) or a region's.
async fn receive_part(
    State(state): State<AppState>,
    slug: Option<String>,
    id: String,
    query: PartQueryResult,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let id = submission_id(&id)?;
    let axum::extract::Query(PartQuery { offset }) = query.map_err(|_| ApiError::Malformed {
        message: "say where this part starts: ?offset=N (bytes)".into(),
        field: Some("offset".into()),
    })?;
    let client = state.client(request.extensions(), request.headers());
    // A new recording counts against the address's limit, like a story, and only while the
    // Vertelpunt is open.
    if offset == 0 {
        let shared = state.clone();
        let campaign = blocking(move || campaign_of(&shared, slug.as_deref())).await?;
        let today = today();
        if !campaign.accepts_on(&today) {
            return Err(ApiError::Closed(campaign.window(&today)));
        }
        if let Some(client) = client {
            if !state.limiter.allow(client) {
                return Err(ApiError::TooMany);
            }
        }
    }
    let bytes = read_body(request.into_body(), MAX_AUDIO_PART_BYTES).await?;
    blocking(move || match state.audio.put_from(&id, offset, &bytes, client) {
        Ok(received) => Ok(axum::Json(json!({"received": received})).into_response()),
        // Unfinished recordings of this client fill its share: when the first expires.
        Err(error @ AudioError::Unfinished { retry_after_secs, .. }) => {
            let mut response = ApiError::Audio(error).into_response();
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            Ok(response)
        }
        Err(error) => Err(ApiError::Audio(error)),
    })
    .await
}

#[derive(serde::Deserialize)]
struct Complete {
    length: u64,
    sha256: String,
    mime: String,
}

/// `POST /api/v1/stories/{submission_id}/audio/complete` with `{"length", "sha256", "mime"}`:
/// the recording is whole when the collector's copy has that length and checksum.
async fn audio_complete(State(state): State<AppState>, Path(id): Path<String>, body: axum::body::Bytes) -> Result<Response, ApiError> {
    let id = submission_id(&id)?;
    let complete: Complete = serde_json::from_slice(&body)
        .map_err(|e| ApiError::Malformed { message: format!("send {{\"length\", \"sha256\", \"mime\"}}: {e}"), field: None })?;
    if !storypoint_core::is_sha256_hex(&complete.sha256) {
        return Err(ApiError::Malformed { message: "sha256 must be 64 lowercase hex digits".into(), field: Some("sha256".into()) });
    }
    // The client's type is only a hint for the reply; the container is read from the bytes.
    let container = storypoint_core::AudioContainer::from_mime(&complete.mime).unwrap_or(storypoint_core::AudioContainer::Webm);
    let expected = storypoint_core::AudioRef { length: complete.length, sha256: complete.sha256, container };
    blocking(move || {
        let info = state.audio.complete(&id, &expected).map_err(ApiError::Audio)?;
        Ok(axum::Json(json!({"length": info.length, "sha256": info.sha256, "mime": info.mime, "duration_ms": info.duration_ms})).into_response())
    })
    .await
}

/// `GET /admin/audio/{story}`: a spoken story's recording, for the coordinators only.
async fn audio_file(State(state): State<AppState>, Path(story): Path<i64>, headers: HeaderMap) -> Result<Response, ApiError> {
    blocking(move || {
        let access = access(&state, &headers).map_err(|e| match e {
            ApiError::Unauthorized => ApiError::LoginRequired,
            other => other,
        })?;
        let stories = state.store.stories_with_ids(&[story])?;
        let file = stories
            .first()
            .filter(|s| access.campaign().is_none_or(|slug| s.campaign == slug))
            .and_then(|s| s.audio.clone())
            .ok_or(ApiError::NotFound("no recording for this story"))?;
        let bytes = state.audio.recording(&file).map_err(|_| ApiError::NotFound("the recording is missing"))?;
        let container = crate::audio::sniff(&bytes);
        let mime = container.map_or("application/octet-stream", |c| c.mime());
        // A download, never a page of ours: nothing in it runs, and other sites cannot embed it.
        let disposition = format!("attachment; filename=\"verhaal-{story}.{}\"", container.map_or("bin", |c| c.extension()));
        let disposition = HeaderValue::from_str(&disposition).map_err(|_| ApiError::Internal)?;
        Ok((
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
                (header::CONTENT_DISPOSITION, disposition),
                (header::HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("same-origin")),
            ],
            bytes,
        )
            .into_response())
    })
    .await
}

/// The stories an access may see.
fn stories_for(state: &AppState, access: &Access) -> Result<Vec<crate::store::StoredStory>, ApiError> {
    let mut stories = state.store.stories()?;
    if let Some(slug) = access.campaign() {
        stories.retain(|s| s.campaign == slug);
    }
    Ok(stories)
}

/// `GET /api/v1/export.json` (admin).
async fn export_json(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    blocking(move || {
        let stories = stories_for(&state, &access(&state, &headers)?)?;
        Ok(([(header::CONTENT_TYPE, "application/json")], export::json(&stories)).into_response())
    })
    .await
}

/// `GET /api/v1/export.csv` (admin).
async fn export_csv(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    blocking(move || {
        let stories = stories_for(&state, &access(&state, &headers)?)?;
        // Read again: another collector on the database may serve a newer version.
        let history = crate::versions::kept(state.store.as_ref())?;
        let csv = export::csv(&history, &stories);
        Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"verhalen.csv\""),
            ],
            csv,
        )
            .into_response())
    })
    .await
}
