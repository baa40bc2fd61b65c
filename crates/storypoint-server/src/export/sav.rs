//! The stories as an SPSS system file (`.sav`), written by hand after the documented format
//! (GNU PSPP's "System File Format"): no crate writes it without a C library. Uncompressed,
//! little-endian, UTF-8 (records 7/3 and 7/20).
//!
//! Every column of the export is a variable named by its question id (record 7/13 keeps the
//! long name; the 8-byte names are `V0001`, …), labelled with the question as asked. A
//! choice question is numeric: 1, 2, … in the order of its options, each labelled with the
//! Dutch words (record 3/4). A slider is 0–100 with its ends labelled and "does not apply"
//! as -1, declared missing; a multiple-choice option is 1 (chosen) or 0 (answered, not
//! chosen); the day a story arrived is an SPSS date. A text is a string as wide as its
//! longest answer in bytes: a text wider than 255 bytes is a very long string (record 7/14,
//! segments of 255 bytes), so the stories are whole; only past 32,767 bytes, SPSS's widest
//! string, would a text be cut (the questionnaire allows 5,000 characters, at most 20,000
//! bytes). Nothing else is asked: no answer means system-missing or blanks.
//!
//! The header's creation date is fixed (`01 Jan 70 00:00:00`): the file carries no time of
//! its making.
use super::table::{Cell, Kind, Table};
use crate::store::StoredStory;

/// SPSS's widest string, in bytes.
const MAX_WIDTH: usize = 32_767;
/// The longest variable label written, in bytes.
const MAX_LABEL: usize = 255;
/// The longest value label SPSS reads, in bytes.
const MAX_VALUE_LABEL: usize = 120;
/// The longest variable name, in bytes.
const MAX_NAME: usize = 64;
/// The value of a slider answered "does not apply", declared missing.
pub const NOT_APPLICABLE: f64 = -1.0;
/// System-missing: no value.
const SYSMIS: f64 = -f64::MAX;
/// Days from SPSS's day zero (14 October 1582) to 1 January 1970.
const DAYS_BEFORE_1970: i64 = 141_428;
/// Words SPSS keeps for itself, never a variable name.
const RESERVED: [&str; 13] = ["all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"];

/// A variable's values.
enum Storage {
    /// A number: its print format (type, width, decimals), its value labels and one
    /// missing value.
    Numeric { format: (u8, u8), labels: Vec<(f64, String)>, missing: Option<f64> },
    /// A string this many bytes wide.
    Text(usize),
}

/// How SPSS should treat a variable (record 7/11).
#[derive(Clone, Copy)]
enum Measure {
    Nominal = 1,
    Scale = 3,
}

/// One variable of the file.
struct Variable {
    name: String,
    label: String,
    storage: Storage,
    measure: Measure,
}

impl Variable {
    /// The widths of its segments: one for a number or a string up to 255 bytes, more for a
    /// very long string (one per 252 bytes of width, each but the last 255 wide).
    fn segments(&self) -> Vec<usize> {
        match self.storage {
            Storage::Numeric { .. } => vec![0],
            Storage::Text(width) if width <= 255 => vec![width],
            Storage::Text(width) => {
                let count = width.div_ceil(252);
                (0..count).map(|i| if i + 1 < count { 255 } else { width - (count - 1) * 252 }).collect()
            }
        }
    }
}

/// The 8-byte units a segment takes in a case (and the variable records it needs).
fn units(width: usize) -> usize {
    width.div_ceil(8).max(1)
}

/// The stories as a `.sav` file, labelled `file_label` (at most 64 bytes are kept).
pub fn write(table: &Table, stories: &[StoredStory], file_label: &str) -> Vec<u8> {
    let cells: Vec<Vec<Cell>> = stories.iter().map(|story| table.cells(story)).collect();
    let mut variables: Vec<Variable> = table.columns.iter().enumerate().map(|(at, column)| variable(column, cells.iter().map(|row| &row[at]))).collect();
    name_uniquely(&mut variables);

    let mut out = Out(Vec::new());
    let case_units: usize = variables.iter().flat_map(Variable::segments).map(units).sum();
    header(&mut out, case_units, stories.len(), file_label);

    // Type 2: one record per variable and segment, and a continuation record per further
    // 8 bytes of a string. The short names are numbered per segment, so they are unique.
    let mut short_names: Vec<String> = Vec::new();
    let mut first_index: Vec<i32> = Vec::new();
    let mut index = 1;
    for variable in &variables {
        first_index.push(index);
        short_names.push(format!("V{:04}", short_names.len() + 1));
        for (segment, width) in variable.segments().into_iter().enumerate() {
            if segment > 0 {
                short_names.push(format!("V{:04}", short_names.len() + 1));
            }
            variable_record(&mut out, variable, segment, width, short_names.last().map_or("V", String::as_str));
            for _ in 1..units(width) {
                out.i32s(&[2, -1, 0, 0, 0, 0]);
                out.bytes(&[b' '; 8]);
            }
            index += i32::try_from(units(width)).unwrap_or(i32::MAX);
        }
    }

    // Types 3 and 4: each numeric variable's value labels.
    for (variable, index) in variables.iter().zip(&first_index) {
        let Storage::Numeric { labels, .. } = &variable.storage else { continue };
        if labels.is_empty() {
            continue;
        }
        out.i32s(&[3, count(labels.len())]);
        for (value, label) in labels {
            out.f64(*value);
            let label = cut(label, MAX_VALUE_LABEL);
            out.bytes(&[u8::try_from(label.len()).unwrap_or(u8::MAX)]);
            out.bytes(label.as_bytes());
            out.pad(1 + label.len(), 8, 0);
        }
        out.i32s(&[4, 1, *index]);
    }

    // Type 7: the machine, display parameters, long names, very long strings, encoding.
    out.i32s(&[7, 3, 4, 8, 1, 0, 0, -1, 1, 1, 2, 65001]);
    out.i32s(&[7, 4, 8, 3]);
    for value in [SYSMIS, f64::MAX, f64::from_bits(0xffef_ffff_ffff_fffe)] {
        out.f64(value);
    }
    let segments: Vec<(&Variable, usize)> = variables.iter().flat_map(|v| v.segments().into_iter().map(move |w| (v, w))).collect();
    out.i32s(&[7, 11, 4, count(3 * segments.len())]);
    for (variable, width) in &segments {
        let (display, align) = match variable.storage {
            Storage::Numeric { format, .. } => (i32::from(format.1).max(8), 1),
            Storage::Text(_) => (i32::try_from(*width).unwrap_or(40).clamp(8, 40), 0),
        };
        out.i32s(&[variable.measure as i32, display, align]);
    }
    let mut short = short_names.iter();
    let mut long_names: Vec<String> = Vec::new();
    let mut very_long = String::new();
    for variable in &variables {
        let own = short.next().map_or("", String::as_str);
        for _ in 1..variable.segments().len() {
            short.next();
        }
        long_names.push(format!("{own}={}", variable.name));
        if let Storage::Text(width @ 256..) = variable.storage {
            very_long.push_str(&format!("{own}={width:05}\0\t"));
        }
    }
    extension(&mut out, 13, long_names.join("\t").as_bytes());
    if !very_long.is_empty() {
        extension(&mut out, 14, very_long.as_bytes());
    }
    extension(&mut out, 20, b"UTF-8");
    out.i32s(&[999, 0]);

    // The cases.
    for row in &cells {
        for (variable, cell) in variables.iter().zip(row) {
            match &variable.storage {
                Storage::Numeric { .. } => out.f64(number(cell)),
                Storage::Text(width) => {
                    let text = text(cell);
                    let bytes = cut(&text, *width).as_bytes();
                    let mut from = 0;
                    for segment in variable.segments() {
                        // Data fills each segment but the last with 255 bytes.
                        let room = units(segment) * 8;
                        let take = bytes.len().saturating_sub(from).min(segment.min(255));
                        out.bytes(&bytes[from..from + take]);
                        out.bytes(&vec![b' '; room - take]);
                        from += take;
                    }
                }
            }
        }
    }
    out.0
}

/// The variable for `column`, sized by its cells.
fn variable<'c>(column: &super::table::Column, cells: impl Iterator<Item = &'c Cell<'c>>) -> Variable {
    let numeric = |width: u8, labels: Vec<(f64, String)>, missing| Storage::Numeric { format: (5, width), labels, missing };
    let (storage, measure) = match &column.kind {
        Kind::Number => {
            let widest = cells.filter_map(|c| if let Cell::Number(n) = c { Some(n.to_string().len()) } else { None }).max().unwrap_or(1);
            (numeric(u8::try_from(widest).unwrap_or(40).clamp(8, 40), Vec::new(), None), Measure::Scale)
        }
        Kind::Day => (Storage::Numeric { format: (20, 11), labels: Vec::new(), missing: None }, Measure::Scale),
        Kind::Text => {
            let widest = cells.map(|c| text(c).len()).max().unwrap_or(0);
            (Storage::Text(widest.clamp(1, MAX_WIDTH)), Measure::Nominal)
        }
        Kind::Choice(choices) => {
            let labels = choices.iter().enumerate().map(|(at, choice)| (code(at), choice.word.clone())).collect();
            (numeric(8, labels, None), Measure::Nominal)
        }
        Kind::Slider { low, high, not_applicable } => {
            let not_applicable = not_applicable.clone().unwrap_or_else(|| storypoint_core::NOT_APPLICABLE.into());
            let labels = vec![(NOT_APPLICABLE, not_applicable), (0.0, low.clone()), (100.0, high.clone())];
            (numeric(8, labels, Some(NOT_APPLICABLE)), Measure::Scale)
        }
        Kind::Chosen => (numeric(8, vec![(0.0, "niet gekozen".into()), (1.0, "gekozen".into())], None), Measure::Nominal),
    };
    Variable { name: column.name.clone(), label: column.label.clone(), storage, measure }
}

/// The number of the choice at `at` (from 0): its place from 1.
fn code(at: usize) -> f64 {
    f64::from(u32::try_from(at + 1).unwrap_or(u32::MAX))
}

/// A cell of a numeric variable.
fn number(cell: &Cell) -> f64 {
    match cell {
        // Story ids and answers are far below 2^53: exact as a double.
        Cell::Number(n) => *n as f64,
        Cell::Choice(at) => code(*at),
        Cell::NotApplicable => NOT_APPLICABLE,
        Cell::Chosen(chosen) => f64::from(u8::from(*chosen)),
        Cell::Day(day) => spss_date(day).unwrap_or(SYSMIS),
        Cell::Empty | Cell::Text(_) => SYSMIS,
    }
}

/// A cell of a string variable.
fn text<'c>(cell: &'c Cell) -> std::borrow::Cow<'c, str> {
    match cell {
        Cell::Text(text) => std::borrow::Cow::Borrowed(text.as_ref()),
        Cell::Day(day) => std::borrow::Cow::Borrowed(day),
        Cell::Empty => std::borrow::Cow::Borrowed(""),
        Cell::Number(n) => n.to_string().into(),
        Cell::Choice(at) => at.to_string().into(),
        Cell::NotApplicable => storypoint_core::NOT_APPLICABLE.into(),
        Cell::Chosen(chosen) => u8::from(*chosen).to_string().into(),
    }
}

/// A day `YYYY-MM-DD` as SPSS counts it: seconds since 14 October 1582.
fn spss_date(day: &str) -> Option<f64> {
    let date = time::Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    let days = i64::from(date.to_julian_day()) - i64::from(time::macros::date!(1970 - 01 - 01).to_julian_day()) + DAYS_BEFORE_1970;
    Some((days * 86_400) as f64)
}

/// Gives every variable a name SPSS accepts, unique without regard to case: letters,
/// digits and `_ . @ # $`, starting with a letter, at most 64 bytes, no reserved word.
fn name_uniquely(variables: &mut [Variable]) {
    let mut seen: Vec<String> = Vec::new();
    for variable in variables {
        let mut name: String =
            variable.name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '#' | '$') { c } else { '_' }).collect();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) || RESERVED.contains(&name.to_lowercase().as_str()) {
            name = format!("v_{name}");
        }
        name = name.trim_end_matches('.').to_string();
        name.truncate(MAX_NAME);
        let mut candidate = name.clone();
        let mut n = 2;
        while seen.contains(&candidate.to_lowercase()) {
            let suffix = format!("_{n}");
            candidate = format!("{}{suffix}", &name[..name.len().min(MAX_NAME - suffix.len())]);
            n += 1;
        }
        seen.push(candidate.to_lowercase());
        variable.name = candidate;
    }
}

/// The file header (176 bytes).
fn header(out: &mut Out, case_units: usize, cases: usize, file_label: &str) {
    out.bytes(b"$FL2");
    out.padded(b"@(#) SPSS DATA FILE Storypoint", 60);
    out.i32s(&[2, count(case_units), 0, 0, count(cases)]);
    out.f64(100.0);
    out.bytes(b"01 Jan 70");
    out.bytes(b"00:00:00");
    out.padded(cut(file_label, 64).as_bytes(), 64);
    out.bytes(&[0; 3]);
}

/// A variable's record (type 2) for one segment: the first carries the label and the
/// missing value.
fn variable_record(out: &mut Out, variable: &Variable, segment: usize, width: usize, short_name: &str) {
    let first = segment == 0;
    let label = cut(&variable.label, MAX_LABEL);
    let has_label = first && !label.is_empty();
    let (kind, format, missing) = match &variable.storage {
        Storage::Numeric { format, missing, .. } => (0, (i32::from(format.0) << 16) | (i32::from(format.1) << 8), *missing),
        Storage::Text(_) => (count(width), (1 << 16) | (count(width.min(255)) << 8), None),
    };
    let missing = missing.filter(|_| first);
    out.i32s(&[2, kind, i32::from(has_label), i32::from(missing.is_some()), format, format]);
    out.padded(short_name.as_bytes(), 8);
    if has_label {
        out.i32s(&[count(label.len())]);
        out.bytes(label.as_bytes());
        out.pad(label.len(), 4, b' ');
    }
    if let Some(missing) = missing {
        out.f64(missing);
    }
}

/// An extension record (type 7) of bytes.
fn extension(out: &mut Out, subtype: i32, data: &[u8]) {
    out.i32s(&[7, subtype, 1, count(data.len())]);
    out.bytes(data);
}

/// A count as the file's 32-bit integer (an export never nears 2^31 of anything).
fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// At most `max` bytes of `text`, cut at a character's boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The file as it is written: little-endian.
struct Out(Vec<u8>);

impl Out {
    fn bytes(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
    fn i32s(&mut self, values: &[i32]) {
        for value in values {
            self.0.extend_from_slice(&value.to_le_bytes());
        }
    }
    fn f64(&mut self, value: f64) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }
    /// `bytes`, then spaces up to `width`.
    fn padded(&mut self, bytes: &[u8], width: usize) {
        self.bytes(&bytes[..bytes.len().min(width)]);
        self.bytes(&vec![b' '; width.saturating_sub(bytes.len())]);
    }
    /// `fill` bytes until `written` is a multiple of `multiple`.
    fn pad(&mut self, written: usize, multiple: usize, fill: u8) {
        self.bytes(&vec![fill; written.next_multiple_of(multiple) - written]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_gregorian_calendar_s_first_day() {
        // SPSS's own example: 1 January 1970 is 12,219,379,200 seconds after day zero.
        assert_eq!(spss_date("1970-01-01"), Some(12_219_379_200.0));
        assert_eq!(spss_date("1582-10-14"), Some(0.0));
        assert_eq!(spss_date("gisteren"), None);
    }

    #[test]
    fn a_very_long_string_is_cut_in_segments_of_255_for_every_252_bytes() {
        let long = Variable { name: "story".into(), label: String::new(), storage: Storage::Text(600), measure: Measure::Nominal };
        assert_eq!(long.segments(), [255, 255, 96]);
        let short = Variable { storage: Storage::Text(255), ..long };
        assert_eq!(short.segments(), [255]);
    }

    #[test]
    fn names_are_ones_spss_accepts_and_unique_without_regard_to_case() {
        let named = |name: &str| Variable { name: name.into(), label: String::new(), storage: Storage::Text(1), measure: Measure::Nominal };
        let mut variables = vec![named("age_group_12_to_18"), named("AGE_GROUP_12_TO_18"), named("12_jaar"), named("by"), named(&"x".repeat(80))];
        name_uniquely(&mut variables);
        let names: Vec<&str> = variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names[..4], ["age_group_12_to_18", "AGE_GROUP_12_TO_18_2", "v_12_jaar", "v_by"]);
        assert_eq!(names[4].len(), 64);
    }
}
