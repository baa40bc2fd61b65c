//! The contract question ids: the few questions the collector itself relies on, by id.
//!
//! The questionnaire is data (`questionnaires/*.json`), and almost all of it can change
//! without a line of code: labels, options, steps, conditions, new questions. These ids
//! cannot: the store keeps the answers to [`ORGANISATION`], [`PERSPECTIVE`] and
//! [`AGE_GROUP`] in columns of their own for counting, a link's organisation name answers
//! [`ORGANISATION`], the organisation table fills [`ORGANISATION_TYPE`], [`AGE_GROUP`] and
//! [`PERSPECTIVE`], insight groups by the questions about the teller and reads the
//! [`STORY`] and its [`TITLE`], and campaigns offer a choice of [`PROMPT`]s. A questionnaire
//! that renames one of them still works, but that part of the collector no longer finds its
//! answers. The default questionnaire's test (`holds_every_contract_id_and_option_value`)
//! pins them; ARCHITECTURE.md lists them with their option values.
//!
//! Every crate names these questions through these constants, never as a string of its own.

/// The eliciting question a teller picks first (a `prompt_choice`); a campaign may offer
/// only some of its options.
pub const PROMPT: &str = "prompt";
/// The story itself (a long text), what insight lists and reads.
pub const STORY: &str = "story";
/// The story's title (a short text), shown above it when it is read.
pub const TITLE: &str = "title";
/// Who tells: child, young person, parent, professional, other. Kept in the store's own
/// column; insight groups by it first.
pub const PERSPECTIVE: &str = "perspective";
/// The age group the story is about. Kept in the store's own column.
pub const AGE_GROUP: &str = "age_group";
/// Where the child lives: a question about the teller that insight groups by.
pub const LIVING_SITUATION: &str = "living_situation";
/// The feeling the story left: insight's first row for a cross-table.
pub const EMOTION: &str = "emotion";
/// The organisation's name: a link's organisation answers it when the link does not.
/// Kept in the store's own column; insight filters by it.
pub const ORGANISATION: &str = "organisation";
/// The organisation's type: a column of the organisation table.
pub const ORGANISATION_TYPE: &str = "organisation_type";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contract_id_is_a_question_of_the_default_questionnaire() {
        let questionnaire = crate::default_questionnaire();
        for id in [PROMPT, STORY, TITLE, PERSPECTIVE, AGE_GROUP, LIVING_SITUATION, EMOTION, ORGANISATION, ORGANISATION_TYPE] {
            assert!(questionnaire.question(id).is_some(), "the default questionnaire has no question `{id}`");
        }
    }
}
