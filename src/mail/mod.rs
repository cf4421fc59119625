//! Outgoing e-mail: every message is built in `messages` (subject, plain text and HTML from one place) and sent
//! through the configured transport: a folder of `.eml` files by default, SMTP in production.

pub mod links;
pub mod messages;
pub mod newsletters;

use anyhow::Context;
use lettre::message::header::ContentType;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{MailConfig, MailTransport, SmtpTls};
use crate::storage::outbox::OutboxMessage;

/// A message ready to send, in both parts.
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// How a queued e-mail goes beyond its two parts.
#[derive(Default)]
pub struct Extras<'a> {
    /// The one-click unsubscribe (RFC 8058).
    pub unsubscribe: Option<&'a str>,
    /// An iCalendar file, attached as « rendez-vous.ics ».
    pub calendar: Option<&'a str>,
    /// The address was given for this message only: sending it forgets the address (see
    /// `storage::outbox::NewOutboxMessage::forget_recipient`).
    pub forget_recipient: bool,
}

/// Queues an e-mail in the outbox, in the caller's transaction, under its idempotency key (see `storage::outbox`);
/// false when a message with that key was queued before.
pub fn queue(
    conn: &mut crate::storage::DbConnection,
    key: &str,
    kind: &str,
    email: &Email,
    unsubscribe: Option<&str>,
) -> crate::storage::QueryResult<bool> {
    queue_with(conn, key, kind, email, Extras { unsubscribe, ..Extras::default() })
}

/// [`queue`], with an attachment or an address to forget once sent.
pub fn queue_with(
    conn: &mut crate::storage::DbConnection,
    key: &str,
    kind: &str,
    email: &Email,
    extras: Extras,
) -> crate::storage::QueryResult<bool> {
    crate::storage::outbox::enqueue(
        conn,
        &crate::storage::outbox::NewOutboxMessage {
            idempotency_key: key,
            kind,
            recipient: &email.to,
            subject: &email.subject,
            text_body: &email.text,
            html_body: &email.html,
            unsubscribe_url: extras.unsubscribe,
            calendar: extras.calendar,
            forget_recipient: extras.forget_recipient,
        },
    )
}

/// What an outbox message adds to an e-mail.
struct Queued<'a> {
    message_id: String,
    unsubscribe: Option<&'a str>,
    calendar: Option<&'a str>,
}

#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

#[derive(Clone)]
enum Transport {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn new(config: &MailConfig) -> anyhow::Result<Mailer> {
        let from: Mailbox =
            config.from.parse().with_context(|| format!("adresse d’expédition « {} » invalide", config.from))?;
        let transport = match &config.transport {
            MailTransport::File(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("création du dossier de courriels {}", dir.display()))?;
                Transport::File(AsyncFileTransport::new(dir))
            }
            MailTransport::Smtp { host, port, username, password, tls } => {
                let builder = match tls {
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
                    SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
                    SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                };
                let builder = builder.port(*port);
                let builder = match (username, password) {
                    (Some(user), Some(pass)) => builder.credentials(Credentials::new(user.clone(), pass.clone())),
                    _ => builder,
                };
                Transport::Smtp(builder.build())
            }
        };
        Ok(Mailer { from, transport })
    }

    pub async fn send(&self, email: Email) -> anyhow::Result<()> {
        self.deliver(email, None).await
    }

    /// Sends a message of the outbox: its `Message-ID` comes from its idempotency key (a message sent twice after
    /// a crash is recognisably the same), and a subscription's message carries the one-click unsubscribe headers
    /// of RFC 8058.
    pub async fn send_queued(&self, message: &OutboxMessage) -> anyhow::Result<()> {
        let email = Email {
            to: message.recipient.clone(),
            subject: message.subject.clone(),
            text: message.text_body.clone(),
            html: message.html_body.clone(),
        };
        let domain = self.from.email.domain().to_owned();
        let id = format!("<outbox-{}@{domain}>", &crate::security::token_digest(&message.idempotency_key)[..32]);
        let queued = Queued {
            message_id: id,
            unsubscribe: message.unsubscribe_url.as_deref(),
            calendar: message.calendar.as_deref(),
        };
        self.deliver(email, Some(queued)).await
    }

    async fn deliver(&self, email: Email, queued: Option<Queued<'_>>) -> anyhow::Result<()> {
        let to: Mailbox =
            email.to.parse().with_context(|| format!("adresse destinataire « {} » invalide", email.to))?;
        let mut builder = Message::builder().from(self.from.clone()).to(to).subject(email.subject);
        let mut calendar = None;
        if let Some(Queued { message_id, unsubscribe, calendar: ics }) = queued {
            builder = builder.message_id(Some(message_id));
            calendar = ics;
            if let Some(url) = unsubscribe {
                builder = builder
                    .raw_header(HeaderValue::new(
                        HeaderName::new_from_ascii_str("List-Unsubscribe"),
                        format!("<{url}>"),
                    ))
                    .raw_header(HeaderValue::new(
                        HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                        "List-Unsubscribe=One-Click".into(),
                    ));
            }
        }
        let body = MultiPart::alternative_plain_html(email.text, email.html);
        // Events travel as an attachment calendars open ("rendez-vous.ics").
        let body = match calendar {
            Some(ics) => MultiPart::mixed().multipart(body).singlepart(
                Attachment::new("rendez-vous.ics".into())
                    .body(ics.to_owned(), ContentType::parse("text/calendar; charset=utf-8")?),
            ),
            None => body,
        };
        let message = builder.multipart(body).context("composition du courriel")?;
        match &self.transport {
            Transport::File(t) => {
                t.send(message).await.context("écriture du courriel")?;
            }
            Transport::Smtp(t) => {
                t.send(message).await.context("envoi SMTP")?;
            }
        }
        Ok(())
    }
}
