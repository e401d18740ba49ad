//! The soak's traffic: each user, on its own task, deposits, pays other users, exits,
//! cheats (exits an output it has just spent) and processes matured exits; a reader reads
//! both services at full speed. Every payment the operator acknowledges is recorded, so
//! the audit can check that none was lost.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use alloy::primitives::{Address, B256, U256};
use alloy::signers::local::PrivateKeySigner;
use eyre::{WrapErr, eyre};
use plasma_client::api::Utxo;
use plasma_client::{Ctx, user};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use tokio::time::Instant;

use crate::stack::Endpoints;

/// Longest any one user action may take before it counts as failed (a fault can leave a
/// root-chain transaction unmined for good).
const ACTION_TIMEOUT: Duration = Duration::from_secs(45);

/// What the traffic did, counted as it happened.
#[derive(Debug, Default)]
pub struct Tally {
    deposits: AtomicU64,
    payments: AtomicU64,
    refused: AtomicU64,
    exits: AtomicU64,
    cheats: AtomicU64,
    processed: AtomicU64,
    failed: AtomicU64,
    reads: AtomicU64,
    read_server_errors: AtomicU64,
    read_unreachable: AtomicU64,
    acknowledged: Mutex<Vec<B256>>,
    cheat_positions: Mutex<HashSet<u64>>,
}

/// [`Tally`]'s final counts.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficReport {
    /// Deposits mined (a reorganisation may have removed some since).
    pub deposits: u64,
    /// Payments the operator acknowledged.
    pub payments: u64,
    /// Payments the operator refused (a race with an exit, an input it had not seen yet).
    pub refused: u64,
    /// Standard exits started of unspent outputs.
    pub exits: u64,
    /// Exits started of outputs their owner had just spent (the watchtower must challenge).
    pub cheats: u64,
    /// `processExits` calls mined.
    pub processed: u64,
    /// Actions that failed or timed out (expected while a fault is active).
    pub failed: u64,
    /// Reads that got an answer.
    pub reads: u64,
    /// Reads answered with a 5xx.
    pub read_server_errors: u64,
    /// Reads that found the service unreachable (killed or restarting).
    pub read_unreachable: u64,
}

impl Tally {
    /// The counts so far.
    pub fn report(&self) -> TrafficReport {
        let n = |a: &AtomicU64| a.load(Ordering::SeqCst);
        TrafficReport {
            deposits: n(&self.deposits),
            payments: n(&self.payments),
            refused: n(&self.refused),
            exits: n(&self.exits),
            cheats: n(&self.cheats),
            processed: n(&self.processed),
            failed: n(&self.failed),
            reads: n(&self.reads),
            read_server_errors: n(&self.read_server_errors),
            read_unreachable: n(&self.read_unreachable),
        }
    }

    /// Hashes of every acknowledged payment.
    pub fn acknowledged(&self) -> Vec<B256> {
        self.acknowledged.lock().expect("tally lock").clone()
    }

    /// Positions whose exits were cheats.
    pub fn cheat_positions(&self) -> HashSet<u64> {
        self.cheat_positions.lock().expect("tally lock").clone()
    }

    fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::SeqCst);
    }
}

/// One user's traffic until `deadline`; `others` are the users it pays.
pub async fn user_loop(
    endpoints: Endpoints,
    me: PrivateKeySigner,
    others: Vec<Address>,
    seed: u64,
    deadline: Instant,
    tally: &Tally,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut exiting = HashSet::new();
    while Instant::now() < deadline {
        let roll = rng.random_range(0..100u32);
        let to = others[rng.random_range(0..others.len())];
        let amount_seed: u64 = rng.random();
        let action = async {
            // A fresh context per action: after a reorganisation the provider's cached
            // nonce would be wrong.
            let ctx = endpoints.ctx(me.clone())?;
            let mine = spendable(&ctx, &exiting).await?;
            match roll {
                _ if mine.is_empty() || roll < 15 => deposit(&ctx, amount_seed, tally).await,
                15..75 => pay(&ctx, &mine, to, amount_seed, tally).await,
                75..85 => exit(&ctx, &mine, amount_seed, &mut exiting, tally).await,
                85..93 => cheat(&ctx, &mine, to, amount_seed, tally).await,
                _ => process(&ctx, tally).await,
            }
        };
        match tokio::time::timeout(ACTION_TIMEOUT, action).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                Tally::add(&tally.failed);
                tracing::debug!(user = %me.address(), "soak action failed: {e:#}");
            }
            Err(_) => {
                Tally::add(&tally.failed);
                tracing::debug!(user = %me.address(), "soak action timed out");
            }
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(50..400))).await;
    }
}

/// The user's ETH outputs that are not exiting, as the indexer lists them.
async fn spendable(ctx: &Ctx, exiting: &HashSet<u64>) -> eyre::Result<Vec<Utxo>> {
    let me = ctx.me()?;
    Ok(ctx
        .indexer
        .utxos(me)
        .await?
        .into_iter()
        .filter(|u| u.token == Address::ZERO && u.exit_status.is_none())
        .filter(|u| !exiting.contains(&u.utxo_pos))
        .collect())
}

async fn deposit(ctx: &Ctx, seed: u64, tally: &Tally) -> eyre::Result<()> {
    // Between 0.01 and 1 ETH, to the wei.
    let amount = U256::from(10_000_000_000_000_000u64 + seed % 990_000_000_000_000_000);
    user::deposit_eth(&ctx.root, ctx.me()?, amount).await?;
    Tally::add(&tally.deposits);
    Ok(())
}

/// Pays `to` a random part of (at most) the four largest outputs.
async fn pay(ctx: &Ctx, mine: &[Utxo], to: Address, seed: u64, tally: &Tally) -> eyre::Result<()> {
    let mut largest = mine.to_vec();
    largest.sort_by_key(|u| std::cmp::Reverse(u.amount));
    largest.truncate(plasma_core::tx::MAX_IO);
    let total: U256 = largest.iter().map(|u| u.amount).sum();
    let amount = U256::from(1) + U256::from(seed) % total;
    submit(ctx, &largest, to, amount, tally).await.map(|_| ())
}

/// Plans, signs and submits; `Some(hash)` when the operator acknowledged it.
async fn submit(
    ctx: &Ctx,
    inputs: &[Utxo],
    to: Address,
    amount: U256,
    tally: &Tally,
) -> eyre::Result<Option<B256>> {
    let me = ctx.me()?;
    let tx = user::plan_payment(inputs, me, to, Address::ZERO, amount, U256::ZERO)?;
    let wire = user::sign_all(&tx, ctx.signer()?, &ctx.domain())?;
    match ctx.operator.submit(&wire).await {
        Ok(submitted) => {
            Tally::add(&tally.payments);
            tally
                .acknowledged
                .lock()
                .expect("tally lock")
                .push(submitted.tx_hash);
            Ok(Some(submitted.tx_hash))
        }
        Err(e) if e.code().is_some() => {
            Tally::add(&tally.refused);
            tracing::debug!("payment refused: {e}");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

async fn exit(
    ctx: &Ctx,
    mine: &[Utxo],
    seed: u64,
    exiting: &mut HashSet<u64>,
    tally: &Tally,
) -> eyre::Result<()> {
    let utxo = &mine[seed as usize % mine.len()];
    // Never spent from now on, whether the exit lands or not.
    exiting.insert(utxo.utxo_pos);
    let data = ctx.indexer.exit_data(utxo.utxo_pos).await?;
    user::start_exit(&ctx.root, &data).await?;
    Tally::add(&tally.exits);
    Ok(())
}

/// Takes an output's exit data, spends the output, waits until the indexer has the spend,
/// then starts the exit anyway.
async fn cheat(
    ctx: &Ctx,
    mine: &[Utxo],
    to: Address,
    seed: u64,
    tally: &Tally,
) -> eyre::Result<()> {
    let utxo = &mine[seed as usize % mine.len()];
    let data = ctx.indexer.exit_data(utxo.utxo_pos).await?;
    let Some(hash) = submit(ctx, std::slice::from_ref(utxo), to, utxo.amount, tally).await? else {
        return Ok(());
    };
    let me = ctx.me()?;
    let start = Instant::now();
    while ctx
        .indexer
        .utxos(me)
        .await?
        .iter()
        .any(|u| u.utxo_pos == utxo.utxo_pos)
    {
        if start.elapsed() > Duration::from_secs(30) {
            return Err(eyre!("the indexer did not see spend {hash} in 30 s"));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    user::start_exit(&ctx.root, &data)
        .await
        .wrap_err("starting the exit of a spent output")?;
    tally
        .cheat_positions
        .lock()
        .expect("tally lock")
        .insert(utxo.utxo_pos);
    Tally::add(&tally.cheats);
    Ok(())
}

async fn process(ctx: &Ctx, tally: &Tally) -> eyre::Result<()> {
    user::process_exits(&ctx.root, Address::ZERO, 20).await?;
    Tally::add(&tally.processed);
    Ok(())
}

/// Reads both services at full speed until `deadline`, counting 5xx answers.
pub async fn reader_loop(
    endpoints: Endpoints,
    users: Vec<Address>,
    deadline: Instant,
    tally: &Tally,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("an HTTP client");
    let mut i = 0usize;
    while Instant::now() < deadline {
        let user = users[i % users.len()];
        i += 1;
        let urls = [
            format!("{}/v1/blocks/latest", endpoints.operator_url),
            format!("{}/v1/status", endpoints.indexer_url),
            format!("{}/v1/addresses/{user:#x}/utxos", endpoints.indexer_url),
            format!("{}/v1/addresses/{user:#x}/history", endpoints.indexer_url),
        ];
        for url in urls {
            match client.get(&url).send().await {
                Ok(r) if r.status().is_server_error() => {
                    Tally::add(&tally.read_server_errors);
                    tracing::warn!(%url, status = %r.status(), "soak read got a server error");
                }
                Ok(_) => Tally::add(&tally.reads),
                Err(_) => {
                    Tally::add(&tally.read_unreachable);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}
