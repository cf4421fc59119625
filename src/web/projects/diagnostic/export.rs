//! Exports of the published sheets, per territory and per project: GeoJSON (points in WGS84, for uMap, QGIS or
//! GoGoCarto) and CSV (`;`-separated with a byte-order mark, as French spreadsheets expect). The CSV's column
//! names are those the import recognises, so an export can seed another territory. A public map's export
//! (`Export::of_public_map`) leaves out the columns that belong to the working space.

use std::collections::HashMap;

use crate::domain::text::spreadsheet_safe;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};

use super::map::colour;
use super::{diagnostic_for, Categories, Filters};
use crate::storage::diagnostic::{self, MapEntry, Place};
use crate::storage::projects;
use crate::storage::territories::PlaceNames;
use crate::web::context::PageCtx;
use crate::web::projects::access::project_and_access;
use crate::web::{AppError, AppState};

/// What an export holds: the sheets, and the words that name their categories, territories and places.
pub struct Export {
    entries: Vec<MapEntry>,
    categories: Categories,
    territories: HashMap<i64, String>,
    places: PlaceNames,
    file_stem: String,
    /// A public map's: without the private columns.
    public: bool,
}

/// The columns: those the import recognises (an export can seed another territory, and its `code_insee` places
/// each row again), the codes a join needs (the commune's INSEE code, the EPCI's SIREN), and `id_source`, the
/// identifier of the file a sheet was imported from.
const COLUMNS: [&str; 24] = [
    "identifiant",
    "id_source",
    "territoire",
    "nature",
    "nom",
    "categorie",
    "domaine",
    "description",
    "publics",
    "ressources",
    "engagement",
    "contact",
    "liens",
    "adresse",
    "horaires",
    "accessibilite",
    "code_insee",
    "nom_commune",
    "siren_epci",
    "nom_epci",
    "departement",
    "latitude",
    "longitude",
    "mise_a_jour",
];

/// What a public map leaves out of a sheet: the identifier of the file it came from, its resources (staff,
/// budgets: the working space's reading) and its contact, which may name a person however the form asks not to.
const PRIVATE_COLUMNS: [&str; 3] = ["id_source", "ressources", "contact"];

/// The columns of a public map's sheets: its CSV's, its GeoJSON's properties (with the point as geometry) and,
/// after the project and the territory, its open data file's.
pub fn public_columns() -> impl Iterator<Item = &'static str> {
    COLUMNS.into_iter().filter(|c| !PRIVATE_COLUMNS.contains(c))
}

impl Export {
    /// A public map's published sheets, as the filters narrow them (the caller checked that the map is public).
    pub fn of_public_map(
        conn: &mut crate::storage::DbConnection,
        place: Place,
        territory_name: &str,
        filters: &Filters,
    ) -> Result<Export, AppError> {
        let entries: Vec<MapEntry> =
            diagnostic::published_entries_of_territory(conn, place)?.into_iter().filter(|e| filters.keeps(e)).collect();
        Ok(Export {
            places: diagnostic::place_names(conn, &entries)?,
            categories: Categories::load(conn, place.project_id)?,
            territories: HashMap::from([(place.collectivity_id, territory_name.to_owned())]),
            file_stem: format!("carte-projet-{}-territoire-{}", place.project_id, place.collectivity_id),
            public: true,
            entries,
        })
    }

    fn values(&self, e: &MapEntry) -> [String; 24] {
        let text = |value: Option<&str>| value.unwrap_or_default().to_owned();
        [
            e.id.to_string(),
            e.external_id.clone().unwrap_or_default(),
            self.territories.get(&e.collectivity_id).cloned().unwrap_or_default(),
            e.kind().label().to_owned(),
            e.name.clone(),
            self.categories.label(e.kind(), &e.category),
            e.domain().label().to_owned(),
            e.description.clone(),
            e.publics.clone(),
            e.resources.clone(),
            e.engagement.clone(),
            e.contact.clone(),
            e.links.clone(),
            e.address.clone(),
            e.opening_hours.clone(),
            e.accessibility.clone(),
            text(self.places.code(e.commune_id)),
            text(self.places.name(e.commune_id)),
            text(self.places.code(e.epci_id)),
            text(self.places.name(e.epci_id)),
            text(e.departement_code.as_deref()),
            e.lat.map(|v| v.to_string()).unwrap_or_default(),
            e.lon.map(|v| v.to_string()).unwrap_or_default(),
            e.updated_at.format("%Y-%m-%d").to_string(),
        ]
    }

    /// Whether the export has a column: a public map's has only the public ones.
    fn has(&self, column: &str) -> bool {
        !self.public || !PRIVATE_COLUMNS.contains(&column)
    }

    /// A sheet's columns and values.
    fn record(&self, e: &MapEntry) -> Vec<(&'static str, String)> {
        COLUMNS.into_iter().zip(self.values(e)).filter(|(c, _)| self.has(c)).collect()
    }

    fn columns(&self) -> Vec<&'static str> {
        COLUMNS.into_iter().filter(|c| self.has(c)).collect()
    }

    /// Each sheet's values, in the order of `public_columns` for a public map.
    pub fn rows(&self) -> Vec<Vec<String>> {
        self.entries.iter().map(|e| self.record(e).into_iter().map(|(_, v)| v).collect()).collect()
    }

    /// When its newest sheet changed.
    pub fn last_modified(&self) -> Option<chrono::NaiveDateTime> {
        self.entries.iter().map(|e| e.updated_at).max()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sheets as a GeoJSON FeatureCollection (a point geometry, null without coordinates; the other columns as
    /// properties), with `about`'s members beside its features. Written feature by feature, without a JSON tree in
    /// memory: a national map holds thousands of sheets.
    pub fn geojson_text(&self, about: &serde_json::Map<String, Value>) -> Result<String, AppError> {
        let failed = |e: serde_json::Error| AppError::internal(anyhow::anyhow!("GeoJSON : {e}"));
        let mut out: Vec<u8> = Vec::with_capacity(512 * self.entries.len() + 256);
        out.extend_from_slice(br#"{"type":"FeatureCollection","#);
        for (key, value) in about {
            serde_json::to_writer(&mut out, key).map_err(failed)?;
            out.push(b':');
            serde_json::to_writer(&mut out, value).map_err(failed)?;
            out.push(b',');
        }
        out.extend_from_slice(br#""features":["#);
        for (n, e) in self.entries.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            // simplestyle's colour, which uMap and the interactive map read.
            let colour = colour(self.categories.rank(e.kind(), &e.category));
            let feature = Feature { properties: self.record(e), colour, location: e.location() };
            serde_json::to_writer(&mut out, &feature).map_err(failed)?;
        }
        out.extend_from_slice(b"]}");
        String::from_utf8(out).map_err(|e| AppError::internal(anyhow::anyhow!("GeoJSON : {e}")))
    }

    pub fn geojson(&self) -> Result<HttpResponse, AppError> {
        let body = self.geojson_text(&serde_json::Map::new())?;
        Ok(HttpResponse::Ok()
            .content_type("application/geo+json")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{}.geojson\"", self.file_stem)))
            .body(body))
    }

    pub fn csv(&self) -> Result<HttpResponse, AppError> {
        let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(b"\xEF\xBB\xBF".to_vec());
        writer.write_record(self.columns()).map_err(AppError::internal)?;
        for row in self.rows() {
            writer.write_record(row.iter().map(|v| spreadsheet_safe(v).into_owned())).map_err(AppError::internal)?;
        }
        let body = writer.into_inner().map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
        Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{}.csv\"", self.file_stem)))
            .body(body))
    }
}

/// The territory's published sheets, as the map's filters narrow them.
async fn of_territory(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    collectivity_id: i64,
    filters: &Filters,
) -> Result<Export, AppError> {
    let (d, _) = diagnostic_for(state, ctx, project_id, collectivity_id).await?;
    let entries: Vec<MapEntry> = d.published().filter(|e| filters.keeps(e)).cloned().collect();
    Ok(Export {
        territories: HashMap::from([(collectivity_id, d.territory.name.clone())]),
        places: d.places.clone(),
        categories: d.categories.clone(),
        file_stem: format!("diagnostic-projet-{project_id}-territoire-{collectivity_id}"),
        public: false,
        entries,
    })
}

async fn of_project(state: &AppState, ctx: &PageCtx, project_id: i64) -> Result<Export, AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, project_id).await?;
    if !access.reads_working_space() {
        return Err(AppError::Forbidden);
    }
    state
        .db(move |conn| {
            let territories = projects::enrolments_of_project(conn, project.id)?
                .into_iter()
                .filter(|(e, _)| e.is_active_participant())
                .map(|(e, t)| (e.collectivity_id, t.name))
                .collect::<HashMap<_, _>>();
            let entries: Vec<MapEntry> = diagnostic::published_entries_of_project(conn, project.id)?
                .into_iter()
                .filter(|e| territories.contains_key(&e.collectivity_id))
                .collect();
            Ok(Export {
                places: diagnostic::place_names(conn, &entries)?,
                categories: Categories::load(conn, project.id)?,
                file_stem: format!("diagnostic-projet-{}", project.id),
                public: false,
                territories,
                entries,
            })
        })
        .await
}

pub async fn territory_geojson(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    of_territory(&state, &ctx, project_id, collectivity_id, &Filters::from_query(&req)).await?.geojson()
}

pub async fn territory_csv(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    of_territory(&state, &ctx, project_id, collectivity_id, &Filters::from_query(&req)).await?.csv()
}

pub async fn project_geojson(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    of_project(&state, &ctx, path.into_inner()).await?.geojson()
}

pub async fn project_csv(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    of_project(&state, &ctx, path.into_inner()).await?.csv()
}

/// A sheet as a GeoJSON Feature.
struct Feature {
    properties: Vec<(&'static str, String)>,
    colour: &'static str,
    location: Option<(f64, f64)>,
}

impl Serialize for Feature {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Properties<'a>(&'a Feature);
        impl Serialize for Properties<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                // The point is the geometry.
                for (column, value) in self.0.properties.iter().filter(|(c, _)| !matches!(*c, "latitude" | "longitude"))
                {
                    map.serialize_entry(column, value)?;
                }
                map.serialize_entry("marker-color", self.0.colour)?;
                map.end()
            }
        }
        let geometry = self.location.map(|(lon, lat)| json!({ "type": "Point", "coordinates": [lon, lat] }));
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("type", "Feature")?;
        map.serialize_entry("properties", &Properties(self))?;
        map.serialize_entry("geometry", &geometry)?;
        map.end()
    }
}
