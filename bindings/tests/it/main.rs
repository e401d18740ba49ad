//! Integration tests of plasma-bindings against a real anvil: deployment through the
//! bindings, and the cross-language property test (Rust core vs the Solidity libraries
//! behind `CoreHarness`).

mod cross_language;
mod deploy;
mod signing;
