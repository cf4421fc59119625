//! "Ma collectivité": for each collectivity a person belongs to, where it stands and what to do next.

use actix_web::web;
use maud::{html, Markup};

use super::collectivities::territory_path;
use super::context::PageCtx;
use super::projects::project_path;
use super::views::{date_fr, page};
use super::{AppError, AppState};
use crate::domain::project::{EnrolmentStatus, Phase};
use crate::domain::theme::ThemeStatus;
use crate::storage;
use crate::storage::collectivities::{memberships_of_user, Membership};
use crate::storage::events::{events_of_project, Event};
use crate::storage::invitations::pending_invitations_of_collectivity;
use crate::storage::projects::{self, Enrolment, Project};
use crate::storage::territories::Territory;
use crate::storage::themes::{self, Position, Theme};

/// Open themes shown as "to position on", at most.
const SUGGESTED: usize = 5;

struct CollectivityStatus {
    membership: Membership,
    territory: Territory,
    positions: Vec<(Position, Theme)>,
    /// Open themes it has not positioned itself on yet, most shared first.
    unpositioned: Vec<Theme>,
    pending_invitations: i64,
    enrolments: Vec<(Enrolment, Project)>,
    /// Projects open for enrolment on themes it positioned itself on, where it is not enrolled.
    to_enrol: Vec<Project>,
    /// Coming events of the projects it participates in.
    upcoming: Vec<(Project, Event)>,
}

/// The most shared open themes a referent is invited to position on; the others are one link away.
const UNPOSITIONED_SHOWN: usize = 5;

pub async fn show(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    let user_id = ctx.require_user()?.id;
    let (statuses, provided) = state
        .db(move |conn| {
            let open = themes::ranked_themes(conn, ThemeStatus::Open, 200, 0)?;
            let statuses = memberships_of_user(conn, user_id)?
                .into_iter()
                .map(|(membership, territory)| {
                    let positions = themes::positions_of_collectivity(conn, membership.collectivity_id)?;
                    let unpositioned = open
                        .iter()
                        .filter(|t| !positions.iter().any(|(p, _)| p.theme_id == t.id))
                        .take(SUGGESTED)
                        .cloned()
                        .collect();
                    let pending_invitations = if membership.is_referent {
                        pending_invitations_of_collectivity(conn, membership.collectivity_id, storage::now(), 0)?.1
                    } else {
                        0
                    };
                    let enrolments = projects::enrolments_of_collectivity(conn, membership.collectivity_id)?;
                    let mut to_enrol = Vec::new();
                    for (position, _) in &positions {
                        if let Some(project) = projects::project_of_theme(conn, position.theme_id)? {
                            let enrolled = enrolments
                                .iter()
                                .any(|(e, p)| p.id == project.id && e.status() != EnrolmentStatus::Withdrawn);
                            if !enrolled && project.phase() == Phase::Enrolment {
                                to_enrol.push(project);
                            }
                        }
                    }
                    let now = storage::now();
                    let mut upcoming = Vec::new();
                    for (enrolment, project) in enrolments.iter().filter(|(e, _)| e.is_active_participant()) {
                        for (event, _) in events_of_project(conn, enrolment.project_id)? {
                            if event.ends_at >= now {
                                upcoming.push((project.clone(), event));
                            }
                        }
                    }
                    upcoming.sort_by_key(|(_, e)| e.starts_at);
                    Ok(CollectivityStatus {
                        membership,
                        territory,
                        positions,
                        unpositioned,
                        pending_invitations,
                        enrolments,
                        to_enrol,
                        upcoming,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            Ok((statuses, projects::projects_of_provider_member(conn, user_id)?))
        })
        .await?;
    Ok(page(
        &ctx,
        "Ma collectivité",
        html! {
            h1 { "Ma collectivité" }
            @if !provided.is_empty() {
                section aria-labelledby="accompagnes" {
                    h2 id="accompagnes" { "Les projets que vous accompagnez" }
                    ul { @for p in &provided { li { a href=(project_path(p.id)) { (p.title) } " — phase « " (p.phase().label()) " »" } } }
                }
            }
            @if statuses.is_empty() && provided.is_empty() {
                p { "Votre compte n’est rattaché à aucune collectivité. Le référent de votre collectivité ou l’agence peut vous inviter." }
            }
            @for status in &statuses {
                @let heading = format!("collectivite-{}", status.membership.collectivity_id);
                section aria-labelledby=(heading) {
                    h2 id=(heading) { a href=(territory_path(&status.territory)) { (status.territory.name) } }
                    p class="meta" {
                        "Vous y êtes " (status.membership.function().label().to_lowercase())
                        @if status.membership.is_referent { ", référent·e : vous agissez en son nom" }
                        "."
                    }
                    h3 { "À faire" }
                    ul {
                        @for project in &status.to_enrol {
                            li {
                                "Le projet partagé " a href={ (project_path(project.id)) "#inscrits" } { "« " (project.title) " »" } " est ouvert : "
                                @if status.membership.is_referent { "inscrivez votre collectivité comme participante ou observatrice" } @else { "le référent peut y inscrire votre collectivité" }
                                " (" (project.seats_left()) " place" @if project.seats_left() > 1 { "s" } " de participante)."
                            }
                        }
                        @for (project, event) in &status.upcoming {
                            li { (date_fr(event.starts_at)) " : " a href={ (project_path(project.id)) "/evenements/" (event.id) } { (event.title) } " (" (project.title) ")" }
                        }
                        @if status.membership.is_referent {
                            @for theme in status.unpositioned.iter().take(UNPOSITIONED_SHOWN) {
                                li { "Se positionner sur " a href={ "/themes/" (theme.id) } { "« " (theme.title) " »" } " (" (theme.positions_count) " collectivité" @if theme.positions_count > 1 { "s" } " déjà)" }
                            }
                            @if status.unpositioned.len() > UNPOSITIONED_SHOWN {
                                li { a href="/themes" { (status.unpositioned.len() - UNPOSITIONED_SHOWN) " autres thèmes ouverts" } " attendent aussi votre positionnement." }
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
                    h3 { "Ses projets partagés" }
                    @if status.enrolments.is_empty() {
                        p { "Inscrite à aucun projet pour l’instant." }
                    } @else {
                        div class="table-scroll" {
                            table {
                                caption class="visually-hidden" { "Projets partagés de " (status.territory.name) }
                                thead { tr { th scope="col" { "Projet" } th scope="col" { "Inscription" } th scope="col" { "État" } th scope="col" { "Phase du projet" } } }
                                tbody {
                                    @for (enrolment, project) in &status.enrolments {
                                        tr {
                                            th scope="row" { a href=(project_path(project.id)) { (project.title) } }
                                            td { (enrolment.role().label()) }
                                            td { (enrolment.status().label()) }
                                            td { (project.phase().label()) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    h3 { "Ses positionnements" }
                    @if status.positions.is_empty() {
                        p { "Aucun pour l’instant." }
                    } @else {
                        div class="table-scroll" {
                            table {
                                caption class="visually-hidden" { "Positionnements de " (status.territory.name) }
                                thead { tr { th scope="col" { "Thème" } th scope="col" { "Engagement envisagé" } th scope="col" { "État du thème" } th scope="col" { "Dernière modification" } } }
                                tbody {
                                    @for (position, theme) in &status.positions {
                                        tr {
                                            th scope="row" { a href={ "/themes/" (theme.id) } { (theme.title) } }
                                            td { (position.engagement().label()) }
                                            td { (theme.status().label()) }
                                            td { (date_fr(position.updated_at)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}
