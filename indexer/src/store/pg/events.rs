//! [`EventStore`] on Postgres: byzantine events raised once per kind and subject
//! (`dedup`), their resolution and their part of a rollback.

use super::{PgStore, PgTx, num, opt_pos};
use crate::store::{
    ByzantineEvent, ByzantineKind, EventStore, StoreError, events::inflight_key, hash, now_secs,
    signed, unsigned,
};
use alloy::primitives::B256;

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    blknum: Option<i64>,
    utxo_pos: Option<String>,
    detail: String,
    raised_at: i64,
    resolved_at: Option<i64>,
    exit_id: Option<Vec<u8>>,
    dedup: String,
}

impl EventStore for PgStore {
    async fn byzantine_events(&self) -> Result<Vec<ByzantineEvent>, StoreError> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT id, kind, blknum, utxo_pos::text AS utxo_pos, detail, raised_at, resolved_at,
                    exit_id, dedup
             FROM byzantine_events ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ByzantineEvent {
                    id: r.id,
                    kind: ByzantineKind::stored(&r.kind)?,
                    blknum: r.blknum.map(unsigned).transpose()?,
                    utxo_pos: opt_pos(r.utxo_pos.as_deref())?,
                    detail: r.detail,
                    raised_at: unsigned(r.raised_at)?,
                    resolved_at: r.resolved_at.map(unsigned).transpose()?,
                    exit_id: r.exit_id.as_deref().map(hash).transpose()?,
                    key: r.dedup,
                })
            })
            .collect()
    }

    async fn raise_exit_event(
        &self,
        kind: ByzantineKind,
        utxo: u64,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let mut db = self.begin_write().await?;
        let root_block: Option<i64> =
            sqlx::query_scalar("SELECT started_root_block FROM exits WHERE pos = $1::numeric")
                .bind(num(utxo))
                .fetch_optional(&mut *db)
                .await?;
        let raised = match root_block {
            Some(root_block) => raise(&mut db, kind, None, Some(utxo), detail, root_block).await?,
            None => false,
        };
        db.commit().await?;
        Ok(raised)
    }

    async fn raise_inflight_event(
        &self,
        kind: ByzantineKind,
        exit_id: B256,
        subject: &str,
        utxo: Option<u64>,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let mut db = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO byzantine_events (kind, utxo_pos, detail, root_block, raised_at, dedup, exit_id)
             SELECT $1, $2::numeric, $3, GREATEST(e.started_root_block, COALESCE((SELECT MAX(l.root_block)
                    FROM inflight_log l WHERE l.exit_id = e.exit_id), 0)), $4, $5, e.exit_id
             FROM inflight_exits e WHERE e.exit_id = $6
             ON CONFLICT (dedup) DO NOTHING",
        )
        .bind(kind.as_str())
        .bind(utxo.map(num))
        .bind(detail)
        .bind(now_secs())
        .bind(inflight_key(kind, exit_id, subject))
        .bind(exit_id.as_slice())
        .execute(&mut *db)
        .await?;
        db.commit().await?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn resolve_event(&self, key: &str) -> Result<(), StoreError> {
        let mut db = self.begin_write().await?;
        resolve_key(&mut db, key).await?;
        db.commit().await?;
        Ok(())
    }
}

/// Resolves the event of `kind` about `subject` (a block number or a position).
pub(super) async fn resolve(
    db: &mut PgTx<'_>,
    kind: ByzantineKind,
    subject: u64,
) -> Result<(), StoreError> {
    resolve_key(db, &format!("{}:{subject}", kind.as_str())).await
}

async fn resolve_key(db: &mut PgTx<'_>, key: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE byzantine_events SET resolved_at = $2 WHERE dedup = $1 AND resolved_at IS NULL",
    )
    .bind(key)
    .bind(now_secs())
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Raises an event once per kind and subject; true when it is new.
pub(super) async fn raise(
    db: &mut PgTx<'_>,
    kind: ByzantineKind,
    blknum: Option<u64>,
    utxo: Option<u64>,
    detail: &str,
    root_block: i64,
) -> Result<bool, StoreError> {
    let subject = blknum.or(utxo).unwrap_or_default();
    let inserted = sqlx::query(
        "INSERT INTO byzantine_events (kind, blknum, utxo_pos, detail, root_block, raised_at, dedup)
         VALUES ($1, $2, $3::numeric, $4, $5, $6, $7) ON CONFLICT (dedup) DO NOTHING",
    )
    .bind(kind.as_str())
    .bind(blknum.map(signed))
    .bind(utxo.map(num))
    .bind(detail)
    .bind(root_block)
    .bind(now_secs())
    .bind(format!("{}:{subject}", kind.as_str()))
    .execute(&mut **db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Rollback: the same steps as the SQLite rollback (`store/events.rs`).
pub(super) async fn rollback(db: &mut PgTx<'_>, ancestor: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM byzantine_events WHERE root_block > $1")
        .bind(ancestor)
        .execute(&mut **db)
        .await?;
    for sql in [
        "DELETE FROM byzantine_events WHERE utxo_pos IS NOT NULL AND exit_id IS NULL
             AND kind IN ('invalid_exit', 'unchallenged_invalid_exit_near_maturity')
             AND (NOT EXISTS (SELECT 1 FROM spends s WHERE s.pos = utxo_pos)
                  OR NOT EXISTS (SELECT 1 FROM exits e WHERE e.pos = utxo_pos))",
        "DELETE FROM byzantine_events WHERE exit_id IS NULL AND kind = 'exit_of_unknown_output'
             AND utxo_pos IS NOT NULL AND NOT EXISTS (SELECT 1 FROM exits e WHERE e.pos = utxo_pos)",
        "DELETE FROM byzantine_events WHERE exit_id IS NOT NULL
             AND exit_id NOT IN (SELECT exit_id FROM inflight_exits)",
        // The watchtower re-checks every in-flight event's condition and resolves it again
        // if it no longer holds.
        "UPDATE byzantine_events SET resolved_at = NULL WHERE exit_id IS NOT NULL",
        "UPDATE byzantine_events SET resolved_at = NULL WHERE exit_id IS NULL
             AND kind IN ('invalid_exit', 'unchallenged_invalid_exit_near_maturity', 'exit_of_unknown_output')
             AND utxo_pos IN (SELECT pos FROM exits WHERE challenged_root_block IS NULL)",
    ] {
        sqlx::query(sql).execute(&mut **db).await?;
    }
    Ok(())
}
