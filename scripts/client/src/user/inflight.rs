//! Root-chain calls of the in-flight exit game (MoreVP, docs/CONTRACTS.md "In-flight
//! exits"): start an in-flight exit, piggyback an input or an output, challenge its
//! canonicity, answer a canonicity challenge, and challenge a piggyback of a spent input
//! or output. Each takes the data the indexer serves (`plasma_rpc_types::indexer`) and
//! returns what the call did: the root-chain transaction, its gas and fee, and the bond.

use alloy::contract::{CallBuilder, CallDecoder};
use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::DynProvider;
use alloy::rpc::types::TransactionReceipt;
use alloy::sol_types::SolEvent;
use eyre::WrapErr;
use plasma_bindings::IInFlightExitTypes;
use plasma_rpc_types::indexer::{CanonicityProof, CompetitorData, InFlightExitData};
use serde::Serialize;

use super::{RootChain, RootChainContract, fee_paid, with_queue_margin};
use crate::chain::confirm;

/// A mined root-chain transaction: its hash, gas and fee.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RootTx {
    /// Root-chain transaction hash.
    pub tx_hash: B256,
    /// Gas used.
    pub gas_used: u64,
    /// Wei paid in transaction fees (bonds not included).
    #[serde(with = "plasma_rpc_types::amount")]
    pub fee_paid: U256,
}

impl RootTx {
    fn of(receipt: &TransactionReceipt) -> Self {
        Self {
            tx_hash: receipt.transaction_hash,
            gas_used: receipt.gas_used,
            fee_paid: fee_paid(receipt),
        }
    }
}

/// An in-flight exit that started.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlightStarted {
    /// The exit id: keccak256 of the in-flight transaction.
    pub exit_id: B256,
    /// Positions of its inputs.
    pub inputs: Vec<u64>,
    /// When processing may pay it (unix seconds).
    pub exitable_at: u64,
    /// Its priority position (its youngest input).
    pub youngest_pos: u64,
    /// The bond posted (`IFE_BOND`).
    #[serde(with = "plasma_rpc_types::amount")]
    pub bond: U256,
    /// The call.
    #[serde(flatten)]
    pub tx: RootTx,
}

/// A piggyback on an input or an output of an in-flight exit.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Piggybacked {
    /// The in-flight exit.
    pub exit_id: B256,
    /// An output (true) or an input.
    pub is_output: bool,
    /// Its index.
    pub index: u8,
    /// Its owner (who will be paid).
    pub owner: Address,
    /// Token.
    pub token: Address,
    /// Amount.
    #[serde(with = "plasma_rpc_types::amount")]
    pub amount: U256,
    /// The bond posted (`PIGGYBACK_BOND`).
    #[serde(with = "plasma_rpc_types::amount")]
    pub bond: U256,
    /// The call.
    #[serde(flatten)]
    pub tx: RootTx,
}

/// A canonicity challenge that made an in-flight exit non-canonical.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CanonicityChallenged {
    /// The in-flight exit.
    pub exit_id: B256,
    /// The competing transaction shown.
    pub competing_tx_hash: B256,
    /// Its rank (`u64::MAX` when not shown included).
    pub competitor_pos: u64,
    /// Who owns the canonicity share if the exit ends non-canonical.
    pub challenger: Address,
    /// The call.
    #[serde(flatten)]
    pub tx: RootTx,
}

/// A response that proved an in-flight exit's transaction included (canonical again).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CanonicityResponded {
    /// The in-flight exit.
    pub exit_id: B256,
    /// The position proven.
    pub tx_pos: u64,
    /// The call.
    #[serde(flatten)]
    pub tx: RootTx,
}

/// A piggyback removed because its input or output was spent.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PiggybackChallenged {
    /// The in-flight exit.
    pub exit_id: B256,
    /// An output (true) or an input.
    pub is_output: bool,
    /// Its index.
    pub index: u8,
    /// Receiver of the challenger's share.
    pub challenger: Address,
    /// The call.
    #[serde(flatten)]
    pub tx: RootTx,
}

/// A signed spend of an output: the spending transaction, which of its inputs spends the
/// output, and the output owner's signature of it.
#[derive(Debug, Clone)]
pub struct Spend {
    /// Canonical bytes of the spending PAYMENT.
    pub tx: Bytes,
    /// Its input that is the spent output's position.
    pub input_index: u8,
    /// The output owner's 65-byte signature of it.
    pub signature: Bytes,
}

/// The event `E` of a mined call.
fn event<E: SolEvent>(receipt: &TransactionReceipt) -> eyre::Result<E> {
    receipt
        .decoded_log::<E>()
        .map(|log| log.data)
        .ok_or_else(|| eyre::eyre!("the receipt has no {} event", E::SIGNATURE))
}

/// The revert of a call, with the contract's custom error named when it is one.
fn rejected(what: &str, err: alloy::contract::Error) -> eyre::Report {
    match err.as_decoded_interface_error::<RootChain::RootChainErrors>() {
        Some(decoded) => eyre::eyre!("{what} was rejected by the contract: {decoded:?}"),
        None => eyre::Report::new(err).wrap_err(format!("{what} was rejected")),
    }
}

/// Estimates (so that a revert is refused with its custom error, before anything is
/// paid), sends with a margin for the exit queue, and waits for the receipt.
async fn send<D: CallDecoder>(
    call: CallBuilder<&DynProvider, D>,
    what: &str,
) -> eyre::Result<TransactionReceipt> {
    let estimate = call.estimate_gas().await.map_err(|e| rejected(what, e))?;
    let pending = call
        .gas(with_queue_margin(estimate))
        .send()
        .await
        .map_err(|e| rejected(what, e))?;
    confirm(pending, what, 1).await
}

/// Starts the in-flight exit described by `data` (the indexer's
/// `POST /v1/inflight-exit-data`), paying `IFE_BOND`.
pub async fn start_in_flight_exit(
    root: &RootChainContract,
    data: &InFlightExitData,
) -> eyre::Result<InFlightStarted> {
    let bond = root.IFE_BOND().call().await.wrap_err("reading IFE_BOND")?;
    let args = IInFlightExitTypes::StartArgs {
        inFlightTx: data.in_flight_tx.clone(),
        inputTxs: data.input_txs.clone(),
        inputUtxoPos: data.input_utxo_pos.clone(),
        inputProofs: data.input_proofs.clone(),
        inputBlockTimestamps: data
            .input_block_timestamps
            .iter()
            .map(|&t| U256::from(t))
            .collect(),
        inputSignatures: data.input_signatures.clone(),
    };
    let receipt = send(
        root.startInFlightExit(args).value(bond),
        "startInFlightExit",
    )
    .await?;
    let log = event::<RootChain::InFlightExitStarted>(&receipt)?;
    Ok(InFlightStarted {
        exit_id: log.exitId,
        inputs: log.inputUtxoPos.clone(),
        exitable_at: log.exitableAt,
        youngest_pos: log.youngestPos,
        bond,
        tx: RootTx::of(&receipt),
    })
}

fn piggybacked(receipt: &TransactionReceipt, bond: U256) -> eyre::Result<Piggybacked> {
    let log = event::<RootChain::InFlightExitPiggybacked>(receipt)?;
    Ok(Piggybacked {
        exit_id: log.exitId,
        is_output: log.isOutput,
        index: log.index,
        owner: log.owner,
        token: log.token,
        amount: log.amount,
        bond,
        tx: RootTx::of(receipt),
    })
}

/// Piggybacks input `index` of in-flight exit `exit_id` (its owner's key only), showing
/// `input_tx`, the transaction that created the input. Pays `PIGGYBACK_BOND`.
pub async fn piggyback_input(
    root: &RootChainContract,
    exit_id: B256,
    index: u8,
    input_tx: &Bytes,
) -> eyre::Result<Piggybacked> {
    let bond = piggyback_bond(root).await?;
    let call = root
        .piggybackInFlightExitOnInput(exit_id, index, input_tx.clone())
        .value(bond);
    piggybacked(&send(call, "piggybackInFlightExitOnInput").await?, bond)
}

/// Piggybacks output `index` of the in-flight transaction `in_flight_tx` (its owner's key
/// only). Pays `PIGGYBACK_BOND`.
pub async fn piggyback_output(
    root: &RootChainContract,
    in_flight_tx: &Bytes,
    index: u8,
) -> eyre::Result<Piggybacked> {
    let bond = piggyback_bond(root).await?;
    let call = root
        .piggybackInFlightExitOnOutput(in_flight_tx.clone(), index)
        .value(bond);
    piggybacked(&send(call, "piggybackInFlightExitOnOutput").await?, bond)
}

async fn piggyback_bond(root: &RootChainContract) -> eyre::Result<U256> {
    root.PIGGYBACK_BOND()
        .call()
        .await
        .wrap_err("reading PIGGYBACK_BOND")
}

/// Challenges the canonicity of an in-flight exit with the competitor `data` (the
/// indexer's `POST /v1/inflight-exit-competitor`), naming `challenger` owner of the
/// canonicity share.
pub async fn challenge_non_canonical(
    root: &RootChainContract,
    data: &CompetitorData,
    challenger: Address,
) -> eyre::Result<CanonicityChallenged> {
    let (pos, proof, stamp) = match &data.competing_inclusion {
        Some(i) => (i.tx_pos, i.proof.clone(), U256::from(i.block_timestamp)),
        None => (0, Bytes::new(), U256::ZERO),
    };
    let c = IInFlightExitTypes::CanonicityChallenge {
        exitId: data.exit_id,
        inputIndex: data.input_index,
        inputTx: data.input_tx.clone(),
        competingTx: data.competing_tx.clone(),
        competingInputIndex: data.competing_input_index,
        competingTxPos: pos,
        competingProof: proof,
        competingBlockTimestamp: stamp,
        competingSignature: data.competing_signature.clone(),
        challenger,
    };
    let receipt = send(
        root.challengeInFlightExitNotCanonical(c),
        "challengeInFlightExitNotCanonical",
    )
    .await?;
    let log = event::<RootChain::InFlightExitChallenged>(&receipt)?;
    Ok(CanonicityChallenged {
        exit_id: log.exitId,
        competing_tx_hash: log.competingTxHash,
        competitor_pos: log.competitorPos,
        challenger: log.challenger,
        tx: RootTx::of(&receipt),
    })
}

/// Answers a canonicity challenge with the inclusion `proof` of the in-flight transaction
/// (the indexer's `POST /v1/inflight-exit-canonicity-proof`): the caller owns the
/// canonicity share.
pub async fn respond_to_canonicity_challenge(
    root: &RootChainContract,
    proof: &CanonicityProof,
) -> eyre::Result<CanonicityResponded> {
    let call = root.respondToNonCanonicalChallenge(
        proof.in_flight_tx.clone(),
        proof.inclusion.tx_pos,
        proof.inclusion.proof.clone(),
        U256::from(proof.inclusion.block_timestamp),
    );
    let receipt = send(call, "respondToNonCanonicalChallenge").await?;
    let log = event::<RootChain::InFlightExitChallengeResponded>(&receipt)?;
    Ok(CanonicityResponded {
        exit_id: log.exitId,
        tx_pos: log.txPos,
        tx: RootTx::of(&receipt),
    })
}

/// Removes the piggyback of input `index` of `exit_id` with `spend`, another signed
/// transaction spending that input; the challenger's share goes to `challenger`.
pub async fn challenge_input_spent(
    root: &RootChainContract,
    exit_id: B256,
    index: u8,
    spend: &Spend,
    challenger: Address,
) -> eyre::Result<PiggybackChallenged> {
    let call = root.challengeInFlightExitInputSpent(
        exit_id,
        index,
        spend.tx.clone(),
        spend.input_index,
        spend.signature.clone(),
        challenger,
    );
    let receipt = send(call, "challengeInFlightExitInputSpent").await?;
    let log = event::<RootChain::InFlightExitInputBlocked>(&receipt)?;
    Ok(PiggybackChallenged {
        exit_id: log.exitId,
        is_output: false,
        index: log.index,
        challenger: log.challenger,
        tx: RootTx::of(&receipt),
    })
}

/// Removes the piggyback of output `index` of the in-flight transaction, proven included
/// by `proof`, with `spend`, a signed transaction spending that output.
pub async fn challenge_output_spent(
    root: &RootChainContract,
    proof: &CanonicityProof,
    index: u8,
    spend: &Spend,
    challenger: Address,
) -> eyre::Result<PiggybackChallenged> {
    let c = IInFlightExitTypes::OutputSpentChallenge {
        inFlightTx: proof.in_flight_tx.clone(),
        inFlightTxPos: proof.inclusion.tx_pos,
        inFlightTxProof: proof.inclusion.proof.clone(),
        blockTimestamp: U256::from(proof.inclusion.block_timestamp),
        outputIndex: index,
        spendingTx: spend.tx.clone(),
        spendingInputIndex: spend.input_index,
        signature: spend.signature.clone(),
        challenger,
    };
    let receipt = send(
        root.challengeInFlightExitOutputSpent(c),
        "challengeInFlightExitOutputSpent",
    )
    .await?;
    let log = event::<RootChain::InFlightExitOutputBlocked>(&receipt)?;
    Ok(PiggybackChallenged {
        exit_id: log.exitId,
        is_output: true,
        index: log.index,
        challenger: log.challenger,
        tx: RootTx::of(&receipt),
    })
}
