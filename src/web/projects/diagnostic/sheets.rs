//! Identity sheets of actors, engagement spaces and engagement objects: the form (new and edit), the sheet as a
//! web page that prints on its own, its relations, and deletion.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::map::{draw_map, Marker};
use super::{author, diagnostic_for, diagnostic_to_contribute, may_contribute, sheet_path, source_path, Diagnostic};
use crate::domain::codesign::Evidence;
use crate::domain::diagnostic::{
    intensity_label, Domain, EntryKind, NewEntry, NewRelation, RelationKind, SheetFields, Status, INTENSITIES,
};
use crate::domain::text::de;
use crate::storage;
use crate::storage::boundaries::{placement_at, Placement};
use crate::storage::diagnostic::{self, MapEntry};
use crate::web::context::PageCtx;
use crate::web::projects::access::Access;
use crate::web::projects::paths::{diagnostic_path, project_path};
use crate::web::views::{
    csrf_field, optional_textarea, page, page_with_errors, paragraphs, radio_group, see_other, select, unprocessable,
    Field, FormErrors,
};
use crate::web::{AppError, AppState};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SheetForm {
    kind: String,
    name: String,
    category: String,
    domain: String,
    description: String,
    publics: String,
    resources: String,
    engagement: String,
    contact: String,
    links: String,
    address: String,
    opening_hours: String,
    accessibility: String,
    lat: String,
    lon: String,
}

impl SheetForm {
    fn fields(&self) -> SheetFields {
        SheetFields {
            name: self.name.clone(),
            category: self.category.clone(),
            domain: self.domain.clone(),
            description: self.description.clone(),
            publics: self.publics.clone(),
            resources: self.resources.clone(),
            engagement: self.engagement.clone(),
            contact: self.contact.clone(),
            links: self.links.clone(),
            address: self.address.clone(),
            opening_hours: self.opening_hours.clone(),
            accessibility: self.accessibility.clone(),
            lat: self.lat.clone(),
            lon: self.lon.clone(),
        }
    }

    fn of(entry: &MapEntry) -> SheetForm {
        let coordinate = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_default();
        SheetForm {
            kind: entry.kind().slug().to_owned(),
            name: entry.name.clone(),
            category: entry.category.clone(),
            domain: entry.domain.clone(),
            description: entry.description.clone(),
            publics: entry.publics.clone(),
            resources: entry.resources.clone(),
            engagement: entry.engagement.clone(),
            contact: entry.contact.clone(),
            links: entry.links.clone(),
            address: entry.address.clone(),
            opening_hours: entry.opening_hours.clone(),
            accessibility: entry.accessibility.clone(),
            lat: coordinate(entry.lat),
            lon: coordinate(entry.lon),
        }
    }
}

/// Who may change or delete a sheet: the provider and the agency, and its author while it waits.
fn may_edit(access: &Access, entry: &MapEntry) -> bool {
    access.leads()
        || (entry.status() == Status::Proposed && access.user.as_ref().is_some_and(|u| Some(u.id) == entry.created_by))
}

/// Who sees a sheet: anyone who sees the diagnostic once it is published; before, its author and the moderators.
fn may_read(access: &Access, entry: &MapEntry) -> bool {
    entry.status() == Status::Published
        || access.leads()
        || access.user.as_ref().is_some_and(|u| Some(u.id) == entry.created_by)
}

fn form_page(
    ctx: &PageCtx,
    d: &Diagnostic,
    kind: EntryKind,
    form: &SheetForm,
    errors: &FormErrors,
    editing: Option<i64>,
) -> Markup {
    let base = diagnostic_path(d.place.project_id, d.place.collectivity_id);
    let title = match editing {
        Some(_) => format!("Modifier la fiche « {} »", form.name),
        None => format!("Nouvel {} — {}", kind.label().to_lowercase(), d.territory.name),
    };
    let action = match editing {
        Some(id) => format!("{}/modifier", sheet_path(d.place, id)),
        None => format!("{base}/fiches"),
    };
    let mut categories = vec![(String::new(), "Choisir…".to_owned())];
    categories.extend(d.categories.of(kind));
    let domains: Vec<(&str, &str)> = Domain::ALL.iter().map(|d| (d.code(), d.label())).collect();
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(d.project.id)) { (d.project.title) } " › " a href=(base) { "Diagnostic " (de(&d.territory.name)) } }
            h1 { (title) }
            (errors.summary())
            form class="form" method="post" action=(action) novalidate {
                (csrf_field(ctx))
                input type="hidden" name="kind" value=(kind.slug());
                (Field::new("name", "Nom").value(&form.name).render(errors))
                (select("category", kind.category_label(), &categories, &form.category, None, errors))
                (radio_group("domain", "Domaine", &domains, &form.domain, errors))
                (optional_textarea("description", kind.description_label(), &form.description, "Ce qu’il fait, à quoi il sert, en quelques phrases.", errors))
                (optional_textarea("publics", "Publics touchés", &form.publics, "Qui vient, qui est rejoint : jeunes, familles, personnes âgées, habitants d’un quartier…", errors))
                @if kind != EntryKind::Space {
                    (optional_textarea("resources", "Ressources", &form.resources, "Locaux, salariés, bénévoles, budget, savoir-faire…", errors))
                    (optional_textarea("engagement", "Façon d’associer les habitants", &form.engagement, "Réunions publiques, porte-à-porte, ateliers, présence au marché…", errors))
                }
                @if kind == EntryKind::Space {
                    (optional_textarea("opening_hours", "Horaires", &form.opening_hours, "Par exemple : « Du lundi au vendredi : 9 h – 12 h ».", errors))
                    (optional_textarea("accessibility", "Accessibilité", &form.accessibility, "Accès en fauteuil, transports, langue des signes…", errors))
                }
                (optional_textarea("contact", "Contact institutionnel", &form.contact, "Le service ou la fonction, un téléphone ou une adresse générique : pas de coordonnées personnelles.", errors))
                (optional_textarea("links", "Liens", &form.links, "Site, page, document : une adresse par ligne.", errors))
                (Field::new("address", "Adresse").value(&form.address).optional().render(errors))
                fieldset class="field" {
                    legend { "Position sur la carte (facultatif)" }
                    p class="hint" { "En degrés décimaux, tels que les donnent les sites de cartes (clic droit sur le lieu). La commune est trouvée d’après les contours du territoire." }
                    (Field::new("lat", "Latitude").value(&form.lat).hint("Par exemple 47,5862").optional().render(errors))
                    (Field::new("lon", "Longitude").value(&form.lon).hint("Par exemple 1,3359").optional().render(errors))
                }
                button class="button" type="submit" { @if editing.is_some() { "Enregistrer" } @else { "Ajouter la fiche" } }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct KindQuery {
    #[serde(rename = "type", default)]
    kind: String,
}

pub async fn new_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    query: web::Query<KindQuery>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let (d, _) = diagnostic_to_contribute(&state, &ctx, project_id, collectivity_id).await?;
    let kind = EntryKind::from_slug(&query.kind).unwrap_or(EntryKind::Actor);
    let form = SheetForm { domain: Domain::Citizen.code().to_owned(), ..SheetForm::default() };
    Ok(form_page(&ctx, &d, kind, &form, &FormErrors::default(), None))
}

/// Where the sheet's point lies (commune, EPCI, département), by the finest outline that holds it.
fn placement_of(conn: &mut storage::DbConnection, entry: &NewEntry) -> Result<Placement, AppError> {
    match entry.location {
        Some(l) => Ok(placement_at(conn, l.lon, l.lat)?),
        None => Ok(Placement::default()),
    }
}

pub async fn create(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<SheetForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let (d, access) = diagnostic_to_contribute(&state, &ctx, project_id, collectivity_id).await?;
    let kind =
        EntryKind::from_slug(&form.kind).ok_or_else(|| AppError::BadRequest("Nature de fiche inconnue.".into()))?;
    let entry = match NewEntry::parse(kind, &form.fields(), &d.categories.codes(kind)) {
        Ok(entry) => entry,
        Err(errors) => return Ok(unprocessable(form_page(&ctx, &d, kind, &form, &FormErrors::from(errors), None))),
    };
    let (place, author, territory) = (d.place, author(&access)?, d.territory.name.clone());
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let placement = placement_of(conn, &entry)?;
                Ok::<_, AppError>(diagnostic::contribute_entry(conn, place, &territory, &entry, &placement, author)?)
            })
        })
        .await?;
    ctx.set_flash(if author.publishes {
        "Fiche ajoutée au diagnostic."
    } else {
        "Fiche proposée : elle apparaîtra sur la carte quand le prestataire l’aura validée."
    });
    Ok(see_other(&sheet_path(place, id)))
}

/// A sheet of the territory that the person may read, or not found.
async fn sheet_of(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    collectivity_id: i64,
    entry_id: i64,
) -> Result<(Diagnostic, Access, MapEntry), AppError> {
    let (d, access) = diagnostic_for(state, ctx, project_id, collectivity_id).await?;
    let entry = state.db(move |conn| Ok(diagnostic::find_entry(conn, entry_id)?)).await?;
    let entry = entry
        .filter(|e| e.project_id == project_id && e.collectivity_id == collectivity_id)
        .ok_or(AppError::NotFound)?;
    if !may_read(&access, &entry) {
        return Err(AppError::NotFound);
    }
    Ok((d, access, entry))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RelationForm {
    to_id: String,
    kind: String,
    intensity: String,
    note: String,
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id, entry_id) = path.into_inner();
    let (d, access, entry) = sheet_of(&state, &ctx, project_id, collectivity_id, entry_id).await?;
    Ok(sheet_page(&ctx, &d, &access, &entry, &RelationForm::default(), &FormErrors::default()))
}

/// The sheet's place within the territory's outline, when it has a point and the outline is known (a lone marker
/// says nothing without it).
pub fn sheet_picture(d: &Diagnostic, entry: &MapEntry) -> Option<Markup> {
    let kind = entry.kind();
    let (lon, lat) = entry.location()?;
    d.perimeter.as_ref()?;
    let marker = Marker { lon, lat, kind, rank: d.categories.rank(kind, &entry.category), name: &entry.name };
    draw_map(d.perimeter.as_ref(), &[marker], &format!("{} sur la carte {}", entry.name, de(&d.territory.name)), 320.0)
}

/// What a sheet says of itself: where it is, then its fields; a public map's leaves out its resources and contact
/// (as its exports do).
pub fn identity_facts(d: &Diagnostic, entry: &MapEntry, public: bool) -> Markup {
    let facts: Vec<(&str, &str)> = [
        (entry.kind().description_label(), entry.description.as_str()),
        ("Publics touchés", entry.publics.as_str()),
        ("Ressources", if public { "" } else { entry.resources.as_str() }),
        ("Façon d’associer les habitants", entry.engagement.as_str()),
        ("Horaires", entry.opening_hours.as_str()),
        ("Accessibilité", entry.accessibility.as_str()),
        ("Contact institutionnel", if public { "" } else { entry.contact.as_str() }),
        ("Liens", entry.links.as_str()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    html! {
        dl class="facts" {
            dt { "Territoire" } dd { (d.territory.name) }
            @if let Some(commune) = d.places.name(entry.commune_id) { dt { "Commune" } dd { (commune) " (" (d.places.code(entry.commune_id).unwrap_or_default()) ")" } }
            @if let Some(epci) = d.places.name(entry.epci_id) { dt { "Intercommunalité" } dd { (epci) } }
            @if let Some(code) = &entry.departement_code {
                dt { "Département" } dd { (d.places.departement(Some(code)).unwrap_or_default()) " (" (code) ")" }
            }
            @if !entry.address.is_empty() { dt { "Adresse" } dd { (entry.address) } }
            @if let Some((lon, lat)) = entry.location() {
                dt { "Position" }
                dd {
                    (format!("{lat:.5}, {lon:.5}").replace('.', ",").replacen(", ", " ; ", 1)) " "
                    a class="no-print" href=(format!("https://www.openstreetmap.org/?mlat={lat:.6}&mlon={lon:.6}#map=17/{lat:.6}/{lon:.6}")) rel="noopener noreferrer" {
                        "voir sur OpenStreetMap" span class="visually-hidden" { " (site externe)" }
                    }
                }
            }
            @for (label, value) in &facts { dt { (label) } dd { (paragraphs(value)) } }
        }
    }
}

fn sheet_page(
    ctx: &PageCtx,
    d: &Diagnostic,
    access: &Access,
    entry: &MapEntry,
    form: &RelationForm,
    errors: &FormErrors,
) -> Markup {
    let kind = entry.kind();
    let path = sheet_path(d.place, entry.id);
    let relations: Vec<_> = d.relations.iter().filter(|r| r.from_id == entry.id || r.to_id == entry.id).collect();
    let sources: Vec<_> = d
        .sources
        .iter()
        .filter(|s| s.status() == Status::Published && d.mentions.contains(&(s.id, entry.id)))
        .collect();
    let name = |id: i64| d.entry(id).map(|e| e.name.as_str()).unwrap_or("?");
    let picture = sheet_picture(d, entry);
    let contributes = may_contribute(access, d.place.collectivity_id) && entry.status() == Status::Published;
    page(
        ctx,
        &entry.name,
        html! {
            p class="breadcrumb" {
                a href=(project_path(d.project.id)) { (d.project.title) } " › "
                a href=(diagnostic_path(d.place.project_id, d.place.collectivity_id)) { "Diagnostic " (de(&d.territory.name)) }
            }
            article class="sheet" {
                p class="kicker" { (kind.label()) " · " (d.category_label(entry)) " · " (entry.domain().label()) }
                h1 { (entry.name) }
                @if entry.status() != Status::Published {
                    div class="notice notice-warning" {
                        p class="notice-title" { (entry.status().label()) }
                        @if !entry.review_note.is_empty() { p { "Note du prestataire : " (entry.review_note) } }
                    }
                }
                (identity_facts(d, entry, false))
                @if let Some(picture) = picture { figure class="map map-small" { (picture) } }
                section aria-labelledby="relations" {
                    h2 id="relations" { "Relations (" (relations.len()) ")" }
                    @if relations.is_empty() { p { "Aucune relation connue." } }
                    @else {
                        ul {
                            @for r in &relations {
                                li {
                                    a href=(sheet_path(d.place, r.from_id)) { (name(r.from_id)) } " " (r.kind().label()) " "
                                    a href=(sheet_path(d.place, r.to_id)) { (name(r.to_id)) }
                                    " — " (intensity_label(r.intensity).to_lowercase())
                                    @if !r.note.is_empty() { " (" (r.note) ")" }
                                    @if r.status() == Status::Proposed { " — " em { "en attente de validation" } }
                                    @if access.leads() {
                                        form class="inline no-print" method="post" action={ (path) "/relations/" (r.id) "/suppression" } {
                                            (csrf_field(ctx))
                                            " " button class="link-button" type="submit" { "Retirer" span class="visually-hidden" { " la relation avec " (name(if r.from_id == entry.id { r.to_id } else { r.from_id })) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !sources.is_empty() {
                    section aria-labelledby="sources-fiche" {
                        h2 id="sources-fiche" { "Sources qui en parlent" }
                        ul { @for s in &sources { li { a href=(source_path(d.place, s.id)) { (s.title) } " (" (s.kind().label().to_lowercase()) ")" } } }
                    }
                }
                (d.inspired(access, Evidence::Sheet(entry.id)))
            }
            p class="hint no-print" { "Pour imprimer la fiche, utilisez la commande Imprimer de votre navigateur : menus et formulaires sont laissés de côté." }
            @if contributes && kind == EntryKind::Actor {
                (relation_form(ctx, d, entry, form, errors))
            }
            @if may_edit(access, entry) {
                section aria-labelledby="gerer" class="no-print" {
                    h2 id="gerer" { "Gérer la fiche" }
                    div class="actions" {
                        a class="button" href={ (path) "/modifier" } { "Modifier" }
                        form class="inline" method="post" action={ (path) "/suppression" } {
                            (csrf_field(ctx))
                            button class="button danger" type="submit" { "Supprimer la fiche et ses relations" }
                        }
                    }
                }
            }
        },
    )
}

fn relation_form(ctx: &PageCtx, d: &Diagnostic, entry: &MapEntry, form: &RelationForm, errors: &FormErrors) -> Markup {
    let mut targets = vec![(String::new(), "Choisir…".to_owned())];
    for kind in EntryKind::ALL {
        for other in d.published().filter(|e| e.kind() == kind && e.id != entry.id) {
            targets.push((other.id.to_string(), format!("{} ({})", other.name, kind.label().to_lowercase())));
        }
    }
    let mut kinds = vec![(String::new(), "Choisir…".to_owned())];
    kinds.extend(
        RelationKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), format!("{} … {}", k.label(), k.target().label().to_lowercase()))),
    );
    let intensities: Vec<(String, &str)> = INTENSITIES.iter().map(|(i, l)| (i.to_string(), *l)).collect();
    let intensities: Vec<(&str, &str)> = intensities.iter().map(|(i, l)| (i.as_str(), *l)).collect();
    let intensity = if form.intensity.is_empty() { "2" } else { form.intensity.as_str() };
    html! {
        section aria-labelledby="relier" class="no-print" {
            h2 id="relier" { "Ajouter une relation" }
            (errors.summary())
            form class="form" method="post" action={ (sheet_path(d.place, entry.id)) "/relations" } novalidate {
                (csrf_field(ctx))
                (select("kind", &format!("{} …", entry.name), &kinds, &form.kind, Some("Coopération avec un autre acteur, espace qu’il anime ou utilise, objet qu’il porte ou auquel il participe."), errors))
                (select("to_id", "… avec", &targets, &form.to_id, None, errors))
                (radio_group("intensity", "Intensité", &intensities, intensity, errors))
                (Field::new("note", "Note").value(&form.note).hint("Par exemple : « convention depuis 2023 », « se croisent au conseil citoyen ».").optional().render(errors))
                button class="button" type="submit" { "Ajouter la relation" }
            }
        }
    }
}

pub async fn add_relation(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<RelationForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, entry_id) = path.into_inner();
    let (d, access, entry) = sheet_of(&state, &ctx, project_id, collectivity_id, entry_id).await?;
    if !may_contribute(&access, collectivity_id) || entry.status() != Status::Published {
        return Err(AppError::Forbidden);
    }
    let to = form.to_id.parse::<i64>().ok().and_then(|id| d.published().find(|e| e.id == id)).map(|e| (e.id, e.kind()));
    let relation = match NewRelation::parse((entry.id, entry.kind()), to, &form.kind, &form.intensity, &form.note) {
        Ok(relation) => relation,
        Err(errors) => {
            return Ok(unprocessable(sheet_page(&ctx, &d, &access, &entry, &form, &FormErrors::from(errors))))
        }
    };
    let (place, author) = (d.place, author(&access)?);
    let added = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(diagnostic::add_relation(conn, place, &relation, author)?)
            })
        })
        .await?;
    if added.is_none() {
        let mut errors = FormErrors::default();
        errors.add("to_id", "Cette relation est déjà sur la carte.");
        return Ok(unprocessable(sheet_page(&ctx, &d, &access, &entry, &form, &errors)));
    }
    ctx.set_flash(if author.publishes {
        "Relation ajoutée."
    } else {
        "Relation proposée : le prestataire la validera."
    });
    Ok(see_other(&sheet_path(place, entry_id)))
}

pub async fn remove_relation(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, entry_id, relation_id) = path.into_inner();
    let (d, access, _) = sheet_of(&state, &ctx, project_id, collectivity_id, entry_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    let place = d.place;
    let removed = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let relation = diagnostic::find_relation(conn, relation_id)?;
                let ours = relation.is_some_and(|r| {
                    r.project_id == place.project_id
                        && r.collectivity_id == place.collectivity_id
                        && (r.from_id == entry_id || r.to_id == entry_id)
                });
                Ok::<_, AppError>(ours && diagnostic::delete_relation(conn, relation_id)?)
            })
        })
        .await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    ctx.set_flash("Relation retirée.");
    Ok(see_other(&sheet_path(place, entry_id)))
}

/// A sheet the person may change or delete, with its territory's diagnostic.
async fn editable_sheet(
    state: &AppState,
    ctx: &PageCtx,
    (project_id, collectivity_id, entry_id): (i64, i64, i64),
) -> Result<(Diagnostic, MapEntry), AppError> {
    let (d, access, entry) = sheet_of(state, ctx, project_id, collectivity_id, entry_id).await?;
    if !may_edit(&access, &entry) {
        return Err(AppError::Forbidden);
    }
    Ok((d, entry))
}

pub async fn edit_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<Markup, AppError> {
    let (d, entry) = editable_sheet(&state, &ctx, path.into_inner()).await?;
    Ok(form_page(&ctx, &d, entry.kind(), &SheetForm::of(&entry), &FormErrors::default(), Some(entry.id)))
}

pub async fn update(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<SheetForm>,
) -> Result<HttpResponse, AppError> {
    let (d, entry) = editable_sheet(&state, &ctx, path.into_inner()).await?;
    let entry_id = entry.id;
    let kind = entry.kind();
    let checked = match NewEntry::parse(kind, &form.fields(), &d.categories.codes(kind)) {
        Ok(checked) => checked,
        Err(errors) => {
            return Ok(unprocessable(form_page(&ctx, &d, kind, &form, &FormErrors::from(errors), Some(entry_id))))
        }
    };
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let placement = placement_of(conn, &checked)?;
                Ok::<_, AppError>(diagnostic::update_entry(conn, entry_id, &checked, &placement)?)
            })
        })
        .await?;
    ctx.set_flash("Fiche enregistrée.");
    Ok(see_other(&sheet_path(d.place, entry_id)))
}

pub async fn delete(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (d, entry) = editable_sheet(&state, &ctx, path.into_inner()).await?;
    let entry_id = entry.id;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(diagnostic::delete_entry(conn, entry_id)?))
        })
        .await?;
    ctx.set_flash(&format!("La fiche « {} » et ses relations ont été supprimées.", entry.name));
    Ok(see_other(&diagnostic_path(d.place.project_id, d.place.collectivity_id)))
}
