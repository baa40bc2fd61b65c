//! The admin token: from `STORYPOINT_ADMIN_TOKEN`, or generated at first start and stored
//! only as a SHA-256 hash. Compared in constant time.
use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::store::{Store, StoreError};

/// The shortest admin token accepted: a guessable token would open every story.
pub const MIN_TOKEN_CHARS: usize = 20;

/// Why the admin token cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// `STORYPOINT_ADMIN_TOKEN` is too short to resist guessing.
    #[error(
        "STORYPOINT_ADMIN_TOKEN is {0} characters long; use at least {MIN_TOKEN_CHARS} random characters \
         (`storypoint token` prints a fresh one; or leave it unset and the collector makes one)"
    )]
    TooShort(usize),
    /// The stored token could not be read or kept.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The settings key of the generated token's hash.
const HASH_KEY: &str = "admin_token_sha256";

/// What the admin token must hash to.
#[derive(Clone)]
pub struct AdminToken {
    hash: Vec<u8>,
}

impl AdminToken {
    /// The token whose plain text is `token`.
    pub fn from_token(token: &str) -> AdminToken {
        AdminToken { hash: Sha256::digest(token.as_bytes()).to_vec() }
    }

    /// Whether `presented` is the token (constant time in the token's content).
    pub fn verify(&self, presented: &str) -> bool {
        let presented = Sha256::digest(presented.as_bytes());
        bool::from(self.hash.as_slice().ct_eq(presented.as_slice()))
    }

    /// Whether an `Authorization` header value carries the token: `Bearer TOKEN` (the
    /// dashboard's scripts, the API) or HTTP Basic with the token as the password and any
    /// user name (the browser's own login prompt, so the insight pages need no script
    /// and no cookie).
    pub fn verify_header(&self, header: Option<&str>) -> bool {
        presented(header).is_some_and(|token| self.verify(&token))
    }

    /// The token's hash as hex, to store.
    pub fn hash_hex(&self) -> String {
        to_hex(&self.hash)
    }

    /// The token whose hash (hex, as stored) this is.
    pub fn from_hash_hex(hex: &str) -> Option<AdminToken> {
        from_hex(hex).filter(|hash| hash.len() == 32).map(|hash| AdminToken { hash })
    }

    /// A new random token: its text (to show once) and the token (to keep as a hash).
    pub fn generate() -> (String, AdminToken) {
        let mut bytes = [0u8; 24];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        let token = to_hex(&bytes);
        let admin = AdminToken::from_token(&token);
        (token, admin)
    }
}

/// The token an `Authorization` header carries: `Bearer TOKEN`, or HTTP Basic with the token
/// as the password.
pub fn presented(header: Option<&str>) -> Option<String> {
    let value = header?;
    if let Some(token) = value.strip_prefix("Bearer ") {
        return Some(token.trim().to_string());
    }
    let decoded = BASE64_STANDARD.decode(value.strip_prefix("Basic ")?.trim()).ok()?;
    let pair = String::from_utf8(decoded).ok()?;
    pair.split_once(':').map(|(_, password)| password.to_string())
}

/// The token to use: `from_env` when set (nothing is stored); else the stored hash; else a
/// new random token, stored as a hash and returned as text so it can be shown once.
pub fn load_or_create(store: &dyn Store, from_env: Option<&str>) -> Result<(AdminToken, Option<String>), TokenError> {
    if let Some(token) = from_env.map(str::trim).filter(|t| !t.is_empty()) {
        let length = token.chars().count();
        if length < MIN_TOKEN_CHARS {
            return Err(TokenError::TooShort(length));
        }
        return Ok((AdminToken::from_token(token), None));
    }
    // Always offer a new token and keep the first one stored: a collector restarting, and
    // several collectors starting at once on one database, then take one path and agree.
    let (token, admin) = AdminToken::generate();
    let stored = store.add_setting(HASH_KEY, &admin.hash_hex())?;
    match from_hex(&stored) {
        Some(hash) if hash != admin.hash => Ok((AdminToken { hash }, None)),
        _ => Ok((admin, Some(token))),
    }
}

/// Bytes as lowercase hex.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lowercase or uppercase hex as bytes (`None` when it is not hex).
pub(crate) fn from_hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len()).step_by(2).map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_themselves() {
        let admin = AdminToken::from_token("geheim");
        assert!(admin.verify("geheim"));
        assert!(!admin.verify("Geheim"));
        assert!(!admin.verify(""));
        assert!(admin.verify_header(Some("Bearer geheim")));
        assert!(!admin.verify_header(Some("geheim")));
        assert!(!admin.verify_header(Some("Basic geheim")), "not base64 of user:password");
        assert!(admin.verify_header(Some(&format!("Basic {}", BASE64_STANDARD.encode("coordinator:geheim")))));
        assert!(admin.verify_header(Some(&format!("Basic {}", BASE64_STANDARD.encode(":geheim")))));
        assert!(!admin.verify_header(Some(&format!("Basic {}", BASE64_STANDARD.encode("geheim:fout")))));
        assert!(!admin.verify_header(None));
        assert_eq!(from_hex(&to_hex(&[0, 1, 254, 255])), Some(vec![0, 1, 254, 255]));
    }
}
