//! Signature, Merkle and deposit vectors.

use super::*;

pub(super) fn sig_bytes(r: U256, s: U256, v: u8) -> Vec<u8> {
    let mut b = Vec::with_capacity(65);
    b.extend_from_slice(&r.to_be_bytes::<32>());
    b.extend_from_slice(&s.to_be_bytes::<32>());
    b.push(v);
    b
}

/// The smallest `r ≥ start` that does not recover (no curve point has that x).
pub(super) fn unrecoverable_r(hash: B256, start: u64) -> U256 {
    (start..)
        .map(U256::from)
        .find(|&r| recover(hash, &sig_bytes(r, U256::from(1), 27)).is_err())
        .expect("half of all x have no point")
}

/// The smallest `r ≥ start` that recovers with `s = n/2` (a valid boundary signature).
pub(super) fn recoverable_r(hash: B256, start: u64) -> U256 {
    (start..)
        .map(U256::from)
        .find(|&r| recover(hash, &sig_bytes(r, HALF_ORDER, 27)).is_ok())
        .expect("half of all x have a point")
}

pub(super) fn signature_vectors(valid: &ValidVectors) -> SignatureVectors {
    let keys = keys();
    let mut v = SignatureVectors::default();
    let mut push = |name: &str, hash: B256, sig: Vec<u8>| {
        let signer = recover(hash, &sig).ok();
        v.name.push(name.into());
        v.hash.push(hash);
        v.signature.push(sig.into());
        v.signer.push(signer.unwrap_or(Address::ZERO));
        v.valid.push(signer.is_some());
    };
    // One signature with v = 27 and one with v = 28, over the valid transactions' hashes.
    let mut by_parity: [Option<(B256, Vec<u8>)>; 2] = [None, None];
    for (i, hash) in valid.signing_hash.iter().enumerate() {
        let sig = sign_hash(&keys[i % 3], *hash)
            .expect("fixed key signs")
            .to_vec();
        let slot = usize::from(sig[64] - 27);
        by_parity[slot].get_or_insert((*hash, sig));
    }
    let [Some((hash27, sig27)), Some((hash28, sig28))] = by_parity else {
        unreachable!("ten signatures cover both parities")
    };
    let (r, s) = (
        U256::from_be_slice(&sig27[..32]),
        U256::from_be_slice(&sig27[32..64]),
    );
    push("valid_v27", hash27, sig27.clone());
    push("valid_v28", hash28, sig28.clone());
    push("valid_over_other_hash", keccak256(hash27), sig27.clone());
    push("high_s_twin", hash27, sig_bytes(r, ORDER - s, 28));
    push("v_0", hash27, with(&sig27, |b| b[64] = 0));
    push("v_1", hash28, with(&sig28, |b| b[64] = 1));
    push("v_29", hash27, with(&sig27, |b| b[64] = 29));
    push("v_255", hash27, with(&sig27, |b| b[64] = 255));
    push("length_0", hash27, vec![]);
    push("length_64", hash27, sig27[..64].to_vec());
    push("length_66", hash27, with(&sig27, |b| b.push(0)));
    push("r_zero", hash27, sig_bytes(U256::ZERO, s, 27));
    push("s_zero", hash27, sig_bytes(r, U256::ZERO, 27));
    push("r_equals_order", hash27, sig_bytes(ORDER, s, 27));
    push(
        "r_not_on_curve",
        hash27,
        sig_bytes(unrecoverable_r(hash27, 1), s, 27),
    );
    let boundary_r = recoverable_r(hash27, 1);
    push(
        "s_half_order_accepted",
        hash27,
        sig_bytes(boundary_r, HALF_ORDER, 27),
    );
    push(
        "s_half_order_plus_one",
        hash27,
        sig_bytes(boundary_r, HALF_ORDER + U256::from(1), 27),
    );
    v
}

pub(super) fn merkle_vectors(valid: &ValidVectors) -> MerkleVectors {
    let mut v = MerkleVectors::default();
    let mut push = |name: &str, leaf: B256, index: u64, root: B256, proof: Vec<u8>| {
        let err = verify(leaf, index, root, &proof).err();
        v.name.push(name.into());
        v.leaf.push(leaf);
        v.index.push(index);
        v.root.push(root);
        v.proof.push(proof.into());
        v.error
            .push(err.as_ref().map_or("", MerkleError::name).into());
    };
    // A small block: the valid transactions.
    let small = MerkleTree::new(valid.leaf.clone()).expect("ten leaves fit");
    let root = small.root();
    let proof = |tree: &MerkleTree, i: u64| tree.proof(i).expect("index in range").to_vec();
    let last = valid.leaf.len() as u64 - 1;
    push("small_index_0", valid.leaf[0], 0, root, proof(&small, 0));
    push("small_index_1", valid.leaf[1], 1, root, proof(&small, 1));
    push(
        "small_last_index",
        valid.leaf[last as usize],
        last,
        root,
        proof(&small, last),
    );
    push(
        "small_empty_leaf",
        B256::ZERO,
        last + 1,
        root,
        proof(&small, last + 1),
    );
    push(
        "small_empty_index_65535",
        B256::ZERO,
        65_535,
        root,
        proof(&small, 65_535),
    );
    push("small_wrong_leaf", valid.leaf[1], 0, root, proof(&small, 0));
    push(
        "small_wrong_index",
        valid.leaf[0],
        2,
        root,
        proof(&small, 0),
    );
    push(
        "small_index_65536_aliases_0",
        valid.leaf[0],
        65_536,
        root,
        proof(&small, 0),
    );
    push(
        "small_index_2_pow_32",
        valid.leaf[0],
        1 << 32,
        root,
        proof(&small, 0),
    );
    push(
        "small_proof_511_bytes",
        valid.leaf[0],
        0,
        root,
        proof(&small, 0)[..511].to_vec(),
    );
    push(
        "small_proof_513_bytes",
        valid.leaf[0],
        0,
        root,
        with(&proof(&small, 0), |b| b.push(0)),
    );
    push("small_proof_empty", valid.leaf[0], 0, root, vec![]);
    push(
        "small_proof_480_bytes",
        valid.leaf[0],
        0,
        root,
        proof(&small, 0)[..480].to_vec(),
    );
    push(
        "small_wrong_sibling",
        valid.leaf[0],
        0,
        root,
        with(&proof(&small, 0), |b| b[0] ^= 1),
    );
    push(
        "small_wrong_top_sibling",
        valid.leaf[0],
        0,
        root,
        with(&proof(&small, 0), |b| b[511] ^= 0x80),
    );
    // Second preimage: an inner node presented as a leaf must not verify at the level above.
    let inner = crate::merkle::node_hash(&valid.leaf[0], &valid.leaf[1]);
    let mut upper = proof(&small, 0)[32..].to_vec();
    upper.extend([0; 32]);
    push("inner_node_as_leaf", inner, 0, root, upper);
    // One leaf: the deposit block shape.
    let single = MerkleTree::new(vec![valid.leaf[8]]).expect("one leaf");
    push(
        "single_leaf",
        valid.leaf[8],
        0,
        single.root(),
        proof(&single, 0),
    );
    // A full block of 65,536 distinct leaves.
    let full = MerkleTree::new(
        (0..1u64 << 16)
            .map(|i| leaf_hash(&i.to_be_bytes()))
            .collect(),
    )
    .expect("full tree");
    let leaf = |i: u64| leaf_hash(&i.to_be_bytes());
    for (name, i) in [
        ("full_index_0", 0),
        ("full_index_1", 1),
        ("full_index_middle", 32_768),
        ("full_index_12345", 12_345),
        ("full_index_65535", 65_535),
    ] {
        push(name, leaf(i), i, full.root(), proof(&full, i));
    }
    push(
        "full_index_65536",
        leaf(0),
        65_536,
        full.root(),
        proof(&full, 0),
    );
    push(
        "full_index_131071_aliases_65535",
        leaf(65_535),
        131_071,
        full.root(),
        proof(&full, 65_535),
    );
    push(
        "full_wrong_sibling_middle",
        leaf(32_768),
        32_768,
        full.root(),
        with(&proof(&full, 32_768), |b| b[8 * 32] ^= 1),
    );
    push(
        "full_swapped_index",
        leaf(1),
        0,
        full.root(),
        proof(&full, 1),
    );
    v
}

pub(super) fn deposit_vectors() -> DepositVectors {
    let [alice, bob, _] = keys().map(|k| k.address());
    let token = address!("00000000000000000000000000000000000000aa");
    let cases = [
        (1, alice, Address::ZERO, U256::from(1)),
        (2, alice, Address::ZERO, U256::from(10).pow(U256::from(18))),
        (999, bob, token, U256::MAX),
        (1001, bob, token, U256::from(123_456_789)),
        (18_446_743_999, alice, Address::ZERO, U256::MAX),
    ];
    let mut v = DepositVectors::default();
    for (blknum, owner, token, amount) in cases {
        let tx = deposit_tx(blknum, owner, token, amount);
        v.blknum.push(blknum);
        v.owner.push(owner);
        v.token.push(token);
        v.amount.push(amount.to_string());
        v.root.push(deposit_root(&tx));
        v.tx.push(tx.encode());
    }
    v
}
