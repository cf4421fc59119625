//! A questionnaire's results, question by question: counts and shares with a bar chart drawn by the server and
//! its data table beside it (the table is what assistive technologies read), matrices, mean ranks, figures of
//! numbers, and free answers with a search.

use actix_web::web;
use maud::{html, Markup};
use serde::Deserialize;

use super::summary::question_results;
use crate::domain::codesign::Evidence;
use crate::domain::questionnaire::{numbers, other_texts, profile_values, summarize, Question};
use crate::domain::text::de;
use crate::storage::codesign;
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::questionnaires::{self, Channel, Questionnaire, ResponseFilter};
use crate::storage::DbConnection;
use crate::web::context::PageCtx;
use crate::web::projects::access::{questionnaire_and_access, Need};
use crate::web::projects::paths::{builder_path, group_path, idea_path};
use crate::web::views::{page, scroll_table};
use crate::web::{AppError, AppState};

#[derive(Deserialize)]
pub struct ResultsQuery {
    recherche: Option<String>,
    /// Only the responses of one channel: "online", "interview" or "paper".
    canal: Option<String>,
    /// Only the responses that gave one profile answer: "{question id}:{value}".
    profil: Option<String>,
}

/// The profile answer asked for, if it is one of the questionnaire's.
fn profile_filter(questions: &[Question], asked: Option<&str>) -> Option<(i64, String)> {
    let (id, value) = asked?.split_once(':')?;
    let question = questions.iter().find(|q| q.profile && q.id.to_string() == id)?;
    profile_values(question).into_iter().any(|(code, _)| code == value).then(|| (question.id, value.to_owned()))
}

/// What the results page shows: the questionnaire's questions and the figures of the responses the filter keeps.
struct ResultsView {
    questionnaire: Questionnaire,
    /// Whether the viewer leads the project (and so reaches the builder).
    leads: bool,
    territory: String,
    questions: Vec<Question>,
    filter: ResponseFilter,
    /// (question, item, value, responses) for the responses the filter keeps.
    counts: Vec<(i64, String, String, i64)>,
    /// (question, responses that answered it), for the responses the filter keeps.
    answered: Vec<(i64, i64)>,
    /// (channel code, interviewer, responses) over every response, whatever the filter.
    breakdown: Vec<(String, Option<String>, i64)>,
    /// How many responses the filter keeps.
    shown: i64,
    /// The published ideas of the territory's creativity cycle that cite a question, as (question, idea, title):
    /// for those who see the cycle, else empty.
    inspired: Vec<(i64, i64, String)>,
}

fn load_results(
    conn: &mut DbConnection,
    questionnaire: Questionnaire,
    leads: bool,
    sees_cycle: bool,
    channel: Option<Channel>,
    asked_profile: Option<&str>,
) -> Result<ResultsView, AppError> {
    let id = questionnaire.id;
    let territory = territory_of_collectivity(conn, questionnaire.collectivity_id)?.ok_or(AppError::NotFound)?.name;
    let questions = questionnaires::questions_of(conn, id)?;
    let filter = ResponseFilter { channel, profile: profile_filter(&questions, asked_profile) };
    let mut inspired = Vec::new();
    if sees_cycle {
        for question in &questions {
            for (idea, title, _, _) in codesign::ideas_citing(conn, Evidence::Question(question.id))? {
                inspired.push((question.id, idea, title));
            }
        }
    }
    Ok(ResultsView {
        inspired,
        counts: questionnaires::answer_counts(conn, id, &filter)?,
        answered: questionnaires::respondents_per_question(conn, id, &filter)?,
        breakdown: questionnaires::collection_breakdown(conn, id)?,
        shown: questionnaires::count_filtered(conn, id, &filter)?,
        questionnaire,
        leads,
        territory,
        questions,
        filter,
    })
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<ResultsQuery>,
) -> Result<Markup, AppError> {
    let (questionnaire, _, access) = questionnaire_and_access(&state, &ctx, id.into_inner(), Need::Group).await?;
    let leads = access.leads();
    let sees_cycle = crate::web::projects::access::may_see_cycle(&access, questionnaire.collectivity_id);
    let channel = query.canal.as_deref().and_then(Channel::parse);
    let asked_profile = query.profil.clone();
    let view = state
        .db(move |conn| load_results(conn, questionnaire, leads, sees_cycle, channel, asked_profile.as_deref()))
        .await?;
    let search = query.recherche.as_deref().unwrap_or("").trim().chars().take(100).collect::<String>();
    Ok(results_page(&ctx, &view, &search))
}

fn results_page(ctx: &PageCtx, view: &ResultsView, search: &str) -> Markup {
    let ResultsView {
        questionnaire,
        leads,
        territory,
        questions,
        filter,
        counts,
        answered,
        breakdown,
        shown,
        inspired,
    } = view;
    let (id, channel) = (questionnaire.id, filter.channel);
    let responses: i64 = breakdown.iter().map(|(_, _, n)| n).sum();
    let profile_questions: Vec<&Question> = questions.iter().filter(|q| q.profile).collect();
    let chosen_profile = filter.profile.as_ref().map(|(q, v)| format!("{q}:{v}"));
    let profile_label = filter.profile.as_ref().and_then(|(q, v)| {
        let question = questions.iter().find(|x| x.id == *q)?;
        let label = profile_values(question).into_iter().find(|(code, _)| code == v)?.1;
        Some(format!("{} : {label}", question.label))
    });
    page(
        ctx,
        &format!("Résultats — {}", questionnaire.title),
        html! {
            p class="breadcrumb" {
                a href=(group_path(questionnaire.project_id, questionnaire.collectivity_id)) { "Groupe d’enquête " (de(territory)) } " › "
                @if *leads { a href=(builder_path(id)) { (questionnaire.title) } } @else { (questionnaire.title) }
                " › Résultats"
            }
            h1 { "Résultats : " (questionnaire.title) }
            p class="lead" { strong { (responses) } " réponse" @if responses > 1 { "s" } " reçue" @if responses > 1 { "s" } "." }
            p {
                "Télécharger les réponses : "
                a href={ (builder_path(id)) "/reponses.csv?separateur=pointvirgule" } { "CSV pour tableur français (séparateur ;)" } " · "
                a href={ (builder_path(id)) "/reponses.csv" } { "CSV standard (séparateur ,)" } " · "
                a href={ (builder_path(id)) "/reponses.xlsx" } { "classeur Excel (.xlsx)" } " · "
                a href={ (builder_path(id)) "/codes.csv?separateur=pointvirgule" } { "dictionnaire des codes" }
            }
            p {
                a href={ (builder_path(id)) "/couverture" } { "Couverture des publics : qui l’enquête a-t-elle atteint ?" } " · "
                a href={ (builder_path(id)) "/comparaison" } { "Comparer les territoires du projet" }
            }
            section aria-labelledby="collecte" {
                h2 id="collecte" { "Qui a recueilli les réponses" }
                (scroll_table("Réponses par manière de les recueillir et par enquêteur", html! {
                    table {
                        caption class="visually-hidden" { "Réponses par manière de les recueillir et par enquêteur" }
                        thead { tr { th scope="col" { "Manière" } th scope="col" { "Saisies par" } th scope="col" class="num" { "Réponses" } } }
                        tbody {
                            @for (code, interviewer, n) in breakdown {
                                tr {
                                    th scope="row" { (Channel::parse(code).unwrap_or(Channel::Online).label()) }
                                    td { (interviewer.as_deref().unwrap_or("les répondants eux-mêmes")) }
                                    td class="num" { (n) }
                                }
                            }
                        }
                    }
                }))
            }
            form class="search" method="get" action={ (builder_path(id)) "/resultats" } role="search" aria-label="Filtrer les résultats" {
                div class="field" {
                    label for="canal" { "Réponses" }
                    select id="canal" name="canal" {
                        option value="" { "Toutes" }
                        @for c in Channel::ALL { option value=(c.code()) selected[channel == Some(c)] { "Recueillies " (c.collected()) } }
                    }
                }
                @if !profile_questions.is_empty() {
                    div class="field" {
                        label for="profil" { "Profil des répondants" }
                        select id="profil" name="profil" {
                            option value="" { "Tous les profils" }
                            @for question in &profile_questions {
                                optgroup label=(question.label) {
                                    @for (code, label) in profile_values(question) {
                                        @let value = format!("{}:{code}", question.id);
                                        option value=(value) selected[chosen_profile.as_deref() == Some(value.as_str())] { (label) }
                                    }
                                }
                            }
                        }
                    }
                }
                div class="field" {
                    label for="recherche" { "Chercher dans les réponses libres" }
                    input id="recherche" name="recherche" type="search" value=(search);
                }
                button class="button" type="submit" { "Afficher" }
            }
            @if *filter != ResponseFilter::default() {
                p role="status" {
                    "Résultats de " (shown) " réponse" @if *shown > 1 { "s" }
                    @if let Some(c) = channel { " recueillie" @if *shown > 1 { "s" } " " (c.collected()) }
                    @if let Some(label) = &profile_label { " dont le profil indique « " (label) " »" }
                    "."
                }
            }
            @for (question, number) in questions.iter().zip(numbers(questions)) {
                @if question.kind.is_answerable() {
                    @let of_question: Vec<(String, String, i64)> = counts.iter().filter(|(q, _, _, _)| *q == question.id).map(|(_, i, v, n)| (i.clone(), v.clone(), *n)).collect();
                    @let n = answered.iter().find(|(q, _)| *q == question.id).map_or(0, |(_, n)| *n);
                    @let prefix = number.map_or_else(|| "Profil — ".to_owned(), |n| format!("{n}. "));
                    @let others = other_texts(&of_question);
                    (question_results(&prefix, question, (&summarize(question, &of_question), &others), n, search))
                    @let ideas: Vec<&(i64, i64, String)> = inspired.iter().filter(|(q, _, _)| *q == question.id).collect();
                    @if !ideas.is_empty() {
                        p { "Idées que cette question a inspirées : "
                            @for (i, (_, idea, title)) in ideas.iter().enumerate() {
                                @if i > 0 { ", " }
                                a href=(idea_path(questionnaire.project_id, questionnaire.collectivity_id, *idea)) { (title) }
                            }
                            "."
                        }
                    }
                }
            }
        },
    )
}
