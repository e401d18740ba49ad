#!/usr/bin/env bash
# Property-based API fuzzing (issue 14): schemathesis, pinned with every dependency in
# tools/fuzz/requirements.txt and installed into target/fuzz-venv, over every operation
# of both services' OpenAPI documents as they serve them, on a devnet (real anvil, the
# real operator and indexer binaries). Exits non-zero when schemathesis finds a server
# error, an answer its document does not allow, a schema-valid request rejected or an
# invalid one accepted (tools/fuzz/schemathesis.toml lists the reasoned exceptions).
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

# anvil on a free port P, the operator on P + 5 and the indexer on P + 6.
port="${FUZZ_PORT:-$(python3 - <<'PY'
import random, socket
for _ in range(100):
    base = random.randrange(20000, 60000)
    try:
        for p in (base, base + 5, base + 6):
            with socket.socket() as s:
                s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(base)
    break
PY
)}"
dir="$target/fuzz-devnet"
rm -rf "$dir" && mkdir -p "$dir"
"$target/debug/plasma" devnet --data-dir "$dir" --port "$port" >"$dir.log" 2>&1 &
devnet=$!
trap 'kill "$devnet" 2>/dev/null || true; wait "$devnet" 2>/dev/null || true' EXIT
operator="http://127.0.0.1:$((port + 5))"
indexer="http://127.0.0.1:$((port + 6))"
for _ in $(seq 1 120); do
  kill -0 "$devnet" 2>/dev/null || { cat "$dir.log" >&2; echo "fuzz: the devnet died" >&2; exit 1; }
  if curl -sf "$operator/health" >/dev/null && curl -sf "$indexer/health" >/dev/null; then
    break
  fi
  sleep 0.5
done
curl -sf "$operator/health" >/dev/null && curl -sf "$indexer/health" >/dev/null \
  || { cat "$dir.log" >&2; echo "fuzz: the devnet is not healthy" >&2; exit 1; }

seed="${FUZZ_SEED:-$RANDOM$RANDOM}"
failed=0
for url in "$operator" "$indexer"; do
  echo "fuzz: $url (seed $seed)"
  "$venv/bin/schemathesis" --config-file tools/fuzz/schemathesis.toml --no-color run "$url/openapi.json" \
    --url "$url" --checks all --max-examples "${FUZZ_MAX_EXAMPLES:-40}" --seed "$seed" \
    || failed=1
done
exit "$failed"
