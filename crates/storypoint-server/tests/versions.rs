//! A new questionnaire version beside an old one: stories keep the version they were told
//! in, the collector reads each against its own version, and exports and patterns say
//! where answers of the old version do not map onto the new one.
mod common;

use common::*;
use serde_json::{Value, json};

/// Version 2 of the default questionnaire: `emotion` without `happy`, `treatment` gone,
/// a new question `school_name`.
fn version_2() -> Value {
    let mut q: Value = serde_json::from_str(storypoint_core::DEFAULT_QUESTIONNAIRE_JSON).unwrap();
    q["version"] = json!(2);
    for step in q["steps"].as_array_mut().unwrap() {
        let about_you = step["id"] == "about_you";
        let questions = step["questions"].as_array_mut().unwrap();
        questions.retain(|question| question["id"] != "treatment");
        for question in questions.iter_mut().filter(|question| question["id"] == "emotion") {
            question["options"].as_array_mut().unwrap().retain(|option| option["value"] != "happy");
        }
        if about_you {
            let mut added = questions.iter().find(|question| question["id"] == "organisation").unwrap().clone();
            added["id"] = json!("school_name");
            questions.push(added);
        }
    }
    q
}

fn told_in(version: u32, answers: Value) -> String {
    let mut body = story(&submission_id(), None);
    body["version"] = json!(version);
    for (id, answer) in answers.as_object().unwrap() {
        body["answers"][id] = answer.clone();
    }
    body.to_string()
}

#[test]
fn stories_keep_their_version_and_exports_and_patterns_say_what_does_not_map() {
    let mut first = Server::start();
    let treatment: Value = serde_json::from_str(storypoint_core::DEFAULT_QUESTIONNAIRE_JSON).unwrap();
    let treatment = treatment["steps"][2]["questions"][1]["options"][0]["value"].clone();
    for _ in 0..6 {
        assert_eq!(first.post_json("/api/v1/stories", &told_in(1, json!({"treatment": treatment}))).status, 201);
    }
    first.kill();

    // The same database, now serving version 2.
    let file = first.db.with_file_name("v2.json");
    std::fs::write(&file, serde_json::to_string_pretty(&version_2()).unwrap()).unwrap();
    let server = Server::start_database(&first.database, &first.db, &["--questionnaire", file.to_str().unwrap()]);
    assert_eq!(server.get("/api/v1/questionnaire").json()["version"], 2, "new tellers get version 2");
    let landing = server.get("/vertel").text();
    assert!(landing.contains(r#"questionnaire="/api/v1/questionnaire""#), "the landing page's widget asks for version 2: {landing}");
    assert!(!landing.contains("shadowrootmode"), "and shows no prerendered screen of the built-in version");

    // A draft from before the update still gets in, read against version 1 (which asks
    // `treatment` and offers `happy`); version 2 takes its own questions only.
    assert_eq!(server.post_json("/api/v1/stories", &told_in(1, json!({"treatment": treatment}))).status, 201);
    for _ in 0..5 {
        let reply = server.post_json("/api/v1/stories", &told_in(2, json!({"emotion": "angry", "school_name": "De Linde"})));
        assert_eq!(reply.status, 201, "{}", reply.text());
    }
    let old_question = server.post_json("/api/v1/stories", &told_in(2, json!({"emotion": "angry", "treatment": treatment})));
    assert_eq!((old_question.status, old_question.json()["errors"][0]["code"].clone()), (422, json!("unknown_question")));
    let gone = server.post_json("/api/v1/stories", &told_in(2, json!({"emotion": "happy"})));
    assert_eq!((gone.status, gone.json()["errors"][0]["code"].clone()), (422, json!("unknown_option")));
    let never = server.post_json("/api/v1/stories", &told_in(3, json!({})));
    assert_eq!((never.status, never.json()["errors"][0]["code"].clone()), (422, json!("wrong_version")));

    // Patterns: the notes name what does not map, only where it matters.
    let emotion = server.admin_get("/api/v1/patterns?question=emotion&by=none").json();
    let notes: Vec<String> = serde_json::from_value(emotion["notes"].clone()).unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("Verhalen uit versie 1: Vraag `emotion` heeft antwoord `happy` niet meer"), "{notes:?}");
    assert_eq!(server.admin_get("/api/v1/patterns?question=seen_heard&by=none").json()["notes"], json!([]), "a question that stayed the same");
    let split = server.admin_get("/api/v1/patterns?question=perspective&by=emotion").json();
    assert_eq!(split["notes"], emotion["notes"], "split by the changed question: the same note");
    let page = server.admin_get("/admin/inzicht?question=emotion&by=none").text();
    assert!(page.contains("Let op: verhalen uit een andere versie van de vragenlijst") && page.contains("`happy` niet meer"), "{page}");

    // The export keeps every answer: `treatment` has its own column after the recording,
    // and the coordinator is told what does not map.
    let out = server.cli(&["export", "--format", "csv", "--codes"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("Vraag `treatment` is weg") && said.contains("Nieuwe vraag `school_name`"), "{said}");
    let csv = String::from_utf8_lossy(&out.stdout).to_string();
    let rows: Vec<Vec<&str>> = csv.trim_start_matches('\u{feff}').lines().map(|l| l.split(';').collect()).collect();
    let column = |name: &str| rows[0].iter().position(|c| *c == name).unwrap_or_else(|| panic!("no column {name}: {:?}", rows[0]));
    let (audio, treatment_column, school) = (column("audio"), column("treatment"), column("school_name"));
    assert!(school < audio && audio < treatment_column, "{:?}", rows[0]);
    let words = String::from_utf8_lossy(&server.cli(&["export", "--format", "csv"]).stdout).to_string();
    let headings: Vec<&str> = words.trim_start_matches('\u{feff}').lines().next().unwrap().split(';').collect();
    assert_eq!(headings[treatment_column], "Omgang (tot versie 1)", "{headings:?}");
    let version = column("version");
    let old: Vec<_> = rows[1..].iter().filter(|r| r[version] == "1").collect();
    assert_eq!(old.len(), 7);
    assert!(old.iter().all(|r| r[treatment_column] == treatment.as_str().unwrap()));
    assert_eq!(rows[1..].iter().filter(|r| r[school] == "De Linde").count(), 5);

    // New words for the same questions may keep the version number (a typo fixed)...
    let mut reworded = version_2();
    reworded["steps"][1]["questions"][0]["label"]["nl"] = json!("Vertel je verhaal");
    std::fs::write(&file, reworded.to_string()).unwrap();
    let restarted = Server::start_database(&server.database, &server.db, &["--questionnaire", file.to_str().unwrap()]);
    assert_eq!(restarted.get("/api/v1/questionnaire").json()["version"], 2);
    drop(restarted);
    // ...but changing version 2's questions without a new version number is refused at start.
    let mut changed = version_2();
    for step in changed["steps"].as_array_mut().unwrap() {
        for question in step["questions"].as_array_mut().unwrap().iter_mut().filter(|q| q["id"] == "emotion") {
            question["options"].as_array_mut().unwrap().pop();
        }
    }
    std::fs::write(&file, changed.to_string()).unwrap();
    // (Bounded: a collector that wrongly starts is killed after 20 s and fails the test.)
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_storypoint"))
        .args(["--db", &server.database, "serve", "--addr", "127.0.0.1:0", "--questionnaire", file.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the collector started on a changed version 2");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let refused = child.wait_with_output().unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("version 2 of questionnaire `vertelpunt-jeugdhulp` was served before with other questions"), "{said}");
}

#[test]
fn a_collector_started_on_a_new_version_still_takes_stories_of_the_built_in_one() {
    // A fresh database, started on version 2 at once: partner pages whose widget has the
    // built-in version 1 keep delivering.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v2.json");
    std::fs::write(&file, version_2().to_string()).unwrap();
    let server = Server::start_with(&["--questionnaire", file.to_str().unwrap()]);
    assert_eq!(server.post_json("/api/v1/stories", &told_in(1, json!({"emotion": "happy"}))).status, 201);
    assert_eq!(server.post_json("/api/v1/stories", &told_in(2, json!({"emotion": "angry"}))).status, 201);
    // The same file again is fine; the command line works with the served version.
    let again = Server::start_database(&server.database, &server.db, &["--questionnaire", file.to_str().unwrap()]);
    assert_eq!(again.get("/api/v1/questionnaire").json()["version"], 2);
    let csv = String::from_utf8_lossy(&again.cli(&["export", "--format", "csv", "--codes"]).stdout).to_string();
    let header: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().next().unwrap().split(';').collect();
    assert!(header.contains(&"school_name") && header.contains(&"treatment"), "{header:?}");
}
