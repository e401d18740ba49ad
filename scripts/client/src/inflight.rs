//! In-flight exits through a [`Ctx`]: the flows a user (or a watcher acting for one) runs
//! when a signed transaction's inclusion is unknown or contested. Each asks the indexer
//! for the proofs (`/v1/inflight-exit-*`, docs/INDEXER.md) and makes the root-chain call
//! of [`crate::user`]; the in-flight exit id is always the transaction's hash.

use alloy::primitives::{Address, B256, Bytes};
use eyre::{WrapErr, bail, ensure, eyre};
use plasma_core::position::UtxoPos;
use plasma_core::signed::SignedTxWire;
use plasma_core::tx::{Transaction, TxType};
use serde::Serialize;

use crate::api::{InFlightExit, InFlightExitRequest};
use crate::ctx::Ctx;
use crate::journal::{Entry, EntryState, Journal};
use crate::user::{
    self, CanonicityChallenged, CanonicityResponded, InFlightStarted, PiggybackChallenged,
    Piggybacked, Spend,
};

/// Which part of an in-flight transaction a piggyback claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "index")]
pub enum Slot {
    /// Input `n`: paid back when the exit ends non-canonical.
    Input(u8),
    /// Output `n`: paid when the exit ends canonical.
    Output(u8),
}

/// The canonical PAYMENT in `tx_bytes`.
pub fn payment(tx_bytes: &[u8]) -> eyre::Result<Transaction> {
    let tx =
        Transaction::decode(tx_bytes).map_err(|e| eyre!("not a canonical transaction: {e}"))?;
    ensure!(
        tx.tx_type == TxType::Payment,
        "only PAYMENT transactions exit in flight"
    );
    Ok(tx)
}

/// Starts the in-flight exit of a signed transaction, with the input proofs the indexer
/// serves. The context's key pays the bond; it must own an input or an output.
pub async fn exit_in_flight(ctx: &Ctx, signed: &SignedTxWire) -> eyre::Result<InFlightStarted> {
    payment(&signed.tx)?;
    let data = ctx
        .indexer
        .inflight_exit_data(&InFlightExitRequest {
            tx_bytes: signed.tx.clone(),
            signatures: signed.signatures.clone(),
        })
        .await
        .wrap_err("in-flight exit data from the indexer")?;
    let started = user::start_in_flight_exit(&ctx.root, &data).await?;
    tracing::info!(exit_id = %started.exit_id, exitable_at = started.exitable_at, "in-flight exit started");
    Ok(started)
}

/// Starts the in-flight exit of journal entry `key` (its id or transaction hash) and
/// records it in the journal. Returns the entry in its new state.
pub async fn exit_journaled(
    ctx: &Ctx,
    journal: &Journal,
    key: &str,
) -> eyre::Result<(Entry, InFlightStarted)> {
    let entry = journal.get(key)?;
    let started = exit_in_flight(ctx, &entry.signed()).await?;
    let entry = journal.set_state(
        entry.id,
        EntryState::InFlightExited {
            exit_id: started.exit_id,
            root_tx: Some(started.tx.tx_hash),
        },
    )?;
    Ok((entry, started))
}

/// The transaction a command line names: a journal id (`3`), a transaction hash (of a
/// journal entry, else of an in-flight exit the indexer follows), or the canonical
/// transaction bytes themselves (`0x…`, longer than a hash).
pub async fn resolve_tx(ctx: &Ctx, journal: Option<&Journal>, key: &str) -> eyre::Result<Bytes> {
    let key = key.trim();
    if key.parse::<u64>().is_ok() {
        let journal = journal.ok_or_else(|| eyre!("a journal id needs the wallet's journal"))?;
        return Ok(journal.get(key)?.tx);
    }
    if let Ok(hash) = key.parse::<B256>() {
        if let Some(entry) = journal.and_then(|j| j.get(key).ok()) {
            return Ok(entry.tx);
        }
        let exit = status_of(ctx, hash).await?.ok_or_else(|| {
            eyre!("{hash:#x} is in no journal entry and no in-flight exit the indexer follows")
        })?;
        return exit
            .tx_bytes
            .ok_or_else(|| eyre!("the indexer does not know the bytes of {hash:#x} yet"));
    }
    let bytes: Bytes = key
        .parse()
        .map_err(|_| eyre!("{key:?} is no journal id, transaction hash or transaction"))?;
    payment(&bytes)?;
    Ok(bytes)
}

/// The transaction that created the output at `pos` (its owner, token and amount), as the
/// indexer holds it.
async fn creating_tx(ctx: &Ctx, pos: UtxoPos) -> eyre::Result<Bytes> {
    ctx.indexer
        .tx_at(pos.blknum(), pos.txindex())
        .await
        .wrap_err_with(|| format!("the transaction that created {}", pos.0))?
        .ok_or_else(|| eyre!("the indexer knows no transaction that created {}", pos.0))
}

/// Piggybacks `slot` of the in-flight exit of `tx_bytes` with the context's key (the
/// slot's owner), paying `PIGGYBACK_BOND`.
pub async fn piggyback(ctx: &Ctx, tx_bytes: &Bytes, slot: Slot) -> eyre::Result<Piggybacked> {
    let tx = payment(tx_bytes)?;
    let done = match slot {
        Slot::Input(i) => {
            let pos = *tx
                .inputs
                .get(usize::from(i))
                .ok_or_else(|| eyre!("the transaction has no input {i}"))?;
            let input_tx = creating_tx(ctx, pos).await?;
            user::piggyback_input(&ctx.root, tx.hash(), i, &input_tx).await?
        }
        Slot::Output(i) => {
            ensure!(
                usize::from(i) < tx.outputs.len(),
                "the transaction has no output {i}"
            );
            user::piggyback_output(&ctx.root, tx_bytes, i).await?
        }
    };
    tracing::info!(exit_id = %done.exit_id, ?slot, amount = %done.amount, "piggybacked");
    Ok(done)
}

/// The slots of `tx_bytes` that `owner` owns: its outputs to `owner`, and the inputs that
/// spend `owner`'s outputs (read from the transactions that created them).
pub async fn slots_of(ctx: &Ctx, tx_bytes: &Bytes, owner: Address) -> eyre::Result<Vec<Slot>> {
    let tx = payment(tx_bytes)?;
    let mut slots = Vec::new();
    for (i, pos) in tx.inputs.iter().enumerate() {
        let created = Transaction::decode(&creating_tx(ctx, *pos).await?)
            .map_err(|e| eyre!("the indexer served a non-canonical input transaction: {e}"))?;
        if created
            .output(pos.oindex())
            .is_some_and(|o| o.owner == owner)
        {
            slots.push(Slot::Input(u8::try_from(i)?));
        }
    }
    for (i, out) in tx.outputs.iter().enumerate() {
        if out.owner == owner {
            slots.push(Slot::Output(u8::try_from(i)?));
        }
    }
    Ok(slots)
}

/// Challenges the canonicity of the in-flight exit of `tx_bytes` with the oldest
/// competitor the indexer knows; the canonicity share goes to `challenger`.
pub async fn challenge_non_canonical(
    ctx: &Ctx,
    tx_bytes: &Bytes,
    challenger: Address,
) -> eyre::Result<CanonicityChallenged> {
    payment(tx_bytes)?;
    let data = ctx
        .indexer
        .inflight_competitor(tx_bytes)
        .await
        .wrap_err("competitor data from the indexer")?;
    user::challenge_non_canonical(&ctx.root, &data, challenger).await
}

/// Answers a canonicity challenge of the in-flight exit of `tx_bytes` with the inclusion
/// proof the indexer serves.
pub async fn respond_to_canonicity_challenge(
    ctx: &Ctx,
    tx_bytes: &Bytes,
) -> eyre::Result<CanonicityResponded> {
    payment(tx_bytes)?;
    let proof = ctx
        .indexer
        .canonicity_proof(tx_bytes)
        .await
        .wrap_err("canonicity proof from the indexer")?;
    user::respond_to_canonicity_challenge(&ctx.root, &proof).await
}

/// Challenges the piggyback of an input of the in-flight exit of `tx_bytes` that another
/// transaction spends (the oldest competitor the indexer knows), paying `challenger`.
pub async fn challenge_input_spent(
    ctx: &Ctx,
    tx_bytes: &Bytes,
    challenger: Address,
) -> eyre::Result<PiggybackChallenged> {
    payment(tx_bytes)?;
    let data = ctx
        .indexer
        .inflight_competitor(tx_bytes)
        .await
        .wrap_err("the spend of an input, from the indexer")?;
    let spend = Spend {
        tx: data.competing_tx.clone(),
        input_index: data.competing_input_index,
        signature: data.competing_signature.clone(),
    };
    user::challenge_input_spent(
        &ctx.root,
        data.exit_id,
        data.input_index,
        &spend,
        challenger,
    )
    .await
}

/// Challenges the piggyback of output `index` of the in-flight exit of `tx_bytes` with
/// `spend`, a signed transaction spending it (the transaction must be included: the
/// indexer proves it).
pub async fn challenge_output_spent(
    ctx: &Ctx,
    tx_bytes: &Bytes,
    index: u8,
    spend: &SignedTxWire,
    challenger: Address,
) -> eyre::Result<PiggybackChallenged> {
    let tx = payment(tx_bytes)?;
    let proof = ctx
        .indexer
        .canonicity_proof(tx_bytes)
        .await
        .wrap_err("the inclusion of the in-flight transaction, from the indexer")?;
    let output = UtxoPos::new(
        UtxoPos(proof.inclusion.tx_pos).blknum(),
        UtxoPos(proof.inclusion.tx_pos).txindex(),
        u64::from(index),
    )?;
    ensure!(
        usize::from(index) < tx.outputs.len(),
        "the transaction has no output {index}"
    );
    let spending = Transaction::decode(&spend.tx)
        .map_err(|e| eyre!("the spend is not a canonical transaction: {e}"))?;
    let Some(input_index) = spending.inputs.iter().position(|p| *p == output) else {
        bail!("the spend does not spend output {index} ({})", output.0);
    };
    let signature = spend
        .signatures
        .get(input_index)
        .cloned()
        .ok_or_else(|| eyre!("the spend has no signature for input {input_index}"))?;
    let spend = Spend {
        tx: spend.tx.clone(),
        input_index: u8::try_from(input_index)?,
        signature,
    };
    user::challenge_output_spent(&ctx.root, &proof, index, &spend, challenger).await
}

/// The in-flight exit `exit_id` (a transaction hash), as the indexer follows it
/// (`None`: none started).
pub async fn status_of(ctx: &Ctx, exit_id: B256) -> eyre::Result<Option<InFlightExit>> {
    match ctx.indexer.inflight_exit(exit_id).await {
        Ok(exit) => Ok(Some(exit)),
        Err(e) if e.code() == Some("inflight_exit_not_found") => Ok(None),
        Err(e) => Err(e).wrap_err("in-flight exit from the indexer"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::{U256, address};
    use plasma_core::tx::Output;

    #[test]
    fn only_canonical_payments_exit_in_flight() {
        let owner = address!("00000000000000000000000000000000000000aa");
        let deposit = plasma_core::deposit::deposit_tx(1, owner, Address::ZERO, U256::from(5));
        let err = payment(&deposit.encode()).unwrap_err();
        assert!(err.to_string().contains("only PAYMENT"), "{err}");
        let pay = Transaction::payment(
            vec![UtxoPos(1_000_000_000)],
            vec![Output {
                owner,
                token: Address::ZERO,
                amount: U256::from(5),
            }],
            B256::ZERO,
        )
        .unwrap();
        let mut bytes = pay.encode().to_vec();
        assert_eq!(payment(&bytes).unwrap(), pay);
        bytes.push(0);
        let err = payment(&bytes).unwrap_err();
        assert!(err.to_string().contains("not a canonical"), "{err}");
    }

    #[test]
    fn slots_serialize_with_their_kind() {
        assert_eq!(
            serde_json::to_string(&[Slot::Input(0), Slot::Output(1)]).unwrap(),
            r#"[{"kind":"input","index":0},{"kind":"output","index":1}]"#
        );
    }
}
