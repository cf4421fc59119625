#!/usr/bin/env bash
# Themes under load: 300 open themes and 20,000 positions by real communes (bench/seed_themes.rs, through the same
# storage function as the web), then wrk on the themes index, a theme page and position submissions.
# Usage: bash bench/themes.sh   (DURATION=10 CONNECTIONS=32 PORT=18081)
set -euo pipefail
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
port="${PORT:-18081}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
seed_themes
idle_rss=$(rss)

# The referent of Agglopolys positions it on the most popular theme, alternating engagements: each request is a
# real change (counts moved, history and activity written).
jar="$data/cookies"
token() { curl -fs -b "$jar" -c "$jar" "$base$1" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4; }
csrf=$(token /connexion)
curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf_token=$csrf" \
  --data-urlencode "email=referente@agglopolys.demo.encommun.fr" --data-urlencode "password=encommun-demo-2026" "$base/connexion"
theme=$(curl -fs "$base/themes" | grep -o 'href="/themes/[0-9]*"' | sed -n 1p | grep -o '[0-9]*')
page=$(curl -fs -b "$jar" -c "$jar" "$base/themes/$theme")
csrf=$(grep -o 'name="csrf_token" value="[0-9a-f]*"' <<<"$page" | head -1 | cut -d'"' -f4)
collectivity=$(grep -o 'name="collectivity_id" value="[0-9]*"' <<<"$page" | head -1 | cut -d'"' -f4)
cookie="encommun=$(awk '$6 == "encommun" { print $7 }' "$jar")"
cat > "$data/vote.lua" <<LUA
local n = 0
local engagements = { "participate", "observe", "interested" }
request = function()
  n = n + 1
  local body = "csrf_token=$csrf&collectivity_id=$collectivity&engagement=" .. engagements[n % 3 + 1] ..
    "&stakes=Nos+communes+rurales+n%27ont+aucun+transport+collectif+r%C3%A9gulier."
  return wrk.format("POST", "/themes/$theme/positionnement",
    { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "$cookie" }, body)
end
LUA

results=()
measure() { # label path [wrk options...]
  local label="$1" path="$2"; shift 2
  local out rps p50 p99 errors
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$base$path")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ { n += $5 } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
  results+=("$label|$path|$rps|$p50|$p99|$errors")
}
# Visitors without a session get pages kept in memory while nothing changes; a logged-in person's pages are
# rendered at every request (their own menu and forms), which is also the cost of the first visit after a change.
measure "ressource statique (plafond)" "/assets/style.css"
measure "index des thèmes (300 ouverts, classés), visiteur" "/themes"
measure "index filtré (région et type), visiteur" "/themes?statut=open&region=24&type=commune"
measure "page d’un thème (≈ 67 positionnements), visiteur" "/themes/$theme"
measure "index des thèmes, connecté (rendu à chaque fois)" "/themes" -H "Cookie: $cookie"
measure "index filtré, connecté" "/themes?statut=open&region=24&type=commune" -H "Cookie: $cookie"
measure "page d’un thème, connecté (avec son formulaire)" "/themes/$theme" -H "Cookie: $cookie"
measure "écriture : positionnement (303)" "/themes/$theme/positionnement" -s "$data/vote.lua"
loaded_rss=$(rss)

echo "Préparation : $seed"
echo
echo "| cible | chemin | requêtes/s | p50 | p99 | erreurs |"
echo "|---|---|---:|---:|---:|---:|"
for row in "${results[@]}"; do
  IFS='|' read -r label path rps p50 p99 errors <<<"$row"
  echo "| $label | \`$path\` | $rps | $p50 | $p99 | $errors |"
done
echo
# The counts stay right under load: the maintained counters equal a count of the positions.
check=$(sqlite3 "$data/encommun.sqlite3" "SELECT COUNT(*) FROM themes t WHERE t.positions_count <> (SELECT COUNT(*) FROM theme_positions p WHERE p.theme_id = t.id) OR t.participate_count <> (SELECT COUNT(*) FROM theme_positions p WHERE p.theme_id = t.id AND p.engagement = 'participate')" 2>/dev/null || echo "sqlite3 absent")
echo "Thèmes dont les compteurs diffèrent d’un recomptage : $check"
echo "Mémoire du serveur (RSS) : au repos $idle_rss Mio, après la charge $loaded_rss Mio."
echo "wrk -t2 -c$connections -d${duration}s ; machine : $(nproc) cœurs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }') ; $(date -u +%Y-%m-%d)."
