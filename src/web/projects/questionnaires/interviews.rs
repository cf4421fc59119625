//! Recording answers on behalf of inhabitants: an inquiry-group member enters an interview (face to face or by
//! phone, and where) or a paper form, one after the other. The response keeps who recorded it and how.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::questionnaire::{takes_answers, validate_response, Question, Submitted};
use crate::domain::text::{bounded_text, clean_line};
use crate::storage;
use crate::storage::questionnaires::{self, Channel, Questionnaire, Recording};
use crate::web::context::PageCtx;
use crate::web::error::url_encode;
use crate::web::middleware::decode_form;
use crate::web::projects::access::{questionnaire_and_access, Need};
use crate::web::projects::paths::{builder_path, group_path};
use crate::web::survey::{answers_summary, questions_fields, survey_script};
use crate::web::views::{csrf_field, page, see_other, unprocessable, FormErrors};
use crate::web::{AppError, AppState};

/// The ways a response is recorded here, as (code, label).
const WAYS: [(&str, &str); 3] = [
    ("face_to_face", "Entretien en face à face"),
    ("phone", "Entretien par téléphone"),
    ("paper", "Questionnaire papier rempli par l’habitant"),
];

fn entry_path(id: i64) -> String {
    format!("{}/saisie", builder_path(id))
}

/// The questionnaire, its questions and the person recording, if they belong to its territory's group, its
/// collectivity, its provider or the agency.
async fn recordable(state: &AppState, ctx: &PageCtx, id: i64) -> Result<(Questionnaire, Vec<Question>, i64), AppError> {
    let user_id = ctx.require_user()?.id;
    let (questionnaire, _, _) = questionnaire_and_access(state, ctx, id, Need::Group).await?;
    let questions = state.db(move |conn| Ok(questionnaires::questions_of(conn, id)?)).await?;
    Ok((questionnaire, questions, user_id))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EntryQuery {
    /// Kept from one entry to the next: the way and the place rarely change within a session of interviews.
    way: String,
    place: String,
    /// "1" right after a response was recorded: the browser then forgets its draft.
    enregistre: String,
}

/// How the entry page was reached: fresh (a draft may be restored), after a recorded response (the draft is
/// forgotten), or with a refused submission (the server's copy of the answers is on the page).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arrival {
    Fresh,
    Recorded,
    Refused,
}

fn entry_page(
    ctx: &PageCtx,
    questionnaire: &Questionnaire,
    questions: &[Question],
    (way, place): (&str, &str),
    form: &[(String, String)],
    errors: &FormErrors,
    arrival: Arrival,
) -> Markup {
    let way = if way.is_empty() { "face_to_face" } else { way };
    // The draft is the interviewer's, on this device: kept in the browser if the connection drops mid-interview.
    let draft = format!("saisie-{}-{}", questionnaire.id, ctx.user.as_ref().map_or(0, |u| u.id));
    page(
        ctx,
        &errors.title(&format!("Saisie — {}", questionnaire.title)),
        html! {
            p class="breadcrumb" {
                a href=(group_path(questionnaire.project_id, questionnaire.collectivity_id)) { "Groupe d’enquête" } " › " (questionnaire.title) " › Saisie"
            }
            h1 { "Saisir une réponse : " (questionnaire.title) }
            p { "Pour un entretien mené avec un habitant ou un questionnaire papier. Après l’enregistrement, le formulaire revient vide pour la réponse suivante ; la manière et le lieu sont gardés." }
            (answers_summary(questions, errors))
            form class="form survey" method="post" action=(entry_path(questionnaire.id)) novalidate data-draft=(draft)
                data-arrival=(match arrival { Arrival::Fresh => "fresh", Arrival::Recorded => "recorded", Arrival::Refused => "refused" }) {
                (csrf_field(ctx))
                fieldset class="field" {
                    legend { "Comment la réponse a été recueillie" }
                    @for (i, (code, label)) in WAYS.iter().enumerate() {
                        @let id = if i == 0 { "way".to_owned() } else { format!("way-{code}") };
                        div class="choice" {
                            input type="radio" name="way" id=(id) value=(code) checked[way == *code];
                            label for=(id) { (label) }
                        }
                    }
                }
                div class={ "field" @if errors.get("place").is_some() { " field-invalid" } } {
                    label for="place" { "Lieu de l’entretien" span class="optional" { " (facultatif)" } }
                    p class="hint" id="place-aide" { "Un marché, une salle, le pas d’une porte… Sans adresse personnelle." }
                    @if let Some(message) = errors.get("place") { p class="field-error" id="place-erreur" { span aria-hidden="true" { "⚠ " } (message) } }
                    input id="place" name="place" type="text" value=(place) aria-describedby="place-aide";
                }
                (questions_fields(questions, form, errors))
                button class="button" type="submit" { "Enregistrer et saisir la suivante" }
            }
            (survey_script())
        },
    )
}

pub async fn form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<EntryQuery>,
) -> Result<Markup, AppError> {
    let (questionnaire, questions, _) = recordable(&state, &ctx, id.into_inner()).await?;
    let arrival = if query.enregistre == "1" { Arrival::Recorded } else { Arrival::Fresh };
    Ok(entry_page(&ctx, &questionnaire, &questions, (&query.way, &query.place), &[], &FormErrors::default(), arrival))
}

pub async fn record(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (questionnaire, questions, user_id) = recordable(&state, &ctx, id.into_inner()).await?;
    let form = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let (way, place) = (form.value_of("way").to_owned(), form.value_of("place").to_owned());
    let mut errors = FormErrors::default();
    let channel = match way.as_str() {
        "face_to_face" | "phone" => Some(Channel::Interview),
        "paper" => Some(Channel::Paper),
        _ => {
            errors.add("way", "Choisissez comment la réponse a été recueillie.");
            None
        }
    };
    let place_checked = match clean_line(&place) {
        Some(line) if line.is_empty() => Ok(None),
        Some(line) => bounded_text(&line, "Le lieu", 0, 200).map(Some),
        None => Err("Le lieu contient des caractères non autorisés.".to_owned()),
    };
    let place_checked = errors.check("place", place_checked);
    if !takes_answers(&questions) {
        errors.add("way", "Ce questionnaire n’a pas encore de question : il n’y a rien à saisir.");
    }
    let answers = validate_response(&questions, form.as_slice());
    let (Some(channel), Some(place_checked), Ok(items), true) = (channel, place_checked, &answers, errors.is_empty())
    else {
        if let Err(field_errors) = answers {
            for (field, message) in field_errors {
                errors.add(field, message);
            }
        }
        return Ok(unprocessable(entry_page(
            &ctx,
            &questionnaire,
            &questions,
            (&way, &place),
            &form,
            &errors,
            Arrival::Refused,
        )));
    };
    let recording = Recording {
        interviewer_id: user_id,
        interview_mode: WAYS.iter().map(|(code, _)| *code).find(|code| *code == way && channel == Channel::Interview),
        place: place_checked,
    };
    let (questionnaire_id, items) = (questionnaire.id, items.clone());
    let count = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                questionnaires::record_response(conn, questionnaire_id, channel, Some(&recording), &items)?;
                Ok::<_, AppError>(questionnaires::count_recorded_by(conn, questionnaire_id, user_id)?)
            })
        })
        .await?;
    ctx.set_flash(&format!("Réponse enregistrée : vous en avez saisi {count} pour ce questionnaire."));
    Ok(see_other(&format!(
        "{}?way={}&place={}&enregistre=1",
        entry_path(questionnaire_id),
        url_encode(&way),
        url_encode(&place)
    )))
}
