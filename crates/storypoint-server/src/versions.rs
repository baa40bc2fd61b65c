//! The questionnaire versions a collector has served, kept in its store: the current one is
//! kept at start (`serve --questionnaire FILE`, default: the built-in Vertelpunt
//! questionnaire), and every story is read against the version it was told in.
use storypoint_core::{Questionnaire, default_questionnaire, diff::History};

use crate::store::{Store, StoreError};

/// The settings key naming the questionnaire `serve` serves now (`id` and version), so the
/// command line works with the same one.
const SERVED: &str = "questionnaire";

/// Why the kept versions cannot be used. Typed, so the HTTP layer can tell a store fault
/// (whose words stay in the log) from a refusal meant for the operator at start.
#[derive(Debug, thiserror::Error)]
pub enum VersionsError {
    /// The store failed; the HTTP API answers it as any store fault (redacted).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The definition kept for this version is not one this storypoint can read.
    #[error("the kept version {version} of `{id}` cannot be read: {reason}")]
    Unreadable {
        /// The questionnaire's id.
        id: String,
        /// Its version.
        version: u32,
        /// What the reader said.
        reason: String,
    },
    /// The version was served before with other questions: its stories would be read
    /// against the wrong ones.
    #[error(
        "version {version} of questionnaire `{id}` was served before with other questions; give the changed file a new \"version\" \
         (see `storypoint questionnaire diff OLD NEW`)"
    )]
    Changed {
        /// The questionnaire's id.
        id: String,
        /// The version number given twice.
        version: u32,
    },
}

/// Keeps `current` in the store, and the questionnaire built into the widget (partner pages
/// whose widget was never told otherwise keep telling it), and returns `current` with every
/// older version kept. A version number kept before with other questions is refused: its
/// stories would be read against the wrong questions. Other words for the same questions
/// are fine (the kept wording stays for that version).
pub fn serve(store: &dyn Store, current: Questionnaire) -> Result<History, VersionsError> {
    for questionnaire in [default_questionnaire(), current.clone()] {
        let kept = store.keep_questionnaire(&questionnaire.id, questionnaire.version, &questionnaire.to_json())?;
        let earlier = Questionnaire::from_json(&kept).map_err(|e| VersionsError::Unreadable {
            id: questionnaire.id.clone(),
            version: questionnaire.version,
            reason: e.to_string(),
        })?;
        if storypoint_core::diff::diff(&earlier, &questionnaire).iter().any(|change| !change.is_wording_only()) {
            return Err(VersionsError::Changed { id: questionnaire.id.clone(), version: questionnaire.version });
        }
    }
    store.set_setting(SERVED, &format!("{}\t{}", current.id, current.version))?;
    Ok(History::new(current, older(store)?))
}

/// For the command line and exports: the questionnaire `serve` served last is the current
/// one (the built-in questionnaire when the collector never ran), with every version kept.
pub fn kept(store: &dyn Store) -> Result<History, VersionsError> {
    let all = older(store)?;
    let served = store.setting(SERVED)?;
    let served = served.as_deref().and_then(|s| s.split_once('\t'));
    let current =
        all.iter().find(|q| served.is_some_and(|(id, version)| q.id == id && q.version.to_string() == version)).cloned().unwrap_or_else(default_questionnaire);
    Ok(History::new(current, all))
}

/// The version `version` of questionnaire `id`, when it is kept in the store: for a story of
/// a version this collector started without (another collector on the same database serves
/// it since).
pub fn find(store: &dyn Store, id: &str, version: u32) -> Result<Option<Questionnaire>, VersionsError> {
    Ok(older(store)?.into_iter().find(|q| q.id == id && q.version == version))
}

/// Every version kept that this storypoint can read.
fn older(store: &dyn Store) -> Result<Vec<Questionnaire>, StoreError> {
    let kept = store.questionnaires()?;
    // A kept definition this storypoint cannot read is left out (its stories count by id).
    Ok(kept.iter().filter_map(|json| Questionnaire::from_json(json).ok()).collect())
}
