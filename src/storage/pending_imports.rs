//! Files uploaded for import, kept between the upload and the column-mapping step (a day at most), for a territory's
//! diagnostic or for the directory of actors. Only their uploader finds them again, under their token; once imported
//! they are kept (empty) until they are a day old, so that the mapping sent again lands on what was imported.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::diagnostic::Place;
use super::schema::pending_imports;
use super::{now, DbConnection};

/// How long an uploaded file waits for its mapping.
const LIFETIME: TimeDelta = TimeDelta::hours(24);

/// What a file is imported into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Diagnostic(Place),
    Directory,
}

impl Purpose {
    fn columns(self) -> (&'static str, Option<i64>, Option<i64>) {
        match self {
            Purpose::Diagnostic(place) => ("diagnostic", Some(place.project_id), Some(place.collectivity_id)),
            Purpose::Directory => ("directory", None, None),
        }
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct PendingImport {
    pub id: i64,
    pub token: String,
    pub user_id: i64,
    pub purpose: String,
    pub project_id: Option<i64>,
    pub collectivity_id: Option<i64>,
    pub file_name: String,
    pub content: String,
    pub created_at: NaiveDateTime,
    /// When it was imported: its content is then empty, and a mapping sent again imports nothing more.
    pub imported_at: Option<NaiveDateTime>,
}

/// Deletes the uploaded files left unfinished for longer than a day; returns how many (the worker calls it).
pub fn forget_stale(conn: &mut DbConnection) -> QueryResult<usize> {
    diesel::delete(pending_imports::table.filter(pending_imports::created_at.lt(now() - LIFETIME))).execute(conn)
}

/// Keeps an uploaded file for its mapping step, and forgets the files of earlier uploads left unfinished.
pub fn keep(
    conn: &mut DbConnection,
    token: &str,
    user_id: i64,
    purpose: Purpose,
    file_name: &str,
    content: &str,
) -> QueryResult<()> {
    forget_stale(conn)?;
    let (purpose, project_id, collectivity_id) = purpose.columns();
    diesel::insert_into(pending_imports::table)
        .values((
            pending_imports::token.eq(token),
            pending_imports::user_id.eq(user_id),
            pending_imports::purpose.eq(purpose),
            pending_imports::project_id.eq(project_id),
            pending_imports::collectivity_id.eq(collectivity_id),
            pending_imports::file_name.eq(file_name),
            pending_imports::content.eq(content),
            pending_imports::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The file a person uploaded for this purpose under this token, if it is still kept.
pub fn find(
    conn: &mut DbConnection,
    token: &str,
    user_id: i64,
    purpose: Purpose,
) -> QueryResult<Option<PendingImport>> {
    let mut query = pending_imports::table
        .filter(pending_imports::token.eq(token))
        .filter(pending_imports::user_id.eq(user_id))
        .filter(pending_imports::purpose.eq(purpose.columns().0))
        .filter(pending_imports::created_at.ge(now() - LIFETIME))
        .into_boxed();
    if let Purpose::Diagnostic(place) = purpose {
        query = query
            .filter(pending_imports::project_id.eq(place.project_id))
            .filter(pending_imports::collectivity_id.eq(place.collectivity_id));
    }
    query.first(conn).optional()
}

/// Marks the file imported and drops its content; false when it was already (a mapping sent twice, two tabs): then
/// the caller writes nothing. Call it first in the import's transaction.
pub fn mark_imported(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let changed = diesel::update(pending_imports::table.find(id).filter(pending_imports::imported_at.is_null()))
        .set((pending_imports::imported_at.eq(now()), pending_imports::content.eq("")))
        .execute(conn)?;
    Ok(changed == 1)
}
