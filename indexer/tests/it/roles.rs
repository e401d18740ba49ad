//! Roles on one Postgres database (always Postgres, whatever `PLASMA_TEST_DB` says): one
//! writer per database, read-only API replicas serving what it wrote with its progress,
//! a replica killed under load while another keeps serving, a writer killed with
//! SIGKILL that resumes to exactly the database of a fresh sync, and a stopped writer's
//! report ageing on a replica until it is `writer_stale`.

use crate::{
    backend::pg_database,
    chain::*,
    health::{assert_unhealthy, has_problem},
    helpers::*,
    reorg::TABLES,
};
use alloy::providers::Provider;
use plasma_indexer::{
    Role,
    service::ServiceError,
    store::{AnyStore, PgStore, RootBatch, SyncStore},
};
use plasma_test_utils::{free_port, indexer_bin};
use std::{path::Path, process::Stdio, time::Duration};
use tokio::process::{Child, Command};

/// In-process indexer arguments on the Postgres database `url` with `role`.
fn pg_args(chain: &Chain, dir: &Path, feed: &str, url: &str, role: Role) -> plasma_indexer::Args {
    let mut args = args(chain, dir, feed, None, 60);
    args.data_dir = None;
    args.database_url = Some(url.to_owned());
    args.role = role;
    args
}

/// A `plasma-indexer` process (killed on drop) and its base URL; `dir` holds the
/// deployment file (written once: processes read it as they start) and the logs.
fn spawn(chain: &Chain, dir: &Path, feed: &str, url: &str, role: &str) -> (Child, String) {
    let port = free_port();
    let deployment = dir.join("deployment.json");
    if !deployment.exists() {
        chain.deployment(dir);
    }
    let child = Command::new(indexer_bin())
        .args(["--rpc-url", &chain.anvil.endpoint()])
        .arg("--deployment")
        .arg(deployment)
        .args(["--confirmations", "0", "--poll-interval-ms", "50"])
        .args([
            "--operator-url",
            feed,
            "--database-url",
            url,
            "--role",
            role,
        ])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(log(dir, role, port, "out"))
        .stderr(log(dir, role, port, "err"))
        .kill_on_drop(true)
        .spawn()
        .expect("plasma-indexer starts");
    (child, format!("http://127.0.0.1:{port}"))
}

/// The process' log file in `dir` (read it when a test fails).
fn log(dir: &Path, role: &str, port: u16, stream: &str) -> Stdio {
    let file =
        std::fs::File::create(dir.join(format!("{role}-{port}.{stream}.log"))).expect("log file");
    Stdio::from(file)
}

/// Waits (10 s at most) until `api` answers `/health`; panics with the logs in `dir`.
async fn healthy(api: &str, dir: &Path) {
    for _ in 0..200 {
        if reqwest::get(format!("{api}/health"))
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let logs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .map(|p| {
            format!(
                "{}:\n{}",
                p.display(),
                std::fs::read_to_string(&p).unwrap_or_default()
            )
        })
        .collect();
    panic!("{api} never became healthy; logs:\n{}", logs.join("\n"));
}

async fn status(api: &str) -> serde_json::Value {
    get_json(&format!("{api}/v1/status")).await.1
}

#[tokio::test]
async fn one_writer_per_database_and_read_only_replicas_serve_its_data_and_progress() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let feed = FeedDouble::start().await;
    let url = pg_database(&dir.path().join("roles")).await;
    let start = |role| plasma_indexer::start(pg_args(&chain, dir.path(), &feed.url, &url, role));

    // A replica before any writer: no schema yet, a clear refusal.
    let early = start(Role::Api).await.unwrap_err();
    assert!(matches!(early, ServiceError::SchemaNotReady), "{early}");
    // Roles need Postgres.
    let mut sqlite = args(&chain, dir.path(), &feed.url, None, 60);
    sqlite.role = Role::Writer;
    let refused = plasma_indexer::start(sqlite).await.unwrap_err();
    assert!(
        matches!(refused, ServiceError::RoleNeedsPostgres(Role::Writer)),
        "{refused}"
    );

    let writer = start(Role::Writer).await.expect("the first writer starts");
    for role in [Role::Writer, Role::All] {
        let second = start(role).await.unwrap_err();
        assert!(matches!(second, ServiceError::WriterRunning), "{second}");
        assert!(second.to_string().contains("one writer per database"));
    }
    let replica = start(Role::Api).await.expect("a replica starts");
    let api = format!("http://{}", replica.addr);
    let writer_url = format!("http://{}", writer.addr);

    // The replica serves what the writer wrote, and the writer's progress.
    chain.deposit_and_pay(&feed, &api, 600).await;
    let head = chain.provider(0).get_block_number().await.unwrap();
    let s = wait_for(&format!("{api}/v1/status"), "the writer's head", |s| {
        s["root"]["head"] == head && s["root"]["storedUpTo"] == head
    })
    .await;
    assert_eq!(s["root"]["lag"], 0);
    assert_eq!(s["child"]["valid"], 1000);
    let (code, data) = get_json(&format!("{api}/v1/outputs/{}/exit-data", B1000)).await;
    assert_eq!(code, 200, "{data}");
    assert!(
        chain.exit_with(2, &data).await,
        "the replica's exit data is accepted"
    );
    // The writer serves no API, only health, metrics and status.
    let (code, body) = get_json(&format!("{writer_url}/v1/outputs/{B1000}/exit-data")).await;
    assert_eq!(
        (code, &body["error"]["code"]),
        (404, &"route_not_found".into())
    );
    assert_eq!(status(&writer_url).await["child"]["valid"], 1000);

    // The lock goes with the writer: once it stopped, another writer may start.
    writer.stop().await.unwrap();
    // A replica's sessions are read-only (the writer stopped): a write is refused and changes nothing.
    let read_only = AnyStore::Postgres(PgStore::open_read_only(&url).await.unwrap());
    let before = dump_store(&read_only, &TABLES).await;
    let batch = RootBatch {
        to_block: head + 100,
        ..RootBatch::default()
    };
    let err = read_only.apply_root_batch(&batch).await.unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(dump_store(&read_only, &TABLES).await, before);
    read_only.close().await;
    let next = start(Role::Writer)
        .await
        .expect("a writer after the first stopped");
    next.stop().await.unwrap();
    replica.stop().await.unwrap();
}

#[tokio::test]
async fn a_killed_replica_leaves_the_other_serving_and_a_killed_writer_resumes_exactly() {
    let chain = Chain::start().await;
    let (dir, fresh_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let feed = FeedDouble::start().await;
    let url = pg_database(&dir.path().join("killed")).await;
    let (mut writer, _) = spawn(&chain, dir.path(), &feed.url, &url, "writer");
    // Replicas start once the writer created the schema.
    let store = PgStore::open_read_only(&url).await.unwrap();
    for _ in 0..200 {
        if store.schema_ready().await.unwrap() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (mut first, api1) = spawn(&chain, dir.path(), &feed.url, &url, "api");
    let (_second, api2) = spawn(&chain, dir.path(), &feed.url, &url, "api");
    healthy(&api1, dir.path()).await;
    healthy(&api2, dir.path()).await;
    chain.deposit_and_pay(&feed, &api2, 600).await;

    // Load on replica 2 while replica 1 is killed: every request is served, identically.
    let exit_data = format!("{api2}/v1/outputs/{}/exit-data", B1000 + 1);
    // The exit data without its wall-clock fields (`now`, `exitableAtIfStartedNow`).
    let fixed = |(code, body): (u16, serde_json::Value)| {
        let fields = ["output", "proof", "txBytes", "blockTimestamp", "utxoPos"];
        (code, fields.map(|f| body[f].clone()))
    };
    let expected = fixed(get_json(&exit_data).await);
    assert_eq!(expected.0, 200);
    assert!(expected.1.iter().all(|v| !v.is_null()), "{expected:?}");
    let load = tokio::spawn(async move {
        let mut served = Vec::new();
        for _ in 0..200 {
            served.push(fixed(get_json(&exit_data).await));
        }
        served
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    first.start_kill().unwrap();
    first.wait().await.unwrap();
    assert!(
        reqwest::get(format!("{api1}/health")).await.is_err(),
        "replica 1 is gone"
    );
    let served = load.await.unwrap();
    assert_eq!(served.len(), 200);
    if let Some(other) = served.iter().find(|r| **r != expected) {
        panic!("replica 2 served {other:?}, expected {expected:?}");
    }

    // Chain activity, the writer SIGKILLed in the middle of it, then restarted.
    let bob = chain.keys[2].clone();
    let b2000 = block(
        2000,
        vec![payment(
            &chain.domain,
            &[(B1000, &bob)],
            vec![eth(chain.keys[3].address(), 600)],
        )],
    );
    feed.publish(b2000.clone());
    chain.deposit(2, 5 * ETH).await;
    chain.submit(b2000.root).await;
    writer.start_kill().unwrap();
    writer.wait().await.unwrap();
    chain.deposit(3, 7 * ETH).await;
    let head = chain.provider(0).get_block_number().await.unwrap();
    let (_writer, _) = spawn(&chain, dir.path(), &feed.url, &url, "writer");
    wait_for(
        &format!("{api2}/v1/status"),
        "the restarted writer synced",
        |s| s["root"]["storedUpTo"] == head && s["child"]["valid"] == 2000,
    )
    .await;

    // A fresh sync of the same chain builds exactly the same database.
    let fresh_url = pg_database(&fresh_dir.path().join("fresh")).await;
    let fresh = plasma_indexer::start(pg_args(
        &chain,
        fresh_dir.path(),
        &feed.url,
        &fresh_url,
        Role::All,
    ))
    .await
    .unwrap();
    let fresh_api = format!("http://{}", fresh.addr);
    wait_for(&format!("{fresh_api}/v1/status"), "fresh sync", |s| {
        s["root"]["storedUpTo"] == head && s["child"]["valid"] == 2000
    })
    .await;
    fresh.stop().await.unwrap();
    let resumed = AnyStore::Postgres(store);
    let theirs = AnyStore::Postgres(PgStore::open_read_only(&fresh_url).await.unwrap());
    let ours = dump_store(&resumed, &TABLES).await;
    assert_eq!(ours, dump_store(&theirs, &TABLES).await);
    assert!(
        ours[0].contains("2000"),
        "block 2000 is in both: {}",
        ours[0]
    );
}

#[tokio::test]
async fn a_replica_shows_the_writers_report_ageing_once_the_writer_stops() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let feed = FeedDouble::start().await;
    let url = pg_database(&dir.path().join("stale")).await;
    let start = |role| {
        let mut args = pg_args(&chain, dir.path(), &feed.url, &url, role);
        args.max_writer_report_age_secs = 2;
        plasma_indexer::start(args)
    };
    let writer = start(Role::Writer).await.expect("the writer starts");
    let replica = start(Role::Api).await.expect("a replica starts");
    let (api, writer_url) = (
        format!("http://{}", replica.addr),
        format!("http://{}", writer.addr),
    );
    let fresh = wait_for(&format!("{api}/v1/status"), "a fresh report", |s| {
        s["writerReport"]["reportedAt"].is_u64() && s["writerReport"]["ageSecs"].as_u64() <= Some(1)
    })
    .await;
    assert_eq!(fresh["healthy"], true, "{fresh}");
    assert_eq!(fresh["writerReport"]["maxAgeSecs"], 2);
    // Only a replica shows it: the writer is the one reporting.
    assert!(status(&writer_url).await["writerReport"].is_null());

    // The writer stops: its last report ages (by the database's clock) and, past the
    // limit, the replica says so in its status, its health and its gauge.
    writer.stop().await.unwrap();
    let mut ages = Vec::new();
    let stale = wait_for(&format!("{api}/v1/status"), "writer_stale", |s| {
        ages.extend(s["writerReport"]["ageSecs"].as_u64());
        has_problem(s, "writer_stale")
    })
    .await;
    assert_eq!(stale["healthy"], false, "{stale}");
    assert!(
        stale["writerReport"]["ageSecs"].as_u64() >= Some(3),
        "{stale}"
    );
    assert!(
        ages.windows(2).all(|w| w[0] <= w[1]),
        "the age only grows: {ages:?}"
    );
    assert!(ages.first() < ages.last(), "the age grew: {ages:?}");
    let message = stale["problems"][0]["message"].as_str().unwrap();
    assert!(message.contains("s old (limit 2 s)"), "{message}");
    assert_unhealthy(&api, "writer_stale").await;

    // A writer again: its reports make the replica healthy.
    let next = start(Role::Writer).await.expect("a writer again");
    let healthy = wait_for(&format!("{api}/v1/status"), "healthy again", |s| {
        s["healthy"] == true
    })
    .await;
    assert!(
        healthy["writerReport"]["ageSecs"].as_u64() <= Some(2),
        "{healthy}"
    );
    next.stop().await.unwrap();
    replica.stop().await.unwrap();
}
