//! Bench (bench/geo.sh): reads the communes of ../shared/data/boundaries/communes-6-departements.geojson, builds
//! the grid index, and places 100,000 points, each drawn in the box of a commune, in the commune that contains
//! it. Prints the times and how many points fell in a commune (the others are outside every outline: the sea,
//! a neighbouring département).
//! Usage: assign_points COMMUNES.geojson [POINTS]

use std::time::Instant;

use encommun::geo::geojson::{read, Geometry};
use encommun::geo::shapes::{Area, AreaIndex};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or_else(|| anyhow::anyhow!("usage : assign_points COMMUNES.geojson [POINTS]"))?;
    let count: usize = args.next().map_or(Ok(100_000), |n| n.parse())?;
    let started = Instant::now();
    let collection = read(&std::fs::read_to_string(&path)?).map_err(anyhow::Error::msg)?;
    let areas: Vec<(String, Area)> = collection
        .features
        .into_iter()
        .filter_map(|f| {
            let code = f.property(&["code"])?;
            match f.geometry {
                Geometry::Area(area) => Some((code, area)),
                Geometry::Point(..) => None,
            }
        })
        .collect();
    let read_time = started.elapsed();
    let started = Instant::now();
    let index = AreaIndex::new(areas.clone(), 0.05);
    let index_time = started.elapsed();
    // A deterministic spread of points over the box (a linear congruential sequence).
    let mut state: u64 = 42;
    let mut next = || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    // Each point in the box of a commune drawn at random: near communes, where real places are.
    let boxes: Vec<_> = areas.iter().map(|(_, a)| a.bbox).collect();
    let points: Vec<(f64, f64)> = (0..count)
        .map(|_| {
            let b = boxes[(next() * boxes.len() as f64) as usize % boxes.len()];
            (b.min_lon + next() * (b.max_lon - b.min_lon), b.min_lat + next() * (b.max_lat - b.min_lat))
        })
        .collect();
    let started = Instant::now();
    let placed = points.iter().filter(|(lon, lat)| index.locate(*lon, *lat).is_some()).count();
    let assign_time = started.elapsed();
    println!(
        "{} communes, lecture {:.3} s, index {:.3} s, {count} points placés en {:.3} s ({placed} dans une commune)",
        index.len(),
        read_time.as_secs_f64(),
        index_time.as_secs_f64(),
        assign_time.as_secs_f64()
    );
    Ok(())
}
