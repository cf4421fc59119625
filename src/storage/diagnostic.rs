//! The diagnostic of each participant territory: the project's extra actor families, the mapped entries (actors,
//! engagement spaces and objects), their relations, the sources that speak of them, the moderation of what
//! inquiry group members propose, and files waiting for their column mapping.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::boundaries::Placement;
use super::schema::{
    actor_families, collectivities, enrolments, map_entries, map_relations, map_sources, public_maps, source_mentions,
    territories,
};
use super::territories::{PlaceNames, Territory};
use super::{insert_once, now, DbConnection, DbError};
use crate::domain::activity::ActivityKind;
use crate::domain::diagnostic::{
    Domain, EntryKind, NewEntry, NewRelation, NewSource, RelationKind, SourceKind, Status,
};
use crate::domain::project::{EnrolmentRole, EnrolmentStatus};
use crate::domain::text::de;

#[derive(Debug, Clone, Queryable)]
pub struct MapEntry {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub kind: String,
    pub name: String,
    pub category: String,
    pub domain: String,
    pub description: String,
    pub publics: String,
    pub resources: String,
    pub engagement: String,
    pub contact: String,
    pub links: String,
    pub address: String,
    pub opening_hours: String,
    pub accessibility: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub commune_id: Option<i64>,
    pub external_id: Option<String>,
    pub status: String,
    pub review_note: String,
    pub created_by: Option<i64>,
    pub reviewed_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub epci_id: Option<i64>,
    pub departement_code: Option<String>,
}

impl MapEntry {
    pub fn kind(&self) -> EntryKind {
        EntryKind::parse(&self.kind).unwrap_or(EntryKind::Actor)
    }

    pub fn domain(&self) -> Domain {
        Domain::parse(&self.domain).unwrap_or(Domain::Citizen)
    }

    pub fn status(&self) -> Status {
        Status::parse(&self.status)
    }

    pub fn location(&self) -> Option<(f64, f64)> {
        Some((self.lon?, self.lat?))
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct MapRelation {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub from_id: i64,
    pub to_id: i64,
    pub kind: String,
    pub intensity: i32,
    pub note: String,
    pub status: String,
    pub review_note: String,
    pub created_by: Option<i64>,
    pub reviewed_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl MapRelation {
    pub fn kind(&self) -> RelationKind {
        RelationKind::parse(&self.kind).unwrap_or(RelationKind::Exchange)
    }

    pub fn status(&self) -> Status {
        Status::parse(&self.status)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct MapSource {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub kind: String,
    pub title: String,
    pub happened_on: Option<NaiveDate>,
    pub people_met: String,
    pub notes: String,
    pub link: String,
    pub status: String,
    pub review_note: String,
    pub created_by: Option<i64>,
    pub reviewed_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl MapSource {
    pub fn kind(&self) -> SourceKind {
        SourceKind::parse(&self.kind).unwrap_or(SourceKind::Observation)
    }

    pub fn status(&self) -> Status {
        Status::parse(&self.status)
    }
}

/// Who wrote a contribution and whether it waits for moderation.
#[derive(Debug, Clone, Copy)]
pub struct Author {
    pub user_id: i64,
    /// The provider and the agency publish directly; everyone else proposes.
    pub publishes: bool,
}

impl Author {
    fn status(self) -> &'static str {
        if self.publishes {
            Status::Published.code()
        } else {
            Status::Proposed.code()
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Families

/// The families the project added, as (id, label), by label.
pub fn project_families(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<(i64, String)>> {
    actor_families::table
        .filter(actor_families::project_id.eq(project_id))
        .select((actor_families::id, actor_families::label))
        .order(actor_families::label.asc())
        .load(conn)
}

/// Adds a family to the project; None when the project has one of that name already.
pub fn add_family(conn: &mut DbConnection, project_id: i64, label: &str) -> QueryResult<Option<i64>> {
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(actor_families::table)
            .values((
                actor_families::project_id.eq(project_id),
                actor_families::label.eq(label),
                actor_families::created_at.eq(now()),
            ))
            .returning(actor_families::id)
            .get_result::<i64>(conn)
    });
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(DbError::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(None),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Entries

/// Where an entry sits: its project and participant territory (by collectivity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub project_id: i64,
    pub collectivity_id: i64,
}

/// Records a new sheet. Call it inside `storage::write_transaction`.
pub fn insert_entry(
    conn: &mut DbConnection,
    place: Place,
    entry: &NewEntry,
    placement: &Placement,
    external_id: Option<&str>,
    author: Author,
) -> QueryResult<i64> {
    let at = now();
    diesel::insert_into(map_entries::table)
        .values((
            map_entries::project_id.eq(place.project_id),
            map_entries::collectivity_id.eq(place.collectivity_id),
            map_entries::kind.eq(entry.kind.code()),
            sheet_values(entry, placement),
            map_entries::external_id.eq(external_id),
            map_entries::status.eq(author.status()),
            map_entries::created_by.eq(Some(author.user_id)),
            map_entries::reviewed_by.eq(author.publishes.then_some(author.user_id)),
            map_entries::created_at.eq(at),
            map_entries::updated_at.eq(at),
        ))
        .returning(map_entries::id)
        .get_result(conn)
}

type SheetValues = (
    diesel::dsl::Eq<map_entries::name, String>,
    diesel::dsl::Eq<map_entries::category, String>,
    diesel::dsl::Eq<map_entries::domain, &'static str>,
    diesel::dsl::Eq<map_entries::description, String>,
    diesel::dsl::Eq<map_entries::publics, String>,
    diesel::dsl::Eq<map_entries::resources, String>,
    diesel::dsl::Eq<map_entries::engagement, String>,
    diesel::dsl::Eq<map_entries::contact, String>,
    diesel::dsl::Eq<map_entries::links, String>,
    diesel::dsl::Eq<map_entries::address, String>,
    diesel::dsl::Eq<map_entries::opening_hours, String>,
    diesel::dsl::Eq<map_entries::accessibility, String>,
    diesel::dsl::Eq<map_entries::lon, Option<f64>>,
    diesel::dsl::Eq<map_entries::lat, Option<f64>>,
    diesel::dsl::Eq<map_entries::commune_id, Option<i64>>,
    diesel::dsl::Eq<map_entries::epci_id, Option<i64>>,
    diesel::dsl::Eq<map_entries::departement_code, Option<String>>,
);

/// The columns a sheet sets, for an insert or an update.
fn sheet_values(entry: &NewEntry, placement: &Placement) -> SheetValues {
    (
        map_entries::name.eq(entry.name.clone()),
        map_entries::category.eq(entry.category.clone()),
        map_entries::domain.eq(entry.domain.code()),
        map_entries::description.eq(entry.description.clone()),
        map_entries::publics.eq(entry.publics.clone()),
        map_entries::resources.eq(entry.resources.clone()),
        map_entries::engagement.eq(entry.engagement.clone()),
        map_entries::contact.eq(entry.contact.clone()),
        map_entries::links.eq(entry.links.clone()),
        map_entries::address.eq(entry.address.clone()),
        map_entries::opening_hours.eq(entry.opening_hours.clone()),
        map_entries::accessibility.eq(entry.accessibility.clone()),
        map_entries::lon.eq(entry.location.map(|l| l.lon)),
        map_entries::lat.eq(entry.location.map(|l| l.lat)),
        map_entries::commune_id.eq(placement.commune_id),
        map_entries::epci_id.eq(placement.epci_id),
        map_entries::departement_code.eq(placement.departement_code.clone()),
    )
}

/// Rewrites a sheet (its kind stays). Call it inside `storage::write_transaction`.
pub fn update_entry(conn: &mut DbConnection, id: i64, entry: &NewEntry, placement: &Placement) -> QueryResult<bool> {
    let updated = diesel::update(map_entries::table.find(id))
        .set((sheet_values(entry, placement), map_entries::updated_at.eq(now())))
        .execute(conn)?;
    Ok(updated == 1)
}

/// The names and codes of the communes, EPCI and départements the entries lie in.
pub fn place_names(conn: &mut DbConnection, entries: &[MapEntry]) -> QueryResult<PlaceNames> {
    let ids: BTreeSet<i64> = entries.iter().flat_map(|e| [e.commune_id, e.epci_id]).flatten().collect();
    let departements: BTreeSet<String> = entries.iter().filter_map(|e| e.departement_code.clone()).collect();
    PlaceNames::load(conn, &ids.into_iter().collect::<Vec<_>>(), &departements.into_iter().collect::<Vec<_>>())
}

/// Deletes a sheet with its relations and mentions (the database cascades them).
pub fn delete_entry(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(map_entries::table.find(id)).execute(conn)? == 1)
}

pub fn find_entry(conn: &mut DbConnection, id: i64) -> QueryResult<Option<MapEntry>> {
    map_entries::table.find(id).first(conn).optional()
}

/// Every entry of a territory but the rejected ones, by kind and name.
pub fn entries_of_territory(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<MapEntry>> {
    map_entries::table
        .filter(map_entries::project_id.eq(place.project_id))
        .filter(map_entries::collectivity_id.eq(place.collectivity_id))
        .filter(map_entries::status.ne(Status::Rejected.code()))
        .order((map_entries::kind.asc(), map_entries::name.asc(), map_entries::id.asc()))
        .load(conn)
}

/// The published entries of every territory of a project, by territory, kind and name.
pub fn published_entries_of_project(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<MapEntry>> {
    map_entries::table
        .filter(map_entries::project_id.eq(project_id))
        .filter(map_entries::status.eq(Status::Published.code()))
        .order((map_entries::collectivity_id.asc(), map_entries::kind.asc(), map_entries::name.asc()))
        .load(conn)
}

/// An imported row: its identifier in the file (if any), its sheet and where it lies.
#[derive(Debug)]
pub struct ImportedRow {
    pub external_id: Option<String>,
    pub entry: NewEntry,
    pub placement: Placement,
}

/// Writes imported rows: a row whose identifier is already on the territory for that kind updates its sheet,
/// any other is added, published (only the provider and the agency import). Returns (added, updated). Call it
/// inside `storage::write_transaction`: a file is imported whole or not at all.
pub fn import_entries(
    conn: &mut DbConnection,
    place: Place,
    kind: EntryKind,
    rows: &[ImportedRow],
    user_id: i64,
) -> QueryResult<(usize, usize)> {
    let known: Vec<(i64, Option<String>)> = map_entries::table
        .filter(map_entries::project_id.eq(place.project_id))
        .filter(map_entries::collectivity_id.eq(place.collectivity_id))
        .filter(map_entries::kind.eq(kind.code()))
        .filter(map_entries::external_id.is_not_null())
        .select((map_entries::id, map_entries::external_id))
        .load(conn)?;
    let known: std::collections::HashMap<String, i64> =
        known.into_iter().filter_map(|(id, external)| Some((external?, id))).collect();
    let author = Author { user_id, publishes: true };
    let (mut added, mut updated) = (0, 0);
    for row in rows {
        match row.external_id.as_ref().and_then(|e| known.get(e)) {
            Some(id) => {
                update_entry(conn, *id, &row.entry, &row.placement)?;
                updated += 1;
            }
            None => {
                insert_entry(conn, place, &row.entry, &row.placement, row.external_id.as_deref(), author)?;
                added += 1;
            }
        }
    }
    Ok((added, updated))
}

// ---------------------------------------------------------------------------------------------------------------
// Relations

/// Records a relation; None when the same relation exists already (a double submission, or both ends entered it).
pub fn add_relation(
    conn: &mut DbConnection,
    place: Place,
    relation: &NewRelation,
    author: Author,
) -> QueryResult<Option<i64>> {
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(map_relations::table)
            .values((
                map_relations::project_id.eq(place.project_id),
                map_relations::collectivity_id.eq(place.collectivity_id),
                map_relations::from_id.eq(relation.from_id),
                map_relations::to_id.eq(relation.to_id),
                map_relations::kind.eq(relation.kind.code()),
                map_relations::intensity.eq(relation.intensity),
                map_relations::note.eq(&relation.note),
                map_relations::status.eq(author.status()),
                map_relations::created_by.eq(Some(author.user_id)),
                map_relations::reviewed_by.eq(author.publishes.then_some(author.user_id)),
                map_relations::created_at.eq(now()),
            ))
            .returning(map_relations::id)
            .get_result::<i64>(conn)
    });
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(DbError::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn find_relation(conn: &mut DbConnection, id: i64) -> QueryResult<Option<MapRelation>> {
    map_relations::table.find(id).first(conn).optional()
}

pub fn delete_relation(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(map_relations::table.find(id)).execute(conn)? == 1)
}

/// Every relation of a territory but the rejected ones.
pub fn relations_of_territory(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<MapRelation>> {
    map_relations::table
        .filter(map_relations::project_id.eq(place.project_id))
        .filter(map_relations::collectivity_id.eq(place.collectivity_id))
        .filter(map_relations::status.ne(Status::Rejected.code()))
        .order(map_relations::id.asc())
        .load(conn)
}

/// The published relations of every territory of a project.
pub fn published_relations_of_project(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<MapRelation>> {
    map_relations::table
        .filter(map_relations::project_id.eq(project_id))
        .filter(map_relations::status.eq(Status::Published.code()))
        .order(map_relations::id.asc())
        .load(conn)
}

// ---------------------------------------------------------------------------------------------------------------
// Sources

/// Records a source and the entries it speaks of (ids of the same territory, checked by the caller). Call it
/// inside `storage::write_transaction`.
pub fn add_source(
    conn: &mut DbConnection,
    place: Place,
    source: &NewSource,
    mentions: &[i64],
    author: Author,
) -> QueryResult<i64> {
    let id = diesel::insert_into(map_sources::table)
        .values((
            map_sources::project_id.eq(place.project_id),
            map_sources::collectivity_id.eq(place.collectivity_id),
            map_sources::kind.eq(source.kind.code()),
            map_sources::title.eq(&source.title),
            map_sources::happened_on.eq(source.happened_on),
            map_sources::people_met.eq(&source.people_met),
            map_sources::notes.eq(&source.notes),
            map_sources::link.eq(&source.link),
            map_sources::status.eq(author.status()),
            map_sources::created_by.eq(Some(author.user_id)),
            map_sources::reviewed_by.eq(author.publishes.then_some(author.user_id)),
            map_sources::created_at.eq(now()),
        ))
        .returning(map_sources::id)
        .get_result::<i64>(conn)?;
    // A source names a handful of sheets: one insert each keeps the query the same on both backends.
    for entry_id in mentions {
        diesel::insert_into(source_mentions::table)
            .values((source_mentions::source_id.eq(id), source_mentions::entry_id.eq(*entry_id)))
            .execute(conn)?;
    }
    Ok(id)
}

pub fn delete_source(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(map_sources::table.find(id)).execute(conn)? == 1)
}

/// Every source of a territory but the rejected ones, most recent first.
pub fn sources_of_territory(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<MapSource>> {
    map_sources::table
        .filter(map_sources::project_id.eq(place.project_id))
        .filter(map_sources::collectivity_id.eq(place.collectivity_id))
        .filter(map_sources::status.ne(Status::Rejected.code()))
        .order((map_sources::happened_on.desc(), map_sources::id.desc()))
        .load(conn)
}

/// Which source speaks of which entry, on a territory, as (source, entry).
pub fn mentions_of_territory(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<(i64, i64)>> {
    source_mentions::table
        .inner_join(map_sources::table)
        .filter(map_sources::project_id.eq(place.project_id))
        .filter(map_sources::collectivity_id.eq(place.collectivity_id))
        .select((source_mentions::source_id, source_mentions::entry_id))
        .load(conn)
}

// ---------------------------------------------------------------------------------------------------------------
// Moderation

/// What waits for the provider's decision on a project.
pub struct Pending {
    pub entries: Vec<MapEntry>,
    pub relations: Vec<MapRelation>,
    pub sources: Vec<MapSource>,
}

impl Pending {
    pub fn len(&self) -> usize {
        self.entries.len() + self.relations.len() + self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub fn pending_of_project(conn: &mut DbConnection, project_id: i64) -> QueryResult<Pending> {
    let proposed = Status::Proposed.code();
    Ok(Pending {
        entries: map_entries::table
            .filter(map_entries::project_id.eq(project_id))
            .filter(map_entries::status.eq(proposed))
            .order(map_entries::id.asc())
            .load(conn)?,
        relations: map_relations::table
            .filter(map_relations::project_id.eq(project_id))
            .filter(map_relations::status.eq(proposed))
            .order(map_relations::id.asc())
            .load(conn)?,
        sources: map_sources::table
            .filter(map_sources::project_id.eq(project_id))
            .filter(map_sources::status.eq(proposed))
            .order(map_sources::id.asc())
            .load(conn)?,
    })
}

/// What a moderation decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviewed {
    Entry,
    Relation,
    Source,
}

/// Publishes or rejects a proposed contribution of the project. False when it is not (or no longer) proposed:
/// two moderators deciding at once, the second one changes nothing. A publication is recorded in the project's
/// activity (participants only).
pub fn review(
    conn: &mut DbConnection,
    project_id: i64,
    what: Reviewed,
    id: i64,
    publish: bool,
    note: &str,
    reviewer: i64,
) -> QueryResult<bool> {
    let status = if publish { Status::Published.code() } else { Status::Rejected.code() };
    let proposed = Status::Proposed.code();
    let changed = match what {
        Reviewed::Entry => diesel::update(
            map_entries::table
                .filter(map_entries::id.eq(id))
                .filter(map_entries::project_id.eq(project_id))
                .filter(map_entries::status.eq(proposed)),
        )
        .set((
            map_entries::status.eq(status),
            map_entries::review_note.eq(note),
            map_entries::reviewed_by.eq(Some(reviewer)),
        ))
        .execute(conn)?,
        Reviewed::Relation => diesel::update(
            map_relations::table
                .filter(map_relations::id.eq(id))
                .filter(map_relations::project_id.eq(project_id))
                .filter(map_relations::status.eq(proposed)),
        )
        .set((
            map_relations::status.eq(status),
            map_relations::review_note.eq(note),
            map_relations::reviewed_by.eq(Some(reviewer)),
        ))
        .execute(conn)?,
        Reviewed::Source => diesel::update(
            map_sources::table
                .filter(map_sources::id.eq(id))
                .filter(map_sources::project_id.eq(project_id))
                .filter(map_sources::status.eq(proposed)),
        )
        .set((
            map_sources::status.eq(status),
            map_sources::review_note.eq(note),
            map_sources::reviewed_by.eq(Some(reviewer)),
        ))
        .execute(conn)?,
    };
    if changed == 1 && publish {
        record_activity(
            conn,
            NewActivity {
                actor_id: Some(reviewer),
                kind: ActivityKind::DiagnosticContributionPublished,
                theme_id: None,
                collectivity_id: None,
                project_id: Some(project_id),
                is_public: false,
                summary: "Une contribution d’un groupe d’enquête au diagnostic a été validée.".into(),
            },
        )?;
    }
    Ok(changed == 1)
}

/// Records a sheet written on the diagnostic's pages of `territory` (its name); a published one is told in the
/// project's activity (participants only). Call it inside `storage::write_transaction`.
pub fn contribute_entry(
    conn: &mut DbConnection,
    place: Place,
    territory: &str,
    entry: &NewEntry,
    placement: &Placement,
    author: Author,
) -> QueryResult<i64> {
    let id = insert_entry(conn, place, entry, placement, None, author)?;
    if author.publishes {
        let summary = format!(
            "Diagnostic {} : nouvelle fiche « {} » ({}).",
            de(territory),
            entry.name,
            entry.kind.label().to_lowercase()
        );
        record_diagnostic_activity(conn, place, author.user_id, summary)?;
    }
    Ok(id)
}

/// Records a source written on the diagnostic's pages of `territory` (its name), as [`add_source`]; a published
/// one is told in the project's activity (participants only). Call it inside `storage::write_transaction`.
pub fn contribute_source(
    conn: &mut DbConnection,
    place: Place,
    territory: &str,
    source: &NewSource,
    mentions: &[i64],
    author: Author,
) -> QueryResult<i64> {
    let id = add_source(conn, place, source, mentions, author)?;
    if author.publishes {
        let summary = format!(
            "Diagnostic {} : nouvelle source « {} » ({}).",
            de(territory),
            source.title,
            source.kind.label().to_lowercase()
        );
        record_diagnostic_activity(conn, place, author.user_id, summary)?;
    }
    Ok(id)
}

/// Imports a file waiting for its mapping into the diagnostic of `territory` (its name), as [`import_entries`],
/// marks the waiting file imported and tells the import in the project's activity. Returns (added, updated), or
/// None when the file was imported already (the mapping sent twice). Call it inside `storage::write_transaction`.
pub fn import_pending(
    conn: &mut DbConnection,
    place: Place,
    territory: &str,
    pending_id: i64,
    kind: EntryKind,
    rows: &[ImportedRow],
    user_id: i64,
) -> QueryResult<Option<(usize, usize)>> {
    if !super::pending_imports::mark_imported(conn, pending_id)? {
        return Ok(None);
    }
    let (added, updated) = import_entries(conn, place, kind, rows, user_id)?;
    let summary = format!(
        "Diagnostic {} : {added} fiche(s) importée(s), {updated} mise(s) à jour ({}).",
        de(territory),
        kind.plural()
    );
    record_diagnostic_activity(conn, place, user_id, summary)?;
    Ok(Some((added, updated)))
}

/// Records in the project's activity (participants only) what the diagnostic of a territory gained, for the
/// project page and the digests.
fn record_diagnostic_activity(
    conn: &mut DbConnection,
    place: Place,
    actor_id: i64,
    summary: String,
) -> QueryResult<()> {
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(actor_id),
            kind: ActivityKind::DiagnosticPublished,
            theme_id: None,
            collectivity_id: Some(place.collectivity_id),
            project_id: Some(place.project_id),
            is_public: false,
            summary,
        },
    )
}

// ---------------------------------------------------------------------------------------------------------------
// Public maps

/// A territory's map made public: its published sheets, on a public page, in the API and in open data.
#[derive(Debug, Clone, Queryable)]
pub struct PublicMap {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub published_by: Option<i64>,
    pub published_at: NaiveDateTime,
}

impl PublicMap {
    pub fn place(&self) -> Place {
        Place { project_id: self.project_id, collectivity_id: self.collectivity_id }
    }
}

/// Makes a territory's map public; true when it was not already (a second click publishes nothing more). The first
/// publication is told in the project's public activity, which digests carry to its followers.
pub fn publish_map(conn: &mut DbConnection, place: Place, by: i64, territory_name: &str) -> QueryResult<bool> {
    let at = now();
    let published = insert_once(conn, |conn| {
        diesel::insert_into(public_maps::table)
            .values((
                public_maps::project_id.eq(place.project_id),
                public_maps::collectivity_id.eq(place.collectivity_id),
                public_maps::published_by.eq(Some(by)),
                public_maps::published_at.eq(at),
            ))
            .execute(conn)
    })?;
    if published {
        record_activity(
            conn,
            NewActivity {
                actor_id: Some(by),
                kind: ActivityKind::MapPublished,
                theme_id: None,
                collectivity_id: Some(place.collectivity_id),
                project_id: Some(place.project_id),
                is_public: true,
                summary: format!(
                    "La carte du diagnostic {} est publique : ses acteurs, ses espaces et ses objets de l’engagement.",
                    de(territory_name)
                ),
            },
        )?;
    }
    Ok(published)
}

/// Takes a territory's map off the public pages, the API and open data; true when it was public.
pub fn withdraw_map(conn: &mut DbConnection, place: Place) -> QueryResult<bool> {
    let removed = diesel::delete(
        public_maps::table
            .filter(public_maps::project_id.eq(place.project_id))
            .filter(public_maps::collectivity_id.eq(place.collectivity_id)),
    )
    .execute(conn)?;
    Ok(removed == 1)
}

/// Which public maps to read.
#[derive(Debug, Clone, Copy)]
pub enum PublicMaps {
    All,
    OfProject(i64),
    OfCollectivity(i64),
    Id(i64),
    At(Place),
}

/// The public maps whose territory still participates in its project (one that left keeps its row, shown nowhere),
/// each with that territory, first published first — one query, whatever their number.
pub fn public_maps(conn: &mut DbConnection, which: PublicMaps) -> QueryResult<Vec<(PublicMap, Territory)>> {
    let mut query = public_maps::table
        .inner_join(
            enrolments::table.on(enrolments::project_id
                .eq(public_maps::project_id)
                .and(enrolments::collectivity_id.eq(public_maps::collectivity_id))),
        )
        .inner_join(collectivities::table.on(collectivities::id.eq(public_maps::collectivity_id)))
        .inner_join(territories::table.on(territories::id.eq(collectivities::territory_id)))
        .filter(enrolments::role.eq(EnrolmentRole::Participant.code()))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.code()))
        .select((public_maps::all_columns, territories::all_columns))
        .into_boxed();
    query = match which {
        PublicMaps::All => query,
        PublicMaps::OfProject(id) => query.filter(public_maps::project_id.eq(id)),
        PublicMaps::OfCollectivity(id) => query.filter(public_maps::collectivity_id.eq(id)),
        PublicMaps::Id(id) => query.filter(public_maps::id.eq(id)),
        PublicMaps::At(place) => query
            .filter(public_maps::project_id.eq(place.project_id))
            .filter(public_maps::collectivity_id.eq(place.collectivity_id)),
    };
    query.order(public_maps::id.asc()).load(conn)
}

/// The one public map `which` names, if it is public.
pub fn public_map(conn: &mut DbConnection, which: PublicMaps) -> QueryResult<Option<(PublicMap, Territory)>> {
    Ok(public_maps(conn, which)?.into_iter().next())
}

/// The published sheets of a territory, by kind and name: what its public map shows.
pub fn published_entries_of_territory(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<MapEntry>> {
    published_of(place).order((map_entries::kind.asc(), map_entries::name.asc(), map_entries::id.asc())).load(conn)
}

/// How many sheets a territory has published, and when the newest changed: what a list of public maps says of each.
pub fn published_summary(conn: &mut DbConnection, place: Place) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    published_of(place).select((diesel::dsl::count_star(), diesel::dsl::max(map_entries::updated_at))).first(conn)
}

/// A territory's published sheets, as a query to read or count.
fn published_of(place: Place) -> map_entries::BoxedQuery<'static, super::MultiBackend> {
    map_entries::table
        .filter(map_entries::project_id.eq(place.project_id))
        .filter(map_entries::collectivity_id.eq(place.collectivity_id))
        .filter(map_entries::status.eq(Status::Published.code()))
        .into_boxed()
}
