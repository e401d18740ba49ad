//! `plasma status`: the root chain's view of the deployment, and the operator's and the
//! indexer's status documents (with the indexer's byzantine events); with a key or an
//! address, also what that user has open: pending journal transactions and open exits,
//! standard and in-flight.

use alloy::primitives::Address;
use plasma_client::mine::{self, Overview};
use plasma_client::query::{self, Reach, Status};
use serde::Serialize;

use super::{ConnArgs, WalletArgs, address_or_key};
use crate::Output;

/// Arguments of `plasma status`.
#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
    #[command(flatten)]
    /// The journal.
    pub wallet: WalletArgs,
    /// The user to report on; defaults to the key's address.
    #[arg(long)]
    pub address: Option<Address>,
    /// Private key whose address to report on when --address is not given.
    #[arg(long, env = "PLASMA_PRIVATE_KEY", hide_env_values = true)]
    pub private_key: Option<String>,
}

/// The result of `plasma status`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
    /// The system.
    #[serde(flatten)]
    pub system: Status,
    /// The user's open business, when a user was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<Overview>,
}

impl StatusArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let ctx = self.conn.connect(None).await?;
        let system = query::status(&ctx).await?;
        let mine = match (self.address, self.private_key.as_deref()) {
            (None, None) => None,
            (address, key) => {
                let address = address_or_key(address, key)?;
                let journal = self.wallet.journal(&ctx)?;
                Some(mine::overview(&ctx, Some(&journal), address).await?)
            }
        };
        let view = StatusView { system, mine };
        out.emit(&view, |v| {
            let s = &v.system;
            let mut text = format!(
                "RootChain {:#x} at root block {}\nnext child block {}, next deposit block {}, ETH exit queue {}\n\
                 operator: {}\nindexer: {}",
                s.root_chain,
                s.root_block,
                s.next_child_block,
                s.next_deposit_block,
                s.eth_exit_queue,
                line(&s.operator),
                line(&s.indexer)
            );
            if let Some(m) = &v.mine {
                text.push_str(&mine_lines(m));
            }
            text
        })
    }
}

/// The user's open business, as text lines.
fn mine_lines(m: &Overview) -> String {
    let mut text = format!(
        "\n{:#x}: {} pending transaction(s), {} open exit(s), {} in-flight exit(s)",
        m.address,
        m.pending.len(),
        m.exits.len(),
        m.in_flight_exits.len()
    );
    for e in &m.pending {
        text.push_str(&format!(
            "\n  pending #{} {:#x}: {}",
            e.id,
            e.tx_hash,
            serde_json::to_value(&e.state)
                .map_or_else(|_| String::new(), |v| v["state"].to_string())
        ));
    }
    for e in &m.exits {
        text.push_str(&format!(
            "\n  exit {}: {} of {:#x}, processable at {}",
            e.utxo_pos, e.amount, e.token, e.exitable_at
        ));
    }
    for e in &m.in_flight_exits {
        text.push_str(&format!(
            "\n  in-flight exit {:#x}: {}, {} piggyback(s), processable at {}",
            e.exit_id,
            e.status,
            e.piggybacks.len(),
            e.exitable_at
        ));
    }
    if m.unresolved_in_flight_exits > 0 {
        text.push_str(&format!(
            "
  {} in-flight exit(s) not resolved by the indexer yet (one may pay you)",
            m.unresolved_in_flight_exits
        ));
    }
    text
}

/// A service's status (or why it is unreachable) on one line.
fn line<T: Serialize>(reach: &Reach<T>) -> String {
    serde_json::to_string(reach).unwrap_or_default()
}
