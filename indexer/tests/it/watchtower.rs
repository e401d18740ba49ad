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
    let watchtower = Watchtower {
        store: store.clone(),
        root_chain: root_chain(),
        challenger: None,
        maturity_warning: 1800,
        metrics: Arc::new(Metrics::default()),
        min_exit_period: 3600,
        proofs: Arc::new(plasma_indexer::proofs::ProofCache::new(4)),
    };
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
