//! The resource base stays current: the owner of an entry not checked for `domain::resources::CHECK_AFTER` is asked,
//! once per check, to read it again (« vérifiée le … » moves when they confirm or correct it).

use chrono::NaiveDateTime;

use crate::mail::{self, messages};
use crate::storage::reports::{due_for_check, mark_reminded};
use crate::storage::users::find_user;
use crate::storage::{write_transaction, DbConnection, QueryResult};

/// Queues the reminders due at `now`, one report per transaction; how many were queued.
pub fn queue_check_reminders(conn: &mut DbConnection, now: NaiveDateTime, base_url: &str) -> QueryResult<usize> {
    let mut queued = 0;
    for report in due_for_check(conn, now)? {
        queued += usize::from(write_transaction(conn, |conn| {
            // The conditional update decides between instances; the key makes a second queueing a no-op anyway.
            if !mark_reminded(conn, &report)? {
                return Ok(false);
            }
            let Some(owner) = report.owner_id.map(|id| find_user(conn, id)).transpose()?.flatten() else {
                return Ok(false);
            };
            let link = format!("{base_url}/retours-d-experience/{}", report.id);
            let message =
                messages::report_check(&owner.email, &owner.display_name, &report.title, report.checked_at, &link);
            let key = format!("verification:r{}:{}", report.id, report.checked_at.and_utc().timestamp());
            mail::queue(conn, &key, "report_check", &message, None)
        })?);
    }
    Ok(queued)
}
