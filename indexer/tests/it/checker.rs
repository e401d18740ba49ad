//! The block checker against the feed double: valid blocks are stored, invalid blocks and
//! withheld blocks raise the right byzantine events, and later blocks are not trusted.

use crate::helpers::*;
use alloy::primitives::{Address, Bytes, U256};
use plasma_indexer::{checker::Step, feed::FeedTx};
use std::time::Duration;

#[tokio::test]
async fn valid_block_is_stored_with_in_block_spends() {
    let (_dir, store, feed) = seeded().await;
    let b = valid_block_1000();
    root_events(&store, 2, vec![submitted(&b)]).await;
    feed.publish(b);
    let checker = checker(&store, &feed.url, test_domain(), Duration::from_secs(60));
    assert_eq!(checker.step().await.unwrap(), Step::Valid(1000));
    assert_eq!(checker.step().await.unwrap(), Step::Idle);
    let carol = store.utxos(key(3).address()).await.unwrap();
    assert_eq!(carol.len(), 1);
    assert_eq!(
        (carol[0].pos.0, carol[0].output.amount),
        (B1000 + 10_000, U256::from(105))
    );
    assert!(
        store.utxos(key(2).address()).await.unwrap().is_empty(),
        "bob spent everything"
    );
    assert_eq!(
        store.utxos(key(1).address()).await.unwrap()[0]
            .output
            .amount,
        U256::from(40)
    );
    assert!(store.byzantine_events().await.unwrap().is_empty());
}

/// Each invalid block of this list must raise `invalid_block` with a reason naming it.
#[tokio::test]
async fn invalid_blocks_raise_invalid_block_and_halt() {
    let d = test_domain();
    let (alice, bob) = (key(1), key(2));
    let cases: Vec<(&str, Vec<FeedTx>)> = vec![
        (
            "spent twice",
            vec![payment(&d, &[(D1, &alice)], vec![eth(bob.address(), 1)]); 2],
        ),
        (
            "signature",
            vec![payment(&d, &[(D1, &bob)], vec![eth(bob.address(), 100)])],
        ),
        (
            "does not exist",
            vec![payment(
                &d,
                &[(D1 * 3, &alice)],
                vec![eth(bob.address(), 1)],
            )],
        ),
        (
            "exceed",
            vec![payment(&d, &[(D1, &alice)], vec![eth(bob.address(), 101)])],
        ),
        (
            "tx 0",
            vec![FeedTx {
                tx: Bytes::from(vec![1, 1, 1, 0]),
                signatures: vec![],
            }],
        ),
        (
            "type",
            vec![FeedTx {
                tx: plasma_core::deposit::deposit_tx(
                    5,
                    alice.address(),
                    Address::ZERO,
                    U256::from(1),
                )
                .encode(),
                signatures: vec![],
            }],
        ),
    ];
    for (needle, txs) in cases {
        let (_dir, store, feed) = seeded().await;
        let bad = block(1000, txs);
        let later = block(
            2000,
            vec![payment(&d, &[(D2, &bob)], vec![eth(bob.address(), 50)])],
        );
        root_events(&store, 2, vec![submitted(&bad), submitted(&later)]).await;
        feed.publish(bad);
        feed.publish(later.clone());
        let checker = checker(&store, &feed.url, d.clone(), Duration::from_secs(60));
        assert_eq!(
            checker.step().await.unwrap(),
            Step::Invalid(1000),
            "{needle}"
        );
        assert_eq!(
            checker.step().await.unwrap(),
            Step::Idle,
            "halted after an invalid block"
        );
        let events = store.byzantine_events().await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(
            (events[0].kind.as_str(), events[0].blknum),
            ("invalid_block", Some(1000))
        );
        assert!(
            events[0].detail.contains(needle),
            "{needle}: {}",
            events[0].detail
        );
        // A block committed after the invalid one is untrusted, and so is one seen later.
        let next = block(3000, vec![]);
        root_events(&store, 3, vec![submitted(&next)]).await;
        let blocks = store.blocks(u64::MAX / 2, 10).await.unwrap();
        let status: Vec<_> = blocks
            .iter()
            .map(|b| (b.blknum, b.status.as_str()))
            .collect();
        assert_eq!(
            status[..3],
            [(3000, "untrusted"), (2000, "untrusted"), (1000, "invalid")]
        );
        assert_eq!(
            store.utxos(key(2).address()).await.unwrap().len(),
            1,
            "deposit 2 stays unspent"
        );
    }
}

#[tokio::test]
async fn withheld_block_is_raised_blocks_later_ones_and_resolves_when_published() {
    let (_dir, store, feed) = seeded().await;
    let d = test_domain();
    let b1000 = valid_block_1000();
    let b2000 = block(
        2000,
        vec![payment(
            &d,
            &[(B1000 + 1, &key(1))],
            vec![eth(key(4).address(), 40)],
        )],
    );
    root_events(&store, 2, vec![submitted(&b1000), submitted(&b2000)]).await;
    feed.publish(b2000);
    // Published data that does not hash to the root is not the block: still withheld.
    let mut wrong = b1000.clone();
    wrong.transactions.pop();
    feed.publish(wrong);
    let checker = checker(&store, &feed.url, d, Duration::ZERO);
    assert_eq!(checker.step().await.unwrap(), Step::Unavailable(1000));
    assert_eq!(
        checker.step().await.unwrap(),
        Step::Unavailable(1000),
        "2000 waits for 1000"
    );
    let events = store.byzantine_events().await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (
            events[0].kind.as_str(),
            events[0].blknum,
            events[0].resolved_at
        ),
        ("block_withheld", Some(1000), None)
    );
    assert!(
        events[0].detail.contains("hashes to"),
        "{}",
        events[0].detail
    );
    assert!(store.utxos(key(4).address()).await.unwrap().is_empty());

    feed.publish(b1000);
    assert_eq!(checker.step().await.unwrap(), Step::Valid(1000));
    assert_eq!(checker.step().await.unwrap(), Step::Valid(2000));
    let events = store.byzantine_events().await.unwrap();
    assert_eq!(events.len(), 1, "the event stays visible");
    assert!(events[0].resolved_at.is_some(), "and is resolved");
    assert_eq!(
        store.utxos(key(4).address()).await.unwrap()[0]
            .output
            .amount,
        U256::from(40)
    );
}
