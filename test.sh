#!/usr/bin/env bash
# Runs every test of the project: contracts (forge, with the gas snapshot check), the
# generated-file drift checks, and every Rust crate (unit, integration against real
# anvil, end-to-end over loopback HTTP). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")"
source tools/setup.sh

# Each step prints the seconds the previous ones took, so a slow CI run shows where.
step() { printf '\n==> [%ss] %s\n' "$SECONDS" "$*" >&2; }
for tool in fmt clippy; do
  cargo "$tool" --version >/dev/null 2>&1 \
    || { echo "test.sh: cargo $tool is missing: rustup component add rustfmt clippy" >&2; exit 1; }
done

step "forge build"
# forge exits 0 even when the compiler crashes (solcjs out of heap): judge its output.
build_out="$(forge build --sizes 2>&1)" || { printf '%s\n' "$build_out" >&2; exit 1; }
printf '%s\n' "$build_out"
if printf '%s\n' "$build_out" | grep -qE 'Error: solc|Compiler run failed|RuntimeError'; then
  echo "test.sh: forge build failed" >&2; exit 1
fi

step "forge test (profile ${FOUNDRY_PROFILE:-default})"
forge test --no-match-path 'solidity/test/fork/*'

step "gas snapshot check (whole-transaction gas, 1,000 exits queued)"
FOUNDRY_PROFILE=gas FORGE_SNAPSHOT_CHECK=true forge snapshot --check --match-path 'solidity/test/gas/*'

# One build of every crate and target: the CLI below and `cargo test` reuse it (a
# `cargo run -p` per tool would resolve other feature sets and rebuild alloy).
step "cargo build (workspace, all targets)"
cargo build --quiet --workspace --all-targets

# Its own feature set on purpose: foundry-compilers turns on serde_json's
# arbitrary_precision, which must not leak into the services' JSON.
step "bindings drift check (foundry-compilers rebuild vs committed artifacts)"
cargo run --quiet -p plasma-bindings --features gen --bin bindings-gen -- --check

step "forked-mainnet tests (MAINNET_RPC_URL, else a local mainnet stand-in)"
target/debug/plasma fork-test

step "lints: rustfmt, clippy (warnings are errors), forge fmt"
cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets --all-features -- -D warnings
# `forge fmt --check` exits 0 even when it prints a diff (forge 1.7.1): judge its output.
fmt_diff="$(forge fmt --check 2>&1)"
[ -z "$fmt_diff" ] || { printf '%s\n' "$fmt_diff" | head -40 >&2; echo "test.sh: Solidity is not formatted: run forge fmt" >&2; exit 1; }

step "cargo test"
cargo test --workspace --all-targets

# Needs python3 (venv, pip from PyPI) and curl; schemathesis and its dependencies are
# pinned in tools/fuzz/requirements.txt.
step "property-based API fuzzing (schemathesis: both services on a devnet, then an indexer API replica on Postgres)"
tools/fuzz.sh

# The indexer's integration suite again on its second backend: a throwaway Postgres
# server from the pinned npm package, one database per test (docs/INDEXER.md).
step "indexer integration tests on Postgres (PLASMA_TEST_DB=postgres)"
# (roles:: and pg_types:: always run on Postgres, in the pass above, as does the
# explain test binary.)
PLASMA_TEST_DB=postgres cargo test -p plasma-indexer --test it -- --skip roles:: --skip pg_types::

step "every test passed"
