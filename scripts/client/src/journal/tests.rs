//! The journal against real files: snapshots and states, deployments kept apart, torn
//! and corrupt lines, concurrent writers.

use super::*;

fn wire(n: u8) -> SignedTxWire {
    SignedTxWire {
        tx: Bytes::from(vec![1, n]),
        signatures: vec![Bytes::from(vec![n; 65])],
    }
}

#[test]
fn entries_are_durable_snapshots_and_the_last_state_wins() {
    let dir = tempfile::tempdir().unwrap();
    let from = Address::repeat_byte(7);
    let j = Journal::open(&dir.path().join("w"), 1, Address::repeat_byte(1)).unwrap();
    let a = j.record_signed(from, &wire(1)).unwrap();
    let b = j.record_signed(from, &wire(2)).unwrap();
    assert_eq!((a.id, b.id, a.state.clone()), (1, 2, EntryState::Signed));
    assert_eq!(
        j.record_signed(from, &wire(1)).unwrap().id,
        1,
        "same tx, same entry"
    );
    j.set_state(
        1,
        EntryState::Included {
            tx_pos: 1_000_000_000_000,
        },
    )
    .unwrap();
    // Another deployment's journal in the same directory does not see them.
    let other = Journal::open(&dir.path().join("w"), 1, Address::repeat_byte(2)).unwrap();
    assert!(other.entries().unwrap().is_empty());
    assert_eq!(other.record_signed(from, &wire(3)).unwrap().id, 3);
    // Reopened: the latest states.
    let j = Journal::open(&dir.path().join("w"), 1, Address::repeat_byte(1)).unwrap();
    let states: Vec<_> = j
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.state))
        .collect();
    assert_eq!(
        states,
        [
            (
                1,
                EntryState::Included {
                    tx_pos: 1_000_000_000_000
                }
            ),
            (2, EntryState::Signed)
        ]
    );
    assert_eq!(j.get(&format!("{:#x}", b.tx_hash)).unwrap(), b);
    assert_eq!(j.get("2").unwrap().signed(), wire(2));
    assert!(matches!(j.get("9"), Err(JournalError::NotFound(_))));
}

#[test]
fn concurrent_writers_never_share_an_id() {
    let dir = tempfile::tempdir().unwrap();
    let threads: Vec<_> = (0..8u8)
        .map(|n| {
            let path = dir.path().to_owned();
            std::thread::spawn(move || {
                let j = Journal::open(&path, 1, Address::ZERO).unwrap();
                j.record_signed(Address::ZERO, &wire(n)).unwrap().id
            })
        })
        .collect();
    let mut ids: Vec<u64> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
}

#[test]
fn a_torn_last_line_is_ignored_and_a_corrupt_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(dir.path(), 1, Address::ZERO).unwrap();
    j.record_signed(Address::ZERO, &wire(1)).unwrap();
    let mut f = OpenOptions::new().append(true).open(j.path()).unwrap();
    f.write_all(b"{\"id\": 2, \"txHa").unwrap();
    assert_eq!(j.entries().unwrap().len(), 1, "the torn line is ignored");
    f.write_all(b"\n").unwrap();
    let err = j.entries().unwrap_err();
    assert!(
        matches!(err, JournalError::Corrupt { line: 2, .. }),
        "{err}"
    );
}

#[test]
fn the_state_serializes_flat_beside_the_entry() {
    let e = EntryState::InFlightExited {
        exit_id: B256::repeat_byte(1),
        root_tx: Some(B256::repeat_byte(2)),
    };
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["state"], "in_flight_exited");
    assert!(v["exitId"].is_string() && v["rootTx"].is_string());
    assert!(!e.is_pending());
    assert!(
        EntryState::Refused {
            code: "x".into(),
            message: String::new()
        }
        .is_pending()
    );
}
