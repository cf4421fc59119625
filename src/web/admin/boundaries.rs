//! The agency uploads territory outlines (GeoJSON, WGS84 or Lambert-93), as `encommun import-boundaries` does, and
//! reads what was stored, what was converted and which codes matched no territory.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use crate::domain::territory::TerritoryKind;
use crate::import::boundaries::{import_boundaries, BoundaryReport};
use crate::storage::boundaries::count_boundaries_by_kind;
use crate::web::context::PageCtx;
use crate::web::upload;
use crate::web::views::{html_response, page};
use crate::web::{AppError, AppState};

/// Largest file accepted: the communes of a whole region, simplified, weigh tens of megabytes.
const MAX_UPLOAD: usize = 64 * 1024 * 1024;
const PATH: &str = "/admin/contours";

fn boundaries_page(ctx: &PageCtx, counts: &[(String, i64)], outcome: Option<Result<&BoundaryReport, &str>>) -> Markup {
    let count_of = |kind: TerritoryKind| counts.iter().find(|(k, _)| k == kind.code()).map_or(0, |(_, n)| *n);
    page(
        ctx,
        "Contours des territoires",
        html! {
            p class="breadcrumb" { a href="/admin" { "Administration" } " › Contours des territoires" }
            h1 { "Contours des territoires" }
            p { "Les contours servent aux cartes des diagnostics et à situer les acteurs et les lieux dans leur commune. Ils sont rapprochés des territoires par leur code officiel (code INSEE de la commune, SIREN de l’EPCI, code du département)." }
            ul class="stats" {
                @for kind in [TerritoryKind::Commune, TerritoryKind::Epci, TerritoryKind::Departement] {
                    li { strong { (count_of(kind)) } " " (kind.plural_label()) " avec un contour" }
                }
            }
            @match outcome {
                Some(Ok(report)) => {
                    div class="notice notice-success" role="status" {
                        @for (kind, n) in &report.stored { p { (n) " contour(s) enregistré(s) — " (kind.plural_label()) "." } }
                        @if report.lambert93 { p { "Les coordonnées étaient en Lambert-93 : elles ont été converties en WGS84." } }
                    }
                    @for (kind, codes) in unknown_by_kind(report) {
                        div class="notice notice-warning" {
                            p {
                                (codes.len()) " code(s) " (kind_words(kind)) " inconnus de la plateforme"
                                @if kind == TerritoryKind::Commune { " (des communes fusionnées depuis la date du fichier, le plus souvent)" }
                                " : " (codes.join(", ")) "."
                            }
                        }
                    }
                    @if !report.self_intersecting.is_empty() {
                        div class="notice notice-warning" {
                            p {
                                (report.self_intersecting.len()) " contour(s) invalide(s) : leur bord se croise lui-même (ils sont enregistrés ; le fichier mérite d’être vérifié, par exemple dans QGIS) — "
                                (report.self_intersecting.iter().map(|(_, code)| code.as_str()).collect::<Vec<_>>().join(", ")) "."
                            }
                        }
                    }
                    @for (kind, count, names) in &report.without_outline {
                        div class="notice" {
                            p {
                                (count) " " (kind.plural_label()) " de la plateforme n’ont pas encore de contour"
                                @if (names.len() as i64) < *count { ", dont " } @else { " : " }
                                (names.join(", ")) "."
                            }
                        }
                    }
                    @if report.without_code + report.points > 0 {
                        p { "Ignorés : " (report.without_code) " objet(s) sans code officiel, " (report.points) " point(s)." }
                    }
                }
                Some(Err(message)) => {
                    div class="notice notice-error" role="alert" { p { (message) } p { "Rien n’a été importé de ce fichier." } }
                }
                None => {}
            }
            h2 { "Importer un fichier" }
            form class="form" method="post" enctype="multipart/form-data" action={ (PATH) "?csrf_token=" (ctx.csrf_token()) } {
                div class="field" {
                    label for="fichier" { "Fichier GeoJSON (64 Mo au plus)" }
                    p class="hint" id="fichier-aide" { "Une FeatureCollection ou une Feature ; polygones ou multipolygones ; en WGS84 (EPSG:4326) ou en Lambert-93 (EPSG:2154), reconnu et converti. Un contour déjà connu est remplacé." }
                    input type="file" id="fichier" name="fichier" accept=".geojson,.json,application/geo+json,application/json" required aria-describedby="fichier-aide";
                }
                button class="button" type="submit" { "Importer les contours" }
            }
        },
    )
}

/// Unknown codes grouped by the kind of territory their shape says, in the file's order.
fn unknown_by_kind(report: &BoundaryReport) -> Vec<(TerritoryKind, Vec<&str>)> {
    let mut groups: Vec<(TerritoryKind, Vec<&str>)> = Vec::new();
    for (kind, code) in &report.unknown {
        match groups.iter_mut().find(|(k, _)| k == kind) {
            Some((_, codes)) => codes.push(code),
            None => groups.push((*kind, vec![code])),
        }
    }
    groups
}

fn kind_words(kind: TerritoryKind) -> &'static str {
    match kind {
        TerritoryKind::Commune => "de communes",
        TerritoryKind::Epci | TerritoryKind::Ept => "d’intercommunalités",
        TerritoryKind::Departement => "de départements",
        TerritoryKind::Region => "de régions",
    }
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let counts = state.db(|conn| Ok(count_boundaries_by_kind(conn)?)).await?;
    Ok(boundaries_page(&ctx, &counts, None))
}

pub async fn upload(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    ctx.require_admin()?;
    let body = upload::read_body(payload, MAX_UPLOAD).await?;
    let parts = upload::parts(&req, &body)?;
    // The file's bytes go to the import as they are: neither the part nor its text is copied.
    let file = parts
        .into_iter()
        .find(|p| p.name == "fichier" && !p.data.is_empty())
        .map(|p| p.data)
        .ok_or("Choisissez un fichier GeoJSON à importer.");
    let (outcome, counts) = state
        .db(move |conn| {
            let outcome = file.map_err(str::to_owned).and_then(|data| {
                let text = std::str::from_utf8(&data).map_err(|_| {
                    "Le fichier n’est pas du texte UTF-8 : enregistrez-le en GeoJSON (UTF-8).".to_owned()
                })?;
                import_boundaries(conn, text)
            });
            Ok((outcome, count_boundaries_by_kind(conn)?))
        })
        .await?;
    let status = if outcome.is_ok() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_response(status, boundaries_page(&ctx, &counts, Some(outcome.as_ref().map_err(String::as_str)))))
}
