//! The organisation table in the browser (`/admin/links`): upload a table (CSV, `.xlsx`,
//! `.ods`), see what an import would make (the same rules as `storypoint links import`:
//! [`crate::import`]), import it with a same-site POST carrying the session's form token,
//! and download the links (Dutch-Excel CSV), the QR codes (a ZIP of PNG and SVG) and the
//! flyers (a PDF). The collector's token chooses a campaign with `?campaign=`; a
//! campaign's token always gets its own.
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest as _, Multipart, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use storypoint_core::LinkCode;
use storypoint_core::contract::{AGE_GROUP, ORGANISATION_TYPE};

use crate::access::Access;
use crate::error::ApiError;
use crate::flyer_files::file_safe;
use crate::import::{Problem, Row};
use crate::pages::links::{Choice, LinkLine, LinksPage, Outcome, PlannedRow, Status};
use crate::state::AppState;
use crate::store::{Campaign, LinkRow, Planned, organisation_key};
use crate::words::{t, t_with};

/// The largest table accepted, in bytes.
pub const MAX_TABLE_BYTES: usize = 2 << 20;

/// The routes of `/admin/links`, for the coordinators' router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/links", get(show).post(preview))
        .route("/admin/links/importeren", post(import))
        .route("/admin/links/links.csv", get(links_csv))
        .route("/admin/links/qr.zip", get(qr_zip))
        .route("/admin/links/flyers.pdf", get(flyers_pdf))
        .layer(DefaultBodyLimit::max(MAX_TABLE_BYTES + 64 * 1024))
}

/// What every request of these pages needs besides its own data.
struct Asked {
    headers: HeaderMap,
    campaign: Option<String>,
    tls: bool,
    back: String,
}

impl Asked {
    fn of(state: &AppState, parts: &axum::http::request::Parts) -> Asked {
        let campaign = parts
            .uri
            .query()
            .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "campaign").map(|(_, v)| v.into_owned()))
            .filter(|v| !v.is_empty());
        let back = match &campaign {
            Some(slug) => format!("/admin/links?campaign={}", form_urlencoded::byte_serialize(slug.as_bytes()).collect::<String>()),
            None => "/admin/links".to_string(),
        };
        Asked { headers: parts.headers.clone(), campaign, tls: crate::access::over_tls(state, &parts.extensions, &parts.headers), back }
    }

    /// The campaign shown: a campaign's token its own; the collector's the one asked for,
    /// else the collector's own.
    fn campaign(&self, state: &AppState, access: &Access) -> Result<Campaign, ApiError> {
        let slug = match access.campaign() {
            Some(own) => own.to_string(),
            None => self.campaign.clone().unwrap_or_else(|| state.campaign.clone()),
        };
        state.store.find_campaign(&slug)?.ok_or(ApiError::NotFound("no such campaign"))
    }

    /// The address the links point to: the campaign's, else this server's `/vertel`.
    fn base_url(&self, campaign: &Campaign) -> (String, bool) {
        if let Some(url) = &campaign.base_url {
            return (url.clone(), false);
        }
        let host = self.headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
        (format!("{}://{host}/vertel", if self.tls { "https" } else { "http" }), true)
    }
}

/// The page's Content-Security-Policy: [`crate::access::PAGE_CSP`] plus our own scripts
/// (the copy buttons, `/admin/kopieer.js`; no inline script).
const LINKS_PAGE_CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Runs blocking storage work off the async threads, in the request's language.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(crate::words::carried(work)).await.unwrap_or(Err(ApiError::Internal))
}

/// A page, or the way to log in when there is no session.
fn reply(result: Result<(StatusCode, maud::Markup), ApiError>, back: &str) -> Response {
    match result {
        Ok((status, markup)) => {
            let mut response = crate::access::page_reply(status, markup);
            response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(LINKS_PAGE_CSP));
            response
        }
        Err(ApiError::Unauthorized) => crate::access::login_page(back),
        Err(error) => error.into_response(),
    }
}

/// The page for `campaign` with `outcome` on top.
fn render(state: &AppState, asked: &Asked, access: &Access, campaign: &Campaign, outcome: Outcome) -> Result<maud::Markup, ApiError> {
    let questionnaire = state.history.current();
    let base_url = asked.base_url(campaign);
    let links = state.store.links(&campaign.slug)?;
    let rows = crate::links::rows(questionnaire, &links, &base_url.0);
    let lines: Vec<LinkLine> = rows
        .into_iter()
        .skip(1)
        .zip(&links)
        .map(|(mut row, link)| {
            let url = row.pop().unwrap_or_default();
            LinkLine { cells: in_language(cells_of(row), link), url, code: link.entry.code.to_string() }
        })
        .collect();
    let choice = |c: &Campaign| Choice { slug: c.slug.clone(), name: c.name.clone().unwrap_or_else(|| c.slug.clone()) };
    let campaigns = match access {
        Access::All => state.store.campaigns()?.iter().map(choice).collect(),
        Access::Campaign(_) => Vec::new(),
    };
    let csrf = crate::access::csrf_of(state, &asked.headers);
    Ok(crate::pages::links::page(&LinksPage {
        campaign: &choice(campaign),
        campaigns: &campaigns,
        csrf: csrf.as_deref(),
        links: &lines,
        base_url: (&base_url.0, base_url.1),
        outcome,
    }))
}

/// `cells` (organisation, type, age group, contact of `link`, in the questionnaire's Dutch
/// words) with the type and age group in the request's language.
fn in_language(mut cells: [String; 4], link: &LinkRow) -> [String; 4] {
    for (cell, question) in [(1, ORGANISATION_TYPE), (2, AGE_GROUP)] {
        let value = link.entry.prefill.iter().find(|(id, _)| id == question).map(|(_, value)| value.as_str());
        if let Some(words) = value.and_then(|value| crate::words::option_label(question, value)) {
            cells[cell] = words.to_string();
        }
    }
    cells
}

/// Organisation, type, age group and contact of a row of [`crate::links::rows`].
fn cells_of(row: Vec<String>) -> [String; 4] {
    let mut cells = row.into_iter();
    std::array::from_fn(|_| cells.next().unwrap_or_default())
}

/// A link's organisation, type, age group and contact in the coordinator's words.
fn words(state: &AppState, link: &LinkRow) -> [String; 4] {
    let rows = crate::links::rows(state.history.current(), std::slice::from_ref(link), "");
    in_language(cells_of(rows.into_iter().nth(1).unwrap_or_default()), link)
}

/// A table row as a link, for its words (new rows have no code yet).
fn as_link(row: &Row, code: Option<&LinkCode>) -> LinkRow {
    let code = code.cloned().or_else(|| LinkCode::parse("22222222").ok());
    LinkRow {
        entry: storypoint_core::LinkEntry {
            code: code.expect("a well-formed code"),
            organisation: row.link.organisation.clone(),
            prefill: row.link.prefill.clone(),
        },
        contact: row.link.contact.clone(),
    }
}

/// `GET /admin/links`: the upload form and the campaign's links.
async fn show(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let asked = Asked::of(&state, &parts);
    let back = asked.back.clone();
    let result = blocking(move || {
        let access = crate::access::access(&state, &asked.headers)?;
        let campaign = asked.campaign(&state, &access)?;
        Ok((StatusCode::OK, render(&state, &asked, &access, &campaign, Outcome::Nothing)?))
    })
    .await;
    reply(result, &back)
}

/// The table of an upload and what an import of it would do.
fn preview_of(state: &AppState, campaign: &Campaign, table: Result<Vec<u8>, Problem>) -> Result<(StatusCode, Outcome), ApiError> {
    let table = match table {
        Ok(table) => table,
        Err(problem) => return Ok((StatusCode::UNPROCESSABLE_ENTITY, Outcome::Problems(vec![problem]))),
    };
    let rows = match crate::import::check(&table, state.history.current()) {
        Ok(rows) => rows,
        Err(problems) => return Ok((StatusCode::UNPROCESSABLE_ENTITY, Outcome::Problems(problems))),
    };
    let existing = state.store.links(&campaign.slug)?;
    let links: Vec<_> = rows.iter().map(|row| row.link.clone()).collect();
    let planned = crate::store::plan(&existing, &links)
        .into_iter()
        .zip(&rows)
        .map(|(planned, row)| {
            let (status, code) = match planned {
                Planned::Create(_) => (Status::New, None),
                Planned::Update(link, _) => (Status::Updated, Some(&link.entry.code)),
                Planned::Unchanged(link) => (Status::Unchanged, Some(&link.entry.code)),
            };
            PlannedRow { line: row.line, cells: words(state, &as_link(row, code)), status, code: code.map(ToString::to_string) }
        })
        .collect();
    let carried = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&table);
    Ok((StatusCode::OK, Outcome::Preview(planned, carried)))
}

/// `POST /admin/links` (`multipart/form-data`: `csrf`, `bestand`): the preview of the
/// uploaded table, or its problems; nothing is imported.
async fn preview(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let asked = Asked::of(&state, &parts);
    let back = asked.back.clone();
    let mut csrf = String::new();
    let mut file: Option<Result<(String, Vec<u8>), String>> = None;
    match Multipart::from_request(Request::from_parts(parts, body), &state).await {
        Ok(mut multipart) => loop {
            match multipart.next_field().await {
                Ok(Some(field)) => match field.name() {
                    Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                    Some("bestand") => {
                        let name = field.file_name().unwrap_or_default().to_string();
                        file = Some(match field.bytes().await {
                            Ok(bytes) if bytes.len() <= MAX_TABLE_BYTES => Ok((name, bytes.to_vec())),
                            _ => Err(too_large()),
                        });
                    }
                    _ => {}
                },
                Ok(None) => break,
                Err(_) => {
                    file = Some(Err(too_large()));
                    break;
                }
            }
        },
        Err(_) => file = Some(Err(t("links.refused.no_form").into())),
    }
    let result = blocking(move || {
        let access = crate::access::form_access(&state, &asked.headers, &csrf)?;
        let campaign = asked.campaign(&state, &access)?;
        let (status, outcome) = match file {
            None => (StatusCode::UNPROCESSABLE_ENTITY, Outcome::Refused(t("links.refused.no_file").into())),
            Some(Err(sentence)) => (StatusCode::UNPROCESSABLE_ENTITY, Outcome::Refused(sentence)),
            Some(Ok((name, bytes))) => preview_of(&state, &campaign, crate::import::table_text(&name, &bytes))?,
        };
        Ok((status, render(&state, &asked, &access, &campaign, outcome)?))
    })
    .await;
    reply(result, &back)
}

fn too_large() -> String {
    t_with("links.refused.too_large", &[("mb", &(MAX_TABLE_BYTES >> 20))])
}

/// The import button's form.
struct ImportForm {
    csrf: String,
    tabel: String,
}

/// `POST /admin/links/importeren` (`csrf`, `tabel`: the previewed table, base64): checks
/// the table again, imports it and shows what happened.
async fn import(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let asked = Asked::of(&state, &parts);
    let back = asked.back.clone();
    let limit = 2 * MAX_TABLE_BYTES;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else { return ApiError::TooLarge(limit).into_response() };
    let field = |name: &str| form_urlencoded::parse(&bytes).find(|(key, _)| key == name).map(|(_, value)| value.into_owned()).unwrap_or_default();
    let form = ImportForm { csrf: field("csrf"), tabel: field("tabel") };
    let result = blocking(move || {
        let access = crate::access::form_access(&state, &asked.headers, &form.csrf)?;
        let campaign = asked.campaign(&state, &access)?;
        let Ok(table) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(form.tabel.trim()) else {
            let outcome = Outcome::Refused(t("links.refused.table_lost").into());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&state, &asked, &access, &campaign, outcome)?));
        };
        let rows = match crate::import::check(&table, state.history.current()) {
            Ok(rows) => rows,
            Err(problems) => return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&state, &asked, &access, &campaign, Outcome::Problems(problems))?)),
        };
        let report = crate::import::import(state.store.as_ref(), &campaign.slug, &rows)?;
        let done: Vec<PlannedRow> = rows
            .iter()
            .map(|row| {
                let key = organisation_key(&row.link.organisation);
                let found = |links: &[LinkRow]| links.iter().find(|l| organisation_key(&l.entry.organisation) == key).cloned();
                let (status, link) = match (found(&report.created), found(&report.updated), found(&report.unchanged)) {
                    (Some(link), ..) => (Status::New, Some(link)),
                    (_, Some(link), _) => (Status::Updated, Some(link)),
                    (.., link) => (Status::Unchanged, link),
                };
                let code = link.as_ref().map(|l| l.entry.code);
                PlannedRow { line: row.line, cells: words(&state, &as_link(row, code.as_ref())), status, code: code.map(|c| c.to_string()) }
            })
            .collect();
        Ok((StatusCode::OK, render(&state, &asked, &access, &campaign, Outcome::Imported(done))?))
    })
    .await;
    reply(result, &back)
}

/// A download: `bytes` as `file_name` of `content_type`.
fn download(content_type: &'static str, file_name: &str, bytes: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")).unwrap_or(HeaderValue::from_static("attachment"));
    ([(header::CONTENT_TYPE, HeaderValue::from_static(content_type)), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

/// The campaign's links as `(access, campaign, links, base url)` for a download.
async fn links_of(state: AppState, request: Request) -> Result<(Campaign, Vec<LinkRow>, String), Response> {
    let (parts, _) = request.into_parts();
    let asked = Asked::of(&state, &parts);
    let back = asked.back.clone();
    let found = blocking(move || {
        let access = crate::access::access(&state, &asked.headers)?;
        let campaign = asked.campaign(&state, &access)?;
        let links = state.store.links(&campaign.slug)?;
        let base_url = asked.base_url(&campaign).0;
        Ok((campaign, links, base_url))
    })
    .await;
    found.map_err(|error| match error {
        ApiError::Unauthorized => crate::access::login_page(&back),
        error => error.into_response(),
    })
}

/// `GET /admin/links/links.csv`: the links as CSV that Dutch Excel opens as is.
async fn links_csv(State(state): State<AppState>, request: Request) -> Response {
    let questionnaire = state.history.clone();
    match links_of(state, request).await {
        Ok((campaign, links, base_url)) => {
            let csv = crate::export::spreadsheet(crate::links::rows(questionnaire.current(), &links, &base_url));
            download("text/csv; charset=utf-8", &format!("links-{}.csv", file_safe(&campaign.slug)), csv)
        }
        Err(response) => response,
    }
}

/// `GET /admin/links/qr.zip`: every link's QR code as PNG and SVG (`{organisation}-{code}`),
/// `flyers.html` and `flyers.pdf` ([`crate::flyer_files`], as `storypoint links qr` writes them).
async fn qr_zip(State(state): State<AppState>, request: Request) -> Response {
    let (campaign, links, base_url) = match links_of(state, request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let made = tokio::task::spawn_blocking(move || crate::flyer_files::with_flyers(&links, &base_url, crate::flyer_files::flyers_zip)).await;
    match made {
        Ok(Ok(zip)) => download("application/zip", &format!("qr-{}.zip", file_safe(&campaign.slug)), zip),
        _ => ApiError::Internal.into_response(),
    }
}

/// `GET /admin/links/flyers.pdf`: one A4 flyer per link, to print or to e-mail to each
/// contact.
async fn flyers_pdf(State(state): State<AppState>, request: Request) -> Response {
    let (campaign, links, base_url) = match links_of(state, request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let made = tokio::task::spawn_blocking(move || crate::flyer_files::with_flyers(&links, &base_url, crate::flyers_pdf::flyers_pdf)).await;
    match made {
        Ok(Ok(pdf)) => download("application/pdf", &format!("flyers-{}.pdf", file_safe(&campaign.slug)), pdf),
        _ => ApiError::Internal.into_response(),
    }
}
