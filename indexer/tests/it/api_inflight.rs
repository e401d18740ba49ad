//! The in-flight REST endpoints over a real socket: every answer checked against the
//! OpenAPI document and pinned by a snapshot; every rejection a specific status and code.

use crate::helpers::*;
use alloy::primitives::{Address, B256, Bytes, U256};
use plasma_core::{position::UtxoPos, sign, tx::Transaction};
use plasma_indexer::{
    metrics::Metrics,
    store::{InFlightEvent, InFlightStore, RootEvent},
};
use serde_json::{Value, json};
use std::sync::Arc;

/// Alice's payment of `pos` (40) to `to`, with metadata `meta`, and her signature.
fn alices_payment(pos: u64, to: Address, meta: u8) -> (Transaction, Bytes) {
    let tx = Transaction::payment(
        vec![UtxoPos(pos)],
        vec![eth(to, 40)],
        B256::repeat_byte(meta),
    )
    .unwrap();
    let sig = Bytes::from(sign::sign(&key(1), &tx, &test_domain()).unwrap().to_vec());
    (tx, sig)
}

/// Block 1000 valid; an in-flight exit of alice's withheld payment of B1000+1 to carol,
/// piggybacked by carol and challenged.
async fn scenario() -> (tempfile::TempDir, String, Transaction) {
    let (dir, store) = store_with_block_1000().await;
    let (bob, carol) = (key(2), key(3));
    let (t, _) = alices_payment(B1000 + 1, carol.address(), 1);
    let id = t.hash();
    root_events(
        &store,
        3,
        vec![
            RootEvent::InFlight(InFlightEvent::Started {
                exit_id: id,
                starter: carol.address(),
                inputs: vec![(B1000 + 1, B256::repeat_byte(0x11))],
                exitable_at: 1_700_100_000,
                youngest_pos: B1000 + 1,
            }),
            RootEvent::InFlight(InFlightEvent::Piggybacked {
                exit_id: id,
                owner: carol.address(),
                is_output: true,
                index: 0,
                token: Address::ZERO,
                amount: U256::from(40),
            }),
            RootEvent::InFlight(InFlightEvent::Challenged {
                exit_id: id,
                challenger: bob.address(),
                competing_tx_hash: B256::repeat_byte(0x22),
                competitor_pos: u64::MAX,
            }),
        ],
    )
    .await;
    // Resolved (started at 1_700_000_000: first phase until 1_700_000_030), watched at
    // 1_700_000_010: alice may still piggyback her input.
    store
        .resolve_inflight_exit(id, Some((t.encode(), vec![])), 1_700_000_000)
        .await
        .unwrap();
    let metrics = Arc::new(Metrics::default());
    metrics.set_root_head(10, 1_700_000_010);
    let watchtower = plasma_indexer::watchtower::Watchtower {
        store: store.clone(),
        root_chain: root_chain(),
        challenger: None,
        maturity_warning: 30,
        metrics: metrics.clone(),
        min_exit_period: 60,
        proofs: Arc::new(plasma_indexer::proofs::ProofCache::new(2)),
    };
    assert_eq!(watchtower.step().await.unwrap(), 0);
    let url = serve_api(&store, metrics, root_chain(), 60).await;
    (dir, url, t)
}

async fn post(url: &str, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .json(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// Checks `body` against the 200 schema of `method template` in the served document.
fn check(doc: &Value, method: &str, template: &str, body: &Value) {
    let schema = &doc["paths"][template][method]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert!(!schema.is_null(), "{template} documented");
    if let Err(e) = plasma_service::openapi_check::conforms(body, schema, doc, template) {
        panic!("{template} answers what its document does not allow: {e}");
    }
}

#[tokio::test]
async fn in_flight_answers_match_the_document() {
    let (_dir, url, t) = scenario().await;
    let (_, doc) = get_json(&format!("{url}/openapi.json")).await;
    let id = format!("{:#x}", t.hash());
    for (name, template, path) in [
        (
            "inflight_exits",
            "/v1/inflight-exits",
            "/v1/inflight-exits".to_owned(),
        ),
        (
            "inflight_exits_non_canonical",
            "/v1/inflight-exits",
            "/v1/inflight-exits?status=non_canonical&limit=5".to_owned(),
        ),
        (
            "inflight_exit",
            "/v1/inflight-exits/{id}",
            format!("/v1/inflight-exits/{id}"),
        ),
    ] {
        let (status, body) = get_json(&format!("{url}{path}")).await;
        assert_eq!(status, 200, "{path}: {body}");
        check(&doc, "get", template, &body);
        insta::assert_json_snapshot!(name, body, { ".now" => "[now]" });
    }
    let (_, status) = get_json(&format!("{url}/v1/status")).await;
    check(&doc, "get", "/v1/status", &status);
    let events = status["byzantineEvents"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{status}");
    assert_eq!(
        (
            events[0]["kind"].as_str(),
            events[0]["inFlightExitId"].as_str(),
            events[0]["utxoPos"].as_u64()
        ),
        (
            Some("piggyback_available"),
            Some(id.as_str()),
            Some(B1000 + 1)
        )
    );
    let (_, page) = get_json(&format!("{url}/v1/inflight-exits?status=active")).await;
    assert_eq!(
        page["exits"],
        json!([]),
        "the challenged exit is not active"
    );
    let (_, one) = get_json(&format!("{url}/v1/inflight-exits/{id}")).await;
    assert_eq!(
        (
            one["status"].as_str(),
            one["canonical"].as_bool(),
            one["exitableAt"].as_u64()
        ),
        (Some("non_canonical"), Some(false), Some(1_700_100_000))
    );

    // StartArgs for another signed payment of the same output.
    let (t2, sig) = alices_payment(B1000 + 1, key(1).address(), 2);
    let (status, data) = post(
        &format!("{url}/v1/inflight-exit-data"),
        &json!({"txBytes": t2.encode(), "signatures": [sig]}),
    )
    .await;
    assert_eq!(status, 200, "{data}");
    check(&doc, "post", "/v1/inflight-exit-data", &data);
    let b1000 = valid_block_1000();
    assert_eq!(data["inputTxs"], json!([b1000.transactions[0].tx]));
    assert_eq!(data["inputUtxoPos"], json!([B1000 + 1]));
    assert_eq!(data["inputBlockTimestamps"], json!([1_700_001_000u64]));
    assert_eq!(data["exitId"], format!("{:#x}", t2.hash()));
    let tree = plasma_core::merkle::MerkleTree::from_txs(b1000.transactions.iter().map(|t| &t.tx))
        .unwrap();
    assert_eq!(data["inputProofs"], json!([tree.proof(0).unwrap()]));
    insta::assert_json_snapshot!("inflight_exit_data", data);

    // A second spend of D1 (spent by block 1000's first transaction): its competitor.
    let (t3, _) = alices_payment(D1, key(1).address(), 3);
    let (status, competitor) = post(
        &format!("{url}/v1/inflight-exit-competitor"),
        &json!({"txBytes": t3.encode()}),
    )
    .await;
    assert_eq!(status, 200, "{competitor}");
    check(&doc, "post", "/v1/inflight-exit-competitor", &competitor);
    assert_eq!(competitor["competingTx"], json!(b1000.transactions[0].tx));
    assert_eq!(competitor["competingInclusion"]["txPos"], B1000);
    assert_eq!(
        competitor["competingSignature"],
        json!(b1000.transactions[0].signatures[0])
    );
    insta::assert_json_snapshot!("inflight_competitor", competitor);

    // The inclusion of block 1000's second transaction.
    let (status, proof) = post(
        &format!("{url}/v1/inflight-exit-canonicity-proof"),
        &json!({"txBytes": b1000.transactions[1].tx}),
    )
    .await;
    assert_eq!(status, 200, "{proof}");
    check(&doc, "post", "/v1/inflight-exit-canonicity-proof", &proof);
    assert_eq!(proof["inclusion"]["txPos"], B1000 + 10_000);
    assert_eq!(proof["inclusion"]["proof"], json!(tree.proof(1).unwrap()));
    insta::assert_json_snapshot!("inflight_canonicity_proof", proof);
}

#[tokio::test]
async fn in_flight_rejections_name_the_problem() {
    let (_dir, url, t) = scenario().await;
    let alice = key(1).address();
    let (t2, sig) = alices_payment(B1000 + 1, alice, 2);
    let bobs_sig = Bytes::from(sign::sign(&key(2), &t2, &test_domain()).unwrap().to_vec());
    let (spends_d1, sig_d1) = alices_payment(D1, alice, 3);
    let (unknown, sig_unknown) = alices_payment(7_000 * 1_000_000_000, alice, 4);
    let (_, t_sig) = alices_payment(B1000 + 1, key(3).address(), 1);
    let deposit = plasma_core::deposit::deposit_tx(1, alice, Address::ZERO, U256::from(100));
    let data = "/v1/inflight-exit-data";
    let competitor = "/v1/inflight-exit-competitor";
    let proof = "/v1/inflight-exit-canonicity-proof";
    let cases = [
        (data, json!({"txBytes": "0x01"}), 400, "invalid_body"),
        (
            data,
            json!({"txBytes": "0x0102", "signatures": []}),
            400,
            "invalid_tx",
        ),
        (
            data,
            json!({"txBytes": deposit.encode(), "signatures": []}),
            400,
            "not_payment",
        ),
        (
            data,
            json!({"txBytes": t2.encode(), "signatures": []}),
            400,
            "signature_count",
        ),
        (
            data,
            json!({"txBytes": t2.encode(), "signatures": [bobs_sig]}),
            400,
            "bad_signature",
        ),
        (
            data,
            json!({"txBytes": unknown.encode(), "signatures": [sig_unknown]}),
            404,
            "input_not_found",
        ),
        (
            data,
            json!({"txBytes": spends_d1.encode(), "signatures": [sig_d1]}),
            409,
            "input_spent",
        ),
        (
            data,
            json!({"txBytes": t.encode(), "signatures": [t_sig]}),
            409,
            "inflight_exit_exists",
        ),
        (
            competitor,
            json!({"txBytes": t2.encode()}),
            404,
            "competitor_not_found",
        ),
        (competitor, json!({"tx": "0x"}), 400, "invalid_body"),
        (
            proof,
            json!({"txBytes": t2.encode()}),
            404,
            "tx_not_included",
        ),
        (proof, json!({"txBytes": "0xzz"}), 400, "invalid_body"),
    ];
    for (path, body, want, code) in cases {
        let (status, answer) = post(&format!("{url}{path}"), &body).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (want, Some(code)),
            "{path} {body}: {answer}"
        );
        assert!(
            answer["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let _ = sig;
    for (path, want, code) in [
        ("/v1/inflight-exits/0x12", 400, "invalid_hash"),
        (
            "/v1/inflight-exits/0x0707070707070707070707070707070707070707070707070707070707070707",
            404,
            "inflight_exit_not_found",
        ),
        ("/v1/inflight-exits?status=bogus", 400, "invalid_status"),
        ("/v1/inflight-exits?limit=0", 400, "invalid_limit"),
        ("/v1/inflight-exits?colour=red", 400, "invalid_query"),
    ] {
        let (status, answer) = get_json(&format!("{url}{path}")).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (want, Some(code)),
            "{path}: {answer}"
        );
    }
}
