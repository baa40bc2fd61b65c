//! How long each insight view takes on 100,000 generated stories (issue 7: < 200 ms, goal
//! < 50 ms). Prints the median and the slowest of repeated runs; asserts nothing about time.
//!
//! `cargo bench -p storypoint-insight --bench patterns` (add `-- 1000000` for another size).
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use storypoint_core::{Answers, NOT_APPLICABLE, QuestionKind, default_questionnaire};
use storypoint_insight::*;

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let questionnaire = default_questionnaire();
    let mut rng = StdRng::seed_from_u64(7);
    let organisations: Vec<String> = (0..60).map(|i| format!("Organisatie {i}")).collect();
    let days = ["2025-02-10", "2025-06-01", "2025-10-20", "2026-01-15", "2026-04-04", "2026-09-30"];

    // Every choice question answered at random (80%), sliders 0–100 or "does not apply".
    let mut stories = Vec::with_capacity(n);
    for _ in 0..n {
        let mut answers = Answers::new().with_text("story", "Een verhaal.");
        for question in questionnaire.questions() {
            if !rng.random_bool(0.8) {
                continue;
            }
            match &question.kind {
                QuestionKind::Slider { .. } if rng.random_bool(0.1) => answers = answers.with_text(&question.id, NOT_APPLICABLE),
                QuestionKind::Slider { .. } => answers = answers.with_integer(&question.id, rng.random_range(0..=100)),
                kind => {
                    if let Some(values) = kind.option_values() {
                        answers = answers.with_text(&question.id, values.choose(&mut rng).unwrap());
                    }
                }
            }
        }
        answers = answers.with_text("organisation", organisations.choose(&mut rng).unwrap());
        stories.push((answers, *days.choose(&mut rng).unwrap(), if rng.random_bool(0.9) { "nl" } else { "en" }));
    }
    let started = Instant::now();
    let mut data = Dataset::new(&questionnaire);
    for (id, (answers, day, lang)) in stories.iter().enumerate() {
        data.push(&StoryInput { id: id as i64 + 1, received_on: day, lang, answers, campaign: "default", version: 1 });
    }
    let load = started.elapsed();
    let rules = Disclosure::new(5).unwrap();

    // The first listing after new stories also counts who is alike (then it is cached):
    // timed on copies made before any listing.
    let request = Request::parse(data.schema(), "view=stories&question=emotion&by=perspective&value=angry&group=child").unwrap();
    let View::Stories { view, cell, group } = request.view else { unreachable!() };
    let copies: Vec<Dataset> = (0..16).map(|_| data.clone()).collect();
    let mut next = copies.iter();
    let first_listing = time(|| {
        let fresh = next.next().expect("a copy per run");
        let started = Instant::now();
        std::hint::black_box(rules.listing(fresh, &request.filter, &view, cell, group));
        started.elapsed()
    });
    drop(copies);

    println!("insight views on {n} generated stories (median and slowest of the runs; one core)");
    println!("{:<58} {:>10} {:>10}", "view", "median", "slowest");
    println!("{:<58} {:>10.1} {:>10}", "load the facts (once; later only new stories)", ms(load), "");
    let views = [
        ("distribution: emotion per perspective", "question=emotion&by=perspective"),
        (
            "distribution, filtered (age, organisation type, period)",
            "question=emotion&by=perspective&age_group=under_12&organisation_type=school&from=2025-06&to=2026-04",
        ),
        ("slider: seen_heard per perspective (strip + median)", "question=seen_heard&by=perspective"),
        ("rounds: treatment, 2025 against 2026", "question=treatment&by=rounds&a_from=2025-01&a_to=2025-12&b_from=2026-01&b_to=2026-12"),
        ("cross-tab: system theme × treatment, with χ²", "view=crosstab&row=system_theme&col=treatment"),
        ("stories behind a bar (members + listing)", "view=stories&question=emotion&by=perspective&value=angry&group=child"),
    ];
    let mut slowest_median = Duration::ZERO;
    for (name, query) in views {
        let request = Request::parse(data.schema(), query).unwrap();
        let (median, max) = time(|| match &request.view {
            View::Distribution(view) => {
                let exact = distribution(&data, &request.filter, view);
                std::hint::black_box(rules.distribution(&data, &exact, &request.filter));
            }
            View::CrossTab { rows, columns } => {
                let exact = cross_tab(&data, &request.filter, *rows, *columns);
                std::hint::black_box(rules.cross_tab(&data, &exact, &request.filter));
            }
            View::Stories { view, cell, group } => {
                std::hint::black_box(rules.listing(&data, &request.filter, view, *cell, *group));
            }
            View::Report => {}
        });
        slowest_median = slowest_median.max(median);
        println!("{name:<58} {:>10.1} {:>10.1}", ms(median), ms(max));
    }
    // Issue 22: the tests of one pair of questions each (as `pattern` runs them), then the
    // overview "patronen die opvallen" of every pair (Holm, ranked), over the campaign.
    let tests = TestRules::new(MIN_TEST_GROUP, rules).unwrap();
    let pairs = [
        ("test: seen_heard per emotion (Kruskal–Wallis + 21 × U)", "seen_heard", "emotion"),
        ("test: seen_heard × effect (Spearman)", "seen_heard", "effect"),
        ("test: system theme × treatment (χ² + Cramér's V)", "system_theme", "treatment"),
    ];
    for (name, a, b) in pairs {
        let (median, max) = time(|| {
            std::hint::black_box(pattern(&data, Some("default"), a, b, tests).unwrap());
        });
        slowest_median = slowest_median.max(median);
        println!("{name:<58} {:>10.1} {:>10.1}", ms(median), ms(max));
    }
    let overview = standouts(&data, Some("default"), tests);
    let (overview_median, overview_max) = time(|| {
        std::hint::black_box(standouts(&data, Some("default"), tests));
    });
    let name = format!("overview: every pair ({} tests, Holm, ranked)", overview.tests);
    println!("{name:<58} {:>10.1} {:>10.1}", ms(overview_median), ms(overview_max));
    let (median, max) = first_listing;
    println!("{:<58} {:>10.1} {:>10.1}", "first listing after new stories (groups of alike tellers)", ms(median), ms(max));
    println!("(all figures in ms)");
    println!(
        "slowest view or test median: {:.1} ms — bar < 200 ms, goal < 50 ms (the overview: {:.1} ms)",
        ms(slowest_median.max(median)),
        ms(overview_median)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `work` 15 times (after one warm-up); the median and the slowest.
fn time<T: Timed>(mut work: impl FnMut() -> T) -> (Duration, Duration) {
    let _ = work();
    let mut runs: Vec<Duration> = (0..15)
        .map(|_| {
            let started = Instant::now();
            let result = work();
            result.duration().unwrap_or_else(|| started.elapsed())
        })
        .collect();
    runs.sort();
    (runs[runs.len() / 2], runs[runs.len() - 1])
}

/// Lets a run report its own time (to leave out set-up such as a clone).
trait Timed {
    fn duration(&self) -> Option<Duration>;
}

impl Timed for () {
    fn duration(&self) -> Option<Duration> {
        None
    }
}

impl Timed for Duration {
    fn duration(&self) -> Option<Duration> {
        Some(*self)
    }
}
