//! Importing the directory of actors from a CSV, in the diagnostic's two steps: the upload (kept a day), then the
//! column mapping with a preview of each column, after which every row is checked as the entry form checks it and
//! the file is written whole or not at all. Those who publish in the directory (the agency, the providers' people)
//! import; imported entries are theirs, published and checked today.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::{author_of, resources_nav};
use crate::domain::resources::ActorKind;
use crate::domain::territory::TerritoryKind;
use crate::domain::text::fold;
use crate::import::decode_text;
use crate::import::directory::{plan, suggest, Mapping, ServedCodes, Target};
use crate::import::places::{read_table, Table};
use crate::storage::pending_imports::{self, PendingImport, Purpose};
use crate::storage::territories::territories_of_kind;
use crate::storage::{self, directory, DbConnection, QueryResult};
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::upload::{self, imported_already, kept_for_mapping, Kept};
use crate::web::views::{column_mapping, csrf_field, html_response, import_errors, page, see_other};
use crate::web::{AppError, AppState};

const INDEX: &str = "/annuaire";
const PATH: &str = "/annuaire/import";
/// Largest file accepted: a national network's list of a few thousand members.
const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// The person, when they publish in the directory.
async fn importer(ctx: &PageCtx, state: &AppState) -> Result<i64, AppError> {
    let user_id = ctx.require_user()?.id;
    match author_of(ctx, state).await? {
        Some(author) if author.publishes => Ok(user_id),
        _ => Err(AppError::Forbidden),
    }
}

fn upload_page(ctx: &PageCtx, error: Option<&str>) -> Markup {
    let title = "Importer des acteurs dans l’annuaire";
    page(
        ctx,
        title,
        html! {
            p class="breadcrumb" { a href="/annuaire" { "Annuaire des acteurs" } " › " (title) }
            h1 { (title) }
            (resources_nav())
            p { "Depuis le tableau que vous tenez déjà (les membres d’un réseau, l’export d’une autre plateforme) : envoyez-le, puis dites ce que contient chaque colonne. Chaque ligne est vérifiée comme le formulaire d’une fiche ; une seule ligne fausse et rien n’est importé, avec la raison et le numéro de la ligne." }
            p { "Une ligne dont le SIRET figure déjà dans l’annuaire met à jour la fiche de cet établissement ; une ligne du même nom qu’une de vos fiches la met à jour ; les autres sont ajoutées. Les fiches importées sont publiées à votre nom et vérifiées du jour." }
            @if let Some(error) = error {
                div class="notice notice-error" role="alert" id="erreurs" { p { (error) } }
            }
            form class="form" method="post" enctype="multipart/form-data" action={ (PATH) "?csrf_token=" (ctx.csrf_token()) } {
                div class="field" {
                    label for="fichier" { "Fichier CSV (10 Mo au plus)" }
                    p class="hint" id="fichier-aide" { "Séparé par des virgules, des points-virgules ou des tabulations, en UTF-8 ou en Windows-1252, avec une ligne d’en-tête. Les départements s’écrivent par leur numéro ou leur nom, les régions par leur nom ; « France » pour tout le pays." }
                    input type="file" id="fichier" name="fichier" accept=".csv,.txt,text/csv" required aria-describedby="fichier-aide";
                }
                button class="button" type="submit" { "Envoyer et choisir les colonnes" }
            }
        },
    )
}

pub async fn form(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    importer(&ctx, &state).await?;
    Ok(upload_page(&ctx, None))
}

pub async fn upload(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let user_id = importer(&ctx, &state).await?;
    let body = upload::read_body(payload, MAX_UPLOAD).await?;
    let parts = upload::parts(&req, &body)?;
    let Some(file) = parts.iter().find(|p| p.name == "fichier" && !p.data.is_empty()) else {
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            upload_page(&ctx, Some("Choisissez un fichier à importer.")),
        ));
    };
    let text = decode_text(&file.data);
    match read_table(&text) {
        Ok(table) if table.row_word != "Ligne" => {
            let message = "Envoyez un fichier CSV : l’annuaire n’a pas de points à placer sur une carte.";
            return Ok(html_response(StatusCode::UNPROCESSABLE_ENTITY, upload_page(&ctx, Some(message))));
        }
        Ok(_) => {}
        Err(message) => return Ok(html_response(StatusCode::UNPROCESSABLE_ENTITY, upload_page(&ctx, Some(&message)))),
    }
    let token = upload::keep_for_mapping(&state, user_id, Purpose::Directory, file, text).await?;
    Ok(see_other(&format!("{PATH}/{token}")))
}

/// What the mapping form sends back: each column's target code, and the kind of rows without one.
struct MappingForm {
    targets: Vec<String>,
    kind: String,
}

impl MappingForm {
    fn suggested(table: &Table) -> MappingForm {
        MappingForm {
            targets: suggest(&table.headers).into_iter().map(|t| t.code().to_owned()).collect(),
            kind: String::new(),
        }
    }

    fn decode(body: &[u8], columns: usize) -> Result<MappingForm, AppError> {
        let fields = decode_form(body)
            .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
        let mut form = MappingForm { targets: vec![String::new(); columns], kind: String::new() };
        for (key, value) in fields {
            if key == "type" {
                form.kind = value;
            } else if let Some(i) = key.strip_prefix("colonne-").and_then(|i| i.parse::<usize>().ok()) {
                if let Some(target) = form.targets.get_mut(i) {
                    *target = value;
                }
            }
        }
        Ok(form)
    }
}

fn mapping_page(
    ctx: &PageCtx,
    pending: &PendingImport,
    table: &Table,
    form: &MappingForm,
    errors: &[String],
) -> Markup {
    let title = format!("Colonnes du fichier « {} »", pending.file_name);
    let options: Vec<(&str, &str)> = Target::ALL.iter().map(|t| (t.code(), t.label())).collect();
    page(
        ctx,
        &title,
        html! {
            p class="breadcrumb" { a href="/annuaire" { "Annuaire des acteurs" } " › " a href=(PATH) { "Importer" } }
            h1 { (title) }
            p { (table.rows.len()) " ligne" @if table.rows.len() > 1 { "s" } ", " (table.headers.len()) " colonnes. Dites ce que contient chaque colonne ; plusieurs colonnes peuvent remplir un même champ (un téléphone et un courriel pour le contact, par exemple). Le nom et la présentation sont obligatoires." }
            (import_errors(errors))
            form class="form" method="post" action={ (PATH) "/" (pending.token) } {
                (csrf_field(ctx))
                (column_mapping(table, &options, &form.targets))
                div class="field" {
                    label for="type" { "Type d’acteur des lignes sans colonne qui le dise" }
                    select id="type" name="type" {
                        option value="" selected[form.kind.is_empty()] { "Selon la colonne choisie ci-dessus" }
                        @for kind in ActorKind::ALL { option value=(kind.code()) selected[form.kind == kind.code()] { (kind.label()) } }
                    }
                }
                button class="button" type="submit" { "Importer" }
            }
        },
    )
}

pub async fn mapping_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let user_id = importer(&ctx, &state).await?;
    let Kept::Waiting(kept) = kept_for_mapping(&state, user_id, Purpose::Directory, token.into_inner()).await? else {
        return Ok(imported_already(&ctx, INDEX));
    };
    let (pending, table) = *kept;
    Ok(html_response(StatusCode::OK, mapping_page(&ctx, &pending, &table, &MappingForm::suggested(&table), &[])))
}

/// Every département and région by its folded number, code and name, as a « served » cell may write them.
fn served_codes(conn: &mut DbConnection) -> QueryResult<ServedCodes> {
    let mut codes = ServedCodes::new();
    for departement in territories_of_kind(conn, TerritoryKind::Departement)? {
        codes.insert(fold(&departement.code), departement.code.clone());
        codes.insert(fold(&departement.name), departement.code);
    }
    for region in territories_of_kind(conn, TerritoryKind::Region)? {
        let code = format!("R{}", region.code);
        codes.insert(fold(&code), code.clone());
        codes.insert(fold(&region.name), code);
    }
    Ok(codes)
}

pub async fn confirm(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let user_id = importer(&ctx, &state).await?;
    let Kept::Waiting(kept) = kept_for_mapping(&state, user_id, Purpose::Directory, token.into_inner()).await? else {
        return Ok(imported_already(&ctx, INDEX));
    };
    let (pending, table) = *kept;
    let form = MappingForm::decode(&body, table.headers.len())?;
    let refuse = |errors: Vec<String>| {
        html_response(StatusCode::UNPROCESSABLE_ENTITY, mapping_page(&ctx, &pending, &table, &form, &errors))
    };
    let targets: Option<Vec<Target>> = form.targets.iter().map(|t| Target::parse(t)).collect();
    let Some(targets) = targets else { return Ok(refuse(vec!["Un choix de colonne est inconnu.".into()])) };
    let default_kind = match form.kind.as_str() {
        "" => None,
        kind => match ActorKind::parse(kind) {
            Ok(kind) => Some(kind),
            Err(message) => return Ok(refuse(vec![message])),
        },
    };
    let mapping = Mapping { targets, default_kind };
    if let Err(message) = mapping.check(&table.headers) {
        return Ok(refuse(vec![message]));
    }
    let pending_id = pending.id;
    let rows = table.clone();
    let outcome = state
        .db(move |conn| {
            let plan = plan(&rows, &mapping, &served_codes(conn)?);
            if !plan.errors.is_empty() {
                return Ok(Err(plan.errors));
            }
            let texts: Vec<_> = plan.rows.into_iter().map(|(_, text)| text).collect();
            let imported = storage::write_transaction(conn, |conn| {
                if !pending_imports::mark_imported(conn, pending_id)? {
                    return Ok::<_, AppError>(None);
                }
                Ok(Some(directory::import_entries(conn, &texts, user_id)?))
            })?;
            Ok(Ok(imported))
        })
        .await?;
    match outcome {
        Err(errors) => Ok(refuse(errors)),
        // Sent again while the first was being written: it imported nothing more.
        Ok(None) => Ok(imported_already(&ctx, INDEX)),
        Ok(Some(imported)) => {
            ctx.set_flash(&format!(
                "Import terminé : {} acteur(s) ajouté(s), {} fiche(s) mise(s) à jour.",
                imported.added, imported.updated
            ));
            Ok(see_other(INDEX))
        }
    }
}
