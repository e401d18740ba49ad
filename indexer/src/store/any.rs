//! [`AnyStore`]: the backend chosen at start-up — SQLite (the embedded default) or
//! Postgres — behind the entity traits, so the service and the tests run one generic
//! code path over either. Every method forwards to the backend's implementation.

#[cfg(feature = "bench")]
use super::ImportStore;
use super::{
    Block, BlockStore, ByzantineEvent, ByzantineKind, EventStore, Exit, ExitSource, ExitStatus,
    ExitStore, Heights, HistoryEntry, InFlightAction, InFlightExit, InFlightStatus, InFlightStore,
    KnownOutput, PendingBlock, PgStore, RootBatch, Spend, Store, StoreError, StoredTx, SyncStore,
    TxRecord, Utxo, UtxoStore,
};
use alloy::primitives::{Address, B256, Bytes};
use std::collections::{HashMap, HashSet};

/// The indexer's database on either backend.
#[derive(Debug, Clone)]
pub enum AnyStore {
    /// A SQLite file (`Store`).
    Sqlite(Store),
    /// A Postgres database (`PgStore`).
    Postgres(PgStore),
}

impl AnyStore {
    /// Opens `url`: `postgres://…`/`postgresql://…` on Postgres (migrated), `sqlite:PATH`
    /// (or a bare path) on SQLite.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        if is_postgres(url) {
            return Ok(Self::Postgres(PgStore::open(url).await?));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"));
        Ok(Self::Sqlite(
            Store::open(path.unwrap_or(url).as_ref()).await?,
        ))
    }

    /// Closes the backend's connections.
    pub async fn close(&self) {
        match self {
            Self::Sqlite(s) => s.pool().close().await,
            Self::Postgres(s) => s.pool().close().await,
        }
    }

    /// The backend's name, for logs and the status endpoint.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Whether a database URL names a Postgres server.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Implements `$trait` for [`AnyStore`] by forwarding each listed method.
macro_rules! forward {
    ($trait:ident { $(fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)* }) => {
        impl $trait for AnyStore {
            $(async fn $name(&self $(, $arg: $ty)*) -> Result<$ret, StoreError> {
                match self {
                    Self::Sqlite(s) => s.$name($($arg),*).await,
                    Self::Postgres(s) => s.$name($($arg),*).await,
                }
            })*
        }
    };
}

forward!(SyncStore {
    fn cursor(&self) -> Option<(u64, B256)>;
    fn root_headers(&self, below: u64, limit: usize) -> Vec<(u64, B256)>;
    fn heights(&self) -> Heights;
    fn apply_root_batch(&self, batch: &RootBatch) -> ();
    fn rollback_to(&self, ancestor: u64, ancestor_hash: B256) -> ();
});

forward!(BlockStore {
    fn next_pending_block(&self) -> Option<PendingBlock>;
    fn next_pending_after(&self, blknum: u64) -> Option<PendingBlock>;
    fn block_txs(&self, blknum: u64) -> Vec<Vec<u8>>;
    fn blocks(&self, before: u64, limit: i64) -> Vec<Block>;
    fn transactions(&self, blknum: u64, limit: i64, offset: i64) -> Vec<TxRecord>;
    fn tx_by_hash(&self, tx_hash: B256) -> Option<TxRecord>;
    fn commit_valid_block(&self, blknum: u64, root: B256, txs: &[StoredTx]) -> bool;
    fn mark_block_invalid(&self, blknum: u64, root: B256, reason: &str) -> bool;
    fn mark_block_withheld(&self, blknum: u64, root: B256, detail: &str) -> bool;
});

#[cfg(feature = "bench")]
forward!(ImportStore {
    fn import_checked_block(&self, blknum: u64, root: B256, timestamp: u64, root_block: u64, txs: &[StoredTx]) -> ();
});

forward!(UtxoStore {
    fn load_outputs(&self, positions: &[u64]) -> HashMap<u64, KnownOutput>;
    fn exited_from(&self, positions: &[u64]) -> HashMap<u64, u64>;
    fn unknown_outputs(&self, positions: &[u64]) -> HashSet<u64>;
    fn spend_of(&self, pos: u64) -> Option<Spend>;
    fn exit_source(&self, pos: u64) -> Option<ExitSource>;
    fn utxos(&self, owner: Address) -> Vec<Utxo>;
    fn history(&self, owner: Address, limit: i64, offset: i64) -> Vec<HistoryEntry>;
});

forward!(ExitStore {
    fn exit(&self, pos: u64) -> Option<Exit>;
    fn exits(&self, owner: Option<Address>, status: Option<ExitStatus>, limit: i64, offset: i64) -> Vec<Exit>;
    fn invalid_active_exits(&self) -> Vec<Exit>;
    fn exits_of_unknown_outputs(&self) -> Vec<Exit>;
    fn record_challenge_sent(&self, pos: u64, tx_hash: B256) -> ();
});

forward!(EventStore {
    fn byzantine_events(&self) -> Vec<ByzantineEvent>;
    fn raise_exit_event(&self, kind: ByzantineKind, pos: u64, detail: &str) -> bool;
    fn raise_inflight_event(&self, kind: ByzantineKind, exit_id: B256, subject: &str, pos: Option<u64>, detail: &str) -> bool;
    fn resolve_event(&self, key: &str) -> ();
});

forward!(InFlightStore {
    fn inflight_exit(&self, exit_id: B256) -> Option<InFlightExit>;
    fn inflight_exits(&self, status: Option<InFlightStatus>, limit: i64, offset: i64) -> Vec<InFlightExit>;
    fn open_inflight_exits(&self) -> Vec<InFlightExit>;
    fn unresolved_inflight_exits(&self) -> Vec<(B256, u64)>;
    fn resolve_inflight_exit(&self, exit_id: B256, tx: Option<(Bytes, Vec<Bytes>)>, started_at: u64) -> ();
    fn inflight_action(&self, exit_id: B256, action: InFlightAction, index: u8) -> Option<B256>;
    fn record_inflight_action(&self, exit_id: B256, action: InFlightAction, index: u8, tx_hash: B256) -> ();
    fn inflight_exits_spending(&self, pos: u64) -> Vec<B256>;
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_are_told_from_sqlite_ones() {
        assert!(is_postgres("postgres://u@127.0.0.1:5432/db"));
        assert!(is_postgres("postgresql://u@host/db"));
        for url in [
            "sqlite:/tmp/x.sqlite",
            "sqlite:///tmp/x",
            "/tmp/indexer.sqlite",
            "postgres",
        ] {
            assert!(!is_postgres(url), "{url}");
        }
    }

    #[tokio::test]
    async fn sqlite_urls_and_bare_paths_open_the_file() {
        let dir = tempfile::tempdir().unwrap();
        for url in [
            format!("sqlite:{}", dir.path().join("a.sqlite").display()),
            format!("sqlite://{}", dir.path().join("b.sqlite").display()),
            dir.path().join("c.sqlite").display().to_string(),
        ] {
            let store = AnyStore::open(&url).await.unwrap();
            assert_eq!(store.backend(), "sqlite");
            assert_eq!(store.cursor().await.unwrap(), None);
            store.close().await;
        }
        for file in ["a.sqlite", "b.sqlite", "c.sqlite"] {
            assert!(dir.path().join(file).exists(), "{file}");
        }
    }
}
