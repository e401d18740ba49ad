//! The pools: readers answer while every writing connection is taken, and cannot write.

use std::time::Duration;

use super::*;

#[tokio::test]
async fn reads_answer_while_every_writing_connection_waits_and_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("operator.sqlite"))
        .await
        .unwrap();
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
