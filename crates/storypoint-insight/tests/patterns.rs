//! Patterns on generated stories with known counts, and the suppression promise for every
//! view and filter combination.
use proptest::prelude::*;
use storypoint_core::{Answers, NOT_APPLICABLE, Value, default_questionnaire};
use storypoint_insight::*;

/// One generated story, as plain facts the test can count by hand.
#[derive(Clone, Debug)]
struct Fake {
    perspective: Option<&'static str>,
    age_group: &'static str,
    emotion: Option<&'static str>,
    treatment: &'static str,
    seen_heard: Option<i64>, // -1: does not apply
    organisation: &'static str,
    lang: &'static str,
    day: &'static str,
    campaign: &'static str,
}

const PERSPECTIVES: &[&str] = &["child", "young_person", "parent", "professional", "other"];
const EMOTIONS: &[&str] = &["angry", "sad", "afraid", "surprised", "relieved", "happy", "proud"];
const TREATMENTS: &[&str] = &["warm", "respectful", "businesslike", "distant", "disrespectful"];
const AGES: &[&str] = &["under_12", "12_to_18", "unknown"];
const ORGS: &[&str] = &["Basisschool De Esch", "Wijkteam Noord", "Jeugdzorg Plus"];
const DAYS: &[&str] = &["2025-03-14", "2025-11-02", "2026-02-20", "2026-06-30"];

fn answers(fake: &Fake) -> Answers {
    let mut a = Answers::new()
        .with_text("prompt", "geholpen")
        .with_text("story", "Een verhaal.")
        .with_text("age_group", fake.age_group)
        .with_text("treatment", fake.treatment)
        .with_text("organisation", fake.organisation);
    if let Some(p) = fake.perspective {
        a = a.with_text("perspective", p);
    }
    if let Some(e) = fake.emotion {
        a = a.with_text("emotion", e);
    }
    match fake.seen_heard {
        Some(-1) => a = a.with_text("seen_heard", NOT_APPLICABLE),
        Some(n) => a = a.with_integer("seen_heard", n),
        None => {}
    }
    a
}

fn dataset(fakes: &[Fake]) -> Dataset {
    let mut data = Dataset::new(&default_questionnaire());
    for (id, fake) in fakes.iter().enumerate() {
        data.push(&StoryInput { id: id as i64 + 1, received_on: fake.day, lang: fake.lang, answers: &answers(fake), campaign: fake.campaign, version: 1 });
    }
    data
}

/// A known set: story i has perspective i % 5 (child gets the extra ones), emotion
/// i % 7 except every 10th unanswered, slider i % 101 except every 9th "does not apply".
fn known(n: usize) -> Vec<Fake> {
    (0..n)
        .map(|i| Fake {
            perspective: Some(PERSPECTIVES[i % 5]),
            age_group: AGES[i % 3],
            emotion: (i % 10 != 0).then(|| EMOTIONS[i % 7]),
            treatment: TREATMENTS[i % 5],
            seen_heard: Some(if i % 9 == 0 { -1 } else { (i % 101) as i64 }),
            organisation: ORGS[i % 3],
            lang: if i % 4 == 0 { "en" } else { "nl" },
            day: DAYS[i % 4],
            campaign: if i % 2 == 0 { "default" } else { "twente-2027" },
        })
        .collect()
}

fn request(data: &Dataset, query: &str) -> Request {
    Request::parse(data.schema(), query).unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn exact(data: &Dataset, query: &str) -> Distribution {
    let request = request(data, query);
    distribution(data, &request.filter, &request.distribution().unwrap())
}

#[test]
fn distributions_count_what_was_told() {
    let fakes = known(700);
    let data = dataset(&fakes);
    let d = exact(&data, "question=emotion&by=perspective");
    assert_eq!(d.groups.len(), 1 + PERSPECTIVES.len());
    assert_eq!(d.groups[0].stories, 700);
    for (e, emotion) in EMOTIONS.iter().enumerate() {
        let by_hand = fakes.iter().filter(|f| f.emotion == Some(emotion)).count() as u32;
        assert_eq!(d.groups[0].cells[e], by_hand, "{emotion}");
        for (p, perspective) in PERSPECTIVES.iter().enumerate() {
            let by_hand = fakes.iter().filter(|f| f.emotion == Some(emotion) && f.perspective == Some(perspective)).count();
            assert_eq!(d.groups[p + 1].cells[e], by_hand as u32, "{emotion} × {perspective}");
        }
    }
    assert_eq!(d.groups[0].unanswered, 70);

    let s = exact(&data, "question=seen_heard&by=none&age_group=under_12");
    let chosen: Vec<&Fake> = fakes.iter().filter(|f| f.age_group == "under_12").collect();
    assert_eq!(s.groups[0].stories as usize, chosen.len());
    assert_eq!(s.groups[0].not_applicable as usize, chosen.iter().filter(|f| f.seen_heard == Some(-1)).count());
    for bin in 0..SCALE_BINS {
        let by_hand = chosen.iter().filter(|f| f.seen_heard.is_some_and(|v| v >= 0 && ((v / 10) as usize).min(9) == bin)).count();
        assert_eq!(s.groups[0].cells[bin] as usize, by_hand, "bin {bin}");
    }
    let mut values: Vec<i64> = chosen.iter().filter_map(|f| f.seen_heard).filter(|&v| v >= 0).collect();
    values.sort();
    assert_eq!(i64::from(s.groups[0].median().unwrap()), values[(values.len() - 1) / 2]);
}

#[test]
fn filters_combine_and_periods_compare() {
    let fakes = known(400);
    let data = dataset(&fakes);
    let d = exact(&data, "question=treatment&by=none&perspective=child&perspective=parent&lang=nl&organisation=Wijkteam+Noord&from=2025-11&to=2026-02");
    let by_hand = fakes
        .iter()
        .filter(|f| matches!(f.perspective, Some("child" | "parent")) && f.lang == "nl" && f.organisation == "Wijkteam Noord")
        .filter(|f| f.day >= "2025-11" && f.day < "2026-03")
        .count();
    assert_eq!(d.groups[0].stories as usize, by_hand);
    assert!(by_hand > 0);

    let rounds = exact(&data, "question=emotion&by=rounds&a_from=2025-01&a_to=2025-12&b_from=2026-01&b_to=2026-12");
    assert_eq!(rounds.groups.len(), 3);
    assert_eq!(rounds.groups[1].stories as usize, fakes.iter().filter(|f| f.day.starts_with("2025")).count());
    assert_eq!(rounds.groups[2].stories as usize, fakes.iter().filter(|f| f.day.starts_with("2026")).count());
    assert!(rounds.groups[1].label.nl.contains("2025-01 t/m 2025-12"));
}

#[test]
fn a_campaign_sees_only_its_own_organisations_and_campaign() {
    // Wijkteam Noord tells only in one campaign; Jeugdzorg Plus only in the other.
    let mut fakes = known(30);
    for (i, fake) in fakes.iter_mut().enumerate() {
        fake.organisation = if i % 2 == 0 { "Wijkteam Noord" } else { "Jeugdzorg Plus" };
    }
    let data = dataset(&fakes);
    assert_eq!(data.organisations(None, 5), ["Wijkteam Noord", "Jeugdzorg Plus"]);
    assert_eq!(data.organisations(Some("default"), 5), ["Wijkteam Noord"]);
    assert_eq!(data.organisations(Some("twente-2027"), 5), ["Jeugdzorg Plus"]);
    assert!(data.organisations(Some("elders"), 1).is_empty(), "an unknown campaign: nothing");
    assert_eq!(data.campaigns_in(None), ["default", "twente-2027"]);
    assert_eq!(data.campaigns_in(Some("twente-2027")), ["twente-2027"]);
    // The threshold counts the campaign's own stories only: 3 there are too few.
    fakes.truncate(6);
    let data = dataset(&fakes);
    assert!(data.organisations(Some("default"), 5).is_empty());
    assert_eq!(data.organisations(Some("default"), 3), ["Wijkteam Noord"]);
}

#[test]
fn a_strong_pattern_is_called_unlikely_chance_and_noise_is_not() {
    // Children are mostly angry, professionals mostly relieved.
    let mut fakes = Vec::new();
    for i in 0..200 {
        let (perspective, emotion) = if i % 2 == 0 {
            ("child", if i % 10 == 0 { "relieved" } else { "angry" })
        } else {
            ("professional", if i % 10 == 1 { "angry" } else { "relieved" })
        };
        fakes.push(Fake { perspective: Some(perspective), emotion: Some(emotion), ..known(1)[0].clone() });
    }
    let data = dataset(&fakes);
    let request = request(&data, "view=crosstab&row=emotion&col=perspective");
    let View::CrossTab { rows, columns } = request.view else { panic!() };
    let table = cross_tab(&data, &request.filter, rows, columns);
    let shown = Disclosure::new(5).unwrap().cross_tab(&data, &table, &request.filter);
    assert_eq!(shown.test.as_ref().unwrap().verdict, Verdict::UnlikelyChance);
    let angry = shown.rows.iter().find(|r| r.value == "angry").unwrap();
    assert_eq!(angry.cells[0].count, Shown::About(80), "angry children");
    assert_eq!(angry.cells[0].percent, Some(80), "row percentage from shown counts: 80 of 100");
    assert!(shown.test.as_ref().unwrap().note.nl.contains("waarschijnlijk niet door toeval"));

    let noise = dataset(&known(700));
    let table = cross_tab(&noise, &request.filter, rows, columns);
    let shown = Disclosure::new(5).unwrap().cross_tab(&noise, &table, &request.filter);
    assert_ne!(shown.test.unwrap().verdict, Verdict::UnlikelyChance, "a balanced design has no pattern");
}

#[test]
fn bad_requests_name_the_parameter() {
    let data = dataset(&known(10));
    for (query, field) in [
        ("question=naam", "question"),
        ("by=shoe_size", "by"),
        ("perspective=alien", "perspective"),
        ("colour=red", "colour"),
        ("from=2026-13", "from"),
        ("view=crosstab&row=emotion&col=emotion", "col"),
        ("view=stories&question=emotion", "value"),
        ("view=stories&question=emotion&value=angry&group=child&by=none", "group"),
        ("view=pie", "view"),
    ] {
        match Request::parse(data.schema(), query) {
            Err(InsightError::BadParameter { field: named, .. }) => assert_eq!(named, field, "{query}"),
            other => panic!("{query}: {other:?}"),
        }
    }
    assert!(matches!(Disclosure::new(2), Err(InsightError::ThresholdTooLow(2))));
}

#[test]
fn small_counts_are_hidden_and_large_ones_rounded() {
    let k = Disclosure::new(5).unwrap();
    let shown: Vec<String> = [0, 1, 4, 5, 7, 8, 12, 13, 100].iter().map(|&n| k.show(n).to_string()).collect();
    assert_eq!(shown, ["< 5", "< 5", "< 5", "5", "5", "10", "10", "15", "100"]);
    // Three stories from one organisation: shown as "< 5" and never listed.
    let mut fakes = known(60);
    for fake in fakes.iter_mut().take(3) {
        fake.organisation = "Het Kleine Huis";
    }
    let data = dataset(&fakes);
    let small = request(&data, "question=emotion&by=none&organisation=Het+Kleine+Huis");
    let view = small.distribution().unwrap();
    let shown = k.distribution(&data, &distribution(&data, &small.filter, &view), &small.filter);
    assert_eq!(shown.groups[0].stories.to_string(), "< 5");
    assert!(shown.groups[0].cells.iter().all(|c| c.stories_query.is_none() && c.percent.is_none()));
    for e in 0..EMOTIONS.len() {
        assert_eq!(k.listing(&data, &small.filter, &view, e, 0), Listing::Suppressed);
    }

    // In a large set every teller has many alike: the angry stories are listed, all of them.
    let data = dataset(&known(700));
    let angry = request(&data, "view=stories&question=emotion&by=perspective&value=angry&group=child");
    let View::Stories { view, cell, group } = angry.view.clone() else { panic!() };
    let by_hand: Vec<i64> =
        known(700).iter().enumerate().filter(|(_, f)| f.emotion == Some("angry") && f.perspective == Some("child")).map(|(i, _)| i as i64 + 1).collect();
    let Listing::Stories(listed) = k.listing(&data, &angry.filter, &view, cell, group) else { panic!("a bar of {} is listed", by_hand.len()) };
    assert_eq!(listed.iter().map(|s| s.id).collect::<Vec<_>>(), by_hand);
}

#[test]
fn the_test_and_the_median_see_only_what_is_shown() {
    // Two tables that differ only in a hidden cell (1 or 4 stories) give the same test.
    let table = |hidden: usize| {
        let mut fakes = Vec::new();
        for (perspective, emotion, n) in [("child", "angry", 30), ("child", "happy", hidden), ("parent", "angry", 10), ("parent", "happy", 25)] {
            for _ in 0..n {
                fakes.push(Fake { perspective: Some(perspective), emotion: Some(emotion), ..known(1)[0].clone() });
            }
        }
        let data = dataset(&fakes);
        let request = request(&data, "view=crosstab&row=emotion&col=perspective");
        let View::CrossTab { rows, columns } = request.view else { panic!() };
        let shown = Disclosure::new(5).unwrap().cross_tab(&data, &cross_tab(&data, &request.filter, rows, columns), &request.filter);
        serde_json::to_value(&shown.test).unwrap()
    };
    assert_eq!(table(1), table(4));
    // A slider group of exactly 5 answers at 37 shows the middle of its bin, not 37.
    let fakes: Vec<Fake> = (0..5).map(|_| Fake { seen_heard: Some(37), ..known(1)[0].clone() }).collect();
    let data = dataset(&fakes);
    let request = request(&data, "question=seen_heard&by=none");
    let d = distribution(&data, &request.filter, &request.distribution().unwrap());
    let shown = Disclosure::new(5).unwrap().distribution(&data, &d, &request.filter);
    assert_eq!(shown.groups[0].median, Some(35));
}

fn any_fake() -> impl Strategy<Value = Fake> {
    (
        prop::option::weighted(0.9, prop::sample::select(PERSPECTIVES)),
        prop::sample::select(AGES),
        prop::option::weighted(0.8, prop::sample::select(EMOTIONS)),
        prop::sample::select(TREATMENTS),
        prop::option::weighted(0.8, -1i64..=100),
        prop::sample::select(ORGS),
        prop::sample::select(&["nl", "en"][..]),
        (prop::sample::select(DAYS), prop::sample::select(&["default", "twente-2027"][..])),
    )
        .prop_map(|(perspective, age_group, emotion, treatment, seen_heard, organisation, lang, (day, campaign))| Fake {
            perspective,
            age_group,
            emotion,
            treatment,
            seen_heard,
            organisation,
            lang,
            day,
            campaign,
        })
}

/// Any filter a coordinator could click together, as query pairs.
fn any_filter() -> impl Strategy<Value = Vec<(String, String)>> {
    let pair = prop_oneof![
        prop::sample::select(PERSPECTIVES).prop_map(|v| ("perspective".to_string(), v.to_string())),
        prop::sample::select(AGES).prop_map(|v| ("age_group".to_string(), v.to_string())),
        prop::sample::select(EMOTIONS).prop_map(|v| ("emotion".to_string(), v.to_string())),
        prop::sample::select(TREATMENTS).prop_map(|v| ("treatment".to_string(), v.to_string())),
        prop::sample::select(ORGS).prop_map(|v| ("organisation".to_string(), v.to_string())),
        prop::sample::select(&["nl", "en"][..]).prop_map(|v| ("lang".to_string(), v.to_string())),
        prop::sample::select(&["default", "twente-2027"][..]).prop_map(|v| ("campaign".to_string(), v.to_string())),
        prop::sample::select(&["2025-03", "2025-11", "2026-02"][..]).prop_map(|v| ("from".to_string(), v.to_string())),
        prop::sample::select(&["2025-03", "2025-11", "2026-02"][..]).prop_map(|v| ("to".to_string(), v.to_string())),
    ];
    prop::collection::vec(pair, 0..4)
}

/// Every count in a disclosed JSON value is "< k" or a multiple of k, at least k.
fn assert_counts_safe(json: &serde_json::Value, k: u64) {
    match json {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if ["count", "stories", "answered", "total"].contains(&key.as_str()) || key == "column_totals" {
                    let values: Vec<&serde_json::Value> = match value {
                        serde_json::Value::Array(items) => items.iter().collect(),
                        other => vec![other],
                    };
                    for v in values {
                        match v {
                            serde_json::Value::Number(n) => {
                                let n = n.as_u64().unwrap();
                                assert!(n >= k && n % k == 0, "{key} = {n} discloses a small or exact count");
                            }
                            serde_json::Value::String(s) => assert_eq!(s, &format!("< {k}")),
                            other => panic!("{key} = {other}"),
                        }
                    }
                } else {
                    assert_counts_safe(value, k);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| assert_counts_safe(v, k)),
        _ => {}
    }
}

fn query(view: &str, filter: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = form_pairs(view).into_iter().chain(filter.iter().cloned()).collect();
    pairs.dedup();
    encode(&pairs)
}

fn form_pairs(query: &str) -> Vec<(String, String)> {
    query.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

const VIEWS: &[&str] = &[
    "question=emotion&by=perspective",
    "question=treatment&by=age_group",
    "question=seen_heard&by=perspective",
    "question=seen_heard&by=rounds&a_from=2025-01&a_to=2025-12&b_from=2026-01",
    "question=perspective&by=lang",
    "question=emotion&by=none",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// For every view and filter: shown counts are "< k" or multiples of k (so no two
    /// views differ by a known 1..k-1), percentages come only from shown counts, and only
    /// a bar of at least k stories is listed.
    #[test]
    fn suppression_holds_for_every_view_and_filter(
        unique in prop::collection::vec(any_fake(), 0..100),
        copies in 1usize..=4,
        filter in any_filter(),
        wider in any_filter(),
        k in 3u32..=6,
    ) {
        // Copies make groups of alike tellers, so listings are shown as well as refused.
        let fakes: Vec<Fake> = unique.iter().cycle().take(unique.len() * copies).cloned().collect();
        let data = dataset(&fakes);
        let rules = Disclosure::new(k).unwrap();
        for view in VIEWS {
            for filter in [&filter, &wider, &Vec::new()] {
                let request = Request::parse(data.schema(), &query(view, filter)).unwrap();
                let d = request.distribution().unwrap();
                let exact = distribution(&data, &request.filter, &d);
                let shown = rules.distribution(&data, &exact, &request.filter);
                assert_counts_safe(&serde_json::to_value(&shown).unwrap(), u64::from(k));
                for (g, group) in shown.groups.iter().enumerate() {
                    let cells = group.cells.iter().chain(group.not_applicable.iter());
                    for (c, cell) in cells.enumerate() {
                        let rows = members(&data, &request.filter, &d, c, g);
                        let exact_count = if c < exact.cells.len() { exact.groups[g].cells[c] } else { exact.groups[g].not_applicable };
                        prop_assert_eq!(rows.len() as u32, exact_count);
                        prop_assert_eq!(cell.stories_query.is_some(), exact_count >= k);
                        // Who is listed, and what each shows: tests/listing.rs.
                        prop_assert_eq!(rules.listing(&data, &request.filter, &d, c, g) == Listing::Suppressed, exact_count < k);
                    }
                }
            }
        }
        let request = Request::parse(data.schema(), &query("view=crosstab&row=emotion&col=perspective", &filter)).unwrap();
        let View::CrossTab { rows, columns } = request.view else { unreachable!() };
        let shown = rules.cross_tab(&data, &cross_tab(&data, &request.filter, rows, columns), &request.filter);
        assert_counts_safe(&serde_json::to_value(&shown).unwrap(), u64::from(k));
    }

    /// Filtering and counting agree with counting by hand, for any filter.
    #[test]
    fn filtered_counts_match_counting_by_hand(fakes in prop::collection::vec(any_fake(), 0..120), filter in any_filter()) {
        let data = dataset(&fakes);
        let request = Request::parse(data.schema(), &query("question=emotion&by=none", &filter)).unwrap();
        let d = distribution(&data, &request.filter, &request.distribution().unwrap());
        let keeps = |f: &Fake| {
            let of = |key: &str| filter.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
            let any = |key: &str, value: Option<&str>| { let wanted = of(key); wanted.is_empty() || value.is_some_and(|v| wanted.contains(&v)) };
            let month = &f.day[..7];
            any("perspective", f.perspective) && any("age_group", Some(f.age_group)) && any("emotion", f.emotion)
                && any("treatment", Some(f.treatment)) && any("organisation", Some(f.organisation)) && any("lang", Some(f.lang))
                && of("from").iter().all(|from| month >= *from) && of("to").iter().all(|to| month <= *to)
                && of("campaign").iter().all(|c| *c == f.campaign)
        };
        // Repeated from/to: the last one wins in a URL form; keep the generator honest.
        prop_assume!(filter.iter().filter(|(k, _)| k == "from").count() <= 1 && filter.iter().filter(|(k, _)| k == "to").count() <= 1);
        prop_assume!(filter.iter().filter(|(k, _)| k == "organisation").count() <= 1);
        prop_assume!(filter.iter().filter(|(k, _)| k == "campaign").count() <= 1);
        prop_assert_eq!(d.groups[0].stories as usize, fakes.iter().filter(|f| keeps(f)).count());
        let _ = Value::Null;
    }
}
