//! Integration tests of the indexer: real SQLite files, real HTTP over loopback, real
//! anvil with the real contracts for the root-chain scenarios.

mod api;
mod chain;
mod checker;
mod exits;
mod helpers;
mod operator;
mod reorg;
mod sqlx_data;
mod watchtower;
