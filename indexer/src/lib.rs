//! Independent indexer and watchtower that serves exit proofs over REST.
//!
//! It follows the root chain's events after a confirmation margin ([`follower`]), fetches
//! every child block from the operator's data-availability feed ([`feed`]), checks it
//! against the committed root and its own UTXO set ([`verify`], [`checker`]), stores
//! everything in SQLite or Postgres ([`store`]), raises byzantine events and challenges invalid exits
//! ([`watchtower`]), and serves exit and challenge data over HTTP ([`api`]).
//! docs/INDEXER.md describes the design.

pub mod api;
#[cfg(feature = "bench")]
pub mod bench;
pub mod checker;
pub mod config;
pub mod feed;
pub mod follower;
pub mod health;
pub mod inflight;
pub mod metrics;
pub mod proofs;
pub mod replica;
pub mod service;
pub mod store;
pub mod verify;
pub mod watchtower;

pub use config::{Args, Role};
pub use service::{Service, run, start};
