//! `cargo xtask`: build and measurement tasks that cargo alone cannot do.
//!
//! Needs nothing but cargo and rustc to start; it installs what else it needs.
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        _ => {
            eprintln!("usage: cargo xtask <task>\n\ntasks:\n  help");
            ExitCode::SUCCESS
        }
    }
}
