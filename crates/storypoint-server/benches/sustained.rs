//! Sustained intake: a steady rate of stories with the widget's real payload for a long
//! time against the real binary and SQLite file; prints the achieved rate, latency
//! percentiles, errors and the server's RSS over time (it must not grow).
//!
//! Run: `cargo bench -p storypoint-server --bench sustained` (10 minutes at 1,000 stories/s;
//! `SUSTAINED_SECS` and `SUSTAINED_RATE` change that). Bounded by both.
#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

const CLIENTS: u64 = 16;

/// The payload the widget sends for a full story (all questions answered).
fn widget_payload(n: u64) -> String {
    let mut body = story(&submission_id(), None);
    let answers = &mut body["answers"];
    answers["story"] = serde_json::json!(format!("Verhaal {n}: {}", "Mijn mentor belde elke week en vroeg hoe het ging. ".repeat(12)));
    for (id, value) in [
        ("title", "De mentor die belde"),
        ("happened_when", "months"),
        ("treatment", "warm"),
        ("system_theme", "fitting_help"),
        ("citizen_theme", "school"),
        ("age_group", "unknown"),
        ("living_situation", "at_home"),
        ("organisation", "Wijkteam Oost"),
        ("organisation_type", "neighbourhood_team"),
    ] {
        answers[id] = serde_json::json!(value);
    }
    answers["effect"] = serde_json::json!(70);
    answers["child_age"] = serde_json::json!(10);
    body.to_string()
}

fn main() {
    let secs: u64 = std::env::var("SUSTAINED_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    let rate: u64 = std::env::var("SUSTAINED_RATE").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000);
    let server = Server::start_with(&["--max-stories-per-minute", "100000000"]);
    let start = Instant::now();
    let until = start + Duration::from_secs(secs);
    let sent = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(Mutex::new(Vec::<u32>::new())); // microseconds
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (addr, sent, errors, latencies) = (server.addr.clone(), sent.clone(), errors.clone(), latencies.clone());
            std::thread::spawn(move || {
                let mut connection = KeepAlive::connect(&addr);
                let interval = Duration::from_secs_f64(CLIENTS as f64 / rate as f64);
                let mut next = start + interval.mul_f64(client as f64 / CLIENTS as f64);
                let mut n = client;
                while next < until {
                    if let Some(wait) = next.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let body = widget_payload(n);
                    let begun = Instant::now();
                    let status = connection.post_json("/api/v1/stories", &body);
                    latencies.lock().unwrap().push(begun.elapsed().as_micros() as u32);
                    if status != 201 {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    sent.fetch_add(1, Ordering::Relaxed);
                    next += interval;
                    n += CLIENTS;
                }
            })
        })
        .collect();
    println!("sustained intake: {rate} stories/s offered for {secs} s, {CLIENTS} keep-alive clients, real payload");
    println!("{:>6} {:>12} {:>10}", "t (s)", "stories/s", "RSS KiB");
    let mut last = 0;
    let step = (secs / 10).max(1);
    let mut rss = Vec::new();
    for t in (step..=secs).step_by(step as usize) {
        std::thread::sleep((start + Duration::from_secs(t)).saturating_duration_since(Instant::now()));
        let now = sent.load(Ordering::Relaxed);
        let kib = server.rss_kib().unwrap_or(0);
        rss.push(kib);
        println!("{t:>6} {:>12.0} {kib:>10}", (now - last) as f64 / step as f64);
        last = now;
    }
    for client in clients {
        client.join().unwrap();
    }
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize] as f64 / 1000.0;
    let total = sent.load(Ordering::Relaxed);
    let stored = server.admin_get("/api/v1/stats").json()["total"].as_u64().unwrap();
    println!(
        "total {total} stories in {:.0} s = {:.0}/s; errors {}; stored {stored}; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; RSS first {} KiB, last {} KiB",
        start.elapsed().as_secs_f64(),
        total as f64 / start.elapsed().as_secs_f64(),
        errors.load(Ordering::Relaxed),
        pct(0.5),
        pct(0.99),
        pct(1.0),
        rss.first().unwrap_or(&0),
        rss.last().unwrap_or(&0)
    );
    assert_eq!(stored, total, "every acknowledged story is stored");
}
