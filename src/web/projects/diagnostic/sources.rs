//! Sources of the diagnostic: studies, wellbeing indicators, cahiers de doléances, interviews (with anonymised
//! notes) and observations, each linked to the actors and spaces it speaks of.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::{author, diagnostic_for, diagnostic_to_contribute, sheet_path, source_path, written_on, Diagnostic};
use crate::domain::codesign::Evidence;
use crate::domain::diagnostic::{NewSource, SourceKind, Status};
use crate::domain::text::de;
use crate::storage;
use crate::storage::diagnostic::{self, MapSource};
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::paths::{diagnostic_path, project_path};
use crate::web::views::{
    checkbox_group, csrf_field, date_fr, optional_textarea, page, page_with_errors, paragraphs, see_other, select,
    unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

/// The sources' part of the territory page.
pub fn sources_section(d: &Diagnostic) -> Markup {
    let published: Vec<&MapSource> = d.sources.iter().filter(|s| s.status() == Status::Published).collect();
    html! {
        section aria-labelledby="sources" {
            h2 id="sources" { "Sources (" (published.len()) ")" }
            @if published.is_empty() {
                p { "Aucune source pour l’instant : études, indicateurs, cahiers de doléances, entretiens, observations." }
            } @else {
                ul class="sources" {
                    @for source in &published {
                        @let mentioned = d.mentions.iter().filter(|(s, _)| *s == source.id).count();
                        li {
                            a href=(source_path(d.place, source.id)) { (source.title) }
                            " — " (source.kind().label().to_lowercase())
                            @if let Some(day) = source.happened_on { ", " (date_fr(day)) }
                            @if mentioned > 0 { " · parle de " (mentioned) " fiche" @if mentioned > 1 { "s" } }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Default)]
pub struct SourceForm {
    kind: String,
    title: String,
    happened_on: String,
    people_met: String,
    notes: String,
    link: String,
    mentions: Vec<String>,
}

impl SourceForm {
    /// From the raw body: the mention boxes send the same name several times.
    fn decode(body: &[u8]) -> Result<SourceForm, AppError> {
        let fields = decode_form(body)
            .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
        let mut form = SourceForm::default();
        for (key, value) in fields {
            match key.as_str() {
                "kind" => form.kind = value,
                "title" => form.title = value,
                "happened_on" => form.happened_on = value,
                "people_met" => form.people_met = value,
                "notes" => form.notes = value,
                "link" => form.link = value,
                "mentions" => form.mentions.push(value),
                _ => {}
            }
        }
        Ok(form)
    }
}

fn form_page(ctx: &PageCtx, d: &Diagnostic, form: &SourceForm, errors: &FormErrors) -> Markup {
    let base = diagnostic_path(d.place.project_id, d.place.collectivity_id);
    let title = format!("Nouvelle source — {}", d.territory.name);
    let mut kinds = vec![(String::new(), "Choisir…".to_owned())];
    kinds.extend(SourceKind::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())));
    let entries: Vec<(String, String)> = d
        .published()
        .map(|e| (e.id.to_string(), format!("{} ({})", e.name, e.kind().label().to_lowercase())))
        .collect();
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(d.project.id)) { (d.project.title) } " › " a href=(base) { "Diagnostic " (de(&d.territory.name)) } }
            h1 { (title) }
            (errors.summary())
            form class="form" method="post" action={ (base) "/sources" } novalidate {
                (csrf_field(ctx))
                (select("kind", "Nature", &kinds, &form.kind, None, errors))
                (Field::new("title", "Titre").value(&form.title).hint("Par exemple : « Entretien avec l’équipe du centre social », « Analyse des besoins sociaux 2024 ».").render(errors))
                (Field::new("happened_on", "Date").kind("date").value(&form.happened_on).optional().render(errors))
                (Field::new("people_met", "Personnes rencontrées").value(&form.people_met).hint("Des catégories, jamais des noms : « 3 habitantes du quartier, 1 animateur ».").optional().render(errors))
                (optional_textarea("notes", "Notes", &form.notes, "Anonymes : désignez chacun par son rôle ; ni nom, ni adresse électronique, ni téléphone.", errors))
                (Field::new("link", "Lien vers le document").kind("url").value(&form.link).optional().render(errors))
                @if !entries.is_empty() {
                    (checkbox_group("mentions", "Acteurs, espaces et objets dont elle parle", &entries, &form.mentions, errors))
                }
                button class="button" type="submit" { "Ajouter la source" }
            }
        },
    )
}

pub async fn new_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let (d, _) = diagnostic_to_contribute(&state, &ctx, project_id, collectivity_id).await?;
    Ok(form_page(&ctx, &d, &SourceForm::default(), &FormErrors::default()))
}

pub async fn create(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let (d, access) = diagnostic_to_contribute(&state, &ctx, project_id, collectivity_id).await?;
    let form = SourceForm::decode(&body)?;
    let parsed =
        NewSource::parse(&form.kind, &form.title, &form.happened_on, &form.people_met, &form.notes, &form.link);
    // Only published sheets of this territory may be named.
    let mentions: Option<Vec<i64>> =
        form.mentions.iter().map(|m| m.parse::<i64>().ok().filter(|id| d.published().any(|e| e.id == *id))).collect();
    let (source, mentions) = match (parsed, mentions) {
        (Ok(source), Some(mentions)) => (source, mentions),
        (parsed, mentions) => {
            let mut errors = FormErrors::from(parsed.err().unwrap_or_default());
            if mentions.is_none() {
                errors.add("mentions", "Une des fiches cochées n’existe plus : vérifiez la liste.");
            }
            return Ok(unprocessable(form_page(&ctx, &d, &form, &errors)));
        }
    };
    let (place, author, territory) = (d.place, author(&access)?, d.territory.name.clone());
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(diagnostic::contribute_source(conn, place, &territory, &source, &mentions, author)?)
            })
        })
        .await?;
    ctx.set_flash(if author.publishes { "Source ajoutée." } else { "Source proposée : le prestataire la validera." });
    Ok(see_other(&source_path(place, id)))
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id, source_id) = path.into_inner();
    let (d, access) = diagnostic_for(&state, &ctx, project_id, collectivity_id).await?;
    let user_id = access.user.as_ref().map(|u| u.id);
    let source = d
        .sources
        .iter()
        .find(|s| s.id == source_id)
        .filter(|s| s.status() == Status::Published || access.leads() || s.created_by == user_id)
        .ok_or(AppError::NotFound)?;
    let mentioned: Vec<_> =
        d.mentions.iter().filter(|(s, _)| *s == source.id).filter_map(|(_, e)| d.entry(*e)).collect();
    let base = diagnostic_path(d.place.project_id, d.place.collectivity_id);
    Ok(page(
        &ctx,
        &source.title,
        html! {
            p class="breadcrumb" { a href=(project_path(d.project.id)) { (d.project.title) } " › " a href=(base) { "Diagnostic " (de(&d.territory.name)) } }
            article class="sheet" {
                p class="kicker" { (source.kind().label()) @if let Some(day) = source.happened_on { " · " (date_fr(day)) } }
                h1 { (source.title) }
                @if source.status() != Status::Published { p class="notice notice-warning" { (source.status().label()) } }
                dl class="facts" {
                    @if !source.people_met.is_empty() { dt { "Personnes rencontrées" } dd { (source.people_met) } }
                    dt { "Ajoutée le" } dd { (written_on(source.created_at)) }
                    @if !source.link.is_empty() { dt { "Document" } dd { a href=(source.link) rel="noopener noreferrer" { (source.link) } } }
                }
                @if !source.notes.is_empty() { h2 { "Notes" } (paragraphs(&source.notes)) }
                @if !mentioned.is_empty() {
                    h2 { "Elle parle de" }
                    ul { @for e in &mentioned { li { a href=(sheet_path(d.place, e.id)) { (e.name) } " (" (e.kind().label().to_lowercase()) ")" } } }
                }
                (d.inspired(&access, Evidence::Source(source.id)))
            }
            @if access.leads() {
                form class="no-print" method="post" action={ (source_path(d.place, source.id)) "/suppression" } {
                    (csrf_field(&ctx))
                    button class="button danger" type="submit" { "Supprimer la source" }
                }
            }
        },
    ))
}

pub async fn delete(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, source_id) = path.into_inner();
    let (d, access) = diagnostic_for(&state, &ctx, project_id, collectivity_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    if !d.sources.iter().any(|s| s.id == source_id) {
        return Err(AppError::NotFound);
    }
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(diagnostic::delete_source(conn, source_id)?))
        })
        .await?;
    ctx.set_flash("Source supprimée.");
    Ok(see_other(&diagnostic_path(project_id, collectivity_id)))
}
