//! The soak's verdict, taken once the traffic and the faults have stopped and the system
//! has settled: no acknowledged payment lost, every child block's root on chain exactly
//! once, the long-running indexer equal to a fresh one, and the wei adding up.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use alloy::sol_types::SolEvent;
use eyre::WrapErr;
use plasma_bindings::RootChain;
use plasma_client::Ctx;
use serde::Serialize;
use serde_json::Value;

/// What the audit found.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Audit {
    /// Payments the operator acknowledged.
    pub acknowledged: usize,
    /// Acknowledged payments the indexer does not have in a block.
    pub lost: Vec<B256>,
    /// Child blocks whose roots are on chain.
    pub roots_on_chain: usize,
    /// Anything wrong with the submitted roots (a gap, a duplicate, a root that differs
    /// from the operator's block).
    pub root_errors: Vec<String>,
    /// The first difference between the indexer and a fresh one, if any.
    pub fresh_sync_difference: Option<String>,
    /// Views compared with the fresh indexer.
    pub views_compared: usize,
    /// ETH deposited (the `DepositCreated` events of the final chain).
    #[serde(with = "plasma_rpc_types::amount")]
    pub deposits_wei: U256,
    /// ETH in unspent child-chain outputs that are not exiting (the indexer).
    #[serde(with = "plasma_rpc_types::amount")]
    pub child_balances_wei: U256,
    /// ETH in exits started and neither challenged nor processed.
    #[serde(with = "plasma_rpc_types::amount")]
    pub open_exits_wei: U256,
    /// ETH in processed exits.
    #[serde(with = "plasma_rpc_types::amount")]
    pub processed_exits_wei: U256,
    /// Exits started on the final chain.
    pub exits_started: usize,
    /// Of those, challenged.
    pub exits_challenged: usize,
    /// Cheating exits (of spent outputs) that were not challenged.
    pub cheats_unchallenged: Vec<u64>,
    /// `availableFunds(ETH)` of the RootChain.
    #[serde(with = "plasma_rpc_types::amount")]
    pub available_funds_wei: U256,
}

impl Audit {
    /// Every way the run failed; empty when it passed.
    pub fn failures(&self) -> Vec<String> {
        let mut failures = Vec::new();
        if !self.lost.is_empty() {
            failures.push(format!(
                "{} acknowledged payments lost: {:?}",
                self.lost.len(),
                self.lost
            ));
        }
        failures.extend(self.root_errors.iter().cloned());
        if let Some(diff) = &self.fresh_sync_difference {
            failures.push(format!("the indexer differs from a fresh sync: {diff}"));
        }
        let accounted = self.child_balances_wei + self.open_exits_wei + self.processed_exits_wei;
        if accounted != self.deposits_wei {
            failures.push(format!(
                "wei do not add up: deposits {} ≠ child balances {} + open exits {} + processed exits {}",
                self.deposits_wei,
                self.child_balances_wei,
                self.open_exits_wei,
                self.processed_exits_wei
            ));
        }
        if self.available_funds_wei < self.child_balances_wei + self.open_exits_wei {
            failures.push(format!(
                "insolvent: available funds {} < child balances + open exits {}",
                self.available_funds_wei,
                self.child_balances_wei + self.open_exits_wei
            ));
        }
        if !self.cheats_unchallenged.is_empty() {
            failures.push(format!(
                "exits of spent outputs not challenged: {:?}",
                self.cheats_unchallenged
            ));
        }
        failures
    }
}

/// Every acknowledged payment the indexer cannot find.
pub async fn lost_payments(indexer_url: &str, hashes: &[B256]) -> eyre::Result<Vec<B256>> {
    let client = reqwest::Client::new();
    let mut lost = Vec::new();
    for hash in hashes {
        let url = format!("{indexer_url}/v1/transactions/{hash}");
        let status = client.get(&url).send().await?.status();
        if status.as_u16() == 404 {
            lost.push(*hash);
        } else if !status.is_success() {
            eyre::bail!("{url} answered {status}");
        }
    }
    Ok(lost)
}

/// Checks the `BlockSubmitted` events of the final chain: child blocks 1000, 2000, … up to
/// the operator's newest sealed block, each once, each with the operator's root.
pub async fn roots(ctx: &Ctx, latest_sealed: u64) -> eyre::Result<(usize, Vec<String>)> {
    let logs = events::<RootChain::BlockSubmitted>(ctx).await?;
    let mut errors = Vec::new();
    let interval = plasma_core::CHILD_BLOCK_INTERVAL;
    for (i, log) in logs.iter().enumerate() {
        let expected = (i as u64 + 1) * interval;
        let blknum: u64 = log.blknum.try_into().unwrap_or(u64::MAX);
        if blknum != expected {
            errors.push(format!(
                "root #{i} is for block {blknum}, expected {expected} (a gap or a duplicate)"
            ));
            continue;
        }
        let block = ctx.operator.block(blknum).await?;
        if block.root != log.root {
            errors.push(format!(
                "block {blknum}: chain root {} ≠ operator root {}",
                log.root, block.root
            ));
        }
    }
    if logs.len() as u64 * interval != latest_sealed {
        errors.push(format!(
            "{} roots on chain, but the operator sealed up to block {latest_sealed}",
            logs.len()
        ));
    }
    Ok((logs.len(), errors))
}

/// Adds up deposits, exits and child-chain balances, and finds cheating exits that
/// survived.
pub async fn wei(
    ctx: &Ctx,
    users: &[Address],
    cheats: &HashSet<u64>,
    audit: &mut Audit,
) -> eyre::Result<()> {
    let eth = |token: Address| token == Address::ZERO;
    audit.deposits_wei = events::<RootChain::DepositCreated>(ctx)
        .await?
        .iter()
        .filter(|d| eth(d.token))
        .map(|d| d.amount)
        .sum();
    let started = events::<RootChain::ExitStarted>(ctx).await?;
    let challenged: HashSet<B256> = events::<RootChain::ExitChallenged>(ctx)
        .await?
        .iter()
        .map(|c| c.exitId)
        .collect();
    let processed: HashSet<B256> = events::<RootChain::ExitProcessed>(ctx)
        .await?
        .iter()
        .map(|p| p.exitId)
        .collect();
    audit.exits_started = started.len();
    audit.exits_challenged = challenged.len();
    for exit in started.iter().filter(|e| eth(e.token)) {
        if processed.contains(&exit.exitId) {
            audit.processed_exits_wei += exit.amount;
        } else if !challenged.contains(&exit.exitId) {
            audit.open_exits_wei += exit.amount;
        }
        if cheats.contains(&exit.utxoPos) && !challenged.contains(&exit.exitId) {
            audit.cheats_unchallenged.push(exit.utxoPos);
        }
    }
    for user in users {
        audit.child_balances_wei += ctx
            .indexer
            .utxos(*user)
            .await?
            .iter()
            .filter(|u| eth(u.token) && u.exit_status.is_none())
            .map(|u| u.amount)
            .sum::<U256>();
    }
    audit.available_funds_wei = ctx.root.availableFunds(Address::ZERO).call().await?;
    Ok(())
}

/// Active exits of outputs the indexer knows are spent (the watchtower's backlog).
pub async fn spent_exits_active(ctx: &Ctx) -> eyre::Result<usize> {
    let (mut count, mut offset) = (0, 0);
    loop {
        let page = ctx.indexer.exits(None, "active", 1000, offset).await?;
        count += page.exits.iter().filter(|e| e.output_spent).count();
        if page.exits.len() < 1000 {
            return Ok(count);
        }
        offset += 1000;
    }
}

/// Every event `E` of the RootChain on the final chain, in chain order.
async fn events<E: SolEvent>(ctx: &Ctx) -> eyre::Result<Vec<E>> {
    let filter = Filter::new()
        .address(ctx.deployment.root_chain)
        .event_signature(E::SIGNATURE_HASH)
        .from_block(0);
    let logs = ctx
        .provider
        .get_logs(&filter)
        .await
        .wrap_err_with(|| format!("reading {} logs", E::SIGNATURE))?;
    logs.iter()
        .map(|log| {
            E::decode_log(&log.inner)
                .map(|l| l.data)
                .wrap_err_with(|| format!("decoding {}", E::SIGNATURE))
        })
        .collect()
}

/// What an indexer serves about the whole system, by URL path: every block, every exit,
/// in-flight exits, and each user's outputs, balances and history.
pub async fn views(indexer_url: &str, users: &[Address]) -> eyre::Result<BTreeMap<String, Value>> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let get = |path: String| {
        let client = client.clone();
        let url = format!("{indexer_url}{path}");
        async move {
            let response = client.get(&url).send().await?;
            eyre::ensure!(
                response.status().is_success(),
                "{url}: {}",
                response.status()
            );
            Ok::<_, eyre::Report>(response.json::<Value>().await?)
        }
    };
    let mut views = BTreeMap::new();
    let mut before = None;
    loop {
        let path = match before {
            None => "/v1/blocks?limit=1000".to_owned(),
            Some(b) => format!("/v1/blocks?limit=1000&before={b}"),
        };
        let page = get(path.clone()).await?;
        let blocks = page["blocks"].as_array().cloned().unwrap_or_default();
        let Some(last) = blocks.last().and_then(|b| b["blknum"].as_u64()) else {
            break;
        };
        views.insert(path, page);
        before = Some(last);
    }
    for offset in (0..).step_by(1000) {
        let path = format!("/v1/exits?limit=1000&offset={offset}");
        let mut page = get(path.clone()).await?;
        page["now"] = Value::Null; // the wall clock, not state
        let exits = page["exits"].as_array_mut();
        let done = exits.as_ref().is_none_or(|e| e.len() < 1000);
        for exit in exits.into_iter().flatten() {
            // Which watchtower sent the winning challenge is local, not chain state.
            exit["ourChallengeTx"] = Value::Null;
        }
        views.insert(path, page);
        if done {
            break;
        }
    }
    // Byzantine events are left out: they are what this indexer saw happen over time (an
    // invalid exit it then challenged), which a fresh indexer never sees.
    let mut in_flight = get("/v1/inflight-exits?limit=1000".into()).await?;
    in_flight["now"] = Value::Null; // the wall clock, not state
    views.insert("/v1/inflight-exits".into(), in_flight);
    for user in users {
        for what in ["utxos", "balances", "history?limit=1000"] {
            let path = format!("/v1/addresses/{user:#x}/{what}");
            views.insert(path.clone(), get(path).await?);
        }
    }
    Ok(views)
}

/// The first place at which two sets of views differ: the view and the JSON path in it.
pub fn first_difference(
    ours: &BTreeMap<String, Value>,
    fresh: &BTreeMap<String, Value>,
) -> Option<String> {
    for (path, value) in ours {
        match fresh.get(path) {
            None => return Some(format!("{path}: missing at the fresh indexer")),
            Some(other) => {
                if let Some(diff) = json_difference(value, other, String::new()) {
                    return Some(format!("{path}: {diff}"));
                }
            }
        }
    }
    fresh
        .keys()
        .find(|p| !ours.contains_key(*p))
        .map(|p| format!("{p}: only at the fresh indexer"))
}

/// The first JSON path at which `a` and `b` differ, with both values there.
fn json_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
            let (va, vb) = (
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
            );
            json_difference(va, vb, format!("{at}.{k}"))
        }),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (va, vb))| json_difference(va, vb, format!("{at}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("at {at}: ours {} ≠ fresh {}", short(a), short(b))),
    }
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    match v {
        Value::Array(items) if text.len() > 200 => format!("[{} items]", items.len()),
        _ if text.len() > 200 => format!("{}…", &text[..200]),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_difference_names_its_path() {
        let ours = BTreeMap::from([("/v".to_owned(), json!({"a": [1, {"b": 2}], "c": 3}))]);
        let same = ours.clone();
        assert_eq!(first_difference(&ours, &same), None);
        let fresh = BTreeMap::from([("/v".to_owned(), json!({"a": [1, {"b": 5}], "c": 3}))]);
        assert_eq!(
            first_difference(&ours, &fresh).unwrap(),
            "/v: at .a[1].b: ours 2 ≠ fresh 5"
        );
        let longer = BTreeMap::from([("/v".to_owned(), json!({"a": [1], "c": 3}))]);
        assert!(first_difference(&ours, &longer).unwrap().contains(".a"));
        let extra = BTreeMap::from([("/w".to_owned(), json!(1))]);
        assert!(first_difference(&ours, &extra).unwrap().contains("missing"));
    }
}
