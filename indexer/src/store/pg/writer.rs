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
        let mut connection = PgConnection::connect_with(&self.options).await?;
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
