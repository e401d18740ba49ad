//! `plasma process`: pays out matured exits of a token in priority order.

use alloy::primitives::Address;

use super::{ConnArgs, KeyArgs};
use crate::Output;
use crate::user;

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
        let processed = user::process_exits(&ctx.root, self.token.unwrap_or(Address::ZERO), self.max).await?;
        out.emit(&processed, |p| format!("processed {} exits {:?} (gas {})", p.exits.len(), p.exits, p.gas_used))
    }
}
