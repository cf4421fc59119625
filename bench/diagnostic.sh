#!/usr/bin/env bash
# Diagnostic: importing ANCT's 2,845 France services (then again, as updates), drawing a territory map of 5,000
# markers (time, SVG size), and serving that territory's whole page (map, table, network readings) over HTTP.
# Usage: bash bench/diagnostic.sh [MARKERS]   (PORT=18083)
set -euo pipefail
port="${PORT:-18083}"
markers="${1:-5000}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
shared="$root/../shared/data"
(cd "$root" && cargo build --release --locked --quiet --example diagnostic)
fixture="${CARGO_TARGET_DIR:-$root/target}/release/examples/diagnostic"
db="$data/encommun.sqlite3"

start_server
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
"$bin" import-territories "$shared"/territories/{regions.json,departements.json,epci-2026.json,communes-2026.csv} >/dev/null
"$bin" import-boundaries "$shared/boundaries/communes-6-departements.geojson" "$shared/boundaries/epci-6-departements-dissolved.geojson" >/dev/null
output="$("$fixture" "$db" "$shared" "$markers")"
echo "$output" | head -n -1
read -r project collectivity angouleme < <(echo "$output" | tail -n 1)

start_server
open_session
page="$base/projets/$project/diagnostic/$collectivity"
times=()
for _ in 1 2 3 4 5 6 7; do
  times+=("$(curl -fs -o "$data/page.html" -w '%{time_total}' -H "Cookie: $cookie" "$page")")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 4p)
size=$(du -k "$data/page.html" | cut -f1)
filtered=$(curl -fs -o "$data/filtered.html" -w '%{time_total}' -H "Cookie: $cookie" "$page?type=space&domaine=citizen")
echo "page du territoire ($markers fiches + les autres) : médiane ${median} s sur 7, ${size} Ko ; filtrée (espaces, engagement citoyen) ${filtered} s, $(du -k "$data/filtered.html" | cut -f1) Ko ; mémoire du serveur $(rss) Mo (pic $(rss VmHWM) Mo)"

# Page weight: the territory holding the 2,845 France services (Grand Angoulême, where they were imported), as sent
# with each encoding a browser may accept (the binary compresses: web::middleware::compress), and its table's page 2.
fs_page="$base/projets/$project/diagnostic/$angouleme"
weigh() { curl -fs -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "${@:2}" "$1"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1024 }'; }
plain=$(weigh "$fs_page")
gzipped=$(weigh "$fs_page" -H 'Accept-Encoding: gzip')
brotli=$(weigh "$fs_page" -H 'Accept-Encoding: br')
second=$(weigh "$fs_page?page=2" -H 'Accept-Encoding: gzip, deflate, br, zstd')
echo "page des 2 845 France services : $(kb "$plain") Ko sans compression, $(kb "$gzipped") Ko en gzip, $(kb "$brotli") Ko en brotli ; page 2 du tableau $(kb "$second") Ko (brotli)"
