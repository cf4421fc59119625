//! A participant territory's perimeter, drawn by the server: its outline and, for an intercommunality, its member
//! communes, with the list of communes beside the map for those who do not see it. Shown when outlines were
//! imported (`encommun import-boundaries`, or the administration).

use maud::{html, Markup};

use crate::domain::territory::TerritoryKind;
use crate::domain::text::de;
use crate::geo::shapes::{Area, BBox};
use crate::geo::svg::{path_data, Frame};
use crate::storage::territories::{communes_of_epci, communes_of_ept, Territory};
use crate::storage::{boundaries, DbConnection};
use crate::web::AppError;

/// What the map needs: the territory's outline, and its communes with theirs.
pub struct Perimeter {
    name: String,
    outline: Option<Area>,
    communes: Vec<(Territory, Option<Area>)>,
}

/// The communes of a territory: an intercommunality's or an EPT's members, a commune itself, none for a larger
/// territory.
pub fn communes_of_territory(conn: &mut DbConnection, territory: &Territory) -> Result<Vec<Territory>, AppError> {
    Ok(match territory.kind() {
        TerritoryKind::Epci => communes_of_epci(conn, &territory.code)?,
        TerritoryKind::Ept => communes_of_ept(conn, &territory.code)?,
        TerritoryKind::Commune => vec![territory.clone()],
        TerritoryKind::Departement | TerritoryKind::Region => Vec::new(),
    })
}

impl Perimeter {
    /// The perimeter of a territory, or None when no outline of it or of its communes is known.
    pub fn load(conn: &mut DbConnection, territory: &Territory) -> Result<Option<Perimeter>, AppError> {
        let communes = match territory.kind() {
            TerritoryKind::Commune => Vec::new(),
            _ => communes_of_territory(conn, territory)?,
        };
        let mut ids: Vec<i64> = communes.iter().map(|c| c.id).collect();
        ids.push(territory.id);
        let mut areas = boundaries::areas_of_territories(conn, &ids)?;
        if areas.is_empty() {
            return Ok(None);
        }
        let mut take = |id: i64| areas.iter().position(|(i, _)| *i == id).map(|p| areas.swap_remove(p).1);
        let outline = take(territory.id);
        let communes = communes.into_iter().map(|c| (take(c.id), c)).map(|(area, c)| (c, area)).collect();
        Ok(Some(Perimeter { name: territory.name.clone(), outline, communes }))
    }

    /// Whether a point lies within the territory's outline, or one of its communes' when its own is not known.
    pub fn holds(&self, lon: f64, lat: f64) -> bool {
        match &self.outline {
            Some(outline) => outline.contains(lon, lat),
            None => self.communes.iter().filter_map(|(_, a)| a.as_ref()).any(|a| a.contains(lon, lat)),
        }
    }

    /// The boxes of every outline drawn, to fit a frame around them.
    pub fn boxes(&self) -> Vec<BBox> {
        let mut boxes: Vec<BBox> = self.communes.iter().filter_map(|(_, a)| a.as_ref().map(|a| a.bbox)).collect();
        boxes.extend(self.outline.as_ref().map(|a| a.bbox));
        boxes
    }

    /// The communes' outlines, then the territory's over them, in a frame.
    pub fn paths(&self, frame: &Frame) -> Markup {
        html! {
            @for (_, area) in &self.communes {
                @if let Some(area) = area { path class="map-commune" fill-rule="evenodd" d=(path_data(area, frame)) {} }
            }
            @if let Some(outline) = &self.outline {
                path class="map-outline" fill-rule="evenodd" d=(path_data(outline, frame)) {}
            }
        }
    }
}

/// The map and the list of communes.
pub fn perimeter_section(perimeter: &Perimeter) -> Markup {
    let Some(frame) = Frame::fitting(&perimeter.boxes(), 600.0) else { return html! {} };
    let view_box = format!("0 0 {:.0} {:.0}", frame.width, frame.height + frame.width * 0.04);
    let drawn = perimeter.communes.iter().filter(|(_, a)| a.is_some()).count();
    html! {
        section aria-labelledby="territoire" {
            h2 id="territoire" { "Le territoire" }
            figure class="map" {
                svg role="img" aria-labelledby="carte-titre" viewBox=(view_box) xmlns="http://www.w3.org/2000/svg" {
                    title id="carte-titre" {
                        "Carte " (de(&perimeter.name))
                        @if drawn == 1 { " et de sa commune (nommée ci-dessous)" }
                        @if drawn > 1 { " et de ses " (drawn) " communes (liste ci-dessous)" }
                    }
                    (perimeter.paths(&frame))
                }
                figcaption class="small" { "Contours : IGN Admin Express, INSEE — Licence Ouverte." }
            }
            @if !perimeter.communes.is_empty() {
                details {
                    summary {
                        @if perimeter.communes.len() == 1 { "La commune de " } @else { "Les " (perimeter.communes.len()) " communes de " }
                        (perimeter.name)
                    }
                    ul class="columns" {
                        @for (commune, _) in &perimeter.communes {
                            li { (commune.name) @if let Some(p) = commune.population { span class="meta" { " (" (p) " hab.)" } } }
                        }
                    }
                }
            }
        }
    }
}
