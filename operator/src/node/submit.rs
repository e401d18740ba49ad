//! Root-submission bookkeeping for the submitter: which blocks wait, the nonce reserved
//! for each, the transaction sent, the confirmation, and the problem shown in the status.

use std::sync::atomic::Ordering;

use alloy::primitives::B256;
use plasma_core::CHILD_BLOCK_INTERVAL;

use super::{Node, NodeError};
use crate::store::SealedBlock;

impl Node {
    /// Records that the contract's next child block is `next`: any root from `next` on that
    /// was confirmed has been taken off the chain by a reorganisation and must be
    /// submitted again. Returns how many were.
    pub(crate) async fn roots_absent_from(&self, next: u64) -> Result<u64, NodeError> {
        let dropped = self.storage_failed(self.store.unconfirm_from(next).await)?;
        if dropped > 0 {
            self.latest_submitted
                .fetch_min(next.saturating_sub(CHILD_BLOCK_INTERVAL), Ordering::SeqCst);
            self.metrics
                .roots_reorged
                .fetch_add(dropped, Ordering::Relaxed);
        }
        Ok(dropped)
    }

    /// Sealed blocks whose root is not yet confirmed on chain, in order.
    pub(crate) async fn unconfirmed_blocks(&self) -> Result<Vec<SealedBlock>, NodeError> {
        Ok(self.store.unconfirmed_blocks().await?)
    }

    /// Reserves `nonce` for block `blknum`'s submission, durably, before it is sent.
    pub(crate) async fn reserve_submit_nonce(
        &self,
        blknum: u64,
        nonce: u64,
    ) -> Result<(), NodeError> {
        self.storage_failed(self.store.set_submit_nonce(blknum, nonce).await)
    }

    /// Records the submission transaction just sent for block `blknum`.
    pub(crate) async fn submit_sent(&self, blknum: u64, tx: B256) -> Result<(), NodeError> {
        self.metrics.submit_attempts.fetch_add(1, Ordering::Relaxed);
        self.storage_failed(self.store.set_submit_tx(blknum, tx).await)
    }

    /// Records that a block's root is confirmed on chain.
    pub(crate) async fn confirmed(&self, blknum: u64) -> Result<(), NodeError> {
        self.storage_failed(self.store.mark_confirmed(blknum).await)?;
        self.latest_submitted.fetch_max(blknum, Ordering::SeqCst);
        self.metrics
            .blocks_submitted
            .fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Sets or clears the root-submission problem shown in the status.
    pub(crate) fn set_submit_error(&self, err: Option<String>) {
        if let Ok(mut e) = self.submit_error.lock() {
            *e = err;
        }
    }
}
