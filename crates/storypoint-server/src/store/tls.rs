//! TLS to PostgreSQL, as the `--db` URL asks for it with libpq's words, so a national
//! deployment can put its database on another host:
//!
//! - no `sslmode`, or `sslmode=disable`: plain TCP (as before TLS was offered);
//! - `sslmode=allow` or `prefer`: TLS when the server offers it, plain otherwise; the
//!   certificate is not checked;
//! - `sslmode=require`: TLS or no connection; the certificate is not checked (as libpq: with
//!   an `sslrootcert` file it is checked as `verify-ca`);
//! - `sslmode=verify-ca`: TLS, the chain checked against the roots, not the host name;
//! - `sslmode=verify-full`: TLS, the chain and the host name checked.
//!
//! The roots are the file `sslrootcert=/path/root.pem` names (a private CA), or the system's
//! (`sslrootcert=system`, or none given). rustls on the `ring` provider does the work; the
//! `postgres` crate knows neither `verify-*` nor `sslrootcert`, so both are taken off the URL
//! here before it reads the rest.
use std::path::PathBuf;
use std::sync::Arc;

use postgres::config::SslMode;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
pub use tokio_postgres_rustls::MakeRustlsConnect;

use super::StoreError;

/// What the URL's `sslmode` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Plain TCP.
    Disable,
    /// TLS if the server offers it (`allow`, `prefer`), unchecked.
    Prefer,
    /// TLS, unchecked.
    Require,
    /// TLS, the chain checked but not the name.
    VerifyCa,
    /// TLS, chain and host name checked.
    VerifyFull,
}

/// Where the roots for `verify-ca`/`verify-full` come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Roots {
    /// The system's trusted roots.
    System,
    /// A PEM file of root certificates (a private CA).
    File(PathBuf),
}

/// The TLS part of a `--db` URL, and the URL without it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsOptions {
    /// The URL without `sslmode` and `sslrootcert`, for [`postgres::Config`].
    pub url: String,
    /// The mode asked for.
    pub mode: Mode,
    /// The roots named by `sslrootcert`, if any.
    pub roots: Option<Roots>,
}

impl TlsOptions {
    /// Reads `sslmode` and `sslrootcert` from the query of `url` (percent-decoded).
    pub fn parse(url: &str) -> Result<TlsOptions, StoreError> {
        let (address, query) = url.split_once('?').map_or((url, ""), |(a, q)| (a, q));
        let mut kept = Vec::new();
        let (mut mode, mut roots) = (None, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let Some((key, value)) = form_urlencoded::parse(pair.as_bytes()).next() else { continue };
            match &*key {
                "sslmode" => mode = Some(value.into_owned()),
                "sslrootcert" => roots = Some(value.into_owned()),
                "sslcert" | "sslkey" | "sslcrl" | "sslpassword" => {
                    return Err(StoreError::Tls(format!("`{key}` in the --db URL is not supported (client certificates are not used)")));
                }
                _ => kept.push(pair),
            }
        }
        let mode = match mode.as_deref() {
            None | Some("disable") => Mode::Disable,
            Some("allow" | "prefer") => Mode::Prefer,
            // As libpq: a root file given makes `require` check the chain.
            Some("require") if roots.as_deref().is_some_and(|r| r != "system") => Mode::VerifyCa,
            Some("require") => Mode::Require,
            Some("verify-ca") => Mode::VerifyCa,
            Some("verify-full") => Mode::VerifyFull,
            Some(other) => {
                return Err(StoreError::Tls(format!("sslmode={other} in the --db URL: use disable, prefer, require, verify-ca or verify-full")));
            }
        };
        let roots = roots.map(|r| if r == "system" { Roots::System } else { Roots::File(r.into()) });
        let url = if kept.is_empty() { address.to_string() } else { format!("{address}?{}", kept.join("&")) };
        Ok(TlsOptions { url, mode, roots })
    }

    /// The mode for [`postgres::Config::ssl_mode`].
    pub fn ssl_mode(&self) -> SslMode {
        match self.mode {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        }
    }

    /// The connector for every connection of the store. With `disable` it is never used
    /// (the `postgres` crate then opens plain TCP), so one connector type serves every mode.
    pub fn connector(&self) -> Result<MakeRustlsConnect, StoreError> {
        // ring, not aws-lc-rs: no C toolchain and a light build; rustls marks ring's provider
        // deprecated only for its lack of post-quantum key exchange.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder =
            ClientConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions().map_err(|e| StoreError::Tls(e.to_string()))?;
        let mut config = match self.mode {
            Mode::Disable | Mode::Prefer | Mode::Require => {
                builder.dangerous().with_custom_certificate_verifier(Arc::new(Unchecked(provider))).with_no_client_auth()
            }
            Mode::VerifyCa | Mode::VerifyFull => {
                let roots = Arc::new(self.root_store()?);
                let webpki =
                    WebPkiServerVerifier::builder_with_provider(roots, provider).build().map_err(|e| StoreError::Tls(format!("the root certificates: {e}")))?;
                let verifier: Arc<dyn ServerCertVerifier> = if self.mode == Mode::VerifyCa { Arc::new(ChainOnly(webpki)) } else { webpki };
                builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth()
            }
        };
        // PostgreSQL 17's direct TLS (`sslnegotiation=direct`) asks for it; older servers ignore it.
        config.alpn_protocols = vec![b"postgresql".to_vec()];
        Ok(MakeRustlsConnect::new(config))
    }

    /// The roots to check the server's chain against.
    fn root_store(&self) -> Result<RootCertStore, StoreError> {
        let mut store = RootCertStore::empty();
        match &self.roots {
            Some(Roots::File(path)) => {
                let certificates = CertificateDer::pem_file_iter(path)
                    .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| StoreError::Tls(format!("cannot read sslrootcert {}: {e}", path.display())))?;
                let (added, _) = store.add_parsable_certificates(certificates);
                if added == 0 {
                    return Err(StoreError::Tls(format!("sslrootcert {} holds no usable certificate", path.display())));
                }
            }
            None | Some(Roots::System) => {
                let found = rustls_native_certs::load_native_certs();
                store.add_parsable_certificates(found.certs);
                if store.is_empty() {
                    return Err(StoreError::Tls("no system root certificates found (install ca-certificates, or name the root with sslrootcert=/path)".into()));
                }
            }
        }
        Ok(store)
    }
}

/// Whether a failed connection failed in TLS (a certificate refused, no TLS on the server):
/// the operator must change the URL or the server, so it is told apart from "unreachable".
pub fn is_tls_failure(error: &postgres::Error) -> bool {
    // The `postgres` crate keeps its error kinds private; this is how it shows `Kind::Tls`.
    error.to_string().starts_with("error performing TLS handshake")
}

/// `require`/`prefer`: encrypted, the certificate taken as it is (libpq's meaning). The
/// handshake's signatures are still checked, so the key belongs to the certificate shown.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a root; the host name may differ (libpq's meaning).
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // The chain is checked before the name, so a name error means the chain was good.
        match self.0.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. })) => {
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    fn verify_tls12_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::{Mode, Roots, TlsOptions};

    #[test]
    fn sslmode_and_sslrootcert_are_read_and_taken_off_the_url() {
        let plain = TlsOptions::parse("postgres://sp@db/verhalen").unwrap();
        assert_eq!((plain.mode, plain.roots, plain.url.as_str()), (Mode::Disable, None, "postgres://sp@db/verhalen"));
        let full = TlsOptions::parse("postgres://sp@db/v?application_name=x&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem").unwrap();
        assert_eq!(full.mode, Mode::VerifyFull);
        assert_eq!(full.roots, Some(Roots::File("/etc/ca.pem".into())));
        assert_eq!(full.url, "postgres://sp@db/v?application_name=x");
        assert_eq!(TlsOptions::parse("postgres://db?sslmode=require").unwrap().mode, Mode::Require);
        assert_eq!(TlsOptions::parse("postgres://db?sslmode=require&sslrootcert=/ca.pem").unwrap().mode, Mode::VerifyCa);
        assert_eq!(TlsOptions::parse("postgres://db?sslmode=require&sslrootcert=system").unwrap().mode, Mode::Require);
        assert_eq!(TlsOptions::parse("postgres://db?sslmode=prefer").unwrap().mode, Mode::Prefer);
        assert!(TlsOptions::parse("postgres://db?sslmode=sometimes").is_err());
        assert!(TlsOptions::parse("postgres://db?sslmode=require&sslcert=/me.pem").is_err());
    }

    #[test]
    fn a_root_file_that_is_missing_or_empty_is_refused_with_its_name() {
        let missing = TlsOptions::parse("postgres://db?sslmode=verify-full&sslrootcert=/nonexistent/root.pem").unwrap();
        let said = missing.connector().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(said.contains("/nonexistent/root.pem"), "{said}");
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let url = format!("postgres://db?sslmode=verify-ca&sslrootcert={}", empty.display());
        assert!(TlsOptions::parse(&url).unwrap().connector().is_err());
        assert!(TlsOptions::parse("postgres://db?sslmode=require").unwrap().connector().is_ok());
    }
}
