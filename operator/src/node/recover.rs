//! The in-memory state from the database, at start-up and after a storage failure.
//!
//! A failed write leaves memory ahead of the disk: the transactions of the failed group
//! were admitted into the ledger (inputs reserved, sequence numbers taken) and a failed
//! seal took its transactions out of the mempool. None of them was acknowledged (their
//! waiters got `false`, the clients a 503). So the writer refuses every write from then
//! on, and [`run`] probes storage with a real write, at a growing interval
//! ([`RETRY_FIRST`] doubling up to [`RETRY_MAX`]); once a probe commits, it rebuilds the
//! ledger from the database — exactly what a restart would do — swaps it in and starts
//! a new writer generation under the ledger lock, so that no job queued against the
//! discarded state can be written. Acknowledged transactions are in the database, so none
//! is lost; nothing is replayed twice, because the ledger is replaced, not merged.

use std::{sync::Arc, time::Duration};

use plasma_core::deposit::deposit_position;

use super::{Node, NodeError};
use crate::{ledger::Ledger, store::Store};

/// First wait before probing storage again after a failure.
pub(super) const RETRY_FIRST: Duration = Duration::from_millis(100);
/// Longest wait between two probes.
pub(super) const RETRY_MAX: Duration = Duration::from_secs(5);

/// The state rebuilt from the database.
pub(super) struct Replayed {
    pub(super) ledger: Ledger,
    pub(super) latest_sealed: u64,
    pub(super) latest_submitted: u64,
    pub(super) cursor: u64,
}

/// Rebuilds the UTXO set and the mempool from what the database holds.
pub(super) async fn replay(store: &Store) -> Result<Replayed, NodeError> {
    let mut ledger = Ledger::new();
    for d in store.deposits().await? {
        let pos = deposit_position(d.blknum).ok_or(NodeError::BadDeposit(d.blknum))?;
        ledger.credit(pos, d.output);
    }
    for e in store.exit_events().await? {
        ledger.set_exit_event(e.utxo_pos, e.kind, true);
    }
    // Before the blocks: sealing a piggybacked transaction takes its outputs out.
    for p in store.output_piggybacks().await? {
        ledger.set_piggyback(p.tx_hash, p.oindex, true);
    }
    let blocks = store.blocks().await?;
    let mut txs = store.txs_in(1, i64::MAX).await?.into_iter().peekable();
    let (mut latest_sealed, mut latest_submitted) = (0, 0);
    for b in &blocks {
        let mut in_block = Vec::new();
        while let Some(tx) = txs.next_if(|t| t.seq <= b.last_seq) {
            in_block.push(tx);
        }
        ledger.replay_sealed(b.blknum, b.last_seq, &in_block);
        latest_sealed = b.blknum;
        if b.confirmed {
            latest_submitted = b.blknum;
        }
    }
    let mut replayed = 0usize;
    for tx in txs {
        ledger.push_unchecked(tx.signed);
        replayed += 1;
    }
    let cursor = store.cursor().await?.map_or(0, |c| c.eth_block);
    tracing::info!(
        blocks = blocks.len(),
        pending = replayed,
        utxos = ledger.utxo_count(),
        next_block = ledger.next_blknum(),
        "state rebuilt from the database"
    );
    Ok(Replayed {
        ledger,
        latest_sealed,
        latest_submitted,
        cursor,
    })
}

/// Runs forever: after each storage failure, probes until a write commits, then rebuilds.
pub(super) async fn run(node: Arc<Node>) {
    loop {
        node.writer.failed().await;
        let mut wait = RETRY_FIRST;
        loop {
            tokio::time::sleep(wait).await;
            if node.writer.probe().await {
                match node.rebuild().await {
                    Ok(()) => break,
                    Err(err) => tracing::error!(%err, "rebuilding state after a storage failure"),
                }
            }
            wait = (wait * 2).min(RETRY_MAX);
        }
    }
}

impl Node {
    /// Replaces the ledger with the database's state and accepts writes again. Holds the
    /// seal lock and the root-event lock, so that no block is sealed and no deposit or
    /// exit event is applied between the read and the swap.
    async fn rebuild(&self) -> Result<(), NodeError> {
        let _seal = self.seal_lock.lock().await;
        let _root = self.root_events_lock.lock().await;
        let fresh = replay(&self.store).await?;
        {
            let mut ledger = self.ledger();
            let ignoring = ledger.ignoring_exits();
            *ledger = fresh.ledger;
            if ignoring {
                ledger.ignore_exits();
            }
            self.writer.recovered();
        }
        tracing::warn!("storage takes writes again: state rebuilt from the database");
        Ok(())
    }

    /// Reports a failed write outside the writer: writes are refused until the node has
    /// rebuilt its state from the database.
    pub(super) fn storage_failed<T>(
        &self,
        result: Result<T, crate::store::StoreError>,
    ) -> Result<T, NodeError> {
        result.map_err(|err| {
            tracing::error!(%err, "storage write failed; refusing writes until it recovers");
            self.writer.fail();
            NodeError::Store(err)
        })
    }
}
