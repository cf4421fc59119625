//! Searching the platform (`/recherche`): themes, projects, adopted plans, experience reports, the directory,
//! inspiration and lessons, by words whatever their accents and case, ranked, narrowed by kind, theme and
//! département. Only what is public is searched (`storage::search`), so every visitor gets the same results.

use actix_web::web;
use maud::{html, Markup};
use serde::Deserialize;

use super::context::PageCtx;
use super::error::url_encode;
use super::views::{number_fr, page, Pager};
use super::{AppError, AppState};
use crate::domain::search::{SearchKind, SearchTerms};
use crate::domain::territory::TerritoryKind;
use crate::domain::text::de;
use crate::storage::search::{self, Filters, Hit};
use crate::storage::territories::{find_territory, territories_of_kind};
use crate::storage::themes;

const PATH: &str = "/recherche";
const PER_PAGE: i64 = 20;
/// Results shown at most: further pages are refused, asking for more words.
const MAX_RESULTS: i64 = 1_000;

#[derive(Deserialize, Default, Clone)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    territoire: String,
    page: Option<String>,
}

impl SearchQuery {
    /// The address of this search with another kind (None: all) or page.
    fn link(&self, kind: Option<&str>, page: Option<i64>) -> String {
        let mut params = vec![("q", self.q.clone())];
        if let Some(kind) = kind {
            params.push(("type", kind.to_owned()));
        }
        if !self.theme.is_empty() {
            params.push(("theme", self.theme.clone()));
        }
        if !self.territoire.is_empty() {
            params.push(("territoire", self.territoire.clone()));
        }
        if let Some(page) = page.filter(|p| *p > 1) {
            params.push(("page", page.to_string()));
        }
        let encoded: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
        format!("{PATH}?{}", encoded.join("&"))
    }
}

/// Where a result leads.
fn hit_path(hit: &Hit) -> String {
    let project = hit.project_id.unwrap_or_default();
    match hit.kind {
        SearchKind::Theme => format!("/themes/{}", hit.id),
        SearchKind::Inspiration => format!("/inspiration/{}", hit.id),
        SearchKind::Report => format!("/retours-d-experience/{}", hit.id),
        SearchKind::Directory => format!("/annuaire/{}", hit.id),
        SearchKind::Project => format!("/projets/{}", hit.id),
        SearchKind::Plan => format!("/projets/{project}/plans/{}", hit.collectivity_id.unwrap_or_default()),
        SearchKind::Lesson => format!("/projets/{project}/enseignements"),
    }
}

/// A result's title as shown: a plan is named by its territory.
fn hit_title(hit: &Hit) -> String {
    match hit.kind {
        SearchKind::Plan => format!("Plan d’action {}", de(&hit.title)),
        _ => hit.title.clone(),
    }
}

/// The beginning of a result's text, on one line, cut at a word, without the marks of Markdown.
fn excerpt(hit: &Hit) -> String {
    if hit.kind == SearchKind::Plan {
        return format!("Projet « {} »", hit.excerpt);
    }
    let plain: String = hit.excerpt.chars().filter(|c| !matches!(c, '#' | '*' | '_' | '`' | '>' | '[' | ']')).collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    let mut out = String::new();
    for word in words.iter() {
        if out.chars().count() + word.chars().count() > 220 {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// What the form offers: the published themes and the départements.
struct Choices {
    themes: Vec<(i64, String)>,
    departements: Vec<(String, String)>,
}

struct Found {
    counts: Vec<(SearchKind, i64)>,
    hits: Vec<Hit>,
    pager: Pager,
}

pub async fn search(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<Markup, AppError> {
    let query = query.into_inner();
    let terms = SearchTerms::parse(&query.q);
    // Filters from links or the form; a value that names nothing is no filter.
    let kind = SearchKind::parse(&query.kind);
    let theme_id = query.theme.parse::<i64>().ok();
    let departement = query.territoire.trim().to_uppercase();
    let page_asked = query.page.clone();
    let searched = terms.clone();
    let (choices, found) = state
        .db(move |conn| {
            let themes = themes::published_titles(conn)?;
            let departements = territories_of_kind(conn, TerritoryKind::Departement)?
                .into_iter()
                .map(|t| (t.code.clone(), format!("{} — {}", t.code, t.name)))
                .collect();
            let choices = Choices { themes, departements };
            let Some(terms) = searched else { return Ok((choices, None)) };
            let departement = match departement.as_str() {
                "" => None,
                code => find_territory(conn, TerritoryKind::Departement, code)?.map(|t| (t.code, t.region_code)),
            };
            let all_kinds = Filters { kind: None, theme_id, departement };
            let counts = search::count_by_kind(conn, &terms, &all_kinds)?;
            let filters = Filters { kind, ..all_kinds };
            let total = counts.iter().filter(|(k, _)| kind.is_none_or(|kind| kind == *k)).map(|(_, n)| n).sum::<i64>();
            let pager = Pager::new(page_asked.as_deref(), total.min(MAX_RESULTS), PER_PAGE);
            let hits = search::search(conn, &terms, &filters, PER_PAGE, pager.offset())?;
            Ok((choices, Some(Found { counts, hits, pager })))
        })
        .await?;
    let title = match &terms {
        Some(_) => format!("Recherche : {}", query.q.trim()),
        None => "Rechercher".to_owned(),
    };
    Ok(page(
        &ctx,
        &title,
        html! {
            h1 { "Rechercher" }
            p class="lead" { "Dans les thèmes, les projets, les plans d’action adoptés, les retours d’expérience, l’annuaire des acteurs, l’inspiration et les enseignements partagés. Les accents et les majuscules ne comptent pas ; chaque mot est cherché au début des mots (« atelier » trouve « ateliers »)." }
            form class="search" method="get" action=(PATH) role="search" aria-label="Rechercher sur la plateforme" {
                div class="field" {
                    label for="q" { "Mots cherchés" }
                    input type="search" id="q" name="q" value=(query.q) autocomplete="off";
                }
                div class="field" {
                    label for="type" { "Dans" }
                    select id="type" name="type" {
                        option value="" { "Tout" }
                        @for k in SearchKind::ALL { option value=(k.code()) selected[Some(k) == kind] { (k.plural()) } }
                    }
                }
                div class="field" {
                    label for="theme" { "Thème" }
                    select id="theme" name="theme" {
                        option value="" { "Tous" }
                        @for (id, name) in &choices.themes { option value=(id) selected[Some(*id) == theme_id] { (name) } }
                    }
                }
                div class="field" {
                    label for="territoire" { "Département" }
                    select id="territoire" name="territoire" {
                        option value="" { "Tous" }
                        @for (code, name) in &choices.departements { option value=(code) selected[query.territoire.eq_ignore_ascii_case(code)] { (name) } }
                    }
                }
                button class="button" type="submit" { "Rechercher" }
            }
            @if query.q.trim().is_empty() {
            } @else if let Some(found) = &found {
                @let total: i64 = found.counts.iter().map(|(_, n)| n).sum();
                section aria-labelledby="resultats" {
                    h2 id="resultats" {
                        @match total { 0 => { "Aucun résultat" } 1 => { "1 résultat" } n => { (number_fr(n)) " résultats" } }
                    }
                    @if total == 0 {
                        p { "Essayez moins de mots, un autre mot, ou sans le thème et le département choisis." }
                    } @else {
                        nav class="facets" aria-label="Résultats par type" {
                            ul {
                                li { a href=(query.link(None, None)) aria-current=[kind.is_none().then_some("page")] { "Tout (" (number_fr(total)) ")" } }
                                @for (k, n) in &found.counts {
                                    li { a href=(query.link(Some(k.code()), None)) aria-current=[(Some(*k) == kind).then_some("page")] { (k.plural()) " (" (number_fr(*n)) ")" } }
                                }
                            }
                        }
                        ol class="results" start=(found.pager.offset() + 1) {
                            @for hit in &found.hits {
                                li {
                                    h3 { a href=(hit_path(hit)) { (hit_title(hit)) } }
                                    p class="meta" { (hit.kind.singular()) }
                                    @let text = excerpt(hit);
                                    @if !text.is_empty() { p { (text) } }
                                }
                            }
                        }
                        @if found.pager.total >= MAX_RESULTS && found.pager.page == found.pager.pages {
                            p { "Les " (number_fr(MAX_RESULTS)) " premiers résultats sont montrés : ajoutez un mot pour trouver les autres." }
                        }
                        (found.pager.render(|p| query.link(kind.map(SearchKind::code), Some(p))))
                    }
                }
            } @else {
                p role="status" { "Écrivez au moins un mot de deux lettres (les mots très courants comme « le » ou « des » ne sont pas cherchés)." }
            }
        },
    ))
}
