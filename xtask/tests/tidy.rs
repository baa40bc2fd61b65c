//! Tidy checks that keep the house in order, run by `cargo test` (and so by `cargo xtask
//! test`): every Rust file says its job in a `//!` line; ARCHITECTURE.md's code map names
//! every module and links nothing outside the repository; the widget's documented
//! attributes, events and CSS custom properties (www/WIDGET.md) match the code in both
//! directions.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Every file with `extension` below `dir` (not `target/` or `node_modules/`).
fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !["target", "node_modules", "corpus", "artifacts"].contains(&name.as_str()) {
                found.extend(files(&path, extension));
            }
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The Rust sources of the workspace's own crates.
fn rust_sources() -> Vec<PathBuf> {
    let root = root();
    let mut all = Vec::new();
    for dir in ["crates", "xtask", "fuzz", "tests/wasm-size-probe"] {
        all.extend(files(&root.join(dir), "rs"));
    }
    all
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

#[test]
fn every_rust_file_says_its_job_first() {
    let missing: Vec<String> = rust_sources()
        .into_iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            // Generated files say where they come from instead.
            !text.starts_with("// @generated") && !text.lines().map(str::trim).find(|line| !line.is_empty()).is_some_and(|line| line.starts_with("//!"))
        })
        .map(|path| relative(&path))
        .collect();
    assert!(missing.is_empty(), "these files do not start with a `//!` line saying their job: {missing:#?}");
}

#[test]
fn the_code_map_names_every_module() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let unnamed: Vec<String> = rust_sources()
        .into_iter()
        .filter(|path| {
            let rel = relative(path);
            // Modules of the crates; tests, benches and fuzz targets are named by folder.
            rel.contains("/src/") && !rel.contains("/generated/")
        })
        .filter(|path| {
            // A module by its path below `src/` (`pages/admin.rs`), named in backticks.
            let rel = relative(path);
            let below_src = rel.split_once("/src/").map_or(rel.as_str(), |(_, below)| below).to_string();
            !map.contains(&format!("`{below_src}`"))
        })
        .map(|path| relative(&path))
        .collect();
    assert!(unnamed.is_empty(), "ARCHITECTURE.md's code map does not name these modules: {unnamed:#?}");
}

#[test]
fn architecture_links_only_into_the_repository() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut outside = Vec::new();
    for (start, _) in map.match_indices("](") {
        let target = &map[start + 2..];
        let target = &target[..target.find(')').unwrap_or(target.len())];
        let path = target.split('#').next().unwrap_or_default();
        if target.contains("://") || (!path.is_empty() && !root().join(path).exists()) {
            outside.push(target.to_string());
        }
    }
    // A path named in the text counts too: the map must be read without anything else.
    for mention in ["`shared/", "`../", "architecture.md`"] {
        if map.contains(mention) {
            outside.push(mention.to_string());
        }
    }
    assert!(outside.is_empty(), "ARCHITECTURE.md links outside the repository (or to nothing): {outside:?}");
}

/// The words in backticks in the first column of the table under `heading` in WIDGET.md.
fn documented(heading: &str) -> BTreeSet<String> {
    let doc = std::fs::read_to_string(root().join("www/WIDGET.md")).unwrap();
    let Some(at) = doc.find(&format!("\n{heading}\n")) else { return BTreeSet::new() };
    let section = &doc[at + heading.len() + 2..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    section.lines().filter(|line| line.starts_with("| `")).filter_map(|line| line[3..].split('`').next().map(String::from)).collect()
}

/// The widget's sources (Rust and JavaScript) and style sheet, as one text each.
fn widget(extensions: &[&str]) -> String {
    let src = root().join("crates/storypoint-wasm/src");
    extensions.iter().flat_map(|e| files(&src, e)).map(|p| std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>().join("\n")
}

/// Every `"name"` that follows `marker` in `text`.
fn quoted_after(text: &str, marker: &str) -> BTreeSet<String> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            rest.strip_prefix('"').and_then(|r| r.split('"').next()).map(String::from)
        })
        .collect()
}

#[test]
fn the_widget_attributes_documented_are_the_ones_it_reads() {
    let code = widget(&["rs", "js"]);
    // The host element's attributes (not the widget's own `name`/`data-*` inside it).
    let mut read: BTreeSet<String> = quoted_after(&code, "host_attribute(&host, ");
    read.extend(quoted_after(&code, "host.get_attribute("));
    read.extend(quoted_after(&code, "host.getAttribute("));
    assert!(!read.is_empty(), "no attribute read found: the tidy test no longer knows how the widget reads them");
    assert_eq!(read, documented("## Attributes"), "attributes the widget reads (left) and WIDGET.md documents (right)");
}

#[test]
fn the_widget_events_documented_are_the_ones_it_sends() {
    let code = widget(&["rs", "js"]);
    let mut sent = quoted_after(&code, "new CustomEvent(");
    sent.extend(quoted_after(&code, "CustomEvent::new("));
    sent.extend(quoted_after(&code, "CustomEvent::new_with_event_init_dict("));
    assert_eq!(sent, documented("## Events"), "events the widget sends (left) and WIDGET.md documents (right)");
}

#[test]
fn the_widget_css_properties_documented_are_the_ones_it_uses() {
    let style = widget(&["css"]);
    let used: BTreeSet<String> =
        style.match_indices("var(--sp-").map(|(at, _)| style[at + 4..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect()).collect();
    assert!(!used.is_empty());
    assert_eq!(used, documented("## Theming with CSS custom properties"), "properties the style uses (left) and WIDGET.md documents (right)");
}

/// The modules of the crate below `src` that the module in `file` uses (`crate::a::b`
/// names `a/b.rs` when there is one, else `a.rs`), leaving out comments and unit tests.
fn uses(src: &Path, file: &Path, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let code: String =
        text.split("#[cfg(test)]").next().unwrap_or_default().lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let own = module_of(src, file);
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let path: String = code[at + 7..].chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == ':').collect();
        let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
        let found = (1..=parts.len()).rev().map(|n| parts[..n].join("/")).find(|candidate| modules.contains(candidate));
        if let Some(module) = found.filter(|m| *m != own) {
            used.insert(module);
        }
    }
    used
}

/// `store/sqlite` for `src/store/sqlite.rs`.
fn module_of(src: &Path, file: &Path) -> String {
    file.strip_prefix(src).unwrap_or(file).with_extension("").display().to_string()
}

#[test]
fn no_two_modules_import_each_other() {
    let mut cycles = Vec::new();
    for krate in ["storypoint-core", "storypoint-insight", "storypoint-server", "storypoint-wasm"] {
        let src = root().join("crates").join(krate).join("src");
        let sources = files(&src, "rs");
        let modules: BTreeSet<String> = sources.iter().map(|f| module_of(&src, f)).filter(|m| m != "lib" && m != "main").collect();
        let graph: Vec<(String, BTreeSet<String>)> =
            sources.iter().filter(|f| modules.contains(&module_of(&src, f))).map(|f| (module_of(&src, f), uses(&src, f, &modules))).collect();
        let edges = |m: &str| graph.iter().find(|(n, _)| n == m).map(|(_, e)| e.clone()).unwrap_or_default();
        // A cycle: a module reachable from itself.
        for (module, _) in &graph {
            let mut seen = BTreeSet::new();
            let mut todo: Vec<String> = edges(module).into_iter().collect();
            while let Some(next) = todo.pop() {
                if next == *module {
                    cycles.push(format!("{krate}: {module}"));
                    break;
                }
                if seen.insert(next.clone()) {
                    todo.extend(edges(&next));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "these modules reach themselves through their imports: {cycles:#?}");
}
