//! Exits and their [`ExitStatus`]: the follower's exit events, the watchtower's list of
//! invalid exits and its challenges, the API's exit reads, and their part of a rollback.

use super::{
    Store, StoreError, Tx, address, amount, events, events::ByzantineKind, hash, signed,
    stored_text, unsigned,
};
use alloy::primitives::{Address, B256, U256};
use std::future::Future;

stored_text! {
    /// Where an exit stands (derived from the root-chain events seen).
    ExitStatus, "exit status" {
        /// Started, neither challenged nor processed.
        Active => "active",
        /// Challenged.
        Challenged => "challenged",
        /// Processed.
        Processed => "processed",
    }
}

impl ExitStatus {
    /// The status of an exit from the root-chain blocks of its challenge and processing.
    pub(crate) fn of(challenged: Option<i64>, processed: Option<i64>) -> Self {
        if processed.is_some() {
            Self::Processed
        } else if challenged.is_some() {
            Self::Challenged
        } else {
            Self::Active
        }
    }
}

/// A stored exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    /// Exiting position.
    pub utxo_pos: u64,
    /// Owner.
    pub owner: Address,
    /// Token.
    pub token: Address,
    /// Amount.
    pub amount: U256,
    /// Unix time from which `processExits` pays it.
    pub exitable_at: u64,
    /// Status.
    pub status: ExitStatus,
    /// Root-chain block of `ExitStarted`.
    pub started_root_block: u64,
    /// Bond receiver, when challenged.
    pub challenger: Option<Address>,
    /// Hash of the challenging spend, when challenged.
    pub spending_tx_hash: Option<B256>,
    /// Whether the payout succeeded, when processed.
    pub paid: Option<bool>,
    /// True when this indexer knows a spend of the output (the exit is invalid).
    pub output_spent: bool,
    /// The challenge transaction this indexer sent, if any.
    pub our_challenge_tx: Option<B256>,
}

/// Reads and writes of exits (the root-chain events reach them through
/// [`super::SyncStore::apply_root_batch`]).
pub trait ExitStore {
    /// One exit.
    fn exit(&self, pos: u64) -> impl Future<Output = Result<Option<Exit>, StoreError>> + Send;

    /// Exits filtered by owner and status, by position.
    fn exits(
        &self,
        owner: Option<Address>,
        status: Option<ExitStatus>,
        limit: i64,
        offset: i64,
    ) -> impl Future<Output = Result<Vec<Exit>, StoreError>> + Send;

    /// Exits not challenged nor processed whose output this indexer knows is spent.
    fn invalid_active_exits(&self) -> impl Future<Output = Result<Vec<Exit>, StoreError>> + Send;

    /// Exits, not challenged, of outputs no valid block holds: their block was checked
    /// (valid, invalid or untrusted) and does not have the output.
    fn exits_of_unknown_outputs(
        &self,
    ) -> impl Future<Output = Result<Vec<Exit>, StoreError>> + Send;

    /// Records the hash of the challenge this indexer sent for an exit.
    fn record_challenge_sent(
        &self,
        pos: u64,
        tx_hash: B256,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

impl ExitStore for Store {
    async fn exit(&self, pos: u64) -> Result<Option<Exit>, StoreError> {
        let p = signed(pos);
        let row = sqlx::query!(
            r#"SELECT e.pos, e.owner, e.token, e.amount, e.exitable_at, e.started_root_block,
                      e.challenged_root_block, e.challenger, e.spending_tx_hash, e.processed_root_block,
                      e.paid AS "paid: bool", e.our_challenge_tx,
                      EXISTS(SELECT 1 FROM spends s WHERE s.pos = e.pos) AS "spent!: bool"
               FROM exits e WHERE e.pos = ?1"#,
            p
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(Exit {
            utxo_pos: unsigned(r.pos)?,
            owner: address(&r.owner)?,
            token: address(&r.token)?,
            amount: amount(&r.amount)?,
            exitable_at: unsigned(r.exitable_at)?,
            status: ExitStatus::of(r.challenged_root_block, r.processed_root_block),
            started_root_block: unsigned(r.started_root_block)?,
            challenger: r.challenger.as_deref().map(address).transpose()?,
            spending_tx_hash: r.spending_tx_hash.as_deref().map(hash).transpose()?,
            paid: r.paid,
            output_spent: r.spent,
            our_challenge_tx: r.our_challenge_tx.as_deref().map(hash).transpose()?,
        }))
    }

    async fn exits(
        &self,
        owner: Option<Address>,
        status: Option<ExitStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Exit>, StoreError> {
        let o = owner.map(|a| a.as_slice().to_vec());
        let status = status.map(ExitStatus::as_str);
        let rows = sqlx::query_scalar!(
            "SELECT pos FROM exits e WHERE (?1 IS NULL OR owner = ?1)
             AND (?2 IS NULL OR ?2 = CASE WHEN processed_root_block IS NOT NULL THEN 'processed'
                  WHEN challenged_root_block IS NOT NULL THEN 'challenged' ELSE 'active' END)
             ORDER BY pos LIMIT ?3 OFFSET ?4",
            o,
            status,
            limit,
            offset
        )
        .fetch_all(&self.pool)
        .await?;
        self.exits_at(rows).await
    }

    async fn invalid_active_exits(&self) -> Result<Vec<Exit>, StoreError> {
        let rows = sqlx::query!(
            "SELECT e.pos FROM exits e JOIN spends s ON s.pos = e.pos
             WHERE e.challenged_root_block IS NULL AND e.processed_root_block IS NULL ORDER BY e.pos"
        )
        .fetch_all(&self.pool)
        .await?;
        self.exits_at(rows.into_iter().map(|r| r.pos).collect())
            .await
    }

    async fn exits_of_unknown_outputs(&self) -> Result<Vec<Exit>, StoreError> {
        let rows = sqlx::query_scalar!(
            "SELECT e.pos FROM exits e JOIN blocks b ON b.blknum = e.pos / 1000000000
             WHERE e.challenged_root_block IS NULL AND b.status IN ('valid', 'invalid', 'untrusted')
             AND NOT EXISTS (SELECT 1 FROM outputs o WHERE o.pos = e.pos) ORDER BY e.pos"
        )
        .fetch_all(&self.pool)
        .await?;
        self.exits_at(rows).await
    }

    async fn record_challenge_sent(&self, pos: u64, tx_hash: B256) -> Result<(), StoreError> {
        let (p, h) = (signed(pos), tx_hash.as_slice());
        sqlx::query!(
            "UPDATE exits SET our_challenge_tx = ?2 WHERE pos = ?1",
            p,
            h
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

impl Store {
    /// The exits at these stored positions, in order.
    async fn exits_at(&self, positions: Vec<i64>) -> Result<Vec<Exit>, StoreError> {
        let mut out = Vec::with_capacity(positions.len());
        for pos in positions {
            if let Some(exit) = self.exit(unsigned(pos)?).await? {
                out.push(exit);
            }
        }
        Ok(out)
    }
}

/// Stores an `ExitStarted` seen in `root_block`.
pub(crate) async fn start(
    db: &mut Tx<'_>,
    root_block: i64,
    pos: u64,
    owner: Address,
    token: Address,
    amount: U256,
    exitable_at: u64,
) -> Result<(), StoreError> {
    let (pos, at, amount) = (signed(pos), signed(exitable_at), amount.to_string());
    let (owner, token) = (owner.as_slice(), token.as_slice());
    sqlx::query!(
        "INSERT INTO exits (pos, owner, token, amount, exitable_at, started_root_block)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        pos,
        owner,
        token,
        amount,
        at,
        root_block
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Stores an `ExitChallenged` seen in `root_block` and resolves the exit's events.
pub(crate) async fn challenge(
    db: &mut Tx<'_>,
    root_block: i64,
    pos: u64,
    challenger: Address,
    spending_tx_hash: B256,
) -> Result<(), StoreError> {
    let (p, challenger, spending) = (
        signed(pos),
        challenger.as_slice(),
        spending_tx_hash.as_slice(),
    );
    sqlx::query!(
        "UPDATE exits SET challenged_root_block = ?2, challenger = ?3, spending_tx_hash = ?4
                         WHERE pos = ?1",
        p,
        root_block,
        challenger,
        spending
    )
    .execute(&mut **db)
    .await?;
    events::resolve(db, ByzantineKind::InvalidExit, pos).await?;
    events::resolve(db, ByzantineKind::UnchallengedInvalidExitNearMaturity, pos).await
}

/// Stores an `ExitProcessed` seen in `root_block`, with the exit mark: child blocks from
/// the largest so far + 1000 on may no longer spend the output.
pub(crate) async fn process(
    db: &mut Tx<'_>,
    root_block: i64,
    pos: u64,
    paid: bool,
) -> Result<(), StoreError> {
    let pos = signed(pos);
    sqlx::query!(
        "UPDATE exits SET processed_root_block = ?2, paid = ?3,
                             exited_from_blknum = (SELECT COALESCE(MAX(blknum), 0) + 1000 FROM blocks WHERE is_deposit = 0)
                         WHERE pos = ?1",
        pos,
        root_block,
        paid
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Rollback: deletes exits started after root-chain block `ancestor` and clears the
/// challenges and processings seen after it.
pub(crate) async fn rollback(db: &mut Tx<'_>, ancestor: i64) -> Result<(), StoreError> {
    let a = ancestor;
    sqlx::query!("DELETE FROM exits WHERE started_root_block > ?1", a)
        .execute(&mut **db)
        .await?;
    sqlx::query!(
        "UPDATE exits SET challenged_root_block = NULL, challenger = NULL, spending_tx_hash = NULL
             WHERE challenged_root_block > ?1",
        a
    )
    .execute(&mut **db)
    .await?;
    sqlx::query!(
        "UPDATE exits SET processed_root_block = NULL, paid = NULL, exited_from_blknum = NULL
             WHERE processed_root_block > ?1",
        a
    )
    .execute(&mut **db)
    .await?;
    // A challenge this indexer sent may have been reorganised out: check again.
    sqlx::query!("UPDATE exits SET our_challenge_tx = NULL WHERE challenged_root_block IS NULL")
        .execute(&mut **db)
        .await?;
    Ok(())
}
