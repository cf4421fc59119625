//! Shared projects: opening one from a theme, enrolments with the participant cap and its waiting list, phases
//! with their dated history, the provider.
//!
//! Every function that changes a project starts by locking its row (`lock_project`): on PostgreSQL an UPDATE
//! takes the row lock, so concurrent enrolments, withdrawals and phase changes of one project run one after the
//! other and each reads what the previous one committed; on SQLite `write_transaction` holds the write lock from
//! the start. The seat itself is taken by a conditional UPDATE of `active_participants`, and the table's CHECK
//! (`active_participants <= max_participants`) refuses a third seat whatever happens above it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::activity::{record_activity, NewActivity};
use super::programmes::ProgrammeVersion;
use super::schema::{
    collectivities, enrolments, memberships, phase_transitions, projects, provider_members, territories,
    theme_positions, themes,
};
use super::territories::Territory;
use super::{now, DbConnection, DbError};
use crate::domain::activity::ActivityKind;
use crate::domain::project::{
    EnrolmentRole, EnrolmentStatus, NewProject, Phase, PhaseFacts, PhaseSet, Standing, Withdrawal, WithdrawalDecision,
};
use crate::domain::theme::ThemeStatus;

#[derive(Debug, Clone, Queryable)]
pub struct Project {
    pub id: i64,
    pub theme_id: i64,
    pub title: String,
    pub description: String,
    pub charter: String,
    pub min_participants: i32,
    pub max_participants: i32,
    pub active_participants: i32,
    pub phase: String,
    pub provider_id: Option<i64>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The programme the project was opened from, and its version then (None for projects opened before
    /// programmes existed).
    pub programme_id: Option<i64>,
    pub programme_version: Option<i32>,
    /// The lifecycle's phases the programme does not use, as codes separated by spaces (`PhaseSet::parse`).
    pub skipped_phases: String,
}

impl Project {
    pub fn phase(&self) -> Phase {
        Phase::parse(&self.phase).unwrap_or(Phase::Closed)
    }

    /// The facts the row holds; what the participants still have to do (`unfinished`) is read apart
    /// (`unfinished_participants`).
    pub fn facts(&self) -> PhaseFacts<'static> {
        PhaseFacts {
            active_participants: self.active_participants,
            min_participants: self.min_participants,
            has_provider: self.provider_id.is_some(),
            unfinished: &[],
            skipped: PhaseSet::parse(&self.skipped_phases),
        }
    }

    pub fn seats_left(&self) -> i32 {
        (self.max_participants - self.active_participants).max(0)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct Enrolment {
    pub id: i64,
    pub project_id: i64,
    pub collectivity_id: i64,
    pub role: String,
    pub status: String,
    pub charter_accepted_at: Option<NaiveDateTime>,
    pub enrolled_by: i64,
    pub requested_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub observes_while_waiting: bool,
}

impl Enrolment {
    pub fn role(&self) -> EnrolmentRole {
        EnrolmentRole::parse(&self.role).unwrap_or(EnrolmentRole::Observer)
    }

    pub fn status(&self) -> EnrolmentStatus {
        EnrolmentStatus::parse(&self.status).unwrap_or(EnrolmentStatus::Withdrawn)
    }

    pub fn is_active_participant(&self) -> bool {
        self.standing() == Standing::Participant
    }

    pub fn standing(&self) -> Standing {
        Standing::of(self.role(), self.status(), self.observes_while_waiting)
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct PhaseTransition {
    pub id: i64,
    pub project_id: i64,
    pub from_phase: Option<String>,
    pub to_phase: String,
    pub note: String,
    pub user_id: i64,
    pub at: NaiveDateTime,
}

impl PhaseTransition {
    pub fn to(&self) -> Phase {
        Phase::parse(&self.to_phase).unwrap_or(Phase::Closed)
    }
}

pub fn find_project(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Project>> {
    projects::table.find(id).first(conn).optional()
}

pub fn project_of_theme(conn: &mut DbConnection, theme_id: i64) -> QueryResult<Option<Project>> {
    projects::table.filter(projects::theme_id.eq(theme_id)).first(conn).optional()
}

/// The projects opened on these themes.
pub fn projects_of_themes(conn: &mut DbConnection, theme_ids: &[i64]) -> QueryResult<Vec<Project>> {
    projects::table.filter(projects::theme_id.eq_any(theme_ids)).load(conn)
}

/// Every project, the most recently opened first.
pub fn list_projects(conn: &mut DbConnection) -> QueryResult<Vec<Project>> {
    projects::table.order((projects::created_at.desc(), projects::id.desc())).load(conn)
}

/// Takes the project's row lock for the rest of the transaction (see the module's comment); false if there is no
/// such project.
fn lock_project(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let locked = diesel::update(projects::table.find(id)).set(projects::updated_at.eq(now())).execute(conn)?;
    Ok(locked == 1)
}

#[derive(Debug, PartialEq, Eq)]
pub enum OpenOutcome {
    Opened {
        project_id: i64,
        invited: usize,
    },
    /// The theme is not open (any more): it was selected, archived or never published.
    ThemeNotOpen,
}

/// Selects an open theme and opens a project on it, in enrolment; every collectivity positioned on the theme is
/// invited to enrol through the activity log. Call it inside `storage::write_transaction`.
pub fn open_project(
    conn: &mut DbConnection,
    theme_id: i64,
    project: &NewProject,
    programme: Option<&ProgrammeVersion>,
    user_id: i64,
) -> QueryResult<OpenOutcome> {
    let at = now();
    // The conditional UPDATE decides between two admins selecting the same theme at once.
    let selected = diesel::update(themes::table.find(theme_id).filter(themes::status.eq(ThemeStatus::Open.code())))
        .set((themes::status.eq(ThemeStatus::Selected.code()), themes::updated_at.eq(at)))
        .execute(conn)?;
    if selected == 0 {
        return Ok(OpenOutcome::ThemeNotOpen);
    }
    let project_id: i64 = diesel::insert_into(projects::table)
        .values((
            projects::theme_id.eq(theme_id),
            projects::title.eq(&project.title),
            projects::description.eq(&project.description),
            projects::charter.eq(&project.charter),
            projects::min_participants.eq(project.min_participants),
            projects::max_participants.eq(project.max_participants),
            projects::phase.eq(Phase::Enrolment.code()),
            projects::starts_on.eq(project.starts_on),
            projects::ends_on.eq(project.ends_on),
            projects::created_by.eq(user_id),
            projects::created_at.eq(at),
            projects::updated_at.eq(at),
            projects::programme_id.eq(programme.map(|p| p.programme_id)),
            projects::programme_version.eq(programme.map(|p| p.version)),
            projects::skipped_phases.eq(programme.map(|p| p.programme.skipped().codes()).unwrap_or_default()),
        ))
        .returning(projects::id)
        .get_result(conn)?;
    insert_transition(conn, project_id, None, Phase::Enrolment, "Ouverture du projet et des inscriptions.", user_id)?;
    match programme {
        Some(version) => {
            super::delegations::add_categories(conn, project_id, &version.programme.categories)?;
            // The enrolment phase's alone: the others wait for the participants (`change_phase`).
            let calendar = version.programme.calendar(Phase::Enrolment, project.starts_on);
            schedule_seminars(conn, project_id, version, calendar.get(..1).unwrap_or_default(), &[], user_id)?;
        }
        None => super::delegations::add_default_categories(conn, project_id)?,
    }
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::ProjectOpened,
            theme_id: Some(theme_id),
            collectivity_id: None,
            project_id: Some(project_id),
            is_public: true,
            summary: format!(
                "L’agence ouvre le projet partagé « {} » ; les inscriptions sont ouvertes.",
                project.title
            ),
        },
    )?;
    let positioned: Vec<(i64, String)> = theme_positions::table
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(theme_positions::theme_id.eq(theme_id))
        .select((theme_positions::collectivity_id, territories::name))
        .order(territories::name)
        .load(conn)?;
    for (collectivity_id, name) in &positioned {
        record_activity(
            conn,
            NewActivity {
                actor_id: Some(user_id),
                kind: ActivityKind::EnrolmentInvited,
                theme_id: Some(theme_id),
                collectivity_id: Some(*collectivity_id),
                project_id: Some(project_id),
                is_public: false,
                summary: format!(
                    "{name}, positionnée sur le thème, est invitée à s’inscrire au projet « {} ».",
                    project.title
                ),
            },
        )?;
    }
    Ok(OpenOutcome::Opened { project_id, invited: positioned.len() })
}

/// Writes the seminar plan's events of the phases `calendar` dates, to be confirmed: those of the whole project
/// once, local seminars once per participant territory in `territories` (collectivity id, name).
fn schedule_seminars(
    conn: &mut DbConnection,
    project_id: i64,
    version: &ProgrammeVersion,
    calendar: &[crate::domain::programme::PlannedPhase],
    territories: &[(i64, String)],
    user_id: i64,
) -> QueryResult<()> {
    let description = format!(
        "Prévu par le programme « {} » (version {}) : la date est celle de son calendrier, à confirmer.",
        version.programme.name, version.version
    );
    for dated in version.programme.dated_seminars(calendar) {
        let hosts: Vec<Option<&(i64, String)>> =
            if dated.seminar.per_territory() { territories.iter().map(Some).collect() } else { vec![None] };
        for host in hosts {
            let event = crate::domain::project::NewEvent {
                kind: dated.seminar.kind,
                title: match host {
                    Some((_, name)) => format!("{} — {name}", dated.seminar.title),
                    None => dated.seminar.title.clone(),
                },
                description: description.clone(),
                starts_at: dated.starts_at,
                ends_at: dated.ends_at,
                place: Some("Lieu à préciser".into()),
                online_url: None,
                collectivity_id: host.map(|(id, _)| *id),
            };
            super::events::insert_planned_event(conn, project_id, &event, user_id)?;
        }
    }
    Ok(())
}

/// The programme version a project was opened with, if any.
pub fn opened_from(conn: &mut DbConnection, project: &Project) -> QueryResult<Option<ProgrammeVersion>> {
    match (project.programme_id, project.programme_version) {
        (Some(id), Some(version)) => super::programmes::find_version(conn, id, version),
        _ => Ok(None),
    }
}

fn insert_transition(
    conn: &mut DbConnection,
    project_id: i64,
    from: Option<Phase>,
    to: Phase,
    note: &str,
    user_id: i64,
) -> QueryResult<()> {
    diesel::insert_into(phase_transitions::table)
        .values((
            phase_transitions::project_id.eq(project_id),
            phase_transitions::from_phase.eq(from.map(Phase::code)),
            phase_transitions::to_phase.eq(to.code()),
            phase_transitions::note.eq(note),
            phase_transitions::user_id.eq(user_id),
            phase_transitions::at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn phase_history(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<PhaseTransition>> {
    phase_transitions::table
        .filter(phase_transitions::project_id.eq(project_id))
        .order((phase_transitions::at.asc(), phase_transitions::id.asc()))
        .load(conn)
}

#[derive(Debug, PartialEq, Eq)]
pub enum PhaseOutcome {
    Changed {
        from: Phase,
    },
    /// The guard refused: nothing was written; the message says why.
    Refused(String),
}

/// The active participant collectivities of a project with their territory's name, by name.
pub fn active_participant_names(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<(i64, String)>> {
    use super::schema::{collectivities, territories};
    enrolments::table
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(enrolments::project_id.eq(project_id))
        .filter(enrolments::role.eq("participant"))
        .filter(enrolments::status.eq("active"))
        .order(territories::name)
        .select((collectivities::id, territories::name))
        .load(conn)
}

/// The active participants, by name, that have not done what the project's phase asks of each: in `adoption`,
/// their action plan adopted; in `restitution`, their restitution published.
pub fn unfinished_participants(conn: &mut DbConnection, project: &Project) -> QueryResult<Vec<String>> {
    match project.phase() {
        Phase::Adoption => super::plans::territories_without_adopted_plan(conn, project.id),
        Phase::Restitution => super::restitutions::territories_without_published_restitution(conn, project.id),
        _ => Ok(Vec::new()),
    }
}

/// Moves the project to `to` if the state machine and its guards allow it, with a dated transition and an activity
/// entry. Call it inside `storage::write_transaction`.
pub fn change_phase(
    conn: &mut DbConnection,
    project_id: i64,
    to: Phase,
    note: &str,
    user_id: i64,
) -> QueryResult<PhaseOutcome> {
    if !lock_project(conn, project_id)? {
        return Err(DbError::NotFound);
    }
    let project = find_project(conn, project_id)?.ok_or(DbError::NotFound)?;
    let from = project.phase();
    let unfinished = unfinished_participants(conn, &project)?;
    if let Err(reason) = from.may_become(to, PhaseFacts { unfinished: &unfinished, ..project.facts() }) {
        return Ok(PhaseOutcome::Refused(reason));
    }
    diesel::update(projects::table.find(project_id))
        .set((projects::phase.eq(to.code()), projects::updated_at.eq(now())))
        .execute(conn)?;
    insert_transition(conn, project_id, Some(from), to, note, user_id)?;
    // The participants are known when enrolment ends: the rest of the seminar plan is dated from today.
    if from == Phase::Enrolment && to != Phase::Closed {
        if let Some(version) = opened_from(conn, &project)? {
            let participants = participant_territories(conn, project_id)?;
            let calendar = version.programme.calendar(to, now().date());
            schedule_seminars(conn, project_id, &version, &calendar, &participants, user_id)?;
        }
    }
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::PhaseChanged,
            theme_id: None,
            collectivity_id: None,
            project_id: Some(project_id),
            is_public: true,
            summary: format!("Le projet « {} » passe en phase « {} ».", project.title, to.label()),
        },
    )?;
    Ok(PhaseOutcome::Changed { from })
}

/// Assigns the provider (or changes it) while the project is not closed. Call it inside
/// `storage::write_transaction`; false if the project is closed.
pub fn assign_provider(
    conn: &mut DbConnection,
    project_id: i64,
    provider_id: i64,
    provider_name: &str,
    user_id: i64,
) -> QueryResult<bool> {
    if !lock_project(conn, project_id)? {
        return Err(DbError::NotFound);
    }
    let project = find_project(conn, project_id)?.ok_or(DbError::NotFound)?;
    if project.phase() == Phase::Closed {
        return Ok(false);
    }
    diesel::update(projects::table.find(project_id)).set(projects::provider_id.eq(Some(provider_id))).execute(conn)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::ProviderAssigned,
            theme_id: None,
            collectivity_id: None,
            project_id: Some(project_id),
            is_public: true,
            summary: format!("{provider_name} accompagnera le projet « {} ».", project.title),
        },
    )?;
    Ok(true)
}

pub fn find_enrolment(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
) -> QueryResult<Option<Enrolment>> {
    enrolments::table
        .filter(enrolments::project_id.eq(project_id))
        .filter(enrolments::collectivity_id.eq(collectivity_id))
        .first(conn)
        .optional()
}

/// A project's enrolments (withdrawn ones included) with their territory: participants, then observers; within
/// each, active before waitlisted in arrival order.
pub fn enrolments_of_project(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<(Enrolment, Territory)>> {
    enrolments::table
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(enrolments::project_id.eq(project_id))
        .select((enrolments::all_columns, territories::all_columns))
        .order((
            enrolments::role.desc(),
            enrolments::status.asc(),
            enrolments::requested_at.asc(),
            enrolments::id.asc(),
        ))
        .load(conn)
}

/// The active participants of a project as (collectivity, territory name), by name.
pub fn participant_territories(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<(i64, String)>> {
    enrolments::table
        .inner_join(collectivities::table.inner_join(territories::table))
        .filter(enrolments::project_id.eq(project_id))
        .filter(enrolments::role.eq(EnrolmentRole::Participant.code()))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.code()))
        .select((enrolments::collectivity_id, territories::name))
        .order(territories::name.asc())
        .load(conn)
}

/// A collectivity's enrolments with their projects, the most recent first.
pub fn enrolments_of_collectivity(
    conn: &mut DbConnection,
    collectivity_id: i64,
) -> QueryResult<Vec<(Enrolment, Project)>> {
    enrolments::table
        .inner_join(projects::table)
        .filter(enrolments::collectivity_id.eq(collectivity_id))
        .select((enrolments::all_columns, projects::all_columns))
        .order(enrolments::updated_at.desc())
        .load(conn)
}

#[derive(Debug, PartialEq, Eq)]
pub enum EnrolOutcome {
    Enrolled(EnrolmentRole),
    /// Participants are full: the request waits, at this rank in the list.
    Waitlisted {
        rank: i64,
    },
    /// Already enrolled (or waiting) in that role or a wider one: nothing was written.
    AlreadyEnrolled(Standing),
    /// The project's phase no longer takes this kind of enrolment.
    PhaseClosed(Phase),
}

/// Enrols the collectivity as participant (a seat if one is left, the waiting list otherwise) or observer. An
/// observer may ask to become a participant. Call it inside `storage::write_transaction`: the project row lock
/// serialises enrolments, and the unique (project, collectivity) settles a double submission.
pub fn enrol(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
    user_id: i64,
    role: EnrolmentRole,
    collectivity_name: &str,
) -> QueryResult<EnrolOutcome> {
    if !lock_project(conn, project_id)? {
        return Err(DbError::NotFound);
    }
    let project = find_project(conn, project_id)?.ok_or(DbError::NotFound)?;
    if !project.phase().accepts_enrolment(role) {
        return Ok(EnrolOutcome::PhaseClosed(project.phase()));
    }
    let existing = find_enrolment(conn, project_id, collectivity_id)?;
    let was_observer = existing.as_ref().is_some_and(|e| e.standing() == Standing::Observer);
    if let Some(e) = &existing {
        let upgrade = was_observer && role == EnrolmentRole::Participant;
        if e.standing() != Standing::NotEnrolled && !upgrade {
            return Ok(EnrolOutcome::AlreadyEnrolled(e.standing()));
        }
    }
    let status = match role {
        EnrolmentRole::Observer => EnrolmentStatus::Active,
        EnrolmentRole::Participant => {
            let seat = diesel::update(
                projects::table.find(project_id).filter(projects::active_participants.lt(projects::max_participants)),
            )
            .set(projects::active_participants.eq(projects::active_participants + 1))
            .execute(conn)?;
            if seat == 1 {
                EnrolmentStatus::Active
            } else {
                EnrolmentStatus::Waitlisted
            }
        }
    };
    // An observer waiting for a seat goes on observing until it gets one.
    let observes_while_waiting = was_observer && status == EnrolmentStatus::Waitlisted;
    let at = now();
    let charter = (role == EnrolmentRole::Participant).then_some(at);
    match existing {
        Some(e) => {
            diesel::update(enrolments::table.find(e.id))
                .set((
                    enrolments::role.eq(role.code()),
                    enrolments::observes_while_waiting.eq(observes_while_waiting),
                    enrolments::status.eq(status.code()),
                    enrolments::charter_accepted_at.eq(charter),
                    enrolments::enrolled_by.eq(user_id),
                    enrolments::requested_at.eq(at),
                    enrolments::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(enrolments::table)
                .values((
                    enrolments::project_id.eq(project_id),
                    enrolments::collectivity_id.eq(collectivity_id),
                    enrolments::role.eq(role.code()),
                    enrolments::status.eq(status.code()),
                    enrolments::charter_accepted_at.eq(charter),
                    enrolments::enrolled_by.eq(user_id),
                    enrolments::requested_at.eq(at),
                    enrolments::updated_at.eq(at),
                    enrolments::observes_while_waiting.eq(observes_while_waiting),
                ))
                .execute(conn)?;
        }
    }
    let (kind, summary) = match (role, status) {
        (EnrolmentRole::Participant, EnrolmentStatus::Waitlisted) => (
            ActivityKind::EnrolmentWaitlisted,
            format!(
                "{collectivity_name} demande à participer au projet « {} » : places complètes, elle est en liste d’attente{}.",
                project.title,
                if was_observer { " et reste observatrice" } else { "" }
            ),
        ),
        (EnrolmentRole::Participant, _) => (
            ActivityKind::EnrolledParticipant,
            format!("{collectivity_name} s’inscrit comme participante au projet « {} » et signe sa charte.", project.title),
        ),
        (EnrolmentRole::Observer, _) => {
            (ActivityKind::EnrolledObserver, format!("{collectivity_name} suit le projet « {} » comme observatrice.", project.title))
        }
    };
    // Its members hear of the project by e-mail from now on (weekly, until they choose otherwise).
    super::subscriptions::subscribe_collectivity_members(conn, collectivity_id, project_id)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind,
            theme_id: None,
            collectivity_id: Some(collectivity_id),
            project_id: Some(project_id),
            is_public: true,
            summary,
        },
    )?;
    Ok(match status {
        EnrolmentStatus::Waitlisted => {
            EnrolOutcome::Waitlisted { rank: waiting_rank(conn, project_id, collectivity_id)? }
        }
        _ => EnrolOutcome::Enrolled(role),
    })
}

/// The place of a collectivity in the project's waiting list (1 = next to be promoted).
pub fn waiting_rank(conn: &mut DbConnection, project_id: i64, collectivity_id: i64) -> QueryResult<i64> {
    let waiting: Vec<i64> = waiting_list(conn, project_id)?.into_iter().map(|e| e.collectivity_id).collect();
    Ok(waiting.iter().position(|c| *c == collectivity_id).map_or(0, |i| i as i64 + 1))
}

fn waiting_list(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<Enrolment>> {
    enrolments::table
        .filter(enrolments::project_id.eq(project_id))
        .filter(enrolments::status.eq(EnrolmentStatus::Waitlisted.code()))
        .order((enrolments::requested_at.asc(), enrolments::id.asc()))
        .load(conn)
}

#[derive(Debug, PartialEq, Eq)]
pub enum WithdrawOutcome {
    /// Written: the collectivity now stands there; the one promoted from the waiting list to the freed seat, if any.
    Withdrawn {
        now: Standing,
        promoted: Option<Promotion>,
    },
    /// What was asked already holds (a double click): nothing was written.
    AlreadyDone,
    /// The collectivity's standing changed since the page was loaded: nothing was written.
    Changed {
        now: Standing,
        rank: i64,
    },
    ProjectClosed,
}

/// A collectivity that took a freed seat.
#[derive(Debug, PartialEq, Eq)]
pub struct Promotion {
    pub enrolment_id: i64,
    pub collectivity_id: i64,
    pub name: String,
    pub project_title: String,
    pub at: NaiveDateTime,
}

/// Withdraws what the referent meant (`Withdrawal::decide`): a place in the waiting list (an observer keeps
/// observing), a participant seat, or the following as observer. A freed seat goes to the first collectivity
/// waiting, in the same transaction. Call it inside `storage::write_transaction`.
pub fn withdraw(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
    user_id: i64,
    withdrawal: Withdrawal,
    collectivity_name: &str,
) -> QueryResult<WithdrawOutcome> {
    if !lock_project(conn, project_id)? {
        return Err(DbError::NotFound);
    }
    let project = find_project(conn, project_id)?.ok_or(DbError::NotFound)?;
    if project.phase() == Phase::Closed {
        return Ok(WithdrawOutcome::ProjectClosed);
    }
    let enrolment = find_enrolment(conn, project_id, collectivity_id)?;
    let standing = enrolment.as_ref().map_or(Standing::NotEnrolled, Enrolment::standing);
    let (enrolment, after) = match (withdrawal.decide(standing), enrolment) {
        (WithdrawalDecision::Proceed(after), Some(enrolment)) => (enrolment, after),
        (WithdrawalDecision::Changed(now), _) => {
            return Ok(WithdrawOutcome::Changed { now, rank: waiting_rank(conn, project_id, collectivity_id)? })
        }
        _ => return Ok(WithdrawOutcome::AlreadyDone),
    };
    let at = now();
    let (role, status) = match after {
        Standing::Observer => (EnrolmentRole::Observer, EnrolmentStatus::Active),
        _ => (enrolment.role(), EnrolmentStatus::Withdrawn),
    };
    diesel::update(enrolments::table.find(enrolment.id))
        .set((
            enrolments::role.eq(role.code()),
            enrolments::status.eq(status.code()),
            enrolments::observes_while_waiting.eq(false),
            enrolments::updated_at.eq(at),
        ))
        .execute(conn)?;
    let summary = match withdrawal {
        Withdrawal::LeaveWaitingList if after == Standing::Observer => format!(
            "{collectivity_name} quitte la liste d’attente du projet « {} » et reste observatrice.",
            project.title
        ),
        Withdrawal::LeaveWaitingList => {
            format!("{collectivity_name} quitte la liste d’attente du projet « {} ».", project.title)
        }
        Withdrawal::GiveUpSeat => {
            format!("{collectivity_name} libère sa place de participante au projet « {} ».", project.title)
        }
        Withdrawal::StopObserving => {
            format!("{collectivity_name} ne suit plus le projet « {} » comme observatrice.", project.title)
        }
    };
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::EnrolmentWithdrawn,
            theme_id: None,
            collectivity_id: Some(collectivity_id),
            project_id: Some(project_id),
            is_public: true,
            summary,
        },
    )?;
    let promoted = if enrolment.is_active_participant() { pass_seat_on(conn, &project, user_id, at)? } else { None };
    Ok(WithdrawOutcome::Withdrawn { now: after, promoted })
}

/// A participant seat was freed: the first collectivity waiting takes it (the count of active participants does not
/// change), or the count goes down when nobody waits.
fn pass_seat_on(
    conn: &mut DbConnection,
    project: &Project,
    user_id: i64,
    at: NaiveDateTime,
) -> QueryResult<Option<Promotion>> {
    let Some(next) = waiting_list(conn, project.id)?.into_iter().next() else {
        diesel::update(projects::table.find(project.id))
            .set(projects::active_participants.eq(projects::active_participants - 1))
            .execute(conn)?;
        return Ok(None);
    };
    diesel::update(enrolments::table.find(next.id))
        .set((
            enrolments::status.eq(EnrolmentStatus::Active.code()),
            enrolments::observes_while_waiting.eq(false),
            enrolments::updated_at.eq(at),
        ))
        .execute(conn)?;
    let name: String = collectivities::table
        .inner_join(territories::table)
        .filter(collectivities::id.eq(next.collectivity_id))
        .select(territories::name)
        .first(conn)?;
    record_activity(
        conn,
        NewActivity {
            actor_id: Some(user_id),
            kind: ActivityKind::WaitlistPromoted,
            theme_id: None,
            collectivity_id: Some(next.collectivity_id),
            project_id: Some(project.id),
            is_public: true,
            summary: format!(
                "Une place se libère : {name} quitte la liste d’attente et devient participante au projet « {} ».",
                project.title
            ),
        },
    )?;
    Ok(Some(Promotion {
        enrolment_id: next.id,
        collectivity_id: next.collectivity_id,
        name,
        project_title: project.title.clone(),
        at,
    }))
}

/// Counts the project's enrolments by role and status, from the enrolments themselves (tests compare it with the
/// maintained `active_participants`).
pub fn count_enrolments(
    conn: &mut DbConnection,
    project_id: i64,
    role: EnrolmentRole,
    status: EnrolmentStatus,
) -> QueryResult<i64> {
    enrolments::table
        .filter(enrolments::project_id.eq(project_id))
        .filter(enrolments::role.eq(role.code()))
        .filter(enrolments::status.eq(status.code()))
        .count()
        .get_result(conn)
}

/// Observers and waiting participants of every project, as (project, observers, waiting): one grouped read for
/// the projects index.
pub fn observer_and_waiting_counts(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64, i64)>> {
    let rows: Vec<(i64, String, String, bool, i64)> = enrolments::table
        .filter(enrolments::status.ne(EnrolmentStatus::Withdrawn.code()))
        .group_by((enrolments::project_id, enrolments::role, enrolments::status, enrolments::observes_while_waiting))
        .select((
            enrolments::project_id,
            enrolments::role,
            enrolments::status,
            enrolments::observes_while_waiting,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut counts: Vec<(i64, i64, i64)> = Vec::new();
    for (project_id, role, status, observes_while_waiting, n) in rows {
        let index = match counts.iter().position(|(p, _, _)| *p == project_id) {
            Some(i) => i,
            None => {
                counts.push((project_id, 0, 0));
                counts.len() - 1
            }
        };
        let (Ok(role), Some(status)) = (EnrolmentRole::parse(&role), EnrolmentStatus::parse(&status)) else { continue };
        let standing = Standing::of(role, status, observes_while_waiting);
        if standing.observes() {
            counts[index].1 += n;
        }
        if matches!(standing, Standing::Waiting { .. }) {
            counts[index].2 += n;
        }
    }
    Ok(counts)
}

/// The active participant collectivities of the project that the person is a member of.
pub fn participant_collectivities_of(conn: &mut DbConnection, project_id: i64, user_id: i64) -> QueryResult<Vec<i64>> {
    enrolments::table
        .inner_join(memberships::table.on(memberships::collectivity_id.eq(enrolments::collectivity_id)))
        .filter(enrolments::project_id.eq(project_id))
        .filter(enrolments::role.eq(EnrolmentRole::Participant.code()))
        .filter(enrolments::status.eq(EnrolmentStatus::Active.code()))
        .filter(memberships::user_id.eq(user_id))
        .select(enrolments::collectivity_id)
        .load(conn)
}

/// The collectivities of the person's that observe the project (observers, and participants waiting for a seat who
/// observe meanwhile): what the project shares with its observers reaches them.
pub fn observing_collectivities_of(conn: &mut DbConnection, project_id: i64, user_id: i64) -> QueryResult<Vec<i64>> {
    let enrolled: Vec<Enrolment> = enrolments::table
        .inner_join(memberships::table.on(memberships::collectivity_id.eq(enrolments::collectivity_id)))
        .filter(enrolments::project_id.eq(project_id))
        .filter(memberships::user_id.eq(user_id))
        .select(enrolments::all_columns)
        .load(conn)?;
    Ok(enrolled.into_iter().filter(|e| e.standing().observes()).map(|e| e.collectivity_id).collect())
}

/// Whether the person is a member of the provider assigned to the project.
pub fn is_provider_of(conn: &mut DbConnection, project: &Project, user_id: i64) -> QueryResult<bool> {
    let Some(provider_id) = project.provider_id else { return Ok(false) };
    let count: i64 = provider_members::table
        .filter(provider_members::provider_id.eq(provider_id))
        .filter(provider_members::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Projects the person's providers are assigned to.
pub fn projects_of_provider_member(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<Project>> {
    projects::table
        .inner_join(provider_members::table.on(provider_members::provider_id.nullable().eq(projects::provider_id)))
        .filter(provider_members::user_id.eq(user_id))
        .select(projects::all_columns)
        .order(projects::created_at.desc())
        .load(conn)
}
