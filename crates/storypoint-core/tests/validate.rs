//! Validation of a teller's answers against the default questionnaire: a table of
//! answers → expected error codes, plus the rules around prefill and hidden questions.
use storypoint_core::*;

fn full_story() -> Answers {
    Answers::new()
        .with_text("prompt", "geholpen")
        .with_text("story", "Mijn mentor belde elke week. Daardoor ging ik weer naar school.")
        .with_text("title", "De mentor die belde")
        .with_text("happened_when", "months")
        .with_text("emotion", "relieved")
        .with_text("treatment", "warm")
        .with_integer("seen_heard", 80)
        .with_text("effect", NOT_APPLICABLE)
        .with_text("system_theme", "fitting_help")
        .with_text("citizen_theme", "school")
        .with_text("perspective", "young_person")
        .with_text("age_group", "12_to_18")
        .with_text("living_situation", "at_home")
        .with_text("organisation", "Wijkteam Oost")
        .with_text("organisation_type", "neighbourhood_team")
}

/// The error codes for `answers`, by question, in order.
fn codes(answers: Answers) -> Vec<(String, &'static str)> {
    match validate(&default_questionnaire(), &Prefill::new(), &answers) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.question, e.code.as_str())).collect(),
    }
}

fn only(question: &str, code: &'static str) -> Vec<(String, &'static str)> {
    vec![(question.to_string(), code)]
}

#[test]
fn a_full_story_is_valid_and_keeps_every_answer_in_questionnaire_order() {
    let story = validate(&default_questionnaire(), &Prefill::new(), &full_story()).unwrap();
    assert_eq!(story.questionnaire, "vertelpunt-jeugdhulp");
    assert_eq!(story.version, 1);
    let ids: Vec<&str> = story.answers.iter().map(|a| a.question.as_str()).collect();
    assert_eq!(
        ids,
        [
            "prompt",
            "story",
            "title",
            "happened_when",
            "emotion",
            "treatment",
            "seen_heard",
            "effect",
            "system_theme",
            "citizen_theme",
            "perspective",
            "age_group",
            "living_situation",
            "organisation",
            "organisation_type"
        ]
    );
    assert_eq!(story.get("seen_heard"), Some(&Answer::Scale(80)));
    assert_eq!(story.get("effect"), Some(&Answer::NotApplicable));
    assert_eq!(story.get("prompt"), Some(&Answer::Choice("geholpen".into())));
    assert!(story.answers.iter().all(|a| !a.prefilled));
}

#[test]
fn the_smallest_valid_story_has_prompt_story_and_perspective() {
    let answers = Answers::new().with_text("prompt", "veilig").with_text("story", "Kort.").with_text("perspective", "child");
    let story = validate(&default_questionnaire(), &Prefill::new(), &answers).unwrap();
    assert_eq!(story.answers.len(), 3);
}

#[test]
fn table_of_invalid_answers() {
    type Case = (&'static str, Answers, Vec<(String, &'static str)>);
    let cases: Vec<Case> = vec![
        ("no story", full_story().with("story", Value::Null), only("story", "required")),
        ("blank story", full_story().with_text("story", "  \n\t "), only("story", "required")),
        ("story too long", full_story().with_text("story", &"a".repeat(5001)), only("story", "too_long")),
        ("story of exactly 5000 chars, multi-byte", full_story().with_text("story", &"é".repeat(5000)), vec![]),
        ("title too long", full_story().with_text("title", &"t".repeat(121)), only("title", "too_long")),
        ("unknown prompt", full_story().with_text("prompt", "geholpen2"), only("prompt", "unknown_option")),
        ("option in wrong case", full_story().with_text("emotion", "Happy"), only("emotion", "unknown_option")),
        ("number for a choice", full_story().with_integer("emotion", 3), only("emotion", "wrong_type")),
        ("text for a slider", full_story().with_text("seen_heard", "80"), only("seen_heard", "wrong_type")),
        ("slider above 100", full_story().with_integer("seen_heard", 101), only("seen_heard", "out_of_range")),
        ("slider below 0", full_story().with_integer("seen_heard", -1), only("seen_heard", "out_of_range")),
        ("slider at the ends", full_story().with_integer("seen_heard", 0).with_integer("effect", 100), vec![]),
        ("list for a single choice", full_story().with_choices("treatment", &["warm"]), only("treatment", "wrong_type")),
        ("bool for a text", full_story().with("title", Value::Bool(true)), only("title", "wrong_type")),
        ("object (Other) for a text", full_story().with("title", Value::Other), only("title", "wrong_type")),
        ("unknown question", full_story().with_text("naam", "Piet"), only("naam", "unknown_question")),
        ("no perspective", full_story().with("perspective", Value::Text(String::new())), only("perspective", "required")),
        (
            "several problems at once, in questionnaire order",
            full_story().with("story", Value::Null).with_integer("seen_heard", 200).with_text("perspective", "kat"),
            vec![("story".into(), "required"), ("seen_heard".into(), "out_of_range"), ("perspective".into(), "unknown_option")],
        ),
    ];
    for (name, answers, expected) in cases {
        assert_eq!(codes(answers), expected, "case: {name}");
    }
}

#[test]
fn child_age_is_asked_only_when_the_age_group_is_not_known() {
    let q = default_questionnaire();
    // Not answered, or "unknown": child_age counts and is range-checked.
    for answers in [full_story().with("age_group", Value::Null), full_story().with_text("age_group", "unknown")] {
        let story = validate(&q, &Prefill::new(), &answers.clone().with_integer("child_age", 9)).unwrap();
        assert_eq!(story.get("child_age"), Some(&Answer::Number(9)));
        assert_eq!(codes(answers.with_integer("child_age", 24)), only("child_age", "out_of_range"));
    }
    // A known age group hides child_age: its answer is dropped, not an error, even if invalid.
    let story = validate(&q, &Prefill::new(), &full_story().with_integer("child_age", 99)).unwrap();
    assert_eq!(story.get("child_age"), None);
}

#[test]
fn an_invalid_age_group_counts_as_unknown_so_child_age_is_asked() {
    // An invalid answer counts as not answered for the conditions of later questions,
    // so the teller sees the age question — and the error on age_group.
    let errors = codes(full_story().with_text("age_group", "tieners").with_integer("child_age", 30));
    assert_eq!(errors, vec![("age_group".into(), "unknown_option"), ("child_age".into(), "out_of_range")]);
}

#[test]
fn prefill_overrides_what_the_teller_sent_and_is_marked() {
    let q = default_questionnaire();
    let link = Prefill::from_query(&q, "organisation=Jeugdzorg+Twente&organisation_type=care_provider&age_group=under_12");
    assert_eq!(link.warnings, vec![]);
    // A tampered request claims another organisation and an invalid age group.
    let answers = full_story().with_text("organisation", "Iemand anders").with_text("organisation_type", "nonsense").with_text("age_group", "12_to_18");
    let story = validate(&q, &link.prefill, &answers).unwrap();
    assert_eq!(story.get("organisation"), Some(&Answer::Text("Jeugdzorg Twente".into())));
    assert_eq!(story.get("organisation_type"), Some(&Answer::Choice("care_provider".into())));
    assert_eq!(story.get("age_group"), Some(&Answer::Choice("under_12".into())));
    let prefilled: Vec<&str> = story.answers.iter().filter(|a| a.prefilled).map(|a| a.question.as_str()).collect();
    assert_eq!(prefilled, ["age_group", "organisation", "organisation_type"]);
}

#[test]
fn a_required_question_that_is_prefilled_needs_no_answer() {
    let q = default_questionnaire();
    let link = Prefill::from_query(&q, "perspective=parent");
    let answers = Answers::new().with_text("prompt", "veilig").with_text("story", "…");
    let story = validate(&q, &link.prefill, &answers).unwrap();
    assert_eq!(story.get("perspective"), Some(&Answer::Choice("parent".into())));
}

#[test]
fn multiple_choice_answers_are_kept_once_in_questionnaire_order() {
    let q = Questionnaire::from_json(&small_questionnaire(serde_json::json!({
        "id": "topics", "kind": "multiple_choice", "label": {"nl": "Onderwerpen"}, "max_choices": 2,
        "options": [
            {"value": "school", "label": {"nl": "School"}},
            {"value": "home", "label": {"nl": "Thuis"}},
            {"value": "sport", "label": {"nl": "Sport"}}
        ]
    })))
    .unwrap();
    let check = |value: Value| validate(&q, &Prefill::new(), &Answers::new().with("topics", value));
    let story = check(Value::List(vec![Value::Text("sport".into()), Value::Text("school".into()), Value::Text("sport".into())])).unwrap();
    assert_eq!(story.get("topics"), Some(&Answer::Choices(vec!["school".into(), "sport".into()])));
    let codes = |value| check(value).unwrap_err().into_iter().map(|e| e.code.as_str()).collect::<Vec<_>>();
    assert_eq!(codes(Value::List(vec![Value::Text("school".into()), Value::Text("home".into()), Value::Text("sport".into())])), ["too_many"]);
    assert_eq!(codes(Value::List(vec![Value::Text("swim".into())])), ["unknown_option"]);
    assert_eq!(codes(Value::List(vec![Value::Integer(1)])), ["wrong_type"]);
    assert_eq!(codes(Value::Text("school".into())), ["wrong_type"]);
    // An empty list is not answered, and the question is optional.
    assert_eq!(check(Value::List(vec![])).unwrap().answers, vec![]);
}

#[test]
fn a_slider_without_not_applicable_rejects_it() {
    let q = Questionnaire::from_json(&small_questionnaire(serde_json::json!({
        "id": "mood", "kind": "slider", "label": {"nl": "Hoe ging het?"},
        "low": {"nl": "Slecht"}, "high": {"nl": "Goed"}
    })))
    .unwrap();
    let errors = validate(&q, &Prefill::new(), &Answers::new().with_text("mood", NOT_APPLICABLE)).unwrap_err();
    assert_eq!(errors[0].code, ErrorCode::OutOfRange { min: 0, max: 100 });
}

#[test]
fn messages_name_the_limit_in_dutch_and_english() {
    let errors = validate(&default_questionnaire(), &Prefill::new(), &full_story().with_text("title", &"x".repeat(500))).unwrap_err();
    assert_eq!(errors[0].message_nl, "Dit is te lang. Je kunt maximaal 120 tekens gebruiken.");
    assert_eq!(errors[0].message(Lang::EN), "This is too long. You can use at most 120 characters.");
    assert_eq!(errors[0].message(Lang::NL), errors[0].message_nl);
    let errors =
        validate(&default_questionnaire(), &Prefill::new(), &full_story().with_text("age_group", "unknown").with_integer("child_age", -3)).unwrap_err();
    assert_eq!(errors[0].message_nl, "Kies een getal van 0 tot en met 23.");
    assert_eq!(errors[0].message(Lang::EN), "Choose a number from 0 to 23.");
}

#[test]
fn validation_errors_serialize_with_code_and_both_messages() {
    let errors = validate(&default_questionnaire(), &Prefill::new(), &full_story().with("story", Value::Null)).unwrap_err();
    let json = serde_json::to_value(&errors).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"question": "story", "code": "required",
            "message_nl": "Deze vraag moet je invullen.", "message_en": "Please answer this question."}])
    );
}

#[test]
fn a_submission_for_another_questionnaire_or_version_is_refused() {
    let q = default_questionnaire();
    let mut submission = Submission {
        questionnaire: "vertelpunt-jeugdhulp".into(),
        version: 1,
        submission_id: SubmissionId::from_random_bytes([7; 16]),
        link: None,
        lang: Lang::NL,
        answers: full_story(),
        audio: None,
    };
    assert!(validate_submission(&q, &Prefill::new(), &submission).is_ok());
    submission.version = 2;
    submission.questionnaire = "andere-lijst".into();
    submission.answers.set("story", Value::Null);
    let errors = validate_submission(&q, &Prefill::new(), &submission).unwrap_err();
    let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.question.as_str(), e.code.as_str())).collect();
    assert_eq!(codes, [("questionnaire", "wrong_questionnaire"), ("version", "wrong_version"), ("story", "required")]);
}

#[test]
fn a_spoken_story_needs_no_typed_text_but_everything_else_still_counts() {
    let q = default_questionnaire();
    let sha = "a".repeat(64);
    let json = format!(
        r#"{{"questionnaire": "vertelpunt-jeugdhulp", "version": 1, "submission_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b",
            "lang": "nl", "answers": {{"prompt": "geholpen", "perspective": "child", "title": "Mijn juf"}},
            "audio": {{"length": 4096, "sha256": "{sha}", "mime": "audio/webm;codecs=opus"}}}}"#
    );
    let submission = Submission::from_json(&json).unwrap();
    let audio = submission.audio.clone().unwrap();
    assert_eq!((audio.length, audio.container), (4096, AudioContainer::Webm));
    let story = validate_submission(&q, &Prefill::new(), &submission).expect("spoken: no text needed");
    assert!(story.get("story").is_none());
    assert_eq!(story.get("title").and_then(|a| a.as_str()), Some("Mijn juf"), "a typed title is kept");

    let mut typed = submission.clone();
    typed.audio = None;
    let errors = validate_submission(&q, &Prefill::new(), &typed).unwrap_err();
    assert_eq!(errors.iter().map(|e| e.question.as_str()).collect::<Vec<_>>(), ["story"], "not spoken: the text is required");

    let mut no_perspective = submission.clone();
    no_perspective.answers.remove("perspective");
    let errors = validate_submission(&q, &Prefill::new(), &no_perspective).unwrap_err();
    assert_eq!(errors.iter().map(|e| e.question.as_str()).collect::<Vec<_>>(), ["perspective"], "other required questions still are");

    for (bad, field) in [(json.replace(&sha, "ABC"), "sha256"), (json.replace("audio/webm;codecs=opus", "video/avi"), "mime")] {
        let error = Submission::from_json(&bad).unwrap_err();
        assert!(error.to_string().contains(field), "{error}");
    }
}

/// A one-step questionnaire around one question.
fn small_questionnaire(question: serde_json::Value) -> String {
    serde_json::json!({
        "id": "klein", "version": 1, "languages": ["nl"], "title": {"nl": "Klein"},
        "steps": [{"id": "een", "title": {"nl": "Een"}, "questions": [question]}]
    })
    .to_string()
}

#[test]
fn char_count_counts_characters_like_the_teller_sees_them() {
    for text in ["", "abc", "café", "één", "👍🏽 ok", "日本語", "\u{0}"] {
        assert_eq!(char_count(text), text.chars().count(), "{text}");
    }
}
