//! The collector's door: accepts connections and serves each with hyper, under timers and
//! caps, so slow or idle clients cannot hold it. `axum::serve` sets no timer at all: a
//! client that sends half a header, or stops one byte short of a body, would keep its
//! connection (and its memory) for ever, and a thousand of them use up the open files.
//!
//! - A request's head must arrive within [`Limits::header_timeout`]; hyper starts that timer
//!   also while a kept-alive connection waits for its next request, so it is the idle
//!   timeout too.
//! - A body may pause at most [`Limits::body_idle_timeout`] between parts, and a whole
//!   request (body and answer) takes at most [`Limits::request_timeout`] (408 after).
//! - At most [`Limits::max_connections`] connections at once, and at most
//!   [`Limits::max_per_client`] from one client (an IPv6 /64 or an IPv4 address; a trusted
//!   proxy is not capped, the tellers behind it are many). A connection over a cap is
//!   closed at once, before anything is read.
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::client::TrustedProxies;
use crate::limits::ClientKey;

/// The timers and caps of the door.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The most time a request's head may take, and a kept-alive connection may wait idle.
    pub header_timeout: Duration,
    /// The longest pause within a request body.
    pub body_idle_timeout: Duration,
    /// The most time one request may take, body included (answered 408).
    pub request_timeout: Duration,
    /// Open connections at once, in all.
    pub max_connections: usize,
    /// Open connections at once from one client.
    pub max_per_client: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            // A phone on a weak signal sends a head in one or two packets: seconds at most.
            header_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(15),
            // A 1 MB part of a recording at 20 KB/s fits.
            request_timeout: Duration::from_secs(60),
            // Under the common limit of 1,024 open files, with room for the database.
            max_connections: 768,
            // A school class behind one address, each phone with a few connections.
            max_per_client: 192,
        }
    }
}

/// Open connections per client.
#[derive(Default)]
struct PerClient(Mutex<HashMap<ClientKey, usize>>);

/// One open connection of a client; counted down when the connection ends.
struct Slot {
    clients: Arc<PerClient>,
    key: Option<ClientKey>,
}

impl PerClient {
    /// A slot for one more connection of `key` (`None`: not capped), unless it has `max`.
    fn take(self: &Arc<Self>, key: Option<ClientKey>, max: usize) -> Option<Slot> {
        if let Some(key) = key {
            let mut open = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let count = open.entry(key).or_insert(0);
            if *count >= max {
                return None;
            }
            *count += 1;
        }
        Some(Slot { clients: self.clone(), key })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let Some(key) = self.key else { return };
        let mut open = self.clients.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&key);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes; then lets open requests finish
/// (for at most the request timeout).
pub async fn serve(listener: TcpListener, router: Router, limits: Limits, proxies: Arc<TrustedProxies>, shutdown: impl Future<Output = ()>) {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let clients = Arc::new(PerClient::default());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let mut warned = false;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of open files (or a connection reset before we took it): wait a
                    // moment, as the open ones time out, rather than spin.
                    if !warned {
                        eprintln!("storypoint: cannot take a connection now: {error}");
                        warned = true;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else { continue };
        let key = (!proxies.trusts(peer.ip())).then(|| ClientKey::of(peer.ip()));
        let Some(slot) = clients.take(key, limits.max_per_client) else { continue };
        let _ = stream.set_nodelay(true);
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            // Heads of real browsers are a few KB; nothing is gained by buffering more.
            .max_buf_size(64 * 1024)
            .serve_connection(TokioIo::new(stream), service(router.clone(), peer, limits.body_idle_timeout, limits.request_timeout));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop((permit, slot));
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(limits.request_timeout, graceful.shutdown()).await;
}

/// The router as hyper's service for one connection from `peer`.
fn service(
    router: Router,
    peer: SocketAddr,
    body_idle: Duration,
    whole: Duration,
) -> impl hyper::service::Service<
    hyper::Request<hyper::body::Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<axum::response::Response, std::convert::Infallible>> + Send,
> + Clone {
    hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
        let (mut parts, body) = request.into_parts();
        parts.extensions.insert(ConnectInfo(peer));
        let body = axum::body::Body::new(tower_http::timeout::TimeoutBody::new(body_idle, body));
        let timed = tower_http::timeout::Timeout::with_status_code(router.clone(), StatusCode::REQUEST_TIMEOUT, whole);
        timed.oneshot(axum::http::Request::from_parts(parts, body))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_at_most_its_share_of_connections() {
        let clients = Arc::new(PerClient::default());
        let school = Some(ClientKey::of("192.0.2.10".parse().unwrap()));
        let home = Some(ClientKey::of("2001:db8::1".parse().unwrap()));
        let slots: Vec<Slot> = (0..5).filter_map(|_| clients.take(school, 3)).collect();
        assert_eq!(slots.len(), 3);
        assert!(clients.take(home, 3).is_some(), "another client is not held up");
        assert!(clients.take(None, 0).is_some(), "a trusted proxy is not capped");
        drop(slots);
        assert!(clients.take(school, 3).is_some(), "closed connections free their slots");
    }
}
