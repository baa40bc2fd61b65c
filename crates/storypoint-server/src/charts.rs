//! Charts' numbers as tables for spreadsheets (CSV), drawn from disclosed aggregates only.
//! The charts themselves are SVG templates in [`crate::pages::charts`] (re-exported here).
use storypoint_insight::{PublicCrossTab, PublicDistribution};

pub use crate::pages::charts::{colour, count_text, distribution, distribution_svg};

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
