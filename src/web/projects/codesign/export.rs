//! A territory's cycle as spreadsheets: its ideas (with their cluster, merge, workshop and what motivated them)
//! and its votes (each score and each dot, by workshop, person, proposal and criterion). Semicolons and a BOM, as
//! French spreadsheets open them; cells that would run as formulas are neutralised.

use actix_web::{web, HttpResponse};

use super::Territory;
use crate::domain::codesign::{author_category_label, Candidate};
use crate::domain::text::spreadsheet_safe;
use crate::storage::codesign;
use crate::web::context::PageCtx;
use crate::web::views::moment_fr;
use crate::web::{AppError, AppState};

fn csv(file_stem: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<HttpResponse, AppError> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(header).map_err(AppError::internal)?;
    for row in rows {
        writer.write_record(row.iter().map(|v| spreadsheet_safe(v).into_owned())).map_err(AppError::internal)?;
    }
    let body = writer.into_inner().map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{file_stem}.csv\"")))
        .body(body))
}

fn file_stem(territory: &Territory, what: &str) -> String {
    format!("croisement-projet-{}-territoire-{}-{what}", territory.place.project_id, territory.place.collectivity_id)
}

pub async fn ideas_csv(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let (place, facilitates) = (territory.place, territory.access.leads());
    let (ideas, clusters, members, workshops, cited) = state
        .db(move |conn| {
            Ok((
                codesign::ideas_of(conn, place)?,
                codesign::clusters_of(conn, place)?,
                codesign::working_group(conn, place)?,
                codesign::workshops_of(conn, place)?,
                codesign::evidence_of_territory(conn, place)?,
            ))
        })
        .await?;
    let rows = ideas
        .iter()
        // Inhabitants' ideas waiting for moderation, or refused, are the facilitator's alone.
        .filter(|i| facilitates || matches!(i.status.as_str(), "published" | "dissolved"))
        .map(|idea| {
            let member = idea.member_id.and_then(|id| members.iter().find(|m| m.id == id));
            vec![
                idea.id.to_string(),
                idea.title.clone(),
                idea.body.clone(),
                author_category_label(&idea.author_category).to_owned(),
                member.map_or(String::new(), |m| m.display_name.clone()),
                idea.origin().label().to_owned(),
                idea.status.clone(),
                idea.cluster_id
                    .and_then(|c| clusters.iter().find(|x| x.id == c))
                    .map_or(String::new(), |c| c.name.clone()),
                idea.merged_into.map_or(String::new(), |m| m.to_string()),
                idea.workshop_id
                    .and_then(|w| workshops.iter().find(|x| x.event_id == w))
                    .map_or(String::new(), |w| w.title.clone()),
                moment_fr(idea.created_at),
                cited.iter().filter(|c| c.idea_id == idea.id).map(|c| c.label.clone()).collect::<Vec<_>>().join(" | "),
            ]
        })
        .collect();
    let header = [
        "identifiant",
        "titre",
        "texte",
        "catégorie de l’auteur",
        "membre du groupe",
        "origine",
        "statut",
        "regroupement",
        "fusionnée dans",
        "atelier",
        "reçue le",
        "motivations",
    ];
    csv(&file_stem(&territory, "idees"), &header, rows)
}

pub async fn votes_csv(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let place = territory.place;
    let rows = state
        .db(move |conn| {
            let ideas = codesign::ideas_of(conn, place)?;
            let clusters = codesign::clusters_of(conn, place)?;
            let members = codesign::working_group(conn, place)?;
            let criteria: Vec<codesign::Criterion> =
                codesign::objectives_of(conn, place)?.into_iter().flat_map(|(_, c)| c).collect();
            let proposal = |candidate: Candidate| match candidate {
                Candidate::Cluster(id) => {
                    clusters.iter().find(|c| c.id == id).map_or(String::new(), |c| format!("regroupement : {}", c.name))
                }
                Candidate::Idea(id) => {
                    ideas.iter().find(|i| i.id == id).map_or(String::new(), |i| format!("idée : {}", i.title))
                }
            };
            let person = |id: i64| {
                members.iter().find(|m| m.id == id).map_or((String::new(), String::new()), |m| {
                    (m.display_name.clone(), m.category().label().to_owned())
                })
            };
            let mut rows = Vec::new();
            for workshop in codesign::workshops_of(conn, place)? {
                for (candidate, score) in codesign::scores_of_workshop(conn, workshop.event_id)? {
                    let (name, category) = person(score.member_id);
                    let criterion = criteria.iter().find(|c| c.id == score.criterion_id);
                    rows.push(vec![
                        workshop.title.clone(),
                        name,
                        category,
                        proposal(candidate),
                        "note".to_owned(),
                        criterion.map_or(String::new(), |c| c.label.clone()),
                        criterion.map_or(String::new(), |c| c.weight.to_string()),
                        score.value.to_string(),
                    ]);
                }
                let mut dots = codesign::dots_of_workshop(conn, workshop.event_id)?;
                dots.sort();
                for chunk in dots.chunk_by(|a, b| a == b) {
                    let (candidate, member) = chunk[0];
                    let (name, category) = person(member);
                    rows.push(vec![
                        workshop.title.clone(),
                        name,
                        category,
                        proposal(candidate),
                        "points".to_owned(),
                        String::new(),
                        String::new(),
                        chunk.len().to_string(),
                    ]);
                }
            }
            Ok(rows)
        })
        .await?;
    let header = ["atelier", "personne", "catégorie", "proposition", "vote", "critère", "poids", "valeur"];
    csv(&file_stem(&territory, "votes"), &header, rows)
}
