//! Experience reports of the resource base: written and published by the agency or a provider, or proposed by a
//! collectivity and moderated by the agency; checked again by their owner (`checked_at`), who is reminded once per
//! check (`reminded_for`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::activity::public_content_changed;
use super::schema::{experience_reports, territories};
use super::territories::Territory;
use super::{is_unique_violation, now, DbConnection};
use crate::domain::inspiration::{links_text, parse_links, Link};
use crate::domain::resources::{EntryStatus, ReportText, CHECK_AFTER};

#[derive(Debug, Clone, Queryable)]
pub struct Report {
    pub id: i64,
    pub title: String,
    pub territory_id: i64,
    pub theme_id: Option<i64>,
    pub project_id: Option<i64>,
    pub method: String,
    pub duration: String,
    pub cost: String,
    pub done: String,
    pub results: String,
    pub difficulties: String,
    pub contact: String,
    pub links: String,
    pub status: String,
    pub refusal: Option<String>,
    /// The collectivity that proposed it, if one did.
    pub collectivity_id: Option<i64>,
    /// Who answers for it: its author, reminded to check it again.
    pub owner_id: Option<i64>,
    pub checked_at: NaiveDateTime,
    pub reminded_for: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Report {
    pub fn status(&self) -> EntryStatus {
        EntryStatus::parse(&self.status).unwrap_or(EntryStatus::Proposed)
    }

    pub fn links(&self) -> Vec<Link> {
        // Stored text was validated on the way in.
        parse_links(&self.links).unwrap_or_default()
    }
}

/// Where a report comes from, beside its text: the territory, theme and project it is about, who writes it and
/// for which collectivity.
pub struct Origin {
    pub territory_id: i64,
    pub theme_id: Option<i64>,
    pub project_id: Option<i64>,
    pub collectivity_id: Option<i64>,
    pub owner_id: i64,
}

/// The columns a report's text and its origin's subject fill, written alike at its creation and its correction.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = experience_reports, treat_none_as_null = true)]
struct Written<'a> {
    title: &'a str,
    territory_id: i64,
    theme_id: Option<i64>,
    project_id: Option<i64>,
    method: &'a str,
    duration: &'a str,
    cost: &'a str,
    done: &'a str,
    results: &'a str,
    difficulties: &'a str,
    contact: &'a str,
    links: String,
}

impl<'a> Written<'a> {
    fn of(text: &'a ReportText, territory_id: i64, theme_id: Option<i64>, project_id: Option<i64>) -> Self {
        Written {
            title: &text.title,
            territory_id,
            theme_id,
            project_id,
            method: &text.method,
            duration: &text.duration,
            cost: &text.cost,
            done: &text.done,
            results: &text.results,
            difficulties: &text.difficulties,
            contact: &text.contact,
            links: links_text(&text.links),
        }
    }
}

/// The owner's report of that title on that territory (one each: `experience_reports_once`).
fn report_of_owner(conn: &mut DbConnection, owner_id: i64, territory_id: i64, title: &str) -> QueryResult<Option<i64>> {
    experience_reports::table
        .filter(experience_reports::owner_id.eq(owner_id))
        .filter(experience_reports::territory_id.eq(territory_id))
        .filter(experience_reports::title.eq(title))
        .select(experience_reports::id)
        .first(conn)
        .optional()
}

/// Writes a report, published at once or proposed; its id. Sent twice (a double click, two tabs), it is written
/// once: the second lands on the first.
pub fn insert_report(
    conn: &mut DbConnection,
    text: &ReportText,
    origin: &Origin,
    status: EntryStatus,
) -> QueryResult<i64> {
    let at = now();
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(experience_reports::table)
            .values((
                Written::of(text, origin.territory_id, origin.theme_id, origin.project_id),
                experience_reports::status.eq(status.code()),
                experience_reports::collectivity_id.eq(origin.collectivity_id),
                experience_reports::owner_id.eq(origin.owner_id),
                experience_reports::checked_at.eq(at),
                experience_reports::created_at.eq(at),
                experience_reports::updated_at.eq(at),
            ))
            .returning(experience_reports::id)
            .get_result(conn)
    });
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return report_of_owner(conn, origin.owner_id, origin.territory_id, &text.title)?.ok_or(e);
        }
        Err(e) => return Err(e),
    };
    if status == EntryStatus::Published {
        public_content_changed(conn)?;
    }
    Ok(id)
}

/// Rewrites a report: a correction is a check, so `checked_at` moves to now. False when its owner has another
/// report of that title on that territory (nothing is written).
pub fn update_report(
    conn: &mut DbConnection,
    id: i64,
    text: &ReportText,
    territory_id: i64,
    theme_id: Option<i64>,
    project_id: Option<i64>,
) -> QueryResult<bool> {
    let at = now();
    let updated = conn.transaction(|conn| {
        diesel::update(experience_reports::table.find(id))
            .set((
                Written::of(text, territory_id, theme_id, project_id),
                experience_reports::checked_at.eq(at),
                experience_reports::updated_at.eq(at),
            ))
            .execute(conn)
    });
    match updated {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Ok(false),
        Err(e) => return Err(e),
    }
    public_content_changed(conn)?;
    Ok(true)
}

/// Its owner (or the agency) says it is still true: checked now.
pub fn mark_checked(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let changed = diesel::update(experience_reports::table.find(id))
        .set(experience_reports::checked_at.eq(now()))
        .execute(conn)?;
    public_content_changed(conn)?;
    Ok(changed == 1)
}

/// Publishes or refuses a proposal; false when it was decided already (a double click, or a colleague first).
pub fn moderate(conn: &mut DbConnection, id: i64, decision: EntryStatus, refusal: Option<&str>) -> QueryResult<bool> {
    let changed = diesel::update(
        experience_reports::table.find(id).filter(experience_reports::status.eq(EntryStatus::Proposed.code())),
    )
    .set((
        experience_reports::status.eq(decision.code()),
        experience_reports::refusal.eq(refusal),
        experience_reports::checked_at.eq(now()),
        experience_reports::updated_at.eq(now()),
    ))
    .execute(conn)?;
    public_content_changed(conn)?;
    Ok(changed == 1)
}

pub fn find_report(conn: &mut DbConnection, id: i64) -> QueryResult<Option<(Report, Territory)>> {
    experience_reports::table
        .inner_join(territories::table)
        .filter(experience_reports::id.eq(id))
        .select((experience_reports::all_columns, territories::all_columns))
        .first(conn)
        .optional()
}

/// Reports in a status, the latest first; published ones optionally of one theme.
pub fn reports_with_status(
    conn: &mut DbConnection,
    status: EntryStatus,
    theme_id: Option<i64>,
) -> QueryResult<Vec<(Report, Territory)>> {
    let mut query = experience_reports::table
        .inner_join(territories::table)
        .filter(experience_reports::status.eq(status.code()))
        .select((experience_reports::all_columns, territories::all_columns))
        .order((experience_reports::created_at.desc(), experience_reports::id.desc()))
        .into_boxed();
    if let Some(theme_id) = theme_id {
        query = query.filter(experience_reports::theme_id.eq(theme_id));
    }
    query.load(conn)
}

/// Published reports by id after `after`, at most `limit`: a page of the public API.
pub fn published_after(conn: &mut DbConnection, after: i64, limit: i64) -> QueryResult<Vec<(Report, Territory)>> {
    experience_reports::table
        .inner_join(territories::table)
        .filter(experience_reports::status.eq(EntryStatus::Published.code()))
        .filter(experience_reports::id.gt(after))
        .select((experience_reports::all_columns, territories::all_columns))
        .order(experience_reports::id.asc())
        .limit(limit)
        .load(conn)
}

/// The reports proposed by these collectivities, whatever their status.
pub fn reports_of_collectivities(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Report>> {
    experience_reports::table
        .filter(experience_reports::collectivity_id.eq_any(ids))
        .order(experience_reports::created_at.desc())
        .load(conn)
}

/// The published reports whose owner should be asked to check them at `now` and has not been for this check.
pub fn due_for_check(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<Report>> {
    let reports: Vec<Report> = experience_reports::table
        .filter(experience_reports::status.eq(EntryStatus::Published.code()))
        .filter(experience_reports::owner_id.is_not_null())
        .filter(experience_reports::checked_at.le(now - CHECK_AFTER))
        .load(conn)?;
    Ok(reports.into_iter().filter(|r| r.reminded_for != Some(r.checked_at)).collect())
}

/// Notes that the owner was reminded of this check; false when another instance did it first.
pub fn mark_reminded(conn: &mut DbConnection, report: &Report) -> QueryResult<bool> {
    let changed = diesel::update(
        experience_reports::table.find(report.id).filter(experience_reports::checked_at.eq(report.checked_at)).filter(
            experience_reports::reminded_for.is_null().or(experience_reports::reminded_for.ne(report.checked_at)),
        ),
    )
    .set(experience_reports::reminded_for.eq(Some(report.checked_at)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A report written and last checked at `at`, its owner reminded of that check already: the demo's history.
pub fn written_long_ago(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(experience_reports::table.find(id))
        .set((
            experience_reports::checked_at.eq(at),
            experience_reports::created_at.eq(at),
            experience_reports::reminded_for.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}
