//! The creativity cycle of each participant territory (« croisement des regards », docs/product.md § Lifecycle,
//! step 5): the territory's page (its method, working group, workshops, objectives and criteria, retained
//! actions) in this file; ideas, their evidence, clusters and merges in ideas.rs; a workshop's page (the
//! facilitator's fast entry, scores, dots, the board, retaining actions, the synthesis) in workshops.rs.
//!
//! Who sees a territory's cycle: the project's working space (the agency, the provider, every participant
//! collectivity — territories learn from each other) and the members of that territory's working group with an
//! account. Who frames it (method, working group): the provider, the agency and the territory's referents. Who
//! facilitates (workshops, typing ideas in, clusters, objectives, retaining actions): the provider and the agency.
//! Who contributes, scores and votes: the working group's members, in their own territory.

pub mod export;
pub mod ideas;
pub mod public;
pub mod workshops;

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::{may_see_cycle as may_see, Access};
use super::paths::{co_design_path, diagnostic_path, plan_path, project_path, workshop_path};
use super::territory::may_edit;
pub use super::territory::Territory;
use crate::domain::codesign::{
    parse_dots, parse_weight, FamilyCoverage, Frame, Method, NewCriterion, NewObjective, NewWorkingMember, Step,
    MAX_WEIGHT,
};
use crate::domain::diagnostic::{project_family_code, FAMILIES};
use crate::domain::inquiry::{MemberCategory, Mixedness};
use crate::domain::project::{EventInput, NewEvent, Phase};
use crate::domain::text::de;
use crate::storage;
use crate::storage::codesign::{
    self, Action, Criterion, CriterionRemoval, FrameRow, Objective, WorkingMember, Workshop,
};
use crate::storage::diagnostic::{self as diagnostic_storage, Place};
use crate::storage::inquiry::AddOutcome;
use crate::storage::projects::Project;
use crate::storage::DbConnection;
use crate::web::context::PageCtx;
use crate::web::invitations::{send_invitation, InvitationTarget};
use crate::web::middleware::decode_form;
use crate::web::views::{
    checkbox_group, csrf_field, date_fr, optional_textarea, page_with_errors, paragraphs, radio_group, scroll_table,
    see_other, select, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

impl Territory {
    pub fn path(&self) -> String {
        co_design_path(self.place.project_id, self.place.collectivity_id)
    }

    pub fn require_frame(&self) -> Result<(), AppError> {
        self.require_open_project()?;
        if !may_edit(&self.access, self.place.collectivity_id) {
            return Err(AppError::Forbidden);
        }
        Ok(())
    }

    pub fn require_facilitator(&self) -> Result<i64, AppError> {
        self.require_open_project()?;
        if !self.access.leads() {
            return Err(AppError::Forbidden);
        }
        Ok(self.access.require_user()?.id)
    }

    pub fn breadcrumb(&self, here: &str) -> Markup {
        html! {
            p class="breadcrumb" {
                a href=(project_path(self.project.id)) { (self.project.title) } " › "
                a href=(self.path()) { "Croisement des regards " (de(&self.name)) }
                " › " (here)
            }
        }
    }
}

/// The diagnostic's families of actors the project offers, as (code, label): built in, then the project's own.
pub fn families(conn: &mut DbConnection, project_id: i64) -> Result<Vec<(String, String)>, AppError> {
    let mut all: Vec<(String, String)> = FAMILIES.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect();
    all.extend(
        diagnostic_storage::project_families(conn, project_id)?
            .into_iter()
            .map(|(id, label)| (project_family_code(id), label)),
    );
    Ok(all)
}

fn family_label<'a>(families: &'a [(String, String)], code: &str) -> &'a str {
    families.iter().find(|(c, _)| c == code).map_or("", |(_, l)| l.as_str())
}

/// Everything the territory's page shows.
struct Overview {
    frame: Option<FrameRow>,
    families: Vec<(String, String)>,
    mapped_families: Vec<String>,
    members: Vec<WorkingMember>,
    workshops: Vec<Workshop>,
    objectives: Vec<(Objective, Vec<Criterion>)>,
    actions: Vec<Action>,
    ideas: usize,
    /// The inhabitants' public link, as a full address, when it is on.
    public_link: Option<String>,
}

async fn load_overview(state: &AppState, place: Place) -> Result<Overview, AppError> {
    let base = state.link("");
    state
        .db(move |conn| {
            let ideas = codesign::ideas_of(conn, place)?;
            Ok(Overview {
                public_link: codesign::idea_link(conn, place)?
                    .map(|token| format!("{base}{}", public::public_path(&token))),
                frame: codesign::find_frame(conn, place)?,
                families: families(conn, place.project_id)?,
                mapped_families: codesign::mapped_families(conn, place)?,
                members: codesign::working_group(conn, place)?,
                workshops: codesign::workshops_of(conn, place)?,
                objectives: codesign::objectives_of(conn, place)?,
                actions: codesign::actions_of(conn, place)?,
                ideas: ideas.iter().filter(|i| i.is_current()).count(),
            })
        })
        .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberForm {
    display_name: String,
    category: String,
    family: String,
    note: String,
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WorkshopForm {
    title: String,
    step: String,
    starts_at: String,
    ends_at: String,
    place: String,
    online_url: String,
    dots: String,
    description: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ObjectiveForm {
    title: String,
    description: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CriterionForm {
    objective: String,
    label: String,
    weight: String,
}

/// A form of the page sent back with its errors; the frame's form keeps its repeated fields as sent.
enum Refused<'a> {
    None,
    Frame(&'a [(String, String)], &'a FormErrors),
    Member(&'a MemberForm, &'a FormErrors),
    Workshop(&'a WorkshopForm, &'a FormErrors),
    Objective(&'a ObjectiveForm, &'a FormErrors),
    Criterion(&'a CriterionForm, &'a FormErrors),
    Weights(&'a FormErrors),
}

fn territory_page(ctx: &PageCtx, territory: &Territory, overview: &Overview, refused: Refused) -> Markup {
    let none = FormErrors::default();
    let errors = match &refused {
        Refused::None => &none,
        Refused::Frame(_, e) | Refused::Member(_, e) | Refused::Workshop(_, e) | Refused::Objective(_, e) => e,
        Refused::Criterion(_, e) | Refused::Weights(e) => e,
    };
    let title = format!("Croisement des regards {}", de(&territory.name));
    let (access, path) = (&territory.access, territory.path());
    let collectivity_id = territory.place.collectivity_id;
    let mixedness = Mixedness::of(&overview.members.iter().map(WorkingMember::category).collect::<Vec<_>>());
    let to_involve = overview.frame.as_ref().map(FrameRow::families).unwrap_or_default();
    let group_families: Vec<String> = overview.members.iter().map(|m| m.family.clone()).collect();
    let coverage = FamilyCoverage::of(&overview.mapped_families, &group_families, &to_involve);
    let label = |code: &str| family_label(&overview.families, code).to_owned();
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            p class="breadcrumb" { a href=(project_path(territory.project.id)) { (territory.project.title) } " › Croisement des regards" }
            h1 { (title) }
            p { "Après le diagnostic, le territoire choisit les familles d’acteurs à associer et sa méthode, puis son groupe de travail parcourt le cycle de créativité : "
                strong { "divergence et imagination" } ", " strong { "objectifs et critères de réussite" } ", puis " strong { "convergence sur des actions" } " qui nourrissent le plan d’action du territoire." }
            ul class="inline-links" {
                li { a href={ (path) "/idees" } { "Les idées du territoire (" (overview.ideas) ")" } }
                li { a href={ (path) "/idees/cartes" } { "Les idées en cartes à imprimer" } }
                li { a href={ (path) "/idees.csv" } { "Tableur des idées (CSV)" } }
                li { a href={ (path) "/votes.csv" } { "Tableur des notes et des points (CSV)" } }
                li { a href=(diagnostic_path(territory.project.id, collectivity_id)) { "Le diagnostic " (de(&territory.name)) } }
            }
            (errors.summary())
            (method_section(ctx, territory, overview, &refused))
            section aria-labelledby="groupe" {
                h2 id="groupe" { "Groupe de travail (" (overview.members.len()) ")" }
                p { "Quinze à vingt acteurs du territoire : services de l’État, agences, chambres consulaires, associations, habitants, entreprises… Chacun vient d’une famille d’acteurs du diagnostic." }
                @if !mixedness.present.is_empty() {
                    p {
                        @for (i, (category, n)) in mixedness.present.iter().enumerate() {
                            @if i > 0 { ", " }
                            strong { (n) } " " @if *n > 1 { (category.plural()) } @else { (category.label().to_lowercase()) }
                        }
                        "."
                    }
                }
                @if !coverage.absent.is_empty() {
                    p { "Familles d’acteurs du diagnostic absentes du groupe : " (coverage.absent.iter().map(|c| label(c)).collect::<Vec<_>>().join(", ")) "." }
                }
                @if !coverage.to_involve_missing.is_empty() {
                    div class="notice notice-warning" {
                        p { "Familles à associer que personne ne représente encore : " (coverage.to_involve_missing.iter().map(|c| label(c)).collect::<Vec<_>>().join(", ")) "." }
                    }
                }
                @if !overview.members.is_empty() {
                    (scroll_table(&format!("Groupe de travail {}", de(&territory.name)), html! {
                        table {
                            caption class="visually-hidden" { "Membres du groupe de travail " (de(&territory.name)) }
                            thead { tr {
                                th scope="col" { "Nom" } th scope="col" { "Catégorie" } th scope="col" { "Famille d’acteurs" }
                                th scope="col" { "Présentation" } th scope="col" { "Compte" }
                                @if may_edit(access, collectivity_id) { th scope="col" { span class="visually-hidden" { "Action" } } }
                            } }
                            tbody {
                                @for member in &overview.members {
                                    tr {
                                        th scope="row" { (member.display_name) }
                                        td { (member.category().label()) }
                                        td { @if member.family.is_empty() { "—" } @else { (label(&member.family)) } }
                                        td { (member.note) }
                                        td { @if member.user_id.is_some() { "Oui" } @else if member.email.is_some() { "Invitation envoyée" } @else { "Sans compte" } }
                                        @if may_edit(access, collectivity_id) {
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
                @if may_edit(access, collectivity_id) && territory.project.phase() != Phase::Closed {
                    (member_form(ctx, &path, overview, &refused))
                }
            }
            (workshops_section(ctx, territory, overview, &refused))
            @if territory.access.leads() {
                section aria-labelledby="habitants" {
                    h2 id="habitants" { "Idées des habitants" }
                    p { "Un lien public, à diffuser (affiche, site de la commune, réseaux), permet aux habitants d’envoyer des idées sans compte et sans donner leur nom. Chacune attend votre validation avant d’être vue." }
                    @match &overview.public_link {
                        Some(link) => {
                            p { "Lien ouvert : " a href=(link) { (link) } }
                            form class="inline" method="post" action={ (path) "/lien-public" } {
                                (csrf_field(ctx))
                                button class="button button-secondary" type="submit" name="action" value="fermer" { "Fermer le lien public" }
                            }
                        }
                        None => {
                            @if territory.project.phase() != Phase::Closed {
                                form class="inline" method="post" action={ (path) "/lien-public" } {
                                    (csrf_field(ctx))
                                    button class="button" type="submit" name="action" value="ouvrir" { "Ouvrir un lien public pour les habitants" }
                                }
                            }
                        }
                    }
                }
            }
            (objectives_section(ctx, territory, overview, &refused))
            section aria-labelledby="actions" {
                h2 id="actions" { "Actions retenues (" (overview.actions.len()) ")" }
                @if overview.actions.is_empty() {
                    p { "Aucune pour l’instant : elles sont retenues en atelier de convergence, à partir des idées et de leurs notes." }
                } @else {
                    p { "Ces actions, avec ce qui les a motivées, sont le point de départ du "
                        a href=(plan_path(territory.project.id, collectivity_id)) { "plan d’action du territoire" } "." }
                    ul class="cards" {
                        @for action in &overview.actions {
                            li class="card" {
                                h3 { (action.title) }
                                @if !action.description.is_empty() { (paragraphs(&action.description)) }
                                (workshops::lineage_summary(&action.lineage))
                                @if let Some(workshop) = action.workshop_id {
                                    p { a href=(workshop_path(territory.project.id, collectivity_id, workshop)) { "L’atelier où elle a été retenue" } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn method_section(ctx: &PageCtx, territory: &Territory, overview: &Overview, refused: &Refused) -> Markup {
    let none = FormErrors::default();
    let (sent, errors) = match refused {
        Refused::Frame(fields, errors) => (Some(*fields), *errors),
        _ => (None, &none),
    };
    let value = |name: &str| sent.and_then(|f| f.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
    let frame = overview.frame.as_ref();
    let method = value("method").or_else(|| frame.map(|f| f.method.clone())).unwrap_or_default();
    let note = value("note").or_else(|| frame.map(|f| f.method_note.clone())).unwrap_or_default();
    let chosen: Vec<String> = match sent {
        Some(fields) => fields.iter().filter(|(k, _)| k == "families").map(|(_, v)| v.clone()).collect(),
        None => frame.map(FrameRow::families).unwrap_or_default(),
    };
    let methods: Vec<(&str, &str)> = Method::ALL.iter().map(|m| (m.code(), m.label())).collect();
    html! {
        section aria-labelledby="methode" {
            h2 id="methode" { "Méthode et familles d’acteurs à associer" }
            @match frame {
                Some(frame) => {
                    p { strong { (frame.method().label()) } " — " (frame.method().description()) }
                    @if !frame.method_note.is_empty() { (paragraphs(&frame.method_note)) }
                    @let families = frame.families();
                    @if families.is_empty() { p { "Aucune famille d’acteurs désignée." } }
                    @else { p { "Familles à associer : " (families.iter().map(|c| family_label(&overview.families, c)).collect::<Vec<_>>().join(", ")) "." } }
                }
                None => p { "La méthode n’est pas encore choisie." },
            }
            @if may_edit(&territory.access, territory.place.collectivity_id) && territory.project.phase() != Phase::Closed {
                details class="card" open[sent.is_some() || frame.is_none()] {
                    summary { @if frame.is_some() { "Changer la méthode" } @else { "Choisir la méthode" } }
                    form class="form" method="post" action={ (territory.path()) "/methode" } novalidate {
                        (csrf_field(ctx))
                        (radio_group("method", "Méthode", &methods, &method, errors))
                        (optional_textarea("note", "La méthode en quelques mots", &note, "Par exemple : trois ateliers thématiques, puis une journée de prototypage au marché.", errors))
                        (checkbox_group("families", "Familles d’acteurs du diagnostic à associer", &overview.families, &chosen, errors))
                        button class="button" type="submit" { "Enregistrer la méthode" }
                    }
                }
            }
        }
    }
}

fn member_form(ctx: &PageCtx, path: &str, overview: &Overview, refused: &Refused) -> Markup {
    let (empty, none) = (MemberForm::default(), FormErrors::default());
    let (form, errors) = match refused {
        Refused::Member(form, errors) => (*form, *errors),
        _ => (&empty, &none),
    };
    let mut categories = vec![(String::new(), "Choisir…".to_owned())];
    categories.extend(MemberCategory::ALL.iter().map(|c| (c.code().to_owned(), c.label().to_owned())));
    let mut families = vec![(String::new(), "Aucune en particulier".to_owned())];
    families.extend(overview.families.iter().cloned());
    html! {
        details class="card" open[matches!(refused, Refused::Member(..))] {
            summary { "Ajouter une personne au groupe de travail" }
            p { "L’adresse électronique ne sert qu’à l’inviter à créer un compte, pour proposer des idées, noter et voter en ligne. Sans compte, ses idées sont saisies par l’animateur." }
            form class="form" method="post" action={ (path) "/membres" } novalidate {
                (csrf_field(ctx))
                (Field::new("display_name", "Nom ou prénom").value(&form.display_name).render(errors))
                (select("category", "Catégorie", &categories, &form.category, None, errors))
                (select("family", "Famille d’acteurs d’où vient la personne", &families, &form.family, None, errors))
                (Field::new("note", "Présentation").value(&form.note).hint("Quelques mots : « chambre d’agriculture », « conseil citoyen du quartier nord »…").optional().render(errors))
                (Field::new("email", "Adresse électronique, pour l’inviter à créer un compte").kind("email").value(&form.email).autocomplete("off").optional().render(errors))
                button class="button" type="submit" { "Ajouter au groupe de travail" }
            }
        }
    }
}

fn workshops_section(ctx: &PageCtx, territory: &Territory, overview: &Overview, refused: &Refused) -> Markup {
    let (empty, none) = (WorkshopForm::default(), FormErrors::default());
    let (form, errors) = match refused {
        Refused::Workshop(form, errors) => (*form, *errors),
        _ => (&empty, &none),
    };
    let steps: Vec<(String, String)> = Step::ALL.iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect();
    let (project_id, collectivity_id) = (territory.place.project_id, territory.place.collectivity_id);
    html! {
        section aria-labelledby="ateliers" {
            h2 id="ateliers" { "Ateliers (" (overview.workshops.len()) ")" }
            @if overview.workshops.is_empty() {
                p { "Aucun atelier n’est encore prévu." }
            } @else {
                ul {
                    @for workshop in &overview.workshops {
                        li {
                            a href=(workshop_path(project_id, collectivity_id, workshop.event_id)) { (workshop.title) }
                            " — " (workshop.step().label()) ", " (date_fr(workshop.starts_at)) " — " (workshop.state().label())
                        }
                    }
                }
            }
            @if territory.access.leads() && territory.project.phase() != Phase::Closed {
                details class="card" open[matches!(refused, Refused::Workshop(..))] {
                    summary { "Prévoir un atelier" }
                    form class="form" method="post" action={ (territory.path()) "/ateliers" } novalidate {
                        (csrf_field(ctx))
                        (Field::new("title", "Titre").value(&form.title).hint("Par exemple : « Imaginer l’accueil de demain ».").render(errors))
                        (select("step", "Étape du cycle", &steps, &form.step, None, errors))
                        (Field::new("starts_at", "Début").kind("datetime-local").value(&form.starts_at).hint("Heure de Paris. Format AAAA-MM-JJTHH:MM si votre navigateur ne propose pas de calendrier.").render(errors))
                        (Field::new("ends_at", "Fin").kind("datetime-local").value(&form.ends_at).render(errors))
                        (Field::new("place", "Lieu").value(&form.place).optional().render(errors))
                        (Field::new("online_url", "Lien de visioconférence").kind("url").value(&form.online_url).optional().render(errors))
                        (Field::new("dots", "Points par personne pour le vote").number(1, 50).value(&form.dots).hint("Pour un atelier de convergence : chacun répartit ses points entre les propositions, 8 par défaut.").optional().render(errors))
                        (optional_textarea("description", "Présentation", &form.description, "Ce que l’atelier doit produire, comment il se déroule.", errors))
                        button class="button" type="submit" { "Prévoir l’atelier" }
                    }
                }
            }
        }
    }
}

fn objectives_section(ctx: &PageCtx, territory: &Territory, overview: &Overview, refused: &Refused) -> Markup {
    let none = FormErrors::default();
    let (empty_objective, empty_criterion) = (ObjectiveForm::default(), CriterionForm::default());
    let (objective_form, objective_errors) = match refused {
        Refused::Objective(form, errors) => (*form, *errors),
        _ => (&empty_objective, &none),
    };
    let (criterion_form, criterion_errors) = match refused {
        Refused::Criterion(form, errors) => (*form, *errors),
        _ => (&empty_criterion, &none),
    };
    let weights_errors = match refused {
        Refused::Weights(errors) => *errors,
        _ => &none,
    };
    let facilitates = territory.access.leads() && territory.project.phase() != Phase::Closed;
    let objectives: Vec<(String, String)> =
        overview.objectives.iter().map(|(o, _)| (o.id.to_string(), o.title.clone())).collect();
    let has_criteria = overview.objectives.iter().any(|(_, c)| !c.is_empty());
    html! {
        section aria-labelledby="objectifs" {
            h2 id="objectifs" { "Objectifs et critères de réussite" }
            p { "Ce que le plan doit changer, et à quoi le groupe saura que c’est réussi. Chaque critère a un poids : à 1 partout, les critères comptent autant." }
            @if overview.objectives.is_empty() {
                p { "Aucun objectif pour l’instant." }
            } @else if facilitates && has_criteria {
                (weights_errors.summary())
                form class="form" method="post" action={ (territory.path()) "/criteres/poids" } novalidate {
                    (csrf_field(ctx))
                    (objectives_list(&overview.objectives, Some(&territory.path()), weights_errors))
                    button class="button" type="submit" { "Enregistrer les poids" }
                }
            } @else {
                (objectives_list(&overview.objectives, None, weights_errors))
            }
            @if facilitates {
                details class="card" open[matches!(refused, Refused::Objective(..))] {
                    summary { "Ajouter un objectif" }
                    form class="form" method="post" action={ (territory.path()) "/objectifs" } novalidate {
                        (csrf_field(ctx))
                        (Field::new("title", "Objectif").value(&objective_form.title).hint("Par exemple : « Qu’aucun habitant ne renonce à ses droits faute d’accompagnement ».").render(objective_errors))
                        (optional_textarea("description", "Précision", &objective_form.description, "Pour qui, où, d’ici quand.", objective_errors))
                        button class="button" type="submit" { "Ajouter l’objectif" }
                    }
                }
                @if !objectives.is_empty() {
                    details class="card" open[matches!(refused, Refused::Criterion(..))] {
                        summary { "Ajouter un critère de réussite" }
                        form class="form" method="post" action={ (territory.path()) "/criteres" } novalidate {
                            (csrf_field(ctx))
                            (select("objective", "Objectif", &objectives, &criterion_form.objective, None, criterion_errors))
                            (Field::new("label", "Critère").value(&criterion_form.label).hint("Par exemple : « Touche les personnes sans internet ».").render(criterion_errors))
                            (Field::new("weight", "Poids").number(1, MAX_WEIGHT.into()).value(&criterion_form.weight).hint("De 1 à 10 ; 1 par défaut.").optional().render(criterion_errors))
                            button class="button" type="submit" { "Ajouter le critère" }
                        }
                    }
                }
            }
        }
    }
}

/// The objectives with their criteria; `editable` (inside the weights form of the territory at `path`), a weight
/// field per criterion (`poids-<id>`) and a button that removes it (the form's token goes with it).
fn objectives_list(objectives: &[(Objective, Vec<Criterion>)], editable: Option<&str>, errors: &FormErrors) -> Markup {
    html! {
        ol class="objectives" {
            @for (objective, criteria) in objectives {
                li {
                    strong { (objective.title) }
                    @if !objective.description.is_empty() { (paragraphs(&objective.description)) }
                    @if criteria.is_empty() { p { "Pas encore de critère de réussite." } }
                    @else {
                        ul {
                            @for criterion in criteria {
                                li {
                                    @if let Some(path) = editable {
                                        @let name = format!("poids-{}", criterion.id);
                                        @let error = errors.get(&name);
                                        div class={ "field field-inline" @if error.is_some() { " field-invalid" } } {
                                            label for=(name) { (criterion.label) " — poids" }
                                            @if let Some(message) = error { p class="field-error" id={ (name) "-erreur" } { (message) } }
                                            input type="number" id=(name) name=(name) min="1" max=(MAX_WEIGHT) value=(criterion.weight)
                                                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{name}-erreur"))];
                                            " "
                                            button class="link-button" type="submit" formaction={ (path) "/criteres/" (criterion.id) "/suppression" } formnovalidate {
                                                "Retirer" span class="visually-hidden" { " le critère « " (criterion.label) " »" }
                                            }
                                        }
                                    } @else {
                                        (criterion.label) " — poids " (criterion.weight)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn refuse(
    ctx: &PageCtx,
    state: &AppState,
    territory: &Territory,
    refused: Refused<'_>,
) -> Result<HttpResponse, AppError> {
    let overview = load_overview(state, territory.place).await?;
    Ok(unprocessable(territory_page(ctx, territory, &overview, refused)))
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let overview = load_overview(&state, territory.place).await?;
    Ok(territory_page(&ctx, &territory, &overview, Refused::None))
}

pub async fn set_method(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_frame()?;
    let fields = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let chosen: Vec<String> = fields.iter().filter(|(k, _)| k == "families").map(|(_, v)| v.clone()).collect();
    let known: Vec<String> =
        state.db(move |conn| families(conn, project_id)).await?.into_iter().map(|(code, _)| code).collect();
    let frame = match Frame::parse(value("method"), value("note"), &chosen, &known) {
        Ok(frame) => frame,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return refuse(&ctx, &state, &territory, Refused::Frame(&fields, &errors)).await;
        }
    };
    let (place, by, name) = (territory.place, territory.access.require_user()?.id, territory.name.clone());
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::save_frame(conn, place, &frame, by, &name)?)
            })
        })
        .await?;
    ctx.set_flash("Méthode enregistrée.");
    Ok(see_other(&territory.path()))
}

pub async fn add_member(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_frame()?;
    let known: Vec<String> =
        state.db(move |conn| families(conn, project_id)).await?.into_iter().map(|(code, _)| code).collect();
    let parsed =
        NewWorkingMember::parse(&form.display_name, &form.category, &form.family, &form.note, &form.email, &known);
    let member = match parsed {
        Ok(member) => member,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return refuse(&ctx, &state, &territory, Refused::Member(&form, &errors)).await;
        }
    };
    let user = territory.access.require_user()?.clone();
    let (place, name, to_add) = (territory.place, territory.name.clone(), member.clone());
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::add_working_member(conn, place, &to_add, user.id, &name)?)
            })
        })
        .await?;
    let id = match outcome {
        AddOutcome::Added(id) => id,
        AddOutcome::EmailTaken => {
            let mut errors = FormErrors::default();
            errors.add("email", "Une personne du groupe de travail a déjà cette adresse électronique.");
            return refuse(&ctx, &state, &territory, Refused::Member(&form, &errors)).await;
        }
    };
    let display_name = &member.member.display_name;
    match &member.member.email {
        Some(email) => {
            send_invitation(&state, &user, email, InvitationTarget::WorkingMember { id, name: territory.name.clone() })
                .await?;
            ctx.set_flash(&format!(
                "{display_name} rejoint le groupe de travail ; une invitation à créer son compte est envoyée à {}.",
                email.as_str()
            ));
        }
        None => ctx.set_flash(&format!("{display_name} rejoint le groupe de travail.")),
    }
    Ok(see_other(&format!("{}#groupe", territory.path())))
}

pub async fn remove_member(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, member_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_frame()?;
    let place = territory.place;
    let removed = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::remove_working_member(conn, place, member_id)?)
            })
        })
        .await?;
    // Removed already (a second click): the page shows the group as it is.
    ctx.set_flash(if removed {
        "La personne a quitté le groupe de travail ; ses idées restent."
    } else {
        "Cette personne n’est plus dans le groupe."
    });
    Ok(see_other(&format!("{}#groupe", territory.path())))
}

pub async fn create_workshop(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<WorkshopForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_facilitator()?;
    let collectivity = collectivity_id.to_string();
    let event = NewEvent::parse(&EventInput {
        kind: "workshop",
        title: &form.title,
        description: &form.description,
        starts_at: &form.starts_at,
        ends_at: &form.ends_at,
        place: &form.place,
        online_url: &form.online_url,
        collectivity_id: &collectivity,
    });
    let step = Step::parse(&form.step);
    let dots = parse_dots(&form.dots);
    let (event, step, dots) = match (event, step, dots) {
        (Ok(event), Ok(step), Ok(dots)) => (event, step, dots),
        (event, step, dots) => {
            let mut errors = FormErrors::from(event.err().unwrap_or_default());
            if let Err(e) = step {
                errors.add("step", e);
            }
            if let Err(e) = dots {
                errors.add("dots", e);
            }
            return refuse(&ctx, &state, &territory, Refused::Workshop(&form, &errors)).await;
        }
    };
    let (place, title) = (territory.place, territory.project.title.clone());
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::insert_workshop(conn, &event, step, dots, by, &title, place)?)
            })
        })
        .await?;
    ctx.set_flash("Atelier prévu : ouvrez-le aux contributions le moment venu.");
    Ok(see_other(&workshop_path(project_id, collectivity_id, id)))
}

pub async fn add_objective(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ObjectiveForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_facilitator()?;
    let objective = match NewObjective::parse(&form.title, &form.description) {
        Ok(objective) => objective,
        Err(errors) => {
            let errors = FormErrors::from(errors);
            return refuse(&ctx, &state, &territory, Refused::Objective(&form, &errors)).await;
        }
    };
    let (place, name) = (territory.place, territory.name.clone());
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::insert_objective(conn, place, &objective, by, &name)?)
            })
        })
        .await?;
    ctx.set_flash("Objectif ajouté : donnez-lui ses critères de réussite.");
    Ok(see_other(&format!("{}#objectifs", territory.path())))
}

pub async fn add_criterion(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<CriterionForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_facilitator()?;
    let place = territory.place;
    let objectives = state.db(move |conn| Ok(codesign::objectives_of(conn, place)?)).await?;
    let objective = form.objective.trim().parse::<i64>().ok().filter(|id| objectives.iter().any(|(o, _)| o.id == *id));
    let criterion = NewCriterion::parse(&form.label, &form.weight);
    let (objective, criterion) = match (objective, criterion) {
        (Some(objective), Ok(criterion)) => (objective, criterion),
        (objective, criterion) => {
            let mut errors = FormErrors::from(criterion.err().unwrap_or_default());
            if objective.is_none() {
                errors.add("objective", "Choisissez l’objectif dans la liste.");
            }
            return refuse(&ctx, &state, &territory, Refused::Criterion(&form, &errors)).await;
        }
    };
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::insert_criterion(conn, objective, &criterion)?)
            })
        })
        .await?;
    ctx.set_flash("Critère de réussite ajouté.");
    Ok(see_other(&format!("{}#objectifs", territory.path())))
}

pub async fn remove_criterion(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, criterion_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_facilitator()?;
    let place = territory.place;
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::remove_criterion(conn, place, criterion_id)?)
            })
        })
        .await?;
    match outcome {
        // Removed already (a second click): the page shows the criteria as they are.
        CriterionRemoval::Removed | CriterionRemoval::Missing => ctx.set_flash("Critère retiré."),
        CriterionRemoval::Scored => {
            return Err(AppError::BadRequest(
                "Ce critère a déjà reçu des notes : le retirer changerait ce que les personnes ont dit. Donnez-lui plutôt le poids 1."
                    .into(),
            ))
        }
    }
    Ok(see_other(&format!("{}#objectifs", territory.path())))
}

pub async fn set_weights(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_facilitator()?;
    let fields = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let mut errors = FormErrors::default();
    let mut weights = Vec::new();
    for (name, value) in &fields {
        let Some(id) = name.strip_prefix("poids-").and_then(|id| id.parse::<i64>().ok()) else { continue };
        match parse_weight(value) {
            Ok(weight) => weights.push((id, weight)),
            Err(e) => errors.add(name.clone(), e),
        }
    }
    if !errors.is_empty() {
        return refuse(&ctx, &state, &territory, Refused::Weights(&errors)).await;
    }
    let place = territory.place;
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(codesign::set_weights(conn, place, &weights)?))
        })
        .await?;
    ctx.set_flash("Poids des critères enregistrés.");
    Ok(see_other(&format!("{}#objectifs", territory.path())))
}

/// The cycle's section of the project page: a link per participant territory, for those who see it, and the
/// published syntheses of workshops, for everyone.
pub fn section(
    project: &Project,
    territories: &[(i64, String)],
    syntheses: &[(Workshop, String)],
    access: &Access,
) -> Markup {
    let visible: Vec<&(i64, String)> = territories.iter().filter(|(c, _)| may_see(access, *c)).collect();
    html! {
        @if !visible.is_empty() || !syntheses.is_empty() {
            section aria-labelledby="croisement" {
                h2 id="croisement" { "Croisement des regards" }
                @if !visible.is_empty() {
                    p { "Sur chaque territoire, un groupe de travail imagine, se donne des objectifs et des critères, puis converge sur les actions du plan." }
                    ul { @for (collectivity_id, name) in visible { li { a href=(co_design_path(project.id, *collectivity_id)) { "Le cycle de créativité " (de(name)) } } } }
                }
                @if !syntheses.is_empty() {
                    h3 { "Synthèses des ateliers" }
                    @for (workshop, territory) in syntheses {
                        article class="card" {
                            h4 { (workshop.title) " — " (territory) ", " (date_fr(workshop.starts_at)) }
                            @if let Some(text) = &workshop.synthesis { div class="markdown" { (crate::domain::markdown::Markdown(text)) } }
                        }
                    }
                }
            }
        }
    }
}
