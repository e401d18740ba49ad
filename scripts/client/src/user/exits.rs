//! Root-chain calls of the exit game and the operator's root: submit a root (for the
//! stand-in chains), start, challenge and process exits.

use alloy::primitives::{Address, B256, U256};
use eyre::WrapErr;
use serde::Serialize;

use super::{RootChain, RootChainContract, fee_paid};
use crate::api::{ChallengeData, ExitData};
use crate::chain::confirm;

/// A committed child block.
#[derive(Debug, Clone, Copy)]
pub struct Submitted {
    /// Its number.
    pub blknum: u64,
    /// The commitment timestamp.
    pub timestamp: u64,
    /// Gas used by `submitBlock`.
    pub gas_used: u64,
}

/// Submits a block root (the contract must be bound to the operator's provider).
pub async fn submit_block(root: &RootChainContract, block_root: B256) -> eyre::Result<Submitted> {
    let pending = root
        .submitBlock(block_root)
        .send()
        .await
        .wrap_err("sending submitBlock")?;
    let receipt = confirm(pending, "submitBlock", 1).await?;
    let log = receipt
        .decoded_log::<RootChain::BlockSubmitted>()
        .ok_or_else(|| eyre::eyre!("the submitBlock receipt has no BlockSubmitted event"))?;
    Ok(Submitted {
        blknum: log.blknum.try_into()?,
        timestamp: log.timestamp.try_into()?,
        gas_used: receipt.gas_used,
    })
}

/// A standard exit that started.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExitStarted {
    /// The exit id: the output id, keccak256(txHash ‖ oindex).
    pub exit_id: B256,
    /// Position of the exiting output.
    pub utxo_pos: u64,
    /// When it becomes processable (unix seconds).
    pub exitable_at: u64,
    /// Token.
    pub token: Address,
    /// Amount.
    #[serde(with = "plasma_rpc_types::amount")]
    pub amount: U256,
    /// Gas used.
    pub gas_used: u64,
    /// Wei paid in transaction fees (the bond not included).
    #[serde(with = "plasma_rpc_types::amount")]
    pub fee_paid: U256,
}

/// Gas limit for a call whose cost grows with the exit queue: other exits landing between
/// the estimate and the execution (a mass exit) deepen the heap insert.
pub(super) fn with_queue_margin(estimate: u64) -> u64 {
    estimate + estimate / 2 + 20_000
}

/// Starts the standard exit described by `data`, paying the contract's bond.
pub async fn start_exit(root: &RootChainContract, data: &ExitData) -> eyre::Result<ExitStarted> {
    let bond = root
        .EXIT_BOND()
        .call()
        .await
        .wrap_err("reading EXIT_BOND")?;
    let call = root
        .startStandardExit(
            data.utxo_pos,
            data.tx_bytes.clone(),
            data.proof.clone(),
            U256::from(data.block_timestamp),
        )
        .value(bond);
    let rejected = || format!("startStandardExit({}) was rejected", data.utxo_pos);
    let estimate = call.estimate_gas().await.wrap_err_with(rejected)?;
    let pending = call
        .gas(with_queue_margin(estimate))
        .send()
        .await
        .wrap_err_with(rejected)?;
    let receipt = confirm(pending, "exit", 1).await?;
    let log = receipt
        .decoded_log::<RootChain::ExitStarted>()
        .ok_or_else(|| eyre::eyre!("the exit receipt has no ExitStarted event"))?;
    Ok(ExitStarted {
        exit_id: log.exitId,
        utxo_pos: log.utxoPos,
        exitable_at: log.exitableAt,
        token: log.token,
        amount: log.amount,
        gas_used: receipt.gas_used,
        fee_paid: fee_paid(&receipt),
    })
}

/// Challenges an exit with `data`, sending the challenger's share of the bond to
/// `challenger`. Returns the gas used.
pub async fn challenge_exit(
    root: &RootChainContract,
    data: &ChallengeData,
    challenger: Address,
) -> eyre::Result<u64> {
    let pending = root
        .challengeStandardExit(
            data.utxo_pos,
            data.spending_tx.clone(),
            data.input_index,
            data.signature.clone(),
            challenger,
        )
        .send()
        .await
        .wrap_err_with(|| format!("challengeStandardExit({}) was rejected", data.utxo_pos))?;
    Ok(confirm(pending, "challenge", 1).await?.gas_used)
}

/// Exits processed by one `processExits` call.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Processed {
    /// Exits paid (or credited for withdrawal), in processing order.
    pub exits: Vec<u64>,
    /// Those whose payout was deferred to `withdraw` (a failed transfer).
    pub deferred: Vec<u64>,
    /// Gas used.
    pub gas_used: u64,
    /// Wei paid in transaction fees.
    #[serde(with = "plasma_rpc_types::amount")]
    pub fee_paid: U256,
}

/// Calls `processExits(token, max)`.
pub async fn process_exits(
    root: &RootChainContract,
    token: Address,
    max: u64,
) -> eyre::Result<Processed> {
    let pending = root
        .processExits(token, U256::from(max))
        .send()
        .await
        .wrap_err("sending processExits")?;
    let receipt = confirm(pending, "processExits", 1).await?;
    let logs: Vec<_> = receipt
        .inner
        .logs()
        .iter()
        .filter_map(|log| log.log_decode::<RootChain::ExitProcessed>().ok())
        .map(|log| log.inner.data)
        .collect();
    Ok(Processed {
        exits: logs.iter().map(|l| l.utxoPos).collect(),
        deferred: logs
            .iter()
            .filter(|l| l.deferred)
            .map(|l| l.utxoPos)
            .collect(),
        gas_used: receipt.gas_used,
        fee_paid: fee_paid(&receipt),
    })
}
