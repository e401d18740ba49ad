//! Scenario 1: ETH and ERC-20 deposits, transfers among several users, exits of every
//! output with the indexer's proofs, processing: every balance exact to the wei on both
//! chains, and the contract empty at the end.

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;

use crate::harness::{Net, User, dev, ether, process_all, tenths, token_balance};

#[tokio::test(flavor = "multi_thread")]
async fn deposits_transfers_exits_balance_to_the_wei() {
    let net = Net::start(|_| {}).await;
    let token = net.stack.endpoints.token;
    let eth = Address::ZERO;
    let mut alice = User::new(&net, dev(2)).await;
    let mut bob = User::new(&net, dev(3)).await;
    let mut carol = User::new(&net, dev(4)).await;
    let mut processor = User::new(&net, dev(5)).await;

    alice.deposit_eth(ether(3)).await;
    bob.deposit_eth(ether(2)).await;
    alice.deposit_token(token, ether(500)).await;
    carol.deposit_token(token, ether(100)).await;
    net.wait_utxos(alice.address, eth, &[ether(3)]).await;
    net.wait_utxos(bob.address, eth, &[ether(2)]).await;
    net.wait_utxos(alice.address, token, &[ether(500)]).await;
    net.wait_utxos(carol.address, token, &[ether(100)]).await;

    // alice → bob 1 ETH; then bob → carol 2.5 ETH needs both of bob's outputs.
    alice.send(bob.address, eth, ether(1)).await;
    net.wait_utxos(bob.address, eth, &[ether(2), ether(1)])
        .await;
    bob.send(carol.address, eth, tenths(25)).await;
    // alice → carol 200 tokens; then carol → bob 150 tokens from both of carol's outputs.
    alice.send(carol.address, token, ether(200)).await;
    net.wait_utxos(carol.address, token, &[ether(100), ether(200)])
        .await;
    carol.send(bob.address, token, ether(150)).await;

    let want = [
        (&alice, ether(2), ether(300)),
        (&bob, tenths(5), ether(150)),
        (&carol, tenths(25), ether(150)),
    ];
    for (user, e, t) in want {
        net.wait_balance(user.address, eth, e).await;
        net.wait_balance(user.address, token, t).await;
    }

    for user in [&mut alice, &mut bob, &mut carol] {
        user.exit_all().await;
    }
    let period = net.stack.endpoints.deployment.min_exit_period;
    net.advance(2 * period + 1).await;
    let (eth_exits, _, _, fee_a) = process_all(&processor.ctx, eth, 10).await;
    let (token_exits, _, _, fee_b) = process_all(&processor.ctx, token, 10).await;
    processor.fees += fee_a + fee_b;
    let exits = alice.exits + bob.exits + carol.exits;
    assert_eq!(
        (eth_exits.len() + token_exits.len()) as u64,
        exits,
        "every exit processed"
    );

    let bounty = net.stack.endpoints.deployment.process_bounty;
    alice
        .assert_final(token, ether(2), ether(300), bounty)
        .await;
    bob.assert_final(token, tenths(5), ether(150), bounty).await;
    carol
        .assert_final(token, tenths(25), ether(150), bounty)
        .await;
    // The processor earned one bounty per exit.
    let got = processor
        .ctx
        .provider
        .get_balance(processor.address)
        .await
        .unwrap();
    assert_eq!(
        got,
        processor.eth_start - processor.fees + bounty * U256::from(exits)
    );
    // Nothing is left in the contract: no fees were charged, every output left.
    let root = net.stack.endpoints.deployment.root_chain;
    assert_eq!(
        processor.ctx.provider.get_balance(root).await.unwrap(),
        U256::ZERO
    );
    assert_eq!(
        token_balance(&processor.ctx.provider, token, root).await,
        U256::ZERO
    );
    // Log files are plain text: no terminal colour codes (issue 14).
    for service in [&net.stack.operator, &net.stack.indexer]
        .into_iter()
        .flatten()
    {
        let log = std::fs::read(service.log_path()).unwrap();
        assert!(!log.is_empty(), "{} logged nothing", service.name());
        assert!(
            !log.contains(&0x1b),
            "{} wrote ANSI escapes into its log file",
            service.name()
        );
    }
    net.stack.stop().await.unwrap();
}
