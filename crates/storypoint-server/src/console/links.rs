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

use crate::access::Access;
use crate::error::ApiError;
use crate::import::{Problem, Row};
use crate::pages::links::{Choice, LinkLine, LinksPage, Outcome, PlannedRow, Status};
use crate::state::AppState;
use crate::store::{Campaign, LinkRow, Planned, organisation_key};

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

/// Runs blocking storage work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.unwrap_or(Err(ApiError::Internal))
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
            LinkLine { cells: cells_of(row), url, code: link.entry.code.to_string() }
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

/// Organisation, type, age group and contact of a row of [`crate::links::rows`].
fn cells_of(row: Vec<String>) -> [String; 4] {
    let mut cells = row.into_iter();
    std::array::from_fn(|_| cells.next().unwrap_or_default())
}

/// A link's organisation, type, age group and contact in the coordinator's words.
fn words(state: &AppState, link: &LinkRow) -> [String; 4] {
    let rows = crate::links::rows(state.history.current(), std::slice::from_ref(link), "");
    cells_of(rows.into_iter().nth(1).unwrap_or_default())
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
        Err(_) => file = Some(Err("Kies een bestand en druk op \u{201c}Bekijk wat er gebeurt\u{201d}.".into())),
    }
    let result = blocking(move || {
        let access = crate::access::form_access(&state, &asked.headers, &csrf)?;
        let campaign = asked.campaign(&state, &access)?;
        let (status, outcome) = match file {
            None => (StatusCode::UNPROCESSABLE_ENTITY, Outcome::Refused("Kies eerst een bestand met de tabel.".into())),
            Some(Err(sentence)) => (StatusCode::UNPROCESSABLE_ENTITY, Outcome::Refused(sentence)),
            Some(Ok((name, bytes))) => preview_of(&state, &campaign, crate::import::table_text(&name, &bytes))?,
        };
        Ok((status, render(&state, &asked, &access, &campaign, outcome)?))
    })
    .await;
    reply(result, &back)
}

fn too_large() -> String {
    format!("Het bestand is te groot: hoogstens {} MB past. Laat lege werkbladen en plaatjes weg, of sla de tabel op als CSV.", MAX_TABLE_BYTES >> 20)
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
            let outcome = Outcome::Refused("De tabel kwam niet goed mee. Upload hem opnieuw.".into());
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

/// A name safe in a file name: letters and digits, `-` for the rest, at most 40.
fn file_safe(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(40).collect()
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
/// and `flyers.html`.
async fn qr_zip(State(state): State<AppState>, request: Request) -> Response {
    let (campaign, links, base_url) = match links_of(state, request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let made = tokio::task::spawn_blocking(move || qr_archive(&links, &base_url)).await;
    match made {
        Ok(Ok(zip)) => download("application/zip", &format!("qr-{}.zip", file_safe(&campaign.slug)), zip),
        _ => ApiError::Internal.into_response(),
    }
}

fn qr_archive(links: &[LinkRow], base_url: &str) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
    use std::io::Write as _;
    let urls: Vec<String> = links.iter().map(|l| crate::links::teller_url(base_url, &l.entry.code)).collect();
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut archive = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (link, url) in links.iter().zip(&urls) {
            let stem = match file_safe(&link.entry.organisation) {
                name if name.is_empty() => link.entry.code.to_string(),
                name => format!("{name}-{}", link.entry.code),
            };
            archive.start_file(format!("{stem}.png"), stored)?;
            archive.write_all(&crate::qr::qr_png(url)?)?;
            archive.start_file(format!("{stem}.svg"), stored)?;
            archive.write_all(crate::qr::qr_svg(url)?.as_bytes())?;
        }
        let flyers: Vec<crate::qr::Flyer<'_>> =
            links.iter().zip(&urls).map(|(l, url)| crate::qr::Flyer { organisation: &l.entry.organisation, code: l.entry.code.as_str(), url }).collect();
        archive.start_file("flyers.html", stored)?;
        archive.write_all(crate::qr::flyers_html(&flyers)?.as_bytes())?;
        archive.finish()?;
    }
    Ok(out.into_inner())
}

/// `GET /admin/links/flyers.pdf`: one A4 flyer per link, to print or to e-mail to each
/// contact.
async fn flyers_pdf(State(state): State<AppState>, request: Request) -> Response {
    let (campaign, links, base_url) = match links_of(state, request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let made = tokio::task::spawn_blocking(move || {
        let flyers: Vec<(String, String)> = links.iter().map(|l| (l.entry.organisation.clone(), crate::links::teller_url(&base_url, &l.entry.code))).collect();
        flyers_document(&flyers)
    })
    .await;
    match made {
        Ok(Ok(pdf)) => download("application/pdf", &format!("flyers-{}.pdf", file_safe(&campaign.slug)), pdf),
        _ => ApiError::Internal.into_response(),
    }
}

/// The QR code's modules (dark or not, row by row) and its width: at least level M, more
/// redundancy when that does not make the code denser (as `qr.rs` makes its codes).
fn qr_modules(url: &str) -> Result<(Vec<bool>, usize), qrcode::types::QrError> {
    use qrcode::{EcLevel, QrCode};
    let at_m = QrCode::with_error_correction_level(url, EcLevel::M)?;
    let code = [EcLevel::H, EcLevel::Q]
        .into_iter()
        .filter_map(|level| QrCode::with_error_correction_level(url, level).ok())
        .find(|code| code.width() == at_m.width())
        .unwrap_or(at_m);
    Ok((code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect(), code.width()))
}

/// Text in the PDF's standard fonts (WinAnsiEncoding): Latin letters with accents as they
/// are, typographic quotes and dashes mapped, anything else `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{A0}'..='\u{FF}' => c as u32 as u8,
            '\u{20AC}' => 0x80,
            '\u{2026}' => 0x85,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// `text` in lines of at most `width` characters, broken between words (a word longer
/// than a line is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let rest = word.chars().skip(width).collect();
            lines.push(word.chars().take(width).collect());
            word = rest;
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line += &word;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The flyers as a PDF: per `(organisation, url)` one A4 page with the words of
/// `flyers.html`, the QR code as vector squares (7 cm wide, with its quiet zone) and the
/// address under it. Standard fonts only (Helvetica, Courier), so nothing is embedded.
fn flyers_document(flyers: &[(String, String)]) -> Result<Vec<u8>, qrcode::types::QrError> {
    use pdf_writer::{Content, Finish as _, Name, Pdf, Rect, Ref, Str, TextStr};
    const A4: (f32, f32) = (595.28, 841.89);
    const MARGIN: f32 = 56.0;
    const QR_PT: f32 = 70.0 / 25.4 * 72.0;
    let (catalog, tree, info) = (Ref::new(1), Ref::new(2), Ref::new(3));
    let (regular, bold, mono) = (Ref::new(4), Ref::new(5), Ref::new(6));
    let page_ids: Vec<(Ref, Ref)> = (0..flyers.len().max(1)).map(|i| (Ref::new(10 + 2 * i as i32), Ref::new(11 + 2 * i as i32))).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree).lang(TextStr("nl"));
    pdf.document_info(info).title(TextStr("Vertelpunt – flyers")).producer(TextStr("Storypoint"));
    pdf.pages(tree).kids(page_ids.iter().map(|(page, _)| *page)).count(page_ids.len() as i32);
    for (id, name) in [(regular, "Helvetica"), (bold, "Helvetica-Bold"), (mono, "Courier-Bold")] {
        pdf.type1_font(id).base_font(Name(name.as_bytes())).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let empty = [(String::new(), String::new())];
    let shown: &[(String, String)] = if flyers.is_empty() { &empty } else { flyers };
    for ((organisation, url), (page_id, content_id)) in shown.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.parent(tree).media_box(Rect::new(0.0, 0.0, A4.0, A4.1)).contents(*content_id);
        let mut resources = page.resources();
        resources.fonts().pair(Name(b"F1"), regular).pair(Name(b"F2"), bold).pair(Name(b"F3"), mono);
        resources.finish();
        page.finish();

        let mut content = Content::new();
        let mut y = A4.1 - MARGIN - 14.0;
        let text = |content: &mut Content, font: &[u8], size: f32, lines: &[String], y: &mut f32, x_of: &dyn Fn(&str) -> f32| {
            for line in lines {
                content.begin_text().set_font(Name(font), size).next_line(x_of(line), *y).show(Str(&win_ansi(line))).end_text();
                *y -= size * 1.3;
            }
        };
        let left = |_: &str| MARGIN;
        if url.is_empty() {
            text(&mut content, b"F1", 16.0, &["Er zijn nog geen links, dus ook geen flyers.".to_string()], &mut y, &left);
        } else {
            text(&mut content, b"F2", 14.0, &["VERTELPUNT".to_string()], &mut y, &left);
            y -= 10.0;
            text(&mut content, b"F2", 28.0, &wrap("Deel jouw verhaal over de jeugdhulp", 30), &mut y, &left);
            y -= 8.0;
            let invite = [
                "Heb jij hulp gekregen, of iemand in jouw gezin? Of help je zelf kinderen en jongeren? Wij willen graag weten hoe het ging. Wat ging goed? Wat kan beter?",
                "Het is anoniem: je hoeft je naam niet te geven. Niemand weet dat het jouw verhaal is. Het duurt ongeveer 10 minuten.",
            ];
            for paragraph in invite {
                text(&mut content, b"F1", 14.0, &wrap(paragraph, 66), &mut y, &left);
                y -= 6.0;
            }
            text(&mut content, b"F2", 14.0, &wrap("Scan de QR-code met de camera van je telefoon. Of typ het adres eronder over.", 62), &mut y, &left);

            // The code: a white square with the quiet zone, black bars in module units.
            let (dark, width) = qr_modules(url)?;
            let size = width + 8;
            let module = QR_PT / size as f32;
            let (x0, top) = ((A4.0 - QR_PT) / 2.0, y - 10.0);
            content.save_state();
            content.transform([module, 0.0, 0.0, -module, x0, top]);
            content.set_fill_gray(1.0).rect(0.0, 0.0, size as f32, size as f32).fill_nonzero();
            content.set_fill_gray(0.0);
            for row in 0..width {
                let mut x = 0;
                while x < width {
                    if dark[row * width + x] {
                        let start = x;
                        while x < width && dark[row * width + x] {
                            x += 1;
                        }
                        content.rect((start + 4) as f32, (row + 4) as f32, (x - start) as f32, 1.0);
                    } else {
                        x += 1;
                    }
                }
            }
            content.fill_nonzero();
            content.restore_state();
            y = top - QR_PT - 28.0;

            // The address in a fixed-width font, centred (Courier: 0.6 em per character).
            let centred = |line: &str| (A4.0 - line.chars().count() as f32 * 0.6 * 15.0) / 2.0;
            text(&mut content, b"F3", 15.0, &wrap(url, 52), &mut y, &centred);

            let mut bottom = MARGIN + 40.0;
            text(&mut content, b"F1", 14.0, &["Je krijgt deze uitnodiging van".to_string()], &mut bottom, &left);
            text(&mut content, b"F2", 18.0, &wrap(organisation.trim(), 48).into_iter().take(1).collect::<Vec<_>>(), &mut bottom, &left);
        }
        pdf.stream(*content_id, &content.finish());
    }
    Ok(pdf.finish())
}
