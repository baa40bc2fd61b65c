//! The organisation table in the browser (`/admin/links`), in-process: a coordinator logs
//! in, uploads an `.xlsx` table with one wrong row (the problem at its line, in Dutch,
//! nothing imported), corrects it, previews, imports, reads the links table and downloads
//! the links (CSV) and the QR codes (ZIP); a re-upload updates one contact; another site's
//! POST is refused; a campaign's token sees only its own links.
mod in_process;
mod qr_decode;

use std::io::Read as _;

use axum::http::StatusCode;
use in_process::*;
use qr_decode::{decode_grey, decode_png, decode_svg};
use storypoint_server::state::AppState;
use storypoint_server::store::{DEFAULT_CAMPAIGN, NewLink};

const BOUNDARY: &str = "----storypoint-test-boundary";

/// Logs in with `token`: the session cookie (`name=value`).
async fn log_in(state: &AppState, token: &str) -> String {
    let (status, headers, _) = call(state, "POST", "/admin/login", &[FORM, HOST, OURS], &form(&[("token", token), ("terug", "/admin/links")])).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get("location").unwrap(), "/admin/links");
    headers.get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string()
}

/// The value of the hidden field `name` on a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no field {name}: {page}")) + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

/// An `.xlsx` workbook with `rows` on its first sheet.
fn xlsx(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// A `multipart/form-data` upload of `file` as `name`, with the form token.
fn upload(csrf: &str, name: &str, file: &[u8]) -> Vec<u8> {
    let mut body = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").into_bytes();
    body.extend(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend(file);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn multipart() -> (&'static str, String) {
    ("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}"))
}

const HEADER: [&str; 4] = ["organisatie", "type", "leeftijd", "contact"];

/// Each page's content stream of a flyers PDF, with the QR codes its squares show: the
/// white square (`0 0 size size re`) and the black bars (`x y w 1 re`), in module units.
fn flyer_pages(pdf: &str) -> Vec<(String, Vec<String>)> {
    let streams = pdf.split("stream\n").skip(1).filter_map(|s| s.split("\nendstream").next());
    streams
        .filter(|s| s.contains(" re\n"))
        .map(|stream| {
            let rects: Vec<Vec<f32>> =
                stream.lines().filter(|l| l.ends_with(" re")).map(|l| l.split(' ').take(4).map(|n| n.parse().unwrap()).collect()).collect();
            let size = rects[0][2] as usize;
            let mut dark = vec![false; size * size];
            for bar in &rects[1..] {
                let (x, y, w) = (bar[0] as usize, bar[1] as usize, bar[2] as usize);
                for dx in 0..w {
                    dark[y * size + x + dx] = true;
                }
            }
            const PX: usize = 4;
            (stream.to_string(), decode_grey(size * PX, size * PX, |x, y| if dark[(y / PX) * size + x / PX] { 0 } else { 255 }))
        })
        .collect()
}

#[tokio::test]
async fn a_coordinator_uploads_corrects_imports_and_downloads_the_links() {
    let (state, _dir) = collector(64 * 1024);
    // Without a session: to the login page, and back here afterwards.
    let (status, headers, _) = call(&state, "GET", "/admin/links", &[], b"").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get("location").unwrap().to_str().unwrap().starts_with("/admin/login?terug=%2Fadmin%2Flinks"));

    let cookie = log_in(&state, TOKEN).await;
    let session = [HOST, ("Cookie", cookie.as_str())];
    let (status, _, page) = call(&state, "GET", "/admin/links", &session, b"").await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains("Er zijn nog geen links"), "{page}");
    let csrf = hidden(&page, "csrf");
    let (kind, boundary) = multipart();
    let posting = [HOST, OURS, ("Cookie", cookie.as_str()), (kind, boundary.as_str())];

    // One wrong age on line 3: its line in Dutch with what to do, nothing imported.
    let wrong = xlsx(&[
        HEADER,
        ["Basisschool De Esch", "basisschool", "0-12", "juf Anna"],
        ["Wijkteam Noord", "wijkteam", "tieners", "Piet"],
        ["Huisarts Zuid", "huisarts", "beide", ""],
    ]);
    let (status, _, page) = call(&state, "POST", "/admin/links", &posting, &upload(&csrf, "organisaties.xlsx", &wrong)).await;
    let page = String::from_utf8(page).unwrap().replace("&#39;", "'");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("Er is 1 probleem in de tabel"), "{page}");
    assert!(page.contains("href=\"#probleem-0\">Regel 3</a>"), "{page}");
    assert!(page.contains("De leeftijd 'tieners' kennen we niet. Kies een van deze woorden: 0-12, 12-18, beide, onbekend."), "{page}");
    assert!(page.contains("Er is niets geïmporteerd") && !page.contains("Importeren</button>"), "{page}");
    assert!(state.store.links(DEFAULT_CAMPAIGN).unwrap().is_empty());

    // Corrected: three new rows, still nothing imported until "Importeren".
    let right = xlsx(&[
        HEADER,
        ["Basisschool De Esch", "basisschool", "0-12", "juf Anna"],
        ["Wijkteam Noord", "wijkteam", "12-18", "Piet"],
        ["Huisarts Zuid", "huisarts", "beide", ""],
    ]);
    let (status, _, page) = call(&state, "POST", "/admin/links", &posting, &upload(&csrf, "organisaties.xlsx", &right)).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("De tabel klopt. 3 nieuw, 0 bijgewerkt, 0 ongewijzigd."), "{page}");
    assert_eq!(page.matches(">nieuw</strong>").count(), 3, "{page}");
    assert!(page.contains("Importeren</button>"));
    assert!(state.store.links(DEFAULT_CAMPAIGN).unwrap().is_empty(), "a preview imports nothing");
    let table = hidden(&page, "tabel");

    // Another site's POST is refused, even with the session's cookie and form token.
    let cross = [HOST, ("Origin", "https://evil.example"), ("Cookie", cookie.as_str()), FORM];
    let (status, _, _) = call(&state, "POST", "/admin/links/importeren", &cross, &form(&[("csrf", &csrf), ("tabel", &table)])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) =
        call(&state, "POST", "/admin/links/importeren", &[HOST, OURS, ("Cookie", cookie.as_str()), FORM], &form(&[("csrf", "wrong"), ("tabel", &table)])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(state.store.links(DEFAULT_CAMPAIGN).unwrap().is_empty());

    // Import: the report, then the links table.
    let importing = [HOST, OURS, ("Cookie", cookie.as_str()), FORM];
    let (status, _, page) = call(&state, "POST", "/admin/links/importeren", &importing, &form(&[("csrf", &csrf), ("tabel", &table)])).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("De tabel is geïmporteerd") && page.contains("3 nieuwe links, 0 bijgewerkt"), "{page}");
    let links = state.store.links(DEFAULT_CAMPAIGN).unwrap();
    assert_eq!(links.len(), 3);
    let url = |code: &storypoint_core::LinkCode| storypoint_server::links::teller_url("http://verhalen.example/vertel", code);

    let (_, _, page) = call(&state, "GET", "/admin/links", &session, b"").await;
    let page = String::from_utf8(page).unwrap();
    for link in &links {
        assert!(page.contains(&link.entry.organisation) && page.contains(&url(&link.entry.code)), "{page}");
    }
    assert!(page.contains("juf Anna") && page.contains(">School</td>") && page.contains("data-label=\"Organisatie\""), "{page}");
    assert!(page.contains("data-kopieer=\"link-") && page.contains("<script src=\"/admin/kopieer.js\" defer></script>"), "{page}");

    // The links as Dutch-Excel CSV.
    let (status, headers, csv) = call(&state, "GET", "/admin/links/links.csv", &session, b"").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("content-disposition").unwrap().to_str().unwrap().starts_with("attachment"));
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(csv.starts_with("organisatie;type;leeftijd;contact;link"), "{csv}");
    for link in &links {
        assert!(csv.contains(&format!("{};", link.entry.organisation)) && csv.contains(&url(&link.entry.code)), "{csv}");
    }

    // The QR codes: a PNG and an SVG per organisation, each showing its teller's address.
    let (status, headers, zip) = call(&state, "GET", "/admin/links/qr.zip", &session, b"").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get("content-type").unwrap(), "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    assert_eq!(names.iter().filter(|n| n.ends_with(".png")).count(), 3, "{names:?}");
    assert_eq!(names.iter().filter(|n| n.ends_with(".svg")).count(), 3, "{names:?}");
    for link in &links {
        let code = link.entry.code.to_string();
        for ext in ["png", "svg"] {
            let name = names.iter().find(|n| n.ends_with(&format!("-{code}.{ext}"))).unwrap_or_else(|| panic!("{code}.{ext} in {names:?}"));
            let mut bytes = Vec::new();
            archive.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
            let decoded = if ext == "png" { decode_png(&bytes) } else { decode_svg(&String::from_utf8(bytes).unwrap()) };
            assert_eq!(decoded, vec![url(&link.entry.code)], "{name}");
        }
    }

    // The flyers: one A4 page per organisation, its QR code (vector squares) showing its
    // teller's address, and its name on the page.
    let (status, headers, pdf) = call(&state, "GET", "/admin/links/flyers.pdf", &session, b"").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get("content-type").unwrap(), "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let pdf = String::from_utf8_lossy(&pdf).into_owned();
    assert!(pdf.contains("/Count 3"), "{pdf}");
    let pages = flyer_pages(&pdf);
    assert_eq!(pages.len(), 3);
    for link in &links {
        let page = pages.iter().find(|(_, decoded)| *decoded == vec![url(&link.entry.code)]).unwrap_or_else(|| panic!("a page for {}", link.entry.code));
        assert!(page.0.contains(&format!("({}) Tj", link.entry.organisation)), "{}", page.0);
    }

    // A re-upload with one contact changed: that row updated, the others unchanged.
    let changed = xlsx(&[
        HEADER,
        ["Basisschool De Esch", "basisschool", "0-12", "meester Ben"],
        ["Wijkteam Noord", "wijkteam", "12-18", "Piet"],
        ["Huisarts Zuid", "huisarts", "beide", ""],
    ]);
    let (status, _, page) = call(&state, "POST", "/admin/links", &posting, &upload(&csrf, "organisaties.xlsx", &changed)).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("De tabel klopt. 0 nieuw, 1 bijgewerkt, 2 ongewijzigd."), "{page}");
    let table = hidden(&page, "tabel");
    let (_, _, page) = call(&state, "POST", "/admin/links/importeren", &importing, &form(&[("csrf", &csrf), ("tabel", &table)])).await;
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("0 nieuwe links, 1 bijgewerkt"), "{page}");
    let after = state.store.links(DEFAULT_CAMPAIGN).unwrap();
    let esch = after.iter().find(|l| l.entry.organisation == "Basisschool De Esch").unwrap();
    assert_eq!(esch.contact.as_deref(), Some("meester Ben"));
    assert_eq!(esch.entry.code, links.iter().find(|l| l.entry.organisation == "Basisschool De Esch").unwrap().entry.code, "same code");

    // The same table as CSV (Dutch Excel: `;`, BOM) is read by the same rules.
    let csv = "\u{FEFF}organisatie;type;leeftijd;contact\r\nBasisschool De Esch;basisschool;0-12;meester Ben\r\nWijkteam Noord;wijkteam;12-18;Piet\r\nHuisarts Zuid;huisarts;beide;\r\n";
    let (status, _, page) = call(&state, "POST", "/admin/links", &posting, &upload(&csrf, "organisaties.csv", csv.as_bytes())).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("0 nieuw, 0 bijgewerkt, 3 ongewijzigd."), "{page}");
}

#[tokio::test]
async fn a_campaigns_token_sees_only_its_own_links() {
    let (state, _dir) = collector(64 * 1024);
    let new = |name: &str| NewLink { organisation: name.into(), contact: None, prefill: vec![] };
    state.store.import_links(DEFAULT_CAMPAIGN, &[new("Basisschool De Esch")]).unwrap();
    let mut oost = state.store.campaign("oost").unwrap();
    oost.name = Some("Regio Oost".into());
    oost.base_url = Some("https://oost.example/vertel".into());
    let own_token = "campaign-oost-token-456789";
    oost.admin_hash = Some(storypoint_server::auth::AdminToken::from_token(own_token).hash_hex());
    state.store.set_campaign(&oost).unwrap();
    state.store.import_links("oost", &[new("Wijkteam Oost")]).unwrap();

    let cookie = log_in(&state, own_token).await;
    let session = [HOST, ("Cookie", cookie.as_str())];
    for path in ["/admin/links", &format!("/admin/links?campaign={DEFAULT_CAMPAIGN}")] {
        let (status, _, page) = call(&state, "GET", path, &session, b"").await;
        let page = String::from_utf8(page).unwrap();
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("Wijkteam Oost") && page.contains("https://oost.example/vertel?sp="), "{path}: {page}");
        assert!(!page.contains("De Esch"), "{path}: {page}");
    }
    let (_, _, csv) = call(&state, "GET", &format!("/admin/links/links.csv?campaign={DEFAULT_CAMPAIGN}"), &session, b"").await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("Wijkteam Oost") && !csv.contains("De Esch"), "{csv}");

    // The collector's token chooses among the campaigns.
    let cookie = log_in(&state, TOKEN).await;
    let (_, _, page) = call(&state, "GET", "/admin/links?campaign=oost", &[HOST, ("Cookie", cookie.as_str())], b"").await;
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("Wijkteam Oost") && !page.contains("De Esch") && page.contains("Regio Oost"), "{page}");
    let (_, _, page) = call(&state, "GET", "/admin/links", &[HOST, ("Cookie", cookie.as_str())], b"").await;
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("De Esch") && !page.contains("Wijkteam Oost"), "{page}");
}
