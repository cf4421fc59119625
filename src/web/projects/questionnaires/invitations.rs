//! Single-use invitations to answer a questionnaire: when a group wants one response per person it invited (a
//! panel, the members of an association), it switches the questionnaire to "on invitation only", makes as many
//! personal links as it needs and sends them (the CSV goes into any mail merge). Each link records one response.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::security::random_token;
use crate::storage;
use crate::storage::questionnaires::{self, Questionnaire};
use crate::web::context::PageCtx;
use crate::web::error::url_encode;
use crate::web::projects::access::{questionnaire_and_access, Need};
use crate::web::projects::paths::builder_path;
use crate::web::survey::survey_path;
use crate::web::views::{csrf_field, page_with_errors, see_other, unprocessable, Field, FormErrors};
use crate::web::{AppError, AppState};

/// Invitations made at once, at most.
const MAX_AT_ONCE: usize = 5000;

fn invitations_path(id: i64) -> String {
    format!("{}/invitations", builder_path(id))
}

fn invitation_link(state: &AppState, questionnaire: &Questionnaire, token: &str) -> String {
    state.link(&format!("{}?invitation={}", survey_path(questionnaire), url_encode(token)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MakeForm {
    count: String,
}

fn invitations_page(
    ctx: &PageCtx,
    questionnaire: &Questionnaire,
    invitations: &[(String, Option<chrono::NaiveDateTime>)],
    count: &str,
    errors: &FormErrors,
) -> Markup {
    let path = invitations_path(questionnaire.id);
    let used = invitations.iter().filter(|(_, at)| at.is_some()).count();
    page_with_errors(
        ctx,
        &format!("Invitations — {}", questionnaire.title),
        errors,
        html! {
            p class="breadcrumb" { a href=(builder_path(questionnaire.id)) { (questionnaire.title) } " › Invitations" }
            h1 { "Invitations à usage unique" }
            p { "Chaque invitation est un lien personnel qui permet de répondre une fois. Utile pour interroger un panel ou les membres d’un groupe, une réponse par personne. Les réponses restent anonymes : rien ne relie une réponse à la personne invitée." }
            section aria-labelledby="mode" {
                h2 id="mode" { "Qui peut répondre" }
                p role="status" {
                    @if questionnaire.invitation_only { strong { "Sur invitation seulement" } " : le lien public seul ne permet pas de répondre." }
                    @else { strong { "Toute personne qui a le lien public" } " ; les invitations servent aussi, sans être exigées." }
                }
                form class="inline-form" method="post" action={ (path) "/mode" } {
                    (csrf_field(ctx))
                    input type="hidden" name="only" value=(if questionnaire.invitation_only { "non" } else { "oui" });
                    button class="button secondary" type="submit" {
                        @if questionnaire.invitation_only { "Ouvrir à toute personne qui a le lien public" } @else { "Réserver aux invitations" }
                    }
                }
            }
            section aria-labelledby="liens" {
                h2 id="liens" { "Liens personnels" }
                p { strong { (invitations.len()) } " invitation" @if invitations.len() > 1 { "s" } " créée" @if invitations.len() > 1 { "s" } ", dont " strong { (used) } " utilisée" @if used > 1 { "s" } "." }
                @if invitations.len() > used {
                    p { a href={ (path) ".csv" } { "Télécharger les liens non utilisés (CSV, pour un publipostage)" } }
                }
                (errors.summary())
                form class="form narrow" method="post" action=(path) novalidate {
                    (csrf_field(ctx))
                    (Field::new("count", "Nombre d’invitations à créer").value(count).hint("De 1 à 5 000.").render(errors))
                    button class="button" type="submit" { "Créer les invitations" }
                }
            }
        },
    )
}

async fn load(
    state: &AppState,
    ctx: &PageCtx,
    id: i64,
) -> Result<(Questionnaire, Vec<(String, Option<chrono::NaiveDateTime>)>), AppError> {
    let (questionnaire, _, _) = questionnaire_and_access(state, ctx, id, Need::Lead).await?;
    let invitations = state.db(move |conn| Ok(questionnaires::invitations_of(conn, id)?)).await?;
    Ok((questionnaire, invitations))
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let (questionnaire, invitations) = load(&state, &ctx, id.into_inner()).await?;
    Ok(invitations_page(&ctx, &questionnaire, &invitations, "", &FormErrors::default()))
}

pub async fn make(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<MakeForm>,
) -> Result<HttpResponse, AppError> {
    let (questionnaire, invitations) = load(&state, &ctx, id.into_inner()).await?;
    let count = match form.count.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_AT_ONCE).contains(&n) => n,
        _ => {
            let mut errors = FormErrors::default();
            errors.add("count", "Indiquez un nombre entier d’invitations, de 1 à 5 000.");
            return Ok(unprocessable(invitations_page(&ctx, &questionnaire, &invitations, &form.count, &errors)));
        }
    };
    let tokens: Vec<String> = (0..count).map(|_| random_token()).collect();
    let id = questionnaire.id;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::create_invitations(conn, id, &tokens)?)
            })
        })
        .await?;
    ctx.set_flash(&format!("{count} invitation{} créée{}.", plural(count), plural(count)));
    Ok(see_other(&invitations_path(id)))
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModeForm {
    only: String,
}

pub async fn set_mode(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ModeForm>,
) -> Result<HttpResponse, AppError> {
    let only = match form.only.as_str() {
        "oui" => true,
        "non" => false,
        _ => {
            return Err(AppError::BadRequest("Choisissez de réserver le questionnaire aux invitations ou non.".into()))
        }
    };
    let (questionnaire, _) = load(&state, &ctx, id.into_inner()).await?;
    let id = questionnaire.id;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::set_invitation_only(conn, id, only)?)
            })
        })
        .await?;
    ctx.set_flash(if only {
        "Le questionnaire se remplit désormais sur invitation seulement."
    } else {
        "Toute personne qui a le lien public peut désormais répondre."
    });
    Ok(see_other(&invitations_path(id)))
}

/// The unused invitations as CSV: one link per line, for a mail merge.
pub async fn links_csv(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let (questionnaire, invitations) = load(&state, &ctx, id.into_inner()).await?;
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(["invitation", "lien"]).map_err(AppError::internal)?;
    for (token, _) in invitations.iter().filter(|(_, used)| used.is_none()) {
        writer
            .write_record([token.as_str(), &invitation_link(&state, &questionnaire, token)])
            .map_err(AppError::internal)?;
    }
    let body = writer.into_inner().map_err(|e| AppError::internal(anyhow::anyhow!(e.to_string())))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"questionnaire-{}-invitations.csv\"", questionnaire.id),
        ))
        .body(body))
}
