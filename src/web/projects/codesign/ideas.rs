//! A territory's ideas: contributed online by its working group, typed in by the facilitator from paper notes,
//! or sent by inhabitants (moderated first); what motivated each (a sheet or a source of the diagnostic, a
//! question of a questionnaire, another idea), shown from both ends; clusters, merges that keep their originals
//! and can be undone, and each idea's dated history.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::Territory;
use crate::domain::codesign::{author_category_label, parse_cluster_name, Evidence, NewIdea, Origin};
use crate::domain::inquiry::MemberCategory;
use crate::domain::text::de;
use crate::storage;
use crate::storage::codesign::{self, Author, Cited, Cluster, Idea, MergeOutcome, WorkingMember, Workshop};
use crate::storage::diagnostic::{self as diagnostic_storage, Place};
use crate::storage::DbConnection;
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::paths;
use crate::web::views::{
    csrf_field, moment_fr, optional_textarea, page_with_errors, paragraphs, see_other, select, unprocessable, Field,
    FormErrors,
};
use crate::web::{AppError, AppState};

pub fn ideas_path(territory: &Territory) -> String {
    format!("{}/idees", territory.path())
}

pub fn idea_path(territory: &Territory, idea_id: i64) -> String {
    paths::idea_path(territory.place.project_id, territory.place.collectivity_id, idea_id)
}

/// What an idea may cite, as (form value, label): the territory's published sheets and sources, its
/// questionnaires' questions, its current ideas.
pub fn evidence_options(
    conn: &mut DbConnection,
    place: Place,
    ideas: &[Idea],
) -> Result<Vec<(String, String)>, AppError> {
    let mut options = Vec::new();
    for entry in diagnostic_storage::entries_of_territory(conn, place)?.into_iter().filter(|e| e.status == "published")
    {
        options.push((Evidence::Sheet(entry.id).code(), format!("Fiche : {}", entry.name)));
    }
    for source in diagnostic_storage::sources_of_territory(conn, place)?.into_iter().filter(|s| s.status == "published")
    {
        options.push((Evidence::Source(source.id).code(), format!("Source : {}", source.title)));
    }
    for (id, questionnaire, label) in codesign::questions_of_territory(conn, place)? {
        options.push((Evidence::Question(id).code(), format!("Question « {label} » ({questionnaire})")));
    }
    for idea in ideas.iter().filter(|i| i.is_current()) {
        options.push((Evidence::Idea(idea.id).code(), format!("Idée : {}", idea.title)));
    }
    Ok(options)
}

/// The form of one idea, online or typed in.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IdeaForm {
    pub title: String,
    pub body: String,
    /// For the facilitator: `m<id>`, a member of the group, or a category code (a paper note without a name).
    pub author: String,
    /// Optional: what motivated it (`fiche-3`…).
    pub evidence: String,
}

/// The authors the facilitator picks from when typing ideas in: the members, then categories alone.
pub fn author_options(members: &[WorkingMember]) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = members
        .iter()
        .map(|m| (format!("m{}", m.id), format!("{} ({})", m.display_name, m.category().label().to_lowercase())))
        .collect();
    options.extend(
        MemberCategory::ALL
            .iter()
            .map(|c| (c.code().to_owned(), format!("Une personne : {}", c.label().to_lowercase()))),
    );
    options
}

/// The fields of the idea form; with `authors`, the facilitator's (who wrote it); `focus`, the title takes the
/// focus (the workshop's fast entry, when nothing was refused).
pub fn idea_fields(
    form: &IdeaForm,
    errors: &FormErrors,
    authors: Option<&[(String, String)]>,
    evidence: &[(String, String)],
    focus: bool,
) -> Markup {
    let mut motives = vec![(String::new(), "Rien en particulier".to_owned())];
    motives.extend(evidence.iter().cloned());
    html! {
        (Field::new("title", "Titre de l’idée").value(&form.title).hint("Une phrase courte : « Un bus le samedi vers le marché ».").autofocus(focus && errors.is_empty()).render(errors))
        (optional_textarea("body", "L’idée en quelques lignes", &form.body, "Pour qui, comment, avec qui.", errors))
        @if let Some(authors) = authors {
            (select("author", "Qui l’a proposée", authors, &form.author, Some("La catégorie de l’auteur est gardée avec l’idée."), errors))
        }
        (select("evidence", "Ce qui l’a motivée", &motives, &form.evidence, Some("Une fiche ou une source du diagnostic, une question d’un questionnaire, une autre idée."), errors))
    }
}

pub enum Recorded {
    Done(i64),
    Refused(FormErrors),
}

/// Records an idea from the form: a member's own (online) when the person holds a seat and is not typing in
/// for someone else, else the facilitator's typing in (paper). Checks who may, and the workshop being open.
pub async fn record_idea(
    state: &AppState,
    territory: &Territory,
    workshop: Option<&Workshop>,
    form: &IdeaForm,
) -> Result<Recorded, AppError> {
    territory.require_open_project()?;
    if let Some(workshop) = workshop {
        if !workshop.is_open() {
            return Err(AppError::BadRequest(
                "L’atelier n’est pas ouvert aux contributions : rien n’a été enregistré.".into(),
            ));
        }
    }
    let user_id = territory.access.require_user()?.id;
    let facilitates = territory.access.leads();
    let typed_in = facilitates && (territory.seat.is_none() || !form.author.is_empty());
    if !typed_in && territory.seat.is_none() {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let idea = match NewIdea::parse(&form.title, &form.body) {
        Ok(idea) => Some(idea),
        Err(field_errors) => {
            errors = FormErrors::from(field_errors);
            None
        }
    };
    let evidence = match form.evidence.trim() {
        "" => None,
        code => errors.check("evidence", Evidence::parse(code)),
    };
    let place = territory.place;
    let members = state.db(move |conn| Ok(codesign::working_group(conn, place)?)).await?;
    let author_member: Option<WorkingMember>;
    let mut category = String::new();
    if typed_in {
        match form.author.trim() {
            code if code.starts_with('m') => {
                author_member =
                    code[1..].parse::<i64>().ok().and_then(|id| members.iter().find(|m| m.id == id).cloned());
                if author_member.is_none() {
                    errors.add("author", "Choisissez l’auteur dans la liste.");
                }
            }
            code => {
                author_member = None;
                match MemberCategory::parse(code) {
                    Ok(c) => category = c.code().to_owned(),
                    Err(_) => errors.add("author", "Choisissez l’auteur dans la liste."),
                }
            }
        }
    } else {
        author_member = territory.seat.clone();
    }
    let (Some(idea), true) = (idea, errors.is_empty()) else { return Ok(Recorded::Refused(errors)) };
    let origin = if typed_in { Origin::Paper } else { Origin::Online };
    let (workshop_id, name) = (workshop.map(|w| w.event_id), territory.name.clone());
    let outcome = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                if let Some(evidence) = evidence {
                    if !codesign::may_cite(conn, place, evidence)? {
                        return Ok(None);
                    }
                }
                let author = match &author_member {
                    Some(member) => Author::Member(member),
                    None => Author::Category(&category),
                };
                let id = codesign::insert_idea(conn, place, workshop_id, &idea, author, origin, Some(user_id), &name)?;
                if let Some(evidence) = evidence {
                    codesign::add_evidence(conn, id, evidence, user_id)?;
                }
                Ok::<_, AppError>(Some(id))
            })
        })
        .await?;
    match outcome {
        Some(id) => Ok(Recorded::Done(id)),
        None => {
            let mut errors = FormErrors::default();
            errors.add("evidence", "Choisissez ce qui a motivé l’idée dans la liste.");
            Ok(Recorded::Refused(errors))
        }
    }
}

struct IdeasView {
    ideas: Vec<Idea>,
    clusters: Vec<Cluster>,
    members: Vec<WorkingMember>,
    evidence: Vec<Cited>,
    evidence_options: Vec<(String, String)>,
}

async fn load_ideas(state: &AppState, place: Place) -> Result<IdeasView, AppError> {
    state
        .db(move |conn| {
            let ideas = codesign::ideas_of(conn, place)?;
            Ok(IdeasView {
                evidence_options: evidence_options(conn, place, &ideas)?,
                clusters: codesign::clusters_of(conn, place)?,
                members: codesign::working_group(conn, place)?,
                evidence: codesign::evidence_of_territory(conn, place)?,
                ideas,
            })
        })
        .await
}

/// A form of the ideas page sent back with its errors.
enum Refused<'a> {
    None,
    Idea(&'a IdeaForm, &'a FormErrors),
    Sorting(&'a [(String, String)], &'a FormErrors),
}

fn author_of(idea: &Idea, members: &[WorkingMember]) -> String {
    let category = author_category_label(&idea.author_category);
    match idea.member_id.and_then(|id| members.iter().find(|m| m.id == id)) {
        Some(member) => format!("{} ({})", member.display_name, category.to_lowercase()),
        None if idea.origin() == Origin::Merge => "Fusion de plusieurs idées".to_owned(),
        None => category.to_owned(),
    }
}

fn ideas_page(ctx: &PageCtx, territory: &Territory, view: &IdeasView, refused: Refused) -> Markup {
    let none = FormErrors::default();
    let errors = match &refused {
        Refused::None => &none,
        Refused::Idea(_, e) | Refused::Sorting(_, e) => e,
    };
    let title = format!("Idées {}", de(&territory.name));
    let facilitates = territory.access.leads() && territory.require_open_project().is_ok();
    let contributes = (facilitates || territory.seat.is_some()) && territory.require_open_project().is_ok();
    let current: Vec<&Idea> = view.ideas.iter().filter(|i| i.is_current()).collect();
    let waiting: Vec<&Idea> = view.ideas.iter().filter(|i| i.status == "proposed").collect();
    let sorted_ideas =
        |cluster: Option<i64>| -> Vec<&Idea> { current.iter().copied().filter(|i| i.cluster_id == cluster).collect() };
    let empty_form = IdeaForm::default();
    let (idea_form, idea_errors) = match &refused {
        Refused::Idea(form, errors) => (*form, *errors),
        _ => (&empty_form, &none),
    };
    let sent_ids: Vec<String> = match &refused {
        Refused::Sorting(fields, _) => fields.iter().filter(|(k, _)| k == "idees").map(|(_, v)| v.clone()).collect(),
        _ => Vec::new(),
    };
    let sent = |name: &str| match &refused {
        Refused::Sorting(fields, _) => fields.iter().find(|(k, _)| k == name).map_or(String::new(), |(_, v)| v.clone()),
        _ => String::new(),
    };
    let authors = author_options(&view.members);
    let idea_item = |idea: &Idea, selectable: bool| {
        let cites = view.evidence.iter().filter(|c| c.idea_id == idea.id).count();
        let id = format!("idee-{}", idea.id);
        html! {
            li {
                @if selectable {
                    input type="checkbox" name="idees" id=(id) value=(idea.id) checked[sent_ids.contains(&idea.id.to_string())];
                    " "
                    label for=(id) { (idea.title) }
                    " — " a href=(idea_path(territory, idea.id)) { "voir" span class="visually-hidden" { " « " (idea.title) " »" } }
                } @else {
                    a href=(idea_path(territory, idea.id)) { (idea.title) }
                }
                span class="meta" { " — " (author_of(idea, &view.members)) ", " (idea.origin().label())
                    @if cites > 0 { ", " (cites) " motivation" @if cites > 1 { "s" } } }
            }
        }
    };
    let listing = |selectable: bool| {
        html! {
            @for cluster in &view.clusters {
                @let of = sorted_ideas(Some(cluster.id));
                @if !of.is_empty() {
                    h3 { (cluster.name) " (" (of.len()) ")" }
                    ul class="ideas" { @for idea in of { (idea_item(idea, selectable)) } }
                }
            }
            @let loose = sorted_ideas(None);
            @if !loose.is_empty() {
                @if !view.clusters.is_empty() { h3 { "Idées non regroupées (" (loose.len()) ")" } }
                ul class="ideas" { @for idea in loose { (idea_item(idea, selectable)) } }
            }
        }
    };
    let clusters: Vec<(String, String)> = std::iter::once((String::new(), "Nouveau regroupement…".to_owned()))
        .chain(view.clusters.iter().map(|c| (c.id.to_string(), c.name.clone())))
        .collect();
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            (territory.breadcrumb("Idées"))
            h1 { (title) }
            p { (current.len()) " idée" @if current.len() > 1 { "s" } " en cours, " (view.clusters.len()) " regroupement" @if view.clusters.len() > 1 { "s" } "." }
            (errors.summary())
            @if contributes {
                section aria-labelledby="proposer" {
                    h2 id="proposer" { @if territory.seat.is_some() { "Proposer une idée" } @else { "Saisir une idée" } }
                    form class="form" method="post" action=(ideas_path(territory)) novalidate {
                        (csrf_field(ctx))
                        (idea_fields(idea_form, idea_errors, (territory.seat.is_none()).then_some(authors.as_slice()), &view.evidence_options, false))
                        button class="button" type="submit" { "Enregistrer l’idée" }
                    }
                }
            }
            @if facilitates && !waiting.is_empty() {
                section aria-labelledby="attente" {
                    h2 id="attente" { "Idées d’habitants à valider (" (waiting.len()) ")" }
                    p { "Envoyées par le lien public : personne ne les voit avant votre décision." }
                    ul {
                        @for idea in &waiting {
                            li {
                                strong { (idea.title) } @if !idea.body.is_empty() { " — " (idea.body) }
                                form class="inline" method="post" action={ (idea_path(territory, idea.id)) "/moderation" } {
                                    (csrf_field(ctx))
                                    button class="link-button" type="submit" name="decision" value="publier" { "Publier" span class="visually-hidden" { " « " (idea.title) " »" } }
                                    " · "
                                    button class="link-button" type="submit" name="decision" value="refuser" { "Refuser" span class="visually-hidden" { " « " (idea.title) " »" } }
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="liste" {
                h2 id="liste" { "Les idées" }
                @if current.is_empty() {
                    p { "Aucune idée pour l’instant." }
                } @else if facilitates {
                    form class="form" method="post" action={ (ideas_path(territory)) "/tri" } novalidate {
                        (csrf_field(ctx))
                        fieldset class="field" id="idees" {
                            legend { "Cochez des idées, puis regroupez-les, sortez-les de leur regroupement ou fusionnez-les" }
                            (listing(true))
                        }
                        fieldset class="field" {
                            legend { "Regrouper dans…" }
                            (select("cluster", "Regroupement", &clusters, &sent("cluster"), None, errors))
                            (Field::new("cluster_name", "Nom du nouveau regroupement").value(&sent("cluster_name")).optional().render(errors))
                            button class="button" type="submit" name="action" value="regrouper" { "Regrouper les idées cochées" }
                            " "
                            button class="button button-secondary" type="submit" name="action" value="sortir" { "Sortir les idées cochées de leur regroupement" }
                        }
                        fieldset class="field" {
                            legend { "Fusionner les idées cochées" }
                            p class="hint" { "Les idées d’origine restent, avec leurs auteurs ; la fusion peut être annulée." }
                            (Field::new("merge_title", "Titre de l’idée fusionnée").value(&sent("merge_title")).optional().render(errors))
                            (optional_textarea("merge_body", "Texte de l’idée fusionnée", &sent("merge_body"), "Reprenez ce que disent les idées d’origine.", errors))
                            button class="button button-secondary" type="submit" name="action" value="fusionner" { "Fusionner" }
                        }
                    }
                } @else {
                    (listing(false))
                }
            }
        },
    )
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load_ideas(&state, territory.place).await?;
    Ok(ideas_page(&ctx, &territory, &view, Refused::None))
}

pub async fn add(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<IdeaForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    match record_idea(&state, &territory, None, &form).await? {
        Recorded::Done(_) => {
            ctx.set_flash("Idée enregistrée.");
            Ok(see_other(&ideas_path(&territory)))
        }
        Recorded::Refused(errors) => {
            let view = load_ideas(&state, territory.place).await?;
            Ok(unprocessable(ideas_page(&ctx, &territory, &view, Refused::Idea(&form, &errors))))
        }
    }
}

/// Clusters, takes out of clusters, or merges the ideas ticked on the ideas page.
pub async fn sort(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_facilitator()?;
    let fields = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let ids: Vec<i64> = fields.iter().filter(|(k, _)| k == "idees").filter_map(|(_, v)| v.parse().ok()).collect();
    let place = territory.place;
    let mut errors = FormErrors::default();
    if ids.is_empty() {
        errors.add("idees", "Cochez au moins une idée.");
    }
    let outcome = match value("action") {
        "regrouper" => {
            let existing = value("cluster").parse::<i64>().ok();
            let clusters = state.db(move |conn| Ok(codesign::clusters_of(conn, place)?)).await?;
            let target = match existing {
                Some(id) => match clusters.iter().find(|c| c.id == id) {
                    Some(cluster) => Some(cluster.name.clone()),
                    None => {
                        errors.add("cluster", "Choisissez le regroupement dans la liste.");
                        None
                    }
                },
                None => errors.check("cluster_name", parse_cluster_name(value("cluster_name"))),
            };
            if !errors.is_empty() {
                None
            } else {
                let name = target.unwrap_or_default();
                let moved = state
                    .db(move |conn| {
                        storage::write_transaction(conn, |conn| {
                            let cluster = codesign::cluster_named(conn, place, &name, by)?;
                            let moved = codesign::move_to_cluster(conn, place, &ids, Some((cluster, &name)), by)?;
                            codesign::forget_empty_clusters(conn, place)?;
                            Ok::<_, AppError>(moved)
                        })
                    })
                    .await?;
                Some(format!("{moved} idée(s) regroupée(s)."))
            }
        }
        "sortir" if errors.is_empty() => {
            let moved = state
                .db(move |conn| {
                    storage::write_transaction(conn, |conn| {
                        let moved = codesign::move_to_cluster(conn, place, &ids, None, by)?;
                        codesign::forget_empty_clusters(conn, place)?;
                        Ok::<_, AppError>(moved)
                    })
                })
                .await?;
            Some(format!("{moved} idée(s) sortie(s) de leur regroupement."))
        }
        "fusionner" => {
            if ids.len() == 1 {
                errors.add("idees", "Cochez au moins deux idées à fusionner.");
            }
            let merged = match NewIdea::parse(value("merge_title"), value("merge_body")) {
                Ok(idea) => Some(idea),
                Err(field_errors) => {
                    for (field, message) in field_errors {
                        errors.add(if field == "title" { "merge_title" } else { "merge_body" }, message);
                    }
                    None
                }
            };
            match merged {
                Some(merged) if errors.is_empty() => {
                    let outcome = state
                        .db(move |conn| {
                            storage::write_transaction(conn, |conn| {
                                Ok::<_, AppError>(codesign::merge_ideas(conn, place, &ids, &merged, by)?)
                            })
                        })
                        .await?;
                    match outcome {
                        MergeOutcome::Merged(id) => {
                            ctx.set_flash("Idées fusionnées : les idées d’origine restent visibles depuis la fusion.");
                            return Ok(see_other(&idea_path(&territory, id)));
                        }
                        MergeOutcome::Stale => {
                            errors.add(
                                "idees",
                                "Une des idées cochées a été fusionnée ou retirée entre-temps : rien n’a été fusionné.",
                            );
                            None
                        }
                    }
                }
                _ => None,
            }
        }
        "sortir" => None,
        _ => return Err(AppError::BadRequest("Choisissez « Regrouper », « Sortir » ou « Fusionner ».".into())),
    };
    match outcome {
        Some(message) if errors.is_empty() => {
            ctx.set_flash(&message);
            Ok(see_other(&format!("{}#liste", ideas_path(&territory))))
        }
        _ => {
            let view = load_ideas(&state, place).await?;
            Ok(unprocessable(ideas_page(&ctx, &territory, &view, Refused::Sorting(&fields, &errors))))
        }
    }
}

struct IdeaView {
    idea: Idea,
    members: Vec<WorkingMember>,
    cluster: Option<String>,
    cites: Vec<Cited>,
    cited_by: Vec<(i64, String)>,
    originals: Vec<Idea>,
    merged_into: Option<Idea>,
    history: Vec<(chrono::NaiveDateTime, String)>,
    evidence_options: Vec<(String, String)>,
}

async fn load_idea(state: &AppState, territory: &Territory, idea_id: i64) -> Result<IdeaView, AppError> {
    let place = territory.place;
    let facilitates = territory.access.leads();
    state
        .db(move |conn| {
            let idea = codesign::find_idea(conn, idea_id)?
                .filter(|i| i.project_id == place.project_id && i.collectivity_id == place.collectivity_id)
                .ok_or(AppError::NotFound)?;
            // An inhabitant's idea waiting for moderation, or refused, is the facilitator's alone.
            if matches!(idea.status.as_str(), "proposed" | "rejected") && !facilitates {
                return Err(AppError::NotFound);
            }
            let ideas = codesign::ideas_of(conn, place)?;
            let clusters = codesign::clusters_of(conn, place)?;
            let cluster = idea.cluster_id.and_then(|c| clusters.into_iter().find(|x| x.id == c)).map(|x| x.name);
            let cites =
                codesign::evidence_of_territory(conn, place)?.into_iter().filter(|c| c.idea_id == idea.id).collect();
            let cited_by = codesign::ideas_citing(conn, Evidence::Idea(idea.id))?
                .into_iter()
                .map(|(id, title, _, _)| (id, title))
                .collect();
            Ok(IdeaView {
                originals: ideas.iter().filter(|i| i.merged_into == Some(idea.id)).cloned().collect(),
                merged_into: idea.merged_into.and_then(|m| ideas.iter().find(|i| i.id == m).cloned()),
                members: codesign::working_group(conn, place)?,
                history: codesign::history_of(conn, idea.id)?,
                evidence_options: evidence_options(conn, place, &ideas)?
                    .into_iter()
                    .filter(|(code, _)| *code != Evidence::Idea(idea.id).code())
                    .collect(),
                cluster,
                cites,
                cited_by,
                idea,
            })
        })
        .await
}

/// Where a piece of evidence is shown: a question, in its questionnaire's results.
pub fn evidence_link(territory: &Territory, cited: &Cited) -> String {
    paths::evidence_path(
        territory.place.project_id,
        territory.place.collectivity_id,
        cited.evidence,
        cited.questionnaire_id,
    )
}

fn idea_page(ctx: &PageCtx, territory: &Territory, view: &IdeaView, errors: &FormErrors) -> Markup {
    let idea = &view.idea;
    let facilitates = territory.access.leads() && territory.require_open_project().is_ok();
    let may_cite = facilitates
        || (territory.seat.as_ref().is_some_and(|s| idea.member_id == Some(s.id))
            && territory.require_open_project().is_ok());
    page_with_errors(
        ctx,
        &idea.title,
        errors,
        html! {
            (territory.breadcrumb("Idée"))
            h1 { (idea.title) }
            p class="meta" {
                (author_of(idea, &view.members)) ", " (idea.origin().label()) ", le " (moment_fr(idea.created_at))
                @if let Some(cluster) = &view.cluster { " · regroupement « " (cluster) " »" }
            }
            @match idea.status.as_str() {
                "proposed" => p class="notice notice-warning" { "Idée d’habitant en attente de validation : elle n’est visible que des animateurs." },
                "rejected" => p class="notice notice-warning" { "Idée refusée à la modération." },
                "dissolved" => p class="notice notice-warning" { "Cette fusion a été annulée : les idées d’origine sont revenues." },
                _ => {},
            }
            @if let Some(merge) = &view.merged_into {
                p class="notice" { "Fusionnée dans " a href=(idea_path(territory, merge.id)) { "« " (merge.title) " »" } "." }
            }
            @if !idea.body.is_empty() { (paragraphs(&idea.body)) }
            @if !view.originals.is_empty() {
                section aria-labelledby="origines" {
                    h2 id="origines" { "Idées d’origine (" (view.originals.len()) ")" }
                    ul { @for original in &view.originals { li { a href=(idea_path(territory, original.id)) { (original.title) } " — " (author_of(original, &view.members)) } } }
                    @if facilitates && idea.status == "published" {
                        form class="inline" method="post" action={ (idea_path(territory, idea.id)) "/annulation" } {
                            (csrf_field(ctx))
                            button class="button button-secondary" type="submit" { "Annuler la fusion" }
                        }
                    }
                }
            }
            section aria-labelledby="motivations" {
                h2 id="motivations" { "Ce qui l’a motivée" }
                @if view.cites.is_empty() { p { "Rien n’est cité." } }
                @else { ul { @for cited in &view.cites { li { a href=(evidence_link(territory, cited)) { (cited.label) } } } } }
                @if !view.cited_by.is_empty() {
                    h3 { "Idées qui s’en inspirent" }
                    ul { @for (id, title) in &view.cited_by { li { a href=(idea_path(territory, *id)) { (title) } } } }
                }
                @if may_cite && idea.is_published() && !view.evidence_options.is_empty() {
                    (errors.summary())
                    form class="form" method="post" action={ (idea_path(territory, idea.id)) "/motivations" } novalidate {
                        (csrf_field(ctx))
                        (select("evidence", "Ajouter ce qui l’a motivée", &view.evidence_options, "", None, errors))
                        button class="button" type="submit" { "Ajouter" }
                    }
                }
            }
            @if may_edit(territory, idea) && idea.is_published() {
                details class="card no-print" open[!errors.is_empty() && errors.get("title").is_some()] {
                    summary { "Corriger l’idée" }
                    form class="form" method="post" action={ (idea_path(territory, idea.id)) "/modification" } novalidate {
                        (csrf_field(ctx))
                        (Field::new("title", "Titre de l’idée").value(&idea.title).render(errors))
                        (optional_textarea("body", "L’idée en quelques lignes", &idea.body, "L’ancien titre reste dans l’historique.", errors))
                        button class="button" type="submit" { "Enregistrer la correction" }
                    }
                }
            }
            section aria-labelledby="historique" {
                h2 id="historique" { "Historique" }
                ol { @for (at, change) in &view.history { li { (moment_fr(*at)) " — " (change) } } }
            }
        },
    )
}

/// Who corrects an idea: the facilitator, or its author with their seat, while the project is open.
fn may_edit(territory: &Territory, idea: &Idea) -> bool {
    territory.require_open_project().is_ok()
        && (territory.access.leads() || territory.seat.as_ref().is_some_and(|s| idea.member_id == Some(s.id)))
}

pub async fn edit(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<IdeaForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, idea_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_open_project()?;
    let view = load_idea(&state, &territory, idea_id).await?;
    if !may_edit(&territory, &view.idea) || !view.idea.is_published() {
        return Err(AppError::Forbidden);
    }
    let new = match NewIdea::parse(&form.title, &form.body) {
        Ok(new) => new,
        Err(errors) => return Ok(unprocessable(idea_page(&ctx, &territory, &view, &FormErrors::from(errors)))),
    };
    let (place, idea, by) = (territory.place, view.idea.clone(), territory.access.require_user()?.id);
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::update_idea(conn, place, &idea, &new, by)?)
            })
        })
        .await?;
    ctx.set_flash("Idée corrigée.");
    Ok(see_other(&idea_path(&territory, idea_id)))
}

pub async fn show_idea(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id, idea_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load_idea(&state, &territory, idea_id).await?;
    Ok(idea_page(&ctx, &territory, &view, &FormErrors::default()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EvidenceForm {
    evidence: String,
}

pub async fn cite(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<EvidenceForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, idea_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_open_project()?;
    let view = load_idea(&state, &territory, idea_id).await?;
    let own = territory.seat.as_ref().is_some_and(|s| view.idea.member_id == Some(s.id));
    if !territory.access.leads() && !own {
        return Err(AppError::Forbidden);
    }
    let by = territory.access.require_user()?.id;
    let evidence =
        Evidence::parse(&form.evidence).ok().filter(|e| *e != Evidence::Idea(idea_id) && view.idea.is_published());
    let place = territory.place;
    let added = match evidence {
        Some(evidence) => {
            state
                .db(move |conn| {
                    storage::write_transaction(conn, |conn| {
                        if !codesign::may_cite(conn, place, evidence)? {
                            return Ok::<_, AppError>(None);
                        }
                        Ok(Some(codesign::add_evidence(conn, idea_id, evidence, by)?))
                    })
                })
                .await?
        }
        None => None,
    };
    let Some(added) = added else {
        let mut errors = FormErrors::default();
        errors.add("evidence", "Choisissez ce qui a motivé l’idée dans la liste.");
        return Ok(unprocessable(idea_page(&ctx, &territory, &view, &errors)));
    };
    ctx.set_flash(if added { "Motivation ajoutée." } else { "Cette motivation était déjà citée." });
    Ok(see_other(&idea_path(&territory, idea_id)))
}

pub async fn undo_merge(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, idea_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_facilitator()?;
    let view = load_idea(&state, &territory, idea_id).await?;
    if view.idea.origin() != Origin::Merge {
        return Err(AppError::NotFound);
    }
    let merge = view.idea.clone();
    let undone = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| Ok::<_, AppError>(codesign::undo_merge(conn, &merge, by)?))
        })
        .await?;
    ctx.set_flash(if undone {
        "Fusion annulée : les idées d’origine sont revenues."
    } else {
        "Cette fusion était déjà annulée."
    });
    Ok(see_other(&idea_path(&territory, idea_id)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    decision: String,
}

pub async fn moderate(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, idea_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_facilitator()?;
    let publish = match form.decision.as_str() {
        "publier" => true,
        "refuser" => false,
        _ => return Err(AppError::BadRequest("Choisissez « Publier » ou « Refuser ».".into())),
    };
    let view = load_idea(&state, &territory, idea_id).await?;
    let (idea, name) = (view.idea.clone(), territory.name.clone());
    let decided = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::moderate_idea(conn, &idea, publish, by, &name)?)
            })
        })
        .await?;
    ctx.set_flash(match (decided, publish) {
        (true, true) => "Idée publiée.",
        (true, false) => "Idée refusée.",
        (false, _) => "Cette idée avait déjà été examinée.",
    });
    Ok(see_other(&format!("{}#attente", ideas_path(&territory))))
}

/// The territory's current ideas as cards to print (two a row), for a wall or a table in the room.
pub async fn cards(ctx: PageCtx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> Result<Markup, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load_ideas(&state, territory.place).await?;
    let title = format!("Cartes des idées {}", de(&territory.name));
    let cluster_of =
        |idea: &Idea| idea.cluster_id.and_then(|c| view.clusters.iter().find(|x| x.id == c)).map(|c| c.name.as_str());
    Ok(crate::web::views::page(
        &ctx,
        &title,
        html! {
            (territory.breadcrumb("Cartes"))
            h1 { (title) }
            p class="no-print" { "Imprimez cette page (commande Imprimer du navigateur) : deux cartes par ligne, sans menus ni formulaires." }
            ul class="idea-cards" {
                @for idea in view.ideas.iter().filter(|i| i.is_current()) {
                    li class="idea-card" {
                        h2 { (idea.title) }
                        @if !idea.body.is_empty() { p { (idea.body) } }
                        p class="meta" {
                            (author_of(idea, &view.members))
                            @if let Some(cluster) = cluster_of(idea) { " · " (cluster) }
                            " · n° " (idea.id)
                        }
                    }
                }
            }
        },
    ))
}
