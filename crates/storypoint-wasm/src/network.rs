//! The network: fetching JSON and posting the story (CORS, no cookies, no referrer, no
//! cache), the link lookup, and what each answer of the collector means: a story kept and
//! sent again with backoff on a network error, a 429 or a 5xx, and when the browser is
//! `online` again. Each request's callback is one closure that runs once and is freed then
//! (`Promise.allSettled`): nothing is left behind per request.
use crate::prelude::*;
use alloc::rc::Rc;

use storypoint_core::{LinkCode, push_int};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::dom::{self, warn};
use crate::json;
use crate::state::{Screen, Widget};

impl Widget {
    pub fn resolve_link(self: &Rc<Self>, code: LinkCode) {
        let widget = self.clone();
        match &self.links_url {
            Some(table) => get_json(
                table,
                Box::new(move |table| {
                    let entry = table.and_then(|t| js_sys::Array::from(&t).iter().filter_map(|row| json::link_entry(&row)).find(|e| e.code == code));
                    widget.apply_link(code, entry);
                }),
            ),
            None => {
                let Some(base) = self.endpoint.strip_suffix("stories") else {
                    warn("storypoint: cannot find the links API next to the endpoint; the questions are asked instead");
                    return;
                };
                let url = [base, "links/", code.as_str()].concat();
                get_json(&url, Box::new(move |entry| widget.apply_link(code, entry.and_then(|e| json::link_entry(&e)))));
            }
        }
    }

    fn apply_link(&self, code: LinkCode, entry: Option<storypoint_core::LinkEntry>) {
        let Some(entry) = entry else {
            warn(&["storypoint: the link code ", code.as_str(), " is unknown; the questions are asked instead"].concat());
            return;
        };
        let prefilled = entry.prefill(&self.questionnaire);
        for warning in &prefilled.warnings {
            warn(&["storypoint: link ", code.as_str(), ": ", &warning.message()].concat());
        }
        {
            let mut state = self.state_mut();
            state.prefill = prefilled.prefill.with_fallback(&state.page_prefill);
        }
        // Redraw only a screen the prefill changes (never under a teller's fingers otherwise).
        let screen = self.state().screen.clone();
        let affected = match &screen {
            Screen::Step(id) => self.questionnaire.step(id).is_some_and(|s| s.questions.iter().any(|q| q.prefillable)),
            Screen::Review => true,
            Screen::Thanks => false,
        };
        if affected {
            self.render(false);
        }
    }

    fn submission_body(&self, audio: &JsValue) -> String {
        let state = self.state();
        let object = js_sys::Object::new();
        json::set(&object, "questionnaire", &JsValue::from_str(&self.questionnaire.id));
        json::set(&object, "version", &JsValue::from_f64(self.questionnaire.version.into()));
        json::set(&object, "submission_id", &JsValue::from_str(&state.submission_id));
        json::set(&object, "link", &self.link.as_deref().map(JsValue::from_str).unwrap_or(JsValue::NULL));
        json::set(&object, "lang", &JsValue::from_str(self.lang.code()));
        json::set(&object, "answers", &json::answers_to_js(&state.answers));
        if audio.is_object() {
            json::set(&object, "audio", audio);
        }
        json::stringify(&object)
    }

    /// Sends the pending story; on a network error or a 5xx, keeps it and tries again later.
    pub fn send(self: &Rc<Self>) {
        {
            let mut state = self.state_mut();
            if state.in_flight || !state.pending {
                return;
            }
            state.in_flight = true;
        }
        self.set_sending(true);
        self.set_status(Some("sending"));
        let widget = self.clone();
        let post = move |audio: JsValue| {
            let body = widget.submission_body(&audio);
            let widget = widget.clone();
            post_json(
                &widget.endpoint.clone(),
                &body,
                Box::new(move |outcome| {
                    widget.state_mut().in_flight = false;
                    widget.after_send(outcome);
                }),
            );
        };
        match self.voice() {
            // The recording goes first (resumable); the story names it once it is whole.
            Some(audio) => {
                let widget = self.clone();
                on_settled(
                    &call(&audio, "ready", &JsValue::UNDEFINED),
                    Box::new(move |reference| match reference {
                        Some(reference) => post(reference),
                        None => {
                            widget.state_mut().in_flight = false;
                            widget.after_send(Err(()));
                        }
                    }),
                );
            }
            None => post(JsValue::NULL),
        }
    }

    fn after_send(self: &Rc<Self>, outcome: Result<(u16, JsValue), ()>) {
        match outcome {
            Ok((200 | 201, _)) => {
                if let Some(audio) = self.voice() {
                    call(&audio, "done", &JsValue::UNDEFINED);
                }
                self.clear_draft();
                {
                    let mut state = self.state_mut();
                    state.pending = false;
                    state.retry_ms = 1000;
                    state.fresh_story();
                    state.screen = Screen::Thanks;
                }
                self.render(true);
            }
            Ok((422, body)) => {
                self.state_mut().pending = false;
                let errors: Vec<(String, String)> = js_sys::Array::from(&json::get(&body, "errors"))
                    .iter()
                    .filter_map(|e| Some((json::get(&e, "question").as_string()?, json::get(&e, "message").as_string()?)))
                    .collect();
                warn("storypoint: the collector refused the story (422); the errors are shown at the questions");
                let step = errors.first().map(|(q, _)| self.step_of(q)).filter(|s| !s.is_empty());
                match step {
                    Some(step) => {
                        self.go(Screen::Step(step));
                        self.show_errors(&errors);
                    }
                    None => {
                        self.set_sending(false);
                        self.set_status(Some("refused"));
                    }
                }
                self.save_draft();
            }
            Ok((410, _)) => {
                self.state_mut().pending = false;
                self.save_draft();
                warn("storypoint: the campaign is closed (410); the story stays on this device");
                self.set_sending(false);
                self.set_status(Some("closed"));
            }
            // 429 (many stories from one school at once) is "later", like a 5xx.
            Ok((status, _)) if status < 500 && status != 429 => {
                self.state_mut().pending = false;
                self.save_draft();
                let mut message = String::from("storypoint: the collector refused the story with status ");
                push_int(&mut message, status.into());
                warn(&message);
                self.set_sending(false);
                self.set_status(Some("refused"));
            }
            failure => {
                // Offline, or the collector had a problem: keep the story and try again.
                let delay = {
                    let mut state = self.state_mut();
                    let delay = state.retry_ms;
                    state.retry_ms = (state.retry_ms * 2).min(30_000);
                    delay
                };
                let mut message = String::from(match failure {
                    Ok(_) => "storypoint: the collector answered with an error; story kept, retrying in ",
                    Err(_) => "storypoint: no connection; story kept, retrying in ",
                });
                push_int(&mut message, (delay / 1000).into());
                message.push_str(" s");
                warn(&message);
                self.set_sending(false);
                // Honest: offline is "when you are online again"; online, the collector is down.
                self.set_status(Some(if dom::online() { "unreachable" } else { "saved_offline" }));
                let widget = self.clone();
                let retry = Closure::once_into_js(move || Widget::send(&widget));
                let _ = dom::window().set_timeout_with_callback_and_timeout_and_arguments_0(retry.unchecked_ref(), delay as i32);
            }
        }
    }

    /// The browser is online again: a story left waiting goes now.
    pub fn on_online(self: &Rc<Self>) {
        if self.state().pending {
            Widget::send(self);
        }
    }
}

/// Calls `object.method(argument)`; `undefined` when there is no such method.
fn call(object: &JsValue, method: &str, argument: &JsValue) -> JsValue {
    let function = json::get(object, method);
    if !function.is_function() {
        return JsValue::UNDEFINED;
    }
    function.unchecked_ref::<js_sys::Function>().call1(object, argument).unwrap_or(JsValue::UNDEFINED)
}

/// Fetch options as a plain object (one import fewer per option than `RequestInit`'s setters):
/// CORS, no cookies, no referrer, no cache.
fn request_init(method: &str) -> js_sys::Object {
    let init = js_sys::Object::new();
    for (key, value) in [("method", method), ("mode", "cors"), ("credentials", "omit"), ("referrerPolicy", "no-referrer"), ("cache", "no-store")] {
        json::set(&init, key, &JsValue::from_str(value));
    }
    init
}

/// What to do when a request is done: `Err` when it never got an answer (offline).
type Done = Box<dyn FnOnce(Result<(u16, JsValue), ()>)>;

/// Calls `then` with the promise's value, or `None` when it is rejected. One closure,
/// called once whatever happens (`Promise.allSettled` never rejects) and freed by that call:
/// none is left behind (a `then(resolve, reject)` pair leaves the one never called). No
/// async/await: the futures executor costs the widget about a kilobyte and a half.
fn on_settled(promise: &JsValue, then: Box<dyn FnOnce(Option<JsValue>)>) {
    if !json::get(promise, "then").is_function() {
        return; // not a promise: never settles
    }
    let settled = Closure::once_into_js(move |results: JsValue| {
        let result = js_sys::Array::from(&results).get(0);
        let fulfilled = json::get(&result, "status").as_string().is_some_and(|status| status == "fulfilled");
        then(fulfilled.then(|| json::get(&result, "value")));
    });
    call(&js_sys::Promise::all_settled(&js_sys::Array::of1(promise)), "then", &settled);
}

/// Fetches `url`; `done` gets the status and the JSON body (`null` when there is none).
fn fetch(url: &str, init: &js_sys::Object, done: Done) {
    let promise = dom::window().fetch_with_str_and_init(url, init.unchecked_ref());
    on_settled(
        &promise,
        Box::new(move |response| {
            let Some(response) = response else { return done(Err(())) };
            let response: web_sys::Response = response.unchecked_into();
            let status = response.status();
            match response.json() {
                Ok(body) => on_settled(&body, Box::new(move |body| done(Ok((status, body.unwrap_or(JsValue::NULL)))))),
                Err(_) => done(Ok((status, JsValue::NULL))),
            }
        }),
    );
}

/// GETs JSON; `done` gets the body of a 200, else `None`.
pub fn get_json(url: &str, done: Box<dyn FnOnce(Option<JsValue>)>) {
    fetch(
        url,
        &request_init("GET"),
        Box::new(move |outcome| match outcome {
            Ok((200, body)) => done(Some(body)),
            _ => done(None),
        }),
    );
}

fn post_json(url: &str, body: &str, done: Done) {
    let init = request_init("POST");
    json::set(&init, "body", &JsValue::from_str(body));
    // keepalive: a story sent just before the tab closes still arrives.
    json::set(&init, "keepalive", &JsValue::TRUE);
    let headers = js_sys::Object::new();
    json::set(&headers, "Content-Type", &JsValue::from_str("application/json"));
    json::set(&init, "headers", &headers);
    fetch(url, &init, done);
}
