//! Operator throughput benchmark (issue 4 "Speed"; figures in docs/OPERATOR.md).
//!
//! `cargo run --release -p plasma-operator --example bench -- [payments]`
//!
//! 1. Measures the machine's raw signature recovery rate (libsecp256k1), one core and
//!    all cores.
//! 2. Starts the operator on a real SQLite file (WAL, synchronous = FULL) with its HTTP
//!    API on loopback. One deposit is credited directly (no root chain is involved in
//!    this benchmark); a 1 → 4 fan-out, sealed level by level, turns it into enough
//!    outputs.
//! 3. Pre-signs `payments` (default 200,000) 1-input / 2-output payments, then submits
//!    them through `POST /v1/transactions/batch` from several concurrent connections,
//!    with full blocks (65,536) sealed by the producer during the load. Prints tx/s
//!    (every answer is a durable acknowledgement) and the ratio to the recovery rate.
//! 4. Reports the time to seal each full 65,536-transaction block (root + commit).

#![allow(clippy::print_stdout)]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    signers::local::PrivateKeySigner,
};
use plasma_core::{
    Output, Transaction, UtxoPos,
    par::par_map,
    sign::{domain, recover, sign_hash, signing_hash},
    signed::SignedTx,
};
use plasma_operator::{
    AppState, Node, NodeConfig,
    admission::WireItem,
    app,
    node::{Deposit, Sealed},
};

const BLOCK: usize = 65_536;
const BATCH: usize = 2_000;
const CLIENTS: usize = 4;

fn signed_payment(
    key: &PrivateKeySigner,
    dom: &alloy::sol_types::Eip712Domain,
    input: UtxoPos,
    outs: Vec<Output>,
) -> SignedTx {
    let tx = Transaction::payment(vec![input], outs, B256::ZERO).expect("valid payment");
    let sig = sign_hash(key, signing_hash(&tx, dom)).expect("sign");
    SignedTx::new(tx, vec![Bytes::copy_from_slice(&sig)])
}

fn eth(owner: Address, amount: U256) -> Output {
    Output {
        owner,
        token: Address::ZERO,
        amount,
    }
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "?".into(),
        |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

fn recovery_rate() -> (f64, f64) {
    let key = PrivateKeySigner::from_bytes(&B256::repeat_byte(5)).expect("key");
    let n = 20_000u64;
    let samples: Vec<(B256, [u8; 65])> = (0..n)
        .map(|i| {
            let h = alloy::primitives::keccak256(i.to_be_bytes());
            (h, sign_hash(&key, h).expect("sign"))
        })
        .collect();
    let t = Instant::now();
    for (h, s) in &samples {
        recover(*h, s).expect("recover");
    }
    let single = n as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    par_map(&samples, |(h, s)| recover(*h, s).expect("recover"));
    let all = n as f64 / t.elapsed().as_secs_f64();
    (single, all)
}

#[tokio::main]
async fn main() {
    let payments: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("machine: {cores} cores; load average before: {}", load());

    let (rec1, recn) = recovery_rate();
    println!(
        "signature recovery: {rec1:.0}/s on one core ({:.1} µs), {recn:.0}/s on {cores} cores",
        1e6 / rec1
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let (chain_id, root_chain) = (31337, Address::repeat_byte(0xcc));
    let dom = domain(chain_id, root_chain);
    let node = Node::open(NodeConfig {
        db_path: dir.path().join("operator.sqlite"),
        chain_id,
        root_chain,
        block_size: BLOCK,
        min_fee: U256::from(1),
        max_batch: 10_000,
        byzantine: false,
        health: Default::default(),
    })
    .await
    .expect("open node");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/v1/transactions/batch",
        listener.local_addr().expect("addr")
    );
    let router = app(AppState {
        node: node.clone(),
        body_limit: 8 * 1024 * 1024,
    });
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });

    // Funding: one deposit, then a 1 → 4 fan-out through the operator, level by level.
    let key = PrivateKeySigner::from_bytes(&B256::repeat_byte(9)).expect("key");
    let me = key.address();
    let per_leaf = U256::from(1_000_000u64);
    let mut levels = 0;
    while 4usize.pow(levels) < payments {
        levels += 1;
    }
    let total = per_leaf * U256::from(4u64).pow(U256::from(levels)) * U256::from(2);
    let d = Deposit {
        blknum: 1,
        output: eth(me, total),
        eth_block: 1,
        eth_block_hash: B256::ZERO,
    };
    node.apply_root_events(&[d], &[], &[], (1, B256::ZERO))
        .await
        .expect("fund");
    let mut utxos = vec![(UtxoPos::new(1, 0, 0).expect("pos"), total)];
    let t = Instant::now();
    for _ in 0..levels {
        let txs: Vec<SignedTx> = par_map(&utxos, |(pos, amount)| {
            let part = (*amount - U256::from(1)) / U256::from(4);
            signed_payment(&key, &dom, *pos, vec![eth(me, part); 4])
        });
        for chunk in txs.chunks(8_192) {
            let res = node
                .submit(chunk.iter().map(WireItem::from).collect())
                .await;
            assert!(
                res.iter().all(Result::is_ok),
                "fan-out rejected: {:?}",
                res.iter().find(|r| r.is_err())
            );
        }
        let sealed = node.seal_all().await.expect("seal");
        let mut next = Vec::with_capacity(txs.len() * 4);
        for (i, tx) in txs.iter().enumerate() {
            let blknum = sealed[i / BLOCK].blknum;
            for o in 0..4 {
                next.push((
                    UtxoPos::new(blknum, (i % BLOCK) as u64, o).expect("pos"),
                    tx.tx.outputs[o as usize].amount,
                ));
            }
        }
        utxos = next;
    }
    println!(
        "funded {} outputs through {levels} fan-out levels in {:.1} s",
        utxos.len(),
        t.elapsed().as_secs_f64()
    );

    // Pre-sign and pre-serialise the measured payments.
    let t = Instant::now();
    let recipient = Address::repeat_byte(0x77);
    let txs: Vec<SignedTx> = par_map(&utxos[..payments], |(pos, amount)| {
        let to = U256::from(1000);
        signed_payment(
            &key,
            &dom,
            *pos,
            vec![eth(recipient, to), eth(me, *amount - to - U256::from(1))],
        )
    });
    let bodies: Vec<Vec<u8>> = txs
        .chunks(BATCH)
        .map(|c| {
            let items: Vec<WireItem> = c.iter().map(WireItem::from).collect();
            serde_json::to_vec(&serde_json::json!({ "transactions": items })).expect("json")
        })
        .collect();
    println!(
        "pre-signed {payments} payments in {} batches of {BATCH} in {:.1} s",
        bodies.len(),
        t.elapsed().as_secs_f64()
    );

    // Producer during the load: seal whenever a full block is pending, record the times.
    let seals: Arc<std::sync::Mutex<Vec<Sealed>>> = Arc::default();
    let producer = {
        let (node, seals) = (node.clone(), seals.clone());
        tokio::spawn(async move {
            loop {
                node.seal_wake.notified().await;
                while let Ok(Some(s)) = node.seal(BLOCK).await {
                    seals.lock().expect("lock").push(s);
                }
            }
        })
    };

    println!("load average before the measured run: {}", load());
    let client = reqwest::Client::new();
    let bodies = Arc::new(bodies);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, url, bodies, next) =
                (client.clone(), url.clone(), bodies.clone(), next.clone());
            tokio::spawn(async move {
                let mut ok = 0usize;
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(body) = bodies.get(i) else { return ok };
                    let r = client
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .expect("post");
                    assert_eq!(r.status(), 200);
                    let v: serde_json::Value = r.json().await.expect("json");
                    let results = v["results"].as_array().expect("results");
                    ok += results.iter().filter(|r| r["txHash"].is_string()).count();
                }
            })
        })
        .collect();
    let mut accepted = 0;
    for w in workers {
        accepted += w.await.expect("worker");
    }
    let elapsed = t.elapsed();
    let rate = accepted as f64 / elapsed.as_secs_f64();
    // Let the producer finish a block that became full with the last batch.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _ = node.seal(BLOCK).await;
    producer.abort();
    let seals = seals.lock().expect("lock").clone();
    println!("load average after: {}", load());
    println!();
    println!(
        "accepted {accepted} of {payments} payments in {:.2} s over HTTP batches",
        elapsed.as_secs_f64()
    );
    println!(
        "throughput: {rate:.0} tx/s (durable acknowledgements, {} full blocks sealed during the load)",
        seals.len()
    );
    println!("raw recovery: {rec1:.0}/s one core, {recn:.0}/s all {cores} cores");
    println!("ratio throughput / all-core recovery: {:.2}", rate / recn);
    for s in &seals {
        println!(
            "sealed block {} ({} txs): {:.1} ms (root + commit)",
            s.blknum,
            s.txs,
            s.micros as f64 / 1000.0
        );
    }
    assert_eq!(accepted, payments, "every payment must be accepted");
}
