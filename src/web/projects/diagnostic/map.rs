//! The diagnostic's map, drawn by the server as SVG: the territory's communes and outline, a marker per located
//! sheet (its shape says actor, space or object, its colour the family or type), a legend, filters that work
//! without JavaScript, and the table that says the same for those who do not see the map.

use maud::{html, Markup, PreEscaped};

use super::{Diagnostic, Filters};
use crate::domain::diagnostic::{Domain, EntryKind};
use crate::domain::text::de;
use crate::geo::shapes::BBox;
use crate::geo::svg::Frame;
use crate::storage::diagnostic::MapEntry;
use crate::web::assets;
use crate::web::projects::perimeter::Perimeter;
use crate::web::views::{number_fr, scroll_table, Pager};

/// Colours of families and types, told apart by people with the common colour-vision deficiencies (Okabe–Ito
/// first), each outlined in near-black so that markers stand out at 3:1 on the map's light fill.
pub const PALETTE: [&str; 12] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#6B3FA0", "#8C564B", "#7F7F7F",
    "#17BECF", "#BCBD22",
];

pub fn colour(rank: usize) -> &'static str {
    PALETTE[rank % PALETTE.len()]
}

/// A located sheet as the map draws it.
pub struct Marker<'a> {
    pub lon: f64,
    pub lat: f64,
    pub kind: EntryKind,
    /// The rank of its family or type, for its colour.
    pub rank: usize,
    pub name: &'a str,
}

/// The SVG path of a marker's shape centred on (x, y): a circle for an actor, a square for a space, a diamond for
/// an object.
pub fn shape(kind: EntryKind, x: f64, y: f64, size: f64) -> String {
    match kind {
        EntryKind::Actor => format!(
            "M{:.1} {y:.1}a{size:.1} {size:.1} 0 1 0 {:.1} 0a{size:.1} {size:.1} 0 1 0 {:.1} 0z",
            x - size,
            2.0 * size,
            -2.0 * size
        ),
        EntryKind::Space => {
            let s = size * 0.9;
            format!("M{:.1} {:.1}h{:.1}v{:.1}h{:.1}z", x - s, y - s, 2.0 * s, 2.0 * s, -2.0 * s)
        }
        EntryKind::Object => {
            let s = size * 1.25;
            format!("M{x:.1} {:.1}l{s:.1} {s:.1}l{:.1} {s:.1}l{:.1} {:.1}z", y - s, -s, -s, -s)
        }
    }
}

/// The map's picture: the perimeter (when its outlines are known) and the markers, in a frame holding both. None
/// when there is nothing to place.
pub fn draw_map(perimeter: Option<&Perimeter>, markers: &[Marker], title: &str, width: f64) -> Option<Markup> {
    let mut boxes: Vec<BBox> = perimeter.map(Perimeter::boxes).unwrap_or_default();
    if let Some(first) = markers.first() {
        let start = BBox { min_lon: first.lon, min_lat: first.lat, max_lon: first.lon, max_lat: first.lat };
        let points = markers.iter().fold(start, |b, m| BBox {
            min_lon: b.min_lon.min(m.lon),
            min_lat: b.min_lat.min(m.lat),
            max_lon: b.max_lon.max(m.lon),
            max_lat: b.max_lat.max(m.lat),
        });
        // Without outlines around them, markers get a margin (a tenth of their spread, 500 m at least) so that
        // none sits on the picture's edge and a single one is not a whole map.
        let pad_lon = ((points.max_lon - points.min_lon) * 0.1).max(0.007);
        let pad_lat = ((points.max_lat - points.min_lat) * 0.1).max(0.005);
        boxes.push(BBox {
            min_lon: points.min_lon - pad_lon,
            min_lat: points.min_lat - pad_lat,
            max_lon: points.max_lon + pad_lon,
            max_lat: points.max_lat + pad_lat,
        });
    }
    let frame = Frame::fitting(&boxes, width)?;
    let view_box = format!("0 0 {:.0} {:.0}", frame.width, frame.height + frame.width * 0.04);
    // Marker size shrinks a little as they crowd, so that thousands stay readable.
    let size = if markers.len() > 1000 {
        3.5
    } else if markers.len() > 200 {
        4.5
    } else {
        6.0
    };
    let mut drawn = String::with_capacity(markers.len() * 96);
    for marker in markers {
        let (x, y) = frame.point(marker.lon, marker.lat);
        drawn.push_str(&format!(
            "<path d=\"{}\" fill=\"{}\"><title>{}</title></path>",
            shape(marker.kind, x, y, size),
            colour(marker.rank),
            maud::html! { (marker.name) }.into_string()
        ));
    }
    // A few markers carry their name; beyond, names would cover the map (the table has them).
    let labels: Vec<(f64, f64, &str)> = if markers.len() <= LABELLED {
        markers.iter().map(|m| (frame.point(m.lon, m.lat), m.name)).map(|((x, y), n)| (x, y, n)).collect()
    } else {
        Vec::new()
    };
    let (bar_km, bar) = scale_bar(frame.units_per_km(), frame.width);
    let bottom = frame.height + frame.width * 0.03;
    Some(html! {
        svg role="img" aria-labelledby="carte-diagnostic-titre" viewBox=(view_box) xmlns="http://www.w3.org/2000/svg" {
            title id="carte-diagnostic-titre" { (title) }
            @if let Some(perimeter) = perimeter { (perimeter.paths(&frame)) }
            g class="map-markers" { (PreEscaped(drawn)) }
            @for (x, y, name) in &labels {
                // Names of markers on the right half go to their left, so that they stay in the picture.
                @if *x >= frame.width / 2.0 {
                    text class="node-label" text-anchor="end" x=(format!("{:.1}", x - size - 3.0)) y=(format!("{:.1}", y + 4.0)) { (name) }
                } @else {
                    text class="node-label" x=(format!("{:.1}", x + size + 3.0)) y=(format!("{:.1}", y + 4.0)) { (name) }
                }
            }
            g class="map-scale" {
                line x1="12" y1=(format!("{bottom:.0}")) x2=(format!("{:.1}", 12.0 + bar)) y2=(format!("{bottom:.0}")) {}
                text x=(format!("{:.1}", 18.0 + bar)) y=(format!("{:.0}", bottom + 4.0)) { (if bar_km >= 1.0 { format!("{bar_km} km") } else { format!("{:.0} m", bar_km * 1000.0) }) }
            }
        }
    })
}

/// Sheets beyond the territory named under the map at most (the table and the exports have them all).
const BEYOND_LISTED: usize = 50;

/// Markers named on the map itself at most.
const LABELLED: usize = 25;

/// A scale bar of a round length (1, 2 or 5 times a power of ten kilometres) about a sixth of the picture wide:
/// (its length in km, its length in picture units).
fn scale_bar(units_per_km: f64, width: f64) -> (f64, f64) {
    let target_km = width / 6.0 / units_per_km;
    let power = 10f64.powf(target_km.log10().floor());
    let km = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).rfind(|km| *km <= target_km).unwrap_or(power);
    (km, km * units_per_km)
}

/// The legend's symbol of a kind in a colour.
fn symbol(kind: EntryKind, fill: &str) -> Markup {
    html! {
        svg class="legend-symbol" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false" {
            path d=(shape(kind, 10.0, 10.0, 7.0)) fill=(fill) {}
        }
    }
}

/// The map of a territory's diagnostic at `path` — the working space's or the public map's, whose sheets are at
/// `{path}/fiches/{id}` and GeoJSON at `{path}/export.geojson` alike.
pub fn map_section(d: &Diagnostic, shown: &[&MapEntry], filters: &Filters, path: &str) -> Markup {
    // The map frames its territory: a place beyond its outline (an import of a national file) is counted and listed
    // apart, never shrinks the territory to a few pixels.
    let (located, beyond): (Vec<&&MapEntry>, Vec<&&MapEntry>) =
        shown.iter().filter(|e| e.location().is_some()).partition(|e| match (&d.perimeter, e.location()) {
            (Some(perimeter), Some((lon, lat))) => perimeter.holds(lon, lat),
            _ => true,
        });
    let markers: Vec<Marker> = located
        .iter()
        .filter_map(|e| {
            let (lon, lat) = e.location()?;
            Some(Marker { lon, lat, kind: e.kind(), rank: d.categories.rank(e.kind(), &e.category), name: &e.name })
        })
        .collect();
    let title = format!(
        "Carte du diagnostic {} : {} fiche{} située{} sur {} (tableau ci-dessous)",
        de(&d.territory.name),
        markers.len(),
        if markers.len() > 1 { "s" } else { "" },
        if markers.len() > 1 { "s" } else { "" },
        shown.len()
    );
    let picture = draw_map(d.perimeter.as_ref(), &markers, &title, 800.0);
    // The legend: each family or type present among what is shown, with its count.
    let mut legend: Vec<(EntryKind, String, usize, usize)> = Vec::new();
    for entry in shown {
        let kind = entry.kind();
        match legend.iter_mut().find(|(k, c, _, _)| *k == kind && *c == entry.category) {
            Some(item) => item.3 += 1,
            None => legend.push((kind, entry.category.clone(), d.categories.rank(kind, &entry.category), 1)),
        }
    }
    legend.sort_by_key(|item| (item.0, item.2));
    // Filter choices: what the territory has, whatever is shown now.
    let mut present: Vec<(EntryKind, String)> = Vec::new();
    for entry in d.published() {
        if !present.iter().any(|(k, c)| *k == entry.kind() && *c == entry.category) {
            present.push((entry.kind(), entry.category.clone()));
        }
    }
    present.sort_by_key(|(k, c)| (*k, d.categories.rank(*k, c)));
    let total = d.published().count();
    html! {
        section aria-labelledby="carte" {
            h2 id="carte" { "Carte" }
            @if total == 0 {
                p { "Aucune fiche publiée pour l’instant." }
            } @else {
                form class="filters no-print" method="get" action={ (path) "#carte" } {
                    fieldset class="filter-group" {
                        legend { "Montrer" }
                        @for kind in EntryKind::ALL {
                            div class="choice" {
                                input type="checkbox" name="type" id={ "filtre-" (kind.code()) } value=(kind.code()) checked[filters.kinds.iter().any(|k| k == kind.code())];
                                label for={ "filtre-" (kind.code()) } { (kind.plural()) }
                            }
                        }
                    }
                    fieldset class="filter-group" {
                        legend { "Domaine" }
                        @for domain in Domain::ALL {
                            div class="choice" {
                                input type="checkbox" name="domaine" id={ "filtre-" (domain.code()) } value=(domain.code()) checked[filters.domains.iter().any(|k| k == domain.code())];
                                label for={ "filtre-" (domain.code()) } { (domain.label()) }
                            }
                        }
                    }
                    fieldset class="filter-group filter-long" {
                        legend { "Familles et types" }
                        @for (kind, code) in &present {
                            div class="choice" {
                                input type="checkbox" name="categorie" id={ "filtre-" (kind.code()) "-" (code) } value=(code) checked[filters.categories.contains(code)];
                                label for={ "filtre-" (kind.code()) "-" (code) } { (d.categories.label(*kind, code)) }
                            }
                        }
                    }
                    p class="hint" { "Rien de coché : tout est montré." }
                    button class="button" type="submit" { "Filtrer la carte et le tableau" }
                    @if !filters.is_empty() { " " a href={ (path) "#carte" } { "Tout montrer" } }
                }
                @if !filters.is_empty() {
                    p role="status" { (shown.len()) " fiche" @if shown.len() > 1 { "s" } " sur " (total) " correspondent aux filtres." }
                }
                @if let Some(picture) = picture {
                    figure class="map map-wide" {
                        (picture)
                        figcaption class="small" {
                            @if d.perimeter.is_some() { "Contours : IGN Admin Express, INSEE — Licence Ouverte. " }
                            @let unlocated = shown.len() - markers.len() - beyond.len();
                            @if unlocated > 0 { (number_fr(unlocated as i64)) " fiche(s) sans coordonnées ne figurent que dans le tableau." }
                        }
                    }
                    @if !beyond.is_empty() {
                        details class="beyond" {
                            summary { (number_fr(beyond.len() as i64)) " fiche" @if beyond.len() > 1 { "s" } " hors du territoire" }
                            p class="small" { "Leur position est hors du contour " (de(&d.territory.name)) " : elles ne sont pas sur la carte, qui garde l’échelle du territoire." }
                            ul class="columns" {
                                @for entry in beyond.iter().take(BEYOND_LISTED) {
                                    li { a href={ (path) "/fiches/" (entry.id) } { (entry.name) } @if let Some(c) = d.commune_name(entry) { span class="meta" { " (" (c) ")" } } }
                                }
                            }
                            @if beyond.len() > BEYOND_LISTED { p class="small" { "… et " (number_fr((beyond.len() - BEYOND_LISTED) as i64)) " autres, dans le tableau et les exports." } }
                        }
                    }
                } @else {
                    p { "Aucune fiche n’a de coordonnées : elles figurent dans le tableau." }
                }
                @if !markers.is_empty() {
                    div class="no-print" data-interactive-map
                        data-geojson={ (path) "/export.geojson" (filters.query()) }
                        data-sheets={ (path) "/fiches" }
                        data-leaflet-js=(assets::url("leaflet.js"))
                        data-leaflet-css=(assets::url("leaflet.css")) {
                        button class="button secondary" type="button" hidden { "Ouvrir la carte interactive (fond OpenStreetMap)" }
                        p class="small" role="status" {}
                    }
                    script src=(assets::url("diagnostic-map.js")) defer {}
                }
                @if !legend.is_empty() {
                    h3 { "Légende" }
                    ul class="legend" {
                        @for (kind, code, rank, n) in &legend {
                            li { (symbol(*kind, colour(*rank))) " " (d.categories.label(*kind, code)) " (" (kind.label().to_lowercase()) ") : " (n) }
                        }
                    }
                }
                (table(d, shown, filters, path))
            }
        }
    }
}

/// Rows of the sheets' table per page: a territory may hold thousands of imported sheets.
pub const SHEETS_PER_PAGE: i64 = 100;

/// The table alternative of the map: the sheets shown, with where they are, a page at a time.
fn table(d: &Diagnostic, shown: &[&MapEntry], filters: &Filters, path: &str) -> Markup {
    let pager = Pager::new(filters.page.as_deref(), shown.len() as i64, SHEETS_PER_PAGE);
    let query = filters.query();
    let link = |page: i64| format!("{path}{query}{}page={page}#fiches", if query.is_empty() { "?" } else { "&" });
    html! {
        h3 id="fiches" { "Les fiches" }
        (scroll_table("Les fiches de la carte", html! {
            table {
                caption {
                    "Les fiches de la carte ("
                    @if pager.pages > 1 { (pager.range()) } @else { (shown.len()) }
                    ")"
                }
                thead { tr {
                    th scope="col" { "Nom" }
                    th scope="col" { "Nature" }
                    th scope="col" { "Famille ou type" }
                    th scope="col" { "Domaine" }
                    th scope="col" { "Commune" }
                    th scope="col" { "Adresse" }
                } }
                tbody {
                    @for entry in pager.slice(shown) {
                        tr {
                            th scope="row" { a href={ (path) "/fiches/" (entry.id) } { (entry.name) } }
                            td { (entry.kind().label()) }
                            td { (d.category_label(entry)) }
                            td { (entry.domain().label()) }
                            td { (d.commune_name(entry).unwrap_or("—")) }
                            td { @if entry.address.is_empty() { @if entry.location().is_some() { "Coordonnées seules" } @else { "—" } } @else { (entry.address) } }
                        }
                    }
                }
            }
        }))
        (pager.render(link))
    }
}
