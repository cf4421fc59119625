//! Proposing a theme: a referent for one of their collectivities (the agency moderates it), or the agency in its
//! own name (open at once).

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::theme_path;
use crate::domain::theme::{NewTheme, ThemeStatus};
use crate::storage::collectivities::Membership;
use crate::storage::territories::Territory;
use crate::storage::{self, themes};
use crate::web::context::PageCtx;
use crate::web::views::{csrf_field, page_with_errors, see_other, textarea, unprocessable, Field, FormErrors};
use crate::web::{AppError, AppState};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProposalForm {
    title: String,
    problem: String,
    why_it_matters: String,
    /// The collectivity proposing, for a referent of several; absent for the agency.
    collectivity_id: Option<String>,
}

fn proposal_page(
    ctx: &PageCtx,
    proposers: &[(Membership, Territory)],
    form: &ProposalForm,
    errors: &FormErrors,
) -> Markup {
    let is_admin = ctx.is_admin();
    page_with_errors(
        ctx,
        "Proposer un thème",
        errors,
        html! {
            h1 { "Proposer un thème" }
            p {
                @if is_admin { "Proposé par l’agence, le thème est ouvert aux positionnements dès son enregistrement." }
                @else { "L’agence relit chaque proposition avant de l’ouvrir aux positionnements des collectivités." }
            }
            (errors.summary())
            form class="form" method="post" action="/themes" novalidate {
                (csrf_field(ctx))
                @if !is_admin && proposers.len() > 1 {
                    div class="field" {
                        label for="collectivity_id" { "Au nom de" }
                        select id="collectivity_id" name="collectivity_id" {
                            @for (membership, territory) in proposers {
                                option value=(membership.collectivity_id) selected[form.collectivity_id.as_deref() == Some(membership.collectivity_id.to_string().as_str())] { (territory.name) }
                            }
                        }
                    }
                } @else if let (false, Some((membership, territory))) = (is_admin, proposers.first()) {
                    input type="hidden" name="collectivity_id" value=(membership.collectivity_id);
                    p { "Au nom de " strong { (territory.name) } "." }
                }
                (Field::new("title", "Titre du thème").value(&form.title).hint("Court et parlant, par exemple « Mobilités du quotidien en zone rurale ».").render(errors))
                (textarea("problem", "Le problème posé", &form.problem, "Ce qui ne va pas aujourd’hui, pour qui, et comment vous le constatez.", errors))
                (textarea("why_it_matters", "Pourquoi c’est important pour vous", &form.why_it_matters, "Ce que votre collectivité y gagnerait à travailler avec d’autres.", errors))
                button class="button" type="submit" { "Proposer le thème" }
            }
        },
    )
}

pub async fn proposal_form(ctx: PageCtx) -> Result<Markup, AppError> {
    ctx.require_user()?;
    let proposers = ctx.referent_of();
    if proposers.is_empty() && !ctx.is_admin() {
        return Err(AppError::Forbidden);
    }
    Ok(proposal_page(&ctx, &proposers, &ProposalForm::default(), &FormErrors::default()))
}

pub async fn propose(
    ctx: PageCtx,
    state: web::Data<AppState>,
    form: web::Form<ProposalForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    let form = form.into_inner();
    let proposers = ctx.referent_of();
    // The agency proposes in its own name; a referent for one of their collectivities.
    let collectivity = if user.is_agency_admin {
        None
    } else {
        let chosen = form.collectivity_id.as_deref().and_then(|id| id.parse::<i64>().ok());
        let found = proposers.iter().find(|(m, _)| Some(m.collectivity_id) == chosen).or(proposers.first());
        match (found, chosen) {
            (Some((m, t)), Some(id)) if m.collectivity_id == id => Some((m.collectivity_id, t.name.clone())),
            (Some((m, t)), None) => Some((m.collectivity_id, t.name.clone())),
            _ => return Err(AppError::Forbidden),
        }
    };
    let theme = match NewTheme::parse(&form.title, &form.problem, &form.why_it_matters) {
        Ok(theme) => theme,
        Err(field_errors) => {
            let errors = FormErrors::from(field_errors);
            return Ok(unprocessable(proposal_page(&ctx, &proposers, &form, &errors)));
        }
    };
    let status = if user.is_agency_admin { ThemeStatus::Open } else { ThemeStatus::Proposed };
    let id = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let proposer = collectivity.as_ref().map(|(id, name)| (*id, name.as_str()));
                Ok::<_, AppError>(themes::propose_theme(conn, &theme, user.id, proposer, status)?)
            })
        })
        .await?;
    ctx.set_flash(if status == ThemeStatus::Open {
        "Thème enregistré et ouvert aux positionnements."
    } else {
        "Merci : votre proposition est enregistrée. L’agence la relira avant de l’ouvrir aux positionnements."
    });
    Ok(see_other(&theme_path(id)))
}
