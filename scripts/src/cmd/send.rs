//! `plasma send`: builds a payment from the sender's unspent outputs (listed by the
//! indexer), signs it (EIP-712), records it in the wallet's journal (fsynced) and only
//! then submits it to the operator.

use std::time::Duration;

use alloy::primitives::{Address, U256};
use eyre::WrapErr;
use plasma_client::wallet::{self, Sent};

use super::UserArgs;
use crate::Output;

/// Arguments of `plasma send`.
#[derive(Debug, Clone, clap::Args)]
pub struct SendArgs {
    #[command(flatten)]
    /// Connection, key and journal.
    pub user: UserArgs,
    /// Recipient.
    #[arg(long)]
    pub to: Address,
    /// Amount in whole units of the token.
    #[arg(long)]
    pub amount: String,
    /// ERC-20 token; ETH when omitted.
    #[arg(long)]
    pub token: Option<Address>,
    /// Fee in whole units of the same token, left to the operator.
    #[arg(long, default_value = "0")]
    pub fee: String,
    /// Wait (up to this many seconds) until the indexer lists the recipient's new output.
    #[arg(long)]
    pub wait: Option<u64>,
}

impl SendArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let (ctx, journal) = self.user.connect().await?;
        let token = self.token.unwrap_or(Address::ZERO);
        let amount = wallet::amount_of(&ctx, token, &self.amount).await?;
        let fee = if self.fee.trim() == "0" {
            U256::ZERO
        } else {
            wallet::amount_of(&ctx, token, &self.fee).await?
        };
        let before = ctx
            .indexer
            .utxos(self.to)
            .await
            .wrap_err("listing the recipient's outputs")?;
        let sent = wallet::send_payment(&ctx, Some(&journal), self.to, token, amount, fee).await?;
        let included = match self.wait {
            Some(secs) => Some(
                wallet::wait_for_new_output(&ctx, self.to, &before, Duration::from_secs(secs))
                    .await?,
            ),
            None => None,
        };
        if included == Some(true) {
            plasma_client::mine::refresh_journal(&ctx, &journal).await?;
        }
        let sent = Sent { included, ..sent };
        out.emit(&sent, |s| {
            let mut text = format!("submitted {:#x} spending {:?}", s.tx_hash, s.inputs);
            if let Some(id) = s.journal_id {
                text.push_str(&format!(" (journal entry {id})"));
            }
            if let Some(included) = s.included {
                text.push_str(if included {
                    "\nincluded in a block"
                } else {
                    "\nnot seen in a block yet"
                });
            }
            text
        })
    }
}
