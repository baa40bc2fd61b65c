//! The shipped translations (`translations/*.json`) against the default questionnaire and
//! the Dutch widget words, and the translation machinery itself.
use storypoint_core::{Direction, ErrorCode, Lang, Questionnaire, Text, Translation, default_questionnaire, shipped, shipped_files, shipped_translations};

fn lang(code: &str) -> Lang {
    Lang::from_tag(code).unwrap()
}

fn dutch() -> &'static Translation {
    shipped(Lang::NL).expect("translations/nl.json, the source of the widget's words")
}

#[test]
fn shipped_translations_are_complete() {
    let questionnaire = default_questionnaire();
    assert!(shipped_files().len() >= 6, "nl, en, ar, fy, tr, pl at least");
    assert_eq!(shipped_files()[0].0, "nl", "Dutch first");
    for (code, json) in shipped_files() {
        let translation = Translation::from_json(json).unwrap_or_else(|e| panic!("translations/{code}.json: {e}"));
        assert_eq!(translation.lang.code(), *code, "translations/{code}.json says it is `{}`", translation.lang.code());
        let problems = translation.check(&questionnaire, dutch());
        assert!(problems.is_empty(), "translations/{code}.json:\n{}", problems.iter().map(|p| format!("  {p}\n")).collect::<String>());
    }
    assert_eq!(shipped_translations().len(), shipped_files().len(), "every file reads");
    // The five shipped today are complete. A new language may start with the widget's
    // words and messages only (its questions then show in Dutch; say so in its `note`).
    for code in ["en", "ar", "fy", "tr", "pl"] {
        assert_eq!(shipped(lang(code)).unwrap().missing_texts(&questionnaire), Vec::<String>::new(), "{code}");
    }
    assert_eq!(shipped(lang("ar")).unwrap().dir, Direction::Rtl);
    assert_eq!(shipped(lang("fy")).unwrap().dir, Direction::Ltr);
}

#[test]
fn a_translation_shows_its_texts_and_dutch_where_it_has_none() {
    let mut q = default_questionnaire();
    let mut frisian = shipped(lang("fy")).unwrap().clone();
    frisian.texts = vec![("questions.story.label".into(), "Dyn ferhaal".into())];
    q.translate(&frisian);
    assert_eq!(q.question("story").unwrap().label.get(lang("fy")), "Dyn ferhaal");
    assert_eq!(q.question("title").unwrap().label.get(lang("fy")), "Geef je verhaal een titel", "Dutch where it has none");
    assert_eq!(q.question("story").unwrap().label.get(Lang::NL), "Jouw verhaal", "Dutch untouched");

    let mut arabic = default_questionnaire();
    arabic.translate(shipped(lang("ar")).unwrap());
    let ar = lang("ar");
    assert_eq!(arabic.question("perspective").unwrap().kind.option_label("child").unwrap().get(ar), "طفل (أقل من 12 سنة)");
    assert_eq!(arabic.step("about_you").unwrap().title.get(ar), "عنك");
    match &arabic.question("prompt").unwrap().kind {
        storypoint_core::QuestionKind::PromptChoice { prompts } => assert_eq!(prompts[1].title.get(ar), "الأمان…"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn messages_fill_in_their_numbers_and_fall_back_to_dutch() {
    let english = shipped(Lang::EN).unwrap();
    assert_eq!(english.message(ErrorCode::OutOfRange { min: 0, max: 100 }).unwrap(), "Choose a number from 0 to 100.");
    assert_eq!(english.message(ErrorCode::TooLong { max: 5000 }).unwrap(), "This is too long. You can use at most 5000 characters.");
    let turkish = shipped(lang("tr")).unwrap();
    assert_eq!(turkish.message(ErrorCode::OutOfRange { min: -3, max: 7 }).unwrap(), "-3 ile 7 arasında bir sayı seç.");
    let mut odd = Translation { lang: lang("xx"), ..Translation::default() };
    odd.messages = vec![("too_many".into(), "{at most} {max}{".into())];
    assert_eq!(odd.message(ErrorCode::TooMany { max: 2 }).unwrap(), "{at most} 2{", "an unknown brace stays as it is");
    assert_eq!(odd.message(ErrorCode::Required), None, "the caller shows the Dutch one");
    let error = storypoint_core::ValidationError::new("story", ErrorCode::Required);
    assert_eq!(error.message(lang("pl")), "Odpowiedz na to pytanie.");
    assert_eq!(error.message(lang("de")), "Deze vraag moet je invullen.", "no German file: Dutch");
}

#[test]
fn the_check_names_every_key_that_names_nothing() {
    let json = r#"{
        "lang": "fy", "name": "Frysk", "name_nl": "", "dir": "ltr",
        "widget": {"next": "Folgjende", "nextt": "typo"},
        "messages": {"required": "Ynfolje!", "too_long": "Te lang", "bogus": "?"},
        "questionnaire": {"questions.story.label": "Dyn ferhaal", "questions.naam.label": "Namme",
                          "questions.perspective.options.alien": "Frjemd", "steps.story.title": "Ferhaal"}
    }"#;
    let translation = Translation::from_json(json).unwrap();
    let problems = translation.check(&default_questionnaire(), dutch());
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    for expected in [
        "name",
        "widget.back",
        "widget.nextt",
        "messages.too_long",
        "messages.out_of_range",
        "messages.bogus",
        "questionnaire.questions.naam.label",
        "questionnaire.questions.perspective.options.alien",
    ] {
        assert!(paths.contains(&expected), "{expected} not in {paths:?}");
    }
    assert!(!paths.contains(&"widget.next"));
    assert!(!paths.contains(&"questionnaire.steps.story.title"));
    assert!(!paths.contains(&"messages.required"));
}

#[test]
fn translation_files_that_do_not_read_say_where() {
    let bad_code = Translation::from_json(r#"{"lang": "Arabic", "name": "x", "name_nl": "x"}"#).unwrap_err();
    assert_eq!(bad_code.path, "lang");
    let bad_dir = Translation::from_json(r#"{"lang": "ar", "name": "x", "name_nl": "x", "dir": "up"}"#).unwrap_err();
    assert_eq!(bad_dir.path, "dir");
    let unknown = Translation::from_json(r#"{"lang": "ar", "name": "x", "name_nl": "x", "words": {}}"#).unwrap_err();
    assert!(unknown.message.contains("words"), "{unknown}");
}

#[test]
fn inline_texts_in_any_language_still_read_and_write() {
    let json = default_questionnaire().to_json().replace(r#""nl": "Jouw verhaal""#, r#""nl": "Jouw verhaal", "fy": "Dyn ferhaal""#);
    let q = Questionnaire::from_json(&json).unwrap();
    assert_eq!(q.step("story").unwrap().title.get(lang("fy")), "Dyn ferhaal");
    assert_eq!(Questionnaire::from_json(&q.to_json()).unwrap(), q, "round trip");
    let wrong = default_questionnaire().to_json().replace(r#""nl": "Jouw verhaal""#, r#""nl": "Jouw verhaal", "Frysk": "x""#);
    assert!(Questionnaire::from_json(&wrong).is_err());
    assert_eq!(Text::new("Ja", "Yes").get(Lang::EN), "Yes");
}

#[test]
fn submissions_in_shipped_languages_are_accepted_and_others_refused() {
    let body = |lang: &str| {
        format!(
            r#"{{"questionnaire": "vertelpunt-jeugdhulp", "version": 1, "submission_id": "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "lang": "{lang}", "answers": {{}}}}"#
        )
    };
    for code in ["nl", "en", "fy", "ar", "tr", "pl"] {
        let submission = storypoint_core::Submission::from_json(&body(code)).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(submission.lang.code(), code);
    }
    for code in ["de", "EN", "klingon", ""] {
        let error = storypoint_core::Submission::from_json(&body(code)).unwrap_err();
        assert_eq!(error.path, "lang", "{code}: {error}");
    }
}

#[test]
fn the_recorders_dutch_words_are_those_of_the_dutch_file() {
    // voice.js carries its Dutch words itself (it is loaded apart from the wasm); they must
    // be the ones other languages translate.
    const VOICE_JS: &str = include_str!("../../storypoint-wasm/src/voice.js");
    assert!(!dutch().voice.is_empty());
    for (key, word) in &dutch().voice {
        assert!(VOICE_JS.contains(&format!("{key}: {}", serde_json::to_string(word).unwrap())), "voice.js lacks {key}: {word:?}");
    }
    let mut broken = shipped(lang("ar")).unwrap().clone();
    broken.voice.retain(|(key, _)| key != "stop");
    for (key, text) in &mut broken.voice {
        if key == "kept" {
            *text = "محفوظ".into();
        }
    }
    let problems = broken.check(&default_questionnaire(), dutch());
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["voice.kept", "voice.stop"], "{problems:?}");
    assert!(problems[0].message.contains("{time}"));
}
