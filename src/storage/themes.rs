//! Themes and positions. Counts on `themes` are maintained by the same transaction that changes a position, so
//! the ranking reads one indexed table and never aggregates.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::schema::{collectivities, territories, theme_area_counts, theme_position_history, theme_positions, themes};
use super::territories::Territory;
use super::{now, DbConnection, DbError};
use crate::domain::activity::ActivityKind;
use crate::domain::theme::{Engagement, NewPosition, NewTheme, ThemeStatus};

#[derive(Debug, Clone, Queryable)]
pub struct Theme {
    pub id: i64,
    pub title: String,
    pub problem: String,
    pub why_it_matters: String,
    pub status: String,
    pub proposed_by: i64,
    pub proposer_collectivity_id: Option<i64>,
    pub merged_into_id: Option<i64>,
    pub positions_count: i32,
    pub participate_count: i32,
    pub observe_count: i32,
    pub interested_count: i32,
    pub opened_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Theme {
    pub fn status(&self) -> ThemeStatus {
        ThemeStatus::parse(&self.status).unwrap_or(ThemeStatus::Archived)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct Position {
    pub id: i64,
    pub theme_id: i64,
    pub collectivity_id: i64,
    pub stakes: String,
    pub engagement: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Position {
    pub fn engagement(&self) -> Engagement {
        Engagement::parse(&self.engagement).unwrap_or(Engagement::Interested)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct PositionChange {
    pub id: i64,
    pub theme_id: i64,
    pub collectivity_id: i64,
    pub user_id: i64,
    pub action: String,
    pub engagement: Option<String>,
    pub stakes: Option<String>,
    pub at: NaiveDateTime,
}

/// Records a proposal. The agency's own proposals open at once; a collectivity's wait for moderation.
pub fn insert_theme(
    conn: &mut DbConnection,
    theme: &NewTheme,
    proposed_by: i64,
    proposer_collectivity_id: Option<i64>,
    status: ThemeStatus,
) -> QueryResult<i64> {
    let at = now();
    diesel::insert_into(themes::table)
        .values((
            themes::title.eq(&theme.title),
            themes::problem.eq(&theme.problem),
            themes::why_it_matters.eq(&theme.why_it_matters),
            themes::status.eq(status.code()),
            themes::proposed_by.eq(proposed_by),
            themes::proposer_collectivity_id.eq(proposer_collectivity_id),
            themes::opened_at.eq((status == ThemeStatus::Open).then_some(at)),
            themes::created_at.eq(at),
            themes::updated_at.eq(at),
        ))
        .returning(themes::id)
        .get_result(conn)
}

/// Records a theme proposed by a person (for a collectivity, `proposer`: its id and name; else for the agency) and
/// tells it in the activity log. Call it inside `storage::write_transaction`.
pub fn propose_theme(
    conn: &mut DbConnection,
    theme: &NewTheme,
    proposed_by: i64,
    proposer: Option<(i64, &str)>,
    status: ThemeStatus,
) -> QueryResult<i64> {
    let id = insert_theme(conn, theme, proposed_by, proposer.map(|(id, _)| id), status)?;
    let who = proposer.map_or("L’agence", |(_, name)| name);
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(proposed_by),
            kind: ActivityKind::ThemeProposed,
            theme_id: Some(id),
            collectivity_id: proposer.map(|(id, _)| id),
            project_id: None,
            is_public: true,
            summary: format!("{who} propose le thème « {} ».", theme.title),
        },
    )?;
    Ok(id)
}

pub fn find_theme(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Theme>> {
    themes::table.find(id).first(conn).optional()
}

/// Themes of a status, most positioned first; ties go to the most intended participations, then the earliest open.
/// The themes every visitor reads (proposals aside), by id: the public API's list.
pub fn public_themes(conn: &mut DbConnection) -> QueryResult<Vec<Theme>> {
    themes::table.filter(themes::status.ne(ThemeStatus::Proposed.code())).order(themes::id.asc()).load(conn)
}

/// Positions on these themes by région and kind of territory, as (theme, région, kind, counts).
pub fn area_counts(conn: &mut DbConnection, theme_ids: &[i64]) -> QueryResult<Vec<(i64, String, String, Counts)>> {
    use super::schema::theme_area_counts as areas;
    let rows: Vec<(i64, String, String, i32, i32, i32, i32)> = areas::table
        .filter(areas::theme_id.eq_any(theme_ids))
        .filter(areas::positions_count.gt(0))
        .order((areas::theme_id, areas::region_code, areas::kind))
        .select((
            areas::theme_id,
            areas::region_code,
            areas::kind,
            areas::positions_count,
            areas::participate_count,
            areas::observe_count,
            areas::interested_count,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(theme, region, kind, total, participate, observe, interested)| {
            (theme, region, kind, Counts { total, participate, observe, interested })
        })
        .collect())
}

/// The published themes (merged ones aside) by title, as (id, title): a filter's choices.
pub fn published_titles(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    themes::table
        .filter(themes::status.ne(ThemeStatus::Proposed.code()))
        .filter(themes::merged_into_id.is_null())
        .order((themes::title.asc(), themes::id.asc()))
        .select((themes::id, themes::title))
        .load(conn)
}

pub fn ranked_themes(conn: &mut DbConnection, status: ThemeStatus, limit: i64, offset: i64) -> QueryResult<Vec<Theme>> {
    themes::table
        .filter(themes::status.eq(status.code()))
        .order((
            themes::positions_count.desc(),
            themes::participate_count.desc(),
            themes::opened_at.is_null(),
            themes::opened_at.asc(),
            themes::id.asc(),
        ))
        .limit(limit)
        .offset(offset)
        .load(conn)
}

/// Positions counted by intended engagement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: i32,
    pub participate: i32,
    pub observe: i32,
    pub interested: i32,
}

impl Counts {
    pub fn add(&mut self, engagement: &str) {
        self.total += 1;
        match Engagement::parse(engagement) {
            Ok(Engagement::Participate) => self.participate += 1,
            Ok(Engagement::Observe) => self.observe += 1,
            _ => self.interested += 1,
        }
    }

    pub fn of(theme: &Theme) -> Counts {
        Counts {
            total: theme.positions_count,
            participate: theme.participate_count,
            observe: theme.observe_count,
            interested: theme.interested_count,
        }
    }
}

/// The ranking counting only the positions of collectivities in `region` and/or of `kind`: themes without such a
/// position are left out. Same order as `ranked_themes`.
pub fn ranked_themes_among(
    conn: &mut DbConnection,
    status: ThemeStatus,
    region: Option<&str>,
    kind: Option<crate::domain::territory::TerritoryKind>,
) -> QueryResult<Vec<(Theme, Counts)>> {
    let mut query = theme_area_counts::table
        .inner_join(themes::table)
        .filter(themes::status.eq(status.code()))
        .select((
            theme_area_counts::theme_id,
            theme_area_counts::positions_count,
            theme_area_counts::participate_count,
            theme_area_counts::observe_count,
            theme_area_counts::interested_count,
        ))
        .into_boxed();
    if let Some(region) = region {
        query = query.filter(theme_area_counts::region_code.eq(region));
    }
    if let Some(kind) = kind {
        query = query.filter(theme_area_counts::kind.eq(kind.code()));
    }
    let mut counts: std::collections::HashMap<i64, Counts> = std::collections::HashMap::new();
    for (theme_id, total, participate, observe, interested) in query.load::<(i64, i32, i32, i32, i32)>(conn)? {
        let c = counts.entry(theme_id).or_default();
        c.total += total;
        c.participate += participate;
        c.observe += observe;
        c.interested += interested;
    }
    // Areas whose positions were all withdrawn keep a row of zeros.
    counts.retain(|_, c| c.total > 0);
    let ids: Vec<i64> = counts.keys().copied().collect();
    let mut ranked: Vec<(Theme, Counts)> = themes::table
        .filter(themes::id.eq_any(&ids))
        .load::<Theme>(conn)?
        .into_iter()
        .map(|theme| {
            let c = counts.get(&theme.id).copied().unwrap_or_default();
            (theme, c)
        })
        .collect();
    ranked.sort_by(|(a, ca), (b, cb)| {
        cb.total
            .cmp(&ca.total)
            .then(cb.participate.cmp(&ca.participate))
            .then(a.opened_at.is_none().cmp(&b.opened_at.is_none()))
            .then(a.opened_at.cmp(&b.opened_at))
            .then(a.id.cmp(&b.id))
    });
    Ok(ranked)
}

pub fn count_themes(conn: &mut DbConnection, status: ThemeStatus) -> QueryResult<i64> {
    themes::table.filter(themes::status.eq(status.code())).count().get_result(conn)
}

/// Opens or archives `theme` if its status is still the one read, and tells it in the activity log; false when
/// the status changed in between (nothing is written). The caller checks `may_become`.
pub fn change_status(conn: &mut DbConnection, theme: &Theme, to: ThemeStatus, actor_id: i64) -> QueryResult<bool> {
    let at = now();
    let target = themes::table.find(theme.id).filter(themes::status.eq(theme.status().code()));
    let updated = if to == ThemeStatus::Open {
        diesel::update(target)
            .set((themes::status.eq(to.code()), themes::opened_at.eq(Some(at)), themes::updated_at.eq(at)))
            .execute(conn)?
    } else {
        diesel::update(target).set((themes::status.eq(to.code()), themes::updated_at.eq(at))).execute(conn)?
    };
    if updated != 1 {
        return Ok(false);
    }
    let (kind, verb) = if to == ThemeStatus::Open {
        (ActivityKind::ThemeOpened, "ouvre aux positionnements")
    } else {
        (ActivityKind::ThemeArchived, "archive")
    };
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(actor_id),
            kind,
            theme_id: Some(theme.id),
            collectivity_id: None,
            project_id: None,
            is_public: true,
            summary: format!("L’agence {verb} le thème « {} ».", theme.title),
        },
    )?;
    Ok(true)
}

pub fn positions_of_theme(conn: &mut DbConnection, theme_id: i64) -> QueryResult<Vec<(Position, Territory)>> {
    theme_positions::table
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(theme_positions::theme_id.eq(theme_id))
        .select((theme_positions::all_columns, territories::all_columns))
        .order((theme_positions::created_at.asc(), theme_positions::id.asc()))
        .load(conn)
}

/// Every position on a theme every visitor reads (proposals aside), by theme then position: open data.
pub fn public_positions(conn: &mut DbConnection) -> QueryResult<Vec<(Position, Territory)>> {
    theme_positions::table
        .inner_join(collectivities::table.inner_join(territories::table))
        .inner_join(themes::table)
        .filter(themes::status.ne(ThemeStatus::Proposed.code()))
        .select((theme_positions::all_columns, territories::all_columns))
        .order((theme_positions::theme_id.asc(), theme_positions::id.asc()))
        .load(conn)
}

/// A collectivity's positions with their themes, most recently changed first.
pub fn positions_of_collectivity(conn: &mut DbConnection, collectivity_id: i64) -> QueryResult<Vec<(Position, Theme)>> {
    theme_positions::table
        .inner_join(themes::table)
        .filter(theme_positions::collectivity_id.eq(collectivity_id))
        .select((theme_positions::all_columns, themes::all_columns))
        .order(theme_positions::updated_at.desc())
        .load(conn)
}

pub fn find_position(conn: &mut DbConnection, theme_id: i64, collectivity_id: i64) -> QueryResult<Option<Position>> {
    theme_positions::table
        .filter(theme_positions::theme_id.eq(theme_id))
        .filter(theme_positions::collectivity_id.eq(collectivity_id))
        .first(conn)
        .optional()
}

pub fn history_of_theme(
    conn: &mut DbConnection,
    theme_id: i64,
    limit: i64,
) -> QueryResult<Vec<(PositionChange, Territory)>> {
    theme_position_history::table
        .inner_join(collectivities::table.on(collectivities::id.eq(theme_position_history::collectivity_id)))
        .inner_join(territories::table.on(territories::id.eq(collectivities::territory_id)))
        .filter(theme_position_history::theme_id.eq(theme_id))
        .select((theme_position_history::all_columns, territories::all_columns))
        .order((theme_position_history::at.desc(), theme_position_history::id.desc()))
        .limit(limit)
        .load(conn)
}

/// The région ('' if none) and kind of a collectivity's territory: the key of its positions' counts by area.
struct Area {
    region_code: String,
    kind: String,
}

fn area_of(conn: &mut DbConnection, collectivity_id: i64) -> QueryResult<Area> {
    let (region_code, kind): (Option<String>, String) = collectivities::table
        .inner_join(territories::table)
        .filter(collectivities::id.eq(collectivity_id))
        .select((territories::region_code, territories::kind))
        .first(conn)?;
    Ok(Area { region_code: region_code.unwrap_or_default(), kind })
}

/// Adds `total` to the theme's count of positions and `delta` to the count of `engagement`, on the theme and on
/// the area of the collectivity. Updating the theme row first also makes concurrent position changes on one theme
/// wait for each other (row lock on PostgreSQL, write lock on SQLite), so the area row is read and written by one
/// transaction at a time.
fn adjust_counts(
    conn: &mut DbConnection,
    theme_id: i64,
    area: &Area,
    engagement: Engagement,
    total: i32,
    delta: i32,
) -> QueryResult<()> {
    let theme = themes::table.find(theme_id);
    let theme_total = themes::positions_count.eq(themes::positions_count + total);
    match engagement {
        Engagement::Participate => diesel::update(theme)
            .set((theme_total, themes::participate_count.eq(themes::participate_count + delta)))
            .execute(conn),
        Engagement::Observe => diesel::update(theme)
            .set((theme_total, themes::observe_count.eq(themes::observe_count + delta)))
            .execute(conn),
        Engagement::Interested => diesel::update(theme)
            .set((theme_total, themes::interested_count.eq(themes::interested_count + delta)))
            .execute(conn),
    }?;
    let row = theme_area_counts::table.find((theme_id, area.region_code.as_str(), area.kind.as_str()));
    let area_total = theme_area_counts::positions_count.eq(theme_area_counts::positions_count + total);
    let updated = match engagement {
        Engagement::Participate => diesel::update(row)
            .set((area_total, theme_area_counts::participate_count.eq(theme_area_counts::participate_count + delta)))
            .execute(conn),
        Engagement::Observe => diesel::update(row)
            .set((area_total, theme_area_counts::observe_count.eq(theme_area_counts::observe_count + delta)))
            .execute(conn),
        Engagement::Interested => diesel::update(row)
            .set((area_total, theme_area_counts::interested_count.eq(theme_area_counts::interested_count + delta)))
            .execute(conn),
    }?;
    if updated == 0 {
        // The first position of this area on the theme: only an addition finds no row.
        let mut counts = Counts::default();
        counts.add(engagement.code());
        insert_area_counts(conn, theme_id, &area.region_code, &area.kind, counts)?;
    }
    Ok(())
}

fn insert_area_counts(
    conn: &mut DbConnection,
    theme_id: i64,
    region_code: &str,
    kind: &str,
    counts: Counts,
) -> QueryResult<()> {
    diesel::insert_into(theme_area_counts::table)
        .values((
            theme_area_counts::theme_id.eq(theme_id),
            theme_area_counts::region_code.eq(region_code),
            theme_area_counts::kind.eq(kind),
            theme_area_counts::positions_count.eq(counts.total),
            theme_area_counts::participate_count.eq(counts.participate),
            theme_area_counts::observe_count.eq(counts.observe),
            theme_area_counts::interested_count.eq(counts.interested),
        ))
        .execute(conn)?;
    Ok(())
}

fn record_change(
    conn: &mut DbConnection,
    theme_id: i64,
    collectivity_id: i64,
    user_id: i64,
    action: &str,
    position: Option<&NewPosition>,
) -> QueryResult<()> {
    diesel::insert_into(theme_position_history::table)
        .values((
            theme_position_history::theme_id.eq(theme_id),
            theme_position_history::collectivity_id.eq(collectivity_id),
            theme_position_history::user_id.eq(user_id),
            theme_position_history::action.eq(action),
            theme_position_history::engagement.eq(position.map(|p| p.engagement.code())),
            theme_position_history::stakes.eq(position.map(|p| p.stakes.as_str())),
            theme_position_history::at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum PositionOutcome {
    Taken,
    Changed,
    Withdrawn,
    /// The theme is not open (any more): nothing was written.
    ThemeClosed,
    /// There was no position to withdraw.
    NothingToWithdraw,
}

/// Takes or changes the collectivity's position, with its counts, history and activity entry. Call it inside
/// `storage::write_transaction`: the unique constraint on (theme, collectivity) settles a double submission.
pub fn take_position(
    conn: &mut DbConnection,
    theme_id: i64,
    collectivity_id: i64,
    user_id: i64,
    position: &NewPosition,
    collectivity_name: &str,
) -> QueryResult<PositionOutcome> {
    let Some(theme) = find_theme(conn, theme_id)? else { return Err(DbError::NotFound) };
    if !theme.status().accepts_positions() {
        return Ok(PositionOutcome::ThemeClosed);
    }
    let at = now();
    let area = area_of(conn, collectivity_id)?;
    let outcome = match find_position(conn, theme_id, collectivity_id)? {
        Some(existing) => {
            diesel::update(theme_positions::table.find(existing.id))
                .set((
                    theme_positions::stakes.eq(&position.stakes),
                    theme_positions::engagement.eq(position.engagement.code()),
                    theme_positions::updated_at.eq(at),
                ))
                .execute(conn)?;
            if existing.engagement() != position.engagement {
                adjust_counts(conn, theme_id, &area, existing.engagement(), 0, -1)?;
                adjust_counts(conn, theme_id, &area, position.engagement, 0, 1)?;
            }
            PositionOutcome::Changed
        }
        None => {
            diesel::insert_into(theme_positions::table)
                .values((
                    theme_positions::theme_id.eq(theme_id),
                    theme_positions::collectivity_id.eq(collectivity_id),
                    theme_positions::stakes.eq(&position.stakes),
                    theme_positions::engagement.eq(position.engagement.code()),
                    theme_positions::created_at.eq(at),
                    theme_positions::updated_at.eq(at),
                ))
                .execute(conn)?;
            adjust_counts(conn, theme_id, &area, position.engagement, 1, 1)?;
            PositionOutcome::Taken
        }
    };
    let (action, verb) = match outcome {
        PositionOutcome::Taken => ("positioned", "se positionne sur"),
        _ => ("changed", "modifie son positionnement sur"),
    };
    record_change(conn, theme_id, collectivity_id, user_id, action, Some(position))?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: if outcome == PositionOutcome::Taken {
                ActivityKind::PositionTaken
            } else {
                ActivityKind::PositionChanged
            },
            theme_id: Some(theme_id),
            collectivity_id: Some(collectivity_id),
            project_id: None,
            is_public: true,
            summary: format!(
                "{collectivity_name} {verb} « {} » ({}).",
                theme.title,
                position.engagement.label().to_lowercase()
            ),
        },
    )?;
    Ok(outcome)
}

/// Withdraws the collectivity's position while the theme is open.
pub fn withdraw_position(
    conn: &mut DbConnection,
    theme_id: i64,
    collectivity_id: i64,
    user_id: i64,
    collectivity_name: &str,
) -> QueryResult<PositionOutcome> {
    let Some(theme) = find_theme(conn, theme_id)? else { return Err(DbError::NotFound) };
    if !theme.status().accepts_positions() {
        return Ok(PositionOutcome::ThemeClosed);
    }
    let Some(existing) = find_position(conn, theme_id, collectivity_id)? else {
        return Ok(PositionOutcome::NothingToWithdraw);
    };
    // The DELETE decides between two concurrent withdrawals: only the one that removed the row adjusts counts.
    if diesel::delete(theme_positions::table.find(existing.id)).execute(conn)? == 0 {
        return Ok(PositionOutcome::NothingToWithdraw);
    }
    let area = area_of(conn, collectivity_id)?;
    adjust_counts(conn, theme_id, &area, existing.engagement(), -1, -1)?;
    record_change(conn, theme_id, collectivity_id, user_id, "withdrawn", None)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::PositionWithdrawn,
            theme_id: Some(theme_id),
            collectivity_id: Some(collectivity_id),
            project_id: None,
            is_public: true,
            summary: format!("{collectivity_name} retire son positionnement sur « {} ».", theme.title),
        },
    )?;
    Ok(PositionOutcome::Withdrawn)
}

/// Sets a theme's counts from its positions (after positions moved in bulk).
fn recount(conn: &mut DbConnection, theme_id: i64) -> QueryResult<()> {
    let positions: Vec<(String, Option<String>, String)> = theme_positions::table
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(theme_positions::theme_id.eq(theme_id))
        .select((theme_positions::engagement, territories::region_code, territories::kind))
        .load(conn)?;
    diesel::delete(theme_area_counts::table.filter(theme_area_counts::theme_id.eq(theme_id))).execute(conn)?;
    let mut areas: Vec<((String, String), Counts)> = Vec::new();
    for (engagement, region_code, kind) in &positions {
        let key = (region_code.clone().unwrap_or_default(), kind.clone());
        match areas.iter_mut().find(|(k, _)| *k == key) {
            Some((_, counts)) => counts.add(engagement),
            None => {
                let mut counts = Counts::default();
                counts.add(engagement);
                areas.push((key, counts));
            }
        }
    }
    for ((region_code, kind), counts) in areas {
        insert_area_counts(conn, theme_id, &region_code, &kind, counts)?;
    }
    let engagements: Vec<String> = positions.into_iter().map(|(engagement, _, _)| engagement).collect();
    let count = |e: Engagement| engagements.iter().filter(|x| x.as_str() == e.code()).count() as i32;
    diesel::update(themes::table.find(theme_id))
        .set((
            themes::positions_count.eq(engagements.len() as i32),
            themes::participate_count.eq(count(Engagement::Participate)),
            themes::observe_count.eq(count(Engagement::Observe)),
            themes::interested_count.eq(count(Engagement::Interested)),
            themes::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub struct MergeOutcome {
    /// Positions carried over to the target.
    pub moved: usize,
    /// Positions dropped because the collectivity had already positioned itself on the target.
    pub kept_on_target: usize,
}

/// Merges a duplicate into `target`: positions follow (a collectivity already positioned on the target keeps
/// that position), counts are recomputed, the duplicate is archived and points to the target, and the activity
/// log tells it. Call it inside `storage::write_transaction`; the caller checks the statuses.
pub fn merge_theme(conn: &mut DbConnection, source: &Theme, target: &Theme, user_id: i64) -> QueryResult<MergeOutcome> {
    let (source_id, target_id) = (source.id, target.id);
    let on_target: Vec<i64> = theme_positions::table
        .filter(theme_positions::theme_id.eq(target_id))
        .select(theme_positions::collectivity_id)
        .load(conn)?;
    let mut outcome = MergeOutcome { moved: 0, kept_on_target: 0 };
    let at = now();
    for position in theme_positions::table.filter(theme_positions::theme_id.eq(source_id)).load::<Position>(conn)? {
        if on_target.contains(&position.collectivity_id) {
            diesel::delete(theme_positions::table.find(position.id)).execute(conn)?;
            outcome.kept_on_target += 1;
        } else {
            diesel::update(theme_positions::table.find(position.id))
                .set((theme_positions::theme_id.eq(target_id), theme_positions::updated_at.eq(at)))
                .execute(conn)?;
            diesel::insert_into(theme_position_history::table)
                .values((
                    theme_position_history::theme_id.eq(target_id),
                    theme_position_history::collectivity_id.eq(position.collectivity_id),
                    theme_position_history::user_id.eq(user_id),
                    theme_position_history::action.eq("moved"),
                    theme_position_history::engagement.eq(Some(position.engagement.as_str())),
                    theme_position_history::stakes.eq(Some(position.stakes.as_str())),
                    theme_position_history::at.eq(at),
                ))
                .execute(conn)?;
            outcome.moved += 1;
        }
    }
    super::inspiration::move_to_theme(conn, source_id, target_id)?;
    diesel::update(themes::table.find(source_id))
        .set((themes::status.eq(ThemeStatus::Archived.code()), themes::merged_into_id.eq(Some(target_id))))
        .execute(conn)?;
    recount(conn, source_id)?;
    recount(conn, target_id)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::ThemeMerged,
            theme_id: Some(target_id),
            collectivity_id: None,
            project_id: None,
            is_public: true,
            summary: format!(
                "L’agence fusionne « {} » dans « {} » : {} positionnement(s) suivent.",
                source.title, target.title, outcome.moved
            ),
        },
    )?;
    Ok(outcome)
}
