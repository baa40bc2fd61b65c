//! The stories as facts for the patterns ([`Insight`]): a `storypoint-insight` dataset kept
//! in memory that catches up with the store before each view, and the suppression rules.
use std::sync::Mutex;

use storypoint_core::{Answers, Questionnaire};
use storypoint_insight::{Dataset, Disclosure, InsightError, StoryInput};

use crate::store::{Store, StoreError};

/// The stories as facts for the patterns, kept in memory and brought up to date with the
/// store before each view (only stories newer than the last one seen are read).
pub struct Insight {
    data: Mutex<Facts>,
    questionnaire: Questionnaire,
    /// The suppression rules.
    pub disclosure: Disclosure,
}

/// The dataset, and the deletion count it was read at.
struct Facts {
    dataset: Dataset,
    deletions: Option<String>,
}

impl Insight {
    /// Empty; the first view loads every story. `min_cell` is the suppression threshold
    /// (at least 3).
    pub fn new(questionnaire: &Questionnaire, min_cell: u32) -> Result<Insight, InsightError> {
        Ok(Insight {
            data: Mutex::new(Facts { dataset: Dataset::new(questionnaire), deletions: None }),
            questionnaire: questionnaire.clone(),
            disclosure: Disclosure::new(min_cell)?,
        })
    }

    /// Catches up with the store, then runs `work` on the dataset. After a story was
    /// deleted (by any process) it reads everything again, so a deleted story never counts.
    pub fn with_data<T>(&self, store: &dyn Store, work: impl FnOnce(&mut Dataset) -> T) -> Result<T, StoreError> {
        let mut facts = self.data.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let deletions = store.setting(crate::store::DELETIONS)?;
        if deletions != facts.deletions {
            facts.dataset = Dataset::new(&self.questionnaire);
            facts.deletions = deletions;
        }
        let data = &mut facts.dataset;
        for story in store.stories_after(data.last_id().unwrap_or(0))? {
            let answers: Answers = serde_json::from_value(serde_json::Value::Object(story.answers)).unwrap_or_default();
            data.push(&StoryInput {
                id: story.id,
                received_on: &story.received_on,
                lang: &story.lang,
                answers: &answers,
                campaign: &story.campaign,
                version: story.version,
            });
        }
        Ok(work(data))
    }
}
