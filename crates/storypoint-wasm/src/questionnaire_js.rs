//! A questionnaire read from the object the browser's `JSON.parse` made, into the core's
//! types: the JSON shape of `questionnaires/vertelpunt-jeugdhulp.json`. Both the default
//! questionnaire (in the language file) and another region's (the `questionnaire`
//! attribute) come in this way; a test (`tests/questionnaire_js.rs`, run in wasm) checks it yields exactly
//! what the core's serde path yields. Missing texts read as empty and missing flags as
//! false (no early exits: each one costs the widget drop code); an unknown question kind
//! or a file that is not a questionnaire at all gives `None`. The questionnaire in a
//! language file (`lang/{code}.json`, texts `{"nl": …, "ar": …}`) comes in the same way.
use crate::prelude::*;
use js_sys::Array;
use storypoint_core::{ChoiceOption, Condition, ConditionTest, Lang, Prompt, Question, QuestionKind, Questionnaire, Step, Text};
use wasm_bindgen::JsValue;

use crate::json::{get, string_entries};

fn string(js: &JsValue, key: &str) -> String {
    get(js, key).as_string().unwrap_or_default()
}

fn integer(js: &JsValue, key: &str) -> Option<i64> {
    get(js, key).as_f64().map(|n| n as i64)
}

fn items(js: &JsValue, key: &str) -> Vec<JsValue> {
    let value = get(js, key);
    if Array::is_array(&value) { Array::from(&value).to_vec() } else { Vec::new() }
}

fn present(js: &JsValue, key: &str) -> Option<JsValue> {
    let value = get(js, key);
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

fn text(js: &JsValue, key: &str) -> Text {
    // Dutch, and whichever other languages the file writes (`{"nl": …, "ar": …}`).
    let mut text = Text::default();
    for (code, written) in string_entries(&get(js, key)) {
        // Leniently, like the rest of this reader (the collector's serde path is strict).
        if let Some(lang) = Lang::parse(&code) {
            text.set(lang, written);
        }
    }
    text
}

fn optional_text(js: &JsValue, key: &str) -> Option<Text> {
    present(js, key).map(|_| text(js, key))
}

fn options(js: &JsValue) -> Vec<ChoiceOption> {
    items(js, "options").iter().map(|o| ChoiceOption { value: string(o, "value"), label: text(o, "label") }).collect()
}

fn question(js: &JsValue) -> Option<Question> {
    let max_length = integer(js, "max_length").unwrap_or(0) as u32;
    let kind = match string(js, "kind").as_str() {
        "prompt_choice" => QuestionKind::PromptChoice {
            prompts: items(js, "prompts").iter().map(|p| Prompt { value: string(p, "value"), title: text(p, "title"), text: text(p, "text") }).collect(),
        },
        "long_text" => QuestionKind::LongText { max_length },
        "short_text" => QuestionKind::ShortText { max_length },
        "single_choice" => QuestionKind::SingleChoice { options: options(js) },
        "multiple_choice" => QuestionKind::MultipleChoice { options: options(js), max_choices: integer(js, "max_choices").map(|n| n as u32) },
        "slider" => QuestionKind::Slider { low: text(js, "low"), high: text(js, "high"), not_applicable: optional_text(js, "not_applicable") },
        "number" => QuestionKind::Number { min: integer(js, "min").unwrap_or(0), max: integer(js, "max").unwrap_or(0) },
        _ => return None,
    };
    let visible_if = present(js, "visible_if").map(|c| Condition {
        question: string(&c, "question"),
        test: match (get(&c, "equals").as_string(), present(&c, "one_of"), get(&c, "is_unknown").as_bool()) {
            (Some(value), _, _) => ConditionTest::Equals(value),
            (_, Some(_), _) => ConditionTest::OneOf(items(&c, "one_of").iter().filter_map(JsValue::as_string).collect()),
            (_, _, Some(true)) => ConditionTest::IsUnknown,
            _ => ConditionTest::NotAnswered,
        },
    });
    Some(Question {
        id: string(js, "id"),
        label: text(js, "label"),
        help: optional_text(js, "help"),
        required: get(js, "required").as_bool().unwrap_or(false),
        prefillable: get(js, "prefillable").as_bool().unwrap_or(false),
        visible_if,
        kind,
    })
}

/// A questionnaire from parsed JSON; `None` when it is not one.
pub fn questionnaire(js: &JsValue) -> Option<Questionnaire> {
    let mut steps = Vec::new();
    for step in items(js, "steps") {
        let questions = items(&step, "questions").iter().map(question).collect::<Option<Vec<_>>>()?;
        steps.push(Step { id: string(&step, "id"), title: text(&step, "title"), intro: optional_text(&step, "intro"), questions });
    }
    if steps.is_empty() {
        return None;
    }
    Some(Questionnaire {
        id: string(js, "id"),
        version: integer(js, "version").unwrap_or(0) as u32,
        languages: items(js, "languages").iter().filter_map(|l| Lang::parse(&l.as_string()?)).collect(),
        title: text(js, "title"),
        steps,
    })
}
