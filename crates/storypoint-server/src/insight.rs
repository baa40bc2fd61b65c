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
    Dataset, DistributionView, Grouping, InsightError, LANG, Listing, Measure, PublicCrossTab, PublicDistribution, Request, Schema, View, cross_tab,
    distribution,
};

use crate::access::{page_reply, who};
use crate::charts::distribution_svg;
use crate::error::ApiError;
pub use crate::facts::Insight;
use crate::pages::insight::{self as pages, Readable, SUPPRESSED, Shown, chart_title};
use crate::state::AppState;
use crate::store::{StoreError, StoredStory};

/// What a request computes to: only disclosed forms.
enum Outcome {
    Distribution(PublicDistribution),
    CrossTab(PublicCrossTab),
    Stories { about: PublicDistribution, cell: usize, group: usize, listing: Listing },
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
/// for the questions of `outcome`, in plain Dutch.
fn version_notes(state: &AppState, outcome: &Outcome, versions: &[u32]) -> Vec<String> {
    match outcome.questions() {
        Some(questions) => {
            let mut notes: Vec<String> = Vec::new();
            for note in questions.into_iter().flat_map(|q| state.history.notes(Some(q), versions)) {
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
            notes
        }
        None => state.history.notes(None, versions),
    }
}

/// `scope` is the campaign a campaign's token is limited to: the filter form then offers
/// only what that campaign's own stories hold.
fn compute(state: &AppState, request: &Request, scope: Option<&str>) -> Result<(Outcome, Choices, Schema), StoreError> {
    let rules = state.insight.disclosure;
    state.insight.with_data(state.store.as_ref(), |data| {
        let filter = &request.filter;
        let shown = |data: &Dataset, view: &DistributionView| rules.distribution(data, &distribution(data, filter, view), filter);
        let outcome = match &request.view {
            View::Distribution(view) => Outcome::Distribution(shown(data, view)),
            View::CrossTab { rows, columns } => Outcome::CrossTab(rules.cross_tab(data, &cross_tab(data, filter, *rows, *columns), filter)),
            View::Stories { view, cell, group } => {
                let about = shown(data, view);
                Outcome::Stories { about, cell: *cell, group: *group, listing: rules.listing(data, filter, view, *cell, *group) }
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
        (outcome, choices, data.schema().clone())
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
    let stories_state = state.clone();
    let (outcome, choices, _) = {
        let state = state.clone();
        let scope = access.campaign().map(String::from);
        tokio::task::spawn_blocking(move || compute(&state, &request, scope.as_deref())).await.map_err(|_| ApiError::Internal)??
    };
    let notes = version_notes(&state, &outcome, &choices.versions);
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
        (Outcome::Stories { listing, .. }, "json") => {
            let stories = readable(&stories_state, listing).await?;
            match stories {
                Some(stories) => {
                    axum::Json(json!({"stories": stories.iter().map(|s| json!({"title": s.title, "story": s.text, "audio": s.audio})).collect::<Vec<_>>()}))
                        .into_response()
                }
                None => axum::Json(json!({"suppressed": true, "message": SUPPRESSED})).into_response(),
            }
        }
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

/// The listed stories (`None` when the listing is suppressed).
async fn readable(state: &AppState, listing: Listing) -> Result<Option<Vec<Readable>>, ApiError> {
    let Listing::Stories(listed) = listing else { return Ok(None) };
    let ids: Vec<i64> = listed.iter().map(|s| s.id).collect();
    let store = state.store.clone();
    let stories: Vec<StoredStory> = tokio::task::spawn_blocking(move || store.stories_with_ids(&ids)).await.map_err(|_| ApiError::Internal)??;
    let text = |story: &StoredStory, id: &str| story.answers.get(id).and_then(|v| v.as_str()).unwrap_or("").to_string();
    Ok(Some(
        stories
            .iter()
            .map(|s| Readable {
                title: text(s, storypoint_core::contract::TITLE),
                text: text(s, storypoint_core::contract::STORY),
                audio: s.audio.as_ref().map(|_| format!("/admin/audio/{}", s.id)),
            })
            .collect(),
    ))
}

/// `GET /admin/inzicht`: the insight page; the browser's own login prompt (HTTP Basic,
/// any user name, the admin token as password) guards it.
pub async fn page(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let access = match who(&state, headers).await {
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
    let computed = {
        let state = state.clone();
        let request = request.clone();
        let scope = access.campaign().map(String::from);
        tokio::task::spawn_blocking(move || compute(&state, &request, scope.as_deref())).await
    };
    let (outcome, choices, schema) = match computed {
        Ok(Ok(done)) => done,
        Ok(Err(error)) => return ApiError::from(error).into_response(),
        Err(_) => return ApiError::Internal.into_response(),
    };
    let notes = version_notes(&state, &outcome, &choices.versions);
    let stories = match &outcome {
        Outcome::Stories { listing, .. } => match readable(&state, listing.clone()).await {
            Ok(stories) => stories,
            Err(error) => return error.into_response(),
        },
        _ => None,
    };
    let shown = match &outcome {
        Outcome::Distribution(d) => Shown::Distribution(d),
        Outcome::CrossTab(t) => Shown::CrossTab(t),
        Outcome::Stories { about, cell, group, .. } => Shown::Stories { about, cell: *cell, group: *group, stories: stories.as_deref() },
        Outcome::Report(all) => Shown::Report(all),
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
    };
    page_reply(StatusCode::OK, pages::page(&page))
}
