//! How both services open their SQLite database: WAL journal, a busy timeout, created if
//! missing. Each service runs its own embedded migrations on the pool. [`headers`] is the
//! table both keep for the root-chain follower.

pub mod headers;

use std::{path::Path, time::Duration};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// A storage failure of either service (its store's error). Never shown to HTTP clients:
/// they get a bare 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database rejected or failed an operation.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// Embedded migrations failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value does not decode (corrupted or foreign database).
    #[error("corrupt {0} in the database")]
    Corrupt(String),
    /// A value this database cannot store exactly (refused, nothing written): the
    /// message says what and which store can.
    #[error("{0}")]
    Unsupported(String),
}

impl StoreError {
    /// A stored value that does not decode: `what` names it.
    pub fn corrupt(what: impl Into<String>) -> Self {
        Self::Corrupt(what.into())
    }
}

/// When a commit is durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Every commit is fsynced (`synchronous = FULL`): an acknowledgement survives a
    /// power cut. The operator's acceptance log needs this.
    Full,
    /// WAL checkpoints are fsynced (`synchronous = NORMAL`): a crash loses no committed
    /// data, a power cut may lose the last commits. Enough for data that can be re-read
    /// from the chain (the indexer).
    Normal,
}

/// Settings of a service's database.
#[derive(Debug, Clone, Copy)]
pub struct SqliteSettings {
    /// When a commit is durable.
    pub durability: Durability,
    /// Connections in the pool.
    pub max_connections: u32,
    /// How long a connection waits for a lock.
    pub busy_timeout: Duration,
    /// Page cache per connection, KiB.
    pub cache_kib: u32,
}

/// Starts a write transaction holding the write lock from its first statement
/// (`BEGIN IMMEDIATE`), so it waits its turn under the busy timeout. A deferred
/// transaction that reads before it writes fails at once with SQLITE_BUSY (or
/// SQLITE_BUSY_SNAPSHOT) when another connection commits in between, which the
/// indexer's follower, checker and watchtower, writing concurrently, did.
pub async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Opens a pool of read-only connections (`query_only`) to the existing database at
/// `path`, for readers that must never take a writer's connection or lock: in WAL mode
/// they read the last committed state while a writer commits. Open the writing pool
/// (which creates the file and sets WAL) first.
pub async fn open_readers(
    path: &Path,
    settings: SqliteSettings,
) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .busy_timeout(settings.busy_timeout)
        .pragma("cache_size", format!("-{}", settings.cache_kib))
        .pragma("query_only", "ON");
    pool_options(settings).connect_with(options).await
}

/// No ping before each checkout: an in-process SQLite connection does not go stale as a
/// network one does (a failed one fails its next statement), and the ping is one more
/// round trip to the connection's thread on every write (a group commit's fifth).
fn pool_options(settings: SqliteSettings) -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(settings.max_connections)
        .test_before_acquire(false)
}

/// Opens (creating if needed) the database file at `path`.
pub async fn open(path: &Path, settings: SqliteSettings) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(match settings.durability {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Normal => SqliteSynchronous::Normal,
        })
        .busy_timeout(settings.busy_timeout)
        .pragma("cache_size", format!("-{}", settings.cache_kib));
    pool_options(settings).connect_with(options).await
}
