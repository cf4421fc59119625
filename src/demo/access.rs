//! The demo's second project, « Accès aux droits », its diagnostic done and its creativity cycle under way
//! (`super::codesign`): two participants with the demo provider,
//! an observer, inquiry groups (accounts of the demo among their members), Grand Châtellerault's diagnostic placed on
//! its communes' outlines, its questionnaire with answers (`super::survey`), a local seminar and a sent newsletter.

use chrono::TimeDelta;

use super::{add_sources, insert_sheets, relate, DemoSheet, DemoSource};
use crate::domain::diagnostic::{EntryKind, NewEntry, SheetFields};
use crate::domain::inquiry::{MemberCategory, NewMember};
use crate::domain::newsletter::{Audience, NewNewsletter};
use crate::domain::project::{EnrolmentRole, EventKind, NewEvent, NewPost, NewProject, Phase};
use crate::domain::theme::{Engagement, NewPosition, NewTheme, ThemeStatus};
use crate::storage::diagnostic::{self, Author, Place, Reviewed};
use crate::storage::events::insert_event;
use crate::storage::inquiry::{add_member, link_account, AddOutcome};
use crate::storage::newsletters::{find_newsletter, insert_draft, mark_sent, recipients};
use crate::storage::posts::insert_post;
use crate::storage::projects::{assign_provider, change_phase, enrol, open_project, OpenOutcome, PhaseOutcome};
use crate::storage::themes::{insert_theme, take_position};
use crate::storage::{self, DbConnection};

/// Who the project involves, by id in the demo.
pub struct Cast {
    pub admin: i64,
    pub agglopolys_referent: i64,
    pub chatellerault_referent: i64,
    pub provider_member: i64,
    /// Luc Garnier, of the CAF: a delegation's member without a collectivity of his own.
    pub operator: i64,
    pub provider_id: i64,
    pub agglopolys: i64,
    pub chatellerault: i64,
    pub cahors: i64,
}

pub const TITLE: &str = "Accès aux droits : aller vers les habitants qu’on n’entend pas";

pub fn load(conn: &mut DbConnection, cast: &Cast) -> anyhow::Result<()> {
    let theme = NewTheme::parse(
        "Aller vers les habitants éloignés des services publics",
        "Une partie des habitants renonce à des aides, à des soins ou à des démarches, faute d’internet, de \
        transport ou de quelqu’un pour les accompagner.",
        "Le non-recours creuse l’écart entre les bourgs et les villes-centres ; un guichet, même proche, \
        n’atteint pas ceux qui n’y viennent pas.",
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let theme_id = insert_theme(conn, &theme, cast.admin, None, ThemeStatus::Open)?;
    let positions = [
        (
            cast.agglopolys,
            cast.agglopolys_referent,
            "CA de Blois",
            Engagement::Participate,
            "Nos communes rurales perdent leurs permanences : nous voulons savoir qui renonce, et pourquoi.",
        ),
        (
            cast.chatellerault,
            cast.chatellerault_referent,
            "CA Grand Châtellerault",
            Engagement::Participate,
            "Cinq espaces France services, et pourtant des habitants qui n’y viennent jamais.",
        ),
        (
            cast.cahors,
            cast.admin,
            "CA du Grand Cahors",
            Engagement::Observe,
            "Nous ouvrons un bus France services et voulons apprendre de ceux qui enquêtent déjà.",
        ),
    ];
    for (collectivity, user, name, engagement, stakes) in positions {
        take_position(conn, theme_id, collectivity, user, &NewPosition { stakes: stakes.into(), engagement }, name)?;
    }
    let today = storage::now().date();
    let project = NewProject {
        title: TITLE.into(),
        description: "Deux à quatre territoires enquêtent avec leurs habitants sur le non-recours aux droits et \
            inventent ensemble des façons d’aller vers ceux que les guichets n’atteignent pas."
            .into(),
        charter: "Chaque collectivité participante constitue un groupe d’enquête mixte (élus, agents, habitants, \
            associations), interroge en priorité les habitants sans internet, âgés ou isolés, et partage ses \
            résultats avec les autres territoires."
            .into(),
        min_participants: 2,
        max_participants: 4,
        starts_on: today - TimeDelta::days(75),
        ends_on: today + TimeDelta::days(400),
    };
    // Opened before programmes existed: its calendar is its own (its meetings were planned by hand).
    let OpenOutcome::Opened { project_id, .. } = open_project(conn, theme_id, &project, None, cast.admin)? else {
        anyhow::bail!("le thème de démonstration n’était pas ouvert");
    };
    enrol(conn, project_id, cast.agglopolys, cast.agglopolys_referent, EnrolmentRole::Participant, "CA de Blois")?;
    enrol(
        conn,
        project_id,
        cast.chatellerault,
        cast.chatellerault_referent,
        EnrolmentRole::Participant,
        "CA Grand Châtellerault",
    )?;
    enrol(conn, project_id, cast.cahors, cast.admin, EnrolmentRole::Observer, "CA du Grand Cahors")?;
    advance(
        conn,
        project_id,
        Phase::ProviderSelection,
        "Deux territoires inscrits : l’appel au prestataire est lancé.",
        cast.admin,
    )?;
    assign_provider(conn, project_id, cast.provider_id, super::PROVIDER, cast.admin)?;
    advance(
        conn,
        project_id,
        Phase::Diagnostic,
        "Le prestataire est désigné : les diagnostics commencent.",
        cast.admin,
    )?;
    let seminar_day = (today + TimeDelta::days(12)).and_hms_opt(14, 0, 0).unwrap_or_default();
    let seminar = NewEvent {
        kind: EventKind::LocalSeminar,
        title: "Atelier du groupe d’enquête : premiers résultats".into(),
        description: "Lecture des réponses au questionnaire et de la couverture des publics ; qui reste à \
            rencontrer, où et comment."
            .into(),
        starts_at: seminar_day,
        ends_at: seminar_day + TimeDelta::hours(3),
        place: Some("Centre socioculturel d’Ozon, Châtellerault".into()),
        online_url: None,
        collectivity_id: Some(cast.chatellerault),
    };
    insert_event(conn, project_id, &seminar, cast.provider_member, &project.title)?;
    let news = NewPost {
        title: "Le diagnostic commence".into(),
        body: "Les groupes d’enquête d’**Agglopolys** et de **Grand Châtellerault** sont constitués. À \
            Châtellerault, le questionnaire « Vos démarches du quotidien » est ouvert : en ligne, sur papier dans les \
            espaces France services, et en entretien au marché."
            .into(),
        is_public: true,
    };
    insert_post(conn, project_id, &news, cast.provider_member)?;
    load_groups(conn, project_id, cast)?;
    load_diagnostic(conn, Place { project_id, collectivity_id: cast.chatellerault }, cast.provider_member)?;
    load_public_map(conn, Place { project_id, collectivity_id: cast.chatellerault }, cast)?;
    super::survey::load(conn, project_id, cast)?;
    load_newsletter(conn, project_id, cast)?;
    super::codesign::load(conn, project_id, cast)?;
    advance(
        conn,
        project_id,
        Phase::CoDesign,
        "Les diagnostics sont posés : place au croisement des regards.",
        cast.admin,
    )?;
    super::plans::load(conn, project_id, cast)?;
    advance(
        conn,
        project_id,
        Phase::Adoption,
        "Les plans d’action passent devant les exécutifs des territoires.",
        cast.admin,
    )?;
    super::restitution::load(conn, project_id, cast)?;
    super::community::load(conn, project_id, cast)?;
    super::capitalisation::load(conn, project_id, cast)?;
    super::committee::load(conn, project_id, cast)?;
    super::reports::load(conn, project_id, theme_id, cast)?;
    super::directory::load(conn, project_id, cast)
}

fn advance(conn: &mut DbConnection, project_id: i64, to: Phase, note: &str, user_id: i64) -> anyhow::Result<()> {
    match change_phase(conn, project_id, to, note, user_id)? {
        PhaseOutcome::Changed { .. } => Ok(()),
        PhaseOutcome::Refused(reason) => anyhow::bail!("démonstration : {reason}"),
    }
}

/// The members of an inquiry group: (name, category, note).
type Members = &'static [(&'static str, MemberCategory, &'static str)];

/// Both inquiry groups; the referents of the demo sit in their group with their account.
fn load_groups(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let groups: [(i64, &str, i64, Members); 2] = [
        (
            cast.chatellerault,
            "CA Grand Châtellerault",
            cast.chatellerault_referent,
            &[
                ("Karim Benali", MemberCategory::Agent, "chargé de mission cohésion sociale, référent du projet"),
                ("Élodie Garnier", MemberCategory::Elu, "vice-présidente chargée des solidarités"),
                ("Mehdi", MemberCategory::Habitant, "quartier de la Plaine d’Ozon"),
                ("Josiane", MemberCategory::Habitant, "retraitée, Dangé-Saint-Romain"),
                ("Relais numérique du Châtelleraudais", MemberCategory::Associatif, "médiation numérique"),
                ("Lycée Édouard-Branly", MemberCategory::Scolaire, "une classe de terminale ST2S"),
            ],
        ),
        (
            cast.agglopolys,
            "CA de Blois",
            cast.agglopolys_referent,
            &[
                ("Sophie Martin", MemberCategory::Elu, "élue référente du projet"),
                ("Marc", MemberCategory::Habitant, "conseil citoyen de Blois Nord"),
                ("Centre social de la Quinière", MemberCategory::Associatif, "accueil et accès aux droits"),
            ],
        ),
    ];
    for (collectivity, territory, account, members) in groups {
        for (index, (name, category, note)) in members.iter().enumerate() {
            let member =
                NewMember { display_name: (*name).into(), category: *category, note: (*note).into(), email: None };
            let AddOutcome::Added(member_id) =
                add_member(conn, project_id, collectivity, &member, cast.admin, territory)?
            else {
                anyhow::bail!("démonstration : membre {name} en double");
            };
            // The first member of each group is the demo account of its referent.
            if index == 0 {
                link_account(conn, member_id, account)?;
            }
        }
    }
    Ok(())
}

/// Grand Châtellerault's diagnostic: real France services (ANCT's list) and mairies placed on the communes'
/// outlines, the actors who accompany people in their procedures, and what the group heard.
fn load_diagnostic(conn: &mut DbConnection, place: Place, provider_member: i64) -> anyhow::Result<()> {
    let author = Author { user_id: provider_member, publishes: true };
    let ids = insert_sheets(conn, place, author, SHEETS)?;
    relate(conn, place, author, &ids, RELATIONS)?;
    add_sources(conn, place, author, &ids, SOURCES)?;
    Ok(())
}

/// Grand Châtellerault's map made public by the provider — and what it keeps inside: a sheet's contact and
/// resources, the referent's proposal waiting for the provider, another refused.
fn load_public_map(conn: &mut DbConnection, place: Place, cast: &Cast) -> anyhow::Result<()> {
    let provider = Author { user_id: cast.provider_member, publishes: true };
    let referent = Author { user_id: cast.chatellerault_referent, publishes: false };
    let centre = SheetFields {
        name: "Centre socioculturel d’Ozon".into(),
        category: "maison_quartier".into(),
        description: "Accueil, aide aux devoirs, ateliers du numérique ; lieu de l’atelier du groupe d’enquête.".into(),
        publics: "Familles du quartier, jeunes, personnes âgées isolées".into(),
        resources: "Neuf salariés, trente bénévoles, subvention de fonctionnement de 410 000 €".into(),
        engagement: "Comité d’habitants trimestriel, porte-à-porte avec le bailleur".into(),
        contact: "Direction du centre : 05 49 20 00 00".into(),
        links: "https://www.centres-sociaux.fr".into(),
        address: "4 rue de la Plaine d’Ozon, 86100 Châtellerault".into(),
        opening_hours: "Du lundi au vendredi, 9 h – 18 h".into(),
        accessibility: "Plain-pied, boucle magnétique à l’accueil".into(),
        lat: "46.8066".into(),
        lon: "0.5437".into(),
        ..SheetFields::default()
    };
    let waiting = SheetFields {
        name: "Permanence du Secours populaire de Naintré".into(),
        category: "autre_espace".into(),
        description: "Le mardi après-midi ; on y aide à remplir les dossiers.".into(),
        ..SheetFields::default()
    };
    let refused = SheetFields {
        name: "Guichet unique du Châtelleraudais".into(),
        category: "autre_espace".into(),
        description: "Un guichet qui n’existe plus depuis 2024.".into(),
        ..SheetFields::default()
    };
    let mut ids = Vec::new();
    for (fields, author) in [(centre, provider), (waiting, referent), (refused, referent)] {
        let entry = NewEntry::parse(EntryKind::Space, &fields, std::slice::from_ref(&fields.category))
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let placement = match entry.location {
            Some(l) => crate::storage::boundaries::placement_at(conn, l.lon, l.lat)?,
            None => Default::default(),
        };
        ids.push(diagnostic::insert_entry(conn, place, &entry, &placement, None, author)?);
    }
    diagnostic::review(
        conn,
        place.project_id,
        Reviewed::Entry,
        ids[2],
        false,
        "Ce guichet a fermé : la fiche n’a plus lieu d’être.",
        cast.provider_member,
    )?;
    diagnostic::publish_map(conn, place, cast.provider_member, "CA Grand Châtellerault")?;
    Ok(())
}

const SHEETS: &[DemoSheet] = &[
    (
        EntryKind::Space,
        "France services Châtellerault - Plaine d’Ozon",
        "france_services",
        "citizen",
        "Accueil pour les démarches administratives, dans le centre socioculturel.",
        Some((46.8059741, 0.5410004)),
    ),
    (
        EntryKind::Space,
        "France services La Poste de Naintré",
        "france_services",
        "citizen",
        "Accueil pour les démarches administratives, au bureau de poste.",
        Some((46.7610876, 0.4861127)),
    ),
    (
        EntryKind::Space,
        "France services Dangé-Saint-Romain",
        "france_services",
        "citizen",
        "Accueil pour les démarches administratives.",
        Some((46.936629, 0.605843)),
    ),
    (
        EntryKind::Space,
        "France services Lencloître",
        "france_services",
        "citizen",
        "Accueil pour les démarches administratives.",
        Some((46.813532, 0.326702)),
    ),
    (
        EntryKind::Space,
        "Mairie de Pleumartin",
        "mairie",
        "citizen",
        "Permanence de l’assistante sociale le jeudi matin.",
        Some((46.736027, 0.765533)),
    ),
    (
        EntryKind::Actor,
        "Centre communal d’action sociale de Châtellerault",
        "services_collectivite",
        "thematic",
        "Aides facultatives, domiciliation, accompagnement des personnes isolées.",
        None,
    ),
    (
        EntryKind::Actor,
        "Relais numérique du Châtelleraudais",
        "associations",
        "citizen",
        "Conseillers numériques itinérants dans les bourgs.",
        None,
    ),
    (
        EntryKind::Actor,
        "Maison départementale des solidarités",
        "services_etat",
        "thematic",
        "Travailleurs sociaux du Département : RSA, protection de l’enfance, autonomie.",
        None,
    ),
    (
        EntryKind::Actor,
        "Conseil citoyen de la Plaine d’Ozon",
        "collectifs_habitants",
        "citizen",
        "Habitants et acteurs du quartier prioritaire.",
        None,
    ),
    (
        EntryKind::Object,
        "Permanences itinérantes « France services mobile »",
        "autre_objet",
        "thematic",
        "Un projet de l’agglomération, encore en réflexion.",
        None,
    ),
];

/// (from, to, kind, intensity), by index in [`SHEETS`].
const RELATIONS: &[(usize, usize, &str, u8)] = &[
    (5, 0, "utilise", 3),
    (6, 1, "utilise", 2),
    (6, 2, "utilise", 2),
    (6, 3, "utilise", 1),
    (7, 4, "utilise", 2),
    (8, 0, "utilise", 2),
    (5, 6, "partenariat", 2),
    (5, 7, "echange", 2),
    (5, 8, "echange", 1),
    (5, 9, "porte", 2),
    (6, 9, "participe", 1),
];

/// (kind, title, people met, notes, sheets mentioned by index in [`SHEETS`]).
const SOURCES: &[DemoSource] = &[
    (
        "observation",
        "Une matinée à l’accueil de France services Plaine d’Ozon",
        "2 conseillères France services, 14 personnes accueillies",
        "La moitié des personnes viennent pour la CAF ou l’assurance maladie ; plusieurs sont accompagnées par un \
        enfant ou un voisin. Une personne âgée : « sans ma fille, je n’aurais jamais su que j’y avais droit ».",
        &[0, 5],
    ),
    (
        "study",
        "Baromètre du numérique et non-recours en Vienne",
        "",
        "Près d’un habitant sur cinq des communes rurales de l’agglomération n’a pas d’accès à internet à domicile \
        ou ne s’en sert pas pour ses démarches.",
        &[6],
    ),
];

/// The project's first letter, sent to participants, observers and followers; its messages were not queued (the
/// demo's history is nobody's news), but it stands in the archive.
fn load_newsletter(conn: &mut DbConnection, project_id: i64, cast: &Cast) -> anyhow::Result<()> {
    let audience = Audience { participants: true, observers: true, followers: true };
    let letter = NewNewsletter::parse(
        "Lettre n° 1 — les diagnostics commencent",
        [
            "Deux territoires, un même constat : des habitants renoncent à leurs droits sans que personne ne le \
            sache. Ce trimestre, leurs groupes d’enquête vont à leur rencontre.",
            "Le **non-recours** désigne une personne qui ne reçoit pas une aide ou un service auquel elle a droit : \
            parce qu’elle l’ignore, parce que la démarche la décourage, ou parce qu’elle n’en veut pas.",
            "À Châtellerault, le questionnaire se remplit aussi **en entretien**, au marché et dans les espaces \
            France services : les enquêteurs saisissent les réponses sur la plateforme.",
            "- **Grand Châtellerault** : questionnaire ouvert, premiers entretiens.\n\
            - **Agglopolys** : le groupe d’enquête prépare un questionnaire pour les 16-25 ans.",
            "",
            "Atelier du groupe d’enquête de Grand Châtellerault dans douze jours : lecture des premiers résultats.",
            "",
        ],
        audience,
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let id = insert_draft(conn, project_id, &letter, cast.provider_member)?;
    let draft = find_newsletter(conn, project_id, id)?.ok_or_else(|| anyhow::anyhow!("lettre absente"))?;
    let sent = recipients(conn, project_id, audience)?.len();
    mark_sent(conn, &draft, cast.provider_member, sent, TITLE)?;
    Ok(())
}
