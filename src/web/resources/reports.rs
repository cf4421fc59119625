//! Experience reports, the resource base's first part: what a territory did and what came of it. Published ones are
//! public; the agency and the providers' people publish at once, a collectivity's people propose and the agency
//! publishes or refuses (the reason shown to the collectivity). Each says when it was last checked; its owner (or
//! the agency) confirms or corrects it, and a report not checked for two years is shown as possibly out of date.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{
    apply_check, apply_decision, author_of, confirm_form, freshness_note, may_edit, may_read_unpublished,
    moderation_section, resources_nav, Author, ModerationForm,
};
use crate::domain::inspiration::links_text;
use crate::domain::markdown::Markdown;
use crate::domain::resources::{EntryStatus, ReportInput, ReportText};
use crate::domain::territory::TerritoryKind;
use crate::storage::reports::{self, Origin, Report};
use crate::storage::territories::{find_territory, Territory};
use crate::storage::{self, inspiration, DbConnection};
use crate::web::context::PageCtx;
use crate::web::views::{
    csrf_field, date_fr, number_fr, optional_textarea, page, page_with_errors, see_other, select, textarea,
    unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

const INDEX: &str = "/retours-d-experience";

pub fn report_path(id: i64) -> String {
    format!("{INDEX}/{id}")
}

fn territory_line(territory: &Territory) -> Markup {
    html! {
        (territory.name) " (" (territory.kind().label())
        @if let Some(population) = territory.population { ", " (number_fr(population)) " habitants" }
        ")"
    }
}

#[derive(Deserialize)]
pub struct IndexQuery {
    theme: Option<String>,
}

struct IndexData {
    published: Vec<(Report, Territory)>,
    proposals: Vec<(Report, Territory)>,
    mine: Vec<Report>,
    themes: Vec<(i64, String)>,
}

pub async fn index(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<IndexQuery>,
) -> Result<Markup, AppError> {
    let theme = query.theme.as_deref().and_then(|t| t.trim().parse::<i64>().ok());
    let is_admin = ctx.is_admin();
    let collectivities: Vec<i64> = ctx.memberships.iter().map(|(m, _)| m.collectivity_id).collect();
    let author = author_of(&ctx, &state).await?;
    let data = state
        .db(move |conn| {
            Ok(IndexData {
                published: reports::reports_with_status(conn, EntryStatus::Published, theme)?,
                proposals: if is_admin {
                    reports::reports_with_status(conn, EntryStatus::Proposed, None)?
                } else {
                    Vec::new()
                },
                mine: reports::reports_of_collectivities(conn, &collectivities)?
                    .into_iter()
                    .filter(|r| r.status() != EntryStatus::Published)
                    .collect(),
                themes: inspiration::attachable_themes(conn)?,
            })
        })
        .await?;
    Ok(page(
        &ctx,
        "Retours d’expérience",
        html! {
            h1 { "Retours d’expérience" }
            p class="lead" {
                "Ce que des territoires ont fait, comment, en combien de temps et pour quel coût, ce qui en est sorti "
                "et ce qui a résisté, et qui contacter pour en parler."
            }
            (resources_nav())
            @if let Some(author) = &author {
                p { a class="button" href={ (INDEX) "/nouveau" } { @if author.publishes { "Publier un retour d’expérience" } @else { "Proposer un retour d’expérience" } } }
            }
            @if !data.proposals.is_empty() {
                section aria-labelledby="a-relire" {
                    h2 id="a-relire" { "À relire (" (data.proposals.len()) ")" }
                    ul { @for (r, t) in &data.proposals { li { a href=(report_path(r.id)) { (r.title) } " — " (t.name) ", proposé le " (date_fr(r.created_at)) } } }
                }
            }
            @if !data.mine.is_empty() {
                section aria-labelledby="propositions" {
                    h2 id="propositions" { "Les propositions de votre collectivité" }
                    ul {
                        @for r in &data.mine {
                            li {
                                a href=(report_path(r.id)) { (r.title) } " — " (r.status().label())
                                @if let Some(reason) = &r.refusal { " : " (reason) }
                            }
                        }
                    }
                }
            }
            form class="search" method="get" action=(INDEX) role="search" aria-label="Filtrer les retours d’expérience" {
                div class="field" {
                    label for="theme" { "Thème" }
                    select id="theme" name="theme" {
                        option value="" { "Tous les thèmes" }
                        @for (id, title) in &data.themes { option value=(id) selected[Some(*id) == theme] { (title) } }
                    }
                }
                button class="button" type="submit" { "Filtrer" }
            }
            @if data.published.is_empty() { p { "Aucun retour d’expérience publié pour l’instant." } }
            @else {
                ul class="cards" {
                    @for (r, t) in &data.published {
                        li class="card" {
                            h2 { a href=(report_path(r.id)) { (r.title) } }
                            p class="meta" { (territory_line(t)) " · " (r.method) @if !r.duration.is_empty() { " · " (r.duration) } }
                            p { (freshness_note(r)) }
                        }
                    }
                }
            }
        },
    ))
}

struct ReportView {
    report: Report,
    territory: Territory,
    theme: Option<(i64, String)>,
    project: Option<(i64, String)>,
}

async fn load_report(state: &AppState, id: i64) -> Result<ReportView, AppError> {
    state
        .db(move |conn| {
            let (report, territory) = reports::find_report(conn, id)?.ok_or(AppError::NotFound)?;
            let theme = match report.theme_id {
                Some(id) => storage::themes::find_theme(conn, id)?.map(|t| (t.id, t.title)),
                None => None,
            };
            let project = match report.project_id {
                Some(id) => storage::projects::find_project(conn, id)?.map(|p| (p.id, p.title)),
                None => None,
            };
            Ok(ReportView { report, territory, theme, project })
        })
        .await
}

fn report_page(ctx: &PageCtx, view: &ReportView, refusal: Option<(&str, &FormErrors)>) -> Markup {
    let r = &view.report;
    let path = report_path(r.id);
    let no_errors = FormErrors::default();
    let (reason, errors) = refusal.unwrap_or(("", &no_errors));
    let links = r.links();
    page_with_errors(
        ctx,
        &r.title,
        errors,
        html! {
            p class="breadcrumb" { a href=(INDEX) { "Retours d’expérience" } " › " (r.title) }
            h1 { (r.title) }
            @if r.status() != EntryStatus::Published {
                p class="notice" { (r.status().label()) @if let Some(reason) = &r.refusal { " : " (reason) } }
            }
            dl class="facts" {
                dt { "Territoire" } dd { (territory_line(&view.territory)) }
                dt { "Méthode" } dd { (r.method) }
                @if !r.duration.is_empty() { dt { "Durée" } dd { (r.duration) } }
                @if !r.cost.is_empty() { dt { "Coût" } dd { (r.cost) } }
                @if let Some((id, title)) = &view.theme { dt { "Thème" } dd { a href={ "/themes/" (id) } { (title) } } }
                @if let Some((id, title)) = &view.project { dt { "Projet d’origine" } dd { a href={ "/projets/" (id) } { (title) } } }
                @if !r.contact.is_empty() { dt { "Contact" } dd { (r.contact) } }
            }
            p { (freshness_note(r)) }
            @if may_edit(ctx, r) {
                ul class="actions" {
                    li { a href={ (path) "/modifier" } { "Corriger" } }
                    @if r.status() == EntryStatus::Published { li { (confirm_form(ctx, &path)) } }
                }
            }
            h2 { "Ce qui a été fait" }
            div class="markdown" { (Markdown(&r.done)) }
            @if !r.results.is_empty() { h2 { "Résultats" } div class="markdown" { (Markdown(&r.results)) } }
            @if !r.difficulties.is_empty() { h2 { "Difficultés rencontrées" } div class="markdown" { (Markdown(&r.difficulties)) } }
            @if !links.is_empty() {
                h2 { "Pour aller plus loin" }
                ul { @for link in &links { li { a href=(link.url) { (link.label) } } } }
            }
            @if ctx.is_admin() && r.status() == EntryStatus::Proposed {
                (moderation_section(ctx, &path, (reason, errors)))
            }
        },
    )
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let view = load_report(&state, id.into_inner()).await?;
    // A proposal, or a refused one, is not shown to whoever may not read it: as if it did not exist.
    if view.report.status() != EntryStatus::Published && !may_read_unpublished(&ctx, &view.report) {
        return Err(AppError::NotFound);
    }
    Ok(report_page(&ctx, &view, None))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ReportForm {
    title: String,
    territory_code: String,
    theme_id: String,
    project_id: String,
    collectivity_id: String,
    method: String,
    duration: String,
    cost: String,
    done: String,
    results: String,
    difficulties: String,
    contact: String,
    links: String,
}

impl ReportForm {
    fn of(view: &ReportView) -> ReportForm {
        let r = &view.report;
        ReportForm {
            title: r.title.clone(),
            territory_code: view.territory.code.clone(),
            theme_id: r.theme_id.map(|t| t.to_string()).unwrap_or_default(),
            project_id: r.project_id.map(|p| p.to_string()).unwrap_or_default(),
            collectivity_id: r.collectivity_id.map(|c| c.to_string()).unwrap_or_default(),
            method: r.method.clone(),
            duration: r.duration.clone(),
            cost: r.cost.clone(),
            done: r.done.clone(),
            results: r.results.clone(),
            difficulties: r.difficulties.clone(),
            contact: r.contact.clone(),
            links: links_text(&r.links()),
        }
    }
}

/// The themes and projects a report may name, for the form's lists.
struct Choices {
    themes: Vec<(String, String)>,
    projects: Vec<(String, String)>,
}

async fn choices(state: &AppState) -> Result<Choices, AppError> {
    state
        .db(|conn| {
            let mut themes = vec![(String::new(), "Aucun".to_owned())];
            themes.extend(inspiration::attachable_themes(conn)?.into_iter().map(|(id, t)| (id.to_string(), t)));
            let mut projects = vec![(String::new(), "Aucun".to_owned())];
            projects.extend(storage::projects::list_projects(conn)?.into_iter().map(|p| (p.id.to_string(), p.title)));
            Ok(Choices { themes, projects })
        })
        .await
}

fn form_page(
    ctx: &PageCtx,
    editing: Option<&ReportView>,
    author: Option<&Author>,
    choices: &Choices,
    form: &ReportForm,
    errors: &FormErrors,
) -> Markup {
    let proposes = author.is_some_and(|a| !a.publishes);
    let title = match (editing, proposes) {
        (Some(_), _) => "Corriger un retour d’expérience",
        (None, true) => "Proposer un retour d’expérience",
        (None, false) => "Publier un retour d’expérience",
    };
    let action = editing.map_or(INDEX.to_owned(), |v| report_path(v.report.id));
    let collectivities: Vec<(String, String)> = author
        .map(|a| a.collectivities.iter().map(|(id, name)| (id.to_string(), name.clone())).collect())
        .unwrap_or_default();
    page_with_errors(
        ctx,
        title,
        errors,
        html! {
            p class="breadcrumb" { a href=(INDEX) { "Retours d’expérience" } " › " (title) }
            h1 { (title) }
            @if proposes { p { "L’agence relit votre proposition avant de la publier ; vous la retrouvez sur la page des retours d’expérience." } }
            (errors.summary())
            form class="form" method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (Field::new("title", "Titre").value(&form.title).render(errors))
                (Field::new("territory_code", "Territoire").value(&form.territory_code).hint("Son code officiel : code INSEE d’une commune (86066), SIREN d’une intercommunalité (248600413) ou numéro du département.").render(errors))
                @if proposes && editing.is_none() && collectivities.len() > 1 {
                    (select("collectivity_id", "Proposé pour", &collectivities, &form.collectivity_id, None, errors))
                }
                (select("theme_id", "Thème", &choices.themes, &form.theme_id, None, errors))
                (select("project_id", "Projet partagé d’où il vient", &choices.projects, &form.project_id, None, errors))
                (Field::new("method", "Méthode").value(&form.method).hint("Par exemple : enquête porte-à-porte, budget participatif, conférence citoyenne.").render(errors))
                (Field::new("duration", "Durée").value(&form.duration).optional().render(errors))
                (Field::new("cost", "Coût").value(&form.cost).hint("Un montant, et ce qu’il couvre.").optional().render(errors))
                (textarea("done", "Ce qui a été fait (Markdown accepté)", &form.done, "Les étapes, qui s’y est engagé, avec quels moyens.", errors))
                (optional_textarea("results", "Résultats", &form.results, "Ce qui a changé, chiffres à l’appui si possible.", errors))
                (optional_textarea("difficulties", "Difficultés rencontrées", &form.difficulties, "Ce qui a résisté, et comment vous l’avez contourné.", errors))
                (Field::new("contact", "Contact").value(&form.contact).hint("Qui joindre pour en parler : un service, une fonction, une adresse.").optional().render(errors))
                (optional_textarea("links", "Liens", &form.links, "Un lien par ligne : l’adresse, puis un espace et le libellé.", errors))
                button class="button" type="submit" {
                    @match (editing, proposes) { (Some(_), _) => { "Enregistrer" } (None, true) => { "Proposer" } (None, false) => { "Publier" } }
                }
            }
        },
    )
}

pub async fn new_form(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    ctx.require_user()?;
    let author = author_of(&ctx, &state).await?.ok_or(AppError::Forbidden)?;
    let choices = choices(&state).await?;
    Ok(form_page(&ctx, None, Some(&author), &choices, &ReportForm::default(), &FormErrors::default()))
}

/// The parts of the form storage needs beside the text: the territory found by its code, the theme and project
/// chosen among those offered.
struct Resolved {
    text: ReportText,
    territory_id: i64,
    theme_id: Option<i64>,
    project_id: Option<i64>,
}

async fn resolve(state: &AppState, form: &ReportForm, choices: &Choices) -> Result<Resolved, FormErrors> {
    let parsed = ReportText::parse(&ReportInput {
        title: &form.title,
        territory_code: &form.territory_code,
        method: &form.method,
        duration: &form.duration,
        cost: &form.cost,
        done: &form.done,
        results: &form.results,
        difficulties: &form.difficulties,
        contact: &form.contact,
        links: &form.links,
    });
    let mut errors = match &parsed {
        Ok(_) => FormErrors::default(),
        Err(e) => FormErrors::from(e.clone()),
    };
    let chosen = |value: &str, among: &[(String, String)]| -> Result<Option<i64>, ()> {
        match value.trim() {
            "" => Ok(None),
            v if among.iter().any(|(id, _)| id == v) => Ok(v.parse().ok()),
            _ => Err(()),
        }
    };
    let theme_id = chosen(&form.theme_id, &choices.themes)
        .map_err(|()| errors.add("theme_id", "Choisissez le thème dans la liste."))
        .unwrap_or(None);
    let project_id = chosen(&form.project_id, &choices.projects)
        .map_err(|()| errors.add("project_id", "Choisissez le projet dans la liste."))
        .unwrap_or(None);
    let Ok(text) = parsed else { return Err(errors) };
    let code = text.territory_code.clone();
    let territory = state.db(move |conn| Ok(territory_by_code(conn, &code)?)).await.map_err(|_| {
        FormErrors::from(vec![("territory_code", "La recherche du territoire a échoué : réessayez.".to_owned())])
    })?;
    match territory {
        Some(territory) if errors.is_empty() => Ok(Resolved { text, territory_id: territory.id, theme_id, project_id }),
        Some(_) => Err(errors),
        None => {
            errors.add(
                "territory_code",
                format!(
                    "Aucun territoire n’a le code « {} » : vérifiez-le (code INSEE, SIREN ou numéro de département).",
                    text.territory_code
                ),
            );
            Err(errors)
        }
    }
}

/// The territory of an official code: a commune, an intercommunality (EPCI or EPT), a département.
fn territory_by_code(conn: &mut DbConnection, code: &str) -> storage::QueryResult<Option<Territory>> {
    for kind in [TerritoryKind::Commune, TerritoryKind::Epci, TerritoryKind::Ept, TerritoryKind::Departement] {
        if let Some(territory) = find_territory(conn, kind, code)? {
            return Ok(Some(territory));
        }
    }
    Ok(None)
}

pub async fn create(
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<ReportForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let author = author_of(&ctx, &state).await?.ok_or(AppError::Forbidden)?;
    let choices = choices(&state).await?;
    let collectivity_id = author.proposing_for(&form.collectivity_id);
    let resolved = match resolve(&state, &form, &choices).await {
        Ok(resolved) => resolved,
        Err(errors) => return Ok(unprocessable(form_page(&ctx, None, Some(&author), &choices, &form, &errors))),
    };
    let status = author.status();
    let origin = Origin {
        territory_id: resolved.territory_id,
        theme_id: resolved.theme_id,
        project_id: resolved.project_id,
        collectivity_id,
        owner_id: user.id,
    };
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok(reports::insert_report(conn, &resolved.text, &origin, status)?))
        })
        .await?;
    ctx.set_flash(match status {
        EntryStatus::Published => "Retour d’expérience publié.",
        _ => "Proposition envoyée : l’agence la relit avant de la publier.",
    });
    Ok(see_other(&report_path(id)))
}

async fn editable(ctx: &PageCtx, state: &AppState, id: i64) -> Result<ReportView, AppError> {
    ctx.require_user()?;
    let view = load_report(state, id).await?;
    if !may_edit(ctx, &view.report) {
        return Err(AppError::Forbidden);
    }
    Ok(view)
}

pub async fn edit_form(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let view = editable(&ctx, &state, id.into_inner()).await?;
    let choices = choices(&state).await?;
    Ok(form_page(&ctx, Some(&view), None, &choices, &ReportForm::of(&view), &FormErrors::default()))
}

pub async fn update(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ReportForm>,
) -> Result<HttpResponse, AppError> {
    let view = editable(&ctx, &state, id.into_inner()).await?;
    let choices = choices(&state).await?;
    let resolved = match resolve(&state, &form, &choices).await {
        Ok(resolved) => resolved,
        Err(errors) => return Ok(unprocessable(form_page(&ctx, Some(&view), None, &choices, &form, &errors))),
    };
    let id = view.report.id;
    let updated = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let Resolved { text, territory_id, theme_id, project_id } = &resolved;
                Ok(reports::update_report(conn, id, text, *territory_id, *theme_id, *project_id)?)
            })
        })
        .await?;
    if !updated {
        let errors = FormErrors::from(vec![(
            "title",
            "Un autre de vos retours d’expérience porte ce titre sur ce territoire : choisissez-en un autre."
                .to_owned(),
        )]);
        return Ok(unprocessable(form_page(&ctx, Some(&view), None, &choices, &form, &errors)));
    }
    ctx.set_flash("Retour d’expérience corrigé ; il est vérifié d’aujourd’hui.");
    Ok(see_other(&report_path(id)))
}

pub async fn confirm_checked(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let view = editable(&ctx, &state, id.into_inner()).await?;
    let id = view.report.id;
    apply_check(
        &ctx,
        &state,
        move |conn| reports::mark_checked(conn, id),
        ("Merci : le retour d’expérience est vérifié d’aujourd’hui.", &report_path(id)),
    )
    .await
}

pub async fn moderate(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ModerationForm>,
) -> Result<HttpResponse, AppError> {
    ctx.require_admin()?;
    let view = load_report(&state, id.into_inner()).await?;
    let id = view.report.id;
    let (decision, reason) = match form.decision()? {
        Ok(decided) => decided,
        Err(errors) => return Ok(unprocessable(report_page(&ctx, &view, Some((&form.reason, &errors))))),
    };
    let decide = move |conn: &mut DbConnection| reports::moderate(conn, id, decision, reason.as_deref());
    apply_decision(&ctx, &state, decision, decide, ("Retour d’expérience publié.", &report_path(id))).await
}
