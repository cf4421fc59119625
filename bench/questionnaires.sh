#!/usr/bin/env bash
# Questionnaires under load: the public form page as visitors without a cookie get it (wrk -t1, from the page
# cache), online submissions through the web without a cookie (wrk, then a check that every acknowledged response
# is stored), and cold CSV exports of 10,000 responses × 10 questions and 50,000 × 20 (time, peak memory).
# Usage: bash bench/questionnaires.sh   (DURATION=10 CONNECTIONS=32 PORT=18082)
set -euo pipefail
# No per-address limit here: the load comes from one address on purpose.
export ENCOMMUN_SURVEY_SUBMISSIONS_PER_HOUR=0
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
port="${PORT:-18082}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
(cd "$root" && cargo build --release --locked --quiet --example seed_responses)
seed="${CARGO_TARGET_DIR:-$root/target}/release/examples/seed_responses"
db="$data/encommun.sqlite3"

start_server
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
read -r small_id _ small_rate < <("$seed" "$db" 10 10000)
read -r large_id _ large_rate < <("$seed" "$db" 20 50000)
read -r live_id live_token _ < <("$seed" "$db" 10 0)
start_server
sleep 1
open_session
idle_rss=$(rss)

# Cold exports: the first request for each questionnaire, as the agency downloads it.
export_time() { curl -fs -o "$data/export.csv" -w '%{time_total}' -H "Cookie: $cookie" "$base/questionnaires/$1/reponses.csv?separateur=pointvirgule"; }
small_time=$(export_time "$small_id"); small_rows=$(($(wc -l < "$data/export.csv") - 1))
large_time=$(export_time "$large_id"); large_rows=$(($(wc -l < "$data/export.csv") - 1)); large_size=$(du -h "$data/export.csv" | cut -f1)
export_peak=$(rss VmHWM)

# The form page, as a poster's QR code sends a town to it: no cookie, one thread of wrk as in issue 14.
headers=$(curl -fs -D - -o /dev/null "$base/q/$live_token")
if grep -qi '^set-cookie' <<<"$headers"; then echo "la page du questionnaire dépose un cookie" >&2; exit 1; fi
form_out=$(wrk -t1 -c"$connections" -d"${duration}s" --latency "$base/q/$live_token")
form_rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$form_out")
form_p50=$(awk '$1 == "50%" { print $2 }' <<<"$form_out")
form_p99=$(awk '$1 == "99%" { print $2 }' <<<"$form_out")
form_errors=$(awk '/Non-2xx or 3xx responses:/ { n += $5 } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$form_out")
# Side by side, in the same conditions: the themes index, another public page served from the same cache.
themes_rps=$(wrk -t1 -c"$connections" -d"${duration}s" "$base/themes" | awk '/^Requests\/sec:/ { print $2 }')

# Online submissions: an inhabitant without a cookie answering the ten questions again and again, with the page's
# signed form token.
page=$(curl -fs "$base/q/$live_token")
csrf=$(grep -o 'name="csrf_token" value="[0-9a-f.]*"' <<<"$page" | head -1 | cut -d'"' -f4)
fields=$(grep -o 'name="q[0-9]*"' <<<"$page" | cut -d'"' -f2 | sort -u -t q -k2 -n)
body="csrf_token=$csrf"
n=0
for field in $fields; do
  case $((n % 5)) in
    0) body="$body&$field=bus" ;; 1) body="$body&$field=sante" ;; 2) body="$body&$field=4" ;;
    3) body="$body&$field=42" ;; *) body="$body&$field=Plus+de+bus+le+soir" ;;
  esac
  n=$((n + 1))
done
cat > "$data/answer.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
before=$(sqlite3 "$db" "SELECT COUNT(*) FROM responses WHERE questionnaire_id = $live_id")
out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$data/answer.lua" "$base/q/$live_token")
sleep 1
after=$(sqlite3 "$db" "SELECT COUNT(*) FROM responses WHERE questionnaire_id = $live_id")
rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
sent=$(awk '/requests in/ { print $1 }' <<<"$out")
p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
errors=$(awk '/Non-2xx or 3xx responses:/ { n += $5 } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
loaded_rss=$(rss)

echo "| mesure | résultat |"
echo "|---|---|"
echo "| page du questionnaire, sans cookie (wrk -t1) | $form_rps requêtes/s, p50 $form_p50, p99 $form_p99, erreurs $form_errors |"
echo "| à côté : /themes, du même cache (wrk -t1) | $themes_rps requêtes/s |"
echo "| réponses en ligne par le web, sans cookie (303, 10 questions) | $rps réponses/s, p50 $p50, p99 $p99, erreurs $errors |"
echo "| réponses reçues / enregistrées | $sent complétées par wrk, $((after - before)) en base |"
echo "| export CSV à froid, 10 000 réponses × 10 questions | $small_time s ($small_rows lignes) |"
echo "| export CSV à froid, 50 000 réponses × 20 questions | $large_time s ($large_rows lignes, $large_size) |"
echo "| écriture directe (préparation, 1 000 par transaction) | $small_rate et $large_rate réponses/s |"
echo "| mémoire (RSS) | au repos $idle_rss Mio ; pic pendant les exports $export_peak Mio ; après la charge $loaded_rss Mio |"
echo
echo "wrk -t1 (page) et -t2 (réponses) -c$connections -d${duration}s ; machine : $(nproc) cœurs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }'), charge $(cut -d' ' -f1-3 /proc/loadavg) ; $(date -u +%Y-%m-%d)."
