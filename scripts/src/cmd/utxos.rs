//! `plasma utxos`: an address's unspent child-chain outputs, from the indexer.

use alloy::primitives::Address;
use eyre::WrapErr;
use plasma_core::position::UtxoPos;

use super::address_or_key;
use crate::Output;
use crate::api::IndexerClient;
use crate::cmd::balance::token_name;

/// Arguments of `plasma utxos`.
#[derive(Debug, Clone, clap::Args)]
pub struct UtxosArgs {
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

impl UtxosArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let address = address_or_key(self.address, self.private_key.as_deref())?;
        let utxos = IndexerClient::new(&self.indexer_url).utxos(address).await.wrap_err("listing outputs")?;
        out.emit(&utxos, |list| {
            if list.is_empty() {
                return format!("{address:#x} has no unspent outputs");
            }
            list.iter()
                .map(|u| {
                    let p = UtxoPos(u.utxo_pos);
                    format!(
                        "{:>20}  block {:>10} tx {:>5} out {}  {} {}",
                        u.utxo_pos,
                        p.blknum(),
                        p.txindex(),
                        p.oindex(),
                        token_name(&u.token),
                        u.amount
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
    }
}

