//! Bursts: groups of near-identical stories that arrived together.
//!
//! Suppression counts stories; it cannot tell ten tellers from one person who sent the
//! same story ten times. Anyone can post look-alike stories to lift a small group over
//! the threshold *k*, so the collector points out what that leaves behind and a
//! coordinator reads those stories before counting them: at least [`MIN_BURST`] stories
//! of one campaign, received on one day through one link (or all without a link), with
//! the same closed answers and (nearly) the same text.
//!
//! Cost: one sort groups the stories by (campaign, day, link, answers); within a group,
//! texts are first merged by exact equality after [`normalise`], and only the first
//! [`MAX_COMPARED`] distinct texts of a group are compared pairwise by word overlap. So
//! the work is O(n log n) plus at most `MAX_COMPARED²/2` comparisons per group.
use std::collections::{HashMap, HashSet};

/// The fewest near-identical stories reported as a burst.
pub const MIN_BURST: usize = 3;

/// The most distinct texts of one group compared with each other (the rest merge only
/// with exactly equal texts), so one huge group cannot make a request slow.
pub const MAX_COMPARED: usize = 200;

/// One story as the detection sees it.
#[derive(Clone, Copy, Debug)]
pub struct Told<'a> {
    /// The campaign it was told in.
    pub campaign: &'a str,
    /// The day it arrived (`2026-12-07`).
    pub day: &'a str,
    /// The link it came through.
    pub link: Option<&'a str>,
    /// Its closed answers in one canonical form (the caller's choice; equal answers must
    /// give equal strings).
    pub answers: &'a str,
    /// Its free text (title and story together).
    pub text: &'a str,
}

/// Near-identical stories of one campaign, day and link.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Burst {
    /// The campaign.
    pub campaign: String,
    /// The day they arrived.
    pub day: String,
    /// The link they came through (`None`: without a link).
    pub link: Option<String>,
    /// How many stories.
    pub stories: usize,
}

/// Lowercase, every run of characters that are not letters or digits made one space,
/// trimmed: "Hé,  DE juf!" and "hé de juf" are the same text.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Whether two word sets overlap by at least 80% (Jaccard: shared words over all words).
fn similar(a: &HashSet<&str>, b: &HashSet<&str>) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // The overlap is at most |small| / |large|: skip what cannot reach 80%.
    if 5 * small.len() < 4 * large.len() {
        return false;
    }
    let shared = small.iter().filter(|w| large.contains(*w)).count();
    let all = small.len() + large.len() - shared;
    5 * shared >= 4 * all
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The bursts among `stories`: newest day first, then the largest.
pub fn bursts(stories: &[Told<'_>]) -> Vec<Burst> {
    fn key<'a>(t: &Told<'a>) -> (&'a str, &'a str, Option<&'a str>, &'a str) {
        (t.campaign, t.day, t.link, t.answers)
    }
    let mut order: Vec<usize> = (0..stories.len()).collect();
    order.sort_by(|&a, &b| key(&stories[a]).cmp(&key(&stories[b])));
    let mut found = Vec::new();
    for group in order.chunk_by(|&a, &b| key(&stories[a]) == key(&stories[b])) {
        if group.len() < MIN_BURST {
            continue;
        }
        // Distinct texts, each with how many stories told it.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut distinct: Vec<(String, usize)> = Vec::new();
        for &i in group {
            let text = normalise(stories[i].text);
            match index.get(&text) {
                Some(&d) => distinct[d].1 += 1,
                None => {
                    index.insert(text.clone(), distinct.len());
                    distinct.push((text, 1));
                }
            }
        }
        let mut parent: Vec<usize> = (0..distinct.len()).collect();
        let words: Vec<HashSet<&str>> = distinct.iter().take(MAX_COMPARED).map(|(text, _)| text.split(' ').filter(|w| !w.is_empty()).collect()).collect();
        for i in 0..words.len() {
            for j in i + 1..words.len() {
                if similar(&words[i], &words[j]) {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut sizes: Vec<usize> = vec![0; distinct.len()];
        for (d, (_, n)) in distinct.iter().enumerate() {
            let r = root(&mut parent, d);
            sizes[r] += n;
        }
        let first = stories[group[0]];
        for size in sizes.into_iter().filter(|&n| n >= MIN_BURST) {
            found.push(Burst { campaign: first.campaign.to_string(), day: first.day.to_string(), link: first.link.map(String::from), stories: size });
        }
    }
    found.sort_by(|a, b| b.day.cmp(&a.day).then(b.stories.cmp(&a.stories)).then(a.link.cmp(&b.link)).then(a.campaign.cmp(&b.campaign)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "De juf luisterde echt naar me en ik mocht zelf kiezen wat we gingen doen.";
    const ONE_WORD: &str = "De juf luisterde echt naar me en ik mocht zelf bepalen wat we gingen doen.";
    const OTHER: &str = "Niemand vroeg wat ik wilde, ik werd steeds naar een andere plek gestuurd.";

    fn told(day: &'static str, link: Option<&'static str>, answers: &'static str, text: &'static str) -> Told<'static> {
        Told { campaign: "default", day, link, answers, text }
    }

    /// Day, link and size of each burst found.
    type Found = Vec<(String, Option<String>, usize)>;

    fn sizes(stories: &[Told<'_>]) -> Found {
        bursts(stories).into_iter().map(|b| (b.day, b.link, b.stories)).collect()
    }

    #[test]
    fn near_identical_stories_of_one_day_link_and_answers_are_a_burst() {
        let day = "2026-12-07";
        let link = Some("ABC123");
        let many = |n: usize, text: &'static str| vec![told(day, link, "happy", text); n];
        let cases: Vec<(&str, Vec<Told<'static>>, Found)> = vec![
            ("identical texts", many(7, TEXT), vec![(day.into(), link.map(String::from), 7)]),
            (
                "case, spaces and punctuation do not matter",
                {
                    let mut v = many(2, TEXT);
                    v.push(told(day, link, "happy", "de JUF luisterde echt naar me, en ik mocht zelf kiezen   wat we gingen doen!!"));
                    v
                },
                vec![(day.into(), link.map(String::from), 3)],
            ),
            (
                "texts differing in one word",
                {
                    let mut v = many(3, TEXT);
                    v.extend(many(3, ONE_WORD));
                    v
                },
                vec![(day.into(), link.map(String::from), 6)],
            ),
            (
                "different texts",
                {
                    let mut v = many(2, TEXT);
                    v.extend(many(2, OTHER));
                    v
                },
                vec![],
            ),
            (
                "different answers",
                {
                    let mut v = many(2, TEXT);
                    v.push(told(day, link, "angry", TEXT));
                    v
                },
                vec![],
            ),
            ("different days", vec![told("2026-12-06", link, "happy", TEXT), told(day, link, "happy", TEXT), told("2026-12-08", link, "happy", TEXT)], vec![]),
            ("different links", vec![told(day, Some("A"), "happy", TEXT), told(day, Some("B"), "happy", TEXT), told(day, None, "happy", TEXT)], vec![]),
            ("without a link alike", vec![told(day, None, "happy", TEXT); 4], vec![(day.into(), None, 4)]),
            ("fewer than 3", many(2, TEXT), vec![]),
            ("nothing", vec![], vec![]),
            (
                "two bursts, newest day first",
                {
                    let mut v = vec![told("2026-12-01", None, "happy", OTHER); 3];
                    v.extend(many(5, TEXT));
                    v
                },
                vec![(day.into(), link.map(String::from), 5), ("2026-12-01".into(), None, 3)],
            ),
        ];
        for (case, stories, expected) in cases {
            assert_eq!(sizes(&stories), expected, "{case}");
        }
    }

    #[test]
    fn other_campaigns_stay_apart() {
        let mut stories = vec![told("2026-12-07", None, "", TEXT); 2];
        stories.push(Told { campaign: "noord", ..stories[0] });
        assert!(bursts(&stories).is_empty());
    }

    #[test]
    fn a_huge_group_of_distinct_texts_stays_bounded() {
        let texts: Vec<String> = (0..5_000).map(|i| format!("verhaal nummer {i} over iets heel anders {}", i * 7)).collect();
        let stories: Vec<Told<'_>> = texts.iter().map(|t| Told { campaign: "default", day: "2026-12-07", link: None, answers: "", text: t }).collect();
        let started = std::time::Instant::now();
        let found = bursts(&stories);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(found.iter().all(|b| b.stories >= MIN_BURST));
    }

    #[test]
    fn normalise_keeps_letters_and_digits_only() {
        assert_eq!(normalise("  Hé,  DE juf!\n3x "), "hé de juf 3x");
        assert_eq!(normalise("?!"), "");
    }
}
