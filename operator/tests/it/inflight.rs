//! An in-flight exit's inputs leave the child chain (docs/SPEC.md "Exits remove outputs
//! from the child chain"): once the follower hands over `InFlightExitStarted`, no new
//! spend of an input is admitted; a reorganisation that removes the start gives them back.

use alloy::primitives::{B256, U256};
use plasma_bindings::RootChain;
use plasma_follower::{Batch, Journal, RootChainEvents, RootLog};
use plasma_operator::{Node, NodeConfig};

use crate::common::{CHAIN_ID, Harness, Opts, key, payment, root_chain, test_domain};

/// A batch of one root-chain block holding the start of an in-flight exit of `inputs`.
fn in_flight_start(block: u64, inputs: &[u64]) -> Batch {
    let hash = B256::repeat_byte(block as u8);
    let event = RootChain::InFlightExitStarted {
        exitId: B256::repeat_byte(0xEE),
        starter: key(1).address(),
        inputUtxoPos: inputs.to_vec(),
        inputIds: vec![B256::ZERO; inputs.len()],
        exitableAt: 1_000,
        youngestPos: inputs[0],
    };
    Batch {
        logs: vec![RootLog {
            block,
            block_hash: hash,
            event: RootChainEvents::InFlightExitStarted(event),
        }],
        to: block,
        to_hash: hash,
    }
}

#[tokio::test]
async fn an_in_flight_exits_inputs_cannot_be_spent_until_a_reorganisation_removes_it() {
    let h = Harness::start(Opts::default()).await;
    let (alice, bob) = (key(1), key(2));
    let dom = test_domain();
    let dep = h.fund(1, alice.address(), 100).await;
    let other = h.fund(2, alice.address(), 100).await;

    Journal::apply(&*h.node, &in_flight_start(10, &[dep.get()]))
        .await
        .unwrap();
    let spend = payment(&[&alice], &dom, &[dep], &[(bob.address(), 100)]);
    let (status, body) = h.post("/v1/transactions", &spend).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("exiting_output")),
        "{body}"
    );
    assert_eq!(
        h.get("/v1/status").await.1["pendingTxs"],
        0,
        "nothing admitted"
    );
    // Outputs the exit does not name are untouched.
    let (status, body) = h
        .post(
            "/v1/transactions",
            &payment(&[&alice], &dom, &[other], &[(bob.address(), 100)]),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    // The start's root-chain block is reorganised away: the input is spendable again.
    Journal::rollback_to(&*h.node, 2, B256::repeat_byte(1))
        .await
        .unwrap();
    let (status, body) = h.post("/v1/transactions", &spend).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn an_in_flight_exits_inputs_stay_unspendable_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let open = || async {
        Node::open(NodeConfig {
            db_path: dir.path().join("operator.sqlite"),
            chain_id: CHAIN_ID,
            root_chain: root_chain(),
            block_size: 1_024,
            min_fee: U256::ZERO,
            max_batch: 10,
            byzantine: false,
            health: Default::default(),
        })
        .await
        .unwrap()
    };
    let alice = key(1);
    let node = open().await;
    let deposit = plasma_operator::node::Deposit {
        blknum: 1,
        output: plasma_core::Output {
            owner: alice.address(),
            token: alloy::primitives::Address::ZERO,
            amount: U256::from(5),
        },
        eth_block: 1,
        eth_block_hash: B256::repeat_byte(1),
    };
    node.apply_root_events(&[deposit], &[], (1, B256::repeat_byte(1)))
        .await
        .unwrap();
    let pos = plasma_core::UtxoPos::new(1, 0, 0).unwrap();
    Journal::apply(&*node, &in_flight_start(3, &[pos.get()]))
        .await
        .unwrap();
    drop(node);

    let node = open().await;
    let spend = payment(&[&alice], &test_domain(), &[pos], &[(key(2).address(), 5)]);
    let answer = node
        .submit(vec![serde_json::from_value(spend).unwrap()])
        .await;
    let code = answer[0].as_ref().map_err(|r| r.code());
    assert_eq!(code, Err("exiting_output"), "replayed from the store");
}
