//! The agency's programmes: the built-in three (read-only, duplicated to adapt them) and its own, created, edited
//! (each save a new version, a stale form refused with the other version named), archived, exported as JSON or TOML
//! and imported from such a file. A programme's page lists its versions and the projects opened from each.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::programme::{
    CategorySource, PhaseSource, Programme, ProgrammeSource, SeminarSource, MAX_WEEKS, PLAN_KINDS,
};
use crate::domain::project::{Phase, MAX_PARTICIPANTS_LIMIT};
use crate::storage;
use crate::storage::programmes::{self, ProgrammeRow, ProgrammeVersion, Saved};
use crate::web::context::PageCtx;
use crate::web::upload;
use crate::web::views::{
    csrf_field, date_fr, html_response, optional_textarea, page, page_with_errors, paragraphs, scroll_table, see_other,
    textarea, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

const INDEX: &str = "/admin/programmes";
/// Blank rows of the seminar plan offered below the filled ones, and added by « Ajouter des lignes ».
const BLANK_ROWS: usize = 3;
const MAX_FILE: usize = 1024 * 1024;

pub fn programme_path(id: i64) -> String {
    format!("{INDEX}/{id}")
}

/// The facts of a programme in one line: bounds, duration, plan, categories.
pub fn programme_facts(p: &Programme) -> Markup {
    let local = p.seminars.iter().filter(|s| s.per_territory()).count();
    html! {
        p {
            (p.min_participants) " à " (p.max_participants) " participantes · "
            (p.phases.len()) " phases, " (p.total_weeks()) " semaines · "
            (p.seminars.len()) " rendez-vous au plan"
            @if local > 0 { " (dont " (local) " séminaire" @if local > 1 { "s" } " local" @if local > 1 { "aux" } " par territoire)" }
            " · " (p.categories.len()) " catégorie" @if p.categories.len() > 1 { "s" } " d’acteurs"
        }
    }
}

fn weeks_field(phase: Phase) -> &'static str {
    match phase {
        Phase::Enrolment => "weeks_enrolment",
        Phase::ProviderSelection => "weeks_provider_selection",
        Phase::Diagnostic => "weeks_diagnostic",
        Phase::CoDesign => "weeks_co_design",
        Phase::Adoption => "weeks_adoption",
        Phase::Restitution => "weeks_restitution",
        Phase::FollowUp => "weeks_follow_up",
        Phase::Closed => "weeks_closed",
    }
}

fn planned_phases() -> impl Iterator<Item = Phase> {
    Phase::ALL.into_iter().filter(|p| *p != Phase::Closed)
}

// ---------------------------------------------------------------------------------------------------------------
// The list, and importing a file

fn index_page(ctx: &PageCtx, rows: &[(ProgrammeRow, ProgrammeVersion, i64)], import: Option<&[String]>) -> Markup {
    let errors = FormErrors::default();
    page_with_errors(
        ctx,
        "Programmes",
        &errors,
        html! {
            p class="breadcrumb" { a href="/admin" { "Administration" } " › Programmes" }
            h1 { "Programmes" }
            p {
                "Un programme est le modèle d’un projet partagé : le nombre de participantes, les phases et leur durée, "
                "le plan des séminaires, les catégories des délégations, une charte et les livrables attendus. "
                "Chaque modification crée une version ; un projet garde celle avec laquelle il a été ouvert."
            }
            @if let Some(problems) = import {
                div class="error-summary" id="erreurs" role="alert" tabindex="-1" autofocus {
                    h2 { "Le fichier n’a pas été importé" }
                    ul { @for p in problems { li { (p) } } }
                }
            }
            (scroll_table("Les programmes", html! {
                table {
                    thead { tr { th scope="col" { "Programme" } th scope="col" { "Version" } th scope="col" { "En bref" } th scope="col" { "Projets" } } }
                    tbody {
                        @for (row, version, projects) in rows {
                            tr {
                                th scope="row" {
                                    a href=(programme_path(row.id)) { (row.name) }
                                    @if row.built_in.is_some() { br; span class="badge" { "Fourni avec encommun" } }
                                    @if row.archived_at.is_some() { br; span class="badge" { "Archivé" } }
                                }
                                td { (version.version) }
                                td { (programme_facts(&version.programme)) }
                                td { (projects) }
                            }
                        }
                    }
                }
            }))
            p { a class="button" href={ (INDEX) "/nouveau" } { "Créer un programme" } }
            section aria-labelledby="import" {
                h2 id="import" { "Importer un programme" }
                p {
                    "Un fichier exporté d’encommun (JSON ou TOML). S’il porte le nom d’un programme de l’agence, il "
                    "en devient la nouvelle version ; sinon il crée un programme."
                }
                form class="form" method="post" enctype="multipart/form-data" action={ (INDEX) "/import?csrf_token=" (ctx.csrf_token()) } {
                    div class="field" {
                        label for="fichier" { "Fichier du programme" }
                        p class="hint" id="fichier-aide" { "Un fichier .json ou .toml, d’au plus 1 Mo." }
                        input type="file" id="fichier" name="fichier" accept=".json,.toml,application/json" aria-describedby="fichier-aide";
                    }
                    button class="button" type="submit" { "Importer" }
                }
            }
        },
    )
}

async fn load_index(state: &AppState) -> Result<Vec<(ProgrammeRow, ProgrammeVersion, i64)>, AppError> {
    state
        .db(|conn| {
            let counts = programmes::project_counts(conn)?;
            let count_of = |id: i64| counts.iter().find(|(p, _)| *p == id).map_or(0, |(_, n)| *n);
            Ok(programmes::current_versions(conn)?
                .into_iter()
                .map(|(row, version)| {
                    let projects = count_of(row.id);
                    (row, version, projects)
                })
                .collect())
        })
        .await
}

pub async fn index(ctx: PageCtx, state: web::Data<AppState>) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let rows = load_index(&state).await?;
    Ok(index_page(&ctx, &rows, None))
}

pub async fn import(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.require_admin()?.clone();
    let body = upload::read_body(payload, MAX_FILE).await?;
    let parts = upload::parts(&req, &body)?;
    let read = parts
        .iter()
        .find(|p| p.name == "fichier" && !p.data.is_empty())
        .ok_or_else(|| vec!["Choisissez le fichier du programme à importer.".to_owned()])
        .and_then(|p| {
            p.text().ok_or_else(|| vec!["Le fichier n’est pas du texte UTF-8 : exportez-le à nouveau.".to_owned()])
        })
        .and_then(Programme::read_file);
    let programme = match read {
        Ok(programme) => programme,
        Err(problems) => {
            let rows = load_index(&state).await?;
            return Ok(unprocessable(index_page(&ctx, &rows, Some(&problems))));
        }
    };
    let saved = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok(programmes::import_programme(conn, &programme, admin.id)?))
        })
        .await?;
    match saved {
        Saved::Version { programme_id, version } => {
            ctx.set_flash(&format!("Programme importé : c’est sa version {version}."));
            Ok(see_other(&programme_path(programme_id)))
        }
        Saved::Unchanged { programme_id, version } => {
            ctx.set_flash(&format!("Le fichier est identique à la version {version} : rien n’a changé."));
            Ok(see_other(&programme_path(programme_id)))
        }
        Saved::BuiltIn => {
            let rows = load_index(&state).await?;
            let problem = "Ce fichier porte le nom d’un programme fourni avec encommun, qui ne se modifie pas : \
                changez son nom (champ « name ») pour l’importer comme un nouveau programme."
                .to_owned();
            Ok(unprocessable(index_page(&ctx, &rows, Some(&[problem]))))
        }
        Saved::NameTaken | Saved::Stale { .. } => Err(AppError::BadRequest(
            "Un autre programme a été enregistré sous ce nom au même moment : rechargez la liste.".into(),
        )),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// A programme's page and its files

#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<String>,
}

struct ProgrammePage {
    row: ProgrammeRow,
    shown: ProgrammeVersion,
    versions: Vec<ProgrammeVersion>,
    projects: Vec<(i64, String, i32)>,
}

async fn load_programme(state: &AppState, id: i64, version: Option<&str>) -> Result<ProgrammePage, AppError> {
    let version: Option<i32> = match version.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => Some(v.parse().map_err(|_| AppError::NotFound)?),
        None => None,
    };
    state
        .db(move |conn| {
            let Some(row) = programmes::find_programme(conn, id)? else { return Ok(None) };
            let versions = programmes::versions_of(conn, id)?;
            let wanted = version.unwrap_or(row.current_version);
            let Some(shown) = versions.iter().find(|v| v.version == wanted).cloned() else { return Ok(None) };
            let projects = programmes::projects_of(conn, id)?;
            Ok(Some(ProgrammePage { row, shown, versions, projects }))
        })
        .await?
        .ok_or(AppError::NotFound)
}

fn programme_page(ctx: &PageCtx, data: &ProgrammePage) -> Markup {
    let ProgrammePage { row, shown, versions, projects } = data;
    let p = &shown.programme;
    let path = programme_path(row.id);
    let current = shown.version == row.current_version;
    let version_query = if current { String::new() } else { format!("?version={}", shown.version) };
    let spans = p.week_spans();
    page(
        ctx,
        &format!("Programme « {} »", p.name),
        html! {
            p class="breadcrumb" { a href="/admin" { "Administration" } " › " a href=(INDEX) { "Programmes" } " › " (p.name) }
            h1 { "Programme « " (p.name) " »" }
            p {
                "Version " (shown.version)
                @if current { " (la version en vigueur)" } @else { " — la version en vigueur est la " a href=(path) { (row.current_version) } }
                @if row.built_in.is_some() { " · fourni avec encommun : dupliquez-le pour l’adapter" }
                @if let Some(at) = row.archived_at { " · archivé le " (date_fr(at.date())) ", aucun projet ne peut plus en être ouvert" }
            }
            (paragraphs(&p.summary))
            (programme_facts(p))
            ul class="actions" {
                @if row.built_in.is_none() && current { li { a class="button" href={ (path) "/modifier" } { "Modifier" } } }
                li { a href={ (INDEX) "/nouveau?depuis=" (row.id) } { "Dupliquer pour créer un programme" } }
                li { a href={ (path) "/programme.json" (version_query) } download { "Exporter en JSON" } }
                li { a href={ (path) "/programme.toml" (version_query) } download { "Exporter en TOML" } }
            }
            section aria-labelledby="phases" {
                h2 id="phases" { "Phases et durées" }
                (scroll_table("Les phases du programme", html! {
                    table {
                        thead { tr { th scope="col" { "Phase" } th scope="col" { "Durée" } th scope="col" { "Semaines" } } }
                        tbody {
                            @for phase in planned_phases() {
                                @let span = spans.iter().find(|(spanned, _, _)| *spanned == phase);
                                tr {
                                    th scope="row" { (phase.label()) }
                                    @match p.phases.iter().find(|(used, _)| *used == phase) {
                                        Some((_, weeks)) => { td { (weeks) " semaine" @if *weeks > 1 { "s" } } }
                                        None => { td { "Phase non prévue par le programme" } }
                                    }
                                    td {
                                        @if let Some((_, first, last)) = span { (first) " à " (last) } @else { "—" }
                                    }
                                }
                            }
                        }
                    }
                }))
            }
            section aria-labelledby="seminaires" {
                h2 id="seminaires" { "Plan des séminaires" }
                p { "À l’ouverture d’un projet, les rendez-vous de la phase des inscriptions sont datés ; les autres le sont à la fin des inscriptions, un par territoire participant pour les séminaires locaux. Leurs dates restent à confirmer par l’agence ou le prestataire." }
                @if p.seminars.is_empty() { p { "Aucun rendez-vous au plan." } }
                @else {
                    (scroll_table("Le plan des séminaires", html! {
                        table {
                            thead { tr { th scope="col" { "Rendez-vous" } th scope="col" { "Type" } th scope="col" { "Phase" } th scope="col" { "Semaine de la phase" } th scope="col" { "Durée" } } }
                            tbody {
                                @for s in &p.seminars {
                                    tr {
                                        th scope="row" { (s.title) }
                                        td { (s.kind.label()) @if s.per_territory() { " (un par territoire)" } }
                                        td { (s.phase.label()) }
                                        td { (s.week) }
                                        td { (s.hours) " h" }
                                    }
                                }
                            }
                        }
                    }))
                }
            }
            section aria-labelledby="categories" {
                h2 id="categories" { "Catégories des délégations" }
                ul { @for (label, member) in &p.categories { li { (label) " (" (member) ")" } } }
            }
            section aria-labelledby="charte" {
                h2 id="charte" { "Modèle de charte" }
                (paragraphs(&p.charter))
            }
            section aria-labelledby="livrables" {
                h2 id="livrables" { "Livrables attendus" }
                @if p.deliverables.is_empty() { p { "Aucun livrable indiqué." } }
                @else { ul { @for d in &p.deliverables { li { (d) } } } }
            }
            section aria-labelledby="versions" {
                h2 id="versions" { "Versions" }
                ol reversed {
                    @for v in versions {
                        li {
                            @if v.version == shown.version { strong { "Version " (v.version) } }
                            @else { a href={ (path) "?version=" (v.version) } { "Version " (v.version) } }
                            ", du " (date_fr(v.created_at.date()))
                            @if !v.note.is_empty() { " — " (v.note) }
                        }
                    }
                }
            }
            section aria-labelledby="projets" {
                h2 id="projets" { "Projets ouverts avec ce programme" }
                @if projects.is_empty() { p { "Aucun pour l’instant." } }
                @else {
                    ul { @for (id, title, version) in projects { li { a href={ "/projets/" (id) } { (title) } ", version " (version) } } }
                }
            }
            @if row.built_in.is_none() {
                form class="form" method="post" action={ (path) "/archivage" } {
                    (csrf_field(ctx))
                    @if row.archived_at.is_some() {
                        input type="hidden" name="archived" value="non";
                        button class="button button-secondary" type="submit" { "Rouvrir le programme aux nouveaux projets" }
                    } @else {
                        input type="hidden" name="archived" value="oui";
                        button class="button button-secondary" type="submit" { "Archiver : plus aucun projet ne s’ouvrira avec ce programme" }
                    }
                }
            }
        },
    )
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<VersionQuery>,
) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let data = load_programme(&state, id.into_inner(), query.version.as_deref()).await?;
    Ok(programme_page(&ctx, &data))
}

fn file_response(data: &ProgrammePage, extension: &str) -> HttpResponse {
    let p = &data.shown.programme;
    let (body, content_type) = match extension {
        "toml" => (p.to_toml(Some(data.shown.version)), "application/toml; charset=utf-8"),
        _ => (p.to_json(Some(data.shown.version)), "application/json; charset=utf-8"),
    };
    let stem: String = crate::domain::text::fold(&p.name).replace(' ', "-");
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"programme-{stem}-v{}.{extension}\"", data.shown.version),
        ))
        .body(body)
}

async fn export(
    ctx: PageCtx,
    state: &AppState,
    id: i64,
    version: Option<&str>,
    extension: &str,
) -> Result<HttpResponse, AppError> {
    ctx.require_admin()?;
    let data = load_programme(state, id, version).await?;
    Ok(file_response(&data, extension))
}

pub async fn export_json(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    export(ctx, &state, id.into_inner(), query.version.as_deref(), "json").await
}

pub async fn export_toml(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    export(ctx, &state, id.into_inner(), query.version.as_deref(), "toml").await
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    archived: String,
}

pub async fn archive(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<ArchiveForm>,
) -> Result<HttpResponse, AppError> {
    ctx.require_admin()?;
    let id = id.into_inner();
    let archived = form.archived == "oui";
    let changed = state.db(move |conn| Ok(programmes::set_archived(conn, id, archived)?)).await?;
    if !changed {
        return Err(AppError::BadRequest("Un programme fourni avec encommun ne s’archive pas.".into()));
    }
    ctx.set_flash(if archived {
        "Programme archivé : les projets déjà ouverts le gardent, aucun nouveau ne s’ouvrira avec lui."
    } else {
        "Le programme est de nouveau proposé à l’ouverture des projets."
    });
    Ok(see_other(&programme_path(id)))
}

// ---------------------------------------------------------------------------------------------------------------
// Creating and editing

/// The form as typed: its fields by name (the seminar plan's rows are numbered).
struct ProgrammeForm {
    fields: Vec<(String, String)>,
}

impl ProgrammeForm {
    fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    fn from_programme(p: &Programme) -> ProgrammeForm {
        let mut fields = vec![
            ("name".to_owned(), p.name.clone()),
            ("summary".to_owned(), p.summary.clone()),
            ("min_participants".to_owned(), p.min_participants.to_string()),
            ("max_participants".to_owned(), p.max_participants.to_string()),
            ("charter".to_owned(), p.charter.clone()),
            ("deliverables".to_owned(), p.deliverables.join("\n")),
            (
                "categories".to_owned(),
                p.categories.iter().map(|(l, m)| format!("{l} ; {m}")).collect::<Vec<_>>().join("\n"),
            ),
        ];
        for (phase, weeks) in &p.phases {
            fields.push((weeks_field(*phase).to_owned(), weeks.to_string()));
        }
        for (n, s) in p.seminars.iter().enumerate() {
            fields.push((format!("seminar_{n}_title"), s.title.clone()));
            fields.push((format!("seminar_{n}_kind"), s.kind.code().to_owned()));
            fields.push((format!("seminar_{n}_phase"), s.phase.code().to_owned()));
            fields.push((format!("seminar_{n}_week"), s.week.to_string()));
            fields.push((format!("seminar_{n}_hours"), s.hours.to_string()));
        }
        ProgrammeForm { fields }
    }

    /// The rows of the seminar plan the form holds (filled or not).
    fn seminar_rows(&self) -> usize {
        self.fields
            .iter()
            .filter_map(|(k, _)| k.strip_prefix("seminar_")?.split('_').next()?.parse::<usize>().ok())
            .max()
            .map_or(0, |n| n + 1)
    }

    /// The form with the plan's rows that have no title left out and the others numbered again in their order, so
    /// that the rows the page shows back are the rows `Programme::check` numbers in its messages.
    fn compacted(self) -> ProgrammeForm {
        let kept: Vec<usize> =
            (0..self.seminar_rows()).filter(|n| !self.get(&format!("seminar_{n}_title")).trim().is_empty()).collect();
        let fields = self
            .fields
            .into_iter()
            .filter_map(|(key, value)| {
                let Some((row, what)) = key.strip_prefix("seminar_").and_then(|rest| rest.split_once('_')) else {
                    return Some((key, value));
                };
                let at = kept.iter().position(|n| Some(*n) == row.parse().ok())?;
                Some((format!("seminar_{at}_{what}"), value))
            })
            .collect();
        ProgrammeForm { fields }
    }

    /// The source the form (compacted) describes, with the mistakes a number's typing makes; the rest is
    /// `Programme::check`'s.
    fn source(&self) -> (ProgrammeSource, Vec<(String, String)>) {
        let mut errors = Vec::new();
        let mut number = |field: &str, what: &str| -> i64 {
            match self.get(field).trim().parse::<i64>() {
                Ok(n) => n,
                Err(_) => {
                    errors.push((field.to_owned(), format!("{what} s’écrit en chiffres.")));
                    0
                }
            }
        };
        let min_participants = number("min_participants", "Le nombre minimum de participantes") as i32;
        let max_participants = number("max_participants", "Le nombre maximum de participantes") as i32;
        let mut phases = Vec::new();
        for phase in planned_phases() {
            let field = weeks_field(phase);
            // An empty duration leaves the phase out: `check` says so if the phase is not optional.
            if self.get(field).trim().is_empty() {
                continue;
            }
            let weeks = number(field, &format!("La durée de la phase « {} »", phase.label()));
            phases.push(PhaseSource { phase: phase.code().into(), weeks: u32::try_from(weeks).unwrap_or(0) });
        }
        let mut seminars = Vec::new();
        for n in 0..self.seminar_rows() {
            let title = self.get(&format!("seminar_{n}_title"));
            let week = number(&format!("seminar_{n}_week"), &format!("La semaine du rendez-vous {}", n + 1));
            let hours = number(&format!("seminar_{n}_hours"), &format!("La durée du rendez-vous {}", n + 1));
            seminars.push(SeminarSource {
                title: title.to_owned(),
                kind: self.get(&format!("seminar_{n}_kind")).to_owned(),
                phase: self.get(&format!("seminar_{n}_phase")).to_owned(),
                week: u32::try_from(week).unwrap_or(0),
                hours: u32::try_from(hours).unwrap_or(0),
            });
        }
        let categories = self
            .get("categories")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let (label, member) = line.split_once(';').unwrap_or((line, ""));
                CategorySource { label: label.trim().to_owned(), member: member.trim().to_owned() }
            })
            .collect();
        let source = ProgrammeSource {
            name: self.get("name").to_owned(),
            summary: self.get("summary").to_owned(),
            min_participants,
            max_participants,
            charter: self.get("charter").to_owned(),
            deliverables: self.get("deliverables").lines().map(str::to_owned).collect(),
            phases,
            seminars,
            categories,
        };
        (source, errors)
    }
}

fn check_form(form: &ProgrammeForm) -> Result<Programme, FormErrors> {
    let (source, mut errors) = form.source();
    match Programme::check(&source) {
        Ok(programme) if errors.is_empty() => Ok(programme),
        Ok(_) => Err(FormErrors::from(errors)),
        Err(checked) => {
            // A number typed wrong is said once, by the form.
            for (field, message) in checked {
                if !errors.iter().any(|(f, _)| *f == field) {
                    errors.push((field, message));
                }
            }
            Err(FormErrors::from(errors))
        }
    }
}

fn edit_page(
    ctx: &PageCtx,
    editing: Option<(&ProgrammeRow, i32)>,
    form: &ProgrammeForm,
    rows: usize,
    errors: &FormErrors,
) -> Markup {
    let title = match editing {
        Some((row, _)) => format!("Modifier le programme « {} »", row.name),
        None => "Créer un programme".to_owned(),
    };
    let action = match editing {
        Some((row, _)) => programme_path(row.id),
        None => INDEX.to_owned(),
    };
    let kinds: Vec<(String, String)> = PLAN_KINDS.iter().map(|k| (k.code().to_owned(), k.label().to_owned())).collect();
    let phases: Vec<(String, String)> = planned_phases().map(|p| (p.code().to_owned(), p.label().to_owned())).collect();
    let cell_error = |field: &str| errors.get(field).map(str::to_owned);
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            p class="breadcrumb" { a href="/admin" { "Administration" } " › " a href=(INDEX) { "Programmes" } " › " (title) }
            h1 { (title) }
            (errors.summary())
            form class="form" method="post" action=(action) novalidate {
                (csrf_field(ctx))
                @if let Some((_, version)) = editing { input type="hidden" name="expected_version" value=(version); }
                (Field::new("name", "Nom du programme").value(form.get("name")).render(errors))
                (optional_textarea("summary", "Présentation", form.get("summary"), "Ce que vivent les territoires qui le suivent, en quelques phrases.", errors))
                (Field::new("min_participants", "Nombre minimum de participantes").number(1, MAX_PARTICIPANTS_LIMIT.into()).value(form.get("min_participants")).render(errors))
                (Field::new("max_participants", "Nombre maximum de participantes").number(1, MAX_PARTICIPANTS_LIMIT.into()).value(form.get("max_participants")).render(errors))
                fieldset class="field" {
                    legend { "Phases et durées, en semaines" }
                    p class="hint" { "Le choix du prestataire, la restitution aux habitants et le suivi sont facultatifs : laissez leur durée vide si le programme ne les prévoit pas." }
                    @for phase in planned_phases() {
                        @let field = Field::new(weeks_field(phase), phase.label()).number(1, MAX_WEEKS.into()).value(form.get(weeks_field(phase)));
                        @if Phase::OPTIONAL.contains(&phase) { (field.optional().render(errors)) } @else { (field.render(errors)) }
                    }
                }
                fieldset class="field" {
                    legend { "Plan des séminaires" }
                    p class="hint" { "Un rendez-vous par ligne ; une ligne sans titre est ignorée. Un séminaire local a lieu sur chaque territoire participant ; les autres types réunissent tout le projet. La semaine se compte depuis le début de la phase (1 pour la première)." }
                    (scroll_table("Les rendez-vous du plan", html! {
                        table class="plan-rows" {
                            thead { tr { th scope="col" { "Titre" } th scope="col" { "Type" } th scope="col" { "Phase" } th scope="col" { "Semaine" } th scope="col" { "Durée (heures)" } } }
                            tbody {
                                @for n in 0..rows {
                                    tr {
                                        @for (what, label) in [("title", "Titre"), ("kind", "Type"), ("phase", "Phase"), ("week", "Semaine"), ("hours", "Durée en heures")] {
                                            @let name = format!("seminar_{n}_{what}");
                                            @let error = cell_error(&name);
                                            td class=[error.as_ref().map(|_| "field-invalid")] {
                                                label class="visually-hidden" for=(name) { (label) " du rendez-vous " (n + 1) }
                                                @if let Some(message) = &error { p class="field-error" id={ (name) "-erreur" } { span aria-hidden="true" { "⚠ " } (message) } }
                                                @match what {
                                                    "kind" | "phase" => {
                                                        @let options = if what == "kind" { &kinds } else { &phases };
                                                        select id=(name) name=(name) aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=[error.as_ref().map(|_| format!("{name}-erreur"))] {
                                                            @for (code, text) in options { option value=(code) selected[form.get(&name) == code] { (text) } }
                                                        }
                                                    }
                                                    "title" => {
                                                        input id=(name) name=(name) type="text" value=(form.get(&name)) aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=[error.as_ref().map(|_| format!("{name}-erreur"))];
                                                    }
                                                    _ => {
                                                        input id=(name) name=(name) type="number" min="1" max=(if what == "week" { MAX_WEEKS } else { 12 }) value=(form.get(&name)) aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=[error.as_ref().map(|_| format!("{name}-erreur"))];
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }))
                    button class="button button-secondary" type="submit" name="more_rows" value="oui" { "Ajouter des lignes" }
                }
                (textarea("categories", "Catégories des délégations", form.get("categories"), "Une par ligne : le nom du groupe, puis après un point-virgule celui d’un membre (« Élus ; Élu·e »).", errors))
                (textarea("charter", "Modèle de charte", form.get("charter"), "Les engagements des collectivités participantes ; chaque projet peut l’adapter à son ouverture.", errors))
                (optional_textarea("deliverables", "Livrables attendus", form.get("deliverables"), "Un par ligne.", errors))
                @if editing.is_some() {
                    (Field::new("note", "Ce qui change dans cette version").value(form.get("note")).optional().hint("Affiché dans la liste des versions.").render(errors))
                }
                button class="button" type="submit" { @if editing.is_some() { "Enregistrer une nouvelle version" } @else { "Créer le programme" } }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct NewQuery {
    depuis: Option<String>,
}

pub async fn new_form(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<NewQuery>,
) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let from: Option<i64> = query.depuis.as_deref().and_then(|id| id.trim().parse().ok());
    let source = state
        .db(move |conn| {
            let version = match from {
                Some(id) => match programmes::find_programme(conn, id)? {
                    Some(row) => programmes::find_version(conn, id, row.current_version)?,
                    None => None,
                },
                None => programmes::find_built_in(conn, "territoires-en-commun")?,
            };
            Ok(version)
        })
        .await?;
    let mut form = match source {
        Some(version) => ProgrammeForm::from_programme(&version.programme),
        None => ProgrammeForm { fields: Vec::new() },
    };
    if let Some(slot) = form.fields.iter_mut().find(|(k, _)| k == "name") {
        slot.1 = format!("{} (copie)", slot.1);
    }
    let rows = form.seminar_rows() + BLANK_ROWS;
    Ok(edit_page(&ctx, None, &form, rows, &FormErrors::default()))
}

pub async fn create(
    ctx: PageCtx,
    state: web::Data<AppState>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.require_admin()?.clone();
    let form = ProgrammeForm { fields: fields.into_inner() }.compacted();
    if !form.get("more_rows").is_empty() {
        let rows = form.seminar_rows() + BLANK_ROWS;
        return Ok(html_response(
            actix_web::http::StatusCode::OK,
            edit_page(&ctx, None, &form, rows, &FormErrors::default()),
        ));
    }
    let programme = match check_form(&form) {
        Ok(programme) => programme,
        Err(errors) => {
            let rows = form.seminar_rows().max(1);
            return Ok(unprocessable(edit_page(&ctx, None, &form, rows, &errors)));
        }
    };
    let saved = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok(programmes::create_programme(conn, &programme, "Création du programme.", admin.id)?)
            })
        })
        .await?;
    match saved {
        Saved::Version { programme_id, .. } | Saved::Unchanged { programme_id, .. } => {
            ctx.set_flash("Programme créé. Il est proposé à l’ouverture des projets.");
            Ok(see_other(&programme_path(programme_id)))
        }
        _ => {
            let mut errors = FormErrors::default();
            errors.add("name", "Un programme porte déjà ce nom : choisissez-en un autre.");
            let rows = form.seminar_rows().max(1);
            Ok(unprocessable(edit_page(&ctx, None, &form, rows, &errors)))
        }
    }
}

async fn editable(state: &AppState, id: i64) -> Result<(ProgrammeRow, ProgrammeVersion), AppError> {
    let found = state
        .db(move |conn| {
            let Some(row) = programmes::find_programme(conn, id)? else { return Ok(None) };
            let version = programmes::find_version(conn, id, row.current_version)?;
            Ok(version.map(|v| (row, v)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    if found.0.built_in.is_some() {
        return Err(AppError::BadRequest(
            "Un programme fourni avec encommun ne se modifie pas : dupliquez-le pour l’adapter.".into(),
        ));
    }
    Ok(found)
}

pub async fn edit_form(ctx: PageCtx, state: web::Data<AppState>, id: web::Path<i64>) -> Result<Markup, AppError> {
    ctx.require_admin()?;
    let (row, version) = editable(&state, id.into_inner()).await?;
    let form = ProgrammeForm::from_programme(&version.programme);
    let rows = form.seminar_rows() + BLANK_ROWS;
    Ok(edit_page(&ctx, Some((&row, version.version)), &form, rows, &FormErrors::default()))
}

pub async fn update(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.require_admin()?.clone();
    let (row, _) = editable(&state, id.into_inner()).await?;
    let form = ProgrammeForm { fields: fields.into_inner() }.compacted();
    let expected: i32 = form.get("expected_version").trim().parse().unwrap_or(row.current_version);
    if !form.get("more_rows").is_empty() {
        let rows = form.seminar_rows() + BLANK_ROWS;
        let page = edit_page(&ctx, Some((&row, expected)), &form, rows, &FormErrors::default());
        return Ok(html_response(actix_web::http::StatusCode::OK, page));
    }
    let programme = match check_form(&form) {
        Ok(programme) => programme,
        Err(errors) => {
            let rows = form.seminar_rows().max(1);
            return Ok(unprocessable(edit_page(&ctx, Some((&row, expected)), &form, rows, &errors)));
        }
    };
    let note = form.get("note").trim().chars().take(300).collect::<String>();
    let programme_id = row.id;
    let saved = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok(programmes::save_version(conn, programme_id, Some(expected), &programme, &note, admin.id)?)
            })
        })
        .await?;
    let mut errors = FormErrors::default();
    match saved {
        Saved::Version { version, .. } => {
            ctx.set_flash(&format!("Version {version} enregistrée. Les projets déjà ouverts gardent la leur."));
            return Ok(see_other(&programme_path(programme_id)));
        }
        Saved::Unchanged { .. } => {
            ctx.set_flash("Rien n’a changé : aucune version n’a été créée.");
            return Ok(see_other(&programme_path(programme_id)));
        }
        Saved::Stale { current } => errors.add(
            "name",
            format!(
                "Le programme a été modifié pendant que vous l’éditiez : la version {current} est en vigueur. \
                 Ouvrez-la dans un autre onglet pour comparer, puis enregistrez de nouveau."
            ),
        ),
        Saved::NameTaken => errors.add("name", "Un autre programme porte déjà ce nom : choisissez-en un autre."),
        Saved::BuiltIn => {
            return Err(AppError::BadRequest("Un programme fourni avec encommun ne se modifie pas.".into()))
        }
    }
    let current = match saved {
        Saved::Stale { current } => current,
        _ => expected,
    };
    let rows = form.seminar_rows().max(1);
    Ok(unprocessable(edit_page(&ctx, Some((&row, current)), &form, rows, &errors)))
}
