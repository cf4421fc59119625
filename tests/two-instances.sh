#!/usr/bin/env bash
# Two encommun instances on one PostgreSQL behind nginx, the topology of deploy/. Proves that:
#  1. both instances starting at the same time apply each migration once;
#  2. a session opened through one instance is valid on the other (and through nginx);
#  3. writes through nginx to both instances interleave without loss or duplicate;
#  4. stopping one instance in the middle of a load loses no acknowledged write.
# Usage: tests/two-instances.sh [path/to/encommun]   (needs nginx, curl, psql and a PostgreSQL at
# ENCOMMUN_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${CARGO_TARGET_DIR:-$root/target}/debug/encommun}"
admin_url="${ENCOMMUN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
for tool in nginx curl psql; do command -v "$tool" >/dev/null || { echo "$tool manque" >&2; exit 1; }; done
[ -x "$bin" ] || { echo "binaire $bin introuvable (cargo build)" >&2; exit 1; }

work="$(mktemp -d)"
db="encommun_two_$$"
pids=()
passed=0
failed=0
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
check() { # description command...
  local what="$1"; shift
  if "$@"; then echo "ok — $what"; passed=$((passed + 1)); else echo "ÉCHEC — $what" >&2; failed=$((failed + 1)); fi
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null
db_url="${admin_url%/*}/$db"
sql() { psql "$db_url" -Atc "$1"; }
key="$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')"
port_a=$(free_port); port_b=$(free_port); port_front=$(free_port)

start_instance() { # name port
  mkdir -p "$work/$1"
  ENCOMMUN_DATABASE_URL="$db_url" ENCOMMUN_SESSION_KEY="$key" ENCOMMUN_DATA_DIR="$work/$1" \
    ENCOMMUN_LISTEN="127.0.0.1:$2" ENCOMMUN_BASE_URL="http://127.0.0.1:$port_front" ENCOMMUN_TRUST_PROXY=true \
    ENCOMMUN_WORKERS=2 RUST_LOG=warn,actix_web::middleware::logger=info "$bin" serve >"$work/$1.log" 2>&1 &
  pids+=($!)
}
wait_health() { for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# 1. Both at once on an empty database.
start_instance a "$port_a"
start_instance b "$port_b"
pid_b=${pids[1]}
check "l'instance A démarre" wait_health "$port_a"
check "l'instance B démarre" wait_health "$port_b"
expected_migrations=$(find "$root/migrations/postgres" -mindepth 1 -maxdepth 1 -type d | wc -l)
check "chaque migration est appliquée une fois ($expected_migrations)" \
  test "$(sql 'SELECT count(*) FROM __diesel_schema_migrations')" -eq "$expected_migrations"

# Demo accounts, loaded once through a third short-lived process on the same database.
ENCOMMUN_DATABASE_URL="$db_url" ENCOMMUN_SESSION_KEY="$key" ENCOMMUN_DATA_DIR="$work/loader" \
  ENCOMMUN_LISTEN="127.0.0.1:$(free_port)" RUST_LOG=warn "$bin" demo >"$work/loader.log" 2>&1 &
loader=$!
for _ in $(seq 1 150); do [ "$(sql "SELECT count(*) FROM users")" -ge 5 ] 2>/dev/null && break; sleep 0.1; done
kill "$loader"; wait "$loader" 2>/dev/null || true

cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  upstream encommun { server 127.0.0.1:$port_a max_fails=1 fail_timeout=30s; server 127.0.0.1:$port_b max_fails=1 fail_timeout=30s; }
  server {
    listen 127.0.0.1:$port_front;
    location / {
      proxy_pass http://encommun;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
    }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work"
check "nginx répond devant les deux instances" wait_health "$port_front"

# 2. A session opened on A is valid on B.
jar="$work/cookies"
token() { curl -fs -b "$jar" -c "$jar" "$1" | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4; }
csrf=$(token "http://127.0.0.1:$port_a/connexion")
curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf_token=$csrf" \
  --data-urlencode "email=agence@demo.encommun.fr" --data-urlencode "password=encommun-demo-2026" "http://127.0.0.1:$port_a/connexion"
status_b=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "http://127.0.0.1:$port_b/admin")
check "une session ouverte sur A est valable sur B" test "$status_b" = 200
status_front=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "http://127.0.0.1:$port_front/admin")
check "et à travers nginx" test "$status_front" = 200

# 3 and 4. Writes through nginx (invitations to distinct addresses), B stopped halfway.
csrf=$(token "http://127.0.0.1:$port_front/compte")
write() { # n → prints the address if the write was acknowledged (303)
  local email="charge-$1@exemple.fr" code
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" --data-urlencode "csrf_token=$csrf" \
    --data-urlencode "email=$email" --data-urlencode "function=agent" \
    "http://127.0.0.1:$port_front/territoires/epci/246800726/invitations")
  [ "$code" = 303 ] && echo "$email"
  return 0
}
export -f write
export jar csrf port_front
seq 1 200 | xargs -P 8 -I{} bash -c 'write {}' >"$work/acked-1" 
sort -o "$work/acked-1" "$work/acked-1"
stored() { sql "SELECT email FROM invitations WHERE email LIKE 'charge-%' ORDER BY email" | sort; }
check "200 écritures entrelacées, toutes acquittées" test "$(wc -l <"$work/acked-1")" -eq 200
check "toutes enregistrées, aucune en double" test "$(stored | uniq | wc -l)" -eq 200 -a "$(stored | wc -l)" -eq 200
posts() { grep -c '"POST /territoires/epci/246800726/invitations' "$work/$1.log" || true; }
check "nginx a réparti les écritures sur les deux instances (A : $(posts a), B : $(posts b))" test "$(posts a)" -gt 0 -a "$(posts b)" -gt 0

seq 201 600 | xargs -P 8 -I{} bash -c 'write {}' >"$work/acked-2" &
load=$!
sleep 0.5
kill -9 "$pid_b"
wait "$load" || true
sort -o "$work/acked-2" "$work/acked-2"
stored >"$work/stored"
lost=$(comm -23 <(sort "$work/acked-1" "$work/acked-2") "$work/stored" | wc -l)
check "B arrêté en pleine charge : aucune écriture acquittée perdue ($(wc -l <"$work/acked-2")/400 acquittées pendant l'arrêt)" test "$lost" -eq 0
check "toujours aucun doublon" test "$(uniq -d "$work/stored" | wc -l)" -eq 0
check "A sert toujours à travers nginx" test "$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "http://127.0.0.1:$port_front/admin")" = 200

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
