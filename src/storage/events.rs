//! A project's meetings and seminars, the people registered for them, and their minutes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, record_event_activity, NewActivity};
use super::schema::{collectivities, event_registrations, events, territories, users};
use super::{now, DbConnection, DbError};
use crate::domain::activity::ActivityKind;
use crate::domain::project::{EventKind, NewEvent};

#[derive(Debug, Clone, Queryable)]
pub struct Event {
    pub id: i64,
    pub project_id: i64,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub collectivity_id: Option<i64>,
    pub minutes: Option<String>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// False for an event of the programme's seminar plan whose date is still the calendar's guess: it is told to
    /// nobody until the agency or the provider confirm it.
    pub confirmed: bool,
}

impl Event {
    pub fn kind(&self) -> EventKind {
        EventKind::parse(&self.kind).unwrap_or(EventKind::Meeting)
    }
}

/// A registered person: their name, and the collectivity they come for.
#[derive(Debug, Clone, Queryable)]
pub struct Registration {
    pub user_id: i64,
    pub display_name: String,
    pub collectivity_id: i64,
    pub collectivity_name: String,
    pub registered_at: NaiveDateTime,
}

/// Records an event with its activity entry. Call it inside `storage::write_transaction`.
pub fn insert_event(
    conn: &mut DbConnection,
    project_id: i64,
    event: &NewEvent,
    user_id: i64,
    project_title: &str,
) -> QueryResult<i64> {
    let id = insert_row(conn, project_id, event, user_id, true)?;
    record_event_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::EventPlanned,
            theme_id: None,
            collectivity_id: event.collectivity_id,
            project_id: Some(project_id),
            is_public: true,
            summary: planned_summary(event, project_title),
        },
        id,
    )?;
    Ok(id)
}

/// What the activity says of an event announced.
fn planned_summary(event: &NewEvent, project_title: &str) -> String {
    format!(
        "{} « {} » prévu le {} pour le projet « {project_title} ».",
        event.kind.label(),
        event.title,
        event.starts_at.format("%d/%m/%Y à %H:%M")
    )
}

/// Inserts an event of the programme's seminar plan, dated by the calendar and not yet confirmed: nobody is told
/// of it until the agency or the provider confirm it (`update_event`).
pub fn insert_planned_event(
    conn: &mut DbConnection,
    project_id: i64,
    event: &NewEvent,
    user_id: i64,
) -> QueryResult<i64> {
    insert_row(conn, project_id, event, user_id, false)
}

fn insert_row(
    conn: &mut DbConnection,
    project_id: i64,
    event: &NewEvent,
    user_id: i64,
    confirmed: bool,
) -> QueryResult<i64> {
    let at = now();
    diesel::insert_into(events::table)
        .values((
            events::project_id.eq(project_id),
            events::kind.eq(event.kind.code()),
            events::title.eq(&event.title),
            events::description.eq(&event.description),
            events::starts_at.eq(event.starts_at),
            events::ends_at.eq(event.ends_at),
            events::place.eq(event.place.as_deref()),
            events::online_url.eq(event.online_url.as_deref()),
            events::collectivity_id.eq(event.collectivity_id),
            events::created_by.eq(user_id),
            events::created_at.eq(at),
            events::updated_at.eq(at),
            events::confirmed.eq(confirmed),
        ))
        .returning(events::id)
        .get_result(conn)
}

/// Changes an event's title, presentation, times and place (its kind and territory stay), and confirms it: an
/// event of the seminar plan is announced, like a new one, when it is first confirmed; a confirmed event moved to
/// another day is announced again. Call it inside `storage::write_transaction`; the event as it now is.
pub fn update_event(
    conn: &mut DbConnection,
    event: &Event,
    changed: &NewEvent,
    user_id: i64,
    project_title: &str,
) -> QueryResult<Event> {
    let updated: Event = diesel::update(events::table.find(event.id))
        .set((
            events::title.eq(&changed.title),
            events::description.eq(&changed.description),
            events::starts_at.eq(changed.starts_at),
            events::ends_at.eq(changed.ends_at),
            events::place.eq(changed.place.as_deref()),
            events::online_url.eq(changed.online_url.as_deref()),
            events::confirmed.eq(true),
            events::updated_at.eq(now()),
        ))
        .get_result(conn)?;
    let moved = event.starts_at != changed.starts_at;
    let summary = match (event.confirmed, moved) {
        (false, _) => planned_summary(changed, project_title),
        (true, true) => format!(
            "{} « {} » du projet « {project_title} » change de date : le {}.",
            event.kind().label(),
            changed.title,
            changed.starts_at.format("%d/%m/%Y à %H:%M")
        ),
        (true, false) => {
            super::activity::public_content_changed(conn)?;
            return Ok(updated);
        }
    };
    record_event_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::EventPlanned,
            theme_id: None,
            collectivity_id: event.collectivity_id,
            project_id: Some(event.project_id),
            is_public: true,
            summary,
        },
        event.id,
    )?;
    Ok(updated)
}

pub fn find_event(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<Option<Event>> {
    events::table.find(id).filter(events::project_id.eq(project_id)).first(conn).optional()
}

/// The events of a kind that start after `from` and no later than `to`, across projects (the follow-up meetings to
/// remind).
pub fn events_of_kind_starting(
    conn: &mut DbConnection,
    kind: EventKind,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::kind.eq(kind.code()))
        .filter(events::starts_at.gt(from))
        .filter(events::starts_at.le(to))
        .order(events::starts_at)
        .load(conn)
}

/// These events (those that still exist), soonest first.
pub fn events_by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Event>> {
    events::table.filter(events::id.eq_any(ids)).order((events::starts_at.asc(), events::id.asc())).load(conn)
}

/// The events of these kinds held for one territory of a project, in date order.
pub fn events_of_territory(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
    kinds: &[EventKind],
) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::project_id.eq(project_id))
        .filter(events::collectivity_id.eq(collectivity_id))
        .filter(events::kind.eq_any(kinds.iter().map(|k| k.code())))
        .order((events::starts_at.asc(), events::id.asc()))
        .load(conn)
}

/// A project's events in date order, with the name of the hosting territory of local ones.
pub fn events_of_project(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<(Event, Option<String>)>> {
    // Two flat left joins: SQLite materialises a nested `LEFT JOIN (collectivities JOIN territories)` by scanning
    // every territory.
    events::table
        .left_join(collectivities::table)
        .left_join(territories::table.on(territories::id.nullable().eq(collectivities::territory_id.nullable())))
        .filter(events::project_id.eq(project_id))
        .select((events::all_columns, territories::name.nullable()))
        .order((events::starts_at.asc(), events::id.asc()))
        .load(conn)
}

/// The events of these projects that have not ended by `now`, soonest first.
pub fn upcoming_events_of_projects(
    conn: &mut DbConnection,
    project_ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::project_id.eq_any(project_ids))
        .filter(events::ends_at.ge(now))
        .order((events::starts_at.asc(), events::id.asc()))
        .load(conn)
}

/// Writes (or rewrites) the minutes. Call it inside `storage::write_transaction`.
pub fn set_minutes(conn: &mut DbConnection, event: &Event, minutes: &str, user_id: i64) -> QueryResult<()> {
    let first = event.minutes.is_none();
    diesel::update(events::table.find(event.id))
        .set((events::minutes.eq(Some(minutes)), events::updated_at.eq(now())))
        .execute(conn)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::EventMinutes,
            theme_id: None,
            collectivity_id: event.collectivity_id,
            project_id: Some(event.project_id),
            // Minutes are read in the working space only.
            is_public: false,
            summary: if first {
                format!("Le compte rendu de « {} » est en ligne.", event.title)
            } else {
                format!("Le compte rendu de « {} » a été mis à jour.", event.title)
            },
        },
    )?;
    Ok(())
}

pub fn registrations_of_event(conn: &mut DbConnection, event_id: i64) -> QueryResult<Vec<Registration>> {
    event_registrations::table
        .inner_join(users::table.on(users::id.eq(event_registrations::user_id)))
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(event_registrations::event_id.eq(event_id))
        .select((
            event_registrations::user_id,
            users::display_name,
            event_registrations::collectivity_id,
            territories::name,
            event_registrations::registered_at,
        ))
        .order((territories::name, users::display_name))
        .load(conn)
}

/// Registers a person for the event on behalf of a collectivity; false if they already were (the unique
/// constraint on (event, person) decides between two clicks).
pub fn register(
    conn: &mut DbConnection,
    event_id: i64,
    user_id: i64,
    collectivity_id: i64,
    registered_by: i64,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(event_registrations::table)
        .values((
            event_registrations::event_id.eq(event_id),
            event_registrations::user_id.eq(user_id),
            event_registrations::collectivity_id.eq(collectivity_id),
            event_registrations::registered_by.eq(registered_by),
            event_registrations::registered_at.eq(now()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(DbError::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Cancels a registration; false if there was none.
pub fn unregister(conn: &mut DbConnection, event_id: i64, user_id: i64) -> QueryResult<bool> {
    let deleted = diesel::delete(
        event_registrations::table
            .filter(event_registrations::event_id.eq(event_id))
            .filter(event_registrations::user_id.eq(user_id)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}
