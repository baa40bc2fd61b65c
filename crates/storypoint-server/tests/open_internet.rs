//! The collector as a hostile client meets it on the open internet: guessed tokens are
//! slowed, short tokens are refused, a client cannot choose its own address, coordinators'
//! replies stay on their own site, and security.txt says whom to tell.
mod common;

use common::*;

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

#[test]
fn guessing_tokens_is_slowed_for_the_guesser_only() {
    let server = Server::start();
    let stats = |from: &str, token: &str| request_from(from, &server.addr, "GET", "/api/v1/stats", &[("Authorization", &bearer(token))], b"");
    // The browser's first visit, without a token, is not a wrong try.
    for _ in 0..15 {
        assert_eq!(request_from("127.0.0.3", &server.addr, "GET", "/admin/inzicht", &[], b"").status, 303);
    }
    let statuses: Vec<u16> = (0..12).map(|i| stats("127.0.0.3", &format!("wrong-guess-number-{i:04}")).status).collect();
    assert_eq!(statuses[..10], [401; 10], "ten wrong tries are answered as wrong");
    assert_eq!(statuses[10..], [429, 429], "then the guesser must wait");
    let slowed = stats("127.0.0.3", ADMIN_TOKEN);
    assert_eq!(slowed.status, 429, "while slowed, even a right token gets no answer about itself");
    let wait: u64 = slowed.header("Retry-After").expect("says how long to wait").parse().unwrap();
    assert!((1..=60).contains(&wait), "one more try a minute: {wait}");
    assert!(slowed.json()["message"].as_str().unwrap().contains("Probeer het over"), "in Dutch for the coordinator");
    // The right token holder elsewhere is not locked out.
    assert_eq!(stats("127.0.0.4", ADMIN_TOKEN).status, 200);
    assert_eq!(request_from("127.0.0.4", &server.addr, "GET", "/api/v1/export.csv", &[("Authorization", &bearer(ADMIN_TOKEN))], b"").status, 200);
    // Tokens typed into the login page count the same.
    let login = |token: &str| {
        let body = format!("token={token}");
        let headers = [("Content-Type", "application/x-www-form-urlencoded")];
        request_from("127.0.0.5", &server.addr, "POST", "/admin/login", &headers, body.as_bytes()).status
    };
    let typed: Vec<u16> = (0..11).map(|i| login(&format!("typed-wrong-token-{i:04}"))).collect();
    assert_eq!(typed[..10], [401; 10]);
    assert_eq!(typed[10], 429, "the login page is slowed like the API");
    // Tellers from the guesser's address still tell.
    let story = story(&submission_id(), None).to_string();
    let told = request_from("127.0.0.3", &server.addr, "POST", "/api/v1/stories", &[("Content-Type", "application/json")], story.as_bytes());
    assert_eq!(told.status, 201);
}

#[test]
fn a_short_admin_token_is_refused_at_start_and_storypoint_token_makes_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kort.db");
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_storypoint"))
        .arg("--db")
        .arg(&db)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("STORYPOINT_ADMIN_TOKEN", "1")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("at least 20") && said.contains("storypoint token"), "{said}");
    let made = cli(&db, &["token"]);
    assert!(made.status.success());
    let token = String::from_utf8(made.stdout).unwrap().trim().to_string();
    assert!(token.len() >= 20 && token.chars().all(|c| c.is_ascii_hexdigit()), "{token}");
    assert_ne!(cli(&db, &["token"]).stdout, token.as_bytes(), "a fresh one every time");
}

#[test]
fn forwarded_for_counts_only_from_a_trusted_proxy() {
    let story = || story(&submission_id(), None).to_string();
    let post = |server: &Server, forwarded: &str| {
        let headers = [("Content-Type", "application/json"), ("X-Forwarded-For", forwarded)];
        request(&server.addr, "POST", "/api/v1/stories", &headers, story().as_bytes()).status
    };
    // Behind the proxy every teller would share the proxy's bucket; told whom the proxy
    // serves, each has their own.
    let proxied = Server::start_with(&["--max-stories-per-minute", "2", "--trusted-proxy", "127.0.0.1"]);
    let first: Vec<u16> = (0..3).map(|_| post(&proxied, "198.51.100.1")).collect();
    assert_eq!(first, [201, 201, 429]);
    assert_eq!(post(&proxied, "198.51.100.2"), 201, "another teller behind the proxy");
    assert_eq!(post(&proxied, "203.0.113.5, 198.51.100.1"), 429, "what a client writes itself counts for nothing");
    // Without --trusted-proxy the header is anyone's word and is ignored.
    let direct = Server::start_with(&["--max-stories-per-minute", "2"]);
    let statuses: Vec<u16> = ["198.51.100.1", "198.51.100.2", "198.51.100.3"].iter().map(|f| post(&direct, f)).collect();
    assert_eq!(statuses, [201, 201, 429]);
}

#[test]
fn coordinators_replies_stay_on_their_own_site() {
    let server = Server::start();
    let auth = bearer(ADMIN_TOKEN);
    for path in ["/admin", "/admin/admin.css", "/api/v1/stats", "/api/v1/export.csv", "/admin/inzicht", "/api/v1/patterns"] {
        let reply = request(&server.addr, "GET", path, &[("Authorization", &auth)], b"");
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Cross-Origin-Resource-Policy"), Some("same-origin"), "{path}");
    }
    // Partner pages on other sites load the widget and post stories: those stay open.
    let public = server.get("/api/v1/questionnaire");
    assert_eq!(public.header("Cross-Origin-Resource-Policy"), None);
}

#[test]
fn security_txt_says_whom_to_tell_until_when() {
    let server = Server::start_with(&["--security-contact", "mailto:security@gemeente.example", "--security-expires", "2099-06-30"]);
    let reply = server.get("/.well-known/security.txt");
    assert_eq!(reply.status, 200);
    assert!(reply.header("Content-Type").unwrap().starts_with("text/plain"));
    let text = reply.text();
    assert!(text.contains("Contact: mailto:security@gemeente.example\n"), "{text}");
    assert!(text.contains("Expires: 2099-06-30T23:59:59Z\n"), "{text}");
    assert_eq!(Server::start().get("/.well-known/security.txt").status, 404, "nobody named, no file");
    let dir = tempfile::tempdir().unwrap();
    let wrong = cli(&dir.path().join("x.db"), &["serve", "--addr", "127.0.0.1:0", "--security-contact", "security@gemeente.example"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("mailto:"));
}
