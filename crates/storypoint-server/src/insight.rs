//! Insight for the work session: `/admin/inzicht` (pages that work without JavaScript) and
//! `GET /api/v1/patterns` (the same aggregates as JSON, CSV or SVG).
//!
//! All counting and all suppression happen in `storypoint-insight`; this module keeps the
//! stories as a [`Dataset`] that catches up with the store on every request, and writes
//! what the disclosure allows as HTML, SVG, CSV or JSON. Nothing here sees an exact count
//! except to pass it to [`Disclosure`].
use std::fmt::Write as _;
use std::sync::Mutex;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use storypoint_core::{Answers, Questionnaire};
use storypoint_insight::{
    Dataset, Disclosure, DistributionView, Filter, Grouping, InsightError, LANG, Listing, Measure, PublicCrossTab,
    PublicDistribution, Request, Schema, StoryInput, View, cross_tab, distribution, encode, members,
};

use crate::app::{Access, ApiError, AppState, LOGIN_CHALLENGE};
use crate::charts::{count_text, distribution_svg};
use crate::html::escape;
use crate::store::{Store, StoreError, StoredStory};

/// The stories as facts for the patterns, kept in memory and brought up to date with the
/// store before each view (only stories newer than the last one seen are read).
pub struct Insight {
    data: Mutex<Facts>,
    questionnaire: Questionnaire,
    /// The suppression rules.
    pub disclosure: Disclosure,
}

/// The dataset, and the deletion count it was read at.
struct Facts {
    dataset: Dataset,
    deletions: Option<String>,
}

impl Insight {
    /// Empty; the first view loads every story. `min_cell` is the suppression threshold
    /// (at least 3).
    pub fn new(questionnaire: &Questionnaire, min_cell: u32) -> Result<Insight, InsightError> {
        Ok(Insight {
            data: Mutex::new(Facts { dataset: Dataset::new(questionnaire), deletions: None }),
            questionnaire: questionnaire.clone(),
            disclosure: Disclosure::new(min_cell)?,
        })
    }

    /// Catches up with the store, then runs `work` on the dataset. After a story was
    /// deleted (by any process) it reads everything again, so a deleted story never counts.
    pub fn with_data<T>(&self, store: &dyn Store, work: impl FnOnce(&mut Dataset) -> T) -> Result<T, StoreError> {
        let mut facts = self.data.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let deletions = store.setting(crate::store::DELETIONS)?;
        if deletions != facts.deletions {
            facts.dataset = Dataset::new(&self.questionnaire);
            facts.deletions = deletions;
        }
        let data = &mut facts.dataset;
        for story in store.stories_after(data.last_id().unwrap_or(0))? {
            let answers: Answers = serde_json::from_value(serde_json::Value::Object(story.answers)).unwrap_or_default();
            data.push(&StoryInput { id: story.id, received_on: &story.received_on, lang: &story.lang, answers: &answers, campaign: &story.campaign, version: story.version });
        }
        Ok(work(data))
    }
}

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

/// The notes on versions as a note box (nothing when there are none).
fn notes_html(body: &mut String, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    body.push_str("<aside class=\"versions\" aria-labelledby=\"versions\"><h3 id=\"versions\">Let op: verhalen uit een andere versie van de vragenlijst</h3><ul>");
    for note in notes {
        let _ = write!(body, "<li>{}</li>", escape(note));
    }
    body.push_str("</ul></aside>");
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
                let rows = members(data, filter, view, *cell, *group);
                let about = shown(data, view);
                Outcome::Stories { about, cell: *cell, group: *group, listing: rules.listing(data, &rows) }
            }
            View::Report => {
                let by = data.schema().dimension("perspective").map_or(Grouping::All, Grouping::By);
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
                (header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(HeaderValue::from_static("attachment"))),
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
                Some(stories) => axum::Json(json!({"stories": stories.iter().map(|s| json!({"title": s.title, "story": s.text, "audio": s.audio})).collect::<Vec<_>>()})).into_response(),
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

/// The access of the request's token (`None`: no valid token).
async fn who(state: &AppState, headers: HeaderMap) -> Result<Option<Access>, ApiError> {
    let state = state.clone();
    match tokio::task::spawn_blocking(move || crate::app::access(&state, &headers)).await.map_err(|_| ApiError::Internal)? {
        Ok(access) => Ok(Some(access)),
        Err(ApiError::Unauthorized) => Ok(None),
        Err(other) => Err(other),
    }
}

fn malformed(error: InsightError) -> ApiError {
    let field = match &error {
        InsightError::BadParameter { field, .. } => Some(field.clone()),
        InsightError::ThresholdTooLow(_) => None,
    };
    ApiError::Malformed { message: error.to_string(), field }
}

/// One listed story: what may be read or heard of it (no date, no link, no organisation).
struct Readable {
    title: String,
    text: String,
    /// The coordinators' address of its recording, for a spoken story.
    audio: Option<String>,
}

/// The listed stories (`None` when the listing is suppressed).
async fn readable(state: &AppState, listing: Listing) -> Result<Option<Vec<Readable>>, ApiError> {
    let Listing::Stories(ids) = listing else { return Ok(None) };
    let store = state.store.clone();
    let stories: Vec<StoredStory> =
        tokio::task::spawn_blocking(move || store.stories_with_ids(&ids)).await.map_err(|_| ApiError::Internal)??;
    let text = |story: &StoredStory, id: &str| story.answers.get(id).and_then(|v| v.as_str()).unwrap_or("").to_string();
    Ok(Some(
        stories
            .iter()
            .map(|s| Readable {
                title: text(s, "title"),
                text: text(s, "story"),
                audio: s.audio.as_ref().map(|_| format!("/admin/audio/{}", s.id)),
            })
            .collect(),
    ))
}

const SUPPRESSED: &str = "Deze verhalen tonen we niet: het zijn er te weinig, of de vertellers zouden herkenbaar zijn.";

/// The insight pages may submit their own filter forms (GET), unlike the rest of the site.
const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// `GET /admin/inzicht`: the insight page; the browser's own login prompt (HTTP Basic,
/// any user name, the admin token as password) guards it.
pub async fn page(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let html = |status: StatusCode, body: String| {
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, PAGE_CSP)], body).into_response()
    };
    let access = match who(&state, headers).await {
        Ok(access) => access,
        Err(error) => return error.into_response(),
    };
    let Some(access) = access else {
        let mut response = html(
            StatusCode::UNAUTHORIZED,
            layout("Inloggen", "<h1>Inloggen</h1><p>Log in met de beheercode als wachtwoord. De gebruikersnaam mag je vrij kiezen.</p><p><a href=\"/admin/inzicht\">Opnieuw proberen</a></p>"),
        );
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(LOGIN_CHALLENGE));
        return response;
    };
    let query = uri.query().unwrap_or("").to_string();
    let schema = Schema::of(state.history.current());
    let mut request = match Request::parse(&schema, &query) {
        Ok(request) => request,
        Err(error) => {
            let body = format!(
                "<h1>Deze weergave bestaat niet</h1><p role=\"alert\">Er klopt iets niet in het adres: {}</p><p><a href=\"/admin/inzicht\">Begin opnieuw</a></p>",
                escape(&error.to_string())
            );
            return html(StatusCode::BAD_REQUEST, layout("Inzicht", &body));
        }
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
    let mut body = String::new();
    let title = match &outcome {
        Outcome::Report(_) => "Rapport",
        Outcome::Stories { .. } => "Verhalen",
        _ => "Inzicht",
    };
    nav(&mut body, &schema, &request);
    if !matches!(outcome, Outcome::Report(_)) {
        form(&mut body, &schema, &request, &choices);
    }
    match outcome {
        Outcome::Distribution(d) => {
            let _ = write!(body, "<section aria-labelledby=\"result\"><h2 id=\"result\">{}</h2>", escape(&chart_title(&d)));
            summary(&mut body, &d, &request.filter, &schema);
            notes_html(&mut body, &notes);
            chart(&mut body, &d);
            downloads(&mut body, &query, true);
            body.push_str("</section>");
        }
        Outcome::CrossTab(t) => {
            let _ = write!(
                body,
                "<section aria-labelledby=\"result\"><h2 id=\"result\">{} × {}</h2><p>Filter: {}. Ongeveer {} verhalen beantwoordden beide vragen.</p>",
                escape(t.row_label.nl.trim_end_matches('…')),
                escape(t.col_label.nl.trim_end_matches('…')),
                escape(&request.filter.describe(&schema)),
                escape(&t.total.to_string())
            );
            notes_html(&mut body, &notes);
            cross_table(&mut body, &t);
            downloads(&mut body, &query, false);
            body.push_str("</section>");
        }
        Outcome::Stories { about, cell, group, listing } => {
            let bar = about.categories.get(cell).map_or("n.v.t.".to_string(), |c| c.label.nl.clone());
            let group_label = about.groups.get(group).map_or(String::new(), |g| g.label.nl.clone());
            let _ = write!(
                body,
                "<section aria-labelledby=\"result\"><h2 id=\"result\">Verhalen bij “{}”: {}</h2><p>Vraag: “{}” Filter: {}. Er staan geen datums bij, zodat niemand herkenbaar is.</p>",
                escape(&bar),
                escape(&group_label),
                escape(&about.label.nl),
                escape(&request.filter.describe(&schema))
            );
            notes_html(&mut body, &notes);
            match readable(&state, listing).await {
                Ok(Some(stories)) => {
                    let _ = write!(body, "<p>{} verhalen.</p><ol class=\"stories\">", stories.len());
                    for story in stories {
                        let title = if story.title.trim().is_empty() { "Zonder titel" } else { story.title.as_str() };
                        let _ = write!(body, "<li><article><h3>{}</h3>", escape(title));
                        if let Some(audio) = &story.audio {
                            let _ = write!(
                                body,
                                "<p><audio controls preload=\"none\" src=\"{}\" aria-label=\"Luister naar het ingesproken verhaal: {}\"></audio></p>",
                                escape(audio),
                                escape(title)
                            );
                        }
                        if !story.text.is_empty() {
                            let _ = write!(body, "<p>{}</p>", escape(&story.text));
                        }
                        body.push_str("</article></li>");
                    }
                    body.push_str("</ol>");
                }
                Ok(None) => {
                    let _ = write!(body, "<p class=\"suppressed\" role=\"status\">{SUPPRESSED}</p>");
                }
                Err(error) => return error.into_response(),
            }
            let back: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
                .filter(|(k, _)| !matches!(k.as_ref(), "view" | "value" | "group"))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let _ = write!(body, "<p><a href=\"/admin/inzicht?{}\">Terug naar de grafiek</a></p></section>", escape(&encode(&back)));
        }
        Outcome::Report(all) => {
            let _ = write!(
                body,
                "<section class=\"cover\"><h2>Rapport: patronen in de verhalen</h2><p>Filter: {}. Elke vraag staat op een eigen pagina. Aantallen onder {} staan er als “&lt; {}”; de andere zijn afgerond op {}-tallen.</p><p class=\"no-print\">Druk af met de printknop van je browser (Ctrl+P), of bewaar als PDF.</p></section>",
                escape(&request.filter.describe(&schema)),
                state.insight.disclosure.min_cell(),
                state.insight.disclosure.min_cell(),
                state.insight.disclosure.min_cell()
            );
            notes_html(&mut body, &notes);
            for d in &all {
                let _ = write!(body, "<section class=\"page\"><h2>{}</h2>", escape(&chart_title(d)));
                chart(&mut body, d);
                body.push_str("</section>");
            }
        }
    }
    html(StatusCode::OK, layout(title, &body))
}

/// The chart's title: the question and how it is split.
fn chart_title(d: &PublicDistribution) -> String {
    let question = d.label.nl.trim_end_matches('…');
    match d.by.as_str() {
        "none" => question.to_string(),
        "rounds" => format!("{question} — twee rondes vergeleken"),
        _ => format!("{question} — per groep"),
    }
}

fn layout(title: &str, main: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} — Storypoint</title><link rel=\"stylesheet\" href=\"/admin/inzicht.css\"></head><body><a class=\"skip\" href=\"#main\">Naar de inhoud</a><header><p class=\"brand\">Storypoint · Inzicht</p><p><a href=\"/admin\">Respons per link</a></p></header><main id=\"main\">{main}</main></body></html>",
        escape(title)
    )
}

fn nav(out: &mut String, schema: &Schema, request: &Request) {
    let filter = encode(&request.filter.pairs(schema));
    let with = |view: &str| if filter.is_empty() { format!("view={view}") } else { format!("view={view}&{filter}") };
    let current = match request.view {
        View::Distribution(_) | View::Stories { .. } => "distribution",
        View::CrossTab { .. } => "crosstab",
        View::Report => "report",
    };
    out.push_str("<h1>Patronen in de verhalen</h1><nav aria-label=\"Weergaven\"><ul>");
    for (view, label) in [("distribution", "Eén vraag per groep"), ("crosstab", "Twee vragen tegen elkaar"), ("report", "Rapport om te printen")] {
        let marker = if view == current { " aria-current=\"page\"" } else { "" };
        let _ = write!(out, "<li><a href=\"/admin/inzicht?{}\"{marker}>{label}</a></li>", escape(&with(view)));
    }
    out.push_str("</ul></nav>");
}

/// A `<select>` with an "all" option first.
fn select(out: &mut String, name: &str, label: &str, empty: Option<&str>, options: &[(String, String)], chosen: &[&str]) {
    let _ = write!(out, "<p><label for=\"f-{name}\">{}</label><select id=\"f-{name}\" name=\"{name}\">", escape(label));
    if let Some(empty) = empty {
        let _ = write!(out, "<option value=\"\">{}</option>", escape(empty));
    }
    for (value, text) in options {
        let selected = if chosen.contains(&value.as_str()) { " selected" } else { "" };
        let _ = write!(out, "<option value=\"{}\"{selected}>{}</option>", escape(value), escape(text));
    }
    out.push_str("</select></p>");
}

fn month_input(out: &mut String, name: &str, label: &str, value: Option<storypoint_insight::Month>) {
    let value = value.map(|m| m.to_string()).unwrap_or_default();
    let _ = write!(
        out,
        "<p><label for=\"f-{name}\">{label}</label><input type=\"month\" id=\"f-{name}\" name=\"{name}\" value=\"{value}\" pattern=\"[0-9]{{4}}-[0-9]{{2}}\" placeholder=\"JJJJ-MM\"></p>"
    );
}

/// The filters the issue names, in this order; choice questions the questionnaire lacks are skipped.
const FILTERS: &[&str] = &["perspective", "age_group", "organisation_type", "prompt", LANG];

fn form(out: &mut String, schema: &Schema, request: &Request, choices: &Choices) {
    let label = |d: usize| schema.dimensions[d].label.nl.trim_end_matches('…').to_string();
    let question_options: Vec<(String, String)> = measures(schema)
        .into_iter()
        .map(|m| match m {
            Measure::Choice(d) => (schema.dimensions[d].id.clone(), label(d)),
            Measure::Scale(s) => (schema.scales[s].id.clone(), schema.scales[s].label.nl.clone()),
        })
        .collect();
    let groupable: Vec<(String, String)> = FILTERS
        .iter()
        .filter_map(|id| schema.dimension(id))
        .map(|d| (schema.dimensions[d].id.clone(), format!("per {}", label(d).to_lowercase())))
        .collect();
    out.push_str("<form method=\"get\" action=\"/admin/inzicht\" class=\"controls\">");
    match &request.view {
        View::CrossTab { rows, columns } => {
            out.push_str("<input type=\"hidden\" name=\"view\" value=\"crosstab\"><fieldset><legend>Welke vragen?</legend>");
            let choices: Vec<(String, String)> = question_options.iter().filter(|(id, _)| schema.dimension(id).is_some()).cloned().collect();
            select(out, "row", "Rijen", None, &choices, &[schema.dimensions[*rows].id.as_str()]);
            let mut columns_list = choices.clone();
            columns_list.push((LANG.into(), "Taal van het verhaal".into()));
            select(out, "col", "Kolommen", None, &columns_list, &[schema.dimensions[*columns].id.as_str()]);
            out.push_str("</fieldset>");
        }
        _ => {
            let view = request.distribution().expect("a distribution or a list of stories");
            let question = match view.measure {
                Measure::Choice(d) => schema.dimensions[d].id.clone(),
                Measure::Scale(s) => schema.scales[s].id.clone(),
            };
            let (by, rounds) = match &view.grouping {
                Grouping::All => ("none".to_string(), None),
                Grouping::By(d) => (schema.dimensions[*d].id.clone(), None),
                Grouping::Rounds(a, b) => ("rounds".to_string(), Some((a.clone(), b.clone()))),
            };
            out.push_str("<fieldset><legend>Wat wil je zien?</legend>");
            select(out, "question", "Vraag", None, &question_options, &[question.as_str()]);
            let mut by_options = vec![("none".to_string(), "alle verhalen samen".to_string())];
            by_options.extend(groupable.iter().cloned());
            by_options.push(("rounds".into(), "twee rondes (periodes) naast elkaar".into()));
            select(out, "by", "Naast elkaar", None, &by_options, &[by.as_str()]);
            out.push_str("</fieldset><fieldset><legend>Rondes vergelijken (kies hierboven “twee rondes”)</legend>");
            let (a, b) = rounds.unwrap_or_default();
            month_input(out, "a_from", "Ronde A van", a.from);
            month_input(out, "a_to", "Ronde A tot en met", a.to);
            month_input(out, "b_from", "Ronde B van", b.from);
            month_input(out, "b_to", "Ronde B tot en met", b.to);
            out.push_str("</fieldset>");
        }
    }
    out.push_str("<fieldset class=\"filter\"><legend>Filter: welke verhalen?</legend>");
    for id in FILTERS {
        let Some(d) = schema.dimension(id) else { continue };
        let options: Vec<(String, String)> =
            schema.dimensions[d].categories.iter().map(|c| (c.value.clone(), c.label.nl.clone())).collect();
        let chosen: Vec<&str> = schema.dimensions[d]
            .categories
            .iter()
            .enumerate()
            .filter(|(c, _)| request.filter.has(d, *c))
            .map(|(_, c)| c.value.as_str())
            .collect();
        select(out, id, &label(d), Some("alle"), &options, &chosen);
    }
    let organisation_options: Vec<(String, String)> = choices.organisations.iter().map(|o| (o.clone(), o.clone())).collect();
    select(out, "organisation", "Organisatie", Some("alle"), &organisation_options, &request.filter.organisation().into_iter().collect::<Vec<_>>());
    // Several regions on one collector: one campaign, or all together (the national view).
    if choices.campaigns.len() > 1 {
        let campaign_options: Vec<(String, String)> = choices.campaigns.iter().map(|c| (c.clone(), c.clone())).collect();
        select(out, "campaign", "Campagne", Some("alle samen"), &campaign_options, &request.filter.campaign().into_iter().collect::<Vec<_>>());
    }
    month_input(out, "from", "Van (maand)", request.filter.period.from);
    month_input(out, "to", "Tot en met (maand)", request.filter.period.to);
    out.push_str("</fieldset><p><button type=\"submit\">Toon</button></p></form>");
}

fn summary(out: &mut String, d: &PublicDistribution, filter: &Filter, schema: &Schema) {
    let _ = write!(
        out,
        "<p>Filter: {}. Aantal verhalen: {}. Aantallen onder {} staan er als “&lt; {}”, de andere zijn afgerond op {}-tallen; de procenten gaan over wie de vraag beantwoordde. Klik op een balk om de verhalen te lezen.</p>",
        escape(&filter.describe(schema)),
        escape(&d.groups[0].stories.to_string()),
        d.min_cell,
        d.min_cell,
        d.min_cell
    );
}

/// The chart and, beside it, the same numbers as a table (the accessible version).
fn chart(out: &mut String, d: &PublicDistribution) {
    let title = chart_title(d);
    let _ = write!(out, "<figure>{}<figcaption>{}</figcaption></figure>", distribution_svg(d, &title), escape(&title));
    let _ = write!(out, "<table><caption>{} in getallen</caption><thead><tr><th scope=\"col\">Antwoord</th>", escape(&title));
    for group in &d.groups {
        let _ = write!(out, "<th scope=\"col\">{} (n = {})</th>", escape(&group.label.nl), escape(&group.stories.to_string()));
    }
    out.push_str("</tr></thead><tbody>");
    let link = |cell: &storypoint_insight::PublicCell| {
        let text = count_text(cell.count, cell.percent);
        match &cell.stories_query {
            Some(query) => format!("<a href=\"/admin/inzicht?{}\">{}</a>", escape(query), escape(&text)),
            None => escape(&text),
        }
    };
    for (c, category) in d.categories.iter().enumerate() {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(&category.label.nl));
        for group in &d.groups {
            let _ = write!(out, "<td>{}</td>", link(&group.cells[c]));
        }
        out.push_str("</tr>");
    }
    if d.kind == "slider" {
        out.push_str("<tr><th scope=\"row\">Niet van toepassing</th>");
        for group in &d.groups {
            let _ = write!(out, "<td>{}</td>", group.not_applicable.as_ref().map(link).unwrap_or_default());
        }
        out.push_str("</tr><tr><th scope=\"row\">Mediaan</th>");
        for group in &d.groups {
            let _ = write!(out, "<td>{}</td>", group.median.map_or("–".to_string(), |m| m.to_string()));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

fn cross_table(out: &mut String, t: &PublicCrossTab) {
    let _ = write!(
        out,
        "<table class=\"crosstab\"><caption>Aantal verhalen en rijpercentage</caption><thead><tr><th scope=\"col\">{}</th>",
        escape(t.row_label.nl.trim_end_matches('…'))
    );
    for column in &t.columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(&column.label.nl));
    }
    out.push_str("<th scope=\"col\">Totaal</th></tr></thead><tbody>");
    for row in &t.rows {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(&row.label.nl));
        for cell in &row.cells {
            let heat = cell.percent.map_or(0, |p| 1 + (p.min(99) / 25));
            let text = count_text(cell.count, cell.percent);
            let inner = match &cell.stories_query {
                Some(query) => format!("<a href=\"/admin/inzicht?{}\">{}</a>", escape(query), escape(&text)),
                None => escape(&text),
            };
            let _ = write!(out, "<td class=\"heat-{heat}\">{inner}</td>");
        }
        let _ = write!(out, "<td>{}</td></tr>", escape(&row.total.to_string()));
    }
    out.push_str("</tbody><tfoot><tr><th scope=\"row\">Totaal</th>");
    for total in &t.column_totals {
        let _ = write!(out, "<td>{}</td>", escape(&total.to_string()));
    }
    let _ = write!(out, "<td>{}</td></tr></tfoot></table>", escape(&t.total.to_string()));
    match &t.test {
        Some(test) => {
            // Three decimals, but never "p = 0,050" beside "unlikely to be chance".
            let p = match test.p {
                p if p < 0.001 => "p &lt; 0,001".to_string(),
                p if p < 0.05 && format!("{p:.3}") == "0.050" => "p &lt; 0,05".to_string(),
                p => format!("p = {}", format!("{p:.3}").replace('.', ",")),
            };
            let _ = write!(
                out,
                "<p class=\"test\"><strong>{}</strong> (χ²-toets: χ² = {}, {} vrijheidsgraden, {p}.)</p>",
                escape(&test.note.nl),
                format!("{:.1}", test.statistic).replace('.', ","),
                test.df
            );
        }
        None => out.push_str("<p class=\"test\">Er zijn te weinig verhalen in verschillende groepen voor een toets.</p>"),
    }
}

fn downloads(out: &mut String, query: &str, svg: bool) {
    let base: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k != "format").map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let with = |format: &str| {
        let mut pairs = base.clone();
        pairs.push(("format".into(), format.into()));
        escape(&format!("/api/v1/patterns?{}", encode(&pairs)))
    };
    let _ = write!(out, "<p class=\"downloads no-print\">Download: <a href=\"{}\" download>CSV (spreadsheet)</a>", with("csv"));
    if svg {
        let _ = write!(out, " · <a href=\"{}\" download>SVG (afbeelding)</a>", with("svg"));
    }
    out.push_str("</p>");
}

/// Bursts of near-identical stories in `campaign` (every campaign: `None`) for the response
/// page: the day, the link's organisation (none without a link) and how many. Suppression
/// cannot tell one person's look-alike stories from many tellers; a coordinator can, by
/// reading them (see RELIABILITY.md). Reads every story: the page is opened a few times a week.
pub fn bursts(state: &AppState, campaign: Option<&str>, links: &[crate::store::LinkCount]) -> Result<Vec<serde_json::Value>, StoreError> {
    let questionnaire = state.history.current();
    let is_text = |id: &str| {
        questionnaire.question(id).is_some_and(|q| matches!(q.kind, storypoint_core::QuestionKind::LongText { .. } | storypoint_core::QuestionKind::ShortText { .. }))
    };
    // Per story: (campaign, day, link, closed answers, free text), the answers in key order.
    let facts: Vec<(String, String, Option<String>, String, String)> = state
        .store
        .stories()?
        .into_iter()
        .filter(|story| campaign.is_none_or(|slug| slug == story.campaign))
        .map(|story| {
            let mut answers: Vec<(&String, &serde_json::Value)> = story.answers.iter().collect();
            answers.sort_by(|a, b| a.0.cmp(b.0));
            let (texts, closed): (Vec<_>, Vec<_>) = answers.into_iter().partition(|(id, _)| is_text(id));
            let closed = serde_json::to_string(&closed).unwrap_or_default();
            let text = texts.iter().filter_map(|(_, v)| v.as_str()).collect::<Vec<_>>().join("\n");
            (story.campaign, story.received_on, story.link, closed, text)
        })
        .collect();
    let told: Vec<storypoint_insight::bursts::Told<'_>> = facts
        .iter()
        .map(|(campaign, day, link, answers, text)| storypoint_insight::bursts::Told { campaign, day, link: link.as_deref(), answers, text })
        .collect();
    let organisation = |code: &str| links.iter().find(|l| l.code == code).map(|l| l.organisation.clone());
    Ok(storypoint_insight::bursts::bursts(&told)
        .into_iter()
        .map(|b| json!({"day": b.day, "campaign": b.campaign, "link": b.link, "organisation": b.link.as_deref().and_then(organisation), "stories": b.stories}))
        .collect())
}
