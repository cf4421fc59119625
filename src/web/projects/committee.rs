//! A project's steering committee: its partner organisations and their members, and its meetings (events of kind
//! « comité de pilotage »). Read by the working space and by the committee's members, who read the working space
//! without acting in it; formed by the agency and the provider, each member invited by e-mail to an account and to
//! the committee's meetings.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::{project_and_access, Access};
use super::paths::{committee_path, event_path, project_path};
use crate::domain::project::{EventKind, Phase};
use crate::domain::steering::{NewCommitteeMember, NewPartner, PartnerKind};
use crate::storage;
use crate::storage::events::{events_of_project, Event};
use crate::storage::projects::Project;
use crate::storage::steering::{self as steering_storage, Added, CommitteeMember, Partner};
use crate::web::context::PageCtx;
use crate::web::invitations::{send_invitation, InvitationTarget};
use crate::web::views::{csrf_field, date_fr, page_with_errors, see_other, select, unprocessable, Field, FormErrors};
use crate::web::{AppError, AppState};

struct Committee {
    project: Project,
    partners: Vec<(Partner, Vec<CommitteeMember>)>,
    meetings: Vec<Event>,
}

async fn load(state: &AppState, ctx: &PageCtx, id: i64) -> Result<(Committee, Access), AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, id).await?;
    if !access.reads_working_space() {
        return Err(AppError::Forbidden);
    }
    let committee = state
        .db(move |conn| {
            let partners = steering_storage::committee_of(conn, project.id)?;
            let meetings = events_of_project(conn, project.id)?
                .into_iter()
                .map(|(e, _)| e)
                .filter(|e| e.kind() == EventKind::SteeringCommittee)
                .collect();
            Ok(Committee { project, partners, meetings })
        })
        .await?;
    Ok((committee, access))
}

/// The forms of the page sent back with their errors.
enum Refused<'a> {
    None,
    Partner(&'a PartnerForm, &'a FormErrors),
    Member(&'a MemberForm, &'a FormErrors),
}

fn committee_page(ctx: &PageCtx, committee: &Committee, access: &Access, refused: Refused) -> Markup {
    let project = &committee.project;
    let path = committee_path(project.id);
    let no_errors = FormErrors::default();
    let blank_partner = PartnerForm::default();
    let blank_member = MemberForm::default();
    let (partner_form, partner_errors) = match refused {
        Refused::Partner(form, errors) => (form, errors),
        _ => (&blank_partner, &no_errors),
    };
    let (member_form, member_errors) = match refused {
        Refused::Member(form, errors) => (form, errors),
        _ => (&blank_member, &no_errors),
    };
    let errors = if partner_errors.is_empty() { member_errors } else { partner_errors };
    let forms = access.leads() && project.phase() != Phase::Closed;
    let now = storage::now();
    let kinds: Vec<(String, String)> =
        PartnerKind::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())).collect();
    let partners: Vec<(String, String)> =
        committee.partners.iter().map(|(p, _)| (p.id.to_string(), p.name.clone())).collect();
    page_with_errors(
        ctx,
        "Comité de pilotage",
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › Comité de pilotage" }
            h1 { "Comité de pilotage" }
            p {
                "Les partenaires du projet — associations d’élus, ministères, opérateurs, réseaux nationaux, "
                "chercheurs — suivent son avancement : leurs membres sont invités aux réunions du comité et lisent "
                "l’espace de travail du projet, sans y agir."
            }
            @if access.steering && !access.in_working_space() {
                p class="notice" { "Vous siégez au comité : vous lisez l’espace de travail du projet (actualités, rendez-vous et comptes rendus, diagnostics) sans pouvoir y écrire." }
            }
            section aria-labelledby="reunions" {
                h2 id="reunions" { "Réunions du comité" }
                @if committee.meetings.is_empty() { p { "Aucune réunion n’est encore prévue." } }
                @else {
                    ul {
                        @for meeting in &committee.meetings {
                            li {
                                a href=(event_path(project.id, meeting.id)) { (meeting.title) } ", le " (date_fr(meeting.starts_at))
                                @if !meeting.confirmed { " " span class="badge" { "date à confirmer" } }
                                @if meeting.ends_at < now && meeting.minutes.is_some() { " · compte rendu disponible" }
                            }
                        }
                    }
                }
                @if forms {
                    p { a href={ (project_path(project.id)) "/evenements/nouveau?type=steering_committee" } { "Planifier une réunion du comité" } " : ses membres y sont invités par courriel." }
                }
            }
            section aria-labelledby="partenaires" {
                h2 id="partenaires" { "Partenaires et membres" }
                @if committee.partners.is_empty() { p { "Aucun partenaire pour l’instant." } }
                @for (partner, members) in &committee.partners {
                    article class="card" {
                        h3 { (partner.name) }
                        p class="meta" { (partner.kind().label()) }
                        @if members.is_empty() { p { "Aucun membre pour l’instant." } }
                        @else {
                            ul {
                                @for m in members {
                                    li {
                                        (m.display_name)
                                        @if !m.function.is_empty() { ", " (m.function) }
                                        @if access.leads() {
                                            " (" (m.email) ") — "
                                            @if m.user_id.is_some() { "compte créé" } @else { "invitation envoyée" }
                                        }
                                        @if forms {
                                            form class="inline" method="post" action={ (path) "/membres/" (m.id) "/retrait" } {
                                                (csrf_field(ctx))
                                                " " button class="link-button" type="submit" { "Retirer " span class="visually-hidden" { (m.display_name) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        @if forms {
                            form method="post" action={ (path) "/partenaires/" (partner.id) "/retrait" } {
                                (csrf_field(ctx))
                                button class="button button-secondary" type="submit" { "Retirer le partenaire " span class="visually-hidden" { (partner.name) } " et ses membres" }
                            }
                        }
                    }
                }
            }
            @if forms {
                section aria-labelledby="ajouter-membre" {
                    h2 id="ajouter-membre" { "Ajouter un membre" }
                    @if committee.partners.is_empty() { p { "Ajoutez d’abord son organisation, ci-dessous." } }
                    @else {
                        (member_errors.summary())
                        form class="form" method="post" action={ (path) "/membres" } novalidate {
                            (csrf_field(ctx))
                            (select("partner_id", "Partenaire", &partners, &member_form.partner_id, None, member_errors))
                            (Field::new("display_name", "Nom").value(&member_form.display_name).render(member_errors))
                            (Field::new("function", "Fonction").value(&member_form.function).optional().render(member_errors))
                            (Field::new("email", "Adresse électronique").kind("email").value(&member_form.email).hint("La personne est invitée à créer son compte et reçoit les invitations aux réunions.").render(member_errors))
                            button class="button" type="submit" { "Ajouter et inviter" }
                        }
                    }
                }
                section aria-labelledby="ajouter-partenaire" {
                    h2 id="ajouter-partenaire" { "Ajouter un partenaire" }
                    (partner_errors.summary())
                    form class="form" method="post" action={ (path) "/partenaires" } novalidate {
                        (csrf_field(ctx))
                        (Field::new("name", "Nom de l’organisation").value(&partner_form.name).render(partner_errors))
                        (select("kind", "Type de partenaire", &kinds, &partner_form.kind, None, partner_errors))
                        button class="button" type="submit" { "Ajouter le partenaire" }
                    }
                }
            }
        },
    )
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let (committee, access) = load(&state, &ctx, id.into_inner()).await?;
    Ok(committee_page(&ctx, &committee, &access, Refused::None))
}

/// The committee, for the leads of a project still open.
async fn led(state: &AppState, ctx: &PageCtx, id: i64) -> Result<(Committee, Access), AppError> {
    let (committee, access) = load(state, ctx, id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    if committee.project.phase() == Phase::Closed {
        return Err(AppError::BadRequest("Le projet est clos : son comité ne change plus.".into()));
    }
    Ok((committee, access))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PartnerForm {
    name: String,
    kind: String,
}

pub async fn add_partner(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<PartnerForm>,
) -> Result<HttpResponse, AppError> {
    let (committee, access) = led(&state, &ctx, id.into_inner()).await?;
    let user = access.require_user()?.clone();
    let partner = match NewPartner::parse(&form.name, &form.kind) {
        Ok(partner) => partner,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return Ok(unprocessable(committee_page(&ctx, &committee, &access, Refused::Partner(&form, &errors))));
        }
    };
    let project_id = committee.project.id;
    let added = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok(steering_storage::add_partner(conn, project_id, &partner, user.id)?)
            })
        })
        .await?;
    ctx.set_flash(match added {
        Some(_) => "Partenaire ajouté : ajoutez ses membres.",
        None => "Ce partenaire figure déjà au comité.",
    });
    Ok(see_other(&committee_path(project_id)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    partner_id: String,
    display_name: String,
    function: String,
    email: String,
}

pub async fn add_member(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let (committee, access) = led(&state, &ctx, id.into_inner()).await?;
    let user = access.require_user()?.clone();
    let partner = form
        .partner_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| committee.partners.iter().find(|(p, _)| p.id == id))
        .map(|(p, _)| p.clone())
        .ok_or_else(|| "Choisissez le partenaire dans la liste.".to_owned());
    let member = NewCommitteeMember::parse(&form.display_name, &form.function, &form.email);
    let (partner, member) = match (partner, member) {
        (Ok(partner), Ok(member)) => (partner, member),
        (partner, member) => {
            let mut errors = FormErrors::from(member.err().unwrap_or_default());
            if let Err(message) = partner {
                errors.add("partner_id", message);
            }
            return Ok(unprocessable(committee_page(&ctx, &committee, &access, Refused::Member(&form, &errors))));
        }
    };
    let project_id = committee.project.id;
    let base_url = state.config.base_url.clone();
    let email = member.email.clone();
    let added = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let added = steering_storage::add_member(conn, &partner, &member, user.id)?;
                // A new member is invited to the meetings already confirmed, still to come.
                if matches!(added, Added::Added(_)) {
                    let now = storage::now();
                    for (meeting, _) in events_of_project(conn, project_id)? {
                        if meeting.kind() == EventKind::SteeringCommittee
                            && meeting.confirmed
                            && meeting.starts_at > now
                        {
                            crate::jobs::invite_attendees(conn, &meeting, &base_url)?;
                        }
                    }
                }
                Ok::<_, AppError>(added)
            })
        })
        .await?;
    match added {
        Added::Added(id) => {
            let target = InvitationTarget::SteeringMember { id, name: committee.project.title.clone() };
            send_invitation(&state, access.require_user()?, &email, target).await?;
            ctx.set_flash("Membre ajouté : son invitation à créer un compte est partie par courriel.");
        }
        Added::Already(_) => ctx.set_flash("Cette adresse siège déjà au comité : rien n’a changé."),
    }
    Ok(see_other(&committee_path(project_id)))
}

pub async fn remove_member(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, member_id) = path.into_inner();
    led(&state, &ctx, project_id).await?;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok(steering_storage::remove_member(conn, project_id, member_id)?))
        })
        .await?;
    ctx.set_flash("Membre retiré du comité.");
    Ok(see_other(&committee_path(project_id)))
}

pub async fn remove_partner(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, partner_id) = path.into_inner();
    led(&state, &ctx, project_id).await?;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok(steering_storage::remove_partner(conn, project_id, partner_id)?))
        })
        .await?;
    ctx.set_flash("Partenaire retiré du comité, avec ses membres.");
    Ok(see_other(&committee_path(project_id)))
}
