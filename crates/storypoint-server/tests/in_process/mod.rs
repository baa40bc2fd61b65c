//! Test helpers for the router called in-process (no socket, no binary): a collector's
//! state on a fresh SQLite file, one request through the router, and form bodies.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use storypoint_server::app::app;
use storypoint_server::state::AppState;
use tower::ServiceExt;

/// The collector's admin token in these tests.
pub const TOKEN: &str = "in-process-admin-token-0123";

/// A form's content type.
pub const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
/// The host the browser asks for.
pub const HOST: (&str, &str) = ("Host", "verhalen.example");
/// The origin of our own pages on that host.
pub const OURS: (&str, &str) = ("Origin", "http://verhalen.example");

/// A collector's state on a fresh SQLite file (kept alive with the returned folder), taking
/// story bodies up to `max_body_bytes`.
pub fn collector(max_body_bytes: usize) -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = storypoint_server::store::Database::Sqlite(dir.path().join("stories.db")).open(None).unwrap();
    let history = storypoint_server::versions::serve(store.as_ref(), storypoint_core::default_questionnaire()).unwrap();
    let insight = storypoint_server::facts::Insight::new(history.current(), 5).unwrap();
    let audio = storypoint_server::audio::AudioStore::open(&dir.path().join("audio"), 25 << 20, 300, 100 << 20).unwrap();
    let state = AppState {
        store,
        history: Arc::new(history),
        admin: storypoint_server::auth::AdminToken::from_token(TOKEN),
        max_body_bytes,
        campaign: storypoint_server::store::DEFAULT_CAMPAIGN.into(),
        bundle: Arc::new(storypoint_server::bundle::Bundle::load(&dir.path().join("no-bundle"))),
        limiter: Arc::new(storypoint_server::limits::RateLimiter::new(600)),
        insight: Arc::new(insight),
        audio: Arc::new(audio),
        proxies: Arc::default(),
        logins: Arc::new(storypoint_server::limits::RateLimiter::new(10)),
        security_txt: None,
        sessions: Arc::new(storypoint_server::session::SessionKey::from_bytes([3; 32])),
    };
    (state, dir)
}

/// One request through the router: status, headers and body.
pub async fn call(state: &AppState, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let reply = app(state.clone()).oneshot(request.body(Body::from(body.to_vec())).unwrap()).await.unwrap();
    let (parts, body) = reply.into_parts();
    (parts.status, parts.headers, axum::body::to_bytes(body, usize::MAX).await.unwrap().to_vec())
}

/// A form body (`application/x-www-form-urlencoded`) from pairs.
pub fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish().into_bytes()
}
