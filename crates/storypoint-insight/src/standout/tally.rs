//! The counting of "Patronen die opvallen": what every pair's test needs, tallied in one pass
//! over the stories ([`Context::count`]), and each pair's test run from its tally.
use super::*;

/// What every test of one overview shares.
pub(super) struct Context<'a> {
    pub(super) data: &'a Dataset,
    pub(super) rows: &'a [usize],
    pub(super) filter: &'a Filter,
    pub(super) rules: TestRules,
}

/// What the test of one pair counts; [`Context::count`] fills those of every pair in one
/// pass over the stories.
pub(super) enum Tally {
    /// Per answer of `d`, how many stories gave slider `s` each value 0–100; and how many
    /// gave several answers (a multiple-choice question).
    SliderChoice { s: usize, d: usize, tallies: Vec<[u32; SLIDER_VALUES]>, several: u64 },
    /// How many stories gave slider `s` value *x* and slider `t` value *y*, at x × 101 + y.
    SliderSlider { s: usize, t: usize, joint: Vec<u32> },
    /// The cross-tab of `d` (rows) and `e` (columns), as [`cross_tab`] counts it.
    ChoiceChoice { d: usize, e: usize, counts: Vec<Vec<u32>> },
}

impl Tally {
    pub(super) fn new(data: &Dataset, pair: Pair) -> Tally {
        let categories = |d: usize| data.schema().dimensions[d].categories.len();
        match pair {
            Pair::SliderChoice(s, d) => Tally::SliderChoice { s, d, tallies: vec![[0; SLIDER_VALUES]; categories(d)], several: 0 },
            Pair::SliderSlider(s, t) => Tally::SliderSlider { s, t, joint: vec![0; SLIDER_VALUES * SLIDER_VALUES] },
            Pair::ChoiceChoice(d, e) => Tally::ChoiceChoice { d, e, counts: vec![vec![0; categories(e)]; categories(d)] },
        }
    }

    /// Counts the story in `row`.
    pub(super) fn add(&mut self, data: &Dataset, row: usize) {
        match self {
            Tally::SliderChoice { s, d, tallies, several } => {
                let value = data.scale(row, *s);
                if value == SCALE_NA || value == SCALE_NONE {
                    return;
                }
                let bits = data.choice(row, *d);
                match bits.count_ones() {
                    0 => {}
                    1 => tallies[bits.trailing_zeros() as usize][usize::from(value)] += 1,
                    _ => *several += 1,
                }
            }
            Tally::SliderSlider { s, t, joint } => {
                let (x, y) = (data.scale(row, *s), data.scale(row, *t));
                if x <= 100 && y <= 100 {
                    joint[usize::from(x) * SLIDER_VALUES + usize::from(y)] += 1;
                }
            }
            Tally::ChoiceChoice { d, e, counts } => {
                // Every answer of one against every answer of the other, as the view counts.
                let (mut row_bits, column_bits) = (data.choice(row, *d), data.choice(row, *e));
                while row_bits != 0 {
                    let counts = &mut counts[row_bits.trailing_zeros() as usize];
                    let mut bits = column_bits;
                    while bits != 0 {
                        counts[bits.trailing_zeros() as usize] += 1;
                        bits &= bits - 1;
                    }
                    row_bits &= row_bits - 1;
                }
            }
        }
    }
}

impl Context<'_> {
    /// What every pair's test counts, in one pass over the stories.
    pub(super) fn count(&self, pairs: &[Pair]) -> Vec<Tally> {
        let mut tallies: Vec<Tally> = pairs.iter().map(|&pair| Tally::new(self.data, pair)).collect();
        for &row in self.rows {
            for tally in &mut tallies {
                tally.add(self.data, row);
            }
        }
        tallies
    }

    pub(super) fn run(&self, tally: Tally) -> Finding {
        match tally {
            Tally::SliderChoice { s, d, tallies, several } => self.slider_choice(s, d, &tallies, several),
            Tally::SliderSlider { s, t, joint } => self.slider_slider(s, t, &joint),
            Tally::ChoiceChoice { d, e, counts } => self.choice_choice(d, e, &counts),
        }
    }

    pub(super) fn question_of_scale(&self, s: usize) -> Question {
        let scale = &self.data.schema().scales[s];
        Question { id: scale.id.clone(), label: scale.label.clone() }
    }

    pub(super) fn question_of_choice(&self, d: usize) -> Question {
        let dimension = &self.data.schema().dimensions[d];
        Question { id: dimension.id.clone(), label: dimension.label.clone() }
    }

    pub(super) fn show(&self, n: u64) -> Shown {
        self.rules.disclosure.show(u32::try_from(n).unwrap_or(u32::MAX))
    }

    pub(super) fn too_few(&self) -> Text {
        let min = self.rules.min_group;
        Text::new(&format!("minder dan {min} verhalen"), &format!("fewer than {min} stories"))
    }

    /// The view's query: the pairs and the filter (the campaign).
    pub(super) fn query(&self, mut pairs: Vec<(String, String)>) -> String {
        pairs.extend(self.filter.pairs(self.data.schema()));
        encode(&pairs)
    }

    pub(super) fn untested(&self, kind: Kind, a: Question, b: Question, n: Shown, reason: Text) -> Finding {
        Finding {
            kind,
            test: None,
            a,
            b,
            n,
            h: None,
            df: None,
            rho: None,
            chi2: None,
            cramers_v: None,
            p: None,
            p_holm: None,
            effect: None,
            standout: false,
            groups: Vec::new(),
            left_out: Vec::new(),
            pairs: Vec::new(),
            query: None,
            note: reason,
            words: Words::Untested,
        }
    }

    /// Slider `s` per answer of choice question `d`: Kruskal–Wallis and Mann–Whitney pairs.
    /// `tallies`: the slider's answers (0–100) per answer of the choice question; `several`:
    /// stories with several answers (a multiple-choice question), which belong to no single
    /// group.
    pub(super) fn slider_choice(&self, s: usize, d: usize, tallies: &[[u32; SLIDER_VALUES]], several: u64) -> Finding {
        let (data, min) = (self.data, u64::from(self.rules.min_group));
        let dimension = &data.schema().dimensions[d];
        let categories = dimension.categories.len();
        let sizes: Vec<u64> = tallies.iter().map(|t| t.iter().map(|&c| u64::from(c)).sum()).collect();
        let kept: Vec<usize> = (0..categories).filter(|&c| sizes[c] >= min).collect();
        let (a, b) = (self.question_of_scale(s), self.question_of_choice(d));
        let mut left_out: Vec<LeftOut> = (0..categories)
            .filter(|&c| sizes[c] < min)
            .map(|c| LeftOut {
                question: dimension.id.clone(),
                value: dimension.categories[c].value.clone(),
                label: dimension.categories[c].label.clone(),
                n: self.show(sizes[c]),
                reason: self.too_few(),
            })
            .collect();
        if several > 0 {
            left_out.push(LeftOut {
                question: dimension.id.clone(),
                value: String::new(),
                label: Text::new("Meer dan één antwoord", "More than one answer"),
                n: self.show(several),
                reason: Text::new("deze verhalen horen niet bij één groep", "these stories belong to no single group"),
            });
        }
        let groups: Vec<GroupSize> = kept
            .iter()
            .map(|&c| GroupSize {
                question: dimension.id.clone(),
                value: dimension.categories[c].value.clone(),
                label: dimension.categories[c].label.clone(),
                n: self.show(sizes[c]),
            })
            .collect();
        let n = self.show(kept.iter().map(|&c| sizes[c]).sum());
        let query = self.query(vec![("question".into(), a.id.clone()), ("by".into(), b.id.clone())]);
        let borrowed: Vec<&[u32]> = kept.iter().map(|&c| &tallies[c][..]).collect();
        let test = if kept.len() < 2 { None } else { kruskal_wallis_tallied(&borrowed) };
        let Some(test) = test else {
            let reason = if kept.len() < 2 {
                Text::new(
                    &format!("Niet getoetst: er zijn geen twee antwoorden met elk minstens {min} verhalen."),
                    &format!("Not tested: there are no two answers with at least {min} stories each."),
                )
            } else {
                Text::new("Niet getoetst: iedereen gaf hetzelfde antwoord.", "Not tested: everyone gave the same answer.")
            };
            let mut finding = self.untested(Kind::SliderChoice, a, b, n, reason);
            finding.groups = groups;
            finding.left_out = left_out;
            finding.query = Some(query);
            return finding;
        };
        let label = |i: usize| dimension.categories[kept[i]].label.clone();
        let (lowest, highest) = extremes(&test);
        let words = if kept.len() == 2 {
            Words::TwoGroups { lower: label(lowest), higher: label(highest), low_end: data.schema().scales[s].low.clone() }
        } else {
            Words::Groups { lowest: label(lowest), highest: label(highest) }
        };

        // Mann–Whitney for each pair of answers tested, corrected among themselves.
        let mut pairs = Vec::new();
        for i in 0..kept.len() {
            for j in i + 1..kept.len() {
                if let Some(mw) = mann_whitney_tallied(borrowed[i], borrowed[j]) {
                    pairs.push((i, j, mw));
                }
            }
        }
        let corrected = holm(&pairs.iter().map(|(_, _, mw)| mw.p).collect::<Vec<f64>>());
        let scale = &data.schema().scales[s];
        let pair_tests = pairs
            .iter()
            .zip(&corrected)
            .map(|(&(i, j, mw), &p_holm)| {
                let (lower, higher) = if mw.rank_biserial < 0.0 { (label(i), label(j)) } else { (label(j), label(i)) };
                PairTest {
                    a: dimension.categories[kept[i]].value.clone(),
                    b: dimension.categories[kept[j]].value.clone(),
                    u: mw.u,
                    p: mw.p,
                    p_holm,
                    rank_biserial: mw.rank_biserial,
                    standout: p_holm < ALPHA,
                    note: Text::dutch(""),
                    words: (lower, higher, scale.low.clone(), corrected.len()),
                }
            })
            .collect();
        let strength = test.strength();
        Finding {
            kind: Kind::SliderChoice,
            test: Some("kruskal_wallis"),
            a,
            b,
            n,
            h: Some(test.h),
            df: Some(test.df),
            rho: None,
            chi2: None,
            cramers_v: None,
            p: Some(test.p),
            p_holm: None,
            effect: Some(Effect { measure: "epsilon_squared", value: test.epsilon_squared, strength, size: Size::of(strength) }),
            standout: false,
            groups,
            left_out,
            pairs: pair_tests,
            query: Some(query),
            note: Text::dutch(""),
            words,
        }
    }

    /// Sliders `s` and `t`: Spearman's rho over the stories that answered both.
    pub(super) fn slider_slider(&self, s: usize, t: usize, joint: &[u32]) -> Finding {
        let n: u64 = joint.iter().map(|&c| u64::from(c)).sum();
        let (a, b) = (self.question_of_scale(s), self.question_of_scale(t));
        let min = self.rules.min_group;
        let test = if n < u64::from(min) { None } else { spearman_tallied(joint, SLIDER_VALUES) };
        let Some(test) = test else {
            let reason = if n < u64::from(min) {
                Text::new(
                    &format!("Niet getoetst: minder dan {min} verhalen beantwoordden beide vragen."),
                    &format!("Not tested: fewer than {min} stories answered both questions."),
                )
            } else {
                Text::new(
                    "Niet getoetst: iedereen gaf op een van de vragen hetzelfde antwoord.",
                    "Not tested: everyone gave the same answer to one of the questions.",
                )
            };
            let mut finding = self.untested(Kind::SliderSlider, a, b, self.show(n), reason);
            if n < u64::from(min) {
                finding.left_out.push(LeftOut {
                    question: String::new(),
                    value: String::new(),
                    label: Text::new("Beide vragen beantwoord", "Answered both questions"),
                    n: self.show(n),
                    reason: self.too_few(),
                });
            }
            return finding;
        };
        let strength = test.rho.abs();
        Finding {
            kind: Kind::SliderSlider,
            test: Some("spearman"),
            a,
            b,
            n: self.show(n),
            h: None,
            df: None,
            rho: Some(test.rho),
            chi2: None,
            cramers_v: None,
            p: Some(test.p),
            p_holm: None,
            effect: Some(Effect { measure: "rho", value: test.rho, strength, size: Size::of(strength) }),
            standout: false,
            groups: Vec::new(),
            left_out: Vec::new(),
            pairs: Vec::new(),
            query: None,
            note: Text::dutch(""),
            words: Words::Correlation { rho: test.rho },
        }
    }

    /// Choice questions `d` (rows) and `e` (columns): χ² and Cramér's V from the shown counts.
    /// `counts`: the exact cross-tab, as the view counts it.
    pub(super) fn choice_choice(&self, d: usize, e: usize, counts: &[Vec<u32>]) -> Finding {
        let (data, rules) = (self.data, self.rules);
        let schema = data.schema();
        let (rows_q, columns_q) = (&schema.dimensions[d], &schema.dimensions[e]);
        // Only what the cross-tab view shows: rounded counts, "< k" as 0.
        let shown_value = |n: u32| rules.disclosure.show(n).value().unwrap_or(0);
        let row_totals: Vec<u32> = counts.iter().map(|row| row.iter().sum()).collect();
        let column_totals: Vec<u32> = (0..columns_q.categories.len()).map(|c| counts.iter().map(|row| row[c]).sum()).collect();
        let kept_rows: Vec<usize> = (0..row_totals.len()).filter(|&r| shown_value(row_totals[r]) >= rules.min_group).collect();
        let kept_columns: Vec<usize> = (0..column_totals.len()).filter(|&c| shown_value(column_totals[c]) >= rules.min_group).collect();
        let table: Vec<Vec<u32>> = kept_rows.iter().map(|&r| kept_columns.iter().map(|&c| shown_value(counts[r][c])).collect()).collect();
        let (a, b) = (self.question_of_choice(d), self.question_of_choice(e));
        let mut groups = Vec::new();
        let mut left_out = Vec::new();
        for (question, totals, kept) in [(rows_q, &row_totals, &kept_rows), (columns_q, &column_totals, &kept_columns)] {
            for (c, category) in question.categories.iter().enumerate() {
                let n = rules.disclosure.show(totals[c]);
                if kept.contains(&c) {
                    groups.push(GroupSize { question: question.id.clone(), value: category.value.clone(), label: category.label.clone(), n });
                } else {
                    left_out.push(LeftOut {
                        question: question.id.clone(),
                        value: category.value.clone(),
                        label: category.label.clone(),
                        n,
                        reason: self.too_few(),
                    });
                }
            }
        }
        let total: u64 = table.iter().flatten().map(|&n| u64::from(n)).sum();
        let query = self.query(vec![("view".into(), "crosstab".into()), ("row".into(), a.id.clone()), ("col".into(), b.id.clone())]);
        let Some(test) = association(&table) else {
            let min = rules.min_group;
            let mut finding = self.untested(
                Kind::ChoiceChoice,
                a,
                b,
                self.show(total),
                Text::new(
                    &format!("Niet getoetst: er zijn bij een van de vragen geen twee antwoorden met elk minstens {min} verhalen."),
                    &format!("Not tested: one of the questions has no two answers with at least {min} stories each."),
                ),
            );
            finding.groups = groups;
            finding.left_out = left_out;
            finding.query = Some(query);
            return finding;
        };
        // The combination most above what chance would give (largest standardised residual).
        let grand = total as f64;
        let mut most: Option<((usize, usize), f64)> = None;
        for (i, row) in table.iter().enumerate() {
            let row_total: f64 = row.iter().map(|&n| f64::from(n)).sum();
            for (j, &observed) in row.iter().enumerate() {
                let column_total: f64 = table.iter().map(|r| f64::from(r[j])).sum();
                let expected = row_total * column_total / grand;
                if expected > 0.0 {
                    let residual = (f64::from(observed) - expected) / expected.sqrt();
                    if residual > 0.0 && most.is_none_or(|(_, best)| residual > best) {
                        most = Some(((i, j), residual));
                    }
                }
            }
        }
        let most = most.map(|((i, j), _)| (rows_q.categories[kept_rows[i]].label.clone(), columns_q.categories[kept_columns[j]].label.clone()));
        Finding {
            kind: Kind::ChoiceChoice,
            test: Some("chi_square"),
            a,
            b,
            n: self.show(total),
            h: None,
            df: Some(test.df),
            rho: None,
            chi2: Some(test.chi2),
            cramers_v: Some(test.cramers_v),
            p: Some(test.p),
            p_holm: None,
            effect: Some(Effect { measure: "cramers_v", value: test.cramers_v, strength: test.cramers_v, size: Size::of(test.cramers_v) }),
            standout: false,
            groups,
            left_out,
            pairs: Vec::new(),
            query: Some(query),
            note: Text::dutch(""),
            words: Words::Table { most, reliable: test.reliable },
        }
    }
}

/// The groups with the lowest and the highest mean rank.
pub(super) fn extremes(test: &KruskalWallis) -> (usize, usize) {
    let ranks = &test.mean_ranks;
    let lowest = (0..ranks.len()).min_by(|&i, &j| ranks[i].total_cmp(&ranks[j])).unwrap_or(0);
    let highest = (0..ranks.len()).max_by(|&i, &j| ranks[i].total_cmp(&ranks[j])).unwrap_or(0);
    (lowest, highest)
}
