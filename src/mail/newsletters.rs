//! Sending a project's newsletter: marked sent and one message queued per recipient, in the caller's
//! transaction, so that it goes once however many people press "send", and to everyone or to no one.

use super::links::Signed;
use super::messages::{newsletter, NewsletterMail};
use super::queue;
use crate::storage::newsletters::{mark_sent, recipients, Newsletter};
use crate::storage::{DbConnection, QueryResult};

/// How a sending ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sending {
    /// Queued for this many people.
    Sent(usize),
    /// Someone sent it first.
    AlreadySent,
    /// Its audience holds nobody today: nothing changed.
    Nobody,
}

/// Where the messages' links point and how they are signed.
pub struct LetterLinks<'a> {
    pub base_url: &'a str,
    pub key: &'a [u8],
    /// The letter's page in the public archive.
    pub archive_url: &'a str,
}

/// Sends `letter` (a draft) on behalf of `user_id`. Call it inside `storage::write_transaction`.
pub fn send_newsletter(
    conn: &mut DbConnection,
    letter: &Newsletter,
    project_title: &str,
    user_id: i64,
    links: &LetterLinks,
) -> QueryResult<Sending> {
    let content = letter.content();
    let recipients = recipients(conn, letter.project_id, content.audience)?;
    if recipients.is_empty() {
        return Ok(Sending::Nobody);
    }
    if !mark_sent(conn, letter, user_id, recipients.len(), project_title)? {
        return Ok(Sending::AlreadySent);
    }
    for recipient in &recipients {
        let url = |signed: Signed| format!("{}{}", links.base_url, signed.path(links.key));
        let (preferences, unsubscribe) =
            (url(Signed::Preferences(recipient.subscriber_id)), url(Signed::Unsubscribe(recipient.subscriber_id)));
        let mail = newsletter(
            &recipient.email,
            &NewsletterMail {
                project_title,
                letter: &content,
                archive_url: links.archive_url,
                links: Some((&preferences, &unsubscribe)),
                test: false,
            },
        );
        let key = format!("newsletter:{}:s{}", letter.id, recipient.subscriber_id);
        queue(conn, &key, "newsletter", &mail, Some(&unsubscribe))?;
    }
    Ok(Sending::Sent(recipients.len()))
}
