//! The whole system on one machine: anvil, RootChain, a mock ERC-20 with funded
//! development accounts, `plasma-operator` and `plasma-indexer` on SQLite files in a data
//! directory — or the indexer on a throwaway Postgres server as one writer and two API
//! replicas ([`IndexerDb::Postgres`], see `pg_indexers`). `plasma devnet` runs it; the
//! end-to-end tests start it with their own knobs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use alloy::primitives::{Address, U256};
use alloy::signers::local::PrivateKeySigner;
use eyre::WrapErr;
use serde::Serialize;

use plasma_bindings::Deployment;
use plasma_client::chain::{self, DEV_KEYS, dev_signer};
use plasma_client::user::deploy_mock_token;
use plasma_client::{Ctx, DeployParams, deploy_with_key};

use crate::indexers::{IndexerDb, services_rpc};
use crate::procs::{self, Service};

/// Development account 0 deploys and operates; account 1 is the watchtower; 2–9 are users.
pub const OPERATOR_ACCOUNT: usize = 0;
/// The watchtower's (indexer's challenger) account.
pub const WATCHTOWER_ACCOUNT: usize = 1;
/// The first user account.
pub const FIRST_USER_ACCOUNT: usize = 2;
/// Tokens minted to each user account (18 decimals): one million.
pub const USER_TOKENS: u128 = 1_000_000 * 10u128.pow(18);

/// How to start the system.
#[derive(Debug, Clone)]
pub struct StackConfig {
    /// Directory for the deployment file, the SQLite files and the logs.
    pub data_dir: PathBuf,
    /// anvil's port.
    pub anvil_port: u16,
    /// anvil's block time in seconds; `None` mines a block per transaction.
    pub block_time: Option<u64>,
    /// The operator's port.
    pub operator_port: u16,
    /// The indexer's port.
    pub indexer_port: u16,
    /// RootChain parameters.
    pub params: DeployParams,
    /// The operator's block interval.
    pub block_interval_ms: u64,
    /// Confirmation margin of the operator and the indexer.
    pub confirmations: u64,
    /// The indexer's withholding timeout.
    pub withholding_timeout_secs: u64,
    /// Whether to start the operator and the indexer (false: chain and contracts only).
    pub services: bool,
    /// Extra environment for the operator (fault injection in tests).
    pub operator_env: Vec<(String, String)>,
    /// The RPC URL the services use, when not anvil's own (a proxy that can pause it).
    pub services_rpc_url: Option<String>,
    /// Whether the indexer challenges with the watchtower's key (false: it only watches).
    pub watchtower_key: bool,
    /// The indexer's database.
    pub indexer_db: IndexerDb,
}

impl StackConfig {
    /// Defaults for a devnet in `data_dir` with anvil on `anvil_port`, the operator on
    /// `anvil_port + 5` and the indexer on `anvil_port + 6` (8545, 8550, 8551).
    pub fn new(data_dir: PathBuf, anvil_port: u16) -> Self {
        Self {
            data_dir,
            anvil_port,
            block_time: None,
            operator_port: anvil_port + 5,
            indexer_port: anvil_port + 6,
            params: DeployParams {
                min_exit_period: 60,
                bond_gas_price: U256::from(500_000_000_000u64),
            },
            block_interval_ms: 1_000,
            confirmations: 0,
            withholding_timeout_secs: 10,
            services: true,
            operator_env: Vec::new(),
            services_rpc_url: None,
            watchtower_key: true,
            indexer_db: IndexerDb::Sqlite,
        }
    }
}

/// What a running system offers to users.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    /// anvil's RPC URL.
    pub rpc_url: String,
    /// The operator's URL (if started).
    pub operator_url: String,
    /// The indexer's URL (if started): its REST API (the first replica on Postgres).
    pub indexer_url: String,
    /// On Postgres: every API replica's URL (the first is `indexer_url`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indexer_replica_urls: Vec<String>,
    /// On Postgres: the writer's URL (health, metrics, status).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexer_writer_url: Option<String>,
    /// On Postgres: the database URL the indexers share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexer_database_url: Option<String>,
    /// The deployment file.
    pub deployment_file: PathBuf,
    /// The deployment.
    pub deployment: Deployment,
    /// The mock ERC-20 (18 decimals) minted to the user accounts.
    pub token: Address,
    /// The accounts: role, address, key.
    pub accounts: Vec<Account>,
}

/// A development account.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// What it is for.
    pub role: &'static str,
    /// Its address.
    pub address: Address,
    /// Its private key (anvil's public development key).
    pub key: &'static str,
}

/// A running system. Dropping it kills every process; [`Stack::stop`] stops them cleanly.
#[derive(Debug)]
pub struct Stack {
    /// anvil.
    pub anvil: Service,
    /// The operator, when started.
    pub operator: Option<Service>,
    /// The indexer (the writer on Postgres), when started.
    pub indexer: Option<Service>,
    /// On Postgres: the API replicas and the server (stopped last).
    pub postgres: Option<crate::pg_indexers::PgIndexers>,
    /// Endpoints, keys, addresses.
    pub endpoints: Endpoints,
}

impl Stack {
    /// Starts anvil, deploys, funds the users and (if configured) starts both services,
    /// waiting for each to answer `/health`.
    pub async fn start(config: &StackConfig) -> eyre::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)
            .wrap_err_with(|| format!("creating {}", config.data_dir.display()))?;
        // A fresh anvil means fresh state: the previous databases describe another chain.
        for stale in [
            "operator",
            "indexer",
            "deployment.json",
            "anvil.log",
            "operator.log",
            "indexer.log",
        ] {
            let path = config.data_dir.join(stale);
            if path.is_dir() {
                std::fs::remove_dir_all(&path)?;
            } else if path.exists() {
                std::fs::remove_file(&path)?;
            }
        }
        // Fail before anvil starts when a service binary is missing.
        if config.services {
            procs::find_sibling_bin("plasma-operator", "PLASMA_OPERATOR_BIN")?;
            procs::find_sibling_bin("plasma-indexer", "PLASMA_INDEXER_BIN")?;
        }

        tracing::info!(port = config.anvil_port, "starting anvil");
        let mut anvil_args = vec!["--chain-id".to_owned(), "31337".into()];
        if let Some(secs) = config.block_time {
            anvil_args.extend(["--block-time".to_owned(), secs.to_string()]);
        }
        let anvil = procs::spawn_anvil(
            config.anvil_port,
            &anvil_args,
            &config.data_dir.join("anvil.log"),
        )
        .await?;
        let rpc_url = format!("http://127.0.0.1:{}", config.anvil_port);

        let operator_key = dev_signer(OPERATOR_ACCOUNT);
        let deployment = deploy_with_key(
            &rpc_url,
            operator_key.clone(),
            operator_key.address(),
            &config.params,
        )
        .await?;
        let deployment_file = config.data_dir.join("deployment.json");
        deployment.write(&deployment_file)?;

        tracing::info!("deploying the mock ERC-20 and funding the user accounts");
        let deployer = chain::wallet_provider(&rpc_url, operator_key)?;
        let users: Vec<PrivateKeySigner> = (FIRST_USER_ACCOUNT..DEV_KEYS.len())
            .map(dev_signer)
            .collect();
        let token = deploy_mock_token(
            &deployer,
            &users.iter().map(|u| u.address()).collect::<Vec<_>>(),
            U256::from(USER_TOKENS),
        )
        .await?;

        let operator_url = format!("http://127.0.0.1:{}", config.operator_port);
        let indexer_url = format!("http://127.0.0.1:{}", config.indexer_port);
        let mut stack = Self {
            anvil,
            operator: None,
            indexer: None,
            postgres: None,
            endpoints: Endpoints {
                rpc_url,
                operator_url,
                indexer_url,
                indexer_replica_urls: Vec::new(),
                indexer_writer_url: None,
                indexer_database_url: None,
                deployment_file,
                deployment,
                token,
                accounts: accounts(),
            },
        };
        if config.services {
            stack.start_operator(config).await?;
            match config.indexer_db {
                IndexerDb::Sqlite => stack.start_indexer(config).await?,
                IndexerDb::Postgres => {
                    let ix = procs::find_sibling_bin("plasma-indexer", "PLASMA_INDEXER_BIN")?;
                    crate::pg_indexers::start(&mut stack, config, &ix).await?;
                }
            }
        }
        Ok(stack)
    }

    /// Starts (or, after it was killed, restarts) the operator on its data directory.
    pub async fn start_operator(&mut self, config: &StackConfig) -> eyre::Result<()> {
        let bin = procs::find_sibling_bin("plasma-operator", "PLASMA_OPERATOR_BIN")?;
        let e = &self.endpoints;
        let args = [
            ("--rpc-url", services_rpc(config, e)),
            ("--deployment", e.deployment_file.display().to_string()),
            (
                "--data-dir",
                config.data_dir.join("operator").display().to_string(),
            ),
            ("--listen", format!("127.0.0.1:{}", config.operator_port)),
            ("--block-interval-ms", config.block_interval_ms.to_string()),
            ("--confirmations", config.confirmations.to_string()),
        ];
        let mut env = vec![
            (
                "PLASMA_OPERATOR_KEY".to_owned(),
                DEV_KEYS[OPERATOR_ACCOUNT].to_owned(),
            ),
            ("PLASMA_POLL_INTERVAL_MS".into(), "200".into()),
        ];
        env.extend(config.operator_env.iter().cloned());
        let log = config.data_dir.join("operator.log");
        self.operator =
            Some(launch("plasma-operator", &bin, &args, env, &log, &e.operator_url).await?);
        Ok(())
    }

    /// Waits until any process exits and returns the error describing it.
    pub async fn any_exited(&mut self) -> eyre::Report {
        let operator = async {
            match self.operator.as_mut() {
                Some(s) => s.exited_error().await,
                None => std::future::pending().await,
            }
        };
        let indexer = async {
            match self.indexer.as_mut() {
                Some(s) => s.exited_error().await,
                None => std::future::pending().await,
            }
        };
        let replicas = async {
            match self.postgres.as_mut() {
                Some(p) => p.any_exited().await,
                None => std::future::pending().await,
            }
        };
        let err = tokio::select! {
            e = self.anvil.exited_error() => e,
            e = operator => e,
            e = indexer => e,
            e = replicas => e,
        };
        eyre::Report::new(err)
    }

    /// Stops the API replicas, the indexer, the operator and anvil, in that order
    /// (SIGTERM, then SIGKILL), then the Postgres server.
    pub async fn stop(self) -> eyre::Result<()> {
        let grace = Duration::from_secs(10);
        let (replicas, server) = match self.postgres {
            Some(p) => (p.replicas, Some(p.server)),
            None => (Vec::new(), None),
        };
        let services = replicas
            .into_iter()
            .chain(self.indexer)
            .chain(self.operator);
        for service in services {
            let name = service.name().to_owned();
            let status = service.stop(grace).await?;
            tracing::info!(name, %status, "stopped");
        }
        let status = self.anvil.stop(grace).await?;
        tracing::info!(name = "anvil", %status, "stopped");
        drop(server);
        Ok(())
    }
}

impl Endpoints {
    /// A user context (root chain, operator, indexer) signing with `signer`.
    pub fn ctx(&self, signer: PrivateKeySigner) -> eyre::Result<Ctx> {
        Ctx::new(
            self.deployment.clone(),
            &self.rpc_url,
            &self.operator_url,
            &self.indexer_url,
            Some(signer),
        )
    }
}

/// Starts a service with `--flag value` arguments (keys go in `env`, never on the command
/// line) and waits until `url/health` answers.
pub(crate) async fn launch(
    name: &str,
    bin: &Path,
    args: &[(&str, String)],
    mut env: Vec<(String, String)>,
    log: &Path,
    url: &str,
) -> eyre::Result<Service> {
    tracing::info!(url, "starting {name}");
    let args: Vec<String> = args
        .iter()
        .flat_map(|(flag, value)| [(*flag).to_owned(), value.clone()])
        .collect();
    env.push((
        "RUST_LOG".into(),
        std::env::var("PLASMA_SERVICE_LOG").unwrap_or_else(|_| "info".into()),
    ));
    let mut service = Service::spawn(name, bin, &args, &env, log)?;
    service
        .wait_http_ok(&format!("{url}/health"), Duration::from_secs(60))
        .await?;
    tracing::info!("{name} healthy");
    Ok(service)
}

fn accounts() -> Vec<Account> {
    DEV_KEYS
        .iter()
        .enumerate()
        .map(|(i, key)| Account {
            role: match i {
                OPERATOR_ACCOUNT => "deployer + operator",
                WATCHTOWER_ACCOUNT => "watchtower (indexer challenger)",
                _ => "user",
            },
            address: dev_signer(i).address(),
            key,
        })
        .collect()
}
