//! The best known competitor of an in-flight transaction: an included spend of one of its
//! inputs, else another in-flight exit's transaction spending one.

use crate::store::{IndexerStore, StoreError};
use alloy::primitives::{B256, Bytes};
use plasma_core::tx::Transaction;

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
