//! The list of in-flight exits pages in the database by each exit's stored status (the
//! fold's result, kept by the writer in the transaction of every event and rollback), on
//! both backends: what a status lists follows the events and their reorganisation.

use crate::{backend::open_store, helpers::root_events};
use alloy::primitives::{Address, B256};
use plasma_indexer::store::{
    AnyStore, InFlightEvent, InFlightStatus, InFlightStore, RootEvent, SyncStore,
};

fn id(n: u8) -> B256 {
    B256::repeat_byte(n)
}

fn event(e: InFlightEvent) -> RootEvent {
    RootEvent::InFlight(e)
}

fn start(n: u8) -> RootEvent {
    event(InFlightEvent::Started {
        exit_id: id(n),
        starter: Address::repeat_byte(n),
        inputs: vec![(u64::from(n) * 1_000_000_000, B256::repeat_byte(0x40 + n))],
        exitable_at: 1_700_000_000 + u64::from(n),
        youngest_pos: u64::from(n) * 1_000_000_000,
    })
}

fn challenged(n: u8) -> RootEvent {
    event(InFlightEvent::Challenged {
        exit_id: id(n),
        challenger: Address::repeat_byte(0xcc),
        competing_tx_hash: B256::repeat_byte(0xdd),
        competitor_pos: u64::MAX,
    })
}

fn responded(n: u8) -> RootEvent {
    event(InFlightEvent::Responded {
        exit_id: id(n),
        responder: Address::repeat_byte(n),
        tx_pos: u64::from(n) * 1_000_000_000 + 10_000,
    })
}

fn finalized(n: u8) -> [RootEvent; 2] {
    [
        event(InFlightEvent::CanonicityDecided {
            exit_id: id(n),
            canonical: true,
        }),
        event(InFlightEvent::Finalized {
            exit_id: id(n),
            bond_owner: Address::repeat_byte(n),
        }),
    ]
}

/// The first byte of each listed exit's id.
async fn list(
    store: &AnyStore,
    status: Option<InFlightStatus>,
    limit: i64,
    offset: i64,
) -> Vec<u8> {
    let exits = store.inflight_exits(status, limit, offset).await.unwrap();
    for exit in &exits {
        assert_eq!(
            store.inflight_exit(exit.exit_id).await.unwrap().as_ref(),
            Some(exit),
            "a listed exit is what its own read folds to"
        );
        assert!(status.is_none_or(|s| s == exit.status), "{exit:?}");
    }
    exits.iter().map(|e| e.exit_id[0]).collect()
}

/// `[active, non_canonical, processing, finalized]` lists, each at most 10.
async fn by_status(store: &AnyStore) -> [Vec<u8>; 4] {
    use InFlightStatus::*;
    [
        list(store, Some(Active), 10, 0).await,
        list(store, Some(NonCanonical), 10, 0).await,
        list(store, Some(Processing), 10, 0).await,
        list(store, Some(Finalized), 10, 0).await,
    ]
}

fn header(n: u64) -> B256 {
    B256::with_last_byte(n as u8)
}

#[tokio::test]
async fn the_list_by_status_follows_events_and_rollbacks() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(&dir.path().join("indexer.sqlite")).await;
    root_events(&store, 10, vec![start(1), start(2), start(3), start(4)]).await;
    root_events(&store, 11, vec![challenged(2)]).await;
    root_events(&store, 12, finalized(3).into()).await;
    root_events(&store, 13, vec![challenged(4), responded(4)]).await;

    assert_eq!(list(&store, None, 10, 0).await, [1, 2, 3, 4], "start order");
    assert_eq!(list(&store, None, 2, 1).await, [2, 3]);
    assert_eq!(list(&store, None, 10, 4).await, [0u8; 0]);
    assert_eq!(
        by_status(&store).await,
        [vec![1, 4], vec![2], vec![], vec![3]]
    );
    assert_eq!(
        list(&store, Some(InFlightStatus::Active), 1, 1).await,
        [4],
        "a page of one status"
    );
    let open = store.open_inflight_exits().await.unwrap();
    assert_eq!(
        open.iter().map(|e| e.exit_id[0]).collect::<Vec<_>>(),
        [1, 2, 4],
        "the watchtower's list: every exit but the finalized one"
    );

    // A reorganisation back to root block 11 takes exit 4's challenge and response and
    // exit 3's decision and finalisation away: exit 3 lists as active again.
    store.rollback_to(11, header(11)).await.unwrap();
    assert_eq!(
        by_status(&store).await,
        [vec![1, 3, 4], vec![2], vec![], vec![]]
    );
    assert_eq!(store.open_inflight_exits().await.unwrap().len(), 4);
    // Back to 10: the challenge of exit 2 is gone too.
    store.rollback_to(10, header(10)).await.unwrap();
    assert_eq!(
        by_status(&store).await,
        [vec![1, 2, 3, 4], vec![], vec![], vec![]]
    );
    // Back to 9: no exit was started.
    store.rollback_to(9, header(9)).await.unwrap();
    assert_eq!(list(&store, None, 10, 0).await, [0u8; 0]);
}

/// Clears the stored statuses, as in a database written before the column existed.
async fn forget_statuses(store: &AnyStore) {
    let sql = "UPDATE inflight_exits SET status = NULL";
    match store {
        AnyStore::Sqlite(s) => sqlx::query(sql).execute(s.pool()).await.map(drop),
        AnyStore::Postgres(s) => sqlx::query(sql).execute(s.pool()).await.map(drop),
    }
    .unwrap();
}

#[tokio::test]
async fn statuses_missing_from_an_older_database_are_filled_when_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("indexer.sqlite");
    let store = open_store(&path).await;
    root_events(&store, 10, vec![start(1), start(2)]).await;
    root_events(&store, 11, vec![challenged(2)]).await;
    forget_statuses(&store).await;
    assert_eq!(
        by_status(&store).await,
        [Vec::<u8>::new(), vec![], vec![], vec![]]
    );
    store.close().await;

    // Opening migrates (the Postgres writer too), which computes the missing statuses.
    let reopened = open_store(&path).await;
    assert_eq!(
        by_status(&reopened).await,
        [vec![1], vec![2], vec![], vec![]]
    );
}
