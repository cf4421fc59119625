//! Newsletters of a project: drafts written and changed by the agency or the provider, sent once (a conditional
//! UPDATE decides), and the people they go to.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::schema::{enrolments, memberships, newsletters, subscribers, subscriptions, users};
use super::{now, DbConnection};
use crate::domain::activity::ActivityKind;
use crate::domain::digest::Frequency;
use crate::domain::newsletter::{Audience, NewNewsletter};
use crate::domain::project::{EnrolmentRole, EnrolmentStatus, Standing};

#[derive(Debug, Clone, Queryable)]
pub struct Newsletter {
    pub id: i64,
    pub project_id: i64,
    pub title: String,
    pub edito: String,
    pub theory: String,
    pub practice: String,
    pub territories: String,
    pub in_progress: String,
    pub upcoming: String,
    pub inspiration: String,
    pub to_participants: bool,
    pub to_observers: bool,
    pub to_followers: bool,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub sent_by: Option<i64>,
    pub recipients: i32,
}

impl Newsletter {
    /// The newsletter as its form and its messages read it.
    pub fn content(&self) -> NewNewsletter {
        NewNewsletter {
            title: self.title.clone(),
            rubrics: [
                self.edito.clone(),
                self.theory.clone(),
                self.practice.clone(),
                self.territories.clone(),
                self.in_progress.clone(),
                self.upcoming.clone(),
                self.inspiration.clone(),
            ],
            audience: Audience {
                participants: self.to_participants,
                observers: self.to_observers,
                followers: self.to_followers,
            },
        }
    }
}

type Content<'a> = (
    diesel::dsl::Eq<newsletters::title, &'a str>,
    (
        diesel::dsl::Eq<newsletters::edito, &'a str>,
        diesel::dsl::Eq<newsletters::theory, &'a str>,
        diesel::dsl::Eq<newsletters::practice, &'a str>,
        diesel::dsl::Eq<newsletters::territories, &'a str>,
        diesel::dsl::Eq<newsletters::in_progress, &'a str>,
        diesel::dsl::Eq<newsletters::upcoming, &'a str>,
        diesel::dsl::Eq<newsletters::inspiration, &'a str>,
    ),
    diesel::dsl::Eq<newsletters::to_participants, bool>,
    diesel::dsl::Eq<newsletters::to_observers, bool>,
    diesel::dsl::Eq<newsletters::to_followers, bool>,
    diesel::dsl::Eq<newsletters::updated_at, NaiveDateTime>,
);

/// What creating and changing a draft both write.
fn content(letter: &NewNewsletter, at: NaiveDateTime) -> Content<'_> {
    let r = &letter.rubrics;
    (
        newsletters::title.eq(letter.title.as_str()),
        (
            newsletters::edito.eq(r[0].as_str()),
            newsletters::theory.eq(r[1].as_str()),
            newsletters::practice.eq(r[2].as_str()),
            newsletters::territories.eq(r[3].as_str()),
            newsletters::in_progress.eq(r[4].as_str()),
            newsletters::upcoming.eq(r[5].as_str()),
            newsletters::inspiration.eq(r[6].as_str()),
        ),
        newsletters::to_participants.eq(letter.audience.participants),
        newsletters::to_observers.eq(letter.audience.observers),
        newsletters::to_followers.eq(letter.audience.followers),
        newsletters::updated_at.eq(at),
    )
}

pub fn insert_draft(conn: &mut DbConnection, project_id: i64, letter: &NewNewsletter, author: i64) -> QueryResult<i64> {
    let at = now();
    diesel::insert_into(newsletters::table)
        .values((
            newsletters::project_id.eq(project_id),
            content(letter, at),
            newsletters::created_by.eq(author),
            newsletters::created_at.eq(at),
        ))
        .returning(newsletters::id)
        .get_result(conn)
}

/// Changes a draft; false when it was sent meanwhile (a sent newsletter is archived as it went).
pub fn update_draft(conn: &mut DbConnection, id: i64, letter: &NewNewsletter) -> QueryResult<bool> {
    let updated = diesel::update(newsletters::table.find(id).filter(newsletters::sent_at.is_null()))
        .set(content(letter, now()))
        .execute(conn)?;
    Ok(updated == 1)
}

pub fn find_newsletter(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<Option<Newsletter>> {
    newsletters::table.find(id).filter(newsletters::project_id.eq(project_id)).first(conn).optional()
}

/// A project's newsletters, the latest first: sent ones, and the drafts when `with_drafts`.
pub fn newsletters_of_project(
    conn: &mut DbConnection,
    project_id: i64,
    with_drafts: bool,
) -> QueryResult<Vec<Newsletter>> {
    let mut query = newsletters::table.filter(newsletters::project_id.eq(project_id)).into_boxed();
    if !with_drafts {
        query = query.filter(newsletters::sent_at.is_not_null());
    }
    query.order((newsletters::sent_at.is_null().desc(), newsletters::sent_at.desc(), newsletters::id.desc())).load(conn)
}

/// Someone a newsletter goes to: their subscriber (for the signed links), name (empty for an address without an
/// account) and address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub subscriber_id: i64,
    pub name: String,
    pub email: String,
}

/// A subscriber following the project, with their account's name and address if they have one.
#[derive(Queryable)]
struct Follower {
    subscriber_id: i64,
    user_id: Option<i64>,
    address: Option<String>,
    name: Option<String>,
    account_email: Option<String>,
}

/// The people a project's newsletter goes to: everyone following the project by e-mail (not off), sorted into
/// members of its active participant collectivities, of its active observer collectivities, and the others.
pub fn recipients(conn: &mut DbConnection, project_id: i64, audience: Audience) -> QueryResult<Vec<Recipient>> {
    let mut participants = HashSet::new();
    let mut observers = HashSet::new();
    let members: Vec<(i64, String, String, bool)> = enrolments::table
        .inner_join(memberships::table.on(memberships::collectivity_id.eq(enrolments::collectivity_id)))
        .filter(enrolments::project_id.eq(project_id))
        .select((memberships::user_id, enrolments::role, enrolments::status, enrolments::observes_while_waiting))
        .load(conn)?;
    for (user, role, status, observes_while_waiting) in members {
        let (Ok(role), Some(status)) = (EnrolmentRole::parse(&role), EnrolmentStatus::parse(&status)) else { continue };
        // An observer waiting for a seat goes on observing.
        match Standing::of(role, status, observes_while_waiting) {
            Standing::Participant => participants.insert(user),
            standing if standing.observes() => observers.insert(user),
            _ => false,
        };
    }
    let followers: Vec<Follower> = subscriptions::table
        .inner_join(subscribers::table.left_join(users::table))
        .filter(subscriptions::project_id.eq(project_id))
        .filter(subscriptions::confirmed_at.is_not_null())
        .filter(subscriptions::frequency.ne(Frequency::Off.code()))
        .select((
            subscribers::id,
            subscribers::user_id,
            subscribers::email,
            users::display_name.nullable(),
            users::email.nullable(),
        ))
        .order(subscribers::id.asc())
        .load(conn)?;
    Ok(followers
        .into_iter()
        .filter(|f| match f.user_id {
            Some(user) if participants.contains(&user) => audience.participants,
            Some(user) if observers.contains(&user) => audience.observers,
            _ => audience.followers,
        })
        .map(|f| Recipient {
            subscriber_id: f.subscriber_id,
            name: f.name.unwrap_or_default(),
            email: f.account_email.or(f.address).unwrap_or_default(),
        })
        .collect())
}

/// Marks a draft sent by `user_id` to `count` people, with its public activity entry; false when it was sent
/// already (by someone else at the same moment, say). Call it inside `storage::write_transaction`, with the
/// queueing of its messages.
pub fn mark_sent(
    conn: &mut DbConnection,
    letter: &Newsletter,
    user_id: i64,
    count: usize,
    project_title: &str,
) -> QueryResult<bool> {
    let updated = diesel::update(newsletters::table.find(letter.id).filter(newsletters::sent_at.is_null()))
        .set((
            newsletters::sent_at.eq(Some(now())),
            newsletters::sent_by.eq(Some(user_id)),
            newsletters::recipients.eq(i32::try_from(count).unwrap_or(i32::MAX)),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::NewsletterSent,
            theme_id: None,
            collectivity_id: None,
            project_id: Some(letter.project_id),
            is_public: true,
            summary: format!("La lettre « {} » du projet « {project_title} » est parue.", letter.title),
        },
    )?;
    Ok(true)
}
