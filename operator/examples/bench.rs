//! Operator throughput benchmark (issue 4 "Speed"; figures in docs/OPERATOR.md).
//!
//! 1. Measures the machine's raw signature recovery rate (libsecp256k1), one core and
//!    all cores: the best of several rounds, so that another job cannot flatter the ratios.
//! 2. Starts the operator on a real SQLite file (WAL, synchronous = FULL) with its HTTP
//!    API on loopback. One deposit is credited directly (no root chain is involved in
//!    this benchmark); a 1 → 4 fan-out, sealed level by level, turns it into enough
//!    outputs.
//! 3. Pre-signs `payments` (default 100,000) 1-input / 2-output payments, then submits
//!    them through `POST /v1/transactions/batch` from several concurrent connections,
//!    with full blocks (65,536) sealed by the producer during the load. Prints tx/s
//!    (every answer is a durable acknowledgement) and the ratio to the recovery rate.
//! 4. Then `singles` (default 120,000) more payments, one per `POST /v1/transactions`
//!    (the way wallets submit), from 64 concurrent clients, the producer still sealing.
//! 5. Then as many requests refused as malformed before any recovery: the cost of the
//!    HTTP round trip alone, from which the ceiling of step 4's ratio on these cores.
//! 6. Prints both rates, each as a ratio to the all-core recovery rate of step 1, and
//!    the time to seal each full 65,536-transaction block (root + commit).
//!
//! `cargo run --release -p plasma-operator --example bench -- [payments] [singles]`

#![allow(clippy::print_stdout)]

mod common;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use alloy::{primitives::B256, signers::local::PrivateKeySigner};
use plasma_core::{
    par::par_map,
    sign::{recover, sign_hash},
};
use plasma_operator::{admission::WireItem, node::Sealed};

use common::{CLIENTS, arg, cpu_seconds, load, operator, pay, post_all, refuse};

const BLOCK: usize = 65_536;
const BATCH: usize = 2_000;
const BATCH_CLIENTS: usize = 4;

/// Times the recovery rate over this many rounds and keeps the best: another job on the
/// machine can only lower a round's rate, and a lowered rate would flatter every ratio.
const RECOVERY_ROUNDS: usize = 5;

fn recovery_rate() -> (f64, f64) {
    let key = PrivateKeySigner::from_bytes(&B256::repeat_byte(5)).expect("key");
    let n = 20_000u64;
    let samples: Vec<(B256, [u8; 65])> = (0..n)
        .map(|i| {
            let h = alloy::primitives::keccak256(i.to_be_bytes());
            (h, sign_hash(&key, h).expect("sign"))
        })
        .collect();
    let (mut single, mut all) = (0f64, 0f64);
    for _ in 0..RECOVERY_ROUNDS {
        let t = Instant::now();
        for (h, s) in &samples {
            recover(*h, s).expect("recover");
        }
        single = single.max(n as f64 / t.elapsed().as_secs_f64());
        let t = Instant::now();
        par_map(&samples, |(h, s)| recover(*h, s).expect("recover"));
        all = all.max(n as f64 / t.elapsed().as_secs_f64());
    }
    (single, all)
}

#[tokio::main]
async fn main() {
    let (payments, singles) = (arg(1, 100_000), arg(2, 120_000));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("machine: {cores} cores; load average before: {}", load());

    let (rec1, recn) = recovery_rate();
    println!(
        "signature recovery: {rec1:.0}/s on one core ({:.1} µs), {recn:.0}/s on {cores} cores",
        1e6 / rec1
    );

    let op = operator(BLOCK).await;
    let node = op.node.clone();
    let url = format!("{}/v1/transactions/batch", op.url);
    let utxos = op.fund(payments + singles).await;

    // Pre-sign and pre-serialise the measured payments.
    let t = Instant::now();
    let txs = op.payments(&utxos[..payments]);
    let single_bodies: Vec<Vec<u8>> = op
        .payments(&utxos[payments..payments + singles])
        .iter()
        .map(|tx| serde_json::to_vec(&WireItem::from(tx)).expect("json"))
        .collect();
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
    let cpu = cpu_seconds("self");
    let t = Instant::now();
    let batches = post_all(&url, bodies, BATCH_CLIENTS, |status, answer| {
        assert_eq!(status, 200);
        let v: serde_json::Value = serde_json::from_slice(answer).expect("json");
        let results = v["results"].as_array().expect("results");
        results.iter().filter(|r| r["txHash"].is_string()).count()
    })
    .await;
    let (elapsed, accepted) = (t.elapsed(), batches.acked);
    let rate = accepted as f64 / elapsed.as_secs_f64();
    let batch_cpu = cpu_seconds("self") - cpu;
    println!("load average before the single requests: {}", load());
    let cpu = cpu_seconds("self");
    let url = format!("{}/v1/transactions", op.url);
    let single = pay(&url, single_bodies, CLIENTS).await;
    let single_cpu = cpu_seconds("self") - cpu;
    // The HTTP round trip alone, the same way: requests refused as malformed before any
    // signature is recovered or any state is touched.
    let cpu = cpu_seconds("self");
    let malformed = br#"{"tx":"0x00","signatures":[]}"#.to_vec();
    let round_trip = refuse(&url, vec![malformed; singles], CLIENTS).await;
    let round_trip_cpu = cpu_seconds("self") - cpu;
    // Let the producer finish a block that became full with the last request.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _ = node.seal(BLOCK).await;
    producer.abort();
    let seals = seals.lock().expect("lock").clone();
    println!("load average after: {}", load());
    println!();
    println!(
        "batches: accepted {accepted} of {payments} payments in {:.2} s, {BATCH} per request from {BATCH_CLIENTS} clients",
        elapsed.as_secs_f64()
    );
    println!("batches: {rate:.0} tx/s (durable acknowledgements)");
    println!("single requests from {CLIENTS} clients: {single}");
    println!("{} full blocks sealed during the load", seals.len());
    println!("raw recovery: {rec1:.0}/s one core, {recn:.0}/s all {cores} cores");
    println!(
        "ratio to all-core recovery: batches {:.2}, single requests {:.2}",
        rate / recn,
        single.rate / recn
    );
    // The same runs by CPU time rather than wall time: what the process spent per
    // transaction, and what is left without the load generator's thread (the operator's
    // share). When the cores are the only limit (no wait on fsync, no other process, the
    // clients elsewhere), the ratio tends to one recovery over the operator's share.
    let per_tx = |cpu: f64, n: usize| cpu * 1e6 / n as f64;
    let recovery_us = 1e6 / rec1;
    for (what, cpu, client, n) in [
        ("batches", batch_cpu, batches.cpu, accepted),
        (
            "single requests",
            single_cpu,
            single.client_cpu,
            single.done,
        ),
    ] {
        let (all, operator) = (per_tx(cpu, n), per_tx(cpu - client, n));
        println!(
            "{what}: CPU per transaction {all:.1} µs, of which the load generator {:.1} µs and the operator {operator:.1} µs; one recovery {recovery_us:.1} µs; CPU-bound ratio {:.2} (operator alone {:.2})",
            all - operator,
            recovery_us / all,
            recovery_us / operator
        );
    }
    // A single request does what a batched transaction does plus one HTTP round trip, so
    // on these cores its ratio cannot exceed one recovery over the sum of the two, even
    // if waiting for the group commit cost nothing.
    let (batched_us, trip_us) = (
        per_tx(batch_cpu, accepted),
        per_tx(round_trip_cpu, round_trip.done),
    );
    println!(
        "HTTP round trip alone (refused before recovery): {round_trip}; CPU per request {trip_us:.1} µs, of which the load generator {:.1} µs",
        per_tx(round_trip.client_cpu, round_trip.done)
    );
    println!(
        "ceiling for single requests on these cores: one recovery {recovery_us:.1} µs over a batched transaction {batched_us:.1} µs + a round trip {trip_us:.1} µs = {:.2}",
        recovery_us / (batched_us + trip_us)
    );
    for s in &seals {
        println!(
            "sealed block {} ({} txs): {:.1} ms (root + commit)",
            s.blknum,
            s.txs,
            s.micros as f64 / 1000.0
        );
    }
    assert_eq!(accepted, payments, "every payment must be accepted");
    assert_eq!(
        single.done, singles,
        "every single request must be acknowledged"
    );
}
