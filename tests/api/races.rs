//! Concurrent requests: single-use links work once, a collectivity is registered once, and a project's last seats
//! go to exactly as many collectivities as there are seats, whatever the timing.

use std::sync::{Arc, Barrier};

use encommun::domain::project::{EnrolmentRole, EnrolmentStatus, NewProject};
use encommun::domain::territory::{NewTerritory, TerritoryKind};
use encommun::domain::theme::{NewTheme, ThemeStatus};
use encommun::storage::collectivities::{count_collectivities, register_collectivity};
use encommun::storage::projects::{count_enrolments, enrol, find_project, open_project, EnrolOutcome, OpenOutcome};
use encommun::storage::territories::find_territory;
use encommun::storage::territories::upsert_territories;
use encommun::storage::themes::insert_theme;

use crate::fixtures::{self, PASSWORD};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_reset_link_used_twice_at_once_works_once,
    a_collectivity_is_registered_once_under_contention,
    twenty_collectivities_race_for_the_last_two_seats,
);

async fn a_reset_link_used_twice_at_once_works_once(app: TestApp) {
    let email = "prestataire@exemple.fr";
    with_conn(&app, |conn| fixtures::account(conn, email, "Amandine Roux"));
    app.client().submit("/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", email)]).await.assert_status(200);
    let path = app.emails_to(email)[0].link_containing("/mot-de-passe/nouveau/");
    let (first, second) = (app.client(), app.client());
    let (token_1, token_2) = (first.get(&path).await.csrf_token(), second.get(&path).await.csrf_token());
    let (a, b) = ("premier mot de passe", "second mot de passe");
    let fields_1 = [("csrf_token", token_1.as_str()), ("password", a), ("password_confirmation", a)];
    let fields_2 = [("csrf_token", token_2.as_str()), ("password", b), ("password_confirmation", b)];
    let (r1, r2) = tokio::join!(first.post(&path, &fields_1), second.post(&path, &fields_2));
    let mut statuses = [r1.status, r2.status];
    statuses.sort();
    assert_eq!(statuses, [303, 410], "exactly one use");
    let winner = if r1.status == 303 { a } else { b };
    let loser = if r1.status == 303 { b } else { a };
    app.client().login(email, winner).await.assert_redirect("/");
    app.client().login(email, loser).await.assert_status(422);
    app.client().login(email, PASSWORD).await.assert_status(422);
}

async fn a_collectivity_is_registered_once_under_contention(app: TestApp) {
    with_conn(&app, fixtures::territories);
    let territory = with_conn(&app, |conn| find_territory(conn, TerritoryKind::Commune, "41018").unwrap().unwrap());
    let before = with_conn(&app, |conn| count_collectivities(conn).unwrap());
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let url = app.config.database_url.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                // Each racer has its own connection (the app's pool is smaller than the crowd).
                let mut conn = encommun::storage::establish(&url).unwrap();
                barrier.wait();
                register_collectivity(&mut conn, territory.id).unwrap().id
            })
        })
        .collect();
    let ids: Vec<i64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "one collectivity for all: {ids:?}");
    assert_eq!(with_conn(&app, |conn| count_collectivities(conn).unwrap()), before + 1);
}

/// Communes of Agglopolys (COG 2026), each registered as a collectivity for the race.
const COMMUNES: [(&str, &str); 23] = [
    ("41009", "Averdon"),
    ("41029", "Candé-sur-Beuvron"),
    ("41031", "Cellettes"),
    ("41032", "Chailles"),
    ("41035", "Champigny-en-Beauce"),
    ("41040", "La Chapelle-Vendômoise"),
    ("41045", "Chaumont-sur-Loire"),
    ("41047", "La Chaussée-Saint-Victor"),
    ("41050", "Cheverny"),
    ("41052", "Chitenay"),
    ("41055", "Valloire-sur-Cisse"),
    ("41061", "Cormeray"),
    ("41067", "Cour-Cheverny"),
    ("41091", "Fossé"),
    ("41093", "Françay"),
    ("41101", "Herbault"),
    ("41108", "Lancôme"),
    ("41109", "Landes-le-Gaulois"),
    ("41128", "Marolles"),
    ("41134", "Menars"),
    ("41137", "Mesland"),
    ("41142", "Valencisse"),
    ("41144", "Monteaux"),
];

async fn twenty_collectivities_race_for_the_last_two_seats(app: TestApp) {
    let (project_id, collectivity_ids, admin) = with_conn(&app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, "agence@exemple.fr", "Claire Dubois").id;
        let communes: Vec<NewTerritory> = COMMUNES
            .iter()
            .map(|(code, name)| NewTerritory {
                kind: TerritoryKind::Commune,
                code: (*code).into(),
                name: (*name).into(),
                epci_type: None,
                departement_code: Some("41".into()),
                region_code: Some("24".into()),
                epci_code: Some("200030385".into()),
                siren: None,
                postcodes: String::new(),
                population: None,
            })
            .collect();
        upsert_territories(conn, &communes, encommun::storage::now()).unwrap();
        let ids: Vec<i64> = COMMUNES
            .iter()
            .map(|(code, _)| {
                let territory = find_territory(conn, TerritoryKind::Commune, code).unwrap().unwrap();
                register_collectivity(conn, territory.id).unwrap().id
            })
            .collect();
        let theme = NewTheme::parse(
            "Cantines et producteurs locaux",
            "Les cantines achètent loin ce que les fermes voisines produisent.",
            "Relocaliser l’alimentation soutient l’agriculture du Blaisois.",
        )
        .unwrap();
        let theme_id = insert_theme(conn, &theme, admin, None, ThemeStatus::Open).unwrap();
        let project = NewProject {
            title: "Cantines du Blaisois".into(),
            description: "Des communes conçoivent ensemble l’approvisionnement local de leurs cantines.".into(),
            charter: "Chaque commune participante ouvre sa cantine au diagnostic partagé.".into(),
            min_participants: 3,
            max_participants: 5,
            starts_on: chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
        };
        let OpenOutcome::Opened { project_id, .. } =
            encommun::storage::write_transaction(conn, |conn| open_project(conn, theme_id, &project, None, admin))
                .unwrap()
        else {
            panic!("the theme is open")
        };
        // Three seats taken: two left.
        for id in &ids[..3] {
            encommun::storage::write_transaction(conn, |conn| {
                enrol(conn, project_id, *id, admin, EnrolmentRole::Participant, "commune")
            })
            .unwrap();
        }
        (project_id, ids, admin)
    });
    let racers = &collectivity_ids[3..];
    let barrier = Arc::new(Barrier::new(racers.len()));
    let handles: Vec<_> = racers
        .iter()
        .map(|&collectivity| {
            let url = app.config.database_url.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut conn = encommun::storage::establish(&url).unwrap();
                barrier.wait();
                encommun::storage::write_transaction(&mut conn, |conn| {
                    enrol(conn, project_id, collectivity, admin, EnrolmentRole::Participant, "commune")
                })
                .unwrap()
            })
        })
        .collect();
    let outcomes: Vec<EnrolOutcome> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let seated = outcomes.iter().filter(|o| **o == EnrolOutcome::Enrolled(EnrolmentRole::Participant)).count();
    let mut ranks: Vec<i64> = outcomes
        .iter()
        .filter_map(|o| match o {
            EnrolOutcome::Waitlisted { rank } => Some(*rank),
            _ => None,
        })
        .collect();
    ranks.sort_unstable();
    assert_eq!(seated, 2, "exactly the two free seats were taken: {outcomes:?}");
    assert_eq!(ranks, (1..=18).collect::<Vec<i64>>(), "the others wait, each at its own rank");
    with_conn(&app, |conn| {
        let project = find_project(conn, project_id).unwrap().unwrap();
        assert_eq!(project.active_participants, 5);
        assert_eq!(count_enrolments(conn, project_id, EnrolmentRole::Participant, EnrolmentStatus::Active).unwrap(), 5);
        assert_eq!(
            count_enrolments(conn, project_id, EnrolmentRole::Participant, EnrolmentStatus::Waitlisted).unwrap(),
            18
        );
    });
}
