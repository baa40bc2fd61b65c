//! Lists `translations/*.json` (the shipped languages) for `translation.rs`: adding a
//! language is adding a file there, and the next build knows it.
fn main() {
    let dir = std::path::Path::new("../../translations");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut codes: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok()).filter_map(|name| name.strip_suffix(".json").map(String::from)).collect()
        })
        .unwrap_or_default();
    // Dutch first (the source of the widget's words), then by code, so the order is stable.
    codes.sort_by_key(|code| (code != "nl", code.clone()));
    let mut out = String::from("/// (code, JSON) of every shipped translation file.\nconst SHIPPED: &[(&str, &str)] = &[\n");
    for code in &codes {
        println!("cargo::rerun-if-changed=../../translations/{code}.json");
        out.push_str(&format!("    ({code:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../../translations/{code}.json\"))),\n"));
    }
    out.push_str("];\n");
    let target = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("translations.rs");
    std::fs::write(target, out).expect("write the list of translations");
}
