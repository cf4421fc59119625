//! Geography without a GIS: GeoJSON in WGS84 or Lambert-93, areas and the points inside them, and a grid index
//! to place many points in many areas. Pure: no actix, no diesel.

pub mod geojson;
pub mod projection;
pub mod shapes;
pub mod svg;
