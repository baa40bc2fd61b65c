//! Pearson's χ² test of independence for a cross-tab, with a verdict in plain words.
use storypoint_core::Text;

/// The result of a χ² test of independence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChiSquare {
    /// The χ² statistic.
    pub statistic: f64,
    /// Degrees of freedom: (rows − 1) × (columns − 1), counting only rows and columns with
    /// stories.
    pub df: u32,
    /// The chance of a difference at least this large if the two questions were unrelated.
    pub p: f64,
    /// Whether the test can be trusted here (Cochran's rule: no expected count below 1 and
    /// at most a fifth below 5).
    pub reliable: bool,
}

/// What a coordinator may conclude from a [`ChiSquare`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// p < 0.05 and the test is reliable: the difference is unlikely to be chance.
    UnlikelyChance,
    /// p ≥ 0.05: the difference may well be chance.
    CouldBeChance,
    /// Too few stories (or too many small cells) for the test to say anything.
    TooFew,
}

impl ChiSquare {
    /// What may be concluded.
    pub fn verdict(&self) -> Verdict {
        if !self.reliable {
            Verdict::TooFew
        } else if self.p < 0.05 {
            Verdict::UnlikelyChance
        } else {
            Verdict::CouldBeChance
        }
    }
}

impl Verdict {
    /// The verdict in plain words (Dutch at B1 level, and English).
    pub fn note(self) -> Text {
        match self {
            Verdict::UnlikelyChance => Text::new(
                "Dit verschil komt waarschijnlijk niet door toeval. Lees de verhalen om te zien wat erachter zit.",
                "This difference is unlikely to be chance. Read the stories to see what is behind it.",
            ),
            Verdict::CouldBeChance => Text::new(
                "Dit verschil kan goed toeval zijn. Trek er nog geen conclusie uit.",
                "This difference may well be chance. Do not draw a conclusion from it yet.",
            ),
            Verdict::TooFew => Text::new(
                "Er zijn te weinig verhalen om te zeggen of dit verschil toeval is.",
                "There are too few stories to say whether this difference is chance.",
            ),
        }
    }
}

/// The χ² test of independence of a table of counts (rows × columns). Rows and columns
/// without stories are left out; `None` when fewer than two of either remain.
pub fn chi_square(counts: &[Vec<u32>]) -> Option<ChiSquare> {
    let columns = counts.first().map_or(0, Vec::len);
    let row_totals: Vec<f64> = counts.iter().map(|row| row.iter().map(|&n| f64::from(n)).sum()).collect();
    let column_totals: Vec<f64> = (0..columns).map(|c| counts.iter().map(|row| f64::from(row.get(c).copied().unwrap_or(0))).sum()).collect();
    let rows: Vec<usize> = (0..counts.len()).filter(|&r| row_totals[r] > 0.0).collect();
    let cols: Vec<usize> = (0..columns).filter(|&c| column_totals[c] > 0.0).collect();
    if rows.len() < 2 || cols.len() < 2 {
        return None;
    }
    let total: f64 = row_totals.iter().sum();
    let (mut statistic, mut below_five, mut below_one) = (0.0, 0usize, false);
    for &r in &rows {
        for &c in &cols {
            let expected = row_totals[r] * column_totals[c] / total;
            let observed = f64::from(counts[r][c]);
            statistic += (observed - expected).powi(2) / expected;
            below_five += usize::from(expected < 5.0);
            below_one |= expected < 1.0;
        }
    }
    let df = ((rows.len() - 1) * (cols.len() - 1)) as u32;
    let p = puruspe::gammq(f64::from(df) / 2.0, statistic / 2.0).clamp(0.0, 1.0);
    let reliable = !below_one && below_five * 5 <= rows.len() * cols.len();
    Some(ChiSquare { statistic, df, p, reliable })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_textbook_table() {
        // 2×2: [[20, 30], [30, 20]] → χ² = 4.0, df 1, p ≈ 0.0455.
        let test = chi_square(&[vec![20, 30], vec![30, 20]]).unwrap();
        assert!((test.statistic - 4.0).abs() < 1e-9);
        assert_eq!(test.df, 1);
        assert!((test.p - 0.0455).abs() < 1e-3, "p = {}", test.p);
        assert_eq!(test.verdict(), Verdict::UnlikelyChance);
    }

    #[test]
    fn independent_counts_could_be_chance() {
        let test = chi_square(&[vec![10, 20, 30], vec![20, 40, 60]]).unwrap();
        assert!(test.statistic.abs() < 1e-9);
        assert_eq!(test.df, 2);
        assert!((test.p - 1.0).abs() < 1e-9);
        assert_eq!(test.verdict(), Verdict::CouldBeChance);
    }

    #[test]
    fn small_tables_are_too_few_and_empty_ones_have_no_test() {
        assert_eq!(chi_square(&[vec![1, 2], vec![3, 1]]).unwrap().verdict(), Verdict::TooFew);
        assert!(chi_square(&[vec![5, 0], vec![7, 0]]).is_none(), "one column with stories");
        assert!(chi_square(&[]).is_none());
    }
}
