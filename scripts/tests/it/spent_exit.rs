//! Scenario 3: an exit of an already-spent output. The watchtower (the indexer with a
//! challenger key) challenges it by itself and the bond goes to the watchtower, to the wei.

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use plasma_client::user::{self, RootChain, fee_paid};
use plasma_devnet::stack::WATCHTOWER_ACCOUNT;

use crate::harness::{Net, User, dev, ether, tenths};

#[tokio::test(flavor = "multi_thread")]
async fn watchtower_challenges_exit_of_spent_output() {
    let net = Net::start(|_| {}).await;
    let mut alice = User::new(&net, dev(2)).await;
    let bob = User::new(&net, dev(3)).await;
    let watchtower = dev(WATCHTOWER_ACCOUNT).address();
    let provider = net.provider();

    let deposit = alice.deposit_eth(ether(1)).await;
    net.wait_utxos(alice.address, Address::ZERO, &[ether(1)])
        .await;
    alice.send(bob.address, Address::ZERO, tenths(4)).await;
    net.wait_utxos(bob.address, Address::ZERO, &[tenths(4)])
        .await;
    net.wait_utxos(alice.address, Address::ZERO, &[tenths(6)])
        .await;

    // Alice now tries to exit the deposit she already spent.
    let before = provider.get_balance(watchtower).await.unwrap();
    let exit = user::start_exit(&alice.ctx.root, &deposit.exit_data().unwrap())
        .await
        .unwrap();
    assert_eq!(exit.utxo_pos, deposit.utxo_pos);

    let root = alice.ctx.root.clone();
    net.wait(60, "the watchtower's challenge", || {
        let root = root.clone();
        // Status 2: the output's standard exit was challenged.
        async move { Ok(root.outputExit(exit.exit_id).call().await?.status == 2) }
    })
    .await;

    let filter = Filter::new()
        .address(net.stack.endpoints.deployment.root_chain)
        .event_signature(RootChain::ExitChallenged::SIGNATURE_HASH)
        .from_block(0);
    let logs = provider.get_logs(&filter).await.unwrap();
    assert_eq!(logs.len(), 1, "one challenge");
    let event = logs[0].log_decode::<RootChain::ExitChallenged>().unwrap();
    assert_eq!(event.inner.utxoPos, deposit.utxo_pos);
    assert_eq!(
        event.inner.challenger, watchtower,
        "the bond goes to the watchtower"
    );
    let receipt = provider
        .get_transaction_receipt(logs[0].transaction_hash.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        receipt.from, watchtower,
        "the watchtower sent the challenge itself"
    );
    let after = provider.get_balance(watchtower).await.unwrap();
    // The watchtower earns the challenger's share: the bond less the bounty, halved.
    let d = &net.stack.endpoints.deployment;
    let share = (d.exit_bond - d.process_bounty) / U256::from(2);
    assert_eq!(
        after,
        before + share - fee_paid(&receipt),
        "watchtower balance to the wei"
    );
    assert!(share > U256::ZERO);
    net.stack.stop().await.unwrap();
}
