//! `plasma-indexer-bench`: benchmark commands of the indexer (docs/INDEXER.md).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "plasma-indexer-bench", about = "Indexer benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a database of N transactions for the exit-data load test.
    GenDb {
        /// SQLite file to create.
        #[arg(long)]
        db: PathBuf,
        /// Number of transactions.
        #[arg(long, default_value_t = 1_048_576)]
        txs: usize,
        /// Transactions per block.
        #[arg(long, default_value_t = 65_536)]
        block_size: usize,
    },
    /// Measure catch-up from a loopback feed of signed blocks.
    CatchUp {
        /// SQLite file to create.
        #[arg(long)]
        db: PathBuf,
        /// Number of transactions.
        #[arg(long, default_value_t = 262_144)]
        txs: usize,
        /// Transactions per block.
        #[arg(long, default_value_t = 65_536)]
        block_size: usize,
    },
}

#[tokio::main]
async fn main() -> eyre::Result<()> {
    plasma_service::init_tracing();
    match Cli::parse().command {
        Command::GenDb {
            db,
            txs,
            block_size,
        } => plasma_indexer::bench::gen_db(&db, txs, block_size).await?,
        Command::CatchUp {
            db,
            txs,
            block_size,
        } => {
            let rate = plasma_indexer::bench::catch_up(&db, txs, block_size).await?;
            tracing::info!("catch-up: {rate:.0} tx/s");
        }
    }
    Ok(())
}
