//! The agency's moderation of themes: publishing or archiving, merging a duplicate into another theme, and the
//! positions as a spreadsheet.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::theme_path;
use crate::domain::theme::ThemeStatus;
use crate::storage;
use crate::storage::themes::{self, Theme};
use crate::web::context::PageCtx;
use crate::web::views::{csrf_field, see_other};
use crate::web::{AppError, AppState};

/// Open themes offered as targets of a merge.
pub const MERGE_TARGETS_LIMIT: i64 = 1000;

/// The agency's section of a theme's page.
pub fn moderation(ctx: &PageCtx, theme: &Theme, merge_targets: &[(i64, String)]) -> Markup {
    let moves: Vec<(ThemeStatus, &str)> =
        [(ThemeStatus::Open, "Publier : ouvrir aux positionnements"), (ThemeStatus::Archived, "Archiver")]
            .into_iter()
            .filter(|(to, _)| theme.status().may_become(*to).is_ok())
            .collect();
    html! {
        @if !moves.is_empty() || !merge_targets.is_empty() || theme.positions_count > 0 {
            section class="card" aria-labelledby="moderation" {
                h2 id="moderation" { "Modération" }
                p { a href={ (theme_path(theme.id)) "/positionnements.csv" } { "Télécharger les positionnements (CSV)" } }
                div class="actions" {
                    @for (to, label) in moves {
                        form class="inline" method="post" action={ (theme_path(theme.id)) "/statut" } {
                            (csrf_field(ctx))
                            input type="hidden" name="status" value=(to.code());
                            button class={ "button" @if to == ThemeStatus::Archived { " secondary" } } type="submit" { (label) }
                        }
                    }
                }
                @if !merge_targets.is_empty() {
                    h3 { "Fusionner un doublon" }
                    p { "Les positionnements suivent la fusion ; une collectivité déjà positionnée sur le thème d’accueil garde ce positionnement-là. Ce thème sera archivé." }
                    form class="form inline-form" method="post" action={ (theme_path(theme.id)) "/fusion" } {
                        (csrf_field(ctx))
                        div class="field" {
                            label for="target_id" { "Thème d’accueil" }
                            select id="target_id" name="target_id" {
                                @for (id, title) in merge_targets { option value=(id) { (title) } }
                            }
                        }
                        button class="button secondary" type="submit" { "Fusionner" }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

pub async fn change_status(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.require_admin()?.clone();
    let id = id.into_inner();
    let to = ThemeStatus::parse(&form.status)
        .ok_or_else(|| AppError::BadRequest(format!("Statut inconnu « {} ».", form.status)))?;
    let changed = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let theme = themes::find_theme(conn, id)?.ok_or(AppError::NotFound)?;
                // A double click, or two moderators at once: the status asked for already holds.
                if theme.status() == to {
                    return Ok(false);
                }
                theme.status().may_become(to).map_err(AppError::BadRequest)?;
                if themes::change_status(conn, &theme, to, admin.id)? {
                    return Ok(true);
                }
                match themes::find_theme(conn, id)? {
                    Some(now) if now.status() == to => Ok(false),
                    _ => Err(AppError::BadRequest("Le thème a changé entre-temps : rechargez la page.".into())),
                }
            })
        })
        .await?;
    ctx.set_flash(match (to == ThemeStatus::Open, changed) {
        (true, true) => "Thème publié.",
        (false, true) => "Thème archivé.",
        (true, false) => "Ce thème est déjà publié.",
        (false, false) => "Ce thème est déjà archivé.",
    });
    Ok(see_other(&theme_path(id)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    target_id: String,
}

pub async fn merge(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<MergeForm>,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.require_admin()?.clone();
    let source_id = id.into_inner();
    let target_id: i64 = form
        .target_id
        .parse()
        .map_err(|_| AppError::BadRequest("Choisissez le thème d’accueil dans la liste.".into()))?;
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let source = themes::find_theme(conn, source_id)?.ok_or(AppError::NotFound)?;
                let target = themes::find_theme(conn, target_id)?.ok_or_else(|| {
                    AppError::BadRequest("Le thème d’accueil n’existe pas : choisissez-le dans la liste.".into())
                })?;
                source
                    .status()
                    .may_merge_into(target.status(), source.id == target.id)
                    .map_err(AppError::BadRequest)?;
                Ok::<_, AppError>(themes::merge_theme(conn, &source, &target, admin.id)?)
            })
        })
        .await?;
    ctx.set_flash(&format!(
        "Fusion faite : {} positionnement(s) ont suivi, {} collectivité(s) étaient déjà positionnées ici.",
        outcome.moved, outcome.kept_on_target
    ));
    Ok(see_other(&theme_path(target_id)))
}

/// The positions of a theme as a spreadsheet for the agency (UTF-8 with a byte-order mark, which spreadsheet
/// software needs to read accents right).
pub async fn positions_csv(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    ctx.require_admin()?;
    let id = id.into_inner();
    let (theme, positions) = state
        .db(move |conn| {
            let theme = themes::find_theme(conn, id)?.ok_or(AppError::NotFound)?;
            Ok((theme, themes::positions_of_theme(conn, id)?))
        })
        .await?;
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let header = [
        "collectivité",
        "type",
        "code officiel",
        "département",
        "région",
        "engagement",
        "enjeux",
        "positionnée le",
        "modifiée le",
    ];
    writer.write_record(header).map_err(AppError::internal)?;
    for (position, territory) in &positions {
        writer
            .write_record([
                territory.name.as_str(),
                territory.kind().label(),
                territory.code.as_str(),
                territory.departement_code.as_deref().unwrap_or(""),
                territory.region_code.as_deref().unwrap_or(""),
                position.engagement().label(),
                position.stakes.as_str(),
                &position.created_at.format("%Y-%m-%d %H:%M").to_string(),
                &position.updated_at.format("%Y-%m-%d %H:%M").to_string(),
            ])
            .map_err(AppError::internal)?;
    }
    let bytes = writer.into_inner().map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"theme-{}-positionnements.csv\"", theme.id),
        ))
        .body(bytes))
}
