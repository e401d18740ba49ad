//! `plasma history`: an address's deposits, transfers and exits, from the indexer.

use eyre::WrapErr;

use super::AddressArgs;
use crate::Output;

/// Arguments of `plasma history`.
#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    /// Whose.
    pub who: AddressArgs,
}

impl HistoryArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let (address, indexer) = self.who.resolve()?;
        let history = indexer
            .history(address)
            .await
            .wrap_err("reading the history")?;
        out.emit(&history, |h| {
            serde_json::to_string_pretty(h).unwrap_or_default()
        })
    }
}
