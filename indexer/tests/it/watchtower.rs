//! The watchtower without a challenger key: an exit of a spent output raises
//! `invalid_exit`, and `unchallenged_invalid_exit_near_maturity` close to its exitable
//! time; both are resolved (and stay listed) once the exit is challenged on chain.

use crate::helpers::*;
use alloy::primitives::{Address, B256, U256};
use plasma_indexer::{
    checker::Step,
    metrics::Metrics,
    store::{ExitStatus, RootEvent, now_secs_u64},
    watchtower::Watchtower,
};
use std::{sync::Arc, time::Duration};

const D1: u64 = 1_000_000_000;

/// A watchtower without a key over `store` (exit period an hour, warning at half).
fn keyless(store: &plasma_indexer::store::AnyStore) -> Watchtower {
    Watchtower {
        store: store.clone(),
        root_chain: root_chain(),
        challenger: None,
        maturity_warning: 1800,
        metrics: Arc::new(Metrics::default()),
        min_exit_period: 3600,
        proofs: Arc::new(plasma_indexer::proofs::ProofCache::new(4)),
    }
}

#[tokio::test]
async fn invalid_exit_and_near_maturity_are_raised_then_resolved_by_the_challenge() {
    let (_dir, store) = temp_store().await;
    let (alice, bob) = (key(1), key(2));
    root_events(&store, 1, vec![deposit(1, alice.address(), 100)]).await;
    let b1000 = block(
        1000,
        vec![payment(
            &test_domain(),
            &[(D1, &alice)],
            vec![eth(bob.address(), 100)],
        )],
    );
    let feed = FeedDouble::start().await;
    root_events(&store, 2, vec![submitted(&b1000)]).await;
    feed.publish(b1000);
    assert_eq!(
        checker(&store, &feed.url, test_domain(), Duration::from_secs(60))
            .step()
            .await
            .unwrap(),
        Step::Valid(1000)
    );

    let exit = |exitable_at| RootEvent::ExitStarted {
        pos: D1,
        owner: alice.address(),
        token: Address::ZERO,
        amount: U256::from(100),
        exitable_at,
    };
    root_events(&store, 3, vec![exit(now_secs_u64() + 3600)]).await;
    let watchtower = keyless(&store);
    assert_eq!(watchtower.step().await.unwrap(), 0, "no key, no challenge");
    let kinds = |events: &[plasma_indexer::store::ByzantineEvent]| {
        events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(&store.byzantine_events().await.unwrap()),
        ["invalid_exit"],
        "an hour before maturity"
    );

    // Time passes on the root chain (its latest timestamp is the watchtower's clock).
    watchtower.metrics.set_root_head(10, now_secs_u64() + 2000);
    watchtower.step().await.unwrap();
    watchtower.step().await.unwrap();
    let events = store.byzantine_events().await.unwrap();
    assert_eq!(
        kinds(&events),
        ["invalid_exit", "unchallenged_invalid_exit_near_maturity"]
    );
    assert!(
        events
            .iter()
            .all(|e| e.utxo_pos == Some(D1) && e.resolved_at.is_none())
    );

    root_events(
        &store,
        4,
        vec![RootEvent::ExitChallenged {
            pos: D1,
            challenger: bob.address(),
            spending_tx_hash: B256::ZERO,
        }],
    )
    .await;
    let events = store.byzantine_events().await.unwrap();
    assert_eq!(events.len(), 2, "still listed");
    assert!(
        events.iter().all(|e| e.resolved_at.is_some()),
        "resolved by the challenge"
    );
    assert_eq!(
        store.exit(D1).await.unwrap().unwrap().status,
        ExitStatus::Challenged
    );
}

/// The in-flight events as `kind subject` (the subject is the input or output, or empty
/// for the exit), with whether each is open, in order.
async fn in_flight_events(store: &plasma_indexer::store::AnyStore) -> Vec<(String, bool)> {
    let events = store.byzantine_events().await.unwrap();
    events
        .into_iter()
        .filter(|e| e.exit_id.is_some())
        .map(|e| {
            let subject = e.key.splitn(3, ':').nth(2).unwrap_or_default().to_owned();
            (format!("{} {subject}", e.kind), e.resolved_at.is_none())
        })
        .collect()
}

#[tokio::test]
async fn in_flight_events_follow_the_first_phase_and_the_chain_without_a_key() {
    use plasma_core::{position::UtxoPos, tx::Transaction};
    use plasma_indexer::store::{InFlightEvent, InFlightStore};
    let (_dir, store) = store_with_block_1000().await;
    let (alice, bob, carol) = (key(1), key(2), key(3));
    let b1000_pos = 1_000 * 1_000_000_000;

    // Alice's withheld payment of her change (B1000+1) to carol, exited in flight; and bob's
    // second spend of B1000, which block 1000 already spends (to carol).
    let start = |tx: &Transaction, starter: Address| {
        RootEvent::InFlight(InFlightEvent::Started {
            exit_id: tx.hash(),
            starter,
            inputs: vec![(tx.inputs[0].0, B256::ZERO)],
            exitable_at: 1_700_100_000,
            youngest_pos: tx.inputs[0].0,
        })
    };
    let pay = |pos: u64, to: Address, amount: u64| {
        Transaction::payment(vec![UtxoPos(pos)], vec![eth(to, amount)], B256::ZERO).unwrap()
    };
    let t = pay(b1000_pos + 1, carol.address(), 40);
    let t2 = pay(b1000_pos, bob.address(), 60);
    root_events(
        &store,
        3,
        vec![start(&t, carol.address()), start(&t2, bob.address())],
    )
    .await;
    for tx in [&t, &t2] {
        store
            .resolve_inflight_exit(tx.hash(), Some((tx.encode(), vec![])), 1_700_000_000)
            .await
            .unwrap();
    }
    let watchtower = keyless(&store);
    // First phase (until 1_700_001_800).
    watchtower.metrics.set_root_head(10, 1_700_000_100);
    assert_eq!(watchtower.step().await.unwrap(), 0, "no key, nothing sent");
    let open = |kind: &str| (kind.to_owned(), true);
    assert_eq!(
        in_flight_events(&store).await,
        [
            open("piggyback_available input:0"),
            open("piggyback_available output:0"),
            open("noncanonical_inflight_exit "),
            open("piggyback_available input:0"),
        ],
        "t: input 0 and output 0 available; t2: non-canonical, its input available, its output not (never paid)"
    );

    // Alice piggybacks t's input; bob t2's input, which is spent: invalid.
    let piggyback = |tx: &Transaction, owner: Address, amount: u64| {
        RootEvent::InFlight(InFlightEvent::Piggybacked {
            exit_id: tx.hash(),
            owner,
            is_output: false,
            index: 0,
            token: Address::ZERO,
            amount: U256::from(amount),
        })
    };
    root_events(
        &store,
        4,
        vec![
            piggyback(&t, alice.address(), 40),
            piggyback(&t2, bob.address(), 60),
        ],
    )
    .await;
    watchtower.step().await.unwrap();
    let events = store.byzantine_events().await.unwrap();
    let invalid = events
        .iter()
        .find(|e| e.kind.as_str() == "invalid_piggyback")
        .expect("invalid piggyback raised");
    assert_eq!(
        (invalid.exit_id, invalid.utxo_pos, invalid.resolved_at),
        (Some(t2.hash()), Some(b1000_pos), None)
    );
    let resolved_inputs = events
        .iter()
        .filter(|e| e.kind.as_str() == "piggyback_available" && e.key.ends_with("input:0"))
        .all(|e| e.resolved_at.is_some());
    assert!(resolved_inputs, "both input piggybacks made: {events:?}");

    // The first phase ends: carol's output piggyback is no longer available.
    watchtower.metrics.set_root_head(11, 1_700_002_000);
    watchtower.step().await.unwrap();
    let events = store.byzantine_events().await.unwrap();
    assert!(
        events
            .iter()
            .filter(|e| e.kind.as_str() == "piggyback_available")
            .all(|e| e.resolved_at.is_some()),
        "{events:?}"
    );
    let still_open: Vec<_> = events
        .iter()
        .filter(|e| e.resolved_at.is_none())
        .map(|e| e.kind.as_str())
        .collect();
    assert_eq!(
        still_open,
        ["noncanonical_inflight_exit", "invalid_piggyback"],
        "nobody challenged"
    );

    // Someone blocks bob's piggyback: resolved, still listed.
    root_events(
        &store,
        5,
        vec![RootEvent::InFlight(InFlightEvent::Blocked {
            exit_id: t2.hash(),
            challenger: carol.address(),
            is_output: false,
            index: 0,
        })],
    )
    .await;
    watchtower.step().await.unwrap();
    let events = store.byzantine_events().await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.kind.as_str() == "invalid_piggyback" && e.resolved_at.is_some())
    );
}
