//! Shared set-up: a system per test (own ports, own temporary data directory), users with
//! an exact ledger of what they paid in and out, and polling helpers.

use std::path::Path;
use std::time::Duration;

use alloy::primitives::{Address, U256, keccak256};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use plasma_client::Ctx;
use plasma_client::api::Utxo;
use plasma_client::chain;
use plasma_client::user::{self, IERC20};
use plasma_devnet::smoke::wait_for;
use plasma_devnet::stack::{Stack, StackConfig};
use plasma_rpc_types::indexer::ByzantineEvent;
use plasma_test_utils::free_port;

/// One ether.
pub(crate) fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10).pow(U256::from(18))
}

/// `n / 10` ether.
pub(crate) fn tenths(n: u64) -> U256 {
    U256::from(n) * U256::from(10).pow(U256::from(17))
}

/// Logs to the test output (shown on failure or with --nocapture).
pub(crate) fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("info")
        .try_init();
}

/// A bare anvil (no system) logging into a new temporary directory: the directory, the
/// anvil and its RPC URL.
pub(crate) async fn bare_anvil() -> (tempfile::TempDir, plasma_devnet::procs::Service, String) {
    init_tracing();
    let dir = tempfile::tempdir().expect("temporary directory");
    let port = free_port();
    let anvil = plasma_devnet::procs::spawn_anvil(port, &[], &dir.path().join("anvil.log"))
        .await
        .unwrap();
    (dir, anvil, format!("http://127.0.0.1:{port}"))
}

/// Runs `plasma --json deploy` as dev account 0 with `operator`, the parameter flags `params`
/// and `--out file`, asserting success; returns its standard output (the deployment JSON).
pub(crate) fn plasma_deploy(rpc: &str, operator: Address, params: &[&str], file: &Path) -> Vec<u8> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_plasma"))
        .args(["--json", "deploy", "--rpc-url", rpc, "--operator"])
        .arg(operator.to_string())
        .args(params)
        .arg("--out")
        .arg(file)
        .env("PLASMA_DEPLOYER_KEY", chain::DEV_KEYS[0])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "plasma deploy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A running system in a temporary directory.
pub(crate) struct Net {
    /// The processes and endpoints.
    pub(crate) stack: Stack,
    _dir: tempfile::TempDir,
}

impl Net {
    /// Starts a system with test defaults (one block per transaction on anvil, 300 ms
    /// child blocks, 20 s exit period, 3 s withholding timeout), adjusted by `configure`.
    pub(crate) async fn start(configure: impl FnOnce(&mut StackConfig)) -> Self {
        init_tracing();
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut config = StackConfig::new(dir.path().to_owned(), free_port());
        config.operator_port = free_port();
        config.indexer_port = free_port();
        config.block_interval_ms = 300;
        config.params.min_exit_period = 20;
        config.withholding_timeout_secs = 3;
        configure(&mut config);
        let stack = Stack::start(&config)
            .await
            .unwrap_or_else(|e| panic!("starting the system: {e:?}"));
        Self { stack, _dir: dir }
    }

    /// A context signing with `signer`.
    pub(crate) fn ctx(&self, signer: PrivateKeySigner) -> Ctx {
        self.stack.endpoints.ctx(signer).unwrap()
    }

    /// A read-only anvil provider with the anvil API.
    pub(crate) fn provider(&self) -> DynProvider {
        chain::read_provider(&self.stack.endpoints.rpc_url).unwrap()
    }

    /// The last lines of both services' logs, for failure messages.
    pub(crate) fn logs(&self) -> String {
        let tail = |s: &Option<plasma_devnet::procs::Service>| {
            s.as_ref()
                .map(|s| format!("--- {} ---\n{}", s.name(), s.log_tail(30)))
                .unwrap_or_default()
        };
        format!(
            "{}\n{}",
            tail(&self.stack.operator),
            tail(&self.stack.indexer)
        )
    }

    /// Polls until `check` holds, panicking with the services' logs after `secs`.
    pub(crate) async fn wait<F, Fut>(&self, secs: u64, what: &str, check: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = eyre::Result<bool>>,
    {
        if let Err(e) = wait_for(Duration::from_secs(secs), what, check).await {
            panic!("{e:#}\n{}", self.logs());
        }
    }

    /// Waits until the indexer lists exactly these amounts (as a multiset) for `owner` and
    /// `token`.
    pub(crate) async fn wait_utxos(
        &self,
        owner: Address,
        token: Address,
        amounts: &[U256],
    ) -> Vec<Utxo> {
        let mut want = amounts.to_vec();
        want.sort();
        let indexer = plasma_client::api::IndexerClient::new(&self.stack.endpoints.indexer_url);
        let last = std::sync::Mutex::new(Vec::new());
        let what = format!("the indexer to list {want:?} of {token} for {owner}");
        self.wait(60, &what, || {
            let indexer = indexer.clone();
            let want = want.clone();
            let last = &last;
            async move {
                let utxos: Vec<Utxo> = indexer
                    .utxos(owner)
                    .await?
                    .into_iter()
                    .filter(|u| u.token == token)
                    .collect();
                let mut have: Vec<U256> = utxos.iter().map(|u| u.amount).collect();
                have.sort();
                *last.lock().unwrap() = utxos;
                Ok(have == want)
            }
        })
        .await;
        last.into_inner().unwrap()
    }

    /// Waits until `owner`'s unspent outputs of `token` at the indexer add up to `total`.
    pub(crate) async fn wait_balance(&self, owner: Address, token: Address, total: U256) {
        let indexer = plasma_client::api::IndexerClient::new(&self.stack.endpoints.indexer_url);
        self.wait(
            60,
            &format!("{owner} to hold {total} of {token} at the indexer"),
            || {
                let indexer = indexer.clone();
                async move {
                    let utxos = indexer.utxos(owner).await?;
                    Ok(utxos
                        .iter()
                        .filter(|u| u.token == token)
                        .map(|u| u.amount)
                        .sum::<U256>()
                        == total)
                }
            },
        )
        .await;
    }

    /// Waits until the indexer reports a byzantine event of `kind`; returns it.
    pub(crate) async fn wait_byzantine(&self, kind: &str) -> ByzantineEvent {
        let indexer = plasma_client::api::IndexerClient::new(&self.stack.endpoints.indexer_url);
        let found = std::sync::Mutex::new(None);
        self.wait(60, &format!("a {kind} byzantine event"), || {
            let indexer = indexer.clone();
            let found = &found;
            async move {
                let status = indexer.status().await?;
                let event = status.byzantine_events.into_iter().find(|e| e.kind == kind);
                let seen = event.is_some();
                *found.lock().unwrap() = event;
                Ok(seen)
            }
        })
        .await;
        found.into_inner().unwrap().expect("found")
    }

    /// Asks the byzantine operator (`PLASMA_OPERATOR_BYZANTINE`) for a fault:
    /// `invalid_tx` or `withhold_next` (docs/OPERATOR.md).
    pub(crate) async fn inject_fault(&self, action: &str) {
        let answer = reqwest::Client::new()
            .post(format!(
                "{}/admin/byzantine",
                self.stack.endpoints.operator_url
            ))
            .json(&serde_json::json!({ "action": action }))
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success(),
            "fault injection {action} refused: {}",
            answer.status()
        );
    }

    /// Moves the chain's clock forward and mines a block.
    pub(crate) async fn advance(&self, secs: u64) {
        let p = self.provider();
        p.anvil_increase_time(secs).await.unwrap();
        p.anvil_mine(Some(1), None).await.unwrap();
    }

    /// Sets an account's ETH balance.
    pub(crate) async fn fund(&self, who: Address, amount: U256) {
        self.provider()
            .anvil_set_balance(who, amount)
            .await
            .unwrap();
    }
}

/// The deterministic extra user `i` (for tests with more users than anvil's 10 accounts).
pub(crate) fn extra_user(i: u64) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&keccak256(format!("plasma e2e user {i}"))).unwrap()
}

/// A development account.
pub(crate) use plasma_test_utils::dev_signer as dev;

/// A user and the exact account of what moved between its root-chain balance and the
/// child chain.
pub(crate) struct User {
    /// Its context.
    pub(crate) ctx: Ctx,
    /// Its address.
    pub(crate) address: Address,
    /// ETH balance at the start.
    pub(crate) eth_start: U256,
    /// Token balance at the start.
    pub(crate) token_start: U256,
    /// Transaction fees paid.
    pub(crate) fees: U256,
    /// ETH deposited.
    pub(crate) eth_in: U256,
    /// Tokens deposited.
    pub(crate) token_in: U256,
    /// Exits it started (each costs the bounty once processed).
    pub(crate) exits: u64,
}

impl User {
    /// Snapshots the balances of `signer`'s account.
    pub(crate) async fn new(net: &Net, signer: PrivateKeySigner) -> Self {
        let ctx = net.ctx(signer);
        let address = ctx.me().unwrap();
        let eth_start = ctx.provider.get_balance(address).await.unwrap();
        let token_start = token_balance(&ctx.provider, net.stack.endpoints.token, address).await;
        Self {
            ctx,
            address,
            eth_start,
            token_start,
            fees: U256::ZERO,
            eth_in: U256::ZERO,
            token_in: U256::ZERO,
            exits: 0,
        }
    }

    /// Deposits ETH; returns the deposit.
    pub(crate) async fn deposit_eth(&mut self, amount: U256) -> user::Deposited {
        let d = user::deposit_eth(&self.ctx.root, self.address, amount)
            .await
            .unwrap();
        self.fees += d.fee_paid;
        self.eth_in += amount;
        d
    }

    /// Deposits the mock token.
    pub(crate) async fn deposit_token(&mut self, token: Address, amount: U256) -> user::Deposited {
        let d = user::deposit_token(&self.ctx.root, self.address, token, self.address, amount)
            .await
            .unwrap();
        self.fees += d.fee_paid;
        self.token_in += amount;
        d
    }

    /// Sends on the child chain.
    pub(crate) async fn send(&self, to: Address, token: Address, amount: U256) {
        plasma_client::wallet::send_payment(&self.ctx, None, to, token, amount, U256::ZERO)
            .await
            .unwrap();
    }

    /// Exits every unspent output the indexer lists; returns the total gas used.
    pub(crate) async fn exit_all(&mut self) -> u64 {
        let utxos = self.ctx.indexer.utxos(self.address).await.unwrap();
        let mut gas = 0;
        for u in utxos.iter().filter(|u| u.exit_status.is_none()) {
            let data = self.ctx.indexer.exit_data(u.utxo_pos).await.unwrap();
            let exit = user::start_exit(&self.ctx.root, &data).await.unwrap();
            self.fees += exit.fee_paid;
            self.exits += 1;
            gas += exit.gas_used;
        }
        gas
    }

    /// Checks the root-chain balances to the wei: start − deposits − fees + what the child
    /// chain held − one bounty per exit.
    pub(crate) async fn assert_final(
        &self,
        token: Address,
        child_eth: U256,
        child_token: U256,
        bounty: U256,
    ) {
        let eth = self.ctx.provider.get_balance(self.address).await.unwrap();
        let expected =
            self.eth_start - self.eth_in - self.fees + child_eth - bounty * U256::from(self.exits);
        assert_eq!(eth, expected, "ETH of {}", self.address);
        let tok = token_balance(&self.ctx.provider, token, self.address).await;
        assert_eq!(
            tok,
            self.token_start - self.token_in + child_token,
            "token of {}",
            self.address
        );
    }
}

/// An ERC-20 balance.
pub(crate) async fn token_balance(provider: &DynProvider, token: Address, who: Address) -> U256 {
    IERC20::new(token, provider.clone())
        .balanceOf(who)
        .call()
        .await
        .unwrap()
}

/// Processes every queued exit of `token` as `processor`; returns (exits processed, gas, fee).
pub(crate) async fn process_all(
    processor: &Ctx,
    token: Address,
    batch: u64,
) -> (Vec<u64>, Vec<u64>, u64, U256) {
    let (mut exits, mut deferred, mut gas, mut fee) = (Vec::new(), Vec::new(), 0, U256::ZERO);
    loop {
        let queued: U256 = processor.root.exitQueueLength(token).call().await.unwrap();
        if queued.is_zero() {
            return (exits, deferred, gas, fee);
        }
        let p = user::process_exits(&processor.root, token, batch)
            .await
            .unwrap();
        let left: U256 = processor.root.exitQueueLength(token).call().await.unwrap();
        assert!(
            left < queued,
            "processExits popped nothing: {queued} exits of {token} not matured"
        );
        exits.extend(p.exits);
        deferred.extend(p.deferred);
        gas += p.gas_used;
        fee += p.fee_paid;
    }
}
