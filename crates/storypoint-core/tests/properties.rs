//! Property tests: validation never panics on any JSON, and valid stories survive JSON.
use proptest::prelude::*;
use serde_json::{Value as Json, json};
use storypoint_core::*;

/// Any JSON value, nested a little.
fn any_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
        ".{0,40}".prop_map(Json::from),
        prop::sample::select(vec!["geholpen", "unknown", "not_applicable", "under_12", "school", "", " "]).prop_map(Json::from),
        (0i64..=120).prop_map(Json::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..4).prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

/// Answers keyed mostly by real question ids, with any values.
fn any_answers() -> impl Strategy<Value = Json> {
    let q = default_questionnaire();
    let mut ids: Vec<String> = q.questions().map(|q| q.id.clone()).collect();
    ids.push("naam".into());
    let key = prop_oneof![4 => prop::sample::select(ids), 1 => ".{0,12}"];
    prop::collection::btree_map(key, any_json(), 0..20).prop_map(|m| Json::Object(m.into_iter().collect()))
}

/// A valid answer for each question of the default questionnaire (or none).
fn valid_answers() -> impl Strategy<Value = Answers> {
    let q = default_questionnaire();
    let per_question: Vec<BoxedStrategy<Option<(String, Value)>>> = q
        .questions()
        .map(|question| {
            let id = question.id.clone();
            let value: BoxedStrategy<Value> = match &question.kind {
                QuestionKind::LongText { max_length } | QuestionKind::ShortText { max_length } => {
                    prop::collection::vec(any::<char>(), 1..(*max_length as usize).min(300))
                        .prop_map(|cs| Value::Text(cs.into_iter().collect::<String>()))
                        .boxed()
                }
                QuestionKind::Slider { .. } => prop_oneof![(0i64..=100).prop_map(Value::Integer), Just(Value::Text(NOT_APPLICABLE.into()))].boxed(),
                QuestionKind::Number { min, max } => (*min..=*max).prop_map(Value::Integer).boxed(),
                kind => {
                    let values: Vec<String> = kind.option_values().unwrap().into_iter().map(String::from).collect();
                    prop::sample::select(values).prop_map(Value::Text).boxed()
                }
            };
            prop::option::weighted(0.8, value.prop_map(move |v| (id.clone(), v))).boxed()
        })
        .collect();
    per_question.prop_map(|entries| entries.into_iter().flatten().collect())
}

/// Any prefill query built from real and bogus pairs.
fn any_prefill_query() -> impl Strategy<Value = String> {
    let pair = prop_oneof![
        Just("perspective=parent".to_string()),
        Just("age_group=unknown".to_string()),
        Just("age_group=under_12".to_string()),
        Just("organisation=Wijkteam+Noord".to_string()),
        Just("organisation_type=school".to_string()),
        "[a-z_%=+]{0,20}",
    ];
    prop::collection::vec(pair, 0..5).prop_map(|pairs| pairs.join("&"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn validate_never_panics_on_any_json_answers(answers in any_answers(), query in any_prefill_query()) {
        let q = default_questionnaire();
        let prefill = Prefill::from_query(&q, &query).prefill;
        let answers: Answers = serde_json::from_value(answers).unwrap();
        let flow = Flow::new(&q, &prefill, &answers);
        let _ = flow.steps();
        match validate(&q, &prefill, &answers) {
            Ok(story) => prop_assert!(story.get("story").is_some()),
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for error in errors {
                    prop_assert!(!error.message_nl.is_empty() && !error.message(Lang::EN).is_empty());
                }
            }
        }
    }

    #[test]
    fn a_submission_of_any_json_is_parsed_or_refused_without_panic(body in any_json(), answers in any_answers()) {
        let _ = Submission::from_json(&body.to_string());
        let wrapped = json!({"questionnaire": "vertelpunt-jeugdhulp", "version": 1,
            "submission_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "lang": "nl", "answers": answers});
        let submission = Submission::from_json(&wrapped.to_string());
        prop_assert!(submission.is_ok(), "{:?}", submission);
    }

    #[test]
    fn every_valid_story_survives_a_json_round_trip(answers in valid_answers(), query in any_prefill_query()) {
        let q = default_questionnaire();
        let prefill = Prefill::from_query(&q, &query).prefill;
        // Story and perspective are required: make sure they are there.
        let answers = answers.with_text("prompt", "veilig").with_text("story", "Iets wat gebeurde.").with_text("perspective", "other");
        let story = validate(&q, &prefill, &answers).expect("valid answers make a valid story");
        let json = serde_json::to_value(&story).unwrap();
        let sent: Answers = serde_json::from_value(json["answers"].clone()).unwrap();
        prop_assert_eq!(validate(&q, &prefill, &sent).unwrap(), story.clone());
        prop_assert_eq!(validate(&q, &prefill, &story.to_answers()).unwrap(), story);
    }

    #[test]
    fn submissions_survive_a_json_round_trip(answers in valid_answers(), bytes in any::<[u8; 16]>(), en in any::<bool>(), link in proptest::option::of("[a-zA-Z0-9]{0,10}"), audio in proptest::option::of((any::<u64>(), "[0-9a-f]{64}", 0usize..3))) {
        let submission = Submission {
            questionnaire: "vertelpunt-jeugdhulp".into(),
            version: 1,
            submission_id: SubmissionId::from_random_bytes(bytes),
            link,
            lang: if en { Lang::EN } else { Lang::NL },
            answers,
            audio: audio.map(|(length, sha256, c)| AudioRef {
                length,
                sha256,
                container: [AudioContainer::Webm, AudioContainer::Ogg, AudioContainer::Mp4][c],
            }),
        };
        let json = serde_json::to_string(&submission).unwrap();
        prop_assert_eq!(Submission::from_json(&json).unwrap(), submission);
    }
}

#[test]
fn the_builder_the_widget_uses_yields_what_the_serde_path_yields() {
    let built = Answers::new()
        .with_text("prompt", "geholpen")
        .with_text("story", "Het ging goed.")
        .with_integer("seen_heard", 80)
        .with_text("effect", NOT_APPLICABLE)
        .with_choices("topics", &["school", "home"])
        .with("child_age", Value::Null);
    let parsed: Answers = serde_json::from_str(
        r#"{"prompt": "geholpen", "story": "Het ging goed.", "seen_heard": 80, "effect": "not_applicable",
            "topics": ["school", "home"], "child_age": null}"#,
    )
    .unwrap();
    assert_eq!(built, parsed);
    let q = default_questionnaire();
    let without_topics = |mut a: Answers| {
        a.remove("topics");
        a.set("perspective", Value::Text("parent".into()));
        a
    };
    assert_eq!(validate(&q, &Prefill::new(), &without_topics(built)), validate(&q, &Prefill::new(), &without_topics(parsed)));
}

#[test]
fn the_wire_format_example_parses() {
    let submission = Submission::from_json(
        r#"{ "questionnaire": "vertelpunt-jeugdhulp", "version": 1,
             "submission_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b",
             "link": "k7Q2xd9a", "lang": "nl",
             "answers": { "prompt": "geholpen", "story": "…", "seen_heard": 80, "child_age": null } }"#,
    )
    .unwrap();
    assert_eq!(submission.link.as_deref(), Some("k7Q2xd9a"));
    assert_eq!(submission.answers.get("seen_heard"), Some(&Value::Integer(80)));
    assert_eq!(submission.answers.get("child_age"), Some(&Value::Null));
    assert_eq!(submission.lang, Lang::NL);
}

#[test]
fn submission_errors_name_the_field() {
    let cases = [
        (r#"{"questionnaire": "q", "version": 1, "submission_id": "nope", "answers": {}}"#, "submission_id"),
        (r#"{"questionnaire": "q", "version": "1", "submission_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "answers": {}}"#, "version"),
        (r#"{"questionnaire": "q", "version": 1, "submission_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "lang": "de", "answers": {}}"#, "lang"),
        (r#"{"questionnaire": "q", "version": 1, "submission_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "answers": []}"#, "answers"),
        (r#"{"questionnaire": "q", "version": 1, "submission_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "answers": {}, "ip": "1.2.3.4"}"#, "ip"),
    ];
    for (json, path) in cases {
        let error = Submission::from_json(json).unwrap_err();
        assert_eq!(error.path, path, "{json}: {error}");
    }
    let missing = Submission::from_json(r#"{"questionnaire": "q", "version": 1, "answers": {}}"#).unwrap_err();
    assert!(missing.message.contains("submission_id"), "{missing}");
}

#[test]
fn numbers_with_fractions_fit_no_question_but_whole_floats_do() {
    let answers: Answers = serde_json::from_str(r#"{"seen_heard": 80.0, "effect": 12.5, "child_age": 18446744073709551615}"#).unwrap();
    assert_eq!(answers.get("seen_heard"), Some(&Value::Integer(80)));
    assert_eq!(answers.get("effect"), Some(&Value::Other));
    assert_eq!(answers.get("child_age"), Some(&Value::Other));
    let errors = validate(&default_questionnaire(), &Prefill::new(), &answers).unwrap_err();
    assert!(errors.iter().any(|e| e.question == "effect" && e.code == ErrorCode::WrongType));
}

// ---- hostile input: parsing never panics ------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// A region's file with a stretch replaced by anything: read, checked and flowed
    /// without a panic (errors are fine).
    #[test]
    fn a_mangled_questionnaire_never_panics(at in 0usize..14_000, len in 0usize..60, with in ".{0,30}", answers in any_answers()) {
        let mut text = DEFAULT_QUESTIONNAIRE_JSON.as_bytes().to_vec();
        let at = at.min(text.len());
        let end = (at + len).min(text.len());
        text.splice(at..end, with.into_bytes());
        if let Ok(text) = String::from_utf8(text) {
            if let Ok(questionnaire) = Questionnaire::from_json(&text) {
                let _ = questionnaire.check();
                let answers: Answers = serde_json::from_value(answers).unwrap();
                let flow = Flow::new(&questionnaire, &Prefill::new(), &answers);
                let _ = (flow.steps(), flow.errors());
                let _ = validate(&questionnaire, &Prefill::new(), &answers);
            }
        }
    }

    #[test]
    fn link_codes_and_prefills_of_any_text_never_panic(text in "\\PC{0,40}", bytes in prop::collection::vec(any::<u8>(), 0..40)) {
        let q = default_questionnaire();
        let _ = LinkCode::parse(&text);
        let _ = Prefill::from_query(&q, &text);
        let lossy = String::from_utf8_lossy(&bytes);
        let _ = LinkCode::parse(&lossy);
        let _ = Prefill::from_query(&q, &lossy);
        let _ = SubmissionId::parse(&lossy);
    }
}
