//! `plasma balance`: an address's balances on the root chain and on the child chain.

use std::collections::BTreeMap;

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use eyre::WrapErr;
use serde::Serialize;

use super::{ConnArgs, address_or_key};
use crate::Output;
use crate::user::IERC20;

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

/// Balances of one address, in base units.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Balances {
    /// The address.
    pub address: Address,
    /// Root-chain balances by token (zero address = ETH), decimal strings.
    pub root_chain: BTreeMap<Address, String>,
    /// Child-chain balances (sum of unspent outputs) by token, decimal strings.
    pub child_chain: BTreeMap<Address, String>,
}

impl BalanceArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let address = address_or_key(self.address, self.private_key.as_deref())?;
        let ctx = self.conn.connect(None).await?;
        let mut root_chain = BTreeMap::new();
        let eth = ctx
            .provider
            .get_balance(address)
            .await
            .wrap_err("reading the ETH balance")?;
        root_chain.insert(Address::ZERO, eth.to_string());
        for token in &self.tokens {
            let balance = IERC20::new(*token, ctx.provider.clone())
                .balanceOf(address)
                .call()
                .await
                .wrap_err_with(|| format!("reading the balance of {token}"))?;
            root_chain.insert(*token, balance.to_string());
        }
        let mut child: BTreeMap<Address, U256> = BTreeMap::new();
        for utxo in ctx
            .indexer
            .utxos(address)
            .await
            .wrap_err("listing outputs at the indexer")?
        {
            *child.entry(utxo.token).or_default() += utxo.amount;
        }
        let child_chain = child.into_iter().map(|(t, a)| (t, a.to_string())).collect();
        let balances = Balances {
            address,
            root_chain,
            child_chain,
        };
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
