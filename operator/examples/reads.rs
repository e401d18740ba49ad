//! Reads never slow the writer (issue 14; figures in docs/OPERATOR.md), beside the
//! submission benchmark (`bench`).
//!
//! `cargo run --release -p plasma-operator --example reads -- [payments] [readers]`
//!
//! 1. Starts the operator on a real SQLite file (WAL, synchronous = FULL) with its HTTP
//!    API on loopback, funded as in `bench`; blocks of at most 4,096 transactions are
//!    sealed every 100 ms during the load, so `/v1/blocks/latest` keeps changing.
//! 2. Phase A: `payments` (default 20,000) pre-signed payments, one per
//!    `POST /v1/transactions` (the way wallets submit), from 64 concurrent clients, and
//!    no readers. Prints the acknowledgement rate and its latency.
//! 3. Phase B: as many fresh payments while `readers` (default 16) clients read
//!    `GET /v1/blocks/latest` at full speed. Prints both rates and both latencies.
//! 4. Prints the payments rate with readers over the rate without (the ratio).

#![allow(clippy::print_stdout)]

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use plasma_operator::admission::WireItem;

use common::{CLIENTS, Run, arg, load, operator, pay};

const BLOCK: usize = 4_096;

/// Reads `url` from `readers` clients until `stop`; every answer must be 200.
async fn read(url: String, readers: usize, stop: Arc<AtomicBool>) -> Run {
    let client = reqwest::Client::new();
    let t = Instant::now();
    let workers: Vec<_> = (0..readers)
        .map(|_| {
            let (client, url, stop) = (client.clone(), url.clone(), stop.clone());
            tokio::spawn(async move {
                let mut micros = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let r = client.get(&url).send().await.expect("get");
                    assert_eq!(r.status(), 200);
                    r.bytes().await.expect("body");
                    micros.push(t.elapsed().as_micros() as u64);
                }
                micros
            })
        })
        .collect();
    let mut micros = Vec::new();
    for w in workers {
        micros.extend(w.await.expect("reader"));
    }
    Run::of(micros, t.elapsed())
}

#[tokio::main]
async fn main() {
    let (payments, readers) = (arg(1, 20_000), arg(2, 16));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("machine: {cores} cores; load average before: {}", load());

    let op = operator(BLOCK).await;
    let utxos = op.fund(2 * payments).await;
    let bodies: Vec<Vec<u8>> = op
        .payments(&utxos[..2 * payments])
        .iter()
        .map(|tx| serde_json::to_vec(&WireItem::from(tx)).expect("json"))
        .collect();
    let (a, b) = bodies.split_at(payments);
    let producer = {
        let node = op.node.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                while let Ok(Some(_)) = node.seal(1).await {}
            }
        })
    };
    let url = format!("{}/v1/transactions", op.url);

    println!("load average before phase A: {}", load());
    let alone = pay(&url, a.to_vec(), CLIENTS).await;
    println!("A, payments without readers: {alone}");

    println!("load average before phase B: {}", load());
    let stop = Arc::new(AtomicBool::new(false));
    let reading = tokio::spawn(read(
        format!("{}/v1/blocks/latest", op.url),
        readers,
        stop.clone(),
    ));
    let with = pay(&url, b.to_vec(), CLIENTS).await;
    stop.store(true, Ordering::Relaxed);
    let reads = reading.await.expect("readers");
    producer.abort();
    println!("load average after: {}", load());
    println!();
    println!("B, payments with {readers} readers: {with}");
    println!("B, reads of /v1/blocks/latest: {reads}");
    println!(
        "payments rate with readers / without: {:.2} ({:.0} / {:.0} tx/s; {CLIENTS} payers, {cores} cores)",
        with.rate / alone.rate,
        with.rate,
        alone.rate
    );
    assert_eq!(
        alone.done + with.done,
        2 * payments,
        "every payment acknowledged"
    );
}
