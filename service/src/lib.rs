//! Plumbing shared by the two services, `plasma-operator` and `plasma-indexer`: how they
//! log, the root-chain flags both take (spelled and defaulted once and flattened into
//! each binary's `Args`), their HTTP edge ([`http`], served within bounds by [`serve`]) and how they open SQLite
//! ([`sqlite`]). With `test-utils`, the drift check of sqlx's offline data.

pub mod health;
pub mod http;
pub mod locate;
#[cfg(feature = "test-utils")]
pub mod openapi_check;
pub mod pg_server;
pub mod serve;
pub mod sqlite;
#[cfg(feature = "test-utils")]
pub mod sqlx_data;

use std::{io::IsTerminal, path::PathBuf, time::Duration};

use clap::Args;
use tracing_subscriber::EnvFilter;

/// Logs with `tracing` to stdout, filtered by `RUST_LOG` (default `info`), in colour only
/// on a terminal: a log file gets plain text.
pub fn init_tracing() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_ansi(std::io::stdout().is_terminal())
        .init();
}

/// How a service follows the root chain: the same flags, defaults and environment
/// variables in both services.
#[derive(Debug, Clone, Args)]
pub struct RootChainArgs {
    /// Root-chain JSON-RPC URL.
    #[arg(long, env = "PLASMA_RPC_URL", default_value = "http://127.0.0.1:8545")]
    pub rpc_url: String,
    /// The deployment file written by `plasma deploy` (chain id, RootChain address,
    /// deploy block).
    #[arg(long, env = "PLASMA_DEPLOYMENT")]
    pub deployment: PathBuf,
    /// Root-chain blocks an event must be buried under before it is followed.
    #[arg(long, env = "PLASMA_CONFIRMATIONS", default_value_t = 6)]
    pub confirmations: u64,
    /// Root-chain poll interval, in milliseconds (at least 10).
    #[arg(long, env = "PLASMA_POLL_INTERVAL_MS", default_value_t = 1_000)]
    pub poll_interval_ms: u64,
    /// The service reports itself unhealthy once the root chain has not answered for this
    /// long, in milliseconds.
    #[arg(long, env = "PLASMA_UNREACHABLE_AFTER_MS", default_value_t = 30_000)]
    pub unreachable_after_ms: u64,
}

impl RootChainArgs {
    /// The poll interval (at least 10 ms).
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms.max(10))
    }

    /// How long the root chain may stay silent before the service is unhealthy.
    pub fn unreachable_after(&self) -> Duration {
        Duration::from_millis(self.unreachable_after_ms)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        chain: RootChainArgs,
    }

    #[test]
    fn defaults_and_spelling() {
        let cli = Cli::try_parse_from(["x", "--deployment", "d.json"]).unwrap();
        assert_eq!(cli.chain.rpc_url, "http://127.0.0.1:8545");
        assert_eq!(cli.chain.confirmations, 6);
        assert_eq!(cli.chain.poll_interval(), Duration::from_secs(1));
        let cli =
            Cli::try_parse_from(["x", "--deployment", "d", "--poll-interval-ms", "0"]).unwrap();
        assert_eq!(cli.chain.poll_interval(), Duration::from_millis(10));
        assert!(
            Cli::try_parse_from(["x"]).is_err(),
            "the deployment is required"
        );
        assert!(
            Cli::try_parse_from(["x", "--deployment", "d", "--poll-ms", "5"]).is_err(),
            "one spelling per flag"
        );
    }
}
