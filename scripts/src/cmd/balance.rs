//! `plasma balance`: an address's balances on the root chain and on the child chain.

use alloy::primitives::Address;
use plasma_client::query;

use super::{ConnArgs, address_or_key};
use crate::Output;

/// Arguments of `plasma balance`.
#[derive(Debug, Clone, clap::Args)]
pub struct BalanceArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
    /// The address; defaults to the key's address.
    #[arg(long)]
    pub address: Option<Address>,
    /// Private key whose address to use when --address is not given.
    #[arg(long, env = "PLASMA_PRIVATE_KEY", hide_env_values = true)]
    pub private_key: Option<String>,
    /// ERC-20 tokens whose root-chain balance to show as well.
    #[arg(long = "token")]
    pub tokens: Vec<Address>,
}

impl BalanceArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let address = address_or_key(self.address, self.private_key.as_deref())?;
        let ctx = self.conn.connect(None).await?;
        let balances = query::balances(&ctx, address, &self.tokens).await?;
        out.emit(&balances, |b| {
            let mut text = format!("{:#x}\nroot chain:", b.address);
            for (token, amount) in &b.root_chain {
                text.push_str(&format!("\n  {} {amount}", token_name(token)));
            }
            text.push_str("\nchild chain:");
            for (token, amount) in &b.child_chain {
                text.push_str(&format!("\n  {} {amount}", token_name(token)));
            }
            text
        })
    }
}

/// `ETH` for the zero address, else the address.
pub fn token_name(token: &Address) -> String {
    if token.is_zero() {
        "ETH".to_owned()
    } else {
        format!("{token:#x}")
    }
}
