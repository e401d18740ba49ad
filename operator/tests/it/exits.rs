//! Exits remove outputs from the child chain (docs/SPEC.md): the real binary against
//! anvil refuses spends of exiting and exited outputs, durably, undoes a reorganised
//! exit, and admits such spends only through its fault-injection switch.

use plasma_core::UtxoPos;
use serde_json::{Value, json};

use crate::{
    chain_env::{ChainEnv, OperatorProc},
    common::payment,
};

const ETH: u64 = 1_000_000_000_000_000_000;

fn spend(env: &ChainEnv, blknum: u64, amount: u64) -> Value {
    let pos = UtxoPos::new(blknum, 0, 0).unwrap();
    payment(
        &[&env.user],
        &env.domain,
        &[pos],
        &[(env.user_address(), amount)],
    )
}

/// Waits until the operator has scanned every root-chain block up to the head's margin.
pub(crate) async fn caught_up(env: &ChainEnv, op: &OperatorProc, confirmations: u64) {
    let target = env.anvil_head().await - confirmations;
    op.wait_status("follower caught up", |s| {
        s["depositCursor"].as_u64().unwrap() >= target
    })
    .await;
}

/// Submits `tx`, expects the rejection `(status, code)`, and checks nothing changed.
pub(crate) async fn refused(op: &OperatorProc, tx: &Value, status: u16, code: &str) {
    let before = op.status().await;
    let (s, answer) = op.post("/v1/transactions", tx).await;
    assert_eq!(
        (s, answer["error"]["code"].as_str()),
        (status, Some(code)),
        "{answer}"
    );
    let after = op.status().await;
    assert_eq!(after["pendingTxs"], 0, "nothing admitted: {after}");
    assert_eq!(before["nextBlock"], after["nextBlock"], "nothing sealed");
    assert_eq!(before["utxos"], after["utxos"]);
}

#[tokio::test]
async fn exiting_and_exited_outputs_are_refused_until_the_fault_switch() {
    let env = ChainEnv::start().await;
    let dir = env.dir.path().join("op");
    let op = OperatorProc::start(&env, &dir, 1, &["--byzantine"]).await;
    let exited = env.deposit(ETH).await;
    let exiting = env.deposit(2 * ETH).await;
    env.mine(2).await;
    op.wait_status("deposits credited", |s| s["utxos"] == 2)
        .await;

    env.start_deposit_exit(exited).await;
    env.advance(61).await;
    env.process_eth_exits().await;
    env.start_deposit_exit(exiting).await;
    env.mine(2).await;
    caught_up(&env, &op, 1).await;
    refused(&op, &spend(&env, exited, ETH), 422, "exited_output").await;
    refused(&op, &spend(&env, exiting, 2 * ETH), 409, "exiting_output").await;

    // Durable: the same answers after a restart.
    op.kill();
    let op = OperatorProc::start(&env, &dir, 1, &["--byzantine"]).await;
    refused(&op, &spend(&env, exited, ETH), 422, "exited_output").await;
    refused(&op, &spend(&env, exiting, 2 * ETH), 409, "exiting_output").await;

    // Only the fault switch makes the operator take and seal such spends.
    let (s, _) = op
        .post("/admin/byzantine", &json!({"action": "spend_exited"}))
        .await;
    assert_eq!(s, 200);
    let (s, answer) = op.post("/v1/transactions", &spend(&env, exited, ETH)).await;
    assert_eq!(s, 201, "{answer}");
    op.wait_status("the spend sealed", |s| s["latestSealedBlock"] == 1000)
        .await;
}

#[tokio::test]
async fn an_exit_removed_by_a_reorganisation_is_undone() {
    let env = ChainEnv::start().await;
    let op = OperatorProc::start(&env, &env.dir.path().join("op"), 1, &[]).await;
    env.mine(3).await;
    let blknum = env.deposit(ETH).await;
    env.mine(3).await;
    op.wait_status("deposit credited", |s| s["utxos"] == 1)
        .await;
    env.start_deposit_exit(blknum).await;
    env.mine(2).await;
    caught_up(&env, &op, 1).await;
    refused(&op, &spend(&env, blknum, ETH), 409, "exiting_output").await;

    // Drop the exit's block (and the two on top of it), deeper than the margin.
    env.rpc("anvil_rollback", json!([3])).await;
    env.mine(6).await;
    op.wait_log("exit event removed by a root-chain reorganisation")
        .await;
    caught_up(&env, &op, 1).await;
    let (s, answer) = op.post("/v1/transactions", &spend(&env, blknum, ETH)).await;
    assert_eq!(s, 201, "the output is spendable again: {answer}");
}
