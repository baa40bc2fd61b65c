//! Building each screen's DOM (a step, the review, the thanks) from the state, and what the
//! widget says on it: the status line, the sending state, the errors at the questions.
use crate::prelude::*;
use storypoint_core::{Flow, QuestionKind, push_int};

use crate::dom::{self, attr, find, find_all, focus, set_hidden};
use crate::html::Html;
use crate::state::{Screen, Widget};

impl Widget {
    /// Draws the current screen (its markup in one crossing); `moved` puts the focus on its
    /// heading (after navigation, never on first load, so the partner page keeps its focus).
    pub fn render(&self, moved: bool) {
        let screen = self.state().screen.clone();
        let mut html = Html::default();
        match screen {
            Screen::Step(id) => {
                let flow = self.flow();
                match flow.step(&id).map(|s| s.step.id.clone()).or_else(|| flow.next_step(&id).map(|s| s.step.id.clone())) {
                    Some(shown) if shown == id => self.render_step(&mut html, &flow, &id),
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
            Screen::Review => self.render_review(&mut html),
            Screen::Thanks => self.render_thanks(&mut html),
        }
        dom::set_html(&self.screen, &html.0);
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

    /// The collector's notice instead of the questions (a campaign that takes no stories).
    pub fn show_notice(&self, title: &str, text: &str) {
        let mut html = Html::default();
        self.card(&mut html, title, None);
        html.element("p", "sp-intro", text).raw("</form>");
        dom::set_html(&self.screen, &html.0);
    }

    /// Opens a card (a form, closed by the caller) with `title` as its heading.
    fn card(&self, html: &mut Html, title: &str, progress: Option<storypoint_core::Progress>) {
        html.open("form", "sp-card").raw(" novalidate>");
        if let Some(progress) = progress {
            let mut label = self.words.get("step");
            push_int(&mut label, progress.step as i64);
            label.push_str(&self.words.get("of"));
            push_int(&mut label, progress.of as i64);
            html.open("p", "sp-progress-text").raw(" id=\"sp-progress\">").text(&label).raw("</p>");
            html.open("progress", "sp-progress").raw(" aria-labelledby=\"sp-progress\" value=\"").int(progress.step as i64);
            html.raw("\" max=\"").int(progress.of as i64).raw("\"></progress>");
        }
        html.open("h2", "sp-title").raw(" tabindex=\"-1\">").text(title).raw("</h2>");
        // The error summary's place, on top of the step (NL Design System); filled by
        // `show_errors`, empty and hidden until then.
        html.raw("<div class=\"sp-summary\" tabindex=\"-1\" hidden></div>");
    }

    /// The status line and the buttons, closing the card.
    fn nav(&self, html: &mut Html, back: bool, forward: &str) {
        html.raw("<p class=\"sp-status\" role=\"status\"></p><div class=\"sp-nav\">");
        if back {
            html.open("button", "sp-button sp-secondary").raw(" type=\"button\" data-action=\"back\">").text(&self.words.get("back")).raw("</button>");
        }
        html.open("button", "sp-button sp-primary").raw(" type=\"submit\"");
        // Sending (or waiting to) when the review is drawn again.
        if matches!(self.state().screen, Screen::Review) && (self.state().in_flight || self.state().pending) {
            html.raw(" aria-disabled");
        }
        html.raw(">").text(forward).raw("</button></div></form>");
    }

    fn render_step(&self, html: &mut Html, flow: &Flow<'_>, step_id: &str) {
        let Some(shown) = flow.step(step_id) else { return };
        let step = shown.step;
        self.card(html, step.title.get(self.lang), flow.progress(step_id));
        if let Some(intro) = &step.intro {
            html.element("p", "sp-intro", intro.get(self.lang));
        }
        let state = self.state();
        for question in &step.questions {
            if flow.is_prefilled(&question.id) {
                continue;
            }
            if matches!(question.kind, QuestionKind::LongText { .. }) {
                if let Some(text) = self.chosen_prompt(flow) {
                    html.element("p", "sp-prompt", &[&self.words.get("your_question"), text].concat());
                }
            }
            self.render_question(html, question, state.answers.get(&question.id), !flow.is_asked(&question.id));
        }
        drop(state);
        let last = flow.next_step(step_id).is_none();
        self.nav(html, flow.previous_step(step_id).is_some(), &self.words.get(if last { "to_review" } else { "next" }));
    }

    fn render_review(&self, html: &mut Html) {
        let flow = self.flow();
        self.card(html, &self.words.get("review_title"), None);
        html.element("p", "sp-intro", &self.words.get("review_intro"));
        for shown in flow.steps() {
            let title = shown.step.title.get(self.lang);
            html.raw("<section class=\"sp-review-step\"><div class=\"sp-review-head\">").element("h3", "", title);
            html.open("button", "sp-button sp-secondary sp-small").raw(" type=\"button\" data-action=\"edit\"").attr("data-step", &shown.step.id);
            html.attr("aria-label", &[&self.words.get("change"), ": ", title].concat()).raw(">").text(&self.words.get("change")).raw("</button></div><dl>");
            for question in shown.questions {
                html.element("dt", "", question.label.get(self.lang));
                let answer = flow.answer(&question.id).map(|a| self.words.describe(question, a, self.lang));
                let missing = match question.kind {
                    QuestionKind::LongText { .. } if self.voice().is_some() => "spoken",
                    _ => "not_answered",
                };
                html.element("dd", if answer.is_some() { "" } else { "sp-muted" }, &answer.unwrap_or_else(|| self.words.get(missing)));
            }
            html.raw("</dl></section>");
        }
        drop(flow);
        self.nav(html, true, &self.words.get("send"));
    }

    fn render_thanks(&self, html: &mut Html) {
        self.card(html, &self.words.get("thanks_title"), None);
        html.element("p", "sp-intro", &self.words.get("thanks_text"));
        html.raw("<div class=\"sp-nav\"><button class=\"sp-button sp-primary\" type=\"button\" data-action=\"another\">");
        html.text(&self.words.get("another")).raw("</button></div></form>");
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
        let state = self.state();
        set_hidden(&summary, state.shown_errors.is_empty());
        let mut html = Html::default();
        if !state.shown_errors.is_empty() {
            attr(&summary, "aria-labelledby", "sp-summary-title");
            html.open("h3", "sp-summary-title").raw(" id=\"sp-summary-title\">").text(&self.words.get("fix_errors")).raw("</h3><ul>");
            for (question, message) in &state.shown_errors {
                html.raw("<li><a").attr("href", &["#sp-", question, "-label"].concat()).attr("data-q-link", question).raw(">").text(message).raw("</a></li>");
            }
            html.raw("</ul>");
        }
        dom::set_html(&summary, &html.0);
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
