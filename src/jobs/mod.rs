//! Work done beside the requests, on every instance: queuing the digests and the reminders that are due, sending
//! the outbox.

pub mod digests;
pub mod exchanges;
pub mod outbox;
pub mod reminders;
pub mod resources;
pub mod restitutions;
pub mod steering;

use crate::domain::project::EventKind;
use crate::storage::events::Event;
use crate::storage::{DbConnection, QueryResult};

/// Invites by e-mail the people a planned event is for, by its kind: a restitution's meeting, the territory's inquiry
/// group; a steering committee's meeting, its members. Each invitation is keyed by the event and its date, so a
/// meeting planned is announced once and again when it moves. Call it in the transaction that plans, confirms or
/// moves the event; how many were invited, for the kinds that invite anyone.
pub fn invite_attendees(conn: &mut DbConnection, event: &Event, base_url: &str) -> QueryResult<Option<usize>> {
    match event.kind() {
        EventKind::Restitution => restitutions::invite_inquiry_group(conn, event, base_url).map(Some),
        EventKind::SteeringCommittee => steering::invite_committee(conn, event, base_url).map(Some),
        _ => Ok(None),
    }
}
