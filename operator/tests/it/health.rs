//! `/health` tells the truth: a hung root submission and an unreachable root chain each
//! make it 503 with the reason, also in `/v1/status` and `/metrics`, and it recovers by
//! itself when the cause goes away.

use std::{process::Command, time::Duration};

use plasma_core::UtxoPos;
use serde_json::Value;

use crate::chain_env::{ChainEnv, OperatorProc};

const ETH: u64 = 1_000_000_000_000_000_000;

async fn health(op: &OperatorProc) -> (u16, Value) {
    let r = reqwest::get(format!("{}/health", op.url)).await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn has_problem(status: &Value, code: &str) -> bool {
    status["problems"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["code"] == code))
}

async fn metrics(op: &OperatorProc) -> String {
    reqwest::get(format!("{}/metrics", op.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_hung_submission_is_reported_as_stalled() {
    let env = ChainEnv::start().await;
    let flags = [
        "--byzantine",
        "--fault-pause-after-send",
        "--submit-stall-ms",
        "300",
    ];
    let op = OperatorProc::start(&env, &env.dir.path().join("op"), 0, &flags).await;
    assert_eq!(health(&op).await.0, 200);
    let blknum = env.deposit(ETH).await;
    op.wait_status("deposit credited", |s| s["utxos"] == 1)
        .await;
    op.pay_self(&env, UtxoPos::new(blknum, 0, 0).unwrap(), ETH)
        .await;
    op.wait_log("paused after sending submitBlock").await;
    let status = op
        .wait_status("submission stalled", |s| {
            has_problem(s, "submission_stalled")
        })
        .await;
    assert_eq!(status["healthy"], false, "{status}");
    let (code, body) = health(&op).await;
    assert_eq!(
        (code, body["error"]["code"].as_str()),
        (503, Some("unhealthy"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("submission_stalled"),
        "{body}"
    );
    assert!(
        metrics(&op)
            .await
            .contains("plasma_operator_unhealthy{reason=\"submission_stalled\"} 1")
    );
}

#[tokio::test]
async fn an_unreachable_root_chain_is_reported_and_recovered_from() {
    let env = ChainEnv::start().await;
    let flags = ["--unreachable-after-ms", "500"];
    let op = OperatorProc::start(&env, &env.dir.path().join("op"), 0, &flags).await;
    let pid = env.anvil.child().id().to_string();
    let signal = |sig: &str| {
        let ok = Command::new("kill")
            .args([sig, &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {sig} {pid}");
    };
    op.wait_status("healthy", |s| s["healthy"] == true).await;
    // The RPC endpoint stops answering (its process is frozen): requests hang.
    signal("-STOP");
    let status = op
        .wait_status("root chain unreachable", |s| {
            has_problem(s, "root_chain_unreachable")
        })
        .await;
    let (code, body) = health(&op).await;
    signal("-CONT");
    assert_eq!(status["healthy"], false);
    assert_eq!(code, 503, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("root_chain_unreachable")
    );
    // Back: healthy again without a restart.
    op.wait_status("healthy again", |s| s["healthy"] == true)
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(health(&op).await.0, 200);
    assert!(
        metrics(&op)
            .await
            .contains("plasma_operator_unhealthy{reason=\"root_chain_unreachable\"} 0")
    );
}
