//! `plasma deploy`: deploys RootChain (bytecode from plasma-bindings) with a key and
//! parameters, waits for confirmations and writes the deployment file.

use std::path::PathBuf;

use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use eyre::{WrapErr, eyre};

use crate::Output;
use crate::chain::{self, confirm};
use crate::user::RootChain;
use plasma_bindings::Deployment;

/// Arguments of `plasma deploy`.
#[derive(Debug, Clone, clap::Args)]
pub struct DeployArgs {
    /// Root-chain JSON-RPC URL.
    #[arg(long, env = "PLASMA_RPC_URL", default_value = "http://127.0.0.1:8545")]
    pub rpc_url: String,
    /// Private key (hex) of the deployer.
    #[arg(long, env = "PLASMA_DEPLOYER_KEY", hide_env_values = true)]
    pub private_key: String,
    /// The operator; defaults to the deployer.
    #[arg(long)]
    pub operator: Option<Address>,
    #[command(flatten)]
    /// Contract parameters.
    pub params: ParamArgs,
    /// Confirmations to wait for before writing the file.
    #[arg(long, default_value_t = 1)]
    pub confirmations: u64,
    /// Where to write the deployment file.
    #[arg(long, default_value = "deployment.json")]
    pub out: PathBuf,
}

/// The RootChain constructor parameters besides the operator.
#[derive(Debug, Clone, clap::Args)]
pub struct ParamArgs {
    /// Minimum exit period in seconds (a week on mainnet, seconds on a devnet).
    #[arg(long, default_value_t = 604_800)]
    pub min_exit_period: u64,
    /// Standard-exit bond in wei.
    #[arg(long, default_value = "100000000000000000")]
    pub exit_bond: U256,
    /// Processing bounty in wei, paid out of each bond to whoever processes the exit.
    #[arg(long, default_value = "1000000000000000")]
    pub process_bounty: U256,
}

impl DeployArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let signer = chain::parse_key(&self.private_key)?;
        let operator = self.operator.unwrap_or(signer.address());
        let provider = chain::wallet_provider(&self.rpc_url, signer)?;
        let deployment =
            deploy_root_chain(&provider, operator, &self.params, self.confirmations).await?;
        deployment.write(&self.out)?;
        tracing::info!(file = %self.out.display(), "deployment written");
        out.emit(&deployment, |d| {
            format!(
                "RootChain {:#x} on chain {} (block {})\noperator {:#x}\ndeployment file {}",
                d.root_chain,
                d.chain_id,
                d.deploy_block,
                d.operator,
                self.out.display()
            )
        })
    }
}

/// Deploys RootChain through `provider` (which signs) and describes the deployment.
pub async fn deploy_root_chain(
    provider: &DynProvider,
    operator: Address,
    params: &ParamArgs,
    confirmations: u64,
) -> eyre::Result<Deployment> {
    let chain_id = provider
        .get_chain_id()
        .await
        .wrap_err("cannot reach the root chain")?;
    tracing::info!(chain_id, %operator, min_exit_period = params.min_exit_period, "deploying RootChain");
    let pending = RootChain::deploy_builder(
        provider.clone(),
        operator,
        U256::from(params.min_exit_period),
        params.exit_bond,
        params.process_bounty,
    )
    .send()
    .await
    .wrap_err("sending the RootChain deployment")?;
    let receipt = confirm(pending, "RootChain deployment", confirmations).await?;
    let root_chain = receipt
        .contract_address
        .ok_or_else(|| eyre!("the deployment receipt has no contract address"))?;
    let deploy_block = receipt
        .block_number
        .ok_or_else(|| eyre!("the deployment receipt has no block number"))?;
    tracing::info!(%root_chain, deploy_block, gas_used = receipt.gas_used, "RootChain deployed");
    Ok(Deployment {
        chain_id,
        root_chain,
        deploy_block,
        operator,
        min_exit_period: params.min_exit_period,
        exit_bond: params.exit_bond,
        process_bounty: params.process_bounty,
    })
}

/// Deploys with a signer on `rpc_url` (convenience for the devnet and the tests).
pub async fn deploy_with_key(
    rpc_url: &str,
    deployer: PrivateKeySigner,
    operator: Address,
    params: &ParamArgs,
) -> eyre::Result<Deployment> {
    let provider = chain::wallet_provider(rpc_url, deployer)?;
    deploy_root_chain(&provider, operator, params, 1).await
}
