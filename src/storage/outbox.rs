//! The outbox: messages queued in the transaction that decides to send them, claimed by workers for a lease,
//! marked sent, or retried with a growing delay and given up after a limit.
//!
//! The guarantee: a message is queued once per idempotency key (unique constraint), claimed by one worker at a time
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on SQLite), and marked sent only by the worker that holds
//! its claim. A worker that dies before sending leaves a claim that expires: another worker sends the message. The
//! one window for a duplicate is a worker dying after the mail server accepted the message and before recording
//! it as sent; the message then goes again with the same `Message-ID` (derived from the key), which mail systems
//! use to recognise it.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::schema::outbox_messages;
use super::{insert_once, now, write_transaction, DbConnection, DbError};

#[derive(Debug, Clone, Queryable)]
pub struct OutboxMessage {
    pub id: i64,
    pub idempotency_key: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub unsubscribe_url: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub last_error: String,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// An iCalendar file attached to the message (a digest's events).
    pub calendar: Option<String>,
    /// The recipient is kept only until the message is sent (see `NewOutboxMessage::forget_recipient`).
    pub forget_recipient: bool,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewOutboxMessage<'a> {
    pub idempotency_key: &'a str,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub unsubscribe_url: Option<&'a str>,
    pub calendar: Option<&'a str>,
    /// An address given for this message only (a respondent's, for the restitution): sending the message erases
    /// the address and the bodies, which name the person's page.
    pub forget_recipient: bool,
}

/// Queues a message; false when a message with its key was queued before (nothing is written).
pub fn enqueue(conn: &mut DbConnection, message: &NewOutboxMessage) -> QueryResult<bool> {
    let at = now();
    insert_once(conn, |conn| {
        diesel::insert_into(outbox_messages::table)
            .values((
                outbox_messages::idempotency_key.eq(message.idempotency_key),
                outbox_messages::kind.eq(message.kind),
                outbox_messages::recipient.eq(message.recipient),
                outbox_messages::subject.eq(message.subject),
                outbox_messages::text_body.eq(message.text_body),
                outbox_messages::html_body.eq(message.html_body),
                outbox_messages::unsubscribe_url.eq(message.unsubscribe_url),
                outbox_messages::calendar.eq(message.calendar),
                outbox_messages::forget_recipient.eq(message.forget_recipient),
                outbox_messages::state.eq("pending"),
                outbox_messages::next_attempt_at.eq(at),
                outbox_messages::created_at.eq(at),
            ))
            .execute(conn)
    })
}

type Claimed<'a> = (
    diesel::dsl::Eq<outbox_messages::state, &'static str>,
    diesel::dsl::Eq<outbox_messages::claimed_by, Option<&'a str>>,
    diesel::dsl::Eq<outbox_messages::claimed_until, Option<NaiveDateTime>>,
    diesel::dsl::Eq<outbox_messages::attempts, diesel::dsl::Add<outbox_messages::attempts, i32>>,
);

/// What a claim writes: the state, who holds it and until when, one more attempt.
fn claimed(worker: &str, until: NaiveDateTime) -> Claimed<'_> {
    (
        outbox_messages::state.eq("sending"),
        outbox_messages::claimed_by.eq(Some(worker)),
        outbox_messages::claimed_until.eq(Some(until)),
        outbox_messages::attempts.eq(outbox_messages::attempts + 1),
    )
}

/// The message queued under this key.
pub fn find_by_key(conn: &mut DbConnection, key: &str) -> QueryResult<Option<OutboxMessage>> {
    outbox_messages::table.filter(outbox_messages::idempotency_key.eq(key)).first(conn).optional()
}

/// Claims up to `limit` due messages for `worker` until `lease` from now: pending ones whose time has come, and
/// those whose previous claim expired. Each claim counts as an attempt.
pub fn claim(conn: &mut DbConnection, worker: &str, limit: i64, lease: TimeDelta) -> QueryResult<Vec<OutboxMessage>> {
    let at = now();
    let due = outbox_messages::state
        .eq("pending")
        .and(outbox_messages::next_attempt_at.le(at))
        .or(outbox_messages::state.eq("sending").and(outbox_messages::claimed_until.lt(at)));
    let ids: Vec<i64> = match conn {
        // Rows another worker is claiming are skipped, not waited for.
        DbConnection::Postgres(pg) => {
            return pg.transaction(|pg| {
                let ids: Vec<i64> = outbox_messages::table
                    .filter(due)
                    .order(outbox_messages::id.asc())
                    .limit(limit)
                    .select(outbox_messages::id)
                    .for_update()
                    .skip_locked()
                    .load(pg)?;
                diesel::update(outbox_messages::table.filter(outbox_messages::id.eq_any(&ids)))
                    .set(claimed(worker, at + lease))
                    .execute(pg)?;
                outbox_messages::table
                    .filter(outbox_messages::id.eq_any(&ids))
                    .order(outbox_messages::id.asc())
                    .load(pg)
            });
        }
        // SQLite has one writer at a time: the write lock taken up front makes the claim whole.
        DbConnection::Sqlite(_) => write_transaction(conn, |conn| {
            let ids: Vec<i64> = outbox_messages::table
                .filter(due)
                .order(outbox_messages::id.asc())
                .limit(limit)
                .select(outbox_messages::id)
                .load(conn)?;
            diesel::update(outbox_messages::table.filter(outbox_messages::id.eq_any(&ids)))
                .set(claimed(worker, at + lease))
                .execute(conn)?;
            Ok::<_, DbError>(ids)
        })?,
    };
    outbox_messages::table.filter(outbox_messages::id.eq_any(&ids)).order(outbox_messages::id.asc()).load(conn)
}

/// Records a message as sent, if `worker` still holds its claim; false otherwise (its lease ran out and another
/// worker took it).
pub fn mark_sent(conn: &mut DbConnection, id: i64, worker: &str) -> QueryResult<bool> {
    let updated = diesel::update(
        outbox_messages::table
            .filter(outbox_messages::id.eq(id))
            .filter(outbox_messages::state.eq("sending"))
            .filter(outbox_messages::claimed_by.eq(worker)),
    )
    .set((
        outbox_messages::state.eq("sent"),
        outbox_messages::sent_at.eq(Some(now())),
        outbox_messages::claimed_until.eq(None::<NaiveDateTime>),
        outbox_messages::last_error.eq(""),
    ))
    .execute(conn)?;
    if updated == 1 {
        diesel::update(
            outbox_messages::table
                .filter(outbox_messages::id.eq(id))
                .filter(outbox_messages::forget_recipient.eq(true)),
        )
        .set(forgotten())
        .execute(conn)?;
    }
    Ok(updated == 1)
}

/// What a message whose recipient is forgotten keeps: its key, kind, subject, state and dates.
pub const FORGOTTEN: &str = "(adresse effacée)";

type Forgotten = (
    diesel::dsl::Eq<outbox_messages::recipient, &'static str>,
    diesel::dsl::Eq<outbox_messages::text_body, &'static str>,
    diesel::dsl::Eq<outbox_messages::html_body, &'static str>,
    diesel::dsl::Eq<outbox_messages::unsubscribe_url, Option<&'static str>>,
);

fn forgotten() -> Forgotten {
    (
        outbox_messages::recipient.eq(FORGOTTEN),
        outbox_messages::text_body.eq(""),
        outbox_messages::html_body.eq(""),
        outbox_messages::unsubscribe_url.eq(None::<&'static str>),
    )
}

/// Forgets the recipients of messages given for one message only that were given up (or not sent) by `before`:
/// the address is not kept for ever because a mail server refused it.
pub fn forget_unsent(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outbox_messages::table
            .filter(outbox_messages::forget_recipient.eq(true))
            .filter(outbox_messages::recipient.ne(FORGOTTEN))
            .filter(outbox_messages::created_at.lt(before)),
    )
    .set((forgotten(), outbox_messages::state.eq("failed")))
    .execute(conn)
}

/// Forgets a recipient's pending messages given for one message only (the one-click unsubscribe): they will not
/// go; how many there were.
pub fn forget_pending_to(conn: &mut DbConnection, recipient: &str) -> QueryResult<usize> {
    diesel::update(
        outbox_messages::table
            .filter(outbox_messages::forget_recipient.eq(true))
            .filter(outbox_messages::recipient.eq(recipient))
            .filter(outbox_messages::state.ne("sent")),
    )
    .set((
        forgotten(),
        outbox_messages::state.eq("failed"),
        outbox_messages::last_error.eq("Désabonnement : non envoyé."),
    ))
    .execute(conn)
}

/// The recipients of pending messages given for one message only (for the one-click unsubscribe, which names an
/// address by its keyed digest).
pub fn pending_forgettable_recipients(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    outbox_messages::table
        .filter(outbox_messages::forget_recipient.eq(true))
        .filter(outbox_messages::recipient.ne(FORGOTTEN))
        .select(outbox_messages::recipient)
        .distinct()
        .load(conn)
}

/// How long to wait before the next attempt after `attempts` failed ones: 1, 2, 4… minutes, six hours at most.
pub fn backoff(attempts: i32) -> TimeDelta {
    let minutes = 1i64 << attempts.clamp(1, 10).saturating_sub(1);
    TimeDelta::minutes(minutes.min(360))
}

/// Records a failed attempt: the message waits for its next attempt, or is given up after `max_attempts`.
pub fn mark_failed(
    conn: &mut DbConnection,
    message: &OutboxMessage,
    worker: &str,
    error: &str,
    max_attempts: i32,
) -> QueryResult<()> {
    let given_up = message.attempts >= max_attempts;
    let error: String = error.chars().take(1000).collect();
    diesel::update(
        outbox_messages::table
            .filter(outbox_messages::id.eq(message.id))
            .filter(outbox_messages::claimed_by.eq(worker)),
    )
    .set((
        outbox_messages::state.eq(if given_up { "failed" } else { "pending" }),
        outbox_messages::last_error.eq(error),
        outbox_messages::next_attempt_at.eq(now() + backoff(message.attempts)),
        outbox_messages::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Puts a given-up message back in the queue, now (an admin's decision, once the cause is fixed).
pub fn retry(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let updated = diesel::update(
        outbox_messages::table.filter(outbox_messages::id.eq(id)).filter(outbox_messages::state.eq("failed")),
    )
    .set((
        outbox_messages::state.eq("pending"),
        outbox_messages::next_attempt_at.eq(now()),
        outbox_messages::attempts.eq(0),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// How many messages are in each state.
pub fn counts_by_state(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    outbox_messages::table
        .group_by(outbox_messages::state)
        .select((outbox_messages::state, diesel::dsl::count_star()))
        .load(conn)
}

/// The most recent messages, given-up ones first, for the administration.
pub fn recent_messages(conn: &mut DbConnection, state: Option<&str>, limit: i64) -> QueryResult<Vec<OutboxMessage>> {
    let mut query = outbox_messages::table.into_boxed();
    if let Some(state) = state {
        query = query.filter(outbox_messages::state.eq(state.to_owned()));
    }
    query.order(outbox_messages::id.desc()).limit(limit).load(conn)
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn the_delay_doubles_up_to_six_hours() {
        let minutes: Vec<i64> = [1, 2, 3, 4, 9, 10, 50].iter().map(|a| backoff(*a).num_minutes()).collect();
        assert_eq!(minutes, vec![1, 2, 4, 8, 256, 360, 360]);
    }
}
