//! The questionnaire builder of a participant territory's inquiry group: the provider (and the agency) create a
//! questionnaire, add its questions of every type with their conditions, order them, preview it, and share its
//! public link. Once a question has answers it cannot be removed: its answers would be orphaned.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::questionnaire::{
    choices_text, conditions_broken_by, limits, numbers, orphaning_change, parse_question, standard_profile_questions,
    takes_answers, ConditionOp, NewQuestionnaire, Question, QuestionInput, QuestionType,
};
use crate::domain::territory::TerritoryKind;
use crate::domain::text::de;
use crate::security::random_token;
use crate::storage;
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::projects::{self, Project};
use crate::storage::questionnaires::{self, Questionnaire, RemoveOutcome};
use crate::web::context::PageCtx;
use crate::web::projects::access::{questionnaire_and_access, Access, Need};
use crate::web::projects::paths::{builder_path, group_path, project_path};
use crate::web::projects::perimeter::communes_of_territory;
use crate::web::survey::{questions_fields, survey_path, survey_script};
use crate::web::views::{
    csrf_field, date_fr, optional_textarea, page, see_other, select, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QuestionnaireForm {
    title: String,
    introduction: String,
    opens_on: String,
    closes_on: String,
}

/// The questionnaires on a group's page, with the form to create one for those who lead the project.
pub fn section(
    ctx: &PageCtx,
    state: &AppState,
    project: &Project,
    collectivity_id: i64,
    list: &[(Questionnaire, i64)],
    access: &Access,
    (form, errors): (&QuestionnaireForm, &FormErrors),
) -> Markup {
    let today = storage::now().date();
    html! {
        section aria-labelledby="questionnaires" {
            h2 id="questionnaires" { "Questionnaires" }
            @if list.is_empty() { p { "Aucun questionnaire pour l’instant." } }
            @else {
                ul class="cards" {
                    @for (questionnaire, responses) in list {
                        li class="card" {
                            h3 {
                                @if access.leads() { a href=(builder_path(questionnaire.id)) { (questionnaire.title) } }
                                @else { (questionnaire.title) }
                            }
                            p class="meta" {
                                (responses) " réponse" @if *responses > 1 { "s" } " · "
                                @if questionnaire.draft { "brouillon" }
                                @else if questionnaire.is_open(today) { "ouvert aux réponses" } @else { "fermé aux réponses" }
                            }
                            p class="public-link" { "Lien à partager : " a href=(survey_path(questionnaire)) { (state.link(&survey_path(questionnaire))) } }
                            p {
                                a href={ (builder_path(questionnaire.id)) "/saisie" } { "Saisir un entretien ou un questionnaire papier" span class="visually-hidden" { " pour « " (questionnaire.title) " »" } }
                                " · "
                                a href={ (builder_path(questionnaire.id)) "/resultats" } { "Résultats" span class="visually-hidden" { " de « " (questionnaire.title) " »" } }
                            }
                        }
                    }
                }
            }
            @if access.leads() {
                h3 id="nouveau-questionnaire" { "Créer un questionnaire" }
                (errors.summary())
                form class="form" method="post" action={ (group_path(project.id, collectivity_id)) "/questionnaires" } novalidate {
                    (csrf_field(ctx))
                    (Field::new("title", "Titre du questionnaire").value(&form.title).render(errors))
                    (optional_textarea("introduction", "Introduction pour les répondants", &form.introduction, "Qui enquête, pourquoi, ce que deviendront les réponses. Markdown accepté.", errors))
                    (Field::new("opens_on", "Ouverture").kind("date").value(&form.opens_on).hint("Laissez vide pour ouvrir tout de suite. Format JJ/MM/AAAA.").optional().render(errors))
                    (Field::new("closes_on", "Clôture").kind("date").value(&form.closes_on).hint("Laissez vide pour ne pas fixer de date.").optional().render(errors))
                    button class="button" type="submit" { "Créer le questionnaire" }
                }
                (super::xlsform::import_form(ctx, project.id, collectivity_id))
            }
        }
    }
}

/// Creates a questionnaire for the group; `Err` carries the form's errors for the group page.
pub async fn create_for_group(
    state: &AppState,
    project_id: i64,
    collectivity_id: i64,
    user_id: i64,
    form: &QuestionnaireForm,
) -> Result<Result<i64, FormErrors>, AppError> {
    let parsed = match NewQuestionnaire::parse(&form.title, &form.introduction, &form.opens_on, &form.closes_on) {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(Err(FormErrors::from(errors))),
    };
    let token = random_token();
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::create_questionnaire(
                    conn,
                    project_id,
                    collectivity_id,
                    &parsed,
                    &token,
                    user_id,
                )?)
            })
        })
        .await?;
    Ok(Ok(id))
}

/// A questionnaire, its questions and the territory's name, for those who lead its project.
struct Builder {
    questionnaire: Questionnaire,
    project: Project,
    territory: String,
    questions: Vec<Question>,
    responses: i64,
    /// The project's other participant territories, as (collectivity, name): where a copy may go.
    other_territories: Vec<(i64, String)>,
    /// Respondents' addresses, to tell them what came of the survey.
    feedback: Vec<String>,
}

async fn load_builder(state: &AppState, ctx: &PageCtx, id: i64) -> Result<Builder, AppError> {
    let (questionnaire, project, _) = questionnaire_and_access(state, ctx, id, Need::Lead).await?;
    state
        .db(move |conn| {
            let territory =
                territory_of_collectivity(conn, questionnaire.collectivity_id)?.ok_or(AppError::NotFound)?.name;
            let questions = questionnaires::questions_of(conn, questionnaire.id)?;
            let responses = questionnaires::count_responses(conn, questionnaire.id)?;
            let other_territories = projects::participant_territories(conn, project.id)?
                .into_iter()
                .filter(|(c, _)| *c != questionnaire.collectivity_id)
                .collect();
            let feedback = questionnaires::feedback_contacts_of(conn, questionnaire.id)?;
            Ok(Builder { questionnaire, project, territory, questions, responses, other_territories, feedback })
        })
        .await
}

/// The builder's question form, as typed (checkboxes send nothing when unticked).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QuestionForm {
    kind: String,
    label: String,
    help: String,
    required: Option<String>,
    choices: String,
    allow_other: Option<String>,
    min: String,
    max: String,
    min_label: String,
    max_label: String,
    rows: String,
    condition_question: String,
    condition_op: String,
    condition_values: String,
    profile: Option<String>,
}

impl QuestionForm {
    fn input(&self) -> QuestionInput<'_> {
        QuestionInput {
            kind: &self.kind,
            label: &self.label,
            help: &self.help,
            required: self.required.is_some(),
            choices: &self.choices,
            allow_other: self.allow_other.is_some(),
            min: &self.min,
            max: &self.max,
            min_label: &self.min_label,
            max_label: &self.max_label,
            rows: &self.rows,
            condition_question: &self.condition_question,
            condition_op: &self.condition_op,
            condition_values: &self.condition_values,
            profile: self.profile.is_some(),
        }
    }

    /// The form filled with a stored question, to edit it.
    fn of(question: &Question) -> QuestionForm {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let ticked = |b: bool| b.then(|| "oui".to_owned());
        QuestionForm {
            kind: question.kind.code().to_owned(),
            label: question.label.clone(),
            help: question.help.clone(),
            required: ticked(question.required),
            choices: choices_text(&question.settings.choices),
            allow_other: ticked(question.settings.allow_other),
            min: number(question.settings.min),
            max: number(question.settings.max),
            min_label: question.settings.min_label.clone(),
            max_label: question.settings.max_label.clone(),
            rows: choices_text(&question.settings.rows),
            condition_question: number(question.condition.as_ref().map(|c| c.question_id)),
            condition_op: question.condition.as_ref().map(|c| c.op.code().to_owned()).unwrap_or_default(),
            condition_values: question.condition.as_ref().map(|c| c.values.join("\n")).unwrap_or_default(),
            profile: ticked(question.profile),
        }
    }
}

/// The fields of a question, to add one or to edit it; `earlier` are the questions its condition may read.
fn question_fields(ctx: &PageCtx, form: &QuestionForm, errors: &FormErrors, earlier: &[Question]) -> Markup {
    let kinds: Vec<(String, String)> =
        QuestionType::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())).collect();
    let mut readable: Vec<(String, String)> = vec![(String::new(), "Toujours posée".to_owned())];
    readable.extend(
        earlier
            .iter()
            .zip(numbers(earlier))
            .filter(|(q, _)| q.kind.may_be_condition() && !q.profile)
            .map(|(q, n)| (q.id.to_string(), format!("{}. {}", n.unwrap_or(0), q.label))),
    );
    let ops: Vec<(String, String)> =
        ConditionOp::ALL.iter().map(|o| (o.code().to_owned(), o.label().to_owned())).collect();
    html! {
        (csrf_field(ctx))
        (select("kind", "Type de question", &kinds, if form.kind.is_empty() { "single_choice" } else { &form.kind }, None, errors))
        (Field::new("label", "Intitulé").value(&form.label).hint("Pour une section, son titre.").render(errors))
        (Field::new("help", "Aide").value(&form.help).hint("Une précision pour le répondant, ou la présentation d’une section.").optional().render(errors))
        div class="choice" {
            input type="checkbox" id="required" name="required" value="oui" checked[form.required.is_some()];
            label for="required" { "Réponse obligatoire" }
        }
        div class="choice" {
            input type="checkbox" id="profile" name="profile" value="oui" checked[form.profile.is_some()] aria-describedby="profile-aide";
            label for="profile" { "Question de profil" }
            p class="hint" id="profile-aide" { "Posée à la fin, seulement si le répondant l’accepte, jamais obligatoire ; elle sert à suivre la couverture des publics. Choix unique, multiple ou oui / non." }
        }
        (optional_textarea("choices", "Propositions (questions à choix et classement)", &form.choices, "Une par ligne. Pour garder un code stable : « code = libellé ».", errors))
        div class="choice" {
            input type="checkbox" id="allow_other" name="allow_other" value="oui" checked[form.allow_other.is_some()];
            label for="allow_other" { "Ajouter « Autre, précisez »" }
        }
        (optional_textarea("rows", "Lignes du tableau", &form.rows, "Une par ligne ; chaque ligne se répond sur la même échelle.", errors))
        (Field::new("min", "Minimum").value(&form.min).hint("Nombre de cases à cocher au moins, valeur la plus petite, ou premier point de l’échelle (1 par défaut).").optional().render(errors))
        (Field::new("max", "Maximum").value(&form.max).hint("Nombre de cases au plus, valeur la plus grande, ou dernier point de l’échelle (5 par défaut).").optional().render(errors))
        (Field::new("min_label", "Libellé du premier point").value(&form.min_label).hint("Par exemple « Pas du tout d’accord ».").optional().render(errors))
        (Field::new("max_label", "Libellé du dernier point").value(&form.max_label).hint("Par exemple « Tout à fait d’accord ».").optional().render(errors))
        fieldset class="field" {
            legend { "Condition d’affichage" }
            (select("condition_question", "Poser cette question (ou cette section) seulement si la question", &readable, &form.condition_question, None, errors))
            (select("condition_op", "Condition", &ops, if form.condition_op.is_empty() { "equals" } else { &form.condition_op }, None, errors))
            (optional_textarea("condition_values", "Réponse(s)", &form.condition_values, "Les codes des propositions (« oui » ou « non » pour une question oui / non), un par ligne.", errors))
        }
    }
}

/// The builder; `added` is the question just added, said beside the form that adds the next one.
fn builder_page(
    ctx: &PageCtx,
    state: &AppState,
    builder: &Builder,
    (form, errors): (&QuestionForm, &FormErrors),
    added: Option<i64>,
) -> Markup {
    let q = &builder.questionnaire;
    let path = builder_path(q.id);
    let numbers = numbers(&builder.questions);
    let today = storage::now().date();
    let added = added.and_then(|id| {
        let index = builder.questions.iter().position(|q| q.id == id)?;
        Some((&builder.questions[index], numbers[index]))
    });
    page(
        ctx,
        &errors.title(&q.title),
        html! {
            p class="breadcrumb" {
                a href=(project_path(builder.project.id)) { (builder.project.title) } " › "
                a href=(group_path(builder.project.id, q.collectivity_id)) { "Groupe d’enquête " (de(&builder.territory)) } " › Questionnaire"
            }
            h1 { (q.title) }
            ul class="stats" {
                li { strong { (builder.questions.len()) } " question" @if builder.questions.len() > 1 { "s" } }
                li { strong { (builder.responses) } " réponse" @if builder.responses > 1 { "s" } }
                li {
                    @if q.draft { strong { "Brouillon" } " : pas encore de réponses" }
                    @else if q.is_open(today) { strong { "Ouvert" } " aux réponses" } @else { strong { "Fermé" } " aux réponses" }
                    @if let Some(open) = q.opens_on { " · du " (date_fr(open)) }
                    @if let Some(close) = q.closes_on { " · jusqu’au " (date_fr(close)) }
                }
            }
            p { a href="#ajouter" { "Ajouter une question" } }
            @if q.draft {
                div class="notice notice-warning" {
                    p { "Ce questionnaire est un brouillon : son lien public ne prend pas encore de réponses. Publiez-le quand ses questions sont prêtes." }
                    @if takes_answers(&builder.questions) {
                        form class="inline-form" method="post" action={ (path) "/publication" } {
                            (csrf_field(ctx))
                            button class="button" type="submit" { "Publier le questionnaire" }
                        }
                    } @else {
                        p { "Il se publie dès qu’il a au moins une question." }
                    }
                }
            }
            p class="public-link" { "Lien public à partager : " a href=(survey_path(q)) { (state.link(&survey_path(q))) } }
            @if q.invitation_only { p class="notice notice-warning" { "Réponses sur invitation seulement : le lien public seul ne suffit pas." } }
            p {
                a href={ (path) "/apercu" } { "Aperçu et version papier" } " · "
                a href={ (path) "/resultats" } { "Résultats" } " · "
                a href={ (path) "/couverture" } { "Couverture des publics" } " · "
                a href={ (path) "/invitations" } { "Invitations à usage unique" } " · "
                a href={ (path) "/xlsform.xlsx" } { "Exporter au format XLSForm" }
            }
            @if !builder.feedback.is_empty() {
                details class="card" {
                    summary { (builder.feedback.len()) " répondant" @if builder.feedback.len() > 1 { "s" } " à tenir au courant de la suite" }
                    p class="hint" { "Adresses laissées après avoir répondu, gardées à part des réponses : écrivez-leur pour la restitution." }
                    ul { @for email in &builder.feedback { li { (email) } } }
                }
            }
            section aria-labelledby="questions" {
                h2 id="questions" { "Questions" }
                @if builder.questions.is_empty() { p { "Aucune question pour l’instant : ajoutez la première ci-dessous." } }
                ol class="questions" {
                    @for (i, (question, number)) in builder.questions.iter().zip(&numbers).enumerate() {
                        @let name = match number {
                            Some(n) => format!("la question {n}"),
                            None if question.kind == QuestionType::Section => format!("la section « {} »", question.label),
                            None => format!("la question de profil « {} »", question.label),
                        };
                        li class=(if question.kind == QuestionType::Section { "card section-card" } else { "card" }) {
                            h3 {
                                @if let Some(n) = number { (n) ". " }
                                @if question.kind == QuestionType::Section { "Section : " }
                                (question.label)
                            }
                            p class="meta" {
                                @if question.kind.is_answerable() { (question.kind.label()) } @else { "Les questions qui suivent en font partie" }
                                @if question.profile { " · profil (facultative, avec accord)" }
                                @if question.required { " · obligatoire" }
                                @if question.kind.has_choices() { " · " (question.settings.choices.len()) " propositions" }
                                @if question.settings.allow_other { " · avec « Autre »" }
                                @if let Some(c) = &question.condition {
                                    " · posée si la question "
                                    (builder.questions.iter().position(|q| q.id == c.question_id).and_then(|p| numbers[p]).unwrap_or(0))
                                    " " (c.op.label()) " " (c.values.join(", "))
                                }
                            }
                            @if question.kind.has_choices() { p class="hint" { (choices_text(&question.settings.choices).replace('\n', " · ")) } }
                            @if question.kind == QuestionType::Matrix { p class="hint" { "Lignes : " (choices_text(&question.settings.rows).replace('\n', " · ")) } }
                            @if let Some(limit) = limits(question) { p class="hint" { (limit) } }
                            div class="actions" {
                                a href={ (path) "/questions/" (question.id) } { "Modifier" span class="visually-hidden" { " " (name) } }
                                " · "
                                @if i > 0 {
                                    form class="inline" method="post" action={ (path) "/questions/" (question.id) "/deplacement" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="direction" value="up";
                                        button class="link-button" type="submit" { "Monter" span class="visually-hidden" { " " (name) } }
                                    }
                                    " · "
                                }
                                @if i + 1 < builder.questions.len() {
                                    form class="inline" method="post" action={ (path) "/questions/" (question.id) "/deplacement" } {
                                        (csrf_field(ctx))
                                        input type="hidden" name="direction" value="down";
                                        button class="link-button" type="submit" { "Descendre" span class="visually-hidden" { " " (name) } }
                                    }
                                    " · "
                                }
                                form class="inline" method="post" action={ (path) "/questions/" (question.id) "/suppression" } {
                                    (csrf_field(ctx))
                                    button class="link-button" type="submit" { "Supprimer" span class="visually-hidden" { " " (name) } }
                                }
                            }
                        }
                    }
                }
                @if !builder.questions.iter().any(|q| q.profile) {
                    form class="inline-form" method="post" action={ (path) "/profil-type" } {
                        (csrf_field(ctx))
                        p class="hint" { "Le profil des répondants (âge, vie seul·e, sans internet, quartier prioritaire, handicap…) permet de voir quels publics l’enquête n’a pas encore atteints." }
                        button class="button secondary" type="submit" { "Ajouter les questions de profil proposées" }
                    }
                }
            }
            @if !builder.other_territories.is_empty() {
                section aria-labelledby="dupliquer" {
                    h2 id="dupliquer" { "Dupliquer vers un autre territoire" }
                    p { "Le même questionnaire, avec ses questions et ses conditions, pour le groupe d’enquête d’un autre territoire du projet. Les réponses restent ici." }
                    form class="form inline-form" method="post" action={ (path) "/copie" } {
                        (csrf_field(ctx))
                        @let territories: Vec<(String, String)> = builder.other_territories.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
                        (select("collectivity_id", "Territoire", &territories, "", None, &FormErrors::default()))
                        button class="button" type="submit" { "Dupliquer" }
                    }
                }
            }
            section aria-labelledby="ajouter" {
                h2 id="ajouter" { "Ajouter une question" }
                @if let Some((question, number)) = added {
                    p class="notice notice-success" role="status" {
                        "Question ajoutée. "
                        @if let Some(n) = number { "« " (question.label) " » est la question " (n) "." }
                        @else { "« " (question.label) " » est ajoutée." }
                    }
                }
                (errors.summary())
                form class="form" method="post" action={ (path) "/questions" } novalidate {
                    (question_fields(ctx, form, errors, &builder.questions))
                    button class="button" type="submit" { "Ajouter la question" }
                }
            }
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BuilderQuery {
    /// The question just added, to say so beside the form.
    ajoutee: Option<i64>,
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<BuilderQuery>,
) -> Result<Markup, AppError> {
    let builder = load_builder(&state, &ctx, id.into_inner()).await?;
    Ok(builder_page(&ctx, &state, &builder, (&QuestionForm::default(), &FormErrors::default()), query.ajoutee))
}

/// Publishes a draft that has a question to answer: from then on its public link takes answers.
pub async fn publish(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let builder = load_builder(&state, &ctx, id.into_inner()).await?;
    let questionnaire_id = builder.questionnaire.id;
    if !builder.questionnaire.draft {
        ctx.set_flash("Ce questionnaire est déjà publié.");
        return Ok(see_other(&builder_path(questionnaire_id)));
    }
    let published = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::publish_questionnaire(conn, questionnaire_id)?)
            })
        })
        .await?;
    ctx.set_flash(if published {
        "Questionnaire publié : son lien public prend maintenant les réponses."
    } else {
        "Ce questionnaire n’a pas encore de question : ajoutez-en au moins une pour le publier."
    });
    Ok(see_other(&builder_path(questionnaire_id)))
}

pub async fn preview(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let builder = load_builder(&state, &ctx, id.into_inner()).await?;
    let q = &builder.questionnaire;
    Ok(page(
        &ctx,
        &format!("Aperçu — {}", q.title),
        html! {
            p class="breadcrumb" { a href=(builder_path(q.id)) { (q.title) } " › Aperçu" }
            h1 { "Aperçu : " (q.title) }
            p class="notice notice-warning" { "Aperçu : les répondants voient ces questions à l’adresse publique ; rien n’est envoyé d’ici. Imprimée, cette page donne la version papier du questionnaire (en-tête et boutons disparaissent)." }
            div class="form survey" { (questions_fields(&builder.questions, &[], &FormErrors::default())) }
            (survey_script())
        },
    ))
}

pub async fn add_question(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<QuestionForm>,
) -> Result<HttpResponse, AppError> {
    let builder = load_builder(&state, &ctx, id.into_inner()).await?;
    let parsed = parse_question(&form.input(), &builder.questions);
    let question = match parsed {
        Ok(question) => question,
        Err(errors) => {
            return Ok(unprocessable(builder_page(&ctx, &state, &builder, (&form, &FormErrors::from(errors)), None)))
        }
    };
    let questionnaire_id = builder.questionnaire.id;
    let added = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::add_question(conn, questionnaire_id, &question)?)
            })
        })
        .await?;
    // Said beside the form that adds the next one, where the person is, rather than at the top of the page.
    Ok(see_other(&format!("{}?ajoutee={added}#ajouter", builder_path(questionnaire_id))))
}

fn edit_page(ctx: &PageCtx, builder: &Builder, question_id: i64, form: &QuestionForm, errors: &FormErrors) -> Markup {
    let q = &builder.questionnaire;
    let index = builder.questions.iter().position(|x| x.id == question_id).unwrap_or(0);
    page(
        ctx,
        &errors.title(&format!("Modifier une question — {}", q.title)),
        html! {
            p class="breadcrumb" { a href=(builder_path(q.id)) { (q.title) } " › Modifier une question" }
            h1 { "Modifier : " (builder.questions.get(index).map_or("", |x| x.label.as_str())) }
            @if builder.responses > 0 {
                p class="notice notice-warning" { "Ce questionnaire a déjà des réponses : on peut reformuler, préciser, ajouter des propositions ou changer leur libellé (gardez « code = … »), pas retirer ce à quoi des réponses se rapportent." }
            }
            (errors.summary())
            form class="form" method="post" action={ (builder_path(q.id)) "/questions/" (question_id) } novalidate {
                (question_fields(ctx, form, errors, &builder.questions[..index]))
                button class="button" type="submit" { "Enregistrer la question" }
            }
        },
    )
}

pub async fn edit_question_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let (id, question_id) = path.into_inner();
    let builder = load_builder(&state, &ctx, id).await?;
    let question = builder.questions.iter().find(|q| q.id == question_id).ok_or(AppError::NotFound)?;
    Ok(edit_page(&ctx, &builder, question_id, &QuestionForm::of(question), &FormErrors::default()))
}

/// Saves a question's new content, unless it would orphan answers or break another question's condition.
pub async fn edit_question(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<QuestionForm>,
) -> Result<HttpResponse, AppError> {
    let (id, question_id) = path.into_inner();
    let builder = load_builder(&state, &ctx, id).await?;
    let index = builder.questions.iter().position(|q| q.id == question_id).ok_or(AppError::NotFound)?;
    let refused = |errors: FormErrors| Ok(unprocessable(edit_page(&ctx, &builder, question_id, &form, &errors)));
    let mut question = match parse_question(&form.input(), &builder.questions[..index]) {
        Ok(question) => question,
        Err(errors) => return refused(FormErrors::from(errors)),
    };
    question.id = question_id;
    if let Some(message) = conditions_broken_by(&builder.questions, &question) {
        return refused(FormErrors::from(vec![("choices", message)]));
    }
    let (questionnaire_id, old) = (builder.questionnaire.id, builder.questions[index].clone());
    // Answers are checked in the transaction that writes: one recorded meanwhile is taken into account.
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                if questionnaires::is_answered(conn, question_id)? {
                    if let Some(message) = orphaning_change(&old, &question) {
                        return Ok::<_, AppError>(Err(message));
                    }
                }
                Ok(Ok(questionnaires::update_question(conn, questionnaire_id, &question)?))
            })
        })
        .await?;
    match outcome {
        Ok(true) => {
            ctx.set_flash("Question enregistrée.");
            Ok(see_other(&format!("{}#questions", builder_path(questionnaire_id))))
        }
        Ok(false) => Err(AppError::NotFound),
        Err(message) => refused(FormErrors::from(vec![("kind", message)])),
    }
}

/// Adds the proposed profile questions (age band, situations), for the coverage of publics.
pub async fn add_standard_profile(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let builder = load_builder(&state, &ctx, id.into_inner()).await?;
    let questionnaire_id = builder.questionnaire.id;
    let existing: Vec<String> = builder.questions.iter().map(|q| q.label.clone()).collect();
    let collectivity_id = builder.questionnaire.collectivity_id;
    state
        .db(move |conn| {
            // The communes known of an intercommunality or an EPT, for a "Votre commune" profile question (none for
            // a commune's questionnaire).
            let communes: Vec<(String, String)> = match territory_of_collectivity(conn, collectivity_id)? {
                Some(territory) if matches!(territory.kind(), TerritoryKind::Epci | TerritoryKind::Ept) => {
                    communes_of_territory(conn, &territory)?.into_iter().map(|c| (c.code, c.name)).collect()
                }
                _ => Vec::new(),
            };
            storage::write_transaction(conn, |conn| {
                for question in standard_profile_questions(&communes).iter().filter(|q| !existing.contains(&q.label)) {
                    questionnaires::add_question(conn, questionnaire_id, question)?;
                }
                Ok::<_, AppError>(())
            })
        })
        .await?;
    ctx.set_flash(
        "Questions de profil ajoutées : fixez maintenant les publics à atteindre dans « Couverture des publics ».",
    );
    Ok(see_other(&format!("{}#questions", builder_path(questionnaire_id))))
}

pub async fn remove_question(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, question_id) = path.into_inner();
    let builder = load_builder(&state, &ctx, id).await?;
    let questionnaire_id = builder.questionnaire.id;
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::remove_question(conn, questionnaire_id, question_id)?)
            })
        })
        .await?;
    match outcome {
        RemoveOutcome::Removed => ctx.set_flash("Question supprimée."),
        RemoveOutcome::HasAnswers(n) => ctx.set_flash(&format!(
            "Cette question a déjà {n} réponse{} : la supprimer les rendrait orphelines. Vous pouvez la déplacer.",
            if n > 1 { "s" } else { "" }
        )),
        RemoveOutcome::NotFound => return Err(AppError::NotFound),
    }
    Ok(see_other(&format!("{}#questions", builder_path(questionnaire_id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    direction: String,
}

pub async fn move_question(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (id, question_id) = path.into_inner();
    let up = match form.direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::BadRequest("Choisissez de monter ou de descendre la question.".into())),
    };
    let builder = load_builder(&state, &ctx, id).await?;
    if !builder.questions.iter().any(|q| q.id == question_id) {
        return Err(AppError::NotFound);
    }
    let questionnaire_id = builder.questionnaire.id;
    let moved = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::move_question(conn, questionnaire_id, question_id, up)?)
            })
        })
        .await?;
    if !moved {
        ctx.set_flash("Cette question ne peut pas passer avant la question dont dépend sa condition.");
    }
    Ok(see_other(&format!("{}#questions", builder_path(questionnaire_id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CopyForm {
    collectivity_id: String,
}

pub async fn copy(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<CopyForm>,
) -> Result<HttpResponse, AppError> {
    let builder = load_builder(&state, &ctx, id.into_inner()).await?;
    let user_id = ctx.require_user()?.id;
    let (collectivity_id, name) = form
        .collectivity_id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|c| builder.other_territories.iter().find(|(id, _)| *id == c).cloned())
        .ok_or_else(|| AppError::BadRequest("Choisissez un autre territoire participant du projet.".into()))?;
    let (source, token) = (builder.questionnaire, random_token());
    let copy = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(questionnaires::copy_questionnaire(conn, &source, collectivity_id, &token, user_id)?)
            })
        })
        .await?;
    ctx.set_flash(&format!("Questionnaire dupliqué pour {name} : voici la copie, qui a son propre lien public."));
    Ok(see_other(&builder_path(copy)))
}
