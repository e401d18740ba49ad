//! A real root chain for tests: anvil from the pinned npm Foundry with wallet providers on
//! it (`plasma_bindings::test_utils`), and the root chain deployed on it the way
//! `plasma deploy` does it (`plasma_client::deploy`).

use alloy::node_bindings::AnvilInstance;
use alloy::primitives::{Address, U256};
use plasma_bindings::Deployment;
use plasma_client::DeployParams;

pub use plasma_bindings::test_utils::{signer, spawn_anvil, spawn_anvil_with, wallet_provider};

/// Deploys the exit-game modules and the RootChain on `anvil` from its account 0, run by
/// `operator`, and returns the deployment (every field read back from the chain).
pub async fn deploy(
    anvil: &AnvilInstance,
    operator: Address,
    min_exit_period: u64,
    bond_gas_price: U256,
) -> Deployment {
    let params = DeployParams {
        min_exit_period,
        bond_gas_price,
    };
    plasma_client::deploy_root_chain(&wallet_provider(anvil, 0), operator, &params, 1)
        .await
        .expect("the root chain deploys")
}
