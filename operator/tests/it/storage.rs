//! Storage failure on a real full filesystem (a tmpfs of a few MiB, filled by a file):
//! writes are refused with 503 and `storage_failed` while the disk is full, nothing
//! unacknowledged stays in memory, and the operator takes writes again by itself once
//! space is free — with every acknowledged transaction still there exactly once. A start
//! on a full disk reports `storage_failed` before any write is attempted.
//!
//! Mounting needs root (CAP_SYS_ADMIN), as the project's test machines have.

use std::time::{Duration, Instant};

use plasma_core::UtxoPos;
use plasma_operator::{Node, NodeConfig};
use plasma_test_utils::disk::Tmpfs;
use serde_json::Value;

use crate::common::{Harness, Opts, key, payment, test_domain};

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<none>")
}

fn has_problem(status: &Value, code: &str) -> bool {
    status["problems"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["code"] == code))
}

async fn wait_healthy(h: &Harness) {
    let start = Instant::now();
    loop {
        let (_, status) = h.get("/v1/status").await;
        if status["healthy"] == true {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "still unhealthy: {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_full_disk_refuses_writes_and_the_operator_recovers_once_space_is_free() {
    let disk = Tmpfs::mount("16m");
    let h = Harness::start_at(Opts::default(), disk.path().join("operator.sqlite")).await;
    let (alice, bob) = (key(1), key(2));
    let dom = test_domain();
    let mut deposits = Vec::new();
    for blknum in 1..=60 {
        deposits.push(h.fund(blknum, alice.address(), 100).await);
    }
    let pay = |input: UtxoPos, to_bob: u64| {
        payment(
            &[&alice],
            &dom,
            &[input],
            &[(bob.address(), to_bob), (alice.address(), 100 - to_bob)],
        )
    };
    let acked = pay(deposits[0], 10);
    let (s, body) = h.post("/v1/transactions", &acked).await;
    assert_eq!(s, 201, "{body}");
    let acked_hash = body["txHash"].clone();
    assert_eq!(h.get("/health").await.0, 200);

    let filler = disk.fill();
    // Payments until one does not fit any more: those before it were committed.
    let mut ok = vec![acked_hash.clone()];
    let (failed_input, failed) = 'fill: {
        for &input in &deposits[1..] {
            let tx = pay(input, 10);
            let (s, body) = h.post("/v1/transactions", &tx).await;
            match s {
                201 => ok.push(body["txHash"].clone()),
                503 => {
                    assert_eq!(code(&body), "unavailable", "{body}");
                    break 'fill (input, tx);
                }
                other => panic!("{other}: {body}"),
            }
        }
        panic!("{} payments fit on a full disk", deposits.len());
    };
    let (s, status) = h.get("/v1/status").await;
    assert_eq!(s, 200);
    assert!(has_problem(&status, "storage_failed"), "{status}");
    let (s, body) = h.get("/health").await;
    assert_eq!((s, code(&body)), (503, "unhealthy"), "{body}");
    assert!(
        h.get_text("/metrics")
            .await
            .1
            .contains("plasma_operator_unhealthy{reason=\"storage_failed\"} 1")
    );
    // Still full: probes keep failing (several run within a second), writes stay refused.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let spare = deposits.last().copied().unwrap();
    let (s, body) = h.post("/v1/transactions", &pay(spare, 20)).await;
    assert_eq!((s, code(&body)), (503, "unavailable"), "{body}");
    assert!(has_problem(&h.get("/v1/status").await.1, "storage_failed"));

    std::fs::remove_file(filler).unwrap();
    wait_healthy(&h).await;
    assert_eq!(h.get("/health").await.0, 200);

    // The refused payment left nothing behind: its input takes another payment, and the
    // refused one is then a double spend (not an acknowledged resubmission).
    let (s, body) = h.post("/v1/transactions", &pay(failed_input, 30)).await;
    assert_eq!(s, 201, "{body}");
    ok.push(body["txHash"].clone());
    let (s, body) = h.post("/v1/transactions", &failed).await;
    assert_eq!((s, code(&body)), (409, "double_spend"), "{body}");
    // An acknowledged payment is still known: resubmitted, it is answered as before.
    let (s, body) = h.post("/v1/transactions", &acked).await;
    assert_eq!((s, &body["txHash"]), (201, &acked_hash), "{body}");

    // Every acknowledged transaction is sealed exactly once, nothing else is.
    h.node.seal_all().await.unwrap();
    let mut sealed = Vec::new();
    let latest = h.get("/v1/status").await.1["latestSealedBlock"]
        .as_u64()
        .unwrap();
    for blknum in (1000..=latest).step_by(1000) {
        let (s, block) = h.get(&format!("/v1/blocks/{blknum}")).await;
        assert_eq!(s, 200);
        for tx in block["transactions"].as_array().unwrap() {
            let data: plasma_core::signed::SignedTx = serde_json::from_value(tx.clone()).unwrap();
            sealed.push(Value::String(data.hash().to_string()));
        }
    }
    assert_eq!(sealed, ok);

    // Memory equals storage: a node opened afresh on the same file sees the same chain.
    let fresh = Node::open(NodeConfig {
        db_path: disk.path().join("operator.sqlite"),
        ..h.node.config().clone()
    })
    .await
    .unwrap();
    let (mine, theirs) = (h.node.status(), fresh.status());
    assert_eq!(
        (mine.utxos, mine.next_block, mine.pending_txs),
        (theirs.utxos, theirs.next_block, theirs.pending_txs)
    );
}

#[tokio::test]
async fn a_start_on_a_full_disk_reports_storage_failed_until_space_is_free() {
    let disk = Tmpfs::mount("16m");
    let db = disk.path().join("operator.sqlite");
    let (alice, bob) = (key(1), key(2));
    let dom = test_domain();
    let first = Harness::start_at(Opts::default(), db.clone()).await;
    let dep = first.fund(1, alice.address(), 100).await;
    let filler = disk.fill();

    // A second start on the same file while the disk is full.
    let h = Harness::start_at(Opts::default(), db).await;
    let (s, status) = h.get("/v1/status").await;
    assert_eq!(s, 200);
    assert!(has_problem(&status, "storage_failed"), "{status}");
    assert_eq!(h.get("/health").await.0, 503);
    let tx = payment(&[&alice], &dom, &[dep], &[(bob.address(), 100)]);
    let (s, body) = h.post("/v1/transactions", &tx).await;
    assert_eq!((s, code(&body)), (503, "unavailable"), "{body}");

    std::fs::remove_file(filler).unwrap();
    wait_healthy(&h).await;
    let (s, body) = h.post("/v1/transactions", &tx).await;
    assert_eq!(s, 201, "{body}");
}
