//! Command-line and environment configuration (docs/SPEC.md "Binaries and their flags").

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use alloy::primitives::U256;
use plasma_service::{RootChainArgs, serve::EdgeArgs};

use crate::api::DEFAULT_BODY_LIMIT;

/// `plasma-operator` flags; every flag also reads the environment variable shown.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "plasma-operator",
    version,
    about = "The Plasma child-chain operator"
)]
pub struct Args {
    /// The root chain: `--rpc-url`, `--deployment`, `--confirmations` (deposits and
    /// submitted roots), `--poll-interval-ms` (deposits and submissions).
    #[command(flatten)]
    pub chain: RootChainArgs,
    /// The HTTP edge's bounds: `--max-connections`, `--header-read-timeout-ms`,
    /// `--idle-timeout-ms`, `--request-timeout-ms`, `--max-body-bytes-in-flight`.
    #[command(flatten)]
    pub edge: EdgeArgs,
    /// The operator's private key (hex), which signs submitBlock.
    #[arg(long, env = "PLASMA_OPERATOR_KEY", hide_env_values = true)]
    pub operator_key: String,
    /// Directory of the operator's database (`operator.sqlite`).
    #[arg(long, env = "PLASMA_DATA_DIR")]
    pub data_dir: PathBuf,
    /// Address the HTTP API listens on.
    #[arg(long, env = "PLASMA_OPERATOR_LISTEN", default_value = "127.0.0.1:8550")]
    pub listen: SocketAddr,
    /// Seal a block as soon as this many transactions are pending (at most 65,536).
    #[arg(long, env = "PLASMA_BLOCK_SIZE", default_value_t = 65_536,
          value_parser = clap::value_parser!(u32).range(1..=65_536))]
    pub block_size: u32,
    /// Otherwise seal whatever is pending this often (milliseconds).
    #[arg(long, env = "PLASMA_BLOCK_INTERVAL_MS", default_value_t = 1_000)]
    pub block_interval_ms: u64,
    /// Minimum fee of a payment, in base units of the token of its first input.
    #[arg(long, env = "PLASMA_MIN_FEE", default_value = "0")]
    pub min_fee: U256,
    /// Most transactions in one batch request.
    #[arg(long, env = "PLASMA_MAX_BATCH", default_value_t = 10_000)]
    pub max_batch: usize,
    /// Largest request body in bytes (larger → 413).
    #[arg(long, env = "PLASMA_BODY_LIMIT", default_value_t = DEFAULT_BODY_LIMIT)]
    pub body_limit: usize,
    /// The operator reports itself unhealthy once a sealed root has waited this long to
    /// get on chain, in milliseconds.
    #[arg(long, env = "PLASMA_SUBMIT_STALL_MS", default_value_t = 120_000)]
    pub submit_stall_ms: u64,
    /// TEST ONLY: mount POST /admin/byzantine (fault injection). Never in production.
    #[arg(long, env = "PLASMA_OPERATOR_BYZANTINE", default_value_t = false)]
    pub byzantine: bool,
    /// TEST ONLY (needs --byzantine): hang right after sending a submitBlock, so a test
    /// can kill the process in the middle of a submission.
    #[arg(
        long,
        env = "PLASMA_FAULT_PAUSE_AFTER_SEND",
        default_value_t = false,
        requires = "byzantine"
    )]
    pub fault_pause_after_send: bool,
}

impl Args {
    /// The block interval.
    pub fn block_interval(&self) -> Duration {
        Duration::from_millis(self.block_interval_ms.max(1))
    }
}

/// A configuration problem.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The deployment file cannot be read.
    #[error(transparent)]
    Deployment(#[from] plasma_bindings::DeploymentError),
    /// The operator key is not a private key.
    #[error("invalid operator key")]
    BadKey,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(extra: &[&str]) -> Result<Args, clap::Error> {
        let base = [
            "plasma-operator",
            "--deployment",
            "d.json",
            "--operator-key",
            "0x01",
            "--data-dir",
            "x",
        ];
        Args::try_parse_from(base.iter().chain(extra))
    }

    #[test]
    fn flags_and_limits() {
        let args = parse(&["--block-size", "65536", "--min-fee", "5"]).unwrap();
        assert_eq!(args.block_size, 65_536);
        assert_eq!(args.min_fee, U256::from(5));
        assert!(!args.byzantine);
        assert!(parse(&["--block-size", "65537"]).is_err());
        assert!(
            parse(&["--fault-pause-after-send"]).is_err(),
            "fault switches need --byzantine"
        );
        assert!(
            parse(&["--byzantine", "--fault-pause-after-send"])
                .unwrap()
                .fault_pause_after_send
        );
    }
}
