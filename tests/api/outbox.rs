//! The outbox, sent through a real SMTP server (Python's aiosmtpd, installed by `.ci/run`): each message arrives
//! once with both parts and its headers; a refused delivery is retried later and given up after the limit; two
//! workers sending a thousand messages at once deliver each exactly once, even when one of them dies holding a
//! claim.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::TimeDelta;
use encommun::config::{MailConfig, MailTransport, SmtpTls};
use encommun::jobs::outbox::{OutboxWorker, MAX_ATTEMPTS};
use encommun::mail::Mailer;
use encommun::storage::outbox::{claim, counts_by_state, enqueue, mark_sent, recent_messages, retry, NewOutboxMessage};

use crate::fixtures;
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(
    queued_messages_reach_a_real_smtp_server_once,
    a_refused_delivery_is_retried_then_given_up,
    two_workers_deliver_a_thousand_messages_exactly_once_even_when_one_dies,
);

/// An SMTP server that keeps what it receives in a Maildir.
pub struct SmtpSink {
    process: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    /// None (the test says it is skipped) when Python or aiosmtpd is missing, except under `CI=true`.
    pub fn start() -> Option<SmtpSink> {
        let available = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !available {
            assert!(std::env::var("CI").map_or(true, |v| v != "true"), "CI=true but aiosmtpd is missing");
            eprintln!("SMTP tests skipped: pip install aiosmtpd");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("boite");
        let process = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Owned at once, so that the server is stopped (killed and waited for) whatever happens next.
        let sink = SmtpSink { process, port, dir };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(sink);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("aiosmtpd did not listen on {port}");
    }

    pub fn mailer(&self) -> Mailer {
        mailer_on(self.port)
    }

    /// Every message received, as raw text.
    pub fn received(&self) -> Vec<String> {
        let root: PathBuf = self.dir.path().join("boite");
        ["new", "cur"]
            .iter()
            .filter_map(|sub| std::fs::read_dir(root.join(sub)).ok())
            .flatten()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn mailer_on(port: u16) -> Mailer {
    Mailer::new(&MailConfig {
        from: "encommun <ne-pas-repondre@encommun.localhost>".into(),
        transport: MailTransport::Smtp {
            host: "127.0.0.1".into(),
            port,
            username: None,
            password: None,
            tls: SmtpTls::None,
        },
    })
    .unwrap()
}

/// The headers of a raw message (unfolded), by lowercase name.
pub fn headers(raw: &str) -> BTreeMap<String, String> {
    let head = raw.split("\n\n").next().unwrap().replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ");
    head.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_lowercase(), value.trim().to_owned()))
        .collect()
}

fn message<'a>(key: &'a str, to: &'a str, unsubscribe: Option<&'a str>) -> NewOutboxMessage<'a> {
    NewOutboxMessage {
        idempotency_key: key,
        kind: "digest",
        recipient: to,
        subject: "Quoi de neuf dans vos projets",
        text_body: "Trois nouvelles cette semaine.",
        html_body: "<p>Trois nouvelles cette semaine.</p>",
        unsubscribe_url: unsubscribe,
        calendar: None,
        forget_recipient: false,
    }
}

/// Runs a worker until nothing is left unsent (a minute at most); returns how many it sent.
pub async fn drain(app: &TestApp, worker: OutboxWorker) -> usize {
    let (mut sent, started) = (0, std::time::Instant::now());
    loop {
        let n = worker.run_once().await.unwrap();
        sent += n;
        if n == 0 {
            let unsent: i64 = counts_by_state(&mut app.pool.get().unwrap())
                .unwrap()
                .into_iter()
                .filter(|(state, _)| state != "sent")
                .map(|(_, n)| n)
                .sum();
            if unsent == 0 || started.elapsed() > Duration::from_secs(60) {
                return sent;
            }
            actix_web::rt::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

fn worker(app: &TestApp, mailer: Mailer) -> OutboxWorker {
    OutboxWorker::new(app.pool.clone(), mailer)
}

async fn queued_messages_reach_a_real_smtp_server_once(app: TestApp) {
    let Some(smtp) = SmtpSink::start() else { return };
    let unsubscribe = "http://127.0.0.1/desabonnement/jeton-signe";
    with_conn(&app, |conn| {
        assert!(enqueue(conn, &message("abonnement-1:2026-W48", "claire@exemple.fr", Some(unsubscribe))).unwrap());
        assert!(enqueue(conn, &message("abonnement-2:2026-W48", "karim@exemple.fr", None)).unwrap());
        // The same subscription and period again: nothing more is queued.
        assert!(!enqueue(conn, &message("abonnement-1:2026-W48", "claire@exemple.fr", Some(unsubscribe))).unwrap());
    });
    let worker = worker(&app, smtp.mailer());
    assert_eq!(worker.run_once().await.unwrap(), 2);
    assert_eq!(worker.run_once().await.unwrap(), 0, "nothing is sent twice");
    let received = smtp.received();
    assert_eq!(received.len(), 2);
    let claire = received.iter().find(|m| headers(m)["to"].contains("claire@exemple.fr")).unwrap();
    let head = headers(claire);
    assert_eq!(head["subject"], "Quoi de neuf dans vos projets");
    assert_eq!(head["list-unsubscribe"], format!("<{unsubscribe}>"));
    assert_eq!(head["list-unsubscribe-post"], "List-Unsubscribe=One-Click");
    assert!(head["message-id"].starts_with("<outbox-") && head["message-id"].ends_with("@encommun.localhost>"));
    assert!(head["content-type"].starts_with("multipart/alternative"));
    assert!(claire.contains("Content-Type: text/plain") && claire.contains("Content-Type: text/html"));
    assert!(claire.contains("Trois nouvelles cette semaine."));
    let karim = received.iter().find(|m| headers(m)["to"].contains("karim@exemple.fr")).unwrap();
    assert!(!headers(karim).contains_key("list-unsubscribe"), "a message outside any subscription has no such header");
    with_conn(&app, |conn| assert_eq!(counts_by_state(conn).unwrap(), [("sent".to_owned(), 2)]));
}

async fn a_refused_delivery_is_retried_then_given_up(app: TestApp) {
    const ADMIN: &str = "agence@exemple.fr";
    with_conn(&app, |conn| fixtures::agency_admin(conn, ADMIN, "Claire Dubois"));
    // Nothing listens on this port: every attempt fails.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    with_conn(&app, |conn| assert!(enqueue(conn, &message("lettre-3:claire", "claire@exemple.fr", None)).unwrap()));
    let worker = worker(&app, mailer_on(closed));
    assert_eq!(worker.run_once().await.unwrap(), 0);
    let pending = with_conn(&app, |conn| recent_messages(conn, None, 10).unwrap().remove(0));
    assert_eq!((pending.state.as_str(), pending.attempts), ("pending", 1));
    assert!(!pending.last_error.is_empty());
    assert!(pending.next_attempt_at > pending.created_at, "the next attempt waits");
    assert_eq!(worker.run_once().await.unwrap(), 0, "not due yet");
    // Time passes: each attempt fails until the limit, then the message is given up and shown as such.
    for _ in 1..MAX_ATTEMPTS {
        with_conn(&app, make_due);
        worker.run_once().await.unwrap();
    }
    let failed = with_conn(&app, |conn| recent_messages(conn, Some("failed"), 10).unwrap());
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, MAX_ATTEMPTS);
    // The administration shows it with its error; once the cause is fixed, an admin puts it back.
    let admin = fixtures::logged_in(&app, ADMIN).await;
    let page = admin.get("/admin/courriels?etat=failed").await;
    page.assert_status(200)
        .assert_contains("<strong>1</strong> abandonnés")
        .assert_contains("claire@exemple.fr")
        .assert_contains(&failed[0].last_error);
    let resend = format!("/admin/courriels/{}/renvoi", failed[0].id);
    admin.submit("/admin/courriels?etat=failed", &resend, &[]).await.assert_redirect("/admin/courriels?etat=failed");
    admin.get("/admin/courriels").await.assert_contains("Le courriel est remis dans la file");
    assert!(!with_conn(&app, |conn| retry(conn, failed[0].id).unwrap()), "already back in the queue");
    // A real server then takes it.
    let Some(smtp) = SmtpSink::start() else { return };
    assert_eq!(OutboxWorker::new(app.pool.clone(), smtp.mailer()).run_once().await.unwrap(), 1);
    assert_eq!(smtp.received().len(), 1);
}

/// Brings every waiting message's next attempt to now, as if its delay had passed.
fn make_due(conn: &mut encommun::storage::DbConnection) {
    use diesel::RunQueryDsl;
    diesel::sql_query("UPDATE outbox_messages SET next_attempt_at = created_at WHERE state = 'pending'")
        .execute(conn)
        .unwrap();
}

async fn two_workers_deliver_a_thousand_messages_exactly_once_even_when_one_dies(app: TestApp) {
    let Some(smtp) = SmtpSink::start() else { return };
    with_conn(&app, |conn| {
        encommun::storage::write_transaction(conn, |conn| {
            for n in 0..1000 {
                let (key, to) = (format!("abonnement-{n}:2026-11-24"), format!("abonne-{n}@exemple.fr"));
                assert!(enqueue(conn, &message(&key, &to, None))?);
            }
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap()
    });
    // A worker claims fifty messages for a second, then dies without sending them.
    let dead = with_conn(&app, |conn| claim(conn, "instance-morte", 50, TimeDelta::seconds(1)).unwrap());
    assert_eq!(dead.len(), 50);
    // Two live workers, on their own connections, send the rest at the same time, then what the dead one held.
    let (mut first, mut second) = (worker(&app, smtp.mailer()), worker(&app, smtp.mailer()));
    first.batch = 40;
    second.batch = 40;
    let (a, b) = tokio::join!(drain(&app, first.clone()), drain(&app, second.clone()));
    assert_eq!(a + b, 1000, "every message sent once between the two ({a} + {b})");
    assert!(a > 0 && b > 0, "both workers took part ({a} + {b})");
    // The dead worker's late acknowledgement changes nothing: its claim was taken over.
    assert!(!with_conn(&app, |conn| mark_sent(conn, dead[0].id, "instance-morte").unwrap()));
    let received = smtp.received();
    let ids: std::collections::BTreeSet<String> = received.iter().map(|m| headers(m)["message-id"].clone()).collect();
    assert_eq!((received.len(), ids.len()), (1000, 1000), "a thousand messages, none twice");
    with_conn(&app, |conn| assert_eq!(counts_by_state(conn).unwrap(), [("sent".to_owned(), 1000)]));
}
