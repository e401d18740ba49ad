//! Scenario 5 of the in-flight issue: mass withholding. Twenty users each run
//! `plasma watch` (the real binary, their own journal). Ten of them pay the other ten;
//! the operator withholds the block that holds the first payments and then stops for
//! good. With no human action, every watcher takes its user's funds out — in-flight
//! exits of the journal's payments with piggybacks, piggybacks of the payees, standard
//! exits of the rest, processing — and stops. Nothing is lost: the users' root-chain
//! balances plus the fees they paid add up to the wei to where they started.

use std::time::{Duration, Instant};

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use plasma_devnet::procs::{ProcError, Service, Signal};

use crate::harness::{Net, ether, extra_user, tenths};
use crate::inflight_kit::{CliUser, eth, fees_since, gas_and_fees_since};

const USERS: usize = 20;
const MEP: u64 = 120;

/// Events of `kind` in a watcher's log (its stdout, one JSON document per event).
fn events(log: &std::path::Path, kind: &str) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .matches(&format!("\"event\": \"{kind}\""))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_watchers_take_everything_out_of_a_withholding_operator() {
    let mut net = Net::start(|c| {
        c.params.min_exit_period = MEP;
        c.operator_env
            .push(("PLASMA_OPERATOR_BYZANTINE".into(), "true".into()));
    })
    .await;
    let p = net.provider();
    let logs = tempfile::tempdir().unwrap();
    let users: Vec<CliUser> = (0..USERS as u64)
        .map(|i| CliUser::new(&extra_user(500 + i)))
        .collect();
    let watchtower = plasma_client::chain::dev_signer(plasma_devnet::stack::WATCHTOWER_ACCOUNT);
    let mut accounts: Vec<Address> = users.iter().map(|u| u.address).collect();
    accounts.push(watchtower.address());
    for u in &users {
        net.fund(u.address, ether(10)).await;
    }
    let first_block = p.get_block_number().await.unwrap();
    let root = net.stack.endpoints.deployment.root_chain;
    let mut start = U256::ZERO;
    for a in accounts.iter().chain([&root]) {
        start += eth(&p, *a).await;
    }

    for u in &users {
        u.run(&net, &["deposit", "--amount", "1"]);
    }
    for u in &users {
        net.wait_utxos(u.address, Address::ZERO, &[ether(1)]).await;
    }
    let mut watchers: Vec<Service> = users
        .iter()
        .enumerate()
        .map(|(i, u)| u.watch(&net, &logs.path().join(format!("watch-{i}.log"))))
        .collect();

    // Ten payments, the first of them into a block the operator withholds; then it stops.
    net.inject_fault("withhold_next").await;
    for i in 0..USERS / 2 {
        let to = format!("{:#x}", users[USERS / 2 + i].address);
        users[i].run(&net, &["send", "--to", &to, "--amount", "0.4"]);
    }
    net.wait_byzantine("block_withheld").await;
    let operator = net.stack.operator.take().expect("the operator runs");
    operator.signal(Signal::SIGKILL);
    operator.stop(Duration::from_secs(5)).await.unwrap();
    let stopped = Instant::now();
    let stop_block = p.get_block_number().await.unwrap();

    // Every watcher raises its alarm and acts; once nothing new happens for a while and
    // the indexer has resolved every in-flight exit (a payee sees that an exit pays it
    // only then; the first phase is MEP / 2 long), time moves on so the exits mature.
    let ctx = net.ctx(extra_user(500));
    let acted = |logs: &std::path::Path| -> usize {
        (0..USERS)
            .map(|i| {
                let log = logs.join(format!("watch-{i}.log"));
                ["in_flight_exit_started", "piggybacked", "exit_started"]
                    .iter()
                    .map(|k| events(&log, k))
                    .sum::<usize>()
            })
            .sum()
    };
    let (mut last, mut quiet_since) = (0, Instant::now());
    loop {
        let alarmed = (0..USERS)
            .filter(|i| events(&logs.path().join(format!("watch-{i}.log")), "alarm") > 0)
            .count();
        let now = acted(logs.path());
        let unresolved = ctx
            .indexer
            .inflight_exits(1000, 0)
            .await
            .unwrap()
            .exits
            .iter()
            .any(|e| e.first_phase_ends_at.is_none());
        if now != last || unresolved {
            (last, quiet_since) = (now, Instant::now());
        }
        if alarmed == USERS && quiet_since.elapsed() > Duration::from_secs(8) {
            break;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(MEP / 2),
            "the watchers did not settle within the first phase ({alarmed} alarmed, {now} actions)"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let mut done = 0;
    let deadline = Instant::now() + Duration::from_secs(240);
    while done < USERS {
        net.advance(MEP).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        for w in watchers.iter_mut() {
            if let Err(ProcError::Exited { status, tail, .. }) = w.check_running() {
                assert!(status.success(), "a watcher failed: {tail}");
            }
        }
        done = (0..USERS)
            .filter(|i| events(&logs.path().join(format!("watch-{i}.log")), "done") > 0)
            .count();
        assert!(
            Instant::now() < deadline,
            "only {done} of {USERS} watchers finished"
        );
    }
    let elapsed = stopped.elapsed();
    for w in watchers.drain(..) {
        w.stop(Duration::from_secs(5)).await.unwrap();
    }

    // Nothing is left in the child chain, and not a wei is missing.
    assert_eq!(
        ctx.root
            .exitQueueLength(Address::ZERO)
            .call()
            .await
            .unwrap(),
        U256::ZERO
    );
    let (mut end, mut fees, mut gas) = (U256::ZERO, U256::ZERO, 0);
    for a in &accounts {
        end += eth(&p, *a).await;
        let (g, f) = gas_and_fees_since(&p, *a, first_block + 1).await;
        (gas, fees) = (gas + g, fees + f);
    }
    let kept = eth(&p, root).await;
    let mut exit_gas = 0;
    for u in &users {
        exit_gas += gas_and_fees_since(&p, u.address, stop_block + 1).await.0;
    }
    assert_eq!(
        end + fees + kept,
        start,
        "users' balances + fees + what the contract kept = where they started"
    );
    // What the indexer still lists is exiting, or an input of a finalized in-flight exit.
    let in_flight = ctx.indexer.inflight_exits(1000, 0).await.unwrap().exits;
    assert!(
        !in_flight.is_empty() && in_flight.iter().all(|e| e.status == "finalized"),
        "{in_flight:?}"
    );
    let ife_inputs: Vec<u64> = in_flight
        .iter()
        .flat_map(|e| e.inputs.iter().map(|i| i.utxo_pos))
        .collect();
    let mut changes = Vec::new();
    for (i, u) in users.iter().enumerate() {
        for o in ctx.indexer.utxos(u.address).await.unwrap() {
            assert!(
                o.exit_status.is_some() || ife_inputs.contains(&o.utxo_pos),
                "user {i} has output {} neither exiting nor in flight",
                o.utxo_pos
            );
        }
        let net_change =
            eth(&p, u.address).await + fees_since(&p, u.address, first_block + 1).await;
        changes.push(i128::try_from(net_change).unwrap() - i128::try_from(ether(10)).unwrap());
    }
    // Payers lose the 0.4 they paid, payees gain it; each loses at most its bounties
    // (the watchers that processed exits earned them).
    let tenth = i128::try_from(tenths(1)).unwrap();
    for (i, change) in changes.iter().enumerate() {
        let expected = if i < USERS / 2 { -4 * tenth } else { 4 * tenth };
        let log = |i: usize| std::fs::read_to_string(logs.path().join(format!("watch-{i}.log")));
        let (payer, payee) = (i % (USERS / 2), i % (USERS / 2) + USERS / 2);
        assert!(
            change - expected > -2 * tenth,
            "user {i}: {change} wei, expected {expected} ± bounties; all: {changes:?}\n\
             the payer's watcher:\n{}\nthe payee's watcher:\n{}",
            log(payer).unwrap(),
            log(payee).unwrap()
        );
    }
    tracing::info!(
        users = USERS,
        secs_from_operator_stop = elapsed.as_secs(),
        total_gas = gas,
        exit_gas,
        exit_gas_per_user = exit_gas / USERS as u64,
        total_fees_wei = %fees,
        contract_kept_wei = %kept,
        in_flight_exits = in_flight.len(),
        "MASS WITHHOLDING: every user's funds out"
    );
    net.stack.stop().await.unwrap();
}
