//! Nothing that identifies a teller is kept: after a run, the database, its WAL and the
//! server's output hold neither the client's address nor its user agent nor any header value
//! it sent, and the files' times say only the day.
mod common;

use std::io::{Read, Write};

use common::*;

/// Sends one story from the source address 127.0.0.2 with distinctive headers.
fn post_from_other_address(addr: &str, body: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        socket.connect(addr.parse().unwrap()).await.unwrap().into_std().unwrap()
    });
    stream.set_nonblocking(false).unwrap();
    let mut stream = stream;
    let request = format!(
        "POST /api/v1/stories HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n\
         User-Agent: UniqueBrowser/7.7 ua-token-3141\r\nX-Forwarded-For: 198.51.100.23\r\nCookie: session=cookie-token-2718\r\n\
         Referer: https://partner.example/secret-page-1618\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply
}

#[test]
fn no_address_user_agent_or_header_value_is_stored_or_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stories.db");
    let log = dir.path().join("server.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_storypoint"))
        .args(["--db", db.to_str().unwrap(), "serve", "--addr", "127.0.0.1:0"])
        .env("STORYPOINT_ADMIN_TOKEN", ADMIN_TOKEN)
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).unwrap();
    let addr = first.split("http://").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    for _ in 0..5 {
        let reply = post_from_other_address(&addr, &story(&submission_id(), None).to_string());
        assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    }
    // A bad request too: errors must not log the client either.
    let reply = post_from_other_address(&addr, "{broken");
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    let _ = child.kill();
    let _ = child.wait();
    let mut rest = String::new();
    let _ = out.read_to_string(&mut rest);

    // Nor when: the files the collector wrote keep the day only (checked before reading
    // them, which would set their access time).
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        // The log is the test's; `-shm` is SQLite's index of the WAL (see `blur_times`).
        if entry.file_name() == "server.log" || entry.file_name() == "stories.db-shm" {
            continue;
        }
        let meta = entry.metadata().unwrap();
        for (what, time) in [("modified", meta.modified().unwrap()), ("accessed", meta.accessed().unwrap())] {
            let since = time.duration_since(std::time::UNIX_EPOCH).unwrap();
            assert!(since.as_secs() % 86_400 == 0 && since.subsec_nanos() == 0, "{:?} {what} at {since:?}", entry.file_name());
        }
    }

    let mut kept = Vec::new();
    for file in ["stories.db", "stories.db-wal", "stories.db-shm", "server.log"] {
        if let Ok(bytes) = std::fs::read(dir.path().join(file)) {
            kept.push((file.to_string(), bytes));
        }
    }
    kept.push(("stdout".into(), format!("{first}{rest}").into_bytes()));
    assert!(kept.iter().any(|(f, b)| f == "stories.db" && !b.is_empty()));
    for needle in ["127.0.0.2", "198.51.100.23", "ua-token-3141", "UniqueBrowser", "cookie-token-2718", "secret-page-1618"] {
        for (file, bytes) in &kept {
            let found = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
            assert!(!found, "`{needle}` was kept in {file}");
        }
    }
}
