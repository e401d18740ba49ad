//! The SQLite implementation of [`InFlightStore`]: each exit's state folded from its
//! rows, the lists, the resolver's completion and the watchtower's record of actions.

use super::{
    InFlightAction, InFlightExit, InFlightInput, InFlightStatus, InFlightStore,
    fold::{LogEntry, StartRow, fold, fold_all, small},
};
use crate::store::{Store, StoreError, hash, now_secs, signed, unsigned};
use alloy::primitives::{B256, Bytes};
use sqlx::SqliteConnection;

/// The exit `exit_id` folded from its rows, read on `conn` (a pooled connection, or the
/// writer's transaction when it refreshes the stored status).
pub(super) async fn load(
    conn: &mut SqliteConnection,
    exit_id: B256,
) -> Result<Option<InFlightExit>, StoreError> {
    let id = exit_id.as_slice();
    let Some(r) = sqlx::query!(
        "SELECT starter, exitable_at, youngest_pos, started_root_block, tx_bytes, signatures,
                    started_at
             FROM inflight_exits WHERE exit_id = ?1",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let inputs = sqlx::query!(
        "SELECT idx, pos, input_id FROM inflight_inputs WHERE exit_id = ?1 ORDER BY idx",
        id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|i| {
        Ok(InFlightInput {
            index: small(i.idx)?,
            pos: unsigned(i.pos)?,
            input_id: hash(&i.input_id)?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let start = StartRow {
        starter: r.starter,
        exitable_at: unsigned(r.exitable_at)?,
        youngest_pos: unsigned(r.youngest_pos)?,
        started_root_block: unsigned(r.started_root_block)?,
        tx_bytes: r.tx_bytes,
        signatures: r.signatures,
        started_at: r.started_at.map(unsigned).transpose()?,
    };
    let log = sqlx::query!(
        r#"SELECT root_block, kind, actor, is_output AS "is_output: bool", idx, token, amount,
                      tx_hash, pos, flag AS "flag: bool"
               FROM inflight_log WHERE exit_id = ?1 ORDER BY id"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| {
        Ok(LogEntry {
            root_block: unsigned(row.root_block)?,
            kind: row.kind,
            actor: row.actor,
            is_output: row.is_output,
            idx: row.idx,
            token: row.token,
            amount: row.amount,
            tx_hash: row.tx_hash,
            pos: row.pos.map(unsigned).transpose()?,
            flag: row.flag,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    fold(exit_id, start, inputs, log).map(Some)
}

impl InFlightStore for Store {
    async fn inflight_exit(&self, exit_id: B256) -> Result<Option<InFlightExit>, StoreError> {
        load(&mut *self.pool.acquire().await?, exit_id).await
    }

    async fn inflight_exits(
        &self,
        status: Option<InFlightStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<InFlightExit>, StoreError> {
        // One read transaction: the page and each exit's rows from the same snapshot.
        let mut db = self.pool.begin().await?;
        let ids = match status {
            None => {
                sqlx::query_scalar!(
                    r#"SELECT exit_id AS "exit_id!" FROM inflight_exits
                   ORDER BY started_root_block, rowid LIMIT ?1 OFFSET ?2"#,
                    limit,
                    offset
                )
                .fetch_all(&mut *db)
                .await?
            }
            Some(status) => {
                let status = status.as_str();
                sqlx::query_scalar!(
                    r#"SELECT exit_id AS "exit_id!" FROM inflight_exits WHERE status = ?1
                       ORDER BY started_root_block, rowid LIMIT ?2 OFFSET ?3"#,
                    status,
                    limit,
                    offset
                )
                .fetch_all(&mut *db)
                .await?
            }
        };
        fold_all(&mut *db, ids).await
    }

    async fn open_inflight_exits(&self) -> Result<Vec<InFlightExit>, StoreError> {
        let mut db = self.pool.begin().await?;
        let ids = sqlx::query_scalar!(
            r#"SELECT exit_id AS "exit_id!" FROM inflight_exits WHERE status <> 'finalized'
               ORDER BY started_root_block, rowid"#
        )
        .fetch_all(&mut *db)
        .await?;
        fold_all(&mut *db, ids).await
    }

    async fn unresolved_inflight_exits(&self) -> Result<Vec<(B256, u64)>, StoreError> {
        let rows = sqlx::query!(
            r#"SELECT exit_id AS "exit_id!", started_root_block FROM inflight_exits
             WHERE started_at IS NULL ORDER BY started_root_block"#
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok((hash(&r.exit_id)?, unsigned(r.started_root_block)?)))
            .collect()
    }

    async fn resolve_inflight_exit(
        &self,
        exit_id: B256,
        tx: Option<(Bytes, Vec<Bytes>)>,
        started_at: u64,
    ) -> Result<(), StoreError> {
        let (id, at) = (exit_id.as_slice(), signed(started_at));
        let sigs = tx
            .as_ref()
            .filter(|(_, s)| !s.is_empty() && s.iter().all(|s| s.len() == 65))
            .map(|(_, s)| s.concat());
        let tx = tx.as_ref().map(|(t, _)| t.as_ref());
        sqlx::query!(
            "UPDATE inflight_exits SET tx_bytes = ?2, signatures = ?3, started_at = ?4
             WHERE exit_id = ?1",
            id,
            tx,
            sigs,
            at
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn inflight_action(
        &self,
        exit_id: B256,
        action: InFlightAction,
        index: u8,
    ) -> Result<Option<B256>, StoreError> {
        let (id, name) = (exit_id.as_slice(), action.as_str());
        let row = sqlx::query_scalar!(
            "SELECT tx_hash FROM inflight_actions WHERE exit_id = ?1 AND action = ?2 AND idx = ?3",
            id,
            name,
            index
        )
        .fetch_optional(&self.pool)
        .await?;
        row.as_deref().map(hash).transpose()
    }

    async fn record_inflight_action(
        &self,
        exit_id: B256,
        action: InFlightAction,
        index: u8,
        tx_hash: B256,
    ) -> Result<(), StoreError> {
        let (id, name, h, now) = (
            exit_id.as_slice(),
            action.as_str(),
            tx_hash.as_slice(),
            now_secs(),
        );
        sqlx::query!(
            "INSERT INTO inflight_actions (exit_id, action, idx, tx_hash, sent_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (exit_id, action, idx) DO UPDATE SET tx_hash = excluded.tx_hash",
            id,
            name,
            index,
            h,
            now
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn inflight_exits_spending(&self, pos: u64) -> Result<Vec<B256>, StoreError> {
        let p = signed(pos);
        let rows = sqlx::query_scalar!(
            "SELECT exit_id FROM inflight_inputs WHERE pos = ?1 ORDER BY exit_id",
            p
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| hash(r)).collect()
    }
}
