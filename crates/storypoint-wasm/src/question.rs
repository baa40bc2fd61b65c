//! Building one question's controls (label, help, choices, text, slider, number, the error
//! line) and keeping the live parts of them up to date: the character counter, the slider's
//! words.
use crate::prelude::*;
use storypoint_core::{NOT_APPLICABLE, Question, QuestionKind, Value, char_count, push_int};
use web_sys::Element;

use crate::dom::{self, attr};
use crate::html::Html;
use crate::state::Widget;

impl Widget {
    /// One question's block; `hidden` when the flow does not ask it (yet).
    pub fn render_question(&self, html: &mut Html, question: &Question, value: Option<&Value>, hidden: bool) {
        let lang = self.lang;
        let id = question.id.as_str();
        let control_id = ["sp-", id].concat();
        let help_id = [&control_id, "-help"].concat();
        let error_id = [&control_id, "-error"].concat();
        let described = [help_id.as_str(), " ", error_id.as_str()].concat();
        let label_id = [&control_id, "-label"].concat();
        let grouped = matches!(
            question.kind,
            QuestionKind::PromptChoice { .. } | QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } | QuestionKind::Slider { .. }
        );
        let block = if grouped { "fieldset" } else { "div" };
        html.open(block, "sp-question").attr("data-q", id);
        if hidden {
            html.raw(" hidden");
        }
        html.raw(">");
        let label = if grouped { "legend" } else { "label" };
        html.open(label, "sp-label").attr("id", &label_id);
        if !grouped {
            html.attr("for", &control_id);
        }
        html.raw(">").text(question.label.get(lang));
        // NL Design System: the optional questions are marked, not the required ones.
        if !question.required {
            html.element("span", "sp-optional", &self.words.get("optional"));
        }
        html.raw("</").raw(label).raw(">");
        html.open("p", "sp-help").attr("id", &help_id).raw(">").text(question.help.as_ref().map(|h| h.get(lang)).unwrap_or("")).raw("</p>");

        let text_value = value.and_then(|v| match v {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        });
        // The attributes every text control has.
        let control = |html: &mut Html| {
            html.attr("id", &control_id).attr("name", id).attr("aria-describedby", &described).raw(" autocomplete=\"off\"");
        };
        match &question.kind {
            QuestionKind::PromptChoice { prompts } => {
                html.raw("<div class=\"sp-options sp-prompts\">");
                for (i, prompt) in prompts.iter().enumerate() {
                    self.choice(html, "radio", id, &described, value, &prompt.value, prompt.title.get(lang), Some(prompt.text.get(lang)), i);
                }
                html.raw("</div>");
            }
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                let kind = if matches!(question.kind, QuestionKind::SingleChoice { .. }) { "radio" } else { "checkbox" };
                html.raw("<div class=\"sp-options\">");
                for (i, option) in options.iter().enumerate() {
                    self.choice(html, kind, id, &described, value, &option.value, option.label.get(lang), None, i);
                }
                html.raw("</div>");
            }
            QuestionKind::LongText { max_length } => {
                html.open("textarea", "sp-text").raw(" rows=\"8\"");
                control(html);
                // The parser drops one line break right after `<textarea>`: this one, never the teller's.
                html.raw(">\n").text(text_value.unwrap_or("")).raw("</textarea>");
                html.open("p", "sp-counter").attr("id", &[&control_id, "-count"].concat()).raw(">");
                html.text(&self.counter_text(text_value.unwrap_or(""), *max_length)).raw("</p>");
                // Speaking instead of typing: the element loads the recorder into this
                // box when the button is pressed (or when a recording was kept).
                html.open("div", "sp-voice").attr("data-id", &self.state().submission_id).raw(">");
                html.open("button", "sp-button sp-secondary").raw(" type=\"button\" data-voice>").text(&self.words.get("speak")).raw("</button></div>");
            }
            QuestionKind::ShortText { .. } => {
                html.open("input", "sp-text").raw(" type=\"text\"");
                control(html);
                if let Some(text) = text_value {
                    html.attr("value", text);
                }
                html.raw(">");
            }
            QuestionKind::Slider { low, high, not_applicable } => {
                let position = match value {
                    Some(Value::Integer(n)) => *n,
                    _ => 50,
                };
                let words = self.slider_text(value);
                html.raw("<div class=\"sp-slider\">").open("input", "sp-range").raw(" type=\"range\" min=\"0\" max=\"100\" step=\"1\"");
                html.attr("id", &control_id).attr("name", id).attr("aria-labelledby", &label_id).attr("aria-describedby", &described);
                html.raw(" value=\"").int(position).raw("\"").attr("aria-valuetext", if words.is_empty() { "—" } else { &words });
                if !matches!(value, Some(Value::Integer(_))) {
                    html.raw(" data-untouched");
                }
                html.raw("><div class=\"sp-slider-ends\">").element("span", "", low.get(lang)).element("span", "", high.get(lang)).raw("</div>");
                html.open("output", "sp-slider-value").attr("for", &control_id).raw(">").text(&words).raw("</output></div>");
                if let Some(label) = not_applicable {
                    html.raw("<label class=\"sp-option sp-na\"><input type=\"checkbox\"")
                        .attr("name", &[id, "__na"].concat())
                        .attr("id", &[&control_id, "-na"].concat());
                    if text_value == Some(NOT_APPLICABLE) {
                        html.raw(" checked");
                    }
                    html.raw(">").element("span", "sp-option-text", label.get(lang)).raw("</label>");
                }
            }
            QuestionKind::Number { min, max } => {
                html.open("input", "sp-text sp-number").raw(" type=\"text\" inputmode=\"numeric\"");
                control(html);
                html.raw(" data-min=\"").int(*min).raw("\" data-max=\"").int(*max).raw("\"");
                match value {
                    Some(Value::Integer(n)) => {
                        html.raw(" value=\"").int(*n).raw("\"");
                    }
                    Some(Value::Text(t)) => {
                        html.attr("value", t);
                    }
                    _ => {}
                }
                html.raw(">");
            }
        }
        html.open("p", "sp-error").attr("id", &error_id).raw(" hidden></p></").raw(block).raw(">");
    }

    /// One radio button or checkbox with its words.
    #[allow(clippy::too_many_arguments)]
    fn choice(
        &self,
        html: &mut Html,
        kind: &str,
        name: &str,
        described: &str,
        value: Option<&Value>,
        option: &str,
        title: &str,
        detail: Option<&str>,
        index: usize,
    ) {
        html.raw("<label class=\"sp-option\"><input").attr("type", kind).attr("name", name).attr("value", option);
        html.raw(" id=\"sp-").raw(name).raw("-").int(index as i64).raw("\"").attr("aria-describedby", described);
        let checked = match value {
            Some(Value::Text(t)) => t == option,
            Some(Value::List(items)) => items.iter().any(|i| matches!(i, Value::Text(t) if t == option)),
            _ => false,
        };
        if checked {
            html.raw(" checked");
        }
        html.raw("><span class=\"sp-option-text\">").element("span", "sp-option-title", title);
        if let Some(detail) = detail {
            html.element("span", "sp-option-detail", detail);
        }
        html.raw("</span></label>");
    }

    /// The counter under a long text: "12 / 5000 tekens".
    fn counter_text(&self, text: &str, max: u32) -> String {
        let mut shown = String::new();
        push_int(&mut shown, char_count(text) as i64);
        shown.push_str(" / ");
        push_int(&mut shown, max.into());
        shown.push_str(&self.words.get("characters"));
        shown
    }

    pub fn update_counter(&self, counter: &Element, text: &str, max: u32) {
        dom::set_text(counter, &self.counter_text(text, max));
    }

    /// A slider's position in words ("7 van 10"), empty for "does not apply".
    fn slider_text(&self, value: Option<&Value>) -> String {
        match value {
            Some(Value::Integer(n)) => {
                let mut s = String::new();
                push_int(&mut s, *n);
                s.push_str(&self.words.get("out_of"));
                s
            }
            Some(Value::Text(t)) if t == NOT_APPLICABLE => String::new(),
            _ => self.words.get("not_chosen"),
        }
    }

    pub fn update_slider(&self, block: &Element, value: Option<&Value>) {
        let Some(output) = dom::find_in(block, "output") else { return };
        let text = self.slider_text(value);
        dom::set_text(&output, &text);
        if let Some(range) = dom::find_in(block, "input[type=range]") {
            attr(&range, "aria-valuetext", if text.is_empty() { "—" } else { &text });
            dom::toggle_attr(&range, "data-untouched", !matches!(value, Some(Value::Integer(_))));
        }
    }
}
