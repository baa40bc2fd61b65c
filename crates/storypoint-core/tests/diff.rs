//! What changed between two questionnaire versions, and which answers stay comparable.
use serde_json::{Value, json};
use storypoint_core::diff::{Change, diff};
use storypoint_core::*;

fn edited(edit: impl FnOnce(&mut Value)) -> Questionnaire {
    let mut json: Value = serde_json::from_str(DEFAULT_QUESTIONNAIRE_JSON).unwrap();
    edit(&mut json);
    json["version"] = json!(2);
    Questionnaire::from_json(&json.to_string()).unwrap()
}

fn question<'a>(json: &'a mut Value, id: &str) -> &'a mut Value {
    json["steps"].as_array_mut().unwrap().iter_mut().flat_map(|s| s["questions"].as_array_mut().unwrap().iter_mut()).find(|q| q["id"] == id).unwrap()
}

#[test]
fn the_same_questionnaire_has_no_changes() {
    let q = default_questionnaire();
    assert_eq!(diff(&q, &q), []);
}

#[test]
fn every_kind_of_change_is_found_and_said_in_plain_dutch() {
    let old = default_questionnaire();
    let new = edited(|json| {
        question(json, "emotion")["options"].as_array_mut().unwrap().push(json!({"value": "lonely", "label": {"nl": "Eenzaam", "en": "Lonely"}}));
        question(json, "treatment")["options"].as_array_mut().unwrap().retain(|o| o["value"] != "distant");
        question(json, "seen_heard")["label"]["nl"] = json!("Voelde je je gezien en gehoord?");
        question(json, "perspective")["required"] = json!(false);
        let happened = question(json, "happened_when");
        *happened = json!({"id": "happened_when", "kind": "short_text", "max_length": 40, "label": {"nl": "Wanneer?", "en": "When?"}});
        let steps = json["steps"].as_array_mut().unwrap();
        let about_story = steps.iter().position(|s| s["id"] == "about_story").unwrap();
        let effect_at = steps[about_story]["questions"].as_array().unwrap().iter().position(|q| q["id"] == "effect").unwrap();
        let effect = steps[about_story]["questions"].as_array_mut().unwrap().remove(effect_at);
        steps.last_mut().unwrap()["questions"].as_array_mut().unwrap().push(effect);
        steps[about_story]["questions"].as_array_mut().unwrap().retain(|q| q["id"] != "citizen_theme");
        steps[about_story]["questions"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "wish", "kind": "short_text", "max_length": 200, "label": {"nl": "Wat wens je?", "en": "What do you wish for?"}}));
    });
    let changes = diff(&old, &new);
    let expected = [
        Change::KindChanged { question: "happened_when".into(), from: "single_choice", to: "short_text" },
        Change::OptionAdded { question: "emotion".into(), value: "lonely".into() },
        Change::OptionRemoved { question: "treatment".into(), value: "distant".into() },
        Change::WordingChanged { question: "seen_heard".into() },
        Change::QuestionAdded { question: "wish".into() },
        Change::RequiredChanged { question: "perspective".into(), required: false },
        Change::QuestionMoved { question: "effect".into(), from: "about_story".into(), to: "about_you".into() },
        Change::QuestionRemoved { question: "citizen_theme".into() },
    ];
    for change in &expected {
        assert!(changes.contains(change), "missing {change:?} in {changes:#?}");
    }
    assert_eq!(changes.len(), expected.len(), "{changes:#?}");
    let comparable: Vec<&str> = changes.iter().filter(|c| c.keeps_answers_comparable()).map(Change::question).collect();
    assert_eq!(comparable, ["seen_heard", "perspective", "effect"]);
    let words = changes.iter().map(Change::describe).collect::<Vec<_>>().join("\n");
    assert!(words.contains("Vraag `happened_when` vraagt nu om een ander soort antwoord"), "{words}");
    assert!(words.contains("Vraag `citizen_theme` is weg"), "{words}");
}
