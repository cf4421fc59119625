#!/usr/bin/env bash
# Memory of the server across uploads of a national EPCI outlines file through the agency's form (issue 14 §4):
# resident memory before, after the first upload, after the last, and after 30 s idle. The file stands in for the
# national one (1,255 EPCI, 3.3 MB): the 67 real EPCI outlines of six départements, cycled, each under the SIREN
# of one of the 1,255 EPCI of the official list, so that every feature matches a territory and is stored.
# Usage: bash bench/boundaries_memory.sh   (UPLOADS=20 IDLE=30 PORT=18084)
set -euo pipefail
uploads="${UPLOADS:-20}"
idle="${IDLE:-30}"
port="${PORT:-18084}"
shared="$(cd "$(dirname "$0")/.." && pwd)/../shared/data"
command -v jq >/dev/null || { echo "jq manque : apt-get install jq" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

file="$data/epci-france.geojson"
jq -c --slurpfile epci "$shared/territories/epci-2026.json" '.features as $shapes | {type: "FeatureCollection",
  features: [$epci[0] | to_entries[] | {type: "Feature", properties: {code: .value.code, nom: .value.nom,
  type: .value.type}, geometry: $shapes[.key % ($shapes | length)].geometry}]}' \
  "$shared/boundaries/epci-6-departements-dissolved.geojson" > "$file"
"$bin" import-territories "$shared"/territories/regions.json "$shared"/territories/departements.json \
  "$shared"/territories/epci-2026.json "$shared"/territories/communes-2026.csv >/dev/null 2>&1

start_server
sleep 2
open_session
before=$(rss)
upload() {
  curl -fs -o "$data/page.html" -w '%{time_total}' -H "Cookie: $cookie" -F "fichier=@$file;type=application/geo+json" \
    "$base/admin/contours?csrf_token=$csrf"
  grep -q '1255 contour(s) enregistré(s)' "$data/page.html" || { echo "l’import n’a pas enregistré les 1 255 contours" >&2; exit 1; }
}
first_time=$(upload)
after_one=$(rss)
times="$first_time"
for _ in $(seq 2 "$uploads"); do times="$times $(upload)"; done
after_all=$(rss)
peak=$(rss VmHWM)
sleep "$idle"
after_idle=$(rss)
median=$(tr ' ' '\n' <<<"$times" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')

echo "| mesure | résultat |"
echo "|---|---|"
echo "| fichier | $(jq '.features | length' "$file") EPCI, $(du -h "$file" | cut -f1) |"
echo "| mémoire (RSS) avant le premier envoi | $before Mio |"
echo "| après 1 envoi | $after_one Mio |"
echo "| après $uploads envois | $after_all Mio (pic $peak Mio) |"
echo "| après $idle s au repos | $after_idle Mio |"
echo "| durée d’un envoi (médiane de $uploads) | $median s |"
echo
echo "Machine : $(nproc) cœurs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }'), charge $(cut -d' ' -f1-3 /proc/loadavg) ; $(date -u +%Y-%m-%d)."
