//! The soak's faults, one at a time at random moments: SIGKILL of the operator or the
//! indexer (restarted on the same data), a root-chain reorganisation, an RPC outage.
//! Each kind comes once in every round of four, in a random order.

use std::time::Duration;

use alloy::providers::Provider;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use tokio::time::Instant;

use super::proxy::RpcProxy;
use crate::procs::Signal;
use crate::stack::{Stack, StackConfig};

/// A fault kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// SIGKILL of the operator, restarted after a pause.
    KillOperator,
    /// SIGKILL of the indexer, restarted after a pause.
    KillIndexer,
    /// `anvil_reorg`: the newest blocks replaced by empty ones.
    Reorg,
    /// The services cut off the root chain for a while.
    RpcPause,
}

/// One injected fault.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// Seconds after the traffic started.
    pub at_secs: u64,
    /// What.
    pub kind: FaultKind,
    /// Its size: seconds down or paused, or reorganised depth in blocks.
    pub size: u64,
}

/// Injects faults every 10–20 s until `deadline`; the depth of a reorganisation stays
/// below the services' confirmation margin, which is what they promise to survive.
pub async fn inject(
    stack: &mut Stack,
    config: &StackConfig,
    proxy: &RpcProxy,
    seed: u64,
    deadline: Instant,
) -> eyre::Result<Vec<Fault>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = Instant::now();
    let mut faults = Vec::new();
    let mut round = Vec::new();
    loop {
        let wait = Duration::from_millis(rng.random_range(10_000..20_000));
        if Instant::now() + wait >= deadline {
            return Ok(faults);
        }
        tokio::time::sleep(wait).await;
        if round.is_empty() {
            round = vec![
                FaultKind::KillOperator,
                FaultKind::KillIndexer,
                FaultKind::Reorg,
                FaultKind::RpcPause,
            ];
            round.shuffle(&mut rng);
        }
        let kind = round.pop().expect("a fault");
        let at_secs = start.elapsed().as_secs();
        let size = match kind {
            FaultKind::KillOperator | FaultKind::KillIndexer => {
                let down = rng.random_range(1..=3);
                kill_and_restart(stack, config, kind, down).await?;
                down
            }
            FaultKind::Reorg => {
                let depth = rng.random_range(1..config.confirmations.max(2));
                reorg(stack, config, depth).await?;
                depth
            }
            FaultKind::RpcPause => {
                let secs = rng.random_range(5..=12);
                proxy.pause();
                tokio::time::sleep(Duration::from_secs(secs)).await;
                proxy.resume();
                secs
            }
        };
        tracing::info!(?kind, size, at_secs, "soak: fault injected");
        faults.push(Fault {
            at_secs,
            kind,
            size,
        });
    }
}

async fn kill_and_restart(
    stack: &mut Stack,
    config: &StackConfig,
    kind: FaultKind,
    down_secs: u64,
) -> eyre::Result<()> {
    let service = match kind {
        FaultKind::KillOperator => stack.operator.take(),
        _ => stack.indexer.take(),
    };
    if let Some(service) = service {
        service.signal(Signal::SIGKILL);
        service.stop(Duration::from_secs(5)).await?;
    }
    tokio::time::sleep(Duration::from_secs(down_secs)).await;
    match kind {
        FaultKind::KillOperator => stack.start_operator(config).await,
        _ => stack.start_indexer(config).await,
    }
}

/// Replaces the newest `depth` blocks with empty ones: every transaction they held is gone.
/// Interval mining is paused around it: anvil mining a block while it reorganises left a
/// block number below the head missing for good (a 30-minute run, minute 13), which no
/// real chain does.
async fn reorg(stack: &Stack, config: &StackConfig, depth: u64) -> eyre::Result<()> {
    let provider = plasma_client::chain::read_provider(&stack.endpoints.rpc_url)?;
    let interval = config.block_time.unwrap_or(0);
    let _: serde_json::Value = provider
        .raw_request("evm_setIntervalMining".into(), [0u64])
        .await?;
    let reorganised: Result<serde_json::Value, _> = provider
        .raw_request(
            "anvil_reorg".into(),
            (depth, Vec::<serde_json::Value>::new()),
        )
        .await;
    let _: serde_json::Value = provider
        .raw_request("evm_setIntervalMining".into(), [interval])
        .await?;
    reorganised?;
    Ok(())
}
