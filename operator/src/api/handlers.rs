//! Request handlers. Bodies are read as bytes and parsed here, so that every failure —
//! including an oversized body — is answered with the JSON error envelope.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State, rejection::BytesRejection},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, de::DeserializeOwned};

use plasma_rpc_types::operator::{BatchItem, BatchResponse, Submitted};

use super::{
    AppState, OPENAPI_JSON,
    error::{ApiError, internal},
};
use crate::admission::WireItem;

fn parse<T: DeserializeOwned>(
    state: &AppState,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(state.body_limit)
        } else {
            ApiError::MalformedRequest(r.body_text())
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::MalformedRequest(e.to_string()))
}

/// `POST /v1/transactions` → `201 {"txHash"}`.
pub(super) async fn submit_one(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let item: WireItem = parse(&state, body)?;
    let result = state
        .node
        .submit(vec![item])
        .await
        .pop()
        .ok_or(ApiError::Internal)?;
    let hash = result?;
    Ok((StatusCode::CREATED, Json(Submitted { tx_hash: hash })).into_response())
}

/// The batch request as parsed here: items stay undecoded strings so that one bad item
/// is that item's error, not the batch's (the wire form is `rpc_types::BatchRequest`).
#[derive(Deserialize)]
struct BatchRequest {
    transactions: Vec<WireItem>,
}

/// `POST /v1/transactions/batch` → `200 {"results": [{"txHash"} | {"error"}]}`.
pub(super) async fn submit_batch(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<BatchResponse>, ApiError> {
    let req: BatchRequest = parse(&state, body)?;
    let max = state.node.config().max_batch;
    if req.transactions.len() > max {
        return Err(ApiError::BatchTooLarge {
            got: req.transactions.len(),
            max,
        });
    }
    let results = state
        .node
        .submit(req.transactions)
        .await
        .into_iter()
        .map(|r| match r {
            Ok(tx_hash) => BatchItem::Ok(Submitted { tx_hash }),
            Err(e) => BatchItem::Err(ApiError::from(e).body()),
        })
        .collect();
    Ok(Json(BatchResponse { results }))
}

/// `GET /v1/blocks/{blknum}`: the block's full data.
pub(super) async fn block(
    State(state): State<AppState>,
    Path(blknum): Path<String>,
) -> Result<Response, ApiError> {
    let n = plasma_core::canonical::blknum(&blknum)
        .ok_or_else(|| ApiError::MalformedRequest(format!("bad block number {blknum:?}")))?;
    published(&state, n).await
}

async fn published(state: &AppState, blknum: u64) -> Result<Response, ApiError> {
    let json = state
        .node
        .block_json(blknum)
        .await
        .map_err(|e| internal("block read", e))?
        .ok_or_else(|| ApiError::NotFound(format!("no published block {blknum}")))?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json,
    )
        .into_response())
}

/// `GET /v1/blocks/latest`: the newest sealed block's data.
pub(super) async fn latest_block(State(state): State<AppState>) -> Result<Response, ApiError> {
    let n = state
        .node
        .latest_blknum()
        .await
        .map_err(|e| internal("block read", e))?
        .ok_or_else(|| ApiError::NotFound("no block sealed yet".into()))?;
    published(&state, n).await
}

/// `GET /v1/status`.
pub(super) async fn status(State(state): State<AppState>) -> Response {
    Json(state.node.status()).into_response()
}

/// `GET /health`: 200 while healthy, else 503 `unhealthy` naming every reason.
pub(super) async fn health(State(state): State<AppState>) -> Response {
    plasma_service::health::response(&state.node.problems())
}

/// `GET /metrics`: Prometheus text format.
pub(super) async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.node.render_metrics(),
    )
        .into_response()
}

/// `GET /openapi.json`.
pub(super) async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
enum FaultAction {
    InvalidTx,
    WithholdNext,
    SpendExited,
}

/// `POST /admin/byzantine` (only with `--byzantine`):
/// `{"action": "invalid_tx" | "withhold_next" | "spend_exited"}`.
pub(super) async fn byzantine(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    match parse::<FaultAction>(&state, body)? {
        FaultAction::InvalidTx => {
            let tx_hash = state.node.inject_invalid_tx().await?;
            Ok((StatusCode::CREATED, Json(Submitted { tx_hash })).into_response())
        }
        FaultAction::WithholdNext => {
            state.node.withhold_next_block();
            Ok(Json(serde_json::json!({"withholdNext": true})).into_response())
        }
        FaultAction::SpendExited => {
            state.node.spend_exited();
            Ok(Json(serde_json::json!({"spendExited": true})).into_response())
        }
    }
}

/// Any other path.
pub(super) async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint".into())
}
