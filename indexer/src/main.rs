//! `plasma-indexer`: the indexer and watchtower service (flags in docs/SPEC.md).

use clap::Parser;

#[tokio::main]
async fn main() -> eyre::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    plasma_indexer::run(plasma_indexer::Args::parse()).await?;
    Ok(())
}
