//! Territories' outlines (WGS84), stored as the coordinates of a GeoJSON MultiPolygon with their bounding box.

use diesel::prelude::*;

use super::schema::{territories, territory_boundaries};
use super::{now, DbConnection};
use crate::domain::territory::TerritoryKind;
use crate::geo::shapes::{Area, Polygon, Ring};

fn coordinates(area: &Area) -> String {
    let polygons: Vec<&Vec<Ring>> = area.polygons.iter().map(|p| &p.rings).collect();
    serde_json::to_string(&polygons).unwrap_or_else(|_| "[]".into())
}

fn area_of(geometry: &str) -> Option<Area> {
    let polygons: Vec<Vec<Ring>> = serde_json::from_str(geometry).ok()?;
    Area::new(polygons.into_iter().map(|rings| Polygon { rings }).collect())
}

/// Sets a territory's outline, replacing the one it had. Call it inside `storage::write_transaction`.
pub fn set_boundary(conn: &mut DbConnection, territory_id: i64, area: &Area) -> QueryResult<()> {
    diesel::delete(territory_boundaries::table.find(territory_id)).execute(conn)?;
    diesel::insert_into(territory_boundaries::table)
        .values((
            territory_boundaries::territory_id.eq(territory_id),
            territory_boundaries::geometry.eq(coordinates(area)),
            territory_boundaries::min_lon.eq(area.bbox.min_lon),
            territory_boundaries::min_lat.eq(area.bbox.min_lat),
            territory_boundaries::max_lon.eq(area.bbox.max_lon),
            territory_boundaries::max_lat.eq(area.bbox.max_lat),
            territory_boundaries::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The outlines of every territory of a kind, with the territory's id.
pub fn areas_of_kind(conn: &mut DbConnection, kind: TerritoryKind) -> QueryResult<Vec<(i64, Area)>> {
    let rows: Vec<(i64, String)> = territory_boundaries::table
        .inner_join(territories::table)
        .filter(territories::kind.eq(kind.code()))
        .select((territory_boundaries::territory_id, territory_boundaries::geometry))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, geometry)| Some((id, area_of(&geometry)?))).collect())
}

/// How many territories of each kind have an outline.
pub fn count_boundaries_by_kind(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    territory_boundaries::table
        .inner_join(territories::table)
        .group_by(territories::kind)
        .select((territories::kind, diesel::dsl::count_star()))
        .load(conn)
}

/// The outlines of the given territories that have one.
pub fn areas_of_territories(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, Area)>> {
    let rows: Vec<(i64, String)> = territory_boundaries::table
        .filter(territory_boundaries::territory_id.eq_any(ids))
        .select((territory_boundaries::territory_id, territory_boundaries::geometry))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, geometry)| Some((id, area_of(&geometry)?))).collect())
}

/// The commune whose outline holds the point, among those whose box does (read through the boxes, so only a few
/// outlines are parsed).
pub fn commune_at(conn: &mut DbConnection, lon: f64, lat: f64) -> QueryResult<Option<i64>> {
    let rows: Vec<(i64, String)> = territory_boundaries::table
        .inner_join(territories::table)
        .filter(territories::kind.eq(TerritoryKind::Commune.code()))
        .filter(territory_boundaries::min_lon.le(lon))
        .filter(territory_boundaries::max_lon.ge(lon))
        .filter(territory_boundaries::min_lat.le(lat))
        .filter(territory_boundaries::max_lat.ge(lat))
        .select((territory_boundaries::territory_id, territory_boundaries::geometry))
        .load(conn)?;
    Ok(rows.into_iter().find(|(_, geometry)| area_of(geometry).is_some_and(|a| a.contains(lon, lat))).map(|(id, _)| id))
}
