//! The widget bundle (`dist/storypoint/`, built by `cargo xtask dist`), served at
//! `/storypoint/` with its precompressed brotli and gzip variants.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The files of the bundle, read once at start.
#[derive(Default)]
pub struct Bundle {
    files: HashMap<String, Variants>,
    dir: PathBuf,
}

struct Variants {
    identity: Vec<u8>,
    brotli: Option<Vec<u8>>,
    gzip: Option<Vec<u8>>,
    content_type: &'static str,
}

/// What to send for one request: the bytes, their type and their content encoding.
pub struct Served<'a> {
    /// The body.
    pub bytes: &'a [u8],
    /// `Content-Type`.
    pub content_type: &'static str,
    /// `Content-Encoding`, when compressed.
    pub encoding: Option<&'static str>,
}

impl Bundle {
    /// Reads `dir` (`storypoint.js`, `storypoint_bg.wasm`, the language files `lang/*.json`
    /// and their `.br`/`.gz`). A missing
    /// folder gives an empty bundle; [`Bundle::is_empty`] tells.
    pub fn load(dir: &Path) -> Bundle {
        let mut files = HashMap::new();
        for (name, content_type) in [
            ("storypoint.js", "text/javascript; charset=utf-8"),
            ("storypoint_bg.wasm", "application/wasm"),
            ("storypoint.css", "text/css; charset=utf-8"),
            ("voice.js", "text/javascript; charset=utf-8"),
            ("prerender.nl.html", "text/html; charset=utf-8"),
        ] {
            let Ok(identity) = std::fs::read(dir.join(name)) else { continue };
            let variant = |suffix: &str| std::fs::read(dir.join(format!("{name}.{suffix}"))).ok();
            files.insert(name.to_string(), Variants { identity, brotli: variant("br"), gzip: variant("gz"), content_type });
        }
        // The languages other than Dutch, `lang/{code}.json`: whatever `cargo xtask dist`
        // made from `translations/`, so a new language needs no change here.
        let languages = std::fs::read_dir(dir.join("lang")).into_iter().flatten().filter_map(|entry| entry.ok()?.file_name().into_string().ok());
        for file in languages.filter(|file| file.ends_with(".json")) {
            let name = format!("lang/{file}");
            let Ok(identity) = std::fs::read(dir.join(&name)) else { continue };
            let variant = |suffix: &str| std::fs::read(dir.join(format!("{name}.{suffix}"))).ok();
            let (brotli, gzip) = (variant("br"), variant("gz"));
            files.insert(name, Variants { identity, brotli, gzip, content_type: "application/json; charset=utf-8" });
        }
        Bundle { files, dir: dir.to_path_buf() }
    }

    /// Whether no file was found.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The widget's first screen in Dutch as HTML, rendered by the widget itself at build
    /// time (`xtask/prerender.mjs`), for `/vertel`'s declarative shadow root.
    pub fn prerender(&self) -> Option<&str> {
        let file = self.files.get("prerender.nl.html")?;
        std::str::from_utf8(&file.identity).ok()
    }

    /// The folder it was read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The best variant of `name` for a client that sent `accept_encoding`.
    pub fn get(&self, name: &str, accept_encoding: &str) -> Option<Served<'_>> {
        let file = self.files.get(name)?;
        let accepts = |coding: &str| {
            accept_encoding.split(',').any(|part| {
                let mut pieces = part.split(';');
                let name = pieces.next().unwrap_or("").trim();
                let refused = pieces.any(|p| p.trim().replace(' ', "") == "q=0");
                name.eq_ignore_ascii_case(coding) && !refused
            })
        };
        let (bytes, encoding) = match (&file.brotli, &file.gzip) {
            (Some(br), _) if accepts("br") => (br.as_slice(), Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz.as_slice(), Some("gzip")),
            _ => (file.identity.as_slice(), None),
        };
        Some(Served { bytes, content_type: file.content_type, encoding })
    }
}

/// Where the bundle is when no `--dist` is given: `dist/storypoint` in the working folder,
/// else the one in this source tree (so tests and `cargo run` find it too).
pub fn default_dir() -> PathBuf {
    let here = PathBuf::from("dist/storypoint");
    if here.join("storypoint.js").exists() { here } else { Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist/storypoint") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_encoding_the_client_accepts_is_chosen() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("storypoint.js"), "plain").unwrap();
        std::fs::write(dir.path().join("storypoint.js.br"), "br").unwrap();
        std::fs::write(dir.path().join("storypoint.js.gz"), "gz").unwrap();
        let bundle = Bundle::load(dir.path());
        let pick = |accept: &str| bundle.get("storypoint.js", accept).map(|s| (s.bytes.to_vec(), s.encoding));
        assert_eq!(pick("gzip, deflate, br"), Some((b"br".to_vec(), Some("br"))));
        assert_eq!(pick("gzip"), Some((b"gz".to_vec(), Some("gzip"))));
        assert_eq!(pick("br;q=0, gzip"), Some((b"gz".to_vec(), Some("gzip"))));
        assert_eq!(pick(""), Some((b"plain".to_vec(), None)));
        assert!(bundle.get("storypoint_bg.wasm", "br").is_none());
        assert!(bundle.get("../secret", "br").is_none());
        std::fs::create_dir(dir.path().join("lang")).unwrap();
        std::fs::write(dir.path().join("lang/ar.json"), "{}").unwrap();
        std::fs::write(dir.path().join("lang/ar.json.br"), "br").unwrap();
        std::fs::write(dir.path().join("lang/notes.txt"), "no").unwrap();
        let bundle = Bundle::load(dir.path());
        let ar = bundle.get("lang/ar.json", "br").unwrap();
        assert_eq!((ar.bytes, ar.content_type, ar.encoding), (&b"br"[..], "application/json; charset=utf-8", Some("br")));
        assert!(bundle.get("lang/notes.txt", "").is_none());
        assert!(bundle.get("lang/../storypoint.js", "").is_none());
        assert!(bundle.prerender().is_none());
    }
}
