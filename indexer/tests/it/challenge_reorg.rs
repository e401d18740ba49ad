//! A reorganisation inside the confirmation margin that removes the watchtower's mined
//! challenge: the follower never saw the challenge (nor rolls anything back), the exit is
//! still active, and the watchtower must challenge it again. It once recorded the
//! challenge as sent and never looked back, so the invalid exit would have been paid.

use crate::{chain::*, helpers::*};
use alloy::{
    primitives::B256,
    providers::{DynProvider, Provider},
};
use std::time::Duration;

async fn mine(rpc: &DynProvider, blocks: u64) {
    for _ in 0..blocks {
        let _: serde_json::Value = rpc.raw_request("evm_mine".into(), ()).await.unwrap();
    }
}

/// Mines a block every 100 ms until the exit's JSON satisfies `done` (20 s at most).
async fn mine_until(
    rpc: &DynProvider,
    url: &str,
    what: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    for _ in 0..200 {
        let (_, exit) = get_json(url).await;
        if done(&exit) {
            return exit;
        }
        mine(rpc, 1).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn a_challenge_removed_by_a_reorganisation_is_sent_again() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let feed = FeedDouble::start().await;
    let rpc = chain.provider(0);
    let mut config = args(&chain, dir.path(), &feed.url, Some(9), 60);
    config.chain.confirmations = 3;
    let service = plasma_indexer::start(config).await.unwrap();
    let api = format!("http://{}", service.addr);
    chain.deposit(1, ETH).await;
    let alice = &chain.keys[1];
    let b1000 = block(
        1000,
        vec![payment(
            &chain.domain,
            &[(D1, alice)],
            vec![eth(chain.keys[2].address(), ETH)],
        )],
    );
    feed.publish(b1000.clone());
    chain.submit(b1000.root).await;
    mine(&rpc, 3).await;
    wait_for(&format!("{api}/v1/status"), "block 1000 valid", |s| {
        s["child"]["valid"] == 1000
    })
    .await;

    // Alice exits the deposit she spent in block 1000; the watchtower challenges it.
    assert!(chain.exit_deposit_1(&api).await);
    let url = format!("{api}/v1/exits/{D1}");
    let exit = mine_until(&rpc, &url, "our challenge", |e| {
        e["ourChallengeTx"].is_string()
    })
    .await;
    assert_eq!(
        exit["status"], "active",
        "inside the margin the challenge is unseen"
    );
    let first: B256 = exit["ourChallengeTx"].as_str().unwrap().parse().unwrap();

    // The blocks from the one holding the challenge to the head are replaced by empty
    // ones, inside the margin. (The test may have mined a block after the challenge's
    // before it saw it: the depth is counted from the receipt, not assumed to be 1.)
    let mined = rpc
        .get_transaction_receipt(first)
        .await
        .unwrap()
        .and_then(|r| r.block_number)
        .expect("automine mined the challenge");
    let depth = rpc.get_block_number().await.unwrap() - mined + 1;
    assert!(
        depth <= 3,
        "the challenge is inside the confirmation margin"
    );
    let _: serde_json::Value = rpc
        .raw_request(
            "anvil_reorg".into(),
            (depth, Vec::<serde_json::Value>::new()),
        )
        .await
        .unwrap();
    assert!(rpc.get_transaction_receipt(first).await.unwrap().is_none());

    // The watchtower challenges again, and the follower sees the exit challenged.
    let exit = mine_until(&rpc, &url, "the exit challenged", |e| {
        e["status"] == "challenged"
    })
    .await;
    let ours: B256 = exit["ourChallengeTx"].as_str().unwrap().parse().unwrap();
    assert!(rpc.get_transaction_receipt(ours).await.unwrap().is_some());
    service.stop().await.unwrap();
}
