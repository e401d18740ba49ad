//! Restart and root-chain reorganisation: the database of an indexer that was stopped,
//! restarted and reorganised equals that of a fresh indexer synced to the final chain.

use crate::{chain::*, helpers::*};
use alloy::providers::Provider;

/// Every table of the root-chain data: `(table, order, columns)` for `dump_tables`
/// (volatile wall-clock columns left out).
pub(crate) const TABLES: [(&str, &str, &str); 7] = [
    (
        "blocks",
        "blknum",
        "blknum, is_deposit, hex(root), timestamp, root_block, status, tx_count, reason",
    ),
    (
        "txs",
        "pos",
        "pos, hex(hash), tx_type, hex(bytes), hex(signatures)",
    ),
    ("outputs", "pos", "pos, hex(owner), hex(token), amount"),
    ("spends", "pos", "pos, tx_pos, input_index"),
    (
        "exits",
        "pos",
        "pos, hex(owner), hex(token), amount, exitable_at, started_root_block, challenged_root_block, processed_root_block",
    ),
    ("byzantine_events", "id", "kind, blknum, utxo_pos"),
    ("sync_cursor", "id", "root_block, hex(root_hash)"),
];

/// Every table as one JSON string.
async fn dump(path: &std::path::Path) -> Vec<String> {
    dump_tables(path, &TABLES).await
}

async fn synced_to(api: &str, head: u64) {
    wait_for(&format!("{api}/v1/status"), "sync to head", |s| {
        s["root"]["storedUpTo"] == head
    })
    .await;
}

#[tokio::test]
async fn restart_and_reorg_keep_the_database_exact() {
    let chain = Chain::start().await;
    let (dir, fresh_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let feed = FeedDouble::start().await;
    let rpc = chain.provider(0);
    let (bob, carol) = (chain.keys[2].clone(), chain.keys[3].clone());

    let (service, api) = chain.indexer(dir.path(), &feed.url, None, 60).await;
    chain.deposit_and_pay(&feed, &api, 600).await;
    service.stop().await.unwrap();

    // While stopped: a deposit, a block, an exit.
    chain.deposit(2, 5 * ETH).await;
    let b2000 = block(
        2000,
        vec![payment(
            &chain.domain,
            &[(B1000, &bob)],
            vec![eth(carol.address(), 600)],
        )],
    );
    feed.publish(b2000.clone());
    chain.submit(b2000.root).await;
    let (service, api) = chain.indexer(dir.path(), &feed.url, None, 60).await;
    wait_for(&format!("{api}/v1/status"), "block 2000", |s| {
        s["child"]["valid"] == 2000
    })
    .await;
    let (_, data) = get_json(&format!("{api}/v1/outputs/{}/exit-data", B1000 + 1)).await;
    assert!(chain.exit_with(1, &data).await);
    chain.deposit(3, 7 * ETH).await;
    let head = rpc.get_block_number().await.unwrap();
    synced_to(&api, head).await;
    let (status, _) = get_json(&format!("{api}/v1/exits/{}", B1000 + 1)).await;
    assert_eq!(status, 200, "exit indexed before the reorg");

    // Reorganisation: the exit and the last deposit disappear; the new chain is longer.
    let _: serde_json::Value = rpc
        .raw_request("anvil_rollback".into(), [2u64])
        .await
        .unwrap();
    for _ in 0..3 {
        let _: serde_json::Value = rpc.raw_request("evm_mine".into(), ()).await.unwrap();
    }
    let head = rpc.get_block_number().await.unwrap();
    synced_to(&api, head).await;
    let metrics = get_text(&format!("{api}/metrics")).await;
    assert!(
        metrics.contains("plasma_indexer_reorgs_total 1"),
        "{metrics}"
    );
    service.stop().await.unwrap();

    // A fresh indexer on the final chain builds exactly the same database.
    let (fresh, fresh_api) = chain.indexer(fresh_dir.path(), &feed.url, None, 60).await;
    synced_to(&fresh_api, head).await;
    wait_for(&format!("{fresh_api}/v1/status"), "block 2000", |s| {
        s["child"]["valid"] == 2000
    })
    .await;
    fresh.stop().await.unwrap();
    let (ours, theirs) = (
        dump(&dir.path().join("indexer.sqlite")).await,
        dump(&fresh_dir.path().join("indexer.sqlite")).await,
    );
    assert_eq!(ours, theirs);
    let exits: serde_json::Value = serde_json::from_str(&ours[4]).unwrap();
    let blocks: serde_json::Value = serde_json::from_str(&ours[0]).unwrap();
    let deposits_after_2000 = blocks
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b[0].as_u64() > Some(2000))
        .count();
    assert!(
        exits.as_array().unwrap().is_empty(),
        "the reorganised exit is gone: {exits}"
    );
    assert_eq!(
        deposits_after_2000, 0,
        "the reorganised deposit is gone: {blocks}"
    );
    assert_eq!(
        blocks.as_array().unwrap().len(),
        4,
        "deposits 1 and 1001, blocks 1000 and 2000: {blocks}"
    );
}
