//! Group commit for online responses: one writer thread records the responses that arrive while it is busy in a
//! single transaction, each in its own savepoint, and answers each submitter only after the commit. Under load a
//! transaction then carries tens of responses instead of one (the cost of a commit is shared); alone, a response
//! is written at once, as before. Nothing is acknowledged before it is durable, and one response's failure (its
//! savepoint rolled back) does not touch the others of its batch.

use diesel::Connection;
use tokio::sync::{mpsc, oneshot};

use super::questionnaires::{self, Channel};
use super::{write_transaction, DbPool};
use crate::domain::questionnaire::AnswerItem;

/// Responses waiting for the writer, at most; submitters wait for room beyond.
const QUEUE: usize = 4096;
/// Responses per transaction, at most.
const BATCH: usize = 256;

/// An online response to record.
pub struct PendingResponse {
    pub questionnaire_id: i64,
    /// The single-use invitation to spend with it, for questionnaires that require one.
    pub invitation: Option<String>,
    pub items: Vec<(i64, AnswerItem)>,
}

/// What became of a pending response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Recorded,
    /// Its invitation was already used (by a simultaneous submission, say): nothing recorded.
    InvitationUsed,
}

struct Job {
    response: PendingResponse,
    reply: oneshot::Sender<Result<Written, String>>,
}

#[derive(Clone)]
pub struct ResponseWriter {
    sender: mpsc::Sender<Job>,
}

impl ResponseWriter {
    /// Starts the writer thread; it stops when every `ResponseWriter` clone is dropped.
    pub fn start(pool: DbPool) -> std::io::Result<ResponseWriter> {
        let (sender, receiver) = mpsc::channel(QUEUE);
        std::thread::Builder::new().name("reponses".into()).spawn(move || run(pool, receiver))?;
        Ok(ResponseWriter { sender })
    }

    /// Records a response; returns once it is committed (or refused).
    pub async fn record(&self, response: PendingResponse) -> Result<Written, String> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Job { response, reply })
            .await
            .map_err(|_| "le rédacteur des réponses est arrêté".to_owned())?;
        answer.await.map_err(|_| "le rédacteur des réponses s’est arrêté".to_owned())?
    }
}

fn run(pool: DbPool, mut receiver: mpsc::Receiver<Job>) {
    while let Some(first) = receiver.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let outcomes = write_batch(&pool, &batch);
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            // A submitter that has gone away no longer needs its answer.
            let _ = job.reply.send(outcome);
        }
    }
}

/// The outcome of each job, in order; all of them fail together only if the transaction cannot commit.
fn write_batch(pool: &DbPool, batch: &[Job]) -> Vec<Result<Written, String>> {
    let all_failed = |error: String| batch.iter().map(|_| Err(error.clone())).collect();
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(error) => return all_failed(error.to_string()),
    };
    let written = write_transaction(&mut conn, |conn| {
        Ok::<_, diesel::result::Error>(
            batch
                .iter()
                .map(|job| {
                    let response = &job.response;
                    // A savepoint each: a failure rolls back this response alone.
                    conn.transaction(|conn| {
                        if let Some(token) = &response.invitation {
                            if !questionnaires::use_invitation(conn, response.questionnaire_id, token)? {
                                return Ok(Written::InvitationUsed);
                            }
                        }
                        questionnaires::record_response(
                            conn,
                            response.questionnaire_id,
                            Channel::Online,
                            None,
                            &response.items,
                        )?;
                        Ok::<_, diesel::result::Error>(Written::Recorded)
                    })
                    .map_err(|e| e.to_string())
                })
                .collect::<Vec<_>>(),
        )
    });
    match written {
        Ok(outcomes) => outcomes,
        Err(error) => all_failed(error.to_string()),
    }
}
