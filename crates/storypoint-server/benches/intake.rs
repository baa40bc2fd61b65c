//! Intake load benchmark: N concurrent HTTP/1.1 keep-alive clients post valid stories to the
//! real `storypoint` binary (release build) with a real SQLite file (WAL, synchronous=FULL).
//! Prints durable stories per second (every one answered 201), p50/p99 latency, and the
//! server's RSS idle and loaded. Bounded: each run lasts at most a few seconds.
//!
//! Run: `cargo bench -p storypoint-server --bench intake` (or `cargo xtask bench-intake`).
//! With `STORYPOINT_TEST_POSTGRES` set (`cargo xtask bench-databases` runs both), the same on
//! PostgreSQL, and then three collectors on one PostgreSQL database.
#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;

const RUN: Duration = Duration::from_secs(4);
const MAX_PER_CLIENT: usize = 200_000;

/// One keep-alive connection; returns the latencies of the stories it got a 201 for.
fn client(addr: String, until: Instant) -> Vec<Duration> {
    let mut connection = KeepAlive::connect(&addr);
    let mut latencies = Vec::new();
    for _ in 0..MAX_PER_CLIENT {
        if Instant::now() >= until {
            break;
        }
        let body = story(&submission_id(), None).to_string();
        let start = Instant::now();
        let status = connection.post_json("/api/v1/stories", &body);
        assert_eq!(status, 201);
        latencies.push(start.elapsed());
    }
    latencies
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// What one run measured.
struct Measured {
    stories_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// The first server's largest RSS during the run, in KiB.
    peak_kib: u64,
}

/// `clients` keep-alive clients spread over `servers` for [`RUN`]; checks that every 201 is
/// a stored story.
fn load(servers: &[Server], clients: usize) -> Measured {
    let until = Instant::now() + RUN;
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let addr = servers[i % servers.len()].addr.clone();
            std::thread::spawn(move || client(addr, until))
        })
        .collect();
    let mut peak_kib = 0;
    while handles.iter().any(|h| !h.is_finished()) {
        peak_kib = peak_kib.max(servers[0].rss_kib().unwrap_or(0));
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut latencies: Vec<Duration> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let elapsed = started.elapsed();
    latencies.sort();
    let stored = servers[0].admin_get("/api/v1/stats").json()["total"].as_u64().unwrap();
    assert_eq!(stored as usize, latencies.len(), "every 201 is a stored story");
    Measured {
        stories_per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        p99_ms: percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        peak_kib,
    }
}

/// One address sends everything here: the per-address limit is lifted for the bench.
const UNLIMITED: [&str; 2] = ["--max-stories-per-minute", "100000000"];

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    match postgres_server() {
        Some(_) => println!("intake benchmark: real binary, PostgreSQL (synchronous_commit on), HTTP/1.1 keep-alive"),
        None => println!("intake benchmark: real binary, real SQLite file (WAL, synchronous=FULL), HTTP/1.1 keep-alive"),
    }
    println!("{:>8} {:>12} {:>10} {:>10} {:>12} {:>12}", "clients", "stories/s", "p50 ms", "p99 ms", "rss idle", "rss loaded");
    for clients in [1, 4, 16, 64] {
        let server = Server::start_with(&UNLIMITED);
        std::thread::sleep(Duration::from_millis(200));
        let idle = server.rss_kib().unwrap_or(0);
        let m = load(std::slice::from_ref(&server), clients);
        println!("{clients:>8} {:>12.0} {:>10.2} {:>10.2} {idle:>9} KiB {:>9} KiB", m.stories_per_second, m.p50_ms, m.p99_ms, m.peak_kib);
    }
    if let Some(postgres) = postgres_server() {
        three_collectors(&postgres);
    }
}

/// Three collectors on one PostgreSQL database, the load spread over them as a load balancer
/// would: durable stories per second in all.
fn three_collectors(postgres: &str) {
    println!("\nthree collectors on one PostgreSQL database");
    println!("{:>8} {:>12} {:>10} {:>10}", "clients", "stories/s", "p50 ms", "p99 ms");
    for clients in [3, 12, 48, 96] {
        let url = fresh_postgres_database(postgres);
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("national.db");
        let servers: Vec<Server> = (0..3).map(|_| Server::start_database(&url, &db, &UNLIMITED)).collect();
        let m = load(&servers, clients);
        println!("{clients:>8} {:>12.0} {:>10.2} {:>10.2}", m.stories_per_second, m.p50_ms, m.p99_ms);
    }
}
