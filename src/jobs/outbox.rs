//! The outbox worker: every few seconds, claims the due messages (a batch at a time, for a lease), sends each,
//! records it sent, or records the failure for a later attempt. Several instances may run it on one database:
//! claims keep them from sending the same message (see `storage::outbox` for the guarantee).

use std::time::Duration;

use chrono::TimeDelta;

use super::digests::{queue_due_digests, Links};
use crate::mail::Mailer;
use crate::storage::outbox::{self, OutboxMessage};
use crate::storage::DbPool;

/// Attempts before a message is given up and shown to admins.
pub const MAX_ATTEMPTS: i32 = 8;

#[derive(Clone)]
pub struct OutboxWorker {
    pool: DbPool,
    mailer: Mailer,
    /// Who holds a claim: unique per worker, so that a worker records only its own sendings.
    pub name: String,
    pub batch: i64,
    /// How long a claim lasts: longer than sending a batch takes.
    pub lease: TimeDelta,
    /// When set, the worker also queues the digests that are due (links to `base_url`, signed with the key, from
    /// the local hour).
    digests: Option<Scheduled>,
}

/// What the worker needs to queue the work that falls due: where links point, the key that signs them, the hour
/// digests go, how long respondents' addresses outlive their project.
#[derive(Clone)]
pub struct Scheduled {
    pub base_url: String,
    pub link_key: Vec<u8>,
    pub send_hour: u32,
    pub feedback_retention: TimeDelta,
}

impl OutboxWorker {
    pub fn new(pool: DbPool, mailer: Mailer) -> OutboxWorker {
        let name = format!("{}-{}-{}", hostname(), std::process::id(), &crate::security::random_token()[..8]);
        OutboxWorker { pool, mailer, name, batch: 50, lease: TimeDelta::minutes(5), digests: None }
    }

    /// A worker that also queues the due digests, every minute.
    pub fn queuing_digests(mut self, scheduled: Scheduled) -> OutboxWorker {
        self.digests = Some(scheduled);
        self
    }

    /// Queues the digests, the follow-up reminders, the restitutions' messages and the notices of new messages due
    /// now, deletes the import files left unfinished for a day, the subscriptions nobody confirmed within a week and
    /// the respondents' addresses past their retention; returns how many messages were queued.
    pub async fn queue_digests(&self) -> anyhow::Result<usize> {
        let Some(Scheduled { base_url, link_key: key, send_hour, feedback_retention }) = self.digests.clone() else {
            return Ok(0);
        };
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
            let mut conn = pool.get()?;
            crate::storage::pending_imports::forget_stale(&mut conn)?;
            let week_ago = crate::storage::now() - TimeDelta::days(7);
            crate::storage::write_transaction(&mut conn, |conn| {
                crate::storage::subscriptions::purge_unconfirmed(conn, week_ago)
            })?;
            let links = Links { base_url: &base_url, key: &key, send_hour };
            let reminders = crate::storage::write_transaction(&mut conn, |conn| {
                super::reminders::queue_follow_up_reminders(conn, crate::storage::now(), &base_url)
            })?;
            let told = super::restitutions::tell_all_due(&mut conn, &base_url, &key)?;
            crate::storage::write_transaction(&mut conn, |conn| {
                super::restitutions::forget_past_retention(conn, crate::storage::now() - feedback_retention)
            })?;
            let notices = super::exchanges::queue_due_notices(&mut conn, crate::storage::now(), &links)?;
            let checks = super::resources::queue_check_reminders(&mut conn, crate::storage::now(), &base_url)?;
            Ok(reminders + told + notices + checks + queue_due_digests(&mut conn, crate::storage::now(), &links)?)
        })
        .await?
    }

    /// Claims one batch and sends it; returns how many were sent.
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        let (pool, name, batch, lease) = (self.pool.clone(), self.name.clone(), self.batch, self.lease);
        let claimed: Vec<OutboxMessage> = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let mut conn = pool.get()?;
            Ok(outbox::claim(&mut conn, &name, batch, lease)?)
        })
        .await??;
        let mut sent = 0;
        for message in claimed {
            let outcome = self.mailer.send_queued(&message).await;
            let (pool, name) = (self.pool.clone(), self.name.clone());
            let recorded = tokio::task::spawn_blocking(move || -> anyhow::Result<bool> {
                let mut conn = pool.get()?;
                match outcome {
                    Ok(()) => Ok(outbox::mark_sent(&mut conn, message.id, &name)?),
                    Err(error) => {
                        log::warn!("courriel {} non envoyé (essai {}) : {error:#}", message.id, message.attempts);
                        outbox::mark_failed(&mut conn, &message, &name, &format!("{error:#}"), MAX_ATTEMPTS)?;
                        Ok(false)
                    }
                }
            })
            .await??;
            sent += usize::from(recorded);
        }
        Ok(sent)
    }

    /// Runs until the process stops, a batch every `every` (at once again while batches come full).
    pub async fn run(self, every: Duration) {
        let mut digests_queued_at: Option<std::time::Instant> = None;
        loop {
            if digests_queued_at.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
                if let Err(error) = self.queue_digests().await {
                    log::error!("préparation des récapitulatifs : {error:#}");
                }
                digests_queued_at = Some(std::time::Instant::now());
            }
            match self.run_once().await {
                Ok(n) if n as i64 >= self.batch => continue,
                Ok(_) => {}
                Err(error) => log::error!("envoi de la file des courriels : {error:#}"),
            }
            tokio::time::sleep(every).await;
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_else(|_| "encommun".into())
}
