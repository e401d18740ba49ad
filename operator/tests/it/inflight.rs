//! An in-flight exit's inputs and piggybacked outputs leave the child chain (docs/SPEC.md
//! "Exits remove outputs from the child chain"): once the follower hands over
//! `InFlightExitStarted`, no new spend of an input is admitted, nor of an output of the
//! included in-flight transaction once `InFlightExitPiggybacked` names it; a
//! reorganisation that removes the start gives them back.

use alloy::primitives::{B256, U256};
use plasma_bindings::RootChain;
use plasma_follower::{Batch, Journal, RootChainEvents, RootLog};
use plasma_operator::{Node, NodeConfig};

use crate::common::{CHAIN_ID, Harness, Opts, key, payment, root_chain, test_domain};

/// A batch of one root-chain block holding `event`.
fn batch(block: u64, event: RootChainEvents) -> Batch {
    let hash = B256::repeat_byte(block as u8);
    Batch {
        logs: vec![RootLog {
            block,
            block_hash: hash,
            event,
        }],
        to: block,
        to_hash: hash,
    }
}

/// A batch of one root-chain block holding the start of an in-flight exit of `inputs`.
fn in_flight_start(block: u64, inputs: &[u64]) -> Batch {
    let event = RootChain::InFlightExitStarted {
        exitId: B256::repeat_byte(0xEE),
        starter: key(1).address(),
        inputUtxoPos: inputs.to_vec(),
        inputIds: vec![B256::ZERO; inputs.len()],
        exitableAt: 1_000,
        youngestPos: inputs[0],
    };
    batch(block, RootChainEvents::InFlightExitStarted(event))
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

/// A batch of one root-chain block holding a piggyback on output `oindex` of `tx_hash`.
fn output_piggyback(block: u64, tx_hash: B256, oindex: u8) -> Batch {
    let event = RootChain::InFlightExitPiggybacked {
        exitId: tx_hash,
        owner: key(2).address(),
        isOutput: true,
        index: oindex,
        token: alloy::primitives::Address::ZERO,
        amount: U256::from(60),
    };
    batch(block, RootChainEvents::InFlightExitPiggybacked(event))
}

/// The piggyback comes while the in-flight transaction is still pending (the operator
/// acknowledged it before the exit): the output is refused once the block is sealed; a
/// reorganisation that removes the piggyback gives it back.
#[tokio::test]
async fn an_output_piggybacked_before_its_block_is_refused_once_sealed_until_reorganised() {
    let h = Harness::start(Opts::default()).await;
    let (alice, bob) = (key(1), key(2));
    let dom = test_domain();
    let dep = h.fund(1, alice.address(), 100).await;
    let pay = payment(
        &[&alice],
        &dom,
        &[dep],
        &[(bob.address(), 60), (alice.address(), 40)],
    );
    let (status, body) = h.post("/v1/transactions", &pay).await;
    assert_eq!(status, 201, "{body}");
    let tx_hash: B256 = serde_json::from_value(body["txHash"].clone()).unwrap();

    Journal::apply(&*h.node, &output_piggyback(10, tx_hash, 0))
        .await
        .unwrap();
    h.node.seal(1).await.unwrap().expect("sealed");
    let bobs = plasma_core::UtxoPos::new(1000, 0, 0).unwrap();
    let spend = payment(&[&bob], &dom, &[bobs], &[(bob.address(), 60)]);
    let (status, body) = h.post("/v1/transactions", &spend).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("exiting_output")),
        "{body}"
    );
    assert_eq!(h.get("/v1/status").await.1["pendingTxs"], 0);
    // The change is no part of the piggyback.
    let change = plasma_core::UtxoPos::new(1000, 0, 1).unwrap();
    let (status, body) = h
        .post(
            "/v1/transactions",
            &payment(&[&alice], &dom, &[change], &[(alice.address(), 40)]),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    Journal::rollback_to(&*h.node, 2, B256::repeat_byte(1))
        .await
        .unwrap();
    let (status, body) = h.post("/v1/transactions", &spend).await;
    assert_eq!(status, 201, "the piggyback reorganised away: {body}");
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
    node.apply_root_events(&[deposit], &[], &[], (1, B256::repeat_byte(1)))
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

/// Alice pays Bob; the operator includes it. Bob starts its in-flight exit and
/// piggybacks his output on the real contract, then tries to spend that output at the
/// real operator: refused as `exiting_output`, nothing admitted, across a restart too;
/// Alice's change, not piggybacked, stays spendable.
#[tokio::test]
async fn a_piggybacked_output_of_an_included_transaction_cannot_be_spent() {
    use crate::chain_env::{ChainEnv, OperatorProc};
    use crate::exits::{caught_up, refused};
    use alloy::primitives::Bytes;
    use plasma_bindings::IInFlightExitTypes;
    use plasma_core::{deposit::deposit_tx, merkle::MerkleTree};
    use plasma_test_utils::chain::{signer, wallet_provider};

    const ETH: u64 = 1_000_000_000_000_000_000;
    let env = ChainEnv::start().await;
    let data_dir = env.dir.path().join("op");
    let op = OperatorProc::start(&env, &data_dir, 1, &[]).await;
    let (alice, bob) = (env.user.clone(), signer(&env.anvil, 2));
    let dep = env.deposit(2 * ETH).await;
    env.mine(2).await;
    op.wait_status("deposit credited", |s| s["utxos"] == 1)
        .await;

    // Alice → Bob 1 ETH, 1 ETH change; sealed in block 1000 and submitted.
    let input = plasma_core::UtxoPos::new(dep, 0, 0).unwrap();
    let pay = payment(
        &[&alice],
        &env.domain,
        &[input],
        &[(bob.address(), ETH), (alice.address(), ETH)],
    );
    let (status, body) = op.post("/v1/transactions", &pay).await;
    assert_eq!(status, 201, "{body}");
    op.wait_status("block 1000 submitted", |s| {
        s["latestSubmittedBlock"] == 1000
    })
    .await;
    let tx: Bytes = serde_json::from_value(pay["tx"].clone()).unwrap();
    let sigs: Vec<Bytes> = serde_json::from_value(pay["signatures"].clone()).unwrap();

    // Bob exits it in flight and piggybacks his output 0.
    let (ev, _) = env
        .root
        .DepositCreated_filter()
        .from_block(0)
        .query()
        .await
        .unwrap()
        .pop()
        .unwrap();
    let dep_tx = deposit_tx(dep, ev.owner, ev.token, ev.amount).encode();
    let args = IInFlightExitTypes::StartArgs {
        inFlightTx: tx.clone(),
        inputTxs: vec![dep_tx.clone()],
        inputUtxoPos: vec![input.get()],
        inputProofs: vec![MerkleTree::from_txs([&dep_tx]).unwrap().proof(0).unwrap()],
        inputBlockTimestamps: vec![ev.timestamp],
        inputSignatures: sigs,
    };
    let from_bob = RootChain::new(*env.root.address(), wallet_provider(&env.anvil, 2));
    let bonds = (
        from_bob.IFE_BOND().call().await.unwrap(),
        from_bob.PIGGYBACK_BOND().call().await.unwrap(),
    );
    let start = from_bob.startInFlightExit(args).value(bonds.0);
    let sent = start.send().await.unwrap();
    assert!(sent.get_receipt().await.unwrap().status());
    let piggyback = from_bob.piggybackInFlightExitOnOutput(tx, 0).value(bonds.1);
    let sent = piggyback.send().await.unwrap();
    assert!(sent.get_receipt().await.unwrap().status());
    env.mine(2).await;
    caught_up(&env, &op, 1).await;
    op.wait_log("output piggyback recorded").await;

    // Bob's spend of the piggybacked output: refused, state intact.
    let bobs = plasma_core::UtxoPos::new(1000, 0, 0).unwrap();
    let spend = payment(&[&bob], &env.domain, &[bobs], &[(bob.address(), ETH)]);
    refused(&op, &spend, 409, "exiting_output").await;

    // Across a restart, from the stored piggyback.
    op.kill();
    let op = OperatorProc::start(&env, &data_dir, 1, &[]).await;
    refused(&op, &spend, 409, "exiting_output").await;

    // Alice's change is no part of any exit: spendable.
    let change = plasma_core::UtxoPos::new(1000, 0, 1).unwrap();
    let (status, body) = op
        .post(
            "/v1/transactions",
            &payment(&[&alice], &env.domain, &[change], &[(alice.address(), ETH)]),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    op.kill();
}
