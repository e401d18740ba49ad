//! Child and deposit blocks, their [`BlockStatus`], and their transactions: the checker's
//! queue, its verdicts, the API's block and transaction reads ([`BlockStore`]); the
//! follower's inserts, the bulk rows and the rollback step are in `write`.

mod write;

pub(crate) use write::{
    first_rolled_back, insert_deposit, insert_rows, insert_submitted, rollback,
};

use super::{
    Store, StoreError, events, events::ByzantineKind, hash, signed, stored_text, unsigned,
};
use alloy::primitives::{Address, B256, Bytes, U256};
use plasma_core::{
    position::{BLOCK_OFFSET, TX_OFFSET, UtxoPos},
    tx::Output,
};
use std::future::Future;

stored_text! {
    /// Where a block stands.
    BlockStatus, "block status" {
        /// Committed, data not checked yet.
        Pending => "pending",
        /// Checked valid and stored.
        Valid => "valid",
        /// Its data hashes to its root but holds an invalid transaction.
        Invalid => "invalid",
        /// Data unavailable past the timeout (still retried).
        Withheld => "withheld",
        /// Committed after an invalid block.
        Untrusted => "untrusted",
    }
}

/// A child block waiting for its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingBlock {
    /// Block number.
    pub blknum: u64,
    /// Root committed on chain.
    pub root: B256,
    /// Timestamp committed on chain.
    pub timestamp: u64,
    /// Unix time the indexer first saw the root.
    pub first_seen: u64,
    /// [`BlockStatus::Pending`] or [`BlockStatus::Withheld`].
    pub status: BlockStatus,
}

/// A stored block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Block number.
    pub blknum: u64,
    /// True for a deposit block.
    pub is_deposit: bool,
    /// Root.
    pub root: B256,
    /// Timestamp recorded on chain.
    pub timestamp: u64,
    /// Root-chain block of the commitment.
    pub root_block: u64,
    /// Status.
    pub status: BlockStatus,
    /// Number of transactions stored.
    pub tx_count: u64,
    /// Why the block is invalid or withheld.
    pub reason: Option<String>,
}

/// A stored transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxRecord {
    /// Position of the transaction (its output 0).
    pub pos: UtxoPos,
    /// `keccak256(bytes)`.
    pub hash: B256,
    /// Type byte (1 payment, 2 deposit).
    pub tx_type: u8,
    /// Canonical bytes.
    pub bytes: Bytes,
    /// Signatures, one per input.
    pub signatures: Vec<Bytes>,
}

/// A transaction of a checked child block, ready to store.
#[derive(Debug, Clone)]
pub struct StoredTx {
    /// Position of the transaction (its output 0).
    pub pos: u64,
    /// `keccak256(bytes)`.
    pub hash: B256,
    /// Transaction type byte.
    pub tx_type: u8,
    /// Canonical bytes.
    pub bytes: Vec<u8>,
    /// Signatures, concatenated.
    pub signatures: Vec<u8>,
    /// Spent positions, in input order.
    pub inputs: Vec<UtxoPos>,
    /// The owner of each spent output, in input order (Postgres records it with the
    /// spend, for the exitable-UTXO query; the checker knows it, so no lookup is needed).
    pub input_owners: Vec<Address>,
    /// Created outputs.
    pub outputs: Vec<Output>,
}

impl StoredTx {
    /// The one transaction of deposit block `blknum`.
    pub(crate) fn deposit(blknum: u64, owner: Address, token: Address, amount: U256) -> Self {
        let tx = plasma_core::deposit::deposit_tx(blknum, owner, token, amount);
        Self {
            pos: blknum * BLOCK_OFFSET,
            hash: tx.hash(),
            tx_type: tx.tx_type.as_u8(),
            bytes: tx.encode().to_vec(),
            signatures: Vec::new(),
            inputs: Vec::new(),
            input_owners: Vec::new(),
            outputs: tx.outputs,
        }
    }
}

/// The benchmark database generator's one write: a block stored as already checked and
/// valid, without any check.
#[cfg(feature = "bench")]
pub trait ImportStore {
    /// Stores block `blknum` (`txs` in order) as valid, unchecked.
    fn import_checked_block(
        &self,
        blknum: u64,
        root: B256,
        timestamp: u64,
        root_block: u64,
        txs: &[StoredTx],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Reads and writes of blocks and transactions.
pub trait BlockStore {
    /// The next child block to check, in order; `None` when all are checked or the chain
    /// halted at an invalid block.
    fn next_pending_block(
        &self,
    ) -> impl Future<Output = Result<Option<PendingBlock>, StoreError>> + Send;

    /// The first child block after `blknum` still to check (for the pipelined checker).
    fn next_pending_after(
        &self,
        blknum: u64,
    ) -> impl Future<Output = Result<Option<PendingBlock>, StoreError>> + Send;

    /// Transaction bytes of a block, in order (for its Merkle tree).
    fn block_txs(
        &self,
        blknum: u64,
    ) -> impl Future<Output = Result<Vec<Vec<u8>>, StoreError>> + Send;

    /// Blocks with numbers below `before`, newest first.
    fn blocks(
        &self,
        before: u64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Block>, StoreError>> + Send;

    /// Transactions of a block, in order, from `offset`.
    fn transactions(
        &self,
        blknum: u64,
        limit: i64,
        offset: i64,
    ) -> impl Future<Output = Result<Vec<TxRecord>, StoreError>> + Send;

    /// A transaction by hash.
    fn tx_by_hash(
        &self,
        tx_hash: B256,
    ) -> impl Future<Output = Result<Option<TxRecord>, StoreError>> + Send;

    /// Stores a checked, valid child block. Returns false (and stores nothing) when the
    /// block is no longer pending with this root (a reorganisation replaced it meanwhile).
    fn commit_valid_block(
        &self,
        blknum: u64,
        root: B256,
        txs: &[StoredTx],
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Marks a child block invalid, raises `invalid_block`, and marks every later child
    /// block untrusted. Returns false when the block is no longer pending with this root.
    fn mark_block_invalid(
        &self,
        blknum: u64,
        root: B256,
        reason: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Marks a child block withheld and raises `block_withheld` (once).
    fn mark_block_withheld(
        &self,
        blknum: u64,
        root: B256,
        detail: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

const BLOCK: i64 = 1_000_000_000;

impl BlockStore for Store {
    async fn next_pending_block(&self) -> Result<Option<PendingBlock>, StoreError> {
        self.next_pending_after(0).await
    }

    async fn next_pending_after(&self, blknum: u64) -> Result<Option<PendingBlock>, StoreError> {
        let b = signed(blknum);
        let row = sqlx::query!(
            "SELECT blknum, root, timestamp, first_seen, status FROM blocks
             WHERE is_deposit = 0 AND status != 'valid' AND blknum > ?1 ORDER BY blknum LIMIT 1",
            b
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let status = BlockStatus::stored(&r.status)?;
        if !matches!(status, BlockStatus::Pending | BlockStatus::Withheld) {
            return Ok(None);
        }
        Ok(Some(PendingBlock {
            blknum: unsigned(r.blknum)?,
            root: hash(&r.root)?,
            timestamp: unsigned(r.timestamp)?,
            first_seen: unsigned(r.first_seen)?,
            status,
        }))
    }

    async fn block_txs(&self, blknum: u64) -> Result<Vec<Vec<u8>>, StoreError> {
        let (from, to) = (signed(blknum) * BLOCK, signed(blknum + 1) * BLOCK);
        let rows = sqlx::query_scalar!(
            "SELECT bytes FROM txs WHERE pos >= ?1 AND pos < ?2 ORDER BY pos",
            from,
            to
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    async fn blocks(&self, before: u64, limit: i64) -> Result<Vec<Block>, StoreError> {
        let b = signed(before);
        let rows = sqlx::query!(
            "SELECT blknum, is_deposit, root, timestamp, root_block, status, tx_count, reason
             FROM blocks WHERE blknum < ?1 ORDER BY blknum DESC LIMIT ?2",
            b,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Block {
                    blknum: unsigned(r.blknum)?,
                    is_deposit: r.is_deposit != 0,
                    root: hash(&r.root)?,
                    timestamp: unsigned(r.timestamp)?,
                    root_block: unsigned(r.root_block)?,
                    status: BlockStatus::stored(&r.status)?,
                    tx_count: unsigned(r.tx_count)?,
                    reason: r.reason,
                })
            })
            .collect()
    }

    async fn transactions(
        &self,
        blknum: u64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<TxRecord>, StoreError> {
        let (from, to) = (signed(blknum) * BLOCK, signed(blknum + 1) * BLOCK);
        let rows = sqlx::query!(
            "SELECT pos, hash, tx_type, bytes, signatures FROM txs WHERE pos >= ?1 AND pos < ?2
             ORDER BY pos LIMIT ?3 OFFSET ?4",
            from,
            to,
            limit,
            offset
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| tx_record(r.pos, &r.hash, r.tx_type, r.bytes, &r.signatures))
            .collect()
    }

    async fn tx_by_hash(&self, tx_hash: B256) -> Result<Option<TxRecord>, StoreError> {
        let h = tx_hash.as_slice();
        let row = sqlx::query!(
            r#"SELECT pos AS "pos!", hash, tx_type, bytes, signatures FROM txs WHERE hash = ?1 ORDER BY pos LIMIT 1"#,
            h
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| tx_record(r.pos, &r.hash, r.tx_type, r.bytes, &r.signatures))
            .transpose()
    }

    async fn commit_valid_block(
        &self,
        blknum: u64,
        root: B256,
        txs: &[StoredTx],
    ) -> Result<bool, StoreError> {
        let mut db = plasma_service::sqlite::begin_write(&self.pool).await?;
        let (b, count, root) = (signed(blknum), txs.len() as i64, root.as_slice());
        let updated = sqlx::query!(
            "UPDATE blocks SET status = 'valid', tx_count = ?2, reason = NULL
             WHERE blknum = ?1 AND root = ?3 AND status IN ('pending', 'withheld')",
            b,
            count,
            root
        )
        .execute(&mut *db)
        .await?
        .rows_affected();
        if updated != 1 {
            return Ok(false);
        }
        insert_rows(&mut db, txs).await?;
        events::resolve(&mut db, ByzantineKind::BlockWithheld, blknum).await?;
        db.commit().await?;
        Ok(true)
    }

    async fn mark_block_invalid(
        &self,
        blknum: u64,
        root: B256,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let mut db = plasma_service::sqlite::begin_write(&self.pool).await?;
        let Some(root_block) =
            write::set_status(&mut db, blknum, root, BlockStatus::Invalid, reason).await?
        else {
            return Ok(false);
        };
        let b = signed(blknum);
        sqlx::query!(
            "UPDATE blocks SET status = 'untrusted' WHERE blknum > ?1 AND is_deposit = 0",
            b
        )
        .execute(&mut *db)
        .await?;
        events::resolve(&mut db, ByzantineKind::BlockWithheld, blknum).await?;
        let kind = ByzantineKind::InvalidBlock;
        events::raise(&mut db, kind, Some(blknum), None, reason, root_block).await?;
        db.commit().await?;
        Ok(true)
    }

    async fn mark_block_withheld(
        &self,
        blknum: u64,
        root: B256,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let mut db = plasma_service::sqlite::begin_write(&self.pool).await?;
        let Some(root_block) =
            write::set_status(&mut db, blknum, root, BlockStatus::Withheld, detail).await?
        else {
            return Ok(false);
        };
        let kind = ByzantineKind::BlockWithheld;
        events::raise(&mut db, kind, Some(blknum), None, detail, root_block).await?;
        db.commit().await?;
        Ok(true)
    }
}

fn tx_record(
    pos: i64,
    hash: &[u8],
    tx_type: i64,
    bytes: Vec<u8>,
    sigs: &[u8],
) -> Result<TxRecord, StoreError> {
    Ok(TxRecord {
        pos: UtxoPos(unsigned(pos)?),
        hash: super::hash(hash)?,
        tx_type: u8::try_from(tx_type).map_err(|_| StoreError::corrupt("tx type"))?,
        bytes: Bytes::from(bytes),
        signatures: sigs.chunks(65).map(Bytes::copy_from_slice).collect(),
    })
}

impl TxRecord {
    /// Block number.
    pub fn blknum(&self) -> u64 {
        self.pos.blknum()
    }

    /// Index in the block.
    pub fn txindex(&self) -> u64 {
        (self.pos.0 % BLOCK_OFFSET) / TX_OFFSET
    }
}
