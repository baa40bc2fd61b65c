//! The questionnaire versions a collector has served, kept in its store: the current one is
//! kept at start (`serve --questionnaire FILE`, default: the built-in Vertelpunt
//! questionnaire), and every story is read against the version it was told in.
use storypoint_core::{Questionnaire, default_questionnaire, diff::History};

use crate::store::Store;

/// Keeps `current` in the store and returns it with the older versions kept there. A
/// version number kept before with other questions is refused: its stories would be read
/// against the wrong questions.
pub fn serve(store: &dyn Store, current: Questionnaire) -> Result<History, String> {
    let kept = store.keep_questionnaire(&current.id, current.version, &current.to_json()).map_err(|e| e.to_string())?;
    match Questionnaire::from_json(&kept) {
        Ok(earlier) if earlier != current => {
            return Err(format!(
                "version {} of questionnaire `{}` was served before with other questions; give the changed file a new \"version\" \
                 (see `storypoint questionnaire diff OLD NEW`)",
                current.version, current.id
            ));
        }
        _ => {}
    }
    Ok(History::new(current, older(store)?))
}

/// For the command line: the newest version kept is the current one (the built-in
/// questionnaire when the collector never ran).
pub fn kept(store: &dyn Store) -> Result<History, String> {
    let default = default_questionnaire();
    let all = older(store)?;
    let current = all.iter().filter(|q| q.id == default.id).max_by_key(|q| q.version).cloned().unwrap_or(default);
    Ok(History::new(current, all))
}

fn older(store: &dyn Store) -> Result<Vec<Questionnaire>, String> {
    let kept = store.questionnaires().map_err(|e| e.to_string())?;
    // A kept definition this storypoint cannot read is left out (its stories count by id).
    Ok(kept.iter().filter_map(|json| Questionnaire::from_json(json).ok()).collect())
}
