//! `plasma-indexer`: the indexer and watchtower service (flags in docs/SPEC.md).

use clap::Parser;

#[tokio::main]
async fn main() -> eyre::Result<()> {
    plasma_service::init_tracing();
    plasma_indexer::run(plasma_indexer::Args::parse()).await?;
    Ok(())
}
