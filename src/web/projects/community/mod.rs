//! The learning community of a project (docs/product.md § Lifecycle, step 6): its page in this file — the
//! delegations at a glance, the forum, the peer groups (who facilitates them, who may enter), the agora, the
//! supervision sessions — with the categories and the facilitators the agency and the provider set; each
//! territory's delegation in delegations.rs; the forum, the peer groups, their threads and messages in threads.rs;
//! the attendance and notes of a supervision session in supervision.rs.
//!
//! Who reads the community: the working space (the agency, the provider, the participant collectivities' people)
//! and the delegations' members with an account. A peer group's threads are read only by its members and its
//! designated facilitators, decided in `storage::threads`.

pub mod delegations;
pub mod supervision;
pub mod threads;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::{project_and_access, Access};
use super::paths::{
    agora_path, community_path, delegation_path, event_path, forum_path, peer_group_path, project_path,
};
use crate::domain::community::{missing, NewCategory, SeatHeld};
use crate::domain::markdown::Markdown;
use crate::domain::project::{EventKind, Phase};
use crate::storage::delegations::{self as delegation_storage, Delegate, PeerGroup};
use crate::storage::events::{events_of_project, Event};
use crate::storage::projects::{self, Project};
use crate::storage::threads::{self as thread_storage, Space};
use crate::storage::{self, providers, users};
use crate::web::context::PageCtx;
use crate::web::views::{
    csrf_field, date_fr, page_with_errors, scroll_table, see_other, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

/// A project and the person's access, for a page of its community: those who read it, or a refusal.
pub async fn community_and_access(state: &AppState, ctx: &PageCtx, id: i64) -> Result<(Project, Access), AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, id).await?;
    if !access.in_community() {
        return Err(AppError::Forbidden);
    }
    Ok((project, access))
}

/// Nothing changes in a closed project.
pub fn require_open(project: &Project) -> Result<(), AppError> {
    if project.phase() == Phase::Closed {
        return Err(AppError::BadRequest("Le projet est clos : plus rien n’y change.".into()));
    }
    Ok(())
}

/// A participant territory with its delegation.
pub struct Delegation {
    pub collectivity_id: i64,
    pub territory: String,
    pub members: Vec<Delegate>,
}

impl Delegation {
    pub fn warnings(&self, groups: &[PeerGroup]) -> Vec<String> {
        let categories: Vec<(i64, &str)> = groups.iter().map(|g| (g.id, g.label.as_str())).collect();
        let seats: Vec<SeatHeld> = self
            .members
            .iter()
            .map(|m| SeatHeld {
                peer_group_id: m.peer_group_id,
                seat: m.seat(),
                is_referent: m.is_referent,
                has_account: m.user_id.is_some(),
            })
            .collect();
        missing(&categories, &seats)
    }
}

/// The delegations of the project's active participants, by territory name.
pub fn delegations_of_project(conn: &mut storage::DbConnection, project_id: i64) -> Result<Vec<Delegation>, AppError> {
    let delegates = delegation_storage::delegates_of_project(conn, project_id)?;
    let mut delegations: Vec<Delegation> = projects::enrolments_of_project(conn, project_id)?
        .into_iter()
        .filter(|(e, _)| e.is_active_participant())
        .map(|(e, territory)| Delegation {
            collectivity_id: e.collectivity_id,
            territory: territory.name,
            members: delegates
                .iter()
                .filter(|(d, _)| d.collectivity_id == e.collectivity_id)
                .map(|(d, _)| d.clone())
                .collect(),
        })
        .collect();
    delegations.sort_by(|a, b| a.territory.cmp(&b.territory));
    Ok(delegations)
}

struct Hub {
    project: Project,
    groups: Vec<PeerGroup>,
    facilitators: Vec<Vec<(i64, String)>>,
    delegations: Vec<Delegation>,
    spaces: Vec<Space>,
    latest_threads: Vec<(thread_storage::Thread, Option<String>)>,
    supervision: Vec<Event>,
    /// The people the agency or the provider may designate to facilitate a group: the agency's, the provider's.
    candidates: Vec<(i64, String)>,
}

async fn load_hub(state: &AppState, ctx: &PageCtx, project: Project, access: &Access) -> Result<Hub, AppError> {
    let (user, leads) = (ctx.require_user()?.clone(), access.leads());
    state
        .db(move |conn| {
            let groups = delegation_storage::peer_groups_of_project(conn, project.id)?;
            let facilitators = groups
                .iter()
                .map(|g| delegation_storage::facilitators_of(conn, g.id))
                .collect::<Result<Vec<_>, _>>()?;
            let delegations = delegations_of_project(conn, project.id)?;
            let spaces = thread_storage::spaces_of(conn, &project, &user)?;
            let latest_threads = match thread_storage::enter(conn, &project, Space::Forum, &user)? {
                Some(entered) => thread_storage::threads_of(conn, &entered)?.into_iter().take(5).collect(),
                None => Vec::new(),
            };
            let supervision = events_of_project(conn, project.id)?
                .into_iter()
                .map(|(event, _)| event)
                .filter(|e| e.kind == EventKind::Supervision.code())
                .collect();
            let mut candidates = Vec::new();
            if leads {
                candidates = users::agency_admins(conn)?;
                if let Some(provider) = project.provider_id {
                    candidates.extend(
                        providers::members_of_provider(conn, provider)?.into_iter().map(|u| (u.id, u.display_name)),
                    );
                }
                candidates.sort_by(|a, b| a.1.cmp(&b.1));
                candidates.dedup_by_key(|c| c.0);
            }
            Ok(Hub { project, groups, facilitators, delegations, spaces, latest_threads, supervision, candidates })
        })
        .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CategoryForm {
    label: String,
    member_label: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FacilitatorForm {
    user_id: String,
}

/// A form of the page sent back with its errors.
enum Refused<'a> {
    None,
    Category(&'a CategoryForm, &'a FormErrors),
    Facilitator(i64, &'a FormErrors),
}

fn hub_page(ctx: &PageCtx, hub: &Hub, access: &Access, refused: Refused) -> Markup {
    let project = &hub.project;
    let (empty, none) = (CategoryForm::default(), FormErrors::default());
    let (category_form, category_errors) = match refused {
        Refused::Category(form, errors) => (form, errors),
        _ => (&empty, &none),
    };
    let all_errors = match refused {
        Refused::Category(_, errors) | Refused::Facilitator(_, errors) => errors,
        Refused::None => &none,
    };
    let title = format!("Communauté apprenante — {}", project.title);
    page_with_errors(
        ctx,
        &title,
        all_errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › Communauté apprenante" }
            h1 { "Communauté apprenante" }
            p { "Les territoires participants croisent leurs expériences, réussites, obstacles et solutions : chacun envoie une délégation ; chaque catégorie d’acteurs se retrouve entre pairs, dans la confidentialité, puis partage ses conclusions à l’agora ; des séances de supervision aident chacun à prendre du recul." }
            (all_errors.summary())
            section aria-labelledby="delegations" {
                h2 id="delegations" { "Délégations" }
                @if hub.delegations.is_empty() {
                    p { "Le projet n’a pas encore de territoire participant." }
                } @else {
                    (scroll_table("Délégations des territoires participants", html! {
                        table {
                            caption class="visually-hidden" { "Composition des délégations, par catégorie" }
                            thead {
                                tr {
                                    th scope="col" { "Territoire" }
                                    @for group in &hub.groups { th scope="col" { (group.label) } }
                                    th scope="col" { "À compléter" }
                                }
                            }
                            tbody {
                                @for delegation in &hub.delegations {
                                    @let warnings = delegation.warnings(&hub.groups);
                                    tr {
                                        th scope="row" { a href=(delegation_path(project.id, delegation.collectivity_id)) { (delegation.territory) } }
                                        @for group in &hub.groups {
                                            @let seated: Vec<&Delegate> = delegation.members.iter().filter(|m| m.peer_group_id == group.id).collect();
                                            td {
                                                @if seated.is_empty() { "—" }
                                                @for (i, member) in seated.iter().enumerate() {
                                                    @if i > 0 { ", " }
                                                    (member.display_name)
                                                    @if member.is_substitute { " (suppléance)" }
                                                    @if member.is_referent { " (référent·e)" }
                                                }
                                            }
                                        }
                                        td { @if warnings.is_empty() { "Complète" } @else { (warnings.len()) " point" @if warnings.len() > 1 { "s" } } }
                                    }
                                }
                            }
                        }
                    }))
                }
            }
            @if hub.spaces.contains(&Space::Forum) {
                section aria-labelledby="forum" {
                    h2 id="forum" { "Forum du projet" }
                    p { "Entre les territoires participants : questions, retours d’expérience, obstacles, solutions. Le prestataire et l’agence y prennent part." }
                    @if hub.latest_threads.is_empty() {
                        p { "Aucun fil pour l’instant." }
                    } @else {
                        ul {
                            @for (thread, _) in &hub.latest_threads {
                                li { a href=(super::paths::thread_path(project.id, thread.id)) { (thread.title) } " — " (thread.affiliation) ", " (thread.messages_count) " message" @if thread.messages_count > 1 { "s" } }
                            }
                        }
                    }
                    p { a class="button" href=(forum_path(project.id)) { "Aller au forum" } }
                }
            }
            section aria-labelledby="pairs" {
                h2 id="pairs" { "Groupes de pairs" }
                p { "Chaque catégorie d’acteurs se retrouve avec ses homologues des autres territoires. Ce qui s’y écrit n’est lu que par ses membres et les personnes désignées pour l’animer — ni les autres catégories, ni les autres membres des collectivités, ni les observateurs." }
                ul class="cards" {
                    @for (group, facilitators) in hub.groups.iter().zip(&hub.facilitators) {
                        li class="card" {
                            h3 {
                                @if hub.spaces.contains(&Space::PeerGroup(group.id)) { a href=(peer_group_path(project.id, group.id)) { (group.label) } }
                                @else { (group.label) }
                            }
                            @let members = hub.delegations.iter().flat_map(|d| &d.members).filter(|m| m.peer_group_id == group.id).count();
                            p { (members) " membre" @if members > 1 { "s" } " dans les délégations." }
                            p {
                                "Animation : "
                                @if facilitators.is_empty() { "personne n’est encore désigné." }
                                @for (i, (_, name)) in facilitators.iter().enumerate() { @if i > 0 { ", " } (name) }
                            }
                            @if let Some(published) = group.published_at {
                                p { a href=(agora_path(project.id)) { "Conclusions partagées à l’agora" } " le " (date_fr(published.date())) "." }
                            }
                            @if !hub.spaces.contains(&Space::PeerGroup(group.id)) {
                                p class="hint" { "Confidentiel : réservé à ses membres et à son animation." }
                            }
                            @if access.leads() { (facilitator_forms(ctx, project.id, group, facilitators, &hub.candidates, &refused)) }
                        }
                    }
                }
                @if access.leads() {
                    details open[matches!(refused, Refused::Category(..))] {
                        summary { "Ajouter une catégorie d’acteurs" }
                        form class="form" method="post" action={ "/projets/" (project.id) "/categories" } novalidate {
                            (csrf_field(ctx))
                            (Field::new("label", "Nom du groupe").value(&category_form.label).hint("Au pluriel : « Habitants engagés », « Chercheurs »…").render(category_errors))
                            (Field::new("member_label", "Nom d’un membre").value(&category_form.member_label).hint("Au singulier : « Habitant engagé », « Chercheur »…").render(category_errors))
                            button class="button" type="submit" { "Ajouter la catégorie" }
                        }
                    }
                }
            }
            section aria-labelledby="agora" {
                h2 id="agora" { "Agora" }
                @let published = hub.groups.iter().filter(|g| g.published_at.is_some()).count();
                p { "Chaque groupe de pairs y révèle à tous ses conclusions : ce que sa catégorie peut apporter aux autres, ce dont elle a besoin d’elles. " (published) " groupe" @if published > 1 { "s" } " sur " (hub.groups.len()) " " @if published > 1 { "ont" } @else { "a" } " partagé les leurs." }
                p { a href=(agora_path(project.id)) { "Lire les conclusions de l’agora" } }
            }
            section aria-labelledby="capitalisation" {
                h2 id="capitalisation" { "Ce que le projet nous apprend" }
                ul {
                    li { a href=(super::paths::lessons_path(project.id)) { "Les enseignements" } ", que le prestataire et l’agence tirent au fil du projet" }
                    li { a href=(super::paths::recommendations_path(project.id)) { "Les recommandations pour l’action publique nationale" } }
                }
            }
            section aria-labelledby="supervision" {
                h2 id="supervision" { "Séances de supervision" }
                p { "Pour prendre du recul sur la coopération à l’œuvre. Les notes d’une séance ne sont lues que par celles et ceux qui y ont participé." }
                @if hub.supervision.is_empty() {
                    p { "Aucune séance prévue." }
                } @else {
                    ul {
                        @for event in &hub.supervision {
                            // Events are kept in French local time.
                            li { a href=(event_path(project.id, event.id)) { (event.title) } " — " (date_fr(event.starts_at.date())) " à " (event.starts_at.format("%Hh%M")) }
                        }
                    }
                }
                @if access.leads() {
                    p { a href={ "/projets/" (project.id) "/evenements/nouveau?type=supervision" } { "Prévoir une séance de supervision" } }
                }
            }
        },
    )
}

fn facilitator_forms(
    ctx: &PageCtx,
    project_id: i64,
    group: &PeerGroup,
    facilitators: &[(i64, String)],
    candidates: &[(i64, String)],
    refused: &Refused,
) -> Markup {
    let none = FormErrors::default();
    let errors = match refused {
        Refused::Facilitator(id, errors) if *id == group.id => errors,
        _ => &none,
    };
    let mut options = vec![(String::new(), "Choisir…".to_owned())];
    options.extend(
        candidates
            .iter()
            .filter(|(id, _)| !facilitators.iter().any(|(f, _)| f == id))
            .map(|(id, n)| (id.to_string(), n.clone())),
    );
    let field = format!("user_id-{}", group.id);
    html! {
        @for (user_id, name) in facilitators {
            form class="inline" method="post" action={ (peer_group_path(project_id, group.id)) "/animation/" (user_id) "/retrait" } {
                (csrf_field(ctx))
                button class="link-button" type="submit" { "Retirer de l’animation" span class="visually-hidden" { " : " (name) ", " (group.label) } }
            }
        }
        @if options.len() > 1 {
            form class="form" method="post" action={ (peer_group_path(project_id, group.id)) "/animation" } novalidate {
                (csrf_field(ctx))
                (select_named(&field, &format!("Désigner pour animer le groupe « {} »", group.label), &options, errors))
                button class="button button-secondary" type="submit" { "Désigner" }
            }
        }
    }
}

/// A select whose name carries the group (several on one page), posted as `user_id`.
fn select_named(id: &str, label: &str, options: &[(String, String)], errors: &FormErrors) -> Markup {
    let error = errors.get(id);
    html! {
        div class={ "field" @if error.is_some() { " field-invalid" } } {
            label for=(id) { (label) }
            @if let Some(error) = error { p class="field-error" id={ (id) "-erreur" } { span aria-hidden="true" { "⚠ " } (error) } }
            select id=(id) name="user_id" aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{id}-erreur"))] {
                @for (value, text) in options { option value=(value) { (text) } }
            }
        }
    }
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<Markup, AppError> {
    let (project, access) = community_and_access(&state, &ctx, path.into_inner()).await?;
    let hub = load_hub(&state, &ctx, project, &access).await?;
    Ok(hub_page(&ctx, &hub, &access, Refused::None))
}

/// The agency or the provider add a category of actors (and so a peer group).
pub async fn add_category(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<CategoryForm>,
) -> Result<HttpResponse, AppError> {
    let (project, access) = community_and_access(&state, &ctx, path.into_inner()).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    require_open(&project)?;
    let project_id = project.id;
    let category = match NewCategory::parse(&form.label, &form.member_label) {
        Ok(category) => category,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            let hub = load_hub(&state, &ctx, project, &access).await?;
            return Ok(unprocessable(hub_page(&ctx, &hub, &access, Refused::Category(&form, &errors))));
        }
    };
    let label = category.label.clone();
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(delegation_storage::add_category(conn, project_id, &category)?)
            })
        })
        .await?;
    ctx.set_flash(&format!("La catégorie « {label} » et son groupe de pairs sont prêts."));
    Ok(see_other(&community_path(project_id)))
}

/// The agency or the provider designate someone of theirs to facilitate a peer group.
pub async fn designate(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<FacilitatorForm>,
) -> Result<HttpResponse, AppError> {
    let by = ctx.require_user()?.id;
    let (project_id, group_id) = path.into_inner();
    let (project, access) = community_and_access(&state, &ctx, project_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    require_open(&project)?;
    let hub = load_hub(&state, &ctx, project, &access).await?;
    let group = hub.groups.iter().find(|g| g.id == group_id).cloned().ok_or(AppError::NotFound)?;
    let chosen = form.user_id.trim().parse::<i64>().ok().filter(|id| hub.candidates.iter().any(|(c, _)| c == id));
    let Some(user_id) = chosen else {
        let mut errors = FormErrors::default();
        errors.add(format!("user_id-{group_id}"), "Choisissez une personne de l’agence ou du prestataire.");
        return Ok(unprocessable(hub_page(&ctx, &hub, &access, Refused::Facilitator(group_id, &errors))));
    };
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(delegation_storage::designate(conn, &group, user_id, by)?)
            })
        })
        .await?;
    ctx.set_flash("La personne anime désormais le groupe : elle y lit et écrit, et peut masquer un message.");
    Ok(see_other(&community_path(project_id)))
}

pub async fn withdraw(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, group_id, user_id) = path.into_inner();
    let (project, access) = community_and_access(&state, &ctx, project_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    require_open(&project)?;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let group =
                    delegation_storage::find_peer_group(conn, project_id, group_id)?.ok_or(AppError::NotFound)?;
                Ok::<_, AppError>(delegation_storage::withdraw_facilitator(conn, &group, user_id)?)
            })
        })
        .await?;
    ctx.set_flash("La personne n’anime plus ce groupe et n’y a plus accès.");
    Ok(see_other(&community_path(project_id)))
}

/// The agora: the conclusions the peer groups published, for the whole project.
pub async fn agora(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<Markup, AppError> {
    let (project, _) = community_and_access(&state, &ctx, path.into_inner()).await?;
    let project_id = project.id;
    let groups = state.db(move |conn| Ok(delegation_storage::peer_groups_of_project(conn, project_id)?)).await?;
    let title = format!("Agora — {}", project.title);
    Ok(crate::web::views::page(
        &ctx,
        &title,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › " a href=(community_path(project.id)) { "Communauté apprenante" } " › Agora" }
            h1 { "Agora : ce que chaque catégorie apporte aux autres" }
            p { "Après s’être retrouvé entre pairs, chaque groupe révèle ici à tout le projet ses conclusions." }
            @for group in &groups {
                section aria-labelledby={ "groupe-" (group.id) } {
                    h2 id={ "groupe-" (group.id) } { (group.label) }
                    @match group.published_at {
                        Some(published) => {
                            p class="hint" { "Partagées le " (date_fr(published.date())) "." }
                            h3 { "Ce que nous pouvons apporter aux autres" }
                            div class="markdown" { (Markdown(&group.brings)) }
                            h3 { "Ce dont nous avons besoin d’eux" }
                            div class="markdown" { (Markdown(&group.needs)) }
                        }
                        None => { p { "Pas encore partagées." } }
                    }
                }
            }
        },
    ))
}
