//! One writer per database: the follower, checker and watchtower of exactly one
//! `plasma-indexer` write to a Postgres database. The writer holds a session-level
//! advisory lock on a dedicated connection (not the pool's) for its whole life; a second
//! writer's `pg_try_advisory_lock` fails and it refuses to start. The lock goes with the
//! connection, so a killed writer's lock is released when Postgres notices the closed
//! socket, and a restarted writer takes it again.

use super::PgStore;
use crate::store::StoreError;
use sqlx::{Connection, PgConnection};

/// The advisory lock's key: "plasmaix" in ASCII.
pub const WRITER_LOCK: i64 = 0x706c_6173_6d61_6978;

/// The writer's lock, held while this value lives (dropping it closes the connection).
#[derive(Debug)]
pub struct WriterLock {
    _connection: PgConnection,
}

impl PgStore {
    /// Takes the writer's lock, or `None` when another process holds it.
    pub async fn lock_writer(&self) -> Result<Option<WriterLock>, StoreError> {
        let mut connection = PgConnection::connect_with(&self.pool.connect_options()).await?;
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(WRITER_LOCK)
            .fetch_one(&mut connection)
            .await?;
        if !locked {
            connection.close().await?;
            return Ok(None);
        }
        Ok(Some(WriterLock {
            _connection: connection,
        }))
    }
}

/// What the writer last reported about the root chain (`writer_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct WriterProgress {
    /// The root chain's head the writer last saw.
    pub root_head: i64,
    /// Its timestamp.
    pub root_head_timestamp: i64,
    /// Reorganisations the writer rolled back since it started.
    pub reorgs: i64,
    /// When the writer wrote this (Unix seconds, the database's clock).
    pub updated_at: i64,
}

/// The writer's last report as an API replica reads it: with its age by the database's
/// clock, so neither process' clock matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct WriterReport {
    /// The report.
    #[sqlx(flatten)]
    pub progress: WriterProgress,
    /// Seconds since the writer wrote it (the database's clock; 0 if that clock stepped
    /// back).
    pub age_secs: i64,
}

impl PgStore {
    /// The writer records its progress (a holder of [`WriterLock`] only); the report's
    /// time is the database's clock (`progress.updated_at` is ignored).
    pub async fn record_progress(&self, progress: WriterProgress) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO writer_status (id, root_head, root_head_timestamp, reorgs, updated_at)
             VALUES (0, $1, $2, $3, floor(extract(epoch FROM clock_timestamp()))::bigint)
             ON CONFLICT (id) DO UPDATE SET root_head = excluded.root_head,
                 root_head_timestamp = excluded.root_head_timestamp, reorgs = excluded.reorgs,
                 updated_at = excluded.updated_at",
        )
        .bind(progress.root_head)
        .bind(progress.root_head_timestamp)
        .bind(progress.reorgs)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The writer's last progress with its age, `None` before its first report.
    pub async fn progress(&self) -> Result<Option<WriterReport>, StoreError> {
        let row = sqlx::query_as(
            "SELECT root_head, root_head_timestamp, reorgs, updated_at,
                    GREATEST(floor(extract(epoch FROM clock_timestamp()))::bigint - updated_at, 0)
                        AS age_secs
             FROM writer_status WHERE id = 0",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }
}
