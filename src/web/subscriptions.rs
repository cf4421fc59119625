//! A person's e-mail subscriptions: how often each project's digest comes (immediately, daily, weekly on a chosen
//! day, never), reachable from every digest; and the one-click unsubscribe link of every digest, which works
//! without logging in (its signature is the proof) and answers the `List-Unsubscribe-Post` of mail clients
//! (RFC 8058).

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::context::PageCtx;
use super::views::{csrf_field, page, see_other};
use super::{AppError, AppState};
use crate::domain::digest::{weekday_name, Frequency, WEEKDAYS};
use crate::security::verify_signature;
use crate::storage::subscriptions::{find_subscription, set_frequency, subscribe_members, subscriptions_of_user};
use crate::storage::write_transaction;

const PATH: &str = "/abonnements";

pub async fn show(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    let user_id = ctx.require_user()?.id;
    // Members of enrolled collectivities find their default subscriptions here even before the first digest.
    let subscriptions = state
        .db(move |conn| {
            write_transaction(conn, |conn| Ok::<_, AppError>(subscribe_members(conn)?))?;
            Ok(subscriptions_of_user(conn, user_id)?)
        })
        .await?;
    Ok(page(
        &ctx,
        "Mes abonnements",
        html! {
            h1 { "Mes abonnements" }
            p { "Les projets que vous suivez par courriel : les nouvelles (changements de phase, actualités, rendez-vous, diagnostic…) arrivent en un récapitulatif, au plus " (crate::domain::digest::CAP) " par courriel, jamais deux fois la même, et rien quand rien ne s’est passé. Les récapitulatifs partent à " (state.config.digest_hour) " h (heure de Paris)." }
            @if subscriptions.is_empty() {
                p { "Vous ne suivez aucun projet : les membres des collectivités inscrites à un projet le suivent d’office." }
            }
            @for (subscription, title) in &subscriptions {
                @let legend_id = format!("abonnement-{}", subscription.id);
                form class="card form" method="post" action={ (PATH) "/" (subscription.id) } {
                    (csrf_field(&ctx))
                    fieldset class="field" aria-labelledby=(legend_id) {
                        legend id=(legend_id) { (title) }
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

pub async fn change(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = ctx.require_user()?.id;
    let frequency = Frequency::parse(&form.frequency)
        .ok_or_else(|| AppError::BadRequest("Choisissez la fréquence des courriels.".into()))?;
    let weekday = form.weekday.parse::<i32>().ok().filter(|d| (1..=7).contains(d)).unwrap_or(1);
    let id = id.into_inner();
    let changed = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                Ok::<_, AppError>(set_frequency(conn, id, Some(user_id), frequency, weekday)?)
            })
        })
        .await?;
    if !changed {
        return Err(AppError::NotFound);
    }
    ctx.set_flash(&match frequency {
        Frequency::Weekly => format!("Enregistré : un récapitulatif chaque {}.", weekday_name(weekday as u32)),
        Frequency::Off => "Enregistré : vous ne recevrez plus de courriels de ce projet.".into(),
        other => format!("Enregistré : {}.", other.label().to_lowercase()),
    });
    Ok(see_other(PATH))
}

/// The subscription a signed link names, or a French "link not valid".
async fn signed(state: &AppState, id: i64, signature: &str) -> Result<(), AppError> {
    let valid = verify_signature(&state.link_key, &format!("desabonnement:{id}"), signature);
    let exists = valid && state.db(move |conn| Ok(find_subscription(conn, id)?)).await?.is_some();
    if exists {
        Ok(())
    } else {
        Err(AppError::Gone("Ce lien de désabonnement n’est pas valide : utilisez celui du dernier courriel reçu, ou la page « Mes abonnements ».".into()))
    }
}

pub async fn unsubscribe_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Markup, AppError> {
    let (id, signature) = path.into_inner();
    signed(&state, id, &signature).await?;
    Ok(page(
        &ctx,
        "Se désabonner",
        html! {
            h1 { "Se désabonner" }
            p { "Vous ne recevrez plus les récapitulatifs de ce projet. Vous pourrez vous réabonner depuis « Mes abonnements »." }
            // Signed link: no session needed, hence no form token (the signature is the proof).
            form method="post" action={ "/desabonnement/" (id) "/" (signature) } {
                button class="button" type="submit" { "Ne plus recevoir ces courriels" }
            }
        },
    ))
}

/// Stops a subscription: from the page's button, or from a mail client's one-click `POST` (RFC 8058).
pub async fn unsubscribe(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<Markup, AppError> {
    let (id, signature) = path.into_inner();
    signed(&state, id, &signature).await?;
    state
        .db(move |conn| {
            write_transaction(conn, |conn| Ok::<_, AppError>(set_frequency(conn, id, None, Frequency::Off, 1)?))
        })
        .await?;
    Ok(page(
        &ctx,
        "Désabonnement enregistré",
        html! {
            h1 { "Désabonnement enregistré" }
            p role="status" { "C’est fait : vous ne recevrez plus les récapitulatifs de ce projet." }
            p { a href=(PATH) { "Mes abonnements" } " (connexion nécessaire) pour changer d’avis ou choisir une autre fréquence." }
        },
    ))
}
