//! Stories as compact facts: what the patterns are computed from, and how much may be shown
//! about each story's teller when it is listed (`dataset/tellers.rs`).
use std::collections::HashMap;
use std::sync::OnceLock;

use storypoint_core::contract::{AGE_GROUP, LIVING_SITUATION, ORGANISATION, ORGANISATION_TYPE, PERSPECTIVE};

mod tellers;
use storypoint_core::{Answers, NOT_APPLICABLE, QuestionKind, Questionnaire, Text, Value};
pub use tellers::{TellerFact, UNLISTED};

/// The pseudo-question for the language a story was told in (`nl`, `en`).
pub const LANG: &str = "lang";

/// Questions about the teller that are not prefilled by a link but still say something
/// about who they are. With the prefillable questions (and organisation, language, month
/// and campaign) they make up what a filter could single a teller out by.
const ABOUT_THE_TELLER: &[&str] = &[PERSPECTIVE, AGE_GROUP, LIVING_SITUATION, ORGANISATION_TYPE];

/// One option of a [`Dimension`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    /// The stored value (a contract, e.g. `child`).
    pub value: String,
    /// What the teller saw.
    pub label: Text,
}

/// A choice question (or the story's language): something stories can be counted and
/// grouped by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dimension {
    /// The question id (`perspective`), or [`LANG`].
    pub id: String,
    /// The question as the teller saw it.
    pub label: Text,
    /// Its options, in questionnaire order.
    pub categories: Vec<Category>,
    /// Whether it says something about who the teller is (see the crate docs).
    pub identifying: bool,
}

/// A slider question (0–100, perhaps with "does not apply").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scale {
    /// The question id (`seen_heard`).
    pub id: String,
    /// The question as the teller saw it.
    pub label: Text,
    /// Label of the 0 end.
    pub low: Text,
    /// Label of the 100 end.
    pub high: Text,
    /// The "does not apply" label, when the question offers it.
    pub not_applicable: Option<Text>,
}

/// What can be counted in a questionnaire's stories.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    /// Choice questions, then [`LANG`] last.
    pub dimensions: Vec<Dimension>,
    /// Slider questions.
    pub scales: Vec<Scale>,
}

impl Schema {
    /// The dimensions and scales of `questionnaire`. Options past the 64th of a question are
    /// not counted (no Vertelpunt question comes near). Its labels carry English from the
    /// widget's translation (`translations/en.json`, as the widget's `lang/en.json` does), so
    /// the coordinators' English pages and the findings' English sentences read English.
    pub fn of(questionnaire: &Questionnaire) -> Schema {
        let mut translated = questionnaire.clone();
        if let Some(english) = storypoint_core::shipped(storypoint_core::Lang::EN) {
            translated.translate(english);
        }
        let questionnaire = &translated;
        let mut dimensions = Vec::new();
        let mut scales = Vec::new();
        for question in questionnaire.questions() {
            let categories: Vec<Category> = match &question.kind {
                QuestionKind::Slider { low, high, not_applicable } => {
                    scales.push(Scale {
                        id: question.id.clone(),
                        label: question.label.clone(),
                        low: low.clone(),
                        high: high.clone(),
                        not_applicable: not_applicable.clone(),
                    });
                    continue;
                }
                kind => match kind.option_values() {
                    Some(values) => values
                        .into_iter()
                        .take(64)
                        .map(|value| Category { value: value.to_string(), label: kind.option_label(value).cloned().unwrap_or_else(|| Text::new(value, value)) })
                        .collect(),
                    None => continue,
                },
            };
            dimensions.push(Dimension {
                id: question.id.clone(),
                label: question.label.clone(),
                categories,
                identifying: question.prefillable || ABOUT_THE_TELLER.contains(&question.id.as_str()),
            });
        }
        dimensions.push(Dimension {
            id: LANG.into(),
            label: Text::new("Taal van het verhaal", "Language of the story"),
            // Dutch and every language with a translation file (`translations/`): the
            // languages a story can be told in.
            categories: core::iter::once(Category { value: "nl".into(), label: Text::new("Nederlands", "Dutch") })
                .chain(
                    storypoint_core::shipped_translations()
                        .iter()
                        .filter(|t| t.lang != storypoint_core::Lang::NL)
                        // In English its own name ("Türkçe"), as the widget's language menu shows it.
                        .map(|t| Category { value: t.lang.code().into(), label: Text::new(&t.name_nl, &t.name) }),
                )
                .collect(),
            identifying: true,
        });
        Schema { dimensions, scales }
    }

    /// The index of the dimension with this id.
    pub fn dimension(&self, id: &str) -> Option<usize> {
        self.dimensions.iter().position(|d| d.id == id)
    }

    /// The index of the scale with this id.
    pub fn scale(&self, id: &str) -> Option<usize> {
        self.scales.iter().position(|s| s.id == id)
    }
}

/// A calendar month, the finest period the patterns know (no exact dates leave the server).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(u32);

impl Month {
    /// Reads `YYYY-MM` (or the month of a `YYYY-MM-DD` date).
    pub fn parse(text: &str) -> Option<Month> {
        let bytes = text.as_bytes();
        if !(bytes.len() == 7 || bytes.len() == 10) || bytes[4] != b'-' {
            return None;
        }
        let year: u32 = text.get(0..4)?.parse().ok()?;
        let month: u32 = text.get(5..7)?.parse().ok()?;
        if !(1..=12).contains(&month) || !text.get(0..4)?.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if bytes.len() == 10 && (bytes[7] != b'-' || !text.get(8..10)?.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        Some(Month(year * 12 + month - 1))
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.0 / 12, self.0 % 12 + 1)
    }
}

/// One stored story, as the collector hands it over.
#[derive(Clone, Copy, Debug)]
pub struct StoryInput<'a> {
    /// The story's id in the store.
    pub id: i64,
    /// The day it arrived, `YYYY-MM-DD`.
    pub received_on: &'a str,
    /// The teller's language code.
    pub lang: &'a str,
    /// Its (validated) answers.
    pub answers: &'a Answers,
    /// The campaign it was told in (`default` for a collector's own).
    pub campaign: &'a str,
    /// The questionnaire version it was told in (answers are read by question id).
    pub version: u32,
}

/// A slider answered "does not apply".
pub(crate) const SCALE_NA: u8 = 254;
/// A slider not answered.
pub(crate) const SCALE_NONE: u8 = 255;
/// No organisation.
pub(crate) const NO_ORGANISATION: u32 = u32::MAX;

/// Every story as compact facts, in columns: a bit set per choice question, a byte per
/// slider, the month and the organisation. 100,000 stories take about 10 MB; a view is
/// one pass over the columns.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub(crate) schema: Schema,
    pub(crate) ids: Vec<i64>,
    pub(crate) months: Vec<Month>,
    pub(crate) organisations: Vec<u32>,
    organisation_names: Vec<String>,
    organisation_index: HashMap<String, u32>,
    pub(crate) campaigns: Vec<u32>,
    campaign_names: Vec<String>,
    /// The questionnaire versions stories were told in, in the order first seen.
    versions: Vec<u32>,
    /// `schema.dimensions.len()` bit sets per story: bit *i* is category *i*; 0 is unanswered.
    pub(crate) choices: Vec<u64>,
    /// `schema.scales.len()` bytes per story: 0–100, [`SCALE_NA`] or [`SCALE_NONE`].
    pub(crate) scales: Vec<u8>,
    /// Per story, how many of its teller facts may be shown (see [`Dataset::teller_levels`]),
    /// for the threshold it was computed with; rebuilt after new stories.
    tellers: OnceLock<(u32, Vec<u8>)>,
}

impl Dataset {
    /// An empty dataset for stories told with `questionnaire`.
    pub fn new(questionnaire: &Questionnaire) -> Dataset {
        Dataset {
            schema: Schema::of(questionnaire),
            ids: Vec::new(),
            months: Vec::new(),
            organisations: Vec::new(),
            organisation_names: Vec::new(),
            organisation_index: HashMap::new(),
            campaigns: Vec::new(),
            campaign_names: Vec::new(),
            versions: Vec::new(),
            choices: Vec::new(),
            scales: Vec::new(),
            tellers: OnceLock::new(),
        }
    }

    /// What can be counted.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The number of stories.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no stories.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The highest story id added, to fetch only newer stories next time.
    pub fn last_id(&self) -> Option<i64> {
        self.ids.iter().copied().max()
    }

    /// The store id of the story in row `row`.
    pub fn id(&self, row: usize) -> i64 {
        self.ids[row]
    }

    /// The organisations with at least `min` stories, in the order first seen; with
    /// `campaign`, only that campaign's stories count, so a campaign's coordinators never
    /// learn another campaign's organisations. (The name can be typed by a teller when no
    /// link filled it in; a rare one is never offered.)
    pub fn organisations(&self, campaign: Option<&str>, min: u32) -> Vec<&str> {
        let only = match campaign {
            Some(slug) => match self.campaign(slug) {
                Some(index) => Some(index),
                None => return Vec::new(),
            },
            None => None,
        };
        let mut counts = vec![0u32; self.organisation_names.len()];
        for (&o, &c) in self.organisations.iter().zip(&self.campaigns) {
            if only.is_some_and(|only| only != c) {
                continue;
            }
            if let Some(count) = counts.get_mut(o as usize) {
                *count += 1;
            }
        }
        self.organisation_names.iter().zip(counts).filter(|(_, n)| *n >= min).map(|(name, _)| name.as_str()).collect()
    }

    /// The first and last month with stories.
    pub fn month_range(&self) -> Option<(Month, Month)> {
        Some((*self.months.iter().min()?, *self.months.iter().max()?))
    }

    pub(crate) fn organisation(&self, name: &str) -> Option<u32> {
        self.organisation_index.get(name).copied()
    }

    /// The campaigns that stories came from, in the order first seen.
    pub fn campaigns(&self) -> &[String] {
        &self.campaign_names
    }

    /// The campaigns a filter form may offer: all of them, or with `campaign` only that
    /// one when it has stories (a campaign's coordinators see no other campaign's name).
    pub fn campaigns_in(&self, campaign: Option<&str>) -> Vec<String> {
        match campaign {
            None => self.campaign_names.clone(),
            Some(slug) => self.campaign_names.iter().filter(|c| *c == slug).cloned().collect(),
        }
    }

    /// The questionnaire versions stories were told in, in the order first seen: where one
    /// is not the current version, its answers may not map (see `storypoint_core::diff`).
    pub fn versions(&self) -> &[u32] {
        &self.versions
    }

    pub(crate) fn campaign(&self, slug: &str) -> Option<u32> {
        self.campaign_names.iter().position(|c| c == slug).map(|i| i as u32)
    }

    /// Adds a story. Answers that are not a known option or a slider value are counted as
    /// not answered (stored stories were validated; this keeps a bad row from counting).
    pub fn push(&mut self, story: &StoryInput<'_>) {
        self.ids.push(story.id);
        self.months.push(Month::parse(story.received_on).unwrap_or(Month(0)));
        let organisation = match story.answers.get(ORGANISATION) {
            Some(Value::Text(name)) if !name.trim().is_empty() => {
                let next = self.organisation_names.len() as u32;
                let index = *self.organisation_index.entry(name.trim().to_string()).or_insert(next);
                if index == next {
                    self.organisation_names.push(name.trim().to_string());
                }
                index
            }
            _ => NO_ORGANISATION,
        };
        self.organisations.push(organisation);
        let campaign = match self.campaign(story.campaign) {
            Some(index) => index,
            None => {
                self.campaign_names.push(story.campaign.to_string());
                self.campaign_names.len() as u32 - 1
            }
        };
        self.campaigns.push(campaign);
        if !self.versions.contains(&story.version) {
            self.versions.push(story.version);
        }
        for dimension in &self.schema.dimensions {
            let position = |value: &str| dimension.categories.iter().position(|c| c.value == value);
            let bits = if dimension.id == LANG {
                position(story.lang).map_or(0, |i| 1 << i)
            } else {
                match story.answers.get(&dimension.id) {
                    Some(Value::Text(value)) => position(value).map_or(0, |i| 1 << i),
                    Some(Value::List(values)) => values.iter().fold(0u64, |bits, value| match value {
                        Value::Text(value) => bits | position(value).map_or(0, |i| 1 << i),
                        _ => bits,
                    }),
                    _ => 0,
                }
            };
            self.choices.push(bits);
        }
        for scale in &self.schema.scales {
            self.scales.push(match story.answers.get(&scale.id) {
                Some(Value::Integer(n)) if (0..=100).contains(n) => *n as u8,
                Some(Value::Text(text)) if text == NOT_APPLICABLE => SCALE_NA,
                _ => SCALE_NONE,
            });
        }
        self.tellers = OnceLock::new();
    }

    /// The bit set of dimension `dimension` for the story in `row`.
    pub(crate) fn choice(&self, row: usize, dimension: usize) -> u64 {
        self.choices[row * self.schema.dimensions.len() + dimension]
    }

    /// The slider byte of scale `scale` for the story in `row`.
    pub(crate) fn scale(&self, row: usize, scale: usize) -> u8 {
        self.scales[row * self.schema.scales.len() + scale]
    }

    /// The row of the story with store id `id`, if it is here.
    pub(crate) fn row_of(&self, id: i64) -> Option<usize> {
        // Stories arrive in id order (`stories_after`); a search by halves, checked.
        match self.ids.binary_search(&id) {
            Ok(row) => Some(row),
            Err(_) => self.ids.iter().position(|&i| i == id),
        }
    }

    /// The organisation's name, by its index.
    pub(crate) fn organisation_name(&self, index: u32) -> Option<&str> {
        self.organisation_names.get(index as usize).map(String::as_str)
    }

    /// The campaign's slug, by its index.
    pub(crate) fn campaign_name(&self, index: u32) -> Option<&str> {
        self.campaign_names.get(index as usize).map(String::as_str)
    }
}
