//! Charts as inline SVG and tables as CSV, drawn on the server from disclosed aggregates
//! only (no chart library, no script, no third-party request).
//!
//! Every bar carries its number; a bar whose stories may be read links to them. Colours
//! are the Okabe–Ito palette (distinguishable with colour blindness), and every chart has a
//! table with the same numbers beside it on the page.
use std::fmt::Write as _;

use storypoint_insight::{PublicCell, PublicCrossTab, PublicDistribution, Shown};

use crate::html::escape;

/// Okabe–Ito, without the yellow (too light on white).
const PALETTE: &[&str] = &["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"];

/// The colour of group `g` (group 0, all stories, is dark grey).
pub fn colour(g: usize) -> &'static str {
    if g == 0 { "#444444" } else { PALETTE[(g - 1) % PALETTE.len()] }
}

const WIDTH: usize = 760;
const LABEL: usize = 230;
const BAR: usize = 380;
const LINE: usize = 20;

/// A count with its share: `35% (40)`, or `< 5`.
pub fn count_text(count: Shown, percent: Option<u32>) -> String {
    match (count, percent) {
        (Shown::About(n), Some(p)) => format!("{p}% ({n})"),
        (count, _) => count.to_string(),
    }
}

/// The link to a cell's stories on the insight page.
fn href(query: &str) -> String {
    escape(&format!("/admin/inzicht?{query}"))
}

/// One bar or dot with its description as a tooltip: a link to its stories when they may
/// be read (named "Lees de verhalen: …" for screen readers and the keyboard).
fn mark(out: &mut String, shape: &str, stories_query: Option<&str>, what: &str) {
    let _ = match stories_query {
        Some(query) => write!(out, r#"<a href="{}"><title>{}</title>{shape}</a>"#, href(query), escape(&format!("Lees de verhalen: {what}"))),
        None => write!(out, "<g><title>{}</title>{shape}</g>", escape(what)),
    };
}

/// A distribution as an SVG chart: grouped horizontal bars (choices) or strips of dots
/// with the median (sliders). `title` is the chart's accessible name.
pub fn distribution_svg(d: &PublicDistribution, title: &str) -> String {
    // One group: a histogram. Groups side by side: a strip of dots per group, with medians.
    if d.kind == "slider" && d.groups.len() > 1 { strips(d, title) } else { bars(d, title) }
}

/// The `<svg>` start tag with its accessible name (ids are unique per question, so a
/// report with every question has no duplicates). A group, not an image: its bars are links.
fn open_svg(out: &mut String, d: &PublicDistribution, height: usize, title: &str) {
    let id = format!("chart-{}", d.question);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="group" aria-labelledby="{id}" font-family="system-ui, sans-serif" font-size="13"><title id="{id}">{}</title><rect width="{WIDTH}" height="{height}" fill="#ffffff"/>"##,
        escape(title)
    );
}

/// One legend line per group, from `y`; returns the height used.
fn legend(out: &mut String, d: &PublicDistribution, y: usize) -> usize {
    for (g, group) in d.groups.iter().enumerate() {
        let y = y + g * 18;
        let _ = write!(
            out,
            r#"<rect x="0" y="{y}" width="12" height="12" fill="{}"/><text x="18" y="{}">{}</text>"#,
            colour(g),
            y + 11,
            escape(&match group.median {
                Some(median) => format!("{} (n = {}, mediaan {median})", group.label.nl, group.stories),
                None => format!("{} (n = {})", group.label.nl, group.stories),
            })
        );
    }
    d.groups.len() * 18
}

fn bars(d: &PublicDistribution, title: &str) -> String {
    // A slider shown as a histogram: its bins, then "does not apply" as the last bar.
    let mut rows: Vec<(&str, Vec<&PublicCell>)> = d
        .categories
        .iter()
        .enumerate()
        .map(|(c, category)| (category.label.nl.as_str(), d.groups.iter().map(|g| &g.cells[c]).collect()))
        .collect();
    if d.groups.iter().all(|g| g.not_applicable.is_some()) {
        rows.push(("n.v.t.", d.groups.iter().filter_map(|g| g.not_applicable.as_ref()).collect()));
    }
    let groups = d.groups.len();
    let block = groups * LINE + 12;
    let top = d.groups.len() * 18 + 12;
    let height = top + rows.len() * block + 8;
    // The longest bar fills the width; all bars share that scale.
    let widest = rows.iter().flat_map(|(_, cells)| cells.iter().filter_map(|c| c.percent)).max().unwrap_or(100).max(1) as usize;
    let mut out = String::new();
    open_svg(&mut out, d, height, title);
    legend(&mut out, d, 0);
    for (c, (label, cells)) in rows.iter().enumerate() {
        let y0 = top + c * block;
        let _ = write!(out, r#"<text x="0" y="{}" font-weight="600">{}</text>"#, y0 + 14, escape(label));
        for (g, (group, cell)) in d.groups.iter().zip(cells).enumerate() {
            let y = y0 + g * LINE;
            let width = cell.percent.map_or(0, |p| p as usize * BAR / widest);
            let text = count_text(cell.count, cell.percent);
            let shape = format!(
                r#"<rect x="{LABEL}" y="{}" width="{}" height="{}" fill="{}"/><text x="{}" y="{}">{}</text>"#,
                y + 2,
                width.max(2),
                LINE - 6,
                colour(g),
                LABEL + width.max(2) + 6,
                y + 15,
                escape(&text)
            );
            mark(&mut out, &shape, cell.stories_query.as_deref(), &format!("{label}, {} — {text}", group.label.nl));
        }
    }
    out.push_str("</svg>");
    out
}

fn strips(d: &PublicDistribution, title: &str) -> String {
    let row = 64;
    let top = 30;
    let height = top + d.groups.len() * row + 30;
    let x_of = |value: usize| LABEL + value * BAR / 100;
    let mut out = String::new();
    open_svg(&mut out, d, height, title);
    // The axis: 0, 50, 100 and "n.v.t." at the right.
    for value in [0, 25, 50, 75, 100] {
        let _ = write!(
            out,
            r##"<line x1="{x}" x2="{x}" y1="{top}" y2="{}" stroke="#dddddd"/><text x="{x}" y="{}" text-anchor="middle">{value}</text>"##,
            height - 24,
            height - 8,
            x = x_of(value)
        );
    }
    let na_x = LABEL + BAR + 70;
    let _ = write!(out, r#"<text x="{na_x}" y="{}" text-anchor="middle">n.v.t.</text>"#, height - 8);
    for (g, group) in d.groups.iter().enumerate() {
        let y = top + g * row + row / 2;
        let _ = write!(
            out,
            r#"<text x="0" y="{}" font-weight="600">{}</text><text x="0" y="{}">n = {}</text>"#,
            y - 4,
            escape(&group.label.nl),
            y + 12,
            escape(&group.stories.to_string())
        );
        let dots = group.cells.iter().enumerate().map(|(bin, cell)| (x_of(bin * 10 + 5), cell, d.categories[bin].label.nl.as_str()));
        let na = group.not_applicable.iter().map(|cell| (na_x, cell, "n.v.t."));
        for (x, cell, what) in dots.chain(na) {
            let radius = cell.percent.map_or(2.0, |p| 3.0 + (f64::from(p)).sqrt() * 2.2);
            let text = count_text(cell.count, cell.percent);
            // Dots sit 38 px apart: the share fits above each, the count is in its title
            // and in the table.
            let short = cell.percent.map_or_else(|| cell.count.to_string(), |p| format!("{p}%"));
            let shape = format!(
                r#"<circle cx="{x}" cy="{y}" r="{radius:.1}" fill="{}" fill-opacity="0.75"/><text x="{x}" y="{}" text-anchor="middle" font-size="11">{}</text>"#,
                colour(g),
                y - 18,
                escape(&short)
            );
            mark(&mut out, &shape, cell.stories_query.as_deref(), &format!("{}, {what} — {text}", group.label.nl));
        }
        if let Some(median) = group.median {
            let x = x_of(median as usize);
            let _ = write!(
                out,
                r##"<line x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="#000000" stroke-width="3"/><text x="{x}" y="{}" text-anchor="middle" font-size="11">mediaan {median}</text>"##,
                y - 12,
                y + 12,
                y + 26
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// CSV for spreadsheets: one line per group and bar.
pub fn distribution_csv(d: &PublicDistribution) -> Vec<u8> {
    let header = ["vraag", "groep", "antwoord", "aantal", "procent"].map(String::from).to_vec();
    let mut rows = vec![header];
    for group in &d.groups {
        let cells = group.cells.iter().zip(d.categories.iter().map(|c| c.label.nl.as_str()));
        let na = group.not_applicable.iter().map(|cell| (cell, "n.v.t."));
        for (cell, label) in cells.chain(na) {
            let percent = cell.percent.map(|p| p.to_string()).unwrap_or_default();
            rows.push(vec![d.question.clone(), group.label.nl.clone(), label.to_string(), cell.count.to_string(), percent]);
        }
    }
    crate::export::spreadsheet(rows)
}

/// CSV of a cross-tab: one line per row and column, with the row percentage.
pub fn cross_tab_csv(t: &PublicCrossTab) -> Vec<u8> {
    let mut rows = vec![vec![t.row.clone(), t.col.clone(), "aantal".into(), "rijprocent".into()]];
    for row in &t.rows {
        for (cell, column) in row.cells.iter().zip(&t.columns) {
            let percent = cell.percent.map(|p| p.to_string()).unwrap_or_default();
            rows.push(vec![row.label.nl.clone(), column.label.nl.clone(), cell.count.to_string(), percent]);
        }
    }
    crate::export::spreadsheet(rows)
}
