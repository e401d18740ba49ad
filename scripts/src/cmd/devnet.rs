//! `plasma devnet`: the one-command local system. Starts anvil, deploys RootChain and a
//! mock ERC-20, funds the development accounts, starts `plasma-operator` and
//! `plasma-indexer` (found next to this executable) on SQLite files in the data
//! directory, prints endpoints and keys, and runs until Ctrl-C or until a child dies.
//! `--exit-after-ready` (alias `--smoke`) proves the system works instead: one deposit and
//! one transfer, checked through the indexer, then a clean shutdown.

use std::path::PathBuf;
use std::time::Instant;

use eyre::WrapErr;
use plasma_devnet::IndexerDb;
use plasma_devnet::smoke;
use plasma_devnet::stack::{Endpoints, FIRST_USER_ACCOUNT, Stack, StackConfig};
use tokio::signal::unix::{SignalKind, signal};

use crate::Output;

/// Arguments of `plasma devnet`.
#[derive(Debug, Clone, clap::Args)]
pub struct DevnetArgs {
    /// Directory for the deployment file, the SQLite files and the logs (wiped at start).
    #[arg(long, default_value = ".devnet")]
    pub data_dir: PathBuf,
    /// anvil's port; the operator listens on port + 5 and the indexer on port + 6.
    #[arg(long, default_value_t = 8545)]
    pub port: u16,
    /// anvil's block time in seconds (0 mines one block per transaction).
    #[arg(long, default_value_t = 1)]
    pub block_time: u64,
    /// Minimum exit period in seconds.
    #[arg(long, default_value_t = 60)]
    pub min_exit_period: u64,
    /// The operator's block interval in milliseconds.
    #[arg(long, default_value_t = 1_000)]
    pub block_interval_ms: u64,
    /// The indexer's database: `sqlite` (one indexer, a file in the data directory) or
    /// `postgres` (a throwaway Postgres server from the pinned npm package, one writer and
    /// two API replicas; the indexer URL is the first replica).
    #[arg(long, value_enum, default_value_t = IndexerDb::Sqlite)]
    pub indexer_db: IndexerDb,
    /// Bring everything up, check health, make one deposit and one transfer, shut down.
    #[arg(long, alias = "smoke")]
    pub exit_after_ready: bool,
}

impl DevnetArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let mut config = StackConfig::new(self.data_dir.clone(), self.port);
        config.block_time = (self.block_time > 0).then_some(self.block_time);
        config.params.min_exit_period = self.min_exit_period;
        config.block_interval_ms = self.block_interval_ms;
        config.indexer_db = self.indexer_db;
        let started = Instant::now();
        let mut stack = Stack::start(&config).await?;
        tracing::info!(elapsed = ?started.elapsed(), "devnet ready");
        out.emit(&stack.endpoints, describe)?;

        if self.exit_after_ready {
            let endpoints = stack.endpoints.clone();
            let result = tokio::select! {
                r = smoke::run(&endpoints) => r,
                e = stack.any_exited() => Err(e),
            };
            stack.stop().await?;
            return result;
        }

        let mut term =
            signal(SignalKind::terminate()).wrap_err("installing the SIGTERM handler")?;
        tracing::info!("running; Ctrl-C stops everything");
        let died = tokio::select! {
            _ = tokio::signal::ctrl_c() => None,
            _ = term.recv() => None,
            e = stack.any_exited() => Some(e),
        };
        tracing::info!("stopping");
        stack.stop().await?;
        match died {
            Some(e) => Err(e.wrap_err("a devnet process died; everything was stopped")),
            None => Ok(()),
        }
    }
}

fn describe(e: &Endpoints) -> String {
    let mut text = format!(
        "root chain (anvil)  {}\noperator            {}\nindexer             {}\n\
         RootChain           {:#x}\nmock ERC-20 (18 dp) {:#x}\ndeployment file     {}",
        e.rpc_url,
        e.operator_url,
        e.indexer_url,
        e.deployment.root_chain,
        e.token,
        e.deployment_file.display()
    );
    if let (Some(writer), Some(db)) = (&e.indexer_writer_url, &e.indexer_database_url) {
        text.push_str(&format!(
            "\nindexer replicas    {}\nindexer writer      {writer}  (health, metrics, status)\nindexer database    {db}",
            e.indexer_replica_urls.join("  ")
        ));
    }
    text.push_str("\n\naccounts:");
    for a in &e.accounts {
        text.push_str(&format!("\n  {:#x}  {}  {}", a.address, a.key, a.role));
    }
    text.push_str(&format!(
        "\n\ntry:  plasma deposit --deployment {} --private-key {} --amount 1",
        e.deployment_file.display(),
        e.accounts[FIRST_USER_ACCOUNT].key
    ));
    text
}
