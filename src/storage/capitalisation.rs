//! Lessons drawn along a project, and the recommendations for national public action it makes. A lesson's audience
//! widens by decision, each widening dated (`lesson_audiences`); reading them goes through [`visible_lessons`], which
//! takes the narrowest audience the reader belongs to. A recommendation moves from proposed to transmitted to answered,
//! with its dates.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::schema::{lesson_audiences, lessons, recommendations, themes};
use super::{now, DbConnection};
use crate::domain::activity::ActivityKind;
use crate::domain::capitalisation::{Audience, LessonText, RecommendationStatus, RecommendationText, StatusChange};

#[derive(Debug, Clone, Queryable)]
pub struct Lesson {
    pub id: i64,
    pub project_id: i64,
    pub title: String,
    pub body: String,
    pub phase: String,
    pub theme_id: Option<i64>,
    pub audience: String,
    pub author_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Lesson {
    pub fn audience(&self) -> Audience {
        Audience::parse(&self.audience).unwrap_or(Audience::Participants)
    }

    pub fn phase(&self) -> Option<crate::domain::project::Phase> {
        crate::domain::project::Phase::parse(&self.phase)
    }
}

/// A lesson with its theme's title and the dates it reached each audience, oldest first.
pub struct LessonView {
    pub lesson: Lesson,
    pub theme: Option<String>,
    pub widenings: Vec<(Audience, NaiveDateTime)>,
}

/// The lessons of a project a reader may read, newest first: `reader` is the narrowest audience they belong to (the
/// participants read every lesson, observers those shared with observers or the public, anyone the public ones).
pub fn visible_lessons(conn: &mut DbConnection, project_id: i64, reader: Audience) -> QueryResult<Vec<LessonView>> {
    let codes: Vec<&str> = Audience::ALL.iter().filter(|a| **a >= reader).map(|a| a.code()).collect();
    let rows: Vec<(Lesson, Option<String>)> = lessons::table
        .left_join(themes::table.on(lessons::theme_id.eq(themes::id.nullable())))
        .filter(lessons::project_id.eq(project_id))
        .filter(lessons::audience.eq_any(codes))
        .order((lessons::created_at.desc(), lessons::id.desc()))
        .select((lessons::all_columns, themes::title.nullable()))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(l, _)| l.id).collect();
    let widenings: Vec<(i64, String, NaiveDateTime)> = lesson_audiences::table
        .filter(lesson_audiences::lesson_id.eq_any(&ids))
        .order(lesson_audiences::widened_at.asc())
        .select((lesson_audiences::lesson_id, lesson_audiences::audience, lesson_audiences::widened_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(lesson, theme)| {
            let widenings = widenings
                .iter()
                .filter(|(id, _, _)| *id == lesson.id)
                .filter_map(|(_, audience, at)| Audience::parse(audience).map(|a| (a, *at)))
                .collect();
            LessonView { lesson, theme, widenings }
        })
        .collect())
}

pub fn find_lesson(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<Option<Lesson>> {
    lessons::table.find(id).filter(lessons::project_id.eq(project_id)).first(conn).optional()
}

/// Writes a new lesson, shared with the participants. Call it inside `storage::write_transaction`.
pub fn insert_lesson(conn: &mut DbConnection, project_id: i64, text: &LessonText, by: i64) -> QueryResult<i64> {
    let at = now();
    let id = diesel::insert_into(lessons::table)
        .values((
            lessons::project_id.eq(project_id),
            lessons::title.eq(&text.title),
            lessons::body.eq(&text.body),
            lessons::phase.eq(text.phase.code()),
            lessons::theme_id.eq(text.theme_id),
            lessons::author_id.eq(Some(by)),
            lessons::created_at.eq(at),
            lessons::updated_at.eq(at),
        ))
        .returning(lessons::id)
        .get_result(conn)?;
    diesel::insert_into(lesson_audiences::table)
        .values((
            lesson_audiences::lesson_id.eq(id),
            lesson_audiences::audience.eq(Audience::Participants.code()),
            lesson_audiences::widened_at.eq(at),
            lesson_audiences::widened_by.eq(Some(by)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Corrects a lesson's text; a public lesson's correction shows at once. Call it inside
/// `storage::write_transaction`.
pub fn update_lesson(conn: &mut DbConnection, lesson: &Lesson, text: &LessonText) -> QueryResult<()> {
    diesel::update(lessons::table.find(lesson.id))
        .set((
            lessons::title.eq(&text.title),
            lessons::body.eq(&text.body),
            lessons::phase.eq(text.phase.code()),
            lessons::theme_id.eq(text.theme_id),
            lessons::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if lesson.audience() == Audience::Public {
        super::activity::public_content_changed(conn)?;
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum Widened {
    Now,
    /// It reached that audience already (a double click): nothing changes.
    Already,
}

/// Widens a lesson's audience, dated; observers and the public hear of it in their digests. Narrowing is refused by
/// the caller (`Audience::widens_to`). Call it inside `storage::write_transaction`.
pub fn widen(
    conn: &mut DbConnection,
    lesson: &Lesson,
    to: Audience,
    by: i64,
    project_title: &str,
) -> QueryResult<Widened> {
    let from: Vec<&str> = Audience::ALL.iter().filter(|a| **a < to).map(|a| a.code()).collect();
    let changed = diesel::update(lessons::table.find(lesson.id).filter(lessons::audience.eq_any(from)))
        .set((lessons::audience.eq(to.code()), lessons::updated_at.eq(now())))
        .execute(conn)?;
    if changed == 0 {
        return Ok(Widened::Already);
    }
    super::insert_once(conn, |conn| {
        diesel::insert_into(lesson_audiences::table)
            .values((
                lesson_audiences::lesson_id.eq(lesson.id),
                lesson_audiences::audience.eq(to.code()),
                lesson_audiences::widened_at.eq(now()),
                lesson_audiences::widened_by.eq(Some(by)),
            ))
            .execute(conn)
    })?;
    let (kind, summary) = match to {
        Audience::Public => (
            ActivityKind::LessonPublished,
            format!("Un enseignement du projet « {project_title} » est rendu public : « {} ».", lesson.title),
        ),
        _ => (
            ActivityKind::LessonShared,
            format!("Un enseignement est partagé avec les collectivités observatrices : « {} ».", lesson.title),
        ),
    };
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(by),
            kind,
            theme_id: lesson.theme_id,
            collectivity_id: None,
            project_id: Some(lesson.project_id),
            is_public: to == Audience::Public,
            summary,
        },
    )?;
    Ok(Widened::Now)
}

#[derive(Debug, Clone, Queryable)]
pub struct Recommendation {
    pub id: i64,
    pub project_id: i64,
    pub title: String,
    pub body: String,
    pub addressee: String,
    pub addressee_kind: String,
    pub status: String,
    pub transmitted_at: Option<NaiveDateTime>,
    pub answered_at: Option<NaiveDateTime>,
    pub answer: Option<String>,
    pub author_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Recommendation {
    pub fn status(&self) -> RecommendationStatus {
        RecommendationStatus::parse(&self.status).unwrap_or(RecommendationStatus::Proposed)
    }

    pub fn addressee_kind(&self) -> crate::domain::capitalisation::AddresseeKind {
        crate::domain::capitalisation::AddresseeKind::parse(&self.addressee_kind)
            .unwrap_or(crate::domain::capitalisation::AddresseeKind::Other)
    }
}

/// A project's recommendations, in the order they were made.
pub fn recommendations_of(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<Recommendation>> {
    recommendations::table
        .filter(recommendations::project_id.eq(project_id))
        .order((recommendations::created_at.asc(), recommendations::id.asc()))
        .load(conn)
}

pub fn find_recommendation(conn: &mut DbConnection, project_id: i64, id: i64) -> QueryResult<Option<Recommendation>> {
    recommendations::table.find(id).filter(recommendations::project_id.eq(project_id)).first(conn).optional()
}

pub fn insert_recommendation(
    conn: &mut DbConnection,
    project_id: i64,
    text: &RecommendationText,
    by: i64,
) -> QueryResult<i64> {
    let at = now();
    diesel::insert_into(recommendations::table)
        .values((
            recommendations::project_id.eq(project_id),
            recommendations::title.eq(&text.title),
            recommendations::body.eq(&text.body),
            recommendations::addressee.eq(&text.addressee),
            recommendations::addressee_kind.eq(text.addressee_kind.code()),
            recommendations::author_id.eq(Some(by)),
            recommendations::created_at.eq(at),
            recommendations::updated_at.eq(at),
        ))
        .returning(recommendations::id)
        .get_result(conn)
}

/// Moves a recommendation one step on, dated, if it still stands where the change starts from; false when it
/// moved meanwhile (a double click: the page shows where it stands). Call it inside `storage::write_transaction`.
pub fn change_status(
    conn: &mut DbConnection,
    recommendation: &Recommendation,
    change: &StatusChange,
    project_title: &str,
    by: i64,
) -> QueryResult<bool> {
    let at = now();
    let row = recommendations::table.find(recommendation.id);
    let changed = match change {
        StatusChange::Transmitted => {
            diesel::update(row.filter(recommendations::status.eq(RecommendationStatus::Proposed.code())))
                .set((
                    recommendations::status.eq(RecommendationStatus::Transmitted.code()),
                    recommendations::transmitted_at.eq(Some(at)),
                    recommendations::updated_at.eq(at),
                ))
                .execute(conn)?
        }
        StatusChange::Answered(answer) => {
            diesel::update(row.filter(recommendations::status.eq(RecommendationStatus::Transmitted.code())))
                .set((
                    recommendations::status.eq(RecommendationStatus::Answered.code()),
                    recommendations::answered_at.eq(Some(at)),
                    recommendations::answer.eq(Some(answer)),
                    recommendations::updated_at.eq(at),
                ))
                .execute(conn)?
        }
    };
    if changed == 0 {
        return Ok(false);
    }
    let summary = match change {
        StatusChange::Transmitted => format!(
            "Recommandation du projet « {project_title} » transmise à {} : « {} ».",
            recommendation.addressee, recommendation.title
        ),
        StatusChange::Answered(_) => format!(
            "{} a répondu à la recommandation « {} » du projet « {project_title} ».",
            recommendation.addressee, recommendation.title
        ),
    };
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(by),
            kind: ActivityKind::RecommendationChanged,
            theme_id: None,
            collectivity_id: None,
            project_id: Some(recommendation.project_id),
            is_public: false,
            summary,
        },
    )?;
    Ok(true)
}
