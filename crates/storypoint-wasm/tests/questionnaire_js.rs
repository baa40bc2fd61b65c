//! The widget's ways into the core types without serde agree with the core's serde path.
//! Runs in wasm (Node.js): `cargo xtask test` runs it with wasm-bindgen-test-runner and the
//! crate's `std` feature (the harness brings std's panic handler, the bundle has its own).
#![cfg(target_arch = "wasm32")]

use storypoint_core::{Answers, DEFAULT_QUESTIONNAIRE_JSON, Questionnaire, Value};
use storypoint_wasm::{json, questionnaire_js};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn the_questionnaire_read_through_json_parse_is_what_serde_reads() {
    let parsed = json::parse(DEFAULT_QUESTIONNAIRE_JSON).expect("JSON");
    let serde = Questionnaire::from_json(DEFAULT_QUESTIONNAIRE_JSON).expect("serde reads it");
    assert_eq!(questionnaire_js::questionnaire(&parsed), Some(serde));
}

#[wasm_bindgen_test]
fn other_shapes_are_refused_not_misread() {
    for text in ["{}", "[]", "null", r#"{"steps": [{"questions": [{"kind": "poll"}]}]}"#] {
        let parsed = json::parse(text).expect("JSON");
        assert_eq!(questionnaire_js::questionnaire(&parsed), None, "{text}");
    }
}

#[wasm_bindgen_test]
fn answers_survive_the_draft_round_trip() {
    let answers = Answers::new()
        .with_text("story", "Één verhaal")
        .with_integer("seen_heard", 80)
        .with_choices("topics", &["school", "home"])
        .with("child_age", Value::Null);
    let text = json::stringify(&json::answers_to_js(&answers).into());
    assert_eq!(json::answers_from_js(&json::parse(&text).unwrap()), answers);
    // The same JSON read by serde (what the collector does) gives the same answers.
    let serde: Answers = serde_json::from_str(&text).unwrap();
    assert_eq!(serde, answers);
}

#[wasm_bindgen_test]
fn a_language_file_brings_the_questionnaire_translated_as_the_core_translates_it() {
    // `lang/{code}.json` as `cargo xtask dist` writes it: the widget reads its questionnaire
    // with the same walker, and gets exactly what the core's overlay makes.
    let questionnaire = storypoint_core::default_questionnaire();
    let dutch = storypoint_core::shipped(storypoint_core::Lang::NL).expect("translations/nl.json");
    for translation in storypoint_core::shipped_translations().iter().filter(|t| t.lang != storypoint_core::Lang::NL) {
        let file = json::parse(&translation.for_widget(&questionnaire, dutch)).expect("JSON");
        let mut expected = questionnaire.clone();
        expected.translate(translation);
        let read = questionnaire_js::questionnaire(&json::get(&file, "questionnaire"));
        assert_eq!(read, Some(expected), "{}", translation.lang.code());
        assert_eq!(json::get(&file, "lang").as_string().as_deref(), Some(translation.lang.code()));
    }
}
