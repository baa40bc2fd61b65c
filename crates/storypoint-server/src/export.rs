//! Export of all stories: JSON (round-trips into the core types) and CSV for Dutch Excel.
use storypoint_core::Lang;
use storypoint_core::diff::History;

use crate::store::StoredStory;

/// All stories as a JSON array of `{"id", "received_on", "questionnaire", "version",
/// "lang", "link", "answers"}`.
pub fn json(stories: &[StoredStory]) -> String {
    serde_json::to_string_pretty(stories).unwrap_or_else(|_| "[]".into())
}

/// The fixed columns before one column per question.
const FIXED: [&str; 6] = ["id", "received_on", "questionnaire", "version", "lang", "link"];

/// All stories as CSV that Dutch Excel opens as is: UTF-8 with a byte order mark, `;`
/// between cells, a header row of column names and a second row with the questions in
/// Dutch, then one row per story. Cells that a spreadsheet would run as a formula are
/// neutralised.
///
/// Answers are matched by question id across versions: one column per question of the
/// current version, then the recording, then a column per question only older versions
/// had (its label says so), so no answer is lost and earlier columns keep their place.
pub fn csv(history: &History, stories: &[StoredStory]) -> Vec<u8> {
    let older = history.older_questions();
    let questions: Vec<_> = history.current().questions().chain(older.iter().map(|(q, _)| *q)).collect();
    let current = history.current().questions().count();
    let ids = questions.iter().map(|q| q.id.clone());
    let header = FIXED.iter().map(|c| c.to_string()).chain(ids.clone().take(current)).chain(["audio".into()]).chain(ids.skip(current)).collect();
    let label = |q: &storypoint_core::Question| q.label.get(Lang::NL).to_string();
    let labels = ["verhaal", "ontvangen op", "vragenlijst", "versie", "taal", "link"]
        .into_iter()
        .map(String::from)
        .chain(questions[..current].iter().map(|q| label(q)))
        .chain(["opname (audio/…)".into()])
        .chain(older.iter().map(|(q, version)| format!("{} (alleen tot versie {version})", label(q))))
        .collect();
    let rows = stories.iter().map(|story| {
        let fixed = [
            story.id.to_string(),
            story.received_on.clone(),
            story.questionnaire.clone(),
            story.version.to_string(),
            story.lang.clone(),
            story.link.clone().unwrap_or_default(),
        ];
        let mut answers: Vec<String> = questions.iter().map(|q| story.answers.get(&q.id).map(cell).unwrap_or_default()).collect();
        let older = answers.split_off(current);
        let audio = story.audio.as_ref().map(|file| format!("audio/{file}")).unwrap_or_default();
        fixed.into_iter().chain(answers).chain([audio]).chain(older).collect()
    });
    spreadsheet([header, labels].into_iter().chain(rows))
}

/// Rows as CSV that Dutch Excel opens as is (BOM, `;`), every cell neutralised.
pub fn spreadsheet(rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
        for row in rows {
            let _ = writer.write_record(row.iter().map(|c| neutralise(c)));
        }
        let _ = writer.flush();
    }
    out
}

/// One answer as a cell: text as is, numbers as digits, several choices joined by `, `.
fn cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A cell that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a
/// leading apostrophe, so a spreadsheet shows it as text instead of running it.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Where the stories' questionnaire versions do not map onto the current one, one note per
/// line (empty when every story was told in the current version).
pub fn version_notes(history: &History, stories: &[StoredStory]) -> String {
    let versions: Vec<u32> = stories.iter().filter(|s| s.questionnaire == history.current().id).map(|s| s.version).collect();
    history.notes(None, &versions).iter().map(|note| format!("{note}\n")).collect()
}

/// Every story as CSV plus every recording, in one zip: `verhalen.csv` and `audio/<file>`
/// (the CSV's `audio` column names the file), and `versies.txt` when stories were told in
/// more than one questionnaire version. Recordings are stored, not compressed again.
pub fn zip(history: &History, stories: &[StoredStory], audio_dir: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut archive = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        archive.start_file("verhalen.csv", stored)?;
        archive.write_all(&csv(history, stories))?;
        let notes = version_notes(history, stories);
        if !notes.is_empty() {
            archive.start_file("versies.txt", stored)?;
            archive.write_all(notes.as_bytes())?;
        }
        for file in stories.iter().filter_map(|s| s.audio.as_deref()) {
            archive.start_file(format!("audio/{file}"), stored)?;
            archive.write_all(&std::fs::read(audio_dir.join(file))?)?;
        }
        archive.finish()?;
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_not() {
        for formula in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(formula), format!("'{formula}"));
        }
        for text in ["Het ging goed", "12", "", "a=b", " =spatie"] {
            assert_eq!(neutralise(text), text);
        }
    }
}
