//! Digests: members of enrolled collectivities are subscribed by default and choose how often; a digest is
//! queued once per period, tells each item once, is not sent when nothing happened, reaches a real SMTP server
//! with both parts and the one-click unsubscribe headers, and its link unsubscribes without logging in.

use chrono::TimeDelta;
use encommun::domain::project::NewPost;
use encommun::jobs::digests::{queue_due_digests, Links};
use encommun::jobs::outbox::OutboxWorker;
use encommun::storage::posts::insert_post;
use encommun::storage::projects::list_projects;
use encommun::storage::subscriptions::subscriptions_of_user;
use encommun::storage::users::find_user_by_email;

use crate::helpers::{with_conn, TestApp, SESSION_KEY};
use crate::on_both_backends;
use crate::outbox::{headers, SmtpSink};
use crate::questionnaires::{logged_in, ADMIN, REFERENT};

on_both_backends!(
    a_member_gets_one_digest_per_period_and_unsubscribes_in_one_click,
    two_instances_preparing_the_digests_of_a_thousand_subscribers_at_once_queue_one_each,
);

fn link_key() -> Vec<u8> {
    let session = encommun::security::hex_decode(SESSION_KEY).unwrap();
    encommun::startup::link_key(&actix_web::cookie::Key::from(&session))
}

async fn a_member_gets_one_digest_per_period_and_unsubscribes_in_one_click(app: TestApp) {
    app.load_demo();
    let Some(smtp) = SmtpSink::start() else { return };
    let referent = logged_in(&app, REFERENT).await;
    // Subscribed by default, weekly, to the project her collectivity takes part in.
    let page = referent.get("/abonnements").await;
    page.assert_status(200).assert_contains("Alimentation durable");
    let (sophie, admin, project) = with_conn(&app, |conn| {
        (
            find_user_by_email(conn, REFERENT).unwrap().unwrap().id,
            find_user_by_email(conn, ADMIN).unwrap().unwrap().id,
            list_projects(conn).unwrap().remove(0),
        )
    });
    let subscription = with_conn(&app, |conn| subscriptions_of_user(conn, sophie).unwrap().remove(0).0);
    assert_eq!((subscription.frequency.as_str(), subscription.project_id), ("weekly", project.id));
    // She chooses a daily digest.
    let change = format!("/abonnements/{}", subscription.id);
    referent
        .submit("/abonnements", &change, &[("frequency", "daily"), ("weekday", "1")])
        .await
        .assert_redirect("/abonnements");
    referent.get("/abonnements").await.assert_contains("Enregistré : un récapitulatif par jour.");

    let key = link_key();
    let links = Links { base_url: &app.address, key: &key, send_hour: 8 };
    let today = encommun::storage::now().date();
    // 12:00 UTC is past 08:00 in Paris, summer or winter.
    let at = |days: i64| (today + TimeDelta::days(days)).and_hms_opt(12, 0, 0).unwrap();
    // Nothing happened since she was subscribed: nothing is queued.
    assert_eq!(with_conn(&app, |conn| queue_due_digests(conn, at(1), &links).unwrap()), 0);
    // News for participants, then the next day's digests: one for her, once, however often they are prepared.
    with_conn(&app, |conn| {
        let post = NewPost::parse(
            "Séminaire : le programme",
            "Le programme du séminaire de lancement est en ligne.",
            "participants",
        )
        .unwrap();
        insert_post(conn, project.id, &post, admin).unwrap();
    });
    assert_eq!(with_conn(&app, |conn| queue_due_digests(conn, at(2), &links).unwrap()), 1);
    assert_eq!(with_conn(&app, |conn| queue_due_digests(conn, at(2), &links).unwrap()), 0, "one per period");
    assert_eq!(OutboxWorker::new(app.pool.clone(), smtp.mailer()).run_once().await.unwrap(), 1);
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    let head = headers(mail);
    assert!(head["to"].contains(REFERENT));
    assert_eq!(head["subject"], format!("Du nouveau : {}", project.title));
    assert!(mail.contains("Content-Type: text/plain") && mail.contains("Content-Type: text/html"));
    let unsubscribe = head["list-unsubscribe"].trim_matches(['<', '>']).to_owned();
    assert!(unsubscribe.starts_with(&format!("{}/desabonnement/{}/", app.address, subscription.id)), "{unsubscribe}");
    assert_eq!(head["list-unsubscribe-post"], "List-Unsubscribe=One-Click");
    // The next day: the same news is not told again, and nothing new means no e-mail.
    assert_eq!(with_conn(&app, |conn| queue_due_digests(conn, at(3), &links).unwrap()), 0);

    // A mail client's one-click unsubscribe: a POST without session or form token.
    let path = unsubscribe.trim_start_matches(&app.address).to_owned();
    let forged = format!("/desabonnement/{}/{}", subscription.id, "0".repeat(64));
    let stranger = app.client();
    stranger.get(&forged).await.assert_status(410);
    stranger.post(&forged, &[("List-Unsubscribe", "One-Click")]).await.assert_status(410);
    stranger.get(&path).await.assert_status(200).assert_contains("Ne plus recevoir ces courriels");
    stranger
        .post(&path, &[("List-Unsubscribe", "One-Click")])
        .await
        .assert_status(200)
        .assert_contains("vous ne recevrez plus les récapitulatifs de ce projet");
    with_conn(&app, |conn| {
        let post = NewPost::parse("Une autre nouvelle", "Encore une actualité pour les participantes.", "participants")
            .unwrap();
        insert_post(conn, project.id, &post, admin).unwrap();
    });
    assert_eq!(with_conn(&app, |conn| queue_due_digests(conn, at(4), &links).unwrap()), 0, "unsubscribed");
    referent.get("/abonnements").await.assert_contains("value=\"off\" checked");
}

/// Two instances prepare the same period's digests at the same moment, for a thousand subscribers: a thousand
/// digests (and the demo referent's), not one more.
async fn two_instances_preparing_the_digests_of_a_thousand_subscribers_at_once_queue_one_each(app: TestApp) {
    use encommun::domain::account::Function;
    use encommun::storage::collectivities::upsert_membership;
    use encommun::storage::users::{insert_user, NewUser};
    use std::sync::{Arc, Barrier};
    app.load_demo();
    let (project, collectivity, admin) = with_conn(&app, |conn| {
        let project = list_projects(conn).unwrap().remove(0);
        let collectivity =
            encommun::storage::projects::enrolments_of_project(conn, project.id).unwrap()[0].0.collectivity_id;
        (project, collectivity, find_user_by_email(conn, ADMIN).unwrap().unwrap().id)
    });
    with_conn(&app, |conn| {
        encommun::storage::write_transaction(conn, |conn| {
            for n in 0..1000 {
                let user =
                    insert_user(conn, &NewUser::new(&format!("abonne-{n}@exemple.fr"), &format!("Abonné {n}"), "-"))?;
                upsert_membership(conn, user, collectivity, Function::Agent, false)?;
            }
            encommun::storage::subscriptions::subscribe_members(conn)?;
            diesel::RunQueryDsl::execute(diesel::sql_query("UPDATE subscriptions SET frequency = 'daily'"), conn)?;
            let post = NewPost::parse(
                "Une nouvelle pour tous",
                "Une actualité pour les participantes du projet.",
                "participants",
            )
            .unwrap();
            insert_post(conn, project.id, &post, admin)?;
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap()
    });
    let key = link_key();
    let at = (encommun::storage::now().date() + TimeDelta::days(1)).and_hms_opt(12, 0, 0).unwrap();
    let barrier = Arc::new(Barrier::new(2));
    let instances: Vec<_> = (0..2)
        .map(|_| {
            let (url, barrier, key, address) =
                (app.config.database_url.clone(), barrier.clone(), key.clone(), app.address.clone());
            std::thread::spawn(move || {
                let mut conn = encommun::storage::establish(&url).unwrap();
                let links = Links { base_url: &address, key: &key, send_hour: 8 };
                barrier.wait();
                queue_due_digests(&mut conn, at, &links).unwrap()
            })
        })
        .collect();
    let queued: usize = instances.into_iter().map(|i| i.join().unwrap()).sum();
    assert_eq!(queued, 1001, "the thousand subscribers and the referent, once each");
    let digests = with_conn(&app, |conn| {
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        use encommun::storage::schema::outbox_messages;
        outbox_messages::table.filter(outbox_messages::kind.eq("digest")).count().get_result::<i64>(conn).unwrap()
    });
    assert_eq!(digests, 1001);
}
