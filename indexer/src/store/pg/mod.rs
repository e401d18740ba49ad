//! The Postgres backend: [`PgStore`] implements every entity trait (one module per entity,
//! beside the SQLite modules of [`crate::store`]) with the same semantics and the same
//! atomicity — a follower batch and the cursor in one transaction, a rollback in one.
//!
//! Queries use sqlx's runtime API with typed rows (`sqlx::FromRow`); the schema is
//! `indexer/migrations-pg`. Positions are `NUMERIC(20,0)` and amounts `NUMERIC(78,0)`:
//! they cross the wire as decimal text (`$n::numeric` in, `col::text` out), converted
//! exactly by [`num`], [`pos`] and [`super::amount`].

mod blocks;
mod events;
mod exits;
mod inflight;
mod sync;
mod utxo;
pub mod writer;

pub use exits::list_query as exits_list_query;
pub use utxo::EXITABLE_UTXOS;

use super::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::{str::FromStr, time::Duration};

/// The indexer's Postgres database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    options: PgConnectOptions,
}

/// A Postgres transaction shared by the entities' writes.
pub(crate) type PgTx<'a> = sqlx::Transaction<'a, sqlx::Postgres>;

impl PgStore {
    /// Connects to `url` (`postgres://…`) and migrates the schema.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let store = Self::connect(url, 16).await?;
        sqlx::migrate!("./migrations-pg").run(&store.pool).await?;
        Ok(store)
    }

    /// Connects to `url` without migrating (an API replica, which must not change the
    /// schema under a running writer), with at most `max_connections`.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        Ok(Self { pool, options })
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// A `u64` as the decimal text bound to a `$n::numeric` parameter.
pub(crate) fn num(value: u64) -> String {
    value.to_string()
}

/// A `NUMERIC(20,0)` read as text (`col::text`) back to `u64`.
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
