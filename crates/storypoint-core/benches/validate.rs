//! Throughput of the core on the default questionnaire: validating a full story, working
//! out the flow, and reading the questionnaire (from JSON and from the static data).
//! Run: `cargo bench -p storypoint-core --bench validate`; figures go in BENCHMARKS.md.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use storypoint_core::*;

fn full_story() -> Answers {
    Answers::new()
        .with_text("prompt", "geholpen")
        .with_text("story", &"Mijn mentor belde elke week en vroeg hoe het ging. ".repeat(20))
        .with_text("title", "De mentor die belde")
        .with_text("happened_when", "months")
        .with_text("emotion", "relieved")
        .with_text("treatment", "warm")
        .with_integer("seen_heard", 80)
        .with_integer("effect", 90)
        .with_text("system_theme", "fitting_help")
        .with_text("citizen_theme", "school")
        .with_text("perspective", "young_person")
        .with_text("age_group", "unknown")
        .with_integer("child_age", 15)
        .with_text("living_situation", "at_home")
        .with_text("organisation", "Wijkteam Oost")
        .with_text("organisation_type", "neighbourhood_team")
}

fn bench(c: &mut Criterion) {
    let q = default_questionnaire();
    let answers = full_story();
    let prefill = Prefill::from_query(&q, "organisation_type=neighbourhood_team").prefill;
    assert!(validate(&q, &prefill, &answers).is_ok());

    let mut group = c.benchmark_group("core");
    group.throughput(Throughput::Elements(1));
    group.bench_function("validate full story", |b| b.iter(|| validate(black_box(&q), black_box(&prefill), black_box(&answers))));
    group.bench_function("flow steps", |b| b.iter(|| Flow::new(black_box(&q), black_box(&prefill), black_box(&answers)).steps().len()));
    group.bench_function("parse questionnaire json", |b| b.iter(|| Questionnaire::from_json(black_box(DEFAULT_QUESTIONNAIRE_JSON))));
    group.bench_function("build static questionnaire", |b| b.iter(default_questionnaire));
    group.bench_function("parse submission json", |b| {
        let body = serde_json::json!({"questionnaire": "vertelpunt-jeugdhulp", "version": 1,
            "submission_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", "lang": "nl", "answers": answers})
        .to_string();
        b.iter(|| Submission::from_json(black_box(&body)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
