//! E-mail digests (docs/product.md § Lifecycle, step 6): how often a person hears of a project, when a digest is due
//! (at a local hour, Europe/Paris), and what it tells — the most important first, capped, with the rest counted. The
//! words and the markup are `mail::messages::digest`'s, like every other message's.

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

fn rank(kind: Option<ActivityKind>) -> u8 {
    kind.map_or(u8::MAX, ActivityKind::digest_rank)
}

/// Items told at most in one digest; the rest is counted with a link to the project.
pub const CAP: usize = 10;

/// What a digest tells, in the order it tells it; `mail::messages::digest` writes it in both parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    /// The sections with something to tell, in the order given.
    pub sections: Vec<ToldSection>,
    /// Every item of every section, told or only counted.
    pub total: usize,
}

/// A section as the digest tells it: its most important items, and how many more its page holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ToldSection {
    pub title: String,
    pub url: String,
    /// Most important first, then most recent.
    pub told: Vec<Item>,
    /// Items left out by the cap, for the link to the section's page.
    pub untold: usize,
}

/// Composes a digest: sections in the order given, items most important first then most recent, at most
/// [`CAP`] in all, the rest counted per section. None when nothing happened.
pub fn compose(sections: &[Section]) -> Option<Digest> {
    let total: usize = sections.iter().map(|s| s.items.len()).sum();
    if total == 0 {
        return None;
    }
    let mut budget = CAP;
    let sections = sections
        .iter()
        .filter(|s| !s.items.is_empty())
        .map(|section| {
            let mut items = section.items.clone();
            items.sort_by(|a, b| rank(a.kind).cmp(&rank(b.kind)).then(b.at.cmp(&a.at)));
            let told = items.len().min(budget);
            budget -= told;
            let untold = items.len() - told;
            items.truncate(told);
            ToldSection { title: section.title.clone(), url: section.url.clone(), told: items, untold }
        })
        .collect();
    Some(Digest { sections, total })
}

/// The name of a weekday (1 = Monday).
pub fn weekday_name(weekday: u32) -> &'static str {
    WEEKDAYS[(weekday.clamp(1, 7) - 1) as usize]
}

#[cfg(test)]
pub(crate) mod tests {
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

    /// Two projects' news: twelve enrolments and a phase change in the first, a news item in the second, whose
    /// title an HTML part must escape.
    pub(crate) fn two_projects() -> Vec<Section> {
        let mut items: Vec<Item> =
            (1..=12).map(|d| item(ActivityKind::EnrolledParticipant, &format!("Inscription {d}"), d)).collect();
        items.push(item(ActivityKind::PhaseChanged, "Le projet passe au diagnostic", 2));
        vec![
            Section { title: "Alimentation durable".into(), url: "http://x/projets/1".into(), items },
            Section {
                title: "Mobilités <rurales>".into(),
                url: "http://x/projets/2".into(),
                items: vec![item(ActivityKind::NewsPosted, "Une actualité", 3)],
            },
        ]
    }

    #[test]
    fn a_digest_tells_the_important_first_caps_and_counts_the_rest() {
        let mut sections = two_projects();
        sections.insert(1, Section { title: "Rien de neuf".into(), url: "http://x/projets/3".into(), items: vec![] });
        let digest = compose(&sections).unwrap();
        assert_eq!(digest.total, 14);
        let titles: Vec<&str> = digest.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Alimentation durable", "Mobilités <rurales>"], "in the order given, none empty");
        let first = &digest.sections[0];
        let summaries: Vec<&str> = first.told.iter().map(|i| i.summary.as_str()).collect();
        assert_eq!(summaries[..3], ["Le projet passe au diagnostic", "Inscription 12", "Inscription 11"]);
        assert_eq!((first.told.len(), first.untold), (10, 3));
        assert_eq!(
            (digest.sections[1].told.len(), digest.sections[1].untold),
            (0, 1),
            "the cap is for the whole digest"
        );
        assert_eq!(compose(&[]), None, "nothing happened, nothing is sent");
    }
}
