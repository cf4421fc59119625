//! Territory outlines from GeoJSON (communes, EPCI, départements), matched to territories by their official code:
//! a code that matches nothing is reported (often a commune merged since the file was made), points are ignored,
//! and the outlines are stored in one transaction — all or nothing.

use crate::domain::territory::TerritoryKind;
use crate::geo::geojson::{self, Collection, Crs, Geometry};
use crate::storage::territories::Territory;
use crate::storage::{self, boundaries, territories, DbConnection, QueryResult};

/// Properties that hold a territory's official code in the files people have.
const CODE_KEYS: [&str; 10] = [
    "code",
    "codgeo",
    "insee",
    "code_insee",
    "INSEE_COM",
    "siren",
    "siren_epci",
    "SIREN_EPCI",
    "code_epci",
    "CODE_DEPT",
];

/// How many territories left without an outline the report names (the others are counted).
const WITHOUT_OUTLINE_NAMED: i64 = 30;

/// What an import did.
#[derive(Debug, Default, PartialEq)]
pub struct BoundaryReport {
    /// Outlines stored, per kind of territory.
    pub stored: Vec<(TerritoryKind, usize)>,
    /// Codes that match no territory (communes merged since, a typo), in the file's order, with the kind their
    /// shape says.
    pub unknown: Vec<(TerritoryKind, String)>,
    /// Outlines whose rings cross themselves (stored all the same: a point is still placed by the even-odd rule,
    /// but the file deserves a look), as (kind, code).
    pub self_intersecting: Vec<(TerritoryKind, String)>,
    /// After the import, per kind of territory the file gave: how many of the platform's territories of that kind
    /// still have no outline, and the names of the first of them.
    pub without_outline: Vec<(TerritoryKind, i64, Vec<String>)>,
    /// Features without a recognisable code, and points (not outlines).
    pub without_code: usize,
    pub points: usize,
    pub lambert93: bool,
}

/// The kind of territory an official code names: 9 digits an EPCI (SIREN), 5 characters a commune (INSEE, with
/// 2A / 2B for Corsica), 2 or 3 a département.
pub fn kind_of_code(code: &str) -> Option<TerritoryKind> {
    let digits = code.chars().all(|c| c.is_ascii_digit());
    let corsica = code.starts_with("2A") || code.starts_with("2B");
    match code.len() {
        9 if digits => Some(TerritoryKind::Epci),
        5 if digits || (corsica && code[2..].chars().all(|c| c.is_ascii_digit())) => Some(TerritoryKind::Commune),
        2 | 3 if digits || (code.len() == 2 && corsica) => Some(TerritoryKind::Departement),
        _ => None,
    }
}

/// Reads a GeoJSON text and stores the outlines it gives, all or nothing.
pub fn import_boundaries(conn: &mut DbConnection, text: &str) -> Result<BoundaryReport, String> {
    let collection = geojson::read(text)?;
    storage::write_transaction(conn, |conn| store_outlines(conn, &collection)).map_err(|e| e.to_string())
}

/// Stores the outlines of a read collection; errors when none matches a known territory. Call it inside
/// `storage::write_transaction`.
pub fn store_outlines(conn: &mut DbConnection, collection: &Collection) -> anyhow::Result<BoundaryReport> {
    let mut report = BoundaryReport { lambert93: collection.crs == Crs::Lambert93, ..BoundaryReport::default() };
    for feature in &collection.features {
        let Geometry::Area(area) = &feature.geometry else {
            report.points += 1;
            continue;
        };
        let Some((kind, code)) = feature.property(&CODE_KEYS).and_then(|code| Some((kind_of_code(&code)?, code)))
        else {
            report.without_code += 1;
            continue;
        };
        match territory_of_code(conn, &code)? {
            Some(territory) => {
                let kind = territory.kind();
                boundaries::set_boundary(conn, territory.id, area)?;
                if area.is_self_intersecting() {
                    report.self_intersecting.push((kind, code));
                }
                match report.stored.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, n)) => *n += 1,
                    None => report.stored.push((kind, 1)),
                }
            }
            None => report.unknown.push((kind, code)),
        }
    }
    for (kind, _) in &report.stored {
        let (count, names) = boundaries::territories_without_outline(conn, *kind, WITHOUT_OUTLINE_NAMED)?;
        if count > 0 {
            report.without_outline.push((*kind, count, names));
        }
    }
    if report.stored.is_empty() {
        anyhow::bail!("Aucun contour ne correspond à un territoire connu : importez d’abord les territoires (import-territories), ou vérifiez que les objets portent leur code officiel (propriété « code »).");
    }
    Ok(report)
}

/// The territory an official code names; a SIREN is an EPCI's or, in the Métropole du Grand Paris, an EPT's.
pub fn territory_of_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Territory>> {
    let Some(kind) = kind_of_code(code) else { return Ok(None) };
    match territories::find_territory(conn, kind, code)? {
        None if kind == TerritoryKind::Epci => territories::find_territory(conn, TerritoryKind::Ept, code),
        found => Ok(found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_codes_say_their_kind() {
        assert_eq!(kind_of_code("86066"), Some(TerritoryKind::Commune));
        assert_eq!(kind_of_code("2A004"), Some(TerritoryKind::Commune));
        assert_eq!(kind_of_code("248600413"), Some(TerritoryKind::Epci));
        assert_eq!(kind_of_code("41"), Some(TerritoryKind::Departement));
        assert_eq!(kind_of_code("2B"), Some(TerritoryKind::Departement));
        assert_eq!(kind_of_code("974"), Some(TerritoryKind::Departement));
        assert_eq!(kind_of_code("Blois"), None);
        assert_eq!(kind_of_code("8606"), None);
    }
}
