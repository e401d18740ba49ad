//! The REST API under `/v1` (axum). [`app`] builds the router so tests can serve it on a
//! real socket; the OpenAPI document is at `/v1/openapi.json` (and `/openapi.json`).

mod addresses;
mod chain;
pub mod error;
mod exits;
mod inflight;
pub mod params;
mod views;

use crate::{
    metrics::Metrics,
    proofs::ProofCache,
    store::{AnyStore, IndexerStore},
};
use alloy::primitives::Address;
use axum::{
    Router,
    extract::{Request, State},
    middleware::{self, Next},
    response::Response,
    routing::get,
};
use error::ApiError;
use plasma_service::http::post_json;
use std::sync::Arc;

/// Deployment parameters the API needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainParams {
    /// Chain id of the root chain.
    pub chain_id: u64,
    /// The RootChain contract.
    pub root_chain: Address,
    /// `MIN_EXIT_PERIOD` in seconds.
    pub min_exit_period: u64,
    /// Confirmation margin of the follower.
    pub confirmations: u64,
}

/// Shared state of the handlers, over any [`IndexerStore`].
#[derive(Debug, Clone)]
pub struct AppState<S = AnyStore> {
    /// The database.
    pub store: S,
    /// Cached block trees for proofs.
    pub proofs: Arc<ProofCache>,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// Deployment parameters.
    pub params: Arc<ChainParams>,
}

impl<S> AppState<S> {
    /// "Now" for exit timing: the root chain's latest seen timestamp, or the wall clock
    /// before the first poll (the contract uses `block.timestamp`).
    pub fn now(&self) -> u64 {
        match self.metrics.root_head_timestamp() {
            0 => crate::store::now_secs_u64(),
            t => t,
        }
    }
}

async fn count_requests<S: IndexerStore>(
    State(state): State<AppState<S>>,
    request: Request,
    next: Next,
) -> Response {
    state.metrics.http_request();
    next.run(request).await
}

async fn not_found() -> ApiError {
    ApiError::not_found("route_not_found", "no such route")
}

/// The router of a writer without the API (`--role writer`): health, metrics, status.
pub fn ops_app<S: IndexerStore>(state: AppState<S>) -> Router {
    let v1 = Router::new()
        .route("/status", get(chain::status::<S>))
        .route("/health", get(chain::health::<S>))
        .route("/metrics", get(chain::metrics::<S>));
    serve(Router::new().nest("/v1", v1), state)
}

/// The router.
pub fn app<S: IndexerStore>(state: AppState<S>) -> Router {
    let v1 = Router::new()
        .route("/outputs/{pos}/exit-data", get(exits::exit_data::<S>))
        .route("/exits", get(exits::list::<S>))
        .route("/exits/{pos}", get(exits::one::<S>))
        .route(
            "/exits/{pos}/challenge-data",
            get(exits::challenge_data::<S>),
        )
        .route("/inflight-exits", get(inflight::list::<S>))
        .route("/inflight-exits/{id}", get(inflight::one::<S>))
        .route("/inflight-exit-data", post_json(inflight::exit_data::<S>))
        .route(
            "/inflight-exit-competitor",
            post_json(inflight::competitor_data::<S>),
        )
        .route(
            "/inflight-exit-canonicity-proof",
            post_json(inflight::canonicity_proof::<S>),
        )
        .route("/addresses/{addr}/utxos", get(addresses::utxos::<S>))
        .route("/addresses/{addr}/balances", get(addresses::balances::<S>))
        .route("/addresses/{addr}/history", get(addresses::history::<S>))
        .route(
            "/addresses/{addr}/history.csv",
            get(addresses::history_csv::<S>),
        )
        .route("/blocks", get(chain::blocks::<S>))
        .route("/blocks/{blknum}", get(chain::block::<S>))
        .route("/transactions/{hash}", get(chain::transaction::<S>))
        .route("/status", get(chain::status::<S>))
        .route("/health", get(chain::health::<S>))
        .route("/metrics", get(chain::metrics::<S>))
        .route("/openapi.json", get(chain::openapi));
    let router = Router::new()
        .nest("/v1", v1)
        .route("/openapi.json", get(chain::openapi));
    serve(router, state)
}

/// `router` with `/health` and `/metrics` at the root, the 404 fallback, the HTTP edge
/// and the request counter.
fn serve<S: IndexerStore>(router: Router<AppState<S>>, state: AppState<S>) -> Router {
    let router = router
        .route("/health", get(chain::health::<S>))
        .route("/metrics", get(chain::metrics::<S>))
        .fallback(not_found);
    plasma_service::http::edge(router)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_requests::<S>,
        ))
        .with_state(state)
}
