//! The stories as CSV that Dutch Excel opens as is: UTF-8 with a byte order mark, `;`
//! between cells, one header row, and cells a spreadsheet would run as a formula
//! neutralised. `spreadsheet` is the one CSV writer (charts and link tables use it too).
use super::table::{Cell, Kind, Table};
use crate::store::StoredStory;

/// The stories under one header row. In words (`codes == false`): short Dutch headings and
/// every answer as the teller saw it (`Opgelucht`); with codes: question ids and stored
/// values (`relieved`), for scripts. A multiple-choice option's column holds 1 (chosen), 0
/// (answered, not chosen) or nothing (not answered); a number or a slider holds digits.
pub fn write(table: &Table, stories: &[StoredStory], codes: bool) -> Vec<u8> {
    let header = table.columns.iter().map(|c| if codes { c.name.clone() } else { c.heading.clone() }).collect();
    let rows = stories.iter().map(|story| table.cells(story).into_iter().zip(&table.columns).map(|(cell, column)| text(&cell, &column.kind, codes)).collect());
    spreadsheet(std::iter::once(header).chain(rows))
}

/// One cell as text.
fn text(cell: &Cell, kind: &Kind, codes: bool) -> String {
    match (cell, kind) {
        (Cell::Empty, _) => String::new(),
        (Cell::Number(n), _) => n.to_string(),
        (Cell::Day(day), _) => day.to_string(),
        (Cell::Text(text), _) => text.to_string(),
        (Cell::Choice(at), Kind::Choice(choices)) => choices.get(*at).map(|c| if codes { c.code.clone() } else { c.word.clone() }).unwrap_or_default(),
        (Cell::Choice(at), _) => at.to_string(),
        (Cell::NotApplicable, Kind::Slider { not_applicable: Some(words), .. }) if !codes => words.clone(),
        (Cell::NotApplicable, _) => storypoint_core::NOT_APPLICABLE.into(),
        (Cell::Chosen(chosen), _) => u8::from(*chosen).to_string(),
    }
}

/// Rows as CSV that Dutch Excel opens as is (BOM, `;`), every cell neutralised.
pub fn spreadsheet(rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut writer = ::csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
        for row in rows {
            // Writing to memory fails only on a row of another length, which no caller makes.
            let _ = writer.write_record(row.iter().map(|c| neutralise(c)));
        }
        let _ = writer.flush();
    }
    out
}

/// A cell that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a
/// leading apostrophe, so a spreadsheet shows it as text instead of running it.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storypoint_core::default_questionnaire;
    use storypoint_core::diff::History;

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_not() {
        for formula in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(formula), format!("'{formula}"));
        }
        for text in ["Het ging goed", "12", "", "a=b", " =spatie"] {
            assert_eq!(neutralise(text), text);
        }
    }

    fn rows(codes: bool) -> Vec<Vec<String>> {
        let story = StoredStory {
            id: 3,
            received_on: "2026-05-01".into(),
            questionnaire: "vertelpunt-jeugdhulp".into(),
            version: 1,
            lang: "nl".into(),
            link: Some("ABCD2345".into()),
            answers: serde_json::json!({"emotion": "relieved", "story": "=1+1", "seen_heard": "not_applicable", "effect": 70, "perspective": "young_person"})
                .as_object()
                .cloned()
                .unwrap(),
            audio: None,
            campaign: "default".into(),
        };
        let history = History::only(default_questionnaire());
        let bytes = write(&Table::new(&history, std::slice::from_ref(&story)), &[story], codes);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let mut reader = ::csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(&bytes[3..]);
        reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
    }

    #[test]
    fn one_header_row_and_answers_in_dutch_words_or_in_codes() {
        let words = rows(false);
        assert_eq!(words.len(), 2, "one header row, one story");
        let at = |name: &str| words[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name}: {:?}", words[0]));
        assert_eq!(words[1][at("Gevoel")], "Opgelucht");
        assert_eq!(words[1][at("Verteller")], "Jongere (12 tot 18 jaar)");
        assert_eq!(words[1][at("Gezien en gehoord")], "Weet ik niet / past niet");
        assert_eq!(words[1][at("Effect")], "70");
        assert_eq!(words[1][at("Verhaal")], "'=1+1", "formula neutralised");
        assert_eq!(words[1][at("Link")], "ABCD2345");

        let codes = rows(true);
        let at = |name: &str| codes[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name}: {:?}", codes[0]));
        assert_eq!(codes[0][..3], ["id", "campaign", "received_on"]);
        assert_eq!((codes[1][at("emotion")].as_str(), codes[1][at("perspective")].as_str()), ("relieved", "young_person"));
        assert_eq!(codes[1][at("seen_heard")], "not_applicable");
    }
}
