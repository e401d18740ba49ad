//! The `plasma` binary itself: `deploy` writes a deployment file that matches the chain,
//! and `devnet --exit-after-ready` brings the whole system up, makes one deposit and one
//! transfer through it, and shuts down cleanly.

use std::process::Command;

use alloy::primitives::U256;
use plasma_bindings::Deployment;
use plasma_client::chain::{DEV_KEYS, dev_signer, read_provider};
use plasma_client::user::RootChainContract;
use plasma_test_utils::free_port;

use crate::harness::{bare_anvil, plasma_deploy};

const PLASMA: &str = env!("CARGO_BIN_EXE_plasma");

#[tokio::test(flavor = "multi_thread")]
async fn deploy_writes_the_deployment_file() {
    let (dir, anvil, rpc) = bare_anvil().await;
    let file = dir.path().join("deployment.json");
    let operator = dev_signer(1).address();
    let stdout = plasma_deploy(
        &rpc,
        operator,
        &[
            "--min-exit-period",
            "60",
            "--bond-gas-price",
            "1000000000000",
        ],
        &file,
    );
    let printed: Deployment = serde_json::from_slice(&stdout).unwrap();
    let written = Deployment::read(&file).unwrap();
    assert_eq!(printed, written);
    assert_eq!(written.chain_id, 31337);
    assert_eq!(written.operator, operator);
    let root = RootChainContract::new(written.root_chain, read_provider(&rpc).unwrap());
    assert_eq!(root.operator().call().await.unwrap(), operator);
    assert_eq!(root.MIN_EXIT_PERIOD().call().await.unwrap(), U256::from(60));
    // 2 · 70,000 + 60,000 gas at 1,000 gwei.
    assert_eq!(
        root.EXIT_BOND().call().await.unwrap(),
        U256::from(200_000_000_000_000_000u64)
    );
    assert_eq!(written.exit_bond, U256::from(200_000_000_000_000_000u64));
    assert_eq!(
        root.PROCESS_BOUNTY().call().await.unwrap(),
        written.process_bounty
    );
    anvil.stop(std::time::Duration::from_secs(5)).await.unwrap();
}

#[test]
fn deploy_without_a_key_is_a_clear_error() {
    let out = Command::new(PLASMA)
        .args(["deploy", "--rpc-url", "http://127.0.0.1:1"])
        .env_remove("PLASMA_DEPLOYER_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--private-key"), "{err}");
}

/// Runs `plasma devnet --exit-after-ready` with `extra` flags in a fresh data directory
/// on a port whose neighbours (+5 to +8) are free; returns (dir, pid, stdout, stderr),
/// having checked it succeeded with the smoke run confirmed by the indexer.
fn devnet_smoke(extra: &[&str]) -> (tempfile::TempDir, u32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    // The devnet uses port, port + 5, port + 6 (and on Postgres port + 7, port + 8).
    let free = |p: u16| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok();
    let port = std::iter::repeat_with(free_port)
        .find(|&p| p < u16::MAX - 8 && (5..=8).all(|d| free(p + d)))
        .unwrap();
    let child = Command::new(PLASMA)
        .args(["devnet", "--exit-after-ready", "--port", &port.to_string()])
        .args(extra)
        .arg("--data-dir")
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "plasma devnet --exit-after-ready {extra:?} failed:\n{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(stdout.contains("RootChain"), "endpoints printed: {stdout}");
    assert!(
        stderr.contains("smoke: deposit and transfer confirmed by the indexer"),
        "{stderr}"
    );
    assert!(dir.path().join("deployment.json").exists());
    (dir, pid, stdout, stderr)
}

#[test]
fn devnet_smoke_run_deposits_transfers_and_stops() {
    let (dir, _, _, _) = devnet_smoke(&[]);
    assert!(
        dir.path().join("indexer/indexer.sqlite").exists(),
        "indexer on a SQLite file in the data dir"
    );
}

#[test]
fn devnet_on_postgres_runs_a_writer_and_two_replicas_and_removes_the_server() {
    let (dir, pid, stdout, stderr) = devnet_smoke(&["--indexer-db", "postgres"]);
    for line in [
        "indexer replicas",
        "indexer writer",
        "postgres://postgres@127.0.0.1:",
    ] {
        assert!(stdout.contains(line), "{line} printed: {stdout}");
    }
    for name in ["api 1", "api 2", "writer"] {
        assert!(
            stderr.contains(&format!("plasma-indexer {name}")),
            "{name} stopped: {stderr}"
        );
    }
    for log in [
        "indexer-writer.log",
        "indexer-api-1.log",
        "indexer-api-2.log",
    ] {
        assert!(dir.path().join(log).exists(), "{log}");
    }
    assert!(
        !dir.path().join("indexer/indexer.sqlite").exists(),
        "no SQLite file"
    );
    let server_dir = std::env::temp_dir().join(format!("plasma-pg-{pid}-0"));
    assert!(!server_dir.exists(), "the server's directory is removed");
}

/// Runs `plasma --json <args>` against `net` as `key`; returns (success, stdout JSON or
/// Null, stderr).
fn plasma(
    net: &crate::harness::Net,
    key: &str,
    args: &[&str],
) -> (bool, serde_json::Value, String) {
    let e = &net.stack.endpoints;
    let out = Command::new(PLASMA)
        .arg("--json")
        .args(args)
        .env("PLASMA_RPC_URL", &e.rpc_url)
        .env("PLASMA_DEPLOYMENT", &e.deployment_file)
        .env("PLASMA_OPERATOR_URL", &e.operator_url)
        .env("PLASMA_INDEXER_URL", &e.indexer_url)
        .env("PLASMA_PRIVATE_KEY", key)
        .env(
            "PLASMA_WALLET_DIR",
            e.deployment_file.with_file_name("wallet"),
        )
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.success(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn user_commands_through_the_binary() {
    let net = crate::harness::Net::start(|_| {}).await;
    let (alice, bob) = (DEV_KEYS[2], dev_signer(3).address().to_string());
    let token = net.stack.endpoints.token.to_string();

    let (ok, dep, err) = plasma(&net, alice, &["deposit", "--amount", "2"]);
    assert!(ok, "{err}");
    let pos = dep["utxoPos"].as_u64().unwrap();
    let (ok, _, err) = plasma(
        &net,
        alice,
        &["deposit", "--amount", "10", "--token", &token],
    );
    assert!(ok, "{err}");
    net.wait_balance(
        dev_signer(2).address(),
        alloy::primitives::Address::ZERO,
        crate::harness::ether(2),
    )
    .await;
    net.wait_balance(
        dev_signer(2).address(),
        net.stack.endpoints.token,
        crate::harness::ether(10),
    )
    .await;

    let (ok, sent, err) = plasma(
        &net,
        alice,
        &["send", "--to", &bob, "--amount", "0.5", "--wait", "30"],
    );
    assert!(ok, "{err}");
    assert_eq!(sent["included"], true);
    assert_eq!(sent["inputs"], serde_json::json!([pos]));

    let (ok, too_much, err) = plasma(&net, alice, &["send", "--to", &bob, "--amount", "100"]);
    assert!(!ok && too_much.is_null());
    assert!(err.contains("insufficient child-chain balance"), "{err}");

    let (ok, bal, err) = plasma(&net, alice, &["balance", "--token", &token]);
    assert!(ok, "{err}");
    assert_eq!(
        bal["childChain"]["0x0000000000000000000000000000000000000000"],
        "1500000000000000000"
    );
    let (ok, utxos, _) = plasma(&net, alice, &["utxos"]);
    assert!(ok);
    assert_eq!(
        utxos.as_array().unwrap().len(),
        2,
        "the ETH change and the token deposit: {utxos}"
    );
    let (ok, history, _) = plasma(&net, alice, &["history"]);
    assert!(
        ok && !history["entries"].as_array().unwrap().is_empty(),
        "{history}"
    );

    let (ok, exits, err) = plasma(&net, alice, &["exit", "--all"]);
    assert!(ok, "{err}");
    assert_eq!(exits.as_array().unwrap().len(), 2);
    let exiting = exits[0]["utxoPos"].as_u64().unwrap().to_string();
    let (ok, _, err) = plasma(&net, DEV_KEYS[4], &["challenge", "--utxo-pos", &exiting]);
    assert!(!ok, "a valid exit cannot be challenged");
    assert!(err.contains("challenge data"), "{err}");

    let (ok, early, _) = plasma(&net, DEV_KEYS[5], &["process"]);
    assert!(
        ok && early["exits"].as_array().unwrap().is_empty(),
        "nothing matured yet: {early}"
    );
    net.advance(2 * net.stack.endpoints.deployment.min_exit_period + 1)
        .await;
    let (ok, done, err) = plasma(&net, DEV_KEYS[5], &["process"]);
    assert!(ok, "{err}");
    assert_eq!(
        done["exits"].as_array().unwrap().len(),
        1,
        "the ETH exit: {done}"
    );
    let (ok, done, err) = plasma(&net, DEV_KEYS[5], &["process", "--token", &token]);
    assert!(ok && done["exits"].as_array().unwrap().len() == 1, "{err}");

    let (ok, status, err) = plasma(&net, alice, &["status"]);
    assert!(ok, "{err}");
    assert_eq!(status["ethExitQueue"], 0);
    assert_eq!(status["indexer"]["byzantineEvents"], serde_json::json!([]));
}
