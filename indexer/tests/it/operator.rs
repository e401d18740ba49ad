//! Against the real operator binary (next to the test binary's directory, built with
//! `cargo build -p plasma-operator`, or at `$PLASMA_OPERATOR_BIN`): the indexer checks the blocks the operator
//! publishes, and raises `invalid_block` when the operator's fault-injection switch makes
//! it include an invalid transaction.

use crate::{chain::*, helpers::*};
use alloy::primitives::Bytes;
use plasma_test_utils::{free_port, key_hex, operator_bin};
use std::{process::Stdio, time::Duration};

/// Kills the operator when the test ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn real_operator_blocks_are_checked_and_its_invalid_block_is_raised() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let deployment = chain.deployment(dir.path());
    let port = free_port();
    let operator_url = format!("http://127.0.0.1:{port}");
    let _operator = Child(
        std::process::Command::new(operator_bin())
            .args(["--rpc-url", &chain.anvil.endpoint()])
            .arg("--deployment")
            .arg(&deployment)
            .args(["--operator-key", &key_hex(&chain.keys[0])])
            .arg("--data-dir")
            .arg(dir.path().join("operator"))
            .args([
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--block-interval-ms",
                "200",
                "--confirmations",
                "0",
            ])
            .args(["--poll-interval-ms", "100", "--byzantine"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("operator starts"),
    );
    wait_for(&format!("{operator_url}/health"), "operator health", |h| {
        h["status"] == "ok"
    })
    .await;
    let mut args = args(&chain, dir.path(), &operator_url, None, 30);
    args.database_url = crate::backend::database_url(dir.path()).await;
    let service = plasma_indexer::start(args).await.unwrap();
    let api = format!("http://{}", service.addr);

    // A deposit, then a payment through the operator's API: the indexer checks its block.
    let (alice, bob) = (chain.keys[1].clone(), chain.keys[2].clone());
    chain.deposit(1, ETH).await;
    let tx = payment(
        &chain.domain,
        &[(D1, &alice)],
        vec![eth(bob.address(), ETH / 2), eth(alice.address(), ETH / 2)],
    );
    let http = reqwest::Client::new();
    let mut accepted = false;
    for _ in 0..100 {
        let body = serde_json::json!({ "tx": tx.tx, "signatures": tx.signatures.iter().map(Bytes::to_string).collect::<Vec<_>>() });
        let response = http
            .post(format!("{operator_url}/v1/transactions"))
            .json(&body)
            .send()
            .await
            .unwrap();
        if response.status().as_u16() == 201 {
            accepted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await; // the operator credits the deposit first
    }
    assert!(accepted, "the operator accepted the payment");
    let utxos = wait_for(
        &format!("{api}/v1/addresses/{:#x}/utxos", bob.address()),
        "bob's output",
        |u| u["utxos"].as_array().is_some_and(|a| !a.is_empty()),
    )
    .await;
    assert_eq!(utxos["utxos"][0]["amount"], (ETH / 2).to_string());

    // Fault injection: the operator includes an invalid transaction in its next block.
    let response = http
        .post(format!("{operator_url}/admin/byzantine"))
        .json(&serde_json::json!({ "action": "invalid_tx" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let status = wait_for(&format!("{api}/v1/status"), "invalid_block", |s| {
        s["child"]["halted"] == true
    })
    .await;
    let event = &status["byzantineEvents"][0];
    assert_eq!(event["kind"], "invalid_block", "{status}");
    assert!(
        event["detail"].as_str().unwrap().contains("tx 0"),
        "{event}"
    );
    service.stop().await.unwrap();
}
