//! `plasma utxos`: an address's unspent child-chain outputs, from the indexer.

use eyre::WrapErr;
use plasma_core::position::UtxoPos;

use super::AddressArgs;
use crate::Output;
use crate::cmd::balance::token_name;

/// Arguments of `plasma utxos`.
#[derive(Debug, Clone, clap::Args)]
pub struct UtxosArgs {
    #[command(flatten)]
    /// Whose.
    pub who: AddressArgs,
}

impl UtxosArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let (address, indexer) = self.who.resolve()?;
        let utxos = indexer.utxos(address).await.wrap_err("listing outputs")?;
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
