//! What a valid story is: each answer checked against its question, every problem at once.
use alloc::string::String;
use alloc::vec::Vec;

use crate::answer::{Answer, Answers, NOT_APPLICABLE, Value};
use crate::flow::Flow;
use crate::number::push_int;
use crate::prefill::Prefill;
use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::submission::Submission;

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
        ValidationError {
            question: question.into(),
            code,
            message_nl: code.message_nl(),
        }
    }

    /// The message in `lang` from the shipped translation files (`translations/`), in
    /// Dutch when there is none for `lang`.
    #[cfg(feature = "serde")]
    pub fn message(&self, lang: crate::Lang) -> String {
        crate::translation::shipped(lang).and_then(|t| t.message(self.code)).unwrap_or_else(|| self.message_nl.clone())
    }
}

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
        self.answers
            .iter()
            .find(|a| a.question == question)
            .map(|a| &a.answer)
    }

    /// The answers as a client would send them (prefilled ones included).
    pub fn to_answers(&self) -> Answers {
        self.answers
            .iter()
            .map(|a| (a.question.clone(), a.answer.to_value()))
            .collect()
    }
}

/// Validates a teller's answers against the questionnaire and the prefill.
///
/// Returns the [`Story`], or every problem at once. Rules: `null`, blank and absent mean
/// not answered; answers to questions the flow hides are dropped, not errors; the prefill
/// overrides what the teller sent for a prefilled question; an answer to a question the
/// questionnaire does not have is an error (`unknown_question`).
pub fn validate(
    questionnaire: &Questionnaire,
    prefill: &Prefill,
    answers: &Answers,
) -> Result<Story, Vec<ValidationError>> {
    Flow::new(questionnaire, prefill, answers).into_story(answers)
}

/// Validates a whole [`Submission`]: its questionnaire id and version, then its answers.
pub fn validate_submission(
    questionnaire: &Questionnaire,
    prefill: &Prefill,
    submission: &Submission,
) -> Result<Story, Vec<ValidationError>> {
    let mut errors = Vec::new();
    if submission.questionnaire != questionnaire.id {
        errors.push(ValidationError::new("questionnaire", ErrorCode::WrongQuestionnaire));
    }
    if submission.version != questionnaire.version {
        errors.push(ValidationError::new("version", ErrorCode::WrongVersion));
    }
    let story = Flow::new(questionnaire, prefill, &submission.answers)
        .spoken(submission.audio.is_some())
        .into_story(&submission.answers);
    match story {
        Ok(story) if errors.is_empty() => Ok(story),
        Ok(_) => Err(errors),
        Err(mut more) => {
            errors.append(&mut more);
            Err(errors)
        }
    }
}

/// Reads one value as an answer to `question`: `Ok(None)` when not answered.
///
/// This is the one place that decides whether a value fits a question; the flow, the
/// prefill and validation all go through it.
pub(crate) fn interpret(question: &Question, value: Option<&Value>) -> Result<Option<Answer>, ErrorCode> {
    let value = match value {
        Some(value) if !value.is_unanswered() => value,
        _ => return Ok(None),
    };
    let answer = match (&question.kind, value) {
        (QuestionKind::LongText { max_length } | QuestionKind::ShortText { max_length }, Value::Text(text)) => {
            let text = text.trim();
            if char_count(text) > *max_length as usize {
                return Err(ErrorCode::TooLong { max: *max_length });
            }
            Answer::Text(text.into())
        }
        (QuestionKind::PromptChoice { .. } | QuestionKind::SingleChoice { .. }, Value::Text(choice)) => {
            if !question.kind.has_option(choice) {
                return Err(ErrorCode::UnknownOption);
            }
            Answer::Choice(choice.clone())
        }
        (QuestionKind::MultipleChoice { options, max_choices }, Value::List(items)) => {
            let mut picked = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Text(choice) if question.kind.has_option(choice) => picked.push(choice.as_str()),
                    Value::Text(_) => return Err(ErrorCode::UnknownOption),
                    _ => return Err(ErrorCode::WrongType),
                }
            }
            // Questionnaire order, each option once: the same choices make the same story.
            let choices: Vec<String> = options
                .iter()
                .filter(|o| picked.contains(&o.value.as_str()))
                .map(|o| o.value.clone())
                .collect();
            if let Some(max) = max_choices {
                if choices.len() > *max as usize {
                    return Err(ErrorCode::TooMany { max: *max });
                }
            }
            Answer::Choices(choices)
        }
        (QuestionKind::Slider { not_applicable, .. }, Value::Text(text)) if text == NOT_APPLICABLE => {
            if not_applicable.is_none() {
                return Err(ErrorCode::OutOfRange { min: 0, max: 100 });
            }
            Answer::NotApplicable
        }
        (QuestionKind::Slider { .. }, Value::Integer(n)) => match u8::try_from(*n) {
            Ok(position) if position <= 100 => Answer::Scale(position),
            _ => return Err(ErrorCode::OutOfRange { min: 0, max: 100 }),
        },
        (QuestionKind::Number { min, max }, Value::Integer(n)) => {
            if n < min || n > max {
                return Err(ErrorCode::OutOfRange { min: *min, max: *max });
            }
            Answer::Number(*n)
        }
        _ => return Err(ErrorCode::WrongType),
    };
    Ok(Some(answer))
}

/// The length of a text in characters (Unicode scalar values), as the widget's counter
/// shows it: every byte that does not continue a UTF-8 sequence starts a character.
/// (`str::chars().count()` says the same but costs the widget almost a kilobyte.)
pub fn char_count(text: &str) -> usize {
    text.bytes().filter(|byte| byte & 0xC0 != 0x80).count()
}
