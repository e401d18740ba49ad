//! Helpers the test trees of the workspace share; a dev-dependency only, never shipped.
//!
//! - [`net`]: free loopback ports; [`bins`]: the built service binaries.
//! - [`keys`]: anvil's well-known development keys and fixed test keys.
//! - [`signing`]: the chain-free EIP-712 domain and signed payments.
//! - [`chain`]: a real anvil, wallet providers on it, and deploying the root chain.
//! - [`disk`]: a tmpfs that fills up, for storage-failure tests.

pub mod bins;
pub mod chain;
pub mod disk;
pub mod keys;
pub mod net;
pub mod signing;

pub use bins::{indexer_bin, operator_bin};
pub use keys::{DEV_KEYS, dev_signer, fixed_key, key_hex};
pub use net::free_port;
pub use signing::{TEST_CHAIN_ID, eth, signed_payment, test_domain, test_root_chain};
