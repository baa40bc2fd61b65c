//! The HTTP API (see "HTTP API" in architecture.md) as one function, [`app`], so tests can
//! run it in-process or behind a real socket.
//!
//! Client mistakes get a 4xx with a JSON body that names the field; internal faults say
//! nothing internal. Nothing about the client (address, user agent, headers) is stored or
//! logged.
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use storypoint_core::{Lang, LinkCode, Prefill, Submission, SubmissionId, validate_submission};
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::audio::{AudioError, Progress};
use crate::export;
use crate::store::{Inserted, NewStory};

pub use crate::access::{Access, access};
pub use crate::error::{ApiError, LOGIN_CHALLENGE};
pub use crate::state::{AppState, LOGIN_REFILL, LOGIN_TRIES};

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
        .route("/api/v1/export.json", get(|state, headers, query| download(state, headers, query, export::Format::Json)))
        .route("/api/v1/export.csv", get(|state, headers, query| download(state, headers, query, export::Format::Csv)))
        .route("/api/v1/export.sav", get(|state, headers, query| download(state, headers, query, export::Format::Sav)))
        .route("/api/v1/export.qdpx", get(|state, headers, query| download(state, headers, query, export::Format::Qdpx)))
        .route("/admin", get(admin_page))
        .route("/admin/login", get(login_form).post(log_in))
        .route("/admin/logout", get(logout_form).post(log_out))
        .route("/admin/admin.css", get(|| async { page("text/css; charset=utf-8", ADMIN_CSS) }))
        .route("/admin/audio/{story}", get(audio_file))
        .route("/admin/inzicht", get(crate::insight::page))
        .route("/admin/inzicht.css", get(|| async { page("text/css; charset=utf-8", INZICHT_CSS) }))
        .route("/api/v1/patterns", get(crate::insight::patterns))
        .merge(crate::console::campaigns::routes())
        .merge(crate::console::links::routes())
        .merge(crate::worksession::routes())
        .merge(crate::standouts::routes())
        .merge(crate::console::language::routes())
        // The console's words in the coordinator's language (see `words`).
        .layer(axum::middleware::from_fn(crate::console::language::speak))
        .layer(axum::middleware::from_fn_with_state(state.clone(), slow_down_guessing))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        // Coordinators' replies are never embedded or loaded by another site.
        .layer(SetResponseHeaderLayer::overriding(header::HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("same-origin")));
    public
        .merge(pages)
        .merge(admin)
        .fallback(|| async { ApiError::NotFound("no such page") })
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS)))
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
    // A token in a header, or typed into the login page.
    let tried = request.headers().contains_key(header::AUTHORIZATION) || (request.method() == Method::POST && request.uri().path() == "/admin/login");
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

const DEMO_HTML: &str = include_str!("../../../www/index.html");
const DEMO_CSS: &str = include_str!("../../../www/demo.css");
const VERTEL_CSS: &str = include_str!("../../../www/vertel.css");
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
        let what = crate::landing::landing(&campaign, state.history.current(), state.bundle.prerender(), &today());
        let page = crate::pages::landing::page(&campaign, &what);
        Ok(([(header::CACHE_CONTROL, "no-cache")], crate::pages::reply(page)).into_response())
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
        [(header::CONTENT_TYPE, served.content_type), (header::CACHE_CONTROL, "public, max-age=604800"), (header::VARY, "Accept-Encoding")],
        served.bytes.to_vec(),
    )
        .into_response();
    if let Some(encoding) = served.encoding {
        response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    Ok(response)
}

/// Today as `YYYY-MM-DD` (UTC): the only time a story keeps.
pub fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// Runs blocking storage work off the async threads (in the request's language).
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(crate::words::carried(work)).await.unwrap_or(Err(ApiError::Internal))
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
    let text = std::str::from_utf8(&bytes).map_err(|_| ApiError::Malformed { message: "the body is not UTF-8 text".into(), field: None })?;
    let submission = Submission::from_json(text)
        .map_err(|e| ApiError::Malformed { message: e.to_string(), field: if e.path.is_empty() { None } else { Some(e.path.clone()) } })?;
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
    let story = validate_submission(&questionnaire, &prefill, &submission).map_err(|errors| ApiError::Invalid(errors, submission.lang))?;
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
        let entry =
            crate::store::Campaign::is_slug(&slug).then(|| state.store.link(&slug, &code)).transpose()?.flatten().ok_or(ApiError::NotFound("no such link"))?;
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

/// The campaign whose figures a coordinator asked for: a campaign's token always sees its
/// own; the collector's chooses one with `?campaign=SLUG` (empty or `all`: every campaign
/// together).
fn chosen_campaign(state: &AppState, access: &Access, query: &axum::extract::RawQuery) -> Result<Option<crate::store::Campaign>, ApiError> {
    let asked = url_param(query, "campaign").filter(|slug| !slug.is_empty() && slug != "all");
    Ok(match (access.campaign(), asked) {
        (Some(own), _) => Some(state.store.campaign(own)?),
        (None, Some(slug)) => Some(campaign_of(state, Some(&slug))?),
        (None, None) => None,
    })
}

/// `GET /api/v1/stats` (admin): totals, per link, per perspective, per age group, per day
/// (see [`crate::overview`]). `?campaign=SLUG` chooses one campaign (the collector's token;
/// a campaign's token always sees its own); without it, every campaign together.
async fn stats(State(state): State<AppState>, headers: HeaderMap, query: axum::extract::RawQuery) -> Result<Response, ApiError> {
    blocking(move || {
        let access = access(&state, &headers)?;
        let chosen = chosen_campaign(&state, &access, &query)?;
        let overview = crate::overview::of(&state, chosen.as_ref(), &today())?;
        Ok(axum::Json(overview).into_response())
    })
    .await
}

/// `GET /api/v1/campaigns` (admin): the campaigns this token sees, with their stories.
async fn campaigns(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    blocking(move || {
        let access = access(&state, &headers)?;
        Ok(axum::Json(crate::overview::campaigns(&state, access.campaign(), &today())?).into_response())
    })
    .await
}

#[derive(serde::Deserialize)]
struct Back {
    terug: Option<String>,
    uitgelogd: Option<String>,
}

/// Where to go after logging in: a coordinators' page of ours, never another site.
fn back_to(terug: Option<&str>) -> String {
    terug.filter(|path| path.starts_with("/admin") && !path.starts_with("//") && !path.contains("://")).unwrap_or("/admin").to_string()
}

/// `GET /admin/login`: the login page.
async fn login_form(query: Result<axum::extract::Query<Back>, axum::extract::rejection::QueryRejection>) -> Response {
    let back = query.ok().map(|q| q.0);
    let logged_out = back.as_ref().is_some_and(|b| b.uitgelogd.is_some());
    let back = back_to(back.as_ref().and_then(|b| b.terug.as_deref()));
    crate::access::page_reply(StatusCode::OK, crate::pages::admin::login(&back, None, logged_out))
}

#[derive(serde::Deserialize)]
struct LogIn {
    token: String,
    terug: Option<String>,
}

/// `POST /admin/login`: a right token starts a session (a cookie for a working day) and
/// goes back to the page asked for; a wrong one shows the page again, saying so (401: the
/// guessing limit counts it).
async fn log_in(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    if !crate::session::same_site(&parts.headers) {
        return ApiError::Forbidden.into_response();
    }
    let secure = crate::access::over_tls(&state, &parts.extensions, &parts.headers);
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024).await else { return ApiError::TooLarge(16 * 1024).into_response() };
    let form: LogIn = match form_fields(&bytes) {
        Some(form) => form,
        None => return ApiError::Malformed { message: "send the login form".into(), field: Some("token".into()) }.into_response(),
    };
    let back = back_to(form.terug.as_deref());
    let token = form.token.trim().to_string();
    let checked = blocking(move || {
        let access = crate::access::token_access(&state, &token)?;
        let hash = match &access {
            Some(crate::access::Access::All) => Some(state.admin.hash_hex()),
            Some(crate::access::Access::Campaign(slug)) => state.store.find_campaign(slug)?.and_then(|c| c.admin_hash),
            None => None,
        };
        Ok(access.zip(hash).map(|(access, hash)| state.sessions.issue(&access, &crate::session::fingerprint(&hash), std::time::SystemTime::now())))
    })
    .await;
    match checked {
        Ok(Some(cookie)) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(header::SET_COOKIE, crate::session::set_cookie(&cookie, secure));
            if let Ok(location) = HeaderValue::from_str(&back) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Ok(None) => crate::access::page_reply(StatusCode::UNAUTHORIZED, crate::pages::admin::login(&back, Some(crate::words::t("login.wrong_token")), false)),
        Err(error) => error.into_response(),
    }
}

/// A form body (`application/x-www-form-urlencoded`) as `T`.
fn form_fields<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_urlencoded::from_bytes(bytes).ok()
}

/// `GET /admin/logout`: the button that ends the session.
async fn logout_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match crate::access::csrf_of(&state, &headers) {
        Some(csrf) => crate::access::page_reply(StatusCode::OK, crate::pages::admin::logout(&csrf)),
        None => crate::access::login_page("/admin"),
    }
}

#[derive(serde::Deserialize)]
struct LogOut {
    csrf: String,
}

/// `POST /admin/logout`: ends the session (the cookie goes) and shows the login page.
async fn log_out(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (parts, body) = request.into_parts();
    let secure = crate::access::over_tls(&state, &parts.extensions, &parts.headers);
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024).await else { return ApiError::TooLarge(16 * 1024).into_response() };
    let csrf = form_fields::<LogOut>(&bytes).map(|form| form.csrf).unwrap_or_default();
    let headers = parts.headers;
    if let Err(error) = blocking(move || crate::access::form_access(&state, &headers, &csrf)).await {
        return error.into_response();
    }
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(header::SET_COOKIE, crate::session::clear_cookie(secure));
    response.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/admin/login?uitgelogd=1"));
    response
}

/// `GET /admin?campaign=SLUG`: the response page (the figures of `/api/v1/stats` and the
/// choice of campaign), behind the browser's login prompt like the insight pages.
async fn admin_page(State(state): State<AppState>, headers: HeaderMap, query: axum::extract::RawQuery) -> Response {
    let Some(access) = (match crate::access::who(&state, headers).await {
        Ok(access) => access,
        Err(error) => return error.into_response(),
    }) else {
        // Back to the same view, its campaign included, after logging in.
        let back = query.0.as_deref().map_or_else(|| "/admin".to_string(), |q| format!("/admin?{q}"));
        return crate::access::login_page(&back);
    };
    let shown = blocking(move || {
        let chosen = chosen_campaign(&state, &access, &query)?;
        let today = today();
        let overview = crate::overview::of(&state, chosen.as_ref(), &today)?;
        let listed = crate::overview::campaigns(&state, access.campaign(), &today)?;
        Ok(crate::pages::admin::page(&overview, &listed, chosen.as_ref().map(|c| c.slug.as_str())))
    })
    .await;
    match shown {
        Ok(markup) => crate::access::page_reply(StatusCode::OK, markup),
        Err(error) => error.into_response(),
    }
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
            Progress::Receiving(received) => axum::Json(json!({"received": received, "complete": false, "max_bytes": max_bytes, "max_seconds": max_seconds})),
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
    let axum::extract::Query(PartQuery { offset }) =
        query.map_err(|_| ApiError::Malformed { message: "say where this part starts: ?offset=N (bytes)".into(), field: Some("offset".into()) })?;
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
    let complete: Complete =
        serde_json::from_slice(&body).map_err(|e| ApiError::Malformed { message: format!("send {{\"length\", \"sha256\", \"mime\"}}: {e}"), field: None })?;
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
        let access = access(&state, &headers).map_err(ApiError::asking_browser)?;
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

/// `GET /api/v1/export.{json,csv,sav,qdpx}?campaign=SLUG` (admin; `codes=1`: the CSV in
/// codes): the stories the access sees, written by [`export::write`] as the command line
/// writes them.
async fn download(State(state): State<AppState>, headers: HeaderMap, query: axum::extract::RawQuery, format: export::Format) -> Result<Response, ApiError> {
    blocking(move || {
        let access = access(&state, &headers)?;
        // A campaign's token: its own; the collector's: the one `?campaign=` names, or all.
        let campaign = chosen_campaign(&state, &access, &query)?.map(|c| c.slug);
        let mut stories = state.store.stories()?;
        if let Some(slug) = &campaign {
            stories.retain(|s| &s.campaign == slug);
        }
        // Read again: another collector on the database may serve a newer version.
        let history = crate::versions::kept(state.store.as_ref())?;
        let options = export::Options { codes: url_param(&query, "codes").is_some_and(|v| v == "1"), campaign: campaign.as_deref(), audio: None };
        let bytes = export::write(format, &history, &stories, &options).map_err(|e| {
            eprintln!("storypoint: internal error: {e}");
            ApiError::Internal
        })?;
        let disposition =
            HeaderValue::from_str(&format!("attachment; filename=\"{}\"", format.file_name(campaign.as_deref()))).map_err(|_| ApiError::Internal)?;
        Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type())), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
    })
    .await
}
