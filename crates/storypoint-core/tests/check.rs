//! `Questionnaire::check` and `Questionnaire::from_json`, as data: each case is a minimal
//! questionnaire and the exact JSON paths of the problems it must give (with a key word of
//! each message), or the parse error it must give.
//!
//! The questionnaires are built with `serde_json::json!`. Without serde_json's
//! `preserve_order` feature that sorts the keys of every object, so "document order" is
//! only asserted across array elements here; the tests that need real key order edit the
//! example file (`DEFAULT_QUESTIONNAIRE_JSON`) as text.
#![cfg(feature = "serde")]

use serde_json::{Value, json};
use storypoint_core::{DEFAULT_QUESTIONNAIRE_JSON, ParseError, Questionnaire};

// ---- helpers ---------------------------------------------------------------------------

/// Every problem `check` finds, as `(path, message)`; panics when the JSON does not parse.
fn problems(json: &str) -> Vec<(String, String)> {
    let questionnaire = Questionnaire::from_json(json).unwrap_or_else(|e| panic!("does not parse: {e}\n{json}"));
    questionnaire.check().into_iter().map(|p| (p.path, p.message)).collect()
}

/// The parse error of `json`; panics when it parses.
fn parse_error(json: &str) -> ParseError {
    match Questionnaire::from_json(json) {
        Ok(_) => panic!("parsed, but should not:\n{json}"),
        Err(e) => e,
    }
}

/// The problems must be exactly these paths, in this order, each message containing its key word.
#[track_caller]
fn assert_problems(json: &str, expected: &[(&str, &str)]) {
    let actual = problems(json);
    let paths: Vec<&str> = actual.iter().map(|(path, _)| path.as_str()).collect();
    let expected_paths: Vec<&str> = expected.iter().map(|(path, _)| *path).collect();
    assert_eq!(paths, expected_paths, "wrong paths; all problems: {actual:#?}");
    for ((path, message), (_, word)) in actual.iter().zip(expected) {
        assert!(message.contains(word), "the message at {path} should mention {word:?}: {message:?}");
    }
}

/// The parse error must be at exactly `path` and its message contain `word`.
#[track_caller]
fn assert_parse_error(json: &str, path: &str, word: &str) -> ParseError {
    let error = parse_error(json);
    assert_eq!(error.path, path, "wrong path: {error:?}");
    assert!(error.message.contains(word), "the message should mention {word:?}: {error:?}");
    assert!(error.line >= 1 && error.column >= 1, "no position: {error:?}");
    error
}

/// A Dutch-only questionnaire with these steps.
fn questionnaire(steps: Value) -> String {
    questionnaire_in(json!(["nl"]), steps)
}

/// A questionnaire in these languages with these steps (its own title in Dutch and English).
fn questionnaire_in(languages: Value, steps: Value) -> String {
    json!({
        "id": "test",
        "version": 1,
        "languages": languages,
        "title": {"nl": "Test", "en": "Test"},
        "steps": steps,
    })
    .to_string()
}

/// A Dutch-only questionnaire of one step `s` with these questions.
fn one_step(questions: Value) -> String {
    questionnaire(json!([step("s", questions)]))
}

fn step(id: &str, questions: Value) -> Value {
    json!({"id": id, "title": {"nl": "Stap"}, "questions": questions})
}

/// A short text question.
fn text(id: &str) -> Value {
    json!({"id": id, "kind": "short_text", "label": {"nl": "Vraag"}, "max_length": 100})
}

/// A single choice question with these option values.
fn choice(id: &str, values: &[&str]) -> Value {
    let options: Vec<Value> = values.iter().map(|v| json!({"value": v, "label": {"nl": v}})).collect();
    json!({"id": id, "kind": "single_choice", "label": {"nl": "Vraag"}, "options": options})
}

/// A multiple choice question with these option values.
fn multiple(id: &str, values: &[&str]) -> Value {
    let mut question = choice(id, values);
    question["kind"] = json!("multiple_choice");
    question
}

/// A prompt choice question with these prompt values.
fn prompts(id: &str, values: &[&str]) -> Value {
    let prompts: Vec<Value> = values.iter().map(|v| json!({"value": v, "title": {"nl": v}, "text": {"nl": "Vertel…"}})).collect();
    json!({"id": id, "kind": "prompt_choice", "label": {"nl": "Vraag"}, "prompts": prompts})
}

fn number(id: &str, min: i64, max: i64) -> Value {
    json!({"id": id, "kind": "number", "label": {"nl": "Vraag"}, "min": min, "max": max})
}

/// `question` with `field` set to `value`.
fn with(mut question: Value, field: &str, value: Value) -> Value {
    question[field] = value;
    question
}

/// `question` shown only if `condition`.
fn visible_if(question: Value, condition: Value) -> Value {
    with(question, "visible_if", condition)
}

/// The example file with `from` replaced by `to` (exactly once).
fn example_with(edits: &[(&str, &str)]) -> String {
    let mut json = DEFAULT_QUESTIONNAIRE_JSON.to_string();
    for (from, to) in edits {
        assert_eq!(json.matches(from).count(), 1, "{from:?} must occur exactly once in the example file");
        json = json.replacen(from, to, 1);
    }
    json
}

// ---- fine questionnaires ---------------------------------------------------------------

#[test]
fn minimal_questionnaire_is_fine() {
    assert_problems(&one_step(json!([text("a")])), &[]);
}

#[test]
fn example_file_is_fine() {
    assert_problems(DEFAULT_QUESTIONNAIRE_JSON, &[]);
}

/// Every kind, every optional text, every kind of condition, in Dutch and English.
#[test]
fn every_kind_and_condition_in_two_languages_is_fine() {
    let t = |s: &str| json!({"nl": s, "en": s});
    let json = questionnaire_in(
        json!(["nl", "en"]),
        json!([
            {"id": "first", "title": t("Een"), "intro": t("Intro"), "questions": [
                {"id": "prompt", "kind": "prompt_choice", "label": t("Kies"), "help": t("Hulp"), "required": true,
                 "prompts": [{"value": "geholpen", "title": t("Geholpen"), "text": t("Vertel")},
                             {"value": "veilig", "title": t("Veilig"), "text": t("Vertel")}]},
                {"id": "story", "kind": "long_text", "label": t("Verhaal"), "max_length": 1},
                {"id": "title", "kind": "short_text", "label": t("Titel"), "max_length": 120,
                 "visible_if": {"question": "prompt", "equals": "veilig"}},
            ]},
            {"id": "second", "title": t("Twee"), "questions": [
                {"id": "age_group", "kind": "single_choice", "label": t("Leeftijd"), "prefillable": true,
                 "options": [{"value": "under_12", "label": t("<12")}, {"value": "12_to_18", "label": t("12-18")},
                             {"value": "unknown", "label": t("?")}]},
                {"id": "child_age", "kind": "number", "label": t("Leeftijd"), "min": 7, "max": 7,
                 "visible_if": {"question": "age_group", "is_unknown": true}},
                {"id": "themes", "kind": "multiple_choice", "label": t("Thema"), "max_choices": 2,
                 "options": [{"value": "a", "label": t("A")}, {"value": "b2", "label": t("B")}],
                 "visible_if": {"question": "age_group", "one_of": ["under_12", "12_to_18"]}},
                {"id": "seen_heard", "kind": "slider", "label": t("Gezien"), "low": t("Niet"), "high": t("Wel"),
                 "not_applicable": t("Past niet"), "visible_if": {"question": "themes", "equals": "b2"}},
                {"id": "effect", "kind": "slider", "label": t("Effect"), "low": t("Slecht"), "high": t("Goed"),
                 "visible_if": {"question": "child_age", "not_answered": true}},
            ]},
        ]),
    );
    assert_problems(&json, &[]);
}

// ---- identifiers -----------------------------------------------------------------------

#[test]
fn duplicate_question_id_in_one_step() {
    assert_problems(&one_step(json!([text("a"), text("b"), text("a")])), &[("steps[0].questions[2].id", "already used at steps[0].questions[0]")]);
}

#[test]
fn duplicate_question_id_in_another_step() {
    let json = questionnaire(json!([step("one", json!([text("a")])), step("two", json!([text("b"), text("a")]))]));
    assert_problems(&json, &[("steps[1].questions[1].id", "already used at steps[0].questions[0]")]);
}

#[test]
fn a_third_use_of_a_question_id_names_the_first() {
    assert_problems(
        &one_step(json!([text("a"), text("a"), text("a")])),
        &[("steps[0].questions[1].id", "at steps[0].questions[0]"), ("steps[0].questions[2].id", "at steps[0].questions[0]")],
    );
}

#[test]
fn duplicate_step_id() {
    let json = questionnaire(json!([step("s", json!([text("a")])), step("s", json!([text("b")]))]));
    assert_problems(&json, &[("steps[1].id", "used twice")]);
}

#[test]
fn a_question_may_share_its_id_with_a_step() {
    let json = questionnaire(json!([step("story", json!([text("story")]))]));
    assert_problems(&json, &[]);
}

#[test]
fn question_ids_must_be_snake_case() {
    for bad in ["Leeftijd", "age-group", "age group", "age__group", "_age", "age_", "", "leeftijd_één"] {
        let json = one_step(json!([text("ok"), text(bad)]));
        assert_problems(&json, &[("steps[0].questions[1].id", "snake_case")]);
    }
    for good in ["age_group", "a", "12_to_18", "under_12"] {
        assert_problems(&one_step(json!([text(good)])), &[]);
    }
}

#[test]
fn step_ids_must_be_snake_case() {
    for bad in ["Stap_1", "over-jou", "over jou", "a__b", ""] {
        let json = questionnaire(json!([step("ok", json!([text("a")])), step(bad, json!([text("b")]))]));
        assert_problems(&json, &[("steps[1].id", "snake_case")]);
    }
}

#[test]
fn option_values_must_be_snake_case() {
    let json = one_step(json!([choice("age_group", &["Tieners", "12-18", "a__b", "under_12", "12_to_18"])]));
    assert_problems(
        &json,
        &[
            ("steps[0].questions[0].options[0].value", "`Tieners` must be lowercase snake_case"),
            ("steps[0].questions[0].options[1].value", "`12-18` must be lowercase snake_case"),
            ("steps[0].questions[0].options[2].value", "`a__b` must be lowercase snake_case"),
        ],
    );
}

#[test]
fn multiple_choice_and_prompt_values_must_be_snake_case() {
    let json = one_step(json!([multiple("themes", &["ok", "Niet OK"]), prompts("prompt", &["Geholpen", "veilig"])]));
    assert_problems(&json, &[("steps[0].questions[0].options[1].value", "`Niet OK`"), ("steps[0].questions[1].prompts[0].value", "`Geholpen`")]);
}

#[test]
fn questionnaire_id_is_lowercase_with_dashes() {
    for bad in ["Vertelpunt", "vertelpunt jeugdhulp", ""] {
        let mut json: Value = serde_json::from_str(&one_step(json!([text("a")]))).unwrap();
        json["id"] = json!(bad);
        assert_problems(&json.to_string(), &[("id", "lowercase letters, digits, dashes and underscores")]);
    }
    for good in ["vertelpunt-jeugdhulp", "v2", "regio_twente-2026"] {
        let mut json: Value = serde_json::from_str(&one_step(json!([text("a")]))).unwrap();
        json["id"] = json!(good);
        assert_problems(&json.to_string(), &[]);
    }
}

#[test]
fn version_starts_at_one() {
    let mut json: Value = serde_json::from_str(&one_step(json!([text("a")]))).unwrap();
    json["version"] = json!(0);
    assert_problems(&json.to_string(), &[("version", "starts at 1")]);
}

// ---- visibility conditions -------------------------------------------------------------

#[test]
fn condition_on_a_missing_question() {
    let json = one_step(json!([text("a"), visible_if(text("b"), json!({"question": "nope", "is_unknown": true}))]));
    assert_problems(&json, &[("steps[0].questions[1].visible_if.question", "no question with that id")]);
}

#[test]
fn condition_on_a_later_question() {
    let json = one_step(json!([visible_if(text("a"), json!({"question": "b", "not_answered": true})), text("b")]));
    assert_problems(&json, &[("steps[0].questions[0].visible_if.question", "`b`, which comes later")]);
    // b has no condition, so there is no cycle to report.
    assert!(!problems(&json)[0].1.contains("cycle"), "{:?}", problems(&json));
}

#[test]
fn condition_on_a_question_in_a_later_step() {
    let json =
        questionnaire(json!([step("one", json!([visible_if(text("a"), json!({"question": "b", "not_answered": true}))])), step("two", json!([text("b")])),]));
    assert_problems(&json, &[("steps[0].questions[0].visible_if.question", "comes later")]);
}

#[test]
fn condition_on_an_earlier_question_in_an_earlier_step_is_fine() {
    let json =
        questionnaire(json!(
            [step("one", json!([choice("a", &["x"])])), step("two", json!([visible_if(text("b"), json!({"question": "a", "equals": "x"}))])),]
        ));
    assert_problems(&json, &[]);
}

#[test]
fn condition_on_itself() {
    let json = one_step(json!([text("a"), visible_if(choice("b", &["x"]), json!({"question": "b", "equals": "x"}))]));
    assert_problems(&json, &[("steps[0].questions[1].visible_if.question", "`b` depends on itself")]);
}

/// a → b → a: b's condition looks back and is fine on its own; a's looks ahead and is where
/// the cycle is reported, once, with the whole cycle in the message.
#[test]
fn two_question_cycle() {
    let json = one_step(json!([
        visible_if(choice("a", &["x"]), json!({"question": "b", "equals": "x"})),
        visible_if(choice("b", &["x"]), json!({"question": "a", "equals": "x"})),
    ]));
    assert_problems(&json, &[("steps[0].questions[0].visible_if.question", "cycle: a → b → a")]);
}

#[test]
fn three_question_cycle() {
    let json = one_step(json!([
        visible_if(text("a"), json!({"question": "c", "not_answered": true})),
        visible_if(text("b"), json!({"question": "a", "not_answered": true})),
        visible_if(text("c"), json!({"question": "b", "not_answered": true})),
    ]));
    assert_problems(&json, &[("steps[0].questions[0].visible_if.question", "cycle: a → c → b → a")]);
}

#[test]
fn equals_a_value_that_is_not_an_option() {
    let json = one_step(json!([choice("a", &["x", "y"]), visible_if(text("b"), json!({"question": "a", "equals": "z"})),]));
    assert_problems(&json, &[("steps[0].questions[1].visible_if", "`a` has no option `z`; it has x, y")]);
}

#[test]
fn equals_an_option_of_a_multiple_choice_or_prompt_is_fine() {
    let json = one_step(json!([
        multiple("a", &["x", "y"]),
        prompts("p", &["geholpen", "veilig"]),
        visible_if(text("b"), json!({"question": "a", "equals": "y"})),
        visible_if(text("c"), json!({"question": "p", "one_of": ["veilig", "geholpen"]})),
    ]));
    assert_problems(&json, &[]);
}

#[test]
fn equals_a_value_that_is_not_a_prompt() {
    let json = one_step(json!([prompts("p", &["geholpen", "veilig"]), visible_if(text("b"), json!({"question": "p", "equals": "Veilig"})),]));
    assert_problems(&json, &[("steps[0].questions[1].visible_if", "no option `Veilig`")]);
}

#[test]
fn one_of_with_values_that_are_not_options() {
    let json = one_step(json!([choice("a", &["x", "y"]), visible_if(text("b"), json!({"question": "a", "one_of": ["x", "z", "w"]})),]));
    assert_problems(&json, &[("steps[0].questions[1].visible_if", "no option `z`"), ("steps[0].questions[1].visible_if", "no option `w`")]);
}

#[test]
fn equals_on_a_number_question() {
    let json = one_step(json!([number("a", 0, 23), visible_if(text("b"), json!({"question": "a", "equals": "3"}))]));
    assert_problems(&json, &[("steps[0].questions[1].visible_if", "`a` is a number question")]);
}

#[test]
fn one_of_on_a_text_question() {
    let json = one_step(json!([text("a"), visible_if(text("b"), json!({"question": "a", "one_of": ["x"]}))]));
    assert_problems(&json, &[("steps[0].questions[1].visible_if", "`a` is a short_text question")]);
}

#[test]
fn is_unknown_and_not_answered_work_on_any_kind() {
    let json = one_step(json!([
        number("a", 0, 23),
        visible_if(text("b"), json!({"question": "a", "is_unknown": true})),
        visible_if(text("c"), json!({"question": "b", "not_answered": true})),
    ]));
    assert_problems(&json, &[]);
}

#[test]
fn empty_one_of() {
    let json = one_step(json!([choice("a", &["x"]), visible_if(text("b"), json!({"question": "a", "one_of": []}))]));
    assert_problems(&json, &[("steps[0].questions[1].visible_if.one_of", "one_of is empty")]);
}

#[test]
fn a_later_question_with_a_wrong_option_gives_both_problems() {
    let json = one_step(json!([visible_if(text("a"), json!({"question": "b", "equals": "z"})), choice("b", &["x"])]));
    assert_problems(&json, &[("steps[0].questions[0].visible_if.question", "comes later"), ("steps[0].questions[0].visible_if", "no option `z`")]);
}

// ---- texts and languages ---------------------------------------------------------------

#[test]
fn label_without_dutch() {
    let json = one_step(json!([with(text("a"), "label", json!({"en": "x"}))]));
    assert_problems(&json, &[("steps[0].questions[0].label.nl", "Dutch text is missing or empty")]);
}

#[test]
fn label_with_empty_or_blank_dutch() {
    for blank in ["", "   ", "\n"] {
        let json = one_step(json!([with(text("a"), "label", json!({"nl": blank, "en": "x"}))]));
        assert_problems(&json, &[("steps[0].questions[0].label.nl", "Dutch")]);
    }
}

/// Every place a text can be, without Dutch (English given): the path ends in `.nl` each time.
#[test]
fn dutch_is_checked_in_every_text() {
    let en = json!({"en": "x"});
    let json = json!({
        "id": "test", "version": 1, "languages": ["nl", "en"], "title": en,
        "steps": [{"id": "s", "title": en, "intro": en, "questions": [
            {"id": "p", "kind": "prompt_choice", "label": en, "help": en,
             "prompts": [{"value": "v", "title": en, "text": en}]},
            {"id": "c", "kind": "single_choice", "label": en, "options": [{"value": "v", "label": en}]},
            {"id": "m", "kind": "multiple_choice", "label": en, "options": [{"value": "v", "label": en}]},
            {"id": "sl", "kind": "slider", "label": en, "low": en, "high": en, "not_applicable": en},
        ]}],
    });
    let q = "steps[0].questions";
    let expected = [
        "title.nl".to_string(),
        "steps[0].title.nl".into(),
        "steps[0].intro.nl".into(),
        format!("{q}[0].label.nl"),
        format!("{q}[0].help.nl"),
        format!("{q}[0].prompts[0].title.nl"),
        format!("{q}[0].prompts[0].text.nl"),
        format!("{q}[1].label.nl"),
        format!("{q}[1].options[0].label.nl"),
        format!("{q}[2].label.nl"),
        format!("{q}[2].options[0].label.nl"),
        format!("{q}[3].label.nl"),
        format!("{q}[3].low.nl"),
        format!("{q}[3].high.nl"),
        format!("{q}[3].not_applicable.nl"),
    ];
    let expected: Vec<(&str, &str)> = expected.iter().map(|path| (path.as_str(), "Dutch")).collect();
    assert_problems(&json.to_string(), &expected);
}

#[test]
fn english_missing_when_languages_lists_en() {
    let json = questionnaire_in(
        json!(["nl", "en"]),
        json!([{"id": "s", "title": {"nl": "Stap", "en": "Step"}, "questions": [
            with(text("a"), "label", json!({"nl": "Vraag"})),
            with(text("b"), "label", json!({"nl": "Vraag", "en": ""})),
            with(text("c"), "label", json!({"nl": "Vraag", "en": "Question"})),
        ]}]),
    );
    assert_problems(
        &json,
        &[("steps[0].questions[0].label.en", "no `en` version although `languages` lists `en`"), ("steps[0].questions[1].label.en", "`en`")],
    );
}

/// The same questionnaire as in `dutch_is_checked_in_every_text`, now Dutch only, with English listed.
#[test]
fn english_is_checked_in_every_text() {
    let nl = json!({"nl": "x"});
    let json = json!({
        "id": "test", "version": 1, "languages": ["nl", "en"], "title": nl,
        "steps": [{"id": "s", "title": nl, "intro": nl, "questions": [
            {"id": "p", "kind": "prompt_choice", "label": nl, "help": nl,
             "prompts": [{"value": "v", "title": nl, "text": nl}]},
            {"id": "sl", "kind": "slider", "label": nl, "low": nl, "high": nl, "not_applicable": nl},
        ]}],
    });
    let q = "steps[0].questions";
    let expected = [
        "title.en".to_string(),
        "steps[0].title.en".into(),
        "steps[0].intro.en".into(),
        format!("{q}[0].label.en"),
        format!("{q}[0].help.en"),
        format!("{q}[0].prompts[0].title.en"),
        format!("{q}[0].prompts[0].text.en"),
        format!("{q}[1].label.en"),
        format!("{q}[1].low.en"),
        format!("{q}[1].high.en"),
        format!("{q}[1].not_applicable.en"),
    ];
    let expected: Vec<(&str, &str)> = expected.iter().map(|path| (path.as_str(), "`en`")).collect();
    assert_problems(&json.to_string(), &expected);
    // Without `en` in `languages` the very same texts are fine.
    let dutch_only = json.to_string().replace(r#""languages":["nl","en"]"#, r#""languages":["nl"]"#);
    assert_ne!(dutch_only, json.to_string());
    assert_problems(&dutch_only, &[]);
}

#[test]
fn no_english_is_fine_when_languages_is_only_nl() {
    let json =
        one_step(json!([with(text("a"), "help", json!({"nl": "Hulp"})), choice("b", &["x"]), with(text("c"), "label", json!({"nl": "Vraag", "en": ""})),]));
    assert_problems(&json, &[]);
}

#[test]
fn languages_must_start_with_dutch() {
    let steps = json!([{"id": "s", "title": {"nl": "Stap", "en": "Step"}, "questions": [
        with(text("a"), "label", json!({"nl": "Vraag", "en": "Question"})),
    ]}]);
    assert_problems(&questionnaire_in(json!(["en", "nl"]), steps.clone()), &[("languages", "must start with \"nl\"")]);
    assert_problems(&questionnaire_in(json!(["en"]), steps.clone()), &[("languages", "must start with \"nl\"")]);
    assert_problems(&questionnaire_in(json!([]), steps.clone()), &[("languages", "must start with \"nl\"")]);
    assert_problems(&questionnaire_in(json!(["nl", "en"]), steps), &[]);
}

#[test]
fn a_language_listed_twice() {
    let json = questionnaire_in(json!(["nl", "nl"]), json!([step("s", json!([text("a")]))]));
    assert_problems(&json, &[("languages[1]", "`nl` is listed twice")]);
}

// ---- steps -----------------------------------------------------------------------------

#[test]
fn a_step_without_questions() {
    let json = questionnaire(json!([step("one", json!([text("a")])), step("empty", json!([]))]));
    assert_problems(&json, &[("steps[1].questions", "the step `empty` has no questions")]);
}

#[test]
fn no_steps_at_all() {
    assert_problems(&questionnaire(json!([])), &[("steps", "no steps")]);
}

// ---- kinds -----------------------------------------------------------------------------

#[test]
fn number_min_greater_than_max() {
    assert_problems(&one_step(json!([number("a", 10, 5)])), &[("steps[0].questions[0].min", "min (10) is greater than max (5)")]);
    assert_problems(&one_step(json!([number("a", -1, -2)])), &[("steps[0].questions[0].min", "greater than max")]);
}

#[test]
fn number_with_min_equal_to_max_or_negative_is_fine() {
    assert_problems(&one_step(json!([number("a", 5, 5), number("b", -10, 10)])), &[]);
}

#[test]
fn max_length_zero() {
    let long = json!({"id": "story", "kind": "long_text", "label": {"nl": "Verhaal"}, "max_length": 0});
    let short = with(text("title"), "max_length", json!(0));
    assert_problems(&one_step(json!([long, short])), &[("steps[0].questions[0].max_length", "at least 1"), ("steps[0].questions[1].max_length", "at least 1")]);
    assert_problems(&one_step(json!([with(text("title"), "max_length", json!(1))])), &[]);
}

#[test]
fn max_choices_zero() {
    let json = one_step(json!([with(multiple("a", &["x", "y"]), "max_choices", json!(0))]));
    assert_problems(&json, &[("steps[0].questions[0].max_choices", "max_choices is 0 but must be from 1 to the number of options (2)")]);
}

#[test]
fn max_choices_more_than_the_options() {
    let json = one_step(json!([with(multiple("a", &["x", "y"]), "max_choices", json!(3))]));
    assert_problems(&json, &[("steps[0].questions[0].max_choices", "max_choices is 3")]);
}

#[test]
fn max_choices_from_one_to_the_number_of_options_is_fine() {
    let json = one_step(json!([
        with(multiple("a", &["x", "y"]), "max_choices", json!(1)),
        with(multiple("b", &["x", "y"]), "max_choices", json!(2)),
        multiple("c", &["x", "y"]),
    ]));
    assert_problems(&json, &[]);
}

#[test]
fn duplicate_option_values() {
    let json = one_step(json!([choice("a", &["x", "y", "x"])]));
    assert_problems(&json, &[("steps[0].questions[0].options[2].value", "`x` appears twice")]);
}

#[test]
fn duplicate_option_values_in_multiple_choice_and_prompts() {
    let json = one_step(json!([multiple("a", &["x", "x"]), prompts("p", &["veilig", "veilig"])]));
    assert_problems(
        &json,
        &[("steps[0].questions[0].options[1].value", "`x` appears twice"), ("steps[0].questions[1].prompts[1].value", "`veilig` appears twice")],
    );
}

#[test]
fn the_same_value_in_two_questions_is_fine() {
    assert_problems(&one_step(json!([choice("a", &["other"]), choice("b", &["other"])])), &[]);
}

#[test]
fn empty_option_lists() {
    let json = one_step(json!([choice("a", &[]), multiple("b", &[]), prompts("p", &[])]));
    assert_problems(
        &json,
        &[
            ("steps[0].questions[0].options", "`options` is empty"),
            ("steps[0].questions[1].options", "`options` is empty"),
            ("steps[0].questions[2].prompts", "`prompts` is empty"),
        ],
    );
}

// ---- all problems at once --------------------------------------------------------------

#[test]
fn all_problems_at_once_in_document_order() {
    let json = questionnaire(json!([
        step("Stap", json!([text("a"), number("b", 3, 1)])),
        step(
            "two",
            json!([
                with(text("c"), "label", json!({"en": "Question"})),
                visible_if(choice("d", &["Ja", "nee"]), json!({"question": "nope", "not_answered": true})),
            ])
        ),
    ]));
    assert_problems(
        &json,
        &[
            ("steps[0].id", "snake_case"),
            ("steps[0].questions[1].min", "greater than max"),
            ("steps[1].questions[0].label.nl", "Dutch"),
            // Within a question, the order of the file: `visible_if` before the kind's fields.
            ("steps[1].questions[1].visible_if.question", "no question"),
            ("steps[1].questions[1].options[0].value", "snake_case"),
        ],
    );
}

/// Four mistakes in the example file itself, reported in the order they appear in it.
#[test]
fn all_problems_at_once_in_the_example_file() {
    let json = example_with(&[
        // The id of the step "story" (not of the question "story").
        ("\"id\": \"story\",\n      \"title\"", "\"id\": \"Story\",\n      \"title\""),
        // The maximum length of the question "title".
        (r#""max_length": 120"#, r#""max_length": 0"#),
        // The last option of "happened_when" repeats the first.
        (r#""value": "years""#, r#""value": "days""#),
        // The option "sad" of "emotion" loses its Dutch.
        (r#"{"value": "sad", "label": {"nl": "Verdrietig"}}"#, r#"{"value": "sad", "label": {"en": "Sad"}}"#),
    ]);
    assert_problems(
        &json,
        &[
            ("steps[1].id", "`Story` must be lowercase snake_case"),
            ("steps[1].questions[1].max_length", "at least 1"),
            ("steps[1].questions[2].options[3].value", "`days` appears twice"),
            ("steps[2].questions[0].options[1].label.nl", "Dutch"),
        ],
    );
}

/// In the example file (and in `to_json`) `visible_if` comes before a kind's own fields
/// (`min`, `max`, `options`, …), so its problems should come first too.
#[test]
fn visible_if_problems_come_before_kind_problems_as_in_the_document() {
    let json = example_with(&[
        (r#""visible_if": {"question": "age_group", "is_unknown": true}"#, r#""visible_if": {"question": "nope", "is_unknown": true}"#),
        (r#""max": 23"#, r#""max": -1"#),
    ]);
    let visible_if = json.find(r#""question": "nope""#).unwrap();
    let min = json.find(r#""min": 0"#).unwrap();
    assert!(visible_if < min, "the edit is not in the expected order in the file");
    assert_problems(&json, &[("steps[3].questions[2].visible_if.question", "no question"), ("steps[3].questions[2].min", "greater than max")]);
}

#[test]
fn problem_display_is_path_then_message() {
    let questionnaire = Questionnaire::from_json(&one_step(json!([number("a", 2, 1)]))).unwrap();
    let shown: Vec<String> = questionnaire.check().iter().map(|p| p.to_string()).collect();
    assert_eq!(shown, ["steps[0].questions[0].min: min (2) is greater than max (1)"]);
}

// ---- parse errors ----------------------------------------------------------------------

#[test]
fn unknown_field_in_a_question() {
    let json = one_step(json!([text("a"), json!({"id": "b", "kind": "short_text", "lable": {"nl": "Vraag"}, "max_length": 10})]));
    assert_parse_error(&json, "steps[0].questions[1].lable", "unknown field `lable`");
}

/// The same typo in the real file: the path names the field and the line is the typo's.
#[test]
fn unknown_field_in_the_example_file() {
    let json = example_with(&[(r#""label": {"nl": "Geef je verhaal een titel""#, r#""lable": {"nl": "Geef je verhaal een titel""#)]);
    let error = assert_parse_error(&json, "steps[1].questions[1].lable", "`lable`");
    let line = json.lines().position(|l| l.contains(r#""lable""#)).unwrap() + 1;
    assert_eq!(error.line, line, "{error:?}");
    let display = error.to_string();
    assert!(display.starts_with(&format!("steps[1].questions[1].lable: line {line}, column ")), "{display}");
}

#[test]
fn unknown_field_elsewhere_names_the_field() {
    let bad_step = json!([{"id": "s", "titel": {"nl": "Stap"}, "title": {"nl": "Stap"}, "questions": [text("a")]}]);
    assert_parse_error(&questionnaire(bad_step), "steps[0].titel", "unknown field `titel`");

    let bad_condition = json!([text("a"), visible_if(text("b"), json!({"vraag": "a", "is_unknown": true}))]);
    assert_parse_error(&one_step(bad_condition), "steps[0].questions[1].visible_if.vraag", "unknown field `vraag`");

    let mut bad_option = choice("a", &["x", "y"]);
    bad_option["options"][1]["lable"] = json!({"nl": "Y"});
    assert_parse_error(&one_step(json!([bad_option])), "steps[0].questions[0].options[1].lable", "unknown field `lable`");

    // Any language may be written inline; a key that is not a language code is an error.
    let bad_text = with(text("a"), "label", json!({"nl": "Vraag", "french": "Question"}));
    assert_parse_error(&one_step(json!([bad_text])), "steps[0].questions[0].label", "`french` is not a language code");

    let mut top: Value = serde_json::from_str(&one_step(json!([text("a")]))).unwrap();
    top["titel"] = json!({"nl": "Test"});
    assert_parse_error(&top.to_string(), "titel", "unknown field `titel`");
}

#[test]
fn a_language_that_is_not_a_code() {
    let json = questionnaire_in(json!(["nl", "Deutsch"]), json!([step("s", json!([text("a")]))]));
    assert_parse_error(&json, "languages[1]", "`Deutsch` is not a language code");
}

#[test]
fn a_listed_language_needs_every_text() {
    // Languages are open (a translation file adds one), but one listed in the file
    // itself must be written inline everywhere.
    let json = questionnaire_in(json!(["nl", "de"]), json!([step("s", json!([text("a")]))]));
    assert_problems(&json, &[("title.de", "no `de` version"), ("steps[0].title.de", "`de`"), ("steps[0].questions[0].label.de", "`de`")]);
}

#[test]
fn a_field_of_another_kind() {
    let long = json!({"id": "a", "kind": "long_text", "label": {"nl": "Vraag"}, "max_length": 10, "options": []});
    assert_parse_error(&one_step(json!([text("ok"), long])), "steps[0].questions[1]", "`options` does not belong to a long_text question");

    let single = with(choice("a", &["x"]), "max_choices", json!(1));
    assert_parse_error(&one_step(json!([single])), "steps[0].questions[0]", "`max_choices` does not belong to a single_choice question");

    let number = with(number("a", 0, 1), "not_applicable", json!({"nl": "n.v.t."}));
    assert_parse_error(&one_step(json!([number])), "steps[0].questions[0]", "`not_applicable` does not belong to a number");
}

#[test]
fn a_missing_field_of_the_kind() {
    let single = json!({"id": "a", "kind": "single_choice", "label": {"nl": "Vraag"}});
    assert_parse_error(&one_step(json!([single])), "steps[0].questions[0]", "question `a`: a single_choice question needs `options`");

    let mut number = number("n", 0, 1);
    number.as_object_mut().unwrap().remove("max");
    assert_parse_error(&one_step(json!([number])), "steps[0].questions[0]", "needs `max`");

    let slider = json!({"id": "s", "kind": "slider", "label": {"nl": "Vraag"}, "low": {"nl": "Niet"}});
    assert_parse_error(&one_step(json!([slider])), "steps[0].questions[0]", "a slider question needs `high`");

    let long = json!({"id": "l", "kind": "long_text", "label": {"nl": "Vraag"}});
    assert_parse_error(&one_step(json!([long])), "steps[0].questions[0]", "needs `max_length`");
}

#[test]
fn a_missing_common_field() {
    let mut no_label = text("a");
    no_label.as_object_mut().unwrap().remove("label");
    assert_parse_error(&one_step(json!([no_label])), "steps[0].questions[0]", "missing field `label`");

    let mut no_kind = text("a");
    no_kind.as_object_mut().unwrap().remove("kind");
    assert_parse_error(&one_step(json!([no_kind])), "steps[0].questions[0]", "missing field `kind`");
}

#[test]
fn a_condition_with_two_tests() {
    let json = one_step(json!([choice("a", &["x"]), visible_if(text("b"), json!({"question": "a", "equals": "x", "is_unknown": true})),]));
    assert_parse_error(&json, "steps[0].questions[1].visible_if", "a condition on `a` needs exactly one of");

    let json = one_step(json!([choice("a", &["x"]), visible_if(text("b"), json!({"question": "a", "equals": "x", "one_of": ["x"]})),]));
    assert_parse_error(&json, "steps[0].questions[1].visible_if", "exactly one of");
}

#[test]
fn a_condition_without_a_test() {
    let json = one_step(json!([text("a"), visible_if(text("b"), json!({"question": "a"}))]));
    assert_parse_error(&json, "steps[0].questions[1].visible_if", "exactly one of");
}

#[test]
fn a_condition_with_is_unknown_or_not_answered_false() {
    for flag in ["is_unknown", "not_answered"] {
        let json = one_step(json!([text("a"), visible_if(text("b"), json!({"question": "a", flag: false}))]));
        assert_parse_error(&json, "steps[0].questions[1].visible_if", "can only be `true`");
    }
}

#[test]
fn an_unknown_kind() {
    let json = one_step(json!([text("a"), with(text("b"), "kind", json!("dropdown"))]));
    assert_parse_error(&json, "steps[0].questions[1].kind", "unknown variant `dropdown`");
}

#[test]
fn malformed_json_has_a_line_and_column() {
    // A trailing comma on line 3.
    let json = "{\n  \"id\": \"test\",\n  \"version\": 1,\n}\n";
    let error = parse_error(json);
    assert_eq!((error.line, error.column), (4, 1), "{error:?}");
    assert!(error.message.contains("trailing comma"), "{error:?}");
    assert!(!error.message.contains(" at line "), "the position is in line/column, not the message: {error:?}");

    // Cut off in the middle.
    let json = &one_step(json!([text("a")]))[..40];
    let error = parse_error(json);
    assert!(error.message.contains("EOF"), "{error:?}");
    assert_eq!(error.line, 1, "{error:?}");
    assert!(error.column >= 40, "{error:?}");

    // Something after the questionnaire.
    let json = format!("{}\n}}", one_step(json!([text("a")])));
    let error = parse_error(&json);
    assert_eq!((error.line, error.column), (2, 1), "{error:?}");
    assert!(error.message.contains("trailing characters"), "{error:?}");
}

#[test]
fn a_value_of_the_wrong_type() {
    let json = one_step(json!([with(number("a", 0, 1), "max", json!("23"))]));
    assert_parse_error(&json, "steps[0].questions[0].max", "invalid type");
    let json = one_step(json!([with(multiple("a", &["x"]), "max_choices", json!(-1))]));
    assert_parse_error(&json, "steps[0].questions[0].max_choices", "invalid value");
}

#[test]
fn parse_error_display_contains_the_path() {
    let json = one_step(json!([text("a"), with(text("b"), "kind", json!("dropdown"))]));
    let error = parse_error(&json);
    let display = error.to_string();
    assert!(display.contains("steps[0].questions[1].kind"), "{display}");
    assert_eq!(display, format!("steps[0].questions[1].kind: line {}, column {}: {}", error.line, error.column, error.message));

    let json = one_step(json!([with(text("a"), "options", json!([]))]));
    let display = parse_error(&json).to_string();
    assert!(display.starts_with("steps[0].questions[0]: line 1, column "), "{display}");
    assert!(display.contains("`options` does not belong"), "{display}");
}

/// A syntax error between two fields of the top object has no meaningful path; serde_path_to_error
/// calls it `?`, and `Display` shows that as if it were a path.
#[test]
fn malformed_json_display_has_no_question_mark_path() {
    for (json, shown) in [
        ("{\n  \"id\": \"test\",\n  \"version\": 1,\n}\n", "line 4, column 1: trailing comma"),
        ("{\"id\": \"test\" \"version\": 1}", "line 1, column 15: expected `,` or `}`"),
    ] {
        let error = parse_error(json);
        assert_ne!(error.path, "?", "{error:?}");
        assert_eq!(error.to_string(), shown, "{error:?}");
    }
}

/// `ParseError.column` is documented as "from 1"; an empty document gives column 0.
#[test]
fn empty_document_has_a_column_from_one() {
    for json in ["", "   "] {
        let error = parse_error(json);
        assert!(error.message.contains("EOF"), "{error:?}");
        assert!(error.line >= 1 && error.column >= 1, "{error:?}");
    }
}
