//! Spoken stories: the recording store, and the upload over real HTTP against the real binary
//! (parts, retries, gaps, completion, the story that names it, limits, the coordinators'
//! copy, export and deletion).
mod common;

use common::*;
use serde_json::json;
use storypoint_core::{AudioContainer, AudioRef, SubmissionId};
use storypoint_server::audio::{AudioError, AudioStore, Progress, duration_ms, recognise, sniff};

fn reference(bytes: &[u8]) -> AudioRef {
    AudioRef { length: bytes.len() as u64, sha256: sha256_hex(bytes), container: AudioContainer::Webm }
}

#[test]
fn webm_duration_is_read_and_tags_are_blanked_on_completion() {
    let bytes = webm(3);
    assert_eq!(sniff(&bytes), Some(AudioContainer::Webm));
    assert_eq!(duration_ms(AudioContainer::Webm, &bytes), Some(3000), "last block at 2980 ms + 20");
    assert_eq!(sniff(b"<html>"), None);
    assert_eq!(sniff(b"ID3\x03 an mp3"), None);
    // A crafted cluster time at the end of the range: a number, not an overflow.
    let mut crafted = webm(1);
    crafted.extend(element(&[0xE7], &[0xFF; 8]));
    crafted.extend(element(&[0xA3], &[0x81, 0x7F, 0xFF, 0x80]));
    assert!(duration_ms(AudioContainer::Webm, &crafted).unwrap() > 300_000, "far too long, so refused");

    let dir = tempfile::tempdir().unwrap();
    let store = AudioStore::open(dir.path(), 1024 * 1024, 300, u64::MAX).unwrap();
    let id = SubmissionId::from_random_bytes([3; 16]);
    store.put(&id, 0, &bytes).unwrap();
    let info = store.complete(&id, &reference(&bytes)).unwrap();
    assert_eq!((info.mime.as_str(), info.duration_ms, info.length), ("audio/webm", 3000, bytes.len() as u64));
    let kept = std::fs::read(store.path(&info)).unwrap();
    assert_eq!(kept.len(), bytes.len(), "same length: a Void element replaces the tags");
    assert!(!kept.windows(4).any(|w| w == b"Anna"), "the tag text is gone");
    assert_eq!(duration_ms(AudioContainer::Webm, &kept), Some(3000), "and it still plays the same");
}

#[test]
fn parts_resume_repeat_and_refuse_gaps_and_changed_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let store = AudioStore::open(dir.path(), 1024 * 1024, 300, u64::MAX).unwrap();
    let id = SubmissionId::from_random_bytes([3; 16]);
    let bytes = webm(2);
    let (a, b) = bytes.split_at(1000);
    assert_eq!(store.put(&id, 0, a).unwrap(), 1000);
    assert_eq!(store.put(&id, 0, a).unwrap(), 1000, "a repeated part changes nothing");
    assert!(matches!(store.put(&id, 1500, b), Err(AudioError::Gap { received: 1000, .. })));
    let mut changed = a.to_vec();
    changed[10] ^= 1;
    assert!(matches!(store.put(&id, 0, &changed), Err(AudioError::Mismatch { .. })));
    assert_eq!(store.put(&id, 900, &bytes[900..]).unwrap(), bytes.len() as u64, "an overlapping part");
    assert_eq!(store.progress(&id).unwrap(), Progress::Receiving(bytes.len() as u64));

    let mut wrong = reference(&bytes);
    wrong.sha256 = "0".repeat(64);
    assert!(matches!(store.complete(&id, &wrong), Err(AudioError::Different { .. })));
    let info = store.complete(&id, &reference(&bytes)).unwrap();
    assert_eq!(store.complete(&id, &reference(&bytes)).unwrap(), info, "completing again is harmless");
    assert!(matches!(store.complete(&id, &wrong), Err(AudioError::Different { .. })));
    assert!(matches!(store.put(&id, 0, b"another recording"), Err(AudioError::Mismatch { .. })), "parts after completion are another recording");
    store.delete(&id).unwrap();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing left after deleting");
    assert_eq!(store.progress(&id).unwrap(), Progress::Receiving(0));
}

#[test]
fn the_folder_has_a_size_limit_and_unclaimed_recordings_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    let one = webm(1);
    let store = AudioStore::open(dir.path(), 1024 * 1024, 300, 2 * one.len() as u64 + 100).unwrap();
    let (a, b, c) = (SubmissionId::from_random_bytes([1; 16]), SubmissionId::from_random_bytes([2; 16]), SubmissionId::from_random_bytes([6; 16]));
    store.put(&a, 0, &webm(2)).unwrap();
    assert!(matches!(store.put(&b, 0, &one), Err(AudioError::Full)), "room for two seconds of recordings");
    store.delete(&a).unwrap();
    store.put(&b, 0, &one).unwrap();
    store.complete(&b, &reference(&one)).unwrap();
    store.put(&c, 0, &one[..1000]).unwrap();
    // Unfinished uploads go after an hour without progress, complete ones after a day.
    let hour = std::time::Duration::from_secs(3600);
    assert_eq!(store.sweep(hour, 24 * hour, |_| false).unwrap(), 0, "all fresh");
    assert_eq!(store.sweep(std::time::Duration::ZERO, 24 * hour, |_| false).unwrap(), 1, "the idle upload");
    assert_eq!(store.progress(&c).unwrap(), Progress::Receiving(0), "the unfinished one is gone");
    assert!(matches!(store.progress(&b).unwrap(), Progress::Complete(_)), "the complete one waits a day for its story");
    assert_eq!(store.sweep(hour, std::time::Duration::ZERO, |_| true).unwrap(), 0, "a claimed one always stays");
    assert_eq!(store.sweep(hour, std::time::Duration::ZERO, |_| false).unwrap(), 1);
    assert_eq!(store.progress(&b).unwrap(), Progress::Receiving(0), "the old, unclaimed one is gone");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    // What is on disk at start counts from the start (its file times say only the day).
    store.put(&c, 0, &one[..1000]).unwrap();
    let reopened = AudioStore::open(dir.path(), 1024 * 1024, 300, u64::MAX).unwrap();
    assert_eq!(reopened.sweep(hour, 24 * hour, |_| false).unwrap(), 0, "not idle for an hour yet");
    assert_eq!(reopened.sweep(std::time::Duration::ZERO, 24 * hour, |_| false).unwrap(), 1);
}

#[test]
fn limits_on_size_length_and_type() {
    let dir = tempfile::tempdir().unwrap();
    let small = AudioStore::open(dir.path(), 4096, 60, u64::MAX).unwrap();
    let id = SubmissionId::from_random_bytes([4; 16]);
    assert!(matches!(small.put(&id, 4000, &[0; 200]), Err(AudioError::TooLarge(_))));
    let short = AudioStore::open(dir.path(), 1024 * 1024, 1, u64::MAX).unwrap();
    let long = webm(12); // 12 s: over 1 s plus 10 s of slack
    short.put(&id, 0, &long).unwrap();
    assert!(matches!(short.complete(&id, &reference(&long)), Err(AudioError::TooLong(_))));
    let other = SubmissionId::from_random_bytes([5; 16]);
    let text = b"<script>not audio</script>";
    assert!(matches!(short.put(&other, 0, text), Err(AudioError::NotAudio)), "refused at the first part");
    assert!(matches!(short.complete(&other, &reference(text)), Err(AudioError::Different { received: 0 })), "nothing was kept");
}

fn put(server: &Server, id: &str, offset: usize, bytes: &[u8]) -> Response {
    request(&server.addr, "PUT", &format!("/api/v1/stories/{id}/audio?offset={offset}"), &[("Content-Type", "application/octet-stream")], bytes)
}

fn complete(server: &Server, id: &str, bytes: &[u8]) -> Response {
    let body = json!({"length": bytes.len(), "sha256": sha256_hex(bytes), "mime": "audio/webm;codecs=opus"});
    server.post_json(&format!("/api/v1/stories/{id}/audio/complete"), &body.to_string())
}

/// A spoken story: no typed text, a title, and the recording's reference.
fn spoken(id: &str, bytes: &[u8]) -> serde_json::Value {
    let mut body = story(id, None);
    body["answers"]["story"] = serde_json::Value::Null;
    body["answers"]["title"] = json!("Ingesproken");
    body["audio"] = json!({"length": bytes.len(), "sha256": sha256_hex(bytes), "mime": "audio/webm"});
    body
}

#[test]
fn a_spoken_story_is_stored_only_with_its_whole_recording() {
    let server = Server::start();
    let id = submission_id();
    let bytes = webm(4);
    // Sending the story first: 409, nothing stored.
    let early = server.post_json("/api/v1/stories", &spoken(&id, &bytes).to_string());
    assert_eq!(early.status, 409, "{}", early.text());
    assert_eq!(early.json()["error"], "audio_incomplete");

    // Parts of 1,000 bytes, one of them twice (a lost reply), one too far ahead.
    let mut offset = 0;
    for part in bytes.chunks(1000) {
        let reply = put(&server, &id, offset, part);
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.json()["received"], offset + part.len());
        offset += part.len();
        if offset == 2000 {
            assert_eq!(put(&server, &id, 1000, &bytes[1000..2000]).json()["received"], 2000, "a repeated part");
            let ahead = put(&server, &id, 3000, &bytes[3000..4000]);
            assert_eq!((ahead.status, ahead.json()["received"].as_u64()), (409, Some(2000)), "resume from 2000");
        }
    }
    let progress = server.get(&format!("/api/v1/stories/{id}/audio")).json();
    assert_eq!((progress["received"].as_u64(), progress["complete"].as_bool()), (Some(bytes.len() as u64), Some(false)));

    assert_eq!(progress["max_seconds"], 300, "the widget learns the limit");
    let mut wrong = bytes.clone();
    wrong[100] ^= 1;
    let refused = complete(&server, &id, &wrong);
    assert_eq!((refused.status, refused.json()["code"].as_str()), (409, Some("different")), "another checksum");
    let done = complete(&server, &id, &bytes);
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.json()["duration_ms"], 4000);
    assert_eq!(done.json()["mime"], "audio/webm");

    let stored = server.post_json("/api/v1/stories", &spoken(&id, &bytes).to_string());
    assert_eq!(stored.status, 201, "{}", stored.text());
    let story_id = stored.json()["id"].as_i64().unwrap();
    let again = server.post_json("/api/v1/stories", &spoken(&id, &bytes).to_string());
    assert_eq!(again.status, 200, "one story, however often it is sent");
    let discard = request(&server.addr, "DELETE", &format!("/api/v1/stories/{id}/audio"), &[], b"");
    assert_eq!(discard.status, 409, "a stored story's recording cannot be discarded by a client");

    // Only the coordinators hear it.
    assert_eq!(server.get(&format!("/admin/audio/{story_id}")).status, 401);
    let heard = server.admin_get(&format!("/admin/audio/{story_id}"));
    assert_eq!(heard.status, 200);
    assert_eq!(heard.header("content-type"), Some("audio/webm"));
    assert_eq!(heard.header("cache-control"), Some("no-store"));
    assert_eq!(heard.body.len(), bytes.len());
    assert!(!heard.body.windows(4).any(|w| w == b"Anna"), "metadata blanked");

    // The insight listing plays it (for a cell of at least 5 alike tellers).
    for _ in 0..5 {
        let other = submission_id();
        put(&server, &other, 0, &bytes);
        complete(&server, &other, &bytes);
        assert_eq!(server.post_json("/api/v1/stories", &spoken(&other, &bytes).to_string()).status, 201);
    }
    let listed = server.admin_get("/api/v1/patterns?view=stories&question=emotion&by=none&value=happy").json();
    // Listings are shuffled (in arrival order the last would be the newest): find it by id.
    let entry = listed["stories"].as_array().unwrap().iter().find(|s| s["id"] == story_id).cloned().unwrap_or_default();
    assert_eq!(entry["audio"], format!("/admin/audio/{story_id}"), "{listed}");
    let auth = format!("Basic {}", base64::Engine::encode(&base64::prelude::BASE64_STANDARD, format!("x:{ADMIN_TOKEN}")));
    let page = request(&server.addr, "GET", "/admin/inzicht?view=stories&question=emotion&by=none&value=happy", &[("Authorization", &auth)], b"").text();
    assert!(page.contains(&format!("<audio controls preload=\"none\" src=\"/admin/audio/{story_id}\"")), "a player on the page");

    let export = server.admin_get("/api/v1/export.json").json();
    let file = export[0]["audio"].as_str().unwrap().to_string();
    assert_eq!(file, format!("{id}.webm"));
    assert!(export[0]["answers"].get("story").is_none());
    assert_eq!(export[0]["answers"]["title"], "Ingesproken");
}

#[test]
fn limits_give_a_413_with_a_clear_message_and_bad_parts_a_4xx() {
    let server = Server::start_with(&["--max-audio-mb", "1"]);
    let id = submission_id();
    let too_big = put(&server, &id, 1024 * 1024 - 10, &[0; 100]);
    assert_eq!(too_big.status, 413);
    assert!(too_big.json()["message"].as_str().unwrap().contains("1 MB"));
    let part_too_big = put(&server, &id, 0, &vec![0; 2 * 1024 * 1024]);
    assert_eq!(part_too_big.status, 413);
    assert_eq!(put(&server, "not-a-uuid", 0, b"x").json()["field"], "submission_id");
    let no_offset = request(&server.addr, "PUT", &format!("/api/v1/stories/{id}/audio"), &[], b"x");
    assert_eq!((no_offset.status, no_offset.json()["field"].as_str()), (400, Some("offset")));
    let html = put(&server, &id, 0, b"<html>not audio</html>");
    assert_eq!((html.status, html.json()["code"].as_str()), (415, Some("not_audio")));
    let preflight = request(
        &server.addr,
        "OPTIONS",
        &format!("/api/v1/stories/{id}/audio"),
        &[("Origin", "https://gemeente.example"), ("Access-Control-Request-Method", "PUT")],
        b"",
    );
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("PUT"), "partner sites may upload");
}

#[test]
fn export_zip_holds_the_recordings_and_deleting_a_story_deletes_its_recording() {
    let server = Server::start();
    let id = submission_id();
    let bytes = webm(2);
    assert_eq!(put(&server, &id, 0, &bytes).status, 200);
    assert_eq!(complete(&server, &id, &bytes).status, 200);
    let story_id = server.post_json("/api/v1/stories", &spoken(&id, &bytes).to_string()).json()["id"].as_i64().unwrap();
    server.post_json("/api/v1/stories", &story(&submission_id(), None).to_string());

    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("verhalen.zip");
    let out = server.cli(&["export", "--format", "zip", "--out", zip_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let zip = std::fs::read(&zip_path).unwrap();
    assert!(zip.starts_with(b"PK\x03\x04"));
    assert!(zip.windows(b"verhalen.csv".len()).any(|w| w == b"verhalen.csv"));
    let name = format!("audio/{id}.webm");
    assert!(zip.windows(name.len()).any(|w| w == name.as_bytes()), "the recording is in the zip");
    let heard = server.admin_get(&format!("/admin/audio/{story_id}")).body;
    assert!(zip.windows(heard.len()).any(|w| w == heard.as_slice()), "stored as is, byte for byte");
    let csv = server.admin_get("/api/v1/export.csv?codes=1").text();
    assert!(csv.lines().next().unwrap().ends_with(";audio"));
    assert!(csv.contains(&format!("audio/{id}.webm")));

    let deleted = server.cli(&["stories", "delete", &story_id.to_string()]);
    assert!(deleted.status.success(), "{}", String::from_utf8_lossy(&deleted.stderr));
    assert_eq!(server.admin_get(&format!("/admin/audio/{story_id}")).status, 404);
    let audio_dir = server.db.with_file_name(format!("{}-audio", server.db.file_stem().unwrap().to_string_lossy()));
    assert!(!std::fs::read_dir(&audio_dir).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains(&id)), "the file is gone");
    assert_eq!(server.admin_get("/api/v1/export.json").json().as_array().unwrap().len(), 1);
    let missing = server.cli(&["stories", "delete", "99999"]);
    assert!(!missing.status.success());
}

#[test]
fn starting_over_discards_the_old_upload_and_a_closed_point_takes_no_recordings() {
    let server = Server::start();
    let id = submission_id();
    let old = webm(3);
    // Another recording: other bytes from the start (here, in its tag).
    let mut new = webm(1);
    let at = new.windows(4).position(|w| w == b"Anna").unwrap();
    new[at..at + 4].copy_from_slice(b"Bram");
    assert_eq!(put(&server, &id, 0, &old[..2000]).status, 200);
    // The teller started over: the new recording's first part does not fit what is here.
    let clash = put(&server, &id, 0, &new[..2000]);
    assert_eq!((clash.status, clash.json()["code"].as_str()), (409, Some("mismatch")));
    assert_eq!(request(&server.addr, "DELETE", &format!("/api/v1/stories/{id}/audio"), &[], b"").status, 204);
    assert_eq!(put(&server, &id, 0, &new).json()["received"], new.len());
    assert_eq!(complete(&server, &id, &new).status, 200);
    assert_eq!(server.post_json("/api/v1/stories", &spoken(&id, &new).to_string()).status, 201);

    // Closed by hand: a teller who was recording may still upload for a day; after that,
    // nothing new.
    assert!(server.cli(&["campaign", "close"]).status.success());
    assert_eq!(put(&server, &submission_id(), 0, &new).status, 200, "a day of grace");
    assert!(server.cli(&["campaign", "open", "--closes-at", "2020-01-01"]).status.success());
    let closed = put(&server, &submission_id(), 0, &new);
    assert_eq!(closed.status, 410, "no new recordings once the Vertelpunt is closed");
}

fn store(dir: &std::path::Path) -> AudioStore {
    AudioStore::open(dir, 1024 * 1024, 300, u64::MAX).unwrap()
}

/// A valid Ogg page `page` again, with its checksum made right after a change.
fn ogg_fix_crc(bytes: &mut [u8]) {
    bytes[22..26].fill(0);
    let segments = bytes[26] as usize;
    let len = 27 + segments + bytes[27..27 + segments].iter().map(|l| *l as usize).sum::<usize>();
    let crc = ogg_crc(&bytes[..len]);
    bytes[22..26].copy_from_slice(&crc.to_le_bytes());
}

#[test]
fn only_the_start_of_a_real_recording_is_taken_as_a_first_part() {
    let (webm, ogg, mp4) = (webm(1), ogg_opus(2), mp4_fragmented(2, None));
    assert_eq!(recognise(&webm), Some(AudioContainer::Webm));
    assert_eq!(recognise(&ogg), Some(AudioContainer::Ogg));
    assert_eq!(recognise(&mp4), Some(AudioContainer::Mp4));
    assert_eq!(recognise(&mp4[..mp4.len() / 2]), Some(AudioContainer::Mp4), "a first part holds the headers");

    let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let mut fakes: Vec<(&str, Vec<u8>)> = vec![("noise", noise.clone())];
    for magic in
        [&b"OggS"[..], b"\0\0\0\x18ftypisom\0\0\0\0isommp41", &[0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x82, 0x84], b"\x1A\x45\xDF\xA3\x87\x42\x82\x84webm"]
    {
        fakes.push(("magic and noise", [magic, &noise].concat()));
    }
    // WebM with a video track only, or a Cluster where its Tracks should be.
    let mut video = webm.clone();
    let track_type = video.windows(3).position(|w| w == [0x83, 0x81, 0x02]).unwrap();
    video[track_type + 2] = 1;
    fakes.push(("webm with a video track", video));
    let tracks_at = webm.windows(4).position(|w| w == [0x16, 0x54, 0xAE, 0x6B]).unwrap();
    let mut untracked = webm.clone();
    untracked[tracks_at..tracks_at + 4].copy_from_slice(&[0x1F, 0x43, 0xB6, 0x75]);
    fakes.push(("webm with a cluster where its tracks should be", untracked));
    // Ogg: a wrong checksum, a version 1 page, a page that does not begin the stream.
    let mut crc = ogg.clone();
    crc[40] ^= 1;
    fakes.push(("ogg with a wrong checksum", crc));
    let mut version = ogg.clone();
    version[4] = 1;
    ogg_fix_crc(&mut version);
    fakes.push(("ogg page of version 1", version));
    let mut middle = ogg.clone();
    middle[5] = 0;
    ogg_fix_crc(&mut middle);
    fakes.push(("ogg without the stream's start", middle));
    let mut no_opus = ogg.clone();
    no_opus[28..36].copy_from_slice(b"OpusHeaD");
    ogg_fix_crc(&mut no_opus);
    fakes.push(("ogg of another codec", no_opus));
    // MP4: a video handler, a sample entry that is not audio, moof before moov, junk brand.
    let replace = |from: &[u8], to: &[u8]| {
        let mut bytes = mp4.clone();
        let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
        bytes[at..at + to.len()].copy_from_slice(to);
        bytes
    };
    fakes.push(("mp4 with a video track", replace(b"soun", b"vide")));
    fakes.push(("mp4 with a video sample entry", replace(b"mp4a", b"avc1")));
    fakes.push(("mp4 of an unknown brand", replace(b"iso5\0\0\x02\0iso5iso6mp41", b"zzzz\0\0\x02\0zzzzzzzzzzzz")));
    fakes.push(("mp4 without its moov", replace(b"moov", b"moof")));

    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    for (what, bytes) in fakes {
        assert_eq!(recognise(&bytes), None, "{what}");
        let id = SubmissionId::from_random_bytes([9; 16]);
        assert!(matches!(store.put(&id, 0, &bytes), Err(AudioError::NotAudio)), "{what}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing was written");
}

#[test]
fn durations_are_measured_in_every_container_and_unmeasurable_ones_refused() {
    assert_eq!(duration_ms(AudioContainer::Ogg, &ogg_opus(3)), Some(3000), "granule minus pre-skip");
    assert_eq!(duration_ms(AudioContainer::Mp4, &mp4_fragmented(3, None)), Some(3000), "trex, tfhd and trun durations");
    assert_eq!(duration_ms(AudioContainer::Mp4, &mp4_fragmented(4, None)), Some(4000));

    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let complete = |seed: u8, bytes: &[u8]| {
        let id = SubmissionId::from_random_bytes([seed; 16]);
        store.put(&id, 0, bytes).unwrap();
        let mut expected = reference(bytes);
        expected.container = sniff(bytes).unwrap();
        store.complete(&id, &expected)
    };
    // Ogg Vorbis (Firefox when asked): granule positions at the identification header's rate.
    let mut identification = b"\x01vorbis\0\0\0\0\x01".to_vec();
    identification.extend_from_slice(&44_100u32.to_le_bytes());
    identification.extend_from_slice(&[0; 12]);
    identification.extend_from_slice(&[0xB8, 0x01]);
    let vorbis = [ogg_page(0x02, 0, 0, &[&identification]), ogg_page(0x04, 88_200, 1, &[&[0x33; 100]])].concat();
    assert_eq!(recognise(&vorbis), Some(AudioContainer::Ogg));
    assert_eq!(duration_ms(AudioContainer::Ogg, &vorbis), Some(2000));
    let ogg = complete(1, &ogg_opus(3)).unwrap();
    assert_eq!((ogg.mime.as_str(), ogg.duration_ms), ("audio/ogg", 3000));
    let mp4 = complete(2, &mp4_fragmented(3, None)).unwrap();
    assert_eq!((mp4.mime.as_str(), mp4.duration_ms, mp4.file.ends_with(".m4a")), ("audio/mp4", 3000, true));
    // Six minutes, fragmented: refused like any other recording over five minutes.
    assert!(matches!(complete(3, &mp4_fragmented(360, None)), Err(AudioError::TooLong(5))));
    // Headers and no audio: no length to check, so no recording.
    let ogg_headers = ogg_opus(1);
    let header_pages = &ogg_headers[..(27 + 1 + 19) + (27 + 1 + 23)]; // OpusHead, OpusTags
    assert_eq!(recognise(header_pages), Some(AudioContainer::Ogg));
    assert!(matches!(complete(4, header_pages), Err(AudioError::NoDuration)), "ogg without audio pages");
    assert!(matches!(complete(5, &mp4_fragmented(0, None)), Err(AudioError::NoDuration)), "mp4 without fragments");
    let whole = webm(1);
    let webm_headers = &whole[..whole.windows(4).position(|w| w == [0x1F, 0x43, 0xB6, 0x75]).unwrap()];
    assert!(matches!(complete(6, webm_headers), Err(AudioError::NoDuration)), "webm without blocks");
    // A broken page in the middle: not measured, refused.
    let mut broken = ogg_opus(3);
    let at = broken.len() - 100;
    broken[at] ^= 0xFF;
    assert!(matches!(complete(7, &broken), Err(AudioError::NoDuration)));
}

#[test]
fn metadata_nested_in_mp4_boxes_is_blanked() {
    let bytes = mp4_fragmented(2, Some("AirPods van Sanne"));
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let id = SubmissionId::from_random_bytes([7; 16]);
    store.put(&id, 0, &bytes).unwrap();
    let info = store.complete(&id, &reference(&bytes)).unwrap();
    let kept = std::fs::read(store.path(&info)).unwrap();
    assert_eq!(kept.len(), bytes.len(), "same length: the box became `free`");
    assert!(bytes.windows(7).any(|w| w == b"AirPods"));
    assert!(!kept.windows(7).any(|w| w == b"AirPods"), "the microphone's name in moov/trak/udta is gone");
    assert!(!kept.windows(4).any(|w| w == b"udta"));
    assert_eq!(duration_ms(AudioContainer::Mp4, &kept), Some(2000), "and it still plays the same");
    assert_eq!(recognise(&kept), Some(AudioContainer::Mp4));
}

#[test]
fn unfinished_recordings_count_against_their_client() {
    let dir = tempfile::tempdir().unwrap();
    let recording = webm(60);
    // One recording at most 1.5 times this one: a client holds 3 of them unfinished at most.
    let store = AudioStore::open(dir.path(), recording.len() as u64 * 3 / 2 + 1, 300, u64::MAX).unwrap();
    let (junk, honest) =
        (storypoint_server::limits::ClientKey::of("192.0.2.1".parse().unwrap()), storypoint_server::limits::ClientKey::of("192.0.2.2".parse().unwrap()));
    let ids: Vec<SubmissionId> = (0..5u8).map(|i| SubmissionId::from_random_bytes([20 + i; 16])).collect();
    for id in &ids[..3] {
        store.put_from(id, 0, &recording, Some(junk)).unwrap();
    }
    let refused = store.put_from(&ids[3], 0, &recording, Some(junk)).unwrap_err();
    let AudioError::Unfinished { retry_after_secs, held_mb } = refused else { panic!("{refused:?}") };
    assert!((60..=3600 + 300).contains(&retry_after_secs), "{retry_after_secs}");
    assert!(held_mb >= 1);
    assert_eq!(refused.code(), "unfinished");
    // Even a small first part: the share is full.
    let (a, b) = recording.split_at(1000);
    store.put_from(&ids[4], 0, a, Some(honest)).unwrap();
    assert!(matches!(store.put_from(&ids[3], 0, a, Some(junk)), Err(AudioError::Unfinished { .. })));
    // Another client is not held up.
    assert_eq!(store.put_from(&ids[4], 1000, b, Some(honest)).unwrap(), recording.len() as u64);
    // Completing (or discarding) one makes room again.
    store.complete(&ids[0], &reference(&recording)).unwrap();
    store.put_from(&ids[3], 0, &recording, Some(junk)).unwrap();
    store.delete(&ids[1]).unwrap();
    // In-process (no client) is not limited per client.
    store.put(&SubmissionId::from_random_bytes([30; 16]), 0, &recording).unwrap();
}

#[test]
fn junk_cannot_fill_the_recordings_folder() {
    let server = Server::start_with(&["--max-audio-total-mb", "3"]);
    let mut noise = vec![0u8; 1024 * 1024];
    for (i, b) in noise.iter_mut().enumerate() {
        *b = ((i as u32).wrapping_mul(2_654_435_761) >> 11) as u8;
    }
    for magic in [&b""[..], b"OggS", b"\0\0\0\x14ftypM4A \0\0\0\0M4A "] {
        let junk = [magic, &noise[magic.len()..]].concat();
        let refused = put(&server, &submission_id(), 0, &junk);
        assert_eq!((refused.status, refused.json()["code"].as_str()), (415, Some("not_audio")), "{}", refused.text());
    }
    // An honest recording of 69 KB still goes in, and its story with it.
    let id = submission_id();
    let bytes = webm(30);
    assert!((60_000..80_000).contains(&bytes.len()), "{}", bytes.len());
    for (n, part) in bytes.chunks(16 * 1024).enumerate() {
        assert_eq!(put(&server, &id, n * 16 * 1024, part).status, 200);
    }
    let done = complete(&server, &id, &bytes);
    assert_eq!((done.status, done.json()["duration_ms"].as_u64()), (200, Some(30_000)), "{}", done.text());
    let stored = server.post_json("/api/v1/stories", &spoken(&id, &bytes).to_string());
    assert_eq!(stored.status, 201, "{}", stored.text());
}

#[test]
fn a_client_holding_too_many_unfinished_recordings_hears_429_with_retry_after() {
    // One recording at most 1 MB: a client holds 2 MB of unfinished ones, each counted as at
    // least 64 KiB (so 32 of them).
    let server = Server::start_with(&["--max-audio-mb", "1"]);
    let start = webm(1);
    for n in 0..32 {
        let reply = put(&server, &submission_id(), 0, &start);
        assert_eq!(reply.status, 200, "recording {n}: {}", reply.text());
    }
    let refused = put(&server, &submission_id(), 0, &start);
    assert_eq!((refused.status, refused.json()["code"].as_str()), (429, Some("unfinished")), "{}", refused.text());
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((3600..=3900).contains(&retry), "{retry}");
    assert!(refused.json()["message"].as_str().unwrap().contains("complete or discard"));
}

#[test]
fn recordings_keep_only_the_day_on_disk_and_play_back_as_a_download() {
    let server = Server::start();
    let id = submission_id();
    let bytes = mp4_fragmented(3, Some("AirPods van Sanne"));
    let (a, b) = bytes.split_at(bytes.len() / 2);
    assert_eq!(put(&server, &id, 0, a).status, 200);
    let unfinished = submission_id();
    assert_eq!(put(&server, &unfinished, 0, a).status, 200);
    assert_eq!(put(&server, &id, a.len(), b).status, 200);
    let body = json!({"length": bytes.len(), "sha256": sha256_hex(&bytes), "mime": "audio/mp4"});
    let done = server.post_json(&format!("/api/v1/stories/{id}/audio/complete"), &body.to_string());
    assert_eq!((done.status, done.json()["duration_ms"].as_u64()), (200, Some(3000)), "{}", done.text());
    let mut story = spoken(&id, &bytes);
    story["audio"]["mime"] = json!("audio/mp4");
    let stored = server.post_json("/api/v1/stories", &story.to_string());
    assert_eq!(stored.status, 201, "{}", stored.text());
    let story_id = stored.json()["id"].as_i64().unwrap();

    let heard = server.admin_get(&format!("/admin/audio/{story_id}"));
    assert_eq!(heard.status, 200);
    assert_eq!(heard.header("content-type"), Some("audio/mp4"));
    assert_eq!(heard.header("content-disposition"), Some(format!("attachment; filename=\"verhaal-{story_id}.m4a\"").as_str()));
    assert_eq!(heard.header("cross-origin-resource-policy"), Some("same-origin"));
    assert!(!heard.body.windows(7).any(|w| w == b"AirPods"));

    // Part, recording and facts: times of the day only, also after being read.
    let files: Vec<_> = std::fs::read_dir(&server.audio_dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 3, "{files:?}");
    for file in files {
        let meta = std::fs::metadata(&file).unwrap();
        for time in [meta.modified().unwrap(), meta.accessed().unwrap()] {
            let since = time.duration_since(std::time::UNIX_EPOCH).unwrap();
            assert_eq!((since.as_secs() % 86_400, since.subsec_nanos()), (0, 0), "{} keeps {since:?}", file.display());
        }
    }
}

mod hostile {
    use proptest::prelude::*;
    use storypoint_core::AudioContainer;
    use storypoint_server::audio::{duration_ms, recognise, sniff};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Any bytes, and a recording with a stretch replaced (huge sizes, timecodes, boxes):
        /// an answer, never a panic or an endless loop.
        #[test]
        fn any_bytes_are_measured_without_panic(noise in prop::collection::vec(any::<u8>(), 0..400), at in 0usize..3000, with in prop::collection::vec(any::<u8>(), 1..16)) {
            for container in [AudioContainer::Webm, AudioContainer::Ogg, AudioContainer::Mp4] {
                let _ = duration_ms(container, &noise);
            }
            let _ = sniff(&noise);
            let _ = recognise(&noise);
            for start in [super::ogg_opus(2), super::mp4_fragmented(2, None)] {
                let mut mangled = start;
                let at = at.min(mangled.len() - 1);
                let end = (at + with.len()).min(mangled.len());
                mangled.splice(at..end, with.iter().copied());
                let _ = recognise(&mangled);
                let _ = duration_ms(AudioContainer::Ogg, &mangled);
                let _ = duration_ms(AudioContainer::Mp4, &mangled);
            }
            let mut mangled = super::webm(2);
            let at = at.min(mangled.len() - 1);
            let end = (at + with.len()).min(mangled.len());
            mangled.splice(at..end, with.iter().copied());
            let _ = duration_ms(AudioContainer::Webm, &mangled);
            let mut mp4 = b"\0\0\0\x14ftypM4A \0\0\0\0M4A \0\0\0\x6cmoov\0\0\0\x64mvhd".to_vec();
            mp4.extend_from_slice(&noise);
            let _ = duration_ms(AudioContainer::Mp4, &mp4);
        }
    }
}
