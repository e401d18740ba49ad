//! Typed alloy bindings for the root-chain contracts, generated from the Foundry build.
//!
//! `bindings/artifacts/*.json` are trimmed Foundry artifacts (ABI, creation and runtime
//! bytecode) written by `cargo run -p plasma-bindings --features gen --bin bindings-gen`
//! from `solidity/src`; `--check` fails when they are stale. Each contract type carries
//! its bytecode, so `RootChain::deploy(provider, operator, minExitPeriod, exitBond,
//! processBounty)` deploys from Rust.

#[cfg(feature = "gen")]
pub mod generate;

mod contracts;
pub mod deployment;
#[cfg(feature = "test-utils")]
pub mod test_utils;

pub use contracts::{CoreHarness, ERC20Mock, FeeOnTransferToken, NoBoolToken, RootChain};
pub use deployment::{Deployment, DeploymentError};
