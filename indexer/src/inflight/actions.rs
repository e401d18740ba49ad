//! What the watchtower sends about in-flight exits, once per exit, action and index: the
//! canonicity challenge, the response to an invalid one, the piggyback challenges.

use super::{Competitor, Pass};

use crate::{
    proofs::ProofCache,
    store::{InFlightAction, InFlightExit, IndexerStore, Piggyback, StoreError},
    watchtower::Watchtower,
};
use alloy::{
    primitives::{Address, B256, Bytes, U256},
    providers::DynProvider,
};
use plasma_bindings::{IInFlightExitTypes, RootChain};
use plasma_core::position::UtxoPos;
use std::time::Duration;

/// Inclusion data of a stored transaction: position, proof, block timestamp.
async fn inclusion<S: IndexerStore>(
    store: &S,
    proofs: &ProofCache,
    tx_pos: u64,
) -> Result<Option<(u64, Bytes, u64)>, StoreError> {
    let Some(source) = store.exit_source(tx_pos).await? else {
        return Ok(None);
    };
    let pos = UtxoPos(tx_pos);
    let proof = proofs.proof(store, pos.blknum(), pos.txindex()).await?;
    Ok(Some((tx_pos, proof, source.block_timestamp)))
}

/// Sends a transaction once per exit, action and index; records it when mined.
async fn act<S: IndexerStore>(
    w: &Watchtower<S>,
    exit_id: B256,
    (action, index): (InFlightAction, u8),
    pass: &mut Pass,
    send: impl AsyncFnOnce(RootChain::RootChainInstance<DynProvider>, Address) -> Option<B256>,
) -> Result<(), StoreError> {
    let Some(challenger) = &w.challenger else {
        return Ok(());
    };
    if let Some(ours) = w.store.inflight_action(exit_id, action, index).await?
        && crate::watchtower::still_mined(&challenger.provider, ours).await
    {
        return Ok(());
    }
    let contract = RootChain::new(w.root_chain, challenger.provider.clone());
    if let Some(tx_hash) = send(contract, challenger.address).await {
        tracing::info!(%exit_id, %action, index, %tx_hash, "in-flight exit action mined");
        w.store
            .record_inflight_action(exit_id, action, index, tx_hash)
            .await?;
        w.metrics.challenge_sent();
        pass.sent += 1;
    }
    Ok(())
}

/// How long one pass waits for a sent call's receipt. A call that is not mined by then
/// (dropped by a reorganisation, stuck behind an outage) is simply not recorded, and the
/// next pass sends it again if it is still due: waiting longer stalled every other
/// challenge of the pass while invalid exits matured (found by `plasma soak`).
const RECEIPT_WAIT: Duration = Duration::from_secs(12);

/// Waits (at most [`RECEIPT_WAIT`]) for a sent call's receipt: its hash when it succeeded.
pub(crate) async fn confirmed<N: alloy::network::Network>(
    what: &str,
    sent: Result<alloy::providers::PendingTransactionBuilder<N>, alloy::contract::Error>,
) -> Option<B256> {
    let pending = match sent {
        Ok(pending) => pending,
        Err(e) => {
            tracing::warn!(error = %e, "{what} not sent");
            return None;
        }
    };
    let tx_hash = *pending.tx_hash();
    match pending.with_timeout(Some(RECEIPT_WAIT)).get_receipt().await {
        Ok(receipt) if alloy::network::ReceiptResponse::status(&receipt) => Some(tx_hash),
        Ok(_) => {
            tracing::warn!(%tx_hash, "{what} reverted");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "{what} not confirmed");
            None
        }
    }
}

pub(super) async fn challenge_canonicity<S: IndexerStore>(
    w: &Watchtower<S>,
    exit: &InFlightExit,
    competitor: &Competitor,
    pass: &mut Pass,
) -> Result<(), StoreError> {
    let Some(input_source) = w.store.exit_source(competitor.input.pos).await? else {
        return Ok(());
    };
    let (pos, proof, timestamp) = match competitor.tx_pos {
        Some(tx_pos) => match inclusion(&w.store, &w.proofs, tx_pos).await? {
            Some(found) => found,
            None => return Ok(()),
        },
        // Not shown included: it ranks after every block.
        None => (0, Bytes::new(), 0),
    };
    let c = IInFlightExitTypes::CanonicityChallenge {
        exitId: exit.exit_id,
        inputIndex: competitor.input.index,
        inputTx: input_source.tx_bytes,
        competingTx: competitor.tx.clone(),
        competingInputIndex: competitor.input_index,
        competingTxPos: pos,
        competingProof: proof,
        competingBlockTimestamp: U256::from(timestamp),
        competingSignature: competitor.signature.clone(),
        challenger: Address::ZERO,
    };
    let action = (InFlightAction::ChallengeCanonicity, 0);
    act(w, exit.exit_id, action, pass, async |contract, me| {
        let c = IInFlightExitTypes::CanonicityChallenge {
            challenger: me,
            ..c
        };
        confirmed(
            "canonicity challenge",
            contract.challengeInFlightExitNotCanonical(c).send().await,
        )
        .await
    })
    .await
}

pub(super) async fn respond<S: IndexerStore>(
    w: &Watchtower<S>,
    exit: &InFlightExit,
    tx_pos: u64,
    pass: &mut Pass,
) -> Result<(), StoreError> {
    let Some(tx) = exit.tx.clone() else {
        return Ok(());
    };
    let Some((pos, proof, timestamp)) = inclusion(&w.store, &w.proofs, tx_pos).await? else {
        return Ok(());
    };
    // One response per challenge: the index is the number of challenges answered.
    let index = u8::try_from(exit.challenges.len()).unwrap_or(u8::MAX);
    let action = (InFlightAction::Respond, index);
    act(w, exit.exit_id, action, pass, async |contract, _| {
        let call = contract.respondToNonCanonicalChallenge(tx, pos, proof, U256::from(timestamp));
        confirmed("canonicity response", call.send().await).await
    })
    .await
}

pub(super) async fn challenge_piggyback<S: IndexerStore>(
    w: &Watchtower<S>,
    exit: &InFlightExit,
    piggyback: &Piggyback,
    tx_pos: Option<u64>,
    spend: &crate::store::Spend,
    pass: &mut Pass,
) -> Result<(), StoreError> {
    let index = piggyback.index;
    if !piggyback.is_output {
        let action = (InFlightAction::ChallengeInput, index);
        return act(w, exit.exit_id, action, pass, async |contract, me| {
            let call = contract.challengeInFlightExitInputSpent(
                exit.exit_id,
                index,
                spend.spending_tx.clone(),
                spend.input_index,
                spend.signature.clone(),
                me,
            );
            confirmed("input-spent challenge", call.send().await).await
        })
        .await;
    }
    let (Some(tx), Some(tx_pos)) = (exit.tx.clone(), tx_pos) else {
        return Ok(());
    };
    let Some((pos, proof, timestamp)) = inclusion(&w.store, &w.proofs, tx_pos).await? else {
        return Ok(());
    };
    let action = (InFlightAction::ChallengeOutput, index);
    act(w, exit.exit_id, action, pass, async |contract, me| {
        let c = IInFlightExitTypes::OutputSpentChallenge {
            inFlightTx: tx,
            inFlightTxPos: pos,
            inFlightTxProof: proof,
            blockTimestamp: U256::from(timestamp),
            outputIndex: index,
            spendingTx: spend.spending_tx.clone(),
            spendingInputIndex: spend.input_index,
            signature: spend.signature.clone(),
            challenger: me,
        };
        confirmed(
            "output-spent challenge",
            contract.challengeInFlightExitOutputSpent(c).send().await,
        )
        .await
    })
    .await
}
