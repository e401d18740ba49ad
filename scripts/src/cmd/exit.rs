//! `plasma exit`: starts standard exits of the caller's outputs with the inclusion proofs
//! the indexer serves, or (`--in-flight`) the in-flight exit of a transaction in the
//! wallet's journal, piggybacking what the key owns in it when asked.

use plasma_client::inflight::{self, Slot};
use plasma_client::journal::Entry;
use plasma_client::user::{InFlightStarted, Piggybacked};
use plasma_client::wallet;
use serde::Serialize;

use super::UserArgs;
use crate::Output;

/// Arguments of `plasma exit`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExitArgs {
    #[command(flatten)]
    /// Connection, key and journal.
    pub user: UserArgs,
    /// Positions of the outputs to exit.
    #[arg(long = "utxo-pos", required_unless_present_any = ["all", "in_flight"])]
    pub utxo_pos: Vec<u64>,
    /// Exit every unspent output the indexer lists for the key's address.
    #[arg(long, conflicts_with_all = ["utxo_pos", "in_flight"])]
    pub all: bool,
    /// Start the in-flight exit of a journal entry (its id or transaction hash).
    #[arg(
        long,
        value_name = "JOURNAL_ID_OR_TX_HASH",
        conflicts_with = "utxo_pos"
    )]
    pub in_flight: Option<String>,
    /// With `--in-flight`: then piggyback every input and output the key owns in it.
    #[arg(long, requires = "in_flight")]
    pub piggyback: bool,
}

/// The result of `plasma exit --in-flight`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlightExited {
    /// The journal entry, in its new state.
    pub entry: Entry,
    /// The start.
    pub started: InFlightStarted,
    /// The piggybacks made (with `--piggyback`).
    pub piggybacks: Vec<Piggybacked>,
}

impl ExitArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let (ctx, journal) = self.user.connect().await?;
        if let Some(key) = &self.in_flight {
            let (entry, started) = inflight::exit_journaled(&ctx, &journal, key).await?;
            let mut piggybacks = Vec::new();
            if self.piggyback {
                for slot in inflight::slots_of(&ctx, &entry.tx, ctx.me()?).await? {
                    piggybacks.push(inflight::piggyback(&ctx, &entry.tx, slot).await?);
                }
            }
            let done = InFlightExited {
                entry,
                started,
                piggybacks,
            };
            return out.emit(&done, |d| {
                let mut lines = vec![format!(
                    "in-flight exit {:#x} of journal entry {} started: processable at {}, bond {} (gas {})",
                    d.started.exit_id,
                    d.entry.id,
                    d.started.exitable_at,
                    d.started.bond,
                    d.started.tx.gas_used
                )];
                lines.extend(d.piggybacks.iter().map(piggyback_line));
                lines.join("\n")
            });
        }
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

/// One piggyback on one line.
pub fn piggyback_line(p: &Piggybacked) -> String {
    let slot = if p.is_output {
        Slot::Output(p.index)
    } else {
        Slot::Input(p.index)
    };
    format!(
        "piggybacked {slot:?} of {:#x}: {} of {} to {:#x}, bond {} (gas {})",
        p.exit_id, p.amount, p.token, p.owner, p.bond, p.tx.gas_used
    )
}
