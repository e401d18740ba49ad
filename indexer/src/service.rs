//! Wiring: opens the store, starts the follower, the checker and the watchtower, serves
//! the API until SIGINT/SIGTERM.

use crate::{
    api::{AppState, ChainParams, app},
    checker::Checker,
    config::Args,
    feed::{FeedClient, FeedError},
    follower,
    inflight::Resolver,
    metrics::Metrics,
    proofs::ProofCache,
    store::{Store, StoreError},
    watchtower::{Challenger, Watchtower},
};
use alloy::{
    providers::{Provider, ProviderBuilder},
    signers::local::PrivateKeySigner,
};
use plasma_bindings::{Deployment, DeploymentError};
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// Errors that stop the service.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Bad deployment file.
    #[error(transparent)]
    Deployment(#[from] DeploymentError),
    /// Database failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Bad operator URL.
    #[error(transparent)]
    Feed(#[from] FeedError),
    /// Bad RPC URL.
    #[error("invalid rpc url: {0}")]
    RpcUrl(String),
    /// Bad challenger key.
    #[error("invalid challenger key")]
    ChallengerKey,
    /// The data directory cannot be created.
    #[error("data directory: {0}")]
    DataDir(std::io::Error),
    /// Listen or serve failure.
    #[error("http: {0}")]
    Io(#[from] std::io::Error),
}

/// A running indexer: its API address and a handle to stop it.
#[derive(Debug)]
pub struct Service {
    /// The address the API listens on.
    pub addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<Result<(), ServiceError>>,
}

impl Service {
    /// Stops the API and every background task, and waits for them.
    pub async fn stop(self) -> Result<(), ServiceError> {
        let _ = self.stop.send(());
        self.handle.await.unwrap_or(Ok(()))
    }
}

/// Runs the indexer until SIGINT or SIGTERM.
pub async fn run(args: Args) -> Result<(), ServiceError> {
    let service = start(args).await?;
    plasma_service::serve::shutdown_signal().await;
    service.stop().await?;
    tracing::info!("stopped");
    Ok(())
}

/// Starts the indexer: opens the store, spawns the follower, the checker and the
/// watchtower, and serves the API on `args.listen` (port 0 picks a free port).
pub async fn start(args: Args) -> Result<Service, ServiceError> {
    let deployment = Deployment::read(&args.chain.deployment)?;
    std::fs::create_dir_all(&args.data_dir).map_err(ServiceError::DataDir)?;
    let store = Store::open(&args.db_path()).await?;
    let url: reqwest::Url = args
        .chain
        .rpc_url
        .parse()
        .map_err(|_| ServiceError::RpcUrl(args.chain.rpc_url.clone()))?;
    let provider = ProviderBuilder::new().connect_http(url.clone()).erased();
    let metrics = Arc::new(Metrics::new(args.health_limits()));
    let proofs = Arc::new(ProofCache::new(args.proof_cache_blocks));
    let wake = Arc::new(Notify::new());
    let poll = args.chain.poll_interval();

    let challenger = match &args.challenger_key {
        Some(key) => {
            let signer: PrivateKeySigner = key
                .trim()
                .parse()
                .map_err(|_| ServiceError::ChallengerKey)?;
            let address = signer.address();
            let provider = plasma_bindings::signing::signing_provider(url, signer);
            tracing::info!(%address, "challenging invalid exits");
            Some(Challenger { provider, address })
        }
        None => None,
    };

    let resolver = Resolver {
        provider: provider.clone(),
        store: store.clone(),
        root_chain: deployment.root_chain,
    };
    let follower = plasma_follower::Follower::new(
        provider,
        plasma_follower::FollowerConfig {
            root_chain: deployment.root_chain,
            deploy_block: deployment.deploy_block,
            confirmations: args.chain.confirmations,
            max_range: 2_000,
        },
    );
    let checker = Checker {
        store: store.clone(),
        feed: FeedClient::new(&args.operator_url)?,
        domain: plasma_core::sign::domain(deployment.chain_id, deployment.root_chain),
        withholding_timeout: Duration::from_secs(args.withholding_timeout_secs),
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        metrics: metrics.clone(),
        stored: wake.clone(),
    };
    let watchtower = Watchtower {
        store: store.clone(),
        root_chain: deployment.root_chain,
        challenger,
        maturity_warning: args
            .maturity_warning_secs
            .unwrap_or(deployment.min_exit_period / 2),
        metrics: metrics.clone(),
        min_exit_period: deployment.min_exit_period,
        proofs: proofs.clone(),
    };
    let following = tokio::spawn(follower::run(
        follower,
        store.clone(),
        poll,
        metrics.clone(),
        proofs.clone(),
        wake.clone(),
    ));
    let state = AppState {
        store,
        proofs,
        metrics,
        params: Arc::new(ChainParams {
            chain_id: deployment.chain_id,
            root_chain: deployment.root_chain,
            min_exit_period: deployment.min_exit_period,
            confirmations: args.chain.confirmations,
        }),
    };

    let tasks = [
        following,
        tokio::spawn(checker.run(poll)),
        tokio::spawn(watchtower.run(poll, wake)),
        tokio::spawn(resolver.run(poll)),
    ];
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!("listening on {addr}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        let served = plasma_service::serve::serve(listener, app(state), args.edge, async move {
            let _ = stopped.await;
        })
        .await;
        for task in &tasks {
            task.abort();
        }
        for task in tasks {
            let _ = task.await;
        }
        served.map_err(ServiceError::from)
    });
    Ok(Service { addr, stop, handle })
}
