//! Test helpers (feature `test-utils`): a real anvil from the pinned npm Foundry, wallet
//! providers on it, and deployments of the root chain, the harness and the mock tokens.

use crate::{
    CoreHarness, ERC20Mock, FeeOnTransferToken, InFlightExitChallenges, InFlightExitGame,
    NoBoolToken, RootChain, StandardExitGame,
};
use alloy::{
    node_bindings::{Anvil, AnvilInstance, NodeError},
    primitives::{Address, U256},
    providers::{DynProvider, Provider},
    signers::local::PrivateKeySigner,
};
use std::path::{Path, PathBuf};

/// `$ANVIL_BIN`, else `<workspace>/node_modules/.bin/anvil` (installed by `npm ci`).
pub fn anvil_path() -> PathBuf {
    std::env::var_os("ANVIL_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
        })
}

/// Spawns anvil (chain id 31337, ten funded accounts); it is killed when dropped.
pub fn spawn_anvil() -> Result<AnvilInstance, NodeError> {
    spawn_anvil_with(|anvil| anvil)
}

/// Spawns anvil with extra configuration (`|a| a.arg("--block-time").arg("1")`).
pub fn spawn_anvil_with(
    configure: impl FnOnce(Anvil) -> Anvil,
) -> Result<AnvilInstance, NodeError> {
    configure(Anvil::at(anvil_path())).try_spawn()
}

/// The signer of anvil's `index`-th funded account.
pub fn signer(anvil: &AnvilInstance, index: usize) -> PrivateKeySigner {
    let key = anvil
        .nth_key(index)
        .unwrap_or_else(|| panic!("anvil has no account {index}"));
    PrivateKeySigner::from(key.clone())
}

/// A provider on `anvil` that signs with its `index`-th account
/// ([`crate::signing::signing_provider`]).
pub fn wallet_provider(anvil: &AnvilInstance, index: usize) -> DynProvider {
    crate::signing::signing_provider(anvil.endpoint_url(), signer(anvil, index))
}

/// Deploys the exit-game modules (`StandardExitGame`, `InFlightExitChallenges`,
/// `InFlightExitGame`, all with `(minExitPeriod, bondGasPrice)`) and the
/// `RootChain(operator, standardExitGame, inFlightExitGame)` that serves them.
pub async fn deploy_root_chain<P: Provider + Clone>(
    provider: P,
    operator: Address,
    min_exit_period: u64,
    bond_gas_price: U256,
) -> Result<RootChain::RootChainInstance<P>, alloy::contract::Error> {
    let period = U256::from(min_exit_period);
    let game = StandardExitGame::deploy(provider.clone(), period, bond_gas_price).await?;
    let challenges =
        InFlightExitChallenges::deploy(provider.clone(), period, bond_gas_price).await?;
    let in_flight = InFlightExitGame::deploy(
        provider.clone(),
        period,
        bond_gas_price,
        *challenges.address(),
    )
    .await?;
    RootChain::deploy(provider, operator, *game.address(), *in_flight.address()).await
}

/// Deploys the `CoreHarness`.
pub async fn deploy_core_harness<P: Provider + Clone>(
    provider: P,
) -> Result<CoreHarness::CoreHarnessInstance<P>, alloy::contract::Error> {
    CoreHarness::deploy(provider).await
}

/// Deploys a mintable ERC-20 (`mint(to, amount)` is open to anyone).
pub async fn deploy_erc20_mock<P: Provider + Clone>(
    provider: P,
    name: &str,
    symbol: &str,
) -> Result<ERC20Mock::ERC20MockInstance<P>, alloy::contract::Error> {
    ERC20Mock::deploy(provider, name.to_string(), symbol.to_string()).await
}

/// Deploys a token whose `transfer`/`transferFrom` return nothing (USDT-like).
pub async fn deploy_no_bool_token<P: Provider + Clone>(
    provider: P,
) -> Result<NoBoolToken::NoBoolTokenInstance<P>, alloy::contract::Error> {
    NoBoolToken::deploy(provider).await
}

/// Deploys a token that burns `fee_bps` / 10,000 of every transfer.
pub async fn deploy_fee_on_transfer_token<P: Provider + Clone>(
    provider: P,
    fee_bps: u64,
) -> Result<FeeOnTransferToken::FeeOnTransferTokenInstance<P>, alloy::contract::Error> {
    FeeOnTransferToken::deploy(provider, U256::from(fee_bps)).await
}
