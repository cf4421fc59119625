//! Inspiration resources: public pages for everyone, and the agency's forms to publish, edit and remove them.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::context::PageCtx;
use super::middleware::decode_form;
use super::views::{
    checkbox_group, csrf_field, date_fr, optional_textarea, page, page_with_errors, see_other, textarea, unprocessable,
    Field, FormErrors,
};
use super::{AppError, AppState};
use crate::domain::inspiration::{links_text, NewResource, ResourceInput};
use crate::domain::markdown::Markdown;
use crate::storage::inspiration::{self, Resource, SaveOutcome};
use crate::storage::{self, DbConnection};

/// How many resources the index lists at most.
const INDEX_LIMIT: i64 = 200;

pub fn resource_path(id: i64) -> String {
    format!("/inspiration/{id}")
}

/// Resources with the (id, title) of their themes.
pub type ResourcesWithThemes = Vec<(Resource, Vec<(i64, String)>)>;

fn with_themes(conn: &mut DbConnection, resources: Vec<Resource>) -> Result<ResourcesWithThemes, AppError> {
    let ids: Vec<i64> = resources.iter().map(|r| r.id).collect();
    let links = inspiration::themes_of_resources(conn, &ids)?;
    Ok(resources
        .into_iter()
        .map(|r| {
            let themes =
                links.iter().filter(|(rid, _, _)| *rid == r.id).map(|(_, t, title)| (*t, title.clone())).collect();
            (r, themes)
        })
        .collect())
}

/// The resources of one theme with all their themes, for its page.
pub fn resources_of_theme(conn: &mut DbConnection, theme_id: i64) -> Result<ResourcesWithThemes, AppError> {
    let resources = inspiration::list_resources(conn, Some(theme_id), 50)?;
    with_themes(conn, resources)
}

/// A list of resources as cards: title, date, summary and, where asked, their themes.
pub fn resource_cards(resources: &ResourcesWithThemes, heading_level: u8) -> Markup {
    html! {
        ul class="cards" {
            @for (resource, themes) in resources {
                li class="card" {
                    @let link = html! { a href=(resource_path(resource.id)) { (resource.title) } };
                    @if heading_level == 2 { h2 { (link) } } @else { h3 { (link) } }
                    p class="meta" { "Publiée le " (date_fr(resource.created_at)) }
                    p { (resource.summary) }
                    @if !themes.is_empty() {
                        p class="meta" {
                            "Thème" @if themes.len() > 1 { "s" } " : "
                            @for (i, (id, title)) in themes.iter().enumerate() {
                                @if i > 0 { ", " }
                                a href={ "/themes/" (id) } { (title) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct IndexQuery {
    theme: Option<String>,
}

pub async fn index(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<IndexQuery>,
) -> Result<Markup, AppError> {
    let is_admin = ctx.is_admin();
    // An unknown or malformed filter shows everything rather than an error: it comes from a link or the select.
    let theme_filter = query.theme.as_deref().and_then(|t| t.trim().parse::<i64>().ok());
    let (resources, themes) = state
        .db(move |conn| {
            let resources = inspiration::list_resources(conn, theme_filter, INDEX_LIMIT)?;
            Ok((with_themes(conn, resources)?, inspiration::attachable_themes(conn)?))
        })
        .await?;
    let filter_title = theme_filter.and_then(|id| themes.iter().find(|(t, _)| *t == id)).map(|(_, title)| title);
    Ok(page(
        &ctx,
        "Inspiration",
        html! {
            h1 { "Inspiration" }
            p class="lead" {
                "Des expériences, des études et des méthodes que l’agence rassemble pour chaque thème : de quoi nourrir "
                "les positionnements des collectivités et le travail des projets partagés."
            }
            (super::resources::resources_nav())
            @if is_admin { p { a class="button" href="/inspiration/nouvelle" { "Publier une ressource" } } }
            form class="search" method="get" action="/inspiration" role="search" aria-label="Filtrer les ressources" {
                div class="field" {
                    label for="theme" { "Thème" }
                    select id="theme" name="theme" {
                        option value="" { "Tous les thèmes" }
                        @for (id, title) in &themes {
                            option value=(id) selected[Some(*id) == theme_filter] { (title) }
                        }
                    }
                }
                button class="button" type="submit" { "Filtrer" }
            }
            @if let Some(title) = filter_title {
                p role="status" { (resources.len()) " ressource" @if resources.len() > 1 { "s" } " pour le thème « " (title) " ». " a href="/inspiration" { "Voir toutes les ressources" } }
            }
            @if resources.is_empty() {
                p { "Aucune ressource pour l’instant." }
            } @else {
                (resource_cards(&resources, 2))
            }
        },
    ))
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let id = id.into_inner();
    let is_admin = ctx.is_admin();
    let (resource, themes) = state
        .db(move |conn| {
            let resource = inspiration::find_resource(conn, id)?.ok_or(AppError::NotFound)?;
            let themes = inspiration::themes_of_resources(conn, &[id])?;
            Ok((resource, themes.into_iter().map(|(_, t, title)| (t, title)).collect::<Vec<_>>()))
        })
        .await?;
    let links = resource.links();
    Ok(page(
        &ctx,
        &resource.title,
        html! {
            p class="breadcrumb" { a href="/inspiration" { "Inspiration" } " › " (resource.title) }
            h1 { (resource.title) }
            p class="meta" {
                "Publiée le " (date_fr(resource.created_at))
                @if resource.updated_at.date() != resource.created_at.date() { ", mise à jour le " (date_fr(resource.updated_at)) }
            }
            @if is_admin { p { a class="button secondary" href={ (resource_path(resource.id)) "/modifier" } { "Modifier ou supprimer" } } }
            p class="lead" { (resource.summary) }
            @if !resource.body.is_empty() { div class="markdown" { (Markdown(&resource.body)) } }
            @if !links.is_empty() {
                h2 { "Pour aller plus loin" }
                ul { @for link in &links { li { a href=(link.url) { (link.label) } } } }
            }
            h2 { "Thèmes" }
            ul { @for (id, title) in &themes { li { a href={ "/themes/" (id) } { (title) } } } }
        },
    ))
}

/// The resource form as typed: single fields, and the values of every ticked theme box.
#[derive(Default)]
pub struct ResourceForm {
    title: String,
    summary: String,
    body: String,
    links: String,
    theme_ids: Vec<String>,
}

impl ResourceForm {
    /// From the raw form body: the theme boxes send the same name several times, which a struct extractor refuses.
    fn decode(body: &[u8]) -> Result<ResourceForm, AppError> {
        let fields = decode_form(body)
            .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
        let mut form = ResourceForm::default();
        for (key, value) in fields {
            match key.as_str() {
                "title" => form.title = value,
                "summary" => form.summary = value,
                "body" => form.body = value,
                "links" => form.links = value,
                "theme_ids" => form.theme_ids.push(value),
                _ => {}
            }
        }
        Ok(form)
    }

    fn of(resource: &Resource, theme_ids: Vec<i64>) -> ResourceForm {
        ResourceForm {
            title: resource.title.clone(),
            summary: resource.summary.clone(),
            body: resource.body.clone(),
            links: links_text(&resource.links()),
            theme_ids: theme_ids.iter().map(i64::to_string).collect(),
        }
    }

    fn parse(&self) -> Result<NewResource, FormErrors> {
        NewResource::parse(&ResourceInput {
            title: &self.title,
            summary: &self.summary,
            body: &self.body,
            links: &self.links,
            theme_ids: &self.theme_ids,
        })
        .map_err(FormErrors::from)
    }
}

/// The form to publish (`editing` is None) or edit a resource.
fn form_page(
    ctx: &PageCtx,
    editing: Option<&Resource>,
    themes: &[(i64, String)],
    form: &ResourceForm,
    errors: &FormErrors,
) -> Markup {
    let title = if editing.is_some() { "Modifier une ressource" } else { "Publier une ressource d’inspiration" };
    let action = editing.map_or("/inspiration".to_owned(), |r| resource_path(r.id));
    let choices: Vec<(String, String)> = themes.iter().map(|(id, t)| (id.to_string(), t.clone())).collect();
    page_with_errors(
        ctx,
        title,
        errors,
        html! {
            p class="breadcrumb" {
                a href="/inspiration" { "Inspiration" }
                @if let Some(r) = editing { " › " a href=(resource_path(r.id)) { (r.title) } }
            }
            h1 { (title) }
            (errors.summary())
            form class="form" method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (Field::new("title", "Titre").value(&form.title).render(errors))
                (textarea("summary", "Résumé", &form.summary, "Deux ou trois phrases, montrées dans les listes (600 caractères au plus).", errors))
                (optional_textarea("body", "Texte (Markdown accepté)", &form.body, "Titres avec ##, listes avec -, liens [texte](https://…). Les images deviennent des liens.", errors))
                (optional_textarea("links", "Liens", &form.links, "Un lien par ligne : l’adresse, puis un espace et le libellé. Exemple : https://agence-cohesion-territoires.gouv.fr Le site de l’ANCT", errors))
                @if choices.is_empty() {
                    p class="notice notice-error" { "Aucun thème publié : publiez d’abord un thème, puis rattachez-y la ressource." }
                } @else {
                    (checkbox_group("theme_ids", "Thèmes qu’elle nourrit (au moins un)", &choices, &form.theme_ids, errors))
                }
                button class="button" type="submit" { @if editing.is_some() { "Enregistrer" } @else { "Publier" } }
            }
            @if let Some(resource) = editing {
                section aria-labelledby="supprimer" {
                    h2 id="supprimer" { "Supprimer la ressource" }
                    p { "Elle disparaît des pages publiques et des thèmes. Cette action est définitive." }
                    form class="form" method="post" action={ (resource_path(resource.id)) "/suppression" } {
                        (csrf_field(ctx))
                        div class="choice" {
                            input type="checkbox" name="confirm" id="confirm" value="oui" required;
                            label for="confirm" { "Je confirme la suppression de « " (resource.title) " »" }
                        }
                        button class="button danger" type="submit" { "Supprimer" }
                    }
                }
            }
        },
    )
}

async fn attachable_themes(state: &AppState) -> Result<Vec<(i64, String)>, AppError> {
    state.db(|conn| Ok(inspiration::attachable_themes(conn)?)).await
}

#[derive(Deserialize)]
pub struct NewFormQuery {
    theme: Option<String>,
}

pub async fn new_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<NewFormQuery>,
) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let themes = attachable_themes(&state).await?;
    // Coming from a theme's page, its box is ticked already.
    let form = ResourceForm { theme_ids: query.theme.iter().cloned().collect(), ..ResourceForm::default() };
    Ok(form_page(&ctx, None, &themes, &form, &FormErrors::default()))
}

const UNKNOWN_THEME: &str =
    "Un des thèmes choisis n’existe plus ou n’est pas publié : rechargez la liste et choisissez à nouveau.";

pub async fn create(ctx: PageCtx, state: web::Data<AppState>, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let admin_id = ctx.require_admin()?.id;
    let form = ResourceForm::decode(&body)?;
    let themes = attachable_themes(&state).await?;
    let resource = match form.parse() {
        Ok(resource) => resource,
        Err(errors) => return Ok(unprocessable(form_page(&ctx, None, &themes, &form, &errors))),
    };
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(inspiration::insert_resource(conn, &resource, admin_id)?)
            })
        })
        .await?;
    match outcome {
        SaveOutcome::Saved(id) => {
            ctx.set_flash("Ressource publiée.");
            Ok(see_other(&resource_path(id)))
        }
        SaveOutcome::UnknownTheme => {
            let mut errors = FormErrors::default();
            errors.add("theme_ids", UNKNOWN_THEME);
            Ok(unprocessable(form_page(&ctx, None, &themes, &form, &errors)))
        }
    }
}

pub async fn edit_form(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let id = id.into_inner();
    let (resource, theme_ids, themes) = state
        .db(move |conn| {
            let resource = inspiration::find_resource(conn, id)?.ok_or(AppError::NotFound)?;
            let theme_ids = inspiration::themes_of_resources(conn, &[id])?.into_iter().map(|(_, t, _)| t).collect();
            Ok((resource, theme_ids, inspiration::attachable_themes(conn)?))
        })
        .await?;
    let form = ResourceForm::of(&resource, theme_ids);
    Ok(form_page(&ctx, Some(&resource), &themes, &form, &FormErrors::default()))
}

pub async fn update(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let admin_id = ctx.require_admin()?.id;
    let id = id.into_inner();
    let form = ResourceForm::decode(&body)?;
    let (existing, themes) = state
        .db(move |conn| {
            let existing = inspiration::find_resource(conn, id)?.ok_or(AppError::NotFound)?;
            Ok((existing, inspiration::attachable_themes(conn)?))
        })
        .await?;
    let resource = match form.parse() {
        Ok(resource) => resource,
        Err(errors) => return Ok(unprocessable(form_page(&ctx, Some(&existing), &themes, &form, &errors))),
    };
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(inspiration::update_resource(conn, id, &resource, admin_id)?)
            })
        })
        .await?;
    match outcome {
        Some(SaveOutcome::Saved(id)) => {
            ctx.set_flash("Ressource enregistrée.");
            Ok(see_other(&resource_path(id)))
        }
        Some(SaveOutcome::UnknownTheme) => {
            let mut errors = FormErrors::default();
            errors.add("theme_ids", UNKNOWN_THEME);
            Ok(unprocessable(form_page(&ctx, Some(&existing), &themes, &form, &errors)))
        }
        None => Err(AppError::NotFound),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    confirm: String,
}

pub async fn delete(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let admin_id = ctx.require_admin()?.id;
    let id = id.into_inner();
    if form.confirm != "oui" {
        return Err(AppError::BadRequest(
            "Cochez la case de confirmation pour supprimer la ressource ; rien n’a été supprimé.".into(),
        ));
    }
    let deleted = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(inspiration::delete_resource(conn, id, admin_id)?)
            })
        })
        .await?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    ctx.set_flash("Ressource supprimée.");
    Ok(see_other("/inspiration"))
}
