use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::territories;
use super::DbConnection;
use crate::domain::territory::{NewTerritory, TerritoryKind};

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
    match conn {
        DbConnection::Sqlite(c) => upsert!(c),
        DbConnection::Postgres(c) => upsert!(c),
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

/// A search: folded words that must all match, plus an optional kind.
#[derive(Debug, Default, Clone)]
pub struct TerritorySearch {
    /// Words of the query, already folded (see `domain::text::fold`).
    pub words: Vec<String>,
    pub kind: Option<TerritoryKind>,
    pub limit: i64,
}

/// Words with a digit are codes (INSEE, SIREN, département) or postcodes; others are parts of the name.
/// Exact names come first, then names starting with the query, then the most populous.
pub fn search_territories(conn: &mut DbConnection, search: &TerritorySearch) -> QueryResult<Vec<Territory>> {
    let mut query = territories::table.into_boxed();
    for word in &search.words {
        if word.bytes().any(|b| b.is_ascii_digit()) {
            let upper = word.to_uppercase();
            query = query.filter(
                territories::code
                    .like(format!("{upper}%"))
                    .or(territories::siren.like(format!("{word}%")))
                    .or(territories::postcodes.like(format!("% {word}%"))),
            );
        } else {
            query = query.filter(territories::search_name.like(format!("%{word}%")));
        }
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
