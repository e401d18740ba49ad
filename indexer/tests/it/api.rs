//! REST API over a real socket: every response shape pinned by an insta snapshot
//! (volatile fields redacted), every client mistake a 4xx naming the problem.

use crate::helpers::*;
use alloy::primitives::{Address, B256, U256};
use plasma_indexer::{checker::Step, metrics::Metrics, store::RootEvent};
use std::{sync::Arc, time::Duration};

/// Deposits, one valid block, one exit of a spent output (invalid) and one of an
/// unspent output, and a withheld block 2000.
async fn scenario() -> (tempfile::TempDir, String) {
    let (dir, store) = temp_store().await;
    let d = test_domain();
    let (alice, bob, carol) = (key(1), key(2), key(3));
    root_events(
        &store,
        1,
        vec![
            deposit(1, alice.address(), 100),
            deposit(2, bob.address(), 50),
            deposit(3, key(4).address(), 7),
        ],
    )
    .await;
    let b1000 = valid_block_1000();
    let b2000 = block(
        2000,
        vec![payment(
            &d,
            &[(B1000 + 1, &alice)],
            vec![eth(bob.address(), 40)],
        )],
    );
    let feed = FeedDouble::start().await;
    root_events(&store, 2, vec![submitted(&b1000)]).await;
    feed.publish(b1000);
    let checker = checker(&store, &feed.url, d, Duration::ZERO);
    assert_eq!(checker.step().await.unwrap(), Step::Valid(1000));
    let exit = |pos, owner: Address, amount: u64| RootEvent::ExitStarted {
        pos,
        owner,
        token: Address::ZERO,
        amount: U256::from(amount),
        exitable_at: 1_700_100_000,
    };
    root_events(
        &store,
        3,
        vec![
            exit(D1, alice.address(), 100),
            exit(B1000 + 10_000, carol.address(), 105),
        ],
    )
    .await;
    root_events(
        &store,
        4,
        vec![
            submitted(&b2000),
            RootEvent::ExitProcessed {
                pos: B1000 + 10_000,
                paid: true,
            },
        ],
    )
    .await;
    assert_eq!(checker.step().await.unwrap(), Step::Unavailable(2000));
    store
        .raise_exit_event(
            plasma_indexer::store::ByzantineKind::InvalidExit,
            D1,
            "exit of a spent output",
        )
        .await
        .unwrap();
    let url = serve_api(&store, Arc::new(Metrics::default()), root_chain(), 60).await;
    (dir, url)
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::assert_json_snapshot!($name, $value, {
            ".now" => "[now]",
            ".exitableAtIfStartedNow" => "[now-dependent]",
            ".**.raisedAt" => "[time]",
            ".**.resolvedAt" => insta::dynamic_redaction(|value, _| {
                if value.as_u64().is_some() { "[time]".into() } else { value }
            }),
            ".root.head" => "[head]",
            ".root.lag" => "[lag]",
        })
    };
}

#[tokio::test]
async fn every_response_shape() {
    let (_dir, url) = scenario().await;
    let alice = format!("{:#x}", key(1).address());
    let bob = format!("{:#x}", key(2).address());
    let exit_data = "/v1/outputs/{pos}/exit-data";
    let ok = [
        (
            "exit_data",
            exit_data,
            format!("/v1/outputs/{}/exit-data", B1000 + 1),
        ),
        (
            "exit_data_deposit",
            exit_data,
            "/v1/outputs/3000000000/exit-data".to_owned(),
        ),
        ("exits", "/v1/exits", "/v1/exits".to_owned()),
        (
            "exits_filtered",
            "/v1/exits",
            format!("/v1/exits?owner={alice}&status=active&limit=10"),
        ),
        ("exit", "/v1/exits/{pos}", format!("/v1/exits/{D1}")),
        (
            "challenge_data",
            "/v1/exits/{pos}/challenge-data",
            format!("/v1/exits/{D1}/challenge-data"),
        ),
        (
            "utxos",
            "/v1/addresses/{addr}/utxos",
            format!("/v1/addresses/{bob}/utxos"),
        ),
        (
            "balances",
            "/v1/addresses/{addr}/balances",
            format!("/v1/addresses/{alice}/balances"),
        ),
        (
            "history",
            "/v1/addresses/{addr}/history",
            format!("/v1/addresses/{alice}/history?limit=3&offset=0"),
        ),
        ("blocks", "/v1/blocks", "/v1/blocks?limit=10".to_owned()),
        (
            "block",
            "/v1/blocks/{blknum}",
            "/v1/blocks/1000?limit=1&offset=1".to_owned(),
        ),
        ("status", "/v1/status", "/v1/status".to_owned()),
        ("health", "/v1/health", "/v1/health".to_owned()),
    ];
    let (_, doc) = get_json(&format!("{url}/openapi.json")).await;
    for (name, template, path) in ok {
        let (status, body) = get_json(&format!("{url}{path}")).await;
        assert_eq!(status, 200, "{path}: {body}");
        let schema = plasma_service::openapi_check::ok_schema(&doc, template);
        if let Err(e) = plasma_service::openapi_check::conforms(&body, schema, &doc, name) {
            panic!("{path} answers what its document does not allow: {e}");
        }
        snap!(name, body);
    }
    let (_, block) = get_json(&format!("{url}/v1/blocks/1000")).await;
    let hash = block["transactions"][0]["hash"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, tx) = get_json(&format!("{url}/v1/transactions/{hash}")).await;
    assert_eq!(status, 200);
    snap!("transaction", tx);
}

#[tokio::test]
async fn a_fresh_indexer_answers_what_its_document_allows() {
    let (_dir, store) = temp_store().await;
    let url = serve_api(&store, Arc::new(Metrics::default()), root_chain(), 60).await;
    let (_, doc) = get_json(&format!("{url}/openapi.json")).await;
    for path in [
        "/v1/status",
        "/v1/exits",
        "/v1/blocks",
        "/v1/inflight-exits",
    ] {
        let (status, body) = get_json(&format!("{url}{path}")).await;
        assert_eq!(status, 200, "{path}: {body}");
        let schema = plasma_service::openapi_check::ok_schema(&doc, path);
        if let Err(e) = plasma_service::openapi_check::conforms(&body, schema, &doc, path) {
            panic!("{path} answers what its document does not allow: {e}");
        }
    }
}

#[tokio::test]
async fn client_mistakes_are_4xx_naming_the_problem() {
    let (_dir, url) = scenario().await;
    let cases = [
        ("/v1/outputs/abc/exit-data", 400, "invalid_position"),
        (
            "/v1/outputs/1000000000005/exit-data",
            400,
            "invalid_position",
        ),
        (
            "/v1/outputs/7000000000000/exit-data",
            404,
            "output_not_found",
        ),
        ("/v1/outputs/1000000000/exit-data", 409, "output_spent"),
        ("/v1/outputs/1000000010000/exit-data", 409, "exit_exists"),
        ("/v1/exits/3000000000", 404, "exit_not_found"),
        (
            "/v1/exits/1000000010000/challenge-data",
            409,
            "exit_not_active",
        ),
        ("/v1/exits?status=bogus", 400, "invalid_status"),
        ("/v1/exits?owner=0x12", 400, "invalid_address"),
        ("/v1/exits?limit=0", 400, "invalid_limit"),
        ("/v1/exits?colour=red", 400, "invalid_query"),
        ("/v1/addresses/nothex/utxos", 400, "invalid_address"),
        (
            "/v1/addresses/0x0000000000000000000000000000000000000001/history?offset=-1",
            400,
            "invalid_offset",
        ),
        ("/v1/blocks/abc", 400, "invalid_blknum"),
        // One spelling per value; no overflow past the last possible block.
        ("/v1/blocks/+1000", 400, "invalid_blknum"),
        ("/v1/blocks/0001000", 400, "invalid_blknum"),
        ("/v1/blocks/18446744073709551615", 400, "invalid_blknum"),
        (
            "/v1/outputs/+1000000000000/exit-data",
            400,
            "invalid_position",
        ),
        (
            "/v1/addresses/0000000000000000000000000000000000000001/utxos",
            400,
            "invalid_address",
        ),
        (
            "/v1/transactions/0707070707070707070707070707070707070707070707070707070707070707",
            400,
            "invalid_hash",
        ),
        ("/v1/blocks/9", 404, "block_not_found"),
        ("/v1/transactions/0x12", 400, "invalid_hash"),
        ("/v1/nothing", 404, "route_not_found"),
        // Answers axum makes by itself get the envelope too (plasma_service::http).
        ("/v1/blocks/%FF", 400, "malformed_request"),
    ];
    for (path, want, code) in cases {
        let (status, body) = get_json(&format!("{url}{path}")).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (want, Some(code)),
            "{path}: {body}"
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let long = format!("{url}/v1/blocks?x={}", "0".repeat(9000));
    let (status, body) = get_json(&long).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (414, Some("uri_too_long"))
    );
    let wrong_method = reqwest::Client::new()
        .delete(format!("{url}/v1/status"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    let body: serde_json::Value = wrong_method.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
    let hash = format!("{:#x}", B256::repeat_byte(7));
    let (status, body) = get_json(&format!("{url}/v1/transactions/{hash}")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("transaction_not_found"))
    );
    snap!("error_shape", body);
}

#[tokio::test]
async fn csv_metrics_and_openapi() {
    let (_dir, url) = scenario().await;
    let alice = format!("{:#x}", key(1).address());
    let csv = reqwest::get(format!("{url}/v1/addresses/{alice}/history.csv"))
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    insta::assert_snapshot!("history_csv", csv.text().await.unwrap());
    let metrics = get_text(&format!("{url}/metrics")).await;
    assert!(
        metrics.contains("# TYPE plasma_indexer_http_requests_total counter"),
        "{metrics}"
    );
    for path in ["/openapi.json", "/v1/openapi.json"] {
        let (status, doc) = get_json(&format!("{url}{path}")).await;
        assert_eq!(status, 200);
        let paths = doc["paths"].as_object().unwrap();
        for route in [
            "/v1/outputs/{pos}/exit-data",
            "/v1/exits/{pos}/challenge-data",
            "/v1/status",
            "/v1/inflight-exits",
            "/v1/inflight-exits/{id}",
            "/v1/inflight-exit-data",
            "/v1/inflight-exit-competitor",
            "/v1/inflight-exit-canonicity-proof",
        ] {
            assert!(paths.contains_key(route), "{route} documented");
        }
        plasma_service::openapi_check::edge_answers_documented(&doc).unwrap();
    }
    let (status, _) = get_json(&format!("{url}/health")).await;
    assert_eq!(status, 200);
}
