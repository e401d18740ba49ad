//! `plasma exit`: starts standard exits of the caller's outputs with the inclusion proofs
//! the indexer serves.

use plasma_client::wallet;

use super::{ConnArgs, KeyArgs};
use crate::Output;

/// Arguments of `plasma exit`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExitArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
    #[command(flatten)]
    /// The output owner's key.
    pub key: KeyArgs,
    /// Positions of the outputs to exit.
    #[arg(long = "utxo-pos", required_unless_present = "all")]
    pub utxo_pos: Vec<u64>,
    /// Exit every unspent output the indexer lists for the key's address.
    #[arg(long, conflicts_with = "utxo_pos")]
    pub all: bool,
}

impl ExitArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let ctx = self.conn.connect(Some(self.key.signer()?)).await?;
        let positions = if self.all {
            wallet::exitable_positions(&ctx).await?
        } else {
            self.utxo_pos.clone()
        };
        let started = wallet::start_exits(&ctx, &positions).await?;
        out.emit(&started, |list| {
            list.iter()
                .map(|e| {
                    format!(
                        "exit {} started: {} of {}, processable at {} (gas {})",
                        e.utxo_pos, e.amount, e.token, e.exitable_at, e.gas_used
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
    }
}
