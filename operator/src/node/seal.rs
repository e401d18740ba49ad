//! Sealing: the pending transactions become the next block, durable before its outputs
//! are spendable.

use std::{
    sync::{Arc, atomic::Ordering},
    time::Instant,
};

use alloy::primitives::B256;
use plasma_core::{
    merkle::{MerkleTree, leaf_hash},
    par::par_map,
};

use super::{Node, NodeError, now_ms};
use crate::{store::SealedBlock, writer::WriteCmd};

/// A block just sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sealed {
    /// Its number.
    pub blknum: u64,
    /// Its root.
    pub root: B256,
    /// Its transaction count.
    pub txs: usize,
    /// Root computation and durable commit, wall time.
    pub micros: u64,
}

impl Node {
    /// Seals the next block if at least `min` transactions are pending: computes the
    /// root, commits the block, then makes its outputs spendable.
    pub async fn seal(&self, min: usize) -> Result<Option<Sealed>, NodeError> {
        let _guard = self.seal_lock.lock().await;
        if self.writer.is_failed() {
            return Err(NodeError::StorageFailed);
        }
        let Some(job) = self.ledger().take_for_seal(min.max(1), self.cfg.block_size) else {
            return Ok(None);
        };
        let start = Instant::now();
        let job = Arc::new(job);
        let j = job.clone();
        let root = tokio::task::spawn_blocking(move || {
            let leaves = par_map(&j.txs, |p| leaf_hash(&p.signed.raw));
            MerkleTree::new(leaves).map(|t| t.root())
        })
        .await
        .map_err(|e| NodeError::Merkle(e.to_string()))?
        .map_err(|e| NodeError::Merkle(e.to_string()))?;
        let (first, last) = (job.txs[0].seq, job.txs[job.txs.len() - 1].seq);
        let row = SealedBlock {
            blknum: job.blknum,
            root,
            first_seq: first,
            last_seq: last,
            sealed_at_ms: now_ms(),
            submit_nonce: None,
            submit_tx: None,
            confirmed: false,
            withheld: self.withhold_next.swap(false, Ordering::SeqCst),
        };
        if !self
            .writer
            .queue(WriteCmd::Block(row))
            .await
            .unwrap_or(false)
        {
            return Err(NodeError::StorageFailed);
        }
        self.latest_sealed.store(job.blknum, Ordering::SeqCst);
        self.ledger().apply_sealed(job.blknum, &job.txs);
        let micros = start.elapsed().as_micros() as u64;
        self.metrics.blocks_sealed.fetch_add(1, Ordering::Relaxed);
        self.metrics
            .txs_sealed
            .fetch_add(job.txs.len() as u64, Ordering::Relaxed);
        self.metrics
            .last_seal_micros
            .store(micros, Ordering::Relaxed);
        self.submit_wake.notify_one();
        tracing::info!(blknum = job.blknum, txs = job.txs.len(), %root, micros, "block sealed");
        Ok(Some(Sealed {
            blknum: job.blknum,
            root,
            txs: job.txs.len(),
            micros,
        }))
    }

    /// Seals blocks until nothing is pending.
    pub async fn seal_all(&self) -> Result<Vec<Sealed>, NodeError> {
        let mut out = Vec::new();
        while let Some(s) = self.seal(1).await? {
            out.push(s);
        }
        Ok(out)
    }
}
