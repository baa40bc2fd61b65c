//! The rules of a work session's observation: what the team sees on an insight view (a
//! text), two or more interpretations (what it might mean), and stories marked typical.
//! [`Draft::from_form`] reads the form as typed, [`Draft::problems`] says in plain words what
//! is missing, each at its field; [`scope`] decides which campaign an observation belongs
//! to, so a campaign's token only ever sees its own campaign's observations.
use storypoint_insight::{Request, Schema};

use crate::access::Access;
use crate::store::Observation;
use crate::words::{t, t_with};

/// The fewest interpretations an observation has: one reading alone is a conclusion, and the
/// work session is about weighing more than one.
pub const FEWEST_INTERPRETATIONS: usize = 2;
/// How many interpretation fields the form offers (empty ones are left out).
pub const INTERPRETATION_FIELDS: usize = 4;
/// The longest text kept in one field, in characters.
pub const LONGEST_TEXT: usize = 4000;

/// An observation as the form sent it, before any rule is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The insight view it is made on (the query string of `/admin/inzicht`).
    pub view: String,
    /// What the team sees.
    pub text: String,
    /// What it might mean, as typed (empty fields left out).
    pub interpretations: Vec<String>,
    /// The typical stories chosen (store ids).
    pub stories: Vec<i64>,
}

/// The form field a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// What the team sees.
    Text,
    /// The interpretations.
    Interpretations,
    /// The typical stories.
    Stories,
    /// The view it was made on.
    View,
}

/// Why an observation cannot be saved as sent. Its words are the request's language's
/// (Dutch outside a request; see [`crate::words`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Nothing written about what the team sees.
    NoText,
    /// Fewer than [`FEWEST_INTERPRETATIONS`] interpretations.
    TooFewInterpretations(usize),
    /// A text longer than [`LONGEST_TEXT`].
    TooLong(Field),
    /// A story that is not (or no longer) marked typical in this campaign.
    NotTypical,
    /// The view does not exist (the address was changed by hand).
    NoSuchView,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::NoText => f.write_str(t("observation.problem.no_text")),
            Problem::TooFewInterpretations(count) => f.write_str(&t_with("observation.problem.too_few", &[("count", count)])),
            Problem::TooLong(_) => f.write_str(t("observation.problem.too_long")),
            Problem::NotTypical => f.write_str(t("observation.problem.not_typical")),
            Problem::NoSuchView => f.write_str(t("observation.problem.no_view")),
        }
    }
}

impl std::error::Error for Problem {}

impl Problem {
    /// The field the problem is about.
    pub fn field(&self) -> Field {
        match self {
            Problem::NoText => Field::Text,
            Problem::TooFewInterpretations(_) => Field::Interpretations,
            Problem::TooLong(field) => *field,
            Problem::NotTypical => Field::Stories,
            Problem::NoSuchView => Field::View,
        }
    }
}

impl Draft {
    /// The draft from the form's fields: `observatie`, `betekenis` (repeated), `verhaal`
    /// (repeated) and `weergave`. Texts are trimmed; empty interpretations left out; a story
    /// that is no number is left out (no form of ours sends one).
    pub fn from_form(fields: &[(String, String)]) -> Draft {
        let all = |name: &'static str| fields.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.trim());
        let one = |name: &'static str| all(name).next().unwrap_or_default().to_string();
        let mut stories: Vec<i64> = all("verhaal").filter_map(|id| id.parse().ok()).collect();
        stories.dedup();
        Draft {
            view: one("weergave"),
            text: normalise(&one("observatie")),
            interpretations: all("betekenis").map(normalise).filter(|text| !text.is_empty()).collect(),
            stories,
        }
    }

    /// The draft of a saved observation, to change it.
    pub fn of(observation: &Observation) -> Draft {
        Draft {
            view: observation.view.clone(),
            text: observation.text.clone(),
            interpretations: observation.interpretations.clone(),
            stories: observation.stories.clone(),
        }
    }

    /// Everything that keeps the draft from being saved, in the order of the form: `typical`
    /// are the stories that may be chosen, `schema` reads the view.
    pub fn problems(&self, typical: &[i64], schema: &Schema) -> Vec<Problem> {
        let mut problems = Vec::new();
        if Request::parse(schema, &self.view).is_err() {
            problems.push(Problem::NoSuchView);
        }
        let too_long = |text: &str| text.chars().count() > LONGEST_TEXT;
        if self.text.is_empty() {
            problems.push(Problem::NoText);
        } else if too_long(&self.text) {
            problems.push(Problem::TooLong(Field::Text));
        }
        if self.interpretations.len() < FEWEST_INTERPRETATIONS {
            problems.push(Problem::TooFewInterpretations(self.interpretations.len()));
        } else if self.interpretations.iter().any(|text| too_long(text)) {
            problems.push(Problem::TooLong(Field::Interpretations));
        }
        if self.stories.iter().any(|id| !typical.contains(id)) {
            problems.push(Problem::NotTypical);
        }
        problems
    }

    /// The observation to save, in `campaign`'s scope (see [`scope`]).
    pub fn into_observation(self, id: i64, campaign: Option<String>) -> Observation {
        Observation { id, campaign, view: self.view, text: self.text, interpretations: self.interpretations, stories: self.stories }
    }
}

/// A text as kept: line ends as `\n`, without the spaces around it.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n").trim().to_string()
}

/// The campaign an observation made on a view belongs to: a campaign's token's own; for the
/// collector's token, the campaign the view is filtered on, or none (every campaign).
pub fn scope(access: &Access, view_campaign: Option<&str>) -> Option<String> {
    access.campaign().or(view_campaign).map(String::from)
}

/// Whether `access` may see (and change) `observation`: the collector's token sees every
/// one, a campaign's token only its own campaign's.
pub fn visible(access: &Access, observation: &Observation) -> bool {
    access.campaign().is_none_or(|own| observation.campaign.as_deref() == Some(own))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::of(&storypoint_core::default_questionnaire())
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_draft_keeps_what_was_typed_and_leaves_empty_interpretations_out() {
        let draft = Draft::from_form(&fields(&[
            ("weergave", "question=emotion&by=perspective"),
            ("observatie", "  Ouders zijn vaker boos.\r\nVooral bij wachten. "),
            ("betekenis", "Wachtlijsten"),
            ("betekenis", "   "),
            ("betekenis", "Ouders vertellen eerder als het misgaat"),
            ("verhaal", "12"),
            ("verhaal", "twaalf"),
        ]));
        assert_eq!(draft.text, "Ouders zijn vaker boos.\nVooral bij wachten.");
        assert_eq!(draft.interpretations, ["Wachtlijsten", "Ouders vertellen eerder als het misgaat"]);
        assert_eq!(draft.stories, [12]);
        assert_eq!(draft.problems(&[12], &schema()), []);
    }

    #[test]
    fn every_problem_is_named_at_its_field() {
        let draft = Draft::from_form(&fields(&[("weergave", "question=schoenmaat"), ("betekenis", "Eén lezing"), ("verhaal", "7")]));
        let problems = draft.problems(&[8], &schema());
        assert_eq!(problems, [Problem::NoSuchView, Problem::NoText, Problem::TooFewInterpretations(1), Problem::NotTypical]);
        assert_eq!(problems.iter().map(Problem::field).collect::<Vec<_>>(), [Field::View, Field::Text, Field::Interpretations, Field::Stories]);
        assert!(problems[2].to_string().contains("ten minste twee") && problems[2].to_string().contains("nu 1"));
        let long = Draft { view: String::new(), text: "x".repeat(LONGEST_TEXT + 1), interpretations: vec!["a".into(), "b".into()], stories: vec![] };
        assert_eq!(long.problems(&[], &schema()), [Problem::TooLong(Field::Text)]);
    }

    #[test]
    fn a_campaign_token_keeps_to_its_own_campaign() {
        let own = Access::Campaign("twente".into());
        assert_eq!(scope(&own, Some("noord")), Some("twente".into()), "whatever the view asks for");
        assert_eq!(scope(&Access::All, Some("noord")), Some("noord".into()));
        assert_eq!(scope(&Access::All, None), None);
        let theirs = Observation { campaign: Some("noord".into()), ..Observation::default() };
        let national = Observation::default();
        assert!(!visible(&own, &theirs) && !visible(&own, &national));
        assert!(visible(&Access::All, &theirs) && visible(&Access::All, &national));
        assert!(visible(&Access::Campaign("noord".into()), &theirs));
    }
}
