//! Arbitrary request bodies never make the collector answer with a 5xx.
mod common;

use common::*;
use proptest::prelude::*;

fn any_body() -> impl Strategy<Value = Vec<u8>> {
    let valid = story("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", Some("k7Q2xd9a")).to_string();
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        ".{0,200}".prop_map(String::into_bytes),
        // A valid story with a stretch of it replaced by something random.
        (0..valid.len(), 0..40usize, ".{0,20}").prop_map(move |(at, len, with)| {
            let mut bytes = valid.clone().into_bytes();
            let end = (at + len).min(bytes.len());
            bytes.splice(at..end, with.into_bytes());
            bytes
        }),
        // Valid JSON of the right shape with wild answer values.
        (any::<i64>(), ".{0,30}", prop::collection::vec(".{0,10}", 0..4)).prop_map(|(n, s, list)| {
            serde_json::json!({"questionnaire": "vertelpunt-jeugdhulp", "version": 1,
                "submission_id": submission_id(), "lang": "nl",
                "answers": {"story": s, "seen_heard": n, "child_age": n, "emotion": list, "prompt": n}})
            .to_string()
            .into_bytes()
        }),
    ]
}

#[test]
fn arbitrary_bodies_never_get_a_5xx() {
    let server = Server::start();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 300, ..ProptestConfig::default() });
    runner
        .run(&any_body(), |body| {
            let reply = request(&server.addr, "POST", "/api/v1/stories", &[("Content-Type", "application/json")], &body);
            prop_assert!(reply.status < 500, "{} for {:?}: {}", reply.status, String::from_utf8_lossy(&body), reply.text());
            Ok(())
        })
        .unwrap();
}
