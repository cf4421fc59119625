//! The directory of participation and cooperation actors: entries published by the agency or a provider, or
//! proposed by a collectivity and moderated; one per SIRET (a unique index); checked again by their owner, reminded
//! once per check (`reminded_for`), as experience reports are (`storage::reports`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::public_content_changed;
use super::schema::{directory_entries, directory_entry_projects, projects};
use super::{is_unique_violation, now, DbConnection};
use crate::domain::inspiration::{links_text, parse_links, Link};
use crate::domain::resources::{ActorKind, DirectoryText, EntryStatus, CHECK_AFTER};

#[derive(Debug, Clone, Queryable)]
pub struct Entry {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub siret: Option<String>,
    pub skills: String,
    pub served: String,
    pub nationwide: bool,
    pub description: String,
    pub contact: String,
    pub links: String,
    pub status: String,
    pub refusal: Option<String>,
    pub collectivity_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub checked_at: NaiveDateTime,
    pub reminded_for: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Entry {
    pub fn status(&self) -> EntryStatus {
        EntryStatus::parse(&self.status).unwrap_or(EntryStatus::Proposed)
    }

    pub fn kind(&self) -> ActorKind {
        ActorKind::parse(&self.kind).unwrap_or(ActorKind::Other)
    }

    pub fn skills(&self) -> Vec<&str> {
        self.skills.split('\n').filter(|s| !s.is_empty()).collect()
    }

    /// The codes of the départements and régions it serves.
    pub fn served(&self) -> Vec<&str> {
        self.served.split_whitespace().collect()
    }

    pub fn links(&self) -> Vec<Link> {
        // Stored text was validated on the way in.
        parse_links(&self.links).unwrap_or_default()
    }
}

/// The columns an entry's text fills, alike at its creation and its correction.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = directory_entries, treat_none_as_null = true)]
struct Written<'a> {
    name: &'a str,
    kind: &'a str,
    siret: Option<&'a str>,
    skills: String,
    served: String,
    nationwide: bool,
    description: &'a str,
    contact: &'a str,
    links: String,
}

impl<'a> Written<'a> {
    fn of(text: &'a DirectoryText) -> Self {
        Written {
            name: &text.name,
            kind: text.kind.code(),
            siret: text.siret.as_deref(),
            skills: text.skills.join("\n"),
            // Surrounded by spaces, so that ' 86 ' finds a code and never a part of one.
            served: if text.served.is_empty() { String::new() } else { format!(" {} ", text.served.join(" ")) },
            nationwide: text.nationwide,
            description: &text.description,
            contact: &text.contact,
            links: links_text(&text.links),
        }
    }
}

/// What writing an entry did.
#[derive(Debug, PartialEq, Eq)]
pub enum Saved {
    Saved(i64),
    /// Another entry has that SIRET: its id.
    SiretTaken(i64),
    /// The owner has another entry of that name.
    NameTaken,
}

/// Why a write was refused by a unique index: the owner has an entry of that name (`except` aside: the one
/// written), or another has that SIRET.
fn refusal(
    conn: &mut DbConnection,
    text: &DirectoryText,
    owner_id: Option<i64>,
    except: Option<i64>,
) -> QueryResult<Saved> {
    let same_name: Option<i64> = directory_entries::table
        .filter(directory_entries::owner_id.eq(owner_id))
        .filter(directory_entries::name.eq(&text.name))
        .select(directory_entries::id)
        .first(conn)
        .optional()?;
    Ok(match same_name.filter(|id| Some(*id) != except) {
        // Written a moment ago: a double click, or two tabs.
        Some(id) if except.is_none() => Saved::Saved(id),
        Some(_) => Saved::NameTaken,
        None => Saved::SiretTaken(entry_of_siret(conn, text.siret.as_deref().unwrap_or_default())?.unwrap_or_default()),
    })
}

fn entry_of_siret(conn: &mut DbConnection, siret: &str) -> QueryResult<Option<i64>> {
    directory_entries::table
        .filter(directory_entries::siret.eq(siret))
        .select(directory_entries::id)
        .first(conn)
        .optional()
}

/// Writes an entry, published at once or proposed, with the projects it took part in. Sent twice (a double click,
/// two tabs), it is written once: the second lands on the first.
pub fn insert_entry(
    conn: &mut DbConnection,
    text: &DirectoryText,
    project_ids: &[i64],
    (status, collectivity_id, owner_id): (EntryStatus, Option<i64>, i64),
) -> QueryResult<Saved> {
    let at = now();
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(directory_entries::table)
            .values((
                Written::of(text),
                directory_entries::status.eq(status.code()),
                directory_entries::collectivity_id.eq(collectivity_id),
                directory_entries::owner_id.eq(owner_id),
                directory_entries::checked_at.eq(at),
                directory_entries::created_at.eq(at),
                directory_entries::updated_at.eq(at),
            ))
            .returning(directory_entries::id)
            .get_result::<i64>(conn)
    });
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return refusal(conn, text, Some(owner_id), None),
        Err(e) => return Err(e),
    };
    set_projects(conn, id, project_ids)?;
    if status == EntryStatus::Published {
        public_content_changed(conn)?;
    }
    Ok(Saved::Saved(id))
}

/// Rewrites an entry and its projects: a correction is a check.
pub fn update_entry(conn: &mut DbConnection, id: i64, text: &DirectoryText, project_ids: &[i64]) -> QueryResult<Saved> {
    let at = now();
    let updated = conn.transaction(|conn| {
        diesel::update(directory_entries::table.find(id))
            .set((Written::of(text), directory_entries::checked_at.eq(at), directory_entries::updated_at.eq(at)))
            .execute(conn)
    });
    match updated {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            let owner_id = find_entry(conn, id)?.and_then(|entry| entry.owner_id);
            return refusal(conn, text, owner_id, Some(id));
        }
        Err(e) => return Err(e),
    }
    set_projects(conn, id, project_ids)?;
    public_content_changed(conn)?;
    Ok(Saved::Saved(id))
}

fn set_projects(conn: &mut DbConnection, id: i64, project_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(directory_entry_projects::table.filter(directory_entry_projects::entry_id.eq(id))).execute(conn)?;
    for project_id in project_ids {
        diesel::insert_into(directory_entry_projects::table)
            .values((directory_entry_projects::entry_id.eq(id), directory_entry_projects::project_id.eq(project_id)))
            .execute(conn)?;
    }
    Ok(())
}

/// The projects an entry took part in, as (id, title).
pub fn projects_of_entry(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<(i64, String)>> {
    directory_entry_projects::table
        .inner_join(projects::table)
        .filter(directory_entry_projects::entry_id.eq(id))
        .select((projects::id, projects::title))
        .order(projects::title.asc())
        .load(conn)
}

/// Its owner (or the agency) says it is still true: checked now.
pub fn mark_checked(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let changed =
        diesel::update(directory_entries::table.find(id)).set(directory_entries::checked_at.eq(now())).execute(conn)?;
    public_content_changed(conn)?;
    Ok(changed == 1)
}

/// Publishes or refuses a proposal; false when it was decided already.
pub fn moderate(conn: &mut DbConnection, id: i64, decision: EntryStatus, refusal: Option<&str>) -> QueryResult<bool> {
    let changed = diesel::update(
        directory_entries::table.find(id).filter(directory_entries::status.eq(EntryStatus::Proposed.code())),
    )
    .set((
        directory_entries::status.eq(decision.code()),
        directory_entries::refusal.eq(refusal),
        directory_entries::checked_at.eq(now()),
        directory_entries::updated_at.eq(now()),
    ))
    .execute(conn)?;
    public_content_changed(conn)?;
    Ok(changed == 1)
}

pub fn find_entry(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Entry>> {
    directory_entries::table.find(id).first(conn).optional()
}

/// Entries in a status by name; optionally of a kind, and serving a place: `(code, région)` — a département's number
/// and its région's « R » code (an entry serving the whole région, or the whole country, serves the département),
/// or a région's code alone.
pub fn entries_with_status(
    conn: &mut DbConnection,
    status: EntryStatus,
    kind: Option<ActorKind>,
    served: Option<(&str, Option<&str>)>,
) -> QueryResult<Vec<Entry>> {
    let mut query = directory_entries::table
        .filter(directory_entries::status.eq(status.code()))
        .order((directory_entries::name.asc(), directory_entries::id.asc()))
        .into_boxed();
    if let Some(kind) = kind {
        query = query.filter(directory_entries::kind.eq(kind.code()));
    }
    if let Some((code, region)) = served {
        query = query.filter(
            directory_entries::served
                .like(format!("% {code} %"))
                .or(directory_entries::served.like(format!("% {} %", region.unwrap_or(code))))
                .or(directory_entries::nationwide.eq(true)),
        );
    }
    query.load(conn)
}

/// Published entries by id after `after`, at most `limit`, with the projects each took part in: a page of the
/// public API.
pub fn published_after(conn: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<(Entry, Vec<i64>)>> {
    let entries: Vec<Entry> = directory_entries::table
        .filter(directory_entries::status.eq(EntryStatus::Published.code()))
        .filter(directory_entries::id.gt(after))
        .order(directory_entries::id.asc())
        .limit(limit)
        .load(conn)?;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let links: Vec<(i64, i64)> = directory_entry_projects::table
        .filter(directory_entry_projects::entry_id.eq_any(&ids))
        .select((directory_entry_projects::entry_id, directory_entry_projects::project_id))
        .order((directory_entry_projects::entry_id, directory_entry_projects::project_id))
        .load(conn)?;
    Ok(entries
        .into_iter()
        .map(|e| {
            let projects = links.iter().filter(|(entry, _)| *entry == e.id).map(|(_, p)| *p).collect();
            (e, projects)
        })
        .collect())
}

/// The entries proposed by these collectivities, whatever their status.
pub fn entries_of_collectivities(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Entry>> {
    directory_entries::table
        .filter(directory_entries::collectivity_id.eq_any(ids))
        .order(directory_entries::created_at.desc())
        .load(conn)
}

/// The published entries whose owner should be asked to check them at `now` and has not been for this check.
pub fn due_for_check(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<Entry>> {
    let entries: Vec<Entry> = directory_entries::table
        .filter(directory_entries::status.eq(EntryStatus::Published.code()))
        .filter(directory_entries::owner_id.is_not_null())
        .filter(directory_entries::checked_at.le(now - CHECK_AFTER))
        .load(conn)?;
    Ok(entries.into_iter().filter(|e| e.reminded_for != Some(e.checked_at)).collect())
}

/// Notes that the owner was reminded of this check; false when another instance did it first.
pub fn mark_reminded(conn: &mut DbConnection, entry: &Entry) -> QueryResult<bool> {
    let changed = diesel::update(
        directory_entries::table
            .find(entry.id)
            .filter(directory_entries::checked_at.eq(entry.checked_at))
            .filter(directory_entries::reminded_for.is_null().or(directory_entries::reminded_for.ne(entry.checked_at))),
    )
    .set(directory_entries::reminded_for.eq(Some(entry.checked_at)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// What importing a file did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    pub updated: usize,
}

/// Writes the entries of an imported file, published by `owner_id` and checked today: an entry with a SIRET already
/// in the directory rewrites that establishment's entry, one named like another of the owner's rewrites it,
/// others are added (so importing the same file again changes nothing but the date checked). Call it inside
/// `storage::write_transaction`: the file lands whole or not at all.
pub fn import_entries(conn: &mut DbConnection, texts: &[DirectoryText], owner_id: i64) -> QueryResult<Imported> {
    let mut imported = Imported::default();
    for text in texts {
        let existing = match text.siret.as_deref() {
            Some(siret) => entry_of_siret(conn, siret)?,
            None => None,
        };
        let existing = match existing {
            Some(id) => Some(id),
            None => directory_entries::table
                .filter(directory_entries::owner_id.eq(owner_id))
                .filter(directory_entries::name.eq(&text.name))
                .select(directory_entries::id)
                .first(conn)
                .optional()?,
        };
        let at = now();
        match existing {
            Some(id) => {
                diesel::update(directory_entries::table.find(id))
                    .set((
                        Written::of(text),
                        directory_entries::checked_at.eq(at),
                        directory_entries::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                imported.updated += 1;
            }
            None => {
                diesel::insert_into(directory_entries::table)
                    .values((
                        Written::of(text),
                        directory_entries::status.eq(EntryStatus::Published.code()),
                        directory_entries::owner_id.eq(owner_id),
                        directory_entries::checked_at.eq(at),
                        directory_entries::created_at.eq(at),
                        directory_entries::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                imported.added += 1;
            }
        }
    }
    public_content_changed(conn)?;
    Ok(imported)
}
