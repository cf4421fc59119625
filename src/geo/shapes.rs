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

/// Whether two edges of the ring cross (a "bow tie"): such a ring has no inside for the even-odd rule in places,
/// and GIS tools call the polygon invalid. Edges are bucketed on a grid of about √n × √n cells over the ring's
/// box, so only edges sharing a cell are compared. Adjacent edges (which share a point) do not count; nor do
/// edges that only touch.
pub fn ring_crosses_itself(ring: &[(f64, f64)]) -> bool {
    let n = ring.len().saturating_sub(1);
    if n < 4 {
        return false;
    }
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in ring {
        (min_x, min_y, max_x, max_y) = (min_x.min(x), min_y.min(y), max_x.max(x), max_y.max(y));
    }
    let side = (n as f64).sqrt().ceil().max(1.0);
    let (cell_x, cell_y) = (((max_x - min_x) / side).max(f64::EPSILON), ((max_y - min_y) / side).max(f64::EPSILON));
    let cell = |x: f64, y: f64| (((x - min_x) / cell_x) as i64, ((y - min_y) / cell_y) as i64);
    let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for i in 0..n {
        let ((ax, ay), (bx, by)) = (ring[i], ring[i + 1]);
        let (c0, c1) = (cell(ax.min(bx), ay.min(by)), cell(ax.max(bx), ay.max(by)));
        for x in c0.0..=c1.0 {
            for y in c0.1..=c1.1 {
                cells.entry((x, y)).or_default().push(i);
            }
        }
    }
    let orient = |(ax, ay): (f64, f64), (bx, by): (f64, f64), (cx, cy): (f64, f64)| {
        let v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
        if v > 0.0 {
            1
        } else if v < 0.0 {
            -1
        } else {
            0
        }
    };
    let cross = |i: usize, j: usize| {
        let (a, b, c, d) = (ring[i], ring[i + 1], ring[j], ring[j + 1]);
        let (o1, o2, o3, o4) = (orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b));
        o1 * o2 < 0 && o3 * o4 < 0
    };
    cells.values().any(|edges| {
        edges.iter().enumerate().any(|(k, &i)| {
            edges[k + 1..].iter().any(|&j| {
                let adjacent = i.abs_diff(j) == 1 || (i.min(j) == 0 && i.max(j) == n - 1);
                !adjacent && cross(i, j)
            })
        })
    })
}

impl Area {
    /// Whether any ring of the area crosses itself.
    pub fn is_self_intersecting(&self) -> bool {
        self.polygons.iter().flat_map(|p| &p.rings).any(|ring| ring_crosses_itself(ring))
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

    #[test]
    fn a_bow_tie_crosses_itself_a_square_does_not() {
        assert!(!ring_crosses_itself(&square(0.0, 0.0, 4.0)));
        let bow_tie = vec![(0.0, 0.0), (2.0, 2.0), (2.0, 0.0), (0.0, 2.0), (0.0, 0.0)];
        assert!(ring_crosses_itself(&bow_tie));
        // A long ring (a circle of 2,000 points) with one spike folded back across it.
        let mut circle: Ring = (0..2000)
            .map(|i| {
                let a = f64::from(i) * std::f64::consts::TAU / 2000.0;
                (a.cos(), a.sin())
            })
            .collect();
        circle.push(circle[0]);
        assert!(!ring_crosses_itself(&circle));
        circle[500] = (0.0, -2.0);
        assert!(ring_crosses_itself(&circle));
    }
}
