//! "Patronen die opvallen": every pair of questions tested at once, corrected for the
//! number of tests, ranked by the size of the difference, each linked to its view.
//!
//! [`standouts`] runs, over one campaign's stories (or all of them):
//!
//! * every slider against every choice question: Kruskal–Wallis across the answers, and
//!   Mann–Whitney U for each pair of answers (see [`crate::compare`]);
//! * every two sliders: Spearman's rho;
//! * every two choice questions: χ² with Cramér's V — except two questions that are both
//!   about the teller (perspective × age group and the like): they describe who took part,
//!   not what happened to them, and would top the list with what everyone knows (children
//!   are young). Their cross-tab is still one click away. The story's language is left out,
//!   as in the printed report.
//!
//! The headline tests (one per pair of questions) are corrected together with [Holm's
//! step-down method](crate::holm): `p_holm`. The pairs of answers of one slider × choice
//! test are a family of their own, corrected among themselves, and only stand out when
//! their headline test does (the usual gatekeeping of a post-hoc comparison). A finding
//! *stands out* when its `p_holm` is below [`ALPHA`] (and, for χ², Cochran's rule holds).
//! Findings that stand out come first, the largest difference first (by the strength of
//! [`crate::compare`]: √ε², |rho| or Cramér's V, all on one 0–1 scale); then the others, also
//! by strength; then the pairs that could not be tested, with the reason.
//!
//! # What may be shown
//!
//! This crate is the only way out for counts, and the tests keep to the rules of
//! [`Disclosure`]:
//!
//! * A test runs only on groups of at least [`TestRules::min_group`] stories (default 20,
//!   always more than the disclosure threshold *k*). Smaller groups are left out, and the
//!   result says which and why; an answer that is left out is never mentioned with an
//!   exact number.
//! * Every group size that is shown (`n`, the groups, the groups left out) goes through
//!   [`Disclosure::show`]: "< k" or a multiple of *k*, as on the pages.
//! * The rank tests (Mann–Whitney, Kruskal–Wallis, Spearman) need the exact slider answers:
//!   binned or rounded answers would test something else. They see exact values only of
//!   groups of at least `min_group` stories, so no statistic is about fewer than
//!   `min_group` tellers, and what they show is one number summarising many tellers. To
//!   make that number a poor way back to single answers, every figure is published to 4
//!   significant digits (as far as the reference implementation is matched) and the only
//!   filter is the campaign: views narrowed by organisation, period or answers would let
//!   two results differ by one teller. What remains — comparing the overview before and
//!   after a new story arrives — tells at most how one new story's slider answer compares
//!   with a group of at least `min_group`, not who told it.
//! * χ² is computed from the counts as shown (rounded, "< k" as 0), exactly as the
//!   cross-tab view does ([`Disclosure::cross_tab`]): from exact counts, χ² to 4 digits
//!   would give away the hidden small cells. Rows and columns whose shown total is under
//!   `min_group` are left out.
use serde::Serialize;
use storypoint_core::{Lang, Text};

use crate::InsightError;
use crate::compare::{ALPHA, KruskalWallis, Size, association, holm, kruskal_wallis_tallied, mann_whitney_tallied, spearman_tallied};
use crate::dataset::{Dataset, LANG, SCALE_NA, SCALE_NONE};
use crate::disclose::{Disclosure, Shown};
use crate::filter::Filter;
use crate::query::encode;

mod sentence;
mod tally;
use sentence::{note, p_text, round_figures, two_groups};
use tally::Context;

/// The smallest group a test looks at, unless the collector says otherwise
/// (`--min-test-group`): as NarraFirma's catalysis does.
pub const MIN_TEST_GROUP: u32 = 20;

/// Slider answers are whole numbers 0–100: 101 distinct values.
const SLIDER_VALUES: usize = 101;

/// The rules the tests run by: the smallest group tested and the disclosure rules for what
/// is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TestRules {
    min_group: u32,
    disclosure: Disclosure,
}

impl TestRules {
    /// Tests only on groups of at least `min_group` stories, which must be more than the
    /// disclosure threshold *k* (a group of *k* or fewer is never described exactly).
    pub fn new(min_group: u32, disclosure: Disclosure) -> Result<TestRules, InsightError> {
        if min_group <= disclosure.min_cell() {
            return Err(InsightError::bad(
                "min_test_group",
                format!("a test needs groups of more than {} stories (the smallest group shown); {MIN_TEST_GROUP} is usual", disclosure.min_cell()),
            ));
        }
        Ok(TestRules { min_group, disclosure })
    }

    /// The smallest group tested.
    pub fn min_group(self) -> u32 {
        self.min_group
    }

    /// The disclosure rules.
    pub fn disclosure(self) -> Disclosure {
        self.disclosure
    }
}

/// The overview: every pair of questions, tested.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Standouts {
    /// The campaign (none: every campaign together).
    pub campaign: Option<String>,
    /// Stories in it.
    pub stories: Shown,
    /// The smallest group tested.
    pub min_group: u32,
    /// The disclosure threshold *k*.
    pub min_cell: u32,
    /// The p-value (after correction) below which a finding stands out.
    pub alpha: f64,
    /// Tests run (the number Holm corrects for).
    pub tests: usize,
    /// Findings that stand out.
    pub standing_out: usize,
    /// Every pair of questions: those that stand out first, the largest difference first.
    pub findings: Vec<Finding>,
    /// What the overview is, in plain words.
    pub note: Text,
}

/// Which kinds of question a finding compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A slider (`a`) per answer of a choice question (`b`).
    SliderChoice,
    /// Two sliders.
    SliderSlider,
    /// Two choice questions (`a` the rows, `b` the columns of the cross-tab).
    ChoiceChoice,
}

/// A question in a finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// Its id.
    pub id: String,
    /// The question as the teller saw it.
    pub label: Text,
}

/// A group (an answer) that was tested, with its size as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupSize {
    /// The question the answer belongs to.
    pub question: String,
    /// The answer's value.
    pub value: String,
    /// The answer.
    pub label: Text,
    /// Stories, as shown ("< k" or rounded to *k*).
    pub n: Shown,
}

/// A group that was left out of a test, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeftOut {
    /// The question the answer belongs to.
    pub question: String,
    /// The answer's value (empty for stories with several answers).
    pub value: String,
    /// The answer.
    pub label: Text,
    /// Stories, as shown.
    pub n: Shown,
    /// Why it was left out.
    pub reason: Text,
}

/// The effect size of a finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Effect {
    /// `epsilon_squared` (Kruskal–Wallis), `rho` (Spearman) or `cramers_v` (χ²).
    pub measure: &'static str,
    /// Its value.
    pub value: f64,
    /// On one scale from 0 to 1 for every test: √ε², |rho| or V. Findings are ranked by it.
    pub strength: f64,
    /// In words.
    pub size: Size,
}

/// Mann–Whitney U for one pair of answers of a slider × choice finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairTest {
    /// The first answer's value.
    pub a: String,
    /// The second answer's value.
    pub b: String,
    /// U of the first answer's stories.
    pub u: f64,
    /// Two-sided p.
    pub p: f64,
    /// p corrected (Holm) for the pairs of this finding.
    pub p_holm: f64,
    /// The rank-biserial correlation: positive when `a` answers higher.
    pub rank_biserial: f64,
    /// Whether it stands out (and its finding does).
    pub standout: bool,
    /// The result in plain words.
    pub note: Text,
    /// The answer that tends lower, the one that tends higher, the slider's low end, and
    /// how many pairs were corrected for: what the note needs once `standout` is settled.
    #[serde(skip)]
    words: (Text, Text, Text, usize),
}

/// One pair of questions, tested (or why not).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Which kinds of question.
    pub kind: Kind,
    /// `kruskal_wallis`, `spearman` or `chi_square`; none when it could not be tested.
    pub test: Option<&'static str>,
    /// The slider, or the cross-tab's rows.
    pub a: Question,
    /// The choice question the slider is split by, the second slider, or the columns.
    pub b: Question,
    /// Stories in the test, as shown.
    pub n: Shown,
    /// Kruskal–Wallis H.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
    /// Degrees of freedom (Kruskal–Wallis, χ²).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df: Option<u32>,
    /// Spearman's rho.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rho: Option<f64>,
    /// χ².
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chi2: Option<f64>,
    /// Cramér's V.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cramers_v: Option<f64>,
    /// p of this test alone.
    pub p: Option<f64>,
    /// p corrected (Holm) for every test of the overview.
    pub p_holm: Option<f64>,
    /// How big the difference is.
    pub effect: Option<Effect>,
    /// Whether it stands out: `p_holm` below `alpha` (and χ² reliable).
    pub standout: bool,
    /// The answers tested, with their sizes.
    pub groups: Vec<GroupSize>,
    /// The answers left out, and why.
    pub left_out: Vec<LeftOut>,
    /// Slider × choice: Mann–Whitney for each pair of answers tested.
    pub pairs: Vec<PairTest>,
    /// The query string of the view that shows it (`/admin/inzicht?…`); none for two
    /// sliders, which no view shows together yet.
    pub query: Option<String>,
    /// The result in plain words.
    pub note: Text,
    /// What the note needs once p is corrected.
    #[serde(skip)]
    words: Words,
}

/// What a note says besides p: filled in when the test runs, written when p is corrected.
#[derive(Clone, Debug, PartialEq, Default)]
enum Words {
    /// Not tested: the reason.
    #[default]
    Untested,
    /// Two answers of a choice question: the lower and the higher.
    TwoGroups { lower: Text, higher: Text, low_end: Text },
    /// More answers: the lowest and the highest.
    Groups { lowest: Text, highest: Text },
    /// Two sliders.
    Correlation { rho: f64 },
    /// Two choice questions: the combination most above chance, if any; reliable.
    Table { most: Option<(Text, Text)>, reliable: bool },
}

/// A slider × choice, slider × slider or choice × choice pair by index.
#[derive(Clone, Copy)]
enum Pair {
    SliderChoice(usize, usize),
    SliderSlider(usize, usize),
    ChoiceChoice(usize, usize),
}

/// Every pair of questions tested over the stories of `campaign` (none: all campaigns
/// together). See the module docs for what is tested and what is shown.
pub fn standouts(data: &Dataset, campaign: Option<&str>, rules: TestRules) -> Standouts {
    let schema = data.schema();
    let mut filter = Filter::default();
    if let Some(slug) = campaign {
        filter.only_campaign(slug);
    }
    let rows = rows_of(data, &filter);
    let choices: Vec<usize> = (0..schema.dimensions.len()).filter(|&d| schema.dimensions[d].id != LANG).collect();
    let scales = schema.scales.len();

    let mut pairs = Vec::new();
    for s in 0..scales {
        pairs.extend((s + 1..scales).map(|t| Pair::SliderSlider(s, t)));
    }
    for s in 0..scales {
        pairs.extend(choices.iter().map(|&d| Pair::SliderChoice(s, d)));
    }
    for (i, &d) in choices.iter().enumerate() {
        for &e in &choices[i + 1..] {
            let (about_d, about_e) = (schema.dimensions[d].identifying, schema.dimensions[e].identifying);
            match (about_d, about_e) {
                (true, true) => {}
                // The experience as rows, who told it as columns (as the cross-tab's default).
                (true, false) => pairs.push(Pair::ChoiceChoice(e, d)),
                _ => pairs.push(Pair::ChoiceChoice(d, e)),
            }
        }
    }
    let context = Context { data, rows: &rows, filter: &filter, rules };
    let mut findings: Vec<Finding> = context.count(&pairs).into_iter().map(|tally| context.run(tally)).collect();

    // Holm across every test run.
    let tested: Vec<usize> = (0..findings.len()).filter(|&i| findings[i].p.is_some()).collect();
    let corrected = holm(&tested.iter().map(|&i| findings[i].p.unwrap_or(1.0)).collect::<Vec<f64>>());
    let tests = tested.len();
    for (&i, &p_holm) in tested.iter().zip(&corrected) {
        findings[i].p_holm = Some(p_holm);
    }
    for finding in &mut findings {
        settle(finding, tests);
    }
    // Standing out first, then tested, then untested; within each, the largest first.
    let strength = |f: &Finding| f.effect.as_ref().map_or(-1.0, |e| e.strength);
    findings.sort_by(|x, y| {
        let group = |f: &Finding| {
            if f.standout {
                0
            } else if f.test.is_some() {
                1
            } else {
                2
            }
        };
        group(x).cmp(&group(y)).then(strength(y).total_cmp(&strength(x)))
    });
    let standing_out = findings.iter().filter(|f| f.standout).count();
    let min = rules.min_group;
    Standouts {
        campaign: campaign.map(String::from),
        stories: rules.disclosure.show(rows.len() as u32),
        min_group: min,
        min_cell: rules.disclosure.min_cell(),
        alpha: ALPHA,
        tests,
        standing_out,
        findings,
        note: Text::new(
            &format!(
                "We hebben {tests} keer twee vragen met elkaar vergeleken. {standing_out} daarvan vallen op: dat verschil komt waarschijnlijk niet door toeval, \
                 ook als je meetelt dat we zoveel vergelijkingen deden (methode van Holm). Antwoorden met minder dan {min} verhalen tellen niet mee. \
                 Bovenaan staan de grootste verschillen. Lees de verhalen voordat je iets concludeert."
            ),
            &format!(
                "We compared two questions {tests} times. {standing_out} of them stand out: the difference is unlikely to be chance, even counting \
                 how many comparisons we made (Holm's method). Answers with fewer than {min} stories are left out. The largest differences come first. \
                 Read the stories before concluding anything."
            ),
        ),
    }
}

/// One pair of questions tested on its own (the overview's finding for it, with p corrected
/// for this one test only): `a` and `b` are question ids, a slider and a choice question,
/// two sliders or two choice questions, in either order. An error names the question that
/// is not one of these (or the language, which is not tested).
pub fn pattern(data: &Dataset, campaign: Option<&str>, a: &str, b: &str, rules: TestRules) -> Result<Finding, InsightError> {
    let schema = data.schema();
    let choice = |id: &str| schema.dimension(id).filter(|&d| schema.dimensions[d].id != LANG);
    let pair = match ((schema.scale(a), choice(a)), (schema.scale(b), choice(b))) {
        _ if a == b => return Err(InsightError::bad("b", "choose two different questions")),
        ((Some(s), _), (Some(t), _)) => Pair::SliderSlider(s, t),
        ((Some(s), _), (_, Some(d))) | ((_, Some(d)), (Some(s), _)) => Pair::SliderChoice(s, d),
        // The experience as rows, who told it as columns, as in the overview.
        ((_, Some(d)), (_, Some(e))) if schema.dimensions[d].identifying && !schema.dimensions[e].identifying => Pair::ChoiceChoice(e, d),
        ((_, Some(d)), (_, Some(e))) => Pair::ChoiceChoice(d, e),
        ((None, None), _) => return Err(InsightError::bad("a", format!("`{a}` is not a slider or choice question of this questionnaire"))),
        _ => return Err(InsightError::bad("b", format!("`{b}` is not a slider or choice question of this questionnaire"))),
    };
    let mut filter = Filter::default();
    if let Some(slug) = campaign {
        filter.only_campaign(slug);
    }
    let rows = rows_of(data, &filter);
    let context = Context { data, rows: &rows, filter: &filter, rules };
    let tally = context.count(&[pair]).pop().expect("one tally per pair");
    let mut finding = context.run(tally);
    finding.p_holm = finding.p;
    settle(&mut finding, 1);
    Ok(finding)
}

/// Once `p_holm` is known (corrected for `tests` tests): whether the finding and its pairs
/// stand out (a pair only when its finding does), the notes, the figures as published.
fn settle(finding: &mut Finding, tests: usize) {
    let reliable = !matches!(finding.words, Words::Table { reliable: false, .. });
    finding.standout = reliable && finding.p_holm.is_some_and(|p| p < ALPHA);
    if finding.test.is_some() {
        finding.note = note(finding, tests);
    }
    let (slider, question) = (finding.a.label.clone(), finding.b.label.clone());
    for pair in &mut finding.pairs {
        pair.standout &= finding.standout;
        let (lower, higher, low_end, corrected) = &pair.words;
        let size = Size::of(pair.rank_biserial);
        pair.note = two_groups(&slider, low_end, &question, lower, higher, size, pair.standout, &p_text(pair.p_holm, Some(*corrected)));
    }
    round_figures(finding);
}

/// The rows of the stories that pass `filter` (a campaign, or none).
fn rows_of(data: &Dataset, filter: &Filter) -> Vec<usize> {
    let compiled = filter.compile(data);
    (0..data.len()).filter(|&row| compiled.matches(data, row)).collect()
}

#[cfg(test)]
mod tests {
    use storypoint_core::{Answers, default_questionnaire};

    use super::sentence::significant;
    use super::tally::Tally;
    use super::*;
    use crate::{Request, StoryInput, View};

    /// Agreement to 4 significant digits.
    #[track_caller]
    fn close(actual: Option<f64>, expected: f64) {
        let actual = actual.expect("a figure");
        assert!((actual - expected).abs() / expected.abs() < 5e-4, "{actual} is not {expected} to 4 significant digits");
    }

    fn rules() -> TestRules {
        TestRules::new(MIN_TEST_GROUP, Disclosure::new(5).unwrap()).unwrap()
    }

    /// 40 children and 25 parents with different slider answers, 3 professionals (too few to
    /// test), and 10 stories of another campaign that must not count. In Python:
    /// child seen_heard a[i] = (i * 37) % 101, effect (i * 29) % 101, emotion "happy" when
    /// i % 4 == 0 else "angry" (i in 0..40); parent seen_heard c[i] = (i * 17) % 61, effect
    /// (i * 31) % 50, emotion "angry" when i % 4 == 0 else "happy" (i in 0..25);
    /// professional seen_heard 50, effect 50, emotion "proud" (3 times).
    fn stories() -> Dataset {
        let mut data = Dataset::new(&default_questionnaire());
        let mut id = 0;
        let mut push = |data: &mut Dataset, campaign: &str, perspective: &str, emotion: &str, seen_heard: i64, effect: i64| {
            id += 1;
            let answers = Answers::new()
                .with_text("perspective", perspective)
                .with_text("emotion", emotion)
                .with_integer("seen_heard", seen_heard)
                .with_integer("effect", effect);
            data.push(&StoryInput { id, received_on: "2026-03-04", lang: "nl", answers: &answers, campaign, version: 1 });
        };
        for i in 0..40 {
            push(&mut data, "regio", "child", if i % 4 == 0 { "happy" } else { "angry" }, (i * 37) % 101, (i * 29) % 101);
        }
        for i in 0..25 {
            push(&mut data, "regio", "parent", if i % 4 == 0 { "angry" } else { "happy" }, (i * 17) % 61, (i * 31) % 50);
        }
        for _ in 0..3 {
            push(&mut data, "regio", "professional", "proud", 50, 50);
        }
        for _ in 0..10 {
            push(&mut data, "elders", "parent", "angry", 100, 0);
        }
        data
    }

    fn find<'a>(overview: &'a Standouts, a: &str, b: &str) -> &'a Finding {
        overview.findings.iter().find(|f| f.a.id == a && f.b.id == b).unwrap_or_else(|| panic!("no finding {a} × {b}"))
    }

    #[test]
    fn a_slider_per_answer_agrees_with_scipy() {
        let overview = standouts(&stories(), Some("regio"), rules());
        let f = find(&overview, "seen_heard", "perspective");
        // scipy.stats.kruskal(a, c) → statistic 7.904218186586259, pvalue 0.00493196528461735.
        assert_eq!((f.kind, f.test, f.df), (Kind::SliderChoice, Some("kruskal_wallis"), Some(1)));
        close(f.h, 7.904218);
        close(f.p, 0.004931965);
        // Six tests run (two sliders per perspective and per emotion, the two sliders, emotion ×
        // perspective): statsmodels.stats.multitest.multipletests([0.00493196528461735,
        // 0.004823559390836499, 0.42284718783653696, 0.011821169463594112, 0.01745439703156935,
        // 1.5089565704354287e-05], method="holm")[1][0] → 0.024117796954182497.
        assert_eq!(overview.tests, 6);
        close(f.p_holm, 0.02411780);
        assert!(f.standout);
        // ε² = H / (N − 1) with N = 65.
        close(f.effect.as_ref().map(|e| e.value), 7.904218 / 64.0);
        // scipy.stats.mannwhitneyu(a, c, method="asymptotic", use_continuity=True) →
        // statistic 708.5, pvalue 0.005036310732702047.
        assert_eq!(f.pairs.len(), 1);
        let pair = &f.pairs[0];
        assert_eq!((pair.a.as_str(), pair.b.as_str(), pair.u), ("child", "parent", 708.5));
        close(Some(pair.p), 0.005036311);
        assert_eq!(pair.p_holm, pair.p, "one pair: nothing to correct");
        assert!(pair.rank_biserial > 0.0 && pair.standout);
        // Group sizes as shown; the professionals left out, with their size as "< 5".
        let sizes: Vec<(String, String)> = f.groups.iter().map(|g| (g.value.clone(), g.n.to_string())).collect();
        assert_eq!(sizes, vec![("child".to_string(), "40".to_string()), ("parent".to_string(), "25".to_string())]);
        let professional = f.left_out.iter().find(|l| l.value == "professional").unwrap();
        assert_eq!(professional.n.to_string(), "< 5");
        assert_eq!(professional.reason.nl, "minder dan 20 verhalen");
        assert_eq!(f.n.to_string(), "65");
    }

    #[test]
    fn notes_are_plain_dutch_with_the_corrected_p() {
        let overview = standouts(&stories(), Some("regio"), rules());
        let f = find(&overview, "seen_heard", "perspective");
        assert_eq!(
            f.note.nl,
            "Wie bij ‘Ik vertel dit als’ ‘Ouder, verzorger of familie’ koos, antwoordde op ‘Werd het kind of de jongere gezien en gehoord?’ \
             meestal lager (meer naar ‘Helemaal niet’) dan wie ‘Kind (jonger dan 12 jaar)’ koos. Dit verschil is middelgroot en komt \
             waarschijnlijk niet door toeval (p = 0,024, gecorrigeerd voor 6 vergelijkingen)."
        );
        // English from the widget's translation, the questions and answers too.
        assert!(f.note.get(Lang::EN).starts_with("Those who chose ‘Parent, carer or family’ for ‘I am telling this as’"), "{}", f.note.get(Lang::EN));
        let emotion = find(&overview, "seen_heard", "emotion");
        assert!(!emotion.standout);
        assert!(emotion.note.nl.contains("iets lager") && emotion.note.nl.contains("kan goed toeval zijn (p = 0,423"), "{}", emotion.note.nl);
        assert!(overview.note.nl.starts_with("We hebben 6 keer twee vragen met elkaar vergeleken. 5 daarvan vallen op"), "{}", overview.note.nl);
        // A note says "unlikely to be chance" exactly when its finding (or pair) stands out, and
        // a pair only stands out when its finding does.
        for f in &overview.findings {
            assert_eq!(f.note.nl.contains("waarschijnlijk niet door toeval"), f.standout, "{}", f.note.nl);
            for pair in &f.pairs {
                assert!(!pair.standout || f.standout);
                assert_eq!(pair.note.nl.contains("waarschijnlijk niet door toeval"), pair.standout, "{}", pair.note.nl);
            }
        }
    }

    #[test]
    fn two_sliders_agree_with_scipy() {
        let overview = standouts(&stories(), Some("regio"), rules());
        let f = find(&overview, "seen_heard", "effect");
        // scipy.stats.spearmanr(a + c + [50] * 3, ea + ec + [50] * 3) with the answers above →
        // statistic 0.28746933501876204, pvalue 0.01745439703156935; Holm (as above) → 0.035463508390782335.
        assert_eq!((f.kind, f.test), (Kind::SliderSlider, Some("spearman")));
        close(f.rho, 0.2874693);
        close(f.p, 0.01745440);
        close(f.p_holm, 0.03546351);
        assert_eq!(f.n.to_string(), "70", "68 stories, rounded");
        assert_eq!(f.query, None, "no view shows two sliders yet");
        assert!(f.note.nl.starts_with("Hoe hoger het antwoord op ‘Werd het kind of de jongere gezien en gehoord?’, hoe hoger meestal ook"), "{}", f.note.nl);
    }

    #[test]
    fn two_choice_questions_are_tested_on_the_counts_as_shown() {
        let overview = standouts(&stories(), Some("regio"), rules());
        let f = find(&overview, "emotion", "perspective");
        // Exact [[30, 7], [10, 18]] (angry, happy × child, parent) is shown as [[30, 5], [10, 20]]:
        // scipy.stats.chi2_contingency([[30, 5], [10, 20]], correction=False) → statistic
        // 18.72619047619047, pvalue 1.5089565704354287e-05, dof 1;
        // scipy.stats.contingency.association([[30, 5], [10, 20]], method="cramer") → 0.5367450401216932.
        assert_eq!((f.kind, f.test, f.df), (Kind::ChoiceChoice, Some("chi_square"), Some(1)));
        close(f.chi2, 18.72619);
        close(f.p, 1.508957e-5);
        close(f.cramers_v, 0.5367450);
        close(f.p_holm, 9.053739e-5);
        assert!(f.standout);
        assert_eq!(f.effect.as_ref().map(|e| e.size), Some(Size::Large));
        // "Proud" (3) and the professionals (3) are left out; they were never tested.
        assert!(f.left_out.iter().any(|l| l.question == "emotion" && l.value == "proud" && l.n.to_string() == "< 5"));
        assert!(f.left_out.iter().any(|l| l.question == "perspective" && l.value == "professional"));
        assert!(f.note.nl.contains("Vooral ‘Blij’ samen met ‘Ouder, verzorger of familie’ komt vaker voor"), "{}", f.note.nl);
        assert!(f.note.nl.contains("Cramérs V = 0,54"), "{}", f.note.nl);
    }

    #[test]
    fn findings_link_to_their_views_and_stand_out_first() {
        let data = stories();
        let overview = standouts(&data, Some("regio"), rules());
        let f = find(&overview, "seen_heard", "perspective");
        let query = f.query.as_deref().unwrap();
        assert_eq!(query, "question=seen_heard&by=perspective&campaign=regio");
        let request = Request::parse(data.schema(), query).unwrap();
        assert!(matches!(request.view, View::Distribution(_)) && request.filter.campaign() == Some("regio"));
        let table = find(&overview, "emotion", "perspective").query.clone().unwrap();
        assert_eq!(table, "view=crosstab&row=emotion&col=perspective&campaign=regio");
        assert!(matches!(Request::parse(data.schema(), &table).unwrap().view, View::CrossTab { .. }));
        // Standing out first, the largest first; then tested; then untested.
        let order: Vec<(bool, bool)> = overview.findings.iter().map(|f| (f.standout, f.test.is_some())).collect();
        let mut sorted = order.clone();
        sorted.sort_by_key(|&(standout, tested)| (!standout, !tested));
        assert_eq!(order, sorted);
        let strengths: Vec<f64> = overview.findings.iter().take_while(|f| f.standout).map(|f| f.effect.as_ref().unwrap().strength).collect();
        assert!(strengths.windows(2).all(|w| w[0] >= w[1]), "{strengths:?}");
        assert_eq!(overview.findings[0].a.id, "emotion", "V = 0.54 is the largest");
        assert_eq!(overview.standing_out, 5);
    }

    #[test]
    fn only_the_campaign_counts_and_nothing_small_is_exact() {
        let overview = standouts(&stories(), Some("regio"), rules());
        assert_eq!(overview.stories.to_string(), "70", "68 stories of the campaign, not the 10 of another");
        let json = serde_json::to_string(&overview).unwrap();
        for exact in ["\"n\":3,", "\"n\":7,", "\"n\":68,", "\"n\":37,", "\"n\":28,"] {
            assert!(!json.contains(exact), "{exact} in {json}");
        }
        assert!(json.contains("\"p_holm\":") && json.contains("\"cramers_v\":") && json.contains("\"rho\":") && json.contains("\"h\":"));
        // Every campaign together: the other campaign's 10 parents join.
        let all = standouts(&stories(), None, rules());
        assert_eq!(all.stories.to_string(), "80");
        assert_eq!(find(&all, "seen_heard", "perspective").query.as_deref(), Some("question=seen_heard&by=perspective"));
    }

    #[test]
    fn small_groups_one_group_no_stories_and_all_ties_are_not_tested() {
        // No stories: nothing is tested, every pair says why.
        let empty = standouts(&Dataset::new(&default_questionnaire()), None, rules());
        assert_eq!((empty.tests, empty.standing_out), (0, 0));
        assert!(empty.findings.iter().all(|f| f.test.is_none() && f.p.is_none() && !f.note.nl.is_empty()));
        let f = find(&empty, "seen_heard", "perspective");
        assert_eq!(f.note.nl, "Niet getoetst: er zijn geen twee antwoorden met elk minstens 20 verhalen.");
        assert_eq!(find(&empty, "seen_heard", "effect").note.nl, "Niet getoetst: minder dan 20 verhalen beantwoordden beide vragen.");

        // One group big enough, one too small: no test; the small one is named.
        let mut data = Dataset::new(&default_questionnaire());
        let answers =
            |perspective: &str, value: i64| Answers::new().with_text("perspective", perspective).with_integer("seen_heard", value).with_integer("effect", 40);
        for (id, (perspective, value)) in (0..30).map(|i| ("child", i)).chain((0..19).map(|i| ("parent", i))).enumerate() {
            data.push(&StoryInput {
                id: id as i64,
                received_on: "2026-03-04",
                lang: "nl",
                answers: &answers(perspective, value),
                campaign: "default",
                version: 1,
            });
        }
        let overview = standouts(&data, None, rules());
        let f = find(&overview, "seen_heard", "perspective");
        assert_eq!(f.test, None);
        assert_eq!(f.groups.len(), 1);
        let parent = f.left_out.iter().find(|l| l.value == "parent").unwrap();
        assert_eq!(parent.n.to_string(), "20", "19, rounded: the rule is on the exact size");
        // Effect is 40 for everyone: Spearman has nothing to rank.
        assert_eq!(find(&overview, "seen_heard", "effect").note.nl, "Niet getoetst: iedereen gaf op een van de vragen hetzelfde antwoord.");
        // With the minimum at 19, both groups are tested.
        let lower = TestRules::new(19, Disclosure::new(5).unwrap()).unwrap();
        assert_eq!(find(&standouts(&data, None, lower), "seen_heard", "perspective").test, Some("kruskal_wallis"));

        // All ties within tested groups.
        let mut data = Dataset::new(&default_questionnaire());
        for id in 0..50 {
            let answers = answers(if id % 2 == 0 { "child" } else { "parent" }, 70);
            data.push(&StoryInput { id, received_on: "2026-03-04", lang: "nl", answers: &answers, campaign: "default", version: 1 });
        }
        let f = find(&standouts(&data, None, rules()), "seen_heard", "perspective").clone();
        assert_eq!((f.test, f.note.nl.as_str()), (None, "Niet getoetst: iedereen gaf hetzelfde antwoord."));
    }

    #[test]
    fn the_minimum_group_is_above_the_disclosure_threshold() {
        let k5 = Disclosure::new(5).unwrap();
        assert!(TestRules::new(5, k5).is_err());
        assert!(TestRules::new(6, k5).is_ok());
        assert_eq!(rules().min_group(), 20);
    }

    #[test]
    fn pairs_of_two_teller_questions_and_the_language_are_not_tested() {
        let overview = standouts(&stories(), None, rules());
        assert!(overview.findings.iter().all(|f| f.a.id != LANG && f.b.id != LANG));
        let schema = stories().schema().clone();
        let about = |id: &str| schema.dimensions[schema.dimension(id).unwrap()].identifying;
        assert!(overview.findings.iter().filter(|f| f.kind == Kind::ChoiceChoice).all(|f| !(about(&f.a.id) && about(&f.b.id))));
        assert!(overview.findings.iter().any(|f| f.a.id == "emotion" && f.b.id == "perspective"));
    }

    #[test]
    fn one_pair_is_tested_on_its_own() {
        let data = stories();
        let f = pattern(&data, Some("regio"), "perspective", "seen_heard", rules()).unwrap();
        assert_eq!((f.a.id.as_str(), f.b.id.as_str()), ("seen_heard", "perspective"), "the slider first, whichever order asked");
        close(f.p, 0.004931965);
        assert_eq!(f.p_holm, f.p, "one test: nothing to correct");
        assert!(f.standout && f.note.nl.ends_with("(p = 0,005)."), "{}", f.note.nl);
        let table = pattern(&data, None, "perspective", "emotion", rules()).unwrap();
        assert_eq!((table.test, table.a.id.as_str()), (Some("chi_square"), "emotion"));
        assert_eq!(pattern(&data, None, "effect", "seen_heard", rules()).unwrap().test, Some("spearman"));
        for (a, b, field) in [("story", "emotion", "a"), ("emotion", "lang", "b"), ("emotion", "emotion", "b")] {
            assert!(matches!(pattern(&data, None, a, b, rules()), Err(InsightError::BadParameter { field: f, .. }) if f == field), "{a} × {b}");
        }
    }

    #[test]
    fn one_pass_counts_what_the_cross_tab_view_counts() {
        let data = stories();
        let mut filter = Filter::default();
        filter.only_campaign("regio");
        let rows = rows_of(&data, &filter);
        let context = Context { data: &data, rows: &rows, filter: &filter, rules: rules() };
        let (d, e) = (data.schema().dimension("emotion").unwrap(), data.schema().dimension("perspective").unwrap());
        let Some(Tally::ChoiceChoice { counts, .. }) = context.count(&[Pair::ChoiceChoice(d, e)]).pop() else { panic!("a cross-tab") };
        assert_eq!(counts, crate::cross_tab(&data, &filter, d, e).counts);
    }

    #[test]
    fn p_reads_as_dutch() {
        assert_eq!(p_text(0.0001, None).0, "p < 0,001");
        assert_eq!(p_text(0.04996, None).0, "p < 0,05");
        assert_eq!(
            p_text(0.003, Some(12)),
            ("p = 0,003, gecorrigeerd voor 12 vergelijkingen".to_string(), "p = 0.003, corrected for 12 comparisons".to_string())
        );
        assert_eq!(significant(0.0049319652846), 0.004932);
        assert_eq!(significant(708.5), 708.5);
        assert_eq!(significant(123456.0), 123500.0);
    }
}
