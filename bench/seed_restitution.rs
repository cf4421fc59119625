//! Bench fixture (bench/restitution.sh): on the demo, Grand Châtellerault's published restitution gets FREE more
//! free answers to choose quotes from, and ADDRESSES respondents' addresses (each left on two questionnaires, one
//! of them written in capitals: ADDRESSES messages to queue); then the messages are prepared as the worker does
//! after a publication — one message per distinct address, the addresses forgotten — and timed.
//!
//! Prints "working-page-path seconds-to-seed seconds-to-tell messages-queued".
//! Usage: seed_restitution DATABASE_URL FREE ADDRESSES
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench fixture stops at the first failure

use std::time::Instant;

use encommun::domain::territory::TerritoryKind;
use encommun::jobs::restitutions::tell_all_due;
use encommun::storage::collectivities::find_collectivity_of_territory;
use encommun::storage::diagnostic::Place;
use encommun::storage::projects::list_projects;
use encommun::storage::questionnaires::{add_feedback_contact, record_response, Channel};
use encommun::storage::restitutions::showable_questions;
use encommun::storage::territories::find_territory;
use encommun::storage::{establish, write_transaction, DatabaseUrl};

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: seed_restitution DATABASE_URL FREE ADDRESSES");
    let mut number = |what: &str| -> usize { args.next().and_then(|n| n.parse().ok()).expect(what) };
    let (free, addresses) = (number("FREE"), number("ADDRESSES"));
    let mut conn = establish(&DatabaseUrl::parse(&url)).unwrap();
    let project =
        list_projects(&mut conn).unwrap().into_iter().find(|p| p.title.starts_with("Accès aux droits")).unwrap();
    let territory = find_territory(&mut conn, TerritoryKind::Epci, "248600413").unwrap().unwrap();
    let collectivity = find_collectivity_of_territory(&mut conn, territory.id).unwrap().unwrap().id;
    let place = Place { project_id: project.id, collectivity_id: collectivity };
    let questions = encommun::storage::restitutions::free_answers(&mut conn, place).unwrap();
    let (questionnaire, question) = {
        let question = questions.first().expect("the demo has free answers").question_id;
        let questionnaire = showable_questions(&mut conn, place).unwrap()[0].questionnaire_id;
        (questionnaire, question)
    };
    let started = Instant::now();
    write_transaction(&mut conn, |conn| {
        for n in 0..free {
            let text = format!(
                "Réponse libre numéro {n} : il faudrait un bus le samedi, une permanence au marché et quelqu’un \
                 pour aider aux démarches en ligne."
            );
            record_response(conn, questionnaire, Channel::Paper, None, &[(question, (String::new(), text))])?;
        }
        for n in 0..addresses {
            add_feedback_contact(conn, questionnaire, &format!("habitant{n}@exemple.fr"))?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    // The same people on a second questionnaire of the territory, written otherwise: still one message each.
    let second = showable_questions(&mut conn, place)
        .unwrap()
        .into_iter()
        .map(|q| q.questionnaire_id)
        .find(|q| *q != questionnaire);
    if let Some(second) = second {
        write_transaction(&mut conn, |conn| {
            for n in 0..addresses {
                add_feedback_contact(conn, second, &format!("HABITANT{n}@exemple.fr"))?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
    }
    let seeded = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let key = b"cle du banc d'essai";
    let told = tell_all_due(&mut conn, "http://127.0.0.1", key).unwrap();
    let telling = started.elapsed().as_secs_f64();
    println!("/projets/{}/restitution/{collectivity} {seeded:.2} {telling:.2} {told}", project.id);
}
