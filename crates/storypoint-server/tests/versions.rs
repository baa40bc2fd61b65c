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
    let page = server.admin_get("/admin/inzicht?question=emotion&by=none").text();
    assert!(page.contains("Let op: verhalen uit een andere versie van de vragenlijst") && page.contains("`happy` niet meer"), "{page}");

    // The export keeps every answer: `treatment` has its own column after the recording,
    // and the coordinator is told what does not map.
    let out = server.cli(&["export", "--format", "csv"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("Vraag `treatment` is weg") && said.contains("Nieuwe vraag `school_name`"), "{said}");
    let csv = String::from_utf8_lossy(&out.stdout).to_string();
    let rows: Vec<Vec<&str>> = csv.trim_start_matches('\u{feff}').lines().map(|l| l.split(';').collect()).collect();
    let column = |name: &str| rows[0].iter().position(|c| *c == name).unwrap_or_else(|| panic!("no column {name}: {:?}", rows[0]));
    let (audio, treatment_column, school) = (column("audio"), column("treatment"), column("school_name"));
    assert!(school < audio && audio < treatment_column, "{:?}", rows[0]);
    assert!(rows[1][treatment_column].contains("alleen tot versie 1"), "{:?}", rows[1]);
    let version = column("version");
    let old: Vec<_> = rows[2..].iter().filter(|r| r[version] == "1").collect();
    assert_eq!(old.len(), 7);
    assert!(old.iter().all(|r| r[treatment_column] == treatment.as_str().unwrap()));
    assert_eq!(rows[2..].iter().filter(|r| r[school] == "De Linde").count(), 5);

    // Changing version 2's questions without a new version number is refused at start.
    let mut changed = version_2();
    changed["steps"][1]["questions"][0]["label"]["nl"] = json!("Iets anders");
    std::fs::write(&file, changed.to_string()).unwrap();
    let refused = server.cli(&["serve", "--addr", "127.0.0.1:0", "--questionnaire", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("version 2 of questionnaire `vertelpunt-jeugdhulp` was served before with other questions"), "{said}");
}
