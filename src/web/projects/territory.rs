//! A participant territory of a project as the pages of its creativity cycle, its action plan and its restitution
//! see it: the project, the person's access, where, and the person's seat in the territory's working group.

use super::access::{may_see_cycle, project_and_access, Access};
use crate::domain::project::Phase;
use crate::storage::codesign::{self, WorkingMember};
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::diagnostic::Place;
use crate::storage::projects::{self, Project};
use crate::web::context::PageCtx;
use crate::web::{AppError, AppState};

/// Whether a person frames the territory's work: sets its cycle's method, forms its working group, writes its
/// action plan — its referents, the provider and the agency.
pub fn may_edit(access: &Access, collectivity_id: i64) -> bool {
    access.leads() || access.referent_of.iter().any(|(m, _)| m.collectivity_id == collectivity_id)
}

/// A participant territory's cycle as a request sees it: the project, the person's access, where, and the
/// person's seat in the working group.
pub struct Territory {
    pub project: Project,
    pub access: Access,
    pub place: Place,
    pub name: String,
    pub seat: Option<WorkingMember>,
}

impl Territory {
    /// An active participant territory, for a person who may see its cycle and its plan.
    pub async fn load(
        state: &AppState,
        ctx: &PageCtx,
        project_id: i64,
        collectivity_id: i64,
    ) -> Result<Territory, AppError> {
        Territory::load_for(state, ctx, project_id, collectivity_id, may_see_cycle).await
    }

    /// An active participant territory, for a person `may_see` lets in.
    pub async fn load_for(
        state: &AppState,
        ctx: &PageCtx,
        project_id: i64,
        collectivity_id: i64,
        may_see: fn(&Access, i64) -> bool,
    ) -> Result<Territory, AppError> {
        ctx.require_user()?;
        let (project, access) = project_and_access(state, ctx, project_id).await?;
        if !may_see(&access, collectivity_id) {
            return Err(AppError::Forbidden);
        }
        let seat_id = access.working_seat(collectivity_id);
        state
            .db(move |conn| {
                let enrolment = projects::find_enrolment(conn, project_id, collectivity_id)?;
                if !enrolment.is_some_and(|e| e.is_active_participant()) {
                    return Err(AppError::NotFound);
                }
                let name = territory_of_collectivity(conn, collectivity_id)?.ok_or(AppError::NotFound)?.name;
                let seat = match seat_id {
                    Some(id) => codesign::find_working_member(conn, id)?,
                    None => None,
                };
                let place = Place { project_id, collectivity_id };
                Ok(Territory { project, access, place, name, seat })
            })
            .await
    }

    /// Nothing changes in a closed project.
    pub fn require_open_project(&self) -> Result<(), AppError> {
        if self.project.phase() == Phase::Closed {
            return Err(AppError::BadRequest("Le projet est clos : plus rien n’y change.".into()));
        }
        Ok(())
    }
}
