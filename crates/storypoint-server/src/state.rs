//! What every handler shares: the store, the questionnaires, the tokens, the limits.
use std::sync::Arc;

use axum::http::HeaderMap;
use storypoint_core::diff::History;

use crate::audio::AudioStore;
use crate::auth::AdminToken;
use crate::store::Store;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Where stories, links and settings live.
    pub store: Arc<dyn Store>,
    /// The questionnaire new stories are told in, and the older versions the collector
    /// served: a story is validated against the version it was told in.
    pub history: Arc<History>,
    /// The admin token's hash.
    pub admin: AdminToken,
    /// The largest story body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The campaign this collector serves.
    pub campaign: String,
    /// The widget bundle served at `/storypoint/`.
    pub bundle: Arc<crate::bundle::Bundle>,
    /// Stories per address per minute (keyed without identifying anyone).
    pub limiter: Arc<crate::limits::RateLimiter>,
    /// The stories as facts for the patterns, and the suppression rules.
    pub insight: Arc<crate::facts::Insight>,
    /// Recordings of spoken stories.
    pub audio: Arc<AudioStore>,
    /// The reverse proxies whose `X-Forwarded-For` names the client.
    pub proxies: Arc<crate::client::TrustedProxies>,
    /// Wrong admin tokens per client: guessing is slowed to a few tries a minute.
    pub logins: Arc<crate::limits::RateLimiter>,
    /// `/.well-known/security.txt`, when the operator named a contact.
    pub security_txt: Option<Arc<str>>,
    /// The key that signs coordinators' session cookies.
    pub sessions: Arc<crate::session::SessionKey>,
}

/// Wrong tokens a client may try at once; then one more per [`LOGIN_REFILL`].
pub const LOGIN_TRIES: u32 = 10;

/// The time in which [`LOGIN_TRIES`] wrong tokens are forgiven again.
pub const LOGIN_REFILL: std::time::Duration = std::time::Duration::from_secs(600);

impl AppState {
    /// Who a request comes from, for the limits only (never stored): its connection's
    /// peer, or the client a trusted proxy names. `None` in-process, without a connection.
    pub fn client(&self, extensions: &axum::http::Extensions, headers: &HeaderMap) -> Option<crate::limits::ClientKey> {
        let peer = extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?.0.ip();
        let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        Some(crate::limits::ClientKey::of(self.proxies.client(peer, &forwarded)))
    }
}
