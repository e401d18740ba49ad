//! Benchmark commands (`plasma-indexer-bench`): generate a large database for the
//! exit-data load test, and measure catch-up from a block feed including signature checks.

use crate::{
    checker::Checker,
    feed::{FeedBlock, FeedClient, FeedTx},
    metrics::Metrics,
    store::{
        AnyStore, ImportStore, IndexerStore, RootBatch, RootEvent, Store, StoreError, StoredTx,
    },
};
use alloy::{
    primitives::{Address, B256, Bytes, U256, keccak256},
    signers::local::PrivateKeySigner,
};
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};
use plasma_core::{
    merkle::block_root,
    position::{BLOCK_OFFSET, TX_OFFSET, UtxoPos},
    sign,
    tx::{Output, Transaction},
};
use std::{
    collections::HashMap,
    path::Path as FsPath,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::Notify;

/// Errors of the benchmark commands.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// Database failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Building transactions failed.
    #[error("building transactions: {0}")]
    Build(String),
    /// Serving or fetching the feed failed.
    #[error("feed: {0}")]
    Feed(String),
}

fn key(i: usize) -> PrivateKeySigner {
    let mut bytes = [0u8; 32];
    bytes[24..].copy_from_slice(&(i as u64 + 1).to_be_bytes());
    PrivateKeySigner::from_bytes(&B256::from(bytes)).expect("small scalars are valid keys")
}

/// Generates a database of `txs` payments (1 input, 2 outputs) in full blocks of
/// `block_size`, inserted in bulk without checks (the signatures are placeholders: this
/// database serves the read benchmarks), into `url`: a SQLite path, or an empty Postgres
/// database (`postgres://…`, migrated first).
pub async fn gen_db(url: &str, txs: usize, block_size: usize) -> Result<(), BenchError> {
    let store = AnyStore::open(url).await?;
    let started = Instant::now();
    let owners: Vec<Address> = (0..64)
        .map(|i| Address::with_last_byte(i as u8 + 1))
        .collect();
    let blocks = txs.div_ceil(block_size);
    for b in 0..blocks {
        let blknum = (b as u64 + 1) * 1000;
        let n = block_size.min(txs - b * block_size);
        let rows: Vec<StoredTx> = (0..n)
            .map(|i| {
                let input = UtxoPos(blknum * BLOCK_OFFSET - BLOCK_OFFSET + (i as u64) * TX_OFFSET);
                let outputs = vec![
                    Output {
                        owner: owners[i % 64],
                        token: Address::ZERO,
                        amount: U256::from(1_000 + i),
                    },
                    Output {
                        owner: owners[(i + 1) % 64],
                        token: Address::ZERO,
                        amount: U256::from(7),
                    },
                ];
                let tx = Transaction::payment(vec![input], outputs, B256::ZERO)
                    .map_err(|e| BenchError::Build(e.to_string()))?;
                let bytes = tx.encode();
                Ok(StoredTx {
                    pos: blknum * BLOCK_OFFSET + i as u64 * TX_OFFSET,
                    hash: keccak256(&bytes),
                    tx_type: 1,
                    bytes: bytes.to_vec(),
                    signatures: vec![0x1b; 65],
                    inputs: tx.inputs.clone(),
                    // The placeholder inputs spend no generated output: their owner is
                    // one no generated output has, so no owner's query reads them.
                    input_owners: vec![Address::ZERO],
                    outputs: tx.outputs,
                })
            })
            .collect::<Result<_, BenchError>>()?;
        let root = block_root(rows.iter().map(|t| &t.bytes))
            .map_err(|e| BenchError::Build(e.to_string()))?;
        store
            .import_checked_block(blknum, root, 1_700_000_000 + b as u64, b as u64 + 1, &rows)
            .await?;
        tracing::info!(
            blknum,
            txs = n,
            elapsed_s = started.elapsed().as_secs_f64(),
            "block stored"
        );
    }
    tracing::info!(
        txs,
        blocks,
        elapsed_s = started.elapsed().as_secs_f64(),
        "database generated"
    );
    Ok(())
}

type Feed = Arc<HashMap<u64, Vec<u8>>>;

async fn serve_block(State(feed): State<Feed>, Path(blknum): Path<u64>) -> impl IntoResponse {
    match feed.get(&blknum) {
        Some(body) => (
            StatusCode::OK,
            [("content-type", "application/json")],
            body.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Builds `txs` signed payments (chains across blocks of `block_size`), serves them over
/// loopback HTTP, records their roots, and times the checker catching up through them
/// (fetch, root check, decode, signature recovery on all cores, UTXO checks, storage).
/// Returns transactions per second.
pub async fn catch_up(path: &FsPath, txs: usize, block_size: usize) -> Result<f64, BenchError> {
    catch_up_into(Store::open(path).await?, txs, block_size).await
}

/// [`catch_up`] into any store (a fresh database): SQLite or Postgres.
pub async fn catch_up_into<S: IndexerStore>(
    store: S,
    txs: usize,
    block_size: usize,
) -> Result<f64, BenchError> {
    let root_chain = Address::repeat_byte(0xcc);
    let domain = sign::domain(31337, root_chain);
    let keys: Vec<PrivateKeySigner> = (0..64).map(key).collect();
    // One deposit funds a chain inside the first block; later blocks spend the previous
    // block's outputs index by index.
    let blocks = txs.div_ceil(block_size);
    let mut events = vec![(
        1,
        RootEvent::Deposit {
            blknum: 1,
            owner: keys[0].address(),
            token: Address::ZERO,
            amount: U256::from(u64::MAX),
            root: B256::ZERO,
            timestamp: 1,
        },
    )];
    let build_started = Instant::now();
    let mut feed = HashMap::new();
    for b in 0..blocks {
        let blknum = (b as u64 + 1) * 1000;
        let n = block_size.min(txs - b * block_size);
        let plan: Vec<(UtxoPos, usize, Transaction)> = (0..n)
            .map(|i| {
                let (input, signer, amount) = if b == 0 {
                    let input = if i == 0 {
                        UtxoPos(BLOCK_OFFSET)
                    } else {
                        UtxoPos(blknum * BLOCK_OFFSET + (i as u64 - 1) * TX_OFFSET + 1)
                    };
                    (
                        input,
                        0,
                        U256::from(u64::MAX) - U256::from(i as u64 * 1_000_000),
                    )
                } else {
                    (
                        UtxoPos((blknum - 1000) * BLOCK_OFFSET + i as u64 * TX_OFFSET),
                        (i + b) % 64,
                        U256::from(1_000_000 - 2 * b as u64),
                    )
                };
                let outputs = if b == 0 {
                    vec![
                        Output {
                            owner: keys[(i + 1) % 64].address(),
                            token: Address::ZERO,
                            amount: U256::from(1_000_000),
                        },
                        Output {
                            owner: keys[0].address(),
                            token: Address::ZERO,
                            amount: amount - U256::from(1_000_000),
                        },
                    ]
                } else {
                    vec![
                        Output {
                            owner: keys[(i + b + 1) % 64].address(),
                            token: Address::ZERO,
                            amount: amount - U256::from(2),
                        },
                        Output {
                            owner: keys[signer].address(),
                            token: Address::ZERO,
                            amount: U256::from(1),
                        },
                    ]
                };
                let tx =
                    Transaction::payment(vec![input], outputs, B256::ZERO).expect("valid shape");
                (input, signer, tx)
            })
            .collect();
        let signed = sign_all(&plan, &keys, &domain)?;
        let root = block_root(signed.iter().map(|t| &t.tx))
            .map_err(|e| BenchError::Build(e.to_string()))?;
        let body = serde_json::to_vec(&FeedBlock {
            blknum,
            root,
            transactions: signed,
        })
        .map_err(|e| BenchError::Build(e.to_string()))?;
        feed.insert(blknum, body);
        events.push((
            2 + b as u64,
            RootEvent::BlockSubmitted {
                blknum,
                root,
                timestamp: 1_700_000_000,
            },
        ));
    }
    tracing::info!(
        txs,
        blocks,
        elapsed_s = build_started.elapsed().as_secs_f64(),
        "signed feed built"
    );
    store
        .apply_root_batch(&RootBatch {
            events,
            to_block: blocks as u64 + 2,
            to_hash: B256::ZERO,
        })
        .await?;

    let router = Router::new()
        .route("/v1/blocks/{blknum}", get(serve_block))
        .with_state(Arc::new(feed));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| BenchError::Feed(e.to_string()))?;
    let url = format!(
        "http://{}",
        listener
            .local_addr()
            .map_err(|e| BenchError::Feed(e.to_string()))?
    );
    tokio::spawn(async move { axum::serve(listener, router).await });

    let checker = Checker {
        store: store.clone(),
        feed: FeedClient::new(&url).map_err(|e| BenchError::Feed(e.to_string()))?,
        domain,
        withholding_timeout: Duration::from_secs(3600),
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        metrics: Arc::new(Metrics::default()),
        stored: Arc::new(Notify::new()),
    };
    let started = Instant::now();
    let last = blocks as u64 * 1000;
    let task = tokio::spawn(checker.run(Duration::from_millis(2)));
    loop {
        if store.heights().await?.child_valid == Some(last) {
            break;
        }
        if let Some(event) = store.byzantine_events().await?.first() {
            task.abort();
            return Err(BenchError::Feed(format!(
                "unexpected {} {:?}: {}",
                event.kind, event.blknum, event.detail
            )));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    task.abort();
    let elapsed = started.elapsed().as_secs_f64();
    let rate = txs as f64 / elapsed;
    tracing::info!(
        blocks,
        txs,
        elapsed_s = elapsed,
        tx_per_s = rate,
        "catch-up done"
    );
    Ok(rate)
}

fn sign_all(
    plan: &[(UtxoPos, usize, Transaction)],
    keys: &[PrivateKeySigner],
    domain: &alloy::sol_types::Eip712Domain,
) -> Result<Vec<FeedTx>, BenchError> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = plan.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = plan
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(_, signer, tx)| {
                            let sig = sign::sign(&keys[*signer], tx, domain)
                                .map_err(|e| BenchError::Build(e.to_string()))?;
                            Ok(FeedTx {
                                tx: tx.encode(),
                                signatures: vec![Bytes::from(sig.to_vec())],
                            })
                        })
                        .collect::<Result<Vec<_>, BenchError>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(plan.len());
        for h in handles {
            out.extend(
                h.join()
                    .map_err(|_| BenchError::Build("signing thread panicked".into()))??,
            );
        }
        Ok(out)
    })
}
