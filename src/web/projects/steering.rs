//! The agency steers a project: its phases (a state machine whose guards say what is missing), shown to everyone
//! as a dated timeline, and the provider it contracts.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::paths::project_path;
use super::{render_page, Submitted};
use crate::domain::programme::PlannedPhase;
use crate::domain::project::{parse_transition_note, Phase, PhaseFacts};
use crate::storage;
use crate::storage::programmes::ProgrammeVersion;
use crate::storage::projects::{self, PhaseOutcome, PhaseTransition, Project};
use crate::storage::providers::{self, Provider};
use crate::web::context::PageCtx;
use crate::web::views::{csrf_field, date_fr, see_other, select, textarea, unprocessable, FormErrors};
use crate::web::{AppError, AppState};

/// The calendar the project's programme plans: the phases of enrolment from the project's start, the others from
/// the day enrolment ended (as the seminar plan was dated then), or from its planned end while it runs.
fn planned_calendar(programme: &ProgrammeVersion, project: &Project, history: &[PhaseTransition]) -> Vec<PlannedPhase> {
    let p = &programme.programme;
    let mut plan = p.calendar(Phase::Enrolment, project.starts_on);
    let left = history.iter().find(|t| t.from_phase.as_deref() == Some(Phase::Enrolment.code())).map(|t| t.at.date());
    if let (Some(left), Some(enrolment)) = (left, plan.first().copied()) {
        plan = std::iter::once(PlannedPhase { ends_on: left.max(enrolment.starts_on), ..enrolment })
            .chain(p.calendar(Phase::ProviderSelection, left)) // the phases after enrolment that it uses
            .collect();
    }
    plan
}

/// Every phase in order: those passed with their date and note, the current one, and what comes next; with a
/// programme, when each is planned, and the phases it leaves out.
pub fn timeline(
    history: &[PhaseTransition],
    project: &Project,
    unfinished: &[String],
    programme: Option<&ProgrammeVersion>,
) -> Markup {
    let current = project.phase();
    let skipped = project.facts().skipped;
    let entered = |phase: Phase| history.iter().rev().find(|t| t.to() == phase);
    let plan = programme.map(|p| planned_calendar(p, project, history)).unwrap_or_default();
    html! {
        section aria-labelledby="calendrier" {
            h2 id="calendrier" { "Les étapes du projet" }
            @if let Some(programme) = programme {
                p { "Le projet suit le programme « " (programme.programme.name) " » (version " (programme.version) ")." }
            }
            ol class="timeline" {
                @for phase in Phase::ALL.into_iter().filter(|p| !skipped.contains(*p)) {
                    @let passed = entered(phase);
                    @let is_current = phase == current;
                    @let state = if is_current { "en cours" } else if passed.is_some() { "passée" } else { "à venir" };
                    @let planned = plan.iter().find(|p| p.phase == phase);
                    li class={ "step" @if is_current { " step-current" } @else if passed.is_some() { " step-done" } } aria-current=[is_current.then_some("step")] {
                        strong { (phase.label()) } " — " span class="step-state" { (state) }
                        @if let Some(t) = passed { " depuis le " (date_fr(t.at)) }
                        @if let Some(planned) = planned { p class="hint" { "Prévue du " (date_fr(planned.starts_on)) " au " (date_fr(planned.ends_on)) "." } }
                        p class="hint" { (phase.description()) }
                        @if let Some(t) = passed { p class="step-note" { (t.note) } }
                    }
                }
            }
            @if !skipped.codes().is_empty() {
                p class="hint" {
                    "Le programme ne prévoit pas : "
                    (skipped.phases().map(|p| format!("« {} »", p.label())).collect::<Vec<_>>().join(", ")) "."
                }
            }
            @if let Some(next) = current.next_used(skipped).filter(|_| current != Phase::Closed) {
                p {
                    "Étape suivante : " strong { (next.label()) } ". "
                    @match current.may_become(next, PhaseFacts { unfinished, ..project.facts() }) {
                        Ok(()) => { "Les conditions pour y passer sont réunies." }
                        Err(missing) => { (missing) }
                    }
                }
            }
        }
    }
}

/// The agency's controls: move to the next phase (or close), and choose the provider.
pub fn admin_panel(ctx: &PageCtx, project: &Project, providers: &[Provider], submitted: &Submitted) -> Markup {
    let no_errors = FormErrors::default();
    let (chosen, note, errors) = match submitted {
        Submitted::Phase { to, note, errors } => (*to, *note, *errors),
        _ => ("", "", &no_errors),
    };
    let current = project.phase();
    // The next phase, and closing the project early.
    let mut moves: Vec<Phase> = current.next_used(project.facts().skipped).into_iter().collect();
    if !moves.contains(&Phase::Closed) {
        moves.push(Phase::Closed);
    }
    let phases: Vec<(String, String)> = moves.iter().map(|p| (p.code().to_owned(), p.label().to_owned())).collect();
    let provider_choices: Vec<(String, String)> =
        providers.iter().map(|p| (p.id.to_string(), p.name.clone())).collect();
    let current_provider = project.provider_id.map(|id| id.to_string()).unwrap_or_default();
    html! {
        section class="card" aria-labelledby="pilotage" {
            h2 id="pilotage" { "Pilotage par l’agence" }
            @if current != Phase::Closed {
                h3 { "Changer de phase" }
                (errors.summary())
                form class="form" method="post" action={ (project_path(project.id)) "/phase" } novalidate {
                    (csrf_field(ctx))
                    (select("to", "Nouvelle phase", &phases, chosen, None, errors))
                    (textarea("note", "Note de passage (publique)", note, "Ce qui a été fait, ce qui est décidé : elle apparaît sur la frise du projet.", errors))
                    button class="button" type="submit" { "Changer de phase" }
                }
                h3 { "Prestataire" }
                @if providers.is_empty() {
                    p { "Aucun prestataire enregistré : " a href="/admin#prestataires" { "enregistrez-en un" } " d’abord." }
                } @else {
                    form class="form inline-form" method="post" action={ (project_path(project.id)) "/prestataire" } {
                        (csrf_field(ctx))
                        (select("provider_id", "Prestataire du projet", &provider_choices, &current_provider, None, &no_errors))
                        button class="button secondary" type="submit" { @if project.provider_id.is_some() { "Changer de prestataire" } @else { "Désigner" } }
                    }
                }
            } @else {
                p { "Le projet est clos." }
            }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PhaseForm {
    to: String,
    note: String,
}

pub async fn change_phase(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<PhaseForm>,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.require_admin()?.clone();
    let id = id.into_inner();
    let mut errors = FormErrors::default();
    let to = errors
        .check("to", Phase::parse(&form.to).ok_or_else(|| "Choisissez la nouvelle phase dans la liste.".to_owned()));
    let note = errors.check("note", parse_transition_note(&form.note));
    let (Some(to), Some(note)) = (to, note) else {
        let submitted = Submitted::Phase { to: &form.to, note: &form.note, errors: &errors };
        return Ok(unprocessable(render_page(&ctx, &state, id, submitted).await?));
    };
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(projects::change_phase(conn, id, to, &note, admin.id)?)
            })
        })
        .await?;
    match outcome {
        PhaseOutcome::Changed { .. } => {
            ctx.set_flash(&format!("Le projet est passé en phase « {} ».", to.label()));
            Ok(see_other(&project_path(id)))
        }
        PhaseOutcome::Refused(reason) => {
            errors.add("to", format!("{reason} Rien n’a été modifié."));
            let submitted = Submitted::Phase { to: &form.to, note: &form.note, errors: &errors };
            Ok(unprocessable(render_page(&ctx, &state, id, submitted).await?))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProviderForm {
    provider_id: String,
}

pub async fn assign_provider(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ProviderForm>,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.require_admin()?.clone();
    let id = id.into_inner();
    let provider_id: i64 = form
        .provider_id
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("Choisissez le prestataire dans la liste.".into()))?;
    let provider = state
        .db(move |conn| Ok(providers::find_provider(conn, provider_id)?))
        .await?
        .ok_or_else(|| AppError::BadRequest("Ce prestataire n’existe pas : choisissez-le dans la liste.".into()))?;
    let name = provider.name.clone();
    let assigned = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(projects::assign_provider(conn, id, provider_id, &name, admin.id)?)
            })
        })
        .await?;
    if !assigned {
        return Err(AppError::BadRequest("Le projet est clos : son prestataire ne change plus.".into()));
    }
    ctx.set_flash(&format!(
        "{} accompagne désormais le projet ; ses membres accèdent à l’espace de travail.",
        provider.name
    ));
    Ok(see_other(&project_path(id)))
}
