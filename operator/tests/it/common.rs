//! Shared helpers: an in-process operator on loopback, keys, signed payments.

use std::sync::Arc;

use alloy::{
    primitives::{Address, B256, U256},
    signers::local::PrivateKeySigner,
    sol_types::Eip712Domain,
};
use plasma_core::{Output, UtxoPos};
use plasma_operator::{AppState, Node, NodeConfig, app, node::Deposit};
use plasma_test_utils::{eth, signed_payment};
use serde_json::Value;
use tempfile::TempDir;

/// The in-process tests' signature domain: chain id, contract, domain; fixed keys.
pub(crate) use plasma_test_utils::{
    TEST_CHAIN_ID as CHAIN_ID, fixed_key as key, test_domain, test_root_chain as root_chain,
};

/// A signed payment of ETH (one signature per signer), as the API takes it.
pub(crate) fn payment(
    signers: &[&PrivateKeySigner],
    dom: &Eip712Domain,
    inputs: &[UtxoPos],
    outs: &[(Address, u64)],
) -> Value {
    let outputs = outs.iter().map(|&(owner, a)| eth(owner, a)).collect();
    serde_json::to_value(signed_payment(dom, inputs, signers, outputs)).unwrap()
}

/// An operator node and its HTTP server on an ephemeral loopback port.
pub(crate) struct Harness {
    /// The node.
    pub(crate) node: Arc<Node>,
    /// `http://127.0.0.1:port`.
    pub(crate) url: String,
    /// A client for requests the helpers do not cover.
    pub(crate) http: reqwest::Client,
    _dir: Option<TempDir>,
}

/// Options of [`Harness::start`].
#[derive(Clone, Copy)]
pub(crate) struct Opts {
    pub(crate) min_fee: u64,
    pub(crate) byzantine: bool,
    pub(crate) body_limit: usize,
    pub(crate) max_batch: usize,
}

impl Default for Opts {
    fn default() -> Self {
        Self {
            min_fee: 0,
            byzantine: false,
            body_limit: 64 * 1024,
            max_batch: 50,
        }
    }
}

impl Harness {
    /// Starts a node on a fresh database file.
    pub(crate) async fn start(opts: Opts) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut h = Self::start_at(opts, dir.path().join("operator.sqlite")).await;
        h._dir = Some(dir);
        h
    }

    /// Starts a node on the database file `db_path` (created if missing).
    pub(crate) async fn start_at(opts: Opts, db_path: std::path::PathBuf) -> Self {
        let node = Node::open(NodeConfig {
            db_path,
            chain_id: CHAIN_ID,
            root_chain: root_chain(),
            block_size: 65_536,
            min_fee: U256::from(opts.min_fee),
            max_batch: opts.max_batch,
            byzantine: opts.byzantine,
            health: Default::default(),
        })
        .await
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let router = app(AppState {
            node: node.clone(),
            body_limit: opts.body_limit,
        });
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self {
            node,
            url,
            http: reqwest::Client::new(),
            _dir: None,
        }
    }

    /// Credits a deposit output directly (the chain-facing tests use real deposits).
    pub(crate) async fn fund(&self, blknum: u64, owner: Address, amount: u64) -> UtxoPos {
        let d = Deposit {
            blknum,
            output: Output {
                owner,
                token: Address::ZERO,
                amount: U256::from(amount),
            },
            eth_block: blknum,
            eth_block_hash: B256::repeat_byte(1),
        };
        self.node
            .apply_root_events(&[d], &[], &[], (blknum, B256::repeat_byte(1)))
            .await
            .unwrap();
        UtxoPos::new(blknum, 0, 0).unwrap()
    }

    /// POSTs a raw body; returns the status and the JSON answer.
    pub(crate) async fn post_raw(&self, path: &str, body: Vec<u8>) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POSTs JSON.
    pub(crate) async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.post_raw(path, serde_json::to_vec(body).unwrap()).await
    }

    /// GETs a path; returns the status and the body text.
    pub(crate) async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// GETs JSON.
    pub(crate) async fn get(&self, path: &str) -> (u16, Value) {
        let (s, t) = self.get_text(path).await;
        (s, serde_json::from_str(&t).unwrap_or(Value::Null))
    }
}
