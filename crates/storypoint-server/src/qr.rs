//! QR codes and printable flyers for organisation links.
//!
//! Every organisation hands its unique link out on flyers and posters too, so a phone
//! camera must read the code from paper that is folded, crumpled or printed on a worn-out
//! printer. The codes use error correction level M at least (Q or H when that does not
//! make the code denser), dark modules on white, and the standard quiet zone of four
//! modules. [`flyers_html`] makes one printable A4 page per link; [`write_qr_dir`] writes
//! everything a coordinator prints or mails: `{code}.svg`, `{code}.png` and `flyers.html`.
//!
//! ```
//! use storypoint_server::qr::{qr_svg, QrError};
//!
//! let svg = qr_svg("https://vertelpunt.example.nl/vertel?sp=k7Q2xd9a").unwrap();
//! assert!(svg.starts_with("<svg"));
//! assert!(matches!(qr_svg(&"x".repeat(5000)), Err(QrError::TooLong { .. })));
//! ```
use crate::html::escape as escape_html;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use qrcode::{EcLevel, QrCode};

/// Pixels per module in PNG files: sharp when printed 6–8 cm wide.
const PNG_MODULE_PX: u32 = 10;
/// The quiet zone around a code, in modules (the QR standard asks for 4).
const QUIET_ZONE: usize = 4;
/// The nominal size of one module in a stand-alone SVG file, in CSS pixels.
const SVG_MODULE_PX: usize = 8;

/// Why no QR code could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// The text does not fit in a QR code (at most about 2,300 bytes; a link is far shorter).
    #[error("the link is too long for a QR code ({bytes} bytes; at most {max} fit)")]
    TooLong {
        /// The length of the text, in bytes.
        bytes: usize,
        /// The most bytes that fit at error correction level M.
        max: usize,
    },
    /// The QR encoder refused the text for another reason.
    #[error("no QR code could be made for this link: {0}")]
    Encode(String),
    /// The PNG encoder failed.
    #[error("the QR code could not be written as PNG: {0}")]
    Png(String),
}

/// The most bytes a QR code (version 40, level M, byte mode) holds.
const MAX_BYTES_AT_M: usize = 2331;

/// Encodes `text` at the highest error correction level that does not make the code
/// denser than level M would (more redundancy for free), and at least at level M.
fn encode(text: &str) -> Result<QrCode, QrError> {
    let at_m =
        QrCode::with_error_correction_level(text, EcLevel::M).map_err(|error| match error {
            qrcode::types::QrError::DataTooLong => QrError::TooLong {
                bytes: text.len(),
                max: MAX_BYTES_AT_M,
            },
            other => QrError::Encode(other.to_string()),
        })?;
    for level in [EcLevel::H, EcLevel::Q] {
        if let Ok(code) = QrCode::with_error_correction_level(text, level) {
            if code.width() == at_m.width() {
                return Ok(code);
            }
        }
    }
    Ok(at_m)
}

/// The QR code of `url` as an SVG document (`<svg …>…</svg>`, no XML prolog, so it can be
/// written to a file or put inline in HTML): black modules on a white square with a quiet
/// zone, a `viewBox` in modules (it scales to any size) and a nominal size of 8 px per
/// module.
pub fn qr_svg(url: &str) -> Result<String, QrError> {
    let code = encode(url)?;
    Ok(svg_of(&code, url))
}

fn svg_of(code: &QrCode, url: &str) -> String {
    let modules = code.width();
    let size = modules + 2 * QUIET_ZONE;
    let colors = code.to_colors();
    let mut svg = String::with_capacity(64 * size);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges" role="img" aria-label="QR-code: {label}"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d=""##,
        px = size * SVG_MODULE_PX,
        label = escape_html(url),
    );
    // One horizontal bar per run of dark modules keeps the file small.
    for y in 0..modules {
        let mut x = 0;
        while x < modules {
            if colors[y * modules + x] == qrcode::Color::Dark {
                let start = x;
                while x < modules && colors[y * modules + x] == qrcode::Color::Dark {
                    x += 1;
                }
                let _ = write!(
                    svg,
                    "M{} {}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    svg.push_str(r#""/></svg>"#);
    svg
}

/// The QR code of `url` as PNG bytes: 8-bit greyscale, black on white, 10 pixels per
/// module, with a quiet zone.
pub fn qr_png(url: &str) -> Result<Vec<u8>, QrError> {
    use image::ImageEncoder as _;

    let code = encode(url)?;
    let image = code
        .render::<image::Luma<u8>>()
        .quiet_zone(true)
        .module_dimensions(PNG_MODULE_PX, PNG_MODULE_PX)
        .build();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::L8,
        )
        .map_err(|error| QrError::Png(error.to_string()))?;
    Ok(png)
}

/// One flyer: the organisation a link was made for, its code and the full URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flyer<'a> {
    /// The organisation's name, as printed on the flyer.
    pub organisation: &'a str,
    /// The link code (`k7Q2xd9a`); names the files of [`write_qr_dir`].
    pub code: &'a str,
    /// The URL the QR code opens, e.g. `https://…/vertel?sp=k7Q2xd9a`.
    pub url: &'a str,
}

/// The style of the flyer page: A4, one flyer per page, large type.
const FLYER_STYLE: &str = r#"
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
html { color: #111; background: #fff; }
body { margin: 0; font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.4; }
.flyer { min-height: 265mm; padding: 8mm 6mm; display: flex; flex-direction: column; align-items: center; text-align: center; break-after: page; page-break-after: always; break-inside: avoid; }
.flyer:last-child { break-after: auto; page-break-after: auto; }
.brand { font-size: 14pt; font-weight: 600; letter-spacing: 0.08em; text-transform: uppercase; color: #444; margin: 0 0 4mm; }
h1 { font-size: 28pt; line-height: 1.15; margin: 0 0 8mm; }
.invite { font-size: 15pt; max-width: 160mm; margin: 0 0 3mm; }
.how { font-size: 15pt; font-weight: 600; margin: 5mm 0 4mm; }
.qr { width: 70mm; height: 70mm; margin: 0 auto; }
.qr svg { display: block; width: 70mm; height: 70mm; }
.url { font-family: "DejaVu Sans Mono", Consolas, "Courier New", monospace; font-size: 17pt; font-weight: 700; margin: 5mm 0 0; max-width: 175mm; overflow-wrap: anywhere; word-break: break-all; }
.organisation { margin-top: auto; padding-top: 8mm; font-size: 15pt; }
.organisation strong { font-size: 18pt; }
.none { font-size: 16pt; padding: 20mm; text-align: center; }
@media screen {
  body { background: #ddd; }
  .flyer { width: 210mm; margin: 10mm auto; background: #fff; box-shadow: 0 1mm 4mm rgba(0,0,0,.25); }
}
"#;

/// A self-contained HTML5 page (Dutch, no scripts, no external resources) with one A4
/// flyer per link: a heading, a short invitation in plain Dutch, the QR code (7 cm wide
/// when printed), the URL in large type under it and the organisation's name.
/// Organisation names and URLs are escaped, so they show literally.
pub fn flyers_html(flyers: &[Flyer<'_>]) -> Result<String, QrError> {
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str("<title>Vertelpunt – flyers om te printen</title>\n<style>");
    html.push_str(FLYER_STYLE);
    html.push_str("</style>\n</head>\n<body>\n");
    if flyers.is_empty() {
        html.push_str("<p class=\"none\">Er zijn nog geen links, dus ook geen flyers.</p>\n");
    }
    for flyer in flyers {
        let svg = qr_svg(flyer.url)?;
        let organisation = escape_html(flyer.organisation.trim());
        let url = escape_html(flyer.url);
        let _ = write!(
            html,
            r#"<section class="flyer">
<p class="brand">Vertelpunt</p>
<h1>Deel jouw verhaal over de jeugdhulp</h1>
<p class="invite">Heb jij hulp gekregen, of iemand in jouw gezin? Of help je zelf kinderen en jongeren? Wij willen graag weten hoe het ging. Wat ging goed? Wat kan beter?</p>
<p class="invite">Het is anoniem: je hoeft je naam niet te geven. Niemand weet dat het jouw verhaal is. Het duurt ongeveer 10 minuten.</p>
<p class="how">Scan de QR-code met de camera van je telefoon. Of typ het adres eronder over.</p>
<div class="qr">{svg}</div>
<p class="url">{url}</p>
<p class="organisation">Je krijgt deze uitnodiging van<br><strong>{organisation}</strong></p>
</section>
"#
        );
    }
    html.push_str("</body>\n</html>\n");
    Ok(html)
}

/// Writes, into `dir` (made when missing), `{code}.svg` and `{code}.png` for every flyer and
/// one `flyers.html` with all flyers; returns the paths written, in that order.
///
/// Everything is checked before anything is written: a code that is not a plain file
/// name (letters, digits, `-`, `_`), a code used twice, or a URL too long for a QR code
/// is an [`std::io::ErrorKind::InvalidInput`] error.
pub fn write_qr_dir(dir: &Path, flyers: &[Flyer<'_>]) -> std::io::Result<Vec<PathBuf>> {
    let invalid = |message: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, message);
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::with_capacity(2 * flyers.len() + 1);
    for (i, flyer) in flyers.iter().enumerate() {
        let safe = !flyer.code.is_empty()
            && flyer
                .code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !safe {
            return Err(invalid(format!(
                "link code {:?} of {:?} cannot be a file name",
                flyer.code, flyer.organisation
            )));
        }
        if flyers[..i].iter().any(|other| other.code == flyer.code) {
            return Err(invalid(format!("link code {} appears twice", flyer.code)));
        }
        let context =
            |error: QrError| invalid(format!("{} ({}): {error}", flyer.organisation, flyer.code));
        let svg = qr_svg(flyer.url).map_err(context)?;
        let png = qr_png(flyer.url).map_err(context)?;
        files.push((dir.join(format!("{}.svg", flyer.code)), svg.into_bytes()));
        files.push((dir.join(format!("{}.png", flyer.code)), png));
    }
    let html = flyers_html(flyers).map_err(|error| invalid(error.to_string()))?;
    files.push((dir.join("flyers.html"), html.into_bytes()));

    std::fs::create_dir_all(dir)?;
    let mut written = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        std::fs::write(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape_html(r#"Tom & Jerry <b>"x"'"#),
            "Tom &amp; Jerry &lt;b&gt;&quot;x&quot;&#39;"
        );
    }

    #[test]
    fn short_links_get_more_error_correction_than_m() {
        let code = encode("https://vertelpunt.example.nl/vertel?sp=k7Q2xd9a").unwrap();
        assert!(matches!(
            code.error_correction_level(),
            EcLevel::M | EcLevel::Q | EcLevel::H
        ));
        assert_eq!(
            code.width(),
            QrCode::with_error_correction_level(
                "https://vertelpunt.example.nl/vertel?sp=k7Q2xd9a",
                EcLevel::M
            )
            .unwrap()
            .width()
        );
    }

    #[test]
    fn the_largest_code_fits_and_one_byte_more_does_not() {
        assert!(encode(&"\u{7f}".repeat(MAX_BYTES_AT_M)).is_ok());
        assert_eq!(
            encode(&"\u{7f}".repeat(MAX_BYTES_AT_M + 1)).err(),
            Some(QrError::TooLong {
                bytes: MAX_BYTES_AT_M + 1,
                max: MAX_BYTES_AT_M
            })
        );
    }
}
