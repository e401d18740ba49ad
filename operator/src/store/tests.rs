//! The pools (readers answer while every writing connection is taken, and cannot write)
//! and the transaction log's rows.

use std::time::Duration;

use super::*;

/// A store on a new file (kept while the directory lives).
async fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("operator.sqlite"))
        .await
        .unwrap();
    (dir, store)
}

/// A log row of `tx` with `signatures`.
fn logged(seq: i64, tx: &plasma_core::Transaction, signatures: Vec<Bytes>) -> LoggedTx {
    LoggedTx {
        seq,
        signed: Arc::new(SignedTx::from_wire(tx.encode(), signatures).unwrap().into()),
    }
}

/// Writes `rows` to the log in one write transaction, `calls` `insert_txs` calls.
async fn write(store: &Store, rows: &[LoggedTx], calls: usize) {
    let refs: Vec<&LoggedTx> = rows.iter().collect();
    let mut db = store.begin().await.unwrap();
    for part in refs.chunks(refs.len().div_ceil(calls)) {
        Store::insert_txs(&mut db, part).await.unwrap();
    }
    db.commit().await.unwrap();
}

#[tokio::test]
async fn reads_answer_while_every_writing_connection_waits_and_cannot_write() {
    let (_dir, store) = fresh().await;
    // One writer holds the write lock; the other writing connection waits for it.
    let holder = store.begin().await.unwrap();
    let waiting = tokio::spawn({
        let store = store.clone();
        async move { store.begin().await.map(|_| ()) }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !waiting.is_finished(),
        "the second writer waits for the lock"
    );
    let reads = async {
        (
            store.tx_count().await.unwrap(),
            store.latest_blknum().await.unwrap(),
            store.blocks().await.unwrap().len(),
            store.cursor().await.unwrap(),
        )
    };
    let answered = tokio::time::timeout(Duration::from_secs(2), reads).await;
    assert_eq!(
        answered.expect("reads do not wait for writers"),
        (0, None, 0, None)
    );
    let refused = sqlx::query("INSERT INTO storage_probe (id, at_ms) VALUES (1, 0)")
        .execute(&store.reads)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("readonly"), "{refused}");
    holder.commit().await.unwrap();
    waiting.await.unwrap().unwrap();
}

/// Rows cross to SQLite as slices of three blobs, one statement per `ROWS_PER_INSERT`:
/// what is read back equals what was written, byte for byte, across a statement boundary
/// and with one and two signatures.
#[tokio::test]
async fn transactions_written_in_bulk_read_back_exactly() {
    use plasma_core::{Transaction, UtxoPos};

    let (_dir, store) = fresh().await;
    let out = |i: u64| Output {
        owner: Address::repeat_byte(3),
        token: Address::ZERO,
        amount: U256::from(i) << 200,
    };
    let logged: Vec<LoggedTx> = (1..=ROWS_PER_INSERT as u64 + 3)
        .map(|i| {
            let inputs: Vec<UtxoPos> = (0..1 + i % 2)
                .map(|k| UtxoPos::new(i * 1000, k, 0).unwrap())
                .collect();
            let sigs = inputs
                .iter()
                .map(|p| Bytes::from(vec![(p.0 % 251) as u8; SIGNATURE_LEN]))
                .collect();
            let tx =
                Transaction::payment(inputs, vec![out(i)], B256::repeat_byte(i as u8)).unwrap();
            logged(i as i64, &tx, sigs)
        })
        .collect();
    write(&store, &logged, 1).await;
    assert_eq!(store.txs_in(1, logged.len() as i64).await.unwrap(), logged);
}

/// A statement whose rows have no signatures at all binds an empty signatures blob, whose
/// `substr` SQLite makes NULL (found by `log_round_trip` below: the write failed).
#[tokio::test]
async fn rows_without_any_signature_are_written() {
    use plasma_core::deposit::deposit_tx;

    let (_dir, store) = fresh().await;
    let unsigned: Vec<LoggedTx> = (1..=2)
        .map(|i| {
            let tx = deposit_tx(i, Address::repeat_byte(7), Address::ZERO, U256::from(i));
            logged(i as i64, &tx, Vec::new())
        })
        .collect();
    write(&store, &unsigned, 1).await;
    assert_eq!(store.txs_in(1, 2).await.unwrap(), unsigned);
}

/// A row whose stored hash is not its bytes' hash is corrupt, not a transaction that
/// the mempool and the block feed would then know by two hashes.
#[tokio::test]
async fn a_row_whose_hash_is_not_its_bytes_hash_is_corrupt() {
    use plasma_core::{Transaction, UtxoPos};

    let (_dir, store) = fresh().await;
    let output = Output {
        owner: Address::repeat_byte(3),
        token: Address::ZERO,
        amount: U256::from(1),
    };
    let input = UtxoPos::new(1000, 0, 0).unwrap();
    let tx = Transaction::payment(vec![input], vec![output], B256::ZERO).unwrap();
    let logged = logged(1, &tx, vec![Bytes::from(vec![1; SIGNATURE_LEN])]);
    write(&store, std::slice::from_ref(&logged), 1).await;
    assert_eq!(store.txs_in(1, 1).await.unwrap(), vec![logged]);

    let mut db = store.begin().await.unwrap();
    sqlx::query("UPDATE txs SET tx_hash = zeroblob(32) WHERE seq = 1")
        .execute(&mut *db)
        .await
        .unwrap();
    db.commit().await.unwrap();
    let err = store.txs_in(1, 1).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt(why) if why.contains("is not the bytes' hash")),
        "{err}"
    );
}

/// Any transactions, with zero to four signatures each, at increasing (not necessarily
/// consecutive) sequence numbers, written by one or several `insert_txs` calls in one
/// write transaction: the log reads back exactly what was written, and nothing else.
mod log_round_trip {
    use super::*;
    use plasma_core::arbitrary::arb_transaction;
    use proptest::{collection::vec, prelude::*};

    /// A log row's content: the transaction and its signatures.
    fn arb_row() -> impl Strategy<Value = (plasma_core::Transaction, Vec<Bytes>)> {
        (
            arb_transaction(),
            vec(vec(any::<u8>(), SIGNATURE_LEN).prop_map(Bytes::from), 0..=4),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn what_is_written_is_read_back_exactly(
            rows in vec((arb_row(), 1i64..1_000), 1..24),
            calls in 1usize..4,
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let (_dir, store) = fresh().await;
                let mut seq = 0;
                let written: Vec<LoggedTx> = rows
                    .iter()
                    .map(|((tx, sigs), gap)| {
                        seq += gap;
                        logged(seq, tx, sigs.clone())
                    })
                    .collect();
                write(&store, &written, calls).await;
                assert_eq!(store.txs_in(0, i64::MAX).await.unwrap(), written);
                let first = written[0].seq;
                assert_eq!(store.txs_in(first, first).await.unwrap(), written[..1]);
            });
        }
    }
}
