//! The one error type of handlers. Every variant renders a French page with the right status; a 500 logs its
//! cause chain and shows the user nothing of it.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use super::views;
use crate::storage::{self, DbError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page introuvable")]
    NotFound,
    #[error("accès refusé")]
    Forbidden,
    /// The page needs a logged-in person: redirect to the login form, then back to `next`.
    #[error("connexion requise")]
    LoginRequired { next: String },
    #[error("{0}")]
    BadRequest(String),
    /// The link (reset, invitation) exists no more or has been used.
    #[error("{0}")]
    Gone(String),
    #[error("jeton de formulaire invalide")]
    Csrf,
    #[error("erreur interne")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn internal(error: impl Into<anyhow::Error>) -> AppError {
        AppError::Internal(error.into())
    }
}

impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        if storage::is_not_found(&error) {
            AppError::NotFound
        } else {
            AppError::Internal(error.into())
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (title, message): (&str, String) = match self {
            AppError::LoginRequired { next } => {
                let location = format!("/connexion?suivant={}", url_encode(next));
                return HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish();
            }
            AppError::NotFound => (
                "Page introuvable",
                "La page demandée n’existe pas ou plus. Vérifiez l’adresse, ou repartez de l’accueil.".into(),
            ),
            AppError::Forbidden => (
                "Accès refusé",
                "Votre compte ne donne pas accès à cette page ou à cette action. Si vous pensez que c’est une erreur, \
                 adressez-vous au référent de votre collectivité."
                    .into(),
            ),
            AppError::Csrf => (
                "Formulaire expiré",
                "Par sécurité, ce formulaire n’a pas été accepté : la page était trop ancienne ou venait d’un autre site. \
                 Revenez en arrière, rechargez la page et envoyez à nouveau le formulaire."
                    .into(),
            ),
            AppError::BadRequest(message) => ("Demande incorrecte", message.clone()),
            AppError::Gone(message) => ("Lien expiré", message.clone()),
            AppError::Internal(cause) => {
                log::error!("erreur interne : {cause:?}");
                (
                    "Erreur du serveur",
                    "Une erreur inattendue nous empêche d’afficher cette page. Elle a été enregistrée ; réessayez dans \
                     quelques instants."
                        .into(),
                )
            }
        };
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(views::error_page(title, &message).into_string())
    }
}

pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
