//! The operator's data-availability feed: a child block's full data
//! (`GET /v1/blocks/{blknum}` → `{"blknum", "root", "transactions": [{"tx", "signatures"}]}`).

use crate::{
    merkle::{MerkleError, MerkleTree, block_root},
    signed::SignedTx,
};
use alloy::primitives::B256;
use serde::{Deserialize, Serialize};

/// A child block with every transaction's bytes and signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockData {
    /// The child block number (a multiple of 1000).
    pub blknum: u64,
    /// The Merkle root the operator submitted.
    pub root: B256,
    /// The transactions in block order.
    pub transactions: Vec<SignedTx>,
}

impl BlockData {
    /// The root recomputed from the transactions.
    pub fn compute_root(&self) -> Result<B256, MerkleError> {
        block_root(self.transactions.iter().map(|t| &t.raw))
    }

    /// The full tree, for proofs.
    pub fn tree(&self) -> Result<MerkleTree, MerkleError> {
        MerkleTree::from_txs(self.transactions.iter().map(|t| &t.raw))
    }

    /// True when the stated root is the recomputed one.
    pub fn root_matches(&self) -> bool {
        self.compute_root().is_ok_and(|root| root == self.root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deposit::deposit_tx;
    use alloy::primitives::{Address, U256};

    #[test]
    fn feed_json_round_trips_and_root_matches() {
        let txs: Vec<SignedTx> = (1..=3u64)
            .map(|i| {
                SignedTx::new(
                    deposit_tx(i, Address::repeat_byte(9), Address::ZERO, U256::from(i)),
                    vec![],
                )
            })
            .collect();
        let root = block_root(txs.iter().map(|t| &t.raw)).unwrap();
        let block = BlockData {
            blknum: 1000,
            root,
            transactions: txs,
        };
        assert!(block.root_matches());
        let json = serde_json::to_value(&block).unwrap();
        assert_eq!(json["blknum"], 1000);
        assert_eq!(json["transactions"][0]["signatures"], serde_json::json!([]));
        let back: BlockData = serde_json::from_value(json).unwrap();
        assert_eq!(back, block);
        let tampered = BlockData {
            root: B256::ZERO,
            ..back
        };
        assert!(!tampered.root_matches());
    }
}
