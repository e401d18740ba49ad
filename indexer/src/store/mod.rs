//! SQLite persistence (sqlx, WAL, embedded migrations). Every write that follows the root
//! chain stores its data and the cursor in one database transaction, so a restart resumes
//! exactly where the last commit stopped.

mod read;
mod rollback;
mod write;

pub use read::*;
pub use write::*;

use alloy::primitives::{Address, B256, U256};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::{path::Path, str::FromStr, time::Duration};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A database error.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value does not have the expected shape.
    #[error("corrupt {what} in the database")]
    Corrupt {
        /// What was malformed.
        what: &'static str,
    },
}

/// The indexer's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the database at `path` in WAL mode and migrates it.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .pragma("cache_size", "-65536");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    /// The connection pool.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Converts a stored 20-byte blob to an address.
pub(crate) fn address(bytes: &[u8]) -> Result<Address, StoreError> {
    Address::try_from(bytes).map_err(|_| StoreError::Corrupt { what: "address" })
}

/// Converts a stored 32-byte blob to a hash.
pub(crate) fn hash(bytes: &[u8]) -> Result<B256, StoreError> {
    B256::try_from(bytes).map_err(|_| StoreError::Corrupt { what: "hash" })
}

/// Parses a stored decimal amount.
pub(crate) fn amount(text: &str) -> Result<U256, StoreError> {
    U256::from_str(text).map_err(|_| StoreError::Corrupt { what: "amount" })
}

/// Converts a database integer to `u64` (positions and numbers are never negative).
pub(crate) fn unsigned(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt { what: "integer" })
}

/// Converts a `u64` to a database integer (positions fit: the largest is below 2^63).
pub(crate) fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Seconds since the Unix epoch.
pub(crate) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| signed(d.as_secs()))
        .unwrap_or_default()
}

/// Seconds since the Unix epoch, unsigned.
pub fn now_secs_u64() -> u64 {
    unsigned(now_secs()).unwrap_or_default()
}
