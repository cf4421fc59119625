//! Telling the respondents who asked « to be told what came of it »: once a territory's restitution is published,
//! each address left on the territory's questionnaires gets one message — an address left on several of them, one
//! — queued under a key naming the restitution and the address's keyed digest, and is then forgotten: deleted from
//! the questionnaires in the same transaction, and from the outbox once the message is sent. Publication does it
//! at once; the worker does it each minute for addresses left since (a questionnaire still open), on every
//! instance: the restitution's row lock and the key make each message go once.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use super::digests::calendar_of;
use crate::domain::text::de;
use crate::mail::links::{address_digest, Signed};
use crate::mail::{self, messages, Extras};
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::diagnostic::Place;
use crate::storage::events::Event;
use crate::storage::inquiry::members_of_group;
use crate::storage::restitutions::{self, addresses_to_tell, forget_told, lock_restitution};
use crate::storage::users::find_user;
use crate::storage::{outbox, write_transaction, DbConnection, DbError, QueryResult};

/// Queues the messages of a published restitution to the addresses its territory's questionnaires hold, and
/// forgets those addresses; how many messages were queued. Call it inside `storage::write_transaction`.
pub fn tell_respondents(conn: &mut DbConnection, place: Place, base_url: &str, key: &[u8]) -> QueryResult<usize> {
    let restitution = lock_restitution(conn, place, None)?;
    if restitution.published_at.is_none() {
        return Ok(0);
    }
    let stored = addresses_to_tell(conn, place)?;
    if stored.is_empty() {
        return Ok(0);
    }
    let name = territory_of_collectivity(conn, place.collectivity_id)?.ok_or(DbError::NotFound)?.name;
    let page = format!("{base_url}/projets/{}/restitutions/{}", place.project_id, place.collectivity_id);
    let mut seen = BTreeSet::new();
    let mut told = 0;
    for address in &stored {
        let digest = address_digest(key, address);
        if !seen.insert(digest.clone()) {
            continue;
        }
        let forget = format!("{base_url}{}", Signed::ForgetAddress(&digest).path(key));
        let message = messages::restitution_published(address, &de(&name), &page, &forget);
        let message_key = format!("restitution:r{}:{digest}", restitution.id);
        let extras = Extras { unsubscribe: Some(&forget), forget_recipient: true, ..Extras::default() };
        if mail::queue_with(conn, &message_key, "restitution", &message, extras)? {
            told += 1;
        }
    }
    forget_told(conn, &restitution, &stored, told)?;
    Ok(told)
}

/// Invites the territory's inquiry-group members who have an account to a meeting of its restitution, its calendar
/// file attached; once each, under a key naming the meeting, its date and the member. Members without an account
/// left no address for this (theirs served their invitation only): the group tells them. Call it in the
/// transaction that plans the meeting; how many were invited.
pub fn invite_inquiry_group(conn: &mut DbConnection, meeting: &Event, base_url: &str) -> QueryResult<usize> {
    let Some(collectivity_id) = meeting.collectivity_id else { return Ok(0) };
    let name = territory_of_collectivity(conn, collectivity_id)?.ok_or(DbError::NotFound)?.name;
    let calendar = calendar_of(conn, &[meeting.id], base_url)?;
    let event_link = format!("{base_url}/projets/{}/evenements/{}", meeting.project_id, meeting.id);
    let restitution_link = format!("{base_url}/projets/{}/restitution/{collectivity_id}", meeting.project_id);
    let at = meeting.starts_at.and_utc().timestamp();
    let mut invited = 0;
    for member in members_of_group(conn, meeting.project_id, collectivity_id)? {
        let Some(user) = member.user_id.map(|id| find_user(conn, id)).transpose()?.flatten() else { continue };
        let message = messages::restitution_meeting(
            &user.email,
            &member.display_name,
            &de(&name),
            meeting,
            &event_link,
            &restitution_link,
        );
        let key = format!("restitution-meeting:e{}:{at}:m{}", meeting.id, member.id);
        let extras = Extras { calendar: calendar.as_deref(), ..Extras::default() };
        if mail::queue_with(conn, &key, "restitution_meeting", &message, extras)? {
            invited += 1;
        }
    }
    Ok(invited)
}

/// Tells the respondents of every published restitution that has addresses waiting, one restitution per
/// transaction; how many messages were queued.
pub fn tell_all_due(conn: &mut DbConnection, base_url: &str, key: &[u8]) -> QueryResult<usize> {
    let mut told = 0;
    for restitution in restitutions::restitutions_to_tell(conn)? {
        told += write_transaction(conn, |conn| tell_respondents(conn, restitution.place(), base_url, key))?;
    }
    Ok(told)
}

/// Forgets the addresses kept past their retention: those left on the questionnaires of projects closed before
/// `closed_before`, and those of one-off messages not sent by then.
pub fn forget_past_retention(conn: &mut DbConnection, closed_before: NaiveDateTime) -> QueryResult<usize> {
    Ok(restitutions::forget_after_closing(conn, closed_before)? + outbox::forget_unsent(conn, closed_before)?)
}

/// Forgets, everywhere, the address a one-click link names by its digest; whether one was found.
pub fn forget_address(conn: &mut DbConnection, digest: &str, key: &[u8]) -> QueryResult<bool> {
    let mut found = false;
    for address in restitutions::all_feedback_addresses(conn)? {
        if address_digest(key, &address) == digest {
            restitutions::forget_address(conn, &address)?;
            found = true;
        }
    }
    for address in outbox::pending_forgettable_recipients(conn)? {
        if address_digest(key, &address) == digest {
            outbox::forget_pending_to(conn, &address)?;
            found = true;
        }
    }
    Ok(found)
}
