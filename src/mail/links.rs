//! The signed links e-mails carry: they act without logging in — stop every digest, choose what one follows and
//! how often, confirm a subscription, read a message in the browser — the HMAC of what they name being the proof.
//! The key is derived from the session key (`startup::link_key`).

use crate::security::{sign, verify_signature};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed<'a> {
    /// Stops every digest of a subscriber (RFC 8058 one-click).
    Unsubscribe(i64),
    /// A subscriber's subscriptions and their frequency.
    Preferences(i64),
    /// Confirms a subscription asked with an e-mail address (double opt-in).
    Confirmation(i64),
    /// A queued message, by its idempotency key, as a web page.
    WebVersion(&'a str),
    /// Forgets an address respondents left « to be told what came of it », named by its keyed digest
    /// (`address_digest`): the link names no address.
    ForgetAddress(&'a str),
    /// Stops the notices of new messages in one space a person follows (RFC 8058 one-click).
    StopFollowing(i64),
}

/// An address as the links and outbox keys name it: its keyed digest, which tells nothing without the key.
pub fn address_digest(key: &[u8], address: &str) -> String {
    sign(key, &format!("adresse:{}", crate::domain::restitution::one_person(address)))[..32].to_owned()
}

impl Signed<'_> {
    /// What is signed: the purpose and the identifier, so that one link's signature opens nothing else.
    fn message(&self) -> String {
        match self {
            Signed::Unsubscribe(id) => format!("desabonnement:{id}"),
            Signed::Preferences(id) => format!("abonnements:{id}"),
            Signed::Confirmation(id) => format!("confirmation:{id}"),
            Signed::WebVersion(key) => format!("courriel:{key}"),
            Signed::ForgetAddress(digest) => format!("oubli:{digest}"),
            Signed::StopFollowing(id) => format!("echanges:{id}"),
        }
    }

    pub fn path(&self, key: &[u8]) -> String {
        let signature = sign(key, &self.message());
        match self {
            Signed::Unsubscribe(id) => format!("/desabonnement/{id}/{signature}"),
            Signed::Preferences(id) => format!("/abonnements/gerer/{id}/{signature}"),
            Signed::Confirmation(id) => format!("/confirmation-abonnement/{id}/{signature}"),
            Signed::WebVersion(message) => format!("/courriels/{message}/{signature}"),
            Signed::ForgetAddress(digest) => format!("/oubli/{digest}/{signature}"),
            Signed::StopFollowing(id) => format!("/echanges/arret/{id}/{signature}"),
        }
    }

    pub fn verify(&self, key: &[u8], signature: &str) -> bool {
        verify_signature(key, &self.message(), signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_opens_only_what_it_names() {
        let key = b"cle de test";
        let path = Signed::Unsubscribe(7).path(key);
        let signature = path.rsplit('/').next().unwrap();
        assert!(path.starts_with("/desabonnement/7/"));
        assert!(Signed::Unsubscribe(7).verify(key, signature));
        assert!(!Signed::Unsubscribe(8).verify(key, signature), "another subscriber");
        assert!(!Signed::Preferences(7).verify(key, signature), "another purpose");
        assert!(!Signed::Unsubscribe(7).verify(b"autre cle", signature), "another key");
        let web = Signed::WebVersion("digest:s7:2026-11-24").path(key);
        assert!(web.starts_with("/courriels/digest:s7:2026-11-24/"));
    }
}
