//! The creativity cycle of each participant territory: its frame and working group, workshops, ideas (their
//! evidence, clusters, merges and history), objectives and criteria, scores, dot ballots, and retained actions.
//! Every write runs inside `storage::write_transaction`; one member's votes are serialised by their ballot row,
//! and the dot cap is the ballot's `CHECK`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::diagnostic::Place;
use super::inquiry::{AddOutcome, LinkOutcome};
use super::schema::{
    actions, ballots, co_design_frames, criteria, dots, events, idea_clusters, idea_evidence, idea_history, idea_links,
    ideas, map_entries, map_sources, objectives, questionnaires, questions, scores, working_members, workshops,
};
use super::{now, DbConnection, DbError};
use crate::domain::activity::ActivityKind;
use crate::domain::codesign::{
    Candidate, Evidence, Frame, Method, NewCriterion, NewIdea, NewObjective, NewWorkingMember, Origin, ScoreRow, Step,
    WorkshopState,
};
use crate::domain::diagnostic::{EntryKind, Status};
use crate::domain::inquiry::MemberCategory;
use crate::domain::plan::{Lineage, LineageCriterion, LineageIdea};
use crate::domain::text::de;

fn is_unique_violation(error: &DbError) -> bool {
    matches!(error, DbError::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
}

/// A private entry of the project's activity about a territory's cycle.
fn record(
    conn: &mut DbConnection,
    place: Place,
    by: Option<i64>,
    kind: ActivityKind,
    summary: String,
) -> QueryResult<()> {
    record_activity(
        conn,
        NewActivity {
            actor_id: by,
            kind,
            theme_id: None,
            collectivity_id: Some(place.collectivity_id),
            project_id: Some(place.project_id),
            is_public: kind.may_be_public(),
            summary,
        },
    )
}

// ---------------------------------------------------------------------------------------------------------------
// The frame and the working group

#[derive(Debug, Clone, Queryable)]
pub struct FrameRow {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub method: String,
    pub method_note: String,
    pub families: String,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

impl FrameRow {
    pub fn method(&self) -> Method {
        Method::parse(&self.method).unwrap_or(Method::Thematic)
    }

    pub fn families(&self) -> Vec<String> {
        self.families.split_whitespace().map(str::to_owned).collect()
    }
}

pub fn find_frame(conn: &mut DbConnection, place: Place) -> QueryResult<Option<FrameRow>> {
    co_design_frames::table
        .filter(co_design_frames::project_id.eq(place.project_id))
        .filter(co_design_frames::collectivity_id.eq(place.collectivity_id))
        .first(conn)
        .optional()
}

/// Writes the territory's frame (its first one, or a change).
pub fn save_frame(conn: &mut DbConnection, place: Place, frame: &Frame, by: i64, territory: &str) -> QueryResult<()> {
    let families = frame.families.join(" ");
    let updated = diesel::update(
        co_design_frames::table
            .filter(co_design_frames::project_id.eq(place.project_id))
            .filter(co_design_frames::collectivity_id.eq(place.collectivity_id)),
    )
    .set((
        co_design_frames::method.eq(frame.method.code()),
        co_design_frames::method_note.eq(&frame.note),
        co_design_frames::families.eq(&families),
        co_design_frames::updated_by.eq(Some(by)),
        co_design_frames::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(co_design_frames::table)
            .values((
                co_design_frames::project_id.eq(place.project_id),
                co_design_frames::collectivity_id.eq(place.collectivity_id),
                co_design_frames::method.eq(frame.method.code()),
                co_design_frames::method_note.eq(&frame.note),
                co_design_frames::families.eq(&families),
                co_design_frames::updated_by.eq(Some(by)),
                co_design_frames::updated_at.eq(now()),
            ))
            .execute(conn)?;
    }
    let summary =
        format!("Le territoire {} choisit sa méthode : {}.", de(territory), frame.method.label().to_lowercase());
    record(conn, place, Some(by), ActivityKind::CoDesignUpdated, summary)
}

#[derive(Debug, Clone, Queryable)]
pub struct WorkingMember {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub display_name: String,
    pub category: String,
    pub family: String,
    pub note: String,
    pub email: Option<String>,
    pub user_id: Option<i64>,
    pub added_by: i64,
    pub created_at: NaiveDateTime,
}

impl WorkingMember {
    pub fn category(&self) -> MemberCategory {
        MemberCategory::parse(&self.category).unwrap_or(MemberCategory::Autre)
    }
}

/// Adds a member to the territory's working group; the unique (group, email) settles a double submission.
pub fn add_working_member(
    conn: &mut DbConnection,
    place: Place,
    new: &NewWorkingMember,
    by: i64,
    territory: &str,
) -> QueryResult<AddOutcome> {
    let member = &new.member;
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(working_members::table)
            .values((
                working_members::project_id.eq(place.project_id),
                working_members::collectivity_id.eq(place.collectivity_id),
                working_members::display_name.eq(&member.display_name),
                working_members::category.eq(member.category.code()),
                working_members::family.eq(&new.family),
                working_members::note.eq(&member.note),
                working_members::email.eq(member.email.as_ref().map(|e| e.as_str())),
                working_members::added_by.eq(by),
                working_members::created_at.eq(now()),
            ))
            .returning(working_members::id)
            .get_result::<i64>(conn)
    });
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Ok(AddOutcome::EmailTaken),
        Err(e) => return Err(e),
    };
    let summary = format!(
        "Le groupe de travail {} accueille une personne de plus ({}).",
        de(territory),
        member.category.label().to_lowercase()
    );
    record(conn, place, Some(by), ActivityKind::CoDesignUpdated, summary)?;
    Ok(AddOutcome::Added(id))
}

/// Removes a member; their ideas stay (with their category), their scores and dots go.
pub fn remove_working_member(conn: &mut DbConnection, place: Place, id: i64) -> QueryResult<bool> {
    let removed = diesel::delete(
        working_members::table
            .filter(working_members::id.eq(id))
            .filter(working_members::project_id.eq(place.project_id))
            .filter(working_members::collectivity_id.eq(place.collectivity_id)),
    )
    .execute(conn)?;
    Ok(removed == 1)
}

pub fn find_working_member(conn: &mut DbConnection, id: i64) -> QueryResult<Option<WorkingMember>> {
    working_members::table.find(id).first(conn).optional()
}

/// The working group of a territory, by category then name.
pub fn working_group(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<WorkingMember>> {
    let mut members: Vec<WorkingMember> = working_members::table
        .filter(working_members::project_id.eq(place.project_id))
        .filter(working_members::collectivity_id.eq(place.collectivity_id))
        .load(conn)?;
    members.sort_by(|a, b| a.category().cmp(&b.category()).then(a.display_name.cmp(&b.display_name)));
    Ok(members)
}

/// The seats the person holds with an account in the project's working groups, as (collectivity, member id).
pub fn working_seats(conn: &mut DbConnection, project_id: i64, user_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    working_members::table
        .filter(working_members::project_id.eq(project_id))
        .filter(working_members::user_id.eq(user_id))
        .select((working_members::collectivity_id, working_members::id))
        .load(conn)
}

/// Attaches an account to a member's seat (an accepted invitation), and subscribes it to the project's news, as
/// `inquiry::link_account` does.
pub fn link_working_account(conn: &mut DbConnection, member_id: i64, user_id: i64) -> QueryResult<LinkOutcome> {
    let linked = conn.transaction(|conn| {
        diesel::update(working_members::table.find(member_id))
            .set(working_members::user_id.eq(Some(user_id)))
            .execute(conn)
    });
    match linked {
        Ok(1) => {
            let project: i64 =
                working_members::table.find(member_id).select(working_members::project_id).first(conn)?;
            super::subscriptions::subscribe_user(conn, user_id, super::subscriptions::Target::Project(project))?;
            Ok(LinkOutcome::Linked)
        }
        Ok(_) => Ok(LinkOutcome::Gone),
        Err(e) if is_unique_violation(&e) => Ok(LinkOutcome::AlreadyInGroup),
        Err(e) => Err(e),
    }
}

/// The families of the actors the territory's diagnostic maps (published sheets).
pub fn mapped_families(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<String>> {
    map_entries::table
        .filter(map_entries::project_id.eq(place.project_id))
        .filter(map_entries::collectivity_id.eq(place.collectivity_id))
        .filter(map_entries::kind.eq(EntryKind::Actor.code()))
        .filter(map_entries::status.eq(Status::Published.code()))
        .select(map_entries::category)
        .distinct()
        .load(conn)
}

// ---------------------------------------------------------------------------------------------------------------
// Workshops

#[derive(Debug, Clone, Queryable)]
pub struct Workshop {
    pub event_id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub step: String,
    pub state: String,
    pub dots_per_member: i32,
    pub synthesis: Option<String>,
    pub synthesis_published_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub place: Option<String>,
}

impl Workshop {
    pub fn step(&self) -> Step {
        Step::parse(&self.step).unwrap_or(Step::Divergence)
    }

    pub fn state(&self) -> WorkshopState {
        WorkshopState::parse(&self.state).unwrap_or(WorkshopState::Planned)
    }

    pub fn is_open(&self) -> bool {
        self.state() == WorkshopState::Open
    }

    pub fn territory(&self) -> Place {
        Place { project_id: self.project_id, collectivity_id: self.collectivity_id }
    }
}

type WorkshopColumns = (
    workshops::event_id,
    workshops::project_id,
    workshops::collectivity_id,
    workshops::step,
    workshops::state,
    workshops::dots_per_member,
    workshops::synthesis,
    workshops::synthesis_published_at,
    workshops::updated_at,
    events::title,
    events::starts_at,
    events::ends_at,
    events::place,
);

const WORKSHOP_COLUMNS: WorkshopColumns = (
    workshops::event_id,
    workshops::project_id,
    workshops::collectivity_id,
    workshops::step,
    workshops::state,
    workshops::dots_per_member,
    workshops::synthesis,
    workshops::synthesis_published_at,
    workshops::updated_at,
    events::title,
    events::starts_at,
    events::ends_at,
    events::place,
);

/// Records a workshop: the event (announced like any other) and its step.
pub fn insert_workshop(
    conn: &mut DbConnection,
    event: &crate::domain::project::NewEvent,
    step: Step,
    dots_per_member: i32,
    by: i64,
    project_title: &str,
    place: Place,
) -> QueryResult<i64> {
    let event_id = super::events::insert_event(conn, place.project_id, event, by, project_title)?;
    diesel::insert_into(workshops::table)
        .values((
            workshops::event_id.eq(event_id),
            workshops::project_id.eq(place.project_id),
            workshops::collectivity_id.eq(place.collectivity_id),
            workshops::step.eq(step.code()),
            workshops::dots_per_member.eq(dots_per_member),
            workshops::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(event_id)
}

pub fn find_workshop(conn: &mut DbConnection, event_id: i64) -> QueryResult<Option<Workshop>> {
    workshops::table
        .inner_join(events::table)
        .filter(workshops::event_id.eq(event_id))
        .select(WORKSHOP_COLUMNS)
        .first(conn)
        .optional()
}

/// A territory's workshops, in date order.
pub fn workshops_of(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<Workshop>> {
    workshops::table
        .inner_join(events::table)
        .filter(workshops::project_id.eq(place.project_id))
        .filter(workshops::collectivity_id.eq(place.collectivity_id))
        .order((events::starts_at.asc(), workshops::event_id.asc()))
        .select(WORKSHOP_COLUMNS)
        .load(conn)
}

/// Opens or closes a workshop, from the state the facilitator saw: false when it is in another state already
/// (a second click, or another facilitator).
pub fn set_workshop_state(
    conn: &mut DbConnection,
    workshop: &Workshop,
    from: WorkshopState,
    to: WorkshopState,
    by: i64,
    summary: String,
) -> QueryResult<bool> {
    let changed = diesel::update(
        workshops::table.filter(workshops::event_id.eq(workshop.event_id)).filter(workshops::state.eq(from.code())),
    )
    .set((workshops::state.eq(to.code()), workshops::updated_at.eq(now())))
    .execute(conn)?;
    if changed == 1 {
        let kind = if to == WorkshopState::Open { ActivityKind::WorkshopOpened } else { ActivityKind::WorkshopClosed };
        record(conn, workshop.territory(), Some(by), kind, summary)?;
    }
    Ok(changed == 1)
}

/// Publishes (or corrects) the workshop's synthesis: a public entry of the activity, so observers hear of it.
pub fn publish_synthesis(
    conn: &mut DbConnection,
    workshop: &Workshop,
    text: &str,
    by: i64,
    territory: &str,
) -> QueryResult<()> {
    diesel::update(workshops::table.find(workshop.event_id))
        .set((
            workshops::synthesis.eq(Some(text)),
            workshops::synthesis_published_at.eq(Some(now())),
            workshops::updated_at.eq(now()),
        ))
        .execute(conn)?;
    let summary = format!("Synthèse de l’atelier « {} » {} publiée.", workshop.title, de(territory));
    record(conn, workshop.territory(), Some(by), ActivityKind::SynthesisPublished, summary)
}

/// The published syntheses of a project's workshops, for its public page, newest first.
pub fn published_syntheses(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<Workshop>> {
    workshops::table
        .inner_join(events::table)
        .filter(workshops::project_id.eq(project_id))
        .filter(workshops::synthesis_published_at.is_not_null())
        .order(workshops::synthesis_published_at.desc())
        .select(WORKSHOP_COLUMNS)
        .load(conn)
}

// ---------------------------------------------------------------------------------------------------------------
// Ideas

#[derive(Debug, Clone, Queryable)]
pub struct Idea {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub workshop_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub member_id: Option<i64>,
    pub author_category: String,
    pub origin: String,
    pub status: String,
    pub cluster_id: Option<i64>,
    pub merged_into: Option<i64>,
    pub entered_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl Idea {
    pub fn origin(&self) -> Origin {
        Origin::parse(&self.origin)
    }

    pub fn is_published(&self) -> bool {
        self.status == IdeaStatus::Published.code()
    }

    /// Shown on the board: published and not merged into another.
    pub fn is_current(&self) -> bool {
        self.is_published() && self.merged_into.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdeaStatus {
    Proposed,
    Published,
    Rejected,
    Dissolved,
}

impl IdeaStatus {
    pub fn code(self) -> &'static str {
        match self {
            IdeaStatus::Proposed => "proposed",
            IdeaStatus::Published => "published",
            IdeaStatus::Rejected => "rejected",
            IdeaStatus::Dissolved => "dissolved",
        }
    }
}

/// Who wrote an idea: a member of the group, or an inhabitant of the given category code ("" when unsaid).
pub enum Author<'a> {
    Member(&'a WorkingMember),
    Category(&'a str),
}

fn history(conn: &mut DbConnection, idea_id: i64, by: Option<i64>, change: String) -> QueryResult<()> {
    diesel::insert_into(idea_history::table)
        .values((
            idea_history::idea_id.eq(idea_id),
            idea_history::at.eq(now()),
            idea_history::actor_id.eq(by),
            idea_history::change.eq(change),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records an idea with its first line of history. An inhabitant's waits for moderation and tells no one yet.
#[allow(clippy::too_many_arguments)]
pub fn insert_idea(
    conn: &mut DbConnection,
    place: Place,
    workshop_id: Option<i64>,
    idea: &NewIdea,
    author: Author,
    origin: Origin,
    entered_by: Option<i64>,
    territory: &str,
) -> QueryResult<i64> {
    let (member_id, category) = match author {
        Author::Member(m) => (Some(m.id), m.category.clone()),
        Author::Category(c) => (None, c.to_owned()),
    };
    let status = if origin == Origin::Public { IdeaStatus::Proposed } else { IdeaStatus::Published };
    let id = diesel::insert_into(ideas::table)
        .values((
            ideas::project_id.eq(place.project_id),
            ideas::collectivity_id.eq(place.collectivity_id),
            ideas::workshop_id.eq(workshop_id),
            ideas::title.eq(&idea.title),
            ideas::body.eq(&idea.body),
            ideas::member_id.eq(member_id),
            ideas::author_category.eq(category),
            ideas::origin.eq(origin.code()),
            ideas::status.eq(status.code()),
            ideas::entered_by.eq(entered_by),
            ideas::created_at.eq(now()),
        ))
        .returning(ideas::id)
        .get_result::<i64>(conn)?;
    history(conn, id, entered_by, format!("Idée reçue ({}).", origin.label()))?;
    if status == IdeaStatus::Published {
        let summary = format!("Nouvelle idée {} : « {} ».", de(territory), idea.title);
        record(conn, place, entered_by, ActivityKind::IdeaContributed, summary)?;
    }
    Ok(id)
}

pub fn find_idea(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Idea>> {
    ideas::table.find(id).first(conn).optional()
}

/// Every idea of a territory, whatever its status, oldest first.
pub fn ideas_of(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<Idea>> {
    ideas::table
        .filter(ideas::project_id.eq(place.project_id))
        .filter(ideas::collectivity_id.eq(place.collectivity_id))
        .order(ideas::id.asc())
        .load(conn)
}

/// Corrects an idea's title and text (a typo, a note misread), with a dated line of history keeping the former
/// title; false when the idea is not the territory's.
pub fn update_idea(conn: &mut DbConnection, place: Place, idea: &Idea, new: &NewIdea, by: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        ideas::table
            .filter(ideas::id.eq(idea.id))
            .filter(ideas::project_id.eq(place.project_id))
            .filter(ideas::collectivity_id.eq(place.collectivity_id)),
    )
    .set((ideas::title.eq(&new.title), ideas::body.eq(&new.body)))
    .execute(conn)?;
    if changed == 1 && (idea.title != new.title || idea.body != new.body) {
        history(conn, idea.id, Some(by), format!("Idée corrigée (elle s’intitulait « {} »).", idea.title))?;
    }
    Ok(changed == 1)
}

/// Publishes or refuses an inhabitant's idea, once: false when it was decided already.
pub fn moderate_idea(
    conn: &mut DbConnection,
    idea: &Idea,
    publish: bool,
    by: i64,
    territory: &str,
) -> QueryResult<bool> {
    let to = if publish { IdeaStatus::Published } else { IdeaStatus::Rejected };
    let changed = diesel::update(
        ideas::table.filter(ideas::id.eq(idea.id)).filter(ideas::status.eq(IdeaStatus::Proposed.code())),
    )
    .set(ideas::status.eq(to.code()))
    .execute(conn)?;
    if changed == 1 {
        history(conn, idea.id, Some(by), if publish { "Idée validée.".into() } else { "Idée refusée.".into() })?;
        if publish {
            let place = Place { project_id: idea.project_id, collectivity_id: idea.collectivity_id };
            let summary = format!("Nouvelle idée d’un habitant {} : « {} ».", de(territory), idea.title);
            record(conn, place, Some(by), ActivityKind::IdeaContributed, summary)?;
        }
    }
    Ok(changed == 1)
}

/// Links an idea to what motivated it; true when the link is new (a second click adds nothing).
pub fn add_evidence(conn: &mut DbConnection, idea_id: i64, evidence: Evidence, by: i64) -> QueryResult<bool> {
    let (entry, source, question, idea) = match evidence {
        Evidence::Sheet(id) => (Some(id), None, None, None),
        Evidence::Source(id) => (None, Some(id), None, None),
        Evidence::Question(id) => (None, None, Some(id), None),
        Evidence::Idea(id) => (None, None, None, Some(id)),
    };
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(idea_evidence::table)
            .values((
                idea_evidence::idea_id.eq(idea_id),
                idea_evidence::entry_id.eq(entry),
                idea_evidence::source_id.eq(source),
                idea_evidence::question_id.eq(question),
                idea_evidence::cited_idea_id.eq(idea),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => {
            history(conn, idea_id, Some(by), "Motivation ajoutée.".into())?;
            Ok(true)
        }
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// What an idea cites, as its pages show it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cited {
    pub idea_id: i64,
    pub evidence: Evidence,
    pub label: String,
    /// For a question, its questionnaire (whose results the link opens).
    pub questionnaire_id: Option<i64>,
}

/// Everything the territory's ideas cite.
pub fn evidence_of_territory(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<Cited>> {
    let territory_ideas = ideas::table
        .filter(ideas::project_id.eq(place.project_id))
        .filter(ideas::collectivity_id.eq(place.collectivity_id));
    let of_territory = territory_ideas.select(ideas::id);
    let cited = |idea_id, evidence, label| Cited { idea_id, evidence, label, questionnaire_id: None };
    let mut out = Vec::new();
    let sheets: Vec<(i64, i64, String)> = idea_evidence::table
        .inner_join(map_entries::table)
        .filter(idea_evidence::idea_id.eq_any(of_territory))
        .select((idea_evidence::idea_id, map_entries::id, map_entries::name))
        .load(conn)?;
    out.extend(sheets.into_iter().map(|(idea, id, name)| cited(idea, Evidence::Sheet(id), name)));
    let sources: Vec<(i64, i64, String)> = idea_evidence::table
        .inner_join(map_sources::table)
        .filter(idea_evidence::idea_id.eq_any(of_territory))
        .select((idea_evidence::idea_id, map_sources::id, map_sources::title))
        .load(conn)?;
    out.extend(sources.into_iter().map(|(idea, id, title)| cited(idea, Evidence::Source(id), title)));
    let asked: Vec<(i64, i64, String, i64)> = idea_evidence::table
        .inner_join(questions::table)
        .filter(idea_evidence::idea_id.eq_any(of_territory))
        .select((idea_evidence::idea_id, questions::id, questions::label, questions::questionnaire_id))
        .load(conn)?;
    out.extend(asked.into_iter().map(|(idea, id, label, questionnaire)| Cited {
        questionnaire_id: Some(questionnaire),
        ..cited(idea, Evidence::Question(id), label)
    }));
    let ideas_cited: Vec<(i64, Option<i64>)> = idea_evidence::table
        .filter(idea_evidence::idea_id.eq_any(of_territory))
        .filter(idea_evidence::cited_idea_id.is_not_null())
        .select((idea_evidence::idea_id, idea_evidence::cited_idea_id))
        .load(conn)?;
    // An idea cites an idea of its own territory (`may_cite`): one read of their titles.
    let titles: Vec<(i64, String)> = territory_ideas.select((ideas::id, ideas::title)).load(conn)?;
    for (idea, other) in ideas_cited {
        let Some(other) = other else { continue };
        let title = titles.iter().find(|(id, _)| *id == other).map_or(String::new(), |(_, t)| t.clone());
        out.push(cited(idea, Evidence::Idea(other), title));
    }
    out.sort();
    Ok(out)
}

/// Whether an idea of the territory may cite this: a published sheet or source of its diagnostic, a question of
/// its questionnaires, one of its current ideas. One count, read in the writing transaction.
pub fn may_cite(conn: &mut DbConnection, place: Place, evidence: Evidence) -> QueryResult<bool> {
    let published = Status::Published.code();
    let count: i64 = match evidence {
        Evidence::Sheet(id) => map_entries::table
            .filter(map_entries::id.eq(id))
            .filter(map_entries::project_id.eq(place.project_id))
            .filter(map_entries::collectivity_id.eq(place.collectivity_id))
            .filter(map_entries::status.eq(published))
            .count()
            .get_result(conn)?,
        Evidence::Source(id) => map_sources::table
            .filter(map_sources::id.eq(id))
            .filter(map_sources::project_id.eq(place.project_id))
            .filter(map_sources::collectivity_id.eq(place.collectivity_id))
            .filter(map_sources::status.eq(published))
            .count()
            .get_result(conn)?,
        Evidence::Question(id) => questions::table
            .inner_join(questionnaires::table)
            .filter(questions::id.eq(id))
            .filter(questions::kind.ne("section"))
            .filter(questionnaires::project_id.eq(place.project_id))
            .filter(questionnaires::collectivity_id.eq(place.collectivity_id))
            .count()
            .get_result(conn)?,
        Evidence::Idea(id) => ideas::table
            .filter(ideas::id.eq(id))
            .filter(ideas::project_id.eq(place.project_id))
            .filter(ideas::collectivity_id.eq(place.collectivity_id))
            .filter(ideas::status.eq(IdeaStatus::Published.code()))
            .filter(ideas::merged_into.is_null())
            .count()
            .get_result(conn)?,
    };
    Ok(count > 0)
}

/// The territory's published ideas that cite its sheets and sources: (evidence, idea id, idea title), for the
/// diagnostic's pages (the other end of the link).
pub fn inspirations(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<(Evidence, i64, String)>> {
    let rows: Vec<(Option<i64>, Option<i64>, i64, String)> = idea_evidence::table
        .inner_join(ideas::table.on(ideas::id.eq(idea_evidence::idea_id)))
        .filter(ideas::project_id.eq(place.project_id))
        .filter(ideas::collectivity_id.eq(place.collectivity_id))
        .filter(ideas::status.eq(IdeaStatus::Published.code()))
        .filter(idea_evidence::entry_id.is_not_null().or(idea_evidence::source_id.is_not_null()))
        .order(ideas::id.asc())
        .select((idea_evidence::entry_id, idea_evidence::source_id, ideas::id, ideas::title))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(entry, source, id, title)| match (entry, source) {
            (Some(entry), _) => Some((Evidence::Sheet(entry), id, title)),
            (None, Some(source)) => Some((Evidence::Source(source), id, title)),
            _ => None,
        })
        .collect())
}

/// The published ideas that cite a sheet, a source or a question: the other end of the link, as (id, title,
/// project, collectivity).
pub fn ideas_citing(conn: &mut DbConnection, evidence: Evidence) -> QueryResult<Vec<(i64, String, i64, i64)>> {
    let query = idea_evidence::table
        .inner_join(ideas::table.on(ideas::id.eq(idea_evidence::idea_id)))
        .filter(ideas::status.eq(IdeaStatus::Published.code()))
        .select((ideas::id, ideas::title, ideas::project_id, ideas::collectivity_id))
        .order(ideas::id.asc())
        .into_boxed();
    match evidence {
        Evidence::Sheet(id) => query.filter(idea_evidence::entry_id.eq(id)).load(conn),
        Evidence::Source(id) => query.filter(idea_evidence::source_id.eq(id)).load(conn),
        Evidence::Question(id) => query.filter(idea_evidence::question_id.eq(id)).load(conn),
        Evidence::Idea(id) => query.filter(idea_evidence::cited_idea_id.eq(id)).load(conn),
    }
}

/// The questions a territory's questionnaires ask (no sections), for the evidence list: (id, questionnaire, label).
pub fn questions_of_territory(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<(i64, String, String)>> {
    questions::table
        .inner_join(questionnaires::table)
        .filter(questionnaires::project_id.eq(place.project_id))
        .filter(questionnaires::collectivity_id.eq(place.collectivity_id))
        .filter(questions::kind.ne("section"))
        .order((questionnaires::id.asc(), questions::position.asc()))
        .select((questions::id, questionnaires::title, questions::label))
        .load(conn)
}

/// The dated history of an idea.
pub fn history_of(conn: &mut DbConnection, idea_id: i64) -> QueryResult<Vec<(NaiveDateTime, String)>> {
    idea_history::table
        .filter(idea_history::idea_id.eq(idea_id))
        .order((idea_history::at.asc(), idea_history::id.asc()))
        .select((idea_history::at, idea_history::change))
        .load(conn)
}

// ---------------------------------------------------------------------------------------------------------------
// Clusters and merges

#[derive(Debug, Clone, Queryable)]
pub struct Cluster {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub name: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn clusters_of(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<Cluster>> {
    idea_clusters::table
        .filter(idea_clusters::project_id.eq(place.project_id))
        .filter(idea_clusters::collectivity_id.eq(place.collectivity_id))
        .order(idea_clusters::name.asc())
        .load(conn)
}

/// The cluster of that name in the territory, created if it is new.
pub fn cluster_named(conn: &mut DbConnection, place: Place, name: &str, by: i64) -> QueryResult<i64> {
    let existing: Option<i64> = idea_clusters::table
        .filter(idea_clusters::project_id.eq(place.project_id))
        .filter(idea_clusters::collectivity_id.eq(place.collectivity_id))
        .filter(idea_clusters::name.eq(name))
        .select(idea_clusters::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    diesel::insert_into(idea_clusters::table)
        .values((
            idea_clusters::project_id.eq(place.project_id),
            idea_clusters::collectivity_id.eq(place.collectivity_id),
            idea_clusters::name.eq(name),
            idea_clusters::created_by.eq(Some(by)),
            idea_clusters::created_at.eq(now()),
        ))
        .returning(idea_clusters::id)
        .get_result(conn)
}

/// Puts the ideas into a cluster (or takes them out, `None`), with a line of history each; returns how many moved.
pub fn move_to_cluster(
    conn: &mut DbConnection,
    place: Place,
    idea_ids: &[i64],
    cluster: Option<(i64, &str)>,
    by: i64,
) -> QueryResult<usize> {
    let mut moved = 0;
    for id in idea_ids {
        let changed = diesel::update(
            ideas::table
                .filter(ideas::id.eq(id))
                .filter(ideas::project_id.eq(place.project_id))
                .filter(ideas::collectivity_id.eq(place.collectivity_id)),
        )
        .set(ideas::cluster_id.eq(cluster.map(|(c, _)| c)))
        .execute(conn)?;
        if changed == 1 {
            moved += 1;
            let change = match cluster {
                Some((_, name)) => format!("Regroupée dans « {name} »."),
                None => "Sortie de son regroupement.".to_owned(),
            };
            history(conn, *id, Some(by), change)?;
        }
    }
    Ok(moved)
}

/// Deletes the clusters of the territory that hold no idea any more.
pub fn forget_empty_clusters(conn: &mut DbConnection, place: Place) -> QueryResult<usize> {
    let used = ideas::table.filter(ideas::cluster_id.is_not_null()).select(ideas::cluster_id.assume_not_null());
    let unused: Vec<i64> = idea_clusters::table
        .filter(idea_clusters::project_id.eq(place.project_id))
        .filter(idea_clusters::collectivity_id.eq(place.collectivity_id))
        .filter(idea_clusters::id.ne_all(used))
        .select(idea_clusters::id)
        .load(conn)?;
    // A cluster someone scored or dotted stays: its votes keep their meaning.
    let mut voted: Vec<i64> = scores::table
        .filter(scores::cluster_id.eq_any(&unused))
        .select(scores::cluster_id.assume_not_null())
        .load(conn)?;
    voted.extend(
        dots::table
            .filter(dots::cluster_id.eq_any(&unused))
            .select(dots::cluster_id.assume_not_null())
            .load::<i64>(conn)?,
    );
    let to_delete: Vec<i64> = unused.into_iter().filter(|id| !voted.contains(id)).collect();
    diesel::delete(idea_clusters::table.filter(idea_clusters::id.eq_any(&to_delete))).execute(conn)
}

#[derive(Debug, PartialEq, Eq)]
pub enum MergeOutcome {
    Merged(i64),
    /// One of the ideas is not a current idea of the territory any more (merged or moved meanwhile).
    Stale,
}

/// Merges current ideas into a new one that keeps them: the originals stay, with their authors, and point to
/// the merge; the merge takes the cluster of the first. Undone by [`undo_merge`].
pub fn merge_ideas(
    conn: &mut DbConnection,
    place: Place,
    idea_ids: &[i64],
    merged: &NewIdea,
    by: i64,
) -> QueryResult<MergeOutcome> {
    // Lock the originals before reading them (PostgreSQL; SQLite's write lock is held already): two
    // facilitators merging the same idea at once merge it once.
    diesel::update(ideas::table.filter(ideas::id.eq_any(idea_ids)))
        .set(ideas::merged_into.eq(ideas::merged_into))
        .execute(conn)?;
    let originals: Vec<Idea> = ideas::table.filter(ideas::id.eq_any(idea_ids)).order(ideas::id.asc()).load(conn)?;
    let territory_ok = |i: &Idea| i.project_id == place.project_id && i.collectivity_id == place.collectivity_id;
    // The same merge asked again (a double click, two tabs): the merge made by the first is the answer.
    if let Some(Some(merge)) = originals.first().map(|i| i.merged_into) {
        if originals.len() == idea_ids.len() && originals.iter().all(|i| i.merged_into == Some(merge)) {
            let done: Option<Idea> = find_idea(conn, merge)?;
            if done.is_some_and(|m| m.is_published() && m.title == merged.title) {
                return Ok(MergeOutcome::Merged(merge));
            }
        }
    }
    if originals.len() != idea_ids.len()
        || originals.len() < 2
        || !originals.iter().all(|i| territory_ok(i) && i.is_current())
    {
        return Ok(MergeOutcome::Stale);
    }
    let id = diesel::insert_into(ideas::table)
        .values((
            ideas::project_id.eq(place.project_id),
            ideas::collectivity_id.eq(place.collectivity_id),
            ideas::workshop_id.eq(originals[0].workshop_id),
            ideas::title.eq(&merged.title),
            ideas::body.eq(&merged.body),
            ideas::author_category.eq(""),
            ideas::origin.eq(Origin::Merge.code()),
            ideas::status.eq(IdeaStatus::Published.code()),
            ideas::cluster_id.eq(originals[0].cluster_id),
            ideas::entered_by.eq(Some(by)),
            ideas::created_at.eq(now()),
        ))
        .returning(ideas::id)
        .get_result::<i64>(conn)?;
    diesel::update(ideas::table.filter(ideas::id.eq_any(idea_ids)))
        .set(ideas::merged_into.eq(Some(id)))
        .execute(conn)?;
    let titles: Vec<String> = originals.iter().map(|i| format!("« {} »", i.title)).collect();
    history(conn, id, Some(by), format!("Fusion de {}.", titles.join(" et ")))?;
    for original in &originals {
        history(conn, original.id, Some(by), format!("Fusionnée dans « {} ».", merged.title))?;
    }
    Ok(MergeOutcome::Merged(id))
}

/// Undoes a merge: the merge is dissolved (it stays in the history), its originals come back as they were. False
/// when it was undone already.
pub fn undo_merge(conn: &mut DbConnection, merge: &Idea, by: i64) -> QueryResult<bool> {
    let dissolved = diesel::update(
        ideas::table
            .filter(ideas::id.eq(merge.id))
            .filter(ideas::origin.eq(Origin::Merge.code()))
            .filter(ideas::status.eq(IdeaStatus::Published.code())),
    )
    .set(ideas::status.eq(IdeaStatus::Dissolved.code()))
    .execute(conn)?;
    if dissolved == 0 {
        return Ok(false);
    }
    let originals: Vec<i64> = ideas::table.filter(ideas::merged_into.eq(merge.id)).select(ideas::id).load(conn)?;
    diesel::update(ideas::table.filter(ideas::merged_into.eq(merge.id)))
        .set(ideas::merged_into.eq(None::<i64>))
        .execute(conn)?;
    history(conn, merge.id, Some(by), "Fusion annulée : les idées d’origine reviennent.".into())?;
    for id in originals {
        history(conn, id, Some(by), format!("Fusion « {} » annulée.", merge.title))?;
    }
    Ok(true)
}

// ---------------------------------------------------------------------------------------------------------------
// Objectives and criteria

#[derive(Debug, Clone, Queryable)]
pub struct Objective {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub title: String,
    pub description: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable)]
pub struct Criterion {
    pub id: i64,
    pub objective_id: i64,
    pub label: String,
    pub weight: i32,
    pub created_at: NaiveDateTime,
}

pub fn insert_objective(
    conn: &mut DbConnection,
    place: Place,
    objective: &NewObjective,
    by: i64,
    territory: &str,
) -> QueryResult<i64> {
    let id = diesel::insert_into(objectives::table)
        .values((
            objectives::project_id.eq(place.project_id),
            objectives::collectivity_id.eq(place.collectivity_id),
            objectives::title.eq(&objective.title),
            objectives::description.eq(&objective.description),
            objectives::created_by.eq(Some(by)),
            objectives::created_at.eq(now()),
        ))
        .returning(objectives::id)
        .get_result(conn)?;
    let summary = format!("Nouvel objectif {} : « {} ».", de(territory), objective.title);
    record(conn, place, Some(by), ActivityKind::CoDesignUpdated, summary)?;
    Ok(id)
}

pub fn insert_criterion(conn: &mut DbConnection, objective_id: i64, criterion: &NewCriterion) -> QueryResult<i64> {
    diesel::insert_into(criteria::table)
        .values((
            criteria::objective_id.eq(objective_id),
            criteria::label.eq(&criterion.label),
            criteria::weight.eq(criterion.weight),
            criteria::created_at.eq(now()),
        ))
        .returning(criteria::id)
        .get_result(conn)
}

#[derive(Debug, PartialEq, Eq)]
pub enum CriterionRemoval {
    Removed,
    /// Scores were given against it: removing it would change what people said.
    Scored,
    Missing,
}

/// Removes a criterion of the territory's that nobody has scored against.
pub fn remove_criterion(conn: &mut DbConnection, place: Place, criterion_id: i64) -> QueryResult<CriterionRemoval> {
    let of_territory = objectives::table
        .filter(objectives::project_id.eq(place.project_id))
        .filter(objectives::collectivity_id.eq(place.collectivity_id))
        .select(objectives::id);
    let exists: i64 = criteria::table
        .filter(criteria::id.eq(criterion_id))
        .filter(criteria::objective_id.eq_any(of_territory))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        return Ok(CriterionRemoval::Missing);
    }
    let scored: i64 = scores::table.filter(scores::criterion_id.eq(criterion_id)).count().get_result(conn)?;
    if scored > 0 {
        return Ok(CriterionRemoval::Scored);
    }
    diesel::delete(criteria::table.find(criterion_id)).execute(conn)?;
    Ok(CriterionRemoval::Removed)
}

/// Sets the weights the group agreed on, criterion by criterion (only the territory's).
pub fn set_weights(conn: &mut DbConnection, place: Place, weights: &[(i64, i32)]) -> QueryResult<()> {
    let of_territory = objectives::table
        .filter(objectives::project_id.eq(place.project_id))
        .filter(objectives::collectivity_id.eq(place.collectivity_id))
        .select(objectives::id);
    for (id, weight) in weights {
        diesel::update(criteria::table.filter(criteria::id.eq(id)).filter(criteria::objective_id.eq_any(of_territory)))
            .set(criteria::weight.eq(weight))
            .execute(conn)?;
    }
    Ok(())
}

/// The territory's objectives with their criteria, in the order they were written.
pub fn objectives_of(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<(Objective, Vec<Criterion>)>> {
    let objectives: Vec<Objective> = objectives::table
        .filter(objectives::project_id.eq(place.project_id))
        .filter(objectives::collectivity_id.eq(place.collectivity_id))
        .order(objectives::id.asc())
        .load(conn)?;
    let ids: Vec<i64> = objectives.iter().map(|o| o.id).collect();
    let all: Vec<Criterion> =
        criteria::table.filter(criteria::objective_id.eq_any(&ids)).order(criteria::id.asc()).load(conn)?;
    Ok(objectives
        .into_iter()
        .map(|o| {
            let of: Vec<Criterion> = all.iter().filter(|c| c.objective_id == o.id).cloned().collect();
            (o, of)
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------------------------
// Votes: scores and dots

#[derive(Debug, PartialEq, Eq)]
pub enum VoteOutcome {
    Done,
    /// The workshop is not open (not yet, or closed meanwhile): nothing was written.
    NotOpen,
    /// Every dot is placed already.
    NoDotLeft,
    /// No dot of the member's on that candidate to take back.
    NothingToRemove,
}

/// The member's ballot in an open workshop, created if needed and locked (an `UPDATE` of its row) for the rest of
/// the transaction: the votes of one member, from any number of devices, are serialised here. None when the
/// workshop is not open.
fn lock_ballot(conn: &mut DbConnection, workshop_id: i64, member_id: i64) -> QueryResult<Option<i64>> {
    let open: Option<i32> = workshops::table
        .filter(workshops::event_id.eq(workshop_id))
        .filter(workshops::state.eq(WorkshopState::Open.code()))
        .select(workshops::dots_per_member)
        .first(conn)
        .optional()?;
    let Some(cap) = open else { return Ok(None) };
    let created = conn.transaction(|conn| {
        diesel::insert_into(ballots::table)
            .values((
                ballots::workshop_id.eq(workshop_id),
                ballots::member_id.eq(member_id),
                ballots::dots_cap.eq(cap),
                ballots::updated_at.eq(now()),
            ))
            .execute(conn)
    });
    match created {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {}
        Err(e) => return Err(e),
    }
    diesel::update(ballots::table.filter(ballots::workshop_id.eq(workshop_id)).filter(ballots::member_id.eq(member_id)))
        .set(ballots::updated_at.eq(now()))
        .returning(ballots::id)
        .get_result(conn)
        .map(Some)
}

/// Replaces the member's scores in the workshop by `grid` (candidate, criterion, score; values checked 0–5 by
/// the caller, and the table's CHECK).
pub fn save_scores(
    conn: &mut DbConnection,
    workshop_id: i64,
    member_id: i64,
    grid: &[(Candidate, i64, i32)],
) -> QueryResult<VoteOutcome> {
    if lock_ballot(conn, workshop_id, member_id)?.is_none() {
        return Ok(VoteOutcome::NotOpen);
    }
    diesel::delete(scores::table.filter(scores::workshop_id.eq(workshop_id)).filter(scores::member_id.eq(member_id)))
        .execute(conn)?;
    let at = now();
    for (candidate, criterion, value) in grid {
        diesel::insert_into(scores::table)
            .values((
                scores::workshop_id.eq(workshop_id),
                scores::member_id.eq(member_id),
                scores::criterion_id.eq(criterion),
                scores::cluster_id.eq(candidate.cluster_id()),
                scores::idea_id.eq(candidate.idea_id()),
                scores::value.eq(value),
                scores::at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(VoteOutcome::Done)
}

/// Places one of the member's dots on a candidate, if they have one left: the conditional `UPDATE` on the locked
/// ballot decides, and its `CHECK` would refuse a dot beyond the cap anyway.
pub fn add_dot(
    conn: &mut DbConnection,
    workshop_id: i64,
    member_id: i64,
    candidate: Candidate,
) -> QueryResult<VoteOutcome> {
    let Some(ballot) = lock_ballot(conn, workshop_id, member_id)? else { return Ok(VoteOutcome::NotOpen) };
    let taken =
        diesel::update(ballots::table.filter(ballots::id.eq(ballot)).filter(ballots::dots_used.lt(ballots::dots_cap)))
            .set(ballots::dots_used.eq(ballots::dots_used + 1))
            .execute(conn)?;
    if taken == 0 {
        return Ok(VoteOutcome::NoDotLeft);
    }
    diesel::insert_into(dots::table)
        .values((
            dots::ballot_id.eq(ballot),
            dots::cluster_id.eq(candidate.cluster_id()),
            dots::idea_id.eq(candidate.idea_id()),
            dots::at.eq(now()),
        ))
        .execute(conn)?;
    Ok(VoteOutcome::Done)
}

/// Takes back one of the member's dots from a candidate.
pub fn remove_dot(
    conn: &mut DbConnection,
    workshop_id: i64,
    member_id: i64,
    candidate: Candidate,
) -> QueryResult<VoteOutcome> {
    let Some(ballot) = lock_ballot(conn, workshop_id, member_id)? else { return Ok(VoteOutcome::NotOpen) };
    let query = dots::table.filter(dots::ballot_id.eq(ballot)).select(dots::id).into_boxed();
    let query = match candidate {
        Candidate::Cluster(id) => query.filter(dots::cluster_id.eq(id)),
        Candidate::Idea(id) => query.filter(dots::idea_id.eq(id)),
    };
    let Some(dot) = query.first::<i64>(conn).optional()? else { return Ok(VoteOutcome::NothingToRemove) };
    diesel::delete(dots::table.find(dot)).execute(conn)?;
    diesel::update(ballots::table.find(ballot)).set(ballots::dots_used.eq(ballots::dots_used - 1)).execute(conn)?;
    Ok(VoteOutcome::Done)
}

fn candidate_of(cluster: Option<i64>, idea: Option<i64>) -> Option<Candidate> {
    match (cluster, idea) {
        (Some(c), None) => Some(Candidate::Cluster(c)),
        (None, Some(i)) => Some(Candidate::Idea(i)),
        _ => None,
    }
}

/// Every score of a workshop, by candidate.
pub fn scores_of_workshop(conn: &mut DbConnection, workshop_id: i64) -> QueryResult<Vec<(Candidate, ScoreRow)>> {
    // (cluster, idea, member, criterion, value)
    type Row = (Option<i64>, Option<i64>, i64, i64, i32);
    let rows: Vec<Row> = scores::table
        .filter(scores::workshop_id.eq(workshop_id))
        .select((scores::cluster_id, scores::idea_id, scores::member_id, scores::criterion_id, scores::value))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(cluster, idea, member_id, criterion_id, value)| {
            candidate_of(cluster, idea).map(|c| (c, ScoreRow { member_id, criterion_id, value }))
        })
        .collect())
}

/// Every dot of a workshop, as (candidate, member).
pub fn dots_of_workshop(conn: &mut DbConnection, workshop_id: i64) -> QueryResult<Vec<(Candidate, i64)>> {
    let rows: Vec<(Option<i64>, Option<i64>, i64)> = dots::table
        .inner_join(ballots::table)
        .filter(ballots::workshop_id.eq(workshop_id))
        .select((dots::cluster_id, dots::idea_id, ballots::member_id))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(c, i, m)| candidate_of(c, i).map(|c| (c, m))).collect())
}

/// The dots a member has used and may use in a workshop: (used, cap); the cap is the workshop's until a ballot
/// exists.
pub fn ballot_of(conn: &mut DbConnection, workshop_id: i64, member_id: i64) -> QueryResult<Option<(i32, i32)>> {
    ballots::table
        .filter(ballots::workshop_id.eq(workshop_id))
        .filter(ballots::member_id.eq(member_id))
        .select((ballots::dots_used, ballots::dots_cap))
        .first(conn)
        .optional()
}

// ---------------------------------------------------------------------------------------------------------------
// Retained actions

#[derive(Debug, Clone, Queryable)]
pub struct Action {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub title: String,
    pub description: String,
    pub status: String,
    pub workshop_id: Option<i64>,
    pub cluster_id: Option<i64>,
    pub idea_id: Option<i64>,
    pub lineage: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A cluster with its current ideas, or an idea on its own: what the group scores and dots.
pub struct Proposal {
    pub candidate: Candidate,
    pub title: String,
    pub ideas: Vec<Idea>,
}

/// The territory's proposals: its clusters that hold a current idea, then its current ideas outside any cluster.
pub fn proposals(ideas: &[Idea], clusters: &[Cluster]) -> Vec<Proposal> {
    let current: Vec<&Idea> = ideas.iter().filter(|i| i.is_current()).collect();
    let mut out: Vec<Proposal> = clusters
        .iter()
        .map(|c| Proposal {
            candidate: Candidate::Cluster(c.id),
            title: c.name.clone(),
            ideas: current.iter().filter(|i| i.cluster_id == Some(c.id)).map(|i| (*i).clone()).collect(),
        })
        .filter(|p| !p.ideas.is_empty())
        .collect();
    out.extend(current.iter().filter(|i| i.cluster_id.is_none()).map(|i| Proposal {
        candidate: Candidate::Idea(i.id),
        title: i.title.clone(),
        ideas: vec![(*i).clone()],
    }));
    out
}

#[derive(Debug, PartialEq, Eq)]
pub enum RetainOutcome {
    Retained(i64),
    /// Retained already (a second click): nothing more is written.
    AlreadyRetained,
    /// Not a proposal of the territory any more (merged, moved, or never one).
    NotOnBoard,
}

/// Retains a proposal of a workshop as a draft action of the territory, with its lineage read in the same
/// transaction: its ideas (title, author's category), what they cite, its tally against the weighted criteria and
/// its dots, as JSON. The facilitator's button and the demo both come here.
pub fn retain_proposal(
    conn: &mut DbConnection,
    place: Place,
    workshop: &Workshop,
    candidate: Candidate,
    by: i64,
    territory: &str,
) -> QueryResult<RetainOutcome> {
    let ideas = ideas_of(conn, place)?;
    let clusters = clusters_of(conn, place)?;
    let Some(proposal) = proposals(&ideas, &clusters).into_iter().find(|p| p.candidate == candidate) else {
        return Ok(RetainOutcome::NotOnBoard);
    };
    let criteria: Vec<Criterion> = objectives_of(conn, place)?.into_iter().flat_map(|(_, c)| c).collect();
    let weights = criteria.iter().map(|c| (c.id, c.weight)).collect();
    let scores: Vec<ScoreRow> = scores_of_workshop(conn, workshop.event_id)?
        .into_iter()
        .filter(|(c, _)| *c == candidate)
        .map(|(_, s)| s)
        .collect();
    let tally = crate::domain::codesign::Tally::of(&scores, &weights);
    let dots = dots_of_workshop(conn, workshop.event_id)?.into_iter().filter(|(c, _)| *c == candidate).count();
    let ids: Vec<i64> = proposal.ideas.iter().map(|i| i.id).collect();
    let mut evidence: Vec<String> =
        evidence_of_territory(conn, place)?.into_iter().filter(|c| ids.contains(&c.idea_id)).map(|c| c.label).collect();
    evidence.sort();
    evidence.dedup();
    let lineage = Lineage {
        workshop: workshop.title.clone(),
        ideas: proposal
            .ideas
            .iter()
            .map(|i| LineageIdea {
                id: i.id,
                title: i.title.clone(),
                author: crate::domain::codesign::author_category_label(&i.author_category).to_owned(),
            })
            .collect(),
        evidence,
        weighted_mean: tally.as_ref().map(|t| t.weighted_mean),
        spread: tally.as_ref().map(|t| t.spread),
        scorers: tally.as_ref().map_or(0, |t| t.scorers as u32),
        criteria: tally.as_ref().map_or_else(Vec::new, |t| {
            t.per_criterion
                .iter()
                .filter_map(|(id, mean, count)| {
                    let criterion = criteria.iter().find(|c| c.id == *id)?;
                    Some(LineageCriterion {
                        label: criterion.label.clone(),
                        weight: criterion.weight,
                        mean: *mean,
                        count: *count as u32,
                    })
                })
                .collect()
        }),
        dots: dots as u32,
    };
    let lineage = serde_json::to_string(&lineage).map_err(|e| DbError::SerializationError(Box::new(e)))?;
    let description = proposal
        .ideas
        .iter()
        .map(|i| if i.body.is_empty() { i.title.as_str() } else { i.body.as_str() })
        .collect::<Vec<_>>()
        .join("\n\n");
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(actions::table)
            .values((
                actions::project_id.eq(place.project_id),
                actions::collectivity_id.eq(place.collectivity_id),
                actions::title.eq(&proposal.title),
                actions::description.eq(&description),
                actions::workshop_id.eq(Some(workshop.event_id)),
                actions::cluster_id.eq(candidate.cluster_id()),
                actions::idea_id.eq(candidate.idea_id()),
                actions::lineage.eq(&lineage),
                actions::created_by.eq(Some(by)),
                actions::created_at.eq(now()),
                actions::updated_by.eq(Some(by)),
                actions::updated_at.eq(now()),
            ))
            .returning(actions::id)
            .get_result::<i64>(conn)
    });
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Ok(RetainOutcome::AlreadyRetained),
        Err(e) => return Err(e),
    };
    let summary = format!("Action retenue pour le plan {} : « {} ».", de(territory), proposal.title);
    record(conn, place, Some(by), ActivityKind::ActionRetained, summary)?;
    Ok(RetainOutcome::Retained(id))
}

/// The actions the territory's workshops retained (those written directly in the plan have no lineage).
pub fn actions_of(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<Action>> {
    actions::table
        .filter(actions::project_id.eq(place.project_id))
        .filter(actions::collectivity_id.eq(place.collectivity_id))
        .filter(actions::lineage.ne("{}"))
        .order(actions::id.asc())
        .select((
            actions::id,
            actions::project_id,
            actions::collectivity_id,
            actions::title,
            actions::description,
            actions::status,
            actions::workshop_id,
            actions::cluster_id,
            actions::idea_id,
            actions::lineage,
            actions::created_by,
            actions::created_at,
        ))
        .load(conn)
}

// ---------------------------------------------------------------------------------------------------------------
// The inhabitants' public link

/// The territory's public link for inhabitants' ideas, if it is on.
pub fn idea_link(conn: &mut DbConnection, place: Place) -> QueryResult<Option<String>> {
    idea_links::table
        .filter(idea_links::project_id.eq(place.project_id))
        .filter(idea_links::collectivity_id.eq(place.collectivity_id))
        .select(idea_links::token)
        .first(conn)
        .optional()
}

/// The territory a public link sends ideas to.
pub fn place_of_idea_link(conn: &mut DbConnection, token: &str) -> QueryResult<Option<Place>> {
    let found: Option<(i64, i64)> = idea_links::table
        .filter(idea_links::token.eq(token))
        .select((idea_links::project_id, idea_links::collectivity_id))
        .first(conn)
        .optional()?;
    Ok(found.map(|(project_id, collectivity_id)| Place { project_id, collectivity_id }))
}

/// Turns the link on (with a new token, unless it is on already: a second click keeps the link given out) or off.
pub fn set_idea_link(conn: &mut DbConnection, place: Place, token: Option<&str>, by: i64) -> QueryResult<()> {
    let existing = idea_link(conn, place)?;
    match (token, existing) {
        (Some(token), None) => {
            // Two facilitators turning it on at once: the first link stays.
            let inserted = conn.transaction(|conn| {
                diesel::insert_into(idea_links::table)
                    .values((
                        idea_links::project_id.eq(place.project_id),
                        idea_links::collectivity_id.eq(place.collectivity_id),
                        idea_links::token.eq(token),
                        idea_links::created_by.eq(Some(by)),
                        idea_links::created_at.eq(now()),
                    ))
                    .execute(conn)
            });
            match inserted {
                Ok(_) => {}
                Err(e) if is_unique_violation(&e) => {}
                Err(e) => return Err(e),
            }
        }
        (None, Some(_)) => {
            diesel::delete(
                idea_links::table
                    .filter(idea_links::project_id.eq(place.project_id))
                    .filter(idea_links::collectivity_id.eq(place.collectivity_id)),
            )
            .execute(conn)?;
        }
        _ => {}
    }
    // The public page appears or goes: the page cache must not keep the other state.
    super::activity::public_content_changed(conn)
}
