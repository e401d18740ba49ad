//! Command-line flags (each also read from an environment variable).

use clap::Parser;
use std::{net::SocketAddr, path::PathBuf};

/// Flags of `plasma-indexer` (docs/SPEC.md "Binaries and their flags").
#[derive(Debug, Clone, Parser)]
#[command(
    name = "plasma-indexer",
    version,
    about = "Independent Plasma indexer and watchtower"
)]
pub struct Args {
    /// Root-chain JSON-RPC URL.
    #[arg(long, env = "PLASMA_RPC_URL")]
    pub rpc_url: String,
    /// The deployment file written by `plasma deploy`.
    #[arg(long, env = "PLASMA_DEPLOYMENT")]
    pub deployment: PathBuf,
    /// Base URL of the operator's block feed.
    #[arg(long, env = "PLASMA_OPERATOR_URL")]
    pub operator_url: String,
    /// SQLite database file.
    #[arg(long, env = "PLASMA_INDEXER_DB")]
    pub db: PathBuf,
    /// Listen address of the REST API.
    #[arg(long, env = "PLASMA_INDEXER_LISTEN", default_value = "127.0.0.1:8551")]
    pub listen: SocketAddr,
    /// Private key (hex) used to challenge invalid exits; bonds go to its address.
    #[arg(long, env = "PLASMA_CHALLENGER_KEY", hide_env_values = true)]
    pub challenger_key: Option<String>,
    /// Root-chain blocks to wait before following an event.
    #[arg(long, env = "PLASMA_CONFIRMATIONS", default_value_t = 6)]
    pub confirmations: u64,
    /// Seconds a committed block's data may stay unavailable before `block_withheld`.
    #[arg(long, env = "PLASMA_WITHHOLDING_TIMEOUT_SECS", default_value_t = 60)]
    pub withholding_timeout_secs: u64,
    /// Poll interval of the follower, checker and watchtower, in milliseconds.
    #[arg(long, env = "PLASMA_INDEXER_POLL_MS", default_value_t = 1000)]
    pub poll_ms: u64,
    /// Warn about an unchallenged invalid exit this many seconds before it matures
    /// (default: half the minimum exit period).
    #[arg(long, env = "PLASMA_MATURITY_WARNING_SECS")]
    pub maturity_warning_secs: Option<u64>,
    /// Block trees kept in memory for proofs.
    #[arg(long, env = "PLASMA_PROOF_CACHE_BLOCKS", default_value_t = 64)]
    pub proof_cache_blocks: usize,
}
