#!/usr/bin/env bash
# Load benchmark of the release binary on SQLite with every French territory imported.
# Prints a Markdown table (requests/s, p50, p99, errors, ratio to a static asset of the same binary) and the
# server's memory. Usage: bash bench/run.sh   (DURATION=10 CONNECTIONS=32 PORT=18080)
set -euo pipefail
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
port="${PORT:-18080}"
territories="$(cd "$(dirname "$0")/.." && pwd)/../shared/data/territories"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

import_note="données de démonstration seules"
if [ -d "$territories" ]; then
  start=$(date +%s.%N)
  "$bin" import-territories "$territories"/regions.json "$territories"/departements.json \
    "$territories"/epci-2026.json "$territories"/communes-2026.csv >/dev/null 2>&1
  import_note="$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "import des 36 359 territoires officiels : %.2f s", e - s }')"
fi

start_server
sleep 2
idle_rss=$(rss)
open_session

# One Lua script per write path: a form POST with the session cookie and its CSRF token.
post_script() { # file body
  cat > "$data/$1" <<LUA
wrk.method = "POST"
wrk.body = "csrf_token=$csrf&$2"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$cookie"
LUA
}
post_script name.lua "display_name=Claire+Dubois"
post_script invite.lua "email=charge%40exemple.fr&function=agent"
post_script login.lua "email=agence%40demo.encommun.fr&password=encommun-demo-2026"

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
measure "écriture : changer de nom" "/compte/nom" -s "$data/name.lua"
measure "écriture : invitation (base + courriel)" "/territoires/epci/246800726/invitations" -s "$data/invite.lua"
measure "écriture : connexion (argon2id)" "/connexion" -s "$data/login.lua"
loaded_rss=$(rss)
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
