#!/usr/bin/env bash
# A restitution at scale, on the demo: Grand Châtellerault's gets FREE more free answers to choose quotes from and
# ADDRESSES respondents to tell (each address left twice). Measures preparing the messages (one per distinct
# address, the addresses forgotten), the quote chooser, the working page, the public page and its poster, and the
# server's peak memory.
# Usage: bash bench/restitution.sh   (FREE=20000 ADDRESSES=20000 PORT=18085)
set -euo pipefail
free="${FREE:-20000}"
addresses="${ADDRESSES:-20000}"
port="${PORT:-18085}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
(cd "$root" && cargo build --release --locked --quiet --example seed_restitution)
seed="${CARGO_TARGET_DIR:-$root/target}/release/examples/seed_restitution"

start_server
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
read -r working seeded telling told < <("$seed" "$data/encommun.sqlite3" "$free" "$addresses")
public="${working/\/restitution\//\/restitutions\/}"
# The 20,000 messages stay queued: sending them to files would share the machine with the pages measured.
export ENCOMMUN_OUTBOX_EVERY_SECONDS=0
start_server
sleep 1
open_session

timed() { curl -fs -o "$data/$2" -w '%{time_total}' -H "Cookie: $cookie" "$base$1"; }
size() { du -k "$data/$1" | cut -f1; }
echo "seeded: $free free answers, $addresses addresses left twice, in ${seeded} s"
echo "messages prepared: $told (one per distinct address) in ${telling} s; addresses left: $(sqlite3 "$data/encommun.sqlite3" 'SELECT COUNT(*) FROM feedback_contacts' 2>/dev/null || echo '?')"
cold=$(timed "$working/citations" chooser.html); warm=$(timed "$working/citations?recherche=samedi&page=3" chooser2.html)
echo "quote chooser: first page ${cold} s, a search's third page ${warm} s, $(size chooser.html) kB of HTML"
cold=$(timed "$working" working.html); warm=$(timed "$working" working.html)
echo "working page: cold ${cold} s, warm ${warm} s, $(size working.html) kB of HTML"
cold=$(timed "$public" public.html); warm=$(timed "$public" public.html)
echo "public page (logged in, not cached): cold ${cold} s, warm ${warm} s, $(size public.html) kB of HTML"
cold=$(timed "$public/affiche" poster.html)
echo "poster: ${cold} s, $(size poster.html) kB of HTML"
echo "peak memory of the server: $(rss VmHWM) MB"
