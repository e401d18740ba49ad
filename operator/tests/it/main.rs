//! Operator integration tests: real HTTP over loopback, real SQLite files, real anvil
//! with the real contracts, and the real `plasma-operator` binary killed with SIGKILL.

mod api;
mod chain;
mod chain_env;
mod common;
mod crash;
mod exits;
mod health;
mod inflight;
mod reorg;
mod restart;
mod sqlx_data;
mod storage;
