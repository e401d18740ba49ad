//! Two minutes of `plasma soak` (the CI run; the README reports a 30-minute one): mixed
//! traffic with every fault kind injected, then the audit must find nothing wrong.

use plasma_devnet::soak::{self, SoakConfig, faults::FaultKind};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_minutes_of_traffic_and_faults_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let report = soak::run(&SoakConfig {
        duration: Duration::from_secs(120),
        seed: 7,
        users: 12,
        data_dir: dir.path().to_owned(),
    })
    .await
    .unwrap();
    let summary = serde_json::to_string_pretty(&report).unwrap();
    assert!(report.failures.is_empty(), "{summary}");

    for kind in [
        FaultKind::KillOperator,
        FaultKind::KillIndexer,
        FaultKind::Reorg,
        FaultKind::RpcPause,
    ] {
        assert!(
            report.faults.iter().any(|f| f.kind == kind),
            "{kind:?} was never injected: {summary}"
        );
    }
    let t = &report.traffic;
    for (what, n) in [
        ("deposits", t.deposits),
        ("payments", t.payments),
        ("exits", t.exits),
        ("cheating exits", t.cheats),
        ("processExits", t.processed),
        ("reads", t.reads),
    ] {
        assert!(n > 0, "no {what} in two minutes: {summary}");
    }
    let a = &report.audit;
    assert_eq!(a.acknowledged as u64, t.payments);
    assert!(a.roots_on_chain > 0 && a.views_compared > 0, "{summary}");
    assert!(
        a.exits_challenged > 0,
        "the watchtower challenged: {summary}"
    );
}
