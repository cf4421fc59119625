//! Mixed inquiry groups: the members of each participant territory's group, with their category, and the accounts
//! some of them are invited to create.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::schema::{collectivities, inquiry_members, projects, territories};
use super::{now, DbConnection, DbError};
use crate::domain::activity::ActivityKind;
use crate::domain::inquiry::{MemberCategory, NewMember};
use crate::domain::text::de;

#[derive(Debug, Clone, Queryable)]
pub struct InquiryMember {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub display_name: String,
    pub category: String,
    pub note: String,
    pub email: Option<String>,
    pub user_id: Option<i64>,
    pub added_by: i64,
    pub created_at: NaiveDateTime,
}

impl InquiryMember {
    pub fn category(&self) -> MemberCategory {
        MemberCategory::parse(&self.category).unwrap_or(MemberCategory::Autre)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum AddOutcome {
    Added(i64),
    /// Someone of the group already has this address: nothing was written.
    EmailTaken,
}

/// Adds a member to the group of (project, collectivity), with a participants-only activity entry (names of
/// inhabitants are not public). Call it inside `storage::write_transaction`; the unique (group, email) settles
/// a double submission.
pub fn add_member(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
    member: &NewMember,
    added_by: i64,
    territory_name: &str,
) -> QueryResult<AddOutcome> {
    let email = member.email.as_ref().map(|e| e.as_str().to_owned());
    // In a savepoint: on PostgreSQL a refused INSERT would otherwise abort the whole transaction.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(inquiry_members::table)
            .values((
                inquiry_members::project_id.eq(project_id),
                inquiry_members::collectivity_id.eq(collectivity_id),
                inquiry_members::display_name.eq(&member.display_name),
                inquiry_members::category.eq(member.category.code()),
                inquiry_members::note.eq(&member.note),
                inquiry_members::email.eq(email),
                inquiry_members::added_by.eq(added_by),
                inquiry_members::created_at.eq(now()),
            ))
            .returning(inquiry_members::id)
            .get_result::<i64>(conn)
    });
    let id = match inserted {
        Ok(id) => id,
        Err(DbError::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            return Ok(AddOutcome::EmailTaken)
        }
        Err(e) => return Err(e),
    };
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(added_by),
            kind: ActivityKind::InquiryMemberAdded,
            theme_id: None,
            collectivity_id: Some(collectivity_id),
            project_id: Some(project_id),
            is_public: false,
            summary: format!(
                "Le groupe d’enquête {} accueille une personne de plus ({}).",
                de(territory_name),
                member.category.label().to_lowercase()
            ),
        },
    )?;
    Ok(AddOutcome::Added(id))
}

/// Removes a member from their group, with their pending invitation (the database cascades it); false if there
/// was no such member in that group.
pub fn remove_member(conn: &mut DbConnection, project_id: i64, collectivity_id: i64, id: i64) -> QueryResult<bool> {
    let removed = diesel::delete(
        inquiry_members::table
            .filter(inquiry_members::id.eq(id))
            .filter(inquiry_members::project_id.eq(project_id))
            .filter(inquiry_members::collectivity_id.eq(collectivity_id)),
    )
    .execute(conn)?;
    Ok(removed == 1)
}

pub fn find_member(conn: &mut DbConnection, id: i64) -> QueryResult<Option<InquiryMember>> {
    inquiry_members::table.find(id).first(conn).optional()
}

/// The members of one group, by category then name.
pub fn members_of_group(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
) -> QueryResult<Vec<InquiryMember>> {
    let mut members: Vec<InquiryMember> = inquiry_members::table
        .filter(inquiry_members::project_id.eq(project_id))
        .filter(inquiry_members::collectivity_id.eq(collectivity_id))
        .load(conn)?;
    members.sort_by(|a, b| a.category().cmp(&b.category()).then(a.display_name.cmp(&b.display_name)));
    Ok(members)
}

/// The categories of every member of the project's groups, as (collectivity, category): one read for the project
/// page's indicators.
pub fn categories_of_project(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<(i64, MemberCategory)>> {
    let rows: Vec<(i64, String)> = inquiry_members::table
        .filter(inquiry_members::project_id.eq(project_id))
        .select((inquiry_members::collectivity_id, inquiry_members::category))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(collectivity, category)| {
            (collectivity, MemberCategory::parse(&category).unwrap_or(MemberCategory::Autre))
        })
        .collect())
}

/// Every group the person sits in with an account, as (project, collectivity, project title, territory name).
pub fn seats_of_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<(i64, i64, String, String)>> {
    inquiry_members::table
        .inner_join(projects::table)
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(inquiry_members::user_id.eq(user_id))
        .select((inquiry_members::project_id, inquiry_members::collectivity_id, projects::title, territories::name))
        .order((projects::title.asc(), territories::name.asc()))
        .load(conn)
}

/// The groups of the project the person sits in with an account, as collectivity ids.
pub fn groups_of_user(conn: &mut DbConnection, project_id: i64, user_id: i64) -> QueryResult<Vec<i64>> {
    inquiry_members::table
        .filter(inquiry_members::project_id.eq(project_id))
        .filter(inquiry_members::user_id.eq(user_id))
        .select(inquiry_members::collectivity_id)
        .load(conn)
}

#[derive(Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    Linked,
    /// The account sits in this group already, through another seat.
    AlreadyInGroup,
    /// The seat was removed meanwhile.
    Gone,
}

/// Attaches an account to a member's seat (an accepted invitation), and subscribes the account to the project's
/// news (its digests tell the restitution, among the rest). Call it inside `storage::write_transaction`.
pub fn link_account(conn: &mut DbConnection, member_id: i64, user_id: i64) -> QueryResult<LinkOutcome> {
    let linked = conn.transaction(|conn| {
        diesel::update(inquiry_members::table.find(member_id))
            .set(inquiry_members::user_id.eq(Some(user_id)))
            .execute(conn)
    });
    match linked {
        Ok(1) => {
            let project: i64 =
                inquiry_members::table.find(member_id).select(inquiry_members::project_id).first(conn)?;
            super::subscriptions::subscribe_user(conn, user_id, super::subscriptions::Target::Project(project))?;
            Ok(LinkOutcome::Linked)
        }
        Ok(_) => Ok(LinkOutcome::Gone),
        Err(DbError::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(LinkOutcome::AlreadyInGroup)
        }
        Err(e) => Err(e),
    }
}
