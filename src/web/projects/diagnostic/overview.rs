//! The project's diagnostic across its participant territories: each territory with its counts, the comparison
//! of actor families and domains side by side, the project's own actor families, the moderation queue's size and
//! the project-wide exports.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::moderation::moderation_path;
use super::{may_see, Categories};
use crate::domain::diagnostic::{Domain, EntryKind, Status, FAMILIES};
use crate::domain::text::{bounded_text, clean_line, de};
use crate::storage;
use crate::storage::diagnostic::{self, MapEntry};
use crate::storage::projects::{self, Project};
use crate::web::context::PageCtx;
use crate::web::projects::access::{project_and_access, Access};
use crate::web::projects::paths::{diagnostic_path, project_path, public_map_path};
use crate::web::views::{csrf_field, page_with_errors, scroll_table, see_other, unprocessable, Field, FormErrors};
use crate::web::{AppError, AppState};

pub fn overview_path(project_id: i64) -> String {
    format!("{}/diagnostic", project_path(project_id))
}

struct Overview {
    project: Project,
    /// The active participants the person sees, as (collectivity, territory name), by name.
    territories: Vec<(i64, String)>,
    entries: Vec<MapEntry>,
    relations: Vec<(i64, i64)>,
    categories: Categories,
    project_families: Vec<(i64, String)>,
    pending: usize,
    /// The territories whose map is public.
    public: Vec<i64>,
}

async fn load(state: &AppState, ctx: &PageCtx, project_id: i64) -> Result<(Overview, Access), AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, project_id).await?;
    let seen: Vec<i64> = access.inquiry_groups.clone();
    let working = access.reads_working_space();
    if !working && seen.is_empty() {
        return Err(AppError::Forbidden);
    }
    let leads = access.leads();
    let overview = state
        .db(move |conn| {
            let mut territories: Vec<(i64, String)> = projects::enrolments_of_project(conn, project.id)?
                .into_iter()
                .filter(|(e, _)| e.is_active_participant() && (working || seen.contains(&e.collectivity_id)))
                .map(|(e, t)| (e.collectivity_id, t.name))
                .collect();
            territories.sort_by(|a, b| a.1.cmp(&b.1));
            let entries = diagnostic::published_entries_of_project(conn, project.id)?;
            let relations = diagnostic::published_relations_of_project(conn, project.id)?
                .into_iter()
                .map(|r| (r.collectivity_id, r.id))
                .collect();
            let pending = if leads { diagnostic::pending_of_project(conn, project.id)?.len() } else { 0 };
            Ok(Overview {
                public: diagnostic::public_maps(conn, diagnostic::PublicMaps::OfProject(project.id))?
                    .iter()
                    .map(|(public, _)| public.collectivity_id)
                    .collect(),
                categories: Categories::load(conn, project.id)?,
                project_families: diagnostic::project_families(conn, project.id)?,
                project,
                territories,
                entries,
                relations,
                pending,
            })
        })
        .await?;
    Ok((overview, access))
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<Markup, AppError> {
    let (overview, access) = load(&state, &ctx, path.into_inner()).await?;
    Ok(overview_page(&ctx, &overview, &access, "", &FormErrors::default()))
}

fn overview_page(ctx: &PageCtx, o: &Overview, access: &Access, family: &str, errors: &FormErrors) -> Markup {
    let project_id = o.project.id;
    let visible: Vec<&(i64, String)> = o.territories.iter().filter(|(c, _)| may_see(access, *c)).collect();
    let of = |c: i64| o.entries.iter().filter(move |e| e.collectivity_id == c && e.status() == Status::Published);
    let count = |c: i64, kind: EntryKind| of(c).filter(|e| e.kind() == kind).count();
    // Actor families present somewhere, in the taxonomy's order.
    let families: Vec<(String, String)> = o
        .categories
        .of(EntryKind::Actor)
        .into_iter()
        .filter(|(code, _)| o.entries.iter().any(|e| e.kind() == EntryKind::Actor && e.category == *code))
        .collect();
    let by_family: HashMap<(i64, &str), usize> =
        o.entries.iter().filter(|e| e.kind() == EntryKind::Actor).fold(HashMap::new(), |mut m, e| {
            *m.entry((e.collectivity_id, e.category.as_str())).or_default() += 1;
            m
        });
    page_with_errors(
        ctx,
        "Diagnostic",
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project_id)) { (o.project.title) } " › Diagnostic" }
            h1 { "Diagnostic des territoires" }
            p class="lead" { "Sur chaque territoire participant : les acteurs, les espaces et les objets de l’engagement citoyen et de la coopération thématique, leurs relations, et les sources qui en parlent." }
            @if access.leads() {
                p class="notice" {
                    a href=(moderation_path(project_id)) { "Contributions à valider : " (o.pending) }
                }
            }
            @if visible.is_empty() {
                p { "Aucun territoire participant pour l’instant." }
            } @else {
                (scroll_table("Le diagnostic par territoire", html! {
                    table {
                        caption { "Le diagnostic par territoire" }
                        thead { tr {
                            th scope="col" { "Territoire" }
                            @for kind in EntryKind::ALL { th scope="col" class="num" { (kind.plural()) } }
                            th scope="col" class="num" { "relations" }
                            th scope="col" { "Carte publique" }
                        } }
                        tbody {
                            @for (c, name) in &visible {
                                tr {
                                    th scope="row" { a href=(diagnostic_path(project_id, *c)) { (name) } }
                                    @for kind in EntryKind::ALL { td class="num" { (count(*c, kind)) } }
                                    td class="num" { (o.relations.iter().filter(|(t, _)| t == c).count()) }
                                    td { @if o.public.contains(c) { a href=(public_map_path(project_id, *c)) { "Publique" span class="visually-hidden" { " : carte " (de(name)) } } } @else { "Non" } }
                                }
                            }
                        }
                    }
                }))
                @if visible.len() > 1 && !families.is_empty() {
                    h2 { "Comparer les territoires" }
                    (scroll_table("Acteurs par famille et par territoire", html! {
                        table {
                            caption { "Acteurs par famille et par territoire" }
                            thead { tr {
                                th scope="col" { "Famille" }
                                @for (_, name) in &visible { th scope="col" class="num" { (name) } }
                            } }
                            tbody {
                                @for (code, label) in &families {
                                    tr {
                                        th scope="row" { (label) }
                                        @for (c, _) in &visible { td class="num" { (by_family.get(&(*c, code.as_str())).copied().unwrap_or(0)) } }
                                    }
                                }
                                @for domain in Domain::ALL {
                                    tr class="total" {
                                        th scope="row" { (domain.label()) }
                                        @for (c, _) in &visible {
                                            td class="num" { (of(*c).filter(|e| e.kind() == EntryKind::Actor && e.domain() == domain).count()) }
                                        }
                                    }
                                }
                            }
                        }
                    }))
                }
                @if access.reads_working_space() {
                    p { "Exporter tout le projet : " a href={ (overview_path(project_id)) "/export.geojson" } { "GeoJSON" } " · " a href={ (overview_path(project_id)) "/export.csv" } { "CSV" } }
                }
            }
            section aria-labelledby="familles" {
                h2 id="familles" { "Familles d’acteurs" }
                p { "Les familles communes à tous les projets : " (FAMILIES.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(", ")) "." }
                @if o.project_families.is_empty() {
                    p { "Le projet n’en a pas ajouté." }
                } @else {
                    p { "Ajoutées par le projet : " (o.project_families.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join(", ")) "." }
                }
                @if access.leads() {
                    (errors.summary())
                    form class="form" method="post" action={ (overview_path(project_id)) "/familles" } novalidate {
                        (csrf_field(ctx))
                        (Field::new("label", "Nouvelle famille").value(family).hint("Par exemple : « Clubs sportifs », « Centres sociaux », « Producteurs locaux ».").render(errors))
                        button class="button" type="submit" { "Ajouter la famille" }
                    }
                }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct FamilyForm {
    #[serde(default)]
    label: String,
}

pub async fn add_family(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<FamilyForm>,
) -> Result<HttpResponse, AppError> {
    let project_id = path.into_inner();
    let (overview, access) = load(&state, &ctx, project_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    let label = clean_line(&form.label)
        .ok_or_else(|| "Le nom contient des caractères non autorisés.".to_owned())
        .and_then(|l| bounded_text(&l, "Le nom de la famille", 2, 80))
        .and_then(|l| {
            let taken = overview
                .categories
                .of(EntryKind::Actor)
                .iter()
                .any(|(_, existing)| existing.to_lowercase() == l.to_lowercase());
            if taken {
                Err(format!("La famille « {l} » existe déjà."))
            } else {
                Ok(l)
            }
        });
    let label = match label {
        Ok(label) => label,
        Err(message) => {
            let mut errors = FormErrors::default();
            errors.add("label", message);
            return Ok(unprocessable(overview_page(&ctx, &overview, &access, &form.label, &errors)));
        }
    };
    let to_add = label.clone();
    let added = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(diagnostic::add_family(conn, project_id, &to_add)?)
            })
        })
        .await?;
    if added.is_none() {
        let mut errors = FormErrors::default();
        errors.add("label", format!("La famille « {label} » existe déjà."));
        return Ok(unprocessable(overview_page(&ctx, &overview, &access, &form.label, &errors)));
    }
    ctx.set_flash(&format!(
        "Famille « {label} » ajoutée : elle se choisit désormais sur les fiches d’acteurs du projet."
    ));
    Ok(see_other(&overview_path(project_id)))
}
