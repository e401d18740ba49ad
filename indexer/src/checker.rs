//! The block checker: takes committed child blocks in order, fetches their data from the
//! operator's feed, checks it and stores it, or raises `invalid_block` / `block_withheld`.
//!
//! Trust rule: blocks are applied strictly in order. A withheld block stops the checker
//! (later blocks stay `pending`, not applied) until its data arrives; an invalid block
//! stops it for good and every later child block is `untrusted`. Deposits, which are
//! root-chain facts, are still recorded after either.

use crate::{
    feed::FeedClient,
    metrics::Metrics,
    store::{PendingBlock, Store, StoreError},
    verify::{Prepared, check, external_inputs, prepare},
};
use alloy::sol_types::Eip712Domain;
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// What one step of the checker did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Nothing to check.
    Idle,
    /// A block was stored as valid.
    Valid(u64),
    /// A block was found invalid.
    Invalid(u64),
    /// A block's data is (still) unavailable.
    Unavailable(u64),
}

/// Configuration and handles of the checker.
#[derive(Debug, Clone)]
pub struct Checker {
    /// The database.
    pub store: Store,
    /// The operator feed.
    pub feed: FeedClient,
    /// EIP-712 domain of the deployment.
    pub domain: Eip712Domain,
    /// How long data may stay unavailable before `block_withheld`.
    pub withholding_timeout: Duration,
    /// Threads for signature recovery.
    pub threads: usize,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// Woken after every stored block (the watchtower listens).
    pub stored: Arc<Notify>,
}

impl Checker {
    /// Checks the next pending block, if any.
    pub async fn step(&self) -> Result<Step, StoreError> {
        let Some(block) = self.store.next_pending_block().await? else { return Ok(Step::Idle) };
        let fetched = match self.feed.fetch(block.blknum).await {
            Ok(Some(data)) => data,
            Ok(None) => return self.unavailable(&block, "the feed does not have the block").await,
            Err(e) => return self.unavailable(&block, &e.to_string()).await,
        };
        let root = block.root;
        let decoded = match tokio::task::spawn_blocking(move || prepare(root, fetched)).await {
            Ok(Prepared::Decoded(txs)) => txs,
            Ok(Prepared::Invalid(reason)) => return self.invalid(&block, &reason).await,
            Ok(Prepared::RootMismatch { computed }) => {
                let detail = format!("published data hashes to {computed}, not to the committed root");
                return self.unavailable(&block, &detail).await;
            }
            Err(_) => return Ok(Step::Idle),
        };
        let known = self.store.load_outputs(&external_inputs(block.blknum, &decoded)).await?;
        let (blknum, domain, threads) = (block.blknum, self.domain.clone(), self.threads);
        let verdict = tokio::task::spawn_blocking(move || check(blknum, decoded, &known, &domain, threads)).await;
        match verdict {
            Ok(Ok(rows)) => {
                let count = rows.len() as u64;
                if self.store.commit_valid_block(blknum, root, &rows).await? {
                    self.metrics.block_checked(blknum, count);
                    self.stored.notify_one();
                    tracing::info!(blknum, txs = count, "child block valid");
                }
                Ok(Step::Valid(blknum))
            }
            Ok(Err(reason)) => self.invalid(&block, &reason).await,
            Err(_) => Ok(Step::Idle),
        }
    }

    async fn invalid(&self, block: &PendingBlock, reason: &str) -> Result<Step, StoreError> {
        tracing::warn!(blknum = block.blknum, reason, "BYZANTINE: invalid block");
        if self.store.mark_block_invalid(block.blknum, block.root, reason).await? {
            self.metrics.byzantine();
        }
        Ok(Step::Invalid(block.blknum))
    }

    async fn unavailable(&self, block: &PendingBlock, detail: &str) -> Result<Step, StoreError> {
        let waited = crate::store::now_secs_u64().saturating_sub(block.first_seen);
        if block.status == "pending" && waited >= self.withholding_timeout.as_secs() {
            let detail = format!("data unavailable for {waited} s: {detail}");
            tracing::warn!(blknum = block.blknum, detail, "BYZANTINE: block withheld");
            if self.store.mark_block_withheld(block.blknum, block.root, &detail).await? {
                self.metrics.byzantine();
            }
        } else {
            tracing::debug!(blknum = block.blknum, detail, "block data unavailable");
        }
        Ok(Step::Unavailable(block.blknum))
    }

    /// Runs until cancelled: checks blocks back to back, sleeps `poll` when idle.
    pub async fn run(self, poll: Duration) {
        loop {
            match self.step().await {
                Ok(Step::Valid(_)) | Ok(Step::Invalid(_)) => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "block checker"),
            }
            tokio::time::sleep(poll).await;
        }
    }
}
