//! Coverage of publics: the group sets how many respondents it wants to reach with a given profile answer (30
//! without internet at home, 20 under 25…) and sees what it has achieved, by channel and by interviewer, so that it
//! knows whom it has not heard yet and where to go looking.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::percent;
use crate::domain::questionnaire::{parse_targets, profile_values, target_field_name, Question, Submitted};
use crate::domain::text::de;
use crate::storage;
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::questionnaires::{self, Channel, Questionnaire, Reach};
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::access::{questionnaire_and_access, Need};
use crate::web::projects::paths::{builder_path, group_path};
use crate::web::views::{csrf_field, page, scroll_table, see_other, unprocessable, FormErrors};
use crate::web::{AppError, AppState};

/// One profile answer with its target and who reached it.
struct Line {
    question: String,
    label: String,
    target: Option<i64>,
    achieved: i64,
    by_channel: [i64; 3],
    /// Responses per interviewer (None: answered online by the respondents themselves).
    by_interviewer: BTreeMap<Option<i64>, i64>,
}

impl Line {
    fn missing(&self) -> i64 {
        self.target.map_or(0, |t| (t - self.achieved).max(0))
    }
}

struct Coverage {
    questionnaire: Questionnaire,
    territory: String,
    profile: Vec<Question>,
    targets: Vec<(i64, String, i32)>,
    lines: Vec<Line>,
    /// Interviewers who recorded profile answers, by name.
    interviewers: Vec<(i64, String)>,
    leads: bool,
}

/// What the coverage page reads, in one trip.
struct Reads {
    territory: String,
    questions: Vec<Question>,
    targets: Vec<(i64, String, i32)>,
    reach: Vec<Reach>,
    interviewers: Vec<(i64, String)>,
}

async fn load(state: &AppState, ctx: &PageCtx, id: i64) -> Result<Coverage, AppError> {
    let (questionnaire, _, access) = questionnaire_and_access(state, ctx, id, Need::Group).await?;
    let collectivity_id = questionnaire.collectivity_id;
    let Reads { territory, questions, targets, reach, mut interviewers } = state
        .db(move |conn| {
            let reach = questionnaires::profile_reach(conn, id)?;
            let ids: Vec<i64> = reach.iter().filter_map(|r| r.interviewer_id).collect();
            Ok(Reads {
                territory: territory_of_collectivity(conn, collectivity_id)?.ok_or(AppError::NotFound)?.name,
                questions: questionnaires::questions_of(conn, id)?,
                targets: questionnaires::targets_of(conn, id)?,
                reach,
                interviewers: crate::storage::users::names_of(conn, &ids)?,
            })
        })
        .await?;
    let profile: Vec<Question> = questions.into_iter().filter(|q| q.profile).collect();
    let mut lines = Vec::new();
    for question in &profile {
        for (code, label) in profile_values(question) {
            let mut by_channel = [0; 3];
            let mut by_interviewer = BTreeMap::new();
            for r in reach.iter().filter(|r| r.question_id == question.id && r.value == code) {
                if let Some(i) = Channel::ALL.iter().position(|c| c.code() == r.channel) {
                    by_channel[i] += r.responses;
                }
                *by_interviewer.entry(r.interviewer_id).or_insert(0) += r.responses;
            }
            let target =
                targets.iter().find(|(q, v, _)| *q == question.id && *v == code).map(|(_, _, t)| i64::from(*t));
            lines.push(Line {
                question: question.label.clone(),
                label,
                target,
                achieved: by_channel.iter().sum(),
                by_channel,
                by_interviewer,
            });
        }
    }
    interviewers.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(Coverage { questionnaire, territory, profile, targets, lines, interviewers, leads: access.leads() })
}

fn coverage_page(ctx: &PageCtx, coverage: &Coverage, form: Option<&[(String, String)]>, errors: &FormErrors) -> Markup {
    let q = &coverage.questionnaire;
    let path = format!("{}/couverture", builder_path(q.id));
    let targeted: Vec<&Line> = coverage.lines.iter().filter(|l| l.target.is_some()).collect();
    let mut behind: Vec<&&Line> = targeted.iter().filter(|l| l.missing() > 0).collect();
    behind.sort_by_key(|l| std::cmp::Reverse(l.missing()));
    let typed = |question: &Question, code: &str| -> String {
        let name = target_field_name(question.id, code);
        match form {
            Some(form) => form.value_of(&name).to_owned(),
            None => coverage
                .targets
                .iter()
                .find(|(id, v, _)| *id == question.id && v == code)
                .map(|(_, _, t)| t.to_string())
                .unwrap_or_default(),
        }
    };
    page(
        ctx,
        &format!("Couverture des publics — {}", q.title),
        html! {
            p class="breadcrumb" {
                a href=(group_path(q.project_id, q.collectivity_id)) { "Groupe d’enquête " (de(&coverage.territory)) } " › "
                @if coverage.leads { a href=(builder_path(q.id)) { (q.title) } } @else { (q.title) }
                " › Couverture des publics"
            }
            h1 { "Couverture des publics : " (q.title) }
            @if coverage.profile.is_empty() {
                p { "Ce questionnaire n’a pas de question de profil : sans elles, on ne peut pas savoir quels publics ont répondu." }
                @if coverage.leads { p { a href={ (builder_path(q.id)) "#questions" } { "Ajouter les questions de profil proposées" } } }
            } @else {
                section aria-labelledby="a-atteindre" {
                    h2 id="a-atteindre" { "Qui reste à atteindre" }
                    @if targeted.is_empty() {
                        p { "Aucune cible fixée : indiquez ci-dessous combien de répondants le groupe veut entendre parmi chaque public." }
                    } @else if behind.is_empty() {
                        p class="notice notice-success" { "Toutes les cibles sont atteintes." }
                    } @else {
                        ul {
                            @for line in &behind {
                                li { strong { (line.label) } " (" (line.question) ") : encore " strong { (line.missing()) } " répondant" @if line.missing() > 1 { "s" } " à trouver sur " (line.target.unwrap_or(0)) }
                            }
                        }
                    }
                }
                section aria-labelledby="par-canal" {
                    h2 id="par-canal" { "Atteint par manière de recueillir" }
                    (scroll_table("Répondants par réponse de profil, cible et manière de recueillir", html! {
                        table {
                            caption class="visually-hidden" { "Répondants par réponse de profil, cible et manière de recueillir" }
                            thead {
                                tr {
                                    th scope="col" { "Public" }
                                    th scope="col" class="num" { "Cible" }
                                    th scope="col" class="num" { "Atteint" }
                                    th scope="col" class="num" { "Part de la cible" }
                                    @for channel in Channel::ALL { th scope="col" class="num" { "Dont " (channel.collected()) } }
                                }
                            }
                            tbody {
                                @for line in &coverage.lines {
                                    tr class=[line.target.filter(|_| line.missing() > 0).map(|_| "behind")] {
                                        th scope="row" { (line.label) span class="meta" { " — " (line.question) } }
                                        td class="num" { @if let Some(t) = line.target { (t) } @else { "—" } }
                                        td class="num" { (line.achieved) }
                                        td class="num" { @if let Some(t) = line.target { (percent(line.achieved, t)) } @else { "—" } }
                                        @for n in line.by_channel { td class="num" { (n) } }
                                    }
                                }
                            }
                        }
                    }))
                }
                @if !targeted.is_empty() {
                    section aria-labelledby="par-enqueteur" {
                        h2 id="par-enqueteur" { "Atteint par enquêteur" }
                        p class="hint" { "Les publics ciblés, par personne qui a recueilli les réponses : de quoi répartir les prochains entretiens." }
                        (scroll_table("Répondants des publics ciblés par enquêteur", html! {
                            table {
                                caption class="visually-hidden" { "Répondants des publics ciblés par enquêteur" }
                                thead {
                                    tr {
                                        th scope="col" { "Recueillies par" }
                                        @for line in &targeted { th scope="col" class="num" { (line.label) } }
                                    }
                                }
                                tbody {
                                    tr {
                                        th scope="row" { "En ligne (les répondants eux-mêmes)" }
                                        @for line in &targeted { td class="num" { (line.by_interviewer.get(&None).copied().unwrap_or(0)) } }
                                    }
                                    @for (id, name) in &coverage.interviewers {
                                        tr {
                                            th scope="row" { (name) }
                                            @for line in &targeted { td class="num" { (line.by_interviewer.get(&Some(*id)).copied().unwrap_or(0)) } }
                                        }
                                    }
                                }
                            }
                        }))
                    }
                }
                section aria-labelledby="cibles" {
                    h2 id="cibles" { "Fixer les cibles" }
                    p class="hint" { "Combien de répondants le groupe veut entendre parmi chaque public. Laissez vide pour ne pas fixer de cible." }
                    (errors.summary())
                    form class="form" method="post" action=(path) novalidate {
                        (csrf_field(ctx))
                        @for question in &coverage.profile {
                            fieldset class="field targets" {
                                legend { (question.label) }
                                @for (code, label) in profile_values(question) {
                                    @let name = target_field_name(question.id, &code);
                                    @let error = errors.get(&name);
                                    div class=(if error.is_some() { "field field-invalid" } else { "field" }) {
                                        label for=(name) { (label) }
                                        @if let Some(message) = error { p class="field-error" id={ (name) "-erreur" } { span aria-hidden="true" { "⚠ " } (message) } }
                                        input id=(name) name=(name) type="text" inputmode="numeric" class="short" value=(typed(question, &code))
                                            aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{name}-erreur"))];
                                    }
                                }
                            }
                        }
                        button class="button" type="submit" { "Enregistrer les cibles" }
                    }
                }
            }
        },
    )
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let coverage = load(&state, &ctx, id.into_inner()).await?;
    Ok(coverage_page(&ctx, &coverage, None, &FormErrors::default()))
}

/// The group sets its targets; all are replaced at once.
pub async fn set_targets(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let coverage = load(&state, &ctx, id.into_inner()).await?;
    let form = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let targets = match parse_targets(&coverage.profile, form.as_slice()) {
        Ok(targets) => targets,
        Err(errors) => {
            return Ok(unprocessable(coverage_page(&ctx, &coverage, Some(&form), &FormErrors::from(errors))));
        }
    };
    let questionnaire_id = coverage.questionnaire.id;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::set_targets(conn, questionnaire_id, &targets)?)
            })
        })
        .await?;
    ctx.set_flash("Cibles enregistrées.");
    Ok(see_other(&format!("{}/couverture", builder_path(questionnaire_id))))
}
