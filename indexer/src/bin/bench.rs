//! `plasma-indexer-bench`: benchmark commands of the indexer (docs/INDEXER.md).

use clap::{Parser, Subcommand};
use plasma_service::pg_server::PgServer;
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
        #[arg(long, required_unless_present = "database_url")]
        db: Option<PathBuf>,
        /// An empty Postgres database to fill instead (migrated first).
        #[arg(long, conflicts_with = "db")]
        database_url: Option<String>,
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
    /// Catch-up into SQLite and into Postgres in the same run, rates side by side.
    CatchUpBoth {
        /// SQLite file to create.
        #[arg(long)]
        db: PathBuf,
        /// An empty Postgres database (default: a throwaway server from the npm package).
        #[arg(long)]
        database_url: Option<String>,
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
            database_url,
            txs,
            block_size,
        } => {
            let url = database_url
                .or_else(|| db.map(|path| path.display().to_string()))
                .ok_or_else(|| eyre::eyre!("--db or --database-url is required"))?;
            plasma_indexer::bench::gen_db(&url, txs, block_size).await?
        }
        Command::CatchUp {
            db,
            txs,
            block_size,
        } => {
            let rate = plasma_indexer::bench::catch_up(&db, txs, block_size).await?;
            tracing::info!("catch-up: {rate:.0} tx/s");
        }
        Command::CatchUpBoth {
            db,
            database_url,
            txs,
            block_size,
        } => {
            use plasma_indexer::bench::catch_up_into;
            let sqlite = plasma_indexer::bench::catch_up(&db, txs, block_size).await?;
            let server = match database_url {
                Some(_) => None,
                None => Some(tokio::task::spawn_blocking(PgServer::start).await??),
            };
            let url = match (&database_url, &server) {
                (Some(url), _) => url.clone(),
                (None, Some(server)) => server.database("catch_up").await?,
                (None, None) => unreachable!("a server is started without a URL"),
            };
            let store = plasma_indexer::store::PgStore::open(&url).await?;
            let postgres = catch_up_into(store, txs, block_size).await?;
            tracing::info!(
                "catch-up of {txs} tx: sqlite {sqlite:.0} tx/s, postgres {postgres:.0} tx/s ({:.2} x)",
                postgres / sqlite
            );
        }
    }
    Ok(())
}
