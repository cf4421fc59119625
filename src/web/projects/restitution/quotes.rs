//! Choosing the quotes of a restitution among the free answers of the territory's questionnaires: a page of them
//! at a time, with a search; each chosen one can then be shortened, or a name taken out, on the working page. An
//! answer not chosen reaches no page but this one, which only the restitution's writers open.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::restitution::parse_quote;
use crate::domain::text::fold;
use crate::storage::restitutions::{self, Chosen, FreeAnswer};
use crate::web::context::PageCtx;
use crate::web::projects::territory::Territory;
use crate::web::views::{csrf_field, date_fr, page, see_other, Pager};
use crate::web::{AppError, AppState};

const PER_PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct ChooserQuery {
    recherche: Option<String>,
    page: Option<String>,
}

pub async fn chooser(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    query: web::Query<ChooserQuery>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    if !territory.writes_restitution() {
        return Err(AppError::Forbidden);
    }
    let place = territory.place;
    let (answers, chosen) = state
        .db(move |conn| {
            let chosen: Vec<(i64, i64)> = match restitutions::find_restitution(conn, place)? {
                Some(r) => {
                    restitutions::quotes_of(conn, r.id)?.iter().map(|q| (q.response_id, q.question_id)).collect()
                }
                None => Vec::new(),
            };
            Ok::<_, AppError>((restitutions::free_answers(conn, place)?, chosen))
        })
        .await?;
    let search = query.recherche.clone().unwrap_or_default();
    let needle = fold(&search);
    let kept: Vec<&FreeAnswer> =
        answers.iter().filter(|a| needle.is_empty() || fold(&a.text).contains(&needle)).collect();
    let pager = Pager::new(query.page.as_deref(), kept.len() as i64, PER_PAGE);
    let base = format!("{}/citations", territory.restitution_path());
    let link = |n: i64| format!("{base}?recherche={}&page={n}", urlencoding(&search));
    let title = "Choisir des citations";
    Ok(page(
        &ctx,
        title,
        html! {
            (territory.restitution_breadcrumb(Some(title)))
            h1 { (title) }
            p { "Les réponses libres des questionnaires du territoire, les plus récentes d’abord. Choisissez celles qui disent bien ce que beaucoup ont dit ; vous pourrez ensuite les raccourcir ou en retirer un nom sur la page de la restitution. Rien ne dit qui a répondu." }
            form class="form filters" method="get" action=(base) {
                div class="field" {
                    label for="recherche" { "Chercher un mot" }
                    input id="recherche" name="recherche" type="search" value=(search);
                }
                button class="button" type="submit" { "Chercher" }
            }
            p role="status" { (kept.len()) " réponse" @if kept.len() > 1 { "s" } @if !needle.is_empty() { " contenant « " (search) " »" } "." }
            ul class="free-answers quote-choices" {
                @for answer in pager.slice(&kept) {
                    li {
                        blockquote { p { (answer.text) } }
                        p class="meta" { "À « " (answer.question) " », le " (date_fr(answer.submitted_at.date())) }
                        @if chosen.contains(&(answer.response_id, answer.question_id)) {
                            p class="meta" { strong { "Citée" } }
                        } @else {
                            form method="post" action=(base) {
                                (csrf_field(&ctx))
                                input type="hidden" name="response" value=(answer.response_id);
                                input type="hidden" name="question" value=(answer.question_id);
                                button class="button button-secondary" type="submit" { "Citer cette réponse" }
                            }
                        }
                    }
                }
            }
            (pager.render(link))
            p { a href={ (territory.restitution_path()) "#citations" } { "Revenir à la restitution" } }
        },
    ))
}

/// A search as a query string value: every byte but letters, digits and `-_.~` percent-encoded.
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChooseForm {
    response: String,
    question: String,
}

pub async fn choose(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ChooseForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    let not_an_answer = || AppError::BadRequest("Cette réponse n’est pas une réponse libre du territoire.".into());
    let response: i64 = form.response.trim().parse().map_err(|_| not_an_answer())?;
    let question: i64 = form.question.trim().parse().map_err(|_| not_an_answer())?;
    let place = territory.place;
    let outcome = territory
        .write_restitution(&state, move |conn, by| restitutions::choose_quote(conn, place, response, question, by))
        .await?;
    ctx.set_flash(match outcome {
        Chosen::Chosen => "La réponse est citée : relisez-la sur la page de la restitution.",
        Chosen::Already => "Cette réponse était déjà citée.",
        // Removed since the list was read (a response deleted), or a forged form.
        Chosen::NotAnAnswer => "Cette réponse n’est plus parmi les réponses libres du territoire : rien n’est cité.",
    });
    Ok(see_other(&format!("{}/citations", territory.restitution_path())))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QuoteForm {
    text: String,
}

pub async fn edit(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<QuoteForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, quote) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    let text = match parse_quote(&form.text) {
        Ok(text) => text,
        Err(message) => {
            ctx.set_flash(&format!("La citation n’est pas modifiée : {message}"));
            return Ok(see_other(&format!("{}#citations", territory.restitution_path())));
        }
    };
    let place = territory.place;
    let edited = territory
        .write_restitution(&state, move |conn, by| restitutions::edit_quote(conn, place, quote, &text, by))
        .await?;
    ctx.set_flash(if edited {
        "La citation est enregistrée."
    } else {
        "Cette citation a été retirée entre-temps."
    });
    Ok(see_other(&format!("{}#citations", territory.restitution_path())))
}

pub async fn remove(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, quote) = path.into_inner();
    let territory = Territory::load_restitution(&state, &ctx, project_id, collectivity_id).await?;
    let place = territory.place;
    territory.write_restitution(&state, move |conn, by| restitutions::remove_quote(conn, place, quote, by)).await?;
    // A second click finds it gone: the page says the same.
    ctx.set_flash("La citation est retirée.");
    Ok(see_other(&format!("{}#citations", territory.restitution_path())))
}
