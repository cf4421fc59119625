//! The agency's administration: its page (shared projects, accounts, pending invitations, providers and their
//! members, with the forms that add providers and invite their members), and beside it the pages that look after
//! the platform rather than a project: territory outlines (`boundaries`) and the e-mail outbox (`outbox`).

pub mod boundaries;
pub mod outbox;
pub mod programmes;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::account::EmailAddress;
use crate::domain::text::{clean_line, de};
use crate::storage::invitations::{pending_invitations, Invitation};
use crate::storage::projects::{self, Project};
use crate::storage::providers::{self, Provider};
use crate::storage::users::{self, User};
use crate::storage::{self, collectivities};
use crate::web::context::PageCtx;
use crate::web::invitations::{send_invitation, InvitationTarget};
use crate::web::projects::paths::project_path;
use crate::web::views::{
    csrf_field, date_fr, page_with_errors, scroll_table, see_other, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

struct Dashboard {
    users: Vec<User>,
    /// The most recent pending invitations, and how many there are in all.
    pending: Vec<Invitation>,
    pending_total: i64,
    providers: Vec<(Provider, Vec<User>)>,
    collectivities: i64,
    projects: Vec<Project>,
}

async fn load(state: &AppState) -> Result<Dashboard, AppError> {
    state
        .db(|conn| {
            let providers = providers::list_providers(conn)?
                .into_iter()
                .map(|p| {
                    let members = providers::members_of_provider(conn, p.id)?;
                    Ok((p, members))
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            let (pending, pending_total) = pending_invitations(conn, storage::now(), 50)?;
            Ok(Dashboard {
                users: users::list_users(conn)?,
                pending,
                pending_total,
                providers,
                collectivities: collectivities::count_collectivities(conn)?,
                projects: projects::list_projects(conn)?,
            })
        })
        .await
}

#[derive(Deserialize, Default)]
pub struct ProviderForm {
    name: String,
}

#[derive(Deserialize, Default)]
pub struct MemberForm {
    email: String,
}

/// Which form of the page a submission came from, to show its errors next to it.
enum Submitted<'a> {
    None,
    Provider(&'a ProviderForm, &'a FormErrors),
    Member(i64, &'a MemberForm, &'a FormErrors),
}

fn dashboard_page(ctx: &PageCtx, data: &Dashboard, submitted: Submitted) -> Markup {
    let no_errors = FormErrors::default();
    let (provider_name, provider_errors) = match &submitted {
        Submitted::Provider(form, errors) => (form.name.as_str(), *errors),
        _ => ("", &no_errors),
    };
    page_with_errors(
        ctx,
        "Administration",
        provider_errors,
        html! {
            h1 { "Administration" }
            p { (data.collectivities) " collectivités sur la plateforme, " (data.users.len()) " comptes, " (data.pending_total) " invitations en attente. "
                "Pour inviter les membres d’une collectivité, " a href="/collectivites" { "cherchez-la" } " puis utilisez le formulaire de sa page." }
            section aria-labelledby="projets" {
                h2 id="projets" { "Projets partagés" }
                p { "Un projet s’ouvre depuis la page d’un " a href="/themes" { "thème ouvert" } " ; sa page porte le changement de phase, le choix du prestataire, les rendez-vous et les actualités." }
                @if data.projects.is_empty() { p { "Aucun projet pour l’instant." } }
                @else {
                    ul {
                        @for p in &data.projects {
                            li { a href=(project_path(p.id)) { (p.title) } " — phase « " (p.phase().label()) " », " (p.active_participants) " / " (p.max_participants) " participantes" @if p.provider_id.is_none() { ", sans prestataire" } }
                        }
                    }
                }
            }
            section aria-labelledby="inspiration" {
                h2 id="inspiration" { "Inspiration" }
                p {
                    a href="/inspiration/nouvelle" { "Publier une ressource d’inspiration" }
                    " ; pour en modifier ou en retirer une, ouvrez-la depuis "
                    a href="/inspiration" { "la liste des ressources" } "."
                }
            }
            section aria-labelledby="courriels" {
                h2 id="courriels" { "Courriels" }
                p { a href="/admin/courriels" { "La file des courriels" } " : envoyés, en attente, abandonnés après plusieurs échecs." }
            }
            section aria-labelledby="programmes" {
                h2 id="programmes" { "Programmes" }
                p { a href="/admin/programmes" { "Les programmes" } " : les modèles des projets partagés (participantes, phases et durées, plan des séminaires, délégations, charte), leurs versions, leur export et leur import." }
            }
            section aria-labelledby="contours" {
                h2 id="contours" { "Contours des territoires" }
                p { a href="/admin/contours" { "Importer les contours des communes, EPCI ou départements" } " (GeoJSON), pour les cartes des diagnostics." }
            }
            section aria-labelledby="prestataires" {
                h2 id="prestataires" { "Prestataires" }
                @for (provider, members) in &data.providers {
                    article class="card" {
                        h3 { (provider.name) }
                        @if members.is_empty() { p { "Aucun membre pour l’instant." } }
                        @else { ul { @for m in members { li { (m.display_name) " (" (m.email) ")" } } } }
                        @let field_id = format!("email-{}", provider.id);
                        @let (value, errors) = match &submitted { Submitted::Member(id, form, errors) if *id == provider.id => (form.email.as_str(), *errors), _ => ("", &no_errors) };
                        form class="form inline-form" method="post" action={ "/admin/prestataires/" (provider.id) "/invitations" } novalidate {
                            (csrf_field(ctx))
                            div class={ "field" @if errors.get("email").is_some() { " field-invalid" } } {
                                label for=(field_id) { "Inviter un membre " (de(&provider.name)) " (adresse électronique)" }
                                @if let Some(message) = errors.get("email") { p class="field-error" id={ (field_id) "-erreur" } { (message) } }
                                input id=(field_id) name="email" type="email" value=(value) required aria-invalid=[errors.get("email").map(|_| "true")] aria-describedby=[errors.get("email").map(|_| format!("{field_id}-erreur"))];
                            }
                            button class="button secondary" type="submit" { "Inviter" }
                        }
                    }
                }
                h3 { "Enregistrer un prestataire" }
                (provider_errors.summary())
                form class="form narrow" method="post" action="/admin/prestataires" novalidate {
                    (csrf_field(ctx))
                    (Field::new("name", "Nom du prestataire").value(provider_name).hint("Cabinet ou groupement, tel qu’il apparaîtra aux collectivités.").render(provider_errors))
                    button class="button" type="submit" { "Enregistrer" }
                }
            }
            section aria-labelledby="comptes" {
                h2 id="comptes" { "Comptes" }
                (scroll_table("Comptes de la plateforme", html! {
                    table {
                        caption class="visually-hidden" { "Comptes de la plateforme" }
                        thead { tr { th scope="col" { "Nom" } th scope="col" { "Adresse" } th scope="col" { "Agence" } th scope="col" { "Créé le" } } }
                        tbody {
                            @for u in &data.users {
                                tr { th scope="row" { (u.display_name) } td { (u.email) } td { @if u.is_agency_admin { "Oui" } @else { "Non" } } td { (date_fr(u.created_at)) } }
                            }
                        }
                    }
                }))
            }
            section aria-labelledby="attente" {
                h2 id="attente" { "Invitations en attente" }
                @if data.pending.is_empty() { p { "Aucune." } }
                @else { ul { @for i in &data.pending { li { (i.email) " — valable jusqu’au " (date_fr(i.expires_at)) } } } }
                @if data.pending_total > data.pending.len() as i64 { p { "Les " (data.pending.len()) " plus récentes sont affichées." } }
            }
        },
    )
}

pub async fn dashboard(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let data = load(&state).await?;
    Ok(dashboard_page(&ctx, &data, Submitted::None))
}

pub async fn create_provider(
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<ProviderForm>,
) -> Result<HttpResponse, AppError> {
    ctx.require_admin()?;
    let mut errors = FormErrors::default();
    let name = clean_line(&form.name).unwrap_or_default();
    if name.is_empty() || name.chars().count() > 150 {
        errors.add("name", "Indiquez le nom du prestataire (150 caractères au plus).");
    } else {
        let lookup = name.clone();
        if state.db(move |conn| Ok(providers::find_provider_by_name(conn, &lookup)?)).await?.is_some() {
            errors.add("name", format!("Le prestataire « {name} » est déjà enregistré."));
        }
    }
    if !errors.is_empty() {
        let data = load(&state).await?;
        return Ok(unprocessable(dashboard_page(&ctx, &data, Submitted::Provider(&form, &errors))));
    }
    let stored = name.clone();
    state.db(move |conn| Ok(providers::insert_provider(conn, &stored)?)).await?;
    ctx.set_flash(&format!("Prestataire « {name} » enregistré."));
    Ok(see_other("/admin#prestataires"))
}

pub async fn invite_provider_member(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.require_admin()?.clone();
    let id = id.into_inner();
    let provider = state.db(move |conn| Ok(providers::find_provider(conn, id)?)).await?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::default();
    let Some(email) = errors.check("email", EmailAddress::parse(&form.email)) else {
        let data = load(&state).await?;
        return Ok(unprocessable(dashboard_page(&ctx, &data, Submitted::Member(id, &form, &errors))));
    };
    send_invitation(&state, &admin, &email, InvitationTarget::Provider { id, name: provider.name.clone() }).await?;
    ctx.set_flash(&format!("Invitation envoyée à {email} pour rejoindre {}.", provider.name));
    Ok(see_other("/admin#prestataires"))
}
