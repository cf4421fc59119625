//! Queuing digests, one subscriber at a time: their subscriptions due today (the daily ones, and the weekly ones
//! on their day) become one message grouping what happened in each project and theme since the last item each
//! told, under the key `digest:s<subscriber>:<local date>`; their immediate subscriptions, one message per run
//! with news, under `digest:s<subscriber>:i<horizon>`. The subscriber is locked while their messages are prepared
//! and their subscriptions are read afresh under that lock, so that whatever the number of instances doing this at
//! once, a person receives one digest per day at most, and no item twice (an item about several things they
//! follow is told by the most precise one). Nothing is queued when nothing happened.
//! Events announced travel as an iCalendar attachment.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDateTime, TimeDelta};

use crate::domain::calendar::{event_uid, ics, location, CalendarEvent};
use crate::domain::digest::{compose, due_period, Frequency, Item, Section};
use crate::domain::paris::paris_time;
use crate::mail::links::Signed;
use crate::mail::messages::{digest, DigestLinks, DigestMail};
use crate::storage::activity::Activity;
use crate::storage::events::events_by_ids;
use crate::storage::outbox::{enqueue, NewOutboxMessage};
use crate::storage::projects::{observing_collectivities_of, participant_collectivities_of};
use crate::storage::subscriptions::{
    active_subscriptions, activity_horizon, advance, lock_subscriber, news_since, recipient, target_title, Reader,
    Subscriber, Subscription, Target,
};
use crate::storage::{write_transaction, DbConnection, DbError, QueryResult};

const SUBSCRIBERS_PER_TRANSACTION: usize = 100;

/// Entries younger than this are left for the next digest: their transaction may not be visible to all yet.
const SETTLING: TimeDelta = TimeDelta::minutes(2);

/// Where links point, how they are signed, and the local hour (Europe/Paris) daily and weekly digests go from.
pub struct Links<'a> {
    pub base_url: &'a str,
    pub key: &'a [u8],
    pub send_hour: u32,
}

impl Links<'_> {
    pub fn url(&self, signed: Signed) -> String {
        format!("{}{}", self.base_url, signed.path(self.key))
    }
}

/// The period a subscription is due for at `now`, unless it was considered for it already or, immediate, has
/// nothing up to `horizon` left to tell.
fn due(subscription: &Subscription, now: NaiveDateTime, horizon: i64, send_hour: u32) -> Option<String> {
    let period = due_period(subscription.frequency(), subscription.weekday as u32, now, send_hour)?;
    match subscription.frequency() {
        Frequency::Immediate => (subscription.last_activity_id < horizon).then_some(period),
        _ => (subscription.last_period != period).then_some(period),
    }
}

/// Queues every digest due at `now` (UTC); returns how many were queued.
pub fn queue_due_digests(conn: &mut DbConnection, now: NaiveDateTime, links: &Links) -> QueryResult<usize> {
    let horizon = activity_horizon(conn, now - SETTLING)?;
    // A first look without locks picks the subscribers with something due; each is then decided under its lock.
    let candidates: Vec<i64> = {
        let mut seen = HashSet::new();
        active_subscriptions(conn)?
            .iter()
            .filter(|s| due(s, now, horizon, links.send_hour).is_some())
            .map(|s| s.subscriber_id)
            .filter(|id| seen.insert(*id))
            .collect()
    };
    let mut titles = Titles::default();
    let mut queued = 0;
    // A hundred subscribers a transaction: locks taken in the same (ascending) order by every instance, and one
    // commit for many digests.
    for chunk in candidates.chunks(SUBSCRIBERS_PER_TRANSACTION) {
        queued += write_transaction(conn, |conn| {
            chunk.iter().try_fold(0, |queued, subscriber_id| {
                Ok::<_, DbError>(
                    queued + queue_for_subscriber(conn, *subscriber_id, (now, horizon), links, &mut titles)?,
                )
            })
        })?;
    }
    Ok(queued)
}

/// The titles of what is followed, read once per round (thousands of digests share a few projects and themes).
#[derive(Default)]
struct Titles(HashMap<Target, String>);

impl Titles {
    fn of(&mut self, conn: &mut DbConnection, target: Target) -> QueryResult<String> {
        if let Some(title) = self.0.get(&target) {
            return Ok(title.clone());
        }
        let title = target_title(conn, target)?;
        self.0.insert(target, title.clone());
        Ok(title)
    }
}

fn queue_for_subscriber(
    conn: &mut DbConnection,
    subscriber_id: i64,
    (now, horizon): (NaiveDateTime, i64),
    links: &Links,
    titles: &mut Titles,
) -> QueryResult<usize> {
    let Some((subscriber, subscriptions)) = lock_subscriber(conn, subscriber_id, now)? else { return Ok(0) };
    let followed = Followed::of(&subscriptions);
    let due: Vec<(Subscription, String)> = subscriptions
        .into_iter()
        .filter_map(|s| due(&s, now, horizon, links.send_hour).map(|period| (s, period)))
        .collect();
    let (immediate, periodic): (Vec<_>, Vec<_>) =
        due.into_iter().partition(|(s, _)| s.frequency() == Frequency::Immediate);
    let today = paris_time(now).date().format("%Y-%m-%d");
    let mut queued = 0;
    for (group, key) in [
        (periodic, format!("digest:s{subscriber_id}:{today}")),
        (immediate, format!("digest:s{subscriber_id}:i{horizon}")),
    ] {
        if !group.is_empty() {
            let group = Group { subscriptions: &group, key: &key, horizon };
            queued += usize::from(queue_group(conn, (&subscriber, &followed), &group, links, titles)?);
        }
    }
    Ok(queued)
}

/// What a subscriber follows, so that an entry about several things they follow (a project opened on a theme) is
/// told once, by the most precise of their subscriptions: the project's, else the theme's, else the themes'.
struct Followed {
    projects: HashSet<i64>,
    themes: HashSet<i64>,
}

impl Followed {
    fn of(subscriptions: &[Subscription]) -> Followed {
        Followed {
            projects: subscriptions.iter().filter_map(|s| s.project_id).collect(),
            themes: subscriptions.iter().filter_map(|s| s.theme_id).collect(),
        }
    }

    /// Whether `target`'s section tells `entry`, rather than a more precise subscription.
    fn tells(&self, target: Target, entry: &Activity) -> bool {
        let in_project = entry.project_id.is_some_and(|p| self.projects.contains(&p));
        match target {
            Target::Project(_) => true,
            Target::Theme(_) => !in_project,
            Target::AllThemes => !in_project && !entry.theme_id.is_some_and(|t| self.themes.contains(&t)),
        }
    }
}

/// Subscriptions told in one message: under its key, up to the round's horizon.
struct Group<'a> {
    subscriptions: &'a [(Subscription, String)],
    key: &'a str,
    horizon: i64,
}

/// One message for these subscriptions of one subscriber, under `key`. When a message with that key went already
/// (a subscription switched to daily after today's digest), the news wait for the next one.
fn queue_group(
    conn: &mut DbConnection,
    (subscriber, followed): (&Subscriber, &Followed),
    &Group { subscriptions: group, key, horizon }: &Group,
    links: &Links,
    titles: &mut Titles,
) -> QueryResult<bool> {
    let mut sections = Vec::new();
    let mut event_ids = Vec::new();
    for (subscription, _) in group {
        let target = subscription.target();
        // A participant collectivity's people read what only the working space sees; an observer collectivity's,
        // what the project shares with its observers too; others what is public.
        let reader = match (target, subscriber.user_id) {
            (Target::Project(project), Some(user)) => {
                if !participant_collectivities_of(conn, project, user)?.is_empty() {
                    Reader::WorkingSpace
                } else if !observing_collectivities_of(conn, project, user)?.is_empty() {
                    Reader::Observer
                } else {
                    Reader::Public
                }
            }
            _ => Reader::Public,
        };
        let mut news = news_since(conn, target, subscription.last_activity_id, horizon, reader)?;
        news.retain(|entry| followed.tells(target, entry));
        if news.is_empty() {
            continue;
        }
        event_ids.extend(news.iter().filter_map(|a| a.event_id));
        sections.push(Section {
            title: titles.of(conn, target)?,
            url: format!("{}{}", links.base_url, target.path()),
            items: news.into_iter().map(|a| Item { kind: a.kind(), summary: a.summary, at: a.at }).collect(),
        });
    }
    let calendar = calendar_of(conn, &event_ids, links.base_url)?;
    let mail_links = DigestLinks {
        web_version: links.url(Signed::WebVersion(key)),
        preferences: links.url(Signed::Preferences(subscriber.id)),
        unsubscribe: links.url(Signed::Unsubscribe(subscriber.id)),
    };
    let (name, email) = recipient(conn, subscriber)?;
    let queued = match compose(&sections) {
        Some(told) => {
            let with_calendar = calendar.is_some();
            let mail = digest(&email, &DigestMail { name: &name, digest: &told, links: &mail_links, with_calendar });
            enqueue(
                conn,
                &NewOutboxMessage {
                    idempotency_key: key,
                    kind: "digest",
                    recipient: &mail.to,
                    subject: &mail.subject,
                    text_body: &mail.text,
                    html_body: &mail.html,
                    unsubscribe_url: Some(&mail_links.unsubscribe),
                    calendar: calendar.as_deref(),
                    forget_recipient: false,
                },
            )?
        }
        None => false,
    };
    let nothing_to_tell = sections.is_empty();
    for (subscription, period) in group {
        let told = if queued || nothing_to_tell { horizon } else { subscription.last_activity_id };
        advance(conn, subscription.id, told, period)?;
    }
    Ok(queued)
}

/// The iCalendar file of the events these entries announced (those still planned), or None.
pub(crate) fn calendar_of(conn: &mut DbConnection, event_ids: &[i64], base_url: &str) -> QueryResult<Option<String>> {
    if event_ids.is_empty() {
        return Ok(None);
    }
    let events = events_by_ids(conn, event_ids)?;
    if events.is_empty() {
        return Ok(None);
    }
    let located: Vec<(String, Option<String>, String)> = events
        .iter()
        .map(|e| {
            let url = format!("{base_url}/projets/{}/evenements/{}", e.project_id, e.id);
            (url, location(e.place.as_deref(), e.online_url.as_deref()), event_uid(e.id, base_url))
        })
        .collect();
    let calendar: Vec<CalendarEvent> = events
        .iter()
        .zip(&located)
        .map(|(e, (url, location, uid))| CalendarEvent {
            uid: uid.clone(),
            title: &e.title,
            description: &e.description,
            location: location.as_deref(),
            url,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            stamp: e.updated_at,
        })
        .collect();
    Ok(Some(ics(&calendar)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(project_id: Option<i64>, theme_id: Option<i64>) -> Activity {
        Activity {
            id: 1,
            at: NaiveDateTime::default(),
            actor_id: None,
            kind: "project_opened".into(),
            theme_id,
            collectivity_id: None,
            summary: String::new(),
            project_id,
            is_public: true,
            event_id: None,
        }
    }

    #[test]
    fn an_entry_is_told_by_the_most_precise_subscription() {
        let followed = Followed { projects: HashSet::from([7]), themes: HashSet::from([3]) };
        // A project opened on a theme: the project's section tells it, not the theme's nor the themes'.
        let opened = entry(Some(7), Some(3));
        assert!(followed.tells(Target::Project(7), &opened));
        assert!(!followed.tells(Target::Theme(3), &opened));
        assert!(!followed.tells(Target::AllThemes, &opened));
        // A theme followed: its section, not the themes'.
        assert!(followed.tells(Target::Theme(3), &entry(None, Some(3))));
        assert!(!followed.tells(Target::AllThemes, &entry(None, Some(3))));
        // A project not followed, on a theme not followed: the themes as a whole tell it.
        assert!(followed.tells(Target::AllThemes, &entry(Some(8), Some(4))));
    }
}
