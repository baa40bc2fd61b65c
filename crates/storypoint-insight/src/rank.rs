//! Ranks with ties, as the rank tests ([`crate::compare`]) need them.
//!
//! Samples are kept as *tallies*: for each group, how many of its values equal each distinct
//! value, the distinct values in ascending order. A slider answer is a whole number from 0
//! to 100, so the stories' answers are tallied in 101 counts per group and every rank test
//! costs one pass over the stories plus a few hundred additions, however many stories there
//! are. Tied values share the average of the ranks they cover (ranks start at 1), as
//! `scipy.stats.rankdata(method="average")` gives them.

/// The rank sums of groups tallied over the same distinct values.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RankSums {
    /// All values together.
    pub n: f64,
    /// Values per group.
    pub sizes: Vec<f64>,
    /// The sum of each group's ranks in the pooled sample.
    pub sums: Vec<f64>,
    /// Σ (t³ − t) over the distinct values, t the number of values tied at it: what the
    /// tie corrections need.
    pub ties: f64,
}

impl RankSums {
    /// Each group's mean rank (NaN for an empty group).
    pub fn mean_ranks(&self) -> Vec<f64> {
        self.sums.iter().zip(&self.sizes).map(|(sum, n)| sum / n).collect()
    }
}

/// The rank sums of `groups`: `groups[g][v]` is how many values of group *g* equal the
/// *v*-th distinct value (all tallies the same length, values ascending).
pub(crate) fn rank_sums(groups: &[&[u32]]) -> RankSums {
    let values = groups.iter().map(|g| g.len()).max().unwrap_or(0);
    let mut sums = vec![0.0; groups.len()];
    let (mut below, mut ties) = (0.0, 0.0);
    for v in 0..values {
        let t: f64 = groups.iter().map(|g| f64::from(g.get(v).copied().unwrap_or(0))).sum();
        if t == 0.0 {
            continue;
        }
        // The t tied values take ranks below + 1 … below + t: their average.
        let rank = below + (t + 1.0) / 2.0;
        for (sum, group) in sums.iter_mut().zip(groups) {
            *sum += f64::from(group.get(v).copied().unwrap_or(0)) * rank;
        }
        ties += t * t * t - t;
        below += t;
    }
    let sizes = groups.iter().map(|g| g.iter().map(|&c| f64::from(c)).sum()).collect();
    RankSums { n: below, sizes, sums, ties }
}

/// Tallies samples over their pooled distinct values (ascending). Values that are not
/// numbers (NaN) are left out.
pub(crate) fn tally(groups: &[&[f64]]) -> Vec<Vec<u32>> {
    let mut distinct: Vec<f64> = groups.iter().flat_map(|g| g.iter().copied()).filter(|v| !v.is_nan()).collect();
    distinct.sort_by(f64::total_cmp);
    // -0.0 and 0.0 are one value.
    distinct.dedup_by(|a, b| a == b);
    groups
        .iter()
        .map(|group| {
            let mut counts = vec![0u32; distinct.len()];
            for value in group.iter().filter(|v| !v.is_nan()) {
                // The first distinct value not below it: the value itself.
                counts[distinct.partition_point(|d| d < value)] += 1;
            }
            counts
        })
        .collect()
}

/// The average ranks (from 1) of `values`, in their order: `scipy.stats.rankdata(values)`.
/// NaN has no rank (it is given NaN, and the others are ranked without it).
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_nan()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![f64::NAN; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start + 1 ..= end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_average_rank() {
        // scipy.stats.rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5]) = [4, 1.5, 5, 1.5, 6.5, 9, 3, 8, 6.5]
        assert_eq!(average_ranks(&[3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0]), vec![4.0, 1.5, 5.0, 1.5, 6.5, 9.0, 3.0, 8.0, 6.5]);
        assert_eq!(average_ranks(&[7.0, 7.0, 7.0]), vec![2.0, 2.0, 2.0]);
        assert!(average_ranks(&[]).is_empty());
        let with_nan = average_ranks(&[2.0, f64::NAN, 1.0]);
        assert_eq!((with_nan[0], with_nan[2]), (2.0, 1.0));
        assert!(with_nan[1].is_nan());
    }

    #[test]
    fn tallies_and_rank_sums_agree_with_ranking_every_value() {
        let (x, y) = ([3.0, 1.0, 4.0, 1.0, 5.0], [9.0, 2.0, 6.0, 5.0, -0.0, 0.0]);
        let counts = tally(&[&x, &y]);
        assert_eq!(counts[0].len(), 8, "0 (twice, as -0 and 0), 1, 2, 3, 4, 5, 6, 9");
        let sums = rank_sums(&[&counts[0], &counts[1]]);
        let pooled: Vec<f64> = x.iter().chain(&y).copied().collect();
        let ranks = average_ranks(&pooled);
        assert_eq!(sums.sums[0], ranks[..5].iter().sum::<f64>());
        assert_eq!(sums.sums[1], ranks[5..].iter().sum::<f64>());
        assert_eq!((sums.n, sums.sizes.clone()), (11.0, vec![5.0, 6.0]));
        // Ties: 0 ×2, 1 ×2, 5 ×2: 3 × (8 − 2).
        assert_eq!(sums.ties, 18.0);
    }

    #[test]
    fn nothing_to_rank_is_empty() {
        let sums = rank_sums(&[]);
        assert_eq!((sums.n, sums.ties), (0.0, 0.0));
        assert_eq!(tally(&[&[], &[f64::NAN]]), vec![Vec::<u32>::new(), vec![]]);
    }
}
