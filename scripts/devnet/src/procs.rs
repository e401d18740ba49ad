//! Child processes: anvil, `plasma-operator` and `plasma-indexer` started as real
//! processes with their output in log files, waited for until they answer, and stopped
//! with SIGTERM (SIGKILL after a grace period, and on drop).

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The signals [`Service::signal`] sends.
pub use nix::sys::signal::Signal;
use nix::sys::signal::kill;
use nix::unistd::Pid;
use tokio::process::{Child, Command};

/// Errors starting, waiting for or stopping a child process.
#[derive(Debug, thiserror::Error)]
pub enum ProcError {
    /// A binary could not be located.
    #[error("{what} not found: {hint}")]
    NotFound {
        /// What was looked for.
        what: String,
        /// How to make it available.
        hint: String,
    },
    /// The process could not be started.
    #[error("cannot start {program}: {source}")]
    Spawn {
        /// The program.
        program: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The log file could not be created.
    #[error("cannot create log file {path}: {source}")]
    Log {
        /// The log file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The process exited while it was expected to run.
    #[error("{name} exited with {status}; last log lines ({log}):\n{tail}")]
    Exited {
        /// The service name.
        name: String,
        /// Its exit status.
        status: ExitStatus,
        /// Its log file.
        log: PathBuf,
        /// The last lines of its log.
        tail: String,
    },
    /// The process did not become ready in time.
    #[error("{name} not ready at {url} after {secs} s; last log lines ({log}):\n{tail}")]
    Timeout {
        /// The service name.
        name: String,
        /// The URL polled.
        url: String,
        /// Seconds waited.
        secs: u64,
        /// Its log file.
        log: PathBuf,
        /// The last lines of its log.
        tail: String,
    },
    /// Waiting on the process failed.
    #[error("waiting for {name}: {source}")]
    Wait {
        /// The service name.
        name: String,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A running child process whose stdout and stderr go to a log file. It is killed when
/// dropped; [`Service::stop`] ends it gracefully.
#[derive(Debug)]
pub struct Service {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Service {
    /// Starts `program args…` with extra environment variables, output appended to `log`
    /// (created if needed).
    pub fn spawn(
        name: &str,
        program: &Path,
        args: &[String],
        envs: &[(String, String)],
        log: &Path,
    ) -> Result<Self, ProcError> {
        let log_err = |source| ProcError::Log {
            path: log.to_owned(),
            source,
        };
        if let Some(parent) = log.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(log_err)?;
        }
        // Appended: a service restarted on the same log keeps what it wrote before.
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(log_err)?;
        let err = out.try_clone().map_err(log_err)?;
        let child = Command::new(program)
            .args(args)
            .envs(envs.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| ProcError::Spawn {
                program: program.to_owned(),
                source,
            })?;
        tracing::debug!(name, program = %program.display(), ?args, pid = child.id(), "started");
        Ok(Self {
            name: name.to_owned(),
            child,
            log: log.to_owned(),
        })
    }

    /// The service name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its log file.
    pub fn log_path(&self) -> &std::path::Path {
        &self.log
    }

    /// The last `n` lines of the log, without a final stack backtrace (see [`tail`]).
    pub fn log_tail(&self, n: usize) -> String {
        tail(&std::fs::read_to_string(&self.log).unwrap_or_default(), n)
    }

    /// An error saying the process exited, if it has.
    pub fn check_running(&mut self) -> Result<(), ProcError> {
        match self.child.try_wait() {
            Ok(Some(status)) => Err(self.exited(status)),
            Ok(None) => Ok(()),
            Err(source) => Err(ProcError::Wait {
                name: self.name.clone(),
                source,
            }),
        }
    }

    /// Waits until the process exits and returns the error describing that.
    pub async fn exited_error(&mut self) -> ProcError {
        match self.child.wait().await {
            Ok(status) => self.exited(status),
            Err(source) => ProcError::Wait {
                name: self.name.clone(),
                source,
            },
        }
    }

    fn exited(&self, status: ExitStatus) -> ProcError {
        ProcError::Exited {
            name: self.name.clone(),
            status,
            log: self.log.clone(),
            tail: self.log_tail(20),
        }
    }

    /// Sends a signal (used by tests to kill a service for good, or to interrupt it).
    pub fn signal(&self, signal: Signal) {
        if let Some(pid) = self.child.id().and_then(|p| i32::try_from(p).ok()) {
            // The process may have exited in between; nothing is left to signal then.
            let _ = kill(Pid::from_raw(pid), signal);
        }
    }

    /// Stops the process: SIGTERM, then SIGKILL after `grace`. Returns its exit status.
    pub async fn stop(mut self, grace: Duration) -> Result<ExitStatus, ProcError> {
        self.signal(Signal::SIGTERM);
        let wait_err = |name: &str, source| ProcError::Wait {
            name: name.to_owned(),
            source,
        };
        match tokio::time::timeout(grace, self.child.wait()).await {
            Ok(status) => status.map_err(|e| wait_err(&self.name, e)),
            Err(_) => {
                tracing::warn!(
                    name = self.name,
                    "did not stop within {grace:?}; killing it"
                );
                self.child
                    .kill()
                    .await
                    .map_err(|e| wait_err(&self.name, e))?;
                self.child.wait().await.map_err(|e| wait_err(&self.name, e))
            }
        }
    }

    /// Polls `url` with GET until it answers 2xx, failing early if the process exits.
    pub async fn wait_http_ok(&mut self, url: &str, timeout: Duration) -> Result<(), ProcError> {
        let client = reqwest::Client::new();
        self.wait_until(url, timeout, || {
            let request = client.get(url).timeout(Duration::from_secs(2)).send();
            async move { matches!(request.await, Ok(r) if r.status().is_success()) }
        })
        .await
    }

    /// Polls a JSON-RPC endpoint with `eth_chainId` until it answers.
    pub async fn wait_rpc(&mut self, url: &str, timeout: Duration) -> Result<(), ProcError> {
        let client = reqwest::Client::new();
        let body =
            serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []});
        self.wait_until(url, timeout, || {
            let request = client
                .post(url)
                .json(&body)
                .timeout(Duration::from_secs(2))
                .send();
            async move { matches!(request.await, Ok(r) if r.status().is_success()) }
        })
        .await
    }

    async fn wait_until<F, Fut>(
        &mut self,
        url: &str,
        timeout: Duration,
        mut ready: F,
    ) -> Result<(), ProcError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = bool>,
    {
        let start = Instant::now();
        loop {
            self.check_running()?;
            if ready().await {
                tracing::debug!(name = self.name, url, elapsed = ?start.elapsed(), "ready");
                return Ok(());
            }
            if start.elapsed() > timeout {
                return Err(ProcError::Timeout {
                    name: self.name.clone(),
                    url: url.to_owned(),
                    secs: timeout.as_secs(),
                    log: self.log.clone(),
                    tail: self.log_tail(20),
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The npm-installed anvil binary (not its node wrapper): `$ANVIL_BIN`, else the one under `node_modules` in the current
/// directory, the executable's directory, the source checkout, or one of their parents.
pub fn find_anvil() -> Result<PathBuf, ProcError> {
    if let Some(path) = std::env::var_os("ANVIL_BIN") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(ProcError::NotFound {
                what: format!("anvil at $ANVIL_BIN={}", path.display()),
                hint: "point ANVIL_BIN at the anvil binary or unset it".into(),
            })
        };
    }
    search_roots()
        .iter()
        .flat_map(|root| root.ancestors())
        .map(|dir| dir.join("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"))
        .find(|p| p.is_file())
        .ok_or_else(|| ProcError::NotFound {
            what: "anvil".into(),
            hint: "run `source tools/setup.sh` (npm ci installs Foundry 1.7.1) or set ANVIL_BIN"
                .into(),
        })
}

fn search_roots() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    roots.extend(std::env::current_dir().ok());
    roots.extend(
        std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_owned)),
    );
    roots.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    roots
}

/// Locates a workspace binary (`plasma-operator`, `plasma-indexer`): see
/// [`plasma_service::locate::sibling_bin`].
pub fn find_sibling_bin(name: &str, env_var: &str) -> Result<PathBuf, ProcError> {
    plasma_service::locate::sibling_bin(name, env_var).map_err(|e| ProcError::NotFound {
        what: e.what,
        hint: e.hint,
    })
}

/// Starts an anvil on `port` (with extra arguments such as `--fork-url`) logging to `log`,
/// and waits until its RPC answers.
pub async fn spawn_anvil(port: u16, extra: &[String], log: &Path) -> Result<Service, ProcError> {
    let bin = find_anvil()?;
    let mut args = vec![
        "--port".to_owned(),
        port.to_string(),
        "--host".into(),
        "127.0.0.1".into(),
    ];
    args.extend_from_slice(extra);
    let mut anvil = Service::spawn("anvil", &bin, &args, &[], log)?;
    anvil
        .wait_rpc(&format!("http://127.0.0.1:{port}"), Duration::from_secs(30))
        .await?;
    Ok(anvil)
}

/// The last `n` lines of `log`, the error first: a service that exits with
/// `RUST_BACKTRACE` set ends its log with a stack backtrace longer than any tail, which
/// would hide the error itself, so a final backtrace is cut off (and said to be).
fn tail(log: &str, n: usize) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let backtrace = lines
        .iter()
        .rposition(|l| l.trim().eq_ignore_ascii_case("stack backtrace:"));
    let end = backtrace.unwrap_or(lines.len());
    let mut shown = lines[end.saturating_sub(n)..end].join("\n");
    if backtrace.is_some() {
        shown.push_str("\n(stack backtrace omitted: see the log file)");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::tail;

    #[test]
    fn the_error_is_shown_instead_of_its_backtrace() {
        let mut log = String::from(
            "INFO started\nError: the RPC is unreachable\n\nLocation:\n    src/main.rs:9:5\n\nStack backtrace:\n",
        );
        for i in 0..40 {
            log.push_str(&format!("  {i}: frame\n"));
        }
        assert_eq!(
            tail(&log, 5),
            "Error: the RPC is unreachable\n\nLocation:\n    src/main.rs:9:5\n\n\
             (stack backtrace omitted: see the log file)"
        );
    }

    #[test]
    fn a_log_without_a_backtrace_is_tailed_as_is() {
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a\nb\n", 20), "a\nb");
        assert_eq!(tail("", 3), "");
    }
}
