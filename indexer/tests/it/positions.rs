//! The edge of the SQLite backend's positions (an `i64` INTEGER): a block beyond
//! `SQLITE_MAX_BLKNUM` is refused with a clear error and nothing of its batch is written,
//! instead of a position clamped or wrapped; Postgres stores it (`pg_types` checks the
//! round trip up to `u64::MAX`).

use crate::{
    backend::{open_store, postgres},
    helpers::{deposit, key},
};
use alloy::primitives::B256;
use plasma_indexer::store::{RootBatch, SQLITE_MAX_BLKNUM, StoreError, SyncStore, UtxoStore};

fn batch(to_block: u64, blknum: u64) -> RootBatch {
    RootBatch {
        events: vec![(to_block, deposit(blknum, key(1).address(), 5))],
        to_block,
        to_hash: B256::with_last_byte(to_block as u8),
    }
}

#[tokio::test]
async fn a_block_beyond_the_backends_positions_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(&dir.path().join("indexer.sqlite")).await;
    let owner = key(1).address();
    // The last block SQLite stores: its position round-trips.
    store
        .apply_root_batch(&batch(1, SQLITE_MAX_BLKNUM))
        .await
        .unwrap();
    let utxos = store.utxos(owner).await.unwrap();
    assert_eq!(utxos[0].pos.0, SQLITE_MAX_BLKNUM * 1_000_000_000);

    // The next block (its range would end past 2^63) and the protocol's last one (its
    // positions past 2^63 would be clamped).
    for (n, blknum) in [(2, SQLITE_MAX_BLKNUM + 1), (3, u64::MAX / 1_000_000_000)] {
        let beyond = store.apply_root_batch(&batch(n, blknum)).await;
        if postgres() {
            beyond.expect("Postgres stores every u64 position");
            continue;
        }
        let err = beyond.unwrap_err();
        assert!(
            matches!(&err, StoreError::Unsupported(m) if m.contains("Postgres")),
            "{err}"
        );
        assert_eq!(store.utxos(owner).await.unwrap(), utxos, "nothing written");
        assert_eq!(
            store.cursor().await.unwrap().map(|c| c.0),
            Some(1),
            "the cursor stays"
        );
    }
    if postgres() {
        assert_eq!(store.utxos(owner).await.unwrap().len(), 3);
    }
}
