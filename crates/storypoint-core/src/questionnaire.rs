//! The questionnaire as data: steps of questions, their kinds and visibility conditions.
use alloc::string::String;
use alloc::vec::Vec;

use crate::text::Text;

/// A versioned questionnaire: ordered steps of questions, all texts localized.
///
/// Read one from JSON with [`Questionnaire::from_json`] (feature `serde`) or use the
/// compiled-in [`crate::default_questionnaire`]; then [`Questionnaire::check`] it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Questionnaire {
    /// Stable identifier, e.g. `vertelpunt-jeugdhulp`; stories name it.
    pub id: String,
    /// Version of this questionnaire; a story is validated against exactly one version.
    pub version: u32,
    /// The languages every text is written in; Dutch (`nl`) first.
    pub languages: Vec<crate::Lang>,
    /// The name shown above the questionnaire.
    pub title: Text,
    /// The steps, in the order the teller meets them.
    pub steps: Vec<Step>,
}

/// One screen of the questionnaire.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Step {
    /// Identifier, lowercase snake_case, unique in the questionnaire.
    pub id: String,
    /// Heading of the step.
    pub title: Text,
    /// Optional short introduction under the heading.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub intro: Option<Text>,
    /// The questions of this step, in order.
    pub questions: Vec<Question>,
}

/// One question. What it asks for is its [`QuestionKind`]. (Its JSON shape, with the kind's
/// fields beside the others, is read and written in `serde_impl`.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// Identifier, lowercase snake_case; the key of the answer in a story (a contract).
    pub id: String,
    /// The question as shown.
    pub label: Text,
    /// Optional help text under the label.
    pub help: Option<Text>,
    /// A visible question that must be answered.
    pub required: bool,
    /// A link may fill this in; a prefilled question is never asked.
    pub prefillable: bool,
    /// Shown only when this condition on an earlier answer (or prefill) holds.
    pub visible_if: Option<Condition>,
    /// What kind of answer the question takes.
    pub kind: QuestionKind,
}

/// The kinds of question, each with what it needs and nothing more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    /// The teller picks which eliciting question (prompt) to answer with their story.
    PromptChoice {
        /// The prompts to choose from.
        prompts: Vec<Prompt>,
    },
    /// The story itself: free text with a maximum length in characters.
    LongText {
        /// Maximum length in characters (Unicode scalar values).
        max_length: u32,
    },
    /// A short line of text.
    ShortText {
        /// Maximum length in characters (Unicode scalar values).
        max_length: u32,
    },
    /// Exactly one option.
    SingleChoice {
        /// The options.
        options: Vec<ChoiceOption>,
    },
    /// Any number of options (at most `max_choices` when set).
    MultipleChoice {
        /// The options.
        options: Vec<ChoiceOption>,
        /// Most options a teller may pick.
        max_choices: Option<u32>,
    },
    /// A whole number from 0 to 100 between two end labels.
    Slider {
        /// Label of the 0 end.
        low: Text,
        /// Label of the 100 end.
        high: Text,
        /// When set, the teller may answer "does not apply" ([`crate::NOT_APPLICABLE`]) with this label.
        not_applicable: Option<Text>,
    },
    /// A whole number between `min` and `max`, inclusive.
    Number {
        /// Smallest allowed answer.
        min: i64,
        /// Largest allowed answer.
        max: i64,
    },
}

impl QuestionKind {
    /// The name of the kind as written in JSON (`single_choice`, …).
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::PromptChoice { .. } => "prompt_choice",
            QuestionKind::LongText { .. } => "long_text",
            QuestionKind::ShortText { .. } => "short_text",
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Slider { .. } => "slider",
            QuestionKind::Number { .. } => "number",
        }
    }

    /// The values a choice question accepts, in order; `None` for other kinds.
    pub fn option_values(&self) -> Option<Vec<&str>> {
        match self {
            QuestionKind::PromptChoice { prompts } => Some(prompts.iter().map(|p| p.value.as_str()).collect()),
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => Some(options.iter().map(|o| o.value.as_str()).collect()),
            _ => None,
        }
    }

    /// Whether `value` is one of this choice question's option values.
    pub fn has_option(&self, value: &str) -> bool {
        self.option_label(value).is_some()
    }

    /// What the teller saw for the option `value`: an option's label, or a prompt's title.
    /// `None` when this is not a choice question or `value` is not one of its options.
    pub fn option_label(&self, value: &str) -> Option<&Text> {
        match self {
            QuestionKind::PromptChoice { prompts } => prompts.iter().find(|p| p.value == value).map(|p| &p.title),
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                options.iter().find(|o| o.value == value).map(|o| &o.label)
            }
            _ => None,
        }
    }
}

/// One eliciting question of a [`QuestionKind::PromptChoice`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Prompt {
    /// The stored value, lowercase snake_case.
    pub value: String,
    /// Short title on the choice card ("Geholpen…").
    pub title: Text,
    /// The full eliciting question the teller answers.
    pub text: Text,
}

/// One option of a choice question.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ChoiceOption {
    /// The stored value, lowercase snake_case.
    pub value: String,
    /// The option as shown.
    pub label: Text,
}

/// A visibility condition: `{"question": "age_group", "is_unknown": true}` (read and
/// written in `serde_impl`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The earlier question whose answer (or prefill) decides.
    pub question: String,
    /// What that answer must be.
    pub test: ConditionTest,
}

/// What a [`Condition`] asks of the other question's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConditionTest {
    /// The answer is this option (or, for multiple choice, includes it).
    Equals(String),
    /// The answer is one of these options (or includes one of them).
    OneOf(Vec<String>),
    /// Not answered, or answered with the option `unknown`.
    IsUnknown,
    /// Not answered (and not prefilled).
    NotAnswered,
}

impl Questionnaire {
    /// All questions in order, with the index of their step.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.steps.iter().flat_map(|step| step.questions.iter())
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }

    /// The questionnaire as a campaign offers it: only these eliciting questions (prompts),
    /// in the questionnaire's order. A region may narrow the prompts, never change or add
    /// questions. Errors with the first value that is not a prompt of this questionnaire.
    #[cfg(feature = "std")]
    pub fn with_prompts(&self, offered: &[String]) -> Result<Questionnaire, String> {
        let known = self.questions().filter_map(|q| match &q.kind {
            QuestionKind::PromptChoice { prompts } => Some(prompts),
            _ => None,
        });
        let known: Vec<&str> = known.flatten().map(|p| p.value.as_str()).collect();
        if let Some(unknown) = offered.iter().find(|v| !known.contains(&v.as_str())) {
            return Err(unknown.clone());
        }
        let mut narrowed = self.clone();
        narrowed.keep_prompts(offered);
        Ok(narrowed)
    }

    /// Keeps only the eliciting questions (prompts) `offered`, as
    /// [`Questionnaire::with_prompts`] does, in place and without checking them (the widget
    /// narrows its questionnaire so to what the campaign of its `endpoint` offers).
    pub fn keep_prompts(&mut self, offered: &[String]) {
        for question in self.steps.iter_mut().flat_map(|s| s.questions.iter_mut()) {
            if let QuestionKind::PromptChoice { prompts } = &mut question.kind {
                prompts.retain(|p| offered.contains(&p.value));
            }
        }
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}
