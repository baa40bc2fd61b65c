//! Slow, idle and junk clients cannot stop the collector: a thousand half-sent requests from
//! one address, bodies that stop one byte short and junk recordings, all at once, while
//! honest tellers from other addresses send their stories. Every loop is bounded in count and
//! time and targets 127.0.0.1 only (the honest tellers come from 127.0.0.2 and up: all of
//! 127.0.0.0/8 is this machine).
mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;

/// Posts one story from `from`; the status and how long the reply took (status 0: no reply
/// within 2 seconds, or no connection).
fn honest_story(from: &str, addr: &str) -> (u16, Duration) {
    let started = Instant::now();
    let Ok(mut stream) = connect_from(from, addr) else { return (0, started.elapsed()) };
    let body = story(&submission_id(), None).to_string();
    let head = format!(
        "POST /api/v1/stories HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    if stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body.as_bytes())).is_err() {
        return (0, started.elapsed());
    }
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let status = String::from_utf8_lossy(&reply).split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, started.elapsed())
}

/// Whether the server has closed `stream` (reads end, or fail, within `wait`).
fn closed(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut buffer = [0u8; 512];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => return false,
            Err(_) => return true,
        }
    }
}

#[test]
fn an_idle_or_half_sent_connection_is_closed_after_ten_seconds() {
    let server = Server::start();
    let mut idle = TcpStream::connect(&server.addr).unwrap();
    let mut half = TcpStream::connect(&server.addr).unwrap();
    half.write_all(b"POST /api/v1/stories HTTP/1.1\r\nHost: x\r\nContent-Ty").unwrap();
    let mut slow_body = TcpStream::connect(&server.addr).unwrap();
    slow_body.write_all(b"POST /api/v1/stories HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\"").unwrap();
    // A kept-alive connection that sent one request and then nothing.
    let mut kept = TcpStream::connect(&server.addr).unwrap();
    kept.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let started = Instant::now();
    for (name, stream) in [("idle", &mut idle), ("half a header", &mut half), ("kept alive", &mut kept)] {
        assert!(closed(stream, Duration::from_secs(25).saturating_sub(started.elapsed())), "{name}: still open after 25 s");
    }
    // The body that stopped hears why (408), then the connection is closed.
    slow_body.set_read_timeout(Some(Duration::from_secs(25).saturating_sub(started.elapsed()))).unwrap();
    let mut reply = Vec::new();
    let _ = slow_body.read_to_end(&mut reply);
    assert!(String::from_utf8_lossy(&reply).starts_with("HTTP/1.1 408"), "{}", String::from_utf8_lossy(&reply));
    // Closed by the timers (10 s for a head or an idle wait, 15 s for a pause in a body),
    // not at once.
    assert!(started.elapsed() >= Duration::from_secs(9), "closed after {:?}", started.elapsed());
    assert_eq!(server.get("/api/v1/health").status, 200);
}

#[test]
fn a_thousand_slow_clients_from_one_address_do_not_stop_honest_tellers() {
    // The open-file limit many hosts have: without caps, a thousand connections use it up.
    let server = Server::start_with_open_files(1024, &[]);
    let addr = server.addr.clone();
    let before = server.rss_kib().unwrap_or(0);
    let mut peak = before;
    let mut hostile = Vec::new();
    let started = Instant::now();
    // 1,000 connections that send nothing (one in three) or half a head, and 40 bodies one
    // byte short (of 1 MB recordings' parts), all from 127.0.0.1.
    for i in 0..1000 {
        let Ok(mut stream) = TcpStream::connect(&addr) else { continue };
        if i % 3 != 0 {
            let _ = stream.write_all(format!("POST /api/v1/stories HTTP/1.1\r\nHost: x\r\nX-Slow-{i}: ").as_bytes());
        }
        hostile.push(stream);
    }
    let junk: Vec<u8> = (0..1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for _ in 0..40 {
        let Ok(mut stream) = TcpStream::connect(&addr) else { continue };
        let head = format!("PUT /api/v1/stories/{}/audio?offset=0 HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", submission_id(), junk.len());
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&junk[..junk.len() - 1]);
        hostile.push(stream);
    }
    let opened = hostile.len();
    // And whole junk recordings from another address, each refused as not audio.
    let junk_refused = (0..10)
        .filter(|_| {
            let path = format!("/api/v1/stories/{}/audio?offset=0", submission_id());
            request_from("127.0.0.30", &addr, "PUT", &path, &[], &junk[..256 * 1024]).status == 415
        })
        .count();
    // Meanwhile, honest tellers from twenty other addresses, twice each.
    let mut honest = Vec::new();
    for round in 0..2 {
        for n in 2..22 {
            honest.push(honest_story(&format!("127.0.0.{n}"), &addr));
            peak = peak.max(server.rss_kib().unwrap_or(0));
        }
        if round == 0 {
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    let created_in_time = honest.iter().filter(|(status, took)| *status == 201 && *took <= Duration::from_secs(2)).count();
    let slowest = honest.iter().map(|(_, took)| *took).max().unwrap_or_default();
    // Every hostile connection is closed by the timers, well before a minute.
    let still_open = hostile
        .iter_mut()
        .map(|stream| closed(stream, Duration::from_secs(30).saturating_sub(started.elapsed()).max(Duration::from_millis(10))))
        .filter(|closed| !closed)
        .count();
    peak = peak.max(server.rss_kib().unwrap_or(0));
    let stored = server.admin_get("/api/v1/stats").json()["total"].as_i64().unwrap_or(-1);
    eprintln!(
        "hostile load: {opened} slow connections from one address, {junk_refused}/10 junk recordings refused; honest stories sent {}, answered 201 within 2 s {created_in_time} (slowest {slowest:?}), stored {stored}, lost {}; hostile still open after 30 s: {still_open}; server memory {} MiB before, peak {} MiB",
        honest.len(),
        honest.len() as i64 - stored,
        before / 1024,
        peak / 1024
    );
    assert!(opened >= 1000, "the test could open only {opened} connections");
    assert_eq!(junk_refused, 10, "junk is never taken as a recording");
    assert_eq!(created_in_time, honest.len(), "every honest teller gets 201 within 2 s: {honest:?}");
    assert_eq!(stored, honest.len() as i64, "no honest story lost, none twice");
    assert_eq!(still_open, 0, "slow connections are closed by the timers");
    // Bounded: far below what 1,040 held connections with 1 MB bodies would take.
    assert!(peak < 256 * 1024, "peak memory {peak} KiB");
}
