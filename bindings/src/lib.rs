//! Typed alloy bindings for the root-chain contracts, generated from the Foundry build.
//!
//! `bindings/artifacts/*.json` are trimmed Foundry artifacts (ABI, creation and runtime
//! bytecode) written by `cargo run -p plasma-bindings --features gen --bin bindings-gen`
//! from `solidity/src`; `--check` fails when they are stale. Each contract type carries
//! its bytecode, so the exit-game modules and `RootChain::deploy(provider, operator,
//! standardExitGame, inFlightExitGame)` deploy from Rust (`test_utils::deploy_root_chain`). The RootChain binding
//! carries the whole `IRootChain` ABI (its exit games' functions are served through
//! DELEGATECALL).

#[cfg(feature = "gen")]
pub mod generate;

mod contracts;
pub mod deployment;
pub mod signing;
#[cfg(feature = "test-utils")]
pub mod test_utils;

pub use contracts::{
    CoreHarness, ERC20Mock, FeeOnTransferToken, IInFlightExitTypes, InFlightExitChallenges,
    InFlightExitGame, NoBoolToken, RootChain, StandardExitGame,
};
pub use deployment::{Deployment, DeploymentError};
