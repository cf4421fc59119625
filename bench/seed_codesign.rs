//! Bench fixture (bench/codesign.sh): two creativity cycles on the demo's database.
//! - A live vote: Agglopolys's open convergence workshop in « Accès aux droits » gets MEMBERS accounts seated in its
//!   working group (password `mesure-mot-de-passe`, addresses `participant<n>@mesure.encommun.fr`), its ideas
//!   brought to 12 and 6 weighted criteria.
//! - A board: the first participant of « Alimentation durable » gets IDEAS ideas taken from the real Grand Débat
//!   answers (ANSWERS, a JSON file of `../shared/data/questionnaires/`), 6 criteria, and a convergence workshop in
//!   which 60 members scored every idea against every criterion and spent their 8 dots.
//!
//! Prints "live-path board-path seconds-to-seed".
//! Usage: seed_codesign DATABASE_URL MEMBERS IDEAS ANSWERS
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench fixture stops at the first failure

use std::time::Instant;

use encommun::domain::codesign::{
    Candidate, NewCriterion, NewIdea, NewObjective, NewWorkingMember, Origin, Step, WorkshopState, IDEA_BODY_MAX,
};
use encommun::domain::project::{EventKind, NewEvent};
use encommun::storage::codesign::{self as store, Author};
use encommun::storage::diagnostic::Place;
use encommun::storage::inquiry::AddOutcome;
use encommun::storage::projects::enrolments_of_project;
use encommun::storage::users::{find_user_by_email, insert_user, NewUser};
use encommun::storage::{establish, write_transaction, DatabaseUrl, DbConnection};

const CRITERIA: [(&str, i32); 6] = [
    ("Touche les personnes sans internet", 3),
    ("Atteint les communes rurales", 2),
    ("Réaliste avec les moyens actuels", 2),
    ("Coûte peu", 1),
    ("Se voit vite", 1),
    ("Associe les habitants", 2),
];

fn criteria(conn: &mut DbConnection, place: Place, by: i64) -> Vec<i64> {
    let objective = NewObjective::parse("Objectif de la mesure", "").unwrap();
    let objective = store::insert_objective(conn, place, &objective, by, "mesure").unwrap();
    CRITERIA
        .iter()
        .map(|(label, weight)| {
            store::insert_criterion(conn, objective, &NewCriterion::parse(label, &weight.to_string()).unwrap()).unwrap()
        })
        .collect()
}

fn workshop(conn: &mut DbConnection, place: Place, by: i64, title: &str) -> i64 {
    let starts_at = encommun::storage::now();
    let event = NewEvent {
        kind: EventKind::Workshop,
        title: title.into(),
        description: String::new(),
        starts_at,
        ends_at: starts_at + chrono::TimeDelta::hours(3),
        place: Some("Salle de la mesure".into()),
        online_url: None,
        collectivity_id: Some(place.collectivity_id),
    };
    let id = store::insert_workshop(conn, &event, Step::Convergence, 8, by, "mesure", place).unwrap();
    let w = store::find_workshop(conn, id).unwrap().unwrap();
    store::set_workshop_state(conn, &w, WorkshopState::Planned, WorkshopState::Open, by, "ouvert".into()).unwrap();
    id
}

fn seat(conn: &mut DbConnection, place: Place, by: i64, name: &str) -> i64 {
    let new = NewWorkingMember::parse(name, "habitant", "", "", "", &[]).unwrap();
    let AddOutcome::Added(id) = store::add_working_member(conn, place, &new, by, "mesure").unwrap() else {
        panic!("seat")
    };
    id
}

/// The first sentence of an answer, as an idea's title, and the answer as its text.
fn idea_of(answer: &str) -> NewIdea {
    let clean: String = answer.chars().filter(|c| !c.is_control() || *c == '\n').collect();
    let title: String = clean.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(120).collect();
    let title = if title.chars().count() < 3 { format!("Idée {title}") } else { title };
    let body: String = clean.chars().take(IDEA_BODY_MAX).collect();
    NewIdea::parse(&title, &body).unwrap()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: seed_codesign DATABASE_URL MEMBERS IDEAS ANSWERS");
    let members: usize = args.next().and_then(|n| n.parse().ok()).expect("MEMBERS");
    let idea_count: usize = args.next().and_then(|n| n.parse().ok()).expect("IDEAS");
    let answers_path = args.next().expect("ANSWERS");
    let answers: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&answers_path).expect("the answers file")).unwrap();
    let answers: Vec<String> = answers
        .iter()
        .filter_map(|a| a["reponse"].as_str())
        .filter(|a| a.trim().len() > 20)
        .map(str::to_owned)
        .collect();
    assert!(answers.len() >= idea_count, "{} answers for {idea_count} ideas", answers.len());
    let mut conn = establish(&DatabaseUrl::parse(&url)).unwrap();
    let started = Instant::now();
    let admin = find_user_by_email(&mut conn, "agence@demo.encommun.fr").unwrap().expect("the demo is loaded").id;
    let hash = encommun::security::hash_password("mesure-mot-de-passe").unwrap();

    // The live vote.
    let access = encommun::demo::project(&mut conn, encommun::demo::DIAGNOSTIC_PROJECT).unwrap().unwrap();
    let agglopolys = enrolments_of_project(&mut conn, access.id)
        .unwrap()
        .into_iter()
        .find(|(_, t)| t.code == "200030385")
        .unwrap()
        .0
        .collectivity_id;
    let live = Place { project_id: access.id, collectivity_id: agglopolys };
    let live_workshop = write_transaction(&mut conn, |conn| {
        let current = store::ideas_of(conn, live)?.into_iter().filter(|i| i.is_current()).count();
        for answer in answers.iter().skip(idea_count).take(12usize.saturating_sub(current)) {
            store::insert_idea(
                conn,
                live,
                None,
                &idea_of(answer),
                Author::Category("habitant"),
                Origin::Paper,
                Some(admin),
                "mesure",
            )?;
        }
        criteria(conn, live, admin);
        let workshop = workshop(conn, live, admin, "Mesure du vote");
        for n in 0..members {
            let email = format!("participant{n}@mesure.encommun.fr");
            let user = insert_user(conn, &NewUser::new(&email, &format!("Participant {n}"), &hash))?;
            let id = seat(conn, live, admin, &format!("Participant {n}"));
            store::link_working_account(conn, id, user)?;
        }
        Ok::<_, diesel::result::Error>(workshop)
    })
    .unwrap();

    // The board.
    let food = encommun::demo::project(&mut conn, encommun::demo::ENROLMENT_PROJECT).unwrap().unwrap();
    let first = enrolments_of_project(&mut conn, food.id).unwrap()[0].0.collectivity_id;
    let board = Place { project_id: food.id, collectivity_id: first };
    let board_workshop = write_transaction(&mut conn, |conn| {
        let criteria = criteria(conn, board, admin);
        let workshop = workshop(conn, board, admin, "Tableau de la mesure");
        let ideas: Vec<i64> = answers
            .iter()
            .take(idea_count)
            .map(|a| {
                store::insert_idea(
                    conn,
                    board,
                    None,
                    &idea_of(a),
                    Author::Category("habitant"),
                    Origin::Paper,
                    Some(admin),
                    "mesure",
                )
            })
            .collect::<Result<_, _>>()?;
        for m in 0..60 {
            let member = seat(conn, board, admin, &format!("Votant {m}"));
            let grid: Vec<(Candidate, i64, i32)> = ideas
                .iter()
                .enumerate()
                .flat_map(|(i, idea)| {
                    criteria.iter().enumerate().map(move |(c, criterion)| {
                        (Candidate::Idea(*idea), *criterion, ((i * 7 + m * 3 + c * 5) % 6) as i32)
                    })
                })
                .collect();
            store::save_scores(conn, workshop, member, &grid)?;
            for d in 0..8 {
                store::add_dot(conn, workshop, member, Candidate::Idea(ideas[(m * 13 + d * 29) % ideas.len()]))?;
            }
        }
        Ok::<_, diesel::result::Error>(workshop)
    })
    .unwrap();
    println!(
        "/projets/{}/croisement/{}/ateliers/{live_workshop} /projets/{}/croisement/{}/ateliers/{board_workshop} {:.1}",
        live.project_id,
        live.collectivity_id,
        board.project_id,
        board.collectivity_id,
        started.elapsed().as_secs_f64()
    );
}
