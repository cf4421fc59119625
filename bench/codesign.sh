#!/usr/bin/env bash
# The creativity cycle under load: 60 members of a working group submit their scores (12 proposals × 6 criteria)
# and spend their 8 dots at once, each from their own session (requests/s, p99, nothing lost: every score and dot
# is counted in the database afterwards); then the board of a workshop with 500 ideas (real Grand Débat answers)
# × 6 criteria × 60 members' scores and dots, rendered cold and warm (time, HTML size).
# Usage: bash bench/codesign.sh   (MEMBERS=60 IDEAS=500 PORT=18083)
set -euo pipefail
members="${MEMBERS:-60}"
ideas="${IDEAS:-500}"
port="${PORT:-18083}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
answers="$root/../shared/data/questionnaires/grand-debat-2019-answers-sample.json"
[ -f "$answers" ] || { echo "il manque $answers (../shared/data)" >&2; exit 1; }
(cd "$root" && cargo build --release --locked --quiet --example seed_codesign)
seed="${CARGO_TARGET_DIR:-$root/target}/release/examples/seed_codesign"
db="$data/encommun.sqlite3"

start_server
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
read -r live board seeded < <("$seed" "$db" "$members" "$ideas" "$answers")
start_server
sleep 1
open_session

# The live vote, from a Python driver: one session per member, all logged in first, then released together.
python3 - "$base" "$live" "$members" "$db" <<'PY'
import http.cookiejar, re, sqlite3, sys, threading, time, urllib.parse, urllib.request
base, live, members, db = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

def fetch(o, path, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with o.open(base + path, body) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

def token(html):
    return re.search(r'name="csrf_token" value="([0-9a-f.]+)"', html).group(1)

sessions = []
for n in range(members):
    o = opener()
    _, page = fetch(o, "/connexion")
    status, _ = fetch(o, "/connexion", {"csrf_token": token(page), "email": f"participant{n}@mesure.encommun.fr", "password": "mesure-mot-de-passe"})
    assert status == 303, status
    _, page = fetch(o, live)
    grid = sorted(set(re.findall(r'name="(note-[ri][0-9]+-[0-9]+)"', page)))
    candidates = sorted(set(re.findall(r'name="candidate" value="([ri][0-9]+)"', page)))
    assert grid and candidates, "the vote page lists the proposals"
    sessions.append((o, token(page), grid, candidates))

latencies, failures, lock = [], [], threading.Lock()
start = threading.Barrier(members + 1)

def member(n):
    o, csrf, grid, candidates = sessions[n]
    start.wait()
    requests = [("/notes", dict({"csrf_token": csrf}, **{f: str((n + i) % 6) for i, f in enumerate(grid)}))]
    requests += [("/points", {"csrf_token": csrf, "candidate": candidates[(n + d) % len(candidates)], "sens": "plus"}) for d in range(8)]
    for suffix, data in requests:
        t = time.perf_counter()
        status, _ = fetch(o, live + suffix, data)
        with lock:
            latencies.append(time.perf_counter() - t)
            if status != 303:
                failures.append(status)

threads = [threading.Thread(target=member, args=(n,)) for n in range(members)]
for t in threads:
    t.start()
began = time.perf_counter()
start.wait()
for t in threads:
    t.join()
elapsed = time.perf_counter() - began
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
workshop = int(live.rsplit("/", 1)[1])
con = sqlite3.connect(db)
scores = con.execute("SELECT COUNT(*) FROM scores WHERE workshop_id = ?", (workshop,)).fetchone()[0]
dots = con.execute("SELECT COUNT(*) FROM dots JOIN ballots ON ballots.id = dots.ballot_id WHERE ballots.workshop_id = ?", (workshop,)).fetchone()[0]
cells = len(sessions[0][2])
print(f"vote: {members} members × (1 score grid of {cells} cells + 8 dots) = {len(latencies)} requests in {elapsed:.2f} s "
      f"= {len(latencies) / elapsed:.0f} req/s, p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, refused {len(failures)}")
print(f"stored: {scores} scores (expected {members * cells}), {dots} dots (expected {members * 8})")
assert not failures and scores == members * cells and dots == members * 8, "a vote was lost"
PY

# The board: cold (first render) and warm.
board_time() { curl -fs -o "$data/board.html" -w '%{time_total}' -H "Cookie: $cookie" "$base$board"; }
cold=$(board_time); warm=$(board_time)
size=$(du -k "$data/board.html" | cut -f1)
rows=$(grep -o '<th scope="row">' "$data/board.html" | wc -l)
echo "board: $ideas ideas × 6 criteria × 60 members ($((ideas * 6 * 60)) scores, seeded in ${seeded} s): cold ${cold} s, warm ${warm} s, ${size} kB of HTML, $rows rows"
echo "peak memory of the server: $(rss VmHWM) MB"
