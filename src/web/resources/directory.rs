//! The directory of participation and cooperation actors: consultancies, associations, networks, researchers,
//! with their SIRET (checked, one entry per establishment), skills, the départements or régions they serve, a
//! contact and links, and the shared projects they took part in. Its life is the resource base's (`super`).

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{
    apply_check, apply_decision, author_of, confirm_form, freshness_note, may_edit, may_read_unpublished,
    moderation_section, resources_nav, Author, ModerationForm,
};
use crate::domain::inspiration::links_text;
use crate::domain::resources::{ActorKind, DirectoryInput, DirectoryText, EntryStatus};
use crate::domain::territory::TerritoryKind;
use crate::storage::directory::{self, Entry, Saved};
use crate::storage::territories::find_territory;
use crate::storage::{self, DbConnection};
use crate::web::context::PageCtx;
use crate::web::views::{
    checkbox_group, csrf_field, date_fr, optional_textarea, page, page_with_errors, paragraphs, see_other, select,
    textarea, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

const INDEX: &str = "/annuaire";

pub fn entry_path(id: i64) -> String {
    format!("{INDEX}/{id}")
}

/// The name of a served code: a département by its number, a région by « R » and its code.
fn served_name(conn: &mut DbConnection, code: &str) -> storage::QueryResult<Option<String>> {
    let found = match code.strip_prefix('R') {
        Some(region) => find_territory(conn, TerritoryKind::Region, region)?,
        None => find_territory(conn, TerritoryKind::Departement, code)?,
    };
    Ok(found.map(|t| t.name))
}

fn served_line(entry: &Entry, names: &[String]) -> String {
    match (entry.nationwide, names.is_empty()) {
        (true, true) => "Partout en France".to_owned(),
        (true, false) => format!("Partout en France, surtout : {}", names.join(", ")),
        (false, _) => names.join(", "),
    }
}

#[derive(Deserialize)]
pub struct IndexQuery {
    kind: Option<String>,
    territoire: Option<String>,
}

pub async fn index(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<IndexQuery>,
) -> Result<Markup, AppError> {
    // An unknown filter shows everything rather than an error: it comes from a link or the select.
    let kind = query.kind.as_deref().and_then(|k| ActorKind::parse(k).ok());
    let served = query.territoire.as_deref().map(|t| t.trim().to_uppercase()).filter(|t| !t.is_empty());
    let is_admin = ctx.is_admin();
    let collectivities: Vec<i64> = ctx.memberships.iter().map(|(m, _)| m.collectivity_id).collect();
    let author = author_of(&ctx, &state).await?;
    let filter = served.clone();
    let (published, proposals, mine) = state
        .db(move |conn| {
            // A département also matches the entries serving its whole région.
            let region = match filter.as_deref() {
                Some(code) if !code.starts_with('R') => find_territory(conn, TerritoryKind::Departement, code)?
                    .and_then(|t| t.region_code)
                    .map(|r| format!("R{r}")),
                _ => None,
            };
            let place = filter.as_deref().map(|code| (code, region.as_deref()));
            Ok((
                directory::entries_with_status(conn, EntryStatus::Published, kind, place)?,
                if is_admin {
                    directory::entries_with_status(conn, EntryStatus::Proposed, None, None)?
                } else {
                    Vec::new()
                },
                directory::entries_of_collectivities(conn, &collectivities)?
                    .into_iter()
                    .filter(|e| e.status() != EntryStatus::Published)
                    .collect::<Vec<_>>(),
            ))
        })
        .await?;
    Ok(page(
        &ctx,
        "Annuaire des acteurs",
        html! {
            h1 { "Annuaire des acteurs de la participation et de la coopération" }
            p class="lead" { "Cabinets, associations, réseaux et chercheurs qui accompagnent les collectivités : ce qu’ils savent faire, où ils interviennent, les projets auxquels ils ont pris part." }
            (resources_nav())
            @if let Some(author) = &author {
                p {
                    a class="button" href={ (INDEX) "/nouveau" } { @if author.publishes { "Ajouter un acteur" } @else { "Proposer un acteur" } }
                    @if author.publishes { " " a href={ (INDEX) "/import" } { "Importer un tableau d’acteurs (CSV)" } }
                }
            }
            @if !proposals.is_empty() {
                section aria-labelledby="a-relire" {
                    h2 id="a-relire" { "À relire (" (proposals.len()) ")" }
                    ul { @for e in &proposals { li { a href=(entry_path(e.id)) { (e.name) } ", proposé le " (date_fr(e.created_at)) } } }
                }
            }
            @if !mine.is_empty() {
                section aria-labelledby="propositions" {
                    h2 id="propositions" { "Les propositions de votre collectivité" }
                    ul { @for e in &mine { li { a href=(entry_path(e.id)) { (e.name) } " — " (e.status().label()) @if let Some(reason) = &e.refusal { " : " (reason) } } } }
                }
            }
            form class="search" method="get" action=(INDEX) role="search" aria-label="Filtrer l’annuaire" {
                div class="field" {
                    label for="kind" { "Type d’acteur" }
                    select id="kind" name="kind" {
                        option value="" { "Tous" }
                        @for k in ActorKind::ALL { option value=(k.code()) selected[Some(k) == kind] { (k.label()) } }
                    }
                }
                div class="field" {
                    label for="territoire" { "Intervient dans le département (son numéro)" }
                    input id="territoire" name="territoire" type="text" value=(served.clone().unwrap_or_default()) inputmode="text" autocomplete="off";
                }
                button class="button" type="submit" { "Filtrer" }
            }
            @if published.is_empty() { p { "Aucun acteur ne correspond." } }
            @else {
                ul class="cards" {
                    @for e in &published {
                        li class="card" {
                            h2 { a href=(entry_path(e.id)) { (e.name) } }
                            p class="meta" { (e.kind().label()) @if !e.skills.is_empty() { " · " (e.skills().join(", ")) } }
                            p { (freshness_note(e)) }
                        }
                    }
                }
            }
        },
    ))
}

struct EntryView {
    entry: Entry,
    served: Vec<String>,
    projects: Vec<(i64, String)>,
}

async fn load_entry(state: &AppState, id: i64) -> Result<EntryView, AppError> {
    state
        .db(move |conn| {
            let entry = directory::find_entry(conn, id)?.ok_or(AppError::NotFound)?;
            let mut served = Vec::new();
            for code in entry.served() {
                served.push(served_name(conn, code)?.unwrap_or_else(|| code.to_owned()));
            }
            let projects = directory::projects_of_entry(conn, id)?;
            Ok(EntryView { entry, served, projects })
        })
        .await
}

fn entry_page(ctx: &PageCtx, view: &EntryView, refusal: Option<(&str, &FormErrors)>) -> Markup {
    let e = &view.entry;
    let path = entry_path(e.id);
    let no_errors = FormErrors::default();
    let (reason, errors) = refusal.unwrap_or(("", &no_errors));
    let links = e.links();
    page_with_errors(
        ctx,
        &e.name,
        errors,
        html! {
            p class="breadcrumb" { a href=(INDEX) { "Annuaire des acteurs" } " › " (e.name) }
            h1 { (e.name) }
            @if e.status() != EntryStatus::Published {
                p class="notice" { (e.status().label()) @if let Some(reason) = &e.refusal { " : " (reason) } }
            }
            dl class="facts" {
                dt { "Type" } dd { (e.kind().label()) }
                @if let Some(siret) = &e.siret { dt { "SIRET" } dd { (siret) } }
                @if !e.skills.is_empty() { dt { "Compétences" } dd { (e.skills().join(", ")) } }
                dt { "Intervient" } dd { (served_line(e, &view.served)) }
                @if !e.contact.is_empty() { dt { "Contact" } dd { (e.contact) } }
            }
            p { (freshness_note(e)) }
            @if may_edit(ctx, e) {
                ul class="actions" {
                    li { a href={ (path) "/modifier" } { "Corriger" } }
                    @if e.status() == EntryStatus::Published { li { (confirm_form(ctx, &path)) } }
                }
            }
            (paragraphs(&e.description))
            @if !view.projects.is_empty() {
                h2 { "Projets partagés auxquels il a pris part" }
                ul { @for (id, title) in &view.projects { li { a href={ "/projets/" (id) } { (title) } } } }
            }
            @if !links.is_empty() {
                h2 { "Liens" }
                ul { @for link in &links { li { a href=(link.url) { (link.label) } } } }
            }
            @if ctx.is_admin() && e.status() == EntryStatus::Proposed {
                (moderation_section(ctx, &path, (reason, errors)))
            }
        },
    )
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let view = load_entry(&state, id.into_inner()).await?;
    // A proposal, or a refused one, is not shown to whoever may not read it: as if it did not exist.
    if view.entry.status() != EntryStatus::Published && !may_read_unpublished(&ctx, &view.entry) {
        return Err(AppError::NotFound);
    }
    Ok(entry_page(&ctx, &view, None))
}

/// The form as typed: single fields, and every ticked project.
#[derive(Default, Clone)]
pub struct EntryForm {
    name: String,
    kind: String,
    siret: String,
    skills: String,
    served: String,
    nationwide: bool,
    description: String,
    contact: String,
    links: String,
    collectivity_id: String,
    project_ids: Vec<String>,
}

impl EntryForm {
    fn decode(fields: Vec<(String, String)>) -> EntryForm {
        let mut form = EntryForm::default();
        for (key, value) in fields {
            match key.as_str() {
                "name" => form.name = value,
                "kind" => form.kind = value,
                "siret" => form.siret = value,
                "skills" => form.skills = value,
                "served" => form.served = value,
                "nationwide" => form.nationwide = value == "oui",
                "description" => form.description = value,
                "contact" => form.contact = value,
                "links" => form.links = value,
                "collectivity_id" => form.collectivity_id = value,
                "project_ids" => form.project_ids.push(value),
                _ => {}
            }
        }
        form
    }

    fn of(view: &EntryView) -> EntryForm {
        let e = &view.entry;
        EntryForm {
            name: e.name.clone(),
            kind: e.kind.clone(),
            siret: e.siret.clone().unwrap_or_default(),
            skills: e.skills().join(", "),
            served: e.served().join(" "),
            nationwide: e.nationwide,
            description: e.description.clone(),
            contact: e.contact.clone(),
            links: links_text(&e.links()),
            collectivity_id: e.collectivity_id.map(|c| c.to_string()).unwrap_or_default(),
            project_ids: view.projects.iter().map(|(id, _)| id.to_string()).collect(),
        }
    }
}

async fn projects(state: &AppState) -> Result<Vec<(String, String)>, AppError> {
    state
        .db(|conn| {
            Ok(storage::projects::list_projects(conn)?.into_iter().map(|p| (p.id.to_string(), p.title)).collect())
        })
        .await
}

fn form_page(
    ctx: &PageCtx,
    editing: Option<&EntryView>,
    author: Option<&Author>,
    projects: &[(String, String)],
    form: &EntryForm,
    errors: &FormErrors,
) -> Markup {
    let proposes = author.is_some_and(|a| !a.publishes);
    let title = match (editing, proposes) {
        (Some(_), _) => "Corriger une fiche de l’annuaire",
        (None, true) => "Proposer un acteur pour l’annuaire",
        (None, false) => "Ajouter un acteur à l’annuaire",
    };
    let action = editing.map_or(INDEX.to_owned(), |v| entry_path(v.entry.id));
    let kinds: Vec<(String, String)> =
        ActorKind::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())).collect();
    let collectivities: Vec<(String, String)> = author
        .map(|a| a.collectivities.iter().map(|(id, name)| (id.to_string(), name.clone())).collect())
        .unwrap_or_default();
    let nationwide_error = errors.get("served").map(|_| "served-erreur");
    page_with_errors(
        ctx,
        title,
        errors,
        html! {
            p class="breadcrumb" { a href=(INDEX) { "Annuaire des acteurs" } " › " (title) }
            h1 { (title) }
            @if proposes { p { "L’agence relit votre proposition avant de la publier ; vous la retrouvez sur la page de l’annuaire." } }
            (errors.summary())
            form class="form" method="post" action=(action) novalidate {
                (csrf_field(ctx))
                (Field::new("name", "Nom").value(&form.name).render(errors))
                (select("kind", "Type d’acteur", &kinds, &form.kind, None, errors))
                @if proposes && editing.is_none() && collectivities.len() > 1 {
                    (select("collectivity_id", "Proposé pour", &collectivities, &form.collectivity_id, None, errors))
                }
                (Field::new("siret", "SIRET").value(&form.siret).hint("14 chiffres, tels qu’ils figurent sur l’avis de situation SIRENE ; vérifiés par leur clé.").optional().render(errors))
                (Field::new("skills", "Compétences").value(&form.skills).hint("Séparées par des virgules : concertation, enquête, facilitation…").optional().render(errors))
                (Field::new("served", "Départements et régions où il intervient").value(&form.served).hint("Les numéros des départements, séparés par des espaces (86 79 2A) ; une région entière : R et son code (R75 pour la Nouvelle-Aquitaine).").optional().render(errors))
                div class="choice" {
                    input type="checkbox" id="nationwide" name="nationwide" value="oui" checked[form.nationwide] aria-describedby=[nationwide_error];
                    label for="nationwide" { "Intervient partout en France" }
                }
                (textarea("description", "Présentation", &form.description, "Ce qu’il fait, pour qui, comment.", errors))
                (Field::new("contact", "Contact").value(&form.contact).hint("Un service, une fonction, une adresse générique plutôt qu’une personne.").optional().render(errors))
                (optional_textarea("links", "Liens", &form.links, "Un lien par ligne : l’adresse, puis un espace et le libellé.", errors))
                @if !projects.is_empty() {
                    (checkbox_group("project_ids", "Projets partagés auxquels il a pris part", projects, &form.project_ids, errors))
                }
                button class="button" type="submit" {
                    @match (editing, proposes) { (Some(_), _) => { "Enregistrer" } (None, true) => { "Proposer" } (None, false) => { "Ajouter" } }
                }
            }
        },
    )
}

pub async fn new_form(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    ctx.require_user()?;
    let author = author_of(&ctx, &state).await?.ok_or(AppError::Forbidden)?;
    let projects = projects(&state).await?;
    Ok(form_page(&ctx, None, Some(&author), &projects, &EntryForm::default(), &FormErrors::default()))
}

/// The entry the form describes, its served codes known, its projects among those offered.
async fn resolve(
    state: &AppState,
    form: &EntryForm,
    projects: &[(String, String)],
) -> Result<(DirectoryText, Vec<i64>), FormErrors> {
    let parsed = DirectoryText::parse(&DirectoryInput {
        name: &form.name,
        kind: &form.kind,
        siret: &form.siret,
        skills: &form.skills,
        served: &form.served,
        nationwide: form.nationwide,
        description: &form.description,
        contact: &form.contact,
        links: &form.links,
    });
    let mut errors = match &parsed {
        Ok(_) => FormErrors::default(),
        Err(e) => FormErrors::from(e.clone()),
    };
    let mut project_ids = Vec::new();
    for id in &form.project_ids {
        match projects.iter().find(|(p, _)| p == id).and_then(|(p, _)| p.parse().ok()) {
            Some(id) => project_ids.push(id),
            None => errors.add("project_ids", "Un des projets choisis n’existe pas : rechargez la page."),
        }
    }
    let Ok(text) = parsed else { return Err(errors) };
    let codes = text.served.clone();
    let unknown: Vec<String> = state
        .db(move |conn| {
            let mut unknown = Vec::new();
            for code in codes {
                if served_name(conn, &code)?.is_none() {
                    unknown.push(code);
                }
            }
            Ok(unknown)
        })
        .await
        .unwrap_or_default();
    if !unknown.is_empty() {
        errors.add("served", format!("Ces codes ne sont ni un département ni une région : {}.", unknown.join(", ")));
    }
    if errors.is_empty() {
        Ok((text, project_ids))
    } else {
        Err(errors)
    }
}

/// What a unique index refused, on its field.
fn refusal_errors(refused: &Saved) -> FormErrors {
    match refused {
        Saved::SiretTaken(id) => FormErrors::from(vec![(
            "siret",
            format!(
                "Cet établissement figure déjà dans l’annuaire ({}) : corrigez sa fiche plutôt que d’en créer une autre.",
                entry_path(*id)
            ),
        )]),
        _ => FormErrors::from(vec![("name", "Une autre de vos fiches porte déjà ce nom.".to_owned())]),
    }
}

pub async fn create(
    ctx: PageCtx,
    state: web::Data<AppState>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let author = author_of(&ctx, &state).await?.ok_or(AppError::Forbidden)?;
    let form = EntryForm::decode(fields.into_inner());
    let projects = projects(&state).await?;
    let (text, project_ids) = match resolve(&state, &form, &projects).await {
        Ok(resolved) => resolved,
        Err(errors) => return Ok(unprocessable(form_page(&ctx, None, Some(&author), &projects, &form, &errors))),
    };
    let status = author.status();
    let origin = (status, author.proposing_for(&form.collectivity_id), user.id);
    let saved = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok(directory::insert_entry(conn, &text, &project_ids, origin)?))
        })
        .await?;
    match saved {
        Saved::Saved(id) => {
            ctx.set_flash(match status {
                EntryStatus::Published => "Acteur ajouté à l’annuaire.",
                _ => "Proposition envoyée : l’agence la relit avant de la publier.",
            });
            Ok(see_other(&entry_path(id)))
        }
        refused => Ok(unprocessable(form_page(&ctx, None, Some(&author), &projects, &form, &refusal_errors(&refused)))),
    }
}

async fn editable(ctx: &PageCtx, state: &AppState, id: i64) -> Result<EntryView, AppError> {
    ctx.require_user()?;
    let view = load_entry(state, id).await?;
    if !may_edit(ctx, &view.entry) {
        return Err(AppError::Forbidden);
    }
    Ok(view)
}

pub async fn edit_form(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    let view = editable(&ctx, &state, id.into_inner()).await?;
    let projects = projects(&state).await?;
    Ok(form_page(&ctx, Some(&view), None, &projects, &EntryForm::of(&view), &FormErrors::default()))
}

pub async fn update(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let view = editable(&ctx, &state, id.into_inner()).await?;
    let form = EntryForm::decode(fields.into_inner());
    let projects = projects(&state).await?;
    let (text, project_ids) = match resolve(&state, &form, &projects).await {
        Ok(resolved) => resolved,
        Err(errors) => return Ok(unprocessable(form_page(&ctx, Some(&view), None, &projects, &form, &errors))),
    };
    let id = view.entry.id;
    let saved = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok(directory::update_entry(conn, id, &text, &project_ids)?))
        })
        .await?;
    match saved {
        Saved::Saved(_) => {
            ctx.set_flash("Fiche corrigée ; elle est vérifiée d’aujourd’hui.");
            Ok(see_other(&entry_path(id)))
        }
        refused => Ok(unprocessable(form_page(&ctx, Some(&view), None, &projects, &form, &refusal_errors(&refused)))),
    }
}

pub async fn confirm_checked(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let view = editable(&ctx, &state, id.into_inner()).await?;
    let id = view.entry.id;
    apply_check(
        &ctx,
        &state,
        move |conn| directory::mark_checked(conn, id),
        ("Merci : la fiche est vérifiée d’aujourd’hui.", &entry_path(id)),
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
    let view = load_entry(&state, id.into_inner()).await?;
    let id = view.entry.id;
    let (decision, reason) = match form.decision()? {
        Ok(decided) => decided,
        Err(errors) => return Ok(unprocessable(entry_page(&ctx, &view, Some((&form.reason, &errors))))),
    };
    let decide = move |conn: &mut DbConnection| directory::moderate(conn, id, decision, reason.as_deref());
    apply_decision(&ctx, &state, decision, decide, ("Acteur publié dans l’annuaire.", &entry_path(id))).await
}
