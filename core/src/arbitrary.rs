//! proptest strategies for positions, outputs and canonical transactions (feature
//! `arbitrary`), shared by this crate's property tests and other crates' tests.

use crate::{
    deposit::deposit_tx,
    position::{MAX_CHILD_BLOCK, UtxoPos},
    tx::{MAX_IO, Output, Transaction},
};
use alloy::primitives::{Address, B256, U256};
use proptest::{collection::btree_set, prelude::*};

/// Any valid position, biased towards small and edge block numbers.
pub fn arb_position() -> impl Strategy<Value = UtxoPos> {
    let blknum = prop_oneof![
        1u64..=3_000,
        1u64..=MAX_CHILD_BLOCK + 999,
        Just(u64::MAX / 1_000_000_000)
    ];
    let txindex = prop_oneof![0u64..4, 0u64..65_536, Just(65_535)];
    (blknum, txindex, 0u64..4).prop_map(|(b, t, o)| UtxoPos::new(b, t, o).expect("in range"))
}

/// A non-zero address (a few fixed ones so that owners and tokens repeat).
pub fn arb_owner() -> impl Strategy<Value = Address> {
    prop_oneof![
        (1u8..=4).prop_map(Address::repeat_byte),
        any::<[u8; 20]>().prop_map(Address::from)
    ]
    .prop_filter("non-zero", |a| !a.is_zero())
}

/// A token: ETH, one of two fixed tokens, or any address.
pub fn arb_token() -> impl Strategy<Value = Address> {
    prop_oneof![
        Just(Address::ZERO),
        (0xaau8..=0xab).prop_map(Address::repeat_byte),
        any::<[u8; 20]>().prop_map(Address::from)
    ]
}

/// A non-zero amount, small or anywhere in the uint256 range.
pub fn arb_amount() -> impl Strategy<Value = U256> {
    prop_oneof![
        (1u64..=1_000_000).prop_map(U256::from),
        any::<[u8; 32]>().prop_map(U256::from_be_bytes),
        Just(U256::MAX),
    ]
    .prop_filter("non-zero", |a| !a.is_zero())
}

/// A valid output.
pub fn arb_output() -> impl Strategy<Value = Output> {
    (arb_owner(), arb_token(), arb_amount()).prop_map(|(owner, token, amount)| Output {
        owner,
        token,
        amount,
    })
}

/// A canonical PAYMENT: 1–4 strictly increasing inputs, 1–4 outputs.
pub fn arb_payment() -> impl Strategy<Value = Transaction> {
    (
        btree_set(arb_position(), 1..=MAX_IO),
        proptest::collection::vec(arb_output(), 1..=MAX_IO),
        any::<[u8; 32]>(),
    )
        .prop_map(|(inputs, outputs, meta)| {
            Transaction::payment(inputs.into_iter().collect(), outputs, B256::from(meta))
                .expect("canonical by construction")
        })
}

/// A canonical DEPOSIT as the root chain builds it.
pub fn arb_deposit() -> impl Strategy<Value = Transaction> {
    (
        1u64..=MAX_CHILD_BLOCK + 999,
        arb_owner(),
        arb_token(),
        arb_amount(),
    )
        .prop_map(|(blknum, owner, token, amount)| deposit_tx(blknum, owner, token, amount))
}

/// Any canonical transaction (payments four times as often as deposits).
pub fn arb_transaction() -> impl Strategy<Value = Transaction> {
    prop_oneof![4 => arb_payment(), 1 => arb_deposit()]
}
