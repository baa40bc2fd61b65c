//! JSON through the browser's own `JSON.parse`/`JSON.stringify` and the core's types: no
//! serde inside the WebAssembly (it would double the widget's size; see BENCHMARKS.md).
use crate::prelude::*;
use js_sys::{Array, JSON, Object, Reflect};
use storypoint_core::{Answers, LinkCode, LinkEntry, Value};
use wasm_bindgen::{JsCast, JsValue};

/// A JSON value as the core's untrusted [`Value`] (mirrors its serde reading: whole
/// numbers are integers, anything else no question takes is `Other`).
pub fn to_value(js: &JsValue) -> Value {
    if js.is_null() || js.is_undefined() {
        Value::Null
    } else if let Some(b) = js.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = js.as_f64() {
        let whole = n.is_finite() && n == (n as i64) as f64;
        if whole { Value::Integer(n as i64) } else { Value::Other }
    } else if let Some(s) = js.as_string() {
        Value::Text(s)
    } else if Array::is_array(js) {
        Value::List(Array::from(js).iter().map(|item| to_value(&item)).collect())
    } else {
        Value::Other
    }
}

pub fn from_value(value: &Value) -> JsValue {
    match value {
        Value::Null | Value::Other => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Integer(n) => JsValue::from_f64(*n as f64),
        Value::Text(s) => JsValue::from_str(s),
        Value::List(items) => items.iter().map(from_value).collect::<Array>().into(),
    }
}

pub fn answers_to_js(answers: &Answers) -> Object {
    let object = Object::new();
    for (id, value) in answers.iter() {
        set(&object, id, &from_value(value));
    }
    object
}

pub fn answers_from_js(js: &JsValue) -> Answers {
    let Some(object) = js.dyn_ref::<Object>() else { return Answers::new() };
    Object::entries(object)
        .iter()
        .filter_map(|entry| {
            let pair = Array::from(&entry);
            Some((pair.get(0).as_string()?, to_value(&pair.get(1))))
        })
        .collect()
}

/// The string entries of an object, in the object's order (anything else: none).
pub fn string_entries(js: &JsValue) -> Vec<(String, String)> {
    let Some(object) = js.dyn_ref::<Object>() else { return Vec::new() };
    Object::entries(object)
        .iter()
        .filter_map(|entry| {
            let pair = Array::from(&entry);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// The strings of an array (anything else: none).
pub fn strings(js: &JsValue) -> Vec<String> {
    js.dyn_ref::<Array>().map(|list| list.iter().filter_map(|item| item.as_string()).collect()).unwrap_or_default()
}

pub fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok()
}

pub fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// A link as the collector's `GET /api/v1/links/{code}` or a static link table describes it:
/// `{"code", "organisation", "prefill": {id: value}}`.
pub fn link_entry(js: &JsValue) -> Option<LinkEntry> {
    let code = LinkCode::parse(&get(js, "code").as_string()?).ok()?;
    let organisation = get(js, "organisation").as_string().unwrap_or_default();
    let prefill_js = get(js, "prefill");
    let prefill = match prefill_js.dyn_ref::<Object>() {
        Some(object) => Object::entries(object)
            .iter()
            .filter_map(|entry| {
                let pair = Array::from(&entry);
                let value = pair.get(1);
                let text = value.as_string().or_else(|| {
                    value.as_f64().map(|n| {
                        let mut s = String::new();
                        storypoint_core::push_int(&mut s, n as i64);
                        s
                    })
                })?;
                Some((pair.get(0).as_string()?, text))
            })
            .collect(),
        None => Vec::new(),
    };
    Some(LinkEntry { code, organisation, prefill })
}
