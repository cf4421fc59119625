//! An action of a territory's plan: its content (frozen once the version is submitted), where it stands (status,
//! progress, lateness, milestones: always editable), « pourquoi cette action », its indicators (each on its own
//! page, with its measurements) and the working group's comments. Two people saving the same action at once: the
//! second is told and sees both versions (`storage::plans::Saved::Conflict`).

use actix_web::{web, HttpResponse};
use maud::{html, Markup};

use super::chart::{indicator_chart, indicator_table};
use super::{frozen_flash, today};
use crate::domain::codesign::{decimal_fr, Evidence};
use crate::domain::plan::{
    date_fr as short_date, euros, targets_to_lines, ActionContentFields, ActionInput, ActionStatus, Direction,
    Frequency, IndicatorFields, IndicatorInput, LateOverride, Lineage, MeasurementFields, Milestone, Priority,
    ProgressFields, ProgressInput, ProgressMode,
};
use crate::domain::text::bounded_text;
use crate::storage;
use crate::storage::codesign as codesign_storage;
use crate::storage::diagnostic as diagnostic_storage;
use crate::storage::plans::{
    self, ActionDetail, ActionRow, AxisRow, CiteOutcome, Comment, ContentRefusal, IndicatorDetail, IndicatorOutcome,
    MeasureOutcome, Saved,
};
use crate::storage::DbConnection;
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::projects::paths::{action_path, evidence_path, idea_path};
use crate::web::projects::territory::Territory;
use crate::web::views::{
    checkbox_group, csrf_field, date_fr, moment_fr, optional_textarea, page_with_errors, paragraphs, see_other, select,
    textarea, unprocessable, Field, FormErrors,
};
use crate::web::{AppError, AppState};

type Fields = Vec<(String, String)>;

fn value<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

fn form_of(body: &[u8]) -> Result<Fields, AppError> {
    decode_form(body).ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))
}

fn indicator_path(territory: &Territory, indicator_id: i64) -> String {
    format!("{}/indicateurs/{indicator_id}", territory.plan_path())
}

/// Everything an action's page shows.
struct ActionView {
    action: ActionDetail,
    axes: Vec<AxisRow>,
    content: ActionContentFields,
    progress: ProgressFields,
    comments: Vec<Comment>,
    /// The territory's diagnostic actors, as (sheet id, name), for the lead and partners.
    actors: Vec<(String, String)>,
    /// What the action may cite, as (form value, label).
    citable: Vec<(String, String)>,
    editable: bool,
}

fn load_view(
    conn: &mut DbConnection,
    territory_place: storage::diagnostic::Place,
    action_id: i64,
) -> Result<ActionView, AppError> {
    let action = plans::action_detail(conn, territory_place, action_id)?.ok_or(AppError::NotFound)?;
    let plan = plans::find_plan(conn, territory_place)?;
    let entries = diagnostic_storage::entries_of_territory(conn, territory_place)?;
    let actors = entries.iter().filter(|e| e.kind == "actor").map(|e| (e.id.to_string(), e.name.clone())).collect();
    let mut citable: Vec<(String, String)> = entries
        .iter()
        .filter(|e| e.status == "published")
        .map(|e| (Evidence::Sheet(e.id).code(), format!("Fiche : {}", e.name)))
        .collect();
    for source in
        diagnostic_storage::sources_of_territory(conn, territory_place)?.into_iter().filter(|s| s.status == "published")
    {
        citable.push((Evidence::Source(source.id).code(), format!("Source : {}", source.title)));
    }
    for (id, questionnaire, label) in codesign_storage::questions_of_territory(conn, territory_place)? {
        citable.push((Evidence::Question(id).code(), format!("Question « {label} » ({questionnaire})")));
    }
    Ok(ActionView {
        content: plans::content_fields(conn, &action.row)?,
        progress: plans::progress_fields(conn, &action.row)?,
        comments: plans::comments_of(conn, action_id)?,
        axes: match &plan {
            Some(p) => plans::axes_of(conn, p.id)?,
            None => Vec::new(),
        },
        editable: plan.as_ref().is_none_or(|p| p.state().content_editable()),
        action,
        actors,
        citable,
    })
}

async fn load(state: &AppState, territory: &Territory, action_id: i64) -> Result<ActionView, AppError> {
    let place = territory.place;
    state.db(move |conn| load_view(conn, place, action_id)).await
}

/// A form of the page sent back: with its errors, or after a conflict with what the other person saved.
enum Refused<'a> {
    None,
    Content { fields: &'a Fields, errors: &'a FormErrors, theirs: Option<&'a (ActionRow, ActionContentFields)> },
    Progress { fields: &'a Fields, errors: &'a FormErrors, theirs: Option<&'a (ActionRow, ProgressFields)> },
    Indicator(&'a Fields, &'a FormErrors),
    Comment(&'a Fields, &'a FormErrors),
}

fn content_input(fields: &Fields) -> ActionInput<'_> {
    ActionInput {
        title: value(fields, "title"),
        description: value(fields, "description"),
        lead_name: value(fields, "lead_name"),
        lead_entry: value(fields, "lead_entry"),
        partner_entries: fields.iter().filter(|(k, _)| k == "partner_entries").map(|(_, v)| v.as_str()).collect(),
        partners: value(fields, "partners"),
        starts_on: value(fields, "starts_on"),
        ends_on: value(fields, "ends_on"),
        budget: value(fields, "budget"),
        fundings: value(fields, "fundings"),
        priority: value(fields, "priority"),
    }
}

fn progress_input(fields: &Fields) -> ProgressInput<'_> {
    ProgressInput {
        status: value(fields, "status"),
        status_reason: value(fields, "status_reason"),
        progress_mode: value(fields, "progress_mode"),
        progress_manual: value(fields, "progress_manual"),
        late_override: value(fields, "late_override"),
        late_reason: value(fields, "late_reason"),
        milestones: value(fields, "milestones"),
    }
}

/// The content as the form holds it: what was sent, or what is saved.
fn content_values(content: &ActionContentFields, axis_id: Option<i64>) -> Fields {
    let mut out: Fields = vec![
        ("title".into(), content.title.clone()),
        ("axis".into(), axis_id.map(|a| a.to_string()).unwrap_or_default()),
        ("description".into(), content.description.clone()),
        ("lead_name".into(), content.lead_name.clone()),
        ("lead_entry".into(), content.lead_entry_id.map(|e| e.to_string()).unwrap_or_default()),
        ("partners".into(), content.partners.join("\n")),
        ("starts_on".into(), content.starts_on.map(|d| d.to_string()).unwrap_or_default()),
        ("ends_on".into(), content.ends_on.map(|d| d.to_string()).unwrap_or_default()),
        (
            "budget".into(),
            content
                .budget_cents
                .map(|c| crate::domain::plan::number_fr(c as f64 / 100.0).replace('\u{202f}', " "))
                .unwrap_or_default(),
        ),
        ("fundings".into(), content.fundings.iter().map(|f| f.to_line()).collect::<Vec<_>>().join("\n")),
        ("priority".into(), content.priority.code().to_string()),
    ];
    out.extend(content.partner_entry_ids.iter().map(|e| ("partner_entries".to_owned(), e.to_string())));
    out
}

fn progress_values(progress: &ProgressFields) -> Fields {
    vec![
        ("status".into(), progress.status.code().into()),
        ("status_reason".into(), progress.status_reason.clone()),
        ("progress_mode".into(), progress.progress_mode.code().into()),
        ("progress_manual".into(), progress.progress_manual.map(|p| p.to_string()).unwrap_or_default()),
        ("late_override".into(), progress.late_override.map_or("", LateOverride::code).into()),
        ("late_reason".into(), progress.late_reason.clone()),
        ("milestones".into(), progress.milestones.iter().map(Milestone::to_line).collect::<Vec<_>>().join("\n")),
    ]
}

fn content_facts(action: &ActionDetail, axes: &[AxisRow]) -> Markup {
    let row = &action.row;
    html! {
        dl class="facts" {
            dt { "Axe" } dd { (row.axis_id.and_then(|a| axes.iter().find(|x| x.id == a)).map_or("À classer", |a| a.title.as_str())) }
            dt { "Pilote" } dd { @if action.lead.is_empty() { "—" } @else { (action.lead) } }
            dt { "Partenaires" } dd { @if action.partners.is_empty() { "—" } @else { (action.partners.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")) } }
            dt { "Début" } dd { (row.starts_on.map_or("—".into(), date_fr)) }
            dt { "Fin" } dd { (row.ends_on.map_or("—".into(), date_fr)) }
            dt { "Budget" } dd { (row.budget_cents.map_or("—".into(), euros)) }
            dt { "Financements" } dd {
                @if action.fundings.is_empty() { "—" }
                @else { ul { @for f in &action.fundings { li { (f.funder) " : " (euros(f.amount_cents)) @if f.secured { " (acquis)" } @else { " (à trouver)" } } } } }
            }
            dt { "Priorité" } dd { (Priority::from_code(row.priority).label()) }
        }
    }
}

fn lineage_section(territory: &Territory, view: &ActionView, ctx: &PageCtx) -> Markup {
    let action = &view.action;
    let place = territory.place;
    let lineage = Lineage::parse(&action.row.lineage);
    let cites = territory.writes_plan() && view.editable;
    html! {
        section aria-labelledby="pourquoi" {
            h2 id="pourquoi" { "Pourquoi cette action" }
            @if let Some(l) = &lineage {
                p { "Retenue à l’atelier « " (l.workshop) " » à partir de :" }
                ul {
                    @for idea in &l.ideas {
                        li { a href=(idea_path(place.project_id, place.collectivity_id, idea.id)) { (idea.title) }
                            @if !idea.author.is_empty() { " — proposée par : " (idea.author) } }
                    }
                }
                @if !l.evidence.is_empty() {
                    p { "Ces idées répondaient à ce que le diagnostic a entendu : " (l.evidence.join(" ; ")) "." }
                }
                @if let Some(mean) = l.weighted_mean {
                    p { "Le groupe de travail l’a notée " (decimal_fr(mean)) " sur 5 (note pondérée par les critères"
                        @if let Some(spread) = l.spread { ", écart " (decimal_fr(spread)) } ", " (l.scorers) " personne" @if l.scorers > 1 { "s" } ")"
                        @if l.dots > 0 { " et lui a donné " (l.dots) " point" @if l.dots > 1 { "s" } } "." }
                    @if !l.criteria.is_empty() {
                        ul { @for c in &l.criteria { li { (c.label) " (poids " (c.weight) ") : " (decimal_fr(c.mean)) " sur 5" } } }
                    }
                }
            } @else {
                p { "Cette action a été écrite directement dans le plan." }
            }
            @if !action.evidence.is_empty() {
                p { "Elle répond aussi directement à :" }
                ul {
                    @for (evidence, label, questionnaire) in &action.evidence {
                        li {
                            a href=(evidence_path(place.project_id, place.collectivity_id, *evidence, *questionnaire)) { (label) }
                            @if cites {
                                form class="inline" method="post" action={ (action_path(place.project_id, place.collectivity_id, action.row.id)) "/sources/retrait" } {
                                    (csrf_field(ctx))
                                    input type="hidden" name="evidence" value=(evidence.code());
                                    button class="link-button" type="submit" { "Retirer" span class="visually-hidden" { " « " (label) " »" } }
                                }
                            }
                        }
                    }
                }
            }
            @if cites && !view.citable.is_empty() {
                form class="form" method="post" action={ (action_path(place.project_id, place.collectivity_id, action.row.id)) "/sources" } {
                    (csrf_field(ctx))
                    (select("evidence", "Ce à quoi l’action répond dans le diagnostic ou les enquêtes", &view.citable, "", None, &FormErrors::default()))
                    button type="submit" { "Ajouter" }
                }
            }
        }
    }
}

fn content_form(ctx: &PageCtx, territory: &Territory, view: &ActionView, refused: &Refused) -> Markup {
    let none = FormErrors::default();
    let saved = content_values(&view.content, view.action.row.axis_id);
    let (fields, errors, theirs) = match refused {
        Refused::Content { fields, errors, theirs } => (*fields, *errors, *theirs),
        _ => (&saved, &none, None),
    };
    let axis_options: Vec<(String, String)> = std::iter::once((String::new(), "À classer".to_owned()))
        .chain(view.axes.iter().map(|a| (a.id.to_string(), a.title.clone())))
        .collect();
    let lead_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Personne ou structure hors diagnostic (nom ci-dessous)".to_owned()))
            .chain(view.actors.iter().cloned())
            .collect();
    let priorities: Vec<(String, String)> =
        Priority::ALL.iter().map(|p| (p.code().to_string(), p.label().to_owned())).collect();
    let chosen_partners: Vec<String> =
        fields.iter().filter(|(k, _)| k == "partner_entries").map(|(_, v)| v.clone()).collect();
    let revision = theirs.map_or(view.action.row.revision, |(row, _)| row.revision);
    let revision = if theirs.is_none() && matches!(refused, Refused::Content { .. }) {
        value(fields, "revision").parse().unwrap_or(revision)
    } else {
        revision
    };
    html! {
        section class="card" aria-labelledby="contenu" {
            h2 id="contenu" { "Contenu de l’action" }
            @if let Some((row, content)) = theirs {
                div class="notice notice-error" {
                    p { strong { "Quelqu’un a enregistré cette action pendant que vous la modifiiez" } " (le " (moment_fr(row.updated_at)) "). Voici sa version ; la vôtre est dans le formulaire. Gardez ce qu’il faut des deux, puis enregistrez : votre enregistrement remplacera alors la sienne." }
                    dl class="facts" {
                        dt { "Titre" } dd { (content.title) }
                        dt { "Description" } dd { (paragraphs(&content.description)) }
                        dt { "Pilote" } dd { (content.lead_name) }
                        dt { "Dates" } dd { (content.starts_on.map_or("—".into(), short_date)) " → " (content.ends_on.map_or("—".into(), short_date)) }
                        dt { "Budget" } dd { (content.budget_cents.map_or("—".into(), euros)) }
                        dt { "Financements" } dd { (content.fundings.iter().map(|f| f.to_line()).collect::<Vec<_>>().join(" · ")) }
                        dt { "Priorité" } dd { (content.priority.label()) }
                    }
                }
            }
            form class="form" method="post" action=(action_path(territory.place.project_id, territory.place.collectivity_id, view.action.row.id)) {
                (csrf_field(ctx))
                input type="hidden" name="revision" value=(revision);
                (Field::new("title", "Titre de l’action").value(value(fields, "title")).render(errors))
                (select("axis", "Axe", &axis_options, value(fields, "axis"), None, errors))
                (optional_textarea("description", "Description", value(fields, "description"), "Ce que l’action fait, pour qui, comment.", errors))
                (select("lead_entry", "Pilote parmi les acteurs du diagnostic", &lead_options, value(fields, "lead_entry"), None, errors))
                (Field::new("lead_name", "Pilote (nom, service ou structure)").value(value(fields, "lead_name")).optional().hint("Si le pilote n’est pas un acteur du diagnostic.").render(errors))
                @if !view.actors.is_empty() {
                    (checkbox_group("partner_entries", "Partenaires parmi les acteurs du diagnostic", &view.actors, &chosen_partners, errors))
                }
                (optional_textarea("partners", "Autres partenaires", value(fields, "partners"), "Un par ligne.", errors))
                (Field::new("starts_on", "Début").kind("date").value(value(fields, "starts_on")).optional().render(errors))
                (Field::new("ends_on", "Fin prévue").kind("date").value(value(fields, "ends_on")).optional().render(errors))
                (Field::new("budget", "Budget total (euros)").value(value(fields, "budget")).optional().hint("Par exemple 12 000 ou 12 000,50.").render(errors))
                (optional_textarea("fundings", "Financements", value(fields, "fundings"), "Un par ligne : « financeur ; montant ; acquis » ou « … ; à trouver ». Par exemple « Région ; 10 000 ; acquis ».", errors))
                (select("priority", "Priorité", &priorities, value(fields, "priority"), None, errors))
                button type="submit" { "Enregistrer le contenu" }
            }
        }
    }
}

fn progress_form(ctx: &PageCtx, territory: &Territory, view: &ActionView, refused: &Refused) -> Markup {
    let none = FormErrors::default();
    let saved = progress_values(&view.progress);
    let (fields, errors, theirs) = match refused {
        Refused::Progress { fields, errors, theirs } => (*fields, *errors, *theirs),
        _ => (&saved, &none, None),
    };
    let statuses: Vec<(String, String)> =
        ActionStatus::ALL.iter().map(|s| (s.code().into(), s.label().into())).collect();
    let modes: Vec<(String, String)> = ProgressMode::ALL.iter().map(|m| (m.code().into(), m.label().into())).collect();
    let lateness: Vec<(String, String)> = vec![
        (String::new(), "Calculé à partir des dates et des jalons".into()),
        (LateOverride::Late.code().into(), "En retard, malgré les dates".into()),
        (LateOverride::OnTime.code().into(), "Dans les temps, malgré les dates".into()),
    ];
    let revision = theirs.map_or(view.action.row.revision, |(row, _)| row.revision);
    let revision = if theirs.is_none() && matches!(refused, Refused::Progress { .. }) {
        value(fields, "revision").parse().unwrap_or(revision)
    } else {
        revision
    };
    html! {
        section class="card" aria-labelledby="avancement-form" {
            h2 id="avancement-form" { "Mettre à jour l’avancement" }
            @if let Some((row, progress)) = theirs {
                div class="notice notice-error" {
                    p { strong { "Quelqu’un a mis à jour l’avancement pendant que vous le modifiiez" } " (le " (moment_fr(row.updated_at)) ") : statut « " (progress.status.label()) " »"
                        @if let Some(p) = progress.progress_manual { ", " (p) " %" } ". Votre version est dans le formulaire ; enregistrez-la pour remplacer la sienne." }
                }
            }
            form class="form" method="post" action={ (action_path(territory.place.project_id, territory.place.collectivity_id, view.action.row.id)) "/avancement" } {
                (csrf_field(ctx))
                input type="hidden" name="revision" value=(revision);
                (select("status", "Statut", &statuses, value(fields, "status"), None, errors))
                (optional_textarea("status_reason", "Raison (pour une action en pause ou abandonnée)", value(fields, "status_reason"), "Ce qui bloque, ce qui a changé.", errors))
                (select("progress_mode", "D’où vient l’avancement", &modes, value(fields, "progress_mode"), None, errors))
                (Field::new("progress_manual", "Avancement saisi à la main (%)").number(0, 100).value(value(fields, "progress_manual")).optional().render(errors))
                (optional_textarea("milestones", "Jalons", value(fields, "milestones"), "Un par ligne : « 31/03/2027 ; recrutement », et « ; fait le 20/03/2027 » une fois franchi.", errors))
                (select("late_override", "Retard", &lateness, value(fields, "late_override"), None, errors))
                (optional_textarea("late_reason", "Pourquoi corriger le retard calculé", value(fields, "late_reason"), "Par exemple : échéance repoussée par le bureau du 12 mars.", errors))
                button type="submit" { "Enregistrer l’avancement" }
            }
        }
    }
}

fn indicators_section(ctx: &PageCtx, territory: &Territory, view: &ActionView, refused: &Refused) -> Markup {
    let none = FormErrors::default();
    let empty = Fields::new();
    let (fields, errors) = match refused {
        Refused::Indicator(f, e) => (*f, *e),
        _ => (&empty, &none),
    };
    let directions = vec![
        (Direction::Up.code().to_owned(), "Mieux quand il monte".to_owned()),
        (Direction::Down.code().to_owned(), "Mieux quand il baisse".to_owned()),
    ];
    let frequencies: Vec<(String, String)> =
        Frequency::ALL.iter().map(|f| (f.code().into(), f.label().into())).collect();
    html! {
        section aria-labelledby="indicateurs" {
            h2 id="indicateurs" { "Indicateurs (" (view.action.indicators.len()) ")" }
            @if view.action.indicators.is_empty() { p { "Aucun indicateur pour l’instant." } }
            @for indicator in &view.action.indicators {
                (indicator_summary(territory, indicator))
            }
            @if territory.writes_plan() && view.editable {
                details open[matches!(refused, Refused::Indicator(..))] {
                    summary { "Ajouter un indicateur" }
                    form class="form" method="post" action={ (action_path(territory.place.project_id, territory.place.collectivity_id, view.action.row.id)) "/indicateurs" } {
                        (csrf_field(ctx))
                        (indicator_fields(fields, errors, &directions, &frequencies))
                        button type="submit" { "Ajouter l’indicateur" }
                    }
                }
            }
        }
    }
}

fn indicator_fields(
    fields: &Fields,
    errors: &FormErrors,
    directions: &[(String, String)],
    frequencies: &[(String, String)],
) -> Markup {
    html! {
        (Field::new("name", "Nom de l’indicateur").value(value(fields, "name")).hint("Par exemple « Personnes accompagnées dans leurs démarches ».").render(errors))
        (Field::new("unit", "Unité").value(value(fields, "unit")).optional().hint("personnes, %, euros…").render(errors))
        (select("direction", "Sens", directions, value(fields, "direction"), None, errors))
        (select("frequency", "Fréquence de relevé", frequencies, if value(fields, "frequency").is_empty() { "yearly" } else { value(fields, "frequency") }, None, errors))
        (Field::new("source", "Source").value(value(fields, "source")).optional().hint("Qui fournit le chiffre : CAF, service social, enquête…").render(errors))
        (optional_textarea("method", "Méthode de calcul", value(fields, "method"), "Comment le chiffre est obtenu.", errors))
        (Field::new("baseline_on", "Date de la valeur de référence").kind("date").value(value(fields, "baseline_on")).optional().render(errors))
        (Field::new("baseline_value", "Valeur de référence").value(value(fields, "baseline_value")).optional().hint("La situation de départ, pour mesurer le chemin parcouru.").render(errors))
        (optional_textarea("targets", "Cibles", value(fields, "targets"), "Une par ligne : « 31/12/2027 ; 120 ».", errors))
    }
}

fn indicator_summary(territory: &Territory, indicator: &IndicatorDetail) -> Markup {
    let series = indicator.series();
    html! {
        article class="indicator" aria-labelledby={ "indicateur-" (indicator.row.id) } {
            h3 id={ "indicateur-" (indicator.row.id) } { (indicator.row.name) @if !indicator.row.unit.is_empty() { " (" (indicator.row.unit) ")" } }
            p class="meta" {
                (indicator.row.direction().label()) " · relevé " (Frequency::parse(&indicator.row.frequency).map_or("", Frequency::label))
                @if !indicator.row.source.is_empty() { " · source : " (indicator.row.source) }
                @match (series.progress(), series.on_track()) {
                    (Some(p), Some(true)) => { " · " strong { ((p * 100.0).round() as i32) " % du chemin, dans la trajectoire" } }
                    (Some(p), Some(false)) => { " · " strong class="late" { ((p * 100.0).round() as i32) " % du chemin, en dessous de la trajectoire" } }
                    (Some(p), None) => { " · " ((p * 100.0).round() as i32) " % du chemin" }
                    (None, _) if indicator.row.baseline().is_none() => { " · valeur de référence à saisir" }
                    (None, _) => { " · pas encore de mesure" }
                }
            }
            (indicator_chart(indicator))
            (indicator_table(indicator))
            p { a href=(indicator_path(territory, indicator.row.id)) { "Saisir une mesure ou modifier l’indicateur « " (indicator.row.name) " »" } }
        }
    }
}

fn comments_section(ctx: &PageCtx, territory: &Territory, view: &ActionView, refused: &Refused) -> Markup {
    let none = FormErrors::default();
    let empty = Fields::new();
    let (fields, errors) = match refused {
        Refused::Comment(f, e) => (*f, *e),
        _ => (&empty, &none),
    };
    html! {
        section aria-labelledby="commentaires" {
            h2 id="commentaires" { "Commentaires du groupe de travail (" (view.comments.len()) ")" }
            @for comment in &view.comments {
                article class="comment" {
                    p class="meta" { (comment.author.as_deref().unwrap_or("Compte supprimé")) ", le " (moment_fr(comment.created_at)) }
                    (paragraphs(&comment.body))
                }
            }
            @if territory.require_open_project().is_ok() {
                form class="form" method="post" action={ (action_path(territory.place.project_id, territory.place.collectivity_id, view.action.row.id)) "/commentaires" } {
                    (csrf_field(ctx))
                    (textarea("body", "Votre commentaire", value(fields, "body"), "Une question, une idée, une réserve : le groupe de travail et ceux qui écrivent le plan le liront.", errors))
                    button type="submit" { "Commenter" }
                }
            }
        }
    }
}

fn action_page(ctx: &PageCtx, territory: &Territory, view: &ActionView, refused: Refused) -> Markup {
    let none = FormErrors::default();
    let errors = match &refused {
        Refused::None => &none,
        Refused::Content { errors, .. } | Refused::Progress { errors, .. } => errors,
        Refused::Indicator(_, e) | Refused::Comment(_, e) => e,
    };
    let action = &view.action;
    let progress = action.progress();
    let lateness = action.lateness(today());
    let writes = territory.writes_plan();
    page_with_errors(
        ctx,
        &action.row.title,
        errors,
        html! {
            (territory.plan_breadcrumb(Some(&action.row.title)))
            h1 { (action.row.title) }
            (errors.summary())
            @if !action.row.description.is_empty() { (paragraphs(&action.row.description)) }
            section aria-labelledby="ou-en-est" {
                h2 id="ou-en-est" { "Où en est l’action" }
                dl class="facts" {
                    dt { "Statut" } dd { (action.row.status().label()) @if !action.row.status_reason.is_empty() { " — " (action.row.status_reason) } }
                    dt { "Avancement" } dd {
                        @match progress.percent() {
                            Some(p) => { progress max="100" value=(p) aria-hidden="true" { (p) " %" } " " strong { (p) " %" } }
                            None => { "Inconnu" }
                        }
                        " — " (progress.source())
                    }
                    dt { "Calendrier" } dd { @if lateness.is_late() { strong class="late" { (lateness.describe()) } } @else { (lateness.describe()) } }
                }
                @if !view.progress.milestones.is_empty() {
                    h3 { "Jalons" }
                    ul { @for m in &view.progress.milestones { li { (short_date(m.due_on)) " — " (m.title) @if let Some(done) = m.done_on { " : franchi le " (short_date(done)) } } } }
                }
            }
            section aria-labelledby="fiche" {
                h2 id="fiche" { "Fiche de l’action" }
                (content_facts(action, &view.axes))
            }
            (lineage_section(territory, view, ctx))
            (indicators_section(ctx, territory, view, &refused))
            @if writes {
                (progress_form(ctx, territory, view, &refused))
                @if view.editable {
                    (content_form(ctx, territory, view, &refused))
                    form method="post" action={ (action_path(territory.place.project_id, territory.place.collectivity_id, action.row.id)) "/retrait" } {
                        (csrf_field(ctx))
                        button class="secondary" type="submit" { "Retirer cette action du plan" }
                    }
                } @else {
                    p class="notice" { "Le contenu de cette action fait partie d’une version soumise ou adoptée : il est figé. L’avancement, les jalons et les mesures restent à jour." }
                }
            }
            (comments_section(ctx, territory, view, &refused))
        },
    )
}

async fn refuse(
    ctx: &PageCtx,
    state: &AppState,
    territory: &Territory,
    action_id: i64,
    refused: Refused<'_>,
) -> Result<HttpResponse, AppError> {
    let view = load(state, territory, action_id).await?;
    Ok(unprocessable(action_page(ctx, territory, &view, refused)))
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id, action_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load(&state, &territory, action_id).await?;
    Ok(action_page(&ctx, &territory, &view, Refused::None))
}

pub async fn save_content(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, action_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let fields = form_of(&body)?;
    let axis = match value(&fields, "axis").trim() {
        "" => Ok(None),
        id => id.parse::<i64>().map(Some).map_err(|_| "Choisissez l’axe dans la liste.".to_owned()),
    };
    let (errors, theirs) = match (axis, ActionContentFields::parse(&content_input(&fields))) {
        (Ok(axis_id), Ok(content)) => {
            let revision: i32 = value(&fields, "revision").trim().parse().unwrap_or(0);
            let outcome = territory
                .write_plan(&state, move |conn, place, by| {
                    plans::save_action_content(conn, place, action_id, revision, axis_id, &content, by)
                })
                .await?;
            match outcome {
                Ok(Saved::Saved | Saved::Unchanged) => {
                    ctx.set_flash("Contenu de l’action enregistré.");
                    return Ok(see_other(&action_path(project_id, collectivity_id, action_id)));
                }
                Ok(Saved::Frozen(frozen)) => return Ok(frozen_flash(&ctx, &territory, &frozen)),
                Ok(Saved::Conflict(theirs)) => (
                    FormErrors::from(vec![(
                        "title",
                        "Quelqu’un a enregistré cette action entre-temps : comparez les deux versions avant \
                         d’enregistrer."
                            .to_owned(),
                    )]),
                    Some(theirs),
                ),
                Err(ContentRefusal::UnknownAxis) => {
                    (FormErrors::from(vec![("axis", "Choisissez l’axe dans la liste.".to_owned())]), None)
                }
                Err(_) => (
                    FormErrors::from(vec![(
                        "lead_entry",
                        "Choisissez le pilote et les partenaires parmi les acteurs du diagnostic du territoire."
                            .to_owned(),
                    )]),
                    None,
                ),
            }
        }
        (axis, content) => {
            let mut errors = FormErrors::default();
            errors.check("axis", axis);
            for (field, message) in content.err().unwrap_or_default() {
                errors.add(field, message);
            }
            (errors, None)
        }
    };
    let refused = Refused::Content { fields: &fields, errors: &errors, theirs: theirs.as_ref() };
    refuse(&ctx, &state, &territory, action_id, refused).await
}

pub async fn save_progress(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, action_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let fields = form_of(&body)?;
    let (errors, theirs) = match ProgressFields::parse(&progress_input(&fields)) {
        Ok(progress) => {
            let revision: i32 = value(&fields, "revision").trim().parse().unwrap_or(0);
            let outcome = territory
                .write_plan(&state, move |conn, place, by| {
                    plans::save_action_progress(conn, place, action_id, revision, &progress, by)
                })
                .await?;
            let Saved::Conflict(theirs) = outcome else {
                ctx.set_flash("Avancement enregistré.");
                return Ok(see_other(&format!("{}#ou-en-est", action_path(project_id, collectivity_id, action_id))));
            };
            let message = "Quelqu’un a mis à jour l’avancement entre-temps : comparez avant d’enregistrer.";
            (FormErrors::from(vec![("status", message.to_owned())]), Some(theirs))
        }
        Err(e) => (FormErrors::from(e), None),
    };
    let refused = Refused::Progress { fields: &fields, errors: &errors, theirs: theirs.as_ref() };
    refuse(&ctx, &state, &territory, action_id, refused).await
}

pub async fn remove(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, action_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let outcome =
        territory.write_plan(&state, move |conn, place, by| plans::remove_action(conn, place, action_id, by)).await?;
    if let Err(frozen) = outcome {
        return Ok(frozen_flash(&ctx, &territory, &frozen));
    }
    ctx.set_flash("Action retirée du plan.");
    Ok(see_other(&territory.plan_path()))
}

pub async fn cite(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, action_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let fields = form_of(&body)?;
    let evidence = Evidence::parse(value(&fields, "evidence")).map_err(AppError::BadRequest)?;
    let outcome =
        territory.write_plan(&state, move |conn, place, by| plans::cite(conn, place, action_id, evidence, by)).await?;
    match outcome {
        CiteOutcome::Cited | CiteOutcome::AlreadyCited => ctx.set_flash("C’est noté : l’action y répond."),
        CiteOutcome::Refused => ctx.set_flash("Choisissez dans la liste ce à quoi l’action répond."),
        CiteOutcome::Frozen(frozen) => return Ok(frozen_flash(&ctx, &territory, &frozen)),
    }
    Ok(see_other(&format!("{}#pourquoi", action_path(project_id, collectivity_id, action_id))))
}

pub async fn uncite(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, action_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let fields = form_of(&body)?;
    let evidence = Evidence::parse(value(&fields, "evidence")).map_err(AppError::BadRequest)?;
    let outcome = territory
        .write_plan(&state, move |conn, place, by| plans::uncite(conn, place, action_id, evidence, by))
        .await?;
    if let Err(frozen) = outcome {
        return Ok(frozen_flash(&ctx, &territory, &frozen));
    }
    ctx.set_flash("Retiré.");
    Ok(see_other(&format!("{}#pourquoi", action_path(project_id, collectivity_id, action_id))))
}

pub async fn comment(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, action_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_open_project()?;
    let by = territory.access.require_user()?.id;
    let fields = form_of(&body)?;
    let text = match bounded_text(value(&fields, "body"), "Le commentaire", 2, 4_000) {
        Ok(text) => text,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.add("body", e);
            return refuse(&ctx, &state, &territory, action_id, Refused::Comment(&fields, &errors)).await;
        }
    };
    let place = territory.place;
    let found = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(plans::add_comment(conn, place, action_id, &text, by)?)
            })
        })
        .await?;
    if !found {
        return Err(AppError::NotFound);
    }
    ctx.set_flash("Commentaire publié.");
    Ok(see_other(&format!("{}#commentaires", action_path(project_id, collectivity_id, action_id))))
}

// ---------------------------------------------------------------------------------------------------------------
// Indicators and measurements

fn indicator_input(fields: &Fields) -> IndicatorInput<'_> {
    IndicatorInput {
        name: value(fields, "name"),
        unit: value(fields, "unit"),
        direction: value(fields, "direction"),
        frequency: value(fields, "frequency"),
        source: value(fields, "source"),
        method: value(fields, "method"),
        baseline_on: value(fields, "baseline_on"),
        baseline_value: value(fields, "baseline_value"),
        targets: value(fields, "targets"),
    }
}

pub async fn add_indicator(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, action_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let fields = form_of(&body)?;
    let indicator = match IndicatorFields::parse(&indicator_input(&fields)) {
        Ok(indicator) => indicator,
        Err(e) => {
            let errors = FormErrors::from(e);
            return refuse(&ctx, &state, &territory, action_id, Refused::Indicator(&fields, &errors)).await;
        }
    };
    let outcome = territory
        .write_plan(&state, move |conn, place, by| plans::save_indicator(conn, place, action_id, None, &indicator, by))
        .await?;
    match outcome {
        IndicatorOutcome::Saved(id) | IndicatorOutcome::NameTaken(id) => {
            ctx.set_flash("Indicateur enregistré.");
            Ok(see_other(&format!("{}#indicateur-{id}", action_path(project_id, collectivity_id, action_id))))
        }
        IndicatorOutcome::Frozen(frozen) => Ok(frozen_flash(&ctx, &territory, &frozen)),
    }
}

struct IndicatorView {
    action: ActionRow,
    indicator: IndicatorDetail,
    editable: bool,
}

async fn load_indicator(state: &AppState, territory: &Territory, indicator_id: i64) -> Result<IndicatorView, AppError> {
    let place = territory.place;
    state
        .db(move |conn| {
            let detail = plans::plan_detail(conn, place)?;
            let editable = detail.state().content_editable();
            let action = detail
                .actions
                .into_iter()
                .find(|a| a.indicators.iter().any(|i| i.row.id == indicator_id))
                .ok_or(AppError::NotFound)?;
            let indicator =
                action.indicators.iter().find(|i| i.row.id == indicator_id).cloned().ok_or(AppError::NotFound)?;
            Ok(IndicatorView { action: action.row, indicator, editable })
        })
        .await
}

enum IndicatorRefused<'a> {
    None,
    Definition(&'a Fields, &'a FormErrors),
    Measurement(&'a Fields, &'a FormErrors),
}

fn indicator_page(ctx: &PageCtx, territory: &Territory, view: &IndicatorView, refused: IndicatorRefused) -> Markup {
    let none = FormErrors::default();
    let indicator = &view.indicator;
    let saved: Fields = {
        let f = indicator.fields();
        vec![
            ("name".into(), f.name),
            ("unit".into(), f.unit),
            ("direction".into(), f.direction.code().into()),
            ("frequency".into(), f.frequency.code().into()),
            ("source".into(), f.source),
            ("method".into(), f.method),
            ("baseline_on".into(), f.baseline.map(|b| b.0.to_string()).unwrap_or_default()),
            (
                "baseline_value".into(),
                f.baseline.map(|b| crate::domain::plan::number_fr(b.1).replace('\u{202f}', "")).unwrap_or_default(),
            ),
            ("targets".into(), targets_to_lines(&f.targets).replace('\u{202f}', "")),
        ]
    };
    let empty = Fields::new();
    let (definition, definition_errors, measurement, measurement_errors) = match &refused {
        IndicatorRefused::None => (&saved, &none, &empty, &none),
        IndicatorRefused::Definition(f, e) => (*f, *e, &empty, &none),
        IndicatorRefused::Measurement(f, e) => (&saved, &none, *f, *e),
    };
    let errors = match &refused {
        IndicatorRefused::None => &none,
        IndicatorRefused::Definition(_, e) | IndicatorRefused::Measurement(_, e) => e,
    };
    let directions = vec![
        (Direction::Up.code().to_owned(), "Mieux quand il monte".to_owned()),
        (Direction::Down.code().to_owned(), "Mieux quand il baisse".to_owned()),
    ];
    let frequencies: Vec<(String, String)> =
        Frequency::ALL.iter().map(|f| (f.code().into(), f.label().into())).collect();
    let path = indicator_path(territory, indicator.row.id);
    let writes = territory.writes_plan();
    page_with_errors(
        ctx,
        &indicator.row.name,
        errors,
        html! {
            p class="breadcrumb" {
                a href=(territory.plan_path()) { "Plan d’action" } " › "
                a href=(action_path(territory.place.project_id, territory.place.collectivity_id, view.action.id)) { (view.action.title) } " › "
                (indicator.row.name)
            }
            h1 { (indicator.row.name) }
            (errors.summary())
            @if !indicator.row.method.is_empty() { (paragraphs(&indicator.row.method)) }
            (indicator_chart(indicator))
            (indicator_table(indicator))
            @if writes {
                section class="card" aria-labelledby="mesure" {
                    h2 id="mesure" { "Saisir une mesure" }
                    form class="form" method="post" action={ (path) "/mesures" } {
                        (csrf_field(ctx))
                        (Field::new("measured_on", "Date").kind("date").value(value(measurement, "measured_on")).render(measurement_errors))
                        (Field::new("value", "Valeur").value(value(measurement, "value")).hint("Par exemple 12 ou 12,5.").render(measurement_errors))
                        div class="choice" {
                            input type="checkbox" id="estimated" name="estimated" value="oui" checked[value(measurement, "estimated") == "oui"];
                            label for="estimated" { "C’est une estimation, pas une mesure" }
                        }
                        (optional_textarea("comment", "Commentaire", value(measurement, "comment"), "D’où vient le chiffre, ce qui l’explique.", measurement_errors))
                        button type="submit" { "Enregistrer la mesure" }
                    }
                }
                @if !indicator.measurements.is_empty() {
                    section aria-labelledby="corriger" {
                        h2 id="corriger" { "Corriger une mesure" }
                        p { "Une mesure se corrige en la retirant puis en la saisissant de nouveau." }
                        ul {
                            @for m in &indicator.measurements {
                                li {
                                    (short_date(m.measured_on)) " : " (crate::domain::plan::number_fr(m.value))
                                    form class="inline" method="post" action={ (path) "/mesures/" (m.id) "/retrait" } {
                                        (csrf_field(ctx))
                                        button class="link-button" type="submit" { "Retirer" span class="visually-hidden" { " la mesure du " (short_date(m.measured_on)) } }
                                    }
                                }
                            }
                        }
                    }
                }
                @if view.editable {
                    section class="card" aria-labelledby="definition" {
                        h2 id="definition" { "Modifier l’indicateur" }
                        form class="form" method="post" action=(path) {
                            (csrf_field(ctx))
                            (indicator_fields(definition, definition_errors, &directions, &frequencies))
                            button type="submit" { "Enregistrer l’indicateur" }
                        }
                        form method="post" action={ (path) "/retrait" } {
                            (csrf_field(ctx))
                            button class="secondary" type="submit" { "Retirer l’indicateur et ses mesures" }
                        }
                    }
                }
            }
        },
    )
}

pub async fn show_indicator(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<Markup, AppError> {
    let (project_id, collectivity_id, indicator_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let view = load_indicator(&state, &territory, indicator_id).await?;
    Ok(indicator_page(&ctx, &territory, &view, IndicatorRefused::None))
}

pub async fn save_indicator(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, indicator_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let view = load_indicator(&state, &territory, indicator_id).await?;
    let fields = form_of(&body)?;
    let indicator = match IndicatorFields::parse(&indicator_input(&fields)) {
        Ok(indicator) => indicator,
        Err(e) => {
            let errors = FormErrors::from(e);
            return Ok(unprocessable(indicator_page(
                &ctx,
                &territory,
                &view,
                IndicatorRefused::Definition(&fields, &errors),
            )));
        }
    };
    let action_id = view.action.id;
    let outcome = territory
        .write_plan(&state, move |conn, place, by| {
            plans::save_indicator(conn, place, action_id, Some(indicator_id), &indicator, by)
        })
        .await?;
    match outcome {
        IndicatorOutcome::Saved(_) => ctx.set_flash("Indicateur enregistré."),
        IndicatorOutcome::NameTaken(_) => {
            let mut errors = FormErrors::default();
            errors.add("name", "L’action a déjà un indicateur de ce nom.");
            return Ok(unprocessable(indicator_page(
                &ctx,
                &territory,
                &view,
                IndicatorRefused::Definition(&fields, &errors),
            )));
        }
        IndicatorOutcome::Frozen(frozen) => return Ok(frozen_flash(&ctx, &territory, &frozen)),
    }
    Ok(see_other(&indicator_path(&territory, indicator_id)))
}

pub async fn remove_indicator(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, indicator_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let outcome = territory
        .write_plan(&state, move |conn, place, by| plans::remove_indicator(conn, place, indicator_id, by))
        .await?;
    if let Err(frozen) = outcome {
        return Ok(frozen_flash(&ctx, &territory, &frozen));
    }
    ctx.set_flash("Indicateur retiré.");
    Ok(see_other(&territory.plan_path()))
}

pub async fn add_measurement(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, indicator_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    let view = load_indicator(&state, &territory, indicator_id).await?;
    let fields = form_of(&body)?;
    let parsed = MeasurementFields::parse(
        value(&fields, "measured_on"),
        value(&fields, "value"),
        value(&fields, "estimated") == "oui",
        value(&fields, "comment"),
        today(),
    );
    let measurement = match parsed {
        Ok(m) => m,
        Err(e) => {
            let errors = FormErrors::from(e);
            return Ok(unprocessable(indicator_page(
                &ctx,
                &territory,
                &view,
                IndicatorRefused::Measurement(&fields, &errors),
            )));
        }
    };
    let outcome = territory
        .write_plan(&state, move |conn, place, by| {
            plans::add_measurement(conn, place, indicator_id, &measurement, None, by)
        })
        .await?;
    if let MeasureOutcome::DateTaken(existing) = outcome {
        let mut errors = FormErrors::default();
        errors.add(
            "measured_on",
            format!(
                "Une mesure existe déjà à cette date ({}) : retirez-la d’abord pour la corriger.",
                crate::domain::plan::number_fr(existing)
            ),
        );
        return Ok(unprocessable(indicator_page(
            &ctx,
            &territory,
            &view,
            IndicatorRefused::Measurement(&fields, &errors),
        )));
    }
    ctx.set_flash("Mesure enregistrée.");
    Ok(see_other(&indicator_path(&territory, indicator_id)))
}

pub async fn remove_measurement(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id, indicator_id, measurement_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    territory.require_plan_writer()?;
    territory
        .write_plan(&state, move |conn, place, _| plans::remove_measurement(conn, place, indicator_id, measurement_id))
        .await?;
    ctx.set_flash("Mesure retirée.");
    Ok(see_other(&indicator_path(&territory, indicator_id)))
}
