//! Spoken stories: recordings beside the database, uploaded in resumable, idempotent parts.
//!
//! A recording arrives as `PUT …/audio?offset=N` parts under the story's `submission_id`
//! into `<id>.part`; each part is on disk (fsync) before it is acknowledged. A part that
//! repeats bytes already here is accepted without change (a retry after a lost reply); a
//! part that starts past the end is refused with the length we have, so the widget resumes
//! from there. `complete` checks the length and SHA-256 the widget computed, reads the real
//! container from the bytes (never the client's word), measures the duration, blanks
//! metadata tags, and renames the file to `<id>.<ext>`. Only then may the story that names
//! it be stored.
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use storypoint_core::{AudioContainer, AudioRef, SubmissionId};

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
    /// "never" (`too_large`, `too_long`, `not_audio`).
    pub fn code(&self) -> &'static str {
        match self {
            AudioError::TooLarge(_) => "too_large",
            AudioError::TooLong(_) => "too_long",
            AudioError::Gap { .. } => "gap",
            AudioError::Mismatch { .. } => "mismatch",
            AudioError::Different { .. } => "different",
            AudioError::NotAudio => "not_audio",
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
    /// Duration in milliseconds, read from the container (0 when it does not say).
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

/// The recordings folder and its limits.
pub struct AudioStore {
    dir: PathBuf,
    max_bytes: u64,
    max_seconds: u32,
    /// The most all recordings together may take, and what they take now.
    max_total: u64,
    total: std::sync::atomic::AtomicU64,
    /// Parts of one recording never interleave (uploads are rare; one lock is enough).
    lock: Mutex<()>,
}

impl AudioStore {
    /// Opens (and makes) the folder: one recording at most `max_bytes` and `max_seconds`,
    /// all of them together at most `max_total` bytes.
    pub fn open(dir: &Path, max_bytes: u64, max_seconds: u32, max_total: u64) -> io::Result<AudioStore> {
        fs::create_dir_all(dir)?;
        let mut total = 0;
        for entry in fs::read_dir(dir)? {
            total += entry?.metadata()?.len();
        }
        Ok(AudioStore {
            dir: dir.to_path_buf(),
            max_bytes,
            max_seconds,
            max_total,
            total: std::sync::atomic::AtomicU64::new(total),
            lock: Mutex::new(()),
        })
    }

    /// The limits of one recording: bytes and seconds.
    pub fn limits(&self) -> (u64, u32) {
        (self.max_bytes, self.max_seconds)
    }

    fn grow(&self, bytes: u64) {
        self.total.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    fn shrink(&self, bytes: u64) {
        let _ = self.total.fetch_update(std::sync::atomic::Ordering::Relaxed, std::sync::atomic::Ordering::Relaxed, |t| {
            Some(t.saturating_sub(bytes))
        });
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

    fn guard(&self) -> std::sync::MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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
        match fs::read(self.info_path(id)) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Stores the part `bytes` that starts at `offset`; returns how many bytes are here now.
    pub fn put(&self, id: &SubmissionId, offset: u64, bytes: &[u8]) -> Result<u64, AudioError> {
        let _guard = self.guard();
        if let Some(info) = self.info(id)? {
            // Complete already: a client that still sends parts has another recording (it
            // asks for the progress first, which says "complete" with the checksum).
            return Err(AudioError::Mismatch { offset, received: info.length });
        }
        let end = offset.saturating_add(bytes.len() as u64);
        if end > self.max_bytes {
            return Err(AudioError::TooLarge(self.max_bytes / (1024 * 1024)));
        }
        if self.total.load(std::sync::atomic::Ordering::Relaxed).saturating_add(bytes.len() as u64) > self.max_total {
            return Err(AudioError::Full);
        }
        let mut file = OpenOptions::new().create(true).read(true).write(true).truncate(false).open(self.part(id))?;
        let received = file.metadata()?.len();
        if offset > received {
            return Err(AudioError::Gap { offset, received });
        }
        // The overlap with what is here must be the same bytes (a repeated part).
        let overlap = (received - offset).min(bytes.len() as u64) as usize;
        if overlap > 0 {
            let mut here = vec![0; overlap];
            file.seek(SeekFrom::Start(offset))?;
            file.read_exact(&mut here)?;
            if here != bytes[..overlap] {
                return Err(AudioError::Mismatch { offset, received });
            }
        }
        if end > received {
            file.seek(SeekFrom::Start(received))?;
            file.write_all(&bytes[overlap..])?;
            file.sync_data()?;
            self.grow(end - received);
        }
        Ok(received.max(end))
    }

    /// Completes the recording when it is exactly what the widget recorded: checks,
    /// measures, blanks metadata, and keeps it as `<id>.<ext>`. Repeating it is harmless.
    pub fn complete(&self, id: &SubmissionId, expected: &AudioRef) -> Result<AudioInfo, AudioError> {
        let _guard = self.guard();
        if let Some(info) = self.info(id)? {
            return if info.length == expected.length && info.sha256 == expected.sha256 {
                Ok(info)
            } else {
                Err(AudioError::Different { received: info.length })
            };
        }
        let mut bytes = match fs::read(self.part(id)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let sha256 = hex(&Sha256::digest(&bytes));
        if bytes.len() as u64 != expected.length || sha256 != expected.sha256 {
            return Err(AudioError::Different { received: bytes.len() as u64 });
        }
        let container = sniff(&bytes).ok_or(AudioError::NotAudio)?;
        let duration_ms = duration_ms(container, &bytes).unwrap_or(0);
        // A few seconds of slack over the widget's own limit (its timer stops the recorder).
        if duration_ms > u64::from(self.max_seconds) * 1000 + 10_000 {
            return Err(AudioError::TooLong(self.max_seconds / 60));
        }
        strip_metadata(container, &mut bytes);
        let file = format!("{}.{}", id.to_hyphenated(), container.extension());
        write_durably(&self.dir.join(&file), &bytes)?;
        let info = AudioInfo { file, mime: container.mime().into(), length: expected.length, sha256, duration_ms };
        write_durably(&self.info_path(id), &serde_json::to_vec(&info).unwrap_or_default())?;
        let _ = fs::remove_file(self.part(id));
        Ok(info)
    }

    /// The path of a complete recording's file.
    pub fn path(&self, info: &AudioInfo) -> PathBuf {
        self.dir.join(&info.file)
    }

    /// Deletes everything kept for `id` (parts, recording, facts).
    pub fn delete(&self, id: &SubmissionId) -> io::Result<()> {
        let _guard = self.guard();
        self.delete_unlocked(id)
    }

    fn delete_unlocked(&self, id: &SubmissionId) -> io::Result<()> {
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
        Ok(())
    }

    /// Deletes recordings (whole or in parts) older than `age` that no stored story names:
    /// left behind when a teller never sent the story. Returns how many.
    pub fn sweep(&self, age: std::time::Duration, claimed: impl Fn(&SubmissionId) -> bool) -> io::Result<usize> {
        let _guard = self.guard();
        let now = std::time::SystemTime::now();
        let mut swept = 0;
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // `<id>.part` while uploading, `<id>.json` beside a whole recording.
            let Some(stem) = name.strip_suffix(".part").or_else(|| name.strip_suffix(".json")) else { continue };
            let Ok(id) = SubmissionId::parse(stem) else { continue };
            let old = entry.metadata()?.modified().ok().and_then(|m| now.duration_since(m).ok()).is_some_and(|d| d > age);
            if old && !claimed(&id) {
                self.delete_unlocked(&id)?;
                swept += 1;
            }
        }
        Ok(swept)
    }
}

/// Writes a file and makes it durable (file and folder entry).
fn write_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = path.with_extension("tmp");
    let mut file = File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&temporary, path)?;
    if let Some(dir) = path.parent() {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The container, from the bytes alone.
pub fn sniff(bytes: &[u8]) -> Option<AudioContainer> {
    if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        let head = &bytes[..bytes.len().min(64)];
        let is = |doc: &[u8]| head.windows(doc.len()).any(|w| w == doc);
        return (is(b"webm") || is(b"matroska")).then_some(AudioContainer::Webm);
    }
    if bytes.starts_with(b"OggS") {
        return Some(AudioContainer::Ogg);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some(AudioContainer::Mp4);
    }
    None
}

/// The duration in ms, read from the container; `None` when it does not say.
pub fn duration_ms(container: AudioContainer, bytes: &[u8]) -> Option<u64> {
    match container {
        AudioContainer::Webm => webm_duration_ms(bytes),
        AudioContainer::Ogg => ogg_duration_ms(bytes),
        AudioContainer::Mp4 => mp4_duration_ms(bytes),
    }
}

// ---- WebM (EBML) -------------------------------------------------------------------------

const SEGMENT: u32 = 0x1853_8067;
const CLUSTER: u32 = 0x1F43_B675;
const BLOCK_GROUP: u32 = 0xA0;
const INFO: u32 = 0x1549_A966;
const TIMECODE_SCALE: u32 = 0x2A_D7B1;
const CLUSTER_TIMECODE: u32 = 0xE7;
const SIMPLE_BLOCK: u32 = 0xA3;
const BLOCK: u32 = 0xA1;
const TAGS: u32 = 0x1254_C367;
const VOID: u8 = 0xEC;

/// An EBML element header at `at`: (id, id length, data size (None: unknown), size length).
fn ebml_header(bytes: &[u8], at: usize) -> Option<(u32, usize, Option<u64>, usize)> {
    let first = *bytes.get(at)?;
    let id_len = first.leading_zeros() as usize + 1;
    if id_len > 4 {
        return None;
    }
    let id = bytes.get(at..at + id_len)?.iter().fold(0u32, |v, b| (v << 8) | u32::from(*b));
    let size_at = at + id_len;
    let lead = *bytes.get(size_at)?;
    let size_len = lead.leading_zeros() as usize + 1;
    if size_len > 8 {
        return None;
    }
    let raw = bytes.get(size_at..size_at + size_len)?;
    let mut size = u64::from(lead) & (0xFF >> size_len);
    for b in &raw[1..] {
        size = (size << 8) | u64::from(*b);
    }
    let unknown = size == (1u64 << (7 * size_len)) - 1;
    Some((id, id_len, (!unknown).then_some(size), size_len))
}

/// Walks every element of a WebM file in order, descending into the elements that hold
/// others (also when their size is unknown, as in a live recording).
fn webm_walk(bytes: &[u8], mut visit: impl FnMut(u32, usize, usize, &[u8])) {
    let mut at = 0;
    while let Some((id, id_len, size, size_len)) = ebml_header(bytes, at) {
        let data = at + id_len + size_len;
        if matches!(id, SEGMENT | CLUSTER | BLOCK_GROUP | INFO) {
            visit(id, at, data, &[]);
            at = data;
            continue;
        }
        let Some(size) = size else { break };
        let end = data.saturating_add(size as usize).min(bytes.len());
        visit(id, at, data, &bytes[data..end]);
        at = end;
        if at >= bytes.len() {
            break;
        }
    }
}

fn uint(data: &[u8]) -> u64 {
    data.iter().take(8).fold(0, |v, b| (v << 8) | u64::from(*b))
}

fn webm_duration_ms(bytes: &[u8]) -> Option<u64> {
    let (mut scale, mut cluster, mut last) = (1_000_000u64, 0u64, None::<u64>);
    webm_walk(bytes, |id, _, _, data| match id {
        TIMECODE_SCALE => scale = uint(data).max(1),
        CLUSTER_TIMECODE => cluster = uint(data),
        SIMPLE_BLOCK | BLOCK => {
            // Track number (a varint), then a signed 16-bit time relative to the cluster.
            let Some(&lead) = data.first() else { return };
            let track_len = lead.leading_zeros() as usize + 1;
            if let Some(t) = data.get(track_len..track_len + 2) {
                let relative = i64::from(i16::from_be_bytes([t[0], t[1]]));
                let time = i64::try_from(cluster).unwrap_or(i64::MAX).saturating_add(relative).max(0) as u64;
                last = Some(last.map_or(time, |l| l.max(time)));
            }
        }
        _ => {}
    });
    // The last block starts at `last`; an Opus frame lasts 20 ms more.
    last.map(|t| (u128::from(t) * u128::from(scale) / 1_000_000).min(u128::from(u64::MAX / 2)) as u64 + 20)
}

/// Turns every Tags element into a Void element of the same length: the file plays the
/// same and keeps its size, but says nothing about who made it.
fn strip_webm_tags(bytes: &mut [u8]) {
    let mut tags = Vec::new();
    webm_walk(bytes, |id, at, data, content| {
        if id == TAGS {
            tags.push((at, data + content.len()));
        }
    });
    for (start, end) in tags {
        let total = end - start;
        // Void: one byte of id, an 8-byte size, then the (zeroed) rest.
        if total < 9 {
            continue;
        }
        let size = (total - 9) as u64;
        bytes[start] = VOID;
        bytes[start + 1] = 0x01;
        bytes[start + 2..start + 9].copy_from_slice(&size.to_be_bytes()[1..]);
        bytes[start + 9..end].fill(0);
    }
}

// ---- Ogg and MP4 ---------------------------------------------------------------------------

fn ogg_duration_ms(bytes: &[u8]) -> Option<u64> {
    let last = bytes.windows(4).rposition(|w| w == b"OggS")?;
    let granule = u64::from_le_bytes(bytes.get(last + 6..last + 14)?.try_into().ok()?);
    let head = bytes.windows(8).position(|w| w == b"OpusHead")?;
    let pre_skip = u64::from(u16::from_le_bytes(bytes.get(head + 10..head + 12)?.try_into().ok()?));
    Some(granule.saturating_sub(pre_skip) / 48)
}

/// The MP4 boxes at one level: (type, start, content start, end).
fn mp4_boxes(bytes: &[u8], from: usize, to: usize) -> Vec<([u8; 4], usize, usize, usize)> {
    let mut boxes = Vec::new();
    let mut at = from;
    while at + 8 <= to {
        let size = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap_or_default()) as usize;
        let kind: [u8; 4] = bytes[at + 4..at + 8].try_into().unwrap_or_default();
        let (content, end) = match size {
            0 => (at + 8, to),
            1 => {
                let Some(large) = bytes.get(at + 8..at + 16) else { break };
                let large = u64::from_be_bytes(large.try_into().unwrap_or_default());
                (at + 16, at.saturating_add(usize::try_from(large).unwrap_or(usize::MAX)))
            }
            n => (at + 8, at.saturating_add(n)),
        };
        if end < content || end > to {
            break;
        }
        boxes.push((kind, at, content, end));
        at = end;
    }
    boxes
}

fn mp4_duration_ms(bytes: &[u8]) -> Option<u64> {
    let moov = mp4_boxes(bytes, 0, bytes.len()).into_iter().find(|b| &b.0 == b"moov")?;
    let mvhd = mp4_boxes(bytes, moov.2, moov.3).into_iter().find(|b| &b.0 == b"mvhd")?;
    let data = &bytes[mvhd.2..mvhd.3];
    let (scale, duration) = match data.first()? {
        1 => (uint(data.get(20..24)?), uint(data.get(24..32)?)),
        _ => (uint(data.get(12..16)?), uint(data.get(16..20)?)),
    };
    (scale > 0 && duration > 0).then(|| (u128::from(duration) * 1000 / u128::from(scale)).min(u128::from(u64::MAX)) as u64)
}

/// Blanks what a container may say about who made it: WebM Tags become Void, MP4 `udta`
/// and `meta` boxes become `free`. Ogg's comment header is left (browsers write only their
/// own name there). Lengths never change.
fn strip_metadata(container: AudioContainer, bytes: &mut [u8]) {
    match container {
        AudioContainer::Webm => strip_webm_tags(bytes),
        AudioContainer::Mp4 => {
            let mut blank = Vec::new();
            for (kind, start, content, end) in mp4_boxes(bytes, 0, bytes.len()) {
                if &kind == b"moov" {
                    for (inner, at, _, inner_end) in mp4_boxes(bytes, content, end) {
                        if &inner == b"udta" || &inner == b"meta" {
                            blank.push((at, inner_end));
                        }
                    }
                } else if &kind == b"udta" || &kind == b"meta" {
                    blank.push((start, end));
                }
            }
            for (start, end) in blank {
                bytes[start + 4..start + 8].copy_from_slice(b"free");
                bytes[start + 8..end].fill(0);
            }
        }
        AudioContainer::Ogg => {}
    }
}
