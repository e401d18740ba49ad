//! The operator's state machine over the ledger (memory) and the store (disk). The HTTP
//! layer, the block producer, the root-chain submitter and the root-chain follower all
//! drive a [`Node`]; none of them touches the store. One file per concern:
//!
//! - this file: configuration, errors, start-up replay;
//! - `admit`: admission of submitted transactions;
//! - `seal`: sealing blocks;
//! - `feed`: the block feed, the status and the metrics;
//! - `submit`: bookkeeping of root submission;
//! - `follow`: deposits and exit events from the root chain, and their reorganisation;
//! - `fault`: fault injection (`--byzantine` only).

use std::{
    path::PathBuf,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, AtomicU64},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use alloy::{
    primitives::{Address, B256, U256},
    sol_types::Eip712Domain,
};
use plasma_core::sign::domain;
use tokio::sync::Notify;

pub use self::{
    feed::Status,
    health::{HealthLimits, REASONS},
    seal::Sealed,
};
pub use crate::store::Deposit;
use crate::{
    ledger::Ledger,
    metrics::Metrics,
    store::{Store, StoreError},
    writer::Writer,
};

mod admit;
mod fault;
mod feed;
mod follow;
mod health;
mod recover;
mod seal;
mod submit;

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
    /// When the health checks call something too old.
    pub health: HealthLimits,
}

/// A node failure outside the HTTP request path.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// Storage failed, or a stored row no longer decodes.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A write failed; the node accepts no write until storage recovers (probed).
    #[error("storage failed; writes are refused until a probe write commits")]
    StorageFailed,
    /// A block could not be built.
    #[error("merkle: {0}")]
    Merkle(String),
    /// A deposit event is outside the position space.
    #[error("deposit block {0} is not a valid deposit position")]
    BadDeposit(u64),
}

/// The operator node.
#[derive(Debug)]
pub struct Node {
    cfg: NodeConfig,
    domain: Eip712Domain,
    /// `domain.separator()`, computed once: every submitted signature is checked under it.
    separator: B256,
    ledger: Mutex<Ledger>,
    store: Store,
    writer: Writer,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    seal_lock: tokio::sync::Mutex<()>,
    /// Held while root-chain events are applied or undone (and while the state is rebuilt).
    root_events_lock: tokio::sync::Mutex<()>,
    /// The JSON of recently read published blocks (immutable once sealed).
    encoded: std::sync::Mutex<feed::EncodedBlocks>,
    /// Woken when a full block is pending.
    pub seal_wake: Notify,
    /// Woken when a block is sealed.
    pub submit_wake: Notify,
    latest_sealed: AtomicU64,
    latest_submitted: AtomicU64,
    deposit_cursor: AtomicU64,
    submit_error: Mutex<Option<String>>,
    withhold_next: AtomicBool,
    clocks: health::HealthClocks,
}

impl Node {
    /// Opens the database and rebuilds the UTXO set and mempool from it. Probes storage
    /// with a real write first: a node whose disk is still full starts with writes
    /// refused and reports `storage_failed` until a probe commits.
    pub async fn open(cfg: NodeConfig) -> Result<Arc<Self>, NodeError> {
        let store = Store::open(&cfg.db_path).await?;
        let replayed = recover::replay(&store).await?;
        let writer = Writer::spawn(store.clone());
        if !writer.probe().await {
            tracing::error!("storage does not take writes; refusing writes until it does");
            writer.fail();
        }
        let eip712 = domain(cfg.chain_id, cfg.root_chain);
        let node = Arc::new(Self {
            separator: eip712.separator(),
            domain: eip712,
            cfg,
            ledger: Mutex::new(replayed.ledger),
            store,
            writer,
            metrics: Metrics::default(),
            seal_lock: tokio::sync::Mutex::new(()),
            root_events_lock: tokio::sync::Mutex::new(()),
            encoded: std::sync::Mutex::new(feed::EncodedBlocks::default()),
            seal_wake: Notify::new(),
            submit_wake: Notify::new(),
            latest_sealed: AtomicU64::new(replayed.latest_sealed),
            latest_submitted: AtomicU64::new(replayed.latest_submitted),
            deposit_cursor: AtomicU64::new(replayed.cursor),
            submit_error: Mutex::new(None),
            withhold_next: AtomicBool::new(false),
            clocks: health::HealthClocks::new(),
        });
        tokio::spawn(recover::run(node.clone()));
        Ok(node)
    }

    /// The node's configuration.
    pub fn config(&self) -> &NodeConfig {
        &self.cfg
    }

    /// The store, read-only uses (tests and tools); the node's own tasks go through the
    /// node's methods.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        // A panic while holding the lock cannot leave a half-applied change that matters
        // more than stopping would: recover the guard.
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
