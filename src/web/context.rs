//! What every page handler receives: the person (if logged in) and the collectivities they belong to, their
//! session and the pending flash message.
//!
//! Sessions live in a signed, encrypted cookie (no server-side store, so any instance serves any request). The
//! cookie holds the user id, the account's session epoch (bumped on password change, voiding older cookies) and
//! the login time (sessions end after `SESSION_HOURS`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_session::{Session, SessionExt};
use actix_web::{web, FromRequest, HttpRequest};
use chrono::Utc;

use super::{AppError, AppState};
use crate::security::random_token;
use crate::storage::collectivities::{memberships_of_user, Membership};
use crate::storage::territories::Territory;
use crate::storage::users::{find_user, User};

const SESSION_USER: &str = "uid";
const SESSION_EPOCH: &str = "epoch";
const SESSION_SINCE: &str = "since";
pub const SESSION_CSRF: &str = "csrf";
const SESSION_FLASH: &str = "flash";
pub const SESSION_HOURS: i64 = 12;

pub struct PageCtx {
    pub user: Option<User>,
    /// The collectivities the person belongs to, with their territory: read with the person, in the same trip to
    /// the database, since most pages ask what the person may do as a member or referent.
    pub memberships: Vec<(Membership, Territory)>,
    pub session: Session,
    /// Path and query of the request, to come back after logging in.
    pub path: String,
    flash: Option<String>,
    /// The content version, if reading the person needed it: read after the request arrived, it serves the parts
    /// of pages kept for all their viewers too (`AppState::shared`).
    content_version: Option<i64>,
}

impl PageCtx {
    pub fn require_user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or_else(|| AppError::LoginRequired { next: self.path.clone() })
    }

    pub fn require_admin(&self) -> Result<&User, AppError> {
        let user = self.require_user()?;
        if user.is_agency_admin {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_agency_admin)
    }

    /// The collectivities the person acts for, as referent, with their territory.
    pub fn referent_of(&self) -> Vec<(Membership, Territory)> {
        self.memberships.iter().filter(|(m, _)| m.is_referent).cloned().collect()
    }

    /// The content version, read after the request arrived: the one read with the person, or a new read.
    pub async fn content_version(&self, state: &AppState) -> Result<i64, AppError> {
        match self.content_version {
            Some(version) => Ok(version),
            None => state.content_version().await,
        }
    }

    /// The session's anti-forgery token, created on first use (only pages with a form set a cookie).
    pub fn csrf_token(&self) -> String {
        if let Ok(Some(token)) = self.session.get::<String>(SESSION_CSRF) {
            return token;
        }
        let token = random_token();
        // Inserting a String into the cookie session cannot fail to serialise.
        let _ = self.session.insert(SESSION_CSRF, &token);
        token
    }

    pub fn flash(&self) -> Option<&str> {
        self.flash.as_deref()
    }

    /// A message shown once on the next page.
    pub fn set_flash(&self, message: &str) {
        let _ = self.session.insert(SESSION_FLASH, message);
    }

    /// Opens a fresh session for `user`: a new cookie and a new CSRF token (no fixation).
    pub fn log_in(&self, user: &User) -> Result<(), AppError> {
        self.session.renew();
        self.session.remove(SESSION_CSRF);
        self.session.insert(SESSION_USER, user.id).map_err(AppError::internal)?;
        self.session.insert(SESSION_EPOCH, user.session_epoch).map_err(AppError::internal)?;
        self.session.insert(SESSION_SINCE, Utc::now().timestamp()).map_err(AppError::internal)?;
        Ok(())
    }

    /// Keeps this session valid after the password (and so the epoch) changed; others are void.
    pub fn set_epoch(&self, epoch: i32) -> Result<(), AppError> {
        self.session.insert(SESSION_EPOCH, epoch).map_err(AppError::internal)
    }

    pub fn log_out(&self) {
        self.session.purge();
    }
}

impl FromRequest for PageCtx {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<PageCtx, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let path = match req.uri().path_and_query() {
            Some(pq) => pq.as_str().to_owned(),
            None => req.path().to_owned(),
        };
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal(anyhow::anyhow!("état de l’application absent")))?;
            // Read before removing: `remove` marks the session changed, which would send a cookie with every page.
            let flash = session.get::<String>(SESSION_FLASH).ok().flatten();
            if flash.is_some() {
                session.remove(SESSION_FLASH);
            }
            let (person, content_version) = current_user(&session, &state).await?;
            let (user, memberships) = match person {
                Some(Person { user, memberships }) => (Some(user), memberships),
                None => {
                    if session.get::<i64>(SESSION_USER).ok().flatten().is_some() {
                        session.purge();
                    }
                    (None, Vec::new())
                }
            };
            Ok(PageCtx { user, memberships, session, path, flash, content_version })
        })
    }
}

/// A person and the collectivities they belong to, as a session reads them.
#[derive(Clone)]
pub struct Person {
    user: User,
    memberships: Vec<(Membership, Territory)>,
}

/// The person of a valid session, with their memberships: from the instance's memory while the content version
/// holds (every change to an account or a membership raises it, see `storage::users`), so that a logged-in page
/// costs no trip to the database of its own; read once per version otherwise. Gives the version read, if any.
async fn current_user(session: &Session, state: &AppState) -> Result<(Option<Person>, Option<i64>), AppError> {
    let (Ok(Some(user_id)), Ok(Some(epoch)), Ok(Some(since))) =
        (session.get::<i64>(SESSION_USER), session.get::<i32>(SESSION_EPOCH), session.get::<i64>(SESSION_SINCE))
    else {
        return Ok((None, None));
    };
    if Utc::now().timestamp() - since > SESSION_HOURS * 3600 {
        return Ok((None, None));
    }
    let version = state.content_version().await?;
    let person = match state.people.get(&user_id, &version) {
        Some(person) => person,
        None => {
            let read = state
                .db(move |conn| match find_user(conn, user_id)? {
                    Some(user) => Ok(Some(Person { user, memberships: memberships_of_user(conn, user_id)? })),
                    None => Ok(None),
                })
                .await?;
            let Some(person) = read else { return Ok((None, Some(version))) };
            let person = Arc::new(person);
            state.people.put(user_id, version, person.clone());
            person
        }
    };
    Ok(((person.user.session_epoch == epoch).then(|| Person::clone(&person)), Some(version)))
}
