//! Collectivities (the authority acting for one territory) and their members.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{collectivities, memberships, territories, users};
use super::territories::Territory;
use super::users::User;
use super::{now, DbConnection, DbError};
use crate::domain::account::Function;

#[derive(Debug, Clone, Queryable)]
pub struct Collectivity {
    pub id: i64,
    pub territory_id: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable)]
pub struct Membership {
    pub id: i64,
    pub user_id: i64,
    pub collectivity_id: i64,
    pub function: String,
    pub is_referent: bool,
    pub created_at: NaiveDateTime,
}

impl Membership {
    pub fn function(&self) -> Function {
        Function::parse(&self.function).unwrap_or(Function::Agent)
    }
}

pub fn find_collectivity(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Collectivity>> {
    collectivities::table.find(id).first(conn).optional()
}

pub fn find_collectivity_of_territory(conn: &mut DbConnection, territory_id: i64) -> QueryResult<Option<Collectivity>> {
    collectivities::table.filter(collectivities::territory_id.eq(territory_id)).first(conn).optional()
}

pub fn territory_of_collectivity(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Territory>> {
    collectivities::table
        .inner_join(territories::table)
        .filter(collectivities::id.eq(id))
        .select(territories::all_columns)
        .first(conn)
        .optional()
}

/// The collectivity of a territory, registering it on the platform if needed. Two concurrent calls yield the same
/// row: the unique constraint on `territory_id` decides, and the loser reads the winner's row.
pub fn register_collectivity(conn: &mut DbConnection, territory_id: i64) -> QueryResult<Collectivity> {
    if let Some(existing) = find_collectivity_of_territory(conn, territory_id)? {
        return Ok(existing);
    }
    let inserted = diesel::insert_into(collectivities::table)
        .values((collectivities::territory_id.eq(territory_id), collectivities::created_at.eq(now())))
        .execute(conn);
    match inserted {
        Ok(_) | Err(DbError::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            find_collectivity_of_territory(conn, territory_id)?.ok_or(DbError::NotFound)
        }
        Err(e) => Err(e),
    }
}

/// Collectivities registered on the platform with their territory and number of members, by name.
pub fn list_registered(conn: &mut DbConnection) -> QueryResult<Vec<(Collectivity, Territory, i64)>> {
    let registered: Vec<Collectivity> = collectivities::table.load(conn)?;
    with_territories_and_members(conn, registered)
}

/// The collectivities that joined last, with their territory and number of members, by name.
pub fn recently_registered(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<(Collectivity, Territory, i64)>> {
    let registered: Vec<Collectivity> = collectivities::table
        .order((collectivities::created_at.desc(), collectivities::id.desc()))
        .limit(limit)
        .load(conn)?;
    with_territories_and_members(conn, registered)
}

fn with_territories_and_members(
    conn: &mut DbConnection,
    registered: Vec<Collectivity>,
) -> QueryResult<Vec<(Collectivity, Territory, i64)>> {
    // Separate queries rather than a join: with statistics, SQLite may otherwise scan every territory to find the
    // few registered ones.
    let territory_ids: Vec<i64> = registered.iter().map(|c| c.territory_id).collect();
    let territories: Vec<Territory> =
        territories::table.filter(territories::id.eq_any(&territory_ids)).order(territories::name).load(conn)?;
    let ids: Vec<i64> = registered.iter().map(|c| c.id).collect();
    let counts: Vec<(i64, i64)> = memberships::table
        .filter(memberships::collectivity_id.eq_any(&ids))
        .group_by(memberships::collectivity_id)
        .select((memberships::collectivity_id, diesel::dsl::count_star()))
        .load(conn)?;
    let by_territory: std::collections::HashMap<i64, Collectivity> =
        registered.into_iter().map(|c| (c.territory_id, c)).collect();
    Ok(territories
        .into_iter()
        .filter_map(|t| {
            let c = by_territory.get(&t.id)?.clone();
            let members = counts.iter().find(|(id, _)| *id == c.id).map_or(0, |(_, n)| *n);
            Some((c, t, members))
        })
        .collect())
}

/// Which of these territories are registered as collectivities.
pub fn registered_territory_ids(conn: &mut DbConnection, territory_ids: &[i64]) -> QueryResult<Vec<i64>> {
    collectivities::table
        .filter(collectivities::territory_id.eq_any(territory_ids))
        .select(collectivities::territory_id)
        .load(conn)
}

pub fn count_collectivities(conn: &mut DbConnection) -> QueryResult<i64> {
    collectivities::table.count().get_result(conn)
}

pub fn find_membership(conn: &mut DbConnection, user_id: i64, collectivity_id: i64) -> QueryResult<Option<Membership>> {
    memberships::table
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::collectivity_id.eq(collectivity_id))
        .first(conn)
        .optional()
}

/// Makes `user_id` a member of the collectivity, or updates their function and referent flag. Raises the content
/// version, like every change to an account (see `storage::users`). Call it inside `storage::write_transaction`.
pub fn upsert_membership(
    conn: &mut DbConnection,
    user_id: i64,
    collectivity_id: i64,
    function: Function,
    is_referent: bool,
) -> QueryResult<()> {
    match find_membership(conn, user_id, collectivity_id)? {
        Some(existing) => {
            diesel::update(memberships::table.find(existing.id))
                .set((memberships::function.eq(function.code()), memberships::is_referent.eq(is_referent)))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(memberships::table)
                .values((
                    memberships::user_id.eq(user_id),
                    memberships::collectivity_id.eq(collectivity_id),
                    memberships::function.eq(function.code()),
                    memberships::is_referent.eq(is_referent),
                    memberships::created_at.eq(now()),
                ))
                .execute(conn)?;
            // A new member follows, by e-mail, the projects their collectivity is enrolled in.
            super::subscriptions::subscribe_new_member(conn, user_id, collectivity_id)?;
        }
    }
    super::activity::public_content_changed(conn)
}

/// The collectivities a person belongs to, with their territory.
pub fn memberships_of_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<(Membership, Territory)>> {
    memberships::table
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(memberships::user_id.eq(user_id))
        .select((memberships::all_columns, territories::all_columns))
        .order(territories::name)
        .load(conn)
}

pub fn members_of_collectivity(conn: &mut DbConnection, collectivity_id: i64) -> QueryResult<Vec<(Membership, User)>> {
    memberships::table
        .inner_join(users::table)
        .filter(memberships::collectivity_id.eq(collectivity_id))
        .select((memberships::all_columns, users::all_columns))
        .order((memberships::is_referent.desc(), users::display_name))
        .load(conn)
}
