//! Exact aggregates. They never leave the server as they are: [`crate::Disclosure`] turns
//! them into what may be shown.
use storypoint_core::Text;

use crate::dataset::{Category, Dataset, SCALE_NA, SCALE_NONE};
use crate::filter::{Filter, Period};

/// Slider answers are counted in ten bins: 0–9, 10–19, …, 90–100.
pub const SCALE_BINS: usize = 10;

/// What a distribution counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// A choice question (or the language): stories per category.
    Choice(usize),
    /// A slider: stories per bin, "does not apply", and the median.
    Scale(usize),
}

/// How a distribution is split into groups shown side by side. The first group is always
/// every story that passes the filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// One group: all stories.
    All,
    /// A group per category of this dimension (e.g. per perspective).
    By(usize),
    /// Two rounds (periods) compared, e.g. last year's campaign against this year's.
    Rounds(Period, Period),
}

/// A distribution view: what is counted, split how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistributionView {
    /// What is counted.
    pub measure: Measure,
    /// How it is split.
    pub grouping: Grouping,
}

/// One group of a [`Distribution`] with exact counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// `all`, a category value, or `a` / `b` for rounds.
    pub key: String,
    /// How the group is called.
    pub label: Text,
    /// Stories in the group.
    pub stories: u32,
    /// Stories per category (or per slider bin).
    pub cells: Vec<u32>,
    /// Slider answered "does not apply".
    pub not_applicable: u32,
    /// Stories in the group that did not answer.
    pub unanswered: u32,
    /// Slider answers per value 0–100 (for the median); empty for choices.
    pub values: Vec<u32>,
}

impl Group {
    /// The median slider value, when there is one.
    pub fn median(&self) -> Option<u8> {
        let n: u32 = self.values.iter().sum();
        if n == 0 {
            return None;
        }
        let (mut seen, half) = (0, n.div_ceil(2));
        self.values
            .iter()
            .position(|&count| {
                seen += count;
                seen >= half
            })
            .map(|v| v as u8)
    }
}

/// The exact distribution of a measure, per group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    /// The view it answers.
    pub view: DistributionView,
    /// The cells: a measure's categories, or the slider bins (`0-9` … `90-100`).
    pub cells: Vec<Category>,
    /// The groups; the first is all stories.
    pub groups: Vec<Group>,
}

/// A cross-tab of two choice questions, with exact counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossTab {
    /// The row dimension.
    pub rows: usize,
    /// The column dimension.
    pub columns: usize,
    /// Stories per row category and column category (answered both).
    pub counts: Vec<Vec<u32>>,
}

/// The groups a story belongs to besides "all" (index 1 = the grouping's first group).
fn groups_of(data: &Dataset, grouping: &Grouping, row: usize, mut each: impl FnMut(usize)) {
    match grouping {
        Grouping::All => {}
        Grouping::By(dimension) => {
            let mut bits = data.choice(row, *dimension);
            while bits != 0 {
                each(bits.trailing_zeros() as usize + 1);
                bits &= bits - 1;
            }
        }
        Grouping::Rounds(a, b) => {
            let month = data.months[row];
            if a.contains(month) {
                each(1);
            }
            if b.contains(month) {
                each(2);
            }
        }
    }
}

/// The cells of `measure`: its categories or the slider bins.
fn cells_of(data: &Dataset, measure: Measure) -> Vec<Category> {
    match measure {
        Measure::Choice(d) => data.schema.dimensions[d].categories.clone(),
        Measure::Scale(_) => (0..SCALE_BINS)
            .map(|bin| {
                let (low, high) = (bin * 10, if bin + 1 == SCALE_BINS { 100 } else { bin * 10 + 9 });
                let key = format!("{low}-{high}");
                Category { label: Text::new(&key.replace('-', "–"), &key.replace('-', "–")), value: key }
            })
            .collect(),
    }
}

/// The slider bin of a value 0–100.
fn bin(value: u8) -> usize {
    (usize::from(value) / 10).min(SCALE_BINS - 1)
}

/// The exact distribution of `view` over the stories that pass `filter`.
pub fn distribution(data: &Dataset, filter: &Filter, view: &DistributionView) -> Distribution {
    let cells = cells_of(data, view.measure);
    let mut groups = vec![Group {
        key: "all".into(),
        label: Text::new("Alle verhalen", "All stories"),
        stories: 0,
        cells: vec![0; cells.len()],
        not_applicable: 0,
        unanswered: 0,
        values: if matches!(view.measure, Measure::Scale(_)) { vec![0; 101] } else { Vec::new() },
    }];
    let template = groups[0].clone();
    match &view.grouping {
        Grouping::All => {}
        Grouping::By(d) => {
            groups.extend(data.schema.dimensions[*d].categories.iter().map(|c| Group { key: c.value.clone(), label: c.label.clone(), ..template.clone() }))
        }
        Grouping::Rounds(a, b) => {
            for (key, period) in [("a", a), ("b", b)] {
                let label = period.label();
                groups.push(Group {
                    key: key.into(),
                    label: Text::new(&format!("Ronde {}: {label}", key.to_uppercase()), &format!("Round {}: {label}", key.to_uppercase())),
                    ..template.clone()
                });
            }
        }
    }
    let compiled = filter.compile(data);
    let mut targets = Vec::with_capacity(4);
    for row in 0..data.len() {
        if !compiled.matches(data, row) {
            continue;
        }
        targets.clear();
        targets.push(0);
        groups_of(data, &view.grouping, row, |g| targets.push(g));
        for &g in &targets {
            let group = &mut groups[g];
            group.stories += 1;
            match view.measure {
                Measure::Choice(d) => {
                    let mut bits = data.choice(row, d);
                    if bits == 0 {
                        group.unanswered += 1;
                    }
                    while bits != 0 {
                        group.cells[bits.trailing_zeros() as usize] += 1;
                        bits &= bits - 1;
                    }
                }
                Measure::Scale(s) => match data.scale(row, s) {
                    SCALE_NONE => group.unanswered += 1,
                    SCALE_NA => group.not_applicable += 1,
                    value => {
                        group.cells[bin(value)] += 1;
                        group.values[usize::from(value)] += 1;
                    }
                },
            }
        }
    }
    Distribution { view: view.clone(), cells, groups }
}

/// The exact cross-tab of two choice questions over the stories that pass `filter`.
pub fn cross_tab(data: &Dataset, filter: &Filter, rows: usize, columns: usize) -> CrossTab {
    let (r, c) = (data.schema.dimensions[rows].categories.len(), data.schema.dimensions[columns].categories.len());
    let mut counts = vec![vec![0u32; c]; r];
    let compiled = filter.compile(data);
    for row in 0..data.len() {
        if !compiled.matches(data, row) {
            continue;
        }
        let (mut row_bits, column_bits) = (data.choice(row, rows), data.choice(row, columns));
        while row_bits != 0 {
            let i = row_bits.trailing_zeros() as usize;
            let mut bits = column_bits;
            while bits != 0 {
                counts[i][bits.trailing_zeros() as usize] += 1;
                bits &= bits - 1;
            }
            row_bits &= row_bits - 1;
        }
    }
    CrossTab { rows, columns, counts }
}

/// The rows of the stories in one cell of a distribution: cell `cell` (a category or
/// slider bin; `cells.len()` means "does not apply") of group `group` (0 = all).
pub fn members(data: &Dataset, filter: &Filter, view: &DistributionView, cell: usize, group: usize) -> Vec<usize> {
    let compiled = filter.compile(data);
    let mut found = Vec::new();
    for row in 0..data.len() {
        if !compiled.matches(data, row) {
            continue;
        }
        let in_group = group == 0 || {
            let mut hit = false;
            groups_of(data, &view.grouping, row, |g| hit |= g == group);
            hit
        };
        let in_cell = match view.measure {
            Measure::Choice(d) => cell < 64 && data.choice(row, d) & (1 << cell) != 0,
            Measure::Scale(s) => match data.scale(row, s) {
                SCALE_NONE => false,
                SCALE_NA => cell == SCALE_BINS,
                value => bin(value) == cell,
            },
        };
        if in_group && in_cell {
            found.push(row);
        }
    }
    found
}
