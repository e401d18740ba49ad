//! Exact types on Postgres (always Postgres): u64 positions up to `u64::MAX` and uint256
//! amounts up to `2^256 − 1` round-trip through every entity that stores them, and the
//! schema's domains refuse what does not fit.

use crate::{backend::pg_database, helpers::*};
use alloy::primitives::{Address, U256};
use plasma_indexer::store::{AnyStore, ByzantineKind, ExitStatus, PgStore, RootEvent};

async fn pg_store(name: &str) -> (tempfile::TempDir, AnyStore) {
    let dir = tempfile::tempdir().unwrap();
    let url = pg_database(&dir.path().join(name)).await;
    (dir, AnyStore::Postgres(PgStore::open(&url).await.unwrap()))
}

#[tokio::test]
async fn largest_positions_and_amounts_round_trip_exactly() {
    let (_dir, store) = pg_store("types").await;
    let owner = key(1).address();
    // The largest deposit block whose output position fits in a u64.
    let blknum = u64::MAX / 1_000_000_000;
    let pos = blknum * 1_000_000_000;
    assert!(pos > i64::MAX as u64, "beyond BIGINT");
    let mut event = deposit(blknum, owner, 1);
    if let RootEvent::Deposit { amount, root, .. } = &mut event {
        *amount = U256::MAX;
        let tx = plasma_core::deposit::deposit_tx(blknum, owner, Address::ZERO, U256::MAX);
        *root = plasma_core::deposit::deposit_root(&tx);
    }
    root_events(&store, 1, vec![event]).await;
    let utxos = store.utxos(owner).await.unwrap();
    assert_eq!(utxos.len(), 1);
    assert_eq!((utxos[0].pos.0, utxos[0].output.amount), (pos, U256::MAX));
    let known = store.load_outputs(&[pos]).await.unwrap();
    assert_eq!(known[&pos].output.amount, U256::MAX);
    let source = store.exit_source(pos).await.unwrap().expect("exit source");
    assert_eq!(source.output.output.amount, U256::MAX);
    let history = store.history(owner, 10, 0).await.unwrap();
    assert_eq!((history[0].utxo_pos, history[0].amount), (pos, U256::MAX));

    // An exit of position u64::MAX with the largest amount, raised and listed exactly.
    let mut start = exit_started(u64::MAX, owner, 1);
    if let RootEvent::ExitStarted { amount, .. } = &mut start {
        *amount = U256::MAX;
    }
    root_events(&store, 2, vec![start]).await;
    let exit = store.exit(u64::MAX).await.unwrap().expect("exit");
    assert_eq!((exit.utxo_pos, exit.amount), (u64::MAX, U256::MAX));
    assert_eq!(exit.status, ExitStatus::Active);
    let listed = store
        .exits(Some(owner), Some(ExitStatus::Active), 10, 0)
        .await
        .unwrap();
    assert_eq!(listed, vec![exit]);
    let kind = ByzantineKind::ExitOfUnknownOutput;
    assert!(
        store
            .raise_exit_event(kind, u64::MAX, "test")
            .await
            .unwrap()
    );
    let events = store.byzantine_events().await.unwrap();
    assert_eq!(events[0].utxo_pos, Some(u64::MAX));
    assert_eq!(
        events[0].key,
        format!("exit_of_unknown_output:{}", u64::MAX)
    );
}

#[tokio::test]
async fn the_schema_refuses_values_beyond_u64_and_uint256() {
    let (_dir, store) = pg_store("bounds").await;
    let AnyStore::Postgres(pg) = &store else {
        unreachable!()
    };
    let insert = |pos: &str, amount: &str| {
        format!(
            "INSERT INTO outputs (pos, owner, token, amount) VALUES ({pos}, decode(repeat('11', 20), 'hex'),
             decode(repeat('00', 20), 'hex'), {amount})"
        )
    };
    let max_amount = U256::MAX.to_string();
    let beyond_amount = format!("{max_amount} + 1");
    for (pos, amount) in [
        ("18446744073709551616", "1"),
        ("-1", "1"),
        ("1", beyond_amount.as_str()),
        ("1", "-1"),
        ("1", "0.5"),
    ] {
        let err = sqlx::query(&insert(pos, amount))
            .execute(pg.pool())
            .await
            .expect_err(&format!("pos {pos}, amount {amount} refused"));
        assert!(err.as_database_error().is_some(), "{err}");
    }
    sqlx::query(&insert("18446744073709551615", &max_amount))
        .execute(pg.pool())
        .await
        .expect("the largest values fit");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM outputs")
        .fetch_one(pg.pool())
        .await
        .unwrap();
    assert_eq!(count, 1, "only the fitting row is stored");
}
