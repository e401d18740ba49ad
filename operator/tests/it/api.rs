//! The HTTP API over a real socket: acceptance, the block feed, and every rejection with
//! its specific code, leaving the state untouched.

use alloy::primitives::Address;
use plasma_core::{UtxoPos, block::BlockData, sign::domain};
use serde_json::{Value, json};

use crate::common::{CHAIN_ID, Harness, Opts, key, payment, root_chain, test_domain};

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<none>")
}

#[tokio::test]
async fn accepts_a_payment_and_publishes_the_block() {
    let h = Harness::start(Opts::default()).await;
    let (alice, bob) = (key(1), key(2));
    let dom = test_domain();
    let dep = h.fund(1, alice.address(), 100).await;

    let (status, body) = h
        .post(
            "/v1/transactions",
            &payment(
                &[&alice],
                &dom,
                &[dep],
                &[(bob.address(), 60), (alice.address(), 40)],
            ),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let hash = body["txHash"].as_str().unwrap().to_owned();
    assert_eq!(h.get("/v1/status").await.1["pendingTxs"], 1);
    assert_eq!(h.get("/v1/blocks/latest").await.0, 404);

    let sealed = h.node.seal(1).await.unwrap().unwrap();
    assert_eq!(sealed.blknum, 1000);
    let (status, block) = h.get("/v1/blocks/1000").await;
    assert_eq!(status, 200);
    let data: BlockData = serde_json::from_value(block.clone()).unwrap();
    assert!(data.root_matches());
    assert_eq!(data.root, sealed.root);
    assert_eq!(data.transactions[0].hash().to_string(), hash);
    assert_eq!(data.transactions[0].signatures.len(), 1);
    assert_eq!(h.get("/v1/blocks/latest").await.1, block);
    assert_eq!(code(&h.get("/v1/blocks/2000").await.1), "not_found");
    assert_eq!(code(&h.get("/v1/blocks/abc").await.1), "malformed_request");
    // One spelling per value; no overflow past the last possible block.
    for path in [
        "/v1/blocks/+1000",
        "/v1/blocks/01000",
        "/v1/blocks/18446744073709551615",
    ] {
        let (status, body) = h.get(path).await;
        assert_eq!((status, code(&body)), (400, "malformed_request"), "{path}");
    }

    // Bob spends his new output of block 1000.
    let bobs = UtxoPos::new(1000, 0, 0).unwrap();
    let (status, _) = h
        .post(
            "/v1/transactions",
            &payment(&[&bob], &dom, &[bobs], &[(alice.address(), 60)]),
        )
        .await;
    assert_eq!(status, 201);

    let status = h.get("/v1/status").await.1;
    assert_eq!(status["latestSealedBlock"], 1000);
    assert_eq!(status["nextBlock"], 2000);
    assert_eq!(status["healthy"], true);
    let (s, metrics) = h.get_text("/metrics").await;
    assert_eq!(s, 200);
    assert!(
        metrics.contains("plasma_operator_txs_accepted_total 2\n"),
        "{metrics}"
    );
    assert!(metrics.contains("plasma_operator_blocks_sealed_total 1\n"));
    assert_eq!(h.get("/health").await.1, json!({"status": "ok"}));
    let (s, doc) = h.get("/openapi.json").await;
    assert_eq!(s, 200);
    assert!(doc["paths"]["/v1/transactions/batch"]["post"].is_object());
}

/// Snapshot of what a rejection must not change.
async fn state(h: &Harness) -> (Value, Value, i64) {
    let s = h.get("/v1/status").await.1;
    (
        s["pendingTxs"].clone(),
        s["utxos"].clone(),
        h.node.store().tx_count().await.unwrap(),
    )
}

#[tokio::test]
async fn rejects_bad_input_with_specific_codes_and_leaves_state_untouched() {
    let h = Harness::start(Opts {
        min_fee: 1,
        ..Opts::default()
    })
    .await;
    let (alice, bob, mallory) = (key(1), key(2), key(3));
    let dom = test_domain();
    let a = h.fund(1, alice.address(), 100).await;
    let spent_dep = h.fund(2, alice.address(), 100).await;
    let pending_dep = h.fund(3, alice.address(), 100).await;
    let ok = |inputs: &[UtxoPos]| payment(&[&alice], &dom, inputs, &[(bob.address(), 99)]);
    // Another transaction spending the same inputs (the same one again is a resubmission).
    let rival = |inputs: &[UtxoPos]| payment(&[&alice], &dom, inputs, &[(bob.address(), 98)]);

    // One spent in a sealed block, one spent by a pending transaction.
    assert_eq!(h.post("/v1/transactions", &ok(&[spent_dep])).await.0, 201);
    h.node.seal(1).await.unwrap().unwrap();
    assert_eq!(h.post("/v1/transactions", &ok(&[pending_dep])).await.0, 201);
    let before = state(&h).await;

    let valid = ok(&[a]);
    let mut trailing = valid.clone();
    trailing["tx"] = json!(format!("{}00", valid["tx"].as_str().unwrap()));
    let mut high_v = valid.clone();
    let sig = valid["signatures"][0].as_str().unwrap();
    high_v["signatures"][0] = json!(format!("{}1d", &sig[..sig.len() - 2]));
    let mut no_sig = valid.clone();
    no_sig["signatures"] = json!([]);
    let mut not_hex = valid.clone();
    not_hex["tx"] = json!("0xzz");
    let deposit_tx = plasma_core::deposit::deposit_tx(
        1,
        alice.address(),
        Address::ZERO,
        alloy::primitives::U256::from(1),
    );
    let two_outs = |to: u64, change: u64| {
        payment(
            &[&alice],
            &dom,
            &[a],
            &[(bob.address(), to), (alice.address(), change)],
        )
    };

    let cases: Vec<(&str, Value, u16, &str)> = vec![
        ("trailing byte", trailing, 400, "malformed_tx"),
        ("not hex", not_hex, 400, "malformed_tx"),
        (
            "deposit type",
            json!({"tx": deposit_tx.encode().to_string(), "signatures": []}),
            400,
            "malformed_tx",
        ),
        ("v = 29", high_v, 400, "bad_signature"),
        ("missing signature", no_sig, 400, "bad_signature"),
        (
            "signed by someone else",
            payment(&[&mallory], &dom, &[a], &[(bob.address(), 99)]),
            400,
            "bad_signature",
        ),
        (
            "wrong chain id in the domain",
            payment(
                &[&alice],
                &domain(CHAIN_ID + 1, root_chain()),
                &[a],
                &[(bob.address(), 99)],
            ),
            400,
            "bad_signature",
        ),
        (
            "wrong contract in the domain",
            payment(
                &[&alice],
                &domain(CHAIN_ID, Address::repeat_byte(0xdd)),
                &[a],
                &[(bob.address(), 99)],
            ),
            400,
            "bad_signature",
        ),
        (
            "unknown input",
            ok(&[UtxoPos::new(7, 0, 0).unwrap()]),
            422,
            "unknown_input",
        ),
        ("spent input", rival(&[spent_dep]), 422, "spent_input"),
        (
            "double spend of a pending input",
            rival(&[pending_dep]),
            409,
            "double_spend",
        ),
        (
            "value creation",
            two_outs(60, 41),
            422,
            "value_not_conserved",
        ),
        (
            "fee below the minimum",
            two_outs(60, 40),
            422,
            "fee_too_low",
        ),
        (
            "missing field",
            json!({"tx": valid["tx"]}),
            400,
            "malformed_request",
        ),
    ];
    for (name, body, status, want) in cases {
        let (s, answer) = h.post("/v1/transactions", &body).await;
        assert_eq!((s, code(&answer)), (status, want), "{name}: {answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{name}"
        );
        assert_eq!(state(&h).await, before, "{name} changed the state");
    }
    let (s, answer) = h.post_raw("/v1/transactions", b"{not json".to_vec()).await;
    assert_eq!((s, code(&answer)), (400, "malformed_request"));
    let (s, answer) = h.post_raw("/v1/transactions", vec![b' '; 65 * 1024]).await;
    assert_eq!((s, code(&answer)), (413, "payload_too_large"));
    let (s, answer) = h
        .post(
            "/v1/transactions/batch",
            &json!({"transactions": vec![valid.clone(); 51]}),
        )
        .await;
    assert_eq!((s, code(&answer)), (413, "batch_too_large"));
    let msg = h
        .post(
            "/v1/transactions",
            &json!({"tx": "0x010000", "signatures": []}),
        )
        .await
        .1;
    assert!(
        msg["error"]["message"]
            .as_str()
            .unwrap()
            .contains("BadInputCount"),
        "decode rule named: {msg}"
    );
    assert_eq!(state(&h).await, before);

    // Resubmissions of acknowledged transactions (sealed, pending) are idempotent.
    for tx in [ok(&[spent_dep]), ok(&[pending_dep])] {
        let (s, answer) = h.post("/v1/transactions", &tx).await;
        assert_eq!(s, 201, "{answer}");
        assert!(answer["txHash"].is_string(), "{answer}");
    }
    assert_eq!(state(&h).await, before, "a resubmission changed the state");

    // Double spend within one batch: the first wins, the second is rejected alone.
    let (s, answer) = h
        .post(
            "/v1/transactions/batch",
            &json!({"transactions": [valid, two_outs(50, 49)]}),
        )
        .await;
    assert_eq!(s, 200);
    let results = answer["results"].as_array().unwrap();
    assert!(results[0]["txHash"].is_string(), "{answer}");
    assert_eq!(code(&results[1]), "double_spend");
    let after = state(&h).await;
    assert_eq!(after.2, before.2 + 1, "exactly one more logged transaction");
    let (s, metrics) = h.get_text("/metrics").await;
    assert_eq!(s, 200);
    assert!(
        metrics.contains("plasma_operator_txs_rejected_total{code=\"double_spend\"} 2"),
        "{metrics}"
    );
}

#[tokio::test]
async fn answers_the_framework_makes_carry_the_envelope_and_change_nothing() {
    let h = Harness::start(Opts::default()).await;
    let alice = key(1);
    let dep = h.fund(1, alice.address(), 100).await;
    let before = state(&h).await;
    let body = payment(&[&alice], &test_domain(), &[dep], &[(alice.address(), 100)]);
    let text_body = h
        .http
        .post(format!("{}/v1/transactions", h.url))
        .header("content-type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let wrong_method = h
        .http
        .delete(format!("{}/v1/transactions", h.url))
        .send()
        .await
        .unwrap();
    let long = h
        .http
        .get(format!("{}/v1/blocks/{}", h.url, "1".repeat(9000)))
        .send()
        .await
        .unwrap();
    let undecodable = h
        .http
        .get(format!("{}/v1/blocks/%FF", h.url))
        .send()
        .await
        .unwrap();
    for (r, status, want) in [
        (text_body, 415, "unsupported_media_type"),
        (wrong_method, 405, "method_not_allowed"),
        (long, 414, "uri_too_long"),
        (undecodable, 400, "malformed_request"),
    ] {
        assert_eq!(r.status(), status, "{want}");
        let answer: Value = r.json().await.unwrap();
        assert_eq!(code(&answer), want, "{answer}");
    }
    assert_eq!(state(&h).await, before, "nothing was admitted");
}

#[tokio::test]
async fn fault_injection_is_off_by_default_and_works_when_enabled() {
    let plain = Harness::start(Opts::default()).await;
    let (s, answer) = plain
        .post("/admin/byzantine", &json!({"action": "invalid_tx"}))
        .await;
    assert_eq!((s, code(&answer)), (404, "not_found"));

    let h = Harness::start(Opts {
        byzantine: true,
        ..Opts::default()
    })
    .await;
    let (s, answer) = h
        .post("/admin/byzantine", &json!({"action": "invalid_tx"}))
        .await;
    assert_eq!(s, 201, "{answer}");
    let sealed = h.node.seal(1).await.unwrap().unwrap();
    let block: BlockData =
        serde_json::from_value(h.get(&format!("/v1/blocks/{}", sealed.blknum)).await.1).unwrap();
    assert!(block.root_matches());
    let input = block.transactions[0].tx.inputs[0];
    assert!(
        !h.node
            .store()
            .deposits()
            .await
            .unwrap()
            .iter()
            .any(|d| d.blknum == input.blknum())
    );

    assert_eq!(
        h.post("/admin/byzantine", &json!({"action": "withhold_next"}))
            .await
            .0,
        200
    );
    let alice = key(1);
    let dep = h.fund(1, alice.address(), 10).await;
    assert_eq!(
        h.post(
            "/v1/transactions",
            &payment(&[&alice], &test_domain(), &[dep], &[(alice.address(), 10)])
        )
        .await
        .0,
        201
    );
    let withheld = h.node.seal(1).await.unwrap().unwrap();
    assert_eq!(
        code(&h.get(&format!("/v1/blocks/{}", withheld.blknum)).await.1),
        "not_found"
    );
    assert_eq!(
        h.get("/v1/status").await.1["latestSealedBlock"],
        withheld.blknum
    );
}

#[tokio::test]
async fn response_shapes() {
    let h = Harness::start(Opts::default()).await;
    let alice = key(1);
    let dom = test_domain();
    let dep = h.fund(1, alice.address(), 100).await;
    let pay = payment(
        &[&alice],
        &dom,
        &[dep],
        &[(key(2).address(), 70), (alice.address(), 30)],
    );
    let created = h.post("/v1/transactions", &pay).await;
    insta::assert_json_snapshot!("submit_created", created.1);
    // Idempotent: the same transaction again gets the same answer and changes nothing.
    let before = state(&h).await;
    assert_eq!(h.post("/v1/transactions", &pay).await, created);
    assert_eq!(state(&h).await, before, "a resubmission changed the state");
    let rival = payment(&[&alice], &dom, &[dep], &[(key(3).address(), 100)]);
    insta::assert_json_snapshot!(
        "submit_double_spend",
        h.post("/v1/transactions", &rival).await.1
    );
    let batch = json!({"transactions": [pay, {"tx": "0x01", "signatures": []}]});
    insta::assert_json_snapshot!(
        "batch_results",
        h.post("/v1/transactions/batch", &batch).await.1
    );
    h.node.seal(1).await.unwrap().unwrap();
    let doc: Value = serde_json::from_str(plasma_operator::api::OPENAPI_JSON).unwrap();
    for (template, path) in [
        ("/v1/blocks/{blknum}", "/v1/blocks/1000"),
        ("/v1/blocks/latest", "/v1/blocks/latest"),
        ("/v1/status", "/v1/status"),
    ] {
        let body = h.get(path).await.1;
        let schema = plasma_service::openapi_check::ok_schema(&doc, template);
        if let Err(e) = plasma_service::openapi_check::conforms(&body, schema, &doc, path) {
            panic!("{path} answers what its document does not allow: {e}");
        }
    }
    insta::assert_json_snapshot!("block_1000", h.get("/v1/blocks/1000").await.1);
    insta::assert_json_snapshot!("status", h.get("/v1/status").await.1);
}
