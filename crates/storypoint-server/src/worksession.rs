//! The work session in the coordinators' console: stories marked typical for the report,
//! observations on insight views (saved, listed, changed, deleted) and the work-session
//! report, as a page to print and as a PDF. Every change is a same-site POST with the
//! session's form token; a campaign's token sees and changes only its own campaign's marks
//! and observations (another's is a 404). The rules are [`crate::observations`]; what a
//! story shows of its teller is the insight crate's ([`crate::insight::stories_in`]).
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use storypoint_insight::Schema;

use crate::access::{Access, page_reply};
use crate::error::ApiError;
use crate::observations::{Draft, scope, visible};
use crate::pages::observations as pages;
use crate::pages::report::{Entry, scope_words};
use crate::state::AppState;
use crate::store::{Campaign, Observation};
use crate::words::t;

/// The work session's routes (merged into the admin router).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/inzicht/typerend", post(mark))
        .route("/admin/inzicht/observaties", get(list).post(create))
        .route("/admin/inzicht/observaties/{id}", get(edit_form).post(change))
        .route("/admin/inzicht/observaties/{id}/verwijderen", get(confirm_delete).post(delete))
        .route("/admin/inzicht/werksessie", get(report))
        .route("/admin/inzicht/werksessie.pdf", get(report_pdf))
        .route("/admin/werksessie.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response() }))
}

const STYLE: &str = include_str!("../../../www/werksessie.css");

/// The largest form accepted, in bytes (an observation with its interpretations).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Runs blocking storage work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    // The request's language goes along: the pages are made there.
    tokio::task::spawn_blocking(crate::words::carried(work)).await.unwrap_or(Err(ApiError::Internal))
}

/// What a coordinator gets when something cannot be done: the login page without a session
/// (coming back to `back`), a page in the coordinator's language for 404, the API's reply otherwise.
fn refusal(error: ApiError, back: &str) -> Response {
    match error {
        ApiError::Unauthorized => crate::access::login_page(back),
        ApiError::NotFound(_) => page_reply(StatusCode::NOT_FOUND, pages::refused(t("observation.missing.title"), t("observation.missing.text"))),
        other => other.into_response(),
    }
}

/// A posted form: its fields, after checking it came from our own page in the session;
/// the reply to give instead otherwise.
async fn posted(state: &AppState, request: axum::extract::Request, back: &str) -> Result<(Access, Vec<(String, String)>, HeaderMap), Response> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| ApiError::TooLarge(MAX_FORM_BYTES).into_response())?;
    let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let csrf = value(&fields, "csrf").to_string();
    let (state, headers) = (state.clone(), parts.headers.clone());
    let access = blocking(move || crate::access::form_access(&state, &headers, &csrf)).await.map_err(|error| refusal(error, back))?;
    Ok((access, fields, parts.headers))
}

/// A form field's value (empty when it was not sent).
fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map_or("", |(_, value)| value.as_str())
}

/// 303 to `location`.
fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// The campaign a list or report is about: a campaign's token's own; for the collector's
/// token `?campaign=` (a campaign's short name), or every campaign.
fn asked_scope(access: &Access, query: &RawQuery) -> Option<String> {
    let asked = query.0.as_deref().and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "campaign").map(|(_, v)| v.into_owned()));
    access.campaign().map(String::from).or(asked.filter(|slug| Campaign::is_slug(slug)))
}

/// The observations of `scope` as the report shows them: each view disclosed now, each
/// story as any listing shows it (those no longer to be read counted as gone). Blocking.
fn entries(state: &AppState, observations: Vec<Observation>) -> Result<Vec<Entry>, ApiError> {
    observations
        .into_iter()
        .map(|observation| {
            let own = observation.campaign.clone().map_or(Access::All, Access::Campaign);
            let view = crate::insight::chart_of(state, &observation.view, &own)?;
            let stories = crate::insight::stories_in(state, &observation.stories, observation.campaign.as_deref())?;
            let gone = observation.stories.len().saturating_sub(stories.len());
            Ok(Entry { observation, view, stories, gone })
        })
        .collect()
}

/// The observation `id` if `access` may see it (else 404), with its number in the list of
/// the observations `access` sees.
fn find(state: &AppState, access: &Access, id: &str) -> Result<(Observation, usize), ApiError> {
    const NONE: ApiError = ApiError::NotFound("no such observation");
    let id: i64 = id.parse().map_err(|_| NONE)?;
    let observation = state.store.observation(id)?.filter(|o| visible(access, o)).ok_or(NONE)?;
    let number = state.store.observations(access.campaign())?.iter().position(|o| o.id == id).map_or(1, |i| i + 1);
    Ok((observation, number))
}

/// `POST /admin/inzicht/typerend`: marks a story typical (`typerend=ja`) or no longer, then
/// back to the list it was read in. Only a story this token may read (in its campaign, and
/// listed at all) can be marked.
async fn mark(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (access, fields, _) = match posted(&state, request, "/admin/inzicht").await {
        Ok(posted) => posted,
        Err(reply) => return reply,
    };
    let Ok(id) = value(&fields, "verhaal").parse::<i64>() else { return refusal(ApiError::NotFound("no such story"), "/admin/inzicht") };
    let typical = value(&fields, "typerend") == "ja";
    // Back only to an insight page of ours, never to another site.
    let back = Some(value(&fields, "terug")).filter(|b| b.starts_with("/admin/inzicht?") || *b == "/admin/inzicht").unwrap_or("/admin/inzicht");
    let done = blocking(move || {
        let own = access.campaign();
        let campaign = if typical {
            crate::insight::stories_in(&state, &[id], own)?.into_iter().next().map(|s| s.teller.campaign)
        } else {
            // Unmarking needs only that the mark is this token's: the story may no longer be listed.
            state.store.typical_stories(own)?.contains(&id).then(|| own.unwrap_or_default().to_string())
        };
        let Some(campaign) = campaign else { return Err(ApiError::NotFound("no such story")) };
        state.store.set_typical(id, &campaign, typical)?;
        Ok(())
    })
    .await;
    match done {
        Ok(()) => see_other(&format!("{back}#verhaal-{id}")),
        Err(error) => refusal(error, back),
    }
}

/// `POST /admin/inzicht/observaties`: saves an observation on the view it was made on (303 to
/// the list), or the form again with every problem at its field (422) and nothing saved.
async fn create(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (access, fields, headers) = match posted(&state, request, "/admin/inzicht").await {
        Ok(posted) => posted,
        Err(reply) => return reply,
    };
    let draft = Draft::from_form(&fields);
    let csrf = crate::access::csrf_of(&state, &headers).unwrap_or_default();
    let done = blocking(move || {
        let view_campaign = crate::insight::request_for(&state, &draft.view, &access).and_then(|r| r.filter.campaign().map(String::from));
        let campaign = scope(&access, view_campaign.as_deref());
        let typical = crate::insight::typical_in(&state, campaign.as_deref())?;
        let ids: Vec<i64> = typical.iter().map(|s| s.id).collect();
        let problems = draft.problems(&ids, &Schema::of(state.history.current()));
        if !problems.is_empty() {
            return Ok(Err(page_reply(StatusCode::UNPROCESSABLE_ENTITY, pages::refused_new(&draft, &problems, &typical, &csrf))));
        }
        let saved = state.store.save_observation(&draft.into_observation(0, campaign))?;
        Ok(Ok(saved.unwrap_or_default()))
    })
    .await;
    match done {
        Ok(Ok(id)) => see_other(&format!("/admin/inzicht/observaties?bewaard=1#observatie-{id}")),
        Ok(Err(page)) => page,
        Err(error) => refusal(error, "/admin/inzicht"),
    }
}

/// `GET /admin/inzicht/observaties`: the observations this token sees (`?campaign=` narrows
/// the collector's), with the ways to the report.
async fn list(State(state): State<AppState>, headers: HeaderMap, query: RawQuery) -> Response {
    let back = "/admin/inzicht/observaties";
    let access = match crate::access::signed_in(&state, &headers, back).await {
        Ok(access) => access,
        Err(reply) => return reply,
    };
    let asked = asked_scope(&access, &query);
    let said = query.0.as_deref().unwrap_or("");
    let notice = if said.contains("bewaard=1") {
        Some(t("observation.saved"))
    } else if said.contains("gewijzigd=1") {
        Some(t("observation.changed"))
    } else if said.contains("verwijderd=1") {
        Some(t("observation.deleted"))
    } else {
        None
    };
    let shown = blocking(move || {
        let entries = entries(&state, state.store.observations(asked.as_deref())?)?;
        let report = match &asked {
            Some(slug) if access.campaign().is_none() => format!("/admin/inzicht/werksessie?campaign={slug}"),
            _ => "/admin/inzicht/werksessie".to_string(),
        };
        Ok(pages::list(&entries, &scope_words(asked.as_deref()), &report, notice))
    })
    .await;
    match shown {
        Ok(page) => page_reply(StatusCode::OK, page),
        Err(error) => refusal(error, back),
    }
}

/// The typical stories an observation in `campaign` may choose: those marked now, and those
/// it already has (a mark may have been taken off since). Blocking.
fn offered(state: &AppState, campaign: Option<&str>, chosen: &[i64]) -> Result<Vec<crate::pages::stories::Readable>, ApiError> {
    let mut ids = state.store.typical_stories(campaign)?;
    ids.extend(chosen.iter().filter(|id| !ids.contains(id)).copied().collect::<Vec<_>>());
    ids.sort_unstable();
    Ok(crate::insight::stories_in(state, &ids, campaign)?)
}

/// A page with a form in a session: `make` draws it from the access and the form token, off
/// the async threads. Without a session: the login page, coming back to `back`.
async fn form_page(
    state: AppState,
    headers: &HeaderMap,
    back: &str,
    make: impl FnOnce(&AppState, Access, String) -> Result<maud::Markup, ApiError> + Send + 'static,
) -> Response {
    let access = match crate::access::signed_in(&state, headers, back).await {
        Ok(access) => access,
        Err(reply) => return reply,
    };
    let Some(csrf) = crate::access::csrf_of(&state, headers) else { return crate::access::login_page(back) };
    match blocking(move || make(&state, access, csrf)).await {
        Ok(page) => page_reply(StatusCode::OK, page),
        Err(error) => refusal(error, back),
    }
}

/// The title of the view `observation` was made on.
fn view_title(state: &AppState, observation: &Observation) -> Result<String, ApiError> {
    Ok(entries(state, vec![observation.clone()])?.first().map(Entry::view_title).unwrap_or_default())
}

/// `GET /admin/inzicht/observaties/{id}`: the form that changes an observation.
async fn edit_form(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let back = format!("/admin/inzicht/observaties/{id}");
    form_page(state, &headers, &back, move |state, access, csrf| {
        let (observation, number) = find(state, &access, &id)?;
        let typical = offered(state, observation.campaign.as_deref(), &observation.stories)?;
        let title = view_title(state, &observation)?;
        Ok(pages::edit(observation.id, number, &Draft::of(&observation), &[], &typical, &csrf, &title))
    })
    .await
}

/// `POST /admin/inzicht/observaties/{id}`: saves the changes (303 to the list), or the form
/// again with every problem at its field (422).
async fn change(State(state): State<AppState>, Path(id): Path<String>, request: axum::extract::Request) -> Response {
    let back = format!("/admin/inzicht/observaties/{id}");
    let (access, fields, headers) = match posted(&state, request, &back).await {
        Ok(posted) => posted,
        Err(reply) => return reply,
    };
    let csrf = crate::access::csrf_of(&state, &headers).unwrap_or_default();
    let done = blocking(move || {
        let (observation, number) = find(&state, &access, &id)?;
        let draft = Draft::from_form(&fields);
        let typical = offered(&state, observation.campaign.as_deref(), &observation.stories)?;
        let ids: Vec<i64> = typical.iter().map(|s| s.id).collect();
        let problems = draft.problems(&ids, &Schema::of(state.history.current()));
        if !problems.is_empty() {
            let title = view_title(&state, &observation)?;
            let page = pages::edit(observation.id, number, &draft, &problems, &typical, &csrf, &title);
            return Ok(Some(page_reply(StatusCode::UNPROCESSABLE_ENTITY, page)));
        }
        match state.store.save_observation(&draft.into_observation(observation.id, observation.campaign))? {
            Some(_) => Ok(None),
            None => Err(ApiError::NotFound("no such observation")),
        }
    })
    .await;
    match done {
        Ok(None) => see_other("/admin/inzicht/observaties?gewijzigd=1"),
        Ok(Some(page)) => page,
        Err(error) => refusal(error, &back),
    }
}

/// `GET /admin/inzicht/observaties/{id}/verwijderen`: asks whether to delete it.
async fn confirm_delete(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let back = format!("/admin/inzicht/observaties/{id}/verwijderen");
    form_page(state, &headers, &back, move |state, access, csrf| {
        let (observation, number) = find(state, &access, &id)?;
        let entry = entries(state, vec![observation])?.into_iter().next().ok_or(ApiError::Internal)?;
        Ok(pages::confirm_delete(&entry, number, &csrf))
    })
    .await
}

/// `POST /admin/inzicht/observaties/{id}/verwijderen`: deletes it (303 to the list).
async fn delete(State(state): State<AppState>, Path(id): Path<String>, request: axum::extract::Request) -> Response {
    let back = format!("/admin/inzicht/observaties/{id}/verwijderen");
    let (access, _, _) = match posted(&state, request, &back).await {
        Ok(posted) => posted,
        Err(reply) => return reply,
    };
    let done = blocking(move || {
        let (observation, _) = find(&state, &access, &id)?;
        Ok(state.store.delete_observation(observation.id)?)
    })
    .await;
    match done {
        Ok(_) => see_other("/admin/inzicht/observaties?verwijderd=1"),
        Err(error) => refusal(error, &back),
    }
}

/// The report's entries and its scope in words, for this token and `?campaign=`.
async fn report_entries(state: &AppState, headers: &HeaderMap, query: &RawQuery, back: &str) -> Result<(Vec<Entry>, Option<String>), Response> {
    let access = crate::access::signed_in(state, headers, back).await?;
    let asked = asked_scope(&access, query);
    let state = state.clone();
    let scope = asked.clone();
    let found = blocking(move || entries(&state, state.store.observations(scope.as_deref())?)).await;
    found.map(|entries| (entries, asked)).map_err(|error| refusal(error, back))
}

/// `GET /admin/inzicht/werksessie`: the work-session report to print.
async fn report(State(state): State<AppState>, headers: HeaderMap, query: RawQuery) -> Response {
    let back = query.0.as_deref().map_or_else(|| "/admin/inzicht/werksessie".to_string(), |q| format!("/admin/inzicht/werksessie?{q}"));
    let (entries, scope) = match report_entries(&state, &headers, &query, &back).await {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let pdf = back.replacen("/werksessie", "/werksessie.pdf", 1);
    let list = back.replacen("/werksessie", "/observaties", 1);
    page_reply(StatusCode::OK, crate::pages::report::page(&entries, &scope_words(scope.as_deref()), &crate::campaigns::today(), &pdf, &list))
}

/// `GET /admin/inzicht/werksessie.pdf`: the same report as a PDF download.
async fn report_pdf(State(state): State<AppState>, headers: HeaderMap, query: RawQuery) -> Response {
    let back = "/admin/inzicht/werksessie.pdf";
    let (entries, scope) = match report_entries(&state, &headers, &query, back).await {
        Ok(found) => found,
        Err(reply) => return reply,
    };
    let words = scope_words(scope.as_deref());
    let made = tokio::task::spawn_blocking(crate::words::carried(move || crate::report_pdf::report_pdf(&entries, &words, &crate::campaigns::today()))).await;
    let Ok(pdf) = made else { return ApiError::Internal.into_response() };
    let name = format!("werksessie-{}.pdf", scope.as_deref().unwrap_or("alle-campagnes"));
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(HeaderValue::from_static("attachment"));
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")), (header::CONTENT_DISPOSITION, disposition)], pdf).into_response()
}
