//! Open data (`/donnees-ouvertes`): each public dataset as a CSV (UTF-8, comma-separated, one column per field,
//! a header line) and all of them in one zip with their README of columns and the licence, under the Licence
//! Ouverte 2.0. The datasets hold what the public API and the pages show to every visitor, read through the same
//! storage functions; their columns are declared once here (`DATASETS`), which writes both the header lines and
//! the README.

use std::io::Write;

use actix_web::{web, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use maud::{html, Markup};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::context::PageCtx;
use super::views::{page, scroll_table};
use super::{AppError, AppState};
use crate::domain::resources::{EntryStatus, Freshness};
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::diagnostic::{public_maps, PublicMaps};
use crate::storage::{directory, inspiration, plans, projects, reports, restitutions, themes, DbConnection};
use crate::web::projects::diagnostic::{export::Export, Filters};

const PATH: &str = "/donnees-ouvertes";
pub const ZIP: &str = "encommun-donnees-ouvertes.zip";
pub const README: &str = "LISEZMOI.md";
const LICENCE: &str =
    "Licence Ouverte / Open Licence version 2.0 (Etalab), https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

/// A dataset: its file, what it holds, and its columns with what each means.
pub struct Dataset {
    pub file: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub columns: &'static [(&'static str, &'static str)],
}

const ADDRESS: (&str, &str) = ("adresse", "Chemin de la page publique sur la plateforme.");

pub const DATASETS: [Dataset; 10] = [
    Dataset {
        file: "themes.csv",
        title: "Thèmes",
        description: "Les thèmes publiés (ouverts, retenus pour un projet, archivés) et leurs positionnements.",
        columns: &[
            ("id", "Identifiant du thème."),
            ("titre", "Titre."),
            ("probleme", "Le problème que le thème pose."),
            ("pourquoi", "Pourquoi il compte."),
            ("statut", "open (ouvert aux positionnements), selected (retenu pour un projet) ou archived."),
            ("fusionne_dans", "Identifiant du thème dans lequel il a été fusionné, vide sinon."),
            ("ouvert_le", "Date et heure d’ouverture (UTC, ISO 8601)."),
            ("positionnements", "Nombre de collectivités positionnées."),
            ("participer", "Dont souhaitant participer."),
            ("observer", "Dont souhaitant observer."),
            ("interesse", "Dont intéressées."),
            ADDRESS,
        ],
    },
    Dataset {
        file: "positionnements.csv",
        title: "Positionnements sur les thèmes",
        description: "Chaque collectivité positionnée sur un thème publié, son engagement et ses enjeux, comme la page du thème les montre.",
        columns: &[
            ("theme_id", "Identifiant du thème (themes.csv)."),
            ("territoire_code", "Code officiel du territoire (INSEE pour une commune, SIREN pour un EPCI)."),
            ("territoire_type", "commune, epci, ept, departement ou region."),
            ("territoire_nom", "Nom officiel."),
            ("engagement", "participate (participer), observe (observer) ou interested (intéressée)."),
            ("enjeux", "Les enjeux que la collectivité a écrits."),
            ("positionne_le", "Date et heure du positionnement (UTC)."),
            ("modifie_le", "Date et heure de sa dernière modification (UTC)."),
        ],
    },
    Dataset {
        file: "projets.csv",
        title: "Projets partagés",
        description: "Les projets, leur phase, leurs dates et leurs collectivités participantes et observatrices.",
        columns: &[
            ("id", "Identifiant du projet."),
            ("titre", "Titre."),
            ("description", "Présentation (Markdown)."),
            ("theme_id", "Identifiant du thème d’origine (themes.csv)."),
            ("phase", "Phase en cours (enrolment, provider_selection, diagnostic, co_design, adoption, restitution, follow_up, closed)."),
            ("debut", "Date de début (AAAA-MM-JJ)."),
            ("fin", "Date de fin prévue."),
            ("participantes_min", "Nombre minimal de collectivités participantes."),
            ("participantes_max", "Nombre maximal."),
            ("participantes", "Codes officiels des collectivités participantes, séparés par des espaces."),
            ("observatrices", "Codes officiels des collectivités observatrices, séparés par des espaces."),
            ADDRESS,
        ],
    },
    Dataset {
        file: "actions_adoptees.csv",
        title: "Actions des plans adoptés",
        description: "Chaque action de la version adoptée en vigueur des plans d’action, et où elle en est.",
        columns: &[
            ("plan_id", "Identifiant du plan d’action."),
            ("projet_id", "Identifiant du projet (projets.csv)."),
            ("territoire_code", "Code officiel du territoire."),
            ("territoire_nom", "Nom officiel."),
            ("version", "Numéro de la version adoptée."),
            ("adopte_le", "Date de l’adoption (AAAA-MM-JJ)."),
            ("axe", "Axe du plan."),
            ("action", "Titre de l’action."),
            ("description", "Description."),
            ("pilote", "Qui la pilote."),
            ("partenaires", "Partenaires, séparés par « ; »."),
            ("debut", "Début prévu."),
            ("fin", "Fin prévue."),
            ("budget_euros", "Budget en euros, vide s’il n’est pas dit."),
            ("statut", "Où en est l’action (planned, ongoing, done, suspended, abandoned…)."),
            ("avancement_pourcent", "Avancement en pourcentage, vide s’il n’est pas mesuré."),
        ],
    },
    Dataset {
        file: "indicateurs.csv",
        title: "Indicateurs des plans adoptés",
        description: "Pour chaque indicateur des actions adoptées : sa valeur de référence, ses cibles et ses mesures (valeurs et dates).",
        columns: &[
            ("plan_id", "Identifiant du plan (actions_adoptees.csv)."),
            ("territoire_code", "Code officiel du territoire."),
            ("action", "Titre de l’action."),
            ("indicateur", "Nom de l’indicateur."),
            ("unite", "Unité."),
            ("sens", "up (plus est mieux) ou down."),
            ("nature", "reference (point de départ), cible ou mesure."),
            ("date", "Date (AAAA-MM-JJ)."),
            ("valeur", "Valeur (point décimal)."),
            ("estimee", "oui quand la mesure est une estimation."),
        ],
    },
    Dataset {
        file: "restitutions.csv",
        title: "Restitutions publiées",
        description: "Ce que chaque territoire a dit aux habitants, et les citations choisies.",
        columns: &[
            ("id", "Identifiant de la restitution."),
            ("projet_id", "Identifiant du projet."),
            ("territoire_code", "Code officiel du territoire."),
            ("territoire_nom", "Nom officiel."),
            ("publiee_le", "Date et heure de publication (UTC)."),
            ("ce_que_nous_avons_entendu", "Texte."),
            ("chiffres_cles", "Chiffres clés, un par ligne (« valeur ; ce qu’elle dit »)."),
            ("ce_qui_a_ete_decide", "Texte."),
            ("et_maintenant", "Texte."),
            ("rester_implique", "Comment rester impliqué."),
            ("citations", "Citations choisies, séparées par une ligne vide."),
            ADDRESS,
        ],
    },
    Dataset {
        file: "retours_experience.csv",
        title: "Retours d’expérience",
        description: "Les retours d’expérience publiés.",
        columns: &[
            ("id", "Identifiant."),
            ("titre", "Titre."),
            ("territoire_code", "Code officiel du territoire."),
            ("territoire_type", "Type de territoire."),
            ("territoire_nom", "Nom officiel."),
            ("population", "Population du territoire, vide si inconnue."),
            ("theme_id", "Identifiant du thème, vide sinon."),
            ("projet_id", "Identifiant du projet d’origine, vide sinon."),
            ("methode", "Méthode."),
            ("duree", "Durée."),
            ("cout", "Coût, tel qu’écrit."),
            ("realisation", "Ce qui a été fait."),
            ("resultats", "Résultats."),
            ("difficultes", "Difficultés."),
            ("contact", "Contact."),
            ("liens", "Liens, un par ligne (adresse puis libellé)."),
            ("verifie_le", "Date et heure de la dernière vérification (UTC)."),
            ("peut_etre_depasse", "oui s’il n’a pas été vérifié depuis deux ans."),
            ADDRESS,
        ],
    },
    Dataset {
        file: "annuaire.csv",
        title: "Annuaire des acteurs",
        description: "Les acteurs publiés de la participation et de la coopération.",
        columns: &[
            ("id", "Identifiant."),
            ("nom", "Nom."),
            ("type", "consultancy (cabinet), association, network (réseau), research (recherche) ou other."),
            ("siret", "SIRET (14 chiffres), vide s’il n’est pas connu."),
            ("competences", "Compétences, séparées par « ; »."),
            ("territoires_servis", "Départements (numéro) et régions (R et leur code) où il intervient, séparés par des espaces."),
            ("toute_la_france", "oui s’il intervient partout en France."),
            ("presentation", "Présentation."),
            ("contact", "Contact."),
            ("liens", "Liens, un par ligne."),
            ("projets", "Identifiants des projets auxquels il a pris part, séparés par des espaces."),
            ("verifie_le", "Date et heure de la dernière vérification (UTC)."),
            ("peut_etre_depasse", "oui s’il n’a pas été vérifié depuis deux ans."),
            ADDRESS,
        ],
    },
    Dataset {
        file: "inspiration.csv",
        title: "Inspiration",
        description: "Les ressources d’inspiration.",
        columns: &[
            ("id", "Identifiant."),
            ("titre", "Titre."),
            ("resume", "Résumé."),
            ("texte", "Texte (Markdown)."),
            ("liens", "Liens, un par ligne."),
            ("themes", "Identifiants des thèmes auxquels elle est rattachée, séparés par des espaces."),
            ADDRESS,
        ],
    },
    Dataset {
        file: "cartes_publiques.csv",
        title: "Cartes publiques des diagnostics",
        description: "Les fiches publiées des cartes que le prestataire ou l’agence a rendues publiques : acteurs, espaces et objets de l’engagement citoyen et de la coopération de chaque territoire, sans leurs contacts ni leurs ressources.",
        columns: &[
            ("projet_id", "Identifiant du projet (projets.csv)."),
            ("territoire_code", "Code officiel du territoire dont c’est la carte."),
            ("identifiant", "Identifiant de la fiche."),
            ("territoire", "Nom du territoire."),
            ("nature", "Acteur, Espace ou Objet (de l’engagement)."),
            ("nom", "Nom."),
            ("categorie", "Famille de l’acteur, type de l’espace ou de l’objet."),
            ("domaine", "Engagement citoyen ou Coopération thématique."),
            ("description", "Ce que l’acteur fait, ce que l’espace ou l’objet est."),
            ("publics", "Publics touchés."),
            ("engagement", "Façon d’associer les habitants."),
            ("liens", "Liens, un par ligne."),
            ("adresse", "Adresse postale."),
            ("horaires", "Horaires."),
            ("accessibilite", "Accessibilité."),
            ("code_insee", "Code INSEE de la commune où la fiche est située."),
            ("nom_commune", "Nom de la commune."),
            ("siren_epci", "SIREN de l’intercommunalité."),
            ("nom_epci", "Nom de l’intercommunalité."),
            ("departement", "Numéro du département."),
            ("latitude", "Latitude WGS84 (point décimal), vide sans position."),
            ("longitude", "Longitude WGS84."),
            ("mise_a_jour", "Date de la dernière mise à jour de la fiche (AAAA-MM-JJ)."),
        ],
    },
];

fn at(date: NaiveDateTime) -> String {
    date.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn yes(flag: bool) -> String {
    if flag { "oui" } else { "non" }.to_owned()
}

fn or_empty<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The rows of a dataset, in the order of its columns.
fn rows(conn: &mut DbConnection, dataset: &Dataset) -> Result<Vec<Vec<String>>, AppError> {
    let now = Utc::now().naive_utc();
    let mut rows = Vec::new();
    match dataset.file {
        "themes.csv" => {
            for t in themes::public_themes(conn)? {
                rows.push(vec![
                    t.id.to_string(),
                    t.title,
                    t.problem,
                    t.why_it_matters,
                    t.status,
                    or_empty(t.merged_into_id),
                    or_empty(t.opened_at.map(at)),
                    t.positions_count.to_string(),
                    t.participate_count.to_string(),
                    t.observe_count.to_string(),
                    t.interested_count.to_string(),
                    format!("/themes/{}", t.id),
                ]);
            }
        }
        "positionnements.csv" => {
            for (p, t) in themes::public_positions(conn)? {
                rows.push(vec![
                    p.theme_id.to_string(),
                    t.code,
                    t.kind,
                    t.name,
                    p.engagement,
                    p.stakes,
                    at(p.created_at),
                    at(p.updated_at),
                ]);
            }
        }
        "projets.csv" => {
            let mut all = projects::list_projects(conn)?;
            all.sort_by_key(|p| p.id);
            for p in all {
                let enrolments = projects::enrolments_of_project(conn, p.id)?;
                let codes = |role: &str| {
                    enrolments
                        .iter()
                        .filter(|(e, _)| e.role == role && e.status == "active")
                        .map(|(_, t)| t.code.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                rows.push(vec![
                    p.id.to_string(),
                    p.title.clone(),
                    p.description.clone(),
                    p.theme_id.to_string(),
                    p.phase.clone(),
                    p.starts_on.to_string(),
                    p.ends_on.to_string(),
                    p.min_participants.to_string(),
                    p.max_participants.to_string(),
                    codes("participant"),
                    codes("observer"),
                    format!("/projets/{}", p.id),
                ]);
            }
        }
        "actions_adoptees.csv" | "indicateurs.csv" => {
            for (plan_id, place) in plans::places_with_adopted_plan(conn)? {
                let (Some(plan), Some(territory)) =
                    (plans::adopted_plan(conn, place)?, territory_of_collectivity(conn, place.collectivity_id)?)
                else {
                    continue;
                };
                let adopted_on = or_empty(plan.version.adoption.as_ref().map(|a| a.adopted_on));
                for (axis, action) in plan.content.actions() {
                    let live = plan.live.get(&action.id);
                    if dataset.file == "actions_adoptees.csv" {
                        rows.push(vec![
                            plan_id.to_string(),
                            place.project_id.to_string(),
                            territory.code.clone(),
                            territory.name.clone(),
                            plan.version.row.number.to_string(),
                            adopted_on.clone(),
                            axis.title.clone(),
                            action.title.clone(),
                            action.description.clone(),
                            action.lead.clone(),
                            action.partners.join(" ; "),
                            or_empty(action.starts_on),
                            or_empty(action.ends_on),
                            or_empty(action.budget_cents.map(|c| format!("{}.{:02}", c / 100, c % 100))),
                            or_empty(live.map(|l| l.row.status().code())),
                            or_empty(live.and_then(|l| l.progress().percent())),
                        ]);
                        continue;
                    }
                    for indicator in &action.indicators {
                        let row = |nature: &str, on: String, value: f64, estimated: bool| {
                            vec![
                                plan_id.to_string(),
                                territory.code.clone(),
                                action.title.clone(),
                                indicator.name.clone(),
                                indicator.unit.clone(),
                                indicator.direction.clone(),
                                nature.to_owned(),
                                on,
                                value.to_string(),
                                yes(estimated),
                            ]
                        };
                        if let Some((on, value)) = indicator.baseline {
                            rows.push(row("reference", on.to_string(), value, false));
                        }
                        for (on, value) in &indicator.targets {
                            rows.push(row("cible", on.to_string(), *value, false));
                        }
                        for m in plan.measurements(action.id, &indicator.name) {
                            rows.push(row("mesure", m.measured_on.to_string(), m.value, m.estimated));
                        }
                    }
                }
            }
        }
        "restitutions.csv" => {
            for r in restitutions::published(conn)? {
                let Some(territory) = territory_of_collectivity(conn, r.collectivity_id)? else { continue };
                let quotes: Vec<String> = restitutions::quotes_of(conn, r.id)?.into_iter().map(|q| q.text).collect();
                rows.push(vec![
                    r.id.to_string(),
                    r.project_id.to_string(),
                    territory.code,
                    territory.name,
                    or_empty(r.published_at.map(at)),
                    r.heard,
                    r.figures,
                    r.decided,
                    r.next_steps,
                    r.involved,
                    quotes.join("\n\n"),
                    format!("/projets/{}/restitutions/{}", r.project_id, r.collectivity_id),
                ]);
            }
        }
        "retours_experience.csv" => {
            let mut all = reports::reports_with_status(conn, EntryStatus::Published, None)?;
            all.sort_by_key(|(r, _)| r.id);
            for (r, t) in all {
                rows.push(vec![
                    r.id.to_string(),
                    r.title.clone(),
                    t.code,
                    t.kind,
                    t.name,
                    or_empty(t.population),
                    or_empty(r.theme_id),
                    or_empty(r.project_id),
                    r.method.clone(),
                    r.duration.clone(),
                    r.cost.clone(),
                    r.done.clone(),
                    r.results.clone(),
                    r.difficulties.clone(),
                    r.contact.clone(),
                    r.links.clone(),
                    at(r.checked_at),
                    yes(Freshness::of(r.checked_at, now) == Freshness::Stale),
                    format!("/retours-d-experience/{}", r.id),
                ]);
            }
        }
        "annuaire.csv" => {
            let mut after = 0;
            loop {
                let page = directory::published_after(conn, after, 500)?;
                let Some((last, _)) = page.last() else { break };
                after = last.id;
                for (e, projects) in page {
                    rows.push(vec![
                        e.id.to_string(),
                        e.name.clone(),
                        e.kind.clone(),
                        or_empty(e.siret.clone()),
                        e.skills().join(" ; "),
                        e.served().join(" "),
                        yes(e.nationwide),
                        e.description.clone(),
                        e.contact.clone(),
                        e.links.clone(),
                        projects.iter().map(i64::to_string).collect::<Vec<_>>().join(" "),
                        at(e.checked_at),
                        yes(Freshness::of(e.checked_at, now) == Freshness::Stale),
                        format!("/annuaire/{}", e.id),
                    ]);
                }
            }
        }
        "inspiration.csv" => {
            let mut all = inspiration::list_resources(conn, None, i64::MAX)?;
            all.sort_by_key(|r| r.id);
            let ids: Vec<i64> = all.iter().map(|r| r.id).collect();
            let themes = inspiration::themes_of_resources(conn, &ids)?;
            for r in all {
                let of: Vec<String> =
                    themes.iter().filter(|(rid, ..)| *rid == r.id).map(|(_, t, _)| t.to_string()).collect();
                rows.push(vec![
                    r.id.to_string(),
                    r.title.clone(),
                    r.summary.clone(),
                    r.body.clone(),
                    r.links.clone(),
                    of.join(" "),
                    format!("/inspiration/{}", r.id),
                ]);
            }
        }
        "cartes_publiques.csv" => {
            for (public, territory) in public_maps(conn, PublicMaps::All)? {
                let sheets = Export::of_public_map(conn, public.place(), &territory.name, &Filters::default())?;
                for values in sheets.rows() {
                    let mut row = vec![public.project_id.to_string(), territory.code.clone()];
                    row.extend(values);
                    rows.push(row);
                }
            }
        }
        _ => {}
    }
    Ok(rows)
}

/// A dataset as CSV: its header line, then its rows.
pub fn csv_of(conn: &mut DbConnection, dataset: &Dataset) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| AppError::Internal(anyhow::anyhow!("CSV : {e}"));
    writer.write_record(dataset.columns.iter().map(|(name, _)| name)).map_err(failed)?;
    for row in rows(conn, dataset)? {
        writer.write_record(&row).map_err(failed)?;
    }
    writer.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("CSV : {e}")))
}

/// The README of columns, in Markdown: every dataset, every column.
pub fn readme() -> String {
    let mut text = format!(
        "# Données ouvertes d’encommun\n\nCe que la plateforme montre à tous ses visiteurs, en fichiers CSV : UTF-8, \
         virgule comme séparateur, une ligne d’en-tête, guillemets doubles autour des valeurs qui contiennent une \
         virgule, un guillemet ou un retour à la ligne. Les dates sont en UTC au format ISO 8601.\n\nLicence : \
         {LICENCE}. Réutilisez librement ces données en citant leur source (la plateforme et la date de \
         téléchargement). Les mêmes données sont lisibles par l’API publique (/api).\n"
    );
    for dataset in &DATASETS {
        text.push_str(&format!(
            "\n## {} — `{}`\n\n{}\n\n| colonne | contenu |\n|---|---|\n",
            dataset.title, dataset.file, dataset.description
        ));
        for (name, meaning) in dataset.columns {
            text.push_str(&format!("| `{name}` | {meaning} |\n"));
        }
    }
    text
}

/// Every dataset, the README and the licence in one zip, written a file at a time.
pub fn zip_of(conn: &mut DbConnection) -> Result<Vec<u8>, AppError> {
    let failed = |e: zip::result::ZipError| AppError::Internal(anyhow::anyhow!("zip : {e}"));
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let add = |zip: &mut ZipWriter<std::io::Cursor<Vec<u8>>>, name: &str, bytes: &[u8]| -> Result<(), AppError> {
        zip.start_file(name, options).map_err(failed)?;
        zip.write_all(bytes).map_err(|e| AppError::Internal(anyhow::anyhow!("zip : {e}")))
    };
    add(&mut zip, README, readme().as_bytes())?;
    add(&mut zip, "LICENCE.txt", LICENCE.as_bytes())?;
    for dataset in &DATASETS {
        let csv = csv_of(conn, dataset)?;
        add(&mut zip, dataset.file, &csv)?;
    }
    Ok(zip.finish().map_err(failed)?.into_inner())
}

pub async fn index(ctx: PageCtx) -> Markup {
    page(
        &ctx,
        "Données ouvertes",
        html! {
            h1 { "Données ouvertes" }
            p class="lead" { "Tout ce que la plateforme montre à ses visiteurs, en fichiers CSV à réutiliser librement sous " a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/" { "Licence Ouverte 2.0" } " : citez la source et la date." }
            p { a class="button" href={ (PATH) "/" (ZIP) } { "Tout télécharger (zip)" } " " a href={ (PATH) "/" (README) } { "Les colonnes de chaque fichier (LISEZMOI)" } }
            p { "Fichiers en UTF-8, virgule comme séparateur, une ligne d’en-tête ; dates en UTC (ISO 8601). Les mêmes données se lisent aussi par l’" a href="/api" { "API publique" } "." }
            (scroll_table("Les jeux de données", html! {
                table {
                    caption { "Les jeux de données" }
                    thead { tr { th scope="col" { "Fichier" } th scope="col" { "Contenu" } th scope="col" { "Colonnes" } } }
                    tbody {
                        @for dataset in &DATASETS {
                            tr {
                                th scope="row" { a href={ (PATH) "/" (dataset.file) } { (dataset.title) } br; span class="small" { (dataset.file) } }
                                td { (dataset.description) }
                                td { (dataset.columns.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                }
            }))
        },
    )
}

pub async fn download(state: web::Data<AppState>, file: web::Path<String>) -> Result<HttpResponse, AppError> {
    let file = file.into_inner();
    let attachment = |name: &str| ("Content-Disposition", format!("attachment; filename=\"{name}\""));
    if file == README {
        return Ok(HttpResponse::Ok().content_type("text/markdown; charset=utf-8").body(readme()));
    }
    if file == ZIP {
        let bytes = state.db(zip_of).await?;
        return Ok(HttpResponse::Ok().content_type("application/zip").insert_header(attachment(ZIP)).body(bytes));
    }
    let dataset = DATASETS.iter().find(|d| d.file == file).ok_or(AppError::NotFound)?;
    let bytes = state.db(move |conn| csv_of(conn, dataset)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .insert_header(attachment(&file))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_maps_file_has_the_public_maps_columns() {
        let dataset = DATASETS.iter().find(|d| d.file == "cartes_publiques.csv").unwrap();
        let names: Vec<&str> = dataset.columns.iter().map(|(name, _)| *name).collect();
        let expected: Vec<&str> = ["projet_id", "territoire_code"]
            .into_iter()
            .chain(crate::web::projects::diagnostic::export::public_columns())
            .collect();
        assert_eq!(names, expected);
        assert!(!names.contains(&"contact") && !names.contains(&"ressources"));
    }
}
