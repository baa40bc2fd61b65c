//! The stories behind a bar: what is shown about each teller, and that no listing (nor
//! listings compared, nor a listing with the filtered views) narrows a teller down to fewer
//! than k stories of the campaign.
use std::collections::HashMap;

use proptest::prelude::*;
use storypoint_core::{Answers, default_questionnaire};
use storypoint_insight::*;

/// A generated story: the teller facts, and a few answers about the story.
#[derive(Clone, Debug)]
struct Teller {
    perspective: Option<&'static str>,
    age_group: Option<&'static str>,
    living: Option<&'static str>,
    org_type: Option<&'static str>,
    organisation: Option<String>,
    lang: &'static str,
    day: &'static str,
    campaign: &'static str,
    emotion: &'static str,
    seen_heard: i64,
}

const PERSPECTIVES: &[&str] = &["child", "young_person", "parent", "professional", "other"];
const AGES: &[&str] = &["under_12", "12_to_18", "unknown"];
const LIVING: &[&str] = &["at_home", "foster_or_family_home", "institution_or_protected_living", "other"];
const TYPES: &[&str] = &["care_provider", "neighbourhood_team", "school", "gp", "municipality", "youth_protection", "other"];
const EMOTIONS: &[&str] = &["angry", "sad", "afraid", "surprised", "relieved", "happy", "proud"];
const DAYS: &[&str] = &["2026-01-12", "2026-02-03", "2026-02-27", "2026-03-15"];

fn plain() -> Teller {
    Teller {
        perspective: Some("parent"),
        age_group: Some("12_to_18"),
        living: Some("at_home"),
        org_type: Some("care_provider"),
        organisation: Some("Jeugdhulp Oost".into()),
        lang: "nl",
        day: "2026-02-03",
        campaign: "twente",
        emotion: "angry",
        seen_heard: 50,
    }
}

fn dataset(tellers: &[Teller]) -> Dataset {
    let mut data = Dataset::new(&default_questionnaire());
    for (i, t) in tellers.iter().enumerate() {
        let mut answers = Answers::new().with_text("story", "Een verhaal.").with_text("emotion", t.emotion).with_integer("seen_heard", t.seen_heard);
        for (question, value) in [("perspective", t.perspective), ("age_group", t.age_group), ("living_situation", t.living), ("organisation_type", t.org_type)]
        {
            if let Some(value) = value {
                answers = answers.with_text(question, value);
            }
        }
        if let Some(name) = &t.organisation {
            answers = answers.with_text("organisation", name);
        }
        data.push(&StoryInput { id: i as i64 + 1, received_on: t.day, lang: t.lang, answers: &answers, campaign: t.campaign, version: 1 });
    }
    data
}

fn listing(data: &Dataset, k: u32, query: &str) -> Listing {
    let request = Request::parse(data.schema(), query).unwrap_or_else(|e| panic!("{query}: {e}"));
    let View::Stories { view, cell, group } = request.view else { panic!("{query} is no list of stories") };
    Disclosure::new(k).unwrap().listing(data, &request.filter, &view, cell, group)
}

fn stories(listing: Listing) -> Vec<ListedStory> {
    match listing {
        Listing::Stories(stories) => stories,
        Listing::Suppressed => panic!("suppressed"),
    }
}

fn shown<'a>(story: &'a ListedStory, fact: &str) -> Option<&'a str> {
    story.teller.facts.iter().find(|f| f.fact == fact).map(|f| f.value.as_str())
}

/// What a teller's fact is, as a listing names it (`None`: not answered).
fn fact_of(t: &Teller, fact: &str) -> Option<String> {
    match fact {
        "perspective" => t.perspective.map(String::from),
        "age_group" => t.age_group.map(String::from),
        "living_situation" => t.living.map(String::from),
        "organisation_type" => t.org_type.map(String::from),
        "organisation" => t.organisation.clone(),
        "month" => Some(t.day[..7].to_string()),
        "lang" => Some(t.lang.to_string()),
        other => panic!("unknown fact {other}"),
    }
}

const FACTS: &[&str] = &["perspective", "age_group", "living_situation", "organisation_type", "organisation", "month", "lang"];

#[test]
fn a_big_bar_lists_its_stories_with_the_words_and_answers_about_the_story() {
    // Twelve parents alike: everything about them may be shown.
    let tellers: Vec<Teller> = (0..12).map(|i| Teller { seen_heard: 30 + i, ..plain() }).collect();
    let data = dataset(&tellers);
    let listed = stories(listing(&data, 5, "view=stories&question=emotion&by=perspective&value=angry&group=parent"));
    assert_eq!(listed.len(), 12);
    let first = &listed[0];
    assert!(first.teller.left_out.is_empty(), "{:?}", first.teller);
    let names: Vec<&str> = first.teller.facts.iter().map(|f| f.name.nl.as_str()).collect();
    assert_eq!(names, ["Vertelt als", "Leeftijd", "Soort organisatie", "Woont", "Maand", "Organisatie", "Taal"], "most useful first");
    assert_eq!(first.teller.facts[0].label.nl, "Ouder, verzorger of familie");
    assert_eq!(first.teller.facts[4].label.nl, "februari 2026");
    assert_eq!(first.teller.campaign, "twente");
    let answers: Vec<(&str, &str)> = first.answers.iter().map(|a| (a.question.as_str(), a.answer.nl.as_str())).collect();
    assert!(answers.contains(&("emotion", "Boos")) && answers.contains(&("seen_heard", "30 van 100")), "{answers:?}");
    assert!(!answers.iter().any(|(q, _)| *q == "perspective" || *q == "organisation_type"), "teller facts are not story answers");
    // Four stories are too few to list.
    let data = dataset(&tellers[..4]);
    assert_eq!(listing(&data, 5, "view=stories&question=emotion&by=perspective&value=angry&group=parent"), Listing::Suppressed);
}

#[test]
fn a_small_organisation_is_left_out_and_its_filter_lists_nothing_about_it() {
    // Ten parents of Jeugdhulp Oost, and five of five small organisations, alike otherwise.
    let mut tellers: Vec<Teller> = (0..10).map(|_| plain()).collect();
    tellers.extend((0..5).map(|i| Teller { organisation: Some(format!("Klein {i}")), ..plain() }));
    let data = dataset(&tellers);
    let all = stories(listing(&data, 5, "view=stories&question=emotion&by=none&value=angry"));
    assert_eq!(all.len(), 15, "every story is read");
    let small: Vec<&ListedStory> = all.iter().filter(|s| s.id > 10).collect();
    assert!(small.iter().all(|s| shown(s, "organisation").is_none() && s.teller.left_out == ["organisation"]), "{small:?}");
    assert!(small.iter().all(|s| shown(s, "perspective") == Some("parent") && shown(s, "organisation_type") == Some("care_provider")));
    assert!(all.iter().filter(|s| s.id <= 10).all(|s| shown(s, "organisation") == Some("Jeugdhulp Oost")));
    // The bar of one small organisation has fewer than 5 stories; the big one's lists only
    // stories that show it.
    assert_eq!(listing(&data, 5, "view=stories&question=emotion&by=none&value=angry&organisation=Klein+1"), Listing::Suppressed);
    let oost = stories(listing(&data, 5, "view=stories&question=emotion&by=none&value=angry&organisation=Jeugdhulp+Oost"));
    assert_eq!(oost.iter().map(|s| s.id).collect::<Vec<_>>(), (1..=10).collect::<Vec<_>>());
}

#[test]
fn a_filter_on_a_fact_a_story_does_not_show_leaves_the_story_out() {
    // Five at Jeugdhulp Oost, one of them in care; five in care and five at home, each at
    // an organisation of their own.
    let mut tellers: Vec<Teller> = (0..5).map(|_| plain()).collect();
    tellers.extend((0..5).map(|i| Teller { living: Some("institution_or_protected_living"), organisation: Some(format!("Instelling {i}")), ..plain() }));
    tellers.extend((0..5).map(|i| Teller { organisation: Some(format!("Wijkteam {i}")), ..plain() }));
    tellers[0].living = Some("institution_or_protected_living");
    let data = dataset(&tellers);
    let everyone = stories(listing(&data, 5, "view=stories&question=emotion&by=none&value=angry"));
    assert_eq!(everyone.len(), 15);
    assert!(everyone.iter().all(|s| s.teller.left_out == ["organisation"]), "no organisation has 5 alike");
    // Story 1 shows no organisation (it is not one of 5 alike with it): so it is not listed
    // under a filter on Jeugdhulp Oost, which would say where it is from.
    let first = everyone.iter().find(|s| s.id == 1).unwrap();
    assert_eq!(shown(first, "organisation"), None);
    assert_eq!(shown(first, "living_situation"), Some("institution_or_protected_living"));
    let request = "view=stories&question=emotion&by=none&value=angry&organisation=Jeugdhulp+Oost";
    assert!(stories(listing(&data, 5, request)).is_empty(), "the bar has 5 stories, but none shows the organisation");
    let in_care = stories(listing(&data, 5, "view=stories&question=emotion&by=living_situation&value=angry&group=institution_or_protected_living"));
    assert_eq!(in_care.len(), 6);
}

#[test]
fn a_story_that_would_stand_out_by_showing_less_shows_nothing_with_others() {
    // Nine alike at Jeugdhulp Oost, one alike but for a small organisation: leaving out
    // only its organisation would make it the one story without one, among nine with. So
    // four of the nine join it, and those five show nothing about their tellers.
    let mut tellers: Vec<Teller> = (0..9).map(|_| plain()).collect();
    tellers.push(Teller { organisation: Some("Het Kleine Huis".into()), ..plain() });
    let data = dataset(&tellers);
    let listed = stories(listing(&data, 5, "view=stories&question=emotion&by=none&value=angry"));
    assert_eq!(listed.len(), 10);
    let (with, without): (Vec<&ListedStory>, Vec<&ListedStory>) = listed.iter().partition(|s| shown(s, "organisation").is_some());
    assert_eq!(with.len(), 5);
    assert!(with.iter().all(|s| shown(s, "organisation") == Some("Jeugdhulp Oost")));
    assert_eq!(without.len(), 5);
    assert!(without.iter().any(|s| s.id == 10));
    assert!(without.iter().all(|s| s.teller.facts.iter().map(|f| f.fact.as_str()).collect::<Vec<_>>() == ["lang"]), "{without:?}");
    // So the bar of parents lists the five that show it, not the one from the small organisation.
    let parents = stories(listing(&data, 5, "view=stories&question=emotion&by=perspective&value=angry&group=parent"));
    assert_eq!(parents.iter().map(|s| s.id).collect::<Vec<_>>(), with.iter().map(|s| s.id).collect::<Vec<_>>());
}

#[test]
fn a_language_fewer_than_k_told_in_is_never_listed() {
    let mut tellers: Vec<Teller> = (0..20).map(|_| plain()).collect();
    for t in tellers.iter_mut().take(3) {
        t.lang = "pl";
    }
    let data = dataset(&tellers);
    let listed = stories(listing(&data, 5, "view=stories&question=emotion&by=none&value=angry"));
    assert_eq!(listed.iter().map(|s| s.id).collect::<Vec<_>>(), (4..=20).collect::<Vec<_>>(), "the words give the language away");
}

/// A campaign like the issue's: skewed groups, a few big organisations and many small.
fn any_teller() -> impl Strategy<Value = Teller> {
    let skewed = |values: &'static [&'static str], weights: &'static [u32]| {
        prop::sample::select((0..values.len()).flat_map(|i| std::iter::repeat_n(values[i], weights[i] as usize)).collect::<Vec<_>>())
    };
    (
        prop::option::weighted(0.95, skewed(PERSPECTIVES, &[1, 4, 10, 4, 1])),
        prop::option::weighted(0.9, skewed(AGES, &[2, 6, 1])),
        prop::option::weighted(0.8, skewed(LIVING, &[8, 2, 2, 1])),
        prop::option::weighted(0.9, skewed(TYPES, &[6, 4, 3, 1, 1, 2, 1])),
        prop::option::weighted(0.95, prop_oneof![3 => 0u32..3, 2 => 3u32..40]),
        (skewed(&["nl", "en", "pl"], &[16, 3, 1]), prop::sample::select(DAYS), skewed(&["twente", "noord"], &[3, 1])),
        (prop::sample::select(EMOTIONS), 0i64..=100),
    )
        .prop_map(|(perspective, age_group, living, org_type, organisation, (lang, day, campaign), (emotion, seen_heard))| Teller {
            perspective,
            age_group,
            living,
            org_type,
            organisation: organisation.map(|o| format!("Organisatie {o}")),
            lang,
            day,
            campaign,
            emotion,
            seen_heard,
        })
}

/// A view of stories behind a bar, with any filter a coordinator could click together.
fn any_view() -> impl Strategy<Value = String> {
    let bar = prop_oneof![
        (prop::sample::select(EMOTIONS), prop::sample::select(PERSPECTIVES)).prop_map(|(e, p)| format!("question=emotion&by=perspective&value={e}&group={p}")),
        prop::sample::select(EMOTIONS).prop_map(|e| format!("question=emotion&by=none&value={e}")),
        (prop::sample::select(LIVING), prop::sample::select(AGES)).prop_map(|(l, a)| format!("question=living_situation&by=age_group&value={l}&group={a}")),
        prop::sample::select(TYPES).prop_map(|t| format!("question=organisation_type&by=lang&value={t}&group=nl")),
        (0u32..10).prop_map(|b| format!("question=seen_heard&by=none&value={}-{}", b * 10, if b == 9 { 100 } else { b * 10 + 9 })),
        prop::sample::select(EMOTIONS).prop_map(|e| format!("question=emotion&by=rounds&a_from=2026-01&a_to=2026-02&b_from=2026-03&value={e}&group=a")),
    ];
    let filter = prop_oneof![
        prop::sample::select(PERSPECTIVES).prop_map(|v| format!("perspective={v}")),
        prop::sample::select(AGES).prop_map(|v| format!("age_group={v}")),
        prop::sample::select(LIVING).prop_map(|v| format!("living_situation={v}")),
        prop::sample::select(TYPES).prop_map(|v| format!("organisation_type={v}")),
        (0u32..5).prop_map(|o| format!("organisation=Organisatie+{o}")),
        prop::sample::select(&["twente", "noord"][..]).prop_map(|c| format!("campaign={c}")),
        prop::sample::select(&["nl", "en"][..]).prop_map(|l| format!("lang={l}")),
        prop::sample::select(&["2026-02", "2026-03"][..]).prop_map(|m| format!("from={m}")),
        prop::sample::select(EMOTIONS).prop_map(|v| format!("emotion={v}")),
    ];
    (bar, prop::collection::vec(filter, 0..3)).prop_map(|(bar, filters)| {
        let mut query = format!("view=stories&{bar}");
        let mut seen = Vec::new();
        for f in filters {
            let key = f.split('=').next().unwrap_or_default().to_string();
            if !seen.contains(&key) {
                query = format!("{query}&{f}");
                seen.push(key);
            }
        }
        query
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// Every listed story shows a combination of teller facts that at least k stories of its
    /// campaign show exactly alike (and so at least k stories of the campaign have), the same
    /// face in every listing; and it is listed only under views whose teller facts it shows.
    #[test]
    fn no_listed_story_shows_a_teller_fact_combination_fewer_than_k_share(
        tellers in prop::collection::vec(any_teller(), 0..300),
        views in prop::collection::vec(any_view(), 1..6),
        k in 3u32..=6,
    ) {
        let data = dataset(&tellers);
        let rules = Disclosure::new(k).unwrap();
        // The one face of every story that may be listed at all, and how many show it.
        let faces: HashMap<i64, ShownTeller> = (1..=tellers.len() as i64).filter_map(|id| rules.listed(&data, id).map(|s| (id, s.teller))).collect();
        let mut alike: HashMap<String, usize> = HashMap::new();
        for face in faces.values() {
            *alike.entry(serde_json::to_string(face).unwrap()).or_default() += 1;
        }
        for query in &views {
            let request = Request::parse(data.schema(), query).unwrap();
            let View::Stories { view, cell, group } = &request.view else { unreachable!() };
            let cell_rows = members(&data, &request.filter, view, *cell, *group);
            let listing = rules.listing(&data, &request.filter, view, *cell, *group);
            let Listing::Stories(listed) = listing else {
                prop_assert!(cell_rows.len() < k as usize);
                continue;
            };
            prop_assert!(cell_rows.len() >= k as usize);
            for story in &listed {
                prop_assert!(cell_rows.contains(&(story.id as usize - 1)), "{} is not in the bar of {}", story.id, query);
                prop_assert_eq!(Some(&story.teller), faces.get(&story.id), "the same face in every listing");
                let showing = alike[&serde_json::to_string(&story.teller).unwrap()];
                prop_assert!(showing >= k as usize, "story {} shows what only {} show ({:?})", story.id, showing, story.teller);
                // Counted by hand over the campaign's tellers: everyone who has what it shows.
                let me = &tellers[story.id as usize - 1];
                let kept: Vec<&str> = FACTS.iter().copied().filter(|f| !story.teller.left_out.iter().any(|l| l == f)).collect();
                let twins = tellers.iter().filter(|t| t.campaign == me.campaign && kept.iter().all(|f| fact_of(t, f) == fact_of(me, f))).count();
                prop_assert!(twins >= k as usize, "story {} has what only {} tellers have", story.id, twins);
                for fact in &story.teller.facts {
                    prop_assert_eq!(Some(fact.value.clone()), fact_of(me, &fact.fact), "a shown fact is true");
                }
                // What the view picks out about the teller is among what the story shows.
                for (key, _) in form_urlencoded_pairs(query) {
                    let picked = match key.as_str() {
                        "perspective" | "age_group" | "living_situation" | "organisation_type" | "organisation" => Some(key.clone()),
                        "from" | "to" => Some("month".to_string()),
                        _ => None,
                    };
                    if let Some(fact) = picked {
                        prop_assert!(shown(story, &fact).is_some(), "{} listed under {} without showing {}", story.id, query, fact);
                    }
                }
                let by = form_urlencoded_pairs(query).into_iter().find(|(k, _)| k == "by").map(|(_, v)| v).unwrap_or_default();
                let question = form_urlencoded_pairs(query).into_iter().find(|(k, _)| k == "question").map(|(_, v)| v).unwrap_or_default();
                for fact in [by.as_str(), question.as_str()] {
                    if FACTS.contains(&fact) && fact != "lang" {
                        prop_assert!(shown(story, fact).is_some(), "{} listed under {} without showing {}", story.id, query, fact);
                    }
                }
                if by == "rounds" {
                    prop_assert!(shown(story, "month").is_some());
                }
            }
        }
    }
}

fn form_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    query.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), v.replace('+', " "))).collect()
}
