//! The steering committee's meetings: each member is invited by e-mail, the agenda file joined, once per meeting
//! and date (a meeting moved is sent again), under a key naming the meeting, its date and the member.

use super::digests::calendar_of;
use crate::mail::{self, messages, Extras};
use crate::storage::events::Event;
use crate::storage::projects::find_project;
use crate::storage::steering::members_of_committee;
use crate::storage::{DbConnection, DbError, QueryResult};

/// Queues the invitations to a meeting of the committee; call it in the transaction that plans or confirms it. How
/// many were queued (those queued before for the same date are not again).
pub fn invite_committee(conn: &mut DbConnection, meeting: &Event, base_url: &str) -> QueryResult<usize> {
    let project = find_project(conn, meeting.project_id)?.ok_or(DbError::NotFound)?;
    let calendar = calendar_of(conn, &[meeting.id], base_url)?;
    let event_link = format!("{base_url}/projets/{}/evenements/{}", meeting.project_id, meeting.id);
    let at = meeting.starts_at.and_utc().timestamp();
    let mut invited = 0;
    for member in members_of_committee(conn, meeting.project_id)? {
        let message =
            messages::steering_meeting(&member.email, &member.display_name, &project.title, meeting, &event_link);
        let key = format!("steering-meeting:e{}:{at}:m{}", meeting.id, member.id);
        let extras = Extras { calendar: calendar.as_deref(), ..Extras::default() };
        if mail::queue_with(conn, &key, "steering_meeting", &message, extras)? {
            invited += 1;
        }
    }
    Ok(invited)
}
