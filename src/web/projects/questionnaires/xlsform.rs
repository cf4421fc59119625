//! XLSForm files: a group's leaders import a questionnaire written in KoboToolbox or ODK's format (and learn what
//! could not be taken over), and export any questionnaire in that format.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use crate::domain::questionnaire::QuestionType;
use crate::domain::text::de;
use crate::domain::xlsform::{self, Import};
use crate::security::random_token;
use crate::storage;
use crate::storage::{projects, questionnaires};
use crate::web::context::PageCtx;
use crate::web::projects::access::{project_and_access, questionnaire_and_access, Need};
use crate::web::projects::paths::{builder_path, download_disposition, group_path, project_path};
use crate::web::upload;
use crate::web::views::{html_response, page};
use crate::web::{AppError, AppState};
use crate::xlsx::{self, Cell, XlsxWriter};

/// Largest XLSForm file accepted: real forms weigh tens of kilobytes.
const MAX_UPLOAD: usize = 5 * 1024 * 1024;

fn import_path(project_id: i64, collectivity_id: i64) -> String {
    format!("{}/questionnaires/import", group_path(project_id, collectivity_id))
}

/// The upload form, on the group's page (the CSRF token rides in the address: the body is a file).
pub fn import_form(ctx: &PageCtx, project_id: i64, collectivity_id: i64) -> Markup {
    html! {
        h3 id="importer" { "Importer un questionnaire XLSForm" }
        p class="hint" { "Le format des questionnaires de KoboToolbox et d’ODK (.xlsx, feuilles « survey » et « choices »). Ce qui ne peut pas être repris est signalé, ligne par ligne." }
        form class="form" method="post" enctype="multipart/form-data" action={ (import_path(project_id, collectivity_id)) "?csrf_token=" (ctx.csrf_token()) } {
            div class="field" {
                label for="fichier" { "Fichier XLSForm (.xlsx, 5 Mo au plus)" }
                input type="file" id="fichier" name="fichier" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required;
            }
            button class="button" type="submit" { "Importer" }
        }
    }
}

fn refused(ctx: &PageCtx, project_id: i64, collectivity_id: i64, message: &str) -> HttpResponse {
    html_response(
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        page(
            ctx,
            "Import refusé",
            html! {
                p class="breadcrumb" { a href=(group_path(project_id, collectivity_id)) { "Groupe d’enquête" } " › Import" }
                h1 { "Le questionnaire n’a pas été importé" }
                div class="notice notice-error" role="alert" { p { (message) } }
                p { "Rien n’a été créé. Corrigez le fichier, puis importez-le à nouveau." }
                (import_form(ctx, project_id, collectivity_id))
            },
        ),
    )
}

pub async fn import(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let user_id = ctx.require_user()?.id;
    let (project_id, collectivity_id) = path.into_inner();
    let (project, access) = project_and_access(&state, &ctx, project_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    // Only for a participant territory of the project.
    let territory = state
        .db(move |conn| Ok(projects::participant_territories(conn, project_id)?))
        .await?
        .into_iter()
        .find(|(c, _)| *c == collectivity_id)
        .ok_or(AppError::NotFound)?
        .1;
    let body = upload::read_body(payload, MAX_UPLOAD).await?;
    let parts = upload::parts(&req, &body)?;
    let Some(file) = parts.iter().find(|p| p.name == "fichier" && !p.data.is_empty()) else {
        return Ok(refused(&ctx, project_id, collectivity_id, "Choisissez un fichier XLSForm (.xlsx) à importer."));
    };
    let fallback = file
        .file_name
        .as_deref()
        .map(|n| n.trim_end_matches(".xlsx").replace(['_', '-'], " "))
        .filter(|n| n.chars().count() >= 5)
        .unwrap_or_else(|| format!("Questionnaire importé — {territory}"));
    let data = file.data.clone();
    // Unzipping and parsing is CPU work: off the async worker.
    let parsed = web::block(move || -> Result<Import, String> {
        let sheets = xlsx::read_workbook(&data).map_err(|e| e.to_string())?;
        let sheets: Vec<(String, xlsform::Rows)> = sheets.into_iter().map(|s| (s.name, s.rows)).collect();
        xlsform::import(&sheets, &fallback)
    })
    .await
    .map_err(AppError::internal)?;
    let import = match parsed {
        Ok(import) => import,
        Err(message) => return Ok(refused(&ctx, project_id, collectivity_id, &message)),
    };
    let header = crate::domain::questionnaire::NewQuestionnaire {
        title: import.title.chars().take(150).collect(),
        introduction: String::new(),
        opens_on: None,
        closes_on: None,
    };
    let (token, questions) = (random_token(), import.questions.clone());
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let id =
                    questionnaires::create_questionnaire(conn, project_id, collectivity_id, &header, &token, user_id)?;
                questionnaires::add_questions(conn, id, &questions)?;
                Ok::<_, AppError>(id)
            })
        })
        .await?;
    let answerable = import.questions.iter().filter(|q| q.kind.is_answerable()).count();
    let sections = import.questions.iter().filter(|q| q.kind == QuestionType::Section).count();
    let conditions = import.questions.iter().filter(|q| q.condition.is_some()).count();
    Ok(html_response(
        actix_web::http::StatusCode::OK,
        page(
            &ctx,
            "Questionnaire importé",
            html! {
                p class="breadcrumb" {
                    a href=(project_path(project.id)) { (project.title) } " › "
                    a href=(group_path(project_id, collectivity_id)) { "Groupe d’enquête " (de(&territory)) } " › Import"
                }
                h1 { "Questionnaire importé : " (import.title) }
                p class="notice notice-success" role="status" {
                    (answerable) " question" @if answerable > 1 { "s" } ", " (sections) " section" @if sections > 1 { "s" } ", " (conditions) " condition" @if conditions > 1 { "s" } " d’affichage."
                }
                @if import.report.is_empty() {
                    p { "Tout le fichier a été repris." }
                } @else {
                    h2 { "Ce qui n’a pas été repris tel quel (" (import.report.len()) ")" }
                    ul { @for line in &import.report { li { (line) } } }
                }
                p { a class="button" href=(builder_path(id)) { "Relire et compléter le questionnaire" } }
            },
        ),
    ))
}

/// The questionnaire as an XLSForm workbook, for KoboToolbox, ODK or another platform.
pub async fn export(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (questionnaire, _, _) = questionnaire_and_access(&state, &ctx, id, Need::Lead).await?;
    let questions = state.db(move |conn| Ok(questionnaires::questions_of(conn, id)?)).await?;
    let sheets = xlsform::export(&questionnaire.title, &format!("encommun_{id}"), &questions);
    let mut writer = XlsxWriter::new(Vec::new()).map_err(AppError::internal)?;
    for (name, rows) in &sheets {
        writer.start_sheet(name).map_err(AppError::internal)?;
        for row in rows {
            let cells: Vec<Cell> = row.iter().map(|c| Cell::Text(c)).collect();
            writer.write_row(&cells).map_err(AppError::internal)?;
        }
    }
    let body = writer.finish().map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(xlsx::MEDIA_TYPE)
        .insert_header(("Content-Disposition", download_disposition(&questionnaire, "xlsform", "xlsx")))
        .body(body))
}
