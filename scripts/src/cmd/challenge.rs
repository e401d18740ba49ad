//! `plasma challenge`: challenges an exit of a spent output with the spend the indexer
//! knows (`--utxo-pos`), or acts in an in-flight exit's game (`--in-flight <tx> --case …`):
//! shows the oldest competitor (non-canonical), answers a canonicity challenge with the
//! inclusion proof (respond), or removes the piggyback of a spent input or output. Every
//! bond share goes to the challenger named in the call.

use alloy::primitives::Address;
use plasma_client::inflight;
use plasma_client::user::{CanonicityChallenged, CanonicityResponded, PiggybackChallenged};
use plasma_client::wallet;
use serde::Serialize;

use super::UserArgs;
use crate::Output;

/// The in-flight cases of `plasma challenge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InFlightCase {
    /// Show a competing spend of an input: the exit becomes non-canonical.
    NonCanonical,
    /// Answer a canonicity challenge with the transaction's inclusion proof.
    Respond,
    /// Remove the piggyback of an input another transaction spends.
    InputSpent,
    /// Remove the piggyback of output `--output`, spent by journal entry `--spend`.
    OutputSpent,
}

/// Arguments of `plasma challenge`.
#[derive(Debug, Clone, clap::Args)]
pub struct ChallengeArgs {
    #[command(flatten)]
    /// Connection, key and journal.
    pub user: UserArgs,
    /// Position of the exiting output (a standard exit).
    #[arg(long = "utxo-pos", required_unless_present = "in_flight")]
    pub utxo_pos: Option<u64>,
    /// The in-flight transaction: a journal id, a transaction hash or its bytes.
    #[arg(long, conflicts_with = "utxo_pos", requires = "case")]
    pub in_flight: Option<String>,
    /// What to do in the in-flight exit's game.
    #[arg(long, value_enum, requires = "in_flight")]
    pub case: Option<InFlightCase>,
    /// With `--case output-spent`: the piggybacked output.
    #[arg(long, required_if_eq("case", "output-spent"))]
    pub output: Option<u8>,
    /// With `--case output-spent`: the journal entry that spends it.
    #[arg(long, required_if_eq("case", "output-spent"))]
    pub spend: Option<String>,
    /// Receiver of the bond; defaults to the key's address.
    #[arg(long)]
    pub challenger: Option<Address>,
}

/// The result of `plasma challenge` on a standard exit.
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

/// What `plasma challenge` did, by case.
#[derive(Debug, Serialize)]
#[serde(tag = "case", rename_all = "kebab-case")]
pub enum ChallengeResult {
    /// A standard exit challenged.
    Standard(Challenged),
    /// An in-flight exit made non-canonical.
    NonCanonical(CanonicityChallenged),
    /// A canonicity challenge answered.
    Respond(CanonicityResponded),
    /// An input piggyback removed.
    InputSpent(PiggybackChallenged),
    /// An output piggyback removed.
    OutputSpent(PiggybackChallenged),
}

impl ChallengeArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let (ctx, journal) = self.user.connect().await?;
        let challenger = self.challenger.unwrap_or(ctx.me()?);
        let result = match (self.utxo_pos, &self.in_flight, self.case) {
            (Some(utxo_pos), _, _) => {
                let gas_used = wallet::challenge(&ctx, utxo_pos, challenger).await?;
                ChallengeResult::Standard(Challenged {
                    utxo_pos,
                    challenger,
                    gas_used,
                })
            }
            (None, Some(key), Some(case)) => {
                let tx = inflight::resolve_tx(&ctx, Some(&journal), key).await?;
                match case {
                    InFlightCase::NonCanonical => ChallengeResult::NonCanonical(
                        inflight::challenge_non_canonical(&ctx, &tx, challenger).await?,
                    ),
                    InFlightCase::Respond => ChallengeResult::Respond(
                        inflight::respond_to_canonicity_challenge(&ctx, &tx).await?,
                    ),
                    InFlightCase::InputSpent => ChallengeResult::InputSpent(
                        inflight::challenge_input_spent(&ctx, &tx, challenger).await?,
                    ),
                    InFlightCase::OutputSpent => {
                        let (Some(output), Some(spend)) = (self.output, &self.spend) else {
                            eyre::bail!("--case output-spent needs --output and --spend");
                        };
                        let spend = journal.get(spend)?.signed();
                        ChallengeResult::OutputSpent(
                            inflight::challenge_output_spent(&ctx, &tx, output, &spend, challenger)
                                .await?,
                        )
                    }
                }
            }
            _ => eyre::bail!("give --utxo-pos, or --in-flight with --case"),
        };
        out.emit(&result, |r| match r {
            ChallengeResult::Standard(c) => format!(
                "exit {} challenged; bond to {:#x} (gas {})",
                c.utxo_pos, c.challenger, c.gas_used
            ),
            ChallengeResult::NonCanonical(c) => format!(
                "in-flight exit {:#x} challenged with {:#x}: non-canonical; share to {:#x} (gas {})",
                c.exit_id, c.competing_tx_hash, c.challenger, c.tx.gas_used
            ),
            ChallengeResult::Respond(c) => format!(
                "in-flight exit {:#x} proven included at {}: canonical (gas {})",
                c.exit_id, c.tx_pos, c.tx.gas_used
            ),
            ChallengeResult::InputSpent(c) | ChallengeResult::OutputSpent(c) => format!(
                "piggyback on {} {} of {:#x} removed; share to {:#x} (gas {})",
                if c.is_output { "output" } else { "input" },
                c.index,
                c.exit_id,
                c.challenger,
                c.tx.gas_used
            ),
        })
    }
}
