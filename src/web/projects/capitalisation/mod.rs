//! Capitalisation (docs/product.md § Lifecycle, step 6): the project's lessons in this file — written by the
//! provider or the agency, read by the audience they were shared with, which widens by decision, each widening
//! dated — and its recommendations for national public action, with where each stands; the national deliverable
//! that assembles them in deliverable.rs.
//!
//! Who reads a lesson: the working space and the delegations every lesson; the observer collectivities' people the
//! lessons shared with observers or the public; everyone the public ones. The recommendations are the community's
//! until the deliverable publishes them.

pub mod deliverable;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::{project_and_access, Access};
use super::paths::{lessons_path, project_path, recommendations_path};
use crate::domain::capitalisation::{
    AddresseeKind, Audience, LessonText, RecommendationStatus, RecommendationText, StatusChange,
};
use crate::domain::markdown::Markdown;
use crate::domain::project::Phase;
use crate::domain::theme::ThemeStatus;
use crate::storage::capitalisation::{self as store, LessonView, Recommendation};
use crate::storage::projects::Project;
use crate::storage::{self, themes};
use crate::web::context::PageCtx;
use crate::web::views::{
    csrf_field, date_fr, page_with_errors, see_other, select, textarea, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

/// The narrowest audience the person belongs to: what they read of the lessons is shared with it or wider.
pub fn reader_of(access: &Access) -> Audience {
    if access.in_community() {
        Audience::Participants
    } else if !access.observer_of.is_empty() {
        Audience::Observers
    } else {
        Audience::Public
    }
}

/// The themes a lesson may be tagged with, as (id, title): the platform's open and selected themes.
fn theme_choices(conn: &mut storage::DbConnection) -> storage::QueryResult<Vec<(i64, String)>> {
    let mut choices = Vec::new();
    for status in [ThemeStatus::Open, ThemeStatus::Selected] {
        choices.extend(themes::ranked_themes(conn, status, 500, 0)?.into_iter().map(|t| (t.id, t.title)));
    }
    choices.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(choices)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LessonForm {
    title: String,
    body: String,
    phase: String,
    theme: String,
}

struct Lessons {
    project: Project,
    lessons: Vec<LessonView>,
    themes: Vec<(i64, String)>,
}

async fn load_lessons(state: &AppState, project: Project, reader: Audience) -> Result<Lessons, AppError> {
    state
        .db(move |conn| {
            let lessons = store::visible_lessons(conn, project.id, reader)?;
            let themes = theme_choices(conn)?;
            Ok(Lessons { project, lessons, themes })
        })
        .await
}

fn lesson_fields(form: &LessonForm, themes: &[(i64, String)], errors: &FormErrors) -> Markup {
    let phases: Vec<(String, String)> = std::iter::once((String::new(), "Choisir…".to_owned()))
        .chain(Phase::ALL.iter().map(|p| (p.code().to_owned(), p.label().to_owned())))
        .collect();
    let themes: Vec<(String, String)> = std::iter::once((String::new(), "Aucun".to_owned()))
        .chain(themes.iter().map(|(id, title)| (id.to_string(), title.clone())))
        .collect();
    html! {
        (Field::new("title", "Titre").value(&form.title).render(errors))
        (textarea("body", "L’enseignement", &form.body, "Ce qui a marché, ce qui a coûté, ce qu’on referait autrement. Markdown accepté.", errors))
        (select("phase", "Étape du projet dont il est tiré", &phases, &form.phase, None, errors))
        (select("theme", "Thème", &themes, &form.theme, Some("Pour le retrouver parmi les enseignements des autres projets."), errors))
    }
}

fn lessons_page(ctx: &PageCtx, view: &Lessons, access: &Access, refused: Option<(&LessonForm, &FormErrors)>) -> Markup {
    let project = &view.project;
    let (empty, none) = (LessonForm::default(), FormErrors::default());
    let (form, errors) = refused.unwrap_or((&empty, &none));
    let title = format!("Enseignements — {}", project.title);
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › Enseignements" }
            h1 { "Ce que le projet nous apprend" }
            p { "Les enseignements que le prestataire et l’agence tirent du projet, au fil de ses étapes. Chacun est d’abord partagé avec les participants, puis, sur décision, avec les collectivités observatrices, enfin avec tout le monde." }
            @if view.lessons.is_empty() {
                p { "Aucun enseignement à lire pour l’instant." }
            }
            @for lesson in &view.lessons { (lesson_block(ctx, project.id, lesson, access)) }
            @if access.leads() {
                section aria-labelledby="ecrire" {
                    h2 id="ecrire" { "Écrire un enseignement" }
                    (errors.summary())
                    form class="form" method="post" action=(lessons_path(project.id)) novalidate {
                        (csrf_field(ctx))
                        (lesson_fields(form, &view.themes, errors))
                        button class="button" type="submit" { "Enregistrer, pour les participants" }
                    }
                }
            }
        },
    )
}

fn lesson_block(ctx: &PageCtx, project_id: i64, view: &LessonView, access: &Access) -> Markup {
    let lesson = &view.lesson;
    let path = format!("{}/{}", lessons_path(project_id), lesson.id);
    html! {
        article class="card lesson" aria-labelledby={ "enseignement-" (lesson.id) } {
            h2 id={ "enseignement-" (lesson.id) } { (lesson.title) }
            p class="meta" {
                @if let Some(phase) = lesson.phase() { "Étape : " (phase.label()) }
                @if let Some(theme) = &view.theme { " · thème « " (theme) " »" }
            }
            div class="markdown" { (Markdown(&lesson.body)) }
            p class="hint" {
                "Partagé avec "
                @for (i, (audience, at)) in view.widenings.iter().enumerate() {
                    @if i > 0 { ", puis avec " }
                    (audience.label()) " le " (date_fr(at.date()))
                }
                "."
            }
            @if access.leads() {
                p {
                    a href=(path) { "Modifier" span class="visually-hidden" { " « " (lesson.title) " »" } }
                }
                @if let Some(next) = lesson.audience().next() {
                    form class="inline" method="post" action={ (path) "/audience" } {
                        (csrf_field(ctx))
                        input type="hidden" name="audience" value=(next.code());
                        button class="button button-secondary" type="submit" {
                            @match next { Audience::Observers => "Partager avec les collectivités observatrices", _ => "Rendre public" }
                            span class="visually-hidden" { " : « " (lesson.title) " »" }
                        }
                    }
                }
            }
        }
    }
}

pub async fn lessons(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<Markup, AppError> {
    let (project, access) = project_and_access(&state, &ctx, path.into_inner()).await?;
    let view = load_lessons(&state, project, reader_of(&access)).await?;
    Ok(lessons_page(&ctx, &view, &access, None))
}

/// The agency or the provider, for a page that writes.
async fn led(state: &AppState, ctx: &PageCtx, id: i64) -> Result<(Project, Access), AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    Ok((project, access))
}

pub async fn add_lesson(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<LessonForm>,
) -> Result<HttpResponse, AppError> {
    let by = ctx.require_user()?.id;
    let (project, access) = led(&state, &ctx, path.into_inner()).await?;
    let view = load_lessons(&state, project, Audience::Participants).await?;
    let themes: Vec<i64> = view.themes.iter().map(|(id, _)| *id).collect();
    let text = match LessonText::parse(&form.title, &form.body, &form.phase, &form.theme, &themes) {
        Ok(text) => text,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return Ok(unprocessable(lessons_page(&ctx, &view, &access, Some((&form, &errors)))));
        }
    };
    let project_id = view.project.id;
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(store::insert_lesson(conn, project_id, &text, by)?)
            })
        })
        .await?;
    ctx.set_flash("Enseignement enregistré : les participants du projet le lisent.");
    Ok(see_other(&format!("{}#enseignement-{id}", lessons_path(project_id))))
}

fn lesson_edit_page(
    ctx: &PageCtx,
    project: &Project,
    lesson: &store::Lesson,
    themes: &[(i64, String)],
    form: &LessonForm,
    errors: &FormErrors,
) -> Markup {
    let path = format!("{}/{}", lessons_path(project.id), lesson.id);
    page_with_errors(
        ctx,
        &format!("Modifier « {} »", lesson.title),
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › " a href=(lessons_path(project.id)) { "Enseignements" } " › Modifier" }
            h1 { "Modifier l’enseignement" }
            p { "Partagé avec " (lesson.audience().label()) " : la correction s’y voit aussitôt." }
            (errors.summary())
            form class="form" method="post" action=(path) novalidate {
                (csrf_field(ctx))
                (lesson_fields(form, themes, errors))
                button class="button" type="submit" { "Enregistrer la correction" }
            }
        },
    )
}

async fn lesson_of(
    state: &AppState,
    project_id: i64,
    lesson_id: i64,
) -> Result<(store::Lesson, Vec<(i64, String)>), AppError> {
    state
        .db(move |conn| {
            let lesson = store::find_lesson(conn, project_id, lesson_id)?.ok_or(AppError::NotFound)?;
            Ok((lesson, theme_choices(conn)?))
        })
        .await
}

pub async fn edit_lesson_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, lesson_id) = path.into_inner();
    let (project, _) = led(&state, &ctx, project_id).await?;
    let (lesson, themes) = lesson_of(&state, project_id, lesson_id).await?;
    let form = LessonForm {
        title: lesson.title.clone(),
        body: lesson.body.clone(),
        phase: lesson.phase.clone(),
        theme: lesson.theme_id.map(|t| t.to_string()).unwrap_or_default(),
    };
    Ok(lesson_edit_page(&ctx, &project, &lesson, &themes, &form, &FormErrors::default()))
}

pub async fn edit_lesson(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<LessonForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, lesson_id) = path.into_inner();
    let (project, _) = led(&state, &ctx, project_id).await?;
    let (lesson, themes) = lesson_of(&state, project_id, lesson_id).await?;
    let ids: Vec<i64> = themes.iter().map(|(id, _)| *id).collect();
    let text = match LessonText::parse(&form.title, &form.body, &form.phase, &form.theme, &ids) {
        Ok(text) => text,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return Ok(unprocessable(lesson_edit_page(&ctx, &project, &lesson, &themes, &form, &errors)));
        }
    };
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(store::update_lesson(conn, &lesson, &text)?))
        })
        .await?;
    ctx.set_flash("Correction enregistrée.");
    Ok(see_other(&format!("{}#enseignement-{lesson_id}", lessons_path(project_id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AudienceForm {
    audience: String,
}

/// The agency or the provider widen a lesson's audience; narrowing is refused, a double click changes nothing.
pub async fn widen(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<AudienceForm>,
) -> Result<HttpResponse, AppError> {
    let by = ctx.require_user()?.id;
    let (project_id, lesson_id) = path.into_inner();
    let (project, _) = led(&state, &ctx, project_id).await?;
    let (lesson, _) = lesson_of(&state, project_id, lesson_id).await?;
    let to = Audience::parse(&form.audience)
        .ok_or_else(|| AppError::BadRequest("Choisissez avec qui partager l’enseignement.".into()))?;
    if lesson.audience() != to {
        lesson.audience().widens_to(to).map_err(AppError::BadRequest)?;
    }
    let title = project.title.clone();
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(store::widen(conn, &lesson, to, by, &title)?))
        })
        .await?;
    ctx.set_flash(&format!("L’enseignement est partagé avec {}.", to.label()));
    Ok(see_other(&format!("{}#enseignement-{lesson_id}", lessons_path(project_id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RecommendationForm {
    title: String,
    body: String,
    addressee: String,
    addressee_kind: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    answer: String,
}

/// A form of the recommendations' page sent back with its errors.
enum Refused<'a> {
    None,
    New(&'a RecommendationForm, &'a FormErrors),
    Status(i64, &'a StatusForm, &'a FormErrors),
}

fn recommendations_page(
    ctx: &PageCtx,
    project: &Project,
    recommendations: &[Recommendation],
    access: &Access,
    refused: Refused,
) -> Markup {
    let (empty, none) = (RecommendationForm::default(), FormErrors::default());
    let (form, errors) = match refused {
        Refused::New(form, errors) => (form, errors),
        _ => (&empty, &none),
    };
    let all_errors = match refused {
        Refused::New(_, errors) | Refused::Status(_, _, errors) => errors,
        Refused::None => &none,
    };
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), "Choisir…".to_owned()))
        .chain(AddresseeKind::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())))
        .collect();
    let title = format!("Recommandations — {}", project.title);
    page_with_errors(
        ctx,
        &title,
        all_errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › Recommandations" }
            h1 { "Recommandations pour l’action publique nationale" }
            p { "Ce que le projet propose aux ministères, aux opérateurs de l’État et aux associations d’élus, et la réponse de chacun. Elles restent entre les participants jusqu’à la publication du livrable national qui les réunit." }
            (all_errors.summary())
            @if recommendations.is_empty() { p { "Aucune recommandation pour l’instant." } }
            @for r in recommendations {
                article class="card" aria-labelledby={ "recommandation-" (r.id) } {
                    h2 id={ "recommandation-" (r.id) } { (r.title) }
                    p class="meta" { "À " (r.addressee) " (" (r.addressee_kind().label().to_lowercase()) ") · " strong { (r.status().label()) } }
                    div class="markdown" { (Markdown(&r.body)) }
                    (status_history(r))
                    @if access.is_admin { (status_form(ctx, project.id, r, &refused)) }
                }
            }
            @if access.leads() {
                section aria-labelledby="proposer" {
                    h2 id="proposer" { "Proposer une recommandation" }
                    form class="form" method="post" action=(recommendations_path(project.id)) novalidate {
                        (csrf_field(ctx))
                        (Field::new("title", "Titre").value(&form.title).render(errors))
                        (textarea("body", "La recommandation", &form.body, "Ce qui est proposé, et ce que le projet en a vu. Markdown accepté.", errors))
                        (Field::new("addressee", "Destinataire").value(&form.addressee).hint("« Ministère de la Transition écologique et de la Cohésion des territoires », « Caisse nationale des allocations familiales », « Intercommunalités de France »…").render(errors))
                        (select("addressee_kind", "Type de destinataire", &kinds, &form.addressee_kind, None, errors))
                        button class="button" type="submit" { "Proposer" }
                    }
                }
            }
        },
    )
}

/// Where a recommendation stands, dated, and the answer received.
pub fn status_history(r: &Recommendation) -> Markup {
    html! {
        ul class="hint" {
            li { "Proposée le " (date_fr(r.created_at.date())) }
            @if let Some(at) = r.transmitted_at { li { "Transmise le " (date_fr(at.date())) } }
            @if let Some(at) = r.answered_at { li { "Réponse reçue le " (date_fr(at.date())) } }
        }
        @if let Some(answer) = &r.answer {
            h3 { "La réponse reçue" }
            div class="markdown" { (Markdown(answer)) }
        }
    }
}

fn status_form(ctx: &PageCtx, project_id: i64, r: &Recommendation, refused: &Refused) -> Markup {
    let none = FormErrors::default();
    let empty = StatusForm::default();
    let (form, errors) = match refused {
        Refused::Status(id, form, errors) if *id == r.id => (*form, *errors),
        _ => (&empty, &none),
    };
    let next = match r.status() {
        RecommendationStatus::Proposed => RecommendationStatus::Transmitted,
        RecommendationStatus::Transmitted => RecommendationStatus::Answered,
        RecommendationStatus::Answered => return html! {},
    };
    let answer_field = format!("answer-{}", r.id);
    html! {
        form class="form" method="post" action={ (recommendations_path(project_id)) "/" (r.id) "/statut" } novalidate {
            (csrf_field(ctx))
            input type="hidden" name="status" value=(next.code());
            @if next == RecommendationStatus::Answered {
                @let error = errors.get(&answer_field);
                div class={ "field" @if error.is_some() { " field-invalid" } } {
                    label for=(answer_field) { "La réponse reçue de " (r.addressee) }
                    @if let Some(error) = error { p class="field-error" id={ (answer_field) "-erreur" } { span aria-hidden="true" { "⚠ " } (error) } }
                    textarea id=(answer_field) name="answer" rows="4" aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{answer_field}-erreur"))] { (form.answer) }
                }
                button class="button button-secondary" type="submit" { "Noter la réponse" span class="visually-hidden" { " à « " (r.title) " »" } }
            } @else {
                button class="button button-secondary" type="submit" { "Noter qu’elle est transmise" span class="visually-hidden" { " : « " (r.title) " »" } }
            }
        }
    }
}

/// The community's, or a refusal.
async fn community(state: &AppState, ctx: &PageCtx, id: i64) -> Result<(Project, Access), AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, id).await?;
    if !access.in_community() {
        return Err(AppError::Forbidden);
    }
    Ok((project, access))
}

async fn recommendations_of(state: &AppState, project_id: i64) -> Result<Vec<Recommendation>, AppError> {
    state.db(move |conn| Ok(store::recommendations_of(conn, project_id)?)).await
}

pub async fn recommendations(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<Markup, AppError> {
    let (project, access) = community(&state, &ctx, path.into_inner()).await?;
    let list = recommendations_of(&state, project.id).await?;
    Ok(recommendations_page(&ctx, &project, &list, &access, Refused::None))
}

pub async fn add_recommendation(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<RecommendationForm>,
) -> Result<HttpResponse, AppError> {
    let by = ctx.require_user()?.id;
    let (project, access) = led(&state, &ctx, path.into_inner()).await?;
    let text = match RecommendationText::parse(&form.title, &form.body, &form.addressee, &form.addressee_kind) {
        Ok(text) => text,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            let list = recommendations_of(&state, project.id).await?;
            return Ok(unprocessable(recommendations_page(
                &ctx,
                &project,
                &list,
                &access,
                Refused::New(&form, &errors),
            )));
        }
    };
    let project_id = project.id;
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(store::insert_recommendation(conn, project_id, &text, by)?)
            })
        })
        .await?;
    ctx.set_flash("Recommandation proposée.");
    Ok(see_other(&format!("{}#recommandation-{id}", recommendations_path(project_id))))
}

/// The agency notes that a recommendation was transmitted, then the answer received.
pub async fn change_status(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let by = ctx.require_user()?.id;
    let (project_id, id) = path.into_inner();
    let (project, access) = community(&state, &ctx, project_id).await?;
    if !access.is_admin {
        return Err(AppError::Forbidden);
    }
    let recommendation =
        state.db(move |conn| Ok(store::find_recommendation(conn, project_id, id)?)).await?.ok_or(AppError::NotFound)?;
    let change = match StatusChange::parse(recommendation.status(), &form.status, &form.answer) {
        Ok(change) => change,
        // Sent twice: the first did it, the page shows where it stands.
        Err(_) if RecommendationStatus::parse(&form.status).is_some_and(|s| s <= recommendation.status()) => {
            return Ok(see_other(&format!("{}#recommandation-{id}", recommendations_path(project_id))));
        }
        Err((field, message)) => {
            let mut errors = FormErrors::default();
            errors.add(if field == "answer" { format!("answer-{id}") } else { field.to_owned() }, message);
            let list = recommendations_of(&state, project_id).await?;
            return Ok(unprocessable(recommendations_page(
                &ctx,
                &project,
                &list,
                &access,
                Refused::Status(id, &form, &errors),
            )));
        }
    };
    let title = project.title.clone();
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(store::change_status(conn, &recommendation, &change, &title, by)?)
            })
        })
        .await?;
    ctx.set_flash("C’est noté, avec la date du jour.");
    Ok(see_other(&format!("{}#recommandation-{id}", recommendations_path(project_id))))
}
