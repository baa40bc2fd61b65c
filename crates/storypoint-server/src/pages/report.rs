//! The work-session report (`/admin/inzicht/werksessie`), to print: a cover, then one page
//! per observation with the view it was made on as a chart (or table), what the team saw,
//! what it might mean, and its typical stories with only the teller facts they may show.
//! The same entries make the PDF (`report_pdf.rs`).
use maud::{Markup, html};
use storypoint_insight::{PublicCrossTab, PublicDistribution};

use super::charts::distribution_as;
use super::insight::{chart_title, cross_table, layout_with};
use super::stories::{Readable, story};
use crate::store::Observation;
use crate::words::{pick, t, t_around, t_with};

/// A saved view as disclosed now: its chart.
pub enum Chart {
    /// One question per group.
    Distribution(PublicDistribution),
    /// Two questions against each other.
    CrossTab(PublicCrossTab),
}

impl Chart {
    /// The chart's title: the question(s), and how they are split.
    pub fn title(&self) -> String {
        match self {
            Chart::Distribution(d) => chart_title(d),
            Chart::CrossTab(table) => format!("{} × {}", pick(&table.row_label).trim_end_matches('…'), pick(&table.col_label).trim_end_matches('…')),
        }
    }
}

/// One observation as the report prints it.
pub struct Entry {
    /// The observation.
    pub observation: Observation,
    /// Its view now, with the filter in words (`None`: the view no longer exists).
    pub view: Option<(Chart, String)>,
    /// Its typical stories that may still be read.
    pub stories: Vec<Readable>,
    /// How many of its stories can no longer be shown (deleted, or no longer to be read).
    pub gone: usize,
}

impl Entry {
    /// The view's title in words, or that it is gone.
    pub fn view_title(&self) -> String {
        match &self.view {
            Some((chart, filter)) => t_with("report.view_title", &[("chart", &chart.title()), ("filter", filter)]),
            None => t("report.view_gone").to_string(),
        }
    }
}

/// Whose observations a page is about, in words: "campagne twente", "alle campagnes".
pub fn scope_words(scope: Option<&str>) -> String {
    match scope {
        Some(slug) => t_with("report.scope.campaign", &[("campaign", &slug)]),
        None => t("report.scope.all").to_string(),
    }
}

/// A distribution as printed: on paper its bars lead nowhere, so they are no links (on a
/// phone they would be targets too small to tap).
fn unlinked(d: &PublicDistribution) -> PublicDistribution {
    let mut d = d.clone();
    for group in &mut d.groups {
        for cell in group.cells.iter_mut().chain(group.not_applicable.as_mut()) {
            cell.stories_query = None;
        }
    }
    d
}

/// A cross-tab as printed, its cells no links.
fn unlinked_table(t: &PublicCrossTab) -> PublicCrossTab {
    let mut t = t.clone();
    for cell in t.rows.iter_mut().flat_map(|row| row.cells.iter_mut()) {
        cell.stories_query = None;
    }
    t
}

/// The chart of an entry, its ids made unique by the observation's number.
pub fn chart(entry: &Entry, number: usize) -> Markup {
    html! {
        @match &entry.view {
            Some((Chart::Distribution(d), _)) => {
                @let title = chart_title(d);
                figure { (distribution_as(&unlinked(d), &title, &format!("grafiek-{number}"))) figcaption { (title) } }
            }
            Some((Chart::CrossTab(t), _)) => (cross_table(&unlinked_table(t))),
            None => p { (t("report.chart_gone")) },
        }
    }
}

/// The report page: `scope` in words, `pdf` the address of the same report as a PDF.
pub fn page(entries: &[Entry], scope: &str, today: &str, pdf: &str, back: &str) -> Markup {
    let (before, after) = t_around("report.print");
    let main = html! {
        section.cover aria-labelledby="rapport-titel" {
            h1 #rapport-titel { (t("report.heading")) }
            p { (t_with("report.made", &[("scope", &scope), ("today", &today)])) }
            p { (t("report.intro")) }
            p.no-print { (before) a href=(pdf) { (t("report.print_pdf")) } (after) }
            p.no-print { a href=(back) { (t("observation.back_to_list")) } }
            @if entries.is_empty() {
                p role="status" { (t("report.empty")) }
            }
        }
        @for (i, entry) in entries.iter().enumerate() {
            @let number = i + 1;
            section.page.observation aria-labelledby={ "observatie-" (number) } {
                h2 #{ "observatie-" (number) } { (t_with("observation.number", &[("number", &number)])) }
                p.view { strong { (t("report.view")) } (entry.view_title()) }
                (chart(entry, number))
                h3 { (t("report.seen")) }
                p.words { (entry.observation.text) }
                h3 { (t("observation.meanings")) }
                ol.interpretations { @for interpretation in &entry.observation.interpretations { li.words { (interpretation) } } }
                h3 { (t("observation.typical")) }
                @if entry.stories.is_empty() { p { (t("report.no_stories")) } }
                @for readable in &entry.stories { (story(readable, 4, None)) }
                @if entry.gone > 0 {
                    p {
                        @if entry.gone == 1 { (t_with("report.gone_one", &[("count", &entry.gone)])) }
                        @else { (t_with("observation.gone", &[("count", &entry.gone)])) }
                    }
                }
            }
        }
    };
    layout_with(t("report.title"), &["/admin/inzicht.css", "/admin/admin.css", "/admin/werksessie.css"], main)
}
