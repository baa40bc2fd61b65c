//! Languages and localized user-facing texts: Dutch always, other languages where written.
//!
//! The set of languages is open: a [`Lang`] is any primary language subtag (`nl`, `en`,
//! `fy`, `ar`, `tr`, `pl`, …), so adding a language is adding a translation file
//! (`translations/{code}.json`, see [`crate::Translation`]), not code.
use alloc::string::String;
use alloc::vec::Vec;

/// A language: a BCP-47 primary language subtag of 2 or 3 lowercase ASCII letters. Dutch
/// is the default and the fallback of every text.
///
/// Stored inline (three bytes, padded with zeros), so it is `Copy` like the closed enum it
/// replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang([u8; 3]);

impl Default for Lang {
    fn default() -> Lang {
        Lang::NL
    }
}

impl Lang {
    /// Dutch (`nl`): every text must have it.
    pub const NL: Lang = Lang(*b"nl\0");
    /// English (`en`).
    pub const EN: Lang = Lang(*b"en\0");

    /// The language code, as used in JSON, in file names and in the `lang` attribute.
    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored (see `from_tag`), so this cannot fail. No
        // indexing: its panic message would pull `core::fmt` into the widget.
        let [_, _, third] = self.0;
        let code = self.0.get(..if third == 0 { 2 } else { 3 }).unwrap_or(&[]);
        core::str::from_utf8(code).unwrap_or("nl")
    }

    /// A language from its exact code: 2 or 3 lowercase ASCII letters (`nl`, `fy`, `ar`),
    /// nothing else. For codes in files, where `en-GB` or `EN` is a mistake to report.
    pub fn from_tag(code: &str) -> Option<Lang> {
        Lang::parse(code).filter(|lang| lang.code() == code)
    }

    /// Parses what a page or a browser says, such as `nl`, `EN-gb` or `ar_SA`: the primary
    /// subtag (2 or 3 ASCII letters), case-insensitive, region and script ignored.
    pub fn parse(code: &str) -> Option<Lang> {
        // Byte by byte, without string patterns or indexing: this runs in the widget,
        // where each of those costs bytes.
        let mut tag = [0u8; 3];
        let mut slots = tag.iter_mut();
        let mut len = 0;
        for byte in code.bytes() {
            if byte == b'-' || byte == b'_' {
                break;
            }
            match slots.next() {
                Some(slot) if byte.is_ascii_alphabetic() => *slot = byte.to_ascii_lowercase(),
                _ => return None,
            }
            len += 1;
        }
        (len >= 2).then_some(Lang(tag))
    }
}

/// Which way a language is written; the widget sets it as `dir` on its root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Direction {
    /// Left to right (`ltr`).
    #[default]
    Ltr,
    /// Right to left (`rtl`): Arabic, Hebrew, Persian, …
    Rtl,
}

impl Direction {
    /// The value of the HTML `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// A user-facing text in Dutch and, optionally, other languages:
/// `{"nl": "…", "en": "…", "fy": "…"}`. Texts from a translation file are added with
/// [`Text::set`] (see [`crate::Questionnaire::translate`]).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text {
    /// The Dutch text. Empty only in a broken file, which [`crate::Questionnaire::check`] reports.
    pub nl: String,
    /// The text in other languages, in the order they were added. An empty one counts as
    /// missing: the Dutch is shown.
    pub other: Vec<(Lang, String)>,
}

impl Text {
    /// A text in Dutch only.
    pub fn dutch(nl: &str) -> Text {
        Text { nl: nl.into(), other: Vec::new() }
    }

    /// A text in Dutch and English.
    pub fn new(nl: &str, en: &str) -> Text {
        Text { nl: nl.into(), other: alloc::vec![(Lang::EN, en.into())] }
    }

    /// The text in `lang`, falling back to Dutch where it is missing or empty.
    pub fn get(&self, lang: Lang) -> &str {
        // `set` keeps Dutch in `nl`, so `other` is only looked at for other languages.
        self.other.iter().find(|(l, t)| *l == lang && !t.is_empty()).map_or(&self.nl, |(_, t)| t)
    }

    /// The text in `lang` if it is written in that language (no fallback).
    pub fn exact(&self, lang: Lang) -> Option<&str> {
        let text = if lang == Lang::NL { Some(self.nl.as_str()) } else { self.other.iter().find(|(l, _)| *l == lang).map(|(_, t)| t.as_str()) };
        text.filter(|t| !t.trim().is_empty())
    }

    /// Writes the text in `lang` (Dutch replaces [`Text::nl`]), replacing an earlier one.
    pub fn set(&mut self, lang: Lang, text: String) {
        if lang == Lang::NL {
            self.nl = text;
        } else if let Some(slot) = self.other.iter_mut().find(|(l, _)| *l == lang) {
            slot.1 = text;
        } else {
            self.other.push((lang, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_languages_fall_back_to_dutch() {
        let only_dutch = Text::dutch("Jouw verhaal");
        assert_eq!(only_dutch.get(Lang::EN), "Jouw verhaal");
        let mut empty_english = Text::dutch("Jouw verhaal");
        empty_english.set(Lang::EN, String::new());
        assert_eq!(empty_english.get(Lang::EN), "Jouw verhaal");
        assert_eq!(Text::new("Ja", "Yes").get(Lang::EN), "Yes");
        assert_eq!(Text::new("Ja", "Yes").get(Lang::NL), "Ja");
        let mut arabic = Text::new("Ja", "Yes");
        arabic.set(Lang::parse("ar").unwrap(), "نعم".into());
        assert_eq!(arabic.get(Lang::parse("ar").unwrap()), "نعم");
        assert_eq!(arabic.get(Lang::parse("tr").unwrap()), "Ja");
        arabic.set(Lang::EN, "Yes!".into());
        assert_eq!((arabic.get(Lang::EN), arabic.other.len()), ("Yes!", 2));
    }

    #[test]
    fn language_codes_parse_leniently_from_pages() {
        assert_eq!(Lang::parse("nl"), Some(Lang::NL));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::EN));
        assert_eq!(Lang::parse("nl_BE"), Some(Lang::NL));
        assert_eq!(Lang::parse("ar-SA").map(|l| l.code().to_string()), Some("ar".into()));
        assert_eq!(Lang::parse("fy").map(|l| l.code().to_string()), Some("fy".into()));
        assert_eq!(Lang::parse("fil").map(|l| l.code().to_string()), Some("fil".into()));
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::parse("x"), None);
        assert_eq!(Lang::parse("dutch"), None);
        assert_eq!(Lang::parse("n1"), None);
        assert_eq!(Lang::parse("ñl"), None);
    }

    #[test]
    fn codes_in_files_must_be_exact() {
        assert_eq!(Lang::from_tag("nl"), Some(Lang::NL));
        assert_eq!(Lang::from_tag("NL"), None);
        assert_eq!(Lang::from_tag("en-GB"), None);
        assert_eq!(Lang::from_tag("abcd"), None);
        assert_eq!(Lang::default(), Lang::NL);
    }
}
