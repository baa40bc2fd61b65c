//! Why an answer is not valid: [`ErrorCode`] (the stable code and its Dutch message) and
//! [`ValidationError`] (which question, and what to do).
use alloc::string::String;

use crate::number::push_int;

/// Why an answer (or a submission) is not valid. Serialized as its [`ErrorCode::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A required visible question has no answer.
    Required,
    /// A text is longer than its question allows.
    TooLong {
        /// Maximum length in characters.
        max: u32,
    },
    /// A number or slider answer lies outside its range.
    OutOfRange {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// A choice that is not one of the question's options.
    UnknownOption,
    /// More options picked than the question allows.
    TooMany {
        /// Most options allowed.
        max: u32,
    },
    /// An answer of the wrong JSON type (a number for a text, …).
    WrongType,
    /// An answer to a question the questionnaire does not have.
    UnknownQuestion,
    /// The submission names another questionnaire.
    WrongQuestionnaire,
    /// The submission names another version of the questionnaire.
    WrongVersion,
}

impl ErrorCode {
    /// The stable code on the wire: `required`, `too_long`, `out_of_range`, …
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Required => "required",
            ErrorCode::TooLong { .. } => "too_long",
            ErrorCode::OutOfRange { .. } => "out_of_range",
            ErrorCode::UnknownOption => "unknown_option",
            ErrorCode::TooMany { .. } => "too_many",
            ErrorCode::WrongType => "wrong_type",
            ErrorCode::UnknownQuestion => "unknown_question",
            ErrorCode::WrongQuestionnaire => "wrong_questionnaire",
            ErrorCode::WrongVersion => "wrong_version",
        }
    }

    /// The message for the teller in plain Dutch, as a template: `{min}` and `{max}`
    /// stand for the numbers, as in a translation file's `messages`.
    pub fn template_nl(self) -> &'static str {
        match self {
            ErrorCode::Required => "Deze vraag moet je invullen.",
            ErrorCode::TooLong { .. } => "Dit is te lang. Je kunt maximaal {max} tekens gebruiken.",
            ErrorCode::OutOfRange { .. } => "Kies een getal van {min} tot en met {max}.",
            ErrorCode::UnknownOption => "Kies een van de antwoorden die er staan.",
            ErrorCode::TooMany { .. } => "Kies er niet meer dan {max}.",
            ErrorCode::WrongType => "Dit antwoord past niet bij deze vraag.",
            ErrorCode::UnknownQuestion => "Deze vraag hoort niet bij deze vragenlijst.",
            ErrorCode::WrongQuestionnaire => "Dit verhaal hoort bij een andere vragenlijst.",
            ErrorCode::WrongVersion => "Deze vragenlijst is veranderd. Laad de pagina opnieuw; je verhaal blijft bewaard.",
        }
    }

    /// The message for the teller, in plain Dutch.
    pub fn message_nl(self) -> String {
        self.fill(self.template_nl())
    }

    /// `template` (a message in any language) with this error's numbers in place of
    /// `{min}` and `{max}`; any other brace stays as it is.
    pub fn fill(self, template: &str) -> String {
        let (min, max) = match self {
            ErrorCode::TooLong { max } | ErrorCode::TooMany { max } => (0, max.into()),
            ErrorCode::OutOfRange { min, max } => (min, max),
            _ => (0, 0),
        };
        let mut out = String::new();
        let mut rest = template;
        // `get` and `strip_prefix`, no indexing and no string patterns: this runs in the
        // widget, where their panic messages and searchers cost bytes.
        while let Some(start) = rest.bytes().position(|b| b == b'{') {
            let (Some(before), Some(after)) = (rest.get(..start), rest.get(start + 1..)) else { break };
            out.push_str(before);
            rest = if let Some(after) = after.strip_prefix("max}") {
                push_int(&mut out, max);
                after
            } else if let Some(after) = after.strip_prefix("min}") {
                push_int(&mut out, min);
                after
            } else {
                out.push('{');
                after
            };
        }
        out.push_str(rest);
        out
    }
}

/// One problem with a story: which question (or submission field), and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The question id, or the submission field (`questionnaire`, `version`).
    pub question: String,
    /// What is wrong.
    pub code: ErrorCode,
    /// Message for the teller in Dutch; other languages come from translation files
    /// ([`crate::Translation::message`]).
    pub message_nl: String,
}

impl ValidationError {
    /// An error about `question` with the messages of `code`.
    pub fn new(question: &str, code: ErrorCode) -> ValidationError {
        ValidationError { question: question.into(), code, message_nl: code.message_nl() }
    }
}
