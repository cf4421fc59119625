//! Digests: members of enrolled collectivities are subscribed by default, anyone may follow a public project or
//! theme once their address is confirmed, and everyone chooses how often; a person receives one digest a day
//! grouping what they follow, each item once, nothing when nothing happened, with the events as a calendar file;
//! it reaches a real SMTP server with both parts and the one-click unsubscribe headers, and its links (web version,
//! preferences, unsubscribe) work without logging in.

use chrono::TimeDelta;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use encommun::domain::activity::ActivityKind;
use encommun::domain::project::{EventInput, NewEvent, NewPost};
use encommun::domain::territory::TerritoryKind;
use encommun::jobs::digests::{queue_due_digests, Links};
use encommun::jobs::outbox::OutboxWorker;
use encommun::storage::activity::{record_activity, NewActivity};
use encommun::storage::events::insert_event;
use encommun::storage::outbox::OutboxMessage;
use encommun::storage::posts::insert_post;
use encommun::storage::projects::Project;
use encommun::storage::schema::{outbox_messages, subscribers, subscriptions};
use encommun::storage::subscriptions::{confirm, request_subscription, subscriptions_of_user, Request, Target};
use encommun::storage::users::{find_user_by_email, insert_user, NewUser};
use encommun::storage::DbConnection;

use crate::fixtures::{self, logged_in};
use crate::helpers::{with_conn, TestApp, SESSION_KEY};
use crate::on_both_backends;
use crate::outbox::{drain, headers, SmtpSink};

on_both_backends!(
    a_member_gets_one_digest_a_day_for_all_she_follows_with_its_events_and_unsubscribes_in_one_click,
    anyone_follows_a_public_theme_once_their_address_is_confirmed,
    a_thousand_subscribers_get_one_digest_each_from_two_instances_and_a_dying_worker,
);

const ADMIN: &str = "agence@exemple.fr";
const REFERENT: &str = "referente@agglopolys.exemple.fr";

/// The agency; two projects Agglopolys takes part in, « Alimentation durable » first; another open theme; then
/// Agglopolys's referent, Sophie Martin, who joins once all that happened. Returns the first project.
fn world(app: &TestApp) -> Project {
    with_conn(app, |conn| {
        fixtures::territories(conn);
        let admin = fixtures::agency_admin(conn, ADMIN, "Claire Dubois");
        let agglopolys = fixtures::collectivity(conn, TerritoryKind::Epci, "200030385");
        let project = fixtures::project(conn, &admin).title("Alimentation durable").participant(&agglopolys).create();
        fixtures::project(conn, &admin).title("Tiers-lieux ruraux").participant(&agglopolys).create();
        fixtures::theme(conn, &admin, "Mobilités du quotidien en zone rurale").create();
        // Joining subscribes her to the themes as a whole and to the projects her collectivity is enrolled in.
        agglopolys.referent(conn, REFERENT, "Sophie Martin");
        project
    })
}

fn link_key() -> Vec<u8> {
    let session = encommun::security::hex_decode(SESSION_KEY).unwrap();
    encommun::startup::link_key(&actix_web::cookie::Key::from(&session))
}

/// Noon UTC, `days` from today: past 08:00 in Paris, summer or winter.
fn noon(days: i64) -> chrono::NaiveDateTime {
    (encommun::storage::now().date() + TimeDelta::days(days)).and_hms_opt(12, 0, 0).unwrap()
}

/// The queued messages of a kind, oldest first.
fn queued(app: &TestApp, kind: &str) -> Vec<OutboxMessage> {
    with_conn(app, |conn| {
        outbox_messages::table
            .filter(outbox_messages::kind.eq(kind))
            .order(outbox_messages::id.asc())
            .load(conn)
            .unwrap()
    })
}

/// The URL after `label` in a plain-text part.
fn link_after(text: &str, label: &str) -> String {
    let start = text.find(label).unwrap_or_else(|| panic!("« {label} » absent de :\n{text}")) + label.len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// Public news of a theme that the themes as a whole do not tell (a position, as its page records it).
fn theme_news(conn: &mut DbConnection, theme_id: i64, summary: &str) {
    let news = NewActivity {
        actor_id: None,
        kind: ActivityKind::PositionTaken,
        theme_id: Some(theme_id),
        collectivity_id: None,
        project_id: None,
        is_public: true,
        summary: summary.into(),
    };
    record_activity(conn, news).unwrap();
}

async fn a_member_gets_one_digest_a_day_for_all_she_follows_with_its_events_and_unsubscribes_in_one_click(
    app: TestApp,
) {
    let project = world(&app);
    let Some(smtp) = SmtpSink::start() else { return };
    let referent = logged_in(&app, REFERENT).await;
    // Subscribed, weekly, when her collectivity enrolled in the project.
    referent.get("/abonnements").await.assert_status(200).assert_contains("Alimentation durable");
    let (sophie, admin) = with_conn(&app, |conn| {
        (find_user_by_email(conn, REFERENT).unwrap().unwrap().id, find_user_by_email(conn, ADMIN).unwrap().unwrap().id)
    });
    // She also follows the project's theme, from its page: her account's address needs no confirmation.
    let follow = format!("/themes/{}/suivre", project.theme_id);
    referent.get(&format!("/themes/{}", project.theme_id)).await.assert_contains(&follow);
    referent.submit(&follow, &follow, &[]).await.assert_redirect("/abonnements");
    let all: Vec<_> =
        with_conn(&app, |conn| subscriptions_of_user(conn, sophie).unwrap().into_iter().map(|(s, _)| s).collect());
    // Agglopolys also takes part in another project, which she follows weekly with nothing new to tell;
    // this digest is about the project in enrolment, its theme, and the themes as a whole, which members follow
    // from the day they join.
    let (subscriptions, other_project): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|s| s.project_id.is_none() || s.project_id == Some(project.id));
    assert_eq!(other_project.len(), 1);
    assert_eq!(subscriptions.len(), 3);
    assert_eq!((subscriptions[0].project_id, subscriptions[1].theme_id), (Some(project.id), Some(project.theme_id)));
    assert_eq!((subscriptions[2].project_id, subscriptions[2].theme_id), (None, None));
    assert!(subscriptions.iter().all(|s| s.frequency == "weekly" && s.confirmed_at.is_some()));
    // She chooses a daily digest for all three.
    for subscription in &subscriptions {
        let change = format!("/abonnements/{}", subscription.id);
        referent
            .submit("/abonnements", &change, &[("frequency", "daily"), ("weekday", "1")])
            .await
            .assert_redirect("/abonnements");
    }
    referent.get("/abonnements").await.assert_contains("Enregistré : un récapitulatif par jour.");

    let key = link_key();
    let links = Links { base_url: &app.address, key: &key, send_hour: 8 };
    // Nothing happened since she was subscribed: nothing is queued.
    assert_eq!(with_conn(&app, |conn| queue_due_digests(conn, noon(1), &links).unwrap()), 0);
    // News for participants, an event, two decisions on the project's theme, and another theme opened: the next
    // day, one digest tells all five, once each, however often digests are prepared.
    with_conn(&app, |conn| {
        let post =
            NewPost::parse("Séminaire : le programme", "Le programme du séminaire est en ligne.", "participants")
                .unwrap();
        insert_post(conn, project.id, &post, admin).unwrap();
        let event = NewEvent::parse(&EventInput {
            kind: "meeting",
            title: "Atelier des référents",
            description: "Préparer l’enquête.",
            starts_at: "2027-02-04T14:00",
            ends_at: "2027-02-04T16:30",
            place: "Hôtel d’agglomération, Blois",
            online_url: "",
            collectivity_id: "",
        })
        .unwrap();
        insert_event(conn, project.id, &event, admin, &project.title).unwrap();
        theme_news(conn, project.theme_id, "Le thème est retenu par l’agence.");
        let opened = |theme: i64, summary: &str| NewActivity {
            actor_id: None,
            kind: ActivityKind::ThemeOpened,
            theme_id: Some(theme),
            collectivity_id: None,
            project_id: None,
            is_public: true,
            summary: summary.into(),
        };
        record_activity(conn, opened(project.theme_id, "L’agence rouvre le thème du projet.")).unwrap();
        let other: i64 = encommun::storage::schema::themes::table
            .filter(encommun::storage::schema::themes::id.ne(project.theme_id))
            .filter(encommun::storage::schema::themes::status.eq("open"))
            .select(encommun::storage::schema::themes::id)
            .first(conn)
            .unwrap();
        record_activity(conn, opened(other, "L’agence ouvre un autre thème.")).unwrap();
    });
    assert_eq!(with_conn(&app, |conn| queue_due_digests(conn, noon(2), &links).unwrap()), 1);
    assert_eq!(with_conn(&app, |conn| queue_due_digests(conn, noon(2), &links).unwrap()), 0, "one a day");
    assert_eq!(OutboxWorker::new(app.pool.clone(), smtp.mailer()).run_once().await.unwrap(), 1);
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let raw = &received[0];
    let head = headers(raw);
    assert!(head["to"].contains(REFERENT));
    assert_eq!(head["subject"], "5 nouvelles de ce que vous suivez");
    for part in ["text/plain", "text/html", "text/calendar"] {
        assert!(raw.contains(&format!("Content-Type: {part}")), "{part} absent");
    }
    assert!(raw.contains("rendez-vous.ics"));
    let digest = queued(&app, "digest").remove(0);
    assert!(digest.text_body.contains(&project.title) && digest.text_body.contains("Le thème est retenu"));
    let all_themes = digest.text_body.find(encommun::storage::subscriptions::ALL_THEMES).unwrap();
    assert!(digest.text_body[all_themes..].contains("L’agence ouvre un autre thème"), "the themes as a whole, last");
    // An entry about the theme she follows is told by that theme's section alone.
    assert_eq!(digest.text_body.matches("L’agence rouvre le thème du projet.").count(), 1);
    assert!(!digest.text_body[all_themes..].contains("rouvre"));
    assert!(
        digest.text_body.contains("Séminaire : le programme") && digest.text_body.contains("Atelier des référents")
    );
    let calendar = digest.calendar.unwrap();
    assert!(
        calendar.contains("SUMMARY:Atelier des référents")
            && calendar.contains("DTSTART;TZID=Europe/Paris:20270204T140000")
    );
    let unsubscribe = head["list-unsubscribe"].trim_matches(['<', '>']).to_owned();
    assert_eq!(link_after(&digest.text_body, "Ne plus recevoir aucun récapitulatif : "), unsubscribe);
    // The next day: the same news is not told again, and nothing new means no e-mail.
    assert_eq!(with_conn(&app, |conn| queue_due_digests(conn, noon(3), &links).unwrap()), 0);

    // Its links work without logging in: the web version, then the preferences, where she stops the theme.
    let stranger = app.client();
    let web_version = link_after(&digest.text_body, "Lire ce courriel dans le navigateur : ");
    stranger
        .get(web_version.trim_start_matches(&app.address))
        .await
        .assert_status(200)
        .assert_contains("Atelier des référents")
        .assert_contains("Le thème est retenu");
    let preferences = link_after(&digest.text_body, "Choisir ce que vous suivez et à quelle fréquence : ");
    let preferences = preferences.trim_start_matches(&app.address).to_owned();
    stranger.get(&preferences).await.assert_status(200).assert_contains(&project.title);
    let theme_subscription = format!("{preferences}/{}", subscriptions[1].id);
    stranger
        .submit(&preferences, &theme_subscription, &[("frequency", "off"), ("weekday", "1")])
        .await
        .assert_redirect(&preferences);
    stranger.get(&format!("{preferences}x")).await.assert_status(410);
    // The frequencies of her subscriptions of this test, in their order.
    let frequencies = || -> Vec<String> {
        with_conn(&app, |conn| {
            let now = subscriptions_of_user(conn, sophie).unwrap();
            let of = |id: i64| now.iter().find(|(s, _)| s.id == id).unwrap().0.frequency.clone();
            subscriptions.iter().map(|s| of(s.id)).collect()
        })
    };
    assert_eq!(frequencies()[1], "off");

    // A mail client's one-click unsubscribe: a POST without session or form token.
    let path = unsubscribe.trim_start_matches(&app.address).to_owned();
    let subscriber = subscriptions[0].subscriber_id;
    let forged = format!("/desabonnement/{subscriber}/{}", "0".repeat(64));
    stranger.get(&forged).await.assert_status(410);
    stranger.post(&forged, &[("List-Unsubscribe", "One-Click")]).await.assert_status(410);
    stranger.get(&path).await.assert_status(200).assert_contains("Ne plus recevoir ces courriels");
    stranger
        .post(&path, &[("List-Unsubscribe", "One-Click")])
        .await
        .assert_status(200)
        .assert_contains("vous ne recevrez plus aucun récapitulatif");
    with_conn(&app, |conn| {
        let post = NewPost::parse("Une autre nouvelle", "Encore une actualité pour les participantes.", "participants")
            .unwrap();
        insert_post(conn, project.id, &post, admin).unwrap();
    });
    // Others may be due that day (weekly digests go on the weekday they chose, and day 4 may be it): the referent
    // is not among them.
    let to_referent = || queued(&app, "digest").iter().filter(|m| m.recipient == REFERENT).count();
    let before = to_referent();
    with_conn(&app, |conn| queue_due_digests(conn, noon(4), &links).unwrap());
    assert_eq!(to_referent(), before, "unsubscribed");
    referent.get("/abonnements").await.assert_contains("value=\"off\" checked");
    // Following the theme again from its page turns it back on.
    referent.submit(&follow, &follow, &[]).await.assert_redirect("/abonnements");
    assert_eq!(frequencies(), ["off", "weekly", "off"]);
}

async fn anyone_follows_a_public_theme_once_their_address_is_confirmed(app: TestApp) {
    let theme = world(&app).theme_id;
    let Some(smtp) = SmtpSink::start() else { return };
    let follow = format!("/themes/{theme}/suivre");
    let visitor = app.client();
    visitor.get(&format!("/themes/{theme}")).await.assert_contains(&follow);
    visitor.get(&follow).await.assert_status(200).assert_contains("Votre adresse électronique");
    // A bad address: the field says why, nothing is written.
    visitor
        .submit(&follow, &follow, &[("email", "camille.exemple.fr")])
        .await
        .assert_status(422)
        .assert_contains("L’adresse électronique n’est pas valide");
    let addresses = |app: &TestApp| {
        with_conn(app, |conn| {
            subscribers::table.filter(subscribers::email.is_not_null()).count().get_result::<i64>(conn).unwrap()
        })
    };
    assert_eq!(addresses(&app), 0);
    // Sent twice the same day: one confirmation message.
    for _ in 0..2 {
        visitor
            .submit(&follow, &follow, &[("email", " Camille@Exemple.fr ")])
            .await
            .assert_redirect(&format!("/themes/{theme}"));
    }
    visitor.get(&format!("/themes/{theme}")).await.assert_contains("Presque fini");
    let confirmations = queued(&app, "confirmation");
    assert_eq!(confirmations.len(), 1);
    // Until confirmed, nothing is sent to that address.
    let key = link_key();
    let links = Links { base_url: &app.address, key: &key, send_hour: 8 };
    with_conn(&app, |conn| theme_news(conn, theme, "Avant la confirmation."));
    with_conn(&app, |conn| queue_due_digests(conn, noon(8), &links).unwrap());
    assert!(queued(&app, "digest").iter().all(|m| m.recipient != "camille@exemple.fr"));

    assert_eq!(OutboxWorker::new(app.pool.clone(), smtp.mailer()).run_once().await.unwrap(), 1);
    let head = headers(&smtp.received()[0]);
    assert!(head["to"].contains("camille@exemple.fr"));
    assert!(confirmations[0].subject.starts_with("Confirmez votre abonnement : Thème : "));
    let link = link_after(&confirmations[0].text_body, "cliquez sur « Confirmer » :");
    // Links carry the configured base URL.
    let link = link[link.find("/confirmation-abonnement/").unwrap()..].to_owned();
    // Opening the link (as a mail scanner would) does not confirm; the button does.
    let reader = app.client();
    reader.get(&link).await.assert_status(200).assert_contains("Confirmer");
    let confirmed = |app: &TestApp| {
        with_conn(app, |conn| {
            subscriptions::table
                .filter(subscriptions::confirmed_at.is_not_null())
                .filter(subscriptions::theme_id.eq(theme))
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
    };
    assert_eq!(confirmed(&app), 0);
    reader.submit(&link, &link, &[]).await.assert_status(200).assert_contains("Abonnement confirmé");
    assert_eq!(confirmed(&app), 1);
    reader.get(&format!("{link}0")).await.assert_status(410);

    // What happened before the confirmation is not told; what happens after is, the next Monday.
    with_conn(&app, |conn| theme_news(conn, theme, "Après la confirmation."));
    let monday = (1..=7).map(|d| noon(d + 8)).find(|at| chrono::Datelike::weekday(at) == chrono::Weekday::Mon).unwrap();
    with_conn(&app, |conn| queue_due_digests(conn, monday, &links).unwrap());
    let digest = queued(&app, "digest").into_iter().find(|m| m.recipient == "camille@exemple.fr").unwrap();
    assert!(digest.text_body.starts_with("Bonjour,\n"));
    assert!(
        digest.text_body.contains("Après la confirmation.") && !digest.text_body.contains("Avant la confirmation.")
    );

    // Unsubscribing forgets the address.
    let unsubscribe = digest.unsubscribe_url.unwrap();
    app.client()
        .post(unsubscribe.trim_start_matches(&app.address), &[("List-Unsubscribe", "One-Click")])
        .await
        .assert_contains("votre adresse est effacée");
    assert_eq!(addresses(&app), 0);
    // An address nobody confirms is deleted after a week.
    visitor.submit(&follow, &follow, &[("email", "dominique@exemple.fr")]).await.assert_status(303);
    assert_eq!(addresses(&app), 1);
    with_conn(&app, |conn| {
        assert_eq!(encommun::storage::subscriptions::purge_unconfirmed(conn, noon(-1)).unwrap(), 0, "not yet");
        assert_eq!(encommun::storage::subscriptions::purge_unconfirmed(conn, noon(1)).unwrap(), 1);
    });
    assert_eq!(addresses(&app), 0);
    // An address that is an account's: the request joins that account's subscriptions (one digest for a person).
    visitor.submit(&follow, &follow, &[("email", REFERENT)]).await.assert_status(303);
    assert_eq!(addresses(&app), 0);
    assert_eq!(queued(&app, "confirmation").last().unwrap().recipient, REFERENT);
    // An address that creates an account later brings what it follows to that account.
    visitor.submit(&follow, &follow, &[("email", "eve@exemple.fr")]).await.assert_status(303);
    let eve = with_conn(&app, |conn| {
        let Request::Pending(subscription) =
            request_subscription(conn, "eve@exemple.fr", Target::Theme(theme)).unwrap()
        else {
            panic!("waiting for its confirmation")
        };
        assert!(confirm(conn, subscription).unwrap());
        encommun::storage::write_transaction(conn, |conn| {
            insert_user(conn, &NewUser::new("eve@exemple.fr", "Ève", "-"))
        })
        .unwrap()
    });
    assert_eq!(addresses(&app), 0);
    let followed = with_conn(&app, |conn| subscriptions_of_user(conn, eve).unwrap());
    assert_eq!((followed.len(), followed[0].0.theme_id), (1, Some(theme)));
    // Past ten requests an hour from one connection, the form asks to wait: nobody's mailbox gets flooded.
    for n in 0..5 {
        let email = format!("personne{n}@exemple.fr");
        visitor.submit(&follow, &follow, &[("email", &email)]).await.assert_status(303);
    }
    visitor
        .submit(&follow, &follow, &[("email", "encore@exemple.fr")])
        .await
        .assert_status(429)
        .assert_contains("réessayez dans une heure");
}

/// Two instances prepare the same period's digests at the same moment, for a thousand subscribers: a thousand
/// digests (and the referent's), not one more; then two workers send them while a third dies holding some:
/// each subscriber receives exactly one.
async fn a_thousand_subscribers_get_one_digest_each_from_two_instances_and_a_dying_worker(app: TestApp) {
    use encommun::domain::account::Function;
    use encommun::storage::collectivities::upsert_membership;
    use std::sync::{Arc, Barrier};
    let project = world(&app);
    let (collectivity, admin) = with_conn(&app, |conn| {
        let collectivity =
            encommun::storage::projects::enrolments_of_project(conn, project.id).unwrap()[0].0.collectivity_id;
        (collectivity, find_user_by_email(conn, ADMIN).unwrap().unwrap().id)
    });
    with_conn(&app, |conn| {
        encommun::storage::write_transaction(conn, |conn| {
            for n in 0..1000 {
                let user =
                    insert_user(conn, &NewUser::new(&format!("abonne-{n}@exemple.fr"), &format!("Abonné {n}"), "-"))?;
                // Joining subscribes them to the projects their collectivity is enrolled in.
                upsert_membership(conn, user, collectivity, Function::Agent, false)?;
            }
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
        outbox_messages::table.filter(outbox_messages::kind.eq("digest")).count().get_result::<i64>(conn).unwrap()
    });
    assert_eq!(digests, 1001);

    // Then two workers send them while a third dies holding fifty: each subscriber receives one digest.
    let Some(smtp) = SmtpSink::start() else { return };
    let dead = with_conn(&app, |conn| {
        encommun::storage::outbox::claim(conn, "instance-morte", 50, TimeDelta::seconds(1)).unwrap()
    });
    assert_eq!(dead.len(), 50);
    let (first, second) =
        (OutboxWorker::new(app.pool.clone(), smtp.mailer()), OutboxWorker::new(app.pool.clone(), smtp.mailer()));
    let (a, b) = tokio::join!(drain(&app, first), drain(&app, second));
    assert_eq!(a + b, 1001, "every digest sent once between the two ({a} + {b})");
    let received = smtp.received();
    let recipients: std::collections::BTreeSet<String> = received.iter().map(|m| headers(m)["to"].clone()).collect();
    assert_eq!((received.len(), recipients.len()), (1001, 1001), "one digest per subscriber, none twice");
}
