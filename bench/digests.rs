//! Bench (bench/digests.sh): SUBSCRIBERS members of the demo project's first participant, each subscribed daily to
//! the project (when joining) and to its theme, fifteen news items in the project and one on the theme — so that
//! each digest groups two sections — then one round of `queue_due_digests` — composing and queueing every digest in the outbox,
//! as the worker does at 08:00 — timed; then a second round (nothing left to queue) timed too; then a newsletter
//! sent to the project's participants: every message composed and queued in one transaction, timed.
//! Usage: digests DATABASE_URL [SUBSCRIBERS]
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench fixture stops at the first failure

use std::time::Instant;

use chrono::TimeDelta;
use diesel::RunQueryDsl;
use encommun::domain::account::Function;
use encommun::domain::activity::ActivityKind;
use encommun::domain::newsletter::{Audience, NewNewsletter};
use encommun::domain::project::NewPost;
use encommun::jobs::digests::{queue_due_digests, Links};
use encommun::mail::newsletters::{send_newsletter, LetterLinks};
use encommun::storage::activity::{record_activity, NewActivity};
use encommun::storage::collectivities::upsert_membership;
use encommun::storage::newsletters::{find_newsletter, insert_draft};
use encommun::storage::posts::insert_post;
use encommun::storage::projects::enrolments_of_project;
use encommun::storage::subscriptions::{subscribe_user, Target};
use encommun::storage::users::{find_user_by_email, insert_user, NewUser};
use encommun::storage::{establish, now, write_transaction, DatabaseUrl};

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: digests DATABASE_URL [SUBSCRIBERS]");
    let subscribers: usize = args.next().map_or(10_000, |n| n.parse().expect("SUBSCRIBERS"));
    let mut conn = establish(&DatabaseUrl::parse(&url)).unwrap();
    let admin = find_user_by_email(&mut conn, "agence@demo.encommun.fr").unwrap().expect("the demo is loaded").id;
    let project =
        encommun::demo::project(&mut conn, encommun::demo::ENROLMENT_PROJECT).unwrap().expect("the demo is loaded");
    let collectivity = enrolments_of_project(&mut conn, project.id).unwrap()[0].0.collectivity_id;
    let started = Instant::now();
    write_transaction(&mut conn, |conn| {
        for n in 0..subscribers {
            let user =
                insert_user(conn, &NewUser::new(&format!("abonne-{n}@exemple.fr"), &format!("Abonné {n}"), "-"))?;
            upsert_membership(conn, user, collectivity, Function::Agent, false)?;
            subscribe_user(conn, user, Target::Theme(project.theme_id))?;
        }
        diesel::sql_query("UPDATE subscriptions SET frequency = 'daily'").execute(conn)?;
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    let seeding = started.elapsed();
    write_transaction(&mut conn, |conn| {
        for n in 1..=15 {
            let post = NewPost::parse(
                &format!("Nouvelle {n}"),
                "Une actualité pour les participantes du projet.",
                "participants",
            )
            .unwrap();
            insert_post(conn, project.id, &post, admin)?;
        }
        let news = NewActivity {
            actor_id: Some(admin),
            kind: ActivityKind::PositionTaken,
            theme_id: Some(project.theme_id),
            collectivity_id: None,
            project_id: None,
            is_public: true,
            summary: "Le thème est retenu.".into(),
        };
        record_activity(conn, news)?;
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    let key = vec![7u8; 64];
    let links = Links { base_url: "https://encommun.example", key: &key, send_hour: 8 };
    // Tomorrow at 12:00 UTC: past 08:00 in Paris, the news settled.
    let at = (now().date() + TimeDelta::days(1)).and_hms_opt(12, 0, 0).unwrap();
    let started = Instant::now();
    let queued = queue_due_digests(&mut conn, at, &links).unwrap();
    let first = started.elapsed();
    let started = Instant::now();
    let again = queue_due_digests(&mut conn, at, &links).unwrap();
    let second = started.elapsed();
    let audience = Audience { participants: true, observers: false, followers: false };
    let rubrics = ["Un édito de **quelques** lignes.", "", "Une méthode :\n- un\n- deux", "", "", "Le séminaire.", ""];
    let letter = NewNewsletter::parse("Lettre n° 1", rubrics, audience).unwrap();
    let letter_id = write_transaction(&mut conn, |conn| insert_draft(conn, project.id, &letter, admin)).unwrap();
    let letter = find_newsletter(&mut conn, project.id, letter_id).unwrap().unwrap();
    let letter_links =
        LetterLinks { base_url: "https://encommun.example", key: &key, archive_url: "https://encommun.example/lettre" };
    let started = Instant::now();
    let sending =
        write_transaction(&mut conn, |conn| send_newsletter(conn, &letter, &project.title, admin, &letter_links))
            .unwrap();
    let newsletter = started.elapsed();
    println!("lettre : {sending:?} en {:.2} s", newsletter.as_secs_f64());
    println!(
        "{subscribers} abonnés ({} s pour les créer) : {queued} récapitulatifs composés et mis en file en {:.2} s ; second passage : {again} en {:.2} s",
        seeding.as_secs(),
        first.as_secs_f64(),
        second.as_secs_f64()
    );
}
