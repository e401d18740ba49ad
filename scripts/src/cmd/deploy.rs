//! `plasma deploy`: deploys the StandardExitGame module and the RootChain that serves it
//! (bytecode from plasma-bindings) with a key and parameters, waits for confirmations and
//! writes the deployment file.

use std::path::PathBuf;

use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use eyre::{WrapErr, eyre};

use crate::Output;
use crate::chain::{self, confirm};
use crate::user::RootChain;
use plasma_bindings::{Deployment, InFlightExitChallenges, InFlightExitGame, StandardExitGame};

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

/// The exit-game parameters (the operator aside), fixed at deployment.
#[derive(Debug, Clone, clap::Args)]
pub struct ParamArgs {
    /// Minimum exit period in seconds (a week on mainnet; at least 60).
    #[arg(long, default_value_t = 604_800)]
    pub min_exit_period: u64,
    /// Gas price in wei at which bonds repay a challenge's and a processing's gas; the
    /// bond is derived from it (docs/CONTRACTS.md).
    #[arg(long, default_value = "20000000000")]
    pub bond_gas_price: U256,
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
    let pending = StandardExitGame::deploy_builder(
        provider.clone(),
        U256::from(params.min_exit_period),
        params.bond_gas_price,
    )
    .send()
    .await
    .wrap_err("sending the StandardExitGame deployment")?;
    let (standard_exit_game, _) =
        deployed(confirm(pending, "StandardExitGame deployment", confirmations).await?)?;
    let period = U256::from(params.min_exit_period);
    let pending =
        InFlightExitChallenges::deploy_builder(provider.clone(), period, params.bond_gas_price)
            .send()
            .await
            .wrap_err("sending the InFlightExitChallenges deployment")?;
    let (in_flight_exit_challenges, _) =
        deployed(confirm(pending, "InFlightExitChallenges deployment", confirmations).await?)?;
    let pending = InFlightExitGame::deploy_builder(
        provider.clone(),
        period,
        params.bond_gas_price,
        in_flight_exit_challenges,
    )
    .send()
    .await
    .wrap_err("sending the InFlightExitGame deployment")?;
    let (in_flight_exit_game, _) =
        deployed(confirm(pending, "InFlightExitGame deployment", confirmations).await?)?;
    let pending = RootChain::deploy_builder(
        provider.clone(),
        operator,
        standard_exit_game,
        in_flight_exit_game,
    )
    .send()
    .await
    .wrap_err("sending the RootChain deployment")?;
    let (root_chain, deploy_block) =
        deployed(confirm(pending, "RootChain deployment", confirmations).await?)?;
    let game = StandardExitGame::new(standard_exit_game, provider.clone());
    let exit_bond = game
        .EXIT_BOND()
        .call()
        .await
        .wrap_err("reading EXIT_BOND")?;
    let process_bounty = game
        .PROCESS_BOUNTY()
        .call()
        .await
        .wrap_err("reading PROCESS_BOUNTY")?;
    tracing::info!(%root_chain, %standard_exit_game, deploy_block, %exit_bond, "RootChain deployed");
    Ok(Deployment {
        chain_id,
        root_chain,
        standard_exit_game,
        in_flight_exit_game,
        in_flight_exit_challenges,
        deploy_block,
        operator,
        min_exit_period: params.min_exit_period,
        bond_gas_price: params.bond_gas_price,
        exit_bond,
        process_bounty,
    })
}

/// The address and block of a confirmed contract creation.
fn deployed(receipt: alloy::rpc::types::TransactionReceipt) -> eyre::Result<(Address, u64)> {
    let address = receipt
        .contract_address
        .ok_or_else(|| eyre!("the deployment receipt has no contract address"))?;
    let block = receipt
        .block_number
        .ok_or_else(|| eyre!("the deployment receipt has no block number"))?;
    Ok((address, block))
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
