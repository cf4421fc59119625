//! Delegations and peer groups: the project's categories of actors (each one a peer group, with the people
//! designated to facilitate it and the conclusions it takes to the agora) and each participant territory's
//! delegation — a person per seat, titular or substitute, one referent.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::schema::{collectivities, delegation_members, peer_group_facilitators, peer_groups, territories, users};
use super::{insert_once, is_unique_violation, now, DbConnection, DbError};
use crate::domain::activity::ActivityKind;
use crate::domain::community::{Conclusions, NewCategory, NewDelegate, Seat, DEFAULT_CATEGORIES};
use crate::domain::digest::Frequency;

#[derive(Debug, Clone, Queryable)]
pub struct PeerGroup {
    pub id: i64,
    pub project_id: i64,
    pub label: String,
    pub member_label: String,
    pub position: i32,
    pub brings: String,
    pub needs: String,
    pub revision: i32,
    pub conclusions_updated_by: Option<i64>,
    pub conclusions_updated_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub published_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl PeerGroup {
    pub fn conclusions(&self) -> Conclusions {
        Conclusions { brings: self.brings.clone(), needs: self.needs.clone() }
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct Delegate {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub peer_group_id: i64,
    pub display_name: String,
    pub function: String,
    pub is_substitute: bool,
    pub is_referent: bool,
    pub email: Option<String>,
    pub user_id: Option<i64>,
    pub added_by: i64,
    pub created_at: NaiveDateTime,
}

impl Delegate {
    pub fn seat(&self) -> Seat {
        if self.is_substitute {
            Seat::Substitute
        } else {
            Seat::Titular
        }
    }
}

/// The default categories of a new project's delegations. Call it in the transaction that opens the project.
pub fn add_default_categories(conn: &mut DbConnection, project_id: i64) -> QueryResult<()> {
    let defaults: Vec<(String, String)> = DEFAULT_CATEGORIES.iter().map(|(l, m)| ((*l).into(), (*m).into())).collect();
    add_categories(conn, project_id, &defaults)
}

/// Writes the categories a project's programme gives it, in their order.
pub fn add_categories(conn: &mut DbConnection, project_id: i64, categories: &[(String, String)]) -> QueryResult<()> {
    for (position, (label, member_label)) in categories.iter().enumerate() {
        diesel::insert_into(peer_groups::table)
            .values((
                peer_groups::project_id.eq(project_id),
                peer_groups::label.eq(label),
                peer_groups::member_label.eq(member_label),
                peer_groups::position.eq(position as i32 + 1),
                peer_groups::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The project's categories, in their order.
pub fn peer_groups_of_project(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<PeerGroup>> {
    peer_groups::table
        .filter(peer_groups::project_id.eq(project_id))
        .order((peer_groups::position.asc(), peer_groups::id.asc()))
        .load(conn)
}

pub fn find_peer_group(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<Option<PeerGroup>> {
    peer_groups::table.find(id).filter(peer_groups::project_id.eq(project_id)).first(conn).optional()
}

/// Adds a category after the others; false when the project has one of that name already (a double click too).
pub fn add_category(conn: &mut DbConnection, project_id: i64, category: &NewCategory) -> QueryResult<bool> {
    let last: Option<i32> = peer_groups::table
        .filter(peer_groups::project_id.eq(project_id))
        .select(diesel::dsl::max(peer_groups::position))
        .first(conn)?;
    insert_once(conn, |conn| {
        diesel::insert_into(peer_groups::table)
            .values((
                peer_groups::project_id.eq(project_id),
                peer_groups::label.eq(&category.label),
                peer_groups::member_label.eq(&category.member_label),
                peer_groups::position.eq(last.unwrap_or(0) + 1),
                peer_groups::created_at.eq(now()),
            ))
            .execute(conn)
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum AddOutcome {
    Added(i64),
    /// Someone of the project's delegations already has this address: nothing was written.
    EmailTaken,
}

/// Adds a person to a territory's delegation; a new referent takes over from the previous one. Call it inside
/// `storage::write_transaction`.
pub fn add_delegate(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
    delegate: &NewDelegate,
    by: i64,
) -> QueryResult<AddOutcome> {
    if delegate.is_referent {
        clear_referent(conn, project_id, collectivity_id)?;
    }
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(delegation_members::table)
            .values((
                delegation_members::project_id.eq(project_id),
                delegation_members::collectivity_id.eq(collectivity_id),
                delegation_members::peer_group_id.eq(delegate.peer_group_id),
                delegation_members::display_name.eq(&delegate.display_name),
                delegation_members::function.eq(&delegate.function),
                delegation_members::is_substitute.eq(delegate.seat == Seat::Substitute),
                delegation_members::is_referent.eq(delegate.is_referent),
                delegation_members::email.eq(delegate.email.as_ref().map(|e| e.as_str())),
                delegation_members::added_by.eq(by),
                delegation_members::created_at.eq(now()),
            ))
            .returning(delegation_members::id)
            .get_result::<i64>(conn)
    });
    match inserted {
        Ok(id) => Ok(AddOutcome::Added(id)),
        Err(e) if is_unique_violation(&e) => Ok(AddOutcome::EmailTaken),
        Err(e) => Err(e),
    }
}

fn clear_referent(conn: &mut DbConnection, project_id: i64, collectivity_id: i64) -> QueryResult<usize> {
    diesel::update(
        delegation_members::table
            .filter(delegation_members::project_id.eq(project_id))
            .filter(delegation_members::collectivity_id.eq(collectivity_id))
            .filter(delegation_members::is_referent.eq(true)),
    )
    .set(delegation_members::is_referent.eq(false))
    .execute(conn)
}

/// Makes a titular of the delegation its referent, in place of the previous one; false if there is no such
/// titular (`DbError::NotFound`, which rolls the transaction back). Call it inside `storage::write_transaction`.
pub fn make_referent(conn: &mut DbConnection, project_id: i64, collectivity_id: i64, id: i64) -> QueryResult<()> {
    clear_referent(conn, project_id, collectivity_id)?;
    let set = diesel::update(
        delegation_members::table
            .find(id)
            .filter(delegation_members::project_id.eq(project_id))
            .filter(delegation_members::collectivity_id.eq(collectivity_id))
            .filter(delegation_members::is_substitute.eq(false)),
    )
    .set(delegation_members::is_referent.eq(true))
    .execute(conn)?;
    if set == 0 {
        // Nothing changes: the previous referent stays (the caller rolls the transaction back).
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Removes a person from a delegation, with their pending invitation and what they followed of its peer group;
/// false if there was no such person.
pub fn remove_delegate(conn: &mut DbConnection, project_id: i64, collectivity_id: i64, id: i64) -> QueryResult<bool> {
    let Some(delegate) = find_delegate(conn, id)? else { return Ok(false) };
    if delegate.project_id != project_id || delegate.collectivity_id != collectivity_id {
        return Ok(false);
    }
    diesel::delete(delegation_members::table.find(id)).execute(conn)?;
    if let Some(user_id) = delegate.user_id {
        super::threads::unfollow_peer_group(conn, user_id, delegate.peer_group_id)?;
    }
    Ok(true)
}

pub fn find_delegate(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Delegate>> {
    delegation_members::table.find(id).first(conn).optional()
}

/// A territory's delegation, by category, titulars first, then by name.
pub fn delegation_of(conn: &mut DbConnection, project_id: i64, collectivity_id: i64) -> QueryResult<Vec<Delegate>> {
    delegation_members::table
        .inner_join(peer_groups::table)
        .filter(delegation_members::project_id.eq(project_id))
        .filter(delegation_members::collectivity_id.eq(collectivity_id))
        .order((
            peer_groups::position.asc(),
            delegation_members::is_substitute.asc(),
            delegation_members::display_name.asc(),
        ))
        .select(delegation_members::all_columns)
        .load(conn)
}

/// Every seat of the project's delegations with its territory's name, for the overview.
pub fn delegates_of_project(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<(Delegate, String)>> {
    delegation_members::table
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(delegation_members::project_id.eq(project_id))
        .order((territories::name.asc(), delegation_members::display_name.asc()))
        .select((delegation_members::all_columns, territories::name))
        .load(conn)
}

/// The person's seat in one of the project's delegations, if they hold one with their account.
pub fn seat_of_user(conn: &mut DbConnection, project_id: i64, user_id: i64) -> QueryResult<Option<Delegate>> {
    delegation_members::table
        .filter(delegation_members::project_id.eq(project_id))
        .filter(delegation_members::user_id.eq(user_id))
        .first(conn)
        .optional()
}

#[derive(Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    Linked,
    /// The account sits in a delegation of this project already.
    AlreadySeated,
    /// The seat was removed meanwhile.
    Gone,
}

/// Attaches an account to a delegation seat (an accepted invitation); the person then follows the project's
/// forum and their peer group, a digest a day. Call it inside `storage::write_transaction`.
pub fn link_account(conn: &mut DbConnection, member_id: i64, user_id: i64) -> QueryResult<LinkOutcome> {
    let Some(delegate) = find_delegate(conn, member_id)? else { return Ok(LinkOutcome::Gone) };
    let linked = conn.transaction(|conn| {
        diesel::update(delegation_members::table.find(member_id))
            .set(delegation_members::user_id.eq(Some(user_id)))
            .execute(conn)
    });
    match linked {
        Ok(_) => {
            use super::threads::{follow_if_new, Space};
            follow_if_new(conn, user_id, delegate.project_id, Space::Forum, Frequency::Daily)?;
            follow_if_new(
                conn,
                user_id,
                delegate.project_id,
                Space::PeerGroup(delegate.peer_group_id),
                Frequency::Daily,
            )?;
            Ok(LinkOutcome::Linked)
        }
        Err(e) if is_unique_violation(&e) => Ok(LinkOutcome::AlreadySeated),
        Err(e) => Err(e),
    }
}

/// The people who facilitate a peer group, as (user, name).
pub fn facilitators_of(conn: &mut DbConnection, peer_group_id: i64) -> QueryResult<Vec<(i64, String)>> {
    peer_group_facilitators::table
        .inner_join(users::table.on(users::id.eq(peer_group_facilitators::user_id)))
        .filter(peer_group_facilitators::peer_group_id.eq(peer_group_id))
        .order(users::display_name.asc())
        .select((users::id, users::display_name))
        .load(conn)
}

/// The peer groups of the project a person facilitates.
pub fn facilitated_by(conn: &mut DbConnection, project_id: i64, user_id: i64) -> QueryResult<Vec<i64>> {
    peer_group_facilitators::table
        .inner_join(peer_groups::table)
        .filter(peer_groups::project_id.eq(project_id))
        .filter(peer_group_facilitators::user_id.eq(user_id))
        .select(peer_group_facilitators::peer_group_id)
        .load(conn)
}

/// Designates a facilitator of a peer group (who then follows it, a digest a day); false when they were already.
pub fn designate(conn: &mut DbConnection, group: &PeerGroup, user_id: i64, by: i64) -> QueryResult<bool> {
    let added = insert_once(conn, |conn| {
        diesel::insert_into(peer_group_facilitators::table)
            .values((
                peer_group_facilitators::peer_group_id.eq(group.id),
                peer_group_facilitators::user_id.eq(user_id),
                peer_group_facilitators::designated_by.eq(Some(by)),
                peer_group_facilitators::designated_at.eq(now()),
            ))
            .execute(conn)
    })?;
    if added {
        use super::threads::{follow_if_new, Space};
        follow_if_new(conn, user_id, group.project_id, Space::PeerGroup(group.id), Frequency::Daily)?;
    }
    Ok(added)
}

/// Withdraws a facilitator (and what they followed of the group, unless they sit in it); false if they were not.
pub fn withdraw_facilitator(conn: &mut DbConnection, group: &PeerGroup, user_id: i64) -> QueryResult<bool> {
    let removed = diesel::delete(
        peer_group_facilitators::table
            .filter(peer_group_facilitators::peer_group_id.eq(group.id))
            .filter(peer_group_facilitators::user_id.eq(user_id)),
    )
    .execute(conn)?;
    let sits: i64 = delegation_members::table
        .filter(delegation_members::peer_group_id.eq(group.id))
        .filter(delegation_members::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    if removed > 0 && sits == 0 {
        super::threads::unfollow_peer_group(conn, user_id, group.id)?;
    }
    Ok(removed > 0)
}

#[derive(Debug)]
pub enum Saved {
    Saved,
    /// The text saved is the one there already (a double click).
    Unchanged,
    /// Someone saved meanwhile: their version, to show beside the person's own.
    Stale(Box<PeerGroup>),
}

/// Saves a group's conclusions if nobody saved since `revision` was read. Call it inside
/// `storage::write_transaction`.
pub fn save_conclusions(
    conn: &mut DbConnection,
    group_id: i64,
    revision: i32,
    conclusions: &Conclusions,
    by: i64,
) -> QueryResult<Saved> {
    let current: PeerGroup = peer_groups::table.find(group_id).first(conn)?;
    if current.conclusions() == *conclusions {
        return Ok(Saved::Unchanged);
    }
    let saved = diesel::update(peer_groups::table.find(group_id).filter(peer_groups::revision.eq(revision)))
        .set((
            peer_groups::brings.eq(&conclusions.brings),
            peer_groups::needs.eq(&conclusions.needs),
            peer_groups::revision.eq(revision + 1),
            peer_groups::conclusions_updated_by.eq(Some(by)),
            peer_groups::conclusions_updated_at.eq(Some(now())),
        ))
        .execute(conn)?;
    if saved == 1 {
        Ok(Saved::Saved)
    } else {
        Ok(Saved::Stale(Box::new(current)))
    }
}

/// Publishes a group's conclusions to the whole project (the agora), once; a working-space entry of the activity
/// tells it. False when they were published already. Call it inside `storage::write_transaction`.
pub fn publish_conclusions(conn: &mut DbConnection, group: &PeerGroup, by: i64) -> QueryResult<bool> {
    let published = diesel::update(peer_groups::table.find(group.id).filter(peer_groups::published_at.is_null()))
        .set((peer_groups::published_at.eq(Some(now())), peer_groups::published_by.eq(Some(by))))
        .execute(conn)?;
    if published == 0 {
        return Ok(false);
    }
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(by),
            kind: ActivityKind::ConclusionsPublished,
            theme_id: None,
            collectivity_id: None,
            project_id: Some(group.project_id),
            is_public: false,
            summary: format!("Agora : le groupe de pairs « {} » partage ses conclusions.", group.label),
        },
    )?;
    Ok(true)
}

/// A delegation a person sits in, as their dashboard lists it.
#[derive(Debug, Clone, Queryable)]
pub struct DelegationSeat {
    pub project_id: i64,
    pub project: String,
    pub territory: String,
    pub peer_group_id: i64,
    pub peer_group: String,
}

/// Every delegation the person sits in with an account, for their dashboard.
pub fn seats_everywhere(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<DelegationSeat>> {
    use super::schema::projects;
    delegation_members::table
        .inner_join(projects::table.on(projects::id.eq(delegation_members::project_id)))
        .inner_join(collectivities::table.inner_join(territories::table))
        .inner_join(peer_groups::table)
        .filter(delegation_members::user_id.eq(user_id))
        .order(projects::title.asc())
        .select((projects::id, projects::title, territories::name, peer_groups::id, peer_groups::label))
        .load(conn)
}
