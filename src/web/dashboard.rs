//! "Ma collectivité": for each collectivity a person belongs to, where it stands and what to do next.

use actix_web::web;
use maud::{html, Markup};

use super::collectivities::territory_path;
use super::context::PageCtx;
use super::projects::paths::{community_path, diagnostic_path, group_path, peer_group_path, project_path};
use super::views::{date_fr, moment_fr, page, rank_fr, scroll_table};
use super::{AppError, AppState};
use crate::domain::project::{Phase, Standing};
use crate::domain::text::de;
use crate::domain::theme::ThemeStatus;
use crate::storage;
use crate::storage::collectivities::Membership;
use crate::storage::events::{upcoming_events_of_projects, Event};
use crate::storage::inquiry;
use crate::storage::invitations::pending_invitations_of_collectivity;
use crate::storage::projects::{self, Enrolment, Project};
use crate::storage::territories::Territory;
use crate::storage::themes::{self, Position, Theme};
use crate::storage::DbConnection;

/// The most shared open themes a referent is invited to position on, at most; the others are one link away.
const SUGGESTED: usize = 5;

struct CollectivityStatus {
    membership: Membership,
    territory: Territory,
    positions: Vec<(Position, Theme)>,
    /// Open themes it has not positioned itself on yet, most shared first.
    unpositioned: Vec<Theme>,
    /// Every open theme the collectivity has not positioned itself on, beyond the [`SUGGESTED`] ones too.
    unpositioned_count: i64,
    pending_invitations: i64,
    /// Its enrolments with their projects, and their rank while they wait for a seat.
    enrolments: Vec<(Enrolment, Project, Option<i64>)>,
    /// Projects open for enrolment on themes it positioned itself on, where it is not enrolled.
    to_enrol: Vec<Project>,
    /// Coming events of the projects it participates in.
    upcoming: Vec<(Project, Event)>,
}

/// What the agency leads: every project, and the themes proposed that wait for its moderation.
struct AgencyWork {
    projects: Vec<Project>,
    proposed_themes: i64,
}

/// Everything "Ma collectivité" shows to one person.
struct Dashboard {
    /// Each collectivity they belong to.
    statuses: Vec<CollectivityStatus>,
    /// The projects whose provider team they belong to.
    provided: Vec<Project>,
    /// The inquiry groups they sit in, as (project, collectivity, project title, territory name).
    seats: Vec<(i64, i64, String, String)>,
    delegations: Vec<storage::delegations::DelegationSeat>,
    /// For the agency's people.
    agency: Option<AgencyWork>,
}

impl Dashboard {
    fn is_empty(&self) -> bool {
        self.statuses.is_empty()
            && self.provided.is_empty()
            && self.seats.is_empty()
            && self.delegations.is_empty()
            && self.agency.is_none()
    }
}

fn load_dashboard(
    conn: &mut DbConnection,
    user_id: i64,
    is_agency_admin: bool,
    memberships: Vec<(Membership, Territory)>,
) -> Result<Dashboard, AppError> {
    let open = themes::ranked_themes(conn, ThemeStatus::Open, 200, 0)?;
    let open_count = themes::count_themes(conn, ThemeStatus::Open)?;
    let statuses = memberships
        .into_iter()
        .map(|(membership, territory)| load_status(conn, membership, territory, &open, open_count))
        .collect::<Result<Vec<_>, AppError>>()?;
    let agency = if is_agency_admin {
        Some(AgencyWork {
            projects: projects::list_projects(conn)?,
            proposed_themes: themes::count_themes(conn, ThemeStatus::Proposed)?,
        })
    } else {
        None
    };
    Ok(Dashboard {
        statuses,
        provided: projects::projects_of_provider_member(conn, user_id)?,
        seats: inquiry::seats_of_user(conn, user_id)?,
        delegations: storage::delegations::seats_everywhere(conn, user_id)?,
        agency,
    })
}

/// Where one collectivity stands; `open` are the open themes, most shared first, `open_count` all of them.
fn load_status(
    conn: &mut DbConnection,
    membership: Membership,
    territory: Territory,
    open: &[Theme],
    open_count: i64,
) -> Result<CollectivityStatus, AppError> {
    let positions = themes::positions_of_collectivity(conn, membership.collectivity_id)?;
    let unpositioned =
        open.iter().filter(|t| !positions.iter().any(|(p, _)| p.theme_id == t.id)).take(SUGGESTED).cloned().collect();
    let positioned_open = positions.iter().filter(|(_, theme)| theme.status() == ThemeStatus::Open).count() as i64;
    let unpositioned_count = (open_count - positioned_open).max(0);
    let pending_invitations = if membership.is_referent {
        pending_invitations_of_collectivity(conn, membership.collectivity_id, storage::now(), 0)?.1
    } else {
        0
    };
    let enrolments = projects::enrolments_of_collectivity(conn, membership.collectivity_id)?
        .into_iter()
        .map(|(e, p)| {
            let rank = match e.standing() {
                Standing::Waiting { .. } => Some(projects::waiting_rank(conn, p.id, e.collectivity_id)?),
                _ => None,
            };
            Ok((e, p, rank))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    // One read for the projects of its themes, one for the events of its projects.
    let theme_ids: Vec<i64> = positions.iter().map(|(p, _)| p.theme_id).collect();
    let to_enrol: Vec<Project> = projects::projects_of_themes(conn, &theme_ids)?
        .into_iter()
        .filter(|project| {
            project.phase() == Phase::Enrolment
                && !enrolments.iter().any(|(e, p, _)| p.id == project.id && e.standing() != Standing::NotEnrolled)
        })
        .collect();
    let participating: Vec<&Project> =
        enrolments.iter().filter(|(e, _, _)| e.is_active_participant()).map(|(_, p, _)| p).collect();
    let ids: Vec<i64> = participating.iter().map(|p| p.id).collect();
    let upcoming: Vec<(Project, Event)> = upcoming_events_of_projects(conn, &ids, storage::now())?
        .into_iter()
        .filter_map(|event| {
            let project = participating.iter().find(|p| p.id == event.project_id)?;
            Some(((*project).clone(), event))
        })
        .collect();
    Ok(CollectivityStatus {
        membership,
        territory,
        positions,
        unpositioned,
        unpositioned_count,
        pending_invitations,
        enrolments,
        to_enrol,
        upcoming,
    })
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    let user = ctx.require_user()?;
    let (user_id, is_agency_admin, memberships) = (user.id, user.is_agency_admin, ctx.memberships.clone());
    let dashboard = state.db(move |conn| load_dashboard(conn, user_id, is_agency_admin, memberships)).await?;
    Ok(dashboard_page(&ctx, &dashboard))
}

fn dashboard_page(ctx: &PageCtx, dashboard: &Dashboard) -> Markup {
    page(
        ctx,
        "Ma collectivité",
        html! {
            h1 { "Ma collectivité" }
            @if let Some(agency) = &dashboard.agency { (agency_section(agency)) }
            @if !dashboard.provided.is_empty() { (provided_section(&dashboard.provided)) }
            @if !dashboard.seats.is_empty() { (seats_section(&dashboard.seats)) }
            @if !dashboard.delegations.is_empty() { (delegations_section(&dashboard.delegations)) }
            @if dashboard.is_empty() {
                p { "Votre compte n’est rattaché à aucune collectivité. Le référent de votre collectivité ou l’agence peut vous inviter." }
            }
            @for status in &dashboard.statuses { (collectivity_section(status)) }
        },
    )
}

fn agency_section(agency: &AgencyWork) -> Markup {
    html! {
        section aria-labelledby="agence" {
            h2 id="agence" { "Ce que pilote l’agence" }
            ul {
                @if agency.proposed_themes > 0 {
                    li { a href="/themes?statut=proposed" { (agency.proposed_themes) " thème" @if agency.proposed_themes > 1 { "s proposés attendent" } @else { " proposé attend" } " votre modération" } }
                }
                @for p in &agency.projects { li { a href=(project_path(p.id)) { (p.title) } " — phase « " (p.phase().label()) " »" } }
                li { a href="/admin" { "Administration" } " : comptes, territoires, contours, envois de courriels." }
            }
        }
    }
}

fn provided_section(provided: &[Project]) -> Markup {
    html! {
        section aria-labelledby="accompagnes" {
            h2 id="accompagnes" { "Les projets que vous accompagnez" }
            ul { @for p in provided { li { a href=(project_path(p.id)) { (p.title) } " — phase « " (p.phase().label()) " »" } } }
        }
    }
}

fn seats_section(seats: &[(i64, i64, String, String)]) -> Markup {
    html! {
        section aria-labelledby="groupes" {
            h2 id="groupes" { "Vos groupes d’enquête" }
            ul {
                @for (project_id, collectivity_id, project, territory) in seats {
                    li { a href=(group_path(*project_id, *collectivity_id)) { "Groupe d’enquête " (de(territory)) } " — " (project) }
                }
            }
        }
    }
}

fn delegations_section(delegations: &[storage::delegations::DelegationSeat]) -> Markup {
    html! {
        section aria-labelledby="delegations" {
            h2 id="delegations" { "Vos délégations" }
            ul {
                @for seat in delegations {
                    li {
                        a href=(community_path(seat.project_id)) { "Délégation " (de(&seat.territory)) } " — " (seat.project)
                        " · " a href=(peer_group_path(seat.project_id, seat.peer_group_id)) { "votre groupe de pairs « " (seat.peer_group) " »" }
                    }
                }
            }
        }
    }
}

fn collectivity_section(status: &CollectivityStatus) -> Markup {
    let heading = format!("collectivite-{}", status.membership.collectivity_id);
    html! {
        section aria-labelledby=(heading) {
            h2 id=(heading) { a href=(territory_path(&status.territory)) { (status.territory.name) } }
            p class="meta" {
                "Vous y êtes " (status.membership.function().label().to_lowercase())
                @if status.membership.is_referent { ", référent·e : vous agissez en son nom" }
                "."
            }
            h3 { "À faire" }
            (to_do(status))
            h3 { "Ses projets partagés" }
            @if status.enrolments.is_empty() {
                p { "Inscrite à aucun projet pour l’instant." }
            } @else {
                (enrolments_table(status))
            }
            h3 { "Ses positionnements" }
            @if status.positions.is_empty() {
                p { "Aucun pour l’instant." }
            } @else {
                (positions_table(status))
            }
        }
    }
}

/// What the person, or the collectivity's referent, has to do next.
fn to_do(status: &CollectivityStatus) -> Markup {
    let collectivity_id = status.membership.collectivity_id;
    html! {
        ul {
            @for project in &status.to_enrol {
                li {
                    "Le projet partagé " a href={ (project_path(project.id)) "#inscrits" } { "« " (project.title) " »" } " est ouvert : "
                    @if status.membership.is_referent { "inscrivez votre collectivité comme participante ou observatrice" } @else { "le référent peut y inscrire votre collectivité" }
                    " (" (project.seats_left()) " place" @if project.seats_left() > 1 { "s" } " de participante)."
                }
            }
            @for (_, project, _) in status.enrolments.iter().filter(|(e, p, _)| e.is_active_participant() && p.phase() >= Phase::Diagnostic) {
                li {
                    "« " (project.title) " » : "
                    a href=(diagnostic_path(project.id, collectivity_id)) { "le diagnostic de votre territoire" }
                    " et " a href=(group_path(project.id, collectivity_id)) { "son groupe d’enquête" } "."
                }
            }
            @for (project, event) in &status.upcoming {
                li { (date_fr(event.starts_at)) " : " a href={ (project_path(project.id)) "/evenements/" (event.id) } { (event.title) } " (" (project.title) ")" }
            }
            @if status.membership.is_referent {
                @for theme in &status.unpositioned {
                    li { "Se positionner sur " a href={ "/themes/" (theme.id) } { "« " (theme.title) " »" } " (" (theme.positions_count) " collectivité" @if theme.positions_count > 1 { "s" } " déjà)" }
                }
                @let others = status.unpositioned_count - status.unpositioned.len() as i64;
                @if others > 0 {
                    li {
                        @if others > 1 {
                            a href="/themes" { (others) " autres thèmes ouverts" } " attendent aussi votre positionnement."
                        } @else {
                            a href="/themes" { "Un autre thème ouvert" } " attend aussi votre positionnement."
                        }
                    }
                }
                @if status.unpositioned.is_empty() { li { "Votre collectivité s’est positionnée sur tous les thèmes ouverts." } }
                @if status.pending_invitations > 0 {
                    li { a href={ (territory_path(&status.territory)) "#inviter" } { (status.pending_invitations) " invitation" @if status.pending_invitations > 1 { "s" } " en attente de réponse" } }
                }
                li { a href="/themes/nouveau" { "Proposer un thème" } " qui vous paraît prioritaire." }
            } @else {
                li { "Les positionnements se prennent par le référent de la collectivité ; vous pouvez suivre les thèmes et leur avancée." }
            }
        }
    }
}

/// One of the collectivity's tables, named « Projets partagés de Blois » for the region that scrolls it and for
/// screen readers.
fn collectivity_table(status: &CollectivityStatus, what: &str, columns: [&str; 4], rows: Markup) -> Markup {
    let territory = &status.territory.name;
    scroll_table(
        &format!("{what} de {territory}"),
        html! {
            table {
                caption class="visually-hidden" { (what) " " (de(territory)) }
                thead { tr { @for column in columns { th scope="col" { (column) } } } }
                tbody { (rows) }
            }
        },
    )
}

fn enrolments_table(status: &CollectivityStatus) -> Markup {
    collectivity_table(
        status,
        "Projets partagés",
        ["Projet", "Inscription", "État", "Phase du projet"],
        html! {
            @for (enrolment, project, rank) in &status.enrolments {
                tr {
                    th scope="row" { a href=(project_path(project.id)) { (project.title) } }
                    td { (enrolment.role().label()) }
                    td {
                        @if let Some(rank) = rank {
                            (rank_fr(*rank)) " sur la liste d’attente, depuis le " (moment_fr(enrolment.requested_at))
                            @if enrolment.standing().observes() { " (observatrice en attendant)" }
                        } @else { (enrolment.status().label()) }
                    }
                    td { (project.phase().label()) }
                }
            }
        },
    )
}

fn positions_table(status: &CollectivityStatus) -> Markup {
    collectivity_table(
        status,
        "Positionnements",
        ["Thème", "Engagement envisagé", "État du thème", "Dernière modification"],
        html! {
            @for (position, theme) in &status.positions {
                tr {
                    th scope="row" { a href={ "/themes/" (theme.id) } { (theme.title) } }
                    td { (position.engagement().label()) }
                    td { (theme.status().label()) }
                    td { (date_fr(position.updated_at)) }
                }
            }
        },
    )
}
