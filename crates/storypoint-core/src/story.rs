//! A valid story: the typed answers that count, in questionnaire order.
use alloc::string::String;
use alloc::vec::Vec;

use crate::answer::{Answer, Answers};

/// A valid story: the answers that count, typed, in questionnaire order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Story {
    /// The questionnaire id it was validated against.
    pub questionnaire: String,
    /// The questionnaire version it was validated against.
    pub version: u32,
    /// The answers, in questionnaire order; prefilled ones included and marked.
    pub answers: Vec<StoryAnswer>,
}

/// One answer of a [`Story`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryAnswer {
    /// The question id.
    pub question: String,
    /// The typed answer.
    pub answer: Answer,
    /// Whether it came from the link or the page, not from the teller.
    pub prefilled: bool,
}

impl Story {
    /// The answer to `question`, if the story has one.
    pub fn get(&self, question: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.question == question).map(|a| &a.answer)
    }

    /// The answers as a client would send them (prefilled ones included).
    pub fn to_answers(&self) -> Answers {
        self.answers.iter().map(|a| (a.question.clone(), a.answer.to_value())).collect()
    }
}
