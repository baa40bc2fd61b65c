//! The widget's own words (the questions' words come from the questionnaire), from the
//! teller's language file `lang/{code}.json` beside the bundle (made from
//! `translations/{code}.json` by `cargo xtask dist`; a word it lacks is the Dutch one there):
//! Dutch's, `lang/nl.json`, fetched by the element beside the wasm, another language's when
//! the `lang` attribute asks for it. A message it lacks is shown in Dutch.
//! Answers in words for the review come from here too.
use crate::prelude::*;
use storypoint_core::{Answer, Lang, NOT_APPLICABLE, Question, QuestionKind, ValidationError, push_int};
use wasm_bindgen::JsValue;

use crate::json::get;

/// The words of one widget: the teller's language (the parsed `lang/{code}.json`, where
/// `cargo xtask dist` put the Dutch word for any the translation lacks).
pub struct Words {
    chosen: JsValue,
}

impl Words {
    /// The words of `chosen` (a parsed `lang/{code}.json`, `lang/nl.json` for Dutch).
    pub fn new(chosen: JsValue) -> Words {
        Words { chosen }
    }

    /// The word for `key` (a key of `translations/nl.json`'s `widget`).
    pub fn get(&self, key: &str) -> String {
        get(&get(&self.chosen, "widget"), key).as_string().unwrap_or_default()
    }

    /// The message of `error` for the teller.
    pub fn message(&self, error: &ValidationError) -> String {
        match get(&get(&self.chosen, "messages"), error.code.as_str()).as_string() {
            Some(template) => error.code.fill(&template),
            None => error.message_nl.clone(),
        }
    }

    /// A readable answer for the review.
    pub fn describe(&self, question: &Question, answer: &Answer, lang: Lang) -> String {
        let label_of = |value: &str| -> String { question.kind.option_label(value).map_or(value, |label| label.get(lang)).to_string() };
        match answer {
            Answer::Text(text) => text.clone(),
            Answer::Choice(value) => label_of(value),
            Answer::Choices(values) => values.iter().map(|v| label_of(v)).collect::<Vec<_>>().join(", "),
            Answer::Scale(n) => {
                let mut s = String::new();
                push_int(&mut s, i64::from(*n));
                s.push_str(&self.get("out_of"));
                s
            }
            Answer::NotApplicable => match &question.kind {
                QuestionKind::Slider { not_applicable: Some(label), .. } => label.get(lang).to_string(),
                _ => NOT_APPLICABLE.into(),
            },
            Answer::Number(n) => {
                let mut s = String::new();
                push_int(&mut s, *n);
                s
            }
        }
    }
}
