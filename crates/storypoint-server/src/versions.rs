//! The questionnaire versions a collector has served, kept in its store: the current one is
//! kept at start (`serve --questionnaire FILE`, default: the built-in Vertelpunt
//! questionnaire), and every story is read against the version it was told in.
use storypoint_core::{Questionnaire, default_questionnaire, diff::History};

use crate::store::Store;

/// The settings key naming the questionnaire `serve` serves now (`id` and version), so the
/// command line works with the same one.
const SERVED: &str = "questionnaire";

/// Keeps `current` in the store, and the questionnaire built into the widget (partner pages
/// whose widget was never told otherwise keep telling it), and returns `current` with every
/// older version kept. A version number kept before with other questions is refused: its
/// stories would be read against the wrong questions. Other words for the same questions
/// are fine (the kept wording stays for that version).
pub fn serve(store: &dyn Store, current: Questionnaire) -> Result<History, String> {
    for questionnaire in [default_questionnaire(), current.clone()] {
        let kept = store.keep_questionnaire(&questionnaire.id, questionnaire.version, &questionnaire.to_json()).map_err(|e| e.to_string())?;
        let earlier = Questionnaire::from_json(&kept).map_err(|e| format!("the kept version {} of `{}` cannot be read: {e}", questionnaire.version, questionnaire.id))?;
        if storypoint_core::diff::diff(&earlier, &questionnaire).iter().any(|change| !change.is_wording_only()) {
            return Err(format!(
                "version {} of questionnaire `{}` was served before with other questions; give the changed file a new \"version\" \
                 (see `storypoint questionnaire diff OLD NEW`)",
                questionnaire.version, questionnaire.id
            ));
        }
    }
    store.set_setting(SERVED, &format!("{}\t{}", current.id, current.version)).map_err(|e| e.to_string())?;
    Ok(History::new(current, older(store)?))
}

/// For the command line and exports: the questionnaire `serve` served last is the current
/// one (the built-in questionnaire when the collector never ran), with every version kept.
pub fn kept(store: &dyn Store) -> Result<History, String> {
    let all = older(store)?;
    let served = store.setting(SERVED).map_err(|e| e.to_string())?;
    let served = served.as_deref().and_then(|s| s.split_once('\t'));
    let current = all
        .iter()
        .find(|q| served.is_some_and(|(id, version)| q.id == id && q.version.to_string() == version))
        .cloned()
        .unwrap_or_else(default_questionnaire);
    Ok(History::new(current, all))
}

/// The version `version` of questionnaire `id`, when it is kept in the store: for a story of
/// a version this collector started without (another collector on the same database serves
/// it since).
pub fn find(store: &dyn Store, id: &str, version: u32) -> Result<Option<Questionnaire>, String> {
    Ok(older(store)?.into_iter().find(|q| q.id == id && q.version == version))
}

fn older(store: &dyn Store) -> Result<Vec<Questionnaire>, String> {
    let kept = store.questionnaires().map_err(|e| e.to_string())?;
    // A kept definition this storypoint cannot read is left out (its stories count by id).
    Ok(kept.iter().filter_map(|json| Questionnaire::from_json(json).ok()).collect())
}
