//! The same questionnaire side by side across the project's territories: for each closed question (choices,
//! yes / no, scales) the share of each answer in each territory, so that the project sees where inhabitants
//! think alike and where they differ. Questions are matched by type and wording, as a copy keeps them.

use actix_web::web;
use maud::{html, Markup};

use super::percent;
use crate::domain::questionnaire::{summarize, Question, QuestionType, Summary};
use crate::storage::projects;
use crate::storage::questionnaires::{self, ResponseFilter};
use crate::web::context::PageCtx;
use crate::web::projects::access::{questionnaire_and_access, Need};
use crate::web::projects::paths::{builder_path, group_path};
use crate::web::views::{page, scroll_table};
use crate::web::{AppError, AppState};

/// A question's options with their counts, and how many answered it; None when the territory's questionnaire has
/// no such question.
type Options = Option<(Vec<(String, i64)>, i64)>;

/// One territory's questionnaire with what the comparison needs of it.
struct Column {
    questionnaire_id: i64,
    territory: String,
    questions: Vec<Question>,
    counts: Vec<(i64, String, String, i64)>,
    answered: Vec<(i64, i64)>,
    responses: i64,
}

impl Column {
    /// The options of the question matching `question` here, with the number who answered it.
    fn options(&self, question: &Question) -> Options {
        let mine = self.questions.iter().find(|q| q.kind == question.kind && q.label == question.label)?;
        let counts: Vec<(String, String, i64)> = self
            .counts
            .iter()
            .filter(|(q, _, _, _)| *q == mine.id)
            .map(|(_, item, value, n)| (item.clone(), value.clone(), *n))
            .collect();
        let answered = self.answered.iter().find(|(q, _)| *q == mine.id).map_or(0, |(_, n)| *n);
        match summarize(mine, &counts) {
            Summary::Options(rows) => Some((rows, answered)),
            _ => None,
        }
    }
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let id = id.into_inner();
    let (questionnaire, project, access) = questionnaire_and_access(&state, &ctx, id, Need::Group).await?;
    let (project_id, title) = (project.id, questionnaire.title.clone());
    let columns = state
        .db(move |conn| {
            let territories = projects::participant_territories(conn, project_id)?;
            let mut columns = Vec::new();
            for other in questionnaires::same_questionnaire_in_project(conn, project_id, &title)? {
                let Some((_, territory)) = territories.iter().find(|(c, _)| *c == other.collectivity_id) else {
                    continue;
                };
                let all = ResponseFilter::default();
                columns.push(Column {
                    questionnaire_id: other.id,
                    territory: territory.clone(),
                    questions: questionnaires::questions_of(conn, other.id)?,
                    counts: questionnaires::answer_counts(conn, other.id, &all)?,
                    answered: questionnaires::respondents_per_question(conn, other.id, &all)?,
                    responses: questionnaires::count_responses(conn, other.id)?,
                });
            }
            Ok(columns)
        })
        .await?;
    // The questions in this questionnaire's order; the others are matched to them.
    let questions: Vec<Question> =
        columns.iter().find(|c| c.questionnaire_id == id).map(|c| c.questions.clone()).unwrap_or_default();
    Ok(page(
        &ctx,
        &format!("Comparaison des territoires — {}", questionnaire.title),
        html! {
            p class="breadcrumb" {
                a href=(group_path(project.id, questionnaire.collectivity_id)) { "Groupe d’enquête" } " › "
                @if access.leads() { a href=(builder_path(id)) { (questionnaire.title) } } @else { (questionnaire.title) }
                " › " a href={ (builder_path(id)) "/resultats" } { "Résultats" } " › Comparaison"
            }
            h1 { "Comparer les territoires : " (questionnaire.title) }
            @if columns.len() < 2 {
                p { "Ce questionnaire n’est posé que sur un territoire du projet. Dupliquez-le vers les autres territoires (depuis sa page) pour comparer leurs réponses ici." }
            } @else {
                p { "Le même questionnaire sur " (columns.len()) " territoires : part des répondants de chaque territoire pour chaque réponse. Les questions se correspondent par leur type et leur intitulé." }
                ul class="stats" {
                    @for column in &columns { li { strong { (column.responses) } " réponse" @if column.responses > 1 { "s" } " — " (column.territory) } }
                }
                @for question in questions.iter().filter(|q| q.kind.may_be_condition() || q.kind == QuestionType::Scale) {
                    @let per_territory: Vec<Options> = columns.iter().map(|c| c.options(question)).collect();
                    @if let Some(Some((labels, _))) = per_territory.iter().find(|o| o.is_some()) {
                        section class="result" aria-labelledby={ "comparaison-" (question.id) } {
                            h2 id={ "comparaison-" (question.id) } { (question.label) }
                            (scroll_table(&format!("Part des répondants par réponse et par territoire : {}", question.label), html! {
                                table {
                                    caption class="visually-hidden" { "Part des répondants par réponse et par territoire : " (question.label) }
                                    thead {
                                        tr {
                                            th scope="col" { "Réponse" }
                                            @for column in &columns { th scope="col" class="num" { (column.territory) } }
                                        }
                                    }
                                    tbody {
                                        @for (i, (label, _)) in labels.iter().enumerate() {
                                            tr {
                                                th scope="row" { (label) }
                                                @for options in &per_territory {
                                                    td class="num" {
                                                        @match options {
                                                            Some((rows, answered)) => {
                                                                @let n = rows.get(i).map_or(0, |(_, n)| *n);
                                                                (percent(n, *answered)) span class="meta" { " (" (n) ")" }
                                                            }
                                                            None => "—",
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }))
                        }
                    }
                }
            }
        },
    ))
}
