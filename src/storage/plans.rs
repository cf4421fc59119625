//! The territorial action plan: one per participant territory (`action_plans`), its axes, its actions (the
//! workshops' retained actions are its first ones) with partners, funding, milestones, what they cite, comments and
//! indicators (targets, measurements); the versions submitted for adoption, the adoption record and its act; the
//! follow-up meeting and the reviews. Every write runs inside `storage::write_transaction` and starts by locking
//! the plan's row (`lock_plan`), so that a change of content and a submission never cross; an action's save names
//! the revision it started from (`UPDATE … WHERE revision = ?`): two people saving at once never lose an update
//! silently.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::activity::{record_activity, NewActivity};
use super::codesign::may_cite;
use super::diagnostic::Place;
use super::schema::{
    action_comments, action_evidence, action_fundings, action_milestones, action_partners, action_plans, actions,
    adoption_acts, adoptions, events, indicator_targets, indicators, map_entries, map_sources, measurements, plan_axes,
    plan_reviews, plan_versions, questions, review_items, users,
};
use super::{insert_once, lock_or_create, now, DbConnection, DbError};
use crate::domain::activity::ActivityKind;
use crate::domain::codesign::Evidence;
use crate::domain::plan::{
    changes, follow_up_date, ActionContent, ActionContentFields, ActionStatus, AdoptionFields, AxisContent, AxisFields,
    Direction, Funding, IndicatorContent, IndicatorFields, LateOverride, Lateness, MeasurementFields, Milestone,
    NextSteps, PlanContent, PlanState, Progress, ProgressFields, ProgressMode, Series,
};
use crate::domain::project::{EventKind, NewEvent};
use crate::domain::text::de;

// ---------------------------------------------------------------------------------------------------------------
// The plan

#[derive(Debug, Clone, Queryable)]
pub struct PlanRow {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub state: String,
    pub version: i32,
    pub implementation: String,
    pub citizens: String,
    pub evaluation: String,
    pub revision: i32,
    pub follow_up_event_id: Option<i64>,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

impl PlanRow {
    pub fn state(&self) -> PlanState {
        PlanState::parse(&self.state)
    }

    pub fn next_steps(&self) -> NextSteps {
        NextSteps {
            implementation: self.implementation.clone(),
            citizens: self.citizens.clone(),
            evaluation: self.evaluation.clone(),
        }
    }

    pub fn place(&self) -> Place {
        Place { project_id: self.project_id, collectivity_id: self.collectivity_id }
    }
}

pub fn find_plan(conn: &mut DbConnection, place: Place) -> QueryResult<Option<PlanRow>> {
    action_plans::table
        .filter(action_plans::project_id.eq(place.project_id))
        .filter(action_plans::collectivity_id.eq(place.collectivity_id))
        .first(conn)
        .optional()
}

/// The territory's plan, created (empty, a draft of version 1) the first time it is written to. Call it inside
/// `storage::write_transaction`: the row is then locked for the rest of the transaction.
pub fn lock_plan(conn: &mut DbConnection, place: Place, by: i64) -> QueryResult<PlanRow> {
    lock_or_create(
        conn,
        |conn| {
            diesel::update(
                action_plans::table
                    .filter(action_plans::project_id.eq(place.project_id))
                    .filter(action_plans::collectivity_id.eq(place.collectivity_id)),
            )
            .set(action_plans::revision.eq(action_plans::revision))
            .execute(conn)
        },
        |conn| {
            diesel::insert_into(action_plans::table)
                .values((
                    action_plans::project_id.eq(place.project_id),
                    action_plans::collectivity_id.eq(place.collectivity_id),
                    action_plans::updated_by.eq(Some(by)),
                    action_plans::updated_at.eq(now()),
                ))
                .execute(conn)
        },
    )?;
    find_plan(conn, place)?.ok_or(DbError::NotFound)
}

/// An entry of the project's activity about a territory's plan: public only for kinds that may be and for a plan
/// whose version is adopted (drafts stay in the working space).
fn record(
    conn: &mut DbConnection,
    place: Place,
    by: Option<i64>,
    kind: ActivityKind,
    public: bool,
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
            is_public: public && kind.may_be_public(),
            summary,
        },
    )
}

/// Why a change of content is refused: the version is not a draft.
#[derive(Debug, PartialEq, Eq)]
pub enum Frozen {
    Submitted(i32),
    Adopted(i32),
}

impl Frozen {
    pub fn message(&self) -> String {
        match self {
            Frozen::Submitted(v) => format!(
                "La version {v} du plan est soumise à l’adoption : son contenu ne change plus. Retirez-la de \
                 l’adoption pour la modifier."
            ),
            Frozen::Adopted(v) => format!(
                "La version {v} du plan est adoptée : elle est figée. Ouvrez une nouvelle version pour la modifier ; \
                 la version adoptée reste celle qui fait foi jusqu’à l’adoption de la suivante."
            ),
        }
    }
}

fn editable(plan: &PlanRow) -> Result<(), Frozen> {
    match plan.state() {
        PlanState::Draft => Ok(()),
        PlanState::Submitted => Err(Frozen::Submitted(plan.version)),
        PlanState::Adopted => Err(Frozen::Adopted(plan.version)),
    }
}

fn touch(conn: &mut DbConnection, plan: &PlanRow, by: i64) -> QueryResult<()> {
    diesel::update(action_plans::table.find(plan.id))
        .set((action_plans::updated_by.eq(Some(by)), action_plans::updated_at.eq(now())))
        .execute(conn)?;
    Ok(())
}

/// The outcome of a save that names the revision it started from.
#[derive(Debug)]
pub enum Saved<T> {
    Saved,
    /// The same values were saved already (a double click): nothing is written.
    Unchanged,
    /// Someone saved in between: nothing is written; here is what they saved.
    Conflict(T),
    Frozen(Frozen),
}

/// Saves « l'étape d'après », if the plan is still at `revision`.
pub fn save_next_steps(
    conn: &mut DbConnection,
    place: Place,
    revision: i32,
    next: &NextSteps,
    by: i64,
) -> QueryResult<Saved<NextSteps>> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(Saved::Frozen(frozen));
    }
    if plan.next_steps() == *next {
        return Ok(Saved::Unchanged);
    }
    if plan.revision != revision {
        return Ok(Saved::Conflict(plan.next_steps()));
    }
    diesel::update(action_plans::table.find(plan.id))
        .set((
            action_plans::implementation.eq(&next.implementation),
            action_plans::citizens.eq(&next.citizens),
            action_plans::evaluation.eq(&next.evaluation),
            action_plans::revision.eq(plan.revision + 1),
            action_plans::updated_by.eq(Some(by)),
            action_plans::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(Saved::Saved)
}

// ---------------------------------------------------------------------------------------------------------------
// Axes

#[derive(Debug, Clone, Queryable)]
pub struct AxisRow {
    pub id: i64,
    pub plan_id: i64,
    pub position: i32,
    pub title: String,
    pub description: String,
}

pub fn axes_of(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<AxisRow>> {
    plan_axes::table.filter(plan_axes::plan_id.eq(plan_id)).order((plan_axes::position, plan_axes::id)).load(conn)
}

#[derive(Debug, PartialEq, Eq)]
pub enum AxisOutcome {
    Added(i64),
    /// An axis of that title exists (a double click lands here too).
    Exists(i64),
    Frozen(Frozen),
}

pub fn add_axis(conn: &mut DbConnection, place: Place, axis: &AxisFields, by: i64) -> QueryResult<AxisOutcome> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(AxisOutcome::Frozen(frozen));
    }
    let existing: Option<i64> = plan_axes::table
        .filter(plan_axes::plan_id.eq(plan.id))
        .filter(plan_axes::title.eq(&axis.title))
        .select(plan_axes::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(AxisOutcome::Exists(id));
    }
    let position: Option<i32> = plan_axes::table
        .filter(plan_axes::plan_id.eq(plan.id))
        .select(diesel::dsl::max(plan_axes::position))
        .first(conn)?;
    let id = diesel::insert_into(plan_axes::table)
        .values((
            plan_axes::plan_id.eq(plan.id),
            plan_axes::position.eq(position.unwrap_or(0) + 1),
            plan_axes::title.eq(&axis.title),
            plan_axes::description.eq(&axis.description),
        ))
        .returning(plan_axes::id)
        .get_result(conn)?;
    touch(conn, &plan, by)?;
    Ok(AxisOutcome::Added(id))
}

/// Renames an axis or changes its description; false if it is not the plan's, or the title is another axis's.
pub fn update_axis(
    conn: &mut DbConnection,
    place: Place,
    axis_id: i64,
    axis: &AxisFields,
    by: i64,
) -> QueryResult<Result<bool, Frozen>> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(Err(frozen));
    }
    let taken: i64 = plan_axes::table
        .filter(plan_axes::plan_id.eq(plan.id))
        .filter(plan_axes::title.eq(&axis.title))
        .filter(plan_axes::id.ne(axis_id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(Ok(false));
    }
    let changed =
        diesel::update(plan_axes::table.filter(plan_axes::id.eq(axis_id)).filter(plan_axes::plan_id.eq(plan.id)))
            .set((plan_axes::title.eq(&axis.title), plan_axes::description.eq(&axis.description)))
            .execute(conn)?;
    touch(conn, &plan, by)?;
    Ok(Ok(changed == 1))
}

/// Moves an axis one place up or down; nothing happens at either end.
pub fn move_axis(
    conn: &mut DbConnection,
    place: Place,
    axis_id: i64,
    up: bool,
    by: i64,
) -> QueryResult<Result<(), Frozen>> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(Err(frozen));
    }
    let order: Vec<(i64, i32)> = axes_of(conn, plan.id)?.into_iter().map(|a| (a.id, a.position)).collect();
    if let Some((a, b)) = neighbours(&order, axis_id, up) {
        diesel::update(plan_axes::table.find(a.0)).set(plan_axes::position.eq(b.1)).execute(conn)?;
        diesel::update(plan_axes::table.find(b.0)).set(plan_axes::position.eq(a.1)).execute(conn)?;
        touch(conn, &plan, by)?;
    }
    Ok(Ok(()))
}

/// Moves an action one place up or down among the actions of its axis.
pub fn move_action(
    conn: &mut DbConnection,
    place: Place,
    action_id: i64,
    up: bool,
    by: i64,
) -> QueryResult<Result<(), Frozen>> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(Err(frozen));
    }
    let Some(action) = find_action(conn, place, action_id)? else { return Ok(Ok(())) };
    let order: Vec<(i64, i32)> = actions_of_territory(conn, place)?
        .into_iter()
        .filter(|a| a.axis_id == action.axis_id)
        .map(|a| (a.id, a.position))
        .collect();
    if let Some((a, b)) = neighbours(&order, action_id, up) {
        diesel::update(actions::table.find(a.0)).set(actions::position.eq(b.1)).execute(conn)?;
        diesel::update(actions::table.find(b.0)).set(actions::position.eq(a.1)).execute(conn)?;
        touch(conn, &plan, by)?;
    }
    Ok(Ok(()))
}

/// The item and the one it trades places with, in an order of (id, position) read by position: their positions are
/// distinct (each is the greatest so far plus one when written), so a swap keeps them so.
fn neighbours(order: &[(i64, i32)], id: i64, up: bool) -> Option<((i64, i32), (i64, i32))> {
    let at = order.iter().position(|(i, _)| *i == id)?;
    let other = if up { at.checked_sub(1)? } else { at + 1 };
    Some((order[at], *order.get(other)?))
}

/// Removes an axis; its actions wait « à classer ».
pub fn remove_axis(conn: &mut DbConnection, place: Place, axis_id: i64, by: i64) -> QueryResult<Result<(), Frozen>> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(Err(frozen));
    }
    diesel::delete(plan_axes::table.filter(plan_axes::id.eq(axis_id)).filter(plan_axes::plan_id.eq(plan.id)))
        .execute(conn)?;
    touch(conn, &plan, by)?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------------------------------------------------------
// Actions

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions)]
pub struct ActionRow {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub axis_id: Option<i64>,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub lead_name: String,
    pub lead_entry_id: Option<i64>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub budget_cents: Option<i64>,
    pub status: String,
    pub status_reason: String,
    pub priority: i32,
    pub progress_mode: String,
    pub progress_manual: Option<i32>,
    pub late_override: Option<String>,
    pub late_reason: String,
    pub revision: i32,
    pub workshop_id: Option<i64>,
    pub cluster_id: Option<i64>,
    pub idea_id: Option<i64>,
    pub lineage: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

impl ActionRow {
    pub fn status(&self) -> ActionStatus {
        ActionStatus::parse(&self.status).unwrap_or(ActionStatus::Planned)
    }

    pub fn progress_mode(&self) -> ProgressMode {
        ProgressMode::parse(&self.progress_mode).unwrap_or(ProgressMode::Indicators)
    }

    pub fn late_override(&self) -> Option<LateOverride> {
        self.late_override.as_deref().and_then(|c| LateOverride::parse(c).ok().flatten())
    }
}

pub fn find_action(conn: &mut DbConnection, place: Place, action_id: i64) -> QueryResult<Option<ActionRow>> {
    actions::table
        .filter(actions::id.eq(action_id))
        .filter(actions::project_id.eq(place.project_id))
        .filter(actions::collectivity_id.eq(place.collectivity_id))
        .select(ActionRow::as_select())
        .first(conn)
        .optional()
}

fn actions_of_territory(conn: &mut DbConnection, place: Place) -> QueryResult<Vec<ActionRow>> {
    actions::table
        .filter(actions::project_id.eq(place.project_id))
        .filter(actions::collectivity_id.eq(place.collectivity_id))
        .order((actions::position, actions::id))
        .select(ActionRow::as_select())
        .load(conn)
}

/// Whether the sheet is an actor of the territory's diagnostic (lead or partner).
fn is_actor_of(conn: &mut DbConnection, place: Place, entry_id: i64) -> QueryResult<bool> {
    let count: i64 = map_entries::table
        .filter(map_entries::id.eq(entry_id))
        .filter(map_entries::project_id.eq(place.project_id))
        .filter(map_entries::collectivity_id.eq(place.collectivity_id))
        .filter(map_entries::kind.eq("actor"))
        .count()
        .get_result(conn)?;
    Ok(count == 1)
}

/// Why the content of an action was refused beyond its fields.
#[derive(Debug, PartialEq, Eq)]
pub enum ContentRefusal {
    Frozen(Frozen),
    /// The axis is not the plan's.
    UnknownAxis,
    /// A lead or partner that is not an actor of the territory's diagnostic.
    UnknownActor,
}

fn check_content(
    conn: &mut DbConnection,
    place: Place,
    plan: &PlanRow,
    axis_id: Option<i64>,
    fields: &ActionContentFields,
) -> QueryResult<Result<(), ContentRefusal>> {
    if let Err(frozen) = editable(plan) {
        return Ok(Err(ContentRefusal::Frozen(frozen)));
    }
    if let Some(axis) = axis_id {
        let found: i64 = plan_axes::table
            .filter(plan_axes::id.eq(axis))
            .filter(plan_axes::plan_id.eq(plan.id))
            .count()
            .get_result(conn)?;
        if found == 0 {
            return Ok(Err(ContentRefusal::UnknownAxis));
        }
    }
    for entry in fields.lead_entry_id.iter().chain(&fields.partner_entry_ids) {
        if !is_actor_of(conn, place, *entry)? {
            return Ok(Err(ContentRefusal::UnknownActor));
        }
    }
    Ok(Ok(()))
}

fn write_partners_and_fundings(
    conn: &mut DbConnection,
    action_id: i64,
    fields: &ActionContentFields,
) -> QueryResult<()> {
    diesel::delete(action_partners::table.filter(action_partners::action_id.eq(action_id))).execute(conn)?;
    diesel::delete(action_fundings::table.filter(action_fundings::action_id.eq(action_id))).execute(conn)?;
    let mut seen = Vec::new();
    for entry in &fields.partner_entry_ids {
        if seen.contains(entry) {
            continue;
        }
        seen.push(*entry);
        diesel::insert_into(action_partners::table)
            .values((action_partners::action_id.eq(action_id), action_partners::entry_id.eq(Some(*entry))))
            .execute(conn)?;
    }
    for name in &fields.partners {
        diesel::insert_into(action_partners::table)
            .values((action_partners::action_id.eq(action_id), action_partners::name.eq(name)))
            .execute(conn)?;
    }
    for funding in &fields.fundings {
        diesel::insert_into(action_fundings::table)
            .values((
                action_fundings::action_id.eq(action_id),
                action_fundings::funder.eq(&funding.funder),
                action_fundings::amount_cents.eq(funding.amount_cents),
                action_fundings::secured.eq(funding.secured),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds an action to the plan (in an axis, or « à classer »). A second click with the same title in the same axis
/// within the minute lands on the first.
pub fn add_action(
    conn: &mut DbConnection,
    place: Place,
    axis_id: Option<i64>,
    fields: &ActionContentFields,
    by: i64,
    territory: &str,
) -> QueryResult<Result<i64, ContentRefusal>> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(refusal) = check_content(conn, place, &plan, axis_id, fields)? {
        return Ok(Err(refusal));
    }
    let at = now();
    let recent: Option<i64> = actions::table
        .filter(actions::project_id.eq(place.project_id))
        .filter(actions::collectivity_id.eq(place.collectivity_id))
        .filter(actions::title.eq(&fields.title))
        .filter(actions::created_by.eq(Some(by)))
        .filter(actions::created_at.gt(at - chrono::TimeDelta::minutes(1)))
        .select(actions::id)
        .first(conn)
        .optional()?;
    if let Some(id) = recent {
        return Ok(Ok(id));
    }
    let id = insert_action(conn, place, axis_id, fields, ActionStatus::Planned, by)?;
    touch(conn, &plan, by)?;
    let summary = format!("Action ajoutée au plan {} : « {} ».", de(territory), fields.title);
    record(conn, place, Some(by), ActivityKind::PlanUpdated, false, summary)?;
    Ok(Ok(id))
}

/// Writes a new action of the plan, last in its order, with its partners and funding.
fn insert_action(
    conn: &mut DbConnection,
    place: Place,
    axis_id: Option<i64>,
    fields: &ActionContentFields,
    status: ActionStatus,
    by: i64,
) -> QueryResult<i64> {
    let at = now();
    let position: Option<i32> = actions::table
        .filter(actions::project_id.eq(place.project_id))
        .filter(actions::collectivity_id.eq(place.collectivity_id))
        .select(diesel::dsl::max(actions::position))
        .first(conn)?;
    let id: i64 = diesel::insert_into(actions::table)
        .values((
            actions::project_id.eq(place.project_id),
            actions::collectivity_id.eq(place.collectivity_id),
            actions::axis_id.eq(axis_id),
            actions::position.eq(position.unwrap_or(0) + 1),
            actions::title.eq(&fields.title),
            actions::description.eq(&fields.description),
            actions::lead_name.eq(&fields.lead_name),
            actions::lead_entry_id.eq(fields.lead_entry_id),
            actions::starts_on.eq(fields.starts_on),
            actions::ends_on.eq(fields.ends_on),
            actions::budget_cents.eq(fields.budget_cents),
            actions::priority.eq(fields.priority.code()),
            actions::status.eq(status.code()),
            // An imported action paused or abandoned says why in the file's description.
            actions::status_reason.eq(if status.needs_reason() { "Indiqué dans le tableur importé." } else { "" }),
            actions::created_by.eq(Some(by)),
            actions::created_at.eq(at),
            actions::updated_by.eq(Some(by)),
            actions::updated_at.eq(at),
        ))
        .returning(actions::id)
        .get_result(conn)?;
    write_partners_and_fundings(conn, id, fields)?;
    Ok(id)
}

/// What an import wrote: (axes created, actions, indicators).
#[derive(Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported {
        axes: usize,
        actions: usize,
        indicators: usize,
    },
    /// Actions of the file the plan has already (by title, in the same axis): nothing is written.
    Duplicates(Vec<String>),
    Frozen(Frozen),
}

/// Writes a plan's spreadsheet, all of it or nothing: axes (an existing one of the same title is reused), actions,
/// their indicators and targets.
pub fn import_plan(
    conn: &mut DbConnection,
    place: Place,
    imported: &[crate::import::plan::ImportedAction],
    by: i64,
    territory: &str,
) -> QueryResult<ImportOutcome> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(ImportOutcome::Frozen(frozen));
    }
    let mut axes = axes_of(conn, plan.id)?;
    let existing = actions_of_territory(conn, place)?;
    let folded = |t: &str| crate::domain::text::fold(t);
    let duplicates: Vec<String> = imported
        .iter()
        .filter(|i| {
            let axis = axes.iter().find(|a| a.title == i.axis.title).map(|a| a.id);
            axis.is_some() && existing.iter().any(|e| e.axis_id == axis && folded(&e.title) == folded(&i.fields.title))
        })
        .map(|i| {
            format!(
                "Ligne {} : l’action « {} » est déjà dans l’axe « {} » du plan.",
                i.line, i.fields.title, i.axis.title
            )
        })
        .collect();
    if !duplicates.is_empty() {
        return Ok(ImportOutcome::Duplicates(duplicates));
    }
    let (mut new_axes, mut indicators_written) = (0, 0);
    for action in imported {
        let axis_id = match axes.iter().find(|a| a.title == action.axis.title) {
            Some(axis) => axis.id,
            None => {
                let AxisOutcome::Added(id) = add_axis(conn, place, &action.axis, by)? else {
                    return Err(DbError::NotFound);
                };
                new_axes += 1;
                axes = axes_of(conn, plan.id)?;
                id
            }
        };
        let id = insert_action(conn, place, Some(axis_id), &action.fields, action.status, by)?;
        for (_, indicator) in &action.indicators {
            let indicator_id: i64 = diesel::insert_into(indicators::table)
                .values((
                    indicators::action_id.eq(id),
                    indicators::name.eq(&indicator.name),
                    indicators::unit.eq(&indicator.unit),
                    indicators::direction.eq(indicator.direction.code()),
                    indicators::frequency.eq(indicator.frequency.code()),
                    indicators::source.eq(&indicator.source),
                    indicators::method.eq(&indicator.method),
                    indicators::baseline_on.eq(indicator.baseline.map(|b| b.0)),
                    indicators::baseline_value.eq(indicator.baseline.map(|b| b.1)),
                    indicators::created_at.eq(now()),
                ))
                .returning(indicators::id)
                .get_result(conn)?;
            write_targets(conn, indicator_id, &indicator.targets)?;
            indicators_written += 1;
        }
    }
    touch(conn, &plan, by)?;
    let summary = format!("{} action(s) importée(s) dans le plan {}.", imported.len(), de(territory));
    record(conn, place, Some(by), ActivityKind::PlanUpdated, false, summary)?;
    Ok(ImportOutcome::Imported { axes: new_axes, actions: imported.len(), indicators: indicators_written })
}

/// An action's content as its form shows it, read back to compare with what someone sends.
pub fn content_fields(conn: &mut DbConnection, action: &ActionRow) -> QueryResult<ActionContentFields> {
    let partners: Vec<(Option<i64>, String)> = action_partners::table
        .filter(action_partners::action_id.eq(action.id))
        .order(action_partners::id)
        .select((action_partners::entry_id, action_partners::name))
        .load(conn)?;
    Ok(ActionContentFields {
        title: action.title.clone(),
        description: action.description.clone(),
        lead_name: action.lead_name.clone(),
        lead_entry_id: action.lead_entry_id,
        partner_entry_ids: partners.iter().filter_map(|(e, _)| *e).collect(),
        partners: partners.into_iter().filter(|(e, _)| e.is_none()).map(|(_, n)| n).collect(),
        starts_on: action.starts_on,
        ends_on: action.ends_on,
        budget_cents: action.budget_cents,
        fundings: fundings_of(conn, &[action.id])?.remove(&action.id).unwrap_or_default(),
        priority: crate::domain::plan::Priority::from_code(action.priority),
    })
}

/// Saves an action's content and axis if it is still at `revision`; the plan must be a draft.
pub fn save_action_content(
    conn: &mut DbConnection,
    place: Place,
    action_id: i64,
    revision: i32,
    axis_id: Option<i64>,
    fields: &ActionContentFields,
    by: i64,
) -> QueryResult<Result<Saved<(ActionRow, ActionContentFields)>, ContentRefusal>> {
    let plan = lock_plan(conn, place, by)?;
    let Some(action) = find_action(conn, place, action_id)? else { return Err(DbError::NotFound) };
    if let Err(refusal) = check_content(conn, place, &plan, axis_id, fields)? {
        return Ok(match refusal {
            ContentRefusal::Frozen(frozen) => Ok(Saved::Frozen(frozen)),
            other => Err(other),
        });
    }
    let current = content_fields(conn, &action)?;
    if current == *fields && action.axis_id == axis_id {
        return Ok(Ok(Saved::Unchanged));
    }
    if action.revision != revision {
        return Ok(Ok(Saved::Conflict((action, current))));
    }
    let updated =
        diesel::update(actions::table.filter(actions::id.eq(action_id)).filter(actions::revision.eq(revision)))
            .set((
                actions::axis_id.eq(axis_id),
                actions::title.eq(&fields.title),
                actions::description.eq(&fields.description),
                actions::lead_name.eq(&fields.lead_name),
                actions::lead_entry_id.eq(fields.lead_entry_id),
                actions::starts_on.eq(fields.starts_on),
                actions::ends_on.eq(fields.ends_on),
                actions::budget_cents.eq(fields.budget_cents),
                actions::priority.eq(fields.priority.code()),
                actions::revision.eq(revision + 1),
                actions::updated_by.eq(Some(by)),
                actions::updated_at.eq(now()),
            ))
            .execute(conn)?;
    if updated != 1 {
        return Ok(Ok(Saved::Conflict((action, current))));
    }
    write_partners_and_fundings(conn, action_id, fields)?;
    touch(conn, &plan, by)?;
    Ok(Ok(Saved::Saved))
}

/// An action's progress as its form shows it.
pub fn progress_fields(conn: &mut DbConnection, action: &ActionRow) -> QueryResult<ProgressFields> {
    Ok(ProgressFields {
        status: action.status(),
        status_reason: action.status_reason.clone(),
        progress_mode: action.progress_mode(),
        progress_manual: action.progress_manual,
        late_override: action.late_override(),
        late_reason: action.late_reason.clone(),
        milestones: milestones_of(conn, &[action.id])?.remove(&action.id).unwrap_or_default(),
    })
}

/// Saves where an action stands (status, progress, lateness, milestones) if it is still at `revision`: carried
/// out, not adopted, so allowed whatever the plan's state. A change of status is told in the activity (publicly
/// once the plan is adopted).
pub fn save_action_progress(
    conn: &mut DbConnection,
    place: Place,
    action_id: i64,
    revision: i32,
    fields: &ProgressFields,
    by: i64,
) -> QueryResult<Saved<(ActionRow, ProgressFields)>> {
    let plan = lock_plan(conn, place, by)?;
    let Some(action) = find_action(conn, place, action_id)? else { return Err(DbError::NotFound) };
    let current = progress_fields(conn, &action)?;
    if current == *fields {
        return Ok(Saved::Unchanged);
    }
    if action.revision != revision {
        return Ok(Saved::Conflict((action, current)));
    }
    write_progress(conn, &action, fields, by)?;
    if current.status != fields.status {
        tell_status(conn, &plan, &action, fields.status, by)?;
    }
    Ok(Saved::Saved)
}

fn write_progress(conn: &mut DbConnection, action: &ActionRow, fields: &ProgressFields, by: i64) -> QueryResult<()> {
    let reason = if fields.status.needs_reason() { fields.status_reason.as_str() } else { "" };
    diesel::update(actions::table.find(action.id))
        .set((
            actions::status.eq(fields.status.code()),
            actions::status_reason.eq(reason),
            actions::progress_mode.eq(fields.progress_mode.code()),
            actions::progress_manual.eq(fields.progress_manual),
            actions::late_override.eq(fields.late_override.map(LateOverride::code)),
            actions::late_reason.eq(if fields.late_override.is_some() { fields.late_reason.as_str() } else { "" }),
            actions::revision.eq(action.revision + 1),
            actions::updated_by.eq(Some(by)),
            actions::updated_at.eq(now()),
        ))
        .execute(conn)?;
    diesel::delete(action_milestones::table.filter(action_milestones::action_id.eq(action.id))).execute(conn)?;
    for m in &fields.milestones {
        diesel::insert_into(action_milestones::table)
            .values((
                action_milestones::action_id.eq(action.id),
                action_milestones::title.eq(&m.title),
                action_milestones::due_on.eq(m.due_on),
                action_milestones::done_on.eq(m.done_on),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn tell_status(
    conn: &mut DbConnection,
    plan: &PlanRow,
    action: &ActionRow,
    status: ActionStatus,
    by: i64,
) -> QueryResult<()> {
    let summary = format!("L’action « {} » passe au statut « {} ».", action.title, status.label().to_lowercase());
    record(conn, plan.place(), Some(by), ActivityKind::ActionStatusChanged, plan.state() == PlanState::Adopted, summary)
}

/// Removes an action from a draft plan.
pub fn remove_action(
    conn: &mut DbConnection,
    place: Place,
    action_id: i64,
    by: i64,
) -> QueryResult<Result<(), Frozen>> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(Err(frozen));
    }
    diesel::delete(
        actions::table
            .filter(actions::id.eq(action_id))
            .filter(actions::project_id.eq(place.project_id))
            .filter(actions::collectivity_id.eq(place.collectivity_id)),
    )
    .execute(conn)?;
    touch(conn, &plan, by)?;
    Ok(Ok(()))
}

// ---------------------------------------------------------------------------------------------------------------
// What an action cites, and the working group's comments

/// What an action cites directly, as its page shows it: (evidence, label, questionnaire of a question).
pub type Cited = (Evidence, String, Option<i64>);

/// What each action cites directly, by action.
pub fn evidence_of(conn: &mut DbConnection, action_ids: &[i64]) -> QueryResult<HashMap<i64, Vec<Cited>>> {
    let mut out: HashMap<i64, Vec<Cited>> = HashMap::new();
    let sheets: Vec<(i64, i64, String)> = action_evidence::table
        .inner_join(map_entries::table)
        .filter(action_evidence::action_id.eq_any(action_ids))
        .select((action_evidence::action_id, map_entries::id, map_entries::name))
        .load(conn)?;
    for (action, id, name) in sheets {
        out.entry(action).or_default().push((Evidence::Sheet(id), name, None));
    }
    let sources: Vec<(i64, i64, String)> = action_evidence::table
        .inner_join(map_sources::table)
        .filter(action_evidence::action_id.eq_any(action_ids))
        .select((action_evidence::action_id, map_sources::id, map_sources::title))
        .load(conn)?;
    for (action, id, title) in sources {
        out.entry(action).or_default().push((Evidence::Source(id), title, None));
    }
    let asked: Vec<(i64, i64, String, i64)> = action_evidence::table
        .inner_join(questions::table)
        .filter(action_evidence::action_id.eq_any(action_ids))
        .select((action_evidence::action_id, questions::id, questions::label, questions::questionnaire_id))
        .load(conn)?;
    for (action, id, label, questionnaire) in asked {
        out.entry(action).or_default().push((Evidence::Question(id), label, Some(questionnaire)));
    }
    for cited in out.values_mut() {
        cited.sort();
    }
    Ok(out)
}

#[derive(Debug, PartialEq, Eq)]
pub enum CiteOutcome {
    Cited,
    /// Cited already: nothing more is written.
    AlreadyCited,
    /// Not something of the territory an action may cite.
    Refused,
    Frozen(Frozen),
}

/// An action cites a sheet, a source or a question of its territory (ideas are cited through the workshops).
pub fn cite(
    conn: &mut DbConnection,
    place: Place,
    action_id: i64,
    evidence: Evidence,
    by: i64,
) -> QueryResult<CiteOutcome> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(CiteOutcome::Frozen(frozen));
    }
    if find_action(conn, place, action_id)?.is_none()
        || matches!(evidence, Evidence::Idea(_))
        || !may_cite(conn, place, evidence)?
    {
        return Ok(CiteOutcome::Refused);
    }
    let (entry, source, question) = match evidence {
        Evidence::Sheet(id) => (Some(id), None, None),
        Evidence::Source(id) => (None, Some(id), None),
        Evidence::Question(id) => (None, None, Some(id)),
        Evidence::Idea(_) => return Ok(CiteOutcome::Refused),
    };
    let inserted = insert_once(conn, |conn| {
        diesel::insert_into(action_evidence::table)
            .values((
                action_evidence::action_id.eq(action_id),
                action_evidence::entry_id.eq(entry),
                action_evidence::source_id.eq(source),
                action_evidence::question_id.eq(question),
            ))
            .execute(conn)
    })?;
    Ok(if inserted { CiteOutcome::Cited } else { CiteOutcome::AlreadyCited })
}

pub fn uncite(
    conn: &mut DbConnection,
    place: Place,
    action_id: i64,
    evidence: Evidence,
    by: i64,
) -> QueryResult<Result<(), Frozen>> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(Err(frozen));
    }
    if find_action(conn, place, action_id)?.is_none() {
        return Ok(Ok(()));
    }
    let of_action = action_evidence::table.filter(action_evidence::action_id.eq(action_id));
    match evidence {
        Evidence::Sheet(id) => diesel::delete(of_action.filter(action_evidence::entry_id.eq(id))).execute(conn)?,
        Evidence::Source(id) => diesel::delete(of_action.filter(action_evidence::source_id.eq(id))).execute(conn)?,
        Evidence::Question(id) => {
            diesel::delete(of_action.filter(action_evidence::question_id.eq(id))).execute(conn)?
        }
        Evidence::Idea(_) => 0,
    };
    Ok(Ok(()))
}

#[derive(Debug, Clone, Queryable)]
pub struct Comment {
    pub id: i64,
    pub action_id: i64,
    pub author: Option<String>,
    pub body: String,
    pub created_at: NaiveDateTime,
}

pub fn comments_of(conn: &mut DbConnection, action_id: i64) -> QueryResult<Vec<Comment>> {
    action_comments::table
        .left_join(users::table.on(users::id.nullable().eq(action_comments::author_id)))
        .filter(action_comments::action_id.eq(action_id))
        .order(action_comments::created_at)
        .select((
            action_comments::id,
            action_comments::action_id,
            users::display_name.nullable(),
            action_comments::body,
            action_comments::created_at,
        ))
        .load(conn)
}

/// A comment on an action; the same text by the same person on the same action within a minute is written once.
pub fn add_comment(conn: &mut DbConnection, place: Place, action_id: i64, body: &str, by: i64) -> QueryResult<bool> {
    // Under the plan's lock, so that two clicks at once see each other.
    lock_plan(conn, place, by)?;
    let Some(action) = find_action(conn, place, action_id)? else { return Ok(false) };
    let at = now();
    let twice: i64 = action_comments::table
        .filter(action_comments::action_id.eq(action_id))
        .filter(action_comments::author_id.eq(Some(by)))
        .filter(action_comments::body.eq(body))
        .filter(action_comments::created_at.gt(at - chrono::TimeDelta::minutes(1)))
        .count()
        .get_result(conn)?;
    if twice > 0 {
        return Ok(true);
    }
    diesel::insert_into(action_comments::table)
        .values((
            action_comments::action_id.eq(action_id),
            action_comments::author_id.eq(Some(by)),
            action_comments::body.eq(body),
            action_comments::created_at.eq(at),
        ))
        .execute(conn)?;
    let summary = format!("Nouveau commentaire sur l’action « {} ».", action.title);
    record(conn, place, Some(by), ActivityKind::PlanUpdated, false, summary)?;
    Ok(true)
}

// ---------------------------------------------------------------------------------------------------------------
// Indicators

#[derive(Debug, Clone, Queryable)]
pub struct IndicatorRow {
    pub id: i64,
    pub action_id: i64,
    pub name: String,
    pub unit: String,
    pub direction: String,
    pub frequency: String,
    pub source: String,
    pub method: String,
    pub baseline_on: Option<NaiveDate>,
    pub baseline_value: Option<f64>,
    pub created_at: NaiveDateTime,
}

impl IndicatorRow {
    pub fn direction(&self) -> Direction {
        Direction::parse(&self.direction).unwrap_or(Direction::Up)
    }

    pub fn baseline(&self) -> Option<(NaiveDate, f64)> {
        self.baseline_on.zip(self.baseline_value)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct MeasurementRow {
    pub id: i64,
    pub indicator_id: i64,
    pub measured_on: NaiveDate,
    pub value: f64,
    pub estimated: bool,
    pub comment: String,
    pub entered_by: Option<String>,
    pub entered_at: NaiveDateTime,
}

/// An indicator with its targets and measurements, in date order.
#[derive(Debug, Clone)]
pub struct IndicatorDetail {
    pub row: IndicatorRow,
    pub targets: Vec<(NaiveDate, f64)>,
    pub measurements: Vec<MeasurementRow>,
    points: Vec<(NaiveDate, f64)>,
}

impl IndicatorDetail {
    pub fn series(&self) -> Series<'_> {
        Series {
            direction: self.row.direction(),
            baseline: self.row.baseline(),
            targets: &self.targets,
            measurements: &self.points,
        }
    }

    /// An indicator as an adopted version defined it (name, unit, direction, baseline, targets), with what was
    /// measured since under that name; `live` is none when the version being written has dropped it.
    pub fn adopted(adopted: &IndicatorContent, action_id: i64, live: Option<&IndicatorDetail>) -> IndicatorDetail {
        let measurements = live.map_or_else(Vec::new, |l| l.measurements.clone());
        IndicatorDetail {
            row: IndicatorRow {
                id: live.map_or(0, |l| l.row.id),
                action_id,
                name: adopted.name.clone(),
                unit: adopted.unit.clone(),
                direction: adopted.direction.clone(),
                frequency: live.map_or_else(String::new, |l| l.row.frequency.clone()),
                source: live.map_or_else(String::new, |l| l.row.source.clone()),
                method: live.map_or_else(String::new, |l| l.row.method.clone()),
                baseline_on: adopted.baseline.map(|b| b.0),
                baseline_value: adopted.baseline.map(|b| b.1),
                created_at: live.map_or_else(now, |l| l.row.created_at),
            },
            targets: adopted.targets.clone(),
            points: measurements.iter().map(|m| (m.measured_on, m.value)).collect(),
            measurements,
        }
    }

    pub fn fields(&self) -> IndicatorFields {
        IndicatorFields {
            name: self.row.name.clone(),
            unit: self.row.unit.clone(),
            direction: self.row.direction(),
            frequency: crate::domain::plan::Frequency::parse(&self.row.frequency)
                .unwrap_or(crate::domain::plan::Frequency::Yearly),
            source: self.row.source.clone(),
            method: self.row.method.clone(),
            baseline: self.row.baseline(),
            targets: self.targets.clone(),
        }
    }
}

fn indicators_of(conn: &mut DbConnection, action_ids: &[i64]) -> QueryResult<HashMap<i64, Vec<IndicatorDetail>>> {
    let rows: Vec<IndicatorRow> =
        indicators::table.filter(indicators::action_id.eq_any(action_ids)).order(indicators::id).load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut targets: HashMap<i64, Vec<(NaiveDate, f64)>> = HashMap::new();
    let target_rows: Vec<(i64, NaiveDate, f64)> = indicator_targets::table
        .filter(indicator_targets::indicator_id.eq_any(&ids))
        .order(indicator_targets::due_on)
        .select((indicator_targets::indicator_id, indicator_targets::due_on, indicator_targets::value))
        .load(conn)?;
    for (id, on, value) in target_rows {
        targets.entry(id).or_default().push((on, value));
    }
    let mut measured: HashMap<i64, Vec<MeasurementRow>> = HashMap::new();
    let measurement_rows: Vec<MeasurementRow> = measurements::table
        .left_join(users::table.on(users::id.nullable().eq(measurements::entered_by)))
        .filter(measurements::indicator_id.eq_any(&ids))
        .order(measurements::measured_on)
        .select((
            measurements::id,
            measurements::indicator_id,
            measurements::measured_on,
            measurements::value,
            measurements::estimated,
            measurements::comment,
            users::display_name.nullable(),
            measurements::entered_at,
        ))
        .load(conn)?;
    for m in measurement_rows {
        measured.entry(m.indicator_id).or_default().push(m);
    }
    let mut out: HashMap<i64, Vec<IndicatorDetail>> = HashMap::new();
    for row in rows {
        let measurements = measured.remove(&row.id).unwrap_or_default();
        let points = measurements.iter().map(|m| (m.measured_on, m.value)).collect();
        let detail =
            IndicatorDetail { targets: targets.remove(&row.id).unwrap_or_default(), measurements, points, row };
        out.entry(detail.row.action_id).or_default().push(detail);
    }
    Ok(out)
}

/// Whether the indicator is one of the territory's.
fn indicator_in(conn: &mut DbConnection, place: Place, indicator_id: i64) -> QueryResult<bool> {
    let found: i64 = indicators::table
        .inner_join(actions::table)
        .filter(indicators::id.eq(indicator_id))
        .filter(actions::project_id.eq(place.project_id))
        .filter(actions::collectivity_id.eq(place.collectivity_id))
        .count()
        .get_result(conn)?;
    Ok(found == 1)
}

#[derive(Debug, PartialEq, Eq)]
pub enum IndicatorOutcome {
    Saved(i64),
    /// The action has an indicator of that name already (a double click lands here too).
    NameTaken(i64),
    Frozen(Frozen),
}

fn write_targets(conn: &mut DbConnection, indicator_id: i64, targets: &[(NaiveDate, f64)]) -> QueryResult<()> {
    diesel::delete(indicator_targets::table.filter(indicator_targets::indicator_id.eq(indicator_id))).execute(conn)?;
    for (on, value) in targets {
        diesel::insert_into(indicator_targets::table)
            .values((
                indicator_targets::indicator_id.eq(indicator_id),
                indicator_targets::due_on.eq(on),
                indicator_targets::value.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Adds an indicator to an action (`indicator_id` none) or changes one: what it measures is the plan's content,
/// so only while the version is a draft.
pub fn save_indicator(
    conn: &mut DbConnection,
    place: Place,
    action_id: i64,
    indicator_id: Option<i64>,
    fields: &IndicatorFields,
    by: i64,
) -> QueryResult<IndicatorOutcome> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(IndicatorOutcome::Frozen(frozen));
    }
    if find_action(conn, place, action_id)?.is_none() {
        return Err(DbError::NotFound);
    }
    let same_name: Option<i64> = indicators::table
        .filter(indicators::action_id.eq(action_id))
        .filter(indicators::name.eq(&fields.name))
        .select(indicators::id)
        .first(conn)
        .optional()?;
    let values = (
        indicators::name.eq(&fields.name),
        indicators::unit.eq(&fields.unit),
        indicators::direction.eq(fields.direction.code()),
        indicators::frequency.eq(fields.frequency.code()),
        indicators::source.eq(&fields.source),
        indicators::method.eq(&fields.method),
        indicators::baseline_on.eq(fields.baseline.map(|b| b.0)),
        indicators::baseline_value.eq(fields.baseline.map(|b| b.1)),
    );
    let id = match indicator_id {
        None => {
            if let Some(existing) = same_name {
                return Ok(IndicatorOutcome::NameTaken(existing));
            }
            diesel::insert_into(indicators::table)
                .values((values, indicators::action_id.eq(action_id), indicators::created_at.eq(now())))
                .returning(indicators::id)
                .get_result(conn)?
        }
        Some(id) => {
            if same_name.is_some_and(|other| other != id) {
                return Ok(IndicatorOutcome::NameTaken(id));
            }
            let changed = diesel::update(
                indicators::table.filter(indicators::id.eq(id)).filter(indicators::action_id.eq(action_id)),
            )
            .set(values)
            .execute(conn)?;
            if changed != 1 {
                return Err(DbError::NotFound);
            }
            id
        }
    };
    write_targets(conn, id, &fields.targets)?;
    touch(conn, &plan, by)?;
    Ok(IndicatorOutcome::Saved(id))
}

pub fn remove_indicator(
    conn: &mut DbConnection,
    place: Place,
    indicator_id: i64,
    by: i64,
) -> QueryResult<Result<(), Frozen>> {
    let plan = lock_plan(conn, place, by)?;
    if let Err(frozen) = editable(&plan) {
        return Ok(Err(frozen));
    }
    if indicator_in(conn, place, indicator_id)? {
        diesel::delete(indicators::table.find(indicator_id)).execute(conn)?;
        touch(conn, &plan, by)?;
    }
    Ok(Ok(()))
}

#[derive(Debug, PartialEq)]
pub enum MeasureOutcome {
    Recorded,
    /// The same value at the same date was recorded already (a double click).
    AlreadyRecorded,
    /// Another value is recorded at that date: correct it or remove it first.
    DateTaken(f64),
}

/// Records a measurement: execution, allowed whatever the plan's state. `review` ties it to a follow-up review.
pub fn add_measurement(
    conn: &mut DbConnection,
    place: Place,
    indicator_id: i64,
    fields: &MeasurementFields,
    review: Option<i64>,
    by: i64,
) -> QueryResult<MeasureOutcome> {
    if !indicator_in(conn, place, indicator_id)? {
        return Err(DbError::NotFound);
    }
    let recorded_at = |conn: &mut DbConnection| -> QueryResult<Option<f64>> {
        measurements::table
            .filter(measurements::indicator_id.eq(indicator_id))
            .filter(measurements::measured_on.eq(fields.measured_on))
            .select(measurements::value)
            .first(conn)
            .optional()
    };
    // One value per date (`UNIQUE`): a second request for the same date, even at the same moment, is told what is
    // recorded there.
    let inserted = insert_once(conn, |conn| {
        diesel::insert_into(measurements::table)
            .values((
                measurements::indicator_id.eq(indicator_id),
                measurements::measured_on.eq(fields.measured_on),
                measurements::value.eq(fields.value),
                measurements::estimated.eq(fields.estimated),
                measurements::comment.eq(&fields.comment),
                measurements::review_id.eq(review),
                measurements::entered_by.eq(Some(by)),
                measurements::entered_at.eq(now()),
            ))
            .execute(conn)
    })?;
    if inserted {
        return Ok(MeasureOutcome::Recorded);
    }
    Ok(match recorded_at(conn)? {
        Some(value) if (value - fields.value).abs() < 1e-9 => MeasureOutcome::AlreadyRecorded,
        Some(value) => MeasureOutcome::DateTaken(value),
        // Removed in between: nothing stands at that date.
        None => MeasureOutcome::AlreadyRecorded,
    })
}

pub fn remove_measurement(
    conn: &mut DbConnection,
    place: Place,
    indicator_id: i64,
    measurement_id: i64,
) -> QueryResult<()> {
    if indicator_in(conn, place, indicator_id)? {
        diesel::delete(
            measurements::table
                .filter(measurements::id.eq(measurement_id))
                .filter(measurements::indicator_id.eq(indicator_id)),
        )
        .execute(conn)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// The whole plan, read at once

fn fundings_of(conn: &mut DbConnection, action_ids: &[i64]) -> QueryResult<HashMap<i64, Vec<Funding>>> {
    let rows: Vec<(i64, String, i64, bool)> = action_fundings::table
        .filter(action_fundings::action_id.eq_any(action_ids))
        .order(action_fundings::id)
        .select((
            action_fundings::action_id,
            action_fundings::funder,
            action_fundings::amount_cents,
            action_fundings::secured,
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<Funding>> = HashMap::new();
    for (action, funder, amount_cents, secured) in rows {
        out.entry(action).or_default().push(Funding { funder, amount_cents, secured });
    }
    Ok(out)
}

fn milestones_of(conn: &mut DbConnection, action_ids: &[i64]) -> QueryResult<HashMap<i64, Vec<Milestone>>> {
    let rows: Vec<(i64, String, NaiveDate, Option<NaiveDate>)> = action_milestones::table
        .filter(action_milestones::action_id.eq_any(action_ids))
        .order((action_milestones::due_on, action_milestones::id))
        .select((
            action_milestones::action_id,
            action_milestones::title,
            action_milestones::due_on,
            action_milestones::done_on,
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<Milestone>> = HashMap::new();
    for (action, title, due_on, done_on) in rows {
        out.entry(action).or_default().push(Milestone { title, due_on, done_on });
    }
    Ok(out)
}

/// A partner: an actor of the diagnostic (its sheet and name) or a name.
#[derive(Debug, Clone)]
pub struct Partner {
    pub entry_id: Option<i64>,
    pub name: String,
}

fn partners_of(conn: &mut DbConnection, action_ids: &[i64]) -> QueryResult<HashMap<i64, Vec<Partner>>> {
    let rows: Vec<(i64, Option<i64>, String, Option<String>)> = action_partners::table
        .left_join(map_entries::table)
        .filter(action_partners::action_id.eq_any(action_ids))
        .order(action_partners::id)
        .select((
            action_partners::action_id,
            action_partners::entry_id,
            action_partners::name,
            map_entries::name.nullable(),
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<Partner>> = HashMap::new();
    for (action, entry_id, name, entry_name) in rows {
        out.entry(action).or_default().push(Partner { entry_id, name: entry_name.unwrap_or(name) });
    }
    Ok(out)
}

/// An action with everything its pages show.
#[derive(Debug, Clone)]
pub struct ActionDetail {
    pub row: ActionRow,
    /// The lead: the actor's name when it is one, else the name typed.
    pub lead: String,
    pub partners: Vec<Partner>,
    pub fundings: Vec<Funding>,
    pub milestones: Vec<Milestone>,
    pub evidence: Vec<Cited>,
    pub indicators: Vec<IndicatorDetail>,
}

impl ActionDetail {
    pub fn progress(&self) -> Progress {
        let series: Vec<Series> = self.indicators.iter().map(IndicatorDetail::series).collect();
        Progress::of(self.row.progress_mode(), self.row.progress_manual, &series, &self.milestones)
    }

    pub fn lateness(&self, today: NaiveDate) -> Lateness {
        let declared = self.row.late_override().map(|o| (o, self.row.late_reason.as_str()));
        Lateness::of(self.row.status(), self.row.starts_on, self.row.ends_on, &self.milestones, declared, today)
    }

    /// This action as an adopted version holds it: its content from the version — a version being written stays in
    /// the working space — and what is carried out (status, progress, milestones, measurements) as it is today.
    pub fn as_adopted(&self, adopted: &ActionContent) -> ActionDetail {
        let row = ActionRow {
            title: adopted.title.clone(),
            description: adopted.description.clone(),
            starts_on: adopted.starts_on,
            ends_on: adopted.ends_on,
            budget_cents: adopted.budget_cents,
            priority: adopted.priority,
            ..self.row.clone()
        };
        let indicators = adopted
            .indicators
            .iter()
            .map(|i| {
                let live = self.indicators.iter().find(|l| l.row.name == i.name);
                IndicatorDetail::adopted(i, self.row.id, live)
            })
            .collect();
        ActionDetail {
            row,
            lead: adopted.lead.clone(),
            partners: adopted.partners.iter().map(|name| Partner { entry_id: None, name: name.clone() }).collect(),
            fundings: adopted.fundings.clone(),
            indicators,
            ..self.clone()
        }
    }

    pub fn secured_cents(&self) -> i64 {
        self.fundings.iter().filter(|f| f.secured).map(|f| f.amount_cents).sum()
    }

    pub fn content(&self) -> ActionContent {
        ActionContent {
            id: self.row.id,
            title: self.row.title.clone(),
            description: self.row.description.clone(),
            lead: self.lead.clone(),
            partners: self.partners.iter().map(|p| p.name.clone()).collect(),
            starts_on: self.row.starts_on,
            ends_on: self.row.ends_on,
            budget_cents: self.row.budget_cents,
            fundings: self.fundings.clone(),
            priority: self.row.priority,
            indicators: self
                .indicators
                .iter()
                .map(|i| IndicatorContent {
                    name: i.row.name.clone(),
                    unit: i.row.unit.clone(),
                    direction: i.row.direction.clone(),
                    baseline: i.row.baseline(),
                    targets: i.targets.clone(),
                })
                .collect(),
        }
    }
}

fn details_of(conn: &mut DbConnection, rows: Vec<ActionRow>) -> QueryResult<Vec<ActionDetail>> {
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let mut partners = partners_of(conn, &ids)?;
    let mut fundings = fundings_of(conn, &ids)?;
    let mut milestones = milestones_of(conn, &ids)?;
    let mut evidence = evidence_of(conn, &ids)?;
    let mut indicators = indicators_of(conn, &ids)?;
    let leads: Vec<i64> = rows.iter().filter_map(|a| a.lead_entry_id).collect();
    let lead_names: HashMap<i64, String> = map_entries::table
        .filter(map_entries::id.eq_any(&leads))
        .select((map_entries::id, map_entries::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| ActionDetail {
            lead: row.lead_entry_id.and_then(|e| lead_names.get(&e).cloned()).unwrap_or_else(|| row.lead_name.clone()),
            partners: partners.remove(&row.id).unwrap_or_default(),
            fundings: fundings.remove(&row.id).unwrap_or_default(),
            milestones: milestones.remove(&row.id).unwrap_or_default(),
            evidence: evidence.remove(&row.id).unwrap_or_default(),
            indicators: indicators.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

pub fn action_detail(conn: &mut DbConnection, place: Place, action_id: i64) -> QueryResult<Option<ActionDetail>> {
    let Some(row) = find_action(conn, place, action_id)? else { return Ok(None) };
    Ok(details_of(conn, vec![row])?.pop())
}

/// A territory's plan as its pages show it: the plan (none until first written), its axes, its actions.
pub struct PlanDetail {
    pub plan: Option<PlanRow>,
    pub axes: Vec<AxisRow>,
    pub actions: Vec<ActionDetail>,
}

impl PlanDetail {
    pub fn state(&self) -> PlanState {
        self.plan.as_ref().map_or(PlanState::Draft, PlanRow::state)
    }

    pub fn version(&self) -> i32 {
        self.plan.as_ref().map_or(1, |p| p.version)
    }

    pub fn actions_in(&self, axis_id: Option<i64>) -> impl Iterator<Item = &ActionDetail> {
        self.actions.iter().filter(move |a| a.row.axis_id == axis_id)
    }

    /// What changed since the latest adopted of `versions` (newest first), in French sentences; none when nothing
    /// was adopted.
    pub fn changes_since_adoption(&self, versions: &[Version]) -> Vec<String> {
        versions
            .iter()
            .find(|v| v.adoption.is_some())
            .map_or_else(Vec::new, |adopted| changes(&adopted.row.content(), &self.content()))
    }

    /// What a version of it freezes: its axes and their actions (those « à classer » are not part of the plan yet)
    /// and « l'étape d'après ».
    pub fn content(&self) -> PlanContent {
        PlanContent {
            axes: self
                .axes
                .iter()
                .map(|axis| AxisContent {
                    title: axis.title.clone(),
                    description: axis.description.clone(),
                    actions: self.actions_in(Some(axis.id)).map(ActionDetail::content).collect(),
                })
                .collect(),
            next_steps: self.plan.as_ref().map(PlanRow::next_steps).unwrap_or_default(),
        }
    }
}

pub fn plan_detail(conn: &mut DbConnection, place: Place) -> QueryResult<PlanDetail> {
    let plan = find_plan(conn, place)?;
    let axes = match &plan {
        Some(p) => axes_of(conn, p.id)?,
        None => Vec::new(),
    };
    let rows = actions_of_territory(conn, place)?;
    Ok(PlanDetail { plan, axes, actions: details_of(conn, rows)? })
}

// ---------------------------------------------------------------------------------------------------------------
// Versions, adoption, follow-up

#[derive(Debug, Clone, Queryable)]
pub struct VersionRow {
    pub id: i64,
    pub plan_id: i64,
    pub number: i32,
    pub content: String,
    pub state: String,
    pub submitted_by: Option<i64>,
    pub submitted_at: NaiveDateTime,
}

impl VersionRow {
    pub fn content(&self) -> PlanContent {
        serde_json::from_str(&self.content).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct AdoptionRow {
    pub version_id: i64,
    pub body: String,
    pub act_kind: String,
    pub act_number: String,
    pub adopted_on: NaiveDate,
    pub votes_for: i32,
    pub votes_against: i32,
    pub abstentions: i32,
    pub act_url: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

/// A version with its adoption (if adopted) and the name and size of its act's PDF (if one was uploaded).
#[derive(Debug, Clone)]
pub struct Version {
    pub row: VersionRow,
    pub adoption: Option<AdoptionRow>,
    pub act_file: Option<(String, i64)>,
}

/// The plan's versions, newest first.
pub fn versions_of(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<Version>> {
    let rows: Vec<VersionRow> = plan_versions::table
        .filter(plan_versions::plan_id.eq(plan_id))
        .order(plan_versions::number.desc())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut adopted: HashMap<i64, AdoptionRow> = adoptions::table
        .filter(adoptions::version_id.eq_any(&ids))
        .load::<AdoptionRow>(conn)?
        .into_iter()
        .map(|a| (a.version_id, a))
        .collect();
    let mut files: HashMap<i64, (String, i64)> = adoption_acts::table
        .filter(adoption_acts::version_id.eq_any(&ids))
        .select((adoption_acts::version_id, adoption_acts::file_name, adoption_acts::byte_size))
        .load::<(i64, String, i64)>(conn)?
        .into_iter()
        .map(|(v, name, size)| (v, (name, size)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| Version { adoption: adopted.remove(&row.id), act_file: files.remove(&row.id), row })
        .collect())
}

#[derive(Debug, PartialEq, Eq)]
pub enum SubmitOutcome {
    Submitted(i32),
    /// Submitted already (a double click): nothing more is written.
    AlreadySubmitted,
    Adopted,
    /// What is missing, in French.
    Incomplete(String),
}

/// Submits the draft for adoption: its content is frozen as version `plan.version`. It needs an axis, an action,
/// and every action placed in an axis.
pub fn submit(conn: &mut DbConnection, place: Place, by: i64, territory: &str) -> QueryResult<SubmitOutcome> {
    let plan = lock_plan(conn, place, by)?;
    match plan.state() {
        PlanState::Submitted => return Ok(SubmitOutcome::AlreadySubmitted),
        PlanState::Adopted => return Ok(SubmitOutcome::Adopted),
        PlanState::Draft => {}
    }
    let detail = plan_detail(conn, place)?;
    let unclassed: Vec<String> = detail.actions_in(None).map(|a| format!("« {} »", a.row.title)).collect();
    if !unclassed.is_empty() {
        return Ok(SubmitOutcome::Incomplete(format!("Classez d’abord dans un axe : {}.", unclassed.join(", "))));
    }
    if detail.actions.is_empty() {
        return Ok(SubmitOutcome::Incomplete("Le plan n’a encore aucune action.".into()));
    }
    let content = serde_json::to_string(&detail.content()).map_err(|e| DbError::SerializationError(Box::new(e)))?;
    diesel::insert_into(plan_versions::table)
        .values((
            plan_versions::plan_id.eq(plan.id),
            plan_versions::number.eq(plan.version),
            plan_versions::content.eq(&content),
            plan_versions::state.eq("submitted"),
            plan_versions::submitted_by.eq(Some(by)),
            plan_versions::submitted_at.eq(now()),
        ))
        .execute(conn)?;
    diesel::update(action_plans::table.find(plan.id))
        .set((
            action_plans::state.eq(PlanState::Submitted.code()),
            action_plans::updated_by.eq(Some(by)),
            action_plans::updated_at.eq(now()),
        ))
        .execute(conn)?;
    let summary = format!("Le plan d’action {} (version {}) est soumis à l’adoption.", de(territory), plan.version);
    record(conn, place, Some(by), ActivityKind::PlanSubmitted, false, summary)?;
    Ok(SubmitOutcome::Submitted(plan.version))
}

/// Takes a submitted version back to the draft (the executive asked for changes); false if it was not submitted.
pub fn withdraw_submission(conn: &mut DbConnection, place: Place, by: i64) -> QueryResult<bool> {
    let plan = lock_plan(conn, place, by)?;
    if plan.state() != PlanState::Submitted {
        return Ok(false);
    }
    diesel::delete(
        plan_versions::table
            .filter(plan_versions::plan_id.eq(plan.id))
            .filter(plan_versions::number.eq(plan.version))
            .filter(plan_versions::state.eq("submitted")),
    )
    .execute(conn)?;
    diesel::update(action_plans::table.find(plan.id))
        .set((
            action_plans::state.eq(PlanState::Draft.code()),
            action_plans::updated_by.eq(Some(by)),
            action_plans::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The act's PDF, checked by the caller (`domain::plan::check_pdf`).
pub struct ActFile<'a> {
    pub file_name: &'a str,
    pub content: &'a [u8],
}

#[derive(Debug, PartialEq, Eq)]
pub enum AdoptOutcome {
    /// Adopted; the follow-up meeting's event, when one was scheduled by this adoption.
    Adopted {
        version: i32,
        follow_up: Option<i64>,
    },
    AlreadyAdopted,
    /// Only a submitted version is adopted.
    NotSubmitted,
}

/// Records the adoption of the submitted version: the record, the act, the version and the plan adopted, and the
/// follow-up meeting six months on (an event of kind « suivi », unless one is still to come), all at once.
pub fn adopt(
    conn: &mut DbConnection,
    place: Place,
    fields: &AdoptionFields,
    act: Option<ActFile>,
    by: i64,
    territory: &str,
    project_title: &str,
) -> QueryResult<AdoptOutcome> {
    let plan = lock_plan(conn, place, by)?;
    match plan.state() {
        PlanState::Adopted => return Ok(AdoptOutcome::AlreadyAdopted),
        PlanState::Draft => return Ok(AdoptOutcome::NotSubmitted),
        PlanState::Submitted => {}
    }
    let version_id: i64 = plan_versions::table
        .filter(plan_versions::plan_id.eq(plan.id))
        .filter(plan_versions::number.eq(plan.version))
        .select(plan_versions::id)
        .first(conn)?;
    let at = now();
    diesel::insert_into(adoptions::table)
        .values((
            adoptions::version_id.eq(version_id),
            adoptions::body.eq(fields.body.code()),
            adoptions::act_kind.eq(fields.act_kind.code()),
            adoptions::act_number.eq(&fields.act_number),
            adoptions::adopted_on.eq(fields.adopted_on),
            adoptions::votes_for.eq(fields.votes_for),
            adoptions::votes_against.eq(fields.votes_against),
            adoptions::abstentions.eq(fields.abstentions),
            adoptions::act_url.eq(fields.act_url.as_deref()),
            adoptions::recorded_by.eq(Some(by)),
            adoptions::recorded_at.eq(at),
        ))
        .execute(conn)?;
    if let Some(file) = act {
        let digest = Sha256::digest(file.content);
        let sha256: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        diesel::insert_into(adoption_acts::table)
            .values((
                adoption_acts::version_id.eq(version_id),
                adoption_acts::file_name.eq(file.file_name),
                adoption_acts::content.eq(file.content),
                adoption_acts::byte_size.eq(file.content.len() as i64),
                adoption_acts::sha256.eq(sha256),
            ))
            .execute(conn)?;
    }
    diesel::update(plan_versions::table.find(version_id)).set(plan_versions::state.eq("adopted")).execute(conn)?;
    diesel::update(action_plans::table.find(plan.id))
        .set((
            action_plans::state.eq(PlanState::Adopted.code()),
            action_plans::updated_by.eq(Some(by)),
            action_plans::updated_at.eq(at),
        ))
        .execute(conn)?;
    let summary = format!(
        "Le plan d’action {} (version {}) est adopté : {} du {} ({} n° {}).",
        de(territory),
        plan.version,
        fields.body.label().to_lowercase(),
        fields.adopted_on.format("%d/%m/%Y"),
        fields.act_kind.label().to_lowercase(),
        fields.act_number
    );
    record(conn, place, Some(by), ActivityKind::PlanAdopted, true, summary)?;
    let follow_up = schedule_follow_up(conn, &plan, fields.adopted_on, by, territory, project_title)?;
    Ok(AdoptOutcome::Adopted { version: plan.version, follow_up })
}

/// The follow-up meeting six months after the adoption, unless the plan has one still to come.
fn schedule_follow_up(
    conn: &mut DbConnection,
    plan: &PlanRow,
    adopted_on: NaiveDate,
    by: i64,
    territory: &str,
    project_title: &str,
) -> QueryResult<Option<i64>> {
    if let Some(event_id) = plan.follow_up_event_id {
        let upcoming: i64 = events::table
            .filter(events::id.eq(event_id))
            .filter(events::starts_at.gt(now()))
            .count()
            .get_result(conn)?;
        if upcoming > 0 {
            return Ok(None);
        }
    }
    let day = follow_up_date(adopted_on);
    let at = |h| day.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default());
    let event = NewEvent {
        kind: EventKind::FollowUp,
        title: format!("Rendez-vous de suivi du plan d’action {}", de(territory)),
        description: "Six mois après l’adoption : où en est chaque action, les obstacles rencontrés et les moyens de \
                      les lever, les nouvelles mesures des indicateurs. Date et lieu à confirmer."
            .into(),
        starts_at: at(10),
        ends_at: at(12),
        place: Some(format!("{territory} (lieu à confirmer)")),
        online_url: None,
        collectivity_id: Some(plan.collectivity_id),
    };
    let id = super::events::insert_event(conn, plan.project_id, &event, by, project_title)?;
    diesel::update(action_plans::table.find(plan.id))
        .set(action_plans::follow_up_event_id.eq(Some(id)))
        .execute(conn)?;
    Ok(Some(id))
}

/// Opens a new version of an adopted plan: its content may change again; the adopted version stays the one that
/// holds (on the public page) until the next is adopted. False if the plan is not adopted.
pub fn open_new_version(conn: &mut DbConnection, place: Place, by: i64) -> QueryResult<bool> {
    let plan = lock_plan(conn, place, by)?;
    if plan.state() != PlanState::Adopted {
        return Ok(false);
    }
    diesel::update(action_plans::table.find(plan.id))
        .set((
            action_plans::state.eq(PlanState::Draft.code()),
            action_plans::version.eq(plan.version + 1),
            action_plans::updated_by.eq(Some(by)),
            action_plans::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The latest adopted version of the plan, if any.
pub fn adopted_version(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Option<Version>> {
    Ok(versions_of(conn, plan_id)?.into_iter().find(|v| v.adoption.is_some()))
}

/// An adopted plan as the public sees it: the adopted content, and its actions by id as that version holds them,
/// with what is carried out today (`ActionDetail::as_adopted`); an action removed since is not among them.
pub struct AdoptedPlan {
    pub name: String,
    pub version: Version,
    pub content: PlanContent,
    pub live: HashMap<i64, ActionDetail>,
}

impl AdoptedPlan {
    /// The measurements of an adopted action's indicator (by its name, as the version froze it), as carried out.
    pub fn measurements(&self, action_id: i64, indicator: &str) -> &[MeasurementRow] {
        self.live
            .get(&action_id)
            .and_then(|live| live.indicators.iter().find(|i| i.row.name == indicator))
            .map_or(&[], |i| i.measurements.as_slice())
    }
}

/// The territory's latest adopted plan, if any.
pub fn adopted_plan(conn: &mut DbConnection, place: Place) -> QueryResult<Option<AdoptedPlan>> {
    let Some(plan) = find_plan(conn, place)? else { return Ok(None) };
    let Some(version) = adopted_version(conn, plan.id)? else { return Ok(None) };
    let Some(territory) = super::collectivities::territory_of_collectivity(conn, place.collectivity_id)? else {
        return Ok(None);
    };
    let name = territory.name;
    let content = version.row.content();
    let today: HashMap<i64, ActionDetail> =
        plan_detail(conn, place)?.actions.into_iter().map(|a| (a.row.id, a)).collect();
    let live = content
        .actions()
        .filter_map(|(_, adopted)| today.get(&adopted.id).map(|a| (adopted.id, a.as_adopted(adopted))))
        .collect();
    Ok(Some(AdoptedPlan { name, content, version, live }))
}

/// The places whose plan has an adopted version, by plan: the public API's list.
pub fn places_with_adopted_plan(conn: &mut DbConnection) -> QueryResult<Vec<(i64, Place)>> {
    let adopted = plan_versions::table.filter(plan_versions::state.eq("adopted")).select(plan_versions::plan_id);
    let rows: Vec<(i64, i64, i64)> = action_plans::table
        .filter(action_plans::id.eq_any(adopted))
        .order(action_plans::id.asc())
        .select((action_plans::id, action_plans::project_id, action_plans::collectivity_id))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, project_id, collectivity_id)| (id, Place { project_id, collectivity_id })).collect())
}

/// Whether the territory's plan has an adopted version (a restitution tells what was decided).
pub fn has_adopted_version(conn: &mut DbConnection, place: Place) -> QueryResult<bool> {
    match find_plan(conn, place)? {
        Some(plan) => Ok(adopted_version(conn, plan.id)?.is_some()),
        None => Ok(false),
    }
}

/// The act's PDF of a version of the territory's plan: (file name, bytes).
pub fn act_file(conn: &mut DbConnection, place: Place, number: i32) -> QueryResult<Option<(String, Vec<u8>)>> {
    adoption_acts::table
        .inner_join(adoptions::table.inner_join(plan_versions::table.inner_join(action_plans::table)))
        .filter(action_plans::project_id.eq(place.project_id))
        .filter(action_plans::collectivity_id.eq(place.collectivity_id))
        .filter(plan_versions::number.eq(number))
        .select((adoption_acts::file_name, adoption_acts::content))
        .first(conn)
        .optional()
}

/// Where a territory's plan stands: (collectivity, state, version, date of its latest adoption).
pub type PlanStanding = (i64, PlanState, i32, Option<NaiveDate>);

/// Where each territory's plan of a project stands.
pub fn plans_of_project(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<PlanStanding>> {
    let plans: Vec<(i64, i64, String, i32)> = action_plans::table
        .filter(action_plans::project_id.eq(project_id))
        .select((action_plans::id, action_plans::collectivity_id, action_plans::state, action_plans::version))
        .load(conn)?;
    let ids: Vec<i64> = plans.iter().map(|p| p.0).collect();
    let adopted: Vec<(i64, NaiveDate)> = adoptions::table
        .inner_join(plan_versions::table)
        .filter(plan_versions::plan_id.eq_any(&ids))
        .select((plan_versions::plan_id, adoptions::adopted_on))
        .load(conn)?;
    Ok(plans
        .into_iter()
        .map(|(id, collectivity, state, version)| {
            let latest = adopted.iter().filter(|(p, _)| *p == id).map(|(_, d)| *d).max();
            (collectivity, PlanState::parse(&state), version, latest)
        })
        .collect())
}

/// The active participants of a project whose plan is not adopted (its current version), by name: the phase
/// guard's refusal names them.
pub fn territories_without_adopted_plan(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<String>> {
    let adopted: Vec<i64> = action_plans::table
        .filter(action_plans::project_id.eq(project_id))
        .filter(action_plans::state.eq(PlanState::Adopted.code()))
        .select(action_plans::collectivity_id)
        .load(conn)?;
    Ok(super::projects::active_participant_names(conn, project_id)?
        .into_iter()
        .filter(|(id, _)| !adopted.contains(id))
        .map(|(_, name)| name)
        .collect())
}

// ---------------------------------------------------------------------------------------------------------------
// Follow-up reviews

#[derive(Debug, Clone, Queryable)]
pub struct ReviewRow {
    pub id: i64,
    pub plan_id: i64,
    pub held_on: NaiveDate,
    pub event_id: Option<i64>,
    pub summary: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable)]
pub struct ReviewItem {
    pub id: i64,
    pub review_id: i64,
    pub action_id: i64,
    pub status: String,
    pub done: String,
    pub obstacles: String,
    pub means: String,
}

/// The plan's reviews, newest first, with their items.
pub fn reviews_of(conn: &mut DbConnection, plan_id: i64) -> QueryResult<Vec<(ReviewRow, Vec<ReviewItem>)>> {
    let reviews: Vec<ReviewRow> =
        plan_reviews::table.filter(plan_reviews::plan_id.eq(plan_id)).order(plan_reviews::held_on.desc()).load(conn)?;
    let ids: Vec<i64> = reviews.iter().map(|r| r.id).collect();
    let mut items: HashMap<i64, Vec<ReviewItem>> = HashMap::new();
    for item in review_items::table
        .filter(review_items::review_id.eq_any(&ids))
        .order(review_items::id)
        .load::<ReviewItem>(conn)?
    {
        items.entry(item.review_id).or_default().push(item);
    }
    Ok(reviews
        .into_iter()
        .map(|r| {
            let i = items.remove(&r.id).unwrap_or_default();
            (r, i)
        })
        .collect())
}

/// One action's part of a review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewLine {
    pub action_id: i64,
    pub status: ActionStatus,
    pub status_reason: String,
    pub done: String,
    pub obstacles: String,
    pub means: String,
}

/// A review as its form gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReview {
    pub held_on: NaiveDate,
    pub summary: String,
    pub lines: Vec<ReviewLine>,
    /// New measurements: (indicator, measurement at the review's date).
    pub measured: Vec<(i64, MeasurementFields)>,
}

#[derive(Debug, PartialEq)]
pub enum ReviewOutcome {
    Recorded(i64),
    /// A measurement given for an indicator that has another value at the review's date: (indicator, the value
    /// recorded); nothing is written.
    DateTaken(i64, f64),
    /// A review of that date exists: it is the one to read.
    Exists(i64),
    NotAdopted,
}

/// Records a follow-up review of an adopted plan: dated, kept; each action's status is brought to what the review
/// says (told in the activity), and the measurements given are recorded with it.
pub fn record_review(
    conn: &mut DbConnection,
    place: Place,
    review: &NewReview,
    by: i64,
    territory: &str,
) -> QueryResult<ReviewOutcome> {
    let NewReview { held_on, summary, lines, measured } = review;
    let held_on = *held_on;
    let plan = lock_plan(conn, place, by)?;
    if adopted_version(conn, plan.id)?.is_none() {
        return Ok(ReviewOutcome::NotAdopted);
    }
    let existing: Option<i64> = plan_reviews::table
        .filter(plan_reviews::plan_id.eq(plan.id))
        .filter(plan_reviews::held_on.eq(held_on))
        .select(plan_reviews::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(ReviewOutcome::Exists(id));
    }
    for (indicator_id, fields) in measured {
        let recorded: Option<f64> = measurements::table
            .filter(measurements::indicator_id.eq(indicator_id))
            .filter(measurements::measured_on.eq(fields.measured_on))
            .select(measurements::value)
            .first(conn)
            .optional()?;
        if let Some(value) = recorded.filter(|v| (v - fields.value).abs() >= 1e-9) {
            return Ok(ReviewOutcome::DateTaken(*indicator_id, value));
        }
    }
    let review_id: i64 = diesel::insert_into(plan_reviews::table)
        .values((
            plan_reviews::plan_id.eq(plan.id),
            plan_reviews::held_on.eq(held_on),
            plan_reviews::event_id.eq(plan.follow_up_event_id),
            plan_reviews::summary.eq(summary),
            plan_reviews::created_by.eq(Some(by)),
            plan_reviews::created_at.eq(now()),
        ))
        .returning(plan_reviews::id)
        .get_result(conn)?;
    for line in lines {
        let Some(action) = find_action(conn, place, line.action_id)? else { continue };
        diesel::insert_into(review_items::table)
            .values((
                review_items::review_id.eq(review_id),
                review_items::action_id.eq(action.id),
                review_items::status.eq(line.status.code()),
                review_items::done.eq(&line.done),
                review_items::obstacles.eq(&line.obstacles),
                review_items::means.eq(&line.means),
            ))
            .execute(conn)?;
        if action.status() != line.status {
            let mut progress = progress_fields(conn, &action)?;
            progress.status = line.status;
            progress.status_reason = line.status_reason.clone();
            write_progress(conn, &action, &progress, by)?;
            tell_status(conn, &plan, &action, line.status, by)?;
        }
    }
    for (indicator_id, fields) in measured {
        add_measurement(conn, place, *indicator_id, fields, Some(review_id), by)?;
    }
    let summary = format!("Revue de suivi du plan d’action {} du {}.", de(territory), held_on.format("%d/%m/%Y"));
    record(conn, place, Some(by), ActivityKind::PlanReviewed, true, summary)?;
    Ok(ReviewOutcome::Recorded(review_id))
}
