//! What the operator benchmarks share: signed payments, the machine's load, an operator
//! on a real SQLite file with its HTTP API on loopback (the production accept loop), and
//! funding it through a 1 → 4 fan-out; the load generator and latency summaries.

#![allow(dead_code, unreachable_pub)]

mod loadgen;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use alloy::{
    primitives::{Address, B256, Bytes, U256},
    signers::local::PrivateKeySigner,
    sol_types::Eip712Domain,
};
use plasma_core::{
    Output, Transaction, UtxoPos,
    par::par_map,
    sign::{domain, sign_hash, signing_hash},
    signed::SignedTx,
};
use plasma_operator::{AppState, Node, NodeConfig, admission::WireItem, app, node::Deposit};
use tempfile::TempDir;

/// A 1-input payment signed by `key`.
pub fn signed_payment(
    key: &PrivateKeySigner,
    dom: &Eip712Domain,
    input: UtxoPos,
    outs: Vec<Output>,
) -> SignedTx {
    let tx = Transaction::payment(vec![input], outs, B256::ZERO).expect("valid payment");
    let sig = sign_hash(key, signing_hash(&tx, dom)).expect("sign");
    SignedTx::new(tx, vec![Bytes::copy_from_slice(&sig)])
}

/// An ETH output.
pub fn eth(owner: Address, amount: U256) -> Output {
    Output {
        owner,
        token: Address::ZERO,
        amount,
    }
}

/// The `i`-th command-line argument as a count, or `default`.
pub fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// The load average, as `/proc/loadavg` has it.
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "?".into(),
        |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

/// CPU seconds used so far by `of`: `"self"` (the process, every thread) or
/// `"thread-self"` (the calling thread) — `/proc/<of>/stat` utime + stime, in the
/// kernel's 100 Hz ticks.
pub fn cpu_seconds(of: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{of}/stat")).expect("/proc stat");
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')').expect("stat") + 2..]
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields[i].parse::<f64>().expect("ticks");
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// An operator node serving its API on loopback, on a fresh database file.
pub struct Operator {
    pub node: Arc<Node>,
    /// `http://127.0.0.1:port`.
    pub url: String,
    pub key: PrivateKeySigner,
    pub dom: Eip712Domain,
    _dir: TempDir,
}

/// Starts an operator with blocks of `block_size` transactions.
pub async fn operator(block_size: usize) -> Operator {
    let dir = tempfile::tempdir().expect("tempdir");
    let (chain_id, root_chain) = (31337, Address::repeat_byte(0xcc));
    let node = Node::open(NodeConfig {
        db_path: dir.path().join("operator.sqlite"),
        chain_id,
        root_chain,
        block_size,
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
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let router = app(AppState {
        node: node.clone(),
        body_limit: 8 * 1024 * 1024,
    });
    // The production accept loop, with its default limits and timeouts.
    tokio::spawn(async move {
        let limits = plasma_service::serve::EdgeArgs::default();
        plasma_service::serve::serve(listener, router, limits, std::future::pending())
            .await
            .expect("serve");
    });
    Operator {
        node,
        url,
        key: PrivateKeySigner::from_bytes(&B256::repeat_byte(9)).expect("key"),
        dom: domain(chain_id, root_chain),
        _dir: dir,
    }
}

impl Operator {
    /// Credits one deposit, then fans it out 1 → 4 through the node, level by level
    /// (each level sealed), until at least `n` outputs of the key exist; returns them.
    pub async fn fund(&self, n: usize) -> Vec<(UtxoPos, U256)> {
        let (node, key, dom) = (&self.node, &self.key, &self.dom);
        let me = key.address();
        let block = node.config().block_size;
        let per_leaf = U256::from(1_000_000u64);
        let mut levels = 0;
        while 4usize.pow(levels) < n {
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
                signed_payment(key, dom, *pos, vec![eth(me, part); 4])
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
                let blknum = sealed[i / block].blknum;
                for o in 0..4 {
                    next.push((
                        UtxoPos::new(blknum, (i % block) as u64, o).expect("pos"),
                        tx.tx.outputs[o as usize].amount,
                    ));
                }
            }
            utxos = next;
        }
        say(&format!(
            "funded {} outputs through {levels} fan-out levels in {:.1} s",
            utxos.len(),
            t.elapsed().as_secs_f64()
        ));
        utxos
    }

    /// Pre-signs one payment of 1000 wei to a fixed recipient from each output, the rest
    /// (less a fee of 1) back to the key.
    pub fn payments(&self, utxos: &[(UtxoPos, U256)]) -> Vec<SignedTx> {
        let (me, recipient) = (self.key.address(), Address::repeat_byte(0x77));
        par_map(utxos, |(pos, amount)| {
            let to = U256::from(1000);
            signed_payment(
                &self.key,
                &self.dom,
                *pos,
                vec![eth(recipient, to), eth(me, *amount - to - U256::from(1))],
            )
        })
    }
}

/// What a load gave: each request's latency (µs), the transactions acknowledged, and the
/// CPU seconds the load generator's own thread used.
pub struct Load {
    pub micros: Vec<u64>,
    pub acked: usize,
    pub cpu: f64,
}

/// Posts every JSON body, one per request, from `clients` concurrent keep-alive
/// connections; `acknowledged` checks each answer (status, body) and counts the
/// transactions it acknowledged. The load generator runs on a thread of its own (a
/// current-thread runtime), so that its CPU time is known apart from the operator's.
pub async fn post_all(
    url: &str,
    bodies: Vec<Vec<u8>>,
    clients: usize,
    acknowledged: fn(u16, &[u8]) -> usize,
) -> Load {
    let url = url.to_owned();
    let (done, load) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let start = cpu_seconds("thread-self");
        let (micros, acked) = runtime.block_on(drive(&url, bodies, clients, acknowledged));
        let cpu = cpu_seconds("thread-self") - start;
        let _ = done.send(Load { micros, acked, cpu });
    });
    load.await.expect("load generator")
}

async fn drive(
    url: &str,
    bodies: Vec<Vec<u8>>,
    clients: usize,
    acknowledged: fn(u16, &[u8]) -> usize,
) -> (Vec<u64>, usize) {
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (url, bodies, next) = (url.to_owned(), bodies.clone(), next.clone());
            tokio::spawn(async move {
                let mut conn = loadgen::Conn::open(&url).await;
                let (mut micros, mut acked) = (Vec::new(), 0);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(body) = bodies.get(i) else {
                        return (micros, acked);
                    };
                    let t = Instant::now();
                    let (status, answer) = conn.post_json(body).await;
                    micros.push(t.elapsed().as_micros() as u64);
                    acked += acknowledged(status, &answer);
                }
            })
        })
        .collect();
    let (mut micros, mut acked) = (Vec::new(), 0);
    for w in workers {
        let (m, a) = w.await.expect("client");
        micros.extend(m);
        acked += a;
    }
    (micros, acked)
}

/// Concurrent single-request clients (wallets), as in the external review.
pub const CLIENTS: usize = 64;

/// Requests done, their rate, and their median and 99th-percentile latency.
pub struct Run {
    /// CPU seconds of the load generator's thread, where known.
    pub client_cpu: f64,
    pub done: usize,
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Run {
    pub fn of(mut micros: Vec<u64>, elapsed: Duration) -> Self {
        micros.sort_unstable();
        let at = |q: f64| {
            micros
                .get(((micros.len() as f64 * q) as usize).min(micros.len().saturating_sub(1)))
                .map_or(0.0, |&m| m as f64 / 1000.0)
        };
        Self {
            client_cpu: 0.0,
            done: micros.len(),
            rate: micros.len() as f64 / elapsed.as_secs_f64(),
            p50_ms: at(0.5),
            p99_ms: at(0.99),
        }
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} in all, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms",
            self.done, self.rate, self.p50_ms, self.p99_ms
        )
    }
}

/// Posts every body, one per request, from `clients` clients; every answer must be 201.
pub async fn pay(url: &str, bodies: Vec<Vec<u8>>, clients: usize) -> Run {
    run(url, bodies, clients, |status, answer| {
        assert_eq!(status, 201, "{}", String::from_utf8_lossy(answer));
        1
    })
    .await
}

/// Posts every body, one per request, from `clients` clients; every answer must be a 400
/// (requests refused before any signature is recovered: the HTTP round trip alone).
pub async fn refuse(url: &str, bodies: Vec<Vec<u8>>, clients: usize) -> Run {
    run(url, bodies, clients, |status, answer| {
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(answer));
        1
    })
    .await
}

async fn run(
    url: &str,
    bodies: Vec<Vec<u8>>,
    clients: usize,
    answered: fn(u16, &[u8]) -> usize,
) -> Run {
    let t = Instant::now();
    let load = post_all(url, bodies, clients, answered).await;
    assert_eq!(load.acked, load.micros.len());
    Run {
        client_cpu: load.cpu,
        ..Run::of(load.micros, t.elapsed())
    }
}

/// Prints a line of the benchmark's report.
#[allow(clippy::print_stdout)]
pub fn say(line: &str) {
    println!("{line}");
}
