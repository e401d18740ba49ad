//! Command-line flags (each also read from an environment variable) and the deployment file.

use alloy::primitives::Address;
use clap::Parser;
use serde::Deserialize;
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
    #[arg(long, env = "PLASMA_INDEXER_LISTEN", default_value = "127.0.0.1:8547")]
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

/// Errors reading the deployment file.
#[derive(Debug, thiserror::Error)]
pub enum DeploymentError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a deployment.
    #[error("{path} is not a deployment file: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
}

/// The deployment file (docs/SPEC.md "Deployment file").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// Chain id.
    pub chain_id: u64,
    /// The RootChain contract.
    pub root_chain: Address,
    /// Block of the deployment.
    pub deploy_block: u64,
    /// Operator address.
    pub operator: Address,
    /// `MIN_EXIT_PERIOD` in seconds.
    pub min_exit_period: u64,
}

impl Deployment {
    /// Reads a deployment file.
    pub fn load(path: &std::path::Path) -> Result<Self, DeploymentError> {
        let text = std::fs::read_to_string(path).map_err(|source| DeploymentError::Read {
            path: path.into(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| DeploymentError::Parse {
            path: path.into(),
            source,
        })
    }
}
