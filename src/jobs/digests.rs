//! Queuing digests: for every subscription due for a period, what happened in its project since the last item it
//! told becomes one message in the outbox, under the key `digest:<subscription>:<period>` — so that, whatever
//! the number of instances doing this at once, a person receives one digest per period at most, and no item twice.
//! Nothing is queued when nothing happened.

use chrono::{NaiveDateTime, TimeDelta};

use crate::domain::digest::{compose, due_period, Frequency, Item, Section};
use crate::security::sign;
use crate::storage::outbox::{enqueue, NewOutboxMessage};
use crate::storage::projects::participant_collectivities_of;
use crate::storage::subscriptions::{active_subscriptions, advance, news_since, subscribe_members, Subscription};
use crate::storage::{write_transaction, DbConnection, QueryResult};

/// Entries younger than this are left for the next digest: their transaction may not be visible to all yet.
const SETTLING: TimeDelta = TimeDelta::minutes(2);

/// Where links point, how they are signed, and the local hour (Europe/Paris) daily and weekly digests go from.
pub struct Links<'a> {
    pub base_url: &'a str,
    pub key: &'a [u8],
    pub send_hour: u32,
}

impl Links<'_> {
    pub fn unsubscribe(&self, subscription_id: i64) -> String {
        format!("{}{}", self.base_url, unsubscribe_path(self.key, subscription_id))
    }
}

/// The signed path that stops a subscription without logging in.
pub fn unsubscribe_path(key: &[u8], subscription_id: i64) -> String {
    format!("/desabonnement/{subscription_id}/{}", sign(key, &format!("desabonnement:{subscription_id}")))
}

/// Queues every digest due at `now` (UTC); returns how many were queued.
pub fn queue_due_digests(conn: &mut DbConnection, now: NaiveDateTime, links: &Links) -> QueryResult<usize> {
    subscribe_members(conn)?;
    let mut queued = 0;
    for (subscription, name, email, title) in active_subscriptions(conn)? {
        let frequency = subscription.frequency();
        let Some(period) = due_period(frequency, subscription.weekday as u32, now, links.send_hour) else { continue };
        if frequency != Frequency::Immediate && subscription.last_period == period {
            continue;
        }
        queued += usize::from(write_transaction(conn, |conn| {
            queue_one(conn, &subscription, &period, now, (&name, &email, &title), links)
        })?);
    }
    Ok(queued)
}

fn queue_one(
    conn: &mut DbConnection,
    subscription: &Subscription,
    period: &str,
    now: NaiveDateTime,
    (name, email, title): (&str, &str, &str),
    links: &Links,
) -> QueryResult<bool> {
    let project_id = subscription.project_id;
    // Participants' people read what only the working space sees; observers read what is public.
    let with_private = !participant_collectivities_of(conn, project_id, subscription.user_id)?.is_empty();
    let news = news_since(conn, project_id, subscription.last_activity_id, now - SETTLING, with_private)?;
    let Some(told) = news.iter().map(|a| a.id).max() else {
        advance(conn, subscription.id, subscription.last_activity_id, period)?;
        return Ok(false);
    };
    let url = format!("{}/projets/{project_id}", links.base_url);
    let items = news.into_iter().map(|a| Item { kind: a.kind, summary: a.summary, at: a.at }).collect();
    let section = Section { title: title.to_owned(), url, items };
    let unsubscribe = links.unsubscribe(subscription.id);
    let preferences = format!("{}/abonnements", links.base_url);
    let Some(mail) = compose(name, &[section], &preferences, &unsubscribe) else { return Ok(false) };
    // An immediate subscription sends once per last item told; the others once per period.
    let key = if subscription.frequency() == Frequency::Immediate {
        format!("digest:{}:a{told}", subscription.id)
    } else {
        format!("digest:{}:{period}", subscription.id)
    };
    let queued = enqueue(
        conn,
        &NewOutboxMessage {
            idempotency_key: &key,
            kind: "digest",
            recipient: email,
            subject: &mail.subject,
            text_body: &mail.text,
            html_body: &mail.html,
            unsubscribe_url: Some(&unsubscribe),
        },
    )?;
    advance(conn, subscription.id, told, period)?;
    Ok(queued)
}
