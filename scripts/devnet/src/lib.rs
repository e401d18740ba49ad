//! Devnet process control: the whole system on one machine as real child processes.
//!
//! [`procs`] starts, waits for and stops a process (anvil, `plasma-operator`,
//! `plasma-indexer`), finds free ports and the sibling binaries; [`stack`] brings up
//! anvil, the contracts, a funded mock token and both services ([`pg_indexers`]: the
//! indexer on Postgres as a writer and two API replicas); [`standin`] is the local
//! mainnet the fork tests run against; [`smoke`] proves a running system works with one
//! deposit and one transfer. `plasma devnet`, `plasma fork-test`, `plasma cost-report`
//! and the end-to-end tests use it; [`soak`] runs it under traffic and faults and audits
//! the result (`plasma soak`).

pub mod indexers;
pub mod pg_indexers;
pub mod procs;
pub mod smoke;
pub mod soak;
pub mod stack;
pub mod standin;

pub use indexers::IndexerDb;
pub use procs::{ProcError, Service, free_port, spawn_anvil};
pub use stack::{Endpoints, Stack, StackConfig};
