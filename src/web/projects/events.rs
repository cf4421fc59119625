//! A project's meetings and seminars: planned by the agency or the provider, registration of the participants'
//! people, minutes after the event, iCalendar download. Dates and titles are public; details, registrations and
//! minutes belong to the working space.

use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use maud::{html, Markup};
use serde::Deserialize;

use super::access::{project_and_access, Access};
use super::community::supervision::{self, NoteForm, SupervisionView};
use super::paths::{event_path, plan_path, project_path, workshop_path};
use crate::domain::calendar::{event_uid, ics, location, CalendarEvent};
use crate::domain::markdown::Markdown;
use crate::domain::project::{parse_minutes, EventInput, EventKind, NewEvent};
use crate::domain::text::de;
use crate::storage;
use crate::storage::collectivities::{members_of_collectivity, territory_of_collectivity};
use crate::storage::events::{self, Event, Registration};
use crate::storage::projects::{self, Project};
use crate::web::context::PageCtx;
use crate::web::views::{
    csrf_field, date_fr, optional_textarea, page_with_errors, paragraphs, see_other, select, textarea, unprocessable,
    Field, FormErrors,
};
use crate::web::{AppError, AppState};

fn when(event: &Event) -> String {
    let same_day = event.starts_at.date() == event.ends_at.date();
    if same_day {
        format!(
            "{}, de {} à {}",
            date_fr(event.starts_at),
            event.starts_at.format("%Hh%M"),
            event.ends_at.format("%Hh%M")
        )
    } else {
        format!(
            "du {} à {} au {} à {}",
            date_fr(event.starts_at),
            event.starts_at.format("%Hh%M"),
            date_fr(event.ends_at),
            event.ends_at.format("%Hh%M")
        )
    }
}

/// The project's calendar on its page: upcoming and past events.
pub fn agenda(project: &Project, events: &[(Event, Option<String>)], access: &Access, now: NaiveDateTime) -> Markup {
    let (past, upcoming): (Vec<_>, Vec<_>) = events.iter().partition(|(e, _)| e.ends_at < now);
    let item = |(event, territory): &&(Event, Option<String>)| {
        html! {
            li {
                @if access.reads_working_space() { a href=(event_path(project.id, event.id)) { (event.title) } } @else { (event.title) }
                " — " (event.kind().label())
                @if let Some(t) = territory { " à " (t) } @else if event.kind() != EventKind::Meeting { " (inter-sites)" }
                ", " (when(event))
                @if !event.confirmed { " " span class="badge" { "date à confirmer" } }
                @if access.reads_working_space() && event.minutes.is_some() { " · compte rendu disponible" }
            }
        }
    };
    html! {
        section aria-labelledby="rendez-vous" {
            h2 id="rendez-vous" { "Rendez-vous" }
            @if access.leads() && project.phase() != crate::domain::project::Phase::Closed {
                p { a class="button" href={ (project_path(project.id)) "/evenements/nouveau" } { "Planifier un rendez-vous" } }
            }
            @if upcoming.is_empty() { p { "Aucun rendez-vous à venir." } }
            @else { h3 { "À venir" } ul { @for e in &upcoming { (item(e)) } } }
            @if !past.is_empty() { h3 { "Passés" } ul { @for e in past.iter().rev() { (item(e)) } } }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EventForm {
    kind: String,
    title: String,
    description: String,
    starts_at: String,
    ends_at: String,
    place: String,
    online_url: String,
    collectivity_id: String,
}

impl EventForm {
    /// The event the form describes, of this kind and territory (an event changed keeps its own).
    fn parse(&self, kind: &str, collectivity_id: &str) -> Result<NewEvent, Vec<(&'static str, String)>> {
        NewEvent::parse(&EventInput {
            kind,
            title: &self.title,
            description: &self.description,
            starts_at: &self.starts_at,
            ends_at: &self.ends_at,
            place: &self.place,
            online_url: &self.online_url,
            collectivity_id,
        })
    }
}

fn event_form_page(
    ctx: &PageCtx,
    project: &Project,
    territories: &[(i64, String)],
    editing: Option<&Event>,
    form: &EventForm,
    errors: &FormErrors,
) -> Markup {
    // A workshop is planned from its territory's co-design page, which gives it its step.
    let kinds: Vec<(String, String)> = EventKind::ALL
        .iter()
        .filter(|k| **k != EventKind::Workshop)
        .map(|k| (k.code().to_owned(), k.label().to_owned()))
        .collect();
    let mut hosts = vec![(String::new(), "Inter-sites (tous les territoires)".to_owned())];
    hosts.extend(territories.iter().map(|(id, name)| (id.to_string(), name.clone())));
    let title = if editing.is_some() { "Modifier le rendez-vous" } else { "Planifier un rendez-vous" };
    let action = match editing {
        Some(event) => event_path(project.id, event.id),
        None => format!("{}/evenements", project_path(project.id)),
    };
    page_with_errors(
        ctx,
        title,
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › " (title) }
            h1 { (title) }
            @if let Some(event) = editing {
                p {
                    (event.kind().label())
                    @if let Some(host) = event.collectivity_id.and_then(|c| territories.iter().find(|(id, _)| *id == c)) { " à " (host.1) }
                    "."
                    @if !event.confirmed { " Sa date est celle que propose le calendrier du programme : en enregistrant, vous la confirmez et le rendez-vous est annoncé aux personnes qui suivent le projet." }
                    @else { " Une nouvelle date est annoncée aux personnes qui suivent le projet." }
                }
            }
            (errors.summary())
            form class="form" method="post" action=(action) novalidate {
                (csrf_field(ctx))
                @if editing.is_none() { (select("kind", "Type de rendez-vous", &kinds, &form.kind, None, errors)) }
                (Field::new("title", "Titre").value(&form.title).render(errors))
                (optional_textarea("description", "Présentation", &form.description, "Ordre du jour, public attendu, ce qu’il faut préparer.", errors))
                (Field::new("starts_at", "Début").kind("datetime-local").value(&form.starts_at).hint("Heure de Paris. Format JJ/MM/AAAA HH:MM si votre navigateur ne propose pas de calendrier.").render(errors))
                (Field::new("ends_at", "Fin").kind("datetime-local").value(&form.ends_at).render(errors))
                (Field::new("place", "Lieu").value(&form.place).hint("Adresse ou salle ; laissez vide pour un rendez-vous uniquement en ligne.").optional().render(errors))
                (Field::new("online_url", "Lien de visioconférence").kind("url").value(&form.online_url).hint("Communiqué aux seules personnes de l’espace de travail.").optional().render(errors))
                @if editing.is_none() {
                    (select("collectivity_id", "Territoire d’accueil", &hosts, &form.collectivity_id, Some("Pour un séminaire local ; « inter-sites » sinon."), errors))
                }
                button class="button" type="submit" {
                    @match editing { Some(e) if !e.confirmed => { "Confirmer le rendez-vous" } Some(_) => { "Enregistrer" } None => { "Planifier" } }
                }
            }
        },
    )
}

/// The project if the person leads its work (agency or provider).
async fn led_project(state: &AppState, ctx: &PageCtx, id: i64) -> Result<(Project, Access), AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    Ok((project, access))
}

/// What a link to the form may fill in: a restitution's page asks for a meeting of its territory.
#[derive(Deserialize)]
pub struct NewEventQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    territoire: Option<String>,
}

pub async fn new_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<NewEventQuery>,
) -> Result<Markup, AppError> {
    let (project, _) = led_project(&state, &ctx, id.into_inner()).await?;
    let pid = project.id;
    let territories = state.db(move |conn| Ok(projects::participant_territories(conn, pid)?)).await?;
    let query = query.into_inner();
    let form = EventForm {
        kind: query.kind.unwrap_or_default(),
        collectivity_id: query.territoire.unwrap_or_default(),
        ..EventForm::default()
    };
    Ok(event_form_page(&ctx, &project, &territories, None, &form, &FormErrors::default()))
}

pub async fn create(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<EventForm>,
) -> Result<HttpResponse, AppError> {
    let (project, access) = led_project(&state, &ctx, id.into_inner()).await?;
    let user = access.require_user()?.clone();
    let pid = project.id;
    let territories = state.db(move |conn| Ok(projects::participant_territories(conn, pid)?)).await?;
    let parsed = form.parse(&form.kind, &form.collectivity_id);
    let mut errors = FormErrors::default();
    let event = match parsed {
        Ok(event) if event.kind == EventKind::Workshop => {
            errors.add("kind", "Un atelier se prépare depuis la page « Croisement des regards » de son territoire.");
            None
        }
        Ok(event) if event.collectivity_id.is_some_and(|c| !territories.iter().any(|(id, _)| *id == c)) => {
            errors
                .add("collectivity_id", "Ce territoire n’est pas participant au projet : choisissez-le dans la liste.");
            None
        }
        Ok(event) => Some(event),
        Err(field_errors) => {
            errors = FormErrors::from(field_errors);
            None
        }
    };
    let Some(event) = event else {
        return Ok(unprocessable(event_form_page(&ctx, &project, &territories, None, &form, &errors)));
    };
    if project.phase() == crate::domain::project::Phase::Closed {
        return Err(AppError::BadRequest("Le projet est clos : plus de rendez-vous à planifier.".into()));
    }
    let (title, base_url) = (project.title.clone(), state.config.base_url.clone());
    let (event_id, invited) = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let id = events::insert_event(conn, pid, &event, user.id, &title)?;
                // A restitution's meeting: the territory's inquiry group comes along.
                let planned = events::find_event(conn, pid, id)?.ok_or(AppError::NotFound)?;
                let invited = crate::jobs::invite_attendees(conn, &planned, &base_url)?;
                Ok::<_, AppError>((id, invited))
            })
        })
        .await?;
    match invited {
        Some(n) => ctx.set_flash(&format!(
            "Rendez-vous planifié. {n} membre{s} du groupe d’enquête {} invité{s} par courriel ; prévenez les autres.",
            if n > 1 { "sont" } else { "est" },
            s = if n > 1 { "s" } else { "" }
        )),
        None => ctx.set_flash("Rendez-vous planifié."),
    }
    Ok(see_other(&event_path(pid, event_id)))
}

/// The form of an event as it stands (times as the browser's `datetime-local` writes them).
fn form_of(event: &Event) -> EventForm {
    EventForm {
        kind: event.kind().code().to_owned(),
        title: event.title.clone(),
        description: event.description.clone(),
        starts_at: event.starts_at.format("%Y-%m-%dT%H:%M").to_string(),
        ends_at: event.ends_at.format("%Y-%m-%dT%H:%M").to_string(),
        place: event.place.clone().unwrap_or_default(),
        online_url: event.online_url.clone().unwrap_or_default(),
        collectivity_id: event.collectivity_id.map(|c| c.to_string()).unwrap_or_default(),
    }
}

/// The event the leads change, with the project's participant territories.
async fn editable_event(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    event_id: i64,
) -> Result<(Project, Access, Event, Vec<(i64, String)>), AppError> {
    let (project, access) = led_project(state, ctx, project_id).await?;
    if project.phase() == crate::domain::project::Phase::Closed {
        return Err(AppError::BadRequest("Le projet est clos : ses rendez-vous ne changent plus.".into()));
    }
    let (event, territories) = state
        .db(move |conn| {
            let event = events::find_event(conn, project_id, event_id)?.ok_or(AppError::NotFound)?;
            Ok((event, projects::participant_territories(conn, project_id)?))
        })
        .await?;
    Ok((project, access, event, territories))
}

pub async fn edit_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, event_id) = path.into_inner();
    let (project, _, event, territories) = editable_event(&state, &ctx, project_id, event_id).await?;
    Ok(event_form_page(&ctx, &project, &territories, Some(&event), &form_of(&event), &FormErrors::default()))
}

/// Changes an event (its kind and territory stay) and confirms it.
pub async fn update(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<EventForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, event_id) = path.into_inner();
    let (project, access, event, territories) = editable_event(&state, &ctx, project_id, event_id).await?;
    let user = access.require_user()?.clone();
    let kept = form_of(&event);
    let parsed = form.parse(&kept.kind, &kept.collectivity_id);
    let changed = match parsed {
        Ok(changed) => changed,
        Err(errors) => {
            let page = event_form_page(&ctx, &project, &territories, Some(&event), &form, &FormErrors::from(errors));
            return Ok(unprocessable(page));
        }
    };
    let (title, base_url) = (project.title.clone(), state.config.base_url.clone());
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                // Read again under the write lock: a double click confirms once.
                let event = events::find_event(conn, project_id, event_id)?.ok_or(AppError::NotFound)?;
                let updated = events::update_event(conn, &event, &changed, user.id, &title)?;
                // Those it is for are invited to it confirmed, and again when it moves.
                crate::jobs::invite_attendees(conn, &updated, &base_url)?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    ctx.set_flash(if event.confirmed { "Rendez-vous modifié." } else { "Rendez-vous confirmé : il est annoncé." });
    Ok(see_other(&event_path(project_id, event_id)))
}

struct EventView {
    project: Project,
    event: Event,
    territory: Option<String>,
    registrations: Vec<Registration>,
    /// People the viewer may register, per participant collectivity they belong to.
    registrable: Vec<Registrable>,
    /// A supervision session's attendance and notes.
    supervision: Option<SupervisionView>,
}

/// A participant collectivity of the viewer's and the people the viewer may register for it.
struct Registrable {
    collectivity_id: i64,
    name: String,
    /// (user id, display name)
    people: Vec<(i64, String)>,
}

/// The event for someone of the project's working space.
async fn load_event(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    event_id: i64,
) -> Result<(EventView, Access), AppError> {
    ctx.require_user()?;
    let (project, access) = project_and_access(state, ctx, project_id).await?;
    if !access.in_community() && !access.steering {
        return Err(AppError::Forbidden);
    }
    let participant_of = access.participant_of.clone();
    let referent_of: Vec<i64> = access.referent_of.iter().map(|(m, _)| m.collectivity_id).collect();
    let viewer = access.require_user()?.clone();
    let (in_working_space, leads) = (access.reads_working_space(), access.leads());
    let view = state
        .db(move |conn| {
            let event = events::find_event(conn, project.id, event_id)?.ok_or(AppError::NotFound)?;
            // The delegations' members outside the working space see the community's sessions only.
            if !in_working_space && !event.kind().is_community() {
                return Err(AppError::Forbidden);
            }
            let supervision = match event.kind() {
                EventKind::Supervision => {
                    Some(supervision::load(conn, &project, &event, (viewer.id, &viewer.display_name), leads)?)
                }
                _ => None,
            };
            let territory = match event.collectivity_id {
                Some(c) => territory_of_collectivity(conn, c)?.map(|t| t.name),
                None => None,
            };
            let mut registrable = Vec::new();
            for collectivity_id in participant_of {
                let name = territory_of_collectivity(conn, collectivity_id)?.map(|t| t.name).unwrap_or_default();
                // A referent registers any member of the collectivity; a member, themself.
                let people = members_of_collectivity(conn, collectivity_id)?
                    .into_iter()
                    .filter(|(_, u)| referent_of.contains(&collectivity_id) || u.id == viewer.id)
                    .map(|(_, u)| (u.id, u.display_name))
                    .collect();
                registrable.push(Registrable { collectivity_id, name, people });
            }
            Ok(EventView {
                registrations: events::registrations_of_event(conn, event.id)?,
                project,
                event,
                territory,
                registrable,
                supervision,
            })
        })
        .await?;
    Ok((view, access))
}

/// A form of the event page sent back with its errors.
enum Refused<'a> {
    None,
    Minutes(&'a str, &'a FormErrors),
    Note(&'a str, &'a FormErrors),
}

fn event_page(ctx: &PageCtx, view: &EventView, access: &Access, refused: Refused) -> Markup {
    let (project, event) = (&view.project, &view.event);
    let path = event_path(project.id, event.id);
    let started = event.starts_at <= storage::now();
    let no_errors = FormErrors::default();
    let (minutes_text, minutes_errors) = match refused {
        Refused::Minutes(text, errors) => (text, errors),
        _ => (event.minutes.as_deref().unwrap_or(""), &no_errors),
    };
    let note = match refused {
        Refused::Note(text, errors) => Some((text, errors)),
        _ => None,
    };
    page_with_errors(
        ctx,
        &event.title,
        note.map_or(minutes_errors, |(_, errors)| errors),
        html! {
            p class="breadcrumb" { a href=(project_path(project.id)) { (project.title) } " › Rendez-vous" }
            h1 { (event.title) }
            p class="meta" {
                (event.kind().label())
                @if let Some(t) = &view.territory { " à " (t) } @else { " inter-sites" }
                " · " (when(event))
            }
            dl class="facts" {
                @if let Some(place) = &event.place { dt { "Lieu" } dd { (place) } }
                @if let Some(url) = &event.online_url { dt { "En ligne" } dd { a href=(url) rel="noopener noreferrer" { (url) } } }
            }
            @if !event.confirmed {
                p class="notice" { "Date indicative, proposée par le calendrier du programme du projet : elle reste à confirmer." }
            }
            @if access.leads() && project.phase() != crate::domain::project::Phase::Closed {
                p { a href={ (path) "/modifier" } { @if event.confirmed { "Modifier le rendez-vous" } @else { "Ajuster et confirmer le rendez-vous" } } }
            }
            p { a href={ (path) "/calendrier.ics" } download { "Ajouter à mon agenda (fichier .ics)" } }
            @if let (EventKind::Workshop, Some(collectivity_id)) = (event.kind(), event.collectivity_id) {
                p { a href=(workshop_path(project.id, collectivity_id, event.id)) { "La page de l’atelier : idées, notes, points et synthèse" } }
            }
            @if let (EventKind::Restitution, Some(collectivity_id)) = (event.kind(), event.collectivity_id) {
                p { a href=(super::paths::restitution_path(project.id, collectivity_id)) { "La restitution du territoire" }
                    " · " a href={ (super::paths::restitution_path(project.id, collectivity_id)) "/portee" } { "Noter qui la rencontre a touché" } }
            }
            @if let (EventKind::FollowUp, Some(collectivity_id)) = (event.kind(), event.collectivity_id) {
                p { a href={ (plan_path(project.id, collectivity_id)) "/suivi" } { "La revue de suivi du plan d’action" } }
            }
            @if !event.description.is_empty() { (paragraphs(&event.description)) }
            section aria-labelledby="inscriptions" {
                h2 id="inscriptions" { "Inscriptions (" (view.registrations.len()) ")" }
                @if view.registrations.is_empty() { p { "Personne n’est encore inscrit." } }
                @else { ul { @for r in &view.registrations { li { (r.display_name) " — " (r.collectivity_name) } } } }
                @for Registrable { collectivity_id, name, people } in &view.registrable {
                    @let field = format!("person-{collectivity_id}");
                    form class="form inline-form" method="post" action={ (path) "/inscription" } {
                        (csrf_field(ctx))
                        input type="hidden" name="collectivity_id" value=(collectivity_id);
                        div class="field" {
                            label for=(field) { "Personne " (de(name)) }
                            select id=(field) name="user_id" {
                                @for (id, person) in people { option value=(id) { (person) @if view.registrations.iter().any(|r| r.user_id == *id) { " (inscrite)" } } }
                            }
                        }
                        button class="button" type="submit" name="action" value="register" { "Inscrire" }
                        " "
                        button class="button secondary" type="submit" name="action" value="unregister" { "Désinscrire" }
                    }
                }
            }
            @if let Some(supervision) = &view.supervision {
                (supervision::section(ctx, event, supervision, access.leads(), note))
            } @else {
                (minutes_section(ctx, event, access, started, (minutes_text, minutes_errors)))
            }
        },
    )
}

/// The minutes of an event held: read by the working space, written by the leads.
fn minutes_section(
    ctx: &PageCtx,
    event: &Event,
    access: &Access,
    started: bool,
    (minutes_text, minutes_errors): (&str, &FormErrors),
) -> Markup {
    let path = event_path(event.project_id, event.id);
    html! {
        section aria-labelledby="compte-rendu" {
            h2 id="compte-rendu" { "Compte rendu" }
            @if let Some(text) = &event.minutes { div class="markdown" { (Markdown(text)) } }
            @else { p { @if started { "Le compte rendu n’est pas encore en ligne." } @else { "Il sera publié après le rendez-vous." } } }
            @if access.leads() && started {
                (minutes_errors.summary())
                form class="form" method="post" action={ (path) "/compte-rendu" } novalidate {
                    (csrf_field(ctx))
                    (textarea("minutes", "Compte rendu (Markdown accepté)", minutes_text, "Titres avec #, listes avec -, liens [texte](https://…). Réservé à l’espace de travail du projet.", minutes_errors))
                    button class="button" type="submit" { @if event.minutes.is_some() { "Mettre à jour le compte rendu" } @else { "Publier le compte rendu" } }
                }
            }
        }
    }
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, event_id) = path.into_inner();
    let (view, access) = load_event(&state, &ctx, project_id, event_id).await?;
    Ok(event_page(&ctx, &view, &access, Refused::None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegistrationForm {
    collectivity_id: String,
    user_id: String,
    action: String,
}

pub async fn registration(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<RegistrationForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, event_id) = path.into_inner();
    let (view, access) = load_event(&state, &ctx, project_id, event_id).await?;
    let by = access.require_user()?.id;
    let collectivity_id: i64 = form.collectivity_id.trim().parse().map_err(|_| AppError::Forbidden)?;
    let user_id: i64 = form
        .user_id
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("Choisissez la personne dans la liste.".into()))?;
    // Only a person the viewer may register, for a participant collectivity they belong to.
    let person = view
        .registrable
        .iter()
        .find(|r| r.collectivity_id == collectivity_id)
        .and_then(|r| r.people.iter().find(|(id, _)| *id == user_id))
        .cloned()
        .ok_or(AppError::Forbidden)?;
    let register = match form.action.as_str() {
        "register" => true,
        "unregister" => false,
        _ => return Err(AppError::BadRequest("Choisissez d’inscrire ou de désinscrire.".into())),
    };
    let changed = state
        .db(move |conn| {
            Ok(if register {
                events::register(conn, event_id, user_id, collectivity_id, by)?
            } else {
                events::unregister(conn, event_id, user_id)?
            })
        })
        .await?;
    ctx.set_flash(&match (register, changed) {
        (true, true) => format!("{} est inscrite au rendez-vous.", person.1),
        (true, false) => format!("{} était déjà inscrite.", person.1),
        (false, true) => format!("{} est désinscrite.", person.1),
        (false, false) => format!("{} n’était pas inscrite.", person.1),
    });
    Ok(see_other(&format!("{}#inscriptions", event_path(project_id, event_id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MinutesForm {
    minutes: String,
}

pub async fn minutes(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<MinutesForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, event_id) = path.into_inner();
    let (view, access) = load_event(&state, &ctx, project_id, event_id).await?;
    if !access.leads() {
        return Err(AppError::Forbidden);
    }
    if view.event.starts_at > storage::now() {
        return Err(AppError::BadRequest("Le rendez-vous n’a pas encore eu lieu : son compte rendu attendra.".into()));
    }
    if view.supervision.is_some() {
        return Err(AppError::BadRequest(
            "Une séance de supervision n’a pas de compte rendu pour tout le projet : ses notes sont réservées à ses participants."
                .into(),
        ));
    }
    let text = match parse_minutes(&form.minutes) {
        Ok(text) => text,
        Err(message) => {
            let mut errors = FormErrors::default();
            errors.add("minutes", message);
            return Ok(unprocessable(event_page(&ctx, &view, &access, Refused::Minutes(&form.minutes, &errors))));
        }
    };
    let user_id = access.require_user()?.id;
    let event = view.event.clone();
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(events::set_minutes(conn, &event, &text, user_id)?)
            })
        })
        .await?;
    ctx.set_flash("Compte rendu publié.");
    Ok(see_other(&format!("{}#compte-rendu", event_path(project_id, event_id))))
}

/// Someone who attended a supervision session adds a note.
pub async fn supervision_note(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<NoteForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, event_id) = path.into_inner();
    match supervision::add_note(&state, &ctx, project_id, event_id, &form).await? {
        Ok(()) => Ok(see_other(&format!("{}#notes", event_path(project_id, event_id)))),
        Err(errors) => {
            let (view, access) = load_event(&state, &ctx, project_id, event_id).await?;
            Ok(unprocessable(event_page(&ctx, &view, &access, Refused::Note(&form.body, &errors))))
        }
    }
}

pub async fn ics_file(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, event_id) = path.into_inner();
    let (view, _) = load_event(&state, &ctx, project_id, event_id).await?;
    let event = &view.event;
    let url = state.link(&event_path(project_id, event_id));
    let location = location(event.place.as_deref(), event.online_url.as_deref());
    let description = format!("{}\n\nProjet : {}", event.description, view.project.title);
    let body = ics(&[CalendarEvent {
        uid: event_uid(event.id, &state.config.base_url),
        title: &event.title,
        description: description.trim(),
        location: location.as_deref(),
        url: &url,
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        stamp: event.updated_at,
    }]);
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"rendez-vous-{}.ics\"", event.id)))
        .body(body))
}
