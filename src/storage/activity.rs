//! The activity log: what happened, by whom, when. Written in the same transaction as the change it records.
//! Project pages and, later, digests read it; entries about participants-only matters are not public.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{activity_log, content_version};
use super::{now, DbConnection};
use crate::domain::activity::ActivityKind;

#[derive(Debug, Clone, Queryable)]
pub struct Activity {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub kind: String,
    pub theme_id: Option<i64>,
    pub collectivity_id: Option<i64>,
    pub summary: String,
    pub project_id: Option<i64>,
    pub is_public: bool,
    /// The event the entry announces, for the digests' calendar attachments.
    pub event_id: Option<i64>,
}

impl Activity {
    /// Its kind; None for a code this version does not know (written by a newer one).
    pub fn kind(&self) -> Option<ActivityKind> {
        ActivityKind::parse(&self.kind)
    }
}

/// What an entry is about. `is_public` is honoured only for a kind that may be public.
pub struct NewActivity {
    pub actor_id: Option<i64>,
    pub kind: ActivityKind,
    pub theme_id: Option<i64>,
    pub collectivity_id: Option<i64>,
    pub project_id: Option<i64>,
    pub is_public: bool,
    pub summary: String,
}

/// Records what happened and raises the version of public content in the same transaction, so that no instance
/// serves a page rendered before this change once it is committed (see `web::cache::PageCache`).
pub fn record_activity(conn: &mut DbConnection, activity: NewActivity) -> QueryResult<()> {
    record(conn, activity, None)
}

/// Records an entry that announces an event (digests attach it as an iCalendar file).
pub fn record_event_activity(conn: &mut DbConnection, activity: NewActivity, event_id: i64) -> QueryResult<()> {
    record(conn, activity, Some(event_id))
}

/// Raises the content version without an activity entry, for a change that is no news: one that shows on a public
/// page (a question of a public questionnaire reworded), or to a person's account or memberships, which instances
/// keep in memory for their sessions (`web::context`). Call it in the transaction of the change.
pub fn public_content_changed(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(content_version::table)
        .set(content_version::version.eq(content_version::version + 1))
        .execute(conn)?;
    Ok(())
}

fn record(conn: &mut DbConnection, activity: NewActivity, event_id: Option<i64>) -> QueryResult<()> {
    debug_assert!(!activity.is_public || activity.kind.may_be_public(), "{:?} is never public", activity.kind);
    public_content_changed(conn)?;
    diesel::insert_into(activity_log::table)
        .values((
            activity_log::at.eq(now()),
            activity_log::actor_id.eq(activity.actor_id),
            activity_log::kind.eq(activity.kind.code()),
            activity_log::theme_id.eq(activity.theme_id),
            activity_log::collectivity_id.eq(activity.collectivity_id),
            activity_log::project_id.eq(activity.project_id),
            activity_log::is_public.eq(activity.is_public && activity.kind.may_be_public()),
            activity_log::summary.eq(activity.summary),
            activity_log::event_id.eq(event_id),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn activity_of_theme(conn: &mut DbConnection, theme_id: i64, limit: i64) -> QueryResult<Vec<Activity>> {
    activity_log::table
        .filter(activity_log::theme_id.eq(theme_id))
        .filter(activity_log::is_public.eq(true))
        .order((activity_log::at.desc(), activity_log::id.desc()))
        .limit(limit)
        .load(conn)
}

/// A project's activity, newest first; `with_private` adds what only its working space sees.
pub fn activity_of_project(
    conn: &mut DbConnection,
    project_id: i64,
    with_private: bool,
    limit: i64,
) -> QueryResult<Vec<Activity>> {
    let mut query = activity_log::table.filter(activity_log::project_id.eq(project_id)).into_boxed();
    if !with_private {
        query = query.filter(activity_log::is_public.eq(true));
    }
    query.order((activity_log::at.desc(), activity_log::id.desc())).limit(limit).load(conn)
}

/// The version of public content: it changes with every activity entry.
pub fn content_version(conn: &mut DbConnection) -> QueryResult<i64> {
    content_version::table.select(content_version::version).first(conn)
}
