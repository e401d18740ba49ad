//! The `--json` shapes of the in-flight commands (`exit --in-flight`, `piggyback`,
//! `challenge`, the user's part of `status`) and of a journal entry, snapshotted from
//! fixed values: a change of a field name or layout shows in review.

use alloy::primitives::{Address, B256, Bytes, U256};
use plasma_client::journal::{Entry, EntryState};
use plasma_client::mine::Overview;
use plasma_client::user::{
    CanonicityChallenged, CanonicityResponded, InFlightStarted, PiggybackChallenged, Piggybacked,
    RootTx,
};
use plasma_rpc_types::indexer::{Exit, InFlightExit, InFlightInput, Piggyback};

use super::challenge::{ChallengeResult, Challenged};
use super::exit::InFlightExited;

const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);
const ID: B256 = B256::repeat_byte(0x1d);

fn root_tx(n: u8) -> RootTx {
    RootTx {
        tx_hash: B256::repeat_byte(n),
        gas_used: 100_000 + u64::from(n),
        fee_paid: U256::from(1_000_000_000u64) * U256::from(n),
    }
}

fn entry(state: EntryState) -> Entry {
    Entry {
        id: 1,
        tx_hash: ID,
        chain_id: 31337,
        root_chain: Address::repeat_byte(0xcc),
        from: ALICE,
        tx: Bytes::from(vec![1, 1, 2]),
        signatures: vec![Bytes::from(vec![0x5a; 65])],
        state,
        updated_at: 1_700_000_000,
    }
}

fn piggybacked(is_output: bool, index: u8, owner: Address) -> Piggybacked {
    Piggybacked {
        exit_id: ID,
        is_output,
        index,
        owner,
        token: Address::ZERO,
        amount: U256::from(400_000_000_000_000_000u64),
        bond: U256::from(125_000_000_000_000_000u64),
        tx: root_tx(3 + index),
    }
}

#[test]
fn exit_in_flight_and_piggyback() {
    let done = InFlightExited {
        entry: entry(EntryState::InFlightExited {
            exit_id: ID,
            root_tx: Some(B256::repeat_byte(2)),
        }),
        started: InFlightStarted {
            exit_id: ID,
            inputs: vec![1_000_000_000],
            exitable_at: 1_700_000_120,
            youngest_pos: 1_000_000_000,
            bond: U256::from(80_000_000_000_000_000u64),
            tx: root_tx(2),
        },
        piggybacks: vec![piggybacked(false, 0, ALICE), piggybacked(true, 1, ALICE)],
    };
    insta::assert_json_snapshot!("exit_in_flight", done);
    insta::assert_json_snapshot!("piggyback", vec![piggybacked(true, 0, BOB)]);
}

#[test]
fn challenge_cases() {
    let cases = vec![
        ChallengeResult::Standard(Challenged {
            utxo_pos: 1_000_000_000,
            challenger: BOB,
            gas_used: 60_000,
        }),
        ChallengeResult::NonCanonical(CanonicityChallenged {
            exit_id: ID,
            competing_tx_hash: B256::repeat_byte(0xc0),
            competitor_pos: u64::MAX,
            challenger: BOB,
            tx: root_tx(4),
        }),
        ChallengeResult::Respond(CanonicityResponded {
            exit_id: ID,
            tx_pos: 1_000_000_000_000,
            tx: root_tx(5),
        }),
        ChallengeResult::InputSpent(PiggybackChallenged {
            exit_id: ID,
            is_output: false,
            index: 0,
            challenger: BOB,
            tx: root_tx(6),
        }),
    ];
    insta::assert_json_snapshot!("challenge", cases);
}

#[test]
fn status_of_a_user() {
    let overview = Overview {
        address: ALICE,
        pending: vec![entry(EntryState::Refused {
            code: "unavailable".into(),
            message: "try again later".into(),
        })],
        exits: vec![Exit {
            utxo_pos: 2_000_000_000,
            owner: ALICE,
            token: Address::ZERO,
            amount: U256::from(5u64),
            exitable_at: 1_700_000_100,
            status: "active".into(),
            started_root_block: 40,
            challenger: None,
            spending_tx_hash: None,
            paid: None,
            output_spent: false,
            our_challenge_tx: None,
        }],
        in_flight_exits: vec![InFlightExit {
            exit_id: ID,
            starter: ALICE,
            status: "active".into(),
            canonical: true,
            exitable_at: 1_700_000_120,
            first_phase_ends_at: Some(1_700_000_030),
            youngest_pos: 1_000_000_000,
            started_root_block: 41,
            tx_bytes: Some(Bytes::from(vec![1, 1, 2])),
            inputs: vec![InFlightInput {
                index: 0,
                utxo_pos: 1_000_000_000,
            }],
            piggybacks: vec![Piggyback {
                is_output: true,
                index: 1,
                owner: ALICE,
                token: Address::ZERO,
                amount: U256::from(6u64),
                status: "active".into(),
                blocked_by: None,
                paid: None,
            }],
            challenges: vec![],
            response_tx_pos: None,
            decided_canonical: None,
        }],
        unresolved_in_flight_exits: 1,
    };
    insta::assert_json_snapshot!("status_mine", overview);
}
