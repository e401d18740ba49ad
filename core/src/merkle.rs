//! The block Merkle tree: binary, depth 16, leaf `keccak256(0x00 ‖ txBytes)`, node
//! `keccak256(0x01 ‖ left ‖ right)`, empty leaf `bytes32(0)` (docs/SPEC.md).
//!
//! Levels are computed iteratively over the occupied prefix of each level; the empty
//! remainder is stood in for by precomputed zero subtrees, so a block of `n` transactions
//! costs about `n` hashes whatever its size.

use alloy::primitives::{B256, Bytes, Keccak256};
use std::sync::LazyLock;

/// Depth of the tree.
pub const DEPTH: usize = 16;
/// Leaves of the tree (2^16).
pub const MAX_LEAVES: usize = 1 << DEPTH;
/// Bytes of a proof (16 siblings of 32 bytes).
pub const PROOF_LEN: usize = DEPTH * 32;

/// Why a proof cannot be made or does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MerkleError {
    /// `index ≥ 65,536`.
    #[error("leaf index {index} is not below 65536")]
    IndexOutOfRange {
        /// The index.
        index: u64,
    },
    /// The proof is not exactly 512 bytes.
    #[error("proof is {len} bytes, not 512")]
    BadProofLength {
        /// The proof's length.
        len: usize,
    },
    /// The proof leads to another root.
    #[error("proof does not lead to the root")]
    Mismatch,
    /// More leaves than the tree holds.
    #[error("{count} leaves do not fit a tree of 65536")]
    TooManyLeaves {
        /// The number of leaves given.
        count: usize,
    },
}

impl MerkleError {
    /// The SPEC's error name (`"IndexOutOfRange"`, …), as used by the vectors.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::IndexOutOfRange { .. } => "IndexOutOfRange",
            Self::BadProofLength { .. } => "BadProofLength",
            Self::Mismatch => "Mismatch",
            Self::TooManyLeaves { .. } => "TooManyLeaves",
        }
    }
}

/// `keccak256(0x00 ‖ txBytes)`.
pub fn leaf_hash(tx_bytes: &[u8]) -> B256 {
    let mut hasher = Keccak256::new();
    hasher.update([0x00]);
    hasher.update(tx_bytes);
    hasher.finalize()
}

/// `keccak256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &B256, right: &B256) -> B256 {
    let mut buf = [0u8; 65];
    buf[0] = 0x01;
    buf[1..33].copy_from_slice(left.as_slice());
    buf[33..].copy_from_slice(right.as_slice());
    alloy::primitives::keccak256(buf)
}

static ZERO_HASHES: LazyLock<[B256; DEPTH + 1]> = LazyLock::new(|| {
    let mut zeros = [B256::ZERO; DEPTH + 1];
    for k in 0..DEPTH {
        zeros[k + 1] = node_hash(&zeros[k], &zeros[k]);
    }
    zeros
});

/// Roots of empty subtrees: `Z[0] = 0`, `Z[k+1] = node(Z[k], Z[k])`; `Z[16]` is the empty block's root.
pub fn zero_hashes() -> &'static [B256; DEPTH + 1] {
    &ZERO_HASHES
}

/// A tree over up to 65,536 leaves, keeping every level's occupied prefix for proofs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerkleTree {
    /// `levels[0]` are the leaves, `levels[16]` is `[root]`.
    levels: Vec<Vec<B256>>,
}

impl MerkleTree {
    /// Builds the tree over `leaves` (leaf hashes, in block order).
    pub fn new(leaves: Vec<B256>) -> Result<Self, MerkleError> {
        if leaves.len() > MAX_LEAVES {
            return Err(MerkleError::TooManyLeaves {
                count: leaves.len(),
            });
        }
        let zeros = zero_hashes();
        let mut levels = Vec::with_capacity(DEPTH + 1);
        levels.push(leaves);
        for k in 0..DEPTH {
            let next = par_hash(&levels[k], 2, |pair| {
                node_hash(&pair[0], pair.get(1).unwrap_or(&zeros[k]))
            });
            levels.push(next);
        }
        Ok(Self { levels })
    }

    /// Builds the tree over transactions' bytes (their leaf hashes).
    pub fn from_txs<I, T>(txs: I) -> Result<Self, MerkleError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]> + Sync,
    {
        let txs: Vec<T> = txs.into_iter().collect();
        if txs.len() > MAX_LEAVES {
            return Err(MerkleError::TooManyLeaves { count: txs.len() });
        }
        Self::new(par_hash(&txs, 1, |tx| leaf_hash(tx[0].as_ref())))
    }

    /// The root.
    pub fn root(&self) -> B256 {
        self.levels[DEPTH]
            .first()
            .copied()
            .unwrap_or(zero_hashes()[DEPTH])
    }

    /// Number of (non-padding) leaves.
    pub fn len(&self) -> usize {
        self.levels[0].len()
    }

    /// True when the tree has no leaves.
    pub fn is_empty(&self) -> bool {
        self.levels[0].is_empty()
    }

    /// The 512-byte proof of the leaf at `index` (padding leaves included).
    pub fn proof(&self, index: u64) -> Result<Bytes, MerkleError> {
        let mut i = usize::try_from(index)
            .ok()
            .filter(|&i| i < MAX_LEAVES)
            .ok_or(MerkleError::IndexOutOfRange { index })?;
        let zeros = zero_hashes();
        let mut proof = Vec::with_capacity(PROOF_LEN);
        for (k, level) in self.levels[..DEPTH].iter().enumerate() {
            let sibling = level.get(i ^ 1).unwrap_or(&zeros[k]);
            proof.extend_from_slice(sibling.as_slice());
            i >>= 1;
        }
        Ok(proof.into())
    }
}

/// Below this many hashes a level is computed on the calling thread.
const PARALLEL_MIN: usize = 8_192;

/// Hashes each `group`-sized chunk of `items` (the last may be shorter), in order. Large
/// inputs are split over the machine's cores: a full block's leaves and lower levels are
/// most of its 131,071 hashes.
fn par_hash<T: Sync>(items: &[T], group: usize, hash: impl Fn(&[T]) -> B256 + Sync) -> Vec<B256> {
    let groups: Vec<&[T]> = items.chunks(group).collect();
    crate::par::par_map_with(crate::par::cores(), PARALLEL_MIN, &groups, |g| hash(g))
}

/// Computes the root a proof leads to from `leaf` at `index`.
pub fn compute_root(leaf: B256, index: u64, proof: &[u8]) -> Result<B256, MerkleError> {
    if index >= MAX_LEAVES as u64 {
        return Err(MerkleError::IndexOutOfRange { index });
    }
    if proof.len() != PROOF_LEN {
        return Err(MerkleError::BadProofLength { len: proof.len() });
    }
    let mut node = leaf;
    for (k, sibling) in proof.chunks_exact(32).enumerate() {
        let sibling = B256::from_slice(sibling);
        node = if (index >> k) & 1 == 1 {
            node_hash(&sibling, &node)
        } else {
            node_hash(&node, &sibling)
        };
    }
    Ok(node)
}

/// Verifies that `leaf` sits at `index` under `root`. Checks the index bound first, then
/// the proof length (the Solidity verifier uses the same order).
pub fn verify(leaf: B256, index: u64, root: B256, proof: &[u8]) -> Result<(), MerkleError> {
    if compute_root(leaf, index, proof)? == root {
        Ok(())
    } else {
        Err(MerkleError::Mismatch)
    }
}

/// The root of a block holding `txs` (their encodings, in block order).
pub fn block_root<I, T>(txs: I) -> Result<B256, MerkleError>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]> + Sync,
{
    MerkleTree::from_txs(txs).map(|tree| tree.root())
}

/// The root of a tree whose only leaf is `leaf` at index 0 (16 hashes).
pub fn single_leaf_root(leaf: B256) -> B256 {
    zero_hashes()[..DEPTH]
        .iter()
        .fold(leaf, |node, zero| node_hash(&node, zero))
}

#[cfg(test)]
mod tests;
