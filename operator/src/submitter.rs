//! Root submission. Sealed blocks are submitted in order, each exactly once on the
//! canonical root chain, across crashes and root-chain reorganisations of any depth:
//!
//! 1. Each round starts from the contract's `nextChildBlock`. A root at or above it is
//!    not on the canonical chain, whatever was seen before: a reorganisation took it off.
//!    Such roots are marked unconfirmed again and resubmitted — the same number with the
//!    same root, because the contract numbers roots in submission order and the blocks
//!    below are on chain.
//! 2. `blknum == nextChildBlock`: not on chain. The nonce of the submission is reserved in
//!    the database BEFORE the first send and reused for every resend, so at most one
//!    `submitBlock` for this block can be mined (no duplicate). Only when that nonce was
//!    consumed by a transaction that did not submit the block is a new nonce reserved.
//!    Newer roots wait: the nonce order means a later submission can never be mined
//!    before an earlier one, so no root ever lands under another block's number.
//! 3. `blknum < nextChildBlock`: on chain. Its `BlockSubmitted` root must equal the sealed
//!    root (a different root stops submission and is reported in the status). It is
//!    confirmed once its event is `--confirmations` blocks deep in a canonical block.

use std::{sync::Arc, time::Duration};

use plasma_core::CHILD_BLOCK_INTERVAL;

use crate::{
    chain::{Chain, ChainError},
    node::{Node, NodeError},
    store::SealedBlock,
};

/// How long to wait for a sent submission before checking again and resending.
const MINE_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a submission round stopped.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The root chain failed; retried.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// Storage failed; retried.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// The chain and the sealed blocks disagree; needs an operator's attention.
    #[error("{0}")]
    Diverged(String),
}

/// Settings of the submitter.
#[derive(Debug, Clone, Copy)]
pub struct SubmitterConfig {
    /// Root-chain block the contract was deployed in (event scans start there).
    pub deploy_block: u64,
    /// Blocks a submission must be buried under before its root counts as confirmed.
    pub confirmations: u64,
    /// Fault injection: stop (hang) right after sending a submission, before it is
    /// confirmed, so a test can kill the process in the middle of a submission.
    pub pause_after_send: bool,
}

/// Runs forever: submits whatever is sealed and not on chain, confirms what is deep enough.
pub async fn run(node: Arc<Node>, chain: Chain, cfg: SubmitterConfig) {
    loop {
        let wait = match submit_all(&node, &chain, cfg).await {
            Ok(true) => {
                node.set_submit_error(None);
                Duration::from_secs(2)
            }
            // Roots on chain but not yet deep enough: look again soon.
            Ok(false) => {
                node.set_submit_error(None);
                Duration::from_millis(250)
            }
            Err(SubmitError::Diverged(msg)) => {
                tracing::error!(%msg, "root submission stopped");
                node.set_submit_error(Some(msg));
                Duration::from_secs(5)
            }
            Err(err) => {
                tracing::warn!(%err, "root submission failed; retrying");
                Duration::from_millis(500)
            }
        };
        tokio::select! {
            _ = node.submit_wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// One round; true when every sealed root is confirmed.
async fn submit_all(node: &Node, chain: &Chain, cfg: SubmitterConfig) -> Result<bool, SubmitError> {
    let mut next = chain.next_child_block().await?;
    let dropped = node.roots_absent_from(next).await?;
    if dropped > 0 {
        tracing::error!(
            next_child_block = next,
            dropped,
            "a root-chain reorganisation removed submitted roots; submitting them again"
        );
    }
    let head = chain.head().await?;
    node.root_chain_reached();
    let blocks = node.unconfirmed_blocks().await?;
    if blocks.iter().any(|b| b.blknum >= next) {
        node.root_waiting();
    }
    let mut all_confirmed = true;
    for block in blocks {
        if block.blknum < next {
            all_confirmed &= confirm(node, chain, cfg, &block, head).await?;
            continue;
        }
        if block.blknum > next {
            return Err(SubmitError::Diverged(format!(
                "the contract expects block {next} but the next sealed block is {}",
                block.blknum
            )));
        }
        submit_one(node, chain, cfg, &block).await?;
        next = block.blknum + CHILD_BLOCK_INTERVAL;
        all_confirmed = false;
    }
    node.roots_on_chain();
    Ok(all_confirmed)
}

/// Checks an on-chain root against the sealed one and confirms it once deep enough;
/// true if confirmed.
async fn confirm(
    node: &Node,
    chain: &Chain,
    cfg: SubmitterConfig,
    block: &SealedBlock,
    head: u64,
) -> Result<bool, SubmitError> {
    let (blknum, root) = (block.blknum, block.root);
    let Some(on_chain) = chain.submitted_root(blknum, cfg.deploy_block).await? else {
        return Err(ChainError::Rpc(format!(
            "block {blknum} passed but its event is not visible yet"
        ))
        .into());
    };
    if on_chain.root != root {
        return Err(SubmitError::Diverged(format!(
            "block {blknum}: root {} on chain differs from the sealed root {root}",
            on_chain.root
        )));
    }
    let depth = (head + 1).saturating_sub(on_chain.eth_block);
    if depth < cfg.confirmations.max(1)
        || chain.block_hash(on_chain.eth_block).await? != Some(on_chain.eth_block_hash)
    {
        return Ok(false);
    }
    node.confirmed(blknum).await?;
    tracing::info!(blknum, %root, eth_block = on_chain.eth_block, depth, "root confirmed on chain");
    Ok(true)
}

/// Gets block `blknum == nextChildBlock` onto the chain; returns once it is mined.
async fn submit_one(
    node: &Node,
    chain: &Chain,
    cfg: SubmitterConfig,
    block: &SealedBlock,
) -> Result<(), SubmitError> {
    let (blknum, root) = (block.blknum, block.root);
    let mut nonce = block.submit_nonce;
    loop {
        // The nonce is read BEFORE nextChildBlock: if the reserved nonce is consumed and
        // the block is still not on chain afterwards, that transaction did not carry it.
        let latest_nonce = chain.nonce_latest().await?;
        let next = chain.next_child_block().await?;
        if next > blknum {
            return Ok(());
        }
        if next < blknum {
            return Err(SubmitError::Diverged(format!(
                "the contract expects block {next} but the next sealed block is {blknum}"
            )));
        }
        let n = match nonce {
            Some(n) if n >= latest_nonce => n,
            _ => {
                let n = chain.nonce_pending().await?;
                node.reserve_submit_nonce(blknum, n).await?;
                nonce = Some(n);
                n
            }
        };
        match chain.send_submit_block(root, n).await {
            Ok(tx) => {
                node.submit_sent(blknum, tx).await?;
                tracing::info!(blknum, nonce = n, %tx, "submitBlock sent");
                if cfg.pause_after_send {
                    tracing::warn!(blknum, "FAULT INJECTION: paused after sending submitBlock");
                    std::future::pending::<()>().await;
                }
                chain.wait_mined(tx, MINE_TIMEOUT).await?;
            }
            // "nonce too low" / "already known" mean the nonce's transaction exists; the
            // next round finds out from nextChildBlock whether it carried this block.
            Err(err) => {
                tracing::warn!(blknum, nonce = n, %err, "submitBlock send failed; re-checking");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}
