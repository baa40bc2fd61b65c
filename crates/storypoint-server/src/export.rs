//! The stories for coordinators and researchers, in one call for the command line and the
//! downloads alike ([`write`]): JSON (round-trips into the core types), CSV for Dutch Excel
//! (`export/csv.rs`), SPSS `.sav` (`export/sav.rs`), a REFI-QDA project `.qdpx`
//! (`export/qdpx.rs`), and a ZIP of the CSV with every recording. CSV, SPSS and REFI-QDA
//! share one table of columns (`export/table.rs`).
//!
//! Nothing about a teller but what the store keeps leaves here: the day a story arrived,
//! never a time; ZIP entries carry a fixed date, the `.sav` header a fixed creation time.
mod csv;
mod qdpx;
mod sav;
mod table;

use std::io::Write as _;
use std::path::Path;

use storypoint_core::diff::History;

pub use self::csv::{neutralise, spreadsheet};
use self::table::Table;
use crate::store::StoredStory;

/// What an export is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One object per story, as stored.
    Json,
    /// CSV for Dutch Excel: one header row, answers in Dutch words (or codes).
    Csv,
    /// The CSV and every recording of a spoken story (command line only: recordings are big).
    Zip,
    /// SPSS system file with variable and value labels.
    Sav,
    /// REFI-QDA project: every story a text source, its answers a case's variables.
    Qdpx,
}

impl Format {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Zip => "zip",
            Format::Sav => "sav",
            Format::Qdpx => "qdpx",
        }
    }

    /// The reply's content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Zip | Format::Qdpx => "application/zip",
            Format::Sav => "application/x-spss-sav",
        }
    }

    /// The download's file name: `verhalen.csv`, or `verhalen-SLUG.csv` for one campaign.
    pub fn file_name(self, campaign: Option<&str>) -> String {
        match campaign {
            Some(slug) => format!("verhalen-{slug}.{}", self.extension()),
            None => format!("verhalen.{}", self.extension()),
        }
    }
}

/// How an export is made besides its format.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// CSV (also inside the ZIP): question ids and stored values instead of Dutch words.
    pub codes: bool,
    /// The one campaign exported (names the REFI-QDA project); `None`: every campaign.
    pub campaign: Option<&'a str>,
    /// The recordings' folder, for the ZIP.
    pub audio: Option<&'a Path>,
}

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A recording could not be read.
    #[error("cannot read the recording {file}: {source}")]
    Recording {
        /// The recording's file name.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The ZIP export was asked for without the recordings' folder.
    #[error("the zip export needs the recordings' folder")]
    NoAudioFolder,
    /// The archive could not be written.
    #[error("cannot write the archive: {0}")]
    Archive(#[from] zip::result::ZipError),
}

impl From<std::io::Error> for ExportError {
    fn from(error: std::io::Error) -> ExportError {
        ExportError::Archive(error.into())
    }
}

/// The stories in `format`: the one function the command line and the downloads call.
pub fn write(format: Format, history: &History, stories: &[StoredStory], options: &Options) -> Result<Vec<u8>, ExportError> {
    Ok(match format {
        Format::Json => json(stories).into_bytes(),
        Format::Csv => csv::write(&Table::new(history, stories), stories, options.codes),
        Format::Zip => zip(history, stories, options)?,
        Format::Sav => sav::write(&Table::new(history, stories), stories, &title(options.campaign)),
        Format::Qdpx => {
            let about = format!(
                "{}. Elk verhaal is een tekstbron (titel en tekst) en een case met de antwoorden als variabelen. Alleen de dag van binnenkomst, geen tijd.\n{}",
                title(options.campaign),
                version_notes(history, stories)
            );
            qdpx::write(&Table::new(history, stories), stories, &title(options.campaign), about.trim_end())?
        }
    })
}

/// The name of an export's project or file label.
fn title(campaign: Option<&str>) -> String {
    match campaign {
        Some(slug) => format!("Storypoint-verhalen, campagne {slug}"),
        None => "Storypoint-verhalen".into(),
    }
}

/// All stories as a JSON array of `{"id", "received_on", "questionnaire", "version",
/// "lang", "link", "answers", "campaign"}`.
pub fn json(stories: &[StoredStory]) -> String {
    serde_json::to_string_pretty(stories).unwrap_or_else(|_| "[]".into())
}

/// Where the stories' questionnaire versions do not map onto the current one, one note per
/// line (empty when every story was told in the current version).
pub fn version_notes(history: &History, stories: &[StoredStory]) -> String {
    let versions: Vec<u32> = stories.iter().filter(|s| s.questionnaire == history.current().id).map(|s| s.version).collect();
    history.notes(None, &versions).iter().map(|note| format!("{note}\n")).collect()
}

/// Every story as CSV plus every recording, in one zip: `verhalen.csv` and `audio/<file>`
/// (the CSV's recording column names the file), and `versies.txt` when stories were told
/// in more than one questionnaire version. Recordings are stored, not compressed again.
fn zip(history: &History, stories: &[StoredStory], options: &Options) -> Result<Vec<u8>, ExportError> {
    let audio = options.audio.ok_or(ExportError::NoAudioFolder)?;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut archive = zip::ZipWriter::new(&mut out);
        // The fixed date: an entry never carries the time of the export.
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).last_modified_time(zip::DateTime::default());
        archive.start_file("verhalen.csv", stored)?;
        archive.write_all(&csv::write(&Table::new(history, stories), stories, options.codes))?;
        let notes = version_notes(history, stories);
        if !notes.is_empty() {
            archive.start_file("versies.txt", stored)?;
            archive.write_all(notes.as_bytes())?;
        }
        for file in stories.iter().filter_map(|s| s.audio.as_deref()) {
            let bytes = std::fs::read(audio.join(file)).map_err(|source| ExportError::Recording { file: file.into(), source })?;
            archive.start_file(format!("audio/{file}"), stored)?;
            archive.write_all(&bytes)?;
        }
        archive.finish()?;
    }
    Ok(out.into_inner())
}
