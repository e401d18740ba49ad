//! Byzantine events: what the checker and the watchtower raise, their resolution, and
//! their part of a rollback. Each event is raised once per kind and subject (`dedup`).

use super::{Store, StoreError, Tx, hash, now_secs, signed, stored_text, unsigned};
use alloy::primitives::B256;
use std::future::Future;

stored_text! {
    /// Kinds of byzantine events.
    ByzantineKind, "byzantine kind" {
        /// A block whose data hashes to its root but holds an invalid transaction.
        InvalidBlock => "invalid_block",
        /// A block whose data stayed unavailable past the withholding timeout.
        BlockWithheld => "block_withheld",
        /// An exit of an output this indexer knows is spent.
        InvalidExit => "invalid_exit",
        /// An invalid exit still unchallenged close to its exitable time.
        UnchallengedInvalidExitNearMaturity => "unchallenged_invalid_exit_near_maturity",
        /// An exit (standard or in-flight) of an output never seen in a valid block.
        ExitOfUnknownOutput => "exit_of_unknown_output",
        /// An in-flight exit whose transaction has a known competitor (an included
        /// transaction or a double spend of one of its inputs), not yet challenged.
        NonCanonicalInFlightExit => "noncanonical_inflight_exit",
        /// A canonicity challenge against an in-flight transaction known to be included
        /// before the competitor, not yet answered.
        InvalidCanonicityChallenge => "invalid_canonicity_challenge",
        /// An owner of an input or output of an in-flight exit has not piggybacked yet
        /// while the first phase runs.
        PiggybackAvailable => "piggyback_available",
        /// A piggyback on an input or output known to be spent, not yet challenged.
        InvalidPiggyback => "invalid_piggyback",
    }
}

/// A stored byzantine event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByzantineEvent {
    /// Sequence number.
    pub id: i64,
    /// Kind.
    pub kind: ByzantineKind,
    /// Block concerned.
    pub blknum: Option<u64>,
    /// Exit concerned.
    pub utxo_pos: Option<u64>,
    /// Human-readable detail.
    pub detail: String,
    /// Unix time raised.
    pub raised_at: u64,
    /// Unix time resolved (withheld data arrived, invalid exit challenged).
    pub resolved_at: Option<u64>,
    /// In-flight exit concerned.
    pub exit_id: Option<B256>,
    /// The event's subject key (`kind:subject`), unique per event.
    pub key: String,
}

/// Reads and writes of byzantine events.
pub trait EventStore {
    /// All byzantine events, oldest first (they stay visible once raised).
    fn byzantine_events(
        &self,
    ) -> impl Future<Output = Result<Vec<ByzantineEvent>, StoreError>> + Send;

    /// Raises an exit-related byzantine event (once per kind and position); true when
    /// it was raised now.
    fn raise_exit_event(
        &self,
        kind: ByzantineKind,
        pos: u64,
        detail: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Raises an event about an in-flight exit (once per kind, exit and `subject`, an
    /// input or output like `input:0`, or empty); true when it was raised now. `pos`
    /// names the position concerned, if any. The event belongs to the root-chain block of
    /// the exit's latest event: a reorganisation that removes any of them deletes it (the
    /// watchtower raises it again if it still holds).
    fn raise_inflight_event(
        &self,
        kind: ByzantineKind,
        exit_id: B256,
        subject: &str,
        pos: Option<u64>,
        detail: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Marks the open event with this key resolved.
    fn resolve_event(&self, key: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
}

impl EventStore for Store {
    async fn byzantine_events(&self) -> Result<Vec<ByzantineEvent>, StoreError> {
        let rows = sqlx::query!(
            "SELECT id, kind, blknum, utxo_pos, detail, raised_at, resolved_at, exit_id, dedup
             FROM byzantine_events ORDER BY id"
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ByzantineEvent {
                    id: r.id,
                    kind: ByzantineKind::stored(&r.kind)?,
                    blknum: r.blknum.map(unsigned).transpose()?,
                    utxo_pos: r.utxo_pos.map(unsigned).transpose()?,
                    detail: r.detail,
                    raised_at: unsigned(r.raised_at)?,
                    resolved_at: r.resolved_at.map(unsigned).transpose()?,
                    exit_id: r.exit_id.as_deref().map(hash).transpose()?,
                    key: r.dedup,
                })
            })
            .collect()
    }

    async fn raise_exit_event(
        &self,
        kind: ByzantineKind,
        pos: u64,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let mut db = plasma_service::sqlite::begin_write(&self.pool).await?;
        let p = signed(pos);
        let root_block =
            sqlx::query_scalar!("SELECT started_root_block FROM exits WHERE pos = ?1", p)
                .fetch_optional(&mut *db)
                .await?;
        let raised = match root_block {
            Some(root_block) => raise(&mut db, kind, None, Some(pos), detail, root_block).await?,
            None => false,
        };
        db.commit().await?;
        Ok(raised)
    }

    async fn raise_inflight_event(
        &self,
        kind: ByzantineKind,
        exit_id: B256,
        subject: &str,
        pos: Option<u64>,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let id = exit_id.as_slice();
        let key = inflight_key(kind, exit_id, subject);
        let (p, now) = (pos.map(signed), now_secs());
        let name = kind.as_str();
        let inserted = sqlx::query!(
            "INSERT INTO byzantine_events (kind, utxo_pos, detail, root_block, raised_at, dedup, exit_id)
             SELECT ?1, ?2, ?3, MAX(e.started_root_block, COALESCE((SELECT MAX(l.root_block)
                    FROM inflight_log l WHERE l.exit_id = e.exit_id), 0)), ?4, ?5, e.exit_id
             FROM inflight_exits e WHERE e.exit_id = ?6
             ON CONFLICT (dedup) DO NOTHING",
            name,
            p,
            detail,
            now,
            key,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn resolve_event(&self, key: &str) -> Result<(), StoreError> {
        let mut db = plasma_service::sqlite::begin_write(&self.pool).await?;
        resolve_key(&mut db, key).await?;
        db.commit().await?;
        Ok(())
    }
}

/// The subject key of an in-flight exit's event: kind, exit id and a sub-subject (an
/// input or output, or empty for the exit itself).
pub fn inflight_key(kind: ByzantineKind, exit_id: B256, subject: &str) -> String {
    format!("{}:{exit_id:#x}:{subject}", kind.as_str())
}

/// Marks the open event of `kind` about `subject` (a block number or a position)
/// resolved, if it is raised.
pub(crate) async fn resolve(
    db: &mut Tx<'_>,
    kind: ByzantineKind,
    subject: u64,
) -> Result<(), StoreError> {
    resolve_key(db, &format!("{}:{subject}", kind.as_str())).await
}

/// Marks the open event with this dedup key resolved, if it is raised.
async fn resolve_key(db: &mut Tx<'_>, key: &str) -> Result<(), StoreError> {
    let now = now_secs();
    sqlx::query!(
        "UPDATE byzantine_events SET resolved_at = ?2 WHERE dedup = ?1 AND resolved_at IS NULL",
        key,
        now
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Raises an event once per kind and subject; true when it was raised now.
pub(crate) async fn raise(
    db: &mut Tx<'_>,
    kind: ByzantineKind,
    blknum: Option<u64>,
    pos: Option<u64>,
    detail: &str,
    root_block: i64,
) -> Result<bool, StoreError> {
    let subject = blknum.or(pos).unwrap_or_default();
    let name = kind.as_str();
    let key = format!("{name}:{subject}");
    let (b, p, now) = (blknum.map(signed), pos.map(signed), now_secs());
    let inserted = sqlx::query!(
        "INSERT INTO byzantine_events (kind, blknum, utxo_pos, detail, root_block, raised_at, dedup)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (dedup) DO NOTHING",
        name,
        b,
        p,
        detail,
        root_block,
        now,
        key
    )
    .execute(&mut **db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Rollback: deletes events raised from root-chain blocks after `ancestor` or about
/// spends and exits that are gone, and reopens exit events whose challenge is gone. Runs
/// after the spends and exits were rolled back.
pub(crate) async fn rollback(db: &mut Tx<'_>, ancestor: i64) -> Result<(), StoreError> {
    let a = ancestor;
    sqlx::query!("DELETE FROM byzantine_events WHERE root_block > ?1", a)
        .execute(&mut **db)
        .await?;
    sqlx::query!(
        "DELETE FROM byzantine_events WHERE utxo_pos IS NOT NULL AND exit_id IS NULL
             AND kind IN ('invalid_exit', 'unchallenged_invalid_exit_near_maturity')
             AND (utxo_pos NOT IN (SELECT pos FROM spends) OR utxo_pos NOT IN (SELECT pos FROM exits))"
    )
    .execute(&mut **db)
    .await?;
    sqlx::query!(
        "DELETE FROM byzantine_events WHERE exit_id IS NULL AND kind = 'exit_of_unknown_output'
             AND utxo_pos NOT IN (SELECT pos FROM exits)"
    )
    .execute(&mut **db)
    .await?;
    sqlx::query!(
        "DELETE FROM byzantine_events WHERE exit_id IS NOT NULL
             AND exit_id NOT IN (SELECT exit_id FROM inflight_exits)"
    )
    .execute(&mut **db)
    .await?;
    // The watchtower re-checks every in-flight event's condition and resolves it again
    // if it no longer holds.
    sqlx::query!("UPDATE byzantine_events SET resolved_at = NULL WHERE exit_id IS NOT NULL")
        .execute(&mut **db)
        .await?;
    sqlx::query!(
        "UPDATE byzantine_events SET resolved_at = NULL WHERE exit_id IS NULL
             AND kind IN ('invalid_exit', 'unchallenged_invalid_exit_near_maturity', 'exit_of_unknown_output')
             AND utxo_pos IN (SELECT pos FROM exits WHERE challenged_root_block IS NULL)"
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}
