//! libFuzzer entry point; the target itself is `storypoint_fuzz::submission`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| storypoint_fuzz::submission(data));
