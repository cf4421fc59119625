//! Drawing areas as SVG paths: a frame fits the areas' boxes into a picture of a given width (longitudes shortened
//! by the cosine of the middle latitude, so that shapes keep their look at French latitudes), and each area
//! becomes one path, holes included (to be filled with `fill-rule="evenodd"`).

use std::fmt::Write as _;

use super::shapes::{Area, BBox};

/// How degrees become picture units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    bbox: BBox,
    scale: f64,
    shrink: f64,
}

impl Frame {
    /// A frame holding every box, `width` units wide with a margin of 2 %; None without boxes.
    pub fn fitting(boxes: &[BBox], width: f64) -> Option<Frame> {
        let first = *boxes.first()?;
        let bbox = boxes.iter().fold(first, |b, x| BBox {
            min_lon: b.min_lon.min(x.min_lon),
            min_lat: b.min_lat.min(x.min_lat),
            max_lon: b.max_lon.max(x.max_lon),
            max_lat: b.max_lat.max(x.max_lat),
        });
        let shrink = ((bbox.min_lat + bbox.max_lat) / 2.0).to_radians().cos();
        let (span_x, span_y) =
            (((bbox.max_lon - bbox.min_lon) * shrink).max(1e-9), (bbox.max_lat - bbox.min_lat).max(1e-9));
        let scale = width * 0.96 / span_x;
        Some(Frame { width, height: span_y * scale / 0.96, bbox, scale, shrink })
    }

    /// Picture units per kilometre (a degree of latitude is 111.32 km), for a scale bar.
    pub fn units_per_km(&self) -> f64 {
        self.scale / 111.32
    }

    pub fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        let margin = self.width * 0.02;
        (margin + (lon - self.bbox.min_lon) * self.shrink * self.scale, margin + (self.bbox.max_lat - lat) * self.scale)
    }
}

/// The path data of an area: one closed subpath per ring, points closer than half a unit to the last kept one
/// left out (they would not show, and they weigh).
pub fn path_data(area: &Area, frame: &Frame) -> String {
    let mut data = String::new();
    for ring in area.polygons.iter().flat_map(|p| p.rings.iter()) {
        let mut last: Option<(f64, f64)> = None;
        for &(lon, lat) in ring {
            let (x, y) = frame.point(lon, lat);
            match last {
                Some((lx, ly)) if (x - lx).abs() < 0.5 && (y - ly).abs() < 0.5 => continue,
                Some(_) => {
                    let _ = write!(data, "L{x:.1} {y:.1}");
                }
                None => {
                    let _ = write!(data, "M{x:.1} {y:.1}");
                }
            }
            last = Some((x, y));
        }
        data.push('Z');
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::shapes::Polygon;

    #[test]
    fn a_square_fills_its_frame_within_the_margin() {
        let ring = vec![(1.0, 47.0), (2.0, 47.0), (2.0, 48.0), (1.0, 48.0), (1.0, 47.0)];
        let area = Area::new(vec![Polygon { rings: vec![ring] }]).unwrap();
        let frame = Frame::fitting(&[area.bbox], 500.0).unwrap();
        assert!(frame.height > frame.width, "a degree of longitude is shorter than one of latitude at 47.5°");
        let data = path_data(&area, &frame);
        assert!(data.starts_with("M10.0 "), "{data}");
        assert_eq!(data.matches('L').count(), 4);
        assert!(data.ends_with('Z'));
        assert_eq!(Frame::fitting(&[], 500.0), None);
    }
}
