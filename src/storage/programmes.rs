//! Programmes: a row per programme and one per version of its definition (the JSON of its file, read by
//! `domain::programme`). Versions are never changed: a project keeps pointing at the one it was opened with.
//! The built-in programmes are written by `write_built_in` after the migrations, under their lock.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{programme_versions, programmes, projects};
use super::{insert_once, now, DbConnection};
use crate::domain::programme::{Programme, BUILT_IN};

#[derive(Debug, Clone, Queryable)]
pub struct ProgrammeRow {
    pub id: i64,
    pub built_in: Option<String>,
    pub name: String,
    pub current_version: i32,
    pub archived_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A version of a programme, its definition read.
#[derive(Debug, Clone)]
pub struct ProgrammeVersion {
    pub programme_id: i64,
    pub version: i32,
    pub programme: Programme,
    pub note: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable)]
struct VersionRow {
    programme_id: i64,
    version: i32,
    definition: String,
    note: String,
    created_by: Option<i64>,
    created_at: NaiveDateTime,
}

impl VersionRow {
    fn read(self) -> Option<ProgrammeVersion> {
        Some(ProgrammeVersion {
            programme_id: self.programme_id,
            version: self.version,
            programme: Programme::from_stored(&self.definition)?,
            note: self.note,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

/// What saving a programme did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    /// A new version (or the programme's first).
    Version { programme_id: i64, version: i32 },
    /// The definition is the current version's: nothing written (a form sent twice, a file imported again).
    Unchanged { programme_id: i64, version: i32 },
    /// Someone saved another version since the form was shown.
    Stale { current: i32 },
    /// Another programme has that name.
    NameTaken,
    /// A built-in programme changes only with the binary.
    BuiltIn,
}

/// Writes the built-in programmes the binary ships, or a new version of one when the binary's differs from the
/// stored one. Runs after the migrations (under their lock on PostgreSQL; in one write transaction on SQLite).
pub fn write_built_in(conn: &mut DbConnection) -> QueryResult<()> {
    for (slug, _) in BUILT_IN {
        let Some(programme) = Programme::built_in(slug) else { continue };
        let existing: Option<ProgrammeRow> =
            programmes::table.filter(programmes::built_in.eq(slug)).first(conn).optional()?;
        match existing {
            None => {
                if let Some(id) = insert_programme(conn, Some(slug), &programme.name)? {
                    insert_version(conn, id, 1, &programme, "Programme fourni avec encommun.", None)?;
                }
            }
            Some(row) => {
                let current = find_version(conn, row.id, row.current_version)?;
                if current.is_none_or(|v| v.programme != programme) {
                    let version = row.current_version + 1;
                    insert_version(conn, row.id, version, &programme, "Mise à jour fournie avec encommun.", None)?;
                    diesel::update(programmes::table.find(row.id))
                        .set((programmes::current_version.eq(version), programmes::updated_at.eq(now())))
                        .execute(conn)?;
                }
            }
        }
    }
    Ok(())
}

/// Inserts a programme's row at version 1; None when its name (or its built-in name) is taken.
fn insert_programme(conn: &mut DbConnection, built_in: Option<&str>, name: &str) -> QueryResult<Option<i64>> {
    let at = now();
    let inserted = insert_once(conn, |conn| {
        diesel::insert_into(programmes::table)
            .values((
                programmes::built_in.eq(built_in),
                programmes::name.eq(name),
                programmes::current_version.eq(1),
                programmes::created_at.eq(at),
                programmes::updated_at.eq(at),
            ))
            .execute(conn)
    })?;
    if !inserted {
        return Ok(None);
    }
    programmes::table.filter(programmes::name.eq(name)).select(programmes::id).first(conn).map(Some)
}

fn insert_version(
    conn: &mut DbConnection,
    programme_id: i64,
    version: i32,
    programme: &Programme,
    note: &str,
    user_id: Option<i64>,
) -> QueryResult<()> {
    diesel::insert_into(programme_versions::table)
        .values((
            programme_versions::programme_id.eq(programme_id),
            programme_versions::version.eq(version),
            programme_versions::definition.eq(programme.to_json(None)),
            programme_versions::note.eq(note),
            programme_versions::created_by.eq(user_id),
            programme_versions::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every programme: the built-in ones first in the binary's order (« Territoires en commun » leads), then the
/// agency's by name; archived ones last.
pub fn all_programmes(conn: &mut DbConnection) -> QueryResult<Vec<ProgrammeRow>> {
    let mut rows: Vec<ProgrammeRow> = programmes::table.order(programmes::name.asc()).load(conn)?;
    let rank = |r: &ProgrammeRow| BUILT_IN.iter().position(|(slug, _)| r.built_in.as_deref() == Some(*slug));
    rows.sort_by_key(|r| (r.archived_at.is_some(), rank(r).unwrap_or(BUILT_IN.len())));
    Ok(rows)
}

pub fn find_programme(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ProgrammeRow>> {
    programmes::table.find(id).first(conn).optional()
}

pub fn find_built_in(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<ProgrammeVersion>> {
    let row: Option<ProgrammeRow> = programmes::table.filter(programmes::built_in.eq(slug)).first(conn).optional()?;
    match row {
        Some(row) => find_version(conn, row.id, row.current_version),
        None => Ok(None),
    }
}

pub fn find_version(conn: &mut DbConnection, programme_id: i64, version: i32) -> QueryResult<Option<ProgrammeVersion>> {
    let row: Option<VersionRow> = programme_versions::table.find((programme_id, version)).first(conn).optional()?;
    Ok(row.and_then(VersionRow::read))
}

/// The versions of a programme, the latest first.
pub fn versions_of(conn: &mut DbConnection, programme_id: i64) -> QueryResult<Vec<ProgrammeVersion>> {
    let rows: Vec<VersionRow> = programme_versions::table
        .filter(programme_versions::programme_id.eq(programme_id))
        .order(programme_versions::version.desc())
        .load(conn)?;
    Ok(rows.into_iter().filter_map(VersionRow::read).collect())
}

/// Every programme (in `all_programmes`' order) at its current version, in two queries.
pub fn current_versions(conn: &mut DbConnection) -> QueryResult<Vec<(ProgrammeRow, ProgrammeVersion)>> {
    let rows = all_programmes(conn)?;
    let versions: Vec<VersionRow> = programme_versions::table
        .inner_join(programmes::table)
        .filter(programme_versions::version.eq(programmes::current_version))
        .select(programme_versions::all_columns)
        .load(conn)?;
    let mut versions: Vec<ProgrammeVersion> = versions.into_iter().filter_map(VersionRow::read).collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let at = versions.iter().position(|v| v.programme_id == row.id)?;
            Some((row, versions.swap_remove(at)))
        })
        .collect())
}

/// The programmes one may open a project from (not archived), each at its current version.
pub fn open_programmes(conn: &mut DbConnection) -> QueryResult<Vec<(ProgrammeRow, ProgrammeVersion)>> {
    Ok(current_versions(conn)?.into_iter().filter(|(row, _)| row.archived_at.is_none()).collect())
}

/// How many projects each programme was opened for, as (programme, count).
pub fn project_counts(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64)>> {
    projects::table
        .filter(projects::programme_id.is_not_null())
        .group_by(projects::programme_id)
        .select((projects::programme_id.assume_not_null(), diesel::dsl::count_star()))
        .load(conn)
}

/// The projects opened from a programme, with the version each was opened with.
pub fn projects_of(conn: &mut DbConnection, programme_id: i64) -> QueryResult<Vec<(i64, String, i32)>> {
    projects::table
        .filter(projects::programme_id.eq(programme_id))
        .select((projects::id, projects::title, projects::programme_version.assume_not_null()))
        .order(projects::id.asc())
        .load(conn)
}

/// Creates a programme. Call it inside `storage::write_transaction`. The same programme sent twice (a double click)
/// is created once: the second finds it `Unchanged`.
pub fn create_programme(
    conn: &mut DbConnection,
    programme: &Programme,
    note: &str,
    user_id: i64,
) -> QueryResult<Saved> {
    let Some(id) = insert_programme(conn, None, &programme.name)? else {
        let existing: ProgrammeRow = programmes::table.filter(programmes::name.eq(&programme.name)).first(conn)?;
        let current = find_version(conn, existing.id, existing.current_version)?;
        return Ok(match current {
            Some(current) if existing.built_in.is_none() && current.programme == *programme => {
                Saved::Unchanged { programme_id: existing.id, version: existing.current_version }
            }
            _ => Saved::NameTaken,
        });
    };
    insert_version(conn, id, 1, programme, note, Some(user_id))?;
    Ok(Saved::Version { programme_id: id, version: 1 })
}

/// Saves a new version of the agency's programme, if the form was shown at version `expected` (None: whatever the
/// current one, as an import). Call it inside `storage::write_transaction`.
pub fn save_version(
    conn: &mut DbConnection,
    programme_id: i64,
    expected: Option<i32>,
    programme: &Programme,
    note: &str,
    user_id: i64,
) -> QueryResult<Saved> {
    // Locks the row: two saves of the same programme queue here.
    diesel::update(programmes::table.find(programme_id)).set(programmes::updated_at.eq(now())).execute(conn)?;
    let row = find_programme(conn, programme_id)?.ok_or(diesel::result::Error::NotFound)?;
    if row.built_in.is_some() {
        return Ok(Saved::BuiltIn);
    }
    let current = find_version(conn, programme_id, row.current_version)?;
    if current.as_ref().is_some_and(|c| c.programme == *programme) {
        return Ok(Saved::Unchanged { programme_id, version: row.current_version });
    }
    if expected.is_some_and(|v| v != row.current_version) {
        return Ok(Saved::Stale { current: row.current_version });
    }
    let taken = programmes::table
        .filter(programmes::name.eq(&programme.name))
        .filter(programmes::id.ne(programme_id))
        .count()
        .get_result::<i64>(conn)?;
    if taken > 0 {
        return Ok(Saved::NameTaken);
    }
    let version = row.current_version + 1;
    insert_version(conn, programme_id, version, programme, note, Some(user_id))?;
    diesel::update(programmes::table.find(programme_id))
        .set((programmes::name.eq(&programme.name), programmes::current_version.eq(version)))
        .execute(conn)?;
    Ok(Saved::Version { programme_id, version })
}

/// Imports a programme file: a new version of the agency's programme of that name, or a new programme. Call it
/// inside `storage::write_transaction`.
pub fn import_programme(conn: &mut DbConnection, programme: &Programme, user_id: i64) -> QueryResult<Saved> {
    let existing: Option<ProgrammeRow> =
        programmes::table.filter(programmes::name.eq(&programme.name)).first(conn).optional()?;
    match existing {
        Some(row) if row.built_in.is_some() => {
            let current = find_version(conn, row.id, row.current_version)?;
            if current.is_some_and(|c| c.programme == *programme) {
                Ok(Saved::Unchanged { programme_id: row.id, version: row.current_version })
            } else {
                Ok(Saved::BuiltIn)
            }
        }
        Some(row) => save_version(conn, row.id, None, programme, "Importé d’un fichier.", user_id),
        None => create_programme(conn, programme, "Importé d’un fichier.", user_id),
    }
}

/// Archives the agency's programme (no new project opens from it) or brings it back.
pub fn set_archived(conn: &mut DbConnection, programme_id: i64, archived: bool) -> QueryResult<bool> {
    let at = now();
    let changed = diesel::update(programmes::table.find(programme_id).filter(programmes::built_in.is_null()))
        .set(programmes::archived_at.eq(archived.then_some(at)))
        .execute(conn)?;
    Ok(changed == 1)
}
