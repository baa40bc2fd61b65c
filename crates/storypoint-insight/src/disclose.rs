//! Small-cell suppression: the only way aggregates leave the server; the stories behind a
//! bar leave through [`Disclosure::listing`] (`disclose/listing.rs`).
use serde::Serialize;
use storypoint_core::{NOT_APPLICABLE, Text};

use crate::InsightError;
use crate::chi::{Verdict, chi_square};
use crate::dataset::{Category, Dataset};
use crate::filter::Filter;
use crate::query::{encode, view_pairs};
use crate::view::{CrossTab, Distribution, DistributionView, Grouping, Measure};

mod listing;
pub use listing::{ListedStory, Listing, ShownFact, ShownTeller, StoryAnswer};

/// The smallest threshold allowed: below 3, a count of 1 or 2 could be a known person.
const LOWEST_THRESHOLD: u32 = 3;

/// The disclosure rules with threshold *k* (see the crate docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disclosure {
    k: u32,
}

/// A count as it may be shown: "< k", or rounded to a multiple of *k* (at least *k*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// From 0 to k − 1 stories.
    FewerThan(u32),
    /// About this many (a multiple of *k*).
    About(u32),
}

impl Shown {
    /// The rounded number, unless it is "< k".
    pub fn value(self) -> Option<u32> {
        match self {
            Shown::FewerThan(_) => None,
            Shown::About(n) => Some(n),
        }
    }
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::FewerThan(k) => write!(f, "< {k}"),
            Shown::About(n) => write!(f, "{n}"),
        }
    }
}

/// A number, or the string `"< 5"`.
impl Serialize for Shown {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Shown::About(n) => serializer.serialize_u32(*n),
            Shown::FewerThan(_) => serializer.collect_str(self),
        }
    }
}

/// One bar or table cell as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicCell {
    /// The count.
    pub count: Shown,
    /// Its share of the group's (or row's) answers in whole percent, from the shown counts;
    /// absent when either is "< k".
    pub percent: Option<u32>,
    /// The query string that lists the stories behind it; absent when the cell is too small
    /// to list.
    pub stories_query: Option<String>,
}

/// One option of a question, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicCategory {
    /// The stored value.
    pub value: String,
    /// Its label.
    pub label: Text,
}

impl From<&Category> for PublicCategory {
    fn from(category: &Category) -> PublicCategory {
        PublicCategory { value: category.value.clone(), label: category.label.clone() }
    }
}

/// One group of a distribution, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicGroup {
    /// `all`, a category value, or `a` / `b` for rounds.
    pub key: String,
    /// Its label.
    pub label: Text,
    /// Stories in the group.
    pub stories: Shown,
    /// Stories in the group that answered (for sliders: "does not apply" included).
    pub answered: Shown,
    /// One per category or slider bin.
    pub cells: Vec<PublicCell>,
    /// Sliders only: "does not apply".
    pub not_applicable: Option<PublicCell>,
    /// Sliders only: the median from the shown bins (the middle of its bin: 5, 15, … 95),
    /// when at least *k* answers are shown.
    pub median: Option<u32>,
}

/// A distribution as shown: safe to send to a browser.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicDistribution {
    /// The question id.
    pub question: String,
    /// The question.
    pub label: Text,
    /// `choice` or `slider`.
    pub kind: &'static str,
    /// What it is split by: a question id, `rounds` or `none`.
    pub by: String,
    /// The threshold *k*.
    pub min_cell: u32,
    /// The bars: categories or slider bins.
    pub categories: Vec<PublicCategory>,
    /// The groups side by side; the first is all stories.
    pub groups: Vec<PublicGroup>,
}

/// One row of a cross-tab, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicRow {
    /// The row's category value.
    pub value: String,
    /// Its label.
    pub label: Text,
    /// Stories in the row (answered both questions).
    pub total: Shown,
    /// One per column; percentages are row percentages.
    pub cells: Vec<PublicCell>,
}

/// The χ² test as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicTest {
    /// χ², to one decimal.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: u32,
    /// The p-value, to three decimals.
    pub p: f64,
    /// What may be concluded.
    pub verdict: Verdict,
    /// The conclusion in plain words.
    pub note: Text,
}

/// A cross-tab as shown: safe to send to a browser.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicCrossTab {
    /// The row question id.
    pub row: String,
    /// The row question.
    pub row_label: Text,
    /// The column question id.
    pub col: String,
    /// The column question.
    pub col_label: Text,
    /// The threshold *k*.
    pub min_cell: u32,
    /// The column categories.
    pub columns: Vec<PublicCategory>,
    /// The rows.
    pub rows: Vec<PublicRow>,
    /// Stories per column.
    pub column_totals: Vec<Shown>,
    /// Stories that answered both.
    pub total: Shown,
    /// The test of independence, when the table allows one.
    pub test: Option<PublicTest>,
}

impl Disclosure {
    /// Rules with threshold `k` (at least 3; 5 is the default of the collector).
    pub fn new(k: u32) -> Result<Disclosure, InsightError> {
        if k < LOWEST_THRESHOLD {
            return Err(InsightError::ThresholdTooLow(k));
        }
        Ok(Disclosure { k })
    }

    /// The threshold *k*.
    pub fn min_cell(self) -> u32 {
        self.k
    }

    /// How a count is shown: "< k" below *k*, else the nearest multiple of *k*.
    pub fn show(self, n: u32) -> Shown {
        if n < self.k { Shown::FewerThan(self.k) } else { Shown::About((n + self.k / 2) / self.k * self.k) }
    }

    /// A share in whole percent, from shown counts only.
    fn percent(self, part: Shown, whole: Shown) -> Option<u32> {
        match (part.value(), whole.value()) {
            (Some(part), Some(whole)) if whole > 0 => Some((part * 100 + whole / 2) / whole),
            _ => None,
        }
    }

    fn cell(self, n: u32, whole: Shown, stories: impl FnOnce() -> String) -> PublicCell {
        let count = self.show(n);
        PublicCell { count, percent: self.percent(count, whole), stories_query: (n >= self.k).then(stories) }
    }

    /// A distribution as it may be shown. Percentages are of the group's answers.
    pub fn distribution(self, data: &Dataset, exact: &Distribution, filter: &Filter) -> PublicDistribution {
        let schema = data.schema();
        let (question, label, kind) = match exact.view.measure {
            Measure::Choice(d) => (&schema.dimensions[d].id, &schema.dimensions[d].label, "choice"),
            Measure::Scale(s) => (&schema.scales[s].id, &schema.scales[s].label, "slider"),
        };
        let by = match &exact.view.grouping {
            Grouping::All => "none".to_string(),
            Grouping::By(d) => schema.dimensions[*d].id.clone(),
            Grouping::Rounds(..) => "rounds".to_string(),
        };
        let groups = exact
            .groups
            .iter()
            .map(|group| {
                let answered = self.show(group.stories - group.unanswered);
                let link = |value: &str| stories_query(data, filter, &exact.view, value, &group.key);
                let cells = group.cells.iter().zip(&exact.cells).map(|(&n, category)| self.cell(n, answered, || link(&category.value))).collect();
                let is_scale = matches!(exact.view.measure, Measure::Scale(_));
                PublicGroup {
                    key: group.key.clone(),
                    label: group.label.clone(),
                    stories: self.show(group.stories),
                    answered,
                    cells,
                    not_applicable: is_scale.then(|| self.cell(group.not_applicable, answered, || link(NOT_APPLICABLE))),
                    median: if is_scale { self.binned_median(&group.cells) } else { None },
                }
            })
            .collect();
        PublicDistribution {
            question: question.clone(),
            label: label.clone(),
            kind,
            by,
            min_cell: self.k,
            categories: exact.cells.iter().map(PublicCategory::from).collect(),
            groups,
        }
    }

    /// The median of a slider group from its shown bins only: the middle of the bin where
    /// half of the shown answers are reached (5, 15, … 95); none when fewer than k are shown.
    /// (From the exact values, a group of exactly k would show one teller's own answer.)
    fn binned_median(self, bins: &[u32]) -> Option<u32> {
        let shown: Vec<u32> = bins.iter().map(|&n| self.show(n).value().unwrap_or(0)).collect();
        let total: u32 = shown.iter().sum();
        if total < self.k {
            return None;
        }
        let mut seen = 0;
        let bin = shown.iter().position(|&n| {
            seen += n;
            seen * 2 >= total
        })?;
        Some(bin as u32 * 10 + 5)
    }

    /// A cross-tab as it may be shown. Percentages are row percentages.
    pub fn cross_tab(self, data: &Dataset, exact: &CrossTab, filter: &Filter) -> PublicCrossTab {
        let schema = data.schema();
        let (rows, columns) = (&schema.dimensions[exact.rows], &schema.dimensions[exact.columns]);
        let view = DistributionView { measure: Measure::Choice(exact.rows), grouping: Grouping::By(exact.columns) };
        let public_rows = exact
            .counts
            .iter()
            .zip(&rows.categories)
            .map(|(counts, category)| {
                let total = self.show(counts.iter().sum());
                PublicRow {
                    value: category.value.clone(),
                    label: category.label.clone(),
                    total,
                    cells: counts
                        .iter()
                        .zip(&columns.categories)
                        .map(|(&n, column)| self.cell(n, total, || stories_query(data, filter, &view, &category.value, &column.value)))
                        .collect(),
                }
            })
            .collect();
        let column_totals = (0..columns.categories.len()).map(|c| self.show(exact.counts.iter().map(|row| row[c]).sum())).collect();
        let shown_counts: Vec<Vec<u32>> = exact.counts.iter().map(|row| row.iter().map(|&n| self.show(n).value().unwrap_or(0)).collect()).collect();
        PublicCrossTab {
            row: rows.id.clone(),
            row_label: rows.label.clone(),
            col: columns.id.clone(),
            col_label: columns.label.clone(),
            min_cell: self.k,
            columns: columns.categories.iter().map(PublicCategory::from).collect(),
            rows: public_rows,
            column_totals,
            total: self.show(exact.counts.iter().flatten().sum()),
            // The test sees only what is shown (a "< k" cell counts as 0): from exact counts,
            // χ² to one decimal would give a hidden small count away.
            test: chi_square(&shown_counts).map(|test| PublicTest {
                statistic: (test.statistic * 10.0).round() / 10.0,
                df: test.df,
                p: (test.p * 1000.0).round() / 1000.0,
                verdict: test.verdict(),
                note: test.verdict().note(),
            }),
        }
    }
}

/// The query string that lists the stories of one cell: `view=stories`, the view, the cell,
/// the group and the filter.
pub(crate) fn stories_query(data: &Dataset, filter: &Filter, view: &DistributionView, value: &str, group: &str) -> String {
    let mut pairs = vec![("view".to_string(), "stories".to_string())];
    pairs.extend(view_pairs(data.schema(), view));
    pairs.push(("value".into(), value.into()));
    pairs.push(("group".into(), group.into()));
    pairs.extend(filter.pairs(data.schema()));
    encode(&pairs)
}
