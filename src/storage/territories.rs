//! Territories from the official files (communes, EPCI, EPT, départements, régions), their search words and
//! statistics, and the codes a commune has carried (merged since, déléguée, associée, arrondissement).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::{commune_codes, territories, territory_words};
use super::DbConnection;
use crate::domain::territory::{prefix_upper_bound, NewTerritory, TerritoryKind};

#[derive(Debug, Clone, Queryable)]
pub struct Territory {
    pub id: i64,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub search_name: String,
    pub epci_type: Option<String>,
    pub departement_code: Option<String>,
    pub region_code: Option<String>,
    pub epci_code: Option<String>,
    pub siren: Option<String>,
    pub postcodes: String,
    pub population: Option<i64>,
    pub updated_at: NaiveDateTime,
    /// For a commune of the Métropole du Grand Paris, the code of its EPT.
    pub ept_code: Option<String>,
}

impl Territory {
    pub fn kind(&self) -> TerritoryKind {
        TerritoryKind::parse(&self.kind).unwrap_or(TerritoryKind::Commune)
    }

    pub fn postcode_list(&self) -> impl Iterator<Item = &str> {
        self.postcodes.split_whitespace()
    }
}

#[derive(Insertable)]
#[diesel(table_name = territories, treat_none_as_default_value = false)]
struct TerritoryRow<'a> {
    kind: &'a str,
    code: &'a str,
    name: &'a str,
    search_name: String,
    epci_type: Option<&'a str>,
    departement_code: Option<&'a str>,
    region_code: Option<&'a str>,
    epci_code: Option<&'a str>,
    siren: Option<&'a str>,
    postcodes: &'a str,
    population: Option<i64>,
    updated_at: NaiveDateTime,
}

impl<'a> TerritoryRow<'a> {
    fn from(t: &'a NewTerritory, at: NaiveDateTime) -> Self {
        TerritoryRow {
            kind: t.kind.code(),
            code: &t.code,
            name: &t.name,
            search_name: t.search_name(),
            epci_type: t.epci_type.map(|e| e.code()),
            departement_code: t.departement_code.as_deref(),
            region_code: t.region_code.as_deref(),
            epci_code: t.epci_code.as_deref(),
            siren: t.siren.as_deref(),
            postcodes: &t.postcodes,
            population: t.population,
            updated_at: at,
        }
    }
}

/// Inserts or updates territories by (kind, code): importing the same file twice changes nothing.
/// Call it with batches of at most a few hundred rows (bind-parameter limits) inside a transaction.
pub fn upsert_territories(conn: &mut DbConnection, batch: &[NewTerritory], at: NaiveDateTime) -> QueryResult<usize> {
    let rows: Vec<TerritoryRow> = batch.iter().map(|t| TerritoryRow::from(t, at)).collect();
    // Backend-specific: diesel's MultiConnection can express neither ON CONFLICT nor a multi-row insert on SQLite.
    macro_rules! upsert {
        ($conn:expr) => {
            diesel::insert_into(territories::table)
                .values(&rows)
                .on_conflict((territories::kind, territories::code))
                .do_update()
                .set((
                    territories::name.eq(excluded(territories::name)),
                    territories::search_name.eq(excluded(territories::search_name)),
                    territories::epci_type.eq(excluded(territories::epci_type)),
                    territories::departement_code.eq(excluded(territories::departement_code)),
                    territories::region_code.eq(excluded(territories::region_code)),
                    territories::epci_code.eq(excluded(territories::epci_code)),
                    territories::siren.eq(excluded(territories::siren)),
                    territories::postcodes.eq(excluded(territories::postcodes)),
                    territories::population.eq(excluded(territories::population)),
                    territories::updated_at.eq(excluded(territories::updated_at)),
                ))
                .execute($conn)
        };
    }
    let upserted = match conn {
        DbConnection::Sqlite(c) => upsert!(c),
        DbConnection::Postgres(c) => upsert!(c),
    }?;
    index_words(conn, batch)?;
    Ok(upserted)
}

#[derive(Insertable)]
#[diesel(table_name = territory_words)]
struct WordRow {
    word: String,
    territory_id: i64,
}

/// Replaces the search words of the territories of `batch` (already stored).
fn index_words(conn: &mut DbConnection, batch: &[NewTerritory]) -> QueryResult<()> {
    let codes: Vec<&str> = batch.iter().map(|t| t.code.as_str()).collect();
    let mut kinds: Vec<&str> = batch.iter().map(|t| t.kind.code()).collect();
    kinds.dedup();
    // Both columns, so that the (kind, code) unique index serves the lookup.
    let stored: Vec<(i64, String, String)> = territories::table
        .filter(territories::kind.eq_any(&kinds))
        .filter(territories::code.eq_any(&codes))
        .select((territories::id, territories::kind, territories::code))
        .load(conn)?;
    let mut ids = Vec::with_capacity(batch.len());
    let mut rows = Vec::new();
    for territory in batch {
        let found = stored.iter().find(|(_, kind, code)| kind == territory.kind.code() && *code == territory.code);
        if let Some((id, _, _)) = found {
            ids.push(*id);
            rows.extend(territory.search_words().into_iter().map(|word| WordRow { word, territory_id: *id }));
        }
    }
    diesel::delete(territory_words::table.filter(territory_words::territory_id.eq_any(&ids))).execute(conn)?;
    // Backend-specific only because MultiConnection cannot insert several rows at once on SQLite.
    for chunk in rows.chunks(2000) {
        match conn {
            DbConnection::Sqlite(c) => diesel::insert_into(territory_words::table).values(chunk).execute(c)?,
            DbConnection::Postgres(c) => diesel::insert_into(territory_words::table).values(chunk).execute(c)?,
        };
    }
    Ok(())
}

/// After a large import, so that the planners see the new sizes at once (PostgreSQL's autovacuum would only
/// analyse later, and a re-import meanwhile would plan its deletes as if the tables were empty).
pub fn refresh_statistics(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute("PRAGMA optimize"),
        DbConnection::Postgres(c) => c.batch_execute("ANALYZE territories, territory_words"),
    }
}

pub fn find_territory(conn: &mut DbConnection, kind: TerritoryKind, code: &str) -> QueryResult<Option<Territory>> {
    territories::table
        .filter(territories::kind.eq(kind.code()))
        .filter(territories::code.eq(code))
        .first(conn)
        .optional()
}

pub fn find_territory_by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Territory>> {
    territories::table.find(id).first(conn).optional()
}

/// The codes and names of the communes, EPCI and départements that places (diagnostic sheets) lie in.
#[derive(Debug, Clone, Default)]
pub struct PlaceNames {
    territories: HashMap<i64, (String, String)>,
    departements: HashMap<String, String>,
}

impl PlaceNames {
    pub fn load(conn: &mut DbConnection, ids: &[i64], departement_codes: &[String]) -> QueryResult<PlaceNames> {
        let territories: Vec<(i64, String, String)> = territories::table
            .filter(territories::id.eq_any(ids))
            .select((territories::id, territories::code, territories::name))
            .load(conn)?;
        let departements: Vec<(String, String)> = territories::table
            .filter(territories::kind.eq(TerritoryKind::Departement.code()))
            .filter(territories::code.eq_any(departement_codes))
            .select((territories::code, territories::name))
            .load(conn)?;
        Ok(PlaceNames {
            territories: territories.into_iter().map(|(id, code, name)| (id, (code, name))).collect(),
            departements: departements.into_iter().collect(),
        })
    }

    pub fn name(&self, id: Option<i64>) -> Option<&str> {
        id.and_then(|id| self.territories.get(&id)).map(|(_, name)| name.as_str())
    }

    /// The official code: INSEE for a commune, SIREN for an EPCI.
    pub fn code(&self, id: Option<i64>) -> Option<&str> {
        id.and_then(|id| self.territories.get(&id)).map(|(code, _)| code.as_str())
    }

    pub fn departement(&self, code: Option<&str>) -> Option<&str> {
        code.and_then(|c| self.departements.get(c)).map(String::as_str)
    }
}

/// The codes that are not a current commune's, each with the code of the current commune it leads to.
pub fn commune_code_aliases(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    commune_codes::table.select((commune_codes::code, commune_codes::commune_code)).load(conn)
}

/// Every territory of a kind, by name (for régions and départements: a few dozen).
pub fn territories_of_kind(conn: &mut DbConnection, kind: TerritoryKind) -> QueryResult<Vec<Territory>> {
    territories::table.filter(territories::kind.eq(kind.code())).order(territories::name).load(conn)
}

pub fn count_territories_by_kind(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    territories::table.group_by(territories::kind).select((territories::kind, diesel::dsl::count_star())).load(conn)
}

/// Communes whose EPCI is `siren`, largest first.
pub fn communes_of_epci(conn: &mut DbConnection, siren: &str) -> QueryResult<Vec<Territory>> {
    territories::table
        .filter(territories::kind.eq(TerritoryKind::Commune.code()))
        .filter(territories::epci_code.eq(siren))
        .order((territories::population.is_null(), territories::population.desc(), territories::name))
        .load(conn)
}

/// The member communes of an établissement public territorial, most populated first.
pub fn communes_of_ept(conn: &mut DbConnection, siren: &str) -> QueryResult<Vec<Territory>> {
    territories::table
        .filter(territories::kind.eq(TerritoryKind::Commune.code()))
        .filter(territories::ept_code.eq(siren))
        .order((territories::population.is_null(), territories::population.desc(), territories::name))
        .load(conn)
}

/// Makes these communes (by INSEE code) the members of the EPT, and gives the EPT the département and région of
/// most of them. Call it after the communes and the EPT are stored, in the import's transaction.
pub fn set_ept_members(conn: &mut DbConnection, ept_code: &str, members: &[String]) -> QueryResult<()> {
    diesel::update(territories::table.filter(territories::ept_code.eq(ept_code)))
        .set(territories::ept_code.eq(None::<String>))
        .execute(conn)?;
    diesel::update(
        territories::table
            .filter(territories::kind.eq(TerritoryKind::Commune.code()))
            .filter(territories::code.eq_any(members)),
    )
    .set(territories::ept_code.eq(ept_code))
    .execute(conn)?;
    let areas: Vec<(Option<String>, Option<String>)> = territories::table
        .filter(territories::ept_code.eq(ept_code))
        .select((territories::departement_code, territories::region_code))
        .load(conn)?;
    let mut counts: HashMap<(Option<String>, Option<String>), usize> = HashMap::new();
    for area in areas {
        *counts.entry(area).or_default() += 1;
    }
    if let Some(((departement, region), _)) =
        counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
    {
        diesel::update(
            territories::table
                .filter(territories::kind.eq(TerritoryKind::Ept.code()))
                .filter(territories::code.eq(ept_code)),
        )
        .set((territories::departement_code.eq(departement), territories::region_code.eq(region)))
        .execute(conn)?;
    }
    Ok(())
}

/// A code that is not a current commune's, and the current commune it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneCode {
    pub code: String,
    pub commune_code: String,
    pub kind: CommuneCodeKind,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommuneCodeKind {
    /// The code of a commune merged since into the current one.
    Merged,
    /// A commune déléguée of a commune nouvelle.
    Delegated,
    /// A commune associée.
    Associated,
    /// An arrondissement municipal of Paris, Lyon or Marseille.
    District,
}

impl CommuneCodeKind {
    pub fn code(self) -> &'static str {
        match self {
            CommuneCodeKind::Merged => "merged",
            CommuneCodeKind::Delegated => "delegated",
            CommuneCodeKind::Associated => "associated",
            CommuneCodeKind::District => "district",
        }
    }
}

/// Replaces the codes that lead to current communes with these. Call it inside the import's transaction.
pub fn replace_commune_codes(conn: &mut DbConnection, codes: &[CommuneCode], at: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(commune_codes::table).execute(conn)?;
    for code in codes {
        diesel::insert_into(commune_codes::table)
            .values((
                commune_codes::code.eq(&code.code),
                commune_codes::commune_code.eq(&code.commune_code),
                commune_codes::kind.eq(code.kind.code()),
                commune_codes::name.eq(&code.name),
                commune_codes::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A search: folded words that must all match, plus an optional kind.
#[derive(Debug, Default, Clone)]
pub struct TerritorySearch {
    /// Words of the query, already folded (see `domain::text::fold`).
    pub words: Vec<String>,
    pub kind: Option<TerritoryKind>,
    pub limit: i64,
}

/// Every word of the query must start a word of the territory (its name, code, SIREN or a postcode), found
/// through the `territory_words` index. Exact names come first, then names starting with the query, then the most
/// populous.
pub fn search_territories(conn: &mut DbConnection, search: &TerritorySearch) -> QueryResult<Vec<Territory>> {
    let mut query = territories::table.into_boxed();
    for word in &search.words {
        let matching = territory_words::table
            .filter(territory_words::word.ge(word.clone()))
            .filter(territory_words::word.lt(prefix_upper_bound(word)))
            .select(territory_words::territory_id);
        query = query.filter(territories::id.eq_any(matching));
    }
    if let Some(kind) = search.kind {
        query = query.filter(territories::kind.eq(kind.code()));
    }
    let phrase = search.words.join(" ");
    query
        .order((
            territories::search_name.eq(phrase.clone()).desc(),
            territories::search_name.like(format!("{phrase}%")).desc(),
            territories::population.is_null(),
            territories::population.desc(),
            territories::name,
        ))
        .limit(search.limit)
        .load(conn)
}
