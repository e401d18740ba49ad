//! The UTXO transition, "apply this block to this UTXO set" (docs/SPEC.md "Valid blocks"):
//! which outputs a block's transactions spend, where the outputs they create live, and
//! whether the whole block is valid. The operator (admission and sealing) and the indexer
//! (block checks) both decide with these functions, so the two cannot drift.

use std::collections::{HashMap, HashSet};

use alloy::sol_types::Eip712Domain;

use crate::{
    exit::ExitPhase,
    par::par_map_with,
    position::{BLOCK_OFFSET, TX_OFFSET, UtxoPos},
    sign::signing_hash_with,
    signed::SignedTx,
    tx::{Output, Transaction},
    validate::{Fees, ValidationError, validate_payment},
};

/// Why an input cannot be spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// No output exists at the position.
    #[error("input {0} does not exist")]
    Unknown(u64),
    /// A sealed block already spent it.
    #[error("input {0} is already spent")]
    Spent(u64),
    /// A pending transaction (or an earlier one of the same batch) spends it.
    #[error("input {0} is spent by a pending transaction")]
    Pending(u64),
    /// An exit holds it, or took it for good (docs/SPEC.md "Exits remove outputs").
    #[error("input {pos} {}", exit_words(*.phase))]
    Exit {
        /// The position.
        pos: u64,
        /// Where its exit stands.
        phase: ExitPhase,
    },
    /// It is not an output of an earlier transaction.
    #[error("input {0} is not an earlier output")]
    NotEarlier(u64),
    /// An earlier transaction of the same block spends it.
    #[error("input {0} is spent twice in the block")]
    SpentTwice(u64),
}

const fn exit_words(phase: ExitPhase) -> &'static str {
    match phase {
        ExitPhase::Exiting => "is exiting on the root chain",
        ExitPhase::Exited => "has exited on the root chain",
    }
}

/// A UTXO set as seen by one child block.
pub trait UtxoSource {
    /// The output at `pos`, if the block being built or checked may spend it.
    fn spendable(&self, pos: u64) -> Result<Output, InputError>;

    /// The outputs `inputs` point at, in order.
    fn spendable_all(&self, inputs: &[UtxoPos]) -> Result<Vec<Output>, InputError> {
        inputs.iter().map(|p| self.spendable(p.get())).collect()
    }
}

/// The position of transaction `txindex` of block `blknum` (its output 0).
pub const fn tx_position(blknum: u64, txindex: usize) -> u64 {
    blknum * BLOCK_OFFSET + txindex as u64 * TX_OFFSET
}

/// The outputs transaction `txindex` of block `blknum` creates, with their positions.
pub fn created(
    blknum: u64,
    txindex: usize,
    tx: &Transaction,
) -> impl Iterator<Item = (UtxoPos, Output)> + '_ {
    let base = tx_position(blknum, txindex);
    tx.outputs
        .iter()
        .enumerate()
        .map(move |(o, out)| (UtxoPos(base + o as u64), *out))
}

/// Why a block is invalid: the first failing transaction and what failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tx {index}: {kind}")]
pub struct BlockError {
    /// Index of the transaction in the block.
    pub index: usize,
    /// What failed.
    pub kind: TxError,
}

/// What failed for one transaction of a block.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TxError {
    /// An input cannot be spent.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The payment is invalid (signatures, owners, conservation).
    #[error(transparent)]
    Payment(#[from] ValidationError),
}

/// The outputs each transaction of block `blknum` spends: outputs created earlier in the
/// same block, else outputs of `set`. No output is spent twice; a transaction spends only
/// outputs of earlier transactions.
pub fn resolve_block(
    blknum: u64,
    txs: &[SignedTx],
    set: &impl UtxoSource,
) -> Result<Vec<Vec<Output>>, BlockError> {
    let mut created_here: HashMap<u64, Output> = HashMap::new();
    let mut used: HashSet<u64> = HashSet::new();
    let mut spent_per_tx = Vec::with_capacity(txs.len());
    for (index, signed) in txs.iter().enumerate() {
        let fail = |e: InputError| BlockError {
            index,
            kind: e.into(),
        };
        let here = tx_position(blknum, index);
        let mut spent = Vec::with_capacity(signed.tx.inputs.len());
        for input in &signed.tx.inputs {
            let p = input.get();
            if p >= here {
                return Err(fail(InputError::NotEarlier(p)));
            }
            let output = match created_here.get(&p) {
                Some(out) => *out,
                None => set.spendable(p).map_err(fail)?,
            };
            if !used.insert(p) {
                return Err(fail(InputError::SpentTwice(p)));
            }
            spent.push(output);
        }
        created_here.extend(created(blknum, index, &signed.tx).map(|(p, o)| (p.get(), o)));
        spent_per_tx.push(spent);
    }
    Ok(spent_per_tx)
}

/// Validates block `blknum` against `set`: [`resolve_block`], then every payment's
/// signatures, owners and conservation on `threads` threads. Returns each payment's fees;
/// on failure, the error of the lowest failing transaction.
pub fn validate_block(
    blknum: u64,
    txs: &[SignedTx],
    set: &impl UtxoSource,
    domain: &Eip712Domain,
    threads: usize,
) -> Result<Vec<Fees>, BlockError> {
    let spent = resolve_block(blknum, txs, set)?;
    let jobs: Vec<(&SignedTx, &Vec<Output>)> = txs.iter().zip(&spent).collect();
    let separator = domain.separator();
    par_map_with(threads, 256, &jobs, |(signed, spent)| {
        validate_payment(signed, signing_hash_with(&signed.tx, separator), spent)
    })
    .into_iter()
    .enumerate()
    .map(|(index, r)| {
        r.map_err(|e| BlockError {
            index,
            kind: e.into(),
        })
    })
    .collect()
}

#[cfg(test)]
mod tests;
