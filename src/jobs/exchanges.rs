//! Telling people of new messages in the spaces they follow (the project's forum, their peer group), at the
//! frequency they chose: at once (one message per round with news, under `echanges:f<follower>:m<horizon>`), a
//! recap a day or a week at the digests' hour (under `echanges:f<follower>:<period>`). Each follower is locked and
//! read afresh, and enters their space again, in the transaction that queues their message: whatever the number of
//! instances, a message is told once, and a person who left a peer group hears nothing more of it. A peer group's
//! notice says only « nouveau message dans votre groupe de pairs », with a link.

use chrono::{NaiveDateTime, TimeDelta};

use super::digests::Links;
use crate::domain::digest::{due_period, Frequency};
use crate::mail::links::Signed;
use crate::mail::messages::{forum_news, peer_group_news};
use crate::mail::{queue_with, Extras};
use crate::storage::projects::find_project;
use crate::storage::threads::{
    active_followers, advance_follower, enter, lock_follower, message_horizon, news_of_space, Follower, Space,
};
use crate::storage::users::find_user;
use crate::storage::{write_transaction, DbConnection, QueryResult};

/// Messages younger than this wait for the next round: their transaction may not be visible to all yet.
const SETTLING: TimeDelta = TimeDelta::minutes(2);

/// The period a follower is due for at `now`, unless they were considered for it already or, told at once, have
/// nothing up to `horizon` left.
fn due(follower: &Follower, now: NaiveDateTime, horizon: i64, send_hour: u32) -> Option<String> {
    let period = due_period(follower.frequency(), follower.weekday as u32, now, send_hour)?;
    match follower.frequency() {
        Frequency::Immediate => (follower.last_message_id < horizon).then_some(period),
        _ => (follower.last_period != period).then_some(period),
    }
}

/// Queues every notice due at `now` (UTC), a transaction per follower; returns how many were queued.
pub fn queue_due_notices(conn: &mut DbConnection, now: NaiveDateTime, links: &Links) -> QueryResult<usize> {
    let horizon = message_horizon(conn, now - SETTLING)?;
    let candidates: Vec<i64> = active_followers(conn)?
        .iter()
        .filter(|f| due(f, now, horizon, links.send_hour).is_some())
        .map(|f| f.id)
        .collect();
    let mut queued = 0;
    for id in candidates {
        queued += usize::from(write_transaction(conn, |conn| queue_for_follower(conn, id, (now, horizon), links))?);
    }
    Ok(queued)
}

fn queue_for_follower(
    conn: &mut DbConnection,
    id: i64,
    (now, horizon): (NaiveDateTime, i64),
    links: &Links,
) -> QueryResult<bool> {
    let Some(follower) = lock_follower(conn, id)? else { return Ok(false) };
    let Some(period) = due(&follower, now, horizon, links.send_hour) else { return Ok(false) };
    let (Some(user), Some(project)) = (find_user(conn, follower.user_id)?, find_project(conn, follower.project_id)?)
    else {
        return Ok(false);
    };
    // Entered afresh: someone who left the group, or the project, is told nothing more of it.
    let Some(entered) = enter(conn, &project, follower.space(), &user)? else {
        advance_follower(conn, follower.id, horizon, &period)?;
        return Ok(false);
    };
    let news = news_of_space(conn, &entered, follower.last_message_id, horizon)?;
    let mut queued = false;
    if !news.is_empty() {
        let key = match follower.frequency() {
            Frequency::Immediate => format!("echanges:f{}:m{horizon}", follower.id),
            _ => format!("echanges:f{}:{period}", follower.id),
        };
        let stop = links.url(Signed::StopFollowing(follower.id));
        let email = match follower.space() {
            Space::PeerGroup(group) => {
                let page = format!("{}/projets/{}/pairs/{group}", links.base_url, project.id);
                peer_group_news(&user.email, &user.display_name, &page, &stop)
            }
            Space::Forum => {
                let threads: Vec<(String, String, i64)> = news
                    .iter()
                    .map(|(thread, title, count)| {
                        (title.clone(), format!("{}/projets/{}/fils/{thread}", links.base_url, project.id), *count)
                    })
                    .collect();
                forum_news(&user.email, &user.display_name, &project.title, &threads, &stop)
            }
        };
        queued = queue_with(conn, &key, "echanges", &email, Extras { unsubscribe: Some(&stop), ..Extras::default() })?;
    }
    advance_follower(conn, follower.id, horizon, &period)?;
    Ok(queued)
}
