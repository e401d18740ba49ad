//! `plasma challenge`: challenges an exit of a spent output with the spend the indexer
//! knows; the bond goes to the challenger named in the call.

use alloy::primitives::Address;
use plasma_client::wallet;
use serde::Serialize;

use super::{ConnArgs, KeyArgs};
use crate::Output;

/// Arguments of `plasma challenge`.
#[derive(Debug, Clone, clap::Args)]
pub struct ChallengeArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
    #[command(flatten)]
    /// The key that pays for the call.
    pub key: KeyArgs,
    /// Position of the exiting output.
    #[arg(long = "utxo-pos")]
    pub utxo_pos: u64,
    /// Receiver of the bond; defaults to the key's address.
    #[arg(long)]
    pub challenger: Option<Address>,
}

/// The result of `plasma challenge`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Challenged {
    /// The challenged exit.
    pub utxo_pos: u64,
    /// The bond receiver.
    pub challenger: Address,
    /// Gas used.
    pub gas_used: u64,
}

impl ChallengeArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let ctx = self.conn.connect(Some(self.key.signer()?)).await?;
        let challenger = self.challenger.unwrap_or(ctx.me()?);
        let gas_used = wallet::challenge(&ctx, self.utxo_pos, challenger).await?;
        let done = Challenged {
            utxo_pos: self.utxo_pos,
            challenger,
            gas_used,
        };
        out.emit(&done, |c| {
            format!(
                "exit {} challenged; bond to {:#x} (gas {})",
                c.utxo_pos, c.challenger, c.gas_used
            )
        })
    }
}
