//! `plasma deposit`: moves ETH or an ERC-20 token into the child chain.

use alloy::primitives::Address;
use eyre::WrapErr;

use super::{ConnArgs, KeyArgs};
use crate::Output;
use crate::chain::parse_amount;
use crate::user::{self, IERC20};

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
        let deposited = match self.token {
            None => user::deposit_eth(&ctx.root, owner, parse_amount(&self.amount, 18)?).await?,
            Some(token) => {
                let decimals = IERC20::new(token, ctx.provider.clone())
                    .decimals()
                    .call()
                    .await
                    .wrap_err_with(|| {
                        format!("{token} does not answer decimals(): is it an ERC-20?")
                    })?;
                user::deposit_token(
                    &ctx.root,
                    ctx.me()?,
                    token,
                    owner,
                    parse_amount(&self.amount, decimals)?,
                )
                .await?
            }
        };
        out.emit(&deposited, |d| {
            format!(
                "deposited {} of {} for {:#x}\ndeposit block {}, output {}\ngas used {}",
                d.amount, d.token, d.owner, d.blknum, d.utxo_pos, d.gas_used
            )
        })
    }
}
