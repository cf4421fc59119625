//! The spaces of exchange: the project's forum and its peer groups (with the conclusions each group takes to the
//! agora), their threads, replies, the author's changes within the delay, the facilitators' hiding of a message,
//! and how often each person is told of new messages. Every page enters its space through `storage::threads::enter`:
//! a person who may not read a peer group gets a refusal, never its content.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{community_and_access, require_open};
use crate::domain::community::{
    may_edit, parse_hide_reason, parse_message, parse_submission, Conclusions, NewThread, ThreadKind, EDIT_DELAY,
};
use crate::domain::digest::{Frequency, WEEKDAYS};
use crate::domain::markdown::Markdown;
use crate::security::random_token;
use crate::storage::delegations::{self, Delegate, PeerGroup, Saved};
use crate::storage::projects::Project;
use crate::storage::threads::{self, Edit, Entered, Follower, Message, Space, Thread};
use crate::storage::{self, DbConnection};
use crate::web::context::PageCtx;
use crate::web::projects::paths::{
    agora_path, community_path, forum_path, message_path, peer_group_path, project_path, thread_path,
};
use crate::web::views::{
    csrf_field, moment_fr, page_with_errors, see_other, select, textarea, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

/// A space the person entered, with its project and, for a peer group, the group.
struct InSpace {
    project: Project,
    entered: Entered,
    group: Option<PeerGroup>,
}

impl InSpace {
    fn path(&self) -> String {
        match self.entered.space {
            Space::Forum => forum_path(self.project.id),
            Space::PeerGroup(id) => peer_group_path(self.project.id, id),
        }
    }

    fn name(&self) -> String {
        match &self.group {
            Some(group) => format!("Groupe de pairs « {} »", group.label),
            None => "Forum du projet".into(),
        }
    }

    fn breadcrumb(&self, last: Option<&str>) -> Markup {
        let project = &self.project;
        html! {
            p class="breadcrumb" {
                a href=(project_path(project.id)) { (project.title) } " › "
                a href=(community_path(project.id)) { "Communauté apprenante" } " › "
                @match last {
                    Some(last) => { a href=(self.path()) { (self.name()) } " › " (last) }
                    None => { (self.name()) }
                }
            }
        }
    }
}

/// Enters a space of a project, or refuses.
async fn enter(state: &AppState, ctx: &PageCtx, project_id: i64, space: Space) -> Result<InSpace, AppError> {
    let (project, _) = community_and_access(state, ctx, project_id).await?;
    let user = ctx.require_user()?.clone();
    state
        .db(move |conn| {
            let entered = threads::enter(conn, &project, space, &user)?.ok_or(AppError::Forbidden)?;
            let group = match space {
                Space::Forum => None,
                Space::PeerGroup(id) => delegations::find_peer_group(conn, project.id, id)?,
            };
            Ok(InSpace { project, entered, group })
        })
        .await
}

/// Enters the space of a thread, or refuses; the thread comes back as the space holds it.
async fn enter_thread(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    thread_id: i64,
) -> Result<(InSpace, Thread), AppError> {
    let space = state
        .db(move |conn| Ok(threads::space_of_thread(conn, project_id, thread_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let in_space = enter(state, ctx, project_id, space).await?;
    let entered = in_space.entered.clone();
    let thread =
        state.db(move |conn| Ok(threads::thread_in(conn, &entered, thread_id)?)).await?.ok_or(AppError::NotFound)?;
    Ok((in_space, thread))
}

/// Enters the space of a message, or refuses.
async fn enter_message(
    state: &AppState,
    ctx: &PageCtx,
    project_id: i64,
    message_id: i64,
) -> Result<(InSpace, Thread, Message), AppError> {
    let (_, thread_id) = state
        .db(move |conn| Ok(threads::space_of_message(conn, project_id, message_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let (in_space, thread) = enter_thread(state, ctx, project_id, thread_id).await?;
    let entered = in_space.entered.clone();
    let message =
        state.db(move |conn| Ok(threads::message_in(conn, &entered, message_id)?)).await?.ok_or(AppError::NotFound)?;
    Ok((in_space, thread, message))
}

/// What a space's page shows: its threads, how the person follows it and, for a peer group, its members.
struct SpacePage {
    threads: Vec<(Thread, Option<String>)>,
    follower: Option<Follower>,
    members: Vec<(Delegate, String)>,
    facilitators: Vec<(i64, String)>,
}

fn load_space(conn: &mut DbConnection, in_space: &InSpace) -> Result<SpacePage, AppError> {
    let entered = &in_space.entered;
    let threads = threads::threads_of(conn, entered)?;
    let follower = threads::follower_of(conn, entered.user_id, entered.project_id, entered.space)?;
    let (members, facilitators) = match entered.space {
        Space::Forum => (Vec::new(), Vec::new()),
        Space::PeerGroup(id) => (
            delegations::delegates_of_project(conn, entered.project_id)?
                .into_iter()
                .filter(|(d, _)| d.peer_group_id == id)
                .collect(),
            delegations::facilitators_of(conn, id)?,
        ),
    };
    Ok(SpacePage { threads, follower, members, facilitators })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ThreadForm {
    kind: String,
    title: String,
    body: String,
    submission: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConclusionsForm {
    brings: String,
    needs: String,
    revision: i32,
}

/// A form of a space's page sent back with its errors (or, for the conclusions, beside another's version).
enum Refused<'a> {
    None,
    Thread(&'a ThreadForm, &'a FormErrors),
    Conclusions(&'a ConclusionsForm, &'a FormErrors, Option<&'a PeerGroup>),
}

fn space_page(ctx: &PageCtx, in_space: &InSpace, page: &SpacePage, refused: Refused) -> Markup {
    let project_id = in_space.project.id;
    let none = FormErrors::default();
    let empty = ThreadForm::default();
    let (thread_form, thread_errors) = match &refused {
        Refused::Thread(form, errors) => (*form, *errors),
        _ => (&empty, &none),
    };
    let errors = match &refused {
        Refused::Thread(_, errors) | Refused::Conclusions(_, errors, _) => *errors,
        Refused::None => &none,
    };
    let name = in_space.name();
    page_with_errors(
        ctx,
        &name,
        errors,
        html! {
            (in_space.breadcrumb(None))
            h1 { (name) }
            @match &in_space.group {
                None => p { "Entre les territoires participants : questions, retours d’expérience, obstacles rencontrés, solutions trouvées. Le prestataire et l’agence y prennent part et veillent au respect de chacun." },
                Some(group) => {
                    div class="notice" {
                        p class="notice-title" { "Confidentiel" }
                        @let readers = page.members.iter().filter(|(d, _)| d.user_id.is_some()).count();
                        p { "Ce qui s’écrit ici n’est lu que par les membres de la catégorie « " (group.label) " » qui ont un compte (titulaires et suppléants : " (readers) " personne" @if readers > 1 { "s" } ") et par l’animation"
                            @if page.facilitators.is_empty() { "." } @else { " : " @for (i, (_, n)) in page.facilitators.iter().enumerate() { @if i > 0 { ", " } (n) } "." } }
                        p { "Rien n’en sort : ni l’activité du projet, ni les récapitulatifs des autres, ni les exports. Les courriels de notification disent seulement « nouveau message dans votre groupe de pairs »." }
                    }
                    @if !page.members.is_empty() {
                        h2 { "Membres" }
                        ul { @for (member, territory) in &page.members { li { (member.display_name) " — " (territory) @if member.is_substitute { " (suppléance)" } @if member.user_id.is_none() { " (sans compte)" } } } }
                    }
                }
            }
            (errors.summary())
            (following_form(ctx, &in_space.path(), page.follower.as_ref()))
            section aria-labelledby="fils" {
                h2 id="fils" { "Fils de discussion (" (page.threads.len()) ")" }
                @if page.threads.is_empty() {
                    p { "Aucun fil pour l’instant : ouvrez le premier." }
                } @else {
                    ul class="thread-list" {
                        @for (thread, author) in &page.threads {
                            li {
                                a href=(thread_path(project_id, thread.id)) { (thread.title) }
                                span class="hint" {
                                    " — " (thread.kind().label()) ", par " (author.as_deref().unwrap_or("un compte supprimé")) " (" (thread.affiliation) "), "
                                    (thread.messages_count) " message" @if thread.messages_count > 1 { "s" } ", dernier le " (moment_fr(thread.last_message_at))
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="nouveau-fil" {
                h2 id="nouveau-fil" { "Ouvrir un fil" }
                form class="form" method="post" action=(in_space.path()) novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="submission" value=(submission_of(&thread_form.submission));
                    (kind_select(&thread_form.kind, thread_errors))
                    (Field::new("title", "Titre").value(&thread_form.title).render(thread_errors))
                    (textarea("body", "Message", &thread_form.body, "Markdown accepté : listes avec -, liens [texte](https://…).", thread_errors))
                    button class="button" type="submit" { "Publier" }
                }
            }
            @if let Some(group) = &in_space.group { (conclusions_section(ctx, in_space, group, &refused)) }
        },
    )
}

/// The form's one-time token: the one it was sent with when it comes back refused, else a new one.
fn submission_of(sent: &str) -> String {
    parse_submission(sent).unwrap_or_else(|_| random_token())
}

fn kind_select(selected: &str, errors: &FormErrors) -> Markup {
    let mut options = vec![(String::new(), "Choisir…".to_owned())];
    options.extend(ThreadKind::ALL.iter().map(|k| (k.code().to_owned(), k.label().to_owned())));
    select("kind", "De quoi s’agit-il ?", &options, selected, None, errors)
}

fn following_form(ctx: &PageCtx, space_path: &str, follower: Option<&Follower>) -> Markup {
    let frequency = follower.map_or(Frequency::Off, Follower::frequency);
    let weekday = follower.map_or(1, |f| f.weekday);
    let frequencies: Vec<(String, String)> =
        Frequency::ALL.iter().map(|f| (f.code().to_owned(), f.label().to_owned())).collect();
    let weekdays: Vec<(String, String)> =
        WEEKDAYS.iter().enumerate().map(|(i, d)| ((i + 1).to_string(), d.to_string())).collect();
    let none = FormErrors::default();
    html! {
        details class="following" {
            summary { "Être prévenu·e des nouveaux messages : " strong { (frequency.label().to_lowercase()) } }
            form class="form" method="post" action={ (space_path) "/suivi" } {
                (csrf_field(ctx))
                (select("frequency", "Fréquence", &frequencies, frequency.code(), None, &none))
                (select("weekday", "Jour du récapitulatif hebdomadaire", &weekdays, &weekday.to_string(), None, &none))
                button class="button button-secondary" type="submit" { "Enregistrer" }
            }
        }
    }
}

fn conclusions_section(ctx: &PageCtx, in_space: &InSpace, group: &PeerGroup, refused: &Refused) -> Markup {
    let none = FormErrors::default();
    let current =
        ConclusionsForm { brings: group.brings.clone(), needs: group.needs.clone(), revision: group.revision };
    let (form, errors, other) = match refused {
        Refused::Conclusions(form, errors, other) => (*form, *errors, *other),
        _ => (&current, &none, None),
    };
    let path = peer_group_path(in_space.project.id, group.id);
    html! {
        section aria-labelledby="conclusions" {
            h2 id="conclusions" { "Nos conclusions pour l’agora" }
            @match group.published_at {
                Some(at) => p { "Partagées avec tout le projet le " (moment_fr(at)) " : " a href=(agora_path(in_space.project.id)) { "les lire à l’agora" } ". Une correction s’y voit aussitôt." },
                None => p { "Le groupe les écrit ensemble ; l’animation les partage à l’agora, avec tout le projet. Jusque-là, elles restent ici." },
            }
            @if let Some(other) = other {
                div class="notice notice-warning" {
                    p class="notice-title" { "Quelqu’un a enregistré pendant que vous écriviez" }
                    p { "Voici sa version ; la vôtre est dans le formulaire. Reprenez ce qui doit l’être, puis enregistrez à nouveau." }
                    h3 { "Ce que nous pouvons apporter aux autres (sa version)" }
                    div class="markdown" { (Markdown(&other.brings)) }
                    h3 { "Ce dont nous avons besoin d’eux (sa version)" }
                    div class="markdown" { (Markdown(&other.needs)) }
                }
            }
            form class="form" method="post" action={ (path) "/conclusions" } novalidate {
                (csrf_field(ctx))
                input type="hidden" name="revision" value=(other.map_or(form.revision, |o| o.revision));
                (textarea("brings", "Ce que nous pouvons apporter aux autres catégories", &form.brings, "Savoirs, moyens, réseaux, manières de faire…", errors))
                (textarea("needs", "Ce dont nous avons besoin d’elles", &form.needs, "Ce que les autres catégories pourraient faire pour nous.", errors))
                button class="button" type="submit" { "Enregistrer les conclusions" }
            }
            @if in_space.entered.moderates && group.published_at.is_none() {
                form method="post" action={ (path) "/conclusions/publication" } {
                    (csrf_field(ctx))
                    button class="button button-secondary" type="submit" { "Partager à l’agora" }
                }
            }
        }
    }
}

async fn render_space(
    state: &AppState,
    ctx: &PageCtx,
    in_space: InSpace,
    refused: Refused<'_>,
) -> Result<Markup, AppError> {
    let (in_space, page) = state
        .db(move |conn| {
            let page = load_space(conn, &in_space)?;
            Ok((in_space, page))
        })
        .await?;
    Ok(space_page(ctx, &in_space, &page, refused))
}

pub async fn forum(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<i64>) -> Result<Markup, AppError> {
    let in_space = enter(&state, &ctx, path.into_inner(), Space::Forum).await?;
    render_space(&state, &ctx, in_space, Refused::None).await
}

pub async fn peer_group(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, group_id) = path.into_inner();
    let in_space = enter(&state, &ctx, project_id, Space::PeerGroup(group_id)).await?;
    render_space(&state, &ctx, in_space, Refused::None).await
}

async fn start(
    state: &AppState,
    ctx: &PageCtx,
    in_space: InSpace,
    form: &ThreadForm,
) -> Result<HttpResponse, AppError> {
    require_open(&in_space.project)?;
    let parsed = NewThread::parse(&form.kind, &form.title, &form.body);
    let submission = parse_submission(&form.submission);
    let (thread, submission) = match (parsed, submission) {
        (Ok(thread), Ok(submission)) => (thread, submission),
        (parsed, submission) => {
            let mut errors = FormErrors::from(parsed.err().unwrap_or_default());
            if let Err(message) = submission {
                errors.add("body", message);
            }
            return Ok(unprocessable(render_space(state, ctx, in_space, Refused::Thread(form, &errors)).await?));
        }
    };
    let (entered, project_id) = (in_space.entered.clone(), in_space.project.id);
    let thread_id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(threads::start_thread(conn, &entered, &thread, &submission)?)
            })
        })
        .await?;
    Ok(see_other(&thread_path(project_id, thread_id)))
}

pub async fn start_in_forum(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<ThreadForm>,
) -> Result<HttpResponse, AppError> {
    let in_space = enter(&state, &ctx, path.into_inner(), Space::Forum).await?;
    start(&state, &ctx, in_space, &form).await
}

pub async fn start_in_group(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ThreadForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, group_id) = path.into_inner();
    let in_space = enter(&state, &ctx, project_id, Space::PeerGroup(group_id)).await?;
    start(&state, &ctx, in_space, &form).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FollowingForm {
    frequency: String,
    weekday: String,
}

async fn set_following(
    state: &AppState,
    ctx: &PageCtx,
    in_space: InSpace,
    form: &FollowingForm,
) -> Result<HttpResponse, AppError> {
    let frequency = Frequency::parse(&form.frequency)
        .ok_or_else(|| AppError::BadRequest("Choisissez une fréquence de la liste.".into()))?;
    let weekday = form.weekday.trim().parse::<i32>().ok().filter(|d| (1..=7).contains(d)).unwrap_or(1);
    let (entered, back) = (in_space.entered.clone(), in_space.path());
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(threads::set_following(conn, &entered, frequency, weekday)?)
            })
        })
        .await?;
    ctx.set_flash(&format!("Nouveaux messages : {}.", frequency.label().to_lowercase()));
    Ok(see_other(&back))
}

pub async fn follow_forum(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<FollowingForm>,
) -> Result<HttpResponse, AppError> {
    let in_space = enter(&state, &ctx, path.into_inner(), Space::Forum).await?;
    set_following(&state, &ctx, in_space, &form).await
}

pub async fn follow_group(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<FollowingForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, group_id) = path.into_inner();
    let in_space = enter(&state, &ctx, project_id, Space::PeerGroup(group_id)).await?;
    set_following(&state, &ctx, in_space, &form).await
}

pub async fn save_conclusions(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ConclusionsForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, group_id) = path.into_inner();
    let in_space = enter(&state, &ctx, project_id, Space::PeerGroup(group_id)).await?;
    require_open(&in_space.project)?;
    let conclusions = match Conclusions::parse(&form.brings, &form.needs) {
        Ok(conclusions) => conclusions,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return Ok(unprocessable(
                render_space(&state, &ctx, in_space, Refused::Conclusions(&form, &errors, None)).await?,
            ));
        }
    };
    let (by, revision) = (in_space.entered.user_id, form.revision);
    let saved = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(delegations::save_conclusions(conn, group_id, revision, &conclusions, by)?)
            })
        })
        .await?;
    match saved {
        Saved::Saved | Saved::Unchanged => {
            ctx.set_flash("Conclusions enregistrées.");
            Ok(see_other(&format!("{}#conclusions", peer_group_path(project_id, group_id))))
        }
        Saved::Stale(other) => {
            let mut errors = FormErrors::default();
            errors.add("brings", "Quelqu’un a enregistré d’autres conclusions pendant que vous écriviez : comparez, puis enregistrez à nouveau.");
            Ok(unprocessable(
                render_space(&state, &ctx, in_space, Refused::Conclusions(&form, &errors, Some(&other))).await?,
            ))
        }
    }
}

pub async fn publish_conclusions(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, group_id) = path.into_inner();
    let in_space = enter(&state, &ctx, project_id, Space::PeerGroup(group_id)).await?;
    if !in_space.entered.moderates {
        return Err(AppError::Forbidden);
    }
    require_open(&in_space.project)?;
    let group = in_space.group.clone().ok_or(AppError::NotFound)?;
    if let Err(message) = group.conclusions().ready() {
        let mut errors = FormErrors::default();
        errors.add("brings", message);
        let form =
            ConclusionsForm { brings: group.brings.clone(), needs: group.needs.clone(), revision: group.revision };
        return Ok(unprocessable(
            render_space(&state, &ctx, in_space, Refused::Conclusions(&form, &errors, None)).await?,
        ));
    }
    let by = in_space.entered.user_id;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(delegations::publish_conclusions(conn, &group, by)?)
            })
        })
        .await?;
    ctx.set_flash("Les conclusions du groupe sont partagées à l’agora, avec tout le projet.");
    Ok(see_other(&agora_path(project_id)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReplyForm {
    body: String,
    submission: String,
}

fn thread_page(
    ctx: &PageCtx,
    in_space: &InSpace,
    thread: &Thread,
    messages: &[threads::Signed],
    refused: Option<(&ReplyForm, &FormErrors)>,
) -> Markup {
    let (empty, none) = (ReplyForm::default(), FormErrors::default());
    let (form, errors) = refused.unwrap_or((&empty, &none));
    let project_id = in_space.project.id;
    let now = storage::now();
    let user_id = in_space.entered.user_id;
    page_with_errors(
        ctx,
        &thread.title,
        errors,
        html! {
            (in_space.breadcrumb(Some(&thread.title)))
            h1 { (thread.title) }
            p class="hint" { (thread.kind().label()) " · " (in_space.name()) }
            @for (message, author) in messages {
                article class="message" id={ "message-" (message.id) } aria-labelledby={ "auteur-" (message.id) } {
                    p class="message-author" id={ "auteur-" (message.id) } {
                        strong { (author.as_deref().unwrap_or("Compte supprimé")) } " (" (message.affiliation) "), le " (moment_fr(message.created_at))
                        @if let Some(edited) = message.edited_at { " — modifié le " (moment_fr(edited)) }
                    }
                    @match (&message.hidden_at, &message.hidden_reason) {
                        (Some(at), Some(reason)) => {
                            p class="message-hidden" { "Message masqué par l’animation le " (moment_fr(*at)) " : " (reason) }
                        }
                        _ => { div class="markdown" { (Markdown(&message.body)) } }
                    }
                    @let editable = message.author_id == Some(user_id) && message.hidden_at.is_none() && may_edit(message.created_at, now);
                    @let hideable = in_space.entered.moderates && message.hidden_at.is_none();
                    @if editable || hideable {
                        p {
                            a href=(message_path(project_id, message.id)) {
                                @if editable { "Modifier" } @else { "Masquer" }
                                span class="visually-hidden" { " le message du " (moment_fr(message.created_at)) }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="repondre" {
                h2 id="repondre" { "Répondre" }
                (errors.summary())
                form class="form" method="post" action={ (thread_path(project_id, thread.id)) "/reponses" } novalidate {
                    (csrf_field(ctx))
                    input type="hidden" name="submission" value=(submission_of(&form.submission));
                    (textarea("body", "Votre réponse", &form.body, "Markdown accepté. Vous pourrez la modifier pendant 30 minutes.", errors))
                    button class="button" type="submit" { "Répondre" }
                }
            }
        },
    )
}

async fn render_thread(
    state: &AppState,
    ctx: &PageCtx,
    in_space: InSpace,
    thread: Thread,
    refused: Option<(&ReplyForm, &FormErrors)>,
) -> Result<Markup, AppError> {
    let (in_space, thread, messages) = state
        .db(move |conn| {
            let messages = threads::messages_of(conn, &in_space.entered, &thread)?;
            Ok((in_space, thread, messages))
        })
        .await?;
    Ok(thread_page(ctx, &in_space, &thread, &messages, refused))
}

pub async fn show_thread(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, thread_id) = path.into_inner();
    let (in_space, thread) = enter_thread(&state, &ctx, project_id, thread_id).await?;
    render_thread(&state, &ctx, in_space, thread, None).await
}

pub async fn reply(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ReplyForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, thread_id) = path.into_inner();
    let (in_space, thread) = enter_thread(&state, &ctx, project_id, thread_id).await?;
    require_open(&in_space.project)?;
    let (body, submission) = match (parse_message(&form.body), parse_submission(&form.submission)) {
        (Ok(body), Ok(submission)) => (body, submission),
        (body, submission) => {
            let mut errors = FormErrors::default();
            if let Err(message) = body.and(submission) {
                errors.add("body", message);
            }
            return Ok(unprocessable(render_thread(&state, &ctx, in_space, thread, Some((&form, &errors))).await?));
        }
    };
    let entered = in_space.entered.clone();
    let message = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(threads::reply(conn, &entered, thread_id, &body, &submission)?)
            })
        })
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(see_other(&format!("{}#message-{message}", thread_path(project_id, thread_id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    body: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HideForm {
    reason: String,
}

fn message_page(
    ctx: &PageCtx,
    in_space: &InSpace,
    thread: &Thread,
    message: &Message,
    refused: (Option<&str>, Option<&str>, &FormErrors),
) -> Markup {
    let (body, reason, errors) = refused;
    let path = message_path(in_space.project.id, message.id);
    let now = storage::now();
    let editable = message.author_id == Some(in_space.entered.user_id)
        && message.hidden_at.is_none()
        && may_edit(message.created_at, now);
    let title = format!("Message du {} — {}", moment_fr(message.created_at), thread.title);
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            (in_space.breadcrumb(Some(&thread.title)))
            h1 { "Message du " (moment_fr(message.created_at)) }
            p { a href={ (thread_path(in_space.project.id, thread.id)) "#message-" (message.id) } { "Revenir au fil « " (thread.title) " »" } }
            (errors.summary())
            @if editable {
                section aria-labelledby="modifier" {
                    h2 id="modifier" { "Modifier mon message" }
                    p { "Vous pouvez le modifier pendant " (EDIT_DELAY.num_minutes()) " minutes après l’avoir écrit : les lecteurs voient qu’il a été modifié." }
                    form class="form" method="post" action=(path) novalidate {
                        (csrf_field(ctx))
                        (textarea("body", "Message", body.unwrap_or(&message.body), "Markdown accepté.", errors))
                        button class="button" type="submit" { "Enregistrer la modification" }
                    }
                }
            } @else if message.author_id == Some(in_space.entered.user_id) && message.hidden_at.is_none() {
                p { "Le délai de " (EDIT_DELAY.num_minutes()) " minutes pour modifier ce message est passé : répondez dans le fil pour le compléter." }
            }
            @if in_space.entered.moderates {
                section aria-labelledby="masquer" {
                    h2 id="masquer" { "Masquer ce message" }
                    @match (&message.hidden_at, &message.hidden_reason) {
                        (Some(at), Some(hidden_reason)) => { p { "Masqué le " (moment_fr(*at)) " : " (hidden_reason) } }
                        _ => {
                            div class="markdown" { (Markdown(&message.body)) }
                            p { "Le message reste conservé ; le fil montre qu’il a été masqué, et pourquoi." }
                            form class="form" method="post" action={ (path) "/masquage" } novalidate {
                                (csrf_field(ctx))
                                (Field::new("reason", "Raison, visible de tous les lecteurs du fil").value(reason.unwrap_or("")).render(errors))
                                button class="button button-secondary" type="submit" { "Masquer le message" }
                            }
                        }
                    }
                }
            }
        },
    )
}

pub async fn show_message(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, message_id) = path.into_inner();
    let (in_space, thread, message) = enter_message(&state, &ctx, project_id, message_id).await?;
    Ok(message_page(&ctx, &in_space, &thread, &message, (None, None, &FormErrors::default())))
}

pub async fn edit_message(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<EditForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, message_id) = path.into_inner();
    let (in_space, thread, message) = enter_message(&state, &ctx, project_id, message_id).await?;
    require_open(&in_space.project)?;
    let body = match parse_message(&form.body) {
        Ok(body) => body,
        Err(error) => {
            let mut errors = FormErrors::default();
            errors.add("body", error);
            return Ok(unprocessable(message_page(
                &ctx,
                &in_space,
                &thread,
                &message,
                (Some(&form.body), None, &errors),
            )));
        }
    };
    let (entered, to_edit) = (in_space.entered.clone(), message.clone());
    let edit = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(threads::edit_message(conn, &entered, &to_edit, &body, storage::now())?)
            })
        })
        .await?;
    match edit {
        Edit::Edited | Edit::Unchanged => {
            Ok(see_other(&format!("{}#message-{message_id}", thread_path(project_id, thread.id))))
        }
        Edit::NotYours => Err(AppError::Forbidden),
        Edit::TooLate => {
            let mut errors = FormErrors::default();
            errors.add(
                "body",
                format!(
                    "Le délai de {} minutes pour modifier ce message est passé : répondez dans le fil pour le compléter.",
                    EDIT_DELAY.num_minutes()
                ),
            );
            Ok(unprocessable(message_page(&ctx, &in_space, &thread, &message, (Some(&form.body), None, &errors))))
        }
    }
}

pub async fn hide_message(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<HideForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, message_id) = path.into_inner();
    let (in_space, thread, message) = enter_message(&state, &ctx, project_id, message_id).await?;
    if !in_space.entered.moderates {
        return Err(AppError::Forbidden);
    }
    let reason = match parse_hide_reason(&form.reason) {
        Ok(reason) => reason,
        Err(error) => {
            let mut errors = FormErrors::default();
            errors.add("reason", error);
            return Ok(unprocessable(message_page(
                &ctx,
                &in_space,
                &thread,
                &message,
                (None, Some(&form.reason), &errors),
            )));
        }
    };
    let entered = in_space.entered.clone();
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(threads::hide_message(conn, &entered, &message, &reason)?)
            })
        })
        .await?;
    ctx.set_flash("Le message est masqué ; le fil dit pourquoi.");
    Ok(see_other(&format!("{}#message-{message_id}", thread_path(project_id, thread.id))))
}
