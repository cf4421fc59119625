//! News of a project ("remontées"): posted by the agency or the provider, for everyone or for the participants.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::{project_and_access, Access};
use super::paths::project_path;
use super::{render_page, Submitted};
use crate::domain::markdown::Markdown;
use crate::domain::project::NewPost;
use crate::storage;
use crate::storage::posts::{self, Post};
use crate::storage::projects::Project;
use crate::web::context::PageCtx;
use crate::web::views::{
    csrf_field, date_fr, page, radio_group, see_other, textarea, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

fn post_path(project_id: i64, post_id: i64) -> String {
    format!("/projets/{project_id}/actualites/{post_id}")
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PostForm {
    title: String,
    body: String,
    visibility: String,
}

const VISIBILITY: [(&str, &str); 2] = [
    ("public", "Tout le monde (page publique du projet)"),
    ("participants", "L’espace de travail seulement (participantes, prestataire, agence)"),
];

/// The news on the project page, and the form to post for the agency and the provider.
pub fn section(
    ctx: &PageCtx,
    project: &Project,
    posts: &[(Post, String)],
    access: &Access,
    submitted: &Submitted,
) -> Markup {
    let empty = PostForm::default();
    let no_errors = FormErrors::default();
    let (form, errors) = match submitted {
        Submitted::Post { form, errors } => (*form, *errors),
        _ => (&empty, &no_errors),
    };
    html! {
        section aria-labelledby="actualites" {
            h2 id="actualites" { "Actualités" }
            @if posts.is_empty() { p { "Aucune actualité pour l’instant." } }
            @for (post, author) in posts {
                article class="card" {
                    h3 { a href=(post_path(project.id, post.id)) { (post.title) } }
                    p class="meta" {
                        (date_fr(post.created_at)) " · " (author)
                        @if !post.is_public { " · " strong { "réservée à l’espace de travail" } }
                    }
                    div class="markdown" { (Markdown(&post.body)) }
                }
            }
            @if access.leads() {
                h3 id="publier" { "Publier une actualité" }
                (errors.summary())
                form class="form" method="post" action={ (project_path(project.id)) "/actualites" } novalidate {
                    (csrf_field(ctx))
                    (Field::new("title", "Titre de l’actualité").value(&form.title).render(errors))
                    (textarea("body", "Texte (Markdown accepté)", &form.body, "Ce qui s’est passé, ce qui vient. Listes avec -, liens [texte](https://…).", errors))
                    (radio_group("visibility", "Qui peut la lire ?", &VISIBILITY, if form.visibility.is_empty() { "public" } else { &form.visibility }, errors))
                    button class="button" type="submit" { "Publier" }
                }
            }
        }
    }
}

pub async fn publish(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<PostForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let id = id.into_inner();
    let (project, access) = project_and_access(&state, &ctx, id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    let post = match NewPost::parse(&form.title, &form.body, &form.visibility) {
        Ok(post) => post,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            let submitted = Submitted::Post { form: &form, errors: &errors };
            return Ok(unprocessable(render_page(&ctx, &state, project.id, submitted).await?));
        }
    };
    let post_id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(posts::insert_post(conn, id, &post, user.id)?))
        })
        .await?;
    ctx.set_flash("Actualité publiée.");
    Ok(see_other(&post_path(id, post_id)))
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, post_id) = path.into_inner();
    let (project, access) = project_and_access(&state, &ctx, project_id).await?;
    let (post, author) =
        state.db(move |conn| Ok(posts::find_post(conn, project_id, post_id)?)).await?.ok_or(AppError::NotFound)?;
    // A participants-only post does not exist for anyone else.
    if !post.is_public && !access.reads_working_space() {
        return Err(AppError::NotFound);
    }
    Ok(page(
        &ctx,
        &post.title,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › Actualités" }
            h1 { (post.title) }
            p class="meta" {
                (date_fr(post.created_at)) " · " (author)
                @if !post.is_public { " · " strong { "réservée à l’espace de travail" } }
            }
            div class="markdown" { (Markdown(&post.body)) }
        },
    ))
}
