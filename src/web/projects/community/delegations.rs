//! A participant territory's delegation: its members by category, titular or substitute, its referent, and what it
//! lacks. Read by the community; formed by the agency, the provider, the collectivity's referents and the
//! delegation's own referent. A member with an address is invited to create an account: without one, nobody
//! enters a peer group.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{community_and_access, delegations_of_project, require_open, Delegation};
use crate::domain::community::{NewDelegate, Seat};
use crate::domain::text::de;
use crate::storage;
use crate::storage::delegations::{self as delegation_storage, AddOutcome, PeerGroup};
use crate::storage::projects::Project;
use crate::web::context::PageCtx;
use crate::web::invitations::{send_invitation, InvitationTarget};
use crate::web::projects::access::Access;
use crate::web::projects::paths::{community_path, delegation_path, project_path};
use crate::web::views::{
    csrf_field, page_with_errors, radio_group, scroll_table, see_other, select, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

/// Who forms a territory's delegation: the agency, the provider, the collectivity's referents, the delegation's
/// referent.
fn may_form(access: &Access, collectivity_id: i64) -> bool {
    access.leads()
        || access.referent_of.iter().any(|(m, _)| m.collectivity_id == collectivity_id)
        || access.delegation_seat.as_ref().is_some_and(|s| s.is_referent && s.collectivity_id == collectivity_id)
}

struct Loaded {
    project: Project,
    groups: Vec<PeerGroup>,
    delegation: Delegation,
}

async fn load(state: &AppState, project: Project, collectivity_id: i64) -> Result<Loaded, AppError> {
    state
        .db(move |conn| {
            let groups = delegation_storage::peer_groups_of_project(conn, project.id)?;
            let delegation = delegations_of_project(conn, project.id)?
                .into_iter()
                .find(|d| d.collectivity_id == collectivity_id)
                .ok_or(AppError::NotFound)?;
            Ok(Loaded { project, groups, delegation })
        })
        .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DelegateForm {
    display_name: String,
    category: String,
    function: String,
    seat: String,
    referent: Option<String>,
    email: String,
}

fn delegation_page(
    ctx: &PageCtx,
    loaded: &Loaded,
    access: &Access,
    refused: Option<(&DelegateForm, &FormErrors)>,
) -> Markup {
    let (empty, none) =
        (DelegateForm { seat: Seat::Titular.code().into(), ..DelegateForm::default() }, FormErrors::default());
    let (form, errors) = refused.unwrap_or((&empty, &none));
    let (project, delegation) = (&loaded.project, &loaded.delegation);
    let path = delegation_path(project.id, delegation.collectivity_id);
    let forms = may_form(access, delegation.collectivity_id);
    let warnings = delegation.warnings(&loaded.groups);
    let title = format!("Délégation {}", de(&delegation.territory));
    let label_of = |id: i64| loaded.groups.iter().find(|g| g.id == id).map(|g| g.member_label.as_str()).unwrap_or("");
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › " a href=(community_path(project.id)) { "Communauté apprenante" } " › Délégation" }
            h1 { (title) }
            p { "Une personne par catégorie d’acteurs, titulaire, avec sa suppléance ; l’une d’elles, référente, mène la délégation. Chacune entre dans le groupe de pairs de sa catégorie une fois son compte créé." }
            @if warnings.is_empty() {
                p class="notice notice-success" { "La délégation est complète." }
            } @else {
                div class="notice notice-warning" {
                    p class="notice-title" { "À compléter" }
                    ul { @for warning in &warnings { li { (warning) } } }
                }
            }
            section aria-labelledby="membres" {
                h2 id="membres" { "Membres (" (delegation.members.len()) ")" }
                @if delegation.members.is_empty() {
                    p { "La délégation n’a pas encore de membres." }
                } @else {
                    (scroll_table(&format!("Membres de la délégation {}", de(&delegation.territory)), html! {
                        table {
                            caption class="visually-hidden" { "Membres de la délégation " (de(&delegation.territory)) }
                            thead {
                                tr {
                                    th scope="col" { "Nom" }
                                    th scope="col" { "Catégorie" }
                                    th scope="col" { "Fonction" }
                                    th scope="col" { "Place" }
                                    th scope="col" { "Compte" }
                                    @if forms { th scope="col" { span class="visually-hidden" { "Actions" } } }
                                }
                            }
                            tbody {
                                @for member in &delegation.members {
                                    tr {
                                        th scope="row" { (member.display_name) }
                                        td { (label_of(member.peer_group_id)) }
                                        td { (member.function) }
                                        td { (member.seat().label()) @if member.is_referent { ", référent·e" } }
                                        td {
                                            @if member.user_id.is_some() { "Oui" }
                                            @else if member.email.is_some() { "Invitation envoyée" }
                                            @else { "Sans compte" }
                                        }
                                        @if forms {
                                            td {
                                                @if !member.is_referent && !member.is_substitute {
                                                    form class="inline" method="post" action={ (path) "/membres/" (member.id) "/referent" } {
                                                        (csrf_field(ctx))
                                                        button class="link-button" type="submit" { "Désigner référent·e" span class="visually-hidden" { " : " (member.display_name) } }
                                                    }
                                                    " · "
                                                }
                                                form class="inline" method="post" action={ (path) "/membres/" (member.id) "/retrait" } {
                                                    (csrf_field(ctx))
                                                    button class="link-button" type="submit" { "Retirer" span class="visually-hidden" { " " (member.display_name) } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }))
                }
            }
            @if forms {
                section aria-labelledby="ajouter" {
                    h2 id="ajouter" { "Ajouter une personne" }
                    (errors.summary())
                    form class="form" method="post" action={ (path) "/membres" } novalidate {
                        (csrf_field(ctx))
                        (Field::new("display_name", "Nom et prénom").value(&form.display_name).render(errors))
                        (category_select(&loaded.groups, &form.category, errors))
                        (Field::new("function", "Fonction").value(&form.function).hint("« Adjointe à la démocratie locale », « Directeur du centre social », « Déléguée du préfet »…").optional().render(errors))
                        (radio_group("seat", "Place", &[(Seat::Titular.code(), Seat::Titular.label()), (Seat::Substitute.code(), Seat::Substitute.label())], &form.seat, errors))
                        div class="field" {
                            input type="checkbox" id="referent" name="referent" value="oui" checked[form.referent.is_some()];
                            label for="referent" { "Référent·e de la délégation (remplace la personne qui l’était)" }
                        }
                        (Field::new("email", "Adresse électronique, pour l’inviter à créer son compte").kind("email").value(&form.email).autocomplete("off").optional().render(errors))
                        button class="button" type="submit" { "Ajouter à la délégation" }
                    }
                }
            }
        },
    )
}

fn category_select(groups: &[PeerGroup], selected: &str, errors: &FormErrors) -> Markup {
    let mut options = vec![(String::new(), "Choisir…".to_owned())];
    options.extend(groups.iter().map(|g| (g.id.to_string(), g.member_label.clone())));
    select("category", "Catégorie", &options, selected, None, errors)
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let (project, access) = community_and_access(&state, &ctx, project_id).await?;
    let loaded = load(&state, project, collectivity_id).await?;
    Ok(delegation_page(&ctx, &loaded, &access, None))
}

async fn formed(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    collectivity_id: i64,
) -> Result<(Loaded, Access), AppError> {
    let (project, access) = community_and_access(state, ctx, project_id).await?;
    if !may_form(&access, collectivity_id) {
        return Err(AppError::Forbidden);
    }
    require_open(&project)?;
    Ok((load(state, project, collectivity_id).await?, access))
}

pub async fn add(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<DelegateForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let (project_id, collectivity_id) = path.into_inner();
    let (loaded, access) = formed(&state, &ctx, project_id, collectivity_id).await?;
    let categories: Vec<i64> = loaded.groups.iter().map(|g| g.id).collect();
    let parsed = NewDelegate::parse(
        &form.display_name,
        &form.category,
        &form.function,
        &form.seat,
        form.referent.is_some(),
        &form.email,
        &categories,
    );
    let delegate = match parsed {
        Ok(delegate) => delegate,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return Ok(unprocessable(delegation_page(&ctx, &loaded, &access, Some((&form, &errors)))));
        }
    };
    let (to_add, by) = (delegate.clone(), user.id);
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(delegation_storage::add_delegate(conn, project_id, collectivity_id, &to_add, by)?)
            })
        })
        .await?;
    let member_id = match outcome {
        AddOutcome::Added(id) => id,
        AddOutcome::EmailTaken => {
            let mut errors = FormErrors::default();
            errors.add("email", "Une personne des délégations de ce projet a déjà cette adresse électronique.");
            return Ok(unprocessable(delegation_page(&ctx, &loaded, &access, Some((&form, &errors)))));
        }
    };
    match &delegate.email {
        Some(email) => {
            let target =
                InvitationTarget::DelegationMember { id: member_id, name: loaded.delegation.territory.clone() };
            send_invitation(&state, &user, email, target).await?;
            ctx.set_flash(&format!(
                "{} rejoint la délégation ; une invitation à créer son compte est envoyée à {}.",
                delegate.display_name,
                email.as_str()
            ));
        }
        None => ctx.set_flash(&format!("{} rejoint la délégation.", delegate.display_name)),
    }
    Ok(see_other(&delegation_path(project_id, collectivity_id)))
}

pub async fn remove(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, member_id) = path.into_inner();
    formed(&state, &ctx, project_id, collectivity_id).await?;
    let removed = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(delegation_storage::remove_delegate(conn, project_id, collectivity_id, member_id)?)
            })
        })
        .await?;
    // Removed by a double click's first request: the page shows the delegation as it is.
    if removed {
        ctx.set_flash("La personne a quitté la délégation et n’entre plus dans son groupe de pairs.");
    }
    Ok(see_other(&delegation_path(project_id, collectivity_id)))
}

pub async fn make_referent(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, member_id) = path.into_inner();
    formed(&state, &ctx, project_id, collectivity_id).await?;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                delegation_storage::make_referent(conn, project_id, collectivity_id, member_id).map_err(|e| {
                    if storage::is_not_found(&e) {
                        AppError::NotFound
                    } else {
                        AppError::from(e)
                    }
                })
            })
        })
        .await?;
    ctx.set_flash("La délégation a sa nouvelle personne référente.");
    Ok(see_other(&delegation_path(project_id, collectivity_id)))
}
