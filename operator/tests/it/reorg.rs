//! Root-chain reorganisations (anvil_rollback, anvil_reorg) that drop a deposit or the
//! submission of a root.

use plasma_core::UtxoPos;
use serde_json::json;

use crate::{
    chain::assert_each_root_submitted_once,
    chain_env::{ChainEnv, OperatorProc},
    common::payment,
};

const ETH: u64 = 1_000_000_000_000_000_000;

#[tokio::test]
async fn reorg_within_the_margin_drops_a_deposit_before_it_is_credited() {
    let env = ChainEnv::start().await;
    let op = OperatorProc::start(&env, &env.dir.path().join("op"), 3, &[]).await;
    env.mine(5).await;
    let blknum = env.deposit(ETH).await;
    env.mine(1).await;
    let head = env.anvil_head().await;
    // Drop the deposit's block (and the one on top of it) before the margin passes.
    env.rpc("anvil_rollback", json!([2])).await;
    assert_eq!(
        u64::try_from(env.root.nextDepositBlock().call().await.unwrap()).unwrap(),
        blknum
    );
    env.mine(8).await;
    op.wait_status("cursor past the dropped deposit", |s| {
        s["depositCursor"].as_u64().unwrap() >= head
    })
    .await;
    assert_eq!(
        op.status().await["utxos"],
        0,
        "a dropped deposit must not be credited"
    );

    // The same deposit-block number now holds another deposit: that one is credited.
    let again = env.deposit(2 * ETH).await;
    assert_eq!(again, blknum);
    env.mine(3).await;
    op.wait_status("new deposit credited", |s| s["utxos"] == 1)
        .await;
    let me = env.user_address();
    let pos = UtxoPos::new(blknum, 0, 0).unwrap();
    let (s, answer) = op
        .post(
            "/v1/transactions",
            &payment(&[&env.user], &env.domain, &[pos], &[(me, 2 * ETH)]),
        )
        .await;
    assert_eq!(s, 201, "the credited output is the 2 ETH one: {answer}");
}

#[tokio::test]
async fn reorg_deeper_than_the_margin_uncredits_an_unspent_deposit() {
    let env = ChainEnv::start().await;
    let op = OperatorProc::start(&env, &env.dir.path().join("op"), 1, &[]).await;
    env.mine(3).await;
    let blknum = env.deposit(ETH).await;
    env.mine(2).await;
    op.wait_status("deposit credited", |s| s["utxos"] == 1)
        .await;

    env.rpc("anvil_rollback", json!([3])).await;
    env.mine(6).await;
    op.wait_status("deposit taken back", |s| s["utxos"] == 0)
        .await;
    op.wait_log("un-credited").await;
    let me = env.user_address();
    let pos = UtxoPos::new(blknum, 0, 0).unwrap();
    let (s, answer) = op
        .post(
            "/v1/transactions",
            &payment(&[&env.user], &env.domain, &[pos], &[(me, ETH)]),
        )
        .await;
    assert_eq!(
        (s, answer["error"]["code"].as_str()),
        (422, Some("unknown_input")),
        "{answer}"
    );
}

/// A root-chain reorganisation (`method`, `depth` blocks) removes the block that carried
/// the `submitBlock` of child block 1000, while payments keep flowing: the operator
/// submits the same root again under the same number, holds block 2000 until 1000 is
/// back, and in the end every sealed root is on chain exactly once, all confirmed.
async fn removed_root_is_submitted_again(method: &'static str, depth: u64) {
    const CONFIRMATIONS: u64 = 2;
    let env = ChainEnv::start().await;
    let op = OperatorProc::start(&env, &env.dir.path().join("op"), CONFIRMATIONS, &[]).await;
    let blknum = env.deposit(ETH).await;
    // Bury the deposit below the reorganisation: only the submission is removed.
    env.mine(depth + CONFIRMATIONS + 2).await;
    op.wait_status("deposit credited", |s| s["utxos"] == 1)
        .await;
    op.pay_self(&env, UtxoPos::new(blknum, 0, 0).unwrap(), ETH)
        .await;
    while env.submitted().await.is_empty() {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let first = env.submitted().await;
    // On chain but one block deep: not confirmed before the margin.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        op.status().await["latestSubmittedBlock"],
        serde_json::Value::Null,
        "confirmed before --confirmations blocks"
    );
    env.mine(depth - 1).await;
    if depth > CONFIRMATIONS {
        op.wait_status("block 1000 confirmed", |s| {
            s["latestSubmittedBlock"] == 1000
        })
        .await;
    }

    // The block holding submitBlock(1000) is the oldest of the `depth` removed.
    match method {
        "anvil_reorg" => env.rpc("anvil_reorg", json!([depth, []])).await,
        _ => env.rpc("anvil_rollback", json!([depth])).await,
    };
    // Payments keep arriving while the root is off the chain.
    op.pay_self(&env, UtxoPos::new(1000, 0, 0).unwrap(), ETH)
        .await;
    if depth > CONFIRMATIONS {
        op.wait_log("submitting them again").await;
    }
    // Blocks only come with transactions on anvil: mine so the margin can pass.
    let start = std::time::Instant::now();
    loop {
        let s = op.status().await;
        if s["latestSubmittedBlock"] == 2000 && s["latestSealedBlock"] == 2000 {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "roots not back and confirmed: {s}\n{}",
            op.log_text()
        );
        env.mine(1).await;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let events = env.submitted().await;
    assert_eq!(
        events[0], first[0],
        "block 1000 came back with the same root"
    );
    assert_each_root_submitted_once(&env, &op).await;
}

#[tokio::test]
async fn rollback_of_1_block_removing_a_submission() {
    removed_root_is_submitted_again("anvil_rollback", 1).await;
}

#[tokio::test]
async fn rollback_of_6_blocks_removing_a_confirmed_submission() {
    removed_root_is_submitted_again("anvil_rollback", 6).await;
}

#[tokio::test]
async fn reorg_of_1_block_removing_a_submission() {
    removed_root_is_submitted_again("anvil_reorg", 1).await;
}

#[tokio::test]
async fn reorg_of_6_blocks_removing_a_confirmed_submission() {
    removed_root_is_submitted_again("anvil_reorg", 6).await;
}
