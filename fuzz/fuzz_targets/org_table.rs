//! libFuzzer entry point; the target itself is `storypoint_fuzz::org_table`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| storypoint_fuzz::org_table(data));
