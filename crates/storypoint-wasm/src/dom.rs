//! All the DOM plumbing in one place: creating elements, finding them, reading inputs.
//! The rest of the widget never calls `dyn_into` or `query_selector` itself.
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, HtmlElement, ShadowRoot};

pub fn window() -> web_sys::Window {
    web_sys::window().expect_throw("the widget runs in a browser window")
}

pub fn document() -> Document {
    window().document().expect_throw("a window has a document")
}

/// A new element with an optional class.
pub fn el(tag: &str, class: &str) -> Element {
    let element = document().create_element(tag).expect_throw("a valid tag name");
    if !class.is_empty() {
        attr(&element, "class", class);
    }
    element
}

/// A new element holding `text`.
pub fn text_el(tag: &str, class: &str, text: &str) -> Element {
    let element = el(tag, class);
    element.set_text_content(Some(text));
    element
}

pub fn attr(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

pub fn find(root: &ShadowRoot, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

pub fn find_all(root: &ShadowRoot, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

// Attributes and properties through the few imports we already have: every distinct
// web-sys method adds an import to the wasm and a shim to the JS (see BENCHMARKS.md).

pub fn set_hidden(element: &Element, hidden: bool) {
    toggle_attr(element, "hidden", hidden);
}

pub fn toggle_attr(element: &Element, name: &str, on: bool) {
    if on {
        attr(element, name, "");
    } else {
        let _ = element.remove_attribute(name);
    }
}

pub fn focus(element: &Element) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        let _ = element.focus();
    }
}

fn property(element: &Element, name: &str) -> JsValue {
    js_sys::Reflect::get(element, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn set_property(element: &Element, name: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(element, &JsValue::from_str(name), value);
}

/// Whether a checkbox or radio button is checked.
pub fn checked(element: &Element) -> bool {
    property(element, "checked").as_bool().unwrap_or(false)
}

pub fn set_checked(element: &Element, checked: bool) {
    set_property(element, "checked", &JsValue::from_bool(checked));
}

/// The current value of an `<input>` or `<textarea>`.
pub fn value_of(element: &Element) -> String {
    property(element, "value").as_string().unwrap_or_default()
}

pub fn set_value(element: &Element, value: &str) {
    set_property(element, "value", &JsValue::from_str(value));
}

/// The element an event happened on.
pub fn target(event: &web_sys::Event) -> Option<Element> {
    event.target().and_then(|t| t.dyn_into::<Element>().ok())
}

pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}
