use super::*;
use crate::sign::{domain, sign};
use alloy::{
    primitives::{Address, B256, Bytes, U256},
    signers::local::PrivateKeySigner,
};

fn key(k: u8) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&B256::with_last_byte(k)).unwrap()
}

fn out(owner: Address, amount: u64) -> Output {
    Output {
        owner,
        token: Address::ZERO,
        amount: U256::from(amount),
    }
}

/// A set holding one output of 10 for `owner` at deposit position 1, one spent output at
/// position 2 and one exited at 3.
struct Set(Address);

impl UtxoSource for Set {
    fn spendable(&self, pos: u64) -> Result<Output, InputError> {
        match pos {
            1_000_000_000 => Ok(out(self.0, 10)),
            2_000_000_000 => Err(InputError::Spent(pos)),
            3_000_000_000 => Err(InputError::Exit {
                pos,
                phase: ExitPhase::Exited,
            }),
            _ => Err(InputError::Unknown(pos)),
        }
    }
}

fn pay(signer: &PrivateKeySigner, inputs: &[u64], amounts: &[u64]) -> SignedTx {
    let dom = domain(1, Address::ZERO);
    let outputs = amounts.iter().map(|a| out(signer.address(), *a)).collect();
    let tx = Transaction::payment(
        inputs.iter().map(|p| UtxoPos(*p)).collect(),
        outputs,
        B256::ZERO,
    )
    .unwrap();
    let sigs = inputs
        .iter()
        .map(|_| Bytes::copy_from_slice(&sign(signer, &tx, &dom).unwrap()))
        .collect();
    SignedTx::new(tx, sigs)
}

const BLK: u64 = 5000;

#[test]
fn a_chain_of_spends_inside_one_block_is_valid() {
    let alice = key(1);
    let set = Set(alice.address());
    let txs = vec![
        pay(&alice, &[1_000_000_000], &[6, 3]),
        pay(&alice, &[tx_position(BLK, 0) + 1], &[3]),
    ];
    let fees = validate_block(BLK, &txs, &set, &domain(1, Address::ZERO), 2).unwrap();
    assert_eq!(fees[0][&Address::ZERO], U256::from(1));
    assert_eq!(fees[1][&Address::ZERO], U256::ZERO);
    let made: Vec<_> = created(BLK, 1, &txs[1].tx).collect();
    assert_eq!(
        made,
        vec![(UtxoPos::new(BLK, 1, 0).unwrap(), out(alice.address(), 3))]
    );
}

#[test]
fn every_input_rule_names_the_transaction_and_the_input() {
    let alice = key(1);
    let set = Set(alice.address());
    let dep = 1_000_000_000;
    let cases: Vec<(Vec<SignedTx>, BlockError)> = vec![
        (
            vec![pay(&alice, &[dep], &[1]), pay(&alice, &[dep], &[1])],
            BlockError {
                index: 1,
                kind: InputError::SpentTwice(dep).into(),
            },
        ),
        (
            vec![
                pay(&alice, &[tx_position(BLK, 1)], &[1]),
                pay(&alice, &[dep], &[1]),
            ],
            BlockError {
                index: 0,
                kind: InputError::NotEarlier(tx_position(BLK, 1)).into(),
            },
        ),
        (
            vec![pay(&alice, &[2_000_000_000], &[1])],
            BlockError {
                index: 0,
                kind: InputError::Spent(2_000_000_000).into(),
            },
        ),
        (
            vec![pay(&alice, &[3_000_000_000], &[1])],
            BlockError {
                index: 0,
                kind: InputError::Exit {
                    pos: 3_000_000_000,
                    phase: ExitPhase::Exited,
                }
                .into(),
            },
        ),
        (
            vec![pay(&alice, &[4_000_000_000], &[1])],
            BlockError {
                index: 0,
                kind: InputError::Unknown(4_000_000_000).into(),
            },
        ),
    ];
    for (txs, want) in cases {
        assert_eq!(resolve_block(BLK, &txs, &set).unwrap_err(), want);
    }
    assert_eq!(
        InputError::Exit {
            pos: 7,
            phase: ExitPhase::Exiting
        }
        .to_string(),
        "input 7 is exiting on the root chain"
    );
}

#[test]
fn the_lowest_invalid_payment_wins_on_any_thread_count() {
    let (alice, mallory) = (key(1), key(2));
    let set = Set(alice.address());
    let mut txs = vec![pay(&alice, &[1_000_000_000], &[5, 5])];
    for i in 0..300 {
        let prev = tx_position(BLK, i);
        let signer = if i == 150 || i == 250 {
            &mallory
        } else {
            &alice
        };
        txs.push(pay(signer, &[prev], &[5]));
    }
    for threads in [1, 2, 4] {
        let err = validate_block(BLK, &txs, &set, &domain(1, Address::ZERO), threads).unwrap_err();
        assert_eq!(err.index, 151, "{err}");
        assert!(matches!(
            err.kind,
            TxError::Payment(ValidationError::WrongSigner { .. })
        ));
    }
}
