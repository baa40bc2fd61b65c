//! Crash safety: the real binary is SIGKILLed at random moments during a 4-client load, 20
//! rounds on one database; after the last restart (no manual step) every story that got a
//! 201 (or a 200 duplicate) is in the export, none twice, and SQLite's integrity check
//! passes. Bounded: at most ~0.5 s of load per round.
mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;

#[test]
fn every_acknowledged_story_survives_a_kill_during_load() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stories.db");
    // story text → id the server acknowledged
    let acknowledged: Arc<Mutex<HashMap<String, i64>>> = Arc::default();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(20_261_123);
    let rounds = 20;
    for round in 0..rounds {
        let server = Server::start_on(&db, &["--max-stories-per-minute", "100000000"]);
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..4)
            .map(|client| {
                let (addr, stop, acknowledged) = (server.addr.clone(), stop.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    for n in 0..2_000 {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let text = format!("ronde {round}, teller {client}, verhaal {n}");
                        let mut body = story(&submission_id(), None);
                        body["answers"]["story"] = serde_json::json!(text);
                        let reply = try_request(&addr, "POST", "/api/v1/stories", &[("Content-Type", "application/json")], body.to_string().as_bytes());
                        match reply {
                            Ok(r) if r.status == 201 || r.status == 200 => {
                                acknowledged.lock().unwrap().insert(text, r.json()["id"].as_i64().unwrap());
                            }
                            Ok(r) => panic!("unexpected reply {}: {}", r.status, r.text()),
                            Err(_) => break, // the server is gone
                        }
                    }
                })
            })
            .collect();
        // A random moment: early in a group commit, in the middle, late.
        std::thread::sleep(Duration::from_millis(rand::Rng::random_range(&mut rng, 30..450)));
        let mut server = server;
        server.kill();
        stop.store(true, Ordering::Relaxed);
        for client in clients {
            client.join().unwrap();
        }
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 20 * rounds, "the load did reach the server: {}", acknowledged.len());
    eprintln!("{} acknowledged stories over {rounds} kills", acknowledged.len());

    // Restart without any manual step; everything acknowledged is there, exactly once.
    let server = Server::start_on(&db, &[]);
    let export = server.admin_get("/api/v1/export.json").json();
    let mut stored: HashMap<String, Vec<i64>> = HashMap::new();
    for item in export.as_array().unwrap() {
        stored.entry(item["answers"]["story"].as_str().unwrap().to_string()).or_default().push(item["id"].as_i64().unwrap());
    }
    for (text, id) in &acknowledged {
        assert_eq!(stored.get(text), Some(&vec![*id]), "acknowledged story `{text}` (id {id}) is missing or stored twice");
    }
    assert!(stored.values().all(|ids| ids.len() == 1), "a story stored twice");
    drop(server);
    let connection = rusqlite::Connection::open(&db).unwrap();
    let integrity: String = connection.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}

/// A full disk (here: the database's size limit) answers 503 with a clear message, stores
/// nothing half, and takes stories again once there is room (a restart with more space).
#[test]
fn a_full_disk_gets_503_without_corruption_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stories.db");
    let server = Server::start_on(&db, &["--max-db-mb", "1"]);
    let mut stored = Vec::new();
    let mut refused = None;
    for n in 0..2_000 {
        let mut body = story(&submission_id(), None);
        body["answers"]["story"] = serde_json::json!(format!("{n}: {}", "Een lang verhaal. ".repeat(200)));
        let reply = server.post_json("/api/v1/stories", &body.to_string());
        match reply.status {
            201 => stored.push(reply.json()["id"].as_i64().unwrap()),
            503 => {
                refused = Some((body, reply));
                break;
            }
            other => panic!("unexpected {other}: {}", reply.text()),
        }
    }
    let (body, reply) = refused.expect("the limit was reached");
    assert!(reply.json()["message"].as_str().unwrap().contains("full"), "{}", reply.text());
    assert_eq!(reply.header("retry-after"), Some("5"));
    assert!(stored.len() > 10, "stories fitted before the limit: {}", stored.len());
    // Reads still work, and what was stored is all there.
    let export = server.admin_get("/api/v1/export.json").json();
    assert_eq!(export.as_array().unwrap().len(), stored.len());
    drop(server);
    let integrity: String = rusqlite::Connection::open(&db).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    // Room again: the same story (the widget retries it) is stored once.
    let server = Server::start_on(&db, &["--max-db-mb", "64"]);
    assert_eq!(server.post_json("/api/v1/stories", &body.to_string()).status, 201);
    assert_eq!(server.post_json("/api/v1/stories", &body.to_string()).status, 200);
    assert_eq!(server.admin_get("/api/v1/export.json").json().as_array().unwrap().len(), stored.len() + 1);
}
