//! Everything a coordinator prints or mails for the organisation links, as one set of files:
//! per link its QR code as PNG and SVG (`{organisation}-{code}`), then `flyers.html` and
//! `flyers.pdf`. The console's ZIP download and `storypoint links qr --out DIR` hold exactly
//! these files, made here once.
use std::path::{Path, PathBuf};

use crate::qr::{Flyer, QrError, flyers_html, qr_png, qr_svg};
use crate::store::LinkRow;

/// Why the files could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum FlyerFilesError {
    /// A link's QR code or a flyer could not be made.
    #[error("{organisation} ({code}): {source}")]
    Qr {
        /// The organisation of the link.
        organisation: String,
        /// The link's code.
        code: String,
        /// What went wrong.
        source: QrError,
    },
    /// The flyer pages could not be made.
    #[error(transparent)]
    Flyers(#[from] QrError),
    /// A code that cannot be part of a file name (a `LinkCode` always can).
    #[error("link code {0:?} cannot be part of a file name")]
    UnsafeCode(String),
    /// Two links share a code, which would give two files one name.
    #[error("link code {0} appears twice")]
    SameCode(String),
    /// The ZIP could not be written.
    #[error("the ZIP file could not be made: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// A file could not be written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// `make` applied to the flyers of `links` (organisation, code, teller URL on `base_url`).
pub fn with_flyers<T>(links: &[LinkRow], base_url: &str, make: impl FnOnce(&[Flyer<'_>]) -> T) -> T {
    let urls: Vec<String> = links.iter().map(|l| crate::links::teller_url(base_url, &l.entry.code)).collect();
    let flyers: Vec<Flyer<'_>> =
        links.iter().zip(&urls).map(|(l, url)| Flyer { organisation: &l.entry.organisation, code: l.entry.code.as_str(), url }).collect();
    make(&flyers)
}

/// A name safe in a file name: lower-case letters and digits, `-` for the rest, at most 40.
pub fn file_safe(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(40).collect()
}

/// Every file, as `(name, bytes)`, in this order: per flyer `{organisation}-{code}.png` and
/// `.svg` (the code alone when the name has no letters or digits), then `flyers.html` and
/// `flyers.pdf`. Nothing is made when one link cannot be: the error names it.
pub fn flyer_files(flyers: &[Flyer<'_>]) -> Result<Vec<(String, Vec<u8>)>, FlyerFilesError> {
    let mut files = Vec::with_capacity(2 * flyers.len() + 2);
    for (i, flyer) in flyers.iter().enumerate() {
        if flyers[..i].iter().any(|other| other.code == flyer.code) {
            return Err(FlyerFilesError::SameCode(flyer.code.to_string()));
        }
        let context = |source| FlyerFilesError::Qr { organisation: flyer.organisation.to_string(), code: flyer.code.to_string(), source };
        let code = flyer.code;
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(FlyerFilesError::UnsafeCode(code.to_string()));
        }
        let stem = match file_safe(flyer.organisation) {
            name if name.is_empty() => code.to_string(),
            name => format!("{name}-{code}"),
        };
        files.push((format!("{stem}.png"), qr_png(flyer.url).map_err(context)?));
        files.push((format!("{stem}.svg"), qr_svg(flyer.url).map_err(context)?.into_bytes()));
    }
    files.push(("flyers.html".into(), flyers_html(flyers)?.into_bytes()));
    files.push(("flyers.pdf".into(), crate::flyers_pdf::flyers_pdf(flyers)?));
    Ok(files)
}

/// The files of [`flyer_files`] in one ZIP (stored: PNG and PDF are compressed already).
/// Entries carry a fixed date, not the time of the download.
pub fn flyers_zip(flyers: &[Flyer<'_>]) -> Result<Vec<u8>, FlyerFilesError> {
    use std::io::Write as _;
    let files = flyer_files(flyers)?;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut archive = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).last_modified_time(zip::DateTime::default());
    for (name, bytes) in files {
        archive.start_file(name, options)?;
        archive.write_all(&bytes)?;
    }
    archive.finish()?;
    Ok(out.into_inner())
}

/// Writes the files of [`flyer_files`] into `dir` (made when missing) and returns their
/// paths; `keep` chooses which (by name). Everything is made before anything is written.
pub fn write_flyer_files(dir: &Path, flyers: &[Flyer<'_>], keep: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>, FlyerFilesError> {
    let files = flyer_files(flyers)?;
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files.into_iter().filter(|(name, _)| keep(name)) {
        let path = dir.join(name);
        std::fs::write(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_letters_and_digits_only() {
        assert_eq!(file_safe("Jeugdteam Noord (Zwolle)"), "jeugdteam-noord-zwolle");
        assert_eq!(file_safe("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_safe("Noë"), "no");
        assert_eq!(file_safe(&"a".repeat(80)).len(), 40);
    }
}
