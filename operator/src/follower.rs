//! The root-chain follower: credits `DepositCreated` and records `ExitStarted` /
//! `ExitChallenged` / `ExitProcessed` once they are `confirmations` blocks deep, so a
//! reorganisation within that margin never reaches the UTXO set. A deeper
//! reorganisation is detected (the hash of the last scanned block changed): deposits
//! whose block is no longer canonical are taken back if nothing spends them yet, exit
//! events whose block is no longer canonical are undone, and the scan rewinds and
//! re-applies whatever is still (or newly) canonical.

use std::{sync::Arc, time::Duration};

use alloy::primitives::B256;

use crate::{
    chain::{Chain, ChainError},
    node::{Node, NodeError},
};

/// Root-chain blocks per log query.
const SCAN_STEP: u64 = 5_000;
/// How far back a detected reorganisation rewinds the scan, at least.
const MIN_REWIND: u64 = 64;

/// Settings of the follower.
#[derive(Debug, Clone, Copy)]
pub struct FollowerConfig {
    /// Root-chain block the contract was deployed in.
    pub deploy_block: u64,
    /// Blocks a deposit must be buried under before it is credited.
    pub confirmations: u64,
    /// Pause between polls.
    pub poll: Duration,
}

/// A failure of one poll (retried at the next).
#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    /// The root chain failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// Storage failed.
    #[error(transparent)]
    Node(#[from] NodeError),
}

/// Runs forever.
pub async fn run(node: Arc<Node>, chain: Chain, cfg: FollowerConfig) {
    loop {
        match poll(&node, &chain, cfg).await {
            Ok(()) => node.root_chain_reached(),
            Err(err) => tracing::warn!(%err, "root-chain follower poll failed"),
        }
        tokio::time::sleep(cfg.poll).await;
    }
}

/// One poll: reorganisation check, then credit up to `head - confirmations`.
pub async fn poll(node: &Node, chain: &Chain, cfg: FollowerConfig) -> Result<(), FollowError> {
    let cursor = node.root_cursor().await?;
    if let Some(c) = cursor
        && !canonical(chain, c.eth_block, c.eth_hash).await?
    {
        return rewind(node, chain, cfg, c.eth_block).await;
    }
    let head = chain.head().await?;
    let Some(target) = head.checked_sub(cfg.confirmations) else {
        return Ok(());
    };
    let from = cursor.map_or(cfg.deploy_block, |c| c.eth_block + 1);
    if target < from {
        return Ok(());
    }
    let to = target.min(from + SCAN_STEP - 1);
    let deposits = chain.deposits(from, to).await?;
    let exits = chain.exit_events(from, to).await?;
    let Some(to_hash) = chain.block_hash(to).await? else {
        return Ok(());
    };
    node.apply_root_events(&deposits, &exits, (to, to_hash))
        .await?;
    Ok(())
}

async fn rewind(
    node: &Node,
    chain: &Chain,
    cfg: FollowerConfig,
    cursor: u64,
) -> Result<(), FollowError> {
    let back = cursor
        .saturating_sub(MIN_REWIND.max(2 * cfg.confirmations))
        .max(cfg.deploy_block.saturating_sub(1));
    tracing::error!(
        cursor,
        rewind_to = back,
        "root chain reorganised deeper than the confirmation margin"
    );
    let (deposits, exits) = node.root_events().await?;
    let mut dropped = Vec::new();
    for d in deposits {
        if d.eth_block > back && !canonical(chain, d.eth_block, d.eth_block_hash).await? {
            dropped.push(d.blknum);
        }
    }
    let mut undone = Vec::new();
    for e in exits {
        if e.eth_block > back && !canonical(chain, e.eth_block, e.eth_block_hash).await? {
            undone.push(e);
        }
    }
    let hash = chain.block_hash(back).await?.unwrap_or_default();
    node.undo_root_events(&dropped, &undone, (back, hash))
        .await?;
    Ok(())
}

/// Whether root-chain block `number` still has the hash `stored`.
async fn canonical(chain: &Chain, number: u64, stored: B256) -> Result<bool, ChainError> {
    Ok(chain.block_hash(number).await? == Some(stored))
}
