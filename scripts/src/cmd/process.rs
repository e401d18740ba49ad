//! `plasma process`: pays out matured exits of a token in priority order.

use alloy::primitives::Address;

use super::{ConnArgs, KeyArgs};
use plasma_client::user;

use crate::Output;

/// Arguments of `plasma process`.
#[derive(Debug, Clone, clap::Args)]
pub struct ProcessArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
    #[command(flatten)]
    /// The key that pays for the call (and collects the bounties).
    pub key: KeyArgs,
    /// The token whose queue to process; ETH when omitted.
    #[arg(long)]
    pub token: Option<Address>,
    /// Upper bound on queue entries to pop.
    #[arg(long, default_value_t = 10)]
    pub max: u64,
}

impl ProcessArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let ctx = self.conn.connect(Some(self.key.signer()?)).await?;
        let token = self.token.unwrap_or(Address::ZERO);
        let processed = user::process_exits(&ctx.root, token, self.max).await?;
        // When nothing matured, say when the head of the queue will.
        let next = match processed.exits.is_empty() {
            true => ctx
                .root
                .nextExit(token)
                .call()
                .await
                .ok()
                .map(|head| head.exitableAt),
            false => None,
        };
        out.emit(&processed, |p| {
            let mut text = format!(
                "processed {} exits {:?} (gas {})",
                p.exits.len(),
                p.exits,
                p.gas_used
            );
            if let Some(at) = next {
                text.push_str(&format!(
                    "\nthe next exit becomes processable at unix time {at}"
                ));
            }
            if !p.deferred.is_empty() {
                text.push_str(&format!(
                    "\npayouts deferred to `withdraw` (transfer failed): {:?}",
                    p.deferred
                ));
            }
            text
        })
    }
}
