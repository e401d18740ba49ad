//! `plasma exit`: starts standard exits of the caller's outputs with the inclusion proofs
//! the indexer serves.

use eyre::{WrapErr, bail};

use super::{ConnArgs, KeyArgs};
use crate::Output;
use crate::user::{self, ExitStarted};

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
            let utxos = ctx
                .indexer
                .utxos(ctx.me()?)
                .await
                .wrap_err("listing outputs")?;
            utxos
                .iter()
                .filter(|u| u.exit_status.is_none())
                .map(|u| u.utxo_pos)
                .collect()
        } else {
            self.utxo_pos.clone()
        };
        if positions.is_empty() {
            bail!(
                "nothing to exit: the indexer lists no unspent outputs for {:#x}",
                ctx.me()?
            );
        }
        let mut started: Vec<ExitStarted> = Vec::new();
        for pos in positions {
            let data = ctx
                .indexer
                .exit_data(pos)
                .await
                .wrap_err_with(|| format!("exit data for {pos}"))?;
            let exit = user::start_exit(&ctx.root, &data).await?;
            tracing::info!(
                utxo_pos = pos,
                exitable_at = exit.exitable_at,
                "exit started"
            );
            started.push(exit);
        }
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
