//! The container reader on real recordings (`tests/data/audio/`, made by its
//! `make-samples.mjs`; its README says how): what each engine's MediaRecorder writes
//! (Chromium WebM/Opus, Firefox WebM/Opus and Ogg/Opus, WebKitGTK fragmented MP4/AAC) and
//! ffmpeg's plain and fragmented MP4, Ogg and WebM. Each is taken as a first part, measured
//! as ffprobe measures it, kept without the names in it while it plays the same, and held to
//! the 5-minute limit.
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sha2::{Digest, Sha256};
use storypoint_core::{AudioContainer, AudioRef, SubmissionId};
use storypoint_server::audio::{AudioError, AudioInfo, AudioStore, duration_ms, recognise};

use AudioContainer::{Mp4, Ogg, Webm};

struct Sample {
    file: &'static str,
    container: AudioContainer,
    /// The true length in ms: what ffprobe said when the file was made (its format duration,
    /// or where the last packet ends when it has none).
    ms: u64,
    /// Words in the file that name a device or a person.
    names: &'static [&'static str],
}

const SAMPLES: [Sample; 11] = [
    // Chromium 156, `audio/webm;codecs=opus`: no Duration; the last packet starts at 2.940 s
    // and lasts 60 ms (Chromium writes 60 ms Opus frames).
    Sample { file: "chromium.webm", container: Webm, ms: 3000, names: &[] },
    // Firefox ESR 153, `audio/webm;codecs=opus`: the last packet at 2.999 s, 20 ms.
    Sample { file: "firefox.webm", container: Webm, ms: 3019, names: &[] },
    // Firefox ESR 153 unasked (its default, Ogg/Opus): ffprobe 3.0135 s.
    Sample { file: "firefox.ogg", container: Ogg, ms: 3014, names: &[] },
    // WebKitGTK 2.50, `audio/mp4; codecs=mp4a`: fragmented, two `ftyp`, its last `moof` written
    // twice; the mock microphone's name in `moov/trak/udta/meta/ilst`. ffprobe 2.879 s.
    Sample { file: "webkit.mp4", container: Mp4, ms: 2879, names: &["Mock audio device"] },
    // ffmpeg 5.1, `-movflags frag_keyframe+empty_moov+default_base_moof`: ffprobe 2.521 s.
    Sample { file: "ffmpeg-fragmented.mp4", container: Mp4, ms: 2521, names: &[] },
    // ffmpeg 5.1, plain MP4 (`moov` at the end, `stts`): ffprobe 3.500 s.
    Sample { file: "ffmpeg-plain.m4a", container: Mp4, ms: 3500, names: &[] },
    // ffmpeg 5.1, Ogg/Opus: ffprobe 2.0065 s.
    Sample { file: "ffmpeg-opus.ogg", container: Ogg, ms: 2007, names: &[] },
    // ffmpeg 5.1 with a title, an artist, a track title and a handler name that name a device
    // and a person, in each container: ffprobe 2.000, 2.021, 2.008 and 2.0065 s.
    Sample { file: "named-device.m4a", container: Mp4, ms: 2000, names: &["AirPods", "Anna"] },
    Sample { file: "named-device-fragmented.mp4", container: Mp4, ms: 2021, names: &["AirPods", "Anna"] },
    Sample { file: "named-device.webm", container: Webm, ms: 2008, names: &["AirPods", "Anna"] },
    Sample { file: "named-device.ogg", container: Ogg, ms: 2007, names: &["AirPods", "Anna"] },
];

/// Six minutes of silence at the lowest rates, over the 5-minute limit (ffprobe 360.128,
/// 360.008 and 360.0065 s).
const SIX_MINUTES: [(&str, AudioContainer, u64); 3] =
    [("six-minutes-fragmented.mp4", Mp4, 360_128), ("six-minutes.webm", Webm, 360_008), ("six-minutes.ogg", Ogg, 360_007)];

/// How far a measurement may be from ffprobe's: one AAC priming frame (ffprobe leaves it out
/// through the edit list, the sample durations count it: 21.3 ms at 48 kHz) or Opus's
/// pre-skip (6.5 ms). Less than one Opus frame of Chromium's (60 ms) or a discarded padding.
const TOLERANCE_MS: u64 = 25;

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/audio").join(file)
}

fn read(file: &str) -> Vec<u8> {
    std::fs::read(data(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn close(measured: u64, truth: u64) -> bool {
    measured.abs_diff(truth) <= TOLERANCE_MS
}

fn contains(bytes: &[u8], word: &str) -> bool {
    bytes.windows(word.len()).any(|w| w == word.as_bytes())
}

/// Uploads `bytes` as the widget does (one part: every sample is under the widget's 256 KiB
/// part) and completes it.
fn upload(store: &AudioStore, seed: u8, bytes: &[u8]) -> Result<AudioInfo, AudioError> {
    let id = SubmissionId::from_random_bytes([seed; 16]);
    store.put(&id, 0, bytes)?;
    let container = recognise(bytes).ok_or(AudioError::NotAudio)?;
    let expected = AudioRef { length: bytes.len() as u64, sha256: Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect(), container };
    store.complete(&id, &expected)
}

/// A store with the collector's default limits: 5 minutes, a few MB.
fn store(dir: &Path, max_seconds: u32) -> AudioStore {
    AudioStore::open(dir, 8 * 1024 * 1024, max_seconds, u64::MAX).unwrap()
}

#[test]
fn every_engines_recording_is_taken_and_measured_as_ffprobe_measures_it() {
    let mut wrong = Vec::new();
    for sample in &SAMPLES {
        let bytes = read(sample.file);
        assert!(bytes.len() <= 100 * 1024, "{}: a small sample", sample.file);
        assert_eq!(recognise(&bytes), Some(sample.container), "{}", sample.file);
        let measured = duration_ms(sample.container, &bytes);
        if !measured.is_some_and(|ms| close(ms, sample.ms)) {
            wrong.push(format!("{}: measured {measured:?} ms, ffprobe {} ms", sample.file, sample.ms));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The creation time in an MP4's movie header (`moov/mvhd`, version 0 or 1), in seconds.
fn mp4_created(bytes: &[u8]) -> Option<u64> {
    let at = bytes.windows(4).position(|w| w == b"mvhd")? + 4;
    let time = if *bytes.get(at)? == 1 { bytes.get(at + 4..at + 12)? } else { bytes.get(at + 4..at + 8)? };
    Some(time.iter().fold(0, |v, b| (v << 8) | u64::from(*b)))
}

#[test]
fn a_stored_recording_says_no_name_and_plays_as_long_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path(), 300);
    let mut wrong = Vec::new();
    for (seed, sample) in SAMPLES.iter().enumerate() {
        let (file, bytes) = (sample.file, read(sample.file));
        for name in sample.names {
            assert!(contains(&bytes, name), "{file}: made with {name:?} in it");
        }
        if file == "webkit.mp4" {
            assert!(mp4_created(&bytes).is_some_and(|t| t > 0), "WebKit writes when it recorded");
        }
        let info = match upload(&store, seed as u8, &bytes) {
            Ok(info) => info,
            Err(e) => {
                wrong.push(format!("{file}: refused with {e:?}"));
                continue;
            }
        };
        assert_eq!(info.mime, sample.container.mime(), "{file}");
        if !close(info.duration_ms, sample.ms) {
            wrong.push(format!("{file}: stored with {} ms, ffprobe {} ms", info.duration_ms, sample.ms));
        }
        let kept = std::fs::read(store.path(&info)).unwrap();
        assert_eq!(kept.len(), bytes.len(), "{file}: blanked in place");
        for name in sample.names.iter().filter(|name| contains(&kept, name)) {
            wrong.push(format!("{file}: {name:?} is still in the stored file"));
        }
        // WebKit says when it recorded, to the second; the collector keeps no more than the day.
        if sample.container == Mp4 && mp4_created(&kept) != Some(0) {
            wrong.push(format!("{file}: still says when it was made: {:?}", mp4_created(&kept)));
        }
        // Still the same recording to a reader: recognised, and as long as before.
        if recognise(&kept) != Some(sample.container) || duration_ms(sample.container, &kept) != duration_ms(sample.container, &bytes) {
            wrong.push(format!("{file}: reads differently once blanked"));
        }
        // `make-samples.mjs` decodes these copies with ffmpeg (not in CI: no ffmpeg there).
        if let Some(out) = std::env::var_os("STORYPOINT_STRIPPED_DIR") {
            std::fs::write(Path::new(&out).join(file), &kept).unwrap();
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn six_minutes_are_refused_in_every_container() {
    let dir = tempfile::tempdir().unwrap();
    let five = store(&dir.path().join("five"), 300);
    // The same files under a 7-minute limit: refused above for their length, not as broken.
    let seven = store(&dir.path().join("seven"), 420);
    for (seed, (file, container, truth)) in SIX_MINUTES.into_iter().enumerate() {
        let bytes = read(file);
        assert!(bytes.len() <= 100 * 1024, "{file}: a small sample");
        assert_eq!(recognise(&bytes), Some(container), "{file}");
        let measured = duration_ms(container, &bytes);
        assert!(measured.is_some_and(|ms| close(ms, truth)), "{file}: measured {measured:?} ms, ffprobe {truth} ms");
        assert!(matches!(upload(&five, seed as u8, &bytes), Err(AudioError::TooLong(5))), "{file} under the 5-minute limit");
        let info = upload(&seven, seed as u8, &bytes).unwrap_or_else(|e| panic!("{file} under a 7-minute limit: {e:?}"));
        assert!(close(info.duration_ms, truth), "{file}");
    }
    // Only the uploaded parts are there (swept later as unfinished), no recording.
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("five")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(kept.iter().all(|f| f.ends_with(".part")), "nothing kept of a refused recording: {kept:?}");
}

#[test]
fn a_webkit_recording_with_its_last_fragment_repeated_is_not_counted_twice() {
    // WebKit wrote its last `moof` twice (the same decode time): the recording is 2.88 s, not
    // the 3.76 s its runs add up to.
    let bytes = read("webkit.mp4");
    let moofs = bytes.windows(4).filter(|w| w == b"moof").count();
    assert_eq!(moofs, 4, "three fragments, the last one's moof twice");
    assert!(duration_ms(Mp4, &bytes).is_some_and(|ms| ms < 3000));
}

/// The Ogg CRC-32 of a whole page (polynomial 0x04C11DB7), its own checksum field as zeros.
fn ogg_crc(page: &[u8]) -> u32 {
    let mut crc = 0u32;
    for (i, byte) in page.iter().enumerate() {
        crc ^= u32::from(if (22..26).contains(&i) { 0 } else { *byte }) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 { (crc << 1) ^ 0x04C1_1DB7 } else { crc << 1 };
        }
    }
    crc
}

/// An Ogg page of the stream `like` (a page of it whose header is copied) holding `body`.
fn ogg_page_like(like: &[u8], header_type: u8, granule: u64, lacing: &[u8], body: &[u8]) -> Vec<u8> {
    let mut page = like[..27].to_vec();
    page[5] = header_type;
    page[6..14].copy_from_slice(&granule.to_le_bytes());
    page[26] = lacing.len() as u8;
    page.extend_from_slice(lacing);
    page.extend_from_slice(body);
    let crc = ogg_crc(&page);
    page[22..26].copy_from_slice(&crc.to_le_bytes());
    page
}

#[test]
fn an_ogg_comment_header_over_two_pages_is_emptied_on_both() {
    // ffmpeg's Ogg/Opus with a longer comment header in its place, run over two pages (a
    // long comment, or cover art, does so).
    let original = read("named-device.ogg");
    let head_len = 27 + 1 + usize::from(original[27]);
    let tags_len = 27 + usize::from(original[head_len + 26]);
    let tags_len = tags_len + original[head_len + 27..head_len + tags_len].iter().map(|l| usize::from(*l)).sum::<usize>();
    let (head, audio) = (&original[..head_len], &original[head_len + tags_len..]);
    let mut tags = b"OpusTags\x04\0\0\0Lavf\x02\0\0\0".to_vec();
    for comment in ["TITLE=AirPods van Anna".to_string(), format!("COMMENT={}", "Opgenomen door Anna de Vries. ".repeat(12))] {
        tags.extend_from_slice(&(comment.len() as u32).to_le_bytes());
        tags.extend_from_slice(comment.as_bytes());
    }
    assert!(tags.len() > 255 && tags.len() < 510);
    let first = ogg_page_like(head, 0, u64::MAX, &[255], &tags[..255]);
    let second = ogg_page_like(head, 0x01, 0, &[(tags.len() - 255) as u8], &tags[255..]);
    let bytes = [head, &first, &second, audio].concat();
    assert_eq!(duration_ms(Ogg, &bytes), duration_ms(Ogg, &original), "every page valid");

    let dir = tempfile::tempdir().unwrap();
    let info = upload(&store(dir.path(), 300), 1, &bytes).unwrap();
    let kept = std::fs::read(dir.path().join(&info.file)).unwrap();
    assert_eq!(kept.len(), bytes.len());
    for name in ["AirPods", "Anna"] {
        assert!(!contains(&kept, name), "{name:?} is still in the stored file");
    }
    assert!(contains(&kept, "OpusTags\x04\0\0\0Lavf\0\0\0\0"), "the vendor kept, no comment listed");
    // Both pages checked again (a wrong checksum would leave the duration unmeasured).
    assert_eq!(duration_ms(Ogg, &kept), duration_ms(Ogg, &original));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A real recording with a few bytes changed anywhere (sizes, offsets, counts, times),
    /// or cut short: an answer, never a panic, and a stored file of the same length.
    #[test]
    fn changed_real_recordings_are_read_without_panic(which in 0..SAMPLES.len(), changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6), cut in any::<prop::sample::Index>(), cut_it in any::<bool>()) {
        let sample = &SAMPLES[which];
        let mut bytes = read(sample.file);
        for (at, byte) in changes {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        if cut_it {
            bytes.truncate(cut.index(bytes.len()).max(1));
        }
        for container in [Webm, Ogg, Mp4] {
            let _ = duration_ms(container, &bytes);
        }
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path(), 300);
        if let Ok(info) = upload(&store, 1, &bytes) {
            prop_assert_eq!(std::fs::read(store.path(&info)).unwrap().len(), bytes.len());
        }
    }
}
