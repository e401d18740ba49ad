//! Following the root chain: the cursor and the headers the follower stopped at, the
//! batches of root-chain events it stores atomically with the cursor (dispatched to the
//! entities that own them), its progress, and the rollback after a reorganisation.

use super::{
    Store, StoreError, Tx, blocks, exits, hash, inflight, inflight::InFlightEvent, rollback,
    signed, unsigned,
};
use alloy::primitives::{Address, B256, U256};
use plasma_core::position::BLOCK_OFFSET;
use plasma_service::sqlite::headers;
use std::future::Future;

/// A root-chain event the indexer follows, decoded from the contract's logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootEvent {
    /// `BlockSubmitted`: a child block's root was committed.
    BlockSubmitted {
        /// Child block number.
        blknum: u64,
        /// Merkle root.
        root: B256,
        /// Timestamp the contract recorded.
        timestamp: u64,
    },
    /// `DepositCreated`: a deposit block holding one DEPOSIT transaction.
    Deposit {
        /// Deposit block number.
        blknum: u64,
        /// Owner of the deposit output.
        owner: Address,
        /// Token (zero for ETH).
        token: Address,
        /// Credited amount.
        amount: U256,
        /// The deposit block's root.
        root: B256,
        /// Timestamp the contract recorded.
        timestamp: u64,
    },
    /// `ExitStarted`.
    ExitStarted {
        /// Exiting position.
        pos: u64,
        /// Owner of the output.
        owner: Address,
        /// Token.
        token: Address,
        /// Amount.
        amount: U256,
        /// When it becomes processable.
        exitable_at: u64,
    },
    /// `ExitChallenged`.
    ExitChallenged {
        /// Exiting position.
        pos: u64,
        /// Receiver of the bond.
        challenger: Address,
        /// Hash of the spending transaction.
        spending_tx_hash: B256,
    },
    /// `ExitProcessed`.
    ExitProcessed {
        /// Exiting position.
        pos: u64,
        /// False when the payout was deferred to `withdrawable`.
        paid: bool,
    },
    /// An event of the in-flight exit game.
    InFlight(InFlightEvent),
}

/// The events of a range of root-chain blocks, stored atomically with the new cursor.
#[derive(Debug, Clone, Default)]
pub struct RootBatch {
    /// Events with the number of the root-chain block that emitted them, in log order.
    pub events: Vec<(u64, RootEvent)>,
    /// Last root-chain block of the range (the new cursor).
    pub to_block: u64,
    /// Its hash.
    pub to_hash: B256,
}

/// Heights for the status endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heights {
    /// Cursor of the root-chain follower.
    pub root_block: Option<u64>,
    /// Highest child block committed on chain.
    pub child_committed: Option<u64>,
    /// Highest child block checked valid.
    pub child_valid: Option<u64>,
}

/// The follower's storage: cursor, headers, batches, rollback, progress.
pub trait SyncStore {
    /// The root-chain cursor.
    fn cursor(&self) -> impl Future<Output = Result<Option<(u64, B256)>, StoreError>> + Send;

    /// Stored root-chain headers at or below `below`, newest first.
    fn root_headers(
        &self,
        below: u64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<(u64, B256)>, StoreError>> + Send;

    /// Heights for the status endpoint.
    fn heights(&self) -> impl Future<Output = Result<Heights, StoreError>> + Send;

    /// Stores a batch of root-chain events and moves the cursor, atomically.
    fn apply_root_batch(
        &self,
        batch: &RootBatch,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Deletes everything derived from root-chain blocks after `ancestor` and moves the
    /// cursor back to it, in one transaction.
    fn rollback_to(
        &self,
        ancestor: u64,
        ancestor_hash: B256,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

impl SyncStore for Store {
    async fn cursor(&self) -> Result<Option<(u64, B256)>, StoreError> {
        let row = sqlx::query!("SELECT root_block, root_hash FROM sync_cursor WHERE id = 0")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((unsigned(r.root_block)?, hash(&r.root_hash)?)))
            .transpose()
    }

    async fn root_headers(&self, below: u64, limit: usize) -> Result<Vec<(u64, B256)>, StoreError> {
        let rows = headers::newest_first(&self.pool, below, limit).await?;
        Ok(rows.into_iter().map(|(n, h)| (n, B256::from(h))).collect())
    }

    async fn heights(&self) -> Result<Heights, StoreError> {
        let r = sqlx::query!(
            r#"SELECT (SELECT root_block FROM sync_cursor WHERE id = 0) AS "root_block: i64",
                      (SELECT MAX(blknum) FROM blocks WHERE is_deposit = 0) AS "child_committed: i64",
                      (SELECT MAX(blknum) FROM blocks WHERE is_deposit = 0 AND status = 'valid') AS "child_valid: i64""#
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Heights {
            root_block: r.root_block.map(unsigned).transpose()?,
            child_committed: r.child_committed.map(unsigned).transpose()?,
            child_valid: r.child_valid.map(unsigned).transpose()?,
        })
    }

    async fn apply_root_batch(&self, batch: &RootBatch) -> Result<(), StoreError> {
        batch.events.iter().try_for_each(|(_, e)| fits_sqlite(e))?;
        let mut db = plasma_service::sqlite::begin_write(&self.pool).await?;
        for (root_block, event) in &batch.events {
            apply(&mut db, signed(*root_block), event).await?;
        }
        headers::record(&mut db, batch.to_block, &batch.to_hash.0).await?;
        let (to_block, to_hash) = (signed(batch.to_block), batch.to_hash.as_slice());
        set_cursor(&mut db, to_block, to_hash).await?;
        db.commit().await?;
        Ok(())
    }

    async fn rollback_to(&self, ancestor: u64, ancestor_hash: B256) -> Result<(), StoreError> {
        rollback::rollback_to(&self.pool, ancestor, ancestor_hash).await
    }
}

/// The last block whose positions SQLite stores exactly: its INTEGER is an `i64`, so
/// positions stop at 2^63 − 1, and a block's range ends at the next block's first position
/// (Postgres stores every `u64` position). About 9.2 million child blocks.
pub const SQLITE_MAX_BLKNUM: u64 = i64::MAX as u64 / BLOCK_OFFSET - 1;

/// Refuses a block beyond [`SQLITE_MAX_BLKNUM`] (every position the chain can name later
/// belongs to a block, so no later event names one either).
fn fits_sqlite(event: &RootEvent) -> Result<(), StoreError> {
    match *event {
        RootEvent::BlockSubmitted { blknum, .. } | RootEvent::Deposit { blknum, .. }
            if blknum > SQLITE_MAX_BLKNUM =>
        {
            Err(StoreError::Unsupported(format!(
                "block {blknum}: SQLite stores the positions of blocks up to \
                 {SQLITE_MAX_BLKNUM} only; run the indexer on Postgres (--database-url)"
            )))
        }
        _ => Ok(()),
    }
}

/// Stores one root-chain event seen in `root_block` through the entity that owns it.
async fn apply(db: &mut Tx<'_>, root_block: i64, event: &RootEvent) -> Result<(), StoreError> {
    match *event {
        RootEvent::InFlight(ref e) => inflight::apply(db, root_block, e).await,
        RootEvent::BlockSubmitted {
            blknum,
            root,
            timestamp,
        } => blocks::insert_submitted(db, root_block, blknum, root, timestamp).await,
        RootEvent::Deposit {
            blknum,
            owner,
            token,
            amount,
            root,
            timestamp,
        } => {
            let stored = blocks::StoredTx::deposit(blknum, owner, token, amount);
            blocks::insert_deposit(db, root_block, root, timestamp, &stored).await
        }
        RootEvent::ExitStarted {
            pos,
            owner,
            token,
            amount,
            exitable_at,
        } => exits::start(db, root_block, pos, owner, token, amount, exitable_at).await,
        RootEvent::ExitChallenged {
            pos,
            challenger,
            spending_tx_hash,
        } => exits::challenge(db, root_block, pos, challenger, spending_tx_hash).await,
        RootEvent::ExitProcessed { pos, paid } => exits::process(db, root_block, pos, paid).await,
    }
}

/// Moves the cursor.
async fn set_cursor(db: &mut Tx<'_>, block: i64, hash: &[u8]) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO sync_cursor (id, root_block, root_hash) VALUES (0, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET root_block = excluded.root_block, root_hash = excluded.root_hash",
        block,
        hash
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Rollback, last step: forgets the headers after `ancestor` and moves the cursor to it.
pub(crate) async fn rollback(db: &mut Tx<'_>, ancestor: i64, hash: B256) -> Result<(), StoreError> {
    headers::forget_after(db, unsigned(ancestor)?).await?;
    set_cursor(db, ancestor, hash.as_slice()).await
}
