//! Subscriptions to projects' digests: the defaults for members of enrolled collectivities, a person's choices,
//! and what a digest reads and advances.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::Activity;
use super::schema::{activity_log, enrolments, memberships, projects, subscriptions, users};
use super::{now, DbConnection};
use crate::domain::digest::Frequency;
use crate::domain::project::EnrolmentStatus;

#[derive(Debug, Clone, Queryable)]
pub struct Subscription {
    pub id: i64,
    pub user_id: i64,
    pub project_id: i64,
    pub frequency: String,
    pub weekday: i32,
    pub last_activity_id: i64,
    pub last_period: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Subscription {
    pub fn frequency(&self) -> Frequency {
        Frequency::parse(&self.frequency).unwrap_or(Frequency::Weekly)
    }
}

/// Subscribes, weekly, every member of a collectivity enrolled in a project (participant or observer, active or
/// waiting) who has no subscription to it yet — whatever they chose before stays. A new subscription starts after
/// the latest activity: nobody receives a project's whole history. Returns how many were added.
pub fn subscribe_members(conn: &mut DbConnection) -> QueryResult<usize> {
    let members: Vec<(i64, i64)> = enrolments::table
        .inner_join(memberships::table.on(memberships::collectivity_id.eq(enrolments::collectivity_id)))
        .filter(enrolments::status.ne(EnrolmentStatus::Withdrawn.code()))
        .select((memberships::user_id, enrolments::project_id))
        .distinct()
        .load(conn)?;
    let existing: std::collections::HashSet<(i64, i64)> = subscriptions::table
        .select((subscriptions::user_id, subscriptions::project_id))
        .load(conn)?
        .into_iter()
        .collect();
    let latest: i64 =
        activity_log::table.select(diesel::dsl::max(activity_log::id)).first::<Option<i64>>(conn)?.unwrap_or(0);
    let at = now();
    let mut added = 0;
    for (user_id, project_id) in members.into_iter().filter(|pair| !existing.contains(pair)) {
        // Another instance may subscribe the same person at the same moment: the unique pair settles it.
        let inserted = conn.transaction(|conn| {
            diesel::insert_into(subscriptions::table)
                .values((
                    subscriptions::user_id.eq(user_id),
                    subscriptions::project_id.eq(project_id),
                    subscriptions::frequency.eq(Frequency::Weekly.code()),
                    subscriptions::weekday.eq(1),
                    subscriptions::last_activity_id.eq(latest),
                    subscriptions::created_at.eq(at),
                    subscriptions::updated_at.eq(at),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_) => added += 1,
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(added)
}

/// The subscriptions that may send, with their subscriber's name and address and the project's title.
pub fn active_subscriptions(conn: &mut DbConnection) -> QueryResult<Vec<(Subscription, String, String, String)>> {
    subscriptions::table
        .inner_join(users::table)
        .inner_join(projects::table)
        .filter(subscriptions::frequency.ne(Frequency::Off.code()))
        .select((subscriptions::all_columns, users::display_name, users::email, projects::title))
        .order(subscriptions::id.asc())
        .load(conn)
}

/// A person's subscriptions, with the project's title.
pub fn subscriptions_of_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<(Subscription, String)>> {
    subscriptions::table
        .inner_join(projects::table)
        .filter(subscriptions::user_id.eq(user_id))
        .select((subscriptions::all_columns, projects::title))
        .order(projects::title.asc())
        .load(conn)
}

pub fn find_subscription(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Subscription>> {
    subscriptions::table.find(id).first(conn).optional()
}

/// Changes how often a subscription sends; `user_id` None is the signed unsubscribe link, which may only stop it.
pub fn set_frequency(
    conn: &mut DbConnection,
    id: i64,
    user_id: Option<i64>,
    frequency: Frequency,
    weekday: i32,
) -> QueryResult<bool> {
    let values = (
        subscriptions::frequency.eq(frequency.code()),
        subscriptions::weekday.eq(weekday.clamp(1, 7)),
        subscriptions::updated_at.eq(now()),
    );
    let updated = match user_id {
        Some(user_id) => diesel::update(subscriptions::table.find(id).filter(subscriptions::user_id.eq(user_id)))
            .set(values)
            .execute(conn)?,
        None => diesel::update(subscriptions::table.find(id)).set(values).execute(conn)?,
    };
    Ok(updated == 1)
}

/// What happened in a project after entry `after` and before `before` (entries still being committed are left
/// for the next digest), oldest first; `with_private` adds what only its working space sees.
pub fn news_since(
    conn: &mut DbConnection,
    project_id: i64,
    after: i64,
    before: NaiveDateTime,
    with_private: bool,
) -> QueryResult<Vec<Activity>> {
    let mut query = activity_log::table
        .filter(activity_log::project_id.eq(project_id))
        .filter(activity_log::id.gt(after))
        .filter(activity_log::at.lt(before))
        .into_boxed();
    if !with_private {
        query = query.filter(activity_log::is_public.eq(true));
    }
    query.order(activity_log::id.asc()).load(conn)
}

/// Records that a subscription was considered for `period` and has told everything up to entry `told` (never
/// moving back: another instance may have gone further).
pub fn advance(conn: &mut DbConnection, id: i64, told: i64, period: &str) -> QueryResult<()> {
    diesel::update(subscriptions::table.find(id).filter(subscriptions::last_activity_id.le(told)))
        .set((subscriptions::last_activity_id.eq(told), subscriptions::last_period.eq(period)))
        .execute(conn)?;
    Ok(())
}
