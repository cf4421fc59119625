//! The resource base: experience reports (reports.rs) and the directory of actors (directory.rs, its CSV import in
//! import.rs). Both follow one
//! life: the agency and the providers' people publish, a collectivity's people propose and the agency publishes or
//! refuses with a reason the collectivity reads (a proposal is shown to nobody else before); the owner (or the
//! agency) corrects or confirms an entry, « vérifié le » moves, and one not checked for two years says so.

pub mod directory;
pub mod import;
pub mod reports;

use actix_web::HttpResponse;
use chrono::NaiveDateTime;
use maud::{html, Markup};
use serde::Deserialize;

use super::context::PageCtx;
use super::views::{csrf_field, date_fr, see_other, Field, FormErrors};
use super::{AppError, AppState};
use crate::domain::resources::{parse_refusal, EntryStatus, Freshness};
use crate::storage::{self, providers, DbConnection, QueryResult};

/// An entry of the resource base, as the pages ask it who answers for it.
pub trait Owned {
    fn owner_id(&self) -> Option<i64>;
    fn collectivity_id(&self) -> Option<i64>;
    fn checked_at(&self) -> NaiveDateTime;
}

impl Owned for storage::reports::Report {
    fn owner_id(&self) -> Option<i64> {
        self.owner_id
    }
    fn collectivity_id(&self) -> Option<i64> {
        self.collectivity_id
    }
    fn checked_at(&self) -> NaiveDateTime {
        self.checked_at
    }
}

impl Owned for storage::directory::Entry {
    fn owner_id(&self) -> Option<i64> {
        self.owner_id
    }
    fn collectivity_id(&self) -> Option<i64> {
        self.collectivity_id
    }
    fn checked_at(&self) -> NaiveDateTime {
        self.checked_at
    }
}

/// What a person may do with the resource base: publish (the agency, the providers' people), propose for their
/// collectivities, or only read (None).
pub struct Author {
    pub publishes: bool,
    /// (collectivity id, territory name) the person proposes for.
    pub collectivities: Vec<(i64, String)>,
}

impl Author {
    /// The collectivity a proposal is made for: the one chosen among the person's, else their first; None when the
    /// person publishes.
    pub fn proposing_for(&self, chosen: &str) -> Option<i64> {
        if self.publishes {
            return None;
        }
        let chosen = chosen.trim().parse::<i64>().ok();
        chosen
            .filter(|c| self.collectivities.iter().any(|(id, _)| id == c))
            .or_else(|| self.collectivities.first().map(|(id, _)| *id))
    }

    pub fn status(&self) -> EntryStatus {
        if self.publishes {
            EntryStatus::Published
        } else {
            EntryStatus::Proposed
        }
    }
}

pub async fn author_of(ctx: &PageCtx, state: &AppState) -> Result<Option<Author>, AppError> {
    let Some(user) = ctx.user.clone() else { return Ok(None) };
    let provider = state.db(move |conn| Ok(!providers::providers_of_user(conn, user.id)?.is_empty())).await?;
    let collectivities: Vec<(i64, String)> =
        ctx.memberships.iter().map(|(m, t)| (m.collectivity_id, t.name.clone())).collect();
    let publishes = ctx.is_admin() || provider;
    Ok((publishes || !collectivities.is_empty()).then_some(Author { publishes, collectivities }))
}

/// Whether the person may read an entry not published: the agency, its owner, the people of its collectivity.
pub fn may_read_unpublished(ctx: &PageCtx, entry: &impl Owned) -> bool {
    ctx.is_admin()
        || ctx.user.as_ref().is_some_and(|u| Some(u.id) == entry.owner_id())
        || entry.collectivity_id().is_some_and(|c| ctx.memberships.iter().any(|(m, _)| m.collectivity_id == c))
}

/// Whether the person answers for an entry: its owner, or the agency.
pub fn may_edit(ctx: &PageCtx, entry: &impl Owned) -> bool {
    ctx.is_admin() || ctx.user.as_ref().is_some_and(|u| Some(u.id) == entry.owner_id())
}

/// « Vérifié le … », or the warning of an entry not checked for long.
pub fn freshness_note(entry: &impl Owned) -> Markup {
    let checked = entry.checked_at();
    html! {
        @match Freshness::of(checked, storage::now()) {
            Freshness::Stale => { span class="badge badge-warning" { "Non vérifié depuis le " (date_fr(checked)) " : peut-être dépassé" } }
            _ => { span class="meta" { "Vérifié le " (date_fr(checked)) } }
        }
    }
}

/// The owner's button to confirm a published entry is still true.
pub fn confirm_form(ctx: &PageCtx, path: &str) -> Markup {
    html! {
        form class="inline" method="post" action={ (path) "/verification" } {
            (csrf_field(ctx))
            button class="button button-secondary" type="submit" { "Je confirme qu’il est à jour" }
        }
    }
}

/// The agency's decision on a proposal: publish, or refuse with a reason (sent back with its error).
pub fn moderation_section(ctx: &PageCtx, path: &str, (reason, errors): (&str, &FormErrors)) -> Markup {
    html! {
        section class="card" aria-labelledby="relecture" {
            h2 id="relecture" { "Relecture par l’agence" }
            form class="form" method="post" action={ (path) "/moderation" } {
                (csrf_field(ctx))
                input type="hidden" name="decision" value="publish";
                button class="button" type="submit" { "Publier" }
            }
            (errors.summary())
            form class="form" method="post" action={ (path) "/moderation" } novalidate {
                (csrf_field(ctx))
                input type="hidden" name="decision" value="refuse";
                (Field::new("reason", "Raison du refus").value(reason).hint("Lue par la collectivité qui l’a proposé.").render(errors))
                button class="button button-secondary" type="submit" { "Ne pas retenir" }
            }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModerationForm {
    pub decision: String,
    pub reason: String,
}

impl ModerationForm {
    /// The decision, or the reason's error to show beside it.
    pub fn decision(&self) -> Result<Result<(EntryStatus, Option<String>), FormErrors>, AppError> {
        match self.decision.as_str() {
            "publish" => Ok(Ok((EntryStatus::Published, None))),
            "refuse" => Ok(match parse_refusal(&self.reason) {
                Ok(reason) => Ok((EntryStatus::Refused, Some(reason))),
                Err(message) => Err(FormErrors::from(vec![("reason", message)])),
            }),
            _ => Err(AppError::BadRequest("Choisissez de publier ou de ne pas retenir la proposition.".into())),
        }
    }
}

/// Records the agency's decision (`decide`: storage's conditional update, false when decided already), says what
/// happened (`published`: the words for an entry published) and goes back to the entry.
pub async fn apply_decision(
    ctx: &PageCtx,
    state: &AppState,
    decision: EntryStatus,
    decide: impl FnOnce(&mut DbConnection) -> QueryResult<bool> + Send + 'static,
    (published, path): (&'static str, &str),
) -> Result<HttpResponse, AppError> {
    let decided = state.db(move |conn| storage::write_transaction(conn, |conn| Ok(decide(conn)?))).await?;
    ctx.set_flash(match (decided, decision) {
        (false, _) => "Cette proposition avait déjà été relue : rien n’a changé.",
        (true, EntryStatus::Published) => published,
        (true, _) => "Proposition non retenue : la collectivité lit la raison sur sa page.",
    });
    Ok(see_other(path))
}

/// Records that the owner (or the agency) checked an entry (`check`: storage's update) and goes back to it.
pub async fn apply_check(
    ctx: &PageCtx,
    state: &AppState,
    check: impl FnOnce(&mut DbConnection) -> QueryResult<bool> + Send + 'static,
    (done, path): (&'static str, &str),
) -> Result<HttpResponse, AppError> {
    state.db(move |conn| storage::write_transaction(conn, |conn| Ok(check(conn)?))).await?;
    ctx.set_flash(done);
    Ok(see_other(path))
}

/// Shown in the lists of the pages of the whole base.
pub fn resources_nav() -> Markup {
    html! {
        p { "Voir aussi : " a href="/retours-d-experience" { "les retours d’expérience" } " · " a href="/annuaire" { "l’annuaire des acteurs" } " · " a href="/inspiration" { "l’inspiration" } "." }
    }
}
