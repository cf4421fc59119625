//! A published restitution as everyone reads it — on a phone as well as a desk —, and printed: a poster (A3) and
//! a leaflet (A4) for the town hall, the France services, the market, with a QR code to the page. What it shows of
//! the surveys: the results of the questions the group chose (no free answer: a precision given with « Autre »
//! is one too), and the quotes it chose; of the plan: its adopted version only.

use std::collections::HashMap;

use actix_web::web;
use maud::{html, Markup, PreEscaped};
use qrcode::render::svg;
use qrcode::QrCode;

use crate::domain::codesign::{author_category_label, Evidence};
use crate::domain::inquiry::MemberCategory;
use crate::domain::paris::paris_time;
use crate::domain::plan::{ActionContent, Lineage};
use crate::domain::project::EventKind;
use crate::domain::questionnaire::{summarize, Question};
use crate::domain::restitution::{parse_figures, Figure};
use crate::domain::text::de;
use crate::storage::diagnostic::Place;
use crate::storage::events::{events_of_territory, Event};
use crate::storage::plans::{adopted_plan, AdoptedPlan};
use crate::storage::projects::{self, Project};
use crate::storage::questionnaires::{self, ResponseFilter};
use crate::storage::restitutions::{self, Quote, Restitution, ShowableQuestion};
use crate::storage::{now, DbConnection};
use crate::web::context::PageCtx;
use crate::web::projects::paths::{project_path, public_plan_path, public_restitution_path};
use crate::web::projects::questionnaires::summary::question_results;
use crate::web::views::{date_fr, moment_fr, page, paragraphs};
use crate::web::{AppError, AppState};

/// A question shown with its figures.
struct Shown {
    question: Question,
    counts: Vec<(String, String, i64)>,
    answered: i64,
}

/// Everything a published restitution shows.
struct PublicView {
    project: Project,
    name: String,
    restitution: Restitution,
    figures: Vec<Figure>,
    shown: Vec<Shown>,
    quotes: Vec<Quote>,
    plan: Option<AdoptedPlan>,
    /// Meetings to come about the territory: the restitution's, the plan's follow-up.
    coming: Vec<Event>,
    /// The page's full address, for the QR code and the printed versions.
    url: String,
}

fn load_public(conn: &mut DbConnection, place: Place, base_url: &str) -> Result<PublicView, AppError> {
    let project = projects::find_project(conn, place.project_id)?.ok_or(AppError::NotFound)?;
    let restitution =
        restitutions::find_restitution(conn, place)?.filter(|r| r.published_at.is_some()).ok_or(AppError::NotFound)?;
    let name = crate::storage::collectivities::territory_of_collectivity(conn, place.collectivity_id)?
        .ok_or(AppError::NotFound)?
        .name;
    // Only questions with figures: a free answer reaches the page only as a quote the group chose.
    let showable: Vec<ShowableQuestion> =
        restitutions::showable_questions(conn, place)?.into_iter().filter(ShowableQuestion::has_figures).collect();
    let chosen: Vec<i64> = restitutions::shown_questions(conn, restitution.id)?
        .into_iter()
        .filter(|id| showable.iter().any(|q| q.id == *id))
        .collect();
    let mut questionnaire_ids: Vec<i64> =
        showable.iter().filter(|q| chosen.contains(&q.id)).map(|q| q.questionnaire_id).collect();
    questionnaire_ids.dedup();
    let mut found: HashMap<i64, Shown> = HashMap::new();
    for id in questionnaire_ids {
        let filter = ResponseFilter::default();
        let counts = questionnaires::answer_counts(conn, id, &filter)?;
        let answered = questionnaires::respondents_per_question(conn, id, &filter)?;
        for question in questionnaires::questions_of(conn, id)?.into_iter().filter(|q| chosen.contains(&q.id)) {
            let shown = Shown {
                counts: counts
                    .iter()
                    .filter(|c| c.0 == question.id)
                    .map(|(_, i, v, n)| (i.clone(), v.clone(), *n))
                    .collect(),
                answered: answered.iter().find(|(q, _)| *q == question.id).map_or(0, |(_, n)| *n),
                question,
            };
            found.insert(shown.question.id, shown);
        }
    }
    let shown = chosen.iter().filter_map(|id| found.remove(id)).collect();
    // Events are kept in French local time.
    let today = paris_time(now());
    let kinds = [EventKind::Restitution, EventKind::FollowUp];
    let coming = events_of_territory(conn, place.project_id, place.collectivity_id, &kinds)?
        .into_iter()
        .filter(|e| e.ends_at > today)
        .collect();
    Ok(PublicView {
        figures: parse_figures(&restitution.figures).unwrap_or_default(),
        quotes: restitutions::quotes_of(conn, restitution.id)?,
        plan: adopted_plan(conn, place)?,
        url: format!("{base_url}{}", public_restitution_path(place.project_id, place.collectivity_id)),
        shown,
        coming,
        project,
        name,
        restitution,
    })
}

async fn view_of(state: &AppState, path: (i64, i64)) -> Result<PublicView, AppError> {
    let place = Place { project_id: path.0, collectivity_id: path.1 };
    let base_url = state.config.base_url.clone();
    state.db(move |conn| load_public(conn, place, &base_url)).await
}

/// The QR code of the page's address, as SVG (decorative: the address is written beside it).
fn qr_code(url: &str) -> Markup {
    let Ok(code) = QrCode::new(url.as_bytes()) else { return html! {} };
    let image = code
        .render::<svg::Color>()
        .min_dimensions(180, 180)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // The renderer writes an XML declaration first, which has no place inside HTML.
    let image = image.find("<svg").map_or("", |start| &image[start..]).replacen(
        "<svg",
        "<svg aria-hidden=\"true\" focusable=\"false\"",
        1,
    );
    html! { div class="qr-code" { (PreEscaped(image)) } }
}

/// What an action answers, in plain words: the ideas it came from, who proposed them, what they cited.
/// What an action answers, in plain words and in what is public: the workshop ideas it came from (counted, and
/// how many came from inhabitants), the questions it answers (linked to their results when the page shows them),
/// and how many findings of the diagnostic — counted only: the diagnostic's sheets and sources are the working
/// space's, and the ideas' words the working group's.
fn answers(plan: &AdoptedPlan, action: &ActionContent, shown: &[Shown]) -> Markup {
    let Some(live) = plan.live.get(&action.id) else { return html! {} };
    let lineage = Lineage::parse(&live.row.lineage);
    let inhabitant = author_category_label(MemberCategory::Habitant.code());
    let questions: Vec<(i64, &str)> = live
        .evidence
        .iter()
        .filter_map(|(evidence, label, _)| match evidence {
            Evidence::Question(q) => Some((*q, label.as_str())),
            _ => None,
        })
        .collect();
    let findings = live.evidence.len() - questions.len() + lineage.as_ref().map_or(0, |l| l.evidence.len());
    html! {
        @if lineage.is_some() || !live.evidence.is_empty() {
            p class="answers" {
                strong { "Elle répond à : " }
                @if let Some(l) = &lineage {
                    @let inhabitants = l.ideas.iter().filter(|i| i.author == inhabitant).count();
                    (l.ideas.len()) " idée" @if l.ideas.len() > 1 { "s" } " du groupe de travail"
                    @if inhabitants > 0 { ", dont " (inhabitants) " d’habitant" @if inhabitants > 1 { "s" } }
                    @if !questions.is_empty() || findings > 0 { " ; " }
                }
                @for (i, (q, label)) in questions.iter().enumerate() {
                    @if i > 0 { " ; " }
                    "la question "
                    @if shown.iter().any(|s| s.question.id == *q) { a href={ "#question-" (q) } { (label) } } @else { (label) }
                }
                @if findings > 0 {
                    @if !questions.is_empty() { " ; " }
                    (findings) " constat" @if findings > 1 { "s" } " du diagnostic et des enquêtes"
                }
                "."
            }
        }
    }
}

fn heard(view: &PublicView) -> Markup {
    html! {
        section class="restitution-part" aria-labelledby="entendu" {
            h2 id="entendu" { "Ce que nous avons entendu" }
            (paragraphs(&view.restitution.heard))
            @if !view.figures.is_empty() {
                ul class="key-figures" {
                    @for f in &view.figures { li { strong { (f.value) } " " (f.label) } }
                }
            }
            @if !view.quotes.is_empty() {
                h3 { "Vos mots" }
                @for q in &view.quotes { blockquote class="quote" { p { "« " (q.text) " »" } } }
            }
            @for s in &view.shown {
                (question_results("", &s.question, (&summarize(&s.question, &s.counts), &[]), s.answered, ""))
            }
        }
    }
}

fn decided(view: &PublicView, full: bool) -> Markup {
    html! {
        section class="restitution-part" aria-labelledby="decide" {
            h2 id="decide" { "Ce qui a été décidé" }
            (paragraphs(&view.restitution.decided))
            @if let Some(plan) = &view.plan {
                @if let Some(adoption) = &plan.version.adoption {
                    p { "Le plan d’action du territoire a été adopté le " (date_fr(adoption.adopted_on)) ". Ses actions :" }
                }
                @for axis in &plan.content.axes {
                    h3 { (axis.title) }
                    ul class="decided" {
                        @for action in &axis.actions {
                            li {
                                strong { (action.title) }
                                @if full {
                                    @if let Some(live) = plan.live.get(&action.id) { " — " (live.row.status().label().to_lowercase()) }
                                    (answers(plan, action, &view.shown))
                                }
                            }
                        }
                    }
                }
                @if full {
                    p { a href=(public_plan_path(view.restitution.project_id, view.restitution.collectivity_id)) { "Le plan d’action en détail : pilotes, calendrier, budget, indicateurs" } }
                }
            }
        }
    }
}

fn next(view: &PublicView) -> Markup {
    html! {
        section class="restitution-part" aria-labelledby="suite" {
            h2 id="suite" { "Et maintenant" }
            (paragraphs(&view.restitution.next_steps))
            @if !view.coming.is_empty() {
                h3 { "Les prochains rendez-vous" }
                ul {
                    @for e in &view.coming {
                        li { strong { (e.title) } " — " (moment_fr(e.starts_at)) @if let Some(place) = &e.place { ", " (place) } }
                    }
                }
            }
            @if !view.restitution.involved.is_empty() {
                h3 { "Rester impliqué" }
                (paragraphs(&view.restitution.involved))
            }
        }
    }
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let view = view_of(&state, path.into_inner()).await?;
    let title = format!("Ce que nous avons fait de votre parole — {}", view.name);
    let body = html! {
        p class="breadcrumb" { a href=(project_path(view.project.id)) { (view.project.title) } " › Restitution aux habitants " (de(&view.name)) }
        h1 { (title) }
        p class="lead" { "Les habitants " (de(&view.name)) " ont répondu aux enquêtes du groupe d’enquête, dans le cadre du projet « " (view.project.title) " ». Voici ce que nous avons entendu, ce qui a été décidé, et la suite." }
        (heard(&view))
        (decided(&view, true))
        (next(&view))
        aside class="share no-print" aria-labelledby="partager" {
            h2 id="partager" { "Partager, imprimer" }
            (qr_code(&view.url))
            p { "L’adresse de cette page : " a href=(view.url) { (view.url) } }
            p { a href={ (view.url) "/affiche" } { "L’affiche (A3)" } " · " a href={ (view.url) "/tract" } { "Le tract (A4)" } " — à imprimer depuis votre navigateur." }
        }
    };
    Ok(page(&ctx, &title, body))
}

/// A printed version: the page's essentials on one sheet, with the QR code to the rest.
fn printed(ctx: &PageCtx, view: &PublicView, format: &str, class: &str) -> Markup {
    let title = format!("{format} — ce que nous avons fait de votre parole, {}", view.name);
    page(
        ctx,
        &title,
        html! {
            p class="breadcrumb no-print" { a href=(view.url) { "Restitution aux habitants " (de(&view.name)) } " › " (format) }
            p class="no-print notice" { "Imprimez cette page depuis votre navigateur (format " @if class == "poster" { "A3" } @else { "A4" } ", portrait) : elle est mise en forme pour le papier." }
            div class={ "printed " (class) } {
                h1 { "Ce que nous avons fait de votre parole" }
                p class="lead" { "Les habitants " (de(&view.name)) " ont répondu à nos enquêtes. Voici ce que nous avons entendu, et ce qui a été décidé." }
                @if !view.figures.is_empty() {
                    ul class="key-figures" { @for f in &view.figures { li { strong { (f.value) } " " (f.label) } } }
                }
                @if class == "leaflet" { (paragraphs(&view.restitution.heard)) }
                @for q in view.quotes.iter().take(if class == "poster" { 3 } else { 5 }) { blockquote class="quote" { p { "« " (q.text) " »" } } }
                (decided(view, false))
                @if class == "leaflet" { (next(view)) }
                div class="printed-link" {
                    (qr_code(&view.url))
                    p { "Tout lire, et les prochains rendez-vous : " strong { (view.url) } }
                }
            }
        },
    )
}

pub async fn poster(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let view = view_of(&state, path.into_inner()).await?;
    Ok(printed(&ctx, &view, "Affiche", "poster"))
}

pub async fn leaflet(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let view = view_of(&state, path.into_inner()).await?;
    Ok(printed(&ctx, &view, "Tract", "leaflet"))
}
