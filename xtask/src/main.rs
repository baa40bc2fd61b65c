//! `cargo xtask`: build and measurement tasks that cargo alone cannot do.
//!
//! Needs nothing but cargo and rustc to start; it installs what else it needs (the
//! `wasm32-unknown-unknown` target through rustup, npm tools through `npm ci`).
//!
//! Tasks:
//! - `test`: everything CI runs — installs what is needed (wasm target, wasm-bindgen CLI,
//!   npm tools, Debian's Chromium, Firefox ESR and WebKitGTK with their WebDriver servers,
//!   Debian's PostgreSQL), runs all Rust tests, runs the collector's HTTP tests again on a
//!   throwaway PostgreSQL server, checks the size budgets, builds the widget and runs the
//!   browser tests (`tests/browser/`, node's test runner) in all three engines.
//! - `wasm-size [--budget BYTES]`: builds the size probe (default questionnaire + flow +
//!   validation) for WebAssembly, optimises it and prints raw, gzip and brotli bytes; with
//!   `--budget`, fails when brotli exceeds it.
//! - `dist`: builds the widget (`crates/storypoint-wasm`) into `dist/storypoint/`:
//!   `storypoint.js` + `storypoint_bg.wasm`, each also precompressed (`.br`, `.gz`), and
//!   fails when the brotli total is over the budget.
//! - `run`: starts the collector on 127.0.0.1:8080 with `storypoint.db` (release build).
//! - `bench-intake`: the intake load benchmark against the real binary.
//! - `bench-databases`: the intake and patterns benchmarks on SQLite, then on a throwaway
//!   PostgreSQL server, and three collectors on one PostgreSQL database, in one run.
//! - `test-postgres`: only the PostgreSQL run of the collector's HTTP tests.
//! - `test-image [--image NAME]`: builds the container image from the `Dockerfile` (with
//!   Docker, or podman when no Docker engine answers) and runs `tests/image.rs` against it:
//!   a region on SQLite in a volume, and two collectors on one throwaway PostgreSQL. Not part
//!   of `test`: it needs a container engine and the base images from Docker Hub.
//! - `export-readers`: installs the independent readers the export tests read the files
//!   back with (part of `test`): Debian's `xmllint` (libxml2-utils) for the REFI-QDA schema,
//!   and Python's pyreadstat (ReadStat) in a venv under `target/export-readers/` for SPSS.
//! - `browsers`: installs the browsers the browser tests drive (part of `test`): Debian's
//!   Chromium, Firefox ESR and WebKitGTK (with Xvfb), and geckodriver from crates.io.
//! - `fuzz [SECONDS] [--keep]`: builds the fuzz targets (`fuzz/`) with libFuzzer and runs
//!   each for SECONDS (default 20) from its corpus; `--keep` merges what found new
//!   coverage into `fuzz/corpus/`. Stable Rust: the coverage flags cargo-fuzz passes are
//!   stable codegen options.
use std::io::Write;

mod postgres;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T> = std::result::Result<T, String>;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Brotli bytes allowed for the core + default questionnaire in WebAssembly (issue 3).
const CORE_WASM_BUDGET: usize = 15_000;
/// Brotli bytes allowed for the widget's bundle: `storypoint.js` (with the stylesheet and the
/// first step) + the wasm, 40 KiB since issue 24 (46 KiB before; 45 until the widget learnt
/// its campaign, issue 18). The Dutch language file fetched beside them is printed apart.
const WIDGET_BUDGET: usize = 40 * 1024;
/// The wasm-bindgen CLI must match the crate's pinned version exactly (the `Dockerfile` installs
/// the same version in a layer of its own).
const WASM_BINDGEN_VERSION: &str = "0.2.130";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("wasm-size") => wasm_size(&args[1..]).map(|_| ()),
        Some("dist") => dist().map(|_| ()),
        Some("run") => run(&args[1..]),
        Some("bench-intake") => bench_intake(),
        Some("bench-databases") => bench_databases(),
        Some("test-postgres") => postgres_suites().and_then(|skipped| skipped.map_or(Ok(()), Err)),
        Some("test-image") => test_image(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        Some("export-readers") => ensure_export_readers(),
        Some("browsers") => ensure_chromium().and_then(|()| ensure_other_engines()),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\ntasks:\n  test                      install what is needed, run every test and size budget\n  wasm-size [--budget N]    size of the core in WebAssembly (raw, gzip, brotli)\n  dist                      build the widget bundle into dist/storypoint/ (and check its size budget)\n  run [serve options]       start the collector on http://127.0.0.1:8080 (SQLite: storypoint.db)\n  bench-intake              intake load benchmark: stories/s, p50/p99, RSS\n  bench-databases           intake and patterns on SQLite, then on a throwaway PostgreSQL (and 3 collectors)\n  test-postgres             the collector's HTTP tests on a throwaway PostgreSQL server\n  test-image [--image NAME] build the Dockerfile's image (docker or podman) and test it as docs/deploy.md runs it\n  fuzz [SECONDS] [--keep]   run each fuzz target for SECONDS (default 20); --keep grows fuzz/corpus/\n  export-readers            install xmllint and pyreadstat, which the export tests read the files back with\n  browsers                  install Chromium, Firefox ESR, WebKitGTK and geckodriver, which the browser tests drive"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

/// Runs a command in the workspace root, echoing it; fails with its exit status.
fn sh(program: &str, args: &[&str]) -> Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program).args(args).current_dir(root()).status().map_err(|e| format!("could not start `{program}`: {e} (is it installed?)"))?;
    if status.success() { Ok(()) } else { Err(format!("`{program} {}` failed ({status})", args.join(" "))) }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn test() -> Result<()> {
    // The house rules first: they fail in seconds (the tidy tests run with the others).
    sh(&cargo(), &["fmt", "--all", "--", "--check"])?;
    sh(&cargo(), &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    ensure_wasm_target()?;
    ensure_npm_tools()?;
    ensure_export_readers()?;
    // Benchmarks are type-checked here and run by their own commands (they take time).
    sh(&cargo(), &["test", "--workspace", "--lib", "--bins", "--tests"])?;
    let postgres_skipped = postgres_suites()?;
    sh(&cargo(), &["check", "--workspace", "--benches"])?;
    sh(&cargo(), &["test", "--workspace", "--doc"])?;
    // Coverage-guided fuzzing of every parser of untrusted input, bounded in time.
    fuzz(&["15".into()])?;
    sh(&cargo(), &["build", "-p", "storypoint-core", "--no-default-features", "--target", WASM_TARGET])?;
    wasm_size(&["--budget".into(), CORE_WASM_BUDGET.to_string()])?;
    // The widget's serde-free readers against the core's serde path, in wasm (Node.js).
    ensure_wasm_bindgen()?;
    let status = Command::new(cargo())
        .args(["test", "-p", "storypoint-wasm", "--target", WASM_TARGET, "--test", "questionnaire_js", "--features", "std"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .current_dir(root())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("the widget's wasm tests failed".into());
    }
    // The widget where tellers meet it: real Chromium, Firefox and WebKit against the real
    // collector (an engine that cannot be installed fails the run, it is never skipped).
    dist()?;
    ensure_chromium()?;
    ensure_other_engines()?;
    // `--workspace`, as the tests were built: `-p` alone would resolve features anew and
    // build most crates a second time.
    sh(&cargo(), &["build", "--workspace", "--bin", "storypoint"])?;
    sh("node", &["--test", "--test-concurrency=1", "tests/browser/"])?;
    // A skip is said where nobody misses it: on the last line.
    if let Some(why) = postgres_skipped {
        eprintln!("\n*** Everything passed, but the PostgreSQL run was SKIPPED: {why}. ***");
    }
    Ok(())
}

/// The collector's HTTP test suites that do not depend on SQLite's files, run again on a
/// PostgreSQL server from Debian's package, plus the suite of three collectors on one
/// database. Skipped only when PostgreSQL cannot be installed here: then it returns why, and
/// `test` says so on its last line. PostgreSQL installed but not starting fails the run.
const POSTGRES_SUITES: &[&str] = &["http", "campaigns", "insight", "audio", "hostile", "abuse", "backup", "versions", "postgres"];

fn postgres_suites() -> Result<Option<String>> {
    let server = match postgres::Postgres::start() {
        Ok(server) => server,
        Err(postgres::NoServer::NotInstallable(why)) => {
            eprintln!("\n*** SKIPPED: the HTTP tests on PostgreSQL. {why}. ***\n");
            return Ok(Some(why));
        }
        Err(postgres::NoServer::Failed(why)) => return Err(format!("PostgreSQL is installed but did not start: {why}")),
    };
    // `--workspace`: the test binaries `test` built already (see the build of the binary).
    let mut args = vec!["test", "--workspace"];
    for suite in POSTGRES_SUITES {
        args.extend(["--test", suite]);
    }
    // tests/postgres.rs is ignored without a server; here there is one.
    args.extend(["--", "--include-ignored"]);
    eprintln!("$ STORYPOINT_TEST_POSTGRES={} STORYPOINT_TEST_POSTGRES_CA={} cargo {}", server.url, server.ca.display(), args.join(" "));
    let status = Command::new(cargo())
        .args(&args)
        .env("STORYPOINT_TEST_POSTGRES", &server.url)
        // The CA of the server's certificate: the TLS tests in tests/postgres.rs.
        .env("STORYPOINT_TEST_POSTGRES_CA", &server.ca)
        .current_dir(root())
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() { Ok(None) } else { Err("the HTTP tests failed on PostgreSQL".into()) }
}

/// The container engine: `docker` when its engine answers, else `podman`.
fn container_engine() -> Result<String> {
    let answers = |program: &str| {
        Command::new(program).arg("info").stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).status().is_ok_and(|s| s.success())
    };
    ["docker", "podman"].into_iter().find(|p| answers(p)).map(String::from).ok_or_else(|| {
        "no container engine answers (`docker info` and `podman info` both failed): start Docker, or install podman (apt-get install -y podman)".into()
    })
}

/// Builds the image (unless `--image NAME` names a built one) and runs `tests/image.rs`
/// against it, with a throwaway PostgreSQL for the national set-up.
fn test_image(args: &[String]) -> Result<()> {
    let engine = container_engine()?;
    let image = match args {
        [] => {
            sh(&engine, &["build", "-t", "storypoint:test", "."])?;
            "storypoint:test".to_string()
        }
        [flag, name] if flag == "--image" => name.clone(),
        _ => return Err("usage: cargo xtask test-image [--image NAME]".into()),
    };
    let size = Command::new(&engine).args(["image", "inspect", "-f", "{{.Size}}", &image]).output().map_err(|e| e.to_string())?;
    eprintln!("image {image}: {} bytes", String::from_utf8_lossy(&size.stdout).trim());
    let mut test = Command::new(cargo());
    test.args(["test", "-p", "storypoint-server", "--test", "image", "--", "--ignored", "--test-threads=1"])
        .env("STORYPOINT_TEST_IMAGE", &image)
        .env("STORYPOINT_TEST_ENGINE", &engine)
        .current_dir(root());
    // Kept alive until the tests are done.
    let _postgres = match postgres::Postgres::start() {
        Ok(server) => {
            test.env("STORYPOINT_TEST_POSTGRES", &server.url);
            Some(server)
        }
        Err(postgres::NoServer::NotInstallable(why)) => {
            eprintln!("\n*** SKIPPED: the image on PostgreSQL. {why}. ***\n");
            test.args(["--skip", "postgres"]);
            None
        }
        Err(postgres::NoServer::Failed(why)) => return Err(format!("PostgreSQL is installed but did not start: {why}")),
    };
    let status = test.status().map_err(|e| e.to_string())?;
    if status.success() { Ok(()) } else { Err(format!("the image {image} failed its tests")) }
}

/// Debian's Chromium (never a browser download of a test tool's own).
fn ensure_chromium() -> Result<()> {
    if Path::new("/usr/bin/chromium").exists() {
        return Ok(());
    }
    sh("apt-get", &["update"])?;
    sh("apt-get", &["install", "-y", "--no-install-recommends", "chromium"])
        .map_err(|e| format!("{e}; the browser tests need Debian's chromium (apt-get install -y chromium, as root)"))
}

/// geckodriver, Firefox's WebDriver server: not packaged by Debian, and its npm package
/// downloads a binary, so it is built from crates.io, pinned.
const GECKODRIVER_VERSION: &str = "0.37.1";

/// Firefox ESR and WebKitGTK for `tests/browser/engines.test.mjs` (WebKit is every browser on
/// an iPhone): Debian's `firefox-esr`, `webkit2gtk-driver` (WebKitWebDriver and MiniBrowser)
/// and `xvfb` (WebKit needs a display), and geckodriver installed by cargo into its own
/// `bin/` (as wasm-bindgen-cli is), where the tests look for it: about 3 minutes the first
/// time, then reused by every checkout on the machine (CI's fresh clone too) while it is
/// the pinned version. Fails, saying what is missing, when any of them cannot be installed.
fn ensure_other_engines() -> Result<()> {
    let packages = [("firefox-esr", "/usr/bin/firefox-esr"), ("webkit2gtk-driver", "/usr/bin/WebKitWebDriver"), ("xvfb", "/usr/bin/xvfb-run")];
    let missing: Vec<&str> = packages.iter().filter(|(_, path)| !Path::new(path).exists()).map(|(package, _)| *package).collect();
    if !missing.is_empty() {
        sh("apt-get", &["update"])?;
        let mut args = vec!["install", "-y"];
        args.extend(&missing);
        sh("apt-get", &args)
            .map_err(|e| format!("{e}; the browser tests need Firefox ESR and WebKitGTK (apt-get install -y firefox-esr webkit2gtk-driver xvfb, as root)"))?;
    }
    let geckodriver = cargo_home()?.join("bin/geckodriver");
    let version = Command::new(&geckodriver).arg("--version").output();
    let pinned = format!("geckodriver {GECKODRIVER_VERSION}");
    let current = version.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).lines().next().is_some_and(|line| line.split(" (").next() == Some(&pinned)));
    if !current {
        // --force: another version there is replaced.
        sh(&cargo(), &["install", "geckodriver", "--locked", "--force", "--version", GECKODRIVER_VERSION])
            .map_err(|e| format!("{e}; the Firefox tests need geckodriver {GECKODRIVER_VERSION}, built from crates.io"))?;
    }
    Ok(())
}

/// Where `cargo install` puts programs (under `bin/`): `$CARGO_HOME`, or `~/.cargo`.
fn cargo_home() -> Result<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .ok_or_else(|| "neither CARGO_HOME nor HOME is set".to_string())
}

/// The pyreadstat the export tests read `.sav` files back with (ReadStat, the reader R's
/// haven uses too) and the pandas it reads into, pinned.
const PYREADSTAT: [&str; 2] = ["pyreadstat==1.3.7", "pandas==2.3.3"];

/// The readers the export tests check the files with, independent of our writers: Debian's
/// `xmllint` (the REFI-QDA project against `Project.xsd`) and pyreadstat in a venv under
/// `target/export-readers/` (the SPSS file; under `$CARGO_TARGET_DIR` when that is set).
/// Fails, saying what is missing, when they cannot be installed: the tests need them.
fn ensure_export_readers() -> Result<()> {
    if Command::new("xmllint").arg("--version").output().is_err() {
        sh("apt-get", &["update"])?;
        sh("apt-get", &["install", "-y", "--no-install-recommends", "libxml2-utils"])
            .map_err(|e| format!("{e}; the export tests need xmllint (apt-get install -y libxml2-utils, as root)"))?;
    }
    // Where the tests look: cargo's target folder.
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let venv = target.join("export-readers");
    let python = venv.join("bin/python");
    let ready = Command::new(&python).args(["-c", "import pyreadstat, pandas"]).output().is_ok_and(|out| out.status.success());
    if !ready {
        let venv_arg = path_str(&venv)?;
        sh("python3", &["-m", "venv", venv_arg]).map_err(|e| format!("{e}; the export tests need Python 3 with venv (apt-get install -y python3-venv)"))?;
        sh(path_str(&python)?, &["-m", "pip", "install", "--disable-pip-version-check", "--quiet", PYREADSTAT[0], PYREADSTAT[1]])
            .map_err(|e| format!("{e}; the export tests read .sav files back with {} from PyPI", PYREADSTAT.join(" and ")))?;
    }
    Ok(())
}

/// Starts the collector on 127.0.0.1:8080 with `storypoint.db` (extra arguments go to `serve`).
fn run(extra: &[String]) -> Result<()> {
    if !root().join("dist/storypoint/storypoint.js").exists() {
        dist()?;
    }
    let mut args = vec!["run", "--release", "-p", "storypoint-server", "--bin", "storypoint", "--", "serve"];
    args.extend(extra.iter().map(String::as_str));
    sh(&cargo(), &args)
}

/// The fuzz targets of `fuzz/` (see its crate docs), in the order they are listed there.
const FUZZ_TARGETS: &[&str] = &["questionnaire", "submission", "link", "org_table"];

/// Builds the fuzz targets with libFuzzer and runs each for a bounded time.
///
/// New inputs go to a scratch directory under `target/`, so a run leaves the checkout
/// untouched unless `--keep` asks to merge them into `fuzz/corpus/` (minimised by
/// libFuzzer's `-merge=1`: only inputs that add coverage). A crash fails the task and
/// leaves the input in `target/fuzz/artifacts/<target>/`, ready to become a corpus file.
fn fuzz(args: &[String]) -> Result<()> {
    let keep = args.iter().any(|a| a == "--keep");
    let seconds: u32 = match args.iter().find(|a| !a.starts_with("--")) {
        Some(n) => n.parse().map_err(|_| format!("fuzz: `{n}` is not a number of seconds"))?,
        None => 20,
    };
    let target_dir = root().join("target/fuzz");
    // What cargo-fuzz passes (without a sanitizer: the code under test forbids `unsafe`).
    let rustflags = [
        "-Cpasses=sancov-module",
        "-Cllvm-args=-sanitizer-coverage-level=4",
        "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
        "-Cllvm-args=-sanitizer-coverage-pc-table",
        "-Cllvm-args=-sanitizer-coverage-trace-compares",
        "-Coverflow-checks",
        "-Cdebug-assertions",
        "--cfg=fuzzing",
    ]
    .join(" ");
    // An explicit --target keeps RUSTFLAGS away from build scripts, which cannot link the
    // coverage hooks.
    let host = host_triple()?;
    eprintln!("$ RUSTFLAGS=\"{rustflags}\" cargo build --release -p storypoint-fuzz --features libfuzzer --bins --target {host}");
    let status = Command::new(cargo())
        .args(["build", "--release", "-p", "storypoint-fuzz", "--features", "libfuzzer", "--bins", "--target", &host])
        .env("RUSTFLAGS", &rustflags)
        .env("CARGO_TARGET_DIR", &target_dir)
        .current_dir(root())
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("building the fuzz targets failed (libfuzzer-sys needs a C++ compiler: apt-get install g++)".into());
    }
    for name in FUZZ_TARGETS {
        let corpus = root().join("fuzz/corpus").join(name);
        let scratch = target_dir.join("new-inputs").join(name);
        let artifacts = target_dir.join("artifacts").join(name);
        for dir in [&scratch, &artifacts] {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let binary = target_dir.join(&host).join("release").join(name);
        let run = |extra: &[String]| -> Result<()> {
            let mut command = Command::new(&binary);
            command.args(extra).current_dir(root());
            eprintln!("$ {} {}", binary.display(), extra.join(" "));
            // libFuzzer's progress lines run into the thousands; show its summary, or
            // everything when it failed.
            let output = command.output().map_err(|e| format!("{}: {e}", binary.display()))?;
            let log = String::from_utf8_lossy(&output.stderr);
            if output.status.success() {
                for line in log.lines().filter(|l| l.starts_with("stat::") || l.starts_with("Done ") || l.contains("MERGE-OUTER: ")) {
                    eprintln!("  {name}: {line}");
                }
                Ok(())
            } else {
                eprintln!("{log}");
                Err(format!("fuzz target `{name}` failed ({}); the input is in {}", output.status, artifacts.display()))
            }
        };
        run(&[
            format!("-max_total_time={seconds}"),
            "-timeout=10".into(),
            "-rss_limit_mb=2048".into(),
            "-max_len=16384".into(),
            "-print_final_stats=1".into(),
            format!("-artifact_prefix={}/", artifacts.display()),
            scratch.display().to_string(),
            corpus.display().to_string(),
        ])?;
        if keep {
            run(&["-merge=1".into(), corpus.display().to_string(), scratch.display().to_string()])?;
        }
    }
    Ok(())
}

/// The triple rustc builds for by default (`host:` in `rustc -vV`).
fn host_triple() -> Result<String> {
    let output = Command::new("rustc").arg("-vV").output().map_err(|e| format!("rustc -vV: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_string)
        .ok_or_else(|| "rustc -vV printed no host triple".into())
}

/// The intake load benchmark against the real binary (release build).
fn bench_databases() -> Result<()> {
    let server = postgres::Postgres::start().map_err(|e| match e {
        postgres::NoServer::NotInstallable(why) | postgres::NoServer::Failed(why) => why,
    })?;
    for url in ["", server.url.as_str()] {
        for bench in ["intake", "patterns"] {
            let status = Command::new(cargo())
                .args(["bench", "-p", "storypoint-server", "--bench", bench])
                .env("STORYPOINT_TEST_POSTGRES", url)
                .current_dir(root())
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!("the {bench} benchmark failed"));
            }
        }
    }
    Ok(())
}

fn bench_intake() -> Result<()> {
    sh(&cargo(), &["bench", "-p", "storypoint-server", "--bench", "intake"])
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    match installed {
        Ok(out) if String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == WASM_TARGET) => Ok(()),
        Ok(_) => sh("rustup", &["target", "add", WASM_TARGET]),
        Err(e) => Err(format!("rustup is needed to add the {WASM_TARGET} target: {e}")),
    }
}

/// npm tools (wasm-opt from `binaryen`), pinned in package-lock.json.
fn ensure_npm_tools() -> Result<()> {
    let root = root();
    let installed =
        ["node_modules/.bin/wasm-opt", "node_modules/.bin/terser", "node_modules/playwright-core", "node_modules/axe-core", "node_modules/selenium-webdriver"]
            .iter()
            .all(|p| root.join(p).exists());
    if installed {
        return Ok(());
    }
    sh("npm", &["ci", "--no-audit", "--no-fund"]).map_err(|e| format!("{e}; Node.js and npm are needed (apt-get install -y nodejs npm)"))
}

fn ensure_wasm_bindgen() -> Result<()> {
    let version = Command::new("wasm-bindgen").arg("--version").output();
    if let Ok(out) = version {
        if String::from_utf8_lossy(&out.stdout).contains(WASM_BINDGEN_VERSION) {
            return Ok(());
        }
    }
    // Without --locked: with it the build fails here (shared/design/toolchain.md).
    sh(&cargo(), &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION])
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

/// Builds `package` for WebAssembly with the `wasm` profile.
///
/// Panic locations keep the source paths of dependencies, which start with cargo's home:
/// `/root/.cargo` on one machine, `/usr/local/cargo` in the Dockerfile's build stage. They
/// are remapped to `/cargo`, so the bundle's bytes, and whether it fits its budget, do not
/// depend on where it is built (and the bundle does not tell where that was).
fn build_wasm(package: &str) -> Result<()> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let mut rustflags = std::env::var("RUSTFLAGS").unwrap_or_default();
    rustflags.push_str(&format!(" --remap-path-prefix={}=/cargo", path_str(&cargo_home)?));
    let rustflags = rustflags.trim().to_string();
    let args = ["build", "-p", package, "--target", WASM_TARGET, "--profile", "wasm"];
    eprintln!("$ RUSTFLAGS=\"{rustflags}\" cargo {}", args.join(" "));
    // With an explicit --target, RUSTFLAGS reaches only the wasm code, not build scripts.
    let status = Command::new(cargo()).args(args).env("RUSTFLAGS", &rustflags).current_dir(root()).status().map_err(|e| e.to_string())?;
    if status.success() { Ok(()) } else { Err(format!("building {package} for {WASM_TARGET} failed ({status})")) }
}

/// Builds the widget bundle; returns the brotli sizes of the JS and the wasm.
fn dist() -> Result<(usize, usize)> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_npm_tools()?;
    let root = root();
    build_wasm("storypoint-wasm")?;
    let built = root.join("target").join(WASM_TARGET).join("wasm/storypoint_wasm.wasm");
    let bindgen = root.join("target/storypoint-bindgen");
    sh("wasm-bindgen", &[path_str(&built)?, "--target", "web", "--out-dir", path_str(&bindgen)?, "--out-name", "storypoint", "--no-typescript"])?;
    let out = root.join("dist/storypoint");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let wasm = out.join("storypoint_bg.wasm");
    // Import, export and module names shortened too (wasm-bindgen's carry a 16-digit hash
    // each, in the wasm and again in the glue: about a kilobyte after brotli); the glue is
    // renamed to match from the mapping wasm-opt prints.
    let unoptimised = bindgen.join("storypoint_bg.wasm");
    let args = [
        "-Oz",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--strip-debug",
        "--strip-producers",
        "--strip-target-features",
        "--minify-imports-and-exports-and-modules",
        path_str(&unoptimised)?,
        "-o",
        path_str(&wasm)?,
    ];
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    eprintln!("$ {} {}", wasm_opt.display(), args.join(" "));
    let optimised = Command::new(&wasm_opt).args(args).current_dir(&root).output().map_err(|e| format!("wasm-opt: {e}"))?;
    if !optimised.status.success() {
        return Err(format!("wasm-opt failed: {}", String::from_utf8_lossy(&optimised.stderr)));
    }
    let glue = std::fs::read_to_string(bindgen.join("storypoint.js")).map_err(|e| e.to_string())?;
    std::fs::write(bindgen.join("storypoint.renamed.js"), rename_glue(&glue, &optimised.stdout)?).map_err(|e| e.to_string())?;
    // Every language is a file beside the bundle: `translations/{code}.json`, checked,
    // becomes `lang/{code}.json` with the questionnaire already translated
    // (`Translation::for_widget`). Dutch's is fetched by the element beside the wasm; another
    // only by a widget whose `lang` asks for it. A new file there is a new language.
    let languages = compile_translations(&root, &out.join("lang"))?;
    // The glue from wasm-bindgen plus the custom element, minified as one module, with the
    // stylesheet; first without a first step, so the widget itself draws the one to keep.
    let css = compact_css(&std::fs::read_to_string(root.join("crates/storypoint-wasm/src/style.css")).map_err(|e| e.to_string())?);
    let js = out.join("storypoint.js");
    write_element_js(&root, &bindgen, &js, &css, "")?;
    // The recorder for spoken stories: a module of its own, loaded only when a teller speaks.
    let voice = out.join("voice.js");
    sh(
        path_str(&root.join("node_modules/.bin/terser"))?,
        &[path_str(&root.join("crates/storypoint-wasm/src/voice.js"))?, "--module", "--compress", "passes=2", "--mangle", "--output", path_str(&voice)?],
    )?;
    // The first step as HTML, rendered by the widget itself: `/vertel` carries it, and the
    // element draws it on any page the moment it is defined, before the wasm is there.
    ensure_chromium()?;
    sh("node", &[path_str(&root.join("xtask/prerender.mjs"))?, path_str(&out)?])?;
    let first = std::fs::read_to_string(out.join("prerender.nl.html")).map_err(|e| e.to_string())?;
    write_element_js(&root, &bindgen, &js, &css, &first)?;
    for name in ["prerender.nl.html", "storypoint.css", "voice.js"] {
        let file = out.join(name);
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        std::fs::write(out.join(format!("{name}.br")), brotli_bytes(&bytes)).map_err(|e| e.to_string())?;
        std::fs::write(out.join(format!("{name}.gz")), gzip_bytes(&bytes)).map_err(|e| e.to_string())?;
    }
    let mut brotli_total = (0, 0);
    println!("\nwidget bundle (dist/storypoint/):");
    for (index, file) in [&js, &wasm].into_iter().enumerate() {
        let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
        let (gz, br) = (gzip_bytes(&bytes), brotli_bytes(&bytes));
        std::fs::write(file.with_extension(format!("{}.gz", file.extension().and_then(|e| e.to_str()).unwrap_or(""))), &gz).map_err(|e| e.to_string())?;
        std::fs::write(file.with_extension(format!("{}.br", file.extension().and_then(|e| e.to_str()).unwrap_or(""))), &br).map_err(|e| e.to_string())?;
        println!("  {:<22} raw {:>7}  gzip {:>6}  brotli {:>6}", file.file_name().and_then(|n| n.to_str()).unwrap_or(""), bytes.len(), gz.len(), br.len());
        if index == 0 { brotli_total.0 = br.len() } else { brotli_total.1 = br.len() }
    }
    let total = brotli_total.0 + brotli_total.1;
    println!("  total brotli {total} bytes ({:.1} KiB); budget {} KiB", total as f64 / 1024.0, WIDGET_BUDGET / 1024);
    let recorder = std::fs::read(&voice).map_err(|e| e.to_string())?;
    println!("  voice.js (only when a teller speaks) raw {}  gzip {}  brotli {}", recorder.len(), gzip_bytes(&recorder).len(), brotli_bytes(&recorder).len());
    for (code, raw, brotli) in &languages {
        let when = if code == "nl" { "fetched beside the wasm: Dutch, the default questionnaire".to_string() } else { format!("only for lang=\"{code}\"") };
        println!("  lang/{code}.json ({when}) raw {raw}  brotli {brotli}");
    }
    if total > WIDGET_BUDGET {
        return Err(format!("the widget is {total} bytes brotli, over the budget of {WIDGET_BUDGET}"));
    }
    Ok(brotli_total)
}

/// Checks every `translations/*.json` against the default questionnaire and the Dutch
/// words (any problem fails the build) and writes each language, Dutch too, compiled for the
/// widget, into `dir`. Returns (code, raw size, brotli size) per language.
fn compile_translations(root: &Path, dir: &Path) -> Result<Vec<(String, usize, usize)>> {
    use storypoint_core::{Translation, default_questionnaire};
    let read = |code: &str| -> Result<Translation> {
        let path = root.join("translations").join(format!("{code}.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let translation = Translation::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if translation.lang.code() != code {
            return Err(format!("{}: `lang` says `{}`", path.display(), translation.lang.code()));
        }
        Ok(translation)
    };
    let questionnaire = default_questionnaire();
    let dutch = read("nl")?;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut codes: Vec<String> = std::fs::read_dir(root.join("translations"))
        .map_err(|e| format!("translations/: {e}"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok()?.strip_suffix(".json").map(String::from))
        .collect();
    codes.sort();
    let mut sizes = Vec::new();
    for code in codes {
        let translation = read(&code)?;
        let problems = translation.check(&questionnaire, &dutch);
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
            return Err(format!("translations/{code}.json:\n{}", list.join("\n")));
        }
        let compiled = translation.for_widget(&questionnaire, &dutch).into_bytes();
        let brotli = brotli_bytes(&compiled);
        std::fs::write(dir.join(format!("{code}.json")), &compiled).map_err(|e| e.to_string())?;
        std::fs::write(dir.join(format!("{code}.json.br")), &brotli).map_err(|e| e.to_string())?;
        std::fs::write(dir.join(format!("{code}.json.gz")), gzip_bytes(&compiled)).map_err(|e| e.to_string())?;
        sizes.push((code, compiled.len(), brotli.len()));
    }
    Ok(sizes)
}

/// `storypoint.js`: wasm-bindgen's glue, the stylesheet and the first step (`first`, the
/// widget's own markup; empty: none) as constants, and the custom element
/// (`crates/storypoint-wasm/src/element.js`), minified as one module.
fn write_element_js(root: &Path, bindgen: &Path, js: &Path, css: &str, first: &str) -> Result<()> {
    let glue = std::fs::read_to_string(bindgen.join("storypoint.renamed.js")).map_err(|e| e.to_string())?;
    let element = std::fs::read_to_string(root.join("crates/storypoint-wasm/src/element.js")).map_err(|e| e.to_string())?;
    let constants = format!("const SP_CSS = {}, SP_FIRST = {};\n", js_string(css), js_string(first));
    let joined = bindgen.join("storypoint.joined.js");
    std::fs::write(&joined, [glue, constants, element].concat()).map_err(|e| e.to_string())?;
    sh(path_str(&root.join("node_modules/.bin/terser"))?, &[path_str(&joined)?, "--module", "--compress", "passes=2", "--mangle", "--output", path_str(js)?])
}

/// wasm-bindgen's glue with the names wasm-opt gave the imports, exports and modules
/// (`mapping`: its JSON, `{"imports": [[module, name, new]], "exports": [[name, new]]}`; the
/// module becomes `a`).
/// Only where the glue names them: an import as a key of its imports object, a module as
/// its quoted key, an export as `wasm.name`.
fn rename_glue(glue: &str, mapping: &[u8]) -> Result<String> {
    let mapping: serde_json::Value = serde_json::from_slice(mapping).map_err(|e| format!("wasm-opt's name mapping: {e}"))?;
    let pairs = |key: &str| -> Vec<Vec<String>> {
        mapping[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|row| row.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect())
            .collect()
    };
    let mut renamed = glue.to_string();
    let mut modules = std::collections::BTreeSet::new();
    let replace = |renamed: &mut String, old: String, new: String| -> Result<()> {
        if !renamed.contains(&old) {
            return Err(format!("the glue does not name `{old}`"));
        }
        *renamed = renamed.replace(&old, &new);
        Ok(())
    };
    for row in pairs("imports") {
        let [module, name, new] = row.as_slice() else { return Err("wasm-opt's import mapping has rows of three".into()) };
        replace(&mut renamed, format!("        {name}: function"), format!("        {new}: function"))?;
        modules.insert(module.clone());
    }
    for row in pairs("exports") {
        let [name, new] = row.as_slice() else { return Err("wasm-opt's export mapping has rows of two".into()) };
        // Only whole names: `wasm.name` followed by a character that cannot continue it.
        let pattern = format!("wasm.{name}");
        let mut out = String::with_capacity(renamed.len());
        let mut rest = renamed.as_str();
        while let Some(at) = rest.find(&pattern) {
            let after = rest[at + pattern.len()..].chars().next();
            out.push_str(&rest[..at]);
            if after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                out.push_str(&pattern);
            } else {
                out.push_str("wasm.");
                out.push_str(new);
            }
            rest = &rest[at + pattern.len()..];
        }
        out.push_str(rest);
        renamed = out;
    }
    // binaryen names the one import module `a` and does not print it (the browser tests load
    // the result: another name would fail every one of them).
    for module in modules {
        replace(&mut renamed, format!("\"{module}\": import0"), "\"a\": import0".to_string())?;
    }
    Ok(renamed)
}

/// `text` as a JavaScript string literal (double quotes; JSON's escapes are JavaScript's).
fn js_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// `src/style.css` without comments, line breaks and indentation: it travels in every bundle.
fn compact_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
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
    compact.replace(": ", ":").replace(";}", "}")
}

struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

fn wasm_size(args: &[String]) -> Result<Sizes> {
    let budget = match args {
        [] => None,
        [flag, n] if flag == "--budget" => Some(n.parse::<usize>().map_err(|_| format!("--budget takes a number of bytes, not `{n}`"))?),
        _ => return Err("usage: cargo xtask wasm-size [--budget BYTES]".into()),
    };
    ensure_wasm_target()?;
    ensure_npm_tools()?;
    build_wasm("wasm-size-probe")?;
    let built = root().join("target").join(WASM_TARGET).join("wasm/wasm_size_probe.wasm");
    let optimised = root().join("target/wasm-size-probe.opt.wasm");
    let wasm_opt = root().join("node_modules/.bin/wasm-opt");
    sh(
        wasm_opt.to_str().ok_or("non-UTF-8 path")?,
        &[
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--strip-debug",
            "--strip-producers",
            built.to_str().ok_or("non-UTF-8 path")?,
            "-o",
            optimised.to_str().ok_or("non-UTF-8 path")?,
        ],
    )?;
    let bytes = std::fs::read(&optimised).map_err(|e| format!("{}: {e}", optimised.display()))?;
    let sizes = Sizes { raw: bytes.len(), gzip: gzip(&bytes), brotli: brotli(&bytes) };
    println!("\ncore + default questionnaire in WebAssembly (size probe, wasm-opt -Oz):");
    println!("  raw    {:>7} bytes", sizes.raw);
    println!("  gzip   {:>7} bytes (level 9)", sizes.gzip);
    println!("  brotli {:>7} bytes (quality 11)", sizes.brotli);
    if let Some(budget) = budget {
        if sizes.brotli > budget {
            return Err(format!(
                "the core in WebAssembly is {} bytes brotli, over the budget of {budget}; see BENCHMARKS.md for what makes it big",
                sizes.brotli
            ));
        }
        println!("  budget {budget:>7} bytes brotli: ok");
    }
    Ok(sizes)
}

fn gzip(bytes: &[u8]) -> usize {
    gzip_bytes(bytes).len()
}

fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn brotli(bytes: &[u8]) -> usize {
    brotli_bytes(bytes).len()
}

fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

#[cfg(test)]
mod tests {
    /// The Dockerfile installs wasm-bindgen-cli in a layer of its own; a different version
    /// there would only be replaced by `dist`, silently making every image build slower.
    #[test]
    fn the_dockerfile_installs_the_pinned_wasm_bindgen() {
        let dockerfile = std::fs::read_to_string(super::root().join("Dockerfile")).unwrap();
        let pin = format!("ARG WASM_BINDGEN_VERSION={}", super::WASM_BINDGEN_VERSION);
        assert!(dockerfile.lines().any(|line| line.trim() == pin), "the Dockerfile should say `{pin}`");
    }
}
