//! Failed logins, kept in the database so every instance sees the same counts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_failures;
use super::DbConnection;

pub fn record_failure(conn: &mut DbConnection, keys: &[&str], at: NaiveDateTime) -> QueryResult<()> {
    for key in keys {
        diesel::insert_into(login_failures::table)
            .values((login_failures::key.eq(*key), login_failures::failed_at.eq(at)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn count_failures_since(conn: &mut DbConnection, key: &str, since: NaiveDateTime) -> QueryResult<i64> {
    login_failures::table
        .filter(login_failures::key.eq(key))
        .filter(login_failures::failed_at.gt(since))
        .count()
        .get_result(conn)
}

pub fn clear_failures(conn: &mut DbConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::key.eq(key))).execute(conn)
}

pub fn purge_failures_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(cutoff))).execute(conn)
}
