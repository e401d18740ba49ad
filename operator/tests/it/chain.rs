//! The operator binary against anvil and the real RootChain: deposits credited after
//! the margin, payments sealed, roots submitted once, the feed matching the chain.

use plasma_core::{UtxoPos, block::BlockData};
use serde_json::Value;

use crate::{
    chain_env::{ChainEnv, OperatorProc},
    common::{key, payment},
};

/// Every transaction hash in blocks 1000..=latest sealed, with its block.
pub(crate) async fn published(op: &OperatorProc) -> Vec<(u64, BlockData)> {
    let latest = op.status().await["latestSealedBlock"].as_u64().unwrap_or(0);
    let mut out = Vec::new();
    for blknum in (1000..=latest).step_by(1000) {
        let (s, b) = op.get(&format!("/v1/blocks/{blknum}")).await;
        assert_eq!(s, 200, "block {blknum}: {b}");
        let data: BlockData = serde_json::from_value(b).unwrap();
        assert!(data.root_matches(), "block {blknum} root");
        out.push((blknum, data));
    }
    out
}

/// Every sealed block's root is on chain exactly once, in order, and nothing else is.
pub(crate) async fn assert_each_root_submitted_once(env: &ChainEnv, op: &OperatorProc) {
    let blocks = published(op).await;
    let events = env.submitted().await;
    let expected: Vec<_> = blocks.iter().map(|(n, b)| (*n, b.root)).collect();
    assert_eq!(events, expected, "BlockSubmitted events vs sealed blocks");
}

#[tokio::test]
async fn deposit_payment_and_root_submission_on_anvil() {
    let env = ChainEnv::start().await;
    let data = env.dir.path().join("op");
    let op = OperatorProc::start(&env, &data, 0, &[]).await;
    let blknum = env.deposit(10u64.pow(18)).await;
    op.wait_status("deposit credited", |s| s["utxos"] == 1)
        .await;

    let bob = key(2);
    let dep = UtxoPos::new(blknum, 0, 0).unwrap();
    let body = payment(
        &[&env.user],
        &env.domain,
        &[dep],
        &[
            (bob.address(), 6 * 10u64.pow(17)),
            (env.user_address(), 4 * 10u64.pow(17)),
        ],
    );
    let (s, answer) = op.post("/v1/transactions", &body).await;
    assert_eq!(s, 201, "{answer}");
    op.wait_status("block 1000 submitted", |s| {
        s["latestSubmittedBlock"] == 1000
    })
    .await;
    let blocks = published(&op).await;
    assert_eq!(
        blocks[0].1.transactions[0].hash().to_string(),
        answer["txHash"].as_str().unwrap()
    );
    assert_each_root_submitted_once(&env, &op).await;
    let (_, metrics) = op.get("/metrics").await;
    assert_eq!(metrics, Value::Null, "metrics are text, not JSON");
}
