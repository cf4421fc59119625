//! The resource base (docs/product.md § Resource base): experience reports and the directory of participation and
//! cooperation actors. Each entry says when it was last checked; its owner is reminded to check it again after
//! [`CHECK_AFTER`], and an entry not checked for [`STALE_AFTER`] is shown as such.

use chrono::{NaiveDateTime, TimeDelta};

use super::inspiration::{parse_links, Link};
use super::project::one_line;
use super::text::{bounded_text, errors_of};

/// When the owner of an entry is asked to check it again.
pub const CHECK_AFTER: TimeDelta = TimeDelta::days(365);
/// When an entry not checked is shown as possibly out of date.
pub const STALE_AFTER: TimeDelta = TimeDelta::days(730);

/// How fresh an entry is, from the day it was last checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    /// Its owner is asked to check it.
    Due,
    /// Not checked for long: readers are warned.
    Stale,
}

impl Freshness {
    pub fn of(checked_at: NaiveDateTime, now: NaiveDateTime) -> Freshness {
        let age = now - checked_at;
        if age >= STALE_AFTER {
            Freshness::Stale
        } else if age >= CHECK_AFTER {
            Freshness::Due
        } else {
            Freshness::Fresh
        }
    }
}

/// Where an entry stands: proposed by a collectivity and waiting for the agency, published, or refused (with the
/// reason, told to its author).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryStatus {
    Proposed,
    Published,
    Refused,
}

impl EntryStatus {
    pub fn code(self) -> &'static str {
        match self {
            EntryStatus::Proposed => "proposed",
            EntryStatus::Published => "published",
            EntryStatus::Refused => "refused",
        }
    }

    pub fn parse(code: &str) -> Option<EntryStatus> {
        [EntryStatus::Proposed, EntryStatus::Published, EntryStatus::Refused].into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryStatus::Proposed => "Proposé, en attente de relecture",
            EntryStatus::Published => "Publié",
            EntryStatus::Refused => "Non retenu",
        }
    }
}

/// An experience report as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportText {
    pub title: String,
    /// The official code of the territory it took place on (INSEE, SIREN), resolved by the caller.
    pub territory_code: String,
    pub method: String,
    pub duration: String,
    pub cost: String,
    pub done: String,
    pub results: String,
    pub difficulties: String,
    pub contact: String,
    pub links: Vec<Link>,
}

pub struct ReportInput<'a> {
    pub title: &'a str,
    pub territory_code: &'a str,
    pub method: &'a str,
    pub duration: &'a str,
    pub cost: &'a str,
    pub done: &'a str,
    pub results: &'a str,
    pub difficulties: &'a str,
    pub contact: &'a str,
    pub links: &'a str,
}

impl ReportText {
    pub fn parse(input: &ReportInput) -> Result<ReportText, Vec<(&'static str, String)>> {
        let title = one_line(input.title, "Le titre", 5, 150);
        let territory_code = match input.territory_code.trim() {
            "" => Err("Indiquez le territoire : son code INSEE (commune) ou son SIREN (intercommunalité).".to_owned()),
            code => Ok(code.to_uppercase()),
        };
        let method = one_line(input.method, "La méthode", 3, 200);
        let duration = one_line(input.duration, "La durée", 0, 100);
        let cost = one_line(input.cost, "Le coût", 0, 100);
        let done = bounded_text(input.done, "Ce qui a été fait", 20, 20_000);
        let results = bounded_text(input.results, "Les résultats", 0, 10_000);
        let difficulties = bounded_text(input.difficulties, "Les difficultés", 0, 10_000);
        let contact = one_line(input.contact, "Le contact", 0, 300);
        let links = parse_links(input.links);
        match (title, territory_code, method, duration, cost, done, results, difficulties, contact, links) {
            (
                Ok(title),
                Ok(territory_code),
                Ok(method),
                Ok(duration),
                Ok(cost),
                Ok(done),
                Ok(results),
                Ok(difficulties),
                Ok(contact),
                Ok(links),
            ) => Ok(ReportText {
                title,
                territory_code,
                method,
                duration,
                cost,
                done,
                results,
                difficulties,
                contact,
                links,
            }),
            (title, territory_code, method, duration, cost, done, results, difficulties, contact, links) => {
                Err(errors_of(vec![
                    ("title", title.err()),
                    ("territory_code", territory_code.err()),
                    ("method", method.err()),
                    ("duration", duration.err()),
                    ("cost", cost.err()),
                    ("done", done.err()),
                    ("results", results.err()),
                    ("difficulties", difficulties.err()),
                    ("contact", contact.err()),
                    ("links", links.err()),
                ]))
            }
        }
    }
}

/// What a directory's actor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Consultancy,
    Association,
    Network,
    Research,
    Other,
}

impl ActorKind {
    pub const ALL: [ActorKind; 5] =
        [ActorKind::Consultancy, ActorKind::Association, ActorKind::Network, ActorKind::Research, ActorKind::Other];

    pub fn code(self) -> &'static str {
        match self {
            ActorKind::Consultancy => "consultancy",
            ActorKind::Association => "association",
            ActorKind::Network => "network",
            ActorKind::Research => "research",
            ActorKind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Result<ActorKind, String> {
        ActorKind::ALL
            .into_iter()
            .find(|k| k.code() == code.trim())
            .ok_or_else(|| "Choisissez le type d’acteur dans la liste.".into())
    }

    pub fn label(self) -> &'static str {
        match self {
            ActorKind::Consultancy => "Cabinet de conseil",
            ActorKind::Association => "Association",
            ActorKind::Network => "Réseau",
            ActorKind::Research => "Recherche",
            ActorKind::Other => "Autre",
        }
    }
}

/// At most this many skills on an entry.
const MAX_SKILLS: usize = 15;

/// A directory entry as written. The territories it serves are départements by their number and whole régions as
/// « R » and their code (R75), checked against the stored territories by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryText {
    pub name: String,
    pub kind: ActorKind,
    pub siret: Option<String>,
    pub skills: Vec<String>,
    pub served: Vec<String>,
    pub nationwide: bool,
    pub description: String,
    pub contact: String,
    pub links: Vec<Link>,
}

pub struct DirectoryInput<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub siret: &'a str,
    pub skills: &'a str,
    pub served: &'a str,
    pub nationwide: bool,
    pub description: &'a str,
    pub contact: &'a str,
    pub links: &'a str,
}

impl DirectoryText {
    pub fn parse(input: &DirectoryInput) -> Result<DirectoryText, Vec<(&'static str, String)>> {
        let name = one_line(input.name, "Le nom", 2, 150);
        let kind = ActorKind::parse(input.kind);
        let siret = match input.siret.trim() {
            "" => Ok(None),
            siret => parse_siret(siret).map(Some),
        };
        let skills = parse_skills(input.skills);
        let served: Vec<String> = input
            .served
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|code| !code.is_empty())
            .map(str::to_uppercase)
            .collect();
        // A département by its number (86, 2A, 971), a whole région by « R » and its code (R75): the numbers of
        // départements and régions overlap (75 is Paris and Nouvelle-Aquitaine).
        let valid = |code: &str| match code.strip_prefix('R') {
            Some(region) => region.len() == 2 && region.chars().all(|c| c.is_ascii_digit()),
            None => (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()),
        };
        let served = match served.iter().find(|c| !valid(c)) {
            Some(code) => Err(format!("« {code} » n’est pas un numéro de département (86, 2A, 971…).")),
            None if served.is_empty() && !input.nationwide => {
                Err("Indiquez les départements ou régions où il intervient, ou « partout en France ».".into())
            }
            None => Ok(served),
        };
        let description = bounded_text(input.description, "La présentation", 20, 5_000);
        let contact = one_line(input.contact, "Le contact", 0, 300);
        let links = parse_links(input.links);
        match (name, kind, siret, skills, served, description, contact, links) {
            (Ok(name), Ok(kind), Ok(siret), Ok(skills), Ok(served), Ok(description), Ok(contact), Ok(links)) => {
                Ok(DirectoryText {
                    name,
                    kind,
                    siret,
                    skills,
                    served,
                    nationwide: input.nationwide,
                    description,
                    contact,
                    links,
                })
            }
            (name, kind, siret, skills, served, description, contact, links) => Err(errors_of(vec![
                ("name", name.err()),
                ("kind", kind.err()),
                ("siret", siret.err()),
                ("skills", skills.err()),
                ("served", served.err()),
                ("description", description.err()),
                ("contact", contact.err()),
                ("links", links.err()),
            ])),
        }
    }
}

/// Skills separated by commas or lines, each kept as typed (trimmed), without repeats.
pub fn parse_skills(input: &str) -> Result<Vec<String>, String> {
    let mut skills: Vec<String> = Vec::new();
    for skill in input.split([',', '\n', ';']).map(str::trim).filter(|s| !s.is_empty()) {
        let skill = one_line(skill, "Une compétence", 2, 60)?;
        if !skills.iter().any(|s| s.to_lowercase() == skill.to_lowercase()) {
            skills.push(skill);
        }
    }
    if skills.len() > MAX_SKILLS {
        return Err(format!("Compétences : {MAX_SKILLS} au plus ({} saisies).", skills.len()));
    }
    Ok(skills)
}

/// The reason the agency gives for not publishing a proposal: its author reads it.
pub fn parse_refusal(reason: &str) -> Result<String, String> {
    one_line(reason, "La raison", 5, 500)
}

/// A SIRET: 14 digits whose Luhn sum is a multiple of 10 — save La Poste's establishments (SIREN 356000000), whose
/// sum of digits is. Spaces and dots as people type them are allowed.
pub fn parse_siret(input: &str) -> Result<String, String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '\u{a0}' | '\u{202f}')).collect();
    if digits.len() != 14 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("Le SIRET compte 14 chiffres (le SIREN de 9 chiffres puis le numéro d’établissement).".into());
    }
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let valid = if digits.starts_with("356000000") {
        values.iter().sum::<u32>() % 5 == 0
    } else {
        let luhn: u32 = values
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| if i % 2 == 1 { (d * 2) / 10 + (d * 2) % 10 } else { *d })
            .sum();
        luhn % 10 == 0
    };
    if !valid {
        return Err(format!(
            "Le SIRET {digits} n’existe pas : un chiffre est faux (la clé de contrôle ne correspond pas)."
        ));
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sirets_are_checked_by_their_key() {
        // A key that holds, typed with spaces; La Poste's rule; one wrong digit.
        assert_eq!(parse_siret("130 026 032 00008"), Ok("13002603200008".into()));
        assert_eq!(parse_siret("35600000000001"), Ok("35600000000001".into()));
        assert!(parse_siret("13002603200009").unwrap_err().contains("clé de contrôle"));
        assert!(parse_siret("1300260320001").unwrap_err().contains("14 chiffres"));
        assert!(parse_siret("1300260320001A").is_err());
    }

    #[test]
    fn a_directory_entry_names_each_mistake() {
        let input = |siret: &'static str, served: &'static str, nationwide: bool| DirectoryInput {
            name: "Coopérative Place publique",
            kind: "consultancy",
            siret,
            skills: "concertation, Concertation, enquête ; facilitation",
            served,
            nationwide,
            description: "Accompagne les collectivités dans leurs démarches de participation.",
            contact: "",
            links: "",
        };
        let entry = DirectoryText::parse(&input("130 026 032 00008", "86 79, 2a r24", false)).unwrap();
        assert_eq!(entry.skills, ["concertation", "enquête", "facilitation"]);
        assert_eq!(entry.served, ["86", "79", "2A", "R24"]);
        assert!(DirectoryText::parse(&input("", "", true)).is_ok());
        let errors = DirectoryText::parse(&input("13002603200009", "", false)).unwrap_err();
        assert_eq!(errors.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["siret", "served"]);
        let errors = DirectoryText::parse(&input("", "Vienne", false)).unwrap_err();
        assert!(errors[0].1.contains("« VIENNE »"), "{errors:?}");
    }

    #[test]
    fn entries_age_from_fresh_to_due_to_stale() {
        let checked = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(Freshness::of(checked, checked + TimeDelta::days(100)), Freshness::Fresh);
        assert_eq!(Freshness::of(checked, checked + CHECK_AFTER), Freshness::Due);
        assert_eq!(Freshness::of(checked, checked + STALE_AFTER), Freshness::Stale);
    }

    #[test]
    fn a_report_names_each_mistake() {
        let errors = ReportText::parse(&ReportInput {
            title: "Bus",
            territory_code: "",
            method: "Porte-à-porte",
            duration: "",
            cost: "",
            done: "Trop court",
            results: "",
            difficulties: "",
            contact: "",
            links: "javascript:alert(1)",
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["title", "territory_code", "done", "links"]);
    }
}
