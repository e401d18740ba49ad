use super::*;
use crate::{
    position::UtxoPos,
    sign::{domain, sign, signing_hash},
    tx::Transaction,
};
use alloy::{
    primitives::{Bytes, U256},
    signers::local::PrivateKeySigner,
};

fn key(k: u8) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&B256::with_last_byte(k)).unwrap()
}

const TOKEN: Address = Address::repeat_byte(0xaa);

fn out(owner: Address, token: Address, amount: u64) -> Output {
    Output {
        owner,
        token,
        amount: U256::from(amount),
    }
}

/// Alice (key 1) spends an ETH output of 100 and a token output of 50.
fn setup(outputs: Vec<Output>) -> (SignedTx, B256, Vec<Output>) {
    let alice = key(1);
    let spent = vec![
        out(alice.address(), Address::ZERO, 100),
        out(alice.address(), TOKEN, 50),
    ];
    let tx = Transaction::payment(
        vec![
            UtxoPos::new(1000, 0, 0).unwrap(),
            UtxoPos::new(1000, 1, 0).unwrap(),
        ],
        outputs,
        B256::ZERO,
    )
    .unwrap();
    let d = domain(31337, Address::repeat_byte(7));
    let hash = signing_hash(&tx, &d);
    let sig = Bytes::from(sign(&alice, &tx, &d).unwrap().to_vec());
    (SignedTx::new(tx, vec![sig.clone(), sig]), hash, spent)
}

#[test]
fn valid_payment_returns_per_token_fees() {
    let bob = key(2).address();
    let (signed, hash, spent) = setup(vec![out(bob, Address::ZERO, 90), out(bob, TOKEN, 50)]);
    let fees = validate_payment(&signed, hash, &spent).unwrap();
    assert_eq!(fees.get(&Address::ZERO), Some(&U256::from(10)));
    assert_eq!(fees.get(&TOKEN), Some(&U256::ZERO));
}

#[test]
fn overspend_is_rejected_per_token() {
    let bob = key(2).address();
    let (signed, hash, spent) = setup(vec![out(bob, Address::ZERO, 50), out(bob, TOKEN, 51)]);
    let err = validate_payment(&signed, hash, &spent).unwrap_err();
    assert_eq!(
        err,
        ValidationError::Overspend {
            token: TOKEN,
            inputs: U256::from(50),
            outputs: U256::from(51)
        }
    );
    assert_eq!(err.code(), "overspend");
    // A token the inputs do not carry cannot be minted.
    let (signed, hash, spent) = setup(vec![out(bob, Address::repeat_byte(0xbb), 1)]);
    assert!(
        matches!(validate_payment(&signed, hash, &spent), Err(ValidationError::Overspend { inputs, .. }) if inputs.is_zero())
    );
}

#[test]
fn signatures_must_come_from_each_spent_owner() {
    let bob = key(2);
    let (mut signed, hash, mut spent) = setup(vec![out(bob.address(), Address::ZERO, 1)]);
    spent[1].owner = bob.address();
    assert_eq!(
        validate_payment(&signed, hash, &spent),
        Err(ValidationError::WrongSigner {
            index: 1,
            owner: bob.address(),
            recovered: key(1).address()
        })
    );
    spent[1].owner = key(1).address();
    signed.signatures.pop();
    assert_eq!(
        validate_payment(&signed, hash, &spent),
        Err(ValidationError::SignatureCount {
            expected: 2,
            got: 1
        })
    );
    signed.signatures.push(Bytes::from(vec![0u8; 65]));
    assert!(matches!(
        validate_payment(&signed, hash, &spent),
        Err(ValidationError::BadSignature {
            index: 1,
            source: SigError::BadV { v: 0 }
        })
    ));
    assert_eq!(
        validate_payment(&signed, hash, &spent[..1]),
        Err(ValidationError::SpentCount {
            expected: 2,
            got: 1
        })
    );
}

#[test]
fn deposits_are_not_payments() {
    let tx = crate::deposit::deposit_tx(1, key(1).address(), Address::ZERO, U256::from(1));
    let signed = SignedTx::new(tx, vec![]);
    assert_eq!(
        validate_payment(&signed, B256::ZERO, &[]),
        Err(ValidationError::NotPayment(TxType::Deposit))
    );
}

#[test]
fn sums_that_overflow_are_rejected() {
    let owner = key(1).address();
    let max = Output {
        owner,
        token: TOKEN,
        amount: U256::MAX,
    };
    assert_eq!(
        check_conservation(&[max, max], &[max]),
        Err(ValidationError::Overflow { token: TOKEN })
    );
    assert_eq!(
        check_conservation(&[max], &[max, max]),
        Err(ValidationError::Overflow { token: TOKEN })
    );
    assert_eq!(
        check_conservation(&[max], &[max]).unwrap().get(&TOKEN),
        Some(&U256::ZERO)
    );
}
