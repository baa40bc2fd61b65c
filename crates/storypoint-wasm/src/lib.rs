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
//! - `lang`: the teller's language, `nl` (default, compiled in) or any language with a file
//!   `lang/{code}.json` beside `storypoint.js` (`en`, `ar`, `fy`, `tr`, `pl` today), fetched
//!   first; without one the widget speaks Dutch (with a console warning). The root inside
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
//!   compiled-in `vertelpunt-jeugdhulp`.
//!
//! The page URL's `?sp=CODE` selects an organisation link. CSS custom properties (set them
//! on `story-point` to theme it): `--sp-accent`, `--sp-accent-text`, `--sp-text`,
//! `--sp-muted`, `--sp-background`, `--sp-surface`, `--sp-border`, `--sp-error`,
//! `--sp-focus`, `--sp-font`, `--sp-font-size`, `--sp-radius`, `--sp-space`, `--sp-max-width`.
//!
//! Every decision (which question is asked, prefilled, valid; the progress) comes from
//! `storypoint-core`; this crate only renders, collects and sends.
use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use storypoint_core::{
    Answer, Answers, Flow, Lang, LinkCode, NOT_APPLICABLE, Prefill, Question, QuestionKind, Questionnaire, SubmissionId,
    Value, char_count, push_int,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Element, HtmlElement, ShadowRoot};

mod dom;
pub mod json;
pub mod questionnaire_js;
mod ui;

use dom::{append, attr, el, find, find_all, focus, set_hidden, text_el, warn};
use ui::Words;

// `src/style.css`, compacted by build.rs.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// One `<story-point>` element's widget; the JS element class owns it and frees it when
/// the element leaves the page (which removes its event listeners).
#[wasm_bindgen]
pub struct StoryPoint {
    slot: Rc<RefCell<Option<Mounted>>>,
}

/// A widget on screen and the listeners that drive it (dropped = removed).
struct Mounted {
    _widget: Rc<Widget>,
    _listeners: Vec<EventListener>,
}

/// The compiled-in questionnaire, read from its JSON text by the same walker as another
/// region's file: one way in for both (smaller than linking the core's static copy too).
fn compiled_in() -> Questionnaire {
    // The same file as `storypoint_core::DEFAULT_QUESTIONNAIRE_JSON`, whitespace removed.
    json::parse(include_str!(concat!(env!("OUT_DIR"), "/questionnaire.json")))
        .and_then(|json| questionnaire_js::questionnaire(&json))
        .expect_throw("the compiled-in questionnaire reads (tests/questionnaire_js.rs)")
}

fn mount(host: &HtmlElement, questionnaire: Questionnaire, lang: Lang, chosen: JsValue) -> Mounted {
    let widget = Rc::new(Widget::new(host, questionnaire, lang, chosen));
    let listeners = widget.listen();
    widget.render(false);
    widget.start();
    Mounted { _widget: widget, _listeners: listeners }
}

/// The language the `lang` attribute asks for and its file, `lang_dir` + `{code}.json`
/// (the bundle's `lang/` folder, same origin as the script). Dutch (and `undefined`) for
/// `nl` or no `lang`, and, with a warning, for a language without a file or with a file
/// that does not read: the widget then speaks Dutch.
fn with_language(host: &HtmlElement, lang_dir: &str, done: Box<dyn FnOnce(Lang, JsValue)>) {
    let asked = host.get_attribute("lang").unwrap_or_default();
    let lang = match Lang::parse(&asked) {
        Some(lang) if lang != Lang::NL => lang,
        found => {
            if found.is_none() && !asked.is_empty() {
                no_translation(&asked);
            }
            return done(Lang::NL, JsValue::UNDEFINED);
        }
    };
    get_json(&[lang_dir, lang.code(), ".json"].concat(), Box::new(move |json| {
        match json.filter(|json| json::get(json, "lang").as_string().as_deref() == Some(lang.code())) {
            Some(json) => done(lang, json),
            None => {
                no_translation(&asked);
                done(Lang::NL, JsValue::UNDEFINED)
            }
        }
    }));
}

fn no_translation(asked: &str) {
    warn(&["storypoint: no translation for lang=\"", asked, "\" (lang/ beside storypoint.js); the widget speaks Dutch"].concat());
}

#[wasm_bindgen]
impl StoryPoint {
    /// Renders the widget into `host`'s shadow root once the teller's language (a file in
    /// `lang_dir`, unless it is Dutch) and the questionnaire (the compiled-in one, or the
    /// one the `questionnaire` attribute points to) are there: at once for the default in
    /// Dutch.
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, lang_dir: String) -> StoryPoint {
        let slot = Rc::new(RefCell::new(None));
        let pending = slot.clone();
        let element = host.clone();
        with_language(&element, &lang_dir, Box::new(move |lang, chosen| {
            let asked = host.get_attribute("questionnaire").filter(|url| !url.is_empty());
            // The language file carries the default questionnaire already translated: the
            // bundle and its `lang/` folder are one build (`cargo xtask dist`), so it is the
            // compiled-in one, in the teller's language.
            let translated = questionnaire_js::questionnaire(&json::get(&chosen, "questionnaire"));
            let narrow = asked.is_none();
            let ready = move |questionnaire| {
                if Rc::strong_count(&pending) > 1 {
                    *pending.borrow_mut() = Some(mount(&host, questionnaire, lang, chosen.clone()));
                    check_campaign(host, pending, lang, chosen, narrow);
                } // else the element left the page meanwhile
            };
            match asked {
                None => ready(translated.unwrap_or_else(compiled_in)),
                Some(url) => {
                    let from = url.clone();
                    get_json(&from, Box::new(move |json| {
                        let questionnaire = json.and_then(|json| questionnaire_js::questionnaire(&json)).unwrap_or_else(|| {
                            warn(&["storypoint: could not read the questionnaire at ", &url, "; using the default one"].concat());
                            compiled_in()
                        });
                        ready(questionnaire);
                    }));
                }
            }
        }));
        StoryPoint { slot }
    }
}

/// Asks the collector next to `endpoint` about its campaign (`…/campaign`): the prompts it
/// offers (the widget narrows the questionnaire to them, unless the page gave its own) and,
/// when it takes no stories, the notice to show instead of the questions. The first screen
/// is drawn meanwhile; a teller with a draft of a campaign that still takes it keeps writing.
fn check_campaign(host: HtmlElement, slot: Rc<RefCell<Option<Mounted>>>, lang: Lang, chosen: JsValue, narrow: bool) {
    let endpoint = endpoint(&host);
    let Some(base) = endpoint.strip_suffix("stories") else { return };
    get_json(&[base, "campaign?lang=", lang.code()].concat(), Box::new(move |info| {
        let Some(info) = info else { return };
        let current = || slot.borrow().as_ref().map(|m| m._widget.clone());
        let Some(widget) = current() else { return };
        // `null` (every prompt) is not an array: no narrowing.
        let prompts: Vec<String> = json::get(&info, "prompts")
            .dyn_into::<js_sys::Array>()
            .map(|list| list.iter().filter_map(|p| p.as_string()).collect())
            .unwrap_or_default();
        // The collector names prompts only when the campaign offers fewer than all.
        if narrow && !prompts.is_empty() {
            drop(widget);
            let mut narrowed = questionnaire_js::questionnaire(&json::get(&chosen, "questionnaire")).unwrap_or_else(compiled_in);
            narrowed.keep_prompts(&prompts);
            let mounted = mount(&host, narrowed, lang, chosen);
            *slot.borrow_mut() = Some(mounted);
        }
        let Some(widget) = current() else { return };
        let notice = json::get(&info, "notice");
        let writing = json::get(&info, "accepts").is_truthy() && !widget.state.borrow().answers.is_empty();
        if notice.is_object() && !writing {
            widget.screen.set_inner_html("");
            let card = widget.card(&json::get(&notice, "title").as_string().unwrap_or_default());
            append(&card, &text_el("p", "sp-intro", &json::get(&notice, "text").as_string().unwrap_or_default()));
        }
    }));
}

/// Where stories are posted: the `endpoint` attribute, or the page's own collector.
fn endpoint(host: &HtmlElement) -> String {
    host.get_attribute("endpoint").filter(|e| !e.is_empty()).unwrap_or_else(|| "/api/v1/stories".into())
}

impl Drop for StoryPoint {
    fn drop(&mut self) {
        self.slot.borrow_mut().take();
    }
}

#[derive(Clone, PartialEq)]
enum Screen {
    Step(String),
    Review,
    Thanks,
}

struct State {
    page_prefill: Prefill,
    prefill: Prefill,
    answers: Answers,
    screen: Screen,
    submission_id: String,
    /// Questions whose error message is on screen.
    shown_errors: Vec<String>,
    /// The story waits to be sent (kept across reloads).
    pending: bool,
    in_flight: bool,
    retry_ms: u32,
    storage_ok: bool,
    /// The widget word (its key) shown as the status.
    status: Option<&'static str>,
}

struct Widget {
    root: ShadowRoot,
    screen: Element,
    questionnaire: Questionnaire,
    lang: Lang,
    words: Words,
    endpoint: String,
    links_url: Option<String>,
    link: Option<String>,
    draft_key: String,
    state: RefCell<State>,
}

fn new_submission_id() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(crypto) = dom::window().crypto() {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    SubmissionId::from_random_bytes(bytes).to_hyphenated()
}

impl Widget {
    fn new(host: &HtmlElement, questionnaire: Questionnaire, lang: Lang, chosen: JsValue) -> Widget {
        // A page may carry the first screen prerendered (declarative shadow DOM): keep what
        // the teller already chose there, then take over.
        let mut early = Vec::new();
        let root = match host.shadow_root() {
            Some(root) => {
                for input in find_all(&root, "input:checked") {
                    if let Some(name) = input.get_attribute("name") {
                        early.push((name, dom::value_of(&input)));
                    }
                }
                root.set_inner_html("");
                root
            }
            None => host
                .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
                .expect_throw("a custom element can have a shadow root"),
        };
        if let Ok(sheet) = web_sys::CssStyleSheet::new() {
            let _ = sheet.replace_sync(STYLE);
            let _ = js_sys::Reflect::set(&root, &"adoptedStyleSheets".into(), &js_sys::Array::of1(&sheet));
        }
        // The language the widget speaks (Dutch when the asked one has no file) and its
        // direction, on the root inside the shadow DOM: a right-to-left language mirrors
        // the layout (the CSS uses logical properties), whatever the partner page's `dir`.
        let screen = el("div", "sp");
        attr(&screen, "lang", lang.code());
        attr(&screen, "dir", &json::get(&chosen, "dir").as_string().unwrap_or_else(|| "ltr".into()));
        let _ = root.append_child(&screen);

        let endpoint = endpoint(host);
        let links_url = host.get_attribute("links").filter(|l| !l.is_empty());
        let link = dom::window()
            .location()
            .search()
            .ok()
            .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
            .and_then(|params| params.get("sp"))
            .map(|code| code.trim().to_string())
            .filter(|code| !code.is_empty());
        let prefilled = Prefill::from_query(&questionnaire, &host.get_attribute("prefill").unwrap_or_default());
        for warning in &prefilled.warnings {
            warn(&["storypoint: ", &warning.message()].concat());
        }
        let mut draft_key = ["storypoint:", &questionnaire.id, ":"].concat();
        push_int(&mut draft_key, questionnaire.version.into());
        draft_key.push(':');
        draft_key.push_str(link.as_deref().unwrap_or("-"));

        let first = Flow::new(&questionnaire, &prefilled.prefill, &Answers::new())
            .first_step()
            .map(|s| s.step.id.clone())
            .unwrap_or_default();
        let state = State {
            prefill: prefilled.prefill.clone(),
            page_prefill: prefilled.prefill,
            answers: Answers::new(),
            screen: Screen::Step(first),
            submission_id: new_submission_id(),
            shown_errors: Vec::new(),
            pending: false,
            in_flight: false,
            retry_ms: 1000,
            storage_ok: true,
            status: None,
        };
        let widget = Widget {
            root,
            screen,
            questionnaire,
            lang,
            words: Words::new(chosen),
            endpoint,
            links_url,
            link,
            draft_key,
            state: RefCell::new(state),
        };
        widget.load_draft();
        for (name, value) in early {
            widget.state.borrow_mut().answers.set(&name, Value::Text(value));
        }
        widget
    }

    fn listen(self: &Rc<Self>) -> Vec<EventListener> {
        let root: &web_sys::EventTarget = self.root.as_ref();
        let on = |target: &web_sys::EventTarget, kind: &'static str, handler: fn(&Rc<Widget>, &web_sys::Event)| {
            let widget = self.clone();
            EventListener::new(target, kind, move |event| handler(&widget, event))
        };
        vec![
            on(root, "input", |w, e| w.on_input(e)),
            on(root, "click", |w, e| w.on_click(e)),
            // Not passive (gloo's default): the form must not be submitted by the browser.
            EventListener::new_with_options(root, "submit", gloo_events::EventListenerOptions::enable_prevent_default(), {
                let widget = self.clone();
                move |event| {
                    event.prevent_default();
                    widget.on_submit();
                }
            }),
            on(dom::window().as_ref(), "online", |w, _| {
                if w.state.borrow().pending {
                    Widget::send(w);
                }
            }),
        ]
    }

    /// Work that needs the network: the link lookup, and a story left pending last time.
    fn start(self: &Rc<Self>) {
        if let Some(code) = self.link.clone() {
            match LinkCode::parse(&code) {
                Ok(code) => self.resolve_link(code),
                Err(_) => warn(&["storypoint: `", &code, "` in ?sp= is not a link code (8 letters and digits); the questions are asked instead"].concat()),
            }
        }
        if self.state.borrow().pending {
            Widget::send(self);
        }
    }

    fn flow(&self) -> Flow<'_> {
        let state = self.state.borrow();
        Flow::new(&self.questionnaire, &state.prefill, &state.answers).spoken(self.voice().is_some())
    }

    // ---- a spoken story (the recorder is `voice.js`, loaded by the element on demand) ----

    /// The recording of this story, when the teller spoke it in: the object `voice.js`
    /// keeps on the element (`ready()` uploads it, `done()` forgets it).
    fn voice(&self) -> Option<JsValue> {
        Some(json::get(&self.root.host(), "spAudio")).filter(JsValue::is_object)
    }


    // ---- the draft ------------------------------------------------------------------

    fn storage(&self) -> Option<web_sys::Storage> {
        dom::window().local_storage().ok().flatten()
    }

    fn load_draft(&self) {
        let Some(storage) = self.storage() else {
            // Private mode or storage switched off: the widget works, and says so.
            let mut state = self.state.borrow_mut();
            state.storage_ok = false;
            state.status = Some("no_storage");
            warn("storypoint: this browser does not let us keep the draft (storage unavailable)");
            return;
        };
        let Some(draft) = storage.get_item(&self.draft_key).ok().flatten().and_then(|t| json::parse(&t)) else { return };
        let mut state = self.state.borrow_mut();
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

    fn save_draft(&self) {
        let object = js_sys::Object::new();
        {
            let state = self.state.borrow();
            json::set(&object, "submission_id", &JsValue::from_str(&state.submission_id));
            json::set(&object, "answers", &json::answers_to_js(&state.answers));
            json::set(&object, "pending", &JsValue::from_bool(state.pending));
            let screen = match &state.screen {
                Screen::Step(id) => id.as_str(),
                _ => "review",
            };
            json::set(&object, "screen", &JsValue::from_str(screen));
        }
        let saved = self.storage().is_some_and(|s| s.set_item(&self.draft_key, &json::stringify(&object)).is_ok());
        let lost = !saved && std::mem::replace(&mut self.state.borrow_mut().storage_ok, false);
        if lost {
            warn("storypoint: this browser does not let us keep the draft (private mode or storage full)");
            self.set_status(Some("no_storage"));
        }
    }

    fn clear_draft(&self) {
        if let Some(storage) = self.storage() {
            let _ = storage.remove_item(&self.draft_key);
        }
    }

    // ---- rendering ------------------------------------------------------------------

    /// Draws the current screen; `moved` puts the focus on its heading (after navigation,
    /// never on first load, so the partner page keeps its focus).
    fn render(&self, moved: bool) {
        self.screen.set_inner_html("");
        let screen = self.state.borrow().screen.clone();
        match screen {
            Screen::Step(id) => {
                let flow = self.flow();
                match flow.step(&id).map(|s| s.step.id.clone()).or_else(|| flow.next_step(&id).map(|s| s.step.id.clone())) {
                    Some(shown) if shown == id => self.render_step(&flow, &id),
                    Some(other) => {
                        drop(flow);
                        self.state.borrow_mut().screen = Screen::Step(other);
                        return self.render(moved);
                    }
                    None => {
                        drop(flow);
                        self.state.borrow_mut().screen = Screen::Review;
                        return self.render(moved);
                    }
                }
            }
            Screen::Review => self.render_review(),
            Screen::Thanks => self.render_thanks(),
        }
        let status = self.state.borrow().status;
        if let Some(key) = status {
            self.show_status(&self.words.get(key));
        }
        if moved {
            if let Some(heading) = find(&self.root, "h2") {
                focus(&heading);
            }
        }
    }

    fn card(&self, title: &str) -> Element {
        self.card_with_progress(title, None)
    }

    fn card_with_progress(&self, title: &str, progress: Option<storypoint_core::Progress>) -> Element {
        let form = el("form", "sp-card");
        attr(&form, "novalidate", "");
        if let Some(progress) = progress {
            let mut label = String::from(&self.words.get("step"));
            push_int(&mut label, progress.step as i64);
            label.push_str(&self.words.get("of"));
            push_int(&mut label, progress.of as i64);
            let text = text_el("p", "sp-progress-text", &label);
            attr(&text, "id", "sp-progress");
            append(&form, &text);
            let bar = el("progress", "sp-progress");
            attr(&bar, "aria-labelledby", "sp-progress");
            let mut value = String::new();
            push_int(&mut value, progress.step as i64);
            attr(&bar, "value", &value);
            value.clear();
            push_int(&mut value, progress.of as i64);
            attr(&bar, "max", &value);
            append(&form, &bar);
        }
        let heading = text_el("h2", "sp-title", title);
        attr(&heading, "tabindex", "-1");
        append(&form, &heading);
        append(&self.screen, &form);
        form
    }

    fn nav(&self, form: &Element, back: bool, forward: &str) {
        let status = el("p", "sp-status");
        attr(&status, "role", "status");
        append(form, &status);
        let nav = el("div", "sp-nav");
        if back {
            let button = text_el("button", "sp-button sp-secondary", &self.words.get("back"));
            attr(&button, "type", "button");
            attr(&button, "data-action", "back");
            append(&nav, &button);
        }
        let button = text_el("button", "sp-button sp-primary", forward);
        attr(&button, "type", "submit");
        append(&nav, &button);
        append(form, &nav);
    }

    fn render_step(&self, flow: &Flow<'_>, step_id: &str) {
        let Some(shown) = flow.step(step_id) else { return };
        let step = shown.step;
        let form = self.card_with_progress(step.title.get(self.lang), flow.progress(step_id));
        if let Some(intro) = &step.intro {
            append(&form, &text_el("p", "sp-intro", intro.get(self.lang)));
        }
        let state = self.state.borrow();
        for question in &step.questions {
            if flow.is_prefilled(&question.id) {
                continue;
            }
            if matches!(question.kind, QuestionKind::LongText { .. }) {
                if let Some(text) = self.chosen_prompt(flow) {
                    append(&form, &text_el("p", "sp-prompt", &[&self.words.get("your_question"), text].concat()));
                }
            }
            let block = self.render_question(question, state.answers.get(&question.id));
            set_hidden(&block, !flow.is_asked(&question.id));
            append(&form, &block);
        }
        drop(state);
        let last = flow.next_step(step_id).is_none();
        self.nav(&form, flow.previous_step(step_id).is_some(), &self.words.get(if last { "to_review" } else { "next" }));
    }

    /// The full text of the eliciting question the teller chose, shown above the story.
    fn chosen_prompt<'a>(&'a self, flow: &Flow<'_>) -> Option<&'a str> {
        self.questionnaire.questions().find_map(|q| match &q.kind {
            QuestionKind::PromptChoice { prompts } => {
                let chosen = flow.answer(&q.id)?.as_str()?;
                prompts.iter().find(|p| p.value == chosen).map(|p| p.text.get(self.lang))
            }
            _ => None,
        })
    }

    fn render_question(&self, question: &Question, value: Option<&Value>) -> Element {
        let lang = self.lang;
        let id = question.id.as_str();
        let control_id = ["sp-", id].concat();
        let help_id = [&control_id, "-help"].concat();
        let error_id = [&control_id, "-error"].concat();
        let described = [help_id.as_str(), " ", error_id.as_str()].concat();
        let grouped = matches!(
            question.kind,
            QuestionKind::PromptChoice { .. } | QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } | QuestionKind::Slider { .. }
        );
        let block = el(if grouped { "fieldset" } else { "div" }, "sp-question");
        attr(&block, "data-q", id);
        let label = el(if grouped { "legend" } else { "label" }, "sp-label");
        label.set_text_content(Some(question.label.get(lang)));
        let label_id = [&control_id, "-label"].concat();
        attr(&label, "id", &label_id);
        if !grouped {
            attr(&label, "for", &control_id);
        }
        if question.required {
            append(&label, &text_el("span", "sp-required", &self.words.get("required")));
        }
        append(&block, &label);
        let help = text_el("p", "sp-help", question.help.as_ref().map(|h| h.get(lang)).unwrap_or(""));
        attr(&help, "id", &help_id);
        append(&block, &help);

        let text_value = value.and_then(|v| match v {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        });
        let choice = |input_type: &str, option_value: &str, title: &str, text: Option<&str>, index: usize| {
            let option = el("label", "sp-option");
            let input = el("input", "");
            attr(&input, "type", input_type);
            attr(&input, "name", id);
            attr(&input, "value", option_value);
            let mut input_id = [control_id.as_str(), "-"].concat();
            push_int(&mut input_id, index as i64);
            attr(&input, "id", &input_id);
            attr(&input, "aria-describedby", &described);
            let checked = match value {
                Some(Value::Text(t)) => t == option_value,
                Some(Value::List(items)) => items.iter().any(|i| matches!(i, Value::Text(t) if t == option_value)),
                _ => false,
            };
            if checked {
                attr(&input, "checked", "");
            }
            append(&option, &input);
            let words = el("span", "sp-option-text");
            append(&words, &text_el("span", "sp-option-title", title));
            if let Some(text) = text {
                append(&words, &text_el("span", "sp-option-detail", text));
            }
            append(&option, &words);
            option
        };
        match &question.kind {
            QuestionKind::PromptChoice { prompts } => {
                let list = el("div", "sp-options sp-prompts");
                for (i, prompt) in prompts.iter().enumerate() {
                    append(&list, &choice("radio", &prompt.value, prompt.title.get(lang), Some(prompt.text.get(lang)), i));
                }
                append(&block, &list);
            }
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                let kind = if matches!(question.kind, QuestionKind::SingleChoice { .. }) { "radio" } else { "checkbox" };
                let list = el("div", "sp-options");
                for (i, option) in options.iter().enumerate() {
                    append(&list, &choice(kind, &option.value, option.label.get(lang), None, i));
                }
                append(&block, &list);
            }
            QuestionKind::LongText { max_length } | QuestionKind::ShortText { max_length } => {
                let long = matches!(question.kind, QuestionKind::LongText { .. });
                let input = el(if long { "textarea" } else { "input" }, "sp-text");
                if long {
                    attr(&input, "rows", "8");
                } else {
                    attr(&input, "type", "text");
                }
                attr(&input, "id", &control_id);
                attr(&input, "name", id);
                attr(&input, "aria-describedby", &described);
                attr(&input, "autocomplete", "off");
                if let Some(text) = text_value {
                    dom::set_value(&input, text);
                }
                append(&block, &input);
                if long {
                    let counter = el("p", "sp-counter");
                    attr(&counter, "id", &[&control_id, "-count"].concat());
                    append(&block, &counter);
                    self.update_counter(&counter, text_value.unwrap_or(""), *max_length);
                    // Speaking instead of typing: the element loads the recorder into this
                    // box when the button is pressed (or when a recording was kept).
                    let voice = el("div", "sp-voice");
                    attr(&voice, "data-id", &self.state.borrow().submission_id);
                    let speak = text_el("button", "sp-button sp-secondary", &self.words.get("speak"));
                    attr(&speak, "type", "button");
                    attr(&speak, "data-voice", "");
                    append(&voice, &speak);
                    append(&block, &voice);
                }
            }
            QuestionKind::Slider { low, high, not_applicable } => {
                let row = el("div", "sp-slider");
                let input = el("input", "sp-range");
                attr(&input, "type", "range");
                attr(&input, "min", "0");
                attr(&input, "max", "100");
                attr(&input, "step", "1");
                attr(&input, "id", &control_id);
                attr(&input, "name", id);
                attr(&input, "aria-labelledby", &label_id);
                attr(&input, "aria-describedby", &described);
                let position = match value {
                    Some(Value::Integer(n)) => Some(*n),
                    _ => None,
                };
                let mut shown = String::new();
                push_int(&mut shown, position.unwrap_or(50));
                attr(&input, "value", &shown);
                let output = el("output", "sp-slider-value");
                attr(&output, "for", &control_id);
                append(&row, &input);
                let ends = el("div", "sp-slider-ends");
                append(&ends, &text_el("span", "", low.get(lang)));
                append(&ends, &text_el("span", "", high.get(lang)));
                append(&row, &ends);
                append(&row, &output);
                append(&block, &row);
                self.update_slider(&block, value);
                if let Some(label) = not_applicable {
                    let option = el("label", "sp-option sp-na");
                    let check = el("input", "");
                    attr(&check, "type", "checkbox");
                    attr(&check, "name", &[id, "__na"].concat());
                    attr(&check, "id", &[&control_id, "-na"].concat());
                    if text_value == Some(NOT_APPLICABLE) {
                        attr(&check, "checked", "");
                    }
                    append(&option, &check);
                    append(&option, &text_el("span", "sp-option-text", label.get(lang)));
                    append(&block, &option);
                }
            }
            QuestionKind::Number { min, max } => {
                let input = el("input", "sp-text sp-number");
                attr(&input, "type", "text");
                attr(&input, "inputmode", "numeric");
                attr(&input, "id", &control_id);
                attr(&input, "name", id);
                attr(&input, "aria-describedby", &described);
                attr(&input, "autocomplete", "off");
                let mut range = String::new();
                push_int(&mut range, *min);
                attr(&input, "data-min", &range);
                range.clear();
                push_int(&mut range, *max);
                attr(&input, "data-max", &range);
                match value {
                    Some(Value::Integer(n)) => {
                        let mut shown = String::new();
                        push_int(&mut shown, *n);
                        dom::set_value(&input, &shown);
                    }
                    Some(Value::Text(t)) => dom::set_value(&input, t),
                    _ => {}
                }
                append(&block, &input);
            }
        }
        let error = el("p", "sp-error");
        attr(&error, "id", &error_id);
        set_hidden(&error, true);
        append(&block, &error);
        block
    }

    fn update_counter(&self, counter: &Element, text: &str, max: u32) {
        let mut shown = String::new();
        push_int(&mut shown, char_count(text) as i64);
        shown.push_str(" / ");
        push_int(&mut shown, max.into());
        shown.push_str(&self.words.get("characters"));
        counter.set_text_content(Some(&shown));
    }

    fn update_slider(&self, block: &Element, value: Option<&Value>) {
        let Some(output) = block.query_selector("output").ok().flatten() else { return };
        let text = match value {
            Some(Value::Integer(n)) => {
                let mut s = String::new();
                push_int(&mut s, *n);
                s.push_str(&self.words.get("out_of"));
                s
            }
            Some(Value::Text(t)) if t == NOT_APPLICABLE => String::new(),
            _ => self.words.get("not_chosen"),
        };
        output.set_text_content(Some(&text));
        if let Some(range) = block.query_selector("input[type=range]").ok().flatten() {
            attr(&range, "aria-valuetext", if text.is_empty() { "—" } else { &text });
            dom::toggle_attr(&range, "data-untouched", !matches!(value, Some(Value::Integer(_))));
        }
    }

    /// A readable answer for the review.
    fn describe(&self, question: &Question, answer: &Answer) -> String {
        let lang = self.lang;
        let label_of = |value: &str| -> String {
            question.kind.option_label(value).map_or(value, |label| label.get(lang)).to_string()
        };
        match answer {
            Answer::Text(text) => text.clone(),
            Answer::Choice(value) => label_of(value),
            Answer::Choices(values) => values.iter().map(|v| label_of(v)).collect::<Vec<_>>().join(", "),
            Answer::Scale(n) => {
                let mut s = String::new();
                push_int(&mut s, i64::from(*n));
                s.push_str(&self.words.get("out_of"));
                s
            }
            Answer::NotApplicable => match &question.kind {
                QuestionKind::Slider { not_applicable: Some(label), .. } => label.get(lang).to_string(),
                _ => NOT_APPLICABLE.into(),
            },
            Answer::Number(n) => {
                let mut s = String::new();
                push_int(&mut s, *n);
                s
            }
        }
    }

    fn render_review(&self) {
        let flow = self.flow();
        let form = self.card(&self.words.get("review_title"));
        append(&form, &text_el("p", "sp-intro", &self.words.get("review_intro")));
        for shown in flow.steps() {
            let section = el("section", "sp-review-step");
            let head = el("div", "sp-review-head");
            append(&head, &text_el("h3", "", shown.step.title.get(self.lang)));
            let change = text_el("button", "sp-button sp-secondary sp-small", &self.words.get("change"));
            attr(&change, "type", "button");
            attr(&change, "data-action", "edit");
            attr(&change, "data-step", &shown.step.id);
            attr(&change, "aria-label", &[&self.words.get("change"), ": ", shown.step.title.get(self.lang)].concat());
            append(&head, &change);
            append(&section, &head);
            let list = el("dl", "");
            for question in shown.questions {
                append(&list, &text_el("dt", "", question.label.get(self.lang)));
                let answer = flow.answer(&question.id).map(|a| self.describe(question, a));
                let missing = match question.kind {
                    QuestionKind::LongText { .. } if self.voice().is_some() => "spoken",
                    _ => "not_answered",
                };
                let dd = text_el("dd", if answer.is_some() { "" } else { "sp-muted" }, &answer.unwrap_or_else(|| self.words.get(missing)));
                append(&list, &dd);
            }
            append(&section, &list);
            append(&form, &section);
        }
        drop(flow);
        self.nav(&form, true, &self.words.get("send"));
        if self.state.borrow().in_flight || self.state.borrow().pending {
            self.set_sending(true);
        }
    }

    fn render_thanks(&self) {
        let form = self.card(&self.words.get("thanks_title"));
        append(&form, &text_el("p", "sp-intro", &self.words.get("thanks_text")));
        let another = text_el("button", "sp-button sp-primary", &self.words.get("another"));
        attr(&another, "type", "button");
        attr(&another, "data-action", "another");
        let nav = el("div", "sp-nav");
        append(&nav, &another);
        append(&form, &nav);
    }

    fn show_status(&self, message: &str) {
        if let Some(status) = find(&self.root, ".sp-status") {
            status.set_text_content(Some(message));
        }
    }

    /// Shows the widget's word `key` (or nothing) as the status, and keeps it there on
    /// the next render.
    fn set_status(&self, key: Option<&'static str>) {
        self.state.borrow_mut().status = key;
        self.show_status(&key.map(|key| self.words.get(key)).unwrap_or_default());
    }

    fn set_sending(&self, sending: bool) {
        if let Some(button) = find(&self.root, "button[type=submit]") {
            dom::toggle_attr(&button, "aria-disabled", sending);
        }
    }

    // ---- what the teller does ---------------------------------------------------------

    fn on_input(&self, event: &web_sys::Event) {
        let Some(target) = dom::target(event) else { return };
        let Some(name) = target.get_attribute("name") else { return };
        let (id, not_applicable) = match name.strip_suffix("__na") {
            Some(id) => (id.to_string(), true),
            None => (name.clone(), false),
        };
        let Some(question) = self.questionnaire.question(&id) else { return };
        let block = target.closest("[data-q]").ok().flatten();
        let value = match &question.kind {
            QuestionKind::PromptChoice { .. } | QuestionKind::SingleChoice { .. } => Value::Text(dom::value_of(&target)),
            QuestionKind::MultipleChoice { .. } => Value::List(
                find_all(&self.root, &["input[name=\"", &id, "\"]:checked"].concat())
                    .iter()
                    .map(|i| Value::Text(dom::value_of(i)))
                    .collect(),
            ),
            QuestionKind::LongText { max_length } => {
                let text = dom::value_of(&target);
                if let Some(counter) = find(&self.root, &["#sp-", &id, "-count"].concat()) {
                    self.update_counter(&counter, &text, *max_length);
                }
                Value::Text(text)
            }
            QuestionKind::ShortText { .. } => Value::Text(dom::value_of(&target)),
            QuestionKind::Slider { .. } => {
                let range = block.as_ref().and_then(|b| b.query_selector("input[type=range]").ok().flatten());
                let checked = dom::checked(&target);
                if not_applicable && checked {
                    Value::Text(NOT_APPLICABLE.into())
                } else if not_applicable {
                    Value::Null
                } else {
                    if let Some(na) = block.as_ref().and_then(|b| b.query_selector("input[type=checkbox]").ok().flatten()) {
                        dom::set_checked(&na, false);
                    }
                    range.map(|r| dom::value_of(&r).parse().map(Value::Integer).unwrap_or(Value::Null)).unwrap_or(Value::Null)
                }
            }
            QuestionKind::Number { .. } => {
                let raw = dom::value_of(&target);
                let raw = raw.trim();
                if raw.is_empty() {
                    Value::Null
                } else {
                    raw.parse().map(Value::Integer).unwrap_or_else(|_| Value::Text(raw.into()))
                }
            }
        };
        if let (QuestionKind::Slider { .. }, Some(block)) = (&question.kind, &block) {
            self.update_slider(block, Some(&value));
        }
        self.state.borrow_mut().answers.set(&id, value);
        self.save_draft();
        self.refresh();
    }

    /// After an answer changed: show and hide questions, clear errors that are fixed.
    fn refresh(&self) {
        let flow = self.flow();
        for block in find_all(&self.root, "[data-q]") {
            if let Some(id) = block.get_attribute("data-q") {
                set_hidden(&block, !flow.is_asked(&id));
            }
        }
        let Screen::Step(step) = self.state.borrow().screen.clone() else { return };
        let errors = flow.step_errors(&step);
        drop(flow);
        let shown = self.state.borrow().shown_errors.clone();
        for id in shown {
            if !errors.iter().any(|e| e.question == id) {
                self.show_error(&id, None);
            }
        }
    }

    fn show_error(&self, question: &str, message: Option<&str>) {
        let Some(block) = find(&self.root, &["[data-q=\"", question, "\"]"].concat()) else { return };
        if let Some(error) = block.query_selector(".sp-error").ok().flatten() {
            error.set_text_content(message);
            set_hidden(&error, message.is_none());
        }
        for input in find_all(&self.root, &["[data-q=\"", question, "\"] input, [data-q=\"", question, "\"] textarea"].concat()) {
            dom::toggle_attr(&input, "aria-invalid", message.is_some());
        }
        let mut state = self.state.borrow_mut();
        state.shown_errors.retain(|id| id != question);
        if message.is_some() {
            state.shown_errors.push(question.into());
        }
    }

    /// Shows the errors and puts the focus on the first one's control.
    fn show_errors(&self, errors: &[(String, String)]) {
        for (question, message) in errors {
            self.show_error(question, Some(message));
        }
        self.set_status(Some("fix_errors"));
        if let Some((first, _)) = errors.first() {
            let selector = ["[data-q=\"", first, "\"] input, [data-q=\"", first, "\"] textarea"].concat();
            if let Some(control) = find(&self.root, &selector) {
                focus(&control);
            }
        }
    }

    fn go(&self, screen: Screen) {
        {
            let mut state = self.state.borrow_mut();
            state.screen = screen;
            state.shown_errors.clear();
            if !state.pending {
                state.status = None;
            }
        }
        self.save_draft();
        self.render(true);
    }

    fn on_submit(self: &Rc<Self>) {
        let screen = self.state.borrow().screen.clone();
        match screen {
            Screen::Step(id) => {
                let flow = self.flow();
                let errors: Vec<(String, String)> =
                    flow.step_errors(&id).iter().map(|e| (e.question.clone(), self.words.message(e))).collect();
                let next = flow.next_step(&id).map(|s| s.step.id.clone());
                drop(flow);
                if !errors.is_empty() {
                    self.show_errors(&errors);
                    return;
                }
                self.go(next.map(Screen::Step).unwrap_or(Screen::Review));
            }
            Screen::Review => {
                if self.state.borrow().in_flight {
                    return; // a double click sends once
                }
                let errors = self.flow().errors();
                if let Some(first) = errors.first() {
                    // Only possible with a draft from an older questionnaire: go and fix it.
                    let step = self.step_of(&first.question);
                    let errors: Vec<(String, String)> = errors.iter().map(|e| (e.question.clone(), self.words.message(e))).collect();
                    self.go(Screen::Step(step));
                    self.show_errors(&errors);
                    return;
                }
                self.state.borrow_mut().pending = true;
                self.save_draft();
                Widget::send(self);
            }
            Screen::Thanks => {}
        }
    }

    fn on_click(self: &Rc<Self>, event: &web_sys::Event) {
        let Some(target) = dom::target(event) else { return };
        let Some(button) = target.closest("[data-action]").ok().flatten() else { return };
        match button.get_attribute("data-action").as_deref() {
            Some("back") => {
                let screen = self.state.borrow().screen.clone();
                let flow = self.flow();
                let previous = match &screen {
                    Screen::Step(id) => flow.previous_step(id).map(|s| s.step.id.clone()),
                    _ => flow.steps().last().map(|s| s.step.id.clone()),
                };
                drop(flow);
                if let Some(step) = previous {
                    self.go(Screen::Step(step));
                }
            }
            Some("edit") => {
                if let Some(step) = button.get_attribute("data-step") {
                    if !self.state.borrow().in_flight {
                        self.state.borrow_mut().pending = false;
                        self.go(Screen::Step(step));
                    }
                }
            }
            Some("another") => {
                {
                    let mut state = self.state.borrow_mut();
                    state.answers = Answers::new();
                    state.submission_id = new_submission_id();
                    state.status = None;
                }
                let first = self.flow().first_step().map(|s| s.step.id.clone()).unwrap_or_default();
                self.go(Screen::Step(first));
            }
            _ => {}
        }
    }

    fn step_of(&self, question: &str) -> String {
        self.questionnaire
            .steps
            .iter()
            .find(|s| s.questions.iter().any(|q| q.id == question))
            .map(|s| s.id.clone())
            .unwrap_or_default()
    }

    // ---- the network ------------------------------------------------------------------

    fn resolve_link(self: &Rc<Self>, code: LinkCode) {
        let widget = self.clone();
        match &self.links_url {
            Some(table) => get_json(table, Box::new(move |table| {
                let entry = table.and_then(|t| js_sys::Array::from(&t).iter().filter_map(|row| json::link_entry(&row)).find(|e| e.code == code));
                widget.apply_link(code, entry);
            })),
            None => {
                let Some(base) = self.endpoint.strip_suffix("stories") else {
                    warn("storypoint: cannot find the links API next to the endpoint; the questions are asked instead");
                    return;
                };
                let url = [base, "links/", code.as_str()].concat();
                get_json(&url, Box::new(move |entry| widget.apply_link(code, entry.and_then(|e| json::link_entry(&e)))));
            }
        }
    }

    fn apply_link(&self, code: LinkCode, entry: Option<storypoint_core::LinkEntry>) {
        let Some(entry) = entry else {
            warn(&["storypoint: the link code ", code.as_str(), " is unknown; the questions are asked instead"].concat());
            return;
        };
        let prefilled = entry.prefill(&self.questionnaire);
        for warning in &prefilled.warnings {
            warn(&["storypoint: link ", code.as_str(), ": ", &warning.message()].concat());
        }
        {
            let mut state = self.state.borrow_mut();
            state.prefill = prefilled.prefill.with_fallback(&state.page_prefill);
        }
        // Redraw only a screen the prefill changes (never under a teller's fingers otherwise).
        let screen = self.state.borrow().screen.clone();
        let affected = match &screen {
            Screen::Step(id) => self.questionnaire.step(id).is_some_and(|s| s.questions.iter().any(|q| q.prefillable)),
            Screen::Review => true,
            Screen::Thanks => false,
        };
        if affected {
            self.render(false);
        }
    }

    fn submission_body(&self, audio: &JsValue) -> String {
        let state = self.state.borrow();
        let object = js_sys::Object::new();
        json::set(&object, "questionnaire", &JsValue::from_str(&self.questionnaire.id));
        json::set(&object, "version", &JsValue::from_f64(self.questionnaire.version.into()));
        json::set(&object, "submission_id", &JsValue::from_str(&state.submission_id));
        json::set(&object, "link", &self.link.as_deref().map(JsValue::from_str).unwrap_or(JsValue::NULL));
        json::set(&object, "lang", &JsValue::from_str(self.lang.code()));
        json::set(&object, "answers", &json::answers_to_js(&state.answers));
        if audio.is_object() {
            json::set(&object, "audio", audio);
        }
        json::stringify(&object)
    }

    /// Sends the pending story; on a network error or a 5xx, keeps it and tries again later.
    fn send(self: &Rc<Self>) {
        {
            let mut state = self.state.borrow_mut();
            if state.in_flight || !state.pending {
                return;
            }
            state.in_flight = true;
        }
        self.set_sending(true);
        self.set_status(Some("sending"));
        let widget = self.clone();
        let post = move |audio: JsValue| {
            let body = widget.submission_body(&audio);
            let widget = widget.clone();
            post_json(&widget.endpoint.clone(), &body, Box::new(move |outcome| {
                widget.state.borrow_mut().in_flight = false;
                widget.after_send(outcome);
            }));
        };
        match self.voice() {
            // The recording goes first (resumable); the story names it once it is whole.
            Some(audio) => {
                let widget = self.clone();
                on_settled(&call(&audio, "ready", &JsValue::UNDEFINED), Box::new(move |reference| match reference {
                    Some(reference) => post(reference),
                    None => {
                        widget.state.borrow_mut().in_flight = false;
                        widget.after_send(Err(()));
                    }
                }));
            }
            None => post(JsValue::NULL),
        }
    }

    fn after_send(self: &Rc<Self>, outcome: Result<(u16, JsValue), ()>) {
        match outcome {
            Ok((200 | 201, _)) => {
                if let Some(audio) = self.voice() {
                    call(&audio, "done", &JsValue::UNDEFINED);
                }
                self.clear_draft();
                {
                    let mut state = self.state.borrow_mut();
                    state.pending = false;
                    state.retry_ms = 1000;
                    state.answers = Answers::new();
                    state.submission_id = new_submission_id();
                    state.status = None;
                    state.screen = Screen::Thanks;
                }
                self.render(true);
            }
            Ok((422, body)) => {
                self.state.borrow_mut().pending = false;
                let errors: Vec<(String, String)> = js_sys::Array::from(&json::get(&body, "errors"))
                    .iter()
                    .filter_map(|e| Some((json::get(&e, "question").as_string()?, json::get(&e, "message").as_string()?)))
                    .collect();
                warn("storypoint: the collector refused the story (422); the errors are shown at the questions");
                let step = errors.first().map(|(q, _)| self.step_of(q)).filter(|s| !s.is_empty());
                match step {
                    Some(step) => {
                        self.go(Screen::Step(step));
                        self.show_errors(&errors);
                    }
                    None => {
                        self.set_sending(false);
                        self.set_status(Some("refused"));
                    }
                }
                self.save_draft();
            }
            Ok((410, _)) => {
                self.state.borrow_mut().pending = false;
                self.save_draft();
                warn("storypoint: the campaign is closed (410); the story stays on this device");
                self.set_sending(false);
                self.set_status(Some("closed"));
            }
            // 429 (many stories from one school at once) is "later", like a 5xx.
            Ok((status, _)) if status < 500 && status != 429 => {
                self.state.borrow_mut().pending = false;
                self.save_draft();
                let mut message = String::from("storypoint: the collector refused the story with status ");
                push_int(&mut message, status.into());
                warn(&message);
                self.set_sending(false);
                self.set_status(Some("refused"));
            }
            failure => {
                // Offline, or the collector had a problem: keep the story and try again.
                let delay = {
                    let mut state = self.state.borrow_mut();
                    let delay = state.retry_ms;
                    state.retry_ms = (state.retry_ms * 2).min(30_000);
                    delay
                };
                let mut message = String::from(match failure {
                    Ok(_) => "storypoint: the collector answered with an error; story kept, retrying in ",
                    Err(_) => "storypoint: no connection; story kept, retrying in ",
                });
                push_int(&mut message, (delay / 1000).into());
                message.push_str(" s");
                warn(&message);
                self.set_sending(false);
                self.set_status(Some("saved_offline"));
                let widget = self.clone();
                let retry = Closure::once_into_js(move || Widget::send(&widget));
                let _ = dom::window()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(retry.unchecked_ref(), delay as i32);
            }
        }
    }
}

/// Calls `object.method(argument)`; `undefined` when there is no such method.
fn call(object: &JsValue, method: &str, argument: &JsValue) -> JsValue {
    json::get(object, method)
        .dyn_into::<js_sys::Function>()
        .ok()
        .and_then(|f| f.call1(object, argument).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

/// Fetch options as a plain object (one import fewer per option than `RequestInit`'s setters):
/// CORS, no cookies, no referrer, no cache.
fn request_init(method: &str) -> js_sys::Object {
    let init = js_sys::Object::new();
    for (key, value) in [("method", method), ("mode", "cors"), ("credentials", "omit"), ("referrerPolicy", "no-referrer"), ("cache", "no-store")] {
        json::set(&init, key, &JsValue::from_str(value));
    }
    init
}

/// What to do when a request is done: `Err` when it never got an answer (offline).
type Done = Box<dyn FnOnce(Result<(u16, JsValue), ()>)>;

/// Calls `then` with the promise's value, or `None` when it is rejected. (Callbacks, not
/// async/await: the futures executor costs the widget about a kilobyte and a half.)
fn on_settled(promise: &JsValue, then: Box<dyn FnOnce(Option<JsValue>)>) {
    let slot = Rc::new(RefCell::new(Some(then)));
    let resolved = slot.clone();
    let resolve = Closure::once_into_js(move |value: JsValue| {
        if let Some(then) = resolved.borrow_mut().take() {
            then(Some(value));
        }
    });
    let reject = Closure::once_into_js(move |_: JsValue| {
        if let Some(then) = slot.borrow_mut().take() {
            then(None);
        }
    });
    if let Ok(method) = json::get(promise, "then").dyn_into::<js_sys::Function>() {
        let _ = method.call2(promise, &resolve, &reject);
    }
}

/// Fetches `url`; `done` gets the status and the JSON body (`null` when there is none).
fn fetch(url: &str, init: &js_sys::Object, done: Done) {
    let promise = dom::window().fetch_with_str_and_init(url, init.unchecked_ref());
    on_settled(&promise, Box::new(move |response| {
        let Some(response) = response else { return done(Err(())) };
        let response: web_sys::Response = response.unchecked_into();
        let status = response.status();
        match response.json() {
            Ok(body) => on_settled(&body, Box::new(move |body| done(Ok((status, body.unwrap_or(JsValue::NULL)))))),
            Err(_) => done(Ok((status, JsValue::NULL))),
        }
    }));
}

/// GETs JSON; `done` gets the body of a 200, else `None`.
fn get_json(url: &str, done: Box<dyn FnOnce(Option<JsValue>)>) {
    fetch(url, &request_init("GET"), Box::new(move |outcome| match outcome {
        Ok((200, body)) => done(Some(body)),
        _ => done(None),
    }));
}

fn post_json(url: &str, body: &str, done: Done) {
    let init = request_init("POST");
    json::set(&init, "body", &JsValue::from_str(body));
    // keepalive: a story sent just before the tab closes still arrives.
    json::set(&init, "keepalive", &JsValue::TRUE);
    let headers = js_sys::Object::new();
    json::set(&headers, "Content-Type", &JsValue::from_str("application/json"));
    json::set(&init, "headers", &headers);
    fetch(url, &init, done);
}

// The widget runs on one thread (the page's), which is what this allocator assumes.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
