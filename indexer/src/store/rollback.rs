//! Rolling back to a root-chain ancestor after a reorganisation: each entity deletes what
//! it derived from later root-chain blocks, in one database transaction. Child and
//! deposit blocks are numbered in the order the contract created them, so everything
//! after the first rolled-back block goes with it.

use super::{StoreError, blocks, events, exits, inflight, signed, sync, utxo};
use alloy::primitives::B256;
use plasma_core::position::BLOCK_OFFSET;
use sqlx::SqlitePool;

/// Rolls every entity back to `ancestor` and moves the cursor there, atomically. Order:
/// blocks with their transactions, outputs and spends; exits; in-flight exits; then byzantine events
/// (which look at the remaining spends and exits); then the cursor.
pub(super) async fn rollback_to(
    pool: &SqlitePool,
    ancestor: u64,
    ancestor_hash: B256,
) -> Result<(), StoreError> {
    let mut db = plasma_service::sqlite::begin_write(pool).await?;
    let a = signed(ancestor);
    if let Some(first) = blocks::first_rolled_back(&mut db, a).await? {
        utxo::rollback(&mut db, first.saturating_mul(signed(BLOCK_OFFSET))).await?;
        blocks::rollback(&mut db, first).await?;
    }
    exits::rollback(&mut db, a).await?;
    inflight::rollback(&mut db, a).await?;
    events::rollback(&mut db, a).await?;
    sync::rollback(&mut db, a, ancestor_hash).await?;
    db.commit().await?;
    Ok(())
}
