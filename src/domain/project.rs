//! Shared projects (docs/product.md § Lifecycle, steps 2–6): their phases as a state machine with guarded transitions,
//! enrolment as participant or observer, events and news.

use chrono::{NaiveDate, NaiveDateTime};

use super::text::{bounded_text, clean_line, errors_of};

/// Bounds on the participant count, when the agency leaves them as they are (Territoires en commun: 3 to 5).
pub const DEFAULT_MIN_PARTICIPANTS: i32 = 3;
pub const DEFAULT_MAX_PARTICIPANTS: i32 = 5;
/// The largest cohort a project may have; larger programmes are several projects.
pub const MAX_PARTICIPANTS_LIMIT: i32 = 100;

/// A project's lifecycle, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Enrolment,
    ProviderSelection,
    Diagnostic,
    CoDesign,
    Adoption,
    Restitution,
    FollowUp,
    Closed,
}

/// What the guards of a transition look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseFacts<'a> {
    pub active_participants: i32,
    pub min_participants: i32,
    pub has_provider: bool,
    /// The active participants (by name) that have not done what the current phase asks of each: in `adoption`,
    /// their action plan adopted.
    pub unfinished: &'a [String],
    /// The phases the project's programme does not use: the project passes over them.
    pub skipped: PhaseSet,
}

/// A set of phases (those a programme does not use), stored as their codes separated by spaces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhaseSet(u8);

impl PhaseSet {
    pub fn contains(self, phase: Phase) -> bool {
        self.0 & Self::bit(phase) != 0
    }

    pub fn with(self, phase: Phase) -> PhaseSet {
        PhaseSet(self.0 | Self::bit(phase))
    }

    fn bit(phase: Phase) -> u8 {
        1 << Phase::ALL.iter().position(|p| *p == phase).unwrap_or_default()
    }

    /// Unknown codes are ignored: the column is only written from a checked programme.
    pub fn parse(codes: &str) -> PhaseSet {
        codes.split_whitespace().filter_map(Phase::parse).fold(PhaseSet::default(), PhaseSet::with)
    }

    pub fn codes(self) -> String {
        self.phases().map(Phase::code).collect::<Vec<_>>().join(" ")
    }

    pub fn phases(self) -> impl Iterator<Item = Phase> {
        Phase::ALL.into_iter().filter(move |p| self.contains(*p))
    }
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Enrolment,
        Phase::ProviderSelection,
        Phase::Diagnostic,
        Phase::CoDesign,
        Phase::Adoption,
        Phase::Restitution,
        Phase::FollowUp,
        Phase::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Phase::Enrolment => "enrolment",
            Phase::ProviderSelection => "provider_selection",
            Phase::Diagnostic => "diagnostic",
            Phase::CoDesign => "co_design",
            Phase::Adoption => "adoption",
            Phase::Restitution => "restitution",
            Phase::FollowUp => "follow_up",
            Phase::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::Enrolment => "Inscriptions",
            Phase::ProviderSelection => "Choix du prestataire",
            Phase::Diagnostic => "Diagnostic",
            Phase::CoDesign => "Croisement des regards et co-construction",
            Phase::Adoption => "Adoption des plans d’action",
            Phase::Restitution => "Restitution aux habitants",
            Phase::FollowUp => "Suivi et évaluation",
            Phase::Closed => "Projet clos",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Phase::Enrolment => {
                "Les collectivités s’inscrivent comme participantes (en signant la charte) ou observatrices."
            }
            Phase::ProviderSelection => {
                "L’agence choisit le prestataire qui accompagnera les territoires participants."
            }
            Phase::Diagnostic => {
                "Sur chaque territoire : acteurs, lieux et culture de l’engagement, enquête auprès des habitants."
            }
            Phase::CoDesign => "Imagination, objectifs et critères de réussite, puis convergence sur des actions.",
            Phase::Adoption => "Chaque exécutif adopte le plan d’action de son territoire.",
            Phase::Restitution => "Le groupe d’enquête montre aux habitants ce qui a été fait de leur parole.",
            Phase::FollowUp => "Mise en œuvre, indicateurs et rendez-vous à six mois.",
            Phase::Closed => "Le projet est terminé ; ses travaux restent consultables.",
        }
    }

    pub fn next(self) -> Option<Phase> {
        Phase::ALL.into_iter().skip_while(|p| *p != self).nth(1)
    }

    /// The phases a programme may leave out; the others carry the lifecycle (docs/product.md § Programmes).
    pub const OPTIONAL: [Phase; 3] = [Phase::ProviderSelection, Phase::Restitution, Phase::FollowUp];

    /// The next phase a project whose programme leaves out `skipped` passes to.
    pub fn next_used(self, skipped: PhaseSet) -> Option<Phase> {
        Phase::ALL.into_iter().skip_while(|p| *p != self).skip(1).find(|p| !skipped.contains(*p))
    }

    /// Whether the project may go from `self` to `to`, given the facts: the next phase only, when its guard holds,
    /// or closing at any time. The error says what is missing, in French.
    pub fn may_become(self, to: Phase, facts: PhaseFacts) -> Result<(), String> {
        if self == Phase::Closed {
            return Err("Le projet est clos : sa phase ne change plus.".into());
        }
        if to == Phase::Closed {
            return Ok(());
        }
        let next = self.next_used(facts.skipped);
        if next != Some(to) {
            return Err(format!(
                "Le projet est en phase « {} » : il ne peut passer qu’à la phase suivante, « {} ».",
                self.label(),
                next.map_or("", Phase::label)
            ));
        }
        let short = facts.active_participants < facts.min_participants;
        match to {
            Phase::ProviderSelection | Phase::Diagnostic if short => Err(format!(
                "Il faut au moins {} collectivités participantes pour passer à « {} » ; le projet en compte {}.",
                facts.min_participants,
                to.label(),
                facts.active_participants
            )),
            Phase::Diagnostic if !facts.has_provider => {
                Err("Le diagnostic ne peut pas commencer sans prestataire : désignez-le d’abord.".into())
            }
            Phase::Restitution if !facts.unfinished.is_empty() => Err(format!(
                "Chaque territoire participant doit avoir adopté son plan d’action ; pas encore adopté : {}.",
                facts.unfinished.join(", ")
            )),
            Phase::FollowUp if !facts.unfinished.is_empty() => Err(format!(
                "Chaque territoire participant doit avoir publié sa restitution aux habitants ; pas encore publiée : {}.",
                facts.unfinished.join(", ")
            )),
            _ => Ok(()),
        }
    }

    /// Participants may enrol only while enrolment is open; observers until the project closes.
    pub fn accepts_enrolment(self, role: EnrolmentRole) -> bool {
        match role {
            EnrolmentRole::Participant => self == Phase::Enrolment,
            EnrolmentRole::Observer => self != Phase::Closed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolmentRole {
    Participant,
    Observer,
}

impl EnrolmentRole {
    pub fn code(self) -> &'static str {
        match self {
            EnrolmentRole::Participant => "participant",
            EnrolmentRole::Observer => "observer",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        match code {
            "participant" => Ok(EnrolmentRole::Participant),
            "observer" => Ok(EnrolmentRole::Observer),
            _ => Err("Choisissez comment votre collectivité s’inscrit : participante ou observatrice.".into()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EnrolmentRole::Participant => "Participante",
            EnrolmentRole::Observer => "Observatrice",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolmentStatus {
    Active,
    Waitlisted,
    Withdrawn,
}

impl EnrolmentStatus {
    pub fn code(self) -> &'static str {
        match self {
            EnrolmentStatus::Active => "active",
            EnrolmentStatus::Waitlisted => "waitlisted",
            EnrolmentStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [EnrolmentStatus::Active, EnrolmentStatus::Waitlisted, EnrolmentStatus::Withdrawn]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            EnrolmentStatus::Active => "Inscrite",
            EnrolmentStatus::Waitlisted => "En liste d’attente",
            EnrolmentStatus::Withdrawn => "Retirée",
        }
    }
}

/// Where a collectivity stands in a project. The waiting list is for participant seats; an observer that asks for
/// one keeps observing while it waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    NotEnrolled,
    Observer,
    Participant,
    Waiting { observing: bool },
}

impl Standing {
    pub fn of(role: EnrolmentRole, status: EnrolmentStatus, observes_while_waiting: bool) -> Standing {
        match (status, role) {
            (EnrolmentStatus::Withdrawn, _) => Standing::NotEnrolled,
            (EnrolmentStatus::Waitlisted, _) => Standing::Waiting { observing: observes_while_waiting },
            (EnrolmentStatus::Active, EnrolmentRole::Observer) => Standing::Observer,
            (EnrolmentStatus::Active, EnrolmentRole::Participant) => Standing::Participant,
        }
    }

    /// Observers follow the project, whether or not they wait for a seat.
    pub fn observes(self) -> bool {
        matches!(self, Standing::Observer | Standing::Waiting { observing: true })
    }
}

/// What a referent meant by leaving: the request carries it, so that a page loaded before the collectivity's
/// standing changed (promoted from the waiting list meanwhile) cannot undo what the referent did not see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawal {
    LeaveWaitingList,
    GiveUpSeat,
    StopObserving,
}

/// What a withdrawal does given where the collectivity stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawalDecision {
    /// Write it: the collectivity then stands there.
    Proceed(Standing),
    /// The effect already holds (a double click, two tabs): nothing to write.
    AlreadyDone,
    /// The standing changed since the page was loaded: nothing is written, the page says what happened.
    Changed(Standing),
}

impl Withdrawal {
    pub fn code(self) -> &'static str {
        match self {
            Withdrawal::LeaveWaitingList => "leave_waiting_list",
            Withdrawal::GiveUpSeat => "give_up_seat",
            Withdrawal::StopObserving => "stop_observing",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        [Withdrawal::LeaveWaitingList, Withdrawal::GiveUpSeat, Withdrawal::StopObserving]
            .into_iter()
            .find(|w| w.code() == code)
            .ok_or_else(|| "Dites ce que votre collectivité quitte : la liste d’attente, sa place ou le suivi.".into())
    }

    /// The one place that says, for each intent, which standing it applies to and what it leaves behind.
    pub fn decide(self, now: Standing) -> WithdrawalDecision {
        use Standing::*;
        use WithdrawalDecision::*;
        match (self, now) {
            (Withdrawal::LeaveWaitingList, Waiting { observing: true }) => Proceed(Observer),
            (Withdrawal::LeaveWaitingList, Waiting { observing: false }) => Proceed(NotEnrolled),
            (Withdrawal::LeaveWaitingList, NotEnrolled | Observer) => AlreadyDone,
            (Withdrawal::GiveUpSeat, Participant) => Proceed(NotEnrolled),
            (Withdrawal::StopObserving, Observer) => Proceed(NotEnrolled),
            (Withdrawal::GiveUpSeat | Withdrawal::StopObserving, NotEnrolled) => AlreadyDone,
            (_, now) => Changed(now),
        }
    }
}

/// A request to enrol, validated: a participant must have accepted the charter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrolmentRequest {
    pub role: EnrolmentRole,
}

impl EnrolmentRequest {
    pub fn parse(role: &str, charter_accepted: bool) -> Result<Self, Vec<(&'static str, String)>> {
        let role = EnrolmentRole::parse(role).map_err(|e| vec![("role", e)])?;
        if role == EnrolmentRole::Participant && !charter_accepted {
            return Err(vec![(
                "charter",
                "Pour participer, votre collectivité doit accepter la charte du projet : cochez la case après l’avoir lue."
                    .into(),
            )]);
        }
        Ok(EnrolmentRequest { role })
    }
}

pub(crate) fn one_line(input: &str, what: &str, min: usize, max: usize) -> Result<String, String> {
    let line = clean_line(input).ok_or_else(|| format!("{what} contient des caractères non autorisés."))?;
    bounded_text(&line, what, min, max)
}

pub fn parse_date(input: &str, what: &str) -> Result<NaiveDate, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err(format!("{what} est obligatoire."));
    }
    NaiveDate::parse_from_str(input, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(input, "%d/%m/%Y"))
        .map_err(|_| format!("{what} n’est pas une date valide (attendu : JJ/MM/AAAA)."))
}

/// A date and time as a browser's `datetime-local` field sends it, or typed as "JJ/MM/AAAA HH:MM".
pub fn parse_datetime(input: &str, what: &str) -> Result<NaiveDateTime, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err(format!("{what} est obligatoire."));
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(input, format).ok())
        .ok_or_else(|| format!("{what} n’est pas une date et une heure valides (attendu : JJ/MM/AAAA HH:MM)."))
}

fn parse_count(input: &str, what: &str, default: i32) -> Result<i32, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(default);
    }
    match input.parse::<i32>() {
        Ok(n) if (1..=MAX_PARTICIPANTS_LIMIT).contains(&n) => Ok(n),
        _ => Err(format!("{what} doit être un nombre entier entre 1 et {MAX_PARTICIPANTS_LIMIT}.")),
    }
}

/// A web address given by a person: http or https only.
pub fn parse_url(input: &str, what: &str) -> Result<String, String> {
    let url = input.trim();
    let lower = url.to_ascii_lowercase();
    let host = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match host {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && url.len() <= 2000
                && !url.contains(char::is_whitespace) =>
        {
            Ok(url.to_owned())
        }
        _ => Err(format!("{what} doit être une adresse web complète, commençant par https://.")),
    }
}

/// A project as the agency opens it from a theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProject {
    pub title: String,
    pub description: String,
    pub charter: String,
    pub min_participants: i32,
    pub max_participants: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// The fields of the project form, as typed.
pub struct ProjectInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub charter: &'a str,
    pub min_participants: &'a str,
    pub max_participants: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
}

impl NewProject {
    pub fn parse(input: &ProjectInput) -> Result<NewProject, Vec<(&'static str, String)>> {
        let title = one_line(input.title, "Le titre", 5, 150);
        let description = bounded_text(input.description, "La description", 20, 10_000);
        let charter = bounded_text(input.charter, "La charte", 20, 20_000);
        let min = parse_count(input.min_participants, "Le minimum de participantes", DEFAULT_MIN_PARTICIPANTS);
        let max = parse_count(input.max_participants, "Le maximum de participantes", DEFAULT_MAX_PARTICIPANTS);
        let max = match (&min, max) {
            (Ok(min), Ok(max)) if max < *min => {
                Err(format!("Le maximum ({max}) ne peut pas être inférieur au minimum ({min})."))
            }
            (_, max) => max,
        };
        let starts_on = parse_date(input.starts_on, "La date de début");
        let ends_on = match (&starts_on, parse_date(input.ends_on, "La date de fin")) {
            (Ok(start), Ok(end)) if end < *start => Err("La date de fin doit suivre la date de début.".to_owned()),
            (_, end) => end,
        };
        match (title, description, charter, min, max, starts_on, ends_on) {
            (Ok(title), Ok(description), Ok(charter), Ok(min), Ok(max), Ok(starts_on), Ok(ends_on)) => Ok(NewProject {
                title,
                description,
                charter,
                min_participants: min,
                max_participants: max,
                starts_on,
                ends_on,
            }),
            (title, description, charter, min, max, starts_on, ends_on) => Err(errors_of(vec![
                ("title", title.err()),
                ("description", description.err()),
                ("charter", charter.err()),
                ("min_participants", min.err()),
                ("max_participants", max.err()),
                ("starts_on", starts_on.err()),
                ("ends_on", ends_on.err()),
            ])),
        }
    }
}

/// A note explaining a phase change, shown on the public timeline.
pub fn parse_transition_note(note: &str) -> Result<String, String> {
    bounded_text(note, "La note de passage", 5, 2000)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Meeting,
    LocalSeminar,
    InterSiteSeminar,
    PeerExchange,
    Supervision,
    /// A workshop of a territory's creativity cycle (`domain::codesign`): created from the territory's co-design
    /// page, which sets its step.
    Workshop,
    /// The follow-up meeting of a territory's adopted plan (`domain::plan`), six months on: scheduled by the
    /// adoption.
    FollowUp,
    /// A meeting of a territory's restitution to its inhabitants (`domain::restitution`): a public meeting, a
    /// stand…, created from the territory's restitution page.
    Restitution,
    /// A meeting of the project's steering committee: the partner organisations with the agency.
    SteeringCommittee,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::Meeting,
        EventKind::LocalSeminar,
        EventKind::InterSiteSeminar,
        EventKind::PeerExchange,
        EventKind::Supervision,
        EventKind::Workshop,
        EventKind::FollowUp,
        EventKind::Restitution,
        EventKind::SteeringCommittee,
    ];

    /// The kinds the learning community holds: the delegations' members who are not of the working space see
    /// these events.
    pub fn is_community(self) -> bool {
        matches!(self, EventKind::InterSiteSeminar | EventKind::PeerExchange | EventKind::Supervision)
    }

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Meeting => "meeting",
            EventKind::LocalSeminar => "local_seminar",
            EventKind::InterSiteSeminar => "inter_site_seminar",
            EventKind::PeerExchange => "peer_exchange",
            EventKind::Supervision => "supervision",
            EventKind::Workshop => "workshop",
            EventKind::FollowUp => "follow_up",
            EventKind::Restitution => "restitution",
            EventKind::SteeringCommittee => "steering_committee",
        }
    }

    pub fn parse(code: &str) -> Result<Self, String> {
        EventKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| "Choisissez le type de rendez-vous dans la liste.".into())
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::Meeting => "Réunion",
            EventKind::LocalSeminar => "Séminaire local",
            EventKind::InterSiteSeminar => "Séminaire inter-sites",
            EventKind::PeerExchange => "Échange entre pairs",
            EventKind::Supervision => "Séance de supervision",
            EventKind::Workshop => "Atelier",
            EventKind::FollowUp => "Rendez-vous de suivi",
            EventKind::Restitution => "Restitution aux habitants",
            EventKind::SteeringCommittee => "Comité de pilotage",
        }
    }
}

/// A meeting or seminar, validated. Times are French local time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub place: Option<String>,
    pub online_url: Option<String>,
    /// The hosting collectivity of a local seminar; `None` for an inter-site event.
    pub collectivity_id: Option<i64>,
}

pub struct EventInput<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub starts_at: &'a str,
    pub ends_at: &'a str,
    pub place: &'a str,
    pub online_url: &'a str,
    /// Empty for inter-site; otherwise the id of a participant collectivity, checked by the caller.
    pub collectivity_id: &'a str,
}

impl NewEvent {
    pub fn parse(input: &EventInput) -> Result<NewEvent, Vec<(&'static str, String)>> {
        let kind = EventKind::parse(input.kind);
        let title = one_line(input.title, "Le titre", 3, 150);
        let description = bounded_text(input.description, "La présentation", 0, 10_000);
        let starts_at = parse_datetime(input.starts_at, "Le début");
        let ends_at = match (&starts_at, parse_datetime(input.ends_at, "La fin")) {
            (Ok(start), Ok(end)) if end <= *start => Err("La fin doit suivre le début.".to_owned()),
            (_, end) => end,
        };
        let place = one_line(input.place, "Le lieu", 0, 300).map(|p| Some(p).filter(|p| !p.is_empty()));
        let online_url = match input.online_url.trim() {
            "" => Ok(None),
            url => parse_url(url, "Le lien de visioconférence").map(Some),
        };
        let place = match (place, &online_url) {
            (Ok(None), Ok(None)) => Err("Indiquez un lieu, un lien de visioconférence, ou les deux.".to_owned()),
            (place, _) => place,
        };
        let collectivity_id = match input.collectivity_id.trim() {
            "" => Ok(None),
            id => id.parse::<i64>().map(Some).map_err(|_| "Choisissez le territoire dans la liste.".to_owned()),
        };
        let collectivity_id = match (&kind, collectivity_id) {
            (Ok(EventKind::LocalSeminar), Ok(None)) => {
                Err("Un séminaire local a lieu sur un territoire : choisissez lequel.".to_owned())
            }
            (Ok(EventKind::Workshop), Ok(None)) => {
                Err("Un atelier a lieu sur un territoire : choisissez lequel.".to_owned())
            }
            (Ok(EventKind::FollowUp), Ok(None)) => {
                Err("Un rendez-vous de suivi porte sur le plan d’un territoire : choisissez lequel.".to_owned())
            }
            (Ok(EventKind::Restitution), Ok(None)) => {
                Err("Une restitution s’adresse aux habitants d’un territoire : choisissez lequel.".to_owned())
            }
            (_, c) => c,
        };
        match (kind, title, description, starts_at, ends_at, place, online_url, collectivity_id) {
            (
                Ok(kind),
                Ok(title),
                Ok(description),
                Ok(starts_at),
                Ok(ends_at),
                Ok(place),
                Ok(online_url),
                Ok(collectivity_id),
            ) => Ok(NewEvent { kind, title, description, starts_at, ends_at, place, online_url, collectivity_id }),
            (kind, title, description, starts_at, ends_at, place, online_url, collectivity_id) => Err(errors_of(vec![
                ("kind", kind.err()),
                ("title", title.err()),
                ("description", description.err()),
                ("starts_at", starts_at.err()),
                ("ends_at", ends_at.err()),
                ("place", place.err()),
                ("online_url", online_url.err()),
                ("collectivity_id", collectivity_id.err()),
            ])),
        }
    }
}

pub fn parse_minutes(text: &str) -> Result<String, String> {
    bounded_text(text, "Le compte rendu", 10, 50_000)
}

/// A news item posted on a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPost {
    pub title: String,
    pub body: String,
    pub is_public: bool,
}

impl NewPost {
    pub fn parse(title: &str, body: &str, visibility: &str) -> Result<NewPost, Vec<(&'static str, String)>> {
        let title = one_line(title, "Le titre", 3, 150);
        let body = bounded_text(body, "Le texte", 10, 20_000);
        let is_public = match visibility {
            "public" => Ok(true),
            "participants" => Ok(false),
            _ => Err("Choisissez qui peut lire cette actualité.".to_owned()),
        };
        match (title, body, is_public) {
            (Ok(title), Ok(body), Ok(is_public)) => Ok(NewPost { title, body, is_public }),
            (title, body, is_public) => {
                Err(errors_of(vec![("title", title.err()), ("body", body.err()), ("visibility", is_public.err())]))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENOUGH: PhaseFacts = PhaseFacts {
        active_participants: 3,
        min_participants: 3,
        has_provider: true,
        unfinished: &[],
        skipped: PhaseSet(0),
    };

    #[test]
    fn phases_follow_their_order() {
        assert_eq!(Phase::Enrolment.next(), Some(Phase::ProviderSelection));
        assert_eq!(Phase::FollowUp.next(), Some(Phase::Closed));
        assert_eq!(Phase::Closed.next(), None);
        assert!(Phase::Enrolment.may_become(Phase::ProviderSelection, ENOUGH).is_ok());
        assert!(Phase::Enrolment.may_become(Phase::Diagnostic, ENOUGH).is_err(), "no skipping");
        assert!(Phase::Diagnostic.may_become(Phase::Enrolment, ENOUGH).is_err(), "no going back");
        assert!(Phase::Diagnostic.may_become(Phase::Closed, ENOUGH).is_ok(), "closing at any time");
        assert!(Phase::Closed.may_become(Phase::Closed, ENOUGH).is_err());
        for phase in Phase::ALL {
            assert_eq!(Phase::parse(phase.code()), Some(phase));
        }
    }

    #[test]
    fn a_programme_passes_over_the_phases_it_leaves_out() {
        let skipped = PhaseSet::parse("provider_selection restitution nonsense");
        assert_eq!(skipped.codes(), "provider_selection restitution");
        let facts = PhaseFacts { skipped, ..ENOUGH };
        assert_eq!(Phase::Enrolment.next_used(skipped), Some(Phase::Diagnostic));
        assert!(Phase::Enrolment.may_become(Phase::Diagnostic, facts).is_ok());
        let error = Phase::Enrolment.may_become(Phase::ProviderSelection, facts).unwrap_err();
        assert!(error.contains("« Diagnostic »"), "{error}");
        // Leaving out the provider's phase does not leave out its guard.
        let no_provider = PhaseFacts { has_provider: false, ..facts };
        assert!(Phase::Enrolment.may_become(Phase::Diagnostic, no_provider).unwrap_err().contains("prestataire"));
        assert_eq!(Phase::Adoption.next_used(skipped), Some(Phase::FollowUp));
    }

    #[test]
    fn guards_say_what_is_missing() {
        let short = PhaseFacts { active_participants: 2, ..ENOUGH };
        let error = Phase::Enrolment.may_become(Phase::ProviderSelection, short).unwrap_err();
        assert!(error.contains("au moins 3") && error.contains("en compte 2"), "{error}");
        let no_provider = PhaseFacts { has_provider: false, ..ENOUGH };
        assert!(Phase::ProviderSelection
            .may_become(Phase::Diagnostic, no_provider)
            .unwrap_err()
            .contains("prestataire"));
        assert!(Phase::ProviderSelection.may_become(Phase::Diagnostic, short).is_err());
        assert!(Phase::ProviderSelection.may_become(Phase::Diagnostic, ENOUGH).is_ok());
        let names = ["Agglopolys".to_owned(), "Grand Châtellerault".to_owned()];
        let plans_missing = PhaseFacts { unfinished: &names, ..ENOUGH };
        let error = Phase::Adoption.may_become(Phase::Restitution, plans_missing).unwrap_err();
        assert!(error.ends_with("pas encore adopté : Agglopolys, Grand Châtellerault."), "{error}");
        assert!(Phase::Adoption.may_become(Phase::Closed, plans_missing).is_ok(), "closing at any time");
        assert!(Phase::Adoption.may_become(Phase::Restitution, ENOUGH).is_ok());
        let error = Phase::Restitution.may_become(Phase::FollowUp, plans_missing).unwrap_err();
        assert!(error.ends_with("pas encore publiée : Agglopolys, Grand Châtellerault."), "{error}");
        assert!(Phase::Restitution.may_become(Phase::FollowUp, ENOUGH).is_ok());
    }

    #[test]
    fn enrolment_needs_the_charter_for_participants() {
        assert_eq!(EnrolmentRequest::parse("participant", false).unwrap_err()[0].0, "charter");
        assert!(EnrolmentRequest::parse("participant", true).is_ok());
        assert!(EnrolmentRequest::parse("observer", false).is_ok());
        assert_eq!(EnrolmentRequest::parse("chef", true).unwrap_err()[0].0, "role");
        assert!(Phase::Enrolment.accepts_enrolment(EnrolmentRole::Participant));
        assert!(!Phase::Diagnostic.accepts_enrolment(EnrolmentRole::Participant));
        assert!(Phase::Diagnostic.accepts_enrolment(EnrolmentRole::Observer));
        assert!(!Phase::Closed.accepts_enrolment(EnrolmentRole::Observer));
    }

    #[test]
    fn a_withdrawal_applies_only_to_the_standing_it_was_meant_for() {
        use Standing::*;
        use WithdrawalDecision::*;
        let waiting_observer = Waiting { observing: true };
        assert_eq!(Withdrawal::LeaveWaitingList.decide(waiting_observer), Proceed(Observer), "stays an observer");
        assert_eq!(Withdrawal::LeaveWaitingList.decide(Waiting { observing: false }), Proceed(NotEnrolled));
        assert_eq!(Withdrawal::LeaveWaitingList.decide(Participant), Changed(Participant), "promoted meanwhile");
        assert_eq!(Withdrawal::LeaveWaitingList.decide(NotEnrolled), AlreadyDone);
        assert_eq!(Withdrawal::GiveUpSeat.decide(Participant), Proceed(NotEnrolled));
        assert_eq!(Withdrawal::GiveUpSeat.decide(NotEnrolled), AlreadyDone, "a double click");
        assert_eq!(Withdrawal::GiveUpSeat.decide(waiting_observer), Changed(waiting_observer));
        assert_eq!(Withdrawal::StopObserving.decide(Observer), Proceed(NotEnrolled));
        assert_eq!(Withdrawal::StopObserving.decide(Participant), Changed(Participant));
        assert_eq!(Withdrawal::parse("give_up_seat"), Ok(Withdrawal::GiveUpSeat));
        assert!(Withdrawal::parse("").is_err());
        assert!(Standing::of(EnrolmentRole::Participant, EnrolmentStatus::Waitlisted, true).observes());
        assert!(!Standing::of(EnrolmentRole::Participant, EnrolmentStatus::Waitlisted, false).observes());
        assert!(!Standing::of(EnrolmentRole::Observer, EnrolmentStatus::Withdrawn, false).observes());
    }

    fn project_input<'a>(min: &'a str, max: &'a str, start: &'a str, end: &'a str) -> ProjectInput<'a> {
        ProjectInput {
            title: "Mobilités rurales",
            description: "Trois à cinq territoires travaillent ensemble sur les mobilités.",
            charter: "Chaque participante s’engage à mobiliser un groupe d’enquête mixte.",
            min_participants: min,
            max_participants: max,
            starts_on: start,
            ends_on: end,
        }
    }

    #[test]
    fn a_project_has_sound_bounds_and_dates() {
        let project = NewProject::parse(&project_input("", "", "2027-01-15", "15/12/2027")).unwrap();
        assert_eq!((project.min_participants, project.max_participants), (3, 5));
        let errors = NewProject::parse(&project_input("6", "4", "2027-01-15", "2026-12-01")).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["max_participants", "ends_on"]);
        let errors = NewProject::parse(&project_input("0", "x", "demain", "")).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
    }

    fn event_input<'a>(kind: &'a str, place: &'a str, url: &'a str, collectivity: &'a str) -> EventInput<'a> {
        EventInput {
            kind,
            title: "Séminaire de lancement",
            description: "",
            starts_at: "2027-02-03T09:30",
            ends_at: "2027-02-03T17:00",
            place,
            online_url: url,
            collectivity_id: collectivity,
        }
    }

    #[test]
    fn an_event_has_a_place_or_a_link_and_a_territory_when_local() {
        assert!(NewEvent::parse(&event_input("meeting", "Mairie de Blois", "", "")).is_ok());
        assert!(NewEvent::parse(&event_input("meeting", "", "https://visio.example/abc", "")).is_ok());
        assert_eq!(NewEvent::parse(&event_input("meeting", "", "", "")).unwrap_err()[0].0, "place");
        assert_eq!(
            NewEvent::parse(&event_input("meeting", "", "javascript:alert(1)", "")).unwrap_err()[0].0,
            "online_url"
        );
        assert_eq!(
            NewEvent::parse(&event_input("local_seminar", "Salle", "", "")).unwrap_err()[0].0,
            "collectivity_id"
        );
        assert!(NewEvent::parse(&event_input("local_seminar", "Salle", "", "12")).is_ok());
        let mut backwards = event_input("meeting", "Salle", "", "");
        backwards.ends_at = "2027-02-03T08:00";
        assert_eq!(NewEvent::parse(&backwards).unwrap_err()[0].0, "ends_at");
    }

    #[test]
    fn a_post_says_who_reads_it() {
        assert!(NewPost::parse("Lancement", "Le projet démarre avec quatre territoires.", "public").unwrap().is_public);
        assert!(
            !NewPost::parse("Lancement", "Le projet démarre avec quatre territoires.", "participants")
                .unwrap()
                .is_public
        );
        assert_eq!(NewPost::parse("", "court", "tous").unwrap_err().len(), 3);
    }
}
