//! A project's newsletters: the agency or the provider writes one in rubrics, previews it, sends a test to
//! themself, then sends it — once — to the participants, the observers and/or the people following the project by
//! e-mail, through the outbox. Sent newsletters make the project's public archive.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::{project_and_access, Access};
use super::paths::project_path;
use crate::domain::markdown::Markdown;
use crate::domain::newsletter::{Audience, NewNewsletter, Rubric};
use crate::mail::messages::{newsletter, NewsletterMail};
use crate::mail::newsletters::{send_newsletter, LetterLinks, Sending};
use crate::mail::queue;
use crate::storage;
use crate::storage::newsletters::{self, Newsletter};
use crate::storage::projects::Project;
use crate::web::context::PageCtx;
use crate::web::views::{
    csrf_field, date_fr, optional_textarea, page, page_with_errors, see_other, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

fn letters_path(project_id: i64) -> String {
    format!("{}/lettres", project_path(project_id))
}

fn letter_path(project_id: i64, id: i64) -> String {
    format!("{}/{id}", letters_path(project_id))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LetterForm {
    title: String,
    edito: String,
    theory: String,
    practice: String,
    territories: String,
    in_progress: String,
    upcoming: String,
    inspiration: String,
    to_participants: String,
    to_observers: String,
    to_followers: String,
}

impl LetterForm {
    fn rubrics(&self) -> [&str; 7] {
        [
            &self.edito,
            &self.theory,
            &self.practice,
            &self.territories,
            &self.in_progress,
            &self.upcoming,
            &self.inspiration,
        ]
    }

    fn parse(&self) -> Result<NewNewsletter, FormErrors> {
        let audience = Audience {
            participants: !self.to_participants.is_empty(),
            observers: !self.to_observers.is_empty(),
            followers: !self.to_followers.is_empty(),
        };
        NewNewsletter::parse(&self.title, self.rubrics(), audience).map_err(FormErrors::from)
    }

    fn of(letter: &NewNewsletter) -> LetterForm {
        let on = |chosen: bool| if chosen { "on".to_owned() } else { String::new() };
        let [edito, theory, practice, territories, in_progress, upcoming, inspiration] = letter.rubrics.clone();
        LetterForm {
            title: letter.title.clone(),
            edito,
            theory,
            practice,
            territories,
            in_progress,
            upcoming,
            inspiration,
            to_participants: on(letter.audience.participants),
            to_observers: on(letter.audience.observers),
            to_followers: on(letter.audience.followers),
        }
    }
}

/// The project, for someone who writes its newsletters (the agency, its provider).
async fn for_leads(state: &AppState, ctx: &PageCtx, project_id: i64) -> Result<(Project, Access), AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, project_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    Ok((project, access))
}

pub async fn index(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let (project, access) = project_and_access(&state, &ctx, id.into_inner()).await?;
    let (project_id, leads) = (project.id, access.leads());
    let letters = state.db(move |conn| Ok(newsletters::newsletters_of_project(conn, project_id, leads)?)).await?;
    Ok(page(
        &ctx,
        &format!("Lettres du projet — {}", project.title),
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › Lettres" }
            h1 { "Lettres du projet" }
            p { "Les lettres d’information du projet, rédigées par l’agence et le prestataire : édito, en théorie, en pratique, nouvelles des territoires, en chantier, à suivre, inspiration. "
                a href={ (project_path(project.id)) "/suivre" } { "Suivre le projet par courriel" } " pour les recevoir." }
            @if leads { p { a class="button" href={ (letters_path(project.id)) "/nouvelle" } { "Écrire une lettre" } } }
            @if letters.is_empty() { p { "Aucune lettre parue pour l’instant." } }
            ul class="letters" {
                @for letter in &letters {
                    li {
                        a href=(letter_path(project.id, letter.id)) { (letter.title) }
                        @match letter.sent_at {
                            Some(at) => { " — parue le " (date_fr(at)) }
                            None => { " — " strong { "brouillon" } }
                        }
                    }
                }
            }
        },
    ))
}

fn form_page(ctx: &PageCtx, project: &Project, editing: Option<i64>, form: &LetterForm, errors: &FormErrors) -> Markup {
    let (title, action) = match editing {
        Some(id) => ("Modifier la lettre", letter_path(project.id, id)),
        None => ("Écrire une lettre", letters_path(project.id)),
    };
    let audience_error = errors.get("to_participants");
    page_with_errors(
        ctx,
        title,
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › " a href=(letters_path(project.id)) { "Lettres" } }
            h1 { (title) }
            p { "Remplissez les rubriques utiles : les rubriques vides n’apparaissent pas. Markdown accepté (listes avec -, liens [texte](https://…)). La lettre reste un brouillon jusqu’à son envoi : vous pourrez la relire et vous l’envoyer à vous-même d’abord." }
            (errors.summary())
            form class="form" method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (Field::new("title", "Titre de la lettre").value(&form.title).hint("Par exemple : Lettre n° 3 — février 2027").render(errors))
                @for (rubric, value) in Rubric::ALL.iter().zip(form.rubrics()) {
                    (optional_textarea(rubric.code(), rubric.label(), value, rubric.hint(), errors))
                }
                fieldset class={ "field checkboxes" @if audience_error.is_some() { " field-invalid" } } aria-describedby=[audience_error.map(|_| "to_participants-erreur")] {
                    legend { "À qui l’envoyer ?" }
                    @if let Some(message) = audience_error { p class="field-error" id="to_participants-erreur" { span aria-hidden="true" { "⚠ " } (message) } }
                    @for (name, label, value) in [
                        ("to_participants", "Les membres des collectivités participantes", &form.to_participants),
                        ("to_observers", "Les membres des collectivités observatrices", &form.to_observers),
                        ("to_followers", "Les personnes qui suivent le projet par courriel", &form.to_followers),
                    ] {
                        div class="choice" {
                            input type="checkbox" name=(name) id=(name) value="on" checked[!value.is_empty()];
                            label for=(name) { (label) }
                        }
                    }
                }
                button class="button" type="submit" { "Enregistrer le brouillon" }
            }
        },
    )
}

pub async fn new_form(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let (project, _) = for_leads(&state, &ctx, id.into_inner()).await?;
    let form = LetterForm { to_participants: "on".into(), to_observers: "on".into(), ..LetterForm::default() };
    Ok(form_page(&ctx, &project, None, &form, &FormErrors::default()))
}

pub async fn create(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<LetterForm>,
) -> Result<HttpResponse, AppError> {
    let (project, access) = for_leads(&state, &ctx, id.into_inner()).await?;
    let letter = match form.parse() {
        Ok(letter) => letter,
        Err(errors) => return Ok(unprocessable(form_page(&ctx, &project, None, &form, &errors))),
    };
    let (project_id, author) = (project.id, access.require_user()?.id);
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(newsletters::insert_draft(conn, project_id, &letter, author)?)
            })
        })
        .await?;
    ctx.set_flash("Brouillon enregistré : relisez-le, envoyez-vous un essai, puis envoyez-le.");
    Ok(see_other(&letter_path(project_id, id)))
}

/// The newsletter, if the person may see it: a sent one is public, a draft is for its writers.
async fn load_letter(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    id: i64,
) -> Result<(Project, Access, Newsletter), AppError> {
    let (project, access) = project_and_access(state, ctx, project_id).await?;
    let letter = state
        .db(move |conn| Ok(newsletters::find_newsletter(conn, project_id, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    if letter.sent_at.is_none() && !access.leads() {
        return Err(AppError::NotFound);
    }
    Ok((project, access, letter))
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, id) = path.into_inner();
    let (project, access, letter) = load_letter(&state, &ctx, project_id, id).await?;
    let content = letter.content();
    let audience = content.audience;
    let recipients = match letter.sent_at {
        None if access.leads() => {
            state.db(move |conn| Ok(newsletters::recipients(conn, project_id, audience)?.len())).await?
        }
        _ => letter.recipients as usize,
    };
    let path = letter_path(project_id, id);
    Ok(page(
        &ctx,
        &letter.title,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › " a href=(letters_path(project.id)) { "Lettres" } }
            @match letter.sent_at {
                Some(at) => {
                    p class="meta" {
                        "Lettre parue le " (date_fr(at))
                        @if access.leads() { " · envoyée à " (recipients) " personne" @if recipients > 1 { "s" } }
                    }
                }
                None => {
                    div class="notice" {
                        p { strong { "Brouillon" } " — aperçu de la lettre telle qu’elle partira, à " (audience.describe()) " : " strong { (recipients) " personne" @if recipients > 1 { "s" } } " aujourd’hui." }
                        p { a href={ (path) "/modifier" } { "Modifier" } }
                        form method="post" action={ (path) "/essai" } {
                            (csrf_field(&ctx))
                            button class="button secondary" type="submit" { "M’envoyer un essai" }
                        }
                        form class="form" method="post" action={ (path) "/envoi" } {
                            (csrf_field(&ctx))
                            div class="choice" {
                                input type="checkbox" name="confirm" id="confirm" value="oui" required;
                                label for="confirm" { "Je l’ai relue : elle partira une seule fois et ne pourra plus être modifiée." }
                            }
                            button class="button" type="submit" disabled[recipients == 0] { "Envoyer à " (recipients) " personne" @if recipients > 1 { "s" } }
                        }
                    }
                }
            }
            article class="newsletter" {
                h1 { (letter.title) }
                @for (rubric, body) in content.written() {
                    section {
                        h2 { (rubric.label()) }
                        div class="markdown" { (Markdown(body)) }
                    }
                }
            }
        },
    ))
}

/// A draft its writer may change, or a French "already sent".
async fn editable(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    id: i64,
) -> Result<(Project, Newsletter), AppError> {
    let (project, _) = for_leads(state, ctx, project_id).await?;
    let letter = state
        .db(move |conn| Ok(newsletters::find_newsletter(conn, project_id, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    if letter.sent_at.is_some() {
        return Err(AppError::Gone(
            "Cette lettre est déjà partie : elle reste dans les archives telle qu’envoyée.".into(),
        ));
    }
    Ok((project, letter))
}

pub async fn edit_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, id) = path.into_inner();
    let (project, letter) = editable(&state, &ctx, project_id, id).await?;
    Ok(form_page(&ctx, &project, Some(id), &LetterForm::of(&letter.content()), &FormErrors::default()))
}

pub async fn update(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<LetterForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, id) = path.into_inner();
    let (project, _) = editable(&state, &ctx, project_id, id).await?;
    let letter = match form.parse() {
        Ok(letter) => letter,
        Err(errors) => return Ok(unprocessable(form_page(&ctx, &project, Some(id), &form, &errors))),
    };
    let updated = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(newsletters::update_draft(conn, id, &letter)?))
        })
        .await?;
    if !updated {
        return Err(AppError::Gone(
            "Cette lettre vient de partir : vos modifications n’ont pas été enregistrées.".into(),
        ));
    }
    ctx.set_flash("Brouillon enregistré.");
    Ok(see_other(&letter_path(project_id, id)))
}

/// Sends the draft, as it is, to its writer alone.
pub async fn test_send(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, id) = path.into_inner();
    let (project, letter) = editable(&state, &ctx, project_id, id).await?;
    let user = ctx.require_user()?.clone();
    let archive = state.link(&letter_path(project_id, id));
    let mail = newsletter(
        &user.email,
        &NewsletterMail {
            project_title: &project.title,
            letter: &letter.content(),
            archive_url: &archive,
            links: None,
            test: true,
        },
    );
    // One test per version of the draft and person: sending again after a change sends the new version.
    let key = format!("newsletter-essai:{id}:{}:{}", user.id, letter.updated_at.and_utc().timestamp_micros());
    let queued = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(queue(conn, &key, "newsletter", &mail, None)?))
        })
        .await?;
    ctx.set_flash(&if queued {
        format!("Essai envoyé à {} : il arrive dans quelques instants.", user.email)
    } else {
        format!("Un essai de cette version est déjà parti à {}.", user.email)
    });
    Ok(see_other(&letter_path(project_id, id)))
}

/// Sends the newsletter to its audience (`mail::newsletters`): once, to everyone or to no one.
#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    confirm: String,
}

pub async fn send(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<SendForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, id) = path.into_inner();
    if form.confirm != "oui" {
        return Err(AppError::BadRequest("Cochez la case qui confirme l’envoi : la lettre n’est pas partie.".into()));
    }
    let (project, letter) = editable(&state, &ctx, project_id, id).await?;
    let user_id = ctx.require_user()?.id;
    let (base_url, key) = (state.config.base_url.clone(), state.link_key.clone());
    let archive = state.link(&letter_path(project_id, id));
    let sending = state
        .db(move |conn| {
            let links = LetterLinks { base_url: &base_url, key: &key, archive_url: &archive };
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(send_newsletter(conn, &letter, &project.title, user_id, &links)?)
            })
        })
        .await?;
    let count = match sending {
        Sending::Sent(count) => count,
        Sending::AlreadySent => {
            return Err(AppError::Gone(
                "Cette lettre est déjà partie : elle n’a pas été envoyée une seconde fois.".into(),
            ))
        }
        Sending::Nobody => {
            return Err(AppError::BadRequest(
                "Personne ne recevrait cette lettre : choisissez d’autres destinataires.".into(),
            ))
        }
    };
    ctx.set_flash(&format!(
        "Lettre envoyée à {count} personne{} : elle part dans les minutes qui viennent, et rejoint les archives.",
        if count > 1 { "s" } else { "" }
    ));
    Ok(see_other(&letter_path(project_id, id)))
}
