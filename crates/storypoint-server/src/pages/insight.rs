//! The insight pages (`/admin/inzicht`): the views' menu, the filter form, a chart with the
//! same numbers as a table, a cross-table with its test, the stories behind a bar, and the
//! printable report, in the coordinators' frame. They show only what `storypoint-insight`
//! disclosed; the handlers and the counting are in [`crate::insight`].
use maud::{Markup, html};
use storypoint_core::contract;
use storypoint_insight::{Filter, Grouping, LANG, Measure, Month, PublicCell, PublicCrossTab, PublicDistribution, Request, Schema, View, encode};

use super::stories::story;
use crate::charts::{count_text, distribution};

/// What is said instead of stories that may not be read.
pub const SUPPRESSED: &str = "Deze verhalen tonen we niet: het zijn er te weinig, of de vertellers zouden herkenbaar zijn.";

pub use super::stories::Readable;

/// What a view shows: only disclosed forms.
pub enum Shown<'a> {
    /// One question, per group.
    Distribution(&'a PublicDistribution),
    /// Two questions against each other.
    CrossTab(&'a PublicCrossTab),
    /// The stories behind bar `cell` of group `group` (`None`: suppressed).
    Stories {
        /// The distribution the bar belongs to.
        about: &'a PublicDistribution,
        /// The bar.
        cell: usize,
        /// The group.
        group: usize,
        /// The stories, when they may be read.
        stories: Option<&'a [Readable]>,
    },
    /// Every question, one per printed page.
    Report(&'a [PublicDistribution]),
}

/// An insight page: the view, and what the form and the notes need.
pub struct Page<'a> {
    /// The questions.
    pub schema: &'a Schema,
    /// The view and filter asked for.
    pub request: &'a Request,
    /// The address's query as asked (for the downloads and the way back).
    pub query: &'a str,
    /// The questions the menu offers, in order.
    pub measures: &'a [Measure],
    /// The organisations the filter offers.
    pub organisations: &'a [String],
    /// The campaigns the filter offers (a choice when there are several).
    pub campaigns: &'a [String],
    /// Where answers from another questionnaire version do not map.
    pub notes: &'a [String],
    /// The suppression threshold.
    pub min_cell: u32,
    /// The result.
    pub shown: Shown<'a>,
    /// The session's form token, for the typical marks (none without a session).
    pub csrf: Option<&'a str>,
    /// The form to save an observation on this view (in a session; not on the report).
    pub observe: Option<Markup>,
}

/// The insight pages' frame.
pub fn layout(title: &str, main: Markup) -> Markup {
    // admin.css: the console's form patterns and header; werksessie.css: the work session's
    // forms (the observation form is on these pages too).
    layout_with(title, &["/admin/inzicht.css", "/admin/admin.css", "/admin/werksessie.css"], main)
}

/// The insight pages' frame with these stylesheets (the work-session pages add theirs).
pub fn layout_with(title: &str, stylesheets: &[&str], main: Markup) -> Markup {
    super::admin::frame(title, stylesheets, "Storypoint · Inzicht", ("/admin", "Respons per link"), main)
}

/// The page for an address that asks for a view that does not exist (`problem`: what is wrong).
pub fn bad_address(problem: &str) -> Markup {
    layout(
        "Inzicht",
        html! {
            h1 { "Deze weergave bestaat niet" }
            p role="alert" { "Er klopt iets niet in het adres: " (problem) }
            p { a href="/admin/inzicht" { "Begin opnieuw" } }
        },
    )
}

/// The chart's title: the question and how it is split.
pub fn chart_title(d: &PublicDistribution) -> String {
    let question = d.label.nl.trim_end_matches('…');
    match d.by.as_str() {
        "none" => question.to_string(),
        "rounds" => format!("{question} — twee rondes vergeleken"),
        _ => format!("{question} — per groep"),
    }
}

/// An insight page.
pub fn page(page: &Page<'_>) -> Markup {
    let describe = page.request.filter.describe(page.schema);
    let title = match page.shown {
        Shown::Report(_) => "Rapport",
        Shown::Stories { .. } => "Verhalen",
        _ => "Inzicht",
    };
    let main = html! {
        (nav(page.schema, page.request))
        @if !matches!(page.shown, Shown::Report(_)) {
            (form(page))
        }
        @match &page.shown {
            Shown::Distribution(d) => {
                section aria-labelledby="result" {
                    h2 #result { (chart_title(d)) }
                    (summary(d, &page.request.filter, page.schema))
                    (notes(page.notes))
                    (chart(d))
                    (downloads(page.query, true))
                }
            }
            Shown::CrossTab(t) => {
                section aria-labelledby="result" {
                    h2 #result { (t.row_label.nl.trim_end_matches('…')) " × " (t.col_label.nl.trim_end_matches('…')) }
                    p { "Filter: " (describe) ". Ongeveer " (t.total) " verhalen beantwoordden beide vragen." }
                    (notes(page.notes))
                    (cross_table(t))
                    (downloads(page.query, false))
                }
            }
            Shown::Stories { about, cell, group, stories } => {
                section aria-labelledby="result" {
                    h2 #result {
                        "Verhalen bij “" (about.categories.get(*cell).map_or("n.v.t.", |c| c.label.nl.as_str())) "”: "
                        (about.groups.get(*group).map_or("", |g| g.label.nl.as_str()))
                    }
                    p { "Vraag: “" (about.label.nl) "” Filter: " (describe) "." }
                    p.privacy {
                        "Over de verteller staat er alleen bij wat ten minste " (page.min_cell)
                        " verhalen van de campagne precies zo laten zien. De rest laten we weg, zodat niemand herkenbaar is. Nooit de dag, nooit de link."
                    }
                    (notes(page.notes))
                    @match stories {
                        Some(stories) => {
                            @if stories.is_empty() {
                                p.suppressed role="status" {
                                    "Geen van deze verhalen kan hier staan: wie ze vertelde, zou herkenbaar zijn aan wat deze weergave over de verteller kiest. "
                                    "Kies minder over de verteller (bijvoorbeeld geen organisatie), dan staan ze er wel."
                                }
                            } @else {
                                p { (stories.len()) " verhalen. Verhalen waarvan de verteller herkenbaar zou zijn, staan er niet bij." }
                                @let here = format!("/admin/inzicht?{}", page.query);
                                ol.stories {
                                    @for readable in *stories {
                                        li { (story(readable, 3, page.csrf.map(|csrf| (csrf, here.as_str())))) }
                                    }
                                }
                            }
                        }
                        None => p.suppressed role="status" { (SUPPRESSED) },
                    }
                    p { a href={ "/admin/inzicht?" (back(page.query)) } { "Terug naar de grafiek" } }
                }
            }
            Shown::Report(all) => {
                section.cover {
                    h2 { "Rapport: patronen in de verhalen" }
                    p {
                        "Filter: " (describe) ". Elke vraag staat op een eigen pagina. Aantallen onder " (page.min_cell)
                        " staan er als “< " (page.min_cell) "”; de andere zijn afgerond op " (page.min_cell) "-tallen."
                    }
                    p.no-print { "Druk af met de printknop van je browser (Ctrl+P), of bewaar als PDF." }
                }
                (notes(page.notes))
                @for d in *all {
                    section.page {
                        h2 { (chart_title(d)) }
                        (chart(d))
                    }
                }
            }
        }
        @if let Some(observe) = &page.observe { (observe) }
    };
    layout(title, main)
}

/// The chart's address without the story's bar: back to the chart.
fn back(query: &str) -> String {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| !matches!(k.as_ref(), "view" | "value" | "group"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    encode(&pairs)
}

/// The notes on versions as a note box (nothing when there are none).
fn notes(notes: &[String]) -> Markup {
    html! {
        @if !notes.is_empty() {
            aside.versions aria-labelledby="versions" {
                h3 #versions { "Let op: verhalen uit een andere versie van de vragenlijst" }
                ul { @for note in notes { li { (note) } } }
            }
        }
    }
}

/// The page title and the menu of views (the filter kept).
fn nav(schema: &Schema, request: &Request) -> Markup {
    let filter = encode(&request.filter.pairs(schema));
    let with = |view: &str| if filter.is_empty() { format!("view={view}") } else { format!("view={view}&{filter}") };
    let current = match request.view {
        View::Distribution(_) | View::Stories { .. } => "distribution",
        View::CrossTab { .. } => "crosstab",
        View::Report => "report",
    };
    html! {
        h1 { "Patronen in de verhalen" }
        nav aria-label="Weergaven" {
            ul {
                @for (view, label) in [("distribution", "Eén vraag per groep"), ("crosstab", "Twee vragen tegen elkaar"), ("report", "Rapport om te printen")] {
                    li { a href={ "/admin/inzicht?" (with(view)) } aria-current=[(view == current).then_some("page")] { (label) } }
                }
                li { a href="/admin/inzicht/patronen" { "Patronen die opvallen" } }
                li { a href="/admin/inzicht/observaties" { "Observaties en werksessie" } }
            }
        }
    }
}

/// A `<select>` with an "all" option (`empty`) first.
fn select(name: &str, label: &str, empty: Option<&str>, options: &[(String, String)], chosen: &[&str]) -> Markup {
    html! {
        p {
            label for={ "f-" (name) } { (label) }
            select id={ "f-" (name) } name=(name) {
                @if let Some(empty) = empty {
                    option value="" { (empty) }
                }
                @for (value, text) in options {
                    option value=(value) selected[chosen.contains(&value.as_str())] { (text) }
                }
            }
        }
    }
}

fn month_input(name: &str, label: &str, value: Option<Month>) -> Markup {
    let value = value.map(|m| m.to_string()).unwrap_or_default();
    html! {
        p {
            label for={ "f-" (name) } { (label) }
            input type="month" id={ "f-" (name) } name=(name) value=(value) pattern="[0-9]{4}-[0-9]{2}" placeholder="JJJJ-MM";
        }
    }
}

/// The filters the issue names, in this order; choice questions the questionnaire lacks are skipped.
const FILTERS: &[&str] = &[contract::PERSPECTIVE, contract::AGE_GROUP, contract::ORGANISATION_TYPE, contract::PROMPT, LANG];

/// The form: what to see (the questions, how to split), and which stories.
fn form(page: &Page<'_>) -> Markup {
    let (schema, request) = (page.schema, page.request);
    let label = |d: usize| schema.dimensions[d].label.nl.trim_end_matches('…').to_string();
    let question_options: Vec<(String, String)> = page
        .measures
        .iter()
        .map(|m| match *m {
            Measure::Choice(d) => (schema.dimensions[d].id.clone(), label(d)),
            Measure::Scale(s) => (schema.scales[s].id.clone(), schema.scales[s].label.nl.clone()),
        })
        .collect();
    let groupable: Vec<(String, String)> =
        FILTERS.iter().filter_map(|id| schema.dimension(id)).map(|d| (schema.dimensions[d].id.clone(), format!("per {}", label(d).to_lowercase()))).collect();
    let filters = FILTERS.iter().filter_map(|id| schema.dimension(id).map(|d| (*id, d))).map(|(id, d)| {
        let options: Vec<(String, String)> = schema.dimensions[d].categories.iter().map(|c| (c.value.clone(), c.label.nl.clone())).collect();
        let chosen: Vec<&str> =
            schema.dimensions[d].categories.iter().enumerate().filter(|(c, _)| request.filter.has(d, *c)).map(|(_, c)| c.value.as_str()).collect();
        select(id, &label(d), Some("alle"), &options, &chosen)
    });
    let filters: Vec<Markup> = filters.collect();
    let organisations: Vec<(String, String)> = page.organisations.iter().map(|o| (o.clone(), o.clone())).collect();
    let campaigns: Vec<(String, String)> = page.campaigns.iter().map(|c| (c.clone(), c.clone())).collect();
    html! {
        form method="get" action="/admin/inzicht" class="controls" {
            @match &request.view {
                View::CrossTab { rows, columns } => {
                    input type="hidden" name="view" value="crosstab";
                    fieldset {
                        legend { "Welke vragen?" }
                        @let choices: Vec<(String, String)> = question_options.iter().filter(|(id, _)| schema.dimension(id).is_some()).cloned().collect();
                        (select("row", "Rijen", None, &choices, &[schema.dimensions[*rows].id.as_str()]))
                        @let columns_list: Vec<(String, String)> = choices.iter().cloned().chain(std::iter::once((LANG.to_string(), "Taal van het verhaal".to_string()))).collect();
                        (select("col", "Kolommen", None, &columns_list, &[schema.dimensions[*columns].id.as_str()]))
                    }
                }
                _ => {
                    @let view = request.distribution().expect("a distribution or a list of stories");
                    @let question = match view.measure {
                        Measure::Choice(d) => schema.dimensions[d].id.clone(),
                        Measure::Scale(s) => schema.scales[s].id.clone(),
                    };
                    @let (by, rounds) = match &view.grouping {
                        Grouping::All => ("none".to_string(), None),
                        Grouping::By(d) => (schema.dimensions[*d].id.clone(), None),
                        Grouping::Rounds(a, b) => ("rounds".to_string(), Some((a.clone(), b.clone()))),
                    };
                    fieldset {
                        legend { "Wat wil je zien?" }
                        (select("question", "Vraag", None, &question_options, &[question.as_str()]))
                        @let by_options: Vec<(String, String)> = std::iter::once(("none".to_string(), "alle verhalen samen".to_string()))
                            .chain(groupable.iter().cloned())
                            .chain(std::iter::once(("rounds".to_string(), "twee rondes (periodes) naast elkaar".to_string())))
                            .collect();
                        (select("by", "Naast elkaar", None, &by_options, &[by.as_str()]))
                    }
                    fieldset {
                        legend { "Rondes vergelijken (kies hierboven “twee rondes”)" }
                        @let (a, b) = rounds.unwrap_or_default();
                        (month_input("a_from", "Ronde A van", a.from))
                        (month_input("a_to", "Ronde A tot en met", a.to))
                        (month_input("b_from", "Ronde B van", b.from))
                        (month_input("b_to", "Ronde B tot en met", b.to))
                    }
                }
            }
            fieldset.filter {
                legend { "Filter: welke verhalen?" }
                @for filter in &filters { (filter) }
                (select(contract::ORGANISATION, "Organisatie", Some("alle"), &organisations, &request.filter.organisation().into_iter().collect::<Vec<_>>()))
                // Several regions on one collector: one campaign, or all together (the national view).
                @if campaigns.len() > 1 {
                    (select("campaign", "Campagne", Some("alle samen"), &campaigns, &request.filter.campaign().into_iter().collect::<Vec<_>>()))
                }
                (month_input("from", "Van (maand)", request.filter.period.from))
                (month_input("to", "Tot en met (maand)", request.filter.period.to))
            }
            p { button type="submit" { "Toon" } }
        }
    }
}

fn summary(d: &PublicDistribution, filter: &Filter, schema: &Schema) -> Markup {
    html! {
        p {
            "Filter: " (filter.describe(schema)) ". Aantal verhalen: " (d.groups[0].stories) ". Aantallen onder " (d.min_cell)
            " staan er als “< " (d.min_cell) "”, de andere zijn afgerond op " (d.min_cell)
            "-tallen; de procenten gaan over wie de vraag beantwoordde. Klik op een balk om de verhalen te lezen."
        }
    }
}

/// A count, as a link to its stories when they may be read.
fn cell_link(cell: &PublicCell) -> Markup {
    let text = count_text(cell.count, cell.percent);
    html! {
        @match &cell.stories_query {
            Some(query) => a href={ "/admin/inzicht?" (query) } { (text) },
            None => (text),
        }
    }
}

/// The chart and, beside it, the same numbers as a table (the accessible version).
pub fn chart(d: &PublicDistribution) -> Markup {
    let title = chart_title(d);
    html! {
        figure { (distribution(d, &title)) figcaption { (title) } }
        table {
            caption { (title) " in getallen" }
            thead {
                tr {
                    th scope="col" { "Antwoord" }
                    @for group in &d.groups { th scope="col" { (group.label.nl) " (n = " (group.stories) ")" } }
                }
            }
            tbody {
                @for (c, category) in d.categories.iter().enumerate() {
                    tr {
                        th scope="row" { (category.label.nl) }
                        @for group in &d.groups { td { (cell_link(&group.cells[c])) } }
                    }
                }
                @if d.kind == "slider" {
                    tr {
                        th scope="row" { "Niet van toepassing" }
                        @for group in &d.groups {
                            td { @if let Some(cell) = &group.not_applicable { (cell_link(cell)) } }
                        }
                    }
                    tr {
                        th scope="row" { "Mediaan" }
                        @for group in &d.groups { td { (group.median.map_or("–".to_string(), |m| m.to_string())) } }
                    }
                }
            }
        }
    }
}

/// `p` with three decimals, but never "p = 0,050" beside "unlikely to be chance".
fn p_value(p: f64) -> String {
    match p {
        p if p < 0.001 => "p < 0,001".to_string(),
        p if p < 0.05 && format!("{p:.3}") == "0.050" => "p < 0,05".to_string(),
        p => format!("p = {}", format!("{p:.3}").replace('.', ",")),
    }
}

/// A cross-tab as a table with its test (the page and the work-session report).
pub fn cross_table(t: &PublicCrossTab) -> Markup {
    html! {
        table.crosstab {
            caption { "Aantal verhalen en rijpercentage" }
            thead {
                tr {
                    th scope="col" { (t.row_label.nl.trim_end_matches('…')) }
                    @for column in &t.columns { th scope="col" { (column.label.nl) } }
                    th scope="col" { "Totaal" }
                }
            }
            tbody {
                @for row in &t.rows {
                    tr {
                        th scope="row" { (row.label.nl) }
                        @for cell in &row.cells {
                            td class={ "heat-" (cell.percent.map_or(0, |p| 1 + (p.min(99) / 25))) } {
                                @match &cell.stories_query {
                                    Some(query) => a href={ "/admin/inzicht?" (query) } { (count_text(cell.count, cell.percent)) },
                                    None => (count_text(cell.count, cell.percent)),
                                }
                            }
                        }
                        td { (row.total) }
                    }
                }
            }
            tfoot {
                tr {
                    th scope="row" { "Totaal" }
                    @for total in &t.column_totals { td { (total) } }
                    td { (t.total) }
                }
            }
        }
        @match &t.test {
            Some(test) => p.test {
                strong { (test.note.nl) }
                " (χ²-toets: χ² = " (format!("{:.1}", test.statistic).replace('.', ",")) ", " (test.df) " vrijheidsgraden, " (p_value(test.p)) ".)"
            },
            None => p.test { "Er zijn te weinig verhalen in verschillende groepen voor een toets." },
        }
    }
}

/// Links to the same view as CSV (and SVG for a chart).
fn downloads(query: &str, svg: bool) -> Markup {
    let base: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k != "format").map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let with = |format: &str| {
        let mut pairs = base.clone();
        pairs.push(("format".into(), format.into()));
        format!("/api/v1/patterns?{}", encode(&pairs))
    };
    html! {
        p.downloads.no-print {
            "Download: "
            a href=(with("csv")) download { "CSV (spreadsheet)" }
            @if svg {
                " · "
                a href=(with("svg")) download { "SVG (afbeelding)" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_read_as_dutch_and_never_as_exactly_the_threshold() {
        assert_eq!(p_value(0.0001), "p < 0,001");
        assert_eq!(p_value(0.04996), "p < 0,05");
        assert_eq!(p_value(0.1234), "p = 0,123");
    }

    #[test]
    fn the_frame_escapes_and_the_bad_address_page_alerts() {
        let page = bad_address("<b>x</b>").into_string();
        assert!(page.contains("<p role=\"alert\">Er klopt iets niet in het adres: &lt;b&gt;x&lt;/b&gt;</p>"), "{page}");
        assert!(page.contains("<title>Inzicht — Storypoint</title>") && page.contains("<main id=\"main\">"), "{page}");
    }
}
