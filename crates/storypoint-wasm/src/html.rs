//! Markup as text: a screen is written into one string and handed to the browser in one
//! crossing (`dom::set_html`), instead of one call per element and attribute. Text from a
//! questionnaire, a translation or the teller is always escaped here.
use crate::prelude::*;
use storypoint_core::push_int;

/// A piece of HTML being written.
#[derive(Default)]
pub struct Html(pub String);

impl Html {
    /// Markup written by the widget itself, as it is.
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Text, escaped for both element content and a quoted attribute value.
    pub fn text(&mut self, text: &str) -> &mut Self {
        let mut start = 0;
        for (at, byte) in text.bytes().enumerate() {
            let entity = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => continue,
            };
            // `get` at an ASCII byte is always a boundary; it never panics (no formatting linked).
            self.0.push_str(text.get(start..at).unwrap_or(""));
            self.0.push_str(entity);
            start = at + 1;
        }
        self.0.push_str(text.get(start..).unwrap_or(""));
        self
    }

    pub fn int(&mut self, n: i64) -> &mut Self {
        push_int(&mut self.0, n);
        self
    }

    /// ` name="value"` (escaped).
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.raw(" ").raw(name).raw("=\"").text(value).raw("\"")
    }

    /// `<tag class="class">text</tag>` (the class left out when empty).
    pub fn element(&mut self, tag: &str, class: &str, text: &str) -> &mut Self {
        self.open(tag, class).raw(">").text(text).raw("</").raw(tag).raw(">")
    }

    /// `<tag class="class"` without its `>`, for more attributes.
    pub fn open(&mut self, tag: &str, class: &str) -> &mut Self {
        self.raw("<").raw(tag);
        if !class.is_empty() {
            self.attr("class", class);
        }
        self
    }
}
