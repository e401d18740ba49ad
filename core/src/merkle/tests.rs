use super::*;
use alloy::primitives::keccak256;
use proptest::prelude::*;

/// Root of `leaves` padded to 65,536 with zero leaves, computed the naive way.
fn naive_root(leaves: &[B256]) -> B256 {
    let mut level: Vec<B256> = leaves.to_vec();
    level.resize(MAX_LEAVES, B256::ZERO);
    while level.len() > 1 {
        level = level.chunks(2).map(|p| node_hash(&p[0], &p[1])).collect();
    }
    level[0]
}

fn leaves(n: usize) -> Vec<B256> {
    (0..n as u64).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

#[test]
fn salts_separate_leaves_from_nodes() {
    let (a, b) = (B256::repeat_byte(1), B256::repeat_byte(2));
    let mut concat = [0u8; 64];
    concat[..32].copy_from_slice(a.as_slice());
    concat[32..].copy_from_slice(b.as_slice());
    assert_ne!(leaf_hash(&concat), node_hash(&a, &b));
    assert_eq!(leaf_hash(b"x"), keccak256([&[0u8][..], b"x"].concat()));
    assert_eq!(
        node_hash(&a, &b),
        keccak256([&[1u8][..], &concat[..]].concat())
    );
}

#[test]
fn zero_hashes_follow_the_recurrence() {
    let z = zero_hashes();
    assert_eq!(z[0], B256::ZERO);
    for k in 0..DEPTH {
        assert_eq!(z[k + 1], node_hash(&z[k], &z[k]));
    }
    assert_eq!(MerkleTree::new(vec![]).unwrap().root(), z[DEPTH]);
    assert_eq!(block_root(Vec::<Vec<u8>>::new()).unwrap(), z[DEPTH]);
}

#[test]
fn roots_match_the_naive_padded_tree() {
    for n in [1, 2, 3, 5, 8, 33, 1000] {
        let l = leaves(n);
        assert_eq!(
            MerkleTree::new(l.clone()).unwrap().root(),
            naive_root(&l),
            "n = {n}"
        );
    }
}

#[test]
fn full_tree_proofs_at_the_edges_verify() {
    let l = leaves(MAX_LEAVES);
    let tree = MerkleTree::new(l.clone()).unwrap();
    assert_eq!(tree.root(), naive_root(&l));
    for i in [0u64, 1, 2, 32_767, 32_768, 65_534, 65_535] {
        let proof = tree.proof(i).unwrap();
        assert_eq!(proof.len(), PROOF_LEN);
        assert_eq!(verify(l[i as usize], i, tree.root(), &proof), Ok(()));
        assert_eq!(
            verify(l[i as usize], i ^ 1, tree.root(), &proof),
            Err(MerkleError::Mismatch)
        );
    }
}

#[test]
fn index_bound_and_proof_length_are_enforced() {
    let tree = MerkleTree::new(leaves(4)).unwrap();
    let proof = tree.proof(0).unwrap();
    let leaf = leaves(1)[0];
    // Without the bound, index 65,536 would alias index 0 (audit lesson 1).
    assert_eq!(
        verify(leaf, 65_536, tree.root(), &proof),
        Err(MerkleError::IndexOutOfRange { index: 65_536 })
    );
    assert_eq!(
        tree.proof(65_536),
        Err(MerkleError::IndexOutOfRange { index: 65_536 })
    );
    assert_eq!(
        verify(leaf, 0, tree.root(), &proof[..511]),
        Err(MerkleError::BadProofLength { len: 511 })
    );
    let long = [&proof[..], &[0]].concat();
    assert_eq!(
        verify(leaf, 0, tree.root(), &long),
        Err(MerkleError::BadProofLength { len: 513 })
    );
    assert_eq!(
        verify(leaf, u64::MAX, tree.root(), &[]),
        Err(MerkleError::IndexOutOfRange { index: u64::MAX })
    );
    assert_eq!(
        MerkleTree::new(vec![B256::ZERO; MAX_LEAVES + 1]),
        Err(MerkleError::TooManyLeaves {
            count: MAX_LEAVES + 1
        })
    );
}

#[test]
fn single_leaf_root_is_a_one_leaf_tree() {
    let leaf = leaf_hash(b"deposit");
    assert_eq!(
        single_leaf_root(leaf),
        MerkleTree::new(vec![leaf]).unwrap().root()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_proof_verifies_and_no_other_leaf_or_index_does(n in 1usize..300, pick in any::<prop::sample::Index>(), other in any::<u16>()) {
        let l = leaves(n);
        let tree = MerkleTree::new(l.clone()).unwrap();
        let i = pick.index(n) as u64;
        let proof = tree.proof(i).unwrap();
        prop_assert_eq!(verify(l[i as usize], i, tree.root(), &proof), Ok(()));
        let other = u64::from(other);
        if other != i {
            prop_assert_eq!(verify(l[i as usize], other, tree.root(), &proof), Err(MerkleError::Mismatch));
        }
        prop_assert_eq!(verify(l[i as usize], i + (1 << 16), tree.root(), &proof), Err(MerkleError::IndexOutOfRange { index: i + (1 << 16) }));
    }

    #[test]
    fn any_flipped_proof_bit_is_a_mismatch(n in 1usize..64, pick in any::<prop::sample::Index>(), bit in 0usize..4096) {
        let l = leaves(n);
        let tree = MerkleTree::new(l.clone()).unwrap();
        let i = pick.index(n) as u64;
        let mut proof = tree.proof(i).unwrap().to_vec();
        proof[bit / 8] ^= 1 << (bit % 8);
        prop_assert_eq!(verify(l[i as usize], i, tree.root(), &proof), Err(MerkleError::Mismatch));
    }
}
