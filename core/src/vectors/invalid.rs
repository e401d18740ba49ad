//! Malformed encodings, each with the decoding rule it breaks.

use super::*;

/// Byte offset of input `i` in a transaction with these counts.
pub(super) const fn input_at(i: usize) -> usize {
    3 + 8 * i
}

/// Byte offset of output `i` in a transaction with `n_in` inputs.
pub(super) const fn output_at(n_in: usize, i: usize) -> usize {
    3 + 8 * n_in + 72 * i
}

pub(super) fn set_input(b: &mut [u8], i: usize, raw: u64) {
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

pub(super) fn invalid_vectors() -> InvalidVectors {
    let mut v = InvalidVectors::default();
    for (name, bytes, err) in invalid_transactions() {
        v.name.push(name.into());
        v.tx.push(bytes.into());
        v.error.push(err.name().into());
    }
    v
}
