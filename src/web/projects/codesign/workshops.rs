//! A workshop of a territory's cycle: opened and closed by the facilitator; at the divergence step, ideas typed in
//! one after another from the keyboard (the author's category kept) or proposed by the group's members; at the
//! convergence step, each member's scores against the weighted criteria and their dots, the board (weighted mean,
//! spread, how many scored, dots) and the actions the facilitator retains with their lineage; after, its synthesis.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::ideas::{author_options, idea_fields, idea_path, record_idea, IdeaForm, Recorded};
use super::Territory;
use crate::domain::codesign::{
    author_category_label, decimal_fr, disagrees, parse_score, Candidate, ScoreRow, Step, Tally, WorkshopState,
    MAX_SCORE,
};
use crate::domain::markdown::Markdown;
use crate::domain::plan::Lineage;
use crate::domain::text::{bounded_text, de};
use crate::storage;
use crate::storage::codesign::{
    self, proposals, Action, Cited, Criterion, Idea, Proposal, RetainOutcome, VoteOutcome, WorkingMember, Workshop,
};
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::paths::workshop_path;
use crate::web::views::{
    csrf_field, date_fr, moment_fr, page_with_errors, scroll_table, see_other, textarea, unprocessable, FormErrors,
};
use crate::web::{AppError, AppState};

/// One line of the board.
pub struct BoardRow<'a> {
    pub proposal: &'a Proposal,
    pub tally: Option<Tally>,
    pub dots: usize,
    pub retained: Option<&'a Action>,
}

/// The board: every proposal with its tally and dots, most dots first, then the highest weighted mean.
pub fn board<'a>(
    proposals: &'a [Proposal],
    scores: &[(Candidate, ScoreRow)],
    dots: &[(Candidate, i64)],
    weights: &BTreeMap<i64, i32>,
    actions: &'a [Action],
) -> Vec<BoardRow<'a>> {
    let mut rows: Vec<BoardRow> = proposals
        .iter()
        .map(|p| {
            let of: Vec<ScoreRow> = scores.iter().filter(|(c, _)| *c == p.candidate).map(|(_, s)| *s).collect();
            BoardRow {
                proposal: p,
                tally: Tally::of(&of, weights),
                dots: dots.iter().filter(|(c, _)| *c == p.candidate).count(),
                retained: actions
                    .iter()
                    .find(|a| a.cluster_id == p.candidate.cluster_id() && a.idea_id == p.candidate.idea_id()),
            }
        })
        .collect();
    let mean = |r: &BoardRow| r.tally.as_ref().map_or(-1.0, |t| t.weighted_mean);
    rows.sort_by(|a, b| b.dots.cmp(&a.dots).then(mean(b).total_cmp(&mean(a))));
    rows
}

/// Everything a workshop's page shows.
pub struct WorkshopView {
    pub workshop: Workshop,
    pub members: Vec<WorkingMember>,
    pub ideas: Vec<Idea>,
    pub proposals: Vec<Proposal>,
    pub criteria: Vec<(String, Criterion)>,
    pub scores: Vec<(Candidate, ScoreRow)>,
    pub dots: Vec<(Candidate, i64)>,
    pub actions: Vec<Action>,
    pub evidence: Vec<Cited>,
    pub evidence_options: Vec<(String, String)>,
    /// The viewer's ballot: (dots used, cap).
    pub ballot: Option<(i32, i32)>,
}

impl WorkshopView {
    pub fn weights(&self) -> BTreeMap<i64, i32> {
        self.criteria.iter().map(|(_, c)| (c.id, c.weight)).collect()
    }

    /// Ideas that came in during this workshop.
    pub fn arrived(&self) -> Vec<&Idea> {
        self.ideas.iter().filter(|i| i.workshop_id == Some(self.workshop.event_id) && i.status == "published").collect()
    }
}

pub async fn load_workshop(
    state: &AppState,
    territory: &Territory,
    workshop_id: i64,
) -> Result<WorkshopView, AppError> {
    let place = territory.place;
    let seat = territory.seat.as_ref().map(|s| s.id);
    state
        .db(move |conn| {
            let workshop = codesign::find_workshop(conn, workshop_id)?
                .filter(|w| w.territory() == place)
                .ok_or(AppError::NotFound)?;
            let ideas = codesign::ideas_of(conn, place)?;
            let clusters = codesign::clusters_of(conn, place)?;
            let criteria = codesign::objectives_of(conn, place)?
                .into_iter()
                .flat_map(|(o, criteria)| criteria.into_iter().map(move |c| (o.title.clone(), c)))
                .collect();
            Ok(WorkshopView {
                proposals: proposals(&ideas, &clusters),
                members: codesign::working_group(conn, place)?,
                criteria,
                scores: codesign::scores_of_workshop(conn, workshop_id)?,
                dots: codesign::dots_of_workshop(conn, workshop_id)?,
                actions: codesign::actions_of(conn, place)?,
                evidence: codesign::evidence_of_territory(conn, place)?,
                evidence_options: super::ideas::evidence_options(conn, place, &ideas)?,
                ballot: match seat {
                    Some(member) => codesign::ballot_of(conn, workshop_id, member)?,
                    None => None,
                },
                ideas,
                workshop,
            })
        })
        .await
}

/// A form of the page sent back with its errors.
enum Refused<'a> {
    None,
    Idea(&'a IdeaForm, &'a FormErrors),
    Scores(&'a [(String, String)], &'a FormErrors),
    Synthesis(&'a str, &'a FormErrors),
}

fn score_field(candidate: Candidate, criterion: i64) -> String {
    format!("note-{}-{criterion}", candidate.code())
}

fn workshop_page(ctx: &PageCtx, territory: &Territory, view: &WorkshopView, refused: Refused) -> Markup {
    let none = FormErrors::default();
    let errors = match &refused {
        Refused::None => &none,
        Refused::Idea(_, e) | Refused::Scores(_, e) | Refused::Synthesis(_, e) => e,
    };
    let workshop = &view.workshop;
    let path = workshop_path(territory.place.project_id, territory.place.collectivity_id, workshop.event_id);
    let facilitates = territory.access.leads() && territory.require_open_project().is_ok();
    let open = workshop.is_open() && territory.require_open_project().is_ok();
    let arrived = view.arrived();
    html! {
        (page_with_errors(ctx, &workshop.title, errors, html! {
            (territory.breadcrumb(&workshop.title))
            h1 { (workshop.title) }
            p class="meta" {
                "Atelier " (de(&territory.name)) " · " strong { (workshop.step().label()) } " · " (date_fr(workshop.starts_at)) ", " (workshop.starts_at.format("%Hh%M"))
                @if let Some(place) = &workshop.place { " · " (place) }
            }
            p class={ "notice" @if open { " notice-success" } } { "État : " strong { (workshop.state().label()) } }
            p { a href={ (path) "/ecran" } { "Vue pour le vidéoprojecteur" } }
            @if facilitates {
                @let (to, label) = match workshop.state() {
                    WorkshopState::Planned => (Some("open"), "Ouvrir l’atelier aux contributions"),
                    WorkshopState::Open => (Some("closed"), "Clore l’atelier"),
                    WorkshopState::Closed => (None, ""),
                };
                @if let Some(to) = to {
                    form class="inline" method="post" action={ (path) "/etat" } {
                        (csrf_field(ctx))
                        input type="hidden" name="from" value=(workshop.state().code());
                        input type="hidden" name="to" value=(to);
                        button class="button" type="submit" { (label) }
                    }
                }
            }
            (errors.summary())
            @match workshop.step() {
                Step::Divergence => (divergence(ctx, territory, view, &path, &refused, &arrived)),
                Step::Objectives => (objectives(territory, view)),
                Step::Convergence => (convergence(ctx, territory, view, &path, &refused)),
            }
            section aria-labelledby="synthese" {
                h2 id="synthese" { "Synthèse" }
                @match (&workshop.synthesis, workshop.synthesis_published_at) {
                    (Some(text), Some(at)) => {
                        p class="meta" { "Publiée le " (moment_fr(at)) " : visible de tous sur la page du projet." }
                        div class="markdown" { (Markdown(text)) }
                    }
                    _ => p { "Pas encore de synthèse." },
                }
                @if facilitates {
                    @let sent = match &refused { Refused::Synthesis(text, _) => text.to_string(), _ => workshop.synthesis.clone().unwrap_or_default() };
                    form class="form" method="post" action={ (path) "/synthese" } novalidate {
                        (csrf_field(ctx))
                        (textarea("synthesis", "Synthèse de l’atelier", &sent, "En Markdown. Publiée, elle est visible de tous sur la page du projet et annoncée dans les récapitulatifs.", errors))
                        button class="button" type="submit" { "Publier la synthèse" }
                    }
                }
            }
        }))
    }
}

fn divergence(
    ctx: &PageCtx,
    territory: &Territory,
    view: &WorkshopView,
    path: &str,
    refused: &Refused,
    arrived: &[&Idea],
) -> Markup {
    let facilitates = territory.access.leads();
    let open = view.workshop.is_open() && territory.require_open_project().is_ok();
    let empty = IdeaForm::default();
    let none = FormErrors::default();
    let (form, errors) = match refused {
        Refused::Idea(form, errors) => (*form, *errors),
        _ => (&empty, &none),
    };
    let authors = author_options(&view.members);
    html! {
        section aria-labelledby="saisie" {
            h2 id="saisie" { "Idées reçues pendant l’atelier (" (arrived.len()) ")" }
            @if open && (facilitates || territory.seat.is_some()) {
                @if facilitates && territory.seat.is_none() {
                    p { "Saisie rapide : titre, texte, auteur, Entrée. Le formulaire revient vide, prêt pour l’idée suivante." }
                }
                form class="form" method="post" action={ (path) "/idees" } novalidate {
                    (csrf_field(ctx))
                    (idea_fields(form, errors, (territory.seat.is_none()).then_some(authors.as_slice()), &view.evidence_options, true))
                    button class="button" type="submit" { @if territory.seat.is_none() { "Enregistrer et saisir la suivante" } @else { "Proposer l’idée" } }
                }
            } @else if !open {
                p { "Les idées se proposent pendant que l’atelier est ouvert ; entre les ateliers, sur " a href=(super::ideas::ideas_path(territory)) { "la page des idées" } "." }
            }
            div data-refresh="idees-recues" {
            @if !arrived.is_empty() {
                ol class="ideas" reversed {
                    @for idea in arrived.iter().rev() {
                        li { a href=(idea_path(territory, idea.id)) { (idea.title) } span class="meta" { " — " (author_category_label(&idea.author_category)) } }
                    }
                }
            }
            }
            script src=(crate::web::assets::url("codesign.js")) defer {}
        }
    }
}

fn objectives(territory: &Territory, view: &WorkshopView) -> Markup {
    html! {
        section aria-labelledby="criteres" {
            h2 id="criteres" { "Objectifs et critères de réussite" }
            @if view.criteria.is_empty() {
                p { "Aucun critère pour l’instant." }
            } @else {
                ul { @for (objective, criterion) in &view.criteria { li { (objective) " — " (criterion.label) " (poids " (criterion.weight) ")" } } }
            }
            p { "Les objectifs, les critères et leurs poids se saisissent sur " a href={ (territory.path()) "#objectifs" } { "la page du territoire" } "." }
        }
    }
}

fn convergence(ctx: &PageCtx, territory: &Territory, view: &WorkshopView, path: &str, refused: &Refused) -> Markup {
    let open = view.workshop.is_open() && territory.require_open_project().is_ok();
    let facilitates = territory.access.leads() && territory.require_open_project().is_ok();
    let weights = view.weights();
    let rows = board(&view.proposals, &view.scores, &view.dots, &weights, &view.actions);
    let seat = territory.seat.as_ref();
    let mine = |candidate: Candidate, criterion: i64| -> String {
        if let Refused::Scores(fields, _) = refused {
            let name = score_field(candidate, criterion);
            return fields.iter().find(|(k, _)| *k == name).map_or(String::new(), |(_, v)| v.clone());
        }
        seat.and_then(|s| {
            view.scores
                .iter()
                .find(|(c, r)| *c == candidate && r.member_id == s.id && r.criterion_id == criterion)
                .map(|(_, r)| r.value.to_string())
        })
        .unwrap_or_default()
    };
    let (used, cap) = view.ballot.unwrap_or((0, view.workshop.dots_per_member));
    let my_dots = |candidate: Candidate| {
        seat.map_or(0, |s| view.dots.iter().filter(|(c, m)| *c == candidate && *m == s.id).count())
    };
    let none = FormErrors::default();
    let errors = match refused {
        Refused::Scores(_, e) => *e,
        _ => &none,
    };
    let choices: Vec<String> = (0..=MAX_SCORE).map(|n| n.to_string()).collect();
    html! {
        section aria-labelledby="tableau" {
            h2 id="tableau" { "Tableau des propositions (" (rows.len()) ")" }
            p { "La note pondérée va de 0 à 5 ; l’écart dit où le groupe n’est pas d’accord : c’est une information, pas du bruit." }
            @if rows.is_empty() {
                p { "Aucune proposition : il faut des idées (ou des regroupements) pour converger." }
            } @else {
                (scroll_table("Tableau des propositions", html! {
                    table {
                        caption class="visually-hidden" { "Propositions, notes pondérées, écarts et points" }
                        thead { tr {
                            th scope="col" { "Proposition" } th scope="col" { "Idées" } th scope="col" { "Note pondérée" }
                            th scope="col" { "Écart" } th scope="col" { "Notée par" } th scope="col" { "Points" }
                            @if facilitates { th scope="col" { "Plan d’action" } }
                        } }
                        tbody {
                            @for row in &rows {
                                tr {
                                    th scope="row" { (row.proposal.title) }
                                    td { (row.proposal.ideas.len()) }
                                    @match &row.tally {
                                        Some(t) => {
                                            td { (decimal_fr(t.weighted_mean)) }
                                            td { (decimal_fr(t.spread)) @if disagrees(t.spread) { " — désaccord" } }
                                            td { (t.scorers) }
                                        }
                                        None => { td { "—" } td { "—" } td { "0" } }
                                    }
                                    td { (row.dots) }
                                    @if facilitates {
                                        td {
                                            @if row.retained.is_some() { "Retenue" }
                                            @else {
                                                form class="inline" method="post" action={ (path) "/retenir" } {
                                                    (csrf_field(ctx))
                                                    input type="hidden" name="candidate" value=(row.proposal.candidate.code());
                                                    button class="link-button" type="submit" { "Retenir" span class="visually-hidden" { " « " (row.proposal.title) " »" } }
                                                }
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
        @if let (Some(_), true) = (seat, open) {
            @if !view.proposals.is_empty() {
                section aria-labelledby="points" {
                    h2 id="points" { "Vos points" }
                    p { "Il vous reste " strong { (cap - used) } " point" @if cap - used > 1 { "s" } " sur " (cap) ". Vous pouvez en mettre plusieurs sur une même proposition." }
                    ul class="dots" {
                        @for proposal in &view.proposals {
                            li {
                                (proposal.title) " : " strong { (my_dots(proposal.candidate)) }
                                form class="inline" method="post" action={ (path) "/points" } {
                                    (csrf_field(ctx))
                                    input type="hidden" name="candidate" value=(proposal.candidate.code());
                                    button class="link-button" type="submit" name="sens" value="plus" disabled[used >= cap] { "+ 1 point" span class="visually-hidden" { " pour « " (proposal.title) " »" } }
                                    " · "
                                    button class="link-button" type="submit" name="sens" value="moins" disabled[my_dots(proposal.candidate) == 0] { "− 1 point" span class="visually-hidden" { " pour « " (proposal.title) " »" } }
                                }
                            }
                        }
                    }
                }
                @if !view.criteria.is_empty() {
                    section aria-labelledby="notes" {
                        h2 id="notes" { "Vos notes" }
                        p { "Notez chaque proposition de 0 (ne répond pas du tout au critère) à 5 (y répond pleinement). Laissez « — » si vous ne savez pas." }
                        form class="form" method="post" action={ (path) "/notes" } novalidate {
                            (csrf_field(ctx))
                            (scroll_table("Grille de notation", html! {
                                table {
                                    caption class="visually-hidden" { "Vos notes, par proposition et par critère" }
                                    thead { tr { th scope="col" { "Proposition" } @for (_, criterion) in &view.criteria { th scope="col" { (criterion.label) } } } }
                                    tbody {
                                        @for proposal in &view.proposals {
                                            tr {
                                                th scope="row" { (proposal.title) }
                                                @for (_, criterion) in &view.criteria {
                                                    @let name = score_field(proposal.candidate, criterion.id);
                                                    @let value = mine(proposal.candidate, criterion.id);
                                                    @let error = errors.get(&name);
                                                    td class=[error.map(|_| "field-invalid")] {
                                                        label class="visually-hidden" for=(name) { "Note de « " (proposal.title) " » pour « " (criterion.label) " »" }
                                                        select id=(name) name=(name) aria-invalid=[error.map(|_| "true")] {
                                                            option value="" { "—" }
                                                            @for choice in &choices { option value=(choice) selected[*choice == value] { (choice) } }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }))
                            button class="button" type="submit" { "Enregistrer mes notes" }
                        }
                    }
                }
            }
        } @else if seat.is_some() {
            p { "Les notes et les points se donnent pendant que l’atelier est ouvert." }
        }
    }
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id, workshop_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load_workshop(&state, &territory, workshop_id).await?;
    Ok(workshop_page(&ctx, &territory, &view, Refused::None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StateForm {
    from: String,
    to: String,
}

pub async fn change_state(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<StateForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, workshop_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_facilitator()?;
    let view = load_workshop(&state, &territory, workshop_id).await?;
    let (Some(from), Some(to)) = (WorkshopState::parse(&form.from), WorkshopState::parse(&form.to)) else {
        return Err(AppError::BadRequest("Choisissez d’ouvrir ou de clore l’atelier.".into()));
    };
    if !matches!(
        (from, to),
        (WorkshopState::Planned, WorkshopState::Open) | (WorkshopState::Open, WorkshopState::Closed)
    ) {
        return Err(AppError::BadRequest("Un atelier s’ouvre, puis se clôt.".into()));
    }
    let workshop = view.workshop.clone();
    let summary = match to {
        WorkshopState::Open => {
            format!("L’atelier « {} » {} est ouvert aux contributions.", workshop.title, de(&territory.name))
        }
        _ => format!(
            "L’atelier « {} » {} est terminé : {} idée(s) reçue(s).",
            workshop.title,
            de(&territory.name),
            view.arrived().len()
        ),
    };
    let changed = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::set_workshop_state(conn, &workshop, from, to, by, summary)?)
            })
        })
        .await?;
    // Changed already (a second click, another facilitator): the page shows where it stands.
    ctx.set_flash(match (changed, to) {
        (true, WorkshopState::Open) => "Atelier ouvert : les contributions sont reçues.",
        (true, _) => "Atelier clos : plus aucune contribution n’est reçue.",
        (false, _) => "L’atelier avait déjà changé d’état.",
    });
    Ok(see_other(&workshop_path(project_id, collectivity_id, workshop_id)))
}

pub async fn add_idea(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<IdeaForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, workshop_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load_workshop(&state, &territory, workshop_id).await?;
    if view.workshop.step() != Step::Divergence {
        return Err(AppError::BadRequest("Les idées se proposent dans un atelier de divergence.".into()));
    }
    match record_idea(&state, &territory, Some(&view.workshop), &form).await? {
        Recorded::Done(_) => {
            ctx.set_flash(&format!("Idée « {} » enregistrée.", form.title.trim()));
            // No fragment: a page opened at a fragment gives no element the autofocus, and the title must have it.
            Ok(see_other(&workshop_path(project_id, collectivity_id, workshop_id)))
        }
        Recorded::Refused(errors) => {
            Ok(unprocessable(workshop_page(&ctx, &territory, &view, Refused::Idea(&form, &errors))))
        }
    }
}

/// What a vote needs, and no more (a burst of a room's votes reads only this): the workshop, its proposals and
/// criteria.
struct Ballot {
    workshop: Workshop,
    proposals: Vec<Proposal>,
    criteria: Vec<Criterion>,
}

async fn load_ballot(state: &AppState, territory: &Territory, workshop_id: i64) -> Result<Ballot, AppError> {
    let place = territory.place;
    state
        .db(move |conn| {
            let workshop = codesign::find_workshop(conn, workshop_id)?
                .filter(|w| w.territory() == place)
                .ok_or(AppError::NotFound)?;
            let (ideas, clusters) = (codesign::ideas_of(conn, place)?, codesign::clusters_of(conn, place)?);
            let criteria = codesign::objectives_of(conn, place)?.into_iter().flat_map(|(_, c)| c).collect();
            Ok(Ballot { workshop, proposals: proposals(&ideas, &clusters), criteria })
        })
        .await
}

/// The member's seat, in an open convergence workshop, or the refusal.
fn voter(territory: &Territory, workshop: &Workshop) -> Result<i64, AppError> {
    territory.require_open_project()?;
    let seat = territory.seat.as_ref().ok_or(AppError::Forbidden)?;
    if workshop.step() != Step::Convergence {
        return Err(AppError::BadRequest("On note et on vote dans un atelier de convergence.".into()));
    }
    Ok(seat.id)
}

fn not_open() -> AppError {
    AppError::BadRequest(
        "L’atelier n’est pas ouvert : le vote est clos ou pas encore commencé. Rien n’a été enregistré.".into(),
    )
}

pub async fn score(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, workshop_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let ballot = load_ballot(&state, &territory, workshop_id).await?;
    let member = voter(&territory, &ballot.workshop)?;
    let fields = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let mut errors = FormErrors::default();
    let mut grid = Vec::new();
    for proposal in &ballot.proposals {
        for criterion in &ballot.criteria {
            let name = score_field(proposal.candidate, criterion.id);
            let sent = fields.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| v.as_str());
            match parse_score(sent) {
                Ok(Some(value)) => grid.push((proposal.candidate, criterion.id, value)),
                Ok(None) => {}
                Err(message) => {
                    errors.add(name, format!("{} (« {} », « {} »)", message, proposal.title, criterion.label))
                }
            }
        }
    }
    if !errors.is_empty() {
        let view = load_workshop(&state, &territory, workshop_id).await?;
        return Ok(unprocessable(workshop_page(&ctx, &territory, &view, Refused::Scores(&fields, &errors))));
    }
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::save_scores(conn, workshop_id, member, &grid)?)
            })
        })
        .await?;
    if outcome == VoteOutcome::NotOpen {
        return Err(not_open());
    }
    ctx.set_flash("Vos notes sont enregistrées.");
    Ok(see_other(&format!("{}#notes", workshop_path(project_id, collectivity_id, workshop_id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DotForm {
    candidate: String,
    sens: String,
}

pub async fn dot(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<DotForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, workshop_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let ballot = load_ballot(&state, &territory, workshop_id).await?;
    let member = voter(&territory, &ballot.workshop)?;
    let candidate = Candidate::parse(&form.candidate)
        .ok()
        .filter(|c| ballot.proposals.iter().any(|p| p.candidate == *c))
        .ok_or_else(|| AppError::BadRequest("Cette proposition n’est pas (ou plus) au tableau de l’atelier.".into()))?;
    let add = match form.sens.as_str() {
        "plus" => true,
        "moins" => false,
        _ => return Err(AppError::BadRequest("Choisissez « + 1 point » ou « − 1 point ».".into())),
    };
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let outcome = if add {
                    codesign::add_dot(conn, workshop_id, member, candidate)?
                } else {
                    codesign::remove_dot(conn, workshop_id, member, candidate)?
                };
                Ok::<_, AppError>(outcome)
            })
        })
        .await?;
    match outcome {
        VoteOutcome::NotOpen => return Err(not_open()),
        VoteOutcome::NoDotLeft => {
            ctx.set_flash("Vous avez déjà placé tous vos points : retirez-en un pour le mettre ailleurs.")
        }
        VoteOutcome::NothingToRemove => ctx.set_flash("Vous n’aviez pas de point sur cette proposition."),
        VoteOutcome::Done => ctx.set_flash(if add { "Point placé." } else { "Point retiré." }),
    }
    Ok(see_other(&format!("{}#points", workshop_path(project_id, collectivity_id, workshop_id))))
}

/// The lineage of a retained action, in a sentence or two.
pub fn lineage_summary(lineage: &str) -> Markup {
    let Some(lineage) = Lineage::parse(lineage) else { return html! {} };
    let ideas = lineage.ideas.len();
    html! {
        p class="meta" {
            "Issue de " (ideas) " idée" @if ideas > 1 { "s" }
            @if let Some(mean) = lineage.weighted_mean {
                " · note pondérée " (decimal_fr(mean)) " sur 5"
                @if let Some(spread) = lineage.spread { " (écart " (decimal_fr(spread)) ", " (lineage.scorers) " personne(s))" }
            }
            " · " (lineage.dots) " point(s)"
        }
        @if !lineage.evidence.is_empty() { p class="meta" { "Pourquoi : " (lineage.evidence.join(" ; ")) } }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RetainForm {
    candidate: String,
}

pub async fn retain(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<RetainForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, workshop_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_facilitator()?;
    let workshop = load_ballot(&state, &territory, workshop_id).await?.workshop;
    if workshop.step() != Step::Convergence {
        return Err(AppError::BadRequest("Les actions se retiennent dans un atelier de convergence.".into()));
    }
    let candidate = Candidate::parse(&form.candidate).map_err(AppError::BadRequest)?;
    let (place, name) = (territory.place, territory.name.clone());
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::retain_proposal(conn, place, &workshop, candidate, by, &name)?)
            })
        })
        .await?;
    if outcome == RetainOutcome::NotOnBoard {
        return Err(AppError::BadRequest("Cette proposition n’est pas (ou plus) au tableau de l’atelier.".into()));
    }
    ctx.set_flash(if matches!(outcome, RetainOutcome::Retained(_)) {
        "Action retenue pour le plan, avec ce qui l’a motivée."
    } else {
        "Cette proposition était déjà retenue."
    });
    Ok(see_other(&format!("{}#tableau", workshop_path(project_id, collectivity_id, workshop_id))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SynthesisForm {
    synthesis: String,
}

pub async fn publish_synthesis(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<SynthesisForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, workshop_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_facilitator()?;
    let view = load_workshop(&state, &territory, workshop_id).await?;
    let text = match bounded_text(&form.synthesis, "La synthèse", 10, 50_000) {
        Ok(text) => text,
        Err(message) => {
            let mut errors = FormErrors::default();
            errors.add("synthesis", message);
            return Ok(unprocessable(workshop_page(
                &ctx,
                &territory,
                &view,
                Refused::Synthesis(&form.synthesis, &errors),
            )));
        }
    };
    let (workshop, name) = (view.workshop.clone(), territory.name.clone());
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::publish_synthesis(conn, &workshop, &text, by, &name)?)
            })
        })
        .await?;
    ctx.set_flash("Synthèse publiée : elle est visible de tous sur la page du projet.");
    Ok(see_other(&format!("{}#synthese", workshop_path(project_id, collectivity_id, workshop_id))))
}

/// The facilitator's screen for a projector: large type, the current step, the count of contributions, the ideas
/// as they arrive (a refresh shows the new ones) or the board.
pub async fn screen(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id, workshop_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load_workshop(&state, &territory, workshop_id).await?;
    let workshop = &view.workshop;
    let weights = view.weights();
    let rows = board(&view.proposals, &view.scores, &view.dots, &weights, &view.actions);
    let arrived = view.arrived();
    let voters = {
        let mut members: Vec<i64> =
            view.scores.iter().map(|(_, s)| s.member_id).chain(view.dots.iter().map(|(_, m)| *m)).collect();
        members.sort();
        members.dedup();
        members.len()
    };
    Ok(crate::web::views::page(
        &ctx,
        &format!("{} — écran", workshop.title),
        html! {
            div class="screen" {
                p class="breadcrumb" { a href=(workshop_path(project_id, collectivity_id, workshop_id)) { "Retour à l’atelier" } }
                h1 { (workshop.title) }
                p class="screen-step" { (workshop.step().label()) " — " (workshop.state().label()) }
                div data-refresh="ecran" aria-live="polite" {
                @match workshop.step() {
                    Step::Convergence => {
                        p class="screen-count" { strong { (voters) } " personne(s) ont noté ou voté sur " (view.members.len()) "." }
                        ol class="screen-list" {
                            @for row in rows.iter().take(12) {
                                li { (row.proposal.title) " — " (row.dots) " point(s)" @if let Some(t) = &row.tally { ", " (decimal_fr(t.weighted_mean)) " sur 5" } }
                            }
                        }
                    }
                    _ => {
                        p class="screen-count" { strong { (arrived.len()) } " idée(s) reçue(s)" }
                        ol class="screen-list" reversed {
                            @for idea in arrived.iter().rev().take(12) { li { (idea.title) } }
                        }
                    }
                }
                }
                p class="meta" { "Avec JavaScript, cet écran se met à jour tout seul toutes les dix secondes ; sans, actualisez la page." }
                script src=(crate::web::assets::url("codesign.js")) defer {}
            }
        },
    ))
}
