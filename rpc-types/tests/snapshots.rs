//! Round trips through the servers' committed insta snapshots: each answer parses into its
//! wire type and serializes back to the same JSON, so the types are what the servers emit.

use std::path::Path;

use plasma_rpc_types::ErrorBody;
use plasma_rpc_types::indexer::{
    CanonicityProof, ChallengeData, CompetitorData, Exit, ExitData, ExitPage, HistoryPage,
    InFlightExit, InFlightExitData, InFlightExitPage, IndexerStatus, UtxoPage,
};
use plasma_rpc_types::operator::{BatchResponse, FeedBlock, OperatorStatus, Submitted};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// Values standing in for the snapshots' redactions (times and heights of a live run).
const REDACTIONS: [(&str, &str); 5] = [
    (r#""[time]""#, "1700000123"),
    (r#""[head]""#, "10"),
    (r#""[lag]""#, "6"),
    (r#""[now-dependent]""#, "1700200000"),
    (r#""[now]""#, "1700000456"),
];

/// The JSON body of a committed snapshot of the `api` tests, redactions filled in.
fn snapshot(service: &str, name: &str) -> Value {
    snapshot_of(service, "api", name)
}

/// The JSON body of a committed snapshot of the test module `module`.
fn snapshot_of(service: &str, module: &str, name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(service)
        .join("tests/it/snapshots")
        .join(format!("it__{module}__{name}.snap"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let (_, body) = text
        .split_once("\n---\n")
        .unwrap_or_else(|| panic!("{path:?} has no insta header"));
    let body = REDACTIONS
        .iter()
        .fold(body.to_owned(), |b, (from, to)| b.replace(from, to));
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// Parses `json` as `T` and checks it serializes back unchanged.
fn round_trip<T: Serialize + DeserializeOwned>(json: Value) -> T {
    let typed: T = serde_json::from_value(json.clone()).expect("the snapshot parses");
    assert_eq!(serde_json::to_value(&typed).unwrap(), json);
    typed
}

#[test]
fn operator_answers_round_trip() {
    let submitted: Submitted = round_trip(snapshot("operator", "submit_created"));
    assert_eq!(
        submitted.tx_hash.to_string(),
        "0x9238de2654393b94a044d361dacf39d21e04992ac180e9e413fd6f7929e742ff"
    );
    let rejected: ErrorBody = round_trip(snapshot("operator", "submit_double_spend"));
    assert_eq!(rejected.error.code, "double_spend");
    let batch: BatchResponse = round_trip(snapshot("operator", "batch_results"));
    assert!(matches!(
        batch.results.as_slice(),
        [
            plasma_rpc_types::operator::BatchItem::Ok(_),
            plasma_rpc_types::operator::BatchItem::Err(_)
        ]
    ));
    let block: FeedBlock = round_trip(snapshot("operator", "block_1000"));
    assert_eq!((block.blknum, block.transactions.len()), (1000, 1));
    let status: OperatorStatus = round_trip(snapshot("operator", "status"));
    assert_eq!(
        (status.next_block, status.latest_submitted_block),
        (2000, None)
    );
}

#[test]
fn indexer_answers_round_trip() {
    let status: IndexerStatus = round_trip(snapshot("indexer", "status"));
    assert_eq!(status.byzantine_events.len(), 2);
    assert_eq!(status.root.lag, Some(6));
    let utxos: UtxoPage = round_trip(snapshot("indexer", "utxos"));
    assert!(utxos.utxos.is_empty());
    let history: HistoryPage = round_trip(snapshot("indexer", "history"));
    assert_eq!(history.entries.len(), 3);
    for name in ["exit_data", "exit_data_deposit"] {
        let exit: ExitData = round_trip(snapshot("indexer", name));
        assert_eq!(exit.proof.len(), 512, "{name}");
    }
    let challenge: ChallengeData = round_trip(snapshot("indexer", "challenge_data"));
    assert_eq!(challenge.exit.utxo_pos, challenge.utxo_pos);
    let exit: Exit = round_trip(snapshot("indexer", "exit"));
    assert_eq!(exit.status, "active");
    for name in ["exits", "exits_filtered"] {
        round_trip::<ExitPage>(snapshot("indexer", name));
    }
    let error: ErrorBody = round_trip(snapshot("indexer", "error_shape"));
    assert_eq!(error.error.code, "transaction_not_found");
}

#[test]
fn in_flight_answers_round_trip() {
    let page: InFlightExitPage =
        round_trip(snapshot_of("indexer", "api_inflight", "inflight_exits"));
    assert_eq!(page.exits.len(), 1);
    let exit: InFlightExit = round_trip(snapshot_of("indexer", "api_inflight", "inflight_exit"));
    assert_eq!(
        (exit.status.as_str(), exit.canonical),
        ("non_canonical", false)
    );
    let data: InFlightExitData =
        round_trip(snapshot_of("indexer", "api_inflight", "inflight_exit_data"));
    assert_eq!(data.input_proofs[0].len(), 512);
    let competitor: CompetitorData = round_trip(snapshot_of(
        "indexer",
        "api_inflight",
        "inflight_competitor",
    ));
    assert!(competitor.competing_inclusion.is_some());
    let proof: CanonicityProof = round_trip(snapshot_of(
        "indexer",
        "api_inflight",
        "inflight_canonicity_proof",
    ));
    assert_eq!(proof.inclusion.proof.len(), 512);
}
