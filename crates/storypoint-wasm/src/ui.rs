//! The widget's own words (the questions' words come from the questionnaire): Dutch from
//! `translations/nl.json`, compiled in; another language's from its file `lang/{code}.json`
//! beside the bundle (made from `translations/{code}.json` by `cargo xtask dist`), fetched
//! when the `lang` attribute asks for it. A word or message it lacks is shown in Dutch.
use storypoint_core::ValidationError;
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
}
