use super::*;
use crate::{
    arbitrary::arb_transaction,
    vectors::{invalid_transactions, valid_transactions},
};
use proptest::prelude::*;

/// The SPEC's rule table written out literally, independently of the decoder: the name of
/// the first rule `bytes` breaks, or `None` when it is canonical.
fn reference_verdict(b: &[u8]) -> Option<&'static str> {
    if b.len() < 3 {
        return Some("TooShort");
    }
    let (ty, n_in, n_out) = (b[0], b[1] as usize, b[2] as usize);
    if ty != 1 && ty != 2 {
        return Some("UnknownType");
    }
    if (ty == 1 && !(1..=4).contains(&n_in)) || (ty == 2 && n_in != 0) {
        return Some("BadInputCount");
    }
    if (ty == 1 && !(1..=4).contains(&n_out)) || (ty == 2 && n_out != 1) {
        return Some("BadOutputCount");
    }
    if b.len() != 3 + 8 * n_in + 72 * n_out + 32 {
        return Some("BadLength");
    }
    let mut prev = 0u64;
    for i in 0..n_in {
        let pos = u64::from_be_bytes(b[3 + 8 * i..11 + 8 * i].try_into().unwrap());
        let blknum = pos / 1_000_000_000;
        let txindex = (pos / 10_000) % 100_000;
        if blknum < 1 || txindex >= 65_536 || pos % 10_000 >= 4 {
            return Some("BadPosition");
        }
        if i > 0 && pos <= prev {
            return Some("InputsNotIncreasing");
        }
        prev = pos;
    }
    for i in 0..n_out {
        let o = &b[3 + 8 * n_in + 72 * i..][..72];
        if o[..20].iter().all(|&x| x == 0) {
            return Some("ZeroOwner");
        }
        if o[40..72].iter().all(|&x| x == 0) {
            return Some("ZeroAmount");
        }
    }
    None
}

/// The decoder agrees with the reference, and anything it accepts re-encodes to itself.
fn assert_verdict(bytes: &[u8]) -> Result<(), TestCaseError> {
    let decoded = Transaction::decode(bytes);
    prop_assert_eq!(
        decoded.as_ref().err().map(DecodeError::name),
        reference_verdict(bytes),
        "{:?}",
        decoded
    );
    if let Ok(tx) = decoded {
        let again = tx.encode();
        prop_assert_eq!(again.as_ref(), bytes);
    }
    Ok(())
}

#[test]
fn representative_transactions_round_trip() {
    for (name, tx) in valid_transactions() {
        let bytes = tx.encode();
        assert_eq!(
            bytes.len(),
            encoded_len(tx.inputs.len(), tx.outputs.len()),
            "{name}"
        );
        assert_eq!(Transaction::decode(&bytes).as_ref(), Ok(&tx), "{name}");
        assert_eq!(tx.hash(), keccak256(&bytes), "{name}");
    }
}

#[test]
fn malformed_encodings_fail_with_their_rule() {
    for (name, bytes, expected) in invalid_transactions() {
        assert_eq!(Transaction::decode(&bytes), Err(expected), "{name}");
        assert_eq!(reference_verdict(&bytes), Some(expected.name()), "{name}");
    }
}

/// The encoding field by field (as hex slices of the bytes), then whole.
fn layout(tx: &Transaction) -> String {
    let bytes = tx.encode();
    let hex = |range: std::ops::Range<usize>| alloy::hex::encode(&bytes[range]);
    let mut lines = vec![format!(
        "header   {} {} {}",
        hex(0..1),
        hex(1..2),
        hex(2..3)
    )];
    for (i, pos) in tx.inputs.iter().enumerate() {
        let at = HEADER_LEN + INPUT_LEN * i;
        lines.push(format!(
            "input {i}  {} = ({}, {}, {})",
            hex(at..at + INPUT_LEN),
            pos.blknum(),
            pos.txindex(),
            pos.oindex()
        ));
    }
    for i in 0..tx.outputs.len() {
        let at = HEADER_LEN + INPUT_LEN * tx.inputs.len() + OUTPUT_LEN * i;
        lines.push(format!("output {i} owner  {}", hex(at..at + 20)));
        lines.push(format!("         token  {}", hex(at + 20..at + 40)));
        lines.push(format!("         amount {}", hex(at + 40..at + OUTPUT_LEN)));
    }
    lines.push(format!(
        "metadata {}",
        hex(bytes.len() - METADATA_LEN..bytes.len())
    ));
    lines.push(format!("bytes    {bytes}"));
    lines.join("\n")
}

#[test]
fn encodings_are_snapshotted() {
    for (name, tx) in valid_transactions() {
        insta::assert_snapshot!(name, layout(&tx));
    }
}

#[test]
fn payment_constructor_checks_shape() {
    let pos = |b, t, o| UtxoPos::new(b, t, o).unwrap();
    let output = Output {
        owner: Address::repeat_byte(1),
        token: Address::ZERO,
        amount: U256::from(1),
    };
    assert_eq!(
        Transaction::payment(vec![], vec![output], B256::ZERO),
        Err(DecodeError::BadInputCount { count: 0 })
    );
    assert_eq!(
        Transaction::payment(vec![pos(1, 0, 0)], vec![output; 5], B256::ZERO),
        Err(DecodeError::BadOutputCount { count: 5 })
    );
    assert_eq!(
        Transaction::payment(vec![pos(2, 0, 0), pos(1, 0, 0)], vec![output], B256::ZERO),
        Err(DecodeError::InputsNotIncreasing { index: 1 })
    );
    assert_eq!(
        Transaction::payment(vec![UtxoPos(7)], vec![output], B256::ZERO),
        Err(DecodeError::BadPosition { index: 0, pos: 7 })
    );
    let zero_amount = Output {
        amount: U256::ZERO,
        ..output
    };
    assert_eq!(
        Transaction::payment(vec![pos(1, 0, 0)], vec![output, zero_amount], B256::ZERO),
        Err(DecodeError::ZeroAmount { index: 1 })
    );
    let tx =
        Transaction::payment(vec![pos(1, 0, 0), pos(1, 0, 1)], vec![output], B256::ZERO).unwrap();
    assert_eq!(tx.output(0), Some(&output));
    assert_eq!(tx.output(1), None);
}

#[test]
fn error_names_are_the_spec_rule_names() {
    let names: Vec<_> = invalid_transactions()
        .iter()
        .map(|(_, _, e)| e.name())
        .collect();
    for rule in [
        "TooShort",
        "UnknownType",
        "BadInputCount",
        "BadOutputCount",
        "BadLength",
        "BadPosition",
        "InputsNotIncreasing",
        "ZeroOwner",
        "ZeroAmount",
    ] {
        assert!(names.contains(&rule), "no vector for {rule}");
    }
}

proptest! {
    #[test]
    fn canonical_transactions_round_trip(tx in arb_transaction()) {
        let bytes = tx.encode();
        prop_assert_eq!(Transaction::decode(&bytes), Ok(tx));
        assert_verdict(&bytes)?;
    }

    #[test]
    fn every_single_byte_mutation_is_judged_by_the_rules(tx in arb_transaction(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = tx.encode().to_vec();
        let i = at.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        assert_verdict(&bytes)?;
        if let Ok(other) = Transaction::decode(&bytes) {
            prop_assert_ne!(other, tx);
        }
    }

    #[test]
    fn every_truncation_fails(tx in arb_transaction(), cut in any::<prop::sample::Index>()) {
        let bytes = tx.encode();
        let short = &bytes[..cut.index(bytes.len())];
        let err = Transaction::decode(short).unwrap_err();
        prop_assert!(matches!(err, DecodeError::TooShort { .. } | DecodeError::BadLength { .. }), "{:?}", err);
        assert_verdict(short)?;
    }

    #[test]
    fn every_extension_fails(tx in arb_transaction(), extra in proptest::collection::vec(any::<u8>(), 1..80)) {
        let mut bytes = tx.encode().to_vec();
        let expected = bytes.len();
        bytes.extend(extra);
        prop_assert_eq!(Transaction::decode(&bytes), Err(DecodeError::BadLength { expected, len: bytes.len() }));
    }

    #[test]
    fn random_bytes_are_judged_by_the_rules(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        assert_verdict(&bytes)?;
    }

    #[test]
    fn several_byte_mutations_are_judged_by_the_rules(
        tx in arb_transaction(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut bytes = tx.encode().to_vec();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        assert_verdict(&bytes)?;
    }
}
