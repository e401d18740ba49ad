//! In-flight exits beyond their events: the [`Resolver`] recovers each exit's transaction
//! bytes from the start's calldata (the event carries only its hash, the exit id) and the
//! start's root-chain time (which opens the first phase); [`watch`] is the watchtower's
//! in-flight part: it raises the in-flight byzantine events, resolves those whose
//! condition no longer holds, and (with the challenger key) challenges non-canonical
//! exits, answers invalid canonicity challenges and challenges invalid piggybacks.

use crate::{
    proofs::ProofCache,
    store::{
        ByzantineKind, InFlightAction, InFlightExit, InFlightStatus, IndexerStore, Piggyback,
        PiggybackStatus, Store, StoreError, events::inflight_key,
    },
    watchtower::Watchtower,
};
use alloy::{
    eips::BlockNumberOrTag,
    primitives::{Address, B256, Bytes, U256, keccak256},
    providers::{DynProvider, Provider},
    rpc::types::Filter,
    sol_types::SolEvent,
};
use plasma_bindings::{IInFlightExitTypes, RootChain};
use plasma_core::{position::UtxoPos, tx::Transaction};
use std::{collections::HashSet, time::Duration};

/// Recovers the transaction bytes and start time of newly started in-flight exits.
#[derive(Debug, Clone)]
pub struct Resolver<S = Store> {
    /// Root-chain provider.
    pub provider: DynProvider,
    /// The database.
    pub store: S,
    /// The RootChain contract.
    pub root_chain: Address,
}

impl<S: IndexerStore> Resolver<S> {
    /// Resolves every exit not resolved yet; returns how many.
    pub async fn step(&self) -> Result<usize, String> {
        let mut done = 0;
        for (exit_id, root_block) in self
            .store
            .unresolved_inflight_exits()
            .await
            .map_err(|e| e.to_string())?
        {
            let block = self
                .provider
                .get_block_by_number(BlockNumberOrTag::Number(root_block))
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("root-chain block {root_block} not found"))?;
            let tx = match self.tx_in_calldata(exit_id, root_block).await? {
                Some(found) => Some(found),
                None => match self.store.tx_by_hash(exit_id).await {
                    Ok(Some(known)) => Some((known.bytes, known.signatures)),
                    _ => None,
                },
            };
            self.store
                .resolve_inflight_exit(exit_id, tx, block.header.timestamp)
                .await
                .map_err(|e| e.to_string())?;
            done += 1;
        }
        Ok(done)
    }

    /// The in-flight transaction (and its signatures, for a direct call) found in the
    /// calldata of the start's transaction.
    async fn tx_in_calldata(
        &self,
        exit_id: B256,
        root_block: u64,
    ) -> Result<Option<(Bytes, Vec<Bytes>)>, String> {
        let filter = Filter::new()
            .address(self.root_chain)
            .from_block(root_block)
            .to_block(root_block)
            .event_signature(RootChain::InFlightExitStarted::SIGNATURE_HASH)
            .topic1(exit_id);
        let logs = self
            .provider
            .get_logs(&filter)
            .await
            .map_err(|e| e.to_string())?;
        for log in logs {
            let Some(hash) = log.transaction_hash else {
                continue;
            };
            let tx = self
                .provider
                .get_transaction_by_hash(hash)
                .await
                .map_err(|e| e.to_string())?;
            if let Some(tx) = tx {
                use alloy::{consensus::Transaction as _, sol_types::SolCall};
                let input = tx.inner.input();
                if let Ok(call) = RootChain::startInFlightExitCall::abi_decode(input)
                    && keccak256(&call.a.inFlightTx) == exit_id
                {
                    return Ok(Some((call.a.inFlightTx, call.a.inputSignatures)));
                }
                if let Some(found) = find_tx_bytes(input, exit_id) {
                    return Ok(Some((found, Vec::new())));
                }
            }
        }
        Ok(None)
    }

    /// Runs until cancelled.
    pub async fn run(self, poll: Duration) {
        loop {
            if let Err(e) = self.step().await {
                tracing::warn!(error = %e, "in-flight resolver");
            }
            tokio::time::sleep(poll).await;
        }
    }
}

/// Finds, in ABI-encoded calldata, a `bytes` value (length word then data) hashing to
/// `exit_id`. It does not rely on the call's shape, so a start sent through a wallet
/// contract (the calldata nested in another call's) is found as well.
pub fn find_tx_bytes(calldata: &[u8], exit_id: B256) -> Option<Bytes> {
    let plausible =
        |len: usize| (1..=4).any(|i| (1..=4).any(|o| plasma_core::tx::encoded_len(i, o) == len));
    for at in 0..calldata.len().saturating_sub(32) {
        let word = &calldata[at..at + 32];
        if word[..30].iter().any(|b| *b != 0) {
            continue;
        }
        let len = usize::from(u16::from_be_bytes([word[30], word[31]]));
        let end = at + 32 + len;
        if !plausible(len) || end > calldata.len() {
            continue;
        }
        let data = &calldata[at + 32..end];
        if keccak256(data) == exit_id {
            return Some(Bytes::copy_from_slice(data));
        }
    }
    None
}

/// What one pass found and did.
#[derive(Debug, Default)]
struct Pass {
    /// Keys of the in-flight events whose condition holds now.
    holding: HashSet<String>,
    /// Transactions sent.
    sent: usize,
}

/// The in-flight part of a watchtower step at root-chain time `now`; returns the number
/// of transactions sent.
pub(crate) async fn watch<S: IndexerStore>(
    w: &Watchtower<S>,
    now: u64,
) -> Result<usize, StoreError> {
    let mut pass = Pass::default();
    for exit in w.store.exits_of_unknown_outputs().await? {
        let pos = exit.utxo_pos;
        let kind = ByzantineKind::ExitOfUnknownOutput;
        pass.holding.insert(format!("{}:{pos}", kind.as_str()));
        let detail = format!(
            "exit of {pos} by {:#x}: no valid block holds this output",
            exit.owner
        );
        if w.store.raise_exit_event(kind, pos, &detail).await? {
            tracing::warn!(pos, "BYZANTINE: exit of an unknown output");
            w.metrics.byzantine();
        }
    }
    for exit in w.store.inflight_exits(None, i64::MAX, 0).await? {
        if exit.status == InFlightStatus::Finalized {
            continue;
        }
        check_exit(w, &exit, now, &mut pass).await?;
    }
    for event in w.store.byzantine_events().await? {
        let ours = event.exit_id.is_some() || event.kind == ByzantineKind::ExitOfUnknownOutput;
        if ours && event.resolved_at.is_none() && !pass.holding.contains(&event.key) {
            w.store.resolve_event(&event.key).await?;
        }
    }
    Ok(pass.sent)
}

/// Raises `kind` about `subject` of `exit` and notes that it holds.
async fn raise<S: IndexerStore>(
    w: &Watchtower<S>,
    pass: &mut Pass,
    exit: &InFlightExit,
    (kind, subject, pos): (ByzantineKind, &str, Option<u64>),
    detail: String,
) -> Result<(), StoreError> {
    pass.holding
        .insert(inflight_key(kind, exit.exit_id, subject));
    if w.store
        .raise_inflight_event(kind, exit.exit_id, subject, pos, &detail)
        .await?
    {
        tracing::warn!(exit_id = %exit.exit_id, %kind, subject, "BYZANTINE: {detail}");
        w.metrics.byzantine();
    }
    Ok(())
}

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

async fn check_exit<S: IndexerStore>(
    w: &Watchtower<S>,
    exit: &InFlightExit,
    now: u64,
    pass: &mut Pass,
) -> Result<(), StoreError> {
    let id = exit.exit_id;
    let first_phase = exit
        .first_phase_end(w.min_exit_period)
        .is_some_and(|end| now < end);
    let positions: Vec<u64> = exit.inputs.iter().map(|i| i.pos).collect();
    let known = w.store.load_outputs(&positions).await?;
    let unknown = w.store.unknown_outputs(&positions).await?;
    let included = w.store.tx_by_hash(id).await?;
    // An included transaction's bytes are known even when the start's calldata hid them.
    let filled;
    let exit = match &included {
        Some(record) if exit.tx.is_none() => {
            filled = InFlightExit {
                tx: Some(record.bytes.clone()),
                ..exit.clone()
            };
            &filled
        }
        _ => exit,
    };
    let tx = exit.tx.as_ref().and_then(|b| Transaction::decode(b).ok());

    for input in &exit.inputs {
        if unknown.contains(&input.pos) {
            let detail = format!(
                "in-flight exit {id:#x} spends {} (input {}), an output no valid block holds",
                input.pos, input.index
            );
            let kind = ByzantineKind::ExitOfUnknownOutput;
            let subject = format!("input:{}", input.index);
            raise(w, pass, exit, (kind, &subject, Some(input.pos)), detail).await?;
        }
    }

    let competitor = competitor(&w.store, id, &exit.inputs, included.is_some()).await?;
    if exit.decided_canonical.is_none() {
        if exit.canonical
            && let Some(c) = &competitor
        {
            let at = c.tx_pos.map_or_else(
                || "in another in-flight exit".to_owned(),
                |p| format!("at {p}"),
            );
            let detail = format!(
                "in-flight exit {id:#x} is not canonical: input {} ({}) is spent by tx {:#x} {at}",
                c.input.index, c.input.pos, c.hash
            );
            let kind = ByzantineKind::NonCanonicalInFlightExit;
            raise(w, pass, exit, (kind, "", Some(c.input.pos)), detail).await?;
            if first_phase {
                challenge_canonicity(w, exit, c, pass).await?;
            }
        }
        if !exit.canonical
            && let Some(record) = &included
            && let Some(last) = exit.challenges.last()
            && record.pos.0 < exit_competitor_bound(exit)
        {
            let detail = format!(
                "canonicity challenge of {id:#x} by {:#x} is invalid: the transaction is included at {}, before the competitor {:#x}",
                last.challenger, record.pos.0, last.competing_tx_hash
            );
            let kind = ByzantineKind::InvalidCanonicityChallenge;
            raise(w, pass, exit, (kind, "", Some(record.pos.0)), detail).await?;
            respond(w, exit, record.pos.0, pass).await?;
        }
    }

    if first_phase {
        for input in &exit.inputs {
            if exit.piggyback(false, input.index).is_none()
                && let Some(out) = known.get(&input.pos)
            {
                let detail = format!(
                    "{:#x} may piggyback input {} of in-flight exit {id:#x} until the first phase ends",
                    out.output.owner, input.index
                );
                let subject = format!("input:{}", input.index);
                let kind = ByzantineKind::PiggybackAvailable;
                raise(w, pass, exit, (kind, &subject, Some(input.pos)), detail).await?;
            }
        }
        // Outputs of a transaction known not to be canonical are never paid.
        if let Some(tx) = tx.as_ref().filter(|_| competitor.is_none()) {
            for (index, output) in tx.outputs.iter().enumerate() {
                let index = u8::try_from(index).unwrap_or(u8::MAX);
                if exit.piggyback(true, index).is_none() {
                    let detail = format!(
                        "{:#x} may piggyback output {index} of in-flight exit {id:#x} until the first phase ends",
                        output.owner
                    );
                    let subject = format!("output:{index}");
                    let kind = ByzantineKind::PiggybackAvailable;
                    raise(w, pass, exit, (kind, &subject, None), detail).await?;
                }
            }
        }
    }

    for piggyback in &exit.piggybacks {
        if piggyback.status != PiggybackStatus::Active {
            continue;
        }
        let pos = if piggyback.is_output {
            included
                .as_ref()
                .map(|r| r.pos.0 + u64::from(piggyback.index))
        } else {
            exit.inputs
                .iter()
                .find(|i| i.index == piggyback.index)
                .map(|i| i.pos)
        };
        let Some(pos) = pos else { continue };
        let Some(spend) = w.store.spend_of(pos).await? else {
            continue;
        };
        if spend.spending_tx_hash == id {
            continue;
        }
        let side = if piggyback.is_output {
            "output"
        } else {
            "input"
        };
        let detail = format!(
            "piggyback on {side} {} of in-flight exit {id:#x} by {:#x} is invalid: {pos} is spent by tx {:#x}",
            piggyback.index, piggyback.owner, spend.spending_tx_hash
        );
        let subject = format!("{side}:{}", piggyback.index);
        let kind = ByzantineKind::InvalidPiggyback;
        raise(w, pass, exit, (kind, &subject, Some(pos)), detail).await?;
        challenge_piggyback(
            w,
            exit,
            piggyback,
            included.as_ref().map(|r| r.pos.0),
            &spend,
            pass,
        )
        .await?;
    }
    Ok(())
}

/// A known competitor of an in-flight transaction: another transaction spending one of its
/// inputs, signed by the input's owner.
#[derive(Debug, Clone)]
pub(crate) struct Competitor {
    /// The contested input.
    pub(crate) input: crate::store::InFlightInput,
    /// The competing transaction.
    pub(crate) tx: Bytes,
    /// Its hash.
    pub(crate) hash: B256,
    /// Its input that spends the same position.
    pub(crate) input_index: u8,
    /// The owner's signature of it.
    pub(crate) signature: Bytes,
    /// Its position when included.
    pub(crate) tx_pos: Option<u64>,
}

/// The best known competitor of the transaction `exit_id` spending `inputs`: the oldest
/// included spend of one of them by another transaction; else, when the transaction is not
/// known included, the
/// transaction of another in-flight exit spending one of its inputs (a double spend,
/// neither included; its signature from that start's calldata).
pub(crate) async fn competitor<S: IndexerStore>(
    store: &S,
    exit_id: B256,
    inputs: &[crate::store::InFlightInput],
    included: bool,
) -> Result<Option<Competitor>, StoreError> {
    let mut best: Option<Competitor> = None;
    for input in inputs {
        if let Some(spend) = store.spend_of(input.pos).await?
            && spend.spending_tx_hash != exit_id
            && best
                .as_ref()
                .is_none_or(|c| Some(spend.spending_tx_pos) < c.tx_pos)
        {
            best = Some(Competitor {
                input: input.clone(),
                tx: spend.spending_tx,
                hash: spend.spending_tx_hash,
                input_index: spend.input_index,
                signature: spend.signature,
                tx_pos: Some(spend.spending_tx_pos),
            });
        }
    }
    if best.is_some() || included {
        return Ok(best);
    }
    for input in inputs {
        for other_id in store.inflight_exits_spending(input.pos).await? {
            if other_id == exit_id {
                continue;
            }
            let Some(other) = store.inflight_exit(other_id).await? else {
                continue;
            };
            let Some(tx) = other.tx.as_ref().and_then(|b| Transaction::decode(b).ok()) else {
                continue;
            };
            let Some(k) = tx.inputs.iter().position(|p| p.0 == input.pos) else {
                continue;
            };
            if let (Some(bytes), Some(signature)) = (other.tx.clone(), other.signatures.get(k)) {
                return Ok(Some(Competitor {
                    input: input.clone(),
                    tx: bytes,
                    hash: other_id,
                    input_index: u8::try_from(k).unwrap_or(u8::MAX),
                    signature: signature.clone(),
                    tx_pos: None,
                }));
            }
        }
    }
    Ok(None)
}

/// The position a response must be strictly before (the oldest competitor shown).
fn exit_competitor_bound(exit: &InFlightExit) -> u64 {
    exit.challenges
        .iter()
        .map(|c| c.competitor_pos)
        .min()
        .unwrap_or(u64::MAX)
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
    if w.store
        .inflight_action(exit_id, action, index)
        .await?
        .is_some()
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

/// Waits for a sent call's receipt: its hash when it succeeded.
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
    match pending
        .with_timeout(Some(Duration::from_secs(60)))
        .get_receipt()
        .await
    {
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

async fn challenge_canonicity<S: IndexerStore>(
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

async fn respond<S: IndexerStore>(
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

async fn challenge_piggyback<S: IndexerStore>(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_in_flight_tx_is_found_in_nested_calldata() {
        let tx = Transaction::payment(
            vec![UtxoPos(1_000_000_000)],
            vec![plasma_core::tx::Output {
                owner: Address::repeat_byte(1),
                token: Address::ZERO,
                amount: U256::from(5),
            }],
            B256::ZERO,
        )
        .unwrap();
        let bytes = tx.encode();
        let mut calldata = vec![0xaa, 0xbb, 0xcc, 0xdd, 0x01];
        calldata.extend_from_slice(&U256::from(bytes.len()).to_be_bytes::<32>());
        calldata.extend_from_slice(&bytes);
        calldata.extend_from_slice(&[0; 7]);
        assert_eq!(find_tx_bytes(&calldata, tx.hash()), Some(bytes));
        assert_eq!(find_tx_bytes(&calldata, B256::ZERO), None);
        assert_eq!(find_tx_bytes(&calldata[..40], tx.hash()), None);
    }
}
