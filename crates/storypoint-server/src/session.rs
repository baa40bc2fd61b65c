//! A coordinator's session in the browser: after logging in with a token on `/admin/login`,
//! a cookie (`HttpOnly`, `SameSite=Strict`, `Secure` behind TLS) that lasts a working day
//! and ends with "Uitloggen". The cookie is signed, not stored: every collector on one
//! database reads it with the same key (kept in the store's settings), and it names the
//! token it was opened with by a fingerprint, so replacing a token ends its sessions.
//!
//! Forms that change something are POSTs carrying [`csrf`] (derived from the cookie), and a
//! POST from another site is refused ([`same_site`]). Tellers never get a cookie: only a
//! successful login sets one.
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue, header};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::auth::{from_hex, to_hex};
use crate::rights::Access;
use crate::store::{Store, StoreError};

/// The cookie's name.
pub const COOKIE: &str = "storypoint_beheer";

/// How long a session lasts: a working day.
pub const LIFETIME: Duration = Duration::from_secs(9 * 3600);

/// The settings key of the signing key.
const KEY_SETTING: &str = "session_key";

/// The key that signs session cookies (shared by every collector on one database).
#[derive(Clone)]
pub struct SessionKey([u8; 32]);

impl SessionKey {
    /// The stored key, or a new random one stored now (the first collector's wins).
    pub fn load_or_create(store: &dyn Store) -> Result<SessionKey, StoreError> {
        let mut fresh = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
        let stored = store.add_setting(KEY_SETTING, &to_hex(&fresh))?;
        let mut key = [0u8; 32];
        match from_hex(&stored) {
            Some(bytes) if bytes.len() == 32 => key.copy_from_slice(&bytes),
            _ => key = fresh,
        }
        Ok(SessionKey(key))
    }

    /// A key for tests.
    pub fn from_bytes(bytes: [u8; 32]) -> SessionKey {
        SessionKey(bytes)
    }

    fn mac(&self, purpose: &str, text: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(text.as_bytes());
        to_hex(&mac.finalize().into_bytes())
    }

    /// A new session's cookie value for `access`, opened with the token whose fingerprint is
    /// `token` (see [`fingerprint`]), valid until `LIFETIME` from `now`.
    pub fn issue(&self, access: &Access, token: &str, now: SystemTime) -> String {
        let expires = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) + LIFETIME.as_secs();
        let who = match access {
            Access::All => "all".to_string(),
            Access::Campaign(slug) => format!("c:{slug}"),
        };
        let body = format!("v1|{who}|{expires}|{token}");
        let mac = self.mac("session", &body);
        format!("{body}|{mac}").replace('|', ".")
    }

    /// The session a cookie value holds, when it is ours and not expired: the access and
    /// the fingerprint of the token it was opened with.
    pub fn read(&self, value: &str, now: SystemTime) -> Option<(Access, String)> {
        let (body, mac) = value.rsplit_once('.')?;
        let expected = self.mac("session", &body.replace('.', "|"));
        if !bool::from(expected.as_bytes().ct_eq(mac.as_bytes())) {
            return None;
        }
        let mut parts = body.split('.');
        let (version, who, expires, token) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let now = now.duration_since(UNIX_EPOCH).map_or(u64::MAX, |d| d.as_secs());
        if version != "v1" || parts.next().is_some() || expires.parse::<u64>().ok()? <= now {
            return None;
        }
        let access = match who {
            "all" => Access::All,
            other => Access::Campaign(other.strip_prefix("c:")?.to_string()),
        };
        Some((access, token.to_string()))
    }

    /// The form token of the session whose cookie value is `cookie`: every form that changes
    /// something carries it, so another site cannot make the browser send one.
    pub fn csrf(&self, cookie: &str) -> String {
        self.mac("csrf", cookie)[..32].to_string()
    }

    /// Whether `presented` is the form token of the session `cookie`.
    pub fn csrf_matches(&self, cookie: &str, presented: &str) -> bool {
        bool::from(self.csrf(cookie).as_bytes().ct_eq(presented.as_bytes()))
    }
}

/// A token's fingerprint as a session names it: the first 16 hex digits of its SHA-256
/// hash (the stored hash of a campaign's token, or the admin token's), so a replaced token
/// no longer opens the sessions of the old one.
pub fn fingerprint(hash_hex: &str) -> String {
    hash_hex.chars().take(16).collect()
}

/// The session cookie's value in a request, if it sent one.
pub fn cookie(headers: &HeaderMap) -> Option<String> {
    named_cookie(headers, COOKIE)
}

/// The value of the cookie `name` in a request (every `Cookie` header read), if it sent one.
pub fn named_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.to_string())
}

/// The `Set-Cookie` that starts a session (`secure`: the page was served over TLS).
pub fn set_cookie(value: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{COOKIE}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{secure}", LIFETIME.as_secs());
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("storypoint_beheer=; Max-Age=0"))
}

/// The `Set-Cookie` that ends a session.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static("storypoint_beheer=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure")
    } else {
        HeaderValue::from_static("storypoint_beheer=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
    }
}

/// Whether a request that changes something comes from our own pages: not marked
/// cross-site by the browser, and, when it names its origin, from this host.
pub fn same_site(headers: &HeaderMap) -> bool {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if text(header::HeaderName::from_static("sec-fetch-site")).is_some_and(|site| site != "same-origin" && site != "none") {
        return false;
    }
    let fetch_site = text(header::HeaderName::from_static("sec-fetch-site"));
    match (text(header::ORIGIN), text(header::HOST)) {
        // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` with their own
        // forms: then only the browser's own word that the form is ours counts.
        (Some("null"), _) => fetch_site == Some("same-origin"),
        (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, rest)| rest == host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_reads_back_until_it_expires_and_cannot_be_forged() {
        let key = SessionKey::from_bytes([7; 32]);
        let now = SystemTime::now();
        let cookie = key.issue(&Access::Campaign("twente".into()), "abcdef0123456789", now);
        assert_eq!(key.read(&cookie, now), Some((Access::Campaign("twente".into()), "abcdef0123456789".into())));
        assert_eq!(key.read(&cookie, now + LIFETIME), None, "a working day, then no more");
        let forged = cookie.replace("c:twente", "all");
        assert_eq!(key.read(&forged, now), None, "another access needs another signature");
        assert_eq!(SessionKey::from_bytes([8; 32]).read(&cookie, now), None, "another collector's key");
        assert_eq!(key.read("rubbish", now), None);
        let all = key.issue(&Access::All, "0123", now);
        assert_eq!(key.read(&all, now).map(|(access, _)| access), Some(Access::All));
    }

    #[test]
    fn the_form_token_belongs_to_its_session() {
        let key = SessionKey::from_bytes([7; 32]);
        let one = key.issue(&Access::All, "x", SystemTime::now());
        let other = key.issue(&Access::Campaign("noord".into()), "x", SystemTime::now());
        assert!(key.csrf_matches(&one, &key.csrf(&one)));
        assert!(!key.csrf_matches(&one, &key.csrf(&other)));
        assert!(!key.csrf_matches(&one, ""));
    }

    #[test]
    fn the_cookie_is_strict_and_http_only() {
        let set = set_cookie("abc", true);
        let set = set.to_str().unwrap();
        for part in ["storypoint_beheer=abc", "HttpOnly", "SameSite=Strict", "Secure", "Max-Age=32400", "Path=/"] {
            assert!(set.contains(part), "{set}");
        }
        assert!(!set_cookie("abc", false).to_str().unwrap().contains("Secure"));
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; storypoint_beheer=v1.all.9.x.y; b=2"));
        assert_eq!(cookie(&headers).as_deref(), Some("v1.all.9.x.y"));
    }

    #[test]
    fn a_post_from_another_site_is_not_ours() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        let cases: [(&[(&str, &str)], bool); 9] = [
            (&[("host", "verhalen.example"), ("origin", "null"), ("sec-fetch-site", "same-origin")], true),
            (&[("host", "verhalen.example"), ("origin", "null")], false),
            (&[("host", "verhalen.example"), ("origin", "null"), ("sec-fetch-site", "cross-site")], false),
            (&[("host", "verhalen.example"), ("origin", "https://verhalen.example")], true),
            (&[("host", "verhalen.example"), ("origin", "https://evil.example")], false),
            (&[("host", "verhalen.example"), ("sec-fetch-site", "cross-site")], false),
            (&[("host", "verhalen.example"), ("sec-fetch-site", "same-site")], false),
            (&[("host", "verhalen.example"), ("sec-fetch-site", "same-origin"), ("origin", "http://verhalen.example")], true),
            (&[("host", "verhalen.example")], true),
        ];
        for (pairs, ours) in cases {
            assert_eq!(same_site(&headers(pairs)), ours, "{pairs:?}");
        }
    }
}
