//! Reaching PostgreSQL: the session every collector's connection needs (`--db` URL, TLS,
//! time limits), connecting again when a connection was cut, and what its errors mean.
use std::time::Duration;

use postgres::{Client, Config};

use crate::store::StoreError;
use crate::store::tls::{MakeRustlsConnect, TlsOptions, is_tls_failure};

impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> StoreError {
        use postgres::error::SqlState;
        match error.code() {
            Some(code) if *code == SqlState::DISK_FULL => StoreError::DiskFull,
            Some(code)
                if *code == SqlState::T_R_SERIALIZATION_FAILURE
                    || *code == SqlState::T_R_DEADLOCK_DETECTED
                    || *code == SqlState::LOCK_NOT_AVAILABLE
                    || *code == SqlState::OUT_OF_MEMORY
                    || *code == SqlState::TOO_MANY_CONNECTIONS =>
            {
                StoreError::Busy
            }
            // Class 08 (connection exception) and 57P (shutdown, restart): the server went away.
            Some(code) if code.code().starts_with("08") || code.code().starts_with("57P") => StoreError::Unreachable(said(&error)),
            Some(_) => StoreError::Database(said(&error)),
            // No SQL state and a closed connection or an I/O error: the server went away.
            // A certificate refused, or no TLS where the URL asks for it.
            None if is_tls_failure(&error) => StoreError::Tls(said(&error)),
            None if error.is_closed() || std::error::Error::source(&error).is_some_and(|s| s.is::<std::io::Error>()) => StoreError::Unreachable(said(&error)),
            // Anything else is our own fault (a type mismatch, a row that should be there).
            None => StoreError::Database(said(&error)),
        }
    }
}

/// The error with its causes ("db error: FATAL: …", "error performing TLS handshake: invalid
/// peer certificate: UnknownIssuer"): the `postgres` crate shows only the first words. For
/// the log and the command line; the HTTP API never shows it.
fn said(error: &postgres::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = cause.source();
    }
    text
}

/// How to reach the database: the settings, and TLS as the URL asks (see `store::tls`;
/// plain TCP unless it asks).
#[derive(Clone)]
pub(super) struct Target {
    pub(super) config: Config,
    pub(super) tls: MakeRustlsConnect,
}

/// A new connection. Any failure here but TLS is the server being out of reach for now
/// (down, restarting, not taking connections): a 503, which the widget retries. A wrong
/// URL, password or certificate shows at once, since [`super::PostgresStore::open`] connects
/// before serving.
pub(super) fn connect(target: &Target) -> Result<Client, StoreError> {
    target.config.connect(target.tls.clone()).map_err(|e| if is_tls_failure(&e) { StoreError::Tls(said(&e)) } else { StoreError::Unreachable(said(&e)) })
}

/// The connection settings from `url`, with what every session of a collector needs:
/// - `synchronous_commit=on`: a 201 means the story is on disk, whatever the database's or
///   the role's own setting;
/// - time limits, so a collector that loses the network while it holds the insert lock
///   cannot stop the others for long (its transaction is ended after 30 s idle), a lock
///   wait ends in a 503 the widget retries, and an unreachable host is noticed in seconds.
pub(super) fn session_config(url: &str) -> Result<Target, StoreError> {
    let tls = TlsOptions::parse(url)?;
    let mut config: Config = tls.url.parse().map_err(|e: postgres::Error| StoreError::Database(format!("the --db URL: {e}")))?;
    config.ssl_mode(tls.ssl_mode());
    let ours = "-c synchronous_commit=on -c lock_timeout=10s -c statement_timeout=60s -c idle_in_transaction_session_timeout=30s";
    let options = match config.get_options() {
        Some(theirs) => format!("{theirs} {ours}"),
        None => ours.to_string(),
    };
    config.options(&options).connect_timeout(Duration::from_secs(5)).keepalives_idle(Duration::from_secs(30)).tcp_user_timeout(Duration::from_secs(30));
    Ok(Target { config, tls: tls.connector()? })
}

/// The writer's connection: runs `work` on `client` (connecting first when there is none or
/// it was closed); when the connection breaks during the work, connects again and runs it
/// once more. That is safe because the work is one transaction, and a story sent twice is
/// stored once.
pub(super) fn with_retry<T>(target: &Target, client: &mut Option<Client>, mut work: impl FnMut(&mut Client) -> Result<T, StoreError>) -> Result<T, StoreError> {
    let mut attempt = |client: &mut Option<Client>| -> (Result<T, StoreError>, bool) {
        let mut connected = match client.take().filter(|c| !c.is_closed()) {
            Some(connected) => connected,
            None => match connect(target) {
                Ok(connected) => connected,
                Err(error) => return (Err(error), false),
            },
        };
        let result = work(&mut connected);
        let broken = connected.is_closed();
        if !broken {
            *client = Some(connected);
        }
        (result, broken)
    };
    match attempt(client) {
        (Err(_), true) => attempt(client).0,
        (result, _) => result,
    }
}
