//! The insight pages (`/admin/inzicht`): the views' menu, the filter form, a chart with the
//! same numbers as a table, a cross-table with its test, the stories behind a bar, and the
//! printable report, in the coordinators' frame. They show only what `storypoint-insight`
//! disclosed; the handlers and the counting are in [`crate::insight`].
use maud::{Markup, html};
use storypoint_core::contract;
use storypoint_insight::{Filter, Grouping, LANG, Measure, Month, PublicCell, PublicCrossTab, PublicDistribution, Request, Schema, View, encode};

use super::stories::story;
use crate::charts::{count_text, distribution};
use crate::words::{decimal, lang, pick, t, t_with};

/// What is said instead of stories that may not be read, in the request's language.
pub fn suppressed() -> &'static str {
    t("insight.suppressed")
}

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
    super::admin::frame(title, stylesheets, t("insight.brand"), ("/admin", t("frame.to_response")), main)
}

/// The page for an address that asks for a view that does not exist (`problem`: what is wrong).
pub fn bad_address(problem: &str) -> Markup {
    layout(
        t("insight.title"),
        html! {
            h1 { (t("insight.bad.heading")) }
            p role="alert" { (t("insight.bad.problem")) (problem) }
            p { a href="/admin/inzicht" { (t("insight.bad.again")) } }
        },
    )
}

/// The chart's title: the question and how it is split.
pub fn chart_title(d: &PublicDistribution) -> String {
    let question = pick(&d.label).trim_end_matches('…');
    match d.by.as_str() {
        "none" => question.to_string(),
        "rounds" => t_with("insight.split.rounds", &[("question", &question)]),
        _ => t_with("insight.split.groups", &[("question", &question)]),
    }
}

/// An insight page.
pub fn page(page: &Page<'_>) -> Markup {
    let describe = page.request.filter.describe_in(page.schema, lang());
    let title = match page.shown {
        Shown::Report(_) => t("insight.title_report"),
        Shown::Stories { .. } => t("insight.title_stories"),
        _ => t("insight.title"),
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
            Shown::CrossTab(table) => {
                section aria-labelledby="result" {
                    h2 #result { (pick(&table.row_label).trim_end_matches('…')) " × " (pick(&table.col_label).trim_end_matches('…')) }
                    p { (t_with("insight.crosstab.summary", &[("filter", &describe), ("total", &table.total)])) }
                    (notes(page.notes))
                    (cross_table(table))
                    (downloads(page.query, false))
                }
            }
            Shown::Stories { about, cell, group, stories } => {
                section aria-labelledby="result" {
                    h2 #result {
                        (t_with("insight.stories.heading", &[
                            ("answer", &about.categories.get(*cell).map_or(t("insight.na"), |c| pick(&c.label))),
                            ("group", &about.groups.get(*group).map_or("", |g| pick(&g.label))),
                        ]))
                    }
                    p { (t_with("insight.stories.question", &[("question", &pick(&about.label)), ("filter", &describe)])) }
                    p.privacy { (t_with("insight.stories.privacy", &[("k", &page.min_cell)])) }
                    (notes(page.notes))
                    @match stories {
                        Some(stories) => {
                            @if stories.is_empty() {
                                p.suppressed role="status" { (t("insight.stories.none")) }
                            } @else {
                                p { (t_with("insight.stories.count", &[("count", &stories.len())])) }
                                @let here = format!("/admin/inzicht?{}", page.query);
                                ol.stories {
                                    @for readable in *stories {
                                        li { (story(readable, 3, page.csrf.map(|csrf| (csrf, here.as_str())))) }
                                    }
                                }
                            }
                        }
                        None => p.suppressed role="status" { (suppressed()) },
                    }
                    p { a href={ "/admin/inzicht?" (back(page.query)) } { (t("insight.back_to_chart")) } }
                }
            }
            Shown::Report(all) => {
                section.cover {
                    h2 { (t("insight.report.heading")) }
                    p { (t_with("insight.report.intro", &[("filter", &describe), ("k", &page.min_cell)])) }
                    p.no-print { (t("insight.report.print")) }
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
                h3 #versions { (t("insight.notes.heading")) }
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
        h1 { (t("insight.heading")) }
        nav aria-label=(t("insight.nav.label")) {
            ul {
                @for (view, label) in [("distribution", t("insight.nav.distribution")), ("crosstab", t("insight.nav.crosstab")), ("report", t("insight.nav.report"))] {
                    li { a href={ "/admin/inzicht?" (with(view)) } aria-current=[(view == current).then_some("page")] { (label) } }
                }
                li { a href="/admin/inzicht/patronen" { (t("insight.nav.standouts")) } }
                li { a href="/admin/inzicht/observaties" { (t("insight.nav.observations")) } }
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
            input type="month" id={ "f-" (name) } name=(name) value=(value) pattern="[0-9]{4}-[0-9]{2}" placeholder=(t("insight.form.month_placeholder"));
        }
    }
}

/// A question's label inside a sentence ("per ik vertel dit als", "by how old is …"): lower
/// case in Dutch; in English only its first letter, and "I" stays a capital.
fn in_a_sentence(label: &str) -> String {
    if crate::words::language() == crate::words::Language::Dutch {
        return label.to_lowercase();
    }
    let mut chars = label.chars();
    match chars.next() {
        Some(first) if !(first == 'I' && chars.clone().next().is_none_or(|c| !c.is_alphanumeric())) => first.to_lowercase().chain(chars).collect(),
        _ => label.to_string(),
    }
}

/// The filters the issue names, in this order; choice questions the questionnaire lacks are skipped.
const FILTERS: &[&str] = &[contract::PERSPECTIVE, contract::AGE_GROUP, contract::ORGANISATION_TYPE, contract::PROMPT, LANG];

/// The form: what to see (the questions, how to split), and which stories.
fn form(page: &Page<'_>) -> Markup {
    let (schema, request) = (page.schema, page.request);
    let label = |d: usize| pick(&schema.dimensions[d].label).trim_end_matches('…').to_string();
    let question_options: Vec<(String, String)> = page
        .measures
        .iter()
        .map(|m| match *m {
            Measure::Choice(d) => (schema.dimensions[d].id.clone(), label(d)),
            Measure::Scale(s) => (schema.scales[s].id.clone(), pick(&schema.scales[s].label).to_string()),
        })
        .collect();
    let groupable: Vec<(String, String)> = FILTERS
        .iter()
        .filter_map(|id| schema.dimension(id))
        .map(|d| (schema.dimensions[d].id.clone(), t_with("insight.form.per", &[("question", &in_a_sentence(&label(d)))])))
        .collect();
    let filters = FILTERS.iter().filter_map(|id| schema.dimension(id).map(|d| (*id, d))).map(|(id, d)| {
        let options: Vec<(String, String)> = schema.dimensions[d].categories.iter().map(|c| (c.value.clone(), pick(&c.label).to_string())).collect();
        let chosen: Vec<&str> =
            schema.dimensions[d].categories.iter().enumerate().filter(|(c, _)| request.filter.has(d, *c)).map(|(_, c)| c.value.as_str()).collect();
        select(id, &label(d), Some(t("insight.form.all")), &options, &chosen)
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
                        legend { (t("insight.form.which")) }
                        @let choices: Vec<(String, String)> = question_options.iter().filter(|(id, _)| schema.dimension(id).is_some()).cloned().collect();
                        (select("row", t("insight.form.rows"), None, &choices, &[schema.dimensions[*rows].id.as_str()]))
                        @let columns_list: Vec<(String, String)> = choices.iter().cloned().chain(std::iter::once((LANG.to_string(), t("insight.form.language").to_string()))).collect();
                        (select("col", t("insight.form.columns"), None, &columns_list, &[schema.dimensions[*columns].id.as_str()]))
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
                        legend { (t("insight.form.what")) }
                        (select("question", t("insight.form.question"), None, &question_options, &[question.as_str()]))
                        @let by_options: Vec<(String, String)> = std::iter::once(("none".to_string(), t("insight.form.together").to_string()))
                            .chain(groupable.iter().cloned())
                            .chain(std::iter::once(("rounds".to_string(), t("insight.form.rounds_option").to_string())))
                            .collect();
                        (select("by", t("insight.form.by"), None, &by_options, &[by.as_str()]))
                    }
                    fieldset {
                        legend { (t("insight.form.rounds")) }
                        @let (a, b) = rounds.unwrap_or_default();
                        (month_input("a_from", t("insight.form.a_from"), a.from))
                        (month_input("a_to", t("insight.form.a_to"), a.to))
                        (month_input("b_from", t("insight.form.b_from"), b.from))
                        (month_input("b_to", t("insight.form.b_to"), b.to))
                    }
                }
            }
            fieldset.filter {
                legend { (t("insight.form.filter")) }
                @for filter in &filters { (filter) }
                (select(contract::ORGANISATION, t("insight.form.organisation"), Some(t("insight.form.all")), &organisations, &request.filter.organisation().into_iter().collect::<Vec<_>>()))
                // Several regions on one collector: one campaign, or all together (the national view).
                @if campaigns.len() > 1 {
                    (select("campaign", t("insight.form.campaign"), Some(t("insight.form.all_together")), &campaigns, &request.filter.campaign().into_iter().collect::<Vec<_>>()))
                }
                (month_input("from", t("insight.form.from"), request.filter.period.from))
                (month_input("to", t("insight.form.to"), request.filter.period.to))
            }
            p { button type="submit" { (t("insight.form.show")) } }
        }
    }
}

fn summary(d: &PublicDistribution, filter: &Filter, schema: &Schema) -> Markup {
    html! {
        p {
            (t_with("insight.summary", &[("filter", &filter.describe_in(schema, lang())), ("stories", &d.groups[0].stories), ("k", &d.min_cell)]))
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
            caption { (t_with("insight.table.caption", &[("title", &title)])) }
            thead {
                tr {
                    th scope="col" { (t("insight.table.answer")) }
                    @for group in &d.groups { th scope="col" { (pick(&group.label)) " (n = " (group.stories) ")" } }
                }
            }
            tbody {
                @for (c, category) in d.categories.iter().enumerate() {
                    tr {
                        th scope="row" { (pick(&category.label)) }
                        @for group in &d.groups { td { (cell_link(&group.cells[c])) } }
                    }
                }
                @if d.kind == "slider" {
                    tr {
                        th scope="row" { (t("insight.table.not_applicable")) }
                        @for group in &d.groups {
                            td { @if let Some(cell) = &group.not_applicable { (cell_link(cell)) } }
                        }
                    }
                    tr {
                        th scope="row" { (t("insight.table.median")) }
                        @for group in &d.groups { td { (group.median.map_or("–".to_string(), |m| m.to_string())) } }
                    }
                }
            }
        }
    }
}

/// `p` with three decimals (a decimal comma in Dutch), but never "p = 0,050" beside
/// "unlikely to be chance".
fn p_value(p: f64) -> String {
    match p {
        p if p < 0.001 => format!("p < {}", decimal(0.001, 3)),
        p if p < 0.05 && format!("{p:.3}") == "0.050" => format!("p < {}", decimal(0.05, 2)),
        p => format!("p = {}", decimal(p, 3)),
    }
}

/// A cross-tab as a table with its test (the page and the work-session report).
pub fn cross_table(table: &PublicCrossTab) -> Markup {
    html! {
        table.crosstab {
            caption { (t("insight.crosstab.caption")) }
            thead {
                tr {
                    th scope="col" { (pick(&table.row_label).trim_end_matches('…')) }
                    @for column in &table.columns { th scope="col" { (pick(&column.label)) } }
                    th scope="col" { (t("insight.crosstab.total")) }
                }
            }
            tbody {
                @for row in &table.rows {
                    tr {
                        th scope="row" { (pick(&row.label)) }
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
                    th scope="row" { (t("insight.crosstab.total")) }
                    @for total in &table.column_totals { td { (total) } }
                    td { (table.total) }
                }
            }
        }
        @match &table.test {
            Some(test) => p.test {
                strong { (pick(&test.note)) }
                (t_with("insight.test.figures", &[("chi2", &decimal(test.statistic, 1)), ("df", &test.df), ("p", &p_value(test.p))]))
            },
            None => p.test { (t("insight.test.too_few")) },
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
            (t("insight.downloads"))
            a href=(with("csv")) download { (t("insight.downloads.csv")) }
            @if svg {
                " · "
                a href=(with("svg")) download { (t("insight.downloads.svg")) }
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
    fn a_label_in_a_sentence_is_lower_case_but_i_in_english() {
        use crate::words::{Language, Scope, within};
        assert_eq!(in_a_sentence("Ik vertel dit als"), "ik vertel dit als");
        let english = Scope { language: Language::English, here: None };
        assert_eq!(within(english.clone(), || in_a_sentence("How old is the child?")), "how old is the child?");
        assert_eq!(within(english.clone(), || in_a_sentence("I am telling this as")), "I am telling this as");
        assert_eq!(within(english, || in_a_sentence("Ideas")), "ideas");
    }

    #[test]
    fn the_frame_escapes_and_the_bad_address_page_alerts() {
        let page = bad_address("<b>x</b>").into_string();
        assert!(page.contains("<p role=\"alert\">Er klopt iets niet in het adres: &lt;b&gt;x&lt;/b&gt;</p>"), "{page}");
        assert!(page.contains("<title>Inzicht — Storypoint</title>") && page.contains("<main id=\"main\">"), "{page}");
    }
}
