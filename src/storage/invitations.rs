//! Invitations to join a collectivity, sent by e-mail: only the digest of their token is stored, and accepting
//! one is a conditional `UPDATE`, so a link works once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::invitations;
use super::DbConnection;

#[derive(Debug, Clone, Queryable)]
pub struct Invitation {
    pub id: i64,
    pub token_hash: String,
    pub email: String,
    pub collectivity_id: Option<i64>,
    pub provider_id: Option<i64>,
    pub function: Option<String>,
    pub is_referent: bool,
    pub invited_by: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    /// A seat in an inquiry group: accepting links the account to it.
    pub inquiry_member_id: Option<i64>,
    /// A seat in a territory's working group (the creativity cycle).
    pub working_member_id: Option<i64>,
    /// A seat in a territory's delegation (the learning community).
    pub delegation_member_id: Option<i64>,
    /// A seat on the project's steering committee.
    pub steering_member_id: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub collectivity_id: Option<i64>,
    pub provider_id: Option<i64>,
    pub function: Option<&'a str>,
    pub is_referent: bool,
    pub invited_by: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub inquiry_member_id: Option<i64>,
    /// A seat in a territory's working group (the creativity cycle).
    pub working_member_id: Option<i64>,
    /// A seat in a territory's delegation (the learning community).
    pub delegation_member_id: Option<i64>,
    /// A seat on the project's steering committee.
    pub steering_member_id: Option<i64>,
}

pub fn insert_invitation(conn: &mut DbConnection, invitation: &NewInvitation) -> QueryResult<i64> {
    diesel::insert_into(invitations::table).values(invitation).returning(invitations::id).get_result(conn)
}

pub fn find_invitation_by_token_hash(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<Invitation>> {
    invitations::table.filter(invitations::token_hash.eq(token_hash)).first(conn).optional()
}

/// Marks an invitation accepted; false when it was already accepted or has expired (the UPDATE is the arbiter,
/// so a link clicked twice at once is used once).
pub fn accept_invitation(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(
        invitations::table.find(id).filter(invitations::accepted_at.is_null()).filter(invitations::expires_at.gt(now)),
    )
    .set(invitations::accepted_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The most recent pending invitations of a collectivity (at most `limit`) and how many are pending in all.
pub fn pending_invitations_of_collectivity(
    conn: &mut DbConnection,
    collectivity_id: i64,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<(Vec<Invitation>, i64)> {
    let pending = || {
        invitations::table
            .filter(invitations::collectivity_id.eq(collectivity_id))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::expires_at.gt(now))
    };
    let recent = pending().order(invitations::created_at.desc()).limit(limit).load(conn)?;
    let total = pending().count().get_result(conn)?;
    Ok((recent, total))
}

/// The most recent pending invitations of the platform (at most `limit`) and how many are pending in all.
pub fn pending_invitations(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<(Vec<Invitation>, i64)> {
    let pending =
        || invitations::table.filter(invitations::accepted_at.is_null()).filter(invitations::expires_at.gt(now));
    let recent = pending().order(invitations::created_at.desc()).limit(limit).load(conn)?;
    let total = pending().count().get_result(conn)?;
    Ok((recent, total))
}
