//! The committed `vectors/core.json` is what the generator produces, and every vector in
//! it holds on the Rust side (the forge tests check the Solidity side on the same file).

use alloy::primitives::{Address, U256, keccak256};
use plasma_core::{
    deposit::{deposit_root, deposit_tx},
    merkle::{leaf_hash, verify, zero_hashes},
    sign::{recover, signing_hash},
    tx::Transaction,
    vectors::{CoreVectors, default_path, generate, render},
};

fn committed() -> (String, CoreVectors) {
    let text = std::fs::read_to_string(default_path()).expect("vectors/core.json is committed");
    let vectors = serde_json::from_str(&text).expect("vectors/core.json parses");
    (text, vectors)
}

#[test]
fn committed_vectors_have_not_drifted() {
    let (text, _) = committed();
    assert!(
        text == render(&generate()),
        "vectors/core.json differs from the generator: run `cargo run -p plasma-core --features vectors --bin gen-vectors`"
    );
}

#[test]
fn valid_vectors_decode_and_hash() {
    let (_, v) = committed();
    let domain = v.domain();
    let valid = &v.valid;
    assert!(valid.name.len() >= 10);
    for (i, name) in valid.name.iter().enumerate() {
        let tx = Transaction::decode(&valid.tx[i]).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(tx.encode(), valid.tx[i], "{name}");
        assert_eq!(keccak256(&valid.tx[i]), valid.tx_hash[i], "{name}");
        assert_eq!(leaf_hash(&valid.tx[i]), valid.leaf[i], "{name}");
        assert_eq!(signing_hash(&tx, &domain), valid.signing_hash[i], "{name}");
        assert_eq!(tx.tx_type.as_u8(), valid.tx_type[i], "{name}");
        assert_eq!(tx.inputs.len(), usize::from(valid.num_inputs[i]), "{name}");
        assert_eq!(
            tx.outputs.len(),
            usize::from(valid.num_outputs[i]),
            "{name}"
        );
    }
}

#[test]
fn invalid_vectors_fail_with_their_rule() {
    let (_, v) = committed();
    for (i, name) in v.invalid.name.iter().enumerate() {
        let err = Transaction::decode(&v.invalid.tx[i]).expect_err(name);
        assert_eq!(err.name(), v.invalid.error[i], "{name}");
    }
}

#[test]
fn signature_vectors_recover_or_fail() {
    let (_, v) = committed();
    let s = &v.signatures;
    assert!(s.valid.iter().any(|&ok| ok) && s.valid.iter().any(|&ok| !ok));
    for (i, name) in s.name.iter().enumerate() {
        let got = recover(s.hash[i], &s.signature[i]);
        assert_eq!(got.is_ok(), s.valid[i], "{name}: {got:?}");
        assert_eq!(got.unwrap_or(Address::ZERO), s.signer[i], "{name}");
    }
}

#[test]
fn merkle_vectors_verify_or_fail() {
    let (_, v) = committed();
    assert_eq!(v.zero_hashes, zero_hashes().to_vec());
    let m = &v.merkle;
    for (i, name) in m.name.iter().enumerate() {
        let got = verify(m.leaf[i], m.index[i], m.root[i], &m.proof[i]);
        assert_eq!(got.err().map_or("", |e| e.name()), m.error[i], "{name}");
    }
}

#[test]
fn deposit_vectors_match_the_builder() {
    let (_, v) = committed();
    let d = &v.deposits;
    for i in 0..d.blknum.len() {
        let amount: U256 = d.amount[i].parse().expect("decimal amount");
        let tx = deposit_tx(d.blknum[i], d.owner[i], d.token[i], amount);
        assert_eq!(tx.encode(), d.tx[i], "deposit {i}");
        assert_eq!(deposit_root(&tx), d.root[i], "deposit {i}");
        assert_eq!(Transaction::decode(&d.tx[i]), Ok(tx), "deposit {i}");
    }
}
