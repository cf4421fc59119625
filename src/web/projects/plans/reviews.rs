//! The follow-up reviews of an adopted plan (« le rendez-vous à six mois »): for each action, its status, what was
//! done, the obstacles met and the means to lift them, and new measurements of its indicators; dated and kept, the
//! newest first. Writing one is for those who write the plan; the working space reads them.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use maud::{html, Markup};

use super::today;
use crate::domain::plan::{date_fr as short_date, ActionStatus, MeasurementFields};
use crate::domain::project::parse_date;
use crate::domain::text::{bounded_text, de};
use crate::storage::plans::{self, NewReview, PlanDetail, ReviewItem, ReviewLine, ReviewOutcome, ReviewRow};
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::territory::Territory;
use crate::web::views::{
    csrf_field, date_fr, optional_textarea, page_with_errors, paragraphs, see_other, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

struct ReviewsView {
    detail: PlanDetail,
    reviews: Vec<(ReviewRow, Vec<ReviewItem>)>,
    /// The actions of the latest adopted version: what a review is about (a version being written may have others).
    adopted: Option<Vec<i64>>,
}

async fn load(state: &AppState, territory: &Territory) -> Result<ReviewsView, AppError> {
    let place = territory.place;
    state
        .db(move |conn| {
            let detail = plans::plan_detail(conn, place)?;
            let (reviews, adopted) = match &detail.plan {
                Some(plan) => (
                    plans::reviews_of(conn, plan.id)?,
                    plans::adopted_version(conn, plan.id)?
                        .map(|v| v.row.content().actions().map(|(_, a)| a.id).collect()),
                ),
                None => (Vec::new(), None),
            };
            Ok(ReviewsView { detail, reviews, adopted })
        })
        .await
}

impl ReviewsView {
    /// The actions a review speaks of: those of the adopted version, as they stand today.
    fn reviewed(&self) -> impl Iterator<Item = &plans::ActionDetail> {
        let adopted = self.adopted.as_deref().unwrap_or(&[]);
        self.detail.actions.iter().filter(move |a| adopted.contains(&a.row.id))
    }
}

type Fields = Vec<(String, String)>;

fn review_page(ctx: &PageCtx, territory: &Territory, view: &ReviewsView, sent: &Fields, errors: &FormErrors) -> Markup {
    let value = |name: &str| sent.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str()).to_owned();
    let title = format!("Suivi du plan d’action {}", de(&territory.name));
    let today = today().to_string();
    let actions: Vec<_> = view.reviewed().collect();
    let title_of = |id: i64| view.detail.actions.iter().find(|a| a.row.id == id).map_or("", |a| a.row.title.as_str());
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            (territory.plan_breadcrumb(Some("Suivi")))
            h1 { (title) }
            p { "Six mois après l’adoption, puis aussi souvent que nécessaire : où en est chaque action, ce qui a été fait, les obstacles rencontrés et les moyens de les lever. Chaque revue est datée et gardée." }
            (errors.summary())
            @if view.adopted.is_none() {
                p class="notice" { "Le plan n’est pas encore adopté : les revues de suivi commencent après son adoption." }
            } @else if territory.writes_plan() {
                form class="form" method="post" action={ (territory.plan_path()) "/suivi" } {
                    (csrf_field(ctx))
                    (Field::new("held_on", "Date de la revue").kind("date").value(&if sent.is_empty() { today.clone() } else { value("held_on") }).render(errors))
                    (optional_textarea("summary", "Ce qu’il faut retenir", &value("summary"), "L’essentiel de la revue, en quelques phrases.", errors))
                    @for action in &actions {
                        @let id = action.row.id;
                        fieldset class="field review-action" {
                            legend { (action.row.title) }
                            @let status_name = format!("statut-{id}");
                            @let chosen = if sent.is_empty() { action.row.status().code().to_owned() } else { value(&status_name) };
                            div class="field" {
                                label for=(status_name) { "Statut" }
                                select id=(status_name) name=(status_name) {
                                    @for s in ActionStatus::ALL { option value=(s.code()) selected[chosen == s.code()] { (s.label()) } }
                                }
                            }
                            @for (key, label, hint) in [("raison", "Raison d’une pause ou d’un abandon", ""), ("fait", "Ce qui a été fait", ""), ("obstacles", "Obstacles rencontrés", ""), ("moyens", "Moyens de les lever", "")] {
                                @let name = format!("{key}-{id}");
                                @let error = errors.get(&name);
                                div class={ "field" @if error.is_some() { " field-invalid" } } {
                                    label for=(name) { (label) span class="optional" { " (facultatif)" } }
                                    @if !hint.is_empty() { p class="hint" { (hint) } }
                                    @if let Some(message) = error { p class="field-error" id={ (name) "-erreur" } { (message) } }
                                    textarea id=(name) name=(name) rows="2" aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{name}-erreur"))] { (value(&name)) }
                                }
                            }
                            @for indicator in &action.indicators {
                                @let name = format!("mesure-{}", indicator.row.id);
                                @let error = errors.get(&name);
                                div class={ "field" @if error.is_some() { " field-invalid" } } {
                                    label for=(name) { "Nouvelle mesure : " (indicator.row.name) @if !indicator.row.unit.is_empty() { " (" (indicator.row.unit) ")" } span class="optional" { " (facultatif)" } }
                                    @if let Some((on, v)) = indicator.series().latest() { p class="hint" id={ (name) "-aide" } { "Dernière mesure : " (crate::domain::plan::number_fr(v)) " le " (short_date(on)) "." } }
                                    @if let Some(message) = error { p class="field-error" id={ (name) "-erreur" } { (message) } }
                                    input type="text" inputmode="decimal" id=(name) name=(name) value=(value(&name)) aria-invalid=[error.map(|_| "true")];
                                }
                            }
                        }
                    }
                    button type="submit" { "Enregistrer la revue" }
                }
            }
            section aria-labelledby="revues" {
                h2 id="revues" { "Revues passées (" (view.reviews.len()) ")" }
                @if view.reviews.is_empty() { p { "Aucune pour l’instant." } }
                @for (review, items) in &view.reviews {
                    article class="card" aria-labelledby={ "revue-" (review.id) } {
                        h3 id={ "revue-" (review.id) } { "Revue du " (date_fr(review.held_on)) }
                        @if !review.summary.is_empty() { (paragraphs(&review.summary)) }
                        ul {
                            @for item in items {
                                li {
                                    strong { (title_of(item.action_id)) } " — " (ActionStatus::parse(&item.status).map_or("", ActionStatus::label))
                                    @if !item.done.is_empty() { br; "Fait : " (item.done) }
                                    @if !item.obstacles.is_empty() { br; "Obstacles : " (item.obstacles) }
                                    @if !item.means.is_empty() { br; "Moyens : " (item.means) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load(&state, &territory).await?;
    Ok(review_page(&ctx, &territory, &view, &Vec::new(), &FormErrors::default()))
}

/// The review as the form sends it: its date, its summary, a line per action, the measurements given.
fn parse(view: &ReviewsView, fields: &Fields, today: NaiveDate) -> Result<NewReview, FormErrors> {
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let mut errors = FormErrors::default();
    let held_on = errors.check(
        "held_on",
        parse_date(value("held_on"), "La date de la revue").and_then(|d| {
            if d > today {
                Err("La date de la revue est dans le futur.".to_owned())
            } else {
                Ok(d)
            }
        }),
    );
    let summary = errors.check("summary", bounded_text(value("summary"), "Ce qu’il faut retenir", 0, 5_000));
    let mut lines = Vec::new();
    let mut measured = Vec::new();
    for action in view.reviewed() {
        let id = action.row.id;
        let text = |key: &str, errors: &mut FormErrors| {
            let name = format!("{key}-{id}");
            errors
                .check(
                    &name,
                    bounded_text(value(&name), &format!("Le champ « {} » de « {} »", key, action.row.title), 0, 4_000),
                )
                .unwrap_or_default()
        };
        let status = errors.check(&format!("statut-{id}"), ActionStatus::parse(value(&format!("statut-{id}"))));
        let reason = text("raison", &mut errors);
        if let Some(s) = status.filter(|s| s.needs_reason() && reason.is_empty()) {
            errors.add(
                format!("raison-{id}"),
                format!("Dites pourquoi « {} » est {}.", action.row.title, s.label().to_lowercase()),
            );
        }
        let line = ReviewLine {
            action_id: id,
            status: status.unwrap_or(ActionStatus::Planned),
            status_reason: reason,
            done: text("fait", &mut errors),
            obstacles: text("obstacles", &mut errors),
            means: text("moyens", &mut errors),
        };
        lines.push(line);
        for indicator in &action.indicators {
            let name = format!("mesure-{}", indicator.row.id);
            if value(&name).trim().is_empty() {
                continue;
            }
            let on = held_on.unwrap_or(today).to_string();
            match MeasurementFields::parse(&on, value(&name), false, "Revue de suivi", today) {
                Ok(m) => measured.push((indicator.row.id, m)),
                Err(e) => {
                    for (_, message) in e {
                        errors.add(name.clone(), format!("{} : {message}", indicator.row.name));
                    }
                }
            }
        }
    }
    match (held_on, summary) {
        (Some(held_on), Some(summary)) if errors.is_empty() => Ok(NewReview { held_on, summary, lines, measured }),
        _ => Err(errors),
    }
}

pub async fn record(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let fields = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let view = load(&state, &territory).await?;
    let review = match parse(&view, &fields, today()) {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(unprocessable(review_page(&ctx, &territory, &view, &fields, &errors))),
    };
    let name = territory.name.clone();
    let outcome = territory
        .write_plan(&state, move |conn, place, by| plans::record_review(conn, place, &review, by, &name))
        .await?;
    match outcome {
        ReviewOutcome::Recorded(id) => {
            ctx.set_flash("Revue de suivi enregistrée.");
            Ok(see_other(&format!("{}/suivi#revue-{id}", territory.plan_path())))
        }
        ReviewOutcome::Exists(id) => {
            ctx.set_flash("Une revue de cette date existe déjà : la voici.");
            Ok(see_other(&format!("{}/suivi#revue-{id}", territory.plan_path())))
        }
        ReviewOutcome::NotAdopted => {
            ctx.set_flash("Le plan n’est pas encore adopté : les revues de suivi commencent après son adoption.");
            Ok(see_other(&territory.plan_path()))
        }
        ReviewOutcome::DateTaken(indicator, recorded) => {
            let message = format!(
                "Une autre mesure ({}) est déjà enregistrée à la date de la revue : corrigez-la sur la page de \
                 l’indicateur, ou laissez ce champ vide.",
                crate::domain::plan::number_fr(recorded)
            );
            let errors = FormErrors::from(vec![(format!("mesure-{indicator}"), message)]);
            Ok(unprocessable(review_page(&ctx, &territory, &view, &fields, &errors)))
        }
    }
}
