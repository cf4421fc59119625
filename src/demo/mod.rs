//! Demo data shipped with the binary: a few real collectivities of the "Territoires en commun" programmes (official
//! codes of 2026) and their outlines, one account per role, a pending invitation, a project in enrolment and one in
//! diagnostic (`access`) with its survey (`survey`). Loading is idempotent. Every feature adds itself here, so that
//! a newcomer sees it and the browser suite audits its pages.

mod access;
mod capitalisation;
mod codesign;
mod committee;
mod community;
mod directory;
mod plans;
mod reports;
mod restitution;
mod survey;

use chrono::TimeDelta;

use crate::domain::account::Function;
use crate::domain::diagnostic::{EntryKind, NewEntry, NewRelation, NewSource, SheetFields};
use crate::domain::inquiry::{MemberCategory, NewMember};
use crate::domain::inspiration::{parse_links, NewResource};
use crate::domain::project::{EnrolmentRole, EventKind, NewEvent, NewPost, NewProject};
use crate::domain::territory::{EpciType, NewTerritory, TerritoryKind};
use crate::domain::theme::{Engagement, NewPosition, NewTheme, ThemeStatus};
use crate::geo::geojson;
use crate::import::boundaries::{store_outlines, territory_of_code};
use crate::security::{hash_password, random_token, token_digest};
use crate::storage::boundaries::areas_of_territories;
use crate::storage::diagnostic::{self, Author, Place};
use crate::storage::events::insert_event;
use crate::storage::inquiry::add_member;
use crate::storage::inspiration::insert_resource;
use crate::storage::invitations::{insert_invitation, NewInvitation};
use crate::storage::posts::insert_post;
use crate::storage::projects::{enrol, open_project, OpenOutcome};
use crate::storage::territories::{find_territory, set_ept_members, upsert_territories};
use crate::storage::themes::{insert_theme, take_position};
use crate::storage::users::{find_user_by_email, insert_user, set_agency_admin, NewUser};
use crate::storage::{self, collectivities, providers, DbConnection};

pub const DEMO_PASSWORD: &str = "encommun-demo-2026";

/// The titles of the demo's projects: one in enrolment, one in diagnostic.
pub const ENROLMENT_PROJECT: &str = "Alimentation durable : des territoires qui se nourrissent ensemble";
pub const DIAGNOSTIC_PROJECT: &str = access::TITLE;

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    /// What to try first with this account, as the demo prints it.
    pub try_first: &'static str,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "agence@demo.encommun.fr",
        name: "Claire Dubois",
        role: "administratrice de l’agence",
        try_first: "modérer le thème proposé, faire avancer « Alimentation durable », \
            importer des territoires et des contours dans « Administration »",
    },
    DemoAccount {
        email: "referente@agglopolys.demo.encommun.fr",
        name: "Sophie Martin",
        role: "élue référente d’Agglopolys",
        try_first: "« Ma collectivité » : noter et voter dans l’atelier ouvert d’Agglopolys (croisement des \
            regards), le diagnostic et le groupe d’enquête, proposer un thème, se positionner sur un thème",
    },
    DemoAccount {
        email: "agent@grand-chatellerault.demo.encommun.fr",
        name: "Karim Benali",
        role: "agent référent de Grand Châtellerault",
        try_first: "le cycle de créativité terminé de Grand Châtellerault (idées, tableau, actions retenues) ; \
            le questionnaire « Vos démarches du quotidien » : ses résultats, la couverture des publics, saisir un \
            entretien",
    },
    DemoAccount {
        email: "elu@grand-cahors.demo.encommun.fr",
        name: "Jean Lacombe",
        role: "élu (membre) du Grand Cahors",
        try_first: "suivre en observateur le projet « Accès aux droits » et lire sa lettre parue",
    },
    DemoAccount {
        email: "prestataire@demo.encommun.fr",
        name: "Amandine Roux",
        role: "membre du prestataire Coopérative Territoires & Participation",
        try_first: "le diagnostic de Grand Châtellerault (carte, réseau, sources), le questionnaire en \
            brouillon d’Agglopolys, écrire la prochaine lettre",
    },
    DemoAccount {
        email: "operateur@caf-vienne.demo.encommun.fr",
        name: "Luc Garnier",
        role: "opérateur socio-économique (CAF de la Vienne) de la délégation de Grand Châtellerault",
        try_first: "la communauté apprenante d’« Accès aux droits » : le forum entre territoires, le groupe de pairs \
            des opérateurs, les conclusions de l’agora",
    },
];

struct DemoTerritory {
    kind: TerritoryKind,
    code: &'static str,
    name: &'static str,
    epci_type: Option<EpciType>,
    departement: Option<&'static str>,
    region: Option<&'static str>,
    epci: Option<&'static str>,
    postcodes: &'static str,
    population: Option<i64>,
}

const fn region(code: &'static str, name: &'static str) -> DemoTerritory {
    DemoTerritory {
        kind: TerritoryKind::Region,
        code,
        name,
        epci_type: None,
        departement: None,
        region: None,
        epci: None,
        postcodes: "",
        population: None,
    }
}

const fn departement(code: &'static str, name: &'static str, region: &'static str) -> DemoTerritory {
    DemoTerritory {
        kind: TerritoryKind::Departement,
        code,
        name,
        epci_type: None,
        departement: None,
        region: Some(region),
        epci: None,
        postcodes: "",
        population: None,
    }
}

const fn epci(
    code: &'static str,
    name: &'static str,
    epci_type: EpciType,
    dep: &'static str,
    reg: &'static str,
    population: i64,
) -> DemoTerritory {
    DemoTerritory {
        kind: TerritoryKind::Epci,
        code,
        name,
        epci_type: Some(epci_type),
        departement: Some(dep),
        region: Some(reg),
        epci: None,
        postcodes: "",
        population: Some(population),
    }
}

const fn ept(
    code: &'static str,
    name: &'static str,
    dep: &'static str,
    reg: &'static str,
    population: i64,
) -> DemoTerritory {
    DemoTerritory {
        kind: TerritoryKind::Ept,
        code,
        name,
        epci_type: None,
        departement: Some(dep),
        region: Some(reg),
        epci: None,
        postcodes: "",
        population: Some(population),
    }
}

const fn commune(
    code: &'static str,
    name: &'static str,
    dep: &'static str,
    reg: &'static str,
    epci: &'static str,
    postcodes: &'static str,
    population: i64,
) -> DemoTerritory {
    DemoTerritory {
        kind: TerritoryKind::Commune,
        code,
        name,
        epci_type: None,
        departement: Some(dep),
        region: Some(reg),
        epci: Some(epci),
        postcodes,
        population: Some(population),
    }
}

/// Codes and populations from the COG 2026 and Banatic.
const TERRITORIES: &[DemoTerritory] = &[
    region("24", "Centre-Val de Loire"),
    region("75", "Nouvelle-Aquitaine"),
    region("76", "Occitanie"),
    region("44", "Grand Est"),
    region("11", "Île-de-France"),
    departement("41", "Loir-et-Cher", "24"),
    departement("86", "Vienne", "75"),
    departement("16", "Charente", "75"),
    departement("46", "Lot", "76"),
    departement("68", "Haut-Rhin", "44"),
    departement("93", "Seine-Saint-Denis", "11"),
    epci("200030385", "CA de Blois «\u{202f}Agglopolys\u{202f}»", EpciType::Ca, "41", "24", 106_574),
    epci("248600413", "CA Grand Châtellerault", EpciType::Ca, "86", "75", 82_964),
    epci("200023737", "CA du Grand Cahors", EpciType::Ca, "46", "76", 42_094),
    epci("246800726", "CA Colmar Agglomération", EpciType::Ca, "68", "44", 113_600),
    epci("200071827", "CA du Grand Angoulême", EpciType::Ca, "16", "75", 142_458),
    epci("200054781", "Métropole du Grand Paris", EpciType::Metro, "75", "11", 7_076_019),
    commune("41018", "Blois", "41", "24", "200030385", "41000", 47_219),
    commune("86066", "Châtellerault", "86", "75", "248600413", "86100", 31_003),
    commune("86174", "Naintré", "86", "75", "248600413", "86530", 5_964),
    commune("86092", "Dangé-Saint-Romain", "86", "75", "248600413", "86220", 2_959),
    commune("86272", "Thuré", "86", "75", "248600413", "86540", 2_765),
    commune("86128", "Lencloître", "86", "75", "248600413", "86140", 2_483),
    commune("86207", "La Roche-Posay", "86", "75", "248600413", "86270", 1_566),
    commune("86193", "Pleumartin", "86", "75", "248600413", "86450", 1_214),
    commune("46042", "Cahors", "46", "76", "200023737", "46000", 20_050),
    commune("68066", "Colmar", "68", "44", "246800726", "68000", 66_970),
    commune("16015", "Angoulême", "16", "75", "200071827", "16000", 41_908),
    ept("200057867", "Plaine Commune", "93", "11", 453_671),
    commune("93066", "Saint-Denis", "93", "11", "200054781", "93200 93210 93380", 149_077),
];

/// The demo's établissement public territorial and its member communes (Saint-Denis, in the demo).
const EPT_MEMBERS: (&str, &[&str]) = ("200057867", &["93066"]);

/// Which collectivities are on the platform in the demo.
const REGISTERED: &[(TerritoryKind, &str)] = &[
    (TerritoryKind::Epci, "200030385"),
    (TerritoryKind::Epci, "248600413"),
    (TerritoryKind::Epci, "200023737"),
    (TerritoryKind::Epci, "246800726"),
    (TerritoryKind::Epci, "200071827"),
    (TerritoryKind::Ept, "200057867"),
];

const PROVIDER: &str = "Coopérative Territoires & Participation";

fn new_territory(t: &DemoTerritory) -> NewTerritory {
    NewTerritory {
        kind: t.kind,
        code: t.code.into(),
        name: t.name.into(),
        epci_type: t.epci_type,
        departement_code: t.departement.map(Into::into),
        region_code: t.region.map(Into::into),
        epci_code: t.epci.map(Into::into),
        siren: if matches!(t.kind, TerritoryKind::Epci | TerritoryKind::Ept) { Some(t.code.into()) } else { None },
        postcodes: if t.postcodes.is_empty() { String::new() } else { format!(" {} ", t.postcodes) },
        population: t.population,
    }
}

/// Themes with positions, and a proposal waiting for moderation. Positions of collectivities without a referent
/// account in the demo are recorded by the agency.
fn load_themes(conn: &mut DbConnection, users: &[i64], collectivities: &[i64]) -> anyhow::Result<(i64, i64)> {
    let theme = |title: &str, problem: &str, why: &str| {
        NewTheme::parse(title, problem, why).map_err(|e| anyhow::anyhow!("{e:?}"))
    };
    let mobility = theme(
        "Mobilités du quotidien en milieu rural",
        "Sans voiture, une partie des habitants ne peut ni travailler, ni se soigner, ni participer à la vie locale.",
        "Les transports collectifs ne desservent qu’une minorité de nos communes ; les solidarités informelles s’essoufflent.",
    )?;
    let youth = theme(
        "Engagement des jeunes dans la vie locale",
        "Les 15-25 ans sont presque absents des instances de participation et des associations du territoire.",
        "Sans eux, nos projets de territoire se décident pour une génération qui ne s’y reconnaît pas.",
    )?;
    let third_places = theme(
        "Tiers-lieux et services publics de proximité",
        "Des bourgs perdent leurs derniers lieux de rencontre quand ferment le café, la poste ou l’école.",
        "Un lieu partagé peut réunir services, associations et habitants là où chacun seul ne tiendrait pas.",
    )?;
    let (admin, agglopolys_referent, chatellerault_referent) = (users[0], users[1], users[2]);
    let mobility_id = insert_theme(conn, &mobility, admin, None, ThemeStatus::Open)?;
    let youth_id = insert_theme(conn, &youth, admin, None, ThemeStatus::Open)?;
    insert_theme(conn, &third_places, chatellerault_referent, Some(collectivities[1]), ThemeStatus::Proposed)?;
    let positions = [
        (
            mobility_id,
            collectivities[0],
            agglopolys_referent,
            "CA de Blois",
            Engagement::Participate,
            "43 communes, dont 30 sans desserte régulière : le transport à la demande ne suffit plus.",
        ),
        (
            mobility_id,
            collectivities[1],
            chatellerault_referent,
            "CA Grand Châtellerault",
            Engagement::Participate,
            "Nos zones d’emploi sont inaccessibles sans voiture pour les jeunes des communes rurales.",
        ),
        (
            mobility_id,
            collectivities[2],
            admin,
            "CA du Grand Cahors",
            Engagement::Observe,
            "Nous suivons les expériences de covoiturage solidaire avant d’engager notre plan de mobilité.",
        ),
        (
            youth_id,
            collectivities[1],
            chatellerault_referent,
            "CA Grand Châtellerault",
            Engagement::Interested,
            "Le conseil local des jeunes peine à se renouveler depuis trois ans.",
        ),
        (
            youth_id,
            collectivities[4],
            admin,
            "CA du Grand Angoulême",
            Engagement::Participate,
            "Nous voulons associer les lycéens au diagnostic de nos quartiers prioritaires.",
        ),
    ];
    for (theme_id, collectivity, user, name, engagement, stakes) in positions {
        let position = NewPosition { stakes: stakes.into(), engagement };
        take_position(conn, theme_id, collectivity, user, &position, name)?;
    }
    Ok((mobility_id, youth_id))
}

/// Inspiration material on the open themes, as the agency publishes it.
fn load_inspiration(conn: &mut DbConnection, admin: i64, mobility: i64, youth: i64) -> anyhow::Result<()> {
    let resources = [
        (
            "Transport solidaire : des bénévoles au volant",
            "Dans des communes sans ligne régulière, des habitants bénévoles conduisent ceux qui n’ont pas de voiture \
            vers le médecin, le marché ou l’emploi, avec une participation aux frais.",
            "## Ce qui fait tenir ces réseaux\n\n\
            - une **centrale d’appel** unique, tenue par une association ou le CCAS ;\n\
            - des conducteurs assurés et défrayés au kilomètre ;\n\
            - des trajets réservés la veille, groupés quand c’est possible.\n\n\
            ## Les limites\n\nLe bénévolat s’essouffle sans animation : prévoir un temps de coordination salarié.",
            "https://www.francemobilites.fr France Mobilités",
            vec![mobility],
        ),
        (
            "Associer les jeunes au diagnostic de leur territoire",
            "Des lycéens et des jeunes du service civique enquêtent auprès de leurs pairs : une méthode pour \
            entendre ceux qui ne viennent jamais aux réunions publiques.",
            "Les jeunes enquêteurs conçoivent eux-mêmes une partie des questions, vont là où sont leurs pairs \
            (arrêts de car, clubs sportifs, réseaux) et restituent leurs résultats aux élus.",
            "https://agence-cohesion-territoires.gouv.fr Agence nationale de la cohésion des territoires",
            vec![youth, mobility],
        ),
    ];
    for (title, summary, body, links, theme_ids) in resources {
        let resource = NewResource {
            title: title.into(),
            summary: summary.into(),
            body: body.into(),
            links: parse_links(links).map_err(|e| anyhow::anyhow!(e))?,
            theme_ids,
        };
        insert_resource(conn, &resource, admin)?;
    }
    Ok(())
}

/// A shared project opened on a selected theme, in enrolment: two participants, an observer, a planned seminar
/// and a news item.
fn load_project(conn: &mut DbConnection, users: &[i64], collectivities: &[i64]) -> anyhow::Result<()> {
    let (admin, agglopolys_referent) = (users[0], users[1]);
    let food = NewTheme::parse(
        "Alimentation durable et circuits courts",
        "Les cantines et les habitants achètent loin ce que les fermes du territoire produisent à quelques kilomètres.",
        "Relocaliser une part de l’alimentation soutient l’agriculture locale et l’accès de tous à une nourriture de qualité.",
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let theme_id = insert_theme(conn, &food, admin, None, ThemeStatus::Open)?;
    let positions = [
        (
            collectivities[0],
            agglopolys_referent,
            "CA de Blois",
            Engagement::Participate,
            "Nos 43 communes gèrent des cantines qui veulent s’approvisionner auprès des maraîchers du Blaisois.",
        ),
        (
            collectivities[4],
            admin,
            "CA du Grand Angoulême",
            Engagement::Participate,
            "Notre projet alimentaire territorial cherche à associer les habitants des quartiers prioritaires.",
        ),
        (
            collectivities[3],
            admin,
            "CA Colmar Agglomération",
            Engagement::Observe,
            "Nous préparons un projet alimentaire territorial et voulons apprendre des autres.",
        ),
    ];
    for (collectivity, user, name, engagement, stakes) in positions {
        take_position(conn, theme_id, collectivity, user, &NewPosition { stakes: stakes.into(), engagement }, name)?;
    }
    let today = storage::now().date();
    let project = NewProject {
        title: ENROLMENT_PROJECT.into(),
        description: "Trois à cinq territoires conçoivent avec leurs habitants une politique alimentaire locale : \
            approvisionnement des cantines, accès des ménages modestes à des produits frais, place des producteurs."
            .into(),
        charter: "Chaque collectivité participante s’engage à désigner un binôme élu–agent, à constituer un groupe \
            d’enquête mixte ouvert aux habitants les plus éloignés de la participation, à accueillir un séminaire local \
            et à partager ses travaux avec les autres territoires."
            .into(),
        min_participants: 3,
        max_participants: 5,
        starts_on: today,
        ends_on: today + TimeDelta::days(540),
    };
    let programme = territoires_en_commun(conn)?;
    let OpenOutcome::Opened { project_id, .. } = open_project(conn, theme_id, &project, Some(&programme), admin)?
    else {
        anyhow::bail!("le thème de démonstration n’était pas ouvert");
    };
    enrol(conn, project_id, collectivities[0], agglopolys_referent, EnrolmentRole::Participant, "CA de Blois")?;
    enrol(conn, project_id, collectivities[4], admin, EnrolmentRole::Participant, "CA du Grand Angoulême")?;
    enrol(conn, project_id, collectivities[3], admin, EnrolmentRole::Observer, "CA Colmar Agglomération")?;
    let seminar_day = (today + TimeDelta::days(30)).and_hms_opt(9, 30, 0).unwrap_or_default();
    let seminar = NewEvent {
        kind: EventKind::InterSiteSeminar,
        title: "Séminaire de lancement".into(),
        description:
            "Présentation des territoires, de la charte et du calendrier ; premiers échanges sur les diagnostics."
                .into(),
        starts_at: seminar_day,
        ends_at: seminar_day + TimeDelta::hours(7),
        place: Some("Halle aux grains, Blois".into()),
        online_url: Some("https://visio.demo.encommun.fr/lancement-alimentation".into()),
        collectivity_id: None,
    };
    insert_event(conn, project_id, &seminar, admin, &project.title)?;
    let news = NewPost {
        title: "Les inscriptions sont ouvertes".into(),
        body: "Le projet **Alimentation durable** accueille jusqu’à cinq territoires participants. \
            Lisez la charte, puis inscrivez votre collectivité depuis cette page.\n\n\
            - séminaire de lancement dans un mois, à Blois et en ligne ;\n- diagnostic au printemps."
            .into(),
        is_public: true,
    };
    insert_post(conn, project_id, &news, admin)?;
    // Grand Angoulême has started its inquiry group; it still lacks a third category.
    for (name, category, note) in [
        ("Nadia Benmansour", MemberCategory::Elu, "adjointe à la démocratie locale"),
        ("Yanis", MemberCategory::Habitant, "conseil citoyen de Basseau-Grande Garenne"),
        ("Odile", MemberCategory::Habitant, "jardins partagés de la Grand Font"),
    ] {
        let member = NewMember { display_name: name.into(), category, note: note.into(), email: None };
        add_member(conn, project_id, collectivities[4], &member, admin, "CA du Grand Angoulême")?;
    }
    load_diagnostic(conn, Place { project_id, collectivity_id: collectivities[4] }, admin)?;
    Ok(())
}

/// Grand Angoulême's diagnostic under way: actors of both worlds, three France services (real, from ANCT's
/// list), two engagement objects, their relations — with an isolated actor and a bridge between the worlds for
/// the readings to tell — and two sources.
fn load_diagnostic(conn: &mut DbConnection, place: Place, admin: i64) -> anyhow::Result<()> {
    let author = Author { user_id: admin, publishes: true };
    let ids = insert_sheets(conn, place, author, DEMO_SHEETS)?;
    relate(conn, place, author, &ids, DEMO_RELATIONS)?;
    add_sources(conn, place, author, &ids, DEMO_SOURCES)?;
    Ok(())
}

/// Stores sheets of a diagnostic, each placed on the outlines that hold its point; returns (id, kind) in order.
pub fn insert_sheets(
    conn: &mut DbConnection,
    place: Place,
    author: Author,
    sheets: &[DemoSheet],
) -> anyhow::Result<Vec<(i64, EntryKind)>> {
    let mut ids = Vec::new();
    for (kind, name, category, domain, description, location) in sheets {
        let fields = SheetFields {
            name: name.to_string(),
            category: category.to_string(),
            domain: domain.to_string(),
            description: description.to_string(),
            lat: location.map(|(lat, _)| lat.to_string()).unwrap_or_default(),
            lon: location.map(|(_, lon)| lon.to_string()).unwrap_or_default(),
            ..SheetFields::default()
        };
        let entry = NewEntry::parse(*kind, &fields, &[category.to_string()]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let placement = match entry.location {
            Some(l) => crate::storage::boundaries::placement_at(conn, l.lon, l.lat)?,
            None => Default::default(),
        };
        ids.push((diagnostic::insert_entry(conn, place, &entry, &placement, None, author)?, *kind));
    }
    Ok(ids)
}

/// Relates sheets stored by [`insert_sheets`]: (from, to, kind, intensity) by index.
fn relate(
    conn: &mut DbConnection,
    place: Place,
    author: Author,
    sheets: &[(i64, EntryKind)],
    relations: &[(usize, usize, &str, u8)],
) -> anyhow::Result<()> {
    for (from, to, kind, intensity) in relations {
        let relation = NewRelation::parse(sheets[*from], Some(sheets[*to]), kind, &intensity.to_string(), "")
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        diagnostic::add_relation(conn, place, &relation, author)?;
    }
    Ok(())
}

/// A source: (kind, title, people met, notes, sheets mentioned by index).
pub type DemoSource = (&'static str, &'static str, &'static str, &'static str, &'static [usize]);

/// Adds sources to a diagnostic, mentioning sheets stored by [`insert_sheets`] (by index); returns their ids in
/// order.
pub fn add_sources(
    conn: &mut DbConnection,
    place: Place,
    author: Author,
    sheets: &[(i64, EntryKind)],
    sources: &[DemoSource],
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for (kind, title, people_met, notes, mentions) in sources {
        let source = NewSource::parse(kind, title, "", people_met, notes, "").map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let mentions: Vec<i64> = mentions.iter().map(|i| sheets[*i].0).collect();
        ids.push(diagnostic::add_source(conn, place, &source, &mentions, author)?);
    }
    Ok(ids)
}

/// Stores the demo's territories (five régions, their départements, six intercommunalities, their communes;
/// codes of 2026) that are missing: a real import is never overwritten. Tests build on them too.
pub fn load_territories(conn: &mut DbConnection) -> anyhow::Result<()> {
    let missing: Vec<NewTerritory> = TERRITORIES
        .iter()
        .map(new_territory)
        .filter(|t| find_territory(conn, t.kind, &t.code).ok().flatten().is_none())
        .collect();
    upsert_territories(conn, &missing, storage::now())?;
    if missing.iter().any(|t| t.kind == TerritoryKind::Ept) {
        let (ept, members) = EPT_MEMBERS;
        set_ept_members(conn, ept, &members.iter().map(|m| m.to_string()).collect::<Vec<_>>())?;
    }
    Ok(())
}

/// Outlines of the demo's territories, simplified (`tools/demo-outlines.py` derived them from open data).
const OUTLINES: &str = include_str!("outlines.geojson");

/// Stores the shipped outlines of territories that have none: a real import is never overwritten.
pub fn load_outlines(conn: &mut DbConnection) -> anyhow::Result<()> {
    let mut collection = geojson::read(OUTLINES).map_err(anyhow::Error::msg)?;
    let mut missing = Vec::new();
    for feature in collection.features.drain(..) {
        let code = feature.property(&["code"]).unwrap_or_default();
        if let Some(territory) = territory_of_code(conn, &code)? {
            if areas_of_territories(conn, &[territory.id])?.is_empty() {
                missing.push(feature);
            }
        }
    }
    if !missing.is_empty() {
        collection.features = missing;
        store_outlines(conn, &collection)?;
    }
    Ok(())
}

/// A sheet: (kind, name, category, domain, description, (lat, lon)).
pub type DemoSheet = (EntryKind, &'static str, &'static str, &'static str, &'static str, Option<(f64, f64)>);

const DEMO_SHEETS: &[DemoSheet] = &[
    (
        EntryKind::Actor,
        "Élus de quartier de la Ville d’Angoulême",
        "elus",
        "citizen",
        "Un élu référent par quartier, permanences mensuelles.",
        None,
    ),
    (
        EntryKind::Actor,
        "Service démocratie locale de GrandAngoulême",
        "services_collectivite",
        "citizen",
        "Anime les conseils citoyens et les budgets participatifs.",
        None,
    ),
    (
        EntryKind::Actor,
        "Centre social, culturel et sportif de la Grand Font",
        "equipements_publics",
        "citizen",
        "Accueil des familles, ateliers, accompagnement aux démarches.",
        Some((45.653971, 0.173162)),
    ),
    (
        EntryKind::Actor,
        "Collectif des jardins partagés de la Grand Font",
        "collectifs_habitants",
        "citizen",
        "Une trentaine de parcelles cultivées par des habitants du quartier.",
        None,
    ),
    (
        EntryKind::Actor,
        "Épicerie sociale du quartier",
        "associations",
        "thematic",
        "Produits à prix réduits pour les ménages orientés par les travailleurs sociaux.",
        None,
    ),
    (
        EntryKind::Actor,
        "Restauration scolaire de la Ville",
        "services_collectivite",
        "thematic",
        "Une cuisine centrale, des repas servis dans les écoles.",
        None,
    ),
    (
        EntryKind::Actor,
        "Chambre d’agriculture de la Charente",
        "chambres_consulaires",
        "thematic",
        "Accompagne les producteurs vers la restauration collective.",
        None,
    ),
    (
        EntryKind::Actor,
        "Producteurs du marché Victor-Hugo",
        "entreprises",
        "thematic",
        "Maraîchers et éleveurs de l’agglomération présents chaque matin.",
        None,
    ),
    (
        EntryKind::Space,
        "France services Basseau",
        "france_services",
        "citizen",
        "Accueil pour les démarches administratives.",
        Some((45.6482142, 0.1179563)),
    ),
    (
        EntryKind::Space,
        "France services CSCS CAJ Grand Font",
        "france_services",
        "citizen",
        "Accueil pour les démarches administratives, dans le centre social.",
        Some((45.653971, 0.173162)),
    ),
    (
        EntryKind::Space,
        "France services d’Angoulême - Ma Campagne",
        "france_services",
        "citizen",
        "Accueil pour les démarches administratives.",
        Some((45.6298976, 0.1492027)),
    ),
    (
        EntryKind::Object,
        "Conseil citoyen de Basseau-Grande Garenne",
        "conseil_citoyen",
        "citizen",
        "Habitants tirés au sort et acteurs locaux du quartier prioritaire.",
        None,
    ),
    (
        EntryKind::Object,
        "Projet alimentaire territorial",
        "autre_objet",
        "thematic",
        "La démarche de l’agglomération pour relocaliser l’alimentation.",
        None,
    ),
];

/// (from, to, kind, intensity), by index in [`DEMO_SHEETS`].
const DEMO_RELATIONS: &[(usize, usize, &str, u8)] = &[
    (0, 1, "partenariat", 3),
    (1, 2, "echange", 2),
    (2, 3, "partenariat", 2),
    (2, 9, "anime", 3),
    (3, 9, "utilise", 1),
    (5, 7, "financement", 2),
    (6, 7, "partenariat", 3),
    (5, 6, "echange", 1),
    (5, 1, "echange", 1),
    (0, 12, "porte", 3),
    (6, 12, "participe", 2),
    (2, 11, "participe", 2),
];

/// (kind, title, people met, notes, sheets mentioned by index in [`DEMO_SHEETS`]).
const DEMO_SOURCES: &[DemoSource] = &[
    (
        "study",
        "Analyse des besoins sociaux de l’agglomération",
        "",
        "Le recours à l’aide alimentaire a crû dans les quartiers prioritaires ; les familles monoparentales y sont \
        surreprésentées.",
        &[5],
    ),
    (
        "interview",
        "Entretien collectif au centre social de la Grand Font",
        "2 animatrices, 5 habitantes du quartier",
        "Les habitantes viennent au centre pour les démarches et restent pour le jardin. Une mère de famille : « on \
        voudrait cuisiner ce qu’on fait pousser, mais il n’y a pas de cuisine ouverte ».",
        &[2, 3, 9],
    ),
];

/// Loads the demo; returns false when it was already there.
pub fn load(conn: &mut DbConnection) -> anyhow::Result<bool> {
    if find_user_by_email(conn, DEMO_ACCOUNTS[0].email)?.is_some() {
        return Ok(false);
    }
    let password_hash = hash_password(DEMO_PASSWORD)?;
    storage::write_transaction(conn, |conn| -> anyhow::Result<()> {
        let now = storage::now();
        load_territories(conn)?;
        load_outlines(conn)?;
        let mut collectivity_ids = Vec::new();
        for (kind, code) in REGISTERED {
            let territory =
                find_territory(conn, *kind, code)?.ok_or_else(|| anyhow::anyhow!("territoire {code} absent"))?;
            collectivity_ids.push(collectivities::register_collectivity(conn, territory.id)?.id);
        }
        let mut user_ids = Vec::new();
        for account in DEMO_ACCOUNTS {
            user_ids.push(insert_user(conn, &NewUser::new(account.email, account.name, &password_hash))?);
        }
        set_agency_admin(conn, user_ids[0], true)?;
        collectivities::upsert_membership(conn, user_ids[1], collectivity_ids[0], Function::Elu, true)?;
        collectivities::upsert_membership(conn, user_ids[2], collectivity_ids[1], Function::Agent, true)?;
        collectivities::upsert_membership(conn, user_ids[3], collectivity_ids[2], Function::Elu, false)?;
        let provider_id = providers::insert_provider(conn, PROVIDER)?;
        providers::add_provider_member(conn, provider_id, user_ids[4])?;
        let (mobility, youth) = load_themes(conn, &user_ids, &collectivity_ids)?;
        load_inspiration(conn, user_ids[0], mobility, youth)?;
        load_project(conn, &user_ids, &collectivity_ids)?;
        let cast = access::Cast {
            admin: user_ids[0],
            agglopolys_referent: user_ids[1],
            chatellerault_referent: user_ids[2],
            provider_member: user_ids[4],
            operator: user_ids[5],
            provider_id,
            agglopolys: collectivity_ids[0],
            chatellerault: collectivity_ids[1],
            cahors: collectivity_ids[2],
        };
        access::load(conn, &cast)?;
        load_programmes(conn, user_ids[0])?;
        // A pending invitation, as the agency would have sent it to Colmar; its link is not known to anyone.
        insert_invitation(
            conn,
            &NewInvitation {
                token_hash: &token_digest(&random_token()),
                email: "direction.participation@colmar-agglo.demo.encommun.fr",
                collectivity_id: Some(collectivity_ids[3]),
                provider_id: None,
                function: Some(Function::Agent.code()),
                is_referent: true,
                invited_by: user_ids[0],
                created_at: now,
                expires_at: now + TimeDelta::days(14),
                inquiry_member_id: None,
                working_member_id: None,
                delegation_member_id: None,
                steering_member_id: None,
            },
        )?;
        // The demo's history was written at once: it is nobody's news.
        storage::subscriptions::catch_up_all(conn)?;
        Ok(())
    })?;
    Ok(true)
}

/// The built-in programme the demo's projects are opened from (written by the migrations).
pub fn territoires_en_commun(conn: &mut DbConnection) -> anyhow::Result<storage::programmes::ProgrammeVersion> {
    storage::programmes::find_built_in(conn, "territoires-en-commun")?.ok_or_else(|| {
        anyhow::anyhow!("le programme « Territoires en commun » manque : les migrations ont-elles tourné ?")
    })
}

/// The agency's own programme beside the three built in: a cohort adapted for 2027, in two versions.
pub const DEMO_PROGRAMME: &str = "Cohorte des transitions 2027";

fn load_programmes(conn: &mut DbConnection, admin: i64) -> anyhow::Result<()> {
    use crate::domain::programme::{Programme, Seminar};
    use crate::storage::programmes::{create_programme, save_version, Saved};
    let mut programme =
        Programme::built_in("cohorte").ok_or_else(|| anyhow::anyhow!("le programme « cohorte » est illisible"))?;
    programme.name = DEMO_PROGRAMME.into();
    programme.max_participants = 12;
    programme.summary = "La cohorte pilote, adaptée pour 2027 : jusqu’à douze territoires, une journée entre pairs         consacrée aux coopérations avec les services de l’État."
        .into();
    let Saved::Version { programme_id, .. } =
        create_programme(conn, &programme, "Adaptée de la cohorte pilote.", admin)?
    else {
        anyhow::bail!("le programme de démonstration existe déjà");
    };
    programme.seminars.push(Seminar {
        title: "Journée entre pairs : coopérer avec les services de l’État".into(),
        kind: crate::domain::project::EventKind::PeerExchange,
        phase: crate::domain::project::Phase::CoDesign,
        week: 16,
        hours: 7,
    });
    save_version(conn, programme_id, Some(1), &programme, "Une journée entre pairs de plus, avec l’État.", admin)?;
    Ok(())
}

/// The demo's project of this title ([`ENROLMENT_PROJECT`] or [`DIAGNOSTIC_PROJECT`]); None when the demo is not
/// loaded. Tests and benchmarks name the project they work on rather than take the first of the list.
pub fn project(conn: &mut DbConnection, title: &str) -> storage::QueryResult<Option<storage::projects::Project>> {
    Ok(storage::projects::list_projects(conn)?.into_iter().find(|p| p.title == title))
}

/// The public path of the demo's published questionnaire (`/q/…`), for the demo's welcome; None when the demo is
/// not loaded.
pub fn survey_path(conn: &mut DbConnection) -> anyhow::Result<Option<String>> {
    let Some(project) = project(conn, DIAGNOSTIC_PROJECT)? else { return Ok(None) };
    for (collectivity_id, _) in storage::projects::participant_territories(conn, project.id)? {
        let questionnaires = storage::questionnaires::questionnaires_of_group(conn, project.id, collectivity_id)?;
        if let Some((questionnaire, _)) = questionnaires.into_iter().find(|(q, _)| q.title == survey::TITLE) {
            return Ok(Some(format!("/q/{}", questionnaire.public_token)));
        }
    }
    Ok(None)
}
