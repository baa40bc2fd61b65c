//! A throwaway PostgreSQL server for the tests and benchmarks, from Debian's `postgresql`
//! package: installed when missing, a fresh cluster in a temporary folder, on 127.0.0.1 at a
//! free port, the user `storypoint` with a random password, stopped and removed on drop.
//! It takes TLS too (plain connections as well), with a certificate for `localhost` and
//! 127.0.0.1 from a throwaway CA made at start ([`Postgres::ca`]), so the tests can try
//! `sslmode=require` and `verify-full`.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;

/// Why there is no server: PostgreSQL could not be installed (a skip), or it is installed
/// and would not start (a failure).
pub enum NoServer {
    /// `apt-get install postgresql` failed or is not possible here.
    NotInstallable(String),
    /// Installed, but initdb or pg_ctl failed.
    Failed(String),
}

/// A running PostgreSQL server.
pub struct Postgres {
    /// `postgres://storypoint@127.0.0.1:PORT` (append `/name` for a database).
    pub url: String,
    /// The CA that signed the server's certificate (PEM), for `sslrootcert=`.
    pub ca: PathBuf,
    bin: PathBuf,
    dir: PathBuf,
}

/// The folder with `initdb` and `pg_ctl` of the newest installed PostgreSQL.
fn bin_dir() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists() && bin.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs a PostgreSQL program; as root, as the `postgres` user (PostgreSQL refuses root).
fn run_pg(program: &Path, args: &[&str]) -> Result<()> {
    let mut command = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let output = command.args(args).current_dir("/tmp").output().map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{} {} failed: {}", program.display(), args.join(" "), String::from_utf8_lossy(&output.stderr).trim()))
    }
}

impl Postgres {
    /// Installs PostgreSQL if needed and starts a fresh server.
    pub fn start() -> std::result::Result<Postgres, NoServer> {
        let bin = Postgres::install().map_err(NoServer::NotInstallable)?;
        Postgres::start_with(bin).map_err(NoServer::Failed)
    }

    fn install() -> Result<PathBuf> {
        let bin = match bin_dir() {
            Some(bin) => bin,
            None => {
                eprintln!("$ apt-get install -y --no-install-recommends postgresql");
                let installed = Command::new("apt-get").args(["update", "-q"]).status().is_ok_and(|s| s.success())
                    && Command::new("apt-get")
                        .args(["install", "-y", "-q", "--no-install-recommends", "postgresql"])
                        .env("DEBIAN_FRONTEND", "noninteractive")
                        .status()
                        .is_ok_and(|s| s.success());
                match bin_dir() {
                    Some(bin) if installed => bin,
                    _ => return Err("Debian's postgresql package could not be installed (apt-get install -y postgresql, as root)".into()),
                }
            }
        };
        Ok(bin)
    }

    fn start_with(bin: PathBuf) -> Result<Postgres> {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let dir = std::env::temp_dir().join(format!("storypoint-pg-{port}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        if is_root() {
            let chown = Command::new("chown").args(["postgres:"]).arg(&dir).status().map_err(|e| e.to_string())?;
            if !chown.success() {
                return Err(format!("cannot give {} to the postgres user", dir.display()));
            }
        }
        let data = dir.join("data");
        let (data_s, dir_s) = (data.to_string_lossy().into_owned(), dir.to_string_lossy().into_owned());
        // A random password (scram), so other local users cannot use the test server.
        let mut random = [0u8; 16];
        std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom").map_err(|e| e.to_string())?, &mut random).map_err(|e| e.to_string())?;
        let password: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let pwfile = dir.join("password");
        std::fs::write(&pwfile, &password).map_err(|e| e.to_string())?;
        if is_root() {
            let _ = Command::new("chown").args(["postgres:"]).arg(&pwfile).status();
        }
        let pwfile_s = format!("--pwfile={}", pwfile.to_string_lossy());
        run_pg(&bin.join("initdb"), &["-D", &data_s, "-A", "scram-sha-256", "-U", "storypoint", &pwfile_s, "--no-sync", "-E", "UTF8"])?;
        let _ = std::fs::remove_file(&pwfile);
        let (certificate, key, ca) = make_certificates(&dir)?;
        let options = format!(
            "-p {port} -k {dir_s} -c listen_addresses=127.0.0.1 -c max_connections=300 -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            certificate.display(),
            key.display()
        );
        let log = dir.join("log").to_string_lossy().into_owned();
        run_pg(&bin.join("pg_ctl"), &["-D", &data_s, "-l", &log, "-o", &options, "-w", "start"])?;
        Ok(Postgres { url: format!("postgres://storypoint:{password}@127.0.0.1:{port}"), ca, bin, dir })
    }
}

/// A throwaway CA and a server certificate it signs for `localhost` and 127.0.0.1 (a leaf:
/// rustls refuses a CA certificate as the server's own), made with `openssl`, which Debian's
/// `postgresql` package brings (through `ssl-cert`). Returns the certificate, its key (mode
/// 0600 and the server's, as PostgreSQL demands) and the CA.
fn make_certificates(dir: &Path) -> Result<(PathBuf, PathBuf, PathBuf)> {
    let tls = dir.join("tls");
    std::fs::create_dir_all(&tls).map_err(|e| e.to_string())?;
    let path = |name: &str| tls.join(name).to_string_lossy().into_owned();
    std::fs::write(tls.join("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n")
        .map_err(|e| e.to_string())?;
    let openssl = |args: &[&str]| -> Result<()> {
        let output = Command::new("openssl").args(args).output().map_err(|e| format!("cannot run openssl (apt-get install openssl): {e}"))?;
        if output.status.success() { Ok(()) } else { Err(format!("openssl {} failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim())) }
    };
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    let (ca_key, ca, key, csr, certificate, ext) =
        (path("ca.key"), path("ca.pem"), path("server.key"), path("server.csr"), path("server.pem"), path("server.ext"));
    openssl(&[&["req", "-x509"][..], &ec, &["-keyout", &ca_key, "-out", &ca, "-days", "2", "-subj", "/CN=Storypoint test CA"]].concat())?;
    openssl(&[&["req", "-new"][..], &ec, &["-keyout", &key, "-out", &csr, "-subj", "/CN=localhost"]].concat())?;
    openssl(&["x509", "-req", "-in", &csr, "-CA", &ca, "-CAkey", &ca_key, "-CAcreateserial", "-days", "2", "-out", &certificate, "-extfile", &ext])?;
    let key = tls.join("server.key");
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).map_err(|e| e.to_string())?;
    if is_root() {
        let chown = Command::new("chown").args(["-R", "postgres:"]).arg(&tls).status().map_err(|e| e.to_string())?;
        if !chown.success() {
            return Err(format!("cannot give {} to the postgres user", tls.display()));
        }
    }
    Ok((tls.join("server.pem"), key, tls.join("ca.pem")))
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.join("data").to_string_lossy().into_owned();
        let _ = run_pg(&self.bin.join("pg_ctl"), &["-D", &data, "-m", "fast", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
