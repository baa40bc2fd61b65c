//! What the core costs the widget: this module links the default questionnaire, the flow
//! with a prefill, and validation (with its Dutch and English messages), the way the
//! widget will, and nothing else. `cargo xtask wasm-size` builds it for
//! `wasm32-unknown-unknown` without the core's `serde`/`std` features and prints its size.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use storypoint_core::{Answers, Flow, Prefill, Value, default_questionnaire, validate};

/// Validates a story for the teller; returns the number of answers kept, or 1000 + the
/// number of errors (plus the length of the first Dutch message, so it is linked too).
pub fn probe(seen_heard: i64, story: &str, prefill: &str) -> usize {
    let questionnaire = default_questionnaire();
    let prefill = Prefill::from_query(&questionnaire, prefill).prefill;
    let answers = Answers::new()
        .with_text("prompt", "geholpen")
        .with_text("story", story)
        .with_integer("seen_heard", seen_heard)
        .with("perspective", Value::Text("parent".into()));
    let flow = Flow::new(&questionnaire, &prefill, &answers);
    let shown = flow.steps().len();
    match validate(&questionnaire, &prefill, &answers) {
        Ok(story) => story.answers.len() + shown,
        Err(errors) => 1000 + errors.len() + errors.first().map_or(0, |e| e.message_nl.len()),
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    /// The exported entry point: the story text is `len` bytes at `ptr` (never called in
    /// the measurement; it only keeps the code linked).
    #[unsafe(no_mangle)]
    pub extern "C" fn sp_probe(seen_heard: i64, ptr: *const u8, len: usize) -> usize {
        let bytes = unsafe { core::slice::from_raw_parts(ptr, len) };
        let story = core::str::from_utf8(bytes).unwrap_or("");
        super::probe(seen_heard, story, "age_group=unknown")
    }

    // A small free-list allocator: the widget needs one of this size, not dlmalloc.
    #[global_allocator]
    static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
        unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        core::arch::wasm32::unreachable()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_probe_validates_and_reports_errors() {
        assert_eq!(super::probe(80, "Het ging goed.", "age_group=unknown"), 5 + 4);
        assert!(super::probe(300, "", "") > 1000);
    }
}
