//! Territories' outlines (WGS84), stored as the coordinates of a GeoJSON MultiPolygon with their bounding box.

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::{territories, territory_boundaries};
use super::{now, DbConnection};
use crate::domain::territory::TerritoryKind;
use crate::geo::shapes::{Area, AreaIndex, Polygon, Ring};

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

/// How many territories of a kind have no outline, and the names of the first `named` of them (by name).
pub fn territories_without_outline(
    conn: &mut DbConnection,
    kind: TerritoryKind,
    named: i64,
) -> QueryResult<(i64, Vec<String>)> {
    let without = || {
        territories::table
            .left_join(territory_boundaries::table)
            .filter(territories::kind.eq(kind.code()))
            .filter(territory_boundaries::territory_id.is_null())
    };
    let count = without().count().get_result(conn)?;
    let names = without().select(territories::name).order(territories::name).limit(named).load(conn)?;
    Ok((count, names))
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

/// Where a place lies: its commune when known, its EPCI and its département. Each is known from the finest outline
/// that holds the place (a commune where commune outlines exist, else its EPCI, else its département) or from the
/// commune its code names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    pub commune_id: Option<i64>,
    pub epci_id: Option<i64>,
    pub departement_code: Option<String>,
}

/// Everything needed to place many rows at once (an import) without a query per row: the codes that name a
/// current commune, the outlines of communes, EPCI and départements, and what each commune and EPCI belongs to.
pub struct Gazetteer {
    /// Every code a file may carry for a commune (its current code, or one of `commune_codes`) → the current commune.
    pub commune_by_code: HashMap<String, i64>,
    communes: AreaIndex<i64>,
    epcis: AreaIndex<i64>,
    departements: AreaIndex<String>,
    /// A commune's EPCI and département.
    commune_parents: HashMap<i64, (Option<i64>, Option<String>)>,
    epci_departements: HashMap<i64, Option<String>>,
}

impl Gazetteer {
    pub fn load(conn: &mut DbConnection) -> QueryResult<Gazetteer> {
        let commune_rows: Vec<(i64, String, Option<String>, Option<String>)> = territories::table
            .filter(territories::kind.eq(TerritoryKind::Commune.code()))
            .select((territories::id, territories::code, territories::epci_code, territories::departement_code))
            .load(conn)?;
        let epci_rows: Vec<(i64, String, Option<String>)> = territories::table
            .filter(territories::kind.eq(TerritoryKind::Epci.code()))
            .select((territories::id, territories::code, territories::departement_code))
            .load(conn)?;
        let epci_ids: HashMap<&str, i64> = epci_rows.iter().map(|(id, code, _)| (code.as_str(), *id)).collect();
        let commune_parents = commune_rows
            .iter()
            .map(|(id, _, epci, dep)| (*id, (epci.as_deref().and_then(|e| epci_ids.get(e).copied()), dep.clone())))
            .collect();
        let mut commune_by_code: HashMap<String, i64> =
            commune_rows.into_iter().map(|(id, code, _, _)| (code, id)).collect();
        for (code, current) in super::territories::commune_code_aliases(conn)? {
            if let Some(id) = commune_by_code.get(&current).copied() {
                commune_by_code.entry(code).or_insert(id);
            }
        }
        let departements = areas_of_kind(conn, TerritoryKind::Departement)?;
        let departement_codes: HashMap<i64, String> = territories::table
            .filter(territories::kind.eq(TerritoryKind::Departement.code()))
            .select((territories::id, territories::code))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        Ok(Gazetteer {
            commune_by_code,
            communes: AreaIndex::new(areas_of_kind(conn, TerritoryKind::Commune)?, 0.05),
            epcis: AreaIndex::new(areas_of_kind(conn, TerritoryKind::Epci)?, 0.2),
            departements: AreaIndex::new(
                departements.into_iter().filter_map(|(id, a)| Some((departement_codes.get(&id)?.clone(), a))).collect(),
                0.5,
            ),
            commune_parents,
            epci_departements: epci_rows.into_iter().map(|(id, _, dep)| (id, dep)).collect(),
        })
    }

    pub fn of_commune(&self, commune_id: i64) -> Placement {
        let (epci_id, departement_code) = self.commune_parents.get(&commune_id).cloned().unwrap_or_default();
        Placement { commune_id: Some(commune_id), epci_id, departement_code }
    }

    /// By the finest outline that holds the point: a commune, else an EPCI, else a département.
    pub fn at(&self, lon: f64, lat: f64) -> Placement {
        if let Some(commune) = self.communes.locate(lon, lat) {
            return self.of_commune(*commune);
        }
        if let Some(epci) = self.epcis.locate(lon, lat) {
            let departement_code = self.epci_departements.get(epci).cloned().flatten();
            return Placement { commune_id: None, epci_id: Some(*epci), departement_code };
        }
        Placement { departement_code: self.departements.locate(lon, lat).cloned(), ..Placement::default() }
    }
}

/// The placement of a commune: itself, its EPCI and its département.
pub fn placement_of_commune(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Placement> {
    let (epci_code, departement_code): (Option<String>, Option<String>) = territories::table
        .find(commune_id)
        .select((territories::epci_code, territories::departement_code))
        .first(conn)?;
    let epci_id = match epci_code {
        Some(code) => territories::table
            .filter(territories::kind.eq(TerritoryKind::Epci.code()))
            .filter(territories::code.eq(code))
            .select(territories::id)
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(Placement { commune_id: Some(commune_id), epci_id, departement_code })
}

/// The placement of a point, by the finest outline that holds it.
pub fn placement_at(conn: &mut DbConnection, lon: f64, lat: f64) -> QueryResult<Placement> {
    if let Some(commune) = territory_at(conn, TerritoryKind::Commune, lon, lat)? {
        return placement_of_commune(conn, commune);
    }
    if let Some(epci) = territory_at(conn, TerritoryKind::Epci, lon, lat)? {
        let departement_code = territories::table.find(epci).select(territories::departement_code).first(conn)?;
        return Ok(Placement { commune_id: None, epci_id: Some(epci), departement_code });
    }
    let departement = match territory_at(conn, TerritoryKind::Departement, lon, lat)? {
        Some(id) => Some(territories::table.find(id).select(territories::code).first(conn)?),
        None => None,
    };
    Ok(Placement { commune_id: None, epci_id: None, departement_code: departement })
}

/// The territory of a kind whose outline holds the point, among those whose box does (read through the boxes, so
/// only a few outlines are parsed).
fn territory_at(conn: &mut DbConnection, kind: TerritoryKind, lon: f64, lat: f64) -> QueryResult<Option<i64>> {
    let rows: Vec<(i64, String)> = territory_boundaries::table
        .inner_join(territories::table)
        .filter(territories::kind.eq(kind.code()))
        .filter(territory_boundaries::min_lon.le(lon))
        .filter(territory_boundaries::max_lon.ge(lon))
        .filter(territory_boundaries::min_lat.le(lat))
        .filter(territory_boundaries::max_lat.ge(lat))
        .select((territory_boundaries::territory_id, territory_boundaries::geometry))
        .load(conn)?;
    Ok(rows.into_iter().find(|(_, geometry)| area_of(geometry).is_some_and(|a| a.contains(lon, lat))).map(|(id, _)| id))
}
