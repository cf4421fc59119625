#!/usr/bin/env bash
# Open data at scale: the demo with 300 open themes and 20,000 positions of real communes (bench/seed_themes.rs),
# then the whole zip downloaded ROUNDS times and each dataset's CSV once: time, size, and the server's memory after
# each round (flat: nothing kept between downloads).
# Usage: bash bench/opendata.sh   (ROUNDS=10 PORT=18087)
set -euo pipefail
rounds="${ROUNDS:-10}"
port="${PORT:-18087}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
seed_themes
echo "Préparation : $seed"
echo "Mémoire au repos : $(rss) Mo"
echo
echo "| tour | zip : durée (s) | taille (ko) | mémoire après (Mo) |"
echo "|---:|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  seconds=$(curl -fs -o "$data/open.zip" -w '%{time_total}' "$base/donnees-ouvertes/encommun-donnees-ouvertes.zip")
  echo "| $round | $seconds | $(du -k "$data/open.zip" | cut -f1) | $(rss) |"
done
echo
records() { python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$1"; }
echo "| fichier | durée (s) | enregistrements | taille (ko) |"
echo "|---|---:|---:|---:|"
for file in themes positionnements projets actions_adoptees indicateurs restitutions retours_experience annuaire inspiration cartes_publiques; do
  seconds=$(curl -fs -o "$data/$file.csv" -w '%{time_total}' "$base/donnees-ouvertes/$file.csv")
  echo "| $file.csv | $seconds | $(records "$data/$file.csv") | $(du -k "$data/$file.csv" | cut -f1) |"
done
echo
echo "Pic de mémoire du serveur : $(rss VmHWM) Mo ; machine : $(nproc) cœurs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }') ; $(date -u +%Y-%m-%d)."
