//! The `plasma` binary itself: `deploy` writes a deployment file that matches the chain,
//! and `devnet --exit-after-ready` brings the whole system up, makes one deposit and one
//! transfer through it, and shuts down cleanly.

use std::process::Command;

use alloy::primitives::U256;
use plasma_scripts::chain::{DEV_KEYS, dev_signer, read_provider};
use plasma_scripts::deployment::Deployment;
use plasma_scripts::procs::{free_port, spawn_anvil};
use plasma_scripts::user::RootChainContract;

use crate::harness::init_tracing;

const PLASMA: &str = env!("CARGO_BIN_EXE_plasma");

#[tokio::test(flavor = "multi_thread")]
async fn deploy_writes_the_deployment_file() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port().unwrap();
    let anvil = spawn_anvil(port, &[], &dir.path().join("anvil.log")).await.unwrap();
    let rpc = format!("http://127.0.0.1:{port}");
    let file = dir.path().join("deployment.json");
    let operator = dev_signer(1).address();
    let out = Command::new(PLASMA)
        .args(["--json", "deploy", "--rpc-url", &rpc, "--operator", &operator.to_string()])
        .args(["--min-exit-period", "60", "--exit-bond", "200000000000000000", "--out"])
        .arg(&file)
        .env("PLASMA_DEPLOYER_KEY", DEV_KEYS[0])
        .output()
        .unwrap();
    assert!(out.status.success(), "plasma deploy failed: {}", String::from_utf8_lossy(&out.stderr));
    let printed: Deployment = serde_json::from_slice(&out.stdout).unwrap();
    let written = Deployment::read(&file).unwrap();
    assert_eq!(printed, written);
    assert_eq!(written.chain_id, 31337);
    assert_eq!(written.operator, operator);
    let root = RootChainContract::new(written.root_chain, read_provider(&rpc).unwrap());
    assert_eq!(root.operator().call().await.unwrap(), operator);
    assert_eq!(root.MIN_EXIT_PERIOD().call().await.unwrap(), U256::from(60));
    assert_eq!(root.EXIT_BOND().call().await.unwrap(), U256::from(200_000_000_000_000_000u64));
    assert_eq!(root.PROCESS_BOUNTY().call().await.unwrap(), written.process_bounty);
    anvil.stop(std::time::Duration::from_secs(5)).await.unwrap();
}

#[test]
fn deploy_without_a_key_is_a_clear_error() {
    let out = Command::new(PLASMA).args(["deploy", "--rpc-url", "http://127.0.0.1:1"]).env_remove("PLASMA_DEPLOYER_KEY").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--private-key"), "{err}");
}

#[test]
fn devnet_smoke_run_deposits_transfers_and_stops() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port().unwrap();
    let out = Command::new(PLASMA)
        .args(["devnet", "--exit-after-ready", "--port", &port.to_string(), "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "plasma devnet --exit-after-ready failed:\n{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("RootChain"), "endpoints printed: {stdout}");
    assert!(stderr.contains("smoke: deposit and transfer confirmed by the indexer"), "{stderr}");
    assert!(dir.path().join("indexer.sqlite").exists(), "indexer on a SQLite file in the data dir");
    assert!(dir.path().join("deployment.json").exists());
}
