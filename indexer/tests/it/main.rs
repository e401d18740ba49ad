//! Integration tests of the indexer: real SQLite files, real HTTP over loopback, real
//! anvil with the real contracts for the root-chain scenarios.

mod api;
mod api_inflight;
mod chain;
mod challenge_reorg;
mod checker;
mod exits;
mod health;
mod helpers;
mod inflight;
mod operator;
mod reorg;
mod sqlx_data;
mod watchtower;
