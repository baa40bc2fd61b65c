//! Spoken stories: the recording store, and the upload over real HTTP against the real binary
//! (parts, retries, gaps, completion, the story that names it, limits, the coordinators'
//! copy, export and deletion).
mod common;

use common::*;
use serde_json::json;
use storypoint_core::{AudioContainer, AudioRef, SubmissionId};
use storypoint_server::audio::{AudioError, AudioStore, Progress, duration_ms, sniff};

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
    let store = AudioStore::open(dir.path(), 1024 * 1024, 300, 5000).unwrap();
    let (a, b, c) = (SubmissionId::from_random_bytes([1; 16]), SubmissionId::from_random_bytes([2; 16]), SubmissionId::from_random_bytes([6; 16]));
    store.put(&a, 0, &[1; 3000]).unwrap();
    assert!(matches!(store.put(&b, 0, &[2; 3000]), Err(AudioError::Full)), "5,000 bytes for all recordings");
    store.delete(&a).unwrap();
    store.put(&b, 0, &[2; 3000]).unwrap();
    store.put(&c, 0, &[3; 1000]).unwrap();
    // b was left a day ago; c is fresh; a story names neither yet.
    let part = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).find(|p| p.to_string_lossy().contains(&b.to_hyphenated())).unwrap();
    std::fs::File::options().write(true).open(&part).unwrap().set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(25 * 3600)).unwrap();
    assert_eq!(store.sweep(std::time::Duration::from_secs(24 * 3600), |_| false).unwrap(), 1);
    assert_eq!(store.progress(&b).unwrap(), Progress::Receiving(0), "the old, unclaimed one is gone");
    assert_eq!(store.progress(&c).unwrap(), Progress::Receiving(1000), "the fresh one stays");
    assert_eq!(store.sweep(std::time::Duration::ZERO, |_| true).unwrap(), 0, "a claimed one always stays");
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
    short.put(&other, 0, text).unwrap();
    assert!(matches!(short.complete(&other, &reference(text)), Err(AudioError::NotAudio)));
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
    assert_eq!(listed["stories"][0]["audio"], format!("/admin/audio/{story_id}"), "{listed}");
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
    put(&server, &id, 0, b"<html>not audio</html>");
    assert_eq!(complete(&server, &id, b"<html>not audio</html>").status, 415);
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
    let csv = server.admin_get("/api/v1/export.csv").text();
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

mod hostile {
    use proptest::prelude::*;
    use storypoint_core::AudioContainer;
    use storypoint_server::audio::{duration_ms, sniff};

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
