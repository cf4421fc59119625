//! The spaces of exchange of a project — its forum, between the participant territories, and one peer group per
//! category of actors — their threads and messages, and who is told of new messages, how often.
//!
//! Confidentiality holds by construction: every read and write of a space's threads takes an [`Entered`], which
//! only [`enter`] makes, from the reader's relations read here: the forum is the working space's and the
//! delegations'; a peer group is its members' (titular or substitute, with an account) and its designated
//! facilitators' only — not the agency's nor the provider's as such. Nothing of a thread reaches the activity log.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::projects::{self, Project};
use super::schema::{
    collectivities, peer_group_facilitators, peer_groups, providers, space_followers, territories, thread_messages,
    threads, users,
};
use super::users::User;
use super::{insert_once, is_unique_violation, now, DbConnection, DbError};
use crate::domain::community::{may_edit, NewThread, ThreadKind};
use crate::domain::digest::Frequency;

/// A space of exchange of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Space {
    Forum,
    PeerGroup(i64),
}

impl Space {
    fn of(peer_group_id: Option<i64>) -> Space {
        peer_group_id.map_or(Space::Forum, Space::PeerGroup)
    }

    fn column(self) -> Option<i64> {
        match self {
            Space::Forum => None,
            Space::PeerGroup(id) => Some(id),
        }
    }
}

/// A space a person was let into: the only way to read or write its threads.
#[derive(Debug, Clone)]
pub struct Entered {
    pub project_id: i64,
    pub space: Space,
    pub user_id: i64,
    /// The person may hide messages: the agency and the provider on the forum, the facilitators in a peer group.
    pub moderates: bool,
    /// What the person speaks for, shown beside what they write: their territory, the provider, the agency.
    pub affiliation: String,
}

/// Lets a person into a space of a project, or not (None).
pub fn enter(conn: &mut DbConnection, project: &Project, space: Space, user: &User) -> QueryResult<Option<Entered>> {
    let seat = super::delegations::seat_of_user(conn, project.id, user.id)?;
    let is_provider = projects::is_provider_of(conn, project, user.id)?;
    let participant_of = projects::participant_collectivities_of(conn, project.id, user.id)?;
    let (may_read, moderates) = match space {
        Space::Forum => {
            let leads = user.is_agency_admin || is_provider;
            (leads || !participant_of.is_empty() || seat.is_some(), leads)
        }
        Space::PeerGroup(group) => {
            let in_project = peer_groups::table
                .find(group)
                .filter(peer_groups::project_id.eq(project.id))
                .count()
                .get_result::<i64>(conn)?
                == 1;
            let facilitates = peer_group_facilitators::table
                .filter(peer_group_facilitators::peer_group_id.eq(group))
                .filter(peer_group_facilitators::user_id.eq(user.id))
                .count()
                .get_result::<i64>(conn)?
                == 1;
            let sits = seat.as_ref().is_some_and(|s| s.peer_group_id == group);
            (in_project && (sits || facilitates), in_project && facilitates)
        }
    };
    if !may_read {
        return Ok(None);
    }
    let territory_of = |conn: &mut DbConnection, collectivity: i64| -> QueryResult<String> {
        collectivities::table
            .inner_join(territories::table)
            .filter(collectivities::id.eq(collectivity))
            .select(territories::name)
            .first(conn)
    };
    let affiliation = match (&seat, participant_of.first(), is_provider, project.provider_id) {
        (Some(seat), _, _, _) => territory_of(conn, seat.collectivity_id)?,
        (None, Some(collectivity), _, _) => territory_of(conn, *collectivity)?,
        (None, None, true, Some(provider)) => {
            let name: String = providers::table.find(provider).select(providers::name).first(conn)?;
            format!("Prestataire {name}")
        }
        _ => "Agence nationale de la cohésion des territoires".to_owned(),
    };
    Ok(Some(Entered { project_id: project.id, space, user_id: user.id, moderates, affiliation }))
}

/// The spaces of a project a person may enter: the forum (or not) and the peer groups they sit in or facilitate.
pub fn spaces_of(conn: &mut DbConnection, project: &Project, user: &User) -> QueryResult<Vec<Space>> {
    let mut spaces = Vec::new();
    if enter(conn, project, Space::Forum, user)?.is_some() {
        spaces.push(Space::Forum);
    }
    let mut groups = super::delegations::facilitated_by(conn, project.id, user.id)?;
    if let Some(seat) = super::delegations::seat_of_user(conn, project.id, user.id)? {
        groups.push(seat.peer_group_id);
    }
    groups.sort_unstable();
    groups.dedup();
    spaces.extend(groups.into_iter().map(Space::PeerGroup));
    Ok(spaces)
}

#[derive(Debug, Clone, Queryable)]
pub struct Thread {
    pub id: i64,
    pub project_id: i64,
    pub peer_group_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub author_id: Option<i64>,
    pub affiliation: String,
    pub messages_count: i32,
    pub last_message_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

impl Thread {
    pub fn kind(&self) -> ThreadKind {
        ThreadKind::parse(&self.kind).unwrap_or(ThreadKind::Other)
    }

    pub fn space(&self) -> Space {
        Space::of(self.peer_group_id)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct Message {
    pub id: i64,
    pub thread_id: i64,
    pub author_id: Option<i64>,
    pub affiliation: String,
    pub body: String,
    pub submission: String,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    pub hidden_at: Option<NaiveDateTime>,
    pub hidden_by: Option<i64>,
    pub hidden_reason: Option<String>,
}

/// A message with its author's name (None once the account is gone).
pub type Signed = (Message, Option<String>);

fn in_space(entered: &Entered) -> threads::BoxedQuery<'static, super::MultiBackend> {
    let query = threads::table.filter(threads::project_id.eq(entered.project_id)).into_boxed();
    match entered.space {
        Space::Forum => query.filter(threads::peer_group_id.is_null()),
        Space::PeerGroup(id) => query.filter(threads::peer_group_id.eq(id)),
    }
}

/// The threads of a space, the most recently active first, with the author's name.
pub fn threads_of(conn: &mut DbConnection, entered: &Entered) -> QueryResult<Vec<(Thread, Option<String>)>> {
    in_space(entered)
        .left_join(users::table.on(threads::author_id.eq(users::id.nullable())))
        .order((threads::last_message_at.desc(), threads::id.desc()))
        .select((threads::all_columns, users::display_name.nullable()))
        .load(conn)
}

/// A thread of the entered space, or None (it belongs to another space, or to nobody).
pub fn thread_in(conn: &mut DbConnection, entered: &Entered, id: i64) -> QueryResult<Option<Thread>> {
    in_space(entered).filter(threads::id.eq(id)).first(conn).optional()
}

/// The space a thread belongs to, to try entering it. The thread itself is read through [`thread_in`].
pub fn space_of_thread(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<Option<Space>> {
    Ok(threads::table
        .find(id)
        .filter(threads::project_id.eq(project_id))
        .select(threads::peer_group_id)
        .first::<Option<i64>>(conn)
        .optional()?
        .map(Space::of))
}

/// The space a message belongs to, with its thread, to try entering it.
pub fn space_of_message(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<Option<(Space, i64)>> {
    Ok(thread_messages::table
        .inner_join(threads::table)
        .filter(thread_messages::id.eq(id))
        .filter(threads::project_id.eq(project_id))
        .select((threads::peer_group_id, threads::id))
        .first::<(Option<i64>, i64)>(conn)
        .optional()?
        .map(|(group, thread)| (Space::of(group), thread)))
}

/// The messages of a thread of the entered space, oldest first, with their author's name.
pub fn messages_of(conn: &mut DbConnection, entered: &Entered, thread: &Thread) -> QueryResult<Vec<Signed>> {
    if thread_in(conn, entered, thread.id)?.is_none() {
        return Ok(Vec::new());
    }
    thread_messages::table
        .left_join(users::table.on(thread_messages::author_id.eq(users::id.nullable())))
        .filter(thread_messages::thread_id.eq(thread.id))
        .order(thread_messages::id.asc())
        .select((thread_messages::all_columns, users::display_name.nullable()))
        .load(conn)
}

/// The messages of the entered space, joined to their thread.
fn messages_in_space(
    entered: &Entered,
) -> diesel::dsl::IntoBoxed<'static, diesel::dsl::InnerJoin<thread_messages::table, threads::table>, super::MultiBackend>
{
    let query = thread_messages::table
        .inner_join(threads::table)
        .filter(threads::project_id.eq(entered.project_id))
        .into_boxed();
    match entered.space {
        Space::Forum => query.filter(threads::peer_group_id.is_null()),
        Space::PeerGroup(id) => query.filter(threads::peer_group_id.eq(id)),
    }
}

/// A message of the entered space.
pub fn message_in(conn: &mut DbConnection, entered: &Entered, id: i64) -> QueryResult<Option<Message>> {
    messages_in_space(entered)
        .filter(thread_messages::id.eq(id))
        .select(thread_messages::all_columns)
        .first(conn)
        .optional()
}

/// The message a person already wrote with this form (a double click), as (thread, message).
fn written_with(conn: &mut DbConnection, user_id: i64, submission: &str) -> QueryResult<Option<(i64, i64)>> {
    thread_messages::table
        .filter(thread_messages::author_id.eq(user_id))
        .filter(thread_messages::submission.eq(submission))
        .select((thread_messages::thread_id, thread_messages::id))
        .first(conn)
        .optional()
}

fn insert_message(
    conn: &mut DbConnection,
    entered: &Entered,
    thread_id: i64,
    body: &str,
    submission: &str,
    at: NaiveDateTime,
) -> QueryResult<i64> {
    let id = diesel::insert_into(thread_messages::table)
        .values((
            thread_messages::thread_id.eq(thread_id),
            thread_messages::author_id.eq(Some(entered.user_id)),
            thread_messages::affiliation.eq(&entered.affiliation),
            thread_messages::body.eq(body),
            thread_messages::submission.eq(submission),
            thread_messages::created_at.eq(at),
        ))
        .returning(thread_messages::id)
        .get_result(conn)?;
    diesel::update(threads::table.find(thread_id))
        .set((threads::messages_count.eq(threads::messages_count + 1), threads::last_message_at.eq(at)))
        .execute(conn)?;
    Ok(id)
}

/// Opens a thread in the entered space with its first message; the same form sent twice opens it once. Returns
/// the thread. Call it inside `storage::write_transaction`.
pub fn start_thread(
    conn: &mut DbConnection,
    entered: &Entered,
    thread: &NewThread,
    submission: &str,
) -> QueryResult<i64> {
    if let Some((thread_id, _)) = written_with(conn, entered.user_id, submission)? {
        return Ok(thread_id);
    }
    let at = now();
    let opened = conn.transaction(|conn| {
        let id: i64 = diesel::insert_into(threads::table)
            .values((
                threads::project_id.eq(entered.project_id),
                threads::peer_group_id.eq(entered.space.column()),
                threads::kind.eq(thread.kind.code()),
                threads::title.eq(&thread.title),
                threads::author_id.eq(Some(entered.user_id)),
                threads::affiliation.eq(&entered.affiliation),
                threads::last_message_at.eq(at),
                threads::created_at.eq(at),
            ))
            .returning(threads::id)
            .get_result(conn)?;
        insert_message(conn, entered, id, &thread.body, submission, at)?;
        Ok(id)
    });
    match opened {
        Ok(id) => Ok(id),
        // The same form, sent at the same moment, won: its thread is the one.
        Err(e) if is_unique_violation(&e) => {
            written_with(conn, entered.user_id, submission)?.map(|(thread, _)| thread).ok_or(DbError::NotFound)
        }
        Err(e) => Err(e),
    }
}

/// Replies in a thread of the entered space; the same form sent twice replies once. Returns the message, or None
/// when the thread is not in the space. Call it inside `storage::write_transaction`.
pub fn reply(
    conn: &mut DbConnection,
    entered: &Entered,
    thread_id: i64,
    body: &str,
    submission: &str,
) -> QueryResult<Option<i64>> {
    if thread_in(conn, entered, thread_id)?.is_none() {
        return Ok(None);
    }
    if let Some((_, message)) = written_with(conn, entered.user_id, submission)? {
        return Ok(Some(message));
    }
    match conn.transaction(|conn| insert_message(conn, entered, thread_id, body, submission, now())) {
        Ok(id) => Ok(Some(id)),
        Err(e) if is_unique_violation(&e) => {
            Ok(written_with(conn, entered.user_id, submission)?.map(|(_, message)| message))
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Edit {
    Edited,
    /// The text is the one there already (a double click).
    Unchanged,
    /// The delay to change a message has passed.
    TooLate,
    /// Only its author changes a message; a hidden one stays as it is.
    NotYours,
}

/// The author changes a message of the entered space within the delay. Call it inside
/// `storage::write_transaction`.
pub fn edit_message(
    conn: &mut DbConnection,
    entered: &Entered,
    message: &Message,
    body: &str,
    at: NaiveDateTime,
) -> QueryResult<Edit> {
    if message.author_id != Some(entered.user_id) || message.hidden_at.is_some() {
        return Ok(Edit::NotYours);
    }
    if message.body == body {
        return Ok(Edit::Unchanged);
    }
    if !may_edit(message.created_at, at) {
        return Ok(Edit::TooLate);
    }
    diesel::update(thread_messages::table.find(message.id))
        .set((thread_messages::body.eq(body), thread_messages::edited_at.eq(Some(at))))
        .execute(conn)?;
    Ok(Edit::Edited)
}

/// A moderator of the entered space hides a message with a reason (kept, shown as hidden); false when it was hidden
/// already. Call it inside `storage::write_transaction`.
pub fn hide_message(conn: &mut DbConnection, entered: &Entered, message: &Message, reason: &str) -> QueryResult<bool> {
    if !entered.moderates {
        return Ok(false);
    }
    let hidden = diesel::update(thread_messages::table.find(message.id).filter(thread_messages::hidden_at.is_null()))
        .set((
            thread_messages::hidden_at.eq(Some(now())),
            thread_messages::hidden_by.eq(Some(entered.user_id)),
            thread_messages::hidden_reason.eq(Some(reason)),
        ))
        .execute(conn)?;
    Ok(hidden == 1)
}

#[derive(Debug, Clone, Queryable)]
pub struct Follower {
    pub id: i64,
    pub user_id: i64,
    pub project_id: i64,
    pub peer_group_id: Option<i64>,
    pub frequency: String,
    pub weekday: i32,
    pub last_message_id: i64,
    pub last_period: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Follower {
    pub fn frequency(&self) -> Frequency {
        Frequency::parse(&self.frequency).unwrap_or(Frequency::Off)
    }

    pub fn space(&self) -> Space {
        Space::of(self.peer_group_id)
    }
}

fn follower_query(
    user_id: i64,
    project_id: i64,
    space: Space,
) -> space_followers::BoxedQuery<'static, super::MultiBackend> {
    let query = space_followers::table
        .filter(space_followers::user_id.eq(user_id))
        .filter(space_followers::project_id.eq(project_id))
        .into_boxed();
    match space {
        Space::Forum => query.filter(space_followers::peer_group_id.is_null()),
        Space::PeerGroup(id) => query.filter(space_followers::peer_group_id.eq(id)),
    }
}

/// How a person follows a space, if they chose.
pub fn follower_of(
    conn: &mut DbConnection,
    user_id: i64,
    project_id: i64,
    space: Space,
) -> QueryResult<Option<Follower>> {
    follower_query(user_id, project_id, space).first(conn).optional()
}

/// The latest message id, where a new follower starts (they are not told what was written before).
fn latest_message(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(thread_messages::table.select(diesel::dsl::max(thread_messages::id)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// Follows a space at `frequency` unless the person chose already (one row per person and space, whatever the
/// double clicks).
pub fn follow_if_new(
    conn: &mut DbConnection,
    user_id: i64,
    project_id: i64,
    space: Space,
    frequency: Frequency,
) -> QueryResult<()> {
    if follower_of(conn, user_id, project_id, space)?.is_some() {
        return Ok(());
    }
    let (latest, at) = (latest_message(conn)?, now());
    insert_once(conn, |conn| {
        diesel::insert_into(space_followers::table)
            .values((
                space_followers::user_id.eq(user_id),
                space_followers::project_id.eq(project_id),
                space_followers::peer_group_id.eq(space.column()),
                space_followers::frequency.eq(frequency.code()),
                space_followers::last_message_id.eq(latest),
                space_followers::created_at.eq(at),
                space_followers::updated_at.eq(at),
            ))
            .execute(conn)
    })?;
    Ok(())
}

/// Sets how often a person is told of a space's new messages (`weekday` for a weekly digest, 1 = Monday).
pub fn set_following(
    conn: &mut DbConnection,
    entered: &Entered,
    frequency: Frequency,
    weekday: i32,
) -> QueryResult<()> {
    follow_if_new(conn, entered.user_id, entered.project_id, entered.space, frequency)?;
    let id: i64 =
        follower_query(entered.user_id, entered.project_id, entered.space).select(space_followers::id).first(conn)?;
    diesel::update(space_followers::table.find(id))
        .set((
            space_followers::frequency.eq(frequency.code()),
            space_followers::weekday.eq(weekday.clamp(1, 7)),
            space_followers::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stops what a person followed of a peer group (they left it).
pub fn unfollow_peer_group(conn: &mut DbConnection, user_id: i64, peer_group_id: i64) -> QueryResult<()> {
    diesel::delete(
        space_followers::table
            .filter(space_followers::user_id.eq(user_id))
            .filter(space_followers::peer_group_id.eq(peer_group_id)),
    )
    .execute(conn)?;
    Ok(())
}

/// Stops a follower's messages (the one-click link of a notice); false when there is no such follower.
pub fn stop_following(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    Ok(diesel::update(space_followers::table.find(id))
        .set((space_followers::frequency.eq(Frequency::Off.code()), space_followers::updated_at.eq(now())))
        .execute(conn)?
        == 1)
}

/// Every follower who may be told something, by id.
pub fn active_followers(conn: &mut DbConnection) -> QueryResult<Vec<Follower>> {
    space_followers::table
        .filter(space_followers::frequency.ne(Frequency::Off.code()))
        .order(space_followers::id.asc())
        .load(conn)
}

/// The latest message written before `before`: notices tell messages up to it, younger ones wait (their
/// transaction may not be visible yet).
pub fn message_horizon(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<i64> {
    Ok(thread_messages::table
        .filter(thread_messages::created_at.lt(before))
        .select(diesel::dsl::max(thread_messages::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Takes a follower for the rest of the transaction and reads them afresh; None once gone or off.
pub fn lock_follower(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Follower>> {
    let locked = diesel::update(space_followers::table.find(id))
        .set(space_followers::last_period.eq(space_followers::last_period))
        .execute(conn)?;
    if locked == 0 {
        return Ok(None);
    }
    let follower: Follower = space_followers::table.find(id).first(conn)?;
    Ok((follower.frequency() != Frequency::Off).then_some(follower))
}

/// What others wrote in the entered space after message `after` up to `upto`, not hidden, as (thread id, thread
/// title, how many), the most recent thread first.
pub fn news_of_space(
    conn: &mut DbConnection,
    entered: &Entered,
    after: i64,
    upto: i64,
) -> QueryResult<Vec<(i64, String, i64)>> {
    let rows: Vec<(i64, String, i64)> = messages_in_space(entered)
        .filter(thread_messages::id.gt(after))
        .filter(thread_messages::id.le(upto))
        .filter(thread_messages::hidden_at.is_null())
        .filter(thread_messages::author_id.ne(Some(entered.user_id)).or(thread_messages::author_id.is_null()))
        .order(thread_messages::id.desc())
        .select((threads::id, threads::title, thread_messages::id))
        .load(conn)?;
    let mut news: Vec<(i64, String, i64)> = Vec::new();
    for (thread, title, _) in rows {
        match news.iter_mut().find(|(id, _, _)| *id == thread) {
            Some(entry) => entry.2 += 1,
            None => news.push((thread, title, 1)),
        }
    }
    Ok(news)
}

/// Records that a follower was considered for `period` and told everything up to message `told`.
pub fn advance_follower(conn: &mut DbConnection, id: i64, told: i64, period: &str) -> QueryResult<()> {
    diesel::update(space_followers::table.find(id).filter(space_followers::last_message_id.le(told)))
        .set((space_followers::last_message_id.eq(told), space_followers::last_period.eq(period)))
        .execute(conn)?;
    Ok(())
}
