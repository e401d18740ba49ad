//! Scenario 2: a byzantine operator (fault injection, docs/OPERATOR.md) publishes a block
//! holding a transaction that spends an output that never existed. The indexer raises
//! `invalid_block`; the attacker exits its fabricated output first; every honest user
//! exits with the indexer's proofs right after and still gets every wei back, because
//! honest outputs are older and exit first.

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::SolEvent;
use plasma_client::user::{self, RootChain};
use plasma_core::block::BlockData;

use crate::harness::{Net, User, dev, ether, process_all, tenths};

#[tokio::test(flavor = "multi_thread")]
async fn honest_users_exit_everything_after_an_invalid_block() {
    let net = Net::start(|c| {
        c.params.min_exit_period = 120;
        c.operator_env
            .push(("PLASMA_OPERATOR_BYZANTINE".into(), "true".into()));
    })
    .await;
    let token = net.stack.endpoints.token;
    let eth = Address::ZERO;
    let mut alice = User::new(&net, dev(2)).await;
    let mut bob = User::new(&net, dev(3)).await;
    let mut processor = User::new(&net, dev(5)).await;

    alice.deposit_eth(ether(2)).await;
    bob.deposit_eth(ether(1)).await;
    alice.deposit_token(token, ether(50)).await;
    net.wait_utxos(alice.address, eth, &[ether(2)]).await;
    net.wait_utxos(bob.address, eth, &[ether(1)]).await;
    net.wait_utxos(alice.address, token, &[ether(50)]).await;
    alice.send(bob.address, eth, tenths(5)).await;
    alice.send(bob.address, token, ether(20)).await;
    net.wait_utxos(bob.address, eth, &[ether(1), tenths(5)])
        .await;
    net.wait_utxos(bob.address, token, &[ether(20)]).await;

    // The operator turns byzantine.
    net.inject_fault("invalid_tx").await;
    let event = net.wait_byzantine("invalid_block").await;
    let blknum = event.blknum.expect("the event names the block");

    // The attacker (the fault key of the operator's injection) exits its fabricated output.
    let attacker = PrivateKeySigner::from_bytes(&B256::repeat_byte(0xba)).unwrap();
    net.fund(attacker.address(), ether(1)).await;
    let block: BlockData = alice.ctx.operator.block(blknum).await.unwrap();
    let index = block
        .transactions
        .iter()
        .position(|t| t.tx.outputs[0].owner == attacker.address())
        .expect("the invalid transaction is in the block");
    let raw: Vec<_> = block.transactions.iter().map(|t| t.raw.clone()).collect();
    let timestamp = block_timestamp(&net, blknum).await;
    let data = user::exit_data_in_block(blknum, timestamp, &raw, index, 0).unwrap();
    let attacker_ctx = net.ctx(attacker.clone());
    let fake = user::start_exit(&attacker_ctx.root, &data).await.unwrap();

    // Honest users react to the event: every output they hold exits, with indexer proofs.
    alice.exit_all().await;
    bob.exit_all().await;
    net.advance(3 * 120 + 1).await;
    let (eth_order, _, _, fee_a) = process_all(&processor.ctx, eth, 20).await;
    let (_, _, _, fee_b) = process_all(&processor.ctx, token, 20).await;
    processor.fees += fee_a + fee_b;
    assert_eq!(
        eth_order.last(),
        Some(&fake.utxo_pos),
        "the fabricated output exits after every honest one"
    );

    let bounty = net.stack.endpoints.deployment.process_bounty;
    alice
        .assert_final(token, tenths(15), ether(30), bounty)
        .await;
    bob.assert_final(token, tenths(15), ether(20), bounty).await;
    net.stack.stop().await.unwrap();
}

/// The timestamp recorded for child block `blknum` (from `BlockSubmitted`).
async fn block_timestamp(net: &Net, blknum: u64) -> u64 {
    let filter = Filter::new()
        .address(net.stack.endpoints.deployment.root_chain)
        .event_signature(RootChain::BlockSubmitted::SIGNATURE_HASH)
        .topic1(B256::from(U256::from(blknum)))
        .from_block(0);
    let logs = net.provider().get_logs(&filter).await.unwrap();
    let log = logs[0].log_decode::<RootChain::BlockSubmitted>().unwrap();
    log.inner.timestamp.to()
}
