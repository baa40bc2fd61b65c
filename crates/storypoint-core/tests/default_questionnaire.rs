//! The default questionnaire: its contract, its check, and the static data generated from it.
use storypoint_core::*;

const GENERATED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated/vertelpunt_jeugdhulp.rs");

fn parsed() -> Questionnaire {
    Questionnaire::from_json(DEFAULT_QUESTIONNAIRE_JSON).unwrap_or_else(|e| panic!("vertelpunt-jeugdhulp.json: {e}"))
}

#[test]
fn default_questionnaire_passes_check() {
    let problems = parsed().check();
    assert!(problems.is_empty(), "problems: {problems:#?}");
}

#[test]
fn generated_static_data_is_fresh() {
    let source = rust_source(&parsed());
    let on_disk = std::fs::read_to_string(GENERATED).unwrap_or_default();
    if on_disk != source {
        std::fs::write(GENERATED, &source).unwrap();
        panic!("{GENERATED} was stale and has been regenerated from questionnaires/vertelpunt-jeugdhulp.json; rebuild and commit it");
    }
}

#[test]
fn static_data_is_exactly_what_the_json_parses_to() {
    assert_eq!(default_questionnaire(), parsed());
}

#[test]
fn json_round_trip_keeps_everything() {
    let q = parsed();
    assert_eq!(Questionnaire::from_json(&q.to_json()).unwrap(), q);
}

/// The ids and option values from the contract table in architecture.md.
#[test]
fn holds_every_contract_id_and_option_value() {
    let q = default_questionnaire();
    assert_eq!((q.id.as_str(), q.version), ("vertelpunt-jeugdhulp", 1));
    assert_eq!(q.languages, [Lang::NL], "other languages are in translations/");
    let contract: &[(&str, &str, &[&str])] = &[
        ("prompt", "prompt_choice", &["geholpen", "veilig", "gewoon_leven", "passend_onderwijs"]),
        ("story", "long_text", &[]),
        ("title", "short_text", &[]),
        ("happened_when", "single_choice", &["days", "weeks", "months", "years"]),
        ("perspective", "single_choice", &["child", "young_person", "parent", "professional", "other"]),
        ("age_group", "single_choice", &["under_12", "12_to_18", "unknown"]),
        ("child_age", "number", &[]),
        ("living_situation", "single_choice", &["at_home", "foster_or_family_home", "institution_or_protected_living", "other"]),
        ("emotion", "single_choice", &["angry", "sad", "afraid", "surprised", "relieved", "happy", "proud"]),
        ("seen_heard", "slider", &[]),
        ("effect", "slider", &[]),
        ("treatment", "single_choice", &["warm", "respectful", "businesslike", "distant", "disrespectful"]),
        ("system_theme", "single_choice", &["find_help", "waiting", "fitting_help", "cooperation", "rules_and_money", "safety", "other"]),
        ("citizen_theme", "single_choice", &["ordinary_life", "safe_home", "school", "family_and_friends", "being_heard", "own_say", "other"]),
        ("organisation", "short_text", &[]),
        ("organisation_type", "single_choice", &["care_provider", "neighbourhood_team", "school", "gp", "municipality", "youth_protection", "other"]),
    ];
    for (id, kind, values) in contract {
        let question = q.question(id).unwrap_or_else(|| panic!("question `{id}` is missing"));
        assert_eq!(question.kind.name(), *kind, "{id}");
        if !values.is_empty() {
            assert_eq!(question.kind.option_values().unwrap(), *values, "{id}");
        }
    }
    assert_eq!(q.questions().count(), contract.len(), "a question outside the contract table");
    assert!(q.question("story").unwrap().required);
    for id in ["perspective", "age_group", "organisation", "organisation_type"] {
        assert!(q.question(id).unwrap().prefillable, "{id} must be prefillable");
    }
    assert_eq!(q.question("child_age").unwrap().kind, QuestionKind::Number { min: 0, max: 23 });
    for id in ["seen_heard", "effect"] {
        assert!(matches!(&q.question(id).unwrap().kind, QuestionKind::Slider { not_applicable: Some(_), .. }), "{id} allows n.v.t.");
    }
}

#[test]
fn every_text_is_in_dutch_here_and_in_english_in_its_translation() {
    // The file holds Dutch only; English is a translation file like every other language.
    let json: serde_json::Value = serde_json::from_str(DEFAULT_QUESTIONNAIRE_JSON).unwrap();
    fn walk(value: &serde_json::Value, path: &str, texts: &mut usize) {
        match value {
            serde_json::Value::Object(map) if map.contains_key("nl") => {
                *texts += 1;
                let text = map.get("nl").and_then(|v| v.as_str()).unwrap_or("");
                assert!(!text.trim().is_empty(), "{path}.nl is empty");
                assert_eq!(map.len(), 1, "{path}: only Dutch here, other languages in translations/");
            }
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, &format!("{path}.{k}"), texts)),
            serde_json::Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, &format!("{path}[{i}]"), texts)),
            _ => {}
        }
    }
    let mut texts = 0;
    walk(&json, "$", &mut texts);
    let q = default_questionnaire();
    assert_eq!(q.text_keys().len(), texts, "one key per text");
    let english = storypoint_core::shipped(Lang::EN).expect("translations/en.json");
    assert_eq!(english.missing_texts(&q), Vec::<String>::new());
    assert!(texts > 80, "only {texts} texts found");
}

// ---- the generator of src/generated/vertelpunt_jeugdhulp.rs -----------------------------

fn rust_source(q: &Questionnaire) -> String {
    let mut out = String::new();
    out.push_str("// @generated from questionnaires/vertelpunt-jeugdhulp.json by the test\n");
    out.push_str("// `generated_static_data_is_fresh` (crates/storypoint-core/tests/default_questionnaire.rs).\n");
    out.push_str("// Do not edit: change the JSON file and run `cargo test -p storypoint-core`.\n");
    out.push_str("use super::{SCondition, SKind, SQuestion, SQuestionnaire, SStep, SText};\nuse crate::text::Lang;\n\n");
    out.push_str("pub(super) static QUESTIONNAIRE: SQuestionnaire = SQuestionnaire {\n");
    out.push_str(&format!("    id: {:?},\n    version: {},\n", q.id, q.version));
    let langs: Vec<String> = q.languages.iter().map(|l| format!("Lang::{}", l.code().to_uppercase())).collect();
    out.push_str(&format!("    languages: &[{}],\n", langs.join(", ")));
    out.push_str(&format!("    title: {},\n    steps: &[\n", text(&q.title)));
    for step in &q.steps {
        out.push_str(&format!(
            "        SStep {{\n            id: {:?},\n            title: {},\n            intro: {},\n            questions: &[\n",
            step.id,
            text(&step.title),
            opt_text(&step.intro)
        ));
        for question in &step.questions {
            out.push_str(&format!(
                "                SQuestion {{\n                    id: {:?},\n                    label: {},\n                    help: {},\n                    required: {},\n                    prefillable: {},\n                    visible_if: {},\n                    kind: {},\n                }},\n",
                question.id,
                text(&question.label),
                opt_text(&question.help),
                question.required,
                question.prefillable,
                condition(&question.visible_if),
                kind(&question.kind)
            ));
        }
        out.push_str("            ],\n        },\n");
    }
    out.push_str("    ],\n};\n");
    out
}

fn text(t: &Text) -> String {
    format!("SText({:?}, {:?})", t.nl, t.exact(Lang::EN))
}

fn opt_text(t: &Option<Text>) -> String {
    t.as_ref().map_or("None".into(), |t| format!("Some({})", text(t)))
}

fn condition(c: &Option<Condition>) -> String {
    let Some(c) = c else { return "None".into() };
    let test = match &c.test {
        ConditionTest::Equals(v) => format!("SCondition::Equals({v:?})"),
        ConditionTest::OneOf(vs) => format!("SCondition::OneOf(&{vs:?})"),
        ConditionTest::IsUnknown => "SCondition::IsUnknown".into(),
        ConditionTest::NotAnswered => "SCondition::NotAnswered".into(),
    };
    format!("Some(({:?}, {test}))", c.question)
}

fn options(options: &[ChoiceOption]) -> String {
    let items: Vec<String> = options.iter().map(|o| format!("                        ({:?}, {}),\n", o.value, text(&o.label))).collect();
    format!("&[\n{}                    ]", items.concat())
}

fn kind(k: &QuestionKind) -> String {
    match k {
        QuestionKind::PromptChoice { prompts } => {
            let items: Vec<String> =
                prompts.iter().map(|p| format!("                        ({:?}, {}, {}),\n", p.value, text(&p.title), text(&p.text))).collect();
            format!("SKind::PromptChoice(&[\n{}                    ])", items.concat())
        }
        QuestionKind::LongText { max_length } => format!("SKind::LongText({max_length})"),
        QuestionKind::ShortText { max_length } => format!("SKind::ShortText({max_length})"),
        QuestionKind::SingleChoice { options: o } => format!("SKind::SingleChoice({})", options(o)),
        QuestionKind::MultipleChoice { options: o, max_choices } => {
            format!("SKind::MultipleChoice({}, {max_choices:?})", options(o))
        }
        QuestionKind::Slider { low, high, not_applicable } => {
            format!("SKind::Slider({}, {}, {})", text(low), text(high), opt_text(not_applicable))
        }
        QuestionKind::Number { min, max } => format!("SKind::Number({min}, {max})"),
    }
}

#[test]
fn option_label_gives_what_the_teller_saw() {
    let q = default_questionnaire();
    let perspective = &q.question("perspective").unwrap().kind;
    assert_eq!(perspective.option_label("child").unwrap().get(Lang::NL), "Kind (jonger dan 12 jaar)");
    assert_eq!(perspective.option_label("parent").unwrap().get(Lang::EN), "Ouder, verzorger of familie", "no English in the file");
    let mut english = q.clone();
    english.translate(storypoint_core::shipped(Lang::EN).unwrap());
    let perspective_en = &english.question("perspective").unwrap().kind;
    assert_eq!(perspective_en.option_label("parent").unwrap().get(Lang::EN), "Parent, carer or family");
    assert!(perspective.option_label("alien").is_none());
    assert!(!perspective.has_option("alien"));
    let prompt = &q.question("prompt").unwrap().kind;
    let first = prompt.option_values().unwrap()[0];
    assert!(prompt.option_label(first).is_some(), "a prompt's title is its label");
    assert!(q.question("story").unwrap().kind.option_label("child").is_none(), "a text question has no options");
}

#[test]
fn a_campaign_narrows_the_prompts_and_nothing_else() {
    let q = default_questionnaire();
    let narrowed = q.with_prompts(&["veilig".to_string(), "geholpen".to_string()]).unwrap();
    assert_eq!(narrowed.question("prompt").unwrap().kind.option_values().unwrap(), ["geholpen", "veilig"], "the questionnaire's order");
    assert_eq!(narrowed.questions().count(), q.questions().count());
    assert!(narrowed.check().is_empty());
    let answers = Answers::new().with_text("prompt", "gewoon_leven").with_text("story", "Verhaal").with_text("perspective", "child");
    let errors = validate(&narrowed, &Prefill::new(), &answers).unwrap_err();
    assert_eq!(errors.iter().map(|e| (e.question.as_str(), e.code.as_str())).collect::<Vec<_>>(), [("prompt", "unknown_option")]);
    assert_eq!(q.with_prompts(&["bestaat_niet".to_string()]).unwrap_err(), "bestaat_niet");
}
