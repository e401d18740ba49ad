//! `plasma deposit`: moves ETH or an ERC-20 token into the child chain.

use alloy::primitives::Address;
use plasma_client::wallet;

use super::{ConnArgs, KeyArgs};
use crate::Output;

/// Arguments of `plasma deposit`.
#[derive(Debug, Clone, clap::Args)]
pub struct DepositArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
    #[command(flatten)]
    /// Depositor's key.
    pub key: KeyArgs,
    /// Amount in whole units (`1.5` ETH, `100` USDC); the token's decimals apply.
    #[arg(long)]
    pub amount: String,
    /// ERC-20 token address; ETH when omitted.
    #[arg(long)]
    pub token: Option<Address>,
    /// Owner of the child-chain output; defaults to the depositor.
    #[arg(long)]
    pub owner: Option<Address>,
}

impl DepositArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let ctx = self.conn.connect(Some(self.key.signer()?)).await?;
        let owner = self.owner.unwrap_or(ctx.me()?);
        let token = self.token.unwrap_or(Address::ZERO);
        let deposited = wallet::deposit(&ctx, token, owner, &self.amount).await?;
        out.emit(&deposited, |d| {
            format!(
                "deposited {} of {} for {:#x}\ndeposit block {}, output {}\ngas used {}",
                d.amount, d.token, d.owner, d.blknum, d.utxo_pos, d.gas_used
            )
        })
    }
}
