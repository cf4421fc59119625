//! Recording the executive's decision on a submitted version: the body, the act, its number and date, the vote,
//! and the act itself — a PDF uploaded (checked by its content, kept in the database so that every instance serves
//! it) or the link to its publication. The adoption freezes the version and schedules the follow-up meeting six
//! months on. The act is a public document: anyone downloads it once the version is adopted.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::today;
use crate::domain::plan::{check_pdf, ActKind, AdoptionFields, AdoptionInput, Body, PlanState, MAX_ACT_BYTES};
use crate::domain::text::de;
use crate::storage;
use crate::storage::plans::{self, ActFile, AdoptOutcome};
use crate::web::context::PageCtx;
use crate::web::projects::territory::Territory;
use crate::web::upload::{self, Part};
use crate::web::views::{page_with_errors, see_other, select, unprocessable, Field, FormErrors};
use crate::web::{AppError, AppState};

/// The form around the file: a few kilobytes.
const FORM_MARGIN: usize = 64 * 1024;

fn adoption_page(
    ctx: &PageCtx,
    territory: &Territory,
    version: i32,
    values: &[(String, String)],
    errors: &FormErrors,
) -> Markup {
    let value = |name: &str| values.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let bodies: Vec<(String, String)> = Body::ALL.iter().map(|b| (b.code().into(), b.label().into())).collect();
    let kinds: Vec<(String, String)> = ActKind::ALL.iter().map(|k| (k.code().into(), k.label().into())).collect();
    let title = format!("Adoption du plan d’action {}", de(&territory.name));
    let error = errors.get("fichier");
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            (territory.plan_breadcrumb(Some("Adoption")))
            h1 { (title) }
            p { "Enregistrez la décision de l’exécutif sur la version " (version) " soumise : elle sera figée, publiée sur la page publique du plan, et le rendez-vous de suivi sera fixé six mois plus tard." }
            (errors.summary())
            form class="form" method="post" enctype="multipart/form-data" action={ (territory.plan_path()) "/adoption?csrf_token=" (ctx.csrf_token()) } {
                (select("body", "Instance qui a adopté le plan", &bodies, value("body"), None, errors))
                (select("act_kind", "Type d’acte", &kinds, value("act_kind"), None, errors))
                (Field::new("act_number", "Numéro de l’acte").value(value("act_number")).hint("Par exemple 2027-014.").render(errors))
                (Field::new("adopted_on", "Date de l’adoption").kind("date").value(value("adopted_on")).render(errors))
                fieldset class="field" {
                    legend { "Le vote" }
                    (Field::new("votes_for", "Voix pour").number(0, 10_000).value(value("votes_for")).render(errors))
                    (Field::new("votes_against", "Voix contre").number(0, 10_000).value(value("votes_against")).optional().render(errors))
                    (Field::new("abstentions", "Abstentions").number(0, 10_000).value(value("abstentions")).optional().render(errors))
                }
                div class={ "field" @if error.is_some() { " field-invalid" } } {
                    label for="fichier" { "L’acte en PDF" span class="optional" { " (facultatif si vous donnez son lien)" } }
                    p class="hint" id="fichier-aide" { "Un fichier PDF de " (MAX_ACT_BYTES / (1024 * 1024)) " Mo au plus." }
                    @if let Some(message) = error { p class="field-error" id="fichier-erreur" { span aria-hidden="true" { "⚠ " } (message) } }
                    input type="file" id="fichier" name="fichier" accept="application/pdf,.pdf"
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=(if error.is_some() { "fichier-aide fichier-erreur" } else { "fichier-aide" });
                }
                (Field::new("act_url", "Lien de l’acte publié").kind("url").value(value("act_url")).optional().hint("Le recueil des actes administratifs ou le site de la collectivité.").render(errors))
                button type="submit" { "Enregistrer l’adoption" }
            }
        },
    )
}

async fn submitted_version(state: &AppState, territory: &Territory) -> Result<i32, AppError> {
    let place = territory.place;
    let plan = state.db(move |conn| Ok(plans::find_plan(conn, place)?)).await?;
    match plan {
        Some(plan) if plan.state() == PlanState::Submitted => Ok(plan.version),
        _ => Err(AppError::BadRequest(
            "Aucune version du plan n’attend d’adoption : soumettez-la d’abord depuis la page du plan.".into(),
        )),
    }
}

pub async fn form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let place = territory.place;
    let plan = state.db(move |conn| Ok(plans::find_plan(conn, place)?)).await?;
    match plan {
        Some(plan) if plan.state() == PlanState::Submitted => {
            let page = adoption_page(&ctx, &territory, plan.version, &[], &FormErrors::default());
            Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page.into_string()))
        }
        _ => {
            ctx.set_flash("Aucune version du plan n’attend d’adoption : soumettez-la d’abord.");
            Ok(see_other(&territory.plan_path()))
        }
    }
}

pub async fn record(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_plan_writer()?;
    let body = upload::read_body(payload, MAX_ACT_BYTES + FORM_MARGIN).await?;
    let parts = upload::parts(&req, &body)?;
    let text = |name: &str| parts.iter().find(|p| p.name == name).and_then(Part::text).unwrap_or("");
    let values: Vec<(String, String)> = parts
        .iter()
        .filter(|p| p.file_name.is_none())
        .filter_map(|p| p.text().map(|t| (p.name.clone(), t.to_owned())))
        .collect();
    let version = match submitted_version(&state, &territory).await {
        Ok(version) => version,
        Err(_) => {
            // Adopted in between (a second click): the plan's page says so.
            ctx.set_flash("Cette version n’attend plus d’adoption.");
            return Ok(see_other(&territory.plan_path()));
        }
    };
    let file = parts.iter().find(|p| p.name == "fichier" && p.file_name.as_deref().is_some_and(|n| !n.is_empty()));
    let mut errors = FormErrors::default();
    if let Some(file) = file {
        errors.check("fichier", check_pdf(&file.data));
    }
    let input = AdoptionInput {
        body: text("body"),
        act_kind: text("act_kind"),
        act_number: text("act_number"),
        adopted_on: text("adopted_on"),
        votes_for: text("votes_for"),
        votes_against: text("votes_against"),
        abstentions: text("abstentions"),
        act_url: text("act_url"),
    };
    let fields = match AdoptionFields::parse(&input, file.is_some(), today()) {
        Ok(fields) if errors.is_empty() => fields,
        Ok(_) => return Ok(unprocessable(adoption_page(&ctx, &territory, version, &values, &errors))),
        Err(e) => {
            for (field, message) in e {
                errors.add(field, message);
            }
            return Ok(unprocessable(adoption_page(&ctx, &territory, version, &values, &errors)));
        }
    };
    let file_name: String = file
        .and_then(|f| f.file_name.as_deref())
        .map(|n| {
            n.rsplit(['/', '\\'])
                .next()
                .unwrap_or(n)
                .chars()
                .filter(|c| !c.is_control() && *c != '"')
                .take(120)
                .collect()
        })
        .unwrap_or_default();
    let content = file.map(|f| f.data.clone());
    let (place, name, project_title) = (territory.place, territory.name.clone(), territory.project.title.clone());
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let act = content.as_deref().map(|content| ActFile { file_name: &file_name, content });
                Ok::<_, AppError>(plans::adopt(conn, place, &fields, act, by, &name, &project_title)?)
            })
        })
        .await?;
    match outcome {
        AdoptOutcome::Adopted { version, .. } => ctx.set_flash(&format!(
            "La version {version} du plan est adoptée : elle est publiée, et le rendez-vous de suivi est fixé six mois plus tard."
        )),
        AdoptOutcome::AlreadyAdopted => ctx.set_flash("Cette version est déjà adoptée."),
        AdoptOutcome::NotSubmitted => ctx.set_flash("Aucune version du plan n’attend d’adoption."),
    }
    Ok(see_other(&territory.plan_path()))
}

/// The act of an adopted version, as an attachment: anyone may read a published act.
pub async fn act(state: web::Data<AppState>, path: web::Path<(i64, i64, i32)>) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, number) = path.into_inner();
    let place = storage::diagnostic::Place { project_id, collectivity_id };
    let (file_name, content) =
        state.db(move |conn| Ok(plans::act_file(conn, place, number)?)).await?.ok_or(AppError::NotFound)?;
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let ascii = if ascii.to_ascii_lowercase().ends_with(".pdf") { ascii } else { format!("acte-{number}.pdf") };
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(content))
}
