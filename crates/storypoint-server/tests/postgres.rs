//! A national deployment: three collectors on one PostgreSQL database. Runs when
//! `STORYPOINT_TEST_POSTGRES` names a PostgreSQL server (`cargo xtask test` starts one from
//! Debian's `postgresql` package); without it, each test says it was skipped.
mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::{Value, json};

/// Three collectors on one fresh database, started at the same moment (so their migrations
/// race), sharing one recordings folder.
fn three_collectors(postgres: &str, dir: &std::path::Path) -> Vec<Server> {
    let url = fresh_postgres_database(postgres);
    let db = dir.join("national.db");
    std::thread::scope(|scope| {
        let started: Vec<_> = (0..3).map(|_| scope.spawn(|| Server::start_database(&url, &db, &[]))).collect();
        started.into_iter().map(|s| s.join().unwrap()).collect()
    })
}

fn skipped() -> Option<String> {
    let server = postgres_server();
    if server.is_none() {
        eprintln!("skipped: STORYPOINT_TEST_POSTGRES is not set (`cargo xtask test` starts a PostgreSQL server and sets it)");
    }
    server
}

#[test]
fn three_collectors_on_one_database_store_each_submission_once() {
    let Some(postgres) = skipped() else { return };
    let dir = tempfile::tempdir().unwrap();
    let collectors = three_collectors(&postgres, dir.path());

    // Links imported by three coordinators at once are made once: one code per organisation.
    let table = dir.path().join("orgs.csv");
    std::fs::write(&table, "organisatie;type;leeftijd\nBasisschool De Linde;school;0-12\nJeugdhulp Oost;jeugdhulp;beide\nSchool Zuid;school;beide\n").unwrap();
    let imports: Vec<_> = std::thread::scope(|scope| {
        let runs: Vec<_> = collectors.iter().map(|c| scope.spawn(|| c.cli(&["links", "import", table.to_str().unwrap()]))).collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert!(imports.iter().all(|o| o.status.success()), "{imports:?}");
    let links: Value = serde_json::from_slice(&collectors[0].cli(&["links", "list", "--format", "json"]).stdout).unwrap();
    let codes: Vec<String> = links.as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 3, "{links}");

    // 60 stories, each sent to all three collectors at the same moment, as a load balancer
    // retrying on another collector would.
    let stories: Vec<(String, Value)> =
        (0..60).map(|i| { let id = submission_id(); let body = story(&id, Some(&codes[i % 3])); (id, body) }).collect();
    let replies: Vec<Vec<(u16, i64)>> = std::thread::scope(|scope| {
        let runs: Vec<_> = stories
            .iter()
            .map(|(_, body)| {
                let barrier = std::sync::Arc::new(std::sync::Barrier::new(3));
                let sends: Vec<_> = collectors
                    .iter()
                    .map(|c| {
                        let (barrier, body, addr) = (barrier.clone(), body.to_string(), c.addr.clone());
                        scope.spawn(move || {
                            barrier.wait();
                            let reply = request(&addr, "POST", "/api/v1/stories", &[("Content-Type", "application/json")], body.as_bytes());
                            (reply.status, reply.json()["id"].as_i64().unwrap_or(-1))
                        })
                    })
                    .collect();
                sends
            })
            .collect();
        runs.into_iter().map(|sends| sends.into_iter().map(|s| s.join().unwrap()).collect()).collect()
    });
    for (story, replies) in replies.iter().enumerate() {
        let statuses: BTreeMap<u16, usize> = replies.iter().fold(BTreeMap::new(), |mut m, (s, _)| { *m.entry(*s).or_default() += 1; m });
        assert_eq!(statuses, BTreeMap::from([(200, 2), (201, 1)]), "story {story}: one collector stores it, two hear it is there: {replies:?}");
        assert!(replies.iter().all(|(_, id)| *id == replies[0].1), "one id for story {story}: {replies:?}");
    }

    // Every collector exports the same 60 stories, each with its link.
    let exports: Vec<Value> = collectors.iter().map(|c| c.admin_get("/api/v1/export.json").json()).collect();
    assert!(exports.iter().all(|e| e == &exports[0]), "the collectors disagree");
    let exported = exports[0].as_array().unwrap();
    assert_eq!(exported.len(), 60);
    let ids: BTreeSet<i64> = exported.iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, replies.iter().map(|r| r[0].1).collect(), "the ids the tellers heard are the stored ones");
    let per_link = collectors[2].admin_get("/api/v1/stats").json();
    let counted: Vec<i64> = per_link["per_link"].as_array().unwrap().iter().map(|l| l["stories"].as_i64().unwrap()).collect();
    assert_eq!(counted, [20, 20, 20], "{per_link}");

    // The patterns on one collector see what the others stored, also after more arrive.
    let view = |c: &Server| c.admin_get("/api/v1/patterns?question=perspective&by=none").json()["groups"][0]["stories"].clone();
    assert_eq!(view(&collectors[1]), 60);
    for i in 0..5 {
        assert_eq!(collectors[i % 3].post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status, 201);
    }
    assert_eq!(view(&collectors[1]), 65, "new stories from the other collectors show on the next view");
}

#[test]
fn a_spoken_story_can_be_uploaded_through_one_collector_and_finished_through_another() {
    let Some(postgres) = skipped() else { return };
    let dir = tempfile::tempdir().unwrap();
    let collectors = three_collectors(&postgres, dir.path());
    let id = submission_id();
    let bytes = webm(4);
    let half = bytes.len() / 2;
    let put = |c: &Server, offset: usize, part: &[u8]| request(&c.addr, "PUT", &format!("/api/v1/stories/{id}/audio?offset={offset}"), &[], part).status;
    assert_eq!(put(&collectors[0], 0, &bytes[..half]), 200);
    assert_eq!(put(&collectors[1], half, &bytes[half..]), 200);
    let meta = json!({"length": bytes.len(), "sha256": sha256_hex(&bytes), "mime": "audio/webm"});
    let done = collectors[2].post_json(&format!("/api/v1/stories/{id}/audio/complete"), &meta.to_string());
    assert_eq!(done.status, 200, "{}", done.text());
    let mut spoken = story(&id, None);
    spoken["audio"] = meta;
    assert_eq!(collectors[0].post_json("/api/v1/stories", &spoken.to_string()).status, 201);
    let story_id = collectors[1].admin_get("/api/v1/export.json").json()[0]["id"].as_i64().unwrap();
    let heard = collectors[2].admin_get(&format!("/admin/audio/{story_id}"));
    assert_eq!((heard.status, heard.body.len()), (200, bytes.len()));
}

#[test]
fn a_collector_that_cannot_reach_its_database_does_not_start_and_says_why() {
    let Some(_) = skipped() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on port 1: the collector cannot even start, and says why.
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_storypoint"))
        .args(["--db", "postgres://storypoint@127.0.0.1:1/none", "serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("cannot open the database postgres://storypoint@127.0.0.1:1/none"), "{said}");
}

#[test]
fn a_collector_reconnects_when_its_connections_are_cut_and_says_503_while_the_database_is_away() {
    let Some(postgres) = skipped() else { return };
    let server = Server::start();
    let name = server.database.rsplit('/').next().unwrap().to_string();
    let mut admin = postgres::Client::connect(&format!("{postgres}/postgres"), postgres::NoTls).unwrap();
    let cut = |admin: &mut postgres::Client| {
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", &[&name]).unwrap();
    };
    assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status, 201);

    // A restart of the database (every connection cut): the next story still gets in.
    cut(&mut admin);
    assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status, 201);
    assert_eq!(server.admin_get("/api/v1/stats").json()["total"], 2);

    // The database takes no connections: a 503 (the widget keeps the story and tries again),
    // and the same story gets in once the database is back.
    admin.batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).unwrap();
    cut(&mut admin);
    let body = story(&submission_id(), None).to_string();
    let away = server.post_json("/api/v1/stories", &body);
    assert_eq!(away.status, 503, "{}", away.text());
    admin.batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).unwrap();
    assert_eq!(server.post_json("/api/v1/stories", &body).status, 201);
    assert_eq!(server.admin_get("/api/v1/stats").json()["total"], 3);
}
