//! The insight views end to end on 100,000 stories: the real binary (release build), the real
//! SQLite file, over HTTP. Prints the first view (which reads every story into memory) and
//! each later view (JSON and the HTML page with its SVG); asserts nothing about time.
//!
//! Run: `cargo bench -p storypoint-server --bench patterns` (add a number for another size).
//! With `STORYPOINT_TEST_POSTGRES` set (`cargo xtask bench-databases` runs both), the same on a
//! PostgreSQL database.
#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use common::*;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use storypoint_core::{Answers, NOT_APPLICABLE, Prefill, QuestionKind, default_questionnaire, validate};
use storypoint_server::store::{Database, NewStory, Store};

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stories.db");
    let (database, backend) = match postgres_server() {
        Some(server) => (Database::Postgres(fresh_postgres_database(&server)), "PostgreSQL"),
        None => (Database::Sqlite(db.clone()), "SQLite"),
    };
    let filled = Instant::now();
    fill(&database, n);
    println!("insight over HTTP on {n} stories (real binary, release; {backend} filled in {:.1} s)", filled.elapsed().as_secs_f64());
    let server = match &database {
        Database::Postgres(url) => Server::start_database(url, &db, &[]),
        Database::Sqlite(_) => Server::start_on(&db, &[]),
    };
    let auth = format!("Basic {}", base64::prelude::BASE64_STANDARD.encode(format!("x:{ADMIN_TOKEN}")));
    let get = |path: &str| {
        let started = Instant::now();
        let reply = request(&server.addr, "GET", path, &[("Authorization", &auth)], b"");
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        (started.elapsed(), reply.body.len())
    };
    let (first, _) = get("/api/v1/patterns?question=emotion&by=perspective");
    println!("{:<62} {:>9.1} ms", "first view after start (reads and parses every story)", ms(first));
    println!("{:<62} {:>9} {:>9} {:>9}", "later views", "median", "slowest", "bytes");
    for (name, path) in [
        ("JSON: emotion per perspective", "/api/v1/patterns?question=emotion&by=perspective"),
        ("JSON: filtered, slider per perspective", "/api/v1/patterns?question=seen_heard&by=perspective&age_group=under_12&from=2025-06"),
        ("JSON: cross-tab with χ²", "/api/v1/patterns?view=crosstab&row=system_theme&col=treatment"),
        (
            "JSON: stories behind a bar (titles and texts from the database)",
            "/api/v1/patterns?view=stories&question=emotion&by=perspective&value=angry&group=child",
        ),
        ("page: emotion per perspective (HTML + SVG)", "/admin/inzicht?question=emotion&by=perspective"),
        ("page: rounds compared", "/admin/inzicht?question=treatment&by=rounds&a_from=2025-01&a_to=2025-12&b_from=2026-01"),
        ("page: the printable report (13 charts)", "/admin/inzicht?view=report"),
    ] {
        let mut runs: Vec<(Duration, usize)> = (0..11).map(|_| get(path)).collect();
        runs.sort();
        println!("{name:<62} {:>9.1} {:>9.1} {:>9}", ms(runs[5].0), ms(runs[10].0), runs[5].1);
    }
    println!("(ms; client and server share the 2 cores)");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `n` valid stories with random answers, through the store (32 writers: group commit).
fn fill(database: &Database, n: usize) {
    let store: Arc<dyn Store> = database.open(None).unwrap();
    let threads = 32;
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                let questionnaire = default_questionnaire();
                let mut rng = StdRng::seed_from_u64(t as u64);
                let days = ["2025-02-10", "2025-06-01", "2025-10-20", "2026-01-15", "2026-04-04", "2026-09-30"];
                for i in (t..n).step_by(threads) {
                    let mut answers = Answers::new().with_text("story", &format!("Verhaal {i}.")).with_text("title", &format!("Titel {i}"));
                    for question in questionnaire.questions() {
                        match &question.kind {
                            _ if !rng.random_bool(0.8) => {}
                            QuestionKind::Slider { .. } if rng.random_bool(0.1) => answers = answers.with_text(&question.id, NOT_APPLICABLE),
                            QuestionKind::Slider { .. } => answers = answers.with_integer(&question.id, rng.random_range(0..=100)),
                            QuestionKind::Number { min, max } => answers = answers.with_integer(&question.id, rng.random_range(*min..=*max)),
                            kind => {
                                if let Some(values) = kind.option_values() {
                                    answers = answers.with_text(&question.id, values.choose(&mut rng).unwrap());
                                }
                            }
                        }
                    }
                    // As through a link: the organisation fixes its type and the age group.
                    let organisation = rng.random_range(0..60);
                    answers = answers
                        .with_text("prompt", "geholpen")
                        .with_text("perspective", ["child", "young_person", "parent", "professional"].choose(&mut rng).unwrap())
                        .with_text("organisation", &format!("Organisatie {organisation}"))
                        .with_text(
                            "organisation_type",
                            ["care_provider", "neighbourhood_team", "school", "gp", "municipality", "youth_protection"][organisation % 6],
                        )
                        .with_text("age_group", ["under_12", "12_to_18", "unknown"][organisation % 3]);
                    let Ok(story) = validate(&questionnaire, &Prefill::new(), &answers) else { continue };
                    store
                        .insert_story(NewStory {
                            submission_id: submission_id(),
                            story,
                            lang: "nl".into(),
                            link: None,
                            received_on: days.choose(&mut rng).unwrap().to_string(),
                            audio: None,
                            campaign: "default".into(),
                        })
                        .unwrap();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}
