//! Programmes (docs/product.md § Programmes): the templates a project is opened from. A programme holds the
//! participant bounds, the phases it uses and their default durations, its seminar plan (which events, per
//! territory or for the whole project, in which phase and which week of it), the delegations' categories, a
//! charter and the deliverables expected. It travels as a versioned file (JSON or TOML, the same fields) and is
//! stored as that file's JSON, one row per version.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::community::NewCategory;
use super::project::{one_line, EventKind, Phase, PhaseSet, MAX_PARTICIPANTS_LIMIT};
use super::text::bounded_text;

/// What the `format` field of a programme file says.
pub const FORMAT: &str = "encommun-programme";
/// The version of the file's layout (not of the programme): raised when a field changes meaning.
pub const FORMAT_VERSION: u32 = 1;
/// The longest a phase may last, in weeks (two years).
pub const MAX_WEEKS: u32 = 104;
const MAX_SEMINARS: usize = 60;
const MAX_CATEGORIES: usize = 12;
const MAX_DELIVERABLES: usize = 20;

/// The built-in programmes, by their stable name: the agency's three, shipped in the binary.
pub const BUILT_IN: [(&str, &str); 3] = [
    ("territoires-en-commun", include_str!("programmes/territoires-en-commun.toml")),
    ("fabriques-prospectives", include_str!("programmes/fabriques-prospectives.toml")),
    ("cohorte", include_str!("programmes/cohorte.toml")),
];

/// The events a seminar plan may hold: the others (workshops, follow-up meetings, restitutions) are created by
/// their own features.
pub const PLAN_KINDS: [EventKind; 6] = [
    EventKind::LocalSeminar,
    EventKind::InterSiteSeminar,
    EventKind::PeerExchange,
    EventKind::Supervision,
    EventKind::SteeringCommittee,
    EventKind::Meeting,
];

/// A programme as its file writes it: codes and numbers as people type them, checked by [`Programme::check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeSource {
    pub name: String,
    #[serde(default)]
    pub summary: String,
    pub min_participants: i32,
    pub max_participants: i32,
    pub charter: String,
    #[serde(default)]
    pub deliverables: Vec<String>,
    pub phases: Vec<PhaseSource>,
    #[serde(default)]
    pub seminars: Vec<SeminarSource>,
    pub categories: Vec<CategorySource>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseSource {
    pub phase: String,
    pub weeks: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeminarSource {
    pub title: String,
    pub kind: String,
    pub phase: String,
    /// The week of its phase it falls in, from 1.
    pub week: u32,
    pub hours: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorySource {
    pub label: String,
    pub member: String,
}

/// The whole file: its layout's version, the version of the programme it was exported from, the programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgrammeFile {
    format: String,
    format_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<i32>,
    programme: ProgrammeSource,
}

/// A checked programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub name: String,
    pub summary: String,
    pub min_participants: i32,
    pub max_participants: i32,
    pub charter: String,
    pub deliverables: Vec<String>,
    /// The phases used, in the lifecycle's order, with their weeks; `closed` is never among them.
    pub phases: Vec<(Phase, u32)>,
    pub seminars: Vec<Seminar>,
    /// (the group's label, a member's label), as `domain::community` has them.
    pub categories: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seminar {
    pub title: String,
    pub kind: EventKind,
    pub phase: Phase,
    pub week: u32,
    pub hours: u32,
}

impl Seminar {
    /// A local seminar is held on each participant territory; the other kinds once for the whole project.
    pub fn per_territory(&self) -> bool {
        self.kind == EventKind::LocalSeminar
    }
}

/// A phase as the calendar plans it: from its first day to its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedPhase {
    pub phase: Phase,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// A seminar of the plan, dated (Paris time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSeminar<'a> {
    pub seminar: &'a Seminar,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

/// Where a checked field went wrong: the form's field name and the French message, which names the line.
pub type ProgrammeError = (String, String);

impl Programme {
    /// Checks a programme as typed in the form or read from a file; every mistake is reported, each naming where
    /// it is (« Séminaire 3 (« Lancement ») : … »).
    pub fn check(source: &ProgrammeSource) -> Result<Programme, Vec<ProgrammeError>> {
        let mut errors: Vec<ProgrammeError> = Vec::new();
        let mut fail = |field: String, message: String| errors.push((field, message));
        let name = one_line(&source.name, "Le nom du programme", 3, 120).map_err(|e| fail("name".into(), e)).ok();
        let summary =
            bounded_text(&source.summary, "La présentation", 0, 4_000).map_err(|e| fail("summary".into(), e)).ok();
        let charter = bounded_text(&source.charter, "Le modèle de charte", 10, 20_000)
            .map_err(|e| fail("charter".into(), e))
            .ok();
        let limit = MAX_PARTICIPANTS_LIMIT;
        if !(1..=limit).contains(&source.min_participants) {
            fail("min_participants".into(), format!("Le nombre minimum de participantes va de 1 à {limit}."));
        }
        if !(1..=limit).contains(&source.max_participants) {
            fail("max_participants".into(), format!("Le nombre maximum de participantes va de 1 à {limit}."));
        } else if source.max_participants < source.min_participants {
            fail("max_participants".into(), "Le maximum de participantes ne peut être inférieur au minimum.".into());
        }

        let mut deliverables = Vec::new();
        for (n, text) in source.deliverables.iter().enumerate() {
            match one_line(text, &format!("Le livrable {}", n + 1), 0, 200) {
                Ok(text) if text.is_empty() => {}
                Ok(text) => deliverables.push(text),
                Err(e) => fail("deliverables".into(), e),
            }
        }
        if deliverables.len() > MAX_DELIVERABLES {
            fail("deliverables".into(), format!("Un programme attend au plus {MAX_DELIVERABLES} livrables."));
        }

        let phases = check_phases(&source.phases, &mut fail);
        let used = |phase: Phase| phases.iter().any(|(p, _)| *p == phase);
        let weeks_of = |phase: Phase| phases.iter().find(|(p, _)| *p == phase).map_or(0, |(_, w)| *w);

        let mut seminars = Vec::new();
        if source.seminars.len() > MAX_SEMINARS {
            fail("seminars".into(), format!("Un plan compte au plus {MAX_SEMINARS} rendez-vous."));
        }
        for (n, row) in source.seminars.iter().enumerate() {
            let field = |what: &str| format!("seminar_{n}_{what}");
            let named = format!("Rendez-vous {}{}", n + 1, quoted(&row.title));
            let title =
                one_line(&row.title, "Le titre", 3, 150).map_err(|e| fail(field("title"), format!("{named} : {e}")));
            let kind = match EventKind::parse(&row.kind) {
                Ok(kind) if PLAN_KINDS.contains(&kind) => Ok(kind),
                _ => Err(format!("{named} : choisissez un type de rendez-vous du plan.")),
            }
            .map_err(|e| fail(field("kind"), e));
            let phase = match Phase::parse(&row.phase) {
                Some(phase) if used(phase) => Ok(phase),
                Some(phase) if phase != Phase::Closed => {
                    Err(format!("{named} : le programme ne prévoit pas la phase « {} ».", phase.label()))
                }
                _ => Err(format!("{named} : choisissez une phase du programme.")),
            }
            .map_err(|e| fail(field("phase"), e));
            if let (Ok(EventKind::LocalSeminar), Ok(Phase::Enrolment)) = (&kind, &phase) {
                fail(
                    field("phase"),
                    format!(
                        "{named} : un séminaire local a lieu sur chaque territoire participant, connus à la fin des \
                         inscriptions : placez-le dans une phase suivante."
                    ),
                );
            }
            if let Ok(phase) = &phase {
                let weeks = weeks_of(*phase);
                if row.week < 1 || row.week > weeks {
                    fail(
                        field("week"),
                        format!("{named} : la semaine va de 1 à {weeks}, la durée de la phase « {} ».", phase.label()),
                    );
                }
            }
            if !(1..=12).contains(&row.hours) {
                fail(field("hours"), format!("{named} : la durée va de 1 à 12 heures."));
            }
            if let (Ok(title), Ok(kind), Ok(phase)) = (title, kind, phase) {
                seminars.push(Seminar { title, kind, phase, week: row.week, hours: row.hours });
            }
        }

        let mut categories: Vec<(String, String)> = Vec::new();
        if source.categories.is_empty() {
            fail("categories".into(), "Indiquez au moins une catégorie d’acteurs des délégations.".into());
        }
        if source.categories.len() > MAX_CATEGORIES {
            fail("categories".into(), format!("Une délégation compte au plus {MAX_CATEGORIES} catégories."));
        }
        for (n, row) in source.categories.iter().enumerate() {
            // A member's name left blank is the group's: « Élus » has « Élus » for each.
            let member = if row.member.trim().is_empty() { &row.label } else { &row.member };
            match NewCategory::parse(&row.label, member) {
                Ok(NewCategory { label, .. })
                    if categories.iter().any(|(l, _)| l.to_lowercase() == label.to_lowercase()) =>
                {
                    fail("categories".into(), format!("La catégorie « {label} » figure deux fois."));
                }
                Ok(NewCategory { label, member_label }) => categories.push((label, member_label)),
                Err(errors) => {
                    for (_, e) in errors {
                        fail("categories".into(), format!("Catégorie {} : {e}", n + 1));
                    }
                }
            }
        }

        match (name, summary, charter) {
            (Some(name), Some(summary), Some(charter)) if errors.is_empty() => Ok(Programme {
                name,
                summary,
                min_participants: source.min_participants,
                max_participants: source.max_participants,
                charter,
                deliverables,
                phases,
                seminars,
                categories,
            }),
            _ => Err(errors),
        }
    }

    /// The source this programme is written back as (export, storage, the edit form).
    pub fn source(&self) -> ProgrammeSource {
        ProgrammeSource {
            name: self.name.clone(),
            summary: self.summary.clone(),
            min_participants: self.min_participants,
            max_participants: self.max_participants,
            charter: self.charter.clone(),
            deliverables: self.deliverables.clone(),
            phases: self.phases.iter().map(|(p, w)| PhaseSource { phase: p.code().into(), weeks: *w }).collect(),
            seminars: self
                .seminars
                .iter()
                .map(|s| SeminarSource {
                    title: s.title.clone(),
                    kind: s.kind.code().into(),
                    phase: s.phase.code().into(),
                    week: s.week,
                    hours: s.hours,
                })
                .collect(),
            categories: self
                .categories
                .iter()
                .map(|(label, member)| CategorySource { label: label.clone(), member: member.clone() })
                .collect(),
        }
    }

    /// The lifecycle's phases it leaves out.
    pub fn skipped(&self) -> PhaseSet {
        Phase::ALL
            .into_iter()
            .filter(|p| *p != Phase::Closed && !self.phases.iter().any(|(used, _)| used == p))
            .fold(PhaseSet::default(), PhaseSet::with)
    }

    pub fn total_weeks(&self) -> u32 {
        self.phases.iter().map(|(_, w)| w).sum()
    }

    /// The weeks of the programme each phase spans, from the first (1) to the last, as (phase, first, last).
    pub fn week_spans(&self) -> Vec<(Phase, u32, u32)> {
        let mut first = 1;
        self.phases
            .iter()
            .map(|(phase, weeks)| {
                let span = (*phase, first, first + weeks - 1);
                first += weeks;
                span
            })
            .collect()
    }

    /// The phases dated one after the other from `starts_on`; those before `from` are left out (the calendar of
    /// what remains, from a phase's actual start).
    pub fn calendar(&self, from: Phase, starts_on: NaiveDate) -> Vec<PlannedPhase> {
        let mut day = starts_on;
        let mut planned = Vec::new();
        for (phase, weeks) in self.phases.iter().filter(|(p, _)| *p >= from) {
            let ends_on = day + TimeDelta::weeks(i64::from(*weeks)) - TimeDelta::days(1);
            planned.push(PlannedPhase { phase: *phase, starts_on: day, ends_on });
            day = ends_on + TimeDelta::days(1);
        }
        planned
    }

    /// The seminars of the phases `calendar` dates, at half past nine on the Monday of their week (Paris time).
    pub fn dated_seminars<'a>(&'a self, calendar: &[PlannedPhase]) -> Vec<PlannedSeminar<'a>> {
        let start_time = NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default();
        self.seminars
            .iter()
            .filter_map(|seminar| {
                let phase = calendar.iter().find(|p| p.phase == seminar.phase)?;
                let day = phase.starts_on + TimeDelta::weeks(i64::from(seminar.week) - 1);
                let monday = day - TimeDelta::days(i64::from(chrono::Datelike::weekday(&day).num_days_from_monday()));
                let day = monday.max(phase.starts_on);
                let starts_at = day.and_time(start_time);
                Some(PlannedSeminar {
                    seminar,
                    starts_at,
                    ends_at: starts_at + TimeDelta::hours(i64::from(seminar.hours)),
                })
            })
            .collect()
    }

    /// The file of this programme: JSON, pretty-printed, or TOML.
    pub fn to_json(&self, version: Option<i32>) -> String {
        let file = self.file(version);
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    pub fn to_toml(&self, version: Option<i32>) -> String {
        toml::to_string(&self.file(version)).unwrap_or_default()
    }

    fn file(&self, version: Option<i32>) -> ProgrammeFile {
        ProgrammeFile { format: FORMAT.into(), format_version: FORMAT_VERSION, version, programme: self.source() }
    }

    /// Reads a programme file, JSON or TOML (told apart by its first character), and checks it. The errors are
    /// French and say where (the line and column of a syntax error, the row of a wrong value).
    pub fn read_file(text: &str) -> Result<Programme, Vec<String>> {
        let text = text.trim_start_matches('\u{feff}');
        let file: ProgrammeFile = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| {
                vec![format!(
                    "Le fichier JSON est illisible ligne {}, colonne {} : {}.",
                    e.line(),
                    e.column(),
                    english_hint(&e.to_string())
                )]
            })?
        } else {
            toml::from_str(text).map_err(|e| {
                let place = e.span().map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    format!(" ligne {}", before.matches('\n').count() + 1)
                });
                vec![format!(
                    "Le fichier TOML est illisible{} : {}.",
                    place.unwrap_or_default(),
                    english_hint(e.message())
                )]
            })?
        };
        if file.format != FORMAT {
            return Err(vec![format!(
                "Ce fichier n’est pas un programme d’encommun (« format » doit valoir « {FORMAT} »)."
            )]);
        }
        if file.format_version != FORMAT_VERSION {
            return Err(vec![format!(
                "Ce fichier suit la version {} du format ; cette version d’encommun lit la version {FORMAT_VERSION}.",
                file.format_version
            )]);
        }
        Programme::check(&file.programme).map_err(|errors| errors.into_iter().map(|(_, message)| message).collect())
    }

    /// A built-in programme, by its stable name.
    pub fn built_in(slug: &str) -> Option<Programme> {
        BUILT_IN.iter().find(|(s, _)| *s == slug).and_then(|(_, text)| Programme::read_file(text).ok())
    }

    /// Reads the definition storage keeps (the JSON of its file).
    pub fn from_stored(json: &str) -> Option<Programme> {
        Programme::read_file(json).ok()
    }
}

fn check_phases(rows: &[PhaseSource], fail: &mut impl FnMut(String, String)) -> Vec<(Phase, u32)> {
    let mut phases: Vec<(Phase, u32)> = Vec::new();
    for row in rows {
        let Some(phase) = Phase::parse(&row.phase).filter(|p| *p != Phase::Closed) else {
            fail("phases".into(), format!("La phase « {} » n’existe pas dans le cycle du projet.", row.phase));
            continue;
        };
        let field = format!("weeks_{}", phase.code());
        if phases.iter().any(|(p, _)| *p == phase) {
            fail(field, format!("La phase « {} » figure deux fois.", phase.label()));
        } else if phases.last().is_some_and(|(last, _)| *last > phase) {
            fail(field, format!("La phase « {} » est placée hors de l’ordre du cycle.", phase.label()));
        } else if !(1..=MAX_WEEKS).contains(&row.weeks) {
            fail(field, format!("La durée de la phase « {} » va de 1 à {MAX_WEEKS} semaines.", phase.label()));
        } else {
            phases.push((phase, row.weeks));
        }
    }
    for phase in Phase::ALL.into_iter().filter(|p| *p != Phase::Closed && !Phase::OPTIONAL.contains(p)) {
        if !rows.iter().any(|row| Phase::parse(&row.phase) == Some(phase)) {
            fail(
                format!("weeks_{}", phase.code()),
                format!("La phase « {} » fait partie de tout programme : indiquez sa durée.", phase.label()),
            );
        }
    }
    phases
}

fn quoted(title: &str) -> String {
    match title.trim() {
        "" => String::new(),
        title => format!(" (« {title} »)"),
    }
}

/// The parsers' messages are English: the commonest are said in French, the others kept after a French lead.
fn english_hint(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("il manque le champ « {} »", field.trim_matches('`'));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest).replace('`', "");
        return format!("le champ « {field} » n’est pas connu");
    }
    if message.starts_with("invalid type") {
        return format!("une valeur n’a pas le bon type ({message})");
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_programmes_are_valid() {
        for (slug, _) in BUILT_IN {
            let programme = Programme::built_in(slug).unwrap_or_else(|| panic!("{slug}"));
            assert!(!programme.seminars.is_empty() && !programme.categories.is_empty(), "{slug}");
        }
        let tec = Programme::built_in("territoires-en-commun").unwrap();
        assert_eq!((tec.min_participants, tec.max_participants), (3, 5));
        assert_eq!(tec.phases.len(), 7, "the eight phases, closing aside");
        let fabriques = Programme::built_in("fabriques-prospectives").unwrap();
        assert_eq!((fabriques.min_participants, fabriques.max_participants), (4, 8));
        let local = fabriques.seminars.iter().filter(|s| s.per_territory()).count();
        let inter_site = fabriques.seminars.iter().filter(|s| s.kind == EventKind::InterSiteSeminar).count();
        assert_eq!((local, inter_site), (4, 4), "four local seminars per territory, four inter-site");
        assert!(fabriques.seminars.iter().any(|s| s.kind == EventKind::SteeringCommittee));
        let cohort = Programme::built_in("cohorte").unwrap();
        assert_eq!(cohort.max_participants, 10);
        assert_eq!(cohort.categories.len(), 4);
    }

    #[test]
    fn a_file_round_trips_through_json_and_toml() {
        for (slug, _) in BUILT_IN {
            let programme = Programme::built_in(slug).unwrap();
            assert_eq!(Programme::read_file(&programme.to_json(Some(3))), Ok(programme.clone()), "{slug} JSON");
            assert_eq!(Programme::read_file(&programme.to_toml(Some(3))), Ok(programme.clone()), "{slug} TOML");
        }
    }

    #[test]
    fn mistakes_are_named_where_they_are() {
        let mut source = Programme::built_in("territoires-en-commun").unwrap().source();
        source.min_participants = 6;
        source.seminars[1].phase = "restitution_imaginaire".into();
        source.seminars[5].week = 99;
        source.phases.retain(|p| p.phase != "diagnostic");
        let errors = Programme::check(&source).unwrap_err();
        let all = errors.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join("\n");
        assert!(all.contains("inférieur au minimum"), "{all}");
        assert!(all.contains("Rendez-vous 2 (« ") && all.contains("choisissez une phase"), "{all}");
        assert!(all.contains("Rendez-vous 6") && all.contains("la semaine va de 1 à 16"), "{all}");
        assert!(all.contains("« Diagnostic » fait partie de tout programme"), "{all}");
        assert!(errors.iter().any(|(field, _)| field == "seminar_5_week"), "{errors:?}");
        assert!(all.contains("ne prévoit pas la phase « Diagnostic »"), "{all}");

        let broken = "format = \"encommun-programme\"\nformat_version = 1\n[programme]\nname = \"X\"\nnom = 3\n";
        let error = Programme::read_file(broken).unwrap_err().join(" ");
        assert!(error.contains("TOML") && error.contains("ligne"), "{error}");
        let error = Programme::read_file("{\"format\": \"autre\"").unwrap_err().join(" ");
        assert!(error.contains("JSON") && error.contains("ligne 1"), "{error}");
    }

    #[test]
    fn the_calendar_follows_the_durations() {
        let programme = Programme::built_in("fabriques-prospectives").unwrap();
        let monday = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        let calendar = programme.calendar(Phase::Enrolment, monday);
        assert_eq!(calendar[0].starts_on, monday);
        for pair in calendar.windows(2) {
            assert_eq!(pair[1].starts_on, pair[0].ends_on + TimeDelta::days(1));
        }
        let total = calendar.last().unwrap().ends_on - monday + TimeDelta::days(1);
        assert_eq!(total.num_weeks(), i64::from(programme.total_weeks()));
        assert!(!calendar.iter().any(|p| p.phase == Phase::Restitution), "the Fabriques leave the restitution out");
        let rest = programme.calendar(Phase::Diagnostic, monday);
        assert_eq!(rest[0].phase, Phase::Diagnostic);
        for dated in programme.dated_seminars(&rest) {
            let phase = rest.iter().find(|p| p.phase == dated.seminar.phase).unwrap();
            assert!(dated.starts_at.date() >= phase.starts_on && dated.starts_at.date() <= phase.ends_on);
            assert_eq!(chrono::Datelike::weekday(&dated.starts_at.date()), chrono::Weekday::Mon);
        }
        assert_eq!(programme.skipped().codes(), "restitution");
        let spans = programme.week_spans();
        assert_eq!(spans.first().map(|s| s.1), Some(1));
        assert_eq!(spans.last().map(|s| s.2), Some(programme.total_weeks()));
    }
}
