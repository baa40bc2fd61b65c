//! QR codes and printable flyers for organisation links.
//!
//! Every organisation hands its unique link out on flyers and posters too, so a phone
//! camera must read the code from paper that is folded, crumpled or printed on a worn-out
//! printer. The codes use error correction level M at least (Q or H when that does not
//! make the code denser), dark modules on white, and the standard quiet zone of four
//! modules. [`flyers_html`] makes one printable A4 page per link; [`crate::flyer_files`] puts
//! everything a coordinator prints or mails together.
//!
//! ```
//! use storypoint_server::qr::{qr_svg, QrError};
//!
//! let svg = qr_svg("https://vertelpunt.example.nl/vertel?sp=k7Q2xd9a").unwrap();
//! assert!(svg.starts_with("<svg"));
//! assert!(matches!(qr_svg(&"x".repeat(5000)), Err(QrError::TooLong { .. })));
//! ```
use qrcode::{EcLevel, QrCode};

use crate::pages::flyers::FlyerView;

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
    let at_m = QrCode::with_error_correction_level(text, EcLevel::M).map_err(|error| match error {
        qrcode::types::QrError::DataTooLong => QrError::TooLong { bytes: text.len(), max: MAX_BYTES_AT_M },
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
    Ok(svg_of(&code, url).into_string())
}

fn svg_of(code: &QrCode, url: &str) -> maud::Markup {
    let modules = code.width();
    let size = modules + 2 * QUIET_ZONE;
    let colors = code.to_colors();
    // One horizontal bar per run of dark modules keeps the file small.
    let mut path = String::with_capacity(16 * size);
    for y in 0..modules {
        let mut x = 0;
        while x < modules {
            if colors[y * modules + x] == qrcode::Color::Dark {
                let start = x;
                while x < modules && colors[y * modules + x] == qrcode::Color::Dark {
                    x += 1;
                }
                let (left, top, run) = (start + QUIET_ZONE, y + QUIET_ZONE, x - start);
                path += &format!("M{left} {top}h{run}v1h-{run}z");
            } else {
                x += 1;
            }
        }
    }
    crate::pages::flyers::qr_code(size, size * SVG_MODULE_PX, url, &path)
}

/// The QR code of `url` as PNG bytes: 8-bit greyscale, black on white, 10 pixels per
/// module, with a quiet zone.
pub fn qr_png(url: &str) -> Result<Vec<u8>, QrError> {
    use image::ImageEncoder as _;

    let code = encode(url)?;
    let image = code.render::<image::Luma<u8>>().quiet_zone(true).module_dimensions(PNG_MODULE_PX, PNG_MODULE_PX).build();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::L8)
        .map_err(|error| QrError::Png(error.to_string()))?;
    Ok(png)
}

/// One flyer: the organisation a link was made for, its code and the full URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flyer<'a> {
    /// The organisation's name, as printed on the flyer.
    pub organisation: &'a str,
    /// The link code (`k7Q2xd9a`); names the files of [`crate::flyer_files`].
    pub code: &'a str,
    /// The URL the QR code opens, e.g. `https://…/vertel?sp=k7Q2xd9a`.
    pub url: &'a str,
}

/// A self-contained HTML5 page (Dutch, no scripts, no external resources) with one A4
/// flyer per link ([`crate::pages::flyers`]): a heading, a short invitation in plain Dutch,
/// the QR code (7 cm wide when printed), the URL in large type under it and the
/// organisation's name. Organisation names and URLs are escaped, so they show literally.
pub fn flyers_html(flyers: &[Flyer<'_>]) -> Result<String, QrError> {
    let views = flyers
        .iter()
        .map(|flyer| {
            let code = encode(flyer.url)?;
            Ok(FlyerView { organisation: flyer.organisation, url: flyer.url, qr: svg_of(&code, flyer.url) })
        })
        .collect::<Result<Vec<_>, QrError>>()?;
    Ok(crate::pages::flyers::page(&views).into_string())
}

/// The dark modules of `url`'s QR code, row by row, and its width in modules (the same
/// code as [`qr_svg`] and [`qr_png`], for the PDF flyers).
pub fn modules(url: &str) -> Result<(Vec<bool>, usize), QrError> {
    let code = encode(url)?;
    Ok((code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect(), code.width()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_links_get_more_error_correction_than_m() {
        let code = encode("https://vertelpunt.example.nl/vertel?sp=k7Q2xd9a").unwrap();
        assert!(matches!(code.error_correction_level(), EcLevel::M | EcLevel::Q | EcLevel::H));
        assert_eq!(code.width(), QrCode::with_error_correction_level("https://vertelpunt.example.nl/vertel?sp=k7Q2xd9a", EcLevel::M).unwrap().width());
    }

    #[test]
    fn the_largest_code_fits_and_one_byte_more_does_not() {
        assert!(encode(&"\u{7f}".repeat(MAX_BYTES_AT_M)).is_ok());
        assert_eq!(encode(&"\u{7f}".repeat(MAX_BYTES_AT_M + 1)).err(), Some(QrError::TooLong { bytes: MAX_BYTES_AT_M + 1, max: MAX_BYTES_AT_M }));
    }
}
