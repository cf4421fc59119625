//! Inspiration resources and the themes they are attached to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::schema::{inspiration_resource_themes, inspiration_resources, themes};
use super::{now, DbConnection};
use crate::domain::activity::ActivityKind;
use crate::domain::inspiration::{links_text, parse_links, Link, NewResource};
use crate::domain::theme::ThemeStatus;

#[derive(Debug, Clone, Queryable)]
pub struct Resource {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// One "address label" per line, as `domain::inspiration::links_text` writes them.
    pub links: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Resource {
    pub fn links(&self) -> Vec<Link> {
        // Stored text was validated on the way in.
        parse_links(&self.links).unwrap_or_default()
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved(i64),
    /// A chosen theme does not exist or is not public (a proposal, or gone): nothing was written.
    UnknownTheme,
}

/// Themes a resource may be attached to: the public ones (open, selected, archived), by title.
pub fn attachable_themes(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    themes::table
        .filter(themes::status.ne(ThemeStatus::Proposed.code()))
        .filter(themes::merged_into_id.is_null())
        .select((themes::id, themes::title))
        .order((themes::title.asc(), themes::id.asc()))
        .load(conn)
}

fn themes_are_attachable(conn: &mut DbConnection, theme_ids: &[i64]) -> QueryResult<bool> {
    let found: i64 = themes::table
        .filter(themes::id.eq_any(theme_ids))
        .filter(themes::status.ne(ThemeStatus::Proposed.code()))
        .filter(themes::merged_into_id.is_null())
        .count()
        .get_result(conn)?;
    Ok(found == theme_ids.len() as i64)
}

fn attach(conn: &mut DbConnection, resource_id: i64, theme_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(inspiration_resource_themes::table.filter(inspiration_resource_themes::resource_id.eq(resource_id)))
        .execute(conn)?;
    // One row at a time: diesel's MultiConnection has no batch insert on SQLite
    // (docs/product.md § Architecture decisions).
    for theme_id in theme_ids {
        diesel::insert_into(inspiration_resource_themes::table)
            .values((
                inspiration_resource_themes::resource_id.eq(resource_id),
                inspiration_resource_themes::theme_id.eq(theme_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Publishes a resource with one public activity entry per theme it feeds (theme pages and digests read them).
/// Call it inside `storage::write_transaction`.
pub fn insert_resource(conn: &mut DbConnection, resource: &NewResource, user_id: i64) -> QueryResult<SaveOutcome> {
    if !themes_are_attachable(conn, &resource.theme_ids)? {
        return Ok(SaveOutcome::UnknownTheme);
    }
    let at = now();
    let id: i64 = diesel::insert_into(inspiration_resources::table)
        .values((
            inspiration_resources::title.eq(&resource.title),
            inspiration_resources::summary.eq(&resource.summary),
            inspiration_resources::body.eq(&resource.body),
            inspiration_resources::links.eq(links_text(&resource.links)),
            inspiration_resources::created_by.eq(user_id),
            inspiration_resources::created_at.eq(at),
            inspiration_resources::updated_at.eq(at),
        ))
        .returning(inspiration_resources::id)
        .get_result(conn)?;
    attach(conn, id, &resource.theme_ids)?;
    for theme_id in &resource.theme_ids {
        record_activity(
            conn,
            NewActivity {
                actor_id: Some(user_id),
                kind: ActivityKind::InspirationPublished,
                theme_id: Some(*theme_id),
                collectivity_id: None,
                project_id: None,
                is_public: true,
                summary: format!("Nouvelle ressource d’inspiration : « {} ».", resource.title),
            },
        )?;
    }
    Ok(SaveOutcome::Saved(id))
}

/// Rewrites a resource and its themes. Call it inside `storage::write_transaction`; `None` if it does not exist.
pub fn update_resource(
    conn: &mut DbConnection,
    id: i64,
    resource: &NewResource,
    user_id: i64,
) -> QueryResult<Option<SaveOutcome>> {
    if !themes_are_attachable(conn, &resource.theme_ids)? {
        return Ok(Some(SaveOutcome::UnknownTheme));
    }
    let updated = diesel::update(inspiration_resources::table.find(id))
        .set((
            inspiration_resources::title.eq(&resource.title),
            inspiration_resources::summary.eq(&resource.summary),
            inspiration_resources::body.eq(&resource.body),
            inspiration_resources::links.eq(links_text(&resource.links)),
            inspiration_resources::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Ok(None);
    }
    attach(conn, id, &resource.theme_ids)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::InspirationUpdated,
            theme_id: None,
            collectivity_id: None,
            project_id: None,
            is_public: true,
            summary: format!("Ressource d’inspiration mise à jour : « {} ».", resource.title),
        },
    )?;
    Ok(Some(SaveOutcome::Saved(id)))
}

/// Deletes a resource (its theme links go with it); false if there was none. Call it inside
/// `storage::write_transaction`.
pub fn delete_resource(conn: &mut DbConnection, id: i64, user_id: i64) -> QueryResult<bool> {
    let Some(resource) = find_resource(conn, id)? else { return Ok(false) };
    diesel::delete(inspiration_resource_themes::table.filter(inspiration_resource_themes::resource_id.eq(id)))
        .execute(conn)?;
    diesel::delete(inspiration_resources::table.find(id)).execute(conn)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::InspirationDeleted,
            theme_id: None,
            collectivity_id: None,
            project_id: None,
            is_public: true,
            summary: format!("Ressource d’inspiration retirée : « {} ».", resource.title),
        },
    )?;
    Ok(true)
}

pub fn find_resource(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Resource>> {
    inspiration_resources::table.find(id).first(conn).optional()
}

/// The themes of the given resources, as (resource, theme, title), by title: one query for a whole list.
pub fn themes_of_resources(conn: &mut DbConnection, resource_ids: &[i64]) -> QueryResult<Vec<(i64, i64, String)>> {
    inspiration_resource_themes::table
        .inner_join(themes::table)
        .filter(inspiration_resource_themes::resource_id.eq_any(resource_ids))
        .select((inspiration_resource_themes::resource_id, themes::id, themes::title))
        .order((themes::title.asc(), themes::id.asc()))
        .load(conn)
}

/// Resources, the most recent first; only those of one theme when `theme_id` is given.
pub fn list_resources(conn: &mut DbConnection, theme_id: Option<i64>, limit: i64) -> QueryResult<Vec<Resource>> {
    let mut query = inspiration_resources::table.into_boxed();
    if let Some(theme_id) = theme_id {
        query = query.filter(
            inspiration_resources::id.eq_any(
                inspiration_resource_themes::table
                    .filter(inspiration_resource_themes::theme_id.eq(theme_id))
                    .select(inspiration_resource_themes::resource_id),
            ),
        );
    }
    query.order((inspiration_resources::created_at.desc(), inspiration_resources::id.desc())).limit(limit).load(conn)
}

/// A merged theme's resources follow it to the theme it was merged into (part of `themes::merge_theme`).
pub fn move_to_theme(conn: &mut DbConnection, source_id: i64, target_id: i64) -> QueryResult<()> {
    let on_target: Vec<i64> = inspiration_resource_themes::table
        .filter(inspiration_resource_themes::theme_id.eq(target_id))
        .select(inspiration_resource_themes::resource_id)
        .load(conn)?;
    diesel::delete(
        inspiration_resource_themes::table
            .filter(inspiration_resource_themes::theme_id.eq(source_id))
            .filter(inspiration_resource_themes::resource_id.eq_any(on_target)),
    )
    .execute(conn)?;
    diesel::update(inspiration_resource_themes::table.filter(inspiration_resource_themes::theme_id.eq(source_id)))
        .set(inspiration_resource_themes::theme_id.eq(target_id))
        .execute(conn)?;
    Ok(())
}
