//! The workspace's service binaries, as the tests start them: next to the test binary's
//! directory (built with `cargo build -p <name>`) or at the path in an environment
//! variable (see [`plasma_service::locate::sibling_bin`]).

use std::path::PathBuf;

/// The binary `name`, or `$env_var`; panics with how to build it when it is missing.
pub fn sibling_bin(name: &str, env_var: &str) -> PathBuf {
    plasma_service::locate::sibling_bin(name, env_var).unwrap_or_else(|e| panic!("{e}"))
}

/// The `plasma-operator` binary (`$PLASMA_OPERATOR_BIN` overrides).
pub fn operator_bin() -> PathBuf {
    sibling_bin("plasma-operator", "PLASMA_OPERATOR_BIN")
}

/// The `plasma-indexer` binary (`$PLASMA_INDEXER_BIN` overrides).
pub fn indexer_bin() -> PathBuf {
    sibling_bin("plasma-indexer", "PLASMA_INDEXER_BIN")
}
