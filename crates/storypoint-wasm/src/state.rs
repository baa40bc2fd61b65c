//! The widget's state: what the teller answered, which screen is shown, what waits to be
//! sent; and every question about it asked of the core's `Flow`. No DOM, no network.
use crate::prelude::*;
use core::cell::{Ref, RefCell, RefMut};

use storypoint_core::{Answers, Flow, Lang, Prefill, QuestionKind, Questionnaire, SubmissionId};
use wasm_bindgen::JsValue;
use web_sys::{Element, ShadowRoot};

use crate::dom;
use crate::json;
use crate::ui::Words;

#[derive(Clone, PartialEq)]
pub enum Screen {
    Step(String),
    Review,
    Thanks,
}

pub struct State {
    pub page_prefill: Prefill,
    pub prefill: Prefill,
    pub answers: Answers,
    pub screen: Screen,
    pub submission_id: String,
    /// Questions whose error message is on screen.
    pub shown_errors: Vec<(String, String)>,
    /// The story waits to be sent (kept across reloads).
    pub pending: bool,
    pub in_flight: bool,
    pub retry_ms: u32,
    pub storage_ok: bool,
    /// The widget word (its key) shown as the status.
    pub status: Option<&'static str>,
}

/// One widget on screen: where it draws, what it asks, where it sends, and its state.
pub struct Widget {
    pub root: ShadowRoot,
    pub screen: Element,
    pub questionnaire: Questionnaire,
    pub lang: Lang,
    pub words: Words,
    pub endpoint: String,
    pub links_url: Option<String>,
    pub link: Option<String>,
    pub draft_key: String,
    pub state: RefCell<State>,
}

/// The organisation link the page's URL selects (`?sp=CODE`), if any.
pub fn page_link() -> Option<String> {
    dom::query_param("sp").map(|code| code.trim().to_string()).filter(|code| !code.is_empty())
}

pub fn new_submission_id() -> String {
    SubmissionId::from_random_bytes(dom::random_bytes()).to_hyphenated()
}

impl State {
    /// A new story, on the questionnaire's first step for `prefill`.
    pub fn new(questionnaire: &Questionnaire, prefill: Prefill) -> State {
        let first = Flow::new(questionnaire, &prefill, &Answers::new()).first_step().map(|s| s.step.id.clone()).unwrap_or_default();
        State {
            page_prefill: prefill.clone(),
            prefill,
            answers: Answers::new(),
            screen: Screen::Step(first),
            submission_id: new_submission_id(),
            shown_errors: Vec::new(),
            pending: false,
            in_flight: false,
            retry_ms: 1000,
            storage_ok: true,
            status: None,
        }
    }

    /// Moves to `screen`: no error shown there yet, and the status goes unless a story waits.
    pub fn go(&mut self, screen: Screen) {
        self.screen = screen;
        self.shown_errors.clear();
        if !self.pending {
            self.status = None;
        }
    }

    /// Forgets the story told: empty answers, a new id.
    pub fn fresh_story(&mut self) {
        self.answers = Answers::new();
        self.submission_id = new_submission_id();
        self.status = None;
    }
}

impl Widget {
    // The state is borrowed here only: one panic location in the wasm for a double borrow,
    // not one per module (each costs its file's path in the bundle).

    pub fn state(&self) -> Ref<'_, State> {
        self.state.borrow()
    }

    pub fn state_mut(&self) -> RefMut<'_, State> {
        self.state.borrow_mut()
    }

    pub fn flow(&self) -> Flow<'_> {
        let state = self.state();
        Flow::new(&self.questionnaire, &state.prefill, &state.answers).spoken(self.voice().is_some())
    }

    /// The recording of this story, when the teller spoke it in: the object `voice.js`
    /// keeps on the element (`ready()` uploads it, `done()` forgets it).
    pub fn voice(&self) -> Option<JsValue> {
        Some(json::get(&dom::host(&self.root), "spAudio")).filter(JsValue::is_object)
    }

    /// The full text of the eliciting question the teller chose, shown above the story.
    pub fn chosen_prompt<'a>(&'a self, flow: &Flow<'_>) -> Option<&'a str> {
        self.questionnaire.questions().find_map(|q| match &q.kind {
            QuestionKind::PromptChoice { prompts } => {
                let chosen = flow.answer(&q.id)?.as_str()?;
                prompts.iter().find(|p| p.value == chosen).map(|p| p.text.get(self.lang))
            }
            _ => None,
        })
    }

    /// The step that asks `question` (empty when none does).
    pub fn step_of(&self, question: &str) -> String {
        self.questionnaire.steps.iter().find(|s| s.questions.iter().any(|q| q.id == question)).map(|s| s.id.clone()).unwrap_or_default()
    }
}
