//! The mixed inquiry group of each participant territory: its members with their category, the mixedness
//! indicator, and invitations for the members who need an account.
//!
//! Who sees a group: the agency, the provider, the people of that participant collectivity and the group's own
//! members with an account. Who forms it: the agency, the provider and the collectivity's referent.

use super::paths::group_path;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::{may_see_group, project_and_access, Access};
use super::paths::{builder_path, diagnostic_path, project_path};
use super::perimeter::{perimeter_section, Perimeter};
use super::questionnaires::builder::{create_for_group, section as questionnaires_section, QuestionnaireForm};
use crate::domain::inquiry::{MemberCategory, Mixedness, NewMember};
use crate::domain::text::de;
use crate::storage;
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::inquiry::{self, AddOutcome, InquiryMember};
use crate::storage::projects::{self, Enrolment, Project};
use crate::storage::questionnaires::{self, Questionnaire};
use crate::storage::territories::Territory;
use crate::web::context::PageCtx;
use crate::web::invitations::{send_invitation, InvitationTarget};
use crate::web::views::{csrf_field, page, scroll_table, see_other, select, unprocessable, Field, FormErrors};
use crate::web::{AppError, AppState};

fn may_form(access: &Access, collectivity_id: i64) -> bool {
    access.leads() || access.referent_of.iter().any(|(m, _)| m.collectivity_id == collectivity_id)
}

/// The mixedness indicator: categories present with their counts, and what is missing, in words.
pub fn indicator(mixedness: &Mixedness) -> Markup {
    html! {
        @if mixedness.present.is_empty() {
            p { "Personne pour l’instant." }
        } @else {
            p {
                @for (i, (category, n)) in mixedness.present.iter().enumerate() {
                    @if i > 0 { ", " }
                    strong { (n) } " " @if *n > 1 { (category.plural()) } @else { (category.label().to_lowercase()) }
                }
                "."
            }
        }
        @if mixedness.is_mixed() {
            p class="notice notice-success" { "Groupe mixte : des habitants et au moins trois catégories de personnes." }
        } @else {
            div class="notice notice-warning" {
                p class="notice-title" { "À compléter" }
                ul { @for warning in &mixedness.warnings { li { (warning) } } }
            }
        }
    }
}

/// The groups' section of the project page: one line per participant territory, for those who see them.
pub fn section(project: &Project, groups: &[(i64, String, Mixedness)], access: &Access) -> Markup {
    let visible: Vec<&(i64, String, Mixedness)> = groups.iter().filter(|(c, _, _)| may_see_group(access, *c)).collect();
    html! {
        @if !visible.is_empty() {
            section aria-labelledby="groupes" {
                h2 id="groupes" { "Groupes d’enquête mixtes" }
                p { "Sur chaque territoire participant, élus, agents, habitants, scolaires et associations enquêtent ensemble auprès des habitants, en allant d’abord vers les plus éloignés de la participation." }
                ul class="cards" {
                    @for (collectivity_id, name, mixedness) in visible {
                        li class="card" {
                            h3 { a href=(group_path(project.id, *collectivity_id)) { (name) } }
                            (indicator(mixedness))
                        }
                    }
                }
            }
        }
    }
}

/// The groups of a project's active participants (from its enrolments), with their mixedness, by territory name.
pub fn groups_of_project(
    conn: &mut storage::DbConnection,
    project_id: i64,
    enrolments: &[(Enrolment, Territory)],
) -> Result<Vec<(i64, String, Mixedness)>, AppError> {
    let categories = inquiry::categories_of_project(conn, project_id)?;
    let mut groups: Vec<(i64, String, Mixedness)> = enrolments
        .iter()
        .filter(|(e, _)| e.is_active_participant())
        .map(|(e, territory)| {
            let of_group: Vec<MemberCategory> =
                categories.iter().filter(|(c, _)| *c == e.collectivity_id).map(|(_, category)| *category).collect();
            (e.collectivity_id, territory.name.clone(), Mixedness::of(&of_group))
        })
        .collect();
    groups.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(groups)
}

struct Group {
    project: Project,
    territory: String,
    perimeter: Option<Perimeter>,
    members: Vec<InquiryMember>,
    questionnaires: Vec<(Questionnaire, i64)>,
}

/// A form of the group page sent back with its errors.
enum Refused<'a> {
    None,
    Member(&'a MemberForm, &'a FormErrors),
    Questionnaire(&'a QuestionnaireForm, &'a FormErrors),
}

/// The group of an active participant, or not found.
async fn load_group(state: &AppState, project: Project, collectivity_id: i64) -> Result<Group, AppError> {
    state
        .db(move |conn| {
            let enrolment = projects::find_enrolment(conn, project.id, collectivity_id)?;
            if !enrolment.is_some_and(|e| e.is_active_participant()) {
                return Err(AppError::NotFound);
            }
            let territory = territory_of_collectivity(conn, collectivity_id)?.ok_or(AppError::NotFound)?;
            let perimeter = Perimeter::load(conn, &territory)?;
            let members = inquiry::members_of_group(conn, project.id, collectivity_id)?;
            let questionnaires = questionnaires::questionnaires_of_group(conn, project.id, collectivity_id)?;
            Ok(Group { project, territory: territory.name, perimeter, members, questionnaires })
        })
        .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    display_name: String,
    category: String,
    note: String,
    email: String,
}

fn group_page(
    ctx: &PageCtx,
    state: &AppState,
    group: &Group,
    collectivity_id: i64,
    access: &Access,
    refused: Refused,
) -> Markup {
    let (empty_member, empty_questionnaire, none) =
        (MemberForm::default(), QuestionnaireForm::default(), FormErrors::default());
    let (form, errors) = match refused {
        Refused::Member(form, errors) => (form, errors),
        _ => (&empty_member, &none),
    };
    let (questionnaire_form, questionnaire_errors) = match refused {
        Refused::Questionnaire(form, errors) => (form, errors),
        _ => (&empty_questionnaire, &none),
    };
    let project = &group.project;
    let path = group_path(project.id, collectivity_id);
    let mixedness = Mixedness::of(&group.members.iter().map(InquiryMember::category).collect::<Vec<_>>());
    let title = format!("Groupe d’enquête {}", de(&group.territory));
    page(
        ctx,
        &title,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › Groupes d’enquête" }
            h1 { (title) }
            p { a href=(diagnostic_path(project.id, collectivity_id)) { "Le diagnostic " (de(&group.territory)) } " : acteurs, espaces et objets de l’engagement à cartographier avec le groupe." }
            @if let Some(perimeter) = &group.perimeter { (perimeter_section(perimeter)) }
            section aria-labelledby="mixite" {
                h2 id="mixite" { "Mixité du groupe" }
                (indicator(&mixedness))
            }
            section aria-labelledby="membres" {
                h2 id="membres" { "Membres (" (group.members.len()) ")" }
                @if group.members.is_empty() {
                    p { "Le groupe n’a pas encore de membres." }
                } @else {
                    (scroll_table(&format!("Membres du groupe d’enquête de {}", group.territory), html! {
                        table {
                            caption class="visually-hidden" { "Membres du groupe d’enquête " (de(&group.territory)) }
                            thead {
                                tr {
                                    th scope="col" { "Nom" }
                                    th scope="col" { "Catégorie" }
                                    th scope="col" { "Présentation" }
                                    th scope="col" { "Compte" }
                                    @if may_form(access, collectivity_id) { th scope="col" { span class="visually-hidden" { "Action" } } }
                                }
                            }
                            tbody {
                                @for member in &group.members {
                                    tr {
                                        th scope="row" { (member.display_name) }
                                        td { (member.category().label()) }
                                        td { (member.note) }
                                        td {
                                            @if member.user_id.is_some() { "Oui" }
                                            @else if member.email.is_some() { "Invitation envoyée" }
                                            @else { "Sans compte" }
                                        }
                                        @if may_form(access, collectivity_id) {
                                            td {
                                                form class="inline" method="post" action={ (path) "/membres/" (member.id) "/retrait" } {
                                                    (csrf_field(ctx))
                                                    button class="link-button" type="submit" { "Retirer" span class="visually-hidden" { " " (member.display_name) } }
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
            (questionnaires_section(ctx, state, project, collectivity_id, &group.questionnaires, access, (questionnaire_form, questionnaire_errors)))
            @if may_form(access, collectivity_id) {
                section aria-labelledby="ajouter" {
                    h2 id="ajouter" { "Ajouter une personne" }
                    p { "Pour un habitant, un prénom ou un pseudonyme suffit. L’adresse électronique ne sert qu’à l’inviter à créer un compte, s’il doit saisir des entretiens." }
                    (errors.summary())
                    form class="form" method="post" action={ (path) "/membres" } novalidate {
                        (csrf_field(ctx))
                        (Field::new("display_name", "Nom ou prénom").value(&form.display_name).render(errors))
                        (category_select(&form.category, errors))
                        (Field::new("note", "Présentation").value(&form.note).hint("Quelques mots : « conseil citoyen du quartier Ozon », « classe de 1re du lycée Berthelot »…").optional().render(errors))
                        (Field::new("email", "Adresse électronique, pour l’inviter à créer un compte").kind("email").value(&form.email).autocomplete("off").optional().render(errors))
                        button class="button" type="submit" { "Ajouter au groupe" }
                    }
                }
            }
        },
    )
}

fn category_select(selected: &str, errors: &FormErrors) -> Markup {
    let mut options = vec![(String::new(), "Choisir…".to_owned())];
    options.extend(MemberCategory::ALL.iter().map(|c| (c.code().to_owned(), c.label().to_owned())));
    select("category", "Catégorie", &options, selected, None, errors)
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    ctx.require_user()?;
    let (project_id, collectivity_id) = path.into_inner();
    let (project, access) = project_and_access(&state, &ctx, project_id).await?;
    if !may_see_group(&access, collectivity_id) {
        return Err(AppError::Forbidden);
    }
    let group = load_group(&state, project, collectivity_id).await?;
    Ok(group_page(&ctx, &state, &group, collectivity_id, &access, Refused::None))
}

pub async fn add(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let (project_id, collectivity_id) = path.into_inner();
    let (project, access) = project_and_access(&state, &ctx, project_id).await?;
    if !may_form(&access, collectivity_id) {
        return Err(AppError::Forbidden);
    }
    let group = load_group(&state, project, collectivity_id).await?;
    let member = match NewMember::parse(&form.display_name, &form.category, &form.note, &form.email) {
        Ok(member) => member,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return Ok(unprocessable(group_page(
                &ctx,
                &state,
                &group,
                collectivity_id,
                &access,
                Refused::Member(&form, &errors),
            )));
        }
    };
    let territory = group.territory.clone();
    let (to_add, by) = (member.clone(), user.id);
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(inquiry::add_member(conn, project_id, collectivity_id, &to_add, by, &territory)?)
            })
        })
        .await?;
    let member_id = match outcome {
        AddOutcome::Added(id) => id,
        AddOutcome::EmailTaken => {
            let mut errors = FormErrors::default();
            errors.add("email", "Une personne du groupe a déjà cette adresse électronique.");
            return Ok(unprocessable(group_page(
                &ctx,
                &state,
                &group,
                collectivity_id,
                &access,
                Refused::Member(&form, &errors),
            )));
        }
    };
    match &member.email {
        Some(email) => {
            let target = InvitationTarget::InquiryMember { id: member_id, name: group.territory.clone() };
            send_invitation(&state, &user, email, target).await?;
            ctx.set_flash(&format!(
                "{} rejoint le groupe ; une invitation à créer son compte est envoyée à {}.",
                member.display_name,
                email.as_str()
            ));
        }
        None => ctx.set_flash(&format!("{} rejoint le groupe.", member.display_name)),
    }
    Ok(see_other(&group_path(project_id, collectivity_id)))
}

pub async fn remove(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    ctx.require_user()?;
    let (project_id, collectivity_id, member_id) = path.into_inner();
    let (_, access) = project_and_access(&state, &ctx, project_id).await?;
    if !may_form(&access, collectivity_id) {
        return Err(AppError::Forbidden);
    }
    let removed = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(inquiry::remove_member(conn, project_id, collectivity_id, member_id)?)
            })
        })
        .await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    ctx.set_flash("La personne a été retirée du groupe, avec ses données.");
    Ok(see_other(&group_path(project_id, collectivity_id)))
}

pub async fn create_questionnaire(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<QuestionnaireForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = ctx.require_user()?.id;
    let (project_id, collectivity_id) = path.into_inner();
    let (project, access) = project_and_access(&state, &ctx, project_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    let group = load_group(&state, project, collectivity_id).await?;
    match create_for_group(&state, project_id, collectivity_id, user_id, &form).await? {
        Ok(id) => {
            ctx.set_flash("Questionnaire créé : ajoutez-lui ses questions.");
            Ok(see_other(&builder_path(id)))
        }
        Err(errors) => {
            let refused = Refused::Questionnaire(&form, &errors);
            Ok(unprocessable(group_page(&ctx, &state, &group, collectivity_id, &access, refused)))
        }
    }
}
