//! A store that breaks underneath a running collector: every reply still says nothing
//! internal (no database words, no file paths), the collector keeps answering, and once the
//! store is whole again stories get in as before.
//!
//! The collector runs on SQLite (whatever `STORYPOINT_TEST_POSTGRES` says: the test breaks
//! the file itself). The test renames the tables the collector uses from its own connection
//! to the same file, so every query the collector makes fails with SQLite's own words
//! ("no such table: stories"), which must stay in the collector's log.
mod common;

use common::*;
use serde_json::json;

/// How the store is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Break {
    /// Every table gone (renamed away): every store call fails.
    Everything,
    /// Only the kept questionnaire versions gone: a story told in a version the collector
    /// did not start with, and the CSV export, read them (`versions::find`, `versions::kept`).
    Versions,
}

/// The tables the collector uses.
const TABLES: &[&str] = &["stories", "links", "campaigns", "settings", "questionnaires", "observations", "typical_stories"];

fn tables_of(broken: Break) -> &'static [&'static str] {
    match broken {
        Break::Everything => TABLES,
        Break::Versions => &["questionnaires"],
    }
}

/// Renames the tables away (`broken`) or back, from a connection of the test's own.
fn rename(db: &std::path::Path, tables: &[&str], away: bool) {
    let connection = rusqlite::Connection::open(db).unwrap();
    connection.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    for table in tables {
        let (from, to) = if away { (table.to_string(), format!("{table}_broken")) } else { (format!("{table}_broken"), table.to_string()) };
        connection.execute_batch(&format!("ALTER TABLE {from} RENAME TO {to}")).unwrap();
    }
}

/// Words that tell what is inside: the database's, and where things are kept.
fn internal_words(db: &std::path::Path) -> Vec<String> {
    let mut words: Vec<String> =
        ["sqlite", "sql", "table", "no such", "database is", "postgres", "rusqlite", "stories.db", "/tmp/", "_broken"].iter().map(|w| w.to_string()).collect();
    words.push(db.parent().unwrap().to_string_lossy().to_lowercase());
    words
}

/// What a route must answer while the store is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// A 5xx: it needs the store.
    Fails,
    /// Whatever it answers (it may not need the broken part), but nothing internal.
    Any,
}

struct Case {
    name: &'static str,
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// Under [`Break::Everything`], and under [`Break::Versions`].
    expect: (Expect, Expect),
}

fn case(name: &'static str, method: &'static str, path: impl Into<String>, expect: (Expect, Expect)) -> Case {
    Case { name, method, path: path.into(), headers: Vec::new(), body: Vec::new(), expect }
}

impl Case {
    fn json(mut self, body: &serde_json::Value) -> Case {
        self.headers.push(("Content-Type", "application/json".into()));
        self.body = body.to_string().into_bytes();
        self
    }

    fn admin(mut self) -> Case {
        self.headers.push(("Authorization", format!("Bearer {ADMIN_TOKEN}")));
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Case {
        self.headers.push((name, value.into()));
        self
    }

    fn bytes(mut self, body: &[u8]) -> Case {
        self.body = body.to_vec();
        self
    }
}

/// Every public and admin route, with what it must answer under each way of breaking.
fn cases(code: &str) -> Vec<Case> {
    use Expect::{Any, Fails};
    let id = submission_id();
    let spoken = submission_id();
    let part = webm(2);
    let complete = json!({"length": part.len(), "sha256": sha256_hex(&part), "mime": "audio/webm"});
    let mut later_version = story(&submission_id(), None);
    later_version["version"] = json!(7);
    vec![
        case("a story", "POST", "/api/v1/stories", (Fails, Any)).json(&story(&submission_id(), None)),
        case("a story through a link", "POST", "/api/v1/stories", (Fails, Any)).json(&story(&submission_id(), Some(code))),
        case("a story of a campaign", "POST", "/api/v1/c/default/stories", (Fails, Any)).json(&story(&submission_id(), None)),
        case("a story of a version kept by another collector", "POST", "/api/v1/stories", (Fails, Fails)).json(&later_version),
        case("a link", "GET", format!("/api/v1/links/{code}"), (Fails, Any)),
        case("a campaign's link", "GET", format!("/api/v1/c/default/links/{code}"), (Fails, Any)),
        case("the campaign", "GET", "/api/v1/campaign", (Fails, Any)),
        case("a campaign", "GET", "/api/v1/c/default/campaign", (Fails, Any)),
        case("a campaign's questionnaire", "GET", "/api/v1/c/default/questionnaire", (Fails, Any)),
        case("the questionnaire", "GET", "/api/v1/questionnaire", (Any, Any)),
        case("the landing page", "GET", "/vertel", (Fails, Any)),
        case("the landing page of a link", "GET", format!("/vertel?sp={code}"), (Fails, Any)),
        case("a recording's first part", "PUT", format!("/api/v1/stories/{spoken}/audio?offset=0"), (Fails, Any)).bytes(&part),
        case("a campaign's recording's first part", "PUT", format!("/api/v1/c/default/stories/{spoken}/audio?offset=0"), (Fails, Any)).bytes(&part),
        case("a recording's progress", "GET", format!("/api/v1/stories/{id}/audio"), (Any, Any)),
        case("a recording completed", "POST", format!("/api/v1/stories/{id}/audio/complete"), (Any, Any)).json(&complete),
        case("a recording discarded", "DELETE", format!("/api/v1/stories/{id}/audio"), (Fails, Any)),
        case("a campaign's recording discarded", "DELETE", format!("/api/v1/c/default/stories/{id}/audio"), (Fails, Any)),
        case("stats", "GET", "/api/v1/stats", (Fails, Any)).admin(),
        case("stats with a campaign's token", "GET", "/api/v1/stats", (Fails, Any)).header("Authorization", "Bearer not-the-admin-token-at-all"),
        case("campaigns", "GET", "/api/v1/campaigns", (Fails, Any)).admin(),
        case("export json", "GET", "/api/v1/export.json", (Fails, Any)).admin(),
        case("export csv", "GET", "/api/v1/export.csv", (Fails, Fails)).admin(),
        case("export sav", "GET", "/api/v1/export.sav", (Fails, Fails)).admin(),
        case("export qdpx", "GET", "/api/v1/export.qdpx", (Fails, Fails)).admin(),
        case("a recording for the coordinators", "GET", "/admin/audio/1", (Fails, Any)).admin(),
        case("insight page", "GET", "/admin/inzicht", (Any, Any)).admin(),
        case("patterns", "GET", "/api/v1/patterns?question=perspective&by=none", (Any, Any)).admin(),
        case("observations", "GET", "/admin/inzicht/observaties", (Fails, Any)).admin(),
        case("the work-session report", "GET", "/admin/inzicht/werksessie", (Fails, Any)).admin(),
        case("the work-session report as PDF", "GET", "/admin/inzicht/werksessie.pdf", (Fails, Any)).admin(),
    ]
}

#[test]
fn a_store_broken_underneath_the_collector_shows_nothing_internal_and_it_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stories.db");
    let server = Server::start_database(db.to_str().unwrap(), &db, &[]);
    let table = dir.path().join("orgs.csv");
    std::fs::write(&table, "organisatie;type;leeftijd\nBasisschool De Linde;school;0-12\n").unwrap();
    let imported = server.cli(&["links", "import", table.to_str().unwrap(), "--base-url", "https://vertel.example.nl/vertel"]);
    assert!(imported.status.success(), "{imported:?}");
    let links: serde_json::Value = serde_json::from_slice(&server.cli(&["links", "list", "--format", "json"]).stdout).unwrap();
    let code = links[0]["code"].as_str().unwrap().to_string();
    assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), Some(&code)).to_string()).status, 201);
    let internal = internal_words(&db);

    for broken in [Break::Everything, Break::Versions] {
        rename(&db, tables_of(broken), true);
        let mut failed = Vec::new();
        for case in cases(&code) {
            let headers: Vec<(&str, &str)> = case.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let reply = request(&server.addr, case.method, &case.path, &headers, &case.body);
            let expect = if broken == Break::Everything { case.expect.0 } else { case.expect.1 };
            let what = format!("{broken:?}: {} ({} {}) answered {}: {}", case.name, case.method, case.path, reply.status, reply.text());
            if expect == Expect::Fails {
                assert!(reply.status >= 500, "{what}");
            }
            let body = reply.text().to_lowercase();
            let leaked: Vec<&String> = internal.iter().filter(|w| body.contains(w.as_str())).collect();
            if reply.status >= 500 {
                assert!(leaked.is_empty(), "{what}\nit names {leaked:?}");
                let error = reply.json();
                let message = error["message"].as_str().unwrap_or_default();
                assert!(error["error"].is_string() && !message.is_empty(), "a generic JSON error: {what}");
                failed.push(case.name);
            }
        }
        assert!(!failed.is_empty(), "{broken:?}: the store is broken, yet nothing failed");
        // The collector keeps answering what needs no store.
        let health = server.get("/api/v1/health");
        assert_eq!((health.status, health.json()["status"].as_str()), (200, Some("ok")), "{broken:?}");
        rename(&db, tables_of(broken), false);

        // Whole again: a story gets in, and is counted with the one from before.
        let after = server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string());
        assert_eq!(after.status, 201, "{broken:?}: {}", after.text());
        let stats = server.admin_get("/api/v1/stats");
        assert_eq!(stats.status, 200, "{broken:?}: {}", stats.text());
    }
    // The first story, the stories told while only the versions were gone, one after each repair.
    assert_eq!(server.admin_get("/api/v1/stats").json()["total"], 6);
    assert_eq!(server.admin_get("/api/v1/export.json").json().as_array().map(Vec::len), Some(6));
}

#[test]
fn a_recordings_folder_that_is_gone_shows_nothing_internal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stories.db");
    let server = Server::start_database(db.to_str().unwrap(), &db, &[]);
    // The folder replaced by a file: every write under it fails (also as root).
    std::fs::remove_dir_all(&server.audio_dir).unwrap();
    std::fs::write(&server.audio_dir, b"not a folder").unwrap();
    let id = submission_id();
    let part = webm(2);
    // Nor the system's words for the failure ("Not a directory (os error 20)").
    let mut internal = internal_words(&db);
    internal.extend(["os error", "directory"].map(String::from));
    for (method, path, body) in [
        ("PUT", format!("/api/v1/stories/{id}/audio?offset=0"), part.clone()),
        ("PUT", format!("/api/v1/stories/{id}/audio?offset=10"), part.clone()),
        ("GET", format!("/api/v1/stories/{id}/audio"), Vec::new()),
        (
            "POST",
            format!("/api/v1/stories/{id}/audio/complete"),
            json!({"length": part.len(), "sha256": sha256_hex(&part), "mime": "audio/webm"}).to_string().into_bytes(),
        ),
        ("DELETE", format!("/api/v1/stories/{id}/audio"), Vec::new()),
    ] {
        let reply = request(&server.addr, method, &path, &[("Content-Type", "application/json")], &body);
        let text = reply.text().to_lowercase();
        let leaked: Vec<&String> = internal.iter().filter(|w| text.contains(w.as_str())).collect();
        assert!(leaked.is_empty(), "{method} {path} answered {}: {}\nit names {leaked:?}", reply.status, reply.text());
    }
    assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status, 201);
}
