//! What everyone sees of the plans: each territory's adopted plan (the content of its latest adopted version, with
//! where each action stands today), printable as the territory's roadmap; and the project's comparison of its
//! territories' plans. Drafts stay in the working space: nothing here reads the plan being written — a new version
//! shows only once adopted — and the ideas an action came from are told by their number, not their words (they
//! belong to the working group).

use actix_web::web;
use chrono::NaiveDate;
use maud::{html, Markup};

use super::chart::{indicator_chart, indicator_table};
use super::{adoption_record, next_steps_view, today};
use crate::domain::plan::{euros, ActionStatus, Lineage, Priority};
use crate::domain::text::de;
use crate::storage::diagnostic::Place;
use crate::storage::plans::{adopted_plan, ActionDetail, AdoptedPlan};
use crate::storage::projects::{self, Project};
use crate::web::context::PageCtx;
use crate::web::projects::paths::{project_path, public_plan_path};
use crate::web::views::{date_fr, page, paragraphs, scroll_table};
use crate::web::{AppError, AppState};

fn action_block(plan: &AdoptedPlan, action: &crate::domain::plan::ActionContent, today: NaiveDate) -> Markup {
    let live = plan.live.get(&action.id);
    html! {
        article class="roadmap-action" aria-labelledby={ "action-" (action.id) } {
            h3 id={ "action-" (action.id) } { (action.title) }
            @if !action.description.is_empty() { (paragraphs(&action.description)) }
            dl class="facts" {
                @if let Some(live) = live {
                    @let lateness = live.lateness(today);
                    dt { "Où en est l’action" } dd {
                        (live.row.status().label())
                        @if let Some(p) = live.progress().percent() { ", " (p) " %" }
                        @if lateness.is_late() { " — " strong class="late" { (lateness.describe()) } }
                    }
                } @else {
                    dt { "Où en est l’action" } dd { "Retirée depuis l’adoption." }
                }
                dt { "Pilote" } dd { @if action.lead.is_empty() { "—" } @else { (action.lead) } }
                @if !action.partners.is_empty() { dt { "Partenaires" } dd { (action.partners.join(", ")) } }
                dt { "Calendrier" } dd { (action.starts_on.map_or("—".into(), date_fr)) " → " (action.ends_on.map_or("—".into(), date_fr)) }
                dt { "Budget" } dd {
                    (action.budget_cents.map_or("—".into(), euros))
                    @for f in &action.fundings { br; (f.funder) " : " (euros(f.amount_cents)) @if f.secured { " (acquis)" } @else { " (à trouver)" } }
                }
                dt { "Priorité" } dd { (Priority::from_code(action.priority).label()) }
                @if let Some(lineage) = live.and_then(|l| Lineage::parse(&l.row.lineage)) {
                    dt { "D’où elle vient" } dd {
                        "Retenue à l’atelier « " (lineage.workshop) " » parmi " (lineage.ideas.len()) " idée"
                        @if lineage.ideas.len() > 1 { "s" } " du groupe de travail"
                        @if let Some(mean) = lineage.weighted_mean { ", notée " (crate::domain::codesign::decimal_fr(mean)) " sur 5" } "."
                    }
                }
            }
            @if let Some(live) = live {
                @for (n, indicator) in live.indicators.iter().enumerate() {
                    section class="indicator" aria-labelledby={ "indicateur-" (action.id) "-" (n) } {
                        h4 id={ "indicateur-" (action.id) "-" (n) } { (indicator.row.name) @if !indicator.row.unit.is_empty() { " (" (indicator.row.unit) ")" } }
                        (indicator_chart(indicator))
                        (indicator_table(indicator))
                    }
                }
            }
        }
    }
}

fn roadmap_page(ctx: &PageCtx, project: &Project, place: Place, plan: &AdoptedPlan) -> Markup {
    let title = format!("Feuille de route {}", de(&plan.name));
    let today = today();
    let body = html! {
        p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › " (title) }
        h1 { (title) }
        p class="lead" { "Le plan d’action du territoire, adopté par son exécutif dans le cadre du projet « " (project.title) " » (version " (plan.version.row.number) ")." }
        (adoption_record((place.project_id, place.collectivity_id), &plan.version))
        p class="no-print" { "Pour l’imprimer ou l’enregistrer en PDF, utilisez la commande « Imprimer » de votre navigateur : la page est mise en forme pour le papier." }
        @for (n, axis) in plan.content.axes.iter().enumerate() {
            section class="roadmap-axis" aria-labelledby={ "axe-" (n + 1) } {
                h2 id={ "axe-" (n + 1) } { "Axe " (n + 1) " — " (axis.title) }
                @if !axis.description.is_empty() { (paragraphs(&axis.description)) }
                @for action in &axis.actions { (action_block(plan, action, today)) }
            }
        }
        section aria-labelledby="etape-d-apres" {
            h2 id="etape-d-apres" { "L’étape d’après" }
            (next_steps_view(&plan.content.next_steps))
        }
    };
    page(ctx, &title, body)
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let place = Place { project_id, collectivity_id };
    let (project, plan) = state
        .db(move |conn| {
            let project = projects::find_project(conn, project_id)?.ok_or(AppError::NotFound)?;
            let plan = adopted_plan(conn, place)?.ok_or(AppError::NotFound)?;
            Ok((project, plan))
        })
        .await?;
    Ok(roadmap_page(&ctx, &project, place, &plan))
}

/// One territory's line in the comparison.
struct Compared {
    collectivity_id: i64,
    name: String,
    plan: Option<AdoptedPlan>,
}

pub async fn compare(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<Markup, AppError> {
    let project_id = path.into_inner();
    let (project, territories) = state
        .db(move |conn| {
            let project = projects::find_project(conn, project_id)?.ok_or(AppError::NotFound)?;
            let mut out = Vec::new();
            for (enrolment, territory) in projects::enrolments_of_project(conn, project_id)? {
                if !enrolment.is_active_participant() {
                    continue;
                }
                let place = Place { project_id, collectivity_id: enrolment.collectivity_id };
                out.push(Compared {
                    collectivity_id: enrolment.collectivity_id,
                    name: territory.name,
                    plan: adopted_plan(conn, place)?,
                });
            }
            Ok((project, out))
        })
        .await?;
    let today = today();
    let title = "Les plans d’action des territoires";
    Ok(page(
        &ctx,
        title,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › " (title) }
            h1 { (title) }
            p { "Ce que chaque territoire participant a adopté, et où en sont ses actions aujourd’hui. Un plan encore en préparation n’apparaît qu’une fois adopté." }
            (scroll_table(title, html! {
                table {
                    caption class="visually-hidden" { (title) }
                    thead { tr {
                        th scope="col" { "Territoire" } th scope="col" { "Adopté le" } th scope="col" { "Axes" } th scope="col" { "Actions" }
                        @for status in ActionStatus::ALL { th scope="col" { (status.label()) } }
                        th scope="col" { "En retard" } th scope="col" { "Budget" } th scope="col" { "Indicateurs dans la trajectoire" }
                    } }
                    tbody {
                        @for t in &territories {
                            tr {
                                th scope="row" {
                                    @if t.plan.is_some() { a href=(public_plan_path(project.id, t.collectivity_id)) { (t.name) } } @else { (t.name) }
                                }
                                @if let Some(plan) = &t.plan {
                                    @let ids: Vec<i64> = plan.content.actions().map(|(_, a)| a.id).collect();
                                    @let live: Vec<&ActionDetail> = ids.iter().filter_map(|id| plan.live.get(id)).collect();
                                    @let series: Vec<Option<bool>> = live.iter().flat_map(|a| a.indicators.iter().map(|i| i.series().on_track())).collect();
                                    td { (plan.version.adoption.as_ref().map_or(String::new(), |a| date_fr(a.adopted_on))) }
                                    td { (plan.content.axes.len()) }
                                    td { (ids.len()) }
                                    @for status in ActionStatus::ALL { td { (live.iter().filter(|a| a.row.status() == status).count()) } }
                                    td { (live.iter().filter(|a| a.lateness(today).is_late()).count()) }
                                    td { (euros(plan.content.actions().filter_map(|(_, a)| a.budget_cents).sum())) }
                                    td { (series.iter().filter(|s| **s == Some(true)).count()) " sur " (series.iter().filter(|s| s.is_some()).count()) }
                                } @else {
                                    td colspan=(4 + ActionStatus::ALL.len() + 2) { "Pas encore adopté" }
                                }
                            }
                        }
                    }
                }
            }))
        },
    ))
}
