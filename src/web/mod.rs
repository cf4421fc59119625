//! The web edge: one route table, extractors, middleware and the pages of each feature (maud views next to their
//! handlers). Handlers parse input into domain types, call storage through [`AppState::db`] (off the async
//! workers) and check authorisation from the person's relations, never from what the page shows.

pub mod account;
pub mod admin;
pub mod assets;
pub mod auth;
pub mod collectivities;
pub mod context;
pub mod error;
pub mod home;
pub mod invitations;
pub mod middleware;
pub mod pages;
pub mod views;

use std::sync::Arc;

use actix_web::web;

use crate::config::Config;
use crate::mail::Mailer;
use crate::storage::{DbConnection, DbPool};
pub use error::AppError;

pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub mailer: Mailer,
}

impl AppState {
    /// Runs blocking database work on actix's thread pool: diesel is synchronous and actix workers are
    /// single-threaded runtimes that must never block.
    pub async fn db<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get().map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
            work(&mut conn)
        })
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }
}

/// The route table: every URL of the platform, in one place.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::home))
        .route("/healthz", web::get().to(pages::health))
        .route("/assets/{name}", web::get().to(assets::asset))
        .route("/accessibilite", web::get().to(pages::accessibility))
        .route("/mentions-legales", web::get().to(pages::legal_notice))
        .route("/donnees-personnelles", web::get().to(pages::privacy))
        .route("/connexion", web::get().to(auth::login_form))
        .route("/connexion", web::post().to(auth::login))
        .route("/deconnexion", web::post().to(auth::logout))
        .route("/mot-de-passe-oublie", web::get().to(auth::forgotten_form))
        .route("/mot-de-passe-oublie", web::post().to(auth::forgotten))
        .route("/mot-de-passe/nouveau/{token}", web::get().to(auth::reset_form))
        .route("/mot-de-passe/nouveau/{token}", web::post().to(auth::reset))
        .route("/compte", web::get().to(account::show))
        .route("/compte/nom", web::post().to(account::change_name))
        .route("/compte/mot-de-passe", web::post().to(account::change_password))
        .route("/collectivites", web::get().to(collectivities::search))
        .route("/territoires/{kind}/{code}", web::get().to(collectivities::show))
        .route("/territoires/{kind}/{code}/invitations", web::post().to(collectivities::invite))
        .route("/invitation/{token}", web::get().to(invitations::show))
        .route("/invitation/{token}", web::post().to(invitations::accept))
        .route("/admin", web::get().to(admin::dashboard))
        .route("/admin/prestataires", web::post().to(admin::create_provider))
        .route("/admin/prestataires/{id}/invitations", web::post().to(admin::invite_provider_member));
}
