//! Compacts `src/style.css` (comments, line breaks, indentation), the default
//! questionnaire's JSON and the Dutch widget words, `translations/nl.json` (whitespace) into `OUT_DIR`: both travel inside the wasm, so every
//! byte counts.
fn main() {
    println!("cargo::rerun-if-changed=src/style.css");
    println!("cargo::rerun-if-changed=../../questionnaires/vertelpunt-jeugdhulp.json");
    println!("cargo::rerun-if-changed=../../translations/nl.json");
    let json = std::fs::read_to_string("../../questionnaires/vertelpunt-jeugdhulp.json").expect("the default questionnaire");
    let value: serde_json::Value = serde_json::from_str(&json).expect("the default questionnaire is JSON");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(std::path::Path::new(&out).join("questionnaire.json"), value.to_string()).expect("write the compact JSON");
    // The Dutch widget words, `widget` of translations/nl.json as compact JSON (the other
    // languages are files beside the bundle, read at run time the same way).
    let nl = std::fs::read_to_string("../../translations/nl.json").expect("translations/nl.json");
    let nl: serde_json::Value = serde_json::from_str(&nl).expect("translations/nl.json is JSON");
    assert!(nl["widget"].is_object(), "translations/nl.json has `widget`");
    // Without the campaign notices: the collector writes those in the teller's language
    // (`…/campaign?lang=`), the widget only shows them.
    let mut words = nl["widget"].as_object().expect("`widget` is an object").clone();
    words.retain(|key, _| !key.starts_with("notice_"));
    std::fs::write(std::path::Path::new(&out).join("nl_words.json"), serde_json::Value::Object(words).to_string()).expect("write the Dutch words");
    let css = std::fs::read_to_string("src/style.css").expect("src/style.css");
    let mut out = String::with_capacity(css.len());
    let mut rest = css.as_str();
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut compact = words.join(" ");
    for token in ["{", "}", ";", ",", ">"] {
        compact = compact.replace(&format!(" {token}"), token).replace(&format!("{token} "), token);
    }
    compact = compact.replace(": ", ":").replace(";}", "}");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(std::path::Path::new(&out_dir).join("style.css"), compact).expect("write the compact CSS");
}
