//! The default questionnaire, compiled in as static data.
use alloc::string::String;
use alloc::vec::Vec;

use crate::questionnaire::{ChoiceOption, Condition, ConditionTest, Prompt, Question, QuestionKind, Questionnaire, Step};
use crate::text::{Lang, Text};

/// The source of the default questionnaire, `questionnaires/vertelpunt-jeugdhulp.json`.
pub const DEFAULT_QUESTIONNAIRE_JSON: &str = include_str!("../../../questionnaires/vertelpunt-jeugdhulp.json");

// Written by the test `generated_static_data_is_fresh`, exactly as it compares it.
#[rustfmt::skip]
#[path = "generated/vertelpunt_jeugdhulp.rs"]
mod generated;

/// The default questionnaire `vertelpunt-jeugdhulp`, version 1, built from static data.
///
/// The data is generated from [`DEFAULT_QUESTIONNAIRE_JSON`] (a test keeps it in step and
/// checks it equals what the JSON parses to), so the widget gets the questionnaire without
/// a JSON parser inside the WebAssembly.
pub fn default_questionnaire() -> Questionnaire {
    generated::QUESTIONNAIRE.build()
}

// The static mirror of the questionnaire types: plain `&'static` data that sits in the
// binary's data section, turned into the owned types by one small loop. Building the
// owned types in generated code instead costs the widget several kilobytes of code.

pub(crate) struct SText(pub &'static str, pub Option<&'static str>);

pub(crate) struct SQuestionnaire {
    pub id: &'static str,
    pub version: u32,
    pub languages: &'static [Lang],
    pub title: SText,
    pub steps: &'static [SStep],
}

pub(crate) struct SStep {
    pub id: &'static str,
    pub title: SText,
    pub intro: Option<SText>,
    pub questions: &'static [SQuestion],
}

pub(crate) struct SQuestion {
    pub id: &'static str,
    pub label: SText,
    pub help: Option<SText>,
    pub required: bool,
    pub prefillable: bool,
    pub visible_if: Option<(&'static str, SCondition)>,
    pub kind: SKind,
}

#[allow(dead_code, reason = "the generator emits whichever variants the JSON uses")]
pub(crate) enum SCondition {
    Equals(&'static str),
    OneOf(&'static [&'static str]),
    IsUnknown,
    NotAnswered,
}

#[allow(dead_code, reason = "the generator emits whichever variants the JSON uses")]
pub(crate) enum SKind {
    PromptChoice(&'static [(&'static str, SText, SText)]),
    LongText(u32),
    ShortText(u32),
    SingleChoice(&'static [(&'static str, SText)]),
    MultipleChoice(&'static [(&'static str, SText)], Option<u32>),
    Slider(SText, SText, Option<SText>),
    Number(i64, i64),
}

fn s(text: &str) -> String {
    String::from(text)
}

impl SText {
    fn build(&self) -> Text {
        Text { nl: s(self.0), other: self.1.map(|en| alloc::vec![(Lang::EN, s(en))]).unwrap_or_default() }
    }
}

fn options(items: &[(&str, SText)]) -> Vec<ChoiceOption> {
    items.iter().map(|(value, label)| ChoiceOption { value: s(value), label: label.build() }).collect()
}

impl SQuestionnaire {
    fn build(&self) -> Questionnaire {
        Questionnaire {
            id: s(self.id),
            version: self.version,
            languages: self.languages.to_vec(),
            title: self.title.build(),
            steps: self.steps.iter().map(SStep::build).collect(),
        }
    }
}

impl SStep {
    fn build(&self) -> Step {
        Step {
            id: s(self.id),
            title: self.title.build(),
            intro: self.intro.as_ref().map(SText::build),
            questions: self.questions.iter().map(SQuestion::build).collect(),
        }
    }
}

impl SQuestion {
    fn build(&self) -> Question {
        let kind = match &self.kind {
            SKind::PromptChoice(prompts) => QuestionKind::PromptChoice {
                prompts: prompts.iter().map(|(value, title, text)| Prompt { value: s(value), title: title.build(), text: text.build() }).collect(),
            },
            SKind::LongText(max_length) => QuestionKind::LongText { max_length: *max_length },
            SKind::ShortText(max_length) => QuestionKind::ShortText { max_length: *max_length },
            SKind::SingleChoice(items) => QuestionKind::SingleChoice { options: options(items) },
            SKind::MultipleChoice(items, max_choices) => QuestionKind::MultipleChoice { options: options(items), max_choices: *max_choices },
            SKind::Slider(low, high, not_applicable) => {
                QuestionKind::Slider { low: low.build(), high: high.build(), not_applicable: not_applicable.as_ref().map(SText::build) }
            }
            SKind::Number(min, max) => QuestionKind::Number { min: *min, max: *max },
        };
        let visible_if = self.visible_if.as_ref().map(|(question, test)| Condition {
            question: s(question),
            test: match test {
                SCondition::Equals(value) => ConditionTest::Equals(s(value)),
                SCondition::OneOf(values) => ConditionTest::OneOf(values.iter().map(|v| s(v)).collect()),
                SCondition::IsUnknown => ConditionTest::IsUnknown,
                SCondition::NotAnswered => ConditionTest::NotAnswered,
            },
        });
        Question {
            id: s(self.id),
            label: self.label.build(),
            help: self.help.as_ref().map(SText::build),
            required: self.required,
            prefillable: self.prefillable,
            visible_if,
            kind,
        }
    }
}
