//! The follower's in-flight writes inside a database transaction shared with the other
//! entities: the events ([`InFlightEvent`]) as rows of `inflight_exits`, `inflight_inputs`
//! and `inflight_log`, and the in-flight step of a rollback.

use super::{
    InFlightExit, InFlightStatus,
    fold::{ExitRows, refresh_status, refresh_statuses},
    read::load,
};
use crate::store::{StoreError, Tx, signed};
use alloy::primitives::{Address, B256, U256};
use sqlx::SqliteConnection;

/// An in-flight event of the root chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InFlightEvent {
    /// `InFlightExitStarted`.
    Started {
        /// keccak256 of the in-flight transaction.
        exit_id: B256,
        /// Who started it (owns the bond).
        starter: Address,
        /// The inputs' positions and output ids, by input index.
        inputs: Vec<(u64, B256)>,
        /// When processing may pay it.
        exitable_at: u64,
        /// Its priority position.
        youngest_pos: u64,
    },
    /// `InFlightExitPiggybacked`.
    Piggybacked {
        /// The exit.
        exit_id: B256,
        /// Owner of the input or output.
        owner: Address,
        /// Output (true) or input.
        is_output: bool,
        /// Its index.
        index: u8,
        /// Token.
        token: Address,
        /// Amount.
        amount: U256,
    },
    /// `InFlightExitChallenged`: the exit is non-canonical.
    Challenged {
        /// The exit.
        exit_id: B256,
        /// Owner of the canonicity share if the exit ends non-canonical.
        challenger: Address,
        /// Hash of the competing transaction.
        competing_tx_hash: B256,
        /// Its position, `u64::MAX` when not shown included.
        competitor_pos: u64,
    },
    /// `InFlightExitChallengeResponded`: canonical again.
    Responded {
        /// The exit.
        exit_id: B256,
        /// Owner of the canonicity share.
        responder: Address,
        /// Position of the in-flight transaction.
        tx_pos: u64,
    },
    /// `InFlightExitInputBlocked` or `InFlightExitOutputBlocked`.
    Blocked {
        /// The exit.
        exit_id: B256,
        /// Receiver of the challenger's share.
        challenger: Address,
        /// Output (true) or input.
        is_output: bool,
        /// Its index.
        index: u8,
    },
    /// `InFlightExitInputWithdrawn` or `InFlightExitOutputWithdrawn`.
    Withdrawn {
        /// The exit.
        exit_id: B256,
        /// Owner.
        owner: Address,
        /// Output (true) or input.
        is_output: bool,
        /// Its index.
        index: u8,
        /// Token.
        token: Address,
        /// Amount paid (zero when not owed).
        paid: U256,
        /// The transfer failed and was credited to `withdrawable`.
        deferred: bool,
    },
    /// `InFlightExitCanonicityDecided`.
    CanonicityDecided {
        /// The exit.
        exit_id: B256,
        /// The decision.
        canonical: bool,
    },
    /// `InFlightExitFinalized`.
    Finalized {
        /// The exit.
        exit_id: B256,
        /// Who got the canonicity share.
        bond_owner: Address,
    },
}

/// One row of `inflight_log`.
#[derive(Default)]
pub(crate) struct LogRow<'a> {
    pub(crate) kind: &'a str,
    pub(crate) actor: Option<Address>,
    pub(crate) is_output: Option<bool>,
    pub(crate) index: Option<u8>,
    pub(crate) token: Option<Address>,
    pub(crate) amount: Option<U256>,
    pub(crate) tx_hash: Option<B256>,
    pub(crate) pos: Option<u64>,
    pub(crate) flag: Option<bool>,
}

/// Stores an in-flight event seen in `root_block`.
pub(crate) async fn apply(
    db: &mut Tx<'_>,
    root_block: i64,
    event: &InFlightEvent,
) -> Result<(), StoreError> {
    if let InFlightEvent::Started {
        exit_id,
        starter,
        inputs,
        exitable_at,
        youngest_pos,
    } = event
    {
        start(
            db,
            root_block,
            *exit_id,
            *starter,
            inputs,
            *exitable_at,
            *youngest_pos,
        )
        .await?;
        return refresh_status(&mut **db, *exit_id).await;
    }
    let Some((exit_id, row)) = log_row(event) else {
        return Ok(());
    };
    let id = exit_id.as_slice();
    let actor = row.actor.map(|a| a.to_vec());
    let token = row.token.map(|a| a.to_vec());
    let amount = row.amount.map(|a| a.to_string());
    let tx_hash = row.tx_hash.map(|h| h.to_vec());
    let pos = row.pos.map(signed);
    sqlx::query!(
        "INSERT INTO inflight_log (exit_id, root_block, kind, actor, is_output, idx, token, amount, tx_hash, pos, flag)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        id,
        root_block,
        row.kind,
        actor,
        row.is_output,
        row.index,
        token,
        amount,
        tx_hash,
        pos,
        row.flag
    )
    .execute(&mut **db)
    .await?;
    refresh_status(&mut **db, *exit_id).await
}

impl ExitRows for SqliteConnection {
    async fn load(&mut self, exit_id: B256) -> Result<Option<InFlightExit>, StoreError> {
        load(self, exit_id).await
    }

    async fn store_status(
        &mut self,
        exit_id: B256,
        status: InFlightStatus,
    ) -> Result<(), StoreError> {
        let (id, status) = (exit_id.as_slice(), status.as_str());
        sqlx::query!(
            "UPDATE inflight_exits SET status = ?2 WHERE exit_id = ?1",
            id,
            status
        )
        .execute(self)
        .await?;
        Ok(())
    }
}

/// Computes the stored status of every exit that has none (rows written before the
/// column existed): run once after migrating.
pub(crate) async fn fill_statuses(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let ids = sqlx::query_scalar!(
        r#"SELECT exit_id AS "exit_id!" FROM inflight_exits WHERE status IS NULL"#
    )
    .fetch_all(&mut *conn)
    .await?;
    refresh_statuses(conn, ids).await
}

/// Stores an `InFlightExitStarted` with its inputs.
async fn start(
    db: &mut Tx<'_>,
    root_block: i64,
    exit_id: B256,
    starter: Address,
    inputs: &[(u64, B256)],
    exitable_at: u64,
    youngest_pos: u64,
) -> Result<(), StoreError> {
    let (id, starter) = (exit_id.as_slice(), starter.as_slice());
    let (at, youngest) = (signed(exitable_at), signed(youngest_pos));
    sqlx::query!(
        "INSERT INTO inflight_exits (exit_id, starter, exitable_at, youngest_pos, started_root_block)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        id,
        starter,
        at,
        youngest,
        root_block
    )
    .execute(&mut **db)
    .await?;
    for (index, (pos, input_id)) in inputs.iter().enumerate() {
        let (index, pos, input_id) = (signed(index as u64), signed(*pos), input_id.as_slice());
        sqlx::query!(
            "INSERT INTO inflight_inputs (exit_id, idx, pos, input_id) VALUES (?1, ?2, ?3, ?4)",
            id,
            index,
            pos,
            input_id
        )
        .execute(&mut **db)
        .await?;
    }
    Ok(())
}

/// Rollback: deletes exits started and events seen after root-chain block `ancestor`,
/// and forgets the actions whose effect is gone (so they are sent again if still due).
pub(crate) async fn rollback(db: &mut Tx<'_>, ancestor: i64) -> Result<(), StoreError> {
    let a = ancestor;
    let touched = sqlx::query_scalar!(
        r#"SELECT DISTINCT exit_id AS "exit_id!" FROM inflight_log WHERE root_block > ?1"#,
        a
    )
    .fetch_all(&mut **db)
    .await?;
    sqlx::query!("DELETE FROM inflight_log WHERE root_block > ?1", a)
        .execute(&mut **db)
        .await?;
    sqlx::query!(
        "DELETE FROM inflight_inputs WHERE exit_id IN
             (SELECT exit_id FROM inflight_exits WHERE started_root_block > ?1)",
        a
    )
    .execute(&mut **db)
    .await?;
    sqlx::query!(
        "DELETE FROM inflight_exits WHERE started_root_block > ?1",
        a
    )
    .execute(&mut **db)
    .await?;
    sqlx::query!(
        "DELETE FROM inflight_actions WHERE NOT EXISTS (SELECT 1 FROM inflight_log l
             WHERE l.exit_id = inflight_actions.exit_id AND (
                 (inflight_actions.action = 'challenge_canonicity' AND l.kind = 'challenged')
              OR (inflight_actions.action = 'respond' AND l.kind = 'responded')
              OR (inflight_actions.action = 'challenge_input' AND l.kind = 'input_blocked'
                  AND l.idx = inflight_actions.idx)
              OR (inflight_actions.action = 'challenge_output' AND l.kind = 'output_blocked'
                  AND l.idx = inflight_actions.idx)))"
    )
    .execute(&mut **db)
    .await?;
    // The exits that lost events fold to an earlier status.
    refresh_statuses(&mut **db, touched).await
}

/// The `inflight_log` row of an event; `None` for the start (its own tables).
pub(crate) fn log_row(event: &InFlightEvent) -> Option<(&B256, LogRow<'static>)> {
    Some(match event {
        InFlightEvent::Started { .. } => return None,
        InFlightEvent::Piggybacked {
            exit_id,
            owner,
            is_output,
            index,
            token,
            amount,
        } => (
            exit_id,
            LogRow {
                kind: "piggybacked",
                actor: Some(*owner),
                is_output: Some(*is_output),
                index: Some(*index),
                token: Some(*token),
                amount: Some(*amount),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Challenged {
            exit_id,
            challenger,
            competing_tx_hash,
            competitor_pos,
        } => (
            exit_id,
            LogRow {
                kind: "challenged",
                actor: Some(*challenger),
                tx_hash: Some(*competing_tx_hash),
                pos: (*competitor_pos != u64::MAX).then_some(*competitor_pos),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Responded {
            exit_id,
            responder,
            tx_pos,
        } => (
            exit_id,
            LogRow {
                kind: "responded",
                actor: Some(*responder),
                pos: Some(*tx_pos),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Blocked {
            exit_id,
            challenger,
            is_output,
            index,
        } => (
            exit_id,
            LogRow {
                kind: if *is_output {
                    "output_blocked"
                } else {
                    "input_blocked"
                },
                actor: Some(*challenger),
                is_output: Some(*is_output),
                index: Some(*index),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Withdrawn {
            exit_id,
            owner,
            is_output,
            index,
            token,
            paid,
            deferred,
        } => (
            exit_id,
            LogRow {
                kind: if *is_output {
                    "output_withdrawn"
                } else {
                    "input_withdrawn"
                },
                actor: Some(*owner),
                is_output: Some(*is_output),
                index: Some(*index),
                token: Some(*token),
                amount: Some(*paid),
                flag: Some(*deferred),
                ..LogRow::default()
            },
        ),
        InFlightEvent::CanonicityDecided { exit_id, canonical } => (
            exit_id,
            LogRow {
                kind: "canonicity_decided",
                flag: Some(*canonical),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Finalized {
            exit_id,
            bond_owner,
        } => (
            exit_id,
            LogRow {
                kind: "finalized",
                actor: Some(*bond_owner),
                ..LogRow::default()
            },
        ),
    })
}
