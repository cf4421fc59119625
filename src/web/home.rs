//! The home page: the collectivities registered (the latest first), the people, the most positioned open themes,
//! and the territories' counts (kept a while in `web::cache::Cached`: they may lag).

use actix_web::web;
use maud::{html, Markup};

use super::context::PageCtx;
use super::views::{number_fr, page};
use super::{AppError, AppState};
use crate::domain::territory::TerritoryKind;
use crate::domain::theme::ThemeStatus;
use crate::storage::collectivities::Collectivity;
use crate::storage::territories::Territory;
use crate::storage::themes::Theme;
use crate::storage::{collectivities, territories, themes, users, DbConnection};

/// How many of the latest collectivities the home page shows; the others are on /collectivites.
const RECENT_COLLECTIVITIES: i64 = 12;

/// What the home page counts and lists.
struct HomeFigures {
    /// Collectivities registered, and the latest of them with their number of members.
    registered_count: i64,
    registered: Vec<(Collectivity, Territory, i64)>,
    /// Territories per kind code, as `web::cache::Cached` keeps them.
    territory_counts: Vec<(String, i64)>,
    people: i64,
    top_themes: Vec<Theme>,
}

/// `cached_counts` are the territories' counts when the cache still holds them.
fn load_figures(conn: &mut DbConnection, cached_counts: Option<Vec<(String, i64)>>) -> Result<HomeFigures, AppError> {
    let territory_counts = match cached_counts {
        Some(counts) => counts,
        None => territories::count_territories_by_kind(conn)?,
    };
    Ok(HomeFigures {
        registered_count: collectivities::count_collectivities(conn)?,
        registered: collectivities::recently_registered(conn, RECENT_COLLECTIVITIES)?,
        territory_counts,
        people: users::count_users(conn)?,
        top_themes: themes::ranked_themes(conn, ThemeStatus::Open, 3, 0)?,
    })
}

pub async fn home(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    let cached_counts = state.territory_counts.fresh();
    let counted_now = cached_counts.is_none();
    let HomeFigures { registered_count, registered, territory_counts, people, top_themes } =
        state.db(move |conn| load_figures(conn, cached_counts)).await?;
    if counted_now {
        state.territory_counts.store(territory_counts.clone());
    }
    let count_of = |kind: TerritoryKind| territory_counts.iter().find(|(k, _)| k == kind.code()).map_or(0, |(_, n)| *n);
    Ok(page(
        &ctx,
        "Accueil",
        html! {
            section class="hero" {
                h1 { "Construire ensemble, entre territoires, des politiques publiques avec les habitants" }
                p class="lead" {
                    "encommun accompagne les projets partagés « Territoires en commun » : les collectivités proposent des thèmes et s’y positionnent, "
                    "s’engagent comme participantes ou observatrices, mènent un diagnostic avec leurs habitants, co-construisent un plan d’action "
                    "et partagent ce qu’elles apprennent."
                }
                p { a class="button" href="/collectivites" { "Trouver une collectivité" } }
            }
            section aria-labelledby="chiffres" {
                h2 id="chiffres" { "La plateforme aujourd’hui" }
                ul class="stats" {
                    li { strong { (number_fr(registered_count)) } " collectivités engagées" }
                    li { strong { (number_fr(people)) } " personnes inscrites" }
                    li { strong { (number_fr(count_of(TerritoryKind::Commune))) } " communes et " strong { (number_fr(count_of(TerritoryKind::Epci))) } " intercommunalités référencées" }
                }
            }
            section aria-labelledby="themes" {
                h2 id="themes" { "Les thèmes les plus partagés" }
                @if top_themes.is_empty() {
                    p { "Aucun thème n’est encore ouvert aux positionnements." }
                } @else {
                    ul class="cards" {
                        @for theme in &top_themes {
                            li class="card" {
                                h3 { a href={ "/themes/" (theme.id) } { (theme.title) } }
                                p class="meta" {
                                    (theme.positions_count) @if theme.positions_count > 1 { " collectivités positionnées" } @else { " collectivité positionnée" }
                                    ", dont " (theme.participate_count) " pour participer"
                                }
                            }
                        }
                    }
                }
                p { a href="/themes" { "Tous les thèmes" } }
            }
            section aria-labelledby="engagees" {
                h2 id="engagees" { "Les dernières collectivités engagées" }
                @if registered.is_empty() {
                    p { "Aucune collectivité n’a encore rejoint la plateforme. L’agence invite les premières depuis la page d’une collectivité." }
                } @else {
                    ul class="cards" {
                        @for (_, territory, members) in &registered {
                            li class="card" {
                                h3 { a href={ "/territoires/" (territory.kind) "/" (territory.code) } { (territory.name) } }
                                p class="meta" {
                                    (territory.kind().label())
                                    @if let Some(dep) = &territory.departement_code { " · " (dep) }
                                    " · " (members) @if *members > 1 { " membres" } @else { " membre" }
                                }
                            }
                        }
                    }
                    @if registered_count > RECENT_COLLECTIVITIES {
                        p { a href="/collectivites" { "Les " (number_fr(registered_count)) " collectivités engagées" } }
                    }
                }
            }
            section aria-labelledby="demarche" {
                h2 id="demarche" { "La démarche, en six temps" }
                ol class="steps" {
                    li { strong { "Émergence des thèmes." } " L’agence publie des ressources d’inspiration ; les collectivités proposent des thèmes et se positionnent selon leurs enjeux." }
                    li { strong { "Engagement." } " Sur un thème retenu, un projet partagé s’ouvre : 3 à 5 collectivités participantes signent la charte, d’autres observent." }
                    li { strong { "Prestataire." } " L’agence confie le travail de conception partagée à un prestataire." }
                    li { strong { "Diagnostic." } " Sur chaque territoire : acteurs, espaces et culture de l’engagement, avec un groupe d’enquête mixte qui interroge les habitants, en particulier les plus fragiles." }
                    li { strong { "Croisement des regards." } " Ateliers de créativité, plan d’action territorial adopté par l’exécutif, puis restitution aux habitants." }
                    li { strong { "Communauté apprenante." } " Échanges entre pairs, séminaires, capitalisation vers les collectivités observatrices, suivi à six mois." }
                }
            }
        },
    ))
}
