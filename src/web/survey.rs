//! Answering a questionnaire online, without an account: the public link `/q/{token}`, anonymous by default.
//! The form works without JavaScript; conditions are evaluated on the server, which keeps no answer to a question
//! its condition hides. A honeypot field turns away robots without bothering people.
//!
//! These pages set no cookie, so that a browser refusing cookies can answer: their form token is not the
//! session's but a [`FormToken`], signed and bound to the questionnaire and the hour it was issued, which the
//! handlers check (the CSRF middleware lets these routes through, as `middleware::SIGNED_PATTERNS` lists). Being
//! the same for everyone during an hour, the form page is served from the visitors' page cache.

use std::sync::Arc;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::auth::client_address;
use super::cache::QuestionCache;
use super::context::PageCtx;
use super::error::url_encode;
use super::middleware::decode_form;
use super::middleware::CSRF_FIELD;
use super::views::{date_fr, html_response, page, see_other, unprocessable, Field, FormErrors};
use super::{AppError, AppState};
use crate::domain::account::EmailAddress;
use crate::domain::markdown::Markdown;
use crate::domain::questionnaire::{
    field_name, item_field_name, limits, numbers, profile_values, takes_answers, validate_response, ConditionOp,
    FieldErrors, Question, QuestionType, Submitted, OTHER, PROFILE_CONSENT,
};
use crate::security::{sign, verify_signature};
use crate::storage::questionnaires::{self, Questionnaire};
use crate::storage::response_writer::{PendingResponse, Written};
use crate::storage::{self, now};

/// A field no person sees or fills; robots that fill every field give themselves away.
pub const HONEYPOT: &str = "site_web";

/// How long a form token is accepted after it was issued: a person may leave the form open for an afternoon.
pub const FORM_TOKEN_HOURS: i64 = 24;

/// What a form token lets one send: the answers, or an address to be told what came of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPurpose {
    Answers,
    Feedback,
    /// An inhabitant's idea for a territory's creativity cycle (`web::projects::codesign::public`), by territory.
    Ideas,
}

/// The form token of the public questionnaire pages: `{hour}.{HMAC(link key, purpose:questionnaire:hour)}`, the
/// hour counted since the Unix epoch. It proves that the form was served by the platform for this questionnaire
/// less than [`FORM_TOKEN_HOURS`] ago, without any cookie. It is the same for every visitor of the same hour, so
/// the cached page stays valid; what it does not prove — that a given person sends once — is what the limit per
/// address and the honeypot bound, as before (a replay within its life is another response from that address).
pub struct FormToken;

/// What a form token given back is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenCheck {
    Valid,
    /// Signed by the platform for this questionnaire, but too old: the form comes back with a fresh one.
    Expired,
    /// Not signed by the platform, for another questionnaire or purpose, or malformed.
    Invalid,
}

impl FormToken {
    fn message(purpose: FormPurpose, questionnaire_id: i64, hour: i64) -> String {
        let purpose = match purpose {
            FormPurpose::Answers => "questionnaire-reponses",
            FormPurpose::Feedback => "questionnaire-suivi",
            FormPurpose::Ideas => "idees-habitants",
        };
        format!("{purpose}:{questionnaire_id}:{hour}")
    }

    /// The hour of `at`, as the token counts it.
    pub fn hour(at: chrono::DateTime<chrono::Utc>) -> i64 {
        at.timestamp().div_euclid(3600)
    }

    pub fn issue(key: &[u8], purpose: FormPurpose, questionnaire_id: i64, hour: i64) -> String {
        format!("{hour}.{}", sign(key, &FormToken::message(purpose, questionnaire_id, hour)))
    }

    pub fn check(key: &[u8], purpose: FormPurpose, questionnaire_id: i64, given: &str, now_hour: i64) -> TokenCheck {
        let Some((hour, signature)) = given.trim().split_once('.') else { return TokenCheck::Invalid };
        let Ok(hour) = hour.parse::<i64>() else { return TokenCheck::Invalid };
        if !verify_signature(key, &FormToken::message(purpose, questionnaire_id, hour), signature) {
            return TokenCheck::Invalid;
        }
        // An hour ahead is tolerated: instances whose clocks differ a little share the key.
        match now_hour - hour {
            age if age < -1 => TokenCheck::Invalid,
            age if age >= FORM_TOKEN_HOURS => TokenCheck::Expired,
            _ => TokenCheck::Valid,
        }
    }

    /// A token for a form served now.
    pub fn now(state: &AppState, purpose: FormPurpose, questionnaire_id: i64) -> String {
        FormToken::issue(&state.link_key, purpose, questionnaire_id, FormToken::hour(chrono::Utc::now()))
    }

    pub fn check_now(state: &AppState, purpose: FormPurpose, questionnaire_id: i64, given: &str) -> TokenCheck {
        FormToken::check(&state.link_key, purpose, questionnaire_id, given, FormToken::hour(chrono::Utc::now()))
    }
}

/// The hidden field carrying a page's form token, where other forms carry the session's.
pub fn token_field(token: &str) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(token); }
}

/// What the page says when a form token was refused: the answers are on the page again, with a fresh token.
fn token_message(check: TokenCheck) -> &'static str {
    match check {
        TokenCheck::Expired => "Ce formulaire était ouvert depuis plus d’une journée : par sécurité, il a été renouvelé. Vos réponses sont gardées ci-dessous ; vérifiez-les et renvoyez-les.",
        _ => "Ce formulaire n’a pas pu être vérifié (il ne vient pas de cette page ou a été modifié). Vos réponses sont gardées ci-dessous ; vérifiez-les et renvoyez-les.",
    }
}

pub fn survey_path(questionnaire: &Questionnaire) -> String {
    format!("/q/{}", questionnaire.public_token)
}

/// "Question 3" for the condition notes: the number a person sees beside each question.
fn number_of(questions: &[Question], id: i64) -> Option<usize> {
    let index = questions.iter().position(|q| q.id == id)?;
    numbers(questions).get(index).copied().flatten()
}

/// A question's number where the page refers to it: survey.js numbers the questions shown consecutively, and
/// renumbers these references with them.
fn number_ref(id: i64, number: usize) -> Markup {
    html! { span class="question-ref" data-ref=(id) { (number) } }
}

/// The label of an answer code of a question, as a respondent reads it.
fn answer_label(question: &Question, code: &str) -> String {
    profile_values(question).into_iter().find(|(c, _)| c == code).map_or_else(|| code.to_owned(), |(_, label)| label)
}

/// When a question is asked, in words: shown beside it, since without JavaScript every question is on the page.
fn condition_note(questions: &[Question], question: &Question) -> Option<Markup> {
    let condition = question.condition.as_ref()?;
    let on = questions.iter().find(|q| q.id == condition.question_id)?;
    let values: Vec<String> = condition.values.iter().map(|v| format!("« {} »", answer_label(on, v))).collect();
    let number = number_ref(on.id, number_of(questions, on.id)?);
    Some(match condition.op {
        ConditionOp::Includes => {
            html! { "Seulement si vous avez coché " (values.join(", ")) " à la question " (number) "." }
        }
        _ => html! { "Seulement si vous avez répondu " (values.join(" ou ")) " à la question " (number) "." },
    })
}

/// How the error summary names a question's field: « Question 3 », or a profile question by its wording.
pub fn question_name(questions: &[Question]) -> impl Fn(&str) -> Option<Markup> + '_ {
    move |field| {
        let question = questions.iter().find(|q| field_name(q.id) == field)?;
        Some(match number_of(questions, question.id) {
            Some(number) => html! { "Question " (number_ref(question.id, number)) },
            None => html! { "« " (question.label) " »" },
        })
    }
}

/// The error summary of a questionnaire's form, naming each question.
pub fn answers_summary(questions: &[Question], errors: &FormErrors) -> Markup {
    errors.summary_naming(question_name(questions))
}

/// A part of a questionnaire: its section (None before the first one) and its questions with their numbers.
type Part<'a> = (Option<&'a Question>, Vec<(&'a Question, Option<usize>)>);

/// The questions as form fields, with what was typed and the errors of a refused submission: each section with
/// the questions under it, then the profile questions apart, behind the respondent's consent.
pub fn questions_fields(questions: &[Question], form: &[(String, String)], errors: &FormErrors) -> Markup {
    let numbered: Vec<(&Question, Option<usize>)> = questions.iter().zip(numbers(questions)).collect();
    // Runs of questions: the ones before the first section, then each section with its questions.
    let mut parts: Vec<Part> = vec![(None, Vec::new())];
    for (question, number) in numbered.iter().filter(|(q, _)| !q.profile) {
        if question.kind == QuestionType::Section {
            parts.push((Some(question), Vec::new()));
        } else if let Some((_, members)) = parts.last_mut() {
            members.push((question, *number));
        }
    }
    let profile: Vec<&Question> = questions.iter().filter(|q| q.profile).collect();
    let consented = form.value_of(PROFILE_CONSENT) == "oui";
    html! {
        // survey.js says here which questions appear or go as people answer.
        div class="visually-hidden" aria-live="polite" data-announce {}
        @for (section, members) in &parts {
            @if let Some(section) = section {
                @let title_id = format!("partie-{}", section.id);
                @let note = condition_note(questions, section);
                @let condition = ConditionData::of(section);
                section class="survey-part" aria-labelledby=(title_id) data-question=(section.id) data-section
                    data-condition-question=[condition.question.as_deref()]
                    data-condition-op=[condition.op]
                    data-condition-values=[condition.values.as_deref()] {
                    h2 id=(title_id) { (section.label) }
                    @if let Some(note) = &note { p class="hint" { em { (note) } } }
                    @if !section.help.is_empty() { p { (section.help) } }
                    @for (question, number) in members { (question_field(*number, questions, question, form, errors)) }
                }
            } @else {
                @for (question, number) in members { (question_field(*number, questions, question, form, errors)) }
            }
        }
        @if !profile.is_empty() {
            section class="survey-part profile" aria-labelledby="profil" data-profile {
                h2 id="profil" { "Votre profil (facultatif)" }
                p { "Ces quelques questions servent seulement à vérifier que l’enquête entend tous les publics, et d’abord ceux qu’on entend le moins. Elles restent anonymes comme le reste ; vous pouvez ne pas y répondre." }
                div class="choice" {
                    input type="checkbox" id=(PROFILE_CONSENT) name=(PROFILE_CONSENT) value="oui" checked[consented] aria-describedby="profil-accord-aide";
                    label for=(PROFILE_CONSENT) { "J’accepte de répondre aux questions de profil" }
                }
                p class="hint" id="profil-accord-aide" { "Sans cette case cochée, les réponses aux questions de profil ne sont pas enregistrées, même si vous les remplissez." }
                div class="profile-questions" {
                    @for question in &profile { (question_field(None, questions, question, form, errors)) }
                }
            }
        }
    }
}

/// A question's condition as survey.js reads it, to show the question (or section) only when it is asked; the
/// server decides all the same.
struct ConditionData {
    question: Option<String>,
    op: Option<&'static str>,
    values: Option<String>,
}

impl ConditionData {
    fn of(question: &Question) -> ConditionData {
        let condition = question.condition.as_ref();
        ConditionData {
            question: condition.map(|c| c.question_id.to_string()),
            op: condition.map(|c| c.op.code()),
            values: condition.map(|c| serde_json::to_string(&c.values).unwrap_or_else(|_| "[]".into())),
        }
    }
}

/// What every question's field shares, whatever its type: its name, its title (number, label, whether it is
/// required), its hint and error tied to the inputs by `aria-describedby`, and its condition.
struct FieldFrame<'a> {
    question: &'a Question,
    name: String,
    class: &'static str,
    title: Markup,
    help: Markup,
    described: Option<String>,
    invalid: bool,
    condition: ConditionData,
}

impl<'a> FieldFrame<'a> {
    fn new(number: Option<usize>, questions: &[Question], question: &'a Question, errors: &FormErrors) -> Self {
        let name = field_name(question.id);
        let error = errors.get(&name);
        let help_id = format!("{name}-aide");
        let error_id = format!("{name}-erreur");
        let note = condition_note(questions, question);
        let limit = limits(question);
        let has_help = !question.help.is_empty() || note.is_some() || limit.is_some();
        let described: Vec<String> =
            [has_help.then(|| help_id.clone()), error.map(|_| error_id.clone())].into_iter().flatten().collect();
        let title = html! {
            @if let Some(number) = number { span class="question-number" data-number=(question.id) { (number) } ". " }
            (question.label)
            @if question.required { span class="required" { " (obligatoire)" } } @else { span class="optional" { " (facultatif)" } }
        };
        let help = html! {
            @if has_help {
                p class="hint" id=(help_id) {
                    @if let Some(note) = &note { em { (note) } " " }
                    @if let Some(limit) = &limit { (limit) " " }
                    (question.help)
                }
            }
            @if let Some(message) = error { p class="field-error" id=(error_id) { span aria-hidden="true" { "⚠ " } (message) } }
        };
        FieldFrame {
            question,
            class: if error.is_some() { "field question field-invalid" } else { "field question" },
            described: (!described.is_empty()).then(|| described.join(" ")),
            invalid: error.is_some(),
            condition: ConditionData::of(question),
            name,
            title,
            help,
        }
    }

    /// A question answered by several inputs: a fieldset whose legend is the title. `bounds` are a multiple
    /// choice's, for survey.js (the server checks them, and the hint says them).
    fn fieldset(&self, bounds: (Option<i64>, Option<i64>), inputs: Markup) -> Markup {
        let condition = &self.condition;
        html! {
            fieldset class=(self.class) aria-describedby=[self.described.as_deref()] data-question=(self.question.id) data-condition-question=[condition.question.as_deref()] data-condition-op=[condition.op] data-condition-values=[condition.values.as_deref()] data-min=[bounds.0] data-max=[bounds.1] {
                legend { (self.title) }
                (self.help)
                (inputs)
            }
        }
    }

    /// A question answered by one input, which the title labels; `hint` says how to write the answer.
    fn labelled(&self, hint: Option<&str>, input: Markup) -> Markup {
        let condition = &self.condition;
        html! {
            div class=(self.class) data-question=(self.question.id) data-condition-question=[condition.question.as_deref()] data-condition-op=[condition.op] data-condition-values=[condition.values.as_deref()] {
                label for=(self.name) { (self.title) }
                @if let Some(hint) = hint { p class="hint" { (hint) } }
                (self.help)
                (input)
            }
        }
    }

    /// `aria-invalid` of an input whose answer was refused.
    fn aria_invalid(&self) -> Option<&'static str> {
        self.invalid.then_some("true")
    }
}

fn question_field(
    number: Option<usize>,
    questions: &[Question],
    question: &Question,
    form: &[(String, String)],
    errors: &FormErrors,
) -> Markup {
    let frame = FieldFrame::new(number, questions, question, errors);
    let choices = || question.settings.choices.iter().map(|c| (c.code.clone(), c.label.clone())).collect();
    match question.kind {
        QuestionType::SingleChoice => choice_field(&frame, form, "radio", choices(), (None, None)),
        QuestionType::MultipleChoice => {
            choice_field(&frame, form, "checkbox", choices(), (question.settings.min, question.settings.max))
        }
        QuestionType::YesNo => {
            let options = vec![("oui".into(), "Oui".into()), ("non".into(), "Non".into())];
            choice_field(&frame, form, "radio", options, (None, None))
        }
        QuestionType::Scale => choice_field(&frame, form, "radio", scale_points(question), (None, None)),
        QuestionType::Matrix => matrix_field(&frame, form),
        QuestionType::Ranking => ranking_field(&frame, form),
        // Sections are drawn by `questions_fields` around their questions.
        QuestionType::Section => html! {},
        // A number stays a text field: a decimal comma is typed as people write it, and what was typed comes back
        // as typed when refused; its bounds are said in the hint and given to survey.js.
        QuestionType::Number => {
            let bounds = (question.settings.min, question.settings.max);
            input_field(&frame, form, TextInput { kind: "text", mode: Some("decimal"), hint: None, bounds })
        }
        QuestionType::ShortText => input_field(&frame, form, TextInput::plain("text", None)),
        QuestionType::LongText => long_text_field(&frame, form),
        QuestionType::Date => input_field(&frame, form, TextInput::plain("date", Some(DATE_HINT))),
        QuestionType::Place => input_field(&frame, form, TextInput::plain("text", Some(PLACE_HINT))),
    }
}

const DATE_HINT: &str = "Format JJ/MM/AAAA si votre navigateur ne propose pas de calendrier.";
const PLACE_HINT: &str = "Une commune, un quartier, une adresse, ou des coordonnées « latitude, longitude ».";

/// The points of a scale as (value, label), the ends with their words.
fn scale_points(question: &Question) -> Vec<(String, String)> {
    let settings = &question.settings;
    let (min, max) = settings.scale();
    (min..=max)
        .map(|n| {
            let label = match n {
                n if n == min && !settings.min_label.is_empty() => format!("{n} — {}", settings.min_label),
                n if n == max && !settings.max_label.is_empty() => format!("{n} — {}", settings.max_label),
                n => n.to_string(),
            };
            (n.to_string(), label)
        })
        .collect()
}

/// Single or multiple choice, yes or no, a scale: one box per option (`input_type` radio or checkbox), and
/// « Autre » with its text when the question allows it.
fn choice_field(
    frame: &FieldFrame,
    form: &[(String, String)],
    input_type: &str,
    mut options: Vec<(String, String)>,
    bounds: (Option<i64>, Option<i64>),
) -> Markup {
    let (question, name) = (frame.question, &frame.name);
    if question.settings.allow_other {
        options.push((OTHER.into(), "Autre".into()));
    }
    // The text of « Autre » is its own field: an id of its own, a name that says which question it completes
    // (the "-autre" id is the « Autre » box's).
    let other_field = item_field_name(question.id, OTHER);
    let other_id = format!("{other_field}-precision");
    let chosen = form.values(name);
    frame.fieldset(
        bounds,
        html! {
            @for (i, (value, label)) in options.iter().enumerate() {
                @let id = if i == 0 { name.clone() } else { format!("{name}-{value}") };
                div class="choice" {
                    input type=(input_type) name=(name) id=(id) value=(value) checked[chosen.contains(&value.as_str())];
                    label for=(id) { (label) }
                }
            }
            @if question.settings.allow_other {
                div class="field other" {
                    label for=(other_id) { "Autre, précisez :" span class="visually-hidden" { " " (question.label) } }
                    input type="text" id=(other_id) name=(other_field) value=(form.value_of(&other_field));
                }
            }
        },
    )
}

/// A matrix: a row of radio buttons per statement, the scale's end words read out to screen readers.
fn matrix_field(frame: &FieldFrame, form: &[(String, String)]) -> Markup {
    let question = frame.question;
    let settings = &question.settings;
    let (min, max) = settings.scale();
    frame.fieldset(
        (None, None),
        html! {
            @for (r, row) in settings.rows.iter().enumerate() {
                @let row_field = item_field_name(question.id, &row.code);
                fieldset class="matrix-row" {
                    legend { (row.label) }
                    @for n in min..=max {
                        @let id = if r == 0 && n == min { frame.name.clone() } else { format!("{row_field}-{n}") };
                        @let value = n.to_string();
                        span class="choice inline-choice" {
                            input type="radio" name=(row_field) id=(id) value=(value) checked[form.value_of(&row_field) == value];
                            label for=(id) {
                                (n)
                                @if n == min && !settings.min_label.is_empty() { span class="visually-hidden" { " (" (settings.min_label) ")" } }
                                @if n == max && !settings.max_label.is_empty() { span class="visually-hidden" { " (" (settings.max_label) ")" } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A ranking: a rank to choose for each choice.
fn ranking_field(frame: &FieldFrame, form: &[(String, String)]) -> Markup {
    let question = frame.question;
    let n = question.settings.choices.len();
    frame.fieldset(
        (None, None),
        html! {
            @for (i, choice) in question.settings.choices.iter().enumerate() {
                @let field = item_field_name(question.id, &choice.code);
                @let id = if i == 0 { frame.name.clone() } else { field.clone() };
                div class="field ranking" {
                    label for=(id) { (choice.label) }
                    select id=(id) name=(field) {
                        option value="" { "—" }
                        @for rank in 1..=n { option value=(rank) selected[form.value_of(&field) == rank.to_string()] { (rank) } }
                    }
                }
            }
        },
    )
}

/// How a one-line answer is typed: the input's type and `inputmode`, how to write it, a number's bounds.
struct TextInput {
    kind: &'static str,
    mode: Option<&'static str>,
    hint: Option<&'static str>,
    bounds: (Option<i64>, Option<i64>),
}

impl TextInput {
    fn plain(kind: &'static str, hint: Option<&'static str>) -> TextInput {
        TextInput { kind, mode: None, hint, bounds: (None, None) }
    }
}

/// A number, a short text, a date or a place: one input.
fn input_field(frame: &FieldFrame, form: &[(String, String)], input: TextInput) -> Markup {
    let name = &frame.name;
    let value = form.values(name).first().copied().unwrap_or("");
    frame.labelled(
        input.hint,
        html! {
            input id=(name) name=(name) type=(input.kind) value=(value) inputmode=[input.mode]
                data-min=[input.bounds.0] data-max=[input.bounds.1]
                aria-invalid=[frame.aria_invalid()] aria-describedby=[frame.described.as_deref()];
        },
    )
}

/// A long text: a text area.
fn long_text_field(frame: &FieldFrame, form: &[(String, String)]) -> Markup {
    let name = &frame.name;
    let value = form.values(name).first().copied().unwrap_or("");
    frame.labelled(
        None,
        html! {
            textarea id=(name) name=(name) rows="5" aria-invalid=[frame.aria_invalid()] aria-describedby=[frame.described.as_deref()] { (value) }
        },
    )
}

/// The script that shows conditional questions as people answer (progressive enhancement).
pub fn survey_script() -> Markup {
    html! { script src=(super::assets::url("survey.js")) defer {} }
}

/// Whether the questionnaire takes an answer online today.
fn is_open(questionnaire: &Questionnaire, questions: &[Question]) -> bool {
    questionnaire.is_open(now().date()) && takes_answers(questions)
}

fn closed_message(questionnaire: &Questionnaire) -> String {
    if questionnaire.draft {
        return "Ce questionnaire est en préparation : il ne prend pas encore de réponses.".to_owned();
    }
    match (questionnaire.opens_on, questionnaire.closes_on) {
        (Some(open), _) if open > now().date() => format!("Ce questionnaire ouvrira le {}.", date_fr(open)),
        (_, Some(close)) => format!("Ce questionnaire est clos depuis le {}. Merci de votre intérêt.", date_fr(close)),
        _ => "Ce questionnaire ne prend pas de réponses.".to_owned(),
    }
}

/// What the page says above the form when a submission was not taken.
enum Refusal<'a> {
    None,
    Invalid(&'a FormErrors),
    /// Too many responses from this address in the last hour.
    Throttled(u32),
    /// The form token was refused (see [`FormToken`]).
    Token(TokenCheck),
}

/// A single-use invitation as it stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Invitation {
    /// The questionnaire needs none.
    NotNeeded,
    Valid,
    Missing,
    Used,
}

fn invitation_message(invitation: Invitation) -> Option<&'static str> {
    match invitation {
        Invitation::NotNeeded | Invitation::Valid => None,
        Invitation::Missing => Some("Ce questionnaire se remplit sur invitation : ouvrez le lien personnel que vous avez reçu. Sans lui, il n’est pas possible de répondre."),
        Invitation::Used => Some("Cette invitation a déjà servi : une réponse a été enregistrée avec elle. Merci de votre participation."),
    }
}

fn survey_page(
    ctx: &PageCtx,
    questionnaire: &Questionnaire,
    questions: &[Question],
    (invitation, token): (Invitation, &str),
    (form, form_token): (&[(String, String)], &str),
    refusal: Refusal,
) -> Markup {
    let open = is_open(questionnaire, questions);
    let no_errors = FormErrors::default();
    let errors = match refusal {
        Refusal::Invalid(errors) => errors,
        _ => &no_errors,
    };
    let action = match invitation {
        Invitation::Valid => format!("{}?invitation={}", survey_path(questionnaire), url_encode(token)),
        _ => survey_path(questionnaire),
    };
    page(
        ctx,
        &errors.title(&questionnaire.title),
        html! {
            h1 { (questionnaire.title) }
            @if !questionnaire.introduction.is_empty() { div class="markdown" { (Markdown(&questionnaire.introduction)) } }
            p class="meta" { "Vos réponses sont anonymes : ni nom, ni adresse ne vous sont demandés. Les questions facultatives peuvent rester sans réponse." }
            @if !open {
                p class="notice notice-warning" role="status" { (closed_message(questionnaire)) }
            } @else if let Some(message) = invitation_message(invitation) {
                p class="notice notice-warning" role="status" { (message) }
            } @else {
                @if let Refusal::Throttled(limit) = refusal {
                    div class="notice notice-error" role="alert" {
                        p { "Beaucoup de réponses sont arrivées de ce réseau depuis une heure (plus de " (limit) "). Pour écarter les envois automatiques, elles sont mises en attente : patientez quelques minutes puis renvoyez. Vos réponses sont gardées ci-dessous." }
                    }
                }
                @if let Refusal::Token(check) = refusal {
                    div class="notice notice-warning" role="alert" { p { (token_message(check)) } }
                }
                (answers_summary(questions, errors))
                form class="form survey" method="post" action=(action) novalidate {
                    (token_field(form_token))
                    div class="honeypot" aria-hidden="true" {
                        label for=(HONEYPOT) { "Ne pas remplir ce champ" }
                        input type="text" id=(HONEYPOT) name=(HONEYPOT) tabindex="-1" autocomplete="off";
                    }
                    (questions_fields(questions, form, errors))
                    button class="button" type="submit" { "Envoyer mes réponses" }
                }
                (survey_script())
            }
        },
    )
}

/// The questionnaire of a public link, its questions (from the instance's memory while they have not changed),
/// and the state of the invitation given with it.
fn load_with(
    conn: &mut crate::storage::DbConnection,
    cache: &QuestionCache,
    token: &str,
    invitation: &str,
) -> Result<(Questionnaire, Arc<Vec<Question>>, Invitation), AppError> {
    let questionnaire = questionnaires::find_by_token(conn, token)?.ok_or(AppError::NotFound)?;
    let questions = match cache.get(&questionnaire.id, &questionnaire.updated_at) {
        Some(questions) => questions,
        None => {
            let questions = Arc::new(questionnaires::questions_of(conn, questionnaire.id)?);
            cache.put(questionnaire.id, questionnaire.updated_at, questions.clone());
            questions
        }
    };
    let invitation = match (questionnaire.invitation_only, invitation) {
        (false, _) => Invitation::NotNeeded,
        (true, "") => Invitation::Missing,
        (true, token) => match questionnaires::find_invitation(conn, questionnaire.id, token)? {
            Some(None) => Invitation::Valid,
            Some(Some(_)) => Invitation::Used,
            None => Invitation::Missing,
        },
    };
    Ok((questionnaire, questions, invitation))
}

async fn load(
    state: &AppState,
    token: String,
    invitation: String,
) -> Result<(Questionnaire, Arc<Vec<Question>>, Invitation), AppError> {
    let cache = state.questions.clone();
    state.db(move |conn| load_with(conn, &cache, &token, &invitation)).await
}

/// The questionnaire of a public link alone (the thanks and feedback pages need no questions).
async fn questionnaire_of(state: &AppState, token: String) -> Result<Questionnaire, AppError> {
    state.db(move |conn| questionnaires::find_by_token(conn, &token)?.ok_or(AppError::NotFound)).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct InvitationQuery {
    /// A single-use invitation's token, for questionnaires that take answers only through them.
    invitation: String,
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    query: web::Query<InvitationQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (questionnaire, questions, invitation) = load(&state, token.into_inner(), query.invitation.clone()).await?;
    let form_token = FormToken::now(&state, FormPurpose::Answers, questionnaire.id);
    let markup = survey_page(
        &ctx,
        &questionnaire,
        &questions,
        (invitation, &query.invitation),
        (&[], &form_token),
        Refusal::None,
    );
    let mut response = html_response(StatusCode::OK, markup);
    if !query.invitation.is_empty() {
        // A personal link: neither the page cache nor a shared proxy keeps it.
        response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    }
    Ok(response)
}

/// What became of a submission.
enum Outcome {
    Recorded,
    Closed,
    /// The invitation is missing, unknown or already used.
    Invitation(Invitation),
    Robot,
    Invalid(FieldErrors),
    Throttled,
    Token(TokenCheck),
}

pub async fn submit(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    query: web::Query<InvitationQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let invitation_token = query.into_inner().invitation;
    let form = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let (cache, limiter, address) =
        (state.questions.clone(), state.survey_limiter.clone(), client_address(&req, &state));
    let (token, given) = (token.into_inner(), invitation_token.clone());
    let answers = form.clone();
    let (key, form_token) = (state.link_key.clone(), form.value_of(CSRF_FIELD).to_owned());
    // Reading the questionnaire and checking the response in one trip to the database thread pool: this is the
    // path every respondent takes.
    let (questionnaire, questions, invitation, checked) = state
        .db(move |conn| {
            let (questionnaire, questions, invitation) = load_with(conn, &cache, &token, &given)?;
            let checked = if !is_open(&questionnaire, &questions) {
                Err(Outcome::Closed)
            } else if invitation_message(invitation).is_some() {
                Err(Outcome::Invitation(invitation))
            } else if !answers.value_of(HONEYPOT).is_empty() {
                Err(Outcome::Robot)
            } else if let check @ (TokenCheck::Expired | TokenCheck::Invalid) = FormToken::check(
                &key,
                FormPurpose::Answers,
                questionnaire.id,
                &form_token,
                FormToken::hour(chrono::Utc::now()),
            ) {
                Err(Outcome::Token(check))
            } else {
                match validate_response(&questions, answers.as_slice()) {
                    Err(errors) => Err(Outcome::Invalid(errors)),
                    // Counted once the response is valid: a person correcting their answers is not held back.
                    Ok(_) if !limiter.allow(&address, std::time::Instant::now()) => Err(Outcome::Throttled),
                    Ok(items) => Ok(items),
                }
            };
            Ok((questionnaire, questions, invitation, checked))
        })
        .await?;
    let outcome = match checked {
        Err(outcome) => outcome,
        Ok(items) => {
            // The invitation is spent in the transaction that records the response: both or neither.
            let invitation = questionnaire.invitation_only.then(|| invitation_token.clone());
            let pending = PendingResponse { questionnaire_id: questionnaire.id, invitation, items };
            match state.responses.record(pending).await.map_err(|e| AppError::internal(anyhow::anyhow!(e)))? {
                Written::Recorded => Outcome::Recorded,
                Written::InvitationUsed => Outcome::Invitation(Invitation::Used),
            }
        }
    };
    let thanks = format!("{}/merci", survey_path(&questionnaire));
    let fresh_token = FormToken::now(&state, FormPurpose::Answers, questionnaire.id);
    let page_with = |refusal: Refusal| {
        survey_page(&ctx, &questionnaire, &questions, (invitation, &invitation_token), (&form, &fresh_token), refusal)
    };
    match outcome {
        // A robot is thanked like anyone; nothing was kept.
        Outcome::Recorded | Outcome::Robot => Ok(see_other(&thanks)),
        Outcome::Closed => Err(AppError::Gone(closed_message(&questionnaire))),
        Outcome::Invitation(state) => Err(AppError::Gone(invitation_message(state).unwrap_or_default().to_owned())),
        Outcome::Invalid(errors) => Ok(unprocessable(page_with(Refusal::Invalid(&FormErrors::from(errors))))),
        Outcome::Token(check) => Ok(unprocessable(page_with(Refusal::Token(check)))),
        Outcome::Throttled => {
            let limit = state.survey_limiter.per_hour();
            Ok(html_response(StatusCode::TOO_MANY_REQUESTS, page_with(Refusal::Throttled(limit))))
        }
    }
}

/// The thanks page; `form_token` is `None` once the address was kept (no form any more).
fn thanks_page(
    ctx: &PageCtx,
    questionnaire: &Questionnaire,
    email: &str,
    errors: &FormErrors,
    form_token: Option<&str>,
) -> Markup {
    page(
        ctx,
        "Merci",
        html! {
            h1 { "Merci pour vos réponses" }
            p { "Elles sont enregistrées, sans votre nom. Le groupe d’enquête les lira avec celles des autres habitants pour préparer la suite." }
            @if let Some(form_token) = form_token {
                section aria-labelledby="suite" {
                    h2 id="suite" { "Savoir ce que deviendront vos réponses" }
                    p { "Si vous le souhaitez, laissez une adresse électronique : le groupe d’enquête vous écrira pour vous montrer ce qui a été fait de la parole des habitants. Elle est gardée à part de vos réponses, qui restent anonymes, et ne sert qu’à cela." }
                    (errors.summary())
                    form class="form narrow" method="post" action={ (survey_path(questionnaire)) "/suivi" } novalidate {
                        (token_field(form_token))
                        (Field::new("email", "Adresse électronique").kind("email").value(email).autocomplete("email").render(errors))
                        button class="button" type="submit" { "Être tenu·e au courant" }
                    }
                }
            } @else {
                p class="notice notice-success" role="status" { "C’est noté : vous serez tenu·e au courant à cette adresse, puis elle sera effacée." }
            }
            p { a href=(survey_path(questionnaire)) { "Répondre une nouvelle fois (pour une autre personne)" } }
        },
    )
}

pub async fn thanks(ctx: PageCtx, state: web::Data<AppState>, token: web::Path<String>) -> Result<Markup, AppError> {
    let questionnaire = questionnaire_of(&state, token.into_inner()).await?;
    let form_token = FormToken::now(&state, FormPurpose::Feedback, questionnaire.id);
    Ok(thanks_page(&ctx, &questionnaire, "", &FormErrors::default(), Some(&form_token)))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FeedbackForm {
    email: String,
    csrf_token: String,
}

/// A respondent leaves their address to be told what came of the survey.
pub async fn feedback(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<FeedbackForm>,
) -> Result<HttpResponse, AppError> {
    let questionnaire = questionnaire_of(&state, token.into_inner()).await?;
    let fresh_token = FormToken::now(&state, FormPurpose::Feedback, questionnaire.id);
    let mut errors = FormErrors::default();
    let check = FormToken::check_now(&state, FormPurpose::Feedback, questionnaire.id, &form.csrf_token);
    if check != TokenCheck::Valid {
        errors.add("email", token_message(check));
    }
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) if errors.is_empty() => email,
        Ok(_) => return Ok(unprocessable(thanks_page(&ctx, &questionnaire, &form.email, &errors, Some(&fresh_token)))),
        Err(message) => {
            errors.add("email", message);
            return Ok(unprocessable(thanks_page(&ctx, &questionnaire, &form.email, &errors, Some(&fresh_token))));
        }
    };
    let id = questionnaire.id;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::add_feedback_contact(conn, id, email.as_str())?)
            })
        })
        .await?;
    Ok(html_response(
        actix_web::http::StatusCode::OK,
        thanks_page(&ctx, &questionnaire, "", &FormErrors::default(), None),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_token_opens_its_questionnaire_for_a_day() {
        let key = b"cle de test";
        let hour = 493_000;
        let token = FormToken::issue(key, FormPurpose::Answers, 7, hour);
        let check = |given: &str, id, purpose, now| FormToken::check(key, purpose, id, given, now);
        assert_eq!(check(&token, 7, FormPurpose::Answers, hour), TokenCheck::Valid);
        assert_eq!(check(&token, 7, FormPurpose::Answers, hour + FORM_TOKEN_HOURS - 1), TokenCheck::Valid);
        assert_eq!(check(&token, 7, FormPurpose::Answers, hour + FORM_TOKEN_HOURS), TokenCheck::Expired);
        assert_eq!(check(&token, 7, FormPurpose::Answers, hour - 1), TokenCheck::Valid, "a clock an hour behind");
        assert_eq!(check(&token, 7, FormPurpose::Answers, hour - 2), TokenCheck::Invalid, "from the future");
        assert_eq!(check(&token, 8, FormPurpose::Answers, hour), TokenCheck::Invalid, "another questionnaire");
        assert_eq!(check(&token, 7, FormPurpose::Feedback, hour), TokenCheck::Invalid, "another purpose");
        assert_eq!(FormToken::check(b"autre cle", FormPurpose::Answers, 7, &token, hour), TokenCheck::Invalid);
        // The hour is signed: moving it forward to look younger breaks the signature.
        let (_, signature) = token.split_once('.').unwrap();
        assert_eq!(
            check(&format!("{}.{signature}", hour + 5), 7, FormPurpose::Answers, hour + 30),
            TokenCheck::Invalid
        );
        for forged in ["", "abc", "12.", ".12", "x.y", "493000"] {
            assert_eq!(check(forged, 7, FormPurpose::Answers, hour), TokenCheck::Invalid, "{forged:?}");
        }
    }
}
