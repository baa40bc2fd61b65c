//! `<story-point>`: the Vertelpunt widget, Rust compiled to WebAssembly.
//!
//! A partner page adds one module script and one element:
//!
//! ```html
//! <script type="module" src="https://collector.example.nl/storypoint/storypoint.js"></script>
//! <story-point endpoint="https://collector.example.nl/api/v1/stories" lang="nl"></story-point>
//! ```
//!
//! The public face of the element (listed in `www/WIDGET.md` too; a tidy test keeps both
//! in step):
//!
//! Attributes:
//! - `endpoint`: where stories are posted (default `/api/v1/stories` on the page's origin).
//! - `lang`: the teller's language, `nl` (default; `lang/nl.json`, which the element fetches
//!   beside the wasm) or any language with a file `lang/{code}.json` beside `storypoint.js`
//!   (`en`, `ar`, `fy`, `tr`, `pl` today), fetched first; without one the widget speaks Dutch (with a console warning). The root inside
//!   the shadow DOM gets `lang` and `dir` (`rtl` for Arabic), so the layout mirrors.
//!
//! Adding a language is a data change only: a file `translations/{code}.json` (the widget's
//! words, the messages and the questionnaire's texts by question and option id; see
//! `www/WIDGET.md`), checked by `cargo test -p storypoint-core --test translations` and
//! compiled into `lang/{code}.json` by `cargo xtask dist`.
//! - `prefill`: answers the page fills in, as a query string (`perspective=parent&age_group=under_12`).
//! - `links`: URL of a static link-table JSON; by default link codes are resolved with the
//!   collector next to `endpoint` (`GET …/api/v1/links/{code}`).
//! - `questionnaire`: URL of another questionnaire JSON (another region's); default: the
//!   default `vertelpunt-jeugdhulp` (in the language file).
//!
//! The page URL's `?sp=CODE` selects an organisation link. CSS custom properties (set them
//! on `story-point` to theme it): `--sp-accent`, `--sp-accent-text`, `--sp-text`,
//! `--sp-muted`, `--sp-background`, `--sp-surface`, `--sp-border`, `--sp-error`,
//! `--sp-focus`, `--sp-font`, `--sp-font-size`, `--sp-radius`, `--sp-space`, `--sp-max-width`.
//!
//! Every decision (which question is asked, prefilled, valid; the progress) comes from
//! `storypoint-core`; this crate only renders, collects and sends.
//!
//! This file is the start-up and the exported `StoryPoint` API; the rest by job: `state.rs`
//! (state, `Flow` calls), `render.rs` and `question.rs` (building the DOM), `input.rs`
//! (events, navigation), `draft.rs` (`localStorage`), `network.rs` (requests, retries),
//! `html.rs` (markup as escaped text), `dom.rs` (the one door to the browser), `ui.rs`
//! (words), `json.rs`/`questionnaire_js.rs` (JSON into the core's types). No std: a panic
//! stops the wasm without std's message formatting (see the handler below).
#![no_std]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

use alloc::rc::Rc;
use core::cell::RefCell;

use prelude::*;
use storypoint_core::{Lang, LinkCode, Prefill, Questionnaire, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsValue, UnwrapThrowExt};
use web_sys::HtmlElement;

/// What std's prelude would give (the crate is `no_std`: alloc's types by name).
mod prelude {
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

mod dom;
mod draft;
mod html;
mod input;
pub mod json;
mod network;
mod question;
pub mod questionnaire_js;
mod render;
mod state;
mod ui;

use dom::{attr, el, host_attribute, warn};
use network::get_json;
use state::{State, Widget};
use ui::Words;

/// One `<story-point>` element's widget; the JS element class owns it and frees it when
/// the element leaves the page (which removes its event listeners).
#[wasm_bindgen]
pub struct StoryPoint {
    slot: Rc<RefCell<Option<Mounted>>>,
}

/// A widget on screen and the listeners that drive it (dropped = removed).
struct Mounted {
    widget: Rc<Widget>,
    _listeners: Vec<dom::Listener>,
}

#[wasm_bindgen]
impl StoryPoint {
    /// Renders the widget into `host`'s shadow root (the element attached it) once the
    /// teller's language (a file in `lang_dir`, unless it is Dutch) and the questionnaire
    /// (the default one, or the one the `questionnaire` attribute points to) are there: at
    /// once for the default in Dutch. `dutch` is the parsed `lang/nl.json`, which the element
    /// fetched beside the wasm: the Dutch words and the default questionnaire.
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, lang_dir: String, dutch: JsValue) -> StoryPoint {
        let slot = Rc::new(RefCell::new(None));
        let pending = slot.clone();
        with_language(
            host.clone(),
            &lang_dir,
            dutch,
            Box::new(move |lang, chosen| {
                let asked = host_attribute(&host, "questionnaire");
                // The language file carries the default questionnaire already translated: the
                // bundle and its `lang/` folder are one build (`cargo xtask dist`).
                let translated = default_questionnaire(&chosen);
                let narrow = asked.is_none();
                let ready = move |questionnaire| {
                    if Rc::strong_count(&pending) > 1 {
                        let mounted = mount(host.clone(), questionnaire, lang, chosen.clone());
                        let endpoint = mounted.widget.endpoint.clone();
                        *pending.borrow_mut() = Some(mounted);
                        check_campaign(host, pending, &endpoint, lang, chosen, narrow);
                    } // else the element left the page meanwhile
                };
                match asked {
                    None => ready(translated),
                    Some(url) => {
                        let from = url.clone();
                        get_json(
                            &from,
                            Box::new(move |json| {
                                let questionnaire = json.and_then(|json| questionnaire_js::questionnaire(&json)).unwrap_or_else(|| {
                                    warn(&["storypoint: could not read the questionnaire at ", &url, "; using the default one"].concat());
                                    translated
                                });
                                ready(questionnaire);
                            }),
                        );
                    }
                }
            }),
        );
        StoryPoint { slot }
    }

    /// The story ids of the drafts this page keeps for its link (`?sp=`), of any
    /// questionnaire: the element looks for a recording kept for one of them before the
    /// widget sends it, without reading the draft's format itself.
    pub fn draft_ids() -> js_sys::Array {
        draft::ids(state::page_link().as_deref())
    }
}

impl Drop for StoryPoint {
    fn drop(&mut self) {
        self.slot.borrow_mut().take();
    }
}

/// The default questionnaire in the teller's language, from its language file (`lang/nl.json`
/// for Dutch, which the element fetches beside the wasm: not in the wasm, since the element
/// draws the first step itself), read by the same walker as another region's file.
fn default_questionnaire(chosen: &JsValue) -> Questionnaire {
    questionnaire_js::questionnaire(&json::get(chosen, "questionnaire")).expect_throw("lang/{code}.json holds the default questionnaire")
}

fn mount(host: HtmlElement, questionnaire: Questionnaire, lang: Lang, chosen: JsValue) -> Mounted {
    // A teller may have put the focus on the step drawn before the wasm: it stays there.
    let focused = dom::focused_id(&host);
    let widget = Rc::new(build(host, questionnaire, lang, chosen));
    let listeners = widget.listen();
    widget.render(false);
    if let Some(control) = focused.and_then(|id| dom::find(&widget.root, &["#", &id].concat())) {
        dom::focus(&control);
    }
    start(&widget);
    Mounted { widget, _listeners: listeners }
}

/// The language the `lang` attribute asks for and its file, `lang_dir` + `{code}.json`
/// (the bundle's `lang/` folder, same origin as the script). Dutch (`dutch`, the parsed
/// `lang/nl.json`) for `nl` or no `lang`, and, with a warning, for a language without a file
/// or with a file that does not read: the widget then speaks Dutch.
fn with_language(host: HtmlElement, lang_dir: &str, dutch: JsValue, done: Box<dyn FnOnce(Lang, JsValue)>) {
    let asked = host_attribute(&host, "lang").unwrap_or_default();
    let lang = match Lang::parse(&asked) {
        Some(lang) if lang != Lang::NL => lang,
        found => {
            if found.is_none() && !asked.is_empty() {
                no_translation(&asked);
            }
            return done(Lang::NL, dutch);
        }
    };
    get_json(
        &[lang_dir, lang.code(), ".json"].concat(),
        Box::new(move |json| match json.filter(|json| json::get(json, "lang").as_string().as_deref() == Some(lang.code())) {
            Some(json) => done(lang, json),
            None => {
                no_translation(&asked);
                done(Lang::NL, dutch)
            }
        }),
    );
}

fn no_translation(asked: &str) {
    warn(&["storypoint: no translation for lang=\"", asked, "\" (lang/ beside storypoint.js); the widget speaks Dutch"].concat());
}

/// Asks the collector next to `endpoint` about its campaign (`…/campaign`): the prompts it
/// offers (the widget narrows the questionnaire to them, unless the page gave its own) and,
/// when it takes no stories, the notice to show instead of the questions. The first screen
/// is drawn meanwhile; a teller with a draft of a campaign that still takes it keeps writing.
fn check_campaign(host: HtmlElement, slot: Rc<RefCell<Option<Mounted>>>, endpoint: &str, lang: Lang, chosen: JsValue, narrow: bool) {
    let Some(base) = endpoint.strip_suffix("stories") else { return };
    get_json(
        &[base, "campaign?lang=", lang.code()].concat(),
        Box::new(move |info| {
            let Some(info) = info else { return };
            let current = || slot.borrow().as_ref().map(|m| m.widget.clone());
            let Some(widget) = current() else { return };
            // `null` (every prompt) is not an array: no narrowing.
            let prompts = json::strings(&json::get(&info, "prompts"));
            // The collector names prompts only when the campaign offers fewer than all.
            if narrow && !prompts.is_empty() {
                drop(widget);
                let mut narrowed = default_questionnaire(&chosen);
                narrowed.keep_prompts(&prompts);
                let mounted = mount(host, narrowed, lang, chosen);
                *slot.borrow_mut() = Some(mounted);
            }
            let Some(widget) = current() else { return };
            let notice = json::get(&info, "notice");
            let writing = json::get(&info, "accepts").is_truthy() && !widget.state().answers.is_empty();
            if notice.is_object() && !writing {
                widget.show_notice(&json::get(&notice, "title").as_string().unwrap_or_default(), &json::get(&notice, "text").as_string().unwrap_or_default());
            }
        }),
    );
}

/// The widget for `host`: its shadow root (keeping what the teller already chose on a
/// prerendered first screen), the attributes and `?sp=`, the draft of this questionnaire
/// and link.
fn build(host: HtmlElement, questionnaire: Questionnaire, lang: Lang, chosen: JsValue) -> Widget {
    // The language the widget speaks (Dutch when the asked one has no file) and its
    // direction, on the root inside the shadow DOM: a right-to-left language mirrors
    // the layout (the CSS uses logical properties), whatever the partner page's `dir`.
    let screen = el("div", "sp");
    attr(&screen, "lang", lang.code());
    attr(&screen, "dir", &json::get(&chosen, "dir").as_string().unwrap_or_else(|| "ltr".into()));
    // A page may carry the first screen prerendered (declarative shadow DOM): keep what
    // the teller already chose there, then take over.
    let (root, early) = dom::shadow_root(&host, &screen);

    let link = state::page_link();
    let prefilled = Prefill::from_query(&questionnaire, &host_attribute(&host, "prefill").unwrap_or_default());
    for warning in &prefilled.warnings {
        warn(&["storypoint: ", &warning.message()].concat());
    }
    let widget = Widget {
        root,
        screen,
        state: RefCell::new(State::new(&questionnaire, prefilled.prefill)),
        draft_key: draft::key(&questionnaire, link.as_deref()),
        questionnaire,
        lang,
        words: Words::new(chosen),
        // Where stories are posted: the `endpoint` attribute, or the page's own collector.
        endpoint: host_attribute(&host, "endpoint").unwrap_or_else(|| "/api/v1/stories".into()),
        links_url: host_attribute(&host, "links"),
        link,
    };
    widget.load_draft();
    for (name, value) in early {
        widget.state_mut().answers.set(&name, Value::Text(value));
    }
    widget
}

/// Work that needs the network: the link lookup, and a story left pending last time.
fn start(widget: &Rc<Widget>) {
    if let Some(code) = widget.link.clone() {
        match LinkCode::parse(&code) {
            Ok(code) => widget.resolve_link(code),
            Err(_) => warn(&["storypoint: `", &code, "` in ?sp= is not a link code (8 letters and digits); the questions are asked instead"].concat()),
        }
    }
    if widget.state().pending {
        Widget::send(widget);
    }
}

// No std: a panic (a bug, never input) stops the wasm, the page's console shows where; std's
// message formatting would cost the bundle kilobytes. The wasm tests link std (`std` feature).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

// The widget runs on one thread (the page's), which is what this allocator assumes.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
