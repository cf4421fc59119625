#!/usr/bin/env bash
# Two builds side by side on the pages visitors get from the page cache: the public form page, /themes, and a static
# asset (no database, the same middleware), wrk -t1 as in issue 14, each build in turn, ROUNDS times, on one SQLite
# database with a 10-question questionnaire (bench/seed_responses.rs). Alternating the builds makes the comparison
# fair on a machine whose speed drifts.
# Usage: bash bench/cache_ab.sh BEFORE_BINARY AFTER_BINARY   (DURATION=5 ROUNDS=2 CONNECTIONS=32 PORT=18093)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage : bash bench/cache_ab.sh BINAIRE_AVANT BINAIRE_APRÈS" >&2; exit 1; }
builds=("$1" "$2")
port="${PORT:-18093}"
BENCH_BIN="$1"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
(cd "$root" && cargo build --release --locked --quiet --example seed_responses)
seed="${CARGO_TARGET_DIR:-$root/target}/release/examples/seed_responses"
start_server
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
read -r _ token _ < <("$seed" "$data/encommun.sqlite3" 10 0)

echo "| tour | build | /q/{token} | /themes | /assets/style.css |"
echo "|---|---|---:|---:|---:|"
for round in $(seq 1 "${ROUNDS:-2}"); do
  for build in "${builds[@]}"; do
    bin="$build"
    start_server
    sleep 1
    row="| $round | \`$build\` |"
    for path in "/q/$token" /themes /assets/style.css; do
      curl -fs -o /dev/null "$base$path"
      out=$(wrk -t1 -c"${CONNECTIONS:-32}" -d"${DURATION:-5}s" --latency "$base$path")
      row="$row $(awk '/^Requests\/sec:/ { print $2 }' <<<"$out") (p99 $(awk '$1 == "99%" { print $2 }' <<<"$out")) |"
    done
    echo "$row"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  done
done
echo
echo "wrk -t1 -c${CONNECTIONS:-32} -d${DURATION:-5}s ; machine : $(nproc) cœurs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }') ; charge $(cut -d' ' -f1 /proc/loadavg) ; $(date -u +%Y-%m-%d)."
