//! The territorial action plan (docs/product.md § Lifecycle, steps 6 and 7): the territory's working page (its
//! axes and actions, « l'étape d'après », its versions, submission and adoption) in this file; an action's page
//! (content, progress, what it answers, indicators and measurements, comments) in actions.rs; recording the
//! adoption and serving the act in adoption.rs; the follow-up reviews in reviews.rs; spreadsheets out and in in
//! export.rs; the adopted plans as everyone sees them (a territory's roadmap, the project's comparison) in
//! public.rs; the indicators' charts in chart.rs.
//!
//! Who sees a territory's plan while it is written: the project's working space and the territory's working-group
//! members with an account (as for its cycle). Who writes it: the territory's referents, the provider and the
//! agency. The working group comments its actions. An adopted version is frozen: changing it opens a new version,
//! and the page says what changed since the adopted one.

pub mod actions;
pub mod adoption;
pub mod chart;
pub mod export;
pub mod public;
pub mod reviews;

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;

use super::paths::{action_path, co_design_path, plan_path, project_path, public_plan_path};
use super::territory::{may_edit, Territory};
use crate::domain::paris::paris_time;
use crate::domain::plan::{euros, ActionStatus, AxisFields, Lineage, NextSteps, PlanState};
use crate::domain::text::de;
use crate::storage::diagnostic::Place;
use crate::storage::events::{find_event, Event};
use crate::storage::plans::{
    self, ActionDetail, AxisOutcome, ContentRefusal, PlanDetail, Saved, SubmitOutcome, Version,
};
use crate::storage::{self, DbConnection, QueryResult};
use crate::web::context::PageCtx;
use crate::web::views::{
    csrf_field, date_fr, optional_textarea, page_with_errors, paragraphs, scroll_table, see_other, select,
    unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

/// Today in Paris: what « en retard » is computed against.
pub fn today() -> NaiveDate {
    paris_time(storage::now()).date()
}

impl Territory {
    pub fn plan_path(&self) -> String {
        plan_path(self.place.project_id, self.place.collectivity_id)
    }

    /// Whether the person writes the plan (its referents, the provider, the agency) in a project still open.
    pub fn writes_plan(&self) -> bool {
        may_edit(&self.access, self.place.collectivity_id) && self.require_open_project().is_ok()
    }

    pub fn require_plan_writer(&self) -> Result<i64, AppError> {
        self.require_open_project()?;
        if !may_edit(&self.access, self.place.collectivity_id) {
            return Err(AppError::Forbidden);
        }
        Ok(self.access.require_user()?.id)
    }

    /// Runs a change of the plan, by a person who writes it, in one write transaction.
    pub async fn write_plan<T: Send + 'static>(
        &self,
        state: &AppState,
        change: impl FnOnce(&mut DbConnection, Place, i64) -> QueryResult<T> + Send + 'static,
    ) -> Result<T, AppError> {
        let by = self.require_plan_writer()?;
        let place = self.place;
        state.db(move |conn| storage::write_transaction(conn, |conn| Ok::<_, AppError>(change(conn, place, by)?))).await
    }

    pub fn plan_breadcrumb(&self, here: Option<&str>) -> Markup {
        let title = format!("Plan d’action {}", de(&self.name));
        html! {
            p class="breadcrumb" {
                a href=(project_path(self.project.id)) { (self.project.title) } " › "
                @if let Some(here) = here { a href=(self.plan_path()) { (title) } " › " (here) } @else { (title) }
            }
        }
    }
}

/// What a refused change of content says; the page it comes back to says the rest.
pub fn frozen_flash(ctx: &PageCtx, territory: &Territory, frozen: &plans::Frozen) -> HttpResponse {
    ctx.set_flash(&frozen.message());
    see_other(&territory.plan_path())
}

/// Everything the plan's page shows.
pub struct PlanView {
    pub detail: PlanDetail,
    pub versions: Vec<Version>,
    pub changes: Vec<String>,
    pub follow_up: Option<Event>,
}

pub async fn load_plan(state: &AppState, territory: &Territory) -> Result<PlanView, AppError> {
    let place = territory.place;
    state
        .db(move |conn| {
            let detail = plans::plan_detail(conn, place)?;
            let (versions, follow_up) = match &detail.plan {
                Some(plan) => (
                    plans::versions_of(conn, plan.id)?,
                    match plan.follow_up_event_id {
                        Some(id) => find_event(conn, place.project_id, id)?,
                        None => None,
                    },
                ),
                None => (Vec::new(), None),
            };
            let changes = match detail.state() {
                PlanState::Adopted => Vec::new(),
                _ => detail.changes_since_adoption(&versions),
            };
            Ok(PlanView { detail, versions, changes, follow_up })
        })
        .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AxisForm {
    title: String,
    description: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewActionForm {
    title: String,
    axis: String,
    description: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextStepsForm {
    implementation: String,
    citizens: String,
    evaluation: String,
    revision: String,
}

/// A form of the page sent back with its errors.
enum Refused<'a> {
    None,
    Axis(&'a AxisForm, &'a FormErrors),
    Action(&'a NewActionForm, &'a FormErrors),
    NextSteps(&'a NextStepsForm, &'a FormErrors, Option<&'a NextSteps>),
}

/// One line of « pourquoi cette action »: the ideas it comes from and who proposed them, what they cited, how the
/// working group scored it.
pub fn why(action: &ActionDetail) -> Markup {
    let lineage = Lineage::parse(&action.row.lineage);
    let heard: Vec<&str> = lineage
        .iter()
        .flat_map(|l| l.evidence.iter().map(String::as_str))
        .chain(action.evidence.iter().map(|(_, label, _)| label.as_str()))
        .collect();
    html! {
        @if let Some(l) = &lineage {
            p class="meta" {
                "Pourquoi : " (l.ideas.len()) " idée" @if l.ideas.len() > 1 { "s" } " de l’atelier « " (l.workshop) " »"
                @if let Some(mean) = l.weighted_mean { ", note pondérée " (crate::domain::codesign::decimal_fr(mean)) " sur 5" }
                @if l.dots > 0 { ", " (l.dots) " point" @if l.dots > 1 { "s" } }
                @if !heard.is_empty() { " ; en réponse à : " (heard.join(" ; ")) }
            }
        } @else if !heard.is_empty() {
            p class="meta" { "Pourquoi : en réponse à " (heard.join(" ; ")) }
        }
    }
}

fn state_notice(territory: &Territory, view: &PlanView) -> Markup {
    let detail = &view.detail;
    let adopted = view.versions.iter().find(|v| v.adoption.is_some());
    html! {
        div class="notice" {
            p {
                strong { "Version " (detail.version()) " — " (detail.state().label()) }
                @match detail.state() {
                    PlanState::Draft => { " : le plan s’écrit ; il sera soumis à l’adoption de l’exécutif du territoire." }
                    PlanState::Submitted => { " : son contenu est figé en attendant la décision de l’exécutif." }
                    PlanState::Adopted => { " : cette version est figée ; l’avancement des actions et les mesures continuent d’être suivis." }
                }
            }
            @if let Some(v) = adopted {
                @if let Some(a) = &v.adoption {
                    p { "Version " (v.row.number) " adoptée le " (date_fr(a.adopted_on)) ". "
                        a href=(public_plan_path(territory.place.project_id, territory.place.collectivity_id)) { "La page publique du plan adopté" } }
                }
            }
        }
    }
}

fn figures(detail: &PlanDetail, today: NaiveDate) -> Markup {
    let placed: Vec<&ActionDetail> = detail.actions.iter().filter(|a| a.row.axis_id.is_some()).collect();
    let budget: i64 = placed.iter().filter_map(|a| a.row.budget_cents).sum();
    let secured: i64 = placed.iter().map(|a| a.secured_cents()).sum();
    let late = placed.iter().filter(|a| a.lateness(today).is_late()).count();
    html! {
        ul class="figures" {
            li { strong { (detail.axes.len()) } " axe" @if detail.axes.len() > 1 { "s" } }
            li { strong { (placed.len()) } " action" @if placed.len() > 1 { "s" } }
            @for status in ActionStatus::ALL {
                @let n = placed.iter().filter(|a| a.row.status() == status).count();
                @if n > 0 { li { strong { (n) } " " (status.label().to_lowercase()) } }
            }
            @if late > 0 { li { strong { (late) } " en retard" } }
            li { strong { (euros(budget)) } " de budget" @if budget > 0 { ", dont " (euros(secured)) " de financements acquis" } }
        }
    }
}

/// The actions of an axis (or those « à classer »), as a table.
fn actions_table(
    ctx: &PageCtx,
    territory: &Territory,
    caption: &str,
    actions: &[&ActionDetail],
    today: NaiveDate,
    orders: bool,
) -> Markup {
    let (project_id, collectivity_id) = (territory.place.project_id, territory.place.collectivity_id);
    scroll_table(
        caption,
        html! {
            table {
                caption class="visually-hidden" { (caption) }
                thead { tr {
                    th scope="col" { "Action" } th scope="col" { "Pilote" } th scope="col" { "Calendrier" }
                    th scope="col" { "Statut" } th scope="col" { "Avancement" } th scope="col" { "Budget" }
                    @if orders { th scope="col" { "Ordre" } }
                } }
                tbody {
                    @for action in actions {
                        @let lateness = action.lateness(today);
                        tr {
                            td { a href=(action_path(project_id, collectivity_id, action.row.id)) { (action.row.title) } (why(action)) }
                            td { @if action.lead.is_empty() { "—" } @else { (action.lead) } }
                            td {
                                @match (action.row.starts_on, action.row.ends_on) {
                                    (Some(s), Some(e)) => { (date_fr(s)) " → " (date_fr(e)) }
                                    (Some(s), None) => { "À partir du " (date_fr(s)) }
                                    (None, Some(e)) => { "D’ici le " (date_fr(e)) }
                                    (None, None) => { "—" }
                                }
                            }
                            td {
                                (action.row.status().label())
                                @if lateness.is_late() { br; strong class="late" { (lateness.describe()) } }
                            }
                            td { @match action.progress().percent() { Some(p) => { (p) " %" } None => { "—" } } }
                            td { @match action.row.budget_cents { Some(b) => { (euros(b)) } None => { "—" } } }
                            @if orders {
                                td id={ "ordre-" (action.row.id) } {
                                    (move_buttons(ctx, &format!("{}/ordre", action_path(project_id, collectivity_id, action.row.id)), &format!("l’action « {} »", action.row.title)))
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn plan_page(ctx: &PageCtx, territory: &Territory, view: &PlanView, refused: Refused) -> Markup {
    let none = FormErrors::default();
    let errors = match &refused {
        Refused::None => &none,
        Refused::Axis(_, e) | Refused::Action(_, e) | Refused::NextSteps(_, e, _) => e,
    };
    let detail = &view.detail;
    let title = format!("Plan d’action {}", de(&territory.name));
    let path = territory.plan_path();
    let writes = territory.writes_plan();
    let drafting = writes && detail.state().content_editable();
    let today = today();
    let axis_options: Vec<(String, String)> = std::iter::once((String::new(), "À classer plus tard".to_owned()))
        .chain(detail.axes.iter().map(|a| (a.id.to_string(), a.title.clone())))
        .collect();
    let unclassed: Vec<&ActionDetail> = detail.actions_in(None).collect();
    let next = detail.plan.as_ref().map(|p| p.next_steps()).unwrap_or_default();
    let revision = detail.plan.as_ref().map_or(1, |p| p.revision);
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            (territory.plan_breadcrumb(None))
            h1 { (title) }
            p { "Écrit avec le groupe de travail à partir des actions retenues en atelier ("
                a href=(co_design_path(territory.place.project_id, territory.place.collectivity_id)) { "croisement des regards" }
                "), puis soumis à l’adoption de l’exécutif du territoire, suivi et revu six mois après." }
            (errors.summary())
            (state_notice(territory, view))
            (figures(detail, today))
            @if writes {
                section class="card" aria-labelledby="version" {
                    h2 id="version" { "Version et adoption" }
                    @match detail.state() {
                        PlanState::Draft => {
                            p { "Quand le plan est prêt, soumettez sa version " (detail.version()) " à l’adoption : son contenu sera figé." }
                            form method="post" action={ (path) "/soumission" } {
                                (csrf_field(ctx))
                                button type="submit" { "Soumettre la version " (detail.version()) " à l’adoption" }
                            }
                        }
                        PlanState::Submitted => {
                            p { a class="button" href={ (path) "/adoption" } { "Enregistrer la décision d’adoption" } }
                            form method="post" action={ (path) "/soumission/retrait" } {
                                (csrf_field(ctx))
                                button class="secondary" type="submit" { "Retirer de l’adoption pour le modifier" }
                            }
                        }
                        PlanState::Adopted => {
                            p { "Pour changer le contenu du plan adopté (une action, un budget, un indicateur), ouvrez une nouvelle version : elle sera soumise à son tour ; la version adoptée fait foi jusque-là." }
                            form method="post" action={ (path) "/nouvelle-version" } {
                                (csrf_field(ctx))
                                button class="secondary" type="submit" { "Ouvrir la version " (detail.version() + 1) }
                            }
                        }
                    }
                }
            }
            @if !view.changes.is_empty() {
                section aria-labelledby="changements" {
                    h2 id="changements" { "Ce qui change depuis la version adoptée" }
                    ul { @for change in &view.changes { li { (change) } } }
                }
            }
            ul class="inline-links" {
                li { a href={ (path) "/suivi" } { "Le suivi : revues à six mois" } }
                li { a href={ (path) "/plan.csv" } { "Tableur du plan (CSV)" } }
                li { a href={ (path) "/plan.xlsx" } { "Classeur du plan (XLSX) : actions, indicateurs, mesures" } }
                @if drafting { li { a href={ (path) "/import" } { "Importer des actions depuis un tableur" } } }
                li { a href={ "/projets/" (territory.place.project_id) "/plans" } { "Les plans des territoires du projet" } }
            }
            @if let Some(event) = &view.follow_up {
                p { "Rendez-vous de suivi : "
                    a href={ "/projets/" (event.project_id) "/evenements/" (event.id) } { (event.title) }
                    ", le " (date_fr(event.starts_at)) "." }
            }
            @for axis in &detail.axes {
                @let actions: Vec<&ActionDetail> = detail.actions_in(Some(axis.id)).collect();
                section aria-labelledby={ "axe-" (axis.id) } {
                    h2 id={ "axe-" (axis.id) } { (axis.title) }
                    @if !axis.description.is_empty() { (paragraphs(&axis.description)) }
                    @if actions.is_empty() { p { "Aucune action dans cet axe pour l’instant." } }
                    @else { (actions_table(ctx, territory, &format!("Actions de l’axe « {} »", axis.title), &actions, today, drafting)) }
                    @if drafting {
                        div { "Place de l’axe dans le plan : " (move_buttons(ctx, &format!("{path}/axes/{}/ordre", axis.id), &format!("l’axe « {} »", axis.title))) }
                        details {
                            summary { "Modifier l’axe « " (axis.title) " »" }
                            form class="form" method="post" action={ (path) "/axes/" (axis.id) } {
                                (csrf_field(ctx))
                                div class="field" {
                                    label for={ "axe-titre-" (axis.id) } { "Titre de l’axe" }
                                    input id={ "axe-titre-" (axis.id) } name="title" type="text" required value=(axis.title);
                                }
                                div class="field" {
                                    label for={ "axe-description-" (axis.id) } { "Description" span class="optional" { " (facultatif)" } }
                                    textarea id={ "axe-description-" (axis.id) } name="description" rows="3" { (axis.description) }
                                }
                                button type="submit" { "Enregistrer l’axe" }
                                " "
                                button class="link-button" type="submit" formaction={ (path) "/axes/" (axis.id) "/retrait" } formnovalidate {
                                    "Retirer l’axe (ses actions restent, à classer)"
                                }
                            }
                        }
                    }
                }
            }
            @if !unclassed.is_empty() {
                section aria-labelledby="a-classer" {
                    h2 id="a-classer" { "Actions à classer (" (unclassed.len()) ")" }
                    p { "Les actions retenues en atelier arrivent ici : ouvrez chacune pour la placer dans un axe et la compléter. Une action à classer ne fait pas encore partie du plan soumis." }
                    (actions_table(ctx, territory, "Actions à classer", &unclassed, today, false))
                }
            }
            @if drafting {
                section class="card" aria-labelledby="ajouter-axe" {
                    h2 id="ajouter-axe" { "Ajouter un axe" }
                    @let (form, errs) = match &refused { Refused::Axis(f, e) => (Some(*f), *e), _ => (None, &none) };
                    form class="form" method="post" action={ (path) "/axes" } {
                        (csrf_field(ctx))
                        (Field::new("title", "Titre de l’axe").value(form.map_or("", |f| f.title.as_str())).hint("Par exemple « Aller vers les habitants éloignés des droits ».").render(errs))
                        (optional_textarea("description", "Description", form.map_or("", |f| f.description.as_str()), "Ce que l’axe vise, en deux ou trois phrases.", errs))
                        button type="submit" { "Ajouter l’axe" }
                    }
                }
                section class="card" aria-labelledby="ajouter-action" {
                    h2 id="ajouter-action" { "Ajouter une action" }
                    @let (form, errs) = match &refused { Refused::Action(f, e) => (Some(*f), *e), _ => (None, &none) };
                    form class="form" method="post" action={ (path) "/actions" } {
                        (csrf_field(ctx))
                        (Field::new("title", "Titre de l’action").value(form.map_or("", |f| f.title.as_str())).render(errs))
                        (select("axis", "Axe", &axis_options, form.map_or("", |f| f.axis.as_str()), None, errs))
                        (optional_textarea("description", "Description", form.map_or("", |f| f.description.as_str()), "Le pilote, les partenaires, les dates, le budget et les indicateurs se complètent ensuite sur la page de l’action.", errs))
                        button type="submit" { "Ajouter l’action" }
                    }
                }
            }
            section aria-labelledby="etape-d-apres" {
                h2 id="etape-d-apres" { "L’étape d’après" }
                @if drafting {
                    @let (form, errs, theirs) = match &refused { Refused::NextSteps(f, e, t) => (Some(*f), *e, *t), _ => (None, &none, None) };
                    @if let Some(theirs) = theirs {
                        div class="notice notice-error" {
                            p { strong { "Quelqu’un a enregistré l’étape d’après pendant que vous la modifiiez." } " Voici sa version ; la vôtre est dans le formulaire. Reprenez ce qu’il faut garder des deux, puis enregistrez." }
                            (next_steps_view(theirs))
                        }
                    }
                    form class="form" method="post" action={ (path) "/etape-d-apres" } {
                        (csrf_field(ctx))
                        input type="hidden" name="revision" value=(if theirs.is_some() { revision.to_string() } else { form.map_or(revision.to_string(), |f| f.revision.clone()) });
                        (optional_textarea("implementation", "Conditions de mise en œuvre et de suivi", form.map_or(&next.implementation, |f| &f.implementation), "Qui porte le plan, quelles instances le suivent, à quel rythme.", errs))
                        (optional_textarea("citizens", "Dimension citoyenne", form.map_or(&next.citizens, |f| &f.citizens), "Comment les habitants restent associés : comité d’usagers, restitutions, nouvelles enquêtes…", errs))
                        (optional_textarea("evaluation", "Méthode d’évaluation", form.map_or(&next.evaluation, |f| &f.evaluation), "Quels indicateurs, quand ils sont relevés, par qui.", errs))
                        button type="submit" { "Enregistrer l’étape d’après" }
                    }
                } @else if next.is_empty() {
                    p { "Pas encore écrite." }
                } @else {
                    (next_steps_view(&next))
                }
            }
            (versions_section(territory, &view.versions))
        },
    )
}

pub fn next_steps_view(next: &NextSteps) -> Markup {
    html! {
        dl class="facts" {
            dt { "Conditions de mise en œuvre et de suivi" } dd { @if next.implementation.is_empty() { "—" } @else { (paragraphs(&next.implementation)) } }
            dt { "Dimension citoyenne" } dd { @if next.citizens.is_empty() { "—" } @else { (paragraphs(&next.citizens)) } }
            dt { "Méthode d’évaluation" } dd { @if next.evaluation.is_empty() { "—" } @else { (paragraphs(&next.evaluation)) } }
        }
    }
}

/// The adoption record of a version: the body, the act, the vote, the act itself.
pub fn adoption_record(territory_path: (i64, i64), version: &Version) -> Markup {
    use crate::domain::plan::{ActKind, Body};
    html! {
        @if let Some(a) = &version.adoption {
            p {
                "Adoptée le " (date_fr(a.adopted_on)) " par le " (Body::parse(&a.body).map_or("", Body::label).to_lowercase())
                " — " (ActKind::parse(&a.act_kind).map_or("", ActKind::label).to_lowercase()) " n° " (a.act_number)
                " (" (a.votes_for) " pour, " (a.votes_against) " contre, " (a.abstentions) " abstention" @if a.abstentions > 1 { "s" } ")."
            }
            ul class="inline-links" {
                @if let Some((_, size)) = &version.act_file {
                    li { a href={ (plan_path(territory_path.0, territory_path.1)) "/actes/" (version.row.number) } download {
                        "L’acte (PDF, " (crate::web::views::number_fr((*size + 1023) / 1024)) " ko)" } }
                }
                @if let Some(url) = &a.act_url { li { a href=(url) rel="noopener noreferrer" { "L’acte publié" } } }
            }
        }
    }
}

fn versions_section(territory: &Territory, versions: &[Version]) -> Markup {
    let place = (territory.place.project_id, territory.place.collectivity_id);
    html! {
        @if !versions.is_empty() {
            section aria-labelledby="versions" {
                h2 id="versions" { "Versions" }
                ul {
                    @for v in versions {
                        li {
                            strong { "Version " (v.row.number) } ", soumise le " (date_fr(v.row.submitted_at))
                            @if v.adoption.is_none() { " — en attente de la décision de l’exécutif." }
                            (adoption_record(place, v))
                        }
                    }
                }
            }
        }
    }
}

async fn refuse(
    ctx: &PageCtx,
    state: &AppState,
    territory: &Territory,
    refused: Refused<'_>,
) -> Result<HttpResponse, AppError> {
    let view = load_plan(state, territory).await?;
    Ok(unprocessable(plan_page(ctx, territory, &view, refused)))
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load_plan(&state, &territory).await?;
    Ok(plan_page(&ctx, &territory, &view, Refused::None))
}

pub async fn add_axis(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<AxisForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let axis = match AxisFields::parse(&form.title, &form.description) {
        Ok(axis) => axis,
        Err(errors) => return refuse(&ctx, &state, &territory, Refused::Axis(&form, &FormErrors::from(errors))).await,
    };
    let outcome = territory.write_plan(&state, move |conn, place, by| plans::add_axis(conn, place, &axis, by)).await?;
    match outcome {
        AxisOutcome::Added(id) | AxisOutcome::Exists(id) => {
            ctx.set_flash("Axe enregistré.");
            Ok(see_other(&format!("{}#axe-{id}", territory.plan_path())))
        }
        AxisOutcome::Frozen(frozen) => Ok(frozen_flash(&ctx, &territory, &frozen)),
    }
}

pub async fn update_axis(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<AxisForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, axis_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let axis = match AxisFields::parse(&form.title, &form.description) {
        Ok(axis) => axis,
        Err(errors) => return refuse(&ctx, &state, &territory, Refused::Axis(&form, &FormErrors::from(errors))).await,
    };
    let outcome = territory
        .write_plan(&state, move |conn, place, by| plans::update_axis(conn, place, axis_id, &axis, by))
        .await?;
    match outcome {
        Ok(true) => ctx.set_flash("Axe enregistré."),
        Ok(false) => ctx.set_flash("Un autre axe porte déjà ce titre : choisissez-en un autre."),
        Err(frozen) => return Ok(frozen_flash(&ctx, &territory, &frozen)),
    }
    Ok(see_other(&format!("{}#axe-{axis_id}", territory.plan_path())))
}

pub async fn remove_axis(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, axis_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let outcome =
        territory.write_plan(&state, move |conn, place, by| plans::remove_axis(conn, place, axis_id, by)).await?;
    if let Err(frozen) = outcome {
        return Ok(frozen_flash(&ctx, &territory, &frozen));
    }
    ctx.set_flash("Axe retiré ; ses actions sont à classer.");
    Ok(see_other(&territory.plan_path()))
}

pub async fn add_action(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<NewActionForm>,
) -> Result<HttpResponse, AppError> {
    use crate::domain::plan::{ActionContentFields, ActionInput};
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let mut errors = FormErrors::default();
    let axis_id = match form.axis.trim() {
        "" => None,
        id => errors.check("axis", id.parse::<i64>().map_err(|_| "Choisissez l’axe dans la liste.".to_owned())),
    };
    let input = ActionInput { title: &form.title, description: &form.description, ..ActionInput::default() };
    let fields = match ActionContentFields::parse(&input) {
        Ok(fields) if errors.is_empty() => fields,
        Ok(_) => return refuse(&ctx, &state, &territory, Refused::Action(&form, &errors)).await,
        Err(e) => return refuse(&ctx, &state, &territory, Refused::Action(&form, &FormErrors::from(e))).await,
    };
    let name = territory.name.clone();
    let outcome = territory
        .write_plan(&state, move |conn, place, by| plans::add_action(conn, place, axis_id, &fields, by, &name))
        .await?;
    match outcome {
        Ok(id) => {
            ctx.set_flash("Action ajoutée : complétez-la.");
            Ok(see_other(&action_path(project_id, collectivity_id, id)))
        }
        Err(ContentRefusal::Frozen(frozen)) => Ok(frozen_flash(&ctx, &territory, &frozen)),
        Err(_) => {
            errors.add("axis", "Choisissez l’axe dans la liste.");
            refuse(&ctx, &state, &territory, Refused::Action(&form, &errors)).await
        }
    }
}

pub async fn save_next_steps(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<NextStepsForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let next = match NextSteps::parse(&form.implementation, &form.citizens, &form.evaluation) {
        Ok(next) => next,
        Err(errors) => {
            return refuse(&ctx, &state, &territory, Refused::NextSteps(&form, &FormErrors::from(errors), None)).await
        }
    };
    let revision: i32 = form.revision.trim().parse().unwrap_or(0);
    let outcome = territory
        .write_plan(&state, move |conn, place, by| plans::save_next_steps(conn, place, revision, &next, by))
        .await?;
    match outcome {
        Saved::Saved | Saved::Unchanged => {
            ctx.set_flash("L’étape d’après est enregistrée.");
            Ok(see_other(&format!("{}#etape-d-apres", territory.plan_path())))
        }
        Saved::Conflict(theirs) => {
            let mut errors = FormErrors::default();
            errors.add(
                "implementation",
                "Quelqu’un a enregistré l’étape d’après entre-temps : comparez les deux versions.",
            );
            refuse(&ctx, &state, &territory, Refused::NextSteps(&form, &errors, Some(&theirs))).await
        }
        Saved::Frozen(frozen) => Ok(frozen_flash(&ctx, &territory, &frozen)),
    }
}

pub async fn submit(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let name = territory.name.clone();
    let outcome = territory.write_plan(&state, move |conn, place, by| plans::submit(conn, place, by, &name)).await?;
    match outcome {
        SubmitOutcome::Submitted(v) => ctx.set_flash(&format!(
            "La version {v} est soumise à l’adoption : enregistrez la décision de l’exécutif quand elle est prise."
        )),
        SubmitOutcome::AlreadySubmitted => ctx.set_flash("Cette version est déjà soumise à l’adoption."),
        SubmitOutcome::Adopted => ctx.set_flash("Cette version est déjà adoptée."),
        SubmitOutcome::Incomplete(why) => ctx.set_flash(&format!("Le plan ne peut pas encore être soumis. {why}")),
    }
    Ok(see_other(&territory.plan_path()))
}

pub async fn withdraw(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let withdrawn = territory.write_plan(&state, plans::withdraw_submission).await?;
    ctx.set_flash(if withdrawn {
        "La version est retirée de l’adoption : le plan peut de nouveau être modifié."
    } else {
        "Aucune version n’était soumise à l’adoption."
    });
    Ok(see_other(&territory.plan_path()))
}

pub async fn new_version(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let opened = territory.write_plan(&state, plans::open_new_version).await?;
    ctx.set_flash(if opened {
        "Une nouvelle version est ouverte : la version adoptée fait foi jusqu’à l’adoption de celle-ci."
    } else {
        "Le plan est déjà en cours de modification."
    });
    Ok(see_other(&territory.plan_path()))
}

/// The plans' section of the project page: where each participant territory's plan stands, a link to its working
/// page for those who see it, and to the adopted plan for everyone.
pub fn section(
    project_id: i64,
    territories: &[(i64, String)],
    plans: &[plans::PlanStanding],
    access: &crate::web::projects::access::Access,
) -> Markup {
    use crate::web::projects::access::may_see_cycle;
    let shown = plans.iter().any(|(_, _, _, adopted)| adopted.is_some())
        || territories.iter().any(|(c, _)| may_see_cycle(access, *c));
    html! {
        @if shown && !territories.is_empty() {
            section aria-labelledby="plans" {
                h2 id="plans" { "Plans d’action des territoires" }
                ul {
                    @for (collectivity_id, name) in territories {
                        @let plan = plans.iter().find(|(c, ..)| c == collectivity_id);
                        li {
                            strong { (name) } " : "
                            @match plan {
                                Some((_, state, version, _)) => { (state.label().to_lowercase()) " (version " (version) ")" }
                                None => { "pas encore commencé" }
                            }
                            @if let Some((_, _, _, Some(adopted))) = plan {
                                " — " a href=(public_plan_path(project_id, *collectivity_id)) { "le plan adopté le " (date_fr(*adopted)) }
                            }
                            @if may_see_cycle(access, *collectivity_id) {
                                " — " a href=(plan_path(project_id, *collectivity_id)) { "le plan en travail " (de(name)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    sens: String,
}

impl MoveForm {
    fn up(&self) -> Result<bool, AppError> {
        match self.sens.as_str() {
            "haut" => Ok(true),
            "bas" => Ok(false),
            _ => Err(AppError::BadRequest("Choisissez de monter ou de descendre.".into())),
        }
    }
}

pub async fn move_axis(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, axis_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let up = form.up()?;
    let outcome =
        territory.write_plan(&state, move |conn, place, by| plans::move_axis(conn, place, axis_id, up, by)).await?;
    if let Err(frozen) = outcome {
        return Ok(frozen_flash(&ctx, &territory, &frozen));
    }
    Ok(see_other(&format!("{}#axe-{axis_id}", territory.plan_path())))
}

pub async fn move_action(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, action_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let up = form.up()?;
    let outcome =
        territory.write_plan(&state, move |conn, place, by| plans::move_action(conn, place, action_id, up, by)).await?;
    if let Err(frozen) = outcome {
        return Ok(frozen_flash(&ctx, &territory, &frozen));
    }
    Ok(see_other(&format!("{}#ordre-{action_id}", territory.plan_path())))
}

/// « Monter » and « Descendre » buttons, each saying what it moves to a screen reader.
fn move_buttons(ctx: &PageCtx, action: &str, what: &str) -> Markup {
    html! {
        @for (sens, label) in [("haut", "Monter"), ("bas", "Descendre")] {
            form class="inline" method="post" action=(action) {
                (csrf_field(ctx))
                input type="hidden" name="sens" value=(sens);
                button class="link-button" type="submit" { (label) span class="visually-hidden" { " " (what) } }
            }
            " "
        }
    }
}
