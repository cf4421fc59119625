//! The activity log: what happened, by whom, when. Written in the same transaction as the change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::activity_log;
use super::{now, DbConnection};

#[derive(Debug, Clone, Queryable)]
pub struct Activity {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub kind: String,
    pub theme_id: Option<i64>,
    pub collectivity_id: Option<i64>,
    pub summary: String,
}

/// What an entry is about; `kind` names the event ("theme_proposed", "position_taken"…).
pub struct NewActivity<'a> {
    pub actor_id: Option<i64>,
    pub kind: &'a str,
    pub theme_id: Option<i64>,
    pub collectivity_id: Option<i64>,
    pub summary: String,
}

pub fn record_activity(conn: &mut DbConnection, activity: NewActivity) -> QueryResult<()> {
    diesel::insert_into(activity_log::table)
        .values((
            activity_log::at.eq(now()),
            activity_log::actor_id.eq(activity.actor_id),
            activity_log::kind.eq(activity.kind),
            activity_log::theme_id.eq(activity.theme_id),
            activity_log::collectivity_id.eq(activity.collectivity_id),
            activity_log::summary.eq(activity.summary),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn activity_of_theme(conn: &mut DbConnection, theme_id: i64, limit: i64) -> QueryResult<Vec<Activity>> {
    activity_log::table
        .filter(activity_log::theme_id.eq(theme_id))
        .order((activity_log::at.desc(), activity_log::id.desc()))
        .limit(limit)
        .load(conn)
}
