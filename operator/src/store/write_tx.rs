//! A write transaction that never goes back to the pool half-finished. SQLite keeps a
//! transaction open when its COMMIT fails (a full disk: `SQLITE_FULL`), and sqlx would
//! then hand that connection to the next writer still inside it. A [`WriteTx`] that is
//! dropped without a successful [`WriteTx::commit`] closes its connection instead, which
//! rolls the transaction back, and the pool opens a fresh one.

use std::ops::{Deref, DerefMut};

use sqlx::{Sqlite, SqliteConnection, SqlitePool, pool::PoolConnection};

use super::StoreError;

/// An open `BEGIN IMMEDIATE` transaction on a pooled connection.
#[derive(Debug)]
pub struct WriteTx {
    conn: PoolConnection<Sqlite>,
    committed: bool,
}

impl WriteTx {
    /// Takes a connection and the write lock (`BEGIN IMMEDIATE`).
    pub(super) async fn begin(pool: &SqlitePool) -> Result<Self, StoreError> {
        let mut conn = pool.acquire().await?;
        if let Err(err) = sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await {
            conn.close_on_drop();
            return Err(err.into());
        }
        Ok(Self {
            conn,
            committed: false,
        })
    }

    /// Commits; on failure the transaction is rolled back when `self` is dropped.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        sqlx::query("COMMIT").execute(&mut *self.conn).await?;
        self.committed = true;
        Ok(())
    }
}

impl Deref for WriteTx {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        &self.conn
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.conn
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if !self.committed {
            self.conn.close_on_drop();
        }
    }
}
