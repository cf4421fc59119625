//! The diagnostic of each participant territory (docs/product.md § Lifecycle, step 4): its page (counts, map, network,
//! sources), identity sheets, sources, the moderation of inquiry group members' contributions, imports and exports, and
//! the project's view across its territories.
//!
//! Who sees a territory's diagnostic: the project's working space (the agency, the provider, every participant
//! collectivity — territories learn from each other) and the members of that territory's inquiry group. Who
//! contributes: the same people for their own territory; what the provider and the agency write is published at
//! once, what the others write waits for the provider's validation.

pub mod export;
pub mod graph;
pub mod import;
pub mod map;
pub mod moderation;
pub mod overview;
pub mod public;
pub mod sheets;
pub mod sources;

use super::paths::{diagnostic_path, idea_path};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::access::{project_and_access, Access};
use super::paths::project_path;
use super::perimeter::Perimeter;
use crate::domain::codesign::Evidence;
use crate::domain::diagnostic::{project_family_code, Domain, EntryKind, Status, FAMILIES};
use crate::domain::text::de;
use crate::storage::codesign;
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::diagnostic::{self, Author, MapEntry, MapRelation, MapSource, Place, PublicMap, PublicMaps};
use crate::storage::projects::{self, Project};
use crate::storage::territories::{PlaceNames, Territory};
use crate::storage::DbConnection;
use crate::web::context::PageCtx;
use crate::web::middleware::{content_security_policy, decode_form};
use crate::web::views::{date_fr, page, scroll_table};
use crate::web::{AppError, AppState};

pub fn sheet_path(place: Place, entry_id: i64) -> String {
    format!("{}/fiches/{entry_id}", diagnostic_path(place.project_id, place.collectivity_id))
}

pub fn source_path(place: Place, source_id: i64) -> String {
    format!("{}/sources/{source_id}", diagnostic_path(place.project_id, place.collectivity_id))
}

/// Whether a person sees a territory's diagnostic.
pub fn may_see(access: &Access, collectivity_id: i64) -> bool {
    access.reads_working_space() || access.inquiry_groups.contains(&collectivity_id)
}

/// Whether a person may add sheets, relations and sources to a territory's diagnostic (published or proposed).
pub fn may_contribute(access: &Access, collectivity_id: i64) -> bool {
    access.leads()
        || access.participant_of.contains(&collectivity_id)
        || access.inquiry_groups.contains(&collectivity_id)
}

/// The author of a contribution: the provider and the agency publish, the others propose.
pub fn author(access: &Access) -> Result<Author, AppError> {
    Ok(Author { user_id: access.require_user()?.id, publishes: access.leads() })
}

/// The categories entries may take: the built-in ones and the project's own actor families.
#[derive(Debug, Clone)]
pub struct Categories {
    families: Vec<(String, String)>,
}

impl Categories {
    pub fn load(conn: &mut DbConnection, project_id: i64) -> Result<Categories, AppError> {
        let mut families: Vec<(String, String)> =
            FAMILIES.iter().map(|(code, label)| (code.to_string(), label.to_string())).collect();
        families.extend(
            diagnostic::project_families(conn, project_id)?
                .into_iter()
                .map(|(id, label)| (project_family_code(id), label)),
        );
        Ok(Categories { families })
    }

    /// The (code, label) choices of a kind, in their order.
    pub fn of(&self, kind: EntryKind) -> Vec<(String, String)> {
        match kind {
            EntryKind::Actor => self.families.clone(),
            _ => kind.builtin_categories().iter().map(|(c, l)| (c.to_string(), l.to_string())).collect(),
        }
    }

    pub fn codes(&self, kind: EntryKind) -> Vec<String> {
        self.of(kind).into_iter().map(|(c, _)| c).collect()
    }

    pub fn label(&self, kind: EntryKind, code: &str) -> String {
        match kind {
            EntryKind::Actor => self.families.iter().find(|(c, _)| c == code).map(|(_, l)| l.clone()),
            _ => kind.builtin_categories().iter().find(|(c, _)| *c == code).map(|(_, l)| l.to_string()),
        }
        .unwrap_or_else(|| code.to_owned())
    }

    /// A category's rank in its kind's list, which picks its colour on maps.
    pub fn rank(&self, kind: EntryKind, code: &str) -> usize {
        match kind {
            EntryKind::Actor => self.families.iter().position(|(c, _)| c == code),
            _ => kind.builtin_categories().iter().position(|(c, _)| *c == code),
        }
        .unwrap_or(0)
    }
}

/// Everything a territory's diagnostic shows.
pub struct Diagnostic {
    pub project: Project,
    pub place: Place,
    pub territory: Territory,
    pub perimeter: Option<Perimeter>,
    /// The names and codes of the communes, EPCI and départements the sheets lie in.
    pub places: PlaceNames,
    pub categories: Categories,
    /// Every entry but the rejected ones; the page shows the published ones, and a person's own proposals.
    pub entries: Vec<MapEntry>,
    pub relations: Vec<MapRelation>,
    pub sources: Vec<MapSource>,
    /// (source, entry) pairs.
    pub mentions: Vec<(i64, i64)>,
    /// The published ideas of the territory's creativity cycle that cite its sheets and sources.
    pub inspirations: Vec<(Evidence, i64, String)>,
    /// When the map is public.
    pub public_map: Option<PublicMap>,
}

impl Diagnostic {
    /// The ideas a sheet or a source inspired, for those who see the territory's cycle (`codesign::may_see`):
    /// a list of links, or nothing.
    pub fn inspired(&self, access: &Access, evidence: Evidence) -> Markup {
        let ideas: Vec<&(Evidence, i64, String)> =
            self.inspirations.iter().filter(|(e, _, _)| *e == evidence).collect();
        if ideas.is_empty() || !super::access::may_see_cycle(access, self.place.collectivity_id) {
            return html! {};
        }
        html! {
            section aria-labelledby="idees-inspirees" {
                h2 id="idees-inspirees" { "Idées qu’elle a inspirées (" (ideas.len()) ")" }
                ul {
                    @for (_, id, title) in ideas {
                        li { a href=(idea_path(self.place.project_id, self.place.collectivity_id, *id)) { (title) } }
                    }
                }
            }
        }
    }

    pub fn published(&self) -> impl Iterator<Item = &MapEntry> {
        self.entries.iter().filter(|e| e.status() == Status::Published)
    }

    pub fn published_relations(&self) -> impl Iterator<Item = &MapRelation> {
        self.relations.iter().filter(|r| r.status() == Status::Published)
    }

    pub fn entry(&self, id: i64) -> Option<&MapEntry> {
        self.entries.iter().find(|e| e.id == id)
    }

    pub fn commune_name(&self, entry: &MapEntry) -> Option<&str> {
        self.places.name(entry.commune_id)
    }

    pub fn category_label(&self, entry: &MapEntry) -> String {
        self.categories.label(entry.kind(), &entry.category)
    }
}

/// The territory of an active participant of the project, or not found.
pub fn territory_of_participant(
    conn: &mut DbConnection,
    project_id: i64,
    collectivity_id: i64,
) -> Result<Territory, AppError> {
    let enrolment = projects::find_enrolment(conn, project_id, collectivity_id)?;
    if !enrolment.is_some_and(|e| e.is_active_participant()) {
        return Err(AppError::NotFound);
    }
    territory_of_collectivity(conn, collectivity_id)?.ok_or(AppError::NotFound)
}

pub fn load_diagnostic(
    conn: &mut DbConnection,
    project: Project,
    collectivity_id: i64,
) -> Result<Diagnostic, AppError> {
    let place = Place { project_id: project.id, collectivity_id };
    let territory = territory_of_participant(conn, project.id, collectivity_id)?;
    let perimeter = Perimeter::load(conn, &territory)?;
    let entries = diagnostic::entries_of_territory(conn, place)?;
    let places = diagnostic::place_names(conn, &entries)?;
    Ok(Diagnostic {
        categories: Categories::load(conn, project.id)?,
        relations: diagnostic::relations_of_territory(conn, place)?,
        sources: diagnostic::sources_of_territory(conn, place)?,
        mentions: diagnostic::mentions_of_territory(conn, place)?,
        inspirations: codesign::inspirations(conn, place)?,
        public_map: diagnostic::public_map(conn, PublicMaps::At(place))?.map(|(public, _)| public),
        entries,
        project,
        place,
        territory,
        perimeter,
        places,
    })
}

/// Loads a territory's diagnostic for a person who may see it.
pub async fn diagnostic_for(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    collectivity_id: i64,
) -> Result<(Diagnostic, Access), AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, project_id).await?;
    if !may_see(&access, collectivity_id) {
        return Err(AppError::Forbidden);
    }
    let diagnostic = state.db(move |conn| load_diagnostic(conn, project, collectivity_id)).await?;
    Ok((diagnostic, access))
}

/// Loads a territory's diagnostic for a person who may contribute to it.
pub async fn diagnostic_to_contribute(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    collectivity_id: i64,
) -> Result<(Diagnostic, Access), AppError> {
    let (diagnostic, access) = diagnostic_for(state, ctx, project_id, collectivity_id).await?;
    if !may_contribute(&access, collectivity_id) {
        return Err(AppError::Forbidden);
    }
    Ok((diagnostic, access))
}

/// What the map and its table show: the kinds, domains and categories ticked (none ticked is all), and the page
/// of the table (the map, its counts and the exports keep every sheet).
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub kinds: Vec<String>,
    pub domains: Vec<String>,
    pub categories: Vec<String>,
    pub page: Option<String>,
}

impl Filters {
    pub fn from_query(req: &HttpRequest) -> Filters {
        let mut filters = Filters::default();
        for (key, value) in decode_form(req.query_string().as_bytes()).unwrap_or_default() {
            match key.as_str() {
                "type" => filters.kinds.push(value),
                "domaine" => filters.domains.push(value),
                "categorie" => filters.categories.push(value),
                "page" => filters.page = Some(value),
                _ => {}
            }
        }
        filters
    }

    pub fn keeps(&self, entry: &MapEntry) -> bool {
        let ok = |chosen: &[String], value: &str| chosen.is_empty() || chosen.iter().any(|c| c == value);
        ok(&self.kinds, &entry.kind) && ok(&self.domains, &entry.domain) && ok(&self.categories, &entry.category)
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty() && self.domains.is_empty() && self.categories.is_empty()
    }

    /// The filters as a query string ("" when none), for links that keep them; the page is left out (a change of
    /// filters starts again from the first page, an export has every page).
    pub fn query(&self) -> String {
        let encode = |value: &str| -> String {
            value
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => char::from(b).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        let pairs: Vec<String> = [("type", &self.kinds), ("domaine", &self.domains), ("categorie", &self.categories)]
            .iter()
            .flat_map(|(key, values)| values.iter().map(move |v| format!("{key}={}", encode(v))))
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let (diagnostic, access) = diagnostic_for(&state, &ctx, project_id, collectivity_id).await?;
    let filters = Filters::from_query(&req);
    Ok(with_map_tiles(territory_page(&ctx, &diagnostic, &access, &filters)))
}

/// A page with a map: the interactive map, when a person opens it, shows OpenStreetMap's tiles, which the pages
/// with a map alone allow.
pub fn with_map_tiles(page: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_SECURITY_POLICY,
            content_security_policy(" https://tile.openstreetmap.org"),
        ))
        .body(page.into_string())
}

fn territory_page(ctx: &PageCtx, d: &Diagnostic, access: &Access, filters: &Filters) -> Markup {
    let path = diagnostic_path(d.place.project_id, d.place.collectivity_id);
    let title = format!("Diagnostic {}", de(&d.territory.name));
    let shown: Vec<&MapEntry> = d.published().filter(|e| filters.keeps(e)).collect();
    let user_id = access.user.as_ref().map(|u| u.id);
    let own_proposals: Vec<&MapEntry> = d
        .entries
        .iter()
        .filter(|e| e.status() == Status::Proposed && e.created_by == user_id && user_id.is_some())
        .collect();
    page(
        ctx,
        &title,
        html! {
            p class="breadcrumb" {
                a href=(project_path(d.project.id)) { (d.project.title) } " › "
                a href={ (project_path(d.project.id)) "/diagnostic" } { "Diagnostic" } " › " (d.territory.name)
            }
            h1 { (title) }
            p class="lead" { "Les acteurs, les espaces et les objets de l’engagement citoyen et de la coopération sur le territoire, leurs relations, et les sources qui en parlent." }
            @if may_contribute(access, d.place.collectivity_id) {
                ul class="actions no-print" {
                    @for kind in EntryKind::ALL {
                        li { a class="button" href={ (path) "/fiches/nouvelle?type=" (kind.slug()) } { "Ajouter un " (kind.label().to_lowercase()) } }
                    }
                    li { a class="button" href={ (path) "/sources/nouvelle" } { "Ajouter une source" } }
                    @if access.leads() { li { a class="button" href={ (path) "/import" } { "Importer un fichier" } } }
                }
                @if !access.leads() {
                    p class="hint" { "Ce que vous ajoutez est relu par le prestataire avant d’apparaître sur la carte." }
                }
            }
            @if !own_proposals.is_empty() {
                section aria-labelledby="propositions" {
                    h2 id="propositions" { "Vos propositions en attente (" (own_proposals.len()) ")" }
                    ul { @for entry in &own_proposals { li { a href=(sheet_path(d.place, entry.id)) { (entry.name) } " — " (entry.kind().label().to_lowercase()) } } }
                }
            }
            (counts_section(d))
            (map::map_section(d, &shown, filters, &path))
            (graph::network_section(d))
            (sources::sources_section(d))
            (public::publication_section(ctx, d, access))
            section aria-labelledby="exporter" class="no-print" {
                h2 id="exporter" { "Exporter" }
                p {
                    @if filters.is_empty() { "Les fiches publiées " } @else { "Les fiches que montrent les filtres " }
                    a href={ (path) "/export.geojson" (filters.query()) } { "en GeoJSON" } " (pour uMap, QGIS…) · "
                    a href={ (path) "/export.csv" (filters.query()) } { "en CSV" } " (tableur)"
                }
            }
        },
    )
}

/// Published entries counted by kind, and actors by family and domain.
fn counts_section(d: &Diagnostic) -> Markup {
    let published: Vec<&MapEntry> = d.published().collect();
    let actors: Vec<&&MapEntry> = published.iter().filter(|e| e.kind() == EntryKind::Actor).collect();
    let families: Vec<(String, String)> = d.categories.of(EntryKind::Actor);
    let count =
        |family: &str, domain: Domain| actors.iter().filter(|e| e.category == family && e.domain() == domain).count();
    html! {
        section aria-labelledby="chiffres" {
            h2 id="chiffres" { "En chiffres" }
            ul class="facts-inline" {
                @for kind in EntryKind::ALL {
                    li { strong { (published.iter().filter(|e| e.kind() == kind).count()) } " " (kind.plural()) }
                }
                li { strong { (d.published_relations().count()) } " relations" }
                li { strong { (d.sources.iter().filter(|s| s.status() == Status::Published).count()) } " sources" }
            }
            @if !actors.is_empty() {
                (scroll_table("Acteurs par famille et par domaine", html! {
                    table {
                        caption { "Acteurs par famille et par domaine" }
                        thead { tr {
                            th scope="col" { "Famille" }
                            @for domain in Domain::ALL { th scope="col" class="num" { (domain.label()) } }
                            th scope="col" class="num" { "Total" }
                        } }
                        tbody {
                            @for (code, label) in &families {
                                @let (citizen, thematic) = (count(code, Domain::Citizen), count(code, Domain::Thematic));
                                @if citizen + thematic > 0 {
                                    tr {
                                        th scope="row" { (label) }
                                        td class="num" { (citizen) }
                                        td class="num" { (thematic) }
                                        td class="num" { (citizen + thematic) }
                                    }
                                }
                            }
                        }
                    }
                }))
            }
        }
    }
}

/// The date a contribution was written, for lists.
pub fn written_on(at: chrono::NaiveDateTime) -> String {
    date_fr(at.date())
}
