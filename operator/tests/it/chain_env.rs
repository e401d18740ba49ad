//! A real root chain (anvil with the real RootChain contract) and the real operator
//! binary, started as a child process and killed with SIGKILL.

use std::{
    fs::File,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use alloy::{
    network::Ethereum,
    node_bindings::AnvilInstance,
    primitives::{Address, B256, U256},
    providers::{DynProvider, PendingTransactionBuilder, Provider},
    rpc::types::TransactionReceipt,
    signers::local::PrivateKeySigner,
    sol_types::Eip712Domain,
};
use plasma_bindings::RootChain;
use plasma_core::{UtxoPos, deposit::deposit_tx, merkle::MerkleTree, sign::domain};
use plasma_test_utils::{
    chain::{deploy, signer, spawn_anvil, wallet_provider},
    free_port, key_hex,
};
use serde_json::Value;
use tempfile::TempDir;

/// Bonds repay gas at 500 gwei (a 0.1 ether standard-exit bond).
const BOND_GAS_PRICE: u64 = 500_000_000_000;

/// Anvil, the deployed RootChain, a depositor and a deployment file.
pub(crate) struct ChainEnv {
    pub(crate) anvil: AnvilInstance,
    pub(crate) provider: DynProvider,
    pub(crate) root: RootChain::RootChainInstance<DynProvider>,
    pub(crate) user: PrivateKeySigner,
    pub(crate) operator_key: String,
    pub(crate) domain: Eip712Domain,
    pub(crate) dir: TempDir,
}

impl ChainEnv {
    pub(crate) async fn start() -> Self {
        let anvil = spawn_anvil().unwrap();
        let (operator, user) = (signer(&anvil, 0), signer(&anvil, 1));
        let deployment = deploy(&anvil, operator.address(), 60, U256::from(BOND_GAS_PRICE)).await;
        let provider = wallet_provider(&anvil, 1);
        let root = RootChain::new(deployment.root_chain, provider.clone());
        let dir = tempfile::tempdir().unwrap();
        deployment
            .write(&dir.path().join("deployment.json"))
            .unwrap();
        let domain = domain(deployment.chain_id, deployment.root_chain);
        let operator_key = key_hex(&operator);
        Self {
            anvil,
            provider,
            root,
            user,
            operator_key,
            domain,
            dir,
        }
    }

    /// Deposits `wei` for the user; returns the deposit block number.
    pub(crate) async fn deposit(&self, wei: u64) -> u64 {
        // An explicit nonce: a rollback makes a cached one stale.
        let nonce = self
            .provider
            .get_transaction_count(self.user.address())
            .pending()
            .await
            .unwrap();
        let call = self
            .root
            .depositETH(self.user.address())
            .value(U256::from(wei))
            .nonce(nonce);
        let receipt = mined(call.send().await.unwrap()).await;
        let ev = receipt.decoded_log::<RootChain::DepositCreated>().unwrap();
        u64::try_from(ev.blknum).unwrap()
    }

    /// Starts the standard exit of the user's deposit output of deposit block `blknum`
    /// (every exit call of these tests goes through here and [`Self::process_eth_exits`]).
    pub(crate) async fn start_deposit_exit(&self, blknum: u64) {
        let (ev, _) = self
            .root
            .DepositCreated_filter()
            .topic3(U256::from(blknum))
            .from_block(0)
            .query()
            .await
            .unwrap()
            .pop()
            .expect("the deposit event");
        let tx = deposit_tx(blknum, ev.owner, ev.token, ev.amount).encode();
        let proof = MerkleTree::from_txs([&tx]).unwrap().proof(0).unwrap();
        let pos = UtxoPos::new(blknum, 0, 0).unwrap().get();
        let bond = self.root.EXIT_BOND().call().await.unwrap();
        let call = self
            .root
            .startStandardExit(pos, tx, proof, ev.timestamp)
            .value(bond);
        mined(call.send().await.unwrap()).await;
    }

    /// Processes matured ETH exits.
    pub(crate) async fn process_eth_exits(&self) {
        let call = self.root.processExits(Address::ZERO, U256::from(10));
        mined(call.send().await.unwrap()).await;
    }

    /// Moves the root chain's clock `secs` forward and mines a block.
    pub(crate) async fn advance(&self, secs: u64) {
        self.rpc("evm_increaseTime", serde_json::json!([secs]))
            .await;
        self.mine(1).await;
    }

    /// Mines `n` empty blocks.
    pub(crate) async fn mine(&self, n: u64) {
        let _: Value = self
            .provider
            .raw_request("anvil_mine".into(), (U256::from(n),))
            .await
            .unwrap();
    }

    /// A raw anvil RPC call.
    pub(crate) async fn rpc(&self, method: &'static str, params: Value) -> Value {
        self.provider
            .raw_request(method.into(), params)
            .await
            .unwrap()
    }

    /// Every BlockSubmitted event: (blknum, root).
    pub(crate) async fn submitted(&self) -> Vec<(u64, B256)> {
        self.root
            .BlockSubmitted_filter()
            .from_block(0)
            .query()
            .await
            .unwrap()
            .into_iter()
            .map(|(e, _)| (u64::try_from(e.blknum).unwrap(), e.root))
            .collect()
    }

    /// The newest block number.
    pub(crate) async fn anvil_head(&self) -> u64 {
        self.provider.get_block_number().await.unwrap()
    }

    pub(crate) fn user_address(&self) -> Address {
        self.user.address()
    }
}

/// Waits (up to 30 s) for a sent transaction's receipt.
async fn mined(pending: PendingTransactionBuilder<Ethereum>) -> TransactionReceipt {
    pending
        .with_timeout(Some(Duration::from_secs(30)))
        .get_receipt()
        .await
        .unwrap()
}

/// The real `plasma-operator` binary as a child process.
pub(crate) struct OperatorProc {
    child: Child,
    pub(crate) url: String,
    pub(crate) log: PathBuf,
}

impl OperatorProc {
    /// Starts the binary on `env`'s chain with its data in `data_dir`; waits for /health.
    pub(crate) async fn start(
        env: &ChainEnv,
        data_dir: &Path,
        confirmations: u64,
        extra: &[&str],
    ) -> Self {
        let port = free_port();
        let log = data_dir.with_extension(format!("{port}.log"));
        let out = File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_plasma-operator"))
            .args(["--rpc-url", &env.anvil.endpoint()])
            .arg("--deployment")
            .arg(env.dir.path().join("deployment.json"))
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--poll-interval-ms", "100"])
            .args(["--confirmations", &confirmations.to_string()])
            .args(extra)
            .env("PLASMA_OPERATOR_KEY", &env.operator_key)
            .env("RUST_LOG", "info")
            .env("PLASMA_BLOCK_INTERVAL_MS", "100")
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let mut me = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        let start = Instant::now();
        while reqwest::get(format!("{}/health", me.url))
            .await
            .map(|r| r.status().as_u16())
            .ok()
            != Some(200)
        {
            let exited = me.child.try_wait().unwrap().is_some();
            assert!(
                !exited && start.elapsed() < Duration::from_secs(30),
                "operator did not start: {}",
                me.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        me
    }

    /// SIGKILL, then reap.
    pub(crate) fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub(crate) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log contains `needle`.
    pub(crate) async fn wait_log(&self, needle: &str) {
        let start = Instant::now();
        while !self.log_text().contains(needle) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no {needle:?} in the log: {}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub(crate) async fn status(&self) -> Value {
        reqwest::get(format!("{}/v1/status", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Polls the status until `pred` holds.
    pub(crate) async fn wait_status(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let s = self.status().await;
            if pred(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {what}: {s}\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The user pays `input`'s whole `wei` back to itself; asserts it is accepted.
    pub(crate) async fn pay_self(&self, env: &ChainEnv, input: plasma_core::UtxoPos, wei: u64) {
        let me = env.user_address();
        let body = crate::common::payment(&[&env.user], &env.domain, &[input], &[(me, wei)]);
        let (s, answer) = self.post("/v1/transactions", &body).await;
        assert_eq!(s, 201, "{answer}");
    }

    pub(crate) async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.url))
            .json(body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    pub(crate) async fn get(&self, path: &str) -> (u16, Value) {
        let r = reqwest::get(format!("{}{path}", self.url)).await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for OperatorProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
