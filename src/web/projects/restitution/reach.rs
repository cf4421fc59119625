//! Who the restitution reached: after each meeting (a public meeting, a stand at the market…) or another channel
//! (posters, leaflets), the group notes how many people it reached, and as many of them as it could tell per
//! profile category of the questionnaires (people without internet, young people…); the page compares them with
//! whom the survey reached, so that the group sees whether the restitution went back to those it heard.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use maud::{html, Markup};

use super::super::plans::today;
use crate::domain::project::EventKind;
use crate::domain::questionnaire::profile_values;
use crate::domain::restitution::{public_field, Category, Channel, NewReach, ReachInput};
use crate::storage::diagnostic::Place;
use crate::storage::events::events_of_territory;
use crate::storage::questionnaires::{self, Channel as SurveyChannel};
use crate::storage::restitutions::{self, Reach};
use crate::storage::DbConnection;
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::questionnaires::percent;
use crate::web::projects::territory::Territory;
use crate::web::views::{
    csrf_field, date_fr, page_with_errors, scroll_table, see_other, select, unprocessable, FormErrors,
};
use crate::web::{AppError, AppState};

/// A profile category as the page shows it: the same question and answer asked in several questionnaires of the
/// territory (the proposed profile) are one category.
struct CategoryView {
    /// The category the form counts under: its first question's.
    key: Category,
    question: String,
    answer: String,
    /// Every (question, answer) it stands for.
    members: Vec<Category>,
    /// Respondents of the survey in it.
    surveyed: i64,
    /// Respondents of the questionnaires that asked it: what its share is of.
    asked: i64,
}

struct ReachView {
    categories: Vec<CategoryView>,
    /// Respondents per survey channel.
    by_channel: Vec<(SurveyChannel, i64)>,
    reach: Vec<Reach>,
    /// The territory's restitution meetings that took place: (id, title, date).
    meetings: Vec<(i64, String, NaiveDate)>,
}

fn load_view(conn: &mut DbConnection, place: Place) -> Result<ReachView, AppError> {
    let mut questionnaire_ids: Vec<i64> =
        restitutions::showable_questions(conn, place)?.iter().map(|q| q.questionnaire_id).collect();
    questionnaire_ids.dedup();
    let mut categories: Vec<CategoryView> = Vec::new();
    let mut by_channel: Vec<(SurveyChannel, i64)> = SurveyChannel::ALL.iter().map(|c| (*c, 0)).collect();
    for id in questionnaire_ids {
        let responses = questionnaires::count_responses(conn, id)?;
        for (channel, _, n) in questionnaires::collection_breakdown(conn, id)? {
            if let Some(slot) = by_channel.iter_mut().find(|(c, _)| c.code() == channel) {
                slot.1 += n;
            }
        }
        let reached = questionnaires::profile_reach(conn, id)?;
        for question in questionnaires::questions_of(conn, id)?.into_iter().filter(|q| q.profile) {
            for (code, label) in profile_values(&question) {
                let surveyed: i64 = reached
                    .iter()
                    .filter(|r| r.question_id == question.id && r.value == code)
                    .map(|r| r.responses)
                    .sum();
                let member = (question.id, code.clone());
                match categories.iter_mut().find(|c| c.question == question.label && c.answer == label) {
                    Some(c) => {
                        c.members.push(member);
                        c.surveyed += surveyed;
                        c.asked += responses;
                    }
                    None => categories.push(CategoryView {
                        key: member.clone(),
                        question: question.label.clone(),
                        answer: label,
                        members: vec![member],
                        surveyed,
                        asked: responses,
                    }),
                }
            }
        }
    }
    let reach = match restitutions::find_restitution(conn, place)? {
        Some(r) => restitutions::reach_of(conn, r.id)?,
        None => Vec::new(),
    };
    let today = today();
    let meetings = events_of_territory(conn, place.project_id, place.collectivity_id, &[EventKind::Restitution])?
        .into_iter()
        .filter(|e| e.starts_at.date() <= today)
        .map(|e| (e.id, e.title, e.starts_at.date()))
        .collect();
    Ok(ReachView { categories, by_channel, reach, meetings })
}

async fn load(state: &AppState, territory: &Territory) -> Result<ReachView, AppError> {
    let place = territory.place;
    state.db(move |conn| load_view(conn, place)).await
}

fn path_of(territory: &Territory) -> String {
    format!("{}/portee", territory.restitution_path())
}

/// How many of the reached were counted in a category.
fn reached_in(view: &ReachView, category: &CategoryView) -> i64 {
    view.reach
        .iter()
        .flat_map(|(_, publics)| publics.iter())
        .filter(|(c, _)| category.members.contains(c))
        .map(|(_, n)| i64::from(*n))
        .sum()
}

fn reach_page(
    ctx: &PageCtx,
    territory: &Territory,
    view: &ReachView,
    sent: &[(String, String)],
    errors: &FormErrors,
) -> Markup {
    let value = |name: &str| sent.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str()).to_owned();
    let title = "Qui la restitution a touché";
    let total: i64 = view.reach.iter().map(|(r, _)| i64::from(r.reached)).sum();
    let writes = territory.writes_restitution();
    let meetings: Vec<(String, String)> =
        std::iter::once((String::new(), "Un autre moyen (affichage, tract, en ligne…)".to_owned()))
            .chain(view.meetings.iter().map(|(id, title, on)| (id.to_string(), format!("{title} — {}", date_fr(*on)))))
            .collect();
    let channels: Vec<(String, String)> =
        Channel::ALL.iter().map(|c| (c.code().to_owned(), c.label().to_owned())).collect();
    page_with_errors(
        ctx,
        &format!("{title} — {}", territory.name),
        errors,
        html! {
            (territory.restitution_breadcrumb(Some(title)))
            h1 { (title) }
            p { "Après chaque rencontre, ou pour un autre moyen (affiches, tracts), notez combien de personnes ont été touchées et, autant que vous le savez, de quels publics. Le tableau compare avec les publics que l’enquête avait touchés : la restitution revient-elle vers ceux qu’on a entendus ?" }
            section aria-labelledby="comparaison" {
                h2 id="comparaison" { "Les publics : l’enquête et la restitution" }
                @if view.categories.is_empty() {
                    p { "Les questionnaires du territoire n’ont pas de question de profil : la restitution se compte en nombre de personnes seulement." }
                } @else {
                    @let caption = "Publics touchés par l’enquête et par la restitution";
                    (scroll_table(caption, html! {
                        table {
                            caption { (caption) }
                            thead { tr {
                                th scope="col" { "Public" }
                                th scope="col" class="num" { "Répondants à l’enquête" } th scope="col" class="num" { "Part" }
                                th scope="col" class="num" { "Personnes touchées par la restitution" } th scope="col" class="num" { "Part" }
                                th scope="col" { "Lecture" }
                            } }
                            tbody {
                                @for c in &view.categories {
                                    @let reached = reached_in(view, c);
                                    @let survey_share = if c.asked > 0 { c.surveyed as f64 / c.asked as f64 } else { 0.0 };
                                    @let reach_share = if total > 0 { reached as f64 / total as f64 } else { 0.0 };
                                    tr {
                                        th scope="row" { (c.question) " : " (c.answer) }
                                        td class="num" { (c.surveyed) } td class="num" { (percent(c.surveyed, c.asked)) }
                                        td class="num" { (reached) } td class="num" { (percent(reached, total)) }
                                        td {
                                            @if total == 0 { "—" }
                                            @else if survey_share > 0.0 && reach_share + 0.05 < survey_share { strong { "Moins touché que par l’enquête" } }
                                            @else if c.surveyed > 0 { "Touché autant ou plus" }
                                            @else { "—" }
                                        }
                                    }
                                }
                            }
                        }
                    }))
                }
                @let caption = "Par quels moyens";
                (scroll_table(caption, html! {
                    table {
                        caption { (caption) }
                        thead { tr { th scope="col" { "Moyen" } th scope="col" class="num" { "Personnes" } } }
                        tbody {
                            @for (channel, n) in &view.by_channel { tr { th scope="row" { "Enquête, " (channel.label()) } td class="num" { (n) } } }
                            @for channel in Channel::ALL {
                                @let n: i64 = view.reach.iter().filter(|(r, _)| r.channel() == channel).map(|(r, _)| i64::from(r.reached)).sum();
                                @if n > 0 { tr { th scope="row" { "Restitution, " (channel.label().to_lowercase()) } td class="num" { (n) } } }
                            }
                        }
                    }
                }))
            }
            section aria-labelledby="notes" {
                h2 id="notes" { "Ce qui a été noté (" (view.reach.len()) ")" }
                @for (row, publics) in &view.reach {
                    div class="card" {
                        p { strong { (row.label) } " — " (row.channel().label()) ", " (date_fr(row.happened_on)) " : " (row.reached) " personne" @if row.reached > 1 { "s" } }
                        @if !publics.is_empty() {
                            ul { @for (category, n) in publics {
                                @if let Some(c) = view.categories.iter().find(|c| c.members.contains(category)) { li { (c.question) " : " (c.answer) " — " (n) } }
                            } }
                        }
                        @if !row.note.is_empty() { p class="prose" { (row.note) } }
                        @if writes {
                            form method="post" action={ (path_of(territory)) "/" (row.id) "/retrait" } {
                                (csrf_field(ctx))
                                button class="button button-secondary" type="submit" { "Retirer cette note" }
                            }
                        }
                    }
                }
            }
            @if writes {
                section aria-labelledby="noter" {
                    h2 id="noter" { "Noter une rencontre ou un moyen" }
                    (errors.summary())
                    form class="form" method="post" action=(path_of(territory)) novalidate {
                        (csrf_field(ctx))
                        (select("event", "Rencontre", &meetings, &value("event"), Some("Une rencontre (ou un moyen, un lieu et un jour) déjà notée l’est à nouveau : ses chiffres sont remplacés."), errors))
                        (select("channel", "Moyen", &channels, &value("channel"), None, errors))
                        (text_field("label", "Où, comment", &value("label"), "Pour une rencontre : laissez vide, son titre sera repris.", errors))
                        (text_field("happened_on", "Date (JJ/MM/AAAA)", &value("happened_on"), "Pour une rencontre : laissez vide, sa date sera reprise.", errors))
                        (text_field("reached", "Personnes touchées en tout", &value("reached"), "", errors))
                        @if !view.categories.is_empty() {
                            fieldset class="field" {
                                legend { "Parmi elles, autant que vous le savez" }
                                @for c in &view.categories {
                                    @let name = public_field(&c.key);
                                    (text_field(&name, &format!("{} : {}", c.question, c.answer), &value(&name), "", errors))
                                }
                            }
                        }
                        (text_field("note", "Note", &value("note"), "Ce qui a marché, ce qui a manqué.", errors))
                        button class="button" type="submit" { "Enregistrer" }
                    }
                }
            }
        },
    )
}

/// A one-line field whose name is built at run time (a category's count).
fn text_field(name: &str, label: &str, value: &str, hint: &str, errors: &FormErrors) -> Markup {
    let error = errors.get(name);
    let hint_id = format!("{name}-aide");
    let error_id = format!("{name}-erreur");
    let described: Vec<&str> = [(!hint.is_empty()).then_some(hint_id.as_str()), error.map(|_| error_id.as_str())]
        .into_iter()
        .flatten()
        .collect();
    html! {
        div class={ "field" @if error.is_some() { " field-invalid" } } {
            label for=(name) { (label) }
            @if !hint.is_empty() { p class="hint" id=(hint_id) { (hint) } }
            @if let Some(message) = error { p class="field-error" id=(error_id) { span aria-hidden="true" { "⚠ " } (message) } }
            input type="text" id=(name) name=(name) value=(value) aria-invalid=[error.map(|_| "true")] aria-describedby=[(!described.is_empty()).then(|| described.join(" "))];
        }
    }
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    let view = load(&state, &territory).await?;
    Ok(reach_page(&ctx, &territory, &view, &[], &FormErrors::default()))
}

pub async fn record(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    if !territory.writes_restitution() {
        return Err(AppError::Forbidden);
    }
    let fields = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let view = load(&state, &territory).await?;
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let names: Vec<String> = view.categories.iter().map(|c| public_field(&c.key)).collect();
    let input = ReachInput {
        event: value("event"),
        channel: value("channel"),
        label: value("label"),
        happened_on: value("happened_on"),
        reached: value("reached"),
        publics: view.categories.iter().zip(&names).map(|(c, name)| (c.key.clone(), value(name))).collect(),
        note: value("note"),
    };
    let reach = match NewReach::parse(&input, &view.meetings, today()) {
        Ok(reach) => reach,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return Ok(unprocessable(reach_page(&ctx, &territory, &view, &fields, &errors)));
        }
    };
    let place = territory.place;
    territory.write_restitution(&state, move |conn, by| restitutions::record_reach(conn, place, &reach, by)).await?;
    ctx.set_flash("C’est noté.");
    Ok(see_other(&format!("{}#comparaison", path_of(&territory))))
}

pub async fn remove(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, reach) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    let place = territory.place;
    territory.write_restitution(&state, move |conn, by| restitutions::remove_reach(conn, place, reach, by)).await?;
    ctx.set_flash("La note est retirée.");
    Ok(see_other(&format!("{}#notes", path_of(&territory))))
}
