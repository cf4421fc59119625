# Shared by the benchmark scripts: build the release binary, start `encommun demo` on a temporary SQLite
# database, open a logged-in session. Source it after setting `port`. `BENCH_BIN=/path/to/encommun` runs another
# build instead (a copy of the binary before a change, to measure both in the same conditions).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="http://127.0.0.1:$port"
bin="${BENCH_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/encommun}"
command -v wrk >/dev/null || { echo "wrk manque : apt-get install wrk" >&2; exit 1; }
[ -n "${BENCH_BIN:-}" ] || (cd "$root" && cargo build --release --locked --quiet)

data="$(mktemp -d)"
server_pid=""
background_pids=""
cleanup() { kill $background_pids $server_pid 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
export ENCOMMUN_DATA_DIR="$data" ENCOMMUN_LISTEN="127.0.0.1:$port" ENCOMMUN_BASE_URL="$base" RUST_LOG=warn
unset ENCOMMUN_DATABASE_URL

start_server() {
  "$bin" demo >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -fs "$base/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "le serveur ne répond pas sur $base" >&2
  exit 1
}

rss() { awk -v k="${1:-VmRSS}" '$1 == k":" { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }

# Logs the agency admin in; sets `cookie` (Cookie header value) and `csrf` (the session's form token).
open_session() {
  local jar="$data/cookies"
  token() { curl -fs -b "$jar" -c "$jar" "$base$1" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4; }
  csrf=$(token /connexion)
  curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf_token=$csrf" \
    --data-urlencode "email=agence@demo.encommun.fr" --data-urlencode "password=encommun-demo-2026" "$base/connexion"
  csrf=$(token /compte)
  cookie="encommun=$(awk '$6 == "encommun" { print $7 }' "$jar")"
}

# Every French territory, then 300 open themes and 20,000 positions of real communes (bench/seed_themes.rs, through
# the web's storage functions) on the demo; sets `seed` (what the seeding printed) and leaves the server started.
seed_themes() {
  local territories="$root/../shared/data/territories"
  [ -f "$territories/communes-2026.csv" ] || { echo "fichiers officiels absents : $territories" >&2; exit 1; }
  (cd "$root" && cargo build --release --locked --quiet --example seed_themes)
  "$bin" import-territories "$territories"/regions.json "$territories"/departements.json \
    "$territories"/epci-2026.json "$territories"/communes-2026.csv >/dev/null 2>&1
  start_server
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  seed=$("${CARGO_TARGET_DIR:-$root/target}/release/examples/seed_themes" "$data/encommun.sqlite3")
  start_server
  sleep 1
}
