//! The platform's e-mails. Each function returns both parts, written from the same facts; French, plain words,
//! the link given in full so it can be copied when a mail client hides buttons.

use maud::{html, Markup, DOCTYPE};

use super::Email;
use crate::domain::text::que;

fn html_page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head { meta charset="utf-8"; title { (title) } }
            body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #1e1e1e; max-width: 40em;" {
                (body)
                hr;
                p style="font-size: 14px; color: #555;" { "encommun — plateforme des projets partagés entre territoires." }
            }
        }
    }
    .into_string()
}

pub fn password_reset(to: &str, name: &str, link: &str, valid_minutes: i64) -> Email {
    let subject = "Choisir un nouveau mot de passe".to_owned();
    let text = format!(
        "Bonjour {name},\n\nUne demande de nouveau mot de passe a été faite pour votre compte encommun.\n\
         Pour choisir un nouveau mot de passe, ouvrez ce lien (valable {valid_minutes} minutes, une seule fois) :\n\n{link}\n\n\
         Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n"
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour " (name) "," }
            p { "Une demande de nouveau mot de passe a été faite pour votre compte encommun." }
            p { a href=(link) { "Choisir un nouveau mot de passe" } }
            p { "Ce lien est valable " (valid_minutes) " minutes et ne sert qu’une fois. Adresse complète : " (link) }
            p { "Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé." }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// `role` reads after "en tant que", e.g. "agent de Grand Châtellerault".
pub fn invitation(to: &str, inviter: &str, role: &str, link: &str, valid_days: i64) -> Email {
    let subject = format!("{inviter} vous invite sur encommun");
    let text = format!(
        "Bonjour,\n\n{inviter} vous invite à rejoindre la plateforme encommun en tant {}.\n\
         Pour accepter, ouvrez ce lien (valable {valid_days} jours) :\n\n{link}\n\n\
         Si vous ne connaissez pas cette personne, ignorez ce message.\n",
        que(role)
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour," }
            p { (inviter) " vous invite à rejoindre la plateforme encommun en tant " (que(role)) "." }
            p { a href=(link) { "Accepter l’invitation" } }
            p { "Ce lien est valable " (valid_days) " jours. Adresse complète : " (link) }
            p { "Si vous ne connaissez pas cette personne, ignorez ce message." }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// A freed seat went to the collectivity that waited for it: its referents hear of it at once.
pub fn seat_obtained(to: &str, name: &str, collectivity: &str, project: &str, link: &str) -> Email {
    let subject = format!("Une place de participante pour {collectivity} : {project}");
    let text = format!(
        "Bonjour {name},\n\nUne place de participante s’est libérée dans le projet « {project} » : {collectivity}, \
         qui attendait en liste d’attente, la prend. Elle est désormais participante et sa charte est signée.\n\n\
         Si elle ne souhaite plus participer, la page du projet permet de libérer cette place :\n\n{link}\n"
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour " (name) "," }
            p { "Une place de participante s’est libérée dans le projet « " (project) " » : " (collectivity) ", qui attendait en liste d’attente, la prend. Elle est désormais participante et sa charte est signée." }
            p { a href=(link) { "Voir le projet" } }
            p { "Si elle ne souhaite plus participer, la page du projet permet de libérer cette place. Adresse complète : " (link) }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// The double opt-in: someone asked, with this address, to follow `title`; nothing is sent until they confirm.
pub fn subscription_confirmation(to: &str, title: &str, link: &str) -> Email {
    let subject = format!("Confirmez votre abonnement : {title}");
    let text = format!(
        "Bonjour,\n\nQuelqu’un, sans doute vous, a demandé à recevoir par courriel les nouvelles de « {title} » sur \
         encommun.\nPour confirmer, ouvrez ce lien puis cliquez sur « Confirmer » :\n\n{link}\n\n\
         Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : sans confirmation, vous ne recevrez \
         rien et votre adresse sera effacée dans sept jours.\n"
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour," }
            p { "Quelqu’un, sans doute vous, a demandé à recevoir par courriel les nouvelles de « " (title) " » sur encommun." }
            p { a href=(link) { "Confirmer mon abonnement" } }
            p { "Adresse complète : " (link) }
            p { "Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : sans confirmation, vous ne recevrez rien et votre adresse sera effacée dans sept jours." }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// A project's newsletter, as one recipient receives it. `links` are the recipient's preferences and one-click
/// unsubscribe (None for a test sent to its author).
pub struct NewsletterMail<'a> {
    pub project_title: &'a str,
    pub letter: &'a crate::domain::newsletter::NewNewsletter,
    pub archive_url: &'a str,
    pub links: Option<(&'a str, &'a str)>,
    pub test: bool,
}

/// Both parts from the same rubrics: the Markdown as written in the text part, rendered (sanitised) in the HTML.
pub fn newsletter(to: &str, mail: &NewsletterMail) -> Email {
    use crate::domain::markdown::Markdown;
    let letter = mail.letter;
    let subject = format!("{}{} — {}", if mail.test { "[Essai] " } else { "" }, letter.title, mail.project_title);
    let mut text = format!(
        "{}\nLettre du projet « {} »\nLire en ligne : {}\n",
        letter.title, mail.project_title, mail.archive_url
    );
    for (rubric, body) in letter.written() {
        let label = rubric.label().to_uppercase();
        text.push_str(&format!("\n{label}\n{}\n\n{body}\n", "-".repeat(label.chars().count())));
    }
    let footer = "Vous recevez cette lettre parce que vous suivez ce projet, vous ou votre collectivité.";
    text.push_str(&format!("\n--\n{footer}\n"));
    if let Some((preferences, unsubscribe)) = mail.links {
        text.push_str(&format!("Choisir ce que vous suivez : {preferences}\nNe plus rien recevoir : {unsubscribe}\n"));
    }
    let html = html_page(
        &subject,
        html! {
            p style="font-size: 14px; color: #555;" {
                "Lettre du projet « " (mail.project_title) " » · " a href=(mail.archive_url) { "Lire en ligne" }
            }
            h1 { (letter.title) }
            @for (rubric, body) in letter.written() {
                h2 { (rubric.label()) }
                (Markdown(body))
            }
            p style="font-size: 14px; color: #555;" {
                (footer)
                @if let Some((preferences, unsubscribe)) = mail.links {
                    " " a href=(preferences) { "Choisir ce que vous suivez" } " · " a href=(unsubscribe) { "Ne plus rien recevoir" }
                }
            }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}
