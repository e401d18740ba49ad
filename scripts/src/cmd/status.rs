//! `plasma status`: the root chain's view of the deployment, and the operator's and the
//! indexer's status documents (with the indexer's byzantine events).

use plasma_client::query::{self, Reach};
use serde::Serialize;

use super::ConnArgs;
use crate::Output;

/// Arguments of `plasma status`.
#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
}

impl StatusArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let ctx = self.conn.connect(None).await?;
        let status = query::status(&ctx).await?;
        out.emit(&status, |s| {
            format!(
                "RootChain {:#x} at root block {}\nnext child block {}, next deposit block {}, ETH exit queue {}\n\
                 operator: {}\nindexer: {}",
                s.root_chain,
                s.root_block,
                s.next_child_block,
                s.next_deposit_block,
                s.eth_exit_queue,
                line(&s.operator),
                line(&s.indexer)
            )
        })
    }
}

/// A service's status (or why it is unreachable) on one line.
fn line<T: Serialize>(reach: &Reach<T>) -> String {
    serde_json::to_string(reach).unwrap_or_default()
}
