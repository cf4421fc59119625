#!/usr/bin/env bash
# Action plans at scale: TERRITORIES communes each with an adopted plan of ACTIONS actions × INDICATORS indicators ×
# MEASUREMENTS monthly measurements. Measures one plan's working page, its public page and its XLSX export (time,
# size), the project's comparison of the territories' plans, and the server's peak memory.
# Usage: bash bench/plans.sh   (TERRITORIES=10 ACTIONS=200 INDICATORS=5 MEASUREMENTS=24 PORT=18084)
set -euo pipefail
territories="${TERRITORIES:-10}"
actions="${ACTIONS:-200}"
indicators="${INDICATORS:-5}"
measurements="${MEASUREMENTS:-24}"
port="${PORT:-18084}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
(cd "$root" && cargo build --release --locked --quiet --example seed_plans)
seed="${CARGO_TARGET_DIR:-$root/target}/release/examples/seed_plans"

start_server
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
read -r plan comparison seeded < <("$seed" "$data/encommun.sqlite3" "$territories" "$actions" "$indicators" "$measurements")
public="${plan/\/plan\//\/plans\/}"
start_server
sleep 1
open_session

timed() { curl -fs -o "$data/$2" -w '%{time_total}' -H "Cookie: $cookie" "$base$1"; }
size() { du -k "$data/$1" | cut -f1; }
echo "seeded: $territories plans × $actions actions × $indicators indicators × $measurements measurements ($((territories * actions * indicators * measurements)) measurements) in ${seeded} s"
cold=$(timed "$plan" plan.html); warm=$(timed "$plan" plan.html)
echo "plan page: cold ${cold} s, warm ${warm} s, $(size plan.html) kB of HTML"
cold=$(timed "$public" public.html); warm=$(timed "$public" public.html)
echo "public roadmap (charts and tables of every indicator): cold ${cold} s, warm ${warm} s, $(size public.html) kB of HTML"
cold=$(timed "$plan/plan.xlsx" plan.xlsx); warm=$(timed "$plan/plan.xlsx" plan.xlsx)
echo "XLSX export: cold ${cold} s, warm ${warm} s, $(size plan.xlsx) kB"
cold=$(timed "$plan/plan.csv" plan.csv)
echo "CSV export: ${cold} s, $(size plan.csv) kB"
cold=$(timed "$comparison" comparison.html); warm=$(timed "$comparison" comparison.html)
echo "comparison of $territories territories: cold ${cold} s, warm ${warm} s, $(size comparison.html) kB of HTML"
echo "peak memory of the server: $(rss VmHWM) MB"
