//! The moderation queue: what inquiry group members and participants proposed for the diagnostic, which the
//! provider (or the agency) publishes or rejects with a note the author reads on the sheet.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{sheet_path, source_path, written_on, Categories};
use crate::domain::diagnostic::intensity_label;
use crate::domain::text::{bounded_text, clean_line};
use crate::storage;
use crate::storage::diagnostic::{self, MapEntry, Pending, Place, Reviewed};
use crate::storage::projects::{self, Project};
use crate::storage::users;
use crate::web::context::PageCtx;
use crate::web::projects::access::project_and_access;
use crate::web::projects::paths::project_path;
use crate::web::views::{csrf_field, page, see_other};
use crate::web::{AppError, AppState};

pub fn moderation_path(project_id: i64) -> String {
    format!("{}/diagnostic/moderation", project_path(project_id))
}

struct Queue {
    project: Project,
    pending: Pending,
    /// Every entry a pending relation names, by id.
    entries: HashMap<i64, MapEntry>,
    territories: HashMap<i64, String>,
    authors: HashMap<i64, String>,
    categories: Categories,
}

async fn load(state: &AppState, ctx: &PageCtx, project_id: i64) -> Result<Queue, AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, project_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    state
        .db(move |conn| {
            let pending = diagnostic::pending_of_project(conn, project.id)?;
            let mut entries = HashMap::new();
            for id in pending.relations.iter().flat_map(|r| [r.from_id, r.to_id]) {
                if let Some(entry) = diagnostic::find_entry(conn, id)? {
                    entries.insert(id, entry);
                }
            }
            let territories = projects::enrolments_of_project(conn, project.id)?
                .into_iter()
                .map(|(e, t)| (e.collectivity_id, t.name))
                .collect();
            let author_ids: Vec<i64> = pending
                .entries
                .iter()
                .filter_map(|e| e.created_by)
                .chain(pending.relations.iter().filter_map(|r| r.created_by))
                .chain(pending.sources.iter().filter_map(|s| s.created_by))
                .collect();
            let authors = users::names_of(conn, &author_ids)?.into_iter().collect();
            Ok(Queue {
                categories: Categories::load(conn, project.id)?,
                project,
                pending,
                entries,
                territories,
                authors,
            })
        })
        .await
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<Markup, AppError> {
    let queue = load(&state, &ctx, path.into_inner()).await?;
    Ok(queue_page(&ctx, &queue))
}

fn decision(ctx: &PageCtx, project_id: i64, what: &str, id: i64, name: &str) -> Markup {
    let note_id = format!("note-{what}-{id}");
    html! {
        form class="moderation" method="post" action=(moderation_path(project_id)) {
            (csrf_field(ctx))
            input type="hidden" name="what" value=(what);
            input type="hidden" name="id" value=(id);
            div class="field" {
                label for=(note_id) { "Note à l’auteur" span class="optional" { " (facultatif)" } span class="visually-hidden" { " sur « " (name) " »" } }
                input id=(note_id) name="note" type="text";
            }
            div class="actions" {
                button class="button" type="submit" name="decision" value="publier" { "Publier" span class="visually-hidden" { " « " (name) " »" } }
                button class="button danger" type="submit" name="decision" value="refuser" { "Refuser" span class="visually-hidden" { " « " (name) " »" } }
            }
        }
    }
}

fn queue_page(ctx: &PageCtx, q: &Queue) -> Markup {
    let project_id = q.project.id;
    let territory = |c: i64| q.territories.get(&c).map(String::as_str).unwrap_or("?");
    let author = |u: Option<i64>| u.and_then(|u| q.authors.get(&u)).map(String::as_str).unwrap_or("compte supprimé");
    let name = |id: i64| q.entries.get(&id).map(|e| e.name.as_str()).unwrap_or("?");
    page(
        ctx,
        "Contributions à valider",
        html! {
            p class="breadcrumb" { a href=(project_path(project_id)) { (q.project.title) } " › " a href={ (project_path(project_id)) "/diagnostic" } { "Diagnostic" } }
            h1 { "Contributions à valider (" (q.pending.len()) ")" }
            p { "Ce que les membres des groupes d’enquête et les collectivités proposent n’apparaît qu’une fois publié. Un refus peut porter une note : son auteur la lit sur la fiche." }
            @if q.pending.is_empty() { p { "Rien à valider." } }
            @if !q.pending.entries.is_empty() {
                h2 { "Fiches (" (q.pending.entries.len()) ")" }
                ul class="cards" {
                    @for e in &q.pending.entries {
                        @let place = Place { project_id, collectivity_id: e.collectivity_id };
                        li class="card" {
                            h3 { a href=(sheet_path(place, e.id)) { (e.name) } }
                            p class="meta" { (e.kind().label()) " · " (q.categories.label(e.kind(), &e.category)) " · " (territory(e.collectivity_id)) " · proposée par " (author(e.created_by)) " le " (written_on(e.created_at)) }
                            @if !e.description.is_empty() { p { (e.description) } }
                            (decision(ctx, project_id, "fiche", e.id, &e.name))
                        }
                    }
                }
            }
            @if !q.pending.relations.is_empty() {
                h2 { "Relations (" (q.pending.relations.len()) ")" }
                ul class="cards" {
                    @for r in &q.pending.relations {
                        @let label = format!("{} {} {}", name(r.from_id), r.kind().label(), name(r.to_id));
                        li class="card" {
                            h3 { (label) }
                            p class="meta" { (intensity_label(r.intensity)) " · " (territory(r.collectivity_id)) " · proposée par " (author(r.created_by)) }
                            @if !r.note.is_empty() { p { (r.note) } }
                            (decision(ctx, project_id, "relation", r.id, &label))
                        }
                    }
                }
            }
            @if !q.pending.sources.is_empty() {
                h2 { "Sources (" (q.pending.sources.len()) ")" }
                ul class="cards" {
                    @for s in &q.pending.sources {
                        @let place = Place { project_id, collectivity_id: s.collectivity_id };
                        li class="card" {
                            h3 { a href=(source_path(place, s.id)) { (s.title) } }
                            p class="meta" { (s.kind().label()) " · " (territory(s.collectivity_id)) " · proposée par " (author(s.created_by)) }
                            (decision(ctx, project_id, "source", s.id, &s.title))
                        }
                    }
                }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct DecisionForm {
    what: String,
    id: i64,
    decision: String,
    #[serde(default)]
    note: String,
}

pub async fn decide(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let reviewer = ctx.require_user()?.id;
    let project_id = path.into_inner();
    let (_, access) = project_and_access(&state, &ctx, project_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    let invalid = |m: &str| AppError::BadRequest(m.to_owned());
    let what = match form.what.as_str() {
        "fiche" => Reviewed::Entry,
        "relation" => Reviewed::Relation,
        "source" => Reviewed::Source,
        _ => return Err(invalid("Contribution inconnue.")),
    };
    let publish = match form.decision.as_str() {
        "publier" => true,
        "refuser" => false,
        _ => return Err(invalid("Choisissez « Publier » ou « Refuser ».")),
    };
    let note = clean_line(&form.note)
        .ok_or_else(|| invalid("La note contient des caractères non autorisés."))
        .and_then(|n| bounded_text(&n, "La note", 0, 300).map_err(|m| invalid(&m)))?;
    let id = form.id;
    let changed = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(diagnostic::review(conn, project_id, what, id, publish, &note, reviewer)?)
            })
        })
        .await?;
    ctx.set_flash(match (changed, publish) {
        (false, _) => "Cette contribution a déjà été traitée.",
        (true, true) => "Contribution publiée.",
        (true, false) => "Contribution refusée ; son auteur verra votre note.",
    });
    Ok(see_other(&moderation_path(project_id)))
}
