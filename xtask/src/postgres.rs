//! A throwaway PostgreSQL server for the tests and benchmarks, from Debian's `postgresql`
//! package: installed when missing, a fresh cluster in a temporary folder, on 127.0.0.1 at a
//! free port, the user `storypoint` with a random password, stopped and removed on drop.
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
        let options = format!("-p {port} -k {dir_s} -c listen_addresses=127.0.0.1 -c max_connections=300");
        let log = dir.join("log").to_string_lossy().into_owned();
        run_pg(&bin.join("pg_ctl"), &["-D", &data_s, "-l", &log, "-o", &options, "-w", "start"])?;
        Ok(Postgres { url: format!("postgres://storypoint:{password}@127.0.0.1:{port}"), bin, dir })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.join("data").to_string_lossy().into_owned();
        let _ = run_pg(&self.bin.join("pg_ctl"), &["-D", &data, "-m", "fast", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
