//! [`SyncStore`] on Postgres: the cursor, the root-chain headers, the follower's batches
//! (dispatched to the entities' writes in one transaction with the cursor) and the
//! rollback after a reorganisation.

use super::{PgStore, PgTx, blocks, events, exits, inflight, utxo};
use crate::store::{
    Heights, RootBatch, RootEvent, StoreError, SyncStore, blocks::StoredTx, hash, signed, unsigned,
};
use alloy::primitives::B256;
use plasma_core::position::BLOCK_OFFSET;
use plasma_service::sqlite::headers::KEEP_BLOCKS;

impl SyncStore for PgStore {
    async fn cursor(&self) -> Result<Option<(u64, B256)>, StoreError> {
        let row: Option<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT root_block, root_hash FROM sync_cursor WHERE id = 0")
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(n, h)| Ok((unsigned(n)?, hash(&h)?))).transpose()
    }

    async fn root_headers(&self, below: u64, limit: usize) -> Result<Vec<(u64, B256)>, StoreError> {
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT number, hash FROM root_headers WHERE number <= $1 ORDER BY number DESC LIMIT $2",
        )
        .bind(signed(below))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(n, h)| Ok((unsigned(n)?, hash(&h)?)))
            .collect()
    }

    async fn heights(&self) -> Result<Heights, StoreError> {
        let (root_block, committed, valid): (Option<i64>, Option<i64>, Option<i64>) =
            sqlx::query_as(
                "SELECT (SELECT root_block FROM sync_cursor WHERE id = 0),
                        (SELECT MAX(blknum) FROM blocks WHERE NOT is_deposit),
                        (SELECT MAX(blknum) FROM blocks WHERE NOT is_deposit AND status = 'valid')",
            )
            .fetch_one(&self.pool)
            .await?;
        Ok(Heights {
            root_block: root_block.map(unsigned).transpose()?,
            child_committed: committed.map(unsigned).transpose()?,
            child_valid: valid.map(unsigned).transpose()?,
        })
    }

    async fn apply_root_batch(&self, batch: &RootBatch) -> Result<(), StoreError> {
        let mut db = self.begin_write().await?;
        for (root_block, event) in &batch.events {
            apply(&mut db, signed(*root_block), event).await?;
        }
        let to_block = signed(batch.to_block);
        sqlx::query(
            "INSERT INTO root_headers (number, hash) VALUES ($1, $2)
             ON CONFLICT (number) DO UPDATE SET hash = excluded.hash",
        )
        .bind(to_block)
        .bind(batch.to_hash.as_slice())
        .execute(&mut *db)
        .await?;
        sqlx::query("DELETE FROM root_headers WHERE number < $1 - $2")
            .bind(to_block)
            .bind(KEEP_BLOCKS)
            .execute(&mut *db)
            .await?;
        set_cursor(&mut db, to_block, batch.to_hash).await?;
        db.commit().await?;
        Ok(())
    }

    /// Same order as the SQLite rollback (`store/rollback.rs`), in one transaction.
    async fn rollback_to(&self, ancestor: u64, ancestor_hash: B256) -> Result<(), StoreError> {
        let mut db = self.begin_write().await?;
        let a = signed(ancestor);
        if let Some(first) = blocks::first_rolled_back(&mut db, a).await? {
            let from = u64::try_from(first)
                .unwrap_or_default()
                .saturating_mul(BLOCK_OFFSET);
            utxo::rollback(&mut db, from).await?;
            blocks::rollback(&mut db, first, from).await?;
        }
        exits::rollback(&mut db, a).await?;
        inflight::rollback(&mut db, a).await?;
        events::rollback(&mut db, a).await?;
        sqlx::query("DELETE FROM root_headers WHERE number > $1")
            .bind(a)
            .execute(&mut *db)
            .await?;
        set_cursor(&mut db, a, ancestor_hash).await?;
        db.commit().await?;
        Ok(())
    }
}

/// Stores one root-chain event seen in `root_block` through the entity that owns it.
async fn apply(db: &mut PgTx<'_>, root_block: i64, event: &RootEvent) -> Result<(), StoreError> {
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
            let stored = StoredTx::deposit(blknum, owner, token, amount);
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

async fn set_cursor(db: &mut PgTx<'_>, block: i64, hash: B256) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sync_cursor (id, root_block, root_hash) VALUES (0, $1, $2)
         ON CONFLICT (id) DO UPDATE SET root_block = excluded.root_block, root_hash = excluded.root_hash",
    )
    .bind(block)
    .bind(hash.as_slice())
    .execute(&mut **db)
    .await?;
    Ok(())
}
