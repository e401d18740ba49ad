//! Wiring: opens the store on the backend the database URL names, and by role starts the
//! follower, the checker and the watchtower (a writer, holding the database's writer lock
//! on Postgres) and serves the API (read-only for an `api` replica) until SIGINT/SIGTERM.

use crate::{
    api::{AppState, ChainParams, app, ops_app},
    checker::Checker,
    config::{Args, Role},
    feed::{FeedClient, FeedError},
    follower,
    inflight::Resolver,
    metrics::Metrics,
    proofs::ProofCache,
    replica,
    store::{AnyStore, PgStore, StoreError, is_postgres, pg::writer::WriterLock},
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
    /// `--role writer|api` on SQLite.
    #[error("--role {0:?} needs a Postgres --database-url (SQLite runs only --role all)")]
    RoleNeedsPostgres(Role),
    /// Another writer holds this database's writer lock.
    #[error(
        "another plasma-indexer writer holds this database's writer lock: one writer per \
         database (start this one with --role api, or stop the other writer)"
    )]
    WriterRunning,
    /// An API replica found no schema (or an older one).
    #[error("the database's schema is missing or older than this build: start the writer first")]
    SchemaNotReady,
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

/// Opens the store for `args`' database and role; a Postgres writer takes the writer
/// lock before it migrates.
async fn open(args: &Args) -> Result<(AnyStore, Option<WriterLock>), ServiceError> {
    let url = args.database();
    if !is_postgres(&url) {
        if args.role != Role::All {
            return Err(ServiceError::RoleNeedsPostgres(args.role));
        }
        if let (None, Some(dir)) = (&args.database_url, &args.data_dir) {
            std::fs::create_dir_all(dir).map_err(ServiceError::DataDir)?;
        }
        return Ok((AnyStore::open(&url).await?, None));
    }
    if args.role == Role::Api {
        let store = PgStore::open_read_only(&url).await?;
        if !store.schema_ready().await? {
            return Err(ServiceError::SchemaNotReady);
        }
        return Ok((AnyStore::Postgres(store), None));
    }
    let store = PgStore::open_unmigrated(&url).await?;
    let lock = store
        .lock_writer()
        .await?
        .ok_or(ServiceError::WriterRunning)?;
    store.migrate().await?;
    Ok((AnyStore::Postgres(store), Some(lock)))
}

/// Starts the indexer: opens the store, spawns (by role) the follower, the checker and
/// the watchtower, and serves the API on `args.listen` (port 0 picks a free port).
pub async fn start(args: Args) -> Result<Service, ServiceError> {
    let deployment = Deployment::read(&args.chain.deployment)?;
    let (store, lock) = open(&args).await?;
    tracing::info!(backend = store.backend(), role = ?args.role, "database open");
    let url: reqwest::Url = args
        .chain
        .rpc_url
        .parse()
        .map_err(|_| ServiceError::RpcUrl(args.chain.rpc_url.clone()))?;
    let provider = ProviderBuilder::new().connect_http(url.clone()).erased();
    let metrics = Arc::new(match args.role {
        Role::Api => Metrics::replica(args.health_limits()),
        Role::All | Role::Writer => Metrics::new(args.health_limits()),
    });
    let proofs = Arc::new(ProofCache::new(args.proof_cache_blocks));
    let wake = Arc::new(Notify::new());
    let poll = args.chain.poll_interval();

    // An API replica sends nothing: its challenger key, if any, is ignored.
    let key = args.challenger_key.as_ref().filter(|_| args.role.writes());
    let challenger = match key {
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

    let mut tasks = Vec::new();
    if args.role.writes() {
        let following = follower::run(
            follower,
            state.store.clone(),
            poll,
            state.metrics.clone(),
            state.proofs.clone(),
            wake.clone(),
        );
        tasks.extend([
            tokio::spawn(following),
            tokio::spawn(checker.run(poll)),
            tokio::spawn(watchtower.run(poll, wake)),
            tokio::spawn(resolver.run(poll)),
        ]);
    }
    if let AnyStore::Postgres(pg) = &state.store {
        tasks.push(match args.role.writes() {
            true => tokio::spawn(replica::report_progress(
                pg.clone(),
                state.metrics.clone(),
                poll,
            )),
            false => tokio::spawn(replica::follow_writer(
                pg.clone(),
                state.metrics.clone(),
                state.proofs.clone(),
                poll,
            )),
        });
    }
    let router = match args.role.serves_api() {
        true => app(state),
        false => ops_app(state),
    };
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!("listening on {addr}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(async move {
        let served = plasma_service::serve::serve(listener, router, args.edge, async move {
            let _ = stopped.await;
        })
        .await;
        for task in &tasks {
            task.abort();
        }
        for task in tasks {
            let _ = task.await;
        }
        // The writer's lock goes with its connection, after every writing task stopped.
        drop(lock);
        served.map_err(ServiceError::from)
    });
    Ok(Service { addr, stop, handle })
}
