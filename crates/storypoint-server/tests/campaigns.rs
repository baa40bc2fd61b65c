//! Campaigns: a region's own Vertelpunt on one collector — made and listed on the command
//! line, stories under /api/v1/c/{slug}/, narrowed prompts, dates, export and patterns per
//! campaign and across all of them.
mod common;

use common::*;
use serde_json::{Value, json};

fn out(output: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn tell(server: &Server, path: &str, prompt: &str) -> Response {
    let mut body = story(&submission_id(), None);
    body["answers"]["prompt"] = json!(prompt);
    server.post_json(path, &body.to_string())
}

#[test]
fn a_region_makes_its_own_campaign_and_its_stories_stay_apart() {
    let server = Server::start();
    let made = server.cli(&[
        "campaign",
        "create",
        "twente-2027",
        "--name",
        "Vertelpunt Twente 2027",
        "--theme",
        "Passend onderwijs",
        "--prompts",
        "geholpen,passend_onderwijs",
        "--opens",
        "2020-01-01",
        "--closes",
        "2999-12-31",
    ]);
    assert!(made.status.success(), "{}", out(&made));
    assert!(out(&made).contains("/api/v1/c/twente-2027/stories"));
    for (args, says) in [
        (vec!["campaign", "create", "twente-2027", "--name", "x"], "exists already"),
        (vec!["campaign", "create", "Twente 2027", "--name", "x"], "lowercase letters, digits and dashes"),
        (vec!["campaign", "create", "noord", "--name", "x", "--prompts", "geholpen,bestaat_niet"], "choose from: geholpen, veilig"),
        (vec!["campaign", "create", "zuid", "--name", "x", "--opens", "1-1-2027"], "--opens takes a date"),
        (vec!["campaign", "close", "bestaat-niet"], "no campaign `bestaat-niet`"),
    ] {
        let refused = server.cli(&args);
        assert!(!refused.status.success(), "{args:?}");
        assert!(out(&refused).contains(says), "{args:?}: {}", out(&refused));
    }

    // The campaign offers two prompts; another one is not an option there.
    assert_eq!(tell(&server, "/api/v1/c/twente-2027/stories", "geholpen").status, 201);
    assert_eq!(tell(&server, "/api/v1/c/twente-2027/stories", "passend_onderwijs").status, 201);
    let narrowed = tell(&server, "/api/v1/c/twente-2027/stories", "veilig");
    assert_eq!(narrowed.status, 422);
    assert_eq!(narrowed.json()["errors"][0], json!({"question": "prompt", "code": "unknown_option", "message": narrowed.json()["errors"][0]["message"]}));
    assert_eq!(tell(&server, "/api/v1/c/bestaat-niet/stories", "geholpen").status, 404);
    for _ in 0..6 {
        assert_eq!(tell(&server, "/api/v1/stories", "veilig").status, 201, "the default campaign offers every prompt");
    }
    let questionnaire = server.get("/api/v1/c/twente-2027/questionnaire").json();
    let prompts: Vec<&str> = questionnaire["steps"][0]["questions"][0]["prompts"].as_array().unwrap().iter().map(|p| p["value"].as_str().unwrap()).collect();
    assert_eq!(prompts, ["geholpen", "passend_onderwijs"], "for a partner page's questionnaire attribute");

    let list = out(&server.cli(&["campaign", "list"]));
    assert!(list.contains("default\t-\t-\t-\tall\t-\t-\topen\t6"), "{list}");
    assert!(
        list.contains(
            "twente-2027\tVertelpunt Twente 2027\tvertelpunt-jeugdhulp v1\tPassend onderwijs\tgeholpen,passend_onderwijs\t2020-01-01\t2999-12-31\topen\t2"
        ),
        "{list}"
    );

    // Export per campaign, and everything together.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("twente.json");
    assert!(server.cli(&["export", "--format", "json", "--campaign", "twente-2027", "--out", file.to_str().unwrap()]).status.success());
    let twente: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(twente.as_array().unwrap().len(), 2);
    assert!(twente.as_array().unwrap().iter().all(|s| s["campaign"] == "twente-2027"));
    assert_eq!(server.admin_get("/api/v1/export.json").json().as_array().unwrap().len(), 8);

    // Patterns per campaign and across campaigns (the national view), suppressed alike.
    let all = server.admin_get("/api/v1/patterns?question=prompt&by=none").json();
    assert_eq!(all["groups"][0]["stories"], 10, "8 stories together");
    let default = server.admin_get("/api/v1/patterns?question=prompt&by=none&campaign=default").json();
    assert_eq!(default["groups"][0]["stories"], 5, "6 in the default campaign");
    let region = server.admin_get("/api/v1/patterns?question=prompt&by=none&campaign=twente-2027").json();
    assert_eq!(region["groups"][0]["stories"], "< 5", "2 in Twente");

    // Closing one campaign leaves the other open. A teller who was writing when it closed
    // can still send for a day; a new teller sees the notice first.
    assert!(server.cli(&["campaign", "close", "twente-2027"]).status.success());
    assert_eq!(tell(&server, "/api/v1/c/twente-2027/stories", "geholpen").status, 201, "a day of grace");
    let info = server.get("/api/v1/c/twente-2027/campaign").json();
    assert_eq!((info["open"].as_bool(), info["accepts"].as_bool()), (Some(false), Some(true)), "{info}");
    assert_eq!(info["notice"]["title"], "Dit vertelpunt is gesloten", "{info}");
    assert_eq!(tell(&server, "/api/v1/stories", "geholpen").status, 201);
}

#[test]
fn a_campaign_past_its_day_of_grace_refuses_honestly_and_dates_must_be_in_order() {
    let server = Server::start();
    assert!(server.cli(&["campaign", "create", "oud", "--name", "Oud", "--opens", "2020-01-01", "--closes", "2020-06-30"]).status.success());
    let refused = tell(&server, "/api/v1/c/oud/stories", "geholpen");
    assert_eq!(refused.status, 410);
    let message = refused.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("gesloten") && message.contains("30-06-2020"), "{message}");
    let english = server.get("/api/v1/c/oud/campaign?lang=en").json();
    assert_eq!(english["notice"]["text"], "You could tell your story here until 30-06-2020. Thank you for wanting to take part!");
    assert_eq!(english["accepts"], false);

    let backwards = server.cli(&["campaign", "create", "x", "--name", "X", "--opens", "2027-06-30", "--closes", "2027-01-01"]);
    assert!(!backwards.status.success());
    assert!(out(&backwards).contains("2027-06-30") && out(&backwards).contains("2027-01-01"), "{}", out(&backwards));
    assert!(server.cli(&["campaign", "list"]).stdout.windows(2).all(|w| w != b"x\t"), "nothing made");
    assert!(server.cli(&["campaign", "create", "later", "--name", "Later", "--opens", "2999-01-01"]).status.success());
    let early_close = server.cli(&["campaign", "open", "later", "--closes-at", "2998-12-31"]);
    assert!(!early_close.status.success() && out(&early_close).contains("2999-01-01"), "{}", out(&early_close));
    let later = server.get("/api/v1/c/later/campaign").json();
    assert_eq!(later["notice"]["title"], "Dit vertelpunt is nog niet open");
    assert!(later["notice"]["text"].as_str().unwrap().contains("01-01-2999"), "{later}");
}

#[test]
fn a_second_region_links_land_in_their_campaign_and_a_retired_link_is_unknown() {
    let server = Server::start();
    // The first region's campaign is over; the second one's links must still work.
    assert!(server.cli(&["campaign", "open", "--closes-at", "2020-01-01"]).status.success());
    let made = server.cli(&[
        "campaign",
        "create",
        "zwolle-2027",
        "--name",
        "Vertelpunt Zwolle 2027",
        "--theme",
        "Passend onderwijs",
        "--prompts",
        "geholpen,veilig",
        "--base-url",
        "https://zwolle.example.nl/vertel",
    ]);
    assert!(made.status.success(), "{}", out(&made));
    let table = server.db.with_file_name("zwolle.csv");
    std::fs::write(&table, "organisatie;type;leeftijd;contact\nKikkerpôl;school;0-12;juf@kikkerpol.nl\n").unwrap();
    let imported = server.cli(&["links", "import", table.to_str().unwrap(), "--campaign", "zwolle-2027"]);
    assert!(out(&imported).contains("https://zwolle.example.nl/vertel?sp="), "the campaign's address: {}", out(&imported));
    let links: Value = serde_json::from_slice(&server.cli(&["links", "list", "--format", "json", "--campaign", "zwolle-2027"]).stdout).unwrap();
    let code = links[0]["code"].as_str().unwrap().to_string();

    // The landing page of the code is the campaign's: its endpoint, prompts, name and theme.
    let page = server.get(&format!("/vertel?sp={code}")).text();
    assert!(page.contains("endpoint=\"/api/v1/c/zwolle-2027/stories\""), "{page}");
    assert!(page.contains("questionnaire=\"/api/v1/c/zwolle-2027/questionnaire\""));
    assert!(page.contains("Vertelpunt Zwolle 2027") && page.contains("Passend onderwijs"));
    let closed = server.get("/vertel").text();
    assert!(closed.contains("Dit vertelpunt is gesloten") && !closed.contains("<story-point"), "the first region's page: {closed}");
    let info = server.get("/api/v1/c/zwolle-2027/campaign").json();
    assert_eq!(info["prompts"], json!(["geholpen", "veilig"]));
    assert_eq!(info["notice"], Value::Null);
    assert_eq!(server.get("/api/v1/campaign").json()["prompts"], Value::Null, "the default offers all");

    // The story lands in that campaign with the organisation from the collector's table.
    let mut body = story(&submission_id(), Some(&code));
    body["answers"]["prompt"] = json!("veilig");
    assert_eq!(server.post_json("/api/v1/c/zwolle-2027/stories", &body.to_string()).status, 201);
    let export = server.admin_get("/api/v1/export.json").json();
    assert_eq!(export[0]["campaign"], "zwolle-2027");
    assert_eq!(export[0]["answers"]["organisation"], "Kikkerpôl");

    // The collector's token chooses a campaign on the dashboard, or sees all together.
    let listed = server.admin_get("/api/v1/campaigns").json();
    assert_eq!(listed.as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect::<Vec<_>>(), ["default", "zwolle-2027"]);
    assert_eq!(server.admin_get("/api/v1/stats?campaign=zwolle-2027").json()["total"], 1);
    assert_eq!(server.admin_get("/api/v1/stats?campaign=default").json()["total"], 0);
    assert_eq!(server.admin_get("/api/v1/stats").json()["total"], 1);
    assert_eq!(server.admin_get("/api/v1/stats?campaign=bestaat-niet").status, 404);

    // Retired, the code is unknown everywhere; its story keeps the organisation.
    assert!(server.cli(&["links", "retire", &code]).status.success());
    assert_eq!(server.get(&format!("/api/v1/c/zwolle-2027/links/{code}")).status, 404);
    assert!(!server.get(&format!("/vertel?sp={code}")).text().contains("zwolle-2027"), "the collector's own page");
    body["submission_id"] = json!(submission_id());
    assert_eq!(server.post_json("/api/v1/c/zwolle-2027/stories", &body.to_string()).status, 201);
    let export = server.admin_get("/api/v1/export.json").json();
    assert_eq!(export[0]["answers"]["organisation"], "Kikkerpôl", "an earlier story keeps it");
    assert_eq!(export[1]["link"], Value::Null, "a retired code is no link");
}

#[test]
fn a_campaign_opens_on_its_first_day_and_its_paths_serve_links_and_recordings() {
    let server = Server::start();
    assert!(server.cli(&["campaign", "create", "later", "--name", "Later", "--opens", "2999-01-01"]).status.success());
    assert_eq!(tell(&server, "/api/v1/c/later/stories", "geholpen").status, 410, "not open yet");
    let early = request(&server.addr, "PUT", &format!("/api/v1/c/later/stories/{}/audio?offset=0", submission_id()), &[], &webm(1));
    assert_eq!(early.status, 410, "nor recordings for it");
    let nowhere = request(&server.addr, "PUT", &format!("/api/v1/c/bestaat-niet/stories/{}/audio?offset=0", submission_id()), &[], &webm(1));
    assert_eq!(nowhere.status, 404);
    assert!(server.cli(&["campaign", "create", "noord", "--name", "Noord"]).status.success());
    let id = submission_id();
    let bytes = webm(1);
    let part = request(&server.addr, "PUT", &format!("/api/v1/c/noord/stories/{id}/audio?offset=0"), &[], &bytes);
    assert_eq!(part.status, 200, "{}", part.text());
    let done = server.post_json(
        &format!("/api/v1/c/noord/stories/{id}/audio/complete"),
        &json!({"length": bytes.len(), "sha256": sha256_hex(&bytes), "mime": "audio/webm"}).to_string(),
    );
    assert_eq!(done.status, 200);
    assert_eq!(server.get(&format!("/api/v1/c/noord/stories/{id}/audio")).json()["complete"], true);
    assert_eq!(server.get("/api/v1/c/noord/links/k7Q2xd9a").status, 404, "an unknown link: the widget asks the questions");
}

#[test]
fn each_campaign_has_its_own_link_table() {
    let server = Server::start();
    assert!(server.cli(&["campaign", "create", "noord", "--name", "Noord"]).status.success());
    let table = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/orgs.csv");
    let imported = server.cli(&["links", "import", table, "--campaign", "noord", "--base-url", "https://noord.example.nl/vertel"]);
    assert!(imported.status.success(), "{}", out(&imported));
    let listed = server.cli(&["links", "list", "--format", "json", "--campaign", "noord"]);
    let links: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let code = links[0]["code"].as_str().unwrap().to_string();
    let organisation = links[0]["organisation"].as_str().unwrap().to_string();
    let default = out(&server.cli(&["links", "list", "--format", "json", "--base-url", "https://vertel.example.nl/vertel"]));
    assert!(!default.contains(&code), "the default campaign's table is apart: {default}");
    assert!(!server.cli(&["links", "list", "--campaign", "bestaat-niet"]).status.success());

    assert_eq!(server.get(&format!("/api/v1/c/noord/links/{code}")).json()["organisation"], organisation.as_str());
    assert_eq!(server.get(&format!("/api/v1/links/{code}")).status, 404, "not a link of the default campaign");

    // Through its own campaign the link fills in the organisation; elsewhere it is unknown.
    let mut body = story(&submission_id(), Some(&code));
    assert_eq!(server.post_json("/api/v1/c/noord/stories", &body.to_string()).status, 201);
    body["submission_id"] = json!(submission_id());
    assert_eq!(server.post_json("/api/v1/stories", &body.to_string()).status, 201);
    let export = server.admin_get("/api/v1/export.json").json();
    let noord = export.as_array().unwrap().iter().find(|s| s["campaign"] == "noord").unwrap();
    assert_eq!(noord["answers"]["organisation"], organisation.as_str());
    assert_eq!(noord["link"], code.as_str());
    let other = export.as_array().unwrap().iter().find(|s| s["campaign"] == "default").unwrap();
    assert_eq!(other["link"], Value::Null, "another campaign's link counts as no link");
}

#[test]
fn a_campaign_token_opens_that_campaign_only() {
    let server = Server::start();
    let made = server.cli(&["campaign", "create", "noord", "--name", "Noord"]);
    let said = out(&made);
    let token = said.lines().find_map(|l| l.split("): ").nth(1).filter(|_| l.starts_with("admin token"))).unwrap().trim().to_string();
    assert_eq!(token.len(), 48, "{said}");
    for _ in 0..6 {
        assert_eq!(tell(&server, "/api/v1/c/noord/stories", "geholpen").status, 201);
        assert_eq!(tell(&server, "/api/v1/stories", "veilig").status, 201);
    }
    let get = |path: &str, token: &str| request(&server.addr, "GET", path, &[("Authorization", &format!("Bearer {token}"))], b"");

    let export = get("/api/v1/export.json", &token).json();
    assert_eq!(export.as_array().unwrap().len(), 6);
    assert!(export.as_array().unwrap().iter().all(|s| s["campaign"] == "noord"));
    assert_eq!(get("/api/v1/stats", &token).json()["total"], 6);
    assert_eq!(server.admin_get("/api/v1/stats").json()["total"], 12, "the collector's token sees all");
    let patterns = get("/api/v1/patterns?question=prompt&by=none&campaign=default", &token).json();
    assert_eq!(patterns["groups"][0]["stories"], 5, "asking for another campaign still shows its own");
    let geholpen = patterns["categories"].as_array().unwrap().iter().position(|c| c["value"] == "geholpen").unwrap();
    assert_eq!(patterns["groups"][0]["cells"][geholpen]["count"], 5);
    assert_eq!(get("/api/v1/export.json", "not-the-token").status, 401);
    // The collector's token exports one campaign when it names one, as the response page
    // does for the campaign chosen there; a campaign's token stays with its own.
    let chosen = server.admin_get("/api/v1/export.json?campaign=noord").json();
    assert_eq!(chosen.as_array().unwrap().len(), 6);
    assert!(chosen.as_array().unwrap().iter().all(|s| s["campaign"] == "noord"));
    let csv = server.admin_get("/api/v1/export.csv?campaign=default&codes=1").text();
    // The default campaign's stories are the `veilig` ones here.
    assert_eq!(csv.lines().filter(|l| l.contains(";veilig;")).count(), 6, "{csv}");
    assert!(!csv.contains(";geholpen;"), "{csv}");
    assert_eq!(get("/api/v1/export.json?campaign=default", &token).json().as_array().unwrap().len(), 6, "its own, whatever it asks");
    assert!(get("/api/v1/export.json?campaign=default", &token).json().as_array().unwrap().iter().all(|s| s["campaign"] == "noord"));
    assert_eq!(server.admin_get("/api/v1/export.json?campaign=nope").status, 404);
    let other = server.admin_get("/api/v1/export.json").json();
    let default_story = other.as_array().unwrap().iter().find(|s| s["campaign"] == "default").unwrap()["id"].as_i64().unwrap();
    assert_eq!(get(&format!("/admin/audio/{default_story}"), &token).status, 404, "not its story");
}
