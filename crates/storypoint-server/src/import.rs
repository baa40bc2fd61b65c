//! The organisation table's import, one path for the command line (`storypoint links import`)
//! and the console (`/admin/links`): the file (CSV, or the first sheet of an `.xlsx`/`.ods`
//! read with calamine) through the core's `org_table`, the same organisation twice refused,
//! all rows or none, every problem at its spreadsheet line (in English for the operator, in
//! plain words for the coordinator: `translations/console/`), and the import itself (`Store::import_links`, which
//! follows `store::plan`).
use storypoint_core::Questionnaire;
use storypoint_core::org_table::parse_org_table;

use crate::store::{ImportReport, NewLink, Store, StoreError, same_organisation_twice};
use crate::words::{t, t_with};

/// One problem of a table: the spreadsheet line (the header is line 1) and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The line as the spreadsheet shows it.
    pub line: usize,
    /// The problem as the core words it (English), for the command line.
    pub message: String,
}

impl Problem {
    /// A problem on `line`, in the core's words.
    pub fn new(line: usize, message: impl Into<String>) -> Problem {
        Problem { line, message: message.into() }
    }

    /// The same for the console: plain words with what to do, in the request's language
    /// (Dutch outside a request), from `translations/console/`.
    pub fn advice(&self) -> String {
        advice(&self.message)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One organisation of a table that is right: its spreadsheet line and the link to make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The line as the spreadsheet shows it.
    pub line: usize,
    /// What the import stores.
    pub link: NewLink,
}

/// Whether `file_name`/`bytes` is a spreadsheet workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`)
/// rather than CSV text: by its name, or by its first bytes (a zip or an OLE file).
pub fn is_workbook(file_name: &str, bytes: &[u8]) -> bool {
    let name = file_name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods"].iter().any(|ext| name.ends_with(ext)) || bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// The table as the CSV text `org_table` reads: CSV as it is; a workbook's first sheet as
/// `;`-separated UTF-8 text, its rows on the lines the spreadsheet shows them on.
pub fn table_text(file_name: &str, bytes: &[u8]) -> Result<Vec<u8>, Problem> {
    if !is_workbook(file_name, bytes) {
        return Ok(bytes.to_vec());
    }
    first_sheet(bytes).map_err(|error| Problem::new(1, format!("{UNREADABLE} ({error}); save it again as .xlsx, .ods or CSV UTF-8")))
}

/// How a workbook that cannot be read starts its message.
const UNREADABLE: &str = "the spreadsheet cannot be read";

fn first_sheet(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let range = book.worksheet_range_at(0).ok_or_else(|| "it has no sheet".to_string())?.map_err(|e| e.to_string())?;
    // Empty rows above the table keep the line numbers the spreadsheet shows.
    let top = range.start().map_or(0, |(row, _)| row as usize);
    let mut text = "\n".repeat(top);
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(|cell| quoted(&cell.to_string())).collect();
        text += &cells.join(";");
        text.push('\n');
    }
    Ok(text.into_bytes())
}

/// A cell as CSV: quoted when it holds a separator, a quote or a line break.
fn quoted(cell: &str) -> String {
    if cell.contains([';', ',', '\t', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.to_string() }
}

/// The table (CSV text) read for `questionnaire`: every row, or every problem (a value
/// the core refuses, an organisation named twice), in line order. Nothing is imported
/// then.
pub fn check(table: &[u8], questionnaire: &Questionnaire) -> Result<Vec<Row>, Vec<Problem>> {
    let rows = parse_org_table(table, questionnaire).map_err(|errors| errors.into_iter().map(|e| Problem::new(e.line, e.message)).collect::<Vec<_>>())?;
    let twice = same_organisation_twice(&rows);
    if !twice.is_empty() {
        let mut problems: Vec<Problem> = twice
            .iter()
            .map(|text| {
                let (line, message) = text.strip_prefix("line ").and_then(|rest| rest.split_once(": ")).unwrap_or(("1", text));
                Problem::new(line.parse().unwrap_or(1), message)
            })
            .collect();
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    Ok(rows.into_iter().map(|r| Row { line: r.line, link: NewLink { organisation: r.organisation, contact: r.contact, prefill: r.prefill } }).collect())
}

/// Imports the checked `rows` into `campaign` (all in one transaction; see
/// [`crate::store::plan`] for what is new, updated and unchanged).
pub fn import(store: &dyn Store, campaign: &str, rows: &[Row]) -> Result<ImportReport, StoreError> {
    let links: Vec<NewLink> = rows.iter().map(|row| row.link.clone()).collect();
    store.import_links(campaign, &links)
}

/// What a column is called in the coordinator's words, from the core's English word for it.
fn column(what: &str) -> String {
    match what {
        "organisation" => t("import.column.organisation").into(),
        "organisation type" => t("import.column.type").into(),
        "age group" => t("import.column.age").into(),
        "perspective" => t("import.column.perspective").into(),
        "contact" => t("import.column.contact").into(),
        other => other.into(),
    }
}

/// The first letter in upper case.
fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The core's message (English) in the coordinator's words (B1), with what to do.
fn advice(message: &str) -> String {
    if message.starts_with(UNREADABLE) {
        return t("import.unreadable_workbook").into();
    }
    if message.starts_with("the file is empty") {
        return t("import.empty").into();
    }
    if message.starts_with("there are no organisations under the header line") {
        return t("import.no_rows").into();
    }
    if message.starts_with("this file is UTF-16") || message.starts_with("this file is not UTF-8") {
        return t("import.not_utf8").into();
    }
    if message.starts_with("a quote (\") is opened") {
        return t("import.open_quote").into();
    }
    if let Some(rest) = message.strip_prefix("the columns '") {
        if let Some((first, rest)) = rest.split_once("' and '") {
            if let Some((second, what)) = rest.split_once("' both hold the ") {
                let what = what.strip_suffix("; keep one of them").unwrap_or(what);
                return t_with("import.same_column", &[("first", &first), ("second", &second), ("what", &column(what))]);
            }
        }
    }
    if let Some(rest) = message.strip_prefix("there is no column ") {
        let (names, found) = rest.split_once("; the columns found are: ").unwrap_or((rest, ""));
        let may_be_empty = names.contains("(its cells may stay empty)");
        let names = names.replace(" (its cells may stay empty)", "").replace(" (or ", &format!(" ({} ", t("import.or")));
        let found = if found == "none" { t("import.no_columns_found") } else { found };
        let values: [(&str, &dyn std::fmt::Display); 2] = [("names", &names), ("found", &found)];
        return if may_be_empty { t_with("import.no_column_may_be_empty", &values) } else { t_with("import.no_column", &values) };
    }
    if message.starts_with("the organisation name is empty") {
        return t("import.name_empty").into();
    }
    if let Some(rest) = message.strip_prefix("the organisation name has ") {
        let count = rest.split(' ').next().unwrap_or("");
        let max = rest.split_once("at most ").and_then(|(_, r)| r.split(' ').next()).unwrap_or("");
        return t_with("import.name_too_long", &[("count", &count), ("max", &max)]);
    }
    if message.starts_with("the organisation name '") {
        return t("import.name_not_accepted").into();
    }
    if let Some((what, rest)) = message.split_once(" '") {
        if let Some((value, allowed)) = rest.split_once("' is not one of ") {
            return t_with("import.unknown_value", &[("column", &capital(&column(what))), ("value", &value), ("allowed", &allowed)]);
        }
        if let Some((value, _)) = rest.split_once("' means '") {
            return t_with("import.value_not_accepted", &[("column", &capital(&column(what))), ("value", &value)]);
        }
    }
    if message.starts_with("the questionnaire '") {
        return t("import.no_prefill").into();
    }
    if let Some(rest) = message.strip_prefix('\'') {
        if let Some((name, rest)) = rest.split_once("' is on line ") {
            let earlier = rest.split(' ').next().unwrap_or("");
            return t_with("import.twice", &[("name", &name), ("earlier", &earlier)]);
        }
    }
    t_with("import.other", &[("message", &message)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_of_the_core_is_said_in_dutch() {
        let questionnaire = storypoint_core::default_questionnaire();
        let tables: [&[u8]; 8] = [
            b"",
            b"organisatie;type;leeftijd\n",
            b"\xFF\xFEo",
            b"organisatie;type;leeftijd\n\"De Esch;school;0-12\n",
            b"organisatie;organisation;type;leeftijd\nA;A;school;0-12\n",
            b"naam;type\nA;school\n",
            b"organisatie;type;leeftijd;perspectief\n;school;0-12;\nB;schoolplein;tieners;iedereen\n",
            b"organisatie;type;leeftijd\nDe Esch;school;0-12\nde esch;school;0-12\n",
        ];
        for table in tables {
            let problems = check(table, &questionnaire).unwrap_err();
            for problem in problems {
                assert!(!problem.advice().starts_with("Deze regel klopt niet"), "{problem}: {}", problem.advice());
                assert!(!problem.advice().contains(" the "), "{problem}: {}", problem.advice());
            }
        }
        let problems = check(b"organisatie;type;leeftijd\nDe Esch;school;tieners\n", &questionnaire).unwrap_err();
        assert_eq!(problems[0].line, 2);
        assert_eq!(problems[0].advice(), "De leeftijd 'tieners' kennen we niet. Kies een van deze woorden: 0-12, 12-18, beide, onbekend.");
        let english = crate::words::Scope { language: crate::words::Language::English, here: None };
        assert_eq!(
            crate::words::within(english, || problems[0].advice()),
            "The age group 'tieners' is not a word we know. Use one of these words: 0-12, 12-18, beide, onbekend."
        );
    }

    #[test]
    fn csv_cells_are_quoted_when_needed() {
        assert_eq!(quoted("De Esch"), "De Esch");
        assert_eq!(quoted("a;b"), "\"a;b\"");
        assert_eq!(quoted("zeg \"hoi\""), "\"zeg \"\"hoi\"\"\"");
    }
}
