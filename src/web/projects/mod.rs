//! Shared projects: the index, a project's page (a public part, and the working space of its participants,
//! provider and the agency), the agency's selection of a theme into a project, and what each role may do there.

pub mod access;
pub mod capitalisation;
pub mod codesign;
pub mod committee;
pub mod community;
pub mod diagnostic;
pub mod enrolment;
pub mod events;
pub mod inquiry;
pub mod news;
pub mod newsletters;
pub mod opening;
pub mod paths;
pub mod perimeter;
pub mod plans;
pub mod questionnaires;
pub mod restitution;
pub mod steering;
pub mod territory;

use actix_web::web;
use maud::{html, Markup};
use paths::project_path;

use access::{project_and_access, Access};

use super::context::PageCtx;
use super::views::{date_fr, moment_fr, page, paragraphs, rank_fr, scroll_table, FormErrors};
use super::{AppError, AppState};
use crate::domain::inquiry::Mixedness;
use crate::domain::project::{Phase, Standing};
use crate::storage::activity::{activity_of_project, Activity};
use crate::storage::codesign as codesign_storage;
use crate::storage::events::{events_of_project, Event};
use crate::storage::posts::{posts_of_project, Post};
use crate::storage::projects::{self, Enrolment, PhaseTransition, Project};
use crate::storage::providers::{self, Provider};
use crate::storage::territories::Territory;
use crate::storage::themes::{self, Theme};
use crate::storage::{self, DbConnection};

struct IndexRow {
    project: Project,
    observers: i64,
    waiting: i64,
}

pub async fn index(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    let is_admin = ctx.is_admin();
    let rows = state
        .db(|conn| {
            let counts = projects::observer_and_waiting_counts(conn)?;
            Ok(projects::list_projects(conn)?
                .into_iter()
                .map(|project| {
                    let (_, observers, waiting) =
                        counts.iter().find(|(p, _, _)| *p == project.id).copied().unwrap_or_default();
                    IndexRow { project, observers, waiting }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(page(
        &ctx,
        "Projets partagés",
        html! {
            h1 { "Projets partagés" }
            p class="lead" {
                "Sur les thèmes les plus partagés, l’agence ouvre des projets : quelques collectivités participantes "
                "conçoivent ensemble, avec leurs habitants, une politique publique ; d’autres les suivent en observatrices."
            }
            @if is_admin { p { "Pour ouvrir un projet, choisissez un thème " a href="/themes" { "ouvert aux positionnements" } " et utilisez « Ouvrir un projet partagé » sur sa page." } }
            @if rows.is_empty() {
                p { "Aucun projet partagé pour l’instant." }
            } @else {
                (scroll_table("Projets partagés", html! {
                    table {
                        caption { "Projets partagés, du plus récent au plus ancien" }
                        thead {
                            tr {
                                th scope="col" { "Projet" }
                                th scope="col" { "Phase" }
                                th scope="col" class="num" { "Participantes" }
                                th scope="col" class="num" { "En attente" }
                                th scope="col" class="num" { "Observatrices" }
                                th scope="col" { "Calendrier" }
                            }
                        }
                        tbody {
                            @for row in &rows {
                                tr {
                                    th scope="row" { a href=(project_path(row.project.id)) { (row.project.title) } }
                                    td { (row.project.phase().label()) }
                                    td class="num" { (row.project.active_participants) " / " (row.project.max_participants) }
                                    td class="num" { (row.waiting) }
                                    td class="num" { (row.observers) }
                                    td { "du " (date_fr(row.project.starts_on)) " au " (date_fr(row.project.ends_on)) }
                                }
                            }
                        }
                    }
                }))
            }
        },
    ))
}

/// Everything a project page shows.
struct ProjectView {
    project: Project,
    theme: Theme,
    provider: Option<Provider>,
    enrolments: Vec<(Enrolment, Territory)>,
    history: Vec<PhaseTransition>,
    /// The participants that have not done what the phase asks of each (the guard's names).
    unfinished: Vec<String>,
    events: Vec<(Event, Option<String>)>,
    posts: Vec<(Post, String)>,
    activity: Vec<Activity>,
    /// For the agency: providers to choose from.
    providers: Vec<Provider>,
    /// The inquiry groups of the participant territories, with their mixedness.
    groups: Vec<(i64, String, Mixedness)>,
    /// The published syntheses of workshops, with their territory.
    syntheses: Vec<(codesign_storage::Workshop, String)>,
    /// Where each territory's action plan stands.
    plans: Vec<storage::plans::PlanStanding>,
    /// Where each territory's restitution to its inhabitants stands.
    restitutions: Vec<(i64, crate::domain::restitution::Stage, Option<chrono::NaiveDateTime>)>,
    /// How many lessons the person may read.
    lessons: usize,
    /// The national deliverable, once its writing started.
    deliverable: Option<storage::deliverables::Deliverable>,
    /// The programme version the project was opened with.
    programme: Option<storage::programmes::ProgrammeVersion>,
    /// The territories whose diagnostic map is public.
    public_maps: Vec<(storage::diagnostic::PublicMap, Territory)>,
}

fn load_view(conn: &mut DbConnection, project: Project, access: &Access) -> Result<ProjectView, AppError> {
    let private = access.reads_working_space();
    let theme = themes::find_theme(conn, project.theme_id)?.ok_or(AppError::NotFound)?;
    let provider = match project.provider_id {
        Some(id) => providers::find_provider(conn, id)?,
        None => None,
    };
    let enrolments = projects::enrolments_of_project(conn, project.id)?;
    let syntheses = codesign_storage::published_syntheses(conn, project.id)?
        .into_iter()
        .map(|w| {
            let name = enrolments
                .iter()
                .find(|(e, _)| e.collectivity_id == w.collectivity_id)
                .map_or(String::new(), |(_, t)| t.name.clone());
            (w, name)
        })
        .collect();
    Ok(ProjectView {
        syntheses,
        plans: storage::plans::plans_of_project(conn, project.id)?,
        restitutions: storage::restitutions::stages_of_project(conn, project.id)?,
        lessons: storage::capitalisation::visible_lessons(conn, project.id, capitalisation::reader_of(access))?.len(),
        deliverable: storage::deliverables::find_deliverable(conn, project.id)?,
        programme: projects::opened_from(conn, &project)?,
        public_maps: storage::diagnostic::public_maps(conn, storage::diagnostic::PublicMaps::OfProject(project.id))?,
        groups: inquiry::groups_of_project(conn, project.id, &enrolments)?,
        enrolments,
        history: projects::phase_history(conn, project.id)?,
        unfinished: projects::unfinished_participants(conn, &project)?,
        events: events_of_project(conn, project.id)?,
        posts: posts_of_project(conn, project.id, private, 20)?,
        activity: activity_of_project(conn, project.id, private, 30)?,
        providers: if access.is_admin { providers::list_providers(conn)? } else { Vec::new() },
        project,
        theme,
        provider,
    })
}

/// The project's waiting list, first to be promoted first (`storage::projects::waiting_list`'s order).
pub fn waiting_list(enrolments: &[(Enrolment, Territory)]) -> Vec<&(Enrolment, Territory)> {
    let mut waiting: Vec<&(Enrolment, Territory)> =
        enrolments.iter().filter(|(e, _)| matches!(e.standing(), Standing::Waiting { .. })).collect();
    waiting.sort_by_key(|(e, _)| (e.requested_at, e.id));
    waiting
}

/// Forms of the page sent back with their errors: which one, and what was typed.
pub enum Submitted<'a> {
    None,
    Enrolment { collectivity_id: i64, role: &'a str, errors: &'a FormErrors },
    Withdrawal { collectivity_id: i64, errors: &'a FormErrors },
    Phase { to: &'a str, note: &'a str, errors: &'a FormErrors },
    Post { form: &'a news::PostForm, errors: &'a FormErrors },
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    render_page(&ctx, &state, id.into_inner(), Submitted::None).await
}

/// The project page, with a form's errors when one was refused.
pub async fn render_page(
    ctx: &PageCtx,
    state: &AppState,
    id: i64,
    submitted: Submitted<'_>,
) -> Result<Markup, AppError> {
    let (project, access) = project_and_access(state, ctx, id).await?;
    let (view, access) = state
        .db(move |conn| {
            let view = load_view(conn, project, &access)?;
            Ok((view, access))
        })
        .await?;
    Ok(project_page(ctx, &view, &access, &submitted))
}

fn project_page(ctx: &PageCtx, view: &ProjectView, access: &Access, submitted: &Submitted) -> Markup {
    let project = &view.project;
    let participants = view.enrolments.iter().filter(|(e, _)| e.standing() == Standing::Participant);
    let observers: Vec<&(Enrolment, Territory)> =
        view.enrolments.iter().filter(|(e, _)| e.standing().observes()).collect();
    let waiting = waiting_list(&view.enrolments);
    let now = storage::now();
    page(
        ctx,
        &project.title,
        html! {
            p class="breadcrumb" { a href="/projets" { "Projets partagés" } " › " (project.phase().label()) }
            h1 { (project.title) }
            p class="meta" {
                "Phase : " strong { (project.phase().label()) }
                " · du " (date_fr(project.starts_on)) " au " (date_fr(project.ends_on))
                " · thème " a href={ "/themes/" (view.theme.id) } { "« " (view.theme.title) " »" }
                @if let Some(provider) = &view.provider { " · accompagné par " (provider.name) }
            }
            p { a href={ "/projets/" (project.id) "/suivre" } { "Suivre ce projet par courriel" } " · " a href={ "/projets/" (project.id) "/lettres" } { "Lettres du projet" } }
            @if access.in_working_space() {
                p class="notice notice-success" { "Vous faites partie de l’espace de travail du projet : vous voyez aussi ce qui est réservé aux participantes." }
            } @else if access.steering {
                p class="notice notice-success" { "Vous siégez au " a href=(paths::committee_path(project.id)) { "comité de pilotage" } " : vous lisez l’espace de travail du projet, sans y agir." }
            }
            @if access.reads_working_space() {
                p { a href=(paths::committee_path(project.id)) { "Le comité de pilotage" } " : ses partenaires, ses membres et ses réunions." }
            }
            (paragraphs(&project.description))
            (steering::timeline(&view.history, project, &view.unfinished, view.programme.as_ref()))
            @if access.is_admin { (steering::admin_panel(ctx, project, &view.providers, submitted)) }
            section aria-labelledby="inscrits" {
                h2 id="inscrits" { "Collectivités inscrites" }
                ul class="stats" {
                    li { strong { (project.active_participants) " / " (project.max_participants) } " participantes (au moins " (project.min_participants) ")" }
                    li { strong { (waiting.len()) } " en liste d’attente" }
                    li { strong { (observers.len()) } " observatrices" }
                }
                h3 { "Participantes" }
                @if project.active_participants == 0 { p { "Aucune pour l’instant." } }
                @else { ul { @for (e, t) in participants { li { a href={ "/territoires/" (t.kind) "/" (t.code) } { (t.name) } " — charte signée le " (date_fr(e.charter_accepted_at.unwrap_or(e.requested_at))) } } } }
                @if !waiting.is_empty() {
                    h3 { "Liste d’attente" }
                    p { "Dans l’ordre d’arrivée : au retrait d’une participante, la première en attente prend sa place." }
                    ol {
                        @for (rank, (e, t)) in waiting.iter().enumerate() {
                            li { (t.name) " — " (rank_fr(rank as i64 + 1)) ", depuis le " (moment_fr(e.requested_at)) @if e.standing().observes() { " (observatrice en attendant)" } }
                        }
                    }
                }
                h3 { "Observatrices" }
                @if observers.is_empty() { p { "Aucune pour l’instant." } }
                @else { ul { @for (e, t) in &observers { li { (t.name) @if e.standing() != Standing::Observer { " (en liste d’attente pour participer)" } } } } }
                @for (membership, territory) in &access.referent_of {
                    (enrolment::panel(ctx, project, membership, territory, &view.enrolments, submitted))
                }
            }
            details class="card" {
                summary { "La charte du projet" }
                (paragraphs(&project.charter))
            }
            (inquiry::section(project, &view.groups, access))
            @if access.reads_working_space() || !access.inquiry_groups.is_empty() || !view.public_maps.is_empty() {
                section aria-labelledby="diagnostic" {
                    h2 id="diagnostic" { "Diagnostic des territoires" }
                    p { "Acteurs, espaces et objets de l’engagement, leurs relations et les sources, territoire par territoire : cartes, réseaux et fiches d’identité." }
                    @if access.reads_working_space() || !access.inquiry_groups.is_empty() {
                        p { a class="button" href=(diagnostic::overview::overview_path(project.id)) { "Ouvrir le diagnostic" } }
                    }
                    (diagnostic::public::project_section(project, &view.public_maps))
                }
            }
            @if access.in_community() {
                section aria-labelledby="communaute" {
                    h2 id="communaute" { "Communauté apprenante" }
                    p { "Les délégations des territoires, le forum entre territoires, les groupes de pairs et leurs conclusions à l’agora, les séances de supervision." }
                    p { a class="button" href=(paths::community_path(project.id)) { "Ouvrir la communauté apprenante" } }
                }
            }
            (codesign::section(project, &view.groups.iter().map(|(c, name, _)| (*c, name.clone())).collect::<Vec<_>>(), &view.syntheses, access))
            @if project.phase() >= Phase::CoDesign {
                (plans::section(project.id, &view.groups.iter().map(|(c, name, _)| (*c, name.clone())).collect::<Vec<_>>(), &view.plans, access))
            }
            @if project.phase() >= Phase::Adoption {
                (restitution::section(project.id, &view.groups.iter().map(|(c, name, _)| (*c, name.clone())).collect::<Vec<_>>(), &view.restitutions, access))
            }
            (capitalisation_section(project.id, view, access))
            (events::agenda(project, &view.events, access, now))
            (news::section(ctx, project, &view.posts, access, submitted))
            @if !view.activity.is_empty() {
                section aria-labelledby="activite" {
                    h2 id="activite" { "Activité" }
                    ul { @for a in &view.activity { li { (date_fr(a.at)) " — " (a.summary) } } }
                }
            }
        },
    )
}

/// What the project learnt: its lessons, its recommendations, its national deliverable — each for those who may
/// read it.
fn capitalisation_section(project_id: i64, view: &ProjectView, access: &Access) -> Markup {
    let published = view.deliverable.as_ref().and_then(|d| d.published_at);
    let shown = view.lessons > 0 || access.in_community() || published.is_some();
    html! {
        @if shown {
            section aria-labelledby="capitalisation" {
                h2 id="capitalisation" { "Ce que le projet nous apprend" }
                ul {
                    li { a href=(paths::lessons_path(project_id)) { "Les enseignements" } " (" (view.lessons) ")" }
                    @if access.in_community() { li { a href=(paths::recommendations_path(project_id)) { "Les recommandations pour l’action publique nationale" } } }
                    @if let Some(at) = published {
                        li { a href=(paths::deliverable_path(project_id)) { "Le livrable national" } ", publié le " (date_fr(at.date())) }
                    } @else if access.is_admin {
                        li { a href={ (paths::deliverable_path(project_id)) "/edition" } { "Préparer le livrable national" } }
                    }
                }
            }
        }
    }
}
