#!/usr/bin/env bash
# Property-based API fuzzing (issue 14): schemathesis, pinned with every dependency in
# tools/fuzz/requirements.txt and installed into target/fuzz-venv, over every operation
# of both services' OpenAPI documents as they serve them, on a devnet (real anvil, the
# real operator and indexer binaries), then on an API replica of the indexer on Postgres
# (a devnet with `--indexer-db postgres`). Exits non-zero when schemathesis finds a
# server error, an answer its document does not allow, a schema-valid request rejected
# or an invalid one accepted (tools/fuzz/schemathesis.toml lists the reasoned exceptions).
#
# Needs `cargo build` first (target/debug/plasma, plasma-operator, plasma-indexer).
# FUZZ_MAX_EXAMPLES (default 40) and FUZZ_SEED (default: random, printed) tune a run.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}"
venv="$target/fuzz-venv"
requirements=tools/fuzz/requirements.txt
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  "$venv/bin/pip" check --disable-pip-version-check
  cp "$requirements" "$venv/requirements.txt"
fi

# A free base port P: anvil on P, the operator on P + 5, the indexer on P + 6 (on a
# Postgres devnet: the first API replica on P + 6, the writer and the second replica on
# P + 7 and P + 8). Below the kernel's ephemeral range, so that no outgoing connection
# (the services' own clients of anvil and Postgres) can take one of them between this
# check and the service's bind.
free_port() {
  python3 - <<'PY'
import random, socket
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    ephemeral = int(f.read().split()[0])
for _ in range(100):
    base = random.randrange(10000, ephemeral - 8)
    try:
        for p in (base, base + 5, base + 6, base + 7, base + 8):
            with socket.socket() as s:
                s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(base)
    break
PY
}

devnet=""
trap 'if [ -n "$devnet" ]; then kill "$devnet" 2>/dev/null || true; wait "$devnet" 2>/dev/null || true; fi' EXIT

# Starts a devnet (extra `plasma devnet` flags in "$@") into "$target/fuzz-devnet-$1",
# waits until the operator and indexer at $operator and $indexer are healthy.
start_devnet() {
  local name="$1"
  shift
  port="$(free_port)"
  dir="$target/fuzz-devnet-$name"
  rm -rf "$dir" && mkdir -p "$dir"
  "$target/debug/plasma" devnet --data-dir "$dir" --port "$port" "$@" >"$dir.log" 2>&1 &
  devnet=$!
  operator="http://127.0.0.1:$((port + 5))"
  indexer="http://127.0.0.1:$((port + 6))"
  for _ in $(seq 1 120); do
    kill -0 "$devnet" 2>/dev/null || { cat "$dir.log" >&2; echo "fuzz: the devnet died" >&2; exit 1; }
    if curl -sf "$operator/health" >/dev/null && curl -sf "$indexer/health" >/dev/null; then
      return
    fi
    sleep 0.5
  done
  curl -sf "$operator/health" >/dev/null && curl -sf "$indexer/health" >/dev/null \
    || { cat "$dir.log" >&2; echo "fuzz: the devnet is not healthy" >&2; exit 1; }
}

stop_devnet() {
  kill "$devnet" 2>/dev/null || true
  wait "$devnet" 2>/dev/null || true
  devnet=""
}

seed="${FUZZ_SEED:-$RANDOM$RANDOM}"
failed=0
fuzz() {
  echo "fuzz: $1 $2 (seed $seed)"
  "$venv/bin/schemathesis" --config-file tools/fuzz/schemathesis.toml --no-color run "$2/openapi.json" \
    --url "$2" --checks all --max-examples "${FUZZ_MAX_EXAMPLES:-40}" --seed "$seed" \
    || failed=1
}

# The default devnet: the operator, and the indexer on SQLite running every role.
start_devnet sqlite
fuzz operator "$operator"
fuzz "indexer (sqlite)" "$indexer"
stop_devnet

# The indexer on Postgres: an API replica (read-only, the writer's report in its status;
# the writer serves only health, metrics and status).
start_devnet postgres --indexer-db postgres
fuzz "indexer api replica (postgres)" "$indexer"
stop_devnet
exit "$failed"
