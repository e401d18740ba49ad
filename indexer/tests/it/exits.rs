//! Exits remove outputs from the child chain (docs/SPEC.md): a block submitted after an
//! output's exit was processed and spending it is invalid; a block submitted before the
//! processing (log order, also within one root-chain block) holds a valid spend, and a
//! spend included after the exit started makes that exit an invalid exit.

use crate::helpers::*;
use alloy::signers::local::PrivateKeySigner;
use plasma_indexer::{checker::Step, feed::FeedBlock, store::RootEvent};
use std::time::Duration;

/// The exit of `pos` started and processed, then `block` submitted.
fn exited_before(
    pos: u64,
    owner: &PrivateKeySigner,
    amount: u64,
    block: &FeedBlock,
) -> Vec<RootEvent> {
    vec![
        exit_started(pos, owner.address(), amount),
        exit_processed(pos),
        submitted(block),
    ]
}

#[tokio::test]
async fn a_block_spending_an_exited_output_is_invalid() {
    let (_dir, store) = temp_store().await;
    let feed = FeedDouble::start().await;
    let (d, alice, bob) = (test_domain(), key(1), key(2));
    root_events(&store, 1, vec![deposit(1, alice.address(), 100)]).await;
    let b1000 = block(
        1000,
        vec![payment(&d, &[(D1, &alice)], vec![eth(bob.address(), 100)])],
    );
    root_events(&store, 2, exited_before(D1, &alice, 100, &b1000)).await;
    feed.publish(b1000);
    let checker = checker(&store, &feed.url, d, Duration::from_secs(60));
    assert_eq!(checker.step().await.unwrap(), Step::Invalid(1000));
    let events = store.byzantine_events().await.unwrap();
    assert_eq!(
        (events[0].kind.as_str(), events[0].blknum),
        ("invalid_block", Some(1000))
    );
    assert!(events[0].detail.contains("exited"), "{}", events[0].detail);
    assert!(
        store.utxos(bob.address()).await.unwrap().is_empty(),
        "nothing is derived from the invalid block"
    );
}

#[tokio::test]
async fn a_spend_before_processing_is_valid_and_one_after_exit_start_makes_it_invalid() {
    let (_dir, store) = temp_store().await;
    let feed = FeedDouble::start().await;
    let (d, alice, bob) = (test_domain(), key(1), key(2));
    root_events(
        &store,
        1,
        vec![
            deposit(1, alice.address(), 100),
            deposit(2, bob.address(), 50),
        ],
    )
    .await;
    // Deposit 1 is spent in block 1000, submitted before its exit is processed in the
    // same root-chain block; deposit 2 starts exiting, then block 2000 spends it.
    let b1000 = block(
        1000,
        vec![payment(&d, &[(D1, &alice)], vec![eth(bob.address(), 100)])],
    );
    let b2000 = block(
        2000,
        vec![payment(&d, &[(D2, &bob)], vec![eth(alice.address(), 50)])],
    );
    root_events(
        &store,
        2,
        vec![
            exit_started(D1, alice.address(), 100),
            exit_started(D2, bob.address(), 50),
            submitted(&b1000),
            exit_processed(D1),
        ],
    )
    .await;
    root_events(&store, 3, vec![submitted(&b2000)]).await;
    feed.publish(b1000);
    feed.publish(b2000);
    let checker = checker(&store, &feed.url, d, Duration::from_secs(60));
    assert_eq!(checker.step().await.unwrap(), Step::Valid(1000));
    assert_eq!(checker.step().await.unwrap(), Step::Valid(2000));
    let invalid: Vec<u64> = store
        .invalid_active_exits()
        .await
        .unwrap()
        .iter()
        .map(|e| e.utxo_pos)
        .collect();
    assert_eq!(
        invalid,
        vec![D2],
        "the exit of a since-spent output is to be challenged"
    );
}

/// The pipelined checker examines block 2000 while block 1000 (which creates the spent
/// output) is still being written: the exit mark must reach it all the same.
#[tokio::test]
async fn the_pipelined_checker_sees_the_exit_of_an_output_still_in_flight() {
    let (_dir, store) = temp_store().await;
    let feed = FeedDouble::start().await;
    let (d, alice, bob) = (test_domain(), key(1), key(2));
    root_events(&store, 1, vec![deposit(1, alice.address(), 100)]).await;
    let b1000 = block(
        1000,
        vec![payment(&d, &[(D1, &alice)], vec![eth(bob.address(), 100)])],
    );
    let b2000 = bob_pays_b1000_to_alice(&d, &bob, &alice);
    root_events(&store, 2, vec![submitted(&b1000)]).await;
    root_events(&store, 3, exited_before(B1000, &bob, 100, &b2000)).await;
    invalid_block_2000(&store, &feed, d, [b1000, b2000]).await;
}

/// The pipelined checker examines block 2000 while block 1000 is still being written;
/// block 1000 creates an output and spends it itself, block 2000 spends it again: the
/// output comes from the in-flight block, and so must its spend. (Were the overlay to
/// miss the spend, the spends table's primary key would still refuse block 2000's rows
/// and the checker would find the spend on its next look: two guards, one outcome.)
#[tokio::test]
async fn the_pipelined_checker_sees_a_spend_inside_the_block_still_in_flight() {
    let (_dir, store) = temp_store().await;
    let feed = FeedDouble::start().await;
    let (d, alice, bob, carol) = (test_domain(), key(1), key(2), key(3));
    root_events(&store, 1, vec![deposit(1, alice.address(), 100)]).await;
    let b1000 = block(
        1000,
        vec![
            payment(&d, &[(D1, &alice)], vec![eth(bob.address(), 100)]),
            payment(&d, &[(B1000, &bob)], vec![eth(carol.address(), 100)]),
        ],
    );
    let b2000 = bob_pays_b1000_to_alice(&d, &bob, &alice);
    root_events(&store, 2, vec![submitted(&b1000), submitted(&b2000)]).await;
    let event = invalid_block_2000(&store, &feed, d, [b1000, b2000]).await;
    assert!(event.detail.contains("spent"), "{}", event.detail);
}

/// Block 2000: bob pays alice the output at B1000.
fn bob_pays_b1000_to_alice(
    d: &alloy::sol_types::Eip712Domain,
    bob: &PrivateKeySigner,
    alice: &PrivateKeySigner,
) -> FeedBlock {
    let pay = payment(d, &[(B1000, bob)], vec![eth(alice.address(), 100)]);
    block(2000, vec![pay])
}

/// Publishes blocks 1000 and 2000, runs the pipelined checker until it raises a
/// byzantine event (at most 10 s), and returns that event: block 2000 found invalid.
async fn invalid_block_2000(
    store: &plasma_indexer::store::AnyStore,
    feed: &FeedDouble,
    d: alloy::sol_types::Eip712Domain,
    blocks: [FeedBlock; 2],
) -> plasma_indexer::store::ByzantineEvent {
    for b in blocks {
        feed.publish(b);
    }
    let checker = checker(store, &feed.url, d, Duration::from_secs(60));
    let task = tokio::spawn(checker.run(Duration::from_millis(20)));
    let start = std::time::Instant::now();
    let mut events = loop {
        let events = store.byzantine_events().await.unwrap();
        if !events.is_empty() || start.elapsed() > Duration::from_secs(10) {
            break events;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    task.abort();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(
        (events[0].kind.as_str(), events[0].blknum),
        ("invalid_block", Some(2000))
    );
    events.remove(0)
}
