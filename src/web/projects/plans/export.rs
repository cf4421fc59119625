//! A territory's plan as spreadsheets, and back: the CSV has the columns of `import::plan` (one row per action or
//! per indicator), so an exported plan reads back in; the workbook has a sheet of actions (with where each stands),
//! one of indicators (baseline, targets, latest value, progress, trajectory) and one of measurements. Importing a
//! CSV writes the whole file or nothing, every bad row reported with its line and column.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::today;
use crate::domain::plan::{date_fr, number_fr, targets_to_lines, Frequency, Priority};
use crate::domain::text::{de, spreadsheet_safe};
use crate::import::plan::{plan_rows, ImportedAction, COLUMNS};
use crate::import::{decode_text, places::read_table};
use crate::storage::plans::{self, ImportOutcome, PlanDetail};
use crate::web::context::PageCtx;
use crate::web::projects::territory::Territory;
use crate::web::upload;
use crate::web::views::{page_with_errors, see_other, unprocessable, FormErrors};
use crate::web::{AppError, AppState};
use crate::xlsx::{Cell, XlsxWriter};

/// A spreadsheet of at most this size is imported: thousands of rows.
const MAX_IMPORT: usize = 4 * 1024 * 1024;

fn file_stem(territory: &Territory) -> String {
    format!("plan-projet-{}-territoire-{}", territory.place.project_id, territory.place.collectivity_id)
}

async fn detail(state: &AppState, territory: &Territory) -> Result<PlanDetail, AppError> {
    let place = territory.place;
    state.db(move |conn| Ok(plans::plan_detail(conn, place)?)).await
}

/// The rows of the CSV, as the import reads them: an action's columns on its first row, then its indicators.
fn csv_rows(detail: &PlanDetail) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for axis in &detail.axes {
        for action in detail.actions_in(Some(axis.id)) {
            let row = &action.row;
            let first: Vec<String> = vec![
                axis.title.clone(),
                row.title.clone(),
                row.description.clone(),
                action.lead.clone(),
                action.partners.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", "),
                row.starts_on.map(date_fr).unwrap_or_default(),
                row.ends_on.map(date_fr).unwrap_or_default(),
                row.budget_cents.map(|c| number_fr(c as f64 / 100.0)).unwrap_or_default(),
                action.fundings.iter().map(|f| f.to_line()).collect::<Vec<_>>().join("\n"),
                row.status().label().to_owned(),
                Priority::from_code(row.priority).label().to_owned(),
            ];
            let indicator_cells = |i: &plans::IndicatorDetail| -> Vec<String> {
                vec![
                    i.row.name.clone(),
                    i.row.unit.clone(),
                    if i.row.direction == "down" { "baisse".into() } else { "hausse".into() },
                    Frequency::parse(&i.row.frequency).map_or("", Frequency::label).to_owned(),
                    i.row.source.clone(),
                    i.row.baseline_on.map(date_fr).unwrap_or_default(),
                    i.row.baseline_value.map(number_fr).unwrap_or_default(),
                    targets_to_lines(&i.targets),
                ]
            };
            if action.indicators.is_empty() {
                let mut all = first.clone();
                all.extend(std::iter::repeat_n(String::new(), 8));
                rows.push(all);
            }
            for indicator in &action.indicators {
                let mut all = first.clone();
                all.extend(indicator_cells(indicator));
                rows.push(all);
            }
        }
    }
    rows
}

pub async fn csv(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let detail = detail(&state, &territory).await?;
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(COLUMNS.iter().map(|(name, _)| *name)).map_err(AppError::internal)?;
    for row in csv_rows(&detail) {
        // Numbers and dates are written as French spreadsheets read them; no cell runs as a formula.
        writer
            .write_record(row.iter().map(|v| spreadsheet_safe(&v.replace('\u{202f}', " ")).into_owned()))
            .map_err(AppError::internal)?;
    }
    let body = writer.into_inner().map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{}.csv\"", file_stem(&territory))))
        .body(body))
}

/// The workbook: actions, indicators, measurements.
pub fn workbook(detail: &PlanDetail, today: chrono::NaiveDate) -> Result<Vec<u8>, crate::xlsx::XlsxError> {
    let mut book = XlsxWriter::new(Vec::new())?;
    let axis_of = |id: Option<i64>| {
        id.and_then(|a| detail.axes.iter().find(|x| x.id == a)).map_or("À classer", |a| a.title.as_str())
    };
    book.start_sheet("Actions")?;
    let header = [
        "Axe",
        "Action",
        "Description",
        "Pilote",
        "Partenaires",
        "Début",
        "Fin",
        "Budget (euros)",
        "Financements acquis (euros)",
        "Statut",
        "Raison",
        "Priorité",
        "Avancement (%)",
        "D’où vient l’avancement",
        "Retard",
    ];
    book.write_row(&header.map(Cell::Text))?;
    for action in &detail.actions {
        let row = &action.row;
        let partners = action.partners.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ");
        let (starts, ends) =
            (row.starts_on.map(date_fr).unwrap_or_default(), row.ends_on.map(date_fr).unwrap_or_default());
        let progress = action.progress();
        let source = progress.source();
        let lateness = action.lateness(today).describe();
        let number = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
        book.write_row(&[
            Cell::Text(axis_of(row.axis_id)),
            Cell::Text(&row.title),
            Cell::Text(&row.description),
            Cell::Text(&action.lead),
            Cell::Text(&partners),
            Cell::Text(&starts),
            Cell::Text(&ends),
            number(row.budget_cents.map(|c| c as f64 / 100.0)),
            Cell::Number(action.secured_cents() as f64 / 100.0),
            Cell::Text(row.status().label()),
            Cell::Text(&row.status_reason),
            Cell::Text(Priority::from_code(row.priority).label()),
            number(progress.percent().map(f64::from)),
            Cell::Text(&source),
            Cell::Text(&lateness),
        ])?;
    }
    book.start_sheet("Indicateurs")?;
    let header = [
        "Action",
        "Indicateur",
        "Unité",
        "Sens",
        "Fréquence",
        "Source",
        "Date de référence",
        "Valeur de référence",
        "Cibles",
        "Dernière mesure",
        "Date de la dernière mesure",
        "Chemin parcouru (%)",
        "Dans la trajectoire",
    ];
    book.write_row(&header.map(Cell::Text))?;
    for action in &detail.actions {
        for i in &action.indicators {
            let series = i.series();
            let latest = series.latest();
            let (baseline_on, latest_on) =
                (i.row.baseline_on.map(date_fr).unwrap_or_default(), latest.map(|l| date_fr(l.0)).unwrap_or_default());
            let targets = targets_to_lines(&i.targets);
            book.write_row(&[
                Cell::Text(&action.row.title),
                Cell::Text(&i.row.name),
                Cell::Text(&i.row.unit),
                Cell::Text(i.row.direction().label()),
                Cell::Text(Frequency::parse(&i.row.frequency).map_or("", Frequency::label)),
                Cell::Text(&i.row.source),
                Cell::Text(&baseline_on),
                i.row.baseline_value.map_or(Cell::Empty, Cell::Number),
                Cell::Text(&targets),
                latest.map_or(Cell::Empty, |l| Cell::Number(l.1)),
                Cell::Text(&latest_on),
                series.progress().map_or(Cell::Empty, |p| Cell::Number((p * 100.0).round())),
                Cell::Text(match series.on_track() {
                    Some(true) => "oui",
                    Some(false) => "non",
                    None => "",
                }),
            ])?;
        }
    }
    book.start_sheet("Mesures")?;
    book.write_row(&["Action", "Indicateur", "Date", "Valeur", "Nature", "Commentaire", "Saisie par"].map(Cell::Text))?;
    for action in &detail.actions {
        for i in &action.indicators {
            for m in &i.measurements {
                let on = date_fr(m.measured_on);
                book.write_row(&[
                    Cell::Text(&action.row.title),
                    Cell::Text(&i.row.name),
                    Cell::Text(&on),
                    Cell::Number(m.value),
                    Cell::Text(if m.estimated { "Estimation" } else { "Mesure" }),
                    Cell::Text(&m.comment),
                    Cell::Text(m.entered_by.as_deref().unwrap_or("")),
                ])?;
            }
        }
    }
    book.finish()
}

pub async fn xlsx(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let detail = detail(&state, &territory).await?;
    let today = today();
    let body =
        web::block(move || workbook(&detail, today)).await.map_err(AppError::internal)?.map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{}.xlsx\"", file_stem(&territory))))
        .body(body))
}

fn import_page(ctx: &PageCtx, territory: &Territory, problems: &[String]) -> Markup {
    let title = format!("Importer des actions dans le plan {}", de(&territory.name));
    let mut errors = FormErrors::default();
    for problem in problems {
        errors.add("fichier", problem.clone());
    }
    page_with_errors(
        ctx,
        &title,
        &errors,
        html! {
            (territory.plan_breadcrumb(Some("Import")))
            h1 { (title) }
            @if !problems.is_empty() {
                div id="erreurs" class="notice notice-error" role="alert" tabindex="-1" autofocus {
                    h2 class="notice-title" { "Le fichier n’a pas été importé : " (problems.len()) " problème" @if problems.len() > 1 { "s" } }
                    p { "Rien n’a été écrit. Corrigez ces lignes dans votre tableur, puis envoyez-le de nouveau." }
                    ul { @for problem in problems { li { a href="#fichier" { (problem) } } } }
                }
            }
            p { "Le tableur que le territoire tient déjà : un fichier CSV (séparé par des points-virgules, des virgules ou des tabulations), une ligne par action, ou par indicateur d’une action. Les colonnes « Axe » et « Action » sont obligatoires ; les autres sont facultatives :" }
            p class="hint" { (COLUMNS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" ; ")) }
            p { "Plusieurs financements ou cibles dans une cellule : un par ligne, ou séparés par « | » ; par exemple « Région : 10 000 : acquis | État : 5 000 : à trouver », « 31/12/2027 : 120 ». Le " a href={ (territory.plan_path()) "/plan.csv" } { "tableur du plan" } " a exactement ces colonnes." }
            form class="form" method="post" enctype="multipart/form-data" action={ (territory.plan_path()) "/import?csrf_token=" (ctx.csrf_token()) } {
                div class={ "field" @if !problems.is_empty() { " field-invalid" } } {
                    label for="fichier" { "Le fichier CSV" }
                    input type="file" id="fichier" name="fichier" accept=".csv,text/csv" required aria-invalid=[(!problems.is_empty()).then_some("true")];
                }
                button type="submit" { "Importer" }
            }
        },
    )
}

pub async fn import_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    Ok(import_page(&ctx, &territory, &[]))
}

pub async fn import(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let body = upload::read_body(payload, MAX_IMPORT).await?;
    let parts = upload::parts(&req, &body)?;
    let Some(file) = parts.iter().find(|p| p.name == "fichier" && !p.data.is_empty()) else {
        return Ok(unprocessable(import_page(&ctx, &territory, &["Choisissez un fichier à importer.".into()])));
    };
    let text = decode_text(&file.data);
    let imported: Vec<ImportedAction> = match read_table(&text).map_err(|e| vec![e]).and_then(|t| plan_rows(&t)) {
        Ok(imported) => imported,
        Err(problems) => return Ok(unprocessable(import_page(&ctx, &territory, &problems))),
    };
    let name = territory.name.clone();
    let outcome = territory
        .write_plan(&state, move |conn, place, by| plans::import_plan(conn, place, &imported, by, &name))
        .await?;
    match outcome {
        ImportOutcome::Imported { axes, actions, indicators } => {
            ctx.set_flash(&format!(
                "Import réussi : {actions} action(s), {indicators} indicateur(s), {axes} nouvel(s) axe(s)."
            ));
            Ok(see_other(&territory.plan_path()))
        }
        ImportOutcome::Duplicates(problems) => Ok(unprocessable(import_page(&ctx, &territory, &problems))),
        ImportOutcome::Frozen(frozen) => Ok(super::frozen_flash(&ctx, &territory, &frozen)),
    }
}
