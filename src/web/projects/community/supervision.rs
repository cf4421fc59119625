//! A supervision session (an event of kind `supervision`) on its event page: who attended, recorded by the agency
//! or the provider once it has begun, and the notes only those who attended read and write (`storage::supervision`
//! lets nobody else at them). The generic minutes, which the working space reads, are not taken for such a session.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::community::{parse_note, parse_submission};
use crate::domain::markdown::Markdown;
use crate::security::random_token;
use crate::storage::events::Event;
use crate::storage::projects::Project;
use crate::storage::supervision::{self, Note};
use crate::storage::{self, delegations, providers, DbConnection};
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::access::project_and_access;
use crate::web::projects::paths::event_path;
use crate::web::views::{csrf_field, moment_fr, see_other, textarea, FormErrors};
use crate::web::{AppError, AppState};

/// What the session's section shows the person.
pub struct SupervisionView {
    pub attendance: Vec<(i64, String)>,
    /// The people the agency or the provider may mark as present: the delegations' members with an account, the
    /// provider's people, and themselves.
    pub candidates: Vec<(i64, String)>,
    /// The notes, for those who attended only.
    pub notes: Option<Vec<(Note, Option<String>)>>,
}

pub fn load(
    conn: &mut DbConnection,
    project: &Project,
    event: &Event,
    viewer: (i64, &str),
    leads: bool,
) -> storage::QueryResult<SupervisionView> {
    let attendance = supervision::attendance(conn, event.id)?;
    let notes = match supervision::attendee(conn, event.id, viewer.0)? {
        Some(attendee) => Some(supervision::notes(conn, attendee)?),
        None => None,
    };
    let mut candidates = Vec::new();
    if leads {
        candidates.push((viewer.0, viewer.1.to_owned()));
        let seated = delegations::delegates_of_project(conn, project.id)?;
        let ids: Vec<i64> = seated.iter().filter_map(|(d, _)| d.user_id).collect();
        candidates.extend(storage::users::names_of(conn, &ids)?);
        if let Some(provider) = project.provider_id {
            candidates
                .extend(providers::members_of_provider(conn, provider)?.into_iter().map(|u| (u.id, u.display_name)));
        }
        candidates.extend(attendance.iter().cloned());
        candidates.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        candidates.dedup_by_key(|c| c.0);
    }
    Ok(SupervisionView { attendance, candidates, notes })
}

/// The session's section of its event page.
pub fn section(
    ctx: &PageCtx,
    event: &Event,
    view: &SupervisionView,
    leads: bool,
    refused: Option<(&str, &FormErrors)>,
) -> Markup {
    let path = event_path(event.project_id, event.id);
    let started = event.starts_at <= storage::now();
    let none = FormErrors::default();
    let (note, errors) = refused.unwrap_or(("", &none));
    html! {
        section aria-labelledby="presences" {
            h2 id="presences" { "Participants (" (view.attendance.len()) ")" }
            p { "Les notes de la séance ne sont lues que par celles et ceux qui y ont participé." }
            @if view.attendance.is_empty() {
                p { @if started { "Les présences ne sont pas encore notées." } @else { "Elles seront notées pendant la séance." } }
            } @else {
                ul { @for (_, name) in &view.attendance { li { (name) } } }
            }
            @if leads && started {
                form class="form" method="post" action={ (path) "/presences" } {
                    (csrf_field(ctx))
                    fieldset class="field" {
                        legend { "Qui a participé ?" }
                        @for (id, name) in &view.candidates {
                            div class="choice" {
                                input type="checkbox" id={ "present-" (id) } name="present" value=(id) checked[view.attendance.iter().any(|(a, _)| a == id)];
                                label for={ "present-" (id) } { (name) }
                            }
                        }
                    }
                    button class="button button-secondary" type="submit" { "Enregistrer les présences" }
                }
            }
        }
        @if let Some(notes) = &view.notes {
            section aria-labelledby="notes" {
                h2 id="notes" { "Notes de la séance" }
                @if notes.is_empty() { p { "Aucune note pour l’instant." } }
                @for (note, author) in notes {
                    article class="message" aria-labelledby={ "note-" (note.id) } {
                        p class="message-author" id={ "note-" (note.id) } { strong { (author.as_deref().unwrap_or("Compte supprimé")) } ", le " (moment_fr(note.created_at)) }
                        div class="markdown" { (Markdown(&note.body)) }
                    }
                }
                (errors.summary())
                form class="form" method="post" action={ (path) "/notes" } novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="submission" value=(random_token());
                    (textarea("body", "Ajouter une note", note, "Ce que vous retenez, ce que vous voulez garder. Réservé aux participants de la séance.", errors))
                    button class="button" type="submit" { "Ajouter la note" }
                }
            }
        }
    }
}

/// The session as an event of the project, for the agency or the provider, or a refusal.
async fn session(state: &AppState, ctx: &PageCtx, project_id: i64, event_id: i64) -> Result<(Event, bool), AppError> {
    ctx.require_user()?;
    let (_, access) = project_and_access(state, ctx, project_id).await?;
    if !access.in_community() {
        return Err(AppError::Forbidden);
    }
    let event = state
        .db(move |conn| Ok(storage::events::find_event(conn, project_id, event_id)?))
        .await?
        .filter(|e| e.kind == crate::domain::project::EventKind::Supervision.code())
        .ok_or(AppError::NotFound)?;
    Ok((event, access.leads()))
}

/// The agency or the provider record who attended (the boxes ticked).
pub async fn record_attendance(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, event_id) = path.into_inner();
    let (event, leads) = session(&state, &ctx, project_id, event_id).await?;
    if !leads {
        return Err(AppError::Forbidden);
    }
    if event.starts_at > storage::now() {
        return Err(AppError::BadRequest("La séance n’a pas encore commencé : les présences attendront.".into()));
    }
    let fields = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let mut present = Vec::new();
    for (_, value) in fields.iter().filter(|(k, _)| k == "present") {
        present.push(value.parse::<i64>().map_err(|_| {
            AppError::BadRequest("Une des personnes cochées n’est pas dans la liste : rechargez la page.".into())
        })?);
    }
    present.sort_unstable();
    present.dedup();
    let by = ctx.require_user()?.id;
    let project = state
        .db(move |conn| Ok(storage::projects::find_project(conn, project_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let by_name = ctx.require_user()?.display_name.clone();
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let view = load(conn, &project, &event, (by, &by_name), true)?;
                if present.iter().any(|id| !view.candidates.iter().any(|(c, _)| c == id)) {
                    return Err(AppError::BadRequest(
                        "Une des personnes cochées n’est pas dans la liste : rechargez la page.".into(),
                    ));
                }
                Ok(supervision::record_attendance(conn, event.id, &present, by)?)
            })
        })
        .await?;
    ctx.set_flash("Présences enregistrées : les personnes cochées lisent et écrivent les notes de la séance.");
    Ok(see_other(&format!("{}#presences", event_path(project_id, event_id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteForm {
    pub body: String,
    pub submission: String,
}

/// Someone who attended adds a note; the refused text comes back to the event page.
pub async fn add_note(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    event_id: i64,
    form: &NoteForm,
) -> Result<Result<(), FormErrors>, AppError> {
    let user_id = ctx.require_user()?.id;
    session(state, ctx, project_id, event_id).await?;
    let body = match (parse_note(&form.body), parse_submission(&form.submission)) {
        (Ok(body), Ok(_)) => body,
        (body, submission) => {
            let mut errors = FormErrors::default();
            if let Err(message) = body.and(submission) {
                errors.add("body", message);
            }
            return Ok(Err(errors));
        }
    };
    let submission = form.submission.trim().to_owned();
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let attendee = supervision::attendee(conn, event_id, user_id)?.ok_or(AppError::Forbidden)?;
                Ok(supervision::add_note(conn, attendee, &body, &submission)?)
            })
        })
        .await?;
    Ok(Ok(()))
}
