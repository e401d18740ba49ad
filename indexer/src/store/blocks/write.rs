//! Writes of blocks inside a database transaction shared with the other entities: the
//! follower's block and deposit inserts, the bulk insert of a checked block's rows, the
//! status change of a checked block, and the blocks' step of a rollback.

use super::{BlockStatus, StoredTx};
use crate::store::{StoreError, Tx, now_secs, signed, utxo};
use alloy::primitives::B256;
use plasma_core::position::BLOCK_OFFSET;
use std::fmt::Write as _;

/// Sets the status of a pending or withheld block with this root; returns its root-chain
/// block, or `None` when the block is no longer pending with this root.
pub(super) async fn set_status(
    db: &mut Tx<'_>,
    blknum: u64,
    root: B256,
    status: BlockStatus,
    reason: &str,
) -> Result<Option<i64>, StoreError> {
    let (b, root, status) = (signed(blknum), root.as_slice(), status.as_str());
    let root_block = sqlx::query_scalar!(
        "UPDATE blocks SET status = ?4, reason = ?3
         WHERE blknum = ?1 AND root = ?2 AND status IN ('pending', 'withheld') RETURNING root_block",
        b,
        root,
        reason,
        status
    )
    .fetch_optional(&mut **db)
    .await?;
    Ok(root_block)
}

/// Stores a `BlockSubmitted` seen in `root_block`: pending, or untrusted once the chain
/// halted at an invalid block.
pub(crate) async fn insert_submitted(
    db: &mut Tx<'_>,
    root_block: i64,
    blknum: u64,
    root: B256,
    timestamp: u64,
) -> Result<(), StoreError> {
    let now = now_secs();
    let halted = sqlx::query_scalar!(
        r#"SELECT EXISTS(SELECT 1 FROM blocks WHERE status = 'invalid') AS "halted!: bool""#
    )
    .fetch_one(&mut **db)
    .await?;
    let status = if halted {
        BlockStatus::Untrusted
    } else {
        BlockStatus::Pending
    }
    .as_str();
    let (blknum, ts, root) = (signed(blknum), signed(timestamp), root.as_slice());
    sqlx::query!(
        "INSERT INTO blocks (blknum, is_deposit, root, timestamp, root_block, status, first_seen)
                         VALUES (?1, 0, ?2, ?3, ?4, ?5, ?6)",
        blknum,
        root,
        ts,
        root_block,
        status,
        now
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Stores a deposit block (valid, one transaction) seen in `root_block`, with its rows.
pub(crate) async fn insert_deposit(
    db: &mut Tx<'_>,
    root_block: i64,
    root: B256,
    timestamp: u64,
    tx: &StoredTx,
) -> Result<(), StoreError> {
    let now = now_secs();
    let blknum = tx.pos / BLOCK_OFFSET;
    let (blknum, ts, root) = (signed(blknum), signed(timestamp), root.as_slice());
    sqlx::query!(
        "INSERT INTO blocks (blknum, is_deposit, root, timestamp, root_block, status, tx_count, first_seen)
                         VALUES (?1, 1, ?2, ?3, ?4, 'valid', 1, ?5)",
        blknum,
        root,
        ts,
        root_block,
        now
    )
    .execute(&mut **db)
    .await?;
    insert_rows(db, std::slice::from_ref(tx)).await
}

/// JSON rows `[pos, "hash", type, "bytes", "sigs"]` for the bulk insert of transactions.
fn txs_json(txs: &[StoredTx]) -> String {
    let mut s = String::with_capacity(txs.len() * 400 + 2);
    s.push('[');
    for (i, tx) in txs.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            "[{},\"{}\",{},\"{}\",\"{}\"]",
            tx.pos,
            hex::encode(tx.hash.as_slice()),
            tx.tx_type,
            hex::encode(&tx.bytes),
            hex::encode(&tx.signatures)
        );
    }
    s.push(']');
    s
}

/// Bulk-inserts a block's transactions, then its outputs and spends (one statement per
/// table).
pub(crate) async fn insert_rows(db: &mut Tx<'_>, txs: &[StoredTx]) -> Result<(), StoreError> {
    if txs.is_empty() {
        return Ok(());
    }
    let txs_rows = txs_json(txs);
    sqlx::query!(
        "INSERT INTO txs (pos, hash, tx_type, bytes, signatures)
         SELECT value ->> 0, unhex(value ->> 1), value ->> 2, unhex(value ->> 3), unhex(value ->> 4)
         FROM json_each(?1)",
        txs_rows
    )
    .execute(&mut **db)
    .await?;
    utxo::insert(db, txs).await
}

/// Rollback, first step: the first block committed after root-chain block `ancestor`.
pub(crate) async fn first_rolled_back(
    db: &mut Tx<'_>,
    ancestor: i64,
) -> Result<Option<i64>, StoreError> {
    let a = ancestor;
    let first = sqlx::query_scalar!(
        r#"SELECT MIN(blknum) AS "b: i64" FROM blocks WHERE root_block > ?1"#,
        a
    )
    .fetch_one(&mut **db)
    .await?;
    Ok(first)
}

/// Rollback: deletes blocks from `first` on and their transactions.
pub(crate) async fn rollback(db: &mut Tx<'_>, first: i64) -> Result<(), StoreError> {
    let from = first.saturating_mul(signed(BLOCK_OFFSET));
    sqlx::query!("DELETE FROM txs WHERE pos >= ?1", from)
        .execute(&mut **db)
        .await?;
    sqlx::query!("DELETE FROM blocks WHERE blknum >= ?1", first)
        .execute(&mut **db)
        .await?;
    Ok(())
}

#[cfg(feature = "bench")]
impl super::ImportStore for crate::store::Store {
    async fn import_checked_block(
        &self,
        blknum: u64,
        root: B256,
        timestamp: u64,
        root_block: u64,
        txs: &[StoredTx],
    ) -> Result<(), StoreError> {
        let mut db = plasma_service::sqlite::begin_write(&self.pool).await?;
        let (b, ts, rb, count, root, now) = (
            signed(blknum),
            signed(timestamp),
            signed(root_block),
            txs.len() as i64,
            root.as_slice(),
            now_secs(),
        );
        sqlx::query!(
            "INSERT INTO blocks (blknum, is_deposit, root, timestamp, root_block, status, tx_count, first_seen)
             VALUES (?1, 0, ?2, ?3, ?4, 'valid', ?5, ?6)",
            b,
            root,
            ts,
            rb,
            count,
            now
        )
        .execute(&mut *db)
        .await?;
        insert_rows(&mut db, txs).await?;
        db.commit().await?;
        Ok(())
    }
}
