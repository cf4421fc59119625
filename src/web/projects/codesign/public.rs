//! Inhabitants' ideas through a territory's public link (`/i/{token}`), when its facilitator turns it on: no
//! account, no name asked, the same abuse limits as the questionnaires (a form token instead of a session, a
//! honeypot, a generous limit per address), and every idea waits for the facilitator's moderation before anyone
//! else sees it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use super::Territory;
use crate::domain::codesign::{NewIdea, Origin};
use crate::domain::inquiry::MemberCategory;
use crate::domain::text::de;
use crate::security::random_token;
use crate::storage;
use crate::storage::codesign::{self, Author};
use crate::storage::collectivities::territory_of_collectivity;
use crate::storage::diagnostic::Place;
use crate::storage::projects::{self, Project};
use crate::web::auth::client_address;
use crate::web::context::PageCtx;
use crate::web::middleware::decode_form;
use crate::web::survey::{token_field, FormPurpose, FormToken, TokenCheck, HONEYPOT};
use crate::web::views::{html_response, optional_textarea, page_with_errors, see_other, select, Field, FormErrors};
use crate::web::{AppError, AppState};

pub fn public_path(token: &str) -> String {
    format!("/i/{token}")
}

/// The territory of a link that is on, with its project (closed projects take no more ideas).
async fn load(state: &AppState, token: String) -> Result<(Place, Project, String), AppError> {
    state
        .db(move |conn| {
            let place = codesign::place_of_idea_link(conn, &token)?.ok_or(AppError::NotFound)?;
            let project = projects::find_project(conn, place.project_id)?.ok_or(AppError::NotFound)?;
            if project.phase() == crate::domain::project::Phase::Closed {
                return Err(AppError::Gone("Le projet est clos : il ne reçoit plus d’idées.".into()));
            }
            let name = territory_of_collectivity(conn, place.collectivity_id)?.ok_or(AppError::NotFound)?.name;
            Ok((place, project, name))
        })
        .await
}

fn form_page(
    ctx: &PageCtx,
    (project, territory): (&Project, &str),
    action: &str,
    sent: &[(String, String)],
    form_token: &str,
    errors: &FormErrors,
) -> Markup {
    let value = |name: &str| sent.iter().find(|(k, _)| k == name).map_or(String::new(), |(_, v)| v.clone());
    let mut categories = vec![(String::new(), "Je préfère ne pas le dire".to_owned())];
    categories.extend(MemberCategory::ALL.iter().map(|c| (c.code().to_owned(), c.label().to_owned())));
    let title = format!("Une idée pour {}", territory);
    page_with_errors(
        ctx,
        &title,
        errors,
        html! {
            h1 { (title) }
            p { "Dans le projet « " (project.title) " », les habitants, les élus et les acteurs " (de(territory)) " imaginent ensemble ce qui pourrait changer. Votre idée compte." }
            p { "Elle sera lue par l’équipe qui anime le projet avant d’être partagée avec le groupe de travail. Ne donnez ni votre nom ni rien qui permette de vous reconnaître : l’idée est anonyme." }
            (errors.summary())
            form class="form narrow" method="post" action=(action) novalidate {
                (token_field(form_token))
                div class="honeypot" aria-hidden="true" {
                    label for=(HONEYPOT) { "Ne pas remplir ce champ" }
                    input type="text" id=(HONEYPOT) name=(HONEYPOT) tabindex="-1" autocomplete="off";
                }
                (Field::new("title", "Votre idée, en une phrase").value(&value("title")).hint("Par exemple : « Une permanence le samedi au marché ».").render(errors))
                (optional_textarea("body", "En quelques lignes", &value("body"), "Pour qui, où, comment.", errors))
                (select("category", "Vous êtes…", &categories, &value("category"), Some("Facultatif : pour savoir qui s’exprime."), errors))
                button class="button" type="submit" { "Envoyer mon idée" }
            }
        },
    )
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, token: web::Path<String>) -> Result<Markup, AppError> {
    let token = token.into_inner();
    let (place, project, name) = load(&state, token.clone()).await?;
    let form_token = FormToken::now(&state, FormPurpose::Ideas, place.collectivity_id);
    Ok(form_page(&ctx, (&project, &name), &public_path(&token), &[], &form_token, &FormErrors::default()))
}

pub async fn submit(
    ctx: PageCtx,
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let (place, project, name) = load(&state, token.clone()).await?;
    let sent = decode_form(&body)
        .ok_or_else(|| AppError::BadRequest("Le formulaire contient des caractères invalides.".into()))?;
    let value = |name: &str| sent.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let fresh = FormToken::now(&state, FormPurpose::Ideas, place.collectivity_id);
    let again = |errors: &FormErrors, status: StatusCode| {
        html_response(status, form_page(&ctx, (&project, &name), &public_path(&token), &sent, &fresh, errors))
    };
    let thanks = format!("{}/merci", public_path(&token));
    // A robot is thanked like anyone; nothing is kept.
    if !value(HONEYPOT).is_empty() {
        return Ok(see_other(&thanks));
    }
    let mut errors = FormErrors::default();
    match FormToken::check_now(&state, FormPurpose::Ideas, place.collectivity_id, value("csrf_token")) {
        TokenCheck::Valid => {}
        TokenCheck::Expired => errors.add("title", "Ce formulaire était ouvert depuis plus d’une journée : par sécurité, il a été renouvelé. Votre idée est gardée ci-dessous ; renvoyez-la."),
        TokenCheck::Invalid => errors.add("title", "Ce formulaire n’a pas pu être vérifié (il ne vient pas de cette page ou a été modifié). Votre idée est gardée ci-dessous ; renvoyez-la."),
    }
    let idea = match NewIdea::parse(value("title"), value("body")) {
        Ok(idea) => Some(idea),
        Err(field_errors) => {
            for (field, message) in field_errors {
                errors.add(field, message);
            }
            None
        }
    };
    let category = match value("category") {
        "" => String::new(),
        code => match MemberCategory::parse(code) {
            Ok(category) => category.code().to_owned(),
            Err(message) => {
                errors.add("category", message);
                String::new()
            }
        },
    };
    let Some(idea) = idea.filter(|_| errors.is_empty()) else {
        return Ok(again(&errors, StatusCode::UNPROCESSABLE_ENTITY));
    };
    // Counted once the idea is valid, as the questionnaires count: a person correcting it is not held back.
    if !state.survey_limiter.allow(&client_address(&req, &state), std::time::Instant::now()) {
        errors.add(
            "title",
            format!(
                "Beaucoup d’envois sont partis de votre connexion cette heure-ci (plus de {}) : votre idée est gardée ci-dessous, renvoyez-la un peu plus tard.",
                state.survey_limiter.per_hour()
            ),
        );
        return Ok(again(&errors, StatusCode::TOO_MANY_REQUESTS));
    }
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                let author = Author::Category(&category);
                Ok::<_, AppError>(codesign::insert_idea(conn, place, None, &idea, author, Origin::Public, None, &name)?)
            })
        })
        .await?;
    Ok(see_other(&thanks))
}

pub async fn thanks(ctx: PageCtx, state: web::Data<AppState>, token: web::Path<String>) -> Result<Markup, AppError> {
    let token = token.into_inner();
    let (_, project, name) = load(&state, token.clone()).await?;
    Ok(crate::web::views::page(
        &ctx,
        "Merci pour votre idée",
        html! {
            h1 { "Merci pour votre idée" }
            p { "Elle est arrivée. L’équipe du projet « " (project.title) " » la lira et la partagera avec le groupe de travail " (de(&name)) "." }
            p { a href=(public_path(&token)) { "Proposer une autre idée" } }
        },
    ))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LinkForm {
    action: String,
}

/// The facilitator turns the territory's public link on or off.
pub async fn set_link(
    ctx: PageCtx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, AppError> {
    let (project_id, collectivity_id) = path.into_inner();
    let territory = Territory::load(&state, &ctx, project_id, collectivity_id).await?;
    let by = territory.require_facilitator()?;
    let token = match form.action.as_str() {
        "ouvrir" => Some(random_token()),
        "fermer" => None,
        _ => return Err(AppError::BadRequest("Choisissez d’ouvrir ou de fermer le lien.".into())),
    };
    let place = territory.place;
    let on = token.is_some();
    state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(codesign::set_idea_link(conn, place, token.as_deref(), by)?)
            })
        })
        .await?;
    ctx.set_flash(if on {
        "Lien public ouvert : les idées des habitants arriveront dans « Idées d’habitants à valider »."
    } else {
        "Lien public fermé : il ne reçoit plus d’idées."
    });
    Ok(see_other(&format!("{}#habitants", territory.path())))
}
