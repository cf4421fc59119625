//! Lambert-93 (EPSG:2154, the official projection of metropolitan France, in metres) to WGS84 longitude and
//! latitude in degrees, and back. RGF93, Lambert-93's datum, matches WGS84 to within a few centimetres, so no
//! datum shift is applied. Formulas: IGN, "Projection cartographique conique conforme de Lambert" (NTG 71).

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};

/// GRS80 semi-major axis (m) and first eccentricity.
const A: f64 = 6_378_137.0;
const E: f64 = 0.081_819_191_042_815_8;
const LON0: f64 = 3.0;
const LAT0: f64 = 46.5;
const LAT1: f64 = 44.0;
const LAT2: f64 = 49.0;
const X0: f64 = 700_000.0;
const Y0: f64 = 6_600_000.0;

/// The isometric latitude's exponential form used by the conic projection.
fn t(lat: f64) -> f64 {
    let s = E * lat.sin();
    (FRAC_PI_4 - lat / 2.0).tan() / ((1.0 - s) / (1.0 + s)).powf(E / 2.0)
}

fn m(lat: f64) -> f64 {
    lat.cos() / (1.0 - (E * lat.sin()).powi(2)).sqrt()
}

/// The projection's constants: n, F, ρ0.
fn constants() -> (f64, f64, f64) {
    let (p1, p2, p0) = (LAT1.to_radians(), LAT2.to_radians(), LAT0.to_radians());
    let n = (m(p1).ln() - m(p2).ln()) / (t(p1).ln() - t(p2).ln());
    let f = m(p1) / (n * t(p1).powf(n));
    (n, f, A * f * t(p0).powf(n))
}

/// Lambert-93 (x, y) in metres → (longitude, latitude) in degrees.
pub fn lambert93_to_wgs84(x: f64, y: f64) -> (f64, f64) {
    let (n, f, rho0) = constants();
    let (dx, dy) = (x - X0, rho0 - (y - Y0));
    let rho = dx.hypot(dy);
    let t = (rho / (A * f)).powf(1.0 / n);
    let lon = dx.atan2(dy) / n + LON0.to_radians();
    let mut lat = FRAC_PI_2 - 2.0 * t.atan();
    for _ in 0..15 {
        let s = E * lat.sin();
        let next = FRAC_PI_2 - 2.0 * (t * ((1.0 - s) / (1.0 + s)).powf(E / 2.0)).atan();
        let done = (next - lat).abs() < 1e-12;
        lat = next;
        if done {
            break;
        }
    }
    (lon.to_degrees(), lat.to_degrees())
}

/// (longitude, latitude) in degrees → Lambert-93 (x, y) in metres.
pub fn wgs84_to_lambert93(lon: f64, lat: f64) -> (f64, f64) {
    let (n, f, rho0) = constants();
    let rho = A * f * t(lat.to_radians()).powf(n);
    let theta = n * (lon - LON0).to_radians();
    (X0 + rho * theta.sin(), Y0 + rho0 - rho * theta.cos())
}

/// Whether (x, y) can only be Lambert-93 metres over metropolitan France (and not degrees).
pub fn looks_like_lambert93(x: f64, y: f64) -> bool {
    (-400_000.0..=1_600_000.0).contains(&x) && (5_900_000.0..=7_300_000.0).contains(&y)
}

/// Whether (lon, lat) are degrees of WGS84.
pub fn looks_like_degrees(lon: f64, lat: f64) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_and_known_places_project_where_ign_puts_them() {
        let (lon, lat) = lambert93_to_wgs84(700_000.0, 6_600_000.0);
        assert!((lon - 3.0).abs() < 1e-9 && (lat - 46.5).abs() < 1e-9, "{lon} {lat}");
        // Reference values computed with PROJ (pyproj 3, EPSG:2154 → EPSG:4326): central Paris, and the first
        // EPCI point of ANCT's file (CC Faucigny - Glières).
        for ((x, y), (want_lon, want_lat)) in [
            ((651_215.28, 6_861_580.26), (2.335_165_740, 48.852_414_513)),
            ((963_921.567_874_665, 6_554_156.7), (6.413_434_035, 46.035_816_892)),
        ] {
            let (lon, lat) = lambert93_to_wgs84(x, y);
            assert!((lon - want_lon).abs() < 1e-7 && (lat - want_lat).abs() < 1e-7, "{lon} {lat}");
        }
        for (lon, lat) in [(-4.7, 48.4), (7.7, 48.6), (9.4, 42.0), (0.6, 46.8)] {
            let (x, y) = wgs84_to_lambert93(lon, lat);
            assert!(looks_like_lambert93(x, y), "{x} {y}");
            let (back_lon, back_lat) = lambert93_to_wgs84(x, y);
            assert!((back_lon - lon).abs() < 1e-9 && (back_lat - lat).abs() < 1e-9);
        }
        assert!(!looks_like_lambert93(0.6, 46.8) && looks_like_degrees(0.6, 46.8));
    }
}
