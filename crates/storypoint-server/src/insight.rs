//! Insight for the work session: `/admin/inzicht` (pages that work without JavaScript) and
//! `GET /api/v1/patterns` (the same aggregates as JSON, CSV or SVG).
//!
//! All counting and all suppression happen in `storypoint-insight`; this module asks the
//! stories' [`Dataset`] (kept up to date in [`crate::facts`]) for a view and hands what the
//! disclosure allows to the pages ([`crate::pages::insight`]), or writes it as SVG, CSV or
//! JSON. Nothing here sees an exact count except to pass it to the disclosure rules.
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use storypoint_insight::{
    Dataset, DistributionView, Grouping, InsightError, LANG, ListedStory, Listing, Measure, PublicCrossTab, PublicDistribution, Request, Schema, View,
    cross_tab, distribution,
};

use crate::access::{Access, page_reply, who};
use crate::charts::distribution_svg;
use crate::error::ApiError;
pub use crate::facts::Insight;
use crate::pages::insight::{self as pages, Shown, chart_title, suppressed};
use crate::pages::report::Chart;
use crate::pages::stories::Readable;
use crate::state::AppState;
use crate::store::{StoreError, StoredStory};

/// What a request computes to: only disclosed forms.
enum Outcome {
    Distribution(PublicDistribution),
    CrossTab(PublicCrossTab),
    /// The stories behind a bar (`None`: suppressed), read from the store.
    Stories {
        about: PublicDistribution,
        cell: usize,
        group: usize,
        stories: Option<Vec<Readable>>,
    },
    Report(Vec<PublicDistribution>),
}

/// The questions a printed report (and the question menu) walks through: every choice
/// question but the language, then the sliders.
fn measures(schema: &Schema) -> Vec<Measure> {
    let choices = (0..schema.dimensions.len()).filter(|&d| schema.dimensions[d].id != LANG).map(Measure::Choice);
    choices.chain((0..schema.scales.len()).map(Measure::Scale)).collect()
}

/// What the filter form offers besides the questions: organisations and campaigns; and
/// the questionnaire versions the stories were told in (for the notes on versions).
struct Choices {
    organisations: Vec<String>,
    campaigns: Vec<String>,
    versions: Vec<u32>,
}

impl Outcome {
    /// The questions the outcome is about, the one it is split by included (`None`: every
    /// question, the report).
    fn questions(&self) -> Option<Vec<&str>> {
        match self {
            Outcome::Distribution(d) | Outcome::Stories { about: d, .. } => Some(vec![d.question.as_str(), d.by.as_str()]),
            Outcome::CrossTab(t) => Some(vec![t.row.as_str(), t.col.as_str()]),
            Outcome::Report(_) => None,
        }
    }
}

/// Where answers told in an older questionnaire version do not map onto the current one,
/// for the questions of `outcome`, in plain words of `lang` (Dutch for the API, the
/// coordinator's language on a page).
fn version_notes(state: &AppState, outcome: &Outcome, versions: &[u32], lang: storypoint_core::Lang) -> Vec<String> {
    let notes = match outcome.questions() {
        Some(questions) => {
            let mut notes = Vec::new();
            for note in questions.into_iter().flat_map(|q| state.history.notes_in_words(Some(q), versions)) {
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
            notes
        }
        None => state.history.notes_in_words(None, versions),
    };
    notes.iter().map(|note| note.get(lang).to_string()).collect()
}

/// `scope` is the campaign a campaign's token is limited to: the filter form then offers
/// only what that campaign's own stories hold. Blocking (the store, the dataset).
fn compute(state: &AppState, request: &Request, scope: Option<&str>) -> Result<(Outcome, Choices, Schema), StoreError> {
    let rules = state.insight.disclosure;
    let (outcome, listing, choices, schema) = state.insight.with_data(state.store.as_ref(), |data| {
        let filter = &request.filter;
        let shown = |data: &Dataset, view: &DistributionView| rules.distribution(data, &distribution(data, filter, view), filter);
        let mut listing = None;
        let outcome = match &request.view {
            View::Distribution(view) => Outcome::Distribution(shown(data, view)),
            View::CrossTab { rows, columns } => Outcome::CrossTab(rules.cross_tab(data, &cross_tab(data, filter, *rows, *columns), filter)),
            View::Stories { view, cell, group } => {
                listing = Some(rules.listing(data, filter, view, *cell, *group));
                Outcome::Stories { about: shown(data, view), cell: *cell, group: *group, stories: None }
            }
            View::Report => {
                let by = data.schema().dimension(storypoint_core::contract::PERSPECTIVE).map_or(Grouping::All, Grouping::By);
                let views = measures(data.schema()).into_iter().map(|measure| DistributionView { measure, grouping: by.clone() });
                Outcome::Report(views.map(|view| shown(data, &view)).collect())
            }
        };
        let choices = Choices {
            organisations: data.organisations(scope, rules.min_cell()).into_iter().map(String::from).collect(),
            campaigns: data.campaigns_in(scope),
            versions: data.versions().to_vec(),
        };
        (outcome, listing, choices, data.schema().clone())
    })?;
    // The stories' words come from the store, after the dataset is let go.
    let outcome = match (outcome, listing) {
        (Outcome::Stories { about, cell, group, .. }, Some(Listing::Stories(listed))) => {
            Outcome::Stories { about, cell, group, stories: Some(readable(state, listed)?) }
        }
        (outcome, _) => outcome,
    };
    Ok((outcome, choices, schema))
}

/// The order stories are read in: shuffled, the same for every list while the collector
/// runs. In the order they came in, the last of a list would be the newest story, and who
/// told a story lately is what a team might know.
fn reading_order(id: i64) -> u64 {
    use std::hash::BuildHasher;
    static ORDER: std::sync::OnceLock<std::collections::hash_map::RandomState> = std::sync::OnceLock::new();
    ORDER.get_or_init(std::collections::hash_map::RandomState::new).hash_one(id)
}

/// Listed stories with their words from the store and whether each is marked typical, in
/// reading order (a story deleted meanwhile is left out). Blocking.
pub fn readable(state: &AppState, mut listed: Vec<ListedStory>) -> Result<Vec<Readable>, StoreError> {
    listed.sort_by_key(|story| reading_order(story.id));
    let ids: Vec<i64> = listed.iter().map(|s| s.id).collect();
    let stories: Vec<StoredStory> = state.store.stories_with_ids(&ids)?;
    let typical = state.store.typical_stories(None)?;
    let text = |story: &StoredStory, id: &str| story.answers.get(id).and_then(|v| v.as_str()).unwrap_or("").to_string();
    Ok(listed
        .into_iter()
        .filter_map(|shown| {
            let story = stories.iter().find(|s| s.id == shown.id)?;
            Some(Readable {
                id: shown.id,
                title: text(story, storypoint_core::contract::TITLE),
                text: text(story, storypoint_core::contract::STORY),
                audio: story.audio.as_ref().map(|_| format!("/admin/audio/{}", story.id)),
                teller: shown.teller,
                answers: shown.answers,
                typical: typical.contains(&shown.id),
            })
        })
        .collect())
}

/// The stories with these ids that may be read in `scope` (a campaign, or every one),
/// as any listing shows them: a story that may not be listed, or is of another campaign,
/// is left out. Blocking.
pub fn stories_in(state: &AppState, ids: &[i64], scope: Option<&str>) -> Result<Vec<Readable>, StoreError> {
    let rules = state.insight.disclosure;
    let listed: Vec<ListedStory> = state.insight.with_data(state.store.as_ref(), |data| {
        ids.iter().filter_map(|&id| rules.listed(data, id)).filter(|s| scope.is_none_or(|own| s.teller.campaign == own)).collect()
    })?;
    readable(state, listed)
}

/// The stories marked typical in `scope` that may be read, oldest first. Blocking.
pub fn typical_in(state: &AppState, scope: Option<&str>) -> Result<Vec<Readable>, StoreError> {
    let marked = state.store.typical_stories(scope)?;
    stories_in(state, &marked, scope)
}

/// The request a saved view's query asks for, as `access` may see it (a campaign's token:
/// its own campaign, whatever the query says); `None` when it names no view of this
/// questionnaire.
pub fn request_for(state: &AppState, query: &str, access: &Access) -> Option<Request> {
    let mut request = Request::parse(&Schema::of(state.history.current()), query).ok()?;
    if let Some(slug) = access.campaign() {
        request.filter.only_campaign(slug);
    }
    Some(request)
}

/// A saved view as a chart (a distribution, the distribution behind a list of stories, or
/// a cross-tab), disclosed now; `None` for the report or a view that does not exist. Blocking.
pub fn chart_of(state: &AppState, query: &str, access: &Access) -> Result<Option<(Chart, String)>, StoreError> {
    let Some(request) = request_for(state, query, access) else { return Ok(None) };
    let rules = state.insight.disclosure;
    state.insight.with_data(state.store.as_ref(), |data| {
        let filter = &request.filter;
        let described = filter.describe_in(data.schema(), crate::words::lang());
        let chart = match &request.view {
            View::Distribution(view) | View::Stories { view, .. } => Chart::Distribution(rules.distribution(data, &distribution(data, filter, view), filter)),
            View::CrossTab { rows, columns } => Chart::CrossTab(rules.cross_tab(data, &cross_tab(data, filter, *rows, *columns), filter)),
            View::Report => return None,
        };
        Some((chart, described))
    })
}

/// `GET /api/v1/patterns` (admin): `format=json` (default), `csv` or `svg`.
pub async fn patterns(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Result<Response, ApiError> {
    let access = who(&state, headers).await?.ok_or(ApiError::LoginRequired)?;
    let query = uri.query().unwrap_or("").to_string();
    let schema = Schema::of(state.history.current());
    let mut request = Request::parse(&schema, &query).map_err(malformed)?;
    if let Some(slug) = access.campaign() {
        request.filter.only_campaign(slug);
    }
    let format = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "format").map(|(_, v)| v.into_owned());
    let (outcome, choices, _) = {
        let state = state.clone();
        let scope = access.campaign().map(String::from);
        tokio::task::spawn_blocking(move || compute(&state, &request, scope.as_deref())).await.map_err(|_| ApiError::Internal)??
    };
    let notes = version_notes(&state, &outcome, &choices.versions, storypoint_core::Lang::NL);
    // JSON views carry the notes on versions beside the figures.
    let with_notes = |value: serde_json::Value| {
        let mut value = value;
        if let Some(object) = value.as_object_mut() {
            object.insert("notes".into(), json!(notes));
        }
        axum::Json(value).into_response()
    };
    let download = |content_type: &'static str, name: &str, body: Vec<u8>| {
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(HeaderValue::from_static("attachment")),
                ),
            ],
            body,
        )
            .into_response()
    };
    Ok(match (outcome, format.as_deref().unwrap_or("json")) {
        (Outcome::Distribution(d), "csv") => download("text/csv; charset=utf-8", &format!("{}.csv", d.question), crate::charts::distribution_csv(&d)),
        (Outcome::Distribution(d), "svg") => {
            let title = chart_title(&d);
            download("image/svg+xml", &format!("{}.svg", d.question), distribution_svg(&d, &title).into_bytes())
        }
        (Outcome::CrossTab(t), "csv") => download("text/csv; charset=utf-8", &format!("{}-{}.csv", t.row, t.col), crate::charts::cross_tab_csv(&t)),
        (Outcome::Distribution(d), "json") => with_notes(json!(d)),
        (Outcome::CrossTab(t), "json") => with_notes(json!(t)),
        (Outcome::Report(all), "json") => with_notes(json!({"distributions": all})),
        (Outcome::Stories { stories, .. }, "json") => match stories {
            Some(stories) => axum::Json(json!({
                "min_cell": state.insight.disclosure.min_cell(),
                "stories": stories.iter().map(|s| json!({
                    "id": s.id, "title": s.title, "story": s.text, "audio": s.audio, "teller": s.teller, "answers": s.answers, "typical": s.typical,
                })).collect::<Vec<_>>(),
            }))
            .into_response(),
            None => axum::Json(json!({"suppressed": true, "message": suppressed()})).into_response(),
        },
        (_, other) => {
            return Err(ApiError::Malformed {
                message: format!("`{other}` is not a format of this view; use json, csv (distributions and cross-tabs) or svg (distributions)"),
                field: Some("format".into()),
            });
        }
    })
}

fn malformed(error: InsightError) -> ApiError {
    let field = match &error {
        InsightError::BadParameter { field, .. } => Some(field.clone()),
        InsightError::ThresholdTooLow(_) => None,
    };
    ApiError::Malformed { message: error.to_string(), field }
}

/// `GET /admin/inzicht`: the insight page; the browser's own login prompt (HTTP Basic,
/// any user name, the admin token as password) guards it.
pub async fn page(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let access = match who(&state, headers.clone()).await {
        Ok(access) => access,
        Err(error) => return error.into_response(),
    };
    // Back to the same view, every filter included, after logging in.
    let Some(access) = access else {
        let back = uri.query().map_or_else(|| "/admin/inzicht".to_string(), |q| format!("/admin/inzicht?{q}"));
        return crate::access::login_page(&back);
    };
    let query = uri.query().unwrap_or("").to_string();
    let schema = Schema::of(state.history.current());
    let mut request = match Request::parse(&schema, &query) {
        Ok(request) => request,
        Err(error) => return page_reply(StatusCode::BAD_REQUEST, pages::bad_address(&error.to_string())),
    };
    // A campaign's coordinators see their campaign, whatever the address asks for.
    if let Some(slug) = access.campaign() {
        request.filter.only_campaign(slug);
    }
    // In a session, the page has the work session's forms: mark stories typical, save an
    // observation with the typical stories of its campaign (or of every campaign).
    let csrf = crate::access::csrf_of(&state, &headers);
    let computed = {
        let state = state.clone();
        let request = request.clone();
        let scope = access.campaign().map(String::from);
        let observing = (csrf.is_some() && request.view != View::Report).then(|| crate::observations::scope(&access, request.filter.campaign()));
        tokio::task::spawn_blocking(move || {
            let computed = compute(&state, &request, scope.as_deref())?;
            let typical = observing.map(|scope| typical_in(&state, scope.as_deref())).transpose()?;
            Ok::<_, StoreError>((computed, typical))
        })
        .await
    };
    let ((outcome, choices, schema), typical) = match computed {
        Ok(Ok(done)) => done,
        Ok(Err(error)) => return ApiError::from(error).into_response(),
        Err(_) => return ApiError::Internal.into_response(),
    };
    let notes = version_notes(&state, &outcome, &choices.versions, crate::words::lang());
    let shown = match &outcome {
        Outcome::Distribution(d) => Shown::Distribution(d),
        Outcome::CrossTab(t) => Shown::CrossTab(t),
        Outcome::Stories { about, cell, group, stories } => Shown::Stories { about, cell: *cell, group: *group, stories: stories.as_deref() },
        Outcome::Report(all) => Shown::Report(all),
    };
    let observe = match (&csrf, &typical) {
        (Some(csrf), Some(typical)) => Some(crate::pages::observations::section(&query, csrf, typical)),
        _ => None,
    };
    let measures = measures(&schema);
    let page = pages::Page {
        schema: &schema,
        request: &request,
        query: &query,
        measures: &measures,
        organisations: &choices.organisations,
        campaigns: &choices.campaigns,
        notes: &notes,
        min_cell: state.insight.disclosure.min_cell(),
        shown,
        csrf: csrf.as_deref(),
        observe,
    };
    page_reply(StatusCode::OK, pages::page(&page))
}
