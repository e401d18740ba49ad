use super::SECP256K1_ORDER as ORDER;
use super::*;
use crate::{deposit::deposit_tx, vectors::valid_transactions};
use alloy::{primitives::keccak256, sol_types::SolValue};
use proptest::prelude::*;

fn key(k: u8) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&B256::with_last_byte(k)).unwrap()
}

/// The EIP-712 hash written out by hand from the SPEC's type string.
fn manual_signing_hash(tx: &Transaction, chain_id: u64, contract: Address) -> B256 {
    let domain_type = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
    );
    let separator = keccak256(
        (
            domain_type,
            keccak256("Plasma"),
            keccak256("1"),
            U256::from(chain_id),
            contract,
        )
            .abi_encode(),
    );
    let output_type = keccak256("Output(address owner,address token,uint256 amount)");
    let tx_type = keccak256(
        "Transaction(uint8 txType,uint64[] inputs,Output[] outputs,bytes32 metadata)Output(address owner,address token,uint256 amount)",
    );
    let inputs: Vec<u8> = tx
        .inputs
        .iter()
        .flat_map(|p| U256::from(p.0).to_be_bytes::<32>())
        .collect();
    let outputs: Vec<u8> = tx
        .outputs
        .iter()
        .flat_map(|o| keccak256((output_type, o.owner, o.token, o.amount).abi_encode()).0)
        .collect();
    let struct_hash = keccak256(
        (
            tx_type,
            U256::from(tx.tx_type.as_u8()),
            keccak256(inputs),
            keccak256(outputs),
            tx.metadata,
        )
            .abi_encode(),
    );
    keccak256(
        [
            &[0x19, 0x01][..],
            separator.as_slice(),
            struct_hash.as_slice(),
        ]
        .concat(),
    )
}

#[test]
fn signing_hash_matches_the_hand_written_eip712() {
    let contract = Address::repeat_byte(0x42);
    for (name, tx) in valid_transactions() {
        assert_eq!(
            signing_hash(&tx, &domain(31337, contract)),
            manual_signing_hash(&tx, 31337, contract),
            "{name}"
        );
    }
}

proptest! {
    /// The hand-encoded `hashStruct` (cached type hashes) equals alloy's `sol!` derivation,
    /// and so does the signing hash under a precomputed separator.
    #[test]
    fn struct_hash_equals_alloys_derivation(
        tx in crate::arbitrary::arb_transaction(),
        chain_id in any::<u64>(),
        contract in any::<[u8; 20]>(),
    ) {
        let d = domain(chain_id, Address::from(contract));
        prop_assert_eq!(struct_hash(&tx), eip712_struct(&tx).eip712_hash_struct());
        prop_assert_eq!(signing_hash(&tx, &d), eip712_struct(&tx).eip712_signing_hash(&d));
        prop_assert_eq!(signing_hash_with(&tx, d.separator()), signing_hash(&tx, &d));
    }
}

#[test]
fn half_order_is_half_the_group_order() {
    assert_eq!(HALF_ORDER, ORDER >> 1);
}

#[test]
fn domain_binds_chain_and_contract() {
    let tx = deposit_tx(1, Address::repeat_byte(1), Address::ZERO, U256::from(1));
    let base = signing_hash(&tx, &domain(1, Address::repeat_byte(1)));
    assert_ne!(base, signing_hash(&tx, &domain(2, Address::repeat_byte(1))));
    assert_ne!(base, signing_hash(&tx, &domain(1, Address::repeat_byte(2))));
}

#[test]
fn sign_then_recover() {
    let tx = &valid_transactions()[0].1;
    let d = domain(31337, Address::repeat_byte(9));
    let signer = key(7);
    let sig = sign(&signer, tx, &d).unwrap();
    assert!(sig[64] == 27 || sig[64] == 28);
    assert_eq!(recover(signing_hash(tx, &d), &sig), Ok(signer.address()));
}

#[test]
fn recover_rejects_what_the_contracts_reject() {
    let hash = keccak256("digest");
    let sig = sign_hash(&key(1), hash).unwrap();
    assert_eq!(
        recover(hash, &sig[..64]),
        Err(SigError::BadLength { len: 64 })
    );
    for v in [0u8, 1, 29, 255] {
        let mut bad = sig;
        bad[64] = v;
        assert_eq!(recover(hash, &bad), Err(SigError::BadV { v }));
    }
    // The malleable twin (n − s, flipped v) recovers the same key in ecrecover; reject it.
    let s = U256::from_be_slice(&sig[32..64]);
    let mut twin = sig;
    twin[32..64].copy_from_slice(&(ORDER - s).to_be_bytes::<32>());
    twin[64] = if sig[64] == 27 { 28 } else { 27 };
    assert_eq!(recover(hash, &twin), Err(SigError::HighS));
    let mut r_zero = sig;
    r_zero[..32].fill(0);
    assert_eq!(recover(hash, &r_zero), Err(SigError::Unrecoverable));
    let mut s_zero = sig;
    s_zero[32..64].fill(0);
    assert_eq!(recover(hash, &s_zero), Err(SigError::Unrecoverable));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn signatures_recover_their_signer(k in 1u8..=255, hash in any::<[u8; 32]>()) {
        let hash = B256::from(hash);
        let sig = sign_hash(&key(k), hash).unwrap();
        prop_assert!(U256::from_be_slice(&sig[32..64]) <= HALF_ORDER);
        prop_assert_eq!(recover(hash, &sig), Ok(key(k).address()));
    }
}
