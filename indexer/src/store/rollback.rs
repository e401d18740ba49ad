//! Rolling back to a root-chain ancestor after a reorganisation.

use super::{Store, StoreError, signed};
use alloy::primitives::B256;
use plasma_core::position::BLOCK_OFFSET;

impl Store {
    /// Deletes everything derived from root-chain blocks after `ancestor` and moves the
    /// cursor back to it, in one transaction. Child and deposit blocks are numbered in
    /// the order the contract created them, so everything after the first rolled-back
    /// block goes with it.
    pub async fn rollback_to(&self, ancestor: u64, ancestor_hash: B256) -> Result<(), StoreError> {
        let mut db = self.pool.begin().await?;
        let a = signed(ancestor);
        let first = sqlx::query_scalar!(
            r#"SELECT MIN(blknum) AS "b: i64" FROM blocks WHERE root_block > ?1"#,
            a
        )
        .fetch_one(&mut *db)
        .await?;
        if let Some(first) = first {
            let from = first.saturating_mul(signed(BLOCK_OFFSET));
            sqlx::query!("DELETE FROM txs WHERE pos >= ?1", from)
                .execute(&mut *db)
                .await?;
            sqlx::query!("DELETE FROM outputs WHERE pos >= ?1", from)
                .execute(&mut *db)
                .await?;
            sqlx::query!("DELETE FROM spends WHERE tx_pos >= ?1", from)
                .execute(&mut *db)
                .await?;
            sqlx::query!("DELETE FROM blocks WHERE blknum >= ?1", first)
                .execute(&mut *db)
                .await?;
        }
        sqlx::query!("DELETE FROM exits WHERE started_root_block > ?1", a)
            .execute(&mut *db)
            .await?;
        sqlx::query!(
            "UPDATE exits SET challenged_root_block = NULL, challenger = NULL, spending_tx_hash = NULL
             WHERE challenged_root_block > ?1",
            a
        )
        .execute(&mut *db)
        .await?;
        sqlx::query!(
            "UPDATE exits SET processed_root_block = NULL, paid = NULL, exited_from_blknum = NULL
             WHERE processed_root_block > ?1",
            a
        )
        .execute(&mut *db)
        .await?;
        // A challenge this indexer sent may have been reorganised out: check again.
        sqlx::query!(
            "UPDATE exits SET our_challenge_tx = NULL WHERE challenged_root_block IS NULL"
        )
        .execute(&mut *db)
        .await?;
        sqlx::query!("DELETE FROM byzantine_events WHERE root_block > ?1", a)
            .execute(&mut *db)
            .await?;
        sqlx::query!(
            "DELETE FROM byzantine_events WHERE utxo_pos IS NOT NULL
             AND (utxo_pos NOT IN (SELECT pos FROM spends) OR utxo_pos NOT IN (SELECT pos FROM exits))"
        )
        .execute(&mut *db)
        .await?;
        sqlx::query!(
            "UPDATE byzantine_events SET resolved_at = NULL
             WHERE kind IN ('invalid_exit', 'unchallenged_invalid_exit_near_maturity')
             AND utxo_pos IN (SELECT pos FROM exits WHERE challenged_root_block IS NULL)"
        )
        .execute(&mut *db)
        .await?;
        sqlx::query!("DELETE FROM root_headers WHERE number > ?1", a)
            .execute(&mut *db)
            .await?;
        let h = ancestor_hash.as_slice();
        sqlx::query!(
            "INSERT INTO sync_cursor (id, root_block, root_hash) VALUES (0, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET root_block = excluded.root_block, root_hash = excluded.root_hash",
            a,
            h
        )
        .execute(&mut *db)
        .await?;
        db.commit().await?;
        Ok(())
    }
}
