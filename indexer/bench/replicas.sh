#!/usr/bin/env bash
# Exit-data load test: SQLite, then one and two Postgres API replicas, in one run
# (docs/INDEXER.md "Benchmarks"). Needs the release build, `wrk`, and the two databases
# of `plasma-indexer-bench gen-db` (same --txs): SQLite in $SQLITE_DIR/indexer.sqlite,
# Postgres at $PG_URL. Two replicas: one wrk per replica (wrk takes one URL), each with
# half the connections, run at the same time; their req/s are summed, their p99 shown.
set -euo pipefail
: "${BIN:?release dir}" "${SQLITE_DIR:?}" "${PG_URL:?}" "${DEPLOYMENT:?}"
SECS=${SECS:-15} CONNS=${CONNS:-8}
LUA=$(dirname "$0")/exit-data.lua
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap stop EXIT
start() { # port, database flags...
  local port=$1; shift
  "$BIN/plasma-indexer" --rpc-url http://127.0.0.1:9 --deployment "$DEPLOYMENT" \
    --operator-url http://127.0.0.1:9 --listen "127.0.0.1:$port" "$@" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break || sleep 0.1; done
  for b in $(seq 1 16); do curl -s -o /dev/null "http://127.0.0.1:$port/v1/outputs/${b}000000000000/exit-data"; done
}
load() { # label, connections, ports...
  local label=$1 conns=$2; shift 2
  echo "== $label ($(cut -d' ' -f1-3 /proc/loadavg))"
  local outs=()
  for port in "$@"; do
    out=$(mktemp); outs+=("$out")
    wrk -t1 -c"$conns" -d"${SECS}s" --latency -s "$LUA" "http://127.0.0.1:$port" >"$out" &
  done
  wait $(jobs -p | tail -n $#)
  local total=0
  for out in "${outs[@]}"; do
    rps=$(awk '/Requests\/sec/ {print $2}' "$out"); p99=$(awk '$1=="99%" {print $2}' "$out")
    echo "   $rps req/s, p99 $p99"; total=$(echo "$total + $rps" | bc); rm -f "$out"
  done
  echo "   total $total req/s"
}
start 18601 --data-dir "$SQLITE_DIR"
load "sqlite, one process" "$CONNS" 18601
stop
start 18602 --database-url "$PG_URL" --role api
load "postgres, one api replica" "$CONNS" 18602
start 18603 --database-url "$PG_URL" --role api
load "postgres, two api replicas" $((CONNS / 2)) 18602 18603
