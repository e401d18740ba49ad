//! Scenario (lesson 9 of the protocol guide): an output that exited on the root chain is
//! spent again on the child chain. The operator refuses the spend; an operator forced
//! byzantine (fault switch `spend_exited`) includes it anyway, and the indexer raises the
//! block as invalid and derives nothing from it.

use alloy::primitives::{Address, B256};
use alloy::providers::Provider;
use plasma_client::user;
use plasma_core::{Output, Transaction, UtxoPos};

use crate::harness::{Net, User, dev, ether, process_all};

#[tokio::test(flavor = "multi_thread")]
async fn exited_output_spent_again_is_refused_then_raised_as_an_invalid_block() {
    let net = Net::start(|c| {
        c.operator_env
            .push(("PLASMA_OPERATOR_BYZANTINE".into(), "true".into()));
    })
    .await;
    let eth = Address::ZERO;
    let mut alice = User::new(&net, dev(2)).await;
    let bob = User::new(&net, dev(3)).await;
    let processor = User::new(&net, dev(5)).await;

    let deposit = alice.deposit_eth(ether(1)).await;
    net.wait_utxos(alice.address, eth, &[ether(1)]).await;
    user::start_exit(&alice.ctx.root, &deposit.exit_data().unwrap())
        .await
        .unwrap();
    net.advance(21).await;
    let (processed, _, _, _) = process_all(&processor.ctx, eth, 10).await;
    assert_eq!(processed, vec![deposit.utxo_pos], "the deposit exited");
    let head = net.provider().get_block_number().await.unwrap();
    let operator = alice.ctx.operator.clone();
    net.wait(60, "the operator to follow the processed exit", || {
        let operator = operator.clone();
        async move { Ok(operator.status().await?.deposit_cursor >= head) }
    })
    .await;

    // Alice spends the exited deposit again: refused, and nothing changes.
    let out = Output {
        owner: bob.address,
        token: eth,
        amount: ether(1),
    };
    let tx = Transaction::payment(vec![UtxoPos(deposit.utxo_pos)], vec![out], B256::ZERO).unwrap();
    let wire = user::sign_all(&tx, &dev(2), &alice.ctx.domain()).unwrap();
    let err = operator.submit(&wire).await.unwrap_err();
    assert_eq!(err.code(), Some("exited_output"), "{err}");
    let status = operator.status().await.unwrap();
    assert_eq!(
        (status.pending_txs, status.latest_sealed_block),
        (0, None),
        "{status:?}"
    );

    // Forced byzantine, the operator seals it; the indexer raises the block.
    net.inject_fault("spend_exited").await;
    operator.submit(&wire).await.unwrap();
    let event = net.wait_byzantine("invalid_block").await;
    assert!(event.detail.contains("exited"), "{event:?}");
    let bobs = bob.ctx.indexer.utxos(bob.address).await.unwrap();
    assert!(
        bobs.is_empty(),
        "nothing derived from the invalid block: {bobs:?}"
    );
    net.stack.stop().await.unwrap();
}
