//! A project's national deliverable: its own texts (title, introduction, conclusion) and what it assembles — chosen
//! lessons, recommendations and territories' adopted plans, in order —, published once by the agency. Publishing
//! makes the lessons it holds public (each widening dated) and tells everyone who follows the project.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::capitalisation::{self, Widened};
use super::schema::{deliverable_items, deliverables};
use super::{lock_or_create, now, DbConnection};
use crate::domain::activity::ActivityKind;
use crate::domain::capitalisation::{Audience, DeliverableTexts};

#[derive(Debug, Clone, Queryable)]
pub struct Deliverable {
    pub project_id: i64,
    pub title: String,
    pub introduction: String,
    pub conclusion: String,
    pub revision: i32,
    pub published_at: Option<NaiveDateTime>,
    pub published_by: Option<i64>,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

impl Deliverable {
    pub fn texts(&self) -> DeliverableTexts {
        DeliverableTexts {
            title: self.title.clone(),
            introduction: self.introduction.clone(),
            conclusion: self.conclusion.clone(),
        }
    }
}

/// What a deliverable assembles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Lesson(i64),
    Recommendation(i64),
    /// A territory's adopted plan, by its collectivity.
    Plan(i64),
}

impl Item {
    fn columns(self) -> (&'static str, i64) {
        match self {
            Item::Lesson(id) => ("lesson", id),
            Item::Recommendation(id) => ("recommendation", id),
            Item::Plan(id) => ("plan", id),
        }
    }

    fn of(kind: &str, id: i64) -> Option<Item> {
        match kind {
            "lesson" => Some(Item::Lesson(id)),
            "recommendation" => Some(Item::Recommendation(id)),
            "plan" => Some(Item::Plan(id)),
            _ => None,
        }
    }
}

pub fn find_deliverable(conn: &mut DbConnection, project_id: i64) -> QueryResult<Option<Deliverable>> {
    deliverables::table.find(project_id).first(conn).optional()
}

/// What the deliverable assembles, in order.
pub fn items_of(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<Item>> {
    let rows: Vec<(String, i64)> = deliverable_items::table
        .filter(deliverable_items::project_id.eq(project_id))
        .order(deliverable_items::position.asc())
        .select((deliverable_items::kind, deliverable_items::item_id))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(kind, id)| Item::of(&kind, id)).collect())
}

#[derive(Debug)]
pub enum Saved {
    Saved,
    /// Someone saved meanwhile: their version, to show beside the person's own.
    Stale(Box<Deliverable>),
}

/// Saves the deliverable's texts and what it assembles, if nobody saved since `revision` was read (1 for a new
/// one). The items are checked by the caller against the project's own. Call it inside
/// `storage::write_transaction`.
pub fn save(
    conn: &mut DbConnection,
    project_id: i64,
    revision: i32,
    texts: &DeliverableTexts,
    items: &[Item],
    by: i64,
) -> QueryResult<Saved> {
    lock_or_create(
        conn,
        |conn| {
            diesel::update(deliverables::table.find(project_id))
                .set(deliverables::project_id.eq(project_id))
                .execute(conn)
        },
        |conn| {
            diesel::insert_into(deliverables::table)
                .values((
                    deliverables::project_id.eq(project_id),
                    deliverables::title.eq(&texts.title),
                    deliverables::updated_at.eq(now()),
                ))
                .execute(conn)
        },
    )?;
    let current: Deliverable = deliverables::table.find(project_id).first(conn)?;
    if current.revision != revision {
        return Ok(Saved::Stale(Box::new(current)));
    }
    diesel::update(deliverables::table.find(project_id))
        .set((
            deliverables::title.eq(&texts.title),
            deliverables::introduction.eq(&texts.introduction),
            deliverables::conclusion.eq(&texts.conclusion),
            deliverables::revision.eq(revision + 1),
            deliverables::updated_by.eq(Some(by)),
            deliverables::updated_at.eq(now()),
        ))
        .execute(conn)?;
    diesel::delete(deliverable_items::table.filter(deliverable_items::project_id.eq(project_id))).execute(conn)?;
    for (position, item) in items.iter().enumerate() {
        let (kind, id) = item.columns();
        diesel::insert_into(deliverable_items::table)
            .values((
                deliverable_items::project_id.eq(project_id),
                deliverable_items::kind.eq(kind),
                deliverable_items::item_id.eq(id),
                deliverable_items::position.eq(position as i32),
            ))
            .execute(conn)?;
    }
    if current.published_at.is_some() {
        // Its corrections show at once, and the lessons it now holds are public.
        widen_its_lessons(conn, project_id, items, by, &texts.title)?;
        super::activity::public_content_changed(conn)?;
    }
    Ok(Saved::Saved)
}

fn widen_its_lessons(
    conn: &mut DbConnection,
    project_id: i64,
    items: &[Item],
    by: i64,
    title: &str,
) -> QueryResult<()> {
    for item in items {
        if let Item::Lesson(id) = item {
            if let Some(lesson) = capitalisation::find_lesson(conn, project_id, *id)? {
                if lesson.audience() < Audience::Public {
                    let _: Widened = capitalisation::widen(conn, &lesson, Audience::Public, by, title)?;
                }
            }
        }
    }
    Ok(())
}

/// Publishes the deliverable, once: the lessons it holds become public (dated), and a public entry of the
/// project's activity tells every follower. False when it was published already. Call it inside
/// `storage::write_transaction`.
pub fn publish(conn: &mut DbConnection, deliverable: &Deliverable, by: i64, project_title: &str) -> QueryResult<bool> {
    let published =
        diesel::update(deliverables::table.find(deliverable.project_id).filter(deliverables::published_at.is_null()))
            .set((deliverables::published_at.eq(Some(now())), deliverables::published_by.eq(Some(by))))
            .execute(conn)?;
    if published == 0 {
        return Ok(false);
    }
    let items = items_of(conn, deliverable.project_id)?;
    widen_its_lessons(conn, deliverable.project_id, &items, by, project_title)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(by),
            kind: ActivityKind::DeliverablePublished,
            theme_id: None,
            collectivity_id: None,
            project_id: Some(deliverable.project_id),
            is_public: true,
            summary: format!("Le livrable national du projet est publié : « {} ».", deliverable.title),
        },
    )?;
    Ok(true)
}
