//! Exports of the published sheets, per territory and per project: GeoJSON (points in WGS84, for uMap, QGIS or
//! GoGoCarto) and CSV (`;`-separated with a byte-order mark, as French spreadsheets expect). The CSV's column
//! names are those the import recognises, so an export can seed another territory.

use std::collections::HashMap;

use crate::domain::text::spreadsheet_safe;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::map::colour;
use super::{diagnostic_for, Categories, Filters};
use crate::storage::diagnostic::{self, MapEntry};
use crate::storage::projects;
use crate::storage::territories::PlaceNames;
use crate::web::context::PageCtx;
use crate::web::projects::access::project_and_access;
use crate::web::{AppError, AppState};

/// What an export holds: the sheets, and the words that name their categories, territories and places.
struct Export {
    entries: Vec<MapEntry>,
    categories: Categories,
    territories: HashMap<i64, String>,
    places: PlaceNames,
    file_stem: String,
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

impl Export {
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

    fn geojson(&self) -> HttpResponse {
        let features: Vec<Value> = self
            .entries
            .iter()
            .map(|e| {
                let values = self.values(e);
                let properties: serde_json::Map<String, Value> = COLUMNS
                    .iter()
                    .zip(values)
                    .filter(|(c, _)| !matches!(**c, "latitude" | "longitude"))
                    .map(|(c, v)| (c.to_string(), Value::String(v)))
                    .collect();
                // simplestyle's colour, which uMap and the interactive map read.
                let colour = colour(self.categories.rank(e.kind(), &e.category));
                let mut properties = properties;
                properties.insert("marker-color".into(), Value::String(colour.into()));
                let geometry = match e.location() {
                    Some((lon, lat)) => json!({ "type": "Point", "coordinates": [lon, lat] }),
                    None => Value::Null,
                };
                json!({ "type": "Feature", "properties": properties, "geometry": geometry })
            })
            .collect();
        let body = json!({ "type": "FeatureCollection", "features": features }).to_string();
        HttpResponse::Ok()
            .content_type("application/geo+json")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{}.geojson\"", self.file_stem)))
            .body(body)
    }

    fn csv(&self) -> Result<HttpResponse, AppError> {
        let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(b"\xEF\xBB\xBF".to_vec());
        writer.write_record(COLUMNS).map_err(AppError::internal)?;
        for entry in &self.entries {
            let values = self.values(entry);
            writer.write_record(values.iter().map(|v| spreadsheet_safe(v).into_owned())).map_err(AppError::internal)?;
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
    Ok(of_territory(&state, &ctx, project_id, collectivity_id, &Filters::from_query(&req)).await?.geojson())
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
    Ok(of_project(&state, &ctx, path.into_inner()).await?.geojson())
}

pub async fn project_csv(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    of_project(&state, &ctx, path.into_inner()).await?.csv()
}
