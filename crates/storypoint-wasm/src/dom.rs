//! The widget's one door to the browser: every DOM call (creating, finding, reading and
//! changing elements, the shadow root, events) and the page's `location`, `crypto` and
//! `localStorage` go through here. The other modules never call a `web_sys` element method,
//! `dyn_into` or `query_selector` themselves; only `network.rs` uses `fetch`, `Response` and
//! the retry timer directly, which are not the DOM.
use crate::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, Event, EventTarget, HtmlElement, ShadowRoot};

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

pub fn set_text(element: &Element, text: &str) {
    element.set_text_content(Some(text));
}

pub fn attr(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

/// An attribute's value, `None` when it is not there.
pub fn attribute(element: &Element, name: &str) -> Option<String> {
    element.get_attribute(name)
}

/// An attribute of the `<story-point>` element; an empty one counts as not there.
pub fn host_attribute(host: &Element, name: &str) -> Option<String> {
    attribute(host, name).filter(|value| !value.is_empty())
}

/// Replaces what is inside `element` with `markup` (escaped by `html.rs`): a whole screen
/// in one crossing.
pub fn set_html(element: &Element, markup: &str) {
    element.set_inner_html(markup);
}

pub fn find(root: &ShadowRoot, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// The first element inside `element` that matches `selector`.
pub fn find_in(element: &Element, selector: &str) -> Option<Element> {
    element.query_selector(selector).ok().flatten()
}

pub fn find_all(root: &ShadowRoot, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

/// `element` or its nearest ancestor that matches `selector`.
pub fn closest(element: &Element, selector: &str) -> Option<Element> {
    element.closest(selector).ok().flatten()
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

// ---- the shadow root --------------------------------------------------------------------

/// `host`'s shadow root (the element attached it and adopted the stylesheet: no inline
/// style, so partners need no CSP exception), emptied, with the `name`/`value` of the inputs
/// the teller already checked on a first step drawn before the wasm was there (by the
/// element, or prerendered as declarative shadow DOM). `top` goes in as its content.
pub fn shadow_root(host: &HtmlElement, top: &Element) -> (ShadowRoot, Vec<(String, String)>) {
    let root = host.shadow_root().expect_throw("the element attaches its shadow root");
    let mut checked = Vec::new();
    for input in find_all(&root, "input:checked") {
        if let Some(name) = attribute(&input, "name") {
            checked.push((name, value_of(&input)));
        }
    }
    root.set_inner_html("");
    let _ = root.append_child(top);
    (root, checked)
}

/// The id of the element that has the focus inside `host`'s shadow root, if any.
pub fn focused_id(host: &HtmlElement) -> Option<String> {
    host.shadow_root()?.active_element().and_then(|element| attribute(&element, "id"))
}

/// The `<story-point>` element a shadow root belongs to.
pub fn host(root: &ShadowRoot) -> Element {
    root.host()
}

// ---- events -----------------------------------------------------------------------------

/// A listener on an element or the window, removed when dropped.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

/// Calls `handler` for every `kind` event on `target` until the listener is dropped. Not
/// passive (the browser's default for these events), so a handler may [`prevent_default`];
/// `prevent_default` stops the browser's own handling always.
pub fn on(target: &EventTarget, kind: &'static str, prevent_default: bool, mut handler: impl FnMut(&Event) + 'static) -> Listener {
    let callback = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        if prevent_default {
            event.prevent_default();
        }
        handler(&event);
    });
    let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
    Listener { target: target.clone(), kind, callback }
}

pub fn prevent_default(event: &Event) {
    event.prevent_default();
}

/// The element an event happened on.
pub fn target(event: &Event) -> Option<Element> {
    event.target().and_then(|t| t.dyn_into::<Element>().ok())
}

// ---- the page -----------------------------------------------------------------------------

/// A parameter of the page's own URL (`?sp=`).
pub fn query_param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// Whether the browser thinks it has a network (false is sure; true may still fail).
pub fn online() -> bool {
    window().navigator().on_line()
}

/// Random bytes from the browser (zeros when it has no `crypto`).
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if let Ok(crypto) = window().crypto() {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

/// `localStorage`, unless the browser withholds it (private mode, switched off).
pub fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn storage_get(storage: &web_sys::Storage, key: &str) -> Option<String> {
    storage.get_item(key).ok().flatten()
}

/// Whether the browser kept it (private mode or a full storage refuse).
pub fn storage_set(storage: &web_sys::Storage, key: &str, value: &str) -> bool {
    storage.set_item(key, value).is_ok()
}

pub fn storage_remove(storage: &web_sys::Storage, key: &str) {
    let _ = storage.remove_item(key);
}

pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}
