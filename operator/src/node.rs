//! The operator's state machine: admission, sealing, the block feed, deposit crediting
//! and exit events over the ledger (memory) and the store (disk). The HTTP layer, the block
//! producer, the root-chain submitter and the deposit follower all drive a [`Node`].

use std::{
    path::PathBuf,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Instant, SystemTime, UNIX_EPOCH},
};

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    signers::local::PrivateKeySigner,
    sol_types::Eip712Domain,
};
use plasma_core::{
    Output, Transaction, UtxoPos,
    block::BlockData,
    deposit::deposit_position,
    merkle::{MerkleTree, leaf_hash},
    position::MAX_CHILD_BLOCK,
    sign::{SIGNATURE_LEN, domain, sign},
    signed::SignedTx,
};
use serde::Serialize;
use tokio::sync::Notify;

use crate::{
    admission::{WireItem, par_map, prepare, settle},
    error::{ApiError, internal},
    ledger::{Ledger, PendingTx},
    metrics::{Gauges, Metrics},
    store::{BlockRow, Store, StoreError, TxRow, fixed},
    writer::{WriteCmd, Writer},
};

mod follow;

/// Static configuration of a node.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// SQLite database file.
    pub db_path: PathBuf,
    /// Root-chain id (EIP-712 domain).
    pub chain_id: u64,
    /// Root-chain contract (EIP-712 domain).
    pub root_chain: Address,
    /// Transactions per block at most (≤ 65,536).
    pub block_size: usize,
    /// Minimum fee, in the token of a payment's first input.
    pub min_fee: U256,
    /// Transactions per batch request at most.
    pub max_batch: usize,
    /// Whether the fault-injection switches may be used.
    pub byzantine: bool,
}

/// A node failure outside the HTTP request path.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored transaction no longer decodes.
    #[error("stored transaction {seq} is corrupt: {reason}")]
    CorruptTx {
        /// Its log position.
        seq: i64,
        /// Why.
        reason: String,
    },
    /// A write failed earlier; the node accepts nothing until restarted.
    #[error("storage failed earlier; restart the operator")]
    Poisoned,
    /// A block could not be built.
    #[error("merkle: {0}")]
    Merkle(String),
    /// A deposit event is outside the position space.
    #[error("deposit block {0} is not a valid deposit position")]
    BadDeposit(u64),
}

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

/// A deposit read from the root chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deposit {
    /// Deposit-block number.
    pub blknum: u64,
    /// The output.
    pub output: Output,
    /// Root-chain block holding it.
    pub eth_block: u64,
    /// That block's hash.
    pub eth_block_hash: B256,
}

/// What `GET /v1/status` answers.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// Root-chain id.
    pub chain_id: u64,
    /// Root-chain contract.
    pub root_chain: Address,
    /// The next child block to be sealed.
    pub next_block: u64,
    /// The newest sealed block, if any.
    pub latest_sealed_block: Option<u64>,
    /// The newest block whose root is confirmed on chain, if any.
    pub latest_submitted_block: Option<u64>,
    /// Transactions waiting for a block.
    pub pending_txs: usize,
    /// Outputs in the UTXO set.
    pub utxos: usize,
    /// Last root-chain block scanned for deposits.
    pub deposit_cursor: u64,
    /// Minimum fee (decimal string).
    pub min_fee: String,
    /// Maximum transactions per block.
    pub block_size: usize,
    /// False once storage failed or root submission hit an unrecoverable state.
    pub healthy: bool,
    /// The last root-submission problem, if any.
    pub submit_error: Option<String>,
}

/// The operator node.
#[derive(Debug)]
pub struct Node {
    cfg: NodeConfig,
    domain: Eip712Domain,
    ledger: Mutex<Ledger>,
    store: Store,
    writer: Writer,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    seal_lock: tokio::sync::Mutex<()>,
    /// Woken when a full block is pending.
    pub seal_wake: Notify,
    /// Woken when a block is sealed.
    pub submit_wake: Notify,
    latest_sealed: AtomicU64,
    latest_submitted: AtomicU64,
    deposit_cursor: AtomicU64,
    submit_error: Mutex<Option<String>>,
    withhold_next: AtomicBool,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn split_sigs(seq: i64, blob: &[u8]) -> Result<Vec<Bytes>, NodeError> {
    if !blob.len().is_multiple_of(SIGNATURE_LEN) {
        return Err(NodeError::CorruptTx {
            seq,
            reason: format!("signature blob of {} bytes", blob.len()),
        });
    }
    Ok(blob
        .chunks(SIGNATURE_LEN)
        .map(Bytes::copy_from_slice)
        .collect())
}

fn row_to_signed(row: TxRow) -> Result<SignedTx, NodeError> {
    let sigs = split_sigs(row.seq, &row.signatures)?;
    SignedTx::from_wire(Bytes::from(row.tx_bytes), sigs).map_err(|e| NodeError::CorruptTx {
        seq: row.seq,
        reason: e.to_string(),
    })
}

fn tx_row(seq: i64, hash: B256, signed: &SignedTx) -> TxRow {
    TxRow {
        seq,
        tx_hash: hash.to_vec(),
        tx_bytes: signed.raw.to_vec(),
        signatures: signed
            .signatures
            .iter()
            .flat_map(|s| s.iter().copied())
            .collect(),
    }
}

impl Node {
    /// Opens the database and rebuilds the UTXO set and mempool from it.
    pub async fn open(cfg: NodeConfig) -> Result<Arc<Self>, NodeError> {
        let store = Store::open(&cfg.db_path).await?;
        let mut ledger = Ledger::new();
        for d in store.deposits().await? {
            let pos =
                deposit_position(d.blknum as u64).ok_or(NodeError::BadDeposit(d.blknum as u64))?;
            ledger.credit(pos, follow::deposit_output(&d)?);
        }
        for e in store.exit_events().await? {
            ledger.set_exit_event(e.utxo_pos, e.kind, true);
        }
        let blocks = store.blocks().await?;
        let mut txs = store.txs_in(1, i64::MAX).await?.into_iter().peekable();
        let (mut latest_sealed, mut latest_submitted) = (0, 0);
        for b in &blocks {
            let mut in_block = Vec::new();
            while let Some(row) = txs.next_if(|r| r.seq <= b.last_seq) {
                let seq = row.seq;
                in_block.push(PendingTx {
                    seq,
                    signed: row_to_signed(row)?,
                });
            }
            ledger.replay_sealed(b.blknum as u64, b.last_seq, &in_block);
            latest_sealed = b.blknum as u64;
            if b.confirmed {
                latest_submitted = b.blknum as u64;
            }
        }
        let mut replayed = 0usize;
        for row in txs {
            ledger.push_unchecked(row_to_signed(row)?);
            replayed += 1;
        }
        let cursor = store.cursor().await?.map_or(0, |c| c.eth_block as u64);
        tracing::info!(
            blocks = blocks.len(),
            pending = replayed,
            utxos = ledger.utxo_count(),
            next_block = ledger.next_blknum(),
            "state rebuilt from the database"
        );
        let writer = Writer::spawn(store.clone());
        Ok(Arc::new(Self {
            domain: domain(cfg.chain_id, cfg.root_chain),
            cfg,
            ledger: Mutex::new(ledger),
            store,
            writer,
            metrics: Metrics::default(),
            seal_lock: tokio::sync::Mutex::new(()),
            seal_wake: Notify::new(),
            submit_wake: Notify::new(),
            latest_sealed: AtomicU64::new(latest_sealed),
            latest_submitted: AtomicU64::new(latest_submitted),
            deposit_cursor: AtomicU64::new(cursor),
            submit_error: Mutex::new(None),
            withhold_next: AtomicBool::new(false),
        }))
    }

    /// The node's configuration.
    pub fn config(&self) -> &NodeConfig {
        &self.cfg
    }

    /// The store (for the chain tasks and tests).
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        // A panic while holding the lock cannot leave a half-applied change that matters
        // more than stopping would: recover the guard.
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Validates and, if valid, durably records each transaction (in order; an earlier
    /// item of the list wins a double spend). Answers per item once everything accepted
    /// is committed.
    pub async fn submit(&self, items: Vec<WireItem>) -> Vec<Result<B256, ApiError>> {
        if self.writer.is_poisoned() {
            return items.iter().map(|_| Err(ApiError::Unavailable)).collect();
        }
        let domain = self.domain.clone();
        let prepared = if items.len() == 1 {
            vec![prepare(&items[0], &domain)]
        } else {
            match tokio::task::spawn_blocking(move || par_map(&items, |i| prepare(i, &domain)))
                .await
            {
                Ok(p) => p,
                Err(e) => return vec![Err(internal("validation task", e))],
            }
        };
        let mut results = Vec::with_capacity(prepared.len());
        let mut rows = Vec::new();
        let mut resubmitted = false;
        let (durable, pending) = {
            let mut ledger = self.ledger();
            for p in prepared {
                results.push(p.and_then(|p| {
                    let signed = p.signed.clone();
                    match settle(&mut ledger, p, self.cfg.min_fee)? {
                        (Some(seq), hash) => {
                            rows.push(tx_row(seq, hash, &signed));
                            Ok(hash)
                        }
                        (None, hash) => {
                            resubmitted = true;
                            Ok(hash)
                        }
                    }
                }));
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
                *r = Err(ApiError::Unavailable);
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

    /// Seals the next block if at least `min` transactions are pending: computes the
    /// root, commits the block, then makes its outputs spendable.
    pub async fn seal(&self, min: usize) -> Result<Option<Sealed>, NodeError> {
        let _guard = self.seal_lock.lock().await;
        if self.writer.is_poisoned() {
            return Err(NodeError::Poisoned);
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
        let row = BlockRow {
            blknum: job.blknum as i64,
            root: root.to_vec(),
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
            return Err(NodeError::Poisoned);
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

    /// The full data of a sealed child block (the data-availability feed).
    pub async fn block_data(&self, blknum: u64) -> Result<BlockData, ApiError> {
        let not_found = || ApiError::NotFound(format!("no published block {blknum}"));
        let b = self
            .store
            .block(i64::try_from(blknum).map_err(|_| not_found())?)
            .await
            .map_err(|e| internal("block read", e))?
            .ok_or_else(not_found)?;
        if b.withheld {
            return Err(not_found());
        }
        let rows = self
            .store
            .txs_in(b.first_seq, b.last_seq)
            .await
            .map_err(|e| internal("block read", e))?;
        let transactions = rows
            .into_iter()
            .map(row_to_signed)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| internal("block read", e))?;
        let root = B256::from(fixed::<32>("root", &b.root).map_err(|e| internal("block read", e))?);
        Ok(BlockData {
            blknum,
            root,
            transactions,
        })
    }

    /// The newest sealed block's number.
    pub async fn latest_blknum(&self) -> Result<Option<u64>, ApiError> {
        let n = self
            .store
            .latest_blknum()
            .await
            .map_err(|e| internal("block read", e))?;
        Ok(n.map(|n| n as u64))
    }

    /// The status document.
    pub fn status(&self) -> Status {
        let (pending, utxos, next_block) = {
            let l = self.ledger();
            (l.unsealed_len(), l.utxo_count(), l.next_blknum())
        };
        let nonzero = |v: u64| (v != 0).then_some(v);
        let submit_error = self.submit_error.lock().ok().and_then(|e| e.clone());
        Status {
            chain_id: self.cfg.chain_id,
            root_chain: self.cfg.root_chain,
            next_block,
            latest_sealed_block: nonzero(self.latest_sealed.load(Ordering::SeqCst)),
            latest_submitted_block: nonzero(self.latest_submitted.load(Ordering::SeqCst)),
            pending_txs: pending,
            utxos,
            deposit_cursor: self.deposit_cursor.load(Ordering::SeqCst),
            min_fee: self.cfg.min_fee.to_string(),
            block_size: self.cfg.block_size,
            healthy: !self.writer.is_poisoned() && submit_error.is_none(),
            submit_error,
        }
    }

    /// The Prometheus text.
    pub fn render_metrics(&self) -> String {
        let s = self.status();
        self.metrics.render(Gauges {
            pending: s.pending_txs,
            utxos: s.utxos,
            next_blknum: s.next_block,
            deposit_cursor: s.deposit_cursor,
        })
    }

    /// Whether the node can accept writes.
    pub fn is_healthy(&self) -> bool {
        !self.writer.is_poisoned()
    }

    /// Records that a block's root is confirmed on chain.
    pub(crate) async fn confirmed(&self, blknum: u64) -> Result<(), NodeError> {
        self.store.mark_confirmed(blknum as i64).await?;
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

    /// Fault injection: appends to the mempool a transaction that spends an output that
    /// does not exist and creates 1 ETH from nothing. It is logged durably like any
    /// other, so the next sealed block is invalid.
    pub async fn inject_invalid_tx(&self) -> Result<B256, ApiError> {
        let key = PrivateKeySigner::from_bytes(&B256::repeat_byte(0xba))
            .map_err(|e| internal("fault key", e))?;
        let input = UtxoPos::new(MAX_CHILD_BLOCK, 0, 0).map_err(|e| internal("fault input", e))?;
        let out = Output {
            owner: key.address(),
            token: Address::ZERO,
            amount: U256::from(10u64).pow(U256::from(18)),
        };
        let tx = Transaction::payment(
            vec![input],
            vec![out],
            B256::from(U256::from(now_ms() as u64)),
        )
        .map_err(|e| internal("fault tx", e))?;
        let sig = sign(&key, &tx, &self.domain).map_err(|e| internal("fault sign", e))?;
        let signed = SignedTx::new(tx, vec![Bytes::copy_from_slice(&sig)]);
        let hash = signed.hash();
        let done = {
            let mut l = self.ledger();
            let seq = l.push_unchecked(signed.clone());
            self.writer
                .queue(WriteCmd::Txs(vec![tx_row(seq, hash, &signed)]))
        };
        if !done.await.unwrap_or(false) {
            return Err(ApiError::Unavailable);
        }
        tracing::warn!(%hash, "FAULT INJECTION: invalid transaction added to the mempool");
        Ok(hash)
    }

    /// Fault injection: from now on, spends of exiting and exited outputs are admitted
    /// and sealed (until restart).
    pub fn spend_exited(&self) {
        tracing::warn!("FAULT INJECTION: spends of exiting and exited outputs will be admitted");
        self.ledger().ignore_exits();
    }

    /// Fault injection: the next sealed block's data is withheld from the feed (its
    /// root is still submitted).
    pub fn withhold_next_block(&self) {
        tracing::warn!("FAULT INJECTION: the next block's data will be withheld");
        self.withhold_next.store(true, Ordering::SeqCst);
    }
}
