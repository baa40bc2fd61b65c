//! The insight pages and `GET /api/v1/patterns` over real HTTP against the real binary:
//! login, suppression applied on the server, filters in the URL, stories behind a bar,
//! downloads, and stories shown as text.
mod common;

use base64::Engine;
use common::*;
use serde_json::{Value, json};

fn basic() -> String {
    format!("Basic {}", base64::prelude::BASE64_STANDARD.encode(format!("coordinator:{ADMIN_TOKEN}")))
}

fn page(server: &Server, path: &str) -> Response {
    request(&server.addr, "GET", path, &[("Authorization", &basic())], b"")
}

/// A story with these answers (on top of a valid minimum).
fn tell(server: &Server, answers: Value) {
    let mut body = story(&submission_id(), None);
    for (key, value) in answers.as_object().unwrap() {
        body["answers"][key] = value.clone();
    }
    let reply = server.post_json("/api/v1/stories", &body.to_string());
    assert_eq!(reply.status, 201, "{}", reply.text());
}

/// 23 angry children, 12 happy parents, 3 proud professionals from one small organisation.
fn known_stories(server: &Server) {
    for i in 0..23 {
        tell(server, json!({"perspective": "child", "emotion": "angry", "title": format!("Boos {i}"), "seen_heard": 20}));
    }
    for i in 0..12 {
        tell(server, json!({"perspective": "parent", "emotion": "happy", "title": format!("Blij {i}"), "seen_heard": 90}));
    }
    for _ in 0..3 {
        tell(server, json!({"perspective": "professional", "emotion": "proud", "organisation": "Het Kleine Huis"}));
    }
}

fn cell<'a>(d: &'a Value, group: &str, value: &str) -> &'a Value {
    let c = d["categories"].as_array().unwrap().iter().position(|c| c["value"] == value).unwrap();
    let g = d["groups"].as_array().unwrap().iter().find(|g| g["key"] == group).unwrap();
    &g["cells"][c]
}

#[test]
fn patterns_need_the_admin_token_and_send_the_browser_to_log_in() {
    let server = Server::start();
    let reply = server.get("/admin/inzicht");
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/admin/login?terug=%2Fadmin%2Finzicht"));
    let login = server.get("/admin/login?terug=%2Fadmin%2Finzicht");
    assert!(login.text().contains("Beheercode"), "a plain Dutch login page");
    let wrong = request(&server.addr, "GET", "/api/v1/patterns", &[("Authorization", "Basic Y29vcmRpbmF0b3I6Zm91dA==")], b"");
    assert_eq!(wrong.status, 401);
    assert_eq!(page(&server, "/admin/inzicht").status, 200);
    let api = server.admin_get("/api/v1/patterns");
    assert_eq!(api.status, 200, "Bearer works for the API too");
    assert_eq!(api.header("cache-control"), Some("no-store"));
    assert_eq!(page(&server, "/admin/inzicht").header("cache-control"), Some("no-store"));
}

#[test]
fn counts_are_rounded_small_cells_hidden_and_percentages_from_what_is_shown() {
    let server = Server::start();
    known_stories(&server);
    let d = server.admin_get("/api/v1/patterns?question=emotion&by=perspective").json();
    assert_eq!(d["min_cell"], 5);
    assert_eq!(d["groups"][0]["stories"], 40, "38 stories, rounded to a multiple of 5");
    assert_eq!(cell(&d, "child", "angry")["count"], 25, "23 rounded");
    assert_eq!(cell(&d, "child", "angry")["percent"], 100);
    assert_eq!(cell(&d, "parent", "happy")["count"], 10, "12 rounded");
    assert_eq!(cell(&d, "professional", "proud")["count"], "< 5");
    assert_eq!(cell(&d, "professional", "proud")["percent"], Value::Null);
    assert_eq!(cell(&d, "professional", "proud")["stories_query"], Value::Null, "too few to list");
    assert_eq!(cell(&d, "child", "happy")["count"], "< 5", "zero is shown as < 5 too");
    // Nothing in the reply is an exact small number.
    let text = serde_json::to_string(&d).unwrap();
    assert!(!text.contains("\"count\":3") && !text.contains("\"stories\":3"), "{text}");

    let slider = server.admin_get("/api/v1/patterns?question=seen_heard&by=none").json();
    assert_eq!(slider["kind"], "slider");
    assert_eq!(slider["groups"][0]["median"], 25, "23 children at 20 (bin 20–29), 12 parents at 90, 3 at 80");
}

#[test]
fn filters_and_views_live_in_the_url_and_bad_ones_name_the_parameter() {
    let server = Server::start();
    known_stories(&server);
    let d = server.admin_get("/api/v1/patterns?question=emotion&by=none&perspective=parent").json();
    assert_eq!(d["groups"][0]["stories"], 10);
    let small = server.admin_get("/api/v1/patterns?question=emotion&by=none&organisation=Het+Kleine+Huis").json();
    assert_eq!(small["groups"][0]["stories"], "< 5");
    let none = server.admin_get("/api/v1/patterns?question=emotion&by=none&from=2001-01&to=2001-12").json();
    assert_eq!(none["groups"][0]["stories"], "< 5", "no stories in that period");

    for (query, field) in [("question=naam", "question"), ("perspective=alien", "perspective"), ("from=gisteren", "from"), ("format=pdf", "format")] {
        let reply = server.admin_get(&format!("/api/v1/patterns?{query}"));
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(reply.json()["field"], field, "{query}: {}", reply.text());
    }
    let bad_page = page(&server, "/admin/inzicht?by=shoe_size");
    assert_eq!(bad_page.status, 400);
    assert!(bad_page.text().contains("role=\"alert\""));

    for _ in 0..5 {
        tell(&server, json!({"organisation": "Basisschool De Esch"}));
    }
    // The page keeps the filter in its form and in its links.
    let html = page(&server, "/admin/inzicht?question=emotion&by=perspective&age_group=under_12").text();
    assert!(html.contains("<option value=\"under_12\" selected>"), "the filter is shown as chosen");
    assert!(html.contains("age_group=under_12"), "links keep the filter");
    assert!(html.contains("<svg"), "the chart is drawn on the server");
    // Organisations to filter on: only those with at least 5 stories (a teller may have
    // typed the name).
    assert!(!html.contains("<option value=\"Het Kleine Huis\""), "3 stories: not offered");
    assert!(html.contains("<option value=\"Basisschool De Esch\">"), "5 stories: offered");
}

#[test]
fn stories_behind_a_bar_are_listed_as_text_and_small_cells_are_not() {
    let server = Server::start();
    tell(&server, json!({"perspective": "child", "emotion": "angry", "title": "<script>alert(1)</script>", "story": "<img src=x onerror=alert(2)>"}));
    known_stories(&server);
    let d = server.admin_get("/api/v1/patterns?question=emotion&by=perspective").json();
    let query = cell(&d, "child", "angry")["stories_query"].as_str().unwrap().to_string();
    let listed = server.admin_get(&format!("/api/v1/patterns?{query}")).json();
    let titles: Vec<&str> = listed["stories"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    // The 3 professionals of a small organisation can be read only showing nothing about
    // their tellers, with 2 other stories that then show nothing either: 2 of the 24 children.
    assert_eq!(titles.len(), 22);
    assert!(titles.contains(&"<script>alert(1)</script>") && titles.contains(&"Boos 0") && !titles.iter().any(|t| t.starts_with("Blij")));
    assert!(!serde_json::to_string(&listed).unwrap().contains("received_on"), "no dates");

    let html = page(&server, &format!("/admin/inzicht?{query}")).text();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(!html.contains("2026-") && !html.contains("2027-"), "no dates on the page");

    let small = server.admin_get("/api/v1/patterns?view=stories&question=emotion&by=perspective&value=proud&group=professional").json();
    assert_eq!(small["suppressed"], true);
    let small_page = page(&server, "/admin/inzicht?view=stories&question=emotion&by=perspective&value=proud&group=professional").text();
    assert!(small_page.contains("tonen we niet") && !small_page.contains("Het Kleine Huis</h3>"));
}

#[test]
fn new_stories_show_up_on_the_next_view() {
    let server = Server::start();
    known_stories(&server);
    let before = server.admin_get("/api/v1/patterns?question=emotion&by=none&perspective=parent").json();
    assert_eq!(before["groups"][0]["stories"], 10);
    for _ in 0..10 {
        tell(&server, json!({"perspective": "parent", "emotion": "sad"}));
    }
    let after = server.admin_get("/api/v1/patterns?question=emotion&by=none&perspective=parent").json();
    assert_eq!(after["groups"][0]["stories"], 20, "22 parents now");
}

#[test]
fn cross_tabs_test_independence_and_charts_download_as_csv_and_svg() {
    let server = Server::start();
    known_stories(&server);
    let small = server.admin_get("/api/v1/patterns?view=crosstab&row=emotion&col=perspective").json();
    assert_eq!(small["test"]["verdict"], "too_few", "3 professionals make expected counts below 1");
    for _ in 0..20 {
        tell(&server, json!({"perspective": "child", "emotion": "angry"}));
        tell(&server, json!({"perspective": "parent", "emotion": "happy"}));
        tell(&server, json!({"perspective": "professional", "emotion": "proud"}));
    }
    let t = server.admin_get("/api/v1/patterns?view=crosstab&row=emotion&col=perspective").json();
    assert_eq!(t["test"]["verdict"], "unlikely_chance", "{t}");
    assert!(t["test"]["note"]["nl"].as_str().unwrap().contains("niet door toeval"));
    let angry = t["rows"].as_array().unwrap().iter().find(|r| r["value"] == "angry").unwrap();
    assert_eq!(angry["cells"][0]["percent"], 100, "row percentage");

    let csv = server.admin_get("/api/v1/patterns?question=emotion&by=perspective&format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.header("content-disposition").unwrap().contains("emotion.csv"));
    let text = csv.text();
    assert!(text.starts_with('\u{feff}') && text.contains("vraag;groep;antwoord;aantal;procent"));
    assert!(text.contains("emotion;Kind (jonger dan 12 jaar);Boos;45;100"), "{text}");
    assert!(text.contains("Kind (jonger dan 12 jaar);Trots;< 5;"), "small cells stay hidden in the CSV");

    let svg = server.admin_get("/api/v1/patterns?question=seen_heard&by=perspective&format=svg");
    assert!(!svg.text().contains("n = <"), "\"< 5\" is escaped: the SVG stays well-formed XML");
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    let svg = svg.text();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>"));
    assert!(svg.contains("role=\"group\" aria-labelledby=\"chart-seen_heard\"") && svg.contains("mediaan 25"));
    let histogram = server.admin_get("/api/v1/patterns?question=seen_heard&by=none&format=svg").text();
    assert!(histogram.contains(">n.v.t.<") && histogram.contains("mediaan 85") && histogram.contains("<rect"), "one group: a histogram with its median");
    let table = server.admin_get("/api/v1/patterns?view=crosstab&row=emotion&col=perspective&format=csv").text();
    assert!(table.contains("Boos;Kind (jonger dan 12 jaar);45;100"), "{table}");
}

#[test]
fn the_threshold_is_configurable_but_never_below_three() {
    let server = Server::start_with(&["--min-cell", "10"]);
    known_stories(&server);
    let d = server.admin_get("/api/v1/patterns?question=emotion&by=perspective").json();
    assert_eq!(d["min_cell"], 10);
    assert_eq!(cell(&d, "child", "angry")["count"], 20, "23 rounded to tens");
    assert_eq!(cell(&d, "parent", "happy")["count"], 10);
    let dir = tempfile::tempdir().unwrap();
    let refused = cli(&dir.path().join("s.db"), &["serve", "--min-cell", "2", "--addr", "127.0.0.1:0"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("min-cell"));
}

#[test]
fn a_deleted_story_leaves_the_patterns_and_its_id_is_never_used_again() {
    let server = Server::start();
    for _ in 0..10 {
        tell(&server, json!({"perspective": "parent", "emotion": "sad"}));
    }
    let before = server.admin_get("/api/v1/patterns?question=emotion&by=none&perspective=parent").json();
    assert_eq!(before["groups"][0]["stories"], 10);
    let export = server.admin_get("/api/v1/export.json").json();
    let newest = export.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).max().unwrap();
    // Deleted by another process (the command line) while the collector runs.
    for id in newest - 5..=newest {
        assert!(server.cli(&["stories", "delete", &id.to_string()]).status.success());
    }
    let after = server.admin_get("/api/v1/patterns?question=emotion&by=none&perspective=parent").json();
    assert_eq!(after["groups"][0]["stories"], "< 5", "4 left: the deleted ones no longer count");
    let reply = server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string());
    assert!(reply.json()["id"].as_i64().unwrap() > newest, "a new story never gets a deleted story's id");
}

/// A campaign made on the command line, with one link to `organisation`: its slug's admin
/// token and the link's code.
fn campaign_with_link(server: &Server, slug: &str, organisation: &str) -> (String, String) {
    let made = server.cli(&["campaign", "create", slug, "--name", slug]);
    let said = String::from_utf8_lossy(&made.stdout).to_string() + &String::from_utf8_lossy(&made.stderr);
    assert!(made.status.success(), "{said}");
    let token = said.lines().find_map(|l| l.split("): ").nth(1).filter(|_| l.starts_with("admin token"))).unwrap().trim().to_string();
    let table = server.db.with_file_name(format!("{slug}.csv"));
    std::fs::write(&table, format!("organisatie;type;leeftijd;contact\n{organisation};school;0-12;info@example.nl\n")).unwrap();
    assert!(server.cli(&["links", "import", table.to_str().unwrap(), "--campaign", slug]).status.success());
    let links: Value = serde_json::from_slice(
        &server.cli(&["links", "list", "--format", "json", "--campaign", slug, "--base-url", "https://vertel.example.nl/vertel"]).stdout,
    )
    .unwrap();
    (token, links[0]["code"].as_str().unwrap().to_string())
}

#[test]
fn a_campaign_token_is_offered_only_its_own_organisations() {
    let server = Server::start();
    let (noord, noord_code) = campaign_with_link(&server, "noord", "Jeugdteam Noord");
    let (_, zuid_code) = campaign_with_link(&server, "zuid", "Wijkteam Zuid");
    for i in 0..6 {
        for (slug, code) in [("noord", &noord_code), ("zuid", &zuid_code)] {
            let mut body = story(&submission_id(), Some(code));
            body["answers"]["story"] = json!(format!("Verhaal {i} uit {slug}: {}", ["de juf", "de buurman", "mijn coach"][i % 3]));
            assert_eq!(server.post_json(&format!("/api/v1/c/{slug}/stories"), &body.to_string()).status, 201);
        }
    }
    let as_noord = |path: &str| request(&server.addr, "GET", path, &[("Authorization", &format!("Bearer {noord}"))], b"");
    let own = as_noord("/admin/inzicht");
    assert_eq!(own.status, 200);
    let html = own.text();
    assert!(html.contains("<option value=\"Jeugdteam Noord\">"), "its own organisation is offered");
    assert!(!html.contains("Wijkteam Zuid") && !html.contains("zuid"), "nothing of the other campaign: {html}");
    for path in [
        "/api/v1/patterns",
        "/api/v1/patterns?question=emotion&by=perspective",
        "/api/v1/patterns?view=report",
        "/admin/inzicht?view=crosstab&row=emotion&col=perspective",
    ] {
        let text = as_noord(path).text();
        assert!(!text.contains("Wijkteam Zuid") && !text.contains("zuid"), "{path}: {text}");
    }
    // The collector's token sees both, and can choose a campaign.
    let all = page(&server, "/admin/inzicht").text();
    assert!(all.contains("<option value=\"Jeugdteam Noord\">") && all.contains("<option value=\"Wijkteam Zuid\">"));
    assert!(all.contains("<option value=\"zuid\">"));
}

#[test]
fn the_response_page_points_out_bursts_of_near_identical_stories() {
    let server = Server::start();
    let table = server.db.with_file_name("links.csv");
    std::fs::write(&table, "organisatie;type;leeftijd;contact\nJeugdteam Noord;school;0-12;info@example.nl\n").unwrap();
    assert!(server.cli(&["links", "import", table.to_str().unwrap()]).status.success());
    let links: Value =
        serde_json::from_slice(&server.cli(&["links", "list", "--format", "json", "--base-url", "https://vertel.example.nl/vertel"]).stdout).unwrap();
    let code = links[0]["code"].as_str().unwrap().to_string();
    let send = |text: &str| {
        let mut body = story(&submission_id(), Some(&code));
        body["answers"]["story"] = json!(text);
        assert_eq!(server.post_json("/api/v1/stories", &body.to_string()).status, 201);
    };
    // Six look-alikes (case, punctuation and one word apart), two stories of their own.
    for text in [
        "De hulpverlener luisterde nooit naar wat ik zelf wilde en besliste alles voor mij.",
        "de hulpverlener luisterde nooit naar wat ik zelf wilde, en besliste alles voor mij!",
        "De hulpverlener luisterde nooit naar wat ik zelf wilde en besliste alles voor mij",
        "De hulpverlener luisterde nooit naar wat ik zelf wilde en besliste alles over mij.",
        "DE HULPVERLENER LUISTERDE NOOIT NAAR WAT IK ZELF WILDE EN BESLISTE ALLES VOOR MIJ.",
        "De hulpverlener luisterde  nooit naar wat ik zelf wilde en besliste alles voor mij.",
        "Mijn mentor hielp me met een plan voor school, dat voelde goed.",
        "Ik moest drie keer mijn verhaal vertellen aan steeds iemand anders.",
    ] {
        send(text);
    }
    let stats = server.admin_get("/api/v1/stats").json();
    let today = stats["per_day"][0]["day"].clone();
    assert_eq!(stats["bursts"], json!([{"day": today, "campaign": "default", "link": code, "organisation": "Jeugdteam Noord", "stories": 6}]), "{stats}");
    // The response page shows it as a warning box, behind the same login as the insight pages.
    let login = server.get("/admin");
    assert_eq!(login.status, 303, "to the login page");
    assert!(!login.text().contains("bijna gelijke"), "nothing without the token");
    let html = page(&server, "/admin").text();
    assert!(html.contains("id=\"bursts\"") && html.contains("bijna gelijke verhalen binnen via Jeugdteam Noord."), "{html}");
    assert!(!html.contains("<script"), "no script on the page");
    assert_eq!(server.get("/admin/admin.js").status, 404, "the dashboard script is gone");
}
