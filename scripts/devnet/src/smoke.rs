//! The smoke run of a running system: one ETH deposit and one transfer, each checked at
//! the indexer; and the polling helper it (and the end-to-end tests) wait with.

use std::time::{Duration, Instant};

use alloy::primitives::{Address, U256, utils::format_ether};
use eyre::bail;
use plasma_client::chain::dev_signer;
use plasma_client::user;
use plasma_client::wallet::send_payment;
use plasma_core::position::UtxoPos;

use crate::stack::{Endpoints, FIRST_USER_ACCOUNT};

/// One ETH deposit and one transfer through the running system, each checked at the
/// indexer.
pub async fn run(endpoints: &Endpoints) -> eyre::Result<()> {
    let alice = endpoints.ctx(dev_signer(FIRST_USER_ACCOUNT))?;
    let bob = dev_signer(FIRST_USER_ACCOUNT + 1).address();
    let amount = U256::from(10).pow(U256::from(18));
    let deposit = user::deposit_eth(&alice.root, alice.me()?, amount).await?;
    tracing::info!(utxo_pos = deposit.utxo_pos, "smoke: deposited 1 ETH");
    wait_for(
        Duration::from_secs(60),
        "the indexer to list the deposit",
        || async {
            Ok(alice
                .indexer
                .utxos(alice.me()?)
                .await?
                .iter()
                .any(|u| u.utxo_pos == deposit.utxo_pos))
        },
    )
    .await?;
    let quarter = amount / U256::from(4);
    let sent = send_payment(&alice, None, bob, Address::ZERO, quarter, U256::ZERO).await?;
    tracing::info!(tx_hash = %sent.tx_hash, "smoke: sent {} ETH", format_ether(quarter));
    wait_for(
        Duration::from_secs(60),
        "the indexer to list the transfer's output",
        || async {
            Ok(alice
                .indexer
                .utxos(bob)
                .await?
                .iter()
                .any(|u| u.amount == quarter && !UtxoPos(u.utxo_pos).is_deposit()))
        },
    )
    .await?;
    tracing::info!("smoke: deposit and transfer confirmed by the indexer");
    Ok(())
}

/// Polls `check` every 200 ms until it says true, failing after `timeout`.
pub async fn wait_for<F, Fut>(timeout: Duration, what: &str, mut check: F) -> eyre::Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = eyre::Result<bool>>,
{
    let start = Instant::now();
    let mut last_err = None;
    loop {
        match check().await {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(e) => last_err = Some(e),
        }
        if start.elapsed() > timeout {
            match last_err {
                Some(e) => {
                    bail!("timed out after {timeout:?} waiting for {what}; last error: {e:#}")
                }
                None => bail!("timed out after {timeout:?} waiting for {what}"),
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
