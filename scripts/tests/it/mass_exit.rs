//! Scenario 4: the operator withholds a block and then stops for good. The indexer raises
//! `block_withheld`; 50 users exit every output they hold with the indexer's proofs and
//! recover everything, to the wei. Prints the mass exit's total gas (docs/COST.md).

use alloy::primitives::{Address, U256};
use plasma_devnet::procs::Signal;
use tokio::task::JoinSet;

use crate::harness::{Net, User, dev, ether, extra_user, process_all, tenths};

const USERS: u64 = 50;

#[tokio::test(flavor = "multi_thread")]
async fn fifty_users_leave_a_dead_operator() {
    let mut net = Net::start(|c| {
        c.params.min_exit_period = 120;
        c.operator_env
            .push(("PLASMA_OPERATOR_BYZANTINE".into(), "true".into()));
    })
    .await;
    let eth = Address::ZERO;
    let signers: Vec<_> = (0..USERS).map(extra_user).collect();
    for s in &signers {
        net.fund(s.address(), ether(10)).await;
    }
    let mut users = Vec::new();
    for s in &signers {
        users.push(User::new(&net, s.clone()).await);
    }
    let addresses: Vec<Address> = users.iter().map(|u| u.address).collect();

    // Everyone deposits 1 ETH, then pays 0.3 ETH to the next user.
    let mut users = in_parallel(users, |mut u| async move {
        u.deposit_eth(ether(1)).await;
        u
    })
    .await;
    for a in &addresses {
        net.wait_utxos(*a, eth, &[ether(1)]).await;
    }
    for (i, u) in users.iter().enumerate() {
        u.send(addresses[(i + 1) % addresses.len()], eth, tenths(3))
            .await;
    }
    for a in &addresses {
        net.wait_utxos(*a, eth, &[tenths(7), tenths(3)]).await;
    }

    // A bystander's payment goes into a block whose data the operator withholds; then the
    // operator dies.
    let mut bystander = User::new(&net, dev(6)).await;
    bystander.deposit_eth(ether(1)).await;
    net.wait_utxos(bystander.address, eth, &[ether(1)]).await;
    net.inject_fault("withhold_next").await;
    bystander.send(dev(7).address(), eth, tenths(1)).await;
    let event = net.wait_byzantine("block_withheld").await;
    tracing::info!(?event, "withholding raised");
    net.stack
        .operator
        .as_ref()
        .expect("operator running")
        .signal(Signal::SIGKILL);
    let operator = net.stack.operator.take().unwrap();
    drop(operator);

    // The mass exit.
    let users_exited = in_parallel(std::mem::take(&mut users), |mut u| async move {
        let gas = u.exit_all().await;
        (u, gas)
    })
    .await;
    let exit_gas: u64 = users_exited.iter().map(|(_, g)| g).sum();
    let users: Vec<User> = users_exited.into_iter().map(|(u, _)| u).collect();
    let exits: u64 = users.iter().map(|u| u.exits).sum();
    assert_eq!(exits, 2 * USERS, "every user exited both outputs");
    net.advance(3 * 120 + 1).await;
    let processor = User::new(&net, dev(8)).await;
    let (processed, deferred, process_gas, _) = process_all(&processor.ctx, eth, 50).await;
    assert_eq!(processed.len() as u64, 2 * USERS);
    assert!(deferred.is_empty(), "no payout failed");
    tracing::info!(
        users = USERS,
        exits,
        start_exit_gas = exit_gas,
        process_gas,
        total_gas = exit_gas + process_gas,
        "MASS EXIT GAS: {} users, {} exits: startStandardExit {} + processExits {} = {} gas",
        USERS,
        exits,
        exit_gas,
        process_gas,
        exit_gas + process_gas
    );

    let bounty = net.stack.endpoints.deployment.process_bounty;
    let token = net.stack.endpoints.token;
    for u in &users {
        u.assert_final(token, ether(1), U256::ZERO, bounty).await;
    }
    net.stack.stop().await.unwrap();
}

/// Runs `f` on every item concurrently and returns the results in the original order.
async fn in_parallel<T, R, F, Fut>(items: Vec<T>, f: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = R> + Send + 'static,
{
    let mut set = JoinSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let fut = f(item);
        set.spawn(async move { (i, fut.await) });
    }
    let mut out: Vec<(usize, R)> = set.join_all().await;
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}
