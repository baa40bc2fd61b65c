//! Spoken stories: recordings beside the database, uploaded in resumable, idempotent parts.
//!
//! A recording arrives as `PUT …/audio?offset=N` parts under the story's `submission_id`
//! into `<id>.part`; each part is on disk (fsync) before it is acknowledged. The first part
//! must be the start of a real recording ([`recognise`]), or nothing is written. A part that
//! repeats bytes already here is accepted without change (a retry after a lost reply); a
//! part that starts past the end is refused with the length we have, so the widget resumes
//! from there. `complete` checks the length and SHA-256 the widget computed, reads the real
//! container from the bytes (never the client's word), measures the duration (refused when
//! it cannot be measured), blanks metadata, and keeps the file as `<id>.<ext>`. Only then
//! may the story that names it be stored.
//!
//! Unfinished recordings are held against their client's share ([`AudioStore::put_from`])
//! and expire after an hour without progress. The times that decide this live in memory:
//! the files keep only the day ([`crate::day_times`]).
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use storypoint_core::{AudioRef, SubmissionId};

use crate::limits::ClientKey;

mod container;

pub use container::{duration_ms, recognise, sniff};

/// An unfinished recording with no new bytes for this long is deleted by [`AudioStore::sweep`].
pub const PARTS_EXPIRE: Duration = Duration::from_secs(3600);

/// A complete recording that no story names after this long is deleted by [`AudioStore::sweep`].
pub const UNCLAIMED_EXPIRE: Duration = Duration::from_secs(24 * 3600);

/// Each unfinished recording counts as at least this many bytes against its client's share,
/// so a client cannot hold thousands of tiny ones.
const MIN_CHARGE: u64 = 64 * 1024;

/// Unfinished and unclaimed recordings the store keeps track of at most (memory stays bounded).
const MAX_HELD: usize = 100_000;

/// Why a recording (or a part of it) is refused.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// Over the size limit (413).
    #[error("the recording is larger than the {0} MB this Vertelpunt accepts")]
    TooLarge(u64),
    /// Longer than allowed (413).
    #[error("the recording is longer than {0} minutes")]
    TooLong(u32),
    /// The part starts past what is here (409): send from `received`.
    #[error("this part starts at byte {offset}, but only {received} bytes are here: send from byte {received}")]
    Gap {
        /// Where the part started.
        offset: u64,
        /// What is here.
        received: u64,
    },
    /// The part's bytes differ from the ones already here at the same place (409).
    #[error("these bytes differ from the ones received before at byte {offset}")]
    Mismatch {
        /// Where the part started.
        offset: u64,
        /// What is here.
        received: u64,
    },
    /// The length or checksum does not match what the widget recorded (409: send again).
    #[error("the recording here is {received} bytes with another checksum than the one sent; send it again")]
    Different {
        /// What is here.
        received: u64,
    },
    /// Not a recording we know (415).
    #[error("this is not an audio recording in WebM, Ogg or MP4")]
    NotAudio,
    /// A recording whose length cannot be measured from its own timestamps (415): it holds
    /// no audio, or its structure is broken.
    #[error("the length of this recording cannot be read from it; record it again")]
    NoDuration,
    /// The client already holds its share of unfinished recordings (429): complete or
    /// discard one, or wait until they expire.
    #[error("unfinished recordings from here already take {held_mb} MB; complete or discard one, or try again in {retry_after_secs} seconds")]
    Unfinished {
        /// What this client's unfinished recordings take, in MB (rounded up).
        held_mb: u64,
        /// When the first of them expires (for `Retry-After`).
        retry_after_secs: u64,
    },
    /// The recordings folder is at its size limit (503: try again later; the widget keeps it).
    #[error("storage for recordings is full; the recording is kept on the device, try again later")]
    Full,
    /// The disk failed.
    #[error("the recording could not be saved: {0}")]
    Io(#[from] io::Error),
}

impl AudioError {
    /// A short name for the kind of refusal (`"code"` in the JSON reply), so a client can
    /// tell "resume from here" (`gap`) from "start over" (`mismatch`, `different`) from
    /// "never" (`too_large`, `too_long`, `not_audio`, `no_duration`) from "later"
    /// (`unfinished`, `full`).
    pub fn code(&self) -> &'static str {
        match self {
            AudioError::TooLarge(_) => "too_large",
            AudioError::TooLong(_) => "too_long",
            AudioError::Gap { .. } => "gap",
            AudioError::Mismatch { .. } => "mismatch",
            AudioError::Different { .. } => "different",
            AudioError::NotAudio => "not_audio",
            AudioError::NoDuration => "no_duration",
            AudioError::Unfinished { .. } => "unfinished",
            AudioError::Full => "full",
            AudioError::Io(_) => "io",
        }
    }
}

/// A complete recording.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AudioInfo {
    /// The file name in the audio folder (`<submission id>.<ext>`).
    pub file: String,
    /// The container, read from the bytes.
    pub mime: String,
    /// Bytes.
    pub length: u64,
    /// SHA-256 of the bytes as uploaded, lowercase hex.
    pub sha256: String,
    /// Duration in milliseconds, measured from the container.
    pub duration_ms: u64,
}

/// What is here for one submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Bytes received so far (0: nothing yet).
    Receiving(u64),
    /// Complete.
    Complete(AudioInfo),
}

/// What the store remembers of a recording it holds: in memory only, so no file needs a
/// time finer than the day.
#[derive(Clone, Copy, Debug)]
struct Held {
    /// Whose unfinished recording this is (`None`: in-process, or found on disk at start).
    owner: Option<ClientKey>,
    /// Bytes received (unfinished).
    bytes: u64,
    /// The last progress (unfinished) or the completion; at start, the start.
    since: Instant,
    complete: bool,
}

/// The recordings folder and its limits.
pub struct AudioStore {
    dir: PathBuf,
    max_bytes: u64,
    max_seconds: u32,
    /// The most all recordings together may take, and what they take now.
    max_total: u64,
    total: std::sync::atomic::AtomicU64,
    /// The recordings held, by submission. One lock for all: parts of one recording never
    /// interleave, and uploads are rare.
    held: Mutex<HashMap<SubmissionId, Held>>,
}

impl AudioStore {
    /// Opens (and makes) the folder: one recording at most `max_bytes` and `max_seconds`,
    /// all of them together at most `max_total` bytes. What is found there counts as last
    /// touched now.
    pub fn open(dir: &Path, max_bytes: u64, max_seconds: u32, max_total: u64) -> io::Result<AudioStore> {
        fs::create_dir_all(dir)?;
        let mut total = 0;
        for entry in fs::read_dir(dir)? {
            total += entry?.metadata()?.len();
        }
        let store = AudioStore {
            dir: dir.to_path_buf(),
            max_bytes,
            max_seconds,
            max_total,
            total: std::sync::atomic::AtomicU64::new(total),
            held: Mutex::new(HashMap::new()),
        };
        store.notice_files(&mut store.guard())?;
        Ok(store)
    }

    /// Adds the recordings on disk that the store does not know yet, as touched now.
    fn notice_files(&self, held: &mut HashMap<SubmissionId, Held>) -> io::Result<()> {
        let now = Instant::now();
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // `<id>.part` while uploading, `<id>.json` beside a whole recording.
            let (stem, complete) = match (name.strip_suffix(".part"), name.strip_suffix(".json")) {
                (Some(stem), _) => (stem, false),
                (_, Some(stem)) => (stem, true),
                _ => continue,
            };
            let Ok(id) = SubmissionId::parse(stem) else { continue };
            let bytes = if complete { 0 } else { entry.metadata()?.len() };
            let known = held.entry(id).or_insert(Held { owner: None, bytes, since: now, complete });
            known.complete |= complete;
        }
        // Reading the folder set its access time.
        let _ = crate::day_times::blur(&self.dir);
        Ok(())
    }

    /// The limits of one recording: bytes and seconds.
    pub fn limits(&self) -> (u64, u32) {
        (self.max_bytes, self.max_seconds)
    }

    /// How many bytes of unfinished recordings one client may hold: two whole recordings,
    /// so a teller who starts over once is never stopped.
    pub fn client_share(&self) -> u64 {
        self.max_bytes.saturating_mul(2).max(MIN_CHARGE)
    }

    fn grow(&self, bytes: u64) {
        self.total.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    fn shrink(&self, bytes: u64) {
        let _ = self.total.fetch_update(std::sync::atomic::Ordering::Relaxed, std::sync::atomic::Ordering::Relaxed, |t| Some(t.saturating_sub(bytes)));
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn part(&self, id: &SubmissionId) -> PathBuf {
        self.dir.join(format!("{}.part", id.to_hyphenated()))
    }

    fn info_path(&self, id: &SubmissionId) -> PathBuf {
        self.dir.join(format!("{}.json", id.to_hyphenated()))
    }

    fn guard(&self) -> std::sync::MutexGuard<'_, HashMap<SubmissionId, Held>> {
        self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// What is here for `id`.
    pub fn progress(&self, id: &SubmissionId) -> io::Result<Progress> {
        if let Some(info) = self.info(id)? {
            return Ok(Progress::Complete(info));
        }
        match fs::metadata(self.part(id)) {
            Ok(meta) => Ok(Progress::Receiving(meta.len())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Progress::Receiving(0)),
            Err(e) => Err(e),
        }
    }

    /// The complete recording's facts, if complete.
    pub fn info(&self, id: &SubmissionId) -> io::Result<Option<AudioInfo>> {
        match read_quietly(&self.info_path(id)) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The bytes of a complete recording's file (`AudioInfo::file`), read without leaving
    /// the time of reading on it.
    pub fn recording(&self, file: &str) -> io::Result<Vec<u8>> {
        read_quietly(&self.dir.join(file))
    }

    /// Stores the part `bytes` that starts at `offset`, for nobody in particular (in-process
    /// use); see [`AudioStore::put_from`].
    pub fn put(&self, id: &SubmissionId, offset: u64, bytes: &[u8]) -> Result<u64, AudioError> {
        self.put_from(id, offset, bytes, None)
    }

    /// Stores the part `bytes` that starts at `offset` from `client`; returns how many bytes
    /// are here now. The first part must be the start of a real recording ([`recognise`]);
    /// the unfinished recordings a client started may take at most
    /// [`AudioStore::client_share`] together.
    pub fn put_from(&self, id: &SubmissionId, offset: u64, bytes: &[u8], client: Option<ClientKey>) -> Result<u64, AudioError> {
        let mut held = self.guard();
        if let Some(info) = self.info(id)? {
            // Complete already: a client that still sends parts has another recording (it
            // asks for the progress first, which says "complete" with the checksum).
            return Err(AudioError::Mismatch { offset, received: info.length });
        }
        let end = offset.saturating_add(bytes.len() as u64);
        if end > self.max_bytes {
            return Err(AudioError::TooLarge(self.max_bytes / (1024 * 1024)));
        }
        let path = self.part(id);
        let received = match fs::metadata(&path) {
            Ok(meta) => meta.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
            Err(e) => return Err(e.into()),
        };
        if offset > received {
            return Err(AudioError::Gap { offset, received });
        }
        if received == 0 && recognise(bytes).is_none() {
            return Err(AudioError::NotAudio);
        }
        // The overlap with what is here must be the same bytes (a repeated part).
        let overlap = (received - offset).min(bytes.len() as u64) as usize;
        if overlap > 0 {
            let mut here = vec![0; overlap];
            let mut file = File::open(&path)?;
            let modified = file.metadata()?.modified()?;
            file.seek(SeekFrom::Start(offset))?;
            file.read_exact(&mut here)?;
            keep_times(&file, modified);
            if here != bytes[..overlap] {
                return Err(AudioError::Mismatch { offset, received });
            }
        }
        if end <= received {
            // A repeat is no progress: it does not keep an abandoned upload alive.
            return Ok(received);
        }
        let growth = end - received;
        if self.total.load(std::sync::atomic::Ordering::Relaxed).saturating_add(growth) > self.max_total {
            return Err(AudioError::Full);
        }
        let now = Instant::now();
        let owner = held.get(id).and_then(|h| h.owner).or(client);
        if let Some(owner) = owner {
            let others = held.iter().filter(|(other, h)| *other != id && !h.complete && h.owner == Some(owner));
            let (used, soonest) = others.fold((0u64, PARTS_EXPIRE), |(used, soonest), (_, h)| {
                (used.saturating_add(h.bytes.max(MIN_CHARGE)), soonest.min(PARTS_EXPIRE.saturating_sub(now.duration_since(h.since))))
            });
            if used.saturating_add(end.max(MIN_CHARGE)) > self.client_share() {
                return Err(AudioError::Unfinished {
                    held_mb: used.div_ceil(1024 * 1024),
                    // The sweep runs every few minutes: one round after the first expires.
                    retry_after_secs: soonest.as_secs().max(60) + 300,
                });
            }
        }
        if !held.contains_key(id) && held.len() >= MAX_HELD {
            return Err(AudioError::Full);
        }
        let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
        file.write_all(&bytes[overlap..])?;
        crate::day_times::blur_file(&file)?;
        file.sync_all()?;
        // The folder's times changed when the part was made (best effort: the folder may
        // belong to another user).
        let _ = crate::day_times::blur(&self.dir);
        self.grow(growth);
        held.insert(*id, Held { owner, bytes: end, since: now, complete: false });
        Ok(end)
    }

    /// Completes the recording when it is exactly what the widget recorded: checks,
    /// measures, blanks metadata, and keeps it as `<id>.<ext>`. Repeating it is harmless.
    pub fn complete(&self, id: &SubmissionId, expected: &AudioRef) -> Result<AudioInfo, AudioError> {
        let mut held = self.guard();
        if let Some(info) = self.info(id)? {
            return if info.length == expected.length && info.sha256 == expected.sha256 {
                Ok(info)
            } else {
                Err(AudioError::Different { received: info.length })
            };
        }
        let mut bytes = match read_quietly(&self.part(id)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let sha256 = hex(&Sha256::digest(&bytes));
        if bytes.len() as u64 != expected.length || sha256 != expected.sha256 {
            return Err(AudioError::Different { received: bytes.len() as u64 });
        }
        let container = recognise(&bytes).ok_or(AudioError::NotAudio)?;
        let duration_ms = duration_ms(container, &bytes).ok_or(AudioError::NoDuration)?;
        // A few seconds of slack over the widget's own limit (its timer stops the recorder).
        if duration_ms > u64::from(self.max_seconds) * 1000 + 10_000 {
            return Err(AudioError::TooLong(self.max_seconds / 60));
        }
        container::strip_metadata(container, &mut bytes);
        let file = format!("{}.{}", id.to_hyphenated(), container.extension());
        write_durably(&self.dir.join(&file), &bytes)?;
        let info = AudioInfo { file, mime: container.mime().into(), length: expected.length, sha256, duration_ms };
        write_durably(&self.info_path(id), &serde_json::to_vec(&info).unwrap_or_default())?;
        let _ = fs::remove_file(self.part(id));
        let owner = held.get(id).and_then(|h| h.owner);
        held.insert(*id, Held { owner, bytes: 0, since: Instant::now(), complete: true });
        Ok(info)
    }

    /// The path of a complete recording's file.
    pub fn path(&self, info: &AudioInfo) -> PathBuf {
        self.dir.join(&info.file)
    }

    /// Deletes everything kept for `id` (parts, recording, facts).
    pub fn delete(&self, id: &SubmissionId) -> io::Result<()> {
        let mut held = self.guard();
        self.delete_unlocked(id, &mut held)
    }

    fn delete_unlocked(&self, id: &SubmissionId, held: &mut HashMap<SubmissionId, Held>) -> io::Result<()> {
        let mut paths = vec![self.part(id), self.info_path(id)];
        if let Some(info) = self.info(id)? {
            paths.push(self.dir.join(info.file));
        }
        for path in paths {
            let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                Err(_) => {}
                Ok(()) => self.shrink(size),
            }
        }
        let _ = crate::day_times::blur(&self.dir);
        held.remove(id);
        Ok(())
    }

    /// Deletes what a teller left: unfinished recordings without progress for `idle`, and
    /// complete ones older than `unclaimed` that no stored story names. Returns how many.
    /// (In service: [`PARTS_EXPIRE`] and [`UNCLAIMED_EXPIRE`].)
    pub fn sweep(&self, idle: Duration, unclaimed: Duration, claimed: impl Fn(&SubmissionId) -> bool) -> io::Result<usize> {
        let mut held = self.guard();
        self.notice_files(&mut held)?;
        let now = Instant::now();
        let due: Vec<(SubmissionId, bool)> =
            held.iter().filter(|(_, h)| now.duration_since(h.since) >= if h.complete { unclaimed } else { idle }).map(|(id, h)| (*id, h.complete)).collect();
        let mut swept = 0;
        for (id, complete) in due {
            if complete && claimed(&id) {
                // A story names it: kept for good. Forgotten here, so the database is asked
                // about it once a day (when the folder is read again), not every round.
                held.remove(&id);
            } else {
                self.delete_unlocked(&id, &mut held)?;
                swept += 1;
            }
        }
        // Reading the folder set its access time.
        let _ = crate::day_times::blur(&self.dir);
        Ok(swept)
    }
}

/// Reads a file, then puts its access time back to its modification time (a midnight), so
/// the file does not tell when it was last read (a story's arrival reads its recording's facts).
fn read_quietly(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    let modified = file.metadata()?.modified()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    keep_times(&file, modified);
    Ok(bytes)
}

/// Puts a file's access time back to its modification time (best effort: a file of
/// another owner keeps what the kernel set).
fn keep_times(file: &File, modified: std::time::SystemTime) {
    let _ = file.set_times(fs::FileTimes::new().set_accessed(modified).set_modified(modified));
}

/// Writes a file with day-only times and makes it durable (file and folder entry).
fn write_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = path.with_extension("tmp");
    let mut file = File::create(&temporary)?;
    file.write_all(bytes)?;
    crate::day_times::blur_file(&file)?;
    file.sync_all()?;
    fs::rename(&temporary, path)?;
    if let Some(dir) = path.parent() {
        let dir = File::open(dir)?;
        dir.sync_all()?;
        let _ = crate::day_times::blur_file(&dir);
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
