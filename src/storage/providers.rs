//! Providers (the firms a project may be assigned to) and their members.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{provider_members, providers, users};
use super::users::User;
use super::{now, DbConnection};

#[derive(Debug, Clone, Queryable)]
pub struct Provider {
    pub id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_provider(conn: &mut DbConnection, name: &str) -> QueryResult<i64> {
    diesel::insert_into(providers::table)
        .values((providers::name.eq(name), providers::created_at.eq(now())))
        .returning(providers::id)
        .get_result(conn)
}

pub fn find_provider(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Provider>> {
    providers::table.find(id).first(conn).optional()
}

pub fn find_provider_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<Provider>> {
    providers::table.filter(providers::name.eq(name)).first(conn).optional()
}

pub fn list_providers(conn: &mut DbConnection) -> QueryResult<Vec<Provider>> {
    providers::table.order(providers::name).load(conn)
}

/// Adds a member; does nothing if they already are one.
pub fn add_provider_member(conn: &mut DbConnection, provider_id: i64, user_id: i64) -> QueryResult<()> {
    let existing: i64 = provider_members::table
        .filter(provider_members::provider_id.eq(provider_id))
        .filter(provider_members::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    if existing == 0 {
        diesel::insert_into(provider_members::table)
            .values((
                provider_members::provider_id.eq(provider_id),
                provider_members::user_id.eq(user_id),
                provider_members::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn providers_of_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<Provider>> {
    provider_members::table
        .inner_join(providers::table)
        .filter(provider_members::user_id.eq(user_id))
        .select((providers::id, providers::name, providers::created_at))
        .order(providers::name)
        .load(conn)
}

pub fn members_of_provider(conn: &mut DbConnection, provider_id: i64) -> QueryResult<Vec<User>> {
    provider_members::table
        .inner_join(users::table)
        .filter(provider_members::provider_id.eq(provider_id))
        .select(users::all_columns)
        .order(users::display_name)
        .load(conn)
}
