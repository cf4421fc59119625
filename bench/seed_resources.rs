//! Bench fixture (bench/search.sh): on the demo, COUNT published resources — half experience reports on the
//! demo's territories, half directory entries serving its départements — written through the storage functions the
//! web uses (so the search triggers index them), with text drawn from a vocabulary of the field.
//!
//! Prints "seconds-to-seed reports entries".
//! Usage: seed_resources DATABASE_URL COUNT
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench fixture stops at the first failure

use std::time::Instant;

use encommun::domain::resources::{ActorKind, DirectoryText, EntryStatus, ReportText};
use encommun::domain::territory::TerritoryKind;
use encommun::storage::directory::import_entries;
use encommun::storage::reports::{insert_report, Origin};
use encommun::storage::territories::territories_of_kind;
use encommun::storage::users::find_user_by_email;
use encommun::storage::{establish, write_transaction, DatabaseUrl};

const METHODS: [&str; 8] = [
    "budget participatif",
    "conférence citoyenne",
    "marche exploratoire",
    "atelier de concertation",
    "enquête menée par des habitants",
    "jury citoyen",
    "porte-à-porte",
    "forum ouvert",
];
const SUBJECTS: [&str; 10] = [
    "mobilité rurale",
    "accès aux droits",
    "alimentation durable",
    "rénovation énergétique",
    "engagement des jeunes",
    "tiers-lieux",
    "santé mentale",
    "revitalisation du centre-bourg",
    "inclusion numérique",
    "gestion de l’eau",
];
const SKILLS: [&str; 8] = [
    "concertation",
    "facilitation",
    "enquête",
    "évaluation",
    "design de services",
    "animation de réseaux",
    "médiation",
    "formation des élus",
];

/// A pseudo-random pick, the same at every run.
fn pick<'a>(list: &[&'a str], seed: usize) -> &'a str {
    list[(seed.wrapping_mul(2_654_435_761) >> 7) % list.len()]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: seed_resources DATABASE_URL COUNT");
    let count: usize = args.next().and_then(|n| n.parse().ok()).expect("COUNT");
    let mut conn = establish(&DatabaseUrl::parse(&url)).unwrap();
    let owner = find_user_by_email(&mut conn, "agence@demo.encommun.fr").unwrap().unwrap().id;
    let places: Vec<_> = [TerritoryKind::Commune, TerritoryKind::Epci]
        .into_iter()
        .flat_map(|kind| territories_of_kind(&mut conn, kind).unwrap())
        .collect();
    let departements: Vec<String> =
        territories_of_kind(&mut conn, TerritoryKind::Departement).unwrap().into_iter().map(|t| t.code).collect();
    let started = Instant::now();
    let reports = count / 2;
    write_transaction(&mut conn, |conn| {
        for i in 0..reports {
            let place = &places[i % places.len()];
            let (method, subject) = (pick(&METHODS, i), pick(&SUBJECTS, i / 3));
            let text = ReportText {
                title: format!("Un {method} sur la {subject} à {} (n° {i})", place.name),
                territory_code: place.code.clone(),
                method: format!("{method}, en trois temps, avec le groupe d’enquête"),
                duration: "Huit mois".into(),
                cost: "25 000 €".into(),
                done: format!(
                    "À {}, la collectivité a organisé un {method} consacré à la {subject} : des rencontres dans les \
                     quartiers, un questionnaire, puis des ateliers où les habitants ont proposé des actions.",
                    place.name
                ),
                results: format!("Trois actions sur la {subject} inscrites au plan, un comité d’habitants suivi."),
                difficulties: "Toucher les jeunes actifs et les personnes éloignées du numérique.".into(),
                contact: "Le service participation".into(),
                links: Vec::new(),
            };
            let origin = Origin {
                territory_id: place.id,
                theme_id: None,
                project_id: None,
                collectivity_id: None,
                owner_id: owner,
            };
            insert_report(conn, &text, &origin, EntryStatus::Published)?;
        }
        let entries: Vec<DirectoryText> = (0..count - reports)
            .map(|i| DirectoryText {
                name: format!(
                    "{} {} (n° {i})",
                    pick(&["Atelier", "Coopérative", "Agence", "Collectif", "Réseau"], i),
                    pick(&SUBJECTS, i / 5)
                ),
                kind: ActorKind::ALL[i % ActorKind::ALL.len()],
                siret: None,
                skills: vec![pick(&SKILLS, i).to_owned(), pick(&SKILLS, i + 3).to_owned()],
                served: vec![departements[i % departements.len()].clone()],
                nationwide: i % 20 == 0,
                description: format!(
                    "Accompagne les collectivités dans leurs démarches de {} sur la {}, de l’enquête au plan d’action.",
                    pick(&SKILLS, i + 1),
                    pick(&SUBJECTS, i)
                ),
                contact: String::new(),
                links: Vec::new(),
            })
            .collect();
        import_entries(conn, &entries, owner)?;
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    println!("{:.1} {reports} {}", started.elapsed().as_secs_f64(), count - reports);
}
