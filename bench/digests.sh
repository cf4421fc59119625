#!/usr/bin/env bash
# Digests: composing and queueing the digests of 10,000 subscribers (target under 5 s), on SQLite.
# Usage: bash bench/digests.sh [SUBSCRIBERS]   (PORT=18084)
set -euo pipefail
port="${PORT:-18084}"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
(cd "$root" && cargo build --release --locked --quiet --example digests)
start_server
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
"${CARGO_TARGET_DIR:-$root/target}/release/examples/digests" "$data/encommun.sqlite3" "${1:-10000}"
