//! Themes: the index ranked by the number of collectivities positioned, a theme's page with the positions and
//! their dated history, proposals by referents and the agency, the agency's moderation.
//!
//! The index and a theme's page are read by every referent of the country between two changes: what they show
//! to all their viewers is rendered once per content version and kept (`AppState::shared`), and each request
//! renders only the viewer's own part (their menu, their forms, the agency's moderation).

pub mod moderation;
pub mod page;
pub mod proposals;

use actix_web::web;
use maud::{html, Markup};
use serde::Deserialize;

use super::context::PageCtx;
use super::views::{page, scroll_table, Pager};
use super::{AppError, AppState};
use crate::domain::territory::TerritoryKind;
use crate::domain::theme::ThemeStatus;
use crate::storage::territories;
use crate::storage::themes::{self, Counts, Theme};
use crate::storage::DbConnection;

/// Themes per page of the index.
const PAGE_SIZE: i64 = 100;

fn theme_path(id: i64) -> String {
    format!("/themes/{id}")
}

/// Who a part of a themes' page common to its viewers is rendered for: the agency's version shows links and
/// sections that only it uses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Audience {
    Everyone,
    Agency,
}

impl Audience {
    fn of(ctx: &PageCtx) -> Audience {
        if ctx.is_admin() {
            Audience::Agency
        } else {
            Audience::Everyone
        }
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

/// One page of the index, as asked for: what its list part is kept by.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ListKey {
    status: ThemeStatus,
    region: Option<String>,
    kind: Option<TerritoryKind>,
    page: Option<String>,
}

impl ListKey {
    fn filtered(&self) -> bool {
        self.region.is_some() || self.kind.is_some()
    }

    fn link(&self, page: i64) -> String {
        let mut link = format!("/themes?statut={}", self.status.code());
        if let Some(region) = &self.region {
            link.push_str(&format!("&region={}", region.replace(|c: char| !c.is_ascii_alphanumeric(), "")));
        }
        if let Some(kind) = self.kind {
            link.push_str(&format!("&type={}", kind.code()));
        }
        format!("{link}&page={page}")
    }
}

/// The part of an index page common to all its viewers: the filters, the ranked list and its pager, and the
/// number of proposals waiting (which only the agency is shown).
pub struct ListPart {
    waiting: i64,
    body: Markup,
}

pub async fn index(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<IndexQuery>,
) -> Result<Markup, AppError> {
    let is_admin = ctx.is_admin();
    let query = query.into_inner();
    let key = ListKey {
        status: query.statut.as_deref().and_then(ThemeStatus::parse).unwrap_or(ThemeStatus::Open),
        region: query.region.filter(|r| !r.is_empty()),
        kind: query.kind.as_deref().and_then(TerritoryKind::parse).filter(|k| POSITION_KINDS.contains(k)),
        page: query.page,
    };
    let status = key.status;
    // Proposals waiting for moderation are the agency's business.
    if status == ThemeStatus::Proposed && !is_admin {
        return Err(AppError::Forbidden);
    }
    let list = state.shared(&ctx, &state.theme_lists, key.clone(), move |conn| load_list(conn, &key)).await?;
    let can_propose = is_admin || !ctx.referent_of().is_empty();
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
            @if is_admin && list.waiting > 0 {
                div class="notice notice-success" role="status" {
                    p { a href="/themes?statut=proposed" { (list.waiting) " proposition" @if list.waiting > 1 { "s" } " à examiner" } }
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
            (list.body)
        },
    ))
}

/// Reads and renders the part of an index page common to its viewers.
fn load_list(conn: &mut DbConnection, key: &ListKey) -> Result<ListPart, AppError> {
    let status = key.status;
    let (listed, pager): (Vec<(Theme, Counts)>, Pager) = if key.filtered() {
        let all = themes::ranked_themes_among(conn, status, key.region.as_deref(), key.kind)?;
        let pager = Pager::new(key.page.as_deref(), all.len() as i64, PAGE_SIZE);
        let page = all.into_iter().skip(pager.offset() as usize).take(PAGE_SIZE as usize).collect();
        (page, pager)
    } else {
        let total = themes::count_themes(conn, status)?;
        let pager = Pager::new(key.page.as_deref(), total, PAGE_SIZE);
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
    let body = html! {
        form class="search" method="get" action="/themes" role="search" aria-label="Filtrer les thèmes" {
            input type="hidden" name="statut" value=(status.code());
            div class="field" {
                label for="region" { "Région des collectivités positionnées" }
                select id="region" name="region" {
                    option value="" { "Toutes les régions" }
                    @for r in &regions { option value=(r.code) selected[key.region.as_deref() == Some(r.code.as_str())] { (r.name) } }
                }
            }
            div class="field" {
                label for="type" { "Type de collectivité" }
                select id="type" name="type" {
                    option value="" { "Tous les types" }
                    @for k in POSITION_KINDS { option value=(k.code()) selected[key.kind == Some(k)] { (k.label()) } }
                }
            }
            button class="button" type="submit" { "Filtrer" }
        }
        @if key.filtered() { p role="status" { "Rang et nombres ne comptent que les positionnements des collectivités choisies. " a href={ "/themes?statut=" (status.code()) } { "Retirer les filtres" } } }
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
            (pager.render(|n| key.link(n)))
        }
    };
    Ok(ListPart { waiting: themes::count_themes(conn, ThemeStatus::Proposed)?, body })
}

fn tab_label(status: ThemeStatus) -> &'static str {
    match status {
        ThemeStatus::Open => "Ouverts aux positionnements",
        ThemeStatus::Selected => "Retenus",
        ThemeStatus::Archived => "Archivés",
        ThemeStatus::Proposed => "À examiner",
    }
}
