//! The container image built from the `Dockerfile`, run the way `docs/deploy.md` tells a
//! region (SQLite in a volume) and a national deployment (several collectors on one
//! PostgreSQL) to run it.
//!
//! These need a container engine and a built image, so plain `cargo test` ignores them.
//! `cargo xtask test-image` builds the image, starts a throwaway PostgreSQL and runs them
//! with `STORYPOINT_TEST_IMAGE` (the image), `STORYPOINT_TEST_ENGINE` (`docker` or
//! `podman`) and `STORYPOINT_TEST_POSTGRES` set.
mod common;

use common::{ADMIN_TOKEN, fresh_postgres_database, postgres_server, request, story, submission_id, try_request};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The engine and the image under test.
struct Engine {
    program: String,
    image: String,
}

impl Engine {
    fn from_env() -> Engine {
        let image =
            std::env::var("STORYPOINT_TEST_IMAGE").expect("STORYPOINT_TEST_IMAGE names the image to test; run `cargo xtask test-image`, which builds it");
        let program = std::env::var("STORYPOINT_TEST_ENGINE").unwrap_or_else(|_| "docker".into());
        Engine { program, image }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(&self.program).args(args).output().unwrap_or_else(|e| panic!("cannot run {}: {e}", self.program))
    }

    /// Runs `args` and fails the test, with the engine's words, when it fails.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{} {} failed:\n{}{}",
            self.program,
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Starts the image detached with `options` before the image name; the container is
    /// removed (with its anonymous volumes) when the returned guard drops.
    fn start(&self, options: &[&str]) -> Container<'_> {
        let name = format!("storypoint-test-{}", &submission_id()[..8]);
        let mut args = vec!["run", "-d", "--name", &name];
        args.extend(options);
        args.push(&self.image);
        // The guard first: a container the engine created but could not start is removed too.
        let container = Container { engine: self, name: name.clone() };
        self.ok(&args);
        container
    }

    fn volume(&self) -> Volume<'_> {
        let name = format!("storypoint-test-{}", &submission_id()[..8]);
        self.ok(&["volume", "create", &name]);
        Volume { engine: self, name }
    }
}

struct Container<'a> {
    engine: &'a Engine,
    name: String,
}

impl Container<'_> {
    /// Runs a command inside the running container.
    fn exec(&self, command: &[&str]) -> String {
        let mut args = vec!["exec", &self.name];
        args.extend(command);
        self.engine.ok(&args)
    }

    /// Waits (bounded) until the collector in the container answers its health check on
    /// `addr`; fails with the container's log when it stops or never answers.
    fn wait_healthy(&self, addr: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(reply) = try_request(addr, "GET", "/api/v1/health", &[], b"")
                && reply.status == 200
            {
                return;
            }
            let running = self.engine.run(&["inspect", "-f", "{{.State.Running}}", &self.name]);
            let stopped = String::from_utf8_lossy(&running.stdout).trim() != "true";
            if stopped || Instant::now() > deadline {
                let logs = self.engine.run(&["logs", &self.name]);
                panic!(
                    "the collector in {} {} on {addr}:\n{}{}",
                    self.name,
                    if stopped { "stopped" } else { "did not answer within 60 s" },
                    String::from_utf8_lossy(&logs.stdout),
                    String::from_utf8_lossy(&logs.stderr)
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Container<'_> {
    fn drop(&mut self) {
        let _ = self.engine.run(&["rm", "-f", "-v", &self.name]);
    }
}

struct Volume<'a> {
    engine: &'a Engine,
    name: String,
}

impl Drop for Volume<'_> {
    fn drop(&mut self) {
        let _ = self.engine.run(&["volume", "rm", "-f", &self.name]);
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn admin_get(addr: &str, path: &str) -> common::Response {
    request(addr, "GET", path, &[("Authorization", &format!("Bearer {ADMIN_TOKEN}"))], b"")
}

fn post_story(addr: &str, body: &serde_json::Value) -> u16 {
    request(addr, "POST", "/api/v1/stories", &[("Content-Type", "application/json")], body.to_string().as_bytes()).status
}

/// The story texts in a JSON export (`storypoint export --format json`).
fn told_stories(export: &str) -> Vec<String> {
    let stories: Vec<serde_json::Value> = serde_json::from_str(export).unwrap_or_else(|e| panic!("export is not JSON ({e}): {export}"));
    stories.iter().map(|s| s["answers"]["story"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
#[ignore = "needs a container engine and the built image: cargo xtask test-image"]
fn a_region_runs_the_image_with_its_stories_in_a_volume() {
    let engine = Engine::from_env();
    let volume = engine.volume();
    let port = free_port();
    let publish = format!("127.0.0.1:{port}:8080");
    let data = format!("{}:/data", volume.name);
    let token = format!("STORYPOINT_ADMIN_TOKEN={ADMIN_TOKEN}");
    // As docs/deploy.md says: the image's defaults, a volume, a token, the port published.
    let options = ["-p", &publish, "-v", &data, "-e", &token];
    let addr = format!("127.0.0.1:{port}");

    let collector = engine.start(&options);
    collector.wait_healthy(&addr);
    assert_eq!(collector.exec(&["id", "-u"]), "10001", "the collector must not run as root");

    // What a teller meets: the landing page and the widget bundle built into the image.
    let landing = request(&addr, "GET", "/vertel", &[], b"");
    assert_eq!(landing.status, 200);
    assert!(landing.text().contains("<story-point"), "the landing page holds the widget");
    let bundle = request(&addr, "GET", "/storypoint/storypoint.js", &[], b"");
    assert_eq!(bundle.status, 200, "the widget bundle is in the image");
    assert!(bundle.header("content-type").unwrap_or("").contains("javascript"));
    let wasm = request(&addr, "GET", "/storypoint/storypoint_bg.wasm", &[], b"");
    assert_eq!(wasm.status, 200);
    assert_eq!(&wasm.body[..4], b"\0asm");

    let submission = submission_id();
    let told = story(&submission, None)["answers"]["story"].as_str().unwrap().to_string();
    assert_eq!(post_story(&addr, &story(&submission, None)), 201);
    assert_eq!(admin_get(&addr, "/api/v1/stats").json()["total"], 1);

    // A coordinator's command in the same container, and a backup while it serves.
    collector.exec(&["/app/storypoint", "backup", "/data/backup.db"]);
    let export = collector.exec(&["/app/storypoint", "export", "--format", "json"]);
    assert_eq!(told_stories(&export), [told.as_str()], "the command line sees the story");

    // A new container on the same volume (an update): the story and the backup are there.
    drop(collector);
    let updated = engine.start(&options);
    updated.wait_healthy(&addr);
    assert_eq!(admin_get(&addr, "/api/v1/stats").json()["total"], 1, "the story survived the container");
    assert_eq!(post_story(&addr, &story(&submission, None)), 200, "a resend is still recognised");
    updated.exec(&["test", "-s", "/data/backup.db"]);
    // The backup is a database a collector can start on.
    let restored = updated.exec(&["/app/storypoint", "--db", "/data/backup.db", "export", "--format", "json"]);
    assert_eq!(told_stories(&restored), [told.as_str()], "the backup holds the story");
}

#[test]
#[ignore = "needs a container engine, the built image and PostgreSQL: cargo xtask test-image"]
fn collectors_in_containers_share_one_postgres_database() {
    let engine = Engine::from_env();
    let server = postgres_server().expect("STORYPOINT_TEST_POSTGRES names the PostgreSQL server; cargo xtask test-image starts one");
    let database = format!("STORYPOINT_DB={}", fresh_postgres_database(&server));
    let token = format!("STORYPOINT_ADMIN_TOKEN={ADMIN_TOKEN}");
    // The test's PostgreSQL listens on the host's 127.0.0.1, so the collectors share the
    // host's network, each on its own port.
    let addrs: Vec<String> = (0..2).map(|_| format!("127.0.0.1:{}", free_port())).collect();
    let listen: Vec<String> = addrs.iter().map(|a| format!("STORYPOINT_ADDR={a}")).collect();
    let collectors: Vec<Container> = listen.iter().map(|l| engine.start(&["--network", "host", "-e", &database, "-e", &token, "-e", l])).collect();
    for (collector, addr) in collectors.iter().zip(&addrs) {
        collector.wait_healthy(addr);
    }

    // The same story sent to both, as a widget's retry through a load balancer may: stored once.
    let submission = submission_id();
    let mut statuses: Vec<u16> = addrs.iter().map(|a| post_story(a, &story(&submission, None))).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 201]);
    for addr in &addrs {
        assert_eq!(admin_get(addr, "/api/v1/stats").json()["total"], 1, "{addr} sees the one story");
    }

    // `storypoint backup` runs pg_dump from the image; the dump lists the stories table.
    collectors[0].exec(&["/app/storypoint", "backup", "/data/national.dump"]);
    let listing = collectors[0].exec(&["pg_restore", "--list", "/data/national.dump"]);
    assert!(listing.contains("TABLE DATA") && listing.contains("stories"), "the dump holds the stories: {listing}");
}
