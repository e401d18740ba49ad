//! Root submission. Sealed blocks are submitted in order, each exactly once, even across
//! crashes between sending and confirmation:
//!
//! 1. `nextChildBlock > blknum` on chain: the root is already there (perhaps sent before
//!    a crash). The `BlockSubmitted` event's root must equal the sealed root; the block
//!    is marked confirmed. A different root stops submission (reported in the status).
//! 2. `nextChildBlock == blknum`: not on chain yet. The nonce of the submission is
//!    reserved in the database BEFORE the first send and reused for every resend, so at
//!    most one `submitBlock` for this block can ever be mined. Only when that nonce was
//!    consumed by a transaction that did not submit the block (it reverted) is a new
//!    nonce reserved.
//! 3. `nextChildBlock < blknum`: the contract and the database disagree; stop.

use std::{sync::Arc, time::Duration};

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
    /// Fault injection: stop (hang) right after sending a submission, before it is
    /// confirmed, so a test can kill the process in the middle of a submission.
    pub pause_after_send: bool,
}

/// Runs forever: submits whatever is sealed and not yet confirmed.
pub async fn run(node: Arc<Node>, chain: Chain, cfg: SubmitterConfig) {
    loop {
        let wait = match submit_all(&node, &chain, cfg).await {
            Ok(()) => {
                node.set_submit_error(None);
                Duration::from_secs(2)
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

async fn submit_all(node: &Node, chain: &Chain, cfg: SubmitterConfig) -> Result<(), SubmitError> {
    for block in node.unconfirmed_blocks().await? {
        submit_one(node, chain, cfg, block).await?;
    }
    Ok(())
}

async fn submit_one(
    node: &Node,
    chain: &Chain,
    cfg: SubmitterConfig,
    block: SealedBlock,
) -> Result<(), SubmitError> {
    let (blknum, root) = (block.blknum, block.root);
    let mut nonce = block.submit_nonce;
    loop {
        // The nonce is read BEFORE nextChildBlock: if the reserved nonce is consumed and
        // the block is still not on chain afterwards, that transaction did not carry it.
        let latest_nonce = chain.nonce_latest().await?;
        let next = chain.next_child_block().await?;
        if next > blknum {
            return match chain.submitted_root(blknum, cfg.deploy_block).await? {
                Some(r) if r == root => {
                    node.confirmed(blknum).await?;
                    tracing::info!(blknum, %root, "root confirmed on chain");
                    Ok(())
                }
                Some(r) => Err(SubmitError::Diverged(format!(
                    "block {blknum}: root {r} on chain differs from the sealed root {root}"
                ))),
                None => Err(ChainError::Rpc(format!(
                    "block {blknum} passed but its event is not visible yet"
                ))
                .into()),
            };
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
