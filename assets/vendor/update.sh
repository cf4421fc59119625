#!/usr/bin/env bash
# Vendored front-end library: Leaflet (BSD-2-Clause, LEAFLET-LICENSE), for the optional interactive diagnostic map.
# Fetched from the npm registry and copied as it is (without its source map), so that the platform serves it
# itself: no CDN, nothing loaded from elsewhere but the OpenStreetMap tiles a person asks for.
# Usage: bash assets/vendor/update.sh [VERSION]
set -euo pipefail
version="${1:-1.9.4}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "leaflet@$version" --silent >/dev/null && tar xzf "leaflet-$version.tgz")
sed '/sourceMappingURL/d' "$work/package/dist/leaflet.js" > "$here/leaflet.js"
cp "$work/package/dist/leaflet.css" "$here/leaflet.css"
cp "$work/package/LICENSE" "$here/LEAFLET-LICENSE"
echo "Leaflet $version copié dans $here"
