//! The insight charts as inline SVG (maud templates), drawn on the server from disclosed
//! aggregates only: no chart library, no script, no third-party request.
//!
//! Every bar carries its number; a bar whose stories may be read links to them. Colours
//! are the Okabe–Ito palette (distinguishable with colour blindness), and every chart has a
//! table with the same numbers beside it on the page. Every element is closed (`<rect …>
//! </rect>`), so a downloaded chart is well-formed XML.
use maud::{Markup, html};
use storypoint_insight::{PublicCell, PublicDistribution, Shown};

use crate::words::{pick, t, t_with};

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

/// A distribution as an SVG chart: grouped horizontal bars (choices) or strips of dots
/// with the median (sliders). `title` is the chart's accessible name.
pub fn distribution(d: &PublicDistribution, title: &str) -> Markup {
    distribution_as(d, title, &format!("chart-{}", d.question))
}

/// [`distribution`] with its own element id (`id`, for its accessible name): a page with the
/// same question twice (the work-session report) gives each chart its own.
pub fn distribution_as(d: &PublicDistribution, title: &str, id: &str) -> Markup {
    // One group: a histogram. Groups side by side: a strip of dots per group, with medians.
    if d.kind == "slider" && d.groups.len() > 1 { strips(d, title, id) } else { bars(d, title, id) }
}

/// [`distribution`] as text: an SVG document of its own (`…&format=svg`) or inline in a page.
pub fn distribution_svg(d: &PublicDistribution, title: &str) -> String {
    distribution(d, title).into_string()
}

/// One bar or dot with its description as a tooltip: a link to its stories when they may
/// be read (named "Lees de verhalen: …", "Read the stories: …", for screen readers and the
/// keyboard).
fn mark(shape: Markup, stories_query: Option<&str>, what: &str) -> Markup {
    html! {
        @match stories_query {
            Some(query) => a href={ "/admin/inzicht?" (query) } { title { (t_with("charts.read", &[("what", &what)])) } (shape) },
            None => g { title { (what) } (shape) },
        }
    }
}

/// The `<svg>` element with its accessible name (the title with `id`) around `content`. A
/// group, not an image: its bars are links.
fn svg(height: usize, title: &str, id: &str, content: Markup) -> Markup {
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (height) } width=(WIDTH) height=(height)
            role="group" aria-labelledby=(id) font-family="system-ui, sans-serif" font-size="13" {
            title id=(id) { (title) }
            rect width=(WIDTH) height=(height) fill="#ffffff" {}
            (content)
        }
    }
}

/// One legend line per group, from `y`.
fn legend(d: &PublicDistribution, y: usize) -> Markup {
    html! {
        @for (g, group) in d.groups.iter().enumerate() {
            @let y = y + g * 18;
            rect x="0" y=(y) width="12" height="12" fill=(colour(g)) {}
            text x="18" y=(y + 11) {
                (pick(&group.label)) " (n = " (group.stories.to_string())
                @if let Some(median) = group.median { ", " (t("charts.median")) " " (median) }
                ")"
            }
        }
    }
}

fn bars(d: &PublicDistribution, title: &str, id: &str) -> Markup {
    // A slider shown as a histogram: its bins, then "does not apply" as the last bar.
    let mut rows: Vec<(&str, Vec<&PublicCell>)> =
        d.categories.iter().enumerate().map(|(c, category)| (pick(&category.label), d.groups.iter().map(|g| &g.cells[c]).collect())).collect();
    if d.groups.iter().all(|g| g.not_applicable.is_some()) {
        rows.push((t("insight.na"), d.groups.iter().filter_map(|g| g.not_applicable.as_ref()).collect()));
    }
    let groups = d.groups.len();
    let block = groups * LINE + 12;
    let top = d.groups.len() * 18 + 12;
    let height = top + rows.len() * block + 8;
    // The longest bar fills the width; all bars share that scale.
    let widest = rows.iter().flat_map(|(_, cells)| cells.iter().filter_map(|c| c.percent)).max().unwrap_or(100).max(1) as usize;
    let content = html! {
        (legend(d, 0))
        @for (c, (label, cells)) in rows.iter().enumerate() {
            @let y0 = top + c * block;
            text x="0" y=(y0 + 14) font-weight="600" { (label) }
            @for (g, (group, cell)) in d.groups.iter().zip(cells).enumerate() {
                @let y = y0 + g * LINE;
                @let width = cell.percent.map_or(0, |p| p as usize * BAR / widest).max(2);
                @let text = count_text(cell.count, cell.percent);
                @let shape = html! {
                    rect x=(LABEL) y=(y + 2) width=(width) height=(LINE - 6) fill=(colour(g)) {}
                    text x=(LABEL + width + 6) y=(y + 15) { (text) }
                };
                (mark(shape, cell.stories_query.as_deref(), &format!("{label}, {} — {text}", pick(&group.label))))
            }
        }
    };
    svg(height, title, id, content)
}

fn strips(d: &PublicDistribution, title: &str, id: &str) -> Markup {
    let row = 64;
    let top = 30;
    let height = top + d.groups.len() * row + 30;
    let x_of = |value: usize| LABEL + value * BAR / 100;
    let na_x = LABEL + BAR + 70;
    let content = html! {
        // The axis: 0, 50, 100 and "n.v.t." at the right.
        @for value in [0, 25, 50, 75, 100] {
            line x1=(x_of(value)) x2=(x_of(value)) y1=(top) y2=(height - 24) stroke="#dddddd" {}
            text x=(x_of(value)) y=(height - 8) text-anchor="middle" { (value) }
        }
        text x=(na_x) y=(height - 8) text-anchor="middle" { (t("insight.na")) }
        @for (g, group) in d.groups.iter().enumerate() {
            @let y = top + g * row + row / 2;
            text x="0" y=(y - 4) font-weight="600" { (pick(&group.label)) }
            text x="0" y=(y + 12) { "n = " (group.stories.to_string()) }
            @let dots = group.cells.iter().enumerate().map(|(bin, cell)| (x_of(bin * 10 + 5), cell, pick(&d.categories[bin].label)));
            @let na = group.not_applicable.iter().map(|cell| (na_x, cell, t("insight.na")));
            @for (x, cell, what) in dots.chain(na) {
                @let radius = cell.percent.map_or(2.0, |p| 3.0 + (f64::from(p)).sqrt() * 2.2);
                @let text = count_text(cell.count, cell.percent);
                // Dots sit 38 px apart: the share fits above each, the count is in its
                // title and in the table.
                @let short = cell.percent.map_or_else(|| cell.count.to_string(), |p| format!("{p}%"));
                @let shape = html! {
                    circle cx=(x) cy=(y) r=(format!("{radius:.1}")) fill=(colour(g)) fill-opacity="0.75" {}
                    text x=(x) y=(y - 18) text-anchor="middle" font-size="11" { (short) }
                };
                (mark(shape, cell.stories_query.as_deref(), &format!("{}, {what} — {text}", pick(&group.label))))
            }
            @if let Some(median) = group.median {
                @let x = x_of(median as usize);
                line x1=(x) x2=(x) y1=(y - 12) y2=(y + 12) stroke="#000000" stroke-width="3" {}
                text x=(x) y=(y + 26) text-anchor="middle" font-size="11" { (t("charts.median")) " " (median) }
            }
        }
    };
    svg(height, title, id, content)
}
