//! The draft in `localStorage`: the story kept at every answer and every move between
//! screens (one key per questionnaire, version and link), read back after a reload; and
//! the story ids of this page's drafts, for the element (`StoryPoint.draft_ids`), so no
//! JavaScript reads the draft's format.
use crate::prelude::*;
use storypoint_core::{Questionnaire, SubmissionId, push_int};
use wasm_bindgen::JsValue;

use crate::dom::{self, warn};
use crate::json;
use crate::state::{Screen, Widget};

/// The draft's key: `storypoint:{questionnaire}:{version}:{link or -}`.
pub fn key(questionnaire: &Questionnaire, link: Option<&str>) -> String {
    let mut key = ["storypoint:", &questionnaire.id, ":"].concat();
    push_int(&mut key, questionnaire.version.into());
    key.push(':');
    key.push_str(link.unwrap_or("-"));
    key
}

/// The story ids of the drafts for `link` (of any questionnaire).
pub fn ids(link: Option<&str>) -> js_sys::Array {
    let ids = js_sys::Array::new();
    let Some(storage) = dom::local_storage() else { return ids };
    let suffix = [":", link.unwrap_or("-")].concat();
    for (key, text) in json::string_entries(storage.as_ref()) {
        if !key.ends_with(&suffix) {
            continue;
        }
        if let Some(id) = json::parse(&text).and_then(|draft| json::get(&draft, "submission_id").as_string()).filter(|id| !id.is_empty()) {
            ids.push(&JsValue::from_str(&id));
        }
    }
    ids
}

impl Widget {
    pub fn load_draft(&self) {
        let Some(storage) = dom::local_storage() else {
            // Private mode or storage switched off: the widget works, and says so.
            let mut state = self.state_mut();
            state.storage_ok = false;
            state.status = Some("no_storage");
            warn("storypoint: this browser does not let us keep the draft (storage unavailable)");
            return;
        };
        let Some(draft) = dom::storage_get(&storage, &self.draft_key).and_then(|t| json::parse(&t)) else { return };
        let mut state = self.state_mut();
        state.answers = json::answers_from_js(&json::get(&draft, "answers"));
        if let Some(id) = json::get(&draft, "submission_id").as_string().filter(|id| SubmissionId::parse(id).is_ok()) {
            state.submission_id = id;
        }
        state.pending = json::get(&draft, "pending").as_bool().unwrap_or(false);
        state.screen = match json::get(&draft, "screen").as_string().as_deref() {
            Some("review") => Screen::Review,
            Some(step) if self.questionnaire.step(step).is_some() => Screen::Step(step.into()),
            _ => state.screen.clone(),
        };
        if state.pending {
            state.screen = Screen::Review;
        }
    }

    pub fn save_draft(&self) {
        let object = js_sys::Object::new();
        {
            let state = self.state();
            json::set(&object, "submission_id", &JsValue::from_str(&state.submission_id));
            json::set(&object, "answers", &json::answers_to_js(&state.answers));
            json::set(&object, "pending", &JsValue::from_bool(state.pending));
            let screen = match &state.screen {
                Screen::Step(id) => id.as_str(),
                _ => "review",
            };
            json::set(&object, "screen", &JsValue::from_str(screen));
        }
        let saved = dom::local_storage().is_some_and(|s| dom::storage_set(&s, &self.draft_key, &json::stringify(&object)));
        let lost = !saved && core::mem::replace(&mut self.state_mut().storage_ok, false);
        if lost {
            warn("storypoint: this browser does not let us keep the draft (private mode or storage full)");
            self.set_status(Some("no_storage"));
        }
    }

    pub fn clear_draft(&self) {
        if let Some(storage) = dom::local_storage() {
            dom::storage_remove(&storage, &self.draft_key);
        }
    }

    /// Moves to `screen`: kept in the draft (a reload comes back there), then drawn.
    pub fn go(&self, screen: Screen) {
        self.state_mut().go(screen);
        self.save_draft();
        self.render(true);
    }
}
