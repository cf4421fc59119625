//! The resource base stays current: the owner of an entry (an experience report, a directory entry) not checked for
//! `domain::resources::CHECK_AFTER` is asked, once per check, to read it again (« vérifiée le … » moves when they
//! confirm or correct it).

use chrono::NaiveDateTime;

use crate::mail::{self, messages};
use crate::storage::users::find_user;
use crate::storage::{directory, reports, write_transaction, DbConnection, QueryResult};

/// An entry due for a reminder: what the message needs.
struct Due {
    owner_id: Option<i64>,
    what: &'static str,
    title: String,
    checked_at: NaiveDateTime,
    path: String,
    key: String,
}

/// Queues the reminders due at `now`, one entry per transaction; how many were queued.
pub fn queue_check_reminders(conn: &mut DbConnection, now: NaiveDateTime, base_url: &str) -> QueryResult<usize> {
    let mut queued = 0;
    for report in reports::due_for_check(conn, now)? {
        queued += usize::from(write_transaction(conn, |conn| {
            // The conditional update decides between instances; the key makes a second queueing a no-op anyway.
            if !reports::mark_reminded(conn, &report)? {
                return Ok(false);
            }
            let due = Due {
                owner_id: report.owner_id,
                what: "Votre fiche de retour d’expérience",
                title: report.title.clone(),
                checked_at: report.checked_at,
                path: format!("/retours-d-experience/{}", report.id),
                key: format!("verification:r{}:{}", report.id, report.checked_at.and_utc().timestamp()),
            };
            remind(conn, &due, base_url)
        })?);
    }
    for entry in directory::due_for_check(conn, now)? {
        queued += usize::from(write_transaction(conn, |conn| {
            if !directory::mark_reminded(conn, &entry)? {
                return Ok(false);
            }
            let due = Due {
                owner_id: entry.owner_id,
                what: "Votre fiche de l’annuaire",
                title: entry.name.clone(),
                checked_at: entry.checked_at,
                path: format!("/annuaire/{}", entry.id),
                key: format!("verification:a{}:{}", entry.id, entry.checked_at.and_utc().timestamp()),
            };
            remind(conn, &due, base_url)
        })?);
    }
    Ok(queued)
}

fn remind(conn: &mut DbConnection, due: &Due, base_url: &str) -> QueryResult<bool> {
    let Some(owner) = due.owner_id.map(|id| find_user(conn, id)).transpose()?.flatten() else { return Ok(false) };
    let link = format!("{base_url}{}", due.path);
    let message =
        messages::resource_check(&owner.email, &owner.display_name, due.what, &due.title, due.checked_at, &link);
    mail::queue(conn, &due.key, "resource_check", &message, None)
}
