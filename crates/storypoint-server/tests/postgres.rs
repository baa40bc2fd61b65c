//! A national deployment: three collectors on one PostgreSQL database. Ignored by plain
//! `cargo test` (it needs a server): `cargo xtask test` starts one from Debian's
//! `postgresql` package, sets `STORYPOINT_TEST_POSTGRES` and runs these with
//! `--include-ignored`. Run without the server, each test fails, saying why.
mod common;
mod work_store;

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

/// The test server; a test asked to run without one fails (it never passes by not running).
fn server() -> String {
    postgres_server().expect("STORYPOINT_TEST_POSTGRES is not set: `cargo xtask test-postgres` starts a PostgreSQL server, sets it and runs these tests")
}

/// The CA of the test server's certificate: required whenever the server is there (`cargo
/// xtask test` makes both), so a TLS test cannot pass by not running.
fn test_ca() -> String {
    std::env::var("STORYPOINT_TEST_POSTGRES_CA").ok().filter(|ca| !ca.is_empty()).expect(
        "STORYPOINT_TEST_POSTGRES is set but STORYPOINT_TEST_POSTGRES_CA is not: name the PEM of the CA that signed the server's \
         certificate (`cargo xtask test` makes a server with TLS and sets both)",
    )
}

/// How many of the connections to database `name` use TLS, and how many there are, as the
/// server sees them (`pg_stat_ssl`).
fn tls_connections(server: &str, name: &str) -> (i64, i64) {
    let mut admin = postgres::Client::connect(&format!("{server}/postgres"), postgres::NoTls).unwrap();
    let row = admin
        .query_one(
            "SELECT COUNT(*) FILTER (WHERE s.ssl), COUNT(*) FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid
             WHERE a.datname = $1 AND a.backend_type = 'client backend'",
            &[&name],
        )
        .unwrap();
    (row.get(0), row.get(1))
}

/// A certificate of another CA than the test server's (it signed nothing there).
const OTHER_CA: &str = "-----BEGIN CERTIFICATE-----
MIIBvTCCAWOgAwIBAgIUG5Tma5GJ9zSwolaE4dUagU10KOcwCgYIKoZIzj0EAwIw
JTEjMCEGA1UEAwwaTm90IHRoZSBTdG9yeXBvaW50IHRlc3QgQ0EwIBcNMjYxMjA3
MDgzNzM5WhgPMjEyNjExMTMwODM3MzlaMCUxIzAhBgNVBAMMGk5vdCB0aGUgU3Rv
cnlwb2ludCB0ZXN0IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7ZgBjcDv
L7Epc0mAwbUgzTdhRFQ+b5CRd8E0YUkKDEiWxCYjO58vKCp4FtLaLSYZ9RYwkkpV
yOhH2w57KhJ5rKNvMG0wHQYDVR0OBBYEFJBMTLPBpyLfvIRMBCz2oMUNHbFmMB8G
A1UdIwQYMBaAFJBMTLPBpyLfvIRMBCz2oMUNHbFmMA8GA1UdEwEB/wQFMAMBAf8w
GgYDVR0RBBMwEYIJbG9jYWxob3N0hwR/AAABMAoGCCqGSM49BAMCA0gAMEUCIAnV
GJkrXPVfYIu+U/jVCdt6/KGkWcpHQjk19ImoyrnLAiEA5YFbBHQP8ykuZoI3o/GV
DnaDSarNfI+sn+QbT/6F5Ck=
-----END CERTIFICATE-----
";

#[test]
#[ignore = "needs a PostgreSQL server: cargo xtask test-postgres"]
fn a_collector_asked_for_tls_stores_over_tls_and_without_it_stays_plain() {
    let postgres = server();
    let _ = test_ca();
    let url = fresh_postgres_database(&postgres);
    let name = url.rsplit('/').next().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_database(&format!("{url}?sslmode=require"), &dir.path().join("tls.db"), &[]);
    assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status, 201);
    assert_eq!(server.admin_get("/api/v1/stats").json()["total"], 1);
    let (tls, all) = tls_connections(&postgres, &name);
    assert!(all > 0 && tls == all, "sslmode=require: {tls} of the collector's {all} connections use TLS");
    drop(server);

    // Without sslmode: plain, as before TLS was offered.
    let plain = fresh_postgres_database(&postgres);
    let store = storypoint_server::store::PostgresStore::open(&plain).unwrap();
    storypoint_server::store::Store::counts(&store, None).unwrap();
    let (tls, all) = tls_connections(&postgres, plain.rsplit('/').next().unwrap());
    assert!(all > 0 && tls == 0, "no sslmode: {tls} of {all} connections use TLS");
}

#[test]
#[ignore = "needs a PostgreSQL server: cargo xtask test-postgres"]
fn verify_full_takes_the_servers_certificate_from_its_ca_and_refuses_another_root() {
    use storypoint_server::store::{PostgresStore, Store};
    let postgres = server();
    let ca = test_ca();
    let url = fresh_postgres_database(&postgres);
    let name = url.rsplit('/').next().unwrap().to_string();
    // The certificate names localhost and 127.0.0.1.
    let by_name = url.replacen("@127.0.0.1:", "@localhost:", 1);
    assert_ne!(by_name, url, "the test server is on 127.0.0.1: {url}");
    for (host, url) in [("localhost", &by_name), ("127.0.0.1", &url)] {
        let verified = format!("{url}?sslmode=verify-full&sslrootcert={ca}");
        let store = PostgresStore::open(&verified).unwrap_or_else(|e| panic!("verify-full by {host}: {e}"));
        store.counts(None).unwrap();
        let (tls, all) = tls_connections(&postgres, &name);
        assert!(all > 0 && tls == all, "verify-full by {host}: {tls} of {all} connections use TLS");
    }
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let server = Server::start_database(&format!("{by_name}?sslmode=verify-full&sslrootcert={ca}"), &dir.join("verified.db"), &[]);
    assert_eq!(server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string()).status, 201);
    drop(server);

    // Another CA: the collector does not start, and says why (without the password).
    let other = dir.join("other-ca.pem");
    std::fs::write(&other, OTHER_CA).unwrap();
    for mode in ["verify-full", "verify-ca", "require"] {
        let wrong = format!("{by_name}?sslmode={mode}&sslrootcert={}", other.display());
        let refused = std::process::Command::new(env!("CARGO_BIN_EXE_storypoint"))
            .args(["--db", &wrong, "serve", "--addr", "127.0.0.1:0"])
            .env("STORYPOINT_ADMIN_TOKEN", ADMIN_TOKEN)
            .current_dir(dir)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success(), "{mode} with another CA: {said}");
        assert!(said.contains("TLS") && said.contains("certificate") && said.contains("sslrootcert"), "{mode}: {said}");
        let password = postgres.split(':').nth(2).and_then(|p| p.split('@').next()).unwrap_or("none");
        assert!(!said.contains(password), "{said}");
    }
    let missing = PostgresStore::open(&format!("{by_name}?sslmode=verify-full&sslrootcert={}", dir.join("none.pem").display()));
    assert!(missing.err().is_some_and(|e| e.to_string().contains("none.pem")), "a root file that is not there is named");
}

#[test]
#[ignore = "needs a PostgreSQL server: cargo xtask test-postgres"]
fn three_collectors_on_one_database_store_each_submission_once() {
    let postgres = server();
    let dir = tempfile::tempdir().unwrap();
    let collectors = three_collectors(&postgres, dir.path());

    // Links imported by three coordinators at once are made once: one code per organisation.
    let table = dir.path().join("orgs.csv");
    std::fs::write(&table, "organisatie;type;leeftijd\nBasisschool De Linde;school;0-12\nJeugdhulp Oost;jeugdhulp;beide\nSchool Zuid;school;beide\n").unwrap();
    let imports: Vec<_> = std::thread::scope(|scope| {
        let runs: Vec<_> = collectors
            .iter()
            .map(|c| scope.spawn(|| c.cli(&["links", "import", table.to_str().unwrap(), "--base-url", "https://vertel.example.nl/vertel"])))
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert!(imports.iter().all(|o| o.status.success()), "{imports:?}");
    let links: Value = serde_json::from_slice(&collectors[0].cli(&["links", "list", "--format", "json"]).stdout).unwrap();
    let codes: Vec<String> = links.as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 3, "{links}");

    // 60 stories, each sent to all three collectors at the same moment, as a load balancer
    // retrying on another collector would.
    let stories: Vec<(String, Value)> = (0..60)
        .map(|i| {
            let id = submission_id();
            let body = story(&id, Some(&codes[i % 3]));
            (id, body)
        })
        .collect();
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
        let statuses: BTreeMap<u16, usize> = replies.iter().fold(BTreeMap::new(), |mut m, (s, _)| {
            *m.entry(*s).or_default() += 1;
            m
        });
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
#[ignore = "needs a PostgreSQL server: cargo xtask test-postgres"]
fn a_spoken_story_can_be_uploaded_through_one_collector_and_finished_through_another() {
    let postgres = server();
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
#[ignore = "needs a PostgreSQL server: cargo xtask test-postgres"]
fn collectors_started_at_once_without_a_token_show_one_and_all_accept_it() {
    let postgres = server();
    let url = fresh_postgres_database(&postgres);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("national.db");
    let started: Vec<Server> = std::thread::scope(|scope| {
        let starts: Vec<_> = (0..3).map(|_| scope.spawn(|| Server::start_without_token(&url, &db))).collect();
        starts.into_iter().map(|s| s.join().unwrap()).collect()
    });
    let shown: Vec<&String> = started.iter().filter_map(|c| c.shown_token.as_ref()).collect();
    assert_eq!(shown.len(), 1, "one token is made and shown once, however many collectors start: {shown:?}");
    for collector in &started {
        let stats = request(&collector.addr, "GET", "/api/v1/stats", &[("Authorization", &format!("Bearer {}", shown[0]))], b"");
        assert_eq!(stats.status, 200, "the token shown opens the dashboard on every collector ({})", collector.addr);
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: cargo xtask test-postgres"]
fn a_collector_that_cannot_reach_its_database_does_not_start_and_says_why() {
    // Needs no PostgreSQL: nothing listens on port 1.
    let dir = tempfile::tempdir().unwrap();
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_storypoint"))
        .args(["--db", "postgres://storypoint:geheim@127.0.0.1:1/none", "serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("cannot open the database postgres://storypoint@127.0.0.1:1/none"), "{said}");
    assert!(!said.contains("geheim"), "the password is never printed: {said}");
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_storypoint"))
        .arg("--help")
        .env("STORYPOINT_DB", "postgres://storypoint:geheim@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains("geheim"), "nor shown by --help");
}

#[test]
#[ignore = "needs a PostgreSQL server: cargo xtask test-postgres"]
fn a_reader_catching_up_by_id_during_intake_from_three_collectors_never_misses_a_story() {
    use storypoint_server::store::{NewStory, PostgresStore, Store};
    let postgres = server();
    let url = fresh_postgres_database(&postgres);
    // Three stores on one database, as three collectors have; the insight pages catch up
    // with `stories_after(last id seen)`, so an id that became visible after a higher one
    // would be skipped for good.
    let writers: Vec<PostgresStore> = (0..3).map(|_| PostgresStore::open(&url).unwrap()).collect();
    let reader = PostgresStore::open(&url).unwrap();
    let questionnaire = storypoint_core::default_questionnaire();
    let answers = storypoint_core::Answers::new().with_text("prompt", "geholpen").with_text("story", "Er werd geluisterd.").with_text("perspective", "parent");
    let story = storypoint_core::validate(&questionnaire, &storypoint_core::Prefill::new(), &answers).unwrap();
    let new = || NewStory {
        submission_id: submission_id(),
        story: story.clone(),
        lang: "nl".into(),
        link: None,
        received_on: "2026-11-23".into(),
        audio: None,
        campaign: "default".into(),
    };
    let done = std::sync::atomic::AtomicBool::new(false);
    let (stored, seen) = std::thread::scope(|scope| {
        let tellers: Vec<_> = (0..24)
            .map(|i| {
                let writer = &writers[i % 3];
                scope.spawn(move || {
                    (0..60)
                        .map(|_| match writer.insert_story(new()).unwrap() {
                            storypoint_server::store::Inserted::Created(id) => id,
                            other => panic!("{other:?}"),
                        })
                        .collect::<Vec<i64>>()
                })
            })
            .collect();
        let reading = scope.spawn(|| {
            let mut seen = Vec::new();
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                let last = seen.last().copied().unwrap_or(0);
                seen.extend(reader.stories_after(last).unwrap().into_iter().map(|s| s.id));
                if finished {
                    return seen;
                }
            }
        });
        let stored: BTreeSet<i64> = tellers.into_iter().flat_map(|t| t.join().unwrap()).collect();
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        (stored, reading.join().unwrap())
    });
    assert_eq!(stored.len(), 24 * 60);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "ids arrive in order");
    let seen: BTreeSet<i64> = seen.into_iter().collect();
    let missed: Vec<&i64> = stored.difference(&seen).collect();
    assert!(missed.is_empty(), "the reader that caught up by id missed {} stories, e.g. {:?}", missed.len(), &missed[..missed.len().min(10)]);
    assert_eq!(seen.len(), stored.len());
}

#[test]
#[ignore = "needs a PostgreSQL server: cargo xtask test-postgres"]
fn a_collector_reconnects_when_its_connections_are_cut_and_says_503_while_the_database_is_away() {
    let postgres = server();
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

#[test]
#[ignore = "needs a PostgreSQL server: cargo xtask test-postgres"]
fn observations_and_typical_marks_are_kept_per_campaign_on_one_database() {
    let url = fresh_postgres_database(&server());
    let (one, other) = (storypoint_server::store::PostgresStore::open(&url).unwrap(), storypoint_server::store::PostgresStore::open(&url).unwrap());
    work_store::observations_and_marks_are_kept_per_campaign(&one, &other);
}
