//! Invitations: an agency admin, a collectivity's referent or a project's provider invites someone by e-mail; the
//! link creates the account (or attaches an existing one) and the membership or the seat in an inquiry group,
//! once.

use actix_web::{web, HttpResponse};
use chrono::TimeDelta;
use maud::{html, Markup};
use serde::Deserialize;

use super::context::PageCtx;
use super::views::{csrf_field, page_with_errors, see_other, unprocessable, Field, FormErrors};
use super::{AppError, AppState};
use crate::domain::account::{DisplayName, EmailAddress, Function, NewPassword, PASSWORD_MIN_CHARS};
use crate::domain::text::{de, que, que_before};
use crate::mail::messages;
use crate::security::{hash_password, random_token, token_digest};
use crate::storage::inquiry::{self, LinkOutcome};
use crate::storage::invitations::{self, Invitation, NewInvitation};
use crate::storage::users::{self, NewUser, User};
use crate::storage::{self, codesign, collectivities, delegations, providers, steering, territories, DbConnection};

pub const INVITATION_VALID_DAYS: i64 = 14;

pub enum InvitationTarget {
    Collectivity {
        id: i64,
        name: String,
        function: Function,
        referent: bool,
    },
    Provider {
        id: i64,
        name: String,
    },
    /// A seat in the inquiry group of a territory (`name`) of a project.
    InquiryMember {
        id: i64,
        name: String,
    },
    /// A seat in the working group of a territory (`name`) of a project.
    WorkingMember {
        id: i64,
        name: String,
    },
    /// A seat in the delegation of a territory (`name`) of a project.
    DelegationMember {
        id: i64,
        name: String,
    },
    /// A seat on the steering committee of a project (`name`, its title).
    SteeringMember {
        id: i64,
        name: String,
    },
}

impl InvitationTarget {
    /// Reads after "en tant que".
    fn role(&self) -> String {
        match self {
            InvitationTarget::Collectivity { name, function, referent, .. } => {
                let function = match function {
                    Function::Elu => "élu·e",
                    Function::Agent => "agent",
                };
                let referent = if *referent { " référent·e" } else { "" };
                format!("{function}{referent} {}", de(name))
            }
            InvitationTarget::Provider { name, .. } => format!("membre du prestataire {name}"),
            InvitationTarget::InquiryMember { name, .. } => format!("membre du groupe d’enquête mixte {}", de(name)),
            InvitationTarget::WorkingMember { name, .. } => format!("membre du groupe de travail {}", de(name)),
            InvitationTarget::DelegationMember { name, .. } => format!("membre de la délégation {}", de(name)),
            InvitationTarget::SteeringMember { name, .. } => {
                format!("membre du comité de pilotage du projet « {name} »")
            }
        }
    }
}

/// Records the invitation (only the token's digest is stored) and e-mails the link.
pub async fn send_invitation(
    state: &AppState,
    inviter: &User,
    email: &EmailAddress,
    target: InvitationTarget,
) -> Result<(), AppError> {
    let token = random_token();
    let digest = token_digest(&token);
    let (collectivity_id, provider_id, function, referent) = match &target {
        InvitationTarget::Collectivity { id, function, referent, .. } => {
            (Some(*id), None, Some(function.code()), *referent)
        }
        InvitationTarget::Provider { id, .. } => (None, Some(*id), None, false),
        InvitationTarget::InquiryMember { .. }
        | InvitationTarget::WorkingMember { .. }
        | InvitationTarget::DelegationMember { .. }
        | InvitationTarget::SteeringMember { .. } => (None, None, None, false),
    };
    let inquiry_member_id = match &target {
        InvitationTarget::InquiryMember { id, .. } => Some(*id),
        _ => None,
    };
    let working_member_id = match &target {
        InvitationTarget::WorkingMember { id, .. } => Some(*id),
        _ => None,
    };
    let delegation_member_id = match &target {
        InvitationTarget::DelegationMember { id, .. } => Some(*id),
        _ => None,
    };
    let steering_member_id = match &target {
        InvitationTarget::SteeringMember { id, .. } => Some(*id),
        _ => None,
    };
    let (email_text, inviter_id) = (email.as_str().to_owned(), inviter.id);
    state
        .db(move |conn| {
            let now = storage::now();
            invitations::insert_invitation(
                conn,
                &NewInvitation {
                    token_hash: &digest,
                    email: &email_text,
                    collectivity_id,
                    provider_id,
                    function,
                    is_referent: referent,
                    invited_by: inviter_id,
                    created_at: now,
                    expires_at: now + TimeDelta::days(INVITATION_VALID_DAYS),
                    inquiry_member_id,
                    working_member_id,
                    delegation_member_id,
                    steering_member_id,
                },
            )?;
            Ok(())
        })
        .await?;
    let link = state.link(&format!("/invitation/{token}"));
    let message =
        messages::invitation(email.as_str(), &inviter.display_name, &target.role(), &link, INVITATION_VALID_DAYS);
    state.mailer.send(message).await.map_err(AppError::Internal)
}

/// An invitation still usable, with what it is for and the account its address already has, if any.
struct OpenInvitation {
    invitation: Invitation,
    role: String,
    existing_account: Option<User>,
}

fn open_invitation(conn: &mut DbConnection, token: &str) -> Result<OpenInvitation, AppError> {
    let invitation =
        invitations::find_invitation_by_token_hash(conn, &token_digest(token))?.ok_or(AppError::NotFound)?;
    if invitation.accepted_at.is_some() {
        return Err(AppError::Gone(
            "Cette invitation a déjà été acceptée. Connectez-vous avec l’adresse à laquelle elle a été envoyée.".into(),
        ));
    }
    if invitation.expires_at <= storage::now() {
        return Err(AppError::Gone(
            "Cette invitation a expiré. Demandez à la personne qui vous a invité·e de vous en envoyer une nouvelle."
                .into(),
        ));
    }
    let seat_territory = |conn: &mut DbConnection, collectivity_id: i64| -> Result<String, AppError> {
        let collectivity = collectivities::find_collectivity(conn, collectivity_id)?.ok_or(AppError::NotFound)?;
        let territory =
            territories::find_territory_by_id(conn, collectivity.territory_id)?.ok_or(AppError::NotFound)?;
        Ok(territory.name)
    };
    let target = match (invitation.collectivity_id, invitation.provider_id, invitation.inquiry_member_id) {
        (None, None, None) => match (invitation.working_member_id, invitation.delegation_member_id) {
            (None, None) if invitation.steering_member_id.is_some() => {
                let id = invitation.steering_member_id.unwrap_or_default();
                let member = steering::find_member(conn, id)?.ok_or(AppError::NotFound)?;
                let project = storage::projects::find_project(conn, member.project_id)?.ok_or(AppError::NotFound)?;
                InvitationTarget::SteeringMember { id, name: project.title }
            }
            (Some(id), _) => {
                let member = codesign::find_working_member(conn, id)?.ok_or(AppError::NotFound)?;
                InvitationTarget::WorkingMember { id, name: seat_territory(conn, member.collectivity_id)? }
            }
            (None, Some(id)) => {
                let member = delegations::find_delegate(conn, id)?.ok_or(AppError::NotFound)?;
                InvitationTarget::DelegationMember { id, name: seat_territory(conn, member.collectivity_id)? }
            }
            (None, None) => return Err(AppError::NotFound),
        },
        (Some(id), _, _) => {
            let collectivity = collectivities::find_collectivity(conn, id)?.ok_or(AppError::NotFound)?;
            let territory =
                territories::find_territory_by_id(conn, collectivity.territory_id)?.ok_or(AppError::NotFound)?;
            InvitationTarget::Collectivity {
                id,
                name: territory.name,
                function: Function::parse(invitation.function.as_deref().unwrap_or("")).unwrap_or(Function::Agent),
                referent: invitation.is_referent,
            }
        }
        (None, Some(id), _) => {
            let provider = providers::find_provider(conn, id)?.ok_or(AppError::NotFound)?;
            InvitationTarget::Provider { id, name: provider.name }
        }
        (None, None, Some(id)) => {
            let member = inquiry::find_member(conn, id)?.ok_or(AppError::NotFound)?;
            InvitationTarget::InquiryMember { id, name: seat_territory(conn, member.collectivity_id)? }
        }
    };
    let existing_account = users::find_user_by_email(conn, &invitation.email)?;
    Ok(OpenInvitation { invitation, role: target.role(), existing_account })
}

#[derive(Deserialize, Default)]
pub struct AcceptForm {
    display_name: Option<String>,
    password: Option<String>,
    password_confirmation: Option<String>,
}

fn invitation_page(ctx: &PageCtx, token: &str, open: &OpenInvitation, name: &str, errors: &FormErrors) -> Markup {
    let email = &open.invitation.email;
    let hint = format!("Au moins {PASSWORD_MIN_CHARS} caractères. Une phrase facile à retenir convient très bien.");
    let action = format!("/invitation/{token}");
    page_with_errors(
        ctx,
        "Invitation",
        errors,
        html! {
            h1 { "Rejoindre encommun" }
            p class="lead" { "Vous êtes invité·e à rejoindre la plateforme en tant " (que_before(&open.role)) strong { (open.role) } "." }
            @match (&open.existing_account, &ctx.user) {
                (Some(account), Some(me)) if account.id == me.id => {
                    form method="post" action=(action) {
                        (csrf_field(ctx))
                        button class="button" type="submit" { "Accepter l’invitation" }
                    }
                }
                (_, Some(me)) => {
                    div class="notice notice-error" role="alert" {
                        p { "Cette invitation est adressée à " strong { (email) } ", mais vous êtes connecté·e en tant que " (me.email) ". Déconnectez-vous, puis ouvrez à nouveau le lien." }
                    }
                }
                (Some(_), None) => {
                    p { "Un compte existe déjà pour " strong { (email) } ". Connectez-vous pour accepter l’invitation." }
                    p { a class="button" href={ "/connexion?suivant=" (super::error::url_encode(&action)) } { "Se connecter" } }
                }
                (None, None) => {
                    p { "Créez votre compte pour l’adresse " strong { (email) } "." }
                    (errors.summary())
                    form class="form narrow" method="post" action=(action) novalidate {
                        (csrf_field(ctx))
                        (Field::new("display_name", "Prénom et nom").value(name).autocomplete("name").render(errors))
                        (Field::new("password", "Mot de passe").kind("password").hint(&hint).autocomplete("new-password").render(errors))
                        (Field::new("password_confirmation", "Confirmation du mot de passe").kind("password").autocomplete("new-password").render(errors))
                        button class="button" type="submit" { "Créer mon compte et accepter" }
                    }
                }
            }
        },
    )
}

pub async fn show(ctx: PageCtx, state: web::Data<AppState>, token: web::Path<String>) -> Result<Markup, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let open = state.db(move |conn| open_invitation(conn, &lookup)).await?;
    Ok(invitation_page(&ctx, &token, &open, "", &FormErrors::default()))
}

pub async fn accept(
    ctx: PageCtx,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<AcceptForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let open = state.db(move |conn| open_invitation(conn, &lookup)).await?;
    // Who accepts: the logged-in owner of the invited address, or a new account created from the form.
    let new_account = match (&open.existing_account, &ctx.user) {
        (Some(account), Some(me)) if account.id == me.id => None,
        (Some(_), _) | (None, Some(_)) => return Err(AppError::Forbidden),
        (None, None) => {
            let mut errors = FormErrors::default();
            let name = errors.check("display_name", DisplayName::parse(form.display_name.as_deref().unwrap_or("")));
            let password = errors.check(
                "password",
                NewPassword::parse(
                    form.password.as_deref().unwrap_or(""),
                    form.password_confirmation.as_deref().unwrap_or(""),
                ),
            );
            let (Some(name), Some(password)) = (name, password) else {
                let body = invitation_page(&ctx, &token, &open, form.display_name.as_deref().unwrap_or(""), &errors);
                return Ok(unprocessable(body));
            };
            let hash = web::block(move || hash_password(password.expose()))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::Internal)?;
            Some((name, hash))
        }
    };
    let invitation = open.invitation;
    let existing_id = open.existing_account.as_ref().map(|u| u.id);
    let (user, group) = state
        .db(move |conn| {
            storage::write_transaction(conn, |conn| {
                if !invitations::accept_invitation(conn, invitation.id, storage::now())? {
                    return Err(AppError::Gone("Cette invitation vient d’être utilisée ou a expiré.".into()));
                }
                let user_id = match (existing_id, &new_account) {
                    (Some(id), _) => id,
                    (None, Some((name, hash))) => {
                        users::insert_user(conn, &NewUser::new(&invitation.email, name.as_str(), hash))?
                    }
                    (None, None) => return Err(AppError::Forbidden),
                };
                if let Some(collectivity_id) = invitation.collectivity_id {
                    let function =
                        Function::parse(invitation.function.as_deref().unwrap_or("")).unwrap_or(Function::Agent);
                    collectivities::upsert_membership(
                        conn,
                        user_id,
                        collectivity_id,
                        function,
                        invitation.is_referent,
                    )?;
                }
                if let Some(provider_id) = invitation.provider_id {
                    providers::add_provider_member(conn, provider_id, user_id)?;
                }
                let mut group = None;
                if let Some(member_id) = invitation.inquiry_member_id {
                    // Already seated in this group under another name: the invitation is used all the same.
                    if inquiry::link_account(conn, member_id, user_id)? == LinkOutcome::Gone {
                        return Err(AppError::Gone("Cette place dans le groupe d’enquête a été retirée.".into()));
                    }
                    group = inquiry::find_member(conn, member_id)?
                        .map(|m| super::projects::paths::group_path(m.project_id, m.collectivity_id));
                }
                if let Some(member_id) = invitation.working_member_id {
                    if codesign::link_working_account(conn, member_id, user_id)? == LinkOutcome::Gone {
                        return Err(AppError::Gone("Cette place dans le groupe de travail a été retirée.".into()));
                    }
                    group = codesign::find_working_member(conn, member_id)?
                        .map(|m| super::projects::paths::co_design_path(m.project_id, m.collectivity_id));
                }
                if let Some(member_id) = invitation.delegation_member_id {
                    match delegations::link_account(conn, member_id, user_id)? {
                        delegations::LinkOutcome::Gone => {
                            return Err(AppError::Gone("Cette place dans la délégation a été retirée.".into()))
                        }
                        delegations::LinkOutcome::AlreadySeated => {
                            return Err(AppError::Gone(
                                "Ce compte siège déjà dans une délégation de ce projet : une personne n’y occupe qu’une place."
                                    .into(),
                            ))
                        }
                        delegations::LinkOutcome::Linked => {}
                    }
                    group = delegations::find_delegate(conn, member_id)?
                        .map(|m| super::projects::paths::community_path(m.project_id));
                }
                if let Some(member_id) = invitation.steering_member_id {
                    match steering::link_account(conn, member_id, user_id)? {
                        steering::LinkOutcome::Gone => {
                            return Err(AppError::Gone("Cette place au comité de pilotage a été retirée.".into()))
                        }
                        steering::LinkOutcome::AlreadySeated => {
                            return Err(AppError::Gone(
                                "Ce compte siège déjà au comité de pilotage de ce projet.".into(),
                            ))
                        }
                        steering::LinkOutcome::Linked => {}
                    }
                    group = steering::find_member(conn, member_id)?
                        .map(|m| super::projects::paths::committee_path(m.project_id));
                }
                Ok((users::find_user(conn, user_id)?.ok_or(AppError::NotFound)?, group))
            })
        })
        .await?;
    // Where the new member goes next: their group's page, or their account.
    let landing = group.unwrap_or_else(|| "/compte".to_owned());
    if ctx.user.is_none() {
        ctx.log_in(&user)?;
    }
    ctx.set_flash(&format!("Bienvenue ! Vous avez rejoint la plateforme en tant {}.", que(&open.role)));
    Ok(see_other(&landing))
}
