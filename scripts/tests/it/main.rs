//! End-to-end tests of the whole system: a real anvil, the real `plasma-operator` and
//! `plasma-indexer` binaries as child processes (from `target/<profile>/`, built by
//! `cargo build -p plasma-operator -p plasma-indexer`; a missing binary fails the test with
//! that command), loopback HTTP, and the `plasma` binary itself for the devnet smoke run.

mod cli;
mod exited_spend;
mod forge_deploy;
mod fork;
mod harness;
mod honest;
mod inflight_kit;
mod inflight_user;
mod inflight_watchtower;
mod invalid_block;
mod mass_exit;
mod mass_withholding;
mod soak;
mod spent_exit;
