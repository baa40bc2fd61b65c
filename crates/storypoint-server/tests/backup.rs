//! `storypoint backup` while the collector takes stories, and a restore from the copy: SQLite's
//! online backup, or `pg_dump` when the suite runs on PostgreSQL (see `common`).
mod common;

use common::*;
use serde_json::json;

#[test]
fn a_backup_under_load_restores_every_story_and_recording_it_holds() {
    let server = Server::start();
    // A spoken story, so the backup has a recording to carry.
    let id = submission_id();
    let bytes = webm(2);
    request(&server.addr, "PUT", &format!("/api/v1/stories/{id}/audio?offset=0"), &[], &bytes);
    let done = server.post_json(
        &format!("/api/v1/stories/{id}/audio/complete"),
        &json!({"length": bytes.len(), "sha256": sha256_hex(&bytes), "mime": "audio/webm"}).to_string(),
    );
    assert_eq!(done.status, 200, "{}", done.text());
    let mut spoken = story(&id, None);
    spoken["audio"] = json!({"length": bytes.len(), "sha256": sha256_hex(&bytes), "mime": "audio/webm"});
    assert_eq!(server.post_json("/api/v1/stories", &spoken.to_string()).status, 201);
    for _ in 0..20 {
        assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status, 201);
    }

    // Stories keep arriving from 4 clients while the backup runs.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load: Vec<_> = (0..4)
        .map(|_| {
            let (addr, stop) = (server.addr.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut sent = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) && sent < 500 {
                    let body = story(&submission_id(), None).to_string();
                    assert_eq!(request(&addr, "POST", "/api/v1/stories", &[("Content-Type", "application/json")], body.as_bytes()).status, 201);
                    sent += 1;
                }
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    // SQLite: a database file; PostgreSQL: a pg_dump file. Recordings go to `backup-audio/`.
    let copy = dir.path().join("backup.db");
    let out = server.cli(&["backup", copy.to_str().unwrap()]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    load.into_iter().for_each(|t| t.join().unwrap());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(said.contains("1 recordings"), "{said}");
    // The copy keeps only the day, like what it copies.
    for written in [copy.clone(), dir.path().join("backup-audio")] {
        let modified = std::fs::metadata(&written).unwrap().modified().unwrap().duration_since(std::time::UNIX_EPOCH).unwrap();
        assert_eq!((modified.as_secs() % 86_400, modified.subsec_nanos()), (0, 0), "{}", written.display());
    }
    let again = server.cli(&["backup", copy.to_str().unwrap()]);
    assert!(!again.status.success(), "an existing file is never overwritten");

    // Restore: a collector on the copy has every story the copy holds, the first 21 included,
    // each exactly as the original has it, and plays the recording.
    let original = server.admin_get("/api/v1/export.json").json();
    let restored = match postgres_server() {
        None => Server::start_on(&copy, &[]),
        Some(postgres) => {
            let url = fresh_postgres_database(&postgres);
            let restore = std::process::Command::new("pg_restore").args(["--no-owner", "--dbname", &url]).arg(&copy).output().unwrap();
            assert!(restore.status.success(), "pg_restore: {}", String::from_utf8_lossy(&restore.stderr));
            Server::start_database(&url, &copy, &[])
        }
    };
    let back = restored.admin_get("/api/v1/export.json").json();
    let back = back.as_array().unwrap();
    assert!(back.len() >= 21, "{} stories in the copy", back.len());
    for story in back {
        let id = story["id"].as_i64().unwrap();
        let same = original.as_array().unwrap().iter().find(|s| s["id"].as_i64() == Some(id)).unwrap();
        assert_eq!(story, same);
    }
    let spoken_id = back.iter().find(|s| s.get("audio").is_some()).unwrap()["id"].as_i64().unwrap();
    let heard = restored.admin_get(&format!("/admin/audio/{spoken_id}"));
    assert_eq!((heard.status, heard.body.len()), (200, bytes.len()));
}
