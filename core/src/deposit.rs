//! The deposit transaction and its one-leaf block root, built exactly as the root chain
//! builds them: `txType = 2`, no inputs, one output, `metadata = bytes32(uint256(blknum))`.

use crate::{
    merkle::{leaf_hash, single_leaf_root},
    position::UtxoPos,
    tx::{Output, Transaction, TxType},
};
use alloy::primitives::{Address, B256, U256};

/// The DEPOSIT transaction of deposit block `blknum`. The contract never builds one with a
/// zero owner or amount; such a value would not decode ([`crate::tx::DecodeError`]).
pub fn deposit_tx(blknum: u64, owner: Address, token: Address, amount: U256) -> Transaction {
    Transaction {
        tx_type: TxType::Deposit,
        inputs: Vec::new(),
        outputs: vec![Output {
            owner,
            token,
            amount,
        }],
        metadata: B256::from(U256::from(blknum)),
    }
}

/// The root of the deposit block holding `tx` alone at index 0.
pub fn deposit_root(tx: &Transaction) -> B256 {
    single_leaf_root(leaf_hash(&tx.encode()))
}

/// The position of a deposit block's only output: `blknum * 1_000_000_000`.
pub fn deposit_position(blknum: u64) -> Option<UtxoPos> {
    UtxoPos::new(blknum, 0, 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::{MerkleTree, verify};

    #[test]
    fn deposit_tx_is_canonical_and_unique_per_block() {
        let owner = Address::repeat_byte(0x11);
        let tx = deposit_tx(1, owner, Address::ZERO, U256::from(5));
        let bytes = tx.encode();
        assert_eq!(bytes.len(), 3 + 72 + 32);
        assert_eq!(Transaction::decode(&bytes).unwrap(), tx);
        assert_eq!(bytes[bytes.len() - 1], 1);
        assert_ne!(
            deposit_tx(2, owner, Address::ZERO, U256::from(5)).hash(),
            tx.hash()
        );
    }

    #[test]
    fn deposit_root_equals_a_one_leaf_tree() {
        let tx = deposit_tx(
            7,
            Address::repeat_byte(1),
            Address::repeat_byte(2),
            U256::MAX,
        );
        let tree = MerkleTree::from_txs([tx.encode()]).unwrap();
        assert_eq!(deposit_root(&tx), tree.root());
        let proof = tree.proof(0).unwrap();
        assert_eq!(
            verify(leaf_hash(&tx.encode()), 0, deposit_root(&tx), &proof),
            Ok(())
        );
    }

    #[test]
    fn deposit_position_is_the_block_start() {
        assert_eq!(deposit_position(1001), Some(UtxoPos(1_001_000_000_000)));
        assert_eq!(deposit_position(0), None);
    }
}
