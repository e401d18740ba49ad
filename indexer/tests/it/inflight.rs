//! In-flight exits against real anvil and the real contracts: the indexer follows every
//! in-flight event through restarts and reorganisations, raises the in-flight byzantine
//! events, and its watchtower challenges cheaters with its key and collects the bonds.

use crate::{chain::*, helpers::*};
use alloy::{
    primitives::{Address, B256, Bytes, U256},
    providers::{DynProvider, Provider},
    signers::local::PrivateKeySigner,
};
use plasma_bindings::IInFlightExitTypes;
use plasma_core::{position::UtxoPos, sign, tx::Transaction};
use plasma_indexer::store::{InFlightExit, InFlightStatus, InFlightStore, PiggybackStatus};
use std::time::Duration;

/// Bonds at 500 gwei per gas (see the contract constants).
async fn bonds(chain: &Chain) -> (U256, U256, U256, U256) {
    let c = chain.contract(0);
    (
        c.IFE_BOND().call().await.unwrap(),
        c.PIGGYBACK_BOND().call().await.unwrap(),
        c.SPENT_CHALLENGER_SHARE().call().await.unwrap(),
        c.CANONICITY_SHARE().call().await.unwrap(),
    )
}

/// A signed payment of `inputs` into `outputs`, as a transaction and its signatures.
pub(crate) fn signed_payment(
    chain: &Chain,
    inputs: &[(u64, &PrivateKeySigner)],
    outputs: Vec<plasma_core::tx::Output>,
) -> (Transaction, Vec<Bytes>) {
    let positions = inputs.iter().map(|(p, _)| UtxoPos(*p)).collect();
    let tx = Transaction::payment(positions, outputs, B256::ZERO).unwrap();
    let sigs = inputs
        .iter()
        .map(|(_, k)| Bytes::from(sign::sign(k, &tx, &chain.domain).unwrap().to_vec()))
        .collect();
    (tx, sigs)
}

/// Mines `sent` and returns its receipt, asserting success when `ok`.
pub(crate) async fn mined(
    sent: Result<
        alloy::providers::PendingTransactionBuilder<alloy::network::Ethereum>,
        alloy::contract::Error,
    >,
    ok: bool,
) -> alloy::rpc::types::TransactionReceipt {
    let receipt = sent.expect("sent").get_receipt().await.expect("mined");
    assert_eq!(receipt.status(), ok, "{receipt:?}");
    receipt
}

/// `startInFlightExit` from `key` for `tx` whose inputs are outputs the indexer at `api`
/// serves exit data for.
pub(crate) async fn start_ife(
    chain: &Chain,
    api: &str,
    key: usize,
    tx: &Transaction,
    sigs: &[Bytes],
) -> bool {
    let (mut txs, mut proofs, mut stamps) = (Vec::new(), Vec::new(), Vec::new());
    for input in &tx.inputs {
        let (_, d) = get_json(&format!("{api}/v1/outputs/{}/exit-data", input.0)).await;
        let hex = |v: &serde_json::Value| -> Bytes { v.as_str().unwrap().parse().unwrap() };
        txs.push(hex(&d["txBytes"]));
        proofs.push(hex(&d["proof"]));
        stamps.push(U256::from(d["blockTimestamp"].as_u64().unwrap()));
    }
    let args = IInFlightExitTypes::StartArgs {
        inFlightTx: tx.encode(),
        inputTxs: txs,
        inputUtxoPos: tx.inputs.iter().map(|p| p.0).collect(),
        inputProofs: proofs,
        inputBlockTimestamps: stamps,
        inputSignatures: sigs.to_vec(),
    };
    let (bond, ..) = bonds(chain).await;
    let c = chain.contract(key);
    let call = c.startInFlightExit(args).value(bond);
    call.send()
        .await
        .expect("sent")
        .get_receipt()
        .await
        .expect("mined")
        .status()
}

/// Waits (10 s at most) until the in-flight exit in the database at `path` satisfies `done`.
pub(crate) async fn wait_ife(
    path: &std::path::Path,
    exit_id: B256,
    what: &str,
    done: impl Fn(Option<&InFlightExit>) -> bool,
) -> Option<InFlightExit> {
    let store = open_store(path).await;
    for _ in 0..200 {
        let exit = store.inflight_exit(exit_id).await.unwrap();
        if done(exit.as_ref()) {
            store.close().await;
            return exit;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn rpc_raw(rpc: &DynProvider, method: &'static str, params: serde_json::Value) {
    let _: serde_json::Value = rpc.raw_request(method.into(), params).await.unwrap();
}

#[tokio::test]
async fn in_flight_exit_is_followed_through_piggybacks_reorgs_and_restarts() {
    let chain = Chain::start().await;
    let (dir, fresh_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let db = dir.path().join("indexer.sqlite");
    let feed = FeedDouble::start().await;
    let rpc = chain.provider(0);
    let (bob, carol) = (chain.keys[2].clone(), chain.keys[3].clone());
    let (service, api) = chain.indexer(dir.path(), &feed.url, None, 60).await;
    chain.deposit_and_pay(&feed, &api, ETH / 2).await;

    // Bob pays carol; the operator withholds it: bob exits it in flight.
    let (t, sigs) = signed_payment(
        &chain,
        &[(B1000, &bob)],
        vec![eth(carol.address(), ETH / 2)],
    );
    assert!(start_ife(&chain, &api, 2, &t, &sigs).await);
    let id = t.hash();
    let exit = wait_ife(&db, id, "start resolved", |e| {
        e.is_some_and(|e| e.tx.is_some() && e.started_at.is_some())
    })
    .await
    .unwrap();
    let view = chain.contract(0).inFlightExit(id).call().await.unwrap();
    assert_eq!(
        exit.tx.as_ref(),
        Some(&t.encode()),
        "bytes from the calldata"
    );
    assert_eq!(exit.starter, bob.address());
    assert_eq!(exit.started_at, Some(view.startedAt));
    assert_eq!(exit.exitable_at, view.exitableAt);
    assert_eq!(exit.youngest_pos, view.youngestPos);
    assert_eq!(
        exit.inputs
            .iter()
            .map(|i| (i.index, i.pos))
            .collect::<Vec<_>>(),
        [(0, B1000)]
    );
    assert_eq!(exit.inputs[0].input_id, view.inputIds[0]);
    assert_eq!(exit.status, InFlightStatus::Active);

    // Both piggyback: bob his input, carol her output.
    let (_, piggyback_bond, ..) = bonds(&chain).await;
    let from_bob = chain.contract(2);
    let input_tx = chain_input_tx(&api, B1000).await;
    mined(
        from_bob
            .piggybackInFlightExitOnInput(id, 0, input_tx)
            .value(piggyback_bond)
            .send()
            .await,
        true,
    )
    .await;
    let from_carol = chain.contract(3);
    mined(
        from_carol
            .piggybackInFlightExitOnOutput(t.encode(), 0)
            .value(piggyback_bond)
            .send()
            .await,
        true,
    )
    .await;
    let exit = wait_ife(&db, id, "two piggybacks", |e| {
        e.is_some_and(|e| e.piggybacks.len() == 2)
    })
    .await
    .unwrap();
    let seen: Vec<_> = exit
        .piggybacks
        .iter()
        .map(|p| (p.is_output, p.index, p.owner, p.amount, p.status))
        .collect();
    assert_eq!(
        seen,
        [
            (
                false,
                0,
                bob.address(),
                U256::from(ETH / 2),
                PiggybackStatus::Active
            ),
            (
                true,
                0,
                carol.address(),
                U256::from(ETH / 2),
                PiggybackStatus::Active
            ),
        ]
    );
    service.stop().await.unwrap();

    // While stopped, a reorganisation drops carol's piggyback; the new chain is longer.
    rpc_raw(&rpc, "anvil_rollback", serde_json::json!([1])).await;
    for _ in 0..3 {
        rpc_raw(&rpc, "evm_mine", serde_json::json!([])).await;
    }
    let (service, api) = chain.indexer(dir.path(), &feed.url, None, 60).await;
    let head = rpc.get_block_number().await.unwrap();
    wait_for(&format!("{api}/v1/status"), "synced", |s| {
        s["root"]["storedUpTo"] == head
    })
    .await;
    let exit = wait_ife(&db, id, "rolled back", |e| {
        e.is_some_and(|e| e.piggybacks.len() == 1)
    })
    .await
    .unwrap();
    assert_eq!(
        exit.piggybacks[0].owner,
        bob.address(),
        "bob's piggyback stays"
    );

    // A fresh indexer on the final chain has exactly the same in-flight tables.
    let (fresh, fresh_api) = chain.indexer(fresh_dir.path(), &feed.url, None, 60).await;
    wait_for(&format!("{fresh_api}/v1/status"), "synced", |s| {
        s["root"]["storedUpTo"] == head && s["child"]["valid"] == 1000
    })
    .await;
    wait_ife(
        &fresh_dir.path().join("indexer.sqlite"),
        id,
        "resolved",
        |e| e.is_some_and(|e| e.started_at.is_some()),
    )
    .await;
    fresh.stop().await.unwrap();
    service.stop().await.unwrap();
    assert_eq!(
        inflight_dump(&db).await,
        inflight_dump(&fresh_dir.path().join("indexer.sqlite")).await
    );

    // A deeper reorganisation removes the start itself (and bob's piggyback).
    let (service, api) = chain.indexer(dir.path(), &feed.url, None, 60).await;
    rpc_raw(&rpc, "anvil_rollback", serde_json::json!([5])).await;
    rpc_raw(&rpc, "evm_mine", serde_json::json!([])).await;
    for _ in 0..6 {
        rpc_raw(&rpc, "evm_mine", serde_json::json!([])).await;
    }
    let head = rpc.get_block_number().await.unwrap();
    wait_for(&format!("{api}/v1/status"), "synced", |s| {
        s["root"]["storedUpTo"] == head
    })
    .await;
    wait_ife(&db, id, "start rolled back", |e| e.is_none()).await;
    let status = wait_for(&format!("{api}/v1/status"), "status", |_| true).await;
    assert!(
        status["byzantineEvents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["inFlightExitId"].is_null()),
        "events about the vanished exit are gone: {status}"
    );
    service.stop().await.unwrap();
}

/// The transaction that created `pos`, as the indexer serves it.
pub(crate) async fn chain_input_tx(api: &str, pos: u64) -> Bytes {
    let (_, d) = get_json(&format!("{api}/v1/outputs/{pos}/exit-data")).await;
    d["txBytes"].as_str().unwrap().parse().unwrap()
}

/// The in-flight tables as JSON strings (wall-clock columns left out).
async fn inflight_dump(path: &std::path::Path) -> Vec<String> {
    let tables = [
        (
            "inflight_exits",
            "exit_id",
            "hex(exit_id), hex(starter), exitable_at, youngest_pos, started_root_block, hex(tx_bytes), started_at",
        ),
        (
            "inflight_inputs",
            "exit_id, idx",
            "hex(exit_id), idx, pos, hex(input_id)",
        ),
        (
            "inflight_log",
            "id",
            "hex(exit_id), root_block, kind, hex(actor), is_output, idx, hex(token), amount, hex(tx_hash), pos, flag",
        ),
    ];
    dump_tables(path, &tables).await
}

/// An indexer with the watchtower key 9 over `chain`, after key 1's deposit of 1 ETH paid
/// half to key 2 in block 1000: its directory, database, feed, service and API URL.
async fn watched(
    chain: &Chain,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    FeedDouble,
    plasma_indexer::Service,
    String,
) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("indexer.sqlite");
    let feed = FeedDouble::start().await;
    let (service, api) = chain.indexer(dir.path(), &feed.url, Some(9), 60).await;
    chain.deposit_and_pay(&feed, &api, ETH / 2).await;
    (dir, db, feed, service, api)
}

/// Publishes block `blknum` holding `tx` on `feed` and submits its root.
async fn publish_and_submit(
    chain: &Chain,
    feed: &FeedDouble,
    blknum: u64,
    tx: &Transaction,
    signatures: Vec<Bytes>,
) {
    let b = block(
        blknum,
        vec![plasma_indexer::feed::FeedTx {
            tx: tx.encode(),
            signatures,
        }],
    );
    feed.publish(b.clone());
    chain.submit(b.root).await;
}

/// Balance of `who`.
async fn balance(chain: &Chain, who: Address) -> U256 {
    chain.provider(0).get_balance(who).await.unwrap()
}

/// Gas paid for the transaction `hash`.
async fn gas_of(chain: &Chain, hash: B256) -> U256 {
    let r = chain
        .provider(0)
        .get_transaction_receipt(hash)
        .await
        .unwrap()
        .expect("receipt");
    U256::from(r.gas_used) * U256::from(r.effective_gas_price)
}

/// The transaction the watchtower recorded for `action` on `index` of exit `id`.
async fn action_tx(
    path: &std::path::Path,
    id: B256,
    action: plasma_indexer::store::InFlightAction,
    index: u8,
) -> Option<B256> {
    let store = open_store(path).await;
    let tx = store.inflight_action(id, action, index).await.unwrap();
    store.close().await;
    tx
}

/// What the watchtower (key 9) earned since its balance was `before`, net of the gas of
/// the actions it recorded for exit `id`.
async fn earned(
    chain: &Chain,
    db: &std::path::Path,
    id: B256,
    actions: &[(plasma_indexer::store::InFlightAction, u8)],
    before: U256,
) -> U256 {
    let mut gas = U256::ZERO;
    for (action, index) in actions {
        // The watchtower records an action once its receipt is in, which can be after
        // the follower has already seen the action's event.
        let mut tx = None;
        for _ in 0..100 {
            tx = action_tx(db, id, *action, *index).await;
            if tx.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let tx = tx.expect("recorded");
        gas += gas_of(chain, tx).await;
    }
    balance(chain, chain.keys[9].address()).await + gas - before
}

/// Moves the root chain past `at` and processes ETH exits from key 0.
async fn process_after(chain: &Chain, at: u64) {
    let rpc = chain.provider(0);
    let head = rpc
        .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
        .await
        .unwrap()
        .unwrap();
    let wait = at.saturating_sub(head.header.timestamp) + 1;
    rpc_raw(&rpc, "evm_increaseTime", serde_json::json!([wait])).await;
    rpc_raw(&rpc, "evm_mine", serde_json::json!([])).await;
    let c = chain.contract(0);
    mined(
        c.processExits(Address::ZERO, U256::from(10)).send().await,
        true,
    )
    .await;
}

/// Kinds of the byzantine events about exit `id`, with whether each is resolved.
fn events_of(status: &serde_json::Value, id: B256) -> Vec<(String, bool)> {
    status["byzantineEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["inFlightExitId"] == format!("{id:#x}"))
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["resolvedAt"].is_u64(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_cheaters_in_flight_exit_of_a_spent_input_is_challenged_and_the_bonds_collected() {
    use plasma_indexer::store::InFlightAction;
    let chain = Chain::start().await;
    let (dir, db, feed, service, api) = watched(&chain).await;
    let watcher = chain.keys[9].address();
    let alice = chain.keys[1].clone();

    // Alice spent her deposit in block 1000; she signs a second spend of it and exits
    // that in flight, piggybacking the deposit to get it back as well.
    let (t, sigs) = signed_payment(&chain, &[(D1, &alice)], vec![eth(alice.address(), ETH)]);
    let deposit =
        plasma_core::deposit::deposit_tx(1, alice.address(), Address::ZERO, U256::from(ETH));
    let proof = plasma_core::merkle::MerkleTree::from_txs([deposit.encode()])
        .unwrap()
        .proof(0)
        .unwrap();
    let (_, block1) = get_json(&format!("{api}/v1/blocks/1")).await;
    let (ife_bond, piggyback_bond, spent_share, canonicity_share) = bonds(&chain).await;
    let before = balance(&chain, watcher).await;
    let args = IInFlightExitTypes::StartArgs {
        inFlightTx: t.encode(),
        inputTxs: vec![deposit.encode()],
        inputUtxoPos: vec![D1],
        inputProofs: vec![proof],
        inputBlockTimestamps: vec![U256::from(block1["timestamp"].as_u64().unwrap())],
        inputSignatures: sigs,
    };
    // (The indexer is down meanwhile, so its actions come after both, in a known order.)
    service.stop().await.unwrap();
    let from_alice = chain.contract(1);
    mined(
        from_alice
            .startInFlightExit(args)
            .value(ife_bond)
            .send()
            .await,
        true,
    )
    .await;
    let id = t.hash();
    mined(
        from_alice
            .piggybackInFlightExitOnInput(id, 0, deposit.encode())
            .value(piggyback_bond)
            .send()
            .await,
        true,
    )
    .await;
    let (service, api) = chain.indexer(dir.path(), &feed.url, Some(9), 60).await;

    // The watchtower challenges the canonicity with the included spend, and the
    // piggyback with the same spend; it names itself both times.
    let exit = wait_ife(&db, id, "both challenges seen", |e| {
        e.is_some_and(|e| {
            e.status == InFlightStatus::NonCanonical
                && e.piggybacks
                    .first()
                    .is_some_and(|p| p.status == PiggybackStatus::Blocked)
        })
    })
    .await
    .unwrap();
    assert_eq!(exit.challenges.len(), 1);
    assert_eq!(exit.challenges[0].challenger, watcher);
    assert_eq!(
        exit.challenges[0].competitor_pos, B1000,
        "the included competitor"
    );
    assert_eq!(exit.piggybacks[0].blocked_by, Some(watcher));
    let actions = [
        (InFlightAction::ChallengeCanonicity, 0),
        (InFlightAction::ChallengeInput, 0),
    ];
    assert_eq!(
        earned(&chain, &db, id, &actions, before).await,
        spent_share,
        "the input-spent challenger's share arrived, to the wei"
    );
    let status = wait_for(&format!("{api}/v1/status"), "resolved", |s| {
        let events = events_of(s, id);
        events.len() >= 2 && events.iter().all(|(_, resolved)| *resolved)
    })
    .await;
    let kinds: Vec<String> = events_of(&status, id).into_iter().map(|(k, _)| k).collect();
    assert!(
        kinds.contains(&"noncanonical_inflight_exit".to_owned()),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"invalid_piggyback".to_owned()), "{kinds:?}");

    // A restart does not act again.
    service.stop().await.unwrap();
    let nonce = chain
        .provider(0)
        .get_transaction_count(watcher)
        .await
        .unwrap();
    let (service, api) = chain.indexer(dir.path(), &feed.url, Some(9), 60).await;
    let head = chain.provider(0).get_block_number().await.unwrap();
    wait_for(&format!("{api}/v1/status"), "synced", |s| {
        s["root"]["storedUpTo"] == head
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        chain
            .provider(0)
            .get_transaction_count(watcher)
            .await
            .unwrap(),
        nonce,
        "nothing sent twice"
    );

    // A reorganisation drops both challenges from the root chain: the watchtower forgets
    // them and sends them again, and the contract has them again.
    let rpc = chain.provider(0);
    rpc_raw(&rpc, "anvil_rollback", serde_json::json!([2])).await;
    let view = chain.contract(0).inFlightExit(id).call().await.unwrap();
    assert!(view.canonical, "the challenges are gone from the chain");
    rpc_raw(&rpc, "evm_mine", serde_json::json!([])).await;
    let mut view = chain.contract(0).inFlightExit(id).call().await.unwrap();
    for _ in 0..200 {
        if !view.canonical && view.piggybacked == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        view = chain.contract(0).inFlightExit(id).call().await.unwrap();
    }
    assert_eq!(
        (view.canonical, view.bondOwner, view.piggybacked),
        (false, watcher, 0),
        "non-canonical again, the canonicity share named to the watchtower, the piggyback removed"
    );
    let head = rpc.get_block_number().await.unwrap();
    wait_for(&format!("{api}/v1/status"), "synced", |s| {
        s["root"]["storedUpTo"] == head
    })
    .await;
    let exit = wait_ife(&db, id, "challenged again", |e| {
        e.is_some_and(|e| {
            e.status == InFlightStatus::NonCanonical
                && e.piggybacks[0].status == PiggybackStatus::Blocked
        })
    })
    .await
    .unwrap();
    assert_eq!(
        exit.challenges.len(),
        1,
        "the reorganised challenge is gone"
    );
    assert_eq!(exit.challenges[0].challenger, watcher);
    let metrics = get_text(&format!("{api}/metrics")).await;
    assert!(
        metrics.contains("plasma_indexer_reorgs_total 1"),
        "{metrics}"
    );

    // Processing finalizes the non-canonical exit: the canonicity share goes to the
    // watchtower, alice gets nothing back.
    let alice_before = balance(&chain, alice.address()).await;
    let mid = balance(&chain, watcher).await;
    process_after(&chain, exit.exitable_at).await;
    let exit = wait_ife(&db, id, "finalized", |e| {
        e.is_some_and(|e| e.status == InFlightStatus::Finalized)
    })
    .await
    .unwrap();
    assert_eq!(exit.decided_canonical, Some(false));
    assert_eq!(exit.finalized_bond_owner, Some(watcher));
    assert_eq!(balance(&chain, watcher).await - mid, canonicity_share);
    assert_eq!(balance(&chain, alice.address()).await, alice_before);
    service.stop().await.unwrap();
}

#[tokio::test]
async fn an_invalid_canonicity_challenge_is_answered_and_a_spent_output_piggyback_challenged() {
    use plasma_indexer::store::InFlightAction;
    let chain = Chain::start().await;
    let (_dir, db, feed, service, api) = watched(&chain).await;
    let watcher = chain.keys[9].address();
    let (bob, carol, dave) = (
        chain.keys[2].clone(),
        chain.keys[3].clone(),
        chain.keys[4].clone(),
    );

    // Block 2000 includes bob's payment to carol.
    let (t, sigs) = signed_payment(
        &chain,
        &[(B1000, &bob)],
        vec![eth(carol.address(), ETH / 2)],
    );
    publish_and_submit(&chain, &feed, 2000, &t, sigs.clone()).await;
    wait_for(&format!("{api}/v1/status"), "2000 valid", |s| {
        s["child"]["valid"] == 2000
    })
    .await;

    // Carol exits it in flight with the indexer's StartArgs.
    let response = reqwest::Client::new()
        .post(format!("{api}/v1/inflight-exit-data"))
        .json(&serde_json::json!({"txBytes": t.encode(), "signatures": sigs}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let data: plasma_rpc_types::indexer::InFlightExitData = response.json().await.unwrap();
    let (ife_bond, piggyback_bond, spent_share, canonicity_share) = bonds(&chain).await;
    let args = IInFlightExitTypes::StartArgs {
        inFlightTx: data.in_flight_tx,
        inputTxs: data.input_txs,
        inputUtxoPos: data.input_utxo_pos,
        inputProofs: data.input_proofs,
        inputBlockTimestamps: data
            .input_block_timestamps
            .into_iter()
            .map(U256::from)
            .collect(),
        inputSignatures: data.input_signatures,
    };
    let from_carol = chain.contract(3);
    mined(
        from_carol
            .startInFlightExit(args)
            .value(ife_bond)
            .send()
            .await,
        true,
    )
    .await;
    let id = t.hash();
    assert_eq!(data.exit_id, id);

    // First phase: bob and carol may piggyback; carol does.
    let status = wait_for(&format!("{api}/v1/status"), "piggybacks available", |s| {
        events_of(s, id).len() == 2
    })
    .await;
    assert_eq!(
        events_of(&status, id),
        [
            ("piggyback_available".to_owned(), false),
            ("piggyback_available".to_owned(), false)
        ]
    );
    mined(
        from_carol
            .piggybackInFlightExitOnOutput(t.encode(), 0)
            .value(piggyback_bond)
            .send()
            .await,
        true,
    )
    .await;

    // Bob signs another spend of his input and challenges the canonicity with it.
    let (t3, sigs3) = signed_payment(&chain, &[(B1000, &bob)], vec![eth(bob.address(), ETH / 2)]);
    let before = balance(&chain, watcher).await;
    let c = IInFlightExitTypes::CanonicityChallenge {
        exitId: id,
        inputIndex: 0,
        inputTx: chain_input_tx_raw(&feed_block_1000(&chain)),
        competingTx: t3.encode(),
        competingInputIndex: 0,
        competingTxPos: 0,
        competingProof: Bytes::new(),
        competingBlockTimestamp: U256::ZERO,
        competingSignature: sigs3[0].clone(),
        challenger: bob.address(),
    };
    mined(
        chain
            .contract(2)
            .challengeInFlightExitNotCanonical(c)
            .send()
            .await,
        true,
    )
    .await;

    // The watchtower answers with the inclusion proof: canonical again, its bond.
    let exit = wait_ife(&db, id, "answered", |e| {
        e.is_some_and(|e| e.response.is_some() && e.status == InFlightStatus::Active)
    })
    .await
    .unwrap();
    assert_eq!(exit.response, Some((watcher, 2000 * 1_000_000_000)));
    assert_eq!(exit.challenges[0].competitor_pos, u64::MAX);

    // Carol spends her output in block 3000: her piggyback is now invalid.
    let (t4, sigs4) = signed_payment(
        &chain,
        &[(2000 * 1_000_000_000, &carol)],
        vec![eth(dave.address(), ETH / 2)],
    );
    publish_and_submit(&chain, &feed, 3000, &t4, sigs4).await;
    let exit = wait_ife(&db, id, "output blocked", |e| {
        e.is_some_and(|e| {
            e.piggybacks
                .first()
                .is_some_and(|p| p.status == PiggybackStatus::Blocked)
        })
    })
    .await
    .unwrap();
    assert_eq!(exit.piggybacks[0].blocked_by, Some(watcher));
    let actions = [
        (InFlightAction::Respond, 1),
        (InFlightAction::ChallengeOutput, 0),
    ];
    assert_eq!(
        earned(&chain, &db, id, &actions, before).await,
        spent_share,
        "the output-spent challenger's share, to the wei"
    );
    let status = wait_for(&format!("{api}/v1/status"), "resolved", |s| {
        let events = events_of(s, id);
        events
            .iter()
            .any(|(k, _)| k == "invalid_canonicity_challenge")
            && events.iter().any(|(k, _)| k == "invalid_piggyback")
            && events
                .iter()
                .filter(|(k, _)| k != "piggyback_available")
                .all(|(_, r)| *r)
    })
    .await;
    assert!(
        events_of(&status, id)
            .iter()
            .any(|(k, resolved)| k == "piggyback_available" && *resolved),
        "carol's piggyback resolved hers"
    );

    // Processing: canonical; the canonicity share goes to the watchtower.
    let mid = balance(&chain, watcher).await;
    process_after(&chain, exit.exitable_at).await;
    let exit = wait_ife(&db, id, "finalized", |e| {
        e.is_some_and(|e| e.status == InFlightStatus::Finalized)
    })
    .await
    .unwrap();
    assert_eq!(exit.decided_canonical, Some(true));
    assert_eq!(balance(&chain, watcher).await - mid, canonicity_share);
    service.stop().await.unwrap();
}

/// Block 1000 of `deposit_and_pay(…, ETH / 2)`.
fn feed_block_1000(chain: &Chain) -> Transaction {
    let (alice, bob) = (&chain.keys[1], &chain.keys[2]);
    signed_payment(
        chain,
        &[(D1, alice)],
        vec![eth(bob.address(), ETH / 2), eth(alice.address(), ETH / 2)],
    )
    .0
}

fn chain_input_tx_raw(tx: &Transaction) -> Bytes {
    tx.encode()
}

#[tokio::test]
async fn exits_of_outputs_no_valid_block_holds_are_raised() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let feed = FeedDouble::start().await;
    let (service, api) = chain.indexer(dir.path(), &feed.url, None, 60).await;
    let (alice, bob) = (chain.keys[1].clone(), chain.keys[2].clone());
    chain.deposit_and_pay(&feed, &api, ETH / 2).await;

    // A byzantine operator includes a second spend of alice's deposit in block 2000.
    let (double, sigs) = signed_payment(&chain, &[(D1, &alice)], vec![eth(alice.address(), ETH)]);
    publish_and_submit(&chain, &feed, 2000, &double, sigs).await;
    wait_for(&format!("{api}/v1/status"), "invalid block", |s| {
        s["child"]["halted"] == true
    })
    .await;
    let (_, block2000) = get_json(&format!("{api}/v1/blocks/2000")).await;
    let timestamp = block2000["timestamp"].as_u64().unwrap();
    let proof = plasma_core::merkle::MerkleTree::from_txs([double.encode()])
        .unwrap()
        .proof(0)
        .unwrap();
    let b2000_out = 2000 * 1_000_000_000;

    // Its output exits: the contract accepts the proof, the indexer raises it.
    assert!(
        chain
            .start_exit(1, b2000_out, double.encode(), proof.clone(), timestamp)
            .await
    );
    let status = wait_for(&format!("{api}/v1/status"), "unknown output", |s| {
        s["byzantineEvents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "exit_of_unknown_output")
    })
    .await;
    let event = status["byzantineEvents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "exit_of_unknown_output")
        .unwrap()
        .clone();
    assert_eq!(event["utxoPos"], b2000_out);
    assert!(event["resolvedAt"].is_null());

    // An in-flight exit spending that output too.
    let (t, sigs) = signed_payment(
        &chain,
        &[(b2000_out, &alice)],
        vec![eth(bob.address(), ETH)],
    );
    let (ife_bond, ..) = bonds(&chain).await;
    let args = IInFlightExitTypes::StartArgs {
        inFlightTx: t.encode(),
        inputTxs: vec![double.encode()],
        inputUtxoPos: vec![b2000_out],
        inputProofs: vec![proof],
        inputBlockTimestamps: vec![U256::from(timestamp)],
        inputSignatures: sigs,
    };
    mined(
        chain
            .contract(1)
            .startInFlightExit(args)
            .value(ife_bond)
            .send()
            .await,
        true,
    )
    .await;
    let id = t.hash();
    let status = wait_for(
        &format!("{api}/v1/status"),
        "in-flight unknown input",
        |s| {
            events_of(s, id)
                .iter()
                .any(|(k, _)| k == "exit_of_unknown_output")
        },
    )
    .await;
    let event = status["byzantineEvents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["kind"] == "exit_of_unknown_output" && e["inFlightExitId"] == format!("{id:#x}")
        })
        .unwrap()
        .clone();
    assert_eq!(event["utxoPos"], b2000_out);
    assert!(event["resolvedAt"].is_null());
    service.stop().await.unwrap();
}

#[tokio::test]
async fn two_in_flight_exits_of_a_double_spend_are_both_challenged() {
    let chain = Chain::start().await;
    let (_dir, db, _feed, service, api) = watched(&chain).await;
    let watcher = chain.keys[9].address();
    let (bob, carol, dave) = (
        chain.keys[2].clone(),
        chain.keys[3].clone(),
        chain.keys[4].clone(),
    );

    // Bob signs two payments of the same output, neither included; each payee exits hers.
    let (t1, sigs1) = signed_payment(
        &chain,
        &[(B1000, &bob)],
        vec![eth(carol.address(), ETH / 2)],
    );
    let (t2, sigs2) = signed_payment(&chain, &[(B1000, &bob)], vec![eth(dave.address(), ETH / 2)]);
    assert!(start_ife(&chain, &api, 3, &t1, &sigs1).await);
    assert!(start_ife(&chain, &api, 4, &t2, &sigs2).await);

    // Each is challenged with the other (not shown included: it ranks last).
    for (id, other) in [(t1.hash(), t2.hash()), (t2.hash(), t1.hash())] {
        let exit = wait_ife(&db, id, "challenged with the other", |e| {
            e.is_some_and(|e| e.status == InFlightStatus::NonCanonical)
        })
        .await
        .unwrap();
        assert_eq!(exit.signatures.len(), 1, "signatures from the calldata");
        let c = &exit.challenges[0];
        assert_eq!(
            (c.challenger, c.competing_tx_hash, c.competitor_pos),
            (watcher, other, u64::MAX)
        );
    }
    let status = wait_for(&format!("{api}/v1/status"), "resolved", |s| {
        [t1.hash(), t2.hash()].iter().all(|id| {
            events_of(s, *id)
                .iter()
                .any(|(k, resolved)| k == "noncanonical_inflight_exit" && *resolved)
        })
    })
    .await;
    assert!(
        events_of(&status, t1.hash())
            .iter()
            .all(|(k, _)| k != "invalid_canonicity_challenge"),
        "neither is included: the challenges are valid"
    );

    // The API serves the other exit's transaction as t1's competitor, unincluded.
    let response = reqwest::Client::new()
        .post(format!("{api}/v1/inflight-exit-competitor"))
        .json(&serde_json::json!({"txBytes": t1.encode()}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let competitor: serde_json::Value = response.json().await.unwrap();
    let (_, doc) = get_json(&format!("{api}/openapi.json")).await;
    let schema = &doc["paths"]["/v1/inflight-exit-competitor"]["post"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    plasma_service::openapi_check::conforms(&competitor, schema, &doc, "competitor").unwrap();
    assert_eq!(competitor["competingTxHash"], format!("{:#x}", t2.hash()));
    assert_eq!(
        competitor["competingSignature"],
        serde_json::json!(sigs2[0])
    );
    assert_eq!(competitor["competingInclusion"], serde_json::Value::Null);
    service.stop().await.unwrap();
}
