//! Exit data, challenge data and the exit list.

use super::{AppState, error::ApiError, params, views};
use crate::store::{ExitStatus, IndexerStore};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
};
use plasma_rpc_types::indexer::{ChallengeData, Exit, ExitData, ExitPage};
use serde::Deserialize;

pub(crate) async fn exit_data<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
) -> Result<Json<ExitData>, ApiError> {
    let pos = params::position(&raw)?;
    let source = state.store.exit_source(pos.0).await?.ok_or_else(|| {
        ApiError::not_found("output_not_found", format!("no valid output at {}", pos.0))
    })?;
    if source.spent {
        return Err(ApiError::conflict(
            "output_spent",
            format!("output {} is spent; exiting it would be challenged", pos.0),
        ));
    }
    if let Some(status) = source.output.exit_status {
        return Err(ApiError::conflict(
            "exit_exists",
            format!("output {} already has an exit ({status})", pos.0),
        ));
    }
    let proof = state
        .proofs
        .proof(&state.store, pos.blknum(), pos.txindex())
        .await?;
    let now = state.now();
    let period = state.params.min_exit_period;
    let exitable = if pos.is_deposit() {
        now + period
    } else {
        (now + period).max(source.block_timestamp + 2 * period)
    };
    Ok(Json(ExitData {
        utxo_pos: pos.0,
        blknum: pos.blknum(),
        txindex: pos.txindex(),
        oindex: pos.oindex(),
        tx_bytes: source.tx_bytes,
        proof,
        block_timestamp: source.block_timestamp,
        output: views::utxo(&source.output),
        exitable_at_if_started_now: exitable,
        now,
    }))
}

pub(crate) async fn challenge_data<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
) -> Result<Json<ChallengeData>, ApiError> {
    let pos = params::position(&raw)?;
    let exit =
        state.store.exit(pos.0).await?.ok_or_else(|| {
            ApiError::not_found("exit_not_found", format!("no exit of {}", pos.0))
        })?;
    if exit.status != ExitStatus::Active {
        return Err(ApiError::conflict(
            "exit_not_active",
            format!("exit of {} is {}", pos.0, exit.status),
        ));
    }
    let spend = state.store.spend_of(pos.0).await?.ok_or_else(|| {
        ApiError::not_found(
            "spend_not_found",
            format!("no known spend of {}: the exit looks valid", pos.0),
        )
    })?;
    Ok(Json(views::challenge(exit, spend)))
}

pub(crate) async fn one<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
) -> Result<Json<Exit>, ApiError> {
    let pos = params::position(&raw)?;
    let exit = state.store.exit(pos.0).await?;
    exit.map(|e| Json(views::exit(e)))
        .ok_or_else(|| ApiError::not_found("exit_not_found", format!("no exit of {}", pos.0)))
}

/// `GET /v1/exits` query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExitQuery {
    owner: Option<String>,
    status: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

pub(crate) async fn list<S: IndexerStore>(
    State(state): State<AppState<S>>,
    query: Result<Query<ExitQuery>, QueryRejection>,
) -> Result<Json<ExitPage>, ApiError> {
    let Query(q) = query.map_err(params::query_error)?;
    let owner = q.owner.as_deref().map(params::address).transpose()?;
    let status = q
        .status
        .as_deref()
        .map(|status| {
            ExitStatus::parse(status).ok_or_else(|| {
                ApiError::bad(
                    "invalid_status",
                    format!("status must be active, challenged or processed, got '{status}'"),
                )
            })
        })
        .transpose()?;
    let (limit, offset) = params::Page {
        limit: q.limit,
        offset: q.offset,
    }
    .get()?;
    let exits = state.store.exits(owner, status, limit, offset).await?;
    Ok(Json(ExitPage {
        exits: exits.into_iter().map(views::exit).collect(),
        limit,
        offset,
        now: state.now(),
    }))
}
