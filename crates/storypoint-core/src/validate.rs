//! What a valid story is: each answer checked against its question, every problem at once.
use alloc::vec::Vec;

use crate::answer::Answers;
use crate::error::{ErrorCode, ValidationError};
use crate::flow::Flow;
use crate::prefill::Prefill;
use crate::questionnaire::Questionnaire;
use crate::story::Story;
use crate::submission::Submission;

/// Validates a teller's answers against the questionnaire and the prefill.
///
/// Returns the [`Story`], or every problem at once. Rules: `null`, blank and absent mean
/// not answered; answers to questions the flow hides are dropped, not errors; the prefill
/// overrides what the teller sent for a prefilled question; an answer to a question the
/// questionnaire does not have is an error (`unknown_question`).
pub fn validate(questionnaire: &Questionnaire, prefill: &Prefill, answers: &Answers) -> Result<Story, Vec<ValidationError>> {
    Flow::new(questionnaire, prefill, answers).into_story(answers)
}

/// Validates a whole [`Submission`]: its questionnaire id and version, then its answers.
pub fn validate_submission(questionnaire: &Questionnaire, prefill: &Prefill, submission: &Submission) -> Result<Story, Vec<ValidationError>> {
    let mut errors = Vec::new();
    if submission.questionnaire != questionnaire.id {
        errors.push(ValidationError::new("questionnaire", ErrorCode::WrongQuestionnaire));
    }
    if submission.version != questionnaire.version {
        errors.push(ValidationError::new("version", ErrorCode::WrongVersion));
    }
    let story = Flow::new(questionnaire, prefill, &submission.answers).spoken(submission.audio.is_some()).into_story(&submission.answers);
    match story {
        Ok(story) if errors.is_empty() => Ok(story),
        Ok(_) => Err(errors),
        Err(mut more) => {
            errors.append(&mut more);
            Err(errors)
        }
    }
}
