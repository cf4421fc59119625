//! The territorial action plan (docs/product.md § Lifecycle, steps 6 and 7): axes and actions with their lead,
//! partners, dates, budget and funding, status and priority; indicators with a baseline, targets and measurements;
//! how far an action has gone and whether it is late; « l'étape d'après »; the adoption record and its act; the
//! content a version freezes and what changed between two versions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::project::parse_date;
use super::text::{bounded_text, clean_line, errors_of, fold};

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5_000;
pub const TEXT_MAX: usize = 10_000;
/// An adoption act uploaded as a PDF: ten megabytes hold a scanned deliberation of several pages.
pub const MAX_ACT_BYTES: usize = 10 * 1024 * 1024;
/// Amounts up to a hundred billion euros, in cents.
const MAX_CENTS: i64 = 10_000_000_000_000;
const MAX_VALUE: f64 = 1e12;

type FieldErrors = Vec<(&'static str, String)>;

/// Where an action stands (Territoires en Transitions' five statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionStatus {
    Planned,
    Ongoing,
    Done,
    Paused,
    Abandoned,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Planned,
        ActionStatus::Ongoing,
        ActionStatus::Done,
        ActionStatus::Paused,
        ActionStatus::Abandoned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Planned => "planned",
            ActionStatus::Ongoing => "ongoing",
            ActionStatus::Done => "done",
            ActionStatus::Paused => "paused",
            ActionStatus::Abandoned => "abandoned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Planned => "À venir",
            ActionStatus::Ongoing => "En cours",
            ActionStatus::Done => "Réalisée",
            ActionStatus::Paused => "En pause",
            ActionStatus::Abandoned => "Abandonnée",
        }
    }

    /// A code, or a label as a spreadsheet writes it (« en cours », « Réalisé », « abandonnée »…).
    pub fn parse(input: &str) -> Result<ActionStatus, String> {
        let folded = fold(input);
        ActionStatus::ALL
            .into_iter()
            .find(|s| {
                s.code() == input.trim()
                    || folded == fold(s.label())
                    || fold(s.label()).strip_suffix('e') == Some(folded.as_str())
                    || (*s == ActionStatus::Planned && (folded == "a faire" || folded == "prevue"))
                    || (*s == ActionStatus::Done && (folded == "terminee" || folded == "termine"))
            })
            .ok_or_else(|| {
                "Le statut doit être « à venir », « en cours », « réalisée », « en pause » ou « abandonnée »."
                    .to_owned()
            })
    }

    /// Paused and abandoned actions say why.
    pub fn needs_reason(self) -> bool {
        matches!(self, ActionStatus::Paused | ActionStatus::Abandoned)
    }

    /// Nothing more is expected of a finished or abandoned action: it is never late.
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Abandoned)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    High,
    Normal,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::High, Priority::Normal, Priority::Low];

    pub fn code(self) -> i32 {
        match self {
            Priority::High => 1,
            Priority::Normal => 2,
            Priority::Low => 3,
        }
    }

    pub fn from_code(code: i32) -> Priority {
        match code {
            1 => Priority::High,
            3 => Priority::Low,
            _ => Priority::Normal,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Priority::High => "Haute",
            Priority::Normal => "Normale",
            Priority::Low => "Basse",
        }
    }

    /// `1`–`3` or a label; empty is normal.
    pub fn parse(input: &str) -> Result<Priority, String> {
        let folded = fold(input);
        if folded.is_empty() {
            return Ok(Priority::Normal);
        }
        Priority::ALL
            .into_iter()
            .find(|p| input.trim() == p.code().to_string() || folded == fold(p.label()))
            .ok_or_else(|| "La priorité doit être « haute », « normale » ou « basse ».".to_owned())
    }
}

/// Where an action's progress comes from; the page says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    Indicators,
    Milestones,
    Manual,
}

impl ProgressMode {
    pub const ALL: [ProgressMode; 3] = [ProgressMode::Indicators, ProgressMode::Milestones, ProgressMode::Manual];

    pub fn code(self) -> &'static str {
        match self {
            ProgressMode::Indicators => "indicators",
            ProgressMode::Milestones => "milestones",
            ProgressMode::Manual => "manual",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProgressMode::Indicators => "Calculé à partir des indicateurs",
            ProgressMode::Milestones => "Calculé à partir des jalons franchis",
            ProgressMode::Manual => "Saisi à la main",
        }
    }

    pub fn parse(code: &str) -> Result<ProgressMode, String> {
        ProgressMode::ALL
            .into_iter()
            .find(|m| m.code() == code)
            .ok_or_else(|| "Choisissez d’où vient l’avancement dans la liste.".to_owned())
    }
}

/// Better when the indicator goes up, or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Up => "à la hausse",
            Direction::Down => "à la baisse",
        }
    }

    /// A code, « hausse », « baisse », or an arrow-like sign.
    pub fn parse(input: &str) -> Result<Direction, String> {
        match fold(input).as_str() {
            "up" | "hausse" | "a la hausse" | "+" => Ok(Direction::Up),
            "down" | "baisse" | "a la baisse" | "-" => Ok(Direction::Down),
            _ => Err("Le sens doit être « hausse » ou « baisse ».".to_owned()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    Once,
}

impl Frequency {
    pub const ALL: [Frequency; 5] =
        [Frequency::Monthly, Frequency::Quarterly, Frequency::HalfYearly, Frequency::Yearly, Frequency::Once];

    pub fn code(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::HalfYearly => "half_yearly",
            Frequency::Yearly => "yearly",
            Frequency::Once => "once",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::Monthly => "mensuelle",
            Frequency::Quarterly => "trimestrielle",
            Frequency::HalfYearly => "semestrielle",
            Frequency::Yearly => "annuelle",
            Frequency::Once => "une fois, en fin d’action",
        }
    }

    /// A code or a label (« annuelle », « trimestriel »…); empty is yearly.
    pub fn parse(input: &str) -> Result<Frequency, String> {
        let folded = fold(input);
        if folded.is_empty() {
            return Ok(Frequency::Yearly);
        }
        Frequency::ALL
            .into_iter()
            .find(|f| {
                let label = fold(f.label());
                f.code() == input.trim() || folded == label || label.strip_suffix("le") == Some(folded.as_str())
            })
            .ok_or_else(|| {
                "La fréquence doit être mensuelle, trimestrielle, semestrielle, annuelle ou « une fois ».".to_owned()
            })
    }
}

/// What a person says of an action's lateness, against what the dates say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateOverride {
    Late,
    OnTime,
}

impl LateOverride {
    pub fn code(self) -> &'static str {
        match self {
            LateOverride::Late => "late",
            LateOverride::OnTime => "on_time",
        }
    }

    pub fn parse(code: &str) -> Result<Option<LateOverride>, String> {
        match code {
            "" | "computed" => Ok(None),
            "late" => Ok(Some(LateOverride::Late)),
            "on_time" => Ok(Some(LateOverride::OnTime)),
            _ => Err("Choisissez dans la liste si l’action est en retard.".to_owned()),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers, amounts, dates

/// An amount in euros as people type it (« 12 000 », « 12 000,50 € », « 1500.5 »), in cents; empty is none.
pub fn parse_amount(input: &str, what: &str) -> Result<Option<i64>, String> {
    let cleaned: String = input
        .trim()
        .trim_end_matches("EUR")
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '\u{a0}')
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let refused = || format!("{what} doit être un montant en euros, par exemple 12 000 ou 12 000,50.");
    let normalised = cleaned.replace(',', ".");
    let (units, cents) = normalised.split_once('.').unwrap_or((&normalised, ""));
    if units.is_empty()
        || !units.chars().all(|c| c.is_ascii_digit())
        || cents.len() > 2
        || !cents.chars().all(|c| c.is_ascii_digit())
    {
        return Err(refused());
    }
    let units: i64 = units.parse().map_err(|_| refused())?;
    let cents: i64 = if cents.is_empty() { 0 } else { format!("{cents:0<2}").parse().map_err(|_| refused())? };
    let total = units.checked_mul(100).and_then(|u| u.checked_add(cents)).filter(|t| *t <= MAX_CENTS);
    total.map(Some).ok_or_else(|| format!("{what} est trop grand."))
}

/// « 12 000 € », « 12 000,50 € » (narrow no-break spaces between thousands, as French typography writes them).
pub fn euros(cents: i64) -> String {
    let units = group_thousands(&(cents / 100).to_string());
    match cents % 100 {
        0 => format!("{units}\u{a0}€"),
        rest => format!("{units},{rest:02}\u{a0}€"),
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A value as people type it (« 12,5 », « 1 200 », « -3 »).
pub fn parse_value(input: &str, what: &str) -> Result<f64, String> {
    let cleaned: String =
        input.trim().chars().filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '\u{a0}').collect();
    if cleaned.is_empty() {
        return Err(format!("{what} est obligatoire."));
    }
    cleaned
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.abs() < MAX_VALUE)
        .ok_or_else(|| format!("{what} doit être un nombre, par exemple 12 ou 12,5."))
}

/// A value as French writes it: up to two decimals, a comma, thousands grouped.
pub fn number_fr(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{:.2}", rounded.abs());
    let (units, decimals) = text.split_once('.').unwrap_or((&text, "00"));
    let decimals = decimals.trim_end_matches('0');
    let sign = if rounded < 0.0 { "-" } else { "" };
    let units = group_thousands(units);
    if decimals.is_empty() {
        format!("{sign}{units}")
    } else {
        format!("{sign}{units},{decimals}")
    }
}

fn optional_date(input: &str, what: &str) -> Result<Option<NaiveDate>, String> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(input, what).map(Some)
    }
}

/// French date: « 31/03/2027 ».
pub fn date_fr(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn line(input: &str, what: &str, min: usize, max: usize) -> Result<String, String> {
    let cleaned = clean_line(input).ok_or_else(|| format!("{what} contient des caractères non autorisés."))?;
    bounded_text(&cleaned, what, min, max)
}

/// The lines of a text area, with their numbers (from 1), blank lines skipped.
fn lines_of(input: &str) -> impl Iterator<Item = (usize, &str)> {
    input.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty())
}

fn fields_of(line: &str) -> Vec<&str> {
    line.split(';').map(str::trim).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Actions

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funding {
    pub funder: String,
    pub amount_cents: i64,
    pub secured: bool,
}

impl Funding {
    /// One per line: « Financeur ; montant ; acquis » (the third part « acquis » or « à trouver », acquis when
    /// it starts so).
    pub fn parse_lines(input: &str) -> Result<Vec<Funding>, String> {
        lines_of(input)
            .map(|(n, text)| {
                let parts = fields_of(text);
                let at = |e: String| format!("Financements, ligne {n} : {e}");
                if parts.len() < 2 {
                    return Err(at("écrivez « financeur ; montant ; acquis ou à trouver ».".into()));
                }
                let funder = line(parts[0], "le financeur", 2, TITLE_MAX).map_err(at)?;
                let amount = parse_amount(parts[1], "le montant")
                    .map_err(at)?
                    .ok_or_else(|| at("le montant est obligatoire.".into()))?;
                let secured = parts.get(2).is_some_and(|s| fold(s).starts_with("acquis"));
                Ok(Funding { funder, amount_cents: amount, secured })
            })
            .collect()
    }

    pub fn to_line(&self) -> String {
        let amount = number_fr(self.amount_cents as f64 / 100.0);
        format!("{} ; {} ; {}", self.funder, amount, if self.secured { "acquis" } else { "à trouver" })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub title: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

impl Milestone {
    /// One per line: « 31/03/2027 ; Recrutement ; fait le 20/03/2027 » (the third part only once it is reached).
    pub fn parse_lines(input: &str) -> Result<Vec<Milestone>, String> {
        lines_of(input)
            .map(|(n, text)| {
                let parts = fields_of(text);
                let at = |e: String| format!("Jalons, ligne {n} : {e}");
                if parts.len() < 2 {
                    return Err(at("écrivez « date ; jalon », et « ; fait le date » une fois franchi.".into()));
                }
                let due_on = parse_date(parts[0], "la date prévue").map_err(at)?;
                let title = line(parts[1], "le jalon", 2, TITLE_MAX).map_err(at)?;
                let done_on = match parts.get(2).map(|d| d.to_lowercase()) {
                    None => None,
                    Some(done) if done.is_empty() => None,
                    Some(done) => {
                        let date = done.trim_start_matches("fait").trim_start().trim_start_matches("le").trim();
                        Some(parse_date(date, "la date où il a été franchi").map_err(at)?)
                    }
                };
                Ok(Milestone { title, due_on, done_on })
            })
            .collect()
    }

    pub fn to_line(&self) -> String {
        match self.done_on {
            Some(done) => format!("{} ; {} ; fait le {}", date_fr(self.due_on), self.title, date_fr(done)),
            None => format!("{} ; {}", date_fr(self.due_on), self.title),
        }
    }
}

/// What the content form of an action sends.
#[derive(Debug, Default, Clone)]
pub struct ActionInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub lead_name: &'a str,
    /// `""` or a sheet id of the territory's diagnostic.
    pub lead_entry: &'a str,
    /// Sheet ids of the diagnostic's actors.
    pub partner_entries: Vec<&'a str>,
    /// Other partners, one per line.
    pub partners: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub budget: &'a str,
    pub fundings: &'a str,
    pub priority: &'a str,
}

/// An action's content: what the executive adopts (its status and progress are carried out, not adopted).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionContentFields {
    pub title: String,
    pub description: String,
    pub lead_name: String,
    pub lead_entry_id: Option<i64>,
    pub partner_entry_ids: Vec<i64>,
    pub partners: Vec<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub budget_cents: Option<i64>,
    pub fundings: Vec<Funding>,
    pub priority: Priority,
}

fn entry_id(code: &str) -> Result<Option<i64>, String> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    code.parse().map(Some).map_err(|_| "Choisissez l’acteur dans la liste du diagnostic.".to_owned())
}

impl ActionContentFields {
    pub fn parse(input: &ActionInput) -> Result<ActionContentFields, FieldErrors> {
        let title = line(input.title, "Le titre de l’action", 3, TITLE_MAX);
        let description = bounded_text(input.description, "La description", 0, DESCRIPTION_MAX);
        let lead_name = line(input.lead_name, "Le pilote", 0, TITLE_MAX);
        let lead_entry = entry_id(input.lead_entry);
        let partner_entries: Result<Vec<i64>, String> =
            input.partner_entries.iter().filter_map(|c| entry_id(c).transpose()).collect();
        let partners: Result<Vec<String>, String> = lines_of(input.partners)
            .map(|(n, l)| line(l, "Le partenaire", 2, TITLE_MAX).map_err(|e| format!("Partenaires, ligne {n} : {e}")))
            .collect();
        let starts_on = optional_date(input.starts_on, "La date de début");
        let ends_on = optional_date(input.ends_on, "La date de fin");
        let budget = parse_amount(input.budget, "Le budget");
        let fundings = Funding::parse_lines(input.fundings);
        let priority = Priority::parse(input.priority);
        let order = match (&starts_on, &ends_on) {
            (Ok(Some(s)), Ok(Some(e))) if e < s => Some("La date de fin précède la date de début.".to_owned()),
            _ => None,
        };
        match (title, description, lead_name, lead_entry, partner_entries, partners, starts_on, ends_on, budget) {
            (
                Ok(title),
                Ok(description),
                Ok(lead_name),
                Ok(lead_entry_id),
                Ok(partner_entry_ids),
                Ok(partners),
                Ok(starts_on),
                Ok(ends_on),
                Ok(budget_cents),
            ) if order.is_none() && fundings.is_ok() && priority.is_ok() => Ok(ActionContentFields {
                title,
                description,
                lead_name,
                lead_entry_id,
                partner_entry_ids,
                partners,
                starts_on,
                ends_on,
                budget_cents,
                fundings: fundings.unwrap_or_default(),
                priority: priority.unwrap_or(Priority::Normal),
            }),
            (title, description, lead_name, lead_entry, partner_entries, partners, starts_on, ends_on, budget) => {
                Err(errors_of(vec![
                    ("title", title.err()),
                    ("description", description.err()),
                    ("lead_name", lead_name.err()),
                    ("lead_entry", lead_entry.err()),
                    ("partner_entries", partner_entries.err()),
                    ("partners", partners.err()),
                    ("starts_on", starts_on.err()),
                    ("ends_on", ends_on.err().or(order)),
                    ("budget", budget.err()),
                    ("fundings", fundings.err()),
                    ("priority", priority.err()),
                ]))
            }
        }
    }
}

/// What the progress form of an action sends: always editable, adopted or not.
#[derive(Debug, Default, Clone)]
pub struct ProgressInput<'a> {
    pub status: &'a str,
    pub status_reason: &'a str,
    pub progress_mode: &'a str,
    pub progress_manual: &'a str,
    pub late_override: &'a str,
    pub late_reason: &'a str,
    pub milestones: &'a str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProgressFields {
    pub status: ActionStatus,
    pub status_reason: String,
    pub progress_mode: ProgressMode,
    pub progress_manual: Option<i32>,
    pub late_override: Option<LateOverride>,
    pub late_reason: String,
    pub milestones: Vec<Milestone>,
}

impl ProgressFields {
    pub fn parse(input: &ProgressInput) -> Result<ProgressFields, FieldErrors> {
        let status = ActionStatus::parse(input.status);
        let reason = bounded_text(input.status_reason, "La raison", 0, DESCRIPTION_MAX).and_then(|r| match &status {
            Ok(s) if s.needs_reason() && r.is_empty() => {
                Err(format!("Dites pourquoi l’action est « {} ».", s.label().to_lowercase()))
            }
            _ => Ok(r),
        });
        let mode = ProgressMode::parse(input.progress_mode);
        let manual = match input.progress_manual.trim().trim_end_matches('%').trim() {
            "" if mode == Ok(ProgressMode::Manual) => Err("Saisissez l’avancement, de 0 à 100 %.".to_owned()),
            "" => Ok(None),
            text => text
                .parse::<i32>()
                .ok()
                .filter(|v| (0..=100).contains(v))
                .map(Some)
                .ok_or_else(|| "L’avancement est un pourcentage entier, de 0 à 100.".to_owned()),
        };
        let late_override = LateOverride::parse(input.late_override);
        let late_reason =
            bounded_text(input.late_reason, "La raison", 0, DESCRIPTION_MAX).and_then(|r| match &late_override {
                Ok(Some(_)) if r.is_empty() => Err("Dites pourquoi vous corrigez le retard calculé.".to_owned()),
                _ => Ok(r),
            });
        let milestones = Milestone::parse_lines(input.milestones);
        match (status, reason, mode, manual, late_override, late_reason, milestones) {
            (
                Ok(status),
                Ok(status_reason),
                Ok(progress_mode),
                Ok(progress_manual),
                Ok(late_override),
                Ok(late_reason),
                Ok(milestones),
            ) => Ok(ProgressFields {
                status,
                status_reason,
                progress_mode,
                progress_manual,
                late_override,
                late_reason,
                milestones,
            }),
            (status, reason, mode, manual, late_override, late_reason, milestones) => Err(errors_of(vec![
                ("status", status.err()),
                ("status_reason", reason.err()),
                ("progress_mode", mode.err()),
                ("progress_manual", manual.err()),
                ("late_override", late_override.err()),
                ("late_reason", late_reason.err()),
                ("milestones", milestones.err()),
            ])),
        }
    }
}

/// An axis of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxisFields {
    pub title: String,
    pub description: String,
}

impl AxisFields {
    pub fn parse(title: &str, description: &str) -> Result<AxisFields, FieldErrors> {
        match (line(title, "Le titre de l’axe", 3, TITLE_MAX), bounded_text(description, "Sa description", 0, 2_000))
        {
            (Ok(title), Ok(description)) => Ok(AxisFields { title, description }),
            (t, d) => Err(errors_of(vec![("title", t.err()), ("description", d.err())])),
        }
    }
}

/// « L'étape d'après »: the conditions of implementation and follow-up, the citizen dimension, the evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextSteps {
    pub implementation: String,
    pub citizens: String,
    pub evaluation: String,
}

impl NextSteps {
    pub fn parse(implementation: &str, citizens: &str, evaluation: &str) -> Result<NextSteps, FieldErrors> {
        let i = bounded_text(implementation, "Les conditions de mise en œuvre", 0, TEXT_MAX);
        let c = bounded_text(citizens, "La dimension citoyenne", 0, TEXT_MAX);
        let e = bounded_text(evaluation, "La méthode d’évaluation", 0, TEXT_MAX);
        match (i, c, e) {
            (Ok(implementation), Ok(citizens), Ok(evaluation)) => {
                Ok(NextSteps { implementation, citizens, evaluation })
            }
            (i, c, e) => {
                Err(errors_of(vec![("implementation", i.err()), ("citizens", c.err()), ("evaluation", e.err())]))
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.implementation.is_empty() && self.citizens.is_empty() && self.evaluation.is_empty()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Indicators

#[derive(Debug, Default, Clone)]
pub struct IndicatorInput<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub direction: &'a str,
    pub frequency: &'a str,
    pub source: &'a str,
    pub method: &'a str,
    pub baseline_on: &'a str,
    pub baseline_value: &'a str,
    /// One per line: « 31/12/2027 ; 120 ».
    pub targets: &'a str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorFields {
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub frequency: Frequency,
    pub source: String,
    pub method: String,
    pub baseline: Option<(NaiveDate, f64)>,
    pub targets: Vec<(NaiveDate, f64)>,
}

/// One per line: « date ; valeur ».
pub fn parse_targets(input: &str) -> Result<Vec<(NaiveDate, f64)>, String> {
    let mut targets: Vec<(NaiveDate, f64)> = lines_of(input)
        .map(|(n, text)| {
            let parts = fields_of(text);
            let at = |e: String| format!("Cibles, ligne {n} : {e}");
            if parts.len() != 2 {
                return Err(at("écrivez « date ; valeur », par exemple « 31/12/2027 ; 120 ».".into()));
            }
            Ok((parse_date(parts[0], "la date").map_err(at)?, parse_value(parts[1], "la valeur").map_err(at)?))
        })
        .collect::<Result<_, _>>()?;
    targets.sort_by_key(|t| t.0);
    if let Some(pair) = targets.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!("Cibles : deux cibles au {} ; gardez-en une.", date_fr(pair[0].0)));
    }
    Ok(targets)
}

pub fn targets_to_lines(targets: &[(NaiveDate, f64)]) -> String {
    targets.iter().map(|(d, v)| format!("{} ; {}", date_fr(*d), number_fr(*v))).collect::<Vec<_>>().join("\n")
}

impl IndicatorFields {
    pub fn parse(input: &IndicatorInput) -> Result<IndicatorFields, FieldErrors> {
        let name = line(input.name, "Le nom de l’indicateur", 3, TITLE_MAX);
        let unit = line(input.unit, "L’unité", 0, 40);
        let direction = Direction::parse(input.direction);
        let frequency = Frequency::parse(input.frequency);
        let source = line(input.source, "La source", 0, TITLE_MAX);
        let method = bounded_text(input.method, "La méthode", 0, 2_000);
        let baseline_on = optional_date(input.baseline_on, "La date de référence");
        let baseline_value = match input.baseline_value.trim() {
            "" => Ok(None),
            v => parse_value(v, "La valeur de référence").map(Some),
        };
        let (baseline_on, baseline_value) = match (baseline_on, baseline_value) {
            (Ok(Some(_)), Ok(None)) => (Ok(None), Err("Donnez la valeur de référence à cette date.".to_owned())),
            (Ok(None), Ok(Some(_))) => (Err("Donnez la date de la valeur de référence.".to_owned()), Ok(None)),
            other => other,
        };
        let targets = parse_targets(input.targets);
        match (name, unit, direction, frequency, source, method, baseline_on, baseline_value, targets) {
            (
                Ok(name),
                Ok(unit),
                Ok(direction),
                Ok(frequency),
                Ok(source),
                Ok(method),
                Ok(on),
                Ok(value),
                Ok(targets),
            ) => Ok(IndicatorFields {
                name,
                unit,
                direction,
                frequency,
                source,
                method,
                baseline: on.zip(value),
                targets,
            }),
            (name, unit, direction, frequency, source, method, on, value, targets) => Err(errors_of(vec![
                ("name", name.err()),
                ("unit", unit.err()),
                ("direction", direction.err()),
                ("frequency", frequency.err()),
                ("source", source.err()),
                ("method", method.err()),
                ("baseline_on", on.err()),
                ("baseline_value", value.err()),
                ("targets", targets.err()),
            ])),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementFields {
    pub measured_on: NaiveDate,
    pub value: f64,
    pub estimated: bool,
    pub comment: String,
}

impl MeasurementFields {
    /// A measurement cannot be dated in the future.
    pub fn parse(
        measured_on: &str,
        value: &str,
        estimated: bool,
        comment: &str,
        today: NaiveDate,
    ) -> Result<MeasurementFields, FieldErrors> {
        let on = parse_date(measured_on, "La date de la mesure").and_then(|d| {
            if d > today {
                Err("La date de la mesure est dans le futur.".to_owned())
            } else {
                Ok(d)
            }
        });
        let value = parse_value(value, "La valeur");
        let comment = bounded_text(comment, "Le commentaire", 0, 1_000);
        match (on, value, comment) {
            (Ok(measured_on), Ok(value), Ok(comment)) => {
                Ok(MeasurementFields { measured_on, value, estimated, comment })
            }
            (on, value, comment) => {
                Err(errors_of(vec![("measured_on", on.err()), ("value", value.err()), ("comment", comment.err())]))
            }
        }
    }
}

/// An indicator's figures, in date order: what progress and « on track » are computed from.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    pub direction: Direction,
    pub baseline: Option<(NaiveDate, f64)>,
    pub targets: &'a [(NaiveDate, f64)],
    pub measurements: &'a [(NaiveDate, f64)],
}

impl Series<'_> {
    pub fn latest(&self) -> Option<(NaiveDate, f64)> {
        self.measurements.iter().max_by_key(|m| m.0).copied()
    }

    /// How far the latest measurement has gone from the baseline to the last target, 0 to 1 (never beyond); none
    /// without a baseline, a target different from it, or a measurement.
    pub fn progress(&self) -> Option<f64> {
        let (_, base) = self.baseline?;
        let (_, goal) = *self.targets.iter().max_by_key(|t| t.0)?;
        let (_, now) = self.latest()?;
        if (goal - base).abs() < f64::EPSILON {
            return None;
        }
        Some(((now - base) / (goal - base)).clamp(0.0, 1.0))
    }

    /// The value expected at `date` on the straight path from the baseline through each target.
    pub fn expected_at(&self, date: NaiveDate) -> Option<f64> {
        let mut points: Vec<(NaiveDate, f64)> = self.baseline.into_iter().collect();
        points.extend(self.targets.iter().copied());
        points.sort_by_key(|p| p.0);
        let first = *points.first()?;
        if points.len() < 2 || date <= first.0 {
            return Some(first.1);
        }
        for pair in points.windows(2) {
            let ((d0, v0), (d1, v1)) = (pair[0], pair[1]);
            if date <= d1 {
                let span = (d1 - d0).num_days() as f64;
                let gone = (date - d0).num_days() as f64;
                return Some(if span <= 0.0 { v1 } else { v0 + (v1 - v0) * gone / span });
            }
        }
        points.last().map(|p| p.1)
    }

    /// Whether the latest measurement is where the path says it should be by its date (or better); none without
    /// a baseline, a target or a measurement.
    pub fn on_track(&self) -> Option<bool> {
        self.baseline?;
        self.targets.first()?;
        let (date, value) = self.latest()?;
        let expected = self.expected_at(date)?;
        let tolerance = 1e-9;
        Some(match self.direction {
            Direction::Up => value + tolerance >= expected,
            Direction::Down => value - tolerance <= expected,
        })
    }
}

/// An action's progress, and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    /// The mean of the indicators that can say (`counted` of `of`).
    Indicators {
        fraction: Option<f64>,
        counted: usize,
        of: usize,
    },
    Milestones {
        done: usize,
        total: usize,
    },
    Manual(Option<i32>),
}

impl Progress {
    pub fn of(mode: ProgressMode, manual: Option<i32>, series: &[Series], milestones: &[Milestone]) -> Progress {
        match mode {
            ProgressMode::Manual => Progress::Manual(manual),
            ProgressMode::Milestones => Progress::Milestones {
                done: milestones.iter().filter(|m| m.done_on.is_some()).count(),
                total: milestones.len(),
            },
            ProgressMode::Indicators => {
                let known: Vec<f64> = series.iter().filter_map(Series::progress).collect();
                let fraction = (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64);
                Progress::Indicators { fraction, counted: known.len(), of: series.len() }
            }
        }
    }

    /// 0 to 100, when known.
    pub fn percent(&self) -> Option<i32> {
        match *self {
            Progress::Indicators { fraction, .. } => fraction.map(|f| (f * 100.0).round() as i32),
            Progress::Milestones { done, total } if total > 0 => Some((done * 100 / total) as i32),
            Progress::Milestones { .. } => None,
            Progress::Manual(value) => value,
        }
    }

    /// Where the figure comes from, in a sentence.
    pub fn source(&self) -> String {
        match *self {
            Progress::Indicators { counted: 0, of: 0, .. } => {
                "Calculé à partir des indicateurs : l’action n’en a pas encore.".into()
            }
            Progress::Indicators { counted: 0, .. } => {
                "Calculé à partir des indicateurs : aucun n’a encore de référence, de cible et de mesure.".into()
            }
            Progress::Indicators { counted, of, .. } if counted == of => {
                format!("Moyenne de {} indicateur{} (de la référence à la dernière cible).", of, plural(of))
            }
            Progress::Indicators { counted, of, .. } => {
                format!(
                    "Moyenne de {counted} indicateur{} sur {of} : les autres n’ont pas encore de mesure.",
                    plural(counted)
                )
            }
            Progress::Milestones { total: 0, .. } => "Calculé à partir des jalons : l’action n’en a pas.".into(),
            Progress::Milestones { done, total } => {
                format!("{done} jalon{} franchi{} sur {total}.", plural(done), plural(done))
            }
            Progress::Manual(Some(_)) => "Saisi à la main.".into(),
            Progress::Manual(None) => "À saisir à la main.".into(),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

/// Whether an action is late, from its dates and milestones, unless a person said otherwise (with a reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lateness {
    OnTime,
    /// What the dates say, in a sentence.
    Late(String),
    /// A person's word against the computation, with their reason.
    DeclaredLate(String),
    DeclaredOnTime(String),
}

impl Lateness {
    pub fn of(
        status: ActionStatus,
        starts_on: Option<NaiveDate>,
        ends_on: Option<NaiveDate>,
        milestones: &[Milestone],
        declared: Option<(LateOverride, &str)>,
        today: NaiveDate,
    ) -> Lateness {
        match declared {
            Some((LateOverride::Late, reason)) => return Lateness::DeclaredLate(reason.to_owned()),
            Some((LateOverride::OnTime, reason)) => return Lateness::DeclaredOnTime(reason.to_owned()),
            None => {}
        }
        if status.is_closed() {
            return Lateness::OnTime;
        }
        if let Some(end) = ends_on.filter(|e| *e < today) {
            return Lateness::Late(format!("devait être réalisée le {}", date_fr(end)));
        }
        if let Some(start) = starts_on.filter(|s| *s < today && status == ActionStatus::Planned) {
            return Lateness::Late(format!("devait commencer le {}", date_fr(start)));
        }
        if let Some(m) = milestones.iter().filter(|m| m.done_on.is_none() && m.due_on < today).min_by_key(|m| m.due_on)
        {
            return Lateness::Late(format!("jalon « {} » attendu le {}", m.title, date_fr(m.due_on)));
        }
        Lateness::OnTime
    }

    pub fn is_late(&self) -> bool {
        matches!(self, Lateness::Late(_) | Lateness::DeclaredLate(_))
    }

    pub fn describe(&self) -> String {
        match self {
            Lateness::OnTime => "Dans les temps".into(),
            Lateness::Late(why) => format!("En retard : {why}"),
            Lateness::DeclaredLate(why) => format!("En retard (signalé : {why})"),
            Lateness::DeclaredOnTime(why) => format!("Dans les temps (malgré les dates : {why})"),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Adoption

/// The body that adopts a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    MunicipalCouncil,
    CommunityCouncil,
    Bureau,
    DepartmentalCouncil,
    RegionalCouncil,
    SyndicateCommittee,
}

impl Body {
    pub const ALL: [Body; 6] = [
        Body::MunicipalCouncil,
        Body::CommunityCouncil,
        Body::Bureau,
        Body::DepartmentalCouncil,
        Body::RegionalCouncil,
        Body::SyndicateCommittee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Body::MunicipalCouncil => "conseil_municipal",
            Body::CommunityCouncil => "conseil_communautaire",
            Body::Bureau => "bureau",
            Body::DepartmentalCouncil => "conseil_departemental",
            Body::RegionalCouncil => "conseil_regional",
            Body::SyndicateCommittee => "comite_syndical",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Body::MunicipalCouncil => "Conseil municipal",
            Body::CommunityCouncil => "Conseil communautaire",
            Body::Bureau => "Bureau",
            Body::DepartmentalCouncil => "Conseil départemental",
            Body::RegionalCouncil => "Conseil régional",
            Body::SyndicateCommittee => "Comité syndical",
        }
    }

    pub fn parse(code: &str) -> Result<Body, String> {
        Body::ALL
            .into_iter()
            .find(|b| b.code() == code)
            .ok_or_else(|| "Choisissez dans la liste l’instance qui a adopté le plan.".to_owned())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActKind {
    Deliberation,
    Order,
    Decision,
}

impl ActKind {
    pub const ALL: [ActKind; 3] = [ActKind::Deliberation, ActKind::Order, ActKind::Decision];

    pub fn code(self) -> &'static str {
        match self {
            ActKind::Deliberation => "deliberation",
            ActKind::Order => "arrete",
            ActKind::Decision => "decision",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActKind::Deliberation => "Délibération",
            ActKind::Order => "Arrêté",
            ActKind::Decision => "Décision",
        }
    }

    pub fn parse(code: &str) -> Result<ActKind, String> {
        ActKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| "Choisissez le type d’acte dans la liste.".to_owned())
    }
}

#[derive(Debug, Default, Clone)]
pub struct AdoptionInput<'a> {
    pub body: &'a str,
    pub act_kind: &'a str,
    pub act_number: &'a str,
    pub adopted_on: &'a str,
    pub votes_for: &'a str,
    pub votes_against: &'a str,
    pub abstentions: &'a str,
    pub act_url: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdoptionFields {
    pub body: Body,
    pub act_kind: ActKind,
    pub act_number: String,
    pub adopted_on: NaiveDate,
    pub votes_for: i32,
    pub votes_against: i32,
    pub abstentions: i32,
    pub act_url: Option<String>,
}

fn votes(input: &str, what: &str) -> Result<i32, String> {
    match input.trim() {
        "" => Ok(0),
        text => text
            .parse::<i32>()
            .ok()
            .filter(|v| (0..=10_000).contains(v))
            .ok_or_else(|| format!("{what} est un nombre entier de voix, 0 ou plus.")),
    }
}

impl AdoptionFields {
    /// `has_file`: whether a PDF of the act comes with the form; without it, the link is needed.
    pub fn parse(input: &AdoptionInput, has_file: bool, today: NaiveDate) -> Result<AdoptionFields, FieldErrors> {
        let body = Body::parse(input.body);
        let act_kind = ActKind::parse(input.act_kind);
        let act_number = line(input.act_number, "Le numéro de l’acte", 1, 60);
        let adopted_on = parse_date(input.adopted_on, "La date de l’adoption").and_then(|d| {
            if d > today {
                Err("La date de l’adoption est dans le futur.".to_owned())
            } else {
                Ok(d)
            }
        });
        let votes_for = votes(input.votes_for, "Le nombre de voix pour");
        let votes_against = votes(input.votes_against, "Le nombre de voix contre");
        let abstentions = votes(input.abstentions, "Le nombre d’abstentions");
        let act_url = match input.act_url.trim() {
            "" if has_file => Ok(None),
            "" => Err("Joignez l’acte en PDF ou donnez le lien de sa publication.".to_owned()),
            url if (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() <= 500
                && !url.chars().any(char::is_whitespace) =>
            {
                Ok(Some(url.to_owned()))
            }
            _ => Err("Le lien de l’acte doit commencer par https:// (ou http://).".to_owned()),
        };
        let majority = match (&votes_for, &votes_against) {
            (Ok(f), Ok(a)) if f <= a => {
                Some("Le plan est adopté quand les voix pour dépassent les voix contre.".to_owned())
            }
            _ => None,
        };
        match (body, act_kind, act_number, adopted_on, votes_for, votes_against, abstentions, act_url) {
            (
                Ok(body),
                Ok(act_kind),
                Ok(act_number),
                Ok(adopted_on),
                Ok(votes_for),
                Ok(votes_against),
                Ok(abstentions),
                Ok(act_url),
            ) if majority.is_none() => Ok(AdoptionFields {
                body,
                act_kind,
                act_number,
                adopted_on,
                votes_for,
                votes_against,
                abstentions,
                act_url,
            }),
            (body, act_kind, act_number, adopted_on, votes_for, votes_against, abstentions, act_url) => {
                Err(errors_of(vec![
                    ("body", body.err()),
                    ("act_kind", act_kind.err()),
                    ("act_number", act_number.err()),
                    ("adopted_on", adopted_on.err()),
                    ("votes_for", votes_for.err().or(majority)),
                    ("votes_against", votes_against.err()),
                    ("abstentions", abstentions.err()),
                    ("act_url", act_url.err()),
                ]))
            }
        }
    }
}

/// Whether the bytes are a whole PDF: the signature at the start (within the first kilobyte, as readers allow),
/// and the end-of-file marker within the last kilobyte — a truncated upload lacks it. The name the browser gave
/// proves nothing: a zip renamed `.pdf` is refused.
pub fn check_pdf(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("Le fichier de l’acte est vide.".into());
    }
    if bytes.len() > MAX_ACT_BYTES {
        return Err(format!(
            "L’acte dépasse {} Mo : envoyez une version allégée ou le lien de sa publication.",
            MAX_ACT_BYTES / (1024 * 1024)
        ));
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err("Le fichier envoyé n’est pas un PDF : enregistrez l’acte au format PDF.".into());
    }
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err("Le PDF est incomplet (l’envoi a peut-être été interrompu) : envoyez-le de nouveau.".into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// What a version freezes, and what changed

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PlanContent {
    pub axes: Vec<AxisContent>,
    pub next_steps: NextSteps,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AxisContent {
    pub title: String,
    pub description: String,
    pub actions: Vec<ActionContent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionContent {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub lead: String,
    pub partners: Vec<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub budget_cents: Option<i64>,
    pub fundings: Vec<Funding>,
    pub priority: i32,
    pub indicators: Vec<IndicatorContent>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorContent {
    pub name: String,
    pub unit: String,
    pub direction: String,
    pub baseline: Option<(NaiveDate, f64)>,
    pub targets: Vec<(NaiveDate, f64)>,
}

impl PlanContent {
    pub fn actions(&self) -> impl Iterator<Item = (&AxisContent, &ActionContent)> {
        self.axes.iter().flat_map(|axis| axis.actions.iter().map(move |a| (axis, a)))
    }
}

/// What changed from one version of a plan to the next, in French sentences, in the order of the new plan.
pub fn changes(old: &PlanContent, new: &PlanContent) -> Vec<String> {
    let mut out = Vec::new();
    for axis in &new.axes {
        match old.axes.iter().find(|a| a.title == axis.title) {
            None => out.push(format!("Axe ajouté : « {} ».", axis.title)),
            Some(before) if before.description != axis.description => {
                out.push(format!("Axe « {} » : description modifiée.", axis.title))
            }
            Some(_) => {}
        }
    }
    for axis in &old.axes {
        if !new.axes.iter().any(|a| a.title == axis.title) {
            out.push(format!("Axe retiré : « {} ».", axis.title));
        }
    }
    for (axis, action) in new.actions() {
        match old.actions().find(|(_, a)| a.id == action.id) {
            None => out.push(format!("Action ajoutée dans l’axe « {} » : « {} ».", axis.title, action.title)),
            Some((old_axis, before)) => {
                let mut what = Vec::new();
                if before.title != action.title {
                    what.push(format!("titre (avant : « {} »)", before.title));
                }
                if old_axis.title != axis.title {
                    what.push(format!("déplacée de l’axe « {} »", old_axis.title));
                }
                for (changed, label) in [
                    (before.description != action.description, "description"),
                    (before.lead != action.lead, "pilote"),
                    (before.partners != action.partners, "partenaires"),
                    (before.starts_on != action.starts_on || before.ends_on != action.ends_on, "dates"),
                    (before.budget_cents != action.budget_cents, "budget"),
                    (before.fundings != action.fundings, "financements"),
                    (before.priority != action.priority, "priorité"),
                    (before.indicators != action.indicators, "indicateurs"),
                ] {
                    if changed {
                        what.push(label.to_owned());
                    }
                }
                if !what.is_empty() {
                    out.push(format!("Action « {} » : {}.", action.title, what.join(", ")));
                }
            }
        }
    }
    for (_, action) in old.actions() {
        if !new.actions().any(|(_, a)| a.id == action.id) {
            out.push(format!("Action retirée : « {} ».", action.title));
        }
    }
    for (changed, label) in [
        (old.next_steps.implementation != new.next_steps.implementation, "les conditions de mise en œuvre"),
        (old.next_steps.citizens != new.next_steps.citizens, "la dimension citoyenne"),
        (old.next_steps.evaluation != new.next_steps.evaluation, "la méthode d’évaluation"),
    ] {
        if changed {
            out.push(format!("L’étape d’après : {label} modifiée{}.", if label.starts_with("les") { "s" } else { "" }));
        }
    }
    out
}

/// What a workshop said of an action when it was retained (`storage::codesign::retain_proposal` writes it, as
/// JSON in `actions.lineage`): the path from what was heard to what is decided.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Lineage {
    pub workshop: String,
    pub ideas: Vec<LineageIdea>,
    /// What the ideas cited: sheets, sources, questions of the diagnostic.
    pub evidence: Vec<String>,
    pub weighted_mean: Option<f64>,
    pub spread: Option<f64>,
    pub scorers: u32,
    pub criteria: Vec<LineageCriterion>,
    pub dots: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineageIdea {
    pub id: i64,
    pub title: String,
    /// The category of its author (« Habitant », « Élu »…).
    pub author: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineageCriterion {
    pub label: String,
    pub weight: i32,
    pub mean: f64,
    pub count: u32,
}

impl Lineage {
    /// None for an action written directly in the plan (its lineage is `{}`).
    pub fn parse(json: &str) -> Option<Lineage> {
        serde_json::from_str::<Lineage>(json).ok().filter(|l| !l.workshop.is_empty() || !l.ideas.is_empty())
    }
}

/// Where a plan's current version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanState {
    Draft,
    Submitted,
    Adopted,
}

impl PlanState {
    pub fn code(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::Submitted => "submitted",
            PlanState::Adopted => "adopted",
        }
    }

    pub fn parse(code: &str) -> PlanState {
        match code {
            "submitted" => PlanState::Submitted,
            "adopted" => PlanState::Adopted,
            _ => PlanState::Draft,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanState::Draft => "En préparation",
            PlanState::Submitted => "Soumis à l’adoption",
            PlanState::Adopted => "Adopté",
        }
    }

    /// The content (axes, actions, indicators, « l'étape d'après ») is written only while the version is a draft.
    pub fn content_editable(self) -> bool {
        self == PlanState::Draft
    }
}

/// The follow-up meeting: six months after the adoption (the same day of the month, or the month's last day).
pub fn follow_up_date(adopted_on: NaiveDate) -> NaiveDate {
    adopted_on.checked_add_months(chrono::Months::new(6)).unwrap_or(adopted_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn amounts_as_people_type_them() {
        assert_eq!(parse_amount("12 000", "Le budget"), Ok(Some(1_200_000)));
        assert_eq!(parse_amount("12\u{202f}000,5 €", "Le budget"), Ok(Some(1_200_050)));
        assert_eq!(parse_amount("1500.25", "Le budget"), Ok(Some(150_025)));
        assert_eq!(parse_amount("", "Le budget"), Ok(None));
        assert!(parse_amount("-3", "Le budget").is_err());
        assert!(parse_amount("12,345", "Le budget").is_err());
        assert!(parse_amount("douze", "Le budget").unwrap_err().starts_with("Le budget"));
        assert!(parse_amount("99999999999999999", "Le budget").is_err());
        assert_eq!(euros(1_200_050), "12\u{202f}000,50\u{a0}€");
        assert_eq!(euros(500), "5\u{a0}€");
        assert_eq!(number_fr(1234.5), "1\u{202f}234,5");
        assert_eq!(number_fr(-0.25), "-0,25");
        assert_eq!(number_fr(12.0), "12");
    }

    #[test]
    fn statuses_from_codes_and_spreadsheet_labels() {
        assert_eq!(ActionStatus::parse("en cours"), Ok(ActionStatus::Ongoing));
        assert_eq!(ActionStatus::parse("Réalisé"), Ok(ActionStatus::Done));
        assert_eq!(ActionStatus::parse("ABANDONNÉE"), Ok(ActionStatus::Abandoned));
        assert_eq!(ActionStatus::parse("à venir"), Ok(ActionStatus::Planned));
        assert_eq!(ActionStatus::parse("paused"), Ok(ActionStatus::Paused));
        assert!(ActionStatus::parse("peut-être").is_err());
        assert_eq!(Frequency::parse("Trimestriel"), Ok(Frequency::Quarterly));
        assert_eq!(Direction::parse("Baisse"), Ok(Direction::Down));
    }

    #[test]
    fn an_action_names_every_bad_field() {
        let input = ActionInput {
            title: "Ab",
            starts_on: "2027-06-01",
            ends_on: "2027-01-01",
            budget: "beaucoup",
            fundings: "Région ; 10 000 ; acquis\nÉtat",
            ..ActionInput::default()
        };
        let errors = ActionContentFields::parse(&input).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["title", "ends_on", "budget", "fundings"]);
        assert!(errors[3].1.contains("ligne 2"), "{:?}", errors[3]);
        let good = ActionInput {
            title: "Un conseiller numérique itinérant",
            fundings: "Région ; 10 000 ; acquis\nÉtat ; 5 000,50 ; à trouver",
            partners: "Association Cap Numérique\n\n  La Poste ",
            partner_entries: vec!["12", ""],
            ..ActionInput::default()
        };
        let fields = ActionContentFields::parse(&good).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.fundings[1], Funding { funder: "État".into(), amount_cents: 500_050, secured: false });
        assert!(fields.fundings[0].secured);
        assert_eq!(fields.partners, ["Association Cap Numérique", "La Poste"]);
        assert_eq!(fields.partner_entry_ids, [12]);
        assert_eq!(Funding::parse_lines(&fields.fundings[1].to_line()), Ok(vec![fields.fundings[1].clone()]));
    }

    #[test]
    fn progress_fields_ask_for_reasons() {
        let paused = ProgressInput { status: "paused", progress_mode: "indicators", ..ProgressInput::default() };
        assert_eq!(ProgressFields::parse(&paused).unwrap_err()[0].0, "status_reason");
        let manual = ProgressInput {
            status: "ongoing",
            progress_mode: "manual",
            progress_manual: "140",
            ..ProgressInput::default()
        };
        assert_eq!(ProgressFields::parse(&manual).unwrap_err()[0].0, "progress_manual");
        let late = ProgressInput {
            status: "ongoing",
            progress_mode: "indicators",
            late_override: "on_time",
            ..ProgressInput::default()
        };
        assert_eq!(ProgressFields::parse(&late).unwrap_err()[0].0, "late_reason");
        let milestones = ProgressInput {
            status: "ongoing",
            progress_mode: "milestones",
            milestones: "31/03/2027 ; Recrutement ; fait le 20/03/2027\n30/06/2027 ; Première tournée",
            ..ProgressInput::default()
        };
        let fields = ProgressFields::parse(&milestones).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(fields.milestones[0].done_on, Some(d(2027, 3, 20)));
        assert_eq!(Milestone::parse_lines(&fields.milestones[0].to_line()), Ok(vec![fields.milestones[0].clone()]));
    }

    #[test]
    fn indicator_progress_and_track_follow_the_direction() {
        // Up: from 40 to 100 by the end of 2027, measured at 70 mid-2027 → half-way, on track (expected ~70).
        let targets = [(d(2027, 12, 31), 100.0)];
        let measured = [(d(2026, 12, 31), 50.0), (d(2027, 7, 1), 72.0)];
        let up = Series {
            direction: Direction::Up,
            baseline: Some((d(2026, 12, 31), 40.0)),
            targets: &targets,
            measurements: &measured,
        };
        assert!((up.progress().unwrap_or_default() - 0.533).abs() < 0.01);
        assert_eq!(up.on_track(), Some(true));
        let behind = [(d(2027, 7, 1), 55.0)];
        assert_eq!(Series { measurements: &behind, ..up }.on_track(), Some(false));
        // Down: from 30 % to 10 %, measured at 25 → a quarter of the way.
        let down_targets = [(d(2027, 6, 30), 20.0), (d(2028, 6, 30), 10.0)];
        let down_measured = [(d(2027, 6, 30), 19.0), (d(2027, 12, 31), 25.0)];
        let down = Series {
            direction: Direction::Down,
            baseline: Some((d(2026, 6, 30), 30.0)),
            targets: &down_targets,
            measurements: &down_measured,
        };
        assert!((down.progress().unwrap_or_default() - 0.25).abs() < 1e-9);
        assert_eq!(down.on_track(), Some(false), "25 at the end of 2027 where 15 was expected");
        assert_eq!(Series { baseline: None, ..down }.progress(), None);
        // Beyond the target, never beyond 100 %.
        let over = [(d(2027, 12, 31), 140.0)];
        assert_eq!(Series { measurements: &over, ..up }.progress(), Some(1.0));
        let all = [up, down, Series { baseline: None, ..down }];
        let progress = Progress::of(ProgressMode::Indicators, None, &all, &[]);
        assert_eq!(progress.percent(), Some(39));
        assert!(progress.source().contains("2 indicateurs sur 3"), "{}", progress.source());
    }

    #[test]
    fn lateness_from_dates_milestones_and_a_persons_word() {
        let today = d(2027, 9, 1);
        let m = Milestone { title: "Recrutement".into(), due_on: d(2027, 8, 1), done_on: None };
        let late = |s, start, end, ms: &[Milestone]| Lateness::of(s, start, end, ms, None, today);
        assert!(late(ActionStatus::Ongoing, None, Some(d(2027, 8, 31)), &[]).is_late());
        assert!(!late(ActionStatus::Done, None, Some(d(2027, 8, 31)), &[]).is_late());
        assert!(late(ActionStatus::Planned, Some(d(2027, 6, 1)), None, &[]).is_late());
        assert!(!late(ActionStatus::Ongoing, Some(d(2027, 6, 1)), None, &[]).is_late());
        assert!(late(ActionStatus::Ongoing, None, None, std::slice::from_ref(&m)).describe().contains("Recrutement"));
        let said = Lateness::of(
            ActionStatus::Ongoing,
            None,
            Some(d(2027, 1, 1)),
            &[],
            Some((LateOverride::OnTime, "échéance repoussée par le bureau")),
            today,
        );
        assert!(!said.is_late());
        assert!(said.describe().contains("repoussée"));
    }

    #[test]
    fn adoption_needs_a_majority_and_the_act() {
        let today = d(2027, 3, 1);
        let input = AdoptionInput {
            body: "conseil_communautaire",
            act_kind: "deliberation",
            act_number: "2027-014",
            adopted_on: "2027-02-12",
            votes_for: "48",
            votes_against: "3",
            abstentions: "2",
            act_url: "",
        };
        assert!(AdoptionFields::parse(&input, true, today).is_ok());
        assert_eq!(AdoptionFields::parse(&input, false, today).unwrap_err()[0].0, "act_url");
        let tied = AdoptionInput { votes_for: "3", ..input.clone() };
        assert_eq!(AdoptionFields::parse(&tied, true, today).unwrap_err()[0].0, "votes_for");
        let future = AdoptionInput { adopted_on: "2027-04-01", ..input };
        assert_eq!(AdoptionFields::parse(&future, true, today).unwrap_err()[0].0, "adopted_on");
    }

    #[test]
    fn a_pdf_is_checked_by_its_content() {
        assert!(check_pdf(b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").is_ok());
        assert!(check_pdf(b"").unwrap_err().contains("vide"));
        assert!(check_pdf(b"PK\x03\x04zip renamed .pdf").unwrap_err().contains("n’est pas un PDF"));
        assert!(check_pdf(b"%PDF-1.7\n1 0 obj<<>>endobj\nstream trunc").unwrap_err().contains("incomplet"));
        assert!(check_pdf(&vec![b'%'; MAX_ACT_BYTES + 1]).unwrap_err().contains("10 Mo"));
    }

    #[test]
    fn changes_between_versions_are_told() {
        let action = |id, title: &str| ActionContent {
            id,
            title: title.into(),
            description: String::new(),
            lead: "Service social".into(),
            partners: vec![],
            starts_on: None,
            ends_on: None,
            budget_cents: Some(100),
            fundings: vec![],
            priority: 2,
            indicators: vec![],
        };
        let old = PlanContent {
            axes: vec![AxisContent {
                title: "Aller vers".into(),
                description: String::new(),
                actions: vec![action(1, "Bus"), action(2, "Permanences")],
            }],
            next_steps: NextSteps::default(),
        };
        let mut new = old.clone();
        new.axes[0].actions[0].budget_cents = Some(200);
        new.axes[0].actions.remove(1);
        new.axes.push(AxisContent {
            title: "Former".into(),
            description: String::new(),
            actions: vec![action(3, "Ateliers")],
        });
        new.next_steps.citizens = "Un comité d’usagers.".into();
        assert_eq!(
            changes(&old, &new),
            [
                "Axe ajouté : « Former ».",
                "Action « Bus » : budget.",
                "Action ajoutée dans l’axe « Former » : « Ateliers ».",
                "Action retirée : « Permanences ».",
                "L’étape d’après : la dimension citoyenne modifiée.",
            ]
        );
        assert!(changes(&new, &new).is_empty());
    }

    #[test]
    fn follow_up_six_months_on() {
        assert_eq!(follow_up_date(d(2027, 2, 12)), d(2027, 8, 12));
        assert_eq!(follow_up_date(d(2027, 8, 31)), d(2028, 2, 29));
    }
}
