//! The wire format of one story as the widget posts it.
use alloc::string::String;

use crate::answer::Answers;
use crate::text::Lang;

/// One story as posted to the collector (see "Wire format" in architecture.md):
/// `{"questionnaire", "version", "submission_id", "link", "lang", "answers"}`, and `"audio"`
/// when the story was spoken in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    /// The questionnaire id the teller answered.
    pub questionnaire: String,
    /// Its version.
    pub version: u32,
    /// The idempotency key: sending the same story twice stores it once.
    pub submission_id: SubmissionId,
    /// The link code from the teller's URL, as given (it may be unknown or malformed;
    /// the story is stored all the same, without a link).
    pub link: Option<String>,
    /// The language the teller used.
    pub lang: Lang,
    /// The answers, untrusted until validated.
    pub answers: Answers,
    /// The recording, when the teller spoke the story in: uploaded first under the same
    /// `submission_id`; the collector accepts the story only when its copy matches.
    pub audio: Option<AudioRef>,
}

/// What a spoken story's recording must be: its length, its SHA-256 and its container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AudioRef {
    /// Bytes.
    pub length: u64,
    /// The SHA-256 of the bytes, 64 lowercase hex digits.
    pub sha256: String,
    /// The container the recording is in.
    pub container: AudioContainer,
}

/// The containers browsers record in (`MediaRecorder`): Opus in WebM or Ogg (Chromium,
/// Firefox), AAC in MP4 (Safari).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudioContainer {
    /// `audio/webm`.
    Webm,
    /// `audio/ogg`.
    Ogg,
    /// `audio/mp4`.
    Mp4,
}

impl AudioContainer {
    /// Reads a MIME type such as `audio/webm;codecs=opus` (parameters are ignored).
    pub fn from_mime(mime: &str) -> Option<AudioContainer> {
        match mime.split(';').next().unwrap_or("").trim() {
            "audio/webm" => Some(AudioContainer::Webm),
            "audio/ogg" => Some(AudioContainer::Ogg),
            "audio/mp4" => Some(AudioContainer::Mp4),
            _ => None,
        }
    }

    /// The MIME type, without parameters.
    pub fn mime(self) -> &'static str {
        match self {
            AudioContainer::Webm => "audio/webm",
            AudioContainer::Ogg => "audio/ogg",
            AudioContainer::Mp4 => "audio/mp4",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            AudioContainer::Webm => "webm",
            AudioContainer::Ogg => "ogg",
            AudioContainer::Mp4 => "m4a",
        }
    }
}

/// Whether `text` is a SHA-256 in 64 lowercase hex digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A UUID version 4 in its hyphenated lowercase form, the idempotency key of a submission.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubmissionId([u8; 16]);

/// Why a string is not a submission id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SubmissionIdError {
    /// Not of the form `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
    #[error("a submission id is a UUID version 4 such as 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b")]
    Malformed,
}

impl SubmissionId {
    /// A version 4 UUID from 16 random bytes (the version and variant bits are set).
    pub fn from_random_bytes(mut bytes: [u8; 16]) -> SubmissionId {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        SubmissionId(bytes)
    }

    /// Reads a hyphenated UUID version 4 (either case).
    pub fn parse(text: &str) -> Result<SubmissionId, SubmissionIdError> {
        let text = text.as_bytes();
        if text.len() != 36 {
            return Err(SubmissionIdError::Malformed);
        }
        let mut bytes = [0u8; 16];
        let mut nibbles = 0;
        for (i, &c) in text.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if c != b'-' {
                    return Err(SubmissionIdError::Malformed);
                }
                continue;
            }
            let digit = char::from(c).to_digit(16).ok_or(SubmissionIdError::Malformed)? as u8;
            bytes[nibbles / 2] |= if nibbles % 2 == 0 { digit << 4 } else { digit };
            nibbles += 1;
        }
        let id = SubmissionId(bytes);
        if SubmissionId::from_random_bytes(bytes) != id {
            return Err(SubmissionIdError::Malformed);
        }
        Ok(id)
    }

    /// The id in hyphenated lowercase form.
    pub fn to_hyphenated(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        out
    }
}

impl core::fmt::Debug for SubmissionId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("SubmissionId").field(&self.to_hyphenated()).finish()
    }
}

impl core::fmt::Display for SubmissionId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_hyphenated())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_v4_parse_and_print() {
        let text = "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b";
        let id = SubmissionId::parse(text).unwrap();
        assert_eq!(id.to_hyphenated(), text);
        assert_eq!(SubmissionId::parse(&text.to_uppercase()), Ok(id));
        let from_bytes = SubmissionId::from_random_bytes([0xff; 16]);
        assert_eq!(SubmissionId::parse(&from_bytes.to_hyphenated()), Ok(from_bytes));
    }

    #[test]
    fn other_strings_are_not_submission_ids() {
        for bad in [
            "",
            "1b4e28ba2fa14d3ba3f5ef19b5a7633b",
            "1b4e28ba-2fa1-1d3b-a3f5-ef19b5a7633b", // version 1
            "1b4e28ba-2fa1-4d3b-03f5-ef19b5a7633b", // wrong variant
            "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633g",
            "1b4e28ba-2fa1-4d3b-a3f5_ef19b5a7633b",
            "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633bb",
        ] {
            assert_eq!(SubmissionId::parse(bad), Err(SubmissionIdError::Malformed), "{bad}");
        }
    }
}
