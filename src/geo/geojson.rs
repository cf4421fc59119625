//! Reading GeoJSON as people upload it: a FeatureCollection or a single Feature, Points, Polygons and
//! MultiPolygons, in WGS84 degrees or in Lambert-93 metres (named by the file's `crs`, or recognised from the
//! coordinates themselves), always returned in WGS84. Anything else is refused with the feature's number.

use serde_json::{Map, Value};

use super::projection::{lambert93_to_wgs84, looks_like_degrees, looks_like_lambert93};
use super::shapes::{Area, Polygon, Ring};

/// A feature's geometry, in WGS84 degrees.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    Point(f64, f64),
    Area(Area),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub properties: Map<String, Value>,
    pub geometry: Geometry,
}

impl Feature {
    /// The first of `keys` present as text or number among the properties (an official code, a name…).
    pub fn property(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| match self.properties.get(*key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    }
}

/// The coordinate system a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crs {
    Wgs84,
    Lambert93,
}

/// What a file gives: its features (in WGS84) and the system its coordinates were in.
#[derive(Debug)]
pub struct Collection {
    pub features: Vec<Feature>,
    pub crs: Crs,
}

fn pair(value: &Value) -> Option<(f64, f64)> {
    match value.as_array()?.as_slice() {
        [x, y, ..] => Some((x.as_f64()?, y.as_f64()?)),
        _ => None,
    }
}

fn ring(value: &Value) -> Option<Ring> {
    let points: Option<Ring> = value.as_array()?.iter().map(pair).collect();
    points.filter(|p| p.len() >= 4)
}

fn polygon(value: &Value) -> Option<Polygon> {
    let rings: Option<Vec<Ring>> = value.as_array()?.iter().map(ring).collect();
    rings.filter(|r| !r.is_empty()).map(|rings| Polygon { rings })
}

/// The first coordinate of a geometry, to recognise its system.
fn first_pair(value: &Value) -> Option<(f64, f64)> {
    pair(value).or_else(|| value.as_array()?.iter().find_map(first_pair))
}

/// Reads a GeoJSON text. `Err` says what is wrong, naming the feature (counted from 1).
pub fn read(text: &str) -> Result<Collection, String> {
    let root: Value = serde_json::from_str(text)
        .map_err(|e| format!("Le fichier n’est pas du GeoJSON lisible (ligne {}) : {e}.", e.line()))?;
    let features: Vec<&Value> = match root.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => root
            .get("features")
            .and_then(Value::as_array)
            .ok_or("La collection n’a pas de liste « features ».")?
            .iter()
            .collect(),
        Some("Feature") => vec![&root],
        _ => return Err("Le fichier doit être une FeatureCollection ou une Feature GeoJSON.".into()),
    };
    let named = root.pointer("/crs/properties/name").and_then(Value::as_str).unwrap_or("");
    let crs = if named.contains("2154") {
        Crs::Lambert93
    } else if named.is_empty() || named.contains("CRS84") || named.contains("4326") {
        // Without a name, the coordinates tell: degrees, or metres of Lambert-93.
        match features.iter().find_map(|f| first_pair(f.get("geometry")?.get("coordinates")?)) {
            Some((x, y)) if looks_like_degrees(x, y) => Crs::Wgs84,
            Some((x, y)) if named.is_empty() && looks_like_lambert93(x, y) => Crs::Lambert93,
            Some((x, y)) => {
                return Err(format!(
                    "Système de coordonnées non reconnu (premier point : {x}, {y}) : enregistrez le fichier en WGS84 (EPSG:4326) ou en Lambert-93 (EPSG:2154)."
                ))
            }
            None => Crs::Wgs84,
        }
    } else {
        return Err(format!(
            "Système de coordonnées « {named} » non pris en charge : enregistrez le fichier en WGS84 (EPSG:4326) ou en Lambert-93 (EPSG:2154)."
        ));
    };
    let convert = |(x, y): (f64, f64)| match crs {
        Crs::Wgs84 => (x, y),
        Crs::Lambert93 => lambert93_to_wgs84(x, y),
    };
    let mut read = Vec::with_capacity(features.len());
    for (index, feature) in features.iter().enumerate() {
        let number = index + 1;
        let bad = |why: &str| format!("Objet n° {number} : {why}.");
        let properties = feature.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
        let geometry =
            feature.get("geometry").filter(|g| !g.is_null()).ok_or_else(|| bad("il n’a pas de géométrie"))?;
        let coordinates = geometry.get("coordinates").ok_or_else(|| bad("sa géométrie n’a pas de coordonnées"))?;
        let geometry = match geometry.get("type").and_then(Value::as_str) {
            Some("Point") => {
                let point = pair(coordinates).map(convert).ok_or_else(|| bad("point illisible"))?;
                Geometry::Point(point.0, point.1)
            }
            Some(kind @ ("Polygon" | "MultiPolygon")) => {
                let polygons: Option<Vec<Polygon>> = if kind == "Polygon" {
                    polygon(coordinates).map(|p| vec![p])
                } else {
                    coordinates.as_array().and_then(|all| all.iter().map(polygon).collect())
                };
                let mut polygons =
                    polygons.ok_or_else(|| bad("contour illisible (chaque anneau demande au moins 4 points)"))?;
                for ring in polygons.iter_mut().flat_map(|p| p.rings.iter_mut()) {
                    for point in ring.iter_mut() {
                        *point = convert(*point);
                    }
                }
                Geometry::Area(Area::new(polygons).ok_or_else(|| bad("contour vide"))?)
            }
            Some(other) => {
                return Err(bad(&format!("géométrie « {other} » non prise en charge (Point, Polygon ou MultiPolygon)")))
            }
            None => return Err(bad("géométrie sans type")),
        };
        let in_range = match &geometry {
            Geometry::Point(lon, lat) => looks_like_degrees(*lon, *lat),
            Geometry::Area(area) => {
                looks_like_degrees(area.bbox.min_lon, area.bbox.min_lat)
                    && looks_like_degrees(area.bbox.max_lon, area.bbox.max_lat)
            }
        };
        if !in_range {
            return Err(bad("coordonnées hors des limites de la Terre : le système de coordonnées du fichier n’est pas celui qu’il annonce"));
        }
        read.push(Feature { properties, geometry });
    }
    Ok(Collection { features: read, crs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared_data::shared_data;

    #[test]
    fn every_shared_boundary_file_reads_in_wgs84() {
        let files = [
            ("boundaries/communes-6-departements.geojson", 2136),
            ("boundaries/epci-6-departements-dissolved.geojson", 67),
            ("boundaries/departements-simplifies.geojson", 96),
            ("boundaries/departement-41-single-feature.geojson", 1),
            ("boundaries/communes-86-cog2018.geojson", 274),
        ];
        let Some(data) = shared_data(&files.map(|(path, _)| path)) else { return };
        for (path, count) in files {
            let collection = read(&data.text(path)).unwrap();
            assert_eq!(collection.crs, Crs::Wgs84, "{path}");
            assert_eq!(collection.features.len(), count, "{path}");
            assert!(collection.features.iter().all(|f| matches!(f.geometry, Geometry::Area(_))), "{path}");
        }
    }

    #[test]
    fn lambert93_points_are_recognised_and_land_in_their_epci() {
        let Some(data) =
            shared_data(&["anct/epci-points-lambert93.geojson", "boundaries/epci-6-departements-dissolved.geojson"])
        else {
            return;
        };
        let shared = |path: &str| data.text(path);
        let points = read(&shared("anct/epci-points-lambert93.geojson")).unwrap();
        assert_eq!(points.crs, Crs::Lambert93);
        assert_eq!(points.features.len(), 1255);
        let epcis = read(&shared("boundaries/epci-6-departements-dissolved.geojson")).unwrap();
        let mut checked = 0;
        for epci in &epcis.features {
            let Geometry::Area(area) = &epci.geometry else { continue };
            let code = epci.property(&["code"]).unwrap();
            let Some(point) =
                points.features.iter().find(|p| p.property(&["siren_epci"]).as_deref() == Some(code.as_str()))
            else {
                continue;
            };
            let Geometry::Point(lon, lat) = point.geometry else { panic!("a point") };
            assert!(area.contains(lon, lat), "the point of {code} falls outside its EPCI ({lon}, {lat})");
            checked += 1;
        }
        assert!(checked > 50, "{checked} EPCI checked");
        let text = shared("anct/epci-points-lambert93.geojson").replace("EPSG::2154", "EPSG::3857");
        assert!(read(&text).unwrap_err().contains("« urn:ogc:def:crs:EPSG::3857 » non pris en charge"));
        // Without its `crs` member, the metres are recognised all the same.
        let mut root: Value = serde_json::from_str(&shared("anct/epci-points-lambert93.geojson")).unwrap();
        root.as_object_mut().unwrap().remove("crs");
        assert_eq!(read(&root.to_string()).unwrap().crs, Crs::Lambert93);
    }

    #[test]
    fn unreadable_geometries_are_named() {
        let line = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,45],[1,46]]}}]}"#;
        assert!(read(line).unwrap_err().contains("Objet n° 1 : géométrie « LineString »"));
        let odd = r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[123456789,1]}}"#;
        assert!(read(odd).unwrap_err().contains("Système de coordonnées non reconnu"));
        assert!(read("pas du json").unwrap_err().contains("ligne 1"));
    }
}
