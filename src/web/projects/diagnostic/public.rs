//! Public maps: the project's leads (the provider, the agency) make a territory's diagnostic map public once its
//! sheets may be seen by all — inhabitants, other territories, reusers. A visitor then reads the map, its table and
//! each sheet, and downloads them; the API (`/api/v1/maps`) and open data carry the same sheets.
//!
//! What is public is the **published** sheets only, without their contact, resources, moderation note or the file
//! they came from; never a proposed or rejected sheet, a relation, a source or the ideas a sheet inspired. The
//! public loader does not read those at all: what is not loaded cannot be shown.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::export::Export;
use super::sheets::{identity_facts, sheet_picture};
use super::{map, territory_of_participant, with_map_tiles, Categories, Diagnostic, Filters};
use crate::domain::text::de;
use crate::storage::diagnostic::{self, Place, PublicMap, PublicMaps};
use crate::storage::projects::{self, Project};
use crate::storage::territories::Territory;
use crate::storage::{self as store, DbConnection};
use crate::web::context::PageCtx;
use crate::web::projects::access::{project_and_access, Access};
use crate::web::projects::paths::{diagnostic_path, project_path, public_map_path};
use crate::web::projects::perimeter::Perimeter;
use crate::web::views::{csrf_field, date_fr, page, see_other};
use crate::web::{AppError, AppState};

/// What a public page shows: the published sheets and what names them; no relation, source, mention or idea.
fn load(conn: &mut DbConnection, place: Place) -> Result<Diagnostic, AppError> {
    let (public, territory) = diagnostic::public_map(conn, PublicMaps::At(place))?.ok_or(AppError::NotFound)?;
    let project = projects::find_project(conn, place.project_id)?.ok_or(AppError::NotFound)?;
    let entries = diagnostic::published_entries_of_territory(conn, place)?;
    Ok(Diagnostic {
        categories: Categories::load(conn, place.project_id)?,
        perimeter: Perimeter::load(conn, &territory)?,
        places: diagnostic::place_names(conn, &entries)?,
        relations: Vec::new(),
        sources: Vec::new(),
        mentions: Vec::new(),
        inspirations: Vec::new(),
        public_map: Some(public),
        entries,
        project,
        place,
        territory,
    })
}

async fn load_public(state: &AppState, project_id: i64, collectivity_id: i64) -> Result<Diagnostic, AppError> {
    state.db(move |conn| load(conn, Place { project_id, collectivity_id })).await
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let d = load_public(&state, project_id, collectivity_id).await?;
    Ok(with_map_tiles(map_page(&ctx, &d, &Filters::from_query(&req))))
}

fn map_page(ctx: &PageCtx, d: &Diagnostic, filters: &Filters) -> Markup {
    let path = public_map_path(d.place.project_id, d.place.collectivity_id);
    let title = format!("Carte {}", de(&d.territory.name));
    let shown: Vec<_> = d.published().filter(|e| filters.keeps(e)).collect();
    page(
        ctx,
        &title,
        html! {
            p class="breadcrumb" { a href=(project_path(d.project.id)) { (d.project.title) } " › " (title) }
            h1 { (title) }
            p class="lead" {
                "Les acteurs, les espaces et les objets de l’engagement citoyen et de la coopération qu’a recensés le diagnostic "
                (de(&d.territory.name)) ", dans le cadre du projet « " (d.project.title) " »."
            }
            @if let Some(public) = &d.public_map {
                p class="meta" { "Carte publique depuis le " (date_fr(public.published_at.date())) ". Chaque fiche dit sa dernière mise à jour." }
            }
            (map::map_section(d, &shown, filters, &path))
            section aria-labelledby="telecharger" class="no-print" {
                h2 id="telecharger" { "Télécharger" }
                p {
                    @if filters.is_empty() { "Les fiches de la carte " } @else { "Les fiches que montrent les filtres " }
                    a href={ (path) "/export.geojson" (filters.query()) } { "en GeoJSON" } " (pour uMap, QGIS…) · "
                    a href={ (path) "/export.csv" (filters.query()) } { "en CSV" } " (tableur), sous "
                    a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/" { "Licence Ouverte 2.0" } ". "
                    "Toutes les cartes publiques sont aussi dans les " a href="/donnees-ouvertes" { "données ouvertes" } " et l’" a href="/api" { "API publique" } "."
                }
            }
        },
    )
}

pub async fn sheet(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id, entry_id) = path.into_inner();
    let d = load_public(&state, project_id, collectivity_id).await?;
    let entry = d.entry(entry_id).ok_or(AppError::NotFound)?;
    let map = public_map_path(project_id, collectivity_id);
    Ok(page(
        &ctx,
        &entry.name,
        html! {
            p class="breadcrumb" {
                a href=(project_path(d.project.id)) { (d.project.title) } " › "
                a href=(map) { "Carte " (de(&d.territory.name)) }
            }
            article class="sheet" {
                p class="kicker" { (entry.kind().label()) " · " (d.category_label(entry)) " · " (entry.domain().label()) }
                h1 { (entry.name) }
                (identity_facts(&d, entry, true))
                @if let Some(picture) = sheet_picture(&d, entry) { figure class="map map-small" { (picture) } }
                p class="meta" { "Fiche mise à jour le " (date_fr(entry.updated_at.date())) "." }
            }
            p class="no-print" { a href={ (map) "#fiches" } { "Revenir à la carte " (de(&d.territory.name)) } }
        },
    ))
}

/// A public map's sheets, as its filters narrow them.
async fn export(state: &AppState, project_id: i64, collectivity_id: i64, filters: Filters) -> Result<Export, AppError> {
    state
        .db(move |conn| {
            let place = Place { project_id, collectivity_id };
            let (_, territory) = diagnostic::public_map(conn, PublicMaps::At(place))?.ok_or(AppError::NotFound)?;
            Export::of_public_map(conn, place, &territory.name, &filters)
        })
        .await
}

pub async fn geojson(
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    export(&state, project_id, collectivity_id, Filters::from_query(&req)).await?.geojson()
}

pub async fn csv(
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    export(&state, project_id, collectivity_id, Filters::from_query(&req)).await?.csv()
}

#[derive(Deserialize)]
pub struct PublicationForm {
    publique: String,
}

/// The leads make the map public (« oui ») or take it back (« non »); either, sent twice, changes nothing more.
pub async fn publish(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<PublicationForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = ctx.require_user()?.id;
    let (project_id, collectivity_id) = path.into_inner();
    let (_, access) = project_and_access(&state, &ctx, project_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    let public = match form.publique.as_str() {
        "oui" => true,
        "non" => false,
        _ => return Err(AppError::BadRequest("Choisissez de rendre la carte publique ou de la retirer.".into())),
    };
    let place = Place { project_id, collectivity_id };
    let changed = state
        .db(move |conn| {
            let territory = territory_of_participant(conn, project_id, collectivity_id)?;
            store::write_transaction(conn, |conn| {
                Ok::<_, AppError>(if public {
                    diagnostic::publish_map(conn, place, user_id, &territory.name)?
                } else {
                    diagnostic::withdraw_map(conn, place)?
                })
            })
        })
        .await?;
    ctx.set_flash(match (public, changed) {
        (true, true) => "La carte est publique : tout le monde peut la consulter et la télécharger.",
        (true, false) => "La carte était déjà publique.",
        (false, true) => "La carte n’est plus publique.",
        (false, false) => "La carte n’était pas publique.",
    });
    Ok(see_other(&format!("{}#carte-publique", diagnostic_path(project_id, collectivity_id))))
}

/// On the territory's diagnostic: whether its map is public, and for the leads the button that decides it.
pub fn publication_section(ctx: &PageCtx, d: &Diagnostic, access: &Access) -> Markup {
    let path = diagnostic_path(d.place.project_id, d.place.collectivity_id);
    let public_path = public_map_path(d.place.project_id, d.place.collectivity_id);
    html! {
        section aria-labelledby="carte-publique" class="no-print" {
            h2 id="carte-publique" { "Carte publique" }
            @if let Some(public) = &d.public_map {
                p {
                    "La carte est publique depuis le " (date_fr(public.published_at.date())) " : "
                    a href=(public_path) { "la carte publique " (de(&d.territory.name)) } "."
                }
            } @else {
                p { "La carte n’est pas publique : seuls l’espace de travail du projet et le groupe d’enquête du territoire la voient." }
            }
            @if access.leads() {
                p class="hint" {
                    "Publique, la carte montre à tous les fiches publiées — nom, nature, famille ou type, domaine, description, publics, façon d’associer les habitants, adresse, horaires, accessibilité, liens, commune et position — "
                    "et les met dans l’API et les données ouvertes. Jamais leurs contacts ni leurs ressources, ni les propositions en attente, les relations ou les sources."
                }
                form method="post" action={ (path) "/carte-publique" } {
                    (csrf_field(ctx))
                    @if d.public_map.is_some() {
                        input type="hidden" name="publique" value="non";
                        button class="button secondary" type="submit" { "Retirer la carte publique" }
                    } @else {
                        input type="hidden" name="publique" value="oui";
                        button class="button" type="submit" { "Rendre la carte publique" }
                    }
                }
            }
        }
    }
}

/// On the project page, for everyone: the territories whose map is public.
pub fn project_section(project: &Project, maps: &[(PublicMap, Territory)]) -> Markup {
    html! {
        @if !maps.is_empty() {
            h3 { "Cartes publiques" }
            ul {
                @for (public, territory) in maps {
                    li { a href=(public_map_path(project.id, public.collectivity_id)) { "Carte " (de(&territory.name)) } }
                }
            }
        }
    }
}
