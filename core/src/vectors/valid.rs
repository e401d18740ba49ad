//! The representative valid transactions of the vectors, with their encodings and
//! signing hashes.

use super::*;

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

pub(super) fn valid_vectors(domain: &Eip712Domain) -> ValidVectors {
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
