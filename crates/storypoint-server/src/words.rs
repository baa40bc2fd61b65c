//! The console's words: one file per language in `translations/console/` (`nl.json` is the
//! source, `en.json` the same keys in plain English), compiled into the binary and read once,
//! and the language of the request being answered.
//!
//! The language is request-scoped, like a locale: a middleware on the coordinators' routes
//! (`console::language`) sets it in a task-local [`Scope`] for the time the request takes, and
//! [`t`] / [`t_with`] read it. So no page function takes a language argument and a page
//! written tomorrow that calls `pages::admin::frame` speaks the coordinator's language
//! without changing its signature. Outside a request (unit tests, the command line) the
//! words are Dutch. Work moved off the async threads
//! takes the scope along with [`carried`]: a task-local does not cross `spawn_blocking`.
//!
//! A key missing in English gives the Dutch words; a key missing in Dutch gives the key itself
//! (the tests below fail first: every key the source names is in `nl.json`, and both files
//! have the same keys with the same placeholders). A malformed file gives the key, never a
//! panic.
use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::LazyLock;

/// A language the console speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Dutch, the source.
    Dutch,
    /// English.
    English,
}

impl Language {
    /// Every language the console speaks, Dutch first.
    pub const ALL: [Language; 2] = [Language::Dutch, Language::English];

    /// Its code, as `<html lang>` and the language cookie say it.
    pub fn code(self) -> &'static str {
        match self {
            Language::Dutch => "nl",
            Language::English => "en",
        }
    }

    /// The language of a code (`nl`, `en`, in any case); none for another.
    pub fn parse(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|language| language.code().eq_ignore_ascii_case(code.trim()))
    }

    /// Its name in its own words ("Nederlands", "English"), from its file.
    pub fn name(self) -> &'static str {
        file(self).map_or(self.code(), |words| words.name.as_str())
    }

    /// The other language: the one the console's header offers.
    pub fn other(self) -> Language {
        match self {
            Language::Dutch => Language::English,
            Language::English => Language::Dutch,
        }
    }
}

/// What the request being answered asks of the console's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// The coordinator's language.
    pub language: Language,
    /// The page's own address (path and query), to come back to after switching language;
    /// none for the answer to a form (a POST), where switching would lose what was typed or
    /// shown once.
    pub here: Option<String>,
}

tokio::task_local! {
    static SCOPE: Scope;
}

/// Runs `work` (a request's handling) with `scope` as its words' scope.
pub async fn speaking<F: Future>(scope: Scope, work: F) -> F::Output {
    SCOPE.scope(scope, work).await
}

/// Runs `work` on this thread with `scope` as its words' scope.
pub fn within<R>(scope: Scope, work: impl FnOnce() -> R) -> R {
    SCOPE.sync_scope(scope, work)
}

/// The scope of the request being answered (none outside one).
pub fn scope() -> Option<Scope> {
    SCOPE.try_with(Clone::clone).ok()
}

/// `work` with the scope of the request being answered, for another thread
/// (`spawn_blocking`): the task-local stays behind otherwise and the words would be Dutch.
pub fn carried<R>(work: impl FnOnce() -> R + Send) -> impl FnOnce() -> R + Send {
    let scope = scope();
    move || match scope {
        Some(scope) => SCOPE.sync_scope(scope, work),
        None => work(),
    }
}

/// The language of the request being answered (Dutch outside one).
pub fn language() -> Language {
    SCOPE.try_with(|scope| scope.language).unwrap_or(Language::Dutch)
}

/// The words of `key` in the request's language; in Dutch when English lacks them; the key
/// itself when Dutch lacks them too (a test fails first).
pub fn t(key: &'static str) -> &'static str {
    words_in(language(), key)
}

/// The words of `key` in `language` (Dutch where it has none; the key as a last resort).
pub fn words_in(language: Language, key: &'static str) -> &'static str {
    let found = |language| file(language).and_then(|words| words.words.get(key)).map(String::as_str);
    found(language).or_else(|| found(Language::Dutch)).unwrap_or(key)
}

/// An answer option's words in the request's language, as the widget's translation of the
/// questionnaire (`translations/{code}.json`) gives them; none in Dutch (the questionnaire's
/// own words are Dutch) or where the translation has none.
pub fn option_label(question: &str, value: &str) -> Option<&'static str> {
    let lang = storypoint_core::Lang::parse(language().code()).filter(|lang| *lang != storypoint_core::Lang::NL)?;
    storypoint_core::shipped(lang)?.text(&format!("questions.{question}.options.{value}"))
}

/// The request's language as the core names it.
pub fn lang() -> storypoint_core::Lang {
    match language() {
        Language::Dutch => storypoint_core::Lang::NL,
        Language::English => storypoint_core::Lang::EN,
    }
}

/// A text in Dutch and perhaps English (the insight crate's labels, notes and sentences,
/// their English from the widget's translation) in the request's language; Dutch where it
/// has no English.
pub fn pick(text: &storypoint_core::Text) -> &str {
    text.get(lang())
}

/// `x` with `decimals` decimals: a decimal comma in Dutch, a point in English.
pub fn decimal(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    if language() == Language::Dutch { text.replace('.', ",") } else { text }
}

/// The words of `key` with each `{name}` filled in with its value.
pub fn t_with(key: &'static str, values: &[(&str, &dyn Display)]) -> String {
    fill(t(key), values)
}

/// The words of `key` around its one placeholder (`{link}`, say), for words with markup in
/// the middle: what comes before it and what comes after.
pub fn t_around(key: &'static str) -> (&'static str, &'static str) {
    let words = t(key);
    match (words.find('{'), words.find('}')) {
        (Some(open), Some(close)) if open < close => (&words[..open], &words[close + 1..]),
        _ => (words, ""),
    }
}

/// `template` with every `{name}` of `values` replaced; other braces stay as they are.
pub fn fill(template: &str, values: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| values.iter().find(|(name, _)| *name == &after[..close]).map(|(_, value)| (close, value)));
        match value {
            Some((close, value)) => {
                out.push_str(&value.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One language's file as read.
#[derive(Debug, serde::Deserialize)]
struct Words {
    /// Its code.
    lang: String,
    /// Its name in its own words.
    name: String,
    /// Every word, by key.
    words: BTreeMap<String, String>,
}

/// The files as shipped, by language.
const FILES: [(Language, &str); 2] =
    [(Language::Dutch, include_str!("../../../translations/console/nl.json")), (Language::English, include_str!("../../../translations/console/en.json"))];

/// Each file read once (none when it does not read: its words then come from Dutch, or are
/// the keys).
static READ: LazyLock<Vec<Option<Words>>> =
    LazyLock::new(|| FILES.iter().map(|(language, json)| read(json).filter(|words| words.lang == language.code())).collect());

fn read(json: &str) -> Option<Words> {
    serde_json::from_str(json).ok()
}

fn file(language: Language) -> Option<&'static Words> {
    let index = Language::ALL.iter().position(|l| *l == language)?;
    READ.get(index)?.as_ref()
}

/// The `{names}` a template fills in, sorted.
#[cfg(test)]
fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name)).collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key the server's source names as the first argument of `t`, `t_with` or
    /// `t_around` (a string literal), with the file it is in.
    fn keys_in_source() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![root];
        let mut found = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for call in ["t(\"", "t_with(\"", "t_around(\""] {
                for (at, _) in text.match_indices(call) {
                    // A call of ours, not the end of another name (`split("`, `rt(\"`).
                    let before = text[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let rest = &text[at + call.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    found.push((key.to_string(), path.display().to_string()));
                }
            }
        }
        found
    }

    fn dutch() -> &'static Words {
        file(Language::Dutch).expect("translations/console/nl.json reads, and says it is nl")
    }

    #[test]
    fn every_key_the_source_names_is_in_the_dutch_file_and_every_dutch_word_is_used() {
        let used = keys_in_source();
        assert!(used.len() > 100, "the console's pages name their words: {}", used.len());
        let missing: Vec<String> = used.iter().filter(|(key, _)| !dutch().words.contains_key(key)).map(|(key, file)| format!("{key} ({file})")).collect();
        assert!(missing.is_empty(), "keys the source names that translations/console/nl.json lacks:\n{}", missing.join("\n"));
        let unused: Vec<&String> = dutch().words.keys().filter(|key| !used.iter().any(|(used, _)| used == *key)).collect();
        assert!(unused.is_empty(), "words in translations/console/nl.json that no page shows: {unused:?}");
    }

    #[test]
    fn every_language_has_every_dutch_key_with_the_same_placeholders() {
        for (language, json) in FILES {
            let words = read(json).unwrap_or_else(|| panic!("translations/console/{}.json does not read", language.code()));
            assert_eq!(words.lang, language.code(), "the file says which language it is");
            assert!(!words.name.is_empty());
            for (key, dutch_words) in &dutch().words {
                let theirs = words.words.get(key).unwrap_or_else(|| panic!("{}.json lacks `{key}`", language.code()));
                assert!(!theirs.trim().is_empty(), "{}.json: `{key}` is empty", language.code());
                assert_eq!(placeholders(theirs), placeholders(dutch_words), "{}.json: `{key}` fills in other values than Dutch", language.code());
            }
            let extra: Vec<&String> = words.words.keys().filter(|key| !dutch().words.contains_key(*key)).collect();
            assert!(extra.is_empty(), "{}.json has keys Dutch does not: {extra:?}", language.code());
        }
    }

    #[test]
    fn the_words_follow_the_scope_and_english_falls_back_to_dutch() {
        assert_eq!(language(), Language::Dutch, "outside a request: Dutch");
        assert_eq!(t("login.title"), "Inloggen");
        let english = Scope { language: Language::English, here: Some("/admin".into()) };
        assert_eq!(SCOPE.sync_scope(english.clone(), || t("login.title")), "Log in");
        // Work moved to another thread keeps the request's language.
        let work = SCOPE.sync_scope(english, || carried(|| t("login.title")));
        assert_eq!(std::thread::spawn(work).join().unwrap(), "Log in");
        assert_eq!(words_in(Language::English, "no.such.key"), "no.such.key", "a missing key shows itself, it does not panic");
        assert_eq!(Language::parse(" EN "), Some(Language::English));
        assert_eq!(Language::parse("de"), None);
        assert_eq!((Language::Dutch.name(), Language::English.name()), ("Nederlands", "English"));
        assert_eq!(option_label("age_group", "under_12"), None, "Dutch: the questionnaire's own words");
        let english = Scope { language: Language::English, here: None };
        assert_eq!(SCOPE.sync_scope(english.clone(), || option_label("age_group", "under_12")), Some("Under 12"));
        assert_eq!(SCOPE.sync_scope(english, || option_label("age_group", "no_such_option")), None);
    }

    #[test]
    fn placeholders_are_filled_by_name_and_other_braces_stay() {
        assert_eq!(fill("{count} van {all} {onbekend} {", &[("all", &7), ("count", &"3")]), "3 van 7 {onbekend} {");
        assert_eq!(t_with("response.missing", &[("groups", &"ouder, kind")]), "Nog geen verhalen van: ouder, kind.");
        assert_eq!(placeholders("{b} en {a}"), ["a", "b"]);
        let (before, after) = t_around("response.done");
        assert_eq!((before, after), ("Klaar? Log uit met ", ", zeker op een gedeelde computer."));
    }
}
