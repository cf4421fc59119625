#!/usr/bin/env bash
# Diagnostic: importing ANCT's 2,845 France services (then again, as updates), drawing a territory map of 5,000
# markers (time, SVG size), serving that territory's whole page (map, table, network readings) over HTTP, and the
# France services' map once public: its page for a visitor and its GeoJSON by the API (wrk, 32 connections).
# Usage: bash bench/diagnostic.sh [MARKERS]   (PORT=18083)
set -euo pipefail
port="${PORT:-18083}"
markers="${1:-5000}"
# One address sends every request here: the API's quota per address would measure itself, not the server.
export ENCOMMUN_API_REQUESTS_PER_MINUTE=0
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

# The 2,845 France services' map made public by the agency: its page for a visitor (no session), its GeoJSON by the
# API, and the API's answer under 32 connections.
curl -fs -o /dev/null -H "Cookie: $cookie" --data-urlencode "csrf_token=$csrf" --data-urlencode "publique=oui" \
  "$fs_page/carte-publique"
public_page="$base/projets/$project/cartes/$angouleme"
map_id=$(curl -fs "$base/api/v1/maps?limit=100" | python3 -c "import json, sys; print(next(m['id'] for m in json.load(sys.stdin)['data'] if m['url'] == '/projets/$project/cartes/$angouleme'))")
median_of_7() { for _ in 1 2 3 4 5 6 7; do curl -fs -o "$data/out" -w '%{time_total}\n' "$@"; done | sort -n | sed -n 4p; }
page_time=$(median_of_7 -H 'Accept-Encoding: br' "$public_page")
page_size=$(kb "$(weigh "$public_page" -H 'Accept-Encoding: br')")
api_time=$(median_of_7 "$base/api/v1/maps/$map_id")
api_size=$(kb "$(stat -c %s "$data/out")")
api_gzip=$(kb "$(weigh "$base/api/v1/maps/$map_id" -H 'Accept-Encoding: gzip')")
features=$(python3 -c "import json; print(len(json.load(open('$data/out'))['features']))")
out=$(wrk -t2 -c32 -d10s --latency "$base/api/v1/maps/$map_id")
rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
errors=$(awk '/Non-2xx or 3xx responses:/ { n += $5 } END { print n + 0 }' <<<"$out")
echo "carte publique des France services : page ${page_time} s (médiane de 7), ${page_size} Ko en brotli ; API GeoJSON ${api_time} s, ${features} points, ${api_size} Ko (${api_gzip} Ko en gzip) ; wrk 32 connexions 10 s : ${rps} requêtes/s, p99 ${p99}, ${errors} erreurs ; mémoire du serveur $(rss) Mo (pic $(rss VmHWM) Mo)"
