//! The shared test vectors (`vectors/core.json`, schema in docs/SPEC.md "Shared test
//! vectors"). [`generate`] builds them deterministically from fixed keys; the
//! `gen-vectors` binary writes them, the cargo tests regenerate them in memory and fail
//! on drift, and the forge tests read the same file.

use crate::{
    deposit::{deposit_root, deposit_tx},
    merkle::{MerkleError, MerkleTree, leaf_hash, verify, zero_hashes},
    position::UtxoPos,
    sign::{HALF_ORDER, SECP256K1_ORDER as ORDER, domain, recover, sign_hash, signing_hash},
    tx::{DecodeError, Output, Transaction},
};
use alloy::{
    primitives::{Address, B256, Bytes, U256, address, keccak256},
    signers::local::PrivateKeySigner,
    sol_types::Eip712Domain,
};
use serde::{Deserialize, Serialize};

/// Chain id of the vectors' EIP-712 domain (anvil's).
pub const CHAIN_ID: u64 = 31337;
/// Verifying contract of the vectors' domain (the first contract anvil's first account deploys).
pub const VERIFYING_CONTRACT: Address = address!("5FbDB2315678afecb367f032d93F642f64180aa3");
/// Path of the committed file, relative to the workspace root.
pub const RELATIVE_PATH: &str = "vectors/core.json";

/// Valid transactions with their hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidVectors {
    /// Case names.
    pub name: Vec<String>,
    /// Canonical bytes.
    pub tx: Vec<Bytes>,
    /// `keccak256(tx)`.
    pub tx_hash: Vec<B256>,
    /// Merkle leaf `keccak256(0x00 ‖ tx)`.
    pub leaf: Vec<B256>,
    /// EIP-712 signing hash under the vectors' domain.
    pub signing_hash: Vec<B256>,
    /// Type byte.
    pub tx_type: Vec<u8>,
    /// Input count.
    pub num_inputs: Vec<u8>,
    /// Output count.
    pub num_outputs: Vec<u8>,
}

/// Malformed encodings with the rule they break first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidVectors {
    /// Case names.
    pub name: Vec<String>,
    /// The bytes.
    pub tx: Vec<Bytes>,
    /// The SPEC rule name ([`DecodeError::name`]).
    pub error: Vec<String>,
}

/// Signatures over given digests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureVectors {
    /// Case names.
    pub name: Vec<String>,
    /// The digest.
    pub hash: Vec<B256>,
    /// The signature bytes (any length).
    pub signature: Vec<Bytes>,
    /// The recovered signer; address(0) when invalid.
    pub signer: Vec<Address>,
    /// Whether both sides accept it.
    pub valid: Vec<bool>,
}

/// Merkle proofs and their verdicts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerkleVectors {
    /// Case names.
    pub name: Vec<String>,
    /// The leaf hash.
    pub leaf: Vec<B256>,
    /// The claimed index.
    pub index: Vec<u64>,
    /// The root.
    pub root: Vec<B256>,
    /// The proof bytes.
    pub proof: Vec<Bytes>,
    /// `""` when valid, else `Mismatch`, `IndexOutOfRange` or `BadProofLength`.
    pub error: Vec<String>,
}

/// Deposit transactions and roots as the contract builds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositVectors {
    /// Deposit block number.
    pub blknum: Vec<u64>,
    /// Owner.
    pub owner: Vec<Address>,
    /// Token (address(0) = ETH).
    pub token: Vec<Address>,
    /// Credited amount, decimal.
    pub amount: Vec<String>,
    /// The DEPOSIT transaction's bytes.
    pub tx: Vec<Bytes>,
    /// The deposit block's root.
    pub root: Vec<B256>,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CoreVectors {
    /// EIP-712 chain id.
    pub chain_id: u64,
    /// EIP-712 verifying contract.
    pub verifying_contract: Address,
    /// `Z[0] … Z[16]`.
    pub zero_hashes: Vec<B256>,
    /// Valid transactions.
    pub valid: ValidVectors,
    /// Malformed transactions.
    pub invalid: InvalidVectors,
    /// Signatures.
    pub signatures: SignatureVectors,
    /// Merkle proofs.
    pub merkle: MerkleVectors,
    /// Deposits.
    pub deposits: DepositVectors,
}

impl CoreVectors {
    /// The EIP-712 domain the vectors use.
    pub fn domain(&self) -> Eip712Domain {
        domain(self.chain_id, self.verifying_contract)
    }
}

/// The fixed signing keys (private keys 1, 2, 3: test-only, publicly known).
pub fn keys() -> [PrivateKeySigner; 3] {
    [1u8, 2, 3]
        .map(|k| PrivateKeySigner::from_bytes(&B256::with_last_byte(k)).expect("valid fixed key"))
}

fn pos(blknum: u64, txindex: u64, oindex: u64) -> UtxoPos {
    UtxoPos::new(blknum, txindex, oindex).expect("fixed valid position")
}

fn out(owner: Address, token: Address, amount: U256) -> Output {
    Output {
        owner,
        token,
        amount,
    }
}

fn payment(inputs: Vec<UtxoPos>, outputs: Vec<Output>, metadata: B256) -> Transaction {
    Transaction::payment(inputs, outputs, metadata).expect("fixed valid payment")
}

/// The representative valid transactions, by name (also used by the insta snapshots).
pub fn valid_transactions() -> Vec<(&'static str, Transaction)> {
    let [alice, bob, carol] = keys().map(|k| k.address());
    let token = address!("00000000000000000000000000000000000000aa");
    let other = address!("00000000000000000000000000000000000000bb");
    let eth = Address::ZERO;
    let one = U256::from(1);
    let largest_pos = UtxoPos::new(u64::MAX / 1_000_000_000, 65_535, 3).expect("largest position");
    vec![
        (
            "payment_1in_1out_eth",
            payment(
                vec![pos(1000, 0, 0)],
                vec![out(bob, eth, U256::from(10).pow(U256::from(18)))],
                B256::ZERO,
            ),
        ),
        (
            "payment_1in_2out_change",
            payment(
                vec![pos(1000, 3, 1)],
                vec![
                    out(bob, eth, U256::from(700)),
                    out(alice, eth, U256::from(299)),
                ],
                B256::ZERO,
            ),
        ),
        (
            "payment_4in_4out_mixed_tokens",
            payment(
                vec![
                    pos(1, 0, 0),
                    pos(1000, 0, 3),
                    pos(1000, 65_535, 0),
                    pos(2000, 1, 2),
                ],
                vec![
                    out(alice, eth, U256::from(1)),
                    out(bob, token, U256::from(2)),
                    out(carol, other, U256::from(3)),
                    out(alice, token, U256::from(4)),
                ],
                B256::repeat_byte(0x5a),
            ),
        ),
        (
            "payment_consecutive_inputs",
            payment(
                vec![
                    pos(3000, 7, 0),
                    pos(3000, 7, 1),
                    pos(3000, 7, 2),
                    pos(3000, 7, 3),
                ],
                vec![out(carol, token, one)],
                B256::ZERO,
            ),
        ),
        (
            "payment_deposit_input",
            payment(
                vec![pos(1001, 0, 0)],
                vec![out(alice, token, U256::from(5))],
                B256::ZERO,
            ),
        ),
        (
            "payment_largest_position",
            payment(vec![largest_pos], vec![out(bob, eth, one)], B256::ZERO),
        ),
        (
            "payment_max_amount",
            payment(
                vec![pos(1000, 1, 0)],
                vec![out(bob, token, U256::MAX)],
                B256::ZERO,
            ),
        ),
        (
            "payment_min_amount_metadata",
            payment(
                vec![pos(1000, 1, 1)],
                vec![out(carol, eth, one)],
                keccak256("memo"),
            ),
        ),
        (
            "deposit_eth",
            deposit_tx(1, alice, eth, U256::from(10).pow(U256::from(18))),
        ),
        (
            "deposit_token_max_amount",
            deposit_tx(999, bob, token, U256::MAX),
        ),
    ]
}

fn valid_vectors(domain: &Eip712Domain) -> ValidVectors {
    let mut v = ValidVectors::default();
    for (name, tx) in valid_transactions() {
        let bytes = tx.encode();
        v.name.push(name.into());
        v.tx_hash.push(keccak256(&bytes));
        v.leaf.push(leaf_hash(&bytes));
        v.signing_hash.push(signing_hash(&tx, domain));
        v.tx_type.push(tx.tx_type.as_u8());
        v.num_inputs.push(tx.inputs.len() as u8);
        v.num_outputs.push(tx.outputs.len() as u8);
        v.tx.push(bytes);
    }
    v
}

/// Byte offset of input `i` in a transaction with these counts.
const fn input_at(i: usize) -> usize {
    3 + 8 * i
}

/// Byte offset of output `i` in a transaction with `n_in` inputs.
const fn output_at(n_in: usize, i: usize) -> usize {
    3 + 8 * n_in + 72 * i
}

fn with(bytes: &[u8], edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut b = bytes.to_vec();
    edit(&mut b);
    b
}

fn set_input(b: &mut [u8], i: usize, raw: u64) {
    b[input_at(i)..input_at(i) + 8].copy_from_slice(&raw.to_be_bytes());
}

/// The malformed encodings: at least one per rule, the rule order, and the classic shapes.
pub fn invalid_transactions() -> Vec<(&'static str, Vec<u8>, DecodeError)> {
    let txs = valid_transactions();
    let one = txs[0].1.encode().to_vec(); // 1 input, 1 output
    let two = txs[1].1.encode().to_vec(); // 1 input, 2 outputs
    let four = txs[2].1.encode().to_vec(); // 4 inputs, 4 outputs
    let dep = txs[8].1.encode().to_vec(); // deposit
    let len1 = one.len();
    let bad_len = |expected: usize, len: usize| DecodeError::BadLength { expected, len };
    let first = u64::from_be_bytes(four[3..11].try_into().expect("8 bytes"));
    let second = u64::from_be_bytes(four[11..19].try_into().expect("8 bytes"));
    vec![
        // Rule 1.
        ("empty", vec![], DecodeError::TooShort { len: 0 }),
        ("one_byte", vec![1], DecodeError::TooShort { len: 1 }),
        ("two_bytes", vec![1, 1], DecodeError::TooShort { len: 2 }),
        // Rule 2 (before any length check).
        (
            "unknown_type_0",
            with(&one, |b| b[0] = 0),
            DecodeError::UnknownType { tx_type: 0 },
        ),
        (
            "unknown_type_3",
            with(&one, |b| b[0] = 3),
            DecodeError::UnknownType { tx_type: 3 },
        ),
        (
            "unknown_type_255",
            with(&one, |b| b[0] = 255),
            DecodeError::UnknownType { tx_type: 255 },
        ),
        (
            "unknown_type_3_header_only",
            vec![3, 1, 1],
            DecodeError::UnknownType { tx_type: 3 },
        ),
        // Rule 3.
        (
            "payment_zero_inputs",
            with(&one, |b| b[1] = 0),
            DecodeError::BadInputCount { count: 0 },
        ),
        (
            "payment_five_inputs",
            with(&one, |b| b[1] = 5),
            DecodeError::BadInputCount { count: 5 },
        ),
        (
            "payment_255_inputs",
            with(&one, |b| b[1] = 255),
            DecodeError::BadInputCount { count: 255 },
        ),
        (
            "deposit_one_input",
            with(&dep, |b| b[1] = 1),
            DecodeError::BadInputCount { count: 1 },
        ),
        (
            "payment_zero_inputs_header_only",
            vec![1, 0, 1],
            DecodeError::BadInputCount { count: 0 },
        ),
        // Rule 4.
        (
            "payment_zero_outputs",
            with(&one, |b| b[2] = 0),
            DecodeError::BadOutputCount { count: 0 },
        ),
        (
            "payment_five_outputs",
            with(&one, |b| b[2] = 5),
            DecodeError::BadOutputCount { count: 5 },
        ),
        (
            "deposit_zero_outputs",
            with(&dep, |b| b[2] = 0),
            DecodeError::BadOutputCount { count: 0 },
        ),
        (
            "deposit_two_outputs",
            with(&dep, |b| b[2] = 2),
            DecodeError::BadOutputCount { count: 2 },
        ),
        (
            "payment_as_deposit_type",
            with(&one, |b| b[0] = 2),
            DecodeError::BadInputCount { count: 1 },
        ),
        (
            "deposit_as_payment_type",
            with(&dep, |b| b[0] = 1),
            DecodeError::BadInputCount { count: 0 },
        ),
        // Rule 5.
        (
            "trailing_byte",
            with(&one, |b| b.push(0)),
            bad_len(len1, len1 + 1),
        ),
        (
            "trailing_32_bytes",
            with(&one, |b| b.extend([0; 32])),
            bad_len(len1, len1 + 32),
        ),
        (
            "truncated_by_one",
            with(&one, |b| {
                b.pop();
            }),
            bad_len(len1, len1 - 1),
        ),
        (
            "missing_metadata",
            with(&one, |b| b.truncate(len1 - 32)),
            bad_len(len1, len1 - 32),
        ),
        ("header_only", vec![1, 1, 1], bad_len(len1, 3)),
        (
            "input_count_too_high",
            with(&one, |b| b[1] = 2),
            bad_len(len1 + 8, len1),
        ),
        (
            "output_count_too_low",
            with(&two, |b| b[2] = 1),
            bad_len(len1, len1 + 72),
        ),
        (
            "deposit_trailing_byte",
            with(&dep, |b| b.push(0)),
            bad_len(dep.len(), dep.len() + 1),
        ),
        // Rule 6.
        (
            "blknum_zero",
            with(&one, |b| set_input(b, 0, 5)),
            DecodeError::BadPosition { index: 0, pos: 5 },
        ),
        (
            "position_zero",
            with(&one, |b| set_input(b, 0, 0)),
            DecodeError::BadPosition { index: 0, pos: 0 },
        ),
        (
            "bad_txindex_65536",
            with(&one, |b| set_input(b, 0, 1_000_655_360_000)),
            DecodeError::BadPosition {
                index: 0,
                pos: 1_000_655_360_000,
            },
        ),
        (
            "bad_txindex_99999",
            with(&one, |b| set_input(b, 0, 1_000_999_990_000)),
            DecodeError::BadPosition {
                index: 0,
                pos: 1_000_999_990_000,
            },
        ),
        (
            "bad_oindex_4",
            with(&one, |b| set_input(b, 0, 1_000_000_000_004)),
            DecodeError::BadPosition {
                index: 0,
                pos: 1_000_000_000_004,
            },
        ),
        (
            "bad_oindex_9999",
            with(&one, |b| set_input(b, 0, 1_000_000_009_999)),
            DecodeError::BadPosition {
                index: 0,
                pos: 1_000_000_009_999,
            },
        ),
        (
            "bad_position_third_input",
            with(&four, |b| set_input(b, 2, second + 4)),
            DecodeError::BadPosition {
                index: 2,
                pos: second + 4,
            },
        ),
        (
            "bad_position_before_order",
            with(&four, |b| set_input(b, 1, 4)),
            DecodeError::BadPosition { index: 1, pos: 4 },
        ),
        // Rule 7.
        (
            "duplicate_inputs",
            with(&four, |b| set_input(b, 1, first)),
            DecodeError::InputsNotIncreasing { index: 1 },
        ),
        (
            "unsorted_inputs",
            with(&four, |b| {
                set_input(b, 0, second);
                set_input(b, 1, first);
            }),
            DecodeError::InputsNotIncreasing { index: 1 },
        ),
        (
            "duplicate_last_inputs",
            with(&four, |b| {
                let third = u64::from_be_bytes(b[19..27].try_into().expect("8 bytes"));
                set_input(b, 3, third);
            }),
            DecodeError::InputsNotIncreasing { index: 3 },
        ),
        (
            "order_before_outputs",
            with(&four, |b| {
                set_input(b, 1, first);
                b[output_at(4, 0)..output_at(4, 0) + 20].fill(0);
            }),
            DecodeError::InputsNotIncreasing { index: 1 },
        ),
        // Rule 8.
        (
            "zero_owner",
            with(&one, |b| b[output_at(1, 0)..output_at(1, 0) + 20].fill(0)),
            DecodeError::ZeroOwner { index: 0 },
        ),
        (
            "zero_owner_second_output",
            with(&two, |b| b[output_at(1, 1)..output_at(1, 1) + 20].fill(0)),
            DecodeError::ZeroOwner { index: 1 },
        ),
        (
            "zero_owner_and_amount",
            with(&one, |b| b[output_at(1, 0)..output_at(1, 1)].fill(0)),
            DecodeError::ZeroOwner { index: 0 },
        ),
        (
            "deposit_zero_owner",
            with(&dep, |b| b[3..23].fill(0)),
            DecodeError::ZeroOwner { index: 0 },
        ),
        // Rule 9.
        (
            "zero_amount",
            with(&one, |b| b[output_at(1, 0) + 40..output_at(1, 1)].fill(0)),
            DecodeError::ZeroAmount { index: 0 },
        ),
        (
            "zero_amount_last_output",
            with(&four, |b| b[output_at(4, 3) + 40..output_at(4, 4)].fill(0)),
            DecodeError::ZeroAmount { index: 3 },
        ),
        (
            "zero_amount_before_next_owner",
            with(&two, |b| {
                b[output_at(1, 0) + 40..output_at(1, 1)].fill(0);
                b[output_at(1, 1)..output_at(1, 1) + 20].fill(0);
            }),
            DecodeError::ZeroAmount { index: 0 },
        ),
        (
            "deposit_zero_amount",
            with(&dep, |b| b[43..75].fill(0)),
            DecodeError::ZeroAmount { index: 0 },
        ),
    ]
}

fn invalid_vectors() -> InvalidVectors {
    let mut v = InvalidVectors::default();
    for (name, bytes, err) in invalid_transactions() {
        v.name.push(name.into());
        v.tx.push(bytes.into());
        v.error.push(err.name().into());
    }
    v
}

fn sig_bytes(r: U256, s: U256, v: u8) -> Vec<u8> {
    let mut b = Vec::with_capacity(65);
    b.extend_from_slice(&r.to_be_bytes::<32>());
    b.extend_from_slice(&s.to_be_bytes::<32>());
    b.push(v);
    b
}

/// The smallest `r ≥ start` that does not recover (no curve point has that x).
fn unrecoverable_r(hash: B256, start: u64) -> U256 {
    (start..)
        .map(U256::from)
        .find(|&r| recover(hash, &sig_bytes(r, U256::from(1), 27)).is_err())
        .expect("half of all x have no point")
}

/// The smallest `r ≥ start` that recovers with `s = n/2` (a valid boundary signature).
fn recoverable_r(hash: B256, start: u64) -> U256 {
    (start..)
        .map(U256::from)
        .find(|&r| recover(hash, &sig_bytes(r, HALF_ORDER, 27)).is_ok())
        .expect("half of all x have a point")
}

fn signature_vectors(valid: &ValidVectors) -> SignatureVectors {
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

fn merkle_vectors(valid: &ValidVectors) -> MerkleVectors {
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

fn deposit_vectors() -> DepositVectors {
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

/// Builds every vector. Deterministic: same output on every run and machine.
pub fn generate() -> CoreVectors {
    let domain = domain(CHAIN_ID, VERIFYING_CONTRACT);
    let valid = valid_vectors(&domain);
    CoreVectors {
        chain_id: CHAIN_ID,
        verifying_contract: VERIFYING_CONTRACT,
        zero_hashes: zero_hashes().to_vec(),
        invalid: invalid_vectors(),
        signatures: signature_vectors(&valid),
        merkle: merkle_vectors(&valid),
        deposits: deposit_vectors(),
        valid,
    }
}

/// The file's text: pretty JSON with a final newline.
pub fn render(vectors: &CoreVectors) -> String {
    let mut text = serde_json::to_string_pretty(vectors).expect("vectors serialize");
    text.push('\n');
    text
}

/// `<workspace>/vectors/core.json`.
pub fn default_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(RELATIVE_PATH)
}

/// Generates the vectors and writes them to `path`, creating its folder.
pub fn write(path: &std::path::Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, render(&generate()))
}
