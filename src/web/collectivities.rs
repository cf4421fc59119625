//! Finding collectivities among all territories, a territory's page, and inviting its members.

use super::projects::paths::{project_path, public_map_path, public_plan_path, public_restitution_path};
use super::projects::perimeter::{communes_of_territory, perimeter_section, Perimeter};
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::context::PageCtx;
use super::invitations::{send_invitation, InvitationTarget};
use super::views::{
    csrf_field, date_fr, number_fr, page, page_with_errors, radio_group, scroll_table, see_other, unprocessable, Field,
    FormErrors,
};
use super::{AppError, AppState};
use crate::domain::account::{EmailAddress, Function};
use crate::domain::territory::{EpciType, TerritoryKind};
use crate::domain::text::{de, fold};
use crate::storage::collectivities::{self, Collectivity, Membership};
use crate::storage::invitations::{pending_invitations_of_collectivity, Invitation};
use crate::storage::territories::{self, Territory, TerritorySearch};
use crate::storage::users::{self, User};
use crate::storage::{self, DbConnection};

const SEARCH_LIMIT: i64 = 50;
const PENDING_SHOWN: i64 = 20;

pub fn territory_path(t: &Territory) -> String {
    format!("/territoires/{}/{}", t.kind, t.code)
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// A form that names the collectivity someone acts for (withdrawing a position or an enrolment).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CollectivityForm {
    pub collectivity_id: String,
}

/// The collectivity a form names, as (id, territory name), if it is among those the person acts for as referent;
/// a refusal otherwise: acting for a collectivity is decided by membership, never by what the page offered.
pub fn acting_for(referent_of: &[(Membership, Territory)], collectivity_id: &str) -> Result<(i64, String), AppError> {
    let id = collectivity_id.trim().parse::<i64>().map_err(|_| AppError::Forbidden)?;
    referent_of
        .iter()
        .find(|(m, _)| m.collectivity_id == id)
        .map(|(m, t)| (m.collectivity_id, t.name.clone()))
        .ok_or(AppError::Forbidden)
}

pub async fn search(
    ctx: PageCtx,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<Markup, AppError> {
    let text = query.q.as_deref().unwrap_or("").trim().chars().take(100).collect::<String>();
    let kind = query.kind.as_deref().and_then(TerritoryKind::parse);
    let words: Vec<String> = fold(&text).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).take(8).collect();
    let searching = !words.is_empty();
    let (results, registered, registered_list) = state
        .db(move |conn| {
            if words.is_empty() {
                let list: Vec<Territory> =
                    collectivities::list_registered(conn)?.into_iter().map(|(_, t, _)| t).collect();
                return Ok((Vec::new(), list.iter().map(|t| t.id).collect(), list));
            }
            let found = territories::search_territories(conn, &TerritorySearch { words, kind, limit: SEARCH_LIMIT })?;
            let ids: Vec<i64> = found.iter().map(|t| t.id).collect();
            let registered = collectivities::registered_territory_ids(conn, &ids)?;
            Ok((found, registered, Vec::new()))
        })
        .await?;
    Ok(page(
        &ctx,
        if searching { "Résultats de recherche" } else { "Collectivités" },
        html! {
            h1 { "Collectivités" }
            form class="search" method="get" action="/collectivites" role="search" {
                div class="field" {
                    label for="q" { "Nom, code INSEE, SIREN ou code postal" }
                    p class="hint" id="q-aide" { "Par exemple : Châtellerault, 86066, 248600413 ou 86100. Le début des mots suffit (« chatel »), sans accents ni majuscules." }
                    input id="q" name="q" type="search" value=(text) aria-describedby="q-aide";
                }
                div class="field" {
                    label for="type" { "Type de collectivité" }
                    select id="type" name="type" {
                        option value="" { "Tous les types" }
                        @for k in TerritoryKind::ALL {
                            option value=(k.code()) selected[kind == Some(k)] { (k.label()) }
                        }
                    }
                }
                button class="button" type="submit" { "Rechercher" }
            }
            @if searching {
                h2 { "Résultats pour « " (text) " »" }
                @if results.is_empty() {
                    p role="status" { "Aucune collectivité ne correspond. Vérifiez l’orthographe ou cherchez par code postal." }
                } @else {
                    p role="status" {
                        (results.len()) " résultat" @if results.len() > 1 { "s" }
                        @if results.len() as i64 == SEARCH_LIMIT { " (les " (SEARCH_LIMIT) " premiers : précisez la recherche)" }
                    }
                    (territory_table(&results, &registered))
                }
            } @else {
                h2 { "Collectivités engagées sur la plateforme" }
                @if registered_list.is_empty() {
                    p { "Aucune pour l’instant." }
                } @else {
                    (territory_table(&registered_list, &registered))
                }
            }
        },
    ))
}

fn territory_table(rows: &[Territory], registered: &[i64]) -> Markup {
    html! {
        (scroll_table("Collectivités trouvées", html! {
            table {
                caption class="visually-hidden" { "Collectivités trouvées" }
                thead { tr { th scope="col" { "Nom" } th scope="col" { "Type" } th scope="col" { "Code" } th scope="col" { "Département" } th scope="col" { "Population" } th scope="col" { "Sur la plateforme" } } }
                tbody {
                    @for t in rows {
                        tr {
                            th scope="row" { a href=(territory_path(t)) { (t.name) } }
                            td { (kind_label(t)) }
                            td { (t.code) }
                            td { (t.departement_code.as_deref().unwrap_or("—")) }
                            td class="num" { (t.population.map(number_fr).unwrap_or_else(|| "—".into())) }
                            td { @if registered.contains(&t.id) { "Oui" } @else { "Non" } }
                        }
                    }
                }
            }
        }))
    }
}

fn kind_label(t: &Territory) -> &'static str {
    match &t.epci_type {
        Some(epci_type) => EpciType::label(epci_type),
        None => t.kind().label(),
    }
}

/// Everything the territory page shows, loaded in one go.
struct TerritoryView {
    territory: Territory,
    departement: Option<Territory>,
    region: Option<Territory>,
    epci: Option<Territory>,
    /// For a commune of the Métropole du Grand Paris, its établissement public territorial.
    ept: Option<Territory>,
    member_communes: Vec<Territory>,
    /// Its outline and its members', when imported.
    perimeter: Option<Perimeter>,
    collectivity: Option<Collectivity>,
    members: Vec<(Membership, User)>,
    /// The most recent pending invitations, and how many there are in all.
    pending: Vec<Invitation>,
    pending_total: i64,
    /// What the visitor may do here.
    can_see_members: bool,
    can_invite: bool,
    /// The shared projects it takes part in or observes, with what it made public there.
    projects: Vec<Participation>,
}

/// A shared project a collectivity takes part in or observes, and its public work there: its diagnostic's map, its
/// adopted plan, its restitution to inhabitants, once each is public.
struct Participation {
    project: crate::storage::projects::Project,
    collectivity_id: i64,
    participant: bool,
    public_map: bool,
    adopted_plan: bool,
    restitution: bool,
}

fn participations(conn: &mut DbConnection, collectivity_id: i64) -> Result<Vec<Participation>, AppError> {
    use crate::domain::project::Standing;
    use crate::storage::diagnostic::{self, Place};
    let enrolments = crate::storage::projects::enrolments_of_collectivity(conn, collectivity_id)?;
    let maps = diagnostic::public_maps(conn, diagnostic::PublicMaps::OfCollectivity(collectivity_id))?;
    let mut projects = Vec::new();
    for (enrolment, project) in enrolments {
        let participant = enrolment.standing() == Standing::Participant;
        if !participant && enrolment.standing() != Standing::Observer {
            continue;
        }
        let place = Place { project_id: project.id, collectivity_id };
        // Only a participant has a map, a plan or a restitution of its own.
        let (public_map, adopted_plan, restitution) = if participant {
            (
                maps.iter().any(|(public, _)| public.project_id == project.id),
                crate::storage::plans::has_adopted_version(conn, place)?,
                crate::storage::restitutions::find_restitution(conn, place)?.is_some_and(|r| r.published_at.is_some()),
            )
        } else {
            (false, false, false)
        };
        projects.push(Participation { public_map, adopted_plan, restitution, participant, project, collectivity_id });
    }
    Ok(projects)
}

fn parse_kind(kind: &str) -> Result<TerritoryKind, AppError> {
    TerritoryKind::parse(kind).ok_or(AppError::NotFound)
}

fn load_view(
    conn: &mut DbConnection,
    kind: TerritoryKind,
    code: &str,
    viewer: Option<&User>,
) -> Result<TerritoryView, AppError> {
    let territory = territories::find_territory(conn, kind, code)?.ok_or(AppError::NotFound)?;
    let find = |conn: &mut DbConnection, kind, code: &Option<String>| -> Result<Option<Territory>, AppError> {
        match code {
            Some(code) => Ok(territories::find_territory(conn, kind, code)?),
            None => Ok(None),
        }
    };
    let departement = find(conn, TerritoryKind::Departement, &territory.departement_code)?;
    let region = find(conn, TerritoryKind::Region, &territory.region_code)?;
    let epci = find(conn, TerritoryKind::Epci, &territory.epci_code)?;
    let ept = find(conn, TerritoryKind::Ept, &territory.ept_code)?;
    let member_communes = match kind {
        TerritoryKind::Epci | TerritoryKind::Ept => communes_of_territory(conn, &territory)?,
        _ => Vec::new(),
    };
    let perimeter = Perimeter::load(conn, &territory)?;
    let collectivity = collectivities::find_collectivity_of_territory(conn, territory.id)?;
    let membership = match (&collectivity, viewer) {
        (Some(c), Some(u)) => collectivities::find_membership(conn, u.id, c.id)?,
        _ => None,
    };
    let is_admin = viewer.is_some_and(|u| u.is_agency_admin);
    let can_see_members = is_admin || membership.is_some();
    let can_invite = is_admin || membership.as_ref().is_some_and(|m| m.is_referent);
    let (members, (pending, pending_total)) = match &collectivity {
        Some(c) if can_see_members => (
            collectivities::members_of_collectivity(conn, c.id)?,
            if can_invite {
                pending_invitations_of_collectivity(conn, c.id, storage::now(), PENDING_SHOWN)?
            } else {
                (Vec::new(), 0)
            },
        ),
        _ => (Vec::new(), (Vec::new(), 0)),
    };
    let projects = match &collectivity {
        Some(c) => participations(conn, c.id)?,
        None => Vec::new(),
    };
    Ok(TerritoryView {
        projects,
        territory,
        departement,
        region,
        epci,
        member_communes,
        ept,
        perimeter,
        collectivity,
        members,
        pending,
        pending_total,
        can_see_members,
        can_invite,
    })
}

/// Every field may be absent: browsers send no radio button when none is chosen.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    email: String,
    function: String,
    referent: Option<String>,
}

fn territory_page(ctx: &PageCtx, view: &TerritoryView, form: &InviteForm, errors: &FormErrors) -> Markup {
    let t = &view.territory;
    page_with_errors(
        ctx,
        &t.name,
        errors,
        html! {
            p class="breadcrumb" { a href="/collectivites" { "Collectivités" } " › " (t.kind().label()) }
            h1 { (t.name) }
            dl class="facts" {
                dt { "Type" } dd { (kind_label(t)) }
                dt { @match t.kind() { TerritoryKind::Commune => { "Code INSEE" } TerritoryKind::Epci | TerritoryKind::Ept => { "SIREN" } _ => { "Code" } } } dd { (t.code) }
                @if let (TerritoryKind::Commune, Some(siren)) = (t.kind(), &t.siren) { dt { "SIREN" } dd { (siren) } }
                @if !t.postcodes.trim().is_empty() { dt { "Codes postaux" } dd { (t.postcode_list().collect::<Vec<_>>().join(", ")) } }
                @if let Some(population) = t.population { dt { "Population" } dd { (number_fr(population)) " habitants" } }
                @if let Some(d) = &view.departement { dt { "Département" } dd { a href=(territory_path(d)) { (d.name) " (" (d.code) ")" } } }
                @if let Some(r) = &view.region { dt { "Région" } dd { a href=(territory_path(r)) { (r.name) } } }
                @if let Some(e) = &view.epci { dt { "Intercommunalité" } dd { a href=(territory_path(e)) { (e.name) } } }
                @if let Some(e) = &view.ept { dt { "Établissement public territorial" } dd { a href=(territory_path(e)) { (e.name) } } }
                dt { "Sur la plateforme" }
                dd {
                    @match &view.collectivity {
                        Some(c) => { "Oui, depuis le " (date_fr(c.created_at)) }
                        None => { "Pas encore" }
                    }
                }
            }
            @if !view.projects.is_empty() {
                section aria-labelledby="projets" {
                    h2 id="projets" { "Dans les projets partagés" }
                    ul {
                        @for p in &view.projects {
                            li {
                                a href=(project_path(p.project.id)) { (p.project.title) }
                                " — " @if p.participant { "participante" } @else { "observatrice" }
                                @if p.public_map || p.adopted_plan || p.restitution {
                                    " : "
                                    @if p.public_map { a href=(public_map_path(p.project.id, p.collectivity_id)) { "la carte du diagnostic" } }
                                    @if p.public_map && (p.adopted_plan || p.restitution) { " · " }
                                    @if p.adopted_plan { a href=(public_plan_path(p.project.id, p.collectivity_id)) { "la feuille de route" } }
                                    @if p.adopted_plan && p.restitution { " · " }
                                    @if p.restitution { a href=(public_restitution_path(p.project.id, p.collectivity_id)) { "la restitution aux habitants" } }
                                }
                            }
                        }
                    }
                }
            }
            @if view.can_see_members {
                section aria-labelledby="membres" {
                    h2 id="membres" { "Membres" }
                    @if view.members.is_empty() {
                        p { "Personne n’a encore rejoint cette collectivité sur la plateforme." }
                    } @else {
                        ul {
                            @for (membership, user) in &view.members {
                                li { (user.display_name) " — " (membership.function().label()) @if membership.is_referent { ", référent·e" } }
                            }
                        }
                    }
                }
            }
            @if view.can_invite {
                section aria-labelledby="inviter" {
                    h2 id="inviter" { "Inviter une personne" }
                    p { "La personne reçoit un courriel avec un lien, valable 14 jours, pour créer son compte ou rattacher le sien." }
                    (errors.summary())
                    form class="form narrow" method="post" action={ (territory_path(t)) "/invitations" } novalidate {
                        (csrf_field(ctx))
                        (Field::new("email", "Adresse électronique").kind("email").value(&form.email).autocomplete("off").render(errors))
                        (radio_group("function", "Fonction", &Function::ALL.map(|f| (f.code(), f.label())), &form.function, errors))
                        div class="choice" {
                            input type="checkbox" name="referent" id="referent" value="oui" checked[form.referent.is_some()];
                            label for="referent" { "Référent·e : agit au nom de la collectivité et peut inviter d’autres personnes" }
                        }
                        button class="button" type="submit" { "Envoyer l’invitation" }
                    }
                    @if !view.pending.is_empty() {
                        h3 { "Invitations en attente (" (view.pending_total) ")" }
                        ul {
                            @for invitation in &view.pending {
                                li { (invitation.email) " — envoyée le " (date_fr(invitation.created_at)) ", valable jusqu’au " (date_fr(invitation.expires_at)) }
                            }
                        }
                        @if view.pending_total > view.pending.len() as i64 {
                            p { "Les " (view.pending.len()) " plus récentes sont affichées." }
                        }
                    }
                }
            }
            @if let Some(perimeter) = &view.perimeter { (perimeter_section(perimeter)) }
            @if !view.member_communes.is_empty() {
                section aria-labelledby="communes" {
                    h2 id="communes" {
                        (view.member_communes.len())
                        @if view.member_communes.len() > 1 { " communes membres" } @else { " commune membre" }
                    }
                    ul class="columns" {
                        @for c in &view.member_communes {
                            li { a href=(territory_path(c)) { (c.name) } }
                        }
                    }
                }
            }
        },
    )
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<Markup, AppError> {
    let (kind, code) = path.into_inner();
    let kind = parse_kind(&kind)?;
    let viewer = ctx.user.clone();
    let view = state.db(move |conn| load_view(conn, kind, &code, viewer.as_ref())).await?;
    Ok(territory_page(&ctx, &view, &InviteForm::default(), &FormErrors::default()))
}

pub async fn invite(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let inviter = ctx.require_user()?.clone();
    let (kind, code) = path.into_inner();
    let kind = parse_kind(&kind)?;
    let viewer = Some(inviter.clone());
    let view = state.db(move |conn| load_view(conn, kind, &code, viewer.as_ref())).await?;
    if !view.can_invite {
        return Err(AppError::Forbidden);
    }
    let form = form.into_inner();
    let mut errors = FormErrors::default();
    let email = errors.check("email", EmailAddress::parse(&form.email));
    let function = errors.check("function", Function::parse(&form.function));
    if let (Some(email), Some(c)) = (&email, &view.collectivity) {
        let (email_text, collectivity_id) = (email.as_str().to_owned(), c.id);
        let already = state
            .db(move |conn| {
                Ok(match users::find_user_by_email(conn, &email_text)? {
                    Some(user) => collectivities::find_membership(conn, user.id, collectivity_id)?.is_some(),
                    None => false,
                })
            })
            .await?;
        if already {
            errors.add("email", format!("{} est déjà membre {}.", email, de(&view.territory.name)));
        }
    }
    let (Some(email), Some(function), true) = (email, function, errors.is_empty()) else {
        let body = territory_page(&ctx, &view, &form, &errors);
        return Ok(unprocessable(body));
    };
    // An agency admin's first invitation registers the collectivity on the platform.
    let territory_id = view.territory.id;
    let collectivity = state.db(move |conn| Ok(collectivities::register_collectivity(conn, territory_id)?)).await?;
    let target = InvitationTarget::Collectivity {
        id: collectivity.id,
        name: view.territory.name.clone(),
        function,
        referent: form.referent.is_some(),
    };
    send_invitation(&state, &inviter, &email, target).await?;
    ctx.set_flash(&format!("Invitation envoyée à {email}."));
    Ok(see_other(&territory_path(&view.territory)))
}
