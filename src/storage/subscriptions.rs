//! Subscribers and their subscriptions to projects' and themes' digests: the defaults for members of enrolled
//! collectivities, public subscriptions by e-mail waiting for their confirmation, a person's choices, and what a
//! digest reads and advances.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::Activity;
use super::schema::{activity_log, enrolments, memberships, projects, subscribers, subscriptions, themes, users};
use super::{insert_once, now, DbConnection, DbError};
use crate::domain::activity::ActivityKind;
use crate::domain::digest::Frequency;
use crate::domain::project::EnrolmentStatus;

#[derive(Debug, Clone, Queryable)]
pub struct Subscription {
    pub id: i64,
    pub project_id: Option<i64>,
    pub frequency: String,
    pub weekday: i32,
    pub last_activity_id: i64,
    pub last_period: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub subscriber_id: i64,
    pub theme_id: Option<i64>,
    pub confirmed_at: Option<NaiveDateTime>,
}

impl Subscription {
    pub fn frequency(&self) -> Frequency {
        Frequency::parse(&self.frequency).unwrap_or(Frequency::Weekly)
    }

    pub fn target(&self) -> Target {
        match (self.project_id, self.theme_id) {
            (Some(project), _) => Target::Project(project),
            (None, Some(theme)) => Target::Theme(theme),
            (None, None) => Target::AllThemes,
        }
    }
}

/// What a subscription follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Project(i64),
    Theme(i64),
    /// The themes as a whole: new ones open for positioning, merged, archived, selected into a project.
    AllThemes,
}

impl Target {
    /// The public page of what is followed.
    pub fn path(self) -> String {
        match self {
            Target::Project(id) => format!("/projets/{id}"),
            Target::Theme(id) => format!("/themes/{id}"),
            Target::AllThemes => "/themes".into(),
        }
    }

    fn columns(self) -> (Option<i64>, Option<i64>) {
        match self {
            Target::Project(id) => (Some(id), None),
            Target::Theme(id) => (None, Some(id)),
            Target::AllThemes => (None, None),
        }
    }
}

/// The title of the themes as a whole, in lists of subscriptions and digests.
pub const ALL_THEMES: &str = "Les thèmes : nouveaux thèmes et sélections";

/// What the themes as a whole tell: themes opening, merged, archived, selected — not each position taken.
const ALL_THEMES_KINDS: [ActivityKind; 5] = [
    ActivityKind::ThemeProposed,
    ActivityKind::ThemeOpened,
    ActivityKind::ThemeMerged,
    ActivityKind::ThemeArchived,
    ActivityKind::ProjectOpened,
];

#[derive(Debug, Clone, Queryable)]
pub struct Subscriber {
    pub id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub digests_prepared_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Who a subscriber is: an account, or an address without one.
#[derive(Clone, Copy)]
enum Identity<'a> {
    User(i64),
    Email(&'a str),
}

/// The subscriber this identity is, created on first need.
fn subscriber_of(conn: &mut DbConnection, who: Identity) -> QueryResult<i64> {
    let find = |conn: &mut DbConnection| {
        let query = subscribers::table.select(subscribers::id).into_boxed();
        match who {
            Identity::User(id) => query.filter(subscribers::user_id.eq(id)),
            Identity::Email(email) => query.filter(subscribers::email.eq(email.to_owned())),
        }
        .first::<i64>(conn)
        .optional()
    };
    if let Some(id) = find(conn)? {
        return Ok(id);
    }
    let (user_id, email) = match who {
        Identity::User(id) => (Some(id), None),
        Identity::Email(email) => (None, Some(email)),
    };
    insert_once(conn, |conn| {
        diesel::insert_into(subscribers::table)
            .values((subscribers::user_id.eq(user_id), subscribers::email.eq(email), subscribers::created_at.eq(now())))
            .execute(conn)
    })?;
    find(conn)?.ok_or(DbError::NotFound)
}

/// The subscriber a user is, created on first need.
pub fn subscriber_of_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<i64> {
    subscriber_of(conn, Identity::User(user_id))
}

fn latest_activity(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(activity_log::table.select(diesel::dsl::max(activity_log::id)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// Adds a weekly subscription unless the subscriber already has one to this target (whatever they chose stays).
/// It starts after the latest activity: nobody receives a project's whole history. True when added.
fn add_subscription(conn: &mut DbConnection, subscriber_id: i64, target: Target, confirmed: bool) -> QueryResult<bool> {
    let latest = latest_activity(conn)?;
    let at = now();
    let (project_id, theme_id) = target.columns();
    insert_once(conn, |conn| {
        diesel::insert_into(subscriptions::table)
            .values((
                subscriptions::subscriber_id.eq(subscriber_id),
                subscriptions::project_id.eq(project_id),
                subscriptions::theme_id.eq(theme_id),
                subscriptions::frequency.eq(Frequency::Weekly.code()),
                subscriptions::weekday.eq(1),
                subscriptions::last_activity_id.eq(latest),
                subscriptions::confirmed_at.eq(confirmed.then_some(at)),
                subscriptions::created_at.eq(at),
                subscriptions::updated_at.eq(at),
            ))
            .execute(conn)
    })
}

/// Subscribes a user (their address is known: no confirmation). True when added.
pub fn subscribe_user(conn: &mut DbConnection, user_id: i64, target: Target) -> QueryResult<bool> {
    let subscriber = subscriber_of_user(conn, user_id)?;
    add_subscription(conn, subscriber, target, true)
}

/// A user asks to follow: subscribed weekly, or a subscription they had turned off turned back on (weekly).
pub fn follow_with_account(conn: &mut DbConnection, user_id: i64, target: Target) -> QueryResult<()> {
    if !subscribe_user(conn, user_id, target)? {
        let subscriber = subscriber_of_user(conn, user_id)?;
        let ids: Vec<i64> = subscriptions_of_target(subscriber, target).select(subscriptions::id).load(conn)?;
        diesel::update(
            subscriptions::table
                .filter(subscriptions::id.eq_any(ids))
                .filter(subscriptions::frequency.eq(Frequency::Off.code())),
        )
        .set((subscriptions::frequency.eq(Frequency::Weekly.code()), subscriptions::updated_at.eq(now())))
        .execute(conn)?;
    }
    Ok(())
}

/// Subscribes every member of a collectivity that has just enrolled in a project. Call it in the enrolment's
/// transaction.
pub fn subscribe_collectivity_members(
    conn: &mut DbConnection,
    collectivity_id: i64,
    project_id: i64,
) -> QueryResult<()> {
    let members: Vec<i64> = memberships::table
        .filter(memberships::collectivity_id.eq(collectivity_id))
        .select(memberships::user_id)
        .load(conn)?;
    for user_id in members {
        subscribe_user(conn, user_id, Target::Project(project_id))?;
    }
    Ok(())
}

/// Subscribes a new member of a collectivity to the themes as a whole and to the projects it is enrolled in. Call
/// it in the membership's transaction.
pub fn subscribe_new_member(conn: &mut DbConnection, user_id: i64, collectivity_id: i64) -> QueryResult<()> {
    subscribe_user(conn, user_id, Target::AllThemes)?;
    let projects: Vec<i64> = enrolments::table
        .filter(enrolments::collectivity_id.eq(collectivity_id))
        .filter(enrolments::status.ne(EnrolmentStatus::Withdrawn.code()))
        .select(enrolments::project_id)
        .load(conn)?;
    for project_id in projects {
        subscribe_user(conn, user_id, Target::Project(project_id))?;
    }
    Ok(())
}

/// Marks everything recorded so far as told to every subscription (the demo's seeded history is nobody's news).
pub fn catch_up_all(conn: &mut DbConnection) -> QueryResult<()> {
    let latest = latest_activity(conn)?;
    diesel::update(subscriptions::table).set(subscriptions::last_activity_id.eq(latest)).execute(conn)?;
    Ok(())
}

/// Where a public subscription request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Waiting for its confirmation (new or asked before): the confirmation message goes to this subscription.
    Pending(i64),
    /// The address already follows it: nothing to send.
    AlreadyConfirmed,
}

/// Someone asks, with an e-mail address, to follow a public project or theme: a subscription waiting for the
/// confirmation the address will receive (double opt-in), on the account of that address if there is one.
pub fn request_subscription(conn: &mut DbConnection, email: &str, target: Target) -> QueryResult<Request> {
    // An address that is an account's joins that account's subscriptions (one digest for the person).
    let account: Option<i64> = users::table.filter(users::email.eq(email)).select(users::id).first(conn).optional()?;
    let subscriber = match account {
        Some(user_id) => subscriber_of(conn, Identity::User(user_id))?,
        None => subscriber_of(conn, Identity::Email(email))?,
    };
    add_subscription(conn, subscriber, target, false)?;
    let (id, confirmed): (i64, Option<NaiveDateTime>) = subscriptions_of_target(subscriber, target)
        .select((subscriptions::id, subscriptions::confirmed_at))
        .first(conn)?;
    Ok(if confirmed.is_some() { Request::AlreadyConfirmed } else { Request::Pending(id) })
}

fn subscriptions_of_target(
    subscriber_id: i64,
    target: Target,
) -> subscriptions::BoxedQuery<'static, super::MultiBackend> {
    let query = subscriptions::table.filter(subscriptions::subscriber_id.eq(subscriber_id)).into_boxed();
    match target {
        Target::Project(id) => query.filter(subscriptions::project_id.eq(id)),
        Target::Theme(id) => query.filter(subscriptions::theme_id.eq(id)),
        Target::AllThemes => {
            query.filter(subscriptions::project_id.is_null()).filter(subscriptions::theme_id.is_null())
        }
    }
}

/// Confirms a subscription waiting for it: from now on it sends, starting after the latest activity. False when
/// it was confirmed before (or no longer exists).
pub fn confirm(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let latest = latest_activity(conn)?;
    let at = now();
    let updated = diesel::update(subscriptions::table.find(id).filter(subscriptions::confirmed_at.is_null()))
        .set((
            subscriptions::confirmed_at.eq(Some(at)),
            subscriptions::last_activity_id.eq(latest),
            subscriptions::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Deletes the subscriptions never confirmed since `before`, then the addresses left without any subscription:
/// an address nobody confirmed is not kept.
pub fn purge_unconfirmed(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    let deleted = diesel::delete(
        subscriptions::table.filter(subscriptions::confirmed_at.is_null()).filter(subscriptions::created_at.lt(before)),
    )
    .execute(conn)?;
    diesel::delete(subscribers::table.filter(subscribers::email.is_not_null()).filter(diesel::dsl::not(
        diesel::dsl::exists(subscriptions::table.filter(subscriptions::subscriber_id.eq(subscribers::id))),
    )))
    .execute(conn)?;
    Ok(deleted)
}

pub fn find_subscriber(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Subscriber>> {
    subscribers::table.find(id).first(conn).optional()
}

pub fn find_subscription(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Subscription>> {
    subscriptions::table.find(id).first(conn).optional()
}

/// A subscriber's name (empty for an address without an account) and the address digests go to.
pub fn recipient(conn: &mut DbConnection, subscriber: &Subscriber) -> QueryResult<(String, String)> {
    match (subscriber.user_id, &subscriber.email) {
        (Some(user_id), _) => users::table.find(user_id).select((users::display_name, users::email)).first(conn),
        (None, email) => Ok((String::new(), email.clone().unwrap_or_default())),
    }
}

/// The title of what a subscription follows (subscriptions follow only what is public).
pub fn target_title(conn: &mut DbConnection, target: Target) -> QueryResult<String> {
    public_title(conn, target)?.ok_or(DbError::NotFound)
}

fn theme_title(title: &str) -> String {
    format!("Thème : {title}")
}

/// The title of what anyone may follow: a project, or a theme once published (a proposal waiting for the
/// agency is not public). None otherwise.
pub fn public_title(conn: &mut DbConnection, target: Target) -> QueryResult<Option<String>> {
    match target {
        Target::Project(id) => projects::table.find(id).select(projects::title).first(conn).optional(),
        Target::Theme(id) => Ok(themes::table
            .find(id)
            .filter(themes::status.ne(crate::domain::theme::ThemeStatus::Proposed.code()))
            .select(themes::title)
            .first::<String>(conn)
            .optional()?
            .map(|title| theme_title(&title))),
        Target::AllThemes => Ok(Some(ALL_THEMES.into())),
    }
}

/// Projects, then themes, then the themes as a whole: the order of the preferences page and of digests' sections.
#[allow(clippy::type_complexity)] // reason: diesel's expression types, spelled once here
fn display_order() -> (
    diesel::dsl::IsNull<subscriptions::project_id>,
    diesel::dsl::IsNull<subscriptions::theme_id>,
    diesel::dsl::Asc<subscriptions::id>,
) {
    (subscriptions::project_id.is_null(), subscriptions::theme_id.is_null(), subscriptions::id.asc())
}

/// A subscriber's confirmed subscriptions with the title of what each follows: projects, themes, then the themes
/// as a whole.
pub fn subscriptions_of_subscriber(
    conn: &mut DbConnection,
    subscriber_id: i64,
) -> QueryResult<Vec<(Subscription, String)>> {
    let rows: Vec<(Subscription, Option<String>, Option<String>)> = subscriptions::table
        .left_join(projects::table)
        .left_join(themes::table)
        .filter(subscriptions::subscriber_id.eq(subscriber_id))
        .filter(subscriptions::confirmed_at.is_not_null())
        .select((subscriptions::all_columns, projects::title.nullable(), themes::title.nullable()))
        .order(display_order())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(s, project, theme)| {
            let title = project.or_else(|| theme.map(|t| theme_title(&t))).unwrap_or_else(|| ALL_THEMES.into());
            (s, title)
        })
        .collect())
}

/// A user's subscriptions (none when they never had one).
pub fn subscriptions_of_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<(Subscription, String)>> {
    let subscriber: Option<i64> =
        subscribers::table.filter(subscribers::user_id.eq(user_id)).select(subscribers::id).first(conn).optional()?;
    match subscriber {
        Some(id) => subscriptions_of_subscriber(conn, id),
        None => Ok(Vec::new()),
    }
}

/// Changes how often one of a subscriber's subscriptions sends. False when it is not theirs.
pub fn set_frequency(
    conn: &mut DbConnection,
    id: i64,
    subscriber_id: i64,
    frequency: Frequency,
    weekday: i32,
) -> QueryResult<bool> {
    let updated = diesel::update(subscriptions::table.find(id).filter(subscriptions::subscriber_id.eq(subscriber_id)))
        .set((
            subscriptions::frequency.eq(frequency.code()),
            subscriptions::weekday.eq(weekday.clamp(1, 7)),
            subscriptions::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Stops every digest of a subscriber (the one-click unsubscribe). A user's subscriptions are kept, off, so that
/// their choice stays; an address without an account is forgotten altogether.
pub fn stop_all(conn: &mut DbConnection, subscriber: &Subscriber) -> QueryResult<()> {
    if subscriber.user_id.is_some() {
        diesel::update(subscriptions::table.filter(subscriptions::subscriber_id.eq(subscriber.id)))
            .set((subscriptions::frequency.eq(Frequency::Off.code()), subscriptions::updated_at.eq(now())))
            .execute(conn)?;
    } else {
        diesel::delete(subscribers::table.find(subscriber.id)).execute(conn)?;
    }
    Ok(())
}

/// The subscriptions that may send: confirmed, not off.
fn sending() -> subscriptions::BoxedQuery<'static, super::MultiBackend> {
    subscriptions::table
        .filter(subscriptions::frequency.ne(Frequency::Off.code()))
        .filter(subscriptions::confirmed_at.is_not_null())
        .into_boxed()
}

/// Every subscription that may send, by subscriber.
pub fn active_subscriptions(conn: &mut DbConnection) -> QueryResult<Vec<Subscription>> {
    sending().order((subscriptions::subscriber_id.asc(), subscriptions::id.asc())).load(conn)
}

/// Takes a subscriber for the rest of the transaction (a row lock on PostgreSQL, the write lock on SQLite) and
/// returns them with their subscriptions that may send, read afresh. None when they no longer exist.
pub fn lock_subscriber(
    conn: &mut DbConnection,
    id: i64,
    at: NaiveDateTime,
) -> QueryResult<Option<(Subscriber, Vec<Subscription>)>> {
    let locked =
        diesel::update(subscribers::table.find(id)).set(subscribers::digests_prepared_at.eq(Some(at))).execute(conn)?;
    if locked == 0 {
        return Ok(None);
    }
    let subscriber = subscribers::table.find(id).first(conn)?;
    let subscriptions = sending().filter(subscriptions::subscriber_id.eq(id)).order(display_order()).load(conn)?;
    Ok(Some((subscriber, subscriptions)))
}

/// The latest activity entry recorded before `before`: digests tell entries up to it, younger ones wait (their
/// transaction may not be visible yet).
pub fn activity_horizon(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<i64> {
    Ok(activity_log::table
        .filter(activity_log::at.lt(before))
        .select(diesel::dsl::max(activity_log::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// What of a project's activity a subscriber reads: what is public, what the project shares with its observers
/// too, or everything its working space sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Public,
    Observer,
    WorkingSpace,
}

/// What happened to a target after entry `after` up to entry `upto`, oldest first, as `reader` may read it (what
/// themes tell is public). The themes as a whole tell their openings, merges,
/// archivings and selections, and a proposal only once it is published.
pub fn news_since(
    conn: &mut DbConnection,
    target: Target,
    after: i64,
    upto: i64,
    reader: Reader,
) -> QueryResult<Vec<Activity>> {
    let mut query =
        activity_log::table.filter(activity_log::id.gt(after)).filter(activity_log::id.le(upto)).into_boxed();
    query = match target {
        Target::Project(id) => query.filter(activity_log::project_id.eq(id)),
        Target::Theme(id) => query.filter(activity_log::theme_id.eq(id)),
        Target::AllThemes => {
            let published = themes::table
                .filter(themes::status.ne(crate::domain::theme::ThemeStatus::Proposed.code()))
                .select(themes::id.nullable());
            query
                .filter(activity_log::kind.eq_any(ALL_THEMES_KINDS.map(ActivityKind::code)))
                .filter(activity_log::theme_id.eq_any(published))
        }
    };
    query = match (reader, target) {
        (Reader::WorkingSpace, Target::Project(_)) => query,
        (Reader::Observer, Target::Project(_)) => {
            let shared: Vec<&str> =
                ActivityKind::ALL.into_iter().filter(|k| k.for_observers()).map(ActivityKind::code).collect();
            query.filter(activity_log::is_public.eq(true).or(activity_log::kind.eq_any(shared)))
        }
        _ => query.filter(activity_log::is_public.eq(true)),
    };
    query.order(activity_log::id.asc()).load(conn)
}

/// Records that a subscription was considered for `period` and has told everything up to entry `told` (never
/// moving back).
pub fn advance(conn: &mut DbConnection, id: i64, told: i64, period: &str) -> QueryResult<()> {
    diesel::update(subscriptions::table.find(id).filter(subscriptions::last_activity_id.le(told)))
        .set((subscriptions::last_activity_id.eq(told), subscriptions::last_period.eq(period)))
        .execute(conn)?;
    Ok(())
}
