#!/usr/bin/env bash
# Geography: 100,000 points placed in the 2,136 communes of six départements with the grid index (release build).
# Usage: bash bench/geo.sh [POINTS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && cargo build --release --locked --quiet --example assign_points)
"${CARGO_TARGET_DIR:-$root/target}/release/examples/assign_points" \
  "$root/../shared/data/boundaries/communes-6-departements.geojson" "${1:-100000}"
