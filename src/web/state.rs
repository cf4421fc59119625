//! What every handler shares, built once by `startup`: the database pool and the blocking-call bridge to it
//! (`AppState::db`), the configuration, the mailer and the in-process caches and limiters.
//! Kept apart from the route table: the table says what every feature is, this what they all share.

use std::sync::Arc;

use actix_web::web;

use super::context::PageCtx;
use super::{cache, limits, themes, AppError};
use crate::config::Config;
use crate::mail::Mailer;
use crate::storage::{activity, DbConnection, DbPool};

pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Territories per kind, for the home page (a count over every commune is too costly per visit).
    pub territory_counts: cache::Cached<Vec<(String, i64)>>,
    /// Public pages as rendered for visitors without a session (see `middleware::public_page_cache`).
    pub public_pages: cache::PageCache,
    /// The content version the caches compare with, one read shared by the requests waiting for it.
    pub content_version: cache::SharedRead<i64>,
    /// The person of each session with their memberships, while the content version holds (see `web::context`).
    pub people: cache::Versioned<i64, i64, super::context::Person>,
    /// The parts of the themes' index and pages common to all their viewers (see `AppState::shared`).
    pub theme_lists: cache::Versioned<themes::ListKey, i64, themes::ListPart>,
    pub theme_pages: cache::Versioned<(i64, themes::Audience), i64, themes::page::ThemePart>,
    /// Anonymous questionnaire responses per network address (see `limits`).
    pub survey_limiter: Arc<limits::SubmissionLimiter>,
    /// Requests to follow a project or theme with an e-mail address, per network address.
    pub follow_limiter: limits::SubmissionLimiter,
    /// Requests to the public API per network address and minute (see `api`).
    pub api_limiter: limits::SubmissionLimiter,
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

    /// The database's content version (raised by every activity entry, in its transaction), from a read that
    /// started after this call began.
    pub async fn content_version(&self) -> Result<i64, AppError> {
        self.content_version.get(|| self.db(|conn| Ok(activity::content_version(conn)?))).await
    }

    /// A part of a page common to all its viewers, kept in `parts` while the content version has not moved, so
    /// that a logged-in person's page renders only what is theirs (their menu, their forms). `compute` reads and
    /// renders it when the content moved; it runs after the version was read, so what is kept is at least as
    /// recent as the version it is kept under.
    pub async fn shared<K, V, F>(
        &self,
        ctx: &PageCtx,
        parts: &cache::Versioned<K, i64, V>,
        key: K,
        compute: F,
    ) -> Result<Arc<V>, AppError>
    where
        K: std::hash::Hash + Eq,
        V: Send + Sync + 'static,
        F: FnOnce(&mut DbConnection) -> Result<V, AppError> + Send + 'static,
    {
        let version = ctx.content_version(self).await?;
        if let Some(part) = parts.get(&key, &version) {
            return Ok(part);
        }
        let part = Arc::new(self.db(compute).await?);
        parts.put(key, version, part.clone());
        Ok(part)
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }
}
