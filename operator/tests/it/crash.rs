//! Crash safety with real processes: SIGKILL in the middle of a load and in the middle
//! of a root submission; after a restart every acknowledged transaction is published,
//! no root is submitted twice, and the chain continues.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use alloy::primitives::Address;
use plasma_core::UtxoPos;
use serde_json::{Value, json};

use crate::{
    chain::{assert_each_root_submitted_once, published},
    chain_env::{ChainEnv, OperatorProc},
    common::payment,
};

const ETH: u64 = 1_000_000_000_000_000_000;

/// Where each transaction hash landed: hash → (blknum, txindex).
async fn positions(op: &OperatorProc) -> HashMap<String, (u64, u64)> {
    let mut out = HashMap::new();
    for (blknum, block) in published(op).await {
        for (i, tx) in block.transactions.iter().enumerate() {
            out.insert(tx.hash().to_string(), (blknum, i as u64));
        }
    }
    out
}

/// Splits every output in `utxos` (of `amount` each) four ways through the operator.
async fn fan_out(
    env: &ChainEnv,
    op: &OperatorProc,
    utxos: &[UtxoPos],
    amount: u64,
) -> Vec<UtxoPos> {
    let me = env.user_address();
    let part = amount / 4;
    let txs: Vec<Value> = utxos
        .iter()
        .map(|u| payment(&[&env.user], &env.domain, &[*u], &[(me, part); 4]))
        .collect();
    let (s, answer) = op
        .post("/v1/transactions/batch", &json!({ "transactions": txs }))
        .await;
    assert_eq!(s, 200);
    let hashes: Vec<String> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["txHash"].as_str().expect("accepted").to_owned())
        .collect();
    let start = std::time::Instant::now();
    let pos = loop {
        let pos = positions(op).await;
        if hashes.iter().all(|h| pos.contains_key(h)) {
            break pos;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "fan-out not sealed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    hashes
        .iter()
        .flat_map(|h| {
            let (b, i) = pos[h];
            (0..4).map(move |o| UtxoPos::new(b, i, o).unwrap())
        })
        .collect()
}

#[tokio::test]
async fn sigkill_during_load_loses_no_acknowledged_tx_and_never_resubmits() {
    let env = ChainEnv::start().await;
    let data = env.dir.path().join("op");
    let op = OperatorProc::start(&env, &data, 0, &["--block-interval-ms", "20"]).await;
    let mut utxos = Vec::new();
    for _ in 0..4 {
        utxos.push(UtxoPos::new(env.deposit(ETH).await, 0, 0).unwrap());
    }
    op.wait_status("deposits credited", |s| s["utxos"] == 4)
        .await;
    let mut amount = ETH;
    for _ in 0..3 {
        utxos = fan_out(&env, &op, &utxos, amount).await;
        amount /= 4;
    }
    assert_eq!(utxos.len(), 256);

    // The load: batches of 4 payments, one after the other, acknowledgements recorded.
    let bob = Address::repeat_byte(0xb0);
    let batches: Vec<Value> = utxos
        .chunks(4)
        .map(|c| {
            let txs: Vec<Value> = c
                .iter()
                .map(|u| payment(&[&env.user], &env.domain, &[*u], &[(bob, amount - 1)]))
                .collect();
            json!({ "transactions": txs })
        })
        .collect();
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let attempted = Arc::new(Mutex::new(0usize));
    let load = {
        let (url, batches, acked, attempted) = (
            op.url.clone(),
            batches.clone(),
            acked.clone(),
            attempted.clone(),
        );
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            for b in &batches {
                *attempted.lock().unwrap() += 1;
                let Ok(r) = client
                    .post(format!("{url}/v1/transactions/batch"))
                    .json(b)
                    .send()
                    .await
                else {
                    return;
                };
                let Ok(v) = r.json::<Value>().await else {
                    return;
                };
                let mut a = acked.lock().unwrap();
                for r in v["results"].as_array().unwrap() {
                    a.push(r["txHash"].as_str().expect("accepted").to_owned());
                }
            }
        })
    };
    while acked.lock().unwrap().len() < 100 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    op.kill();
    load.await.unwrap();
    let acked: HashSet<String> = acked.lock().unwrap().iter().cloned().collect();
    let attempted = *attempted.lock().unwrap();
    assert!(
        attempted < batches.len(),
        "the kill must land in the middle of the load"
    );

    let op = OperatorProc::start(&env, &data, 0, &["--block-interval-ms", "20"]).await;
    // The rest of the load, never sent before the crash, is accepted after it.
    for b in &batches[attempted..] {
        let (s, v) = op.post("/v1/transactions/batch", b).await;
        assert_eq!(s, 200);
        assert!(
            v["results"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["txHash"].is_string()),
            "{v}"
        );
    }
    op.wait_status("everything submitted", |s| {
        s["pendingTxs"] == 0
            && s["latestSealedBlock"].is_u64()
            && s["latestSubmittedBlock"] == s["latestSealedBlock"]
    })
    .await;
    let published = positions(&op).await;
    for h in &acked {
        assert!(published.contains_key(h), "acknowledged {h} lost");
    }
    assert_each_root_submitted_once(&env, &op).await;
}

#[tokio::test]
async fn sigkill_between_sending_and_confirming_a_root() {
    let env = ChainEnv::start().await;
    let data = env.dir.path().join("op");
    let op =
        OperatorProc::start(&env, &data, 0, &["--byzantine", "--fault-pause-after-send"]).await;
    let dep = UtxoPos::new(env.deposit(ETH).await, 0, 0).unwrap();
    op.wait_status("deposit credited", |s| s["utxos"] == 1)
        .await;

    // The submission stays in anvil's mempool: sent, not confirmed, when the kill lands.
    env.rpc("evm_setAutomine", json!([false])).await;
    op.pay_self(&env, dep, ETH).await;
    op.wait_log("paused after sending submitBlock").await;
    op.kill();
    assert!(env.submitted().await.is_empty());

    let op = OperatorProc::start(&env, &data, 0, &[]).await;
    // The restarted operator finds the reserved nonce and re-sends with it (or sees
    // that the pending transaction is already known); then the block is mined.
    op.wait_log("submitBlock").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    env.rpc("evm_setAutomine", json!([true])).await;
    env.rpc("evm_mine", json!([])).await;
    op.wait_status("block 1000 confirmed", |s| {
        s["latestSubmittedBlock"] == 1000
    })
    .await;
    assert_eq!(env.submitted().await.len(), 1);

    // The chain continues.
    op.pay_self(&env, UtxoPos::new(1000, 0, 0).unwrap(), ETH)
        .await;
    op.wait_status("block 2000 confirmed", |s| {
        s["latestSubmittedBlock"] == 2000
    })
    .await;
    assert_each_root_submitted_once(&env, &op).await;
}
