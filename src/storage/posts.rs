//! News posted on a project by the agency or its provider ("remontées"), public or for participants only.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::schema::{posts, users};
use super::{now, DbConnection};
use crate::domain::activity::ActivityKind;
use crate::domain::project::NewPost;

#[derive(Debug, Clone, Queryable)]
pub struct Post {
    pub id: i64,
    pub project_id: i64,
    pub author_id: i64,
    pub title: String,
    pub body: String,
    pub is_public: bool,
    pub created_at: NaiveDateTime,
}

/// Publishes a post with its activity entry (public like the post). Call it inside `storage::write_transaction`.
pub fn insert_post(conn: &mut DbConnection, project_id: i64, post: &NewPost, author_id: i64) -> QueryResult<i64> {
    let id = diesel::insert_into(posts::table)
        .values((
            posts::project_id.eq(project_id),
            posts::author_id.eq(author_id),
            posts::title.eq(&post.title),
            posts::body.eq(&post.body),
            posts::is_public.eq(post.is_public),
            posts::created_at.eq(now()),
        ))
        .returning(posts::id)
        .get_result(conn)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(author_id),
            kind: ActivityKind::NewsPosted,
            theme_id: None,
            collectivity_id: None,
            project_id: Some(project_id),
            is_public: post.is_public,
            summary: format!("Nouvelle actualité : « {} ».", post.title),
        },
    )?;
    Ok(id)
}

/// A project's posts with their author's name, newest first; `with_private` adds the participants-only ones.
pub fn posts_of_project(
    conn: &mut DbConnection,
    project_id: i64,
    with_private: bool,
    limit: i64,
) -> QueryResult<Vec<(Post, String)>> {
    let mut query = posts::table
        .inner_join(users::table.on(users::id.eq(posts::author_id)))
        .filter(posts::project_id.eq(project_id))
        .select((posts::all_columns, users::display_name))
        .into_boxed();
    if !with_private {
        query = query.filter(posts::is_public.eq(true));
    }
    query.order((posts::created_at.desc(), posts::id.desc())).limit(limit).load(conn)
}

pub fn find_post(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<Option<(Post, String)>> {
    posts::table
        .inner_join(users::table.on(users::id.eq(posts::author_id)))
        .filter(posts::id.eq(id))
        .filter(posts::project_id.eq(project_id))
        .select((posts::all_columns, users::display_name))
        .first(conn)
        .optional()
}
