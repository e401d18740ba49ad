//! `plasma soak`: the whole system under mixed traffic ([`traffic`]) while faults are
//! injected ([`faults`]), then settled and audited ([`audit`]). The services reach anvil
//! through a proxy ([`proxy`]) so an RPC outage can be staged without touching anvil.

pub mod audit;
pub mod faults;
pub mod proxy;
pub mod traffic;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, U256, keccak256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use eyre::WrapErr;
use plasma_client::chain::{self, dev_signer};
use plasma_client::{Ctx, user};
use serde::Serialize;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::procs::free_port;
use crate::smoke::wait_for;
use crate::stack::{FIRST_USER_ACCOUNT, Stack, StackConfig};
use audit::Audit;
use faults::Fault;
use traffic::{Tally, TrafficReport};

/// How to soak.
#[derive(Debug, Clone)]
pub struct SoakConfig {
    /// How long traffic and faults run.
    pub duration: Duration,
    /// Seed of every random choice (traffic and faults).
    pub seed: u64,
    /// Child-chain users (fresh keys derived from the seed, funded from the dev accounts).
    pub users: usize,
    /// Directory for the databases and logs (wiped first).
    pub data_dir: PathBuf,
}

/// What a soak run did and found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SoakReport {
    /// Seconds of traffic and faults.
    pub traffic_secs: u64,
    /// Seconds spent settling and auditing afterwards.
    pub audit_secs: u64,
    /// The seed.
    pub seed: u64,
    /// Users.
    pub users: usize,
    /// What the traffic did.
    pub traffic: TrafficReport,
    /// The faults injected, in order.
    pub faults: Vec<Fault>,
    /// The audit.
    pub audit: Audit,
    /// Every failure; empty when the run passed.
    pub failures: Vec<String>,
}

/// Services' confirmation margin: reorganisations go up to one block less deep.
const CONFIRMATIONS: u64 = 3;
/// Each user's starting balance on the root chain.
const USER_FUNDS_ETH: u64 = 100;

/// Runs the soak and returns its report (a failed check is in `failures`, not an error;
/// an error means the run itself could not proceed).
pub async fn run(cfg: &SoakConfig) -> eyre::Result<SoakReport> {
    let anvil_port = free_port()?;
    let upstream: SocketAddr = format!("127.0.0.1:{anvil_port}").parse()?;
    let proxy = proxy::RpcProxy::start(upstream).await?;
    let mut config = StackConfig::new(cfg.data_dir.clone(), anvil_port);
    config.operator_port = free_port()?;
    config.indexer_port = free_port()?;
    config.block_time = Some(1);
    config.confirmations = CONFIRMATIONS;
    config.withholding_timeout_secs = 30;
    config.services_rpc_url = Some(proxy.url().to_owned());
    let mut stack = Stack::start(&config).await?;
    let endpoints = stack.endpoints.clone();

    let users = derive_users(cfg.seed, cfg.users);
    let addresses: Vec<Address> = users.iter().map(|u| u.address()).collect();
    fund(&endpoints.rpc_url, &addresses).await?;

    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let deadline = started + cfg.duration;
    tracing::info!(
        users = users.len(),
        secs = cfg.duration.as_secs(),
        "soak: traffic and faults"
    );
    let mut traffic = JoinSet::new();
    for (i, me) in users.iter().enumerate() {
        let others = addresses
            .iter()
            .copied()
            .filter(|a| *a != me.address())
            .collect();
        let seed = cfg.seed.wrapping_add(1 + i as u64);
        let (endpoints, me, tally) = (endpoints.clone(), me.clone(), tally.clone());
        traffic.spawn(async move {
            traffic::user_loop(endpoints, me, others, seed, deadline, &tally).await;
        });
    }
    let reader = (endpoints.clone(), addresses.clone(), tally.clone());
    traffic
        .spawn(async move { traffic::reader_loop(reader.0, reader.1, deadline, &reader.2).await });
    let faults = faults::inject(&mut stack, &config, &proxy, cfg.seed, deadline).await;
    while let Some(done) = traffic.join_next().await {
        done.wrap_err("a traffic task panicked")?;
    }
    let faults = faults?;
    proxy.resume();
    let traffic_secs = started.elapsed().as_secs();

    tracing::info!("soak: settling");
    let ctx = endpoints.ctx(users[0].clone())?;
    let latest = settle(&ctx, &tally).await?;
    tracing::info!(latest_block = latest, "soak: auditing");
    let mut audit = Audit {
        acknowledged: tally.acknowledged().len(),
        lost: audit::lost_payments(&endpoints.indexer_url, &tally.acknowledged()).await?,
        ..Audit::default()
    };
    (audit.roots_on_chain, audit.root_errors) = audit::roots(&ctx, latest).await?;
    audit::wei(&ctx, &addresses, &tally.cheat_positions(), &mut audit).await?;
    let ours = audit::views(&endpoints.indexer_url, &addresses).await?;
    let fresh = fresh_views(&stack, &config, &ctx, &addresses).await?;
    audit.views_compared = ours.len();
    audit.fresh_sync_difference = audit::first_difference(&ours, &fresh);
    stack.stop().await?;

    let traffic = tally.report();
    let mut failures = audit.failures();
    if traffic.read_server_errors > 0 {
        failures.push(format!("{} reads got a 5xx", traffic.read_server_errors));
    }
    Ok(SoakReport {
        traffic_secs,
        audit_secs: started.elapsed().as_secs() - traffic_secs,
        seed: cfg.seed,
        users: users.len(),
        traffic,
        faults,
        audit,
        failures,
    })
}

/// `n` users' keys, derived from the seed (the same seed gives the same users).
fn derive_users(seed: u64, n: usize) -> Vec<PrivateKeySigner> {
    (0..n as u64)
        .map(|i| {
            let key = keccak256(
                [
                    b"plasma-soak".as_slice(),
                    &seed.to_be_bytes(),
                    &i.to_be_bytes(),
                ]
                .concat(),
            );
            PrivateKeySigner::from_bytes(&key).expect("a keccak digest is a valid key")
        })
        .collect()
}

/// Sends each user [`USER_FUNDS_ETH`] from the development user accounts.
async fn fund(rpc_url: &str, users: &[Address]) -> eyre::Result<()> {
    let funder = chain::wallet_provider(rpc_url, dev_signer(FIRST_USER_ACCOUNT))?;
    let amount = U256::from(USER_FUNDS_ETH) * U256::from(10u64).pow(U256::from(18));
    for user in users {
        let tx = TransactionRequest::default()
            .with_to(*user)
            .with_value(amount);
        let pending = funder
            .send_transaction(tx)
            .await
            .wrap_err("funding a soak user")?;
        chain::confirm(pending, "funding", 1).await?;
    }
    Ok(())
}

/// Waits until every payment is in a block whose root is on chain and the indexer has
/// checked it; then every cheating exit must be challenged (the watchtower has until the
/// exit period ends), time moves past the exit period and every matured exit is processed.
/// Returns the newest child block.
async fn settle(ctx: &Ctx, tally: &Tally) -> eyre::Result<u64> {
    quiesce(ctx).await?;
    let cheats = tally.cheat_positions();
    // The watchtower has until each exit matures; time is not moved before it is done.
    wait_for(
        Duration::from_secs(90),
        "the watchtower to challenge every invalid exit",
        || async {
            let mut audit = Audit::default();
            audit::wei(ctx, &[], &cheats, &mut audit).await?;
            Ok(audit.cheats_unchallenged.is_empty() && audit::spent_exits_active(ctx).await? == 0)
        },
    )
    .await?;
    let period = ctx.root.MIN_EXIT_PERIOD().call().await?;
    let _: serde_json::Value = ctx
        .provider
        .raw_request("evm_increaseTime".into(), [period.to::<u64>() * 2 + 1])
        .await?;
    let _: serde_json::Value = ctx.provider.raw_request("evm_mine".into(), ()).await?;
    for _ in 0..100 {
        if ctx
            .root
            .exitQueueLength(Address::ZERO)
            .call()
            .await?
            .is_zero()
        {
            break;
        }
        user::process_exits(&ctx.root, Address::ZERO, 100).await?;
    }
    // Let the services follow the processing (and anything the time jump matured).
    tokio::time::sleep(Duration::from_secs(CONFIRMATIONS + 2)).await;
    quiesce(ctx).await
}

/// Waits until the operator has nothing pending and every sealed root is on chain, and the
/// indexer has checked every block and followed the root chain to within the margin.
/// Returns the newest child block.
async fn quiesce(ctx: &Ctx) -> eyre::Result<u64> {
    wait_for(Duration::from_secs(180), "the system to settle", || async {
        let op = ctx.operator.status().await?;
        let ix = ctx.indexer.status().await?;
        let head = ctx.provider.get_block_number().await?;
        let next = ctx.root.nextChildBlock().call().await?.to::<u64>();
        let sealed = op.latest_sealed_block.unwrap_or(0);
        Ok(op.pending_txs == 0
            && op.latest_submitted_block == op.latest_sealed_block
            && next == sealed + plasma_core::CHILD_BLOCK_INTERVAL
            && ix.child.valid.unwrap_or(0) == sealed
            && ix.child.committed.unwrap_or(0) == sealed
            && ix.root.stored_up_to.unwrap_or(0) + CONFIRMATIONS + 2 >= head)
    })
    .await?;
    Ok(ctx
        .operator
        .status()
        .await?
        .latest_sealed_block
        .unwrap_or(0))
}

/// Starts a fresh indexer on the final chain, waits until it has caught up, and reads its
/// views.
async fn fresh_views(
    stack: &Stack,
    config: &StackConfig,
    ctx: &Ctx,
    users: &[Address],
) -> eyre::Result<std::collections::BTreeMap<String, serde_json::Value>> {
    let port = free_port()?;
    let dir = config.data_dir.join("fresh-indexer");
    let service = stack.spawn_indexer(config, &dir, port, None).await?;
    let fresh = plasma_client::api::IndexerClient::new(&format!("http://127.0.0.1:{port}"));
    let ours = ctx.indexer.status().await?;
    wait_for(
        Duration::from_secs(180),
        "the fresh indexer to catch up",
        || async {
            let s = fresh.status().await?;
            Ok(s.child.valid == ours.child.valid && s.root.stored_up_to >= ours.root.stored_up_to)
        },
    )
    .await?;
    let views = audit::views(&format!("http://127.0.0.1:{port}"), users).await;
    service.stop(Duration::from_secs(10)).await?;
    views
}
