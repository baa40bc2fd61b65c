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
        let server = Server::start_on(&db, &[]);
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
