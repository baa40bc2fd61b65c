//! The columns every export shares and what a story holds in each: the story's own facts,
//! one column per question (a multiple-choice question one per option), the recording, and
//! the questions only older versions had. CSV, SPSS and REFI-QDA write this one table.
//!
//! A column has three names: `name` (the question id, for scripts and SPSS), `heading` (short
//! Dutch, unique, for a spreadsheet's one header row) and `label` (the question as asked).
//! A choice column lists every answer it can hold: the current version's options in order,
//! then options only older versions had, then any stored value no version knows, so no
//! answer is lost and each has a fixed number (its place, from 1) for SPSS.
use std::borrow::Cow;

use serde_json::Value;
use storypoint_core::diff::History;
use storypoint_core::{Lang, NOT_APPLICABLE, Question, QuestionKind, contract};

use crate::store::StoredStory;

/// Short Dutch headings for the default questionnaire's questions (a label such as "Hoe
/// gingen de mensen in je verhaal met elkaar om?" is too long for a column). A question not
/// named here gets its label, shortened.
const SHORT_HEADINGS: &[(&str, &str)] = &[
    (contract::PROMPT, "Vertelvraag"),
    (contract::STORY, "Verhaal"),
    (contract::TITLE, "Titel"),
    ("happened_when", "Wanneer gebeurd"),
    (contract::EMOTION, "Gevoel"),
    ("treatment", "Omgang"),
    ("seen_heard", "Gezien en gehoord"),
    ("effect", "Effect"),
    ("system_theme", "Thema hulp"),
    ("citizen_theme", "Thema dagelijks leven"),
    (contract::PERSPECTIVE, "Verteller"),
    (contract::AGE_GROUP, "Leeftijdsgroep"),
    ("child_age", "Leeftijd kind"),
    (contract::LIVING_SITUATION, "Woonsituatie"),
    (contract::ORGANISATION, "Organisatie"),
    (contract::ORGANISATION_TYPE, "Soort organisatie"),
];

/// The longest heading made from a label, in characters.
const MAX_HEADING: usize = 40;

/// The facts of a story that are no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fact {
    /// The story's number.
    Id,
    /// The campaign it was told in.
    Campaign,
    /// The day it arrived (never a time).
    ReceivedOn,
    /// The questionnaire's id.
    Questionnaire,
    /// The questionnaire version it was told in.
    Version,
    /// The teller's language.
    Lang,
    /// The link code it came through.
    Link,
    /// The recording's file, for a spoken story.
    Audio,
}

/// Where a column's cells come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A fact of the story.
    Fact(Fact),
    /// The answer to this question.
    Answer(String),
    /// Whether this option of a multiple-choice question was chosen.
    Chosen {
        /// The question.
        question: String,
        /// The option's value.
        option: String,
    },
}

/// One answer a choice column can hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The stored value (`relieved`).
    pub code: String,
    /// What the teller saw, in Dutch (`Opgelucht`).
    pub word: String,
}

/// What a column holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number.
    Number,
    /// A day, `YYYY-MM-DD`.
    Day,
    /// Text.
    Text,
    /// One of these answers.
    Choice(Vec<Choice>),
    /// A number from 0 to 100 between two ends, or "does not apply".
    Slider {
        /// The words at 0.
        low: String,
        /// The words at 100.
        high: String,
        /// The words for "does not apply", when the question offers it.
        not_applicable: Option<String>,
    },
    /// One option of a multiple-choice question: chosen or not.
    Chosen,
}

/// One column of the export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The question id (an option's column: `question_option`), unique.
    pub name: String,
    /// A short Dutch heading, unique.
    pub heading: String,
    /// The question as asked, in Dutch (or what the fact is).
    pub label: String,
    /// What it holds.
    pub kind: Kind,
    /// Where its cells come from.
    pub source: Source,
}

/// What a story holds in one column.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'s> {
    /// Nothing: not asked, not answered.
    Empty,
    /// A whole number.
    Number(i64),
    /// A day, `YYYY-MM-DD`.
    Day(&'s str),
    /// Text.
    Text(Cow<'s, str>),
    /// The answer at this place (from 0) of the column's choices.
    Choice(usize),
    /// A slider answered with "does not apply".
    NotApplicable,
    /// An option of a multiple-choice question that was answered: chosen or not.
    Chosen(bool),
}

/// The columns of an export of these stories.
#[derive(Clone, Debug)]
pub struct Table {
    /// In order: the facts, the current questions, the recording, the older questions.
    pub columns: Vec<Column>,
}

impl Table {
    /// The columns for `stories` told in the versions `history` knows.
    pub fn new(history: &History, stories: &[StoredStory]) -> Table {
        let fact = |fact, name: &str, heading: &str, label: &str, kind| Column {
            name: name.into(),
            heading: heading.into(),
            label: label.into(),
            kind,
            source: Source::Fact(fact),
        };
        let mut columns = vec![
            fact(Fact::Id, "id", "Nummer", "Nummer van het verhaal", Kind::Number),
            fact(Fact::Campaign, "campaign", "Campagne", "Campagne", Kind::Text),
            fact(Fact::ReceivedOn, "received_on", "Ontvangen op", "Ontvangen op (alleen de dag)", Kind::Day),
            fact(Fact::Questionnaire, "questionnaire", "Vragenlijst", "Vragenlijst", Kind::Text),
            fact(Fact::Version, "version", "Versie", "Versie van de vragenlijst", Kind::Number),
            fact(Fact::Lang, "lang", "Taal", "Taal van de verteller", Kind::Text),
            fact(Fact::Link, "link", "Link", "Code van de link waarlangs het verhaal kwam", Kind::Text),
        ];
        // Every version the stories were told in, newest first: an option only an older
        // version had is named as that version named it.
        let mut versions: Vec<u32> = stories.iter().filter(|s| s.questionnaire == history.current().id).map(|s| s.version).collect();
        versions.sort_unstable_by(|a, b| b.cmp(a));
        versions.dedup();
        let told_in: Vec<_> = versions.iter().filter_map(|v| history.get(&history.current().id, *v)).collect();
        for question in history.current().questions() {
            columns.extend(question_columns(question, None, &told_in, stories));
        }
        columns.push(fact(Fact::Audio, "audio", "Opname", "Opname van een ingesproken verhaal (bestand in audio/)", Kind::Text));
        for (question, version) in history.older_questions() {
            columns.extend(question_columns(question, Some(version), &told_in, stories));
        }
        unique(&mut columns, |c| &mut c.heading, " ");
        unique(&mut columns, |c| &mut c.name, "_");
        Table { columns }
    }

    /// What `story` holds in each column, in column order.
    pub fn cells<'s>(&self, story: &'s StoredStory) -> Vec<Cell<'s>> {
        self.columns.iter().map(|column| cell(column, story)).collect()
    }
}

/// The columns of one question: one, or one per option of a multiple-choice question.
/// `only_until`: the last version that had it, for a question the current one lacks.
fn question_columns(question: &Question, only_until: Option<u32>, told_in: &[&storypoint_core::Questionnaire], stories: &[StoredStory]) -> Vec<Column> {
    let dutch = |text: &storypoint_core::Text| text.get(Lang::NL).trim().to_string();
    let short = SHORT_HEADINGS.iter().find(|(id, _)| *id == question.id).map(|(_, h)| h.to_string()).unwrap_or_else(|| shorten(&dutch(&question.label)));
    let (heading, label) = match only_until {
        Some(version) => (format!("{short} (tot versie {version})"), format!("{} (alleen tot versie {version})", dutch(&question.label))),
        None => (short, dutch(&question.label)),
    };
    let column = |name: String, heading: String, label: String, kind: Kind, source: Source| Column { name, heading, label, kind, source };
    let answer = Source::Answer(question.id.clone());
    match &question.kind {
        QuestionKind::PromptChoice { .. } | QuestionKind::SingleChoice { .. } => {
            vec![column(question.id.clone(), heading, label, Kind::Choice(choices(question, told_in, stories)), answer)]
        }
        QuestionKind::MultipleChoice { .. } => choices(question, told_in, stories)
            .into_iter()
            .map(|choice| {
                column(
                    format!("{}_{}", question.id, choice.code),
                    format!("{heading}: {}", choice.word),
                    format!("{label}: {}", choice.word),
                    Kind::Chosen,
                    Source::Chosen { question: question.id.clone(), option: choice.code },
                )
            })
            .collect(),
        QuestionKind::Slider { low, high, not_applicable } => {
            let kind = Kind::Slider { low: dutch(low), high: dutch(high), not_applicable: not_applicable.as_ref().map(dutch) };
            vec![column(question.id.clone(), heading, label, kind, answer)]
        }
        QuestionKind::Number { .. } => vec![column(question.id.clone(), heading, label, Kind::Number, answer)],
        QuestionKind::LongText { .. } | QuestionKind::ShortText { .. } => vec![column(question.id.clone(), heading, label, Kind::Text, answer)],
    }
}

/// Every answer a choice question's column can hold: this version's options, then those
/// only the versions the stories were told in had, then stored values no version knows.
fn choices(question: &Question, told_in: &[&storypoint_core::Questionnaire], stories: &[StoredStory]) -> Vec<Choice> {
    let mut found: Vec<Choice> = Vec::new();
    let mut add = |code: &str, word: Option<&storypoint_core::Text>| {
        if !found.iter().any(|c| c.code == code) {
            found.push(Choice { code: code.into(), word: word.map_or_else(|| code.to_string(), |w| w.get(Lang::NL).trim().to_string()) });
        }
    };
    let versions = std::iter::once(question).chain(told_in.iter().filter_map(|q| q.question(&question.id)));
    for version in versions {
        for code in version.kind.option_values().unwrap_or_default() {
            add(code, version.kind.option_label(code));
        }
    }
    for story in stories {
        match story.answers.get(&question.id) {
            Some(Value::String(code)) => add(code, None),
            Some(Value::Array(codes)) => codes.iter().for_each(|code| add(&scalar(code), None)),
            Some(Value::Null) | None => {}
            Some(other) => add(&scalar(other), None),
        }
    }
    found
}

/// What `story` holds in `column`.
fn cell<'s>(column: &Column, story: &'s StoredStory) -> Cell<'s> {
    let text = |value: Option<&'s str>| value.filter(|v| !v.is_empty()).map_or(Cell::Empty, |v| Cell::Text(Cow::Borrowed(v)));
    match &column.source {
        Source::Fact(Fact::Id) => Cell::Number(story.id),
        Source::Fact(Fact::Campaign) => text(Some(&story.campaign)),
        Source::Fact(Fact::ReceivedOn) => Cell::Day(&story.received_on),
        Source::Fact(Fact::Questionnaire) => text(Some(&story.questionnaire)),
        Source::Fact(Fact::Version) => Cell::Number(i64::from(story.version)),
        Source::Fact(Fact::Lang) => text(Some(&story.lang)),
        Source::Fact(Fact::Link) => text(story.link.as_deref()),
        // Where the ZIP export keeps the recording.
        Source::Fact(Fact::Audio) => story.audio.as_deref().map_or(Cell::Empty, |file| Cell::Text(Cow::Owned(format!("audio/{file}")))),
        Source::Chosen { question, option } => match story.answers.get(question) {
            Some(Value::Array(chosen)) => Cell::Chosen(chosen.iter().any(|c| scalar(c) == *option)),
            // A multiple-choice answer stored as one value (an older version's single choice).
            Some(Value::String(one)) => Cell::Chosen(one == option),
            _ => Cell::Empty,
        },
        Source::Answer(question) => match (story.answers.get(question), &column.kind) {
            (None | Some(Value::Null), _) => Cell::Empty,
            (Some(Value::String(s)), Kind::Slider { .. }) if s == NOT_APPLICABLE => Cell::NotApplicable,
            (Some(Value::Number(n)), Kind::Number | Kind::Slider { .. }) if n.as_i64().is_some() => Cell::Number(n.as_i64().unwrap_or_default()),
            (Some(value), Kind::Choice(choices)) => {
                let code = scalar(value);
                choices.iter().position(|c| c.code == code).map_or(Cell::Text(Cow::Owned(code)), Cell::Choice)
            }
            (Some(Value::String(s)), _) => text(Some(s)),
            (Some(other), _) => Cell::Text(Cow::Owned(scalar(other))),
        },
    }
}

/// A stored value as text: a string as is, several joined by `, `, anything else as JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A label as a heading: without its closing `?`, `:` or `…`, and at most [`MAX_HEADING`]
/// characters, cut between words.
fn shorten(label: &str) -> String {
    let trimmed = label.trim_end_matches(['?', ':', '…', '.', ' ']);
    if trimmed.chars().count() <= MAX_HEADING {
        return trimmed.to_string();
    }
    let cut: String = trimmed.chars().take(MAX_HEADING).collect();
    let words = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", words.trim_end_matches([',', ' ']))
}

/// Makes the field `of` unique over `columns` (ignoring case, as Excel and SPSS do): a repeat
/// gets `{sep}2`, `{sep}3`, … .
fn unique(columns: &mut [Column], of: impl Fn(&mut Column) -> &mut String, sep: &str) {
    let mut seen: Vec<String> = Vec::new();
    for column in columns.iter_mut() {
        let field = of(column);
        let mut candidate = field.clone();
        let mut n = 2;
        while seen.contains(&candidate.to_lowercase()) {
            candidate = format!("{field}{sep}{n}");
            n += 1;
        }
        seen.push(candidate.to_lowercase());
        *field = candidate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storypoint_core::default_questionnaire;

    fn story(id: i64, version: u32, answers: Value) -> StoredStory {
        StoredStory {
            id,
            received_on: "2026-03-04".into(),
            questionnaire: "vertelpunt-jeugdhulp".into(),
            version,
            lang: "nl".into(),
            link: None,
            answers: answers.as_object().cloned().unwrap_or_default(),
            audio: None,
            campaign: "default".into(),
        }
    }

    /// Version 2 of the default questionnaire: `emotion` without its last option (`proud`),
    /// `treatment` gone, a multiple-choice question `help` added.
    fn history() -> History {
        let v1 = default_questionnaire();
        let mut v2 = v1.clone();
        v2.version = 2;
        for step in &mut v2.steps {
            step.questions.retain(|q| q.id != "treatment");
            for question in &mut step.questions {
                if let (true, QuestionKind::SingleChoice { options }) = (question.id == contract::EMOTION, &mut question.kind) {
                    options.pop();
                }
            }
        }
        let mut help = v1.question("happened_when").unwrap().clone();
        help.id = "help".into();
        help.label = storypoint_core::Text::dutch("Welke hulp kreeg je?");
        let options =
            ["praten", "wonen"].map(|v| storypoint_core::ChoiceOption { value: v.into(), label: storypoint_core::Text::dutch(&format!("Hulp bij {v}")) });
        help.kind = QuestionKind::MultipleChoice { options: options.to_vec(), max_choices: None };
        v2.steps[1].questions.push(help);
        History::new(v2, vec![v1])
    }

    #[test]
    fn every_answer_has_a_column_under_a_short_unique_dutch_heading() {
        let history = history();
        let stories = [story(1, 1, serde_json::json!({"emotion": "proud", "treatment": "warm"})), story(2, 2, serde_json::json!({"help": ["wonen"]}))];
        let table = Table::new(&history, &stories);
        let headings: Vec<&str> = table.columns.iter().map(|c| c.heading.as_str()).collect();
        assert!(headings.contains(&"Gevoel") && headings.contains(&"Omgang (tot versie 1)"), "{headings:?}");
        assert!(headings.contains(&"Welke hulp kreeg je: Hulp bij praten") && headings.contains(&"Welke hulp kreeg je: Hulp bij wonen"), "{headings:?}");
        let lowered: Vec<String> = headings.iter().map(|h| h.to_lowercase()).collect();
        assert!(lowered.iter().all(|h| lowered.iter().filter(|o| *o == h).count() == 1), "unique: {headings:?}");
        assert!(headings.iter().all(|h| h.chars().count() <= 2 * MAX_HEADING), "{headings:?}");
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        let audio = names.iter().position(|n| *n == "audio").unwrap();
        assert!(names.iter().position(|n| *n == "help_wonen").unwrap() < audio && audio < names.iter().position(|n| *n == "treatment").unwrap());

        // `proud` is gone from version 2 but kept, named as version 1 named it.
        let emotion = table.columns.iter().position(|c| c.name == contract::EMOTION).unwrap();
        let Kind::Choice(choices) = &table.columns[emotion].kind else { panic!("emotion is a choice") };
        let proud = choices.iter().position(|c| c.code == "proud").unwrap();
        assert_eq!(choices[proud].word, "Trots");
        assert_eq!(table.cells(&stories[0])[emotion], Cell::Choice(proud));
        let wonen = names.iter().position(|n| *n == "help_wonen").unwrap();
        assert_eq!((table.cells(&stories[1])[wonen].clone(), table.cells(&stories[1])[wonen - 1].clone()), (Cell::Chosen(true), Cell::Chosen(false)));
        assert_eq!(table.cells(&stories[0])[wonen], Cell::Empty, "not asked in version 1");
    }

    #[test]
    fn a_value_no_version_knows_is_kept_as_a_choice_of_its_own() {
        let history = History::only(default_questionnaire());
        let stories = [story(1, 7, serde_json::json!({"emotion": "bored", "seen_heard": "not_applicable", "effect": 40}))];
        let table = Table::new(&history, &stories);
        let cells = table.cells(&stories[0]);
        let at = |name: &str| table.columns.iter().position(|c| c.name == name).unwrap();
        let Kind::Choice(choices) = &table.columns[at("emotion")].kind else { panic!() };
        assert_eq!(choices.last().unwrap(), &Choice { code: "bored".into(), word: "bored".into() });
        assert_eq!(cells[at("emotion")], Cell::Choice(choices.len() - 1));
        assert_eq!((cells[at("seen_heard")].clone(), cells[at("effect")].clone()), (Cell::NotApplicable, Cell::Number(40)));
    }

    #[test]
    fn a_long_label_is_cut_between_words() {
        assert_eq!(shorten("Hoe oud is het kind?"), "Hoe oud is het kind");
        let cut = shorten("Welke organisaties werkten in jouw verhaal met elkaar samen en hoe ging dat?");
        assert!(cut.ends_with('…') && cut.chars().count() <= MAX_HEADING + 1 && !cut.contains("samen"), "{cut}");
    }
}
