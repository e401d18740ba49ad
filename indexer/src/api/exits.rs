//! Exit data, challenge data and the exit list.

use super::{AppState, error::ApiError, params};
use crate::store::{ExitView, OutputView, SpendView, hx};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
};
use serde::{Deserialize, Serialize};

/// Everything `startStandardExit` needs, and when the exit would mature.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExitData {
    utxo_pos: u64,
    blknum: u64,
    txindex: u64,
    oindex: u64,
    tx_bytes: String,
    proof: String,
    block_timestamp: u64,
    output: OutputView,
    /// `exitableAt` of an exit started at `now`.
    exitable_at_if_started_now: u64,
    now: u64,
}

pub(crate) async fn exit_data(
    State(state): State<AppState>,
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
    if let Some(status) = &source.output.exit_status {
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
        tx_bytes: hx(&source.tx_bytes),
        proof: hx(&proof),
        block_timestamp: source.block_timestamp,
        output: source.output,
        exitable_at_if_started_now: exitable,
        now,
    }))
}

/// What `challengeStandardExit` needs.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ChallengeData {
    exit: ExitView,
    #[serde(flatten)]
    spend: SpendView,
}

pub(crate) async fn challenge_data(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<ChallengeData>, ApiError> {
    let pos = params::position(&raw)?;
    let exit =
        state.store.exit(pos.0).await?.ok_or_else(|| {
            ApiError::not_found("exit_not_found", format!("no exit of {}", pos.0))
        })?;
    if exit.status != "active" {
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
    Ok(Json(ChallengeData { exit, spend }))
}

pub(crate) async fn one(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<ExitView>, ApiError> {
    let pos = params::position(&raw)?;
    let exit = state.store.exit(pos.0).await?;
    exit.map(Json)
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

/// A page of exits.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExitList {
    exits: Vec<ExitView>,
    limit: i64,
    offset: i64,
    now: u64,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    query: Result<Query<ExitQuery>, QueryRejection>,
) -> Result<Json<ExitList>, ApiError> {
    let Query(q) = query.map_err(params::query_error)?;
    let owner = q.owner.as_deref().map(params::address).transpose()?;
    if let Some(status) = &q.status
        && !["active", "challenged", "processed"].contains(&status.as_str())
    {
        return Err(ApiError::bad(
            "invalid_status",
            format!("status must be active, challenged or processed, got '{status}'"),
        ));
    }
    let (limit, offset) = params::Page {
        limit: q.limit,
        offset: q.offset,
    }
    .get()?;
    let exits = state
        .store
        .exits(owner, q.status.as_deref(), limit, offset)
        .await?;
    Ok(Json(ExitList {
        exits,
        limit,
        offset,
        now: state.now(),
    }))
}
