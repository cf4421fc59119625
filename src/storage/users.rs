//! Accounts: who they are, their password hash, the agency flag and the epoch that signs their sessions out.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::public_content_changed;
use super::schema::{subscribers, users};
use super::{now, DbConnection};

#[derive(Debug, Clone, Queryable)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_agency_admin: bool,
    pub session_epoch: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub is_agency_admin: bool,
    pub session_epoch: i32,
    pub created_at: NaiveDateTime,
}

impl<'a> NewUser<'a> {
    pub fn new(email: &'a str, display_name: &'a str, password_hash: &'a str) -> Self {
        NewUser { email, display_name, password_hash, is_agency_admin: false, session_epoch: 0, created_at: now() }
    }
}

/// Creates an account. Whatever its address followed by e-mail before becomes the account's (one person, one
/// digest). Call it inside `storage::write_transaction`.
pub fn insert_user(conn: &mut DbConnection, user: &NewUser) -> QueryResult<i64> {
    let id = diesel::insert_into(users::table).values(user).returning(users::id).get_result(conn)?;
    diesel::update(subscribers::table.filter(subscribers::email.eq(user.email)))
        .set((subscribers::user_id.eq(Some(id)), subscribers::email.eq(None::<String>)))
        .execute(conn)?;
    Ok(id)
}

pub fn find_user(conn: &mut DbConnection, id: i64) -> QueryResult<Option<User>> {
    users::table.find(id).first(conn).optional()
}

pub fn find_user_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table.filter(users::email.eq(email)).first(conn).optional()
}

pub fn list_users(conn: &mut DbConnection) -> QueryResult<Vec<User>> {
    users::table.order((users::display_name, users::id)).load(conn)
}

pub fn count_users(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

// Every change to an existing account raises the content version in its transaction: instances keep the person
// of a session in memory while that version holds (`web::context`), so the change counts from the next request on
// every instance. Call these inside `storage::write_transaction`.

pub fn set_agency_admin(conn: &mut DbConnection, id: i64, admin: bool) -> QueryResult<usize> {
    let changed = diesel::update(users::table.find(id)).set(users::is_agency_admin.eq(admin)).execute(conn)?;
    public_content_changed(conn)?;
    Ok(changed)
}

pub fn update_display_name(conn: &mut DbConnection, id: i64, name: &str) -> QueryResult<usize> {
    let changed = diesel::update(users::table.find(id)).set(users::display_name.eq(name)).execute(conn)?;
    public_content_changed(conn)?;
    Ok(changed)
}

/// Replaces the password hash and voids every session opened before (their epoch no longer matches).
/// Returns the new epoch.
pub fn update_password(conn: &mut DbConnection, id: i64, password_hash: &str) -> QueryResult<i32> {
    let epoch = diesel::update(users::table.find(id))
        .set((users::password_hash.eq(password_hash), users::session_epoch.eq(users::session_epoch + 1)))
        .returning(users::session_epoch)
        .get_result(conn)?;
    public_content_changed(conn)?;
    Ok(epoch)
}

/// The display names of the given people.
pub fn names_of(conn: &mut DbConnection, user_ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    users::table.filter(users::id.eq_any(user_ids)).select((users::id, users::display_name)).load(conn)
}

/// The agency's people, as (id, name), by name.
pub fn agency_admins(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    users::table
        .filter(users::is_agency_admin.eq(true))
        .order(users::display_name.asc())
        .select((users::id, users::display_name))
        .load(conn)
}
