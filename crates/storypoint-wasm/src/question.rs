//! Building one question's controls (label, help, choices, text, slider, number, the error
//! line) and keeping the live parts of them up to date: the character counter, the slider's
//! words.
use storypoint_core::{NOT_APPLICABLE, Question, QuestionKind, Value, char_count, push_int};
use web_sys::Element;

use crate::dom::{self, append, attr, el, set_hidden, text_el};
use crate::state::Widget;

impl Widget {
    pub fn render_question(&self, question: &Question, value: Option<&Value>) -> Element {
        let lang = self.lang;
        let id = question.id.as_str();
        let control_id = ["sp-", id].concat();
        let help_id = [&control_id, "-help"].concat();
        let error_id = [&control_id, "-error"].concat();
        let described = [help_id.as_str(), " ", error_id.as_str()].concat();
        let grouped = matches!(
            question.kind,
            QuestionKind::PromptChoice { .. } | QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } | QuestionKind::Slider { .. }
        );
        let block = el(if grouped { "fieldset" } else { "div" }, "sp-question");
        attr(&block, "data-q", id);
        let label = el(if grouped { "legend" } else { "label" }, "sp-label");
        dom::set_text(&label, question.label.get(lang));
        let label_id = [&control_id, "-label"].concat();
        attr(&label, "id", &label_id);
        if !grouped {
            attr(&label, "for", &control_id);
        }
        // NL Design System: the optional questions are marked, not the required ones.
        if !question.required {
            append(&label, &text_el("span", "sp-optional", &self.words.get("optional")));
        }
        append(&block, &label);
        let help = text_el("p", "sp-help", question.help.as_ref().map(|h| h.get(lang)).unwrap_or(""));
        attr(&help, "id", &help_id);
        append(&block, &help);

        let text_value = value.and_then(|v| match v {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        });
        let choice = |input_type: &str, option_value: &str, title: &str, text: Option<&str>, index: usize| {
            let option = el("label", "sp-option");
            let input = el("input", "");
            attr(&input, "type", input_type);
            attr(&input, "name", id);
            attr(&input, "value", option_value);
            let mut input_id = [control_id.as_str(), "-"].concat();
            push_int(&mut input_id, index as i64);
            attr(&input, "id", &input_id);
            attr(&input, "aria-describedby", &described);
            let checked = match value {
                Some(Value::Text(t)) => t == option_value,
                Some(Value::List(items)) => items.iter().any(|i| matches!(i, Value::Text(t) if t == option_value)),
                _ => false,
            };
            if checked {
                attr(&input, "checked", "");
            }
            append(&option, &input);
            let words = el("span", "sp-option-text");
            append(&words, &text_el("span", "sp-option-title", title));
            if let Some(text) = text {
                append(&words, &text_el("span", "sp-option-detail", text));
            }
            append(&option, &words);
            option
        };
        match &question.kind {
            QuestionKind::PromptChoice { prompts } => {
                let list = el("div", "sp-options sp-prompts");
                for (i, prompt) in prompts.iter().enumerate() {
                    append(&list, &choice("radio", &prompt.value, prompt.title.get(lang), Some(prompt.text.get(lang)), i));
                }
                append(&block, &list);
            }
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                let kind = if matches!(question.kind, QuestionKind::SingleChoice { .. }) { "radio" } else { "checkbox" };
                let list = el("div", "sp-options");
                for (i, option) in options.iter().enumerate() {
                    append(&list, &choice(kind, &option.value, option.label.get(lang), None, i));
                }
                append(&block, &list);
            }
            QuestionKind::LongText { max_length } | QuestionKind::ShortText { max_length } => {
                let long = matches!(question.kind, QuestionKind::LongText { .. });
                let input = el(if long { "textarea" } else { "input" }, "sp-text");
                if long {
                    attr(&input, "rows", "8");
                } else {
                    attr(&input, "type", "text");
                }
                attr(&input, "id", &control_id);
                attr(&input, "name", id);
                attr(&input, "aria-describedby", &described);
                attr(&input, "autocomplete", "off");
                if let Some(text) = text_value {
                    dom::set_value(&input, text);
                }
                append(&block, &input);
                if long {
                    let counter = el("p", "sp-counter");
                    attr(&counter, "id", &[&control_id, "-count"].concat());
                    append(&block, &counter);
                    self.update_counter(&counter, text_value.unwrap_or(""), *max_length);
                    // Speaking instead of typing: the element loads the recorder into this
                    // box when the button is pressed (or when a recording was kept).
                    let voice = el("div", "sp-voice");
                    attr(&voice, "data-id", &self.state().submission_id);
                    let speak = text_el("button", "sp-button sp-secondary", &self.words.get("speak"));
                    attr(&speak, "type", "button");
                    attr(&speak, "data-voice", "");
                    append(&voice, &speak);
                    append(&block, &voice);
                }
            }
            QuestionKind::Slider { low, high, not_applicable } => {
                let row = el("div", "sp-slider");
                let input = el("input", "sp-range");
                attr(&input, "type", "range");
                attr(&input, "min", "0");
                attr(&input, "max", "100");
                attr(&input, "step", "1");
                attr(&input, "id", &control_id);
                attr(&input, "name", id);
                attr(&input, "aria-labelledby", &label_id);
                attr(&input, "aria-describedby", &described);
                let position = match value {
                    Some(Value::Integer(n)) => Some(*n),
                    _ => None,
                };
                let mut shown = String::new();
                push_int(&mut shown, position.unwrap_or(50));
                attr(&input, "value", &shown);
                let output = el("output", "sp-slider-value");
                attr(&output, "for", &control_id);
                append(&row, &input);
                let ends = el("div", "sp-slider-ends");
                append(&ends, &text_el("span", "", low.get(lang)));
                append(&ends, &text_el("span", "", high.get(lang)));
                append(&row, &ends);
                append(&row, &output);
                append(&block, &row);
                self.update_slider(&block, value);
                if let Some(label) = not_applicable {
                    let option = el("label", "sp-option sp-na");
                    let check = el("input", "");
                    attr(&check, "type", "checkbox");
                    attr(&check, "name", &[id, "__na"].concat());
                    attr(&check, "id", &[&control_id, "-na"].concat());
                    if text_value == Some(NOT_APPLICABLE) {
                        attr(&check, "checked", "");
                    }
                    append(&option, &check);
                    append(&option, &text_el("span", "sp-option-text", label.get(lang)));
                    append(&block, &option);
                }
            }
            QuestionKind::Number { min, max } => {
                let input = el("input", "sp-text sp-number");
                attr(&input, "type", "text");
                attr(&input, "inputmode", "numeric");
                attr(&input, "id", &control_id);
                attr(&input, "name", id);
                attr(&input, "aria-describedby", &described);
                attr(&input, "autocomplete", "off");
                let mut range = String::new();
                push_int(&mut range, *min);
                attr(&input, "data-min", &range);
                range.clear();
                push_int(&mut range, *max);
                attr(&input, "data-max", &range);
                match value {
                    Some(Value::Integer(n)) => {
                        let mut shown = String::new();
                        push_int(&mut shown, *n);
                        dom::set_value(&input, &shown);
                    }
                    Some(Value::Text(t)) => dom::set_value(&input, t),
                    _ => {}
                }
                append(&block, &input);
            }
        }
        let error = el("p", "sp-error");
        attr(&error, "id", &error_id);
        set_hidden(&error, true);
        append(&block, &error);
        block
    }

    pub fn update_counter(&self, counter: &Element, text: &str, max: u32) {
        let mut shown = String::new();
        push_int(&mut shown, char_count(text) as i64);
        shown.push_str(" / ");
        push_int(&mut shown, max.into());
        shown.push_str(&self.words.get("characters"));
        dom::set_text(counter, &shown);
    }

    pub fn update_slider(&self, block: &Element, value: Option<&Value>) {
        let Some(output) = dom::find_in(block, "output") else { return };
        let text = match value {
            Some(Value::Integer(n)) => {
                let mut s = String::new();
                push_int(&mut s, *n);
                s.push_str(&self.words.get("out_of"));
                s
            }
            Some(Value::Text(t)) if t == NOT_APPLICABLE => String::new(),
            _ => self.words.get("not_chosen"),
        };
        dom::set_text(&output, &text);
        if let Some(range) = dom::find_in(block, "input[type=range]") {
            attr(&range, "aria-valuetext", if text.is_empty() { "—" } else { &text });
            dom::toggle_attr(&range, "data-untouched", !matches!(value, Some(Value::Integer(_))));
        }
    }
}
