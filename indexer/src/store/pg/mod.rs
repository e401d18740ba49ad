//! The Postgres backend: [`PgStore`] implements every entity trait (one module per entity,
//! beside the SQLite modules of [`crate::store`]) with the same semantics and the same
//! atomicity — a follower batch and the cursor in one transaction, a rollback in one.
//!
//! Queries use sqlx's runtime API with typed rows (`sqlx::FromRow`); the schema is
//! `indexer/migrations-pg`. Positions and amounts are integral `NUMERIC` domains (`u64`, `uint256`):
//! they cross the wire as decimal text (`$n::numeric` in, `col::text` out), converted
//! exactly by [`num`], [`pos`] and [`super::amount`].

mod blocks;
mod events;
mod exits;
mod inflight;
mod sync;
mod utxo;
pub mod writer;

pub use blocks::tx_by_hash_query;
pub use exits::list_query as exits_list_query;
pub use utxo::EXITABLE_UTXOS;

use super::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::{str::FromStr, time::Duration};

/// The indexer's Postgres database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

/// A Postgres transaction shared by the entities' writes.
pub(crate) type PgTx<'a> = sqlx::Transaction<'a, sqlx::Postgres>;

impl PgStore {
    /// Connects to `url` (`postgres://…`) and migrates the schema.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let store = Self::open_unmigrated(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects to `url` for writing, without migrating (the writer takes its lock first).
    pub async fn open_unmigrated(url: &str) -> Result<Self, StoreError> {
        Self::connect(url, 16, false).await
    }

    /// Runs the embedded migrations (`indexer/migrations-pg`), then computes what a
    /// migration added but cannot derive in SQL (the stored in-flight statuses).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations-pg").run(&self.pool).await?;
        let mut db = self.begin_write().await?;
        inflight::fill_statuses(&mut db).await?;
        db.commit().await?;
        Ok(())
    }

    /// Connects to `url` read-only (an API replica): every session refuses writes, and
    /// nothing is migrated (see [`Self::schema_ready`]).
    pub async fn open_read_only(url: &str) -> Result<Self, StoreError> {
        Self::connect(url, 16, true).await
    }

    /// Whether the schema is at this build's latest migration (a writer of the same
    /// version created it).
    pub async fn schema_ready(&self) -> Result<bool, StoreError> {
        let migrator = sqlx::migrate!("./migrations-pg");
        let latest = migrator.iter().map(|m| m.version).max().unwrap_or_default();
        let table: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
            .fetch_one(&self.pool)
            .await?;
        if !table {
            return Ok(false);
        }
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        Ok(applied == Some(latest))
    }

    async fn connect(url: &str, max_connections: u32, read_only: bool) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if read_only {
                        sqlx::query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                            .execute(conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// The transaction-level advisory lock every write transaction takes first ("plasmawr").
const WRITE_LOCK: i64 = 0x706c_6173_6d61_7772;

impl PgStore {
    /// Begins a write transaction, serialised with every other write to this database
    /// (`pg_advisory_xact_lock`, released at commit or rollback). SQLite serialises its
    /// writers by itself; under Postgres' READ COMMITTED, a rollback concurrent with the
    /// checker's commit of a block (or the watchtower's raise of an event) could
    /// otherwise leave rows derived from data it deleted. The writes all come from the
    /// one writer process, as on SQLite.
    pub(crate) async fn begin_write(&self) -> Result<PgTx<'static>, StoreError> {
        let mut db = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *db)
            .await?;
        Ok(db)
    }
}

/// A `u64` as the decimal text bound to a `$n::numeric` parameter.
pub(crate) fn num(value: u64) -> String {
    value.to_string()
}

/// A `u64`-domain value read as text (`col::text`) back to `u64`.
pub(crate) fn pos(text: &str) -> Result<u64, StoreError> {
    text.parse().map_err(|_| StoreError::corrupt("position"))
}

/// Optional [`pos`].
pub(crate) fn opt_pos(text: Option<&str>) -> Result<Option<u64>, StoreError> {
    text.map(pos).transpose()
}

/// A list of positions as the decimal texts of a `$n::numeric[]` parameter.
pub(crate) fn nums(values: &[u64]) -> Vec<String> {
    values.iter().copied().map(num).collect()
}
