//! Blocks, transactions, status, health, metrics and the OpenAPI document.

use super::{
    AppState,
    error::ApiError,
    params,
    views::{self, BlockView, TxView},
};
use crate::store::IndexerStore;
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::header,
    response::IntoResponse,
};
use plasma_rpc_types::indexer::{ChildStatus, IndexerStatus, RootStatus};
use serde::{Deserialize, Serialize};

/// `GET /v1/blocks` query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BlocksQuery {
    before: Option<String>,
    limit: Option<String>,
}

/// A page of blocks, newest first.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Blocks {
    blocks: Vec<BlockView>,
}

pub(crate) async fn blocks<S: IndexerStore>(
    State(state): State<AppState<S>>,
    query: Result<Query<BlocksQuery>, QueryRejection>,
) -> Result<Json<Blocks>, ApiError> {
    let Query(q) = query.map_err(params::query_error)?;
    let before = q
        .before
        .as_deref()
        .map(params::blknum)
        .transpose()?
        .unwrap_or(u64::MAX / 2);
    let (limit, _) = params::Page {
        limit: q.limit,
        offset: None,
    }
    .get()?;
    Ok(Json(Blocks {
        blocks: (state.store.blocks(before, limit).await?)
            .into_iter()
            .map(BlockView::from)
            .collect(),
    }))
}

/// A block with a page of its transactions.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BlockDetail {
    #[serde(flatten)]
    block: BlockView,
    transactions: Vec<TxView>,
    limit: i64,
    offset: i64,
}

pub(crate) async fn block<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
    page: Result<Query<params::Page>, QueryRejection>,
) -> Result<Json<BlockDetail>, ApiError> {
    let blknum = params::blknum(&raw)?;
    let (limit, offset) = page.map_err(params::query_error)?.get()?;
    let block = state
        .store
        .blocks(blknum + 1, 1)
        .await?
        .into_iter()
        .find(|b| b.blknum == blknum)
        .ok_or_else(|| ApiError::not_found("block_not_found", format!("no block {blknum}")))?;
    let transactions = state.store.transactions(blknum, limit, offset).await?;
    Ok(Json(BlockDetail {
        block: block.into(),
        transactions: transactions.into_iter().map(TxView::from).collect(),
        limit,
        offset,
    }))
}

pub(crate) async fn transaction<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
) -> Result<Json<TxView>, ApiError> {
    let hash = params::tx_hash(&raw)?;
    let tx = state.store.tx_by_hash(hash).await?;
    tx.map(|t| Json(t.into())).ok_or_else(|| {
        ApiError::not_found("transaction_not_found", format!("no transaction {hash}"))
    })
}

pub(crate) async fn status<S: IndexerStore>(
    State(state): State<AppState<S>>,
) -> Result<Json<IndexerStatus>, ApiError> {
    let heights = state.store.heights().await?;
    let events = state.store.byzantine_events().await?;
    let head = state.metrics.root_head();
    let committed = heights.child_committed.unwrap_or(0);
    let valid = heights.child_valid.unwrap_or(0);
    Ok(Json(IndexerStatus {
        chain_id: state.params.chain_id,
        root_chain: state.params.root_chain,
        root: RootStatus {
            stored_up_to: heights.root_block,
            head,
            confirmations: state.params.confirmations,
            lag: heights.root_block.map(|r| head.saturating_sub(r)),
        },
        child: ChildStatus {
            committed: heights.child_committed,
            valid: heights.child_valid,
            lag_blocks: committed.saturating_sub(valid) / plasma_core::CHILD_BLOCK_INTERVAL,
            halted: views::halted(&events),
        },
        byzantine_events: events.into_iter().map(views::event).collect(),
    }))
}

pub(crate) async fn health<S: IndexerStore>(
    State(state): State<AppState<S>>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.store.heights().await?;
    Ok(Json(serde_json::json!({ "status": "ok" })))
}

pub(crate) async fn metrics<S: IndexerStore>(
    State(state): State<AppState<S>>,
) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}

pub(crate) async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
}
