//! One module per `plasma` subcommand, plus the connection arguments they share.

pub mod balance;
pub mod challenge;
pub mod cost_report;
pub mod deploy;
pub mod deposit;
pub mod devnet;
pub mod exit;
pub mod fork_test;
pub mod history;
pub mod process;
pub mod send;
pub mod status;
pub mod utxos;

use std::path::PathBuf;

use alloy::primitives::Address;
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use eyre::{WrapErr, bail, eyre};

use crate::api::{IndexerClient, OperatorClient};
use crate::chain;
use crate::user::RootChainContract;
use plasma_bindings::Deployment;

/// Where the root chain, the deployment, the operator and the indexer are.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnArgs {
    /// Root-chain JSON-RPC URL.
    #[arg(long, env = "PLASMA_RPC_URL", default_value = "http://127.0.0.1:8545")]
    pub rpc_url: String,
    /// The deployment file written by `plasma deploy` / `plasma devnet`.
    #[arg(
        long,
        env = "PLASMA_DEPLOYMENT",
        default_value = ".devnet/deployment.json"
    )]
    pub deployment: PathBuf,
    /// The operator's HTTP API.
    #[arg(
        long,
        env = "PLASMA_OPERATOR_URL",
        default_value = "http://127.0.0.1:8550"
    )]
    pub operator_url: String,
    /// The indexer's HTTP API.
    #[arg(
        long,
        env = "PLASMA_INDEXER_URL",
        default_value = "http://127.0.0.1:8551"
    )]
    pub indexer_url: String,
}

/// The user's key, for commands that sign.
#[derive(Debug, Clone, clap::Args)]
pub struct KeyArgs {
    /// Private key (hex) of the account that signs.
    #[arg(long, env = "PLASMA_PRIVATE_KEY", hide_env_values = true)]
    pub private_key: String,
}

impl KeyArgs {
    /// The signer.
    pub fn signer(&self) -> eyre::Result<PrivateKeySigner> {
        chain::parse_key(&self.private_key)
    }
}

/// A connection to every part of a deployed system.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The deployment.
    pub deployment: Deployment,
    /// A provider (signing when a key was given).
    pub provider: DynProvider,
    /// The RootChain contract through `provider`.
    pub root: RootChainContract,
    /// The operator's API.
    pub operator: OperatorClient,
    /// The indexer's API.
    pub indexer: IndexerClient,
    /// The signer, if any.
    pub signer: Option<PrivateKeySigner>,
}

impl ConnArgs {
    /// Reads the deployment, connects, and checks that the RPC serves the deployment's chain.
    pub async fn connect(&self, signer: Option<PrivateKeySigner>) -> eyre::Result<Ctx> {
        let deployment = Deployment::read(&self.deployment)
            .wrap_err("no deployment: start `plasma devnet` or pass --deployment <file>")?;
        let ctx = Ctx::new(
            deployment,
            &self.rpc_url,
            &self.operator_url,
            &self.indexer_url,
            signer,
        )?;
        let chain_id = ctx
            .provider
            .get_chain_id()
            .await
            .wrap_err_with(|| format!("cannot reach the root chain at {}", self.rpc_url))?;
        if chain_id != ctx.deployment.chain_id {
            bail!(
                "{} serves chain {chain_id}, but {} is a deployment on chain {}",
                self.rpc_url,
                self.deployment.display(),
                ctx.deployment.chain_id
            );
        }
        Ok(ctx)
    }
}

impl Ctx {
    /// A context for `deployment` on `rpc_url`, signing with `signer` when given.
    pub fn new(
        deployment: Deployment,
        rpc_url: &str,
        operator_url: &str,
        indexer_url: &str,
        signer: Option<PrivateKeySigner>,
    ) -> eyre::Result<Self> {
        let provider = match &signer {
            Some(s) => chain::wallet_provider(rpc_url, s.clone())?,
            None => chain::read_provider(rpc_url)?,
        };
        let root = RootChainContract::new(deployment.root_chain, provider.clone());
        Ok(Self {
            deployment,
            provider,
            root,
            operator: OperatorClient::new(operator_url),
            indexer: IndexerClient::new(indexer_url),
            signer,
        })
    }

    /// The signer's address, or an error when the command needs a key.
    pub fn me(&self) -> eyre::Result<Address> {
        self.signer
            .as_ref()
            .map(|s| s.address())
            .ok_or_else(|| eyre!("this command needs --private-key"))
    }

    /// The signer, or an error when the command needs a key.
    pub fn signer(&self) -> eyre::Result<&PrivateKeySigner> {
        self.signer
            .as_ref()
            .ok_or_else(|| eyre!("this command needs --private-key"))
    }

    /// The EIP-712 domain of this deployment.
    pub fn domain(&self) -> alloy::sol_types::Eip712Domain {
        plasma_core::sign::domain(self.deployment.chain_id, self.deployment.root_chain)
    }
}

/// An address to look up at the indexer: `--address`, else the key's address.
#[derive(Debug, Clone, clap::Args)]
pub struct AddressArgs {
    /// The indexer's HTTP API.
    #[arg(
        long,
        env = "PLASMA_INDEXER_URL",
        default_value = "http://127.0.0.1:8551"
    )]
    pub indexer_url: String,
    /// The address; defaults to the key's address.
    #[arg(long)]
    pub address: Option<Address>,
    /// Private key whose address to use when --address is not given.
    #[arg(long, env = "PLASMA_PRIVATE_KEY", hide_env_values = true)]
    pub private_key: Option<String>,
}

impl AddressArgs {
    /// The address and a client for the indexer.
    pub fn resolve(&self) -> eyre::Result<(Address, IndexerClient)> {
        Ok((
            address_or_key(self.address, self.private_key.as_deref())?,
            IndexerClient::new(&self.indexer_url),
        ))
    }
}

/// Resolves `--address`, falling back to the key's address.
pub fn address_or_key(address: Option<Address>, key: Option<&str>) -> eyre::Result<Address> {
    match (address, key) {
        (Some(a), _) => Ok(a),
        (None, Some(k)) => Ok(chain::parse_key(k)?.address()),
        (None, None) => bail!("give --address or --private-key (PLASMA_PRIVATE_KEY)"),
    }
}
