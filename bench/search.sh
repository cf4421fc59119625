#!/usr/bin/env bash
# Searching the platform and reading its public API at scale: the demo plus COUNT published resources (half
# experience reports, half directory entries: bench/seed_resources.rs, through the storage functions the web uses, so
# the search triggers index them), then wrk on /recherche (a common word — thousands of matches ranked —, three
# words, a filtered search, a word found nowhere) and on the API's lists, beside the static asset as the ceiling.
# Usage: bash bench/search.sh   (COUNT=10000 DURATION=10 CONNECTIONS=32 PORT=18086)
set -euo pipefail
count="${COUNT:-10000}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
port="${PORT:-18086}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
# One address sends every request here: the API's quota per address would measure itself, not the server.
export ENCOMMUN_API_REQUESTS_PER_MINUTE=0
(cd "$root" && cargo build --release --locked --quiet --example seed_resources)

start_server
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
seed=$("${CARGO_TARGET_DIR:-$root/target}/release/examples/seed_resources" "$data/encommun.sqlite3" "$count")
start_server
sleep 1

results=()
measure() { # label path
  local label="$1" path="$2" out rps p50 p99 errors
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$base$path")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ { n += $5 } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
  results+=("$label|$path|$rps|$p50|$p99|$errors")
}
matches() { curl -fs "$base$1" | grep -o '<h2 id="resultats">[^<]*' | sed 's/.*>//'; }

measure "ressource statique (plafond)" "/assets/style.css"
measure "un mot courant" "/recherche?q=concertation"
measure "trois mots" "/recherche?q=budget+participatif+jeunes"
measure "filtré (annuaire, un département)" "/recherche?q=concertation&type=annuaire&territoire=86"
measure "un mot sans résultat" "/recherche?q=zeppelin"
measure "deuxième page d’un mot courant" "/recherche?q=concertation&page=2"
measure "API : thèmes (20)" "/api/v1/themes"
measure "API : projets (avec frise et inscrites)" "/api/v1/projects"
measure "API : retours d’expérience (100)" "/api/v1/reports?limit=100"
measure "API : retours, 100 après le 4 000e" "/api/v1/reports?limit=100&cursor=c334"
measure "API : annuaire (100)" "/api/v1/directory?limit=100"
measure "API : plans adoptés" "/api/v1/plans"

read -r seconds reports entries <<<"$seed"
echo "Préparation : $reports retours d’expérience et $entries fiches de l’annuaire écrits et indexés en $seconds s"
echo "Résultats : « concertation » $(matches '/recherche?q=concertation'), « budget participatif jeunes » $(matches '/recherche?q=budget+participatif+jeunes')"
echo
echo "| cible | chemin | requêtes/s | p50 | p99 | erreurs |"
echo "|---|---|---:|---:|---:|---:|"
for row in "${results[@]}"; do
  IFS='|' read -r label path rps p50 p99 errors <<<"$row"
  echo "| $label | \`$path\` | $rps | $p50 | $p99 | $errors |"
done
echo
echo "Mémoire du serveur : $(rss) Mo, pic $(rss VmHWM) Mo."
echo "wrk -t2 -c$connections -d${duration}s ; machine : $(nproc) cœurs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }') ; $(date -u +%Y-%m-%d)."
