//! The child-chain operator: validates, persists, seals and commits blocks.
//!
//! - [`admission`]: stateless checks on every core, then checks against the ledger, with
//!   core's rules (`plasma_core::validate`, `plasma_core::transition`); a refusal is a
//!   [`rejection::Rejection`].
//! - [`ledger`]: the in-memory UTXO set and mempool, a cache of [`store`].
//! - [`store`]: SQLite through sqlx (WAL, `synchronous = FULL`), written by the
//!   group-commit writer so that a 2xx always means durable.
//! - [`node`]: the state machine the API and the chain tasks drive (admission, sealing,
//!   the block feed, root-submission bookkeeping, deposits and exits).
//! - [`producer`], [`submitter`], [`follower`]: the block producer, the root submitter
//!   (never twice, even across crashes) and the deposit follower (confirmation margin,
//!   reorganisation handling), against the root chain through [`chain`].
//! - [`api`]: the HTTP API of docs/SPEC.md; the only place that knows HTTP.
//!
//! The design and its guarantees are described in docs/OPERATOR.md.

pub mod admission;
pub mod api;
pub mod chain;
pub mod config;
pub mod follower;
pub mod ledger;
pub mod metrics;
pub mod node;
pub mod producer;
pub mod rejection;
pub mod store;
pub mod submitter;
mod writer;

use std::sync::Arc;

use alloy::signers::local::PrivateKeySigner;

pub use api::{AppState, app};
pub use config::Args;
pub use node::{Node, NodeConfig};
use plasma_bindings::Deployment;

/// Why the operator stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// The node failed to start.
    #[error(transparent)]
    Node(#[from] node::NodeError),
    /// The root chain is unreachable or not the one in the deployment file.
    #[error(transparent)]
    Chain(#[from] chain::ChainError),
    /// The root chain reports another chain id than the deployment file.
    #[error("the root chain reports chain id {got}, the deployment file says {expected}")]
    WrongChain {
        /// From the deployment file.
        expected: u64,
        /// From the RPC endpoint.
        got: u64,
    },
    /// Data directory or listener failure.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// Runs the operator until SIGINT or SIGTERM.
pub async fn run(args: Args) -> Result<(), RunError> {
    let deployment = Deployment::read(&args.chain.deployment).map_err(config::ConfigError::from)?;
    let key: PrivateKeySigner = args
        .operator_key
        .trim()
        .trim_start_matches("0x")
        .parse()
        .map_err(|_| config::ConfigError::BadKey)?;
    let chain = chain::Chain::connect(&args.chain.rpc_url, key, deployment.root_chain)?;
    let got = chain.chain_id().await?;
    if got != deployment.chain_id {
        return Err(RunError::WrongChain {
            expected: deployment.chain_id,
            got,
        });
    }
    match chain.contract_operator().await {
        Ok(op) if op != chain.operator() => {
            tracing::warn!(contract = %op, key = %chain.operator(), "the operator key is not the contract's operator")
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "cannot read the contract's operator"),
    }
    std::fs::create_dir_all(&args.data_dir)?;
    let node = Node::open(NodeConfig {
        db_path: args.data_dir.join("operator.sqlite"),
        chain_id: deployment.chain_id,
        root_chain: deployment.root_chain,
        block_size: args.block_size as usize,
        min_fee: args.min_fee,
        max_batch: args.max_batch,
        byzantine: args.byzantine,
        health: node::HealthLimits {
            unreachable_after: args.chain.unreachable_after(),
            stalled_after: std::time::Duration::from_millis(args.submit_stall_ms),
        },
    })
    .await?;
    if args.byzantine {
        tracing::warn!("FAULT INJECTION ENABLED (--byzantine): never run this in production");
    }
    tokio::spawn(producer::run(node.clone(), args.block_interval()));
    tokio::spawn(submitter::run(
        node.clone(),
        chain.clone(),
        submitter::SubmitterConfig {
            deploy_block: deployment.deploy_block,
            confirmations: args.chain.confirmations,
            pause_after_send: args.fault_pause_after_send,
        },
    ));
    let follower = plasma_follower::Follower::new(
        chain.provider(),
        plasma_follower::FollowerConfig {
            root_chain: deployment.root_chain,
            deploy_block: deployment.deploy_block,
            confirmations: args.chain.confirmations,
            max_range: 5_000,
        },
    );
    tokio::spawn(follower::run(
        node.clone(),
        follower,
        args.chain.poll_interval(),
    ));
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    tracing::info!("listening on {}", listener.local_addr()?);
    let router = app(AppState {
        node: Arc::clone(&node),
        body_limit: args.body_limit,
    });
    plasma_service::serve::serve(
        listener,
        router,
        args.edge.clone(),
        plasma_service::serve::shutdown_signal(),
    )
    .await?;
    tracing::info!("stopped");
    Ok(())
}
