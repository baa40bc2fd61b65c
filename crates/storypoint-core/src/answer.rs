//! Answers as they arrive (untrusted [`Value`]s) and as they are stored (typed [`Answer`]s).
use alloc::string::String;
use alloc::vec::Vec;

/// The value a slider answer takes when the teller says the question does not apply.
pub const NOT_APPLICABLE: &str = "not_applicable";

/// An answer as sent by a teller or a client: untrusted, possibly of the wrong type.
///
/// This mirrors JSON without floats: a whole number is an [`Value::Integer`]; a fraction, an
/// object or a number out of range is [`Value::Other`], which no question accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `null`: not answered.
    Null,
    /// `true` / `false`: no question takes these.
    Bool(bool),
    /// A whole number.
    Integer(i64),
    /// A string.
    Text(String),
    /// An array (the answer to a multiple choice question).
    List(Vec<Value>),
    /// Anything else JSON can hold (a fraction, an object, a huge number).
    Other,
}

impl Value {
    /// `null`, an empty or blank string and an empty list all mean "not answered".
    pub fn is_unanswered(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Text(text) => text.trim().is_empty(),
            Value::List(items) => items.is_empty(),
            _ => false,
        }
    }
}

/// The answers of one teller, by question id: what a client sends.
///
/// A small builder the widget fills as the teller answers; setting an id twice keeps the
/// last value.
///
/// ```
/// use storypoint_core::{Answers, Value};
/// let answers = Answers::new().with_text("story", "…").with_integer("seen_heard", 80);
/// assert_eq!(answers.get("seen_heard"), Some(&Value::Integer(80)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Answers {
    entries: crate::entries::Entries<Value>,
}

impl Answers {
    /// No answers.
    pub fn new() -> Answers {
        Answers::default()
    }

    /// Sets the answer to `question`, replacing an earlier one.
    pub fn set(&mut self, question: &str, value: Value) {
        self.entries.set(question, value);
    }

    /// Removes the answer to `question`.
    pub fn remove(&mut self, question: &str) {
        self.entries.remove(question);
    }

    /// The answer to `question`, if any was given.
    pub fn get(&self, question: &str) -> Option<&Value> {
        self.entries.get(question)
    }

    /// All answers in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter()
    }

    /// Number of answers (including `null` ones).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no answer was set.
    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }

    /// Builder: a text or choice answer.
    pub fn with_text(mut self, question: &str, text: &str) -> Answers {
        self.set(question, Value::Text(text.into()));
        self
    }

    /// Builder: a whole-number answer (slider, number).
    pub fn with_integer(mut self, question: &str, number: i64) -> Answers {
        self.set(question, Value::Integer(number));
        self
    }

    /// Builder: a multiple choice answer.
    pub fn with_choices(mut self, question: &str, choices: &[&str]) -> Answers {
        let list = choices.iter().map(|c| Value::Text((*c).into())).collect();
        self.set(question, Value::List(list));
        self
    }

    /// Builder: any value.
    pub fn with(mut self, question: &str, value: Value) -> Answers {
        self.set(question, value);
        self
    }
}

impl FromIterator<(String, Value)> for Answers {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Answers {
        let mut answers = Answers::new();
        for (id, value) in iter {
            answers.set(&id, value);
        }
        answers
    }
}

/// A validated answer, typed by its question's kind: what a [`crate::Story`] holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Text of a long or short text question (trimmed).
    Text(String),
    /// The option value of a single choice or prompt choice question.
    Choice(String),
    /// The option values of a multiple choice question, in questionnaire order.
    Choices(Vec<String>),
    /// A slider position, 0–100.
    Scale(u8),
    /// A slider answered "does not apply".
    NotApplicable,
    /// A number question's answer.
    Number(i64),
}

impl Answer {
    /// The text or choice value, if this answer is one string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Answer::Text(s) | Answer::Choice(s) => Some(s),
            Answer::NotApplicable => Some(NOT_APPLICABLE),
            _ => None,
        }
    }

    /// The number or slider position, if this answer is a number.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Answer::Scale(n) => Some(i64::from(*n)),
            Answer::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether this answer is, or for multiple choice includes, the option `value`.
    pub fn includes(&self, value: &str) -> bool {
        match self {
            Answer::Choice(choice) => choice == value,
            Answer::Choices(choices) => choices.iter().any(|c| c == value),
            _ => false,
        }
    }

    /// The answer as it travels on the wire (the inverse of validation).
    pub fn to_value(&self) -> Value {
        match self {
            Answer::Text(s) | Answer::Choice(s) => Value::Text(s.clone()),
            Answer::Choices(list) => Value::List(list.iter().cloned().map(Value::Text).collect()),
            Answer::Scale(n) => Value::Integer(i64::from(*n)),
            Answer::NotApplicable => Value::Text(NOT_APPLICABLE.into()),
            Answer::Number(n) => Value::Integer(*n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_an_answer_twice_keeps_the_last() {
        let mut answers = Answers::new().with_text("story", "eerste");
        answers.set("story", Value::Text("tweede".into()));
        assert_eq!(answers.len(), 1);
        assert_eq!(answers.get("story"), Some(&Value::Text("tweede".into())));
        answers.remove("story");
        assert!(answers.is_empty());
    }

    #[test]
    fn blank_values_are_unanswered() {
        for value in [Value::Null, Value::Text("  \n".into()), Value::List(Vec::new())] {
            assert!(value.is_unanswered(), "{value:?}");
        }
        for value in [Value::Integer(0), Value::Text("0".into()), Value::Bool(false)] {
            assert!(!value.is_unanswered(), "{value:?}");
        }
    }
}
