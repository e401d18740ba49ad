//! In-flight exits from the user's side, through the `plasma` binary and its journal:
//! (1) the operator withholds the block that holds Alice's payment to Bob, and both
//! recover everything with an in-flight exit and piggybacks; (2) the operator censors a
//! signed payment and challenges Alice's standard exit of its input with the signature,
//! and Alice still recovers through the in-flight exit of the journaled transaction.
//! Balances to the wei, fees read from the chain.

use alloy::primitives::{Address, B256, U256};
use plasma_client::api::ChallengeData;
use plasma_client::user;
use plasma_core::signed::SignedTxWire;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{Net, dev, ether, tenths};
use crate::inflight_kit::{
    Bonds, CliUser, assert_eth, assert_payee, eth, fees_since, reported_fees, settle, wait_inflight,
};

const MEP: u64 = 60;

/// Alice's in-flight exit of journal entry 1 with her piggybacks (input 0 and output 1);
/// returns the exit id and the CLI's answer.
fn exit_and_piggyback(net: &Net, alice: &CliUser) -> (B256, Value) {
    let started = alice.run(net, &["exit", "--in-flight", "1", "--piggyback"]);
    assert_eq!(started["entry"]["state"], "in_flight_exited", "{started}");
    let slots: Vec<(bool, u64)> = started["piggybacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["isOutput"].as_bool().unwrap(),
                p["index"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(slots, [(false, 0), (true, 1)], "her input and her change");
    let id: B256 = serde_json::from_value(started["started"]["exitId"].clone()).unwrap();
    (id, started)
}

/// Bob piggybacks his output 0 naming the exit by its id (he has no journal entry).
async fn bob_piggybacks(net: &Net, bob: &CliUser, id: B256) -> Value {
    wait_inflight(net, id, "the indexer to follow the exit", |e| {
        e.tx_bytes.is_some()
    })
    .await;
    let done = bob.run(net, &["piggyback", "--tx", &format!("{id:#x}")]);
    assert_eq!(done.as_array().unwrap().len(), 1, "{done}");
    assert_eq!(done[0]["isOutput"], true);
    assert_eq!(done[0]["amount"], tenths(4).to_string());
    done
}

#[tokio::test(flavor = "multi_thread")]
async fn withheld_payment_both_parties_recover_through_the_in_flight_exit() {
    let net = Net::start(|c| {
        c.params.min_exit_period = MEP;
        c.operator_env
            .push(("PLASMA_OPERATOR_BYZANTINE".into(), "true".into()));
    })
    .await;
    let p = net.provider();
    let (alice, bob) = (CliUser::new(&dev(2)), CliUser::new(&dev(3)));
    let (alice_start, bob_start) = (eth(&p, alice.address).await, eth(&p, bob.address).await);
    let bonds = Bonds::read(&net.ctx(dev(2)).root).await;

    alice.run(&net, &["deposit", "--amount", "1"]);
    net.wait_utxos(alice.address, Address::ZERO, &[ether(1)])
        .await;
    net.inject_fault("withhold_next").await;
    let bob_hex = format!("{:#x}", bob.address);
    let sent = alice.run(&net, &["send", "--to", &bob_hex, "--amount", "0.4"]);
    assert_eq!(sent["journalId"], 1, "{sent}");
    net.wait_byzantine("block_withheld").await;

    // The journal holds it, acknowledged and never seen in a block.
    let status = alice.run(&net, &["status"]);
    let pending = &status["mine"]["pending"];
    assert_eq!(pending.as_array().unwrap().len(), 1, "{status}");
    assert_eq!(pending[0]["state"], "acknowledged");
    assert_eq!(pending[0]["txHash"], sent["txHash"]);

    let (id, started) = exit_and_piggyback(&net, &alice);
    assert_eq!(Value::String(format!("{id:#x}")), sent["txHash"]);
    let bob_done = bob_piggybacks(&net, &bob, id).await;
    tracing::info!(
        start = %started["started"]["gasUsed"],
        input_piggyback = %started["piggybacks"][0]["gasUsed"],
        output_piggybacks = %format!("{} {}", started["piggybacks"][1]["gasUsed"], bob_done[0]["gasUsed"]),
        "IN-FLIGHT EXIT GAS (1 input, 2 outputs)"
    );
    let status = alice.run(&net, &["status"]);
    assert_eq!(status["mine"]["pending"], serde_json::json!([]), "{status}");
    assert_eq!(
        status["mine"]["inFlightExits"][0]["exitId"], sent["txHash"],
        "{status}"
    );

    settle(&net, MEP, id, true).await;

    // Alice: her change; the IFE bond back less its bounty; each piggyback bond back less
    // its bounty. Bob: the payment, less his piggyback's bounty.
    let alice_cli_fees = reported_fees(&started);
    assert!(alice_cli_fees > U256::ZERO && alice_cli_fees < fees_since(&p, alice.address, 0).await);
    let lost = ether(1) + bonds.bounty * U256::from(3);
    assert_eth(
        &p,
        alice.address,
        alice_start,
        tenths(6),
        lost,
        "Alice to the wei",
    )
    .await;
    let bob_fees = fees_since(&p, bob.address, 0).await;
    assert_eq!(bob_fees, reported_fees(&bob_done), "Bob's only transaction");
    assert_payee(&p, bob.address, bob_start, tenths(4), &bonds).await;
    net.stack.stop().await.unwrap();
}

/// A censoring operator on a loopback port: it takes one submitted transaction and
/// answers `503 unavailable`; the transaction (with its signature) comes out.
async fn censor() -> (String, tokio::sync::oneshot::Receiver<SignedTxWire>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (mut conn, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let body = loop {
            let n = conn.read(&mut chunk).await.unwrap();
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).into_owned();
            if let Some(end) = text.find("\r\n\r\n") {
                let len: usize = text[..end]
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if buf.len() >= end + 4 + len {
                    break buf[end + 4..end + 4 + len].to_vec();
                }
            }
        };
        let answer = r#"{"error":{"code":"unavailable","message":"try again later"}}"#;
        let response = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        );
        conn.write_all(response.as_bytes()).await.unwrap();
        let _ = tx.send(serde_json::from_slice(&body).unwrap());
    });
    (url, rx)
}

#[tokio::test(flavor = "multi_thread")]
async fn censored_payment_challenged_exit_and_the_in_flight_exit_recovers() {
    let net = Net::start(|c| c.params.min_exit_period = MEP).await;
    let p = net.provider();
    let (alice, bob) = (CliUser::new(&dev(2)), CliUser::new(&dev(3)));
    let (alice_start, bob_start) = (eth(&p, alice.address).await, eth(&p, bob.address).await);
    let bonds = Bonds::read(&net.ctx(dev(2)).root).await;
    let exit_bond = net.stack.endpoints.deployment.exit_bond;

    let dep = alice.run(&net, &["deposit", "--amount", "1"]);
    let dep_pos = dep["utxoPos"].as_u64().unwrap();
    net.wait_utxos(alice.address, Address::ZERO, &[ether(1)])
        .await;
    let bob_hex = format!("{:#x}", bob.address);
    let send = ["send", "--to", &bob_hex, "--amount", "0.4"];

    // First the operator is unreachable: signed and journaled, never submitted.
    let closed = format!("http://127.0.0.1:{}", plasma_test_utils::free_port());
    let (ok, _, err) = alice.try_run(&net, Some(&closed), &send);
    assert!(!ok && err.contains("journal entry 1"), "{err}");
    let status = alice.run(&net, &["status"]);
    assert_eq!(status["mine"]["pending"][0]["state"], "signed", "{status}");
    // Then it takes the same payment (the same bytes: the same entry) and censors it.
    let (censor_url, captured) = censor().await;
    let (ok, _, err) = alice.try_run(&net, Some(&censor_url), &send);
    assert!(!ok && err.contains("journal entry 1"), "{err}");
    let signed = captured.await.unwrap();
    let status = alice.run(&net, &["status"]);
    let pending = status["mine"]["pending"].as_array().unwrap();
    assert_eq!(pending.len(), 1, "{status}");
    assert_eq!(
        (&pending[0]["state"], &pending[0]["code"]),
        (&Value::from("refused"), &Value::from("unavailable"))
    );
    assert_eq!(
        pending[0]["tx"],
        serde_json::to_value(&signed.tx).unwrap(),
        "the journal holds what the operator got"
    );

    // Alice exits the deposit; the censor challenges with her signature of the payment.
    alice.run(&net, &["exit", "--utxo-pos", &dep_pos.to_string()]);
    let censor_ctx = net.ctx(dev(5));
    let data = ChallengeData {
        utxo_pos: dep_pos,
        spending_tx: signed.tx.clone(),
        input_index: 0,
        signature: signed.signatures[0].clone(),
    };
    user::challenge_exit(&censor_ctx.root, &data, dev(5).address())
        .await
        .unwrap();

    // The in-flight exit of the journaled payment still gets both parties paid.
    let (id, _) = exit_and_piggyback(&net, &alice);
    assert_eq!(id, alloy::primitives::keccak256(&signed.tx));
    bob_piggybacks(&net, &bob, id).await;
    settle(&net, MEP, id, true).await;

    let lost = ether(1) + exit_bond + bonds.bounty * U256::from(3);
    let what = "Alice to the wei: her change, the challenged exit's bond lost";
    assert_eth(&p, alice.address, alice_start, tenths(6), lost, what).await;
    assert_payee(&p, bob.address, bob_start, tenths(4), &bonds).await;
    net.stack.stop().await.unwrap();
}
