//! Whether a value fits a question: [`interpret`], the one place that decides it, and
//! [`char_count`], how long a text is as the teller sees it.
use alloc::string::String;
use alloc::vec::Vec;

use crate::answer::{Answer, NOT_APPLICABLE, Value};
use crate::error::ErrorCode;
use crate::questionnaire::{Question, QuestionKind};

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
            let choices: Vec<String> = options.iter().filter(|o| picked.contains(&o.value.as_str())).map(|o| o.value.clone()).collect();
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
