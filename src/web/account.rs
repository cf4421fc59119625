//! "Mon compte": who I am, where I belong, my name and my password.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::context::PageCtx;
use super::views::{csrf_field, page_with_errors, see_other, unprocessable, Field, FormErrors};
use super::{AppError, AppState};
use crate::domain::account::{DisplayName, NewPassword, PASSWORD_MIN_CHARS};
use crate::security::{hash_password, verify_password};
use crate::storage::collectivities::Membership;
use crate::storage::providers::{providers_of_user, Provider};
use crate::storage::territories::Territory;
use crate::storage::{self, users};

struct Relations {
    memberships: Vec<(Membership, Territory)>,
    providers: Vec<Provider>,
}

/// The person's collectivities (read with them) and providers.
async fn relations(state: &AppState, ctx: &PageCtx) -> Result<Relations, AppError> {
    let user_id = ctx.require_user()?.id;
    let providers = state.db(move |conn| Ok(providers_of_user(conn, user_id)?)).await?;
    Ok(Relations { memberships: ctx.memberships.clone(), providers })
}

fn account_page(
    ctx: &PageCtx,
    relations: &Relations,
    name_value: &str,
    name_errors: &FormErrors,
    password_errors: &FormErrors,
) -> Markup {
    let Some(user) = &ctx.user else { return html! {} };
    let hint = format!("Au moins {PASSWORD_MIN_CHARS} caractères.");
    // One of the page's two forms at most was refused.
    let refused = if name_errors.is_empty() { password_errors } else { name_errors };
    page_with_errors(
        ctx,
        "Mon compte",
        refused,
        html! {
            h1 { "Mon compte" }
            dl class="facts" {
                dt { "Adresse électronique" } dd { (user.email) }
                dt { "Nom" } dd { (user.display_name) }
            }
            h2 { "Mes rôles" }
            ul {
                @if user.is_agency_admin { li { "Administrateur ou administratrice de l’agence" } }
                @for (membership, territory) in &relations.memberships {
                    li {
                        (membership.function().label())
                        @if membership.is_referent { ", référent·e" }
                        " — " a href={ "/territoires/" (territory.kind) "/" (territory.code) } { (territory.name) }
                    }
                }
                @for provider in &relations.providers { li { "Membre du prestataire " (provider.name) } }
                @if !user.is_agency_admin && relations.memberships.is_empty() && relations.providers.is_empty() {
                    li { "Aucun rattachement pour l’instant." }
                }
            }
            h2 { "Mes courriels" }
            p { a href="/abonnements" { "Mes abonnements" } " : les projets que vous suivez par courriel, et à quelle fréquence." }
            h2 id="nom" { "Changer de nom" }
            (name_errors.summary())
            form class="form narrow" method="post" action="/compte/nom" novalidate {
                (csrf_field(ctx))
                (Field::new("display_name", "Nom affiché").value(name_value).autocomplete("name").render(name_errors))
                button class="button" type="submit" { "Enregistrer le nom" }
            }
            h2 id="mot-de-passe" { "Changer de mot de passe" }
            p { "Changer de mot de passe déconnecte vos autres sessions ouvertes (autre ordinateur, téléphone)." }
            (password_errors.summary())
            form class="form narrow" method="post" action="/compte/mot-de-passe" novalidate {
                (csrf_field(ctx))
                (Field::new("current_password", "Mot de passe actuel").kind("password").autocomplete("current-password").render(password_errors))
                (Field::new("password", "Nouveau mot de passe").kind("password").hint(&hint).autocomplete("new-password").render(password_errors))
                (Field::new("password_confirmation", "Confirmation du nouveau mot de passe").kind("password").autocomplete("new-password").render(password_errors))
                button class="button" type="submit" { "Changer le mot de passe" }
            }
        },
    )
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    let user = ctx.require_user()?;
    let relations = relations(&state, &ctx).await?;
    Ok(account_page(&ctx, &relations, &user.display_name, &FormErrors::default(), &FormErrors::default()))
}

#[derive(Deserialize)]
pub struct NameForm {
    display_name: String,
}

pub async fn change_name(
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = ctx.require_user()?.id;
    let mut errors = FormErrors::default();
    let Some(name) = errors.check("display_name", DisplayName::parse(&form.display_name)) else {
        let relations = relations(&state, &ctx).await?;
        let body = account_page(&ctx, &relations, &form.display_name, &errors, &FormErrors::default());
        return Ok(unprocessable(body));
    };
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(users::update_display_name(conn, user_id, name.as_str())?)
            })
        })
        .await?;
    ctx.set_flash("Votre nom a été enregistré.");
    Ok(see_other("/compte"))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    password: String,
    password_confirmation: String,
}

pub async fn change_password(
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let form = form.into_inner();
    let current_hash = user.password_hash.clone();
    let checked = web::block(move || -> anyhow::Result<(bool, Result<String, String>)> {
        let current_ok = verify_password(&form.current_password, &current_hash);
        let new_hash = match NewPassword::parse(&form.password, &form.password_confirmation) {
            Ok(password) => Ok(hash_password(password.expose())?),
            Err(message) => Err(message),
        };
        Ok((current_ok, new_hash))
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::Internal)?;
    let mut errors = FormErrors::default();
    if !checked.0 {
        errors.add("current_password", "Le mot de passe actuel n’est pas le bon.");
    }
    let new_hash = errors.check("password", checked.1);
    let Some(new_hash) = new_hash.filter(|_| errors.is_empty()) else {
        let relations = relations(&state, &ctx).await?;
        let body = account_page(&ctx, &relations, &user.display_name, &FormErrors::default(), &errors);
        return Ok(unprocessable(body));
    };
    let epoch = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(users::update_password(conn, user.id, &new_hash)?)
            })
        })
        .await?;
    ctx.set_epoch(epoch)?;
    ctx.set_flash("Votre mot de passe a été changé. Vos autres sessions sont fermées.");
    Ok(see_other("/compte"))
}
