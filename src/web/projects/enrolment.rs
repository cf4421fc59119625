//! Enrolment of a collectivity by its referent: as participant (signing the charter; a seat or the waiting list)
//! or observer, and withdrawal (a freed seat goes to the first collectivity waiting).

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{project_and_access, project_path, render_page, Submitted};
use crate::domain::project::{EnrolmentRequest, EnrolmentRole, EnrolmentStatus};
use crate::domain::text::de;
use crate::storage::collectivities::Membership;
use crate::storage::projects::{self, EnrolOutcome, Enrolment, Project, WithdrawOutcome};
use crate::storage::territories::Territory;
use crate::storage::{self, DbError};
use crate::web::collectivities::{acting_for, CollectivityForm};
use crate::web::context::PageCtx;
use crate::web::views::{csrf_field, date_fr, see_other, unprocessable, FormErrors};
use crate::web::{AppError, AppState};

/// What a referent sees for one of their collectivities: where it stands, and the forms to enrol or withdraw.
pub fn panel(
    ctx: &PageCtx,
    project: &Project,
    membership: &Membership,
    territory: &Territory,
    enrolments: &[(Enrolment, Territory)],
    submitted: &Submitted,
) -> Markup {
    let cid = membership.collectivity_id;
    let current = enrolments.iter().find(|(e, _)| e.collectivity_id == cid).map(|(e, _)| e);
    let current = current.filter(|e| e.status() != EnrolmentStatus::Withdrawn);
    let no_errors = FormErrors::default();
    let (errors, chosen) = match submitted {
        Submitted::Enrolment { collectivity_id, role, errors } if *collectivity_id == cid => (*errors, *role),
        _ => (&no_errors, ""),
    };
    let phase = project.phase();
    let can_participate = phase.accepts_enrolment(EnrolmentRole::Participant)
        && current.is_none_or(|e| e.role() == EnrolmentRole::Observer);
    let can_observe = phase.accepts_enrolment(EnrolmentRole::Observer) && current.is_none();
    let heading = format!("inscription-{cid}");
    let charter_id = format!("charter-{cid}");
    let charter_error = errors.get("charter");
    html! {
        section class="card" aria-labelledby=(heading) {
            h3 id=(heading) { "L’inscription " (de(&territory.name)) }
            @match current {
                Some(e) if e.status() == EnrolmentStatus::Waitlisted => {
                    p { "En liste d’attente comme participante depuis le " (date_fr(e.requested_at)) "." }
                }
                Some(e) => { p { (e.role().label()) " depuis le " (date_fr(e.requested_at)) "." } }
                None => { p { "Votre collectivité n’est pas inscrite à ce projet." } }
            }
            (errors.summary())
            @if can_participate {
                form class="form" method="post" action={ (project_path(project.id)) "/inscription" } novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="collectivity_id" value=(cid);
                    input type="hidden" name="role" value="participant";
                    p {
                        @if project.seats_left() > 0 { (project.seats_left()) " place" @if project.seats_left() > 1 { "s" } " de participante restante" @if project.seats_left() > 1 { "s" } "." }
                        @else { "Les places de participantes sont prises : votre demande sera inscrite en liste d’attente, dans l’ordre d’arrivée." }
                    }
                    div class={ "field" @if charter_error.is_some() { " field-invalid" } } {
                        @if let Some(message) = charter_error { p class="field-error" id={ (charter_id) "-erreur" } { span aria-hidden="true" { "⚠ " } (message) } }
                        div class="choice" {
                            input type="checkbox" id=(charter_id) name="charter" value="oui" checked[chosen == "participant" && charter_error.is_none()]
                                aria-invalid=[charter_error.map(|_| "true")] aria-describedby=[charter_error.map(|_| format!("{charter_id}-erreur"))];
                            label for=(charter_id) { (territory.name) " a lu la charte du projet et s’engage à la respecter" }
                        }
                    }
                    button class="button" type="submit" { "Inscrire " (territory.name) " comme participante" }
                }
            }
            @if can_observe {
                form class="inline" method="post" action={ (project_path(project.id)) "/inscription" } {
                    (csrf_field(ctx))
                    input type="hidden" name="collectivity_id" value=(cid);
                    input type="hidden" name="role" value="observer";
                    button class="button secondary" type="submit" { "Suivre comme observatrice" }
                }
            }
            @if current.is_some() && phase != crate::domain::project::Phase::Closed {
                form class="inline" method="post" action={ (project_path(project.id)) "/retrait" } {
                    (csrf_field(ctx))
                    input type="hidden" name="collectivity_id" value=(cid);
                    button class="button secondary" type="submit" {
                        @if current.is_some_and(|e| e.status() == EnrolmentStatus::Waitlisted) { "Quitter la liste d’attente" }
                        @else { "Retirer " (territory.name) " du projet" }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnrolForm {
    collectivity_id: String,
    role: String,
    charter: Option<String>,
}

pub async fn enrol(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<EnrolForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let id = id.into_inner();
    let (_, access) = project_and_access(&state, &ctx, id).await?;
    let (collectivity_id, name) = acting_for(&access.referent_of, &form.collectivity_id)?;
    let request = match EnrolmentRequest::parse(&form.role, form.charter.as_deref() == Some("oui")) {
        Ok(request) => request,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            let submitted = Submitted::Enrolment { collectivity_id, role: &form.role, errors: &errors };
            return Ok(unprocessable(render_page(&ctx, &state, id, submitted).await?));
        }
    };
    let taken_name = name.clone();
    let outcome = state
        .db(move |conn| {
            let result = storage::write_transaction(conn, |conn| {
                projects::enrol(conn, id, collectivity_id, user.id, request.role, &taken_name)
            });
            match result {
                // Two submissions at once: the unique (project, collectivity) let one through.
                Err(DbError::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                    let existing = projects::find_enrolment(conn, id, collectivity_id)?.ok_or(AppError::NotFound)?;
                    Ok(EnrolOutcome::AlreadyEnrolled(existing.role(), existing.status()))
                }
                other => Ok(other?),
            }
        })
        .await?;
    match outcome {
        EnrolOutcome::Enrolled(EnrolmentRole::Participant) => {
            ctx.set_flash(&format!("{name} est inscrite comme participante ; la charte est signée."))
        }
        EnrolOutcome::Enrolled(EnrolmentRole::Observer) => {
            ctx.set_flash(&format!("{name} suit désormais le projet comme observatrice."))
        }
        EnrolOutcome::Waitlisted { rank } => ctx.set_flash(&format!(
            "Les places de participantes sont prises : {name} est en liste d’attente, au rang {rank}. Elle prendra la \
             première place libérée."
        )),
        EnrolOutcome::AlreadyEnrolled(role, status) => {
            let what = match status {
                EnrolmentStatus::Waitlisted => "déjà en liste d’attente".to_owned(),
                _ => format!("déjà inscrite ({})", role.label().to_lowercase()),
            };
            return Err(AppError::BadRequest(format!("{name} est {what} : rien n’a été modifié.")));
        }
        EnrolOutcome::PhaseClosed(phase) => {
            return Err(AppError::BadRequest(format!(
                "Le projet est en phase « {} » : cette inscription n’est plus possible, rien n’a été enregistré.",
                phase.label()
            )))
        }
    }
    Ok(see_other(&format!("{}#inscrits", project_path(id))))
}

pub async fn withdraw(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<CollectivityForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let id = id.into_inner();
    let (_, access) = project_and_access(&state, &ctx, id).await?;
    let (collectivity_id, name) = acting_for(&access.referent_of, &form.collectivity_id)?;
    let taken_name = name.clone();
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(projects::withdraw(conn, id, collectivity_id, user.id, &taken_name)?)
            })
        })
        .await?;
    match outcome {
        WithdrawOutcome::Withdrawn { promoted: Some(next) } => ctx.set_flash(&format!(
            "{name} s’est retirée du projet. {next}, première de la liste d’attente, prend sa place."
        )),
        WithdrawOutcome::Withdrawn { promoted: None } => ctx.set_flash(&format!("{name} s’est retirée du projet.")),
        WithdrawOutcome::NotEnrolled => {
            return Err(AppError::BadRequest(format!("{name} n’est pas inscrite à ce projet : rien n’a été modifié.")))
        }
        WithdrawOutcome::ProjectClosed => {
            return Err(AppError::BadRequest("Le projet est clos : les inscriptions ne changent plus.".into()))
        }
    }
    Ok(see_other(&format!("{}#inscrits", project_path(id))))
}
