//! One language's texts as data: the widget's words, the validation messages and the
//! questionnaire's texts, read from `translations/{code}.json`. Adding a language is
//! adding such a file; nothing in the code names a language but Dutch.
//!
//! The questionnaire's texts are keyed by where they are, built from ids the questionnaire
//! already makes stable (question ids, option and prompt values):
//!
//! | key | text |
//! |---|---|
//! | `title` | the questionnaire's title |
//! | `steps.{step}.title`, `steps.{step}.intro` | a step's heading and introduction |
//! | `questions.{id}.label`, `questions.{id}.help` | a question and its help text |
//! | `questions.{id}.options.{value}` | an option of a choice question |
//! | `questions.{id}.prompts.{value}.title`, `….text` | an eliciting prompt |
//! | `questions.{id}.low`, `.high`, `.not_applicable` | a slider's ends and its "not applicable" |
//!
//! A key the translation lacks shows the Dutch text; [`Translation::check`] reports keys
//! that name nothing.
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::ErrorCode;
use crate::questionnaire::{QuestionKind, Questionnaire};
use crate::text::{Direction, Lang, Text};

/// One language's texts: what a `translations/{code}.json` file holds.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Translation {
    /// The language.
    pub lang: Lang,
    /// The language's name in itself (`العربية`, `Frysk`).
    pub name: String,
    /// The language's name in Dutch (`Arabisch`), for the coordinators' pages.
    pub name_nl: String,
    /// Which way it is written.
    pub dir: Direction,
    /// The widget's words by key (`next`, `send`, …; the Dutch file lists every key).
    pub words: Vec<(String, String)>,
    /// The recorder's words by key (`voice.js`, loaded when a teller speaks), `{time}` where
    /// the Dutch has it.
    pub voice: Vec<(String, String)>,
    /// Validation messages by [`ErrorCode::as_str`], with `{min}` and `{max}` where the
    /// Dutch message has a number.
    pub messages: Vec<(String, String)>,
    /// The questionnaire's texts by key (see the module documentation).
    pub texts: Vec<(String, String)>,
}

pub(crate) fn lookup<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| v.as_str())
}

impl Translation {
    /// The widget's word for `key`, when this translation has it.
    pub fn word(&self, key: &str) -> Option<&str> {
        lookup(&self.words, key)
    }

    /// The questionnaire text for `key`, when this translation has it.
    pub fn text(&self, key: &str) -> Option<&str> {
        lookup(&self.texts, key)
    }

    /// The message for `code` with its numbers filled in, when this translation has it.
    pub fn message(&self, code: ErrorCode) -> Option<String> {
        lookup(&self.messages, code.as_str()).map(|template| code.fill(template))
    }
}

impl Questionnaire {
    /// Adds `translation`'s texts to this questionnaire in its language, so
    /// [`Text::get`] finds them; a text the translation lacks keeps falling back to Dutch.
    pub fn translate(&mut self, translation: &Translation) {
        let lang = translation.lang;
        self.each_text(&mut |key, text| {
            if let Some(translated) = translation.text(key) {
                text.set(lang, translated.into());
            }
        });
    }

    /// Calls `f` with the key (see [`crate::translation`]) and the text of every text in
    /// the questionnaire, in order.
    pub(crate) fn each_text(&mut self, f: &mut dyn FnMut(&str, &mut Text)) {
        // One key buffer, cut back to its stem for each text: fewer allocations and less
        // code in the widget than a new string per key.
        let mut key = String::from("title");
        f(&key, &mut self.title);
        let mut with = |key: &mut String, stem: usize, tail: &str, text: &mut Text| {
            key.truncate(stem);
            key.push_str(tail);
            f(key, text);
        };
        for step in &mut self.steps {
            key.clear();
            key.push_str("steps.");
            key.push_str(&step.id);
            key.push('.');
            let stem = key.len();
            with(&mut key, stem, "title", &mut step.title);
            if let Some(intro) = &mut step.intro {
                with(&mut key, stem, "intro", intro);
            }
            for question in &mut step.questions {
                key.clear();
                key.push_str("questions.");
                key.push_str(&question.id);
                key.push('.');
                let stem = key.len();
                with(&mut key, stem, "label", &mut question.label);
                if let Some(help) = &mut question.help {
                    with(&mut key, stem, "help", help);
                }
                match &mut question.kind {
                    QuestionKind::PromptChoice { prompts } => {
                        for prompt in prompts {
                            key.truncate(stem);
                            key.push_str("prompts.");
                            key.push_str(&prompt.value);
                            key.push('.');
                            let stem = key.len();
                            with(&mut key, stem, "title", &mut prompt.title);
                            with(&mut key, stem, "text", &mut prompt.text);
                        }
                    }
                    QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
                        for option in options {
                            key.truncate(stem);
                            key.push_str("options.");
                            let at = key.len();
                            with(&mut key, at, &option.value, &mut option.label);
                        }
                    }
                    QuestionKind::Slider { low, high, not_applicable } => {
                        with(&mut key, stem, "low", low);
                        with(&mut key, stem, "high", high);
                        if let Some(label) = not_applicable {
                            with(&mut key, stem, "not_applicable", label);
                        }
                    }
                    QuestionKind::LongText { .. } | QuestionKind::ShortText { .. } | QuestionKind::Number { .. } => {}
                }
            }
        }
    }

    /// The key of every text in the questionnaire, in order (what a translation may name).
    #[cfg(feature = "std")]
    pub fn text_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        self.clone().each_text(&mut |key, _| keys.push(key.into()));
        keys
    }
}

#[cfg(feature = "std")]
mod checks {
    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::Translation;
    use crate::check::Problem;
    use crate::error::ErrorCode;
    use crate::questionnaire::Questionnaire;

    /// Every message key with the numbers its message must show.
    const MESSAGES: [(ErrorCode, &[&str]); 9] = [
        (ErrorCode::Required, &[]),
        (ErrorCode::TooLong { max: 0 }, &["{max}"]),
        (ErrorCode::OutOfRange { min: 0, max: 0 }, &["{min}", "{max}"]),
        (ErrorCode::UnknownOption, &[]),
        (ErrorCode::TooMany { max: 0 }, &["{max}"]),
        (ErrorCode::WrongType, &[]),
        (ErrorCode::UnknownQuestion, &[]),
        (ErrorCode::WrongQuestionnaire, &[]),
        (ErrorCode::WrongVersion, &[]),
    ];

    fn problem(path: String, message: String) -> Problem {
        Problem { path, message }
    }

    /// The `{name}` placeholders of a text.
    fn placeholders(text: &str) -> impl Iterator<Item = &str> {
        text.match_indices('{').filter_map(|(at, _)| text.get(at..).and_then(|rest| rest.find('}').and_then(|end| rest.get(..=end))))
    }

    impl Translation {
        /// Every problem with this translation at once, each with its JSON path: a name,
        /// every widget word `dutch` (the Dutch translation, the source) has, every
        /// validation message with its numbers, and no key that names nothing (no word
        /// the widget does not have, no text `questionnaire` does not have). Questionnaire
        /// texts may be missing (they show in Dutch): [`Translation::missing_texts`].
        pub fn check(&self, questionnaire: &Questionnaire, dutch: &Translation) -> Vec<Problem> {
            let mut problems = Vec::new();
            let code = self.lang.code();
            if self.name.trim().is_empty() || self.name_nl.trim().is_empty() {
                problems.push(problem("name".into(), format!("give the language's own name and its Dutch name (`name`, `name_nl`) for `{code}`")));
            }
            for (key, _) in &dutch.words {
                if self.word(key).is_none() {
                    problems.push(problem(format!("widget.{key}"), "this widget word is missing or empty; the widget would show the Dutch one".into()));
                }
            }
            for (key, _) in &self.words {
                if dutch.word(key).is_none() {
                    problems.push(problem(format!("widget.{key}"), format!("the widget has no word `{key}` (see translations/nl.json for the keys)")));
                }
            }
            for (key, source) in &dutch.voice {
                match super::lookup(&self.voice, key) {
                    None => {
                        problems.push(problem(format!("voice.{key}"), "this word of the recorder is missing; the recorder would show the Dutch one".into()))
                    }
                    Some(text) => {
                        for placeholder in placeholders(source).filter(|p| !text.contains(*p)) {
                            problems.push(problem(format!("voice.{key}"), format!("the text must show {placeholder}, as the Dutch does")));
                        }
                    }
                }
            }
            for (key, _) in &self.voice {
                if super::lookup(&dutch.voice, key).is_none() {
                    problems.push(problem(format!("voice.{key}"), format!("the recorder has no word `{key}` (see translations/nl.json for the keys)")));
                }
            }
            if self.lang != crate::Lang::NL {
                for (code, numbers) in MESSAGES {
                    let key = code.as_str();
                    match super::lookup(&self.messages, key) {
                        None => problems.push(problem(format!("messages.{key}"), "this validation message is missing; the Dutch one would be shown".into())),
                        Some(text) => {
                            for number in numbers.iter().filter(|n| !text.contains(**n)) {
                                problems.push(problem(format!("messages.{key}"), format!("the message must show the number {number}")));
                            }
                        }
                    }
                }
                for (key, _) in &self.messages {
                    if !MESSAGES.iter().any(|(code, _)| code.as_str() == key) {
                        problems.push(problem(format!("messages.{key}"), format!("there is no validation message `{key}`")));
                    }
                }
            }
            let keys = questionnaire.text_keys();
            for (key, _) in &self.texts {
                if !keys.contains(key) {
                    problems.push(problem(
                        format!("questionnaire.{key}"),
                        format!(
                            "questionnaire `{}` version {} has no text `{key}` (a question id, option or prompt value that does not exist?)",
                            questionnaire.id, questionnaire.version
                        ),
                    ));
                }
            }
            problems
        }

        /// The keys of `questionnaire`'s texts this translation does not have (they show
        /// in Dutch).
        pub fn missing_texts(&self, questionnaire: &Questionnaire) -> Vec<String> {
            questionnaire.text_keys().into_iter().filter(|key| self.text(key).is_none()).collect()
        }
    }
}

#[cfg(feature = "serde")]
mod shipped {
    use alloc::vec::Vec;
    use std::sync::OnceLock;

    use super::Translation;
    use crate::text::Lang;

    // `SHIPPED`: (code, JSON) of every `translations/*.json`, listed by build.rs, so a new
    // file is a new language without a code change.
    include!(concat!(env!("OUT_DIR"), "/translations.rs"));

    /// Every translation in `translations/` (Dutch first), read once. A file that does
    /// not read is left out here; the test `shipped_translations_are_complete` fails on it.
    pub fn shipped_translations() -> &'static [Translation] {
        static ALL: OnceLock<Vec<Translation>> = OnceLock::new();
        ALL.get_or_init(|| SHIPPED.iter().filter_map(|(code, json)| Translation::from_json(json).ok().filter(|t| t.lang.code() == *code)).collect())
    }

    /// The shipped translation into `lang`, if there is one.
    pub fn shipped(lang: Lang) -> Option<&'static Translation> {
        shipped_translations().iter().find(|t| t.lang == lang)
    }

    /// The raw files: (language code, JSON text), as build.rs found them.
    pub fn shipped_files() -> &'static [(&'static str, &'static str)] {
        SHIPPED
    }
}

#[cfg(feature = "serde")]
impl crate::error::ValidationError {
    /// The message in `lang` from the shipped translation files (`translations/`), in
    /// Dutch when there is none for `lang`.
    pub fn message(&self, lang: Lang) -> String {
        shipped(lang).and_then(|t| t.message(self.code)).unwrap_or_else(|| self.message_nl.clone())
    }
}

#[cfg(feature = "serde")]
pub use shipped::{shipped, shipped_files, shipped_translations};
