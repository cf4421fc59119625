//! Reminders of the follow-up meetings of adopted plans (« le rendez-vous à six mois »): a month before, then a
//! week before, each referent of the territory and each member of the project's provider gets one message, queued
//! in the outbox under a key naming the meeting, its date, the delay and the person — so that every instance may
//! run this each minute and each reminder still goes once; a meeting moved to another date is reminded again.

use chrono::{NaiveDateTime, TimeDelta};

use crate::domain::project::EventKind;
use crate::domain::text::de;
use crate::mail::{self, messages};
use crate::storage::collectivities::members_of_collectivity;
use crate::storage::events::events_of_kind_starting;
use crate::storage::projects::find_project;
use crate::storage::providers::members_of_provider;
use crate::storage::territories::Territory;
use crate::storage::{collectivities, DbConnection, QueryResult};

/// The delays before a meeting at which it is reminded, in days, and their code in the key; the nearest that has
/// come is the one sent (a meeting planned five days ahead gets the week's reminder only).
const DELAYS: [(i64, &str); 2] = [(7, "j7"), (30, "j30")];

/// Queues the reminders due at `now` (UTC) for meetings to come; returns how many were queued.
pub fn queue_follow_up_reminders(conn: &mut DbConnection, now: NaiveDateTime, base_url: &str) -> QueryResult<usize> {
    let horizon = now + TimeDelta::days(DELAYS[DELAYS.len() - 1].0);
    let meetings = events_of_kind_starting(conn, EventKind::FollowUp, now, horizon)?;
    let mut queued = 0;
    for meeting in meetings {
        let Some((_, code)) = DELAYS.iter().find(|(days, _)| meeting.starts_at <= now + TimeDelta::days(*days)) else {
            continue;
        };
        let Some(collectivity_id) = meeting.collectivity_id else { continue };
        let Some(project) = find_project(conn, meeting.project_id)? else { continue };
        let territory: Option<Territory> = collectivities::territory_of_collectivity(conn, collectivity_id)?;
        let Some(territory) = territory else { continue };
        let mut people: Vec<(i64, String, String)> = members_of_collectivity(conn, collectivity_id)?
            .into_iter()
            .filter(|(m, _)| m.is_referent)
            .map(|(_, u)| (u.id, u.email, u.display_name))
            .collect();
        if let Some(provider) = project.provider_id {
            people.extend(members_of_provider(conn, provider)?.into_iter().map(|u| (u.id, u.email, u.display_name)));
        }
        people.sort();
        people.dedup_by_key(|p| p.0);
        let link = format!("{base_url}/projets/{}/plan/{collectivity_id}/suivi", project.id);
        let event_link = format!("{base_url}/projets/{}/evenements/{}", project.id, meeting.id);
        let at = meeting.starts_at.and_utc().timestamp();
        for (user_id, email, name) in people {
            let message = messages::follow_up_reminder(
                &email,
                &name,
                &format!("plan d’action {}", de(&territory.name)),
                &meeting,
                &link,
                &event_link,
            );
            let key = format!("follow-up:e{}:{at}:{code}:u{user_id}", meeting.id);
            if mail::queue(conn, &key, "follow_up_reminder", &message, None)? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}
