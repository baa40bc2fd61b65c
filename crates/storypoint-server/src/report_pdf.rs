//! The work-session report as a PDF (`/admin/inzicht/werksessie.pdf`): the same entries as
//! the page to print ([`crate::pages::report`]), laid out as plain text on A4 with simple
//! bars for a chart: a cover, then every observation from a new page (a long one runs on),
//! page numbers at the foot. `pdf-writer` with the standard fonts only: nothing embedded,
//! letters outside WinAnsi become `?` (the HTML report shows every script). Its words are the
//! request's language's (`words::carried` takes it to the thread that makes the PDF).
use pdf_writer::{Content, Finish as _, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::charts::{colour, count_text};
use crate::pages::report::{Chart, Entry};
use crate::pages::stories::{left_out_line, teller_line};
use crate::pdf_text::{win_ansi, wrap};
use crate::words::{pick, t, t_with};

const A4: (f32, f32) = (595.28, 841.89);
const MARGIN: f32 = 56.0;
/// Helvetica's letters are about half as wide as they are high; a little more, so a line of
/// wide letters still fits.
const LETTER: f32 = 0.53;

/// Where the text has got to: the pages so far and the height on the last one.
struct Layout {
    pages: Vec<Content>,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout { pages: vec![Content::new()], y: A4.1 - MARGIN }
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = A4.1 - MARGIN;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN + 20.0 {
            self.new_page();
        }
    }

    fn space(&mut self, height: f32) {
        self.y -= height;
    }

    /// One line at `x` (no wrapping).
    fn line_at(&mut self, font: &[u8], size: f32, x: f32, text: &str) {
        self.room(size * 1.4);
        let y = self.y - size;
        self.page().begin_text().set_font(Name(font), size).next_line(x, y).show(Str(&win_ansi(text))).end_text();
        self.y -= size * 1.4;
    }

    /// `text` wrapped to the page, `indent` from the margin; blank lines kept as space.
    fn text(&mut self, font: &[u8], size: f32, indent: f32, text: &str) {
        let width = ((A4.0 - 2.0 * MARGIN - indent) / (size * LETTER)) as usize;
        for paragraph in text.split('\n') {
            if paragraph.trim().is_empty() {
                self.space(size * 0.7);
            }
            for line in wrap(paragraph, width) {
                self.line_at(font, size, MARGIN + indent, &line);
            }
        }
    }

    fn heading(&mut self, size: f32, text: &str) {
        self.room(size * 4.0);
        self.space(size * 0.5);
        self.text(BOLD, size, 0.0, text);
        self.space(size * 0.2);
    }

    /// A bar of `percent` (of the widest), its label before it and its count after it.
    fn bar(&mut self, label: &str, count: &str, percent: Option<u32>, widest: u32, fill: &str) {
        let size = 9.5;
        self.room(size * 1.6);
        let y = self.y - size;
        let short: String = label.chars().take(34).collect();
        let (x, most) = (MARGIN + 190.0, 220.0);
        let width = percent.map_or(1.5, |p| (p as f32 / widest.max(1) as f32 * most).max(1.5));
        let (r, g, b) = rgb(fill);
        let content = self.page();
        content.begin_text().set_font(Name(REGULAR), size).next_line(MARGIN + 12.0, y).show(Str(&win_ansi(&short))).end_text();
        content.set_fill_rgb(r, g, b).rect(x, y - 1.0, width, size).fill_nonzero();
        content.set_fill_gray(0.0);
        content.begin_text().set_font(Name(REGULAR), size).next_line(x + width + 5.0, y).show(Str(&win_ansi(count))).end_text();
        self.y -= size * 1.6;
    }
}

const REGULAR: &[u8] = b"F1";
const BOLD: &[u8] = b"F2";

/// `#0072B2` as fractions of red, green and blue.
fn rgb(hex: &str) -> (f32, f32, f32) {
    let part = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).map_or(0.0, |v| f32::from(v) / 255.0);
    (part(1), part(3), part(5))
}

/// The chart of an entry as bars (a distribution) or lines (a cross-tab).
fn chart(layout: &mut Layout, chart: &Chart) {
    match chart {
        Chart::Distribution(d) => {
            let widest = d.groups.iter().flat_map(|g| g.cells.iter().filter_map(|c| c.percent)).max().unwrap_or(100);
            let mut rows: Vec<(&str, Vec<(usize, &storypoint_insight::PublicCell)>)> =
                d.categories.iter().enumerate().map(|(c, cat)| (pick(&cat.label), d.groups.iter().map(|g| &g.cells[c]).enumerate().collect())).collect();
            if d.groups.iter().all(|g| g.not_applicable.is_some()) {
                rows.push((t("insight.na"), d.groups.iter().filter_map(|g| g.not_applicable.as_ref()).enumerate().collect()));
            }
            for (label, cells) in rows {
                layout.room(9.5 * 1.6 * (cells.len() + 1) as f32);
                layout.line_at(BOLD, 10.0, MARGIN, label);
                for (g, cell) in cells {
                    let group = d.groups.get(g).map_or("", |group| pick(&group.label));
                    layout.bar(group, &count_text(cell.count, cell.percent), cell.percent, widest, colour(g));
                }
            }
            let medians: Vec<String> =
                d.groups.iter().filter_map(|g| g.median.map(|m| t_with("pdf.median", &[("group", &pick(&g.label)), ("median", &m)]))).collect();
            if !medians.is_empty() {
                layout.text(REGULAR, 9.5, 0.0, &medians.join("; "));
            }
        }
        Chart::CrossTab(table) => {
            layout.text(REGULAR, 9.5, 0.0, t("pdf.crosstab"));
            for row in &table.rows {
                layout.line_at(BOLD, 10.0, MARGIN, pick(&row.label));
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .zip(&table.columns)
                    .map(|(cell, column)| format!("{}: {}", pick(&column.label), count_text(cell.count, cell.percent)))
                    .collect();
                layout.text(REGULAR, 9.5, 12.0, &cells.join(" · "));
            }
            if let Some(test) = &table.test {
                layout.text(REGULAR, 9.5, 0.0, pick(&test.note));
            }
        }
    }
}

/// One observation, from a new page.
fn observation(layout: &mut Layout, number: usize, entry: &Entry) {
    layout.new_page();
    layout.text(BOLD, 18.0, 0.0, &t_with("observation.number", &[("number", &number)]));
    layout.space(4.0);
    layout.text(REGULAR, 10.0, 0.0, &format!("{}{}", t("report.view"), entry.view_title()));
    layout.space(6.0);
    match &entry.view {
        Some((view, _)) => chart(layout, view),
        None => layout.text(REGULAR, 10.0, 0.0, t("report.chart_gone")),
    }
    layout.heading(13.0, t("report.seen"));
    layout.text(REGULAR, 11.0, 0.0, &entry.observation.text);
    layout.heading(13.0, t("observation.meanings"));
    for (i, reading) in entry.observation.interpretations.iter().enumerate() {
        layout.line_at(BOLD, 11.0, MARGIN, &format!("{}.", i + 1));
        layout.space(-11.0 * 1.4);
        layout.text(REGULAR, 11.0, 18.0, reading);
        layout.space(3.0);
    }
    layout.heading(13.0, t("observation.typical"));
    if entry.stories.is_empty() {
        layout.text(REGULAR, 11.0, 0.0, t("report.no_stories"));
    }
    for story in &entry.stories {
        layout.room(60.0);
        layout.space(4.0);
        layout.text(BOLD, 11.5, 0.0, story.title());
        let left_out = left_out_line(&story.teller);
        let about = if left_out.is_empty() {
            t_with("pdf.teller", &[("facts", &teller_line(&story.teller))])
        } else {
            t_with("pdf.teller_left_out", &[("facts", &teller_line(&story.teller)), ("left_out", &left_out)])
        };
        layout.text(REGULAR, 9.5, 0.0, &about);
        if story.audio.is_some() && story.text.is_empty() {
            layout.text(REGULAR, 10.5, 0.0, t("pdf.spoken"));
        }
        layout.text(REGULAR, 10.5, 0.0, &story.text);
        for answer in &story.answers {
            layout.text(REGULAR, 9.5, 12.0, &format!("{}: {}", pick(&answer.label).trim_end_matches('…'), pick(&answer.answer)));
        }
    }
    if entry.gone > 0 {
        layout.text(REGULAR, 10.0, 0.0, &t_with("observation.gone", &[("count", &entry.gone)]));
    }
}

/// The report as a PDF: `scope` in words ("campagne twente"), `today` the day it is made.
pub fn report_pdf(entries: &[Entry], scope: &str, today: &str) -> Vec<u8> {
    let mut layout = Layout::new();
    layout.text(BOLD, 24.0, 0.0, t("report.heading"));
    layout.space(8.0);
    layout.text(REGULAR, 12.0, 0.0, &t_with("report.made", &[("scope", &scope), ("today", &today)]));
    layout.space(6.0);
    layout.text(REGULAR, 11.0, 0.0, t("pdf.intro"));
    layout.space(10.0);
    if entries.is_empty() {
        layout.text(REGULAR, 11.0, 0.0, t("pdf.empty"));
    }
    for (i, entry) in entries.iter().enumerate() {
        let first_line = entry.observation.text.lines().next().unwrap_or_default();
        let short: String = first_line.chars().take(80).collect();
        layout.text(REGULAR, 11.0, 0.0, &t_with("pdf.contents", &[("number", &(i + 1)), ("text", &short)]));
    }
    for (i, entry) in entries.iter().enumerate() {
        observation(&mut layout, i + 1, entry);
    }

    let (catalog, tree, info, regular, bold) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let count = layout.pages.len();
    let ids: Vec<(Ref, Ref)> = (0..count).map(|i| (Ref::new(10 + 2 * i as i32), Ref::new(11 + 2 * i as i32))).collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree).lang(TextStr(crate::words::language().code()));
    pdf.document_info(info).title(TextStr(t("report.title"))).producer(TextStr("Storypoint"));
    pdf.pages(tree).kids(ids.iter().map(|(page, _)| *page)).count(count as i32);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    for (n, (mut content, (page_id, content_id))) in layout.pages.into_iter().zip(&ids).enumerate() {
        let foot = t_with("pdf.footer", &[("page", &(n + 1)), ("count", &count)]);
        content.set_fill_gray(0.3).begin_text().set_font(Name(REGULAR), 8.5).next_line(MARGIN, MARGIN - 20.0).show(Str(&win_ansi(&foot))).end_text();
        let mut page = pdf.page(*page_id);
        page.parent(tree).media_box(Rect::new(0.0, 0.0, A4.0, A4.1)).contents(*content_id);
        let mut resources = page.resources();
        resources.fonts().pair(Name(REGULAR), regular).pair(Name(BOLD), bold);
        resources.finish();
        page.finish();
        pdf.stream(*content_id, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Observation;

    #[test]
    fn every_observation_starts_a_page_and_a_long_one_runs_on() {
        let entry = |text: &str| Entry {
            observation: Observation { text: text.into(), interpretations: vec!["Een".into(), "Twee".into()], ..Observation::default() },
            view: None,
            stories: Vec::new(),
            gone: 1,
        };
        let short = report_pdf(&[entry("Ouders zijn boos."), entry("Kinderen voelen zich gehoord.")], "campagne twente", "2026-03-04");
        let text = String::from_utf8_lossy(&short);
        assert!(text.starts_with("%PDF-"), "a PDF");
        assert_eq!(text.matches("/Contents").count(), 3, "a cover and a page per observation");
        assert!(text.contains("(Observatie 2)") && text.contains("pagina 3 van 3"), "{text}");
        let long = report_pdf(&[entry(&"Een lange zin over wat we zien. ".repeat(400))], "alle campagnes", "2026-03-04");
        assert!(String::from_utf8_lossy(&long).matches("/Contents").count() > 2, "a long observation runs on");
    }
}
