//! Reading GeoJSON as people upload it: a FeatureCollection or a single Feature, Points, Polygons and
//! MultiPolygons, in WGS84 degrees or in Lambert-93 metres (named by the file's `crs`, or recognised from the
//! coordinates themselves), always returned in WGS84. Anything else is refused with the feature's number.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
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

/// The members of a GeoJSON object (a collection, a feature or a geometry) this reader uses. The bulky ones stay
/// unparsed, borrowed from the text, until their turn: coordinates are read straight into numbers, never into a
/// `Value` tree, which for a national file of outlines weighs ten times the file in small allocations (issue 14:
/// the server kept each upload's tree in its allocator's arenas, 120 MB after the first).
#[derive(Deserialize, Default)]
struct Member<'a> {
    #[serde(rename = "type", default)]
    kind: Option<Value>,
    #[serde(borrow, default)]
    features: Option<&'a RawValue>,
    #[serde(default)]
    properties: Option<Value>,
    #[serde(borrow, default)]
    geometry: Option<&'a RawValue>,
    #[serde(default)]
    crs: Option<Value>,
    #[serde(borrow, default)]
    coordinates: Option<&'a RawValue>,
}

impl<'a> Member<'a> {
    /// The object a member holds; an empty one when it holds something else (as `Value::get` gives nothing).
    /// An array is not read as an object (serde would take its items as the members in order).
    fn of(raw: &'a RawValue) -> Member<'a> {
        if !raw.get().trim_start().starts_with('{') {
            return Member::default();
        }
        serde_json::from_str(raw.get()).unwrap_or_default()
    }

    fn kind(&self) -> Option<&str> {
        self.kind.as_ref().and_then(Value::as_str)
    }
}

/// A position: longitude and latitude (or x and y), any further number (an altitude) ignored.
struct Position(f64, f64);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PositionVisitor;
        impl<'de> Visitor<'de> for PositionVisitor {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a position [x, y]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                let missing = || de::Error::invalid_length(1, &self);
                let x = seq.next_element::<f64>()?.ok_or_else(missing)?;
                let y = seq.next_element::<f64>()?.ok_or_else(missing)?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Position(x, y))
            }
        }
        deserializer.deserialize_seq(PositionVisitor)
    }
}

fn ring(positions: Vec<Position>) -> Option<Ring> {
    let ring: Ring = positions.into_iter().map(|Position(x, y)| (x, y)).collect();
    (ring.len() >= 4).then_some(ring)
}

fn polygon(rings: Vec<Vec<Position>>) -> Option<Polygon> {
    let rings: Option<Vec<Ring>> = rings.into_iter().map(ring).collect();
    rings.filter(|r| !r.is_empty()).map(|rings| Polygon { rings })
}

/// The polygons of a Polygon's or a MultiPolygon's coordinates, read without an intermediate tree.
fn polygons(kind: &str, coordinates: &RawValue) -> Option<Vec<Polygon>> {
    if kind == "Polygon" {
        polygon(serde_json::from_str(coordinates.get()).ok()?).map(|p| vec![p])
    } else {
        let all: Vec<Vec<Vec<Position>>> = serde_json::from_str(coordinates.get()).ok()?;
        all.into_iter().map(polygon).collect()
    }
}

fn pair(value: &Value) -> Option<(f64, f64)> {
    match value.as_array()?.as_slice() {
        [x, y, ..] => Some((x.as_f64()?, y.as_f64()?)),
        _ => None,
    }
}

/// The first coordinate of a geometry, to recognise its system.
fn first_pair(value: &Value) -> Option<(f64, f64)> {
    pair(value).or_else(|| value.as_array()?.iter().find_map(first_pair))
}

/// Reads a GeoJSON text. `Err` says what is wrong, naming the feature (counted from 1).
pub fn read(text: &str) -> Result<Collection, String> {
    // Checks the whole text first, so that a syntax error is named by its line whatever its place.
    let root: &RawValue = serde_json::from_str(text)
        .map_err(|e| format!("Le fichier n’est pas du GeoJSON lisible (ligne {}) : {e}.", e.line()))?;
    let root = Member::of(root);
    let named = root.crs.as_ref().and_then(|crs| crs.pointer("/properties/name")?.as_str()).unwrap_or("").to_owned();
    let features: Vec<Member> = match root.kind() {
        Some("FeatureCollection") => {
            let list: Vec<&RawValue> = root
                .features
                .and_then(|list| serde_json::from_str(list.get()).ok())
                .ok_or("La collection n’a pas de liste « features ».")?;
            list.into_iter().map(Member::of).collect()
        }
        Some("Feature") => vec![root],
        _ => return Err("Le fichier doit être une FeatureCollection ou une Feature GeoJSON.".into()),
    };
    let geometries: Vec<Option<Member>> = features.iter().map(|f| f.geometry.map(Member::of)).collect();
    let crs = if named.contains("2154") {
        Crs::Lambert93
    } else if named.is_empty() || named.contains("CRS84") || named.contains("4326") {
        // Without a name, the coordinates tell: degrees, or metres of Lambert-93. Only the first geometry that
        // has a position is read into a tree.
        let first =
            geometries.iter().flatten().find_map(|g| first_pair(&serde_json::from_str(g.coordinates?.get()).ok()?));
        match first {
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
    for (index, (feature, geometry)) in features.into_iter().zip(geometries).enumerate() {
        let number = index + 1;
        let bad = |why: &str| format!("Objet n° {number} : {why}.");
        let properties = match feature.properties {
            Some(Value::Object(properties)) => properties,
            _ => Map::new(),
        };
        let geometry = geometry.ok_or_else(|| bad("il n’a pas de géométrie"))?;
        let coordinates = geometry.coordinates.ok_or_else(|| bad("sa géométrie n’a pas de coordonnées"))?;
        let geometry = match geometry.kind() {
            Some("Point") => {
                let Position(x, y) = serde_json::from_str(coordinates.get()).map_err(|_| bad("point illisible"))?;
                let (lon, lat) = convert((x, y));
                Geometry::Point(lon, lat)
            }
            Some(kind @ ("Polygon" | "MultiPolygon")) => {
                let mut polygons = polygons(kind, coordinates)
                    .ok_or_else(|| bad("contour illisible (chaque anneau demande au moins 4 points)"))?;
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
        assert!(read("[1, 2]").unwrap_err().contains("FeatureCollection ou une Feature"));
        let array =
            r#"{"type":"FeatureCollection","features":[["Feature",null,{},{"type":"Point","coordinates":[1,45]}]]}"#;
        assert!(read(array).unwrap_err().contains("Objet n° 1 : il n’a pas de géométrie"), "a feature is an object");
        let polygon = r#"{"type":"Feature","properties":{"code":41},"geometry":{"type":"Polygon","coordinates":[[[1,47],[2,47],[2,48,120],[1,47]]]}}"#;
        let read_polygon = read(polygon).unwrap();
        assert_eq!(read_polygon.features[0].property(&["code"]).as_deref(), Some("41"));
        assert!(
            matches!(&read_polygon.features[0].geometry, Geometry::Area(a) if a.polygons[0].rings[0][2] == (2.0, 48.0))
        );
        let short = polygon.replace("[2,48,120],", "");
        assert!(read(&short).unwrap_err().contains("chaque anneau demande au moins 4 points"));
    }
}
