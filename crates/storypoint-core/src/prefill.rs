//! Answers filled in by a link or by the page, so the teller is not asked them.
use alloc::string::String;
use alloc::vec::Vec;

use crate::answer::{Answer, Value};
use crate::interpret::interpret;
use crate::questionnaire::{QuestionKind, Questionnaire};

/// Answers filled in before the teller starts, by question id. Every entry is a valid
/// answer to a prefillable question; build one with [`Prefill::from_query`] or
/// [`Prefill::from_pairs`], which drop (with a warning) what does not fit.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Prefill {
    entries: crate::entries::Entries<Answer>,
}

/// A prefill and the warnings about what was dropped from it. Never an error: a bad link
/// must not block a teller; the question is simply asked.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Prefilled {
    /// What could be used.
    pub prefill: Prefill,
    /// What was dropped, and why (for the console and the coordinator).
    pub warnings: Vec<PrefillWarning>,
}

/// Why part of a prefill was dropped. [`PrefillWarning::message`] says it in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrefillWarning {
    /// The questionnaire has no question with this id.
    UnknownQuestion {
        /// The id given.
        question: String,
    },
    /// The question exists but a link may not fill it in.
    NotPrefillable {
        /// The id given.
        question: String,
    },
    /// The value is not a valid answer to the question.
    InvalidValue {
        /// The question id.
        question: String,
        /// The value given.
        value: String,
        /// The validation code (`unknown_option`, `out_of_range`, …) or `empty`.
        reason: &'static str,
    },
    /// A part of the query string is not `id=value` or is not valid percent-encoding.
    Malformed {
        /// The part as given.
        part: String,
    },
}

impl PrefillWarning {
    /// The warning in plain English, for the console and the coordinator. Built without
    /// `core::fmt`, so the widget can show it without kilobytes of formatting code.
    pub fn message(&self) -> String {
        match self {
            PrefillWarning::UnknownQuestion { question } => ["prefill `", question, "`: the questionnaire has no such question; ignored"].concat(),
            PrefillWarning::NotPrefillable { question } => ["prefill `", question, "`: this question cannot be prefilled; ignored, it is asked"].concat(),
            PrefillWarning::InvalidValue { question, value, reason } => {
                ["prefill `", question, "=", value, "`: not a valid answer (", reason, "); ignored, it is asked"].concat()
            }
            PrefillWarning::Malformed { part } => ["prefill `", part, "`: not of the form id=value; ignored"].concat(),
        }
    }
}

impl core::fmt::Display for PrefillWarning {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for PrefillWarning {}

impl Prefill {
    /// No prefill.
    pub fn new() -> Prefill {
        Prefill::default()
    }

    /// Reads `id=value` pairs such as a link's table row: each value must be a valid
    /// answer to a prefillable question. A multiple choice value lists its options
    /// separated by commas. When an id appears twice the last value counts.
    pub fn from_pairs<K, V>(questionnaire: &Questionnaire, pairs: impl IntoIterator<Item = (K, V)>) -> Prefilled
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut result = Prefilled::default();
        for (id, raw) in pairs {
            let (id, raw) = (id.as_ref(), raw.as_ref());
            let Some(question) = questionnaire.question(id) else {
                result.warnings.push(PrefillWarning::UnknownQuestion { question: id.into() });
                continue;
            };
            if !question.prefillable {
                result.warnings.push(PrefillWarning::NotPrefillable { question: id.into() });
                continue;
            }
            let value = match &question.kind {
                QuestionKind::Number { .. } | QuestionKind::Slider { .. } => match raw.trim().parse::<i64>() {
                    Ok(n) => Value::Integer(n),
                    Err(_) => Value::Text(raw.into()),
                },
                QuestionKind::MultipleChoice { .. } => Value::List(split_byte(raw, b',').map(|v| Value::Text(v.trim().into())).collect()),
                _ => Value::Text(raw.into()),
            };
            let invalid = |reason| PrefillWarning::InvalidValue { question: id.into(), value: raw.into(), reason };
            match interpret(question, Some(&value)) {
                Ok(Some(answer)) => result.prefill.set(id, answer),
                Ok(None) => result.warnings.push(invalid("empty")),
                Err(code) => result.warnings.push(invalid(code.as_str())),
            }
        }
        result
    }

    /// Reads a query string such as the element's
    /// `prefill="perspective=parent&age_group=under_12"` (percent-encoding and `+` for a
    /// space allowed, a leading `?` ignored).
    pub fn from_query(questionnaire: &Questionnaire, query: &str) -> Prefilled {
        let mut malformed = Vec::new();
        let mut pairs = Vec::new();
        let query = query.trim();
        let query = query.strip_prefix('?').unwrap_or(query);
        for part in split_byte(query, b'&') {
            if part.is_empty() {
                continue;
            }
            let decoded = split_once_byte(part, b'=').and_then(|(id, value)| Some((percent_decode(id)?, percent_decode(value)?)));
            match decoded {
                Some(pair) => pairs.push(pair),
                None => malformed.push(PrefillWarning::Malformed { part: part.into() }),
            }
        }
        let mut result = Prefill::from_pairs(questionnaire, pairs);
        result.warnings.splice(0..0, malformed);
        result
    }

    fn set(&mut self, question: &str, answer: Answer) {
        self.entries.set(question, answer);
    }

    /// The prefilled answer to `question`.
    pub fn get(&self, question: &str) -> Option<&Answer> {
        self.entries.get(question)
    }

    /// All prefilled answers.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Answer)> {
        self.entries.iter()
    }

    /// Whether nothing is prefilled.
    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }

    /// This prefill, with `fallback`'s answers for the questions this one leaves open.
    /// A link's prefill goes first, the page's `prefill` attribute is the fallback.
    pub fn with_fallback(mut self, fallback: &Prefill) -> Prefill {
        for (id, answer) in fallback.iter() {
            if self.get(id).is_none() {
                self.entries.set(id, answer.clone());
            }
        }
        self
    }
}

// Splitting on one ASCII byte by hand: `str::split` with a `char` pattern links the
// general pattern searcher, about a kilobyte of WebAssembly.

/// `text` split at the first `separator`.
fn split_once_byte(text: &str, separator: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == separator)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text` split at every `separator`.
fn split_byte(text: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    core::iter::from_fn(move || {
        let current = rest?;
        match split_once_byte(current, separator) {
            Some((head, tail)) => {
                rest = Some(tail);
                Some(head)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Decodes `%XX` escapes and `+` (a space, as in HTML forms). `None` if malformed.
fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let high = char::from(hex[0]).to_digit(16)?;
                let low = char::from(hex[1]).to_digit(16)?;
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn splitting_on_a_byte_is_like_str_split() {
        for text in ["", "a", "a&b", "&a&&b&", "é&ü", "x=1&y=2=3"] {
            let ours: alloc::vec::Vec<&str> = super::split_byte(text, b'&').collect();
            let std: alloc::vec::Vec<&str> = text.split('&').collect();
            assert_eq!(ours, std, "{text}");
            assert_eq!(super::split_once_byte(text, b'='), text.split_once('='), "{text}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("Jeugdzorg%20Twente").as_deref(), Some("Jeugdzorg Twente"));
        assert_eq!(percent_decode("a+b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("caf%C3%A9").as_deref(), Some("café"));
        assert_eq!(percent_decode("100%"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None, "not UTF-8");
    }
}
