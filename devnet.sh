#!/usr/bin/env bash
# Starts a local devnet: anvil, the contracts, the operator and the indexer, with a few
# funded development accounts. Ctrl-C stops everything. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")"
source tools/setup.sh
cargo build --release -p plasma-operator -p plasma-indexer -p plasma
exec target/release/plasma devnet "$@"
