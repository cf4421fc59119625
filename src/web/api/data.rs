//! The API's endpoints: each reads through the storage functions the public pages use and keeps what they show to
//! a visitor without a session — published themes with their counts, projects with their timeline and
//! participants, their events (as the agenda shows them: no place, no minutes) and public news, inspiration,
//! published experience reports and directory entries, the adopted version of each action plan with its
//! indicators' measurements (values and dates, never who entered them nor their comments), published restitutions
//! (their texts and the quotes as chosen, never an answer's original), and the diagnostic maps their leads made
//! public as GeoJSON (published sheets without their contacts or resources: `web::projects::diagnostic::public`).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDateTime, Utc};
use serde_json::{json, Value};

use super::{answer, list_reply, ApiError, ListQuery, Paging, Reply, BASE};
use crate::domain::inspiration::Link;
use crate::domain::resources::{EntryStatus, Freshness};
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::diagnostic::{self, Place, PublicMaps};
use crate::storage::plans::{self, AdoptedPlan};
use crate::storage::projects::{self, Project};
use crate::storage::territories::Territory;
use crate::storage::{directory, events, inspiration, posts, reports, restitutions, themes, DbConnection};
use crate::web::projects::diagnostic::export::Export;
use crate::web::projects::diagnostic::Filters;
use crate::web::projects::paths::public_map_path;
use crate::web::AppState;

type Data = web::Data<AppState>;
type Query = web::Query<ListQuery>;

/// An id in a path: a number, or a 404.
fn id_of(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::not_found(format!("« {text:.40} » n’est pas un identifiant.")))
}

fn links(links: &[Link]) -> Value {
    links.iter().map(|l| json!({ "url": l.url, "label": l.label })).collect()
}

fn territory(t: &Territory) -> Value {
    json!({ "code": t.code, "kind": t.kind, "name": t.name, "population": t.population })
}

fn date(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub async fn index(req: HttpRequest, state: Data) -> HttpResponse {
    answer(&req, &state, async {
        let endpoints: Vec<&str> = super::spec::ENDPOINTS.iter().map(|e| e.path).collect();
        Ok(Reply::item(
            json!({
                "name": "encommun",
                "version": "v1",
                "documentation": "/api",
                "openapi": format!("{BASE}/openapi.json"),
                "licence": "Licence Ouverte / Open Licence 2.0",
                "endpoints": endpoints,
            }),
            None,
        ))
    })
    .await
}

// --- Themes -------------------------------------------------------------------------------------------------

fn theme_json(theme: &themes::Theme, areas: &[(i64, String, String, themes::Counts)]) -> Value {
    let by_area: Vec<Value> = areas
        .iter()
        .filter(|(id, ..)| *id == theme.id)
        .map(|(_, region, kind, c)| {
            json!({
                "region_code": region, "territory_kind": kind, "positions": c.total,
                "participate": c.participate, "observe": c.observe, "interested": c.interested,
            })
        })
        .collect();
    json!({
        "id": theme.id,
        "title": theme.title,
        "problem": theme.problem,
        "why_it_matters": theme.why_it_matters,
        "status": theme.status,
        "merged_into": theme.merged_into_id,
        "opened_at": theme.opened_at.map(date),
        "updated_at": date(theme.updated_at),
        "url": format!("/themes/{}", theme.id),
        "counts": {
            "positions": theme.positions_count, "participate": theme.participate_count,
            "observe": theme.observe_count, "interested": theme.interested_count,
        },
        "by_area": by_area,
    })
}

pub async fn themes(req: HttpRequest, state: Data, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let (page, next, areas) = state
            .db(move |conn| {
                let (page, next) = paging.page(themes::public_themes(conn)?, |t| t.id);
                let ids: Vec<i64> = page.iter().map(|t| t.id).collect();
                Ok((page, next, themes::area_counts(conn, &ids)?))
            })
            .await?;
        let modified = page.iter().map(|t| t.updated_at).max();
        Ok(list_reply(&req, page.iter().map(|t| theme_json(t, &areas)).collect(), paging, next, modified))
    })
    .await
}

pub async fn theme(req: HttpRequest, state: Data, id: web::Path<String>) -> HttpResponse {
    answer(&req, &state, async {
        let id = id_of(&id)?;
        let (theme, areas) = state
            .db(move |conn| {
                let theme = themes::find_theme(conn, id)?.filter(|t| t.status != "proposed");
                let areas = if theme.is_some() { themes::area_counts(conn, &[id])? } else { Vec::new() };
                Ok((theme, areas))
            })
            .await?;
        let theme = theme.ok_or_else(|| ApiError::not_found(format!("Aucun thème publié n’a l’identifiant {id}.")))?;
        Ok(Reply::item(theme_json(&theme, &areas), Some(theme.updated_at)))
    })
    .await
}

// --- Projects -----------------------------------------------------------------------------------------------

/// A project as its public page tells it: its phase and timeline, its participants and observers.
fn project_json(conn: &mut DbConnection, project: &Project) -> crate::storage::QueryResult<Value> {
    let enrolments = projects::enrolments_of_project(conn, project.id)?;
    let of_role = |role: &str| -> Vec<Value> {
        enrolments
            .iter()
            .filter(|(e, _)| e.role == role && e.status == "active")
            .map(|(e, t)| json!({ "territory": territory(t), "since": date(e.updated_at) }))
            .collect()
    };
    let timeline: Vec<Value> = projects::phase_history(conn, project.id)?
        .into_iter()
        .map(|t| json!({ "from": t.from_phase, "to": t.to_phase, "at": date(t.at), "note": t.note }))
        .collect();
    Ok(json!({
        "id": project.id,
        "title": project.title,
        "description": project.description,
        "theme_id": project.theme_id,
        "phase": project.phase,
        "phase_label": project.phase().label(),
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "participants_bounds": { "min": project.min_participants, "max": project.max_participants },
        "programme": project.programme_id.map(|id| json!({ "id": id, "version": project.programme_version })),
        "url": format!("/projets/{}", project.id),
        "updated_at": date(project.updated_at),
        "participants": of_role("participant"),
        "observers": of_role("observer"),
        "timeline": timeline,
    }))
}

pub async fn projects_list(req: HttpRequest, state: Data, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let (items, next, modified) = state
            .db(move |conn| {
                let mut all = projects::list_projects(conn)?;
                all.sort_by_key(|p| p.id);
                let (page, next) = paging.page(all, |p| p.id);
                let modified = page.iter().map(|p| p.updated_at).max();
                let items = page.iter().map(|p| project_json(conn, p)).collect::<Result<Vec<_>, _>>()?;
                Ok((items, next, modified))
            })
            .await?;
        Ok(list_reply(&req, items, paging, next, modified))
    })
    .await
}

async fn project_of(state: &AppState, text: &str) -> Result<Project, ApiError> {
    let id = id_of(text)?;
    state
        .db(move |conn| Ok(projects::find_project(conn, id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Aucun projet n’a l’identifiant {id}.")))
}

pub async fn project(req: HttpRequest, state: Data, id: web::Path<String>) -> HttpResponse {
    answer(&req, &state, async {
        let project = project_of(&state, &id).await?;
        let modified = project.updated_at;
        let body = state.db(move |conn| Ok(project_json(conn, &project)?)).await?;
        Ok(Reply::item(body, Some(modified)))
    })
    .await
}

pub async fn project_events(req: HttpRequest, state: Data, id: web::Path<String>, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let project = project_of(&state, &id).await?;
        let (page, next) = state
            .db(move |conn| {
                let mut all = events::events_of_project(conn, project.id)?;
                all.sort_by_key(|(e, _)| e.id);
                Ok(paging.page(all, |(e, _)| e.id))
            })
            .await?;
        let modified = page.iter().map(|(e, _)| e.updated_at).max();
        // As the agenda shows them to a visitor: what, when, where (the territory), whether the date is confirmed.
        let items = page
            .iter()
            .map(|(e, territory)| {
                json!({
                    "id": e.id, "kind": e.kind().code(), "kind_label": e.kind().label(), "title": e.title,
                    "starts_at": date(e.starts_at), "ends_at": date(e.ends_at), "confirmed": e.confirmed,
                    "territory": territory,
                })
            })
            .collect();
        Ok(list_reply(&req, items, paging, next, modified))
    })
    .await
}

pub async fn project_news(req: HttpRequest, state: Data, id: web::Path<String>, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let project = project_of(&state, &id).await?;
        let (page, next) = state
            .db(move |conn| {
                // Public posts only, as the project's page shows them to a visitor.
                let mut all = posts::posts_of_project(conn, project.id, false, i64::MAX)?;
                all.sort_by_key(|(p, _)| p.id);
                Ok(paging.page(all, |(p, _)| p.id))
            })
            .await?;
        let modified = page.iter().map(|(p, _)| p.created_at).max();
        let items = page
            .iter()
            .map(|(p, _)| json!({ "id": p.id, "title": p.title, "body": p.body, "published_at": date(p.created_at) }))
            .collect();
        Ok(list_reply(&req, items, paging, next, modified))
    })
    .await
}

// --- Inspiration, experience reports, the directory ---------------------------------------------------------

pub async fn inspiration_list(req: HttpRequest, state: Data, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let (page, next, themes) = state
            .db(move |conn| {
                let mut all = inspiration::list_resources(conn, None, i64::MAX)?;
                all.sort_by_key(|r| r.id);
                let (page, next) = paging.page(all, |r| r.id);
                let ids: Vec<i64> = page.iter().map(|r| r.id).collect();
                Ok((page, next, inspiration::themes_of_resources(conn, &ids)?))
            })
            .await?;
        let modified = page.iter().map(|r| r.updated_at).max();
        let items = page
            .iter()
            .map(|r| {
                let theme_ids: Vec<i64> = themes.iter().filter(|(rid, ..)| *rid == r.id).map(|(_, t, _)| *t).collect();
                json!({
                    "id": r.id, "title": r.title, "summary": r.summary, "body": r.body, "links": links(&r.links()),
                    "theme_ids": theme_ids, "url": format!("/inspiration/{}", r.id), "updated_at": date(r.updated_at),
                })
            })
            .collect();
        Ok(list_reply(&req, items, paging, next, modified))
    })
    .await
}

fn report_json(report: &reports::Report, place: &Territory, now: NaiveDateTime) -> Value {
    json!({
        "id": report.id,
        "title": report.title,
        "territory": territory(place),
        "theme_id": report.theme_id,
        "project_id": report.project_id,
        "method": report.method,
        "duration": report.duration,
        "cost": report.cost,
        "done": report.done,
        "results": report.results,
        "difficulties": report.difficulties,
        "contact": report.contact,
        "links": links(&report.links()),
        "checked_at": date(report.checked_at),
        "maybe_outdated": Freshness::of(report.checked_at, now) == Freshness::Stale,
        "url": format!("/retours-d-experience/{}", report.id),
        "updated_at": date(report.updated_at),
    })
}

pub async fn reports_list(req: HttpRequest, state: Data, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let page = state.db(move |conn| Ok(reports::published_after(conn, paging.after, paging.fetch())?)).await?;
        let (page, next) = paging.page(page, |(r, _)| r.id);
        let now = Utc::now().naive_utc();
        let modified = page.iter().map(|(r, _)| r.updated_at.max(r.checked_at)).max();
        let items = page.iter().map(|(r, t)| report_json(r, t, now)).collect();
        Ok(list_reply(&req, items, paging, next, modified))
    })
    .await
}

pub async fn report(req: HttpRequest, state: Data, id: web::Path<String>) -> HttpResponse {
    answer(&req, &state, async {
        let id = id_of(&id)?;
        let found = state.db(move |conn| Ok(reports::find_report(conn, id)?)).await?;
        let (report, place) = found
            .filter(|(r, _)| r.status == EntryStatus::Published.code())
            .ok_or_else(|| ApiError::not_found(format!("Aucun retour d’expérience publié n’a l’identifiant {id}.")))?;
        let modified = report.updated_at.max(report.checked_at);
        Ok(Reply::item(report_json(&report, &place, Utc::now().naive_utc()), Some(modified)))
    })
    .await
}

fn entry_json(entry: &directory::Entry, project_ids: &[i64], now: NaiveDateTime) -> Value {
    json!({
        "id": entry.id,
        "name": entry.name,
        "kind": entry.kind,
        "siret": entry.siret,
        "skills": entry.skills(),
        "served": entry.served(),
        "nationwide": entry.nationwide,
        "description": entry.description,
        "contact": entry.contact,
        "links": links(&entry.links()),
        "project_ids": project_ids,
        "checked_at": date(entry.checked_at),
        "maybe_outdated": Freshness::of(entry.checked_at, now) == Freshness::Stale,
        "url": format!("/annuaire/{}", entry.id),
        "updated_at": date(entry.updated_at),
    })
}

pub async fn directory_list(req: HttpRequest, state: Data, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let page = state.db(move |conn| Ok(directory::published_after(conn, paging.after, paging.fetch())?)).await?;
        let (page, next) = paging.page(page, |(e, _)| e.id);
        let now = Utc::now().naive_utc();
        let modified = page.iter().map(|(e, _)| e.updated_at.max(e.checked_at)).max();
        let items = page.iter().map(|(e, p)| entry_json(e, p, now)).collect();
        Ok(list_reply(&req, items, paging, next, modified))
    })
    .await
}

pub async fn directory_entry(req: HttpRequest, state: Data, id: web::Path<String>) -> HttpResponse {
    answer(&req, &state, async {
        let id = id_of(&id)?;
        let found = state
            .db(move |conn| match directory::find_entry(conn, id)? {
                Some(entry) if entry.status() == EntryStatus::Published => {
                    let projects =
                        directory::projects_of_entry(conn, id)?.into_iter().map(|(p, _)| p).collect::<Vec<_>>();
                    Ok(Some((entry, projects)))
                }
                _ => Ok(None),
            })
            .await?;
        let (entry, projects) =
            found.ok_or_else(|| ApiError::not_found(format!("Aucun acteur publié n’a l’identifiant {id}.")))?;
        let modified = entry.updated_at.max(entry.checked_at);
        Ok(Reply::item(entry_json(&entry, &projects, Utc::now().naive_utc()), Some(modified)))
    })
    .await
}

// --- Adopted plans and published restitutions ----------------------------------------------------------------

fn plan_json(place: Place, code: &str, plan: &AdoptedPlan) -> Value {
    let adoption = plan.version.adoption.as_ref().map(|a| {
        json!({
            "adopted_on": a.adopted_on, "act_kind": a.act_kind, "act_number": a.act_number,
            "votes_for": a.votes_for, "votes_against": a.votes_against, "abstentions": a.abstentions,
            "act_url": a.act_url,
        })
    });
    let axes: Vec<Value> = plan
        .content
        .axes
        .iter()
        .map(|axis| {
            let actions: Vec<Value> = axis
                .actions
                .iter()
                .map(|action| {
                    let live = plan.live.get(&action.id);
                    let indicators: Vec<Value> = action
                        .indicators
                        .iter()
                        .map(|indicator| {
                            // Values and dates only: who entered a measurement and their comment stay inside.
                            let measurements: Vec<Value> = plan
                                .measurements(action.id, &indicator.name)
                                .iter()
                                .map(|m| json!({ "on": m.measured_on, "value": m.value, "estimated": m.estimated }))
                                .collect();
                            json!({
                                "name": indicator.name, "unit": indicator.unit, "direction": indicator.direction,
                                "baseline": indicator.baseline.map(|(on, value)| json!({ "on": on, "value": value })),
                                "targets": indicator.targets.iter().map(|(on, value)| json!({ "on": on, "value": value })).collect::<Vec<_>>(),
                                "measurements": measurements,
                            })
                        })
                        .collect();
                    json!({
                        "title": action.title, "description": action.description, "lead": action.lead,
                        "partners": action.partners, "starts_on": action.starts_on, "ends_on": action.ends_on,
                        "budget_cents": action.budget_cents,
                        "status": live.map(|l| l.row.status().code()),
                        "progress_percent": live.and_then(|l| l.progress().percent()),
                        "indicators": indicators,
                    })
                })
                .collect();
            json!({ "title": axis.title, "description": axis.description, "actions": actions })
        })
        .collect();
    json!({
        "id": plan.version.row.plan_id,
        "project_id": place.project_id,
        "territory": { "code": code, "name": plan.name },
        "version": plan.version.row.number,
        "adoption": adoption,
        "axes": axes,
        "url": format!("/projets/{}/plans/{}", place.project_id, place.collectivity_id),
    })
}

pub async fn plans_list(req: HttpRequest, state: Data, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let (items, next, modified) = state
            .db(move |conn| {
                let (page, next) = paging.page(plans::places_with_adopted_plan(conn)?, |(id, _)| *id);
                let mut items = Vec::new();
                let mut modified = Vec::new();
                for (_, place) in page {
                    let (Some(plan), Some(place_territory)) =
                        (plans::adopted_plan(conn, place)?, territory_of_collectivity(conn, place.collectivity_id)?)
                    else {
                        continue;
                    };
                    modified.push(plan.version.row.submitted_at);
                    modified.extend(plan.version.adoption.as_ref().map(|a| a.recorded_at));
                    items.push(plan_json(place, &place_territory.code, &plan));
                }
                Ok((items, next, modified.into_iter().max()))
            })
            .await?;
        Ok(list_reply(&req, items, paging, next, modified))
    })
    .await
}

pub async fn restitutions_list(req: HttpRequest, state: Data, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let (items, next, modified) = state
            .db(move |conn| {
                let (page, next) = paging.page(restitutions::published(conn)?, |r| r.id);
                let mut items = Vec::new();
                for r in &page {
                    let place = territory_of_collectivity(conn, r.collectivity_id)?;
                    // The quotes as the group chose and shortened them; an answer's original never leaves.
                    let quotes: Vec<String> =
                        restitutions::quotes_of(conn, r.id)?.into_iter().map(|q| q.text).collect();
                    items.push(json!({
                        "id": r.id,
                        "project_id": r.project_id,
                        "territory": place.as_ref().map(territory),
                        "published_at": r.published_at.map(date),
                        "heard": r.heard, "key_figures": r.figures, "decided": r.decided,
                        "next_steps": r.next_steps, "how_to_stay_involved": r.involved,
                        "quotes": quotes,
                        "url": format!("/projets/{}/restitutions/{}", r.project_id, r.collectivity_id),
                    }));
                }
                Ok((items, next, page.iter().map(|r| r.updated_at).max()))
            })
            .await?;
        Ok(list_reply(&req, items, paging, next, modified))
    })
    .await
}

// --- Public diagnostic maps ----------------------------------------------------------------------------------

/// A public map as its list tells it — how many sheets, when the newest changed — and where its GeoJSON is.
fn public_map_json(
    public: &diagnostic::PublicMap,
    t: &Territory,
    sheets: usize,
    updated: Option<NaiveDateTime>,
) -> Value {
    json!({
        "id": public.id,
        "project_id": public.project_id,
        "territory": territory(t),
        "published_at": date(public.published_at),
        "sheets": sheets,
        "updated_at": updated.map(date),
        "url": public_map_path(public.project_id, public.collectivity_id),
        "geojson": format!("{BASE}/maps/{}", public.id),
    })
}

/// When a public map last changed: its publication or its newest sheet.
fn map_modified(public: &diagnostic::PublicMap, updated: Option<NaiveDateTime>) -> NaiveDateTime {
    updated.map_or(public.published_at, |at| at.max(public.published_at))
}

pub async fn maps_list(req: HttpRequest, state: Data, query: Query) -> HttpResponse {
    answer(&req, &state, async {
        let paging = Paging::of(&query)?;
        let (items, next, modified) = state
            .db(move |conn| {
                let (page, next) = paging.page(diagnostic::public_maps(conn, PublicMaps::All)?, |(p, _)| p.id);
                let mut items = Vec::new();
                let mut modified = None;
                for (public, t) in &page {
                    let (sheets, updated) = diagnostic::published_summary(conn, public.place())?;
                    modified = modified.max(Some(map_modified(public, updated)));
                    items.push(public_map_json(public, t, sheets as usize, updated));
                }
                Ok((items, next, modified))
            })
            .await?;
        Ok(list_reply(&req, items, paging, next, modified))
    })
    .await
}

pub async fn map(req: HttpRequest, state: Data, id: web::Path<String>) -> HttpResponse {
    answer(&req, &state, async {
        let id = id_of(&id)?;
        let found = state
            .db(move |conn| {
                let Some((public, t)) = diagnostic::public_map(conn, PublicMaps::Id(id))? else { return Ok(None) };
                let sheets = Export::of_public_map(conn, public.place(), &t.name, &Filters::default())?;
                Ok(Some((public, t, sheets)))
            })
            .await?;
        let (public, t, sheets) =
            found.ok_or_else(|| ApiError::not_found(format!("Aucune carte publique n’a l’identifiant {id}.")))?;
        // A FeatureCollection whose foreign members (RFC 7946 § 6.1) say which map it is.
        let mut about = serde_json::Map::new();
        about.insert("name".into(), Value::String(format!("Carte {}", crate::domain::text::de(&t.name))));
        let updated = sheets.last_modified();
        if let Value::Object(members) = public_map_json(&public, &t, sheets.len(), updated) {
            about.extend(members);
        }
        let body = sheets.geojson_text(&about)?;
        Ok(Reply::geojson(body, Some(map_modified(&public, updated))))
    })
    .await
}
