//! `plasma status`: the root chain's view of the deployment, and the operator's and the
//! indexer's status documents (with the indexer's byzantine events).

use alloy::primitives::Address;
use alloy::providers::Provider;
use eyre::WrapErr;
use serde::Serialize;

use super::ConnArgs;
use crate::{
    Output,
    api::{ClientError, IndexerStatus, OperatorStatus},
};

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
    fn of(r: Result<T, ClientError>) -> Self {
        r.map_or_else(
            |e| Self::Unreachable {
                unreachable: e.to_string(),
            },
            |v| Self::Up(Box::new(v)),
        )
    }

    fn line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

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
    pub operator: Reach<OperatorStatus>,
    /// The indexer's status, or the error reaching it.
    pub indexer: Reach<IndexerStatus>,
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
        let status = Status {
            root_chain: ctx.deployment.root_chain,
            root_block,
            next_child_block,
            next_deposit_block,
            eth_exit_queue,
            operator: Reach::of(ctx.operator.status().await),
            indexer: Reach::of(ctx.indexer.status().await),
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
                s.operator.line(),
                s.indexer.line()
            )
        })
    }
}
