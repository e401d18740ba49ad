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
    store::{AnyStore, BlockStatus, IndexerStore, KnownOutput, PendingBlock, StoreError, StoredTx},
    verify::{Prepared, check, external_inputs, prepare},
};
use alloy::sol_types::Eip712Domain;
use plasma_core::tx::Output;
use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};
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

/// Configuration and handles of the checker, over any [`IndexerStore`].
#[derive(Debug, Clone)]
pub struct Checker<S = AnyStore> {
    /// The database.
    pub store: S,
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

/// What examining a block concluded (nothing stored yet).
#[derive(Debug)]
enum Verdict {
    /// Valid: the rows to store.
    Valid(Vec<StoredTx>),
    /// Invalid, with the reason.
    Invalid(String),
    /// Data unavailable, with the detail.
    Unavailable(String),
}

/// Outputs created and spent by a valid block whose commit is still in flight, so the
/// next block can be checked against them before they reach the database.
#[derive(Debug, Default)]
struct Overlay {
    created: HashMap<u64, Output>,
    spent: HashSet<u64>,
}

impl Overlay {
    fn of(rows: &[StoredTx]) -> Self {
        let mut overlay = Self::default();
        for tx in rows {
            overlay.spent.extend(tx.inputs.iter().map(|p| p.0));
            for (o, out) in tx.outputs.iter().enumerate() {
                overlay.created.insert(tx.pos + o as u64, *out);
            }
        }
        overlay
    }
}

type InFlight = (
    PendingBlock,
    u64,
    tokio::task::JoinHandle<Result<bool, StoreError>>,
);

impl<S: IndexerStore> Checker<S> {
    /// Fetches and checks `block` against the store and `overlay`; stores nothing.
    async fn examine(
        &self,
        block: &PendingBlock,
        overlay: &Overlay,
    ) -> Result<Verdict, StoreError> {
        let fetched = match self.feed.fetch(block.blknum).await {
            Ok(Some(data)) => data,
            Ok(None) => {
                return Ok(Verdict::Unavailable(
                    "the feed does not have the block".into(),
                ));
            }
            Err(e) => return Ok(Verdict::Unavailable(e.to_string())),
        };
        let root = block.root;
        let decoded = match tokio::task::spawn_blocking(move || prepare(root, fetched)).await {
            Ok(Prepared::Decoded(txs)) => txs,
            Ok(Prepared::Invalid(reason)) => return Ok(Verdict::Invalid(reason)),
            Ok(Prepared::RootMismatch { computed }) => {
                let detail =
                    format!("published data hashes to {computed}, not to the committed root");
                return Ok(Verdict::Unavailable(detail));
            }
            Err(_) => return Ok(Verdict::Unavailable("decoding task failed".into())),
        };
        let inputs = external_inputs(block.blknum, &decoded);
        // Outputs of the block still being committed come from the overlay (unspent but
        // for the overlay's own spends); only their exits are read from the database.
        let (from_overlay, stored): (Vec<u64>, Vec<u64>) = inputs
            .iter()
            .copied()
            .partition(|p| overlay.created.contains_key(p));
        let mut known = self.store.load_outputs(&stored).await?;
        let exited = self.store.exited_from(&from_overlay).await?;
        for p in from_overlay {
            known.insert(
                p,
                KnownOutput {
                    output: overlay.created[&p],
                    spent: false,
                    exited_from: exited.get(&p).copied(),
                },
            );
        }
        for p in inputs {
            if overlay.spent.contains(&p)
                && let Some(k) = known.get_mut(&p)
            {
                k.spent = true;
            }
        }
        let (blknum, domain, threads) = (block.blknum, self.domain.clone(), self.threads);
        match tokio::task::spawn_blocking(move || check(blknum, decoded, &known, &domain, threads))
            .await
        {
            Ok(Ok(rows)) => Ok(Verdict::Valid(rows)),
            Ok(Err(reason)) => Ok(Verdict::Invalid(reason)),
            Err(_) => Ok(Verdict::Unavailable("checking task failed".into())),
        }
    }

    /// Records a verdict that is not `Valid`.
    async fn record(&self, block: &PendingBlock, verdict: Verdict) -> Result<Step, StoreError> {
        match verdict {
            Verdict::Invalid(reason) => self.invalid(block, &reason).await,
            Verdict::Unavailable(detail) => self.unavailable(block, &detail).await,
            Verdict::Valid(rows) => {
                let count = rows.len() as u64;
                let committed = self
                    .store
                    .commit_valid_block(block.blknum, block.root, &rows)
                    .await?;
                self.committed(block.blknum, count, committed);
                Ok(Step::Valid(block.blknum))
            }
        }
    }

    fn committed(&self, blknum: u64, count: u64, committed: bool) {
        if committed {
            self.metrics.block_checked(blknum, count);
            self.stored.notify_one();
            tracing::info!(blknum, txs = count, "child block valid");
        }
    }

    /// Checks the next pending block, if any, and stores the outcome.
    pub async fn step(&self) -> Result<Step, StoreError> {
        let Some(block) = self.store.next_pending_block().await? else {
            return Ok(Step::Idle);
        };
        let verdict = self.examine(&block, &Overlay::default()).await?;
        self.record(&block, verdict).await
    }

    /// Waits for an in-flight commit; false when it stored nothing (reorg) or failed.
    async fn settle(&self, in_flight: Option<InFlight>) -> bool {
        let Some((block, count, handle)) = in_flight else {
            return true;
        };
        match handle.await {
            Ok(Ok(committed)) => {
                self.metrics.health.storage::<StoreError>("checker", Ok(()));
                self.committed(block.blknum, count, committed);
                committed
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, blknum = block.blknum, "storing block");
                self.metrics.health.storage("checker", Err(&e));
                false
            }
            Err(_) => false,
        }
    }

    /// Runs until cancelled. Pipelined: while a valid block is being written, the next
    /// one is fetched and checked against the database plus the in-flight block's
    /// outputs; its outcome is stored only after that write succeeded.
    pub async fn run(self, poll: Duration) {
        let mut in_flight: Option<InFlight> = None;
        let mut overlay = Overlay::default();
        loop {
            let next = match &in_flight {
                Some((prev, _, _)) => self.store.next_pending_after(prev.blknum).await,
                None => self.store.next_pending_block().await,
            };
            let block = match next {
                Ok(Some(block)) => block,
                Ok(None) => {
                    if in_flight.is_some() {
                        self.settle(in_flight.take()).await;
                        continue;
                    }
                    tokio::time::sleep(poll).await;
                    continue;
                }
                Err(e) => {
                    tracing::error!(error = %e, "block checker");
                    self.settle(in_flight.take()).await;
                    tokio::time::sleep(poll).await;
                    continue;
                }
            };
            if in_flight.is_none() {
                overlay = Overlay::default();
            }
            let verdict = self.examine(&block, &overlay).await;
            if !self.settle(in_flight.take()).await {
                continue;
            }
            match verdict {
                Ok(Verdict::Valid(rows)) => {
                    let count = rows.len() as u64;
                    overlay = Overlay::of(&rows);
                    let (store, blknum, root) = (self.store.clone(), block.blknum, block.root);
                    let handle =
                        tokio::spawn(
                            async move { store.commit_valid_block(blknum, root, &rows).await },
                        );
                    in_flight = Some((block, count, handle));
                }
                Ok(other) => match self.record(&block, other).await {
                    Ok(step) => {
                        self.metrics.health.storage::<StoreError>("checker", Ok(()));
                        if let Step::Unavailable(_) = step {
                            tokio::time::sleep(poll).await;
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "block checker");
                        self.metrics.health.storage("checker", Err(&e));
                    }
                },
                Err(e) => {
                    tracing::error!(error = %e, "block checker");
                    tokio::time::sleep(poll).await;
                }
            }
        }
    }

    async fn invalid(&self, block: &PendingBlock, reason: &str) -> Result<Step, StoreError> {
        tracing::warn!(blknum = block.blknum, reason, "BYZANTINE: invalid block");
        if self
            .store
            .mark_block_invalid(block.blknum, block.root, reason)
            .await?
        {
            self.metrics.byzantine();
        }
        Ok(Step::Invalid(block.blknum))
    }

    async fn unavailable(&self, block: &PendingBlock, detail: &str) -> Result<Step, StoreError> {
        let waited = crate::store::now_secs_u64().saturating_sub(block.first_seen);
        if block.status == BlockStatus::Pending && waited >= self.withholding_timeout.as_secs() {
            let detail = format!("data unavailable for {waited} s: {detail}");
            tracing::warn!(blknum = block.blknum, detail, "BYZANTINE: block withheld");
            if self
                .store
                .mark_block_withheld(block.blknum, block.root, &detail)
                .await?
            {
                self.metrics.byzantine();
            }
        } else {
            tracing::debug!(blknum = block.blknum, detail, "block data unavailable");
        }
        Ok(Step::Unavailable(block.blknum))
    }
}
