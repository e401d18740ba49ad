//! `plasma status`: the root chain's view of the deployment, and the operator's and the
//! indexer's status documents (with the indexer's byzantine events).

use alloy::primitives::Address;
use alloy::providers::Provider;
use eyre::WrapErr;
use serde::Serialize;
use serde_json::Value;

use super::ConnArgs;
use crate::Output;

/// Arguments of `plasma status`.
#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
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
    pub operator: Value,
    /// The indexer's status, or the error reaching it.
    pub indexer: Value,
}

impl StatusArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let ctx = self.conn.connect(None).await?;
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
        let reachable = |r: Result<Value, crate::api::ClientError>| {
            r.unwrap_or_else(|e| serde_json::json!({ "unreachable": e.to_string() }))
        };
        let status = Status {
            root_chain: ctx.deployment.root_chain,
            root_block,
            next_child_block,
            next_deposit_block,
            eth_exit_queue,
            operator: reachable(ctx.operator.status().await),
            indexer: reachable(ctx.indexer.status().await),
        };
        out.emit(&status, |s| {
            format!(
                "RootChain {:#x} at root block {}\nnext child block {}, next deposit block {}, ETH exit queue {}\n\
                 operator: {}\nindexer: {}",
                s.root_chain,
                s.root_block,
                s.next_child_block,
                s.next_deposit_block,
                s.eth_exit_queue,
                s.operator,
                s.indexer
            )
        })
    }
}
