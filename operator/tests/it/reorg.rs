//! Root-chain reorganisations (anvil_rollback) that drop a deposit.

use plasma_core::UtxoPos;
use serde_json::json;

use crate::{
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
