//! What changed between two versions of a questionnaire, in plain words, and whether the
//! answers of the old version can be compared with the new one question by question.
//!
//! Stories keep the version they were told in. Where a question keeps its id, kind and
//! options, its answers mean the same in both versions and can be counted together; where
//! they do not, a coordinator must know before comparing rounds.
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::text::Text;

/// One difference between two questionnaire versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A question only the new version has.
    QuestionAdded {
        /// Its id.
        question: String,
    },
    /// A question only the old version had.
    QuestionRemoved {
        /// Its id.
        question: String,
    },
    /// A question that moved to another step.
    QuestionMoved {
        /// Its id.
        question: String,
        /// The old step.
        from: String,
        /// The new step.
        to: String,
    },
    /// A question that asks for another kind of answer (answers do not compare).
    KindChanged {
        /// Its id.
        question: String,
        /// The old kind (`single_choice`, …).
        from: &'static str,
        /// The new kind.
        to: &'static str,
    },
    /// An option (or prompt) only the new version has.
    OptionAdded {
        /// The question's id.
        question: String,
        /// The option's value.
        value: String,
    },
    /// An option (or prompt) only the old version had.
    OptionRemoved {
        /// The question's id.
        question: String,
        /// The option's value.
        value: String,
    },
    /// The question's words changed (in any language), the meaning presumably not.
    WordingChanged {
        /// Its id.
        question: String,
    },
    /// An option's words changed.
    OptionWordingChanged {
        /// The question's id.
        question: String,
        /// The option's value.
        value: String,
    },
    /// The question became required, or optional.
    RequiredChanged {
        /// Its id.
        question: String,
        /// Whether it is required now.
        required: bool,
    },
    /// When the question is shown changed.
    VisibilityChanged {
        /// Its id.
        question: String,
    },
    /// A limit changed: a text's length, a number's range, a slider's "does not apply".
    LimitChanged {
        /// Its id.
        question: String,
    },
}

impl Change {
    /// The question this change is about.
    pub fn question(&self) -> &str {
        match self {
            Change::QuestionAdded { question }
            | Change::QuestionRemoved { question }
            | Change::QuestionMoved { question, .. }
            | Change::KindChanged { question, .. }
            | Change::OptionAdded { question, .. }
            | Change::OptionRemoved { question, .. }
            | Change::WordingChanged { question }
            | Change::OptionWordingChanged { question, .. }
            | Change::RequiredChanged { question, .. }
            | Change::VisibilityChanged { question }
            | Change::LimitChanged { question } => question,
        }
    }

    /// Whether answers to the question still mean the same across the two versions.
    pub fn keeps_answers_comparable(&self) -> bool {
        !matches!(
            self,
            Change::QuestionAdded { .. }
                | Change::QuestionRemoved { .. }
                | Change::KindChanged { .. }
                | Change::OptionAdded { .. }
                | Change::OptionRemoved { .. }
        )
    }

    /// The change in plain Dutch.
    pub fn describe(&self) -> String {
        match self {
            Change::QuestionAdded { question } => format!("Nieuwe vraag `{question}`: oudere verhalen hebben hier geen antwoord op."),
            Change::QuestionRemoved { question } => format!("Vraag `{question}` is weg: nieuwe verhalen hebben hier geen antwoord op."),
            Change::QuestionMoved { question, from, to } => {
                format!("Vraag `{question}` staat nu in stap `{to}` (was `{from}`). De antwoorden blijven vergelijkbaar.")
            }
            Change::KindChanged { question, from, to } => format!(
                "Vraag `{question}` vraagt nu om een ander soort antwoord ({to}, was {from}). Oude en nieuwe antwoorden zijn niet te vergelijken."
            ),
            Change::OptionAdded { question, value } => format!(
                "Vraag `{question}` heeft een nieuw antwoord `{value}`. Vergelijk de verdeling met oudere verhalen voorzichtig: die konden dit niet kiezen."
            ),
            Change::OptionRemoved { question, value } => format!(
                "Vraag `{question}` heeft antwoord `{value}` niet meer. Vergelijk de verdeling voorzichtig: oudere verhalen konden dit wel kiezen."
            ),
            Change::WordingChanged { question } => format!("De tekst van vraag `{question}` is anders. Lees na of de betekenis gelijk bleef."),
            Change::OptionWordingChanged { question, value } => {
                format!("De tekst van antwoord `{value}` bij vraag `{question}` is anders. Lees na of de betekenis gelijk bleef.")
            }
            Change::RequiredChanged { question, required: true } => format!("Vraag `{question}` moet nu beantwoord worden."),
            Change::RequiredChanged { question, required: false } => format!("Vraag `{question}` mag nu leeg blijven."),
            Change::VisibilityChanged { question } => {
                format!("Vraag `{question}` wordt nu in andere gevallen getoond. Het aantal antwoorden kan daardoor verschillen.")
            }
            Change::LimitChanged { question } => format!("Een grens bij vraag `{question}` is anders (lengte of bereik)."),
        }
    }
}

/// The options of a choice question as (value, its words) pairs.
fn options(kind: &QuestionKind) -> Vec<(&str, Vec<&Text>)> {
    match kind {
        QuestionKind::PromptChoice { prompts } => prompts.iter().map(|p| (p.value.as_str(), alloc::vec![&p.title, &p.text])).collect(),
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
            options.iter().map(|o| (o.value.as_str(), alloc::vec![&o.label])).collect()
        }
        _ => Vec::new(),
    }
}

/// A kind's limits, to compare: text length, number range, whether a slider offers "does
/// not apply", how many options may be picked.
fn limits(kind: &QuestionKind) -> (Option<u32>, Option<(i64, i64)>, Option<bool>, Option<Option<u32>>) {
    match kind {
        QuestionKind::LongText { max_length } | QuestionKind::ShortText { max_length } => (Some(*max_length), None, None, None),
        QuestionKind::Number { min, max } => (None, Some((*min, *max)), None, None),
        QuestionKind::Slider { not_applicable, .. } => (None, None, Some(not_applicable.is_some()), None),
        QuestionKind::MultipleChoice { max_choices, .. } => (None, None, None, Some(*max_choices)),
        _ => (None, None, None, None),
    }
}

/// Every difference from `old` to `new`, question by question in the new version's order
/// (removed questions last).
pub fn diff(old: &Questionnaire, new: &Questionnaire) -> Vec<Change> {
    let step_of = |q: &Questionnaire, id: &str| {
        q.steps.iter().find(|s| s.questions.iter().any(|x| x.id == id)).map(|s| s.id.clone()).unwrap_or_default()
    };
    let mut changes = Vec::new();
    for question in new.questions() {
        let id = &question.id;
        let Some(before) = old.question(id) else {
            changes.push(Change::QuestionAdded { question: id.clone() });
            continue;
        };
        compare(old, new, before, question, &step_of, &mut changes);
    }
    for question in old.questions().filter(|q| new.question(&q.id).is_none()) {
        changes.push(Change::QuestionRemoved { question: question.id.clone() });
    }
    changes
}

fn compare(
    old: &Questionnaire,
    new: &Questionnaire,
    before: &Question,
    after: &Question,
    step_of: &dyn Fn(&Questionnaire, &str) -> String,
    changes: &mut Vec<Change>,
) {
    let question = || after.id.clone();
    let (from, to) = (step_of(old, &after.id), step_of(new, &after.id));
    if from != to {
        changes.push(Change::QuestionMoved { question: question(), from, to });
    }
    if before.kind.name() != after.kind.name() {
        changes.push(Change::KindChanged { question: question(), from: before.kind.name(), to: after.kind.name() });
        return;
    }
    let ends = |k: &QuestionKind| match k {
        QuestionKind::Slider { low, high, not_applicable } => Some((low.clone(), high.clone(), not_applicable.clone())),
        _ => None,
    };
    if before.label != after.label || before.help != after.help || ends(&before.kind) != ends(&after.kind) {
        changes.push(Change::WordingChanged { question: question() });
    }
    let (was, now) = (options(&before.kind), options(&after.kind));
    for (value, label) in &now {
        match was.iter().find(|(v, _)| v == value) {
            None => changes.push(Change::OptionAdded { question: question(), value: value.to_string() }),
            Some((_, old_label)) if old_label != label => {
                changes.push(Change::OptionWordingChanged { question: question(), value: value.to_string() })
            }
            Some(_) => {}
        }
    }
    for (value, _) in was.iter().filter(|(v, _)| !now.iter().any(|(n, _)| n == v)) {
        changes.push(Change::OptionRemoved { question: question(), value: value.to_string() });
    }
    if before.required != after.required {
        changes.push(Change::RequiredChanged { question: question(), required: after.required });
    }
    if before.visible_if != after.visible_if {
        changes.push(Change::VisibilityChanged { question: question() });
    }
    if limits(&before.kind) != limits(&after.kind) {
        changes.push(Change::LimitChanged { question: question() });
    }
}
