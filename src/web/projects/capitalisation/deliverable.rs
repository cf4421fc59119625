//! A project's national deliverable: the agency assembles chosen lessons, recommendations and territories' adopted
//! plans under its own introduction and conclusion, then publishes it — a public page with a table of contents,
//! printable as a clean document. Before publication, the agency and the provider preview it; nobody else sees it.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::status_history;
use crate::domain::capitalisation::{ready_to_publish, DeliverableTexts};
use crate::domain::markdown::Markdown;
use crate::domain::plan::Body;
use crate::domain::text::de;
use crate::storage::capitalisation::{self as lessons_store, Lesson, Recommendation};
use crate::storage::deliverables::{self as store, Deliverable, Item, Saved};
use crate::storage::diagnostic::Place;
use crate::storage::plans::{adopted_plan, AdoptedPlan};
use crate::storage::projects::{self, Project};
use crate::storage::{self, DbConnection};
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::access::project_and_access;
use crate::web::projects::paths::{deliverable_path, project_path, public_plan_path};
use crate::web::views::{csrf_field, date_fr, page, page_with_errors, see_other, unprocessable, Field, FormErrors};
use crate::web::{AppError, AppState};

/// Everything the deliverable may assemble, and what it holds.
struct Material {
    project: Project,
    deliverable: Option<Deliverable>,
    items: Vec<Item>,
    lessons: Vec<Lesson>,
    recommendations: Vec<Recommendation>,
    /// The territories whose plan is adopted, as (collectivity, plan).
    plans: Vec<(i64, AdoptedPlan)>,
}

impl Material {
    fn load(conn: &mut DbConnection, project: Project) -> Result<Material, AppError> {
        let deliverable = store::find_deliverable(conn, project.id)?;
        let items = store::items_of(conn, project.id)?;
        let lessons =
            lessons_store::visible_lessons(conn, project.id, crate::domain::capitalisation::Audience::Participants)?
                .into_iter()
                .map(|view| view.lesson)
                .collect();
        let recommendations = lessons_store::recommendations_of(conn, project.id)?;
        let mut adopted = Vec::new();
        for (enrolment, _) in projects::enrolments_of_project(conn, project.id)? {
            let place = Place { project_id: project.id, collectivity_id: enrolment.collectivity_id };
            if enrolment.is_active_participant() {
                if let Some(plan) = adopted_plan(conn, place)? {
                    adopted.push((enrolment.collectivity_id, plan));
                }
            }
        }
        adopted.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        Ok(Material { project, deliverable, items, lessons, recommendations, plans: adopted })
    }

    fn texts(&self) -> DeliverableTexts {
        self.deliverable.as_ref().map(Deliverable::texts).unwrap_or_else(|| DeliverableTexts {
            title: format!("Livrable national — {}", self.project.title),
            introduction: String::new(),
            conclusion: String::new(),
        })
    }

    fn revision(&self) -> i32 {
        self.deliverable.as_ref().map_or(1, |d| d.revision)
    }
}

async fn material(state: &AppState, project: Project) -> Result<Material, AppError> {
    state.db(move |conn| Material::load(conn, project)).await
}

/// The published deliverable, or its preview for the agency and the provider.
pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<Markup, AppError> {
    let (project, access) = project_and_access(&state, &ctx, path.into_inner()).await?;
    let material = material(&state, project).await?;
    let published = material.deliverable.as_ref().and_then(|d| d.published_at);
    if published.is_none() && !access.leads() {
        return Err(AppError::NotFound);
    }
    if material.deliverable.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(public_page(&ctx, &material, access.is_admin))
}

fn public_page(ctx: &PageCtx, m: &Material, editor: bool) -> Markup {
    let project = &m.project;
    let texts = m.texts();
    let lessons: Vec<&Lesson> = m
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Lesson(id) => m.lessons.iter().find(|l| l.id == *id),
            _ => None,
        })
        .collect();
    let recommendations: Vec<&Recommendation> = m
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Recommendation(id) => m.recommendations.iter().find(|r| r.id == *id),
            _ => None,
        })
        .collect();
    let plans: Vec<&(i64, AdoptedPlan)> = m
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Plan(id) => m.plans.iter().find(|(c, _)| c == id),
            _ => None,
        })
        .collect();
    let published = m.deliverable.as_ref().and_then(|d| d.published_at);
    page(
        ctx,
        &texts.title,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › Livrable national" }
            @match published {
                Some(at) => p class="meta" { "Publié le " (date_fr(at.date())) " par l’Agence nationale de la cohésion des territoires." },
                None => p class="notice notice-warning" { "Aperçu : ce livrable n’est pas encore publié. Seuls l’agence et le prestataire le voient." },
            }
            @if editor { p class="no-print" { a href={ (deliverable_path(project.id)) "/edition" } { "Modifier le livrable" } } }
            article class="deliverable" {
                h1 { (texts.title) }
                nav class="toc" aria-labelledby="sommaire" {
                    h2 id="sommaire" { "Sommaire" }
                    ol {
                        li { a href="#introduction" { "Introduction" } }
                        @if !lessons.is_empty() {
                            li { a href="#enseignements" { "Enseignements" }
                                ol { @for l in &lessons { li { a href={ "#enseignement-" (l.id) } { (l.title) } } } } }
                        }
                        @if !recommendations.is_empty() {
                            li { a href="#recommandations" { "Recommandations" }
                                ol { @for r in &recommendations { li { a href={ "#recommandation-" (r.id) } { (r.title) } } } } }
                        }
                        @if !plans.is_empty() {
                            li { a href="#plans" { "Les plans d’action des territoires" }
                                ol { @for (c, plan) in &plans { li { a href={ "#plan-" (c) } { (plan.name) } } } } }
                        }
                        @if !texts.conclusion.is_empty() { li { a href="#conclusion" { "Conclusion" } } }
                    }
                }
                section class="deliverable-part" aria-labelledby="introduction" {
                    h2 id="introduction" { "Introduction" }
                    div class="markdown" { (Markdown(&texts.introduction)) }
                }
                @if !lessons.is_empty() {
                    section class="deliverable-part" aria-labelledby="enseignements" {
                        h2 id="enseignements" { "Enseignements" }
                        @for lesson in &lessons {
                            section class="deliverable-item" aria-labelledby={ "enseignement-" (lesson.id) } {
                                h3 id={ "enseignement-" (lesson.id) } { (lesson.title) }
                                @if let Some(phase) = lesson.phase() { p class="meta" { "Étape : " (phase.label()) } }
                                div class="markdown" { (Markdown(&lesson.body)) }
                            }
                        }
                    }
                }
                @if !recommendations.is_empty() {
                    section class="deliverable-part" aria-labelledby="recommandations" {
                        h2 id="recommandations" { "Recommandations pour l’action publique" }
                        @for r in &recommendations {
                            section class="deliverable-item" aria-labelledby={ "recommandation-" (r.id) } {
                                h3 id={ "recommandation-" (r.id) } { (r.title) }
                                p class="meta" { "À " (r.addressee) " · " (r.status().label()) }
                                div class="markdown" { (Markdown(&r.body)) }
                                (status_history(r))
                            }
                        }
                    }
                }
                @if !plans.is_empty() {
                    section class="deliverable-part" aria-labelledby="plans" {
                        h2 id="plans" { "Les plans d’action des territoires" }
                        @for (collectivity, plan) in &plans {
                            section class="deliverable-item" aria-labelledby={ "plan-" (collectivity) } {
                                h3 id={ "plan-" (collectivity) } { "Plan d’action " (de(&plan.name)) }
                                @if let Some(adoption) = &plan.version.adoption {
                                    p class="meta" { "Adopté le " (date_fr(adoption.adopted_on)) " par le " (Body::parse(&adoption.body).map_or("", Body::label).to_lowercase()) "." }
                                }
                                @for axis in &plan.content.axes {
                                    h4 { (axis.title) }
                                    ul {
                                        @for action in &axis.actions {
                                            li { (action.title)
                                                @if let Some(live) = plan.live.get(&action.id) { " — " (live.row.status().label().to_lowercase()) } }
                                        }
                                    }
                                }
                                p class="no-print" { a href=(public_plan_path(project.id, *collectivity)) { "La feuille de route complète " (de(&plan.name)) } }
                            }
                        }
                    }
                }
                @if !texts.conclusion.is_empty() {
                    section class="deliverable-part" aria-labelledby="conclusion" {
                        h2 id="conclusion" { "Conclusion" }
                        div class="markdown" { (Markdown(&texts.conclusion)) }
                    }
                }
            }
        },
    )
}

/// The agency, or a refusal.
async fn agency(state: &AppState, ctx: &PageCtx, id: i64) -> Result<Project, AppError> {
    ctx.require_admin()?;
    let (project, _) = project_and_access(state, ctx, id).await?;
    Ok(project)
}

fn edit_page(
    ctx: &PageCtx,
    m: &Material,
    texts: &DeliverableTexts,
    chosen: &[Item],
    (revision, other): (i32, Option<&Deliverable>),
    errors: &FormErrors,
) -> Markup {
    let project = &m.project;
    let path = deliverable_path(project.id);
    let published = m.deliverable.as_ref().and_then(|d| d.published_at);
    page_with_errors(
        ctx,
        "Préparer le livrable national",
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › " a href=(path) { "Livrable national" } " › Modifier" }
            h1 { "Préparer le livrable national" }
            p { "Le livrable réunit les enseignements, les recommandations et les plans d’action que vous choisissez, sous votre introduction et votre conclusion. Publié, il est public : les enseignements qu’il contient le deviennent, et celles et ceux qui suivent le projet en sont prévenus." }
            @if let Some(at) = published { p class="notice notice-success" { "Publié le " (date_fr(at.date())) " : une correction s’y voit aussitôt." } }
            (errors.summary())
            @if let Some(other) = other {
                div class="notice notice-warning" {
                    p class="notice-title" { "Quelqu’un a enregistré pendant que vous écriviez" }
                    p { "Sa version : « " (other.title) " ». La vôtre est dans le formulaire : reprenez ce qui doit l’être, puis enregistrez à nouveau." }
                    div class="markdown" { (Markdown(&other.introduction)) }
                }
            }
            form class="form" method="post" action={ (path) "/edition" } novalidate {
                (csrf_field(ctx))
                input type="hidden" name="revision" value=(revision);
                (Field::new("title", "Titre").value(&texts.title).render(errors))
                (crate::web::views::textarea("introduction", "Introduction", &texts.introduction, "Le projet, sa démarche, ce que le lecteur va trouver. Markdown accepté.", errors))
                (choices("lesson", "Enseignements", m.lessons.iter().map(|l| (l.id, l.title.clone(), Item::Lesson(l.id))).collect(), chosen))
                (choices("recommendation", "Recommandations", m.recommendations.iter().map(|r| (r.id, r.title.clone(), Item::Recommendation(r.id))).collect(), chosen))
                (choices("plan", "Plans d’action adoptés", m.plans.iter().map(|(c, p)| (*c, format!("Plan d’action {}", de(&p.name)), Item::Plan(*c))).collect(), chosen))
                (crate::web::views::optional_textarea("conclusion", "Conclusion", &texts.conclusion, "Markdown accepté.", errors))
                button class="button" type="submit" { "Enregistrer" }
            }
            @if published.is_none() && m.deliverable.is_some() {
                form method="post" action={ (path) "/publication" } {
                    (csrf_field(ctx))
                    button class="button button-secondary" type="submit" { "Publier le livrable" }
                }
            }
            @if m.deliverable.is_some() { p { a href=(path) { "Voir le livrable" @if published.is_none() { " (aperçu)" } } } }
        },
    )
}

fn choices(name: &'static str, legend: &str, options: Vec<(i64, String, Item)>, chosen: &[Item]) -> Markup {
    html! {
        fieldset class="field" {
            legend { (legend) }
            @if options.is_empty() { p class="hint" { "Rien à réunir pour l’instant." } }
            @for (id, label, item) in &options {
                div class="choice" {
                    input type="checkbox" id={ (name) "-" (id) } name=(name) value=(id) checked[chosen.contains(item)];
                    label for={ (name) "-" (id) } { (label) }
                }
            }
        }
    }
}

pub async fn edit_form(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<Markup, AppError> {
    let project = agency(&state, &ctx, path.into_inner()).await?;
    let m = material(&state, project).await?;
    Ok(edit_page(&ctx, &m, &m.texts(), &m.items, (m.revision(), None), &FormErrors::default()))
}

pub async fn save(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let by = ctx.require_user()?.id;
    let project = agency(&state, &ctx, path.into_inner()).await?;
    let m = material(&state, project).await?;
    let fields = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let mut items = Vec::new();
    for (name, value) in &fields {
        let id = || {
            value
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest("Un des éléments cochés n’existe pas : rechargez la page.".into()))
        };
        let item = match name.as_str() {
            "lesson" => Item::Lesson(id()?),
            "recommendation" => Item::Recommendation(id()?),
            "plan" => Item::Plan(id()?),
            _ => continue,
        };
        let known = match item {
            Item::Lesson(id) => m.lessons.iter().any(|l| l.id == id),
            Item::Recommendation(id) => m.recommendations.iter().any(|r| r.id == id),
            Item::Plan(id) => m.plans.iter().any(|(c, _)| *c == id),
        };
        if !known {
            return Err(AppError::BadRequest("Un des éléments cochés n’existe pas : rechargez la page.".into()));
        }
        if !items.contains(&item) {
            items.push(item);
        }
    }
    let revision = field("revision").trim().parse::<i32>().unwrap_or(0);
    let texts = match DeliverableTexts::parse(field("title"), field("introduction"), field("conclusion")) {
        Ok(texts) => texts,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            let typed = DeliverableTexts {
                title: field("title").to_owned(),
                introduction: field("introduction").to_owned(),
                conclusion: field("conclusion").to_owned(),
            };
            return Ok(unprocessable(edit_page(&ctx, &m, &typed, &items, (revision, None), &errors)));
        }
    };
    let project_id = m.project.id;
    let (to_save, chosen) = (texts.clone(), items.clone());
    let saved = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(store::save(conn, project_id, revision, &to_save, &chosen, by)?)
            })
        })
        .await?;
    match saved {
        Saved::Saved => {
            ctx.set_flash("Livrable enregistré.");
            Ok(see_other(&format!("{}/edition", deliverable_path(project_id))))
        }
        Saved::Stale(other) => {
            let mut errors = FormErrors::default();
            errors.add(
                "title",
                "Quelqu’un a enregistré le livrable pendant que vous écriviez : comparez, puis enregistrez à nouveau.",
            );
            Ok(unprocessable(edit_page(&ctx, &m, &texts, &items, (other.revision, Some(&other)), &errors)))
        }
    }
}

/// The agency publishes the deliverable, once; a double click shows it published.
pub async fn publish(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let by = ctx.require_user()?.id;
    let project = agency(&state, &ctx, path.into_inner()).await?;
    let m = material(&state, project).await?;
    let project_id = m.project.id;
    let Some(deliverable) = m.deliverable.clone() else {
        return Err(AppError::BadRequest("Écrivez le livrable avant de le publier.".into()));
    };
    if deliverable.published_at.is_none() {
        if let Err(message) = ready_to_publish(&deliverable.texts(), m.items.len()) {
            let mut errors = FormErrors::default();
            errors.add("introduction", message);
            return Ok(unprocessable(edit_page(
                &ctx,
                &m,
                &deliverable.texts(),
                &m.items,
                (deliverable.revision, None),
                &errors,
            )));
        }
    }
    let title = m.project.title.clone();
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(store::publish(conn, &deliverable, by, &title)?))
        })
        .await?;
    ctx.set_flash("Le livrable est publié : il est public, et celles et ceux qui suivent le projet en sont prévenus.");
    Ok(see_other(&deliverable_path(project_id)))
}
