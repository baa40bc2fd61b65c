//! Link codes: one per row of a campaign's link table, carried in a teller's URL as `?sp=CODE`.
use alloc::string::String;
use alloc::vec::Vec;

use crate::contract::ORGANISATION;
use crate::prefill::{Prefill, Prefilled};
use crate::questionnaire::Questionnaire;

/// The characters of a link code: URL-safe, without look-alikes (`0 O o 1 l I i`), so a
/// code read aloud or from a poster is copied right.
const ALPHABET: &[u8; 55] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/// How many characters a code has: 55^8 ≈ 8·10^13 codes, too many to guess.
const LENGTH: usize = 8;

/// A link code such as `k7Q2xd9a`: exactly 8 characters from an unambiguous URL-safe
/// alphabet. A value of this type is always a well-formed code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkCode([u8; LENGTH]);

/// Why a string is not a link code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkCodeError {
    /// Not 8 characters long.
    #[error("a link code has 8 characters, this one has {0}")]
    WrongLength(usize),
    /// A character outside the alphabet.
    #[error("a link code has only letters and digits without look-alikes; `{0}` is not one of them")]
    BadCharacter(char),
}

impl LinkCode {
    /// A new random code. Pass a cryptographically secure generator (the type demands
    /// [`rand_core::CryptoRng`]) so codes cannot be predicted from one another.
    pub fn generate<R: rand_core::RngCore + rand_core::CryptoRng>(rng: &mut R) -> LinkCode {
        let mut code = [0u8; LENGTH];
        for slot in &mut code {
            // Rejection sampling keeps every character equally likely.
            *slot = loop {
                let byte = (rng.next_u32() & 0xff) as usize;
                if byte < ALPHABET.len() * (256 / ALPHABET.len()) {
                    break ALPHABET[byte % ALPHABET.len()];
                }
            };
        }
        LinkCode(code)
    }

    /// Reads a code; anything but 8 characters of the alphabet is rejected.
    pub fn parse(text: &str) -> Result<LinkCode, LinkCodeError> {
        let length = crate::interpret::char_count(text);
        if length != LENGTH {
            return Err(LinkCodeError::WrongLength(length));
        }
        if let Some(bad) = text.chars().find(|c| !c.is_ascii() || !ALPHABET.contains(&(*c as u8))) {
            return Err(LinkCodeError::BadCharacter(bad));
        }
        let mut code = [0u8; LENGTH];
        code.copy_from_slice(text.as_bytes());
        Ok(LinkCode(code))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only alphabet bytes (ASCII) are ever stored.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl core::fmt::Debug for LinkCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("LinkCode").field(&self.as_str()).finish()
    }
}

impl core::fmt::Display for LinkCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for LinkCode {
    type Err = LinkCodeError;
    fn from_str(text: &str) -> Result<LinkCode, LinkCodeError> {
        LinkCode::parse(text)
    }
}

/// One row of a link table: a code, the organisation it was made for, and what it prefills.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkEntry {
    /// The code in the teller's URL.
    pub code: LinkCode,
    /// The organisation's name, as the coordinator wrote it.
    pub organisation: String,
    /// Question id and value pairs the link fills in (e.g. `organisation_type=school`).
    pub prefill: Vec<(String, String)>,
}

impl LinkEntry {
    /// The prefill of this link for `questionnaire`: its pairs, plus the organisation's
    /// name as the answer to a prefillable `organisation` question when the pairs do not
    /// set one. What does not fit is dropped with a warning.
    pub fn prefill(&self, questionnaire: &Questionnaire) -> Prefilled {
        let mut pairs: Vec<(&str, &str)> = self.prefill.iter().map(|(id, value)| (id.as_str(), value.as_str())).collect();
        let names_organisation = pairs.iter().any(|(id, _)| *id == ORGANISATION);
        let takes_organisation = questionnaire.question(ORGANISATION).is_some_and(|q| q.prefillable);
        if !names_organisation && takes_organisation && !self.organisation.trim().is_empty() {
            pairs.push((ORGANISATION, self.organisation.as_str()));
        }
        Prefill::from_pairs(questionnaire, pairs)
    }
}

/// A campaign's links: as JSON, an array of `{"code", "organisation", "prefill": {id: value}}`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LinkTable {
    /// The rows, in the coordinator's order.
    pub entries: Vec<LinkEntry>,
}

impl LinkTable {
    /// The row of this code.
    pub fn get(&self, code: &LinkCode) -> Option<&LinkEntry> {
        self.entries.iter().find(|e| &e.code == code)
    }

    /// The row of a code as found in a URL; `None` when it is malformed or unknown.
    pub fn find(&self, code: &str) -> Option<&LinkEntry> {
        LinkCode::parse(code.trim()).ok().and_then(|code| self.get(&code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet_has_no_look_alikes_and_no_repeats() {
        for confusing in [b'0', b'O', b'o', b'1', b'l', b'I', b'i'] {
            assert!(!ALPHABET.contains(&confusing), "{}", confusing as char);
        }
        for (i, c) in ALPHABET.iter().enumerate() {
            assert!(!ALPHABET[i + 1..].contains(c));
            assert!(c.is_ascii_alphanumeric());
        }
    }
}
