//! Replays every input kept in `fuzz/corpus/<target>/` through its target on stable Rust,
//! so what the fuzzer found (and the hand-written seeds) stays tested on every run.
use std::path::Path;

#[test]
fn every_corpus_input_keeps_every_promise() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (name, target) in storypoint_fuzz::TARGETS {
        let dir = root.join(name);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}; every target keeps a corpus", dir.display()))
            .map(|entry| entry.expect("a readable corpus entry").path())
            .collect();
        inputs.sort();
        assert!(inputs.len() >= 5, "{name}: only {} corpus inputs; seeds were lost", inputs.len());
        for path in inputs {
            let data = std::fs::read(&path).expect("a readable corpus file");
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name}: {} breaks a promise (see the panic above)", path.display());
        }
    }
}
