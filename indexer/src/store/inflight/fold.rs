//! An in-flight exit's state as the fold of its stored rows, in log order: the same for
//! both backends, which only read the rows ([`ExitRows`]). The one rule for an exit's
//! state, its status included: the stored `inflight_exits.status` is this fold's result,
//! kept by the writer ([`refresh_status`]).

use super::{
    CanonicityChallenge, InFlightExit, InFlightInput, InFlightStatus, Piggyback, PiggybackStatus,
};
use crate::store::{StoreError, address, amount, hash};
use alloy::primitives::{B256, Bytes};
use std::future::Future;

/// A backend's connection (pooled, or the writer's transaction) as the fold needs it:
/// each exit's rows folded, and the status it folds to stored.
pub(crate) trait ExitRows: Send {
    /// The exit `exit_id` folded from its rows; `None` when it was never started.
    fn load(
        &mut self,
        exit_id: B256,
    ) -> impl Future<Output = Result<Option<InFlightExit>, StoreError>> + Send;

    /// Stores `status` as the exit's `inflight_exits.status`.
    fn store_status(
        &mut self,
        exit_id: B256,
        status: InFlightStatus,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// The exits `ids` (stored ids, in order), each folded from its rows.
pub(crate) async fn fold_all<C: ExitRows>(
    conn: &mut C,
    ids: Vec<Vec<u8>>,
) -> Result<Vec<InFlightExit>, StoreError> {
    let mut exits = Vec::with_capacity(ids.len());
    for id in ids {
        exits.extend(conn.load(hash(&id)?).await?);
    }
    Ok(exits)
}

/// Stores the status `exit_id` now folds to: called in the transaction of every write
/// that changes an exit's rows (an event, a rollback), and once for rows older than the
/// column. An exit whose start is gone is skipped.
pub(crate) async fn refresh_status<C: ExitRows>(
    conn: &mut C,
    exit_id: B256,
) -> Result<(), StoreError> {
    if let Some(exit) = conn.load(exit_id).await? {
        conn.store_status(exit_id, exit.status).await?;
    }
    Ok(())
}

/// [`refresh_status`] of each exit of `ids` (stored ids).
pub(crate) async fn refresh_statuses<C: ExitRows>(
    conn: &mut C,
    ids: Vec<Vec<u8>>,
) -> Result<(), StoreError> {
    for id in ids {
        refresh_status(conn, hash(&id)?).await?;
    }
    Ok(())
}

/// The `inflight_exits` row of an exit, decoded.
pub(crate) struct StartRow {
    pub starter: Vec<u8>,
    pub exitable_at: u64,
    pub youngest_pos: u64,
    pub started_root_block: u64,
    pub tx_bytes: Option<Vec<u8>>,
    pub signatures: Option<Vec<u8>>,
    pub started_at: Option<u64>,
}

/// An `inflight_log` row, decoded.
pub(crate) struct LogEntry {
    pub root_block: u64,
    pub kind: String,
    pub actor: Option<Vec<u8>>,
    pub is_output: Option<bool>,
    pub idx: Option<i64>,
    pub token: Option<Vec<u8>>,
    pub amount: Option<String>,
    pub tx_hash: Option<Vec<u8>>,
    pub pos: Option<u64>,
    pub flag: Option<bool>,
}

/// The exit `exit_id` from its start, inputs and log (in log order).
pub(crate) fn fold(
    exit_id: B256,
    start: StartRow,
    inputs: Vec<InFlightInput>,
    log: Vec<LogEntry>,
) -> Result<InFlightExit, StoreError> {
    let mut exit = InFlightExit {
        exit_id,
        starter: address(&start.starter)?,
        exitable_at: start.exitable_at,
        youngest_pos: start.youngest_pos,
        started_root_block: start.started_root_block,
        started_at: start.started_at,
        tx: start.tx_bytes.map(Bytes::from),
        signatures: start
            .signatures
            .unwrap_or_default()
            .chunks(65)
            .map(Bytes::copy_from_slice)
            .collect(),
        inputs,
        piggybacks: Vec::new(),
        challenges: Vec::new(),
        response: None,
        canonical: true,
        decided_canonical: None,
        finalized_bond_owner: None,
        status: InFlightStatus::Active,
    };
    for row in log {
        let actor = row.actor.as_deref().map(address).transpose()?;
        let actor = actor.ok_or(StoreError::corrupt("actor"));
        let (is_output, index) = (row.is_output.unwrap_or_default(), row.idx.unwrap_or(0));
        let root_block = row.root_block;
        match row.kind.as_str() {
            "piggybacked" => exit.piggybacks.push(Piggyback {
                is_output,
                index: small(index)?,
                owner: actor?,
                token: address(row.token.as_deref().unwrap_or_default())?,
                amount: amount(row.amount.as_deref().unwrap_or_default())?,
                status: PiggybackStatus::Active,
                blocked_by: None,
                paid: None,
                deferred: None,
                root_block,
            }),
            "challenged" => {
                exit.canonical = false;
                exit.challenges.push(CanonicityChallenge {
                    challenger: actor?,
                    competing_tx_hash: hash(row.tx_hash.as_deref().unwrap_or_default())?,
                    // Stored without a position when the competitor was not in a block.
                    competitor_pos: row.pos.unwrap_or(u64::MAX),
                    root_block,
                });
            }
            "responded" => {
                exit.canonical = true;
                exit.response = Some((actor?, row.pos.unwrap_or_default()));
            }
            kind
            @ ("input_blocked" | "output_blocked" | "input_withdrawn" | "output_withdrawn") => {
                let is_output = kind.starts_with("output");
                let index = small(index)?;
                let Some(p) = exit
                    .piggybacks
                    .iter_mut()
                    .find(|p| p.is_output == is_output && p.index == index)
                else {
                    continue;
                };
                if kind.ends_with("blocked") {
                    p.status = PiggybackStatus::Blocked;
                    p.blocked_by = Some(actor?);
                } else {
                    p.status = PiggybackStatus::Withdrawn;
                    p.paid = Some(amount(row.amount.as_deref().unwrap_or_default())?);
                    p.deferred = row.flag;
                }
            }
            "canonicity_decided" => exit.decided_canonical = row.flag,
            "finalized" => exit.finalized_bond_owner = Some(actor?),
            _ => {
                return Err(StoreError::corrupt("in-flight event"));
            }
        }
    }
    exit.status = if exit.finalized_bond_owner.is_some() {
        InFlightStatus::Finalized
    } else if exit.decided_canonical.is_some() {
        InFlightStatus::Processing
    } else if exit.canonical {
        InFlightStatus::Active
    } else {
        InFlightStatus::NonCanonical
    };
    Ok(exit)
}

/// A stored input or output index.
pub(crate) fn small(value: i64) -> Result<u8, StoreError> {
    u8::try_from(value).map_err(|_| StoreError::corrupt("index"))
}
