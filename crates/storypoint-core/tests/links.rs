//! Link codes, link tables and prefill: a bad link never blocks a teller.
use rand::SeedableRng;
use storypoint_core::*;

#[test]
fn generated_codes_are_8_unambiguous_characters_and_parse_back() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..2000 {
        let code = LinkCode::generate(&mut rng);
        let text = code.as_str();
        assert_eq!(text.len(), 8);
        assert!(text.chars().all(|c| c.is_ascii_alphanumeric() && !"0Oo1lIi".contains(c)), "{text}");
        assert_eq!(LinkCode::parse(text), Ok(code));
        assert_eq!(text.parse::<LinkCode>(), Ok(code));
        assert!(seen.insert(code), "a repeated code in 2000: {text}");
    }
}

#[test]
fn every_character_of_the_alphabet_is_used_evenly() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let mut counts = std::collections::HashMap::new();
    for _ in 0..5500 {
        for c in LinkCode::generate(&mut rng).as_str().chars() {
            *counts.entry(c).or_insert(0u32) += 1;
        }
    }
    assert_eq!(counts.len(), 55);
    // 44,000 characters over 55 symbols: 800 each expected.
    for (c, n) in counts {
        assert!((650..950).contains(&n), "{c}: {n}");
    }
}

#[test]
fn anything_else_is_not_a_link_code() {
    assert_eq!(LinkCode::parse("k7Q2xd9"), Err(LinkCodeError::WrongLength(7)));
    assert_eq!(LinkCode::parse("k7Q2xd9ab"), Err(LinkCodeError::WrongLength(9)));
    assert_eq!(LinkCode::parse(""), Err(LinkCodeError::WrongLength(0)));
    assert_eq!(LinkCode::parse("k7Q2xd0a"), Err(LinkCodeError::BadCharacter('0')));
    assert_eq!(LinkCode::parse("k7Q2xdIa"), Err(LinkCodeError::BadCharacter('I')));
    assert_eq!(LinkCode::parse("k7Q2x-9a"), Err(LinkCodeError::BadCharacter('-')));
    assert_eq!(LinkCode::parse("k7Q2xd9é"), Err(LinkCodeError::BadCharacter('é')));
    assert!(LinkCode::parse("k7Q2xd9a").is_ok());
    let message = LinkCode::parse("k7Q2").unwrap_err().to_string();
    assert_eq!(message, "a link code has 8 characters, this one has 4");
}

fn table() -> LinkTable {
    LinkTable::from_json(
        r#"[
            {"code": "k7Q2xd9a", "organisation": "Basisschool De Linde",
             "prefill": {"organisation_type": "school", "age_group": "under_12"}},
            {"code": "Ab3dEf7h", "organisation": "Jeugdhulp Oost",
             "prefill": {"organisation_type": "care_provider", "age_group": "unknown", "perspective": "huisdier"}}
        ]"#,
    )
    .unwrap()
}

#[test]
fn a_link_prefills_its_organisation_and_answers() {
    let q = default_questionnaire();
    let entry = table().find("k7Q2xd9a").cloned().unwrap();
    let link = entry.prefill(&q);
    assert_eq!(link.warnings, vec![]);
    assert_eq!(link.prefill.get("organisation"), Some(&Answer::Text("Basisschool De Linde".into())));
    assert_eq!(link.prefill.get("organisation_type"), Some(&Answer::Choice("school".into())));
    assert_eq!(link.prefill.get("age_group"), Some(&Answer::Choice("under_12".into())));
}

#[test]
fn a_bad_value_in_a_link_is_dropped_with_a_warning_and_asked_instead() {
    let q = default_questionnaire();
    let link = table().find(" Ab3dEf7h ").unwrap().prefill(&q);
    assert_eq!(link.warnings, vec![PrefillWarning::InvalidValue { question: "perspective".into(), value: "huisdier".into(), reason: "unknown_option" }]);
    assert_eq!(link.prefill.get("perspective"), None);
    let flow = Flow::new(&q, &link.prefill, &Answers::new());
    assert!(flow.is_asked("perspective"));
    assert!(flow.is_asked("child_age"), "age_group unknown → the age is asked");
}

#[test]
fn unknown_and_malformed_codes_find_nothing() {
    let table = table();
    assert!(table.find("zzzzzzzz").is_none());
    assert!(table.find("k7Q2xd9").is_none());
    assert!(table.find("<script>").is_none());
}

#[test]
fn a_link_table_with_a_bad_code_is_refused_naming_the_row() {
    let error = LinkTable::from_json(r#"[{"code": "k7Q2xd9a", "organisation": "A"}, {"code": "OOOO", "organisation": "B"}]"#).unwrap_err();
    assert_eq!(error.path, "[1].code");
    assert!(error.message.contains("8 characters"), "{}", error.message);
}

#[test]
fn link_tables_round_trip_through_json() {
    let table = table();
    let json = serde_json::to_string(&table).unwrap();
    assert_eq!(LinkTable::from_json(&json).unwrap(), table);
}

#[test]
fn prefill_from_the_page_attribute_drops_what_does_not_fit() {
    let q = default_questionnaire();
    let result =
        Prefill::from_query(&q, "?perspective=parent&age_group=tieners&story=hallo&naam=Piet&broken&child_age=%zz&age_group=&organisation=Caf%C3%A9+Zorg");
    assert_eq!(result.prefill.get("perspective"), Some(&Answer::Choice("parent".into())));
    assert_eq!(result.prefill.get("organisation"), Some(&Answer::Text("Café Zorg".into())));
    assert_eq!(result.prefill.get("age_group"), None);
    assert_eq!(
        result.warnings,
        vec![
            PrefillWarning::Malformed { part: "broken".into() },
            PrefillWarning::Malformed { part: "child_age=%zz".into() },
            PrefillWarning::InvalidValue { question: "age_group".into(), value: "tieners".into(), reason: "unknown_option" },
            PrefillWarning::NotPrefillable { question: "story".into() },
            PrefillWarning::UnknownQuestion { question: "naam".into() },
            PrefillWarning::InvalidValue { question: "age_group".into(), value: String::new(), reason: "empty" },
        ]
    );
    let shown: Vec<String> = result.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(shown[3], "prefill `story`: this question cannot be prefilled; ignored, it is asked");
}

#[test]
fn a_number_question_can_be_prefilled_from_text() {
    let q = Questionnaire::from_json(
        &serde_json::json!({
            "id": "n", "version": 1, "languages": ["nl"], "title": {"nl": "N"},
            "steps": [{"id": "s", "title": {"nl": "S"}, "questions": [
                {"id": "age", "kind": "number", "label": {"nl": "Leeftijd"}, "min": 0, "max": 23, "prefillable": true}]}]
        })
        .to_string(),
    )
    .unwrap();
    assert_eq!(Prefill::from_query(&q, "age=12").prefill.get("age"), Some(&Answer::Number(12)));
    let out_of_range = Prefill::from_query(&q, "age=40");
    assert_eq!(out_of_range.warnings[0], PrefillWarning::InvalidValue { question: "age".into(), value: "40".into(), reason: "out_of_range" });
    let not_a_number = Prefill::from_query(&q, "age=twaalf");
    assert_eq!(not_a_number.warnings[0], PrefillWarning::InvalidValue { question: "age".into(), value: "twaalf".into(), reason: "wrong_type" });
}

#[test]
fn the_link_prefill_wins_over_the_page_prefill() {
    let q = default_questionnaire();
    let link = Prefill::from_query(&q, "organisation_type=school").prefill;
    let page = Prefill::from_query(&q, "organisation_type=gp&perspective=parent").prefill;
    let both = link.with_fallback(&page);
    assert_eq!(both.get("organisation_type"), Some(&Answer::Choice("school".into())));
    assert_eq!(both.get("perspective"), Some(&Answer::Choice("parent".into())));
}
