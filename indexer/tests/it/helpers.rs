//! Test helpers: keys, signed payments, a temporary store, the indexer's API on a real
//! socket, and `FeedDouble` — a test double of the operator's block FEED served over real
//! HTTP, so a test can make it publish an invalid block or withhold one.

use alloy::{
    primitives::{Address, B256, U256},
    signers::local::PrivateKeySigner,
    sol_types::Eip712Domain,
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::get,
};
use plasma_core::{merkle::block_root, position::UtxoPos, tx::Output};
use plasma_indexer::{
    api::{AppState, ChainParams, app},
    checker::Checker,
    feed::{FeedBlock, FeedClient, FeedTx},
    metrics::Metrics,
    proofs::ProofCache,
    store::{AnyStore, RootBatch, RootEvent},
};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};
use tempfile::TempDir;
use tokio::sync::Notify;

pub(crate) use crate::backend::{dump_store, dump_tables, open_store};

/// The store's traits, for the tests that read it directly.
pub(crate) use plasma_indexer::store::{BlockStore, EventStore, ExitStore, SyncStore, UtxoStore};

/// Position of deposit 1's output.
pub(crate) const D1: u64 = 1_000_000_000;
/// Position of deposit 2's output.
pub(crate) const D2: u64 = 2_000_000_000;
/// Position of block 1000's first output.
pub(crate) const B1000: u64 = 1_000 * 1_000_000_000;

/// Block 1000 over deposits 1 (key 1, 100) and 2 (key 2, 50): key 1 pays key 2 60 and
/// keeps 40; key 2 spends that output with its deposit, in the same block, to key 3.
pub(crate) fn valid_block_1000() -> FeedBlock {
    let d = test_domain();
    let (alice, bob, carol) = (key(1), key(2), key(3));
    block(
        1000,
        vec![
            payment(
                &d,
                &[(D1, &alice)],
                vec![eth(bob.address(), 60), eth(alice.address(), 40)],
            ),
            payment(
                &d,
                &[(D2, &bob), (B1000, &bob)],
                vec![eth(carol.address(), 105)],
            ),
        ],
    )
}

/// Fixed keys (stable addresses in snapshots), the chain-free tests' domain and contract,
/// ETH outputs.
pub(crate) use plasma_test_utils::{
    eth, fixed_key as key, test_domain, test_root_chain as root_chain,
};

/// A payment spending `inputs` (each signed by the given key) into `outputs`.
pub(crate) fn payment(
    domain: &Eip712Domain,
    inputs: &[(u64, &PrivateKeySigner)],
    outputs: Vec<Output>,
) -> FeedTx {
    let positions: Vec<UtxoPos> = inputs.iter().map(|(p, _)| UtxoPos(*p)).collect();
    let signers: Vec<&PrivateKeySigner> = inputs.iter().map(|(_, k)| *k).collect();
    let wire = plasma_test_utils::signed_payment(domain, &positions, &signers, outputs);
    FeedTx {
        tx: wire.tx,
        signatures: wire.signatures,
    }
}

/// A block of `txs` with its correct root.
pub(crate) fn block(blknum: u64, transactions: Vec<FeedTx>) -> FeedBlock {
    let root = block_root(transactions.iter().map(|t| &t.tx)).expect("fits");
    FeedBlock {
        blknum,
        root,
        transactions,
    }
}

/// A store on a fresh SQLite file (or Postgres database, see `backend`).
pub(crate) async fn temp_store() -> (TempDir, AnyStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_store(&dir.path().join("indexer.sqlite")).await;
    (dir, store)
}

/// Test double of the operator's block feed, over real HTTP on loopback.
#[derive(Clone)]
pub(crate) struct FeedDouble {
    /// Base URL.
    pub(crate) url: String,
    blocks: Arc<Mutex<HashMap<u64, FeedBlock>>>,
}

async fn serve_block(
    State(blocks): State<Arc<Mutex<HashMap<u64, FeedBlock>>>>,
    Path(blknum): Path<u64>,
) -> Result<Json<FeedBlock>, StatusCode> {
    let block = blocks.lock().expect("lock").get(&blknum).cloned();
    block.map(Json).ok_or(StatusCode::NOT_FOUND)
}

impl FeedDouble {
    /// Starts serving an empty feed.
    pub(crate) async fn start() -> Self {
        let blocks = Arc::new(Mutex::new(HashMap::new()));
        let router = Router::new()
            .route("/v1/blocks/{blknum}", get(serve_block))
            .with_state(blocks.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, blocks }
    }

    /// Publishes (or replaces) a block.
    pub(crate) fn publish(&self, block: FeedBlock) {
        self.blocks
            .lock()
            .expect("lock")
            .insert(block.blknum, block);
    }
}

/// A checker over `store` and the feed at `url`.
pub(crate) fn checker(
    store: &AnyStore,
    url: &str,
    domain: Eip712Domain,
    timeout: Duration,
) -> Checker {
    Checker {
        store: store.clone(),
        feed: FeedClient::new(url).expect("client"),
        domain,
        withholding_timeout: timeout,
        threads: 2,
        metrics: Arc::new(Metrics::default()),
        stored: Arc::new(Notify::new()),
    }
}

/// Serves the indexer's API for `store` on a loopback port; returns its base URL.
pub(crate) async fn serve_api(
    store: &AnyStore,
    metrics: Arc<Metrics>,
    root_chain: Address,
    min_exit_period: u64,
) -> String {
    let state = AppState {
        store: store.clone(),
        proofs: Arc::new(ProofCache::new(8)),
        metrics,
        params: Arc::new(ChainParams {
            chain_id: 31337,
            root_chain,
            min_exit_period,
            confirmations: 0,
        }),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app(state)).await });
    url
}

/// Stores root-chain events as if the follower had seen them at `root_block`.
pub(crate) async fn root_events(store: &AnyStore, root_block: u64, events: Vec<RootEvent>) {
    let batch = RootBatch {
        events: events.into_iter().map(|e| (root_block, e)).collect(),
        to_block: root_block,
        to_hash: B256::with_last_byte(root_block as u8),
    };
    store.apply_root_batch(&batch).await.expect("stores batch");
}

/// A deposit event.
pub(crate) fn deposit(blknum: u64, owner: Address, amount: u64) -> RootEvent {
    let tx = plasma_core::deposit::deposit_tx(blknum, owner, Address::ZERO, U256::from(amount));
    RootEvent::Deposit {
        blknum,
        owner,
        token: Address::ZERO,
        amount: U256::from(amount),
        root: plasma_core::deposit::deposit_root(&tx),
        timestamp: 1_700_000_000 + blknum,
    }
}

/// An exit-started event of `pos` (ETH, exitable 60 s after the deposit's timestamp).
pub(crate) fn exit_started(pos: u64, owner: Address, amount: u64) -> RootEvent {
    RootEvent::ExitStarted {
        pos,
        owner,
        token: Address::ZERO,
        amount: U256::from(amount),
        exitable_at: 1_700_000_060,
    }
}

/// An exit-processed (paid) event of `pos`.
pub(crate) fn exit_processed(pos: u64) -> RootEvent {
    RootEvent::ExitProcessed { pos, paid: true }
}

/// A block-submitted event for `block`.
pub(crate) fn submitted(block: &FeedBlock) -> RootEvent {
    RootEvent::BlockSubmitted {
        blknum: block.blknum,
        root: block.root,
        timestamp: 1_700_000_000 + block.blknum,
    }
}

/// GET `url` as text.
pub(crate) async fn get_text(url: &str) -> String {
    reqwest::get(url)
        .await
        .expect("request")
        .text()
        .await
        .expect("text body")
}

/// GET `url` and return status and JSON body.
pub(crate) async fn get_json(url: &str) -> (u16, serde_json::Value) {
    let response = reqwest::get(url).await.expect("request");
    let status = response.status().as_u16();
    let body = response.json().await.expect("json body");
    (status, body)
}

/// A store with deposits 1 (key 1, 100) and 2 (key 2, 50), and an empty feed.
pub(crate) async fn seeded() -> (TempDir, AnyStore, FeedDouble) {
    let (dir, store) = temp_store().await;
    root_events(
        &store,
        1,
        vec![
            deposit(1, key(1).address(), 100),
            deposit(2, key(2).address(), 50),
        ],
    )
    .await;
    let feed = FeedDouble::start().await;
    (dir, store, feed)
}

/// A store with deposits 1 (key 1, 100) and 2 (key 2, 50) and the checked, valid
/// [`valid_block_1000`] (root-chain blocks 1 and 2).
pub(crate) async fn store_with_block_1000() -> (TempDir, AnyStore) {
    let (dir, store, feed) = seeded().await;
    let b1000 = valid_block_1000();
    root_events(&store, 2, vec![submitted(&b1000)]).await;
    feed.publish(b1000);
    let checker = checker(&store, &feed.url, test_domain(), Duration::ZERO);
    assert_eq!(
        checker.step().await.expect("checks"),
        plasma_indexer::checker::Step::Valid(1000)
    );
    (dir, store)
}
