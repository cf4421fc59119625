//! E-mail digests (DESIGN.md §1 step 6): how often a person hears of a project, when a digest is due (at a local
//! hour, Europe/Paris), and what it says — the most important first, capped, with the rest counted and linked.

use crate::domain::activity::ActivityKind;
use crate::domain::paris::paris_time;
use chrono::{Datelike, NaiveDateTime, Timelike};

/// How often a subscription sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Immediate,
    Daily,
    Weekly,
    Off,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [Frequency::Immediate, Frequency::Daily, Frequency::Weekly, Frequency::Off];

    pub fn code(self) -> &'static str {
        match self {
            Frequency::Immediate => "immediate",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Off => "off",
        }
    }

    pub fn parse(code: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::Immediate => "À chaque nouvelle",
            Frequency::Daily => "Un récapitulatif par jour",
            Frequency::Weekly => "Un récapitulatif par semaine",
            Frequency::Off => "Aucun courriel",
        }
    }
}

pub const WEEKDAYS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/// The period a digest is due for at `now` (UTC), or None when it is not time: a daily digest is due from the
/// sending hour of each day ("2026-11-24"), a weekly one from that hour on its weekday ("2026-W48"); an
/// immediate one is always due ("maintenant": its messages are told apart by their last item).
pub fn due_period(frequency: Frequency, weekday: u32, now: NaiveDateTime, send_hour: u32) -> Option<String> {
    let local = paris_time(now);
    match frequency {
        Frequency::Off => None,
        Frequency::Immediate => Some("maintenant".into()),
        Frequency::Daily if local.hour() >= send_hour => Some(local.date().format("%Y-%m-%d").to_string()),
        Frequency::Weekly
            if local.hour() >= send_hour && local.weekday().number_from_monday() == weekday.clamp(1, 7) =>
        {
            let week = local.iso_week();
            Some(format!("{}-W{:02}", week.year(), week.week()))
        }
        Frequency::Daily | Frequency::Weekly => None,
    }
}

/// One thing that happened, as a digest tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// None for a kind this version does not know: told after the others.
    pub kind: Option<ActivityKind>,
    pub summary: String,
    pub at: NaiveDateTime,
}

/// A project's part of a digest.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub url: String,
    pub items: Vec<Item>,
}

/// A digest ready to queue, both parts from the same sections.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn rank(kind: Option<ActivityKind>) -> u8 {
    kind.map_or(u8::MAX, ActivityKind::digest_rank)
}

/// Items told at most in one digest; the rest is counted with a link to the project.
pub const CAP: usize = 10;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The links every digest carries: its web version, the subscriber's preferences, and stopping every digest.
#[derive(Debug, Clone, PartialEq)]
pub struct MailLinks {
    pub web_version: String,
    pub preferences: String,
    pub unsubscribe: String,
}

/// Composes a digest: sections in the order given, items most important first then most recent, at most
/// [`CAP`] in all, "N autres" linking to the project for the rest. `name` is empty for an address without an
/// account; `with_calendar` says events are attached. None when nothing happened.
pub fn compose(name: &str, sections: &[Section], links: &MailLinks, with_calendar: bool) -> Option<DigestMail> {
    let total: usize = sections.iter().map(|s| s.items.len()).sum();
    if total == 0 {
        return None;
    }
    let hello = if name.is_empty() { "Bonjour,".to_owned() } else { format!("Bonjour {name},") };
    let mut budget = CAP;
    let mut text = format!(
        "{hello}\n\nVoici ce qui s’est passé dans ce que vous suivez.\nLire ce courriel dans le navigateur : {}\n",
        links.web_version
    );
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Quoi de neuf</title></head><body>\
         <p>{}</p><p>Voici ce qui s’est passé dans ce que vous suivez. <a href=\"{}\">Lire ce courriel dans le navigateur</a></p>",
        escape(&hello),
        escape(&links.web_version)
    );
    for section in sections.iter().filter(|s| !s.items.is_empty()) {
        let mut items = section.items.clone();
        items.sort_by(|a, b| rank(a.kind).cmp(&rank(b.kind)).then(b.at.cmp(&a.at)));
        let told = items.len().min(budget);
        budget -= told;
        text.push_str(&format!("\n{}\n{}\n", section.title, "=".repeat(section.title.chars().count())));
        html.push_str(&format!("<h2><a href=\"{}\">{}</a></h2><ul>", escape(&section.url), escape(&section.title)));
        for item in &items[..told] {
            let day = item.at.format("%d/%m");
            text.push_str(&format!("- {day} : {}\n", item.summary));
            html.push_str(&format!("<li>{day} : {}</li>", escape(&item.summary)));
        }
        html.push_str("</ul>");
        let rest = items.len() - told;
        if rest > 0 {
            let more = if rest == 1 { "1 autre nouvelle".to_owned() } else { format!("{rest} autres nouvelles") };
            text.push_str(&format!("… et {more} : {}\n", section.url));
            html.push_str(&format!("<p><a href=\"{}\">… et {more} sur sa page</a></p>", escape(&section.url)));
        }
    }
    if with_calendar {
        let note = "Les rendez-vous annoncés sont joints à ce courriel (fichier rendez-vous.ics) : ouvrez-le pour les ajouter à votre agenda.";
        text.push_str(&format!("\n{note}\n"));
        html.push_str(&format!("<p>{note}</p>"));
    }
    text.push_str(&format!(
        "\nChoisir ce que vous suivez et à quelle fréquence : {}\nNe plus recevoir aucun récapitulatif : {}\n",
        links.preferences, links.unsubscribe
    ));
    html.push_str(&format!(
        "<hr><p><a href=\"{}\">Choisir ce que vous suivez et à quelle fréquence</a> · <a href=\"{}\">Ne plus recevoir aucun récapitulatif</a></p></body></html>",
        escape(&links.preferences),
        escape(&links.unsubscribe)
    ));
    let subject = if total == 1 {
        format!("Du nouveau : {}", sections.iter().find(|s| !s.items.is_empty()).map_or("", |s| s.title.as_str()))
    } else {
        format!("{total} nouvelles de ce que vous suivez")
    };
    Some(DigestMail { subject, text, html })
}

/// The name of a weekday (1 = Monday).
pub fn weekday_name(weekday: u32) -> &'static str {
    WEEKDAYS[(weekday.clamp(1, 7) - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn digests_are_due_from_their_local_hour() {
        // Tuesday 24 November 2026, 08:00 in Paris is 07:00 UTC.
        assert_eq!(due_period(Frequency::Daily, 1, at("2026-11-24 06:59"), 8), None);
        assert_eq!(due_period(Frequency::Daily, 1, at("2026-11-24 07:00"), 8).as_deref(), Some("2026-11-24"));
        assert_eq!(due_period(Frequency::Weekly, 2, at("2026-11-24 07:00"), 8).as_deref(), Some("2026-W48"));
        assert_eq!(due_period(Frequency::Weekly, 1, at("2026-11-24 07:00"), 8), None, "Monday's is not due on Tuesday");
        assert_eq!(due_period(Frequency::Off, 2, at("2026-11-24 07:00"), 8), None);
        // In summer, 08:00 in Paris is 06:00 UTC.
        assert_eq!(due_period(Frequency::Daily, 1, at("2026-07-01 06:00"), 8).as_deref(), Some("2026-07-01"));
    }

    fn item(kind: ActivityKind, summary: &str, day: u32) -> Item {
        Item { kind: Some(kind), summary: summary.into(), at: at(&format!("2026-11-{day:02} 10:00")) }
    }

    #[test]
    fn a_digest_tells_the_important_first_caps_and_counts_the_rest() {
        let mut items: Vec<Item> =
            (1..=12).map(|d| item(ActivityKind::EnrolledParticipant, &format!("Inscription {d}"), d)).collect();
        items.push(item(ActivityKind::PhaseChanged, "Le projet passe au diagnostic", 2));
        let sections = vec![
            Section { title: "Alimentation durable".into(), url: "http://x/projets/1".into(), items },
            Section {
                title: "Mobilités <rurales>".into(),
                url: "http://x/projets/2".into(),
                items: vec![item(ActivityKind::NewsPosted, "Une actualité", 3)],
            },
        ];
        let links = MailLinks {
            web_version: "http://x/courriels/k/sig".into(),
            preferences: "http://x/abonnements/gerer/1/sig".into(),
            unsubscribe: "http://x/desabonnement/1/sig".into(),
        };
        let mail = compose("Sophie", &sections, &links, true).unwrap();
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
        let anonymous = compose("", &sections[1..], &links, false).unwrap();
        assert!(anonymous.text.starts_with("Bonjour,\n") && !anonymous.text.contains(".ics"));
        assert_eq!(anonymous.subject, "Du nouveau : Mobilités <rurales>");
        assert_eq!(compose("Sophie", &[], &links, false), None, "nothing happened, nothing is sent");
    }
}
