//! `plasma history`: an address's deposits, transfers and exits, from the indexer.

use alloy::primitives::Address;
use eyre::WrapErr;

use super::address_or_key;
use crate::Output;
use crate::api::IndexerClient;

/// Arguments of `plasma history`.
#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// The indexer's HTTP API.
    #[arg(long, env = "PLASMA_INDEXER_URL", default_value = "http://127.0.0.1:8551")]
    pub indexer_url: String,
    /// The address; defaults to the key's address.
    #[arg(long)]
    pub address: Option<Address>,
    /// Private key whose address to use when --address is not given.
    #[arg(long, env = "PLASMA_PRIVATE_KEY", hide_env_values = true)]
    pub private_key: Option<String>,
}

impl HistoryArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let address = address_or_key(self.address, self.private_key.as_deref())?;
        let history = IndexerClient::new(&self.indexer_url).history(address).await.wrap_err("reading the history")?;
        out.emit(&history, |h| serde_json::to_string_pretty(h).unwrap_or_default())
    }
}
