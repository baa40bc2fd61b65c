//! Fuzz targets for every parser that reads untrusted input, one function per target.
//!
//! Each target feeds bytes to a parser and then checks what must hold for whatever it
//! accepted (a round trip, a re-validation, prefill that the core agrees with), so the
//! fuzzer finds wrong answers as well as panics. The same functions run in two places:
//!
//! * `cargo xtask fuzz [SECONDS]` builds the `fuzz_targets/` binaries with libFuzzer and
//!   coverage instrumentation (stable Rust; no cargo-fuzz or nightly needed) and runs each
//!   for a bounded time, growing the corpus in `fuzz/corpus/<target>/`;
//! * `tests/corpus.rs` replays every file of that corpus on every `cargo test`, so an input
//!   that once broke a parser stays a regression test.
//!
//! A target returns nothing and panics only when a promise is broken.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use storypoint_core::org_table::parse_org_table;
use storypoint_core::{
    Answers, Flow, LinkCode, LinkEntry, Prefill, Questionnaire, Submission, SubmissionId, default_questionnaire, validate, validate_submission,
};

/// A fuzz target: takes any bytes, panics only on a fault.
pub type Target = fn(&[u8]);

/// Every target by name, as its directory under `fuzz/corpus/` and its binary are called.
pub const TARGETS: &[(&str, Target)] = &[("questionnaire", questionnaire), ("submission", submission), ("link", link), ("org_table", org_table)];

/// A questionnaire file: read, checked, and when it passes, flowed with no answers and
/// written back to JSON, which must read to the same questionnaire.
pub fn questionnaire(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(parsed) = Questionnaire::from_json(&text) else { return };
    if !parsed.check().is_empty() {
        return;
    }
    let again = Questionnaire::from_json(&parsed.to_json()).expect("a questionnaire we wrote reads back");
    assert_eq!(again, parsed, "JSON round trip changed the questionnaire");
    let flow = Flow::new(&parsed, &Prefill::new(), &Answers::new());
    let _ = flow.steps().len();
    let _ = validate(&parsed, &Prefill::new(), &Answers::new());
}

/// A link's query string (first line) and a posted submission (the rest): validated against
/// the default questionnaire. An accepted story must validate again to itself, keep every
/// prefilled answer, and carry the submission's questionnaire and version.
pub fn submission(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (query, body) = text.split_once('\n').unwrap_or(("", &text));
    let questionnaire = default_questionnaire();
    let prefill = Prefill::from_query(&questionnaire, query).prefill;
    let Ok(submission) = Submission::from_json(body) else { return };
    let Ok(story) = validate_submission(&questionnaire, &prefill, &submission) else { return };
    assert_eq!(story.questionnaire, submission.questionnaire);
    assert_eq!(story.version, submission.version);
    for (id, answer) in prefill.iter() {
        if let Some(kept) = story.get(id) {
            assert_eq!(kept, answer, "the prefill overrides what the teller sent for `{id}`");
        }
    }
    let again = validate(&questionnaire, &prefill, &story.to_answers()).expect("a valid story validates again");
    assert_eq!(again, story, "validating a story twice changed it");
}

/// Text from a URL: as a link code, a submission id and a prefill query. Whatever is
/// accepted round-trips, and a prefill only ever holds prefillable questions with values
/// those questions accept.
pub fn link(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(code) = LinkCode::parse(&text) {
        assert_eq!(code.as_str(), text, "a link code reads back as written");
    }
    if let Ok(id) = SubmissionId::parse(&text) {
        assert_eq!(SubmissionId::parse(&id.to_hyphenated()), Ok(id));
    }
    let questionnaire = default_questionnaire();
    let prefilled = Prefill::from_query(&questionnaire, &text);
    for (id, answer) in prefilled.prefill.iter() {
        let question = questionnaire.question(id).expect("a prefill names a real question");
        assert!(question.prefillable, "`{id}` is not prefillable but was prefilled");
        if let Some(value) = answer.as_str() {
            if question.kind.option_values().is_some() {
                assert!(question.kind.has_option(value), "`{id}={value}` is not an option");
            }
        }
    }
}

/// The coordinator's organisation table: rows or line-numbered errors; every accepted row
/// makes a link whose prefill the core takes without a warning.
pub fn org_table(data: &[u8]) {
    let questionnaire = default_questionnaire();
    match parse_org_table(data, &questionnaire) {
        Ok(rows) => {
            for row in rows {
                assert!(!row.organisation.trim().is_empty(), "an accepted row has a name");
                let entry = LinkEntry { code: LinkCode::parse("k7Q2xd9a").expect("a valid code"), organisation: row.organisation, prefill: row.prefill };
                let warnings = entry.prefill(&questionnaire).warnings;
                assert!(warnings.is_empty(), "line {}: the core refuses an imported row: {warnings:?}", row.line);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "a refusal names at least one problem");
            assert!(errors.iter().all(|e| e.line >= 1 && !e.message.is_empty()));
        }
    }
}
