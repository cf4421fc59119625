//! Fixture builders (crates.io's habit): a test says what it needs — the territories, a collectivity and its
//! people, the agency, a provider, a theme and positions, a resource, a project in a given phase with its
//! participants, its events and news, a questionnaire, a diagnostic with its sheets — and gets it made by the
//! storage functions the web handlers call, in their transactions, so that the rules and the activity entries are
//! the real ones. Projects go through the phase machine and its guards. Nothing here is the demo's content but the
//! territories (real codes of 2026) and the way the demo stores a diagnostic, both taken from `encommun::demo`; the
//! demo itself stays for the tests of the demo and of its breadth.
//!
//! Every account has the password [`PASSWORD`]; its hash is computed once per test binary.

use std::sync::OnceLock;

use crate::helpers::{Client, TestApp};
use chrono::TimeDelta;
use encommun::demo::{DemoSheet, DemoSource};
use encommun::domain::account::Function;
use encommun::domain::diagnostic::EntryKind;
use encommun::domain::inspiration::{NewResource, ResourceInput};
use encommun::domain::project::{EnrolmentRole, EventKind, NewEvent, NewPost, NewProject, Phase};
use encommun::domain::questionnaire::{parse_question, NewQuestionnaire, Question, QuestionInput};
use encommun::domain::resources::EntryStatus;
use encommun::domain::territory::TerritoryKind;
use encommun::domain::theme::{Engagement, NewPosition, NewTheme, ThemeStatus};
use encommun::storage::diagnostic::{Author, Place};
use encommun::storage::events::insert_event;
use encommun::storage::posts::insert_post;
use encommun::storage::projects::{
    assign_provider, change_phase, enrol, find_project, open_project, EnrolOutcome, OpenOutcome, PhaseOutcome, Project,
};
use encommun::storage::territories::find_territory;
use encommun::storage::users::{insert_user, set_agency_admin, NewUser};
use encommun::storage::{self, collectivities, inspiration, providers, questionnaires, themes, DbConnection, DbError};

/// The password of every account made here.
pub const PASSWORD: &str = "mot-de-passe-des-essais";

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| encommun::security::hash_password(PASSWORD).expect("password hashed"))
}

/// Runs one write as a handler does, in `write_transaction`.
fn write<T>(conn: &mut DbConnection, f: impl FnOnce(&mut DbConnection) -> Result<T, DbError>) -> T {
    storage::write_transaction(conn, f).expect("fixture written")
}

/// An account (a test logs in with its address and [`PASSWORD`]).
#[derive(Clone, Debug)]
pub struct Account {
    pub id: i64,
}

/// A client logged in with an account made here.
pub async fn logged_in(app: &TestApp, email: &str) -> Client {
    let client = app.client();
    client.login(email, PASSWORD).await.assert_redirect("/");
    client
}

/// An account without any relation.
pub fn account(conn: &mut DbConnection, email: &str, name: &str) -> Account {
    let id = write(conn, |conn| insert_user(conn, &NewUser::new(email, name, password_hash())));
    Account { id }
}

/// An administrator of the agency.
pub fn agency_admin(conn: &mut DbConnection, email: &str, name: &str) -> Account {
    let admin = account(conn, email, name);
    write(conn, |conn| set_agency_admin(conn, admin.id, true));
    admin
}

/// The demo's territories (five régions, their départements, six intercommunalities and an établissement public
/// territorial, some of their communes), without their outlines.
pub fn territories(conn: &mut DbConnection) {
    encommun::demo::load_territories(conn).expect("territories stored");
}

/// The simplified outlines of those territories.
pub fn outlines(conn: &mut DbConnection) {
    encommun::demo::load_outlines(conn).expect("outlines stored");
}

/// A collectivity on the platform: a registered territory.
#[derive(Clone, Debug)]
pub struct Collectivity {
    pub id: i64,
    /// The territory's official name, as pages and activity entries give it.
    pub name: String,
}

/// Registers the collectivity of a stored territory (see [`territories`]).
pub fn collectivity(conn: &mut DbConnection, kind: TerritoryKind, code: &str) -> Collectivity {
    let territory = find_territory(conn, kind, code).unwrap().unwrap_or_else(|| panic!("territory {code} stored"));
    let id = write(conn, |conn| collectivities::register_collectivity(conn, territory.id)).id;
    Collectivity { id, name: territory.name }
}

impl Collectivity {
    /// A new account, referent of this collectivity (an agent).
    pub fn referent(&self, conn: &mut DbConnection, email: &str, name: &str) -> Account {
        self.person(conn, email, name, Function::Agent, true)
    }

    /// A new account, a plain member of this collectivity (an elected member).
    pub fn member(&self, conn: &mut DbConnection, email: &str, name: &str) -> Account {
        self.person(conn, email, name, Function::Elu, false)
    }

    /// A new account, member of this collectivity with this function.
    pub fn person(
        &self,
        conn: &mut DbConnection,
        email: &str,
        name: &str,
        function: Function,
        referent: bool,
    ) -> Account {
        let person = account(conn, email, name);
        self.join(conn, &person, function, referent);
        person
    }

    /// Makes an existing account a member of this collectivity.
    pub fn join(&self, conn: &mut DbConnection, person: &Account, function: Function, referent: bool) {
        write(conn, |conn| collectivities::upsert_membership(conn, person.id, self.id, function, referent));
    }
}

/// A provider (a consultancy the agency assigns to projects).
#[derive(Clone, Debug)]
pub struct Provider {
    pub id: i64,
    pub name: String,
}

pub fn provider(conn: &mut DbConnection, name: &str) -> Provider {
    Provider { id: write(conn, |conn| providers::insert_provider(conn, name)), name: name.to_owned() }
}

impl Provider {
    /// A new account, member of this provider.
    pub fn member(&self, conn: &mut DbConnection, email: &str, name: &str) -> Account {
        let person = account(conn, email, name);
        write(conn, |conn| providers::add_provider_member(conn, self.id, person.id));
        person
    }
}

const PROBLEM: &str = "Un problème décrit en plus de vingt caractères.";
const WHY: &str = "Une raison décrite en plus de vingt caractères.";

/// A theme, open by default, proposed by the agency unless [`ThemeBuilder::proposed_by`] says for whom.
pub fn theme<'c>(conn: &'c mut DbConnection, author: &Account, title: &str) -> ThemeBuilder<'c> {
    ThemeBuilder { conn, author: author.id, title: title.to_owned(), status: ThemeStatus::Open, proposer: None }
}

pub struct ThemeBuilder<'c> {
    conn: &'c mut DbConnection,
    author: i64,
    title: String,
    status: ThemeStatus,
    proposer: Option<(i64, String)>,
}

impl ThemeBuilder<'_> {
    /// Proposed for a collectivity, waiting for moderation.
    pub fn proposed_by(mut self, collectivity: &Collectivity) -> Self {
        self.proposer = Some((collectivity.id, collectivity.name.clone()));
        self.status = ThemeStatus::Proposed;
        self
    }

    /// Returns the theme's id.
    pub fn create(self) -> i64 {
        let theme = NewTheme::parse(&self.title, PROBLEM, WHY).expect("a valid theme");
        let proposer = self.proposer.as_ref().map(|(id, name)| (*id, name.as_str()));
        write(self.conn, |conn| themes::propose_theme(conn, &theme, self.author, proposer, self.status))
    }
}

/// The collectivity's position on an open theme, taken by its referent.
pub fn position(
    conn: &mut DbConnection,
    theme_id: i64,
    collectivity: &Collectivity,
    referent: &Account,
    engagement: Engagement,
) {
    let position = NewPosition { stakes: "Des enjeux exposés en plus de vingt caractères.".into(), engagement };
    write(conn, |conn| {
        themes::take_position(conn, theme_id, collectivity.id, referent.id, &position, &collectivity.name)
    });
}

/// An inspiration resource published by the agency on these (public) themes.
pub fn resource(conn: &mut DbConnection, admin: &Account, title: &str, theme_ids: &[i64]) -> i64 {
    let theme_ids: Vec<String> = theme_ids.iter().map(i64::to_string).collect();
    let resource = NewResource::parse(&ResourceInput {
        title,
        summary: "Un résumé de plus de vingt caractères.",
        body: "Ce qu’il faut savoir, en **Markdown**.",
        links: "",
        theme_ids: &theme_ids,
    })
    .expect("a valid resource");
    match write(conn, |conn| inspiration::insert_resource(conn, &resource, admin.id)) {
        inspiration::SaveOutcome::Saved(id) => id,
        inspiration::SaveOutcome::UnknownTheme => panic!("the resource's themes are public"),
    }
}

/// A project opened by the agency on a theme of its own, with its enrolments, brought to its phase through the
/// phase machine (its guards apply: a diagnostic needs a provider).
/// An experience report on Grand Châtellerault (the territories must be loaded), published or proposed; its id.
pub fn report(
    conn: &mut DbConnection,
    owner: &Account,
    title: &str,
    status: EntryStatus,
    collectivity: Option<i64>,
) -> i64 {
    use encommun::domain::resources::{ReportInput, ReportText};
    use encommun::storage::reports::{insert_report, Origin};
    let text = ReportText::parse(&ReportInput {
        title,
        territory_code: "248600413",
        method: "Enquête au porte-à-porte",
        duration: "Huit mois",
        cost: "12 000 €",
        done: "Le groupe d’enquête a frappé à mille portes des quartiers prioritaires.",
        results: "",
        difficulties: "",
        contact: "",
        links: "",
    })
    .unwrap();
    let territory =
        encommun::storage::territories::find_territory(conn, TerritoryKind::Epci, "248600413").unwrap().unwrap();
    let origin = Origin {
        territory_id: territory.id,
        theme_id: None,
        project_id: None,
        collectivity_id: collectivity,
        owner_id: owner.id,
    };
    write(conn, |conn| insert_report(conn, &text, &origin, status))
}

/// A published directory entry serving the Vienne, without SIRET; its id.
pub fn directory_entry(conn: &mut DbConnection, owner: &Account, name: &str) -> i64 {
    use encommun::domain::resources::{DirectoryInput, DirectoryText};
    use encommun::storage::directory::{insert_entry, Saved};
    let text = DirectoryText::parse(&DirectoryInput {
        name,
        kind: "association",
        siret: "",
        skills: "concertation",
        served: "86",
        nationwide: false,
        description: "Anime des cafés citoyens dans les bourgs.",
        contact: "",
        links: "",
    })
    .unwrap();
    match write(conn, |conn| insert_entry(conn, &text, &[], (EntryStatus::Published, None, owner.id))) {
        Saved::Saved(id) => id,
        refused => panic!("a new entry: {refused:?}"),
    }
}

/// A programme of the agency's, copied from « Territoires en commun » under another name; its id.
pub fn programme(conn: &mut DbConnection, admin: &Account, name: &str) -> i64 {
    let mut programme = encommun::domain::programme::Programme::built_in("territoires-en-commun").unwrap();
    programme.name = name.to_owned();
    match write(conn, |conn| encommun::storage::programmes::create_programme(conn, &programme, "", admin.id)) {
        encommun::storage::programmes::Saved::Version { programme_id, .. } => programme_id,
        other => panic!("the programme was not created: {other:?}"),
    }
}

/// A project's steering committee: two partners, a member of the first.
pub struct Committee {
    pub partner: i64,
    pub other_partner: i64,
    pub member: i64,
}

pub fn committee(conn: &mut DbConnection, project_id: i64, admin: &Account) -> Committee {
    use encommun::domain::steering::{NewCommitteeMember, NewPartner};
    use encommun::storage::steering::{add_member, add_partner, find_partner, Added};
    let partner = |conn: &mut DbConnection, name: &str| {
        let new = NewPartner::parse(name, "ministry").unwrap();
        write(conn, |conn| add_partner(conn, project_id, &new, admin.id)).expect("a new partner")
    };
    let (first, other_partner) = (partner(conn, "Ministère de la matrice"), partner(conn, "Opérateur de la matrice"));
    let found = find_partner(conn, project_id, first).unwrap().unwrap();
    let new = NewCommitteeMember::parse("Nadia Cherif", "Cheffe de bureau", "nadia@ministere.exemple.fr").unwrap();
    let Added::Added(member) = write(conn, |conn| add_member(conn, &found, &new, admin.id)) else {
        panic!("a new member")
    };
    Committee { partner: first, other_partner, member }
}

pub fn project<'c, 'a>(conn: &'c mut DbConnection, admin: &'a Account) -> ProjectBuilder<'c, 'a> {
    ProjectBuilder {
        conn,
        admin,
        title: "Projet des essais".into(),
        phase: Phase::Enrolment,
        min_participants: 1,
        participants: Vec::new(),
        observers: Vec::new(),
        provider: None,
    }
}

pub struct ProjectBuilder<'c, 'a> {
    conn: &'c mut DbConnection,
    admin: &'a Account,
    title: String,
    phase: Phase,
    min_participants: i32,
    participants: Vec<&'a Collectivity>,
    observers: Vec<&'a Collectivity>,
    provider: Option<&'a Provider>,
}

impl<'a> ProjectBuilder<'_, 'a> {
    pub fn title(mut self, title: &str) -> Self {
        self.title = title.to_owned();
        self
    }

    pub fn phase(mut self, phase: Phase) -> Self {
        self.phase = phase;
        self
    }

    /// The fewest participants it needs to leave enrolment (one unless said).
    pub fn min_participants(mut self, min: i32) -> Self {
        self.min_participants = min;
        self
    }

    /// Enrolled as a participant, in the order of the calls (beyond five, waitlisted).
    pub fn participant(mut self, collectivity: &'a Collectivity) -> Self {
        self.participants.push(collectivity);
        self
    }

    pub fn observer(mut self, collectivity: &'a Collectivity) -> Self {
        self.observers.push(collectivity);
        self
    }

    /// Assigned while the project is in enrolment.
    pub fn provider(mut self, provider: &'a Provider) -> Self {
        self.provider = Some(provider);
        self
    }

    pub fn create(self) -> Project {
        let ProjectBuilder { conn, admin, title, phase, min_participants, participants, observers, provider } = self;
        let theme = theme(conn, admin, &format!("Thème de « {title} »")).create();
        let today = storage::now().date();
        let project = NewProject {
            title,
            description: "Une description du projet des essais.".into(),
            charter: "La charte du projet des essais.".into(),
            min_participants,
            max_participants: min_participants.max(5),
            starts_on: today,
            ends_on: today + TimeDelta::days(365),
        };
        let id = write(conn, |conn| match open_project(conn, theme, &project, None, admin.id)? {
            OpenOutcome::Opened { project_id, .. } => Ok(project_id),
            OpenOutcome::ThemeNotOpen => panic!("the project's theme is open"),
        });
        let enrolments = participants.iter().map(|c| (c, EnrolmentRole::Participant));
        for (collectivity, role) in enrolments.chain(observers.iter().map(|c| (c, EnrolmentRole::Observer))) {
            let outcome = write(conn, |conn| enrol(conn, id, collectivity.id, admin.id, role, &collectivity.name));
            assert!(matches!(outcome, EnrolOutcome::Enrolled(_) | EnrolOutcome::Waitlisted { .. }), "{outcome:?}");
        }
        if let Some(provider) = provider {
            assert!(write(conn, |conn| assign_provider(conn, id, provider.id, &provider.name, admin.id)));
        }
        let steps: &[Phase] = if phase == Phase::Closed {
            &[Phase::Closed]
        } else {
            &Phase::ALL[1..=Phase::ALL.iter().position(|p| *p == phase).unwrap_or_default()]
        };
        for to in steps {
            let note = format!("Les essais passent le projet à « {} ».", to.label());
            match write(conn, |conn| change_phase(conn, id, *to, &note, admin.id)) {
                PhaseOutcome::Changed { .. } => {}
                PhaseOutcome::Refused(reason) => panic!("the project cannot become « {} »: {reason}", to.label()),
            }
        }
        find_project(conn, id).unwrap().expect("the project just opened")
    }
}

/// An inter-site seminar of the project, for the whole day `days` from today (in the past when negative).
pub fn event(conn: &mut DbConnection, project: &Project, author: &Account, title: &str, days: i64) -> i64 {
    let day = (storage::now().date() + TimeDelta::days(days)).and_hms_opt(9, 30, 0).unwrap_or_default();
    let event = NewEvent {
        kind: EventKind::InterSiteSeminar,
        title: title.to_owned(),
        description: String::new(),
        starts_at: day,
        ends_at: day + TimeDelta::hours(7),
        place: Some("Salle du conseil".into()),
        online_url: None,
        collectivity_id: None,
    };
    write(conn, |conn| insert_event(conn, project.id, &event, author.id, &project.title))
}

/// A news item of the project, public or for its working space.
pub fn post(
    conn: &mut DbConnection,
    project: &Project,
    author: &Account,
    title: &str,
    body: &str,
    public: bool,
) -> i64 {
    let post = NewPost { title: title.to_owned(), body: body.to_owned(), is_public: public };
    write(conn, |conn| insert_post(conn, project.id, &post, author.id))
}

/// A questionnaire of a territory's inquiry, a draft unless [`QuestionnaireBuilder::published`].
pub fn questionnaire<'c>(
    conn: &'c mut DbConnection,
    project: &Project,
    collectivity: &Collectivity,
    author: &Account,
) -> QuestionnaireBuilder<'c> {
    QuestionnaireBuilder {
        conn,
        place: Place { project_id: project.id, collectivity_id: collectivity.id },
        author: author.id,
        title: "Questionnaire des essais".into(),
        token: encommun::security::random_token(),
        questions: Vec::new(),
        published: false,
    }
}

pub struct QuestionnaireBuilder<'c> {
    conn: &'c mut DbConnection,
    place: Place,
    author: i64,
    title: String,
    token: String,
    questions: Vec<QuestionInput<'static>>,
    published: bool,
}

impl QuestionnaireBuilder<'_> {
    pub fn title(mut self, title: &str) -> Self {
        self.title = title.to_owned();
        self
    }

    /// The token of its public link, `/q/{token}` (random unless said).
    pub fn token(mut self, token: &str) -> Self {
        self.token = token.to_owned();
        self
    }

    /// A question as the builder's form gives it.
    pub fn question(mut self, question: QuestionInput<'static>) -> Self {
        self.questions.push(question);
        self
    }

    pub fn published(mut self) -> Self {
        self.published = true;
        self
    }

    /// Returns the questionnaire's id.
    pub fn create(self) -> i64 {
        let QuestionnaireBuilder { conn, place, author, title, token, questions, published } = self;
        let questionnaire = NewQuestionnaire::parse(&title, "", "", "").expect("a valid questionnaire");
        let id = write(conn, |conn| {
            questionnaires::create_questionnaire(
                conn,
                place.project_id,
                place.collectivity_id,
                &questionnaire,
                &token,
                author,
            )
        });
        let mut stored: Vec<Question> = Vec::new();
        for input in &questions {
            let mut question = parse_question(input, &stored).expect("a valid question");
            question.id = write(conn, |conn| questionnaires::add_question(conn, id, &question));
            stored.push(question);
        }
        if published {
            assert!(write(conn, |conn| questionnaires::publish_questionnaire(conn, id)), "published");
        }
        id
    }
}

/// A territory's diagnostic, published: sheets and sources as the demo stores them (`encommun::demo::insert_sheets`
/// and `add_sources`).
pub fn diagnostic<'c>(
    conn: &'c mut DbConnection,
    project: &Project,
    collectivity: &Collectivity,
    author: &Account,
) -> DiagnosticBuilder<'c> {
    DiagnosticBuilder {
        conn,
        place: Place { project_id: project.id, collectivity_id: collectivity.id },
        author: Author { user_id: author.id, publishes: true },
        sheets: &[],
        sources: &[],
    }
}

pub struct DiagnosticBuilder<'c> {
    conn: &'c mut DbConnection,
    place: Place,
    author: Author,
    sheets: &'static [DemoSheet],
    sources: &'static [DemoSource],
}

/// What [`diagnostic`] made: ids in the order given.
pub struct Diagnostic {
    pub sheets: Vec<(i64, EntryKind)>,
    pub sources: Vec<i64>,
}

impl DiagnosticBuilder<'_> {
    /// (kind, name, category, domain, description, (lat, lon)).
    pub fn sheets(mut self, sheets: &'static [DemoSheet]) -> Self {
        self.sheets = sheets;
        self
    }

    /// (kind, title, people met, notes, sheets mentioned by index).
    pub fn sources(mut self, sources: &'static [DemoSource]) -> Self {
        self.sources = sources;
        self
    }

    pub fn create(self) -> Diagnostic {
        let DiagnosticBuilder { conn, place, author, sheets, sources } = self;
        storage::write_transaction(conn, |conn| -> anyhow::Result<Diagnostic> {
            let sheets = encommun::demo::insert_sheets(conn, place, author, sheets)?;
            let sources = encommun::demo::add_sources(conn, place, author, &sheets, sources)?;
            Ok(Diagnostic { sheets, sources })
        })
        .expect("diagnostic written")
    }
}

/// A territory's creativity cycle (see [`co_design`]).
pub struct CoDesignBuilder<'c> {
    conn: &'c mut DbConnection,
    place: Place,
    project_title: String,
    territory: String,
    facilitator: i64,
    seats: Vec<i64>,
}

/// What [`co_design`] made.
pub struct CoDesign {
    /// The working group's seats, in the order of [`CoDesignBuilder::seat`].
    pub seats: Vec<i64>,
    pub objective: i64,
    pub criterion: i64,
    /// The first seat's idea (the first one's, else the facilitator's typed in).
    pub idea: i64,
    /// A merge of two other ideas.
    pub merge: i64,
    /// Workshops: one planned, one of divergence and one of convergence, both open.
    pub planned: i64,
    pub divergence: i64,
    pub convergence: i64,
}

/// A territory's creativity cycle: seats for the given accounts, an objective and its criterion, ideas (one by the
/// first seat, two merged), and three workshops, written by the storage functions the handlers call.
pub fn co_design<'c>(
    conn: &'c mut DbConnection,
    project: &Project,
    collectivity: &Collectivity,
    facilitator: &Account,
) -> CoDesignBuilder<'c> {
    CoDesignBuilder {
        conn,
        place: Place { project_id: project.id, collectivity_id: collectivity.id },
        project_title: project.title.clone(),
        territory: collectivity.name.clone(),
        facilitator: facilitator.id,
        seats: Vec::new(),
    }
}

impl CoDesignBuilder<'_> {
    /// A seat in the working group, held by this account.
    pub fn seat(mut self, user_id: i64) -> Self {
        self.seats.push(user_id);
        self
    }

    pub fn create(self) -> CoDesign {
        use encommun::domain::codesign::{
            NewCriterion, NewIdea, NewObjective, NewWorkingMember, Origin, Step, WorkshopState,
        };
        use encommun::storage::codesign::{self, Author, MergeOutcome};
        use encommun::storage::inquiry::AddOutcome;
        let CoDesignBuilder { conn, place, project_title, territory, facilitator, seats } = self;
        storage::write_transaction(conn, |conn| -> anyhow::Result<CoDesign> {
            let mut members = Vec::new();
            for (n, user) in seats.iter().enumerate() {
                let new = NewWorkingMember::parse(&format!("Membre {}", n + 1), "habitant", "", "", "", &[]).unwrap();
                let AddOutcome::Added(id) = codesign::add_working_member(conn, place, &new, facilitator, &territory)?
                else {
                    anyhow::bail!("seat not added");
                };
                codesign::link_working_account(conn, id, *user)?;
                members.push(codesign::find_working_member(conn, id)?.expect("seat"));
            }
            let objective = codesign::insert_objective(
                conn,
                place,
                &NewObjective::parse("Que chacun accède à ses droits", "").unwrap(),
                facilitator,
                &territory,
            )?;
            let criterion = codesign::insert_criterion(
                conn,
                objective,
                &NewCriterion::parse("Touche les personnes sans internet", "2").unwrap(),
            )?;
            let workshop = |conn: &mut DbConnection, title: &str, step: Step| -> anyhow::Result<i64> {
                let event = NewEvent::parse(&encommun::domain::project::EventInput {
                    kind: "workshop",
                    title,
                    description: "",
                    starts_at: "2027-01-12T18:00",
                    ends_at: "2027-01-12T20:00",
                    place: "Salle du conseil",
                    online_url: "",
                    collectivity_id: &place.collectivity_id.to_string(),
                })
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                Ok(codesign::insert_workshop(conn, &event, step, 8, facilitator, &project_title, place)?)
            };
            let planned = workshop(conn, "Atelier prévu", Step::Divergence)?;
            let divergence = workshop(conn, "Imaginer", Step::Divergence)?;
            let convergence = workshop(conn, "Converger", Step::Convergence)?;
            for id in [divergence, convergence] {
                let w = codesign::find_workshop(conn, id)?.expect("workshop");
                codesign::set_workshop_state(
                    conn,
                    &w,
                    WorkshopState::Planned,
                    WorkshopState::Open,
                    facilitator,
                    "ouvert".into(),
                )?;
            }
            let idea = |conn: &mut DbConnection, title: &str, author: Author| -> anyhow::Result<i64> {
                let new = NewIdea::parse(title, "").unwrap();
                Ok(codesign::insert_idea(
                    conn,
                    place,
                    Some(divergence),
                    &new,
                    author,
                    Origin::Paper,
                    Some(facilitator),
                    &territory,
                )?)
            };
            let first = match members.first() {
                Some(member) => idea(conn, "Une permanence au marché", Author::Member(member))?,
                None => idea(conn, "Une permanence au marché", Author::Category("habitant"))?,
            };
            let a = idea(conn, "Un bus le samedi", Author::Category("elu"))?;
            let b = idea(conn, "Une navette vers la mairie", Author::Category("agent"))?;
            let merged = NewIdea::parse("Des transports vers les services", "").unwrap();
            let MergeOutcome::Merged(merge) = codesign::merge_ideas(conn, place, &[a, b], &merged, facilitator)? else {
                anyhow::bail!("not merged");
            };
            Ok(CoDesign {
                seats: members.iter().map(|m| m.id).collect(),
                objective,
                criterion,
                idea: first,
                merge,
                planned,
                divergence,
                convergence,
            })
        })
        .expect("co-design written")
    }
}

/// What [`adopted_plan`] made.
pub struct AdoptedPlan {
    pub axis: i64,
    pub action: i64,
    pub indicator: i64,
    pub measurement: i64,
}

/// A PDF, as small as a whole one can be: an adoption act.
pub const ACT_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// A territory's action plan adopted: an axis holding a new action and every action the territory's workshops
/// retained, an indicator with its baseline, target and a measurement, version 1 submitted and adopted by the
/// community council with its act as a PDF — written by the storage functions the handlers call.
pub fn adopted_plan(conn: &mut DbConnection, project: i64, collectivity: &Collectivity, by: &Account) -> AdoptedPlan {
    use encommun::domain::plan::{
        ActionContentFields, ActionInput, AdoptionFields, AdoptionInput, AxisFields, IndicatorFields, IndicatorInput,
        MeasurementFields,
    };
    use encommun::storage::plans::{self, ActFile, AdoptOutcome, AxisOutcome, IndicatorOutcome, SubmitOutcome};
    let place = Place { project_id: project, collectivity_id: collectivity.id };
    let (by, name) = (by.id, collectivity.name.as_str());
    let today = storage::now().date();
    storage::write_transaction(conn, |conn| -> anyhow::Result<AdoptedPlan> {
        let AxisOutcome::Added(axis) = plans::add_axis(conn, place, &AxisFields::parse("Aller vers", "").unwrap(), by)?
        else {
            anyhow::bail!("axis not added");
        };
        let fields = ActionContentFields::parse(&ActionInput {
            title: "Une permanence au marché",
            budget: "12 000",
            ..ActionInput::default()
        })
        .unwrap();
        let action =
            plans::add_action(conn, place, Some(axis), &fields, by, name)?.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        for other in plans::plan_detail(conn, place)?.actions.iter().filter(|a| a.row.axis_id.is_none()) {
            let content = plans::content_fields(conn, &other.row)?;
            plans::save_action_content(conn, place, other.row.id, other.row.revision, Some(axis), &content, by)?
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
        let indicator = IndicatorFields::parse(&IndicatorInput {
            name: "Personnes reçues",
            direction: "up",
            baseline_on: "2026-01-01",
            baseline_value: "0",
            targets: "31/12/2027 ; 200",
            ..IndicatorInput::default()
        })
        .unwrap();
        let IndicatorOutcome::Saved(indicator) = plans::save_indicator(conn, place, action, None, &indicator, by)?
        else {
            anyhow::bail!("indicator not saved");
        };
        let measured = MeasurementFields::parse("2026-06-30", "40", false, "", today).unwrap();
        plans::add_measurement(conn, place, indicator, &measured, None, by)?;
        let measurement = plans::action_detail(conn, place, action)?.expect("action").indicators[0].measurements[0].id;
        assert_eq!(plans::submit(conn, place, by, name)?, SubmitOutcome::Submitted(1));
        let adoption = AdoptionFields::parse(
            &AdoptionInput {
                body: "conseil_communautaire",
                act_kind: "deliberation",
                act_number: "2026-117",
                adopted_on: "2026-06-25",
                votes_for: "52",
                votes_against: "3",
                abstentions: "4",
                act_url: "",
            },
            true,
            today,
        )
        .unwrap();
        let act = ActFile { file_name: "deliberation-2026-117.pdf", content: ACT_PDF };
        let adopted = plans::adopt(conn, place, &adoption, Some(act), by, name, "Projet")?;
        assert!(matches!(adopted, AdoptOutcome::Adopted { .. }), "{adopted:?}");
        Ok(AdoptedPlan { axis, action, indicator, measurement })
    })
    .expect("plan adopted")
}

/// The ids of a project's learning community as `community` sets it up.
pub struct Community {
    pub elus: i64,
    pub agents: i64,
    /// Seats without an account: one to remove, one to make the delegation's referent.
    pub seat_to_remove: i64,
    pub seat_to_lead: i64,
    pub peer_thread: i64,
    pub peer_message: i64,
    pub forum_thread: i64,
    /// A supervision session already held.
    pub supervision: i64,
}

/// `seated` sits for the élus of `collectivity`'s delegation (their account linked) and opens a thread in the élus'
/// group; two seats without an account; the agency opens a thread of the forum and holds a supervision session.
pub fn community(
    conn: &mut DbConnection,
    project: i64,
    collectivity: &Collectivity,
    admin: &Account,
    seated: i64,
) -> Community {
    use diesel::prelude::*;
    use encommun::domain::community::{NewDelegate, NewThread, Seat};
    use encommun::storage::delegations::{self, AddOutcome};
    use encommun::storage::threads::{self, Space};
    let groups = delegations::peer_groups_of_project(conn, project).unwrap();
    let (elus, agents, operators) = (groups[0].id, groups[1].id, groups[2].id);
    let add = |conn: &mut DbConnection, name: &str, group: i64| {
        let delegate = NewDelegate {
            display_name: name.into(),
            peer_group_id: group,
            function: String::new(),
            seat: Seat::Titular,
            is_referent: false,
            email: None,
        };
        match write(conn, |conn| delegations::add_delegate(conn, project, collectivity.id, &delegate, admin.id)) {
            AddOutcome::Added(id) => id,
            AddOutcome::EmailTaken => panic!("no address"),
        }
    };
    let seat = add(conn, "Siège de la matrice", elus);
    let seat_to_remove = add(conn, "Siège à retirer", agents);
    let seat_to_lead = add(conn, "Siège à mener", operators);
    write(conn, |conn| delegations::link_account(conn, seat, seated));
    let project_row = storage::projects::find_project(conn, project).unwrap().unwrap();
    let user = storage::users::find_user(conn, seated).unwrap().unwrap();
    let agency = storage::users::find_user(conn, admin.id).unwrap().unwrap();
    let thread = NewThread::parse("obstacle", "Un fil des élus", "Un message entre élus.").unwrap();
    let (peer_thread, forum_thread) = write(conn, |conn| {
        let peers = threads::enter(conn, &project_row, Space::PeerGroup(elus), &user)?.expect("seated");
        let forum = threads::enter(conn, &project_row, Space::Forum, &agency)?.expect("the agency");
        let opened = threads::start_thread(conn, &peers, &thread, "jeton-du-fil-des-elus")?;
        Ok((opened, threads::start_thread(conn, &forum, &thread, "jeton-du-fil-du-forum")?))
    });
    let peer_message = storage::schema::thread_messages::table
        .filter(storage::schema::thread_messages::thread_id.eq(peer_thread))
        .select(storage::schema::thread_messages::id)
        .first::<i64>(conn)
        .unwrap();
    let session = NewEvent::parse(&encommun::domain::project::EventInput {
        kind: EventKind::Supervision.code(),
        title: "Supervision de la matrice",
        description: "",
        starts_at: "2026-02-02T14:00",
        ends_at: "2026-02-02T17:00",
        place: "Salle de la matrice",
        online_url: "",
        collectivity_id: "",
    })
    .unwrap();
    let supervision = write(conn, |conn| insert_event(conn, project, &session, admin.id, &project_row.title));
    Community { elus, agents, seat_to_remove, seat_to_lead, peer_thread, peer_message, forum_thread, supervision }
}

/// The ids of a project's capitalisation as `capitalisation` writes it.
pub struct Capitalisation {
    pub lesson: i64,
    pub recommendation: i64,
}

/// A lesson shared with the participants, a recommendation proposed, and the deliverable being written (revision 2,
/// not published), holding the lesson.
pub fn capitalisation(conn: &mut DbConnection, project: i64, admin: &Account) -> Capitalisation {
    use encommun::domain::capitalisation::{DeliverableTexts, LessonText, RecommendationText};
    use encommun::storage::{capitalisation, deliverables};
    let lesson =
        LessonText::parse("Un enseignement", "Un enseignement tiré du projet des essais.", "diagnostic", "", &[]);
    let recommendation = RecommendationText::parse(
        "Une recommandation",
        "Une recommandation du projet des essais.",
        "Un ministère",
        "ministry",
    );
    let texts = DeliverableTexts::parse("Un livrable", "Une introduction.", "").unwrap();
    write(conn, |conn| {
        let lesson = capitalisation::insert_lesson(conn, project, &lesson.unwrap(), admin.id)?;
        let recommendation = capitalisation::insert_recommendation(conn, project, &recommendation.unwrap(), admin.id)?;
        deliverables::save(conn, project, 1, &texts, &[deliverables::Item::Lesson(lesson)], admin.id)?;
        Ok(Capitalisation { lesson, recommendation })
    })
}

/// Shortens the first chosen quote of a restitution, as its group may: the page shows the text, the original answer
/// stays inside.
pub fn shorten_a_quote(conn: &mut DbConnection) {
    use diesel::prelude::*;
    use encommun::storage::schema::restitution_quotes;
    let (id, original): (i64, String) =
        restitution_quotes::table.select((restitution_quotes::id, restitution_quotes::original)).first(conn).unwrap();
    let shortened: String = original.chars().take(20).collect::<String>() + "…";
    diesel::update(restitution_quotes::table.find(id))
        .set(restitution_quotes::text.eq(shortened))
        .execute(conn)
        .unwrap();
}
