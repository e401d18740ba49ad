//! Shared set-up of the in-flight exit scenarios: a user acting through the `plasma`
//! binary with their own wallet directory (journal), the in-flight bonds read from the
//! contract, what an account paid in transaction fees (read from the chain, not from the
//! CLI's own report), and waiting for the indexer to follow an in-flight exit.

use std::path::PathBuf;
use std::process::Command;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use plasma_client::api::{InFlightExit, IndexerClient};
use plasma_client::user::RootChainContract;
use plasma_devnet::procs::Service;
use serde_json::Value;

use crate::harness::Net;

/// A user of the `plasma` binary: key and wallet directory.
pub(crate) struct CliUser {
    /// The key (hex).
    pub(crate) key: String,
    /// Its address.
    pub(crate) address: Address,
    /// Its wallet directory (the journal).
    pub(crate) wallet: PathBuf,
    _dir: tempfile::TempDir,
}

impl CliUser {
    /// A user with `signer` and a fresh wallet directory.
    pub(crate) fn new(signer: &PrivateKeySigner) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            key: format!("{:#x}", signer.to_bytes()),
            address: signer.address(),
            wallet: dir.path().join("wallet"),
            _dir: dir,
        }
    }

    /// Runs `plasma --json <args>` against `net` (the operator at `operator_url` when
    /// given); returns (success, stdout JSON or Null, stderr).
    pub(crate) fn try_run(
        &self,
        net: &Net,
        operator_url: Option<&str>,
        args: &[&str],
    ) -> (bool, Value, String) {
        let e = &net.stack.endpoints;
        let out = Command::new(env!("CARGO_BIN_EXE_plasma"))
            .arg("--json")
            .args(args)
            .env("PLASMA_RPC_URL", &e.rpc_url)
            .env("PLASMA_DEPLOYMENT", &e.deployment_file)
            .env(
                "PLASMA_OPERATOR_URL",
                operator_url.unwrap_or(&e.operator_url),
            )
            .env("PLASMA_INDEXER_URL", &e.indexer_url)
            .env("PLASMA_PRIVATE_KEY", &self.key)
            .env("PLASMA_WALLET_DIR", &self.wallet)
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.success(), json, err)
    }

    /// Starts `plasma --json watch --until-done` for this user (the operator counts as gone
    /// after 5 s, a round every 500 ms), its output in `log`.
    pub(crate) fn watch(&self, net: &Net, log: &std::path::Path) -> Service {
        let e = &net.stack.endpoints;
        let env = [
            ("PLASMA_RPC_URL", e.rpc_url.clone()),
            ("PLASMA_DEPLOYMENT", e.deployment_file.display().to_string()),
            ("PLASMA_OPERATOR_URL", e.operator_url.clone()),
            ("PLASMA_INDEXER_URL", e.indexer_url.clone()),
            ("PLASMA_PRIVATE_KEY", self.key.clone()),
            ("PLASMA_WALLET_DIR", self.wallet.display().to_string()),
            ("RUST_LOG", "info".into()),
        ]
        .map(|(k, v)| (k.to_owned(), v));
        let args = [
            "--json",
            "watch",
            "--until-done",
            "--operator-down-after-secs",
            "5",
            "--interval-ms",
            "500",
        ]
        .map(str::to_owned);
        let bin = std::path::Path::new(env!("CARGO_BIN_EXE_plasma"));
        Service::spawn("plasma watch", bin, &args, &env, log).unwrap()
    }

    /// Runs `plasma --json <args>`, asserting success; returns the JSON.
    pub(crate) fn run(&self, net: &Net, args: &[&str]) -> Value {
        let (ok, json, err) = self.try_run(net, None, args);
        assert!(ok, "plasma {args:?} failed:\n{err}\n{}", net.logs());
        json
    }
}

/// The in-flight exit game's bonds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bonds {
    /// `IFE_BOND`.
    pub(crate) ife: U256,
    /// `PIGGYBACK_BOND`.
    pub(crate) piggyback: U256,
    /// `CANONICITY_SHARE`.
    pub(crate) canonicity: U256,
    /// `SPENT_CHALLENGER_SHARE`.
    pub(crate) spent: U256,
    /// `IFE_PROCESS_BOUNTY`.
    pub(crate) bounty: U256,
}

impl Bonds {
    /// Reads them from the contract.
    pub(crate) async fn read(root: &RootChainContract) -> Self {
        let b = Self {
            ife: root.IFE_BOND().call().await.unwrap(),
            piggyback: root.PIGGYBACK_BOND().call().await.unwrap(),
            canonicity: root.CANONICITY_SHARE().call().await.unwrap(),
            spent: root.SPENT_CHALLENGER_SHARE().call().await.unwrap(),
            bounty: root.IFE_PROCESS_BOUNTY().call().await.unwrap(),
        };
        assert_eq!(b.ife, b.canonicity + b.bounty);
        assert_eq!(b.piggyback, b.spent * U256::from(2) + b.bounty);
        b
    }
}

/// What `who` paid in transaction fees in root-chain blocks `from..=head`, read from the
/// chain (every transaction it sent, `gasUsed × effectiveGasPrice`).
pub(crate) async fn fees_since(provider: &DynProvider, who: Address, from: u64) -> U256 {
    gas_and_fees_since(provider, who, from).await.1
}

/// The gas `who` used and the fees it paid in root-chain blocks `from..=head`.
pub(crate) async fn gas_and_fees_since(
    provider: &DynProvider,
    who: Address,
    from: u64,
) -> (u64, U256) {
    let head = provider.get_block_number().await.unwrap();
    let (mut gas, mut fees) = (0, U256::ZERO);
    for n in from..=head {
        let Some(receipts) = provider.get_block_receipts(n.into()).await.unwrap() else {
            continue;
        };
        for r in receipts.iter().filter(|r| r.from == who) {
            gas += r.gas_used;
            fees += U256::from(r.gas_used) * U256::from(r.effective_gas_price);
        }
    }
    (gas, fees)
}

/// An account's ETH balance.
pub(crate) async fn eth(provider: &DynProvider, who: Address) -> U256 {
    provider.get_balance(who).await.unwrap()
}

/// Waits until the indexer follows in-flight exit `id` in a state `done` accepts.
pub(crate) async fn wait_inflight(
    net: &Net,
    id: B256,
    what: &str,
    done: impl Fn(&InFlightExit) -> bool,
) -> InFlightExit {
    let indexer = IndexerClient::new(&net.stack.endpoints.indexer_url);
    let last = std::sync::Mutex::new(None);
    net.wait(60, what, || {
        let (indexer, last, done) = (indexer.clone(), &last, &done);
        async move {
            let exit = match indexer.inflight_exit(id).await {
                Ok(exit) => exit,
                Err(e) if e.code() == Some("inflight_exit_not_found") => return Ok(false),
                Err(e) => return Err(e.into()),
            };
            let ok = done(&exit);
            *last.lock().unwrap() = Some(exit);
            Ok(ok)
        }
    })
    .await;
    last.into_inner().unwrap().expect("seen")
}

/// The sum of every `feePaid` in a CLI answer (each root-chain transaction it reports),
/// to check the CLI's report against the chain.
pub(crate) fn reported_fees(v: &Value) -> U256 {
    match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| match (k.as_str(), v) {
                ("feePaid", Value::String(s)) => s.parse().unwrap(),
                _ => reported_fees(v),
            })
            .sum(),
        Value::Array(a) => a.iter().map(reported_fees).sum(),
        _ => U256::ZERO,
    }
}

/// Lets every exit mature (`3 · MEP + 1` seconds), processes the ETH queue as dev 8, and
/// checks that the indexer saw in-flight exit `id` finalized as `canonical`.
pub(crate) async fn settle(net: &Net, mep: u64, id: B256, canonical: bool) {
    net.advance(3 * mep + 1).await;
    crate::harness::process_all(&net.ctx(crate::harness::dev(8)), Address::ZERO, 10).await;
    let exit = wait_inflight(net, id, "finalized", |e| e.status == "finalized").await;
    assert_eq!(exit.decided_canonical, Some(canonical), "{exit:?}");
}

/// Asserts, to the wei, that `who` holds `start + gained − lost − every fee it paid`.
pub(crate) async fn assert_eth(
    provider: &DynProvider,
    who: Address,
    start: U256,
    gained: U256,
    lost: U256,
    what: &str,
) {
    let fees = fees_since(provider, who, 0).await;
    assert_eq!(
        eth(provider, who).await,
        start + gained - lost - fees,
        "{what}"
    );
}

/// Asserts, to the wei, that `who`, who only piggybacked an output of `amount` of a
/// canonical exit, got the amount less the piggyback's bounty.
pub(crate) async fn assert_payee(
    provider: &DynProvider,
    who: Address,
    start: U256,
    amount: U256,
    bonds: &Bonds,
) {
    let what = format!("{who:#x}: the payment less one piggyback bounty, to the wei");
    assert_eth(provider, who, start, amount, bonds.bounty, &what).await;
}
