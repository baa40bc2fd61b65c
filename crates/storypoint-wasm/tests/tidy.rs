//! The widget's public face is documented where partners read it: every attribute the
//! widget reads and every `--sp-*` property its stylesheet uses is listed in
//! `www/WIDGET.md` and in the crate docs, and nothing is listed that does not exist.
use std::collections::BTreeSet;

/// The crate docs (partners' reference) are in lib.rs.
const LIB: &str = include_str!("../src/lib.rs");
const STYLE: &str = include_str!("../src/style.css");
const WIDGET_MD: &str = include_str!("../../../www/WIDGET.md");

/// Names that follow `prefix` up to the first character not in `[a-z-]`.
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    text.match_indices(prefix)
        .map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_lowercase() || c == '-')).unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// Every Rust module of the widget, as one text.
fn sources() -> String {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<_> = std::fs::read_dir(&src).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "rs")).collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_css_property_is_documented_and_every_documented_one_exists() {
    let used = names_after(STYLE, "var(--sp-");
    let documented = names_after(WIDGET_MD, "| `--sp-");
    assert_eq!(used, documented, "style.css and www/WIDGET.md list different --sp-* properties: update WIDGET.md");
    let crate_docs: String = LIB.lines().filter(|l| l.starts_with("//!")).collect();
    for name in &used {
        assert!(crate_docs.contains(&format!("--sp-{name}")), "--sp-{name} changed without updating the crate docs in src/lib.rs");
    }
}

#[test]
fn every_attribute_read_is_documented() {
    let read = names_after(&sources(), "host_attribute(&host, \"");
    assert!(read.contains("endpoint") && read.contains("prefill"), "{read:?}");
    let documented = names_after(WIDGET_MD, "| `");
    for attribute in &read {
        assert!(documented.contains(attribute), "attribute `{attribute}` changed without updating www/WIDGET.md");
    }
}
