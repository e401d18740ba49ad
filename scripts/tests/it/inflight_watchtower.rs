//! In-flight exits the watchtower (the indexer with a key) defends: (3) Alice double-spends
//! an input of her included payment in flight — the watchtower challenges the exit's
//! canonicity and her input piggyback, and Bob, the honest party, is paid; (4) a false
//! canonicity challenge against an included payment — the watchtower answers with the
//! inclusion proof and the exit is processed as canonical. Users act through the `plasma`
//! binary, the cheater through the client library; balances to the wei.

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::Provider;
use plasma_client::api::{CompetitorData, InFlightExitData};
use plasma_client::user::{self, exit_data_in_block};
use plasma_core::{position::UtxoPos, sign, tx::Output, tx::Transaction};
use plasma_devnet::stack::WATCHTOWER_ACCOUNT;
use serde_json::Value;

use crate::harness::{Net, dev, ether, tenths};
use crate::inflight_kit::{
    Bonds, CliUser, assert_eth, assert_payee, eth, fees_since, settle, wait_inflight,
};

const MEP: u64 = 60;

/// Alice's deposit of 1 ETH and her journaled payment of `amount` to Bob, included:
/// returns the deposit's CLI answer and the payment's.
async fn deposit_and_pay(net: &Net, alice: &CliUser, bob: Address, amount: &str) -> (Value, Value) {
    let dep = alice.run(net, &["deposit", "--amount", "1"]);
    net.wait_utxos(alice.address, Address::ZERO, &[ether(1)])
        .await;
    let to = format!("{bob:#x}");
    let sent = alice.run(
        net,
        &["send", "--to", &to, "--amount", amount, "--wait", "30"],
    );
    assert_eq!(
        (&sent["included"], &sent["journalId"]),
        (&Value::from(true), &Value::from(1))
    );
    let status = alice.run(net, &["status"]);
    assert_eq!(
        status["mine"]["pending"],
        serde_json::json!([]),
        "included: {status}"
    );
    (dep, sent)
}

/// A payment of deposit `dep` (its CLI answer) back to its owner, signed by `signer`:
/// the second spend of an already spent input.
fn double_spend(
    net: &Net,
    dep: &Value,
    signer: &alloy::signers::local::PrivateKeySigner,
) -> (Transaction, Bytes) {
    let pos = UtxoPos(dep["utxoPos"].as_u64().unwrap());
    let out = Output {
        owner: signer.address(),
        token: Address::ZERO,
        amount: ether(1),
    };
    let tx = Transaction::payment(vec![pos], vec![out], B256::repeat_byte(0xd5)).unwrap();
    let d = &net.stack.endpoints.deployment;
    let sig = sign::sign(signer, &tx, &sign::domain(d.chain_id, d.root_chain)).unwrap();
    (tx, Bytes::copy_from_slice(&sig))
}

/// The deposit's transaction bytes.
fn deposit_bytes(dep: &Value) -> Bytes {
    let parse = |k: &str| dep[k].as_str().unwrap().parse().unwrap();
    plasma_core::deposit::deposit_tx(
        dep["blknum"].as_u64().unwrap(),
        parse("owner"),
        parse("token"),
        dep["amount"].as_str().unwrap().parse().unwrap(),
    )
    .encode()
}

/// Alice's claim that exit `id` is non-canonical: another signed spend of the deposit,
/// never included.
fn false_competitor(net: &Net, dep: &Value, id: B256) -> CompetitorData {
    let (tx3, sig) = double_spend(net, dep, &dev(2));
    CompetitorData {
        exit_id: id,
        input_index: 0,
        input_utxo_pos: dep["utxoPos"].as_u64().unwrap(),
        input_tx: deposit_bytes(dep),
        competing_tx: tx3.encode(),
        competing_tx_hash: tx3.hash(),
        competing_input_index: 0,
        competing_signature: sig,
        competing_inclusion: None,
    }
}

/// The watchtower's balance now (pinned to a block) and that block.
async fn watchtower_now(net: &Net) -> (Address, U256, u64) {
    let p = net.provider();
    let w = dev(WATCHTOWER_ACCOUNT).address();
    let block = p.get_block_number().await.unwrap();
    let balance = p.get_balance(w).block_id(block.into()).await.unwrap();
    (w, balance, block)
}

#[tokio::test(flavor = "multi_thread")]
async fn double_spend_in_flight_is_challenged_by_the_watchtower_and_the_payee_is_paid() {
    let net = Net::start(|c| c.params.min_exit_period = MEP).await;
    let p = net.provider();
    let (alice, bob) = (CliUser::new(&dev(2)), CliUser::new(&dev(3)));
    let (alice_start, bob_start) = (eth(&p, alice.address).await, eth(&p, bob.address).await);
    let bonds = Bonds::read(&net.ctx(dev(2)).root).await;
    let (dep, _) = deposit_and_pay(&net, &alice, bob.address, "1").await;
    let bob_utxo = net
        .wait_utxos(bob.address, Address::ZERO, &[ether(1)])
        .await[0]
        .utxo_pos;

    // Alice signs a second spend of the deposit and exits it in flight with both piggybacks.
    let (tx2, sig) = double_spend(&net, &dep, &dev(2));
    let dep_tx = deposit_bytes(&dep);
    let proof = exit_data_in_block(
        dep["blknum"].as_u64().unwrap(),
        dep["timestamp"].as_u64().unwrap(),
        std::slice::from_ref(&dep_tx),
        0,
        0,
    )
    .unwrap();
    let data = InFlightExitData {
        exit_id: tx2.hash(),
        in_flight_tx: tx2.encode(),
        input_txs: vec![dep_tx.clone()],
        input_utxo_pos: vec![proof.utxo_pos],
        input_proofs: vec![proof.proof],
        input_block_timestamps: vec![proof.block_timestamp],
        input_signatures: vec![sig],
    };
    let (w, w_before, from) = watchtower_now(&net).await;
    let cheat = net.ctx(dev(2));
    let started = user::start_in_flight_exit(&cheat.root, &data)
        .await
        .unwrap();
    assert_eq!(started.bond, bonds.ife);
    user::piggyback_input(&cheat.root, started.exit_id, 0, &dep_tx)
        .await
        .unwrap();
    user::piggyback_output(&cheat.root, &tx2.encode(), 0)
        .await
        .unwrap();

    let exit = wait_inflight(&net, started.exit_id, "both challenges", |e| {
        !e.canonical
            && e.piggybacks
                .iter()
                .any(|p| !p.is_output && p.status == "blocked")
    })
    .await;
    assert_eq!(
        exit.challenges[0].challenger, w,
        "the watchtower's canonicity challenge"
    );
    // A later challenge with the same competitor is refused, naming the contract's error.
    let id = format!("{:#x}", started.exit_id);
    let (ok, _, err) = bob.try_run(
        &net,
        None,
        &["challenge", "--in-flight", &id, "--case", "non-canonical"],
    );
    assert!(
        !ok && err.contains("InFlightExit_CompetitorNotOlder"),
        "{err}"
    );

    // Bob exits his output; processing pays him and settles the cheat's exit.
    bob.run(&net, &["exit", "--utxo-pos", &bob_utxo.to_string()]);
    settle(&net, MEP, started.exit_id, false).await;

    let bounty = net.stack.endpoints.deployment.process_bounty;
    assert_eth(
        &p,
        bob.address,
        bob_start,
        ether(1),
        bounty,
        "Bob paid to the wei",
    )
    .await;
    let lost = ether(1) + bonds.ife + bonds.piggyback + bonds.bounty;
    let what = "Alice loses her IFE bond and her challenged input piggyback's bond";
    assert_eth(&p, alice.address, alice_start, U256::ZERO, lost, what).await;
    let w_fees = fees_since(&p, w, from + 1).await;
    assert_eq!(
        eth(&p, w).await,
        w_before - w_fees + bonds.canonicity + bonds.spent,
        "the watchtower earns both shares, to the wei"
    );
    net.stack.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn false_canonicity_challenge_is_answered_and_the_exit_is_canonical() {
    let net = Net::start(|c| c.params.min_exit_period = MEP).await;
    let p = net.provider();
    let (alice, bob) = (CliUser::new(&dev(2)), CliUser::new(&dev(3)));
    let (alice_start, bob_start) = (eth(&p, alice.address).await, eth(&p, bob.address).await);
    let bonds = Bonds::read(&net.ctx(dev(2)).root).await;
    let (dep, sent) = deposit_and_pay(&net, &alice, bob.address, "0.4").await;

    // Alice exits her included payment in flight and piggybacks her change; Bob his output.
    let started = alice.run(&net, &["exit", "--in-flight", "1"]);
    assert_eq!(started["piggybacks"], serde_json::json!([]));
    let id: B256 = serde_json::from_value(sent["txHash"].clone()).unwrap();
    let mine = alice.run(&net, &["piggyback", "--tx", "1", "--output", "1"]);
    assert_eq!(mine[0]["amount"], tenths(6).to_string());
    wait_inflight(&net, id, "the exit followed", |e| e.tx_bytes.is_some()).await;
    bob.run(&net, &["piggyback", "--tx", &format!("{id:#x}")]);

    // Alice signs another spend of the deposit and claims the exit non-canonical with it.
    let (w, w_before, from) = watchtower_now(&net).await;
    let c = false_competitor(&net, &dep, id);
    let challenged = user::challenge_non_canonical(&net.ctx(dev(2)).root, &c, alice.address)
        .await
        .unwrap();
    assert_eq!(challenged.competitor_pos, u64::MAX, "not shown included");

    // The watchtower answers with the inclusion proof.
    let exit = wait_inflight(&net, id, "the response", |e| {
        e.canonical && e.response_tx_pos.is_some()
    })
    .await;
    assert_eq!(exit.response_tx_pos, Some(1_000 * 1_000_000_000));
    let (ok, _, err) = bob.try_run(
        &net,
        None,
        &[
            "challenge",
            "--in-flight",
            &format!("{id:#x}"),
            "--case",
            "respond",
        ],
    );
    assert!(
        !ok && err.contains("InFlightExit_"),
        "answered already: {err}"
    );

    settle(&net, MEP, id, true).await;

    let lost = ether(1) + bonds.ife + bonds.bounty;
    let what = "Alice: her change; her IFE bond's share went to the responder";
    assert_eth(&p, alice.address, alice_start, tenths(6), lost, what).await;
    assert_payee(&p, bob.address, bob_start, tenths(4), &bonds).await;
    let w_fees = fees_since(&p, w, from + 1).await;
    assert_eq!(
        eth(&p, w).await,
        w_before - w_fees + bonds.canonicity,
        "the responder earns the canonicity share"
    );
    net.stack.stop().await.unwrap();
}

/// The same false canonicity challenge with an indexer that has no key: the payee's own
/// `plasma watch` answers it with the inclusion proof and earns the canonicity share.
#[tokio::test(flavor = "multi_thread")]
async fn the_payees_watcher_answers_a_false_canonicity_challenge() {
    let net = Net::start(|c| {
        c.params.min_exit_period = MEP;
        c.watchtower_key = false;
    })
    .await;
    let (alice, bob) = (CliUser::new(&dev(2)), CliUser::new(&dev(3)));
    let (dep, sent) = deposit_and_pay(&net, &alice, bob.address, "0.4").await;
    alice.run(&net, &["exit", "--in-flight", "1"]);
    let id: B256 = serde_json::from_value(sent["txHash"].clone()).unwrap();
    wait_inflight(&net, id, "the exit followed", |e| e.tx_bytes.is_some()).await;
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("bob-watch.log");
    let watcher = bob.watch(&net, &log);

    let c = false_competitor(&net, &dep, id);
    user::challenge_non_canonical(&net.ctx(dev(2)).root, &c, alice.address)
        .await
        .unwrap();
    let exit = wait_inflight(&net, id, "Bob's watcher's response", |e| {
        e.canonical && e.response_tx_pos.is_some()
    })
    .await;
    assert_eq!(exit.response_tx_pos, Some(1_000 * 1_000_000_000));
    let printed = std::fs::read_to_string(&log).unwrap();
    assert!(
        printed.contains("\"event\": \"defended\"") && printed.contains("\"action\": \"respond\""),
        "{printed}"
    );
    let view = net.ctx(dev(3)).root.inFlightExit(id).call().await.unwrap();
    assert_eq!(
        view.bondOwner, bob.address,
        "Bob answered: the share is his"
    );
    watcher
        .stop(std::time::Duration::from_secs(5))
        .await
        .unwrap();
    net.stack.stop().await.unwrap();
}
