//! Client library of the Plasma toolkit: typed HTTP clients of the operator and the
//! indexer ([`api`]), root-chain access ([`chain`]), deploying the root chain
//! ([`deploy`]), and what a user does — deposit, pay, exit, challenge, process: the
//! root-chain calls in [`user`], the whole flows through a connection to a deployed
//! system ([`Ctx`]) in [`wallet`], read-only views in [`query`], in-flight exits (MoreVP) in [`inflight`], the wallet's journal of
//! signed transactions in [`journal`], the user's open business in [`mine`], and
//! the user-side watcher that takes the funds out when something is wrong in [`watch`].
//!
//! The `plasma` CLI, the devnet (`plasma-devnet`), the cost report and the end-to-end
//! tests all go through these functions. Nothing here parses a command line or prints:
//! progress goes to `tracing`.

pub mod api;
pub mod chain;
pub mod ctx;
pub mod deploy;
pub mod inflight;
pub mod journal;
pub mod mine;
pub mod query;
pub mod user;
pub mod wallet;
pub mod watch;

pub use ctx::Ctx;
pub use deploy::{DeployParams, deploy_root_chain, deploy_with_key};
