//! A questionnaire's results, question by question: counts and shares with a bar chart drawn by the server and
//! its data table beside it (the table is what assistive technologies read), matrices, mean ranks, figures of
//! numbers, and free answers with a search.

use actix_web::web;
use maud::{html, Markup};
use serde::Deserialize;

use super::percent;
use crate::domain::codesign::Evidence;
use crate::domain::questionnaire::{numbers, other_texts, profile_values, summarize, Question, QuestionType, Summary};
use crate::domain::text::{de, fold};
use crate::storage::codesign;
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::questionnaires::{self, Channel, Questionnaire, ResponseFilter};
use crate::storage::DbConnection;
use crate::web::context::PageCtx;
use crate::web::projects::access::{questionnaire_and_access, Need};
use crate::web::projects::paths::{builder_path, group_path, idea_path};
use crate::web::views::{date_fr, page, scroll_table};
use crate::web::{AppError, AppState};

/// Free answers shown per question; a search narrows them.
const TEXTS_SHOWN: usize = 100;

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

fn decimal(value: f64) -> String {
    let text = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.2}") };
    text.replace('.', ",")
}

/// Horizontal bars, one per option, scaled to the largest count. Decorative for assistive technologies: the table
/// that follows carries the same figures. The words are text of the page, not of the picture: they keep the
/// page's size at any width (a picture scaled to a phone shrank them to 9 px) and wrap instead of being cut.
fn bar_chart(rows: &[(String, i64)]) -> Markup {
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    html! {
        div class="chart" aria-hidden="true" {
            @for (label, n) in rows {
                div class="chart-row" {
                    (label) " : " strong { (n) }
                    br;
                    svg class="chart-bar" focusable="false" width="100%" height="16" viewBox="0 0 100 16" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg" {
                        rect x="0" y="2" width=(format!("{:.1}", *n as f64 / max as f64 * 100.0)) height="12" fill="#000091" {}
                    }
                }
            }
        }
    }
}

/// A free answer as people read it: a date in words (« 3 février 2027 »), coordinates in degrees; a place given
/// in words stays as it was written.
fn free_answer(question: &Question, value: &str) -> String {
    match question.kind {
        QuestionType::Date => {
            chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_or_else(|_| value.to_owned(), date_fr)
        }
        QuestionType::Place => coordinates(value).unwrap_or_else(|| value.to_owned()),
        _ => value.to_owned(),
    }
}

/// "46.800000,0.540000" as « 46,8° N, 0,54° E »; None for a place given in words.
fn coordinates(value: &str) -> Option<String> {
    let (lat, lon) = value.split_once(',')?;
    let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
    let degrees = |v: f64| {
        let text = format!("{:.5}", v.abs());
        text.trim_end_matches('0').trim_end_matches('.').replace('.', ",")
    };
    Some(format!(
        "{}° {}, {}° {}",
        degrees(lat),
        if lat < 0.0 { "S" } else { "N" },
        degrees(lon),
        if lon < 0.0 { "O" } else { "E" }
    ))
}

/// A table that may be wider than a phone: it scrolls sideways, by keyboard too, and says what it holds.
/// A point of a scale with its words when it is an end: « 1 (Pas du tout) ».
fn point_label(question: &Question, point: i64) -> String {
    let (min, max) = question.settings.scale();
    match point {
        p if p == min && !question.settings.min_label.is_empty() => format!("{p} ({})", question.settings.min_label),
        p if p == max && !question.settings.max_label.is_empty() => format!("{p} ({})", question.settings.max_label),
        p => p.to_string(),
    }
}

fn question_results(
    number: &str,
    question: &Question,
    (summary, others): (&Summary, &[(String, i64)]),
    answered: i64,
    search: &str,
) -> Markup {
    let heading = format!("question-{}", question.id);
    let caption = format!("Réponses à « {} »", question.label);
    html! {
        section class="result" aria-labelledby=(heading) {
            h2 id=(heading) { (number) (question.label) }
            p class="meta" { (answered) " répondant" @if answered > 1 { "s" } " à cette question" }
            @match summary {
                Summary::Options(rows) => {
                    @let rows: Vec<(String, i64)> = match question.kind {
                        QuestionType::Scale => rows.iter().map(|(label, n)| (label.parse().map_or_else(|_| label.clone(), |p| point_label(question, p)), *n)).collect(),
                        _ => rows.clone(),
                    };
                    (bar_chart(&rows))
                    (scroll_table(&caption, html! {
                        table {
                            caption class="visually-hidden" { (caption) }
                            thead { tr { th scope="col" { "Réponse" } th scope="col" class="num" { "Nombre" } th scope="col" class="num" { "Part des répondants" } } }
                            tbody {
                                @for (label, n) in &rows {
                                    tr { th scope="row" { (label) } td class="num" { (n) } td class="num" { (percent(*n, answered)) } }
                                }
                            }
                        }
                    }))
                    @if !others.is_empty() {
                        h3 { "Précisions données avec « Autre »" }
                        ul class="free-answers" {
                            @for (text, n) in others.iter().take(TEXTS_SHOWN) {
                                li { (text) @if *n > 1 { span class="meta" { " (" (n) " fois)" } } }
                            }
                        }
                        @if others.len() > TEXTS_SHOWN { p { "Et " (others.len() - TEXTS_SHOWN) " autres, dans l’export." } }
                    }
                }
                Summary::Matrix { points, rows } => {
                    @let caption = format!("Réponses à « {} », par ligne et par point de l’échelle", question.label);
                    (scroll_table(&caption, html! {
                        table {
                            caption class="visually-hidden" { (caption) }
                            thead { tr { th scope="col" { "Ligne" } @for p in points { th scope="col" class="num" { (point_label(question, *p)) } } } }
                            tbody {
                                @for (label, counts) in rows {
                                    tr { th scope="row" { (label) } @for n in counts { td class="num" { (n) } } }
                                }
                            }
                        }
                    }))
                }
                Summary::Ranking(rows) => {
                    @let caption = "Rang moyen de chaque proposition (1 = en premier)";
                    (scroll_table(caption, html! {
                        table {
                            caption class="visually-hidden" { (caption) }
                            thead { tr { th scope="col" { "Proposition" } th scope="col" class="num" { "Rang moyen" } } }
                            tbody { @for (label, mean) in rows { tr { th scope="row" { (label) } td class="num" { (decimal(*mean)) } } } }
                        }
                    }))
                }
                Summary::Numbers { count, min, max, mean, median } => {
                    @if *count > 0 {
                        ul class="stats" {
                            li { "Moyenne " strong { (decimal(*mean)) } }
                            li { "Médiane " strong { (decimal(*median)) } }
                            li { "De " strong { (decimal(*min)) } " à " strong { (decimal(*max)) } }
                        }
                    }
                }
                Summary::Texts(rows) => {
                    @let needle = fold(search);
                    @let shown: Vec<(String, i64)> = rows.iter().map(|(text, n)| (free_answer(question, text), *n)).filter(|(text, _)| needle.is_empty() || fold(text).contains(&needle)).collect();
                    @if !needle.is_empty() { p role="status" { (shown.len()) " réponse" @if shown.len() > 1 { "s" } " contenant « " (search) " »" } }
                    @if !shown.is_empty() {
                        ul class="free-answers" {
                            @for (text, n) in shown.iter().take(TEXTS_SHOWN) {
                                li { (text) @if *n > 1 { span class="meta" { " (" (n) " fois)" } } }
                            }
                        }
                    }
                    @if shown.len() > TEXTS_SHOWN { p { "Et " (shown.len() - TEXTS_SHOWN) " autres : précisez la recherche." } }
                }
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_read_in_degrees_and_names_stay_names() {
        assert_eq!(coordinates("46.800000,0.540000").as_deref(), Some("46,8° N, 0,54° E"));
        assert_eq!(coordinates("-21.115141,55.536384").as_deref(), Some("21,11514° S, 55,53638° E"));
        assert_eq!(coordinates("48.1,-1.68").as_deref(), Some("48,1° N, 1,68° O"));
        assert_eq!(coordinates("Quartier Kennedy, Blois"), None);
    }
}
