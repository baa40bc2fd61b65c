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

pub const ADMIN_TOKEN: &str = "test-admin-token-of-twenty-plus";

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

    /// A fresh collector that may open at most `open_files` files and sockets (`ulimit -n`),
    /// as on a host with the common limit of 1,024.
    pub fn start_with_open_files(open_files: u32, args: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("stories.db");
        let mut command = Command::new("sh");
        command.args(["-c", &format!("ulimit -n {open_files} && exec \"$0\" \"$@\""), env!("CARGO_BIN_EXE_storypoint")]);
        let mut server = Server::spawn_command(command, &database_for(&db), &db, args, Some(ADMIN_TOKEN));
        server._dir = Some(dir);
        server
    }

    fn spawn(database: &str, db: &Path, args: &[&str], token: Option<&str>) -> Server {
        Server::spawn_command(Command::new(env!("CARGO_BIN_EXE_storypoint")), database, db, args, token)
    }

    fn spawn_command(mut command: Command, database: &str, db: &Path, args: &[&str], token: Option<&str>) -> Server {
        let audio_dir = db.with_file_name(format!("{}-audio", db.file_stem().unwrap().to_string_lossy()));
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
    Command::new(env!("CARGO_BIN_EXE_storypoint")).arg("--db").arg(db).args(args).output().expect("run storypoint")
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
    exchange(TcpStream::connect(addr)?, addr, method, path, headers, body)
}

/// A connection to `addr` from the local address `from` (any of 127.0.0.0/8 is this
/// machine): another client, as far as the collector can tell.
pub fn connect_from(from: &str, addr: &str) -> std::io::Result<TcpStream> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    socket.bind(&format!("{from}:0").parse::<std::net::SocketAddr>().unwrap().into())?;
    socket.connect_timeout(&addr.parse::<std::net::SocketAddr>().unwrap().into(), Duration::from_secs(2))?;
    Ok(socket.into())
}

/// Like [`request`], from the local address `from` (see [`connect_from`]).
pub fn request_from(from: &str, addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
    connect_from(from, addr)
        .and_then(|stream| exchange(stream, addr, method, path, headers, body))
        .unwrap_or_else(|e| panic!("{method} {path} from {from}: {e}"))
}

fn exchange(mut stream: TcpStream, addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> std::io::Result<Response> {
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
    let headers: Vec<(String, String)> = lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_string(), v.trim().to_string())).collect();
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
        let request = format!("POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", self.addr, body.len());
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
    out.extend(webm_tracks());
    out.extend(element(&[0x12, 0x54, 0xC3, 0x67], &element(&[0x73, 0x73], b"TITLE=Anna's verhaal, Enschede")));
    for c in 0..clusters {
        out.extend_from_slice(&[0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        out.extend(element(&[0xE7], &(c * 1000).to_be_bytes()[6..]));
        for b in 0..50u16 {
            let mut block = vec![0x81];
            block.extend_from_slice(&(b * 20).to_be_bytes());
            block.push(0x80);
            // An Opus packet: its first byte says one 20 ms frame (CELT, fullband).
            block.push(0xF8);
            block.extend_from_slice(&[0x55; 39]);
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

/// The Tracks element MediaRecorder writes: one audio track (TrackType 2) of Opus.
pub fn webm_tracks() -> Vec<u8> {
    let mut entry = element(&[0xD7], &[1]);
    entry.extend(element(&[0x83], &[2]));
    entry.extend(element(&[0x86], b"A_OPUS"));
    element(&[0x16, 0x54, 0xAE, 0x6B], &element(&[0xAE], &entry))
}

/// The Ogg page checksum (CRC-32, polynomial 0x04C11DB7, not reflected), over a page whose
/// checksum field is zero.
pub fn ogg_crc(page: &[u8]) -> u32 {
    page.iter().fold(0u32, |mut crc, b| {
        crc ^= u32::from(*b) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 { (crc << 1) ^ 0x04C1_1DB7 } else { crc << 1 };
        }
        crc
    })
}

/// One Ogg page of stream 0x53545259 holding `packets` (each under 255 bytes).
pub fn ogg_page(header_type: u8, granule: u64, sequence: u32, packets: &[&[u8]]) -> Vec<u8> {
    let mut page = b"OggS\0".to_vec();
    page.push(header_type);
    page.extend_from_slice(&granule.to_le_bytes());
    page.extend_from_slice(&0x5354_5259u32.to_le_bytes());
    page.extend_from_slice(&sequence.to_le_bytes());
    page.extend_from_slice(&[0; 4]);
    page.push(packets.len() as u8);
    page.extend(packets.iter().map(|p| p.len() as u8));
    for packet in packets {
        page.extend_from_slice(packet);
    }
    let crc = ogg_crc(&page);
    page[22..26].copy_from_slice(&crc.to_le_bytes());
    page
}

/// An Ogg Opus recording as Firefox's MediaRecorder writes it: OpusHead (pre-skip 312),
/// OpusTags, then one page of fifty 20 ms packets per second, the last one ending the stream.
pub fn ogg_opus(seconds: u64) -> Vec<u8> {
    let mut head = b"OpusHead\x01\x01".to_vec();
    head.extend_from_slice(&312u16.to_le_bytes());
    head.extend_from_slice(&48_000u32.to_le_bytes());
    head.extend_from_slice(&[0, 0, 0]);
    let mut out = ogg_page(0x02, 0, 0, &[&head]);
    out.extend(ogg_page(0, 0, 1, &[b"OpusTags\x07\0\0\0Mozilla\0\0\0\0"]));
    let packet = [0x55u8; 40];
    for second in 1..=seconds {
        let end = if second == seconds { 0x04 } else { 0 };
        out.extend(ogg_page(end, 312 + second * 48_000, second as u32 + 1, &[&packet[..]; 50]));
    }
    out
}

/// An MP4 box.
pub fn mp4_box(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
    let mut out = ((content.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(content);
    out
}

/// An MP4 full box (version and flags first).
pub fn mp4_full(kind: &[u8; 4], version: u8, flags: u32, content: &[u8]) -> Vec<u8> {
    let mut data = flags.to_be_bytes().to_vec();
    data[0] = version;
    data.extend_from_slice(content);
    mp4_box(kind, &data)
}

fn be32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_be_bytes()).collect()
}

/// A fragmented MP4 with AAC as WebKit's MediaRecorder writes it: two `ftyp`, a `moov` with
/// empty sample tables (durations 0) and `trex` defaults, then a `moof`/`mdat` pair per
/// second of fifty 960-tick samples (48 kHz). The fragments take turns at where the
/// durations stand: `trex`, `tfhd`, each sample in `trun`. `microphone` goes in
/// `moov/trak/udta`.
pub fn mp4_fragmented(seconds: u32, microphone: Option<&str>) -> Vec<u8> {
    let ftyp = mp4_box(b"ftyp", b"iso5\0\0\x02\0iso5iso6mp41");
    let mut out = ftyp.clone();
    out.extend(&ftyp);
    let mvhd = mp4_full(b"mvhd", 0, 0, &[be32s(&[0, 0, 1000, 0, 0x0001_0000]), vec![1, 0], vec![0; 10 + 36 + 24], be32s(&[2])].concat());
    let tkhd = mp4_full(b"tkhd", 0, 3, &[be32s(&[0, 0, 1, 0, 0]), vec![0; 8 + 8 + 36 + 8]].concat());
    let mdhd = mp4_full(b"mdhd", 0, 0, &[be32s(&[0, 0, 48_000, 0]), vec![0x15, 0xC7, 0, 0]].concat());
    let hdlr = mp4_full(b"hdlr", 0, 0, &[vec![0; 4], b"soun".to_vec(), vec![0; 12], b"SoundHandler\0".to_vec()].concat());
    let esds =
        mp4_full(b"esds", 0, 0, &[0x03, 0x19, 0, 1, 0, 0x04, 0x11, 0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05, 0x02, 0x11, 0x88, 0x06, 0x01, 0x02]);
    let mp4a = mp4_box(b"mp4a", &[vec![0; 6], vec![0, 1], vec![0; 8], vec![0, 1, 0, 16, 0, 0, 0, 0], be32s(&[48_000 << 16]), esds].concat());
    let stsd = mp4_full(b"stsd", 0, 0, &[be32s(&[1]), mp4a].concat());
    let stbl = mp4_box(
        b"stbl",
        &[stsd, mp4_full(b"stts", 0, 0, &[0; 4]), mp4_full(b"stsc", 0, 0, &[0; 4]), mp4_full(b"stsz", 0, 0, &[0; 8]), mp4_full(b"stco", 0, 0, &[0; 4])]
            .concat(),
    );
    let minf = mp4_box(b"minf", &[mp4_full(b"smhd", 0, 0, &[0; 4]), stbl].concat());
    let mdia = mp4_box(b"mdia", &[mdhd, hdlr, minf].concat());
    let mut trak = [tkhd, mdia].concat();
    if let Some(name) = microphone {
        trak.extend(mp4_box(b"udta", &mp4_box(b"name", name.as_bytes())));
    }
    let mvex = mp4_box(b"mvex", &mp4_full(b"trex", 0, 0, &be32s(&[1, 1, 960, 0, 0])));
    out.extend(mp4_box(b"moov", &[mvhd, mp4_box(b"trak", &trak), mvex].concat()));
    for second in 0..seconds {
        let moof = |data_offset: u32| {
            let (tfhd, trun) = match second % 3 {
                0 => (mp4_full(b"tfhd", 0, 0x02_0000, &be32s(&[1])), mp4_full(b"trun", 0, 0x201, &[be32s(&[50, data_offset]), be32s(&[4; 50])].concat())),
                1 => (mp4_full(b"tfhd", 0, 0x02_0008, &be32s(&[1, 960])), mp4_full(b"trun", 0, 0x201, &[be32s(&[50, data_offset]), be32s(&[4; 50])].concat())),
                _ => {
                    let samples: Vec<u32> = (0..50).flat_map(|_| [960, 4]).collect();
                    (mp4_full(b"tfhd", 0, 0x02_0000, &be32s(&[1])), mp4_full(b"trun", 0, 0x301, &[be32s(&[50, data_offset]), be32s(&samples)].concat()))
                }
            };
            let tfdt = mp4_full(b"tfdt", 1, 0, &(u64::from(second) * 48_000).to_be_bytes());
            let traf = mp4_box(b"traf", &[tfhd, tfdt, trun].concat());
            mp4_box(b"moof", &[mp4_full(b"mfhd", 0, 0, &be32s(&[second + 1])), traf].concat())
        };
        let size = moof(0).len() as u32;
        out.extend(moof(size + 8));
        out.extend(mp4_box(b"mdat", &[0x21; 200]));
    }
    out
}
