//! Test helpers: the real `storypoint` binary on an ephemeral 127.0.0.1 port with a temp
//! SQLite file, and a tiny blocking HTTP/1.1 client that can send exactly the bytes a test
//! wants (wrong content types, broken JSON, oversized bodies).
//!
//! With `STORYPOINT_TEST_POSTGRES=postgres://user@127.0.0.1:port` set (`cargo xtask test`
//! sets it for its second run of the HTTP suites), every [`Server::start_with`] gets a
//! fresh PostgreSQL database on that server instead of a SQLite file: the same tests, the
//! other backend.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const ADMIN_TOKEN: &str = "test-admin-token";

/// A running collector.
pub struct Server {
    pub addr: String,
    /// A file in the server's own temporary folder (the SQLite database, unless PostgreSQL).
    pub db: PathBuf,
    /// What `--db` gets: the SQLite file, or a PostgreSQL URL.
    pub database: String,
    /// The recordings folder (`--audio-dir`).
    pub audio_dir: PathBuf,
    /// The admin token the collector printed when it made one (started without
    /// `STORYPOINT_ADMIN_TOKEN` on a database that had none).
    pub shown_token: Option<String>,
    child: Child,
    _dir: Option<tempfile::TempDir>,
}

impl Server {
    /// A fresh collector with an empty database.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    /// A fresh collector with extra `serve` arguments.
    pub fn start_with(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("stories.db");
        let database = database_for(&db);
        let mut server = Server::start_database(&database, &db, args);
        server._dir = Some(dir);
        server
    }

    /// A collector on an existing database file.
    pub fn start_on(db: &Path, args: &[&str]) -> Server {
        Server::start_database(db.to_str().unwrap(), db, args)
    }

    /// A collector on `database` (a file or a PostgreSQL URL); `db` names the folder for
    /// the recordings.
    pub fn start_database(database: &str, db: &Path, args: &[&str]) -> Server {
        Server::spawn(database, db, args, Some(ADMIN_TOKEN))
    }

    /// A collector on `database` without `STORYPOINT_ADMIN_TOKEN`, as a coordinator starts
    /// one: it uses the token stored in the database, or makes one and prints it.
    pub fn start_without_token(database: &str, db: &Path) -> Server {
        Server::spawn(database, db, &[], None)
    }

    fn spawn(database: &str, db: &Path, args: &[&str], token: Option<&str>) -> Server {
        let audio_dir = db.with_file_name(format!("{}-audio", db.file_stem().unwrap().to_string_lossy()));
        let mut command = Command::new(env!("CARGO_BIN_EXE_storypoint"));
        command.args(["--db", database]).arg("--audio-dir").arg(&audio_dir).args(["serve", "--addr", "127.0.0.1:0"]).args(args);
        match token {
            Some(token) => command.env("STORYPOINT_ADMIN_TOKEN", token),
            None => command.env_remove("STORYPOINT_ADMIN_TOKEN"),
        };
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("start storypoint");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut shown_token = None;
        let addr = loop {
            let line = lines.next().expect("storypoint exited before listening").unwrap();
            if let Some((_, shown)) = line.split_once("admin token (shown once; keep it safe, it opens the dashboard): ") {
                shown_token = Some(shown.trim().to_string());
            }
            if let Some(rest) = line.strip_prefix("storypoint listening on http://") {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { addr, db: db.to_path_buf(), database: database.to_string(), audio_dir, shown_token, child, _dir: None }
    }

    pub fn get(&self, path: &str) -> Response {
        request(&self.addr, "GET", path, &[], b"")
    }

    pub fn admin_get(&self, path: &str) -> Response {
        request(&self.addr, "GET", path, &[("Authorization", &format!("Bearer {ADMIN_TOKEN}"))], b"")
    }

    pub fn post_json(&self, path: &str, body: &str) -> Response {
        request(&self.addr, "POST", path, &[("Content-Type", "application/json")], body.as_bytes())
    }

    /// The server's resident memory in KiB (from /proc), if it can be read.
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Stops the server the hard way (SIGKILL): no chance to flush anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Runs the `storypoint` command line on this server's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_storypoint"))
            .args(["--db", &self.database])
            .arg("--audio-dir")
            .arg(&self.audio_dir)
            .args(args)
            .output()
            .expect("run storypoint")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What `--db` gets for a test: a fresh PostgreSQL database when one is set (see the module
/// docs), else the SQLite file `db`.
pub fn database_for(db: &Path) -> String {
    match postgres_server() {
        Some(server) => fresh_postgres_database(&server),
        None => db.to_str().unwrap().to_string(),
    }
}

/// The PostgreSQL server the tests run against, if one is set (see the module docs).
pub fn postgres_server() -> Option<String> {
    std::env::var("STORYPOINT_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// A new, empty database on the PostgreSQL server at `server`; returns its URL.
pub fn fresh_postgres_database(server: &str) -> String {
    let name = format!("sp_{}", &submission_id().replace('-', "")[..16]);
    let mut admin = postgres::Client::connect(&format!("{server}/postgres"), postgres::NoTls).expect("connect to the test PostgreSQL");
    admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create a test database");
    format!("{server}/{name}")
}

/// Runs the `storypoint` command line on a database.
pub fn cli(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_storypoint"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run storypoint")
}

/// A reply.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request on a new connection (`Connection: close`).
pub fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
    try_request(addr, method, path, headers, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// Like [`request`], but a failed connection is an error, not a panic.
pub fn try_request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    // The server may answer (413) and close before it has read the whole body.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw).ok_or_else(|| std::io::Error::other(format!("unreadable reply: {:?}", String::from_utf8_lossy(&raw))))
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body)?;
    }
    Some(Response { status, headers, body })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).ok()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// A fresh random submission id.
pub fn submission_id() -> String {
    let bytes: [u8; 16] = rand::random();
    storypoint_core::SubmissionId::from_random_bytes(bytes).to_hyphenated()
}

/// A valid story in the wire format.
pub fn story(submission_id: &str, link: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "questionnaire": "vertelpunt-jeugdhulp", "version": 1, "submission_id": submission_id,
        "link": link, "lang": "nl",
        "answers": {"prompt": "geholpen", "story": "De juf luisterde echt naar me.", "perspective": "child",
                    "seen_heard": 80, "emotion": "happy"}
    })
}

/// One HTTP/1.1 keep-alive connection that posts JSON and reads each reply (the benches).
pub struct KeepAlive {
    addr: String,
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl KeepAlive {
    pub fn connect(addr: &str) -> KeepAlive {
        let stream = TcpStream::connect(addr).expect("connect");
        stream.set_nodelay(true).unwrap();
        let writer = stream.try_clone().unwrap();
        KeepAlive { addr: addr.to_string(), writer, reader: BufReader::new(stream) }
    }

    /// Posts `body` as JSON to `path`; returns the status code.
    pub fn post_json(&mut self, path: &str, body: &str) -> u16 {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        self.writer.write_all(request.as_bytes()).unwrap();
        let mut status = String::new();
        self.reader.read_line(&mut status).unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap();
                }
            }
        }
        let mut reply = vec![0; length];
        self.reader.read_exact(&mut reply).unwrap();
        status.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
    }
}

// ---- recordings ----------------------------------------------------------------------------

/// An EBML element with a one-byte or 8-byte size.
pub fn element(id: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = id.to_vec();
    if data.len() < 127 {
        out.push(0x80 | data.len() as u8);
    } else {
        out.push(0x01);
        out.extend_from_slice(&(data.len() as u64).to_be_bytes()[1..]);
    }
    out.extend_from_slice(data);
    out
}

/// A small WebM as MediaRecorder writes it: unknown-size Segment and Clusters, two
/// clusters of SimpleBlocks 20 ms apart, and a Tags element to strip.
pub fn webm(clusters: u64) -> Vec<u8> {
    let mut out = element(&[0x1A, 0x45, 0xDF, 0xA3], &element(&[0x42, 0x82], b"webm"));
    out.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
    out.extend(element(&[0x15, 0x49, 0xA9, 0x66], &element(&[0x2A, 0xD7, 0xB1], &[0x0F, 0x42, 0x40])));
    out.extend(element(&[0x12, 0x54, 0xC3, 0x67], &element(&[0x73, 0x73], b"TITLE=Anna's verhaal, Enschede")));
    for c in 0..clusters {
        out.extend_from_slice(&[0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        out.extend(element(&[0xE7], &(c * 1000).to_be_bytes()[6..]));
        for b in 0..50u16 {
            let mut block = vec![0x81];
            block.extend_from_slice(&(b * 20).to_be_bytes());
            block.push(0x80);
            block.extend_from_slice(&[0x55; 40]);
            out.extend(element(&[0xA3], &block));
        }
    }
    out
}

/// SHA-256 as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
