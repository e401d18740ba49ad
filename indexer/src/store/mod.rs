//! The indexer's storage, split by entity. Each entity module owns its SQL reads, writes
//! and its part of a rollback, and declares the trait the rest of the indexer uses:
//!
//! | module | trait | what |
//! |---|---|---|
//! | [`sync`] | [`SyncStore`] | root-chain cursor and headers, follower batches, rollback |
//! | [`blocks`] | [`BlockStore`] | child blocks, their [`BlockStatus`], transactions |
//! | [`utxo`] | [`UtxoStore`] | outputs, spends, owners, history |
//! | [`exits`] | [`ExitStore`] | exits and their [`ExitStatus`] |
//! | [`events`] | [`EventStore`] | byzantine events ([`ByzantineKind`]) |
//! | [`inflight`] | [`InFlightStore`] | in-flight exits ([`InFlightStatus`]), piggybacks, actions sent |
//!
//! [`IndexerStore`] is all of them; [`Store`] implements it on SQLite (sqlx, WAL,
//! embedded migrations). Rows are domain types (`Address`, `B256`, `U256`, `Bytes`,
//! `Output`, enums), never hex or decimal strings. Every write that follows the root
//! chain stores its data and the cursor in one database transaction, so a restart resumes
//! exactly where the last commit stopped.

mod any;
pub mod blocks;
pub mod events;
pub mod exits;
pub mod inflight;
pub mod pg;
mod rollback;
pub mod sync;
pub mod utxo;

pub use any::{AnyStore, is_postgres};
#[cfg(feature = "bench")]
pub use blocks::ImportStore;
pub use blocks::{Block, BlockStatus, BlockStore, PendingBlock, StoredTx, TxRecord};
pub use events::{ByzantineEvent, ByzantineKind, EventStore};
pub use exits::{Exit, ExitStatus, ExitStore};
pub use inflight::{
    CanonicityChallenge, InFlightAction, InFlightEvent, InFlightExit, InFlightInput,
    InFlightStatus, InFlightStore, Piggyback, PiggybackStatus,
};
pub use pg::PgStore;
pub use sync::{Heights, RootBatch, RootEvent, SQLITE_MAX_BLKNUM, SyncStore};
pub use utxo::{ExitSource, HistoryEntry, HistoryKind, KnownOutput, Spend, Utxo, UtxoStore};

use alloy::primitives::{Address, B256, U256};
use plasma_service::sqlite::{self, Durability, SqliteSettings};
use sqlx::sqlite::SqlitePool;
use std::{path::Path, str::FromStr, time::Duration};

/// Everything the indexer needs from its storage: the entity traits together. A second
/// backend implements the six entity traits and gets this one.
pub trait IndexerStore:
    SyncStore
    + BlockStore
    + UtxoStore
    + ExitStore
    + EventStore
    + InFlightStore
    + Clone
    + std::fmt::Debug
    + Send
    + Sync
    + 'static
{
}

impl<T> IndexerStore for T where
    T: SyncStore
        + BlockStore
        + UtxoStore
        + ExitStore
        + EventStore
        + InFlightStore
        + Clone
        + std::fmt::Debug
        + Send
        + Sync
        + 'static
{
}

pub use plasma_service::sqlite::StoreError;

/// The indexer's SQLite database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

/// Everything here can be re-read from the root chain and the operator: WAL checkpoints
/// are fsynced, not every commit.
const SETTINGS: SqliteSettings = SqliteSettings {
    durability: Durability::Normal,
    max_connections: 8,
    busy_timeout: Duration::from_secs(30),
    cache_kib: 65_536,
};

impl Store {
    /// Opens (creating if needed) the database at `path` in WAL mode and migrates it.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let pool = sqlite::open(path, SETTINGS).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let mut db = sqlite::begin_write(&pool).await?;
        inflight::fill_statuses(&mut db).await?;
        db.commit().await?;
        Ok(Self { pool })
    }

    /// The connection pool.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// A SQLite transaction, handed to the entities' writes so they share one commit.
pub(crate) type Tx<'a> = sqlx::Transaction<'a, sqlx::Sqlite>;

/// Declares a status enum and its one mapping to and from the stored text.
macro_rules! stored_text {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// The stored and served name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// The value of a stored or served name.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// The value of a stored name, or [`StoreError::Corrupt`] (unused for a status
            /// that is derived rather than stored).
            #[allow(dead_code)]
            pub(crate) fn stored(text: &str) -> Result<Self, $crate::store::StoreError> {
                Self::parse(text).ok_or($crate::store::StoreError::corrupt($what))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use stored_text;

/// Converts a stored 20-byte blob to an address.
pub(crate) fn address(bytes: &[u8]) -> Result<Address, StoreError> {
    Address::try_from(bytes).map_err(|_| StoreError::corrupt("address"))
}

/// Converts a stored 32-byte blob to a hash.
pub(crate) fn hash(bytes: &[u8]) -> Result<B256, StoreError> {
    B256::try_from(bytes).map_err(|_| StoreError::corrupt("hash"))
}

/// Parses a stored decimal amount.
pub(crate) fn amount(text: &str) -> Result<U256, StoreError> {
    U256::from_str(text).map_err(|_| StoreError::corrupt("amount"))
}

/// Converts a database integer to `u64` (positions and numbers are never negative).
pub(crate) fn unsigned(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::corrupt("integer"))
}

/// Converts a `u64` to a database integer. Positions fit: a block past
/// [`SQLITE_MAX_BLKNUM`], the first whose positions would not, is refused when it arrives.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_maps_to_its_stored_text_and_back() {
        let blocks = [
            (BlockStatus::Pending, "pending"),
            (BlockStatus::Valid, "valid"),
            (BlockStatus::Invalid, "invalid"),
            (BlockStatus::Withheld, "withheld"),
            (BlockStatus::Untrusted, "untrusted"),
        ];
        for (status, text) in blocks {
            assert_eq!(
                (status.as_str(), BlockStatus::parse(text)),
                (text, Some(status))
            );
        }
        for status in [
            ExitStatus::Active,
            ExitStatus::Challenged,
            ExitStatus::Processed,
        ] {
            assert_eq!(ExitStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(ExitStatus::of(None, None), ExitStatus::Active);
        assert_eq!(ExitStatus::of(Some(3), None), ExitStatus::Challenged);
        assert_eq!(ExitStatus::of(Some(3), Some(4)), ExitStatus::Processed);
        let kinds = [
            ByzantineKind::InvalidBlock,
            ByzantineKind::BlockWithheld,
            ByzantineKind::InvalidExit,
            ByzantineKind::UnchallengedInvalidExitNearMaturity,
            ByzantineKind::ExitOfUnknownOutput,
            ByzantineKind::NonCanonicalInFlightExit,
            ByzantineKind::InvalidCanonicityChallenge,
            ByzantineKind::PiggybackAvailable,
            ByzantineKind::InvalidPiggyback,
        ];
        for kind in kinds {
            assert_eq!(ByzantineKind::parse(&kind.to_string()), Some(kind));
        }
        assert_eq!(
            HistoryKind::parse("exit_started"),
            Some(HistoryKind::ExitStarted)
        );
        for status in [
            InFlightStatus::Active,
            InFlightStatus::NonCanonical,
            InFlightStatus::Processing,
            InFlightStatus::Finalized,
        ] {
            assert_eq!(InFlightStatus::parse(status.as_str()), Some(status));
        }
        for status in [
            PiggybackStatus::Active,
            PiggybackStatus::Blocked,
            PiggybackStatus::Withdrawn,
        ] {
            assert_eq!(PiggybackStatus::parse(status.as_str()), Some(status));
        }
        for action in [
            InFlightAction::ChallengeCanonicity,
            InFlightAction::Respond,
            InFlightAction::ChallengeInput,
            InFlightAction::ChallengeOutput,
        ] {
            assert_eq!(InFlightAction::parse(action.as_str()), Some(action));
        }
        assert!(BlockStatus::parse("Valid").is_none());
        assert!(matches!(
            ExitStatus::stored("bogus"),
            Err(StoreError::Corrupt(what)) if what == "exit status"
        ));
    }
}
