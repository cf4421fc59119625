//! Enrolment of a collectivity by its referent: as participant (signing the charter; a seat or the waiting list)
//! or observer, and leaving what the referent meant to leave (a freed seat goes to the first collectivity waiting,
//! whose referents are told by e-mail at once).

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::project_and_access;
use super::paths::project_path;
use super::{render_page, Submitted};
use crate::domain::project::{EnrolmentRequest, EnrolmentRole, Phase, Standing, Withdrawal};
use crate::domain::text::de;
use crate::mail::{self, messages};
use crate::storage;
use crate::storage::collectivities::{self, Membership};
use crate::storage::projects::{self, EnrolOutcome, Enrolment, Project, Promotion, WithdrawOutcome};
use crate::storage::territories::Territory;
use crate::web::collectivities::acting_for;
use crate::web::context::PageCtx;
use crate::web::views::{csrf_field, moment_fr, rank_fr, see_other, unprocessable, FormErrors};
use crate::web::{AppError, AppState};

/// What a referent sees for one of their collectivities: where it stands (its rank while it waits), and the forms
/// to enrol or leave, each saying what it leaves.
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
    let standing = current.map_or(Standing::NotEnrolled, Enrolment::standing);
    let rank = super::waiting_list(enrolments).iter().position(|(e, _)| e.collectivity_id == cid).map(|i| i as i64 + 1);
    let no_errors = FormErrors::default();
    let (errors, chosen) = match submitted {
        Submitted::Enrolment { collectivity_id, role, errors } if *collectivity_id == cid => (*errors, *role),
        Submitted::Withdrawal { collectivity_id, errors } if *collectivity_id == cid => (*errors, ""),
        _ => (&no_errors, ""),
    };
    let phase = project.phase();
    let can_participate = phase.accepts_enrolment(EnrolmentRole::Participant)
        && matches!(standing, Standing::NotEnrolled | Standing::Observer);
    let can_observe = phase.accepts_enrolment(EnrolmentRole::Observer) && standing == Standing::NotEnrolled;
    let heading = format!("inscription-{cid}");
    let charter_id = format!("charter-{cid}");
    let charter_error = errors.get("charter");
    let leave_path = format!("{}/retrait", project_path(project.id));
    html! {
        section class="card" aria-labelledby=(heading) {
            h3 id=(heading) { "L’inscription " (de(&territory.name)) }
            @match (standing, current) {
                (Standing::Waiting { observing }, Some(e)) => {
                    p {
                        strong { (rank_fr(rank.unwrap_or(1))) " sur la liste d’attente" }
                        " pour une place de participante, depuis le " (moment_fr(e.requested_at)) "."
                        @if observing { " En attendant, votre collectivité reste observatrice." }
                    }
                }
                (Standing::Participant | Standing::Observer, Some(e)) => { p { (e.role().label()) " depuis le " (moment_fr(e.requested_at)) "." } }
                _ => { p { "Votre collectivité n’est pas inscrite à ce projet." } }
            }
            (errors.summary())
            @if can_participate {
                form class="form" method="post" action={ (project_path(project.id)) "/inscription" } novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="collectivity_id" value=(cid);
                    input type="hidden" name="role" value="participant";
                    p {
                        @if project.seats_left() > 0 { (project.seats_left()) " place" @if project.seats_left() > 1 { "s" } " de participante restante" @if project.seats_left() > 1 { "s" } "." }
                        @else {
                            "Les places de participantes sont prises : votre demande sera inscrite en liste d’attente, dans l’ordre d’arrivée."
                            @if standing == Standing::Observer { " Votre collectivité reste observatrice en attendant." }
                        }
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
            @if phase != Phase::Closed {
                @match standing {
                    Standing::Waiting { observing } => {
                        (leave_form(ctx, &leave_path, cid, Withdrawal::LeaveWaitingList, html! {
                            button class="button secondary" type="submit" {
                                "Quitter la liste d’attente" @if observing { " (rester observatrice)" }
                            }
                        }))
                    }
                    Standing::Participant => {
                        @let confirm_id = format!("confirm-{cid}");
                        @let confirm_error = errors.get("confirm");
                        (leave_form(ctx, &leave_path, cid, Withdrawal::GiveUpSeat, html! {
                            div class={ "field" @if confirm_error.is_some() { " field-invalid" } } {
                                @if let Some(message) = confirm_error { p class="field-error" id={ (confirm_id) "-erreur" } { span aria-hidden="true" { "⚠ " } (message) } }
                                div class="choice" {
                                    input type="checkbox" id=(confirm_id) name="confirm" value="oui"
                                        aria-invalid=[confirm_error.map(|_| "true")] aria-describedby=[confirm_error.map(|_| format!("{confirm_id}-erreur"))];
                                    label for=(confirm_id) { (territory.name) " renonce à sa place de participante : elle ira à la première collectivité de la liste d’attente" }
                                }
                            }
                            button class="button secondary" type="submit" { "Retirer " (territory.name) " du projet" }
                        }))
                    }
                    Standing::Observer => {
                        (leave_form(ctx, &leave_path, cid, Withdrawal::StopObserving, html! {
                            button class="button secondary" type="submit" { "Ne plus suivre le projet comme observatrice" }
                        }))
                    }
                    Standing::NotEnrolled => {}
                }
            }
        }
    }
}

/// A form that leaves something, naming what in the request so that a stale page cannot leave something else.
fn leave_form(ctx: &PageCtx, action: &str, collectivity_id: i64, withdrawal: Withdrawal, body: Markup) -> Markup {
    html! {
        form class="form" method="post" action=(action) novalidate {
            (csrf_field(ctx))
            input type="hidden" name="collectivity_id" value=(collectivity_id);
            input type="hidden" name="intent" value=(withdrawal.code());
            (body)
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
                Err(e) if storage::is_unique_violation(&e) => {
                    let existing = projects::find_enrolment(conn, id, collectivity_id)?.ok_or(AppError::NotFound)?;
                    Ok(EnrolOutcome::AlreadyEnrolled(existing.standing()))
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
        // A double click, or two referents at once: what was asked holds; the page shows where things stand.
        EnrolOutcome::AlreadyEnrolled(standing) => ctx.set_flash(&format!(
            "{name} {} : rien n’a été modifié.",
            match standing {
                Standing::Waiting { .. } => "est déjà en liste d’attente",
                Standing::Participant => "est déjà inscrite comme participante",
                _ => "suit déjà le projet comme observatrice",
            }
        )),
        EnrolOutcome::PhaseClosed(phase) => {
            return Err(AppError::BadRequest(format!(
                "Le projet est en phase « {} » : cette inscription n’est plus possible, rien n’a été enregistré.",
                phase.label()
            )))
        }
    }
    Ok(see_other(&format!("{}#inscrits", project_path(id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WithdrawForm {
    collectivity_id: String,
    intent: String,
    confirm: Option<String>,
}

pub async fn withdraw(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<WithdrawForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let id = id.into_inner();
    let (_, access) = project_and_access(&state, &ctx, id).await?;
    let (collectivity_id, name) = acting_for(&access.referent_of, &form.collectivity_id)?;
    let withdrawal = Withdrawal::parse(&form.intent).map_err(AppError::BadRequest)?;
    if withdrawal == Withdrawal::GiveUpSeat && form.confirm.as_deref() != Some("oui") {
        let mut errors = FormErrors::default();
        errors.add(
            "confirm",
            format!("Pour retirer {name} du projet, cochez la case qui confirme qu’elle renonce à sa place."),
        );
        let submitted = Submitted::Withdrawal { collectivity_id, errors: &errors };
        return Ok(unprocessable(render_page(&ctx, &state, id, submitted).await?));
    }
    let (taken_name, base_url) = (name.clone(), state.config.base_url.clone());
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let outcome = projects::withdraw(conn, id, collectivity_id, user.id, withdrawal, &taken_name)?;
                if let WithdrawOutcome::Withdrawn { promoted: Some(promotion), .. } = &outcome {
                    tell_promoted_referents(conn, id, promotion, &base_url)?;
                }
                Ok::<_, AppError>(outcome)
            })
        })
        .await?;
    ctx.set_flash(&match outcome {
        WithdrawOutcome::Withdrawn { now: Standing::Observer, .. } => {
            format!("{name} quitte la liste d’attente et reste observatrice du projet.")
        }
        WithdrawOutcome::Withdrawn { promoted, .. } => match withdrawal {
            Withdrawal::LeaveWaitingList => format!("{name} quitte la liste d’attente."),
            Withdrawal::StopObserving => format!("{name} ne suit plus le projet comme observatrice."),
            Withdrawal::GiveUpSeat => match promoted {
                Some(next) => format!(
                    "{name} s’est retirée du projet. {}, première de la liste d’attente, prend sa place.",
                    next.name
                ),
                None => format!("{name} s’est retirée du projet."),
            },
        },
        WithdrawOutcome::AlreadyDone => match withdrawal {
            Withdrawal::LeaveWaitingList => {
                format!("{name} n’est déjà plus en liste d’attente : rien n’a été modifié.")
            }
            Withdrawal::GiveUpSeat => format!("{name} n’est déjà plus participante : rien n’a été modifié."),
            Withdrawal::StopObserving => format!("{name} ne suit déjà plus le projet : rien n’a été modifié."),
        },
        WithdrawOutcome::Changed { now, rank } => match now {
            Standing::Participant => format!(
                "Votre collectivité vient d’obtenir une place de participante : rien n’a été retiré. Si {name} \
                 renonce à cette place, dites-le ci-dessous."
            ),
            Standing::Waiting { .. } => {
                format!("{name} est en liste d’attente ({} sur la liste) : rien n’a été modifié.", rank_fr(rank))
            }
            Standing::Observer => format!("{name} suit le projet comme observatrice : rien n’a été modifié."),
            Standing::NotEnrolled => format!("{name} n’est pas inscrite à ce projet : rien n’a été modifié."),
        },
        WithdrawOutcome::ProjectClosed => {
            return Err(AppError::BadRequest("Le projet est clos : les inscriptions ne changent plus.".into()))
        }
    });
    Ok(see_other(&format!("{}#inscription-{collectivity_id}", project_path(id))))
}

/// The referents of a collectivity promoted from the waiting list hear of it at once, in the transaction of the
/// promotion: one message each per promotion, whoever retries.
fn tell_promoted_referents(
    conn: &mut storage::DbConnection,
    project_id: i64,
    promotion: &Promotion,
    base_url: &str,
) -> Result<(), AppError> {
    let link = format!("{base_url}{}#inscription-{}", project_path(project_id), promotion.collectivity_id);
    for (membership, referent) in collectivities::members_of_collectivity(conn, promotion.collectivity_id)? {
        if !membership.is_referent {
            continue;
        }
        let mail = messages::seat_obtained(
            &referent.email,
            &referent.display_name,
            &promotion.name,
            &promotion.project_title,
            &link,
        );
        let at = promotion.at.and_utc().timestamp_micros();
        let key = format!("seat:e{}:{at}:u{}", promotion.enrolment_id, referent.id);
        mail::queue(conn, &key, "seat_obtained", &mail, None)?;
    }
    Ok(())
}
