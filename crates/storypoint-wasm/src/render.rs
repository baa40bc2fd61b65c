//! Building each screen's DOM (a step, the review, the thanks) from the state, and what the
//! widget says on it: the status line, the sending state, the errors at the questions.
use storypoint_core::{Flow, QuestionKind, push_int};
use web_sys::Element;

use crate::dom::{self, append, attr, el, find, find_all, focus, set_hidden, text_el};
use crate::state::{Screen, Widget};

impl Widget {
    /// Draws the current screen; `moved` puts the focus on its heading (after navigation,
    /// never on first load, so the partner page keeps its focus).
    pub fn render(&self, moved: bool) {
        dom::clear(&self.screen);
        let screen = self.state().screen.clone();
        match screen {
            Screen::Step(id) => {
                let flow = self.flow();
                match flow.step(&id).map(|s| s.step.id.clone()).or_else(|| flow.next_step(&id).map(|s| s.step.id.clone())) {
                    Some(shown) if shown == id => self.render_step(&flow, &id),
                    Some(other) => {
                        drop(flow);
                        self.state_mut().screen = Screen::Step(other);
                        return self.render(moved);
                    }
                    None => {
                        drop(flow);
                        self.state_mut().screen = Screen::Review;
                        return self.render(moved);
                    }
                }
            }
            Screen::Review => self.render_review(),
            Screen::Thanks => self.render_thanks(),
        }
        let status = self.state().status;
        if let Some(key) = status {
            self.show_status(&self.words.get(key));
        }
        if moved {
            if let Some(heading) = find(&self.root, "h2") {
                focus(&heading);
            }
        }
    }

    /// A new card (a form) with `title` as its heading, the screen's only content.
    pub fn card(&self, title: &str) -> Element {
        self.card_with_progress(title, None)
    }

    fn card_with_progress(&self, title: &str, progress: Option<storypoint_core::Progress>) -> Element {
        let form = el("form", "sp-card");
        attr(&form, "novalidate", "");
        if let Some(progress) = progress {
            let mut label = String::from(&self.words.get("step"));
            push_int(&mut label, progress.step as i64);
            label.push_str(&self.words.get("of"));
            push_int(&mut label, progress.of as i64);
            let text = text_el("p", "sp-progress-text", &label);
            attr(&text, "id", "sp-progress");
            append(&form, &text);
            let bar = el("progress", "sp-progress");
            attr(&bar, "aria-labelledby", "sp-progress");
            let mut value = String::new();
            push_int(&mut value, progress.step as i64);
            attr(&bar, "value", &value);
            value.clear();
            push_int(&mut value, progress.of as i64);
            attr(&bar, "max", &value);
            append(&form, &bar);
        }
        let heading = text_el("h2", "sp-title", title);
        attr(&heading, "tabindex", "-1");
        append(&form, &heading);
        // The error summary's place, on top of the step (NL Design System); filled by
        // `show_errors`, empty and hidden until then.
        let summary = el("div", "sp-summary");
        attr(&summary, "tabindex", "-1");
        set_hidden(&summary, true);
        append(&form, &summary);
        append(&self.screen, &form);
        form
    }

    fn nav(&self, form: &Element, back: bool, forward: &str) {
        let status = el("p", "sp-status");
        attr(&status, "role", "status");
        append(form, &status);
        let nav = el("div", "sp-nav");
        if back {
            let button = text_el("button", "sp-button sp-secondary", &self.words.get("back"));
            attr(&button, "type", "button");
            attr(&button, "data-action", "back");
            append(&nav, &button);
        }
        let button = text_el("button", "sp-button sp-primary", forward);
        attr(&button, "type", "submit");
        append(&nav, &button);
        append(form, &nav);
    }

    fn render_step(&self, flow: &Flow<'_>, step_id: &str) {
        let Some(shown) = flow.step(step_id) else { return };
        let step = shown.step;
        let form = self.card_with_progress(step.title.get(self.lang), flow.progress(step_id));
        if let Some(intro) = &step.intro {
            append(&form, &text_el("p", "sp-intro", intro.get(self.lang)));
        }
        let state = self.state();
        for question in &step.questions {
            if flow.is_prefilled(&question.id) {
                continue;
            }
            if matches!(question.kind, QuestionKind::LongText { .. }) {
                if let Some(text) = self.chosen_prompt(flow) {
                    append(&form, &text_el("p", "sp-prompt", &[&self.words.get("your_question"), text].concat()));
                }
            }
            let block = self.render_question(question, state.answers.get(&question.id));
            set_hidden(&block, !flow.is_asked(&question.id));
            append(&form, &block);
        }
        drop(state);
        let last = flow.next_step(step_id).is_none();
        self.nav(&form, flow.previous_step(step_id).is_some(), &self.words.get(if last { "to_review" } else { "next" }));
    }

    fn render_review(&self) {
        let flow = self.flow();
        let form = self.card(&self.words.get("review_title"));
        append(&form, &text_el("p", "sp-intro", &self.words.get("review_intro")));
        for shown in flow.steps() {
            let section = el("section", "sp-review-step");
            let head = el("div", "sp-review-head");
            append(&head, &text_el("h3", "", shown.step.title.get(self.lang)));
            let change = text_el("button", "sp-button sp-secondary sp-small", &self.words.get("change"));
            attr(&change, "type", "button");
            attr(&change, "data-action", "edit");
            attr(&change, "data-step", &shown.step.id);
            attr(&change, "aria-label", &[&self.words.get("change"), ": ", shown.step.title.get(self.lang)].concat());
            append(&head, &change);
            append(&section, &head);
            let list = el("dl", "");
            for question in shown.questions {
                append(&list, &text_el("dt", "", question.label.get(self.lang)));
                let answer = flow.answer(&question.id).map(|a| self.words.describe(question, a, self.lang));
                let missing = match question.kind {
                    QuestionKind::LongText { .. } if self.voice().is_some() => "spoken",
                    _ => "not_answered",
                };
                let dd = text_el("dd", if answer.is_some() { "" } else { "sp-muted" }, &answer.unwrap_or_else(|| self.words.get(missing)));
                append(&list, &dd);
            }
            append(&section, &list);
            append(&form, &section);
        }
        drop(flow);
        self.nav(&form, true, &self.words.get("send"));
        if self.state().in_flight || self.state().pending {
            self.set_sending(true);
        }
    }

    fn render_thanks(&self) {
        let form = self.card(&self.words.get("thanks_title"));
        append(&form, &text_el("p", "sp-intro", &self.words.get("thanks_text")));
        let another = text_el("button", "sp-button sp-primary", &self.words.get("another"));
        attr(&another, "type", "button");
        attr(&another, "data-action", "another");
        let nav = el("div", "sp-nav");
        append(&nav, &another);
        append(&form, &nav);
    }

    fn show_status(&self, message: &str) {
        if let Some(status) = find(&self.root, ".sp-status") {
            dom::set_text(&status, message);
        }
    }

    /// Shows the widget's word `key` (or nothing) as the status, and keeps it there on
    /// the next render.
    pub fn set_status(&self, key: Option<&'static str>) {
        self.state_mut().status = key;
        self.show_status(&key.map(|key| self.words.get(key)).unwrap_or_default());
    }

    pub fn set_sending(&self, sending: bool) {
        if let Some(button) = find(&self.root, "button[type=submit]") {
            dom::toggle_attr(&button, "aria-disabled", sending);
        }
    }

    /// Shows `message` at `question` (or takes its message away, there and in the summary).
    pub fn show_error(&self, question: &str, message: Option<&str>) {
        let Some(block) = find(&self.root, &["[data-q=\"", question, "\"]"].concat()) else { return };
        if let Some(error) = dom::find_in(&block, ".sp-error") {
            dom::set_text(&error, message.unwrap_or_default());
            set_hidden(&error, message.is_none());
        }
        for input in find_all(&self.root, &["[data-q=\"", question, "\"] input, [data-q=\"", question, "\"] textarea"].concat()) {
            dom::toggle_attr(&input, "aria-invalid", message.is_some());
        }
        {
            let mut state = self.state_mut();
            state.shown_errors.retain(|(id, _)| id != question);
            if let Some(message) = message {
                state.shown_errors.push((question.into(), message.into()));
            }
        }
        self.render_summary();
    }

    /// The error summary on top of the step: a heading and a link to each question still in
    /// error, in the order they were found; gone when none is left (every line stays true).
    fn render_summary(&self) {
        let Some(summary) = find(&self.root, ".sp-summary") else { return };
        dom::clear(&summary);
        let state = self.state();
        set_hidden(&summary, state.shown_errors.is_empty());
        if state.shown_errors.is_empty() {
            return;
        }
        let title = text_el("h3", "sp-summary-title", &self.words.get("fix_errors"));
        attr(&title, "id", "sp-summary-title");
        attr(&summary, "aria-labelledby", "sp-summary-title");
        append(&summary, &title);
        let list = el("ul", "");
        for (question, message) in &state.shown_errors {
            let link = text_el("a", "", message);
            attr(&link, "href", &["#sp-", question, "-label"].concat());
            attr(&link, "data-q-link", question);
            let item = el("li", "");
            append(&item, &link);
            append(&list, &item);
        }
        append(&summary, &list);
    }

    /// Puts the focus on `question`'s first control.
    pub fn focus_question(&self, question: &str) {
        let selector = ["[data-q=\"", question, "\"] input, [data-q=\"", question, "\"] textarea"].concat();
        if let Some(control) = find(&self.root, &selector) {
            focus(&control);
        }
    }

    /// Shows the errors at their questions and in the summary, which takes the focus.
    pub fn show_errors(&self, errors: &[(String, String)]) {
        for (question, message) in errors {
            self.show_error(question, Some(message));
        }
        self.set_status(None);
        if let Some(summary) = find(&self.root, ".sp-summary") {
            focus(&summary);
        }
    }
}
