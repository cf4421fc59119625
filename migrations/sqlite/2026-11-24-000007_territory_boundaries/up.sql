-- Each territory's outline, in WGS84: the coordinates of a GeoJSON MultiPolygon, and its bounding box so that the
-- areas around a point are found without reading every outline.
CREATE TABLE territory_boundaries (
    territory_id BIGINT PRIMARY KEY REFERENCES territories (id) ON DELETE CASCADE,
    geometry TEXT NOT NULL,
    min_lon REAL NOT NULL,
    min_lat REAL NOT NULL,
    max_lon REAL NOT NULL,
    max_lat REAL NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (min_lon <= max_lon AND min_lat <= max_lat)
);
