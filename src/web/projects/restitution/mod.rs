//! The restitution to inhabitants (docs/product.md § Lifecycle, step 8): the territory's working page — its texts
//! with a readability hint, the questions whose results it shows, its quotes, its publication — in this file; the
//! choice of quotes among the free answers in quotes.rs; who its meetings reached in reach.rs; the published page,
//! its poster and its leaflet in public.rs.
//!
//! Who reads it while it is written: those who see the territory's inquiry group (its collectivity's people, the
//! group's members with an account, the provider, the agency). Who writes it: the provider and the agency, the
//! territory's referents and its inquiry-group members.

pub mod public;
pub mod quotes;
pub mod reach;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::may_see_group;
use super::paths::{event_path, plan_path, project_path, public_restitution_path, restitution_path};
use super::territory::{may_edit, Territory};
use crate::domain::project::EventKind;
use crate::domain::readability::assess;
use crate::domain::restitution::{one_person, RestitutionTexts, Stage};
use crate::domain::text::de;
use crate::jobs::restitutions::tell_respondents;
use crate::storage::events::{events_of_territory, Event};
use crate::storage::restitutions::{self, Published, Quote, Restitution, Saved, ShowableQuestion};
use crate::storage::{self, DbConnection, QueryResult};
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::views::{
    csrf_field, date_fr, moment_fr, optional_textarea, page_with_errors, see_other, unprocessable, FormErrors,
};
use crate::web::{AppError, AppState};

impl Territory {
    /// The territory for a page of its restitution: those who see its inquiry group.
    pub async fn load_restitution(
        state: &AppState,
        ctx: &PageCtx,
        project_id: i64,
        collectivity_id: i64,
    ) -> Result<Territory, AppError> {
        Territory::load_for(state, ctx, project_id, collectivity_id, may_see_group).await
    }

    pub fn restitution_path(&self) -> String {
        restitution_path(self.place.project_id, self.place.collectivity_id)
    }

    /// Whether the person writes the restitution: the provider, the agency, the territory's referents and its
    /// inquiry-group members, in a project still open.
    pub fn writes_restitution(&self) -> bool {
        let c = self.place.collectivity_id;
        (may_edit(&self.access, c) || self.access.inquiry_groups.contains(&c)) && self.require_open_project().is_ok()
    }

    /// Runs a change of the restitution, by a person who writes it, in one write transaction.
    pub async fn write_restitution<T: Send + 'static>(
        &self,
        state: &AppState,
        change: impl FnOnce(&mut DbConnection, i64) -> QueryResult<T> + Send + 'static,
    ) -> Result<T, AppError> {
        self.require_open_project()?;
        if !self.writes_restitution() {
            return Err(AppError::Forbidden);
        }
        let by = self.access.require_user()?.id;
        state.db(move |conn| storage::write_transaction(conn, |conn| Ok::<_, AppError>(change(conn, by)?))).await
    }

    pub fn restitution_breadcrumb(&self, here: Option<&str>) -> Markup {
        let title = format!("Restitution aux habitants {}", de(&self.name));
        html! {
            p class="breadcrumb" {
                a href=(project_path(self.project.id)) { (self.project.title) } " › "
                @if let Some(here) = here { a href=(self.restitution_path()) { (title) } " › " (here) } @else { (title) }
            }
        }
    }
}

/// Everything the working page shows.
struct View {
    restitution: Option<Restitution>,
    questions: Vec<ShowableQuestion>,
    shown: Vec<i64>,
    quotes: Vec<Quote>,
    plan_adopted: bool,
    /// Addresses waiting for the publication.
    waiting: usize,
    /// The territory's restitution meetings, soonest first.
    meetings: Vec<Event>,
    /// Key figures the territory's work gives, to copy.
    suggested: Vec<String>,
}

async fn load(state: &AppState, territory: &Territory) -> Result<View, AppError> {
    let place = territory.place;
    state
        .db(move |conn| {
            let restitution = restitutions::find_restitution(conn, place)?;
            let (shown, quotes) = match &restitution {
                Some(r) => (restitutions::shown_questions(conn, r.id)?, restitutions::quotes_of(conn, r.id)?),
                None => (Vec::new(), Vec::new()),
            };
            let mut people: Vec<String> =
                restitutions::addresses_to_tell(conn, place)?.iter().map(|a| one_person(a)).collect();
            people.sort();
            people.dedup();
            Ok(View {
                suggested: restitutions::suggested_figures(conn, place)?,
                meetings: events_of_territory(
                    conn,
                    place.project_id,
                    place.collectivity_id,
                    &[EventKind::Restitution],
                )?,
                plan_adopted: storage::plans::has_adopted_version(conn, place)?,
                waiting: people.len(),
                questions: restitutions::showable_questions(conn, place)?
                    .into_iter()
                    .filter(ShowableQuestion::has_figures)
                    .collect(),
                restitution,
                shown,
                quotes,
            })
        })
        .await
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TextsForm {
    heard: String,
    figures: String,
    decided: String,
    next_steps: String,
    involved: String,
    revision: String,
}

impl TextsForm {
    fn of(restitution: Option<&Restitution>) -> TextsForm {
        let texts = restitution.map(Restitution::texts).unwrap_or_default();
        TextsForm {
            heard: texts.heard,
            figures: texts.figures,
            decided: texts.decided,
            next_steps: texts.next_steps,
            involved: texts.involved,
            revision: restitution.map_or(1, |r| r.revision).to_string(),
        }
    }
}

/// The readability hint of a text: nothing when it reads well (or is empty).
fn hint_body(text: &str) -> Markup {
    let advice = assess(text).advice();
    html! {
        @if !text.trim().is_empty() && !advice.is_empty() {
            p { strong { "Pour être lu de tous : " } }
            ul { @for line in &advice { li { (line) } } }
        }
    }
}

/// Where a text's hint goes: a polite live region that `assets/restitution.js` refreshes as the text is written.
fn hint(name: &str, text: &str) -> Markup {
    html! { div class="readability" id={ "lisibilite-" (name) } aria-live="polite" { (hint_body(text)) } }
}

fn working_page(
    ctx: &PageCtx,
    territory: &Territory,
    view: &View,
    form: &TextsForm,
    errors: &FormErrors,
    theirs: Option<&Restitution>,
) -> Markup {
    let title = format!("Restitution aux habitants {}", de(&territory.name));
    let writes = territory.writes_restitution();
    let stage = view.restitution.as_ref().map_or(Stage::NotStarted, Restitution::stage);
    let public = public_restitution_path(territory.place.project_id, territory.place.collectivity_id);
    let missing: Vec<String> = {
        let mut m: Vec<String> = RestitutionTexts {
            heard: form.heard.trim().to_owned(),
            next_steps: form.next_steps.trim().to_owned(),
            ..RestitutionTexts::default()
        }
        .missing()
        .into_iter()
        .map(str::to_owned)
        .collect();
        if !view.plan_adopted {
            m.push("le plan d’action adopté par l’exécutif".to_owned());
        }
        m
    };
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            (territory.restitution_breadcrumb(None))
            h1 { (title) }
            p class="lead" { "Une nouvelle mobilisation du groupe d’enquête, pour montrer aux habitants ce qui a été fait de leur parole : ce que nous avons entendu, ce qui a été décidé, et la suite. Écrivez simplement : des phrases courtes, les mots de tous les jours." }
            div class="notice" {
                @match (stage, &view.restitution) {
                    (Stage::Published, Some(r)) => {
                        p { strong { "Publiée" } @if let Some(at) = r.published_at { " le " (date_fr(at.date())) } " : "
                            a href=(public) { "la page publique" } ", " a href={ (public) "/affiche" } { "l’affiche (A3)" } " et " a href={ (public) "/tract" } { "le tract (A4)" } " à imprimer." }
                        p { (r.told) " habitant" @if r.told > 1 { "s" } " qui l’avaient demandé " @if r.told > 1 { "ont" } @else { "a" } " reçu un courriel ; leur adresse est effacée une fois le message envoyé."
                            @if view.waiting > 0 { " " (view.waiting) " adresse" @if view.waiting > 1 { "s" } " laissée" @if view.waiting > 1 { "s" } " depuis " @if view.waiting > 1 { "recevront" } @else { "recevra" } " le sien dans la minute." } }
                        p { "Les changements enregistrés ici paraissent aussitôt sur la page publique." }
                    }
                    _ => {
                        p { strong { "En préparation" } " : la page n’est visible que du groupe d’enquête, de la collectivité, du prestataire et de l’agence."
                            " " (view.waiting) " habitant" @if view.waiting > 1 { "s ont" } @else { " a" } " laissé une adresse pour être tenu" @if view.waiting > 1 { "s" } " au courant : chacun recevra un courriel à la publication." }
                    }
                }
            }

            section aria-labelledby="textes" {
                h2 id="textes" { "Les textes" }
                @if let Some(theirs) = theirs {
                    div class="notice notice-warning" {
                        p { strong { "Quelqu’un a enregistré ces textes entre-temps." } " Leur version est ci-dessous ; la vôtre est restée dans le formulaire. Reprenez ce qu’il faut, puis enregistrez à nouveau." }
                        dl class="facts" {
                            dt { "Ce que nous avons entendu" } dd class="prose" { (theirs.heard) }
                            dt { "Chiffres clés" } dd class="prose" { (theirs.figures) }
                            dt { "Ce qui a été décidé" } dd class="prose" { (theirs.decided) }
                            dt { "Et maintenant" } dd class="prose" { (theirs.next_steps) }
                            dt { "Comment rester impliqué" } dd class="prose" { (theirs.involved) }
                        }
                    }
                }
                @if writes {
                    (errors.summary())
                    form class="form" method="post" action=(territory.restitution_path()) novalidate data-readability={ (territory.restitution_path()) "/lisibilite" } {
                        (csrf_field(ctx))
                        input type="hidden" name="revision" value=(form.revision);
                        (optional_textarea("heard", "Ce que nous avons entendu", &form.heard, "Ce que les habitants ont dit, en quelques phrases : les attentes, les difficultés, les idées qui revenaient. Les résultats des questions choisies plus bas et les citations suivent ce texte.", errors))
                        (hint("heard", &form.heard))
                        (optional_textarea("figures", "Chiffres clés", &form.figures, "Un chiffre par ligne : « valeur ; ce qu’elle dit », par exemple « 412 ; habitants ont répondu au questionnaire ». Huit au plus.", errors))
                        @if !view.suggested.is_empty() {
                            div class="readability" {
                                p { strong { "Les chiffres du territoire, à reprendre s’ils parlent aux habitants :" } }
                                ul { @for line in &view.suggested { li { code { (line) } } } }
                            }
                        }
                        (optional_textarea("decided", "Ce qui a été décidé", &form.decided, "Quelques mots avant la liste des actions du plan adopté, qui suit d’elle-même avec ce à quoi chacune répond.", errors))
                        (hint("decided", &form.decided))
                        (optional_textarea("next_steps", "Et maintenant", &form.next_steps, "Le calendrier, les prochains rendez-vous, comment le plan sera suivi.", errors))
                        (hint("next_steps", &form.next_steps))
                        (optional_textarea("involved", "Comment rester impliqué", &form.involved, "Qui contacter, où venir, comment participer à la suite.", errors))
                        (hint("involved", &form.involved))
                        button class="button" type="submit" { "Enregistrer les textes" }
                    }
                    script src=(crate::web::assets::url("restitution.js")) defer {}
                } @else {
                    @if let Some(r) = &view.restitution {
                        dl class="facts" {
                            dt { "Ce que nous avons entendu" } dd class="prose" { (r.heard) }
                            dt { "Chiffres clés" } dd class="prose" { (r.figures) }
                            dt { "Ce qui a été décidé" } dd class="prose" { (r.decided) }
                            dt { "Et maintenant" } dd class="prose" { (r.next_steps) }
                            dt { "Comment rester impliqué" } dd class="prose" { (r.involved) }
                        }
                    } @else {
                        p { "Rien n’est encore écrit." }
                    }
                }
            }

            section aria-labelledby="questions" {
                h2 id="questions" { "Les résultats montrés" }
                p { "Les questions dont la page montre les résultats, avec leur graphique et leur tableau. Les réponses libres n’y paraissent pas : seules les citations choisies ci-dessous." }
                @if view.questions.is_empty() {
                    p { "Les questionnaires publiés du territoire n’ont pas encore de question à choix ou chiffrée." }
                } @else if writes {
                    form class="form" method="post" action={ (territory.restitution_path()) "/questions" } {
                        (csrf_field(ctx))
                        @for (questionnaire, questions) in by_questionnaire(&view.questions) {
                            fieldset class="field checkboxes" {
                                legend { (questionnaire) }
                                @for q in questions {
                                    div class="choice" {
                                        input type="checkbox" name="question" id={ "question-" (q.id) } value=(q.id) checked[view.shown.contains(&q.id)];
                                        label for={ "question-" (q.id) } { (q.label) }
                                    }
                                }
                            }
                        }
                        button class="button" type="submit" { "Montrer ces résultats" }
                    }
                } @else {
                    ul { @for q in view.questions.iter().filter(|q| view.shown.contains(&q.id)) { li { (q.label) } } }
                }
            }

            section aria-labelledby="citations" {
                h2 id="citations" { "Les citations (" (view.quotes.len()) ")" }
                p { "Des réponses libres que le groupe choisit de citer, sans rien qui permette de reconnaître leur auteur : vous pouvez les raccourcir ou en retirer un nom. Une réponse non choisie n’est jamais montrée." }
                @if writes { p { a class="button" href={ (territory.restitution_path()) "/citations" } { "Choisir des citations parmi les réponses libres" } } }
                @for quote in &view.quotes {
                    div class="card quote" {
                        blockquote { p { (quote.text) } }
                        @if quote.text != quote.original.trim() { p class="meta" { "Réponse d’origine : « " (quote.original) " »" } }
                        @if writes {
                            details {
                                summary { "Modifier ou retirer cette citation" }
                                form class="form" method="post" action={ (territory.restitution_path()) "/citations/" (quote.id) } {
                                    (csrf_field(ctx))
                                    div class="field" {
                                        label for={ "citation-" (quote.id) } { "Texte montré" }
                                        textarea id={ "citation-" (quote.id) } name="text" rows="3" { (quote.text) }
                                    }
                                    button class="button" type="submit" { "Enregistrer la citation" }
                                }
                                form method="post" action={ (territory.restitution_path()) "/citations/" (quote.id) "/retrait" } {
                                    (csrf_field(ctx))
                                    button class="button button-secondary" type="submit" { "Retirer la citation" }
                                }
                            }
                        }
                    }
                }
            }

            section aria-labelledby="rencontres" {
                h2 id="rencontres" { "Les rencontres avec les habitants" }
                p { "Réunions publiques, stands au marché, permanences en France services : les rendez-vous de la restitution, où le groupe d’enquête est invité. Après chacun, notez qui il a touché." }
                @if view.meetings.is_empty() {
                    p { "Aucune rencontre n’est encore prévue." }
                } @else {
                    ul {
                        @for e in &view.meetings {
                            li { a href=(event_path(territory.place.project_id, e.id)) { (e.title) } " — " (moment_fr(e.starts_at)) @if let Some(place) = &e.place { ", " (place) } }
                        }
                    }
                }
                p {
                    @if territory.access.leads() && territory.require_open_project().is_ok() {
                        a class="button" href={ (project_path(territory.place.project_id)) "/evenements/nouveau?type=restitution&territoire=" (territory.place.collectivity_id) } { "Prévoir une rencontre" }
                        " "
                    }
                    a href={ (territory.restitution_path()) "/portee" } { "Qui la restitution a touché" }
                }
            }

            section aria-labelledby="decide" {
                h2 id="decide" { "Ce qui a été décidé" }
                @if view.plan_adopted {
                    p { "La page montre les actions du " a href=(plan_path(territory.place.project_id, territory.place.collectivity_id)) { "plan d’action" } " dans sa version adoptée, chacune avec ce à quoi elle répond : les idées d’où elle vient, ce qu’elles citaient du diagnostic et des enquêtes." }
                } @else {
                    p { "Le plan d’action du territoire n’est pas encore adopté : la restitution pourra être publiée une fois qu’il le sera." }
                }
            }

            @if writes && stage != Stage::Published {
                section aria-labelledby="publication" {
                    h2 id="publication" { "Publier" }
                    @if missing.is_empty() {
                        p { "La page deviendra publique, et chaque habitant qui a laissé son adresse recevra un courriel avec son lien — un seul, même s’il l’a laissée sur plusieurs questionnaires. Son adresse sera ensuite effacée." }
                        form method="post" action={ (territory.restitution_path()) "/publication" } {
                            (csrf_field(ctx))
                            button class="button" type="submit" { "Publier la restitution" }
                        }
                    } @else {
                        p { "Avant de publier, il manque : " (missing.join(", ")) "." }
                    }
                }
            }
        },
    )
}

/// The questions grouped by their questionnaire, in order.
fn by_questionnaire(questions: &[ShowableQuestion]) -> Vec<(&str, Vec<&ShowableQuestion>)> {
    let mut out: Vec<(&str, Vec<&ShowableQuestion>)> = Vec::new();
    for q in questions {
        match out.last_mut() {
            Some((_, list)) if list[0].questionnaire_id == q.questionnaire_id => list.push(q),
            _ => out.push((q.questionnaire.as_str(), vec![q])),
        }
    }
    out
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    let view = load(&state, &territory).await?;
    let form = TextsForm::of(view.restitution.as_ref());
    Ok(working_page(&ctx, &territory, &view, &form, &FormErrors::default(), None))
}

pub async fn save_texts(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<TextsForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    if !territory.writes_restitution() {
        return Err(AppError::Forbidden);
    }
    let form = form.into_inner();
    let texts =
        match RestitutionTexts::parse(&form.heard, &form.figures, &form.decided, &form.next_steps, &form.involved) {
            Ok(texts) => texts,
            Err(errors) => {
                let view = load(&state, &territory).await?;
                return Ok(unprocessable(working_page(
                    &ctx,
                    &territory,
                    &view,
                    &form,
                    &FormErrors::from(errors),
                    None,
                )));
            }
        };
    let revision: i32 = form.revision.trim().parse().unwrap_or(0);
    let (place, name) = (territory.place, de(&territory.name));
    let outcome = territory
        .write_restitution(&state, move |conn, by| restitutions::save_texts(conn, place, &texts, revision, by, &name))
        .await?;
    match outcome {
        Saved::Saved | Saved::Unchanged => {
            ctx.set_flash("Les textes sont enregistrés.");
            Ok(see_other(&format!("{}#textes", territory.restitution_path())))
        }
        Saved::Stale(theirs) => {
            let view = load(&state, &territory).await?;
            let mut errors = FormErrors::default();
            errors.add("heard", "Quelqu’un a enregistré ces textes entre-temps : comparez les deux versions, puis enregistrez à nouveau.");
            let form = TextsForm { revision: theirs.revision.to_string(), ..form };
            Ok(unprocessable(working_page(&ctx, &territory, &view, &form, &errors, Some(&theirs))))
        }
    }
}

pub async fn set_questions(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    let fields = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let view = load(&state, &territory).await?;
    let mut ids = Vec::new();
    for (_, value) in fields.iter().filter(|(k, _)| k == "question") {
        match value.parse::<i64>() {
            Ok(id) if view.questions.iter().any(|q| q.id == id) => ids.push(id),
            _ => {
                return Err(AppError::BadRequest(
                    "Cette question n’est pas une de celles proposées : rechargez la page.".into(),
                ))
            }
        }
    }
    ids.dedup();
    let place = territory.place;
    territory.write_restitution(&state, move |conn, by| restitutions::set_questions(conn, place, &ids, by)).await?;
    ctx.set_flash("Les résultats montrés sont enregistrés.");
    Ok(see_other(&format!("{}#questions", territory.restitution_path())))
}

pub async fn publish(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    let (place, name) = (territory.place, de(&territory.name));
    let (base_url, key) = (state.config.base_url.clone(), state.link_key.clone());
    let outcome = territory
        .write_restitution(&state, move |conn, by| {
            let outcome = restitutions::publish(conn, place, by, &name)?;
            let told = match outcome {
                Published::Now => tell_respondents(conn, place, &base_url, &key)?,
                _ => 0,
            };
            Ok((outcome, told))
        })
        .await?;
    match outcome {
        (Published::Now, told) => ctx.set_flash(&format!(
            "La restitution est publiée. {told} courriel{} aux habitants qui l’avaient demandé {} dans la file d’envoi.",
            if told > 1 { "s" } else { "" },
            if told > 1 { "sont" } else { "est" }
        )),
        (Published::Already, _) => ctx.set_flash("La restitution était déjà publiée."),
        (Published::Missing(missing), _) => {
            ctx.set_flash(&format!("La restitution n’est pas publiée : il manque {}.", missing.join(", ")))
        }
    }
    Ok(see_other(&territory.restitution_path()))
}

/// The project page's part: where each territory's restitution stands, with its public page once published and
/// its working page for those who see the territory's group.
pub fn section(
    project_id: i64,
    territories: &[(i64, String)],
    stages: &[(i64, Stage, Option<chrono::NaiveDateTime>)],
    access: &crate::web::projects::access::Access,
) -> Markup {
    html! {
        @if !territories.is_empty() {
            section aria-labelledby="restitutions" {
                h2 id="restitutions" { "Restitution aux habitants" }
                p { "Ce que chaque territoire dit à ses habitants de ce qui a été fait de leur parole." }
                ul {
                    @for (collectivity_id, name) in territories {
                        @let stage = stages.iter().find(|(c, ..)| c == collectivity_id);
                        li {
                            strong { (name) } " : " (stage.map_or(Stage::NotStarted, |s| s.1).label())
                            @if let Some((_, Stage::Published, Some(at))) = stage {
                                " le " (date_fr(at.date())) " — " a href=(public_restitution_path(project_id, *collectivity_id)) { "lire la restitution " (de(name)) }
                            }
                            @if may_see_group(access, *collectivity_id) {
                                " — " a href=(restitution_path(project_id, *collectivity_id)) { "la page de travail" }
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
pub struct TextForm {
    text: String,
}

/// The readability hint of a text being written (`assets/restitution.js`), as the page shows it under the field.
pub async fn readability(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<TextForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    if !territory.writes_restitution() {
        return Err(AppError::Forbidden);
    }
    let text: String = form.text.chars().take(crate::domain::restitution::TEXT_MAX).collect();
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(hint_body(&text).into_string()))
}
