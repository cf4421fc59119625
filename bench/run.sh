#!/usr/bin/env bash
# Load benchmark of the release binary on SQLite with every French territory imported.
# Prints a Markdown table (requests/s, p50, p99, errors, ratio to a static asset of the same binary) and the
# server's memory. Usage: bash bench/run.sh   (DURATION=10 CONNECTIONS=32 PORT=18080)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
port="${PORT:-18080}"
base="http://127.0.0.1:$port"
bin="${CARGO_TARGET_DIR:-$root/target}/release/encommun"
territories="$root/../shared/data/territories"

command -v wrk >/dev/null || { echo "wrk manque : apt-get install wrk" >&2; exit 1; }
(cd "$root" && cargo build --release --locked --quiet)

data="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
export ENCOMMUN_DATA_DIR="$data" ENCOMMUN_LISTEN="127.0.0.1:$port" ENCOMMUN_BASE_URL="$base" RUST_LOG=warn
unset ENCOMMUN_DATABASE_URL

import_note="données de démonstration seules"
if [ -d "$territories" ]; then
  start=$(date +%s.%N)
  "$bin" import-territories "$territories"/regions.json "$territories"/departements.json \
    "$territories"/epci-2026.json "$territories"/communes-2026.csv >/dev/null 2>&1
  import_note="$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "import des 36 359 territoires officiels : %.2f s", e - s }')"
fi

"$bin" demo >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "$base/healthz" >/dev/null || { echo "le serveur ne répond pas" >&2; exit 1; }
sleep 2
rss() { awk -v k="$1" '$1 == k":" { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }
idle_rss=$(rss VmRSS)

# A logged-in session (cookie jar) and its CSRF token, for the authenticated page and the write path.
jar="$data/cookies"
token() { curl -fs -b "$jar" -c "$jar" "$base$1" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4; }
csrf=$(token /connexion)
curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf_token=$csrf" \
  --data-urlencode "email=agence@demo.encommun.fr" --data-urlencode "password=encommun-demo-2026" "$base/connexion"
csrf=$(token /compte)
cookie="encommun=$(awk '$6 == "encommun" { print $7 }' "$jar")"

cat > "$data/write.lua" <<LUA
wrk.method = "POST"
wrk.body = "csrf_token=$csrf&display_name=Claire+Dubois"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$cookie"
LUA

results=()
measure() { # label path [wrk options...]
  local label="$1" path="$2"; shift 2
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$base$path")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ { n += $5 } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
  results+=("$label|$path|$rps|$p50|$p99|$errors")
}

measure "ressource statique (plafond)" "/assets/style.css"
measure "accueil" "/"
measure "recherche (toutes les communes)" "/collectivites?q=chatellerault"
measure "fiche territoire" "/territoires/epci/248600413"
measure "santé (requête base)" "/healthz"
measure "page connectée" "/compte" -H "Cookie: $cookie"
measure "écriture (changer de nom)" "/compte/nom" -s "$data/write.lua"
loaded_rss=$(rss VmRSS)
peak_rss=$(rss VmHWM)

ceiling=$(cut -d'|' -f3 <<<"${results[0]}")
echo "| cible | chemin | requêtes/s | p50 | p99 | erreurs | rapport au statique |"
echo "|---|---|---:|---:|---:|---:|---:|"
for row in "${results[@]}"; do
  IFS='|' read -r label path rps p50 p99 errors <<<"$row"
  ratio=$(awk -v r="$rps" -v c="$ceiling" 'BEGIN { printf "%.2f", r / c }')
  echo "| $label | \`$path\` | $rps | $p50 | $p99 | $errors | $ratio |"
done
echo
echo "Mémoire du serveur (RSS) : au repos $idle_rss Mio, après la charge $loaded_rss Mio, pic $peak_rss Mio."
echo "Base : SQLite ($import_note). wrk -t2 -c$connections -d${duration}s, serveur et wrk sur la même machine."
echo "Machine : $(nproc) cœurs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }'), $(free -g | awk '/Mem:/ { print $2 }') Gio ; $(date -u +%Y-%m-%d)."
