//! Logging in and out, and choosing a new password through an e-mailed single-use link.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::TimeDelta;
use maud::{html, Markup};
use serde::Deserialize;

use super::context::PageCtx;
use super::views::{csrf_field, html_response, page, page_with_errors, see_other, unprocessable, Field, FormErrors};
use super::{AppError, AppState};
use crate::domain::account::{EmailAddress, NewPassword, PASSWORD_MIN_CHARS};
use crate::mail::messages;
use crate::security::{decoy_hash, hash_password, random_token, token_digest, verify_password};
use crate::storage::{self, login_failures, password_resets, users};

/// Failures allowed per account, and per client address (a town hall's shared computer must not lock everyone
/// out), within `FAILURE_WINDOW_MINUTES`.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
const FAILURE_RETENTION_HOURS: i64 = 24;
const RESET_VALID_MINUTES: i64 = 60;
const MAX_RESETS_PER_HOUR: i64 = 3;

const WRONG_CREDENTIALS: &str = "Adresse électronique ou mot de passe incorrect.";

/// Only paths of this site are followed after login (no open redirect).
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n,
        _ => "/",
    }
}

pub fn client_address(req: &HttpRequest, state: &AppState) -> String {
    let info = req.connection_info();
    let address = if state.config.trust_proxy { info.realip_remote_addr() } else { info.peer_addr() };
    address.unwrap_or("inconnue").to_owned()
}

#[derive(Deserialize)]
pub struct NextQuery {
    suivant: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    suivant: Option<String>,
}

fn login_page(ctx: &PageCtx, email: &str, next: &str, errors: &FormErrors, throttled: bool) -> Markup {
    page_with_errors(
        ctx,
        "Connexion",
        errors,
        html! {
            h1 { "Connexion" }
            @if throttled {
                div class="notice notice-error" role="alert" {
                    p { "Trop de tentatives de connexion ont échoué. Par sécurité, attendez " (FAILURE_WINDOW_MINUTES) " minutes avant de réessayer, ou "
                        a href="/mot-de-passe-oublie" { "choisissez un nouveau mot de passe" } "." }
                }
            }
            (errors.summary())
            form class="form narrow" method="post" action="/connexion" novalidate {
                (csrf_field(ctx))
                input type="hidden" name="suivant" value=(next);
                (Field::new("email", "Adresse électronique").kind("email").value(email).autocomplete("username").render(errors))
                (Field::new("password", "Mot de passe").kind("password").autocomplete("current-password").render(errors))
                button class="button" type="submit" { "Se connecter" }
            }
            p { a href="/mot-de-passe-oublie" { "Mot de passe oublié ?" } }
            p class="small" { "Pas encore de compte ? Les comptes sont créés sur invitation : demandez au référent de votre collectivité ou à l’agence." }
        },
    )
}

pub async fn login_form(ctx: PageCtx, query: web::Query<NextQuery>) -> HttpResponse {
    if ctx.user.is_some() {
        return see_other(safe_next(query.suivant.as_deref()));
    }
    html_response(
        StatusCode::OK,
        login_page(&ctx, "", safe_next(query.suivant.as_deref()), &FormErrors::default(), false),
    )
}

enum LoginOutcome {
    Throttled,
    Failed,
    Success(users::User),
}

pub async fn login(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let next = safe_next(form.suivant.as_deref()).to_owned();
    // An empty field is missing, not wrong: said so, and no attempt is counted.
    let mut missing = FormErrors::default();
    if form.email.trim().is_empty() {
        missing.add("email", "Indiquez votre adresse électronique : ce champ est obligatoire.");
    }
    if form.password.is_empty() {
        missing.add("password", "Indiquez votre mot de passe : ce champ est obligatoire.");
    }
    if !missing.is_empty() {
        return Ok(unprocessable(login_page(&ctx, form.email.trim(), &next, &missing, false)));
    }
    let email = form.email.trim().to_lowercase();
    let account_key = format!("compte:{email}");
    let address_key = format!("ip:{}", client_address(&req, &state));
    let password = form.password;
    let outcome = state
        .db(move |conn| {
            let now = storage::now();
            let since = now - TimeDelta::minutes(FAILURE_WINDOW_MINUTES);
            if login_failures::count_failures_since(conn, &account_key, since)? >= MAX_FAILURES_PER_ACCOUNT
                || login_failures::count_failures_since(conn, &address_key, since)? >= MAX_FAILURES_PER_ADDRESS
            {
                return Ok(LoginOutcome::Throttled);
            }
            let user = users::find_user_by_email(conn, &email)?;
            let hash = user.as_ref().map_or(decoy_hash(), |u| u.password_hash.as_str());
            let verified = verify_password(&password, hash);
            match user {
                Some(user) if verified => {
                    login_failures::clear_failures(conn, &account_key)?;
                    Ok(LoginOutcome::Success(user))
                }
                _ => {
                    login_failures::record_failure(conn, &[&account_key, &address_key], now)?;
                    // Kept a day at most (see the privacy page); purging here needs no scheduler.
                    login_failures::purge_failures_before(conn, now - TimeDelta::hours(FAILURE_RETENTION_HOURS))?;
                    Ok(LoginOutcome::Failed)
                }
            }
        })
        .await?;
    let email = form.email.trim();
    match outcome {
        LoginOutcome::Success(user) => {
            ctx.log_in(&user)?;
            Ok(see_other(&next))
        }
        LoginOutcome::Failed => {
            // Which of the two is wrong is not said (that would tell who has an account): both are marked.
            let mut errors = FormErrors::default();
            errors.add("email", WRONG_CREDENTIALS);
            errors.add("password", WRONG_CREDENTIALS);
            Ok(unprocessable(login_page(&ctx, email, &next, &errors, false)))
        }
        LoginOutcome::Throttled => Ok(html_response(
            StatusCode::TOO_MANY_REQUESTS,
            login_page(&ctx, email, &next, &FormErrors::default(), true),
        )),
    }
}

pub async fn logout(ctx: PageCtx) -> HttpResponse {
    ctx.log_out();
    see_other("/")
}

#[derive(Deserialize)]
pub struct ForgottenForm {
    email: String,
}

fn forgotten_page(ctx: &PageCtx, email: &str, errors: &FormErrors) -> Markup {
    page_with_errors(
        ctx,
        "Mot de passe oublié",
        errors,
        html! {
            h1 { "Mot de passe oublié" }
            p { "Indiquez l’adresse électronique de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe." }
            (errors.summary())
            form class="form narrow" method="post" action="/mot-de-passe-oublie" novalidate {
                (csrf_field(ctx))
                (Field::new("email", "Adresse électronique").kind("email").value(email).autocomplete("email").render(errors))
                button class="button" type="submit" { "Recevoir le lien" }
            }
        },
    )
}

pub async fn forgotten_form(ctx: PageCtx) -> Markup {
    forgotten_page(&ctx, "", &FormErrors::default())
}

pub async fn forgotten(
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<ForgottenForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let Some(email) = errors.check("email", EmailAddress::parse(&form.email)) else {
        return Ok(unprocessable(forgotten_page(&ctx, &form.email, &errors)));
    };
    let token = random_token();
    let digest = token_digest(&token);
    let recipient = state
        .db(move |conn| {
            let Some(user) = users::find_user_by_email(conn, email.as_str())? else { return Ok(None) };
            let now = storage::now();
            if password_resets::count_resets_since(conn, user.id, now - TimeDelta::hours(1))? >= MAX_RESETS_PER_HOUR {
                return Ok(None);
            }
            password_resets::insert_reset(conn, user.id, &digest, now, now + TimeDelta::minutes(RESET_VALID_MINUTES))?;
            Ok(Some(user))
        })
        .await?;
    if let Some(user) = recipient {
        let link = state.link(&format!("/mot-de-passe/nouveau/{token}"));
        let email = messages::password_reset(&user.email, &user.display_name, &link, RESET_VALID_MINUTES);
        if let Err(e) = state.mailer.send(email).await {
            log::error!("envoi du lien de réinitialisation impossible : {e:#}");
        }
    }
    // The same answer whether or not the address has an account, so the form cannot be used to probe addresses.
    Ok(html_response(
        StatusCode::OK,
        page(
            &ctx,
            "Vérifiez votre messagerie",
            html! {
                h1 { "Vérifiez votre messagerie" }
                p { "Si un compte existe pour cette adresse, un courriel vient de lui être envoyé avec un lien valable " (RESET_VALID_MINUTES) " minutes." }
                p { "Rien reçu après quelques minutes ? Regardez dans les courriers indésirables, puis " a href="/mot-de-passe-oublie" { "refaites une demande" } "." }
            },
        ),
    ))
}

#[derive(Deserialize)]
pub struct ResetForm {
    password: String,
    password_confirmation: String,
}

fn reset_page(ctx: &PageCtx, token: &str, errors: &FormErrors) -> Markup {
    let hint = format!("Au moins {PASSWORD_MIN_CHARS} caractères. Une phrase facile à retenir convient très bien.");
    page_with_errors(
        ctx,
        "Nouveau mot de passe",
        errors,
        html! {
            h1 { "Choisir un nouveau mot de passe" }
            (errors.summary())
            form class="form narrow" method="post" action={ "/mot-de-passe/nouveau/" (token) } novalidate {
                (csrf_field(ctx))
                (Field::new("password", "Nouveau mot de passe").kind("password").hint(&hint).autocomplete("new-password").render(errors))
                (Field::new("password_confirmation", "Confirmation du mot de passe").kind("password").autocomplete("new-password").render(errors))
                button class="button" type="submit" { "Enregistrer le mot de passe" }
            }
        },
    )
}

fn expired_link() -> AppError {
    AppError::Gone(
        "Ce lien n’est plus valable : il a déjà servi ou a expiré. Vous pouvez demander un nouveau lien depuis « Mot de passe oublié ».".into(),
    )
}

pub async fn reset_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<Markup, AppError> {
    let digest = token_digest(&token);
    let usable = state.db(move |conn| Ok(password_resets::find_usable_reset(conn, &digest, storage::now())?)).await?;
    if usable.is_none() {
        return Err(expired_link());
    }
    Ok(reset_page(&ctx, &token, &FormErrors::default()))
}

pub async fn reset(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let Some(password) = errors.check("password", NewPassword::parse(&form.password, &form.password_confirmation))
    else {
        return Ok(unprocessable(reset_page(&ctx, &token, &errors)));
    };
    let hash = web::block(move || hash_password(password.expose()))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::Internal)?;
    let digest = token_digest(&token);
    let changed = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let now = storage::now();
                let Some(reset) = password_resets::find_usable_reset(conn, &digest, now)? else { return Ok(false) };
                if !password_resets::consume_reset(conn, reset.id, now)? {
                    return Ok(false);
                }
                users::update_password(conn, reset.user_id, &hash)?;
                if let Some(user) = users::find_user(conn, reset.user_id)? {
                    login_failures::clear_failures(conn, &format!("compte:{}", user.email))?;
                }
                Ok(true)
            })
        })
        .await?;
    if !changed {
        return Err(expired_link());
    }
    ctx.set_flash("Votre mot de passe a été changé. Connectez-vous avec le nouveau.");
    Ok(see_other("/connexion"))
}
