//! [`BlockStore`] on Postgres: the checker's queue and verdicts, the API's block and
//! transaction reads, the follower's block inserts, the bulk rows of a checked block
//! (`UNNEST` of arrays, one statement per table) and the blocks' step of a rollback.

use super::{PgStore, PgTx, events, num, pos, utxo};
use crate::store::{
    Block, BlockStatus, BlockStore, ByzantineKind, PendingBlock, StoreError, StoredTx, TxRecord,
    hash, now_secs, signed, unsigned,
};
use alloy::primitives::{B256, Bytes};
use plasma_core::position::{BLOCK_OFFSET, UtxoPos};

#[derive(sqlx::FromRow)]
struct PendingRow {
    blknum: i64,
    root: Vec<u8>,
    timestamp: i64,
    first_seen: i64,
    status: String,
}

#[derive(sqlx::FromRow)]
struct BlockRow {
    blknum: i64,
    is_deposit: bool,
    root: Vec<u8>,
    timestamp: i64,
    root_block: i64,
    status: String,
    tx_count: i64,
    reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TxRow {
    pos: String,
    hash: Vec<u8>,
    tx_type: i16,
    bytes: Vec<u8>,
    signatures: Vec<u8>,
}

const TX_COLUMNS: &str = "pos::text AS pos, hash, tx_type, bytes, signatures";

impl TryFrom<TxRow> for TxRecord {
    type Error = StoreError;

    fn try_from(r: TxRow) -> Result<Self, StoreError> {
        Ok(TxRecord {
            pos: UtxoPos(pos(&r.pos)?),
            hash: hash(&r.hash)?,
            tx_type: u8::try_from(r.tx_type).map_err(|_| StoreError::corrupt("tx type"))?,
            bytes: Bytes::from(r.bytes),
            signatures: r
                .signatures
                .chunks(65)
                .map(Bytes::copy_from_slice)
                .collect(),
        })
    }
}

/// The query of a transaction by hash (also used by the `EXPLAIN` test: it reads the
/// `txs_hash` index).
pub fn tx_by_hash_query() -> String {
    format!("SELECT {TX_COLUMNS} FROM txs WHERE hash = $1 ORDER BY pos LIMIT 1")
}

/// The half-open range of positions of block `blknum`.
fn block_range(blknum: u64) -> (String, String) {
    let from = blknum.saturating_mul(BLOCK_OFFSET);
    (num(from), num(from.saturating_add(BLOCK_OFFSET)))
}

impl BlockStore for PgStore {
    async fn next_pending_block(&self) -> Result<Option<PendingBlock>, StoreError> {
        self.next_pending_after(0).await
    }

    async fn next_pending_after(&self, blknum: u64) -> Result<Option<PendingBlock>, StoreError> {
        let row: Option<PendingRow> = sqlx::query_as(
            "SELECT blknum, root, timestamp, first_seen, status FROM blocks
             WHERE NOT is_deposit AND status != 'valid' AND blknum > $1 ORDER BY blknum LIMIT 1",
        )
        .bind(signed(blknum))
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
        let (from, to) = block_range(blknum);
        let rows = sqlx::query_scalar(
            "SELECT bytes FROM txs WHERE pos >= $1::numeric AND pos < $2::numeric ORDER BY pos",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    async fn blocks(&self, before: u64, limit: i64) -> Result<Vec<Block>, StoreError> {
        let rows: Vec<BlockRow> = sqlx::query_as(
            "SELECT blknum, is_deposit, root, timestamp, root_block, status, tx_count, reason
             FROM blocks WHERE blknum < $1 ORDER BY blknum DESC LIMIT $2",
        )
        .bind(signed(before))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Block {
                    blknum: unsigned(r.blknum)?,
                    is_deposit: r.is_deposit,
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
        let (from, to) = block_range(blknum);
        let rows: Vec<TxRow> = sqlx::query_as(&format!(
            "SELECT {TX_COLUMNS} FROM txs WHERE pos >= $1::numeric AND pos < $2::numeric
             ORDER BY pos LIMIT $3 OFFSET $4"
        ))
        .bind(from)
        .bind(to)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(TxRecord::try_from).collect()
    }

    async fn tx_by_hash(&self, tx_hash: B256) -> Result<Option<TxRecord>, StoreError> {
        let row: Option<TxRow> = sqlx::query_as(&tx_by_hash_query())
            .bind(tx_hash.as_slice())
            .fetch_optional(&self.pool)
            .await?;
        row.map(TxRecord::try_from).transpose()
    }

    async fn commit_valid_block(
        &self,
        blknum: u64,
        root: B256,
        txs: &[StoredTx],
    ) -> Result<bool, StoreError> {
        let mut db = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE blocks SET status = 'valid', tx_count = $2, reason = NULL
             WHERE blknum = $1 AND root = $3 AND status IN ('pending', 'withheld')",
        )
        .bind(signed(blknum))
        .bind(txs.len() as i64)
        .bind(root.as_slice())
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
        let mut db = self.begin_write().await?;
        let Some(root_block) =
            set_status(&mut db, blknum, root, BlockStatus::Invalid, reason).await?
        else {
            return Ok(false);
        };
        sqlx::query("UPDATE blocks SET status = 'untrusted' WHERE blknum > $1 AND NOT is_deposit")
            .bind(signed(blknum))
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
        let mut db = self.begin_write().await?;
        let Some(root_block) =
            set_status(&mut db, blknum, root, BlockStatus::Withheld, detail).await?
        else {
            return Ok(false);
        };
        let kind = ByzantineKind::BlockWithheld;
        events::raise(&mut db, kind, Some(blknum), None, detail, root_block).await?;
        db.commit().await?;
        Ok(true)
    }
}

/// Sets the status of a pending or withheld block with this root; returns its root-chain
/// block, or `None` when the block is no longer pending with this root.
async fn set_status(
    db: &mut PgTx<'_>,
    blknum: u64,
    root: B256,
    status: BlockStatus,
    reason: &str,
) -> Result<Option<i64>, StoreError> {
    let root_block = sqlx::query_scalar(
        "UPDATE blocks SET status = $4, reason = $3
         WHERE blknum = $1 AND root = $2 AND status IN ('pending', 'withheld') RETURNING root_block",
    )
    .bind(signed(blknum))
    .bind(root.as_slice())
    .bind(reason)
    .bind(status.as_str())
    .fetch_optional(&mut **db)
    .await?;
    Ok(root_block)
}

/// Stores a `BlockSubmitted`: pending, or untrusted once the chain halted at an invalid
/// block.
pub(super) async fn insert_submitted(
    db: &mut PgTx<'_>,
    root_block: i64,
    blknum: u64,
    root: B256,
    timestamp: u64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO blocks (blknum, is_deposit, root, timestamp, root_block, status, first_seen)
         VALUES ($1, FALSE, $2, $3, $4,
                 CASE WHEN EXISTS (SELECT 1 FROM blocks WHERE status = 'invalid')
                      THEN 'untrusted' ELSE 'pending' END, $5)",
    )
    .bind(signed(blknum))
    .bind(root.as_slice())
    .bind(signed(timestamp))
    .bind(root_block)
    .bind(now_secs())
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Stores a deposit block (valid, one transaction) with its rows.
pub(super) async fn insert_deposit(
    db: &mut PgTx<'_>,
    root_block: i64,
    root: B256,
    timestamp: u64,
    tx: &StoredTx,
) -> Result<(), StoreError> {
    insert_valid(
        db,
        tx.pos / BLOCK_OFFSET,
        true,
        root,
        timestamp,
        root_block,
        1,
    )
    .await?;
    insert_rows(db, std::slice::from_ref(tx)).await
}

/// Inserts a block row already valid.
async fn insert_valid(
    db: &mut PgTx<'_>,
    blknum: u64,
    is_deposit: bool,
    root: B256,
    timestamp: u64,
    root_block: i64,
    tx_count: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO blocks (blknum, is_deposit, root, timestamp, root_block, status, tx_count, first_seen)
         VALUES ($1, $2, $3, $4, $5, 'valid', $6, $7)",
    )
    .bind(signed(blknum))
    .bind(is_deposit)
    .bind(root.as_slice())
    .bind(signed(timestamp))
    .bind(root_block)
    .bind(tx_count)
    .bind(now_secs())
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Bulk-inserts a block's transactions, then its outputs and spends.
pub(super) async fn insert_rows(db: &mut PgTx<'_>, txs: &[StoredTx]) -> Result<(), StoreError> {
    if txs.is_empty() {
        return Ok(());
    }
    let positions: Vec<String> = txs.iter().map(|t| num(t.pos)).collect();
    let hashes: Vec<&[u8]> = txs.iter().map(|t| t.hash.as_slice()).collect();
    let types: Vec<i16> = txs.iter().map(|t| i16::from(t.tx_type)).collect();
    let bytes: Vec<&[u8]> = txs.iter().map(|t| t.bytes.as_slice()).collect();
    let sigs: Vec<&[u8]> = txs.iter().map(|t| t.signatures.as_slice()).collect();
    sqlx::query(
        "INSERT INTO txs (pos, hash, tx_type, bytes, signatures)
         SELECT * FROM UNNEST($1::numeric[], $2::bytea[], $3::smallint[], $4::bytea[], $5::bytea[])",
    )
    .bind(positions)
    .bind(hashes)
    .bind(types)
    .bind(bytes)
    .bind(sigs)
    .execute(&mut **db)
    .await?;
    utxo::insert(db, txs).await
}

/// Rollback, first step: the first block committed after root-chain block `ancestor`.
pub(super) async fn first_rolled_back(
    db: &mut PgTx<'_>,
    ancestor: i64,
) -> Result<Option<i64>, StoreError> {
    let first = sqlx::query_scalar("SELECT MIN(blknum) FROM blocks WHERE root_block > $1")
        .bind(ancestor)
        .fetch_one(&mut **db)
        .await?;
    Ok(first)
}

/// Rollback: deletes blocks from `first` on and their transactions (from position `from`).
pub(super) async fn rollback(db: &mut PgTx<'_>, first: i64, from: u64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM txs WHERE pos >= $1::numeric")
        .bind(num(from))
        .execute(&mut **db)
        .await?;
    sqlx::query("DELETE FROM blocks WHERE blknum >= $1")
        .bind(first)
        .execute(&mut **db)
        .await?;
    Ok(())
}

#[cfg(feature = "bench")]
impl crate::store::blocks::ImportStore for PgStore {
    async fn import_checked_block(
        &self,
        blknum: u64,
        root: B256,
        timestamp: u64,
        root_block: u64,
        txs: &[StoredTx],
    ) -> Result<(), StoreError> {
        let mut db = self.begin_write().await?;
        let count = txs.len() as i64;
        insert_valid(
            &mut db,
            blknum,
            false,
            root,
            timestamp,
            signed(root_block),
            count,
        )
        .await?;
        insert_rows(&mut db, txs).await?;
        db.commit().await?;
        Ok(())
    }
}
