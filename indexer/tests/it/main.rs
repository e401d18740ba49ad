//! Integration tests of the indexer: real SQLite files (or Postgres databases with
//! `PLASMA_TEST_DB=postgres`, see `backend`), real HTTP over loopback, real
//! anvil with the real contracts for the root-chain scenarios.

mod api;
mod api_inflight;
mod backend;
mod chain;
mod challenge_reorg;
mod checker;
mod exits;
mod health;
mod helpers;
mod inflight;
mod inflight_list;
mod operator;
mod pg_types;
mod positions;
mod reorg;
mod roles;
mod sqlx_data;
mod watchtower;
