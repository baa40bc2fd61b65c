//! Reading the coordinator's organisation table (CSV from a spreadsheet).
//!
//! A coalition's contact fills in a table of organisations in Excel, LibreOffice or Google
//! Sheets and saves it as CSV: one row per link, with the organisation's name, its type,
//! the age group it serves and, optionally, a perspective and a contact person.
//! [`parse_org_table`] reads such a file the way a spreadsheet user wrote it:
//!
//! * comma, semicolon (what Dutch Excel writes) or tab separated, detected from the header;
//! * UTF-8 with or without a byte order mark; CRLF or LF line ends; quoted fields with
//!   separators, quotes (`""`) and line breaks inside;
//! * headers in Dutch or English, in any case; unknown extra columns are ignored;
//! * values in plain Dutch (`basisschool`, `0-12`, `beide`, `ouder`), the questionnaire's own
//!   option values and option labels;
//! * empty rows are skipped; an empty type, age or perspective cell means "not prefilled, the
//!   teller is asked".
//!
//! Every mapped value is then checked by the core itself ([`LinkEntry::prefill`],
//! which calls [`crate::Prefill::from_pairs`]), so the table can never hold a value
//! the widget or the collector would drop. The caller imports all or nothing: a single bad
//! row makes the whole table an error, and *every* bad row is reported, each with its line
//! number as the spreadsheet shows it (the header is line 1).
//!
//! ```
//! use storypoint_core::org_table::parse_org_table;
//!
//! let questionnaire = storypoint_core::default_questionnaire();
//! let table = "organisatie;type;leeftijd;contact\n\
//!              Basisschool De Esch;basisschool;0-12;juf Anna\n";
//! let rows = parse_org_table(table.as_bytes(), &questionnaire).unwrap();
//! assert_eq!(rows[0].organisation, "Basisschool De Esch");
//! assert_eq!(rows[0].prefill, vec![
//!     ("organisation_type".to_string(), "school".to_string()),
//!     ("age_group".to_string(), "under_12".to_string()),
//! ]);
//! ```
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::contract::ORGANISATION;
use crate::{LinkCode, LinkEntry, PrefillWarning, Question, QuestionKind, Questionnaire};

/// One organisation of the table, ready to get a link code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The row's line number as the spreadsheet shows it (the header is line 1).
    pub line: usize,
    /// The organisation's name, trimmed, with runs of white space (a line break in a cell)
    /// made one space. Never empty. It is not in [`ImportRow::prefill`]:
    /// [`LinkEntry::prefill`] adds it as the answer to the `organisation` question.
    pub organisation: String,
    /// The contact person (or e-mail address) as written, trimmed; `None` when empty.
    pub contact: Option<String>,
    /// What the link fills in, as question ids and contract option values, in this order
    /// and only when the cell is not empty: `organisation_type`, `age_group`, `perspective`.
    pub prefill: Vec<(String, String)>,
}

/// Why (part of) the table cannot be imported: a line number as the spreadsheet shows it
/// and a plain message saying what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ImportError {
    /// The line (spreadsheet row) the problem is on; the header is line 1.
    pub line: usize,
    /// What is wrong and what would be right, in plain words.
    pub message: String,
}

impl ImportError {
    fn new(line: usize, message: impl Into<String>) -> ImportError {
        ImportError { line, message: message.into() }
    }
}

/// Reads the coordinator's organisation table (the bytes of a CSV file) for `questionnaire`.
///
/// Returns one [`ImportRow`] per non-empty row, in the table's order, or — when anything
/// is wrong — every problem found, in line order (then nothing should be imported). See
/// the [module documentation](self) for the accepted columns and values.
pub fn parse_org_table(bytes: &[u8], questionnaire: &Questionnaire) -> Result<Vec<ImportRow>, Vec<ImportError>> {
    let text = decode(bytes).map_err(|e| vec![e])?;
    let delimiter = detect_delimiter(text);
    let rows = split_rows(text, delimiter).map_err(|e| vec![e])?;
    let mut rows = rows.into_iter().filter(|row| !row.is_blank());

    let Some(header) = rows.next() else {
        return Err(vec![ImportError::new(
            1,
            "the file is empty; the first line must name the columns, \
             for example: organisatie;type;leeftijd;contact",
        )]);
    };
    let columns = Columns::from_header(&header)?;

    let mut imported = Vec::new();
    let mut errors = Vec::new();
    for row in rows {
        match read_row(&row, &columns, questionnaire) {
            Ok(read) => imported.push(read),
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    if imported.is_empty() && errors.is_empty() {
        errors.push(ImportError::new(header.line + 1, "there are no organisations under the header line; add one row per organisation"));
    }
    if errors.is_empty() { Ok(imported) } else { Err(errors) }
}

// ---------------------------------------------------------------------------------------
// Bytes to text

/// What to tell a coordinator whose spreadsheet did not save UTF-8.
const SAVE_AS_UTF8: &str = "save the table again as \"CSV UTF-8\" (Excel: Save As, file type \
    \"CSV UTF-8 (comma delimited)\"; LibreOffice: character set \"Unicode (UTF-8)\") and import \
    that file";

/// The file as text, without a byte order mark; a plain error when it is not UTF-8.
fn decode(bytes: &[u8]) -> Result<&str, ImportError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportError::new(1, format!("this file is UTF-16 (\"Unicode text\"), not UTF-8; {SAVE_AS_UTF8}")));
    }
    match core::str::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text)),
        Err(error) => {
            let at = error.valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            Err(ImportError::new(
                line,
                format!(
                    "this file is not UTF-8 text (byte 0x{:02X} cannot be read; an old \
                     Excel \"CSV\" is Windows-1252, which garbles é and ë); {SAVE_AS_UTF8}",
                    bytes[at]
                ),
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Text to rows (RFC 4180 as spreadsheets write it, counting lines as a spreadsheet does)

/// One row of the file and the line (spreadsheet row) it starts on.
struct Row {
    line: usize,
    fields: Vec<String>,
}

impl Row {
    fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }

    fn get(&self, column: Option<usize>) -> &str {
        column.and_then(|c| self.fields.get(c)).map(|f| f.trim()).unwrap_or("")
    }
}

/// The separator of the header line (the first line with text): `;`, `,` or a tab,
/// whichever occurs most outside quotes; `;` when there is none (a single column).
fn detect_delimiter(text: &str) -> char {
    let header = text.split(['\n', '\r']).find(|line| !line.trim().is_empty()).unwrap_or("");
    let (mut counts, mut quoted) = ([0usize; 3], false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [';', ',', '\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// Splits CSV text into rows of fields. A line break ends a row only outside quotes, so a
/// row's line is its spreadsheet row even after a cell with a line break. Blank lines are
/// kept (as blank rows), so the numbering matches the spreadsheet's.
fn split_rows(text: &str, delimiter: char) -> Result<Vec<Row>, ImportError> {
    let mut rows = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut row_line = 1;
    let mut quoted = false;
    let mut quote_opened_on = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                // A quoted field; white space before the quote is not part of it.
                field.clear();
                quoted = true;
                quote_opened_on = row_line;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                fields.push(core::mem::take(&mut field));
                rows.push(Row { line: row_line, fields: core::mem::take(&mut fields) });
                row_line += 1;
            }
            c if c == delimiter => fields.push(core::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    if quoted {
        return Err(ImportError::new(
            quote_opened_on,
            "a quote (\") is opened but never closed, so the rest of the file would be one \
             cell; close it, or save the table again from the spreadsheet",
        ));
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        rows.push(Row { line: row_line, fields });
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------------------
// The header

/// What a column holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Organisation,
    Type,
    Age,
    Perspective,
    Contact,
}

impl Field {
    const ALL: [Field; 5] = [Field::Organisation, Field::Type, Field::Age, Field::Perspective, Field::Contact];

    /// The header names (normalized: lowercase, `_` for spaces and dashes) of this column.
    fn headers(self) -> &'static [&'static str] {
        match self {
            Field::Organisation => {
                &["organisatie", "organisation", "organization", "organisatienaam", "naam_organisatie", "organisation_name", "organization_name"]
            }
            Field::Type => &["type", "organisation_type", "organization_type", "soort", "soort_organisatie", "type_organisatie", "organisatietype"],
            Field::Age => &["leeftijd", "age_group", "leeftijdscategorie", "leeftijdsgroep", "leeftijden", "age"],
            Field::Perspective => &["perspectief", "perspective"],
            Field::Contact => &["contact", "contactpersoon", "contact_person"],
        }
    }

    /// How the column is named in messages: its Dutch and English header.
    fn names(self) -> &'static str {
        match self {
            Field::Organisation => "'organisatie' (or 'organisation')",
            Field::Type => "'type' (or 'organisation_type', 'soort')",
            Field::Age => "'leeftijd' (or 'age_group', 'leeftijdscategorie')",
            Field::Perspective => "'perspectief' (or 'perspective')",
            Field::Contact => "'contact' (or 'contactpersoon')",
        }
    }

    /// What a value of this column is called in messages.
    fn what(self) -> &'static str {
        match self {
            Field::Organisation => "organisation",
            Field::Type => "organisation type",
            Field::Age => "age group",
            Field::Perspective => "perspective",
            Field::Contact => "contact",
        }
    }
}

/// Which column (index) holds what.
struct Columns {
    organisation: Option<usize>,
    kind: Option<usize>,
    age: Option<usize>,
    perspective: Option<usize>,
    contact: Option<usize>,
}

impl Columns {
    fn from_header(header: &Row) -> Result<Columns, Vec<ImportError>> {
        let mut columns = Columns { organisation: None, kind: None, age: None, perspective: None, contact: None };
        let mut errors = Vec::new();
        for (index, name) in header.fields.iter().enumerate() {
            let normalized = normalize_header(name);
            let Some(field) = Field::ALL.into_iter().find(|f| f.headers().contains(&normalized.as_str())) else {
                continue; // an extra column of the coordinator's own, such as `opmerkingen`
            };
            let slot = columns.slot(field);
            match *slot {
                Some(first) => errors.push(ImportError::new(
                    header.line,
                    format!("the columns '{}' and '{}' both hold the {}; keep one of them", header.fields[first].trim(), name.trim(), field.what()),
                )),
                None => *slot = Some(index),
            }
        }
        let found = || {
            let names: Vec<String> = header.fields.iter().filter(|f| !f.trim().is_empty()).map(|f| format!("'{}'", f.trim())).collect();
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        };
        if columns.organisation.is_none() {
            errors.push(ImportError::new(header.line, format!("there is no column {}; the columns found are: {}", Field::Organisation.names(), found())));
        }
        for field in [Field::Type, Field::Age] {
            if columns.slot(field).is_none() {
                errors.push(ImportError::new(
                    header.line,
                    format!("there is no column {} (its cells may stay empty); the columns found are: {}", field.names(), found()),
                ));
            }
        }
        if errors.is_empty() { Ok(columns) } else { Err(errors) }
    }

    fn slot(&mut self, field: Field) -> &mut Option<usize> {
        match field {
            Field::Organisation => &mut self.organisation,
            Field::Type => &mut self.kind,
            Field::Age => &mut self.age,
            Field::Perspective => &mut self.perspective,
            Field::Contact => &mut self.contact,
        }
    }
}

/// A header cell as compared: trimmed, lowercase, spaces and dashes as `_`.
fn normalize_header(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().trim_matches('\u{FEFF}').trim().chars() {
        let c = if c.is_whitespace() || c == '-' { '_' } else { c };
        if c == '_' && out.ends_with('_') {
            continue;
        }
        out.extend(c.to_lowercase());
    }
    out
}

// ---------------------------------------------------------------------------------------
// Values

/// A value as compared: trimmed, lowercase, `_` as a space, one space between words,
/// en and em dashes as `-` (spreadsheets like to "correct" them), no spaces around `-`
/// and `/`.
fn normalize_value(value: &str) -> String {
    let spaced: String = value
        .chars()
        .map(|c| match c {
            '_' => ' ',
            '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c => c,
        })
        .collect::<String>()
        .to_lowercase();
    let words = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    words.replace(" - ", "-").replace(" -", "-").replace("- ", "-").replace(" / ", "/").replace(" /", "/").replace("/ ", "/")
}

/// Words a coordinator writes for each option (normalized), per question id.
fn aliases(question: &str) -> &'static [(&'static str, &'static [&'static str])] {
    match question {
        AGE_GROUP => &[
            ("under_12", &["0-12", "<12", "< 12", "onder 12", "under 12", "jonger dan 12", "0 tot 12", "tot 12"]),
            ("12_to_18", &["12-18", "12 to 18", "12 tot 18", "12 tot 18 jaar"]),
            ("unknown", &["beide", "onbekend", "allebei", "both", "unknown", "0-18", "0 tot 18", "alle leeftijden", "all ages"]),
        ],
        ORGANISATION_TYPE => &[
            ("care_provider", &["jeugdhulp", "zorgaanbieder", "zorg", "jeugdzorg", "jeugdhulpaanbieder", "care provider"]),
            ("neighbourhood_team", &["wijkteam", "sociaal wijkteam", "neighbourhood team", "neighborhood team"]),
            ("school", &["school", "basisschool", "middelbare school"]),
            ("gp", &["huisarts", "huisartsenpraktijk", "gp"]),
            ("municipality", &["gemeente", "municipality"]),
            ("youth_protection", &["jeugdbescherming", "gecertificeerde instelling", "youth protection"]),
            ("other", &["anders", "overig", "other"]),
        ],
        PERSPECTIVE => &[
            ("child", &["kind", "kinderen", "child"]),
            ("young_person", &["jongere", "jongeren", "young person"]),
            ("parent", &["ouder", "ouders", "verzorger", "parent"]),
            ("professional", &["professional", "professionals"]),
            ("other", &["anders", "other"]),
        ],
        _ => &[],
    }
}

/// What a coordinator may write, for the error message.
fn allowed(question: &str) -> &'static str {
    match question {
        AGE_GROUP => "0-12, 12-18, beide, onbekend",
        ORGANISATION_TYPE => "jeugdhulp, wijkteam, school, huisarts, gemeente, jeugdbescherming, anders",
        PERSPECTIVE => "kind, jongere, ouder, professional, anders",
        _ => "",
    }
}

/// The contract ids of the table's columns (see [`crate::contract`]), here too for those
/// who read the table.
pub use crate::contract::{AGE_GROUP, ORGANISATION_TYPE, PERSPECTIVE};

/// The contract value a cell means: first the Dutch and English words above, then the
/// questionnaire's own option values and labels (so another region's extra options work).
fn map_value(question_id: &str, raw: &str, questionnaire: &Questionnaire) -> Option<String> {
    let wanted = normalize_value(raw);
    for (value, words) in aliases(question_id) {
        if normalize_value(value) == wanted || words.contains(&wanted.as_str()) {
            return Some((*value).to_string());
        }
    }
    let options = match questionnaire.question(question_id).map(|q| &q.kind) {
        Some(QuestionKind::SingleChoice { options }) | Some(QuestionKind::MultipleChoice { options, .. }) => options,
        _ => return None,
    };
    options
        .iter()
        .find(|option| {
            normalize_value(&option.value) == wanted
                || normalize_value(&option.label.nl) == wanted
                || option.label.other.iter().any(|(_, text)| normalize_value(text) == wanted)
                || shipped_label_is(question_id, &option.value, &wanted)
        })
        .map(|option| option.value.clone())
}

/// Whether a shipped translation (English, say) names this option `wanted`: the
/// questionnaire file holds only Dutch, its other languages are in `translations/`.
#[cfg(feature = "serde")]
fn shipped_label_is(question_id: &str, value: &str, wanted: &str) -> bool {
    let key = ["questions.", question_id, ".options.", value].concat();
    crate::translation::shipped_translations().iter().any(|t| t.text(&key).is_some_and(|label| normalize_value(label) == wanted))
}

#[cfg(not(feature = "serde"))]
fn shipped_label_is(_: &str, _: &str, _: &str) -> bool {
    false
}

/// One data row, or its problems.
fn read_row(row: &Row, columns: &Columns, questionnaire: &Questionnaire) -> Result<ImportRow, Vec<ImportError>> {
    let mut errors = Vec::new();
    let organisation = row.get(columns.organisation).split_whitespace().collect::<Vec<_>>().join(" ");
    if organisation.is_empty() {
        errors.push(ImportError::new(row.line, "the organisation name is empty; fill it in, or empty the whole row to skip it"));
    }
    let contact = Some(row.get(columns.contact)).filter(|c| !c.is_empty()).map(str::to_string);

    // Cell text and contract value, per prefilled question.
    let mut mapped: Vec<(&'static str, Field, &str, String)> = Vec::new();
    for (question, field, column) in
        [(ORGANISATION_TYPE, Field::Type, columns.kind), (AGE_GROUP, Field::Age, columns.age), (PERSPECTIVE, Field::Perspective, columns.perspective)]
    {
        let raw = row.get(column);
        if raw.is_empty() {
            continue;
        }
        match map_value(question, raw, questionnaire) {
            Some(value) => mapped.push((question, field, raw, value)),
            None => errors.push(ImportError::new(row.line, format!("{} '{}' is not one of {}", field.what(), raw, allowed(question)))),
        }
    }

    // The one source of truth: the prefill the server will apply for this row.
    let prefill: Vec<(String, String)> = mapped.iter().map(|(question, _, _, value)| ((*question).to_string(), value.clone())).collect();
    if !organisation.is_empty() || !prefill.is_empty() {
        for warning in check_with_core(&organisation, &prefill, questionnaire) {
            errors.push(ImportError::new(row.line, explain(&warning, &mapped, &organisation, questionnaire)));
        }
    }

    if errors.is_empty() { Ok(ImportRow { line: row.line, organisation, contact, prefill }) } else { Err(errors) }
}

/// The warnings `storypoint-core` gives for this row's link (its pairs plus the name).
fn check_with_core(organisation: &str, prefill: &[(String, String)], questionnaire: &Questionnaire) -> Vec<PrefillWarning> {
    match LinkCode::parse("22222222") {
        Ok(code) => {
            let entry = LinkEntry { code, organisation: organisation.to_string(), prefill: prefill.to_vec() };
            entry.prefill(questionnaire).warnings
        }
        // Unreachable (the code is well formed); check the pairs alone then.
        Err(_) => crate::Prefill::from_pairs(questionnaire, prefill.iter().cloned()).warnings,
    }
}

/// A core warning in the coordinator's words.
fn explain(warning: &PrefillWarning, mapped: &[(&'static str, Field, &str, String)], organisation: &str, questionnaire: &Questionnaire) -> String {
    let column =
        |question: &str| mapped.iter().find(|(q, ..)| *q == question).map(|(_, field, raw, _)| (field.what(), *raw)).unwrap_or((ORGANISATION, organisation));
    let id = &questionnaire.id;
    match warning {
        PrefillWarning::UnknownQuestion { question } => {
            let (what, _) = column(question);
            format!("the questionnaire '{id}' has no question '{question}', so a link cannot fill in the {what}; leave that cell empty")
        }
        PrefillWarning::NotPrefillable { question } => {
            let (what, _) = column(question);
            format!("the questionnaire '{id}' does not let a link fill in '{question}' (the {what}); leave that cell empty")
        }
        PrefillWarning::InvalidValue { question, value, reason } => {
            if question == ORGANISATION {
                if let Some(max) = questionnaire.question(ORGANISATION).and_then(max_length) {
                    if *reason == "too_long" {
                        return format!("the organisation name has {} characters; at most {max} fit, make it shorter", crate::char_count(organisation));
                    }
                }
                return format!("the organisation name '{organisation}' is not an answer the questionnaire '{id}' accepts ({reason})");
            }
            let (what, raw) = column(question);
            format!("{what} '{raw}' means '{value}', which the questionnaire '{id}' does not accept ({reason}); leave the cell empty or pick another value")
        }
        PrefillWarning::Malformed { .. } => warning.to_string(),
    }
}

fn max_length(question: &Question) -> Option<u32> {
    match question.kind {
        QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => Some(max_length),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, delimiter: char) -> Vec<(usize, Vec<String>)> {
        split_rows(text, delimiter).unwrap().into_iter().map(|r| (r.line, r.fields)).collect()
    }

    #[test]
    fn rows_are_numbered_like_a_spreadsheet() {
        let parsed = rows("a;b\r\n\r\n1;\"x\r\ny\"\r\n;;\r\n2;z\n\n3\n", ';');
        let expected: Vec<(usize, Vec<String>)> = vec![
            (1, vec!["a".into(), "b".into()]),
            (2, vec!["".into()]),
            (3, vec!["1".into(), "x\r\ny".into()]),
            (4, vec!["".into(), "".into(), "".into()]),
            (5, vec!["2".into(), "z".into()]),
            (6, vec!["".into()]),
            (7, vec!["3".into()]),
        ];
        assert_eq!(parsed, expected);
    }

    #[test]
    fn quotes_inside_quoted_fields() {
        let parsed = rows("\"Tom \"\"&\"\" Jerry\";\"a;b\",c\n", ';');
        assert_eq!(parsed, vec![(1, vec!["Tom \"&\" Jerry".to_string(), "a;b,c".to_string()])]);
    }

    #[test]
    fn an_unclosed_quote_is_reported_on_its_row() {
        let error = split_rows("a;b\nc;\"oops\nmore\n", ';').err().unwrap();
        assert_eq!(error.line, 2);
    }

    #[test]
    fn the_delimiter_comes_from_the_header() {
        assert_eq!(detect_delimiter("organisatie;type;leeftijd\nA, B;c;d"), ';');
        assert_eq!(detect_delimiter("\n\norganisation,type,age_group\nA; B,c,d"), ',');
        assert_eq!(detect_delimiter("\"naam; echt\",type,leeftijd"), ',');
        assert_eq!(detect_delimiter("organisatie\ttype"), '\t');
        assert_eq!(detect_delimiter("organisatie"), ';');
    }

    #[test]
    fn values_are_normalized() {
        assert_eq!(normalize_value("  0 – 12 "), "0-12");
        assert_eq!(normalize_value("Sociaal   Wijkteam"), "sociaal wijkteam");
        assert_eq!(normalize_value("12_to_18"), "12 to 18");
        assert_eq!(normalize_header(" Age Group "), "age_group");
        assert_eq!(normalize_header("Organisation-Type"), "organisation_type");
    }
}
