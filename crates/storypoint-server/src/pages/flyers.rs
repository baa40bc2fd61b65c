//! The printable flyers (`flyers.html` of `storypoint links qr`) and the QR code as SVG:
//! one A4 page per organisation link, in the one layout. The page is opened from disk and
//! printed, so it is self-contained: its style is inline, it has no script and loads
//! nothing. Organisation names and URLs are inserted by maud, escaped: they show literally.
use maud::{Markup, PreEscaped, html};

use crate::pages::{Head, document};

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

/// One flyer as the page shows it: the organisation, the URL and its QR code.
pub struct FlyerView<'a> {
    /// The organisation's name, as printed.
    pub organisation: &'a str,
    /// The URL the QR code opens, printed under it.
    pub url: &'a str,
    /// The QR code ([`qr_code`]).
    pub qr: Markup,
}

/// The page with one A4 flyer per link: a heading, a short invitation in plain Dutch, the
/// QR code (7 cm wide when printed), the URL in large type under it and the organisation's
/// name.
pub fn page(flyers: &[FlyerView<'_>]) -> Markup {
    // The style is this module's own constant, not text from anyone: as is (CSS inside
    // `<style>` is not HTML, so it must not be escaped).
    let head = Head { extra: html! { style { (PreEscaped(FLYER_STYLE)) } }, ..Head::new("Vertelpunt – flyers om te printen", &[]) };
    let body = html! {
        @if flyers.is_empty() {
            p.none { "Er zijn nog geen links, dus ook geen flyers." }
        }
        @for flyer in flyers {
            section.flyer {
                p.brand { "Vertelpunt" }
                h1 { "Deel jouw verhaal over de jeugdhulp" }
                p.invite { "Heb jij hulp gekregen, of iemand in jouw gezin? Of help je zelf kinderen en jongeren? Wij willen graag weten hoe het ging. Wat ging goed? Wat kan beter?" }
                p.invite { "Het is anoniem: je hoeft je naam niet te geven. Niemand weet dat het jouw verhaal is. Het duurt ongeveer 10 minuten." }
                p.how { "Scan de QR-code met de camera van je telefoon. Of typ het adres eronder over." }
                div.qr { (flyer.qr) }
                p.url { (flyer.url) }
                p.organisation { "Je krijgt deze uitnodiging van" br; strong { (flyer.organisation.trim()) } }
            }
        }
    };
    document(head, body)
}

/// A QR code as an SVG document (no XML prolog, so it can be a file of its own or inline
/// in HTML): black modules (`path`, in module units) on a white square of `size` modules,
/// `px` CSS pixels wide, named by the URL it opens. Every element is closed: the file is
/// well-formed XML.
pub fn qr_code(size: usize, px: usize, url: &str, path: &str) -> Markup {
    html! {
        svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox={ "0 0 " (size) " " (size) } width=(px) height=(px)
            shape-rendering="crispEdges" role="img" aria-label={ "QR-code: " (url) } {
            rect width=(size) height=(size) fill="#fff" {}
            path fill="#000" d=(path) {}
        }
    }
}
