//! Blocks, transactions, status, health, metrics and the OpenAPI document.

use super::{
    AppState,
    error::ApiError,
    params,
    views::{self, BlockView, TxView},
};
use crate::{
    health::{self, Progress},
    store::{ByzantineEvent, ByzantineKind, Heights, IndexerStore, StoreError},
};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::header,
    response::{IntoResponse, Response},
};
use plasma_rpc_types::{
    HealthProblem,
    indexer::{ChildStatus, IndexerStatus, RootStatus, WriterReportAge},
};
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

/// The health problems that hold now, from the store's heights and the byzantine
/// events; a store that cannot be read is itself a `storage_failed` problem.
async fn problems<S: IndexerStore>(
    state: &AppState<S>,
    read: Result<(&Heights, &[ByzantineEvent]), &StoreError>,
) -> Vec<HealthProblem> {
    let (heights, events) = match read {
        Ok(r) => r,
        Err(err) => {
            return vec![HealthProblem::new(
                health::REASONS[0],
                format!("reading the database: {err}"),
            )];
        }
    };
    let stopped = events.iter().any(|e| {
        e.resolved_at.is_none()
            && matches!(
                e.kind,
                ByzantineKind::InvalidBlock | ByzantineKind::BlockWithheld
            )
    });
    state.metrics.health.problems(&Progress {
        head: state.metrics.root_head(),
        stored_up_to: heights
            .root_block
            .unwrap_or_else(|| state.metrics.root_block()),
        confirmations: state.params.confirmations,
        committed: heights.child_committed.unwrap_or(0),
        valid: heights.child_valid.unwrap_or(0),
        checker_stopped: stopped,
    })
}

/// The heights, the byzantine events, and the problems they show.
async fn read_health<S: IndexerStore>(
    state: &AppState<S>,
) -> (
    Result<(Heights, Vec<ByzantineEvent>), StoreError>,
    Vec<HealthProblem>,
) {
    let read = match state.store.heights().await {
        Ok(h) => state.store.byzantine_events().await.map(|e| (h, e)),
        Err(e) => Err(e),
    };
    let problems = problems(state, read.as_ref().map(|(h, e)| (h, e.as_slice()))).await;
    (read, problems)
}

pub(crate) async fn status<S: IndexerStore>(
    State(state): State<AppState<S>>,
) -> Result<Json<IndexerStatus>, ApiError> {
    let (read, problems) = read_health(&state).await;
    let (heights, events) = read?;
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
        healthy: problems.is_empty(),
        problems,
        writer_report: state.metrics.health.writer_age().map(|w| WriterReportAge {
            reported_at: w.reported_at,
            age_secs: w.age_secs,
            max_age_secs: w.max_age_secs,
        }),
    }))
}

/// `GET /health`: 200 while healthy, else 503 `unhealthy` naming every reason.
pub(crate) async fn health<S: IndexerStore>(State(state): State<AppState<S>>) -> Response {
    plasma_service::health::response(&read_health(&state).await.1)
}

pub(crate) async fn metrics<S: IndexerStore>(
    State(state): State<AppState<S>>,
) -> impl IntoResponse {
    let mut text = state.metrics.render();
    plasma_service::health::render_gauges(
        &mut text,
        "plasma_indexer_unhealthy",
        &health::REASONS,
        &read_health(&state).await.1,
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}

pub(crate) async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
}
