//! Following projects and themes by e-mail. A person chooses, per subscription, how often its news come
//! (immediately, daily, weekly on a chosen day, never): on « Mes abonnements » when logged in, or on the page every
//! digest links to, signed, without logging in. Anyone may follow a public project or theme with an e-mail address:
//! nothing is sent until the address confirms (double opt-in). Every digest's one-click link stops them all
//! (RFC 8058 `List-Unsubscribe-Post` too), and its web version reads in the browser.

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;

use super::auth::client_address;
use super::context::PageCtx;
use super::views::{csrf_field, html_response, page, page_with_errors, see_other, Field, FormErrors};
use super::{AppError, AppState};
use crate::domain::account::EmailAddress;
use crate::domain::digest::{weekday_name, Frequency, WEEKDAYS};
use crate::mail::links::Signed;
use crate::mail::messages::{content_of, subscription_confirmation};
use crate::mail::queue;
use crate::storage::outbox::find_by_key;
use crate::storage::subscriptions::{
    confirm, find_subscriber, find_subscription, follow_with_account, public_title, request_subscription,
    set_frequency, stop_all, subscriber_of_user, subscriptions_of_subscriber, subscriptions_of_user, target_title,
    Request, Subscriber, Subscription, Target,
};
use crate::storage::{now, write_transaction};

const PATH: &str = "/abonnements";

/// Requests to follow with an address, per network address and hour: enough for a family or a town hall's shared
/// computer, too few to flood someone's mailbox with confirmation messages.
pub const FOLLOW_REQUESTS_PER_HOUR: u32 = 10;

fn introduction(state: &AppState) -> Markup {
    html! {
        p { "Les nouvelles (changements de phase, actualités, rendez-vous avec leur fichier d’agenda, diagnostic, thèmes…) arrivent en un seul récapitulatif par jour au plus, qui regroupe tout ce que vous suivez : " (crate::domain::digest::CAP) " nouvelles au plus par courriel, jamais deux fois la même, et rien quand rien ne s’est passé. Les récapitulatifs partent à " (state.config.digest_hour) " h (heure de Paris)." }
    }
}

/// One form per subscription; each posts to `action(subscription)`.
fn subscription_forms(
    ctx: &PageCtx,
    subscriptions: &[(Subscription, String)],
    action: impl Fn(i64) -> String,
) -> Markup {
    html! {
        @for (subscription, title) in subscriptions {
            @let legend_id = format!("abonnement-{}", subscription.id);
            form class="card form" method="post" action=(action(subscription.id)) {
                (csrf_field(ctx))
                fieldset class="field" aria-labelledby=(legend_id) {
                    legend id=(legend_id) { a href=(subscription.target().path()) { (title) } }
                    @for frequency in Frequency::ALL {
                        @let id = format!("frequence-{}-{}", subscription.id, frequency.code());
                        div class="choice" {
                            input type="radio" name="frequency" id=(id) value=(frequency.code()) checked[subscription.frequency() == frequency];
                            label for=(id) { (frequency.label()) }
                        }
                    }
                }
                div class="field" {
                    label for={ "jour-" (subscription.id) } { "Jour du récapitulatif hebdomadaire" }
                    select id={ "jour-" (subscription.id) } name="weekday" {
                        @for (i, day) in WEEKDAYS.iter().enumerate() {
                            option value=(i + 1) selected[subscription.weekday == i as i32 + 1] { (day) }
                        }
                    }
                }
                button class="button" type="submit" { "Enregistrer" span class="visually-hidden" { " pour " (title) } }
            }
        }
    }
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    let user_id = ctx.require_user()?.id;
    let subscriptions = state.db(move |conn| Ok(subscriptions_of_user(conn, user_id)?)).await?;
    Ok(page(
        &ctx,
        "Mes abonnements",
        html! {
            h1 { "Mes abonnements" }
            (introduction(&state))
            @if subscriptions.is_empty() {
                p { "Vous ne suivez rien par courriel. Les membres des collectivités inscrites à un projet le suivent d’office ; chaque page de projet et de thème propose aussi de le suivre." }
            }
            (subscription_forms(&ctx, &subscriptions, |id| format!("{PATH}/{id}")))
        },
    ))
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    weekday: String,
}

impl ChangeForm {
    fn parse(&self) -> Result<(Frequency, i32), AppError> {
        let frequency = Frequency::parse(&self.frequency)
            .ok_or_else(|| AppError::BadRequest("Choisissez la fréquence des courriels.".into()))?;
        Ok((frequency, self.weekday.parse::<i32>().ok().filter(|d| (1..=7).contains(d)).unwrap_or(1)))
    }
}

/// Changes one of a subscriber's subscriptions and says what was recorded.
async fn change_subscription(
    ctx: &PageCtx,
    state: &AppState,
    subscriber: impl FnOnce(&mut crate::storage::DbConnection) -> Result<i64, AppError> + Send + 'static,
    id: i64,
    form: &ChangeForm,
) -> Result<(), AppError> {
    let (frequency, weekday) = form.parse()?;
    let changed = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let subscriber = subscriber(conn)?;
                Ok::<_, AppError>(set_frequency(conn, id, subscriber, frequency, weekday)?)
            })
        })
        .await?;
    if !changed {
        return Err(AppError::NotFound);
    }
    ctx.set_flash(&match frequency {
        Frequency::Weekly => format!("Enregistré : un récapitulatif chaque {}.", weekday_name(weekday as u32)),
        Frequency::Off => "Enregistré : vous ne recevrez plus de courriels sur ce sujet.".into(),
        other => format!("Enregistré : {}.", other.label().to_lowercase()),
    });
    Ok(())
}

pub async fn change(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = ctx.require_user()?.id;
    change_subscription(&ctx, &state, move |conn| Ok(subscriber_of_user(conn, user_id)?), id.into_inner(), &form)
        .await?;
    Ok(see_other(PATH))
}

/// The subscriber a signed link names, or a French "link not valid".
async fn signed_subscriber(
    state: &AppState,
    link: fn(i64) -> Signed<'static>,
    id: i64,
    signature: &str,
) -> Result<Subscriber, AppError> {
    let subscriber = if link(id).verify(&state.link_key, signature) {
        state.db(move |conn| Ok(find_subscriber(conn, id)?)).await?
    } else {
        None
    };
    subscriber.ok_or_else(|| {
        AppError::Gone("Ce lien n’est pas valide : utilisez celui du dernier courriel reçu, ou la page « Mes abonnements » une fois connecté.".into())
    })
}

pub async fn preferences(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Markup, AppError> {
    let (id, signature) = path.into_inner();
    signed_subscriber(&state, Signed::Preferences, id, &signature).await?;
    let subscriptions = state.db(move |conn| Ok(subscriptions_of_subscriber(conn, id)?)).await?;
    let here = Signed::Preferences(id).path(&state.link_key);
    Ok(page(
        &ctx,
        "Vos abonnements",
        html! {
            h1 { "Vos abonnements" }
            (introduction(&state))
            p { "Cette page s’ouvre depuis vos courriels, sans connexion : ne transférez pas ces courriels." }
            @if subscriptions.is_empty() { p { "Vous ne suivez plus rien par courriel." } }
            (subscription_forms(&ctx, &subscriptions, |subscription| format!("{here}/{subscription}")))
            p { a href=(Signed::Unsubscribe(id).path(&state.link_key)) { "Ne plus recevoir aucun récapitulatif" } }
        },
    ))
}

pub async fn change_signed(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String, i64)>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    let (id, signature, subscription) = path.into_inner();
    signed_subscriber(&state, Signed::Preferences, id, &signature).await?;
    change_subscription(&ctx, &state, move |_| Ok(id), subscription, &form).await?;
    Ok(see_other(&Signed::Preferences(id).path(&state.link_key)))
}

pub async fn unsubscribe_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Markup, AppError> {
    let (id, signature) = path.into_inner();
    signed_subscriber(&state, Signed::Unsubscribe, id, &signature).await?;
    Ok(page(
        &ctx,
        "Se désabonner",
        html! {
            h1 { "Se désabonner" }
            p { "Vous ne recevrez plus aucun récapitulatif : ni des projets, ni des thèmes que vous suivez." }
            // Signed link: no session needed, hence no form token (the signature is the proof).
            form method="post" action={ "/desabonnement/" (id) "/" (signature) } {
                button class="button" type="submit" { "Ne plus recevoir ces courriels" }
            }
            p { "Pour ne changer qu’un abonnement ou sa fréquence : " a href=(Signed::Preferences(id).path(&state.link_key)) { "vos abonnements" } "." }
        },
    ))
}

/// Stops every digest of a subscriber: from the page's button, or from a mail client's one-click `POST`
/// (RFC 8058).
pub async fn unsubscribe(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Markup, AppError> {
    let (id, signature) = path.into_inner();
    let subscriber = signed_subscriber(&state, Signed::Unsubscribe, id, &signature).await?;
    let has_account = subscriber.user_id.is_some();
    state.db(move |conn| write_transaction(conn, |conn| Ok::<_, AppError>(stop_all(conn, &subscriber)?))).await?;
    Ok(page(
        &ctx,
        "Désabonnement enregistré",
        html! {
            h1 { "Désabonnement enregistré" }
            @if has_account {
                p role="status" { "C’est fait : vous ne recevrez plus aucun récapitulatif." }
                p { a href=(PATH) { "Mes abonnements" } " (connexion nécessaire) pour changer d’avis ou choisir une autre fréquence." }
            } @else {
                p role="status" { "C’est fait : vous ne recevrez plus aucun récapitulatif, et votre adresse est effacée de la plateforme." }
                p { "Pour suivre à nouveau un projet ou un thème, utilisez le lien « Suivre par courriel » de sa page." }
            }
        },
    ))
}

fn follow_page(ctx: &PageCtx, target: Target, title: &str, email: &str, errors: &FormErrors) -> Markup {
    let path = format!("{}/suivre", target.path());
    page_with_errors(
        ctx,
        &format!("Suivre par courriel — {title}"),
        errors,
        html! {
            p class="breadcrumb" { a href=(target.path()) { (title) } " › Suivre par courriel" }
            h1 { "Suivre par courriel : " (title) }
            p {
                @if target == Target::AllThemes { "Vous recevrez les nouveaux thèmes ouverts aux positionnements et ceux retenus pour un projet" }
                @else { "Vous recevrez ses nouvelles (changements de phase, actualités, rendez-vous, décisions)" }
                " en un récapitulatif par semaine, le lundi ; vous pourrez choisir une autre fréquence ou arrêter depuis chaque courriel."
            }
            (errors.summary())
            form class="form" method="post" action=(path) novalidate {
                (csrf_field(ctx))
                @if let Some(user) = &ctx.user {
                    p { "Les courriels iront à votre adresse : " strong { (user.email) } "." }
                } @else {
                    (Field::new("email", "Votre adresse électronique").kind("email").autocomplete("email").value(email)
                        .hint("Vous recevrez d’abord un courriel pour confirmer : rien n’est envoyé sans cette confirmation.").render(errors))
                    p class="hint" { "Votre adresse ne sert qu’à ces courriels ; elle est effacée quand vous vous désabonnez, ou au bout de sept jours sans confirmation. " a href="/donnees-personnelles" { "Données personnelles" } }
                }
                button class="button" type="submit" { "Suivre par courriel" }
            }
        },
    )
}

pub async fn follow_project_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<Markup, AppError> {
    follow_form(ctx, state, Target::Project(id.into_inner())).await
}

pub async fn follow_theme_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<Markup, AppError> {
    follow_form(ctx, state, Target::Theme(id.into_inner())).await
}

pub async fn follow_themes_form(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    follow_form(ctx, state, Target::AllThemes).await
}

async fn follow_form(ctx: PageCtx, state: web::Data<AppState>, target: Target) -> Result<Markup, AppError> {
    let title = state.db(move |conn| public_title(conn, target)?.ok_or(AppError::NotFound)).await?;
    Ok(follow_page(&ctx, target, &title, "", &FormErrors::default()))
}

#[derive(Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    email: String,
}

pub async fn follow_project(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<FollowForm>,
) -> Result<HttpResponse, AppError> {
    follow(ctx, &req, state, Target::Project(id.into_inner()), form.into_inner()).await
}

pub async fn follow_theme(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<FollowForm>,
) -> Result<HttpResponse, AppError> {
    follow(ctx, &req, state, Target::Theme(id.into_inner()), form.into_inner()).await
}

pub async fn follow_themes(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<FollowForm>,
) -> Result<HttpResponse, AppError> {
    follow(ctx, &req, state, Target::AllThemes, form.into_inner()).await
}

/// A logged-in person follows at once (their address is known); an address gets a confirmation message first.
async fn follow(
    ctx: PageCtx,
    req: &HttpRequest,
    state: web::Data<AppState>,
    target: Target,
    form: FollowForm,
) -> Result<HttpResponse, AppError> {
    let title = state.db(move |conn| public_title(conn, target)?.ok_or(AppError::NotFound)).await?;
    if let Some(user) = &ctx.user {
        let user_id = user.id;
        state
            .db(move |conn| {
                write_transaction(conn, |conn| Ok::<_, AppError>(follow_with_account(conn, user_id, target)?))
            })
            .await?;
        ctx.set_flash(&format!("Vous suivez « {title} » par courriel : choisissez ici la fréquence."));
        return Ok(see_other(PATH));
    }
    let refused = |status: StatusCode, message: String| {
        let mut errors = FormErrors::default();
        errors.add("email", message);
        html_response(status, follow_page(&ctx, target, &title, &form.email, &errors))
    };
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => email,
        Err(message) => return Ok(refused(StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    if !state.follow_limiter.allow(&client_address(req, &state), Instant::now()) {
        let message = "Trop de demandes d’abonnement depuis votre connexion : réessayez dans une heure.";
        return Ok(refused(StatusCode::TOO_MANY_REQUESTS, message.into()));
    }
    let (key, base_url) = (state.link_key.clone(), state.config.base_url.clone());
    let mail_title = title.clone();
    state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                // Whether the address already follows it is not told: the page is the same for everyone.
                if let Request::Pending(subscription) = request_subscription(conn, email.as_str(), target)? {
                    let link = format!("{base_url}{}", Signed::Confirmation(subscription).path(&key));
                    let mail = subscription_confirmation(email.as_str(), &mail_title, &link);
                    // One confirmation message per subscription and day, however often the form is sent.
                    let idempotency_key = format!("confirmation:{subscription}:{}", now().date());
                    queue(conn, &idempotency_key, "confirmation", &mail, None)?;
                }
                Ok::<_, AppError>(())
            })
        })
        .await?;
    ctx.set_flash(&format!(
        "Presque fini : un courriel vient d’être envoyé à {}. Ouvrez-le et confirmez pour suivre « {title} ».",
        form.email.trim()
    ));
    Ok(see_other(&target.path()))
}

/// The subscription a confirmation link names, with the title of what it follows.
async fn signed_confirmation(state: &AppState, id: i64, signature: &str) -> Result<(Subscription, String), AppError> {
    let found = if Signed::Confirmation(id).verify(&state.link_key, signature) {
        state
            .db(move |conn| {
                let Some(subscription) = find_subscription(conn, id)? else { return Ok(None) };
                let title = target_title(conn, subscription.target())?;
                Ok(Some((subscription, title)))
            })
            .await?
    } else {
        None
    };
    found.ok_or_else(|| {
        AppError::Gone("Ce lien de confirmation n’est pas valide ou a expiré (sept jours) : demandez à nouveau à suivre depuis la page du projet ou du thème.".into())
    })
}

pub async fn confirmation_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Markup, AppError> {
    let (id, signature) = path.into_inner();
    let (_, title) = signed_confirmation(&state, id, &signature).await?;
    // Confirming takes a click: mail scanners that open links do not subscribe anyone.
    Ok(page(
        &ctx,
        "Confirmer l’abonnement",
        html! {
            h1 { "Confirmer l’abonnement" }
            p { "Recevoir par courriel les nouvelles de « " (title) " »." }
            form method="post" action={ "/confirmation-abonnement/" (id) "/" (signature) } {
                (csrf_field(&ctx))
                button class="button" type="submit" { "Confirmer" }
            }
        },
    ))
}

pub async fn confirmation(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Markup, AppError> {
    let (id, signature) = path.into_inner();
    let (subscription, title) = signed_confirmation(&state, id, &signature).await?;
    state.db(move |conn| write_transaction(conn, |conn| Ok::<_, AppError>(confirm(conn, id)?))).await?;
    let preferences = Signed::Preferences(subscription.subscriber_id).path(&state.link_key);
    Ok(page(
        &ctx,
        "Abonnement confirmé",
        html! {
            h1 { "Abonnement confirmé" }
            p role="status" { "C’est fait : vous suivez « " (title) " ». Le premier récapitulatif partira le lundi qui suit ses prochaines nouvelles." }
            p { a href=(preferences) { "Choisir une autre fréquence" } " · " a href=(subscription.target().path()) { (title) } }
        },
    ))
}

/// A signed link's signature checked, or the French refusal every such link gives.
fn verify(state: &AppState, signed: Signed, signature: &str) -> Result<(), AppError> {
    if signed.verify(&state.link_key, signature) {
        Ok(())
    } else {
        Err(AppError::Gone("Ce lien n’est pas valide : utilisez celui du courriel reçu.".into()))
    }
}

/// The page a one-click link opens: what its button will do. Signed link: no session needed, hence no form token
/// (the signature is the proof); a mail client posts to the same address (RFC 8058).
fn one_click_page(
    ctx: &PageCtx,
    (title, heading): (&str, &str),
    explanation: &str,
    action: &str,
    button: &str,
) -> Markup {
    page(
        ctx,
        title,
        html! {
            h1 { (heading) }
            p { (explanation) }
            form method="post" action=(action) {
                button class="button" type="submit" { (button) }
            }
        },
    )
}

/// What a one-click link did.
fn done_page(ctx: &PageCtx, title: &str, text: &str) -> Markup {
    page(ctx, title, html! { h1 { (title) } p role="status" { (text) } })
}

/// The one-click link of a restitution's message: what it will do, and its button.
pub async fn forget_address_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<Markup, AppError> {
    let (digest, signature) = path.into_inner();
    verify(&state, Signed::ForgetAddress(&digest), &signature)?;
    Ok(one_click_page(
        &ctx,
        ("Effacer mon adresse", "Effacer mon adresse"),
        "Votre adresse a été effacée après l’envoi du message qui vous a conduit ici. Si vous l’avez laissée sur \
         d’autres questionnaires pour être tenu·e au courant, ce bouton l’efface aussi de ceux-là : vous ne recevrez \
         plus rien.",
        &format!("/oubli/{digest}/{signature}"),
        "Effacer mon adresse partout",
    ))
}

/// Forgets, everywhere, the address a restitution's message went to: from the page's button, or from a mail
/// client's one-click `POST` (RFC 8058).
pub async fn forget_address(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<Markup, AppError> {
    let (digest, signature) = path.into_inner();
    verify(&state, Signed::ForgetAddress(&digest), &signature)?;
    let key = state.link_key.clone();
    state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                Ok::<_, AppError>(crate::jobs::restitutions::forget_address(conn, &digest, &key)?)
            })
        })
        .await?;
    Ok(done_page(
        &ctx,
        "Adresse effacée",
        "C’est fait : votre adresse n’est plus enregistrée nulle part sur la plateforme, et vous ne recevrez plus rien.",
    ))
}

/// The one-click link of a notice of new messages: what it will do, and its button.
pub async fn stop_following_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Markup, AppError> {
    let (id, signature) = path.into_inner();
    verify(&state, Signed::StopFollowing(id), &signature)?;
    Ok(one_click_page(
        &ctx,
        ("Ne plus être prévenu·e", "Ne plus être prévenu·e des nouveaux messages"),
        "Vous ne recevrez plus de courriel pour les nouveaux messages de cet espace d’échange. Vous pourrez changer \
         d’avis depuis sa page.",
        &format!("/echanges/arret/{id}/{signature}"),
        "Ne plus être prévenu·e",
    ))
}

/// Stops the notices of one space: from the page's button, or from a mail client's one-click `POST` (RFC 8058).
pub async fn stop_following(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Markup, AppError> {
    let (id, signature) = path.into_inner();
    verify(&state, Signed::StopFollowing(id), &signature)?;
    state
        .db(move |conn| {
            write_transaction(conn, |conn| Ok::<_, AppError>(crate::storage::threads::stop_following(conn, id)?))
        })
        .await?;
    Ok(done_page(&ctx, "C’est noté", "Vous ne recevrez plus de courriel pour les nouveaux messages de cet espace."))
}

/// A queued message as a web page: the "read in the browser" link of digests.
pub async fn web_version(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<Markup, AppError> {
    let (key, signature) = path.into_inner();
    if !Signed::WebVersion(&key).verify(&state.link_key, &signature) {
        return Err(AppError::Gone("Ce lien n’est pas valide : utilisez celui du courriel reçu.".into()));
    }
    let message = state.db(move |conn| Ok(find_by_key(conn, &key)?)).await?.ok_or(AppError::NotFound)?;
    // The body was written by `mail::messages`, every text in it escaped.
    let body = content_of(&message.html_body);
    Ok(page(
        &ctx,
        &message.subject,
        html! {
            h1 { (message.subject) }
            p class="meta" { "Courriel préparé le " (message.created_at.format("%d/%m/%Y")) }
            @if message.forget_recipient && message.state == "sent" {
                p { "Ce message, écrit pour une seule personne, a été effacé après son envoi, avec son adresse." }
            } @else {
                div class="mail-web-version" { (PreEscaped(body)) }
            }
        },
    ))
}
