//! Deploying the root chain: the exit-game modules (StandardExitGame,
//! InFlightExitChallenges, InFlightExitGame) and the RootChain that serves them, from the
//! bytecode in `plasma-bindings`, each confirmed before the next; the result is the
//! [`Deployment`] the services and the CLI read.

use alloy::contract::RawCallBuilder;
use alloy::primitives::{Address, U256};
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use eyre::{WrapErr, eyre};
use plasma_bindings::{
    Deployment, InFlightExitChallenges, InFlightExitGame, RootChain, StandardExitGame,
};

use crate::chain::{self, confirm};

/// The exit-game parameters (the operator aside), fixed at deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeployParams {
    /// Minimum exit period in seconds (a week on mainnet; at least 60 on a public chain).
    pub min_exit_period: u64,
    /// Gas price in wei at which bonds repay a challenge's and a processing's gas; the
    /// bond is derived from it (docs/CONTRACTS.md).
    pub bond_gas_price: U256,
}

/// Deploys RootChain through `provider` (which signs) and describes the deployment.
pub async fn deploy_root_chain(
    provider: &DynProvider,
    operator: Address,
    params: &DeployParams,
    confirmations: u64,
) -> eyre::Result<Deployment> {
    let chain_id = provider
        .get_chain_id()
        .await
        .wrap_err("cannot reach the root chain")?;
    tracing::info!(chain_id, %operator, min_exit_period = params.min_exit_period, "deploying RootChain");
    let period = U256::from(params.min_exit_period);
    let gas_price = params.bond_gas_price;
    let p = provider.clone();
    let (standard_exit_game, _) = deploy_one(
        StandardExitGame::deploy_builder(p.clone(), period, gas_price),
        "StandardExitGame",
        confirmations,
    )
    .await?;
    let (in_flight_exit_challenges, _) = deploy_one(
        InFlightExitChallenges::deploy_builder(p.clone(), period, gas_price),
        "InFlightExitChallenges",
        confirmations,
    )
    .await?;
    let (in_flight_exit_game, _) = deploy_one(
        InFlightExitGame::deploy_builder(p.clone(), period, gas_price, in_flight_exit_challenges),
        "InFlightExitGame",
        confirmations,
    )
    .await?;
    let (root_chain, deploy_block) = deploy_one(
        RootChain::deploy_builder(p, operator, standard_exit_game, in_flight_exit_game),
        "RootChain",
        confirmations,
    )
    .await?;
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

/// Sends one contract creation and waits for its confirmations; returns the contract's
/// address and block.
async fn deploy_one(
    builder: RawCallBuilder<DynProvider>,
    what: &str,
    confirmations: u64,
) -> eyre::Result<(Address, u64)> {
    let pending = builder
        .send()
        .await
        .wrap_err_with(|| format!("sending the {what} deployment"))?;
    let receipt = confirm(pending, &format!("{what} deployment"), confirmations).await?;
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
    params: &DeployParams,
) -> eyre::Result<Deployment> {
    let provider = chain::wallet_provider(rpc_url, deployer)?;
    deploy_root_chain(&provider, operator, params, 1).await
}
