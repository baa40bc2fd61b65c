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

    /// Whether only words changed (of the question or of an option): the same question, so
    /// a version number may keep it.
    pub fn is_wording_only(&self) -> bool {
        matches!(self, Change::WordingChanged { .. } | Change::OptionWordingChanged { .. })
    }

    /// The change in plain Dutch.
    pub fn describe(&self) -> String {
        self.words().nl
    }

    /// The change in plain Dutch and plain English (the coordinators' pages in English).
    pub fn words(&self) -> Text {
        let (nl, en) = match self {
            Change::QuestionAdded { question } => (
                format!("Nieuwe vraag `{question}`: oudere verhalen hebben hier geen antwoord op."),
                format!("New question `{question}`: older stories have no answer to it."),
            ),
            Change::QuestionRemoved { question } => (
                format!("Vraag `{question}` is weg: nieuwe verhalen hebben hier geen antwoord op."),
                format!("Question `{question}` is gone: new stories have no answer to it."),
            ),
            Change::QuestionMoved { question, from, to } => (
                format!("Vraag `{question}` staat nu in stap `{to}` (was `{from}`). De antwoorden blijven vergelijkbaar."),
                format!("Question `{question}` is now in step `{to}` (was `{from}`). The answers stay comparable."),
            ),
            Change::KindChanged { question, from, to } => (
                format!("Vraag `{question}` vraagt nu om een ander soort antwoord ({to}, was {from}). Oude en nieuwe antwoorden zijn niet te vergelijken."),
                format!("Question `{question}` now asks for another kind of answer ({to}, was {from}). Old and new answers cannot be compared."),
            ),
            Change::OptionAdded { question, value } => (
                format!(
                    "Vraag `{question}` heeft een nieuw antwoord `{value}`. Vergelijk de verdeling met oudere verhalen voorzichtig: die konden dit niet kiezen."
                ),
                format!("Question `{question}` has a new answer `{value}`. Compare with older stories carefully: they could not choose it."),
            ),
            Change::OptionRemoved { question, value } => (
                format!("Vraag `{question}` heeft antwoord `{value}` niet meer. Vergelijk de verdeling voorzichtig: oudere verhalen konden dit wel kiezen."),
                format!("Question `{question}` no longer has answer `{value}`. Compare carefully: older stories could choose it."),
            ),
            Change::WordingChanged { question } => (
                format!("De tekst van vraag `{question}` is anders. Lees na of de betekenis gelijk bleef."),
                format!("The words of question `{question}` are different. Check that the meaning stayed the same."),
            ),
            Change::OptionWordingChanged { question, value } => (
                format!("De tekst van antwoord `{value}` bij vraag `{question}` is anders. Lees na of de betekenis gelijk bleef."),
                format!("The words of answer `{value}` of question `{question}` are different. Check that the meaning stayed the same."),
            ),
            Change::RequiredChanged { question, required: true } => {
                (format!("Vraag `{question}` moet nu beantwoord worden."), format!("Question `{question}` must now be answered."))
            }
            Change::RequiredChanged { question, required: false } => {
                (format!("Vraag `{question}` mag nu leeg blijven."), format!("Question `{question}` may now be left empty."))
            }
            Change::VisibilityChanged { question } => (
                format!("Vraag `{question}` wordt nu in andere gevallen getoond. Het aantal antwoorden kan daardoor verschillen."),
                format!("Question `{question}` is now shown in other cases. The number of answers can differ because of that."),
            ),
            Change::LimitChanged { question } => (
                format!("Een grens bij vraag `{question}` is anders (lengte of bereik)."),
                format!("A limit of question `{question}` is different (length or range)."),
            ),
        };
        Text::new(&nl, &en)
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
type Limits = (Option<u32>, Option<(i64, i64)>, Option<bool>, Option<Option<u32>>);

fn limits(kind: &QuestionKind) -> Limits {
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
    let step_of = |q: &Questionnaire, id: &str| q.steps.iter().find(|s| s.questions.iter().any(|x| x.id == id)).map(|s| s.id.clone()).unwrap_or_default();
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
            Some((_, old_label)) if old_label != label => changes.push(Change::OptionWordingChanged { question: question(), value: value.to_string() }),
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

/// Every version of a questionnaire a collector has served: the current one, and the older
/// ones stories were told in. It says which questionnaire a story of a given version is
/// checked against, which columns an export needs, and where answers of an older version
/// do not map onto the current one.
///
/// (Only with `std`: the widget never needs it, and leaving it out keeps it in its budget.)
#[cfg(feature = "std")]
#[derive(Clone, Debug)]
pub struct History {
    current: Questionnaire,
    /// Older versions of the same questionnaire, newest first.
    older: Vec<Questionnaire>,
}

#[cfg(feature = "std")]
impl History {
    /// The current version and any others; versions of another questionnaire id, and a
    /// second copy of the current version, are left out.
    pub fn new(current: Questionnaire, others: Vec<Questionnaire>) -> History {
        let mut older: Vec<Questionnaire> = others.into_iter().filter(|q| q.id == current.id && q.version != current.version).collect();
        older.sort_by_key(|q| core::cmp::Reverse(q.version));
        older.dedup_by_key(|q| q.version);
        History { current, older }
    }

    /// Only the current version.
    pub fn only(current: Questionnaire) -> History {
        History::new(current, Vec::new())
    }

    /// The version new stories are told in.
    pub fn current(&self) -> &Questionnaire {
        &self.current
    }

    /// The version `version` of questionnaire `id`, if known.
    pub fn get(&self, id: &str, version: u32) -> Option<&Questionnaire> {
        core::iter::once(&self.current).chain(&self.older).find(|q| q.id == id && q.version == version)
    }

    /// Questions only older versions have, each once (from the newest version that has it),
    /// with that version: an export keeps their answers in columns of their own.
    pub fn older_questions(&self) -> Vec<(&Question, u32)> {
        let mut found: Vec<(&Question, u32)> = Vec::new();
        for old in &self.older {
            for question in old.questions() {
                if self.current.question(&question.id).is_none() && !found.iter().any(|(q, _)| q.id == question.id) {
                    found.push((question, old.version));
                }
            }
        }
        found
    }

    /// Where answers told in `versions` do not map onto the current version, in plain Dutch:
    /// about one question, or about all (`None`). Versions the collector does not know are
    /// named too; the current version needs no note.
    pub fn notes(&self, question: Option<&str>, versions: &[u32]) -> Vec<String> {
        self.notes_in_words(question, versions).into_iter().map(|note| note.nl).collect()
    }

    /// [`History::notes`] in plain Dutch and plain English.
    pub fn notes_in_words(&self, question: Option<&str>, versions: &[u32]) -> Vec<Text> {
        let mut versions = versions.to_vec();
        versions.sort_unstable();
        versions.dedup();
        let mut notes = Vec::new();
        for version in versions.into_iter().filter(|v| *v != self.current.version) {
            match self.get(&self.current.id, version) {
                Some(old) => notes.extend(
                    diff(old, &self.current)
                        .into_iter()
                        .filter(|change| !change.keeps_answers_comparable() && question.is_none_or(|q| change.question() == q))
                        .map(|change| {
                            let words = change.words();
                            Text::new(
                                &format!("Verhalen uit versie {version}: {}", words.nl),
                                &format!("Stories from version {version}: {}", words.get(crate::text::Lang::EN)),
                            )
                        }),
                ),
                None => notes.push(Text::new(
                    &format!(
                        "Verhalen uit versie {version}: die versie kent deze collector niet. Hun antwoorden tellen mee waar vraag en antwoord dezelfde naam hebben."
                    ),
                    &format!(
                        "Stories from version {version}: this collector does not know that version. Their answers count where question and answer have the same name."
                    ),
                )),
            }
        }
        notes
    }
}

#[cfg(all(test, feature = "std"))]
mod history_tests {
    use super::*;
    use crate::default_questionnaire;

    /// Version 2: a new question, one option fewer on `emotion`, `treatment` gone.
    fn version_2() -> Questionnaire {
        let mut v2 = default_questionnaire();
        v2.version = 2;
        let emotion = v2.steps.iter_mut().flat_map(|s| s.questions.iter_mut()).find(|q| q.id == "emotion").unwrap();
        if let QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } = &mut emotion.kind {
            options.pop();
        }
        let mut added = v2.question("title").unwrap().clone();
        added.id = "school".into();
        v2.steps[0].questions.push(added);
        for step in &mut v2.steps {
            step.questions.retain(|q| q.id != "treatment");
        }
        v2
    }

    #[test]
    fn a_history_knows_each_version_and_says_where_answers_do_not_map() {
        let (v1, v2) = (default_questionnaire(), version_2());
        let history = History::new(v2.clone(), alloc::vec![v1.clone(), v2.clone(), v1.clone()]);
        assert_eq!(history.get(&v1.id, 1).map(|q| q.version), Some(1));
        assert_eq!(history.get(&v1.id, 3).map(|q| q.version), None);
        assert_eq!(history.current().version, 2);

        let older: Vec<(&str, u32)> = history.older_questions().iter().map(|(q, v)| (q.id.as_str(), *v)).collect();
        assert_eq!(older, [("treatment", 1)], "an export keeps the answers of a question that is gone");

        let emotion = history.notes(Some("emotion"), &[1, 2]);
        assert_eq!(emotion.len(), 1, "{emotion:?}");
        assert!(emotion[0].starts_with("Verhalen uit versie 1: Vraag `emotion` heeft antwoord"), "{emotion:?}");
        let english = history.notes_in_words(Some("emotion"), &[1, 2]);
        assert!(english[0].get(crate::text::Lang::EN).starts_with("Stories from version 1: Question `emotion` no longer has answer"), "{english:?}");
        assert!(history.notes(Some("story"), &[1, 2]).is_empty(), "a question that stayed the same needs no note");
        assert!(history.notes(Some("emotion"), &[2]).is_empty(), "only stories of the current version: nothing to say");
        assert!(history.notes(Some("school"), &[1])[0].contains("Nieuwe vraag `school`"));
        let unknown = history.notes(Some("emotion"), &[7]);
        assert!(unknown[0].contains("versie 7: die versie kent deze collector niet"), "{unknown:?}");
        assert_eq!(history.notes(None, &[1]).len(), 3, "all: the new question, the removed option, the removed question");
    }
}
