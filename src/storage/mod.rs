//! Storage: the only module that knows diesel and the two backends.
//!
//! Policy: functions are named after the question they answer, take `&mut DbConnection` and return
//! `QueryResult`. Queries are written once with diesel's DSL against [`DbConnection`]; the few that must differ
//! per backend (upserts, transaction start, migration locking) are explicit `match` arms in this folder and
//! nowhere else.

pub mod activity;
pub mod boundaries;
pub mod capitalisation;
pub mod codesign;
pub mod collectivities;
pub mod delegations;
pub mod deliverables;
pub mod diagnostic;
pub mod directory;
pub mod events;
pub mod inquiry;
pub mod inspiration;
pub mod invitations;
pub mod login_failures;
pub mod newsletters;
pub mod outbox;
pub mod password_resets;
pub mod pending_imports;
pub mod plans;
pub mod posts;
pub mod programmes;
pub mod projects;
pub mod providers;
pub mod questionnaires;
pub mod reports;
pub mod response_writer;
pub mod restitutions;
pub mod schema;
pub mod search;
pub mod steering;
pub mod subscriptions;
pub mod supervision;
pub mod territories;
pub mod themes;
pub mod threads;
pub mod users;

use std::time::Duration;

use anyhow::Context;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{self, ManageConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub use diesel::result::Error as DbError;
pub use diesel::QueryResult;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Arbitrary constant naming the PostgreSQL advisory lock held while migrating, so that instances starting
/// together apply each migration once.
const MIGRATION_LOCK_ID: i64 = 0x656e_636f_6d6d_756e;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// Which database a URL designates. We pick it ourselves from the scheme: the derived
/// `MultiConnection::establish` tries every backend and hides the real error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DatabaseUrl::Postgres(url.to_owned())
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            DatabaseUrl::Sqlite(path.to_owned())
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "SQLite",
            DatabaseUrl::Postgres(_) => "PostgreSQL",
        }
    }
}

pub fn establish(url: &DatabaseUrl) -> anyhow::Result<DbConnection> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let mut conn =
                SqliteConnection::establish(path).with_context(|| format!("ouverture de la base SQLite {path}"))?;
            // WAL lets readers proceed during a write; the busy timeout makes writers queue instead of failing.
            // The busy timeout comes first so that switching to WAL waits for a concurrent writer.
            conn.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
            .context("réglage de la connexion SQLite")?;
            Ok(DbConnection::Sqlite(conn))
        }
        DatabaseUrl::Postgres(url) => {
            let conn = PgConnection::establish(url)
                .map_err(|e| anyhow::anyhow!("connexion à PostgreSQL impossible ({}) : {e}", redact_password(url)))?;
            Ok(DbConnection::Postgres(conn))
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for error messages and logs.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &credentials[..colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        establish(&self.url)
            .map_err(|e| r2d2::Error::ConnectionError(diesel::ConnectionError::BadConnection(format!("{e:#}"))))
    }

    /// Asked at every checkout. A PostgreSQL connection may have been closed by the server (a restart); a SQLite
    /// file opened by this process cannot, and a test there would parse a statement at every trip to the pool.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        match conn {
            DbConnection::Sqlite(_) => Ok(()),
            DbConnection::Postgres(c) => c.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError),
        }
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type DbPool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

pub fn build_pool(url: &DatabaseUrl, max_size: u32) -> anyhow::Result<DbPool> {
    if let DatabaseUrl::Sqlite(path) = url {
        if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| format!("création du dossier {}", parent.display()))?;
        }
    }
    // Connect once outside the pool so a wrong URL fails with its real message rather than a pool timeout.
    establish(url)?;
    r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(ConnectionManager { url: url.clone() })
        .context("création du pool de connexions")
}

/// Applies pending migrations, then writes the built-in programmes the binary ships (`programmes::write_built_in`);
/// returns the versions applied. On PostgreSQL both run under an advisory lock, so instances starting together
/// take turns.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    if let DbConnection::Postgres(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_ID})"))?;
    }
    let result = match conn {
        DbConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|applied| applied.iter().map(ToString::to_string).collect::<Vec<_>>())
            .map_err(|e| anyhow::anyhow!("migration SQLite : {e}")),
        DbConnection::Postgres(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|applied| applied.iter().map(ToString::to_string).collect::<Vec<_>>())
            .map_err(|e| anyhow::anyhow!("migration PostgreSQL : {e}")),
    };
    let result = result.and_then(|applied| {
        write_transaction(conn, programmes::write_built_in).context("programmes fournis avec encommun")?;
        Ok(applied)
    });
    if let DbConnection::Postgres(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_ID})"))?;
    }
    result
}

type MultiTransactionManager = <DbConnection as Connection>::TransactionManager;

/// The writers of this process queue here before `BEGIN IMMEDIATE` on SQLite: a mutex hands the turn to the next
/// writer as soon as the lock is free, where SQLite's busy handler sleeps and retries (a p99 of 690 ms for
/// positions under 32 connections; see BENCHMARKS.md). Other processes (a command-line import) still wait through
/// the busy timeout.
static SQLITE_WRITERS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Whether the database refused a write because of a unique constraint: the row was there already, or another
/// request wrote it first.
pub fn is_unique_violation(error: &DbError) -> bool {
    matches!(error, DbError::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
}

/// Whether a query that needed a row found none.
pub fn is_not_found(error: &DbError) -> bool {
    matches!(error, DbError::NotFound)
}

/// Checks that the database answers (the health check).
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

/// Runs an insert in a savepoint (on PostgreSQL a refused statement would otherwise abort the caller's
/// transaction); false when a unique constraint refused it — it was there already, or another request got there
/// first.
pub fn insert_once(
    conn: &mut DbConnection,
    insert: impl FnOnce(&mut DbConnection) -> QueryResult<usize>,
) -> QueryResult<bool> {
    match conn.transaction(insert) {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Locks a row created on its first write (a territory's plan, its restitution): `lock` is an `UPDATE` of the row
/// — held until the transaction ends on PostgreSQL; SQLite holds the write lock already —; when it touches nothing,
/// `create` inserts the row (another request may do so at the same moment, and then its row is the one locked) and
/// `lock` runs again.
pub fn lock_or_create(
    conn: &mut DbConnection,
    lock: impl Fn(&mut DbConnection) -> QueryResult<usize>,
    create: impl FnOnce(&mut DbConnection) -> QueryResult<usize>,
) -> QueryResult<()> {
    if lock(conn)? == 0 {
        insert_once(conn, create)?;
        lock(conn)?;
    }
    Ok(())
}

/// Runs `f` in a transaction that takes the write lock at its start.
///
/// On SQLite a plain `BEGIN` is deferred: two transactions that read and then write can deadlock, and SQLite answers
/// "database is locked" at once instead of waiting. `BEGIN IMMEDIATE` queues writers behind the busy timeout.
/// On PostgreSQL this is an ordinary transaction; row locks and constraints do the rest.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DbError>,
{
    let _queued = match conn {
        DbConnection::Sqlite(c) => {
            let turn = SQLITE_WRITERS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
            Some(turn)
        }
        DbConnection::Postgres(c) => {
            AnsiTransactionManager::begin_transaction(c)?;
            None
        }
    };
    match f(conn) {
        Ok(value) => {
            MultiTransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            MultiTransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

/// The current time, truncated to whole microseconds so that what is stored reads back equal on both backends.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::microseconds(1)).unwrap_or(now)
}
