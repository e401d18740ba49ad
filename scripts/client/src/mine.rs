//! The user's open business: the journal's transactions brought up to date with what the
//! indexer has seen (included, exited in flight), and the user's pending transactions and
//! open exits — standard and in-flight — in one overview (`plasma status`).

use alloy::primitives::Address;
use eyre::WrapErr;
use serde::Serialize;

use crate::api::{Exit, InFlightExit};
use crate::ctx::Ctx;
use crate::inflight::{payment, status_of};
use crate::journal::{Entry, EntryState, Journal};

/// In-flight exits read per page when looking for the user's.
const PAGE: u32 = 500;

/// What the user has open.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    /// The user.
    pub address: Address,
    /// Journal entries whose fate is open (signed, acknowledged or refused; not seen in
    /// a block, no in-flight exit): each can still be exited in flight.
    pub pending: Vec<Entry>,
    /// The user's standard exits that are not processed or challenged.
    pub exits: Vec<Exit>,
    /// In-flight exits not finalized that the user started, piggybacked, or whose
    /// transaction pays the user.
    pub in_flight_exits: Vec<InFlightExit>,
    /// In-flight exits not finalized that the indexer has not resolved yet (their
    /// transaction and first phase unknown): any of them may pay the user.
    pub unresolved_in_flight_exits: usize,
}

/// Brings the journal's open entries up to date: included when the indexer holds the
/// transaction in a valid block, exited in flight when it follows an in-flight exit of
/// it. Returns every entry in its new state.
pub async fn refresh_journal(ctx: &Ctx, journal: &Journal) -> eyre::Result<Vec<Entry>> {
    let mut entries = journal.entries()?;
    for entry in entries.iter_mut().filter(|e| e.state.is_pending()) {
        let state = if let Some(exit) = status_of(ctx, entry.tx_hash).await? {
            Some(EntryState::InFlightExited {
                exit_id: exit.exit_id,
                root_tx: None,
            })
        } else {
            ctx.indexer
                .tx_position(entry.tx_hash)
                .await
                .wrap_err("looking the transaction up at the indexer")?
                .map(|tx_pos| EntryState::Included { tx_pos })
        };
        if let Some(state) = state {
            *entry = journal.set_state(entry.id, state)?;
        }
    }
    Ok(entries)
}

/// The overview of `address`: pending journal entries (refreshed first, when a journal
/// is given), open standard exits, and the in-flight exits that concern it.
pub async fn overview(
    ctx: &Ctx,
    journal: Option<&Journal>,
    address: Address,
) -> eyre::Result<Overview> {
    let pending = match journal {
        Some(j) => refresh_journal(ctx, j)
            .await?
            .into_iter()
            .filter(|e| e.from == address && e.state.is_pending())
            .collect(),
        None => Vec::new(),
    };
    let exits = ctx
        .indexer
        .exits(Some(address), "active", 1000, 0)
        .await
        .wrap_err("listing your exits at the indexer")?
        .exits;
    let (mut in_flight_exits, mut unresolved_in_flight_exits) = (Vec::new(), 0);
    let mut offset = 0;
    loop {
        let page = ctx
            .indexer
            .inflight_exits(PAGE, offset)
            .await
            .wrap_err("listing in-flight exits at the indexer")?;
        let n = page.exits.len();
        let open = page.exits.into_iter().filter(|e| e.status != "finalized");
        for exit in open {
            if concerns(&exit, address) {
                in_flight_exits.push(exit);
            } else if exit.first_phase_ends_at.is_none() {
                unresolved_in_flight_exits += 1;
            }
        }
        if n < PAGE as usize {
            break;
        }
        offset += n as u64;
    }
    Ok(Overview {
        address,
        pending,
        exits,
        in_flight_exits,
        unresolved_in_flight_exits,
    })
}

/// Whether an in-flight exit concerns `address`: started by it, piggybacked by it, or its
/// transaction has an output to it.
fn concerns(exit: &InFlightExit, address: Address) -> bool {
    exit.starter == address
        || exit.piggybacks.iter().any(|p| p.owner == address)
        || exit
            .tx_bytes
            .as_ref()
            .and_then(|b| payment(b).ok())
            .is_some_and(|tx| tx.outputs.iter().any(|o| o.owner == address))
}
