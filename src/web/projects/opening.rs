//! The agency opens a shared project on an open theme, from a programme: first the programme (its bounds, phases,
//! seminar plan and charter said beside each), then the project's form, filled in from the programme's version.
//! The project records that version; its seminar plan becomes dated events to confirm (`storage::projects`).

use actix_web::{web, HttpResponse};
use chrono::{Datelike, TimeDelta};
use maud::{html, Markup};
use serde::Deserialize;

use super::paths::project_path;
use crate::domain::project::{NewProject, ProjectInput, MAX_PARTICIPANTS_LIMIT};
use crate::domain::theme::ThemeStatus;
use crate::storage;
use crate::storage::programmes::{self, ProgrammeRow, ProgrammeVersion};
use crate::storage::projects::{self, OpenOutcome};
use crate::storage::themes::{self, Theme};
use crate::web::admin::programmes::{programme_facts, programme_path};
use crate::web::context::PageCtx;
use crate::web::views::{csrf_field, page, page_with_errors, see_other, textarea, unprocessable, Field, FormErrors};
use crate::web::{AppError, AppState};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProjectForm {
    theme_id: String,
    programme_id: String,
    programme_version: String,
    title: String,
    description: String,
    charter: String,
    min_participants: String,
    max_participants: String,
    starts_on: String,
    ends_on: String,
}

#[derive(Deserialize)]
pub struct SelectionQuery {
    theme: Option<String>,
    programme: Option<String>,
}

const CHARTER_HINT: &str =
    "Les engagements réciproques, repris du programme : participer aux séminaires, constituer un \
    groupe d’enquête mixte, partager ses travaux avec les autres territoires.";

/// Step one: which programme the project follows.
fn programme_choice_page(ctx: &PageCtx, theme: &Theme, choices: &[(ProgrammeRow, ProgrammeVersion)]) -> Markup {
    page(
        ctx,
        "Ouvrir un projet partagé : le programme",
        html! {
            p class="breadcrumb" { a href={ "/themes/" (theme.id) } { (theme.title) } " › Ouvrir un projet" }
            h1 { "Ouvrir un projet partagé : le programme" }
            p {
                "Le projet sur « " (theme.title) " » suivra un programme : il en reprend le nombre de participantes, "
                "la charte, les catégories des délégations, et son plan de séminaires devient un calendrier de "
                "rendez-vous à confirmer. Tout reste modifiable ensuite."
            }
            form class="form" method="get" action="/projets/nouveau" {
                input type="hidden" name="theme" value=(theme.id);
                fieldset class="field" {
                    legend { "Programme" }
                    @for (i, (row, version)) in choices.iter().enumerate() {
                        @let id = format!("programme-{}", row.id);
                        div class="choice choice-detailed" {
                            input type="radio" name="programme" id=(id) value=(row.id) checked[i == 0] aria-describedby={ (id) "-aide" };
                            label for=(id) { strong { (row.name) } " (version " (version.version) ")" }
                            div class="hint" id={ (id) "-aide" } {
                                p { (version.programme.summary) }
                                (programme_facts(&version.programme))
                            }
                        }
                    }
                }
                button class="button" type="submit" { "Continuer avec ce programme" }
            }
            p { a href="/admin/programmes" { "Voir et modifier les programmes" } }
        },
    )
}

/// Step two: the project's own form, filled in from the programme.
fn selection_page(
    ctx: &PageCtx,
    theme: &Theme,
    programme: &ProgrammeVersion,
    form: &ProjectForm,
    errors: &FormErrors,
) -> Markup {
    let p = &programme.programme;
    page_with_errors(
        ctx,
        "Ouvrir un projet partagé",
        errors,
        html! {
            p class="breadcrumb" { a href={ "/themes/" (theme.id) } { (theme.title) } " › Ouvrir un projet" }
            h1 { "Ouvrir un projet partagé" }
            p {
                "Le thème « " (theme.title) " » sera retenu et fermé aux positionnements ; les "
                strong { (theme.positions_count) " collectivité" @if theme.positions_count > 1 { "s" } " positionnée" @if theme.positions_count > 1 { "s" } }
                " seront invitées à s’inscrire."
            }
            p {
                "Programme : " a href=(programme_path(programme.programme_id)) { (p.name) } ", version " (programme.version)
                " (" (p.total_weeks()) " semaines). "
                a href={ "/projets/nouveau?theme=" (theme.id) } { "Choisir un autre programme" }
            }
            (errors.summary())
            form class="form" method="post" action="/projets" novalidate {
                (csrf_field(ctx))
                input type="hidden" name="theme_id" value=(theme.id);
                input type="hidden" name="programme_id" value=(programme.programme_id);
                input type="hidden" name="programme_version" value=(programme.version);
                (Field::new("title", "Titre du projet").value(&form.title).render(errors))
                (textarea("description", "Description", &form.description, "Ce que les territoires feront ensemble, pour qui, et ce qui en sortira.", errors))
                (textarea("charter", "Charte du projet", &form.charter, CHARTER_HINT, errors))
                (Field::new("min_participants", "Nombre minimum de participantes").number(1, MAX_PARTICIPANTS_LIMIT.into()).value(&form.min_participants).hint("Le diagnostic ne peut pas commencer en deçà.").render(errors))
                (Field::new("max_participants", "Nombre maximum de participantes").number(1, MAX_PARTICIPANTS_LIMIT.into()).value(&form.max_participants).hint("Au-delà, les demandes attendent en liste d’attente.").render(errors))
                (Field::new("starts_on", "Début du projet").kind("date").value(&form.starts_on).hint("Le calendrier du programme part de ce jour. Format JJ/MM/AAAA si votre navigateur ne propose pas de calendrier.").render(errors))
                (Field::new("ends_on", "Fin prévue").kind("date").value(&form.ends_on).hint("Proposée d’après les durées des phases du programme.").render(errors))
                button class="button" type="submit" { "Ouvrir le projet et les inscriptions" }
            }
        },
    )
}

async fn open_theme_for_selection(state: &AppState, id: &str) -> Result<Theme, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::BadRequest("Choisissez le thème depuis sa page.".into()))?;
    let theme = state.db(move |conn| Ok(themes::find_theme(conn, id)?)).await?.ok_or(AppError::NotFound)?;
    if theme.status() != ThemeStatus::Open {
        return Err(AppError::BadRequest(format!(
            "Le thème « {} » est « {} » : seul un thème ouvert aux positionnements peut devenir un projet partagé.",
            theme.title,
            theme.status().label()
        )));
    }
    Ok(theme)
}

/// The programme version a form names: it must exist, and its programme be open to new projects.
async fn chosen_programme(state: &AppState, id: &str, version: Option<&str>) -> Result<ProgrammeVersion, AppError> {
    let refused = || AppError::BadRequest("Choisissez le programme dans la liste.".into());
    let id: i64 = id.trim().parse().map_err(|_| refused())?;
    let version: Option<i32> = match version {
        Some(v) => Some(v.trim().parse().map_err(|_| refused())?),
        None => None,
    };
    let found = state
        .db(move |conn| {
            let Some(row) = programmes::find_programme(conn, id)? else { return Ok(None) };
            if row.archived_at.is_some() {
                return Ok(None);
            }
            Ok(programmes::find_version(conn, id, version.unwrap_or(row.current_version))?)
        })
        .await?;
    found.ok_or_else(refused)
}

pub async fn selection_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<SelectionQuery>,
) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let theme = open_theme_for_selection(&state, query.theme.as_deref().unwrap_or("")).await?;
    let Some(chosen) = query.programme.as_deref() else {
        let choices = state.db(|conn| Ok(programmes::open_programmes(conn)?)).await?;
        return Ok(programme_choice_page(&ctx, &theme, &choices));
    };
    let programme = chosen_programme(&state, chosen, None).await?;
    let p = &programme.programme;
    // The next Monday: the calendar's weeks then fall on whole weeks.
    let today = storage::now().date();
    let starts_on = today + TimeDelta::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let ends_on = starts_on + TimeDelta::weeks(i64::from(p.total_weeks())) - TimeDelta::days(1);
    let form = ProjectForm {
        title: theme.title.clone(),
        charter: p.charter.clone(),
        min_participants: p.min_participants.to_string(),
        max_participants: p.max_participants.to_string(),
        starts_on: starts_on.to_string(),
        ends_on: ends_on.to_string(),
        ..ProjectForm::default()
    };
    Ok(selection_page(&ctx, &theme, &programme, &form, &FormErrors::default()))
}

pub async fn open(
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<ProjectForm>,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.require_admin()?.clone();
    let theme = open_theme_for_selection(&state, &form.theme_id).await?;
    let programme = chosen_programme(&state, &form.programme_id, Some(&form.programme_version)).await?;
    let parsed = NewProject::parse(&ProjectInput {
        title: &form.title,
        description: &form.description,
        charter: &form.charter,
        min_participants: &form.min_participants,
        max_participants: &form.max_participants,
        starts_on: &form.starts_on,
        ends_on: &form.ends_on,
    });
    let project = match parsed {
        Ok(project) => project,
        Err(errors) => {
            return Ok(unprocessable(selection_page(&ctx, &theme, &programme, &form, &FormErrors::from(errors))))
        }
    };
    let theme_id = theme.id;
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(projects::open_project(conn, theme_id, &project, Some(&programme), admin.id)?)
            })
        })
        .await?;
    match outcome {
        OpenOutcome::Opened { project_id, invited } => {
            ctx.set_flash(&match invited {
                0 => "Projet ouvert. Aucune collectivité n’est positionnée sur le thème : invitez-en depuis la page \
                      du projet, ou attendez leurs inscriptions."
                    .to_owned(),
                1 => "Projet ouvert. La collectivité positionnée sur le thème est invitée à s’inscrire.".to_owned(),
                n => format!(
                    "Projet ouvert. Les {n} collectivités positionnées sur le thème sont invitées à s’inscrire."
                ),
            });
            Ok(see_other(&project_path(project_id)))
        }
        OpenOutcome::ThemeNotOpen => Err(AppError::BadRequest(
            "Le thème vient d’être retenu ou archivé : aucun projet n’a été ouvert. Rechargez sa page.".into(),
        )),
    }
}
