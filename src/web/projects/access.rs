//! Who may see and do what on a project, decided once from the person's relations (agency flag, provider
//! membership, participant collectivities, referent flag, inquiry groups) and asked by every page of the project:
//! its working space, its inquiry groups, its questionnaires. The diagnostic adds its own rules on top
//! (`diagnostic::may_see`, `may_contribute`); what a peer group holds is decided in storage (`storage::threads`).
//! The steering committee's members read the working space (`reads_working_space`) and act in nothing: every
//! write asks for a relation they do not have (`in_working_space`, `leads`, a collectivity, a seat).

use crate::storage::codesign;
use crate::storage::collectivities::Membership;
use crate::storage::delegations::{self, Delegate};
use crate::storage::inquiry as inquiry_storage;
use crate::storage::projects::{self, Project};
use crate::storage::questionnaires::{self, Questionnaire};
use crate::storage::territories::Territory;
use crate::storage::users::User;
use crate::storage::DbConnection;
use crate::web::context::PageCtx;
use crate::web::{AppError, AppState};

/// What a person may see and do on one project. Derived from their relations, never from what a page shows.
pub struct Access {
    pub user: Option<User>,
    pub is_admin: bool,
    /// A member of the provider assigned to the project.
    pub is_provider: bool,
    /// The active participant collectivities the person belongs to.
    pub participant_of: Vec<i64>,
    /// The collectivities the person acts for (referent), with their territory.
    pub referent_of: Vec<(Membership, Territory)>,
    /// The inquiry groups (by collectivity) the person sits in with an account.
    pub inquiry_groups: Vec<i64>,
    /// The working groups of the creativity cycle the person sits in with an account, as (collectivity, seat).
    pub working_seats: Vec<(i64, i64)>,
    /// The person's seat in one of the project's delegations, held with their account.
    pub delegation_seat: Option<Delegate>,
    /// The collectivities of the person's that observe the project: what it shares with its observers reaches them.
    pub observer_of: Vec<i64>,
    /// A seat on the project's steering committee, held with the person's account: they read the working space.
    pub steering: bool,
}

impl Access {
    /// The person's relations to `project`; `referent_of` comes with the person (`PageCtx::referent_of`).
    pub fn load(
        conn: &mut DbConnection,
        project: &Project,
        user: Option<&User>,
        referent_of: Vec<(Membership, Territory)>,
    ) -> Result<Access, AppError> {
        let Some(user) = user else {
            return Ok(Access {
                user: None,
                is_admin: false,
                is_provider: false,
                participant_of: Vec::new(),
                referent_of: Vec::new(),
                inquiry_groups: Vec::new(),
                working_seats: Vec::new(),
                delegation_seat: None,
                observer_of: Vec::new(),
                steering: false,
            });
        };
        Ok(Access {
            user: Some(user.clone()),
            is_admin: user.is_agency_admin,
            is_provider: projects::is_provider_of(conn, project, user.id)?,
            participant_of: projects::participant_collectivities_of(conn, project.id, user.id)?,
            referent_of,
            inquiry_groups: inquiry_storage::groups_of_user(conn, project.id, user.id)?,
            working_seats: codesign::working_seats(conn, project.id, user.id)?,
            delegation_seat: delegations::seat_of_user(conn, project.id, user.id)?,
            observer_of: projects::observing_collectivities_of(conn, project.id, user.id)?,
            steering: crate::storage::steering::sits_on_committee(conn, project.id, user.id)?,
        })
    }

    /// The working space: participants' news, events' details and minutes, the full activity.
    pub fn in_working_space(&self) -> bool {
        self.is_admin || self.is_provider || !self.participant_of.is_empty()
    }

    /// Reading the working space — its news, events and minutes, activity, diagnostics, the committee's page —:
    /// those who work in it, and the steering committee's members, who act in nothing.
    pub fn reads_working_space(&self) -> bool {
        self.in_working_space() || self.steering
    }

    /// The learning community — the delegations, the forum, the agora, the sessions of peers and of supervision —:
    /// the working space and the delegations' members.
    pub fn in_community(&self) -> bool {
        self.in_working_space() || self.delegation_seat.is_some()
    }

    /// The agency and the provider lead the work: news, events, minutes.
    pub fn leads(&self) -> bool {
        self.is_admin || self.is_provider
    }

    /// The person's seat in a territory's working group, if they hold one with their account.
    pub fn working_seat(&self, collectivity_id: i64) -> Option<i64> {
        self.working_seats.iter().find(|(c, _)| *c == collectivity_id).map(|(_, seat)| *seat)
    }

    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::Forbidden)
    }
}

/// Loads a project and the viewer's access to it.
pub async fn project_and_access(state: &AppState, ctx: &PageCtx, id: i64) -> Result<(Project, Access), AppError> {
    let (viewer, referent_of) = (ctx.user.clone(), ctx.referent_of());
    state
        .db(move |conn| {
            let project = projects::find_project(conn, id)?.ok_or(AppError::NotFound)?;
            let access = Access::load(conn, &project, viewer.as_ref(), referent_of)?;
            Ok((project, access))
        })
        .await
}

/// Whether a person sees a participant territory's inquiry group, and so its questionnaires: the agency, the
/// provider, the people of that collectivity and the group's members with an account.
pub fn may_see_group(access: &Access, collectivity_id: i64) -> bool {
    access.leads()
        || access.participant_of.contains(&collectivity_id)
        || access.inquiry_groups.contains(&collectivity_id)
}

/// Whether a person sees a participant territory's creativity cycle (its ideas, workshops, votes): the working
/// space (territories learn from each other) and the territory's working-group members with an account.
pub fn may_see_cycle(access: &Access, collectivity_id: i64) -> bool {
    access.in_working_space() || access.working_seat(collectivity_id).is_some()
}

/// What a person needs to be to reach a questionnaire's page.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// One who sees the territory's group: its people, its members with an account, the provider, the agency
    /// (results, exports, interviews).
    Group,
    /// One who leads the project: the provider or the agency (the builder).
    Lead,
}

/// A questionnaire with its project and the person's access to it, or a refusal.
pub async fn questionnaire_and_access(
    state: &AppState,
    ctx: &PageCtx,
    id: i64,
    need: Need,
) -> Result<(Questionnaire, Project, Access), AppError> {
    ctx.require_user()?;
    let questionnaire =
        state.db(move |conn| Ok(questionnaires::find_questionnaire(conn, id)?)).await?.ok_or(AppError::NotFound)?;
    let (project, access) = project_and_access(state, ctx, questionnaire.project_id).await?;
    let allowed = match need {
        Need::Group => may_see_group(&access, questionnaire.collectivity_id),
        Need::Lead => access.leads(),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    Ok((questionnaire, project, access))
}
