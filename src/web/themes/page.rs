//! A theme's page: the problem it poses, the positions taken on it with their breakdown and dated history, and,
//! for the referents of collectivities, the form to take, change or withdraw their collectivity's position.

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::moderation::{moderation, MERGE_TARGETS_LIMIT};
use super::{theme_path, Audience};
use crate::domain::territory::TerritoryKind;
use crate::domain::text::de;
use crate::domain::theme::{Engagement, NewPosition, ThemeStatus};
use crate::storage::activity::{activity_of_theme, Activity};
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::projects::project_of_theme;
use crate::storage::territories::{self, Territory};
use crate::storage::themes::{self, Counts, PositionChange, PositionOutcome, Theme};
use crate::storage::{self, DbConnection};
use crate::web::collectivities::{acting_for, CollectivityForm};
use crate::web::context::PageCtx;
use crate::web::inspiration::{resource_cards, resources_of_theme};
use crate::web::projects::paths::project_path;
use crate::web::views::{
    csrf_field, date_fr, page_with_errors, paragraphs, radio_group, scroll_table, see_other, textarea, unprocessable,
    FormErrors,
};
use crate::web::{AppError, AppState};

/// What a theme's page shows to all its viewers of an audience, rendered once per content version: the viewer's
/// own part goes between `top` and `bottom`.
pub struct ThemePart {
    theme: Theme,
    /// The positions taken, for the forms of the collectivities the viewer acts for.
    positions: Vec<themes::Position>,
    /// For the agency: the open themes this one could be merged into.
    merge_targets: Vec<(i64, String)>,
    /// From the breadcrumb to the resources for inspiration.
    top: Markup,
    /// The positions, their breakdown and history, and the theme's activity.
    bottom: Markup,
}

/// The theme's part for the viewer's audience, from memory while nothing changed. A proposal not yet published is
/// seen by the agency and the collectivity that made it, and no one else.
async fn theme_part(state: &AppState, ctx: &PageCtx, id: i64) -> Result<Arc<ThemePart>, AppError> {
    let audience = Audience::of(ctx);
    let part = state.shared(ctx, &state.theme_pages, (id, audience), move |conn| load_part(conn, id, audience)).await?;
    let proposer = part.theme.proposer_collectivity_id;
    if part.theme.status() == ThemeStatus::Proposed
        && audience != Audience::Agency
        && !ctx.referent_of().iter().any(|(m, _)| Some(m.collectivity_id) == proposer)
    {
        return Err(AppError::NotFound);
    }
    Ok(part)
}

fn load_part(conn: &mut DbConnection, id: i64, audience: Audience) -> Result<ThemePart, AppError> {
    let theme = themes::find_theme(conn, id)?.ok_or(AppError::NotFound)?;
    let agency = audience == Audience::Agency;
    let positions = themes::positions_of_theme(conn, id)?;
    let proposer = match theme.proposer_collectivity_id {
        Some(cid) => territory_of_collectivity(conn, cid)?.map(|t| t.name),
        None => None,
    };
    let merged_into = match theme.merged_into_id {
        Some(target) => themes::find_theme(conn, target)?.map(|t| (t.id, t.title)),
        None => None,
    };
    let merge_targets = if agency && theme.status().may_merge_into(ThemeStatus::Open, false).is_ok() {
        themes::ranked_themes(conn, ThemeStatus::Open, MERGE_TARGETS_LIMIT, 0)?
            .into_iter()
            .filter(|t| t.id != theme.id)
            .map(|t| (t.id, t.title))
            .collect()
    } else {
        Vec::new()
    };
    let project = project_of_theme(conn, id)?;
    let inspiration = resources_of_theme(conn, id)?;
    let regions = territories::territories_of_kind(conn, TerritoryKind::Region)?;
    let history = themes::history_of_theme(conn, id, 50)?;
    let activity = activity_of_theme(conn, id, 20)?;
    let open = theme.status().accepts_positions();
    let published = theme.status() != ThemeStatus::Proposed;
    let top = html! {
        p class="breadcrumb" { a href="/themes" { "Thèmes" } " › " (theme.status().label()) }
        h1 { (theme.title) }
        p class="meta" {
            "Proposé par " (proposer.as_deref().unwrap_or("l’agence")) " le " (date_fr(theme.created_at))
            " · " strong { (theme.status().label()) }
        }
        @if published {
            p { a href={ (theme_path(theme.id)) "/suivre" } { "Suivre ce thème par courriel" } }
        }
        @if let Some((target, title)) = &merged_into {
            div class="notice notice-success" role="status" {
                p { "Ce thème a été fusionné dans " a href=(theme_path(*target)) { "« " (title) " »" } " : ses positionnements l’y ont suivi." }
            }
        }
        @if let Some(project) = &project {
            div class="notice notice-success" role="status" {
                p { "Ce thème a été retenu : le projet partagé " a href=(project_path(project.id)) { "« " (project.title) " »" } " est en phase « " (project.phase().label()) " »." }
            }
        } @else if agency && open {
            p { a class="button" href={ "/projets/nouveau?theme=" (theme.id) } { "Ouvrir un projet partagé sur ce thème" } }
        }
        h2 { "Le problème posé" }
        (paragraphs(&theme.problem))
        h2 { "Pourquoi c’est important" }
        (paragraphs(&theme.why_it_matters))
        @if !inspiration.is_empty() || (agency && published) {
            section aria-labelledby="inspiration" {
                h2 id="inspiration" { "Pour s’inspirer" }
                @if inspiration.is_empty() { p { "Aucune ressource d’inspiration pour ce thème." } }
                @else { (resource_cards(&inspiration, 3)) }
                @if agency && published {
                    p { a href={ "/inspiration/nouvelle?theme=" (theme.id) } { "Publier une ressource pour ce thème" } }
                }
            }
        }
    };
    let bottom = html! {
        section aria-labelledby="positions" {
            h2 id="positions" { (theme.positions_count) " collectivité" @if theme.positions_count > 1 { "s" } " positionnée" @if theme.positions_count > 1 { "s" } }
            ul class="stats" {
                li { strong { (theme.participate_count) } " pour participer" }
                li { strong { (theme.observe_count) } " pour observer" }
                li { strong { (theme.interested_count) } " intéressées" }
            }
            @if !positions.is_empty() {
                (breakdown(&positions, &regions))
                ul class="positions" {
                    @for (position, territory) in &positions {
                        li class="card" {
                            h3 { a href={ "/territoires/" (territory.kind) "/" (territory.code) } { (territory.name) } }
                            p class="meta" { (position.engagement().label()) " · depuis le " (date_fr(position.created_at)) @if position.updated_at != position.created_at { ", modifié le " (date_fr(position.updated_at)) } }
                            (paragraphs(&position.stakes))
                        }
                    }
                }
            }
        }
        @if !history.is_empty() { (history_section(&history)) }
        @if !activity.is_empty() { (activity_section(&activity)) }
    };
    Ok(ThemePart { theme, positions: positions.into_iter().map(|(p, _)| p).collect(), merge_targets, top, bottom })
}

fn history_section(history: &[(PositionChange, Territory)]) -> Markup {
    html! {
        section aria-labelledby="historique" {
            h2 id="historique" { "Historique des positionnements" }
            ul {
                @for (change, territory) in history {
                    li {
                        (date_fr(change.at)) " — " (territory.name) " : "
                        @match change.action.as_str() {
                            "positioned" => { "se positionne" }
                            "changed" => { "modifie son positionnement" }
                            _ => { "retire son positionnement" }
                        }
                        @if let Some(e) = change.engagement.as_deref().and_then(|e| Engagement::parse(e).ok()) { " (" (e.label().to_lowercase()) ")" }
                    }
                }
            }
        }
    }
}

fn activity_section(activity: &[Activity]) -> Markup {
    html! {
        section aria-labelledby="activite" {
            h2 id="activite" { "Activité" }
            ul { @for a in activity { li { (date_fr(a.at)) " — " (a.summary) } } }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PositionForm {
    collectivity_id: String,
    stakes: String,
    engagement: String,
}

/// The page: the part common to its audience around the viewer's own part (the agency's moderation, the forms of
/// the collectivities the viewer acts for, with the one just submitted and its errors).
fn theme_page(ctx: &PageCtx, part: &ThemePart, form: Option<(&PositionForm, &FormErrors)>) -> Markup {
    let theme = &part.theme;
    let no_errors = FormErrors::default();
    page_with_errors(
        ctx,
        &theme.title,
        form.map_or(&no_errors, |(_, errors)| errors),
        html! {
            (part.top)
            @if ctx.is_admin() { (moderation(ctx, theme, &part.merge_targets)) }
            @for (membership, territory) in &ctx.referent_of() {
                @let current = part.positions.iter().find(|p| p.collectivity_id == membership.collectivity_id);
                @let submitted = form.filter(|(f, _)| f.collectivity_id == membership.collectivity_id.to_string());
                (position_form(ctx, theme, membership.collectivity_id, territory, current, submitted))
            }
            (part.bottom)
        },
    )
}

/// Positions by kind of collectivity and by région, with their intended engagement.
fn breakdown(positions: &[(themes::Position, Territory)], regions: &[Territory]) -> Markup {
    let tally = |key: &dyn Fn(&Territory) -> String| {
        let mut rows: Vec<(String, Counts)> = Vec::new();
        for (position, territory) in positions {
            let name = key(territory);
            let index = match rows.iter().position(|(n, _)| *n == name) {
                Some(i) => i,
                None => {
                    rows.push((name, Counts::default()));
                    rows.len() - 1
                }
            };
            rows[index].1.add(&position.engagement);
        }
        rows.sort_by(|a, b| b.1.total.cmp(&a.1.total).then(a.0.cmp(&b.0)));
        rows
    };
    let by_kind = tally(&|t: &Territory| t.kind().label().to_owned());
    let by_region = tally(&|t: &Territory| {
        let code = t.region_code.as_deref().unwrap_or("");
        regions.iter().find(|r| r.code == code).map_or_else(|| "Région inconnue".to_owned(), |r| r.name.clone())
    });
    let table = |caption: &str, first: &str, rows: &[(String, Counts)]| {
        html! {
            (scroll_table(caption, html! {
                table {
                    caption { (caption) }
                    thead { tr { th scope="col" { (first) } th scope="col" class="num" { "Positionnées" } th scope="col" class="num" { "Participer" } th scope="col" class="num" { "Observer" } th scope="col" class="num" { "Intéressées" } } }
                    tbody {
                        @for (name, c) in rows {
                            tr { th scope="row" { (name) } td class="num" { (c.total) } td class="num" { (c.participate) } td class="num" { (c.observe) } td class="num" { (c.interested) } }
                        }
                    }
                }
            }))
        }
    };
    html! {
        (table("Par type de collectivité", "Type", &by_kind))
        (table("Par région", "Région", &by_region))
    }
}

/// The form of one collectivity the viewer acts for: its position taken, changed or withdrawn.
fn position_form(
    ctx: &PageCtx,
    theme: &Theme,
    collectivity_id: i64,
    territory: &Territory,
    current: Option<&themes::Position>,
    submitted: Option<(&PositionForm, &FormErrors)>,
) -> Markup {
    let no_errors = FormErrors::default();
    let (stakes, engagement, errors) = match submitted {
        Some((form, errors)) => (form.stakes.as_str(), form.engagement.as_str(), errors),
        None => (current.map_or("", |p| p.stakes.as_str()), current.map_or("", |p| p.engagement.as_str()), &no_errors),
    };
    let heading_id = format!("position-{collectivity_id}");
    html! {
        section class="card" aria-labelledby=(heading_id) {
            h2 id=(heading_id) { "Le positionnement " (de(&territory.name)) }
            @if !theme.status().accepts_positions() {
                p { @if current.is_some() { "Le thème n’est plus ouvert : ce positionnement ne peut plus être modifié." } @else { "Le thème n’est pas ouvert aux positionnements." } }
            } @else {
                (errors.summary())
                form class="form" method="post" action={ (theme_path(theme.id)) "/positionnement" } novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="collectivity_id" value=(collectivity_id);
                    (textarea("stakes", "Vos enjeux sur ce thème", stakes, "Ce que ce thème représente pour votre territoire : constats, publics concernés, ce que vous avez déjà essayé.", errors))
                    (radio_group("engagement", "Engagement envisagé si un projet partagé s’ouvre", &Engagement::ALL.map(|e| (e.code(), e.label())), engagement, errors))
                    button class="button" type="submit" { @if current.is_some() { "Mettre à jour le positionnement" } @else { "Se positionner" } }
                }
                @if current.is_some() {
                    form class="inline" method="post" action={ (theme_path(theme.id)) "/retrait" } {
                        (csrf_field(ctx))
                        input type="hidden" name="collectivity_id" value=(collectivity_id);
                        button class="button secondary" type="submit" { "Retirer le positionnement" }
                    }
                }
            }
        }
    }
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let part = theme_part(&state, &ctx, id.into_inner()).await?;
    Ok(theme_page(&ctx, &part, None))
}

pub async fn position(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<PositionForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let id = id.into_inner();
    // The theme itself is checked by the write, in its transaction.
    let (collectivity_id, name) = acting_for(&ctx.referent_of(), &form.collectivity_id)?;
    let position = match NewPosition::parse(&form.stakes, &form.engagement) {
        Ok(position) => position,
        Err(field_errors) => {
            let part = theme_part(&state, &ctx, id).await?;
            let errors = FormErrors::from(field_errors);
            return Ok(unprocessable(theme_page(&ctx, &part, Some((&form, &errors)))));
        }
    };
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(themes::take_position(conn, id, collectivity_id, user.id, &position, &name)?)
            })
        })
        .await?;
    match outcome {
        PositionOutcome::ThemeClosed => {
            Err(AppError::Gone("Ce thème n’est plus ouvert aux positionnements : rien n’a été enregistré.".into()))
        }
        PositionOutcome::Changed => {
            ctx.set_flash("Votre positionnement a été mis à jour.");
            Ok(see_other(&theme_path(id)))
        }
        _ => {
            ctx.set_flash("Votre positionnement est enregistré.");
            Ok(see_other(&theme_path(id)))
        }
    }
}

pub async fn withdraw(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<CollectivityForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let id = id.into_inner();
    let (collectivity_id, name) = acting_for(&ctx.referent_of(), &form.collectivity_id)?;
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(themes::withdraw_position(conn, id, collectivity_id, user.id, &name)?)
            })
        })
        .await?;
    match outcome {
        PositionOutcome::ThemeClosed => {
            Err(AppError::Gone("Ce thème n’est plus ouvert : le positionnement ne peut plus être retiré.".into()))
        }
        PositionOutcome::NothingToWithdraw => {
            ctx.set_flash("Il n’y avait pas de positionnement à retirer.");
            Ok(see_other(&theme_path(id)))
        }
        _ => {
            ctx.set_flash("Votre positionnement est retiré.");
            Ok(see_other(&theme_path(id)))
        }
    }
}
