//! Importing sheets from a file, in two steps: the upload (CSV or GeoJSON of points, kept a day), then the
//! column mapping with a preview of each column, after which every row is checked and the file is written whole
//! or not at all. Only the provider and the agency import; imported sheets are published.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::{diagnostic_for, Diagnostic};
use crate::domain::diagnostic::{Domain, EntryKind};
use crate::domain::text::de;
use crate::import::decode_text;
use crate::import::places::{plan, read_table, suggest, Communes, Mapping, Table, Target};
use crate::storage;
use crate::storage::boundaries::Gazetteer;
use crate::storage::diagnostic;
use crate::storage::pending_imports::{PendingImport, Purpose};
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::access::Access;
use crate::web::projects::paths::{diagnostic_path, project_path};
use crate::web::projects::perimeter::communes_of_territory;
use crate::web::upload::{self, Kept};
use crate::web::views::{column_mapping, csrf_field, html_response, import_errors, page, see_other};
use crate::web::{AppError, AppState};

/// Largest file accepted: the national list of France services weighs 1.2 MB.
const MAX_UPLOAD: usize = 10 * 1024 * 1024;

fn import_path(d: &Diagnostic) -> String {
    format!("{}/import", diagnostic_path(d.place.project_id, d.place.collectivity_id))
}

async fn for_leads(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    collectivity_id: i64,
) -> Result<(Diagnostic, Access), AppError> {
    let (d, access) = diagnostic_for(state, ctx, project_id, collectivity_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    Ok((d, access))
}

fn upload_page(ctx: &PageCtx, d: &Diagnostic, error: Option<&str>) -> Markup {
    let title = format!("Importer des fiches — {}", d.territory.name);
    page(
        ctx,
        &title,
        html! {
            p class="breadcrumb" { a href=(project_path(d.project.id)) { (d.project.title) } " › " a href=(diagnostic_path(d.place.project_id, d.place.collectivity_id)) { "Diagnostic " (de(&d.territory.name)) } }
            h1 { (title) }
            p { "Un tableau que vous avez déjà — annuaire des associations, liste des France services, des mairies, des équipements — devient des fiches. Vous choisirez ensuite ce que contient chaque colonne." }
            @if let Some(message) = error {
                div class="notice notice-error" role="alert" { p { (message) } p { "Rien n’a été importé." } }
            }
            form class="form" method="post" enctype="multipart/form-data" action={ (import_path(d)) "?csrf_token=" (ctx.csrf_token()) } {
                fieldset class="field" {
                    legend { "Les lignes du fichier sont des…" }
                    @for (i, kind) in EntryKind::ALL.iter().enumerate() {
                        div class="choice" {
                            input type="radio" name="type" id={ "type-" (kind.slug()) } value=(kind.slug()) checked[i == 1];
                            label for={ "type-" (kind.slug()) } { (kind.plural()) }
                        }
                    }
                }
                div class="field" {
                    label for="fichier" { "Fichier CSV ou GeoJSON (10 Mo au plus)" }
                    p class="hint" id="fichier-aide" { "CSV séparé par des virgules, des points-virgules ou des tabulations, en UTF-8 ou en Windows-1252 ; GeoJSON de points en WGS84 ou en Lambert-93. Réimporter le même fichier met à jour les fiches si une colonne sert d’identifiant." }
                    input type="file" id="fichier" name="fichier" accept=".csv,.txt,.geojson,.json,text/csv,application/geo+json" required aria-describedby="fichier-aide";
                }
                button class="button" type="submit" { "Envoyer et choisir les colonnes" }
            }
        },
    )
}

pub async fn form(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let (d, _) = for_leads(&state, &ctx, project_id, collectivity_id).await?;
    Ok(upload_page(&ctx, &d, None))
}

pub async fn upload(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let (d, access) = for_leads(&state, &ctx, project_id, collectivity_id).await?;
    let body = upload::read_body(payload, MAX_UPLOAD).await?;
    let parts = upload::parts(&req, &body)?;
    let kind = parts
        .iter()
        .find(|p| p.name == "type")
        .and_then(|p| p.text())
        .and_then(EntryKind::from_slug)
        .unwrap_or(EntryKind::Space);
    let Some(file) = parts.iter().find(|p| p.name == "fichier" && !p.data.is_empty()) else {
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            upload_page(&ctx, &d, Some("Choisissez un fichier à importer.")),
        ));
    };
    let text = decode_text(&file.data);
    if let Err(message) = read_table(&text) {
        return Ok(html_response(StatusCode::UNPROCESSABLE_ENTITY, upload_page(&ctx, &d, Some(&message))));
    }
    let user_id = access.require_user()?.id;
    let token = upload::keep_for_mapping(&state, user_id, Purpose::Diagnostic(d.place), file, text).await?;
    Ok(see_other(&format!("{}/{token}?type={}", import_path(&d), kind.slug())))
}

/// The file kept under a token for this person and territory.
async fn pending(state: &AppState, d: &Diagnostic, access: &Access, token: String) -> Result<Kept, AppError> {
    upload::kept_for_mapping(state, access.require_user()?.id, Purpose::Diagnostic(d.place), token).await
}

/// What the mapping form sends back.
struct MappingForm {
    kind: EntryKind,
    targets: Vec<String>,
    category: String,
    domain: String,
    inside_only: bool,
}

impl MappingForm {
    fn suggested(kind: EntryKind, table: &Table) -> MappingForm {
        MappingForm {
            kind,
            targets: suggest(&table.headers).into_iter().map(|t| t.code().to_owned()).collect(),
            category: String::new(),
            domain: Domain::Citizen.code().to_owned(),
            inside_only: true,
        }
    }

    fn decode(body: &[u8], columns: usize) -> Result<MappingForm, AppError> {
        let fields = decode_form(body)
            .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
        let mut form = MappingForm {
            kind: EntryKind::Space,
            targets: vec![String::new(); columns],
            category: String::new(),
            domain: String::new(),
            inside_only: false,
        };
        for (key, value) in fields {
            match key.as_str() {
                "type" => form.kind = EntryKind::from_slug(&value).unwrap_or(EntryKind::Space),
                "categorie" => form.category = value,
                "domaine" => form.domain = value,
                "dans_le_territoire" => form.inside_only = true,
                column => {
                    if let Some(i) = column.strip_prefix("colonne-").and_then(|i| i.parse::<usize>().ok()) {
                        if i < columns {
                            form.targets[i] = value;
                        }
                    }
                }
            }
        }
        Ok(form)
    }
}

#[derive(serde::Deserialize)]
pub struct KindQuery {
    #[serde(rename = "type", default)]
    kind: String,
}

pub async fn mapping_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, String)>,
    query: web::Query<KindQuery>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, token) = path.into_inner();
    let (d, access) = for_leads(&state, &ctx, project_id, collectivity_id).await?;
    let Kept::Waiting(kept) = pending(&state, &d, &access, token).await? else {
        return Ok(upload::imported_already(&ctx, &diagnostic_path(project_id, collectivity_id)));
    };
    let (pending, table) = *kept;
    let kind = EntryKind::from_slug(&query.kind).unwrap_or(EntryKind::Space);
    let form = MappingForm::suggested(kind, &table);
    Ok(html_response(StatusCode::OK, mapping_page(&ctx, &d, &pending, &table, &form, &[])))
}

fn mapping_page(
    ctx: &PageCtx,
    d: &Diagnostic,
    pending: &PendingImport,
    table: &Table,
    form: &MappingForm,
    errors: &[String],
) -> Markup {
    let title = format!("Colonnes du fichier « {} »", pending.file_name);
    let kind = form.kind;
    let options: Vec<(&str, &str)> = Target::ALL.iter().map(|t| (t.code(), t.label(kind))).collect();
    let mut categories = vec![(String::new(), "Selon la colonne choisie ci-dessus".to_owned())];
    categories.extend(d.categories.of(kind));
    page(
        ctx,
        &title,
        html! {
            p class="breadcrumb" { a href=(project_path(d.project.id)) { (d.project.title) } " › " a href=(diagnostic_path(d.place.project_id, d.place.collectivity_id)) { "Diagnostic " (de(&d.territory.name)) } }
            h1 { (title) }
            p { (table.rows.len()) " ligne" @if table.rows.len() > 1 { "s" } ", " (table.headers.len()) " colonnes. Dites ce que contient chaque colonne ; plusieurs colonnes peuvent remplir un même champ (les horaires de chaque jour, par exemple)." }
            (import_errors(errors))
            form class="form" method="post" action={ (import_path(d)) "/" (pending.token) } {
                (csrf_field(ctx))
                input type="hidden" name="type" value=(kind.slug());
                (column_mapping(table, &options, &form.targets))
                div class="field" {
                    label for="categorie" { (kind.category_label()) " des lignes sans colonne qui le dise" }
                    select id="categorie" name="categorie" {
                        @for (code, label) in &categories { option value=(code) selected[form.category == *code] { (label) } }
                    }
                }
                fieldset class="field" {
                    legend { "Domaine des lignes sans colonne qui le dise" }
                    @for domain in Domain::ALL {
                        div class="choice" {
                            input type="radio" name="domaine" id={ "domaine-" (domain.code()) } value=(domain.code()) checked[form.domain == domain.code()];
                            label for={ "domaine-" (domain.code()) } { (domain.label()) }
                        }
                    }
                }
                div class="choice" {
                    input type="checkbox" name="dans_le_territoire" id="dans_le_territoire" value="1" checked[form.inside_only];
                    label for="dans_le_territoire" { "Ne garder que les lignes situées dans " (d.territory.name) " (par le code INSEE de la commune, ou par le point et les contours des communes)" }
                }
                button class="button" type="submit" { "Importer" }
            }
        },
    )
}

pub async fn confirm(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, token) = path.into_inner();
    let (d, access) = for_leads(&state, &ctx, project_id, collectivity_id).await?;
    let Kept::Waiting(kept) = pending(&state, &d, &access, token).await? else {
        return Ok(upload::imported_already(&ctx, &diagnostic_path(project_id, collectivity_id)));
    };
    let (pending, table) = *kept;
    let form = MappingForm::decode(&body, table.headers.len())?;
    let refuse = |errors: Vec<String>| {
        html_response(StatusCode::UNPROCESSABLE_ENTITY, mapping_page(&ctx, &d, &pending, &table, &form, &errors))
    };
    let targets: Option<Vec<Target>> = form.targets.iter().map(|t| Target::parse(t)).collect();
    let Some(targets) = targets else { return Ok(refuse(vec!["Un choix de colonne est inconnu.".into()])) };
    let has_category_column = targets.contains(&Target::Category);
    if form.category.is_empty() && !has_category_column {
        return Ok(refuse(vec![format!(
            "Choisissez « {} » des lignes, ou la colonne qui le donne.",
            form.kind.category_label().to_lowercase()
        )]));
    }
    let mapping = Mapping {
        kind: form.kind,
        targets,
        default_category: form.category.clone(),
        default_domain: Domain::parse(&form.domain).unwrap_or(Domain::Citizen),
        inside_only: form.inside_only,
    };
    if let Err(message) = mapping.check(&table.headers) {
        return Ok(refuse(vec![message]));
    }
    let categories = d.categories.of(form.kind);
    let (place, user_id, territory) = (d.place, access.require_user()?.id, d.territory.clone());
    let pending_id = pending.id;
    let table_for_plan = table.clone();
    let outcome = state
        .db(move |conn| {
            let gazetteer = Gazetteer::load(conn)?;
            let of_territory: Vec<i64> = communes_of_territory(conn, &territory)?.iter().map(|c| c.id).collect();
            let communes = Communes { gazetteer: &gazetteer, of_territory: &of_territory, territory_id: territory.id };
            let plan = plan(&table_for_plan, &mapping, &categories, &communes);
            if !plan.errors.is_empty() {
                return Ok(Err(plan.errors));
            }
            let written = storage::write_transaction(conn, |conn| {
                let territory = territory.name.as_str();
                Ok::<_, AppError>(diagnostic::import_pending(
                    conn,
                    place,
                    territory,
                    pending_id,
                    mapping.kind,
                    &plan.rows,
                    user_id,
                )?)
            })?;
            Ok(Ok((written, plan.outside, plan.unplaced, plan.located)))
        })
        .await?;
    match outcome {
        Err(errors) => Ok(refuse(errors)),
        // Sent again while the first was being written: it imported nothing more.
        Ok((None, ..)) => Ok(upload::imported_already(&ctx, &diagnostic_path(project_id, collectivity_id))),
        Ok((Some((added, updated)), outside, unplaced, located)) => {
            let mut report = format!("Import terminé : {added} fiche(s) ajoutée(s), {updated} mise(s) à jour");
            if located > 0 {
                report.push_str(&format!(", {located} placée(s) dans leur commune d’après leur point"));
            }
            if outside > 0 {
                report.push_str(&format!(" ; {outside} ligne(s) hors du territoire laissée(s) de côté"));
            }
            if unplaced > 0 {
                report.push_str(&format!(" ; {unplaced} ligne(s) sans commune connue laissée(s) de côté"));
            }
            report.push('.');
            ctx.set_flash(&report);
            Ok(see_other(&diagnostic_path(project_id, collectivity_id)))
        }
    }
}
