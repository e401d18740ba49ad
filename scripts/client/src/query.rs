//! Read-only views of a deployed system: an address's balances on both chains, and the
//! combined status of the root chain, the operator and the indexer.

use std::collections::BTreeMap;

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use eyre::WrapErr;
use serde::Serialize;

use crate::api::{ClientError, IndexerStatus, OperatorStatus};
use crate::ctx::Ctx;
use crate::user::IERC20;

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

/// `address`'s ETH and `tokens` balances on the root chain, and its unspent outputs at
/// the indexer summed by token.
pub async fn balances(ctx: &Ctx, address: Address, tokens: &[Address]) -> eyre::Result<Balances> {
    let mut root_chain = BTreeMap::new();
    let eth = ctx
        .provider
        .get_balance(address)
        .await
        .wrap_err("reading the ETH balance")?;
    root_chain.insert(Address::ZERO, eth.to_string());
    for token in tokens {
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
    Ok(Balances {
        address,
        root_chain,
        child_chain,
    })
}

/// A service's status document, or why it could not be read.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Reach<T> {
    /// The document.
    Up(Box<T>),
    /// The error reaching the service.
    Unreachable {
        /// What went wrong.
        unreachable: String,
    },
}

impl<T: Serialize> Reach<T> {
    /// The document, or the error's message.
    pub fn of(r: Result<T, ClientError>) -> Self {
        r.map_or_else(
            |e| Self::Unreachable {
                unreachable: e.to_string(),
            },
            |v| Self::Up(Box::new(v)),
        )
    }
}

/// The combined status.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// RootChain address.
    pub root_chain: Address,
    /// Latest root-chain block.
    pub root_block: u64,
    /// Next child block number on chain.
    pub next_child_block: u64,
    /// Next deposit block number on chain.
    pub next_deposit_block: u64,
    /// Entries in the ETH exit queue.
    pub eth_exit_queue: u64,
    /// The operator's status, or the error reaching it.
    pub operator: Reach<OperatorStatus>,
    /// The indexer's status, or the error reaching it.
    pub indexer: Reach<IndexerStatus>,
}

/// Reads the root chain's view of the deployment and both services' status documents (an
/// unreachable service is part of the answer, not an error).
pub async fn status(ctx: &Ctx) -> eyre::Result<Status> {
    let root_block = ctx
        .provider
        .get_block_number()
        .await
        .wrap_err("reading the block number")?;
    let next_child_block = ctx
        .root
        .nextChildBlock()
        .call()
        .await
        .wrap_err("reading nextChildBlock")?
        .to();
    let next_deposit_block = ctx.root.nextDepositBlock().call().await?.to();
    let eth_exit_queue = ctx.root.exitQueueLength(Address::ZERO).call().await?.to();
    Ok(Status {
        root_chain: ctx.deployment.root_chain,
        root_block,
        next_child_block,
        next_deposit_block,
        eth_exit_queue,
        operator: Reach::of(ctx.operator.status().await),
        indexer: Reach::of(ctx.indexer.status().await),
    })
}
