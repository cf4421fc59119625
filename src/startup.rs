//! Building the application: pool, migrations, session key, HTTP server bound to its listener.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Logger};
use actix_web::{web, App, HttpResponse, HttpServer};
use anyhow::Context;

use crate::config::Config;
use crate::jobs::outbox::{OutboxWorker, Scheduled};
use crate::mail::Mailer;
use crate::security::{hex_decode, hex_encode, random_bytes};
use crate::storage::response_writer::ResponseWriter;
use crate::storage::{self, DbPool};
use crate::web::cache::{Cached, PageCache, QuestionCache, SharedRead, Versioned};
use crate::web::limits::SubmissionLimiter;
use crate::web::{middleware, routes, AppError, AppState};

pub struct Application {
    port: u16,
    server: Server,
    pub pool: DbPool,
    /// The outbox worker and its period, started with the server.
    outbox: Option<(OutboxWorker, Duration)>,
}

impl Application {
    /// Prepares everything and binds the listener, so the port is known (tests listen on port 0) before serving.
    pub fn build(config: Config) -> anyhow::Result<Application> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("création du dossier de données {}", config.data_dir.display()))?;
        let pool = prepare_database(&config)?;
        let key = session_key(&config)?;
        let mailer = Mailer::new(&config.mail)?;
        let link_key = Arc::new(link_key(&key));
        let outbox = (config.outbox_every_seconds > 0).then(|| {
            let worker = OutboxWorker::new(pool.clone(), mailer.clone()).queuing_digests(Scheduled {
                base_url: config.base_url.clone(),
                link_key: link_key.as_ref().clone(),
                send_hour: config.digest_hour,
                feedback_retention: chrono::TimeDelta::days(config.feedback_retention_days.into()),
            });
            (worker, Duration::from_secs(config.outbox_every_seconds))
        });
        let listener =
            TcpListener::bind(config.listen).with_context(|| format!("écoute sur {} impossible", config.listen))?;
        let port = listener.local_addr()?.port();
        let workers = config.workers;
        let config = Arc::new(config);
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            config: config.clone(),
            mailer,
            territory_counts: Cached::new(Duration::from_secs(300)),
            // About 25 kB a page: a few megabytes at most.
            public_pages: PageCache::new(Duration::from_secs(60), 256),
            content_version: SharedRead::new(),
            // Like the public pages: a few megabytes at most, and what changes without an activity entry (a
            // territory's name) shows within the minute.
            // A person and their memberships, about a kilobyte: a few megabytes for the busiest day.
            people: Versioned::new(4096, Some(Duration::from_secs(60))),
            theme_lists: Versioned::new(256, Some(Duration::from_secs(60))),
            theme_pages: Versioned::new(256, Some(Duration::from_secs(60))),
            survey_limiter: Arc::new(SubmissionLimiter::new(config.survey_submissions_per_hour)),
            follow_limiter: SubmissionLimiter::new(crate::web::subscriptions::FOLLOW_REQUESTS_PER_HOUR),
            api_limiter: SubmissionLimiter::per_window(
                config.api_requests_per_minute,
                std::time::Duration::from_secs(60),
            ),
            questions: Arc::new(QuestionCache::new(1000, None)),
            responses: ResponseWriter::start(pool.clone()).context("démarrage du rédacteur des réponses")?,
            link_key,
        });
        // Blocking work (diesel, argon2) waits for a pooled connection anyway: more threads than connections would
        // only queue, and each idle thread costs memory.
        let blocking_threads = (config.db_pool_size as usize).div_ceil(workers).max(2);
        let server = HttpServer::new(move || {
            let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name("encommun".into())
                .cookie_content_security(CookieContentSecurity::Private)
                .cookie_secure(config.secure_cookies)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .build();
            App::new()
                .app_data(state.clone())
                .app_data(web::FormConfig::default().limit(256 * 1024).error_handler(|e, _| bad_input(e)))
                .app_data(web::QueryConfig::default().error_handler(|e, _| bad_input(e)))
                .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
                .configure(routes)
                .default_service(web::to(|| async { HttpResponse::from_error(AppError::NotFound) }))
                // Middleware wraps from the inside out: the page cache and the request guard need the session, the page
                // cache sees only requests the guard let through, compression applies to pages kept or rendered, the
                // headers go on all.
                .wrap(from_fn(middleware::public_page_cache))
                .wrap(from_fn(middleware::request_guard))
                .wrap(session)
                .wrap(from_fn(middleware::compress))
                .wrap(middleware::security_headers(config.secure_cookies))
                .wrap(Logger::new("%a \"%r\" %s %b %Dms"))
        })
        .workers(workers)
        .worker_max_blocking_threads(blocking_threads)
        .listen(listener)?
        .run();
        Ok(Application { port, server, pool, outbox })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        if let Some((worker, every)) = self.outbox {
            actix_web::rt::spawn(worker.run(every));
        }
        self.server.await
    }
}

fn bad_input(e: impl std::fmt::Display) -> actix_web::Error {
    AppError::BadRequest(format!("Le formulaire envoyé n’a pas pu être lu ({e}). Rechargez la page et réessayez."))
        .into()
}

/// Opens the pool and applies pending migrations.
pub fn prepare_database(config: &Config) -> anyhow::Result<DbPool> {
    let pool = storage::build_pool(&config.database_url, config.db_pool_size)?;
    let mut conn = pool.get().context("connexion à la base de données")?;
    let applied = storage::run_migrations(&mut conn)?;
    if !applied.is_empty() {
        log::info!("migrations appliquées : {}", applied.join(", "));
    }
    Ok(pool)
}

/// The configured key, or the one kept in the data folder (created on first start with owner-only permissions).
/// The key signing links that act without a session: derived from the session key, never the key itself.
pub fn link_key(session: &Key) -> Vec<u8> {
    crate::security::sign(session.master(), "encommun : liens signés").into_bytes()
}

fn session_key(config: &Config) -> anyhow::Result<Key> {
    if let Some(bytes) = &config.session_key {
        return Key::try_from(bytes.as_slice()).context("clé de session invalide");
    }
    let path = config.data_dir.join("session.key");
    let bytes = if path.exists() {
        let text = std::fs::read_to_string(&path).with_context(|| format!("lecture de {}", path.display()))?;
        hex_decode(text.trim()).with_context(|| format!("{} : clé hexadécimale attendue", path.display()))?
    } else {
        let bytes = random_bytes::<64>()?.to_vec();
        write_private(&path, &hex_encode(&bytes))?;
        bytes
    };
    Key::try_from(bytes.as_slice()).with_context(|| format!("{} : 64 octets attendus", path.display()))
}

fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).with_context(|| format!("création de {}", path.display()))?;
    file.write_all(content.as_bytes())?;
    Ok(())
}
