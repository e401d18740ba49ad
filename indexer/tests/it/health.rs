//! `/health` tells the truth, on real anvil with the real contract: a frozen root-chain
//! RPC, committed blocks the checker cannot get, and a full disk (a real tmpfs) each make
//! it 503 with the reason, also in `/v1/status` and `/metrics`, and it is 200 again by
//! itself once the cause is gone.

use crate::{chain::*, helpers::*};
use plasma_core::UtxoPos;
use serde_json::Value;
use std::process::Command;

async fn health(api: &str) -> (u16, Value) {
    let r = reqwest::get(format!("{api}/health"))
        .await
        .expect("answers");
    (r.status().as_u16(), r.json().await.expect("json"))
}

async fn metrics(api: &str) -> String {
    let r = reqwest::get(format!("{api}/metrics"))
        .await
        .expect("answers");
    r.text().await.expect("text")
}

pub(crate) fn has_problem(status: &Value, code: &str) -> bool {
    status["problems"]
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["code"] == code))
}

/// Asserts `/health` is 503 naming `reason`, and its gauge is 1.
pub(crate) async fn assert_unhealthy(api: &str, reason: &str) {
    let (code, body) = health(api).await;
    assert_eq!(
        (code, body["error"]["code"].as_str()),
        (503, Some("unhealthy")),
        "{body}"
    );
    let message = body["error"]["message"].as_str().expect("message");
    assert!(message.contains(reason), "{body}");
    let gauge = format!("plasma_indexer_unhealthy{{reason=\"{reason}\"}} 1\n");
    assert!(metrics(api).await.contains(&gauge), "{gauge}");
}

/// Waits until `/v1/status` is healthy and `/health` answers 200 with every gauge 0.
async fn assert_recovers(api: &str) {
    let status = wait_for(&format!("{api}/v1/status"), "healthy again", |s| {
        s["healthy"] == true
    })
    .await;
    assert_eq!(status["problems"], serde_json::json!([]));
    assert_eq!(
        health(api).await,
        (200, serde_json::json!({"status": "ok"}))
    );
    let text = metrics(api).await;
    for reason in plasma_indexer::health::REASONS {
        let gauge = format!("plasma_indexer_unhealthy{{reason=\"{reason}\"}} 0\n");
        assert!(text.contains(&gauge), "{gauge} in {text}");
    }
}

#[tokio::test]
async fn a_frozen_root_chain_is_reported_and_recovered_from() {
    let chain = Chain::start().await;
    let feed = FeedDouble::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = args(&chain, dir.path(), &feed.url, None, 30);
    a.chain.unreachable_after_ms = 500;
    let service = plasma_indexer::start(a).await.expect("starts");
    let api = format!("http://{}", service.addr);
    assert_recovers(&api).await;

    // The RPC endpoint stops answering (its process is frozen): requests hang.
    let pid = chain.anvil.child().id().to_string();
    let signal = |sig: &str| {
        let ok = Command::new("kill")
            .args([sig, &pid])
            .status()
            .expect("kill");
        assert!(ok.success(), "kill {sig} {pid}");
    };
    signal("-STOP");
    let status = wait_for(&format!("{api}/v1/status"), "unreachable", |s| {
        has_problem(s, "root_chain_unreachable")
    })
    .await;
    let unhealthy = health(&api).await;
    let gauges = metrics(&api).await;
    signal("-CONT");
    assert_eq!(status["healthy"], false, "{status}");
    assert_eq!(unhealthy.0, 503, "{unhealthy:?}");
    assert!(
        unhealthy.1["error"]["message"]
            .as_str()
            .expect("message")
            .contains("root_chain_unreachable: no answer from the root chain for")
    );
    assert!(gauges.contains("plasma_indexer_unhealthy{reason=\"root_chain_unreachable\"} 1\n"));
    assert_recovers(&api).await;
    service.stop().await.expect("stops");
}

#[tokio::test]
async fn committed_blocks_the_checker_cannot_get_are_lag_until_they_arrive() {
    let chain = Chain::start().await;
    let feed = FeedDouble::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = args(&chain, dir.path(), &feed.url, None, 3_600);
    a.max_child_lag_blocks = 1;
    let service = plasma_indexer::start(a).await.expect("starts");
    let api = format!("http://{}", service.addr);

    // Alice's deposit goes to Bob (block 1000), back to Alice (2000), to Bob (3000).
    chain.deposit(1, ETH).await;
    let (alice, bob) = (&chain.keys[1], &chain.keys[2]);
    let mut input = (UtxoPos::new(1, 0, 0).expect("deposit 1").get(), alice);
    let mut blocks = Vec::new();
    for (i, blknum) in [1000u64, 2000, 3000].into_iter().enumerate() {
        let to = if i % 2 == 0 { bob } else { alice };
        let b = block(
            blknum,
            vec![payment(
                &chain.domain,
                &[input],
                vec![eth(to.address(), ETH)],
            )],
        );
        chain.submit(b.root).await;
        blocks.push(b);
        input = (UtxoPos::new(blknum, 0, 0).expect("output").get(), to);
    }

    // One committed block unchecked is within the limit; two are not.
    feed.publish(blocks[0].clone());
    let status = wait_for(&format!("{api}/v1/status"), "lagging", |s| {
        s["child"]["committed"] == 3000
            && s["child"]["valid"] == 1000
            && has_problem(s, "child_chain_lagging")
    })
    .await;
    assert_eq!(status["healthy"], false, "{status}");
    assert_unhealthy(&api, "child_chain_lagging").await;

    feed.publish(blocks[1].clone());
    feed.publish(blocks[2].clone());
    let status = wait_for(&format!("{api}/v1/status"), "checked", |s| {
        s["child"]["valid"] == 3000
    })
    .await;
    assert_eq!(status["byzantineEvents"], serde_json::json!([]));
    assert_recovers(&api).await;
    service.stop().await.expect("stops");
}

#[tokio::test]
async fn a_full_disk_is_storage_failed_until_space_is_free() {
    let chain = Chain::start().await;
    let feed = FeedDouble::start().await;
    let disk = plasma_test_utils::disk::Tmpfs::mount("16m");
    let service = plasma_indexer::start(args(&chain, disk.path(), &feed.url, None, 30))
        .await
        .expect("starts");
    let api = format!("http://{}", service.addr);
    assert_recovers(&api).await;

    let filler = disk.fill();
    // Deposits until the follower cannot store one.
    let mut failed = None;
    for _ in 0..40 {
        chain.deposit(1, ETH).await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let (_, status) = get_json(&format!("{api}/v1/status")).await;
        if has_problem(&status, "storage_failed") {
            failed = Some(status);
            break;
        }
    }
    let status = failed.expect("a full disk is reported");
    assert_eq!(status["healthy"], false, "{status}");
    assert_unhealthy(&api, "storage_failed").await;

    std::fs::remove_file(filler).expect("frees the disk");
    assert_recovers(&api).await;
    service.stop().await.expect("stops");
}
