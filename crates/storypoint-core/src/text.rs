//! Languages and localized user-facing texts (Dutch first, English second).
use alloc::string::String;

/// A language the product speaks. Dutch is the default and the fallback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Lang {
    /// Dutch (`nl`): every text must have it.
    #[default]
    Nl,
    /// English (`en`): falls back to Dutch where missing.
    En,
}

impl Lang {
    /// Every language, in order of preference.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The ISO 639-1 code, as used in JSON and in the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Parses a language code such as `nl`, `en` or `en-GB` (region ignored, case-insensitive).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }
}

/// A user-facing text in Dutch and, optionally, English: `{"nl": "…", "en": "…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Text {
    /// The Dutch text. Empty only in a broken file, which [`crate::Questionnaire::check`] reports.
    #[cfg_attr(feature = "serde", serde(default))]
    pub nl: String,
    /// The English text; when absent or empty the Dutch is shown.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub en: Option<String>,
}

impl Text {
    /// A text in both languages.
    pub fn new(nl: &str, en: &str) -> Text {
        Text {
            nl: nl.into(),
            en: Some(en.into()),
        }
    }

    /// The text in `lang`, falling back to Dutch.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, self.en.as_deref()) {
            (Lang::En, Some(en)) if !en.is_empty() => en,
            _ => &self.nl,
        }
    }

    /// The text in `lang` if it is written in that language (no fallback).
    pub fn exact(&self, lang: Lang) -> Option<&str> {
        let text = match lang {
            Lang::Nl => Some(self.nl.as_str()),
            Lang::En => self.en.as_deref(),
        };
        text.filter(|t| !t.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_falls_back_to_dutch() {
        let only_dutch = Text {
            nl: "Jouw verhaal".into(),
            en: None,
        };
        assert_eq!(only_dutch.get(Lang::En), "Jouw verhaal");
        let empty_english = Text {
            nl: "Jouw verhaal".into(),
            en: Some(String::new()),
        };
        assert_eq!(empty_english.get(Lang::En), "Jouw verhaal");
        assert_eq!(Text::new("Ja", "Yes").get(Lang::En), "Yes");
        assert_eq!(Text::new("Ja", "Yes").get(Lang::Nl), "Ja");
    }

    #[test]
    fn language_codes_parse_leniently() {
        assert_eq!(Lang::parse("nl"), Some(Lang::Nl));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::parse("nl_BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }
}
