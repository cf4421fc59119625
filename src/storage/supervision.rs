//! Supervision sessions (events of kind `supervision`): who attended, recorded by the agency or the provider, and
//! the notes only those who attended read and write. Every read of the notes takes an [`Attendee`], which only
//! [`attendee`] makes, from the attendance table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{supervision_attendance, supervision_notes, users};
use super::{is_unique_violation, now, DbConnection, DbError};

/// A person who attended a session: the only way to read or write its notes.
#[derive(Debug, Clone, Copy)]
pub struct Attendee {
    pub event_id: i64,
    pub user_id: i64,
}

/// The person as an attendee of the session, or None when they did not attend.
pub fn attendee(conn: &mut DbConnection, event_id: i64, user_id: i64) -> QueryResult<Option<Attendee>> {
    let attended: i64 = supervision_attendance::table
        .filter(supervision_attendance::event_id.eq(event_id))
        .filter(supervision_attendance::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok((attended == 1).then_some(Attendee { event_id, user_id }))
}

/// Who attended the session, as (user, name), by name.
pub fn attendance(conn: &mut DbConnection, event_id: i64) -> QueryResult<Vec<(i64, String)>> {
    supervision_attendance::table
        .inner_join(users::table.on(users::id.eq(supervision_attendance::user_id)))
        .filter(supervision_attendance::event_id.eq(event_id))
        .order(users::display_name.asc())
        .select((users::id, users::display_name))
        .load(conn)
}

/// Records who attended: exactly `present` (a person unticked leaves the list, and the notes with them). Call it
/// inside `storage::write_transaction`.
pub fn record_attendance(conn: &mut DbConnection, event_id: i64, present: &[i64], by: i64) -> QueryResult<()> {
    diesel::delete(
        supervision_attendance::table
            .filter(supervision_attendance::event_id.eq(event_id))
            .filter(supervision_attendance::user_id.ne_all(present.to_vec())),
    )
    .execute(conn)?;
    let at = now();
    for user_id in present {
        super::insert_once(conn, |conn| {
            diesel::insert_into(supervision_attendance::table)
                .values((
                    supervision_attendance::event_id.eq(event_id),
                    supervision_attendance::user_id.eq(user_id),
                    supervision_attendance::recorded_by.eq(Some(by)),
                    supervision_attendance::recorded_at.eq(at),
                ))
                .execute(conn)
        })?;
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable)]
pub struct Note {
    pub id: i64,
    pub event_id: i64,
    pub author_id: Option<i64>,
    pub body: String,
    pub submission: String,
    pub created_at: NaiveDateTime,
}

/// The session's notes, oldest first, with their author's name.
pub fn notes(conn: &mut DbConnection, attendee: Attendee) -> QueryResult<Vec<(Note, Option<String>)>> {
    supervision_notes::table
        .left_join(users::table.on(supervision_notes::author_id.eq(users::id.nullable())))
        .filter(supervision_notes::event_id.eq(attendee.event_id))
        .order(supervision_notes::id.asc())
        .select((supervision_notes::all_columns, users::display_name.nullable()))
        .load(conn)
}

/// Adds a note; the same form sent twice adds it once. Call it inside `storage::write_transaction`.
pub fn add_note(conn: &mut DbConnection, attendee: Attendee, body: &str, submission: &str) -> QueryResult<()> {
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(supervision_notes::table)
            .values((
                supervision_notes::event_id.eq(attendee.event_id),
                supervision_notes::author_id.eq(Some(attendee.user_id)),
                supervision_notes::body.eq(body),
                supervision_notes::submission.eq(submission),
                supervision_notes::created_at.eq(now()),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Ok(()),
        Err(e) => Err::<(), DbError>(e),
    }
}
