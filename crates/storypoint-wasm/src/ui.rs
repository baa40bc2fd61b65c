//! The widget's own words (the questions' words come from the questionnaire): Dutch from
//! `translations/nl.json`, compiled in; another language's from its file `lang/{code}.json`
//! beside the bundle (made from `translations/{code}.json` by `cargo xtask dist`), fetched
//! when the `lang` attribute asks for it. A word or message it lacks is shown in Dutch.
//! Answers in words for the review come from here too.
use storypoint_core::{Answer, Lang, NOT_APPLICABLE, Question, QuestionKind, ValidationError, push_int};
use wasm_bindgen::JsValue;

use crate::json::{self, get};

/// The words of one widget: the teller's language (the parsed `lang/{code}.json`), Dutch
/// where it has no word.
pub struct Words {
    chosen: JsValue,
    dutch: JsValue,
}

impl Words {
    /// The words of `chosen` (a parsed `lang/{code}.json`; `undefined` for Dutch).
    pub fn new(chosen: JsValue) -> Words {
        // `widget` of translations/nl.json, compacted by build.rs.
        let dutch = json::parse(include_str!(concat!(env!("OUT_DIR"), "/nl_words.json"))).unwrap_or(JsValue::UNDEFINED);
        Words { chosen, dutch }
    }

    /// The word for `key` (a key of `translations/nl.json`'s `widget`).
    pub fn get(&self, key: &str) -> String {
        get(&get(&self.chosen, "widget"), key).as_string().or_else(|| get(&self.dutch, key).as_string()).unwrap_or_default()
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
