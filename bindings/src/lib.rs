//! Typed alloy bindings for the root-chain contracts, generated from the Foundry build.
