//! The HTTP API (docs/SPEC.md "Operator HTTP API"): submission, the block feed, status,
//! health, Prometheus metrics, the OpenAPI document, and — only when the operator runs
//! with `--byzantine` — the fault-injection endpoint.

pub mod error;
mod handlers;
mod openapi;

use std::sync::Arc;

use axum::{Router, extract::DefaultBodyLimit, routing::get};

pub use openapi::OPENAPI_JSON;

use crate::node::Node;
use plasma_service::http::post_json;

/// Largest request body accepted by default (a batch of ~10,000 transactions).
pub const DEFAULT_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// Shared state of the handlers.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The node.
    pub node: Arc<Node>,
    /// Largest request body, bytes.
    pub body_limit: usize,
}

/// The router. Kept apart from `main` so tests drive it over a real socket.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/v1/transactions", post_json(handlers::submit_one))
        .route("/v1/transactions/batch", post_json(handlers::submit_batch))
        .route("/v1/blocks/latest", get(handlers::latest_block))
        .route("/v1/blocks/{blknum}", get(handlers::block))
        .route("/v1/status", get(handlers::status))
        .route("/health", get(handlers::health))
        .route("/metrics", get(handlers::metrics))
        .route("/openapi.json", get(handlers::openapi));
    if state.node.config().byzantine {
        router = router.route("/admin/byzantine", post_json(handlers::byzantine));
    }
    plasma_service::http::edge(
        router
            .fallback(handlers::not_found)
            .layer(DefaultBodyLimit::max(state.body_limit)),
    )
    .with_state(state)
}
