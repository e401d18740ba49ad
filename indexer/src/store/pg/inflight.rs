//! [`InFlightStore`] on Postgres: the rows of each in-flight exit (folded into its state
//! by the shared `inflight::fold`), the lists, the resolver's completion, the watchtower's
//! record of actions; the follower's in-flight writes and their step of a rollback.

use super::{PgStore, PgTx, num, opt_pos, pos};
use crate::store::{
    InFlightAction, InFlightEvent, InFlightExit, InFlightInput, InFlightStatus, InFlightStore,
    StoreError, hash,
    inflight::{
        fold::{
            ExitRows, LogEntry, StartRow, fold, fold_all, refresh_status, refresh_statuses, small,
        },
        log_row,
    },
    now_secs, signed, unsigned,
};
use alloy::primitives::{B256, Bytes};
use sqlx::PgConnection;

#[derive(sqlx::FromRow)]
struct ExitRow {
    starter: Vec<u8>,
    exitable_at: i64,
    youngest_pos: String,
    started_root_block: i64,
    tx_bytes: Option<Vec<u8>>,
    signatures: Option<Vec<u8>>,
    started_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct LogRow {
    root_block: i64,
    kind: String,
    actor: Option<Vec<u8>>,
    is_output: Option<bool>,
    idx: Option<i32>,
    token: Option<Vec<u8>>,
    amount: Option<String>,
    tx_hash: Option<Vec<u8>>,
    pos: Option<String>,
    flag: Option<bool>,
}

/// The exit `exit_id` folded from its rows, read on `conn` (a pooled connection, or the
/// writer's transaction when it refreshes the stored status).
async fn load(conn: &mut PgConnection, exit_id: B256) -> Result<Option<InFlightExit>, StoreError> {
    let id = exit_id.as_slice();
    let Some(r) = sqlx::query_as::<_, ExitRow>(
        "SELECT starter, exitable_at, youngest_pos::text AS youngest_pos, started_root_block,
                    tx_bytes, signatures, started_at
             FROM inflight_exits WHERE exit_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let inputs: Vec<(i32, String, Vec<u8>)> = sqlx::query_as(
        "SELECT idx, pos::text, input_id FROM inflight_inputs WHERE exit_id = $1 ORDER BY idx",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let inputs = inputs
        .into_iter()
        .map(|(idx, p, input_id)| {
            Ok(InFlightInput {
                index: small(i64::from(idx))?,
                pos: pos(&p)?,
                input_id: hash(&input_id)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let start = StartRow {
        starter: r.starter,
        exitable_at: unsigned(r.exitable_at)?,
        youngest_pos: pos(&r.youngest_pos)?,
        started_root_block: unsigned(r.started_root_block)?,
        tx_bytes: r.tx_bytes,
        signatures: r.signatures,
        started_at: r.started_at.map(unsigned).transpose()?,
    };
    let log: Vec<LogRow> = sqlx::query_as(
        "SELECT root_block, kind, actor, is_output, idx, token, amount::text AS amount,
                    tx_hash, pos::text AS pos, flag
             FROM inflight_log WHERE exit_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let log = log
        .into_iter()
        .map(|row| {
            Ok(LogEntry {
                root_block: unsigned(row.root_block)?,
                kind: row.kind,
                actor: row.actor,
                is_output: row.is_output,
                idx: row.idx.map(i64::from),
                token: row.token,
                amount: row.amount,
                tx_hash: row.tx_hash,
                pos: opt_pos(row.pos.as_deref())?,
                flag: row.flag,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    fold(exit_id, start, inputs, log).map(Some)
}

impl PgStore {
    /// A read transaction on one snapshot (a list and each listed exit's rows agree).
    async fn read_snapshot(&self) -> Result<PgTx<'static>, StoreError> {
        let mut db = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut *db)
            .await?;
        Ok(db)
    }
}

impl InFlightStore for PgStore {
    async fn inflight_exit(&self, exit_id: B256) -> Result<Option<InFlightExit>, StoreError> {
        load(&mut *self.pool.acquire().await?, exit_id).await
    }

    async fn inflight_exits(
        &self,
        status: Option<InFlightStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<InFlightExit>, StoreError> {
        let mut db = self.read_snapshot().await?;
        // Two statements rather than `status = $1 OR $1 IS NULL`, which a generic plan
        // could not answer from `inflight_exits_status`.
        let page = match status {
            None => sqlx::query_scalar(
                "SELECT exit_id FROM inflight_exits
                 ORDER BY started_root_block, seq LIMIT $1 OFFSET $2",
            ),
            Some(status) => sqlx::query_scalar(
                "SELECT exit_id FROM inflight_exits WHERE status = $1
                 ORDER BY started_root_block, seq LIMIT $2 OFFSET $3",
            )
            .bind(status.as_str()),
        };
        let ids: Vec<Vec<u8>> = page.bind(limit).bind(offset).fetch_all(&mut *db).await?;
        fold_all(&mut *db, ids).await
    }

    async fn open_inflight_exits(&self) -> Result<Vec<InFlightExit>, StoreError> {
        let mut db = self.read_snapshot().await?;
        let ids: Vec<Vec<u8>> = sqlx::query_scalar(
            "SELECT exit_id FROM inflight_exits WHERE status <> 'finalized'
             ORDER BY started_root_block, seq",
        )
        .fetch_all(&mut *db)
        .await?;
        fold_all(&mut *db, ids).await
    }

    async fn unresolved_inflight_exits(&self) -> Result<Vec<(B256, u64)>, StoreError> {
        let rows: Vec<(Vec<u8>, i64)> = sqlx::query_as(
            "SELECT exit_id, started_root_block FROM inflight_exits
             WHERE started_at IS NULL ORDER BY started_root_block, seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, n)| Ok((hash(&id)?, unsigned(n)?)))
            .collect()
    }

    async fn resolve_inflight_exit(
        &self,
        exit_id: B256,
        tx: Option<(Bytes, Vec<Bytes>)>,
        started_at: u64,
    ) -> Result<(), StoreError> {
        let sigs = tx
            .as_ref()
            .filter(|(_, s)| !s.is_empty() && s.iter().all(|s| s.len() == 65))
            .map(|(_, s)| s.concat());
        let tx = tx.as_ref().map(|(t, _)| t.to_vec());
        let mut db = self.begin_write().await?;
        sqlx::query(
            "UPDATE inflight_exits SET tx_bytes = $2, signatures = $3, started_at = $4
             WHERE exit_id = $1",
        )
        .bind(exit_id.as_slice())
        .bind(tx)
        .bind(sigs)
        .bind(signed(started_at))
        .execute(&mut *db)
        .await?;
        db.commit().await?;
        Ok(())
    }

    async fn inflight_action(
        &self,
        exit_id: B256,
        action: InFlightAction,
        index: u8,
    ) -> Result<Option<B256>, StoreError> {
        let row: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT tx_hash FROM inflight_actions WHERE exit_id = $1 AND action = $2 AND idx = $3",
        )
        .bind(exit_id.as_slice())
        .bind(action.as_str())
        .bind(i32::from(index))
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
        let mut db = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO inflight_actions (exit_id, action, idx, tx_hash, sent_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (exit_id, action, idx) DO UPDATE SET tx_hash = excluded.tx_hash",
        )
        .bind(exit_id.as_slice())
        .bind(action.as_str())
        .bind(i32::from(index))
        .bind(tx_hash.as_slice())
        .bind(now_secs())
        .execute(&mut *db)
        .await?;
        db.commit().await?;
        Ok(())
    }

    async fn inflight_exits_spending(&self, utxo: u64) -> Result<Vec<B256>, StoreError> {
        let rows: Vec<Vec<u8>> = sqlx::query_scalar(
            "SELECT exit_id FROM inflight_inputs WHERE pos = $1::numeric ORDER BY exit_id",
        )
        .bind(num(utxo))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| hash(r)).collect()
    }
}

/// Stores an in-flight event seen in `root_block`.
pub(super) async fn apply(
    db: &mut PgTx<'_>,
    root_block: i64,
    event: &InFlightEvent,
) -> Result<(), StoreError> {
    if let InFlightEvent::Started {
        exit_id,
        starter,
        inputs,
        exitable_at,
        youngest_pos,
    } = event
    {
        sqlx::query(
            "INSERT INTO inflight_exits (exit_id, starter, exitable_at, youngest_pos, started_root_block)
             VALUES ($1, $2, $3, $4::numeric, $5)",
        )
        .bind(exit_id.as_slice())
        .bind(starter.as_slice())
        .bind(signed(*exitable_at))
        .bind(num(*youngest_pos))
        .bind(root_block)
        .execute(&mut **db)
        .await?;
        sqlx::query(
            "INSERT INTO inflight_inputs (exit_id, idx, pos, input_id)
             SELECT $1, idx - 1, p, i FROM UNNEST($2::numeric[], $3::bytea[])
                 WITH ORDINALITY AS t(p, i, idx)",
        )
        .bind(exit_id.as_slice())
        .bind(inputs.iter().map(|(p, _)| num(*p)).collect::<Vec<_>>())
        .bind(inputs.iter().map(|(_, i)| i.as_slice()).collect::<Vec<_>>())
        .execute(&mut **db)
        .await?;
        return refresh_status(&mut **db, *exit_id).await;
    }
    let Some((exit_id, row)) = log_row(event) else {
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO inflight_log (exit_id, root_block, kind, actor, is_output, idx, token, amount,
                                   tx_hash, pos, flag)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::numeric, $9, $10::numeric, $11)",
    )
    .bind(exit_id.as_slice())
    .bind(root_block)
    .bind(row.kind)
    .bind(row.actor.map(|a| a.to_vec()))
    .bind(row.is_output)
    .bind(row.index.map(i32::from))
    .bind(row.token.map(|a| a.to_vec()))
    .bind(row.amount.map(|a| a.to_string()))
    .bind(row.tx_hash.map(|h| h.to_vec()))
    .bind(row.pos.map(num))
    .bind(row.flag)
    .execute(&mut **db)
    .await?;
    refresh_status(&mut **db, *exit_id).await
}

impl ExitRows for PgConnection {
    async fn load(&mut self, exit_id: B256) -> Result<Option<InFlightExit>, StoreError> {
        load(self, exit_id).await
    }

    async fn store_status(
        &mut self,
        exit_id: B256,
        status: InFlightStatus,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE inflight_exits SET status = $2 WHERE exit_id = $1")
            .bind(exit_id.as_slice())
            .bind(status.as_str())
            .execute(self)
            .await?;
        Ok(())
    }
}

/// Computes the stored status of every exit that has none (written before the column).
pub(super) async fn fill_statuses(db: &mut PgTx<'_>) -> Result<(), StoreError> {
    let ids: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT exit_id FROM inflight_exits WHERE status IS NULL")
            .fetch_all(&mut **db)
            .await?;
    refresh_statuses(&mut **db, ids).await
}

/// Rollback: the same steps as the SQLite rollback (`store/inflight/write.rs`).
pub(super) async fn rollback(db: &mut PgTx<'_>, ancestor: i64) -> Result<(), StoreError> {
    let touched: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT DISTINCT exit_id FROM inflight_log WHERE root_block > $1")
            .bind(ancestor)
            .fetch_all(&mut **db)
            .await?;
    for sql in [
        "DELETE FROM inflight_log WHERE root_block > $1",
        "DELETE FROM inflight_inputs WHERE exit_id IN
             (SELECT exit_id FROM inflight_exits WHERE started_root_block > $1)",
        "DELETE FROM inflight_exits WHERE started_root_block > $1",
    ] {
        sqlx::query(sql).bind(ancestor).execute(&mut **db).await?;
    }
    sqlx::query(
        "DELETE FROM inflight_actions a WHERE NOT EXISTS (SELECT 1 FROM inflight_log l
             WHERE l.exit_id = a.exit_id AND (
                 (a.action = 'challenge_canonicity' AND l.kind = 'challenged')
              OR (a.action = 'respond' AND l.kind = 'responded')
              OR (a.action = 'challenge_input' AND l.kind = 'input_blocked' AND l.idx = a.idx)
              OR (a.action = 'challenge_output' AND l.kind = 'output_blocked' AND l.idx = a.idx)))",
    )
    .execute(&mut **db)
    .await?;
    refresh_statuses(&mut **db, touched).await
}
