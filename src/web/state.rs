//! What every handler shares, built once by `startup`: the database pool and the blocking-call bridge to it
//! (`AppState::db`), the configuration, the mailer and the in-process caches and limiters.
//! Kept apart from the route table: the table says what every feature is, this what they all share.

use std::sync::Arc;

use actix_web::web;

use super::{cache, limits, AppError};
use crate::config::Config;
use crate::mail::Mailer;
use crate::storage::{DbConnection, DbPool};

pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Territories per kind, for the home page (a count over every commune is too costly per visit).
    pub territory_counts: cache::Cached<Vec<(String, i64)>>,
    /// Public pages as rendered for visitors without a session (see `middleware::public_page_cache`).
    pub public_pages: cache::PageCache,
    /// The content version the page cache compares with, one read shared by the visitors waiting for it.
    pub content_version: cache::SharedRead<i64>,
    /// Anonymous questionnaire responses per network address (see `limits`).
    pub survey_limiter: Arc<limits::SubmissionLimiter>,
    /// Requests to follow a project or theme with an e-mail address, per network address.
    pub follow_limiter: limits::SubmissionLimiter,
    /// Questionnaires' questions, for answering without reading them every time (see `cache::QuestionCache`).
    pub questions: Arc<cache::QuestionCache>,
    /// Records online responses in shared transactions (see `storage::response_writer`).
    pub responses: crate::storage::response_writer::ResponseWriter,
    /// Signs links that act without a session (one-click unsubscribe), derived from the session key.
    pub link_key: Arc<Vec<u8>>,
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
