//! Checks a child block's published data: it hashes to the committed root, and every
//! transaction is a canonical, correctly signed, value-conserving payment spending
//! outputs that exist, are unspent in the indexer's own UTXO set and did not exit before
//! the block was submitted (core's `transition`, shared with the operator). Signature
//! recovery (the hot path) runs on every core.

use crate::{
    feed::FeedBlock,
    store::{KnownOutput, StoredTx},
};
use alloy::{
    primitives::{Address, B256, keccak256},
    sol_types::Eip712Domain,
};
use plasma_core::{
    exit::{ExitPhase, block_may_spend},
    merkle::{MerkleTree, leaf_hash},
    position::{BLOCK_OFFSET, UtxoPos},
    signed::SignedTx,
    transition::{InputError, UtxoSource, tx_position, validate_block},
    tx::{Output, Transaction, TxType},
};
use std::collections::HashMap;

/// Result of the first, cheap stage: the data hashes to the root and decodes.
#[derive(Debug)]
pub enum Prepared {
    /// The data does not hash to the committed root: the block's data is still unavailable.
    RootMismatch {
        /// Root of the published data.
        computed: B256,
    },
    /// The data hashes to the root but is invalid (undecodable, wrong type, …).
    Invalid(String),
    /// Decoded transactions, ready for the UTXO checks.
    Decoded(Vec<SignedTx>),
}

/// Checks the root and decodes every transaction.
pub fn prepare(root: B256, block: FeedBlock) -> Prepared {
    if block.transactions.len() > plasma_core::merkle::MAX_LEAVES {
        return Prepared::RootMismatch {
            computed: B256::ZERO,
        };
    }
    let leaves: Vec<B256> = block
        .transactions
        .iter()
        .map(|t| leaf_hash(&t.tx))
        .collect();
    let computed = match MerkleTree::new(leaves) {
        Ok(tree) => tree.root(),
        Err(_) => {
            return Prepared::RootMismatch {
                computed: B256::ZERO,
            };
        }
    };
    if computed != root {
        return Prepared::RootMismatch { computed };
    }
    let mut decoded = Vec::with_capacity(block.transactions.len());
    for (i, t) in block.transactions.into_iter().enumerate() {
        match Transaction::decode(&t.tx) {
            Ok(tx) if tx.tx_type == TxType::Payment => decoded.push(SignedTx {
                tx,
                raw: t.tx,
                signatures: t.signatures,
            }),
            Ok(tx) => {
                return Prepared::Invalid(format!(
                    "tx {i}: type {:?} in a child block",
                    tx.tx_type
                ));
            }
            Err(e) => return Prepared::Invalid(format!("tx {i}: {e}")),
        }
    }
    Prepared::Decoded(decoded)
}

/// Positions spent by `txs` that lie in earlier blocks (to look up in the store).
pub fn external_inputs(blknum: u64, txs: &[SignedTx]) -> Vec<u64> {
    let mut positions: Vec<u64> = txs
        .iter()
        .flat_map(|t| t.tx.inputs.iter().map(|p| p.0))
        .filter(|&p| p / BLOCK_OFFSET < blknum)
        .collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}

/// The indexer's view of the UTXO set for one block: stored outputs of earlier blocks.
struct Known<'a> {
    blknum: u64,
    outputs: &'a HashMap<u64, KnownOutput>,
}

impl UtxoSource for Known<'_> {
    fn spendable(&self, pos: u64) -> Result<Output, InputError> {
        match self.outputs.get(&pos) {
            None => Err(InputError::Unknown(pos)),
            Some(k) if k.spent => Err(InputError::Spent(pos)),
            Some(k) if !block_may_spend(self.blknum, k.exited_from) => Err(InputError::Exit {
                pos,
                phase: ExitPhase::Exited,
            }),
            Some(k) => Ok(k.output),
        }
    }
}

/// Checks every transaction against the UTXO set (`known`: stored outputs of earlier
/// blocks) with core's block transition; returns the rows to store or the first
/// violation.
pub fn check(
    blknum: u64,
    txs: Vec<SignedTx>,
    known: &HashMap<u64, KnownOutput>,
    domain: &Eip712Domain,
    threads: usize,
) -> Result<Vec<StoredTx>, String> {
    let set = Known {
        blknum,
        outputs: known,
    };
    validate_block(blknum, &txs, &set, domain, threads).map_err(|e| e.to_string())?;
    let owners = txs
        .iter()
        .map(|s| {
            s.tx.inputs
                .iter()
                .map(|p| spent_owner(blknum, &txs, known, *p))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(txs
        .into_iter()
        .zip(owners)
        .enumerate()
        .map(|(i, (s, input_owners))| StoredTx {
            pos: tx_position(blknum, i),
            hash: keccak256(&s.raw),
            tx_type: s.tx.tx_type.as_u8(),
            bytes: s.raw.to_vec(),
            signatures: s.signatures.concat(),
            inputs: s.tx.inputs.clone(),
            input_owners,
            outputs: s.tx.outputs,
        })
        .collect())
}

/// The owner of the output that input `pos` of block `blknum` spends: a stored output of
/// an earlier block (`known`), or an output of an earlier transaction of this block.
fn spent_owner(
    blknum: u64,
    txs: &[SignedTx],
    known: &HashMap<u64, KnownOutput>,
    pos: UtxoPos,
) -> Result<Address, String> {
    let in_block = || {
        let tx = txs.get(usize::try_from(pos.txindex()).ok()?)?;
        tx.tx.outputs.get(usize::try_from(pos.oindex()).ok()?)
    };
    match known.get(&pos.0) {
        Some(k) => Some(k.output.owner),
        None if pos.blknum() == blknum => in_block().map(|o| o.owner),
        None => None,
    }
    .ok_or_else(|| format!("input {} spends no known output", pos.0))
}

/// True when `pos` is a valid position (used by the API).
pub fn valid_position(pos: u64) -> bool {
    UtxoPos::checked(pos).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::FeedTx;
    use alloy::primitives::{Address, Bytes, U256};

    fn payment(inputs: &[u64]) -> Transaction {
        let outputs = vec![Output {
            owner: Address::repeat_byte(1),
            token: Address::ZERO,
            amount: U256::from(1),
        }];
        Transaction::payment(
            inputs.iter().map(|&p| UtxoPos(p)).collect(),
            outputs,
            B256::ZERO,
        )
        .unwrap()
    }

    fn feed(txs: &[Transaction]) -> FeedBlock {
        let transactions: Vec<FeedTx> = txs
            .iter()
            .map(|t| FeedTx {
                tx: t.encode(),
                signatures: vec![Bytes::from(vec![0u8; 65])],
            })
            .collect();
        let root = plasma_core::merkle::block_root(transactions.iter().map(|t| &t.tx)).unwrap();
        FeedBlock {
            blknum: 2000,
            root,
            transactions,
        }
    }

    #[test]
    fn external_inputs_are_earlier_blocks_only_sorted_and_unique() {
        let txs = [
            payment(&[1_000_000_000, 2_000_000_000_000]),
            payment(&[1_000_000_000_001]),
            payment(&[1_000_000_000]),
        ];
        let signed: Vec<SignedTx> = txs
            .iter()
            .map(|t| SignedTx::new(t.clone(), vec![]))
            .collect();
        assert_eq!(
            external_inputs(2000, &signed),
            vec![1_000_000_000, 1_000_000_000_001]
        );
    }

    #[test]
    fn prepare_tells_a_wrong_root_from_an_invalid_block() {
        let block = feed(&[payment(&[1_000_000_000])]);
        let root = block.root;
        assert!(
            matches!(prepare(B256::repeat_byte(9), block.clone()), Prepared::RootMismatch { computed } if computed == root)
        );
        assert!(matches!(prepare(root, block), Prepared::Decoded(txs) if txs.len() == 1));
        let mut garbage = feed(&[]);
        garbage.transactions.push(FeedTx {
            tx: Bytes::from(vec![9, 9, 9]),
            signatures: vec![],
        });
        let root =
            plasma_core::merkle::block_root(garbage.transactions.iter().map(|t| &t.tx)).unwrap();
        assert!(
            matches!(prepare(root, garbage), Prepared::Invalid(reason) if reason.starts_with("tx 0"))
        );
    }

    #[test]
    fn check_rejects_spending_a_later_output_of_the_same_block() {
        let txs = vec![
            SignedTx::new(payment(&[2_000_000_010_000]), vec![]),
            SignedTx::new(payment(&[1_000_000_000]), vec![]),
        ];
        let domain = plasma_core::sign::domain(1, Address::ZERO);
        let err = check(2000, txs, &HashMap::new(), &domain, 1).unwrap_err();
        assert!(err.contains("not an earlier output"), "{err}");
    }

    #[test]
    fn stored_rows_name_the_owner_of_each_spent_output() {
        use alloy::signers::local::PrivateKeySigner;
        let (alice, bob) = (
            PrivateKeySigner::from_bytes(&B256::repeat_byte(1)).unwrap(),
            PrivateKeySigner::from_bytes(&B256::repeat_byte(2)).unwrap(),
        );
        let domain = plasma_core::sign::domain(1, Address::ZERO);
        let out = |owner: Address, amount: u64| Output {
            owner,
            token: Address::ZERO,
            amount: U256::from(amount),
        };
        let signed = |key: &PrivateKeySigner, input: u64, outputs: Vec<Output>| {
            let tx = Transaction::payment(vec![UtxoPos(input)], outputs, B256::ZERO).unwrap();
            let sig = plasma_core::sign::sign(key, &tx, &domain).unwrap();
            SignedTx::new(tx, vec![Bytes::from(sig.to_vec())])
        };
        // Alice spends her stored output to Bob; Bob spends that output in the same block.
        let stored = 1_000_000_000;
        let known = HashMap::from([(
            stored,
            KnownOutput {
                output: out(alice.address(), 10),
                spent: false,
                exited_from: None,
            },
        )]);
        let txs = vec![
            signed(&alice, stored, vec![out(bob.address(), 10)]),
            signed(&bob, 2_000_000_000_000, vec![out(alice.address(), 10)]),
        ];
        let rows = check(2000, txs, &known, &domain, 1).unwrap();
        assert_eq!(rows[0].input_owners, vec![alice.address()]);
        assert_eq!(rows[1].input_owners, vec![bob.address()]);
    }
}
