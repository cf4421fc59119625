//! A project's steering committee: partner organisations and their members. A member's account, once linked by an
//! accepted invitation, reads the project's working space (`web::projects::access::Access::steering`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{steering_members, steering_partners};
use super::{insert_once, is_unique_violation, now, DbConnection};
use crate::domain::steering::{NewCommitteeMember, NewPartner, PartnerKind};

#[derive(Debug, Clone, Queryable)]
pub struct Partner {
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub kind: String,
    pub added_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl Partner {
    pub fn kind(&self) -> PartnerKind {
        PartnerKind::parse(&self.kind).unwrap_or(PartnerKind::Other)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct CommitteeMember {
    pub id: i64,
    pub project_id: i64,
    pub partner_id: i64,
    pub display_name: String,
    pub function: String,
    pub email: String,
    pub user_id: Option<i64>,
    pub added_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// The project's partners, by name, each with its members.
pub fn committee_of(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<(Partner, Vec<CommitteeMember>)>> {
    let partners: Vec<Partner> = steering_partners::table
        .filter(steering_partners::project_id.eq(project_id))
        .order(steering_partners::name.asc())
        .load(conn)?;
    let members: Vec<CommitteeMember> = steering_members::table
        .filter(steering_members::project_id.eq(project_id))
        .order((steering_members::display_name.asc(), steering_members::id.asc()))
        .load(conn)?;
    Ok(partners
        .into_iter()
        .map(|p| {
            let of = members.iter().filter(|m| m.partner_id == p.id).cloned().collect();
            (p, of)
        })
        .collect())
}

/// The committee's members, whatever their partner.
pub fn members_of_committee(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<CommitteeMember>> {
    steering_members::table
        .filter(steering_members::project_id.eq(project_id))
        .order(steering_members::id.asc())
        .load(conn)
}

/// Whether the person sits on the project's committee with their account.
pub fn sits_on_committee(conn: &mut DbConnection, project_id: i64, user_id: i64) -> QueryResult<bool> {
    let seats: i64 = steering_members::table
        .filter(steering_members::project_id.eq(project_id))
        .filter(steering_members::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(seats > 0)
}

/// Adds a partner; None when the project has one of that name already (a double click, or a colleague first).
pub fn add_partner(
    conn: &mut DbConnection,
    project_id: i64,
    partner: &NewPartner,
    user_id: i64,
) -> QueryResult<Option<i64>> {
    let inserted = insert_once(conn, |conn| {
        diesel::insert_into(steering_partners::table)
            .values((
                steering_partners::project_id.eq(project_id),
                steering_partners::name.eq(&partner.name),
                steering_partners::kind.eq(partner.kind.code()),
                steering_partners::added_by.eq(user_id),
                steering_partners::created_at.eq(now()),
            ))
            .execute(conn)
    })?;
    if !inserted {
        return Ok(None);
    }
    steering_partners::table
        .filter(steering_partners::project_id.eq(project_id))
        .filter(steering_partners::name.eq(&partner.name))
        .select(steering_partners::id)
        .first(conn)
        .map(Some)
}

pub fn find_partner(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<Option<Partner>> {
    steering_partners::table.find(id).filter(steering_partners::project_id.eq(project_id)).first(conn).optional()
}

/// Removes a partner and its members (their invitations go with them).
pub fn remove_partner(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<bool> {
    let removed =
        diesel::delete(steering_partners::table.find(id).filter(steering_partners::project_id.eq(project_id)))
            .execute(conn)?;
    Ok(removed == 1)
}

/// What adding a member did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    Added(i64),
    /// That address sits on the committee already: its seat, for a double click to land on.
    Already(i64),
}

pub fn add_member(
    conn: &mut DbConnection,
    partner: &Partner,
    member: &NewCommitteeMember,
    user_id: i64,
) -> QueryResult<Added> {
    let existing = |conn: &mut DbConnection| -> QueryResult<Option<i64>> {
        steering_members::table
            .filter(steering_members::project_id.eq(partner.project_id))
            .filter(steering_members::email.eq(member.email.as_str()))
            .select(steering_members::id)
            .first(conn)
            .optional()
    };
    if let Some(id) = existing(conn)? {
        return Ok(Added::Already(id));
    }
    let inserted = insert_once(conn, |conn| {
        diesel::insert_into(steering_members::table)
            .values((
                steering_members::project_id.eq(partner.project_id),
                steering_members::partner_id.eq(partner.id),
                steering_members::display_name.eq(&member.display_name),
                steering_members::function.eq(&member.function),
                steering_members::email.eq(member.email.as_str()),
                steering_members::added_by.eq(user_id),
                steering_members::created_at.eq(now()),
            ))
            .execute(conn)
    })?;
    let id = existing(conn)?.ok_or(diesel::result::Error::NotFound)?;
    Ok(if inserted { Added::Added(id) } else { Added::Already(id) })
}

pub fn find_member(conn: &mut DbConnection, id: i64) -> QueryResult<Option<CommitteeMember>> {
    steering_members::table.find(id).first(conn).optional()
}

pub fn remove_member(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<bool> {
    let removed = diesel::delete(steering_members::table.find(id).filter(steering_members::project_id.eq(project_id)))
        .execute(conn)?;
    Ok(removed == 1)
}

/// What linking an account to a seat did.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    Linked,
    /// The account sits on this committee already, under another seat.
    AlreadySeated,
    /// The seat was removed meanwhile.
    Gone,
}

/// Attaches an account to a seat on the committee (an accepted invitation).
pub fn link_account(conn: &mut DbConnection, member_id: i64, user_id: i64) -> QueryResult<LinkOutcome> {
    if find_member(conn, member_id)?.is_none() {
        return Ok(LinkOutcome::Gone);
    }
    let linked = conn.transaction(|conn| {
        diesel::update(steering_members::table.find(member_id))
            .set(steering_members::user_id.eq(Some(user_id)))
            .execute(conn)
    });
    match linked {
        Ok(_) => Ok(LinkOutcome::Linked),
        Err(e) if is_unique_violation(&e) => Ok(LinkOutcome::AlreadySeated),
        Err(e) => Err(e),
    }
}
