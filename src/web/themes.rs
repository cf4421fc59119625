//! Themes: the index ranked by the number of collectivities positioned, a theme's page with the positions and
//! their dated history, proposals by referents and the agency, the agency's moderation.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::collectivities::{acting_for, CollectivityForm};
use super::context::PageCtx;
use super::inspiration::{resource_cards, resources_of_theme, ResourcesWithThemes};
use super::projects::paths::project_path;
use super::views::{
    csrf_field, date_fr, page, page_with_errors, paragraphs, radio_group, scroll_table, see_other, textarea,
    unprocessable, Field, FormErrors, Pager,
};
use super::{AppError, AppState};
use crate::domain::territory::TerritoryKind;
use crate::domain::text::de;
use crate::domain::theme::{Engagement, NewPosition, NewTheme, ThemeStatus};
use crate::storage::activity::{activity_of_theme, Activity};
use crate::storage::collectivities::{memberships_of_user, territory_of_collectivity, Membership};
use crate::storage::projects::{project_of_theme, Project};
use crate::storage::territories;
use crate::storage::territories::Territory;
use crate::storage::themes::{self, Counts, PositionChange, PositionOutcome, Theme};
use crate::storage::users::User;
use crate::storage::{self, DbConnection};

/// Themes per page of the index.
const PAGE_SIZE: i64 = 100;
/// Open themes offered as targets of a merge.
const MERGE_TARGETS_LIMIT: i64 = 1000;

fn theme_path(id: i64) -> String {
    format!("/themes/{id}")
}

/// The collectivities this person acts for (as referent), with their territory.
fn referent_of(conn: &mut DbConnection, user: Option<&User>) -> Result<Vec<(Membership, Territory)>, AppError> {
    match user {
        Some(user) => Ok(memberships_of_user(conn, user.id)?.into_iter().filter(|(m, _)| m.is_referent).collect()),
        None => Ok(Vec::new()),
    }
}

#[derive(Deserialize)]
pub struct IndexQuery {
    statut: Option<String>,
    region: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    page: Option<String>,
}

/// The kinds of collectivity a theme's positions are broken down by.
const POSITION_KINDS: [TerritoryKind; 3] = [TerritoryKind::Commune, TerritoryKind::Epci, TerritoryKind::Departement];

pub async fn index(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<IndexQuery>,
) -> Result<Markup, AppError> {
    let is_admin = ctx.user.as_ref().is_some_and(|u| u.is_agency_admin);
    let status = query.statut.as_deref().and_then(ThemeStatus::parse).unwrap_or(ThemeStatus::Open);
    // Proposals waiting for moderation are the agency's business.
    if status == ThemeStatus::Proposed && !is_admin {
        return Err(AppError::Forbidden);
    }
    let region = query.region.clone().filter(|r| !r.is_empty());
    let kind = query.kind.as_deref().and_then(TerritoryKind::parse).filter(|k| POSITION_KINDS.contains(k));
    let filtered = region.is_some() || kind.is_some();
    let viewer = ctx.user.clone();
    let filter_region = region.clone();
    let requested_page = query.page.clone();
    let (listed, pager, waiting, can_propose, regions) = state
        .db(move |conn| {
            let waiting = if is_admin { themes::count_themes(conn, ThemeStatus::Proposed)? } else { 0 };
            let can_propose = is_admin || !referent_of(conn, viewer.as_ref())?.is_empty();
            let (listed, pager): (Vec<(Theme, Counts)>, Pager) = if filter_region.is_some() || kind.is_some() {
                let all = themes::ranked_themes_among(conn, status, filter_region.as_deref(), kind)?;
                let pager = Pager::new(requested_page.as_deref(), all.len() as i64, PAGE_SIZE);
                let page = all.into_iter().skip(pager.offset() as usize).take(PAGE_SIZE as usize).collect();
                (page, pager)
            } else {
                let total = themes::count_themes(conn, status)?;
                let pager = Pager::new(requested_page.as_deref(), total, PAGE_SIZE);
                let page = themes::ranked_themes(conn, status, PAGE_SIZE, pager.offset())?
                    .into_iter()
                    .map(|t| {
                        let counts = Counts::of(&t);
                        (t, counts)
                    })
                    .collect();
                (page, pager)
            };
            let regions = territories::territories_of_kind(conn, TerritoryKind::Region)?;
            Ok((listed, pager, waiting, can_propose, regions))
        })
        .await?;
    let page_link = |n: i64| {
        let mut link = format!("/themes?statut={}", status.code());
        if let Some(region) = &region {
            link.push_str(&format!("&region={}", region.replace(|c: char| !c.is_ascii_alphanumeric(), "")));
        }
        if let Some(kind) = kind {
            link.push_str(&format!("&type={}", kind.code()));
        }
        format!("{link}&page={n}")
    };
    let tabs = [ThemeStatus::Open, ThemeStatus::Selected, ThemeStatus::Archived];
    Ok(page(
        &ctx,
        "Thèmes",
        html! {
            h1 { "Thèmes" }
            p class="lead" {
                "Les collectivités proposent des thèmes qu’elles jugent prioritaires et s’y positionnent selon leurs enjeux. "
                "Les plus partagés peuvent devenir des projets partagés."
            }
            p { a href="/themes/suivre" { "Suivre les nouveaux thèmes par courriel" } }
            @if can_propose { p { a class="button" href="/themes/nouveau" { "Proposer un thème" } } }
            @if is_admin && waiting > 0 {
                div class="notice notice-success" role="status" {
                    p { a href="/themes?statut=proposed" { (waiting) " proposition" @if waiting > 1 { "s" } " à examiner" } }
                }
            }
            nav aria-label="Statut des thèmes" {
                ul class="tabs" {
                    @for tab in tabs {
                        li { a href={ "/themes?statut=" (tab.code()) } aria-current=[(tab == status).then_some("page")] { (tab_label(tab)) } }
                    }
                    @if is_admin {
                        li { a href="/themes?statut=proposed" aria-current=[(status == ThemeStatus::Proposed).then_some("page")] { "À examiner" } }
                    }
                }
            }
            form class="search" method="get" action="/themes" role="search" aria-label="Filtrer les thèmes" {
                input type="hidden" name="statut" value=(status.code());
                div class="field" {
                    label for="region" { "Région des collectivités positionnées" }
                    select id="region" name="region" {
                        option value="" { "Toutes les régions" }
                        @for r in &regions { option value=(r.code) selected[region.as_deref() == Some(r.code.as_str())] { (r.name) } }
                    }
                }
                div class="field" {
                    label for="type" { "Type de collectivité" }
                    select id="type" name="type" {
                        option value="" { "Tous les types" }
                        @for k in POSITION_KINDS { option value=(k.code()) selected[kind == Some(k)] { (k.label()) } }
                    }
                }
                button class="button" type="submit" { "Filtrer" }
            }
            @if filtered { p role="status" { "Rang et nombres ne comptent que les positionnements des collectivités choisies. " a href={ "/themes?statut=" (status.code()) } { "Retirer les filtres" } } }
            @if listed.is_empty() {
                p { "Aucun thème dans cette catégorie pour l’instant." }
            } @else {
                (scroll_table(tab_label(status), html! {
                    table {
                        caption { (tab_label(status)) ", du plus partagé au moins partagé" }
                        thead {
                            tr {
                                th scope="col" { "Rang" }
                                th scope="col" { "Thème" }
                                th scope="col" class="num" { "Collectivités positionnées" }
                                th scope="col" class="num" { "Participer" }
                                th scope="col" class="num" { "Observer" }
                                th scope="col" class="num" { "Intéressées" }
                            }
                        }
                        tbody {
                            @for (rank, (theme, counts)) in listed.iter().enumerate() {
                                tr {
                                    td { (pager.offset() + rank as i64 + 1) }
                                    th scope="row" { a href=(theme_path(theme.id)) { (theme.title) } }
                                    td class="num" { (counts.total) }
                                    td class="num" { (counts.participate) }
                                    td class="num" { (counts.observe) }
                                    td class="num" { (counts.interested) }
                                }
                            }
                        }
                    }
                }))
                (pager.render(page_link))
            }
        },
    ))
}

fn tab_label(status: ThemeStatus) -> &'static str {
    match status {
        ThemeStatus::Open => "Ouverts aux positionnements",
        ThemeStatus::Selected => "Retenus",
        ThemeStatus::Archived => "Archivés",
        ThemeStatus::Proposed => "À examiner",
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProposalForm {
    title: String,
    problem: String,
    why_it_matters: String,
    /// The collectivity proposing, for a referent of several; absent for the agency.
    collectivity_id: Option<String>,
}

fn proposal_page(
    ctx: &PageCtx,
    proposers: &[(Membership, Territory)],
    form: &ProposalForm,
    errors: &FormErrors,
) -> Markup {
    let is_admin = ctx.user.as_ref().is_some_and(|u| u.is_agency_admin);
    page_with_errors(
        ctx,
        "Proposer un thème",
        errors,
        html! {
            h1 { "Proposer un thème" }
            p {
                @if is_admin { "Proposé par l’agence, le thème est ouvert aux positionnements dès son enregistrement." }
                @else { "L’agence relit chaque proposition avant de l’ouvrir aux positionnements des collectivités." }
            }
            (errors.summary())
            form class="form" method="post" action="/themes" novalidate {
                (csrf_field(ctx))
                @if !is_admin && proposers.len() > 1 {
                    div class="field" {
                        label for="collectivity_id" { "Au nom de" }
                        select id="collectivity_id" name="collectivity_id" {
                            @for (membership, territory) in proposers {
                                option value=(membership.collectivity_id) selected[form.collectivity_id.as_deref() == Some(membership.collectivity_id.to_string().as_str())] { (territory.name) }
                            }
                        }
                    }
                } @else if let (false, Some((membership, territory))) = (is_admin, proposers.first()) {
                    input type="hidden" name="collectivity_id" value=(membership.collectivity_id);
                    p { "Au nom de " strong { (territory.name) } "." }
                }
                (Field::new("title", "Titre du thème").value(&form.title).hint("Court et parlant, par exemple « Mobilités du quotidien en zone rurale ».").render(errors))
                (textarea("problem", "Le problème posé", &form.problem, "Ce qui ne va pas aujourd’hui, pour qui, et comment vous le constatez.", errors))
                (textarea("why_it_matters", "Pourquoi c’est important pour vous", &form.why_it_matters, "Ce que votre collectivité y gagnerait à travailler avec d’autres.", errors))
                button class="button" type="submit" { "Proposer le thème" }
            }
        },
    )
}

pub async fn proposal_form(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    let user = ctx.require_user()?.clone();
    let proposers = state.db(move |conn| referent_of(conn, Some(&user))).await?;
    if proposers.is_empty() && !ctx.user.as_ref().is_some_and(|u| u.is_agency_admin) {
        return Err(AppError::Forbidden);
    }
    Ok(proposal_page(&ctx, &proposers, &ProposalForm::default(), &FormErrors::default()))
}

pub async fn propose(
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<ProposalForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let form = form.into_inner();
    let lookup = user.clone();
    let proposers = state.db(move |conn| referent_of(conn, Some(&lookup))).await?;
    // The agency proposes in its own name; a referent for one of their collectivities.
    let collectivity = if user.is_agency_admin {
        None
    } else {
        let chosen = form.collectivity_id.as_deref().and_then(|id| id.parse::<i64>().ok());
        let found = proposers.iter().find(|(m, _)| Some(m.collectivity_id) == chosen).or(proposers.first());
        match (found, chosen) {
            (Some((m, t)), Some(id)) if m.collectivity_id == id => Some((m.collectivity_id, t.name.clone())),
            (Some((m, t)), None) => Some((m.collectivity_id, t.name.clone())),
            _ => return Err(AppError::Forbidden),
        }
    };
    let theme = match NewTheme::parse(&form.title, &form.problem, &form.why_it_matters) {
        Ok(theme) => theme,
        Err(field_errors) => {
            let errors = FormErrors::from(field_errors);
            return Ok(unprocessable(proposal_page(&ctx, &proposers, &form, &errors)));
        }
    };
    let status = if user.is_agency_admin { ThemeStatus::Open } else { ThemeStatus::Proposed };
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let proposer = collectivity.as_ref().map(|(id, name)| (*id, name.as_str()));
                Ok::<_, AppError>(themes::propose_theme(conn, &theme, user.id, proposer, status)?)
            })
        })
        .await?;
    ctx.set_flash(if status == ThemeStatus::Open {
        "Thème enregistré et ouvert aux positionnements."
    } else {
        "Merci : votre proposition est enregistrée. L’agence la relira avant de l’ouvrir aux positionnements."
    });
    Ok(see_other(&theme_path(id)))
}

/// What a theme page shows, and what the viewer may do there.
struct ThemeView {
    theme: Theme,
    proposer: Option<String>,
    positions: Vec<(themes::Position, Territory)>,
    history: Vec<(PositionChange, Territory)>,
    activity: Vec<Activity>,
    /// The collectivities the viewer may position, with their current position if any.
    acting_for: Vec<(Membership, Territory, Option<themes::Position>)>,
    is_admin: bool,
    /// The theme this one was merged into.
    merged_into: Option<(i64, String)>,
    /// For the agency: the open themes this one could be merged into.
    merge_targets: Vec<(i64, String)>,
    /// Région names by code, for the breakdown of positions.
    regions: Vec<Territory>,
    /// The shared project opened on the theme, once selected.
    project: Option<Project>,
    inspiration: ResourcesWithThemes,
}

fn load_theme(conn: &mut DbConnection, id: i64, viewer: Option<&User>) -> Result<ThemeView, AppError> {
    let theme = themes::find_theme(conn, id)?.ok_or(AppError::NotFound)?;
    let is_admin = viewer.is_some_and(|u| u.is_agency_admin);
    let referent = referent_of(conn, viewer)?;
    // A proposal not yet published is seen by the agency and the collectivity that made it, and no one else.
    if theme.status() == ThemeStatus::Proposed
        && !is_admin
        && !referent.iter().any(|(m, _)| Some(m.collectivity_id) == theme.proposer_collectivity_id)
    {
        return Err(AppError::NotFound);
    }
    let positions = themes::positions_of_theme(conn, id)?;
    let proposer = match theme.proposer_collectivity_id {
        Some(cid) => territory_of_collectivity(conn, cid)?.map(|t| t.name),
        None => None,
    };
    let acting_for = referent
        .into_iter()
        .map(|(m, t)| {
            let current =
                positions.iter().find(|(p, _)| p.collectivity_id == m.collectivity_id).map(|(p, _)| p.clone());
            (m, t, current)
        })
        .collect();
    let merged_into = match theme.merged_into_id {
        Some(target) => themes::find_theme(conn, target)?.map(|t| (t.id, t.title)),
        None => None,
    };
    let merge_targets = if is_admin && theme.status().may_merge_into(ThemeStatus::Open, false).is_ok() {
        themes::ranked_themes(conn, ThemeStatus::Open, MERGE_TARGETS_LIMIT, 0)?
            .into_iter()
            .filter(|t| t.id != theme.id)
            .map(|t| (t.id, t.title))
            .collect()
    } else {
        Vec::new()
    };
    Ok(ThemeView {
        project: project_of_theme(conn, id)?,
        inspiration: resources_of_theme(conn, id)?,
        regions: territories::territories_of_kind(conn, TerritoryKind::Region)?,
        merged_into,
        merge_targets,
        history: themes::history_of_theme(conn, id, 50)?,
        activity: activity_of_theme(conn, id, 20)?,
        theme,
        proposer,
        positions,
        acting_for,
        is_admin,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PositionForm {
    collectivity_id: String,
    stakes: String,
    engagement: String,
}

fn theme_page(ctx: &PageCtx, view: &ThemeView, form: Option<(&PositionForm, &FormErrors)>) -> Markup {
    let theme = &view.theme;
    let open = theme.status().accepts_positions();
    let no_errors = FormErrors::default();
    page_with_errors(
        ctx,
        &theme.title,
        form.map_or(&no_errors, |(_, errors)| errors),
        html! {
            p class="breadcrumb" { a href="/themes" { "Thèmes" } " › " (theme.status().label()) }
            h1 { (theme.title) }
            p class="meta" {
                "Proposé par " (view.proposer.as_deref().unwrap_or("l’agence")) " le " (date_fr(theme.created_at))
                " · " strong { (theme.status().label()) }
            }
            @if theme.status() != ThemeStatus::Proposed {
                p { a href={ (theme_path(theme.id)) "/suivre" } { "Suivre ce thème par courriel" } }
            }
            @if let Some((target, title)) = &view.merged_into {
                div class="notice notice-success" role="status" {
                    p { "Ce thème a été fusionné dans " a href=(theme_path(*target)) { "« " (title) " »" } " : ses positionnements l’y ont suivi." }
                }
            }
            @if let Some(project) = &view.project {
                div class="notice notice-success" role="status" {
                    p { "Ce thème a été retenu : le projet partagé " a href=(project_path(project.id)) { "« " (project.title) " »" } " est en phase « " (project.phase().label()) " »." }
                }
            } @else if view.is_admin && open {
                p { a class="button" href={ "/projets/nouveau?theme=" (theme.id) } { "Ouvrir un projet partagé sur ce thème" } }
            }
            h2 { "Le problème posé" }
            (paragraphs(&theme.problem))
            h2 { "Pourquoi c’est important" }
            (paragraphs(&theme.why_it_matters))
            @if !view.inspiration.is_empty() || (view.is_admin && theme.status() != ThemeStatus::Proposed) {
                section aria-labelledby="inspiration" {
                    h2 id="inspiration" { "Pour s’inspirer" }
                    @if view.inspiration.is_empty() { p { "Aucune ressource d’inspiration pour ce thème." } }
                    @else { (resource_cards(&view.inspiration, 3)) }
                    @if view.is_admin && theme.status() != ThemeStatus::Proposed {
                        p { a href={ "/inspiration/nouvelle?theme=" (theme.id) } { "Publier une ressource pour ce thème" } }
                    }
                }
            }
            @if view.is_admin { (moderation(ctx, theme, &view.merge_targets)) }
            section aria-labelledby="positions" {
                h2 id="positions" { (theme.positions_count) " collectivité" @if theme.positions_count > 1 { "s" } " positionnée" @if theme.positions_count > 1 { "s" } }
                ul class="stats" {
                    li { strong { (theme.participate_count) } " pour participer" }
                    li { strong { (theme.observe_count) } " pour observer" }
                    li { strong { (theme.interested_count) } " intéressées" }
                }
                @for (m, territory, current) in &view.acting_for {
                    @let submitted = form.filter(|(f, _)| f.collectivity_id == m.collectivity_id.to_string());
                    (position_form(ctx, theme, m, territory, current.as_ref(), submitted, open))
                }
                @if !view.positions.is_empty() { (breakdown(view)) }
                @if !view.positions.is_empty() {
                    ul class="positions" {
                        @for (position, territory) in &view.positions {
                            li class="card" {
                                h3 { a href={ "/territoires/" (territory.kind) "/" (territory.code) } { (territory.name) } }
                                p class="meta" { (position.engagement().label()) " · depuis le " (date_fr(position.created_at)) @if position.updated_at != position.created_at { ", modifié le " (date_fr(position.updated_at)) } }
                                (paragraphs(&position.stakes))
                            }
                        }
                    }
                }
            }
            @if !view.history.is_empty() {
                section aria-labelledby="historique" {
                    h2 id="historique" { "Historique des positionnements" }
                    ul {
                        @for (change, territory) in &view.history {
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
            @if !view.activity.is_empty() {
                section aria-labelledby="activite" {
                    h2 id="activite" { "Activité" }
                    ul { @for a in &view.activity { li { (date_fr(a.at)) " — " (a.summary) } } }
                }
            }
        },
    )
}

/// Positions by kind of collectivity and by région, with their intended engagement.
fn breakdown(view: &ThemeView) -> Markup {
    let tally = |key: &dyn Fn(&Territory) -> String| {
        let mut rows: Vec<(String, Counts)> = Vec::new();
        for (position, territory) in &view.positions {
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
        view.regions.iter().find(|r| r.code == code).map_or_else(|| "Région inconnue".to_owned(), |r| r.name.clone())
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

fn moderation(ctx: &PageCtx, theme: &Theme, merge_targets: &[(i64, String)]) -> Markup {
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

fn position_form(
    ctx: &PageCtx,
    theme: &Theme,
    membership: &Membership,
    territory: &Territory,
    current: Option<&themes::Position>,
    submitted: Option<(&PositionForm, &FormErrors)>,
    open: bool,
) -> Markup {
    let no_errors = FormErrors::default();
    let (stakes, engagement, errors) = match submitted {
        Some((form, errors)) => (form.stakes.clone(), form.engagement.clone(), errors),
        None => (
            current.map(|p| p.stakes.clone()).unwrap_or_default(),
            current.map(|p| p.engagement.clone()).unwrap_or_default(),
            &no_errors,
        ),
    };
    let heading_id = format!("position-{}", membership.collectivity_id);
    html! {
        section class="card" aria-labelledby=(heading_id) {
            h3 id=(heading_id) { "Le positionnement " (de(&territory.name)) }
            @if !open {
                p { @if current.is_some() { "Le thème n’est plus ouvert : ce positionnement ne peut plus être modifié." } @else { "Le thème n’est pas ouvert aux positionnements." } }
            } @else {
                (errors.summary())
                form class="form" method="post" action={ (theme_path(theme.id)) "/positionnement" } novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="collectivity_id" value=(membership.collectivity_id);
                    (textarea("stakes", "Vos enjeux sur ce thème", &stakes, "Ce que ce thème représente pour votre territoire : constats, publics concernés, ce que vous avez déjà essayé.", errors))
                    (radio_group("engagement", "Engagement envisagé si un projet partagé s’ouvre", &Engagement::ALL.map(|e| (e.code(), e.label())), &engagement, errors))
                    button class="button" type="submit" { @if current.is_some() { "Mettre à jour le positionnement" } @else { "Se positionner" } }
                }
                @if current.is_some() {
                    form class="inline" method="post" action={ (theme_path(theme.id)) "/retrait" } {
                        (csrf_field(ctx))
                        input type="hidden" name="collectivity_id" value=(membership.collectivity_id);
                        button class="button secondary" type="submit" { "Retirer le positionnement" }
                    }
                }
            }
        }
    }
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let (id, viewer) = (id.into_inner(), ctx.user.clone());
    let view = state.db(move |conn| load_theme(conn, id, viewer.as_ref())).await?;
    Ok(theme_page(&ctx, &view, None))
}

/// The collectivity named by the form, if the person acts for it as referent. Reads only the person's
/// memberships: the theme itself is checked by the write, in its transaction.
async fn acting_collectivity(state: &AppState, user: &User, collectivity_id: &str) -> Result<(i64, String), AppError> {
    let user = user.clone();
    let referent = state.db(move |conn| referent_of(conn, Some(&user))).await?;
    acting_for(&referent, collectivity_id)
}

pub async fn position(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<PositionForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let id = id.into_inner();
    let (collectivity_id, name) = acting_collectivity(&state, &user, &form.collectivity_id).await?;
    let position = match NewPosition::parse(&form.stakes, &form.engagement) {
        Ok(position) => position,
        Err(field_errors) => {
            let viewer = Some(user.clone());
            let view = state.db(move |conn| load_theme(conn, id, viewer.as_ref())).await?;
            let errors = FormErrors::from(field_errors);
            return Ok(unprocessable(theme_page(&ctx, &view, Some((&form, &errors)))));
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
    let (collectivity_id, name) = acting_collectivity(&state, &user, &form.collectivity_id).await?;
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
