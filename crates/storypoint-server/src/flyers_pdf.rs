//! The flyers as a PDF: one A4 page per organisation with the invitation, the QR code as
//! vector squares and the address, for a coordinator to print or to e-mail to each contact.
//! Made with `pdf-writer` in the standard fonts only, so nothing is embedded and the file
//! stays small; the words are those of the HTML flyers ([`crate::pages::flyers`]).
use crate::pdf_text::{win_ansi, wrap};
use crate::qr::{Flyer, QrError};

/// The flyers as a PDF: per flyer one A4 page with the words of
/// `flyers.html`, the QR code as vector squares (7 cm wide, with its quiet zone) and the
/// address under it. Standard fonts only (Helvetica, Courier), so nothing is embedded.
pub fn flyers_pdf(flyers: &[Flyer<'_>]) -> Result<Vec<u8>, QrError> {
    use pdf_writer::{Content, Finish as _, Name, Pdf, Rect, Ref, Str, TextStr};
    const A4: (f32, f32) = (595.28, 841.89);
    const MARGIN: f32 = 56.0;
    const QR_PT: f32 = 70.0 / 25.4 * 72.0;
    let (catalog, tree, info) = (Ref::new(1), Ref::new(2), Ref::new(3));
    let (regular, bold, mono) = (Ref::new(4), Ref::new(5), Ref::new(6));
    let page_ids: Vec<(Ref, Ref)> = (0..flyers.len().max(1)).map(|i| (Ref::new(10 + 2 * i as i32), Ref::new(11 + 2 * i as i32))).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree).lang(TextStr("nl"));
    pdf.document_info(info).title(TextStr("Vertelpunt – flyers")).producer(TextStr("Storypoint"));
    pdf.pages(tree).kids(page_ids.iter().map(|(page, _)| *page)).count(page_ids.len() as i32);
    for (id, name) in [(regular, "Helvetica"), (bold, "Helvetica-Bold"), (mono, "Courier-Bold")] {
        pdf.type1_font(id).base_font(Name(name.as_bytes())).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let empty = [Flyer { organisation: "", code: "", url: "" }];
    let shown: &[Flyer<'_>] = if flyers.is_empty() { &empty } else { flyers };
    for (Flyer { organisation, url, .. }, (page_id, content_id)) in shown.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.parent(tree).media_box(Rect::new(0.0, 0.0, A4.0, A4.1)).contents(*content_id);
        let mut resources = page.resources();
        resources.fonts().pair(Name(b"F1"), regular).pair(Name(b"F2"), bold).pair(Name(b"F3"), mono);
        resources.finish();
        page.finish();

        let mut content = Content::new();
        let mut y = A4.1 - MARGIN - 14.0;
        let text = |content: &mut Content, font: &[u8], size: f32, lines: &[String], y: &mut f32, x_of: &dyn Fn(&str) -> f32| {
            for line in lines {
                content.begin_text().set_font(Name(font), size).next_line(x_of(line), *y).show(Str(&win_ansi(line))).end_text();
                *y -= size * 1.3;
            }
        };
        let left = |_: &str| MARGIN;
        if url.is_empty() {
            text(&mut content, b"F1", 16.0, &["Er zijn nog geen links, dus ook geen flyers.".to_string()], &mut y, &left);
        } else {
            text(&mut content, b"F2", 14.0, &["VERTELPUNT".to_string()], &mut y, &left);
            y -= 10.0;
            text(&mut content, b"F2", 28.0, &wrap("Deel jouw verhaal over de jeugdhulp", 30), &mut y, &left);
            y -= 8.0;
            let invite = [
                "Heb jij hulp gekregen, of iemand in jouw gezin? Of help je zelf kinderen en jongeren? Wij willen graag weten hoe het ging. Wat ging goed? Wat kan beter?",
                "Het is anoniem: je hoeft je naam niet te geven. Niemand weet dat het jouw verhaal is. Het duurt ongeveer 10 minuten.",
            ];
            for paragraph in invite {
                text(&mut content, b"F1", 14.0, &wrap(paragraph, 66), &mut y, &left);
                y -= 6.0;
            }
            text(&mut content, b"F2", 14.0, &wrap("Scan de QR-code met de camera van je telefoon. Of typ het adres eronder over.", 62), &mut y, &left);

            // The code: a white square with the quiet zone, black bars in module units.
            let (dark, width) = crate::qr::modules(url)?;
            let size = width + 8;
            let module = QR_PT / size as f32;
            let (x0, top) = ((A4.0 - QR_PT) / 2.0, y - 10.0);
            content.save_state();
            content.transform([module, 0.0, 0.0, -module, x0, top]);
            content.set_fill_gray(1.0).rect(0.0, 0.0, size as f32, size as f32).fill_nonzero();
            content.set_fill_gray(0.0);
            for row in 0..width {
                let mut x = 0;
                while x < width {
                    if dark[row * width + x] {
                        let start = x;
                        while x < width && dark[row * width + x] {
                            x += 1;
                        }
                        content.rect((start + 4) as f32, (row + 4) as f32, (x - start) as f32, 1.0);
                    } else {
                        x += 1;
                    }
                }
            }
            content.fill_nonzero();
            content.restore_state();
            y = top - QR_PT - 28.0;

            // The address in a fixed-width font, centred (Courier: 0.6 em per character).
            let centred = |line: &str| (A4.0 - line.chars().count() as f32 * 0.6 * 15.0) / 2.0;
            text(&mut content, b"F3", 15.0, &wrap(url, 52), &mut y, &centred);

            let mut bottom = MARGIN + 40.0;
            text(&mut content, b"F1", 14.0, &["Je krijgt deze uitnodiging van".to_string()], &mut bottom, &left);
            text(&mut content, b"F2", 18.0, &wrap(organisation.trim(), 48).into_iter().take(1).collect::<Vec<_>>(), &mut bottom, &left);
        }
        pdf.stream(*content_id, &content.finish());
    }
    Ok(pdf.finish())
}
