#!/usr/bin/env bash
# Soak: MINUTES of mixed reads and writes at high concurrency against the release binary on SQLite, then checks
# that every acknowledged write is in the database and that memory did not keep growing.
# Usage: bash bench/soak.sh   (MINUTES=5 CONNECTIONS=64 PORT=18090)
set -euo pipefail
minutes="${MINUTES:-5}"
connections="${CONNECTIONS:-64}"
port="${PORT:-18090}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
start_server
open_session

# One request in five is a write: an invitation to an address unique to its thread and counter.
cat > "$data/mixed.lua" <<LUA
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  counter = 0
  acks = 0
  writes = 0
end
local reads = { "/", "/collectivites?q=chatellerault", "/territoires/epci/248600413", "/compte" }
function request()
  counter = counter + 1
  if counter % 5 == 0 then
    writes = writes + 1
    local body = "csrf_token=$csrf&function=agent&email=soak-" .. id .. "-" .. counter .. "%40exemple.fr"
    return wrk.format("POST", "/territoires/epci/246800726/invitations",
      { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "$cookie" }, body)
  end
  return wrk.format("GET", reads[(counter % 4) + 1], { ["Cookie"] = "$cookie" })
end
function response(status, headers, body)
  if status == 303 then acks = acks + 1 end
end
function done(summary, latency, requests)
  local total_acks, total_writes = 0, 0
  for _, t in ipairs(threads) do
    total_acks = total_acks + t:get("acks")
    total_writes = total_writes + t:get("writes")
  end
  io.write(string.format("ACKS %d WRITES %d\n", total_acks, total_writes))
end
LUA

(while sleep 10; do rss >>"$data/rss"; echo >>"$data/rss"; done) &
sampler_pid=$!
background_pids="$sampler_pid"
out=$(wrk -t2 -c"$connections" -d"${minutes}m" --latency -s "$data/mixed.lua" "$base/")
kill "$sampler_pid" 2>/dev/null || true
acks=$(awk '/^ACKS/ { print $2 }' <<<"$out")
writes=$(awk '/^ACKS/ { print $4 }' <<<"$out")
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM invitations WHERE email LIKE 'soak-%'\").fetchone()[0])" "$data/encommun.sqlite3")
mapfile -t samples < <(grep -v '^$' "$data/rss")
first="${samples[2]:-${samples[0]}}"
last="${samples[-1]}"
peak=$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)

echo "$out" | grep -E "Requests/sec|Latency|Non-2xx|Socket errors|requests in"
echo "Écritures : $writes envoyées, $acks acquittées, $stored en base."
echo "Mémoire (RSS, Mio) : $first après 30 s, $last à la fin, pic $peak ($((${#samples[@]})) relevés toutes les 10 s)."
status=0
[ "$stored" -ge "$acks" ] || { echo "ÉCHEC : des écritures acquittées manquent en base" >&2; status=1; }
[ "$stored" -le "$writes" ] || { echo "ÉCHEC : plus de lignes que d'écritures envoyées" >&2; status=1; }
awk -v a="$first" -v b="$last" 'BEGIN { exit !(b <= 2 * a + 16) }' || { echo "ÉCHEC : la mémoire a plus que doublé" >&2; status=1; }
[ "$status" -eq 0 ] && echo "Soak réussi : rien de perdu, mémoire stable."
exit "$status"
