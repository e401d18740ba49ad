//! Admission: validate (core's rules, in `admission`), reserve, and answer once durable.

use std::sync::atomic::Ordering;

use alloy::primitives::B256;
use plasma_core::par::par_map;

use super::Node;
use crate::{
    admission::{WireItem, prepare, settle},
    rejection::Rejection,
    writer::WriteCmd,
};

impl Node {
    /// Validates and, if valid, durably records each transaction (in order; an earlier
    /// item of the list wins a double spend). Answers per item once everything accepted
    /// is committed.
    pub async fn submit(&self, items: Vec<WireItem>) -> Vec<Result<B256, Rejection>> {
        if self.writer.is_failed() {
            return items.iter().map(|_| Err(Rejection::Unavailable)).collect();
        }
        let separator = self.separator;
        let prepared = if items.len() == 1 {
            vec![prepare(&items[0], separator)]
        } else {
            let n = items.len();
            match tokio::task::spawn_blocking(move || par_map(&items, |i| prepare(i, separator)))
                .await
            {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(%e, "validation task failed");
                    return (0..n).map(|_| Err(Rejection::Unavailable)).collect();
                }
            }
        };
        let mut results = Vec::with_capacity(prepared.len());
        let mut rows = Vec::new();
        let mut resubmitted = false;
        let (durable, pending) = {
            let mut ledger = self.ledger();
            for p in prepared {
                results.push(
                    p.and_then(|p| match settle(&mut ledger, p, self.cfg.min_fee)? {
                        (Some(row), hash) => {
                            rows.push(row);
                            Ok(hash)
                        }
                        (None, hash) => {
                            resubmitted = true;
                            Ok(hash)
                        }
                    }),
                );
            }
            // A resubmission is answered only once the original is committed: the writer
            // is first-in first-out, so waiting for this (possibly empty) write does it.
            let durable =
                (!rows.is_empty() || resubmitted).then(|| self.writer.queue(WriteCmd::Txs(rows)));
            (durable, ledger.pending_len())
        };
        if let Some(done) = durable
            && !done.await.unwrap_or(false)
        {
            for r in results.iter_mut().filter(|r| r.is_ok()) {
                *r = Err(Rejection::Unavailable);
            }
        }
        let mut accepted = 0;
        for r in &results {
            match r {
                Ok(_) => accepted += 1,
                Err(e) => self.metrics.reject(e.code()),
            }
        }
        self.metrics
            .txs_accepted
            .fetch_add(accepted, Ordering::Relaxed);
        if pending >= self.cfg.block_size {
            self.seal_wake.notify_one();
        }
        results
    }
}
