//! The stories as a REFI-QDA project (`.qdpx`), the exchange format ATLAS.ti, NVivo and
//! MAXQDA read: a ZIP with `project.qde` (XML, namespace `urn:QDA-XML:project:1.0`, valid
//! against the standard's `Project.xsd`) and one plain-text file per story under `sources/`.
//!
//! Every story is a text source (its title and text) and a case (`Verhaal 12`) holding the
//! answers as variables: a choice in Dutch words, a slider or number as an integer (a slider
//! answered "does not apply" holds no value), a multiple-choice option as a boolean, the day
//! as a date. GUIDs come from the story's number (a SHA-256 formatted as a version 8 UUID),
//! so every export of a collector names a story the same; nothing in them is random or a
//! time. The ZIP's entries carry the fixed date 1980-01-01, never the time of the export.
use std::fmt::Write as _;
use std::io::Write as _;

use sha2::{Digest, Sha256};
use storypoint_core::contract;

use super::table::{Cell, Column, Fact, Kind, Source, Table};
use crate::store::StoredStory;

/// The project's `origin`: the program that wrote it.
const ORIGIN: &str = concat!("Storypoint ", env!("CARGO_PKG_VERSION"));

/// The stories as a `.qdpx` archive, the project called `name`, described by `description`.
pub fn write(table: &Table, stories: &[StoredStory], name: &str, description: &str) -> zip::result::ZipResult<Vec<u8>> {
    let variables: Vec<(usize, &Column)> = table.columns.iter().enumerate().filter(|(_, c)| is_variable(c)).collect();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(xml, "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"{}\">", attr(name), attr(ORIGIN));
    if !variables.is_empty() {
        xml.push_str("  <Variables>\n");
        for (_, column) in &variables {
            let _ = writeln!(
                xml,
                "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"{}\"><Description>{}</Description></Variable>",
                guid("variable", &column.name),
                attr(&column.heading),
                type_of(&column.kind),
                text(&column.label)
            );
        }
        xml.push_str("  </Variables>\n");
    }
    let mut files = Vec::new();
    if !stories.is_empty() {
        xml.push_str("  <Cases>\n");
        for story in stories {
            let cells = table.cells(story);
            let _ = writeln!(xml, "    <Case guid=\"{}\" name=\"Verhaal {}\">", guid("case", &story.id.to_string()), story.id);
            for (at, column) in &variables {
                if let Some(value) = value(&cells[*at], &column.kind) {
                    let _ = writeln!(xml, "      <VariableValue><VariableRef targetGUID=\"{}\"/>{value}</VariableValue>", guid("variable", &column.name));
                }
            }
            let _ = writeln!(xml, "      <SourceRef targetGUID=\"{}\"/>", guid("source", &story.id.to_string()));
            xml.push_str("    </Case>\n");
        }
        xml.push_str("  </Cases>\n  <Sources>\n");
        for story in stories {
            let source = guid("source", &story.id.to_string());
            let title = answer(story, contract::TITLE);
            let shown = if title.is_empty() { format!("Verhaal {}", story.id) } else { format!("Verhaal {}: {title}", story.id) };
            let _ = writeln!(xml, "    <TextSource guid=\"{source}\" name=\"{}\" plainTextPath=\"internal://{source}.txt\"/>", attr(&shown));
            files.push((format!("sources/{source}.txt"), plain_text(story, title)));
        }
        xml.push_str("  </Sources>\n");
    }
    let _ = writeln!(xml, "  <Description>{}</Description>", text(description));
    xml.push_str("</Project>\n");

    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut archive = zip::ZipWriter::new(&mut out);
        // The fixed date: an entry never carries the time of the export.
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).last_modified_time(zip::DateTime::default());
        archive.start_file("project.qde", options)?;
        archive.write_all(xml.as_bytes())?;
        for (path, content) in files {
            archive.start_file(path, options)?;
            archive.write_all(content.as_bytes())?;
        }
        archive.finish()?;
    }
    Ok(out.into_inner())
}

/// Whether a column is a case variable: not the story and its title (they are the source),
/// nor the recording's file (not in the project).
fn is_variable(column: &Column) -> bool {
    !matches!(&column.source, Source::Answer(id) if id == contract::STORY || id == contract::TITLE) && column.source != Source::Fact(Fact::Audio)
}

/// The REFI-QDA type of a column's variable.
fn type_of(kind: &Kind) -> &'static str {
    match kind {
        Kind::Number | Kind::Slider { .. } => "Integer",
        Kind::Day => "Date",
        Kind::Chosen => "Boolean",
        Kind::Text | Kind::Choice(_) => "Text",
    }
}

/// A cell as the value element of its variable's type, or nothing.
fn value(cell: &Cell, kind: &Kind) -> Option<String> {
    match (cell, kind) {
        (Cell::Empty | Cell::NotApplicable, _) => None,
        (Cell::Number(n), Kind::Number | Kind::Slider { .. }) => Some(format!("<IntegerValue>{n}</IntegerValue>")),
        (Cell::Day(day), Kind::Day) => is_day(day).then(|| format!("<DateValue>{day}</DateValue>")),
        (Cell::Chosen(chosen), _) => Some(format!("<BooleanValue>{chosen}</BooleanValue>")),
        (Cell::Choice(at), Kind::Choice(choices)) => choices.get(*at).map(|c| format!("<TextValue>{}</TextValue>", text(&c.word))),
        (Cell::Text(value), Kind::Text | Kind::Choice(_)) => Some(format!("<TextValue>{}</TextValue>", text(value))),
        // A value that does not fit its variable's type (a text stored for a number).
        _ => None,
    }
}

/// Whether `day` is `YYYY-MM-DD`, as `xsd:date` wants it.
fn is_day(day: &str) -> bool {
    time::Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
}

/// A story's answer to `question` as text (empty when not answered).
fn answer<'s>(story: &'s StoredStory, question: &str) -> &'s str {
    story.answers.get(question).and_then(|v| v.as_str()).unwrap_or_default().trim()
}

/// A story's source text: its title, a blank line, its text.
fn plain_text(story: &StoredStory, title: &str) -> String {
    let body = answer(story, contract::STORY);
    let body = match (body.is_empty(), story.audio.is_some()) {
        (false, _) => body,
        (true, true) => "(Dit verhaal is ingesproken; de opname zit niet in dit project.)",
        (true, false) => "(Zonder tekst.)",
    };
    if title.is_empty() { format!("{body}\n") } else { format!("{title}\n\n{body}\n") }
}

/// A GUID for `kind` and `key`: the first 16 bytes of their SHA-256, as a version 8 UUID.
fn guid(kind: &str, key: &str) -> String {
    let hash = Sha256::digest(format!("storypoint:{kind}:{key}").as_bytes());
    let mut bytes: [u8; 16] = hash[..16].try_into().unwrap_or_default();
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Text as XML element content: `&`, `<`, `>` escaped, characters XML cannot hold replaced.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Text as an XML attribute value in double quotes (white space kept as written).
fn attr(value: &str) -> String {
    text(value).replace('"', "&quot;").replace('\t', "&#9;").replace('\n', "&#10;")
}

/// Whether XML 1.0 can hold `c`.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_the_same_for_the_same_story_and_look_like_guids() {
        let one = guid("source", "12");
        assert_eq!(one, guid("source", "12"));
        assert_ne!(one, guid("case", "12"));
        assert_ne!(one, guid("source", "13"));
        let groups: Vec<usize> = one.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(one.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
        assert_eq!(&one[14..15], "8", "version 8: made from a hash, not random");
    }

    #[test]
    fn text_that_xml_cannot_hold_is_escaped_or_replaced() {
        assert_eq!(text("a < b & c > d"), "a &lt; b &amp; c &gt; d");
        assert_eq!(attr("zei \"ja\"\nen\tnee"), "zei &quot;ja&quot;&#10;en&#9;nee");
        assert_eq!(text("bel\u{7}"), "bel\u{FFFD}");
    }
}
