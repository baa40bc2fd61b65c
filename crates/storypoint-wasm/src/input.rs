//! What the teller does: the listeners on the shadow root (input, click, submit, by
//! delegation) and the window (`online`), reading an answer from its controls, and moving
//! between screens (next, back, change, send, another story).
use crate::prelude::*;
use alloc::rc::Rc;

use storypoint_core::{NOT_APPLICABLE, QuestionKind, Value};
use web_sys::{Event, EventTarget};

use crate::dom::{self, find, find_all, set_hidden};
use crate::state::{Screen, Widget};

impl Widget {
    /// The listeners that drive the widget (dropped = removed).
    pub fn listen(self: &Rc<Self>) -> Vec<dom::Listener> {
        let root: &EventTarget = self.root.as_ref();
        let on = |target: &EventTarget, kind: &'static str, prevent_default: bool, handler: fn(&Rc<Widget>, &Event)| {
            let widget = self.clone();
            dom::on(target, kind, prevent_default, move |event| handler(&widget, event))
        };
        vec![
            on(root, "input", false, |w, e| w.on_input(e)),
            // Not passive: a link of the error summary must not change the page's URL.
            on(root, "click", false, |w, e| w.on_click(e)),
            // The form must not be submitted by the browser.
            on(root, "submit", true, |w, _| w.on_submit()),
            on(dom::window().as_ref(), "online", false, |w, _| w.on_online()),
        ]
    }

    fn on_input(&self, event: &Event) {
        let Some(target) = dom::target(event) else { return };
        let Some(name) = dom::attribute(&target, "name") else { return };
        let (id, not_applicable) = match name.strip_suffix("__na") {
            Some(id) => (id.to_string(), true),
            None => (name.clone(), false),
        };
        let Some(question) = self.questionnaire.question(&id) else { return };
        let block = dom::closest(&target, "[data-q]");
        let value = match &question.kind {
            QuestionKind::PromptChoice { .. } | QuestionKind::SingleChoice { .. } => Value::Text(dom::value_of(&target)),
            QuestionKind::MultipleChoice { .. } => {
                Value::List(find_all(&self.root, &["input[name=\"", &id, "\"]:checked"].concat()).iter().map(|i| Value::Text(dom::value_of(i))).collect())
            }
            QuestionKind::LongText { max_length } => {
                let text = dom::value_of(&target);
                if let Some(counter) = find(&self.root, &["#sp-", &id, "-count"].concat()) {
                    self.update_counter(&counter, &text, *max_length);
                }
                Value::Text(text)
            }
            QuestionKind::ShortText { .. } => Value::Text(dom::value_of(&target)),
            QuestionKind::Slider { .. } => {
                let range = block.as_ref().and_then(|b| dom::find_in(b, "input[type=range]"));
                let checked = dom::checked(&target);
                if not_applicable && checked {
                    Value::Text(NOT_APPLICABLE.into())
                } else if not_applicable {
                    Value::Null
                } else {
                    if let Some(na) = block.as_ref().and_then(|b| dom::find_in(b, "input[type=checkbox]")) {
                        dom::set_checked(&na, false);
                    }
                    range.map(|r| dom::value_of(&r).parse().map(Value::Integer).unwrap_or(Value::Null)).unwrap_or(Value::Null)
                }
            }
            QuestionKind::Number { .. } => {
                let raw = dom::value_of(&target);
                let raw = raw.trim();
                if raw.is_empty() { Value::Null } else { raw.parse().map(Value::Integer).unwrap_or_else(|_| Value::Text(raw.into())) }
            }
        };
        if let (QuestionKind::Slider { .. }, Some(block)) = (&question.kind, &block) {
            self.update_slider(block, Some(&value));
        }
        self.state_mut().answers.set(&id, value);
        self.save_draft();
        self.refresh();
    }

    /// After an answer changed: show and hide questions, clear errors that are fixed.
    fn refresh(&self) {
        let flow = self.flow();
        for block in find_all(&self.root, "[data-q]") {
            if let Some(id) = dom::attribute(&block, "data-q") {
                set_hidden(&block, !flow.is_asked(&id));
            }
        }
        let Screen::Step(step) = self.state().screen.clone() else { return };
        let errors = flow.step_errors(&step);
        drop(flow);
        let shown: Vec<String> = self.state().shown_errors.iter().map(|(id, _)| id.clone()).collect();
        for id in shown {
            if !errors.iter().any(|e| e.question == id) {
                self.show_error(&id, None);
            }
        }
    }

    fn on_submit(self: &Rc<Self>) {
        let screen = self.state().screen.clone();
        match screen {
            Screen::Step(id) => {
                let flow = self.flow();
                let errors: Vec<(String, String)> = flow.step_errors(&id).iter().map(|e| (e.question.clone(), self.words.message(e))).collect();
                let next = flow.next_step(&id).map(|s| s.step.id.clone());
                drop(flow);
                if !errors.is_empty() {
                    self.show_errors(&errors);
                    return;
                }
                self.go(next.map(Screen::Step).unwrap_or(Screen::Review));
            }
            Screen::Review => {
                if self.state().in_flight {
                    return; // a double click sends once
                }
                let errors = self.flow().errors();
                if let Some(first) = errors.first() {
                    // Only possible with a draft from an older questionnaire: go and fix it.
                    let step = self.step_of(&first.question);
                    let errors: Vec<(String, String)> = errors.iter().map(|e| (e.question.clone(), self.words.message(e))).collect();
                    self.go(Screen::Step(step));
                    self.show_errors(&errors);
                    return;
                }
                self.state_mut().pending = true;
                self.save_draft();
                Widget::send(self);
            }
            Screen::Thanks => {}
        }
    }

    fn on_click(self: &Rc<Self>, event: &Event) {
        let Some(target) = dom::target(event) else { return };
        // A link of the error summary: to the question's first control, inside the widget.
        if let Some(question) = dom::closest(&target, "[data-q-link]").and_then(|link| dom::attribute(&link, "data-q-link")) {
            dom::prevent_default(event);
            self.focus_question(&question);
            return;
        }
        let Some(button) = dom::closest(&target, "[data-action]") else { return };
        match dom::attribute(&button, "data-action").as_deref() {
            Some("back") => {
                let screen = self.state().screen.clone();
                let flow = self.flow();
                let previous = match &screen {
                    Screen::Step(id) => flow.previous_step(id).map(|s| s.step.id.clone()),
                    _ => flow.steps().last().map(|s| s.step.id.clone()),
                };
                drop(flow);
                if let Some(step) = previous {
                    self.go(Screen::Step(step));
                }
            }
            Some("edit") => {
                if let Some(step) = dom::attribute(&button, "data-step") {
                    if !self.state().in_flight {
                        self.state_mut().pending = false;
                        self.go(Screen::Step(step));
                    }
                }
            }
            Some("another") => {
                self.state_mut().fresh_story();
                let first = self.flow().first_step().map(|s| s.step.id.clone()).unwrap_or_default();
                self.go(Screen::Step(first));
            }
            _ => {}
        }
    }
}
