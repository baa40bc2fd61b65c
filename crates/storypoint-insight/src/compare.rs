//! The tests of the work session's patterns, each as `scipy.stats` computes it:
//!
//! * a slider against a choice question: [`mann_whitney`] for each pair of answers
//!   (`scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)`: two-sided,
//!   normal approximation with tie and continuity correction) and [`kruskal_wallis`] across
//!   all answers (`scipy.stats.kruskal`: tie-corrected H, p from χ² with k − 1 degrees of
//!   freedom);
//! * two sliders: [`spearman`]'s rho with p from Student's t with n − 2 degrees of freedom
//!   (`scipy.stats.spearmanr`);
//! * two choice questions: Pearson's χ² ([`crate::chi_square`]) with Cramér's V as the size
//!   of the difference ([`association`]; `scipy.stats.chi2_contingency(table,
//!   correction=False)` and `scipy.stats.contingency.association(table, method="cramer")`);
//! * many tests at once: [`holm`]'s step-down correction of their p-values.
//!
//! # How big a difference is
//!
//! Each test carries an effect size, and a *strength* on one scale from 0 to 1 so that the
//! overview ([`crate::standouts`]) can rank different tests against each other:
//!
//! * Kruskal–Wallis: ε² = H / (N − 1) (Tomczak & Tomczak 2014). With the tie-corrected H this
//!   is exactly η² of the ranks (the share of the ranks' variance between the groups); its
//!   square root, the strength, is the correlation between the ranks and the groups;
//! * Mann–Whitney: the rank-biserial correlation r = (U₁ − U₂) / (n₁ n₂), from −1 to 1
//!   (positive: the first group answers higher); strength |r|;
//! * Spearman: rho itself; strength |rho|;
//! * χ²: Cramér's V = √(χ² / (N (min(r, c) − 1))); strength V.
//!
//! All four are correlations (or, for V with more than two rows and columns, read as one),
//! so the usual words apply to each: below 0.1 very small, 0.1 small, 0.3 medium, 0.5 large
//! (Cohen 1988) — see [`Size`].
//!
//! These functions take exact values and return exact results, which are not serialisable:
//! what may be shown of them is decided in [`crate::standouts`].
use puruspe::{betai, erfc, gammq};
use storypoint_core::Text;

use crate::chi::{Verdict, chi_square};
use crate::rank::{RankSums, average_ranks, rank_sums, tally};

/// The p-value below which a difference is called unlikely to be chance.
pub const ALPHA: f64 = 0.05;

/// The Mann–Whitney U test of two groups.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MannWhitney {
    /// U of the first group: the pairs in which its value is the higher, ties counting half
    /// (`scipy`'s `statistic`).
    pub u: f64,
    /// Two-sided p (normal approximation, tie and continuity corrected).
    pub p: f64,
    /// The rank-biserial correlation (U₁ − U₂) / (n₁ n₂): positive when the first group
    /// tends to answer higher.
    pub rank_biserial: f64,
    /// Values in the first group.
    pub n1: u64,
    /// Values in the second group.
    pub n2: u64,
}

/// The Kruskal–Wallis H test of several groups.
#[derive(Clone, Debug, PartialEq)]
pub struct KruskalWallis {
    /// H, tie-corrected.
    pub h: f64,
    /// Degrees of freedom: groups − 1.
    pub df: u32,
    /// p from χ² with `df` degrees of freedom.
    pub p: f64,
    /// ε² = H / (N − 1), the share of the ranks' variance between the groups.
    pub epsilon_squared: f64,
    /// Each group's mean rank (in the order given): which answers higher.
    pub mean_ranks: Vec<f64>,
    /// All values.
    pub n: u64,
}

/// Spearman's rank correlation of two paired samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spearman {
    /// rho, from −1 to 1.
    pub rho: f64,
    /// Two-sided p from Student's t with n − 2 degrees of freedom.
    pub p: f64,
    /// Pairs.
    pub n: u64,
}

/// The χ² test of a table with Cramér's V.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Association {
    /// χ² (no continuity correction).
    pub chi2: f64,
    /// Degrees of freedom: (rows − 1) × (columns − 1), counting rows and columns with stories.
    pub df: u32,
    /// p from χ² with `df` degrees of freedom.
    pub p: f64,
    /// Cramér's V, from 0 (independent) to 1.
    pub cramers_v: f64,
    /// Whether χ² may be trusted here (Cochran's rule, as [`crate::ChiSquare`]).
    pub reliable: bool,
    /// Stories in the table.
    pub n: u64,
}

/// How big a difference is, in words, from a strength between 0 and 1 (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    /// Below 0.1.
    VerySmall,
    /// 0.1 to 0.3.
    Small,
    /// 0.3 to 0.5.
    Medium,
    /// 0.5 and more.
    Large,
}

impl Size {
    /// The size of a strength (|r|, |rho|, V or √ε²).
    pub fn of(strength: f64) -> Size {
        match strength.abs() {
            s if s >= 0.5 => Size::Large,
            s if s >= 0.3 => Size::Medium,
            s if s >= 0.1 => Size::Small,
            _ => Size::VerySmall,
        }
    }

    /// "een klein verschil", in plain words (Dutch, and English).
    pub fn words(self) -> Text {
        match self {
            Size::VerySmall => Text::new("heel klein", "very small"),
            Size::Small => Text::new("klein", "small"),
            Size::Medium => Text::new("middelgroot", "medium"),
            Size::Large => Text::new("groot", "large"),
        }
    }
}

fn verdict(p: f64) -> Verdict {
    if p < ALPHA { Verdict::UnlikelyChance } else { Verdict::CouldBeChance }
}

impl MannWhitney {
    /// What may be concluded (its [`Verdict::note`] says it in plain words).
    pub fn verdict(&self) -> Verdict {
        verdict(self.p)
    }
}

impl KruskalWallis {
    /// What may be concluded.
    pub fn verdict(&self) -> Verdict {
        verdict(self.p)
    }

    /// √ε²: the correlation between the ranks and the groups.
    pub fn strength(&self) -> f64 {
        self.epsilon_squared.max(0.0).sqrt()
    }
}

impl Spearman {
    /// What may be concluded.
    pub fn verdict(&self) -> Verdict {
        verdict(self.p)
    }
}

impl Association {
    /// What may be concluded: too few when χ² cannot be trusted.
    pub fn verdict(&self) -> Verdict {
        if self.reliable { verdict(self.p) } else { Verdict::TooFew }
    }
}

/// `scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)`. `None` when
/// either sample is empty. When every value is the same, p is 1.
pub fn mann_whitney(x: &[f64], y: &[f64]) -> Option<MannWhitney> {
    let counts = tally(&[x, y]);
    mann_whitney_tallied(&counts[0], &counts[1])
}

/// Mann–Whitney from two tallies over the same distinct values (see [`crate::rank`]).
pub(crate) fn mann_whitney_tallied(x: &[u32], y: &[u32]) -> Option<MannWhitney> {
    let ranks = rank_sums(&[x, y]);
    let (n1, n2) = (ranks.sizes[0], ranks.sizes[1]);
    if n1 == 0.0 || n2 == 0.0 {
        return None;
    }
    let n = n1 + n2;
    let u1 = ranks.sums[0] - n1 * (n1 + 1.0) / 2.0;
    let u2 = n1 * n2 - u1;
    // Two-sided: the larger U, less half a step (continuity), in standard deviations.
    let mu = n1 * n2 / 2.0;
    let sigma = (n1 * n2 / 12.0 * ((n + 1.0) - ranks.ties / (n * (n - 1.0)))).sqrt();
    let p = if sigma > 0.0 {
        let z = (u1.max(u2) - mu - 0.5) / sigma;
        // 2 × the normal upper tail at z.
        erfc(z / std::f64::consts::SQRT_2).clamp(0.0, 1.0)
    } else {
        1.0
    };
    Some(MannWhitney { u: u1, p, rank_biserial: (u1 - u2) / (n1 * n2), n1: n1 as u64, n2: n2 as u64 })
}

/// `scipy.stats.kruskal(*groups)`. `None` with fewer than two groups that hold values, or
/// when every value is the same (scipy: NaN).
pub fn kruskal_wallis(groups: &[&[f64]]) -> Option<KruskalWallis> {
    let counts = tally(groups);
    let borrowed: Vec<&[u32]> = counts.iter().map(Vec::as_slice).collect();
    kruskal_wallis_tallied(&borrowed)
}

/// Kruskal–Wallis from tallies over the same distinct values. Empty groups are not counted
/// (they add no degree of freedom); their mean rank is NaN.
pub(crate) fn kruskal_wallis_tallied(groups: &[&[u32]]) -> Option<KruskalWallis> {
    let ranks: RankSums = rank_sums(groups);
    let k = ranks.sizes.iter().filter(|&&n| n > 0.0).count();
    let n = ranks.n;
    if k < 2 {
        return None;
    }
    let correction = 1.0 - ranks.ties / (n * n * n - n);
    if correction <= 0.0 {
        return None;
    }
    // 12 / (N (N + 1)) × Σ nᵢ (R̄ᵢ − (N + 1) / 2)², centred so that 100,000 values lose no digits.
    let middle = (n + 1.0) / 2.0;
    let between: f64 = ranks.sums.iter().zip(&ranks.sizes).filter(|(_, n)| **n > 0.0).map(|(sum, size)| size * (sum / size - middle).powi(2)).sum();
    let h = 12.0 / (n * (n + 1.0)) * between / correction;
    let df = (k - 1) as u32;
    let p = gammq(f64::from(df) / 2.0, h / 2.0).clamp(0.0, 1.0);
    Some(KruskalWallis { h, df, p, epsilon_squared: h / (n - 1.0), mean_ranks: ranks.mean_ranks(), n: n as u64 })
}

/// `scipy.stats.spearmanr(x, y)`. `None` when the samples differ in length, hold fewer than
/// three pairs, or either is constant (scipy: NaN). Pairs with a NaN are left out.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<Spearman> {
    if x.len() != y.len() {
        return None;
    }
    let (x, y): (Vec<f64>, Vec<f64>) = x.iter().zip(y).filter(|(a, b)| !a.is_nan() && !b.is_nan()).map(|(a, b)| (*a, *b)).unzip();
    let (rx, ry) = (average_ranks(&x), average_ranks(&y));
    let n = x.len() as f64;
    let middle = (n + 1.0) / 2.0;
    let (mut xy, mut xx, mut yy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        let (a, b) = (a - middle, b - middle);
        xy += a * b;
        xx += a * a;
        yy += b * b;
    }
    spearman_from(n, xy, xx, yy)
}

/// Spearman from a joint tally: `joint[i * columns + j]` pairs have the *i*-th distinct x
/// and the *j*-th distinct y (both ascending).
pub(crate) fn spearman_tallied(joint: &[u32], columns: usize) -> Option<Spearman> {
    if columns == 0 {
        return None;
    }
    let rows = joint.len() / columns;
    let row_totals: Vec<u32> = (0..rows).map(|i| joint[i * columns..(i + 1) * columns].iter().sum()).collect();
    let column_totals: Vec<u32> = (0..columns).map(|j| (0..rows).map(|i| joint[i * columns + j]).sum()).collect();
    let n: f64 = row_totals.iter().map(|&t| f64::from(t)).sum();
    let middle = (n + 1.0) / 2.0;
    // The average rank at each distinct value, centred.
    let centred = |totals: &[u32]| -> Vec<f64> {
        let mut below = 0.0;
        totals
            .iter()
            .map(|&t| {
                let t = f64::from(t);
                let rank = below + (t + 1.0) / 2.0;
                below += t;
                rank - middle
            })
            .collect()
    };
    let (cx, cy) = (centred(&row_totals), centred(&column_totals));
    let xx: f64 = row_totals.iter().zip(&cx).map(|(&t, c)| f64::from(t) * c * c).sum();
    let yy: f64 = column_totals.iter().zip(&cy).map(|(&t, c)| f64::from(t) * c * c).sum();
    let mut xy = 0.0;
    for (i, a) in cx.iter().enumerate() {
        let row = &joint[i * columns..(i + 1) * columns];
        xy += a * row.iter().zip(&cy).map(|(&count, b)| f64::from(count) * b).sum::<f64>();
    }
    spearman_from(n, xy, xx, yy)
}

/// rho and its p from centred rank sums of squares and products.
fn spearman_from(n: f64, xy: f64, xx: f64, yy: f64) -> Option<Spearman> {
    if n < 3.0 || xx <= 0.0 || yy <= 0.0 {
        return None;
    }
    let rho = (xy / (xx * yy).sqrt()).clamp(-1.0, 1.0);
    let df = n - 2.0;
    // t = rho √(df / (1 − rho²)); two-sided p = I_{df / (df + t²)}(df / 2, 1 / 2).
    let p = if 1.0 - rho * rho <= 0.0 {
        0.0
    } else {
        let t2 = rho * rho * df / ((1.0 + rho) * (1.0 - rho));
        betai(df / 2.0, 0.5, (df / (df + t2)).clamp(0.0, 1.0)).clamp(0.0, 1.0)
    };
    Some(Spearman { rho, p, n: n as u64 })
}

/// χ² with Cramér's V for a table of counts (rows × columns); rows and columns without
/// stories are left out. `None` when fewer than two of either remain.
pub fn association(counts: &[Vec<u32>]) -> Option<Association> {
    let test = chi_square(counts)?;
    let columns = counts.first().map_or(0, Vec::len);
    let rows = counts.iter().filter(|row| row.iter().any(|&n| n > 0)).count();
    let cols = (0..columns).filter(|&c| counts.iter().any(|row| row.get(c).is_some_and(|&n| n > 0))).count();
    let n: u64 = counts.iter().flatten().map(|&n| u64::from(n)).sum();
    let smaller = rows.min(cols) as f64 - 1.0;
    let cramers_v = (test.statistic / (n as f64 * smaller)).max(0.0).sqrt().min(1.0);
    Some(Association { chi2: test.statistic, df: test.df, p: test.p, cramers_v, reliable: test.reliable, n })
}

/// Holm's step-down correction of `p` for the number of tests: the smallest p times m, the
/// next times m − 1, …, each at least the one before it, at most 1. The same order as `p`
/// (`statsmodels.stats.multitest.multipletests(p, method="holm")[1]`).
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut corrected = vec![0.0; m];
    let mut highest: f64 = 0.0;
    for (step, &i) in order.iter().enumerate() {
        highest = highest.max(((m - step) as f64 * p[i]).min(1.0));
        corrected[i] = highest;
    }
    corrected
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Agreement to 4 significant digits.
    #[track_caller]
    fn close(actual: f64, expected: f64) {
        let scale = expected.abs().max(f64::MIN_POSITIVE);
        assert!((actual - expected).abs() / scale < 5e-5, "{actual} is not {expected} to 4 significant digits");
    }

    // Slider-like data with many ties (whole numbers 0–100), shared by the scipy references
    // below: a[i] = (i * 37) % 101 for i in 0..40, b[i] = (i * 53 + 20) % 101 // 2 + 30 for
    // i in 0..35, c[i] = (i * 17) % 61 for i in 0..25 (Python's // and %).
    fn a() -> Vec<f64> {
        (0..40).map(|i| f64::from((i * 37) % 101)).collect()
    }
    fn b() -> Vec<f64> {
        (0..35).map(|i| f64::from((i * 53 + 20) % 101 / 2 + 30)).collect()
    }
    fn c() -> Vec<f64> {
        (0..25).map(|i| f64::from((i * 17) % 61)).collect()
    }

    #[test]
    fn mann_whitney_matches_hollander_and_wolfe() {
        // Hollander & Wolfe (1973), p. 69: permeability of the human chorioamnion, U = W = 35
        // (R's wilcox.test example). The asymptotic two-sided p:
        // scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
        // → statistic 35.0, pvalue 0.24462360512698333.
        let x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
        let y = [1.15, 0.88, 0.90, 0.74, 1.21];
        let test = mann_whitney(&x, &y).unwrap();
        assert_eq!(test.u, 35.0);
        close(test.p, 0.2446236);
        close(test.rank_biserial, 2.0 * 35.0 / 50.0 - 1.0);
        assert_eq!((test.n1, test.n2), (10, 5));
        assert_eq!(test.verdict(), Verdict::CouldBeChance);
    }

    #[test]
    fn mann_whitney_matches_scipy_with_many_ties() {
        // scipy.stats.mannwhitneyu(a, b, method="asymptotic", use_continuity=True) with a, b
        // as above → statistic 613.0, pvalue 0.3582396407858658; (b, a) → 787.0, same p.
        let test = mann_whitney(&a(), &b()).unwrap();
        close(test.u, 613.0);
        close(test.p, 0.3582396);
        let swapped = mann_whitney(&b(), &a()).unwrap();
        close(swapped.u, 787.0);
        close(swapped.p, 0.3582396);
        close(test.rank_biserial, -swapped.rank_biserial);
        // scipy.stats.mannwhitneyu(a, c, …) → statistic 708.5, pvalue 0.005036310732702047.
        let test = mann_whitney(&a(), &c()).unwrap();
        close(test.u, 708.5);
        close(test.p, 0.005036311);
        assert_eq!(test.verdict(), Verdict::UnlikelyChance);
        assert!(test.rank_biserial > 0.0, "a answers higher than c");
    }

    #[test]
    fn mann_whitney_edge_cases() {
        // All ties: scipy gives U = n1 n2 / 2 and p = 1.0.
        let test = mann_whitney(&[5.0; 3], &[5.0; 4]).unwrap();
        assert_eq!((test.u, test.p, test.rank_biserial), (6.0, 1.0, 0.0));
        assert!(mann_whitney(&[], &[1.0, 2.0]).is_none(), "an empty group");
        assert!(mann_whitney(&[1.0], &[]).is_none());
        // Complete separation: scipy.stats.mannwhitneyu([1, 2, 3], [4, 5, 6],
        // method="asymptotic", use_continuity=True) → statistic 0.0, pvalue 0.08085559837005224.
        let test = mann_whitney(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]).unwrap();
        assert_eq!((test.u, test.rank_biserial), (0.0, -1.0));
        close(test.p, 0.08085560);
    }

    #[test]
    fn kruskal_wallis_matches_hollander_and_wolfe() {
        // Hollander & Wolfe (1973), p. 116: mucociliary efficiency, H = 0.7714, df 2,
        // p = 0.68 (R's kruskal.test example); scipy.stats.kruskal(x, y, z) →
        // statistic 0.7714285714285722, pvalue 0.6799647735788936.
        let (x, y, z) = ([2.9, 3.0, 2.5, 2.6, 3.2], [3.8, 2.7, 4.0, 2.4], [2.8, 3.4, 3.7, 2.2, 2.0]);
        let test = kruskal_wallis(&[&x, &y, &z]).unwrap();
        close(test.h, 0.7714286);
        assert_eq!(test.df, 2);
        close(test.p, 0.6799648);
        close(test.epsilon_squared, 0.7714286 / 13.0);
        assert_eq!(test.n, 14);
    }

    #[test]
    fn kruskal_wallis_matches_scipy_with_many_ties() {
        // scipy.stats.kruskal(a, b, c) → statistic 19.573275589265084, pvalue 5.619752761586818e-05.
        let test = kruskal_wallis(&[&a(), &b(), &c()]).unwrap();
        close(test.h, 19.57328);
        close(test.p, 5.619753e-5);
        assert_eq!((test.df, test.n), (2, 100));
        // Two groups: scipy.stats.kruskal(a, c) → statistic 7.904218186586259,
        // pvalue 0.00493196528461735.
        let test = kruskal_wallis(&[&a(), &c()]).unwrap();
        close(test.h, 7.904218);
        close(test.p, 0.004931965);
        assert!(test.mean_ranks[0] > test.mean_ranks[1]);
    }

    #[test]
    fn kruskal_wallis_edge_cases() {
        assert!(kruskal_wallis(&[&[1.0; 4], &[1.0; 5]]).is_none(), "all ties: scipy gives NaN");
        assert!(kruskal_wallis(&[&[1.0, 2.0, 3.0]]).is_none(), "one group: scipy refuses");
        assert!(kruskal_wallis(&[&[1.0, 2.0], &[]]).is_none(), "one group with values");
        assert!(kruskal_wallis(&[]).is_none(), "nothing");
        // An empty group among others adds no degree of freedom.
        let with_empty = kruskal_wallis(&[&a(), &[], &c()]).unwrap();
        assert_eq!(with_empty.df, 1);
        close(with_empty.h, 7.904218);
        assert!(with_empty.mean_ranks[1].is_nan());
    }

    #[test]
    fn spearman_matches_hollander_and_wolfe() {
        // Hollander & Wolfe (1973), p. 187f: rho = 0.6 (R's cor.test example);
        // scipy.stats.spearmanr(x, y) → statistic 0.6, pvalue 0.08762282904140249.
        let x = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1];
        let y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8];
        let test = spearman(&x, &y).unwrap();
        close(test.rho, 0.6);
        close(test.p, 0.08762283);
        assert_eq!(test.n, 9);
    }

    #[test]
    fn spearman_matches_scipy_with_ties_and_the_tallied_form_agrees() {
        // x[i] = (i * 7) % 11, y[i] = (i * 7) % 11 // 2 + (i % 3) for i in 0..60:
        // scipy.stats.spearmanr(x, y) → statistic 0.8856322192699063, pvalue 5.600050498271562e-21.
        let x: Vec<f64> = (0..60).map(|i| f64::from((i * 7) % 11)).collect();
        let y: Vec<f64> = (0..60).map(|i| f64::from((i * 7) % 11 / 2 + i % 3)).collect();
        let test = spearman(&x, &y).unwrap();
        close(test.rho, 0.8856322);
        close(test.p, 5.600050e-21);
        // The same pairs as a joint tally (x 0–10, y 0–7).
        let mut joint = vec![0u32; 11 * 8];
        for (a, b) in x.iter().zip(&y) {
            joint[*a as usize * 8 + *b as usize] += 1;
        }
        let tallied = spearman_tallied(&joint, 8).unwrap();
        close(tallied.rho, 0.8856322);
        close(tallied.p, 5.600050e-21);
        // A negative correlation: scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 4, 2, 1]) →
        // statistic -0.9, pvalue 0.03738607346849874.
        let test = spearman(&[1.0, 2.0, 3.0, 4.0, 5.0], &[5.0, 6.0, 4.0, 2.0, 1.0]).unwrap();
        close(test.rho, -0.9);
        close(test.p, 0.03738607);
    }

    #[test]
    fn spearman_edge_cases() {
        assert!(spearman(&[1.0; 5], &[1.0, 2.0, 3.0, 4.0, 5.0]).is_none(), "constant: scipy gives NaN");
        assert!(spearman(&[1.0, 2.0], &[2.0, 1.0]).is_none(), "two pairs: scipy gives NaN for p");
        assert!(spearman(&[], &[]).is_none());
        assert!(spearman(&[1.0, 2.0, 3.0], &[1.0, 2.0]).is_none(), "unpaired");
        // Perfect: scipy.stats.spearmanr([1, 2, 3], [1, 2, 3]) → 1.0, pvalue 0.0.
        let test = spearman(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]).unwrap();
        assert_eq!((test.rho, test.p), (1.0, 0.0));
        assert!(spearman_tallied(&[], 0).is_none());
    }

    #[test]
    fn cramers_v_matches_agresti() {
        // Agresti (2007), An Introduction to Categorical Data Analysis, p. 39: party
        // identification by gender, χ² = 30.07 with 2 df (R's chisq.test example).
        // scipy.stats.chi2_contingency(table, correction=False) → statistic 30.070149095754672,
        // pvalue 2.9535891832117595e-07, dof 2; scipy.stats.contingency.association(table,
        // method="cramer") → 0.10443580235646777.
        let test = association(&[vec![762, 327, 468], vec![484, 239, 477]]).unwrap();
        close(test.chi2, 30.07015);
        assert_eq!(test.df, 2);
        close(test.p, 2.953589e-7);
        close(test.cramers_v, 0.1044358);
        assert_eq!((test.n, test.verdict()), (2757, Verdict::UnlikelyChance));
    }

    #[test]
    fn cramers_v_edge_cases() {
        // [[20, 30], [30, 20]]: χ² = 4, V = √(4 / 100) = 0.2 (as chi.rs's textbook table).
        close(association(&[vec![20, 30], vec![30, 20]]).unwrap().cramers_v, 0.2);
        // Perfect association: V = 1.
        close(association(&[vec![25, 0], vec![0, 25]]).unwrap().cramers_v, 1.0);
        // Empty rows and columns are left out, as scipy would after dropping them:
        // scipy.stats.contingency.association([[10, 20], [30, 5]], method="cramer") →
        // 0.5367450401216932.
        let test = association(&[vec![10, 0, 20], vec![0, 0, 0], vec![30, 0, 5]]).unwrap();
        close(test.cramers_v, 0.5367450);
        assert!(association(&[vec![5, 0], vec![7, 0]]).is_none(), "one column with stories");
        assert!(association(&[]).is_none());
        assert_eq!(association(&[vec![1, 2], vec![3, 1]]).unwrap().verdict(), Verdict::TooFew);
    }

    #[test]
    fn holm_matches_statsmodels() {
        // statsmodels.stats.multitest.multipletests([0.01, 0.04, 0.03, 0.005], method="holm")[1]
        // → [0.03, 0.06, 0.06, 0.02].
        let corrected = holm(&[0.01, 0.04, 0.03, 0.005]);
        for (actual, expected) in corrected.iter().zip([0.03, 0.06, 0.06, 0.02]) {
            close(*actual, expected);
        }
        assert_eq!(holm(&[0.5, 0.9]), vec![1.0, 1.0], "never above 1");
        assert!(holm(&[]).is_empty());
        assert_eq!(holm(&[0.2]), vec![0.2], "one test is not corrected");
    }

    #[test]
    fn sizes_follow_cohen() {
        assert_eq!(Size::of(0.05), Size::VerySmall);
        assert_eq!(Size::of(-0.2), Size::Small);
        assert_eq!(Size::of(0.3), Size::Medium);
        assert_eq!(Size::of(0.9), Size::Large);
        assert_eq!(Size::Small.words().nl, "klein");
    }
}
