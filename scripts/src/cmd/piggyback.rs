//! `plasma piggyback`: claims an input or an output of an in-flight exit (its owner's key
//! pays the piggyback bond); without `--input`/`--output`, every one the key owns.

use plasma_client::inflight::{self, Slot};
use plasma_client::user::Piggybacked;

use super::UserArgs;
use super::exit::piggyback_line;
use crate::Output;

/// Arguments of `plasma piggyback`.
#[derive(Debug, Clone, clap::Args)]
pub struct PiggybackArgs {
    #[command(flatten)]
    /// Connection, key and journal.
    pub user: UserArgs,
    /// The in-flight transaction: a journal id, a transaction hash (journal entry or
    /// in-flight exit id the indexer follows) or its bytes.
    #[arg(long, value_name = "JOURNAL_ID_OR_TX_HASH_OR_BYTES")]
    pub tx: String,
    /// Piggyback only this input.
    #[arg(long, conflicts_with = "output")]
    pub input: Option<u8>,
    /// Piggyback only this output.
    #[arg(long)]
    pub output: Option<u8>,
}

impl PiggybackArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let (ctx, journal) = self.user.connect().await?;
        let tx = inflight::resolve_tx(&ctx, Some(&journal), &self.tx).await?;
        let slots = match (self.input, self.output) {
            (Some(i), _) => vec![Slot::Input(i)],
            (_, Some(o)) => vec![Slot::Output(o)],
            (None, None) => inflight::slots_of(&ctx, &tx, ctx.me()?).await?,
        };
        eyre::ensure!(
            !slots.is_empty(),
            "{:#x} owns no input or output of this transaction",
            ctx.me()?
        );
        let mut done: Vec<Piggybacked> = Vec::new();
        for slot in slots {
            done.push(inflight::piggyback(&ctx, &tx, slot).await?);
        }
        out.emit(&done, |list| {
            list.iter()
                .map(piggyback_line)
                .collect::<Vec<_>>()
                .join("\n")
        })
    }
}
