//! JSON in and out (feature `serde`): the questionnaire file, the wire format, stories,
//! errors and link tables. The widget builds without this module.
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::answer::{Answer, Answers, Value};
use crate::check::Problem;
use crate::error::ValidationError;
use crate::link::{LinkCode, LinkEntry, LinkTable};
use crate::questionnaire::{ChoiceOption, Condition, ConditionTest, Prompt, Question, QuestionKind, Questionnaire};
use crate::story::Story;
use crate::submission::{AudioContainer, AudioRef, Submission, SubmissionId, is_sha256_hex};
use crate::text::{Direction, Lang, Text};
use crate::translation::Translation;

/// A JSON document that could not be read: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}line {line}, column {column}: {message}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
pub struct ParseError {
    /// JSON path of the value that failed, e.g. `steps[1].questions[0]`.
    pub path: String,
    /// Line of the error in the document, from 1.
    pub line: usize,
    /// Column of the error in the line, from 1.
    pub column: usize,
    /// What is wrong, in plain English.
    pub message: String,
}

/// Reads JSON into `T`, naming the JSON path of the first problem.
fn from_json<'de, T: Deserialize<'de>>(json: &'de str) -> Result<T, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        parse_error(path, error.into_inner())
    })?;
    deserializer.end().map_err(|inner| parse_error(String::new(), inner))?;
    Ok(value)
}

fn parse_error(path: String, inner: serde_json::Error) -> ParseError {
    // serde_path_to_error says "." for the document itself and "?" where a syntax error
    // falls between fields; neither is a path a person can follow.
    let path = if path == "." || path == "?" { String::new() } else { path };
    ParseError {
        path,
        line: inner.line(),
        // serde_json gives column 0 for an empty document.
        column: inner.column().max(1),
        message: strip_position(&inner.to_string()),
    }
}

/// serde_json appends " at line L column C"; we report those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].into(),
        None => message.into(),
    }
}

impl Questionnaire {
    /// Reads a questionnaire from JSON. Unknown fields are errors, so a typo is caught;
    /// the error names the JSON path. Run [`Questionnaire::check`] on the result.
    pub fn from_json(json: &str) -> Result<Questionnaire, ParseError> {
        from_json(json)
    }

    /// The questionnaire as pretty JSON (the same shape it was read from).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl Submission {
    /// Reads a submission in the wire format; the error names the field.
    pub fn from_json(json: &str) -> Result<Submission, ParseError> {
        from_json(json)
    }
}

impl LinkTable {
    /// Reads a static link table: an array of `{"code", "organisation", "prefill"}`.
    pub fn from_json(json: &str) -> Result<LinkTable, ParseError> {
        from_json(json)
    }
}

// ---- questions -------------------------------------------------------------------------

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KindTag {
    PromptChoice,
    LongText,
    ShortText,
    SingleChoice,
    MultipleChoice,
    Slider,
    Number,
}

/// Reads and writes `$typed` through its JSON shape `$raw` (what serde's `try_from` and
/// `into` would do, written here so the questionnaire types need not name this module).
macro_rules! through_raw {
    ($typed:ty, $raw:ty) => {
        impl<'de> Deserialize<'de> for $typed {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$typed, D::Error> {
                <$typed>::try_from(<$raw>::deserialize(deserializer)?).map_err(serde::de::Error::custom)
            }
        }

        impl Serialize for $typed {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$raw>::from(self.clone()).serialize(serializer)
            }
        }
    };
}

through_raw!(Question, RawQuestion);
through_raw!(Condition, RawCondition);

/// The JSON shape of a question: common fields and every kind's fields, all optional;
/// the conversion to [`Question`] demands exactly the fields its kind has.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    kind: KindTag,
    label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    help: Option<Text>,
    #[serde(default, skip_serializing_if = "is_false")]
    required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    prefillable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    visible_if: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prompts: Option<Vec<Prompt>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    options: Option<Vec<ChoiceOption>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_choices: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    low: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    high: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_applicable: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<i64>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl TryFrom<RawQuestion> for Question {
    type Error = String;

    fn try_from(raw: RawQuestion) -> Result<Question, String> {
        let RawQuestion {
            id,
            kind,
            label,
            help,
            required,
            prefillable,
            visible_if,
            prompts,
            options,
            max_choices,
            max_length,
            low,
            high,
            not_applicable,
            min,
            max,
        } = raw;
        // Which kind-specific fields were given, to reject those the kind does not use.
        let given = [
            ("prompts", prompts.is_some()),
            ("options", options.is_some()),
            ("max_choices", max_choices.is_some()),
            ("max_length", max_length.is_some()),
            ("low", low.is_some()),
            ("high", high.is_some()),
            ("not_applicable", not_applicable.is_some()),
            ("min", min.is_some()),
            ("max", max.is_some()),
        ];
        let missing = |field: &str| format!("question `{id}`: a {} question needs `{field}`", kind_name(kind));
        let kind_value = match kind {
            KindTag::PromptChoice => QuestionKind::PromptChoice { prompts: prompts.ok_or_else(|| missing("prompts"))? },
            KindTag::LongText => QuestionKind::LongText { max_length: max_length.ok_or_else(|| missing("max_length"))? },
            KindTag::ShortText => QuestionKind::ShortText { max_length: max_length.ok_or_else(|| missing("max_length"))? },
            KindTag::SingleChoice => QuestionKind::SingleChoice { options: options.ok_or_else(|| missing("options"))? },
            KindTag::MultipleChoice => QuestionKind::MultipleChoice { options: options.ok_or_else(|| missing("options"))?, max_choices },
            KindTag::Slider => QuestionKind::Slider { low: low.ok_or_else(|| missing("low"))?, high: high.ok_or_else(|| missing("high"))?, not_applicable },
            KindTag::Number => QuestionKind::Number { min: min.ok_or_else(|| missing("min"))?, max: max.ok_or_else(|| missing("max"))? },
        };
        let allowed = kind_fields(kind);
        if let Some((field, _)) = given.iter().find(|(field, present)| *present && !allowed.contains(field)) {
            let allowed = if allowed.is_empty() { "none".into() } else { allowed.join(", ") };
            return Err(format!("question `{id}`: `{field}` does not belong to a {} question (its own fields: {allowed})", kind_name(kind)));
        }
        Ok(Question { id, label, help, required, prefillable, visible_if, kind: kind_value })
    }
}

fn kind_name(kind: KindTag) -> &'static str {
    match kind {
        KindTag::PromptChoice => "prompt_choice",
        KindTag::LongText => "long_text",
        KindTag::ShortText => "short_text",
        KindTag::SingleChoice => "single_choice",
        KindTag::MultipleChoice => "multiple_choice",
        KindTag::Slider => "slider",
        KindTag::Number => "number",
    }
}

fn kind_fields(kind: KindTag) -> &'static [&'static str] {
    match kind {
        KindTag::PromptChoice => &["prompts"],
        KindTag::LongText | KindTag::ShortText => &["max_length"],
        KindTag::SingleChoice => &["options"],
        KindTag::MultipleChoice => &["options", "max_choices"],
        KindTag::Slider => &["low", "high", "not_applicable"],
        KindTag::Number => &["min", "max"],
    }
}

impl From<Question> for RawQuestion {
    fn from(question: Question) -> RawQuestion {
        let mut raw = RawQuestion {
            id: question.id,
            kind: KindTag::LongText,
            label: question.label,
            help: question.help,
            required: question.required,
            prefillable: question.prefillable,
            visible_if: question.visible_if,
            prompts: None,
            options: None,
            max_choices: None,
            max_length: None,
            low: None,
            high: None,
            not_applicable: None,
            min: None,
            max: None,
        };
        match question.kind {
            QuestionKind::PromptChoice { prompts } => {
                raw.kind = KindTag::PromptChoice;
                raw.prompts = Some(prompts);
            }
            QuestionKind::LongText { max_length } => {
                raw.kind = KindTag::LongText;
                raw.max_length = Some(max_length);
            }
            QuestionKind::ShortText { max_length } => {
                raw.kind = KindTag::ShortText;
                raw.max_length = Some(max_length);
            }
            QuestionKind::SingleChoice { options } => {
                raw.kind = KindTag::SingleChoice;
                raw.options = Some(options);
            }
            QuestionKind::MultipleChoice { options, max_choices } => {
                raw.kind = KindTag::MultipleChoice;
                raw.options = Some(options);
                raw.max_choices = max_choices;
            }
            QuestionKind::Slider { low, high, not_applicable } => {
                raw.kind = KindTag::Slider;
                raw.low = Some(low);
                raw.high = Some(high);
                raw.not_applicable = not_applicable;
            }
            QuestionKind::Number { min, max } => {
                raw.kind = KindTag::Number;
                raw.min = Some(min);
                raw.max = Some(max);
            }
        }
        raw
    }
}

// ---- conditions ------------------------------------------------------------------------

/// The JSON shape of a condition: `question` and exactly one test.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    question: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    equals: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    one_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_unknown: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_answered: Option<bool>,
}

impl TryFrom<RawCondition> for Condition {
    type Error = String;

    fn try_from(raw: RawCondition) -> Result<Condition, String> {
        let mut tests = Vec::new();
        if let Some(value) = raw.equals {
            tests.push(ConditionTest::Equals(value));
        }
        if let Some(values) = raw.one_of {
            tests.push(ConditionTest::OneOf(values));
        }
        for (flag, test) in [(raw.is_unknown, ConditionTest::IsUnknown), (raw.not_answered, ConditionTest::NotAnswered)] {
            match flag {
                Some(true) => tests.push(test),
                Some(false) => return Err("`is_unknown` and `not_answered` can only be `true`; leave the field out instead".into()),
                None => {}
            }
        }
        if tests.len() != 1 {
            return Err(format!("a condition on `{}` needs exactly one of `equals`, `one_of`, `is_unknown`, `not_answered`", raw.question));
        }
        Ok(Condition { question: raw.question, test: tests.remove(0) })
    }
}

impl From<Condition> for RawCondition {
    fn from(condition: Condition) -> RawCondition {
        let mut raw = RawCondition { question: condition.question, equals: None, one_of: None, is_unknown: None, not_answered: None };
        match condition.test {
            ConditionTest::Equals(value) => raw.equals = Some(value),
            ConditionTest::OneOf(values) => raw.one_of = Some(values),
            ConditionTest::IsUnknown => raw.is_unknown = Some(true),
            ConditionTest::NotAnswered => raw.not_answered = Some(true),
        }
        raw
    }
}

// ---- values and answers ----------------------------------------------------------------

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null | Value::Other => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Integer(n) => serializer.serialize_i64(*n),
            Value::Text(s) => serializer.serialize_str(s),
            Value::List(items) => serializer.collect_seq(items),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Integer(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(i64::try_from(n).map(Value::Integer).unwrap_or(Value::Other))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        // 80.0 is the whole number 80; 80.5 fits no question.
        let whole = n.is_finite() && n == (n as i64) as f64;
        Ok(if whole { Value::Integer(n as i64) } else { Value::Other })
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Text(s.into()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Text(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(Value::Other)
    }
}

impl Serialize for Answers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Answers, D::Error> {
        struct AnswersVisitor;
        impl<'de> Visitor<'de> for AnswersVisitor {
            type Value = Answers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of answers by question id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answers, A::Error> {
                let mut answers = Answers::new();
                while let Some((id, value)) = map.next_entry::<String, Value>()? {
                    answers.set(&id, value);
                }
                Ok(answers)
            }
        }
        deserializer.deserialize_map(AnswersVisitor)
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl Serialize for Story {
    /// `{"questionnaire", "version", "answers": {id: value}, "prefilled": [id]}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct AnswerMap<'a>(&'a Story);
        impl Serialize for AnswerMap<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.answers.len()))?;
                for answer in &self.0.answers {
                    map.serialize_entry(&answer.question, &answer.answer)?;
                }
                map.end()
            }
        }
        let prefilled: Vec<&str> = self.answers.iter().filter(|a| a.prefilled).map(|a| a.question.as_str()).collect();
        let mut s = serializer.serialize_struct("Story", 4)?;
        s.serialize_field("questionnaire", &self.questionnaire)?;
        s.serialize_field("version", &self.version)?;
        s.serialize_field("answers", &AnswerMap(self))?;
        s.serialize_field("prefilled", &prefilled)?;
        s.end()
    }
}

impl Serialize for ValidationError {
    /// `{"question", "code", "message_nl", "message_en"}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ValidationError", 4)?;
        s.serialize_field("question", &self.question)?;
        s.serialize_field("code", self.code.as_str())?;
        s.serialize_field("message_nl", &self.message_nl)?;
        s.serialize_field("message_en", &self.message(Lang::EN))?;
        s.end()
    }
}

impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Problem", 2)?;
        s.serialize_field("path", &self.path)?;
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}

// ---- submissions -----------------------------------------------------------------------

/// The JSON shape of a submission.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubmission {
    questionnaire: String,
    version: u32,
    submission_id: SubmissionId,
    #[serde(default)]
    link: Option<String>,
    #[serde(default, deserialize_with = "shown_language")]
    lang: Lang,
    answers: Answers,
    #[serde(default)]
    audio: Option<RawAudio>,
}

/// A story's language: one the widget can show, Dutch or one with a translation file.
fn shown_language<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Lang, D::Error> {
    let lang = Lang::deserialize(deserializer)?;
    if lang != Lang::NL && crate::translation::shipped(lang).is_none() {
        let known: Vec<&str> = crate::translation::shipped_translations().iter().map(|t| t.lang.code()).collect();
        return Err(de::Error::custom(format!("`{}` is not a language of this Vertelpunt ({})", lang.code(), known.join(", "))));
    }
    Ok(lang)
}

/// The JSON shape of [`AudioRef`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAudio {
    length: u64,
    sha256: String,
    mime: String,
}

impl Serialize for Submission {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Submission", 7)?;
        s.serialize_field("questionnaire", &self.questionnaire)?;
        s.serialize_field("version", &self.version)?;
        s.serialize_field("submission_id", &self.submission_id)?;
        s.serialize_field("link", &self.link)?;
        s.serialize_field("lang", &self.lang)?;
        s.serialize_field("answers", &self.answers)?;
        if let Some(audio) = &self.audio {
            let raw = RawAudio { length: audio.length, sha256: audio.sha256.clone(), mime: audio.container.mime().into() };
            s.serialize_field("audio", &raw)?;
        }
        s.end()
    }
}

impl<'de> Deserialize<'de> for Submission {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Submission, D::Error> {
        let raw = RawSubmission::deserialize(deserializer)?;
        let audio = match raw.audio {
            None => None,
            Some(audio) => {
                if !is_sha256_hex(&audio.sha256) {
                    return Err(serde::de::Error::custom("audio.sha256 must be 64 lowercase hex digits"));
                }
                let container =
                    AudioContainer::from_mime(&audio.mime).ok_or_else(|| serde::de::Error::custom("audio.mime must be audio/webm, audio/ogg or audio/mp4"))?;
                Some(AudioRef { length: audio.length, sha256: audio.sha256, container })
            }
        };
        Ok(Submission {
            audio,
            questionnaire: raw.questionnaire,
            version: raw.version,
            submission_id: raw.submission_id,
            link: raw.link,
            lang: raw.lang,
            answers: raw.answers,
        })
    }
}

impl Serialize for SubmissionId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hyphenated())
    }
}

impl<'de> Deserialize<'de> for SubmissionId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SubmissionId, D::Error> {
        let text = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        SubmissionId::parse(&text).map_err(de::Error::custom)
    }
}

// ---- links -----------------------------------------------------------------------------

impl Serialize for LinkCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for LinkCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LinkCode, D::Error> {
        let text = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        LinkCode::parse(&text).map_err(de::Error::custom)
    }
}

/// The JSON shape of a link: `{"code", "organisation", "prefill": {id: value}}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLinkEntry {
    code: LinkCode,
    organisation: String,
    #[serde(default)]
    prefill: serde_json::Map<String, serde_json::Value>,
}

impl Serialize for LinkEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let prefill = self.prefill.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
        RawLinkEntry { code: self.code, organisation: self.organisation.clone(), prefill }.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for LinkEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LinkEntry, D::Error> {
        let raw = RawLinkEntry::deserialize(deserializer)?;
        let mut prefill = Vec::new();
        for (id, value) in raw.prefill {
            let value = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                other => return Err(de::Error::custom(format!("prefill `{id}`: expected a string, found {other}"))),
            };
            prefill.push((id, value));
        }
        Ok(LinkEntry { code: raw.code, organisation: raw.organisation, prefill })
    }
}

impl Serialize for LinkTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.entries.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for LinkTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<LinkTable, D::Error> {
        Ok(LinkTable { entries: Vec::deserialize(deserializer)? })
    }
}

// ---- languages and translations ---------------------------------------------------------

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Lang, D::Error> {
        let code = String::deserialize(deserializer)?;
        Lang::from_tag(&code).ok_or_else(|| de::Error::custom(format!("`{code}` is not a language code: 2 or 3 lowercase letters, such as `nl`, `en` or `fy`")))
    }
}

impl Serialize for Text {
    /// `{"nl": "…", "en": "…", …}`: Dutch first.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + self.other.len()))?;
        map.serialize_entry("nl", &self.nl)?;
        for (lang, text) in &self.other {
            map.serialize_entry(lang.code(), text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text per language, such as {\"nl\": \"…\", \"en\": \"…\"}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut text = Text::default();
                while let Some(key) = map.next_key::<String>()? {
                    let lang = Lang::from_tag(&key)
                        .ok_or_else(|| de::Error::custom(format!("`{key}` is not a language code: 2 or 3 lowercase letters, such as `nl` or `en`")))?;
                    text.set(lang, map.next_value()?);
                }
                Ok(text)
            }
        }
        deserializer.deserialize_map(TextVisitor)
    }
}

/// The JSON shape of a translation file, `translations/{code}.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTranslation {
    lang: Lang,
    name: String,
    name_nl: String,
    #[serde(default)]
    dir: RawDirection,
    /// For translators and reviewers; not used.
    #[serde(default, rename = "note")]
    _note: Option<String>,
    #[serde(default)]
    widget: alloc::collections::BTreeMap<String, String>,
    #[serde(default)]
    voice: alloc::collections::BTreeMap<String, String>,
    #[serde(default)]
    messages: alloc::collections::BTreeMap<String, String>,
    #[serde(default)]
    questionnaire: alloc::collections::BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "lowercase")]
enum RawDirection {
    #[default]
    Ltr,
    Rtl,
}

impl Translation {
    /// The file the widget reads, `lang/{code}.json` (`cargo xtask dist` writes it): every
    /// widget and recorder word (Dutch where this translation has none), the messages, and the
    /// questionnaire already translated (texts `{"nl": …, "ar": …}`), so the widget
    /// needs neither the keys nor the overlay (which would cost it about 700 bytes).
    pub fn for_widget(&self, questionnaire: &Questionnaire, dutch: &Translation) -> String {
        let mut translated = questionnaire.clone();
        translated.translate(self);
        let words: serde_json::Map<String, serde_json::Value> =
            dutch.words.iter().map(|(key, word)| (key.clone(), self.word(key).unwrap_or(word).into())).collect();
        let voice: serde_json::Map<String, serde_json::Value> =
            dutch.voice.iter().map(|(key, word)| (key.clone(), crate::translation::lookup(&self.voice, key).unwrap_or(word).into())).collect();
        let messages: serde_json::Map<String, serde_json::Value> = self.messages.iter().map(|(code, text)| (code.clone(), text.as_str().into())).collect();
        serde_json::json!({
            "lang": self.lang,
            "dir": self.dir.as_str(),
            "widget": words,
            "voice": voice,
            "messages": messages,
            "questionnaire": translated,
        })
        .to_string()
    }

    /// Reads a translation file; the error names the field.
    pub fn from_json(json: &str) -> Result<Translation, ParseError> {
        let raw: RawTranslation = from_json(json)?;
        Ok(Translation {
            lang: raw.lang,
            name: raw.name,
            name_nl: raw.name_nl,
            dir: match raw.dir {
                RawDirection::Ltr => Direction::Ltr,
                RawDirection::Rtl => Direction::Rtl,
            },
            words: raw.widget.into_iter().collect(),
            voice: raw.voice.into_iter().collect(),
            messages: raw.messages.into_iter().collect(),
            texts: raw.questionnaire.into_iter().collect(),
        })
    }
}
