//! Areas (polygons with holes, or several of them) in longitude / latitude degrees, the test of a point inside
//! one, and a grid index that finds, among many areas, the one containing a point without testing them all.

use std::collections::HashMap;

/// A closed ring of (longitude, latitude) points; the first polygon ring is the outline, the others holes.
pub type Ring = Vec<(f64, f64)>;

#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    pub rings: Vec<Ring>,
}

/// The smallest box holding a shape: (min lon, min lat, max lon, max lat).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.min_lon..=self.max_lon).contains(&lon) && (self.min_lat..=self.max_lat).contains(&lat)
    }
}

/// One territory's area: one or several polygons (a commune with an island is two).
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub polygons: Vec<Polygon>,
    pub bbox: BBox,
}

/// Whether the point is inside the ring (even-odd rule, ray cast towards growing longitudes).
fn in_ring(ring: &[(f64, f64)], lon: f64, lat: f64) -> bool {
    let mut inside = false;
    let mut j = ring.len().wrapping_sub(1);
    for i in 0..ring.len() {
        let ((xi, yi), (xj, yj)) = (ring[i], ring[j]);
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

impl Area {
    /// An area from its polygons; None when it has no point.
    pub fn new(polygons: Vec<Polygon>) -> Option<Area> {
        let points = || polygons.iter().flat_map(|p| p.rings.iter().flatten());
        let first = points().next()?;
        let mut bbox = BBox { min_lon: first.0, min_lat: first.1, max_lon: first.0, max_lat: first.1 };
        for &(lon, lat) in points() {
            bbox.min_lon = bbox.min_lon.min(lon);
            bbox.min_lat = bbox.min_lat.min(lat);
            bbox.max_lon = bbox.max_lon.max(lon);
            bbox.max_lat = bbox.max_lat.max(lat);
        }
        Some(Area { polygons, bbox })
    }

    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.bbox.contains(lon, lat)
            && self.polygons.iter().any(|p| {
                p.rings.first().is_some_and(|outline| in_ring(outline, lon, lat))
                    && !p.rings.iter().skip(1).any(|hole| in_ring(hole, lon, lat))
            })
    }
}

/// Areas on a grid of square cells: each cell lists the areas whose box touches it, so a point is tested against
/// the few areas of its cell.
pub struct AreaIndex<K> {
    cell: f64,
    cells: HashMap<(i64, i64), Vec<usize>>,
    areas: Vec<(K, Area)>,
}

impl<K> AreaIndex<K> {
    /// `cell` in degrees: about the size of the areas (0.05° ≈ 5 km suits communes).
    pub fn new(areas: Vec<(K, Area)>, cell: f64) -> AreaIndex<K> {
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        let key = |v: f64| (v / cell).floor() as i64;
        for (i, (_, area)) in areas.iter().enumerate() {
            let b = area.bbox;
            for x in key(b.min_lon)..=key(b.max_lon) {
                for y in key(b.min_lat)..=key(b.max_lat) {
                    cells.entry((x, y)).or_default().push(i);
                }
            }
        }
        AreaIndex { cell, cells, areas }
    }

    /// The first area containing the point.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<&K> {
        let key = ((lon / self.cell).floor() as i64, (lat / self.cell).floor() as i64);
        self.cells.get(&key)?.iter().map(|i| &self.areas[*i]).find(|(_, a)| a.contains(lon, lat)).map(|(k, _)| k)
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, side: f64) -> Ring {
        vec![(x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)]
    }

    #[test]
    fn points_fall_in_outlines_but_not_in_holes() {
        let ring = Polygon { rings: vec![square(0.0, 0.0, 4.0), square(1.0, 1.0, 2.0)] };
        let island = Polygon { rings: vec![square(10.0, 10.0, 1.0)] };
        let area = Area::new(vec![ring, island]).unwrap();
        assert!(area.contains(0.5, 0.5));
        assert!(!area.contains(2.0, 2.0), "in the hole");
        assert!(area.contains(10.5, 10.5), "on the island");
        assert!(!area.contains(5.0, 5.0));
        let index = AreaIndex::new(
            vec![("a", area), ("b", Area::new(vec![Polygon { rings: vec![square(1.0, 1.0, 2.0)] }]).unwrap())],
            0.5,
        );
        assert_eq!(index.locate(2.0, 2.0), Some(&"b"));
        assert_eq!(index.locate(0.5, 3.5), Some(&"a"));
        assert_eq!(index.locate(-1.0, 0.0), None);
    }
}
