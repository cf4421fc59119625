//! The platform's e-mails. Each function returns both parts, written from the same facts; French, plain words,
//! the link given in full so it can be copied when a mail client hides buttons.

use maud::{html, Markup, DOCTYPE};

use super::Email;
use crate::domain::digest::{Digest, Item, ToldSection};
use crate::domain::text::que;

/// Who sends every message, under a rule: the end of the HTML layout.
fn signature() -> Markup {
    html! {
        hr;
        p style="font-size: 14px; color: #555;" { "encommun — plateforme des projets partagés entre territoires." }
    }
}

/// The layout of every message's HTML part.
fn html_page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head { meta charset="utf-8"; title { (title) } }
            body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #1e1e1e; max-width: 40em;" {
                (body)
                (signature())
            }
        }
    }
    .into_string()
}

/// What a message's HTML part says, without the layout around it: the web version of a digest shows it in a page
/// (whose CSP would refuse the layout's inline styles). Messages queued before a change of layout keep their body.
pub fn content_of(html: &str) -> &str {
    let body = html.split_once("<body").and_then(|(_, rest)| rest.split_once('>')).map_or("", |(_, inside)| inside);
    let body = body.split_once("</body>").map_or(body, |(inside, _)| inside);
    body.strip_suffix(signature().into_string().as_str()).unwrap_or(body)
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

/// The follow-up meeting of an adopted plan comes: `what` is « plan d’action de … ».
pub fn follow_up_reminder(
    to: &str,
    name: &str,
    what: &str,
    meeting: &crate::storage::events::Event,
    review_link: &str,
    event_link: &str,
) -> Email {
    // Events are kept in French local time.
    let when = meeting.starts_at;
    let date = when.format("%d/%m/%Y à %Hh%M").to_string();
    let place = meeting.place.as_deref().or(meeting.online_url.as_deref()).unwrap_or("");
    let subject = format!("Rendez-vous de suivi du {what} le {}", when.format("%d/%m/%Y"));
    let text = format!(
        "Bonjour {name},\n\nLe rendez-vous de suivi du {what}, six mois après son adoption, a lieu le {date} ({place}).\n\n\
         Pour le préparer : où en est chaque action, les obstacles rencontrés, les moyens de les lever, les dernières \
         mesures des indicateurs. La revue se saisit ici :\n\n{review_link}\n\nLe rendez-vous : {event_link}\n"
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour " (name) "," }
            p { "Le rendez-vous de suivi du " (what) ", six mois après son adoption, a lieu le " strong { (date) } " (" (place) ")." }
            p { "Pour le préparer : où en est chaque action, les obstacles rencontrés, les moyens de les lever, les dernières mesures des indicateurs." }
            p { a href=(review_link) { "Préparer la revue de suivi" } }
            p { "Adresse complète : " (review_link) }
            p { a href=(event_link) { "Le rendez-vous" } " (pour l’ajouter à votre agenda)." }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// A respondent asked to be told what came of a survey: the territory's restitution is published. Nothing about
/// their own answers (the address was kept apart from them); `forget` is the one-click link that erases the address
/// wherever else it was left.
pub fn restitution_published(to: &str, territory: &str, page: &str, forget: &str) -> Email {
    let subject = format!("Ce qui a été fait de votre parole : la restitution {territory}");
    let text = format!(
        "Bonjour,\n\nVous avez répondu à l’enquête menée auprès des habitants {territory} et demandé à savoir ce qu’elle \
         deviendrait. Le groupe d’enquête publie aujourd’hui sa restitution : ce que nous avons entendu, ce qui a été \
         décidé, et la suite.\n\n{page}\n\nVotre adresse n’a servi qu’à ce message : elle est effacée dès son envoi. Pour \
         l’effacer aussi des autres enquêtes où vous l’auriez laissée : {forget}\n"
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour," }
            p { "Vous avez répondu à l’enquête menée auprès des habitants " (territory) " et demandé à savoir ce qu’elle deviendrait. Le groupe d’enquête publie aujourd’hui sa restitution : ce que nous avons entendu, ce qui a été décidé, et la suite." }
            p { a href=(page) { "Lire la restitution" } }
            p { "Adresse complète : " (page) }
            p { "Votre adresse n’a servi qu’à ce message : elle est effacée dès son envoi. " a href=(forget) { "L’effacer aussi des autres enquêtes où vous l’auriez laissée" } "." }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// An inquiry-group member is invited to a meeting of their territory's restitution (its calendar file attached).
pub fn restitution_meeting(
    to: &str,
    name: &str,
    territory: &str,
    meeting: &crate::storage::events::Event,
    event_link: &str,
    restitution_link: &str,
) -> Email {
    // Events are kept in French local time.
    let date = meeting.starts_at.format("%d/%m/%Y à %Hh%M").to_string();
    let place = meeting.place.as_deref().or(meeting.online_url.as_deref()).unwrap_or("");
    let subject = format!(
        "Restitution aux habitants {territory} : « {} » le {}",
        meeting.title,
        meeting.starts_at.format("%d/%m/%Y")
    );
    let text = format!(
        "Bonjour {name},\n\nLe groupe d’enquête retourne vers les habitants pour leur montrer ce qui a été fait de \
         leur parole : « {} », le {date} ({place}). Vous êtes invité·e à y participer.\n\nLe rendez-vous (pour \
         l’ajouter à votre agenda, le fichier est joint) : {event_link}\nLa restitution : {restitution_link}\n\n\
         Après la rencontre, notez qui elle a touché sur la page de la restitution.\n",
        meeting.title
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour " (name) "," }
            p { "Le groupe d’enquête retourne vers les habitants pour leur montrer ce qui a été fait de leur parole : « " (meeting.title) " », le " strong { (date) } " (" (place) "). Vous êtes invité·e à y participer." }
            p { a href=(event_link) { "Le rendez-vous" } " (le fichier d’agenda est joint)." }
            p { a href=(restitution_link) { "La restitution" } }
            p { "Après la rencontre, notez qui elle a touché sur la page de la restitution." }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// A meeting of the project's steering committee, to one of its members (the agenda file joined).
pub fn steering_meeting(
    to: &str,
    name: &str,
    project_title: &str,
    meeting: &crate::storage::events::Event,
    event_link: &str,
) -> Email {
    // Events are kept in French local time.
    let date = meeting.starts_at.format("%d/%m/%Y à %Hh%M").to_string();
    let place = meeting.place.as_deref().or(meeting.online_url.as_deref()).unwrap_or("");
    let subject =
        format!("Comité de pilotage du projet « {project_title} » le {}", meeting.starts_at.format("%d/%m/%Y"));
    let text = format!(
        "Bonjour {name},\n\nLe comité de pilotage du projet « {project_title} » se réunit : « {} », le {date} \
         ({place}). Vous y êtes invité·e en tant que membre.\n\nLe fichier d’agenda est joint. Le rendez-vous, avec \
         votre compte : {event_link}\n",
        meeting.title
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour " (name) "," }
            p { "Le comité de pilotage du projet « " (project_title) " » se réunit : « " (meeting.title) " », le " strong { (date) } " (" (place) "). Vous y êtes invité·e en tant que membre." }
            p { "Le fichier d’agenda est joint. " a href=(event_link) { "Le rendez-vous" } ", avec votre compte." }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// The owner of an entry of the resource base (`what`: « Votre retour d’expérience », « Votre fiche de l’annuaire »)
/// is asked to check it again, a year after it was last checked.
pub fn resource_check(
    to: &str,
    name: &str,
    what: &str,
    title: &str,
    checked_at: chrono::NaiveDateTime,
    link: &str,
) -> Email {
    let checked = checked_at.format("%d/%m/%Y").to_string();
    let subject = format!("{what} « {title} » est-elle toujours à jour ?");
    let text = format!(
        "Bonjour {name},\n\n{what} « {title} » a été vérifiée pour la dernière fois le {checked}. Relisez-la : si \
         elle est toujours juste, confirmez-le d’un clic sur sa page ; sinon, corrigez-la. Sans vérification, elle \
         sera signalée aux lecteurs comme peut-être dépassée.\n\n{link}\n"
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour " (name) "," }
            p { (what) " « " (title) " » a été vérifiée pour la dernière fois le " (checked) ". Relisez-la : si elle est toujours juste, confirmez-le d’un clic sur sa page ; sinon, corrigez-la. Sans vérification, elle sera signalée aux lecteurs comme peut-être dépassée." }
            p { a href=(link) { "Relire la fiche" } }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// New messages in a person's peer group: only that, and the link (what is written there stays there).
pub fn peer_group_news(to: &str, name: &str, page: &str, stop: &str) -> Email {
    let subject = "Nouveau message dans votre groupe de pairs".to_owned();
    let text = format!(
        "Bonjour {name},\n\nNouveau message dans votre groupe de pairs.\n\nLe lire : {page}\n\nPour ne plus être \
         prévenu·e : {stop}\n"
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour " (name) "," }
            p { "Nouveau message dans votre groupe de pairs." }
            p { a href=(page) { "Le lire" } }
            p { "Adresse complète : " (page) }
            p { a href=(stop) { "Ne plus être prévenu·e" } }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

/// New messages on a project's forum: each thread's title, link and how many new messages.
pub fn forum_news(to: &str, name: &str, project: &str, threads: &[(String, String, i64)], stop: &str) -> Email {
    let total: i64 = threads.iter().map(|(_, _, n)| n).sum();
    let plural = if total > 1 { "x messages" } else { "au message" };
    let subject = format!("Forum « {project} » : {total} nouve{plural}");
    let lines: String = threads
        .iter()
        .map(|(title, url, n)| format!("- {title} ({n} nouve{}) : {url}\n", if *n > 1 { "aux" } else { "au" }))
        .collect();
    let text = format!(
        "Bonjour {name},\n\nDu nouveau sur le forum du projet « {project} » :\n\n{lines}\nPour ne plus être \
         prévenu·e : {stop}\n"
    );
    let html = html_page(
        &subject,
        html! {
            p { "Bonjour " (name) "," }
            p { "Du nouveau sur le forum du projet « " (project) " » :" }
            ul { @for (title, url, n) in threads { li { a href=(url) { (title) } " (" (n) " nouve" @if *n > 1 { "aux" } @else { "au" } ")" } } }
            p { a href=(stop) { "Ne plus être prévenu·e" } }
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

/// The links every digest carries: its web version, the subscriber's preferences, and stopping every digest.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestLinks {
    pub web_version: String,
    pub preferences: String,
    pub unsubscribe: String,
}

/// A digest, as one subscriber receives it. `name` is empty for an address without an account; `with_calendar`
/// says the events it announces are attached.
pub struct DigestMail<'a> {
    pub name: &'a str,
    pub digest: &'a Digest,
    pub links: &'a DigestLinks,
    pub with_calendar: bool,
}

const CALENDAR_NOTE: &str =
    "Les rendez-vous annoncés sont joints à ce courriel (fichier rendez-vous.ics) : ouvrez-le pour les ajouter à votre agenda.";

fn day(item: &Item) -> String {
    item.at.format("%d/%m").to_string()
}

/// "1 autre nouvelle", "3 autres nouvelles": what the cap left out of a section, or None.
fn untold(section: &ToldSection) -> Option<String> {
    match section.untold {
        0 => None,
        1 => Some("1 autre nouvelle".to_owned()),
        n => Some(format!("{n} autres nouvelles")),
    }
}

/// Both parts from the same sections, in the order `domain::digest::compose` chose, each item's summary as
/// written in the text part and escaped in the HTML.
pub fn digest(to: &str, mail: &DigestMail) -> Email {
    let (digest, links) = (mail.digest, mail.links);
    let subject = match digest.total {
        1 => format!("Du nouveau : {}", digest.sections.first().map_or("", |s| s.title.as_str())),
        total => format!("{total} nouvelles de ce que vous suivez"),
    };
    let hello = if mail.name.is_empty() { "Bonjour,".to_owned() } else { format!("Bonjour {},", mail.name) };
    let intro = "Voici ce qui s’est passé dans ce que vous suivez.";
    let mut text = format!("{hello}\n\n{intro}\nLire ce courriel dans le navigateur : {}\n", links.web_version);
    for section in &digest.sections {
        text.push_str(&format!("\n{}\n{}\n", section.title, "=".repeat(section.title.chars().count())));
        for item in &section.told {
            text.push_str(&format!("- {} : {}\n", day(item), item.summary));
        }
        if let Some(more) = untold(section) {
            text.push_str(&format!("… et {more} : {}\n", section.url));
        }
    }
    if mail.with_calendar {
        text.push_str(&format!("\n{CALENDAR_NOTE}\n"));
    }
    text.push_str(&format!(
        "\nChoisir ce que vous suivez et à quelle fréquence : {}\nNe plus recevoir aucun récapitulatif : {}\n",
        links.preferences, links.unsubscribe
    ));
    let html = html_page(
        &subject,
        html! {
            p { (hello) }
            p { (intro) " " a href=(links.web_version) { "Lire ce courriel dans le navigateur" } }
            @for section in &digest.sections {
                h2 { a href=(section.url) { (section.title) } }
                @if !section.told.is_empty() {
                    ul { @for item in &section.told { li { (day(item)) " : " (item.summary) } } }
                }
                @if let Some(more) = untold(section) { p { a href=(section.url) { "… et " (more) " sur sa page" } } }
            }
            @if mail.with_calendar { p { (CALENDAR_NOTE) } }
            p {
                a href=(links.preferences) { "Choisir ce que vous suivez et à quelle fréquence" }
                " · " a href=(links.unsubscribe) { "Ne plus recevoir aucun récapitulatif" }
            }
        },
    );
    Email { to: to.to_owned(), subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::activity::ActivityKind;
    use crate::domain::digest::{compose, tests::two_projects, Section};

    fn links() -> DigestLinks {
        DigestLinks {
            web_version: "http://x/courriels/k/sig".into(),
            preferences: "http://x/abonnements/gerer/1/sig".into(),
            unsubscribe: "http://x/desabonnement/1/sig".into(),
        }
    }

    fn digest_to(name: &str, sections: &[Section], with_calendar: bool) -> Email {
        let digest = compose(sections).unwrap();
        super::digest("sophie@exemple.fr", &DigestMail { name, digest: &digest, links: &links(), with_calendar })
    }

    #[test]
    fn a_digest_tells_the_important_first_caps_and_counts_the_rest() {
        let sections = two_projects();
        let mail = digest_to("Sophie", &sections, true);
        assert_eq!(mail.subject, "14 nouvelles de ce que vous suivez");
        assert!(mail.text.starts_with("Bonjour Sophie,\n"));
        assert!(mail.text.contains("Lire ce courriel dans le navigateur : http://x/courriels/k/sig"));
        assert!(mail.text.contains("fichier rendez-vous.ics"));
        let first = mail.text.find("Le projet passe au diagnostic").unwrap();
        assert!(first < mail.text.find("Inscription 12").unwrap(), "the phase change comes first");
        assert!(
            mail.text.find("Inscription 12").unwrap() < mail.text.find("Inscription 11").unwrap(),
            "then the most recent"
        );
        assert!(mail.text.contains("… et 3 autres nouvelles : http://x/projets/1"));
        assert!(!mail.text.contains("Une actualité"), "the cap is for the whole digest");
        assert!(mail.text.contains("… et 1 autre nouvelle : http://x/projets/2"));
        assert!(mail.html.contains("Mobilités &lt;rurales&gt;") && !mail.html.contains("<rurales>"));
        assert!(mail.text.contains("Ne plus recevoir aucun récapitulatif : http://x/desabonnement/1/sig"));
        assert!(mail.html.contains("href=\"http://x/abonnements/gerer/1/sig\""));
        let anonymous = digest_to("", &sections[1..], false);
        assert!(anonymous.text.starts_with("Bonjour,\n") && !anonymous.text.contains(".ics"));
        assert_eq!(anonymous.subject, "Du nouveau : Mobilités <rurales>");
    }

    #[test]
    fn an_item_is_escaped_in_the_html_part_and_verbatim_in_the_text() {
        let summary = r#"Atelier <« Eau & climat »> : "venez" l'après-midi"#;
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).and_then(|d| d.and_hms_opt(10, 0, 0)).unwrap();
        let item = Item { kind: Some(ActivityKind::NewsPosted), summary: summary.into(), at };
        let section = Section { title: "Eau".into(), url: "http://x/projets/1".into(), items: vec![item] };
        let mail = digest_to("Sophie", &[section], false);
        assert!(mail.text.contains(&format!("- 24/11 : {summary}\n")), "{}", mail.text);
        let escaped = "Atelier &lt;« Eau &amp; climat »&gt; : &quot;venez&quot; l'après-midi";
        assert!(mail.html.contains(&format!("<li>24/11 : {escaped}</li>")), "{}", mail.html);
        assert!(!mail.html.contains(summary) && !mail.html.contains("<«"));
    }

    #[test]
    fn the_web_version_reads_a_message_without_its_layout() {
        let mail = digest_to("Sophie", &two_projects(), false);
        let content = content_of(&mail.html);
        assert!(content.starts_with("<p>Bonjour Sophie,</p>") && content.contains("Inscription 12"), "{content}");
        assert!(!content.contains("encommun — plateforme") && !content.contains("style="), "{content}");
        // A digest queued before the layout was shared.
        assert_eq!(
            content_of("<html><body><p>Bonjour,</p><hr><p>Liens</p></body></html>"),
            "<p>Bonjour,</p><hr><p>Liens</p>"
        );
    }
}
