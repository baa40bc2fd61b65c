//! The organisation table's import, one path for the command line (`storypoint links import`)
//! and the console (`/admin/links`): the file (CSV, or the first sheet of an `.xlsx`/`.ods`
//! read with calamine) through the core's `org_table`, the same organisation twice refused,
//! all rows or none, every problem at its spreadsheet line (in English for the operator, in
//! plain Dutch for the coordinator), and the import itself (`Store::import_links`, which
//! follows `store::plan`).
use storypoint_core::Questionnaire;
use storypoint_core::org_table::parse_org_table;

use crate::store::{ImportReport, NewLink, Store, StoreError, same_organisation_twice};

/// One problem of a table: the spreadsheet line (the header is line 1) and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The line as the spreadsheet shows it.
    pub line: usize,
    /// The problem as the core words it (English), for the command line.
    pub message: String,
    /// The same in plain Dutch with what to do, for the console.
    pub dutch: String,
}

impl Problem {
    /// A problem on `line`, in the core's words; its Dutch follows from them.
    pub fn new(line: usize, message: impl Into<String>) -> Problem {
        let message = message.into();
        let dutch = dutch(&message);
        Problem { line, message, dutch }
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
    first_sheet(bytes).map_err(|error| {
        let mut problem = Problem::new(1, format!("the spreadsheet cannot be read ({error}); save it again as .xlsx, .ods or CSV UTF-8"));
        problem.dutch = "Dit rekenblad kunnen we niet lezen. Sla het opnieuw op als .xlsx, .ods of \"CSV UTF-8\" en upload het nog een keer.".into();
        problem
    })
}

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

/// What a column is called in Dutch, from the core's English word for it.
fn column_nl(what: &str) -> &str {
    match what {
        "organisation" => "de organisatie",
        "organisation type" => "het type",
        "age group" => "de leeftijd",
        "perspective" => "het perspectief",
        "contact" => "het contact",
        other => other,
    }
}

/// The first letter in upper case.
fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The core's message (English) in plain Dutch, with what to do.
fn dutch(message: &str) -> String {
    let again = "Sla de tabel opnieuw op vanuit Excel of LibreOffice";
    if message.starts_with("the file is empty") {
        return "Het bestand is leeg. Zet op de eerste regel de namen van de kolommen, bijvoorbeeld: organisatie;type;leeftijd;contact.".into();
    }
    if message.starts_with("there are no organisations under the header line") {
        return "Onder de regel met de kolomnamen staan geen organisaties. Zet elke organisatie op een eigen regel.".into();
    }
    if message.starts_with("this file is UTF-16") || message.starts_with("this file is not UTF-8") {
        return "De letters in dit bestand kunnen we niet lezen (het is geen UTF-8). Upload de tabel als .xlsx of .ods, of sla hem op als \"CSV UTF-8\"."
            .into();
    }
    if message.starts_with("a quote (\") is opened") {
        return format!("Op deze regel begint een aanhalingsteken (\") dat nergens sluit. Sluit het, of: {}.", again.to_lowercase());
    }
    if let Some(rest) = message.strip_prefix("the columns '") {
        if let Some((first, rest)) = rest.split_once("' and '") {
            if let Some((second, what)) = rest.split_once("' both hold the ") {
                let what = what.strip_suffix("; keep one of them").unwrap_or(what);
                return format!("De kolommen '{first}' en '{second}' gaan allebei over {}. Houd er één over en haal de andere weg.", column_nl(what));
            }
        }
    }
    if let Some(rest) = message.strip_prefix("there is no column ") {
        let (names, found) = rest.split_once("; the columns found are: ").unwrap_or((rest, ""));
        let may_be_empty = names.contains("(its cells may stay empty)");
        let names = names.replace(" (its cells may stay empty)", "").replace(" (or ", " (of ");
        let found = if found == "none" { "geen".to_string() } else { found.to_string() };
        let empty = if may_be_empty { " De vakjes in die kolom mogen leeg blijven." } else { "" };
        return format!("De kolom {names} ontbreekt. Zet hem op de eerste regel.{empty} Gevonden kolommen: {found}.");
    }
    if message.starts_with("the organisation name is empty") {
        return "De naam van de organisatie is leeg. Vul de naam in, of maak de hele regel leeg om hem over te slaan.".into();
    }
    if let Some(rest) = message.strip_prefix("the organisation name has ") {
        let count = rest.split(' ').next().unwrap_or("");
        let max = rest.split_once("at most ").and_then(|(_, r)| r.split(' ').next()).unwrap_or("");
        return format!("De naam van de organisatie is te lang: {count} tekens, er passen er {max}. Maak de naam korter.");
    }
    if message.starts_with("the organisation name '") {
        return "Deze naam van de organisatie past niet in de vragenlijst. Kies een andere schrijfwijze.".into();
    }
    if let Some((what, rest)) = message.split_once(" '") {
        if let Some((value, allowed)) = rest.split_once("' is not one of ") {
            return format!("{} '{value}' kennen we niet. Kies een van deze woorden: {allowed}.", capital(column_nl(what)));
        }
        if let Some((value, _)) = rest.split_once("' means '") {
            return format!("{} '{value}' past niet bij de vragenlijst. Maak het vakje leeg of kies een ander woord.", capital(column_nl(what)));
        }
    }
    if message.starts_with("the questionnaire '") {
        return "De vragenlijst laat een link dit niet invullen. Maak dat vakje leeg.".into();
    }
    if let Some(rest) = message.strip_prefix('\'') {
        if let Some((name, rest)) = rest.split_once("' is on line ") {
            let earlier = rest.split(' ').next().unwrap_or("");
            return format!(
                "'{name}' staat al op regel {earlier} (hoofdletters, spaties en accenten tellen niet mee). Houd één regel per organisatie: \
                 haal een van de twee weg."
            );
        }
    }
    format!("Deze regel klopt niet ({message}). Pas hem aan en upload de tabel opnieuw.")
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
                assert!(!problem.dutch.starts_with("Deze regel klopt niet"), "{problem}: {}", problem.dutch);
                assert!(!problem.dutch.contains(" the "), "{problem}: {}", problem.dutch);
            }
        }
        let problems = check(b"organisatie;type;leeftijd\nDe Esch;school;tieners\n", &questionnaire).unwrap_err();
        assert_eq!(problems[0].line, 2);
        assert_eq!(problems[0].dutch, "De leeftijd 'tieners' kennen we niet. Kies een van deze woorden: 0-12, 12-18, beide, onbekend.");
    }

    #[test]
    fn csv_cells_are_quoted_when_needed() {
        assert_eq!(quoted("De Esch"), "De Esch");
        assert_eq!(quoted("a;b"), "\"a;b\"");
        assert_eq!(quoted("zeg \"hoi\""), "\"zeg \"\"hoi\"\"\"");
    }
}
