//! The outbox as the agency sees it: how many messages are sent, waiting, being sent or given up, the latest ones
//! with their last error, and a button to send a given-up message again once the cause is fixed.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::storage::outbox::{counts_by_state, recent_messages, retry, OutboxMessage};
use crate::storage::write_transaction;
use crate::web::context::PageCtx;
use crate::web::views::{csrf_field, page, scroll_table, see_other};
use crate::web::{AppError, AppState};

const PATH: &str = "/admin/courriels";
/// Messages listed at most.
const SHOWN: i64 = 100;

const STATES: [(&str, &str); 4] =
    [("pending", "En attente"), ("sending", "En cours d’envoi"), ("sent", "Envoyés"), ("failed", "Abandonnés")];

fn state_label(state: &str) -> &'static str {
    STATES.iter().find(|(s, _)| *s == state).map(|(_, l)| *l).unwrap_or("?")
}

#[derive(Deserialize, Default)]
pub struct StateQuery {
    #[serde(default)]
    etat: String,
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, query: web::Query<StateQuery>) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let chosen = STATES.iter().map(|(s, _)| *s).find(|s| *s == query.etat);
    let (counts, messages) =
        state.db(move |conn| Ok((counts_by_state(conn)?, recent_messages(conn, chosen, SHOWN)?))).await?;
    let count = |s: &str| counts.iter().find(|(state, _)| state == s).map_or(0, |(_, n)| *n);
    Ok(page(
        &ctx,
        "File des courriels",
        html! {
            p class="breadcrumb" { a href="/admin" { "Administration" } " › File des courriels" }
            h1 { "File des courriels" }
            p { "Les lettres et les récapitulatifs passent par cette file : chaque message n’y entre qu’une fois, chaque instance l’envoie à tour de rôle, et un échec est retenté de plus en plus tard (1, 2, 4… minutes) avant d’être abandonné au bout de " (crate::jobs::outbox::MAX_ATTEMPTS) " essais." }
            ul class="facts-inline" {
                @for (code, label) in STATES {
                    li { a href={ (PATH) "?etat=" (code) } aria-current=[(chosen == Some(code)).then_some("page")] { strong { (count(code)) } " " (label.to_lowercase()) } }
                }
                @if chosen.is_some() { li { a href=(PATH) { "Tous" } } }
            }
            @if messages.is_empty() {
                p { "Aucun courriel." }
            } @else {
                (scroll_table("Les courriels", html! {
                    table {
                        caption { @match chosen { Some(s) => { (state_label(s)) }, None => { "Les derniers courriels" } } " (" (SHOWN) " au plus, du plus récent au plus ancien)" }
                        thead { tr {
                            th scope="col" { "Créé le" }
                            th scope="col" { "Destinataire" }
                            th scope="col" { "Objet" }
                            th scope="col" { "État" }
                            th scope="col" class="num" { "Essais" }
                            th scope="col" { "Dernière erreur" }
                        } }
                        tbody { @for message in &messages { (row(&ctx, message)) } }
                    }
                }))
            }
        },
    ))
}

fn row(ctx: &PageCtx, message: &OutboxMessage) -> Markup {
    html! {
        tr {
            td { (message.created_at.format("%d/%m/%Y %H:%M")) }
            td { (message.recipient) }
            th scope="row" { (message.subject) }
            td {
                (state_label(&message.state))
                @if let Some(sent) = message.sent_at { " le " (sent.format("%d/%m/%Y %H:%M")) }
                @if message.state == "failed" {
                    form class="inline" method="post" action={ (PATH) "/" (message.id) "/renvoi" } {
                        (csrf_field(ctx))
                        " " button class="link-button" type="submit" { "Renvoyer" span class="visually-hidden" { " à " (message.recipient) } }
                    }
                }
            }
            td class="num" { (message.attempts) }
            td { (message.last_error) }
        }
    }
}

pub async fn resend(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    ctx.require_admin()?;
    let id = id.into_inner();
    let queued = state.db(move |conn| write_transaction(conn, |conn| Ok::<_, AppError>(retry(conn, id)?))).await?;
    ctx.set_flash(if queued {
        "Le courriel est remis dans la file : il part au prochain passage."
    } else {
        "Ce courriel n’est pas abandonné : rien à renvoyer."
    });
    Ok(see_other(&format!("{PATH}?etat=failed")))
}
