//! The HTTP API against the real `storypoint` binary on an ephemeral port with a temp SQLite
//! file, where a socket or the command line matters: duplicates under concurrency, limits
//! per address, tampering, links, export, tokens made at start. The error matrix (every bad
//! input, every route's login and headers) is in `api.rs`, in-process.
mod common;

use common::*;
use serde_json::json;

#[test]
fn a_story_is_stored_once_and_a_repeat_is_a_duplicate() {
    let server = Server::start();
    let id = submission_id();
    let first = server.post_json("/api/v1/stories", &story(&id, None).to_string());
    assert_eq!(first.status, 201, "{}", first.text());
    let stored_id = first.json()["id"].as_i64().unwrap();
    let again = server.post_json("/api/v1/stories", &story(&id, None).to_string());
    assert_eq!(again.status, 200);
    assert_eq!(again.json(), json!({"id": stored_id, "duplicate": true}));
    let export = server.admin_get("/api/v1/export.json").json();
    assert_eq!(export.as_array().unwrap().len(), 1);
    assert_eq!(export[0]["answers"]["story"], "De juf luisterde echt naar me.");
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert_eq!(export[0]["received_on"], today.as_str(), "day precision only");
}

#[test]
fn fifty_identical_submissions_at_once_store_exactly_one_story() {
    let server = Server::start();
    let body = story(&submission_id(), None).to_string();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(50));
    let replies: Vec<(u16, i64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..50)
            .map(|_| {
                let (barrier, body, addr) = (barrier.clone(), body.clone(), server.addr.clone());
                scope.spawn(move || {
                    barrier.wait();
                    let reply = request(&addr, "POST", "/api/v1/stories", &[("Content-Type", "application/json")], body.as_bytes());
                    (reply.status, reply.json()["id"].as_i64().unwrap())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(replies.iter().filter(|(status, _)| *status == 201).count(), 1, "{replies:?}");
    assert_eq!(replies.iter().filter(|(status, _)| *status == 200).count(), 49, "{replies:?}");
    assert!(replies.iter().all(|(_, id)| *id == replies[0].1), "one id for all: {replies:?}");
    assert_eq!(server.admin_get("/api/v1/export.json").json().as_array().unwrap().len(), 1);
}

#[test]
fn the_default_limit_is_64_kb() {
    let server = Server::start();
    let mut big = story(&submission_id(), None);
    big["answers"]["story"] = json!("x".repeat(70 * 1024));
    assert_eq!(server.post_json("/api/v1/stories", &big.to_string()).status, 413);
}

#[test]
fn a_closed_campaign_gets_410_after_its_day_of_grace_but_a_retry_of_a_stored_story_still_hears_it_arrived() {
    let server = Server::start();
    let stored = submission_id();
    assert_eq!(server.post_json("/api/v1/stories", &story(&stored, None).to_string()).status, 201);
    let out = server.cli(&["campaign", "close"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("closed"));
    // Closed by hand now: a teller who was writing may still send for a day.
    assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status, 201);
    // Open again, until a day long past: closed, and past its day of grace.
    assert!(server.cli(&["campaign", "open", "--closes-at", "2020-01-31"]).status.success());
    let reply = server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string());
    assert_eq!(reply.status, 410);
    assert_eq!(server.post_json("/api/v1/stories", &story(&stored, None).to_string()).status, 200);
    assert!(server.cli(&["campaign", "open", "--closes-at", "2999-12-31"]).status.success());
    assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status, 201);
    let bad = server.cli(&["campaign", "open", "--closes-at", "31-12-2999"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("2026-12-31"));
}

fn import_links(server: &Server) -> Vec<serde_json::Value> {
    let file = server.db.with_file_name("orgs.csv");
    std::fs::write(&file, "\u{feff}organisatie;type;leeftijd\nBasisschool De Linde;school;0-12\nJeugdhulp Oost;jeugdhulp;beide\n").unwrap();
    let out = server.cli(&["links", "import", file.to_str().unwrap(), "--base-url", "https://vertel.example.nl/vertel"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list = server.cli(&["links", "list", "--format", "json"]);
    serde_json::from_slice::<serde_json::Value>(&list.stdout).unwrap().as_array().unwrap().clone()
}

#[test]
fn the_link_prefill_comes_from_the_server_not_from_the_request() {
    let server = Server::start();
    let links = import_links(&server);
    let school = links.iter().find(|l| l["organisation"] == "Basisschool De Linde").unwrap();
    let code = school["code"].as_str().unwrap();
    let mut body = story(&submission_id(), Some(code));
    // Tampered: claims another organisation, type and age group.
    body["answers"]["organisation"] = json!("Andere organisatie");
    body["answers"]["organisation_type"] = json!("gp");
    body["answers"]["age_group"] = json!("12_to_18");
    assert_eq!(server.post_json("/api/v1/stories", &body.to_string()).status, 201);
    let export = server.admin_get("/api/v1/export.json").json();
    let answers = &export[0]["answers"];
    assert_eq!(answers["organisation"], "Basisschool De Linde");
    assert_eq!(answers["organisation_type"], "school");
    assert_eq!(answers["age_group"], "under_12");
    assert_eq!(export[0]["link"], code);
}

#[test]
fn a_story_with_an_unknown_or_malformed_link_is_stored_without_a_link() {
    let server = Server::start();
    for link in ["zzzzzzzz", "<script>", ""] {
        let reply = server.post_json("/api/v1/stories", &story(&submission_id(), Some(link)).to_string());
        assert_eq!(reply.status, 201, "{link}");
    }
    let export = server.admin_get("/api/v1/export.json").json();
    assert_eq!(export.as_array().unwrap().len(), 3);
    assert!(export.as_array().unwrap().iter().all(|s| s["link"].is_null()));
}

#[test]
fn links_resolve_one_at_a_time_and_cannot_be_listed() {
    let server = Server::start();
    let links = import_links(&server);
    let code = links[1]["code"].as_str().unwrap();
    let reply = server.get(&format!("/api/v1/links/{code}"));
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({"code": code, "organisation": "Jeugdhulp Oost",
               "prefill": {"organisation_type": "care_provider", "age_group": "unknown", "organisation": "Jeugdhulp Oost"}})
    );
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(server.get("/api/v1/links/zzzzzzzz").status, 404);
    assert_eq!(server.get("/api/v1/links/..%2f..").status, 404);
    assert_eq!(server.get("/api/v1/links").status, 404);
    assert_eq!(server.get("/api/v1/links/").status, 404);
}

#[test]
fn a_collector_without_a_token_makes_one_shows_it_once_and_keeps_it_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stories.db");
    let database = database_for(&db);
    let mut first = Server::start_without_token(&database, &db);
    let token = first.shown_token.clone().expect("a new database gets an admin token, printed for the coordinator");
    first.kill();
    let again = Server::start_without_token(&database, &db);
    assert_eq!(again.shown_token, None, "the token is shown once, not again at the next start");
    let stats = |token: &str| request(&again.addr, "GET", "/api/v1/stats", &[("Authorization", &format!("Bearer {token}"))], b"").status;
    assert_eq!(stats(&token), 200, "the token shown at the first start still opens the dashboard");
    assert_eq!(stats(ADMIN_TOKEN), 401);
}

#[test]
fn stats_and_exports_count_what_came_in() {
    let server = Server::start();
    let links = import_links(&server);
    let school = links[0]["code"].as_str().unwrap();
    for _ in 0..3 {
        assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), Some(school)).to_string()).status, 201);
    }
    let mut parent = story(&submission_id(), None);
    parent["answers"]["perspective"] = json!("parent");
    parent["answers"]["story"] = json!("=HYPERLINK(\"http://evil\")");
    assert_eq!(server.post_json("/api/v1/stories", &parent.to_string()).status, 201);

    let stats = server.admin_get("/api/v1/stats").json();
    assert_eq!(stats["total"], 4);
    assert_eq!(stats["without_link"], 1);
    let per_link = stats["per_link"].as_array().unwrap();
    assert_eq!(per_link.len(), 2, "every link, also the one without stories");
    assert_eq!(per_link.iter().find(|l| l["code"] == school).unwrap()["stories"], 3);
    assert_eq!(per_link.iter().find(|l| l["code"] != school).unwrap()["stories"], 0);
    let perspective = |value: &str| stats["per_perspective"].as_array().unwrap().iter().find(|p| p["value"] == value).unwrap()["stories"].clone();
    assert_eq!(perspective("child"), 3);
    assert_eq!(perspective("parent"), 1);
    assert_eq!(perspective("professional"), 0);
    let age = stats["per_age_group"].as_array().unwrap();
    assert_eq!(age.iter().find(|a| a["value"] == "under_12").unwrap()["stories"], 3);
    assert_eq!(stats["per_day"].as_array().unwrap().len(), 1);
    assert_eq!(stats["per_day"][0]["stories"], 4);

    let json = server.admin_get("/api/v1/export.json").json();
    assert_eq!(json.as_array().unwrap().len(), 4);
    let csv = server.admin_get("/api/v1/export.csv?codes=1");
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.body.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let text = csv.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 4, "one header row, one row per story");
    assert!(lines[0].trim_start_matches('\u{feff}').starts_with("id;campaign;received_on;questionnaire;version;lang;link;prompt;story;"));
    assert!(text.contains("'=HYPERLINK"), "formula neutralised: {text}");

    // The command line exports the same.
    let out = server.cli(&["export", "--format", "json"]);
    let cli_json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli_json, json);
}

#[test]
fn the_json_export_round_trips_into_the_core_types() {
    let server = Server::start();
    import_links(&server);
    for _ in 0..3 {
        server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string());
    }
    let export = server.admin_get("/api/v1/export.json").json();
    let q = storypoint_core::default_questionnaire();
    for item in export.as_array().unwrap() {
        let answers: storypoint_core::Answers = serde_json::from_value(item["answers"].clone()).unwrap();
        let story = storypoint_core::validate(&q, &storypoint_core::Prefill::new(), &answers).expect("a valid story");
        let back = serde_json::to_value(&story).unwrap();
        assert_eq!(back["answers"], item["answers"]);
    }
}

#[test]
fn a_flood_from_one_address_is_limited_but_a_class_full_gets_in() {
    let server = Server::start_with(&["--max-stories-per-minute", "120"]);
    let started = std::time::Instant::now();
    let statuses: Vec<u16> = (0..200).map(|_| server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status).collect();
    // The bucket: a burst of 120, refilled at 120 per minute (2 per second) while the flood runs.
    let refilled = (started.elapsed().as_secs_f64() * 2.0).ceil() as usize;
    let accepted = statuses.iter().filter(|s| **s == 201).count();
    assert!(statuses[..120].iter().all(|s| *s == 201), "the burst gets in: {statuses:?}");
    assert!(accepted <= 120 + refilled, "no more than burst + refill ({refilled}): {accepted}");
    assert!(statuses.iter().filter(|s| **s == 429).count() >= 200 - 120 - refilled, "the rest gets 429: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 201 || *s == 429), "{statuses:?}");
    let reply = server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string());
    assert_eq!(reply.status, 429);
    assert_eq!(reply.header("retry-after"), Some("60"));
    assert!(reply.json()["message"].as_str().unwrap().contains("kept"));
    assert_eq!(server.admin_get("/api/v1/stats").json()["total"].as_u64().unwrap() as usize, accepted, "nothing more stored");
}

#[test]
fn the_default_limit_takes_hundreds_of_stories_a_minute_from_one_address() {
    let server = Server::start();
    for n in 0..400 {
        let reply = server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string());
        assert_eq!(reply.status, 201, "story {n}");
    }
}

#[test]
fn stories_in_every_shipped_language_are_stored_with_it_and_errors_speak_it() {
    let server = Server::start();
    for lang in ["ar", "fy", "tr", "pl", "en"] {
        let mut body = story(&submission_id(), None);
        body["lang"] = json!(lang);
        assert_eq!(server.post_json("/api/v1/stories", &body.to_string()).status, 201, "{lang}");
    }
    let stored: Vec<String> =
        server.admin_get("/api/v1/export.json").json().as_array().unwrap().iter().map(|s| s["lang"].as_str().unwrap().to_string()).collect();
    assert_eq!(stored, ["ar", "fy", "tr", "pl", "en"]);

    // Messages from the language's translation file; Dutch where it has none.
    let mut body = story(&submission_id(), None);
    body["lang"] = json!("ar");
    body["answers"]["seen_heard"] = json!(250);
    let reply = server.post_json("/api/v1/stories", &body.to_string());
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json()["errors"][0]["message"], "اختر رقمًا من 0 إلى 100.");

    // A language the Vertelpunt does not speak is refused, as before.
    let mut body = story(&submission_id(), None);
    body["lang"] = json!("de");
    let reply = server.post_json("/api/v1/stories", &body.to_string());
    assert!(reply.status == 400 || reply.status == 422, "{}", reply.status);
    assert!(String::from_utf8_lossy(&reply.body).contains("`de` is not a language of this Vertelpunt"), "{}", String::from_utf8_lossy(&reply.body));
}

#[test]
fn a_nul_in_a_story_is_kept_and_a_malformed_campaign_is_a_404() {
    let server = Server::start();
    let mut body = story(&submission_id(), None);
    body["answers"]["organisation"] = json!("School\u{0}Oost");
    body["answers"]["story"] = json!("Een\u{0}verhaal");
    assert_eq!(server.post_json("/api/v1/stories", &body.to_string()).status, 201);
    let stored = &server.admin_get("/api/v1/export.json").json()[0];
    assert_eq!(stored["answers"]["story"], "Een\u{0}verhaal", "the teller's text exactly");
    for path in ["/api/v1/c/%00/questionnaire", "/api/v1/c/Noord%20Oost/questionnaire", "/api/v1/c/%00/links/ABCD2345"] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    assert_eq!(server.post_json("/api/v1/c/%00/stories", &story(&submission_id(), None).to_string()).status, 404);
}
