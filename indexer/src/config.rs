//! Command-line flags (each also read from an environment variable).

use clap::Parser;
use plasma_service::{RootChainArgs, serve::EdgeArgs};
use std::{net::SocketAddr, path::PathBuf};

/// Flags of `plasma-indexer` (docs/SPEC.md "Binaries and their flags").
#[derive(Debug, Clone, Parser)]
#[command(
    name = "plasma-indexer",
    version,
    about = "Independent Plasma indexer and watchtower"
)]
pub struct Args {
    /// The root chain: `--rpc-url`, `--deployment`, `--confirmations` (before an event is
    /// followed), `--poll-interval-ms` (the follower, checker and watchtower).
    #[command(flatten)]
    pub chain: RootChainArgs,
    /// The HTTP edge's bounds: `--max-connections`, `--header-read-timeout-ms`,
    /// `--idle-timeout-ms`, `--request-timeout-ms`, `--max-body-bytes-in-flight`.
    #[command(flatten)]
    pub edge: EdgeArgs,
    /// Base URL of the operator's block feed.
    #[arg(long, env = "PLASMA_OPERATOR_URL")]
    pub operator_url: String,
    /// Directory of the indexer's SQLite database (`indexer.sqlite`); not needed with a
    /// `--database-url`.
    #[arg(
        long,
        env = "PLASMA_DATA_DIR",
        required_unless_present = "database_url"
    )]
    pub data_dir: Option<PathBuf>,
    /// The database: `postgres://…` (a Postgres server) or `sqlite:PATH`; default: the
    /// SQLite file in `--data-dir`.
    #[arg(long, env = "PLASMA_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// What this process does: `writer` (follower, checker, watchtower; one per
    /// database, enforced by a lock in it), `api` (the REST API only, read-only, any
    /// number), or `all` (both). `writer` and `api` need a Postgres `--database-url`.
    #[arg(long, env = "PLASMA_INDEXER_ROLE", value_enum, default_value_t = Role::All)]
    pub role: Role,
    /// Listen address of the REST API.
    #[arg(long, env = "PLASMA_INDEXER_LISTEN", default_value = "127.0.0.1:8551")]
    pub listen: SocketAddr,
    /// Private key (hex) used to challenge invalid exits; bonds go to its address.
    #[arg(long, env = "PLASMA_CHALLENGER_KEY", hide_env_values = true)]
    pub challenger_key: Option<String>,
    /// Seconds a committed block's data may stay unavailable before `block_withheld`.
    #[arg(long, env = "PLASMA_WITHHOLDING_TIMEOUT_SECS", default_value_t = 60)]
    pub withholding_timeout_secs: u64,
    /// Warn about an unchallenged invalid exit this many seconds before it matures
    /// (default: half the minimum exit period).
    #[arg(long, env = "PLASMA_MATURITY_WARNING_SECS")]
    pub maturity_warning_secs: Option<u64>,
    /// The indexer reports itself unhealthy (`root_chain_lagging`) once its follower trails
    /// the root chain's head by more than this many blocks beyond `--confirmations`.
    #[arg(long, env = "PLASMA_MAX_ROOT_LAG_BLOCKS", default_value_t = 100)]
    pub max_root_lag_blocks: u64,
    /// The indexer reports itself unhealthy (`child_chain_lagging`) once more than this
    /// many committed child blocks are not checked yet (unless a byzantine event stopped
    /// the checker).
    #[arg(long, env = "PLASMA_MAX_CHILD_LAG_BLOCKS", default_value_t = 10)]
    pub max_child_lag_blocks: u64,
    /// An API replica (`--role api`) reports itself unhealthy (`writer_stale`) once the
    /// writer's last progress report is older than this many seconds (by the database's
    /// clock): the writer stopped, or lost the database.
    #[arg(long, env = "PLASMA_MAX_WRITER_REPORT_AGE_SECS", default_value_t = 30)]
    pub max_writer_report_age_secs: u64,
    /// Block trees kept in memory for proofs.
    #[arg(long, env = "PLASMA_PROOF_CACHE_BLOCKS", default_value_t = 64)]
    pub proof_cache_blocks: usize,
}

/// What a `plasma-indexer` process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Follower, checker, watchtower and the REST API in one process (the default).
    All,
    /// Follower, checker and watchtower; serves only `/health`, `/metrics` and `/v1/status`.
    Writer,
    /// The REST API on a read-only connection.
    Api,
}

impl Role {
    /// Whether this role writes (follows the root chain and checks blocks).
    pub fn writes(self) -> bool {
        matches!(self, Self::All | Self::Writer)
    }

    /// Whether this role serves the whole REST API.
    pub fn serves_api(self) -> bool {
        matches!(self, Self::All | Self::Api)
    }
}

impl Args {
    /// The health checks' limits.
    pub fn health_limits(&self) -> crate::health::HealthLimits {
        crate::health::HealthLimits {
            unreachable_after: self.chain.unreachable_after(),
            max_root_lag: self.max_root_lag_blocks,
            max_child_lag: self.max_child_lag_blocks,
            max_writer_report_age: std::time::Duration::from_secs(self.max_writer_report_age_secs),
        }
    }

    /// The database URL: `--database-url`, else the SQLite file in `--data-dir`.
    pub fn database(&self) -> String {
        match (&self.database_url, &self.data_dir) {
            (Some(url), _) => url.clone(),
            (None, Some(dir)) => format!("sqlite:{}", dir.join("indexer.sqlite").display()),
            (None, None) => "sqlite:indexer.sqlite".into(),
        }
    }
}
